//! The store's side of a sync folder (issue 30): this device's id and folder, the rows of
//! this device not yet appended to its own file, and merging the records of another
//! device's file.
//!
//! Rows that came from another device carry its id in `merged_from`, so that a device's
//! own file holds only what was done on it (or imported into it), never what it merged.
//! An answer undone is kept in `undone_review`: merging one drops the answer wherever it
//! is, and no file brings it back, so the order in which files are merged does not matter.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, Row, Transaction, params};

use super::events::{CardEvent, EVENT_COLUMNS, event_from_row};
use super::import::{ImportExtras, ImportJob, ImportReport, import_in};
use super::quizzes::QuizRecord;
use super::replay::{TotalsUpdate, replay_card};
use super::reviews::delete_review;
use super::rows::{NewReview, REVIEW_COLUMNS, review_from_row};
use super::{QueryOptional, Result, Store, from_millis};
use crate::ids::CardId;
use crate::schedule::Scheduler;

/// This device in a sync folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSetup {
    /// Chosen once, the first time a folder is set; it names the device's own file.
    pub device: String,
    /// `None` once the folder was reset: nothing is merged or written.
    pub folder: Option<PathBuf>,
    /// Bytes of the own file after the last append (0: nothing appended to it yet).
    pub written: u64,
}

/// An answer undone on some device: its card and time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoneReview {
    pub card_id: CardId,
    pub at: DateTime<Utc>,
}

/// The highest row of each kind appended to the own file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncMarks {
    pub review: i64,
    pub event: i64,
    pub quiz: i64,
    pub undo: i64,
}

/// Records of the sync folder's format, as stored: what a device's file brings at once, or
/// this device's rows not yet in its file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncRecords {
    pub reviews: Vec<NewReview>,
    pub events: Vec<CardEvent>,
    pub quizzes: Vec<QuizRecord>,
    pub undone: Vec<UndoneReview>,
}

impl SyncRecords {
    pub fn is_empty(&self) -> bool {
        self.reviews.is_empty()
            && self.events.is_empty()
            && self.quizzes.is_empty()
            && self.undone.is_empty()
    }

    pub fn len(&self) -> usize {
        self.reviews.len() + self.events.len() + self.quizzes.len() + self.undone.len()
    }
}

/// A file of another device, as far as it was merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedFile {
    /// Its path, as the folder's path joined with its name.
    pub path: String,
    pub device: String,
    /// Bytes read, up to the end of its last complete record.
    pub offset: u64,
    pub merged_at: DateTime<Utc>,
}

/// What merging one batch of a file did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncMerge {
    pub report: ImportReport,
    /// Answers dropped because their device undid them.
    pub undone: usize,
}

impl Store {
    /// This device's sync folder and id; `None` before a folder was ever set.
    pub fn sync_setup(&self) -> Result<Option<SyncSetup>> {
        Ok(self
            .conn
            .prepare_cached("SELECT device, folder, written FROM sync_folder WHERE id = 1")?
            .query_row([], |row| {
                Ok(SyncSetup {
                    device: row.get(0)?,
                    folder: row.get::<_, Option<String>>(1)?.map(PathBuf::from),
                    written: row.get::<_, i64>(2)?.max(0) as u64,
                })
            })
            .opt()?)
    }

    /// Sets the sync folder. The device id is `fresh_device` when none was chosen yet, and
    /// kept after. Another folder starts afresh: every row of this device is written to
    /// its file.
    pub fn set_sync_folder(&mut self, folder: &str, fresh_device: &str) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT OR IGNORE INTO sync_folder (id, device) VALUES (1, ?1)",
                [fresh_device],
            )?;
            tx.execute(
                "UPDATE sync_folder SET folder = ?1, review_mark = 0, event_mark = 0,
                   quiz_mark = 0, undo_mark = 0, written = 0
                 WHERE id = 1 AND folder IS NOT ?1",
                [folder],
            )?;
            Ok(())
        })
    }

    /// Leaves the sync folder, and forgets this device's id: a database copied to another
    /// computer gets an id of its own when a folder is set there again. What was merged is
    /// kept.
    pub fn leave_sync_folder(&mut self) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM sync_folder", [])?;
            Ok(())
        })
    }

    /// Starts the own file afresh (it is gone, or shorter than what was written to it):
    /// every row of this device is appended again.
    pub fn restart_own_file(&mut self) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_folder SET review_mark = 0, event_mark = 0, quiz_mark = 0,
                   undo_mark = 0, written = 0 WHERE id = 1",
                [],
            )?;
            Ok(())
        })
    }

    /// This device's rows not yet appended to its file, in the order they were stored, and
    /// the marks to store once they are.
    pub fn unsent(&self) -> Result<(SyncRecords, SyncMarks)> {
        self.in_one_read(|| {
            let marks = read_marks(&self.conn)?;
            let mut records = SyncRecords::default();
            let mut next = marks;
            for (id, review) in unsent_reviews(&self.conn, marks.review)? {
                next.review = id;
                records.reviews.push(review);
            }
            for (id, event) in unsent_events(&self.conn, marks.event)? {
                next.event = id;
                records.events.push(event);
            }
            for (id, quiz) in unsent_quizzes(&self.conn, marks.quiz)? {
                next.quiz = id;
                records.quizzes.push(quiz);
            }
            for (id, undone) in unsent_undone(&self.conn, marks.undo)? {
                next.undo = id;
                records.undone.push(undone);
            }
            Ok((records, next))
        })
    }

    /// Notes that the rows up to `marks` are in the own file, now `written` bytes long. A
    /// review undone meanwhile lowers its mark (SQLite gives its id again).
    pub fn mark_sent(&mut self, marks: &SyncMarks, written: u64) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE sync_folder SET
                   review_mark = max(review_mark,
                     min(?1, (SELECT coalesce(max(id), 0) FROM review_log))),
                   event_mark = max(event_mark, ?2), quiz_mark = max(quiz_mark, ?3),
                   undo_mark = max(undo_mark, ?4), written = max(written, ?5)
                 WHERE id = 1",
                params![
                    marks.review,
                    marks.event,
                    marks.quiz,
                    marks.undo,
                    written as i64
                ],
            )?;
            Ok(())
        })
    }

    /// The files of other devices merged so far, by path.
    pub fn merged_files(&self) -> Result<Vec<MergedFile>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT path, device, offset, merged_at FROM sync_merged ORDER BY path",
        )?;
        let files = statement
            .query_map([], |row| {
                Ok(MergedFile {
                    path: row.get(0)?,
                    device: row.get(1)?,
                    offset: row.get::<_, i64>(2)?.max(0) as u64,
                    merged_at: from_millis(row.get(3)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(files)
    }

    /// Merges records of another device's file, and notes how far it was read, all in one
    /// transaction: undone answers first (dropped wherever they are), then the reviews,
    /// actions and quiz results through the import, which skips what is here already. The
    /// rows added are marked as the device's, so that they never go into this device's file.
    pub fn merge_sync_records(
        &mut self,
        file: &MergedFile,
        records: &SyncRecords,
        scheduler: &Scheduler,
    ) -> Result<SyncMerge> {
        let extras = ImportExtras {
            events: records.events.clone(),
            quizzes: records.quizzes.clone(),
            deck_new_per_day: Vec::new(),
        };
        self.write(|tx| {
            let undone = drop_undone(tx, &file.device, &records.undone, scheduler)?;
            let before = last_ids(tx)?;
            let job = ImportJob {
                settings: None,
                extras: &extras,
                scheduler,
            };
            let reviews = records.reviews.iter().cloned().map(Ok);
            let report = import_in(tx, reviews, &job, &mut None::<std::convert::Infallible>)?;
            mark_merged_rows(tx, &file.device, before)?;
            note_merged(tx, file)?;
            Ok(SyncMerge { report, undone })
        })
    }

    /// Notes how far a file was read when it brought nothing to merge (a header alone).
    pub fn note_merged_file(&mut self, file: &MergedFile) -> Result<()> {
        self.write(|tx| note_merged(tx, file))
    }
}

fn read_marks(conn: &Connection) -> Result<SyncMarks> {
    Ok(conn
        .prepare_cached(
            "SELECT review_mark, event_mark, quiz_mark, undo_mark FROM sync_folder WHERE id = 1",
        )?
        .query_row([], |row| {
            Ok(SyncMarks {
                review: row.get(0)?,
                event: row.get(1)?,
                quiz: row.get(2)?,
                undo: row.get(3)?,
            })
        })
        .opt()?
        .unwrap_or_default())
}

/// This device's rows of one kind after `mark`: `sql` selects them, with the row id last
/// (at `id_at`), and `read` reads the rest.
fn unsent_rows<T>(
    conn: &Connection,
    sql: &str,
    mark: i64,
    id_at: usize,
    read: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<(i64, T)>> {
    let mut statement = conn.prepare_cached(sql)?;
    let rows = statement
        .query_map([mark], |row| Ok((row.get(id_at)?, read(row)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn unsent_reviews(conn: &Connection, mark: i64) -> Result<Vec<(i64, NewReview)>> {
    let sql = format!(
        "SELECT {REVIEW_COLUMNS} FROM review_log WHERE id > ?1 AND merged_from IS NULL ORDER BY id"
    );
    unsent_rows(conn, &sql, mark, 0, |row| {
        let review = review_from_row(row)?;
        Ok(NewReview {
            card_id: review.card_id,
            deck: review.deck,
            at: review.at,
            rating: review.rating,
            duration_ms: review.duration_ms,
        })
    })
}

fn unsent_events(conn: &Connection, mark: i64) -> Result<Vec<(i64, CardEvent)>> {
    let sql = format!(
        "SELECT {EVENT_COLUMNS}, id FROM card_event WHERE id > ?1 AND merged_from IS NULL ORDER BY id"
    );
    unsent_rows(conn, &sql, mark, 4, event_from_row)
}

fn unsent_quizzes(conn: &Connection, mark: i64) -> Result<Vec<(i64, QuizRecord)>> {
    let sql = "SELECT id, deck, taken_at, correct, questions, coalesce(planned, questions)
               FROM quiz_result WHERE id > ?1 AND merged_from IS NULL ORDER BY id";
    unsent_rows(conn, sql, mark, 0, |row| {
        Ok(QuizRecord {
            deck: row.get(1)?,
            taken_at: from_millis(row.get(2)?),
            correct: row.get(3)?,
            questions: row.get(4)?,
            planned: row.get(5)?,
        })
    })
}

fn unsent_undone(conn: &Connection, mark: i64) -> Result<Vec<(i64, UndoneReview)>> {
    let sql = "SELECT card_id, reviewed_at, id FROM undone_review
               WHERE id > ?1 AND merged_from IS NULL ORDER BY id";
    unsent_rows(conn, sql, mark, 2, |row| {
        Ok(UndoneReview {
            card_id: row.get(0)?,
            at: from_millis(row.get(1)?),
        })
    })
}

/// Keeps each undone answer, drops it from the log when it is there, and replays the
/// cards it touched. Returns how many answers were dropped.
fn drop_undone(
    tx: &Transaction<'_>,
    device: &str,
    undone: &[UndoneReview],
    scheduler: &Scheduler,
) -> Result<usize> {
    let mut touched = BTreeSet::new();
    let mut dropped = 0;
    for entry in undone {
        let at_ms = entry.at.timestamp_millis();
        tx.prepare_cached(
            "INSERT OR IGNORE INTO undone_review (card_id, reviewed_at, merged_from)
             VALUES (?1, ?2, ?3)",
        )?
        .execute(params![entry.card_id, at_ms, device])?;
        let review = tx
            .prepare_cached(&format!(
                "SELECT {REVIEW_COLUMNS} FROM review_log WHERE card_id = ?1 AND reviewed_at = ?2"
            ))?
            .query_row(params![entry.card_id, at_ms], review_from_row)
            .opt()?;
        let Some(review) = review else {
            continue;
        };
        delete_review(tx, &review)?;
        dropped += 1;
        touched.insert(review.card_id);
    }
    for card_id in &touched {
        replay_card(tx, card_id, scheduler, TotalsUpdate::Adjust)?;
    }
    Ok(dropped)
}

/// The highest id of the log's reviews, actions and quiz results.
fn last_ids(tx: &Transaction<'_>) -> Result<[i64; 3]> {
    let last = |table: &str| -> Result<i64> {
        Ok(tx.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM {table}"),
            [],
            |row| row.get(0),
        )?)
    };
    Ok([
        last("review_log")?,
        last("card_event")?,
        last("quiz_result")?,
    ])
}

/// Marks the rows a merge added (those after `before`) as `device`'s.
fn mark_merged_rows(tx: &Transaction<'_>, device: &str, before: [i64; 3]) -> Result<()> {
    for (table, last) in ["review_log", "card_event", "quiz_result"]
        .iter()
        .zip(before)
    {
        tx.execute(
            &format!("UPDATE {table} SET merged_from = ?1 WHERE id > ?2"),
            params![device, last],
        )?;
    }
    Ok(())
}

fn note_merged(tx: &Transaction<'_>, file: &MergedFile) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO sync_merged (path, device, offset, merged_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (path) DO UPDATE SET device = excluded.device, offset = excluded.offset,
           merged_at = excluded.merged_at",
    )?
    .execute(params![
        file.path,
        file.device,
        file.offset as i64,
        file.merged_at.timestamp_millis()
    ])?;
    Ok(())
}
