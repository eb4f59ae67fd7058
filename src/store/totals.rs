//! Review totals per 15-minute bucket (`review_totals`, migration 2): how many reviews, how
//! many passed, how long they took, and the same counts for reviews of cards in review state
//! (true retention). `stats` reads these instead of the log: a year of activity is at most
//! 35,040 rows, where the log may hold hundreds of thousands of reviews for that year.
//!
//! The totals are a cache of the log, like card states, and every write of the log keeps
//! them equal to it: an answer adds to its bucket, an undo takes away, a replay that
//! changes a review's kind moves it between the kind counts, and bulk writes (imports,
//! replaying every card) rebuild the buckets they touched from the log in one statement,
//! which is far cheaper than a million single updates. `doctor` compares them with the log,
//! and `doctor --repair` rebuilds them (with every card state).

use std::collections::BTreeMap;

use rusqlite::{Transaction, params};

use super::rows::MAX_DURATION_MS;
use super::{Result, Store};
use crate::schedule::ReviewKind;

/// The width of a time bucket: 15 minutes in milliseconds. Every real time zone offset is a
/// multiple of it, so a bucket never straddles two study days.
pub const BUCKET_MS: i64 = 15 * 60 * 1000;

/// The review totals of a stretch of time (a bucket, a day, a year): the one type for these
/// five counts, whether stored, read or summed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewTotals {
    pub reviews: u64,
    /// Reviews rated Hard or better.
    pub passed: u64,
    pub duration_ms: u64,
    /// Reviews of cards in review state (true retention), and how many of them passed.
    pub review_reviews: u64,
    pub review_passed: u64,
}

impl std::ops::AddAssign for ReviewTotals {
    /// Saturating: a log written by an older version may hold absurd durations.
    fn add_assign(&mut self, other: Self) {
        self.reviews = self.reviews.saturating_add(other.reviews);
        self.passed = self.passed.saturating_add(other.passed);
        self.duration_ms = self.duration_ms.saturating_add(other.duration_ms);
        self.review_reviews = self.review_reviews.saturating_add(other.review_reviews);
        self.review_passed = self.review_passed.saturating_add(other.review_passed);
    }
}

impl ReviewTotals {
    /// The totals of one review.
    pub(super) fn of_review(rating: u8, duration_ms: i64, is_review: bool) -> ReviewTotals {
        let passed = u64::from(rating >= 2);
        let review = u64::from(is_review);
        ReviewTotals {
            reviews: 1,
            passed,
            duration_ms: duration_ms.clamp(0, MAX_DURATION_MS as i64) as u64,
            review_reviews: review,
            review_passed: review * passed,
        }
    }
}

/// The totals of one 15-minute bucket, as `stats` reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TotalsBucket {
    /// The bucket's first millisecond.
    pub start_ms: i64,
    pub totals: ReviewTotals,
}

/// The bucket of `reviewed_at` in SQL: the time divided by 15 minutes, rounded down even
/// before 1970 (SQLite's `/` rounds toward zero). Must agree with [`bucket_of`] and with
/// migration 2.
pub(super) const BUCKET_OF_REVIEWED_AT: &str =
    "((reviewed_at - ((reviewed_at % 900000) + 900000) % 900000) / 900000)";

/// The bucket of a time in milliseconds.
pub(super) fn bucket_of(at_ms: i64) -> i64 {
    at_ms.div_euclid(BUCKET_MS)
}

/// Whether a review counts as a review of a card in review state.
fn is_review(kind: ReviewKind) -> i64 {
    i64::from(kind == ReviewKind::Review)
}

/// Adds counts (`?2` to `?6`, which may be negative) to bucket `?1`, making it if new.
const ADD_TO_BUCKET: &str = "INSERT INTO review_totals
         (bucket, reviews, passed, duration_ms, review_reviews, review_passed)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
     ON CONFLICT (bucket) DO UPDATE SET
         reviews = reviews + excluded.reviews,
         passed = passed + excluded.passed,
         duration_ms = duration_ms + excluded.duration_ms,
         review_reviews = review_reviews + excluded.review_reviews,
         review_passed = review_passed + excluded.review_passed";

/// A review as the review totals count it.
#[derive(Debug, Clone, Copy)]
pub(super) struct CountedReview {
    pub at_ms: i64,
    pub rating: u8,
    pub duration_ms: i64,
    pub kind: ReviewKind,
}

/// Adds one review to its bucket (`sign` 1), or takes it away (`sign` -1). A bucket left
/// without reviews is removed.
pub(super) fn count_review(tx: &Transaction<'_>, review: CountedReview, sign: i64) -> Result<()> {
    let passed = i64::from(review.rating >= 2);
    let kind_review = is_review(review.kind);
    let bucket = bucket_of(review.at_ms);
    tx.prepare_cached(ADD_TO_BUCKET)?.execute(params![
        bucket,
        sign,
        sign * passed,
        sign * review.duration_ms,
        sign * kind_review,
        sign * kind_review * passed,
    ])?;
    if sign < 0 {
        tx.prepare_cached("DELETE FROM review_totals WHERE bucket = ?1 AND reviews <= 0")?
            .execute([bucket])?;
    }
    Ok(())
}

/// Adds totals to their buckets: those of the reviews an import just stored, when every
/// review was stored with its final kind (it counts them as it stores them, instead of
/// recounting the log from its earliest review: a million rows for a fresh import, issue
/// 18), and those a rebuild counted.
pub(super) fn add_totals(tx: &Transaction<'_>, added: &BTreeMap<i64, ReviewTotals>) -> Result<()> {
    let stored = |count: u64| i64::try_from(count).unwrap_or(i64::MAX);
    let mut add = tx.prepare_cached(ADD_TO_BUCKET)?;
    for (bucket, t) in added {
        add.execute(params![
            bucket,
            stored(t.reviews),
            stored(t.passed),
            stored(t.duration_ms),
            stored(t.review_reviews),
            stored(t.review_passed)
        ])?;
    }
    Ok(())
}

/// Moves one review between the kind counts of its bucket after a replay changed its kind.
pub(super) fn change_kind(
    tx: &Transaction<'_>,
    at_ms: i64,
    rating: u8,
    from: ReviewKind,
    to: ReviewKind,
) -> Result<()> {
    let change = is_review(to) - is_review(from);
    if change == 0 {
        return Ok(());
    }
    tx.prepare_cached(
        "UPDATE review_totals
         SET review_reviews = review_reviews + ?2, review_passed = review_passed + ?3
         WHERE bucket = ?1",
    )?
    .execute(params![
        bucket_of(at_ms),
        change,
        change * i64::from(rating >= 2)
    ])?;
    Ok(())
}

/// Recounts every bucket from the one holding `since_ms` on (all of them with `None`) from
/// the log. The counting is done here rather than by a `GROUP BY` in SQL, which would sort
/// a million reviews in a temporary table (36 MiB more memory during a large import); a
/// bucket map of two years is about 70,000 entries.
pub(super) fn rebuild_totals(tx: &Transaction<'_>, since_ms: Option<i64>) -> Result<()> {
    let first_bucket = since_ms.map_or(i64::MIN, bucket_of);
    let mut buckets: BTreeMap<i64, ReviewTotals> = BTreeMap::new();
    {
        // Without a start, the whole table is read in storage order, the fastest way.
        let (sql, from_ms) = match since_ms {
            None => (
                "SELECT reviewed_at, rating, duration_ms, kind = 'review' FROM review_log",
                i64::MIN,
            ),
            // From the first millisecond of that bucket, so it is counted whole.
            Some(_) => (
                "SELECT reviewed_at, rating, duration_ms, kind = 'review' FROM review_log
                 WHERE reviewed_at >= ?1",
                first_bucket.saturating_mul(BUCKET_MS),
            ),
        };
        let mut statement = tx.prepare(sql)?;
        let mut rows = if since_ms.is_some() {
            statement.query([from_ms])?
        } else {
            statement.query([])?
        };
        while let Some(row) = rows.next()? {
            let rating = row.get::<_, i64>(1)?.clamp(0, 4) as u8;
            *buckets.entry(bucket_of(row.get(0)?)).or_default() +=
                ReviewTotals::of_review(rating, row.get(2)?, row.get(3)?);
        }
    }
    tx.execute(
        "DELETE FROM review_totals WHERE bucket >= ?1",
        [first_bucket],
    )?;
    // Those buckets are gone: adding to them writes them afresh.
    add_totals(tx, &buckets)
}

impl Store {
    /// How many buckets of the stored totals differ from a count of the log (missing,
    /// extra or with other numbers). Zero for a sound file.
    pub fn totals_mismatches(&self) -> Result<u64> {
        let sql = format!(
            "SELECT count(*)
             FROM (SELECT {BUCKET_OF_REVIEWED_AT} AS bucket, count(*) AS reviews,
                          sum(rating >= 2) AS passed,
                          sum(min(max(duration_ms, 0), {MAX_DURATION_MS})) AS duration_ms,
                          sum(kind = 'review') AS review_reviews,
                          sum(kind = 'review' AND rating >= 2) AS review_passed
                   FROM review_log GROUP BY 1) AS counted
             FULL JOIN review_totals AS stored ON stored.bucket = counted.bucket
             WHERE counted.bucket IS NULL OR stored.bucket IS NULL
                OR stored.reviews IS NOT counted.reviews OR stored.passed IS NOT counted.passed
                OR stored.duration_ms IS NOT counted.duration_ms
                OR stored.review_reviews IS NOT counted.review_reviews
                OR stored.review_passed IS NOT counted.review_passed"
        );
        let differing: i64 = self.conn.query_row(&sql, [], |row| row.get(0))?;
        Ok(differing.max(0) as u64)
    }
}
