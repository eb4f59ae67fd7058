//! `lupus-quiz` without a command: what is due today and what to run next.

use std::io::Write;

use crate::context::Context;
use crate::session::{Limits, OutOfRotation, Scope, Snapshot};

pub(crate) fn run(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let store = ctx.open_store_to_read()?;
    let settings = store.settings_for(crate::commands::stats::STATS_NEEDS)?;
    let scheduler = Context::scheduler(&settings)?;
    let now = ctx.clock.now();
    let index = catalog.card_index();
    let snapshot = Snapshot::load(
        &store,
        &settings,
        scheduler.calendar(),
        now,
        Scope::Overview(&index),
    )?;
    writeln!(
        out,
        "lupus-quiz: learn about lupus and stem cell therapy (educational, not medical advice)"
    )?;
    writeln!(out)?;
    writeln!(out, "{:<12} {:>5} {:>5}  TITLE", "DECK", "DUE", "NEW")?;
    let mut total_due = 0;
    let mut first_with_new = None;
    let mut first_with_due = None;
    for deck in &catalog.decks {
        let (due, new) = snapshot.study_counts(deck, Limits::default());
        total_due += due;
        if due > 0 && first_with_due.is_none() {
            first_with_due = Some(deck.name.as_str());
        }
        if new > 0 && first_with_new.is_none() {
            first_with_new = Some(deck.name.as_str());
        }
        writeln!(
            out,
            "{:<12} {:>5} {:>5}  {}",
            deck.name, due, new, deck.title
        )?;
    }
    write_suspended(snapshot.out_of_rotation, out)?;
    writeln!(out)?;
    let streak = crate::stats::streak(&store, scheduler.calendar(), now)?;
    writeln!(
        out,
        "Streak: {} day{} (longest {})",
        streak.current,
        crate::text::plural(streak.current as usize),
        streak.longest
    )?;
    let next = if total_due > 0 {
        "lupus-quiz review".to_string()
    } else if let Some(deck) = first_with_new.or(first_with_due) {
        format!("lupus-quiz study {deck}")
    } else {
        "nothing today; come back tomorrow, or try `lupus-quiz quiz hsct`".to_string()
    };
    writeln!(out, "Next: {next}")?;
    Ok(())
}

/// The cards out of rotation, those the learner suspended apart from leeches; nothing when
/// there are none.
fn write_suspended(out_of_rotation: OutOfRotation, out: &mut dyn Write) -> anyhow::Result<()> {
    let OutOfRotation {
        by_learner: by_you,
        leeches,
    } = out_of_rotation;
    if by_you + leeches == 0 {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "Suspended: {by_you} card{} by you, {leeches} leech{} (`lupus-quiz cards --state suspended`, `--state leech`; `lupus-quiz unsuspend ID` brings one back)",
        crate::text::plural(by_you),
        if leeches == 1 { "" } else { "es" }
    )?;
    Ok(())
}
