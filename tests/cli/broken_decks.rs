//! A mistake in a deck of one's own never stops the daily loop: every command that loads
//! decks names the broken file with its first problem, says what to run, and goes on with
//! the valid decks; the broken deck's progress is kept; `check` still fails.

use crate::support::{Test, TestEnv, assert_lacks, assert_starts_with, small_deck, stdout_of};

/// The deck `mine` with a wrong card type on line 5.
const BROKEN_MINE: &str = "title: Mine\ndescription: D.\ncards:\n  - id: mine-card-1\n    type: flp\n    front: Q?\n    back: A.\n    explanation: E.\n    source: S\n";

const LEFT_OUT: &str = "warning: decks/mine.yaml:5: card `mine-card-1`: unknown card type `flp` (did you mean `flip`?); valid types are: flip, choice, multi, truefalse, typed, order, cloze; deck `mine` is left out until it is fixed\n\
    warning: run `lupus-quiz check` to see every problem, and `lupus-quiz help deck-format` for the format\n";

fn with_decks(env: &TestEnv) -> Test<'_> {
    Test::new(env).args(["--decks", "decks"])
}

/// Answers the two cards of `mine` once each (the first option, whatever it is).
fn study_mine(env: &TestEnv) {
    env.write("decks/mine.yaml", small_deck("mine", 2));
    with_decks(env)
        .args(["study", "mine", "--plain", "--seed", "1"])
        .stdin("1\n1\n")
        .any_stdout()
        .run();
}

#[test]
fn every_command_that_loads_decks_warns_and_goes_on_with_the_valid_ones() {
    let env = TestEnv::new();
    env.write("decks/mine.yaml", BROKEN_MINE);
    let commands: [&[&str]; 8] = [
        &[],
        &["decks"],
        &["study", "hsct", "--plain"],
        &["review", "--plain"],
        &["quiz", "hsct", "--count", "1", "--plain"],
        &["stats"],
        &["export", "--anki", "all.apkg"],
        &["doctor"],
    ];
    // A database first: reading commands name a missing one on stderr.
    with_decks(&env)
        .args(["study", "hsct", "--plain"])
        .any_stdout()
        .stderr(LEFT_OUT)
        .run();
    for args in commands {
        with_decks(&env)
            .args(args)
            .any_stdout()
            .stderr(LEFT_OUT)
            .run();
    }
}

#[test]
fn check_still_fails_on_a_broken_deck() {
    let env = TestEnv::new();
    env.write("decks/mine.yaml", BROKEN_MINE);
    with_decks(&env)
        .arg("check")
        .status(1)
        .stderr(
            "error: decks/mine.yaml:5: card `mine-card-1`: unknown card type `flp` (did you mean `flip`?); valid types are: flip, choice, multi, truefalse, typed, order, cloze\n\
             1 problem in 1 deck file; `lupus-quiz help deck-format` describes the format\n",
        )
        .run();
}

#[test]
fn studying_the_broken_deck_itself_says_why_it_is_missing() {
    let env = TestEnv::new();
    env.write("decks/mine.yaml", BROKEN_MINE);
    with_decks(&env)
        .args(["study", "Mine", "--plain"])
        .status(1)
        .stderr(format!(
            "{LEFT_OUT}error: deck `mine` has problems in its file and is left out until they are fixed; `lupus-quiz check` lists them\n"
        ))
        .run();
}

#[test]
fn a_broken_deck_keeps_its_progress_and_is_not_called_orphaned() {
    let env = TestEnv::new();
    study_mine(&env);
    env.write("decks/mine.yaml", BROKEN_MINE);
    let stats = with_decks(&env)
        .arg("stats")
        .any_stdout()
        .stderr(LEFT_OUT)
        .run();
    assert_lacks(&stdout_of(&stats), "Orphans");
    with_decks(&env)
        .arg("doctor")
        .stdout_contains("note: deck `mine` is left out for problems in its file (see `lupus-quiz check`); 2 reviews of 2 cards are kept and will count again once it loads")
        .stderr(LEFT_OUT)
        .run();
    with_decks(&env)
        .args(["doctor", "--repair"])
        .any_stdout()
        .stderr(LEFT_OUT)
        .run();
    // Fixed, the deck comes back with every answer it had.
    env.write("decks/mine.yaml", small_deck("mine", 2));
    let json = with_decks(&env)
        .args(["stats", "--json", "--deck", "mine"])
        .any_stdout()
        .run();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let mine = &report["cards"]["decks"][0];
    assert_eq!(mine["deck"], "mine");
    assert_eq!(mine["new"], 0, "{mine}");
}

#[test]
fn a_broken_replacement_of_a_built_in_deck_leaves_the_built_in_one_in_use() {
    let env = TestEnv::new();
    env.write("decks/hsct.yaml", "title: My HSCT\n");
    let expected_warning = "warning: decks/hsct.yaml: missing field `description` (and 1 more problem); the built-in deck `hsct` is used until it is fixed\n\
        warning: run `lupus-quiz check` to see every problem, and `lupus-quiz help deck-format` for the format\n";
    let decks = with_decks(&env)
        .arg("decks")
        .any_stdout()
        .stderr(expected_warning)
        .run();
    let hsct_line = stdout_of(&decks)
        .lines()
        .find(|line| line.starts_with("hsct"))
        .map(str::to_string)
        .unwrap();
    assert_starts_with(&hsct_line, "hsct        Stem cell transplan");
    with_decks(&env)
        .args(["study", "hsct", "--plain"])
        .any_stdout()
        .stderr(expected_warning)
        .run();
}
