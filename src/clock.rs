//! The clock: real time, or a fixed starting instant from `LUPUS_QUIZ_NOW` that then runs
//! on with real elapsed time, so answers within one session still get increasing times.

use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};

/// The environment variable that sets the clock (RFC 3339).
pub const NOW_VAR: &str = "LUPUS_QUIZ_NOW";

#[derive(Debug, Clone)]
pub struct Clock {
    start: DateTime<Utc>,
    started: Instant,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Clock {
        Clock::starting_at(Utc::now())
    }

    /// A clock that reads `start` now and runs on from there.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock {
            start,
            started: Instant::now(),
        }
    }

    /// The clock the value of `LUPUS_QUIZ_NOW` asks for, or the system clock when it is
    /// unset or empty. The context reads the variable.
    pub fn from_now_var(value: Option<&str>) -> Result<Clock, String> {
        match value {
            Some(text) if !text.trim().is_empty() => {
                let at = parse_instant(text.trim()).map_err(|e| {
                    format!("{NOW_VAR}=`{text}` is not an RFC 3339 time ({e}); write it like 2026-03-01T09:00:00Z")
                })?;
                match out_of_range(at, Utc::now()) {
                    Some(problem) => Err(format!(
                        "{NOW_VAR}=`{text}`: {problem}; set it to a time from 1970 to tomorrow, or unset it"
                    )),
                    None => Ok(Clock::starting_at(at)),
                }
            }
            _ => Ok(Clock::system()),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = TimeDelta::from_std(self.started.elapsed()).unwrap_or(TimeDelta::zero());
        self.start + elapsed
    }
}

/// How far after now a review time may be: a day covers clocks set a little ahead and
/// every time zone mistake, and no more.
pub const MAX_AHEAD: TimeDelta = TimeDelta::days(1);

/// Why `at` cannot be the time of a review given by `now`, if it cannot: review times are
/// from 1970 to a day after now. Later times would freeze a card until then, and times
/// outside this range could be stored but not exported and imported again.
pub fn out_of_range(at: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    if at < DateTime::UNIX_EPOCH {
        Some(format!("{} is before 1970", format_instant(at)))
    } else if now
        .checked_add_signed(MAX_AHEAD)
        .is_some_and(|latest| at > latest)
    {
        Some(format!(
            "{} is more than a day after now ({})",
            format_instant(at),
            now.format("%Y-%m-%dT%H:%M:%SZ")
        ))
    } else {
        None
    }
}

/// Parses an RFC 3339 time, the format of `LUPUS_QUIZ_NOW` and of exported times.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc))
}

/// Formats a time as RFC 3339 in UTC with milliseconds, as stored and exported.
pub fn format_instant(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn review_times_run_from_1970_to_a_day_after_now() {
        let now = parse_instant("2026-03-01T09:00:00Z").unwrap();
        let at = |text: &str| parse_instant(text).unwrap();
        assert_eq!(out_of_range(at("1970-01-01T00:00:00Z"), now), None);
        assert_eq!(out_of_range(at("2026-03-02T09:00:00Z"), now), None);
        assert_eq!(
            out_of_range(at("1969-12-31T23:59:59Z"), now).unwrap(),
            "1969-12-31T23:59:59.000Z is before 1970"
        );
        assert_eq!(
            out_of_range(at("2026-03-02T09:00:00.001Z"), now).unwrap(),
            "2026-03-02T09:00:00.001Z is more than a day after now (2026-03-01T09:00:00Z)"
        );
    }
}
