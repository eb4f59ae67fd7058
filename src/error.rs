//! Errors that reach the user, and how they map to exit codes.

use std::fmt;

use std::io::Write;

use crate::deck::DeckError;
use crate::text::{plural, visible};

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

/// Prints an error to stderr, through [`visible`] (see [`warn`]): deck problems one per
/// line, anything else with its causes.
pub(crate) fn report(error: &anyhow::Error) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut line = |text: String| {
        let _ = writeln!(err, "{}", visible(&text));
    };
    if let Some(problems) = error.chain().find_map(|e| e.downcast_ref::<DeckProblems>()) {
        for problem in &problems.0 {
            line(format!("error: {problem}"));
        }
        line(format!(
            "{problems}; `lupus-quiz help deck-format` describes the format"
        ));
        return;
    }
    line(format!("error: {error}"));
    for cause in error.chain().skip(1) {
        line(format!("  caused by: {cause}"));
    }
}
