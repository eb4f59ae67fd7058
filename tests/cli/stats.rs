//! `lupus-quiz stats` on a database built through `import` of a crafted review log, with a
//! fixed clock and time zone, so that every number is known.
//!
//! The clock is Tuesday 2026-03-10 09:00 UTC, 10:00 in Paris (UTC+1 until 29 March), and the
//! study day starts at 04:00 Paris time (03:00 UTC). Every built-in deck is replaced by a
//! small deck of the same name, so the numbers do not move when the real decks are edited.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use lupus_quiz::store::{QuizRecord, Store};
use serde_json::{Value, json};

use crate::support::{
    Test, TestEnv, Tty, assert_contains, assert_lacks, repo_dir, small_deck, stderr_of, stdout_of,
    wrapped,
};

const AFTER_A_WEEK_OF_REVIEWS: &str = "2026-03-10T09:00:00Z";
const TZ: &str = "Europe/Paris";

/// The crafted review log (`card,at,rating,duration_ms`), with what each part is for.
const REVIEW_LOG: &str = "\
card,at,rating,duration_ms
basics-card-3,2025-12-01T10:00:00Z,4,5000
basics-card-3,2025-12-20T10:00:00Z,1,8000
basics-card-3,2025-12-20T10:10:00Z,3,4000
basics-card-3,2026-01-20T10:00:00Z,4,3000
basics-card-1,2026-02-20T10:00:00Z,3,6000
basics-card-1,2026-02-20T10:01:00Z,3,4000
basics-card-1,2026-02-21T10:00:00Z,3,3000
basics-card-1,2026-02-22T10:00:00Z,3,3000
basics-card-1,2026-02-23T10:00:00Z,1,9000
basics-card-1,2026-02-23T10:10:00Z,3,4000
basics-card-1,2026-02-24T10:00:00Z,3,3000
basics-card-1,2026-02-25T10:00:00Z,2,7000
basics-card-4,2026-03-02T10:00:00Z,3,5000
basics-card-4,2026-03-02T10:01:00Z,3,4000
basics-card-4,2026-03-03T10:00:00Z,1,9000
basics-card-4,2026-03-03T10:10:00Z,3,4000
basics-card-4,2026-03-04T10:00:00Z,1,9000
basics-card-1,2026-03-06T10:00:00Z,3,3000
basics-card-1,2026-03-07T10:00:00Z,1,8000
basics-card-2,2026-03-09T02:30:00Z,3,5000
basics-card-2,2026-03-09T20:00:00Z,3,4000
hsct-card-1,2026-03-10T08:00:00Z,1,10000
hsct-card-2,2026-03-10T08:55:00Z,3,20000
retired-card,2026-03-01T10:00:00Z,3,1000
retired-card,2026-03-02T10:00:00Z,3,1000
";
// basics-card-3: graduated in December, lapsed once, then a long interval: mature.
// basics-card-1: six days in a row (02-20 to 02-25, the longest streak), then 03-06 and
//   03-07; a lapse on 02-23 and on 03-07: a leech too.
// basics-card-4: 03-02 to 03-04, two lapses: a leech (leech_threshold is 2), suspended.
// basics-card-2: 02:30 UTC on 03-09 is 03:30 in Paris, before the 04:00 rollover: it
//   belongs to 03-08, which joins 03-06 and 03-07 to 03-09 and today in a current streak of 5.
// hsct-card-1 and -2: first reviewed today; -1 due now, -2 due at 09:05 (later today).
// retired-card: no deck has it: an orphan with 2 reviews (still counted as activity).

/// A test folder whose decks replace every built-in one, with the crafted log imported.
fn crafted() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    for name in builtin_deck_names() {
        let cards = match name.as_str() {
            "basics" => 5,
            "hsct" => 3,
            _ => 1,
        };
        env.write(&format!("decks/{name}.yaml"), small_deck(&name, cards));
    }
    let db = env.db();
    run(&env, &db, &["config", "leech_threshold", "2"]);
    let log = env.write("log.csv", REVIEW_LOG);
    run(&env, &db, &["import", log.to_str().unwrap()]);
    let store = Store::open(&db).unwrap();
    store
        .record_quiz(&QuizRecord {
            deck: "basics".into(),
            taken_at: utc("2026-03-08T10:00:00Z"),
            correct: 8,
            questions: 10,
            planned: 10,
        })
        .unwrap();
    store
        .record_quiz(&QuizRecord {
            deck: "basics".into(),
            taken_at: utc("2026-03-09T10:00:00Z"),
            correct: 6,
            questions: 10,
            planned: 10,
        })
        .unwrap();
    store
        .record_quiz(&QuizRecord {
            deck: "hsct".into(),
            taken_at: utc("2026-03-07T10:00:00Z"),
            correct: 3,
            questions: 4,
            planned: 4,
        })
        .unwrap();
    (env, db)
}

fn builtin_deck_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo_dir().join("decks"))
        .unwrap()
        .filter_map(|entry| {
            let path = entry.unwrap().path();
            let name = path.file_stem()?.to_string_lossy().into_owned();
            (path.extension()? == "yaml").then_some(name)
        })
        .collect();
    names.sort();
    names
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

/// `lupus-quiz --db DB` at the crafted log's clock, in Paris, with the test's decks; no
/// expectations yet.
fn command<'e>(env: &'e TestEnv, db: &std::path::Path) -> Test<'e> {
    Test::new(env)
        .db(db)
        .now(AFTER_A_WEEK_OF_REVIEWS)
        .env("TZ", TZ)
        .env("LUPUS_QUIZ_DECKS", env.path().join("decks"))
        .unchecked()
}

fn run(env: &TestEnv, db: &std::path::Path, args: &[&str]) -> String {
    command(env, db).args(args).status(0).run_stdout()
}

fn stats_json(env: &TestEnv, db: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["stats", "--json"];
    all.extend_from_slice(args);
    serde_json::from_str(&run(env, db, &all)).unwrap()
}

#[test]
fn json_numbers_of_a_crafted_log() {
    let (env, db) = crafted();
    let stats = stats_json(&env, &db, &["--days", "7"]);
    assert_eq!(stats["deck"], Value::Null);
    assert_eq!(
        stats["today"],
        json!({
            "date": "2026-03-10", "reviews": 2, "passed": 1, "pass_rate": 0.5,
            "time_ms": 30000, "due_later": 1, "new_left": 7, "new_per_day": 10
        })
    );
    // basics-card-3 (overdue since 02-14) and hsct-card-1 (due 08:01).
    assert_eq!(stats["due_now"], 2);
    assert_eq!(
        stats["cards"]["total"],
        json!({
            "total": 13, "new": 7, "learning": 2, "young": 1, "mature": 1,
            "suspended": 0, "leeches": 2, "mastery": 0.0769
        })
    );
    let decks = stats["cards"]["decks"].as_array().unwrap();
    assert_eq!(decks.len(), builtin_deck_names().len());
    assert_eq!(
        decks[0],
        json!({
            "deck": "basics", "total": 5, "new": 1, "learning": 0, "young": 1, "mature": 1,
            "suspended": 0, "leeches": 2, "mastery": 0.2, "due_now": 1, "new_left": 1
        })
    );
    let hsct = decks.iter().find(|d| d["deck"] == "hsct").unwrap();
    assert_eq!(
        hsct,
        &json!({
            "deck": "hsct", "total": 3, "new": 1, "learning": 2, "young": 0, "mature": 0,
            "suspended": 0, "leeches": 0, "mastery": 0.0, "due_now": 1, "new_left": 1
        }),
        "two new cards introduced today: the limit of 10 is not reached, one new card is left"
    );
    assert_eq!(
        stats["forecast"],
        json!([
            {"date": "2026-03-10", "due": 3}, {"date": "2026-03-11", "due": 0},
            {"date": "2026-03-12", "due": 0}, {"date": "2026-03-13", "due": 0},
            {"date": "2026-03-14", "due": 0}, {"date": "2026-03-15", "due": 1},
            {"date": "2026-03-16", "due": 0}
        ])
    );
    assert_eq!(stats["activity"], expected_activity());
    assert_eq!(stats["streak"], json!({"current": 5, "longest": 6}));
    assert_eq!(
        stats["retention"],
        json!({
            "d7": {"reviews": 3, "passed": 1, "rate": 0.3333},
            "d30": {"reviews": 9, "passed": 5, "rate": 0.5556},
            "d365": {"reviews": 11, "passed": 6, "rate": 0.5455},
            "desired": 0.9, "predicted_recall": 0.916, "review_cards": 2
        })
    );
    // The cards failed, most failures first: never basics-card-2, which was never failed,
    // and hsct-card-1, failed in its first learning step today, last.
    assert_eq!(
        stats["hardest"],
        json!([
            {"id": "basics-card-4", "deck": "basics", "question": "Question 4?",
             "lapses": 2, "stability": 0.22, "leech": true,
             "failed_steps": 0, "recall": 0.6002, "state": "relearning"},
            {"id": "basics-card-1", "deck": "basics", "question": "Question 1?",
             "lapses": 2, "stability": 1.33, "leech": true,
             "failed_steps": 0, "recall": 0.8352, "state": "relearning"},
            {"id": "basics-card-3", "deck": "basics", "question": "Question 3?",
             "lapses": 1, "stability": 26.06, "leech": false,
             "failed_steps": 0, "recall": 0.8512, "state": "review"},
            {"id": "hsct-card-1", "deck": "hsct", "question": "Question 1?",
             "lapses": 0, "stability": 0.21, "leech": false,
             "failed_steps": 1, "recall": 1.0, "state": "learning"}
        ])
    );
    assert_eq!(
        stats["quiz"],
        json!([
            {"deck": "basics", "taken": 2,
             "latest": {"correct": 6, "questions": 10, "rate": 0.6, "date": "2026-03-09", "ended_early": false},
             "best": {"correct": 8, "questions": 10, "rate": 0.8, "date": "2026-03-08", "ended_early": false}},
            {"deck": "hsct", "taken": 1,
             "latest": {"correct": 3, "questions": 4, "rate": 0.75, "date": "2026-03-07", "ended_early": false},
             "best": {"correct": 3, "questions": 4, "rate": 0.75, "date": "2026-03-07", "ended_early": false}}
        ])
    );
    assert_eq!(
        stats["orphans"],
        json!([{"id": "retired-card", "deck": null, "reviews": 2}])
    );
}

/// Reviews per day from Monday 2025-12-22 (the first of the 12 heatmap weeks) to today.
fn expected_activity() -> Value {
    let busy = [
        ("2026-01-20", 1),
        ("2026-02-20", 2),
        ("2026-02-21", 1),
        ("2026-02-22", 1),
        ("2026-02-23", 2),
        ("2026-02-24", 1),
        ("2026-02-25", 1),
        ("2026-03-01", 1),
        ("2026-03-02", 3),
        ("2026-03-03", 2),
        ("2026-03-04", 1),
        ("2026-03-06", 1),
        ("2026-03-07", 1),
        ("2026-03-08", 1),
        ("2026-03-09", 1),
        ("2026-03-10", 2),
    ];
    let first = chrono::NaiveDate::from_ymd_opt(2025, 12, 22).unwrap();
    let days: Vec<Value> = first
        .iter_days()
        .take(79)
        .map(|date| {
            let date = date.to_string();
            let reviews = busy.iter().find(|(d, _)| *d == date).map_or(0, |(_, n)| *n);
            json!({"date": date, "reviews": reviews})
        })
        .collect();
    assert_eq!(days.last().unwrap()["date"], "2026-03-10");
    Value::Array(days)
}

#[test]
fn the_rollover_hour_decides_the_day_of_a_late_review() {
    let (env, db) = crafted();
    // With the day starting at midnight, 03:30 in Paris on 03-09 belongs to 03-09: 03-08
    // has no review, and the current streak is only 03-09 and today.
    run(&env, &db, &["config", "rollover_hour", "0"]);
    let stats = stats_json(&env, &db, &[]);
    assert_eq!(stats["streak"], json!({"current": 2, "longest": 6}));
    let activity = stats["activity"].as_array().unwrap();
    let day = |date: &str| activity.iter().find(|d| d["date"] == date).unwrap()["reviews"].clone();
    assert_eq!((day("2026-03-08"), day("2026-03-09")), (json!(0), json!(2)));
}

#[test]
fn one_deck_limits_every_section() {
    let (env, db) = crafted();
    let stats = stats_json(&env, &db, &["--deck", "hsct", "--days", "2"]);
    assert_eq!(stats["deck"], "hsct");
    assert_eq!(stats["cards"]["decks"].as_array().unwrap().len(), 1);
    assert_eq!(stats["cards"]["total"]["total"], 3);
    assert_eq!(stats["due_now"], 1);
    assert_eq!(
        stats["forecast"],
        json!([{"date": "2026-03-10", "due": 2}, {"date": "2026-03-11", "due": 0}])
    );
    assert_eq!(stats["streak"], json!({"current": 1, "longest": 1}));
    assert_eq!(stats["today"]["reviews"], 2);
    assert_eq!(
        stats["retention"]["d365"],
        json!({"reviews": 0, "passed": 0, "rate": null})
    );
    assert_eq!(stats["retention"]["predicted_recall"], Value::Null);
    let hardest: Vec<&str> = stats["hardest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|card| card["id"].as_str().unwrap())
        .collect();
    assert_eq!(hardest, ["hsct-card-1"]);
    assert_eq!(stats["quiz"].as_array().unwrap().len(), 1);
    assert_eq!(stats["orphans"], json!([]));
}

#[test]
fn an_unknown_deck_is_an_error_naming_the_closest() {
    let (env, db) = crafted();
    let output = command(&env, &db).args(["stats", "--deck", "hcst"]).run();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr_of(&output),
        "error: there is no deck named `hcst`; did you mean `hsct`? the decks are: basics, cases, hsct, research, symptoms, treatments, trials (see `lupus-quiz decks`)\n"
    );
}

#[test]
fn terminal_report_of_a_crafted_log() {
    let (env, db) = crafted();
    let text = run(&env, &db, &["stats", "--days", "10"]);
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    assert!(!text.contains('\u{1b}'), "no colour under NO_COLOR");
    insta::assert_snapshot!(text);
}

#[test]
fn an_empty_database_says_what_to_do_first() {
    let env = TestEnv::new();
    std::fs::create_dir(env.path().join("decks")).unwrap();
    let db = env.db();
    let text = run(&env, &db, &["stats"]);
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
    for expected in [
        "No reviews yet: start with `lupus-quiz study basics`.",
        "Every card is new: `lupus-quiz study basics` learns 10 a day.",
        "Nothing due yet: cards get due dates once you study them.",
        "No activity yet: each day you study fills a cell.",
        "No streak yet: one review a day starts one.",
        "No reviews of graduated cards yet: this shows once cards leave learning.",
        "No hard cards yet: cards you fail show here.",
        "No quizzes yet: `lupus-quiz quiz basics` tests you on a deck.",
    ] {
        assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
    }
    assert_lacks(&text, "Orphans");
    assert!(!text.contains("NaN") && !text.contains("inf"), "{text}");

    let stats = stats_json(&env, &db, &["--days", "1"]);
    assert_eq!(stats["today"]["reviews"], 0);
    assert_eq!(stats["today"]["pass_rate"], Value::Null);
    assert_eq!(stats["due_now"], 0);
    assert_eq!(stats["cards"]["total"]["mastery"], 0.0);
    assert_eq!(
        stats["cards"]["total"]["new"],
        stats["cards"]["total"]["total"]
    );
    assert_eq!(stats["forecast"], json!([{"date": "2026-03-10", "due": 0}]));
    assert_eq!(stats["streak"], json!({"current": 0, "longest": 0}));
    assert_eq!(
        stats["retention"]["d7"],
        json!({"reviews": 0, "passed": 0, "rate": null})
    );
    assert_eq!(stats["retention"]["predicted_recall"], Value::Null);
    for key in ["hardest", "quiz", "orphans"] {
        assert_eq!(stats[key], json!([]), "{key}");
    }
}

/// Every line of `text` fits in `width` columns (the report's characters are all one
/// column wide).
fn assert_fits(text: &str, width: usize, what: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= width,
            "{what}: wider than {width} columns: `{line}`\n{text}"
        );
    }
}

#[test]
fn the_report_fits_terminals_of_50_60_and_120_columns() {
    let (env, db) = crafted();
    let empty = env.path().join("empty.db");
    for width in [50, 60, 120] {
        let columns = width.to_string();
        for (db, args) in [
            (&db, &["stats", "--days", "10"][..]),
            (&db, &["stats", "--days", "10", "--plain"]),
            (&empty, &["stats"]),
        ] {
            let output = command(&env, db).env("COLUMNS", &columns).args(args).run();
            assert!(output.status.success(), "{}", stderr_of(&output));
            assert_fits(&stdout_of(&output), width, &format!("{args:?}"));
        }
    }
    // Wider terminals get longer forecast bars, not just the same 80-column report.
    let at = |columns: &str| {
        let text = command(&env, &db)
            .env("COLUMNS", columns)
            .args(["stats", "--days", "10"])
            .run_stdout();
        text.lines()
            .find(|line| line.starts_with("  Tue 03-10"))
            .map(|line| line.chars().count())
            .unwrap()
    };
    assert_eq!((at("50"), at("80"), at("120")), (41, 71, 111));
}

#[test]
fn a_narrow_report_keeps_every_deck_and_says_which_columns_a_wider_one_adds() {
    let (env, db) = crafted();
    let text = command(&env, &db)
        .env("COLUMNS", "50")
        .args(["stats", "--days", "10"])
        .run_stdout();
    let table: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("Cards by state"))
        .take(12)
        .collect();
    assert_eq!(
        table,
        [
            "Cards by state",
            "  mastery: share of cards that are mature",
            "  DECK         NEW LEARN YOUNG MATURE  MASTERY",
            "  basics         1     0     1      1      20%",
            "  cases          1     0     0      0       0%",
            "  hsct           1     2     0      0       0%",
            "  research       1     0     0      0       0%",
            "  symptoms       1     0     0      0       0%",
            "  treatments     1     0     0      0       0%",
            "  trials         1     0     0      0       0%",
            "  total          7     2     1      1       8%",
            "  (a wider terminal adds SUSP and LEECH)",
        ]
    );
}

#[test]
fn plain_stats_say_in_words_what_the_bars_and_cells_show() {
    let (env, db) = crafted();
    let text = run(&env, &db, &["stats", "--days", "10", "--plain"]);
    for symbol in ['█', '▏', '▌', '░', '▒', '▓', '·', '–'] {
        assert!(!text.contains(symbol), "`{symbol}` in plain mode:\n{text}");
    }
    let section = |title: &str| -> Vec<String> {
        text.split("\n\n")
            .find(|section| section.starts_with(title))
            .unwrap_or_else(|| panic!("no {title} in:\n{text}"))
            .lines()
            .map(str::to_string)
            .collect()
    };
    assert_eq!(
        section("Forecast"),
        [
            "Forecast, cards due on each of the next 10 days",
            "  Tue 03-10: 3 cards due",
            "  Wed 03-11 to Sat 03-14: nothing due",
            "  Sun 03-15: 1 card due",
            "  Mon 03-16 to Thu 03-19: nothing due",
        ]
    );
    let activity = section("Activity");
    assert_eq!(activity[0], "Activity, reviews per week, last 12 weeks");
    assert_eq!(activity.len(), 13, "{activity:?}");
    assert_eq!(activity[1], "  week of Mon 12-22: no reviews");
    assert_eq!(activity[11], "  week of Mon 03-02: 9 reviews on 6 days");
    assert_eq!(
        activity[12],
        "  week of Mon 03-09 (so far): 3 reviews on 2 days"
    );
    assert_eq!(
        section("Today")[1],
        "  reviews   2, 30 seconds answering, 50.0% right"
    );
}

/// A session's summary gives its whole length, `stats` the time spent answering, summed:
/// each names which it is (newcomer review 2, item 17).
#[test]
fn a_sessions_time_and_the_time_stats_sums_are_named_apart() {
    let env = TestEnv::new();
    crate::support::typed_deck(&env, 2);
    let summary = Test::new(&env)
        .own_decks()
        .args(["study", "capitals"])
        .stdin("city-1\ncity-2\n")
        .any_stdout()
        .run_stdout();
    assert_contains(
        &summary,
        "Session done: 2 cards answered, 100% right, session time ",
    );
    let report = Test::new(&env)
        .own_decks()
        .args(["stats", "--plain"])
        .any_stdout()
        .run_stdout();
    assert_contains(
        &report,
        "  reviews   2, 0 seconds answering, 100.0% right\n",
    );
}

#[test]
fn plain_and_json_cannot_be_asked_for_together() {
    let (env, db) = crafted();
    let output = command(&env, &db)
        .args(["stats", "--json", "--plain"])
        .run();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn stats_in_a_60_column_terminal_fit_it() {
    use expectrl::{Eof, Expect};
    let (env, db) = crafted();
    // The size is set from this side once the pty exists; the shell waits until the
    // terminal has it before it starts the program (the pty's own default is 80 columns).
    let script = "while [ \"$(stty size)\" != '40 60' ]; do sleep 0.01; done; exec \"$@\"";
    let sh = wrapped(
        "sh",
        &["-c".as_ref(), script.as_ref(), "sh".as_ref()],
        Test::new(&env)
            .db(&db)
            .now(AFTER_A_WEEK_OF_REVIEWS)
            .env("TZ", TZ)
            .env("TERM", "xterm")
            .env("LUPUS_QUIZ_DECKS", env.path().join("decks"))
            .args(["stats", "--days", "10"])
            .command()
            .current_dir(env.path()),
    );
    let mut session = Tty::spawn(sh, 60, 40);
    let drawn = session.expect(Eof).expect("stats ends");
    let text = String::from_utf8_lossy(drawn.as_bytes()).replace("\r\n", "\n");
    assert_contains(&text, "Cards by state · mastery");
    assert_lacks(&text, "(a wider terminal adds");
    assert_fits(&text, 60, "a 60-column terminal");
    // 60 columns: the forecast bar is 36 cells, not the 56 of a pipe.
    assert!(
        text.lines()
            .any(|line| line.starts_with("  Tue 03-10  ") && line.chars().count() == 51),
        "{text}"
    );
}

#[test]
fn hardest_cards_say_so_when_no_card_was_ever_failed() {
    let env = TestEnv::new();
    env.write("decks/mine.yaml", small_deck("mine", 2));
    let db = env.db();
    let log = env.write(
        "log.csv",
        "card,at,rating\nmine-card-1,2026-03-01T10:00:00Z,3\nmine-card-1,2026-03-01T10:10:00Z,3\nmine-card-2,2026-03-02T10:00:00Z,4\n",
    );
    run(&env, &db, &["import", log.to_str().unwrap()]);
    let text = run(&env, &db, &["stats"]);
    let section: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("Hardest cards"))
        .take(2)
        .collect();
    assert_eq!(
        section,
        [
            "Hardest cards · most lapses and failed steps, then lowest recall",
            "  No card gives you trouble: none has lapsed or failed a learning step.",
        ]
    );
    assert_eq!(stats_json(&env, &db, &[])["hardest"], json!([]));
}

// Issue 28, item 8: colour could not be forced, so `stats | less -R` was always plain.
#[test]
fn colour_follows_the_color_option_then_no_color_then_clicolor_force() {
    let env = TestEnv::new();
    let db = env.db();
    crate::support::Test::new(&env)
        .db(&db)
        .args(["study", "basics", "--plain"])
        .stdin("1\n")
        .any_stdout()
        .run();
    let coloured = |settings: &[(&str, &str)], args: &[&str]| {
        let mut test = crate::support::Test::new(&env)
            .db(&db)
            .arg("stats")
            .args(args);
        for (key, value) in settings {
            test = test.env(key, value);
        }
        test.any_stdout().run_stdout().contains("\x1b[")
    };
    // The harness sets NO_COLOR; an empty one counts as unset.
    assert!(!coloured(&[], &[]), "NO_COLOR");
    assert!(!coloured(&[("NO_COLOR", "")], &[]), "a pipe");
    assert!(coloured(&[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")], &[]));
    assert!(!coloured(&[("NO_COLOR", ""), ("CLICOLOR_FORCE", "0")], &[]));
    assert!(!coloured(&[("CLICOLOR_FORCE", "1")], &[]), "NO_COLOR wins");
    assert!(coloured(&[], &["--color", "always"]));
    assert!(!coloured(
        &[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")],
        &["--color", "never"]
    ));
}
