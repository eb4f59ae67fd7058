//! The progress store: one SQLite file that owns the review log, card states, settings and
//! quiz results. This module is the only place with SQL.
//!
//! The review log is the truth and the card state a cache of it: every change of a card's
//! state comes from replaying its log through the scheduler, or from one answer recorded in
//! the same transaction as its review row.

mod migrations;
mod reviews;
mod settings;
mod stats;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

pub use migrations::latest_version;
pub use reviews::{ImportReport, NewReview, Recorded, ReviewRecord, StoredCard};

/// Marks a SQLite file as ours (`PRAGMA application_id`): "LQuz".
pub const APPLICATION_ID: i32 = 0x4C51_757A;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Problems opening or using the store, each saying which file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "`{path}` is not a lupus-quiz database (it is not an SQLite file at all); it was left untouched: pass another path with --db, or move the file away"
    )]
    NotSqlite { path: PathBuf },
    #[error(
        "`{path}` is an empty file, not a lupus-quiz database; it was left untouched: delete it to start afresh there, or pass another path with --db"
    )]
    EmptyFile { path: PathBuf },
    #[error(
        "`{path}` is a database of another program (application id {application_id:#x}); it was left untouched: pass another path with --db"
    )]
    Foreign { path: PathBuf, application_id: i32 },
    #[error(
        "`{path}` was written by a newer version of lupus-quiz (schema {found}, this version knows up to {supported}); it was left untouched: update lupus-quiz"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "`{path}` is damaged or not a database ({message}); it was left untouched: restore a backup, or pass another path with --db"
    )]
    Corrupt { path: PathBuf, message: String },
    #[error(
        "cannot create the folder `{path}` for the database: {source}; pass a writable path with --db"
    )]
    CreateFolder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot open `{path}`: {source}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "`{path}` is read-only, so answers could not be saved; make it writable (and its folder), or pass another path with --db"
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "setting `{key}` in the database has an unusable value: {message}; fix it with `lupus-quiz config {key} VALUE`"
    )]
    BadSetting { key: String, message: String },
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// The open progress database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (or creates) the database at `path` and brings its schema up to date.
    ///
    /// A file that is not ours is refused before anything is written to it.
    pub fn open(path: &Path) -> Result<Store> {
        let exists = path.exists();
        if exists {
            check_header(path)?;
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(|source| StoreError::CreateFolder {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        })?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.prepare()?;
        Ok(store)
    }

    /// A database in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
        };
        store.prepare()?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Checks the file is ours (or new), then sets pragmas and migrates.
    fn prepare(&mut self) -> Result<()> {
        let path = self.path.clone();
        let corrupt = |e: rusqlite::Error| classify(&path, e);
        self.conn
            .busy_timeout(Duration::from_secs(5))
            .map_err(corrupt)?;
        // Read-only checks first: nothing is written to a file that turns out not to be ours.
        let application_id: i32 = self
            .conn
            .query_row("PRAGMA application_id", [], |row| row.get(0))
            .map_err(corrupt)?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(corrupt)?;
        let tables: i64 = self
            .conn
            .query_row("SELECT count(*) FROM sqlite_schema", [], |row| row.get(0))
            .map_err(corrupt)?;
        if application_id != APPLICATION_ID && (application_id != 0 || tables > 0) {
            return Err(StoreError::Foreign {
                path: self.path.clone(),
                application_id,
            });
        }
        if version > latest_version() {
            return Err(StoreError::Newer {
                path: self.path.clone(),
                found: version,
                supported: latest_version(),
            });
        }
        if self.path != Path::new(":memory:") {
            self.conn
                .pragma_update(None, "journal_mode", "WAL")
                .map_err(corrupt)?;
        }
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(corrupt)?;
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(corrupt)?;
        self.migrate()
    }

    fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        // Read again inside the lock: another process may have migrated meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > latest_version() {
            return Err(StoreError::Newer {
                path,
                found: version,
                supported: latest_version(),
            });
        }
        if version == latest_version() {
            return Ok(());
        }
        for (index, migration) in migrations::MIGRATIONS.iter().enumerate() {
            let target = index as i64 + 1;
            if target > version {
                tx.execute_batch(migration)?;
            }
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", latest_version())?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(())
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Saves a quiz result for `stats`.
    pub fn record_quiz(
        &self,
        deck: &str,
        taken_at: DateTime<Utc>,
        correct: u32,
        questions: u32,
    ) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO quiz_result (deck, taken_at, correct, questions) VALUES (?1, ?2, ?3, ?4)",
                (deck, taken_at.timestamp_millis(), correct, questions),
            )
            .map_err(|e| classify(&self.path, e))?;
        Ok(())
    }

    /// Runs `f` in one IMMEDIATE transaction, committed only if it succeeds.
    fn write<T>(&mut self, f: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T>) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let value = f(&tx)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(value)
    }
}

/// Refuses files that are plainly not SQLite before SQLite gets a chance to touch them.
fn check_header(path: &Path) -> Result<()> {
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        // Permission problems are reported by SQLite's own open, with the path.
        Err(_) => return Ok(()),
    };
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(_) => return Ok(()),
        }
    }
    if read == 0 {
        return Err(StoreError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    if read < header.len() || &header != SQLITE_HEADER {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Turns SQLite's error codes into messages about the file.
fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            message: error.to_string(),
        },
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen)
            if error.to_string().contains("readonly") =>
        {
            StoreError::ReadOnly {
                path: path.to_path_buf(),
            }
        }
        Some(ErrorCode::ReadOnly) => StoreError::ReadOnly {
            path: path.to_path_buf(),
        },
        _ => StoreError::Sql(error),
    }
}

/// Converts stored milliseconds to a time.
fn from_millis(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// Extension used by the submodules for optional single-row queries.
trait QueryOptional<T> {
    fn opt(self) -> rusqlite::Result<Option<T>>;
}

impl<T> QueryOptional<T> for rusqlite::Result<T> {
    fn opt(self) -> rusqlite::Result<Option<T>> {
        self.optional()
    }
}

#[cfg(test)]
mod tests;
