//! Queries for `stats`: nothing here loads the review log into memory.
//!
//! Numbers over all decks come from the review totals (`totals.rs`), a few thousand rows
//! for a year. Numbers of one deck come from the log itself, narrowed to that deck's cards:
//! the caller loads them into a temporary table first ([`Store::load_stats_cards`]), and
//! the (card, time) index finds their reviews. Cards are attributed to decks by the catalog
//! as it is now, not by the deck recorded with their reviews (a card may have moved, a deck
//! may be gone), so card states are handed to `stats` to sort into decks itself.
//!
//! Per-day numbers are never grouped by day in SQL: a day starts at the rollover hour of the
//! local clock, which SQLite does not know. Queries group by 15-minute buckets instead (every
//! real time zone offset is a multiple of 15 minutes, so a bucket never straddles two days),
//! and `crate::stats` maps each bucket to its day.

use rusqlite::params;

use super::rows::{CARD_COLUMNS, MAX_DURATION_MS, borrowed_text, card_state_from_row};
use super::totals::{BUCKET_MS, BUCKET_OF_REVIEWED_AT, ReviewTotals, TotalsBucket, bucket_of};
use super::{QueryOptional, Result, Store};
use crate::ids::DeckName;
use crate::schedule::CardState;

/// A stored card state, borrowed from the row being read.
#[derive(Debug, Clone)]
pub struct CardRow<'a> {
    pub card_id: &'a str,
    /// The deck of its last review; `None` when it was in no deck.
    pub deck: Option<&'a str>,
    pub suspended: bool,
    pub state: CardState,
}

/// One quiz score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuizScore {
    pub correct: u32,
    /// The questions answered.
    pub questions: u32,
    /// The questions the quiz was to ask: more than `questions` when it ended early.
    pub planned: u32,
    pub taken_at_ms: i64,
}

impl QuizScore {
    /// Whether the quiz ended before its last question.
    pub fn ended_early(&self) -> bool {
        self.questions < self.planned
    }
}

/// A deck's latest and best quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckQuiz {
    pub deck: DeckName,
    pub taken: u64,
    pub latest: QuizScore,
    /// The best of the quizzes taken to their end; `None` when every one ended early.
    pub best: Option<QuizScore>,
}

/// A count from SQL: `sum()` over no rows, or over NULLs of an outer join, is NULL.
fn count(value: Option<i64>) -> u64 {
    value.unwrap_or(0).max(0) as u64
}

impl Store {
    /// Creates the (empty) temporary table of deck cards if this connection has none yet, so
    /// that queries naming it can always be prepared.
    fn ensure_stats_cards(&self) -> Result<()> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS stats_card (
                 card_id TEXT PRIMARY KEY NOT NULL,
                 deck    TEXT NOT NULL
             ) WITHOUT ROWID",
        )?;
        Ok(())
    }

    /// Loads the catalog's (card id, deck) pairs for the queries below, replacing any loaded
    /// before. The table is temporary: nothing is written to the database file.
    pub fn load_stats_cards<'a>(
        &self,
        cards: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<()> {
        self.ensure_stats_cards()?;
        let fill = || -> Result<()> {
            self.conn.execute("DELETE FROM temp.stats_card", [])?;
            let mut insert = self
                .conn
                .prepare("INSERT OR IGNORE INTO temp.stats_card (card_id, deck) VALUES (?1, ?2)")?;
            for (card_id, deck) in cards {
                insert.execute([card_id, deck])?;
            }
            Ok(())
        };
        // In one transaction, unless the caller's (a report's read) holds one already.
        if !self.conn.is_autocommit() {
            return fill();
        }
        let tx = self.conn.unchecked_transaction()?;
        fill()?;
        tx.commit()?;
        Ok(())
    }

    /// Reviews from `since_ms` until before `until_ms`, counted per 15-minute bucket, oldest
    /// first. Over all decks the totals are read whole buckets at a time, so both times
    /// should be bucket boundaries (days start on one). With a deck, only reviews of its
    /// cards (needs [`Store::load_stats_cards`]).
    pub fn review_buckets(
        &self,
        since_ms: i64,
        until_ms: i64,
        deck: Option<&str>,
    ) -> Result<Vec<TotalsBucket>> {
        self.ensure_stats_cards()?;
        let bucket = |row: &rusqlite::Row<'_>| {
            Ok(TotalsBucket {
                start_ms: row.get::<_, i64>(0)? * BUCKET_MS,
                totals: ReviewTotals {
                    reviews: count(row.get(1)?),
                    passed: count(row.get(2)?),
                    duration_ms: count(row.get(3)?),
                    review_reviews: count(row.get(4)?),
                    review_passed: count(row.get(5)?),
                },
            })
        };
        let buckets = match deck {
            None => self
                .conn
                .prepare_cached(
                    "SELECT bucket, reviews, passed, duration_ms, review_reviews, review_passed
                     FROM review_totals WHERE bucket >= ?1 AND bucket < ?2 ORDER BY bucket",
                )?
                .query_map(params![bucket_of(since_ms), bucket_of(until_ms)], bucket)?
                .collect::<rusqlite::Result<_>>()?,
            Some(deck) => self
                .conn
                .prepare_cached(&format!(
                    "SELECT {BUCKET_OF_REVIEWED_AT}, count(*), sum(rating >= 2),
                            sum(min(max(duration_ms, 0), {MAX_DURATION_MS})),
                            sum(kind = 'review'), sum(kind = 'review' AND rating >= 2)
                     FROM review_log
                     WHERE reviewed_at >= ?1 AND reviewed_at < ?2
                       AND card_id IN (SELECT card_id FROM temp.stats_card WHERE deck = ?3)
                     GROUP BY 1 ORDER BY 1"
                ))?
                .query_map(params![since_ms, until_ms, deck], bucket)?
                .collect::<rusqlite::Result<_>>()?,
        };
        Ok(buckets)
    }

    /// The start of the first 15-minute bucket with a review at or after `at_ms` (the time
    /// itself when it falls in that bucket), over all decks. One seek in the review totals:
    /// walking the days with activity this way costs a seek per active day.
    pub fn first_review_at_or_after(&self, at_ms: i64) -> Result<Option<i64>> {
        let found: Option<i64> = self
            .conn
            .prepare_cached(&format!(
                "SELECT bucket * {BUCKET_MS} FROM review_totals
                 WHERE bucket >= ?1 ORDER BY bucket LIMIT 1"
            ))?
            .query_row([bucket_of(at_ms)], |row| row.get(0))
            .opt()?;
        Ok(found.map(|at| at.max(at_ms)))
    }

    /// Calls `f` with every stored card state, in no particular order, borrowing each row
    /// (45,000 states are read without copying an id). `stats` sorts them into decks itself,
    /// with a map of the catalog, which is cheaper than a temporary table to join against.
    pub fn for_each_card_state(&self, mut f: impl FnMut(CardRow<'_>)) -> Result<()> {
        let mut statement = self
            .conn
            .prepare_cached(&format!("SELECT {CARD_COLUMNS} FROM card_state"))?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let (suspended, state) = card_state_from_row(row)?;
            f(CardRow {
                card_id: borrowed_text(row, 0)?,
                deck: Some(borrowed_text(row, 1)?).filter(|deck| !deck.is_empty()),
                suspended,
                state,
            });
        }
        Ok(())
    }

    /// The number of reviews of each card, through the (card, time) index.
    pub fn review_counts(&self, card_ids: &[&str]) -> Result<Vec<u64>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT count(*) FROM review_log WHERE card_id = ?1")?;
        card_ids
            .iter()
            .map(|id| Ok(count(statement.query_row([id], |row| row.get(0))?)))
            .collect()
    }

    /// How many learning or relearning steps each card failed (Again) since it last was in
    /// review (all its learning answers for a card never in review), through the (card,
    /// time) index: what a card in steps struggles with that its lapses do not count.
    pub fn failed_steps(&self, card_ids: &[&str]) -> Result<Vec<u64>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT count(*) FROM review_log
             WHERE card_id = ?1 AND rating = 1 AND kind IN ('learning', 'relearning')
               AND reviewed_at > coalesce(
                   (SELECT max(reviewed_at) FROM review_log
                    WHERE card_id = ?1 AND kind = 'review'),
                   -9223372036854775808)",
        )?;
        card_ids
            .iter()
            .map(|id| Ok(count(statement.query_row([id], |row| row.get(0))?)))
            .collect()
    }

    /// Per deck that has quiz results: how many quizzes, the latest, and the best (highest
    /// share right; among equal shares the one with more questions, then the latest). A
    /// quiz ended early is never the best: a one-question 100% is not a score to beat.
    pub fn quiz_scores(&self, deck: Option<&str>) -> Result<Vec<DeckQuiz>> {
        let mut statement = self.conn.prepare_cached(
            "WITH results AS (
                 SELECT id, deck, correct, questions, taken_at,
                        coalesce(planned, questions) AS planned,
                        coalesce(planned, questions) > questions AS ended_early
                 FROM quiz_result WHERE ?1 IS NULL OR deck = ?1
             ),
             ranked AS (
                 SELECT deck, correct, questions, planned, taken_at,
                        count(*) OVER (PARTITION BY deck) AS taken,
                        row_number() OVER (PARTITION BY deck ORDER BY taken_at DESC, id DESC)
                            AS latest_rank,
                        CASE WHEN NOT ended_early THEN row_number() OVER (
                            PARTITION BY deck
                            ORDER BY ended_early,
                                     CASE WHEN questions > 0
                                          THEN CAST(correct AS REAL) / questions END DESC,
                                     questions DESC, taken_at DESC, id DESC) END AS best_rank
                 FROM results
             )
             SELECT l.deck, l.taken, l.correct, l.questions, l.planned, l.taken_at,
                    b.correct, b.questions, b.planned, b.taken_at
             FROM ranked l LEFT JOIN ranked b ON b.deck = l.deck AND b.best_rank = 1
             WHERE l.latest_rank = 1
             ORDER BY l.deck",
        )?;
        let scores = statement
            .query_map([deck], |row| {
                let best = match row.get::<_, Option<u32>>(6)? {
                    Some(correct) => Some(QuizScore {
                        correct,
                        questions: row.get(7)?,
                        planned: row.get(8)?,
                        taken_at_ms: row.get(9)?,
                    }),
                    None => None,
                };
                Ok(DeckQuiz {
                    deck: row.get(0)?,
                    taken: count(row.get(1)?),
                    latest: QuizScore {
                        correct: row.get(2)?,
                        questions: row.get(3)?,
                        planned: row.get(4)?,
                        taken_at_ms: row.get(5)?,
                    },
                    best,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(scores)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, TimeDelta, Utc};

    use super::*;
    use crate::schedule::{Rating, Scheduler, SchedulerConfig};
    use crate::store::NewReview;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().to_utc()
    }

    fn answer(store: &mut Store, card: &str, deck: &str, when: &str, rating: Rating) {
        let scheduler =
            Scheduler::new(SchedulerConfig::default(), crate::schedule::Zone::utc()).unwrap();
        let review = NewReview {
            card_id: card.into(),
            deck: Some(deck.into()),
            at: at(when),
            rating,
            duration_ms: 1000,
        };
        store.record_answer(&review, &scheduler).unwrap();
    }

    fn store_with_reviews() -> Store {
        let mut store = Store::open_in_memory().unwrap();
        store
            .load_stats_cards([("a1", "alpha"), ("a2", "alpha"), ("b1", "beta")])
            .unwrap();
        answer(
            &mut store,
            "a1",
            "alpha",
            "2026-03-01T10:00:00Z",
            Rating::Good,
        );
        answer(
            &mut store,
            "a1",
            "alpha",
            "2026-03-01T10:05:00Z",
            Rating::Again,
        );
        answer(
            &mut store,
            "b1",
            "beta",
            "2026-03-01T10:20:00Z",
            Rating::Easy,
        );
        answer(
            &mut store,
            "gone",
            "old",
            "2026-03-01T10:40:00Z",
            Rating::Good,
        );
        store
    }

    #[test]
    fn queries_work_on_an_empty_store() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.review_buckets(0, i64::MAX, None).unwrap(), vec![]);
        assert_eq!(
            store.review_buckets(0, i64::MAX, Some("x")).unwrap(),
            vec![]
        );
        assert_eq!(store.first_review_at_or_after(0).unwrap(), None);
        let mut rows = 0;
        store.for_each_card_state(|_| rows += 1).unwrap();
        assert_eq!(rows, 0);
    }

    #[test]
    fn review_buckets_group_by_quarter_hour_and_follow_the_deck() {
        let store = store_with_reviews();
        let start = at("2026-03-01T10:00:00Z").timestamp_millis();
        let all = store.review_buckets(0, i64::MAX, None).unwrap();
        let starts: Vec<i64> = all.iter().map(|b| b.start_ms - start).collect();
        assert_eq!(starts, vec![0, 15 * 60_000, 30 * 60_000]);
        assert_eq!(
            all[0],
            TotalsBucket {
                start_ms: start,
                totals: ReviewTotals {
                    reviews: 2,
                    passed: 1,
                    duration_ms: 2000,
                    review_reviews: 0,
                    review_passed: 0,
                },
            }
        );
        let beta = store.review_buckets(0, i64::MAX, Some("beta")).unwrap();
        assert_eq!(beta.len(), 1);
        assert_eq!(beta[0].start_ms, start + 15 * 60_000);
        // The deck's numbers, counted from the log, agree with the totals' for its bucket.
        assert_eq!(beta[0], all[1]);
        let later = start + 16 * 60_000;
        assert_eq!(
            store.first_review_at_or_after(later).unwrap(),
            Some(later),
            "the bucket of 10:15 holds the review at 10:20"
        );
        assert_eq!(
            store.first_review_at_or_after(start + 31 * 60_000).unwrap(),
            Some(start + 31 * 60_000)
        );
        assert_eq!(
            store.first_review_at_or_after(start + 45 * 60_000).unwrap(),
            None
        );
    }

    #[test]
    fn review_kinds_are_counted_for_true_retention() {
        let mut store = store_with_reviews();
        // b1 graduated with Easy: its next answers are reviews.
        answer(
            &mut store,
            "b1",
            "beta",
            "2026-03-09T10:00:00Z",
            Rating::Good,
        );
        answer(
            &mut store,
            "b1",
            "beta",
            "2026-03-20T10:00:00Z",
            Rating::Again,
        );
        let since = at("2026-03-02T00:00:00Z").timestamp_millis();
        for deck in [None, Some("beta")] {
            let buckets = store.review_buckets(since, i64::MAX, deck).unwrap();
            let review: Vec<(u64, u64)> = buckets
                .iter()
                .map(|b| (b.totals.review_reviews, b.totals.review_passed))
                .collect();
            assert_eq!(review, vec![(1, 1), (1, 0)], "{deck:?}");
        }
    }

    #[test]
    fn card_states_are_read_with_their_last_deck_and_reviews_counted() {
        let store = store_with_reviews();
        let mut seen = Vec::new();
        store
            .for_each_card_state(|row| {
                seen.push((
                    row.card_id.to_string(),
                    row.deck.unwrap_or_default().to_string(),
                    row.state.reps,
                ))
            })
            .unwrap();
        seen.sort();
        assert_eq!(
            seen,
            vec![
                ("a1".to_string(), "alpha".to_string(), 2),
                ("b1".to_string(), "beta".to_string(), 1),
                ("gone".to_string(), "old".to_string(), 1),
            ]
        );
        assert_eq!(
            store.review_counts(&["a1", "gone", "never"]).unwrap(),
            vec![2, 1, 0]
        );
    }

    /// A quiz of `correct` right of `questions` asked, `planned` planned.
    fn quiz(
        deck: &str,
        taken_at: DateTime<Utc>,
        correct: u32,
        questions: u32,
        planned: u32,
    ) -> crate::store::QuizRecord {
        crate::store::QuizRecord {
            deck: deck.into(),
            taken_at,
            correct,
            questions,
            planned,
        }
    }

    #[test]
    fn quiz_scores_give_the_latest_and_the_best_per_deck() {
        let store = Store::open_in_memory().unwrap();
        let t = at("2026-03-01T10:00:00Z");
        for (deck, hours, correct, questions) in [
            ("alpha", 0, 6, 10),
            ("alpha", 1, 9, 10),
            ("alpha", 2, 7, 10),
            ("beta", 0, 0, 0),
        ] {
            let taken_at = t + TimeDelta::hours(hours);
            store
                .record_quiz(&quiz(deck, taken_at, correct, questions, questions))
                .unwrap();
        }
        let scores = store.quiz_scores(None).unwrap();
        assert_eq!(scores.len(), 2);
        assert_eq!(scores[0].taken, 3);
        assert_eq!(scores[0].latest.correct, 7);
        assert_eq!(scores[0].best.unwrap().correct, 9);
        assert_eq!(scores[1].best.unwrap().questions, 0);
        assert_eq!(store.quiz_scores(Some("beta")).unwrap().len(), 1);
    }

    #[test]
    fn a_quiz_ended_early_is_the_latest_but_never_the_best() {
        let store = Store::open_in_memory().unwrap();
        let t = at("2026-03-01T10:00:00Z");
        store.record_quiz(&quiz("alpha", t, 1, 1, 5)).unwrap();
        let only_early = &store.quiz_scores(None).unwrap()[0];
        assert!(only_early.latest.ended_early());
        assert_eq!(only_early.best, None, "no quiz was taken to its end");

        store
            .record_quiz(&quiz("alpha", t + TimeDelta::hours(1), 3, 5, 5))
            .unwrap();
        store
            .record_quiz(&quiz("alpha", t + TimeDelta::hours(2), 2, 2, 5))
            .unwrap();
        let scores = &store.quiz_scores(None).unwrap()[0];
        assert_eq!(scores.taken, 3);
        assert!(scores.latest.ended_early());
        assert_eq!((scores.latest.correct, scores.latest.planned), (2, 5));
        let best = scores.best.unwrap();
        assert_eq!(
            (best.correct, best.questions),
            (3, 5),
            "60% taken whole beats 100% of 2"
        );
        assert!(!best.ended_early());
    }

    #[test]
    fn failed_steps_count_the_agains_of_the_steps_a_card_is_in_now() {
        let mut store = Store::open_in_memory().unwrap();
        // Failed once while learning, graduated, lapsed, then failed a relearning step.
        for (when, rating) in [
            ("2026-03-01T10:00:00Z", Rating::Again),
            ("2026-03-01T10:01:00Z", Rating::Good),
            ("2026-03-01T10:11:00Z", Rating::Good),
            ("2026-03-05T10:00:00Z", Rating::Again),
            ("2026-03-05T10:10:00Z", Rating::Again),
        ] {
            answer(&mut store, "relearns", "d", when, rating);
        }
        answer(
            &mut store,
            "learns",
            "d",
            "2026-03-05T10:00:00Z",
            Rating::Again,
        );
        answer(
            &mut store,
            "learns",
            "d",
            "2026-03-05T10:01:00Z",
            Rating::Again,
        );
        assert_eq!(
            store
                .failed_steps(&["relearns", "learns", "unknown"])
                .unwrap(),
            vec![1, 2, 0]
        );
    }
}
