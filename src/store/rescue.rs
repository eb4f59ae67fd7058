//! Reading what a damaged database still holds (`export` of a damaged file): the review
//! log row by row, by ranges of its row ids, so that a damaged page (of the log itself or
//! of an index over it) costs only the rows on it, never the whole export.

use super::rows::{REVIEW_COLUMNS, review_from_row};
use super::{ReviewRecord, Store};

/// Row ids read with one statement; a range that fails is read again one row at a time.
const RANGE: i64 = 256;

/// What [`Store::rescue_reviews`] could read.
#[derive(Debug, Default)]
pub struct RescuedReviews {
    /// The readable reviews, in time order.
    pub reviews: Vec<ReviewRecord>,
    /// Row ids that gave an error when read alone (a damaged page): reviews lost, or the
    /// gaps between them on that page.
    pub unreadable_rows: u64,
    /// How many reviews the log held, by the review totals kept beside it (`None` when
    /// those cannot be read either).
    pub expected: Option<u64>,
}

impl RescuedReviews {
    /// How many reviews could not be read: by the totals when they can be read, else the
    /// rows that failed.
    pub fn lost(&self) -> u64 {
        match self.expected {
            Some(expected) => expected.saturating_sub(self.reviews.len() as u64),
            None => self.unreadable_rows,
        }
    }
}

impl Store {
    /// Every review that can still be read, without any index, skipping damaged pages.
    pub fn rescue_reviews(&self) -> RescuedReviews {
        let bound = |sql: &str| -> Option<i64> {
            self.conn
                .query_row(sql, [], |row| row.get::<_, Option<i64>>(0))
                .ok()
                .flatten()
        };
        // Past a damaged last page, the highest id is guessed from the file's size: no row
        // of the log is shorter than 16 bytes.
        let last = bound("SELECT max(id) FROM review_log").unwrap_or_else(|| {
            bound("SELECT page_count * page_size / 16 FROM pragma_page_count, pragma_page_size")
                .unwrap_or(0)
        });
        let first = bound("SELECT min(id) FROM review_log").unwrap_or(1).min(1);
        let mut rescued = RescuedReviews {
            expected: bound("SELECT sum(reviews) FROM review_totals").map(|n| n.max(0) as u64),
            ..RescuedReviews::default()
        };
        let select = format!(
            "SELECT {REVIEW_COLUMNS} FROM review_log NOT INDEXED WHERE id BETWEEN ?1 AND ?2"
        );
        let read = |from: i64, to: i64| -> rusqlite::Result<Vec<ReviewRecord>> {
            let mut statement = self.conn.prepare_cached(&select)?;
            statement.query_map([from, to], review_from_row)?.collect()
        };
        let mut from = first;
        while from <= last {
            let to = from.saturating_add(RANGE - 1).min(last);
            match read(from, to) {
                Ok(rows) => rescued.reviews.extend(rows),
                Err(_) => {
                    for id in from..=to {
                        match read(id, id) {
                            Ok(rows) => rescued.reviews.extend(rows),
                            Err(_) => rescued.unreadable_rows += 1,
                        }
                    }
                }
            }
            from = to.saturating_add(1);
        }
        rescued.reviews.sort_by_key(|review| (review.at, review.id));
        rescued
    }
}
