//! The rows of the review log and the card states: their column lists, how a row is read
//! into a type and a state written back, and the rules every stored review follows (its
//! longest duration, the time a new entry of a card's log gets).
//!
//! These live apart from recording (`reviews.rs`), replaying (`replay.rs`) and importing
//! (`import.rs`) because all of those, and `events`, `totals`, `stats`, `doctor`, `cards`
//! and `rescue` as well, read or write these rows: every other file of the store may
//! import from here, and this file imports from none of them, so the store's files form
//! no import cycle. Each codec sits beside the type it decodes, as Anki's `row_to_card`
//! does.

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::types::{Type, ValueRef};
use rusqlite::{Connection, Row, Transaction, params};

use super::{QueryOptional, Result, from_millis};
use crate::ids::{CardId, DeckName, ReviewId};
use crate::schedule::{Answered, CardPhase, CardState, Rating, ReviewKind, Scheduler};

/// An answer about to be recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReview {
    pub card_id: CardId,
    /// `None` for a card no deck of the catalog holds (an imported review of a card
    /// that is gone): the database stores that as an empty name.
    pub deck: Option<DeckName>,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub duration_ms: u64,
}

/// A row of the review log.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewRecord {
    pub id: ReviewId,
    pub card_id: CardId,
    /// `None` for a card no deck of the catalog holds (an imported review of a card
    /// that is gone): the database stores that as an empty name.
    pub deck: Option<DeckName>,
    pub at: DateTime<Utc>,
    pub rating: Rating,
    pub duration_ms: u64,
    pub kind: ReviewKind,
}

/// A card's cached scheduling state.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCard {
    pub card_id: CardId,
    /// `None` for a card no deck of the catalog holds (an imported review of a card
    /// that is gone): the database stores that as an empty name.
    pub deck: Option<DeckName>,
    pub state: CardState,
    /// Out of every session: suspended by the learner or as a leech (see
    /// [`CardState::out_of_rotation`]).
    pub suspended: bool,
}

/// What recording an answer did.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub review_id: ReviewId,
    /// The time stored, which may be a little later than asked so that two reviews of one
    /// card never share a time and a clock that went back does not reorder a history.
    pub at: DateTime<Utc>,
    pub answered: Answered,
    /// The scheduler of the stored settings, when they were changed by another command
    /// since the caller's scheduler was built (the caller should use it from now on).
    pub scheduler: Option<Scheduler>,
}

/// The columns of `card_state` that [`card_from_row`] and [`card_state_from_row`] read, in
/// their order.
pub(super) const CARD_COLUMNS: &str = "card_id, deck, state, phase, due, stability, difficulty, reps, lapses, step, last_review, leech, suspended";

/// A card state from a row of [`CARD_COLUMNS`].
pub(super) fn card_from_row(row: &Row<'_>) -> rusqlite::Result<StoredCard> {
    let (suspended, state) = card_state_from_row(row)?;
    Ok(StoredCard {
        card_id: row.get(0)?,
        deck: deck_from_row(row, 1)?,
        suspended,
        state,
    })
}

/// The deck column: "no deck" is stored as the empty name, as the column is `NOT NULL`.
pub(super) fn deck_column(deck: Option<&DeckName>) -> &str {
    deck.map_or("", DeckName::as_str)
}

/// The deck column read back: the empty name is "no deck" (see [`deck_column`]).
pub(super) fn deck_from_row(row: &Row<'_>, index: usize) -> rusqlite::Result<Option<DeckName>> {
    let name = borrowed_text(row, index)?;
    Ok((!name.is_empty()).then(|| DeckName::from(name)))
}

/// Text of a row without copying it.
pub(super) fn borrowed_text<'r>(row: &'r Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?
        .as_str()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(index, Type::Text, e.into()))
}

/// Whether the card is suspended, and its scheduling state, from a row of [`CARD_COLUMNS`].
/// Read column by column through `ValueRef`, and the two names as bytes: `stats` reads
/// 45,000 of these rows at 50,000 cards, and through `FromSql` and a UTF-8 check per name
/// they took 117 M of its 365 M instructions (105 M this way; most of the rest is SQLite's
/// own cost of handing out each column, issue 18).
pub(super) fn card_state_from_row(row: &Row<'_>) -> rusqlite::Result<(bool, CardState)> {
    let phase = phase_named(row.get_ref(3)?.as_bytes()?)?;
    Ok((
        row.get_ref(2)?.as_bytes()? == b"suspended",
        CardState {
            phase,
            due: from_millis(integer(row, 4)?),
            stability: real(row, 5)?,
            difficulty: real(row, 6)?,
            reps: count_column(row, 7)?,
            lapses: count_column(row, 8)?,
            step: count_column(row, 9)?,
            last_review: row.get_ref(10)?.as_i64_or_null()?.map(from_millis),
            leech: integer(row, 11)? != 0,
            suspended: integer(row, 12)? != 0,
        },
    ))
}

/// A phase as the store names it.
pub(super) fn phase_named(name: &[u8]) -> rusqlite::Result<CardPhase> {
    match name {
        b"new" => Ok(CardPhase::New),
        b"learning" => Ok(CardPhase::Learning),
        b"review" => Ok(CardPhase::Review),
        b"relearning" => Ok(CardPhase::Relearning),
        other => Err(rusqlite::Error::FromSqlConversionFailure(
            3,
            Type::Text,
            format!("unknown phase `{}`", String::from_utf8_lossy(other)).into(),
        )),
    }
}

/// A `REAL` column, which SQLite may hand back as an integer when it has no fraction.
fn real(row: &Row<'_>, index: usize) -> rusqlite::Result<f64> {
    match row.get_ref(index)? {
        ValueRef::Real(value) => Ok(value),
        ValueRef::Integer(value) => Ok(value as f64),
        other => Err(rusqlite::Error::InvalidColumnType(
            index,
            String::new(),
            other.data_type(),
        )),
    }
}

/// An `INTEGER` column, read without the conversions of `FromSql`.
fn integer(row: &Row<'_>, index: usize) -> rusqlite::Result<i64> {
    Ok(row.get_ref(index)?.as_i64()?)
}

/// A count column (reps, lapses, step): never negative or past `u32` in a sound file.
fn count_column(row: &Row<'_>, index: usize) -> rusqlite::Result<u32> {
    let value = integer(row, index)?;
    u32::try_from(value).map_err(|_| rusqlite::Error::IntegralValueOutOfRange(index, value))
}

/// A review from a row of [`REVIEW_COLUMNS`].
pub(super) fn review_from_row(row: &Row<'_>) -> rusqlite::Result<ReviewRecord> {
    let rating: u8 = row.get(4)?;
    let kind: String = row.get(6)?;
    let conversion = |index: usize, message: String| {
        rusqlite::Error::FromSqlConversionFailure(index, Type::Text, message.into())
    };
    Ok(ReviewRecord {
        id: row.get(0)?,
        card_id: row.get(1)?,
        deck: deck_from_row(row, 2)?,
        at: from_millis(row.get(3)?),
        rating: Rating::try_from(rating).map_err(|_| conversion(4, format!("rating {rating}")))?,
        duration_ms: row.get::<_, i64>(5)?.max(0) as u64,
        kind: kind
            .parse()
            .map_err(|_| conversion(6, format!("kind `{kind}`")))?,
    })
}

/// The columns of `review_log` that [`review_from_row`] reads, in its order.
pub(super) const REVIEW_COLUMNS: &str = "id, card_id, deck, reviewed_at, rating, duration_ms, kind";

/// Stores a card's state, shown as `suspended` when it is out of rotation. The one writer
/// of `card_state` rows: answers, manual actions, replays and imports all go through it.
pub(super) fn write_state(
    tx: &Transaction<'_>,
    card_id: &CardId,
    deck: Option<&DeckName>,
    state: &CardState,
) -> Result<()> {
    let shown = if state.out_of_rotation() {
        "suspended"
    } else {
        state.phase.as_str()
    };
    // Cached: an import replays tens of thousands of cards in one transaction.
    tx.prepare_cached(
        "INSERT INTO card_state (card_id, deck, state, phase, due, stability, difficulty, reps, lapses, step, last_review, leech, suspended)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
         ON CONFLICT (card_id) DO UPDATE SET
           deck = excluded.deck, state = excluded.state, phase = excluded.phase, due = excluded.due,
           stability = excluded.stability, difficulty = excluded.difficulty, reps = excluded.reps,
           lapses = excluded.lapses, step = excluded.step, last_review = excluded.last_review,
           leech = excluded.leech, suspended = excluded.suspended",
    )?
    .execute(params![
            card_id,
            deck_column(deck),
            shown,
            state.phase.as_str(),
            state.due.timestamp_millis(),
            state.stability,
            state.difficulty,
            state.reps,
            state.lapses,
            state.step,
            state.last_review.map(|t| t.timestamp_millis()),
        state.leech,
        state.suspended,
    ])?;
    Ok(())
}

/// A card's stored state inside `tx`, `None` for a card never answered.
pub(super) fn read_state(tx: &Transaction<'_>, card_id: &CardId) -> Result<Option<StoredCard>> {
    Ok(tx
        .query_row(
            &format!("SELECT {CARD_COLUMNS} FROM card_state WHERE card_id = ?1"),
            [card_id],
            card_from_row,
        )
        .opt()?)
}

/// One card's reviews in time order (reviews sharing a time, in the order they were
/// stored). Here, beside [`read_state`], because the replay and `Store::reviews_of` read a
/// card's log the same way.
pub(super) fn reviews_of(conn: &Connection, card_id: &CardId) -> Result<Vec<ReviewRecord>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {REVIEW_COLUMNS} FROM review_log WHERE card_id = ?1 ORDER BY reviewed_at, id"
    ))?;
    let reviews = statement
        .query_map([card_id], review_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(reviews)
}

/// The longest time one review may count: a card left on screen overnight is not a day of
/// study, and a sum of such times must never overflow the totals.
pub const MAX_DURATION_MS: u64 = 24 * 60 * 60 * 1000;

/// A duration as stored: at most [`MAX_DURATION_MS`].
pub(super) fn stored_duration(duration_ms: u64) -> i64 {
    duration_ms.min(MAX_DURATION_MS) as i64
}

/// `at` at millisecond precision, or just after the latest entry of the card's log (review,
/// manual action, or answer undone) when it is not later: two entries of one card never
/// share a time, a clock that went back does not reorder a history, and an answer never
/// takes the time of one undone (which every device of a sync folder drops). Here rather
/// than in `replay.rs` because both writers of the log need it, answers (`reviews.rs`) and
/// manual actions (`events.rs`), and `replay.rs` reads events: taking it from there would
/// make `events` and `replay` import each other.
pub(super) fn after_the_log(
    tx: &Transaction<'_>,
    card_id: &CardId,
    at: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let latest: Option<i64> = tx
        .prepare_cached(
            "SELECT max(latest) FROM (
               SELECT max(reviewed_at) AS latest FROM review_log WHERE card_id = ?1
               UNION ALL SELECT max(at) FROM card_event WHERE card_id = ?1
               UNION ALL SELECT max(reviewed_at) FROM undone_review WHERE card_id = ?1)",
        )?
        .query_row([card_id], |row| row.get(0))?;
    let at = from_millis(at.timestamp_millis());
    Ok(match latest.map(from_millis) {
        Some(latest) if at <= latest => latest + TimeDelta::milliseconds(1),
        _ => at,
    })
}
