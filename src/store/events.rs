//! What the learner does to cards by hand (suspend, unsuspend, forget), kept as events of
//! the log beside the reviews: a replay goes through both in time order, so every manual
//! action survives a settings change, `optimize`, an import and `doctor --repair`. Undoing
//! an answer deletes a review, never an event.

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, Transaction, params};
use serde::Serialize;

use super::rows::{after_the_log, deck_column, deck_from_row, read_state, write_state};
use super::{Result, Store, from_millis};
use crate::ids::{CardId, DeckName};
use crate::schedule::{CardAction, CardState};

/// A manual action of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CardEvent {
    pub card_id: CardId,
    /// The card's deck when the action was taken (`None`: no deck had it).
    pub deck: Option<DeckName>,
    pub at: DateTime<Utc>,
    pub action: CardAction,
}

/// A card to act on, and the deck it is in now.
#[derive(Debug, Clone, Copy)]
pub struct ActionTarget<'a> {
    pub card_id: &'a CardId,
    pub deck: &'a DeckName,
}

/// What one manual action over many cards did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionReport {
    /// Cards the action changed (an event was recorded for each).
    pub changed: usize,
    /// Cards it would not have changed (already suspended, not suspended, already new).
    pub unchanged: usize,
}

pub(super) const EVENT_COLUMNS: &str = "card_id, deck, at, action";

/// A manual action from a row of [`EVENT_COLUMNS`].
pub(super) fn event_from_row(row: &Row<'_>) -> rusqlite::Result<CardEvent> {
    let action: String = row.get(3)?;
    Ok(CardEvent {
        card_id: row.get(0)?,
        deck: deck_from_row(row, 1)?,
        at: from_millis(row.get(2)?),
        action: action.parse().map_err(|_| {
            rusqlite::Error::FromSqlConversionFailure(
                3,
                rusqlite::types::Type::Text,
                format!("unknown card action `{action}`").into(),
            )
        })?,
    })
}

/// One card's events in time order.
pub(super) fn events_of(conn: &Connection, card_id: &CardId) -> Result<Vec<CardEvent>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {EVENT_COLUMNS} FROM card_event WHERE card_id = ?1 ORDER BY at"
    ))?;
    let events = statement
        .query_map([card_id], event_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(events)
}

/// Every event, by card and then time (for `doctor`, which walks the log card by card).
pub(super) fn events_by_card(conn: &Connection) -> Result<Vec<CardEvent>> {
    let mut statement = conn.prepare(&format!(
        "SELECT {EVENT_COLUMNS} FROM card_event ORDER BY card_id, at"
    ))?;
    let events = statement
        .query_map([], event_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(events)
}

/// Inserts an event unless the card already has one at that time (an import brought the
/// same one twice); returns whether it was added.
pub(super) fn insert_event(tx: &Transaction<'_>, event: &CardEvent) -> Result<bool> {
    let added = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO card_event (card_id, deck, at, action) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            event.card_id,
            deck_column(event.deck.as_ref()),
            event.at.timestamp_millis(),
            event.action.as_str(),
        ])?;
    Ok(added == 1)
}

impl Store {
    /// Takes `action` on each card at `at`, in one transaction: an event in the log and
    /// the card's new state, for every card it changes. A card it would not change (a
    /// suspended card suspended again) gets no event. The state is the log's replay: the
    /// event is the card's latest entry, so applying it to the stored state is the same.
    pub fn take_action(
        &mut self,
        targets: &[ActionTarget<'_>],
        action: CardAction,
        at: DateTime<Utc>,
    ) -> Result<ActionReport> {
        self.write(|tx| {
            let mut report = ActionReport::default();
            for target in targets {
                let current = read_state(tx, target.card_id)?.map(|card| card.state);
                let logged = current.is_some();
                let state = current.unwrap_or_else(|| CardState::new_card(at));
                if !action.changes(&state) {
                    report.unchanged += 1;
                    continue;
                }
                let event = CardEvent {
                    card_id: target.card_id.clone(),
                    deck: Some(target.deck.clone()),
                    at: after_the_log(tx, target.card_id, at)?,
                    action,
                };
                insert_event(tx, &event)?;
                // A card without a log replays from a new card of its first entry's time.
                let state = if logged {
                    state
                } else {
                    CardState::new_card(event.at)
                };
                write_state(
                    tx,
                    target.card_id,
                    Some(target.deck),
                    &action.apply(&state, event.at),
                )?;
                report.changed += 1;
            }
            Ok(report)
        })
    }

    /// One card's manual actions in time order.
    pub fn events_of(&self, card_id: &CardId) -> Result<Vec<CardEvent>> {
        events_of(&self.conn, card_id)
    }

    /// How many manual actions the log holds.
    pub fn event_count(&self) -> Result<u64> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM card_event", [], |row| row.get(0))?;
        Ok(count.max(0) as u64)
    }

    /// Every manual action in time order (for `export`).
    pub fn events(&self) -> Result<Vec<CardEvent>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM card_event ORDER BY at, card_id"
        ))?;
        let events = statement
            .query_map([], event_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(events)
    }
}
