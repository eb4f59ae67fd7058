//! The package against the real Anki: `tests/anki/check_apkg.py` imports it with Anki's own
//! importer (the `anki` library from PyPI, pinned in `tests/anki/requirements.txt`) and
//! checks counts, rendering, cloze blanks, re-import, progress and updating in place; and
//! `tests/anki/study_in_anki.py` studies in Anki and exports, for `import` to bring back. It needs that library in
//! `target/anki-venv`, which `tests/anki/setup.sh` installs; `.ci/run` runs both. Run by hand:
//!
//! ```text
//! tests/anki/setup.sh && cargo test --test cli real_anki -- --ignored
//! ```

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

use crate::anki::{AFTER_THE_NOVEMBER_LOG, export_with_progress, run_ok};
use crate::support::{
    Test, TestEnv, assert_contains, builtin_catalog, repo_dir, stderr_of, stdout_of,
};

const NEEDS_ANKI: &str =
    "needs Anki's Python library in target/anki-venv: run tests/anki/setup.sh first (.ci/run does)";

/// The venv's Python; a missing one fails the test (it only runs when asked for, and CI
/// asks after installing it).
fn anki_python() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_dir().join("target"));
    let python = target.join("anki-venv/bin/python");
    assert!(
        python.exists(),
        "{} is missing: {NEEDS_ANKI}",
        python.display()
    );
    python
}

/// What the package must hold, from the decks (and the progress, when exported with it).
fn expectations(progress: Value) -> Value {
    let catalog = builtin_catalog();
    let cloze: Vec<Value> = catalog
        .cards()
        .filter_map(|(_, card)| match &card.content {
            lupus_quiz::deck::CardContent::Cloze { blanks, .. } => Some(json!({
                "card": card.id,
                "blanks": blanks.iter().map(|b| b[0].clone()).collect::<Vec<_>>(),
            })),
            _ => None,
        })
        .collect();
    json!({
        "notes": catalog.card_count(),
        "note_types": lupus_quiz::anki::NOTE_TYPES.iter().map(|t| t.name).collect::<Vec<_>>(),
        "decks": catalog.decks.iter().map(lupus_quiz::anki::anki_deck_name).collect::<Vec<_>>(),
        "cloze": cloze,
        "progress": progress,
    })
}

/// Our card states and review count, from `lupus-quiz export`.
fn progress_of(env: &TestEnv) -> Value {
    let export: Value =
        serde_json::from_str(&run_ok(env, AFTER_THE_NOVEMBER_LOG, &["export"])).unwrap();
    let catalog = builtin_catalog();
    let known = |id: &str| catalog.cards().any(|(_, card)| card.id == id);
    let cards: serde_json::Map<String, Value> = export["cards"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|card| known(card["id"].as_str().unwrap()))
        .map(|card| {
            (
                card["id"].as_str().unwrap().to_string(),
                json!({ "phase": card["state"], "due": card["due"], "stability": card["stability"] }),
            )
        })
        .collect();
    let reviews = export["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|review| known(review["card"].as_str().unwrap()))
        .count();
    json!({
        "reviews": reviews,
        "rollover_hour": 4,
        "cards": cards,
        "options": { "name": lupus_quiz::anki::PARENT_DECK, "desired_retention": 0.9 },
    })
}

fn check(env: &TestEnv, package: &str, expected: Value) {
    let expected_path = env.write("expected.json", expected.to_string());
    let output = Command::new(anki_python())
        .arg(repo_dir().join("tests/anki/check_apkg.py"))
        .arg(env.path().join(package))
        .arg(expected_path)
        .output()
        .expect("python runs");
    print!("{}", stdout_of(&output));
    assert!(
        output.status.success(),
        "Anki's check failed:\n{}{}",
        stdout_of(&output),
        stderr_of(&output)
    );
}

#[test]
#[ignore = "needs Anki's Python library in target/anki-venv: run tests/anki/setup.sh first (.ci/run does)"]
fn real_anki_imports_every_deck_renders_every_card_and_reimports_without_copies() {
    let env = TestEnv::new();
    run_ok(
        &env,
        AFTER_THE_NOVEMBER_LOG,
        &["export", "--anki", "lupus.apkg"],
    );
    check(&env, "lupus.apkg", expectations(Value::Null));
}

#[test]
#[ignore = "needs Anki's Python library in target/anki-venv: run tests/anki/setup.sh first (.ci/run does)"]
fn real_anki_takes_the_reviews_and_due_dates_and_a_newer_export_updates_in_place() {
    let env = TestEnv::new();
    export_with_progress(&env, "progress.apkg");
    // Days later, the decks again, without progress: Anki must update the notes in
    // place and keep the history it has of them.
    run_ok(
        &env,
        "2026-11-29T09:00:00Z",
        &["export", "--anki", "newer.apkg"],
    );
    let mut expected = expectations(progress_of(&env));
    expected["newer"] = json!(env.path().join("newer.apkg"));
    check(&env, "progress.apkg", expected);
}

/// Runs `tests/anki/study_in_anki.py` with `args`, returning what it prints.
fn study_in_anki(args: &[&std::ffi::OsStr]) -> String {
    let output = Command::new(anki_python())
        .arg(repo_dir().join("tests/anki/study_in_anki.py"))
        .args(args)
        .output()
        .expect("python runs");
    assert!(
        output.status.success(),
        "Anki's study failed:\n{}{}",
        stdout_of(&output),
        stderr_of(&output)
    );
    stdout_of(&output)
}

/// An hour from now, for the imports of what Anki did just now.
fn soon() -> String {
    (chrono::Utc::now() + chrono::TimeDelta::hours(1)).to_rfc3339()
}

#[test]
#[ignore = "needs Anki's Python library in target/anki-venv: run tests/anki/setup.sh first (.ci/run does)"]
fn real_anki_answers_come_back_once_from_apkg_and_colpkg_and_states_replay_cleanly() {
    let env = TestEnv::new();
    export_with_progress(&env, "ours.apkg");
    let studied: Value = serde_json::from_str(&study_in_anki(&[
        "study".as_ref(),
        env.path().join("ours.apkg").as_os_str(),
        env.path().as_os_str(),
    ]))
    .unwrap();
    let answers = studied["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 50, "{studied}");
    let now = soon();
    let reviews_before = review_count(&env, &now);

    let first = run_ok(&env, &now, &["import", "latest.apkg"]);
    assert_contains(&first, "reviews: 50 added");
    assert_contains(
        &first,
        "events: 2 forget, suspend or unsuspend actions added",
    );
    let export: Value = serde_json::from_str(&run_ok(&env, &now, &["export"])).unwrap();
    let reviews = export["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), reviews_before + 50);
    for answer in answers {
        let matching = reviews
            .iter()
            .filter(|r| {
                r["card"] == answer[0]
                    && chrono::DateTime::parse_from_rfc3339(r["at"].as_str().unwrap())
                        .unwrap()
                        .timestamp_millis()
                        == answer[1].as_i64().unwrap()
                    && r["rating"] == answer[2]
            })
            .count();
        assert_eq!(matching, 1, "{answer}");
    }
    let state_of = |id: &Value| {
        let cards = export["cards"].as_array().unwrap();
        cards.iter().find(|c| c["id"] == *id).unwrap()["state"].clone()
    };
    assert_eq!(state_of(&studied["forgotten"]), "new");
    assert_eq!(state_of(&studied["suspended"]), "suspended");
    run_ok(&env, &now, &["doctor"]);

    for again in ["legacy.apkg", "collection.colpkg", "latest.apkg"] {
        let report = run_ok(&env, &now, &["import", again]);
        assert!(report.contains("reviews: 0 added, "), "{again}: {report}");
        assert!(report.contains("events: 0 forget"), "{again}: {report}");
    }
    assert_eq!(review_count(&env, &now), reviews_before + 50);
    run_ok(&env, &now, &["doctor"]);
}

fn review_count(env: &TestEnv, now: &str) -> usize {
    let export: Value = serde_json::from_str(&run_ok(env, now, &["export"])).unwrap();
    export["reviews"].as_array().unwrap().len()
}

#[test]
#[ignore = "needs Anki's Python library in target/anki-venv: run tests/anki/setup.sh first (.ci/run does)"]
fn real_anki_a_deck_made_in_anki_becomes_a_deck_that_check_accepts() {
    let env = TestEnv::new();
    let package = env.path().join("made.apkg");
    study_in_anki(&["deck".as_ref(), package.as_os_str()]);
    let decks = env.path().join("decks");
    std::fs::create_dir(&decks).unwrap();
    let report = Test::new(&env)
        .own_decks()
        .args(["import", "made.apkg", "--as-deck", "made-in-anki"])
        .any_stdout()
        .run_stdout();
    assert_contains(
        &report,
        "2 notes not from lupus-quiz: deck `made-in-anki` of 3 cards, written to",
    );
    let yaml = std::fs::read_to_string(decks.join("made-in-anki.yaml")).unwrap();
    for expected in [
        "front: What does SLE stand for?",
        "text: '{{Hydroxychloroquine}} is taken for lupus.'",
        "text: Hydroxychloroquine is taken for {{lupus}}.",
        "explanation: An antimalarial.",
    ] {
        assert!(yaml.contains(expected), "{expected}: {yaml}");
    }
    Test::new(&env)
        .own_decks()
        .args(["check", "decks/made-in-anki.yaml"])
        .stdout("ok: 1 deck, 3 cards\n")
        .run();
}
