//! `lupus-quiz due`: how many cards are due now, for a shell prompt, a cron job or a timer.
//! Like `grep -q`, its exit status says it: 0 when something is due, 1 when nothing is.

use std::io::Write;

use crate::cli::DueArgs;
use crate::context::Context;
use crate::error::NothingDue;
use crate::schedule::DueRule;
use crate::text::plural;

pub(crate) fn run(ctx: &Context, args: &DueArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let quiet = args.quiet;
    let catalog = ctx.load_catalog()?;
    let store = ctx.open_store_to_read()?;
    let (_, scheduler) = ctx.settings_and_scheduler(&store, crate::commands::stats::STATS_NEEDS)?;
    let rule = DueRule::at(ctx.clock.now(), scheduler.calendar());
    let names: Vec<&str> = catalog
        .decks
        .iter()
        .map(|deck| deck.name.as_str())
        .collect();
    let due = store.due_count_in(&names, &rule)?;
    if due == 0 {
        if !quiet {
            writeln!(out, "No cards due.")?;
        }
        out.flush()?;
        return Err(NothingDue.into());
    }
    if !quiet {
        writeln!(out, "{due} card{} due: run lupus-quiz review", plural(due))?;
    }
    Ok(())
}
