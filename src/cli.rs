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

    /// Print a shell completion script.
    #[command(
        after_help = "Example:\n  lupus-quiz completions bash > ~/.local/share/bash-completion/completions/lupus-quiz"
    )]
    Completions {
        /// The shell to write the script for.
        shell: Shell,
    },
}
