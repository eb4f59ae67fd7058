//! One module per subcommand, each with a `run` function.

pub mod check;
pub mod completions;
pub mod config;
pub mod dashboard;
pub mod decks;
pub mod doctor;
pub mod export;
pub mod import;
pub mod optimize;
pub mod quiz;
mod session;
pub mod stats;
pub mod study;
