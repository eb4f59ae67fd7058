//! Day numbers: which study day an instant belongs to.
//!
//! FSRS counts elapsed time in whole days, and so does the learner: a review at 1 a.m. after
//! an evening session belongs to the evening's day. Anki's rule captures both: a day starts
//! at the rollover hour of the *local* clock. The wall-clock time is shifted back by the
//! rollover hour before taking the date, rather than the UTC instant, so the day still starts
//! at exactly 4:00 local time on the days a daylight-saving change makes 23 or 25 hours long.

use chrono::{DateTime, Datelike, Local, NaiveDate, Offset, TimeDelta, TimeZone, Utc};

/// Days from 0001-01-01 (chrono's "common era" day 1) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

/// The study day of `at` in the system's time zone (`TZ` is respected), as days since
/// 1970-01-01.
pub fn day_number(at: DateTime<Utc>, rollover_hour: u32) -> i64 {
    day_number_in(at, rollover_hour, &Local)
}

/// The study day of `at` in `tz`: the calendar date of (local time − `rollover_hour` hours),
/// as days since 1970-01-01. Rollover hours above 23 are treated as 23.
pub fn day_number_in<Tz: TimeZone>(at: DateTime<Utc>, rollover_hour: u32, tz: &Tz) -> i64 {
    // Computed by hand rather than with `with_timezone(..).naive_local()`, which panics when
    // the offset pushes an extreme instant out of chrono's range.
    let utc = at.naive_utc();
    let offset = TimeDelta::seconds(i64::from(
        tz.offset_from_utc_datetime(&utc).fix().local_minus_utc(),
    ));
    let rollover = TimeDelta::hours(i64::from(rollover_hour.min(23)));
    let shifted = utc.checked_add_signed(offset - rollover).unwrap_or(utc);
    days_since_epoch(shifted.date())
}

/// The first instant of study day `day` in the system's time zone: the rollover hour of
/// that local date (or the first existing moment after it, on a daylight-saving gap).
pub fn day_start(day: i64, rollover_hour: u32) -> DateTime<Utc> {
    day_start_in(day, rollover_hour, &Local)
}

/// [`day_start`] in an explicit time zone.
pub fn day_start_in<Tz: TimeZone>(day: i64, rollover_hour: u32, tz: &Tz) -> DateTime<Utc> {
    let date = i32::try_from(day + UNIX_EPOCH_FROM_CE)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(NaiveDate::MIN);
    let mut local = date
        .and_hms_opt(rollover_hour.min(23), 0, 0)
        .expect("hours up to 23 exist");
    // A spring-forward gap skips at most a few hours; step until the wall clock exists.
    for _ in 0..4 {
        if let Some(instant) = tz.from_local_datetime(&local).earliest() {
            return instant.with_timezone(&Utc);
        }
        local += TimeDelta::minutes(30);
    }
    local.and_utc()
}

fn days_since_epoch(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_FROM_CE
}

/// Whole study days from `earlier` to `later`, as FSRS wants them: 0 on the same day, and 0
/// too when the clock went backwards, since a negative elapsed time means nothing to FSRS.
pub(crate) fn days_elapsed<Tz: TimeZone>(
    earlier: DateTime<Utc>,
    later: DateTime<Utc>,
    rollover_hour: u32,
    tz: &Tz,
) -> u32 {
    let days = day_number_in(later, rollover_hour, tz) - day_number_in(earlier, rollover_hour, tz);
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_starts_at_the_rollover_hour_and_contains_its_start() {
        let tz = chrono::FixedOffset::east_opt(-5 * 3600).unwrap();
        let start = day_start_in(20_000, 4, &tz);
        assert_eq!(start.to_rfc3339(), "2024-10-04T09:00:00+00:00");
        assert_eq!(day_number_in(start, 4, &tz), 20_000);
        assert_eq!(
            day_number_in(start - TimeDelta::milliseconds(1), 4, &tz),
            19_999
        );
    }
    use chrono::{FixedOffset, LocalResult, NaiveDateTime};

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn date_number(y: i32, m: u32, d: u32) -> i64 {
        days_since_epoch(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    /// US Eastern time for 2026 only: EST (−5) until 2026-03-08 07:00 UTC, EDT (−4) until
    /// 2026-11-01 06:00 UTC. chrono-tz is not a dependency, and setting `TZ` inside a
    /// multi-threaded test run is unsound, so the DST switch is modelled here.
    #[derive(Debug, Clone, Copy)]
    struct Eastern2026;

    impl Eastern2026 {
        fn offset_at(utc: &NaiveDateTime) -> FixedOffset {
            let start = NaiveDate::from_ymd_opt(2026, 3, 8)
                .unwrap()
                .and_hms_opt(7, 0, 0)
                .unwrap();
            let end = NaiveDate::from_ymd_opt(2026, 11, 1)
                .unwrap()
                .and_hms_opt(6, 0, 0)
                .unwrap();
            let hours = if *utc >= start && *utc < end { -4 } else { -5 };
            FixedOffset::east_opt(hours * 3600).unwrap()
        }
    }

    impl TimeZone for Eastern2026 {
        type Offset = FixedOffset;

        fn from_offset(_: &FixedOffset) -> Self {
            Eastern2026
        }

        fn offset_from_local_date(&self, _: &NaiveDate) -> LocalResult<FixedOffset> {
            unimplemented!("not needed by day_number_in")
        }

        fn offset_from_local_datetime(&self, _: &NaiveDateTime) -> LocalResult<FixedOffset> {
            unimplemented!("not needed by day_number_in")
        }

        fn offset_from_utc_date(&self, utc: &NaiveDate) -> FixedOffset {
            Self::offset_at(&utc.and_hms_opt(0, 0, 0).unwrap())
        }

        fn offset_from_utc_datetime(&self, utc: &NaiveDateTime) -> FixedOffset {
            Self::offset_at(utc)
        }
    }

    #[test]
    fn epoch_is_day_zero() {
        assert_eq!(day_number_in(utc("1970-01-01T12:00:00Z"), 0, &Utc), 0);
        assert_eq!(day_number_in(utc("1970-01-01T03:00:00Z"), 4, &Utc), -1);
    }

    #[test]
    fn day_starts_at_the_rollover_hour() {
        let paris = FixedOffset::east_opt(3600).unwrap();
        // 03:59 local is still the previous day; 04:00 local starts the new one.
        assert_eq!(
            day_number_in(utc("2026-03-01T02:59:59+00:00"), 4, &paris),
            date_number(2026, 2, 28)
        );
        assert_eq!(
            day_number_in(utc("2026-03-01T03:00:00+00:00"), 4, &paris),
            date_number(2026, 3, 1)
        );
        // Rollover 0 is plain calendar dates.
        assert_eq!(
            day_number_in(utc("2026-02-28T23:30:00+00:00"), 0, &paris),
            date_number(2026, 3, 1)
        );
    }

    #[test]
    fn local_date_not_utc_date_decides() {
        let tokyo = FixedOffset::east_opt(9 * 3600).unwrap();
        let new_york_winter = FixedOffset::west_opt(5 * 3600).unwrap();
        let at = utc("2026-03-01T20:00:00Z");
        assert_eq!(day_number_in(at, 4, &tokyo), date_number(2026, 3, 2));
        assert_eq!(
            day_number_in(at, 4, &new_york_winter),
            date_number(2026, 3, 1)
        );
    }

    #[test]
    fn rollover_stays_at_local_4am_across_dst_start() {
        let tz = Eastern2026;
        // Saturday 7 March, before the change (EST, −5).
        assert_eq!(
            day_number_in(utc("2026-03-07T08:59:00Z"), 4, &tz),
            date_number(2026, 3, 6)
        );
        assert_eq!(
            day_number_in(utc("2026-03-07T09:00:00Z"), 4, &tz),
            date_number(2026, 3, 7)
        );
        // Sunday 8 March, clocks went forward at 2:00: 4:00 EDT is 08:00 UTC.
        assert_eq!(
            day_number_in(utc("2026-03-08T07:59:00Z"), 4, &tz),
            date_number(2026, 3, 7)
        );
        assert_eq!(
            day_number_in(utc("2026-03-08T08:00:00Z"), 4, &tz),
            date_number(2026, 3, 8)
        );
        // 23 real hours apart (05:00 EST Saturday → 05:00 EDT Sunday), still one day apart.
        assert_eq!(
            days_elapsed(
                utc("2026-03-07T10:00:00Z"),
                utc("2026-03-08T09:00:00Z"),
                4,
                &tz
            ),
            1
        );
    }

    #[test]
    fn rollover_stays_at_local_4am_across_dst_end() {
        let tz = Eastern2026;
        // Sunday 1 November, clocks went back at 2:00: 4:00 EST is 09:00 UTC.
        assert_eq!(
            day_number_in(utc("2026-11-01T08:59:00Z"), 4, &tz),
            date_number(2026, 10, 31)
        );
        assert_eq!(
            day_number_in(utc("2026-11-01T09:00:00Z"), 4, &tz),
            date_number(2026, 11, 1)
        );
        // 25 real hours from 03:30 EDT Saturday to 03:30 EST Sunday: both before rollover.
        assert_eq!(
            days_elapsed(
                utc("2026-10-31T07:30:00Z"),
                utc("2026-11-01T08:30:00Z"),
                4,
                &tz
            ),
            1
        );
    }

    #[test]
    fn days_elapsed_is_zero_on_the_same_day_and_when_time_goes_backwards() {
        let a = utc("2026-03-01T10:00:00Z");
        let b = utc("2026-03-02T03:00:00Z");
        assert_eq!(days_elapsed(a, b, 4, &Utc), 0);
        assert_eq!(days_elapsed(a, b, 0, &Utc), 1);
        assert_eq!(days_elapsed(b, a, 0, &Utc), 0);
    }

    #[test]
    fn extreme_instants_do_not_panic() {
        day_number_in(DateTime::<Utc>::MIN_UTC, 4, &Utc);
        day_number_in(DateTime::<Utc>::MAX_UTC, 4, &Utc);
        day_number(DateTime::<Utc>::MIN_UTC, 23);
        days_elapsed(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC, 4, &Utc);
    }
}
