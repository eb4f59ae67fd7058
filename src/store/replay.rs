//! Replaying a card's log: the state its reviews and manual actions give under the
//! scheduler, each review's kind rewritten when the replay finds another, and the review
//! totals kept equal to the log meanwhile.
//!
//! Apart from `reviews.rs` because undoing an answer, importing, applying settings
//! (`history.rs`) and `doctor` all replay, and none of them should import another's whole
//! job to do it. It reads the log through `rows.rs` and `events.rs` and updates
//! `totals.rs`; none of those imports from here, so the store's files form no cycle.

use rusqlite::{Transaction, params};

use super::events::{CardEvent, events_of};
use super::rows::{ReviewRecord, StoredCard, reviews_of, write_state};
use super::totals::{change_kind, rebuild_totals};
use super::{Result, Store};
use crate::ids::CardId;
use crate::schedule::{LogEntry, ReviewKind, Scheduler};

/// What a card's log says its state is: the state after replaying every review and
/// manual action from a new card, the kind each review should have (in the order of
/// `reviews`), and the deck of the last entry. `None` for an empty log. The one replay the
/// store and `doctor` share.
pub(super) fn replay_log(
    card_id: &CardId,
    reviews: &[ReviewRecord],
    events: &[CardEvent],
    scheduler: &Scheduler,
) -> Option<(StoredCard, Vec<ReviewKind>)> {
    let entries = merged_log(reviews, events);
    let deck = match entries.last()? {
        Merged::Review(review) => review.deck.clone(),
        Merged::Event(event) => event.deck.clone(),
    };
    let (state, kinds) =
        scheduler.replay_log(card_id, entries.iter().map(|entry| entry.log_entry()));
    Some((
        StoredCard {
            card_id: card_id.clone(),
            deck,
            suspended: state.out_of_rotation(),
            state,
        },
        kinds,
    ))
}

/// One entry of a card's merged log, as stored.
pub enum Merged<'a> {
    Review(&'a ReviewRecord),
    Event(&'a CardEvent),
}

impl Merged<'_> {
    /// The entry as the scheduler replays it.
    pub fn log_entry(&self) -> LogEntry {
        match self {
            Merged::Review(review) => LogEntry::Review {
                at: review.at,
                rating: review.rating,
            },
            Merged::Event(event) => LogEntry::Action {
                at: event.at,
                action: event.action,
            },
        }
    }
}

/// A card's reviews and events (each already in time order) as one log in replay order.
pub fn merged_log<'a>(reviews: &'a [ReviewRecord], events: &'a [CardEvent]) -> Vec<Merged<'a>> {
    let mut entries: Vec<Merged<'a>> = reviews
        .iter()
        .map(Merged::Review)
        .chain(events.iter().map(Merged::Event))
        .collect();
    // Stable: reviews sharing a time keep their order, as in the log.
    entries.sort_by_key(|entry| entry.log_entry().order_key());
    entries
}

/// What a replay does about the review totals when it changes a review's kind: an update
/// policy, chosen by the caller, which knows whether it writes one card or many.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TotalsUpdate {
    /// Moves the review between the kind counts of its bucket.
    Adjust,
    /// Nothing: the caller rebuilds the totals afterwards (bulk writes).
    RebuildLater,
}

/// Rebuilds one card's state (and each review's kind) from its whole log.
pub(super) fn replay_card(
    tx: &Transaction<'_>,
    card_id: &CardId,
    scheduler: &Scheduler,
    totals: TotalsUpdate,
) -> Result<Option<StoredCard>> {
    let reviews = reviews_of(tx, card_id)?;
    let events = events_of(tx, card_id)?;
    let Some((card, kinds)) = replay_log(card_id, &reviews, &events, scheduler) else {
        tx.prepare_cached("DELETE FROM card_state WHERE card_id = ?1")?
            .execute([card_id])?;
        return Ok(None);
    };
    for (review, kind) in reviews.iter().zip(kinds) {
        if kind != review.kind {
            // Cached: a fresh import changes the kind of most of a million reviews.
            tx.prepare_cached("UPDATE review_log SET kind = ?1 WHERE id = ?2")?
                .execute(params![kind.as_str(), review.id])?;
            if totals == TotalsUpdate::Adjust {
                change_kind(
                    tx,
                    review.at.timestamp_millis(),
                    review.rating.as_u8(),
                    review.kind,
                    kind,
                )?;
            }
        }
    }
    write_state(tx, card_id, card.deck.as_ref(), &card.state)?;
    Ok(Some(card))
}

/// Rebuilds every card with reviews, and the review totals, from the log. Returns how many
/// cards were rebuilt. Shared by [`Store::replay_all`], imports that bring settings and
/// `history.rs`'s settings changes.
pub(super) fn replay_every_card(tx: &Transaction<'_>, scheduler: &Scheduler) -> Result<usize> {
    let ids = card_ids_with_reviews(tx)?;
    for id in &ids {
        replay_card(tx, id, scheduler, TotalsUpdate::RebuildLater)?;
    }
    rebuild_totals(tx, None)?;
    Ok(ids.len())
}

/// Every card with a log: reviews, manual actions or both.
pub(super) fn card_ids_with_reviews(tx: &Transaction<'_>) -> Result<Vec<CardId>> {
    let mut statement = tx.prepare(
        "SELECT card_id FROM review_log UNION SELECT card_id FROM card_event ORDER BY card_id",
    )?;
    let ids = statement
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

impl Store {
    /// Rebuilds every card from its log, in one transaction (after a scheduling setting
    /// changed). Returns how many cards were rebuilt.
    pub fn replay_all(&mut self, scheduler: &Scheduler) -> Result<usize> {
        self.write(|tx| replay_every_card(tx, scheduler))
    }
}
