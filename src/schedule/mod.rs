//! Spaced-repetition scheduling: what happens to a card when the learner answers it.
//!
//! This module owns the arithmetic of the review log and nothing else: no I/O, no SQL and
//! no clock. Every function takes the time it should use, so the same log always gives the
//! same card state. The store relies on that: the review log is the truth, the card state is
//! a cache that [`Scheduler::replay`] can rebuild exactly.
//!
//! The behaviour follows Anki with FSRS enabled:
//!
//! - Memory (stability, difficulty) comes from the official [`fsrs`] crate, updated on every
//!   answer, including same-day learning answers. No FSRS formula is written here.
//! - New cards walk through learning steps, lapsed cards through relearning steps; cards that
//!   graduate, and cards in review, get the FSRS interval for the desired retention, fuzzed
//!   as Anki does so that cards learned together do not stay together forever.
//! - The fuzz is drawn from a seed made of the card id and its review count, never from the
//!   system's randomness, which is what makes replay exact.
//! - Days are counted Anki's way ([`StudyCalendar`]): a day starts at the rollover hour of
//!   the local clock, so a late-night session counts as the same day as the evening before
//!   it. The time zone is handed in ([`Zone`]); nothing here reads the environment.
//!
//! Submodules: `calendar` (study days), `steps` (learning steps and duration labels), `fuzz`
//! (interval fuzz) and `scheduler` (the state machine that ties them to FSRS).

mod calendar;
pub mod fit;
mod fuzz;
mod scheduler;
mod steps;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use calendar::{StudyCalendar, Zone, ZoneRules, date_of};
pub use scheduler::{Scheduler, SchedulerConfig};
pub use steps::{format_interval, format_steps, format_wait, parse_steps};

/// The learner's answer to a card, with the numbers used in the review log and exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub enum Rating {
    Again = 1,
    Hard = 2,
    Good = 3,
    Easy = 4,
}

impl Rating {
    /// All ratings in button order; [`Scheduler::preview`] returns its outcomes in this order.
    pub const ALL: [Rating; 4] = [Rating::Again, Rating::Hard, Rating::Good, Rating::Easy];

    /// The number stored in the review log (1 Again … 4 Easy).
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    /// The button label.
    pub fn label(self) -> &'static str {
        match self {
            Rating::Again => "Again",
            Rating::Hard => "Hard",
            Rating::Good => "Good",
            Rating::Easy => "Easy",
        }
    }
}

impl TryFrom<u8> for Rating {
    type Error = ScheduleError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        match value {
            1 => Ok(Rating::Again),
            2 => Ok(Rating::Hard),
            3 => Ok(Rating::Good),
            4 => Ok(Rating::Easy),
            other => Err(ScheduleError::InvalidRating(other.to_string())),
        }
    }
}

impl From<Rating> for u8 {
    fn from(rating: Rating) -> u8 {
        rating.as_u8()
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// Where a card is in its life; stored as text in the card state table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardPhase {
    /// Never answered.
    New,
    /// Answered, still walking through the learning steps.
    Learning,
    /// Graduated: due dates are whole days chosen by FSRS.
    Review,
    /// Forgotten while in review, walking through the relearning steps.
    Relearning,
}

impl CardPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            CardPhase::New => "new",
            CardPhase::Learning => "learning",
            CardPhase::Review => "review",
            CardPhase::Relearning => "relearning",
        }
    }
}

impl FromStr for CardPhase {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "new" => Ok(CardPhase::New),
            "learning" => Ok(CardPhase::Learning),
            "review" => Ok(CardPhase::Review),
            "relearning" => Ok(CardPhase::Relearning),
            other => Err(ScheduleError::UnknownName {
                what: "card state",
                name: other.to_string(),
                expected: "new, learning, review, relearning",
            }),
        }
    }
}

impl fmt::Display for CardPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of a review, recorded in the log: the card's phase *before* the answer, so
/// statistics can tell first-time learning from reviews and relapses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewKind {
    Learning,
    Review,
    Relearning,
}

impl ReviewKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::Learning => "learning",
            ReviewKind::Review => "review",
            ReviewKind::Relearning => "relearning",
        }
    }

    /// A new card's first answer is part of learning it.
    pub fn of_phase(phase: CardPhase) -> Self {
        match phase {
            CardPhase::New | CardPhase::Learning => ReviewKind::Learning,
            CardPhase::Review => ReviewKind::Review,
            CardPhase::Relearning => ReviewKind::Relearning,
        }
    }
}

impl FromStr for ReviewKind {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "learning" => Ok(ReviewKind::Learning),
            "review" => Ok(ReviewKind::Review),
            "relearning" => Ok(ReviewKind::Relearning),
            other => Err(ScheduleError::UnknownName {
                what: "review kind",
                name: other.to_string(),
                expected: "learning, review, relearning",
            }),
        }
    }
}

impl fmt::Display for ReviewKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything the scheduler needs to know about a card, and all it produces.
///
/// Stability and difficulty are kept as `f64` for storage, but they always hold exact `f32`
/// values from the fsrs crate, so a round trip through the database or JSON loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CardState {
    pub phase: CardPhase,
    pub due: DateTime<Utc>,
    /// FSRS stability in days; 0.0 while the card is new.
    pub stability: f64,
    /// FSRS difficulty (1–10); 0.0 while the card is new.
    pub difficulty: f64,
    /// Number of answers so far.
    pub reps: u32,
    /// Number of Again answers given while the card was in review.
    pub lapses: u32,
    /// Index into the learning or relearning steps while the card is in one of those phases.
    pub step: u32,
    pub last_review: Option<DateTime<Utc>>,
    /// Set once `lapses` reaches the leech threshold; the store then suspends the card.
    pub leech: bool,
}

impl CardState {
    /// A card nobody has answered yet, available from `now`.
    pub fn new_card(now: DateTime<Utc>) -> Self {
        CardState {
            phase: CardPhase::New,
            due: now,
            stability: 0.0,
            difficulty: 0.0,
            reps: 0,
            lapses: 0,
            step: 0,
            last_review: None,
            leech: false,
        }
    }
}

/// The result of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answered {
    /// The card's state after the answer.
    pub state: CardState,
    /// What to record in the review log's `kind` column.
    pub kind: ReviewKind,
    /// True only for the answer that made the card a leech, so the session can say so once.
    pub became_leech: bool,
}

impl Answered {
    /// How long until the card is due again, for button labels such as "Good · 3d".
    pub fn interval(&self) -> chrono::Duration {
        match self.state.last_review {
            Some(at) => self.state.due - at,
            None => chrono::Duration::zero(),
        }
    }
}

/// Invalid scheduler settings or input, worded for the person who typed them.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ScheduleError {
    #[error("expected 21 FSRS parameters, got {0}")]
    ParameterCount(usize),
    #[error("the FSRS parameters were rejected ({0}); reset them to the defaults")]
    InvalidParameters(String),
    #[error("desired retention must be between 0 and 1, for example 0.9; got {0}")]
    DesiredRetention(f32),
    #[error("the maximum interval must be at least 1 day")]
    MaxInterval,
    #[error("the rollover hour must be between 0 and 23; got {0}")]
    RolloverHour(u32),
    #[error("the leech threshold must be at least 1")]
    LeechThreshold,
    #[error("invalid step `{step}`: {reason}")]
    InvalidStep { step: String, reason: String },
    #[error("invalid rating `{0}`: expected 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")]
    InvalidRating(String),
    #[error("unknown {what} `{name}`: expected one of {expected}")]
    UnknownName {
        what: &'static str,
        name: String,
        expected: &'static str,
    },
}
