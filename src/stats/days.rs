//! The pure arithmetic that turns the store's 15-minute buckets into per-day numbers and
//! streaks.
//!
//! Days are those of the scheduler's [`crate::schedule::StudyCalendar`]: the local date of
//! the time minus the rollover hour. Every real time zone offset is a multiple of 15 minutes
//! and the rollover is a whole hour, so a day always starts on a bucket boundary and a
//! bucket belongs to exactly one day.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use chrono::Datelike;
use serde::Serialize;

use crate::schedule::date_of;

/// Monday 0 … Sunday 6 (1970-01-01 was a Thursday).
pub(crate) fn weekday_of(day: i64) -> usize {
    date_of(day).weekday().num_days_from_monday() as usize
}

/// Sums bucketed values per study day.
pub(crate) fn per_day<T: AddAssign + Default>(
    buckets: impl IntoIterator<Item = (i64, T)>,
    day_of_ms: impl Fn(i64) -> i64,
) -> BTreeMap<i64, T> {
    let mut days: BTreeMap<i64, T> = BTreeMap::new();
    for (start_ms, value) in buckets {
        *days.entry(day_of_ms(start_ms)).or_default() += value;
    }
    days
}

/// Runs of consecutive days with at least one review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Streak {
    /// Days in the run that ends today, or yesterday when today has no review yet (as in
    /// Anki: the day is not over, so the streak is not broken).
    pub current: u32,
    /// The longest run ever.
    pub longest: u32,
}

/// The streaks of `active_days` (ascending, without duplicates) seen from `today`.
pub(crate) fn streak_of(active_days: &[i64], today: i64) -> Streak {
    let mut longest = 0;
    let mut run = 0;
    let mut previous: Option<i64> = None;
    for &day in active_days.iter().filter(|&&day| day <= today) {
        run = if previous == Some(day - 1) {
            run + 1
        } else {
            1
        };
        longest = longest.max(run);
        previous = Some(day);
    }
    let current = match previous {
        Some(last) if last >= today - 1 => run,
        _ => 0,
    };
    Streak { current, longest }
}

#[cfg(test)]
mod tests {
    use chrono::DateTime;

    use super::*;
    use crate::schedule::{StudyCalendar, Zone};

    fn ms(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn weekdays_and_dates_of_day_numbers() {
        assert_eq!(weekday_of(0), 3, "1970-01-01 was a Thursday");
        let day = StudyCalendar::new(0, Zone::utc()).day_of_ms(ms("2026-03-09T12:00:00Z"));
        assert_eq!(weekday_of(day), 0, "2026-03-09 is a Monday");
    }

    #[test]
    fn buckets_are_summed_per_day() {
        let days = StudyCalendar::new(4, Zone::utc());
        let buckets = [
            (ms("2026-03-09T03:45:00Z"), 2u64),
            (ms("2026-03-09T04:00:00Z"), 3),
            (ms("2026-03-10T03:45:00Z"), 5),
        ];
        let summed = per_day(buckets, |start| days.day_of_ms(start));
        let values: Vec<u64> = summed.values().copied().collect();
        assert_eq!(values, vec![2, 8], "03:45 belongs to the day before");
    }

    #[test]
    fn streaks_count_today_or_yesterday_as_current() {
        let active = [1, 2, 3, 5, 6, 9, 10];
        assert_eq!(
            streak_of(&active, 10),
            Streak {
                current: 2,
                longest: 3
            }
        );
        assert_eq!(streak_of(&active, 11).current, 2, "today not studied yet");
        assert_eq!(streak_of(&active, 12).current, 0, "yesterday missed");
        assert_eq!(streak_of(&[], 5), Streak::default());
        assert_eq!(
            streak_of(&active, 6),
            Streak {
                current: 2,
                longest: 3
            },
            "days after today are ignored"
        );
    }
}
