//! Progress through the real binary: config, export and import.

use crate::support::{Test, TestEnv, assert_contains, assert_starts_with, stderr_of, stdout_of};

const AFTER_A_WEEK_OF_REVIEWS: &str = "2026-03-10T09:00:00Z";

/// A review log of real built-in card ids, as another tool might write it.
fn review_log_csv(env: &TestEnv) -> std::path::PathBuf {
    let ids = builtin_ids(3);
    let mut csv = String::from("card_id,review_rating,review_time,review_duration\n");
    for (i, id) in ids.iter().enumerate() {
        csv.push_str(&format!("{id},3,2026-03-0{}T10:00:00Z,4000\n", i + 1));
        csv.push_str(&format!("{id},3,2026-03-0{}T10:01:00.250Z,3000\n", i + 1));
        csv.push_str(&format!("{id},1,2026-03-0{}T18:30:00Z,9000\n", i + 4));
    }
    csv.push_str("orphan-card,4,2026-03-02T11:00:00Z,\n");
    env.write("log.csv", csv)
}

fn builtin_ids(n: usize) -> Vec<String> {
    let text = std::fs::read_to_string(crate::support::repo_dir().join("decks/hsct.yaml")).unwrap();
    text.lines()
        .filter_map(|l| l.trim_start().strip_prefix("- id:"))
        .map(|id| id.trim().to_string())
        .take(n)
        .collect()
}

fn run_ok(env: &TestEnv, db: &std::path::Path, args: &[&str]) -> String {
    let output = Test::new(env)
        .db(db)
        .now(AFTER_A_WEEK_OF_REVIEWS)
        .args(args)
        .unchecked()
        .run();
    assert!(output.status.success(), "{args:?}: {}", stderr_of(&output));
    stdout_of(&output)
}

/// Imports [`review_log_csv`] into `db`: 4 cards, 10 reviews and an orphan.
fn import_review_log(env: &TestEnv, db: &std::path::Path) {
    run_ok(env, db, &["import", review_log_csv(env).to_str().unwrap()]);
}

/// The database `name` in the test's folder, with [`review_log_csv`] imported.
fn with_review_log(env: &TestEnv, name: &str) -> std::path::PathBuf {
    let db = env.path().join(name);
    import_review_log(env, &db);
    db
}

/// The export without its `exported_at` line, which names the moment of export.
fn export_body(env: &TestEnv, db: &std::path::Path) -> String {
    run_ok(env, db, &["export"])
        .lines()
        .filter(|l| !l.contains("\"exported_at\""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn import_reports_added_skipped_and_orphans_and_is_idempotent() {
    let env = TestEnv::new();
    let db = env.db();
    let log = review_log_csv(&env);
    let first = run_ok(&env, &db, &["import", log.to_str().unwrap()]);
    assert_eq!(
        first,
        format!(
            "imported {}: 10 reviews added, 0 already present (skipped), 4 cards rescheduled\n\
             1 review belongs to 1 card that no deck has; they are kept\n",
            log.display()
        )
    );
    let after_first = export_body(&env, &db);
    let second = run_ok(&env, &db, &["import", log.to_str().unwrap()]);
    assert_contains(
        &second,
        ": 0 reviews added, 10 already present (skipped), 0 cards rescheduled",
    );
    assert_eq!(
        export_body(&env, &db),
        after_first,
        "importing twice is the same as once"
    );
}

#[test]
fn export_then_import_into_a_fresh_database_gives_identical_progress() {
    let env = TestEnv::new();
    let db = env.path().join("a.db");
    run_ok(&env, &db, &["config", "desired_retention", "0.85"]);
    run_ok(&env, &db, &["config", "learning_steps", "2m 15m"]);
    import_review_log(&env, &db);
    let exported = env.path().join("progress.json");
    run_ok(&env, &db, &["export", "-o", exported.to_str().unwrap()]);
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&exported).unwrap()).unwrap();
    assert_eq!(json["format"], "lupus-quiz-progress");
    assert_eq!(json["version"], 2);
    assert_eq!(json["settings"]["desired_retention"], 0.85);
    assert_eq!(json["settings"]["parameters"].as_array().unwrap().len(), 21);
    assert_eq!(json["cards"].as_array().unwrap().len(), 4);
    assert_eq!(json["reviews"].as_array().unwrap().len(), 10);
    let first_card = &json["cards"][0];
    for key in [
        "id",
        "deck",
        "state",
        "due",
        "stability",
        "difficulty",
        "reps",
        "lapses",
        "last_review",
    ] {
        assert!(
            first_card.get(key).is_some(),
            "cards have `{key}`: {first_card}"
        );
    }
    assert_eq!(json["reviews"][0]["rating"], 3);
    assert_eq!(json["reviews"][0]["duration_ms"], 4000);

    let fresh = env.path().join("b.db");
    let report = run_ok(&env, &fresh, &["import", exported.to_str().unwrap()]);
    assert_contains(
        &report,
        "settings taken from the file: desired_retention, learning_steps",
    );
    assert_eq!(export_body(&env, &fresh), export_body(&env, &db));
}

#[test]
fn a_malformed_import_is_refused_whole_and_leaves_the_database_byte_identical() {
    let env = TestEnv::new();
    let db = with_review_log(&env, "progress.db");
    let before = std::fs::read(&db).unwrap();
    let cases = [
        (
            "bad-rating.csv",
            "card,at,rating\nx,2026-03-01T10:00:00Z,3\ny,2026-03-01T10:00:00Z,5\n",
            ":3: rating `5` is not 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)",
        ),
        (
            "bad-time.csv",
            "card,at,rating\nx,last tuesday,3\n",
            ":2: time `last tuesday` is not understood; write it as RFC 3339 (2026-03-01T09:00:00Z) or Unix milliseconds",
        ),
        (
            "no-rating.csv",
            "card,at\nx,2026-03-01T10:00:00Z\n",
            ":1: no rating column in the header `card,at`; name it one of: rating, review_rating, ease, grade",
        ),
        (
            "short-row.csv",
            "card,at,rating\nx,2026-03-01T10:00:00Z\n",
            ":2: CSV error: record 1 (line: 2, byte: 15): found record with 2 fields, but the previous record has 3 fields",
        ),
        (
            "other.json",
            "{\"format\": \"something-else\"}",
            ": this is not a lupus-quiz progress file (`format` is `something-else`, expected `lupus-quiz-progress`)",
        ),
        (
            "newer.json",
            "{\"format\": \"lupus-quiz-progress\", \"version\": 9}",
            ": written by a newer lupus-quiz (format version 9; this one reads up to 2); update lupus-quiz to import it",
        ),
    ];
    for (name, contents, expected) in cases {
        let file = env.write(name, contents);
        let output = Test::new(&env)
            .db(&db)
            .now(AFTER_A_WEEK_OF_REVIEWS)
            .arg("import")
            .arg(&file)
            .unchecked()
            .run();
        assert_eq!(output.status.code(), Some(1), "{name}");
        assert_eq!(
            stderr_of(&output),
            format!("error: {}{expected}\n", file.display()),
            "{name}"
        );
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "{name}: database unchanged"
        );
    }
}

#[test]
fn config_lists_sets_validates_and_resets() {
    let env = TestEnv::new();
    let db = env.db();
    let listing = run_ok(&env, &db, &["config"]);
    assert_contains(&listing, "desired_retention   0.9        (default)");
    assert_eq!(
        run_ok(&env, &db, &["config", "new_per_day", "15"]),
        "new_per_day = 15\n"
    );
    assert_eq!(run_ok(&env, &db, &["config", "new_per_day"]), "15\n");
    assert!(run_ok(&env, &db, &["config"]).contains("new_per_day         15         (default 10)"));
    assert_eq!(
        run_ok(&env, &db, &["config", "new_per_day", "--reset"]),
        "new_per_day = 10 (default)\n"
    );

    let failures = [
        (
            vec!["config", "desired_retention", "0.5"],
            "error: `desired_retention` cannot be `0.5`: write a number from 0.70 to 0.99\n",
        ),
        (
            vec!["config", "rollover_hour", "25"],
            "error: `rollover_hour` cannot be `25`: write a whole number from 0 to 23\n",
        ),
        (
            vec!["config", "learning_steps", "1x"],
            "error: `learning_steps` cannot be `1x`: ",
        ),
        (
            vec!["config", "new_per_dya", "3"],
            "error: unknown setting `new_per_dya` (did you mean `new_per_day`?); run `lupus-quiz config` to list them\n",
        ),
        (
            vec!["config", "parameters", "1 2 3"],
            "error: `parameters` is set by `lupus-quiz optimize` (and reset with `optimize --reset`), not by hand\n",
        ),
    ];
    for (args, expected) in failures {
        let output = Test::new(&env).db(&db).args(&args).unchecked().run();
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        assert!(
            stderr_of(&output).starts_with(expected),
            "{args:?}: {}",
            stderr_of(&output)
        );
    }
}

#[test]
fn a_scheduling_setting_change_reschedules_cards_from_their_log() {
    let env = TestEnv::new();
    let db = with_review_log(&env, "progress.db");
    let out = run_ok(&env, &db, &["config", "desired_retention", "0.95"]);
    assert_eq!(out, "desired_retention = 0.95\nrescheduled 4 cards\n");
}

#[test]
fn a_bad_clock_variable_is_a_clear_error() {
    let env = TestEnv::new();
    let output = Test::new(&env)
        .db(&env.path().join("p.db"))
        .now("tomorrow")
        .arg("config")
        .unchecked()
        .run();
    assert_eq!(output.status.code(), Some(1));
    assert_starts_with(
        &stderr_of(&output),
        "error: LUPUS_QUIZ_NOW=`tomorrow` is not an RFC 3339 time",
    );
}

#[test]
fn a_database_that_is_not_ours_is_refused_and_left_alone() {
    let env = TestEnv::new();
    let db = env.write("notes.txt", "my shopping list\n");
    let output = Test::new(&env).db(&db).arg("export").unchecked().run();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr_of(&output),
        format!(
            "error: `{}` is not a lupus-quiz database (it is not an SQLite file at all); it was left untouched: pass another path with --db, or move the file away\n",
            db.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "my shopping list\n");
}

#[test]
fn export_reviews_csv_writes_the_log() {
    let env = TestEnv::new();
    let db = with_review_log(&env, "progress.db");
    let csv = run_ok(&env, &db, &["export", "--reviews-csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("card,at,rating,duration_ms"));
    let first_id = &builtin_ids(1)[0];
    assert_eq!(
        lines.next(),
        Some(format!("{first_id},2026-03-01T10:00:00.000Z,3,4000").as_str())
    );
    assert_eq!(csv.lines().count(), 11);
}

// Issue 14, item 15: `export -o FILE` printed nothing on success.
#[test]
fn export_to_a_file_says_what_it_wrote() {
    let env = TestEnv::new();
    let db = with_review_log(&env, "a.db");
    assert_eq!(
        run_ok(&env, &db, &["export", "-o", "progress.json"]),
        "wrote progress.json: your settings, the state of 4 cards and 10 reviews\n"
    );
    assert!(env.path().join("progress.json").is_file());
    assert_eq!(
        run_ok(&env, &db, &["export", "--reviews-csv", "-o", "log-out.csv"]),
        "wrote log-out.csv: the review log, 10 reviews\n"
    );
}

#[test]
fn config_lists_every_setting_s_origin_in_one_column() {
    // Newcomer review 2, item 20: the parameters row put "(default)" in the value column.
    let env = TestEnv::new();
    let list = stdout_of(&Test::new(&env).arg("config").any_stdout().run());
    let origin_columns: Vec<usize> = list
        .lines()
        .filter(|line| !line.starts_with(' '))
        .map(|line| line.find("(default)").expect(line))
        .collect();
    assert!(
        origin_columns.windows(2).all(|pair| pair[0] == pair[1]),
        "{list}"
    );
    assert_contains(
        &list,
        "\nparameters          see below  (default)  the 21 FSRS parameters",
    );
}
