//! The decks as an Anki package that Anki and AnkiDroid import, optionally with the
//! learner's progress: [`build`] makes the collection, [`archive`] the package of it
//! (`export --anki` in `commands/export.rs` writes it).
//!
//! - `notetypes`: our four note types (front/back, type the answer, cloze, options).
//! - `notes`: what each card type becomes: fields as escaped HTML, tags.
//! - `ids`: GUIDs and ids derived from card ids, so a newer package updates notes in place.
//! - `progress`: card states and the review log in Anki's terms.
//! - `collection`: Anki's legacy collection schema, built in memory.
//! - `output`: which output paths are refused.
//! - `package`: the zip archive, written atomically.
//! - `read`: packages made by Anki read back for `import`.

mod collection;
mod html;
mod ids;
mod notes;
mod notetypes;
mod output;
mod package;
mod progress;
pub mod read;

use std::collections::HashMap;

use anyhow::Context as _;
use chrono::{DateTime, Utc};

use crate::deck::{Card, Deck};
use crate::ids::CardId;
use crate::schedule::{Scheduler, StudyCalendar, Zone};
use crate::settings::Settings;
use crate::store::{Store, StoredCard};

pub use ids::note_guid;
pub use notetypes::{ALL as NOTE_TYPES, NoteType};
pub use output::{OutputRefused, check as check_output};
pub use package::archive;

/// The Anki deck every exported deck goes under, as `PARENT_DECK::<deck title>`.
pub const PARENT_DECK: &str = "Lupus and stem cell therapy";

/// What a package holds.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Written {
    pub decks: usize,
    /// Notes, one per card, each with one Anki card.
    pub notes: usize,
    pub reviews: usize,
    /// Cards that arrive with a schedule (answered before).
    pub scheduled: usize,
}

/// The learner's progress, read through the store.
pub struct Progress<'a> {
    pub store: &'a Store,
    pub settings: &'a Settings,
    pub scheduler: &'a Scheduler,
}

/// The Anki name of a deck: its title under the parent. `::` would nest it one level
/// deeper in Anki, so a title's own `::` becomes `:`.
pub fn anki_deck_name(deck: &Deck) -> String {
    format!("{PARENT_DECK}::{}", deck.title.replace("::", ":"))
}

/// The collection file of a package of `decks` (with the learner's progress, when given;
/// study days counted in `zone`), and what it holds. [`archive`] makes the package of it.
pub fn build(
    decks: &[&Deck],
    progress: Option<&Progress<'_>>,
    zone: &Zone,
    now: DateTime<Utc>,
) -> anyhow::Result<(Vec<u8>, Written)> {
    let build = || {
        let mut builder = Builder::new(progress, zone, now)?;
        for deck in decks {
            builder.add_deck(deck)?;
        }
        builder.finish()
    };
    build().context("cannot build the Anki collection")
}

/// Fills one collection, deck by deck and card by card.
struct Builder<'p> {
    collection: collection::Collection,
    progress: Option<&'p Progress<'p>>,
    timing: progress::Timing,
    /// Anki decks by name: two decks with one title share one Anki deck.
    deck_ids: HashMap<String, i64>,
    /// The next card's place in the new-card order.
    position: i64,
    written: Written,
}

impl<'p> Builder<'p> {
    fn new(
        progress: Option<&'p Progress<'p>>,
        zone: &Zone,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Self> {
        let timing = timing(progress, zone, now)?;
        let options = progress.map(|p| progress::deck_options(p.settings, now.timestamp()));
        let mut collection = collection::Collection::new(now.timestamp(), &timing, options)?;
        let parent = collection.add_deck(PARENT_DECK, "Decks exported from lupus-quiz.");
        Ok(Builder {
            collection,
            progress,
            timing,
            deck_ids: HashMap::from([(PARENT_DECK.to_string(), parent)]),
            position: 0,
            written: Written::default(),
        })
    }

    fn add_deck(&mut self, deck: &Deck) -> anyhow::Result<()> {
        let name = anki_deck_name(deck);
        let deck_id = match self.deck_ids.get(&name) {
            Some(id) => *id,
            None => {
                let id = self
                    .collection
                    .add_deck(&name, &html::text(&deck.description));
                self.deck_ids.insert(name, id);
                id
            }
        };
        let states = match self.progress {
            Some(p) => states_of(p.store, deck)?,
            None => HashMap::new(),
        };
        for card in &deck.cards {
            self.add_card(deck, deck_id, card, states.get(&card.id))?;
        }
        self.written.decks += 1;
        Ok(())
    }

    /// Adds the note of `card`, scheduled as `stored` says when progress is exported.
    fn add_card(
        &mut self,
        deck: &Deck,
        deck_id: i64,
        card: &Card,
        stored: Option<&StoredCard>,
    ) -> anyhow::Result<()> {
        self.position += 1;
        let mut note = notes::note_for(deck, card);
        let scheduling = match (self.progress, stored) {
            (Some(p), Some(stored)) => {
                self.written.scheduled += 1;
                if stored.state.leech {
                    // Anki's own mark of a leech.
                    note.tags.push("leech".to_string());
                }
                progress::scheduled(stored, self.position, p.settings, &self.timing)
            }
            _ => progress::new_card(self.position),
        };
        let anki_card = self
            .collection
            .add_note(&card.id, &note, deck_id, &scheduling)?;
        self.written.notes += 1;
        if let Some(p) = self.progress {
            let reviews = p.store.reviews_of(&card.id)?;
            let rows = progress::revlog(&card.id, &reviews, p.scheduler);
            for row in &rows {
                self.collection.add_review(anki_card, row)?;
            }
            self.written.reviews += rows.len();
        }
        Ok(())
    }

    fn finish(self) -> anyhow::Result<(Vec<u8>, Written)> {
        Ok((self.collection.into_bytes()?, self.written))
    }
}

/// The package's day arithmetic: the learner's rollover hour, and a collection created on
/// the day of their first review (or today), so no due day is negative.
fn timing(
    progress: Option<&Progress<'_>>,
    zone: &Zone,
    now: DateTime<Utc>,
) -> anyhow::Result<progress::Timing> {
    let Some(p) = progress else {
        let rollover = crate::schedule::SchedulerConfig::default().rollover_hour;
        return Ok(progress::Timing::starting(
            now,
            &StudyCalendar::new(rollover, zone.clone()),
        ));
    };
    let first = p
        .store
        .first_review_at_or_after(i64::MIN / 2)?
        .and_then(DateTime::<Utc>::from_timestamp_millis)
        .map_or(now, |at| at.min(now));
    Ok(progress::Timing::starting(first, p.scheduler.calendar()))
}

/// The stored states of a deck's cards, by card id.
fn states_of(store: &Store, deck: &Deck) -> anyhow::Result<HashMap<CardId, StoredCard>> {
    let states = store.cards_by_id(deck.cards.ids())?;
    Ok(states
        .into_iter()
        .map(|state| (state.card_id.clone(), state))
        .collect())
}
