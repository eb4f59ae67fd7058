//! Quiz results: recording one when a quiz ends and reading them all back (for `export`).
//! `stats.rs` sums them into scores, and `import.rs` merges a progress file's.
//!
//! Apart from `mod.rs`, which opens and guards the file, because they are one table with
//! its own reader and writer, like the review log's in `reviews.rs`.

use chrono::{DateTime, Utc};

use super::{Result, Store, classify, from_millis};
use crate::ids::DeckName;

/// One quiz result as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuizRecord {
    pub deck: DeckName,
    pub taken_at: DateTime<Utc>,
    pub correct: u32,
    /// The questions answered.
    pub questions: u32,
    /// The questions the quiz was to ask: more than `questions` when it ended early.
    pub planned: u32,
}

impl QuizRecord {
    /// Whether the quiz ended before its last question (q, Ctrl-C, the end of input): it is
    /// kept as what was answered, and never counts as the deck's best.
    pub fn ended_early(&self) -> bool {
        self.questions < self.planned
    }
}

impl Store {
    /// Saves a quiz result for `stats`.
    pub fn record_quiz(&self, quiz: &QuizRecord) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO quiz_result (deck, taken_at, correct, questions, planned)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                (
                    &quiz.deck,
                    quiz.taken_at.timestamp_millis(),
                    quiz.correct,
                    quiz.questions,
                    quiz.planned.max(quiz.questions),
                ),
            )
            .map_err(|e| classify(&self.path, e))?;
        Ok(())
    }

    /// Every quiz result in time order.
    pub fn quiz_results(&self) -> Result<Vec<QuizRecord>> {
        let mut statement = self.conn.prepare(
            "SELECT deck, taken_at, correct, questions, coalesce(planned, questions)
             FROM quiz_result ORDER BY taken_at, id",
        )?;
        let results = statement
            .query_map([], |row| {
                Ok(QuizRecord {
                    deck: row.get(0)?,
                    taken_at: from_millis(row.get(1)?),
                    correct: row.get(2)?,
                    questions: row.get(3)?,
                    planned: row.get(4)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(results)
    }
}
