//! Statistics: aggregates from the store, and their rendering for the terminal and JSON.
//!
//! `days` turns the store's 15-minute buckets into study days and streaks, `census` counts the card states in one pass, `report` gathers
//! everything `stats` shows (the JSON form), and `render` draws it for the terminal in the
//! `layout` of its width. `sections` counts mastery per section of the article.

mod census;
pub(crate) mod days;
mod layout;
mod render;
pub(crate) mod report;
pub(crate) mod sections;

use chrono::{DateTime, Utc};

use crate::schedule::StudyCalendar;
use crate::store::Store;

pub(crate) use census::MATURE_DAYS;
pub(crate) use days::Streak;
pub(crate) use layout::{Layout, Palette};
pub(crate) use render::render;
pub(crate) use report::{Options, Report};

/// The learner's current and longest streak of study days (all decks), for dashboards.
pub(crate) fn streak(
    store: &Store,
    calendar: &StudyCalendar,
    now: DateTime<Utc>,
) -> anyhow::Result<Streak> {
    let today = calendar.day_of(now);
    let active = report::active_days(store, calendar, today, None)?;
    Ok(days::streak_of(&active, today))
}
