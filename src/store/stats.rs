//! Aggregate queries for `stats`: every number the statistics show is counted here, in SQL,
//! so that a log of a million reviews is never loaded into memory.
//!
//! Cards are attributed to decks by the catalog as it is now, not by the deck recorded with
//! their reviews (a card may have moved, a deck may be gone). The catalog's cards are loaded
//! into a temporary table once ([`Store::load_stats_cards`]) and the queries join against it.
//! A `deck: Option<&str>` argument narrows a query to the cards of that deck.
//!
//! Per-day numbers are never grouped by day in SQL: a day starts at the rollover hour of the
//! local clock, which SQLite does not know. Queries group by 15-minute buckets instead (every
//! real time zone offset is a multiple of 15 minutes, so a bucket never straddles two days),
//! and `crate::stats` maps each bucket to its day.

use rusqlite::params;

use super::{QueryOptional, Result, Store, from_millis};
use crate::schedule::{CardPhase, CardState};
use crate::stats::rows::{
    BUCKET_MS, DeckCardCounts, DeckQuiz, DeckToday, DueBucket, HardCard, MATURE_DAYS, OrphanCard,
    PassCount, QuizScore, ReviewBucket,
};

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Narrows a review-log query to the cards of `?N` (a deck name) unless it is NULL.
fn review_scope(param: usize) -> String {
    format!(
        "(?{param} IS NULL OR card_id IN (SELECT card_id FROM temp.stats_card WHERE deck = ?{param}))"
    )
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
        let tx = self.conn.unchecked_transaction()?;
        tx.execute("DELETE FROM temp.stats_card", [])?;
        {
            let mut insert = tx
                .prepare("INSERT OR IGNORE INTO temp.stats_card (card_id, deck) VALUES (?1, ?2)")?;
            for (card_id, deck) in cards {
                insert.execute([card_id, deck])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Reviews from `since_ms` until before `until_ms`, counted per 15-minute bucket, oldest
    /// first. With a deck, only reviews of its cards (needs [`Store::load_stats_cards`]).
    pub fn review_buckets(
        &self,
        since_ms: i64,
        until_ms: i64,
        deck: Option<&str>,
    ) -> Result<Vec<ReviewBucket>> {
        self.ensure_stats_cards()?;
        let sql = format!(
            "SELECT reviewed_at / {BUCKET_MS}, count(*), sum(rating >= 2), sum(duration_ms)
             FROM review_log
             WHERE reviewed_at >= ?1 AND reviewed_at < ?3 AND {}
             GROUP BY 1 ORDER BY 1",
            review_scope(2)
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        let buckets = statement
            .query_map(params![since_ms, deck, until_ms], |row| {
                Ok(ReviewBucket {
                    start_ms: row.get::<_, i64>(0)? * BUCKET_MS,
                    reviews: count(row.get(1)?),
                    passed: count(row.get(2)?),
                    duration_ms: count(row.get(3)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(buckets)
    }

    /// The time of the first review at or after `at_ms`. One index seek: walking the days
    /// with activity this way costs a seek per active day, where grouping the whole log
    /// would sort every review.
    pub fn first_review_at_or_after(&self, at_ms: i64, deck: Option<&str>) -> Result<Option<i64>> {
        self.ensure_stats_cards()?;
        let sql = format!(
            "SELECT reviewed_at FROM review_log
             WHERE reviewed_at >= ?1 AND {}
             ORDER BY reviewed_at LIMIT 1",
            review_scope(2)
        );
        let mut statement = self.conn.prepare_cached(&sql)?;
        Ok(statement
            .query_row(params![at_ms, deck], |row| row.get(0))
            .opt()?)
    }

    /// Every loaded deck's cards by state, in deck name order. A deck card without a stored
    /// state has never been answered: it is new.
    pub fn deck_card_counts(&self) -> Result<Vec<DeckCardCounts>> {
        self.ensure_stats_cards()?;
        let mature_ms = MATURE_DAYS * DAY_MS;
        let mut statement = self.conn.prepare_cached(
            "SELECT d.deck, count(*),
                    sum(cs.card_id IS NULL OR cs.state = 'new'),
                    sum(cs.state IN ('learning', 'relearning')),
                    sum(cs.state = 'review' AND cs.due - cs.last_review < ?1),
                    sum(cs.state = 'review' AND cs.due - cs.last_review >= ?1),
                    sum(cs.state = 'suspended'),
                    sum(coalesce(cs.leech, 0))
             FROM temp.stats_card d LEFT JOIN card_state cs ON cs.card_id = d.card_id
             GROUP BY d.deck ORDER BY d.deck",
        )?;
        let counts = statement
            .query_map([mature_ms], |row| {
                Ok(DeckCardCounts {
                    deck: row.get(0)?,
                    total: count(row.get(1)?),
                    new: count(row.get(2)?),
                    learning: count(row.get(3)?),
                    young: count(row.get(4)?),
                    mature: count(row.get(5)?),
                    suspended: count(row.get(6)?),
                    leeches: count(row.get(7)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(counts)
    }

    /// Per deck with anything to report: cards due by `now_ms` and due later before
    /// `day_end_ms` (suspended cards are never due), and cards whose first review is at or
    /// after `day_start_ms` (new cards introduced today). `+card_id` keeps SQLite from
    /// grouping through the (card_id, time) index, which would scan the whole log.
    pub fn deck_today(
        &self,
        now_ms: i64,
        day_start_ms: i64,
        day_end_ms: i64,
    ) -> Result<Vec<DeckToday>> {
        self.ensure_stats_cards()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT deck, sum(due_now), sum(due_later), sum(introduced) FROM (
                 SELECT d.deck AS deck, cs.due <= ?1 AS due_now, cs.due > ?1 AS due_later,
                        0 AS introduced
                 FROM card_state cs JOIN temp.stats_card d ON d.card_id = cs.card_id
                 WHERE cs.due < ?3 AND cs.state <> 'suspended'
                 UNION ALL
                 SELECT d.deck, 0, 0, 1
                 FROM (SELECT card_id FROM review_log WHERE reviewed_at >= ?2
                       GROUP BY +card_id) t
                 JOIN temp.stats_card d ON d.card_id = t.card_id
                 WHERE NOT EXISTS (SELECT 1 FROM review_log r
                                   WHERE r.card_id = t.card_id AND r.reviewed_at < ?2)
             )
             GROUP BY deck ORDER BY deck",
        )?;
        let rows = statement
            .query_map(params![now_ms, day_start_ms, day_end_ms], |row| {
                Ok(DeckToday {
                    deck: row.get(0)?,
                    due_now: count(row.get(1)?),
                    due_later: count(row.get(2)?),
                    introduced: count(row.get(3)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Cards due before `until_ms` per 15-minute bucket of their due time, with everything
    /// due before `floor_ms` (overdue) counted in the bucket of `floor_ms`. Suspended cards
    /// are not due.
    pub fn due_buckets(
        &self,
        floor_ms: i64,
        until_ms: i64,
        deck: Option<&str>,
    ) -> Result<Vec<DueBucket>> {
        self.ensure_stats_cards()?;
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT max(cs.due, ?1) / {BUCKET_MS}, count(*)
             FROM card_state cs JOIN temp.stats_card d ON d.card_id = cs.card_id
             WHERE cs.due < ?2 AND cs.state <> 'suspended' AND (?3 IS NULL OR d.deck = ?3)
             GROUP BY 1 ORDER BY 1"
        ))?;
        let buckets = statement
            .query_map(params![floor_ms, until_ms, deck], |row| {
                Ok(DueBucket {
                    start_ms: row.get::<_, i64>(0)? * BUCKET_MS,
                    cards: count(row.get(1)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(buckets)
    }

    /// Pass counts (rating Hard or better) of reviews given to cards in review state, from
    /// each of the given times until before `until_ms`, in one pass over the log.
    pub fn review_pass_counts<const N: usize>(
        &self,
        since_ms: [i64; N],
        until_ms: i64,
        deck: Option<&str>,
    ) -> Result<[PassCount; N]> {
        self.ensure_stats_cards()?;
        let mut result = [PassCount::default(); N];
        let Some(&earliest) = since_ms.iter().min() else {
            return Ok(result);
        };
        let columns: Vec<String> = (0..N)
            .map(|i| {
                let p = i + 4;
                format!("sum(reviewed_at >= ?{p}), sum(reviewed_at >= ?{p} AND rating >= 2)")
            })
            .collect();
        let sql = format!(
            "SELECT {} FROM review_log
             WHERE kind = 'review' AND reviewed_at >= ?1 AND reviewed_at < ?3 AND {}",
            columns.join(", "),
            review_scope(2)
        );
        let mut values: Vec<rusqlite::types::Value> = vec![
            earliest.into(),
            deck.map(str::to_string).into(),
            until_ms.into(),
        ];
        values.extend(since_ms.iter().map(|&ms| ms.into()));
        let mut statement = self.conn.prepare_cached(&sql)?;
        statement.query_row(rusqlite::params_from_iter(values), |row| {
            for (i, pass) in result.iter_mut().enumerate() {
                pass.reviews = count(row.get(2 * i)?);
                pass.passed = count(row.get(2 * i + 1)?);
            }
            Ok(())
        })?;
        Ok(result)
    }

    /// The memory of every deck card in review state (not suspended), for the average
    /// predicted recall. Only the columns FSRS needs are read.
    pub fn review_card_states(&self, deck: Option<&str>) -> Result<Vec<CardState>> {
        self.ensure_stats_cards()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT cs.due, cs.stability, cs.difficulty, cs.reps, cs.lapses, cs.last_review
             FROM card_state cs JOIN temp.stats_card d ON d.card_id = cs.card_id
             WHERE cs.state = 'review' AND (?1 IS NULL OR d.deck = ?1)",
        )?;
        let states = statement
            .query_map([deck], |row| {
                Ok(CardState {
                    phase: CardPhase::Review,
                    due: from_millis(row.get(0)?),
                    stability: row.get(1)?,
                    difficulty: row.get(2)?,
                    reps: row.get(3)?,
                    lapses: row.get(4)?,
                    step: 0,
                    last_review: row.get::<_, Option<i64>>(5)?.map(from_millis),
                    leech: false,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(states)
    }

    /// The `limit` deck cards that gave most trouble: most lapses first, then the lowest
    /// stability, among cards that reached review (learning cards have a low stability
    /// because they are new, not because they are hard).
    pub fn hardest_cards(&self, limit: u32, deck: Option<&str>) -> Result<Vec<HardCard>> {
        self.ensure_stats_cards()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT cs.card_id, d.deck, cs.lapses, cs.stability, cs.leech
             FROM card_state cs JOIN temp.stats_card d ON d.card_id = cs.card_id
             WHERE cs.phase IN ('review', 'relearning') AND (?2 IS NULL OR d.deck = ?2)
             ORDER BY cs.lapses DESC, cs.stability ASC, cs.card_id
             LIMIT ?1",
        )?;
        let cards = statement
            .query_map(params![limit, deck], |row| {
                Ok(HardCard {
                    card_id: row.get(0)?,
                    deck: row.get(1)?,
                    lapses: row.get(2)?,
                    stability: row.get(3)?,
                    leech: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(cards)
    }

    /// Per deck that has quiz results: how many quizzes, the latest, and the best (highest
    /// share right; among equal shares the one with more questions, then the latest).
    pub fn quiz_scores(&self, deck: Option<&str>) -> Result<Vec<DeckQuiz>> {
        let mut statement = self.conn.prepare_cached(
            "WITH ranked AS (
                 SELECT deck, correct, questions, taken_at,
                        count(*) OVER (PARTITION BY deck) AS taken,
                        row_number() OVER (PARTITION BY deck ORDER BY taken_at DESC, id DESC)
                            AS latest_rank,
                        row_number() OVER (PARTITION BY deck
                            ORDER BY CASE WHEN questions > 0
                                          THEN CAST(correct AS REAL) / questions END DESC,
                                     questions DESC, taken_at DESC, id DESC) AS best_rank
                 FROM quiz_result WHERE ?1 IS NULL OR deck = ?1
             )
             SELECT l.deck, l.taken, l.correct, l.questions, l.taken_at,
                    b.correct, b.questions, b.taken_at
             FROM ranked l JOIN ranked b ON b.deck = l.deck AND b.best_rank = 1
             WHERE l.latest_rank = 1
             ORDER BY l.deck",
        )?;
        let scores = statement
            .query_map([deck], |row| {
                Ok(DeckQuiz {
                    deck: row.get(0)?,
                    taken: count(row.get(1)?),
                    latest: QuizScore {
                        correct: row.get(2)?,
                        questions: row.get(3)?,
                        taken_at_ms: row.get(4)?,
                    },
                    best: QuizScore {
                        correct: row.get(5)?,
                        questions: row.get(6)?,
                        taken_at_ms: row.get(7)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(scores)
    }

    /// Reviewed cards that no loaded deck has, with their number of reviews. Every reviewed
    /// card has a stored state, so the states (not the log) are searched, and each orphan's
    /// reviews are counted through the (card, time) index.
    pub fn orphan_cards(&self) -> Result<Vec<OrphanCard>> {
        self.ensure_stats_cards()?;
        let mut statement = self.conn.prepare_cached(
            "SELECT cs.card_id, cs.deck,
                    (SELECT count(*) FROM review_log r WHERE r.card_id = cs.card_id)
             FROM card_state cs
             WHERE cs.card_id NOT IN (SELECT card_id FROM temp.stats_card)
             ORDER BY cs.card_id",
        )?;
        let orphans = statement
            .query_map([], |row| {
                Ok(OrphanCard {
                    card_id: row.get(0)?,
                    deck: row.get(1)?,
                    reviews: count(row.get(2)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(orphans)
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
        let scheduler = Scheduler::new(SchedulerConfig::default()).unwrap();
        let review = NewReview {
            card_id: card.to_string(),
            deck: deck.to_string(),
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
    fn queries_work_before_any_cards_are_loaded() {
        let store = Store::open_in_memory().unwrap();
        assert_eq!(store.review_buckets(0, i64::MAX, None).unwrap(), vec![]);
        assert_eq!(store.first_review_at_or_after(0, Some("x")).unwrap(), None);
        assert_eq!(store.deck_card_counts().unwrap(), vec![]);
        assert_eq!(
            store.review_pass_counts([0, 1], i64::MAX, None).unwrap(),
            [PassCount::default(); 2]
        );
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
            ReviewBucket {
                start_ms: start,
                reviews: 2,
                passed: 1,
                duration_ms: 2000
            }
        );
        let beta = store.review_buckets(0, i64::MAX, Some("beta")).unwrap();
        assert_eq!(beta.len(), 1);
        assert_eq!(beta[0].start_ms, start + 15 * 60_000);
        let later = start + 16 * 60_000;
        assert_eq!(
            store.first_review_at_or_after(later, None).unwrap(),
            Some(at("2026-03-01T10:20:00Z").timestamp_millis())
        );
        assert_eq!(
            store
                .first_review_at_or_after(later, Some("alpha"))
                .unwrap(),
            None
        );
    }

    #[test]
    fn deck_cards_are_counted_by_state_and_orphans_kept_apart() {
        let store = store_with_reviews();
        let counts = store.deck_card_counts().unwrap();
        assert_eq!(counts.len(), 2);
        assert_eq!(
            (
                counts[0].deck.as_str(),
                counts[0].total,
                counts[0].new,
                counts[0].learning
            ),
            ("alpha", 2, 1, 1)
        );
        // Easy on a new card graduates it with an interval of a few days: young.
        assert_eq!((counts[1].young, counts[1].mature), (1, 0));
        let orphans = store.orphan_cards().unwrap();
        assert_eq!(
            orphans,
            vec![OrphanCard {
                card_id: "gone".into(),
                deck: "old".into(),
                reviews: 1
            }]
        );
    }

    #[test]
    fn due_buckets_put_overdue_cards_in_the_first_bucket() {
        let store = store_with_reviews();
        let now = at("2026-03-05T12:00:00Z").timestamp_millis();
        let until = now + 30 * DAY_MS;
        let due = store.due_buckets(now, until, None).unwrap();
        let total: u64 = due.iter().map(|b| b.cards).sum();
        assert_eq!(total, 2, "a1 (learning) and b1 (review), not the orphan");
        assert_eq!(due[0].start_ms, now - now % BUCKET_MS);
    }

    #[test]
    fn new_cards_introduced_today_are_those_first_reviewed_today() {
        let store = store_with_reviews();
        let day_start = at("2026-03-01T10:10:00Z").timestamp_millis();
        let end = day_start + DAY_MS;
        let today = store.deck_today(end, day_start, end).unwrap();
        let beta = today.iter().find(|d| d.deck == "beta").unwrap();
        assert_eq!(beta.introduced, 1);
        let alpha = today.iter().find(|d| d.deck == "alpha").unwrap();
        assert_eq!((alpha.introduced, alpha.due_now), (0, 1));
    }

    #[test]
    fn pass_counts_only_count_reviews_of_cards_in_review() {
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
        let since_first = at("2026-03-02T00:00:00Z").timestamp_millis();
        let since_second = at("2026-03-15T00:00:00Z").timestamp_millis();
        let counts = store
            .review_pass_counts([since_first, since_second], i64::MAX, None)
            .unwrap();
        assert_eq!(
            counts,
            [
                PassCount {
                    reviews: 2,
                    passed: 1
                },
                PassCount {
                    reviews: 1,
                    passed: 0
                }
            ]
        );
        let hardest = store.hardest_cards(5, None).unwrap();
        assert_eq!(hardest[0].card_id, "b1");
        assert_eq!(hardest[0].lapses, 1);
        assert!(store.review_card_states(Some("alpha")).unwrap().is_empty());
    }

    #[test]
    fn quiz_scores_give_the_latest_and_the_best_per_deck() {
        let store = Store::open_in_memory().unwrap();
        let t = at("2026-03-01T10:00:00Z");
        store.record_quiz("alpha", t, 6, 10).unwrap();
        store
            .record_quiz("alpha", t + TimeDelta::hours(1), 9, 10)
            .unwrap();
        store
            .record_quiz("alpha", t + TimeDelta::hours(2), 7, 10)
            .unwrap();
        store.record_quiz("beta", t, 0, 0).unwrap();
        let scores = store.quiz_scores(None).unwrap();
        assert_eq!(scores.len(), 2);
        assert_eq!(scores[0].taken, 3);
        assert_eq!(scores[0].latest.correct, 7);
        assert_eq!(scores[0].best.correct, 9);
        assert_eq!(scores[1].best.questions, 0);
        assert_eq!(store.quiz_scores(Some("beta")).unwrap().len(), 1);
    }
}
