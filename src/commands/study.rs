//! `lupus-quiz study DECK` and `lupus-quiz review`: one queue runner for both.

use std::io::Write;

use anyhow::Context as _;

use super::session::{Opened, prompter, rng};
use crate::cli::SessionArgs;
use crate::context::Context;
use crate::deck::Deck;
use crate::schedule::format_interval;
use crate::scope::{CardScope, Selection};
use crate::session::{Limits, Mode, Scope, Services, Session, Snapshot, Summary, next_due};
use crate::store::Store;

/// What a session of study or review is asked to show.
enum Request<'a> {
    /// Due cards of the selection, then new ones.
    Study(&'a Selection<'a>),
    /// The due cards of the selection only.
    Review(&'a Selection<'a>),
}

pub(crate) fn run_study(
    ctx: &Context,
    scope: &CardScope,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let selection = scope.select(&catalog)?;
    run_queue(ctx, scope, Request::Study(&selection), limits, args, out)
}

pub(crate) fn run_review(
    ctx: &Context,
    scope: &CardScope,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let selection = scope.select(&catalog)?;
    run_queue(ctx, scope, Request::Review(&selection), limits, args, out)
}

/// The one queue runner of `study` and `review`: loads what the request needs, builds its
/// queue, and runs the session, or says when the next card is due.
fn run_queue<'a>(
    ctx: &Context,
    scope: &CardScope,
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
    let load = match request {
        Request::Study(selection) => match &selection.decks[..] {
            [(deck, _)] if scope.tag.is_none() => Scope::Deck(deck),
            _ => Scope::Selection(selection),
        },
        Request::Review(_) => Scope::DueToday,
    };
    let now = ctx.clock.now();
    let snapshot = Snapshot::load(&store, &settings, scheduler.calendar(), now, load)?;
    let (queue, decks, mode) = match request {
        Request::Study(selection) => (
            snapshot.selection_queue(selection, &scheduler, limits),
            selection.deck_list(),
            Mode::Study,
        ),
        Request::Review(selection) => (
            snapshot.review_queue(selection, limits),
            selection.deck_list(),
            Mode::Review,
        ),
    };
    if queue.is_empty() {
        match request {
            Request::Study(_) => {
                writeln!(out, "Nothing to study in {} right now.", described(scope))?
            }
            Request::Review(_) if scope.is_everything() => {
                writeln!(out, "Nothing is due for review.")?
            }
            Request::Review(_) => {
                writeln!(out, "Nothing is due for review in {}.", described(scope))?
            }
        }
        let next = next_due_text(&store, &decks, scheduler.calendar(), ctx)?;
        writeln!(out, "Next due: {next}")?;
        return Ok(());
    }
    run_session(ctx, &decks, mode, queue, &mut store, &scheduler, args, out)
}

/// A scope as the learner named it: "`hsct`", "the cards tagged `sarah`", "every deck".
fn described(scope: &CardScope) -> String {
    let visible = |text: &str| crate::text::visible_inline(text).into_owned();
    match (&scope.deck, &scope.tag) {
        (Some(deck), None) => format!("`{}`", visible(deck)),
        (Some(deck), Some(tag)) => {
            format!("the cards of `{}` tagged `{}`", visible(deck), visible(tag))
        }
        (None, Some(tag)) => format!("the cards tagged `{}`", visible(tag)),
        (None, None) => "any deck".to_string(),
    }
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
