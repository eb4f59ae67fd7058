//! `lupus-quiz study DECK` and `lupus-quiz review`: one queue runner for both.

use std::io::Write;

use anyhow::Context as _;

use super::session::{Opened, prompter, rng, welcome_first_session};
use crate::cli::SessionArgs;
use crate::context::Context;
use crate::deck::{Catalog, Deck};
use crate::schedule::format_interval;
use crate::session::{Limits, Mode, Scope, Services, Session, Snapshot, Summary, next_due};
use crate::store::Store;

/// What a session of study or review is asked to show.
enum Request<'a> {
    /// One deck: its due cards, then new ones.
    Study(&'a Deck),
    /// The due cards of one deck, or of all.
    Review(Option<&'a Deck>),
}

pub(crate) fn run_study(
    ctx: &Context,
    deck_name: &str,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let deck = catalog.find(deck_name)?;
    run_queue(ctx, &catalog, Request::Study(deck), limits, args, out)
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
    if queue.is_empty() {
        match request {
            Request::Study(deck) => {
                writeln!(out, "Nothing to study in `{}` right now.", deck.name)?
            }
            Request::Review(_) => writeln!(out, "Nothing is due for review.")?,
        }
        let next = next_due_text(&store, &decks, scheduler.calendar(), ctx)?;
        writeln!(out, "Next due: {next}")?;
        return Ok(());
    }
    run_session(ctx, &decks, mode, queue, &mut store, &scheduler, args, out)
}

#[allow(clippy::too_many_arguments)]
fn run_session<'a>(
    ctx: &Context,
    decks: &[&'a Deck],
    mode: Mode,
    queue: crate::session::Queue<'a>,
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
        };
        let mut session = Session::new(mode, services, rng(args), queue);
        session.run()
    };
    let mut summary: Summary =
        result.context("the session stopped; every answer given before this was saved")?;
    // The settings as they are now: another terminal may have changed them meanwhile.
    let scheduler = Context::scheduler(&store.settings()?)?;
    let calendar = scheduler.calendar();
    summary.next_due = Some(next_due_text(store, decks, calendar, ctx)?);
    summary.streak = Some(crate::stats::streak(store, calendar, ctx.clock.now())?.current);
    prompter.summary(&summary)?;
    Ok(())
}

fn next_due_text(
    store: &Store,
    decks: &[&Deck],
    calendar: &crate::schedule::StudyCalendar,
    ctx: &Context,
) -> anyhow::Result<String> {
    Ok(match next_due(store, decks, calendar)? {
        Some((due, count)) => {
            let wait = due - ctx.clock.now();
            let when = if wait <= chrono::TimeDelta::zero() {
                "now".to_string()
            } else {
                format!("in {}", format_interval(wait))
            };
            format!(
                "{when}, at {} ({count} card{} due that day)",
                due.with_timezone(&chrono::Local).format("%Y-%m-%d %H:%M"),
                crate::text::plural(count)
            )
        }
        None => {
            "no cards are scheduled yet; new cards wait in `lupus-quiz study <deck>`".to_string()
        }
    })
}
