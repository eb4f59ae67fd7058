//! What of the article do I know (issue 29, sections 2 and 3): `stats --by-section` counts
//! mastery per section, and `summary` gives one page to take to an appointment.

use crate::support::{Test, TestEnv};

const NOW: &str = "2026-03-01T09:00:00Z";

/// A deck of four typed cards in two sections: two on kidneys, two on blood, the second of
/// each asking for a word with Markdown's own characters in it.
fn two_section_deck(env: &TestEnv) {
    let card = |id: &str, question: &str, answer: &str, source: &str| {
        format!(
            "  - id: {id}\n    type: typed\n    question: \"{question}\"\n    answers: [\"{answer}\"]\n    explanation: Because.\n    source: {source}\n"
        )
    };
    let yaml = [
        "title: Organs\ndescription: Two sections.\ncards:\n".to_string(),
        card(
            "kidney-1",
            "Which organ filters blood?",
            "kidney",
            "Kidneys",
        ),
        card(
            "kidney-2",
            "What is *lupus nephritis*?",
            "kidney_inflammation",
            "Kidneys",
        ),
        card("blood-1", "What carries oxygen?", "red-cells", "Blood"),
        card("blood-2", "What fights germs?", "white-cells", "Blood"),
        "questions_to_ask:\n  - section: Kidneys\n    questions:\n      - Which kidney tests do I need?\n  - section: Blood\n    questions:\n      - How often is my blood checked?\n".to_string(),
    ]
    .concat();
    env.write("decks/organs.yaml", yaml);
}

fn run<'e>(env: &'e TestEnv, args: &[&str]) -> Test<'e> {
    Test::new(env).own_decks().args(args).now(NOW).any_stdout()
}

/// Studies the deck once: the kidney cards answered wrong, the blood cards right.
fn kidneys_missed(env: &TestEnv) {
    two_section_deck(env);
    run(env, &["study", "organs"])
        .stdin("wrong\nwrong\nred-cells\nwhite-cells\nq\n")
        .run();
}

#[test]
fn stats_by_section_counts_the_cards_of_each_section() {
    let env = TestEnv::new();
    kidneys_missed(&env);
    let json = run(
        &env,
        &["stats", "--by-section", "--json", "--deck", "organs"],
    )
    .run_json();
    let sections = json["sections"].as_array().unwrap();
    let names: Vec<&str> = sections
        .iter()
        .map(|s| s["section"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Kidneys", "Blood"]);
    for section in sections {
        assert_eq!(section["cards"], 2, "{section}");
        assert_eq!(section["new"], 0, "{section}");
        assert_eq!(section["learning"], 2, "{section}");
        assert_eq!(section["mastered"], 0, "{section}");
        // Cards in learning steps have no recall estimate yet.
        assert!(section["recall_now"].is_null(), "{section}");
    }
    let plain = run(
        &env,
        &["stats", "--by-section", "--plain", "--deck", "organs"],
    )
    .run_stdout();
    assert!(
        plain.contains("Kidneys\n0 of 2 cards mastered, 2 learning, none in review yet.\n"),
        "{plain}"
    );
}

#[test]
fn stats_by_section_of_one_deck_leaves_the_others_out() {
    let env = TestEnv::new();
    two_section_deck(&env);
    env.write("decks/other.yaml", crate::support::small_deck("other", 2));
    let json = run(
        &env,
        &["stats", "--by-section", "--json", "--deck", "organs"],
    )
    .any_stderr()
    .run_json();
    assert_eq!(json["deck"], "organs");
    assert_eq!(json["sections"].as_array().unwrap().len(), 2, "{json}");
    // Every deck: the built-in decks' sections, then the own decks' ones, and what is
    // beyond the article last.
    let all = run(&env, &["stats", "--by-section", "--json"])
        .any_stderr()
        .run_json();
    let names: Vec<&str> = (all["sections"].as_array().unwrap().iter())
        .map(|s| s["section"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "Opening paragraphs (no heading)");
    assert_eq!(names.last(), Some(&"Beyond the article (see note)"));
    for own in ["Kidneys", "Blood", "Introduction"] {
        assert!(names.contains(&own), "{names:?}");
    }
}

#[test]
fn stats_by_section_fits_a_narrow_terminal() {
    let env = TestEnv::new();
    kidneys_missed(&env);
    let text = run(&env, &["stats", "--by-section"])
        .env("COLUMNS", "50")
        .run_stdout();
    for line in text.lines() {
        assert!(
            console::measure_text_width(line) <= 50,
            "{line:?} in\n{text}"
        );
    }
    assert!(
        text.contains("Kidneys\n  ░░░░░░░░░░ 0 of 2 cards mastered"),
        "{text}"
    );
}

#[test]
fn summary_names_the_cards_you_keep_missing_weakest_section_first() {
    let env = TestEnv::new();
    kidneys_missed(&env);
    let text = run(&env, &["summary", "--plain"]).run_stdout();
    assert!(
        text.starts_with("What you know, 1 March 2026\nEducational only, not medical advice."),
        "{text}"
    );
    let kidneys = text.find("\nKidneys\n").expect("a Kidneys section");
    let blood = text.find("\nBlood\n").expect("a Blood section");
    assert!(kidneys < blood, "the section with misses first:\n{text}");
    assert!(
        text.contains("Cards you keep missing:\n- Which organ filters blood?\n  Answer: kidney\n"),
        "{text}"
    );
    // The blood cards were answered right: nothing missed there.
    assert_eq!(text.matches("Cards you keep missing:").count(), 1, "{text}");
}

#[test]
fn summary_before_any_study_says_nothing_is_studied_and_creates_no_database() {
    let env = TestEnv::new();
    two_section_deck(&env);
    let text = run(&env, &["summary", "--plain", "--deck", "organs"])
        .any_stderr()
        .run_stdout();
    assert!(
        text.contains("You have not studied any card yet."),
        "{text}"
    );
    assert!(
        text.contains("Not started yet:\n- Kidneys\n- Blood\n"),
        "{text}"
    );
    assert!(!env.path().join("progress.db").exists());
}

#[test]
fn summary_as_markdown_escapes_card_text_and_keeps_the_notice() {
    let env = TestEnv::new();
    kidneys_missed(&env);
    let path = env.path().join("summary.md");
    run(&env, &["summary", "-o", path.to_str().unwrap()])
        .stdout_contains("Wrote the summary to")
        .run();
    let page = std::fs::read_to_string(&path).unwrap();
    assert!(
        page.starts_with("# What you know, 1 March 2026\n\n*Educational only"),
        "{page}"
    );
    assert!(page.contains("\n## Kidneys\n"), "{page}");
    assert!(
        page.contains("- What is \\*lupus nephritis\\*?  \n  **Answer:** kidney\\_inflammation\n"),
        "{page}"
    );
}

#[test]
fn summary_json_has_the_sections_studied_and_not_started() {
    let env = TestEnv::new();
    kidneys_missed(&env);
    let json = run(&env, &["summary", "--json", "--deck", "organs"]).run_json();
    assert_eq!(json["date"], "1 March 2026");
    assert!(
        json["notice"]
            .as_str()
            .unwrap()
            .starts_with("Educational only")
    );
    let studying = json["studying"].as_array().unwrap();
    assert_eq!(studying[0]["section"], "Kidneys");
    assert_eq!(studying[0]["missed"][0]["card_id"], "kidney-1");
    assert_eq!(studying[0]["missed"][0]["answer"], "kidney");
    assert!(
        studying[0]["known"]
            .as_str()
            .unwrap()
            .starts_with("You have studied 2 of its 2 cards.")
    );
    assert_eq!(json["not_started"].as_array().unwrap().len(), 0);
}

#[test]
fn summary_lists_the_questions_to_ask_of_the_sections_studied_weakest_first() {
    let env = TestEnv::new();
    kidneys_missed(&env);
    let text = run(&env, &["summary", "--plain", "--deck", "organs"]).run_stdout();
    assert!(
        text.contains(
            "\nQuestions to ask your care team\nKidneys:\n- Which kidney tests do I need?\nBlood:\n- How often is my blood checked?\n"
        ),
        "{text}"
    );
    let json = run(&env, &["summary", "--json", "--deck", "organs"]).run_json();
    assert_eq!(
        json["studying"][0]["questions_to_ask"][0],
        "Which kidney tests do I need?"
    );
}

// The questions to ask are checked like every other text of a deck: each problem named,
// on the line of `questions_to_ask`, and none hides another.
#[test]
fn check_refuses_questions_to_ask_that_are_not_questions_of_the_decks_sections() {
    let env = TestEnv::new();
    let deck = "title: T\ndescription: D\ncards:\n  - id: k-1\n    type: flip\n    front: F\n    back: B\n    explanation: E.\n    source: Kidneys\nquestions_to_ask:\n  - section: Lungs\n    questions:\n      - Are my lungs affected?\n  - section: Kidneys\n    questions:\n      - Take your medicine every day.\n  - section: Kidneys\n    questions: []\n";
    let path = env.write("decks/asks.yaml", deck);
    let stderr = crate::support::stderr_of(
        &Test::new(&env)
            .arg("check")
            .arg(&path)
            .status(1)
            .any_stderr()
            .run(),
    );
    let file = path.display();
    for expected in [
        format!(
            "{file}:10: `questions_to_ask` names the section `Lungs`, which no card of this deck has as its `source`; use one of: `Kidneys`"
        ),
        format!(
            "{file}:10: `Take your medicine every day.` in `questions_to_ask` does not end with `?`; write a question for the care team, never advice"
        ),
        format!(
            "{file}:10: `questions_to_ask` lists the section `Kidneys` twice; put its questions together"
        ),
        format!(
            "{file}:10: `questions_to_ask` for `Kidneys` has 0 questions; give 1 to 5, short and plain"
        ),
    ] {
        assert!(stderr.contains(&expected), "{expected}\nin:\n{stderr}");
    }
}

// Issue 29, section 2: while a goal is set, mastery per section also gives the predicted
// recall on its date (a card not yet studied counts as 0), and says nothing of it after.
#[test]
fn stats_by_section_gives_the_recall_on_the_goal_date_while_a_goal_is_active() {
    let env = TestEnv::new();
    kidneys_missed(&env);
    run(&env, &["plan", "--by", "2026-03-10", "--deck", "organs"]).run();
    let json = run(
        &env,
        &["stats", "--by-section", "--json", "--deck", "organs"],
    )
    .run_json();
    assert_eq!(json["goal_date"], "2026-03-10");
    for section in json["sections"].as_array().unwrap() {
        let on_goal = section["recall_on_goal"].as_f64().unwrap();
        assert!((0.0..1.0).contains(&on_goal), "{section}");
    }
    let plain = run(
        &env,
        &["stats", "--by-section", "--plain", "--deck", "organs"],
    )
    .run_stdout();
    assert!(plain.contains(", on the goal's date "), "{plain}");
    let after = Test::new(&env)
        .own_decks()
        .args(["stats", "--by-section", "--json", "--deck", "organs"])
        .now("2026-03-12T09:00:00Z")
        .any_stdout()
        .run_json();
    assert!(after["goal_date"].is_null(), "{after}");
    assert!(after["sections"][0]["recall_on_goal"].is_null(), "{after}");
}
