//! `lupus-quiz study DECK` and `lupus-quiz review`: one queue runner for both.

use std::io::Write;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use super::session::{Opened, prompter, rng, welcome_first_session};
use crate::cli::{ReviewArgs, SessionArgs, StudyArgs};
use crate::context::Context;
use crate::deck::{Catalog, Deck};
use crate::schedule::{DueRule, StudyCalendar};
use crate::scope::{CardScope, Selection};
use crate::session::{
    GoalSession, Limits, Mode, Scope, Services, Session, Snapshot, Summary, due_by_end_of_day,
    follow_goal, next_due,
};
use crate::store::Store;
use crate::text::{plural, visible_inline};

/// What a session of study or review is asked to show: the selected cards, and the scope
/// the learner named them by.
#[derive(Clone, Copy)]
enum Request<'a> {
    /// Due cards of the selection, then new ones.
    Study(&'a Selection<'a>, &'a CardScope, &'a Catalog),
    /// The due cards of the selection only.
    Review(&'a Selection<'a>, &'a CardScope, &'a Catalog),
}

impl<'a> Request<'a> {
    fn scope(self) -> &'a CardScope {
        match self {
            Request::Study(_, scope, _) | Request::Review(_, scope, _) => scope,
        }
    }

    /// The deck the learner named, as the catalog spells it.
    fn deck(self) -> Option<&'a Deck> {
        match self {
            Request::Study(selection, ..) | Request::Review(selection, ..) => selection.named,
        }
    }

    /// What a goal (`lupus-quiz plan`) may add to this session.
    fn goal_session<'s>(
        self,
        store: &'s Store,
        scheduler: &'s crate::schedule::Scheduler,
        limits: Limits,
    ) -> GoalSession<'s, 'a> {
        let (selection, catalog, new_cards) = match self {
            Request::Study(selection, _, catalog) => (selection, catalog, true),
            Request::Review(selection, _, catalog) => (selection, catalog, false),
        };
        GoalSession {
            store,
            scheduler,
            catalog,
            selection,
            limits,
            new_cards,
        }
    }

    /// The command that starts this session again, for "run ... then".
    fn command(self) -> String {
        let scope = self.scope();
        let tag = scope
            .tag
            .as_ref()
            .map(|tag| format!(" --tag {tag}"))
            .unwrap_or_default();
        match (self, self.deck().map(|deck| &deck.name)) {
            (Request::Study(..), Some(deck)) => format!("lupus-quiz study {deck}{tag}"),
            (Request::Study(..), None) if scope.tag.is_some() => format!("lupus-quiz study{tag}"),
            (Request::Study(..), None) => "lupus-quiz study --all".to_string(),
            (Request::Review(..), Some(deck)) => format!("lupus-quiz review --deck {deck}{tag}"),
            (Request::Review(..), None) => format!("lupus-quiz review{tag}"),
        }
    }
}

/// `study DECK`, `study --tag T`, `study --all`; with none of them, the decks to choose from.
pub(crate) fn run_study(
    ctx: &Context,
    args: &StudyArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let scope = &CardScope {
        deck: args.deck.clone(),
        tag: args.tag.clone(),
    };
    let all = args.all;
    let limits = Limits {
        new: args.new,
        reviews: args.limit,
    };
    let args = args.session;
    let catalog = ctx.load_catalog()?;
    if scope.is_everything() && !all {
        return list_decks(&catalog, Listing::Study, out);
    }
    let selection = scope.select(&catalog)?;
    run_queue(
        ctx,
        Request::Study(&selection, scope, &catalog),
        limits,
        args,
        out,
    )
}

/// Which command lists the decks to choose from.
#[derive(Clone, Copy)]
pub(crate) enum Listing {
    Study,
    Quiz,
}

/// What `study` or `quiz` without a deck prints: which decks there are and how to use one.
pub(crate) fn list_decks(
    catalog: &Catalog,
    listing: Listing,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match listing {
        Listing::Study => writeln!(
            out,
            "Which deck? Study one with `lupus-quiz study DECK` (or `--tag T`, or `--all`):"
        )?,
        Listing::Quiz => writeln!(
            out,
            "Which deck? Take a quiz on one with `lupus-quiz quiz DECK` (or `--tag T` with it):"
        )?,
    }
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
    args: &ReviewArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let scope = &args.scope.scope();
    let limits = Limits {
        new: None,
        reviews: args.limit,
    };
    let args = args.session;
    let catalog = ctx.load_catalog()?;
    let selection = scope.select(&catalog)?;
    run_queue(
        ctx,
        Request::Review(&selection, scope, &catalog),
        limits,
        args,
        out,
    )
}

/// The one queue runner of `study` and `review`: loads what the request needs, builds its
/// queue, and runs the session, or says when the next card is due.
fn run_queue<'a>(
    ctx: &Context,
    request: Request<'a>,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Opened {
        mut store,
        settings,
        scheduler,
    } = match request {
        Request::Study(..) => Opened::for_session(ctx)?,
        Request::Review(..) => Opened::for_review(ctx)?,
    };
    let load = match request {
        Request::Study(selection, scope, _) => match &selection.decks[..] {
            [(deck, _)] if scope.tag.is_none() => Scope::Deck(deck),
            _ => Scope::Selection(selection),
        },
        Request::Review(..) => Scope::DueToday,
    };
    let now = ctx.clock.now();
    let snapshot = Snapshot::load(&store, &settings, scheduler.calendar(), now, load)?;
    let (mut queue, decks, mode) = match request {
        Request::Study(selection, ..) => (
            snapshot.selection_queue(&store, selection, &scheduler, limits)?,
            selection.deck_list(),
            Mode::Study,
        ),
        Request::Review(selection, _, catalog) => (
            snapshot.review_queue(&store, catalog, selection, limits)?,
            selection.deck_list(),
            Mode::Review,
        ),
    };
    let goal = request.goal_session(&store, &scheduler, limits);
    follow_goal(goal, &snapshot, &mut queue)?;
    if !queue.has_card_by(now + settings.learn_ahead()) {
        let rule = DueRule::at(now, scheduler.calendar());
        let plain = args.plain || !ctx.interactive;
        let nothing = Nothing {
            rule: &rule,
            calendar: scheduler.calendar(),
            now,
            plain,
        };
        return say_nothing_to_show(&store, request, &decks, nothing, out);
    }
    let session = SessionPlan {
        request,
        decks: &decks,
        mode,
        queue,
        args,
    };
    run_session(ctx, session, &mut store, &scheduler, out)
}

/// What `study` and `review` say instead of a session when it would show nothing now.
fn say_nothing_to_show(
    store: &Store,
    request: Request<'_>,
    decks: &[&Deck],
    nothing: Nothing<'_>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Nothing {
        rule,
        calendar,
        now,
        plain,
    } = nothing;
    let scope = request.scope();
    let described = described(request.deck(), scope.tag.as_deref());
    match request {
        Request::Study(..) => writeln!(out, "Nothing to study in {described} right now.")?,
        Request::Review(..) if scope.tag.is_none() => writeln!(out, "Nothing is due for review.")?,
        Request::Review(..) => writeln!(out, "Nothing is due for review in {described}.")?,
    }
    let due_now = DueNow {
        now,
        calendar,
        rule,
    };
    let next = next_due_line(store, request, Moment::NothingToShow, decks, due_now)?;
    // It may name a deck, and deck names are file names.
    let next = visible_inline(&next);
    match plain {
        true => writeln!(out, "{}", crate::text::spell_units(&next))?,
        false => writeln!(out, "{next}")?,
    }
    Ok(())
}

/// What the line after "Nothing to study" is worked out from, and whether it is for plain
/// mode (durations spelled out).
struct Nothing<'a> {
    rule: &'a DueRule,
    calendar: &'a StudyCalendar,
    now: DateTime<Utc>,
    plain: bool,
}

/// A scope as the learner named it: "`hsct`", "the cards tagged `sarah`", "any deck".
fn described(deck: Option<&Deck>, tag: Option<&str>) -> String {
    let visible = |text: &str| visible_inline(text).into_owned();
    match (deck, tag) {
        (Some(deck), None) => format!("`{}`", visible(deck.name.as_str())),
        (Some(deck), Some(tag)) => format!(
            "the cards of `{}` tagged `{}`",
            visible(deck.name.as_str()),
            visible(tag)
        ),
        (None, Some(tag)) => format!("the cards tagged `{}`", visible(tag)),
        (None, None) => "any deck".to_string(),
    }
}

/// A session about to run: what was asked, its decks, its cards, and how to ask them.
struct SessionPlan<'a, 'd> {
    request: Request<'a>,
    decks: &'d [&'a Deck],
    mode: Mode,
    queue: crate::session::Queue<'a>,
    args: SessionArgs,
}

fn run_session(
    ctx: &Context,
    plan: SessionPlan<'_, '_>,
    store: &mut Store,
    scheduler: &crate::schedule::Scheduler,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let store_settings = store.settings()?;
    let args = plan.args;
    let mut prompter = prompter(ctx, args, out);
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
    let scheduler = ctx.scheduler(store)?;
    let calendar = scheduler.calendar();
    let now = ctx.clock.now();
    let rule = DueRule::at(now, calendar);
    let due_now = DueNow {
        now,
        calendar,
        rule: &rule,
    };
    summary.next_due = Some(next_due_line(
        store,
        plan.request,
        Moment::AfterSession,
        plan.decks,
        due_now,
    )?);
    summary.streak = Some(crate::stats::streak(store, calendar, now)?.current);
    prompter.summary(&summary)?;
    Ok(())
}

/// When no card of `decks` is due or new because every one is suspended or a leech, the
/// line that says so and how to bring them back (rather than "new cards wait", which sent
/// the learner to a session that again showed nothing).
fn all_out_of_rotation_line(
    store: &Store,
    request: Request<'_>,
    decks: &[&Deck],
) -> anyhow::Result<Option<String>> {
    let out_of_rotation: std::collections::HashMap<String, bool> =
        store.suspended_cards()?.into_iter().collect();
    let (mut suspended, mut leeches) = (0usize, 0usize);
    for deck in decks {
        for id in deck.cards.ids() {
            match out_of_rotation.get(id) {
                Some(true) => leeches += 1,
                Some(false) => suspended += 1,
                None => return Ok(None),
            }
        }
    }
    let all = suspended + leeches;
    if all == 0 {
        return Ok(None);
    }
    let (cards, unsuspend) = match request.deck() {
        Some(deck) => (
            format!("of `{}` ", deck.name),
            format!("lupus-quiz unsuspend --deck {}", deck.name),
        ),
        None => (
            String::new(),
            "lupus-quiz unsuspend --deck <deck>".to_string(),
        ),
    };
    let are = match (suspended, leeches) {
        (_, 0) => "suspended".to_string(),
        (0, 1) => "a leech (suspended after too many lapses)".to_string(),
        (0, _) => "leeches (suspended after too many lapses)".to_string(),
        (_, leeches) => format!(
            "suspended ({leeches} of them as leech{})",
            if leeches == 1 { "" } else { "es" }
        ),
    };
    let every = if all == 1 {
        format!("the only card {cards}is")
    } else {
        format!("all {all} cards {cards}are")
    };
    let them = if all == 1 { "it" } else { "them" };
    Ok(Some(format!(
        "Next due: none: {every} {are}; `{unsuspend}` brings {them} back."
    )))
}

/// One line on what is due: how many cards are due now and what to run (or, when the
/// session had nothing to show, that the daily limit holds them back), or when the next card
/// is due, in relative and local time.
fn next_due_line(
    store: &Store,
    request: Request<'_>,
    moment: Moment,
    decks: &[&Deck],
    due_now: DueNow<'_>,
) -> anyhow::Result<String> {
    let DueNow {
        now,
        calendar,
        rule,
    } = due_now;
    let Some((first, phase)) = next_due(store, decks, rule)? else {
        if let Some(line) = all_out_of_rotation_line(store, request, decks)? {
            return Ok(line);
        }
        let study = match request.deck() {
            Some(deck) => format!("lupus-quiz study {}", deck.name),
            None => "lupus-quiz study <deck>".to_string(),
        };
        return Ok(format!(
            "Next due: no cards are scheduled yet; new cards wait in `{study}`."
        ));
    };
    if first > now {
        let count = due_by_end_of_day(store, decks, first, calendar)?;
        let today = calendar.day_of(first) == calendar.day_of(now);
        return Ok(format!(
            "Next due: in {}, {} ({count} card{} due {}).",
            rule.wait_label(phase, first),
            local_time(first, now, calendar),
            plural(count),
            if today { "today" } else { "that day" }
        ));
    }
    let names: Vec<&str> = decks.iter().map(|deck| deck.name.as_str()).collect();
    let due_now = store.due_count_in(&names, rule)?;
    let cards = format!("{due_now} card{}", plural(due_now));
    Ok(match moment {
        Moment::AfterSession => format!(
            "Due now: {cards}; run `{}` to study {}.",
            request.command(),
            if due_now == 1 { "it" } else { "them" }
        ),
        Moment::NothingToShow => format!(
            "Due now: {cards}, beyond today's review limit; `--limit N` takes more in one session (`lupus-quiz config reviews_per_day` sets the limit)."
        ),
    })
}

/// Now, in the learner's calendar, with the rule of what is due at it.
#[derive(Clone, Copy)]
struct DueNow<'a> {
    now: DateTime<Utc>,
    calendar: &'a StudyCalendar,
    rule: &'a DueRule,
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
