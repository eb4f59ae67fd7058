//! Regression tests for the store half of the adversarial pass (issue 12): what a learner
//! sees, and what is on disk, when another terminal changes settings or holds the write
//! lock, when a stored setting is unusable, and when the file is damaged.

use std::path::{Path, PathBuf};

use crate::hardening::run_ok;
use crate::plain_driver::Waiting;
use crate::support::{
    TEST_NOW, Test, TestEnv, assert_contains, assert_ends_with, builtin_catalog, plain_session,
    stderr_of, stdout_of,
};

const NEXT_DAY: &str = "2026-03-02T09:00:00Z";

/// A new test folder with the database of [`database_with_reviews`].
fn with_reviews() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let db = database_with_reviews(&env);
    (env, db)
}

/// A database with a few hundred reviews, spread over enough pages to damage one.
fn database_with_reviews(env: &TestEnv) -> PathBuf {
    let db = env.db();
    let mut csv = String::from("card,at,rating,duration_ms\n");
    for day in 0..300 {
        let at = chrono::DateTime::parse_from_rfc3339("2025-01-01T09:00:00Z").unwrap()
            + chrono::TimeDelta::days(day);
        for card in ["hsct-hsc-term", "basics-lupus-definition"] {
            csv.push_str(&format!("{card},{},3,4000\n", at.to_rfc3339()));
        }
    }
    let file = env.write("log.csv", csv);
    run_ok(env, &db, &["import", file.to_str().unwrap()]);
    db
}

fn sql(db: &Path, statements: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute_batch(statements).unwrap();
}

fn output(env: &TestEnv, db: &Path, now: &str, args: &[&str]) -> std::process::Output {
    Test::new(env).db(db).now(now).args(args).unchecked().run()
}

#[test]
fn a_settings_change_from_another_terminal_applies_to_the_running_session() {
    let env = TestEnv::new();
    let db = env.db();
    let catalog = builtin_catalog();
    let mut driver = plain_session(&env, &["study", "hsct"]);
    let mut transcript = String::new();
    let Waiting::Prompt { screen } = driver.wait() else {
        panic!("the session ended at once")
    };
    transcript.push_str(&screen);
    driver.answer_rightly(&catalog, &screen, &mut transcript);
    let Waiting::Prompt { screen } = driver.wait() else {
        panic!("the session ended after one card:\n{transcript}")
    };
    assert_contains(&screen, "next: in 10 minutes");
    transcript.push_str(&screen);

    // Meanwhile, in another terminal:
    let changed = run_ok(&env, &db, &["config", "learning_steps", "5m 30m"]);
    assert_eq!(changed, "learning_steps = 5m 30m\nrescheduled 1 card\n");

    driver.answer_rightly(&catalog, &screen, &mut transcript);
    let Waiting::Prompt { screen } = driver.wait() else {
        panic!("the session ended after two cards:\n{transcript}")
    };
    let after_second = screen
        .rsplit("next: in ")
        .next()
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(after_second, "30 minutes", "{screen}");
    driver.send("q");
    let (code, rest) = driver.finish();
    assert_eq!(code, Some(0), "{transcript}{rest}");
    let doctor = run_ok(&env, &db, &["doctor"]);
    assert_ends_with(&doctor, "No problems found.\n");
}

#[test]
fn read_only_commands_run_while_another_command_holds_the_write_lock() {
    let (env, db) = with_reviews();
    // A long import in another terminal holds the write lock.
    let writer = rusqlite::Connection::open(&db).unwrap();
    writer.execute_batch("BEGIN IMMEDIATE").unwrap();
    for args in [
        &["stats", "--json"][..],
        &["stats"],
        &["export"],
        &["export", "--reviews-csv"],
        &["doctor"],
        &[],
    ] {
        let result = output(&env, &db, TEST_NOW, args);
        assert!(
            result.status.success(),
            "`{}` failed: {}",
            args.join(" "),
            stderr_of(&result)
        );
    }
    writer.execute_batch("ROLLBACK").unwrap();
}

#[test]
fn one_unusable_stored_setting_stops_only_the_commands_that_need_it() {
    let (env, db) = with_reviews();
    sql(&db, "INSERT INTO settings VALUES ('leech_threshold', '-1')");

    // Commands that do not schedule cards run.
    for args in [&["stats", "--json"][..], &[], &["config", "new_per_day"]] {
        run_ok(&env, &db, args);
    }
    let export = output(&env, &db, TEST_NOW, &["export"]);
    assert!(export.status.success(), "{}", stderr_of(&export));
    assert_eq!(
        stderr_of(&export),
        "warning: setting `leech_threshold` has an unusable value `-1`, so the export holds its default; fix it with `lupus-quiz config leech_threshold VALUE`\n"
    );
    let exported: serde_json::Value = serde_json::from_slice(&export.stdout).unwrap();
    assert_eq!(exported["reviews"].as_array().unwrap().len(), 600);
    let listed = run_ok(&env, &db, &["config"]);
    assert_contains(
        &listed,
        "leech_threshold     -1         (unusable: `leech_threshold` cannot be `-1`: write a whole number from 1 to 99; fix it with `lupus-quiz config leech_threshold VALUE` or `--reset`)",
    );
    let doctor = output(&env, &db, TEST_NOW, &["doctor"]);
    assert_eq!(doctor.status.code(), Some(1));
    assert_contains(
        &stdout_of(&doctor),
        "problem: setting `leech_threshold` has an unusable value `-1`: `leech_threshold` cannot be `-1`: write a whole number from 1 to 99; fix it with `lupus-quiz config leech_threshold VALUE`, or `lupus-quiz config --reset leech_threshold`\n",
    );
    assert!(stdout_of(&doctor).contains("ok: the review totals"));

    // A session needs it, and says how to fix it.
    let study = output(&env, &db, TEST_NOW, &["study", "hsct", "--plain"]);
    assert_eq!(study.status.code(), Some(1));
    assert_eq!(
        stderr_of(&study),
        "error: setting `leech_threshold` in the database has an unusable value: `leech_threshold` cannot be `-1`: write a whole number from 1 to 99; fix it with `lupus-quiz config leech_threshold VALUE`, or `lupus-quiz config --reset leech_threshold` for the default\n"
    );

    // Both advised fixes run.
    assert_eq!(
        run_ok(&env, &db, &["config", "leech_threshold", "5"]),
        "leech_threshold = 5\nrescheduled 2 cards\n"
    );
    sql(
        &db,
        "UPDATE settings SET value = 'many' WHERE key = 'leech_threshold'",
    );
    assert_eq!(
        run_ok(&env, &db, &["config", "--reset", "leech_threshold"]),
        "leech_threshold = 8 (default)\n"
    );
    sql(&db, "INSERT INTO settings VALUES ('parameters', 'junk')");
    run_ok(&env, &db, &["optimize", "--reset"]);
    let doctor = run_ok(&env, &db, &["doctor"]);
    assert_ends_with(&doctor, "No problems found.\n");
}

/// Overwrites one page in the middle of the file, as a failing disk would.
fn damage_a_page(db: &Path) {
    let mut bytes = std::fs::read(db).unwrap();
    let page_size = u16::from_be_bytes([bytes[16], bytes[17]]) as usize;
    let pages = bytes.len() / page_size;
    assert!(pages > 6, "{pages} pages");
    let page = pages / 2;
    bytes[page * page_size..(page + 1) * page_size].fill(0xA5);
    std::fs::write(db, bytes).unwrap();
}

#[test]
fn a_damaged_database_is_found_by_the_daily_check_and_never_written_to() {
    let (env, db) = with_reviews();
    // The first command of the day takes the day's backup.
    run_ok(&env, &db, &["stats"]);
    let backup = env.path().join("backups/progress-2026-03-01T090000Z.db");
    assert!(backup.exists());
    damage_a_page(&db);
    let damaged = std::fs::read(&db).unwrap();

    // The next day's check finds it before a session writes into it.
    let study = output(&env, &db, NEXT_DAY, &["study", "hsct", "--plain"]);
    assert_eq!(study.status.code(), Some(1));
    let expected_advice = format!(
        "restore the newest backup: move `{db}` (and any `progress.db-wal` and `progress.db-shm` beside it) out of the way, then copy `{backup}` to `{db}`",
        db = db.display(),
        backup = backup.display()
    );
    let error = stderr_of(&study);
    assert!(
        error.starts_with(&format!(
            "error: `{}` is damaged or not a database (",
            db.display()
        )) && error.contains(&expected_advice),
        "{error}"
    );
    assert!(stdout_of(&study).is_empty(), "no question was asked");
    assert_eq!(std::fs::read(&db).unwrap(), damaged);

    // A command that only reads warns, and no damaged copy replaces a good backup.
    Test::new(&env)
        .db(&db)
        .now(NEXT_DAY)
        .args(["stats", "--json"])
        .unchecked()
        .stderr_contains(format!("warning: `{}` is damaged", db.display()))
        .run();
    let backups: Vec<_> = std::fs::read_dir(env.path().join("backups"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");

    // `doctor` lists every problem it can read and names the backup.
    let doctor = output(&env, &db, NEXT_DAY, &["doctor"]);
    assert_eq!(doctor.status.code(), Some(1));
    let report = stdout_of(&doctor);
    assert_contains(&report, "problem: ");
    assert_contains(&report, "the review totals");
    assert_contains(&stderr_of(&doctor), &expected_advice);
    assert_eq!(std::fs::read(&db).unwrap(), damaged);
}

#[test]
fn a_missing_table_says_the_database_is_damaged_and_doctor_checks_the_rest() {
    let (env, db) = with_reviews();
    sql(&db, "DROP TABLE review_totals");
    let stats = output(&env, &db, TEST_NOW, &["stats", "--json"]);
    assert_eq!(stats.status.code(), Some(1));
    assert_contains(
        &stderr_of(&stats),
        "the database is damaged (a table lupus-quiz needs is missing): run `lupus-quiz doctor`, which lists what can still be read and which backup to restore",
    );
    let doctor = output(&env, &db, TEST_NOW, &["doctor"]);
    assert_eq!(doctor.status.code(), Some(1));
    let report = stdout_of(&doctor);
    assert!(
        report.contains("problem: cannot check the review totals: ")
            && report.contains("no such table: review_totals"),
        "{report}"
    );
    // The checks after the failing one still ran.
    assert_contains(&report, "ok: every answer time is under a day");
    assert_contains(&report, "card states match their review logs");
}

#[test]
fn doctor_checks_and_repairs_a_log_with_absurd_answer_times() {
    let (env, db) = with_reviews();
    sql(
        &db,
        "UPDATE review_log SET duration_ms = 9223372036854775807 WHERE id IN (1, 2)",
    );
    let doctor = output(&env, &db, TEST_NOW, &["doctor"]);
    assert_eq!(doctor.status.code(), Some(1), "{}", stderr_of(&doctor));
    let report = stdout_of(&doctor);
    assert_contains(
        &report,
        "problem: 2 reviews recorded as taking longer than a day (`--repair` counts them as a day)",
    );
    let repaired = run_ok(&env, &db, &["doctor", "--repair"]);
    assert_contains(&repaired, "Counted 2 answer times of over a day as a day.");
    let doctor = run_ok(&env, &db, &["doctor"]);
    assert_ends_with(&doctor, "No problems found.\n");
    let stats: serde_json::Value =
        serde_json::from_str(&run_ok(&env, &db, &["stats", "--json"])).unwrap();
    assert!(stats["today"].is_object());
}

#[test]
fn escape_sequences_from_the_database_or_stdin_never_reach_the_terminal_raw() {
    let (env, db) = with_reviews();
    // An id and a deck name no import would write, as a hand-edited file could hold.
    sql(
        &db,
        "INSERT INTO review_log (card_id, deck, reviewed_at, rating, duration_ms, kind)
         VALUES ('evil' || char(27) || ']0;pwned' || char(7), 'gone' || char(27) || '[2J',
                 1767258000000, 3, 1000, 'learning');",
    );
    // The card gets a state, so that `stats` lists it among the orphans.
    run_ok(&env, &db, &["doctor", "--repair"]);
    for (args, shown) in [
        (&["stats"][..], "evil␛]0;pwned␇"),
        (&["doctor"], "gone␛[2J"),
    ] {
        let result = output(&env, &db, TEST_NOW, args);
        let text = format!("{}{}", stdout_of(&result), stderr_of(&result));
        assert!(!text.contains('\u{1b}'), "`{}`: {text:?}", args.join(" "));
        assert!(text.contains(shown), "`{}`: {text}", args.join(" "));
    }
    // A line typed (or piped) as an answer is echoed visibly.
    let result = Test::new(&env)
        .db(&db)
        .args(["study", "hsct"])
        .stdin("\x1b]52;c;ZXZpbA==\x07\nq\n")
        .stdout_contains("␛]52;c;ZXZpbA==␇")
        .stdout_contains("Session ended: no cards answered.")
        .run();
    assert!(!stdout_of(&result).contains('\u{1b}'));
}

#[test]
fn doctor_names_reviews_of_cards_no_deck_holds_without_an_empty_deck_name() {
    let env = TestEnv::new();
    let db = env.db();
    let csv = env.write(
        "log.csv",
        "card,at,rating\nnever-in-a-deck,2026-02-28T09:00:00Z,3\n",
    );
    Test::new(&env)
        .db(&db)
        .now("2026-03-01T09:00:00Z")
        .args(["import", csv.to_str().unwrap()])
        .any_stdout()
        .any_stderr()
        .run();
    Test::new(&env)
        .db(&db)
        .now("2026-03-01T09:00:00Z")
        .arg("doctor")
        .stdout_contains(
            "note: 1 review of 1 card that no deck has is kept and will count again if a deck with them comes back\n",
        )
        .run();
}
