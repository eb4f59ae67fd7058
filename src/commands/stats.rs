//! `lupus-quiz stats`: progress at a glance, in the terminal or as JSON.

use std::io::Write;

use crate::cli::StatsArgs;
use crate::context::Context;
use crate::settings::Setting;
use crate::stats::{Layout, Options, Palette, Report, render};

/// The settings `stats` and the dashboard read: the study day, the daily limits, and what
/// predicted recall needs.
pub(crate) const STATS_NEEDS: &[Setting] = &[
    Setting::RolloverHour,
    Setting::NewPerDay,
    Setting::ReviewsPerDay,
    Setting::DesiredRetention,
    Setting::Parameters,
];

pub(crate) fn run(ctx: &Context, args: &StatsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (deck, json, plain, days) = (args.deck.as_deref(), args.json, args.plain, args.days);
    let catalog = ctx.load_catalog()?;
    // A deck name that is not in the catalog is an error naming the closest one, not an
    // empty report that looks like no progress.
    if let Some(name) = deck {
        catalog.find(name)?;
    }
    let store = ctx.open_store_to_read()?;
    let (settings, scheduler) = ctx.settings_and_scheduler(&store, STATS_NEEDS)?;
    let options = Options {
        deck,
        forecast_days: days,
    };
    let now = ctx.clock.now();
    // One snapshot of the file for every number of the report, read under one lock.
    let report = store
        .in_one_read(|| Report::build(&store, &catalog, &settings, &scheduler, options, now))?;
    if json {
        // Serialised first, so a closed pipe surfaces as the io::Error `run` stays quiet about.
        let text = serde_json::to_string_pretty(&report)?;
        writeln!(out, "{text}")?;
    } else {
        let layout = Layout::new(Palette::new(ctx.stdout_colour), ctx.stdout_width, plain);
        render(out, &report, layout)?;
    }
    Ok(())
}
