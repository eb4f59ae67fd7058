//! The learner's settings: names, defaults, validation and conversion to the scheduler's
//! configuration. The store keeps them as text; this module alone knows what they mean.

use std::fmt;

use chrono::TimeDelta;

use crate::schedule::{SchedulerConfig, format_steps, parse_steps};

/// Every setting, with its value (defaults until the learner changes one).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub desired_retention: f32,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    pub rollover_hour: u32,
    pub learning_steps: Vec<TimeDelta>,
    pub relearning_steps: Vec<TimeDelta>,
    pub max_interval_days: u32,
    pub leech_threshold: u32,
    /// The longest time one answer counts for, in seconds (Anki's "maximum answer
    /// seconds"): a card left on screen during lunch is not 40 minutes of study.
    pub max_answer_seconds: u32,
    /// The 21 FSRS-6 parameters: the defaults until `lupus-quiz optimize` fits them.
    pub parameters: Vec<f32>,
}

impl Default for Settings {
    fn default() -> Self {
        let scheduler = SchedulerConfig::default();
        Settings {
            desired_retention: scheduler.desired_retention,
            new_per_day: 10,
            reviews_per_day: 200,
            rollover_hour: scheduler.rollover_hour,
            learning_steps: scheduler.learning_steps,
            relearning_steps: scheduler.relearning_steps,
            max_interval_days: scheduler.max_interval_days,
            leech_threshold: scheduler.leech_threshold,
            max_answer_seconds: 60,
            parameters: scheduler.parameters,
        }
    }
}

/// A setting's name, what it means, and whether changing it changes schedules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SettingKey {
    pub name: &'static str,
    pub help: &'static str,
    /// Changing it changes when cards are due, so card states are replayed.
    pub affects_schedule: bool,
    /// Set by a command (`optimize`) rather than by `config KEY VALUE`.
    pub managed: bool,
}

pub const KEYS: &[SettingKey] = &[
    SettingKey {
        name: "desired_retention",
        help: "the chance of recall intervals aim for, 0.70 to 0.99",
        affects_schedule: true,
        managed: false,
    },
    SettingKey {
        name: "new_per_day",
        help: "new cards a day, per deck",
        affects_schedule: false,
        managed: false,
    },
    SettingKey {
        name: "reviews_per_day",
        help: "reviews a day, across all decks",
        affects_schedule: false,
        managed: false,
    },
    SettingKey {
        name: "rollover_hour",
        help: "local hour a new study day starts, 0 to 23",
        affects_schedule: true,
        managed: false,
    },
    SettingKey {
        name: "learning_steps",
        help: "waits between answers of a new card, e.g. `1m 10m`",
        affects_schedule: true,
        managed: false,
    },
    SettingKey {
        name: "relearning_steps",
        help: "waits between answers of a forgotten card, e.g. `10m`",
        affects_schedule: true,
        managed: false,
    },
    SettingKey {
        name: "max_interval_days",
        help: "the longest interval, in days",
        affects_schedule: true,
        managed: false,
    },
    SettingKey {
        name: "leech_threshold",
        help: "lapses after which a card is suspended as a leech",
        affects_schedule: true,
        managed: false,
    },
    SettingKey {
        name: "max_answer_seconds",
        help: "the longest time one answer counts for, 1 to 3600 seconds",
        affects_schedule: false,
        managed: false,
    },
    SettingKey {
        name: "parameters",
        help: "the 21 FSRS parameters, fitted by `lupus-quiz optimize`",
        affects_schedule: true,
        managed: true,
    },
];

/// A setting value that cannot be used, with what to write instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingError {
    #[error("unknown setting `{name}`{}; run `lupus-quiz config` to list them", suggestion.map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
    UnknownKey {
        name: String,
        suggestion: Option<&'static str>,
    },
    #[error("`{key}` cannot be `{value}`: {reason}")]
    InvalidValue {
        key: &'static str,
        value: String,
        reason: String,
    },
    #[error(
        "`{key}` is set by `lupus-quiz optimize` (and reset with `optimize --reset`), not by hand"
    )]
    Managed { key: &'static str },
}

impl SettingKey {
    pub fn find(name: &str) -> Result<&'static SettingKey, SettingError> {
        KEYS.iter().find(|key| key.name == name).ok_or_else(|| {
            let names: Vec<&'static str> = KEYS.iter().map(|k| k.name).collect();
            SettingError::UnknownKey {
                name: name.to_string(),
                suggestion: crate::text::closest(name, &names),
            }
        })
    }
}

fn invalid(key: &'static str, value: &str, reason: impl fmt::Display) -> SettingError {
    SettingError::InvalidValue {
        key,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

fn whole_number(key: &'static str, value: &str, min: u32, max: u32) -> Result<u32, SettingError> {
    let number: u32 = value.trim().parse().map_err(|_| {
        invalid(
            key,
            value,
            format!("write a whole number from {min} to {max}"),
        )
    })?;
    if !(min..=max).contains(&number) {
        return Err(invalid(
            key,
            value,
            format!("write a whole number from {min} to {max}"),
        ));
    }
    Ok(number)
}

impl Settings {
    /// Sets one setting from its text form, validating it.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), SettingError> {
        let key = SettingKey::find(name)?;
        self.set_key(key, value)
    }

    /// Like [`Settings::set`], but also for managed settings (used when loading and importing).
    pub fn set_key(&mut self, key: &SettingKey, value: &str) -> Result<(), SettingError> {
        let name = key.name;
        match name {
            "desired_retention" => {
                let retention: f32 = value
                    .trim()
                    .parse()
                    .map_err(|_| invalid(name, value, "write a number from 0.70 to 0.99"))?;
                if !(0.70..=0.99).contains(&retention) {
                    return Err(invalid(name, value, "write a number from 0.70 to 0.99"));
                }
                self.desired_retention = retention;
            }
            "new_per_day" => self.new_per_day = whole_number(name, value, 0, 9999)?,
            "reviews_per_day" => self.reviews_per_day = whole_number(name, value, 0, 99_999)?,
            "rollover_hour" => self.rollover_hour = whole_number(name, value, 0, 23)?,
            "max_interval_days" => self.max_interval_days = whole_number(name, value, 1, 36_500)?,
            "leech_threshold" => self.leech_threshold = whole_number(name, value, 1, 99)?,
            "max_answer_seconds" => {
                self.max_answer_seconds = whole_number(name, value, 1, 3600)?;
            }
            "learning_steps" | "relearning_steps" => {
                let steps = if value.trim().is_empty() {
                    Vec::new()
                } else {
                    parse_steps(value).map_err(|e| invalid(name, value, e))?
                };
                if name == "learning_steps" {
                    self.learning_steps = steps;
                } else {
                    self.relearning_steps = steps;
                }
            }
            "parameters" => {
                let parameters = value
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|part| !part.is_empty())
                    .map(|part| part.parse::<f32>())
                    .collect::<Result<Vec<f32>, _>>()
                    .map_err(|_| invalid(name, value, "write 21 numbers separated by commas"))?;
                let mut candidate = self.scheduler_config();
                candidate.parameters = parameters.clone();
                crate::schedule::Scheduler::new(candidate).map_err(|e| invalid(name, value, e))?;
                self.parameters = parameters;
            }
            _ => unreachable!("every key in KEYS is handled"),
        }
        Ok(())
    }

    /// Sets a setting by hand (`config KEY VALUE`): managed ones are refused.
    pub fn set_by_user(
        &mut self,
        name: &str,
        value: &str,
    ) -> Result<&'static SettingKey, SettingError> {
        let key = SettingKey::find(name)?;
        if key.managed {
            return Err(SettingError::Managed { key: key.name });
        }
        self.set_key(key, value)?;
        Ok(key)
    }

    /// The text form of a setting, as stored and shown.
    pub fn get(&self, name: &str) -> Option<String> {
        Some(match name {
            "desired_retention" => self.desired_retention.to_string(),
            "new_per_day" => self.new_per_day.to_string(),
            "reviews_per_day" => self.reviews_per_day.to_string(),
            "rollover_hour" => self.rollover_hour.to_string(),
            "learning_steps" => format_steps(&self.learning_steps),
            "relearning_steps" => format_steps(&self.relearning_steps),
            "max_interval_days" => self.max_interval_days.to_string(),
            "leech_threshold" => self.leech_threshold.to_string(),
            "max_answer_seconds" => self.max_answer_seconds.to_string(),
            "parameters" => self
                .parameters
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            _ => return None,
        })
    }

    /// The longest time one answer is recorded as taking.
    pub fn max_answer_time(&self) -> TimeDelta {
        TimeDelta::seconds(i64::from(self.max_answer_seconds))
    }

    pub fn scheduler_config(&self) -> SchedulerConfig {
        SchedulerConfig {
            parameters: self.parameters.clone(),
            desired_retention: self.desired_retention,
            learning_steps: self.learning_steps.clone(),
            relearning_steps: self.relearning_steps.clone(),
            max_interval_days: self.max_interval_days,
            rollover_hour: self.rollover_hour,
            leech_threshold: self.leech_threshold,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_round_trips_through_its_text_form() {
        let defaults = Settings::default();
        let mut copy = Settings::default();
        for key in KEYS {
            let text = defaults.get(key.name).unwrap();
            copy.set_key(key, &text).unwrap();
        }
        assert_eq!(copy.desired_retention, defaults.desired_retention);
        assert_eq!(copy.learning_steps, defaults.learning_steps);
        for (a, b) in copy.parameters.iter().zip(&defaults.parameters) {
            assert!((a - b).abs() < 1e-4);
        }
    }

    #[test]
    fn bad_values_say_what_to_write() {
        let mut settings = Settings::default();
        assert_eq!(
            settings
                .set("desired_retention", "0.5")
                .unwrap_err()
                .to_string(),
            "`desired_retention` cannot be `0.5`: write a number from 0.70 to 0.99"
        );
        assert_eq!(
            settings.set("rollover_hour", "24").unwrap_err().to_string(),
            "`rollover_hour` cannot be `24`: write a whole number from 0 to 23"
        );
        assert_eq!(
            settings
                .set("desired_retension", "0.9")
                .unwrap_err()
                .to_string(),
            "unknown setting `desired_retension` (did you mean `desired_retention`?); run `lupus-quiz config` to list them"
        );
        assert!(matches!(
            settings.set_by_user("parameters", "1"),
            Err(SettingError::Managed { .. })
        ));
    }
}
