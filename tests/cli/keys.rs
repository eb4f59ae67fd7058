//! Every prompt in a real pseudo-terminal, without colour and at 60 columns (issue 14,
//! items 1 to 6 and 16): the focus shows without colour, every documented key works at
//! every prompt, grading never fires by accident, and nothing printed splits a word.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::support::{
    Test, TestEnv, Tty, assert_contains, assert_lacks, exported_ratings, fixture_deck,
};

/// One card of each kind with a list, in this order (new cards come in deck order).
const LISTS: &str = fixture_deck!("lists");

impl Tty {
    /// `study DECK` on the deck file `yaml`, in a terminal `columns` wide, without colour.
    fn study(env: &TestEnv, db: &Path, yaml: &str, columns: u16) -> Tty {
        Tty::study_named(env, db, "deck", yaml, columns)
    }

    /// [`Tty::study`] in a new test folder, returned with it and its database.
    fn study_anew(yaml: &str, columns: u16) -> (TestEnv, PathBuf, Tty) {
        let env = TestEnv::new();
        let db = env.db();
        let tty = Tty::study(&env, &db, yaml, columns);
        (env, db, tty)
    }

    /// [`Tty::study`] of a deck named `name`.
    fn study_named(env: &TestEnv, db: &Path, name: &str, yaml: &str, columns: u16) -> Tty {
        env.write(&format!("decks/{name}.yaml"), yaml);
        // Tall enough that nothing scrolls away: the whole session stays on the screen.
        Test::new(env)
            .db(db)
            .decks(env.path().join("decks"))
            .args(["study", name, "--seed", "4"])
            .pty(columns, 400)
    }
}

/// The colours (SGR foreground or background parameters) among `bytes`' escape codes.
fn colour_codes(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(bytes);
    let mut found = Vec::new();
    for part in text.split("\u{1b}[").skip(1) {
        let Some(end) = part.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if part[end..].starts_with('m') {
            let colour = part[..end]
                .split(';')
                .any(|p| matches!(p.parse::<u8>(), Ok(30..=49 | 90..=107)));
            if colour {
                found.push(part[..end].to_string());
            }
        }
    }
    found
}

#[test]
fn every_list_marks_its_focus_without_colour_at_60_columns() {
    let (_env, _db, mut tty) = Tty::study_anew(LISTS, 60);

    // Choice: the focus starts on the first row and stops at both ends.
    tty.wait("Which phase clears the old immune system?");
    tty.wait_row("3) ");
    tty.assert_focus("1) ", &["2) "]);
    tty.press_for_row("k", "3) ");
    // Up at the top stays there.
    tty.assert_focus("1) ", &[]);
    for _ in 0..3 {
        tty.press_for_row("j", "3) ");
    }
    // Down at the bottom stays there.
    tty.assert_focus("3) ", &["1) "]);
    // A number moves the focus to its row, and Enter answers (the hint says "number:
    // choose · Enter confirms").
    tty.press_for_row("1", "❯ 1) ");
    tty.confirm();
    // The echo of the answer is neutral, whether right or wrong (no tick before it), and
    // labelled as a typed answer's is (newcomer review 2, item 19).
    let echo = &tty.rows()[tty
        .rows()
        .iter()
        .position(|r| r.starts_with("Which phase"))
        .unwrap()
        + 1];
    assert!(
        [
            "You answered: Conditioning",
            "You answered: Harvesting",
            "You answered: Monitoring"
        ]
        .contains(&echo.as_str()),
        "the echo: `{echo}`"
    );
    tty.press("\r");

    // True/false: the focus on True; `f` moves it to False, and Enter answers False (the
    // statement is true).
    tty.wait("True or false? Lupus is an autoimmune disease.");
    tty.wait_row("2) False");
    assert_eq!(tty.row_with("1) True"), "❯ 1) True");
    assert_eq!(tty.row_with("2) False"), "  2) False");
    tty.press_for_row("f", "❯ 2) False");
    tty.press("\r");
    tty.wait("✗ Not quite");
    tty.next_card();

    // Select all: the focused row carries ❯ whether ticked or not.
    tty.wait("Which are phases of the transplant? (select all that apply)");
    tty.wait_row("  ⬚ ");
    tty.wait_row("  ⬚ ");
    let rows = tty.rows();
    let list: Vec<&String> = rows.iter().filter(|r| r.contains('⬚')).collect();
    assert!(
        list[list.len() - 3].starts_with("❯ ⬚ "),
        "{}",
        tty.contents()
    );
    tty.press_for_row(" ", "❯ ✔ ");
    tty.press_for_row("j", "❯ ⬚ ");
    let ticked = tty.row_with("✔");
    assert!(
        ticked.starts_with("  ✔ "),
        "the ticked row lost the focus: {ticked}"
    );
    tty.confirm();
    // The list is replaced by a neutral echo without its key help.
    let contents = tty.contents();
    assert!(
        !contents.contains('✔') && !contents.contains('⬚'),
        "{contents}"
    );
    assert_contains(&contents, "\nPicked: ");
    assert_eq!(contents.matches("Space toggles").count(), 0, "{contents}");
    tty.press("\r");

    // Order: the focused item carries ❯, and the item picked up says so in words.
    tty.wait("Put these in order.");
    tty.wait_row("  3. ");
    tty.assert_focus("1. ", &[]);
    tty.press_for_row(" ", "❯ 1. (moving) ");
    tty.press_for_row("j", "❯ 2. (moving) ");
    tty.assert_row_starts("1. ", "  1. ");
    tty.press_for_row(" ", "❯ 2. ");
    assert!(
        !tty.row_with("2. ").contains("(moving)"),
        "{}",
        tty.contents()
    );
    tty.confirm();
    let contents = tty.contents();
    assert_contains(&contents, "\nYour order: ");
    assert!(
        !contents.contains("(moving)") && !contents.contains("Space picks up"),
        "{contents}"
    );
    tty.press("\r");

    // The grade menu of a flip card: the focus on Good, and it stops at Easy.
    tty.wait("What does HSC stand for?");
    tty.press_for_row("\r", "4) Easy");
    tty.assert_focus("3) Good", &[]);
    tty.press_for_row("j", "4) Easy");
    tty.press_for_row("j", "4) Easy");
    // Down from Easy stays on Easy.
    tty.assert_focus("4) Easy", &["1) Again"]);
    tty.press("q");
    tty.wait("Session done: 4 cards answered");
    let tty = tty.finish();
    assert_eq!(
        colour_codes(&tty.log),
        Vec::<String>::new(),
        "NO_COLOR is set"
    );
}

/// One card of each kind the key tests need, in this order.
const KEYS: &str = fixture_deck!("keys");

#[test]
fn every_documented_key_works_at_every_prompt_at_60_columns() {
    let (env, db, mut tty) = Tty::study_anew(KEYS, 60);

    // The first session on an empty database starts with the keys and the notice.
    tty.wait_all(&[
        "Keys: ↑↓ or j/k move",
        "Educational only, not medical advice",
    ]);

    // `?` shows every key in a menu; a regrade shows its grade and waits for Enter.
    tty.wait_all(&["Which phase clears the old immune system?", "? keys"]);
    tty.press("?");
    tty.wait("Every prompt: u undo the last answer");
    tty.choose("Conditioning");
    tty.wait_all(&["✓ Right", "? keys"]);
    tty.press("4");
    tty.wait_all(&["Regraded as Easy, next: in ", "? keys"]);
    // Had the regrade moved on, this Enter would confirm the next card's empty selection.
    tty.press("\r");

    // Select all: `?` shows every key, `u` undoes the last answer (the choice comes back).
    tty.wait_all(&["Which are phases of the transplant?", "? keys"]);
    tty.press("?");
    tty.wait("Select all: Space ticks");
    tty.press("u");
    tty.wait("Undone: Which phase clears the old immune system? (Easy).");
    tty.choose("Conditioning");
    tty.next_card();
    tty.wait_all(&["Which are phases of the transplant?", "? keys"]);
    tty.press("\r");
    tty.wait("Picked: (none)");
    tty.next_card();

    // Order: `u` undoes the select-all answer, which comes back.
    tty.wait_all(&["Put these in order.", "? keys"]);
    tty.press("u");
    tty.wait_all(&[
        "Undone: Which are phases of the transplant? (Again).",
        "? keys",
    ]);
    tty.press("\r");
    tty.next_card();
    tty.wait_all(&["Put these in order.", "? keys"]);
    tty.press("\r");
    tty.wait("Your order: ");
    tty.next_card();

    // Typed: an empty Enter is asked again; `?` then Enter means "I don't know".
    tty.wait_all(&[
        "Name the preparation phase.",
        "? then Enter: I don't know",
        "Your answer: ",
    ]);
    tty.press("\r");
    tty.wait("(type an answer, or ? and Enter if you don't know)");
    tty.press("?");
    tty.wait("(Enter: I don't know; the answer is shown, graded Again)");
    tty.press("\r");
    tty.wait_all(&[
        "You answered: ? (I don't know)",
        "✗ Not quite",
        "Correct answer: conditioning",
    ]);
    tty.next_card();

    // Cloze: a key hint under the question, and Esc ends the session.
    tty.wait_all(&[
        "Fill in: Stem cells are collected during [1].",
        "Esc quits",
        "[1]: ",
    ]);
    tty.press("\x1b");
    tty.wait("Session done: 4 cards answered");
    tty.finish();

    assert_eq!(
        exported_ratings(&env, &db),
        [
            ("keys-choice", 3),
            ("keys-multi", 1),
            ("keys-order", 1),
            ("keys-typed", 1),
        ]
        .map(|(card, rating)| (card.to_string(), rating))
    );
}

const TYPED: &str = fixture_deck!("typed");

#[test]
fn escape_and_a_lone_q_end_the_session_at_a_typed_prompt() {
    for (keys, what) in [("\x1b", "Esc"), ("q\r", "a lone q and Enter")] {
        let (env, db, mut tty) = Tty::study_anew(TYPED, 60);
        tty.wait("Your answer: ");
        tty.press(keys);
        // The process ends (with its summary) and nothing was recorded.
        tty.finish();
        assert_eq!(exported_ratings(&env, &db), Vec::new(), "{what}");
    }
}

/// Cards whose every text is long enough to wrap at 60 and at 120 columns.
const LONG: &str = fixture_deck!("long");

/// The words of `text`: its runs of letters.
fn words(text: &str) -> BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// Whether `text` stands whole on one of the screen's `rows`.
fn on_one_row(rows: &[String], text: &str) -> bool {
    rows.iter().any(|row| row.contains(text))
}

/// Answers every card of [`LONG`] (wrongly where that shows more), then checks every row
/// on the screen: none was wrapped by the terminal, and no two rows hold the halves of one
/// word of the deck.
fn no_word_is_split_at(columns: u16) {
    let (_env, _db, mut tty) = Tty::study_anew(LONG, columns);
    // Each prompt's hint ends with `? keys` (kept whole on one row), and so does the
    // hint after each answer: the texts themselves wrap, so no wait is on them.
    let next = |tty: &mut Tty| {
        tty.wait("? keys");
        tty.press("\r");
    };
    tty.wait("? keys");
    // Whatever the shuffle put first: an echo and feedback either way.
    tty.press("1\r");
    tty.wait("Enter next");
    next(&mut tty);
    tty.wait("? keys");
    tty.press(" ");
    tty.wait("✔");
    tty.press("\r");
    next(&mut tty);
    // The shuffled order is never the right one.
    tty.wait("? keys");
    tty.press("\r");
    tty.wait("Right order");
    next(&mut tty);
    tty.wait("Your answer: ");
    tty.press("immunosuppressive reconditioning of the hematopoietic system");
    tty.press("\r");
    tty.wait("Correct answer: conditioning");
    next(&mut tty);
    // The flip card: Enter shows the back and the grade menu.
    next(&mut tty);
    tty.wait_row("4) Easy");
    tty.press("q");
    tty.wait("Session done: 4 cards answered");
    let tty = tty.finish();

    let screen = tty.screen.screen();
    let rows = tty.rows();
    for (i, row) in rows.iter().enumerate() {
        assert!(
            !screen.row_wrapped(i as u16),
            "row {i} ran past {columns} columns: `{row}`\n{}",
            tty.contents()
        );
    }
    let vocabulary = words(LONG);
    for pair in rows.windows(2) {
        let (Some(end), Some(start)) = (
            pair[0].rsplit(|c: char| !c.is_alphabetic()).next(),
            pair[1]
                .trim_start()
                .split(|c: char| !c.is_alphabetic())
                .next(),
        ) else {
            continue;
        };
        if end.is_empty() || start.is_empty() {
            continue;
        }
        let joined = format!("{end}{start}");
        let split = vocabulary.contains(&joined)
            && !(vocabulary.contains(end) && vocabulary.contains(start));
        assert!(
            !split,
            "`{joined}` split over two rows at {columns} columns:\n{}\n{}",
            pair[0], pair[1]
        );
    }
    // The long texts are on screen, wrapped, and their longest words whole.
    for word in [
        "immunosuppressive",
        "hematopoietic",
        "Transplantation",
        "bloodstream",
    ] {
        assert!(
            on_one_row(&rows, word),
            "`{word}` whole nowhere at {columns} columns:\n{}",
            tty.contents()
        );
    }
    let widest = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0);
    assert!(widest < usize::from(columns), "a row fills the last column");
    assert!(
        widest > usize::from(columns) * 3 / 4,
        "the text uses the width"
    );
}

#[test]
fn no_word_is_split_at_60_columns() {
    no_word_is_split_at(60);
}

#[test]
fn no_word_is_split_at_120_columns() {
    no_word_is_split_at(120);
}

/// Quits the session with `q` and checks that it recorded exactly `ratings` (card, rating);
/// returns the screen.
fn quit_recording(mut tty: Tty, env: &TestEnv, db: &Path, ratings: &[(&str, u64)]) -> String {
    tty.press("q");
    let contents = tty.finish().contents();
    let expected: Vec<(String, u64)> = ratings
        .iter()
        .map(|&(card, rating)| (card.to_string(), rating))
        .collect();
    assert_eq!(exported_ratings(env, db), expected, "{contents}");
    contents
}

// Issue 14, items 2 and 4: a second Enter after the feedback (a double Enter) reached the
// next card and answered it unseen, so a quick learner lost a card to a guess.
#[test]
fn a_double_enter_after_the_feedback_never_answers_the_next_card() {
    let (env, db, mut tty) = Tty::study_anew(LISTS, 60);
    tty.wait("Which phase clears the old immune system?");
    tty.choose("Conditioning");
    tty.wait("Enter next");
    // Both Enters in one write: the second is typed before the next card is drawn.
    tty.press("\r\r");
    tty.wait_all(&["True or false? Lupus is an autoimmune disease.", "t/f"]);
    quit_recording(tty, &env, &db, &[("lists-choice", 3)]);
}

// Issue 28, item 3: a number key answered at once while the hint said "number · Enter", so
// the Enter answered the next card unseen (a quiz recorded an answer never chosen).
#[test]
fn a_number_then_enter_answers_one_card_as_the_hint_says() {
    let (env, db, mut tty) = Tty::study_anew(LISTS, 80);
    tty.wait_all(&[
        "Which phase clears the old immune system?",
        "number: choose · Enter confirms",
    ]);
    let right = tty.number_of("Conditioning");
    // The number and the Enter the hint asks for, in one write.
    tty.press(&format!("{right}\r"));
    tty.wait("✓ Right");
    tty.next_card();
    // True/false: `f`, `2` and `t` only move the focus; nothing is answered until Enter.
    tty.wait_all(&[
        "True or false? Lupus is an autoimmune disease.",
        "t/f: choose · Enter confirms",
    ]);
    tty.wait_row("2) False");
    tty.press_for_row("f", "❯ 2) False");
    tty.press_for_row("1", "❯ 1) True");
    tty.press_for_row("2", "❯ 2) False");
    tty.press_for_row("t", "❯ 1) True");
    assert!(!tty.contents().contains("Not quite"), "{}", tty.contents());
    tty.press("\r");
    tty.wait_all(&["✓ Right", "Enter next"]);
    // A digit and an Enter typed after the answer, before the next card is drawn: the
    // digit would regrade, so the test sends what a quiz-goer's fingers do after Enter.
    tty.press("\r");
    tty.wait_all(&["Which are phases of the transplant?", "? keys"]);
    quit_recording(
        tty,
        &env,
        &db,
        &[("lists-choice", 3), ("lists-truefalse", 3)],
    );
}

// Issue 28, item 3: keys typed while the feedback was not yet drawn (a second Enter, a
// number) never go past a feedback the learner has not read, nor answer the next card.
#[test]
fn keys_typed_before_the_feedback_is_drawn_are_dropped() {
    let (env, db, mut tty) = Tty::study_anew(LISTS, 80);
    tty.wait("Which phase clears the old immune system?");
    let right = tty.number_of("Conditioning");
    // The answer, then an Enter and a `2`, in one write: only the answer counts.
    tty.press(&format!("{right}\r\r2"));
    tty.wait_all(&["✓ Right", "Enter next"]);
    let contents = quit_recording(tty, &env, &db, &[("lists-choice", 3)]);
    assert_lacks(&contents, "True or false?");
    assert_lacks(&contents, "Regraded");
}

/// Two typed cards, in a deck whose name makes the header long.
const TWO_TYPED: &str = fixture_deck!("two-typed");

fn header_breaks_only_between_its_parts_at(columns: u16) {
    let env = TestEnv::new();
    let db = env.db();
    let mut tty = Tty::study_named(&env, &db, "symptoms-of-lupus", TWO_TYPED, columns);
    for question in ["First?", "Second?"] {
        tty.wait(question);
        tty.wait("Your answer: ");
        tty.press("wrong\r");
        tty.next_card();
    }
    // Both wrong (Again, next in 1m): the first comes back early, labelled so.
    tty.wait_all(&["early: due in ", "First?", "Your answer: "]);
    tty.press("q\r");
    tty.wait("Session");
    let tty = tty.finish();
    let rows = tty.rows();
    for row in &rows {
        assert!(
            row.chars().count() < usize::from(columns),
            "a row fills the terminal: `{row}`"
        );
    }
    // Each part of the headers whole on one row: none is broken inside.
    for part in [
        "symptoms-of-lupus",
        "0 answered",
        "2 left",
        "new 2",
        "learning 0",
        "review 0",
        "learning 2",
        "early: due in 1m",
    ] {
        assert!(
            on_one_row(&rows, part),
            "`{part}` is not whole on a row:\n{}",
            tty.contents()
        );
    }
    let headers = rows
        .iter()
        .filter(|row| row.contains(" answered · "))
        .count();
    assert_eq!(headers, 3, "{}", tty.contents());
}

// Issue 28, item 4: the header broke mid-word at 60 columns (`rev` / `iew 0`), and at 80
// once "early: due in 10m" was added.
#[test]
fn the_session_header_breaks_only_between_its_parts_at_60_columns() {
    header_breaks_only_between_its_parts_at(60);
}

#[test]
fn the_session_header_breaks_only_between_its_parts_at_80_columns() {
    header_breaks_only_between_its_parts_at(80);
}
