//! Integration tests: the real `lupus-quiz` binary, run as a user would run it.

mod check;
mod content;
mod decks;
mod loader_fuzz;
mod plain_driver;
mod progress;
mod pty;
mod sessions;
mod stats;
mod support;
