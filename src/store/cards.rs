//! Card states read by scope, so a session loads only the states it needs rather than the
//! whole table (which matters for collections of tens of thousands of cards).

use chrono::{DateTime, Utc};

use super::rows::{CARD_COLUMNS, borrowed_text, card_from_row, phase_named};
use super::{QueryOptional, Result, Store, from_millis};
use crate::ids::CardId;
use crate::schedule::{CardPhase, DueRule};
use crate::store::StoredCard;

/// Where a stored card stands for a session, without the rest of its state.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub card_id: CardId,
    pub due: DateTime<Utc>,
    /// `None` while the card is out of rotation (suspended, or a leech).
    pub phase: Option<CardPhase>,
}

impl Store {
    /// The states of the given cards (those never answered have none).
    pub fn cards_by_id(
        &self,
        ids: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Vec<StoredCard>> {
        self.in_one_read(|| {
            let mut statement = self.conn.prepare_cached(&format!(
                "SELECT {CARD_COLUMNS} FROM card_state WHERE card_id = ?1"
            ))?;
            let mut cards = Vec::new();
            for id in ids {
                if let Some(card) = statement.query_row([id.as_ref()], card_from_row).opt()? {
                    cards.push(card);
                }
            }
            Ok(cards)
        })
    }

    /// Calls `f` with the id of every card with a stored state (every card ever answered),
    /// borrowed from the row: the dashboard looks 45,000 of them up in the catalog, and
    /// copying each into a set of its own was a third of its time (issue 18). (The due
    /// index holds every id, and SQLite reads it faster than the table.)
    pub fn for_each_card_id(&self, mut f: impl FnMut(&str)) -> Result<()> {
        let mut statement = self.conn.prepare_cached("SELECT card_id FROM card_state")?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            f(borrowed_text(row, 0)?);
        }
        Ok(())
    }

    /// The cards out of every session, each with whether it is a leech (else the learner
    /// suspended it).
    pub fn suspended_cards(&self) -> Result<Vec<(String, bool)>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT card_id, leech FROM card_state WHERE state = 'suspended'")?;
        let cards = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(cards)
    }

    /// The ids of every card with a stored state (every card ever answered), in the set
    /// the caller chooses.
    pub fn card_ids_with_state<S: FromIterator<CardId>>(&self) -> Result<S> {
        let mut statement = self.conn.prepare_cached("SELECT card_id FROM card_state")?;
        let ids = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Where the cards due before `until` stand (suspended ones included), from the due
    /// index alone: a session decides which of them it shows from this, and reads the
    /// whole state of those only ([`Store::cards_by_id`]). Reading every due card's row
    /// was most of `review`'s time at 50,000 cards (8,000 due; issue 18).
    pub fn standings_due_before(&self, until: DateTime<Utc>) -> Result<Vec<Standing>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT card_id, due, state FROM card_state WHERE due < ?1 ORDER BY due",
        )?;
        let mut rows = statement.query([until.timestamp_millis()])?;
        let mut standings = Vec::new();
        while let Some(row) = rows.next()? {
            let phase = match row.get_ref(2)?.as_bytes().map_err(rusqlite::Error::from)? {
                b"suspended" => None,
                name => Some(phase_named(name)?),
            };
            standings.push(Standing {
                card_id: row.get(0)?,
                due: from_millis(row.get(1)?),
                phase,
            });
        }
        Ok(standings)
    }

    /// The earliest due time of the cards in review and of the cards in (re)learning steps
    /// stored under one of `decks`, out of rotation and new (forgotten) cards left out: when
    /// each becomes due is [`crate::schedule::DueRule`]'s to say.
    pub fn next_due_in(&self, decks: &[&str]) -> Result<NextDue> {
        let names = serde_json::to_string(decks).unwrap_or_else(|_| "[]".to_string());
        let (review, steps): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT min(CASE WHEN state = 'review' THEN due END),
                    min(CASE WHEN state IN ('learning', 'relearning') THEN due END)
             FROM card_state WHERE deck IN (SELECT value FROM json_each(?1))",
            [names],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(NextDue {
            review: review.map(from_millis),
            steps: steps.map(from_millis),
        })
    }

    /// How many cards stored under one of `decks` are due by `rule` (suspended and new cards
    /// never are).
    pub fn due_count_in(&self, decks: &[&str], rule: &DueRule) -> Result<usize> {
        let names = serde_json::to_string(decks).unwrap_or_else(|_| "[]".to_string());
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM card_state
             WHERE deck IN (SELECT value FROM json_each(?1))
               AND ((state = 'review' AND due < ?2)
                 OR (state IN ('learning', 'relearning') AND due <= ?3))",
            rusqlite::params![
                names,
                rule.reviews_before().timestamp_millis(),
                rule.steps_by().timestamp_millis()
            ],
            |row| row.get(0),
        )?;
        Ok(count.max(0) as usize)
    }
}

/// The earliest due times of a set of cards, by phase (see [`Store::next_due_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextDue {
    pub review: Option<DateTime<Utc>>,
    pub steps: Option<DateTime<Utc>>,
}

impl NextDue {
    /// When the first of them becomes due by `rule`, and its phase (a review's or a step's),
    /// if any is scheduled.
    pub fn first(&self, rule: &DueRule) -> Option<(DateTime<Utc>, CardPhase)> {
        let review = self
            .review
            .and_then(|due| rule.becomes_due(CardPhase::Review, due))
            .map(|at| (at, CardPhase::Review));
        let steps = self
            .steps
            .and_then(|due| rule.becomes_due(CardPhase::Learning, due))
            .map(|at| (at, CardPhase::Learning));
        review.into_iter().chain(steps).min_by_key(|(at, _)| *at)
    }
}
