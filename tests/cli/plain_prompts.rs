//! Plain mode as a script or a screen reader meets it (issue 14, items 2, 15 and 16): the
//! learner's line and the right one are labelled apart, every question reads after `Q:`,
//! separators are words, an empty line costs nothing, `?` means "I don't know" at a typed
//! prompt and lists the keys elsewhere, and a first session starts with the keys.

use crate::support::{
    Test, TestEnv, assert_contains, assert_lacks, assert_starts_with, exported_ratings, fixture,
    fixture_deck, stdout_of,
};

/// A deck of the learner's own: one card of each kind that is not a list of options.
const OWN: &str = fixture_deck!("own");

/// `study own` in plain mode with `stdin`, on the test's database; returns what it printed.
fn study_own(env: &TestEnv, stdin: &str) -> String {
    env.write("decks/own.yaml", OWN);
    let output = Test::new(env)
        .own_decks()
        .args(["study", "own", "--seed", "3"])
        .stdin(stdin)
        .any_stdout()
        .run();
    stdout_of(&output)
}

/// The ratings of the reviews recorded in the test's database, in order.
fn ratings(env: &TestEnv) -> Vec<u64> {
    let reviews = exported_ratings(env, &env.db());
    reviews.into_iter().map(|(_, rating)| rating).collect()
}

#[test]
fn plain_mode_labels_both_answers_and_says_its_separators_in_words() {
    let env = TestEnv::new();
    // Typed wrongly, False for a true statement, a wrong blank, the order as shown (never
    // right), then the flip card graded Good.
    let text = study_own(&env, "wrong\nf\nx\n1 2 3\n\n3\nq\n");
    for part in [
        "Q: Name the preparation phase.\nYou answered: wrong\nNot quite\nCorrect answer: conditioning\n",
        "Q: True or false? Lupus is an autoimmune disease.\n  1) True\n  2) False\nYou answered (1 or 2, t or f): f\nNot quite\nCorrect answer: True\n",
        // One blank wrong: its answer on one line, as "I don't know" and every other
        // type give theirs (newcomer review 2, item 19).
        "Q: Fill in: Stem cells are collected during [1].\n[1]: x\nNot quite\nCorrect answer: mobilization\n",
        "You answered (item numbers, first to last): 1 2 3\nNot quite\nRight order (marked where yours differs):\n",
        "Graded Again, next: in 1 minute\n",
        "How well did you know it? 1) Again, in 1 minute; 2) Hard, in 6 minutes; 3) Good, in 10 minutes; 4) Easy, in ",
        // A card of one's own names its source alone, not as a section of the article.
        "Source: How Stem Cell Therapy Works\n",
    ] {
        assert!(text.contains(part), "no `{part}` in:\n{text}");
    }
    assert_contains(&text, "\n[own, ");
    assert_lacks(&text, "(article)");
    assert!(!text.contains('·'), "a middle dot in plain mode:\n{text}");
    assert!(!text.contains('→'), "an arrow in plain mode:\n{text}");
    assert_eq!(ratings(&env), [1, 1, 1, 1, 3]);
}

#[test]
fn a_built_in_card_names_its_section_of_the_article() {
    let env = TestEnv::new();
    let text = Test::new(&env)
        .args(["study", "hsct", "--seed", "1"])
        .stdin("hematopoietic\nq\n")
        .any_stdout()
        .run_stdout();
    assert_contains(
        &text,
        "Source: The Process of Hematopoietic Stem Cell Transplantation (article)\n",
    );
}

#[test]
fn an_empty_line_is_asked_again_and_a_lone_question_mark_means_i_dont_know() {
    let env = TestEnv::new();
    // Two empty lines and `?` at the typed card, four empty lines and True at the
    // statement, `?` at the blank.
    let text = study_own(&env, "\n\n?\n\n\n\n\n1\n?\nq\n");
    assert_eq!(
        text.matches("Type an answer, or ? if you don't know (q quits).")
            .count(),
        2,
        "{text}"
    );
    assert_contains(
        &text,
        "You answered: ?\nNot quite\nCorrect answer: conditioning\n",
    );
    // Empty lines are not invalid answers: four of them do not give the card up.
    assert_lacks(&text, "Counting this card as Again");
    assert_contains(&text, "[1]: ?\nNot quite\nCorrect answer: mobilization\n");
    // Each "don't know" is one review graded Again; the empty lines recorded nothing.
    assert_eq!(ratings(&env), [1, 3, 1]);
}

#[test]
fn a_question_mark_at_a_numbered_prompt_lists_the_keys() {
    let env = TestEnv::new();
    // Answer the typed card first, so that the choice prompt is a later one.
    let text = study_own(&env, "conditioning\n?\nq\n");
    let keys = "At any prompt, u undoes the last answer, !1 to !4 change its grade, and q (or the end of input) ends the session; ? lists these keys.\n";
    // Once in the first session's overview, once for the `?`.
    assert_eq!(text.matches(keys).count(), 2, "{text}");
    assert_contains(
        &text,
        "You answered (1 or 2, t or f): ?\nSend one line per prompt",
    );
    assert!(
        !text.contains("Type one number"),
        "`?` is not an invalid line:\n{text}"
    );
    assert_eq!(ratings(&env), [3]);
}

#[test]
fn the_first_session_on_an_empty_database_starts_with_the_keys_and_the_notice() {
    let env = TestEnv::new();
    let first = study_own(&env, "conditioning\nq\n");
    assert!(
        first.starts_with(
            "\nSend one line per prompt: the option number (t or f for true or false), numbers such as 1 3, the item numbers from first to last, or the answer itself.\n\
             At a typed or cloze prompt, a line with only ? means you don't know: the answer is shown and the card is graded Again.\n\
             At any prompt, u undoes the last answer, !1 to !4 change its grade, and q (or the end of input) ends the session; ? lists these keys.\n\
             Educational only, not medical advice: the cards teach what one article says. Decisions about your own care belong with your healthcare provider.\n\
             \n[own, "
        ),
        "{first}"
    );
    // Once there is progress, sessions start with their first card.
    let second = study_own(&env, "q\n");
    assert_starts_with(&second, "\n[own, ");
    assert_lacks(&second, "Send one line per prompt");
}

#[test]
fn a_card_beyond_the_article_shows_the_label_with_its_note_and_reference() {
    let env = TestEnv::new();
    env.write(
        "decks/beyond.yaml",
        r#"title: Beyond
description: Content the article lacks.
cards:
  - id: beyond-car-t
    type: truefalse
    statement: CAR T cells are made from the patient's own immune cells.
    answer: true
    explanation: They are the patient's own T cells, changed in a laboratory.
    source: Beyond the article (see note)
    note: The article does not mention CAR T cells (Mackensen et al., 2022).
    references:
      - author: Mackensen A, et al.
        title: Anti-CD19 CAR T cell therapy for refractory systemic lupus erythematosus
        published_in: Nature Medicine
        year: 2022
        link: https://doi.org/10.1038/s41591-022-02017-5
"#,
    );
    let text = Test::new(&env)
        .own_decks()
        .args(["study", "beyond", "--plain"])
        .stdin("t\nq\n")
        .any_stdout()
        .run_stdout();
    assert!(
        text.contains(
            "Note: The article does not mention CAR T cells (Mackensen et al., 2022).\n\
             Ref: Mackensen A, et al. Anti-CD19 CAR T cell therapy for refractory systemic lupus \
             erythematosus. Nature Medicine, 2022. https://doi.org/10.1038/s41591-022-02017-5\n\
             Source: Beyond the article (see note)\n"
        ),
        "{text}"
    );
}

#[test]
fn typing_the_words_shown_after_the_blank_is_still_right() {
    let env = TestEnv::new();
    // Both cards show "… ____ stem cells" (a typed card, then a cloze); the whole phrase is
    // typed, once in lower case, once capitalised.
    let text = Test::new(&env)
        .decks(fixture("blanks"))
        .args(["study", "blanks", "--plain"])
        .stdin("mesenchymal stem cells\nMesenchymal stem cells\nq\n")
        .any_stdout()
        .run_stdout();
    for part in [
        "Q: The abbreviation MSCs stands for ____ stem cells. What is the missing word?\nYou answered: mesenchymal stem cells\nRight\n",
        "Q: Fill in: Cells from fat and umbilical cord are [1] stem cells.\n[1]: Mesenchymal stem cells\nRight\n",
    ] {
        assert!(text.contains(part), "no `{part}` in:\n{text}");
    }
    assert_eq!(ratings(&env), [3, 3]);
}

#[test]
fn a_quiz_grades_the_words_shown_after_the_blank_the_same_way() {
    let env = TestEnv::new();
    // Whatever the order of the two questions, the same phrase answers each.
    let text = Test::new(&env)
        .decks(fixture("blanks"))
        .args(["quiz", "blanks", "--plain", "--seed", "5"])
        .stdin("mesenchymal stem cells\nmesenchymal stem cells\n")
        .any_stdout()
        .run_stdout();
    assert_contains(&text, "\nScore: 2/2 (100%)");
}

/// `quiz typed` in plain mode with `stdin`; returns what it printed.
fn quiz_typed(env: &TestEnv, stdin: &str) -> String {
    Test::new(env)
        .own_decks()
        .args(["quiz", "typed", "--plain"])
        .stdin(stdin)
        .any_stdout()
        .run_stdout()
}

#[test]
fn a_quiz_shows_the_exact_spelling_of_an_answer_accepted_with_a_typo() {
    // Newcomer review 2, item 18: a quiz shows no feedback per question, so a typo it
    // forgave was never corrected; the summary now gives the exact spelling.
    let env = TestEnv::new();
    env.write("decks/typed.yaml", fixture_deck!("typed"));
    let text = quiz_typed(&env, "conditoning\n");
    assert!(
        text.contains("\nScore: 1/1 (100%) in ")
            && text.contains(
                "\nRight, with a small typo:\n\
             1. Name the preparation phase.\n   \
             Almost: the exact spelling is \"conditioning\"\n"
            ),
        "{text}"
    );
    // An answer spelt right is not listed.
    assert!(!quiz_typed(&env, "conditioning\n").contains("small typo"));
}
