//! Hostile progress files for `import` (issue 8, point 7): huge, deeply nested, invalid
//! UTF-8, NUL bytes, random bytes and wrong types are each refused whole with a message
//! naming the file, and the database stays byte for byte as it was.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::hardening::{run_ok, seeded_database};
use crate::hardening_files::snapshot;
use crate::support::command;
use crate::support::{TEST_NOW, TestEnv, assert_lacks, stderr_of};

/// A database with some progress, and every file of its folder with its bytes.
fn database_with_progress(env: &TestEnv) -> PathBuf {
    seeded_database(
        env,
        "card,at,rating\nhsct-hsc-term,2026-02-27T09:00:00Z,3\nbasics-lupus-definition,2026-02-28T10:00:00Z,1\n",
    )
}

/// Imports `file` and expects a refusal whose message starts with `expected`, with the
/// database folder unchanged.
fn refused(env: &TestEnv, db: &Path, file: &Path, expected: &str) {
    let expected = format!("{}{expected}", file.display());
    let before = snapshot(db.parent().unwrap());
    let output = command(env, db, TEST_NOW, &["import", file.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = stderr_of(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}: {stderr}{}",
        file.display(),
        crate::support::stdout_of(&output)
    );
    assert!(
        stderr.starts_with(&format!("error: {expected}")),
        "expected `{expected}`, got {stderr}"
    );
    assert_lacks(&stderr, "panicked");
    assert_eq!(
        snapshot(db.parent().unwrap()),
        before,
        "the database is unchanged"
    );
}

const HEAD: &str = r#"{"format":"lupus-quiz-progress","version":1,"#;

#[test]
fn hostile_progress_files_are_refused_whole() {
    let env = TestEnv::new();
    let db = database_with_progress(&env);
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "deep.json",
            format!(
                "{HEAD}\"settings\":{{\"x\":{}{}}}}}",
                "[".repeat(100_000),
                "]".repeat(100_000)
            )
            .into_bytes(),
            ": not valid JSON progress: recursion limit exceeded",
        ),
        (
            "latin1.json",
            [
                HEAD.as_bytes(),
                b"\"reviews\":[{\"card\":\"caf\xe9\",\"at\":\"2026-03-01T08:00:00Z\",\"rating\":3}]}",
            ]
            .concat(),
            ":1: not a text file (byte 0xE9 is not UTF-8); import reads a JSON export or a CSV review log, as UTF-8 text",
        ),
        (
            "latin1.csv",
            b"card,at,rating\ncaf\xe9,2026-03-01T08:00:00Z,3\n".to_vec(),
            ":2: not a text file (byte 0xE9 is not UTF-8)",
        ),
        (
            "nul.csv",
            b"card,at,rating\nhsct-hsc-term,2026-03-01T08:00:00Z,3\nhsct\0,2026-03-01T08:01:00Z,3\n".to_vec(),
            ":3: not a text file (it contains a NUL byte)",
        ),
        (
            "array.json",
            b"  [1, 2, 3]".to_vec(),
            ":1: no card column in the header",
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = env.write(&format!("incoming/{name}"), bytes);
        refused(&env, &db, &file, expected);
    }
}

/// Progress files that start as a good one does ([`HEAD`]) and go wrong after it: the file
/// name, the rest of the file (`{good}` standing for a good review), and the message after
/// the file's name.
const HOSTILE_AFTER_THE_HEAD: [(&str, &str, &str); 9] = [
    (
        "nul.json",
        "\"reviews\":[{good},{\"card\":\"a\0b\",\"at\":\"2026-03-01T08:00:00Z\",\"rating\":3}]}",
        ":1: not a text file (it contains a NUL byte)",
    ),
    (
        "escaped-nul.json",
        r#""reviews":[{good},{"card":"a\u0000b","at":"2026-03-01T08:00:00Z","rating":3}]}"#,
        ": not valid JSON progress: card `a␀b` contains the control character U+0000; card ids are plain text",
    ),
    (
        "rating.json",
        r#""reviews":[{good},{"card":"x","at":"2026-03-01T08:00:00Z","rating":"good"}]}"#,
        ": not valid JSON progress: invalid type: string \"good\"",
    ),
    (
        "reviews.json",
        r#""reviews":{"card":"x"}}"#,
        ": not valid JSON progress: invalid type: map, expected a sequence",
    ),
    (
        "time.json",
        r#""reviews":[{good},{"card":"x","at":1772352000000,"rating":3}]}"#,
        ": not valid JSON progress: invalid type: integer `1772352000000`, expected a string",
    ),
    (
        "duration.json",
        r#""reviews":[{good},{"card":"x","at":"2026-03-01T08:00:00Z","rating":3,"duration_ms":-1}]}"#,
        ": not valid JSON progress: invalid value: integer `-1`, expected u64",
    ),
    (
        "setting.json",
        r#""settings":{"desired_retention":{"value":0.9}},"reviews":[{good}]}"#,
        ": setting `desired_retention`",
    ),
    (
        "truncated.json",
        r#""reviews":[{good},"#,
        ": not valid JSON progress: EOF while parsing",
    ),
    // A damaged key is refused, never read as a file without reviews.
    (
        "damaged-key.json",
        r#"" eviews":[{good}]}"#,
        ": not valid JSON progress: unknown field ` eviews`",
    ),
];

#[test]
fn hostile_progress_files_that_start_well_are_refused_whole() {
    let env = TestEnv::new();
    let db = database_with_progress(&env);
    let good = r#"{"card":"hsct-hsc-term","at":"2026-03-01T08:00:00Z","rating":3}"#;
    for (name, rest, expected) in HOSTILE_AFTER_THE_HEAD {
        let contents = format!("{HEAD}{}", rest.replace("{good}", good));
        let file = env.write(&format!("incoming/{name}"), contents);
        refused(&env, &db, &file, expected);
    }
}

#[test]
fn a_progress_file_over_the_limit_is_refused_before_it_is_read() {
    let env = TestEnv::new();
    let db = database_with_progress(&env);
    let file = env.write("incoming/huge.json", HEAD);
    // Sparse: the size is real, the disk space is not used.
    let handle = std::fs::OpenOptions::new().write(true).open(&file).unwrap();
    handle
        .set_len(lupus_quiz::transfer::MAX_PROGRESS_BYTES + 1)
        .unwrap();
    refused(
        &env,
        &db,
        &file,
        &format!(
            ": the file is {} bytes, over the limit of {} bytes",
            lupus_quiz::transfer::MAX_PROGRESS_BYTES + 1,
            lupus_quiz::transfer::MAX_PROGRESS_BYTES
        ),
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Random bytes never import: whatever they parse as, the file is refused whole.
    #[test]
    fn random_bytes_are_refused_whole(bytes in prop::collection::vec(any::<u8>(), 1..2048)) {
        let env = TestEnv::new();
        let db = database_with_progress(&env);
        let file = env.write("incoming/random.bin", &bytes);
        let before = snapshot(db.parent().unwrap());
        let output = command(&env, &db, TEST_NOW, &["import", file.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        prop_assert!(!output.status.success());
        prop_assert!(stderr.starts_with("error: "), "{}", stderr);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        prop_assert_eq!(snapshot(db.parent().unwrap()), before);
    }

    /// Any single byte changed in a valid export is refused whole or imported whole.
    #[test]
    fn a_damaged_export_is_refused_whole_or_imported_whole(at in 0usize..10_000, byte in any::<u8>()) {
        let env = TestEnv::new();
        let db = database_with_progress(&env);
        let mut export = run_ok(&env, &db, &["export"]).into_bytes();
        let at = at % export.len();
        export[at] = byte;
        let file = env.write("incoming/damaged.json", &export);
        let target = env.path().join("other/progress.db");
        let output = command(&env, &target, TEST_NOW, &["import", file.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        prop_assert!(!stderr.contains("panicked"), "{}", stderr);
        if output.status.success() {
            let imported = run_ok(&env, &target, &["export", "--reviews-csv"]);
            prop_assert_eq!(imported.lines().count(), 3, "{}", imported);
        } else {
            prop_assert!(stderr.starts_with("error: "), "{}", stderr);
            prop_assert!(!target.exists(), "a refused file creates no database");
        }
    }
}
