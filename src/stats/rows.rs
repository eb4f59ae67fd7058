//! The rows the store's aggregate queries (`src/store/stats.rs`) return: plain numbers,
//! defined here so that both the store and the statistics can name them.

use crate::schedule::CardState;

/// The width of a time bucket: 15 minutes in milliseconds.
pub const BUCKET_MS: i64 = 15 * 60 * 1000;

/// A review interval (due minus last review) of at least this many days makes a card mature.
pub const MATURE_DAYS: i64 = 21;

/// Reviews in one 15-minute bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewBucket {
    /// The bucket's first millisecond.
    pub start_ms: i64,
    pub reviews: u64,
    /// Reviews rated Hard or better.
    pub passed: u64,
    pub duration_ms: u64,
    /// Reviews of cards in review state (true retention), and how many of them passed.
    pub review_reviews: u64,
    pub review_passed: u64,
}

/// A stored card state, borrowed from the row being read.
#[derive(Debug, Clone)]
pub struct CardRow<'a> {
    pub card_id: &'a str,
    /// The deck of its last review.
    pub deck: &'a str,
    pub suspended: bool,
    pub state: CardState,
}

/// One quiz score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuizScore {
    pub correct: u32,
    pub questions: u32,
    pub taken_at_ms: i64,
}

/// A deck's latest and best quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeckQuiz {
    pub deck: String,
    pub taken: u64,
    pub latest: QuizScore,
    pub best: QuizScore,
}
