//! Recording answers, undoing and regrading them, and reading the review log back.
//!
//! One answer at a time: each is written with its totals and the card's new state in one
//! transaction. Replaying a log lives in `replay.rs`, importing in `import.rs`, and the
//! row codecs all of them share in `rows.rs`.

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use super::replay::{TotalsUpdate, replay_card};
use super::rows::{
    CARD_COLUMNS, NewReview, REVIEW_COLUMNS, Recorded, ReviewRecord, StoredCard, after_the_log,
    card_from_row, deck_column, read_state, review_from_row, reviews_of, stored_duration,
    write_state,
};
use super::totals::{CountedReview, count_review};
use super::{QueryOptional, Result, Store, StoreError};
use crate::ids::{CardId, ReviewId};
use crate::schedule::{CardState, ReviewKind, Scheduler};

/// The scheduler for the settings stored now, read inside the caller's transaction: another
/// terminal may have changed them (`config`, `optimize`, an import) since `given` was
/// built, and a card's state must always be the replay of its log under the stored
/// settings. Returns `None` when `given` already schedules with them.
fn changed_scheduler(tx: &Transaction<'_>, given: &Scheduler) -> Result<Option<Scheduler>> {
    let config = super::settings::read_settings(tx)?.scheduler_config();
    if config == *given.config() {
        return Ok(None);
    }
    given
        .with_config(config)
        .map(Some)
        .map_err(|e| StoreError::UnusableSettings {
            message: e.to_string(),
        })
}

/// Records one answer inside `tx`: the review row, its totals and the card's new state.
fn record_in(tx: &Transaction<'_>, review: &NewReview, scheduler: &Scheduler) -> Result<Recorded> {
    let current = read_state(tx, &review.card_id)?;
    let at = after_the_log(tx, &review.card_id, review.at)?;
    let state = current
        .map(|card| card.state)
        .unwrap_or_else(|| CardState::new_card(at));
    let answered = scheduler.answer(&review.card_id, &state, review.rating, at);
    let duration_ms = stored_duration(review.duration_ms);
    tx.execute(
        "INSERT INTO review_log (card_id, deck, reviewed_at, rating, duration_ms, kind)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            review.card_id,
            deck_column(review.deck.as_ref()),
            at.timestamp_millis(),
            review.rating.as_u8(),
            duration_ms,
            answered.kind.as_str(),
        ],
    )?;
    let review_id = tx.last_insert_rowid();
    let counted = CountedReview {
        at_ms: at.timestamp_millis(),
        rating: review.rating.as_u8(),
        duration_ms,
        kind: answered.kind,
    };
    count_review(tx, counted, 1)?;
    write_state(tx, &review.card_id, review.deck.as_ref(), &answered.state)?;
    Ok(Recorded {
        review_id: ReviewId::new(review_id),
        at,
        answered,
        scheduler: None,
    })
}

/// Deletes one review inside `tx`, keeping its card and time as undone, and rebuilds its card
/// from the rest of its log; `None` when the review is not there (or the card has no review
/// left).
fn undo_in(
    tx: &Transaction<'_>,
    review_id: ReviewId,
    scheduler: &Scheduler,
) -> Result<Option<StoredCard>> {
    let review = tx
        .query_row(
            &format!("SELECT {REVIEW_COLUMNS} FROM review_log WHERE id = ?1"),
            [review_id],
            review_from_row,
        )
        .opt()?;
    let Some(review) = review else {
        return Ok(None);
    };
    // Kept, so that a device the answer reached through the sync folder drops it too.
    tx.prepare_cached(
        "INSERT OR IGNORE INTO undone_review (card_id, reviewed_at) VALUES (?1, ?2)",
    )?
    .execute(params![review.card_id, review.at.timestamp_millis()])?;
    delete_review(tx, &review)?;
    replay_card(tx, &review.card_id, scheduler, TotalsUpdate::Adjust)
}

/// Deletes a review of the log and takes it out of the totals; the caller replays its
/// card. Undoing an answer and merging one undone on another device both do.
pub(super) fn delete_review(tx: &Transaction<'_>, review: &ReviewRecord) -> Result<()> {
    tx.prepare_cached("DELETE FROM review_log WHERE id = ?1")?
        .execute([review.id])?;
    let counted = CountedReview {
        at_ms: review.at.timestamp_millis(),
        rating: review.rating.as_u8(),
        duration_ms: stored_duration(review.duration_ms),
        kind: review.kind,
    };
    count_review(tx, counted, -1)
}

impl Store {
    /// Records one answer and the card's new state in one transaction, reading the card's
    /// current state and the stored settings inside it, so two processes answering the
    /// same card both count, and a settings change made meanwhile elsewhere applies. When
    /// the settings changed, [`Recorded::scheduler`] holds the scheduler that was used.
    pub fn record_answer(&mut self, review: &NewReview, scheduler: &Scheduler) -> Result<Recorded> {
        self.write(|tx| {
            let changed = changed_scheduler(tx, scheduler)?;
            let mut recorded = record_in(tx, review, changed.as_ref().unwrap_or(scheduler))?;
            recorded.scheduler = changed;
            Ok(recorded)
        })
    }

    /// Replaces the review `review_id` by `review` (a changed grade) in one transaction:
    /// afterwards the log holds the old answer or the new one, never neither.
    pub fn regrade_review(
        &mut self,
        review_id: ReviewId,
        review: &NewReview,
        scheduler: &Scheduler,
    ) -> Result<Recorded> {
        self.write(|tx| {
            let changed = changed_scheduler(tx, scheduler)?;
            let recorded = {
                let scheduler = changed.as_ref().unwrap_or(scheduler);
                undo_in(tx, review_id, scheduler)?;
                record_in(tx, review, scheduler)?
            };
            Ok(Recorded {
                scheduler: changed,
                ..recorded
            })
        })
    }

    /// Deletes one review and rebuilds its card from the rest of its log. Returns the card's
    /// state afterwards (`None` when the card has no reviews left: it is new again).
    pub fn undo_review(
        &mut self,
        review_id: ReviewId,
        scheduler: &Scheduler,
    ) -> Result<Option<StoredCard>> {
        self.write(|tx| {
            let changed = changed_scheduler(tx, scheduler)?;
            undo_in(tx, review_id, changed.as_ref().unwrap_or(scheduler))
        })
    }
    /// The stored state of one card, `None` for a card never answered.
    pub fn card(&self, card_id: &CardId) -> Result<Option<StoredCard>> {
        Ok(self
            .conn
            .query_row(
                &format!("SELECT {CARD_COLUMNS} FROM card_state WHERE card_id = ?1"),
                [card_id],
                card_from_row,
            )
            .opt()?)
    }

    /// Every stored card state, ordered by card id.
    pub fn cards(&self) -> Result<Vec<StoredCard>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {CARD_COLUMNS} FROM card_state ORDER BY card_id"
        ))?;
        let cards = statement
            .query_map([], card_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(cards)
    }

    /// The card's log in time order.
    pub fn reviews_of(&self, card_id: &CardId) -> Result<Vec<ReviewRecord>> {
        reviews_of(&self.conn, card_id)
    }

    /// Calls `f` with every review in time order, without holding them all in memory.
    pub fn for_each_review(
        &self,
        mut f: impl FnMut(ReviewRecord) -> std::io::Result<()>,
    ) -> Result<std::io::Result<()>> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log ORDER BY reviewed_at, id"
        ))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            if let Err(e) = f(review_from_row(row)?) {
                return Ok(Err(e));
            }
        }
        Ok(Ok(()))
    }

    /// Whether anything was ever answered here: a review or a quiz. Asked before every
    /// session, so it stops at the first row instead of counting a million.
    pub fn has_history(&self) -> Result<bool> {
        Ok(self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM review_log) OR EXISTS (SELECT 1 FROM quiz_result)",
            [],
            |row| row.get(0),
        )?)
    }

    /// Number of reviews in the log.
    pub fn review_count(&self) -> Result<u64> {
        let count: i64 = self
            .conn
            .query_row("SELECT count(*) FROM review_log", [], |row| row.get(0))?;
        Ok(count.max(0) as u64)
    }
}

impl Store {
    /// Reviews since `start`, optionally of one kind (the daily review limit counts
    /// `review` answers, as Anki's does).
    pub fn reviews_since(&self, start: DateTime<Utc>, kind: Option<ReviewKind>) -> Result<u64> {
        let count: i64 = match kind {
            Some(kind) => self.conn.query_row(
                "SELECT count(*) FROM review_log WHERE reviewed_at >= ?1 AND kind = ?2",
                params![start.timestamp_millis(), kind.as_str()],
                |row| row.get(0),
            )?,
            None => self.conn.query_row(
                "SELECT count(*) FROM review_log WHERE reviewed_at >= ?1",
                [start.timestamp_millis()],
                |row| row.get(0),
            )?,
        };
        Ok(count.max(0) as u64)
    }

    /// Cards whose first review was at or after `start` (new cards introduced since then).
    pub fn cards_first_reviewed_since(&self, start: DateTime<Utc>) -> Result<Vec<CardId>> {
        let mut statement = self.conn.prepare_cached(
            // A card is introduced by its first review, or by its first review after it was
            // forgotten (so forgetting a card studied today gives no new card back, as in
            // Anki). `+r.card_id` keeps SQLite from grouping through the (card_id, time)
            // index, which would scan the whole log; the time index finds today's few rows.
            "SELECT r.card_id FROM review_log r
             WHERE r.reviewed_at >= ?1
               AND NOT EXISTS (
                 SELECT 1 FROM review_log p
                 WHERE p.card_id = r.card_id AND p.reviewed_at < r.reviewed_at
                   AND p.reviewed_at > coalesce(
                     (SELECT max(e.at) FROM card_event e
                      WHERE e.card_id = r.card_id AND e.action = 'forget'
                        AND e.at < r.reviewed_at),
                     -9223372036854775808))
             GROUP BY +r.card_id",
        )?;
        let ids = statement
            .query_map([start.timestamp_millis()], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }
}
