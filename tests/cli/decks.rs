//! `lupus-quiz decks`, `completions` and `--help`.

use crate::support::{Test, TestEnv, small_deck, stderr_of, stdout_of};

#[test]
fn decks_lists_built_in_and_user_decks_with_counts_by_type() {
    let env = TestEnv::new();
    let dir = env.path().join("mine");
    env.write("mine/extra.yaml", small_deck("extra", 4));
    let output = env
        .cmd()
        .arg("--decks")
        .arg(&dir)
        .arg("decks")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stdout = stdout_of(&output);
    let header = stdout.lines().next().unwrap();
    assert_eq!(
        header,
        "DECK         TITLE                            CARDS   flip choice  multi    t/f  typed  order  cloze"
    );
    let extra = stdout
        .lines()
        .find(|l| l.starts_with("extra *"))
        .expect(&stdout);
    assert_eq!(
        extra,
        "extra *      extra deck                           4      0      4      0      0      0      0      0"
    );
    assert!(
        stdout.contains(&format!(
            "* extra: your deck ({})",
            dir.join("extra.yaml").display()
        )),
        "{stdout}"
    );
    assert!(stdout.lines().any(|l| l.starts_with("hsct ")), "{stdout}");
}

#[test]
fn a_user_deck_replaces_the_built_in_deck_of_the_same_name_and_decks_says_so() {
    let env = TestEnv::new();
    env.write("mine/hsct.yaml", small_deck("my-hsct", 2));
    let dir = env.path().join("mine");
    let output = env
        .cmd()
        .env("LUPUS_QUIZ_DECKS", &dir)
        .arg("decks")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let stdout = stdout_of(&output);
    let row = stdout.lines().find(|l| l.starts_with("hsct")).unwrap();
    assert!(
        row.starts_with("hsct *       my-hsct deck                         2"),
        "{row}"
    );
    assert!(
        stdout.contains("* hsct: your deck, replacing the built-in one"),
        "{stdout}"
    );
}

#[test]
fn a_named_decks_folder_that_does_not_exist_is_an_error() {
    let env = TestEnv::new();
    let output = env
        .cmd()
        .args(["--decks", "no-such-folder", "decks"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr_of(&output),
        "error: decks folder `no-such-folder` does not exist; create it or pass an existing folder to --decks\n"
    );
}

#[test]
fn help_says_it_is_not_medical_advice_and_every_command_has_an_example() {
    let env = TestEnv::new();
    let help = stdout_of(&env.cmd().arg("--help").output().unwrap());
    assert!(
        help.contains("Educational only: this is not medical advice."),
        "{help}"
    );
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
        let help = stdout_of(&env.cmd().args([command, "--help"]).output().unwrap());
        assert!(help.contains("Example"), "{command}: {help}");
    }
}

#[test]
fn decks_prints_the_built_in_table_and_where_own_decks_go() {
    let env = TestEnv::new();
    Test::new(&env)
        .arg("decks")
        .stdout(format!(
            "\
DECK         TITLE                            CARDS   flip choice  multi    t/f  typed  order  cloze
basics       Lupus basics                        17      3      3      1      5      2      0      3
cases        Patient stories: Sarah and John     24      2      7      3      5      2      2      3
hsct         Stem cell transplantation (HSCT)    38      6      9      4      5      4      5      5
research     Stem cell research                  22      6      5      1      3      2      1      4
symptoms     Lupus symptoms and challenges       15      4      1      2      2      2      1      3
treatments   Lupus treatments and stem cells     28      5      3      6      6      4      0      4
trials       Clinical trials and the outlook     18      4      3      2      4      2      1      2
total                                           162     30     31     19     30     18     10     24

Your own decks go in {} (see `lupus-quiz check --help`).
",
            env.path().join("config/lupus-quiz/decks").display()
        ))
        .run();
}

#[test]
fn completions_and_check_need_no_clock_or_data_folder() {
    let env = TestEnv::new();
    let completions = Test::new(&env)
        .now("not a time")
        .args(["completions", "bash"])
        .any_stdout()
        .run();
    assert!(stdout_of(&completions).contains("lupus-quiz"));
    Test::new(&env)
        .env("HOME", "")
        .env("XDG_DATA_HOME", "")
        .arg("check")
        .stdout("ok: 7 decks, 162 cards\n")
        .run();
}

/// The parsed-deck cache is decided once, from the environment: in `LUPUS_QUIZ_CACHE_DIR`
/// when set, nowhere when that is empty, else in the platform's cache folder.
#[test]
fn the_deck_cache_is_in_lupus_quiz_cache_dir_and_off_when_it_is_empty() {
    let env = TestEnv::new();
    let chosen = env.path().join("parsed");
    let platform = env.path().join("cache/lupus-quiz/decks");
    let decks = |cache: Option<&std::path::Path>| {
        let mut cmd = env.cmd();
        if let Some(cache) = cache {
            cmd.env("LUPUS_QUIZ_CACHE_DIR", cache);
        }
        let output = cmd.arg("decks").output().unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        stdout_of(&output)
    };
    let listed = decks(Some(&chosen));
    assert!(chosen.join("builtin-hsct.bin").is_file());
    assert!(!platform.exists());
    assert_eq!(decks(Some(&chosen)), listed);
    assert_eq!(decks(Some(std::path::Path::new(""))), listed);
    assert!(!platform.exists());
    assert_eq!(decks(None), listed);
    assert!(platform.join("builtin-hsct.bin").is_file());
}
