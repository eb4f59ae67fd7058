//! Plain mode in words (issue 28, item 5): screen readers said "1m" as "1 metre" and read
//! the terminal's `·`, `→` and ticks aloud. Every plain transcript and plain report of the
//! test suite goes through `support::assert_plain_words` (in `Test::run` and
//! `PlainDriver::finish`); this test runs every plain command over every kind of card, so
//! that each of their lines is read at least once.

use crate::support::{Test, TestEnv, assert_contains};

fn run<'e>(env: &'e TestEnv, now: &str, args: &[&str]) -> Test<'e> {
    Test::new(env).now(now).args(args).any_stdout()
}

#[test]
fn every_plain_command_speaks_in_words() {
    let env = TestEnv::new();
    // Every built-in deck, every kind of card: right-ish numbers, wrong words, "I don't
    // know", a regrade and an undo.
    let lines = "1\n2\n1 2\n3 1 2\nfoo\n?\n!2\nu\n1\n\nt\nf\n2 1 3\n!4\n".repeat(12);
    let first = run(&env, "2026-03-01T09:00:00Z", &["study", "--all", "--plain"])
        .stdin(lines.clone())
        .run_stdout();
    assert_contains(&first, "next: in 1 minute\n");
    assert!(
        first.contains(", in 10 minutes") || first.contains("in 6 minutes"),
        "{first}"
    );
    // Learning cards come back; later, reviews.
    for now in [
        "2026-03-01T09:30:00Z",
        "2026-03-04T09:00:00Z",
        "2026-03-20T09:00:00Z",
    ] {
        run(&env, now, &["study", "--all"])
            .stdin(lines.clone())
            .run();
        run(&env, now, &["review"]).stdin(lines.clone()).run();
    }
    for deck in ["basics", "hsct", "treatments", "cases"] {
        run(
            &env,
            "2026-03-20T10:00:00Z",
            &["quiz", deck, "--count", "8"],
        )
        .stdin(lines.clone())
        .run();
    }
    let stats = run(&env, "2026-03-20T10:00:00Z", &["stats", "--plain"]).run_stdout();
    assert!(
        stats.contains(" seconds answering, ") || stats.contains(" minutes "),
        "{stats}"
    );
    run(
        &env,
        "2026-03-20T10:00:00Z",
        &["stats", "--plain", "--deck", "hsct"],
    )
    .run();
    // Nothing to show: the next-due line alone.
    let nothing = run(
        &env,
        "2026-03-20T10:00:00Z",
        &["review", "--deck", "basics"],
    )
    .stdin(lines.repeat(4))
    .run_stdout();
    let again = run(
        &env,
        "2026-03-20T10:00:00Z",
        &["review", "--deck", "basics"],
    )
    .run_stdout();
    assert!(again.contains("Next due: in "), "{nothing}\n{again}");
}
