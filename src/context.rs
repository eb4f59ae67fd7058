//! What every command needs, resolved once from the command line and the environment:
//! where the user's decks are, and the decks themselves.

use std::path::PathBuf;

use anyhow::{Context as _, bail};

use crate::cli::GlobalArgs;
use crate::deck::{self, Catalog, DeckFile};
use crate::error::DeckProblems;

/// Paths and settings shared by all commands.
#[derive(Debug)]
pub struct Context {
    /// The user's decks folder, and whether the user named it (then it must exist).
    pub decks_dir: Option<PathBuf>,
    pub decks_dir_explicit: bool,
}

impl Context {
    pub fn from_args(args: &GlobalArgs) -> anyhow::Result<Context> {
        let (decks_dir, decks_dir_explicit) = match &args.decks {
            Some(dir) => (Some(dir.clone()), true),
            None => (
                project_dirs().map(|dirs| dirs.config_dir().join("decks")),
                false,
            ),
        };
        Ok(Context {
            decks_dir,
            decks_dir_explicit,
        })
    }

    /// The deck files of the user's folder (none when the default folder does not exist).
    pub fn user_deck_files(&self) -> anyhow::Result<Vec<DeckFile>> {
        let Some(dir) = &self.decks_dir else {
            return Ok(Vec::new());
        };
        if !dir.exists() {
            if self.decks_dir_explicit {
                bail!(
                    "decks folder `{}` does not exist; create it or pass an existing folder to --decks",
                    dir.display()
                );
            }
            return Ok(Vec::new());
        }
        if !dir.is_dir() {
            bail!(
                "`{}` is not a folder; --decks (or LUPUS_QUIZ_DECKS) must name a folder of *.yaml files",
                dir.display()
            );
        }
        deck::files_in_dir(dir)
            .map_err(|e| anyhow::Error::new(DeckProblems(vec![*e])))
            .with_context(|| format!("cannot read decks folder `{}`", dir.display()))
    }

    /// The built-in decks together with the user's. Any problem in any deck stops the
    /// command: a broken deck is never skipped silently.
    pub fn load_catalog(&self) -> anyhow::Result<Catalog> {
        let mut files = deck::builtin_files();
        files.extend(self.user_deck_files()?);
        deck::load_catalog(files).map_err(|problems| DeckProblems(problems).into())
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "lupus-quiz")
}
