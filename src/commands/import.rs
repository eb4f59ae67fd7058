//! `lupus-quiz import FILE`: merge progress from JSON or a CSV review log.
//!
//! A file is checked whole before the database is opened, so a bad file changes nothing. A
//! CSV log is read twice, row by row (once to check it, once to store it), so a log of
//! millions of reviews never has to be in memory; a JSON export is read whole.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufReader, Read, Write};
use std::path::Path;

use anyhow::Context as _;

use crate::context::Context;
use crate::error::plural;
use crate::settings::SettingKey;
use crate::store::{ImportFailure, ImportReport, NewReview, Store};
use crate::transfer::{self, ReviewEntry, TransferError};

pub fn run(ctx: &Context, file: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let label = file.display().to_string();
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read `{label}`"))?
        .len();
    if size > transfer::MAX_PROGRESS_BYTES {
        anyhow::bail!(TransferError::TooLarge {
            file: label,
            size,
            limit: transfer::MAX_PROGRESS_BYTES
        });
    }
    let open = || {
        File::open(file)
            .map(BufReader::new)
            .with_context(|| format!("cannot read `{label}`"))
    };
    let is_json = {
        let mut start = [0u8; 512];
        let read = open()?
            .read(&mut start)
            .with_context(|| format!("cannot read `{label}`"))?;
        start[..read]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            .is_some_and(|b| *b == b'{')
    };
    // Only which deck each card is in is needed: the catalog's text is dropped before the
    // import starts, which keeps a large import's memory down.
    let (deck_names, deck_of) = {
        let catalog = ctx.load_catalog()?;
        let names: Vec<String> = catalog.decks.iter().map(|deck| deck.name.clone()).collect();
        let of: HashMap<Box<str>, usize> = catalog
            .decks
            .iter()
            .enumerate()
            .flat_map(|(index, deck)| {
                deck.cards
                    .iter()
                    .map(move |card| (card.id.as_str().into(), index))
            })
            .collect();
        (names, of)
    };
    let new_review = |entry: ReviewEntry, file_decks: &HashMap<String, String>| NewReview {
        deck: deck_of
            .get(entry.card.as_str())
            .map(|&index| deck_names[index].clone())
            .or_else(|| file_decks.get(&entry.card).cloned())
            .unwrap_or_default(),
        card_id: entry.card,
        at: entry.at,
        rating: entry.rating,
        duration_ms: entry.duration_ms,
    };

    let mut orphans = Orphans::default();
    let (report, applied, kept) = if is_json {
        let mut bytes = Vec::new();
        open()?
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read `{label}`"))?;
        let transfer::Incoming {
            reviews,
            settings: file_settings,
            decks: file_decks,
        } = transfer::read_progress(&label, &bytes)?;
        drop(bytes);
        for review in &reviews {
            orphans.count(&deck_of, &review.card);
        }
        let mut store = ctx.open_store()?;
        let (settings, applied, kept) = merged_settings(&store, &file_settings)?;
        let scheduler = Context::scheduler(&settings)?;
        let reviews: Vec<NewReview> = reviews
            .into_iter()
            .map(|entry| new_review(entry, &file_decks))
            .collect();
        let report = store.import_reviews(&reviews, Some((&settings, &applied)), &scheduler)?;
        (report, applied, kept)
    } else {
        // First pass: check every row and count, without keeping the rows.
        let mut rows = 0usize;
        for review in transfer::csv_reviews(&label, open()?)? {
            let review = review?;
            orphans.count(&deck_of, &review.card);
            rows += 1;
        }
        let mut store = ctx.open_store()?;
        let settings = store.settings()?;
        let scheduler = Context::scheduler(&settings)?;
        let none = HashMap::new();
        let reviews = transfer::csv_reviews(&label, open()?)?
            .map(|review| review.map(|entry| new_review(entry, &none)));
        let report = store_stream(&mut store, reviews, rows, &scheduler)?;
        (report, Vec::new(), Vec::new())
    };

    writeln!(
        out,
        "imported {label}: {} review{} added, {} already present (skipped), {} card{} rescheduled",
        report.added,
        plural(report.added),
        report.skipped,
        report.cards_replayed,
        plural(report.cards_replayed)
    )?;
    if orphans.reviews > 0 {
        writeln!(
            out,
            "{} review{} to {} card{} that no deck has; they are kept",
            orphans.reviews,
            if orphans.reviews == 1 {
                " belongs"
            } else {
                "s belong"
            },
            orphans.cards.len(),
            plural(orphans.cards.len())
        )?;
    }
    if !applied.is_empty() {
        let names: Vec<&str> = applied.iter().map(|k| k.name).collect();
        writeln!(out, "settings taken from the file: {}", names.join(", "))?;
    }
    if !kept.is_empty() {
        writeln!(
            out,
            "settings kept as set here (the file differs): {}",
            kept.join(", ")
        )?;
    }
    Ok(())
}

/// Reviews of cards that no deck has.
#[derive(Default)]
struct Orphans {
    reviews: usize,
    cards: BTreeSet<String>,
}

impl Orphans {
    fn count(&mut self, deck_of: &HashMap<Box<str>, usize>, card: &str) {
        if !deck_of.contains_key(card) {
            self.reviews += 1;
            if !self.cards.contains(card) {
                self.cards.insert(card.to_string());
            }
        }
    }
}

/// Settings from the file fill in what this database has not set, so moving to a new
/// machine brings them along while a merge never overrides local choices. Returns the
/// merged settings, the keys taken from the file, and those kept because they were set here.
fn merged_settings(
    store: &Store,
    incoming: &[(&'static str, String)],
) -> anyhow::Result<(
    crate::settings::Settings,
    Vec<&'static SettingKey>,
    Vec<&'static str>,
)> {
    let mut settings = store.settings()?;
    let explicit = store.explicit_settings()?;
    let mut applied = Vec::new();
    let mut kept = Vec::new();
    for (name, value) in incoming {
        let key = SettingKey::find(name)?;
        if explicit.iter().any(|k| k == name) {
            if settings.get(name).as_deref() != Some(value.as_str()) {
                kept.push(*name);
            }
            continue;
        }
        let before = settings.get(name);
        settings.set_key(key, value)?;
        if settings.get(name) != before {
            applied.push(key);
        }
    }
    Ok((settings, applied, kept))
}

/// Stores a stream of reviews; a row that went bad since the first pass (the file changed
/// meanwhile) stops it, and nothing is saved.
fn store_stream(
    store: &mut Store,
    reviews: impl Iterator<Item = Result<NewReview, TransferError>>,
    expected: usize,
    scheduler: &crate::schedule::Scheduler,
) -> anyhow::Result<ImportReport> {
    match store.import_review_stream(reviews, expected, None, scheduler) {
        Ok(report) => Ok(report),
        Err(ImportFailure::Source(error)) => Err(error.into()),
        Err(ImportFailure::Store(error)) => Err(error.into()),
    }
}
