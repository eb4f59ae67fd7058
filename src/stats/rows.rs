//! The rows the store's aggregate queries (`src/store/stats.rs`) return: plain numbers,
//! defined here so that both the store and the statistics can name them.

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
}

/// Cards due in one 15-minute bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueBucket {
    pub start_ms: i64,
    pub cards: u64,
}

/// One deck's cards by state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckCardCounts {
    pub deck: String,
    pub total: u64,
    pub new: u64,
    /// Learning and relearning.
    pub learning: u64,
    pub young: u64,
    pub mature: u64,
    pub suspended: u64,
    pub leeches: u64,
}

/// One deck's cards due now and later today, and its new cards introduced today.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeckToday {
    pub deck: String,
    pub due_now: u64,
    pub due_later: u64,
    pub introduced: u64,
}

/// Reviews of cards in review state since some time, and how many passed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassCount {
    pub reviews: u64,
    pub passed: u64,
}

/// A card that gives trouble.
#[derive(Debug, Clone, PartialEq)]
pub struct HardCard {
    pub card_id: String,
    pub deck: String,
    pub lapses: u32,
    pub stability: f64,
    pub leech: bool,
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

/// A card that no deck has, with the number of its reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanCard {
    pub card_id: String,
    /// The deck it was reviewed in.
    pub deck: String,
    pub reviews: u64,
}
