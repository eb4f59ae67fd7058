//! One module per subcommand, each with a `run` function.

pub(crate) mod card;
pub(crate) mod cards;
pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod config;
mod coverage;
pub(crate) mod dashboard;
pub(crate) mod decks;
pub(crate) mod doctor;
pub(crate) mod draft;
pub(crate) mod due;
pub(crate) mod export;
pub(crate) mod help;
pub(crate) mod import;
mod import_anki;
pub(crate) mod optimize;
pub(crate) mod plan;
pub(crate) mod quiz;
mod session;
pub(crate) mod stats;
pub(crate) mod study;
pub(crate) mod summary;
pub(crate) mod suspend;
pub(crate) mod sync;
