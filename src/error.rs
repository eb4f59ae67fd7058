//! Errors that reach the user, and how they map to exit codes.

use std::fmt;

use crate::deck::DeckError;
use crate::text::plural;

/// One or more problems in deck files, reported all together.
#[derive(Debug)]
pub(crate) struct DeckProblems(pub Vec<DeckError>);

impl fmt::Display for DeckProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files: std::collections::BTreeSet<&str> =
            self.0.iter().map(|problem| problem.file.as_str()).collect();
        write!(
            f,
            "{} problem{} in {} deck file{}",
            self.0.len(),
            plural(self.0.len()),
            files.len(),
            plural(files.len())
        )
    }
}

impl std::error::Error for DeckProblems {}

/// True when the error is a write to a closed pipe (`lupus-quiz stats | head -1`), which is
/// not worth an error message.
pub(crate) fn is_broken_pipe(error: &anyhow::Error) -> bool {
    let broken = |io: &std::io::Error| io.kind() == std::io::ErrorKind::BrokenPipe;
    error
        .chain()
        .any(|cause| cause.downcast_ref::<std::io::Error>().is_some_and(broken))
}
