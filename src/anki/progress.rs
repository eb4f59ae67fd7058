//! A learner's progress in Anki's terms: each card's scheduling columns and each review's
//! row of Anki's review log. Anki counts review due dates in days since the collection was
//! created, so the package's collection is "created" at the start of a study day and every
//! due day is counted from it; Anki's importer then moves them to the learner's collection.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::ids::CardId;
use crate::schedule::{CardPhase, CardState, ReviewKind, Scheduler, StudyCalendar};
use crate::settings::Settings;
use crate::store::{ReviewRecord, StoredCard};

/// How the package's collection counts days.
#[derive(Debug, Clone)]
pub(super) struct Timing {
    /// The collection's creation time (`col.crt`, seconds): the start of study day `day`.
    pub created_secs: i64,
    /// Minutes west of UTC at that time (`creationOffset`), for Anki's day arithmetic.
    pub created_minutes_west: i32,
    calendar: StudyCalendar,
    day: i64,
}

impl Timing {
    /// A collection created at the start of the study day of `first` (the earliest review
    /// exported, or the export itself), so no due day is negative.
    pub(super) fn starting(first: DateTime<Utc>, calendar: &StudyCalendar) -> Timing {
        let day = calendar.day_of(first);
        let start = calendar.day_start(day);
        let east = calendar.offset_at(start).local_minus_utc();
        Timing {
            created_secs: start.timestamp(),
            created_minutes_west: -east / 60,
            calendar: calendar.clone(),
            day,
        }
    }

    pub(super) fn rollover_hour(&self) -> u32 {
        self.calendar.rollover_hour()
    }

    /// Anki's day number of `at`: study days since the collection's creation.
    pub(super) fn day(&self, at: DateTime<Utc>) -> i64 {
        self.calendar.day_of(at) - self.day
    }
}

/// The scheduling columns of one row of Anki's `cards` table.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Scheduling {
    /// 0 new, 1 learning, 2 review, 3 relearning.
    pub card_type: i64,
    /// 0 new, 1 learning (due in seconds), 2 review, 3 learning across days (due in
    /// days), -1 suspended.
    pub queue: i64,
    /// A new card's position; a day number for review and day-learning cards; seconds
    /// since the epoch for learning cards due today.
    pub due: i64,
    /// Days.
    pub interval: i64,
    /// SM-2 ease in permille; FSRS ignores it.
    pub factor: i64,
    pub reps: i64,
    pub lapses: i64,
    /// Learning steps left.
    pub left: i64,
    /// JSON: the original position, and FSRS's memory state where there is one.
    pub data: String,
}

/// Anki's card type and queue numbers.
const NEW: i64 = 0;
const LEARNING: i64 = 1;
const REVIEW: i64 = 2;
const RELEARNING: i64 = 3;
const DAY_LEARNING_QUEUE: i64 = 3;
const SUSPENDED_QUEUE: i64 = -1;

/// The SM-2 ease Anki gives a card that graduates (250%).
const STARTING_EASE: i64 = 2500;

/// A card that arrives new, `position`-th in the new-card order.
pub(super) fn new_card(position: i64) -> Scheduling {
    Scheduling {
        card_type: NEW,
        queue: NEW,
        due: position,
        interval: 0,
        factor: 0,
        reps: 0,
        lapses: 0,
        left: 0,
        data: String::new(),
    }
}

/// The scheduling of a card with a stored state.
pub(super) fn scheduled(
    stored: &StoredCard,
    position: i64,
    settings: &Settings,
    timing: &Timing,
) -> Scheduling {
    let state = &stored.state;
    let mut scheduling = match state.phase {
        CardPhase::New => new_card(position),
        CardPhase::Review => Scheduling {
            card_type: REVIEW,
            queue: REVIEW,
            due: timing.day(state.due),
            interval: review_interval(state, timing),
            factor: STARTING_EASE,
            ..counts(state, position, settings)
        },
        CardPhase::Learning | CardPhase::Relearning => {
            let relearning = state.phase == CardPhase::Relearning;
            let steps = if relearning {
                &settings.relearning_steps
            } else {
                &settings.learning_steps
            };
            let (queue, due) = learning_due(state, timing);
            Scheduling {
                card_type: if relearning { RELEARNING } else { LEARNING },
                queue,
                due,
                // The interval a relearned card returns to review with: FSRS's stability
                // in days is the best measure lupus-quiz has of it.
                interval: if relearning {
                    (state.stability.round() as i64).max(1)
                } else {
                    0
                },
                factor: if relearning { STARTING_EASE } else { 0 },
                left: (steps.len() as i64 - i64::from(state.step)).max(1),
                ..counts(state, position, settings)
            }
        }
    };
    if stored.suspended {
        scheduling.queue = SUSPENDED_QUEUE;
    }
    scheduling
}

/// Review count, lapses and memory state, shared by every answered card.
fn counts(state: &CardState, position: i64, settings: &Settings) -> Scheduling {
    let mut data = json!({
        "pos": position,
        "s": state.stability,
        "d": state.difficulty,
        "dr": settings.desired_retention,
    });
    if let Some(decay) = settings.parameters.get(20) {
        data["decay"] = json!(decay);
    }
    if let Some(last) = state.last_review {
        data["lrt"] = json!(last.timestamp());
    }
    Scheduling {
        reps: i64::from(state.reps),
        lapses: i64::from(state.lapses),
        data: data.to_string(),
        ..new_card(position)
    }
}

/// Days from the last review to the due day, at least one.
fn review_interval(state: &CardState, timing: &Timing) -> i64 {
    let last = state.last_review.unwrap_or(state.due);
    (timing.day(state.due) - timing.day(last)).max(1)
}

/// A learning step due on the day of its answer is due in seconds; one due on a later day
/// waits in Anki's day-learning queue, due in days.
fn learning_due(state: &CardState, timing: &Timing) -> (i64, i64) {
    let last = state.last_review.unwrap_or(state.due);
    if timing.day(state.due) > timing.day(last) {
        (DAY_LEARNING_QUEUE, timing.day(state.due))
    } else {
        (LEARNING, state.due.timestamp())
    }
}

/// The id of the deck options `--with-progress` brings; stable, so a second import finds
/// them (and leaves them as the learner has set them since).
pub(super) const OPTIONS_ID: i64 = 1_764_547_200_010;

/// Deck options with the learner's scheduling settings (steps, limits, maximum interval,
/// leech threshold, desired retention and FSRS parameters), so that Anki, with FSRS on,
/// schedules as lupus-quiz did.
pub(super) fn deck_options(settings: &Settings, modified_secs: i64) -> serde_json::Value {
    let minutes = |steps: &[chrono::TimeDelta]| -> Vec<f64> {
        steps
            .iter()
            .map(|step| step.num_seconds() as f64 / 60.0)
            .collect()
    };
    json!({
        "id": OPTIONS_ID, "mod": modified_secs, "name": super::PARENT_DECK, "usn": 0,
        "maxTaken": settings.max_answer_seconds, "autoplay": true, "timer": 0,
        "replayq": true, "dyn": false,
        "new": { "bury": false, "delays": minutes(&settings.learning_steps),
                 "initialFactor": STARTING_EASE, "ints": [1, 4, 0], "order": 1,
                 "perDay": settings.new_per_day },
        "rev": { "bury": false, "ease4": 1.3, "ivlFct": 1.0,
                 "maxIvl": settings.max_interval_days, "perDay": settings.reviews_per_day,
                 "hardFactor": 1.2 },
        // Leech action 0: suspend, as lupus-quiz does.
        "lapse": { "delays": minutes(&settings.relearning_steps), "leechAction": 0,
                   "leechFails": settings.leech_threshold, "minInt": 1, "mult": 0.0 },
        "desiredRetention": settings.desired_retention,
        "fsrsParams6": settings.parameters,
    })
}

/// One row of Anki's review log, without its id (the answer time, made unique later).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct RevlogRow {
    pub at_ms: i64,
    /// The button: 1 Again … 4 Easy.
    pub ease: i64,
    /// The interval the answer gave, and the one before it: days when positive, seconds
    /// when negative (a learning step due the same day).
    pub interval: i64,
    pub last_interval: i64,
    /// FSRS's difficulty after the answer, as Anki's FSRS writes it: 100 to 1100.
    pub factor: i64,
    pub taken_ms: i64,
    /// 0 learning, 1 review, 2 relearning.
    pub kind: i64,
}

/// The review-log rows of one card's reviews (in time order), with the intervals replayed
/// through the learner's scheduler: lupus-quiz keeps only the answers, not what they gave.
pub(super) fn revlog(
    card_id: &CardId,
    reviews: &[ReviewRecord],
    scheduler: &Scheduler,
) -> Vec<RevlogRow> {
    let Some(first) = reviews.first() else {
        return Vec::new();
    };
    let mut state = CardState::new_card(first.at);
    let mut last_interval = 0;
    let mut rows = Vec::with_capacity(reviews.len());
    for review in reviews {
        let answered = scheduler.answer(card_id, &state, review.rating, review.at);
        state = answered.state;
        let interval = interval_after(&state, review.at, scheduler.calendar());
        rows.push(RevlogRow {
            at_ms: review.at.timestamp_millis(),
            ease: i64::from(review.rating.as_u8()),
            interval,
            last_interval,
            factor: (100.0 + 1000.0 * (state.difficulty - 1.0) / 9.0).round() as i64,
            taken_ms: i64::try_from(review.duration_ms).unwrap_or(i64::MAX),
            kind: match review.kind {
                ReviewKind::Learning => 0,
                ReviewKind::Review => 1,
                ReviewKind::Relearning => 2,
            },
        });
        last_interval = interval;
    }
    rows
}

/// Days to the due day when that is a later day, else negative seconds.
fn interval_after(state: &CardState, at: DateTime<Utc>, calendar: &StudyCalendar) -> i64 {
    let days = calendar.day_of(state.due) - calendar.day_of(at);
    if state.phase == CardPhase::Review || days > 0 {
        days.max(1)
    } else {
        -(state.due - at).num_seconds().max(1)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::ids::ReviewId;
    use crate::schedule::Rating;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn review(time: &str, rating: Rating, kind: ReviewKind) -> ReviewRecord {
        ReviewRecord {
            id: ReviewId::new(0),
            card_id: "c".into(),
            deck: Some("d".into()),
            at: at(time),
            rating,
            duration_ms: 4000,
            kind,
        }
    }

    #[test]
    fn days_count_from_the_creation_day() {
        let timing = Timing::starting(
            at("2026-03-01T12:00:00Z"),
            &StudyCalendar::new(4, crate::schedule::Zone::utc()),
        );
        assert_eq!(timing.day(at("2026-03-01T14:00:00Z")), 0);
        assert_eq!(timing.day(at("2026-03-11T12:00:00Z")), 10);
    }

    #[test]
    fn learning_steps_are_seconds_and_graduation_is_days() {
        let settings = Settings::default();
        let scheduler =
            Scheduler::new(settings.scheduler_config(), crate::schedule::Zone::system()).unwrap();
        let reviews = [
            review("2026-03-01T10:00:00Z", Rating::Good, ReviewKind::Learning),
            review("2026-03-01T10:01:00Z", Rating::Good, ReviewKind::Learning),
            review("2026-03-01T10:12:00Z", Rating::Good, ReviewKind::Learning),
        ];
        let rows = revlog(&"c".into(), &reviews, &scheduler);
        assert_eq!(rows.len(), 3);
        assert!(rows[0].interval < 0, "{rows:?}");
        assert_eq!(rows[1].last_interval, rows[0].interval);
        assert!(rows[2].interval >= 1, "{rows:?}");
        assert!((100..=1100).contains(&rows[2].factor));
        assert_eq!(rows[2].taken_ms, 4000);
    }

    #[test]
    fn a_review_card_is_due_in_days_with_its_memory_state() {
        let settings = Settings::default();
        let timing = Timing::starting(
            at("2026-03-01T10:00:00Z"),
            &StudyCalendar::new(settings.rollover_hour, crate::schedule::Zone::system()),
        );
        let last = at("2026-03-05T10:00:00Z");
        let stored = StoredCard {
            card_id: "c".into(),
            deck: Some("d".into()),
            state: CardState {
                phase: CardPhase::Review,
                due: last + TimeDelta::days(3),
                stability: 3.5,
                difficulty: 5.0,
                reps: 4,
                lapses: 1,
                step: 0,
                last_review: Some(last),
                leech: false,
                suspended: true,
            },
            suspended: true,
        };
        let scheduling = scheduled(&stored, 7, &settings, &timing);
        assert_eq!((scheduling.card_type, scheduling.queue), (2, -1));
        assert_eq!((scheduling.due, scheduling.interval), (7, 3));
        assert_eq!((scheduling.reps, scheduling.lapses), (4, 1));
        let data: serde_json::Value = serde_json::from_str(&scheduling.data).unwrap();
        assert_eq!(data["s"], 3.5);
        assert_eq!(data["pos"], 7);
        assert_eq!(data["lrt"], last.timestamp());
    }
}
