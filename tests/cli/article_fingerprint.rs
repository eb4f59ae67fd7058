//! What the repository keeps of the article: never its sentences, only what the content tests
//! need to compare the decks with it.
//!
//! - `tests/article/headings.txt`: its section headings, one a line, in order (they are cited
//!   as card sources anyway).
//! - `tests/article/nine-word-runs.txt`: a fingerprint of its runs of nine words, the 64-bit
//!   FNV-1a hash of every run of nine normalised words, sorted and deduplicated, in hex.
//!
//! The article itself (`../shared/source/article.txt`) sits beside the repository only on the
//! development machines and in CI. So every content test reads these two files, and one test,
//! `the_committed_article_fingerprint_matches_the_article` (ignored where the article is
//! absent, run by `.ci/run` where it is present), checks them against the article.
//! `cargo run --example article-fingerprint -- ../shared/source/article.txt` writes them anew.
//!
//! This file is shared by the test binary and that example (`#[path]`), so both normalise
//! words the same way.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// How many words make a copied run.
pub(crate) const RUN: usize = 9;

/// Where the derived files live, relative to the repository root.
pub(crate) const FOLDER: &str = "tests/article";
pub(crate) const HEADINGS_FILE: &str = "headings.txt";
pub(crate) const RUNS_FILE: &str = "nine-word-runs.txt";

/// Lowercase words without punctuation, as the overlap check compares them.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|w| w.trim_matches(|c| c == '\'' || c == '-').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

/// FNV-1a over the words of a run, each followed by a space. Stable across platforms and Rust
/// versions, unlike `std`'s hasher, so the committed file stays valid.
pub(crate) fn run_hash(run: &[String]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for word in run {
        for byte in word.bytes().chain([b' ']) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The hashes of every run of [`RUN`] words in `text`.
pub(crate) fn run_hashes(text: &str) -> BTreeSet<u64> {
    words(text).windows(RUN).map(run_hash).collect()
}

/// The lines of the article that are headings: short lines that do not end a sentence.
pub(crate) fn headings(article: &str) -> Vec<String> {
    article
        .lines()
        .map(str::trim)
        .filter(|line| {
            !line.is_empty()
                && line.split_whitespace().count() <= 10
                && !line.ends_with(['.', '!', '?', ':'])
        })
        .map(str::to_string)
        .collect()
}

/// The two files' contents for an article: (headings, runs).
pub(crate) fn derive(article: &str) -> (String, String) {
    let headings: String = headings(article).iter().map(|h| format!("{h}\n")).collect();
    let runs: String = run_hashes(article)
        .iter()
        .map(|hash| format!("{hash:016x}\n"))
        .collect();
    (headings, runs)
}

/// The folder of derived files in the repository at `root`.
pub(crate) fn folder(root: &Path) -> PathBuf {
    root.join(FOLDER)
}
