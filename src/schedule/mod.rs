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
//! (interval fuzz), `scheduler` (the state machine that ties them to FSRS), `goal` (the
//! rules of a goal of being ready by a date) and `simulate` (cards followed day by day).

mod calendar;
mod due;
pub mod fit;
mod fuzz;
pub mod goal;
mod scheduler;
pub mod simulate;
mod steps;

#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub use calendar::{StudyCalendar, Zone, ZoneRules, date_of};
pub use due::DueRule;
pub use goal::{AtRisk, Goal, ScopeCard};
pub use scheduler::{Scheduler, SchedulerConfig, is_leech_lapse};
pub use simulate::{DayLoad, DayRules, Simulation};
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
    /// Set by the lapse that reaches the leech threshold, and again every half threshold of
    /// lapses after an unsuspend (Anki's rule); the card is out of rotation while it is set.
    pub leech: bool,
    /// Taken out of rotation by the learner (`lupus-quiz suspend`), apart from any leech.
    #[serde(default)]
    pub suspended: bool,
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
            suspended: false,
        }
    }

    /// Out of every session: suspended by the learner, or as a leech.
    pub fn out_of_rotation(&self) -> bool {
        self.leech || self.suspended
    }
}

/// What the learner did to a card by hand, kept in the log with the reviews so that a
/// replay reproduces it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CardAction {
    /// Out of every session until unsuspended.
    Suspend,
    /// Back in rotation; a leech's flag is cleared too (its lapses are kept).
    Unsuspend,
    /// Start over as a new card: memory, reps and lapses are cleared, the log is kept.
    Forget,
}

impl CardAction {
    pub const ALL: [CardAction; 3] = [
        CardAction::Suspend,
        CardAction::Unsuspend,
        CardAction::Forget,
    ];

    /// The name stored in the log and written in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            CardAction::Suspend => "suspend",
            CardAction::Unsuspend => "unsuspend",
            CardAction::Forget => "forget",
        }
    }

    /// The state after this action at `at`; the one place its effect is decided.
    pub fn apply(self, state: &CardState, at: DateTime<Utc>) -> CardState {
        match self {
            CardAction::Suspend => CardState {
                suspended: true,
                ..state.clone()
            },
            CardAction::Unsuspend => CardState {
                suspended: false,
                leech: false,
                ..state.clone()
            },
            // A card the learner suspended stays out: forgetting is about memory, not
            // about which cards are wanted.
            CardAction::Forget => CardState {
                suspended: state.suspended,
                ..CardState::new_card(at)
            },
        }
    }

    /// Whether the action would change nothing on a card in `state` (it is then not
    /// recorded).
    pub fn changes(self, state: &CardState) -> bool {
        match self {
            CardAction::Suspend => !state.suspended,
            CardAction::Unsuspend => state.out_of_rotation(),
            CardAction::Forget => state.phase != CardPhase::New || state.leech,
        }
    }
}

impl FromStr for CardAction {
    type Err = ScheduleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CardAction::ALL
            .into_iter()
            .find(|action| action.as_str() == s)
            .ok_or_else(|| ScheduleError::UnknownName {
                what: "card action",
                name: s.to_string(),
                expected: "suspend, unsuspend, forget",
            })
    }
}

impl fmt::Display for CardAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of a card's log: an answer, or a manual action.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LogEntry {
    Review {
        at: DateTime<Utc>,
        rating: Rating,
    },
    Action {
        at: DateTime<Utc>,
        action: CardAction,
    },
}

impl LogEntry {
    pub fn at(&self) -> DateTime<Utc> {
        match self {
            LogEntry::Review { at, .. } | LogEntry::Action { at, .. } => *at,
        }
    }

    /// The order of a card's log: by time, and at the same millisecond the review first
    /// (an order that depends on nothing but the entries, so every copy replays alike).
    pub fn order_key(&self) -> (DateTime<Utc>, u8) {
        match self {
            LogEntry::Review { at, .. } => (*at, 0),
            LogEntry::Action { at, .. } => (*at, 1),
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
    #[error(
        "FSRS parameter w{index} is {value}, outside its range {low} to {high}; only parameters `lupus-quiz optimize` fits (or the defaults) can be used"
    )]
    ParameterOutOfRange {
        index: usize,
        value: f32,
        low: f32,
        high: f32,
    },
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
