//! `lupus-quiz decks`, `completions` and `--help`.

use std::path::Path;

use crate::support::{
    Test, TestEnv, assert_contains, assert_lacks, assert_starts_with, small_deck,
};

const HEADER: &str =
    "DECK        TITLE                             CARDS flip choice multi t/f typed order cloze\n";

/// The built-in decks' rows of `decks`, one per deck, without the header and total.
const BUILT_IN_ROWS: [&str; 7] = [
    "basics      Lupus basics                         17    3      3     1   5     2     0     3\n",
    "cases       Patient stories: Sarah and John      25    3      4     4   7     2     2     3\n",
    "hsct        Stem cell transplantation (HSCT)     45    8     10     6   6     4     5     6\n",
    "research    Stem cell research                   21    6      5     2   3     1     0     4\n",
    "symptoms    Lupus symptoms and challenges        16    4      2     2   2     2     1     3\n",
    "treatments  Lupus treatments and stem cells      31    6      3     7   7     4     0     4\n",
    "trials      Clinical trials and the outlook      27    6      4     5   7     2     1     2\n",
];

/// What `decks` prints with the built-in decks alone, own decks going in `folder`, at a width
/// where nothing is cut (`COLUMNS=200`, see [`wide`]).
pub(crate) fn built_in_table(folder: &Path) -> String {
    format!(
        "{HEADER}{}\
total                                           182   36     31    27  37    17     9    25

Your own decks go in {} (`lupus-quiz help deck-format` describes the format).
",
        BUILT_IN_ROWS.concat(),
        folder.display()
    )
}

/// `lupus-quiz` on a terminal wide enough that `decks` cuts nothing.
pub(crate) fn wide(env: &TestEnv) -> Test<'_> {
    Test::new(env).env("COLUMNS", "200")
}

#[test]
fn decks_lists_built_in_and_user_decks_with_counts_by_type() {
    let env = TestEnv::new();
    let dir = env.path().join("mine");
    env.write("mine/extra.yaml", small_deck("extra", 4));
    wide(&env)
        .decks(&dir)
        .arg("decks")
        .stdout(format!(
            "{HEADER}{}\
extra *     extra deck                            4    0      4     0   0     0     0     0
total                                           186   36     35    27  37    17     9    25

* extra: your deck ({})

Your own decks go in {} (`lupus-quiz help deck-format` describes the format).
",
            BUILT_IN_ROWS.concat(),
            dir.join("extra.yaml").display(),
            dir.display()
        ))
        .run();
}

#[test]
fn a_user_deck_replaces_the_built_in_deck_of_the_same_name_and_decks_says_so() {
    let env = TestEnv::new();
    env.write("mine/hsct.yaml", small_deck("my-hsct", 2));
    let dir = env.path().join("mine");
    wide(&env)
        .env("LUPUS_QUIZ_DECKS", &dir)
        .arg("decks")
        .stdout(format!(
            "{HEADER}{}{}\
hsct *      my-hsct deck                          2    0      2     0   0     0     0     0
{}\
total                                           139   28     23    21  31    13     4    19

* hsct: your deck, replacing the built-in one ({})

Your own decks go in {} (`lupus-quiz help deck-format` describes the format).
",
            BUILT_IN_ROWS[0],
            BUILT_IN_ROWS[1],
            BUILT_IN_ROWS[3..].concat(),
            dir.join("hsct.yaml").display(),
            dir.display()
        ))
        .run();
}

#[test]
fn a_named_decks_folder_that_does_not_exist_is_an_error() {
    let env = TestEnv::new();
    Test::new(&env)
        .decks("no-such-folder")
        .arg("decks")
        .status(1)
        .stderr("error: decks folder `no-such-folder` does not exist; create it or pass an existing folder to --decks\n")
        .run();
}

#[test]
fn help_says_it_is_not_medical_advice_and_every_command_has_an_example() {
    let env = TestEnv::new();
    let help = Test::new(&env)
        .arg("--help")
        .stdout_contains("Educational only: this is not medical advice.")
        .run_stdout();
    // Every command the help lists (but `help` itself).
    let commands: Vec<&str> = help
        .split("Commands:\n")
        .nth(1)
        .expect("a list of commands")
        .lines()
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .collect();
    assert!(commands.len() >= 12, "{commands:?}");
    for command in commands {
        Test::new(&env)
            .args([command, "--help"])
            .stdout_contains("Example")
            .run();
    }
}

#[test]
fn decks_prints_the_built_in_table_and_where_own_decks_go() {
    let env = TestEnv::new();
    wide(&env)
        .arg("decks")
        .stdout(built_in_table(&env.path().join("config/lupus-quiz/decks")))
        .run();
}

#[test]
fn completions_and_check_need_no_clock_or_data_folder() {
    let env = TestEnv::new();
    Test::new(&env)
        .now("not a time")
        .args(["completions", "bash"])
        .stdout_contains("lupus-quiz")
        .run();
    Test::new(&env)
        .env("HOME", "")
        .env("XDG_DATA_HOME", "")
        .arg("check")
        .stdout("ok: 7 decks, 182 cards\n")
        .run();
}

/// The parsed-deck cache is decided once, from the environment: in `LUPUS_QUIZ_CACHE_DIR`
/// when set, nowhere when that is empty, else in the platform's cache folder.
#[test]
fn the_deck_cache_is_in_lupus_quiz_cache_dir_and_off_when_it_is_empty() {
    let env = TestEnv::new();
    let chosen = env.path().join("parsed");
    let platform = env.path().join("cache/lupus-quiz/decks");
    let listed = built_in_table(&env.path().join("config/lupus-quiz/decks"));
    let decks = |cache: Option<&Path>| {
        let test = wide(&env).arg("decks").stdout(&listed);
        match cache {
            Some(cache) => test.env("LUPUS_QUIZ_CACHE_DIR", cache),
            None => test,
        }
        .run();
    };
    decks(Some(&chosen));
    assert!(chosen.join("builtin-hsct.bin").is_file());
    assert!(!platform.exists());
    decks(Some(&chosen));
    decks(Some(Path::new("")));
    assert!(!platform.exists());
    decks(None);
    assert!(platform.join("builtin-hsct.bin").is_file());
}

/// Every line's width in columns.
fn widths(text: &str) -> Vec<usize> {
    text.lines().map(|line| line.chars().count()).collect()
}

// Issue 28, item 4: `decks` was 99 columns wide whatever the terminal, so at 80 columns each
// row wrapped into a second line of orphan numbers.
#[test]
fn decks_fits_the_terminal_and_says_what_a_wider_one_adds() {
    let env = TestEnv::new();
    let at = |columns: &str| {
        Test::new(&env)
            .env("COLUMNS", columns)
            .arg("decks")
            .any_stdout()
            .run_stdout()
    };
    let eighty = at("80");
    assert!(widths(&eighty).iter().all(|&w| w < 80), "{eighty}");
    assert_contains(&eighty, "hsct        Stem cell transplan…  ");
    assert_contains(&eighty, " flip choice multi t/f typed order cloze\n");
    assert_lacks(&eighty, "A wider terminal");
    let sixty = at("60");
    assert!(widths(&sixty).iter().all(|&w| w < 60), "{sixty}");
    assert_contains(
        &sixty,
        "\nhsct           45    8     10     6   6     4     5     6\n",
    );
    assert_contains(&sixty, "A wider terminal adds the deck titles.\n");
    let forty = at("40");
    assert!(widths(&forty).iter().all(|&w| w < 40), "{forty}");
    assert_contains(&forty, "A wider terminal adds the count of each");
}

// Issue 28, item 4: the dashboard's first line was 84 columns, cut mid-word at 80.
#[test]
fn the_dashboard_fits_80_and_60_columns() {
    let env = TestEnv::new();
    for columns in [80, 60] {
        let text = Test::new(&env)
            .env("COLUMNS", columns.to_string())
            .any_stdout()
            .any_stderr()
            .run_stdout();
        assert!(widths(&text).iter().all(|&w| w < columns), "{text}");
        assert_contains(&text, "medical advice)\n\nDECK");
    }
}

// Issue 28, item 11: `quiz` without a deck was a usage error (exit 2), while `study` lists
// the decks.
#[test]
fn quiz_without_a_deck_lists_the_decks_to_choose_from() {
    let env = TestEnv::new();
    let text = Test::new(&env).arg("quiz").any_stdout().run_stdout();
    assert_starts_with(
        &text,
        "Which deck? Take a quiz on one with `lupus-quiz quiz DECK`",
    );
    assert_contains(&text, "\n  hsct        Stem cell transplantation (HSCT) (");
}
