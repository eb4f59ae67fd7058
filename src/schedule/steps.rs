//! Learning steps, and the short duration labels shown to the learner.
//!
//! Steps are written the way Anki users know them (`1m 10m`, `30s 1h 1d`) in settings, and
//! intervals are shown the way Anki shows them on answer buttons (`10m`, `3d`, `1.5mo`).

use chrono::TimeDelta;

use super::ScheduleError;

const MINUTE: i64 = 60;
const HOUR: i64 = 60 * MINUTE;
const DAY: i64 = 24 * HOUR;
/// Anki's month and year for labels: 365/12 days and 365 days.
const MONTH: f64 = 30.417 * DAY as f64;
const YEAR: f64 = 365.0 * DAY as f64;
/// Longer steps are almost certainly a typo; intervals that long belong to FSRS.
const MAX_STEP_DAYS: i64 = 36_500;

/// Parses learning steps such as `1m 10m` or `30s, 1h, 1d`. An empty string means no steps,
/// which sends cards straight to review.
pub fn parse_steps(s: &str) -> Result<Vec<TimeDelta>, ScheduleError> {
    s.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|token| !token.is_empty())
        .map(parse_step)
        .collect()
}

fn parse_step(token: &str) -> Result<TimeDelta, ScheduleError> {
    let invalid = |reason: String| ScheduleError::InvalidStep {
        step: token.to_string(),
        reason,
    };
    let digits_end = token
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(token.len());
    let (number, unit) = token.split_at(digits_end);
    if number.is_empty() {
        return Err(invalid(
            "expected a whole number followed by a unit, such as `10m`".to_string(),
        ));
    }
    let unit_seconds = match unit {
        "s" => 1,
        "m" => MINUTE,
        "h" => HOUR,
        "d" => DAY,
        "" => {
            return Err(invalid(format!(
                "missing unit; write `{number}m` for minutes (units: s, m, h, d)"
            )));
        }
        _ if unit.starts_with('.') => {
            return Err(invalid(
                "use a whole number with a smaller unit, such as `90s` instead of `1.5m`"
                    .to_string(),
            ));
        }
        other => {
            return Err(invalid(format!("unknown unit `{other}`; use s, m, h or d")));
        }
    };
    let too_long = || invalid(format!("steps can be at most {MAX_STEP_DAYS} days"));
    let amount: i64 = number.parse().map_err(|_| too_long())?;
    if amount == 0 {
        return Err(invalid("a step must be longer than zero".to_string()));
    }
    let seconds = amount.checked_mul(unit_seconds).ok_or_else(too_long)?;
    if seconds > MAX_STEP_DAYS * DAY {
        return Err(too_long());
    }
    Ok(TimeDelta::seconds(seconds))
}

/// Writes steps back in the form [`parse_steps`] reads, each in the largest unit that
/// divides it exactly, so `parse_steps(&format_steps(x)) == x` for whole-second steps.
pub fn format_steps(steps: &[TimeDelta]) -> String {
    steps
        .iter()
        .map(|step| {
            let seconds = step.num_seconds();
            match seconds {
                s if s != 0 && s % DAY == 0 => format!("{}d", s / DAY),
                s if s != 0 && s % HOUR == 0 => format!("{}h", s / HOUR),
                s if s != 0 && s % MINUTE == 0 => format!("{}m", s / MINUTE),
                s => format!("{s}s"),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A short label for a waiting time, as on Anki's answer buttons: whole seconds, minutes,
/// hours or days, and one decimal for months and years where a whole number would be too
/// coarse. Negative durations read as `0s`.
pub fn format_interval(d: TimeDelta) -> String {
    let seconds = d.num_seconds().max(0);
    let secs = seconds as f64;
    if seconds < MINUTE {
        format!("{seconds}s")
    } else if seconds < HOUR {
        format!("{}m", (secs / MINUTE as f64).round())
    } else if seconds < DAY {
        format!("{}h", (secs / HOUR as f64).round())
    } else if secs < MONTH {
        format!("{}d", (secs / DAY as f64).round())
    } else if secs < YEAR {
        format!("{}mo", one_decimal(secs / MONTH))
    } else {
        format!("{}y", one_decimal(secs / YEAR))
    }
}

/// The wait until a due time, as [`format_interval`] writes it, rounded up to a whole
/// second: a 1m step answered a moment ago is still due "in 1m", not "in 59s".
pub fn format_wait(d: TimeDelta) -> String {
    let seconds = (d.num_milliseconds().max(0) + 999) / 1000;
    format_interval(TimeDelta::seconds(seconds))
}

fn one_decimal(x: f64) -> String {
    let text = format!("{x:.1}");
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// The delay for Hard in (re)learning. Anki repeats the current step, except on the first
/// step, where repeating 1m would feel the same as Again: there it waits halfway to the next
/// step, or 1.5× the only step (but no more than a day longer).
pub(crate) fn hard_delay(steps: &[TimeDelta], index: usize) -> TimeDelta {
    let Some(&current) = steps.get(index) else {
        return TimeDelta::zero();
    };
    if index > 0 {
        return current;
    }
    match steps.get(1) {
        Some(&next) => current
            .checked_add(&next)
            .map(|sum| sum / 2)
            .unwrap_or(current.max(next)),
        None => {
            let one_and_a_half = current.checked_add(&(current / 2)).unwrap_or(current);
            let one_day_more = current.checked_add(&TimeDelta::days(1)).unwrap_or(current);
            one_and_a_half.min(one_day_more)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn minutes(m: i64) -> TimeDelta {
        TimeDelta::minutes(m)
    }

    #[test]
    fn parses_steps_in_all_units() {
        assert_eq!(
            parse_steps("1m 10m").unwrap(),
            vec![minutes(1), minutes(10)]
        );
        assert_eq!(
            parse_steps(" 30s, 1h,1d ").unwrap(),
            vec![
                TimeDelta::seconds(30),
                TimeDelta::hours(1),
                TimeDelta::days(1)
            ]
        );
        assert_eq!(parse_steps("").unwrap(), vec![]);
        assert_eq!(parse_steps("   ").unwrap(), vec![]);
    }

    #[test]
    fn parse_errors_name_the_step_and_the_fix() {
        let message = |s: &str| parse_steps(s).unwrap_err().to_string();
        assert_eq!(
            message("1m 10"),
            "invalid step `10`: missing unit; write `10m` for minutes (units: s, m, h, d)"
        );
        assert_eq!(
            message("10x"),
            "invalid step `10x`: unknown unit `x`; use s, m, h or d"
        );
        assert_eq!(
            message("m"),
            "invalid step `m`: expected a whole number followed by a unit, such as `10m`"
        );
        assert_eq!(
            message("-5m"),
            "invalid step `-5m`: expected a whole number followed by a unit, such as `10m`"
        );
        assert_eq!(
            message("0m"),
            "invalid step `0m`: a step must be longer than zero"
        );
        assert_eq!(
            message("1.5m"),
            "invalid step `1.5m`: use a whole number with a smaller unit, such as `90s` instead of `1.5m`"
        );
        assert_eq!(
            message("99999999999999999999d"),
            "invalid step `99999999999999999999d`: steps can be at most 36500 days"
        );
        assert_eq!(
            message("36501d"),
            "invalid step `36501d`: steps can be at most 36500 days"
        );
    }

    #[test]
    fn formats_steps_in_the_largest_exact_unit() {
        let steps = vec![
            TimeDelta::seconds(30),
            TimeDelta::seconds(90),
            minutes(10),
            TimeDelta::hours(1),
            TimeDelta::days(2),
        ];
        assert_eq!(format_steps(&steps), "30s 90s 10m 1h 2d");
        assert_eq!(format_steps(&[]), "");
    }

    proptest! {
        #[test]
        fn steps_round_trip(seconds in prop::collection::vec(1i64..=MAX_STEP_DAYS * DAY, 0..6)) {
            let steps: Vec<_> = seconds.into_iter().map(TimeDelta::seconds).collect();
            prop_assert_eq!(parse_steps(&format_steps(&steps)).unwrap(), steps);
        }
    }

    #[test]
    fn interval_labels_follow_anki() {
        let label = |secs: i64| format_interval(TimeDelta::seconds(secs));
        assert_eq!(label(-5), "0s");
        assert_eq!(label(30), "30s");
        assert_eq!(label(60), "1m");
        assert_eq!(label(600), "10m");
        assert_eq!(label(330), "6m");
        assert_eq!(label(HOUR), "1h");
        assert_eq!(label(DAY), "1d");
        assert_eq!(label(3 * DAY), "3d");
        assert_eq!(label(30 * DAY), "30d");
        assert_eq!(label(45 * DAY), "1.5mo");
        assert_eq!(label(61 * DAY), "2mo");
        assert_eq!(label(365 * DAY), "1y");
        assert_eq!(label(767 * DAY), "2.1y");
        assert_eq!(format_wait(TimeDelta::milliseconds(59_990)), "1m");
        assert_eq!(format_wait(TimeDelta::milliseconds(1)), "1s");
        assert_eq!(format_wait(TimeDelta::milliseconds(-3)), "0s");
    }

    #[test]
    fn hard_repeats_the_step_except_on_the_first() {
        let two = [minutes(1), minutes(10)];
        assert_eq!(hard_delay(&two, 0), TimeDelta::seconds(330));
        assert_eq!(hard_delay(&two, 1), minutes(10));
        assert_eq!(hard_delay(&[minutes(10)], 0), minutes(15));
        // 1.5 × 3 days would add 36 hours; Anki caps the extra at one day.
        assert_eq!(hard_delay(&[TimeDelta::days(3)], 0), TimeDelta::days(4));
        assert_eq!(hard_delay(&[], 0), TimeDelta::zero());
    }
}
