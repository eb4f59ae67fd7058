//! The options of `lupus-quiz plan` (kept apart from `cli.rs` to keep that file short).

use chrono::NaiveDate;
use clap::Args;
use clap_complete::ArgValueCandidates;

use super::{deck_candidates, tag_candidates};
use crate::schedule::goal::{parse_date, parse_target};

/// The options of `plan`.
#[derive(Debug, Args, Clone)]
pub(crate) struct PlanArgs {
    /// The date to be ready by, as YYYY-MM-DD (the day of the appointment or exam).
    #[arg(long, value_name = "DATE", value_parser = parse_date, conflicts_with = "clear")]
    pub by: Option<NaiveDate>,
    /// The recall asked for on the date, 0.70 to 0.99 [default: your desired retention].
    #[arg(long, value_name = "R", requires = "by", value_parser = parse_target)]
    pub target: Option<f64>,
    /// Only this deck's cards.
    #[arg(long, value_name = "DECK", requires = "by", add = ArgValueCandidates::new(deck_candidates))]
    pub deck: Option<String>,
    /// Only cards with this tag.
    #[arg(long, value_name = "TAG", requires = "by", conflicts_with = "deck", add = ArgValueCandidates::new(tag_candidates))]
    pub tag: Option<String>,
    /// Every deck's cards (the default).
    #[arg(long, requires = "by", conflicts_with_all = ["deck", "tag"])]
    pub all: bool,
    /// Replace the goal already set without asking (needed when not on a terminal).
    #[arg(long, requires = "by")]
    pub replace: bool,
    /// End the goal now.
    #[arg(long)]
    pub clear: bool,
    /// Print one JSON object instead of the report (keys in docs/plan.md).
    #[arg(long, conflicts_with = "clear")]
    pub json: bool,
}
