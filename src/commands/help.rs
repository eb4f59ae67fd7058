//! `lupus-quiz help [COMMAND|deck-format]` and the hidden `lupus-quiz man [COMMAND]`: the
//! documentation that ships inside the binary, for those who installed only the binary.

use std::io::Write;

use clap::CommandFactory;
use clap::error::ErrorKind;

use crate::cli::{Cli, HelpArgs, ManArgs};

/// The deck format, as in the repository's `docs/deck-format.md`.
pub(crate) const DECK_FORMAT: &str = include_str!("../../docs/deck-format.md");

/// The help topic that is not a command.
const DECK_FORMAT_TOPIC: &str = "deck-format";

pub(crate) fn run(args: &HelpArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let text = match args.topic.as_deref() {
        Some(DECK_FORMAT_TOPIC) => DECK_FORMAT.to_string(),
        Some(name) => help_flag_output(&[subcommand(name)?.get_name()]),
        None => help_flag_output(&[]),
    };
    out.write_all(text.as_bytes())?;
    Ok(())
}

/// Exactly what `lupus-quiz [COMMAND] --help` prints (clap chooses the long or the short
/// layout), without colour: as the text of the error clap's parser stops with.
fn help_flag_output(command: &[&str]) -> String {
    let args = std::iter::once("lupus-quiz")
        .chain(command.iter().copied())
        .chain(["--help"]);
    match Cli::command().try_get_matches_from(args) {
        Err(help) => help.render().to_string(),
        Ok(_) => String::new(),
    }
}

/// The manual page of lupus-quiz, or of one of its commands, in roff.
pub(crate) fn man(args: &ManArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let cmd = match args.command.as_deref() {
        // A command's page (`lupus-quiz-study(1)`) names the version too.
        Some(name) => subcommand(name)?.version(env!("CARGO_PKG_VERSION")),
        None => built(),
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page)?;
    out.write_all(&page)?;
    Ok(())
}

/// The command line, built, so that subcommands know their full name (`lupus-quiz study`).
fn built() -> clap::Command {
    let mut cmd = Cli::command();
    cmd.build();
    cmd
}

/// A visible subcommand by name, or a usage error (exit code 2) that lists the topics.
fn subcommand(name: &str) -> anyhow::Result<clap::Command> {
    let mut cmd = built();
    if let Some(found) = cmd
        .get_subcommands()
        // A hidden command (`man`) is not listed, but has its help when named.
        .find(|sub| sub.get_name() == name)
    {
        return Ok(found.clone());
    }
    let topics: Vec<&str> = cmd
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .map(|sub| sub.get_name())
        .chain([DECK_FORMAT_TOPIC])
        .collect();
    let message = format!(
        "there is no command or help topic `{}`; try one of: {}",
        crate::text::visible_inline(name),
        topics.join(", ")
    );
    cmd.error(ErrorKind::InvalidSubcommand, message).exit()
}
