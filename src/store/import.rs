//! Importing a review log or a progress file: merging its reviews, manual actions, quiz
//! results and deck limits into the store in one transaction, then replaying what changed.
//!
//! Apart from `reviews.rs`, which records one answer at a time, because an import is a
//! bulk write with its own rules: rows already here are skipped, a file that contradicts
//! itself is refused, cards whose reviews come in time order are replayed as they are
//! stored, and the review totals are added or rebuilt once at the end. Outside the store,
//! `commands/import.rs` uses only the `import_*` methods of [`Store`] and the three public
//! types here.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::{Transaction, params};

use super::events::CardEvent;
use super::replay::{TotalsUpdate, replay_card, replay_every_card};
use super::rows::{NewReview, deck_column, stored_duration, write_state};
use super::totals::{ReviewTotals, add_totals, bucket_of, rebuild_totals};
use super::{QueryOptional, Result, Store, StoreError};
use crate::ids::{CardId, DeckName};
use crate::schedule::{CardState, LogEntry, Rating, ReviewKind, Scheduler};
use crate::settings::{Setting, Settings};

/// Why a streamed import stopped: its source failed (a bad row), or the database did.
#[derive(Debug)]
pub enum ImportFailure<E> {
    Source(E),
    Store(super::StoreError),
}

/// What a progress file brings beside its reviews (format version 2).
#[derive(Debug, Clone, Default)]
pub struct ImportExtras {
    pub events: Vec<CardEvent>,
    pub quizzes: Vec<super::QuizRecord>,
    pub deck_new_per_day: Vec<(DeckName, u32)>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    /// Reviews the log held before the import.
    pub skipped: usize,
    /// Rows that repeat an earlier row of the same file (same card, time and rating).
    pub repeated: usize,
    /// Manual actions (suspend, unsuspend, forget) added to the log.
    pub events_added: usize,
    /// Quiz results added (those already here are skipped).
    pub quizzes_added: usize,
    /// Cards whose state was rebuilt from their log.
    pub cards_replayed: usize,
}

impl Store {
    /// Merges reviews into the log: those already present (same card and time) are skipped,
    /// the rest added, and every card that got a review is replayed. With `settings`, those
    /// settings are stored first and every card is replayed under them. All or nothing.
    pub fn import_reviews(
        &mut self,
        reviews: &[NewReview],
        settings: Option<(&Settings, &[Setting])>,
        scheduler: &Scheduler,
    ) -> Result<ImportReport> {
        self.import_progress(reviews, &ImportExtras::default(), settings, scheduler)
    }

    /// [`Store::import_reviews`] for reviews read one at a time (a large CSV log), so they
    /// are never all in memory. The first `Err` from `reviews` rolls the whole import back
    /// and is returned as [`ImportFailure::Source`].
    pub fn import_review_stream<E>(
        &mut self,
        reviews: impl IntoIterator<Item = std::result::Result<NewReview, E>>,
        settings: Option<(&Settings, &[Setting])>,
        scheduler: &Scheduler,
    ) -> std::result::Result<ImportReport, ImportFailure<E>> {
        let extras = ImportExtras::default();
        self.import_stream_with(reviews, settings, &extras, scheduler)
    }

    /// [`Store::import_reviews`] with what a progress file holds beside its reviews: manual
    /// actions (merged into the log, replayed with the reviews), quiz results and decks'
    /// own limits (each kept when already here). All or nothing.
    pub fn import_progress(
        &mut self,
        reviews: &[NewReview],
        extras: &ImportExtras,
        settings: Option<(&Settings, &[Setting])>,
        scheduler: &Scheduler,
    ) -> Result<ImportReport> {
        let stream = reviews
            .iter()
            .cloned()
            .map(Ok::<_, std::convert::Infallible>);
        self.import_stream_with(stream, settings, extras, scheduler)
            .map_err(|failure| match failure {
                ImportFailure::Store(error) => error,
                ImportFailure::Source(never) => match never {},
            })
    }

    /// What [`Store::import_progress`] would do, without settings, and without changing
    /// anything: the same import in a transaction that is rolled back (`import
    /// --dry-run`).
    pub fn preview_import(
        &mut self,
        reviews: &[NewReview],
        extras: &ImportExtras,
        scheduler: &Scheduler,
    ) -> Result<ImportReport> {
        let tx = self.conn.transaction()?;
        let stream = reviews
            .iter()
            .cloned()
            .map(Ok::<_, std::convert::Infallible>);
        let mut never = None;
        let mut inserted = insert_reviews(&tx, stream, scheduler, &mut never)?;
        insert_extras(&tx, extras, &mut inserted)?;
        inserted.report.cards_replayed = inserted.affected.len();
        // Dropped without a commit: rolled back.
        drop(tx);
        Ok(inserted.report)
    }

    /// The one import the three `import_*` methods share: settings first, then the reviews
    /// as they come, then the extras, then the replay of what changed, all in one
    /// transaction.
    fn import_stream_with<E>(
        &mut self,
        reviews: impl IntoIterator<Item = std::result::Result<NewReview, E>>,
        settings: Option<(&Settings, &[Setting])>,
        extras: &ImportExtras,
        scheduler: &Scheduler,
    ) -> std::result::Result<ImportReport, ImportFailure<E>> {
        let mut source_error = None;
        let mut stream = Some(reviews.into_iter());
        // Run once, without the busy retry of `write`: a stream cannot be read twice. SQLite's
        // busy timeout still waits for another process's transaction to finish first.
        let job = ImportJob {
            settings,
            extras,
            scheduler,
        };
        let outcome = self.write_once(&mut |tx| {
            let Some(reviews) = stream.take() else {
                return Err(StoreError::ImportStopped);
            };
            import_in(tx, reviews, &job, &mut source_error)
        });
        let outcome = outcome.map_err(|error| {
            if error.is_busy() {
                StoreError::Busy {
                    path: self.path.clone(),
                }
            } else {
                error
            }
        });
        match (outcome, source_error) {
            (_, Some(error)) => Err(ImportFailure::Source(error)),
            (Err(error), None) => Err(ImportFailure::Store(error)),
            (Ok(report), None) => Ok(report),
        }
    }
}

/// What an import brings beside its reviews, and the scheduler that replays it.
pub(super) struct ImportJob<'a> {
    pub settings: Option<(&'a Settings, &'a [Setting])>,
    pub extras: &'a ImportExtras,
    pub scheduler: &'a Scheduler,
}

/// The import inside `tx`: settings first, then the reviews as they come, then the extras,
/// then the replay of what changed. Here apart from [`Store::import_progress`] so that a
/// merge from the sync folder runs it inside its own transaction (`sync.rs`).
pub(super) fn import_in<E>(
    tx: &Transaction<'_>,
    reviews: impl Iterator<Item = std::result::Result<NewReview, E>>,
    job: &ImportJob<'_>,
    source_error: &mut Option<E>,
) -> Result<ImportReport> {
    if let Some((settings, keys)) = job.settings {
        super::settings::write_settings(tx, settings, keys)?;
    }
    // Smaller than the 16 MiB of other commands: storing reviews as they come
    // touches pages mostly in order, and 8 MiB imported 1M reviews as fast as 32 MiB
    // did, with 29 MiB less memory (issue 18). Since the log's table grows at its end and
    // each run reaches the (card, time) index in order, 4 MiB is as fast again, with 6
    // MiB less (issue 31).
    let cache_size: i64 = tx.query_row("PRAGMA cache_size", [], |row| row.get(0))?;
    tx.pragma_update(None, "cache_size", -4_096)?;
    let unchecked = TypedRowsOnly::start(tx)?;
    let mut added = insert_reviews(tx, reviews, job.scheduler, source_error)?;
    insert_extras(tx, job.extras, &mut added)?;
    let settings_changed = job.settings.is_some_and(|(_, keys)| !keys.is_empty());
    added.report.cards_replayed = replay_imported(tx, &added, settings_changed, job.scheduler)?;
    unchecked.end()?;
    tx.pragma_update(None, "cache_size", cache_size)?;
    Ok(added.report)
}

/// SQLite's `CHECK` constraints switched off while an import writes, and on again when it
/// ends, however it ends. The checks of the log and the card states test each text column
/// against a list of three or more words (`kind IN ('learning', 'review', 'relearning')`),
/// which SQLite evaluates by building a temporary B-tree of the list for every row: a
/// third of the instructions of importing a million reviews (issue 31). Every value an
/// import writes comes from a Rust type that can hold only what the checks allow
/// (`ReviewKind`, `Rating`, `CardPhase`, a duration clamped by `stored_duration`), so the
/// checks cannot fail there; the rest of the program keeps them.
struct TypedRowsOnly<'tx> {
    tx: &'tx Transaction<'tx>,
    ended: bool,
}

impl<'tx> TypedRowsOnly<'tx> {
    fn start(tx: &'tx Transaction<'tx>) -> Result<TypedRowsOnly<'tx>> {
        // A flag of the connection: SQLite compiles each statement again after it changes.
        tx.pragma_update(None, "ignore_check_constraints", true)?;
        Ok(TypedRowsOnly { tx, ended: false })
    }

    fn end(mut self) -> Result<()> {
        self.ended = true;
        Ok(self
            .tx
            .pragma_update(None, "ignore_check_constraints", false)?)
    }
}

impl Drop for TypedRowsOnly<'_> {
    fn drop(&mut self) {
        if !self.ended {
            // An import that failed: its error is what the caller hears of. Switching a
            // flag reads and writes nothing, so this does not fail where that did.
            let _ = self
                .tx
                .pragma_update(None, "ignore_check_constraints", false);
        }
    }
}

/// What inserting an import's reviews did: the counts, the cards that got a review (each
/// with how far it was replayed on the way), the time of the earliest review added, and
/// the totals of the reviews added, with the kinds they were stored with.
#[derive(Default)]
struct Inserted {
    report: ImportReport,
    affected: foldhash::HashMap<CardId, ReplayAhead>,
    /// The decks of [`ReplayAhead::Done`], each once: a name beside each of 45,000 cards
    /// took 3 MiB of a large import's memory.
    decks: DeckTable,
    earliest_ms: Option<i64>,
    added_totals: BTreeMap<i64, ReviewTotals>,
}

/// Deck names by place, each kept once.
#[derive(Default)]
struct DeckTable {
    places: foldhash::HashMap<Option<DeckName>, u32>,
    names: Vec<Option<DeckName>>,
}

impl DeckTable {
    fn place_of(&mut self, deck: Option<DeckName>) -> u32 {
        if let Some(&place) = self.places.get(&deck) {
            return place;
        }
        let place = self.names.len() as u32;
        self.names.push(deck.clone());
        self.places.insert(deck, place);
        place
    }

    fn name(&self, place: u32) -> Option<&DeckName> {
        self.names[place as usize].as_ref()
    }
}

/// How far an import replayed a card while storing its reviews. A card with no log before
/// the import whose reviews come in time order (every fresh import of a log written in
/// order) is replayed as its reviews are stored, each with its kind: replaying it again
/// afterwards, and then rewriting the kind of most of a million reviews, took most of a
/// large import's time (issue 18).
enum ReplayAhead {
    /// Replayed up to its latest review, `last_at`: `state` is what the whole log gives.
    Done {
        state: CardState,
        /// The deck of its latest review, a place in [`Inserted::decks`].
        deck: u32,
        last_at: DateTime<Utc>,
    },
    /// Replayed from its whole log once everything is stored: it had a log before, a
    /// review came out of time order, or a manual action was imported for it.
    AfterImport,
}

impl Inserted {
    /// Keeps the time of the earliest entry added: the totals are rebuilt from there on.
    fn note_added(&mut self, at_ms: i64) {
        self.earliest_ms = Some(self.earliest_ms.map_or(at_ms, |e| e.min(at_ms)));
    }

    /// The state and kind `review` gets when it is stored, if its card can be replayed
    /// as its reviews come (see [`ReplayAhead`]); `None` when it waits for the replay
    /// after the import. A card this import adds nothing to yet is taken as new: whether
    /// its log had entries before is asked once a review of it is added
    /// ([`has_log_besides`]), so that a review already present costs no question.
    fn replay_ahead(
        &self,
        review: &NewReview,
        scheduler: &Scheduler,
    ) -> Option<(CardState, ReviewKind)> {
        let state = match self.affected.get(&review.card_id) {
            None => None,
            Some(ReplayAhead::Done { state, last_at, .. }) if review.at > *last_at => Some(state),
            Some(_) => return None,
        };
        let entry = LogEntry::Review {
            at: review.at,
            rating: review.rating,
        };
        let (next, kind) = scheduler.replay_step(&review.card_id, state, entry);
        kind.map(|kind| (next, kind))
    }

    /// Counts `review`, just stored with `kind`, and notes how far its card is replayed:
    /// `ahead` is what [`Inserted::replay_ahead`] gave for it.
    fn note_stored(
        &mut self,
        tx: &Transaction<'_>,
        review: NewReview,
        kind: ReviewKind,
        ahead: Option<(CardState, ReviewKind)>,
    ) -> Result<()> {
        let at_ms = review.at.timestamp_millis();
        self.report.added += 1;
        self.note_added(at_ms);
        *self.added_totals.entry(bucket_of(at_ms)).or_default() += ReviewTotals::of_review(
            review.rating.as_u8(),
            stored_duration(review.duration_ms),
            kind == ReviewKind::Review,
        );
        let first = !self.affected.contains_key(&review.card_id);
        let replayed = match ahead {
            Some(_) if first && has_log_besides(tx, &review.card_id, tx.last_insert_rowid())? => {
                ReplayAhead::AfterImport
            }
            Some((state, _)) => ReplayAhead::Done {
                state,
                deck: self.decks.place_of(review.deck),
                last_at: review.at,
            },
            None => ReplayAhead::AfterImport,
        };
        match self.affected.get_mut(&review.card_id) {
            Some(slot) => *slot = replayed,
            None => {
                self.affected.insert(review.card_id, replayed);
            }
        }
        Ok(())
    }

    /// Counts `review`, which was not stored because the log holds review `id`, rated
    /// `rating`, at its card and time (`found`), or because it was undone: a review from
    /// before the import (rows up to `last_before`) or undone is skipped, a row the file
    /// repeats is counted, and two ratings the file gives one moment stop the import.
    fn note_present(
        &mut self,
        review: &NewReview,
        found: Option<(i64, u8)>,
        last_before: i64,
    ) -> Result<()> {
        // None: not stored because it was undone, as good as present.
        let Some((id, rating)) = found else {
            self.report.skipped += 1;
            return Ok(());
        };
        if id <= last_before {
            self.report.skipped += 1;
        } else if rating == review.rating.as_u8() {
            self.report.repeated += 1;
        } else {
            // A file that contradicts itself: which answer is true cannot be known.
            return Err(StoreError::ConflictingReviews {
                card: crate::text::visible_inline(review.card_id.as_str()).into_owned(),
                at: crate::clock::format_instant(review.at),
                first: crate::schedule::Rating::try_from(rating)
                    .map_or_else(|_| rating.to_string(), |r| r.to_string()),
                second: review.rating.to_string(),
            });
        }
        Ok(())
    }
}

/// Whether the card's log has anything besides review `added`: other reviews or manual
/// actions.
fn has_log_besides(tx: &Transaction<'_>, card_id: &CardId, added: i64) -> Result<bool> {
    Ok(tx
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM review_log WHERE card_id = ?1 AND id != ?2)
                 OR EXISTS (SELECT 1 FROM card_event WHERE card_id = ?1)",
        )?
        .query_row(params![card_id, added], |row| row.get(0))?)
}

/// How many reviews an import holds at once, to store them card by card: a log comes in
/// time order, so each review went to a random place of the log's (card, time) index, and
/// SQLite's B-tree inserts there were about half of a large import's time (issue 18). Held
/// compactly ([`Held`]), 50,000 reviews take 1.4 MiB beside their card ids: with runs of
/// 100,000 a large import took 11 MiB more than the baseline's (issue 31; 50,000: 0.7 MiB
/// more, and no slower). The unit tests use runs of 7, so that their imports (the
/// property tests' included) span several.
const RUN_LENGTH: usize = if cfg!(test) { 7 } else { 50_000 };

/// Inserts the reviews not already in the log (same card and time), a run of
/// [`RUN_LENGTH`] at a time in card order. Each card's reviews keep their order in the
/// stream, so every card is replayed and counted as it would be in the stream's order. The
/// first `Err` of the stream is kept in `source_error` and stops the import, after the
/// reviews before it (whose conflicts it would not have reached) are stored.
fn insert_reviews<E>(
    tx: &Transaction<'_>,
    reviews: impl Iterator<Item = std::result::Result<NewReview, E>>,
    scheduler: &Scheduler,
    source_error: &mut Option<E>,
) -> Result<Inserted> {
    let mut inserted = Inserted::default();
    let mut writer = LogWriter::new(tx)?;
    let mut reviews = reviews.fuse();
    loop {
        let mut run = Run::default();
        let failed = run.fill(&mut reviews);
        let whole = run.held.len() == RUN_LENGTH;
        writer.store_run(run, &mut inserted, scheduler)?;
        if let Some(error) = failed {
            *source_error = Some(error);
            return Err(StoreError::ImportStopped);
        }
        if !whole {
            return Ok(inserted);
        }
    }
}

/// A review held in a run: its card and deck are places in the run's tables, and its place
/// in the run is its place in the stream's run (which tells which of two conflicts came first).
struct Held {
    at: DateTime<Utc>,
    card: u32,
    deck: u32,
    duration_ms: u32,
    rating: Rating,
}

/// Up to [`RUN_LENGTH`] reviews of the stream, held to be stored in card order.
#[derive(Default)]
struct Run {
    held: Vec<Held>,
    cards: foldhash::HashMap<CardId, u32>,
    decks: foldhash::HashMap<Option<DeckName>, u32>,
}

impl Run {
    /// Takes reviews from the stream until the run is full or the stream ends or fails
    /// (its error is returned).
    fn fill<E>(
        &mut self,
        reviews: &mut impl Iterator<Item = std::result::Result<NewReview, E>>,
    ) -> Option<E> {
        // Exactly a run: grown by doubling, the vector of a run took up to twice its size.
        self.held.reserve_exact(RUN_LENGTH);
        while self.held.len() < RUN_LENGTH {
            let review = match reviews.next()? {
                Ok(review) => review,
                Err(error) => return Some(error),
            };
            let held = Held {
                at: review.at,
                card: place(&mut self.cards, review.card_id),
                deck: place(&mut self.decks, review.deck),
                duration_ms: stored_duration(review.duration_ms) as u32,
                rating: review.rating,
            };
            self.held.push(held);
        }
        None
    }

    /// The reviews, in card order (each card's in the stream's order), each with its place
    /// in the run and the place of its id among the run's ([`id_offsets`]).
    fn in_card_order(self) -> impl Iterator<Item = (u32, u32, NewReview)> {
        let cards = table_by_place(self.cards);
        let decks = table_by_place(self.decks);
        let mut by_id: Vec<u32> = (0..cards.len() as u32).collect();
        by_id.sort_unstable_by(|&a, &b| cards[a as usize].cmp(&cards[b as usize]));
        let mut rank = vec![0u32; cards.len()];
        for (order, &card) in by_id.iter().enumerate() {
            rank[card as usize] = order as u32;
        }
        let held = self.held;
        let order = by_rank(&held, &rank);
        let offsets = id_offsets(&held, &order);
        order.into_iter().map(move |position| {
            let held = &held[position as usize];
            let review = NewReview {
                card_id: cards[held.card as usize].clone(),
                deck: decks[held.deck as usize].clone(),
                at: held.at,
                rating: held.rating,
                duration_ms: u64::from(held.duration_ms),
            };
            (position, offsets[position as usize], review)
        })
    }
}

/// The place of each review's id among the run's ids, by its place in the run: the order
/// it is stored in (`order`), so that the log's table grows at its end as the run is
/// stored, except that reviews of one moment take their ids in the stream's order, which
/// orders them in the log and in an export as in the file. Ids given by the place in the
/// file made SQLite insert the rows of a run all over the table (B-tree seeks and page
/// splits, 15% of a large import's time; issue 31).
fn id_offsets(held: &[Held], order: &[u32]) -> Vec<u32> {
    let mut offsets = vec![0u32; held.len()];
    for (stored, &position) in order.iter().enumerate() {
        offsets[position as usize] = stored as u32;
    }
    let mut by_time: Vec<u32> = (0..held.len() as u32).collect();
    // Stable: the reviews of one moment stay in the stream's order (a log in time order
    // is sorted already, which this sort sees in one pass).
    by_time.sort_by_key(|&position| held[position as usize].at);
    let at = |position: &u32| held[*position as usize].at;
    for moment in by_time.chunk_by(|a, b| at(a) == at(b)) {
        if moment.len() > 1 {
            let mut taken: Vec<u32> = moment.iter().map(|&p| offsets[p as usize]).collect();
            taken.sort_unstable();
            for (&position, offset) in moment.iter().zip(taken) {
                offsets[position as usize] = offset;
            }
        }
    }
    offsets
}

/// The places of `held` ordered by the rank of their card, each card's in their order: a
/// counting sort, in one pass, where sorting the reviews themselves took 5% of an import's
/// instructions and a copy of the run.
fn by_rank(held: &[Held], rank: &[u32]) -> Vec<u32> {
    let mut next = vec![0u32; rank.len() + 1];
    for review in held {
        next[rank[review.card as usize] as usize + 1] += 1;
    }
    for card in 1..next.len() {
        next[card] += next[card - 1];
    }
    let mut order = vec![0u32; held.len()];
    for (position, review) in held.iter().enumerate() {
        let slot = &mut next[rank[review.card as usize] as usize];
        order[*slot as usize] = position as u32;
        *slot += 1;
    }
    order
}

/// The place of `key` in `table`, given the next one when it is not there yet.
fn place<K: std::hash::Hash + Eq>(table: &mut foldhash::HashMap<K, u32>, key: K) -> u32 {
    let next = table.len() as u32;
    *table.entry(key).or_insert(next)
}

/// The keys of a table of places, each at its place.
fn table_by_place<K>(table: foldhash::HashMap<K, u32>) -> Vec<K> {
    let mut slots: Vec<Option<K>> = (0..table.len()).map(|_| None).collect();
    for (key, place) in table {
        slots[place as usize] = Some(key);
    }
    slots.into_iter().flatten().collect()
}

/// The statements that store an import's reviews.
struct LogWriter<'tx> {
    tx: &'tx Transaction<'tx>,
    insert: rusqlite::CachedStatement<'tx>,
    /// Whether an answer was undone at its card and time: only when the store holds any.
    undone: Option<rusqlite::CachedStatement<'tx>>,
    present: rusqlite::CachedStatement<'tx>,
    /// Rows above this id were added by this import: a review of the same card and time
    /// among them is a row of the file itself, not one the log held.
    last_before: i64,
    /// The id of the first review of the run being stored: the run's reviews take the
    /// ids from there on in the order they are stored, but for reviews of one moment,
    /// which take theirs in the stream's order ([`id_offsets`]): the log's ids order the
    /// reviews of one moment, as in an export.
    run_first_id: i64,
}

impl<'tx> LogWriter<'tx> {
    fn new(tx: &'tx Transaction<'tx>) -> Result<LogWriter<'tx>> {
        let last_before =
            tx.query_row("SELECT coalesce(max(id), 0) FROM review_log", [], |row| {
                row.get(0)
            })?;
        // An import adds no undone answer, so this holds while it runs.
        let any_undone =
            tx.query_row("SELECT EXISTS (SELECT 1 FROM undone_review)", [], |row| {
                row.get(0)
            })?;
        Ok(LogWriter {
            tx,
            // One row of `VALUES`: SQLite writes a statement journal (a copy of every page
            // the statement changes, in a temporary file) for an `INSERT … SELECT`, which
            // may write many rows, and that took more system time than the rest of a large
            // import together (issue 31). Undone answers are asked apart, and only when
            // there are any.
            insert: tx.prepare_cached(
                "INSERT OR IGNORE INTO review_log (id, card_id, deck, reviewed_at, rating, duration_ms, kind)
                 VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)",
            )?,
            undone: if any_undone {
                Some(tx.prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM undone_review WHERE card_id = ?1 AND reviewed_at = ?2)",
                )?)
            } else {
                None
            },
            present: tx.prepare_cached(
                "SELECT id, rating FROM review_log WHERE card_id = ?1 AND reviewed_at = ?2",
            )?,
            last_before,
            run_first_id: last_before + 1,
        })
    }

    /// Stores a run in card order. Of the conflicts in it, the one the stream reaches
    /// first is the one reported, as if it were stored in the stream's order.
    fn store_run(
        &mut self,
        run: Run,
        inserted: &mut Inserted,
        scheduler: &Scheduler,
    ) -> Result<()> {
        let mut first_conflict: Option<(u32, StoreError)> = None;
        let length = run.held.len() as i64;
        for (position, offset, review) in run.in_card_order() {
            let id = self.run_first_id + i64::from(offset);
            match self.store(id, review, inserted, scheduler) {
                Ok(()) => {}
                Err(conflict @ StoreError::ConflictingReviews { .. }) => {
                    if first_conflict
                        .as_ref()
                        .is_none_or(|(first, _)| position < *first)
                    {
                        first_conflict = Some((position, conflict));
                    }
                }
                Err(other) => return Err(other),
            }
        }
        self.run_first_id += length;
        first_conflict.map_or(Ok(()), |(_, conflict)| Err(conflict))
    }

    /// Stores one review as `id` unless the log holds its card and time.
    fn store(
        &mut self,
        id: i64,
        review: NewReview,
        inserted: &mut Inserted,
        scheduler: &Scheduler,
    ) -> Result<()> {
        let ahead = inserted.replay_ahead(&review, scheduler);
        // A review replayed later gets its kind then.
        let kind = ahead
            .as_ref()
            .map_or(ReviewKind::Learning, |(_, kind)| *kind);
        let at_ms = review.at.timestamp_millis();
        // An answer undone (on this device or another) never comes back from a file.
        let undone = match &mut self.undone {
            Some(undone) => undone.query_row(params![review.card_id, at_ms], |row| row.get(0))?,
            None => false,
        };
        let added = if undone {
            0
        } else {
            self.insert.execute(params![
                review.card_id,
                deck_column(review.deck.as_ref()),
                at_ms,
                review.rating.as_u8(),
                stored_duration(review.duration_ms),
                kind.as_str(),
                id,
            ])?
        };
        if added == 1 {
            inserted.note_stored(self.tx, review, kind, ahead)
        } else {
            let found = self
                .present
                .query_row(params![review.card_id, at_ms], |row| {
                    Ok((row.get(0)?, row.get(1)?))
                })
                .opt()?;
            inserted.note_present(&review, found, self.last_before)
        }
    }
}

/// Adds an import's manual actions to the log (the cards they touch are replayed with
/// those of the reviews), its quiz results not already here, and decks' own limits not set
/// here.
fn insert_extras(
    tx: &Transaction<'_>,
    extras: &ImportExtras,
    inserted: &mut Inserted,
) -> Result<()> {
    for event in &extras.events {
        if super::events::insert_event(tx, event)? {
            inserted.report.events_added += 1;
            inserted.note_added(event.at.timestamp_millis());
            inserted
                .affected
                .insert(event.card_id.clone(), ReplayAhead::AfterImport);
        }
    }
    for quiz in &extras.quizzes {
        inserted.report.quizzes_added += tx.execute(
            "INSERT INTO quiz_result (deck, taken_at, correct, questions, planned)
             SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS
               (SELECT 1 FROM quiz_result WHERE deck = ?1 AND taken_at = ?2)",
            params![
                quiz.deck,
                quiz.taken_at.timestamp_millis(),
                quiz.correct,
                quiz.questions,
                quiz.planned.max(quiz.questions)
            ],
        )?;
    }
    for (deck, limit) in &extras.deck_new_per_day {
        tx.execute(
            "INSERT OR IGNORE INTO deck_setting (deck, key, value) VALUES (?1, ?2, ?3)",
            params![deck, Setting::NewPerDay.name(), limit.to_string()],
        )?;
    }
    Ok(())
}

/// Replays what an import changed: every card when it brought settings, else the cards that
/// got a review, with the totals from the earliest added review on. Returns how many cards
/// were replayed.
fn replay_imported(
    tx: &Transaction<'_>,
    inserted: &Inserted,
    settings_changed: bool,
    scheduler: &Scheduler,
) -> Result<usize> {
    if settings_changed {
        return replay_every_card(tx, scheduler);
    }
    let every_kind_final = inserted
        .affected
        .values()
        .all(|replayed| matches!(replayed, ReplayAhead::Done { .. }));
    // In id order, the order of the states' table.
    let mut affected: Vec<_> = inserted.affected.iter().collect();
    affected.sort_unstable_by_key(|(card_id, _)| *card_id);
    for (card_id, replayed) in affected {
        match replayed {
            ReplayAhead::Done { state, deck, .. } => {
                write_state(tx, card_id, inserted.decks.name(*deck), state)?
            }
            ReplayAhead::AfterImport => {
                replay_card(tx, card_id, scheduler, TotalsUpdate::RebuildLater)?;
            }
        }
    }
    if every_kind_final {
        add_totals(tx, &inserted.added_totals)?;
    } else if let Some(earliest) = inserted.earliest_ms {
        // A replay changes kinds only of the reviews of a card from the earliest added one
        // on, so the buckets before it are still right.
        rebuild_totals(tx, Some(earliest))?;
    }
    Ok(inserted.affected.len())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone as _;

    use super::*;
    use crate::settings::Settings;

    fn scheduler() -> Scheduler {
        Scheduler::new(
            Settings::default().scheduler_config(),
            crate::schedule::Zone::utc(),
        )
        .unwrap()
    }

    fn review(card: &str, minute: u32, rating: Rating) -> NewReview {
        NewReview {
            card_id: card.into(),
            deck: None,
            at: Utc.with_ymd_and_hms(2026, 3, 1, 9, minute, 0).unwrap(),
            rating,
            duration_ms: 1000,
        }
    }

    /// Whether SQLite still refuses a review of a kind its `CHECK` does not allow.
    fn log_checks_hold(store: &Store) -> bool {
        store
            .conn
            .execute(
                "INSERT INTO review_log (card_id, deck, reviewed_at, rating, kind)
                 VALUES ('x', '', 1, 3, 'cramming')",
                [],
            )
            .is_err()
    }

    #[test]
    fn an_import_stopped_after_several_runs_leaves_the_store_as_it_was() {
        let scheduler = scheduler();
        let mut store = Store::open_in_memory().unwrap();
        let kept = review("kept", 0, Rating::Good);
        store.import_reviews(&[kept], None, &scheduler).unwrap();
        let before = (store.review_count().unwrap(), store.cards().unwrap());
        // Three runs of 7 stored, then a bad row.
        let stream = (0..3 * RUN_LENGTH as u32)
            .map(|n| Ok(review(&format!("card-{}", n % 5), 1 + n, Rating::Good)))
            .chain([Err("line 23: bad rating")]);
        let failure = store
            .import_review_stream(stream, None, &scheduler)
            .unwrap_err();
        assert!(matches!(
            failure,
            ImportFailure::Source("line 23: bad rating")
        ));
        assert_eq!(
            (store.review_count().unwrap(), store.cards().unwrap()),
            before
        );
        assert_eq!(store.totals_mismatches().unwrap(), 0);
        assert!(log_checks_hold(&store), "the checks are on again");
    }

    #[test]
    fn the_log_checks_its_rows_again_after_an_import() {
        let scheduler = scheduler();
        let mut store = Store::open_in_memory().unwrap();
        let reviews: Vec<_> = (0..20)
            .map(|n| review(&format!("card-{}", n % 3), n, Rating::Hard))
            .collect();
        let report = store.import_reviews(&reviews, None, &scheduler).unwrap();
        assert_eq!(report.added, 20);
        assert!(log_checks_hold(&store));
        assert!(store.state_mismatches(&scheduler).unwrap().is_empty());
    }

    #[test]
    fn an_answer_undone_does_not_come_back_from_an_import() {
        let scheduler = scheduler();
        let mut store = Store::open_in_memory().unwrap();
        let (kept, undone) = (review("a", 1, Rating::Good), review("b", 2, Rating::Again));
        store.record_answer(&kept, &scheduler).unwrap();
        let answer = store.record_answer(&undone, &scheduler).unwrap();
        store.undo_review(answer.review_id, &scheduler).unwrap();
        let new = review("c", 3, Rating::Easy);
        let report = store
            .import_reviews(&[kept, undone, new], None, &scheduler)
            .unwrap();
        assert_eq!((report.added, report.skipped), (1, 2));
        assert!(store.reviews_of(&"b".into()).unwrap().is_empty());
        assert_eq!(store.reviews_of(&"c".into()).unwrap().len(), 1);
    }

    #[test]
    fn reviews_of_one_moment_keep_the_files_order_though_a_run_is_stored_by_card() {
        let scheduler = scheduler();
        let mut store = Store::open_in_memory().unwrap();
        // Runs of 7: the first holds two moments of three cards each, out of card order.
        let order = ["z", "a", "m", "y", "b", "n", "c", "x", "d"];
        let reviews: Vec<_> = order
            .iter()
            .enumerate()
            .map(|(n, card)| review(card, 1 + n as u32 / 3, Rating::Good))
            .collect();
        store.import_reviews(&reviews, None, &scheduler).unwrap();
        let mut logged = Vec::new();
        store
            .for_each_review(|review| {
                logged.push(review.card_id.to_string());
                Ok(())
            })
            .unwrap()
            .unwrap();
        assert_eq!(logged, order);
    }

    #[test]
    fn of_two_conflicts_in_one_run_the_first_in_the_file_is_reported() {
        let scheduler = scheduler();
        let mut store = Store::open_in_memory().unwrap();
        // Stored in card order, `a`'s conflict comes first; in the file, `z`'s does.
        let reviews = [
            review("z", 1, Rating::Good),
            review("a", 2, Rating::Good),
            review("z", 1, Rating::Again),
            review("a", 2, Rating::Hard),
        ];
        let error = store
            .import_reviews(&reviews, None, &scheduler)
            .unwrap_err();
        assert!(
            matches!(&error, StoreError::ConflictingReviews { card, .. } if card == "z"),
            "{error}"
        );
        let (log, states) = (
            store.reviews_of(&"a".into()).unwrap(),
            store.card(&"a".into()),
        );
        assert!(
            log.is_empty() && states.unwrap().is_none(),
            "nothing was imported"
        );
    }
}
