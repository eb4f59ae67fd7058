//! Hostile inputs of the second adversarial pass (issue 24): escape sequences in file
//! names, settings, paths and the clock reach the terminal only as visible symbols, and
//! `import` refuses what the program could never have written (parameters out of range,
//! deck names that are not deck names, invisible characters in card ids) whole.

use std::path::Path;

use crate::hardening::{run_ok, seeded_database};
use crate::support::{
    TEST_NOW, Test, TestEnv, assert_contains, assert_lacks, small_deck, stderr_of,
};

/// An OSC title sequence, a bell and a clear-screen sequence.
const ESCAPES: &str = "\u{1b}]0;PWNED\u{7}\u{1b}[2J";

/// Panics unless `text` holds none of the characters a terminal acts on (bar newline),
/// and shows the escape as `␛`.
fn shown_safely(what: &str, text: &str) {
    assert!(
        !text
            .chars()
            .any(|c| c != '\n' && (c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c))),
        "{what}: raw control characters reach the terminal: {text:?}"
    );
    assert!(
        text.contains('␛'),
        "{what}: the escape is not shown: {text}"
    );
}

/// Runs `test` (which must fail) and checks its stderr.
fn refused_with_escapes_shown(what: &str, test: Test<'_>) {
    let output = test.unchecked().run();
    assert_ne!(output.status.code(), Some(0), "{what}: {output:?}");
    shown_safely(what, &stderr_of(&output));
}

#[test]
fn escape_sequences_in_names_settings_paths_and_the_clock_reach_the_terminal_as_symbols() {
    let env = TestEnv::new();
    let decks = env.path().join("decks");
    env.write(&format!("decks/x{ESCAPES}.yaml"), small_deck("x", 1));

    // The warning about a deck file whose name is not a deck name, on every command.
    let output = Test::new(&env)
        .decks(&decks)
        .arg("decks")
        .any_stdout()
        .any_stderr()
        .run();
    shown_safely("deck file name", &stderr_of(&output));

    type Case<'a> = (&'a str, Vec<String>, Vec<(&'a str, String)>);
    let cases: Vec<Case<'_>> = vec![
        (
            "config value",
            vec!["config".into(), "new_per_day".into(), ESCAPES.into()],
            vec![],
        ),
        (
            "config key",
            vec!["config".into(), ESCAPES.into(), "5".into()],
            vec![],
        ),
        (
            "config step",
            vec![
                "config".into(),
                "learning_steps".into(),
                format!("1m {ESCAPES}"),
            ],
            vec![],
        ),
        (
            "import path",
            vec![
                "import".into(),
                env.path().join(ESCAPES).display().to_string(),
            ],
            vec![],
        ),
        (
            "export path",
            vec![
                "export".into(),
                "-o".into(),
                env.path()
                    .join(ESCAPES)
                    .join("p.json")
                    .display()
                    .to_string(),
            ],
            vec![],
        ),
        (
            "check path",
            vec![
                "check".into(),
                env.path().join(ESCAPES).display().to_string(),
            ],
            vec![],
        ),
        (
            "LUPUS_QUIZ_NOW",
            vec!["stats".into()],
            vec![("LUPUS_QUIZ_NOW", ESCAPES.to_string())],
        ),
        ("a command clap does not know", vec![ESCAPES.into()], vec![]),
        (
            "an option value clap refuses",
            vec!["study".into(), "--new".into(), ESCAPES.into()],
            vec![],
        ),
        (
            "LUPUS_QUIZ_SEED",
            vec!["study".into(), "--plain".into()],
            vec![("LUPUS_QUIZ_SEED", ESCAPES.to_string())],
        ),
    ];
    for (what, args, envs) in cases {
        let mut test = Test::new(&env).args(&args);
        for (key, value) in envs {
            test = test.env(key, value);
        }
        refused_with_escapes_shown(what, test);
    }
}

/// A progress file with `body` after the header.
fn progress_file(env: &TestEnv, name: &str, body: &str) -> std::path::PathBuf {
    env.write(
        name,
        format!("{{\"format\":\"lupus-quiz-progress\",\"version\":2,{body}}}"),
    )
}

/// A database with two reviews; its bytes are compared after each refused import.
fn database(env: &TestEnv) -> std::path::PathBuf {
    seeded_database(
        env,
        "card,at,rating\nhsct-hsc-term,2026-02-01T09:00:00Z,3\nbasics-lupus-definition,2026-02-01T09:01:00Z,3\n",
    )
}

fn refused_and_database_unchanged(env: &TestEnv, db: &Path, file: &Path, message: &str) {
    let before = std::fs::read(db).unwrap();
    Test::new(env)
        .db(db)
        .now(TEST_NOW)
        .args(["import", file.to_str().unwrap()])
        .status(1)
        .stderr_contains(message)
        .run();
    assert!(std::fs::read(db).unwrap() == before, "{}", file.display());
}

#[test]
fn import_refuses_fsrs_parameters_outside_their_ranges_and_changes_nothing() {
    let env = TestEnv::new();
    let db = database(&env);
    let defaults: Vec<f64> = vec![
        0.212, 1.2931, 2.3065, 8.2956, 6.4133, 0.8334, 3.0194, 0.001, 1.8722, 0.1666, 0.796,
        1.4835, 0.0614, 0.2629, 1.6483, 0.6014, 1.8729, 0.5425, 0.0912, 0.0658, 0.1542,
    ];
    let review =
        "\"reviews\":[{\"card\":\"hsct-hsc-term\",\"at\":\"2026-02-10T10:00:00Z\",\"rating\":3}]";
    let cases: Vec<(String, Vec<f64>)> = vec![
        ("all -1".into(), vec![-1.0; 21]),
        ("all 0".into(), vec![0.0; 21]),
        ("all 1e30".into(), vec![1e30; 21]),
        ("all 1e-30".into(), vec![1e-30; 21]),
        ("w20 at 1".into(), {
            let mut w = defaults.clone();
            w[20] = 1.0;
            w
        }),
    ];
    for (what, parameters) in cases {
        let list: Vec<String> = parameters.iter().map(|w| format!("{w:e}")).collect();
        let file = progress_file(
            &env,
            "p.json",
            &format!(
                "\"settings\":{{\"parameters\":[{}]}},{review}",
                list.join(",")
            ),
        );
        eprintln!("{what}");
        refused_and_database_unchanged(&env, &db, &file, "setting `parameters`");
    }
    // The defaults themselves, written out, are taken.
    let list: Vec<String> = defaults.iter().map(f64::to_string).collect();
    let file = progress_file(
        &env,
        "ok.json",
        &format!(
            "\"settings\":{{\"parameters\":[{}]}},{review}",
            list.join(",")
        ),
    );
    run_ok(&env, &db, &["import", file.to_str().unwrap()]);
}

#[test]
fn import_refuses_deck_names_with_escapes_and_card_ids_with_invisible_characters() {
    let env = TestEnv::new();
    let db = database(&env);
    let review = |card: &str| {
        format!("{{\"card\":\"{card}\",\"at\":\"2026-02-10T10:00:00Z\",\"rating\":3}}")
    };
    let cases = [
        (
            format!("\"reviews\":[{}]", review("evil\\u202eid")),
            "U+202E",
        ),
        (format!("\"reviews\":[{}]", review("zw\\u200bid")), "U+200B"),
        (
            format!(
                "\"cards\":[{{\"id\":\"zw\\u2060id\",\"deck\":\"hsct\",\"state\":\"review\",\"due\":\"2026-01-01T00:00:00Z\",\"stability\":1,\"difficulty\":1,\"reps\":1,\"lapses\":0,\"last_review\":null}}],\"reviews\":[{}]",
                review("hsct-hsc-term")
            ),
            "U+2060",
        ),
        (
            format!(
                "\"cards\":[{{\"id\":\"hsct-hsc-term\",\"deck\":\"d\\u009b2J\",\"state\":\"review\",\"due\":\"2026-01-01T00:00:00Z\",\"stability\":1,\"difficulty\":1,\"reps\":1,\"lapses\":0,\"last_review\":null}}],\"reviews\":[{}]",
                review("hsct-hsc-term")
            ),
            "is not a deck name",
        ),
        (
            "\"events\":[{\"card\":\"hsct-hsc-term\",\"deck\":\"ev\\u001b[2Jdeck\",\"at\":\"2026-02-11T10:00:00Z\",\"action\":\"suspend\"}]".to_string(),
            "is not a deck name",
        ),
        (
            "\"quiz\":[{\"deck\":\"Basics Deck\",\"at\":\"2026-02-11T10:00:00Z\",\"correct\":1,\"questions\":2}]".to_string(),
            "is not a deck name",
        ),
        (
            "\"deck_settings\":{\"dk\\u001b]0;X\\u0007\":{\"new_per_day\":5}}".to_string(),
            "is not a deck name",
        ),
    ];
    for (body, message) in cases {
        let file = progress_file(&env, "bad.json", &body);
        refused_and_database_unchanged(&env, &db, &file, message);
    }
    let csv = env.write(
        "bad.csv",
        "card,at,rating\nzw\u{200b}id,2026-02-10T10:00:00Z,3\n",
    );
    refused_and_database_unchanged(&env, &db, &csv, "U+200B");
}

#[test]
fn a_padded_card_id_in_a_json_import_is_the_card_as_in_csv() {
    let env = TestEnv::new();
    let db = env.db();
    let file = progress_file(
        &env,
        "r.json",
        "\"reviews\":[{\"card\":\" hsct-hsc-term \",\"at\":\"2026-02-02T00:00:00Z\",\"rating\":3}],\"events\":[{\"card\":\"\\thsct-hsc-term\",\"at\":\"2026-02-03T00:00:00Z\",\"action\":\"suspend\"}]",
    );
    let said = run_ok(&env, &db, &["import", file.to_str().unwrap()]);
    assert_lacks(&said, "no deck has");
    let card = run_ok(&env, &db, &["card", "hsct-hsc-term", "--json"]);
    assert_contains(&card, "\"reps\": 1");
    assert_contains(&card, "\"suspended\": true");
}

#[test]
fn import_from_standard_input_stops_at_the_first_bytes_that_are_not_text() {
    use std::io::Write as _;
    let env = TestEnv::new();
    let db = env.db();
    let mut child = Test::new(&env)
        .db(&db)
        .args(["import", "-"])
        .command()
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Zeros until the program stops reading (the pipe breaks): it must stop after its
    // first chunk, not read up to the 1 GiB limit into memory first.
    let mut stdin = child.stdin.take().unwrap();
    let chunk = vec![0u8; 64 * 1024];
    let mut written = 0usize;
    while written < 64 * 1024 * 1024 && stdin.write_all(&chunk).is_ok() {
        written += chunk.len();
    }
    drop(stdin);
    let output = child.wait_with_output().unwrap();
    assert!(written < 8 * 1024 * 1024, "{written} bytes were read");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let stderr = stderr_of(&output);
    assert_contains(
        &stderr,
        "standard input:1: not a text file (it contains a NUL byte)",
    );
    assert!(!db.exists());
}

// Issue 24, item 16: a million rows of one card and moment with four ratings were "1 review
// added, 999999 already present".
#[test]
fn an_import_that_answers_one_card_twice_at_one_moment_differently_is_refused_whole() {
    let env = TestEnv::new();
    let db = database(&env);
    let mut csv = String::from("card,at,rating\nbasics-lupus-definition,2026-02-05T09:00:00Z,3\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "hsct-hsc-term,2026-02-06T09:00:00Z,{}\n",
            1 + i % 4
        ));
    }
    let file = env.write("dups.csv", csv);
    refused_and_database_unchanged(
        &env,
        &db,
        &file,
        "error: the file answers card `hsct-hsc-term` twice at 2026-02-06T09:00:00.000Z, once Again and once Hard;",
    );
    // The same instant in two time zones is the same moment.
    let file = progress_file(
        &env,
        "dups.json",
        "\"reviews\":[{\"card\":\"hsct-hsc-term\",\"at\":\"2026-02-07T00:00:00+14:00\",\"rating\":3},{\"card\":\"hsct-hsc-term\",\"at\":\"2026-02-06T10:00:00Z\",\"rating\":1}]",
    );
    refused_and_database_unchanged(&env, &db, &file, "once Good and once Again");
    // Repeats that agree are counted once, and said to be repeats, not "already present".
    let file = env.write(
        "repeats.csv",
        "card,at,rating\nhsct-hsc-term,2026-02-06T09:00:00Z,3\nhsct-hsc-term,2026-02-06T09:00:00Z,3\nhsct-hsc-term,2026-02-01T09:00:00Z,3\n",
    );
    let said = run_ok(&env, &db, &["import", file.to_str().unwrap()]);
    assert_eq!(
        said,
        "imported repeats.csv: 1 review added, 1 already present (skipped), 1 card rescheduled\n\
         1 row of the file repeated an earlier row (same card, time and rating) and was counted once\n"
            .replace("repeats.csv", file.to_str().unwrap()),
    );
}

// Issue 24, item 18: `ln -s /etc/shadow decks/shadow.yaml` printed one line of the file per
// entry, as unknown fields, on every command.
#[test]
fn a_deck_file_linked_to_something_that_is_no_deck_is_named_without_quoting_its_content() {
    let env = TestEnv::new();
    let secret = env.write(
        "elsewhere/shadow",
        "root:$6$secret-hash:20228:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n",
    );
    let decks = env.folder("decks");
    std::os::unix::fs::symlink(&secret, decks.join("shadow.yaml")).unwrap();
    let not_a_deck = "shadow.yaml: this is not a deck file: none of its 2 top-level keys is `title`, `description` or `cards`, or close to one (its content is not shown)";
    for args in [
        vec!["check".to_string(), decks.display().to_string()],
        vec!["decks".into()],
    ] {
        let output = Test::new(&env).decks(&decks).args(&args).unchecked().run();
        let stderr = stderr_of(&output);
        assert!(stderr.contains(not_a_deck), "{args:?}: {stderr}");
        for secret in ["root", "secret-hash", "daemon", "19000"] {
            assert!(
                !stderr.contains(secret),
                "{args:?} shows `{secret}`: {stderr}"
            );
        }
    }
    // A deck with its top-level keys misspelt is still told what they should be.
    env.write("decks/typo.yaml", "titel: T\ndescripton: D\ncard: []\n");
    Test::new(&env)
        .arg("check")
        .arg(decks.join("typo.yaml"))
        .status(1)
        .stderr_contains("unknown field `titel`; did you mean `title`?")
        .run();
}
