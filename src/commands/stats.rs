//! `lupus-quiz stats`: progress at a glance, in the terminal or as JSON.

use std::io::Write;

use anyhow::bail;

use crate::context::Context;
use crate::deck::Catalog;
use crate::stats::{Days, Options, Palette, Report, render};

/// The settings `stats` and the dashboard read: the study day, the daily limits, and what
/// predicted recall needs.
pub const STATS_NEEDS: &[&str] = &[
    "rollover_hour",
    "new_per_day",
    "reviews_per_day",
    "desired_retention",
    "parameters",
];

pub fn run(
    ctx: &Context,
    deck: Option<&str>,
    json: bool,
    days: u32,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    if let Some(name) = deck {
        ensure_deck_exists(&catalog, name)?;
    }
    let store = ctx.open_store_to_read()?;
    let settings = store.settings_for(STATS_NEEDS)?;
    let scheduler = Context::scheduler(&settings)?;
    let options = Options {
        deck,
        forecast_days: days,
    };
    let calendar = Days::local(settings.rollover_hour);
    let now = ctx.clock.now();
    let report = Report::build(
        &store, &catalog, &settings, &scheduler, options, &calendar, now,
    )?;
    if json {
        // Serialised first, so a closed pipe surfaces as the io::Error `run` stays quiet about.
        let text = serde_json::to_string_pretty(&report)?;
        writeln!(out, "{text}")?;
    } else {
        render(out, &report, Palette::for_stdout())?;
    }
    Ok(())
}

/// A deck name that is not in the catalog is an error naming the closest one, not an empty
/// report that looks like no progress.
fn ensure_deck_exists(catalog: &Catalog, name: &str) -> anyhow::Result<()> {
    if catalog.deck(name).is_some() {
        return Ok(());
    }
    let names = catalog.deck_names();
    let suggestion = crate::text::closest(name, &names)
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    bail!("no deck named `{name}`{suggestion}; `lupus-quiz decks` lists them")
}
