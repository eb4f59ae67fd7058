//! The options of the commands that read progress: `stats`, `summary`, `optimize` and
//! `doctor` (kept apart from `cli.rs` to keep that file short).

use std::path::PathBuf;

use clap::Args;
use clap_complete::ArgValueCandidates;

use super::deck_candidates;

/// The options of `stats`.
#[derive(Debug, Args, Clone)]
pub(crate) struct StatsArgs {
    /// Only this deck.
    #[arg(long, value_name = "DECK", add = ArgValueCandidates::new(deck_candidates))]
    pub deck: Option<String>,
    /// Print one JSON object instead of the terminal report.
    #[arg(long)]
    pub json: bool,
    /// Words instead of bars, heatmap cells and symbols ("Tue 12-08: 22 cards due"),
    /// for screen readers and braille displays.
    #[arg(long, conflicts_with = "json")]
    pub plain: bool,
    /// Days in the forecast.
    #[arg(long, default_value_t = 30, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=365))]
    pub days: u32,
    /// Per section of the article (each card's source) instead: cards by state, how many
    /// are mastered, and the predicted recall.
    #[arg(long)]
    pub by_section: bool,
}

/// The options of `summary`.
#[derive(Debug, Args, Clone)]
pub(crate) struct SummaryArgs {
    /// Only this deck.
    #[arg(long, value_name = "DECK", add = ArgValueCandidates::new(deck_candidates))]
    pub deck: Option<String>,
    /// Print one JSON object instead of the page.
    #[arg(long, conflicts_with = "output")]
    pub json: bool,
    /// Words only, no symbols, for screen readers and braille displays.
    #[arg(long, conflicts_with_all = ["json", "output"])]
    pub plain: bool,
    /// Write the page as Markdown to this file (`-` is standard output). A regular file is
    /// replaced whole, created readable by you only.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The options of `optimize`.
#[derive(Debug, Args, Clone)]
pub(crate) struct OptimizeArgs {
    /// Return to the default parameters.
    #[arg(long, conflicts_with = "retention")]
    pub reset: bool,
    /// Estimate the desired retention that minimises your workload (advice only).
    #[arg(long)]
    pub retention: bool,
}

/// The options of `doctor`.
#[derive(Debug, Args, Clone)]
pub(crate) struct DoctorArgs {
    /// Rebuild every card state from its review log, after writing a backup copy next to
    /// the database. No review is ever deleted.
    #[arg(long)]
    pub repair: bool,
}
