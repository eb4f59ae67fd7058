//! The learner's settings: names, defaults, validation and conversion to the scheduler's
//! configuration. The store keeps them as text; this module alone knows what they mean.

use std::fmt;
use std::str::FromStr;

use chrono::TimeDelta;
use serde::{Serialize, Serializer};

use crate::schedule::{SchedulerConfig, format_steps, parse_steps};

/// Every setting, with its value (defaults until the learner changes one). Serialised,
/// it is the `settings` object of the JSON export: the field names are the setting names
/// (a test keeps them equal), numbers are numbers and steps are their text form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    #[serde(serialize_with = "shortest")]
    pub desired_retention: f32,
    pub new_per_day: u32,
    pub reviews_per_day: u32,
    pub rollover_hour: u32,
    #[serde(serialize_with = "steps_text")]
    pub learning_steps: Vec<TimeDelta>,
    #[serde(serialize_with = "steps_text")]
    pub relearning_steps: Vec<TimeDelta>,
    pub max_interval_days: u32,
    pub leech_threshold: u32,
    /// The longest time one answer counts for, in seconds (Anki's "maximum answer
    /// seconds"): a card left on screen during lunch is not 40 minutes of study.
    pub max_answer_seconds: u32,
    /// How far ahead of its due time a learning card may be shown when nothing else is
    /// left in a session, in minutes (Anki's "learn ahead limit", 20 by default).
    pub learn_ahead_minutes: u32,
    /// The 21 FSRS-6 parameters: the defaults until `lupus-quiz optimize` fits them.
    #[serde(serialize_with = "shortest_each")]
    pub parameters: Vec<f32>,
}

/// A number through its shortest decimal form, so 0.212f32 is written 0.212, not
/// 0.21199999749660492.
fn shortest<S: Serializer>(value: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_f64(shortest_decimal(*value))
}

fn shortest_each<S: Serializer>(values: &[f32], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(values.iter().map(|value| shortest_decimal(*value)))
}

fn shortest_decimal(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}

/// Steps as the learner writes them (`1m 10m`), which is also how they are stored.
fn steps_text<S: Serializer>(steps: &[TimeDelta], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_steps(steps))
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
            learn_ahead_minutes: 20,
            parameters: scheduler.parameters,
        }
    }
}

/// One of the learner's settings, by name: what `config` takes and lists and what the
/// database rows are keyed by. Every `match` on it is exhaustive, so a new setting is a
/// compile error until each of them handles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    DesiredRetention,
    NewPerDay,
    ReviewsPerDay,
    RolloverHour,
    LearningSteps,
    RelearningSteps,
    MaxIntervalDays,
    LeechThreshold,
    MaxAnswerSeconds,
    LearnAheadMinutes,
    Parameters,
}

impl Setting {
    /// Every setting, in the order `config` lists them.
    pub const ALL: [Setting; 11] = [
        Setting::DesiredRetention,
        Setting::NewPerDay,
        Setting::ReviewsPerDay,
        Setting::RolloverHour,
        Setting::LearningSteps,
        Setting::RelearningSteps,
        Setting::MaxIntervalDays,
        Setting::LeechThreshold,
        Setting::MaxAnswerSeconds,
        Setting::LearnAheadMinutes,
        Setting::Parameters,
    ];

    /// The name the learner types and the database stores.
    pub fn name(self) -> &'static str {
        match self {
            Setting::DesiredRetention => "desired_retention",
            Setting::NewPerDay => "new_per_day",
            Setting::ReviewsPerDay => "reviews_per_day",
            Setting::RolloverHour => "rollover_hour",
            Setting::LearningSteps => "learning_steps",
            Setting::RelearningSteps => "relearning_steps",
            Setting::MaxIntervalDays => "max_interval_days",
            Setting::LeechThreshold => "leech_threshold",
            Setting::MaxAnswerSeconds => "max_answer_seconds",
            Setting::LearnAheadMinutes => "learn_ahead_minutes",
            Setting::Parameters => "parameters",
        }
    }

    /// What it means, as `config` lists it.
    pub fn help(self) -> &'static str {
        match self {
            Setting::DesiredRetention => "the chance of recall intervals aim for, 0.70 to 0.99",
            Setting::NewPerDay => "new cards a day, per deck",
            Setting::ReviewsPerDay => "reviews a day, across all decks",
            Setting::RolloverHour => "local hour a new study day starts, 0 to 23",
            Setting::LearningSteps => "waits between answers of a new card, e.g. `1m 10m`",
            Setting::RelearningSteps => "waits between answers of a forgotten card, e.g. `10m`",
            Setting::MaxIntervalDays => "the longest interval, in days",
            Setting::LeechThreshold => "lapses after which a card is suspended as a leech",
            Setting::MaxAnswerSeconds => {
                "the longest time one answer counts for, 1 to 3600 seconds"
            }
            Setting::LearnAheadMinutes => {
                "how early a learning card may be shown when nothing else is left, 0 to 1440 minutes"
            }
            Setting::Parameters => "the 21 FSRS parameters, fitted by `lupus-quiz optimize`",
        }
    }

    /// Changing it changes when cards are due, so card states are replayed.
    pub fn affects_schedule(self) -> bool {
        match self {
            Setting::DesiredRetention
            | Setting::RolloverHour
            | Setting::LearningSteps
            | Setting::RelearningSteps
            | Setting::MaxIntervalDays
            | Setting::LeechThreshold
            | Setting::Parameters => true,
            Setting::NewPerDay
            | Setting::ReviewsPerDay
            | Setting::MaxAnswerSeconds
            | Setting::LearnAheadMinutes => false,
        }
    }

    /// Set by a command (`optimize`) rather than by `config KEY VALUE`.
    pub fn managed(self) -> bool {
        match self {
            Setting::Parameters => true,
            Setting::DesiredRetention
            | Setting::NewPerDay
            | Setting::ReviewsPerDay
            | Setting::RolloverHour
            | Setting::LearningSteps
            | Setting::RelearningSteps
            | Setting::MaxIntervalDays
            | Setting::LeechThreshold
            | Setting::MaxAnswerSeconds
            | Setting::LearnAheadMinutes => false,
        }
    }

    /// The setting of this name, if this version has one: a database or file of a newer
    /// version may hold settings this one does not know, and those are passed over.
    pub fn named(name: &str) -> Option<Setting> {
        Setting::ALL
            .into_iter()
            .find(|setting| setting.name() == name)
    }
}

/// A name the learner typed: an unknown one is an error naming the closest setting.
impl FromStr for Setting {
    type Err = SettingError;

    fn from_str(name: &str) -> Result<Setting, SettingError> {
        Setting::named(name).ok_or_else(|| SettingError::UnknownKey {
            name: name.to_string(),
            suggestion: crate::text::closest(name, &Setting::ALL.map(Setting::name)),
        })
    }
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.name())
    }
}

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
        key: Setting,
        value: String,
        reason: String,
    },
    #[error(
        "`{key}` is set by `lupus-quiz optimize` (and reset with `optimize --reset`), not by hand"
    )]
    Managed { key: Setting },
}

fn invalid(key: Setting, value: &str, reason: impl fmt::Display) -> SettingError {
    SettingError::InvalidValue {
        key,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

fn whole_number(key: Setting, value: &str, min: u32, max: u32) -> Result<u32, SettingError> {
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

fn retention(value: &str) -> Result<f32, SettingError> {
    let bad = || {
        invalid(
            Setting::DesiredRetention,
            value,
            "write a number from 0.70 to 0.99",
        )
    };
    let retention: f32 = value.trim().parse().map_err(|_| bad())?;
    if !(0.70..=0.99).contains(&retention) {
        return Err(bad());
    }
    Ok(retention)
}

/// Learning or relearning steps; an empty text is no steps at all.
fn steps(key: Setting, value: &str) -> Result<Vec<TimeDelta>, SettingError> {
    if value.trim().is_empty() {
        return Ok(Vec::new());
    }
    parse_steps(value).map_err(|e| invalid(key, value, e))
}

/// Numbers separated by commas or spaces (the text form writes `, `).
fn numbers(value: &str) -> Result<Vec<f32>, SettingError> {
    value
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .map(|part| part.parse::<f32>())
        .collect::<Result<Vec<f32>, _>>()
        .map_err(|_| {
            invalid(
                Setting::Parameters,
                value,
                "write 21 numbers separated by commas",
            )
        })
}

impl Settings {
    /// Sets one setting from its text form, validating it. Managed settings are accepted
    /// too: this is how stored and imported values are read.
    pub fn set(&mut self, setting: Setting, value: &str) -> Result<(), SettingError> {
        match setting {
            Setting::DesiredRetention => self.desired_retention = retention(value)?,
            Setting::NewPerDay => self.new_per_day = whole_number(setting, value, 0, 9999)?,
            Setting::ReviewsPerDay => {
                self.reviews_per_day = whole_number(setting, value, 0, 99_999)?;
            }
            Setting::RolloverHour => self.rollover_hour = whole_number(setting, value, 0, 23)?,
            Setting::LearningSteps => self.learning_steps = steps(setting, value)?,
            Setting::RelearningSteps => self.relearning_steps = steps(setting, value)?,
            Setting::MaxIntervalDays => {
                self.max_interval_days = whole_number(setting, value, 1, 36_500)?;
            }
            Setting::LeechThreshold => self.leech_threshold = whole_number(setting, value, 1, 99)?,
            Setting::MaxAnswerSeconds => {
                self.max_answer_seconds = whole_number(setting, value, 1, 3600)?;
            }
            Setting::LearnAheadMinutes => {
                self.learn_ahead_minutes = whole_number(setting, value, 0, 1440)?;
            }
            Setting::Parameters => self.parameters = self.usable_parameters(value)?,
        }
        Ok(())
    }

    /// Parameters the scheduler accepts alongside the other settings.
    fn usable_parameters(&self, value: &str) -> Result<Vec<f32>, SettingError> {
        let parameters = numbers(value)?;
        let mut candidate = self.scheduler_config();
        candidate.parameters = parameters.clone();
        // Only the parameters are checked here: the zone does not matter.
        crate::schedule::Scheduler::new(candidate, crate::schedule::Zone::utc())
            .map_err(|e| invalid(Setting::Parameters, value, e))?;
        Ok(parameters)
    }

    /// Sets a setting by hand (`config KEY VALUE`): managed ones are refused.
    pub fn set_by_user(&mut self, setting: Setting, value: &str) -> Result<(), SettingError> {
        if setting.managed() {
            return Err(SettingError::Managed { key: setting });
        }
        self.set(setting, value)
    }

    /// The text form of a setting, as stored and shown.
    pub fn get(&self, setting: Setting) -> String {
        match setting {
            Setting::DesiredRetention => self.desired_retention.to_string(),
            Setting::NewPerDay => self.new_per_day.to_string(),
            Setting::ReviewsPerDay => self.reviews_per_day.to_string(),
            Setting::RolloverHour => self.rollover_hour.to_string(),
            Setting::LearningSteps => format_steps(&self.learning_steps),
            Setting::RelearningSteps => format_steps(&self.relearning_steps),
            Setting::MaxIntervalDays => self.max_interval_days.to_string(),
            Setting::LeechThreshold => self.leech_threshold.to_string(),
            Setting::MaxAnswerSeconds => self.max_answer_seconds.to_string(),
            Setting::LearnAheadMinutes => self.learn_ahead_minutes.to_string(),
            Setting::Parameters => self
                .parameters
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        }
    }

    /// The longest time one answer is recorded as taking.
    pub fn max_answer_time(&self) -> TimeDelta {
        TimeDelta::seconds(i64::from(self.max_answer_seconds))
    }

    /// How far ahead of its due time a learning card may be shown.
    pub fn learn_ahead(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.learn_ahead_minutes))
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
        for setting in Setting::ALL {
            copy.set(setting, &defaults.get(setting)).unwrap();
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
                .set(Setting::DesiredRetention, "0.5")
                .unwrap_err()
                .to_string(),
            "`desired_retention` cannot be `0.5`: write a number from 0.70 to 0.99"
        );
        assert_eq!(
            settings
                .set(Setting::RolloverHour, "24")
                .unwrap_err()
                .to_string(),
            "`rollover_hour` cannot be `24`: write a whole number from 0 to 23"
        );
        assert_eq!(
            "desired_retension"
                .parse::<Setting>()
                .unwrap_err()
                .to_string(),
            "unknown setting `desired_retension` (did you mean `desired_retention`?); run `lupus-quiz config` to list them"
        );
        assert!(matches!(
            settings.set_by_user(Setting::Parameters, "1"),
            Err(SettingError::Managed { .. })
        ));
    }

    #[test]
    fn the_export_names_every_setting_and_nothing_else() {
        let exported = serde_json::to_value(Settings::default()).unwrap();
        let mut names: Vec<&str> = exported
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = Setting::ALL.map(Setting::name);
        names.sort_unstable();
        expected.sort_unstable();
        assert_eq!(names, expected);
    }

    #[test]
    fn every_setting_is_found_by_its_name() {
        for setting in Setting::ALL {
            assert_eq!(setting.name().parse::<Setting>(), Ok(setting));
        }
        assert_eq!(Setting::named("colour"), None);
    }
}
