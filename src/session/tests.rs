//! The session state machine with a scripted prompter: order of cards, limits, grading of
//! each type, override, undo and quit.

use chrono::{DateTime, TimeDelta, Utc};
use rand::SeedableRng;
use rand::rngs::StdRng;

use super::run::SessionError;
use super::*;
use crate::clock::Clock;
use crate::deck::{Catalog, DeckCache, DeckFile, DeckOrigin, load_catalog};
use crate::prompt::scripted::ScriptedPrompter;
use crate::schedule::{CardState, Rating, Scheduler};
use crate::settings::Settings;
use crate::store::{NewReview, Store};

const DECK: &str = r#"
title: Test
description: Every card type.
cards:
  - id: t-flip
    type: flip
    front: Front?
    back: Back.
    explanation: E.
    source: S
  - id: t-choice
    type: choice
    question: Pick right
    answer: Right
    distractors: [Wrong one, Wrong two]
    explanation: E.
    source: S
  - id: t-multi
    type: multi
    question: Pick the good ones
    correct: [Good A, Good B]
    wrong: [Bad C]
    explanation: E.
    source: S
  - id: t-tf
    type: truefalse
    statement: The sky is green.
    answer: false
    explanation: E.
    source: S
  - id: t-typed
    type: typed
    question: Spell it
    answers: [conditioning]
    explanation: E.
    source: S
  - id: t-cloze
    type: cloze
    text: Cells move with {{growth factors}}.
    explanation: E.
    source: S
  - id: t-order
    type: order
    question: Order them
    items: [first, second, third]
    explanation: E.
    source: S
"#;

fn catalog() -> Catalog {
    let file = DeckFile {
        name: "test".into(),
        label: "test.yaml".into(),
        origin: DeckOrigin::Builtin,
        bytes: Ok(DECK.as_bytes().to_vec().into()),
    };
    load_catalog(vec![file], &DeckCache::disabled()).unwrap()
}

fn at(text: &str) -> DateTime<Utc> {
    crate::clock::parse_instant(text).unwrap()
}

fn scheduler() -> Scheduler {
    Scheduler::new(
        Settings::default().scheduler_config(),
        crate::schedule::Zone::utc(),
    )
    .unwrap()
}

/// The right answer to whatever question is shown.
fn right(question: &Question) -> Action<Input> {
    Action::Answer(match question {
        Question::Flip { .. } => Input::Reveal,
        Question::Choice { options, .. } => {
            Input::Choice(options.iter().position(|o| o == "Right").unwrap())
        }
        Question::TrueFalse { .. } => Input::Choice(1),
        Question::Multi { options, .. } => Input::Multi(
            options
                .iter()
                .enumerate()
                .filter(|(_, o)| o.starts_with("Good"))
                .map(|(i, _)| i)
                .collect(),
        ),
        Question::Typed { .. } => Input::Text("Conditoning".into()),
        Question::Cloze { .. } => Input::Texts(vec!["growth factors".into()]),
        Question::Order { items, .. } => Input::Order(
            ["first", "second", "third"]
                .iter()
                .map(|want| items.iter().position(|i| i == want).unwrap())
                .collect(),
        ),
    })
}

fn wrong(question: &Question) -> Action<Input> {
    Action::Answer(match question {
        Question::Flip { .. } => Input::Reveal,
        Question::Choice { options, .. } => {
            Input::Choice(options.iter().position(|o| o != "Right").unwrap())
        }
        Question::TrueFalse { .. } => Input::Choice(0),
        Question::Multi { .. } => Input::Multi(vec![]),
        Question::Typed { .. } => Input::Text("radiation".into()),
        Question::Cloze { .. } => Input::Texts(vec!["sugar".into()]),
        Question::Order { items, .. } => Input::Order((0..items.len()).rev().collect()),
    })
}

struct Fixture {
    catalog: Catalog,
    store: Store,
    scheduler: Scheduler,
    settings: Settings,
    clock: Clock,
}

impl Fixture {
    fn new(now: &str) -> Fixture {
        Fixture {
            catalog: catalog(),
            store: Store::open_in_memory().unwrap(),
            scheduler: scheduler(),
            settings: Settings::default(),
            clock: Clock::starting_at(at(now)),
        }
    }

    /// Runs a study session of the test deck with `prompter`.
    fn study(&mut self, prompter: &mut ScriptedPrompter, limits: Limits) -> Summary {
        self.try_study(prompter, limits).unwrap()
    }

    /// [`Fixture::study`], for a session that may fail.
    fn try_study(
        &mut self,
        prompter: &mut ScriptedPrompter,
        limits: Limits,
    ) -> Result<Summary, SessionError> {
        let deck = self.catalog.deck("test").unwrap();
        let snapshot = Snapshot::load(
            &self.store,
            &self.settings,
            self.scheduler.calendar(),
            self.clock.now(),
            Scope::Deck(deck),
        )
        .unwrap();
        let queue = snapshot.study_queue(&self.store, deck, &self.scheduler, limits);
        let services = Services {
            prompter,
            store: &mut self.store,
            scheduler: &self.scheduler,
            clock: &self.clock,
            max_answer_time: self.settings.max_answer_time(),
            learn_ahead: self.settings.learn_ahead(),
        };
        let mut session = Session::new(Mode::Study, services, StdRng::seed_from_u64(3), queue);
        session.run()
    }

    fn log(&self, id: &str) -> Vec<Rating> {
        self.store
            .reviews_of(&id.into())
            .unwrap()
            .iter()
            .map(|r| r.rating)
            .collect()
    }
}

fn shown_prompts(prompter: &ScriptedPrompter) -> Vec<String> {
    prompter
        .shown
        .iter()
        .map(|(_, q)| match q {
            Question::Flip { front } => front.clone(),
            Question::Choice { prompt, .. }
            | Question::Multi { prompt, .. }
            | Question::Typed { prompt }
            | Question::Order { prompt, .. } => prompt.clone(),
            Question::TrueFalse { statement } => statement.clone(),
            Question::Cloze { text, .. } => text.clone(),
        })
        .collect()
}

#[test]
fn every_type_is_graded_and_recorded_good_when_right() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    for _ in 0..7 {
        prompter.answer(right);
    }
    let summary = fx.study(&mut prompter, Limits::default());
    assert_eq!(summary.answered, 7);
    assert_eq!(summary.right, 7);
    assert_eq!(
        prompter.feedback.len(),
        6,
        "flip is self-graded, without feedback"
    );
    assert!(
        prompter
            .feedback
            .iter()
            .all(|f| f.correct && f.rating == Rating::Good)
    );
    let typed = &prompter.feedback[3];
    assert_eq!(
        typed.details,
        vec!["Almost: the exact spelling is \"conditioning\""]
    );
    for id in [
        "t-flip", "t-choice", "t-multi", "t-tf", "t-typed", "t-cloze", "t-order",
    ] {
        assert_eq!(fx.log(id), vec![Rating::Good], "{id}");
    }
}

#[test]
fn wrong_answers_are_recorded_again_and_explained() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    prompter.grades.push_back(Action::Answer(Rating::Again));
    for _ in 0..7 {
        prompter.answer(wrong);
    }
    fx.study(&mut prompter, Limits::default());
    assert!(
        prompter
            .feedback
            .iter()
            .all(|f| !f.correct && f.rating == Rating::Again)
    );
    assert_eq!(prompter.feedback[0].details, vec!["Correct answer: Right"]);
    assert_eq!(
        prompter.feedback[1].details,
        vec!["Correct: Good A; Good B", "Missed: Good A; Good B"]
    );
    assert_eq!(fx.log("t-order"), vec![Rating::Again]);
}

#[test]
fn new_cards_come_in_deck_order_within_the_limit() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    for _ in 0..3 {
        prompter.answer(right);
    }
    fx.study(
        &mut prompter,
        Limits {
            new: Some(3),
            reviews: None,
        },
    );
    assert_eq!(
        shown_prompts(&prompter)[..3],
        ["Front?", "Pick right", "Pick the good ones"]
    );
    assert_eq!(prompter.shown[0].0.new_left, 3);
    assert_eq!(prompter.shown[0].0.left, 3);
    assert_eq!(prompter.shown[0].0.answered, 0);
}

#[test]
fn due_reviews_come_first_then_learning_when_due_then_new() {
    let mut fx = Fixture::new("2026-03-10T09:00:00Z");
    // t-order and t-cloze graduated long ago and are due; t-tf is in learning, due now.
    let old = at("2025-06-01T09:00:00Z");
    for (id, times) in [("t-order", [0, 1, 2]), ("t-cloze", [0, 1, 3])] {
        for day in times {
            let review = NewReview {
                card_id: id.into(),
                deck: Some("test".into()),
                at: old + TimeDelta::days(day) + TimeDelta::minutes(day * 11),
                rating: Rating::Good,
                duration_ms: 1000,
            };
            fx.store.record_answer(&review, &fx.scheduler).unwrap();
        }
    }
    let learning = NewReview {
        card_id: "t-tf".into(),
        deck: Some("test".into()),
        at: fx.clock.now() - TimeDelta::minutes(15),
        rating: Rating::Good,
        duration_ms: 1000,
    };
    fx.store.record_answer(&learning, &fx.scheduler).unwrap();
    let order_due = fx.store.card(&"t-order".into()).unwrap().unwrap().state.due;
    let cloze_due = fx.store.card(&"t-cloze".into()).unwrap().unwrap().state.due;
    assert!(order_due <= fx.clock.now() && cloze_due <= fx.clock.now());

    let mut prompter = ScriptedPrompter::default();
    for _ in 0..4 {
        prompter.answer(right);
    }
    fx.study(
        &mut prompter,
        Limits {
            new: Some(1),
            reviews: None,
        },
    );
    let shown = shown_prompts(&prompter);
    assert_eq!(
        shown[0], "The sky is green.",
        "the learning card due now comes first"
    );
    // Then the two reviews, most overdue first.
    let first_review = if order_due < cloze_due {
        "Order them"
    } else {
        "Cells move with [1]."
    };
    assert_eq!(shown[1], first_review);
    assert_eq!(shown[3], "Front?", "then the new card");
    assert_eq!(prompter.shown[1].0.review_left, 2);
}

#[test]
fn dashboard_counts_are_what_study_shows() {
    let mut fx = Fixture::new("2026-03-10T09:00:00Z");
    // A review due long ago, a review due in weeks (not due, yet not new), a learning card
    // due now and one learning card due later, then a forgotten card (new again).
    let answers = [
        ("t-order", "2025-06-01T09:00:00Z", Rating::Good),
        ("t-order", "2025-06-02T09:00:00Z", Rating::Good),
        ("t-flip", "2026-03-09T08:00:00Z", Rating::Easy),
        ("t-tf", "2026-03-10T08:45:00Z", Rating::Good),
        ("t-multi", "2026-03-10T08:59:00Z", Rating::Easy),
        ("t-choice", "2026-03-01T08:59:00Z", Rating::Good),
    ];
    for (id, when, rating) in answers {
        let review = NewReview {
            card_id: id.into(),
            deck: Some("test".into()),
            at: at(when),
            rating,
            duration_ms: 1000,
        };
        fx.store.record_answer(&review, &fx.scheduler).unwrap();
    }
    let (card_id, deck_name) = ("t-choice".into(), "test".into());
    let forgotten = crate::store::ActionTarget {
        card_id: &card_id,
        deck: &deck_name,
    };
    let forget = crate::schedule::CardAction::Forget;
    (fx.store)
        .take_action(&[forgotten], forget, at("2026-03-02T09:00:00Z"))
        .unwrap();
    let deck = fx.catalog.deck("test").unwrap();
    let place = fx.catalog.index_of(&deck.name).unwrap();
    for now in [
        "2026-03-10T09:00:00Z",
        "2026-03-10T09:20:00Z",
        "2026-03-11T09:00:00Z",
    ] {
        let now = at(now);
        let calendar = fx.scheduler.calendar();
        let snapshot =
            Snapshot::load(&fx.store, &fx.settings, calendar, now, Scope::Deck(deck)).unwrap();
        let queue = snapshot.study_queue(&fx.store, deck, &fx.scheduler, Limits::default());
        let due_steps = (queue.learning.iter())
            .filter(|card| card.state.as_ref().is_some_and(|s| s.state.due <= now))
            .count();
        let counts =
            DeckCounts::load(&mut fx.store, &fx.settings, calendar, now, &fx.catalog).unwrap();
        let shown = (queue.reviews.len() + due_steps, queue.new.len());
        assert_eq!(counts.decks[place], shown, "at {now}");
        assert!(queue.new.iter().any(|card| card.card.id == "t-choice"));
    }
}

#[test]
fn a_card_answered_again_comes_back_in_the_same_session() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    // Flip card: graded Again by the learner, then (learn-ahead) shown again.
    let mut prompter = ScriptedPrompter::default();
    prompter.grades.push_back(Action::Answer(Rating::Again));
    prompter.answer(right).answer(right);
    fx.study(
        &mut prompter,
        Limits {
            new: Some(1),
            reviews: None,
        },
    );
    assert_eq!(shown_prompts(&prompter)[..2], ["Front?", "Front?"]);
    assert_eq!(fx.log("t-flip"), vec![Rating::Again, Rating::Good]);
}

#[test]
fn override_changes_the_recorded_grade() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    prompter.grades.push_back(Action::Answer(Rating::Good));
    prompter.answer(right).answer(wrong);
    prompter
        .after_feedback
        .push_back(Action::Regrade(Rating::Hard));
    fx.study(
        &mut prompter,
        Limits {
            new: Some(2),
            reviews: None,
        },
    );
    assert_eq!(fx.log("t-choice"), vec![Rating::Hard]);
    let expected = fx.scheduler.replay(
        &"t-choice".into(),
        &[(
            fx.store.reviews_of(&"t-choice".into()).unwrap()[0].at,
            Rating::Hard,
        )],
    );
    assert_eq!(
        fx.store.card(&"t-choice".into()).unwrap().unwrap().state,
        expected
    );
    assert!(
        prompter
            .messages
            .iter()
            .any(|m| m.starts_with("Regraded as Hard, next: in ")),
        "{:?}",
        prompter.messages
    );
}

#[test]
fn a_regrade_on_the_feedback_screen_waits_there_and_may_change_again() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    prompter.grades.push_back(Action::Answer(Rating::Good));
    prompter.answer(right).answer(wrong);
    // Easy from the feedback, then Hard while the new grade is shown, then Enter.
    prompter.after_feedback.extend([
        Action::Regrade(Rating::Easy),
        Action::Regrade(Rating::Hard),
        Action::Answer(()),
    ]);
    fx.study(
        &mut prompter,
        Limits {
            new: Some(2),
            reviews: None,
        },
    );
    assert_eq!(prompter.after_regrades, 2);
    assert_eq!(fx.log("t-choice"), vec![Rating::Hard]);
    let regrades: Vec<&String> = prompter
        .messages
        .iter()
        .filter(|m| m.starts_with("Regraded as "))
        .collect();
    assert_eq!(regrades.len(), 2, "{:?}", prompter.messages);
    assert!(regrades[0].starts_with("Regraded as Easy, next: in "));
    assert!(regrades[1].starts_with("Regraded as Hard, next: in "));
}

#[test]
fn undo_restores_the_state_before_the_answer_and_the_card_comes_back() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    // An earlier answer, so the state before is not simply "new".
    fx.store
        .record_answer(
            &NewReview {
                card_id: "t-choice".into(),
                deck: Some("test".into()),
                at: at("2026-02-20T09:00:00Z"),
                rating: Rating::Good,
                duration_ms: 1,
            },
            &fx.scheduler,
        )
        .unwrap();
    let before = fx.store.card(&"t-choice".into()).unwrap();
    let mut prompter = ScriptedPrompter::default();
    prompter.answer(wrong); // t-choice, due for review
    prompter.after_feedback.push_back(Action::Undo);
    prompter.answer(right); // t-choice again
    fx.study(
        &mut prompter,
        Limits {
            new: Some(0),
            reviews: None,
        },
    );
    assert_eq!(shown_prompts(&prompter), vec!["Pick right", "Pick right"]);
    assert_eq!(fx.log("t-choice"), vec![Rating::Good, Rating::Good]);
    assert!(prompter.messages[0].starts_with("Undone: Pick right (Again)"));

    // Undo twice in a row from the question prompt takes back two answers.
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    prompter.grades.push_back(Action::Answer(Rating::Good));
    prompter
        .answer(right)
        .answer(right)
        .answer(|_| Action::Undo)
        .answer(|_| Action::Undo);
    let summary = fx.study(
        &mut prompter,
        Limits {
            new: Some(2),
            reviews: None,
        },
    );
    assert_eq!(summary.answered, 0);
    assert!(
        fx.store.card(&"t-flip".into()).unwrap().is_none()
            && fx.store.card(&"t-choice".into()).unwrap().is_none()
    );
    assert_eq!(before.unwrap().state.reps, 1);
}

#[test]
fn quitting_ends_the_session_with_a_summary_of_what_was_saved() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    prompter.grades.push_back(Action::Answer(Rating::Easy));
    prompter
        .answer(right)
        .answer(wrong)
        .answer(|_| Action::Quit);
    let summary = fx.study(&mut prompter, Limits::default());
    assert_eq!(summary.answered, 2);
    assert_eq!(summary.right, 1);
    assert_eq!(fx.store.review_count().unwrap(), 2);
}

#[test]
fn a_quiz_scores_and_leaves_the_schedule_alone() {
    let fx = Fixture::new("2026-03-01T09:00:00Z");
    let deck = fx.catalog.deck("test").unwrap();
    let mut rng = StdRng::seed_from_u64(9);
    let all: Vec<usize> = (0..deck.cards.len()).collect();
    let cards = pick_questions(deck, &all, 4, &mut rng);
    assert_eq!(cards.len(), 4);
    assert!(cards.iter().all(|c| c.card_type().is_objective()));
    let mut prompter = ScriptedPrompter::default();
    prompter
        .answer(right)
        .answer(wrong)
        .answer(|_| Action::Undo)
        .answer(right)
        .answer(right)
        .answer(wrong);
    let result = run_quiz(deck, &cards, &mut prompter, &fx.clock, &mut rng).unwrap();
    assert_eq!((result.right, result.answered), (3, 4));
    assert_eq!(result.summary.missed.len(), 1);
    assert_eq!(fx.store.review_count().unwrap(), 0);
    let _ = CardState::new_card(fx.clock.now());
}

mod saving {
    //! What the learner is told when an answer cannot be written at once (issue 12).

    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::Duration;

    use super::*;

    /// A fixture on a file, with a second connection holding the write lock, as a long
    /// import in another terminal does.
    fn locked_fixture(
        dir: &tempfile::TempDir,
    ) -> (Fixture, Rc<RefCell<Option<rusqlite::Connection>>>) {
        let path = dir.path().join("progress.db");
        let mut fx = Fixture::new("2026-03-01T09:00:00Z");
        fx.store = Store::open(&path).unwrap();
        fx.store.set_busy_timeout(Duration::from_millis(10));
        let writer = rusqlite::Connection::open(&path).unwrap();
        writer.execute_batch("BEGIN IMMEDIATE").unwrap();
        (fx, Rc::new(RefCell::new(Some(writer))))
    }

    #[test]
    fn an_answer_given_while_another_command_writes_is_kept_and_saved_when_it_can_be() {
        let dir = tempfile::TempDir::new().unwrap();
        let (mut fx, lock) = locked_fixture(&dir);
        let mut prompter = ScriptedPrompter::default();
        prompter.answer(right);
        let release = Rc::clone(&lock);
        prompter.on_message = Some(Box::new(move |text| {
            if text.starts_with("The database is busy") {
                // The import finishes while the learner reads the message.
                release.borrow_mut().take();
            }
        }));
        let summary = fx.study(&mut prompter, Limits::default());
        assert_eq!(summary.answered, 1);
        assert_eq!(
            prompter.messages[..2],
            [
                "The database is busy: another lupus-quiz command is writing to it. Your answer is not saved yet; it is kept and saved as soon as the database is free (Ctrl-C gives up on it).",
                "Saved.",
            ]
        );
        assert_eq!(fx.log("t-flip"), vec![Rating::Good]);
    }

    #[test]
    fn an_answer_that_cannot_be_written_is_never_called_saved() {
        let dir = tempfile::TempDir::new().unwrap();
        let (mut fx, _lock) = locked_fixture(&dir);
        let mut prompter = ScriptedPrompter::default();
        prompter.answer(right);
        let error = fx.try_study(&mut prompter, Limits::default()).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("your answer to `t-flip` (Good) was NOT saved: "),
            "{error}"
        );
        assert!(!prompter.messages.iter().any(|m| m == "Saved."));
        assert!(prompter.feedback.is_empty());
    }

    #[test]
    fn a_regrade_that_cannot_be_written_keeps_the_old_grade() {
        let mut fx = Fixture::new("2026-03-01T09:00:00Z");
        let mut prompter = ScriptedPrompter::default();
        prompter.answer(right).answer(right);
        prompter.grades.push_back(Action::Answer(Rating::Good));
        prompter
            .after_feedback
            .push_back(Action::Regrade(Rating::Easy));
        // The flip card is answered, then the choice card; its regrade to Easy cannot be
        // recorded (as with a full disk between the two steps of a regrade).
        fx.store.execute_for_tests(
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON review_log WHEN NEW.rating = 4
             BEGIN SELECT RAISE(ABORT, 'disk gone'); END;",
        );
        let error = fx.try_study(&mut prompter, Limits::default()).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("your answer to `t-choice` (Easy) was NOT saved: "),
            "{error}"
        );
        assert_eq!(
            fx.log("t-choice"),
            vec![Rating::Good],
            "the old grade stays"
        );
    }
}

#[test]
fn wrong_answers_bring_each_card_back_early_once_and_the_session_ends_saying_why() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    for _ in 0..100 {
        prompter.answer(wrong);
        prompter.grades.push_back(Action::Answer(Rating::Again));
    }
    let summary = fx.study(&mut prompter, Limits::default());
    let cards = fx.catalog.deck("test").unwrap().cards.len();
    // Once as new, once more early (labelled), then each waits for its 1m step.
    assert_eq!(prompter.shown.len(), 2 * cards);
    let (first, second) = prompter.shown.split_at(cards);
    assert!(first.iter().all(|(header, _)| header.early.is_none()));
    assert!(
        second
            .iter()
            .all(|(header, _)| header.early.as_deref() == Some("1m"))
    );
    assert_eq!(summary.answered, 2 * cards);
    assert_eq!(
        summary.remark.as_deref(),
        Some(
            format!("Nothing more to show now: {cards} cards in learning are not due yet.")
                .as_str()
        )
    );
}

#[test]
fn the_header_counts_answers_given_and_what_is_left_now() {
    let mut fx = Fixture::new("2026-03-01T09:00:00Z");
    let mut prompter = ScriptedPrompter::default();
    prompter.answer(wrong).answer(right);
    fx.study(
        &mut prompter,
        Limits {
            new: Some(3),
            reviews: None,
        },
    );
    let counts: Vec<(usize, usize, usize, usize)> = prompter
        .shown
        .iter()
        .map(|(h, _)| (h.answered, h.left, h.new_left, h.learning_left))
        .collect();
    // The third card is shown, then the script ends (quit): the denominator never grows.
    assert_eq!(counts, [(0, 3, 3, 0), (1, 3, 2, 1), (2, 3, 1, 2)]);
}
