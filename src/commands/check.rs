//! `lupus-quiz check [--readability] [--coverage ARTICLE] [PATH...]`: validate deck files,
//! say how hard they are to read, and which sentences of an article they teach.

use std::io::Write;
use std::path::Path;

use crate::cli::CheckArgs;
use crate::context::Context;
use crate::deck::{self, Deck, DeckError, DeckErrorKind, DeckFile, DeckOrigin, DeckProblems};
use crate::error::MissingPath;
use crate::ids::DeckName;
use crate::readability::{self, Field, Measured};
use crate::text::{plural, text_width, truncate, visible_inline, wrap, wrap_hanging};

/// Checks the given files and folders (or the built-in and user decks). Files named on the
/// command line are checked together with the built-in decks they do not replace, so an id
/// that clashes with a built-in card is caught before a study session trips over it.
pub(crate) fn run(ctx: &Context, args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (paths, readability, coverage) = (&args.paths, args.readability, args.coverage.as_deref());
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
    let missing_path = !unreadable.is_empty();
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
            if readability {
                write_readability(&decks, text_width(ctx.stdout_width), out)?;
            }
            super::coverage::warn_drafts(&decks, &mut std::io::stderr())?;
            match coverage {
                Some(article) => super::coverage::run(article, &decks, out),
                None => Ok(()),
            }
        }
        Ok(_) => Err(problems_found(problems, missing_path)),
        Err(mut found) => {
            problems.append(&mut found);
            Err(problems_found(problems, missing_path))
        }
    }
}

/// The problems found, as the error `check` ends with: with a path that does not exist
/// among them, a usage error (exit status 2, see [`MissingPath`]).
fn problems_found(problems: Vec<DeckError>, missing_path: bool) -> anyhow::Error {
    let error = anyhow::Error::new(DeckProblems(problems));
    if missing_path {
        error.context(MissingPath)
    } else {
        error
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

/// How many of the hardest fields the readability report lists.
const HARDEST_SHOWN: usize = 10;

/// The readability report of `decks`: per deck and field the count, median and 90th
/// percentile grade level, the same over all decks, then the hardest fields with where they
/// are written. Lines fit `width` columns.
fn write_readability(decks: &[&Deck], width: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut all: Vec<Measured> = Vec::new();
    let mut rows: Vec<String> = Vec::new();
    for deck in decks {
        let measured = measure_with_places(deck);
        let origin = if deck.origin.is_builtin() {
            " (built-in)"
        } else {
            ""
        };
        rows.push(truncate(
            &format!("{}{origin}", visible_inline(deck.name.as_str())),
            width,
        ));
        rows.extend(field_rows(&measured));
        all.extend(measured);
    }
    if decks.len() > 1 {
        rows.push(format!("All {} decks", decks.len()));
        rows.extend(field_rows(&all));
    }
    writeln!(out)?;
    let heading = format!(
        "Reading level: Flesch-Kincaid grade (as textstat 0.7.3 computes it) of the fields of {} words or more. Patient materials aim at grade 6 to 8.",
        readability::MIN_WORDS
    );
    for line in wrap(&heading, width) {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "{:<16}{:>7}{:>8}{:>10}",
        "", "fields", "median", "90th pct"
    )?;
    for row in rows {
        writeln!(out, "{row}")?;
    }
    write_hardest(&all, width, out)
}

/// The readability of a deck's fields, each with where it is written (`FILE:LINE`).
fn measure_with_places(deck: &Deck) -> Vec<Measured> {
    let lines = deck::field_lines(deck);
    let file = match &deck.origin {
        DeckOrigin::Builtin => format!("decks/{}.yaml", deck.name),
        DeckOrigin::File(path) => path.display().to_string(),
    };
    readability::measure(&deck.cards, |position, key| {
        match lines.card_field(position, key) {
            Some(line) => format!("{file}:{line}"),
            None => file.clone(),
        }
    })
}

/// The hardest fields to read, each with its grade, where it is, and its text cut to
/// `width`.
fn write_hardest(all: &[Measured], width: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    let hardest = readability::hardest(all, HARDEST_SHOWN);
    if hardest.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(out, "The {} hardest fields:", hardest.len())?;
    for field in hardest {
        let first = format!("{:>6.1}  ", field.grade);
        let hang = " ".repeat(first.len());
        let place = format!(
            "{} of {}, {}",
            field.field.singular(),
            visible_inline(&field.card),
            visible_inline(&field.place)
        );
        for line in wrap_hanging(&place, width, &first, &hang) {
            writeln!(out, "{line}")?;
        }
        let quote = truncate(
            &visible_inline(&field.text.split_whitespace().collect::<Vec<_>>().join(" ")),
            width.saturating_sub(hang.len() + 2).max(10),
        );
        writeln!(out, "{hang}\"{quote}\"")?;
    }
    Ok(())
}

/// One line per kind of field: how many were measured, their median and 90th percentile.
fn field_rows(measured: &[Measured]) -> Vec<String> {
    Field::ALL
        .iter()
        .map(|&field| match readability::figures(measured, field) {
            Some(f) => format!(
                "  {:<14}{:>7}{:>8.1}{:>10.1}",
                field.plural(),
                f.count,
                f.median,
                f.p90
            ),
            None => format!("  {:<14}{:>7}{:>8}{:>10}", field.plural(), 0, "-", "-"),
        })
        .collect()
}
