//! `lupus-quiz draft`: an article's facts turned into a deck, every card traced to its line;
//! the `origin` field it writes; and `check --coverage`.

use crate::support::{Test, TestEnv};

#[test]
fn card_shows_the_article_line_a_card_comes_from() {
    let env = TestEnv::new();
    env.write(
        "decks/mine.yaml",
        "title: T\ndescription: D\ncards:\n  - id: mine-one\n    type: flip\n    front: F?\n    back: B\n    explanation: E.\n    source: Vaccine Trials\n    origin: 23\n",
    );
    Test::new(&env)
        .decks(env.path().join("decks"))
        .args(["card", "mine-one"])
        .stdout_contains("Source: Vaccine Trials (line 23 of the article)\n")
        .run();
    let json = Test::new(&env)
        .decks(env.path().join("decks"))
        .args(["card", "mine-one", "--json"])
        .any_stdout()
        .run_stdout();
    assert!(json.contains("\"origin\": 23"), "{json}");
}
