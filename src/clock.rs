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

    /// The clock `LUPUS_QUIZ_NOW` asks for, or the system clock when it is unset.
    pub fn from_env() -> Result<Clock, String> {
        match std::env::var(NOW_VAR) {
            Ok(text) if !text.trim().is_empty() => parse_instant(text.trim())
                .map(Clock::starting_at)
                .map_err(|e| {
                    format!("{NOW_VAR}=`{text}` is not an RFC 3339 time ({e}); write it like 2026-03-01T09:00:00Z")
                }),
            _ => Ok(Clock::system()),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let elapsed = TimeDelta::from_std(self.started.elapsed()).unwrap_or(TimeDelta::zero());
        self.start + elapsed
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
