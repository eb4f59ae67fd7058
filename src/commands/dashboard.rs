//! `lupus-quiz` without a command: what is due today and what to run next.

use std::io::Write;

use crate::commands::plan;
use crate::context::Context;
use crate::deck::Catalog;
use crate::session::{DeckCounts, OutOfRotation};
use crate::text::{truncate, visible_inline};

pub(crate) fn run(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let mut store = ctx.open_store_to_read()?;
    let (settings, scheduler) =
        ctx.settings_and_scheduler(&store, crate::commands::stats::STATS_NEEDS)?;
    let now = ctx.clock.now();
    let counts = DeckCounts::load(&mut store, &settings, scheduler.calendar(), now, &catalog)?;
    let width = crate::text::text_width(ctx.stdout_width);
    let title = "lupus-quiz: lupus and stem cell therapy (educational, not medical advice)";
    for line in crate::text::wrap(title, width) {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    write_decks(&catalog, &counts, width, out)?;
    write_suspended(counts.out_of_rotation, width, out)?;
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
    let first_with = |wanted: fn(&(usize, usize)) -> bool| {
        let mut decks = catalog.decks.iter().zip(&counts.decks);
        decks
            .find(|(_, counts)| wanted(counts))
            .map(|(deck, _)| deck.name.as_str())
    };
    let next = if counts.decks.iter().any(|(due, _)| *due > 0) {
        "lupus-quiz review".to_string()
    } else if let Some(deck) = first_with(|(_, new)| *new > 0).or(first_with(|(due, _)| *due > 0)) {
        format!("lupus-quiz study {deck}")
    } else {
        "nothing today; come back tomorrow, or try `lupus-quiz quiz hsct`".to_string()
    };
    for line in crate::text::wrap(&format!("Next: {next}"), width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The decks with their due and new cards; the columns fit `width`: deck titles are cut to
/// the room left.
fn write_decks(
    catalog: &Catalog,
    counts: &DeckCounts,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
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
    for (deck, (due, new)) in catalog.decks.iter().zip(&counts.decks) {
        let row = format!(
            "{:<name_width$} {:>5} {:>5}  {}",
            visible_inline(deck.name.as_str()),
            due,
            new,
            truncate(&visible_inline(&deck.title), title_room)
        );
        writeln!(out, "{}", row.trim_end())?;
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
