//! A question asked again keeps its options' numbers (issue 28, item 6): after `!1` or a
//! `u` with nothing to undo, a screen-reader user heard the options renumbered, and in the
//! terminal a select-all list came back reshuffled with its ticks lost.

use crate::support::{Test, TestEnv, assert_contains, fixture_deck};

const DECK: &str = fixture_deck!("again");

/// Each time `question` is printed in a plain transcript, its numbered options.
fn option_blocks(text: &str, question: &str) -> Vec<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line.contains(question))
        .map(|(i, _)| {
            lines[i + 1..]
                .iter()
                .take_while(|line| line.starts_with("  "))
                .map(|line| line.to_string())
                .collect()
        })
        .collect()
}

fn study(env: &TestEnv, seed: &str, input: &str) -> String {
    env.write("decks/again.yaml", DECK);
    Test::new(env)
        .arg("--decks")
        .arg(env.path().join("decks"))
        .args(["study", "again", "--seed", seed])
        .stdin(input)
        .any_stdout()
        .run_stdout()
}

#[test]
fn a_plain_question_asked_again_keeps_its_numbers() {
    for seed in ["1", "2", "3"] {
        let env = TestEnv::new();
        // `u` with nothing to undo, then an answer, then `!1` at the second card.
        let text = study(&env, seed, "u\n1\n!1\n1\nq\n");
        assert_contains(&text, "Nothing to undo yet.");
        let first = option_blocks(&text, "First question?");
        assert!(first.len() >= 2, "{text}");
        assert_eq!(first[0], first[1], "{text}");
        assert_eq!(first[0].len(), 5, "{text}");
        let second = option_blocks(&text, "Second question?");
        assert!(second.len() >= 2, "{text}");
        assert_eq!(second[0], second[1], "{text}");
    }
}

// The terminal: `u` with nothing to undo at a select-all card keeps its order and ticks.
#[cfg(unix)]
#[test]
fn a_select_all_list_asked_again_keeps_its_order_and_ticks() {
    use expectrl::{Eof, Expect, Regex};

    let env = TestEnv::new();
    env.write(
        "decks/multi.yaml",
        "title: Multi\ndescription: One select-all card.\ncards:\n  - id: multi-1\n    type: multi\n    question: Which are phases?\n    correct: [Conditioning, Transplantation]\n    wrong: [Dialysis, Grafting]\n    explanation: Two.\n    source: Introduction\n",
    );
    let mut session = Test::new(&env)
        .decks(env.path().join("decks"))
        .args(["study", "multi", "--seed", "5"])
        .pty(80, 60);
    session.expect("Which are phases?").unwrap();
    let list = Regex(r"❯ ⬚ (\w+)\r?\n  ⬚ (\w+)\r?\n  ⬚ (\w+)\r?\n  ⬚ (\w+)");
    let found = session.expect(list).unwrap();
    let order: Vec<String> = (1..=4)
        .map(|i| String::from_utf8_lossy(found.get(i).unwrap()).to_string())
        .collect();
    // Tick the first two rows, then `u`: nothing to undo.
    session.send(" ").unwrap();
    session.expect("✔").unwrap();
    session.send("j").unwrap();
    session.send(" ").unwrap();
    session.expect(format!("❯ ✔ {}", order[1])).unwrap();
    session.send("u").unwrap();
    session.expect("Nothing to undo yet.").unwrap();
    let again = session
        .expect(Regex(
            r"❯ ✔ (\w+)\r?\n  ✔ (\w+)\r?\n  ⬚ (\w+)\r?\n  ⬚ (\w+)",
        ))
        .unwrap();
    let order_again: Vec<String> = (1..=4)
        .map(|i| String::from_utf8_lossy(again.get(i).unwrap()).to_string())
        .collect();
    assert_eq!(order, order_again);
    session.send("q").unwrap();
    session.expect(Eof).unwrap();
}
