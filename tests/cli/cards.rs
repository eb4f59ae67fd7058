//! Finding, inspecting, suspending and forgetting cards (`cards`, `card`, `suspend`,
//! `unsuspend`, `forget`), tags and scopes in sessions, and manual actions surviving replay,
//! `doctor`, `export` and `import`.

use crate::support::{
    Test, TestEnv, assert_contains, assert_lacks, fails_saying, fails_with, fixture_deck,
    runs_printing, stdout_of,
};

/// A deck of the learner's own: typed and choice cards with tags, an accent and a note.
const MINE: &str = fixture_deck!("mine");

/// Reviews in January and February: beta in review and due, gamma a leech (with a threshold of 2), and a card
/// no deck has.
const LOG: &str = "card,at,rating,duration_ms
mine-beta,2026-01-01T09:00:00Z,4,3000
mine-beta,2026-01-10T09:00:00Z,3,2000
mine-gamma,2026-02-01T09:00:00Z,4,4000
mine-gamma,2026-02-05T09:00:00Z,1,5000
mine-gamma,2026-02-05T09:10:00Z,3,3000
mine-gamma,2026-02-08T09:00:00Z,1,6000
gone-card,2026-02-01T09:00:00Z,3,1000
";

/// The deck, a leech threshold of 2 and the February log.
fn setup() -> TestEnv {
    let env = TestEnv::new();
    env.write("config/lupus-quiz/decks/mine.yaml", MINE);
    says(
        &env,
        &["config", "leech_threshold", "2"],
        "leech_threshold = 2\n",
    );
    let log = env.write("log.csv", LOG);
    Test::new(&env).arg("import").arg(&log).any_stdout().run();
    env
}

/// Runs `args`, which must succeed printing exactly `stdout` and nothing on stderr.
fn says(env: &TestEnv, args: &[&str], stdout: &str) {
    Test::new(env).args(args).stdout(stdout).run();
}

/// Runs `args` with `stdin`; returns what it printed, whatever that is.
fn printed(env: &TestEnv, args: &[&str], stdin: &str) -> String {
    Test::new(env)
        .args(args)
        .stdin(stdin)
        .any_stdout()
        .run_stdout()
}

/// Runs `args`, whatever it prints.
fn ran(env: &TestEnv, args: &[&str]) {
    Test::new(env).args(args).any_stdout().run();
}

/// The ids `cards ARGS --json` lists, in its order.
fn ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
    let output = Test::new(env)
        .arg("cards")
        .args(args)
        .arg("--json")
        .any_stdout()
        .run();
    let cards: Vec<serde_json::Value> = serde_json::from_str(&stdout_of(&output)).unwrap();
    cards
        .iter()
        .map(|card| card["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn each_filter_of_cards_and_their_combination() {
    let env = setup();
    let mine = ["--deck", "mine"];
    let with = |extra: &[&str]| ids(&env, &[&mine[..], extra].concat());
    assert_eq!(
        with(&[]),
        ["mine-alpha", "mine-beta", "mine-gamma", "mine-delta"]
    );
    assert_eq!(ids(&env, &["--tag", "space"]), ["mine-beta", "mine-delta"]);
    // Case and accents do not matter; the answers and the note are searched too.
    assert_eq!(with(&["--search", "CAFE"]), ["mine-alpha"]);
    assert_eq!(with(&["--search", "uber"]), ["mine-gamma"]);
    assert_eq!(with(&["--search", "saturn"]), ["mine-delta"]);
    assert_eq!(with(&["--state", "new"]), ["mine-alpha", "mine-delta"]);
    assert_eq!(with(&["--state", "review"]), ["mine-beta"]);
    assert_eq!(with(&["--state", "leech"]), ["mine-gamma"]);
    assert_eq!(with(&["--state", "suspended"]), Vec::<String>::new());
    assert_eq!(with(&["--min-lapses", "1"]), ["mine-gamma"]);
    assert_eq!(with(&["--max-recall", "0.99"]), ["mine-beta", "mine-gamma"]);
    assert_eq!(with(&["--due"]), ["mine-beta"]);
    assert_eq!(with(&["--sort", "lapses"])[0], "mine-gamma");
    assert_eq!(
        with(&["--sort", "due"]),
        ["mine-gamma", "mine-beta", "mine-alpha", "mine-delta"]
    );
    assert_eq!(
        ids(
            &env,
            &[
                "--tag", "space", "--state", "review", "--search", "red", "--due"
            ]
        ),
        ["mine-beta"]
    );
    assert_eq!(
        ids(&env, &["--tag", "space", "--state", "leech"]),
        Vec::<String>::new()
    );
}

#[test]
fn cards_says_when_nothing_matches_and_names_an_unknown_tag() {
    let env = setup();
    Test::new(&env)
        .args(["cards", "--deck", "mine", "--search", "zebra"])
        .stdout("No cards match.\n")
        .run();
    fails_saying(
        &env,
        &["cards", "--tag", "spaec"],
        1,
        "no card has the tag `spaec`; did you mean `space`?",
    );
    fails_saying(
        &env,
        &["cards", "--max-recall", "80"],
        2,
        "not a recall between 0 and 1",
    );
}

#[test]
fn cards_lists_a_table_and_json_with_stable_keys() {
    let env = setup();
    Test::new(&env)
        .args(["cards", "--deck", "mine", "--state", "new"])
        .stdout(
            "\
ID          DECK  TYPE   STATE  DUE  STAB  RECALL  LAPSES  QUESTION
mine-alpha  mine  typed  new      -     -       -       0  What does the Alpha café serve?
mine-delta  mine  typed  new      -     -       -       0  Name the planet with rings.
2 cards
",
        )
        .run();
    let cards: serde_json::Value = Test::new(&env)
        .args(["cards", "--deck", "mine", "--state", "leech", "--json"])
        .any_stdout()
        .run_json();
    let keys: Vec<&str> = cards[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "answer",
            "card_type",
            "deck",
            "difficulty",
            "due",
            "due_now",
            "id",
            "last_review",
            "lapses",
            "leech",
            "question",
            "recall",
            "reps",
            "stability",
            "state",
            "suspended",
            "tags"
        ]
        .map(|k| if k == "card_type" { "type" } else { k })
        .iter()
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect::<Vec<_>>()
    );
    assert_eq!(cards[0]["state"], "leech");
    assert_eq!(cards[0]["lapses"], 2);
}

#[test]
fn card_shows_a_new_card_exactly() {
    let env = setup();
    let output = Test::new(&env)
        .args(["card", "mine-alpha"])
        .any_stdout()
        .run();
    insta::assert_snapshot!(stdout_of(&output));
}

#[test]
fn card_shows_a_reviewed_card_with_history_and_curve() {
    let env = setup();
    runs_printing(
        &env,
        &["card", "mine-beta"],
        &[
            "mine-beta · mine · typed\n",
            "State: review · due now",
            "2 reviews, 0 lapses",
            "  2026-01-01 09:00  Easy   learning",
            "  2026-01-10 09:00  Good   review",
            "Forgetting curve (predicted recall at stability",
            "  +6w ",
        ],
    );
    let info: serde_json::Value = Test::new(&env)
        .args(["card", "mine-beta", "--json"])
        .any_stdout()
        .run_json();
    assert_eq!(info["history"].as_array().unwrap().len(), 2);
    assert_eq!(info["curve"][0]["days"], 0);
    assert_eq!(info["card"]["state"], "review");
}

#[test]
fn card_shows_a_leech_and_how_to_bring_it_back() {
    let env = setup();
    runs_printing(
        &env,
        &["card", "mine-gamma"],
        &[
            "State: leech",
            "A leech: suspended after 2 lapses (leech_threshold 2). `lupus-quiz unsuspend mine-gamma` brings it back with its history; it is flagged again after 1 more lapses.",
            "Note: Über wide, and deep.",
        ],
    );
}

#[test]
fn card_shows_an_orphan_history_and_suggests_a_close_id() {
    let env = setup();
    runs_printing(
        &env,
        &["card", "gone-card"],
        &[
            "No deck has this card any more (an orphan); its history is kept.",
            "  2026-02-01 09:00  Good   learning",
        ],
    );
    fails_with(
        &env,
        &["card", "mine-gama"],
        1,
        "error: there is no card `mine-gama`; did you mean `mine-gamma`? `lupus-quiz cards --search TEXT` finds a card by its text\n",
    );
    fails_with(
        &env,
        &["card", "lta"],
        1,
        "error: there is no card `lta`; did you mean `mine-delta`? `lupus-quiz cards --search TEXT` finds a card by its text\n",
    );
}

#[test]
fn a_suspended_card_is_in_no_session_and_survives_doctor_export_and_import() {
    let env = setup();
    says(
        &env,
        &["suspend", "mine-beta"],
        "suspended 1 card: it is in no session until `lupus-quiz unsuspend`\n",
    );
    says(
        &env,
        &["suspend", "mine-beta"],
        "nothing changed: 1 card was already suspended\n",
    );
    runs_printing(
        &env,
        &["review", "--deck", "mine", "--plain"],
        &["Nothing is due for review."],
    );
    let study = Test::new(&env)
        .args(["study", "mine", "--plain"])
        .stdin("")
        .any_stdout()
        .run();
    assert!(!stdout_of(&study).contains("Which planet is red?"));
    runs_printing(&env, &["doctor"], &["No problems found."]);
    let file = env.path().join("export.json");
    Test::new(&env)
        .arg("export")
        .arg("-o")
        .arg(&file)
        .any_stdout()
        .run();
    let fresh = env.path().join("fresh.db");
    Test::new(&env)
        .db(&fresh)
        .arg("import")
        .arg(&file)
        .stdout_contains("also 1 suspend, unsuspend or forget action and 0 quiz results added")
        .run();
    let output = Test::new(&env)
        .db(&fresh)
        .args(["cards", "--state", "suspended", "--json"])
        .any_stdout()
        .run();
    assert!(stdout_of(&output).contains("\"id\": \"mine-beta\""));
    Test::new(&env)
        .db(&fresh)
        .arg("doctor")
        .stdout_contains("No problems found.")
        .run();
}

#[test]
fn an_unsuspended_leech_is_studied_again_with_its_whole_history() {
    let env = setup();
    says(
        &env,
        &["unsuspend", "--deck", "mine", "--tag", "earth"],
        "unsuspended 1 card: it is back in your sessions\n",
    );
    // Due again in relearning: a review session shows it.
    Test::new(&env)
        .args(["review", "--deck", "mine", "--plain"])
        .stdin("pacific\n\nq\n")
        .stdout_contains("Name the largest ocean.")
        .any_stderr()
        .run();
    let info: serde_json::Value = Test::new(&env)
        .args(["card", "mine-gamma", "--json"])
        .any_stdout()
        .run_json();
    let events: Vec<&str> = info["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        [
            "review",
            "review",
            "review",
            "review",
            "unsuspend",
            "review"
        ]
    );
    assert_eq!(info["card"]["leech"], false);
    runs_printing(&env, &["doctor"], &["No problems found."]);
}

#[test]
fn a_forgotten_card_is_new_again_with_its_history_even_after_a_replay() {
    let env = setup();
    fails_with(
        &env,
        &["forget", "mine-beta"],
        1,
        "error: forget would start 1 card over as new; not on a terminal, it needs --yes to go ahead: add --yes to the same command\n",
    );
    Test::new(&env)
        .args(["forget", "mine-beta", "mine-alpha", "--yes"])
        .stdout(
            "forgot 1 card: it is new again, and its history is kept (1 card was new already)\n",
        )
        .run();
    let new_cards = || ids(&env, &["--deck", "mine", "--state", "new"]);
    assert_eq!(new_cards(), ["mine-alpha", "mine-beta", "mine-delta"]);
    runs_printing(
        &env,
        &["config", "learning_steps", "2m 20m"],
        &["learning_steps = 2m 20m"],
    );
    assert_eq!(new_cards(), ["mine-alpha", "mine-beta", "mine-delta"]);
    runs_printing(
        &env,
        &["card", "mine-beta"],
        &[
            "State: new · 0 reviews, 0 lapses",
            "  2026-01-10 09:00  Good   review",
            "  2026-03-01 09:00  forgotten by you: started over as new",
        ],
    );
    // A study session introduces it as a new card again.
    Test::new(&env)
        .args(["study", "mine", "--tag", "space", "--plain"])
        .stdin("mars\n")
        .stdout_contains("Which planet is red?")
        .any_stderr()
        .run();
    runs_printing(&env, &["doctor"], &["No problems found."]);
}

#[test]
fn study_by_tag_across_decks_and_all_decks_under_each_limit() {
    let env = setup();
    // Every deck: the due review of `mine` comes first, before any deck's new cards.
    let text = printed(&env, &["study", "--all", "--plain"], "q\n");
    assert_contains(&text, "Q: Which planet is red?");

    let text = printed(
        &env,
        &["study", "--tag", "space", "--plain"],
        "mars\nsaturn\n",
    );
    assert_contains(&text, "Which planet is red?");
    assert_contains(&text, "Name the planet with rings.");
    assert_lacks(&text, "Alpha café");
}

#[test]
fn a_deck_of_its_own_new_per_day_limits_its_new_cards() {
    let env = setup();
    says(
        &env,
        &["config", "new_per_day", "1", "--deck", "mine"],
        "new_per_day = 1 for `mine`\n",
    );
    says(&env, &["config", "new_per_day", "--deck", "mine"], "1\n");
    Test::new(&env)
        .stdout_contains("mine             1     1  Mine\n")
        .stdout_contains("hsct             0    10  ")
        .run();
    let text = printed(&env, &["study", "mine", "--plain"], "mars\ncoffee\n");
    assert_contains(&text, "What does the Alpha café serve?");
    assert_lacks(&text, "Name the planet with rings.");
    // Forgetting the card introduced today gives no new card back (as in Anki).
    ran(&env, &["forget", "mine-alpha", "--yes"]);
    Test::new(&env)
        .stdout_contains("mine             0     0  Mine\n")
        .run();
    says(
        &env,
        &["config", "new_per_day", "--deck", "mine", "--reset"],
        "new_per_day = 10 for `mine` (the global value)\n",
    );
    fails_with(
        &env,
        &["config", "leech_threshold", "3", "--deck", "mine"],
        1,
        "error: `leech_threshold` is one value for every deck; only `new_per_day` can be set per deck with --deck\n",
    );
}

#[test]
fn quiz_results_survive_export_and_import_elsewhere() {
    let env = setup();
    Test::new(&env)
        .args([
            "quiz", "mine", "--tag", "space", "--count", "2", "--plain", "--seed", "1",
        ])
        .stdin("mars\nsaturn\n")
        .any_stdout()
        .run();
    let (file, text) = export_to_a_file(&env);
    assert_contains(&text, "\"version\": 2,");
    assert_contains(&text, "\"correct\":2,\"questions\":2");
    let fresh = env.path().join("fresh.db");
    for _ in 0..2 {
        Test::new(&env)
            .db(&fresh)
            .arg("import")
            .arg(&file)
            .any_stdout()
            .run();
    }
    let stats: serde_json::Value = Test::new(&env)
        .db(&fresh)
        .args(["stats", "--json"])
        .any_stdout()
        .run_json();
    assert_eq!(stats["quiz"][0]["deck"], "mine");
    assert_eq!(stats["quiz"][0]["taken"], 1);
    assert_eq!(stats["quiz"][0]["best"]["correct"], 2);
}

/// `export -o export.json` in the test's folder: the file, and its text.
fn export_to_a_file(env: &TestEnv) -> (std::path::PathBuf, String) {
    let file = env.path().join("export.json");
    Test::new(env)
        .arg("export")
        .arg("-o")
        .arg(&file)
        .any_stdout()
        .run();
    let text = std::fs::read_to_string(&file).unwrap();
    (file, text)
}

/// The quiz scores of `stats --json` (of the database `db`, the test's own when `None`).
fn quiz_stats(env: &TestEnv, db: Option<&std::path::Path>) -> serde_json::Value {
    let mut test = Test::new(env).args(["stats", "--json"]).any_stdout();
    if let Some(db) = db {
        test = test.db(db);
    }
    test.run_json()["quiz"].clone()
}

#[test]
fn a_quiz_ended_early_is_kept_marked_and_never_the_best() {
    let env = setup();
    let quiz = [
        "quiz", "mine", "--tag", "space", "--count", "2", "--plain", "--seed", "1",
    ];
    // The end of input after the first of two questions ends the quiz early.
    Test::new(&env)
        .args(quiz)
        .stdin("mars\n")
        .stdout_contains("Quiz ended early: 1 of 2 questions answered. It is saved as ended early, and never counts as your best score.\nScore: 1/1 (100%)")
        .run();
    let scores = quiz_stats(&env, None);
    assert_eq!(scores[0]["taken"], 1, "{scores}");
    assert_eq!(scores[0]["latest"]["correct"], 1, "{scores}");
    assert_eq!(scores[0]["latest"]["ended_early"], true, "{scores}");
    assert_eq!(scores[0]["best"], serde_json::Value::Null, "{scores}");
    let report = Test::new(&env)
        .args(["stats", "--plain"])
        .any_stdout()
        .run_stdout();
    let table = &report[report.find("Quiz results").expect("a quiz table")..];
    assert_contains(
        table,
        "  mine              1/1  100%  03-01  none finished               1\n                (ended early)\n",
    );

    // A whole quiz later, with a lower score, is the best; the early one stays counted.
    Test::new(&env)
        .args(quiz)
        .now("2026-03-02T09:00:00Z")
        .stdin("mars\njupiter\n")
        .stdout_contains("Score: 1/2 (50%)")
        .run();
    let scores = quiz_stats(&env, None);
    assert_eq!(scores[0]["taken"], 2, "{scores}");
    assert_eq!(scores[0]["latest"]["ended_early"], false, "{scores}");
    assert_eq!(scores[0]["best"]["correct"], 1, "{scores}");
    assert_eq!(scores[0]["best"]["questions"], 2, "{scores}");

    // An export says which quiz ended early, and another database reads it so.
    let (file, text) = export_to_a_file(&env);
    assert_contains(&text, "\"correct\":1,\"questions\":1,\"planned\":2}");
    let fresh = env.path().join("fresh.db");
    Test::new(&env)
        .db(&fresh)
        .now("2026-03-02T10:00:00Z")
        .arg("import")
        .arg(&file)
        .any_stdout()
        .run();
    assert_eq!(quiz_stats(&env, Some(&fresh)), scores);
}

#[test]
fn a_file_of_format_version_1_still_imports() {
    let env = setup();
    let file = env.write(
        "old.json",
        r#"{"format": "lupus-quiz-progress", "version": 1, "settings": {},
 "cards": [], "reviews": [{"card": "mine-delta", "at": "2026-02-20T09:00:00Z", "rating": 3}]}"#,
    );
    Test::new(&env)
        .arg("import")
        .arg(&file)
        .stdout_contains("1 review added")
        .run();
}

#[test]
fn stats_and_the_dashboard_count_suspended_cards_apart_from_leeches() {
    let env = setup();
    ran(&env, &["suspend", "mine-alpha"]);
    let stats: serde_json::Value = Test::new(&env)
        .args(["stats", "--json", "--deck", "mine"])
        .any_stdout()
        .run_json();
    let mine = &stats["cards"]["decks"][0];
    assert_eq!(
        (mine["suspended"].as_u64(), mine["leeches"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(mine["new"], 1);
    Test::new(&env)
        .stdout_contains("Suspended: 1 card by you, 1 leech (")
        .run();
}

/// `forget` in a pseudo-terminal: the question names the number of cards; no keeps them.
fn forget_in_a_terminal(env: &TestEnv, answer: &str, reply: &str) {
    use expectrl::{Eof, Expect};
    let mut session = Test::new(env)
        .args(["forget", "--deck", "mine"])
        .pty(80, 24);
    session
        .expect("Forget 2 cards? They will start over as new; the review history is kept. [y/N] ")
        .unwrap();
    session.send_line(answer).unwrap();
    session.expect(reply).unwrap();
    session.expect(Eof).unwrap();
}

#[test]
fn forget_asks_for_confirmation_on_a_terminal_with_the_number_of_cards() {
    let env = setup();
    forget_in_a_terminal(&env, "n", "nothing was forgotten");
    assert_eq!(
        ids(&env, &["--deck", "mine", "--state", "new"]),
        ["mine-alpha", "mine-delta"]
    );
    forget_in_a_terminal(
        &env,
        "y",
        "forgot 2 cards: they are new again, and their history is kept (2 cards were new already)",
    );
    assert_eq!(ids(&env, &["--deck", "mine", "--state", "new"]).len(), 4);
}

#[test]
fn the_cards_table_fits_a_terminal_of_60_columns() {
    use expectrl::Expect;
    let env = setup();
    let mut session = Test::new(&env)
        .args(["cards", "--deck", "hsct"])
        .pty(60, 40);
    let found = session.expect("45 cards").unwrap();
    let table = String::from_utf8_lossy(found.before()).into_owned();
    let lines: Vec<&str> = table.lines().filter(|line| !line.is_empty()).collect();
    assert!(lines[0].starts_with("ID "), "{table}");
    assert!(lines[0].ends_with("QUESTION"), "{table}");
    for line in &lines {
        assert!(
            line.chars().count() <= 60,
            "wider than 60 columns: {line:?}"
        );
    }
    assert!(
        lines
            .iter()
            .skip(1)
            .all(|line| line.ends_with('…') || line.len() < 60)
    );
}

#[test]
fn doctor_checks_manual_actions_and_repair_keeps_them() {
    let env = setup();
    ran(&env, &["suspend", "mine-alpha"]);
    runs_printing(
        &env,
        &["doctor"],
        &["card states match their review logs (with 1 suspend, unsuspend or forget action)"],
    );
    // A state changed behind the program's back: the suspension is in the log all the same.
    let db = env.db();
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "UPDATE card_state SET suspended = 0, state = 'new' WHERE card_id = 'mine-alpha'",
    )
    .unwrap();
    drop(conn);
    Test::new(&env)
        .arg("doctor")
        .status(1)
        .stderr_contains("1 problem found; run `lupus-quiz doctor --repair`")
        .stdout_contains(
            "problem: card `mine-alpha` differs from its review log: suspended false (log: true)",
        )
        .run();
    ran(&env, &["doctor", "--repair"]);
    assert_eq!(ids(&env, &["--state", "suspended"]), ["mine-alpha"]);
}

/// `card ID` wraps its texts at spaces to the width, continuation lines under the text,
/// losing no word.
#[test]
fn card_wraps_long_text_to_the_width_under_its_label() {
    let env = TestEnv::new();
    let catalog = crate::support::builtin_catalog();
    let card = catalog
        .decks
        .iter()
        .flat_map(|deck| deck.cards.iter())
        .find(|card| card.explanation.chars().count() > 80 && !card.explanation.contains('\n'))
        .expect("a built-in card explains itself at length");
    let text = Test::new(&env)
        .env("COLUMNS", "40")
        .args(["card", card.id.as_str()])
        .any_stdout()
        .any_stderr()
        .run_stdout();
    let why: Vec<&str> = text
        .lines()
        .skip_while(|line| !line.starts_with("Why: "))
        .take_while(|line| line.starts_with("Why: ") || line.starts_with("     "))
        .collect();
    assert!(why.len() > 1, "{text}");
    assert!(why.iter().all(|line| line.chars().count() <= 39), "{text}");
    let words: Vec<&str> = why
        .iter()
        .flat_map(|line| line.split_whitespace())
        .skip(1)
        .collect();
    assert_eq!(
        words.join(" "),
        card.explanation
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    );
}
