//! `lupus-quiz completions SHELL`, and the completions themselves.
//!
//! The scripts are clap_complete's dynamic ones: at each Tab the shell runs
//! `lupus-quiz` with [`COMPLETE_VAR`] set, and clap completes from the real command line,
//! deck names included (the built-in decks and the files of the user's decks folder).

use std::ffi::OsStr;
use std::io::Write;

use clap::CommandFactory;
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use clap_complete::{CompleteEnv, CompletionCandidate, Shell};

use crate::cli::{Cli, CompletionsArgs};
use crate::deck::is_kebab_case;

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

/// The deck names to complete: the built-in decks and the deck files of the decks folder
/// the environment names (a `--decks` on the command line is not seen). Nothing is parsed.
///
/// Only file names that are valid deck names (kebab-case) are offered: bash inserts a
/// candidate unquoted, so a file named `evil;touch PWNED;.yaml` would otherwise put a
/// command on the user's line, and a name with ESC would write to the terminal. Such a
/// file is not a deck anyway (loading leaves it out with a warning).
pub(crate) fn deck_candidates() -> Vec<CompletionCandidate> {
    let mut names: Vec<String> = crate::deck::builtin_files()
        .into_iter()
        .map(|file| file.name.into_string())
        .collect();
    if let Some(dir) = crate::paths::decks_dir_of_env()
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if crate::deck::is_deck_file_name(&path)
                && let Some(stem) = path.file_stem().and_then(OsStr::to_str)
                && is_kebab_case(stem)
            {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// The decks the environment names, parsed (through the deck cache, so a Tab stays quick);
/// `None` when they cannot be read, and completion then offers nothing.
fn catalog_of_env() -> Option<crate::deck::Catalog> {
    let read = || -> Result<Vec<crate::deck::DeckFile>, ()> {
        let mut files = crate::deck::builtin_files();
        if let Some(dir) = crate::paths::decks_dir_of_env().filter(|dir| dir.is_dir()) {
            files.extend(crate::deck::files_in_dir(&dir).unwrap_or_default());
        }
        Ok(files)
    };
    let cache = crate::paths::deck_cache();
    crate::deck::load_valid_decks(read, &cache)
        .ok()
        .map(|valid| valid.catalog)
}

/// The card ids to complete (`card`, `suspend`, `unsuspend`, `forget`), with each card's
/// deck as its help.
pub(crate) fn card_id_candidates() -> Vec<CompletionCandidate> {
    let Some(catalog) = catalog_of_env() else {
        return Vec::new();
    };
    let mut candidates = Vec::new();
    for deck in &catalog.decks {
        for card in deck.cards.iter() {
            candidates.push(
                CompletionCandidate::new(card.id.to_string())
                    .help(Some(deck.name.to_string().into())),
            );
        }
    }
    candidates
}

/// The tags of every card, each once (`--tag`).
pub(crate) fn tag_candidates() -> Vec<CompletionCandidate> {
    let Some(catalog) = catalog_of_env() else {
        return Vec::new();
    };
    let tags: std::collections::BTreeSet<&str> = catalog
        .decks
        .iter()
        .flat_map(|deck| deck.cards.iter())
        .flat_map(|card| card.tags.iter().map(String::as_str))
        // A tag is free text: only plain words reach the command line.
        .filter(|tag| {
            tag.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
        .collect();
    tags.into_iter()
        .map(|tag| CompletionCandidate::new(tag.to_string()))
        .collect()
}

/// The setting names `config` takes.
pub(crate) fn setting_candidates() -> Vec<CompletionCandidate> {
    crate::settings::Setting::ALL
        .iter()
        .map(|setting| CompletionCandidate::new(setting.name()))
        .collect()
}
