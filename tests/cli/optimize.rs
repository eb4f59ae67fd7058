//! `lupus-quiz optimize` on simulated and degenerate histories.

use chrono::{DateTime, TimeDelta, Utc};
use fsrs::{FSRS, MemoryState};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::support::{Test, TestEnv, assert_contains, assert_starts_with};

/// In the past, as `LUPUS_QUIZ_NOW` must be; the simulated log ends before it.
const AFTER_THE_SIMULATED_LOG: &str = "2026-06-01T09:00:00Z";

/// The memory of the simulated learner: FSRS with these parameters, not the defaults.
fn true_parameters() -> Vec<f32> {
    let mut parameters = fsrs::DEFAULT_PARAMETERS.to_vec();
    parameters[0..4].copy_from_slice(&[1.5, 4.0, 9.0, 25.0]);
    parameters
}

fn next_memory(
    model: &FSRS,
    state: Option<MemoryState>,
    days: u32,
    rating: u32,
) -> (MemoryState, f32) {
    let next = model.next_states(state, 0.9, days).unwrap();
    let chosen = match rating {
        1 => next.again,
        2 => next.hard,
        3 => next.good,
        _ => next.easy,
    };
    (chosen.memory, chosen.interval)
}

/// A review log of a learner whose recalls follow FSRS with [`true_parameters`], scheduled
/// by an app that uses the default parameters (as lupus-quiz does before optimizing).
fn simulated_log(cards: usize, seed: u64) -> String {
    let truth = FSRS::new(&true_parameters()).unwrap();
    let app = FSRS::new(&fsrs::DEFAULT_PARAMETERS).unwrap();
    let decay = true_parameters()[20];
    let mut rng = StdRng::seed_from_u64(seed);
    let start: DateTime<Utc> = "2024-01-05T18:00:00Z".parse().unwrap();
    let mut csv = String::from("card,at,rating,duration_ms\n");
    for card in 0..cards {
        let mut day = (card / 10) as i64;
        let first_rating = [1, 2, 3, 3, 3, 4][rng.random_range(0..6)];
        let (mut true_state, _) = next_memory(&truth, None, 0, first_rating);
        let (mut app_state, mut interval) = next_memory(&app, None, 0, first_rating);
        csv.push_str(&format!(
            "sim-{card},{},{first_rating},5000\n",
            (start + TimeDelta::days(day)).to_rfc3339()
        ));
        for _ in 0..10 {
            let gap = interval.round().max(1.0) as u32;
            day += i64::from(gap);
            if day > 700 {
                break;
            }
            let recall = fsrs::current_retrievability(true_state, gap as f32, decay);
            let rating = if rng.random::<f32>() < recall {
                [2, 3, 3, 3, 3, 4][rng.random_range(0..6)]
            } else {
                1
            };
            true_state = next_memory(&truth, Some(true_state), gap, rating).0;
            (app_state, interval) = next_memory(&app, Some(app_state), gap, rating);
            let minutes = rng.random_range(0..120);
            let at = start + TimeDelta::days(day) + TimeDelta::minutes(minutes);
            csv.push_str(&format!("sim-{card},{},{rating},5000\n", at.to_rfc3339()));
        }
    }
    csv
}

/// `lupus-quiz --db DB ARGS...` at [`AFTER_THE_SIMULATED_LOG`].
fn lupus<'e>(env: &'e TestEnv, db: &std::path::Path, args: &[&str]) -> Test<'e> {
    Test::new(env)
        .db(db)
        .now(AFTER_THE_SIMULATED_LOG)
        .args(args)
}

fn numbers_after(text: &str, label: &str) -> Vec<f64> {
    let line = text
        .lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no `{label}` in {text}"));
    line[label.len()..]
        .split_whitespace()
        .map(|n| n.trim_end_matches('%').parse().unwrap())
        .collect()
}

fn exported_parameters(env: &TestEnv, db: &std::path::Path) -> Vec<f64> {
    let json: serde_json::Value =
        serde_json::from_str(&lupus(env, db, &["export"]).any_stdout().run_stdout()).unwrap();
    json["settings"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_f64().unwrap())
        .collect()
}

#[test]
fn optimize_learns_a_simulated_learners_memory() {
    let env = TestEnv::new();
    let db = env.db();
    let log = env.write("sim.csv", simulated_log(600, 11));
    lupus(&env, &db, &["import", log.to_str().unwrap()])
        .any_stdout()
        .run();

    // The fitted numbers come from an optimizer: the test reads them, not the letters.
    let text = lupus(&env, &db, &["optimize"])
        .stdout_contains("Saved: scheduling now uses the fitted parameters; rescheduled 600 cards.")
        .run_stdout();
    assert_starts_with(&text, "Fitted to ");
    let current = numbers_after(&text, "current");
    let fitted = numbers_after(&text, "fitted to your history");
    assert!(fitted[0] < current[0], "log loss goes down: {text}");

    // The initial stabilities move from the defaults toward the learner's true ones.
    let learned = exported_parameters(&env, &db);
    let truth = true_parameters();
    let distance = |p: &[f64]| -> f64 {
        (0..4)
            .map(|i| (p[i].ln() - f64::from(truth[i]).ln()).powi(2))
            .sum::<f64>()
            .sqrt()
    };
    let defaults: Vec<f64> = fsrs::DEFAULT_PARAMETERS
        .iter()
        .map(|&p| f64::from(p))
        .collect();
    assert!(
        distance(&learned) < distance(&defaults) / 2.0,
        "learned {learned:?}"
    );

    // Card states equal a replay of the log with the new parameters: a fresh database that
    // imports the export (which carries the parameters) ends up with identical states.
    let exported = env.path().join("progress.json");
    lupus(&env, &db, &["export", "-o", exported.to_str().unwrap()])
        .any_stdout()
        .run();
    let fresh = env.path().join("fresh.db");
    lupus(&env, &fresh, &["import", exported.to_str().unwrap()])
        .any_stdout()
        .run();
    let cards = |db: &std::path::Path| {
        let json: serde_json::Value =
            serde_json::from_str(&lupus(&env, db, &["export"]).any_stdout().run_stdout()).unwrap();
        json["cards"].clone()
    };
    assert_eq!(cards(&fresh), cards(&db));

    // Running it again keeps what it has when nothing better is found, or saves a better fit.
    let again = lupus(&env, &db, &["optimize"]).any_stdout().run_stdout();
    assert!(
        again.contains("Kept the current parameters") || again.contains("Saved:"),
        "{again}"
    );

    lupus(&env, &db, &["optimize", "--reset"])
        .stdout("Parameters reset to the defaults; rescheduled 600 cards.\n")
        .run();
    let shortest = |p: &f32| p.to_string().parse::<f64>().unwrap();
    assert_eq!(
        exported_parameters(&env, &db),
        fsrs::DEFAULT_PARAMETERS
            .iter()
            .map(shortest)
            .collect::<Vec<_>>()
    );
}

#[test]
fn too_little_history_is_a_clear_message_with_exit_code_1() {
    let env = TestEnv::new();
    let cases: [(&str, &str, &str); 3] = [
        (
            "fresh",
            "",
            "error: there are no reviews yet to learn from; study for a few weeks (`lupus-quiz study basics`), then run `lupus-quiz optimize`\n",
        ),
        (
            "same-day",
            "card,at,rating\na,2026-03-01T10:00:00Z,1\na,2026-03-01T10:01:00Z,3\na,2026-03-01T10:11:00Z,3\n",
            "error: not enough review history yet: 0 reviews on a later day than an earlier review of the same card; at least 64 are needed, so about 64 more. Keep reviewing and try again later\n",
        ),
        (
            "small",
            "card,at,rating\na,2026-03-01T10:00:00Z,3\na,2026-03-03T10:00:00Z,3\nb,2026-03-01T10:00:00Z,3\nb,2026-03-05T10:00:00Z,1\n",
            "error: not enough review history yet: 2 reviews on a later day than an earlier review of the same card; at least 64 are needed, so about 62 more. Keep reviewing and try again later\n",
        ),
    ];
    for (name, log, expected) in cases {
        let db = env.path().join(format!("{name}.db"));
        if !log.is_empty() {
            let file = env.write(&format!("{name}.csv"), log);
            lupus(&env, &db, &["import", file.to_str().unwrap()])
                .any_stdout()
                .run();
        }
        lupus(&env, &db, &["optimize"])
            .status(1)
            .stderr(expected)
            .run();
    }
}

#[test]
fn retention_advice_names_a_value_and_changes_nothing() {
    let env = TestEnv::new();
    let db = env.db();
    let text = lupus(&env, &db, &["optimize", "--retention"])
        .any_stdout()
        .run_stdout();
    let text = text.replace('\n', " ");
    assert_contains(
        &text,
        "With your parameters and limits, a desired retention of 0.",
    );
    // Issue 28, item 11: on a short history the advice says it rests on the defaults.
    assert_contains(
        &text,
        "Caution: this uses the default parameters, an average learner's, not yours: with 0 reviews",
    );
    lupus(&env, &db, &["config", "desired_retention"])
        .stdout("0.9\n")
        .run();
}

// Issue 29, section 4: like Anki's "Help me decide", the advice shows what each desired
// retention costs and gives, simulated over a year, with the suggested value and the
// learner's own marked.
#[test]
fn retention_advice_tabulates_a_year_at_each_retention_from_070_to_097() {
    let env = TestEnv::new();
    let db = env.db();
    let text = lupus(&env, &db, &["optimize", "--retention"])
        .env("COLUMNS", "60")
        .any_stdout()
        .run_stdout();
    assert_starts_with(&text, "Help me decide: a year of study simulated");
    assert_contains(&text, "\nretention  reviews/day  minutes/day  remembered\n");
    let rows: Vec<(f64, Vec<f64>, &str)> = (text.lines())
        .skip_while(|line| !line.starts_with("retention  reviews"))
        .skip(1)
        .take_while(|line| !line.is_empty())
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let numbers = words[1..4].iter().map(|w| w.parse().unwrap()).collect();
            (words[0].parse().unwrap(), numbers, line)
        })
        .collect();
    assert_eq!(rows.first().map(|r| r.0), Some(0.70), "{text}");
    assert_eq!(rows.last().map(|r| r.0), Some(0.97), "{text}");
    assert!(rows.len() >= 10, "{text}");
    // Asking for more retention costs more reviews and keeps more cards.
    let (low, high) = (&rows[0].1, &rows[rows.len() - 1].1);
    assert!(high[0] > low[0] && high[2] > low[2], "{text}");
    let yours: Vec<&str> = (rows.iter().filter(|r| r.2.ends_with("yours")))
        .map(|r| r.2)
        .collect();
    assert!(
        yours.len() == 1 && yours[0].trim_start().starts_with("0.90"),
        "{text}"
    );
    assert_eq!(
        rows.iter().filter(|r| r.2.contains(" best")).count(),
        1,
        "{text}"
    );
    for line in text.lines() {
        assert!(
            line.chars().count() < 60,
            "{line:?} is wider than 60 columns"
        );
    }
}

// Issue 28, item 11: `optimize --reset` on the defaults said "rescheduled 39 cards".
#[test]
fn resetting_default_parameters_changes_nothing_and_says_so() {
    let env = TestEnv::new();
    let db = env.db();
    lupus(&env, &db, &["optimize", "--reset"])
        .stdout("The parameters are already the defaults; nothing was changed.\n")
        .run();
}
