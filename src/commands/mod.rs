//! One module per subcommand, each with a `run` function.

pub mod check;
pub mod completions;
pub mod config;
pub mod decks;
pub mod export;
pub mod import;
