//! Study, review and quiz in plain mode through the real binary: what a script or screen
//! reader sees, and what lands in the database.

use crate::plain_driver::{PlainDriver, Waiting, answer_all_rightly, options};
use crate::support::{
    TEST_NOW, Test, TestEnv, assert_contains, assert_ends_with, assert_lacks, assert_starts_with,
    builtin_catalog, command, fails_with, plain_session, stderr_of, stdout_of,
};

/// The progress of the test's database, exported.
fn export(env: &TestEnv) -> serde_json::Value {
    Test::new(env)
        .arg("export")
        .any_stdout()
        .any_stderr()
        .run_json()
}

fn reviewed_cards(export: &serde_json::Value) -> Vec<String> {
    export["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["card"].as_str().unwrap().to_string())
        .collect()
}

fn ratings(export: &serde_json::Value) -> Vec<u64> {
    export["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rating"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_full_plain_study_of_hsct_records_exactly_the_answers_given() {
    let env = TestEnv::new();
    let db = env.db();
    let catalog = builtin_catalog();
    let mut driver = plain_session(&env, &["study", "hsct", "--seed", "7"]);
    let (answered, transcript) = answer_all_rightly(&mut driver, &catalog);
    let (code, _) = driver.finish();
    assert_eq!(code, Some(0), "{transcript}");
    // Ten new cards (the daily limit), each seen until it graduates.
    let distinct: std::collections::BTreeSet<&String> = answered.iter().collect();
    assert_eq!(distinct.len(), 10, "{transcript}");
    assert_contains(
        &transcript,
        "[hsct, 0 answered, 10 left, new 10, learning 0, review 0]",
    );
    assert_contains(&transcript, "\nRight\n");
    assert_lacks(&transcript, "Not quite");
    assert!(
        transcript.contains(&format!(
            "Session done: {} cards answered, 100% right",
            answered.len()
        )),
        "{transcript}"
    );
    assert!(transcript.contains("Educational only; not medical advice."));

    let progress = export(&env);
    assert_eq!(
        reviewed_cards(&progress),
        answered,
        "the database holds exactly the answers given, in order"
    );
    let ratings = ratings(&progress);
    assert!(
        ratings.iter().all(|&r| r == 3),
        "every right answer is Good: {ratings:?}"
    );
    let cards = progress["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 10);
    assert!(
        cards.iter().all(|c| c["state"] == "review"),
        "every card graduated: {cards:?}"
    );

    // Studying again the same day: no new cards left, nothing due.
    let output = command(&env, &db, TEST_NOW, &["study", "hsct"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let text = stdout_of(&output);
    assert_starts_with(
        &text,
        "Nothing to study in `hsct` right now.\nNext due: in ",
    );

    // Much later, `review` brings back exactly the cards that are due.
    let later = "2026-09-01T09:00:00Z";
    let mut driver = Test::new(&env)
        .db(&db)
        .now(later)
        .args(["review", "--seed", "1"])
        .plain();
    let (reviewed, transcript) = answer_all_rightly(&mut driver, &catalog);
    assert_eq!(driver.finish().0, Some(0));
    let mut reviewed_sorted = reviewed.clone();
    reviewed_sorted.sort();
    let mut due: Vec<String> = cards
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    due.sort();
    assert_eq!(reviewed_sorted, due, "{transcript}");
    assert_contains(&transcript, ", review 10]");
}

#[test]
fn review_with_nothing_due_says_when_the_next_card_is() {
    let env = TestEnv::new();
    let db = env.db();
    Test::new(&env)
        .arg("review")
        .stderr(format!(
            "note: there is no progress at `{}` yet (no such file), so this shows none; check the path, or start with `lupus-quiz study DECK`, which creates it\n",
            db.display()
        ))
        .stdout("Nothing is due for review.\nNext due: no cards are scheduled yet; new cards wait in `lupus-quiz study <deck>`.\n")
        .run();
}

/// A one-card deck of the user's, for tests of the prompt protocol.
fn one_choice_deck(env: &TestEnv) -> std::path::PathBuf {
    env.write(
        "decks/mini.yaml",
        "title: Mini\ndescription: One card.\ncards:\n  - id: mini-choice\n    type: choice\n    question: Which phase clears the old immune system?\n    answer: Conditioning\n    distractors: [Harvesting, Monitoring]\n    explanation: Chemotherapy clears it.\n    source: How Stem Cell Therapy Works\n",
    );
    env.path().join("decks")
}

/// Runs `args` with the one-card deck of [`one_choice_deck`], feeding `stdin` in plain mode.
fn run_mini(env: &TestEnv, args: &[&str], stdin: &str) -> std::process::Output {
    let decks = one_choice_deck(env);
    Test::new(env)
        .decks(&decks)
        .args(args)
        .stdin(stdin)
        .unchecked()
        .run()
}

#[test]
fn invalid_lines_are_explained_and_three_count_as_again() {
    let env = TestEnv::new();
    let output = run_mini(&env, &["study", "mini", "--seed", "2"], "9\nthree\n0\n");
    assert!(output.status.success(), "{}", stderr_of(&output));
    let text = stdout_of(&output);
    assert_eq!(
        text.matches("Type one number from 1 to 3.").count(),
        3,
        "{text}"
    );
    assert_contains(
        &text,
        "Type one number from 1 to 3. Counting this card as Again.\nNot quite\nCorrect answer: Conditioning\n",
    );
    let progress = export(&env);
    assert_eq!(progress["reviews"][0]["rating"], 1);
}

#[test]
fn end_of_input_mid_card_ends_cleanly_with_the_summary_and_keeps_earlier_answers() {
    let env = TestEnv::new();
    let catalog = builtin_catalog();
    let mut driver = plain_session(&env, &["study", "basics", "--seed", "3"]);
    let Waiting::Prompt { screen } = driver.wait() else {
        panic!("a first question")
    };
    let mut transcript = String::new();
    let card_id = driver.answer_rightly(&catalog, &screen, &mut transcript);
    // The second question is on screen when input ends.
    assert!(matches!(driver.wait(), Waiting::Prompt { .. }));
    let (code, output) = driver.finish();
    assert_eq!(code, Some(0), "{output}");
    assert_contains(&output, "Session done: 1 card answered, 100% right");
    assert_eq!(reviewed_cards(&export(&env)), vec![card_id]);
}

#[test]
fn undo_and_regrade_lines_work_in_plain_mode() {
    let env = TestEnv::new();
    let run = |input: &str| {
        let output = run_mini(&env, &["study", "mini", "--seed", "2", "--new", "1"], input);
        assert!(output.status.success(), "{}", stderr_of(&output));
        stdout_of(&output)
    };
    // Answer wrongly, undo, answer again; then change that grade to Easy with `!4`.
    let text = run("1\nu\n2\n!4\nq\n");
    assert_contains(&text, "Undone: Which phase clears the old immune system? (");
    assert_contains(&text, "Regraded as Easy, next: in ");
    let progress = export(&env);
    let ratings = ratings(&progress);
    // Option 1 or 2 may be right (shuffled); whatever was answered second was regraded Easy.
    assert_eq!(ratings, vec![4], "{text}");

    // `stats` counts from review totals kept beside the log: the undone answer and the
    // regraded one are gone from them too.
    let stats = run_mini(&env, &["stats", "--json"], "");
    assert!(stats.status.success(), "{}", stderr_of(&stats));
    let report: serde_json::Value = serde_json::from_slice(&stats.stdout).unwrap();
    assert_eq!(
        (&report["today"]["reviews"], &report["today"]["passed"]),
        (&serde_json::json!(1), &serde_json::json!(1))
    );
    let doctor = run_mini(&env, &["doctor"], "");
    assert_contains(
        &stdout_of(&doctor),
        "ok: the review totals that `stats` reads match the log\n",
    );
}

#[test]
fn a_quiz_scores_saves_a_result_and_leaves_card_states_alone() {
    let env = TestEnv::new();
    let db = env.db();
    let catalog = builtin_catalog();
    // Some progress first, to see that the quiz does not change it.
    let mut driver = plain_session(&env, &["study", "trials", "--new", "2", "--seed", "5"]);
    answer_all_rightly(&mut driver, &catalog);
    assert_eq!(driver.finish().0, Some(0));
    let before = export(&env);

    let mut driver = plain_session(&env, &["quiz", "trials", "--count", "5", "--seed", "5"]);
    let (asked, transcript) = answer_all_rightly(&mut driver, &catalog);
    assert_eq!(driver.finish().0, Some(0));
    assert_eq!(asked.len(), 5);
    assert_contains(&transcript, "[trials, quiz, question 1/5]");
    assert_contains(&transcript, "Score: 5/5 (100%)");

    let after = export(&env);
    assert_eq!(after["cards"], before["cards"]);
    assert_eq!(after["reviews"], before["reviews"]);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (deck, correct, questions): (String, i64, i64) = conn
        .query_row(
            "SELECT deck, correct, questions FROM quiz_result",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((deck.as_str(), correct, questions), ("trials", 5, 5));
}

#[test]
fn a_quiz_lists_each_missed_question_with_its_answer_and_explanation() {
    let env = TestEnv::new();
    let decks = one_choice_deck(&env);
    let quiz = Test::new(&env).args(["quiz", "mini"]).decks(&decks);
    let mut driver = PlainDriver::spawn(quiz.command());
    let Waiting::Prompt { screen } = driver.wait() else {
        panic!("the quiz asked nothing")
    };
    // Whatever the shuffle, pick a wrong option by its text.
    let wrong = options(&screen)
        .iter()
        .position(|option| option == "Harvesting")
        .unwrap_or_else(|| panic!("no Harvesting among the options:\n{screen}"));
    driver.send(&(wrong + 1).to_string());
    let (code, text) = driver.finish();
    assert_eq!(code, Some(0), "{text}");
    assert_contains(&text, "Score: 0/1 (0%)");
    assert_contains(
        &text,
        "Missed:\n1. Which phase clears the old immune system?\n   You answered: Harvesting\n   Correct answer: Conditioning\n   Why: Chemotherapy clears it.\n",
    );
}

#[test]
fn an_unknown_deck_suggests_the_closest_name() {
    let env = TestEnv::new();
    let names = "the decks are: basics, cases, hsct, research, symptoms, treatments, trials (see `lupus-quiz decks`)";
    for args in [
        &["study", "hsc"][..],
        &["review", "--deck", "hsc"],
        &["quiz", "hsc"],
        &["stats", "--deck", "hsc"],
    ] {
        Test::new(&env)
            .args(args)
            .status(1)
            .stderr(format!(
                "error: there is no deck named `hsc`; did you mean `hsct`? {names}\n"
            ))
            .run();
    }
    // A name like nothing gets the list without a guess, shown safely.
    fails_with(
        &env,
        &["study", "\u{1b}[2Jzzzzzzzz"],
        1,
        &format!("error: there is no deck named `␛[2Jzzzzzzzz`; {names}\n"),
    );
}

#[test]
fn the_dashboard_shows_what_is_due_and_what_to_run_next() {
    let env = TestEnv::new();
    let db = env.db();
    let output = Test::new(&env)
        .without_db()
        .now(TEST_NOW)
        .arg("--db")
        .arg(&db)
        .unchecked()
        .run();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let text = stdout_of(&output);
    assert_starts_with(
        &text,
        "lupus-quiz: lupus and stem cell therapy (educational, not medical advice)\n",
    );
    assert_contains(&text, "\nhsct             0    10  ");
    assert_contains(&text, "Streak: 0 days (longest 0)");
    assert_ends_with(&text, "Next: lupus-quiz study basics\n");
}
