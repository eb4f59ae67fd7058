//! "Due" means one thing everywhere (issue 28, items 1 and 2): the dashboard, `review`,
//! `stats`, `cards --due` and a session's last lines count the same cards. A review is due
//! all its study day (as in Anki: `review` shows it at once), a learning step by its time,
//! and a new card (a forgotten one too) or a suspended one never.

use crate::support::{
    TEST_NOW, Test, TestEnv, assert_contains, assert_lacks, assert_starts_with, typed_deck,
};

/// A morning when the cards of [`four_cards_in_review`] are all due.
const ALL_DUE: &str = "2026-03-05T09:00:00Z";
/// The day after [`four_cards_in_review`] answered them: none is due yet.
const NONE_DUE: &str = "2026-03-02T12:00:00Z";

fn run<'e>(env: &'e TestEnv, now: &str, args: &[&str]) -> Test<'e> {
    Test::new(env).own_decks().args(args).now(now).any_stdout()
}

/// Runs `args` (`due` and its options) at `now`, which must end with `status` and print
/// exactly `stdout`.
fn due_says(env: &TestEnv, now: &str, args: &[&str], status: i32, stdout: &str) {
    run(env, now, args).status(status).stdout(stdout).run();
}

/// Four cards answered Good twice on 2026-03-01: all in review, due on 2026-03-03 (the
/// study day starts at 04:00), at about 09:11.
fn four_cards_in_review(env: &TestEnv) {
    typed_deck(env, 4);
    let answers = "city-1\ncity-2\ncity-3\ncity-4\n";
    run(env, TEST_NOW, &["study", "capitals"])
        .stdin(answers)
        .run();
    run(env, "2026-03-01T09:11:00Z", &["study", "capitals"])
        .stdin(answers)
        .run();
}

/// What each place says is due at `now`: the dashboard's DUE of `capitals`, `stats`'s "due
/// N now", how many cards `cards --due` lists, and `stats --json`'s `due_now`.
fn due_everywhere(env: &TestEnv, now: &str) -> [usize; 4] {
    let dashboard = run(env, now, &[]).run_stdout();
    let row = dashboard
        .lines()
        .find(|line| line.starts_with("capitals "))
        .unwrap_or_else(|| panic!("a capitals row:\n{dashboard}"));
    let dashboard_due = row.split_whitespace().nth(1).unwrap().parse().unwrap();
    let stats = run(env, now, &["stats", "--plain"]).run_stdout();
    let line = stats
        .lines()
        .find(|line| line.trim_start().starts_with("due "))
        .unwrap_or_else(|| panic!("a due line:\n{stats}"));
    let stats_due = line.split_whitespace().nth(1).unwrap().parse().unwrap();
    let listed = run(env, now, &["cards", "--due", "--json"]).run_stdout();
    let listed: serde_json::Value = serde_json::from_str(&listed).unwrap();
    let json = run(env, now, &["stats", "--json"]).run_stdout();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    [
        dashboard_due,
        stats_due,
        listed.as_array().unwrap().len(),
        json["due_now"].as_u64().unwrap() as usize,
    ]
}

// Issue 28, item 1: a forgotten card kept its old due time, and `review` said "Due now: 1
// card, beyond today's review limit" while the dashboard and `stats` said 0.
#[test]
fn forgotten_and_suspended_cards_are_counted_due_nowhere() {
    let env = TestEnv::new();
    four_cards_in_review(&env);
    let now = ALL_DUE;
    assert_eq!(due_everywhere(&env, now), [4; 4]);
    run(&env, now, &["forget", "cap-1", "--yes"]).run();
    run(&env, now, &["suspend", "cap-2"]).run();
    assert_eq!(due_everywhere(&env, now), [2; 4]);
    run(&env, now, &["forget", "cap-3", "cap-4", "--yes"]).run();
    assert_eq!(due_everywhere(&env, now), [0; 4]);
    run(&env, now, &["review"])
        .stdout(
            "Nothing is due for review.\n\
             Next due: no cards are scheduled yet; new cards wait in `lupus-quiz study <deck>`.\n",
        )
        .run();
    // A session of the forgotten cards (new again) ends saying nothing is due.
    let text = run(&env, now, &["study", "capitals"])
        .stdin("city-1\nq\n")
        .run_stdout();
    assert_contains(
        &text,
        "Next due: in 10 minutes, today at 09:10 (1 card due today).\n",
    );
}

// Issue 28, items 1 and 2: after `review` was left with reviews still in it, the summary
// said "Next due: in 37s" and `cards --due` "No cards match", yet `review` showed them.
#[test]
fn an_interrupted_review_leaves_its_cards_due_everywhere() {
    let env = TestEnv::new();
    four_cards_in_review(&env);
    // 05:00 on 2026-03-03: the study day of their due date has begun, their hour has not.
    let now = "2026-03-03T05:00:00Z";
    assert_eq!(due_everywhere(&env, now), [4; 4]);
    let text = run(&env, now, &["review"])
        .stdin("city-1\nq\n")
        .run_stdout();
    assert_contains(&text, "[capitals, 0 answered, 4 left");
    assert_contains(
        &text,
        "Due now: 3 cards; run `lupus-quiz review` to study them.\n",
    );
    assert_eq!(due_everywhere(&env, now), [3; 4]);
    let text = run(&env, now, &["review", "--limit", "0"]).run_stdout();
    assert_eq!(
        text,
        "Nothing is due for review.\n\
         Due now: 3 cards, beyond today's review limit; `--limit N` takes more in one session \
         (`lupus-quiz config reviews_per_day` sets the limit).\n"
    );
    // The day before, none of them is due, and the next-due line says when they will be:
    // on the next study day, from its start.
    assert_eq!(due_everywhere(&env, NONE_DUE), [0; 4]);
    run(&env, NONE_DUE, &["review"])
        .stdout(
            "Nothing is due for review.\n\
             Next due: in 1 day, tomorrow at 04:00 (3 cards due that day).\n",
        )
        .run();
}

// A review graded in the evening was "next: in 9d" in its feedback and "Next due: in 8d" in
// the summary: one counted study days, the other the time to the start of that study day.
// Both count study days now, as the due rule does (a review is due all its study day).
#[test]
fn a_reviews_next_due_counts_the_same_study_days_as_its_grade() {
    let env = TestEnv::new();
    typed_deck(&env, 1);
    run(&env, "2026-03-01T20:00:00Z", &["study", "capitals"])
        .stdin("city-1\n")
        .run();
    // Good again after its 10-minute step: the card graduates to review.
    let text = run(&env, "2026-03-01T20:11:00Z", &["study", "capitals"])
        .stdin("city-1\n")
        .run_stdout();
    let graded = text
        .lines()
        .find_map(|line| line.strip_prefix("Graded Good, next: "))
        .unwrap_or_else(|| panic!("no grade line:\n{text}"));
    assert!(graded.ends_with(" days"), "{text}");
    assert!(
        text.contains(&format!("\nNext due: {graded}, on ")),
        "the summary counts otherwise than the grade:\n{text}"
    );
}

// Issue 28, item 2: a learning card is due by its time; later today it is "later today".
#[test]
fn a_learning_step_is_due_by_its_time() {
    let env = TestEnv::new();
    typed_deck(&env, 1);
    run(&env, TEST_NOW, &["study", "capitals"])
        .stdin("city-1\nq\n")
        .run();
    // Its 10-minute step is due at 09:10 (and a fraction of a second: the answer took it).
    assert_eq!(due_everywhere(&env, "2026-03-01T09:05:00Z"), [0; 4]);
    let stats = run(&env, "2026-03-01T09:05:00Z", &["stats", "--plain"]).run_stdout();
    assert_contains(&stats, "due       0 now, 1 later today");
    assert_eq!(due_everywhere(&env, "2026-03-01T09:11:00Z"), [1; 4]);
}

// Issue 28, item 7: reminders without a daemon, by exit status as `grep -q` gives it.
#[test]
fn due_says_how_many_cards_are_due_and_exits_1_when_none_is() {
    let env = TestEnv::new();
    typed_deck(&env, 4);
    run(&env, "2026-03-01T08:00:00Z", &["due"])
        .any_stderr()
        .status(1)
        .stdout("No cards due.\n")
        .run();
    four_cards_in_review(&env);
    due_says(&env, NONE_DUE, &["due"], 1, "No cards due.\n");
    due_says(&env, NONE_DUE, &["due", "--quiet"], 1, "");
    due_says(
        &env,
        ALL_DUE,
        &["due"],
        0,
        "4 cards due: run lupus-quiz review\n",
    );
    due_says(&env, ALL_DUE, &["due", "-q"], 0, "");
    run(
        &env,
        ALL_DUE,
        &["forget", "cap-1", "cap-2", "cap-3", "--yes"],
    )
    .run();
    due_says(
        &env,
        ALL_DUE,
        &["due"],
        0,
        "1 card due: run lupus-quiz review\n",
    );
}

// Issue 28, item 10: a mistyped `--db` silently created an empty database (and its
// folders), and the dashboard showed a fresh start as if all progress were gone.
#[test]
fn reading_commands_never_create_a_database_and_name_the_empty_path() {
    let env = TestEnv::new();
    let folder = env.path().join("typo");
    let db = folder.join("progres.db");
    let note = format!(
        "note: there is no progress at `{}` yet (no such file), so this shows none; check the path, or start with `lupus-quiz study DECK`, which creates it\n",
        db.display()
    );
    let read = |args: &[&str], status: i32| {
        Test::new(&env)
            .db(&db)
            .args(args)
            .status(status)
            .any_stdout()
            .stderr(note.clone())
            .run_stdout()
    };
    let dashboard = read(&[], 0);
    assert_contains(&dashboard, "Streak: 0 days");
    read(&["stats"], 0);
    read(&["stats", "--plain"], 0);
    read(&["cards", "--due"], 0);
    read(&["due"], 1);
    let review = read(&["review"], 0);
    assert_starts_with(&review, "Nothing is due for review.\n");
    assert!(
        !folder.exists(),
        "a reading command created `{}`",
        folder.display()
    );
    // Without a path of one's own (a new learner), no note: nothing is mistyped.
    let output = Test::new(&env)
        .without_db()
        .env("XDG_DATA_HOME", env.path().join("fresh"))
        .now(crate::support::TEST_NOW)
        .unchecked()
        .run();
    assert!(output.status.success());
    assert!(
        output.stderr.is_empty(),
        "{}",
        crate::support::stderr_of(&output)
    );
    assert!(!env.path().join("fresh").exists());
    // Studying records answers, so it creates the database.
    Test::new(&env)
        .db(&db)
        .args(["study", "basics"])
        .stdin("q\n")
        .any_stdout()
        .run();
    assert!(db.is_file());
}

// Issue 28, item 11: the leech notice said "next: suspended (leech)" and not how to bring
// the card back.
#[test]
fn a_new_leech_says_how_to_bring_it_back() {
    let env = TestEnv::new();
    four_cards_in_review(&env);
    run(
        &env,
        "2026-03-05T08:00:00Z",
        &["config", "leech_threshold", "1"],
    )
    .run();
    let text = run(&env, ALL_DUE, &["review"])
        .stdin("wrong\nq\n")
        .run_stdout();
    assert_contains(&text, "Graded Again, next: suspended (leech)\n");
    assert_contains(
        &text,
        "is now suspended as a leech: `lupus-quiz unsuspend cap-",
    );
    assert_contains(&text, "` brings it back with its history");
}

// Issue 28, item 11: `cards --state young|mature` was refused, though `stats` counts cards
// so; and a suspended card showed DUE `now`.
#[test]
fn cards_lists_young_and_mature_cards_and_no_due_time_for_a_suspended_one() {
    let env = TestEnv::new();
    four_cards_in_review(&env);
    let now = ALL_DUE;
    let count = |state: &str| {
        let json = run(&env, now, &["cards", "--state", state, "--json"]).run_stdout();
        let cards: serde_json::Value = serde_json::from_str(&json).unwrap();
        cards.as_array().unwrap().len()
    };
    assert_eq!(
        (count("young"), count("mature"), count("review")),
        (4, 0, 4)
    );
    run(&env, now, &["suspend", "cap-2"]).run();
    let table = run(&env, now, &["cards", "--state", "suspended"]).run_stdout();
    let row = table.lines().find(|l| l.starts_with("cap-2")).unwrap();
    assert_lacks(row, " now ");
    assert_contains(row, " - ");
}

// Issue 28, item 11: `card` showed a cloze as raw `{{a|b|c}}` markup, and its State line
// broke mid-part at 60 columns.
#[test]
fn card_shows_a_cloze_with_its_blanks_and_wraps_its_state_between_parts() {
    let env = TestEnv::new();
    typed_deck(&env, 4);
    let cloze = run(&env, ALL_DUE, &["card", "treatments-drug-classes-cloze"])
        .any_stderr()
        .run_stdout();
    assert_contains(&cloze, " one of the [1]");
    assert_contains(&cloze, "\nA: [1] antimalarial\n");
    assert_lacks(&cloze, "{{");
    four_cards_in_review(&env);
    let text = run(&env, ALL_DUE, &["card", "cap-1"])
        .env("COLUMNS", "40")
        .run_stdout();
    let state: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("State: "))
        .take_while(|line| !line.is_empty())
        .collect();
    assert!(state.len() > 1, "{text}");
    assert!(state.iter().all(|line| line.chars().count() < 40), "{text}");
    assert!(
        state[1..].iter().all(|line| line.starts_with("       ")),
        "{text}"
    );
    assert!(
        state.iter().any(|line| line.contains("recall now ")),
        "{text}"
    );
}

// Issue 28, item 11: at 60 columns `cards` silently dropped columns; `stats` names them.
#[test]
fn cards_names_the_columns_a_wider_terminal_adds() {
    let env = TestEnv::new();
    typed_deck(&env, 2);
    let narrow = run(&env, TEST_NOW, &["cards", "--deck", "capitals"])
        .env("COLUMNS", "60")
        .any_stderr()
        .run_stdout();
    assert_contains(
        &narrow,
        "\nA wider terminal adds DECK, TYPE, STAB.\n2 cards\n",
    );
    assert!(
        narrow.lines().all(|line| line.chars().count() < 60),
        "{narrow}"
    );
    let piped = run(&env, TEST_NOW, &["cards", "--deck", "capitals"])
        .any_stderr()
        .run_stdout();
    assert_lacks(&piped, "A wider terminal");
    assert_contains(&piped, "Capital number 1?");
}

/// Writes `decks/NAME.yaml` with the typed cards `cap-N` of [`typed_deck`] for `numbers`.
fn capitals_in(env: &TestEnv, name: &str, numbers: &[usize]) {
    let mut yaml = format!("title: {name}\ndescription: Typed cards.\ncards:\n");
    for i in numbers {
        yaml.push_str(&format!(
            "  - id: cap-{i}\n    type: typed\n    question: Capital number {i}?\n    answers: [city-{i}]\n    explanation: Because {i}.\n    source: Introduction\n"
        ));
    }
    env.write(&format!("decks/{name}.yaml"), yaml);
}

/// The dashboard's DUE and NEW of `deck` at `now`, and the whole dashboard.
fn dashboard_row(env: &TestEnv, now: &str, deck: &str) -> ((usize, usize), String) {
    let dashboard = run(env, now, &[]).run_stdout();
    let row = (dashboard.lines())
        .find(|line| line.split_whitespace().next() == Some(deck))
        .unwrap_or_else(|| panic!("a {deck} row:\n{dashboard}"));
    let mut columns = row.split_whitespace().skip(1);
    let mut count = || columns.next().unwrap().parse().unwrap();
    ((count(), count()), dashboard)
}

// Issue 31: the dashboard counts each deck in the store by the deck column of the states,
// which a card moved to another deck file leaves behind: it is checked against the decks'
// files whenever they change.
#[test]
fn a_card_moved_to_another_deck_file_is_counted_there_with_its_history() {
    let env = TestEnv::new();
    four_cards_in_review(&env);
    let now = "2026-03-05T09:00:00Z";
    assert_eq!(dashboard_row(&env, now, "capitals").0, (4, 0));
    capitals_in(&env, "capitals", &[2, 3, 4]);
    capitals_in(&env, "towns", &[1]);
    // Due in its new deck, not new there: its reviews came with it. Twice, since the
    // second run finds the decks already checked.
    for _ in 0..2 {
        assert_eq!(dashboard_row(&env, now, "capitals").0, (3, 0));
        assert_eq!(dashboard_row(&env, now, "towns").0, (1, 0));
    }
    // `study towns` shows it as the review the dashboard counted.
    let text = run(&env, now, &["study", "towns"])
        .stdin("city-1\n")
        .run_stdout();
    assert!(text.contains("Capital number 1?"), "{text}");
    assert_eq!(dashboard_row(&env, now, "towns").0, (0, 0));
    // Moved back, it is counted where it now is again.
    capitals_in(&env, "capitals", &[1, 2, 3, 4]);
    capitals_in(&env, "towns", &[5]);
    assert_eq!(dashboard_row(&env, now, "capitals").0, (3, 0));
    assert_eq!(dashboard_row(&env, now, "towns").0, (0, 1));
}

#[test]
fn a_card_taken_out_of_its_deck_file_is_counted_nowhere() {
    let env = TestEnv::new();
    four_cards_in_review(&env);
    let now = "2026-03-05T09:00:00Z";
    run(&env, now, &["suspend", "cap-2"]).run();
    let (counts, dashboard) = dashboard_row(&env, now, "capitals");
    assert_eq!(counts, (3, 0));
    assert!(
        dashboard.contains("Suspended: 1 card by you"),
        "{dashboard}"
    );
    capitals_in(&env, "capitals", &[3, 4]);
    // Neither due nor new, and no longer suspended in any deck.
    for _ in 0..2 {
        let (counts, dashboard) = dashboard_row(&env, now, "capitals");
        assert_eq!(counts, (2, 0));
        assert!(!dashboard.contains("Suspended:"), "{dashboard}");
    }
    // Back in its file, with its history.
    capitals_in(&env, "capitals", &[1, 2, 3, 4]);
    let (counts, dashboard) = dashboard_row(&env, now, "capitals");
    assert_eq!(counts, (3, 0));
    assert!(
        dashboard.contains("Suspended: 1 card by you"),
        "{dashboard}"
    );
}
