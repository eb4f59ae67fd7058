//! `lupus-quiz completions SHELL`

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use crate::cli::Cli;

pub(crate) fn run(shell: Shell, out: &mut dyn Write) -> anyhow::Result<()> {
    // clap_complete panics when its writer fails; write to memory first, so that a closed
    // pipe (`lupus-quiz completions bash | head -1`) is an error `run` stays quiet about.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "lupus-quiz", &mut script);
    out.write_all(&script)?;
    out.flush()?;
    Ok(())
}
