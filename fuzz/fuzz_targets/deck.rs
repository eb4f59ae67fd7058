//! Any bytes as a deck file: the loader returns a deck or problems, and never panics,
//! hangs or grows without bound (run with `-rss_limit_mb` and `-timeout`, as in
//! `fuzz/Cargo.toml`). `tests/cli/hardening_decks.rs` runs the same classes in CI.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lupus_quiz::deck::{DeckOrigin, parse_deck};

fuzz_target!(|bytes: &[u8]| {
    let _ = parse_deck("fuzz", "fuzz.yaml", DeckOrigin::Builtin, bytes);
});
