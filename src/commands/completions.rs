//! `lupus-quiz completions SHELL`, and the answer to the shell's questions.
//!
//! The scripts are clap_complete's dynamic ones: at each Tab the shell runs
//! `lupus-quiz` with [`COMPLETE_VAR`] set, and clap completes from the real command line,
//! deck names included (the candidates are in `cli.rs`: the built-in decks and the files
//! of the user's decks folder).

use std::io::Write;

use clap::CommandFactory;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use clap_complete::{CompleteEnv, Shell};

use crate::cli::{Cli, CompletionsArgs};

/// The variable that asks the binary for completions instead of running a command: ours,
/// so that a `COMPLETE` set for another program never changes what `lupus-quiz` does.
const COMPLETE_VAR: &str = "LUPUS_QUIZ_COMPLETE";

const NAME: &str = "lupus-quiz";

/// Answers the shell and exits when it asks for completions; returns otherwise.
pub(crate) fn complete_if_asked() {
    CompleteEnv::with_factory(Cli::command)
        .var(COMPLETE_VAR)
        .bin(NAME)
        .completer(NAME)
        .complete();
}

pub(crate) fn run(args: &CompletionsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let completer: &dyn EnvCompleter = match args.shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Elvish => &Elvish,
        Shell::PowerShell => &Powershell,
        other => anyhow::bail!("completions for {other} are not available"),
    };
    // Written to memory first, so that a closed pipe (`lupus-quiz completions bash | head
    // -1`) is an error `run` stays quiet about.
    let mut script = Vec::new();
    completer.write_registration(COMPLETE_VAR, NAME, NAME, NAME, &mut script)?;
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}
