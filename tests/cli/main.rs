//! Integration tests: the real `lupus-quiz` binary, run as a user would run it.

mod anki;
mod anki_real;
mod article_fingerprint;
mod broken_decks;
mod cards;
mod check;
mod content;
mod deck_cache;
mod decks;
mod docs;
mod hardening;
mod hardening_decks;
mod hardening_files;
mod hardening_import;
mod hardening_inputs;
mod keys;
mod optimize;
mod plain_driver;
mod plain_prompts;
mod progress;
mod pty;
mod reliability;
mod session_honesty;
mod sessions;
mod stats;
mod support;
