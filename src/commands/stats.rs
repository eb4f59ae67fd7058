//! `lupus-quiz stats`: progress at a glance, in the terminal or as JSON.

use std::io::Write;

use crate::cli::StatsArgs;
use crate::context::Context;
use crate::deck::Catalog;
use crate::schedule::Scheduler;
use crate::settings::Setting;
use crate::stats::sections::{Moments, SectionMastery, mastery, render_sections};
use crate::stats::{Layout, Options, Palette, Report, render};
use crate::store::Store;

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
    if args.by_section {
        return by_section(ctx, args, (&store, &catalog, &scheduler), out);
    }
    let options = Options {
        deck,
        forecast_days: days,
        now: ctx.clock.now(),
    };
    // One snapshot of the file for every number of the report, read under one lock.
    let report =
        store.in_one_read(|| Report::build(&store, &catalog, &settings, &scheduler, options))?;
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

/// The JSON form of `stats --by-section` (docs/json-output.md).
#[derive(serde::Serialize)]
struct SectionsJson<'a> {
    deck: Option<&'a str>,
    /// The date of the active goal (`lupus-quiz plan`), `YYYY-MM-DD`, or null.
    goal_date: Option<String>,
    sections: &'a [SectionMastery],
}

/// `stats --by-section`: mastery per section of the article.
fn by_section(
    ctx: &Context,
    args: &StatsArgs,
    (store, catalog, scheduler): (&Store, &Catalog, &Scheduler),
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let scope = deck_scope(catalog, args.deck.as_deref())?;
    let at = moments(ctx, store, scheduler)?;
    let sections = store.in_one_read(|| mastery(store, catalog, scope, scheduler, at))?;
    if args.json {
        let goal_date = store.goal()?.filter(|_| at.goal.is_some());
        let json = SectionsJson {
            deck: scope.map(|index| catalog.decks[index].name.as_str()),
            goal_date: goal_date.map(|goal| goal.date.to_string()),
            sections: &sections,
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
    } else {
        let layout = Layout::new(
            Palette::new(ctx.stdout_colour),
            ctx.stdout_width,
            args.plain,
        );
        render_sections(out, &sections, layout)?;
    }
    Ok(())
}

/// The catalog index of deck `name` (found as `stats --deck` finds it), or `None` for every
/// deck.
pub(crate) fn deck_scope(catalog: &Catalog, name: Option<&str>) -> anyhow::Result<Option<usize>> {
    let Some(name) = name else {
        return Ok(None);
    };
    let deck = catalog.find(name)?;
    Ok(catalog.index_of(&deck.name))
}

/// Now, and the goal's date while a goal (`lupus-quiz plan`) is active: what mastery per
/// section is counted at.
pub(crate) fn moments(
    ctx: &Context,
    store: &Store,
    scheduler: &Scheduler,
) -> anyhow::Result<Moments> {
    let now = ctx.clock.now();
    let calendar = scheduler.calendar();
    let goal = crate::session::LearnerGoal::load(store, calendar)?
        .map(|learner| learner.goal)
        .filter(|goal| !goal.ended(calendar.day_of(now)));
    Ok(Moments { now, goal })
}
