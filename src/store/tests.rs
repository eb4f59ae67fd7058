//! Store tests: answers land in one transaction each, replay equals recording, and files
//! that are not ours are refused untouched.

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;

use super::*;
use crate::ids::ReviewId;
use crate::schedule::{CardAction, CardState, Rating, ReviewKind, Scheduler, SchedulerConfig};

fn at(text: &str) -> DateTime<Utc> {
    crate::clock::parse_instant(text).unwrap()
}

fn scheduler() -> Scheduler {
    Scheduler::new(SchedulerConfig::default(), crate::schedule::Zone::utc()).unwrap()
}

fn review(card: &str, when: DateTime<Utc>, rating: Rating) -> NewReview {
    NewReview {
        card_id: card.into(),
        deck: Some("hsct".into()),
        at: when,
        rating,
        duration_ms: 1500,
    }
}

#[test]
fn an_answer_is_stored_with_the_state_the_scheduler_gives() {
    let mut store = Store::open_in_memory().unwrap();
    let scheduler = scheduler();
    let when = at("2026-03-01T09:00:00Z");
    let recorded = store
        .record_answer(&review("hsct-a", when, Rating::Good), &scheduler)
        .unwrap();
    let expected = scheduler.answer(
        &"hsct-a".into(),
        &CardState::new_card(when),
        Rating::Good,
        when,
    );
    assert_eq!(recorded.answered.state, expected.state);
    let stored = store.card(&"hsct-a".into()).unwrap().unwrap();
    assert_eq!(stored.state, expected.state);
    assert_eq!(stored.deck, Some("hsct".into()));
    let log = store.reviews_of(&"hsct-a".into()).unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].at, when);
    assert_eq!(log[0].duration_ms, 1500);
    assert_eq!(log[0].kind, crate::schedule::ReviewKind::Learning);
}

#[test]
fn two_reviews_of_one_card_never_share_a_time_even_when_the_clock_goes_back() {
    let mut store = Store::open_in_memory().unwrap();
    let scheduler = scheduler();
    let when = at("2026-03-01T09:00:00Z");
    store
        .record_answer(&review("c", when, Rating::Again), &scheduler)
        .unwrap();
    let same = store
        .record_answer(&review("c", when, Rating::Good), &scheduler)
        .unwrap();
    assert_eq!(same.at, when + TimeDelta::milliseconds(1));
    let earlier = when - TimeDelta::hours(3);
    let back = store
        .record_answer(&review("c", earlier, Rating::Good), &scheduler)
        .unwrap();
    assert_eq!(back.at, when + TimeDelta::milliseconds(2));
    assert!(back.answered.state.due >= back.at);
    assert_eq!(store.reviews_of(&"c".into()).unwrap().len(), 3);
}

#[test]
fn undo_restores_the_state_before_the_answer() {
    let mut store = Store::open_in_memory().unwrap();
    let scheduler = scheduler();
    let t0 = at("2026-03-01T09:00:00Z");
    store
        .record_answer(&review("c", t0, Rating::Good), &scheduler)
        .unwrap();
    let before = store.card(&"c".into()).unwrap();
    let second = store
        .record_answer(
            &review("c", t0 + TimeDelta::minutes(10), Rating::Again),
            &scheduler,
        )
        .unwrap();
    let after_undo = store.undo_review(second.review_id, &scheduler).unwrap();
    assert_eq!(after_undo, before);
    assert_eq!(store.card(&"c".into()).unwrap(), before);
    let first_id = store.reviews_of(&"c".into()).unwrap()[0].id;
    assert_eq!(store.undo_review(first_id, &scheduler).unwrap(), None);
    assert_eq!(
        store.card(&"c".into()).unwrap(),
        None,
        "a card with no reviews is new again"
    );
}

#[test]
fn import_is_idempotent_and_equals_recording() {
    let scheduler = scheduler();
    let t0 = at("2026-03-01T09:00:00Z");
    let history = [
        review("c", t0, Rating::Good),
        review("c", t0 + TimeDelta::minutes(1), Rating::Good),
        review("c", t0 + TimeDelta::minutes(12), Rating::Good),
        review("c", t0 + TimeDelta::days(3), Rating::Again),
        review("d", t0 + TimeDelta::days(3), Rating::Easy),
    ];
    let mut recorded = Store::open_in_memory().unwrap();
    for r in &history {
        recorded.record_answer(r, &scheduler).unwrap();
    }
    let mut imported = Store::open_in_memory().unwrap();
    let first = imported.import_reviews(&history, None, &scheduler).unwrap();
    assert_eq!(
        first,
        ImportReport {
            added: 5,
            skipped: 0,
            cards_replayed: 2,
            ..ImportReport::default()
        }
    );
    let second = imported.import_reviews(&history, None, &scheduler).unwrap();
    assert_eq!(
        second,
        ImportReport {
            added: 0,
            skipped: 5,
            cards_replayed: 0,
            ..ImportReport::default()
        }
    );
    assert_eq!(imported.cards().unwrap(), recorded.cards().unwrap());
    let kinds = |s: &Store| {
        s.reviews_of(&"c".into())
            .unwrap()
            .iter()
            .map(|r| r.kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&imported), kinds(&recorded));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Replaying a card's log gives exactly the state that recording it answer by answer
    /// gave, and the scheduler's own replay agrees.
    #[test]
    fn replay_equals_step_by_step_recording(
        steps in prop::collection::vec((0i64..5 * 24 * 60, 1u8..=4), 1..25)
    ) {
        let scheduler = scheduler();
        let mut store = Store::open_in_memory().unwrap();
        let mut when = at("2026-01-10T08:00:00Z");
        let mut log = Vec::new();
        for (gap_minutes, rating) in steps {
            when += TimeDelta::minutes(gap_minutes) + TimeDelta::milliseconds(1);
            let rating = Rating::try_from(rating).unwrap();
            store.record_answer(&review("p", when, rating), &scheduler).unwrap();
            log.push((when, rating));
        }
        let recorded = store.card(&"p".into()).unwrap().unwrap();
        let replayed = store.replay_all(&scheduler).unwrap();
        prop_assert_eq!(replayed, 1);
        prop_assert_eq!(store.card(&"p".into()).unwrap().unwrap(), recorded.clone());
        prop_assert_eq!(scheduler.replay(&"p".into(), &log), recorded.state);
    }
}

/// Every card's stored state and every review's kind, to compare a store with itself
/// after a full replay.
fn states_and_kinds(store: &Store) -> (Vec<StoredCard>, Vec<(String, i64, ReviewKind)>) {
    let mut kinds = Vec::new();
    store
        .for_each_review(|r| {
            kinds.push((r.card_id.to_string(), r.at.timestamp_millis(), r.kind));
            Ok(())
        })
        .unwrap()
        .unwrap();
    (store.cards().unwrap(), kinds)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// An import replays cards while it stores their reviews when it can (issue 18): in
    /// whatever order the reviews come, with duplicates, with cards that already have a
    /// log, and with a learner's suspension beside them, every state, every kind and the
    /// totals must be what a replay of the whole log gives.
    #[test]
    fn an_import_in_any_order_stores_what_a_full_replay_gives(
        before in prop::collection::vec((0u8..4, 0i64..20 * 24 * 60, 1u8..=4), 0..6),
        imported in prop::collection::vec((0u8..4, 0i64..20 * 24 * 60, 1u8..=4), 1..40),
        suspend_card in prop::option::of(0u8..4),
    ) {
        let scheduler = scheduler();
        let start = at("2026-01-10T08:00:00Z");
        // One file never answers a card twice at one moment with two ratings (import refuses
        // such a file whole): a repeated moment keeps the rating it first had.
        let as_reviews = |log: &[(u8, i64, u8)]| -> Vec<NewReview> {
            let mut first_rating = std::collections::HashMap::new();
            log.iter()
                .map(|&(card, minutes, rating)| {
                    let rating = *first_rating.entry((card, minutes)).or_insert(rating);
                    let rating = Rating::try_from(rating).unwrap();
                    review(&format!("card-{card}"), start + TimeDelta::minutes(minutes), rating)
                })
                .collect()
        };
        let mut store = Store::open_in_memory().unwrap();
        store.import_reviews(&as_reviews(&before), None, &scheduler).unwrap();
        let extras = ImportExtras {
            events: suspend_card
                .map(|card| CardEvent {
                    card_id: format!("card-{card}").as_str().into(),
                    deck: Some("hsct".into()),
                    at: start + TimeDelta::hours(30),
                    action: CardAction::Suspend,
                })
                .into_iter()
                .collect(),
            ..ImportExtras::default()
        };
        store.import_progress(&as_reviews(&imported), &extras, None, &scheduler).unwrap();
        let as_imported = states_and_kinds(&store);
        prop_assert_eq!(store.totals_mismatches().unwrap(), 0);
        store.replay_all(&scheduler).unwrap();
        prop_assert_eq!(as_imported, states_and_kinds(&store));
    }
}

/// One change to a store in [`totals_always_equal_a_count_of_the_log`].
#[derive(Debug, Clone)]
enum Change {
    /// Answer a card `minutes` after the previous answer (negative: the clock went back).
    Answer {
        card: u8,
        minutes: i64,
        rating: u8,
    },
    /// Undo the latest answer still there.
    Undo,
    /// Import a review of a card `minutes` before the first answer (it reorders a history).
    ImportEarlier {
        card: u8,
        minutes: i64,
        rating: u8,
    },
    ReplayAll,
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        4 => (0u8..3, -60i64..4 * 24 * 60, 1u8..=4)
            .prop_map(|(card, minutes, rating)| Change::Answer { card, minutes, rating }),
        1 => Just(Change::Undo),
        1 => (0u8..3, 1i64..3 * 24 * 60, 1u8..=4)
            .prop_map(|(card, minutes, rating)| Change::ImportEarlier { card, minutes, rating }),
        1 => Just(Change::ReplayAll),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// `stats` reads the review totals instead of the log, so after any answer, undo,
    /// import or replay they must equal a count of the log.
    #[test]
    fn totals_always_equal_a_count_of_the_log(changes in prop::collection::vec(change(), 1..30)) {
        let scheduler = scheduler();
        let mut store = Store::open_in_memory().unwrap();
        let start = at("2026-01-10T08:00:00Z");
        let mut when = start;
        let mut recorded: Vec<ReviewId> = Vec::new();
        for change in changes {
            match change {
                Change::Answer { card, minutes, rating } => {
                    when += TimeDelta::minutes(minutes);
                    let rating = Rating::try_from(rating).unwrap();
                    let answer = review(&format!("card-{card}"), when, rating);
                    recorded.push(store.record_answer(&answer, &scheduler).unwrap().review_id);
                }
                Change::Undo => {
                    if let Some(id) = recorded.pop() {
                        store.undo_review(id, &scheduler).unwrap();
                    }
                }
                Change::ImportEarlier { card, minutes, rating } => {
                    let rating = Rating::try_from(rating).unwrap();
                    let earlier = review(&format!("card-{card}"), start - TimeDelta::minutes(minutes), rating);
                    store.import_reviews(&[earlier], None, &scheduler).unwrap();
                }
                Change::ReplayAll => {
                    store.replay_all(&scheduler).unwrap();
                }
            }
            prop_assert_eq!(store.totals_mismatches().unwrap(), 0, "after {:?}", change);
        }
    }
}

#[test]
fn a_damaged_total_is_found_and_rebuilt() {
    let scheduler = scheduler();
    let mut store = Store::open_in_memory().unwrap();
    let t0 = at("2026-03-01T09:00:00Z");
    store
        .record_answer(&review("c", t0, Rating::Good), &scheduler)
        .unwrap();
    store
        .record_answer(
            &review("d", t0 + TimeDelta::days(2), Rating::Again),
            &scheduler,
        )
        .unwrap();
    store
        .conn
        .execute_batch("UPDATE review_totals SET reviews = 7 WHERE rowid = (SELECT min(rowid) FROM review_totals)")
        .unwrap();
    assert_eq!(store.totals_mismatches().unwrap(), 1);
    store.replay_all(&scheduler).unwrap();
    assert_eq!(store.totals_mismatches().unwrap(), 0);
}

#[test]
fn settings_round_trip_and_a_bad_stored_value_is_reported() {
    let mut store = Store::open_in_memory().unwrap();
    let mut settings = store.settings().unwrap();
    let key = crate::settings::Setting::DesiredRetention;
    settings.set(key, "0.85").unwrap();
    store.save_settings(&settings, &[key]).unwrap();
    assert_eq!(store.settings().unwrap().desired_retention, 0.85);
    assert_eq!(
        store.explicit_settings().unwrap(),
        vec![crate::settings::Setting::DesiredRetention]
    );
    store
        .conn
        .execute(
            "UPDATE settings SET value = 'lots' WHERE key = 'desired_retention'",
            [],
        )
        .unwrap();
    let error = store.settings().unwrap_err().to_string();
    assert!(
        error.starts_with("setting `desired_retention` in the database has an unusable value"),
        "{error}"
    );
}

mod files {
    use super::*;

    fn temp() -> tempfile::TempDir {
        tempfile::TempDir::new().unwrap()
    }

    #[test]
    fn a_new_file_gets_our_id_and_the_latest_schema_in_a_new_folder() {
        let dir = temp();
        let path = dir.path().join("nested/folder/progress.db");
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_version());
        let id: i32 = store
            .conn
            .query_row("PRAGMA application_id", [], |r| r.get(0))
            .unwrap();
        assert_eq!(id, APPLICATION_ID);
        let mode: String = store
            .conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }

    #[test]
    fn quiz_results_from_before_migration_6_count_as_whole_quizzes() {
        let dir = temp();
        let path = dir.path().join("v5.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        for migration in &super::super::migrations::MIGRATIONS[..5] {
            conn.execute_batch(migration).unwrap();
        }
        conn.execute_batch(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = 5;
             INSERT INTO quiz_result (deck, taken_at, correct, questions) VALUES ('hsct', 0, 1, 3);"
        ))
        .unwrap();
        drop(conn);
        let store = Store::open(&path).unwrap();
        let results = store.quiz_results().unwrap();
        assert_eq!((results[0].questions, results[0].planned), (3, 3));
        assert!(!results[0].ended_early());
        let scores = store.quiz_scores(None).unwrap();
        assert_eq!(scores[0].best, Some(scores[0].latest));
    }

    #[test]
    fn the_version_1_fixture_opens_with_its_reviews() {
        let dir = temp();
        let path = dir.path().join("v1.db");
        std::fs::copy(
            concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/progress-v1.db"),
            &path,
        )
        .unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), latest_version());
        assert_eq!(store.review_count().unwrap(), 3);
        let card = store.card(&"hsct-phase-order".into()).unwrap().unwrap();
        assert_eq!(card.state.reps, 3);
        // Migration 2 counted the old log into the review totals.
        assert_eq!(store.totals_mismatches().unwrap(), 0);
        let totals: i64 = store
            .conn
            .query_row("SELECT sum(reviews) FROM review_totals", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(totals, 3);
    }

    fn refused_untouched(bytes: &[u8], expected_start: &str) {
        let dir = temp();
        let path = dir.path().join("progress.db");
        std::fs::write(&path, bytes).unwrap();
        let error = Store::open(&path).unwrap_err().to_string();
        assert!(
            error.starts_with(&format!("`{}` {expected_start}", path.display())),
            "{error}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            bytes,
            "the file is unchanged"
        );
        assert!(!dir.path().join("progress.db-wal").exists());
    }

    #[test]
    fn a_file_that_is_not_sqlite_is_refused_untouched() {
        refused_untouched(
            b"name,score\nann,3\n",
            "is not a lupus-quiz database (it is not an SQLite file at all)",
        );
        refused_untouched(b"", "is an empty file");
    }

    fn sqlite_file_with(setup: &str) -> Vec<u8> {
        let dir = temp();
        let path = dir.path().join("other.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(setup).unwrap();
        drop(conn);
        std::fs::read(&path).unwrap()
    }

    #[test]
    fn another_programs_database_is_refused_untouched() {
        let bytes = sqlite_file_with(
            "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ann');",
        );
        refused_untouched(&bytes, "is a database of another program");
        let bytes = sqlite_file_with("PRAGMA application_id = 1234;");
        refused_untouched(
            &bytes,
            "is a database of another program (application id 0x4d2)",
        );
    }

    #[test]
    fn a_database_from_a_newer_version_is_refused_untouched() {
        let bytes = sqlite_file_with(&format!(
            "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {}; CREATE TABLE future (x);",
            latest_version() + 1
        ));
        let expected = format!(
            "was written by a newer version of lupus-quiz (schema {}, this version knows up to {})",
            latest_version() + 1,
            latest_version()
        );
        refused_untouched(&bytes, &expected);
    }

    #[test]
    fn a_recorded_answer_is_visible_to_another_connection_at_once() {
        let dir = temp();
        let path = dir.path().join("progress.db");
        let mut store = Store::open(&path).unwrap();
        store
            .record_answer(
                &review("c", at("2026-03-01T09:00:00Z"), Rating::Good),
                &scheduler(),
            )
            .unwrap();
        let other = Store::open(&path).unwrap();
        assert_eq!(other.review_count().unwrap(), 1);
        assert!(other.card(&"c".into()).unwrap().is_some());
    }
}

mod reliability {
    //! Regression tests for the adversarial pass of issue 12: what the store guarantees
    //! when a write fails half way, another command changes the settings, the disk fills,
    //! or a log holds absurd values.

    use super::*;

    fn file_store() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("progress.db");
        (dir, path)
    }

    #[test]
    fn a_regrade_that_fails_half_way_keeps_the_old_answer() {
        let mut store = Store::open_in_memory().unwrap();
        let scheduler = scheduler();
        let when = at("2026-03-01T09:00:00Z");
        let first = store
            .record_answer(&review("c", when, Rating::Again), &scheduler)
            .unwrap();
        let state_before = store.card(&"c".into()).unwrap();
        // The second step of a regrade (recording the new grade) now fails.
        store
            .conn
            .execute_batch(
                "CREATE TEMP TRIGGER refuse BEFORE INSERT ON review_log
                 BEGIN SELECT RAISE(ABORT, 'disk gone'); END;",
            )
            .unwrap();
        let error = store
            .regrade_review(
                first.review_id,
                &review("c", first.at, Rating::Good),
                &scheduler,
            )
            .unwrap_err();
        assert!(error.to_string().contains("disk gone"), "{error}");
        let log = store.reviews_of(&"c".into()).unwrap();
        assert_eq!(log.len(), 1, "the old answer is still in the log");
        assert_eq!(log[0].rating, Rating::Again);
        assert_eq!(store.card(&"c".into()).unwrap(), state_before);
        assert_eq!(store.totals_mismatches().unwrap(), 0);

        store.conn.execute_batch("DROP TRIGGER refuse").unwrap();
        let regraded = store
            .regrade_review(
                first.review_id,
                &review("c", first.at, Rating::Good),
                &scheduler,
            )
            .unwrap();
        let log = store.reviews_of(&"c".into()).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].rating, Rating::Good);
        assert_eq!(log[0].id, regraded.review_id);
        assert_eq!(store.state_mismatches(&scheduler).unwrap(), vec![]);
        assert_eq!(store.totals_mismatches().unwrap(), 0);
    }

    #[test]
    fn an_answer_follows_settings_another_command_changed_meanwhile() {
        let (_dir, path) = file_store();
        let mut session = Store::open(&path).unwrap();
        let started_with = scheduler();
        assert!(session.changed_elsewhere().unwrap());
        assert!(!session.changed_elsewhere().unwrap());

        // Another terminal: `config learning_steps "5m 30m"`.
        let mut other = Store::open(&path).unwrap();
        let mut settings = other.settings().unwrap();
        let steps = crate::settings::Setting::LearningSteps;
        settings.set(steps, "5m 30m").unwrap();
        let new_scheduler =
            Scheduler::new(settings.scheduler_config(), crate::schedule::Zone::utc()).unwrap();
        other
            .apply_settings(&settings, &[steps], &new_scheduler)
            .unwrap();
        drop(other);

        assert!(session.changed_elsewhere().unwrap());
        let when = at("2026-03-01T09:00:00Z");
        let recorded = session
            .record_answer(&review("c", when, Rating::Good), &started_with)
            .unwrap();
        assert_eq!(
            recorded.scheduler.as_ref().map(|s| s.config()),
            Some(new_scheduler.config()),
            "the session is handed the scheduler of the stored settings"
        );
        assert_eq!(recorded.answered.interval(), TimeDelta::minutes(30));
        assert_eq!(session.state_mismatches(&new_scheduler).unwrap(), vec![]);
        // With the current scheduler nothing is handed back.
        let again = session
            .record_answer(
                &review("c", when + TimeDelta::minutes(30), Rating::Good),
                &new_scheduler,
            )
            .unwrap();
        assert!(again.scheduler.is_none());
    }

    #[test]
    fn a_full_disk_names_the_file_and_saves_nothing() {
        let (_dir, path) = file_store();
        let mut store = Store::open(&path).unwrap();
        let scheduler = scheduler();
        let pages: i64 = store
            .conn
            .query_row("PRAGMA page_count", [], |row| row.get(0))
            .unwrap();
        // SQLite reports a database at its page limit as a full disk.
        store
            .conn
            .pragma_update(None, "max_page_count", pages)
            .unwrap();
        let when = at("2026-03-01T09:00:00Z");
        let mut error = None;
        for i in 0..2000 {
            let card = format!("card-{i}-{}", "x".repeat(200));
            if let Err(e) = store.record_answer(&review(&card, when, Rating::Good), &scheduler) {
                error = Some(e);
                break;
            }
        }
        let error = error.expect("the page limit is reached");
        assert!(matches!(error, StoreError::DiskFull { .. }), "{error:?}");
        assert_eq!(
            error.to_string(),
            format!(
                "cannot write `{}`: the disk is full, so this change was not saved; free some space and try again",
                path.display()
            )
        );
        assert_eq!(store.totals_mismatches().unwrap(), 0);
        assert_eq!(store.state_mismatches(&scheduler).unwrap(), vec![]);
    }

    #[test]
    fn absurd_answer_times_never_overflow_the_totals_and_repair_caps_them() {
        let mut store = Store::open_in_memory().unwrap();
        let scheduler = scheduler();
        let when = at("2026-03-01T09:00:00Z");
        let mut huge = review("c", when, Rating::Good);
        huge.duration_ms = u64::MAX;
        store.record_answer(&huge, &scheduler).unwrap();
        assert_eq!(
            store.reviews_of(&"c".into()).unwrap()[0].duration_ms,
            MAX_DURATION_MS
        );
        // What an older version could store.
        store
            .conn
            .execute_batch(&format!(
                "INSERT INTO review_log (card_id, deck, reviewed_at, rating, duration_ms, kind)
                 VALUES ('c', 'hsct', {0}, 3, {1}, 'learning'), ('c', 'hsct', {2}, 3, {1}, 'learning');",
                when.timestamp_millis() + 1000,
                i64::MAX,
                when.timestamp_millis() + 2000,
            ))
            .unwrap();
        assert_eq!(store.overlong_durations().unwrap(), 2);
        // Counting and rebuilding do not fail on them.
        assert_eq!(store.totals_mismatches().unwrap(), 1);
        store.replay_all(&scheduler).unwrap();
        assert_eq!(store.totals_mismatches().unwrap(), 0);
        assert_eq!(store.cap_durations().unwrap(), 2);
        assert_eq!(store.overlong_durations().unwrap(), 0);
        assert_eq!(store.totals_mismatches().unwrap(), 0);
    }

    #[test]
    fn opening_a_current_database_takes_no_write_lock() {
        let (_dir, path) = file_store();
        let mut store = Store::open(&path).unwrap();
        store
            .record_answer(
                &review("c", at("2026-03-01T09:00:00Z"), Rating::Good),
                &scheduler(),
            )
            .unwrap();
        drop(store);
        // A long import elsewhere holds the write lock.
        let writer = Connection::open(&path).unwrap();
        writer.execute_batch("BEGIN IMMEDIATE").unwrap();
        let started = std::time::Instant::now();
        let reader = Store::open(&path).unwrap();
        assert_eq!(reader.review_count().unwrap(), 1);
        assert!(reader.settings().is_ok());
        // Well under one busy timeout: the open did not wait for the lock.
        assert!(started.elapsed() < BUSY_TIMEOUT, "{:?}", started.elapsed());
        writer.execute_batch("ROLLBACK").unwrap();
    }

    #[test]
    fn one_bad_setting_is_named_and_the_others_still_read() {
        let store = Store::open_in_memory().unwrap();
        store
            .conn
            .execute_batch(
                "INSERT INTO settings VALUES ('leech_threshold', '-1'), ('new_per_day', '5');",
            )
            .unwrap();
        let (settings, bad) = store.settings_lenient().unwrap();
        assert_eq!(settings.new_per_day, 5);
        assert_eq!(
            settings.leech_threshold,
            crate::settings::Settings::default().leech_threshold
        );
        assert_eq!(bad.len(), 1);
        assert_eq!(bad[0].key, crate::settings::Setting::LeechThreshold);
        assert_eq!(bad[0].value, "-1");
        assert!(
            store
                .settings_for(&[crate::settings::Setting::NewPerDay])
                .is_ok()
        );
        assert!(
            store
                .settings_for(&[crate::settings::Setting::LeechThreshold])
                .is_err()
        );
        assert!(store.settings().is_err());
    }
}

/// Suspend, unsuspend and forget as events of the log: undo keeps them, a replay under
/// other settings reproduces them, `doctor` finds nothing, and an import brings them once.
#[test]
fn manual_actions_survive_undo_replay_and_import() {
    use crate::ids::{CardId, DeckName};
    use crate::schedule::{CardAction, CardPhase};
    let mut store = Store::open_in_memory().unwrap();
    let scheduler = scheduler();
    let (card, deck) = (CardId::from("c"), DeckName::from("hsct"));
    let target = [ActionTarget {
        card_id: &card,
        deck: &deck,
    }];
    let t0 = at("2026-03-01T09:00:00Z");
    store
        .record_answer(&review("c", t0, Rating::Easy), &scheduler)
        .unwrap();
    let answer = store
        .record_answer(
            &review("c", t0 + TimeDelta::days(5), Rating::Good),
            &scheduler,
        )
        .unwrap();
    let suspended = store
        .take_action(&target, CardAction::Suspend, t0 + TimeDelta::days(6))
        .unwrap();
    assert_eq!(
        suspended,
        ActionReport {
            changed: 1,
            unchanged: 0
        }
    );
    store.undo_review(answer.review_id, &scheduler).unwrap();
    let after_undo = store.card(&card).unwrap().unwrap();
    assert!(after_undo.suspended && after_undo.state.suspended);
    assert_eq!(store.events_of(&card).unwrap().len(), 1);

    store
        .take_action(&target, CardAction::Forget, t0 + TimeDelta::days(7))
        .unwrap();
    let forgotten = store.card(&card).unwrap().unwrap();
    assert_eq!(forgotten.state.phase, CardPhase::New);
    assert!(
        forgotten.state.suspended,
        "a suspension by hand outlives forget"
    );

    let other = Scheduler::new(
        SchedulerConfig {
            learning_steps: vec![TimeDelta::minutes(2)],
            ..SchedulerConfig::default()
        },
        crate::schedule::Zone::utc(),
    )
    .unwrap();
    store.replay_all(&other).unwrap();
    assert_eq!(store.card(&card).unwrap().unwrap(), forgotten);
    assert!(store.state_mismatches(&other).unwrap().is_empty());

    let mut copy = Store::open_in_memory().unwrap();
    let reviews: Vec<NewReview> = store
        .reviews_of(&card)
        .unwrap()
        .into_iter()
        .map(|r| NewReview {
            card_id: r.card_id,
            deck: r.deck,
            at: r.at,
            rating: r.rating,
            duration_ms: r.duration_ms,
        })
        .collect();
    let extras = ImportExtras {
        events: store.events().unwrap(),
        ..ImportExtras::default()
    };
    for expected in [2, 0] {
        let report = copy
            .import_progress(&reviews, &extras, None, &other)
            .unwrap();
        assert_eq!(report.events_added, expected);
    }
    assert_eq!(copy.card(&card).unwrap().unwrap(), forgotten);
}

/// `review` decides from the due index alone (issue 18) and reads the due reviews in due
/// order (issue 31): what it is told of each card must be what its whole state says, a
/// suspended card out of rotation and so in neither list.
#[test]
fn standings_from_the_due_index_agree_with_the_whole_states() {
    use crate::ids::{CardId, DeckName};
    use crate::schedule::CardPhase;
    let mut store = Store::open_in_memory().unwrap();
    let scheduler = scheduler();
    let t0 = at("2026-03-01T09:00:00Z");
    for (card, rating) in [
        ("a", Rating::Easy),
        ("b", Rating::Again),
        ("c", Rating::Good),
        ("d", Rating::Good),
    ] {
        store
            .record_answer(&review(card, t0, rating), &scheduler)
            .unwrap();
    }
    let (card, deck) = (CardId::from("c"), DeckName::from("hsct"));
    let target = [ActionTarget {
        card_id: &card,
        deck: &deck,
    }];
    store
        .take_action(&target, CardAction::Suspend, t0 + TimeDelta::hours(1))
        .unwrap();
    let reviews_before = |until| {
        let mut reviews = Vec::new();
        store
            .for_each_review_due_before(until, |id, due| {
                reviews.push((id.to_string(), due));
                std::ops::ControlFlow::Continue(())
            })
            .unwrap();
        reviews
    };
    let until = t0 + TimeDelta::days(400);
    let cards = store.cards().unwrap();
    let in_phase = |phases: &[CardPhase]| {
        let mut cards: Vec<_> = (cards.iter())
            .filter(|stored| !stored.suspended && phases.contains(&stored.state.phase))
            .map(|stored| (stored.card_id.to_string(), stored.state.due))
            .collect();
        cards.sort_by_key(|(_, due)| *due);
        cards
    };
    let reviews = reviews_before(until);
    assert_eq!(reviews, in_phase(&[CardPhase::Review]));
    assert!(!reviews.is_empty());
    let mut steps: Vec<_> = (store.steps_due_before(until).unwrap().into_iter())
        .map(|standing| {
            assert_eq!(standing.phase, Some(CardPhase::Learning));
            (standing.card_id.to_string(), standing.due)
        })
        .collect();
    steps.sort_by_key(|(_, due)| *due);
    assert_eq!(
        steps,
        in_phase(&[CardPhase::Learning, CardPhase::Relearning])
    );
    assert!(!steps.is_empty());
    assert!(!reviews.iter().chain(&steps).any(|(id, _)| id == "c"));
    assert!(reviews_before(t0).is_empty());
    assert!(store.steps_due_before(t0).unwrap().is_empty());
}
