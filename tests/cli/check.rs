//! `lupus-quiz check`: every built-in deck passes, every broken fixture fails with the
//! exact message a user needs to fix it.

use std::path::PathBuf;

use crate::support::{
    Test, TestEnv, assert_contains, builtin_catalog, fails_with, fixture, fixture_deck, repo_dir,
    small_deck,
};

/// `check`, of `folders` or else of the built-in decks, says that every built-in deck and
/// every card of them is ok.
fn check_passes_the_built_in_decks(folders: &[PathBuf]) {
    let env = TestEnv::new();
    let catalog = builtin_catalog();
    let cards: usize = catalog.decks.iter().map(|deck| deck.cards.len()).sum();
    Test::new(&env)
        .arg("check")
        .args(folders)
        .stdout(format!(
            "ok: {} decks, {cards} cards\n",
            catalog.decks.len()
        ))
        .run();
}

#[test]
fn built_in_decks_pass_check() {
    check_passes_the_built_in_decks(&[]);
}

#[test]
fn the_repository_decks_folder_passes_check() {
    check_passes_the_built_in_decks(&[repo_dir().join("decks")]);
}

/// Each broken fixture has exactly one fault, and this is what `check` says about it.
const BROKEN: &[(&str, &str)] = &[
    (
        "Bad_Name.yaml",
        ": the deck name `Bad_Name` (from the file name) is not kebab-case; rename the file to `bad-name.yaml`",
    ),
    (
        "answer-among-distractors.yaml",
        ":8: card `fixture-answer-distractor`: the answer `Conditioning` also appears among the distractors; remove it from `distractors`",
    ),
    (
        "beyond-article-misspelt.yaml",
        ":9: card `fixture-beyond-misspelt`: source `Beyond the article` reads like the beyond-the-article label; write it exactly as `Beyond the article (see note)`",
    ),
    (
        "beyond-article-question-with-heading.yaml",
        ":9: card `fixture-beyond-heading`: the question says it goes beyond the article, but `source` names `Advances in Stem Cell Research`; write `source: Beyond the article (see note)`, with a `note` and `references`",
    ),
    (
        "beyond-article-without-note.yaml",
        ":9: card `fixture-beyond-no-note`: `source: Beyond the article (see note)` needs a `note` that says what the card teaches and where it comes from, with at least one entry in `references`",
    ),
    (
        "beyond-article-without-references.yaml",
        ":9: card `fixture-beyond-no-references`: `source: Beyond the article (see note)` needs at least one entry in `references`, so that a reader can look up what the note says",
    ),
    (
        "cloze-empty-blank.yaml",
        ":6: card `fixture-cloze-empty`: blank 1 of the cloze is empty; write the answer between the braces, like {{growth factors}}",
    ),
    (
        "cloze-no-blank.yaml",
        ":6: card `fixture-cloze-none`: a cloze card needs at least one blank written as {{answer}} in `text`",
    ),
    (
        "duplicate-id.yaml",
        ":10: card `fixture-ok`: id `fixture-ok` is used twice: first at {DIR}duplicate-id.yaml:4; every id must be unique across all decks",
    ),
    (
        "duplicate-option.yaml",
        ":7: card `fixture-duplicate-option`: option `Skin` appears twice in `correct and wrong`; every option must be different",
    ),
    (
        "control-character.yaml",
        ":6: card `fixture-control-character`: field `question` contains the control character U+001B; remove it (deck text is plain text: only line breaks and tabs are allowed)",
    ),
    (
        "empty-text.yaml",
        ":6: card `fixture-empty-text`: field `question` is empty; write the text or remove the field",
    ),
    (
        "id-not-kebab.yaml",
        ":4: card `Fixture_Bad_Id`: id `Fixture_Bad_Id` is not kebab-case (lowercase letters, digits, single hyphens); write it as `fixture-bad-id`",
    ),
    ("missing-cards.yaml", ": missing field `cards`"),
    (
        "missing-field.yaml",
        ":4: card `fixture-missing-field`: missing field `explanation`",
    ),
    (
        "multi-no-correct.yaml",
        ":7: card `fixture-multi-no-correct`: a multi card needs at least one option in `correct`",
    ),
    (
        "multi-no-wrong.yaml",
        ":8: card `fixture-multi-no-wrong`: a multi card needs at least one option in `wrong`",
    ),
    (
        "not-a-mapping.yaml",
        ": the top level must be a mapping with `title`, `description` and `cards`, but it is a list",
    ),
    (
        "not-utf8.yaml",
        ": the file is not UTF-8 text (invalid byte at offset 10); save it with UTF-8 encoding",
    ),
    (
        "origin-not-a-line.yaml",
        ":10: card `fixture-origin`: `origin` must be the article line the card comes from, a whole number from 1, but it is `0`",
    ),
    (
        "order-too-few.yaml",
        ":7: card `fixture-order-few`: an order card needs 2 to 8 items, but it has 1",
    ),
    (
        "order-too-many.yaml",
        ":7: card `fixture-order-many`: an order card needs 2 to 8 items, but it has 9",
    ),
    (
        "reference-missing-year.yaml",
        ":11: card `fixture-reference-year`: reference 1 has no `year`; every reference needs `author`, `title`, `published_in` and `year` (`link` is optional)",
    ),
    (
        "reference-unknown-field.yaml",
        ":11: card `fixture-reference-field`: unknown field `references[1].journal`; did you mean `published_in`?",
    ),
    (
        "syntax-error.yaml",
        ":6:22: YAML syntax error: mapping values are not allowed in this context; text that contains `: ` must be quoted, or written after `>-` on the next lines",
    ),
    (
        "too-few-distractors.yaml",
        ":8: card `fixture-choice-count`: a choice card needs 2 to 5 distractors, but it has 1",
    ),
    (
        "truefalse-not-bool.yaml",
        ":7: card `fixture-tf`: field `answer` must be true or false, but it is a text",
    ),
    (
        "typed-no-answer.yaml",
        ":7: card `fixture-typed-none`: field `answers` has no accepted answer; list at least one",
    ),
    (
        "unknown-field.yaml",
        ":8: card `fixture-unknown-field`: unknown field `distractor`; did you mean `distractors`?",
    ),
    (
        "unknown-type.yaml",
        ":5: card `fixture-unknown-type`: unknown card type `multiple` (did you mean `multi`?); valid types are: flip, choice, multi, truefalse, typed, order, cloze",
    ),
    (
        "wrong-type.yaml",
        ":8: card `fixture-wrong-type`: field `distractors` must be a list of texts (one `- item` per line), but it is a text",
    ),
];

#[test]
fn every_broken_fixture_gets_its_exact_message_and_exit_code_1() {
    let env = TestEnv::new();
    let dir = fixture("broken/");
    let dir_text = dir.display().to_string();
    let files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        files.len(),
        BROKEN.len(),
        "every fixture has an expected message"
    );
    for (file, expected) in BROKEN {
        let path = dir.join(file);
        Test::new(&env)
            .arg("check")
            .arg(&path)
            .status(1)
            .stderr(format!(
                "error: {}{}\n1 problem in 1 deck file; `lupus-quiz help deck-format` describes the format\n",
                path.display(),
                expected.replace("{DIR}", &dir_text)
            ))
            .run();
    }
}

#[test]
fn all_problems_of_all_files_are_reported_in_one_run() {
    let env = TestEnv::new();
    let output = Test::new(&env)
        .arg("check")
        .arg(fixture("broken"))
        .status(1)
        .any_stderr()
        .run();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let problems = stderr.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(problems, BROKEN.len(), "{stderr}");
    assert!(
        stderr.ends_with(&format!(
            "{} problems in {} deck files; `lupus-quiz help deck-format` describes the format\n",
            BROKEN.len(),
            BROKEN.len()
        )),
        "{stderr}"
    );
}

#[test]
fn several_problems_in_one_card_are_all_listed() {
    let env = TestEnv::new();
    let deck = env.write(
        "many.yaml",
        "title: T\ndescription: D\ncards:\n  - id: many-one\n    type: choice\n    question: ''\n    answer: A\n    distractors: [A]\n    source: Introduction\n",
    );
    let file = deck.display();
    Test::new(&env)
        .arg("check")
        .arg(&deck)
        .status(1)
        .stderr(format!(
            "error: {file}:4: card `many-one`: missing field `explanation`\n\
             error: {file}:6: card `many-one`: field `question` is empty; write the text or remove the field\n\
             error: {file}:8: card `many-one`: a choice card needs 2 to 5 distractors, but it has 1\n\
             error: {file}:8: card `many-one`: the answer `A` also appears among the distractors; remove it from `distractors`\n\
             4 problems in 1 deck file; `lupus-quiz help deck-format` describes the format\n"
        ))
        .run();
}

#[test]
fn a_user_deck_that_reuses_a_built_in_id_is_caught() {
    let env = TestEnv::new();
    let (builtin_id, line) = first_builtin_card_id();
    let deck = env.write(
        "mine.yaml",
        format!("title: Mine\ndescription: D\ncards:\n  - id: {builtin_id}\n    type: flip\n    front: F\n    back: B\n    explanation: E.\n    source: Introduction\n"),
    );
    Test::new(&env)
        .arg("check")
        .arg(&deck)
        .status(1)
        .stderr(format!(
            "error: {}:4: card `{builtin_id}`: id `{builtin_id}` is used twice: first at decks/hsct.yaml (built-in):{line}; every id must be unique across all decks\n\
             1 problem in 1 deck file; `lupus-quiz help deck-format` describes the format\n",
            deck.display()
        ))
        .run();
}

/// The first card id of the built-in `hsct` deck, and its line.
fn first_builtin_card_id() -> (String, usize) {
    let text = std::fs::read_to_string(repo_dir().join("decks/hsct.yaml")).unwrap();
    let (index, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with("- id:"))
        .unwrap();
    let id = line.split(':').nth(1).unwrap().trim().to_string();
    (id, index + 1)
}

/// A path that does not exist is a mistake on the command line, not a problem found in a
/// deck: exit status 2, as for every usage error (newcomer review 2, item 20).
#[test]
fn a_missing_path_is_a_usage_error_naming_it() {
    let env = TestEnv::new();
    fails_with(
        &env,
        &["check", "nowhere.yaml"],
        2,
        "error: nowhere.yaml: cannot read the file: no such file or folder; check the path\n1 problem in 1 deck file; `lupus-quiz help deck-format` describes the format\n",
    );
}

#[test]
fn a_valid_user_file_reports_its_own_counts() {
    let env = TestEnv::new();
    let deck = env.write("my-deck.yaml", small_deck("mine", 3));
    Test::new(&env)
        .arg("check")
        .arg(&deck)
        .stdout("ok: 1 deck, 3 cards\n")
        .run();
}

#[test]
fn usage_errors_exit_with_2() {
    let env = TestEnv::new();
    fails_with(
        &env,
        &["check", "--no-such-flag"],
        2,
        "\
error: unexpected argument '--no-such-flag' found

  tip: to pass '--no-such-flag' as a value, use '-- --no-such-flag'

Usage: lupus-quiz check [OPTIONS] [PATHS]...

For more information, try '--help'.
",
    );
}

#[test]
fn a_broken_user_deck_is_named_but_does_not_stop_the_decks_listing() {
    let env = TestEnv::new();
    let dir = env.folder("mydecks");
    std::fs::copy(
        fixture("broken/missing-field.yaml"),
        dir.join("broken.yaml"),
    )
    .unwrap();
    crate::decks::wide(&env)
        .decks(&dir)
        .arg("decks")
        .stderr(format!(
            "\
warning: {}:4: card `fixture-missing-field`: missing field `explanation`; deck `broken` is left out until it is fixed
warning: run `lupus-quiz check` to see every problem, and `lupus-quiz help deck-format` for the format
",
            dir.join("broken.yaml").display()
        ))
        .stdout(crate::decks::built_in_table(&dir))
        .run();
}

/// A deck whose grade levels textstat 0.7.3 gives as 4.8 and -1.9 (questions), 5.6 (the one
/// answer of 3 words), 4.3 and 2.5 (explanations), 15.0 (the note).
const PLAIN_DECK: &str = fixture_deck!("plain-words");

#[test]
fn readability_gives_grade_levels_per_field_and_the_hardest_fields_with_their_lines() {
    let env = TestEnv::new();
    env.write("mine/plain.yaml", PLAIN_DECK);
    // Run from the test folder (as every run is), so that the file's name (and the
    // wrapping) is the same wherever the folder is.
    Test::new(&env)
        .env("COLUMNS", "60")
        .args(["check", "--readability", "mine/plain.yaml"])
        .stdout(
            "ok: 1 deck, 2 cards

Reading level: Flesch-Kincaid grade (as textstat 0.7.3
computes it) of the fields of 3 words or more. Patient
materials aim at grade 6 to 8.
                 fields  median  90th pct
plain
  questions           2     1.4       4.8
  answers             1     5.6       5.6
  explanations        2     3.4       4.3
  notes               1    15.0      15.0

The 6 hardest fields:
  15.0  note of plain-hard-note, mine/plain.yaml:19
        \"Evidence for mesenchymal stem cells in lupus is …\"
   5.6  answer of plain-hard-note, mine/plain.yaml:15
        \"Blood-forming stem cells\"
   4.8  question of plain-not-catching, mine/plain.yaml:6
        \"Lupus can be caught from another person, like a …\"
   4.3  explanation of plain-not-catching,
        mine/plain.yaml:8
        \"Lupus is not an infection. You cannot catch it f…\"
   2.5  explanation of plain-hard-note, mine/plain.yaml:17
        \"Stem cells in the bone marrow make all the blood…\"
  -1.9  question of plain-hard-note, mine/plain.yaml:14
        \"Which cells make new blood?\"
",
        )
        .run();
}

#[test]
fn readability_of_the_built_in_decks_covers_every_deck_and_their_sum() {
    let env = TestEnv::new();
    let catalog = builtin_catalog();
    let out = Test::new(&env)
        .args(["check", "--readability"])
        .any_stdout()
        .run_stdout();
    for deck in &catalog.decks {
        assert!(
            out.contains(&format!("\n{} (built-in)\n  questions ", deck.name)),
            "{out}"
        );
    }
    assert!(
        out.contains(&format!("\nAll {} decks\n", catalog.decks.len())),
        "{out}"
    );
    assert!(
        out.contains(" decks/"),
        "built-in fields are located in decks/NAME.yaml: {out}"
    );
    assert_contains(&out, "\nThe 10 hardest fields:\n");
}

#[test]
fn readability_shows_control_characters_of_a_folder_name_as_symbols() {
    let env = TestEnv::new();
    let deck = env.write("odd\u{1b}]0;owned\u{7}/plain.yaml", PLAIN_DECK);
    let out = Test::new(&env)
        .args(["check", "--readability"])
        .arg(&deck)
        .any_stdout()
        .run_stdout();
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
    assert_contains(&out, "odd␛]0;owned␇/plain.yaml:19");
}

/// A typed card whose answers are `answers` as written in the YAML, and `padding` more
/// cards (a deck of 32 KiB or more goes through the deck cache).
fn typed_deck_with_answers(answers: &str, padding: usize) -> String {
    let mut yaml = format!(
        "title: Numbers\ndescription: Typed numbers.\ncards:\n  - id: num-a\n    type: typed\n    question: How many?\n    answers: {answers}\n    explanation: Because.\n    source: Introduction\n"
    );
    for i in 0..padding {
        yaml.push_str(&format!(
            "  - id: pad-{i}\n    type: flip\n    front: Front {i} of a card that is here to make the deck file large.\n    back: Back {i}\n    explanation: Because {i}.\n    source: Introduction\n"
        ));
    }
    yaml
}

// Issue 24, item 14: `answers: [0x10]` was read as "16", and typing 0x10 was graded wrong.
#[test]
fn a_text_yaml_reads_as_a_number_or_true_false_is_refused_with_the_advice_to_quote_it() {
    let env = TestEnv::new();
    for (answers, read_as) in [
        ("[0x10]", "the number 16"),
        ("[1e3]", "the number 1000.0"),
        ("[.inf]", "the number .inf"),
        ("[0o10]", "the number 8"),
        ("[+5]", "the number 5"),
        ("[1.50]", "the number 1.5"),
        ("[true]", "the yes/no value true"),
    ] {
        let deck = env.write("decks/numbers.yaml", typed_deck_with_answers(answers, 0));
        Test::new(&env)
            .arg("check")
            .arg(&deck)
            .status(1)
            .stderr(format!(
                "error: {}:7: card `num-a`: field `answers[1]` is read by YAML as {read_as}, not as text, so it may not be what is written (YAML reads `0x10` as the number 16, `1e3` as 1000, `.inf` as infinity, `true` as a yes/no value); put the value in quotes (`\"…\"`) to keep it exactly as written\n\
                 1 problem in 1 deck file; `lupus-quiz help deck-format` describes the format\n",
                deck.display()
            ))
            .run();
    }
    // Quoted, the text is kept as written and graded as written; `yes`, `no` and dates are
    // text to YAML already.
    let deck = env.write(
        "decks/numbers.yaml",
        typed_deck_with_answers("[\"0x10\", yes, no, 2026-01-01]", 0),
    );
    Test::new(&env)
        .arg("check")
        .arg(&deck)
        .stdout("ok: 1 deck, 1 card\n")
        .run();
    for typed in ["0x10", "yes", "2026-01-01"] {
        Test::new(&env)
            .decks(env.path().join("decks"))
            .args(["study", "numbers", "--plain"])
            .stdin(format!("{typed}\n"))
            .stdout_contains(format!("You answered: {typed}\nRight\n"))
            .run();
        std::fs::remove_file(env.path().join("progress.db")).unwrap();
    }
}

#[test]
fn a_deck_with_an_unquoted_number_is_left_out_on_every_run_never_served_from_the_cache() {
    let env = TestEnv::new();
    let yaml = typed_deck_with_answers("[0x10]", 300);
    assert!(
        yaml.len() > 32 * 1024,
        "the deck is large enough to be cached"
    );
    env.write("decks/numbers.yaml", yaml);
    for _ in 0..2 {
        Test::new(&env)
            .decks(env.path().join("decks"))
            .arg("decks")
            .any_stdout()
            .stderr_contains("field `answers[1]` is read by YAML as the number 16")
            .stderr_contains("deck `numbers` is left out until it is fixed")
            .run();
    }
}
