//! What `lupus-quiz doctor` checks in the file: SQLite's own integrity checks, and every
//! card's cached state against a replay of its review log (the truth).

use std::collections::BTreeMap;

use super::events::CardEvent;
use super::replay::replay_log;
use super::rows::{
    CARD_COLUMNS, MAX_DURATION_MS, REVIEW_COLUMNS, card_from_row, deck_from_row, review_from_row,
};
use super::{Result, Store, StoredCard};
use crate::ids::{CardId, DeckName};
use crate::schedule::Scheduler;

/// A card whose stored state is not what its log gives.
#[derive(Debug, Clone, PartialEq)]
pub struct StateMismatch {
    pub card_id: CardId,
    /// The stored state; `None` when the log has reviews but no state was stored.
    pub stored: Option<StoredCard>,
    /// The state the log gives; `None` when a state is stored without any review.
    pub replayed: Option<StoredCard>,
    /// Reviews whose stored kind (learning, review, relearning) differs from the replay's.
    pub kinds_differ: usize,
}

/// A card that has reviews, with the deck it was last reviewed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedCard {
    pub card_id: CardId,
    pub deck: Option<DeckName>,
    pub reviews: u64,
}

impl Store {
    /// `PRAGMA integrity_check`: `["ok"]` for a sound file, else one line per problem.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        self.pragma_lines("integrity_check")
    }

    /// `PRAGMA quick_check`: the same checks without comparing indexes to their tables.
    pub fn quick_check(&self) -> Result<Vec<String>> {
        self.pragma_lines("quick_check")
    }

    fn pragma_lines(&self, pragma: &str) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare(&format!("PRAGMA {pragma}"))?;
        let lines = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(lines)
    }

    /// Every card whose stored state differs from the replay of its log, by card id. The
    /// replay is the one the store itself uses to rebuild a card, so after
    /// [`Store::replay_all`] this is empty.
    pub fn state_mismatches(&self, scheduler: &Scheduler) -> Result<Vec<StateMismatch>> {
        let mut stored = self.stored_states()?;
        let mut events: BTreeMap<CardId, Vec<CardEvent>> = BTreeMap::new();
        for event in super::events::events_by_card(&self.conn)? {
            events.entry(event.card_id.clone()).or_default().push(event);
        }
        let mut mismatches = Vec::new();
        let mut check = |card_id: &CardId,
                         reviews: &[super::ReviewRecord],
                         events: &[CardEvent]| {
            let Some((replayed, kinds)) = replay_log(card_id, reviews, events, scheduler) else {
                return;
            };
            let kinds_differ = reviews
                .iter()
                .zip(&kinds)
                .filter(|(review, kind)| review.kind != **kind)
                .count();
            let stored = stored.remove(card_id);
            if stored.as_ref() != Some(&replayed) || kinds_differ > 0 {
                mismatches.push(StateMismatch {
                    card_id: card_id.clone(),
                    stored,
                    replayed: Some(replayed),
                    kinds_differ,
                });
            }
        };
        self.for_each_card_log(|card_log| {
            let card_id = &card_log[0].card_id;
            let card_events = events.remove(card_id).unwrap_or_default();
            check(card_id, card_log, &card_events);
        })?;
        // Cards with manual actions and no review (a new card suspended).
        for (card_id, card_events) in std::mem::take(&mut events) {
            check(&card_id, &[], &card_events);
        }
        // What is left is stored without a single review behind it.
        mismatches.extend(stored.into_values().map(|card| StateMismatch {
            card_id: card.card_id.clone(),
            stored: Some(card),
            replayed: None,
            kinds_differ: 0,
        }));
        mismatches.sort_by(|a, b| a.card_id.cmp(&b.card_id));
        Ok(mismatches)
    }

    /// Every stored card state, by card id.
    fn stored_states(&self) -> Result<BTreeMap<CardId, StoredCard>> {
        let mut statement = self
            .conn
            .prepare(&format!("SELECT {CARD_COLUMNS} FROM card_state"))?;
        let states = statement
            .query_map([], card_from_row)?
            .map(|card| card.map(|card| (card.card_id.clone(), card)))
            .collect::<rusqlite::Result<_>>()?;
        Ok(states)
    }

    /// Calls `f` with each card's reviews in time order (never empty), one card at a time:
    /// a million reviews held at once took 200 MiB.
    fn for_each_card_log(&self, mut f: impl FnMut(&[super::ReviewRecord])) -> Result<()> {
        let mut statement = self.conn.prepare(&format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log ORDER BY card_id, reviewed_at, id"
        ))?;
        let mut rows = statement.query([])?;
        let mut card_log: Vec<super::ReviewRecord> = Vec::new();
        while let Some(row) = rows.next()? {
            let review = review_from_row(row)?;
            if card_log
                .first()
                .is_some_and(|first| first.card_id != review.card_id)
            {
                f(&card_log);
                card_log.clear();
            }
            card_log.push(review);
        }
        if !card_log.is_empty() {
            f(&card_log);
        }
        Ok(())
    }

    /// Every card with reviews, with its number of reviews and the deck of the last one.
    pub fn logged_cards(&self) -> Result<Vec<LoggedCard>> {
        let mut statement = self.conn.prepare(
            "SELECT r.card_id,
                    (SELECT l.deck FROM review_log l WHERE l.card_id = r.card_id
                     ORDER BY l.reviewed_at DESC, l.id DESC LIMIT 1),
                    count(*)
             FROM review_log r GROUP BY r.card_id ORDER BY r.card_id",
        )?;
        let cards = statement
            .query_map([], |row| {
                Ok(LoggedCard {
                    card_id: row.get(0)?,
                    deck: deck_from_row(row, 1)?,
                    reviews: row.get::<_, i64>(2)?.max(0) as u64,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(cards)
    }

    /// How many reviews are recorded as taking longer than [`MAX_DURATION_MS`] (an older
    /// version accepted any time).
    pub fn overlong_durations(&self) -> Result<u64> {
        let count: i64 = self.conn.query_row(
            "SELECT count(*) FROM review_log WHERE duration_ms > ?1",
            [MAX_DURATION_MS as i64],
            |row| row.get(0),
        )?;
        Ok(count.max(0) as u64)
    }

    /// Counts every review time over [`MAX_DURATION_MS`] as that long, in the log and its
    /// totals; returns how many were changed.
    pub fn cap_durations(&mut self) -> Result<usize> {
        self.write(|tx| {
            let changed = tx.execute(
                "UPDATE review_log SET duration_ms = ?1 WHERE duration_ms > ?1",
                [MAX_DURATION_MS as i64],
            )?;
            if changed > 0 {
                super::totals::rebuild_totals(tx, None)?;
            }
            Ok(changed)
        })
    }

    /// Removes a state row whose card has no review and no manual action at all (what
    /// [`Store::replay_all`] cannot see, since it rebuilds the cards of the log). Reviews
    /// are never touched.
    pub fn drop_states_without_reviews(&mut self) -> Result<usize> {
        self.write(|tx| {
            Ok(tx.execute(
                "DELETE FROM card_state
                 WHERE card_id NOT IN (SELECT card_id FROM review_log)
                   AND card_id NOT IN (SELECT card_id FROM card_event)",
                [],
            )?)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Rating, SchedulerConfig};
    use crate::store::NewReview;

    fn scheduler() -> Scheduler {
        Scheduler::new(SchedulerConfig::default(), crate::schedule::Zone::utc()).unwrap()
    }

    fn answered(store: &mut Store, card: &str, minute: u32, rating: Rating) {
        let at = crate::clock::parse_instant(&format!("2026-03-01T09:{minute:02}:00Z")).unwrap();
        store
            .record_answer(
                &NewReview {
                    card_id: card.into(),
                    deck: Some("d".into()),
                    at,
                    rating,
                    duration_ms: 0,
                },
                &scheduler(),
            )
            .unwrap();
    }

    #[test]
    fn recorded_answers_match_their_replay_and_tampering_is_found_and_repaired() {
        let mut store = Store::open_in_memory().unwrap();
        answered(&mut store, "a", 0, Rating::Good);
        answered(&mut store, "a", 20, Rating::Again);
        answered(&mut store, "b", 1, Rating::Easy);
        assert_eq!(store.state_mismatches(&scheduler()).unwrap(), vec![]);
        assert_eq!(store.integrity_check().unwrap(), vec!["ok".to_string()]);

        store
            .conn
            .execute_batch(
                "UPDATE card_state SET reps = 9 WHERE card_id = 'a';
                 UPDATE review_log SET kind = 'review' WHERE card_id = 'b';
                 INSERT INTO card_state SELECT 'ghost', deck, state, phase, due, stability,
                   difficulty, reps, lapses, step, last_review, leech, suspended FROM card_state
                   WHERE card_id = 'b';",
            )
            .unwrap();
        let found = store.state_mismatches(&scheduler()).unwrap();
        let summary: Vec<(&str, bool, bool, usize)> = found
            .iter()
            .map(|m| {
                (
                    m.card_id.as_str(),
                    m.stored.is_some(),
                    m.replayed.is_some(),
                    m.kinds_differ,
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("a", true, true, 0),
                ("b", true, true, 1),
                ("ghost", true, false, 0)
            ]
        );
        assert_eq!(found[0].stored.as_ref().unwrap().state.reps, 9);
        assert_eq!(found[0].replayed.as_ref().unwrap().state.reps, 2);

        store.replay_all(&scheduler()).unwrap();
        assert_eq!(store.drop_states_without_reviews().unwrap(), 1);
        assert_eq!(store.state_mismatches(&scheduler()).unwrap(), vec![]);
        assert_eq!(store.review_count().unwrap(), 3);
        assert_eq!(
            store.logged_cards().unwrap(),
            [
                LoggedCard {
                    card_id: "a".into(),
                    deck: Some("d".into()),
                    reviews: 2
                },
                LoggedCard {
                    card_id: "b".into(),
                    deck: Some("d".into()),
                    reviews: 1
                }
            ]
        );
    }
}
