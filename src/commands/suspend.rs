//! `lupus-quiz suspend`, `unsuspend` and `forget`: manual actions on cards, each recorded as
//! an event of the log (see `store/events.rs`), so that replays, `doctor`, `export` and
//! `import` keep them.

use std::io::{self, BufRead, Write};

use anyhow::bail;

use crate::cli::{ForgetArgs, TargetArgs};
use crate::context::Context;
use crate::deck::Catalog;
use crate::schedule::CardAction;
use crate::store::{ActionReport, ActionTarget, Store};
use crate::text::plural;

pub(crate) fn run(
    ctx: &Context,
    targets: &TargetArgs,
    action: CardAction,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let chosen = chosen_cards(&catalog, targets)?;
    let mut store = ctx.open_store()?;
    let report = store.take_action(&chosen, action, ctx.clock.now())?;
    writeln!(out, "{}", described(action, &report))?;
    Ok(())
}

/// `forget`: as [`run`], after a confirmation on a terminal (or `--yes`).
pub(crate) fn run_forget(
    ctx: &Context,
    args: &ForgetArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (targets, yes, plain) = (&args.targets, args.yes, args.plain);
    let catalog = ctx.load_catalog()?;
    let chosen = chosen_cards(&catalog, targets)?;
    let mut store = ctx.open_store()?;
    let count = forgettable(&store, &chosen)?;
    if count == 0 {
        let report = ActionReport {
            changed: 0,
            unchanged: chosen.len(),
        };
        writeln!(out, "{}", described(CardAction::Forget, &report))?;
        return Ok(());
    }
    if !yes {
        if plain || !ctx.interactive {
            bail!(
                "forget would start {count} card{} over as new; not on a terminal, it needs --yes to go ahead: add --yes to the same command",
                plural(count)
            );
        }
        if !confirmed(count)? {
            writeln!(out, "nothing was forgotten")?;
            return Ok(());
        }
    }
    let report = store.take_action(&chosen, CardAction::Forget, ctx.clock.now())?;
    writeln!(out, "{}", described(CardAction::Forget, &report))?;
    Ok(())
}

/// The cards named by id, or those of the scope; an unknown id is an error with the
/// closest one.
fn chosen_cards<'a>(
    catalog: &'a Catalog,
    targets: &TargetArgs,
) -> anyhow::Result<Vec<ActionTarget<'a>>> {
    if targets.ids.is_empty() {
        let selection = targets.scope.scope().select(catalog)?;
        return Ok(selection
            .cards()
            .map(|(deck, card)| ActionTarget {
                card_id: &card.id,
                deck: &deck.name,
            })
            .collect());
    }
    let mut chosen: Vec<ActionTarget<'a>> = Vec::new();
    for id in &targets.ids {
        let Some((deck, card)) = catalog.card(id) else {
            bail!("{}", super::card::unknown_card(catalog, id));
        };
        if !chosen.iter().any(|target| *target.card_id == card.id) {
            chosen.push(ActionTarget {
                card_id: &card.id,
                deck: &deck.name,
            });
        }
    }
    Ok(chosen)
}

/// How many of the cards `forget` would change (the others are new already).
fn forgettable(store: &Store, chosen: &[ActionTarget<'_>]) -> anyhow::Result<usize> {
    let states = store.cards_by_id(chosen.iter().map(|target| target.card_id))?;
    Ok(states
        .iter()
        .filter(|card| CardAction::Forget.changes(&card.state))
        .count())
}

/// Asks on the terminal (stderr, a line of stdin); anything but yes is no.
fn confirmed(count: usize) -> anyhow::Result<bool> {
    let mut err = io::stderr().lock();
    write!(
        err,
        "Forget {count} card{}? {} start over as new; the review history is kept. [y/N] ",
        plural(count),
        if count == 1 { "It will" } else { "They will" }
    )?;
    err.flush()?;
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// What an action did, in one line.
fn described(action: CardAction, report: &ActionReport) -> String {
    let cards = |n: usize| format!("{n} card{}", plural(n));
    let done = match action {
        CardAction::Suspend => format!(
            "suspended {}: they are in no session until `lupus-quiz unsuspend`",
            cards(report.changed)
        ),
        CardAction::Unsuspend => format!(
            "unsuspended {}: they are back in your sessions",
            cards(report.changed)
        ),
        CardAction::Forget => format!(
            "forgot {}: they are new again, and their history is kept",
            cards(report.changed)
        ),
    };
    let done = if report.changed == 1 {
        done.replace("they are", "it is")
            .replace("their history", "its history")
    } else {
        done
    };
    if report.unchanged == 0 {
        return done;
    }
    let unchanged = match action {
        CardAction::Suspend => "already suspended",
        CardAction::Unsuspend => "not suspended",
        CardAction::Forget => "new already",
    };
    let verb = if report.unchanged == 1 { "was" } else { "were" };
    if report.changed == 0 {
        format!(
            "nothing changed: {} {verb} {unchanged}",
            cards(report.unchanged)
        )
    } else {
        format!("{done} ({} {verb} {unchanged})", cards(report.unchanged))
    }
}
