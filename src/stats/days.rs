//! Study days for statistics: which day a time belongs to, when a day starts, and the pure
//! arithmetic that turns the store's 15-minute buckets into per-day numbers and streaks.
//!
//! Days are those of the scheduler ([`crate::schedule::day_number_in`]): the local date of
//! the time minus the rollover hour. Every real time zone offset is a multiple of 15 minutes
//! and the rollover is a whole hour, so a day always starts on a bucket boundary and a
//! bucket belongs to exactly one day.

use std::collections::BTreeMap;
use std::ops::AddAssign;

use chrono::{DateTime, Datelike, Local, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use crate::schedule::day_number_in;
use crate::store::BUCKET_MS;

const HOUR_MS: i64 = 60 * 60 * 1000;
const DAY_MS: i64 = 24 * HOUR_MS;

/// Days from 0001-01-01 (chrono's "common era" day 1) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

/// The study-day calendar of the learner: rollover hour and time zone.
#[derive(Debug, Clone)]
pub struct Days<Tz: TimeZone = Local> {
    rollover_hour: u32,
    tz: Tz,
}

impl Days<Local> {
    /// The calendar of the system's time zone (`TZ` is respected), as the scheduler uses.
    pub fn local(rollover_hour: u32) -> Self {
        Days::new(rollover_hour, Local)
    }
}

impl<Tz: TimeZone> Days<Tz> {
    pub fn new(rollover_hour: u32, tz: Tz) -> Self {
        Days { rollover_hour, tz }
    }

    /// The study day (days since 1970-01-01) of a time in milliseconds.
    pub fn day_of_ms(&self, ms: i64) -> i64 {
        let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        self.day_of(at)
    }

    pub fn day_of(&self, at: DateTime<Utc>) -> i64 {
        day_number_in(at, self.rollover_hour, &self.tz)
    }

    /// The first millisecond of study day `day`. Found by bisecting 15-minute buckets rather
    /// than by converting a local time back to UTC, which is ambiguous or impossible around
    /// daylight-saving changes.
    pub fn start_ms(&self, day: i64) -> i64 {
        // Offsets lie within -12h..+14h and the rollover within 0..23h, so the day starts
        // strictly after `low` and no later than `high`.
        let base = day.saturating_mul(DAY_MS);
        let (mut low, mut high) = (
            (base - 15 * HOUR_MS).div_euclid(BUCKET_MS),
            (base + 36 * HOUR_MS).div_euclid(BUCKET_MS),
        );
        while high - low > 1 {
            let middle = low + (high - low) / 2;
            if self.day_of_ms(middle * BUCKET_MS) >= day {
                high = middle;
            } else {
                low = middle;
            }
        }
        high * BUCKET_MS
    }
}

/// The calendar date a day number stands for.
pub fn date_of(day: i64) -> NaiveDate {
    i32::try_from(day + UNIX_EPOCH_FROM_CE)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or_default()
}

/// Monday 0 … Sunday 6 (1970-01-01 was a Thursday).
pub fn weekday_of(day: i64) -> usize {
    date_of(day).weekday().num_days_from_monday() as usize
}

/// Sums bucketed values per study day.
pub fn per_day<T: AddAssign + Default>(
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
pub struct Streak {
    /// Days in the run that ends today, or yesterday when today has no review yet (as in
    /// Anki: the day is not over, so the streak is not broken).
    pub current: u32,
    /// The longest run ever.
    pub longest: u32,
}

/// The streaks of `active_days` (ascending, without duplicates) seen from `today`.
pub fn streak_of(active_days: &[i64], today: i64) -> Streak {
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
    use chrono::FixedOffset;

    use super::*;

    fn ms(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn a_day_starts_at_the_rollover_hour_of_the_local_clock() {
        let india = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
        let days = Days::new(4, india);
        let day = days.day_of_ms(ms("2026-03-10T12:00:00Z"));
        assert_eq!(date_of(day), NaiveDate::from_ymd_opt(2026, 3, 10).unwrap());
        // 04:00 in India (UTC+5:30) is 22:30 UTC the evening before.
        assert_eq!(days.start_ms(day), ms("2026-03-09T22:30:00Z"));
        assert_eq!(days.day_of_ms(days.start_ms(day) - 1), day - 1);
    }

    #[test]
    fn day_starts_for_extreme_offsets_and_rollovers() {
        for (offset_hours, rollover) in [(-12, 0), (14, 23), (0, 0), (-5, 23), (13, 4)] {
            let tz = FixedOffset::east_opt(offset_hours * 3600).unwrap();
            let days = Days::new(rollover, tz);
            for day in [0, 20_522, 20_523] {
                let start = days.start_ms(day);
                assert_eq!(days.day_of_ms(start), day, "{offset_hours} {rollover}");
                assert_eq!(
                    days.day_of_ms(start - 1),
                    day - 1,
                    "{offset_hours} {rollover}"
                );
            }
        }
    }

    #[test]
    fn weekdays_and_dates_of_day_numbers() {
        assert_eq!(weekday_of(0), 3, "1970-01-01 was a Thursday");
        let day = Days::new(0, Utc).day_of_ms(ms("2026-03-09T12:00:00Z"));
        assert_eq!(weekday_of(day), 0, "2026-03-09 is a Monday");
    }

    #[test]
    fn buckets_are_summed_per_day() {
        let days = Days::new(4, Utc);
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
