//! `lupus-quiz study DECK` and `lupus-quiz review`.

use std::io::{self, IsTerminal, Write};

use anyhow::Context as _;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::cli::SessionArgs;
use crate::context::Context;
use crate::deck::{Catalog, Deck};
use crate::prompt::{
    PlainPrompter, TerminalPrompter, Visible, configure_colours, terminal_available,
};
use crate::schedule::format_interval;
use crate::session::{
    Limits, Mode, Prompter, Scope, Services, Session, Snapshot, Summary, next_due,
};
use crate::store::Store;

pub fn run_study(
    ctx: &Context,
    deck_name: &str,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let deck = find_deck(&catalog, deck_name)?;
    let (mut store, settings, scheduler) = open_for_session(ctx)?;
    let snapshot = Snapshot::load(
        &catalog,
        &store,
        &settings,
        scheduler.calendar(),
        ctx.clock.now(),
        Scope::Deck(deck),
    )?;
    let queue = snapshot.study_queue(deck, &scheduler, limits);
    if queue.is_empty() {
        writeln!(out, "Nothing to study in `{}` right now.", deck.name)?;
        writeln!(
            out,
            "Next due: {}",
            next_due_text(&store, &[deck], scheduler.calendar(), ctx)?
        )?;
        return Ok(());
    }
    let label = deck.name.clone();
    run_session(
        ctx,
        &[deck],
        Mode::Study,
        label,
        queue,
        &mut store,
        &scheduler,
        args,
        out,
    )
}

pub fn run_review(
    ctx: &Context,
    deck_name: Option<&str>,
    limits: Limits,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let only = deck_name
        .map(|name| find_deck(&catalog, name))
        .transpose()?;
    let (mut store, settings, scheduler) = open_for_session(ctx)?;
    let snapshot = Snapshot::load(
        &catalog,
        &store,
        &settings,
        scheduler.calendar(),
        ctx.clock.now(),
        Scope::DueToday,
    )?;
    let queue = snapshot.review_queue(only, limits);
    let decks: Vec<&Deck> = match only {
        Some(deck) => vec![deck],
        None => catalog.decks.iter().collect(),
    };
    if queue.is_empty() {
        writeln!(out, "Nothing is due for review.")?;
        writeln!(
            out,
            "Next due: {}",
            next_due_text(&store, &decks, scheduler.calendar(), ctx)?
        )?;
        return Ok(());
    }
    let label = only.map_or_else(|| "all decks".to_string(), |deck| deck.name.clone());
    run_session(
        ctx,
        &decks,
        Mode::Review,
        label,
        queue,
        &mut store,
        &scheduler,
        args,
        out,
    )
}

/// The store, its settings and their scheduler: what every session starts from.
fn open_for_session(
    ctx: &Context,
) -> anyhow::Result<(Store, crate::settings::Settings, crate::schedule::Scheduler)> {
    let store = ctx.open_store()?;
    let settings = store.settings()?;
    let scheduler = Context::scheduler(&settings)?;
    Ok((store, settings, scheduler))
}

/// Finds a deck by name, or says which names exist.
pub fn find_deck<'a>(catalog: &'a Catalog, name: &str) -> anyhow::Result<&'a Deck> {
    catalog.deck(name).ok_or_else(|| {
        let names = catalog.deck_names();
        let suggestion = crate::text::closest(name, &names)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        anyhow::anyhow!(
            "there is no deck named `{name}`; {suggestion}the decks are: {} (see `lupus-quiz decks`)",
            names.join(", ")
        )
    })
}

/// The prompter for this run: the terminal when there is one, else plain lines.
pub fn prompter<'o>(args: SessionArgs, out: &'o mut dyn Write) -> Box<dyn Prompter + 'o> {
    configure_colours();
    if args.plain || !terminal_available() {
        let echo = !io::stdin().is_terminal();
        Box::new(Visible(PlainPrompter::new(io::stdin().lock(), out, echo)))
    } else {
        Box::new(Visible(TerminalPrompter::on_stderr()))
    }
}

pub fn rng(args: SessionArgs) -> StdRng {
    match args.seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => rand::make_rng(),
    }
}

#[allow(clippy::too_many_arguments)]
fn run_session<'a>(
    ctx: &Context,
    decks: &[&'a Deck],
    mode: Mode,
    label: String,
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
        let mut session = Session::new(mode, label, services, rng(args), queue);
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
                crate::error::plural(count)
            )
        }
        None => {
            "no cards are scheduled yet; new cards wait in `lupus-quiz study <deck>`".to_string()
        }
    })
}
