//! What every layer needs to say to the user outside its output: a warning, a closed pipe,
//! "nothing due" (exit status 1), and a path on the command line that does not exist (exit
//! status 2). [`crate::run`] maps errors to exit codes and prints
//! them; a list of deck problems is [`crate::deck::DeckProblems`], raised where decks load.

use std::fmt;

use std::io::Write;

use crate::text::visible;

/// A path named on the command line does not exist. It comes as the context of the error
/// that says so, and makes the exit status 2, that of a usage error: as with grep and
/// ripgrep, 1 tells what the command found (problems in decks), 2 that it could not do what
/// it was asked.
#[derive(Debug)]
pub(crate) struct MissingPath;

impl fmt::Display for MissingPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a path named on the command line does not exist")
    }
}

/// `lupus-quiz due` found nothing due: exit status 1, with nothing more to say (it has said
/// so on stdout, unless `--quiet`).
#[derive(Debug)]
pub(crate) struct NothingDue;

impl fmt::Display for NothingDue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("no cards are due")
    }
}

impl std::error::Error for NothingDue {}

/// True when the error is a write to a closed pipe (`lupus-quiz stats | head -1`), which is
/// not worth an error message.
pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(broken))
}

/// Prints a warning to stderr, through [`visible`] like every other text the program
/// prints: a warning quotes file names, paths and stored values, and an escape sequence in
/// any of them must not reach the terminal.
pub(crate) fn warn(message: impl fmt::Display) {
    let _ = writeln!(
        std::io::stderr().lock(),
        "warning: {}",
        visible(&message.to_string())
    );
}
