//! Hostile deck files (issue 8, point 6): deeply nested YAML, huge strings, aliases that
//! expand exponentially, invalid UTF-8 and NUL bytes never make the loader or `check`
//! panic, hang or eat memory; each is refused (or accepted) with a message. The same
//! classes are fuzzed without end by `fuzz/fuzz_targets/deck.rs`.

use std::path::Path;
use std::time::Duration;

use lupus_quiz::deck::{DeckErrorKind, DeckOrigin, MAX_DECK_BYTES, parse_deck};
use proptest::prelude::*;

use crate::support::{
    Test, TestEnv, assert_ends_with, assert_lacks, small_deck, stderr_of, stdout_of, wrapped,
};

/// `check` on the given files, with its address space capped at 1 GiB: a deck that tried
/// to expand without bound would die here instead of slowing the machine down. The
/// timeout only guards against a hang; it is far above what any of these needs.
fn check_bounded(env: &TestEnv, files: &[&Path]) -> std::process::Output {
    let check = Test::new(env)
        .without_db()
        .arg("check")
        .args(files)
        .command();
    let command = wrapped(
        "sh",
        &[
            "-c".as_ref(),
            "ulimit -v 1048576 && exec \"$@\"".as_ref(),
            "sh".as_ref(),
        ],
        &check,
    );
    assert_cmd::Command::from_std(command)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap()
}

fn billion_laughs(width: usize, depth: usize) -> String {
    let lols = vec!["\"lol\""; width].join(",");
    let mut text = format!("title: laughs\ndescription: d\ncards: &a0 [{lols}]\n");
    for level in 1..depth {
        let refs = vec![format!("*a{}", level - 1); width].join(",");
        text.push_str(&format!("x{level}: &a{level} [{refs}]\n"));
    }
    text
}

fn nested(depth: usize, kind: u8) -> String {
    match kind % 3 {
        0 => format!("{}{}", "[".repeat(depth), "]".repeat(depth)),
        1 => format!("{}1{}", "{a: ".repeat(depth), "}".repeat(depth)),
        _ => format!("{}1\n", "- ".repeat(depth)),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn nesting_at_any_depth_is_parsed_or_refused(depth in 1usize..3000, kind in any::<u8>()) {
        let text = nested(depth, kind);
        let errors = parse_deck("deep", "deep.yaml", DeckOrigin::Builtin, text.as_bytes())
            .expect_err("never a deck");
        prop_assert!(!errors.is_empty());
    }

    #[test]
    fn aliases_expanding_exponentially_are_refused(width in 2usize..12, depth in 2usize..14) {
        let text = billion_laughs(width, depth);
        let errors = parse_deck("laughs", "laughs.yaml", DeckOrigin::Builtin, text.as_bytes())
            .expect_err("never a deck");
        prop_assert!(!errors.is_empty());
    }

    #[test]
    fn a_byte_that_breaks_utf8_is_found_where_it_is(at in 0usize..400, byte in 0x80u8..=0xff) {
        let mut bytes = small_deck("utf", 3).into_bytes();
        let at = at.min(bytes.len());
        bytes.insert(at, byte);
        let errors = parse_deck("utf", "utf.yaml", DeckOrigin::Builtin, &bytes).unwrap_err();
        prop_assert_eq!(errors.len(), 1);
        prop_assert!(
            matches!(errors[0].kind, DeckErrorKind::NotUtf8 { offset } if offset == at),
            "{:?}", errors
        );
    }

    #[test]
    fn a_nul_byte_is_found_where_it_is(at in 0usize..400) {
        let mut bytes = small_deck("nul", 3).into_bytes();
        let at = at.min(bytes.len());
        bytes.insert(at, 0);
        let errors = parse_deck("nul", "nul.yaml", DeckOrigin::Builtin, &bytes).unwrap_err();
        prop_assert_eq!(errors.len(), 1);
        prop_assert!(
            matches!(errors[0].kind, DeckErrorKind::NulByte { offset } if offset == at),
            "{:?}", errors
        );
    }

    #[test]
    fn long_strings_anywhere_never_panic(length in 0usize..100_000, field in 0usize..6, c in "[a-z{}:#&*!|>\\-\\[\\] \"']") {
        let long = c.repeat(length);
        let fields = ["title", "question", "answer", "distractors", "explanation", "id"];
        let deck = small_deck("long", 1).replacen(
            &format!("{}: ", fields[field]),
            &format!("{}: {long}", fields[field]),
            1,
        );
        let _ = parse_deck("long", "long.yaml", DeckOrigin::Builtin, deck.as_bytes());
    }
}

#[test]
fn check_refuses_every_hostile_deck_with_a_message() {
    let env = TestEnv::new();
    let mut invalid_utf8 = small_deck("bytes", 1).into_bytes();
    invalid_utf8.splice(20..20, [0xff, 0xfe]);
    let files = [
        ("deep.yaml", nested(100_000, 0).into_bytes()),
        ("deep-maps.yaml", nested(20_000, 1).into_bytes()),
        ("laughs.yaml", billion_laughs(10, 12).into_bytes()),
        // libyaml scans this in time quadratic in the depth: refused before it gets it.
        (
            "open.yaml",
            format!("title: {}", "[".repeat(4_000_000)).into_bytes(),
        ),
        ("bytes.yaml", invalid_utf8),
        (
            "nul.yaml",
            small_deck("nul", 1)
                .replace("Question 1?", "Question\0 1?")
                .into_bytes(),
        ),
    ];
    let paths: Vec<_> = files
        .iter()
        .map(|(name, bytes)| env.write(&format!("hostile/{name}"), bytes))
        .collect();
    let refs: Vec<&Path> = paths.iter().map(|p| p.as_path()).collect();
    let output = check_bounded(&env, &refs);
    let stderr = stderr_of(&output);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_lacks(&stderr, "panicked");
    for expected in [
        "deep.yaml:1:129: YAML syntax error: recursion limit exceeded; the file nests or repeats aliases too deeply to be a deck",
        "deep-maps.yaml:1:",
        "laughs.yaml: YAML syntax error: repetition limit exceeded; the file nests or repeats aliases too deeply to be a deck",
        "open.yaml:1:136: YAML syntax error: recursion limit exceeded; the file nests or repeats aliases too deeply to be a deck",
        "bytes.yaml: the file is not UTF-8 text (invalid byte at offset 20); save it with UTF-8 encoding",
        "nul.yaml: the file contains a NUL byte",
    ] {
        assert!(stderr.contains(expected), "`{expected}` not in\n{stderr}");
    }
    assert_ends_with(
        &stderr,
        "6 problems in 6 deck files; `lupus-quiz help deck-format` describes the format\n",
    );
}

#[test]
fn check_accepts_a_deck_with_a_huge_string_within_the_limit() {
    let env = TestEnv::new();
    let question = "q".repeat(12 * 1024 * 1024);
    let deck = small_deck("huge", 1).replace("Question 1?", &question);
    let path = env.write("huge.yaml", deck);
    let output = check_bounded(&env, &[&path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(stdout_of(&output), "ok: 1 deck, 1 card\n");
}

#[test]
fn check_refuses_a_deck_over_16_mib_without_reading_it() {
    let env = TestEnv::new();
    let path = env.write("big.yaml", "");
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(MAX_DECK_BYTES + 1).unwrap();
    let output = check_bounded(&env, &[&path]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr_of(&output),
        format!(
            "error: {}: the file is 16777217 bytes, over the limit of 16777216 bytes; split it into several decks\n1 problem in 1 deck file; `lupus-quiz help deck-format` describes the format\n",
            path.display()
        )
    );
}
