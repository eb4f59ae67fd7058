//! `lupus-quiz` without a command: what is due today and what to run next.

use std::io::Write;

use crate::commands::plan;
use crate::context::Context;
use crate::session::{Limits, OutOfRotation, Scope, Snapshot};
use crate::text::{truncate, visible_inline};

pub(crate) fn run(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let store = ctx.open_store_to_read()?;
    let (settings, scheduler) =
        ctx.settings_and_scheduler(&store, crate::commands::stats::STATS_NEEDS)?;
    let now = ctx.clock.now();
    let index = catalog.card_index();
    let snapshot = Snapshot::load(
        &store,
        &settings,
        scheduler.calendar(),
        now,
        Scope::Overview(&index),
    )?;
    let width = crate::text::text_width(ctx.stdout_width);
    let title = "lupus-quiz: lupus and stem cell therapy (educational, not medical advice)";
    for line in crate::text::wrap(title, width) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    // The columns fit `width`: deck titles are cut to the room left.
    let name_width = catalog
        .decks
        .iter()
        .map(|deck| visible_inline(deck.name.as_str()).chars().count())
        .chain([12])
        .max()
        .unwrap_or(12);
    let title_room = width.saturating_sub(name_width + 14);
    writeln!(
        out,
        "{}",
        format!("{:<name_width$} {:>5} {:>5}  TITLE", "DECK", "DUE", "NEW").trim_end()
    )?;
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
        let row = format!(
            "{:<name_width$} {:>5} {:>5}  {}",
            visible_inline(deck.name.as_str()),
            due,
            new,
            truncate(&visible_inline(&deck.title), title_room)
        );
        writeln!(out, "{}", row.trim_end())?;
    }
    write_suspended(snapshot.out_of_rotation, width, out)?;
    writeln!(out)?;
    let streak = crate::stats::streak(&store, scheduler.calendar(), now)?;
    writeln!(
        out,
        "Streak: {} day{} (longest {})",
        streak.current,
        crate::text::plural(streak.current as usize),
        streak.longest
    )?;
    plan::write_goal_line(ctx, &store, &catalog, &scheduler, out)?;
    let next = if total_due > 0 {
        "lupus-quiz review".to_string()
    } else if let Some(deck) = first_with_new.or(first_with_due) {
        format!("lupus-quiz study {deck}")
    } else {
        "nothing today; come back tomorrow, or try `lupus-quiz quiz hsct`".to_string()
    };
    for line in crate::text::wrap(&format!("Next: {next}"), width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The cards out of rotation, those the learner suspended apart from leeches; nothing when
/// there are none.
fn write_suspended(
    out_of_rotation: OutOfRotation,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let OutOfRotation {
        by_learner: by_you,
        leeches,
    } = out_of_rotation;
    if by_you + leeches == 0 {
        return Ok(());
    }
    writeln!(out)?;
    let line = format!(
        "Suspended: {by_you} card{} by you, {leeches} leech{} (`lupus-quiz cards --state suspended`, `--state leech`; `lupus-quiz unsuspend ID` brings one back)",
        crate::text::plural(by_you),
        if leeches == 1 { "" } else { "es" }
    );
    for line in crate::text::wrap(&line, width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}
