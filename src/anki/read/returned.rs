//! What comes back from Anki for our notes: each note is ours when its GUID is the one our
//! export gives a card id ([`super::super::note_guid`]); its review log becomes reviews
//! (time, button, time taken) and forget actions, and its card's queue says whether it is
//! suspended there. What has no meaning here (a changed due date, a rescheduling, a review
//! in a filtered deck that did not count) is counted.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, TimeDelta, Utc};

use super::{AnkiNote, NoteType, Package, PackageError, RevlogEntry};
use crate::ids::CardId;
use crate::schedule::Rating;

/// One answer given in Anki to a card of ours.
#[derive(Debug, Clone, PartialEq)]
pub struct ReturnedReview {
    pub card_id: CardId,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub duration_ms: u64,
}

/// Whether a card of ours is suspended in Anki, as of its last change there.
#[derive(Debug, Clone, PartialEq)]
pub struct SuspendedInAnki {
    pub card_id: CardId,
    pub suspended: bool,
    pub changed_at: DateTime<Utc>,
}

/// Entries of the review log that have no meaning here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NotMapped {
    /// "Set due date" and FSRS's rescheduling: Anki's schedule, not an answer.
    pub rescheduled: usize,
    /// Answers in a filtered deck that did not reschedule the card (cramming).
    pub cramming: usize,
    /// Entries of cards deleted in Anki, whose note is unknown.
    pub of_deleted_cards: usize,
}

/// Our notes' share of a package.
#[derive(Debug, Clone, Default)]
pub struct Returned {
    /// Our notes in the package.
    pub our_notes: usize,
    pub reviews: Vec<ReturnedReview>,
    /// "Reset card" (forget) actions, as (card, time).
    pub forgets: Vec<(CardId, DateTime<Utc>)>,
    pub suspension: Vec<SuspendedInAnki>,
    pub not_mapped: NotMapped,
    /// The ids of the notes that are not ours.
    pub foreign_notes: HashSet<i64>,
}

/// Anki's review kinds.
const FILTERED: i64 = 3;
const MANUAL: i64 = 4;
const RESCHEDULED: i64 = 5;
const SUSPENDED_QUEUE: i64 = -1;

/// The notes of `package` that are ours, with what was done to them. `known` gives the
/// card id of each GUID our decks' cards have; a note of one of our note types whose card
/// id field gives its GUID is ours too (a card no deck has any more). Every review log
/// entry is checked first, against times up to a day after `now`.
pub fn returned(
    package: &Package,
    known: &HashMap<String, CardId>,
    now: DateTime<Utc>,
) -> Result<Returned, PackageError> {
    for entry in &package.revlog {
        check_entry(entry, now)?;
    }
    let mut returned = Returned::default();
    let mut ours: HashMap<i64, CardId> = HashMap::new();
    for note in &package.notes {
        match our_card(note, package.note_types.get(&note.note_type), known) {
            Some(card_id) => {
                returned.our_notes += 1;
                ours.insert(note.id, card_id);
            }
            None => {
                returned.foreign_notes.insert(note.id);
            }
        }
    }
    // Anki card id to ours; cards of notes not ours map to None.
    let mut cards: HashMap<i64, Option<CardId>> = HashMap::new();
    for card in &package.cards {
        let card_id = ours.get(&card.note).cloned();
        if let Some(card_id) = &card_id {
            returned.suspension.push(SuspendedInAnki {
                card_id: card_id.clone(),
                suspended: card.queue == SUSPENDED_QUEUE,
                changed_at: DateTime::from_timestamp(card.modified_secs, 0).unwrap_or_default(),
            });
        }
        cards.insert(card.id, card_id);
    }
    for entry in &package.revlog {
        match cards.get(&entry.card) {
            None => returned.not_mapped.of_deleted_cards += 1,
            Some(None) => {}
            Some(Some(card_id)) => returned.add_entry(card_id, entry),
        }
    }
    Ok(returned)
}

impl Returned {
    /// One checked entry of a card of ours.
    fn add_entry(&mut self, card_id: &CardId, entry: &RevlogEntry) {
        let at = DateTime::from_timestamp_millis(entry.at_ms).unwrap_or_default();
        if entry.ease == 0 {
            if entry.kind == MANUAL && entry.factor == 0 {
                self.forgets.push((card_id.clone(), at));
            } else {
                self.not_mapped.rescheduled += 1;
            }
            return;
        }
        if entry.kind == FILTERED && entry.factor == 0 {
            self.not_mapped.cramming += 1;
            return;
        }
        let rating = u8::try_from(entry.ease)
            .ok()
            .and_then(|ease| Rating::try_from(ease).ok())
            .expect("checked: 1 to 4");
        self.reviews.push(ReturnedReview {
            card_id: card_id.clone(),
            at,
            rating,
            duration_ms: entry.taken_ms.max(0) as u64,
        });
    }
}

/// The card id of a note of ours, if it is one.
fn our_card(
    note: &AnkiNote,
    note_type: Option<&NoteType>,
    known: &HashMap<String, CardId>,
) -> Option<CardId> {
    if let Some(card_id) = known.get(&note.guid) {
        return Some(card_id.clone());
    }
    let ours = note_type.is_some_and(|t| super::super::NOTE_TYPES.iter().any(|o| o.name == t.name));
    let field = note.fields.last().filter(|_| ours)?;
    let card_id = super::super::html::plain(field).trim().to_string();
    (crate::deck::is_kebab_case(&card_id) && super::super::note_guid(&card_id) == note.guid)
        .then(|| CardId::new(card_id))
}

/// Refuses an entry no Anki writes: a button other than 0 to 4, an unknown kind, a time
/// before 1970 or after tomorrow, a negative time taken or one over a day, or a manual
/// entry with a button.
fn check_entry(entry: &RevlogEntry, now: DateTime<Utc>) -> Result<(), PackageError> {
    let latest = (now + TimeDelta::days(1)).timestamp_millis();
    let problem = if !(0..=4).contains(&entry.ease) {
        Some(format!("button {} (Anki's are 1 to 4, or 0)", entry.ease))
    } else if !(0..=RESCHEDULED).contains(&entry.kind) {
        Some(format!("review kind {} (Anki's are 0 to 5)", entry.kind))
    } else if entry.at_ms <= 0 || entry.at_ms > latest {
        let at = DateTime::from_timestamp_millis(entry.at_ms)
            .map_or_else(|| entry.at_ms.to_string(), crate::clock::format_instant);
        Some(format!("answered at {at}, before 1970 or after tomorrow"))
    } else if entry.taken_ms < 0 || entry.taken_ms as u64 > crate::store::MAX_DURATION_MS {
        Some(format!(
            "{} ms taken to answer (0 to a day)",
            entry.taken_ms
        ))
    } else if entry.ease > 0 && entry.kind >= MANUAL {
        Some(format!(
            "a manual change of schedule (kind {}) with button {}",
            entry.kind, entry.ease
        ))
    } else {
        None
    };
    match problem {
        Some(problem) => Err(PackageError::ImpossibleReview {
            id: entry.at_ms,
            problem,
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(ease: i64, kind: i64, factor: i64) -> RevlogEntry {
        RevlogEntry {
            at_ms: 1_780_000_000_000,
            card: 1,
            ease,
            kind,
            factor,
            taken_ms: 5000,
        }
    }

    #[test]
    fn manual_entries_map_to_forget_or_are_counted() {
        let mut returned = Returned::default();
        let card: CardId = "c".into();
        returned.add_entry(&card, &entry(0, MANUAL, 0));
        returned.add_entry(&card, &entry(0, MANUAL, 2500));
        returned.add_entry(&card, &entry(0, RESCHEDULED, 500));
        returned.add_entry(&card, &entry(3, FILTERED, 0));
        returned.add_entry(&card, &entry(1, FILTERED, 2500));
        returned.add_entry(&card, &entry(4, 1, 2500));
        assert_eq!(returned.forgets.len(), 1);
        assert_eq!(returned.not_mapped.rescheduled, 2);
        assert_eq!(returned.not_mapped.cramming, 1);
        let ratings: Vec<Rating> = returned.reviews.iter().map(|r| r.rating).collect();
        assert_eq!(ratings, [Rating::Again, Rating::Easy]);
        assert_eq!(returned.reviews[0].duration_ms, 5000);
    }

    #[test]
    fn impossible_entries_are_refused() {
        let now = DateTime::from_timestamp_millis(1_780_000_000_000).unwrap();
        assert!(check_entry(&entry(3, 1, 2500), now).is_ok());
        for bad in [
            entry(5, 1, 0),
            entry(-1, 1, 0),
            entry(3, 6, 0),
            entry(3, MANUAL, 0),
            RevlogEntry {
                taken_ms: -5,
                ..entry(3, 1, 0)
            },
            RevlogEntry {
                at_ms: 1_790_000_000_000,
                ..entry(3, 1, 0)
            },
        ] {
            assert!(check_entry(&bad, now).is_err(), "{bad:?}");
        }
    }
}
