//! `lupus-quiz check [PATH...]`: validate deck files.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::context::Context;
use crate::deck::{self, DeckError, DeckErrorKind, DeckFile};
use crate::error::DeckProblems;
use crate::ids::DeckName;
use crate::text::plural;

/// Checks the given files and folders (or the built-in and user decks). Files named on the
/// command line are checked together with the built-in decks they do not replace, so an id
/// that clashes with a built-in card is caught before a study session trips over it.
pub(crate) fn run(ctx: &Context, paths: &[PathBuf], out: &mut dyn Write) -> anyhow::Result<()> {
    let mut files = deck::builtin_files();
    let mut checked: Vec<DeckName> = Vec::new();
    let mut unreadable: Vec<DeckError> = Vec::new();
    if paths.is_empty() {
        files.extend(ctx.user_deck_files()?);
        checked.extend(files.iter().map(|f| f.name.clone()));
    } else {
        for path in paths {
            match files_at(path) {
                Ok(found) => {
                    checked.extend(found.iter().map(|f| f.name.clone()));
                    files.extend(found);
                }
                Err(error) => unreadable.push(*error),
            }
        }
    }
    // Never the cache: `check` says whether the files are valid, not what was cached.
    let result = deck::load_catalog(files, &deck::DeckCache::disabled());
    let mut problems = unreadable;
    match result {
        Ok(catalog) if problems.is_empty() => {
            let decks: Vec<_> = catalog
                .decks
                .iter()
                .filter(|deck| checked.contains(&deck.name))
                .collect();
            let cards: usize = decks.iter().map(|deck| deck.cards.len()).sum();
            writeln!(
                out,
                "ok: {} deck{}, {} card{}",
                decks.len(),
                plural(decks.len()),
                cards,
                plural(cards)
            )?;
            Ok(())
        }
        Ok(_) => Err(DeckProblems(problems).into()),
        Err(mut found) => {
            problems.append(&mut found);
            Err(DeckProblems(problems).into())
        }
    }
}

/// The deck files at `path`: a folder's, or the file itself.
fn files_at(path: &Path) -> Result<Vec<DeckFile>, Box<DeckError>> {
    if path.is_dir() {
        deck::files_in_dir(path)
    } else if path.exists() || path.symlink_metadata().is_ok() {
        // A broken link or a link loop is read too, to say which it is.
        Ok(vec![deck::read_file(path)])
    } else {
        Err(Box::new(DeckError {
            file: path.display().to_string(),
            line: None,
            column: None,
            card: None,
            kind: DeckErrorKind::Unreadable("no such file or folder; check the path".to_string()),
        }))
    }
}
