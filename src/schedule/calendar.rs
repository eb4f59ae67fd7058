//! The study calendar: which study day an instant belongs to, and when a day starts.
//!
//! FSRS counts elapsed time in whole days, and so does the learner: a review at 1 a.m. after
//! an evening session belongs to the evening's day. Anki's rule captures both: a day starts
//! at the rollover hour of the *local* clock. The wall-clock time is shifted back by the
//! rollover hour before taking the date, rather than the UTC instant, so the day still starts
//! at exactly 4:00 local time on the days a daylight-saving change makes 23 or 25 hours long.

use std::fmt;
use std::sync::Arc;

use chrono::{
    DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, Offset, TimeDelta, TimeZone, Utc,
};

/// Days from 0001-01-01 (chrono's "common era" day 1) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

const SECONDS_PER_DAY: i64 = 24 * 60 * 60;

/// What the calendar needs of a time zone: the offset at an instant, and the first instant
/// a wall-clock time stands for. Every [`chrono::TimeZone`] has them.
pub trait ZoneRules: fmt::Debug + Send + Sync {
    fn offset_at(&self, utc: &NaiveDateTime) -> FixedOffset;
    /// The first instant at which the wall clock reads `local`; `None` in a gap (the hour
    /// a daylight-saving change skips).
    fn first_instant(&self, local: &NaiveDateTime) -> Option<DateTime<Utc>>;
}

impl<Tz> ZoneRules for Tz
where
    Tz: TimeZone + fmt::Debug + Send + Sync,
{
    fn offset_at(&self, utc: &NaiveDateTime) -> FixedOffset {
        self.offset_from_utc_datetime(utc).fix()
    }

    fn first_instant(&self, local: &NaiveDateTime) -> Option<DateTime<Utc>> {
        self.from_local_datetime(local)
            .earliest()
            .map(|at| at.with_timezone(&Utc))
    }
}

/// A time zone, as a cheap handle: chosen once where the program meets its environment
/// ([`Zone::system`], which honours `TZ`), and handed to everything that counts days.
#[derive(Debug, Clone)]
pub struct Zone(Arc<dyn ZoneRules>);

impl Zone {
    /// The system's time zone (`TZ` is respected).
    pub fn system() -> Zone {
        Zone::new(Local)
    }

    /// UTC: for tests, and for checks that do not depend on the day.
    pub fn utc() -> Zone {
        Zone::new(Utc)
    }

    pub fn new(rules: impl ZoneRules + 'static) -> Zone {
        Zone(Arc::new(rules))
    }
}

/// The learner's study days: the rollover hour and the time zone. The one calendar of the
/// program: the scheduler holds it, and queues, statistics and the optimizer are handed it.
#[derive(Debug, Clone)]
pub struct StudyCalendar {
    rollover_hour: u32,
    zone: Zone,
}

impl StudyCalendar {
    /// Rollover hours above 23 are treated as 23.
    pub fn new(rollover_hour: u32, zone: Zone) -> StudyCalendar {
        StudyCalendar {
            rollover_hour: rollover_hour.min(23),
            zone,
        }
    }

    pub fn rollover_hour(&self) -> u32 {
        self.rollover_hour
    }

    pub fn zone(&self) -> &Zone {
        &self.zone
    }

    /// The time zone's offset from UTC at `at`.
    pub fn offset_at(&self, at: DateTime<Utc>) -> FixedOffset {
        self.zone.0.offset_at(&at.naive_utc())
    }

    /// The study day of `at`: the calendar date of (local time − the rollover hour), as days
    /// since 1970-01-01.
    pub fn day_of(&self, at: DateTime<Utc>) -> i64 {
        // Counted in whole seconds rather than through `with_timezone(..).naive_local()`,
        // which panics when the offset pushes an extreme instant out of chrono's range (such
        // an instant keeps its UTC date), and is dearer: `stats` asks for 45,000 days.
        let utc = at.timestamp();
        let offset = i64::from(self.zone.0.offset_at(&at.naive_utc()).local_minus_utc());
        let shifted = utc + offset - i64::from(self.rollover_hour) * 3600;
        let in_range = (DateTime::<Utc>::MIN_UTC.timestamp()
            ..=DateTime::<Utc>::MAX_UTC.timestamp())
            .contains(&shifted);
        let seconds = if in_range { shifted } else { utc };
        seconds.div_euclid(SECONDS_PER_DAY)
    }

    /// The study day of a time in milliseconds since the epoch.
    pub fn day_of_ms(&self, ms: i64) -> i64 {
        let at = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
        self.day_of(at)
    }

    /// The first instant of study day `day`: the rollover hour of that local date (or the
    /// first existing moment after it, on a daylight-saving gap).
    pub fn day_start(&self, day: i64) -> DateTime<Utc> {
        let mut local = date_of(day)
            .and_hms_opt(self.rollover_hour, 0, 0)
            .expect("hours up to 23 exist");
        // A spring-forward gap skips at most a few hours; step until the wall clock exists.
        for _ in 0..8 {
            if let Some(instant) = self.zone.0.first_instant(&local) {
                return instant;
            }
            local += TimeDelta::minutes(15);
        }
        local.and_utc()
    }

    /// [`StudyCalendar::day_start`] in milliseconds since the epoch.
    pub fn start_ms(&self, day: i64) -> i64 {
        self.day_start(day).timestamp_millis()
    }

    /// Whole study days from `earlier` to `later`, as FSRS wants them: 0 on the same day,
    /// and 0 too when the clock went backwards, since a negative elapsed time means nothing
    /// to FSRS.
    pub fn days_between(&self, earlier: DateTime<Utc>, later: DateTime<Utc>) -> u32 {
        self.days_from(earlier, self.day_of(later))
    }

    /// [`StudyCalendar::days_between`] `earlier` and an instant of study day `day`.
    pub fn days_from(&self, earlier: DateTime<Utc>, day: i64) -> u32 {
        let days = day.saturating_sub(self.day_of(earlier));
        u32::try_from(days.max(0)).unwrap_or(u32::MAX)
    }
}

/// The calendar date a day number stands for.
pub fn date_of(day: i64) -> NaiveDate {
    day.checked_add(UNIX_EPOCH_FROM_CE)
        .and_then(|days| i32::try_from(days).ok())
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
fn days_since_epoch(date: NaiveDate) -> i64 {
    i64::from(chrono::Datelike::num_days_from_ce(&date)) - UNIX_EPOCH_FROM_CE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calendar<Tz: ZoneRules + Clone + 'static>(rollover_hour: u32, tz: &Tz) -> StudyCalendar {
        StudyCalendar::new(rollover_hour, Zone::new(tz.clone()))
    }

    fn day_number_in<Tz: ZoneRules + Clone + 'static>(
        at: DateTime<Utc>,
        rollover_hour: u32,
        tz: &Tz,
    ) -> i64 {
        calendar(rollover_hour, tz).day_of(at)
    }

    fn day_start_in<Tz: ZoneRules + Clone + 'static>(
        day: i64,
        rollover_hour: u32,
        tz: &Tz,
    ) -> DateTime<Utc> {
        calendar(rollover_hour, tz).day_start(day)
    }

    fn days_elapsed<Tz: ZoneRules + Clone + 'static>(
        earlier: DateTime<Utc>,
        later: DateTime<Utc>,
        rollover_hour: u32,
        tz: &Tz,
    ) -> u32 {
        calendar(rollover_hour, tz).days_between(earlier, later)
    }

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
        day_number_in(DateTime::<Utc>::MIN_UTC, 23, &Utc);
        days_elapsed(DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC, 4, &Utc);
        let calendar = calendar(4, &Utc);
        calendar.day_start(i64::MAX);
        calendar.day_start(i64::MIN);
    }

    fn ms(text: &str) -> i64 {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn a_day_starts_at_the_rollover_hour_of_the_local_clock_on_a_half_hour_offset() {
        let india = FixedOffset::east_opt(5 * 3600 + 1800).unwrap();
        let days = calendar(4, &india);
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
            let days = calendar(rollover, &tz);
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
}
