//! `lupus-quiz export --anki FILE.apkg`: the decks as an Anki package that Anki and
//! AnkiDroid import, optionally with the learner's progress.
//!
//! - `notetypes`: our four note types (front/back, type the answer, cloze, options).
//! - `notes`: what each card type becomes: fields as escaped HTML, tags.
//! - `ids`: GUIDs and ids derived from card ids, so a newer package updates notes in place.
//! - `progress`: card states and the review log in Anki's terms.
//! - `collection`: Anki's legacy collection schema, built in memory.
//! - `output`: which output paths are refused.
//! - `package`: the zip archive, written atomically.

mod collection;
mod html;
mod ids;
mod notes;
mod notetypes;
mod output;
mod package;
mod progress;

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::context::Context;
use crate::deck::{Catalog, Deck};
use crate::schedule::Scheduler;
use crate::settings::Settings;
use crate::store::{Store, StoredCard};

pub use ids::note_guid;
pub use notetypes::{ALL as NOTE_TYPES, NoteType};
pub use output::OutputRefused;

/// The Anki deck every exported deck goes under, as `PARENT_DECK::<deck title>`.
pub const PARENT_DECK: &str = "Lupus and stem cell therapy";

/// What `export --anki` wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    pub decks: usize,
    /// Notes, one per card, each with one Anki card.
    pub notes: usize,
    pub reviews: usize,
    /// Cards that arrive with a schedule (answered before).
    pub scheduled: usize,
}

/// Runs `export --anki`.
pub fn run(
    ctx: &Context,
    path: &Path,
    deck_names: &[String],
    with_progress: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    output::check(path, &ctx.db_path)?;
    let catalog = ctx.load_catalog()?;
    let decks = select_decks(&catalog, deck_names)?;
    let now = ctx.clock.now();
    let (bytes, written) = if with_progress {
        let store = ctx.open_store_to_read()?;
        let settings = store.settings()?;
        let scheduler = Context::scheduler(&settings)?;
        let progress = Progress {
            store: &store,
            settings: &settings,
            scheduler: &scheduler,
        };
        build(&decks, Some(&progress), now)?
    } else {
        build(&decks, None, now)?
    };
    package::write_atomically(path, &bytes)
        .with_context(|| format!("cannot write the Anki package `{}`", path.display()))?;
    writeln!(
        out,
        "wrote {}: {} deck{} under \"{PARENT_DECK}\", {} note{} (one card each){}",
        path.display(),
        written.decks,
        crate::error::plural(written.decks),
        written.notes,
        crate::error::plural(written.notes),
        if with_progress {
            format!(
                ", {} review{} and the schedule of {} card{}",
                written.reviews,
                crate::error::plural(written.reviews),
                written.scheduled,
                crate::error::plural(written.scheduled)
            )
        } else {
            ", all new".to_string()
        }
    )?;
    writeln!(
        out,
        "import it in Anki with File > Import (or open it in AnkiDroid); importing a newer export updates these notes in place"
    )?;
    Ok(())
}

/// The learner's progress, read through the store.
struct Progress<'a> {
    store: &'a Store,
    settings: &'a Settings,
    scheduler: &'a Scheduler,
}

/// The decks named, in catalog order; every deck when none is named.
fn select_decks<'c>(catalog: &'c Catalog, names: &[String]) -> anyhow::Result<Vec<&'c Deck>> {
    if names.is_empty() {
        return Ok(catalog.decks.iter().collect());
    }
    let mut wanted = Vec::new();
    for name in names {
        wanted.push(
            crate::commands::study::find_deck(catalog, name)?
                .name
                .as_str(),
        );
    }
    Ok(catalog
        .decks
        .iter()
        .filter(|deck| wanted.contains(&deck.name.as_str()))
        .collect())
}

/// The Anki name of a deck: its title under the parent. `::` would nest it one level
/// deeper in Anki, so a title's own `::` becomes `:`.
pub fn anki_deck_name(deck: &Deck) -> String {
    format!("{PARENT_DECK}::{}", deck.title.replace("::", ":"))
}

/// The collection file of the package, and what it holds.
fn build(
    decks: &[&Deck],
    progress: Option<&Progress<'_>>,
    now: DateTime<Utc>,
) -> anyhow::Result<(Vec<u8>, Written)> {
    let rollover = progress.map_or(
        crate::schedule::SchedulerConfig::default().rollover_hour,
        |p| p.settings.rollover_hour,
    );
    let first_review = match progress {
        Some(p) => p.store.first_review_at_or_after(i64::MIN / 2)?,
        None => None,
    };
    let first = first_review
        .and_then(DateTime::<Utc>::from_timestamp_millis)
        .map_or(now, |at| at.min(now));
    let timing = progress::Timing::starting(first, rollover);
    let fill = || -> anyhow::Result<(Vec<u8>, Written)> {
        let options = progress.map(|p| progress::deck_options(p.settings, now.timestamp()));
        let mut collection = collection::Collection::new(now.timestamp(), &timing, options)?;
        let mut written = Written::default();
        let mut deck_ids: HashMap<String, i64> = HashMap::new();
        deck_ids.insert(
            PARENT_DECK.to_string(),
            collection.add_deck(PARENT_DECK, "Decks exported from lupus-quiz."),
        );
        let mut position = 0;
        for deck in decks {
            let name = anki_deck_name(deck);
            let deck_id = *deck_ids
                .entry(name.clone())
                .or_insert_with(|| collection.add_deck(&name, &html::text(&deck.description)));
            written.decks += 1;
            let states = match progress {
                Some(p) => states_of(p.store, deck)?,
                None => HashMap::new(),
            };
            for card in &deck.cards {
                position += 1;
                let mut note = notes::note_for(deck, card);
                let scheduling = match (progress, states.get(card.id.as_str())) {
                    (Some(p), Some(stored)) => {
                        written.scheduled += 1;
                        if stored.state.leech {
                            // Anki's own mark of a leech.
                            note.tags.push("leech".to_string());
                        }
                        progress::scheduled(stored, position, p.settings, &timing)
                    }
                    _ => progress::new_card(position),
                };
                let anki_card = collection.add_note(&card.id, &note, deck_id, &scheduling)?;
                written.notes += 1;
                if let Some(p) = progress {
                    let reviews = p.store.reviews_of(&card.id)?;
                    let rows = progress::revlog(&card.id, &reviews, p.scheduler, rollover);
                    for row in &rows {
                        collection.add_review(anki_card, row)?;
                    }
                    written.reviews += rows.len();
                }
            }
        }
        Ok((collection.into_bytes()?, written))
    };
    fill().context("cannot build the Anki collection")
}

/// The stored states of a deck's cards, by card id.
fn states_of(store: &Store, deck: &Deck) -> anyhow::Result<HashMap<String, StoredCard>> {
    let states = store.cards_by_id(deck.cards.iter().map(|card| card.id.as_str()))?;
    Ok(states
        .into_iter()
        .map(|state| (state.card_id.clone(), state))
        .collect())
}
