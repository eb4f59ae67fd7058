//! The command line, as clap derive types: the doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use clap_complete::Shell;

/// Learn the facts of an article on lupus and stem cell therapy with spaced repetition.
///
/// Educational only: this is not medical advice. Talk to your healthcare provider about
/// your own care.
#[derive(Debug, Parser)]
#[command(name = "lupus-quiz", version, after_help = EXAMPLES)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  lupus-quiz decks              list the decks
  lupus-quiz check my-deck.yaml validate a deck of your own";

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Folder with your own decks (*.yaml); a deck named like a built-in one replaces it.
    /// [default: the `decks` folder in your config directory]
    #[arg(long, global = true, env = "LUPUS_QUIZ_DECKS", value_name = "DIR")]
    pub decks: Option<PathBuf>,

    /// The progress database. [default: `progress.db` in your data directory]
    #[arg(long, global = true, env = "LUPUS_QUIZ_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the decks with their number of cards by type.
    #[command(after_help = "Example:\n  lupus-quiz decks")]
    Decks,

    /// Validate deck files and report every problem with file, line and card.
    ///
    /// Exit code: 0 when every deck is valid, 1 when a problem was found, 2 for usage errors.
    #[command(
        after_help = "Examples:\n  lupus-quiz check                 the built-in decks and yours\n  lupus-quiz check my-deck.yaml    one file\n  lupus-quiz check ~/my-decks      every *.yaml file in a folder"
    )]
    Check {
        /// Deck files or folders of deck files [default: the built-in decks and yours]
        paths: Vec<PathBuf>,
    },

    /// Show or change settings (desired retention, daily limits, learning steps, ...).
    ///
    /// Without arguments, lists every setting with its value and default.
    #[command(
        after_help = "Examples:\n  lupus-quiz config\n  lupus-quiz config desired_retention 0.85\n  lupus-quiz config learning_steps \"1m 10m 1h\"\n  lupus-quiz config new_per_day --reset"
    )]
    Config {
        /// The setting to show or change.
        key: Option<String>,
        /// Its new value.
        value: Option<String>,
        /// Return the setting to its default.
        #[arg(long, requires = "key", conflicts_with = "value")]
        reset: bool,
    },

    /// Write your progress (settings, card states, every review) as JSON, to move it to
    /// another machine or keep a copy.
    #[command(
        after_help = "Examples:\n  lupus-quiz export -o progress.json\n  lupus-quiz export --reviews-csv > reviews.csv"
    )]
    Export {
        /// Write to this file instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write only the review log, as CSV (`card,at,rating,duration_ms`).
        #[arg(long)]
        reviews_csv: bool,
    },

    /// Merge progress from a file written by `export`, or a CSV review log of another tool.
    ///
    /// Reviews already present (same card and time) are skipped, so importing twice is the
    /// same as once. A file with any invalid row is refused whole and nothing changes.
    #[command(
        after_help = "Examples:\n  lupus-quiz import progress.json\n  lupus-quiz import reviews.csv     (columns: card, time, rating, optional duration)"
    )]
    Import {
        /// The JSON progress file or CSV review log.
        file: PathBuf,
    },

    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  lupus-quiz completions bash > ~/.local/share/bash-completion/completions/lupus-quiz"
    )]
    Completions {
        /// The shell to write the script for.
        shell: Shell,
    },
}
