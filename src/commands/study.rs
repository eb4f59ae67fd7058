//! `lupus-quiz study DECK` and `lupus-quiz review`: one queue runner for both.

use std::io::Write;

use anyhow::Context as _;
use chrono::{DateTime, TimeDelta, Utc};

use super::session::{Opened, prompter, rng, welcome_first_session};
use crate::cli::SessionArgs;
use crate::context::Context;
use crate::deck::{Catalog, Deck};
use crate::schedule::{StudyCalendar, format_wait};
use crate::session::{Limits, Mode, Scope, Services, Session, Snapshot, Summary, next_due};
use crate::store::Store;
use crate::text::{plural, visible_inline};

/// What a session of study or review is asked to show.
#[derive(Clone, Copy)]
enum Request<'a> {
    /// One deck: its due cards, then new ones.
    Study(&'a Deck),
    /// The due cards of one deck, or of all.
    Review(Option<&'a Deck>),
}

impl Request<'_> {
    /// The command that starts this session again, for "run ... then".
    fn command(self) -> String {
        match self {
            Request::Study(deck) => format!("lupus-quiz study {}", deck.name),
            Request::Review(Some(deck)) => format!("lupus-quiz review --deck {}", deck.name),
            Request::Review(None) => "lupus-quiz review".to_string(),
        }
    }
}

/// `study DECK`; without a deck, the decks to choose from.
pub(crate) fn run_study(
    ctx: &Context,
    deck_name: Option<&str>,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let Some(deck_name) = deck_name else {
        return list_decks(&catalog, out);
    };
    let deck = catalog.find(deck_name)?;
    run_queue(ctx, &catalog, Request::Study(deck), limits, args, out)
}

/// What `study` without a deck prints: which decks there are and how to study one.
fn list_decks(catalog: &Catalog, out: &mut dyn Write) -> anyhow::Result<()> {
    writeln!(out, "Which deck? Study one with `lupus-quiz study DECK`:")?;
    let width = catalog
        .decks
        .iter()
        .map(|deck| deck.name.as_str().chars().count())
        .max()
        .unwrap_or(0);
    for deck in &catalog.decks {
        writeln!(
            out,
            "  {:<width$}  {} ({} card{})",
            visible_inline(deck.name.as_str()),
            visible_inline(&deck.title),
            deck.cards.len(),
            plural(deck.cards.len())
        )?;
    }
    writeln!(
        out,
        "`lupus-quiz review` goes through what is due in every deck; `lupus-quiz decks` counts the cards by type."
    )?;
    Ok(())
}

pub(crate) fn run_review(
    ctx: &Context,
    deck_name: Option<&str>,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let only = deck_name.map(|name| catalog.find(name)).transpose()?;
    run_queue(ctx, &catalog, Request::Review(only), limits, args, out)
}

/// The one queue runner of `study` and `review`: loads what the request needs, builds its
/// queue, and runs the session, or says when the next card is due.
fn run_queue<'a>(
    ctx: &Context,
    catalog: &'a Catalog,
    request: Request<'a>,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Opened {
        mut store,
        settings,
        scheduler,
    } = Opened::for_session(ctx)?;
    let scope = match request {
        Request::Study(deck) => Scope::Deck(deck),
        Request::Review(_) => Scope::DueToday,
    };
    let now = ctx.clock.now();
    let snapshot = Snapshot::load(catalog, &store, &settings, scheduler.calendar(), now, scope)?;
    let (queue, decks, mode) = match request {
        Request::Study(deck) => (
            snapshot.study_queue(deck, &scheduler, limits),
            vec![deck],
            Mode::Study,
        ),
        Request::Review(only) => (
            snapshot.review_queue(only, limits),
            only.map_or_else(|| catalog.decks.iter().collect(), |deck| vec![deck]),
            Mode::Review,
        ),
    };
    if !queue.has_card_by(now + settings.learn_ahead()) {
        return say_nothing_to_show(&store, request, &decks, scheduler.calendar(), now, out);
    }
    let session = SessionPlan {
        request,
        decks: &decks,
        mode,
        queue,
    };
    run_session(ctx, session, &mut store, &scheduler, args, out)
}

/// What `study` and `review` say instead of a session when it would show nothing now.
fn say_nothing_to_show(
    store: &Store,
    request: Request<'_>,
    decks: &[&Deck],
    calendar: &StudyCalendar,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match request {
        Request::Study(deck) => {
            let name = visible_inline(deck.name.as_str());
            writeln!(out, "Nothing to study in `{name}` right now.")?
        }
        Request::Review(_) => writeln!(out, "Nothing is due for review.")?,
    }
    let next = next_due_line(store, request, Moment::NothingToShow, decks, calendar, now)?;
    // It may name a deck, and deck names are file names.
    writeln!(out, "{}", visible_inline(&next))?;
    Ok(())
}

/// A session about to run: what was asked, its decks, and its cards.
struct SessionPlan<'a, 'd> {
    request: Request<'a>,
    decks: &'d [&'a Deck],
    mode: Mode,
    queue: crate::session::Queue<'a>,
}

fn run_session(
    ctx: &Context,
    plan: SessionPlan<'_, '_>,
    store: &mut Store,
    scheduler: &crate::schedule::Scheduler,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store_settings = store.settings()?;
    let mut prompter = prompter(args, out);
    welcome_first_session(store, prompter.as_mut())?;
    let result = {
        let services = Services {
            prompter: prompter.as_mut(),
            store,
            scheduler,
            clock: &ctx.clock,
            max_answer_time: store_settings.max_answer_time(),
            learn_ahead: store_settings.learn_ahead(),
        };
        let mut session = Session::new(plan.mode, services, rng(args), plan.queue);
        session.run()
    };
    let mut summary: Summary =
        result.context("the session stopped; every answer given before this was saved")?;
    // The settings as they are now: another terminal may have changed them meanwhile.
    let scheduler = Context::scheduler(&store.settings()?)?;
    let calendar = scheduler.calendar();
    let now = ctx.clock.now();
    summary.next_due = Some(next_due_line(
        store,
        plan.request,
        Moment::AfterSession,
        plan.decks,
        calendar,
        now,
    )?);
    summary.streak = Some(crate::stats::streak(store, calendar, now)?.current);
    prompter.summary(&summary)?;
    Ok(())
}

/// One line on what is due: how many cards are due now and what to run (or, when the
/// session had nothing to show, that the daily limit holds them back), or when the next card
/// is due, in relative and local time.
fn next_due_line(
    store: &Store,
    request: Request<'_>,
    moment: Moment,
    decks: &[&Deck],
    calendar: &StudyCalendar,
    now: DateTime<Utc>,
) -> anyhow::Result<String> {
    let Some((first, count)) = next_due(store, decks, calendar)? else {
        let study = match request {
            Request::Study(deck) | Request::Review(Some(deck)) => {
                format!("lupus-quiz study {}", deck.name)
            }
            Request::Review(None) => "lupus-quiz study <deck>".to_string(),
        };
        return Ok(format!(
            "Next due: no cards are scheduled yet; new cards wait in `{study}`."
        ));
    };
    if first > now {
        let today = calendar.day_of(first) == calendar.day_of(now);
        return Ok(format!(
            "Next due: in {}, {} ({count} card{} due {}).",
            format_wait(first - now),
            local_time(first, now, calendar),
            plural(count),
            if today { "today" } else { "that day" }
        ));
    }
    let names: Vec<&str> = decks.iter().map(|deck| deck.name.as_str()).collect();
    // `due_count_in` counts cards due before its limit: one millisecond on takes in `now`.
    let due_now = store.due_count_in(&names, now + TimeDelta::milliseconds(1))?;
    let cards = format!("{due_now} card{}", plural(due_now));
    Ok(match moment {
        Moment::AfterSession => format!(
            "Due now: {cards}; run `{}` to study them.",
            request.command()
        ),
        Moment::NothingToShow => format!(
            "Due now: {cards}, beyond today's review limit; `--limit N` takes more in one session (`lupus-quiz config reviews_per_day` sets the limit)."
        ),
    })
}

/// When the next-due line is shown.
#[derive(Clone, Copy)]
enum Moment {
    /// In the summary of a session.
    AfterSession,
    /// Instead of a session, which had nothing to show.
    NothingToShow,
}

/// `at` in the learner's time zone, as a person says it: "today at 09:13", "tomorrow at
/// 08:00", "on Tue 2026-03-10 at 08:00".
fn local_time(at: DateTime<Utc>, now: DateTime<Utc>, calendar: &StudyCalendar) -> String {
    let local = at.with_timezone(&calendar.offset_at(at));
    let today = now.with_timezone(&calendar.offset_at(now)).date_naive();
    let time = local.format("%H:%M");
    match (local.date_naive() - today).num_days() {
        0 => format!("today at {time}"),
        1 => format!("tomorrow at {time}"),
        _ => format!("on {} at {time}", local.format("%a %Y-%m-%d")),
    }
}
