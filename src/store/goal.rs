//! The learner's goal of being ready by a date (`lupus-quiz plan`): one row at most, and
//! the median answer time its forecast turns answers into minutes with.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{OptionalExtension, params};

use super::{Result, Store, from_millis};

/// A goal as stored: its date (a calendar date, read as a study day), target recall, scope
/// (neither deck nor tag is every deck) and when it was set.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredGoal {
    pub date: NaiveDate,
    pub target: f64,
    pub deck: Option<String>,
    pub tag: Option<String>,
    pub set_at: DateTime<Utc>,
}

impl Store {
    /// The goal, if one is set (it may have ended: its date passed).
    pub fn goal(&self) -> Result<Option<StoredGoal>> {
        let row = self
            .conn
            .query_row(
                "SELECT date, target, deck, tag, set_at FROM goal WHERE id = 1",
                [],
                |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, f64>(1)?,
                        row.get::<_, Option<String>>(2)?,
                        row.get::<_, Option<String>>(3)?,
                        row.get::<_, i64>(4)?,
                    ))
                },
            )
            .optional()?;
        // A date this version cannot read is no goal (the next `plan --by` replaces it).
        Ok(row.and_then(|(date, target, deck, tag, set_at)| {
            Some(StoredGoal {
                date: NaiveDate::parse_from_str(&date, "%Y-%m-%d").ok()?,
                target,
                deck,
                tag,
                set_at: from_millis(set_at),
            })
        }))
    }

    /// Sets the goal, replacing any other.
    pub fn set_goal(&mut self, goal: &StoredGoal) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO goal (id, date, target, deck, tag, set_at) VALUES (1, ?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO UPDATE SET date = excluded.date, target = excluded.target,
                     deck = excluded.deck, tag = excluded.tag, set_at = excluded.set_at",
                params![
                    goal.date.format("%Y-%m-%d").to_string(),
                    goal.target,
                    goal.deck,
                    goal.tag,
                    goal.set_at.timestamp_millis()
                ],
            )?;
            Ok(())
        })
    }

    /// Removes the goal; returns whether there was one.
    pub fn clear_goal(&mut self) -> Result<bool> {
        self.write(|tx| Ok(tx.execute("DELETE FROM goal", [])? > 0))
    }

    /// The median time of the learner's timed answers, in milliseconds (`None` before any).
    pub fn median_answer_ms(&self) -> Result<Option<i64>> {
        Ok(self
            .conn
            .query_row(
                "SELECT duration_ms FROM review_log WHERE duration_ms > 0 ORDER BY duration_ms
                 LIMIT 1 OFFSET (SELECT count(*) / 2 FROM review_log WHERE duration_ms > 0)",
                [],
                |row| row.get(0),
            )
            .optional()?)
    }
}
