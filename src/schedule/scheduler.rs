//! The scheduler: the state machine that turns an answer into the card's next state.
//!
//! All four possible outcomes of an answer are computed together by one function, so the
//! intervals on the buttons ([`Scheduler::preview`]) are exactly what [`Scheduler::answer`]
//! then records, and the order constraint between them is applied in one place.

use chrono::{DateTime, TimeDelta, Utc};
use fsrs::{FSRS, ItemState, MemoryState, NextStates};

use super::calendar::{StudyCalendar, Zone};
use super::fuzz::{fuzz_factor, fuzzed_days};
use super::steps::hard_delay;
use super::{Answered, CardPhase, CardState, LogEntry, Rating, ReviewKind, ScheduleError};
use crate::ids::CardId;

/// The learner's scheduling settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SchedulerConfig {
    /// The 21 FSRS-6 parameters.
    pub parameters: Vec<f32>,
    /// The probability of recall the intervals aim for.
    pub desired_retention: f32,
    /// Waits between answers of a new card before it graduates to review.
    pub learning_steps: Vec<TimeDelta>,
    /// Waits between answers of a forgotten card before it returns to review.
    pub relearning_steps: Vec<TimeDelta>,
    pub max_interval_days: u32,
    /// Local hour at which a new study day starts.
    pub rollover_hour: u32,
    /// Lapses after which a card is a leech.
    pub leech_threshold: u32,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            parameters: fsrs::DEFAULT_PARAMETERS.to_vec(),
            desired_retention: 0.90,
            learning_steps: vec![TimeDelta::minutes(1), TimeDelta::minutes(10)],
            relearning_steps: vec![TimeDelta::minutes(10)],
            max_interval_days: 36_500,
            rollover_hour: 4,
            leech_threshold: 8,
        }
    }
}

/// The range of each FSRS-6 parameter: the bounds the fsrs crate clamps every parameter to
/// while training (`clip_parameters` in its `parameter_clipper.rs`), which Anki enforces
/// too, with the widest ceiling of w17 and w18 (which depends on the others). Parameters
/// `optimize` fits always lie inside; others (negative, zero, 1e30) come only from a file
/// and would schedule nonsense, such as a stability of zero after six Good answers.
pub(super) const PARAMETER_RANGES: [(f32, f32); 21] = [
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (0.001, 100.0),
    (1.0, 10.0),
    (0.001, 4.0),
    (0.001, 4.0),
    (0.001, 0.75),
    (0.0, 4.5),
    (0.0, 0.8),
    (0.001, 3.5),
    (0.001, 5.0),
    (0.001, 0.25),
    (0.001, 0.9),
    (0.0, 4.0),
    (0.0, 1.0),
    (1.0, 6.0),
    (0.0, 2.0),
    (0.0, 2.0),
    (0.0, 0.8),
    (0.1, 0.8),
];

impl SchedulerConfig {
    fn validate(&self) -> Result<(), ScheduleError> {
        if self.parameters.len() != fsrs::DEFAULT_PARAMETERS.len() {
            return Err(ScheduleError::ParameterCount(self.parameters.len()));
        }
        for (index, (&value, &(low, high))) in
            self.parameters.iter().zip(&PARAMETER_RANGES).enumerate()
        {
            if !(low..=high).contains(&value) {
                return Err(ScheduleError::ParameterOutOfRange {
                    index,
                    value,
                    low,
                    high,
                });
            }
        }
        if !(self.desired_retention > 0.0 && self.desired_retention < 1.0) {
            return Err(ScheduleError::DesiredRetention(self.desired_retention));
        }
        if self.max_interval_days == 0 {
            return Err(ScheduleError::MaxInterval);
        }
        if self.rollover_hour > 23 {
            return Err(ScheduleError::RolloverHour(self.rollover_hour));
        }
        if self.leech_threshold == 0 {
            return Err(ScheduleError::LeechThreshold);
        }
        let mut steps = self.learning_steps.iter().chain(&self.relearning_steps);
        if let Some(step) = steps.find(|step| **step <= TimeDelta::zero()) {
            return Err(ScheduleError::InvalidStep {
                step: format!("{}s", step.num_seconds()),
                reason: "a step must be longer than zero".to_string(),
            });
        }
        Ok(())
    }
}

/// The FSRS model with the learner's settings; cheap to keep for a whole session.
#[derive(Debug, Clone)]
pub struct Scheduler {
    fsrs: FSRS,
    config: SchedulerConfig,
    /// The study days of `config.rollover_hour` in the learner's time zone.
    calendar: StudyCalendar,
}

/// Whole-day intervals for the four answers, after fuzz and the order constraint.
#[derive(Debug, Clone, Copy)]
struct DayIntervals {
    again: u32,
    hard: u32,
    good: u32,
    easy: u32,
}

impl DayIntervals {
    fn of(&self, rating: Rating) -> u32 {
        match rating {
            Rating::Again => self.again,
            Rating::Hard => self.hard,
            Rating::Good => self.good,
            Rating::Easy => self.easy,
        }
    }
}

impl Scheduler {
    /// Checks the settings once, so answering can never fail. Days are counted in `zone`,
    /// which the caller chose (the command line: the system's; tests: their own), so the
    /// scheduler itself never looks at the environment.
    pub fn new(config: SchedulerConfig, zone: Zone) -> Result<Self, ScheduleError> {
        config.validate()?;
        let fsrs = FSRS::new(&config.parameters)
            .map_err(|e| ScheduleError::InvalidParameters(format!("{e:?}")))?;
        let calendar = StudyCalendar::new(config.rollover_hour, zone);
        Ok(Scheduler {
            fsrs,
            config,
            calendar,
        })
    }

    pub fn config(&self) -> &SchedulerConfig {
        &self.config
    }

    /// The study calendar answers are counted in: for queues, statistics and the optimizer.
    pub fn calendar(&self) -> &StudyCalendar {
        &self.calendar
    }

    /// A scheduler for other settings, counting days in the same time zone.
    pub fn with_config(&self, config: SchedulerConfig) -> Result<Self, ScheduleError> {
        Scheduler::new(config, self.calendar.zone().clone())
    }

    /// The state after answering `rating` at `at`; deterministic.
    pub fn answer(
        &self,
        card_id: &CardId,
        state: &CardState,
        rating: Rating,
        at: DateTime<Utc>,
    ) -> Answered {
        // The one outcome of `preview` that is taken: a replay (an import of a million
        // reviews) needs no other three.
        let next = self.next_memory_states(state, at);
        let days = self.day_intervals(state, &next, fuzz_factor(card_id.as_str(), state.reps));
        self.transition(state, rating, at, memory_after(&next, rating), &days)
    }

    /// The four outcomes in [`Rating::ALL`] order, for button labels ("Good · 3d").
    pub fn preview(&self, card_id: &CardId, state: &CardState, at: DateTime<Utc>) -> [Answered; 4] {
        let next = self.next_memory_states(state, at);
        let days = self.day_intervals(state, &next, fuzz_factor(card_id.as_str(), state.reps));
        Rating::ALL
            .map(|rating| self.transition(state, rating, at, memory_after(&next, rating), &days))
    }

    /// Replays a card's whole log from a new card, giving the same state as answering each
    /// review in turn. The log is taken in time order (a stable sort keeps the order of
    /// reviews that share a time). An empty log gives a new card due at the Unix epoch.
    pub fn replay(&self, card_id: &CardId, reviews: &[(DateTime<Utc>, Rating)]) -> CardState {
        let mut reviews = reviews.to_vec();
        reviews.sort_by_key(|&(at, _)| at);
        self.replay_sorted(card_id, reviews).0
    }

    /// [`Scheduler::replay_log`] of a log of answers only.
    pub fn replay_sorted(
        &self,
        card_id: &CardId,
        reviews: impl IntoIterator<Item = (DateTime<Utc>, Rating)>,
    ) -> (CardState, Vec<ReviewKind>) {
        self.replay_log(
            card_id,
            reviews
                .into_iter()
                .map(|(at, rating)| LogEntry::Review { at, rating }),
        )
    }

    /// The one replay of the program: the state after `entries` (answers and manual
    /// actions, already in [`LogEntry::order_key`] order) from a new card, and the kind
    /// each review has (learning, review, relearning), in the order of the reviews. The
    /// store rebuilds cards with it, and `doctor` checks them with it.
    pub fn replay_log(
        &self,
        card_id: &CardId,
        entries: impl IntoIterator<Item = LogEntry>,
    ) -> (CardState, Vec<ReviewKind>) {
        let entries = entries.into_iter();
        let mut state = None;
        let mut kinds = Vec::with_capacity(entries.size_hint().0);
        for entry in entries {
            let (next, kind) = self.replay_step(card_id, state.as_ref(), entry);
            kinds.extend(kind);
            state = Some(next);
        }
        let state = state.unwrap_or_else(|| CardState::new_card(DateTime::<Utc>::UNIX_EPOCH));
        (state, kinds)
    }

    /// One entry of [`Scheduler::replay_log`], for a replay fed one entry at a time (an
    /// import works out each review's kind as it stores it): the state after `entry`
    /// from `state`, or from a new card when this is the card's first entry, and the kind
    /// the entry gets when it is a review.
    pub fn replay_step(
        &self,
        card_id: &CardId,
        state: Option<&CardState>,
        entry: LogEntry,
    ) -> (CardState, Option<ReviewKind>) {
        match state {
            Some(state) => self.step(card_id, state, entry),
            // A log starts from a new card available at its first entry.
            None => self.step(card_id, &CardState::new_card(entry.at()), entry),
        }
    }

    /// The state after each entry of a log in turn (for a card's history): the same
    /// replay as [`Scheduler::replay_log`], step by step.
    pub fn replay_trace(&self, card_id: &CardId, entries: &[LogEntry]) -> Vec<CardState> {
        let mut state: Option<CardState> = None;
        entries
            .iter()
            .map(|entry| {
                let next = self.replay_step(card_id, state.as_ref(), *entry).0;
                state = Some(next.clone());
                next
            })
            .collect()
    }

    /// One entry of a replay: an answer (with the kind it gets), or a manual action.
    fn step(
        &self,
        card_id: &CardId,
        state: &CardState,
        entry: LogEntry,
    ) -> (CardState, Option<ReviewKind>) {
        match entry {
            LogEntry::Review { at, rating } => {
                let answered = self.answer(card_id, state, rating, at);
                (answered.state, Some(answered.kind))
            }
            LogEntry::Action { at, action } => (action.apply(state, at), None),
        }
    }

    /// FSRS's probability that the card is recalled at `at`, counting elapsed time in whole
    /// study days as the scheduler does (so it stays 1.0 for the rest of the review's day).
    pub fn retrievability(&self, state: &CardState, at: DateTime<Utc>) -> f64 {
        self.retrievability_on(state, self.calendar.day_of(at))
    }

    /// [`Scheduler::retrievability`] on study day `day` (from [`StudyCalendar::day_of`]):
    /// for many cards at one instant, whose day is then worked out once rather than per
    /// card (a time-zone look-up each, issue 18).
    pub fn retrievability_on(&self, state: &CardState, day: i64) -> f64 {
        let (Some(memory), Some(last)) = (memory_of(state), state.last_review) else {
            return 1.0;
        };
        let elapsed = self.calendar.days_from(last, day);
        let r = fsrs::current_retrievability(memory, elapsed as f32, self.decay());
        if r.is_finite() {
            f64::from(r.clamp(0.0, 1.0))
        } else {
            1.0
        }
    }

    /// The forgetting curve's decay as the model uses it. `FSRS` keeps its clipped parameters
    /// private, so the clip of the last parameter (fsrs `parameter_clipper.rs`) is repeated.
    fn decay(&self) -> f32 {
        self.config.parameters[20].clamp(0.1, 0.8)
    }

    /// Memory after each possible answer. Every answer counts, including same-day ones.
    fn next_memory_states(&self, state: &CardState, at: DateTime<Utc>) -> NextStates {
        let retention = self.config.desired_retention;
        let previous = memory_of(state);
        let elapsed = state
            .last_review
            .map_or(0, |last| self.calendar.days_between(last, at));
        self.fsrs
            .next_states(previous, retention, elapsed)
            // FSRS refuses a state it cannot continue (e.g. one edited by hand into
            // nonsense); starting the memory afresh is better than losing the answer.
            .or_else(|_| self.fsrs.next_states(None, retention, 0))
            .unwrap_or_else(|_| unchanged_memory(state))
    }

    fn day_intervals(&self, state: &CardState, next: &NextStates, fuzz: f64) -> DayIntervals {
        let max = self.config.max_interval_days;
        let days = |item: &ItemState| fuzzed_days(f64::from(item.interval), fuzz, max);
        let (again, hard, good, easy) = (
            days(&next.again),
            days(&next.hard),
            days(&next.good),
            days(&next.easy),
        );
        // Hard only competes with Good when it is a review interval; in (re)learning it is
        // a step of minutes, and Good graduating gets FSRS's interval untouched, as in Anki.
        let hard_is_review = match state.phase {
            CardPhase::Review => true,
            CardPhase::New | CardPhase::Learning => self.config.learning_steps.is_empty(),
            CardPhase::Relearning => self.config.relearning_steps.is_empty(),
        };
        let (hard, good) = if hard_is_review {
            let hard = hard.min(good);
            (hard, good.max(hard.saturating_add(1)).min(max))
        } else {
            (hard, good)
        };
        // At the maximum interval, Good and Easy may have to be equal.
        let easy = easy.max(good.saturating_add(1)).min(max);
        DayIntervals {
            again,
            hard,
            good,
            easy,
        }
    }

    fn transition(
        &self,
        state: &CardState,
        rating: Rating,
        at: DateTime<Utc>,
        memory: MemoryState,
        days: &DayIntervals,
    ) -> Answered {
        let mut next = CardState {
            stability: f64::from(memory.stability),
            difficulty: f64::from(memory.difficulty),
            reps: state.reps.saturating_add(1),
            last_review: Some(at),
            ..state.clone()
        };
        if state.phase == CardPhase::Review && rating == Rating::Again {
            next.lapses = state.lapses.saturating_add(1);
            if is_leech_lapse(next.lapses, self.config.leech_threshold) {
                next.leech = true;
            }
        }
        match self.next_place(state, rating, days) {
            Place::Review { days } => {
                next.phase = CardPhase::Review;
                next.step = 0;
                next.due = after(at, TimeDelta::days(i64::from(days)));
            }
            Place::Step { phase, step, wait } => {
                next.phase = phase;
                next.step = u32::try_from(step).unwrap_or(u32::MAX);
                next.due = after(at, wait);
            }
        }

        Answered {
            became_leech: next.leech && !state.leech,
            kind: ReviewKind::of_phase(state.phase),
            state: next,
        }
    }

    /// Where `rating` sends a card: to a (re)learning step, or to review in some days.
    fn next_place(&self, state: &CardState, rating: Rating, days: &DayIntervals) -> Place {
        let review = |days| Place::Review { days };
        if state.phase == CardPhase::Review {
            return match (rating, self.config.relearning_steps.first()) {
                (Rating::Again, Some(&first)) => Place::Step {
                    phase: CardPhase::Relearning,
                    step: 0,
                    wait: first,
                },
                (Rating::Again, None) => review(days.again),
                _ => review(days.of(rating)),
            };
        }
        let (steps, phase) = if state.phase == CardPhase::Relearning {
            (&self.config.relearning_steps, CardPhase::Relearning)
        } else {
            (&self.config.learning_steps, CardPhase::Learning)
        };
        // The steps may have been shortened since the card entered them.
        let current = if state.phase == CardPhase::New {
            0
        } else {
            usize::try_from(state.step).unwrap_or(usize::MAX)
        }
        .min(steps.len().saturating_sub(1));
        let step = |step, wait| Place::Step { phase, step, wait };
        match (rating, steps.first()) {
            (_, None) => review(days.of(rating)),
            (Rating::Again, Some(&first)) => step(0, first),
            (Rating::Hard, Some(_)) => step(current, hard_delay(steps, current)),
            (Rating::Good, Some(_)) => match steps.get(current + 1) {
                Some(&wait) => step(current + 1, wait),
                None => review(days.good),
            },
            (Rating::Easy, Some(_)) => review(days.easy),
        }
    }
}

/// Where an answer sends a card.
enum Place {
    Review {
        days: u32,
    },
    Step {
        phase: CardPhase,
        step: usize,
        wait: TimeDelta,
    },
}

/// Whether the lapse that brings a card to `lapses` makes it a leech: at the threshold, and
/// then every half threshold (rounded up) further, as Anki does, so that a leech the learner
/// brought back is flagged again after half the threshold in further lapses.
pub fn is_leech_lapse(lapses: u32, threshold: u32) -> bool {
    let every = threshold.div_ceil(2).max(1);
    lapses >= threshold && (lapses - threshold).is_multiple_of(every)
}

/// The memory FSRS should continue from, or `None` for a card it has never seen.
/// The memory state FSRS gives after `rating`.
fn memory_after(next: &NextStates, rating: Rating) -> MemoryState {
    match rating {
        Rating::Again => next.again.memory,
        Rating::Hard => next.hard.memory,
        Rating::Good => next.good.memory,
        Rating::Easy => next.easy.memory,
    }
}

fn memory_of(state: &CardState) -> Option<MemoryState> {
    let usable = state.phase != CardPhase::New
        && state.stability.is_finite()
        && state.difficulty.is_finite()
        && state.stability > 0.0;
    usable.then_some(MemoryState {
        stability: state.stability as f32,
        difficulty: state.difficulty as f32,
    })
}

/// Last resort when FSRS refuses even a fresh start: keep the memory as it was.
fn unchanged_memory(state: &CardState) -> NextStates {
    let item = ItemState {
        memory: MemoryState {
            stability: state.stability as f32,
            difficulty: state.difficulty as f32,
        },
        interval: 1.0,
    };
    NextStates {
        again: item.clone(),
        hard: item.clone(),
        good: item.clone(),
        easy: item,
    }
}

/// `at + wait`, saturating at the end of time instead of panicking.
fn after(at: DateTime<Utc>, wait: TimeDelta) -> DateTime<Utc> {
    at.checked_add_signed(wait)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
