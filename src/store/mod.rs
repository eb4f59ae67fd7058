//! The progress store: one SQLite file that owns the review log, card states, settings and
//! quiz results. This module is the only place with SQL.
//!
//! The review log is the truth and the card state a cache of it: every change of a card's
//! state comes from replaying its log through the scheduler, or from one answer recorded in
//! the same transaction as its review row.

mod backup;
mod cards;
mod deck_check;
mod doctor;
mod events;
mod goal;
mod history;
mod import;
mod migrations;
mod privacy;
mod quizzes;
mod replay;
mod rescue;
mod reviews;
mod rows;
mod settings;
mod stats;
mod sync;
mod totals;

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, MAIN_DB, OpenFlags, OptionalExtension, TransactionBehavior};

use crate::settings::Setting;

pub use backup::{KEPT_BACKUPS, backups_dir, newest_backup, repair_prefix, restore_advice};
pub use cards::{DeckTally, Listed, NextDue, Place, Standing, StoredFilter};
pub use deck_check::{DeckCheck, Holder};
pub use doctor::{LoggedCard, StateMismatch};
pub use events::{ActionReport, ActionTarget, CardEvent};
pub use goal::StoredGoal;
pub use import::{ImportExtras, ImportFailure, ImportReport};
pub use migrations::latest_version;
pub use privacy::{
    ExposedFile, JOURNAL_SUFFIXES, ProgressFileKind, exposed_files, progress_files, with_suffix,
};
pub use quizzes::QuizRecord;
pub use replay::{Merged, merged_log};
pub use rescue::RescuedReviews;
pub use rows::{MAX_DURATION_MS, NewReview, Recorded, ReviewRecord, StoredCard};
pub use settings::BadSetting;
pub use stats::{CardRow, DeckQuiz, QuizScore};
pub use sync::{MergedFile, SyncMarks, SyncMerge, SyncRecords, SyncSetup, UndoneReview};
pub use totals::{BUCKET_MS, ReviewTotals, TotalsBucket};

/// Marks a SQLite file as ours (`PRAGMA application_id`): "LQuz".
pub const APPLICATION_ID: i32 = 0x4C51_757A;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// Problems opening or using the store, each saying which file and what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A streamed import met a bad row; everything it had written was rolled back.
    #[error("the import stopped at a bad row; nothing of it was saved")]
    ImportStopped,
    #[error(
        "the file answers card `{card}` twice at {at}, once {first} and once {second}; a review log holds one answer per card and moment, so which one is true cannot be known: remove the wrong row and import again (nothing was imported)"
    )]
    ConflictingReviews {
        card: String,
        at: String,
        first: String,
        second: String,
    },
    #[error(
        "`{path}` is not a lupus-quiz database (it is not an SQLite file at all); it was left untouched: pass another path with --db, or move the file away"
    )]
    NotSqlite { path: PathBuf },
    #[error(
        "`{path}` is an empty file, not a lupus-quiz database; it was left untouched: delete it to start afresh there, or pass another path with --db"
    )]
    EmptyFile { path: PathBuf },
    #[error(
        "`{path}` is a database of another program{}; it was left untouched: pass another path with --db",
        foreign_id(*.application_id)
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
        "`{path}` is damaged or not a database ({message}); lupus-quiz writes nothing more to it: {}; `lupus-quiz doctor` lists what it still holds (or pass another path with --db)",
        backup::restore_advice(.path)
    )]
    Corrupt { path: PathBuf, message: String },
    #[error(
        "`{path}` is damaged: {message} (a table lupus-quiz needs is missing or was changed by another program); lupus-quiz writes nothing more to it: {}; `lupus-quiz doctor` lists what it still holds",
        backup::restore_advice(.path)
    )]
    MissingTable { path: PathBuf, message: String },
    #[error(
        "cannot write `{path}`: the disk is full, so this change was not saved; free some space and try again"
    )]
    DiskFull { path: PathBuf },
    #[error(
        "cannot create the folder `{path}` for the database ({}); pass a writable path with --db",
        .reason.kind()
    )]
    CreateFolder { path: PathBuf, reason: io::Error },
    #[error("`{path}` is a folder; --db must name a database file inside it, such as `{}`", .path.join("progress.db").display())]
    IsFolder { path: PathBuf },
    #[error(
        "cannot read `{path}` (permission denied); make it readable for your user, or pass another path with --db"
    )]
    Unreadable { path: PathBuf },
    #[error(
        "cannot create `{path}`: its folder `{folder}` is not writable; make the folder writable, or pass another path with --db"
    )]
    CannotCreate { path: PathBuf, folder: PathBuf },
    #[error("cannot open `{path}`: {reason}")]
    Open {
        path: PathBuf,
        reason: rusqlite::Error,
    },
    #[error(
        "`{path}` is read-only, and every answer is saved in it; it was left untouched: make it writable (`chmod u+w`), or pass another path with --db"
    )]
    ReadOnly { path: PathBuf },
    #[error(
        "`{path}` cannot be used because its folder `{folder}` is read-only: SQLite must create its journal files (`{}-wal`, `{}-shm`) beside it; it was left untouched: make the folder writable, or move the file to a writable folder and pass it with --db",
        file_name(.path),
        file_name(.path)
    )]
    FolderReadOnly { path: PathBuf, folder: PathBuf },
    #[error(
        "`{path}` stayed locked by another lupus-quiz command (a session, an import) for too long, so this change was not saved; wait for it to finish and try again"
    )]
    Busy { path: PathBuf },
    #[error("cannot write the backup `{path}`: {reason}")]
    Backup { path: PathBuf, reason: String },
    #[error(
        "setting `{key}` in the database has an unusable value: {message}; fix it with `lupus-quiz config {key} VALUE`, or `lupus-quiz config --reset {key}` for the default"
    )]
    BadSetting { key: Setting, message: String },
    /// Stored settings that are each usable but cannot schedule together (a combination
    /// stored by another version or by hand). Its text reads as if `settings` were one
    /// setting, as it always has.
    #[error(
        "the stored settings cannot schedule cards together ({message}); `lupus-quiz config` lists them: change one with `lupus-quiz config KEY VALUE`, or return it to its default with `lupus-quiz config --reset KEY`"
    )]
    UnusableSettings { message: String },
    #[error("database error: {error}{advice}", error = .0, advice = sql_advice(.0))]
    Sql(#[from] rusqlite::Error),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// How many times a transaction that found the database locked is tried again. Each try
/// already waits up to the busy timeout, so this only matters when another process holds
/// the lock for long, or when SQLite reports `BUSY` without waiting (it does so when a
/// second process switches a new file to WAL at the same moment).
const BUSY_ATTEMPTS: u32 = 3;

/// How long SQLite itself waits for another process's lock before reporting `BUSY`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl StoreError {
    /// True when another connection held a lock: worth trying the same work again.
    pub fn is_busy(&self) -> bool {
        match self {
            StoreError::Busy { .. } => true,
            StoreError::Sql(error) => is_busy(error),
            _ => false,
        }
    }
}

fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// The open progress database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// `PRAGMA data_version` when [`Store::changed_elsewhere`] last looked.
    seen_version: std::cell::Cell<Option<i64>>,
    /// The file did not exist before this open: there is nothing to back up yet.
    created: bool,
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
        Store::open_at(path, Utc::now())
    }

    /// [`Store::open`], with `now` naming the backup written before a migration (the
    /// command line passes its clock, which honours `LUPUS_QUIZ_NOW`).
    pub fn open_at(path: &Path, now: DateTime<Utc>) -> Result<Store> {
        Store::open_with(path, now, migrations::MIGRATIONS)
    }

    /// [`Store::open_at`] with the list of migrations to apply (tests add one, to see an
    /// upgrade happen).
    fn open_with(path: &Path, now: DateTime<Utc>, migrations: &[&str]) -> Result<Store> {
        if path.is_dir() {
            return Err(StoreError::IsFolder {
                path: path.to_path_buf(),
            });
        }
        let created = !path.exists();
        if created && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            crate::files::create_private_folders(parent).map_err(|reason| {
                StoreError::CreateFolder {
                    path: parent.to_path_buf(),
                    reason,
                }
            })?;
        }
        backup::remove_leftovers(path);
        if created {
            create_database(path, now, migrations)?;
        }
        let header = check_header(path)?;
        // Decided from the header, before SQLite opens the file: opening a WAL database
        // creates `-wal` and `-shm` files beside it, which a refused file must not get.
        if header.application_id != 0 && header.application_id != APPLICATION_ID {
            return Err(StoreError::Foreign {
                path: path.to_path_buf(),
                application_id: header.application_id,
            });
        }
        if header.application_id == APPLICATION_ID && header.user_version > migrations.len() as i64
        {
            return Err(StoreError::Newer {
                path: path.to_path_buf(),
                found: header.user_version,
                supported: migrations.len() as i64,
            });
        }
        // Opening for writing without truncating changes nothing.
        if fs::OpenOptions::new()
            .write(true)
            .open(path)
            .is_err_and(|e| e.kind() == io::ErrorKind::PermissionDenied)
        {
            return Err(StoreError::ReadOnly {
                path: path.to_path_buf(),
            });
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| classify(path, e))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            seen_version: Default::default(),
            created,
        };
        store.prepare_retrying(now, migrations)?;
        Ok(store)
    }

    /// [`Store::prepare`], tried again when another process held a lock: SQLite reports
    /// `BUSY` without waiting when two processes switch one file to WAL together.
    fn prepare_retrying(&mut self, now: DateTime<Utc>, migrations: &[&str]) -> Result<()> {
        let mut attempt = 1;
        loop {
            match self.prepare(now, migrations) {
                Err(error) if error.is_busy() && attempt < BUSY_ATTEMPTS => {
                    std::thread::sleep(Duration::from_millis(50 * u64::from(attempt)));
                    attempt += 1;
                }
                Err(error) if error.is_busy() => {
                    return Err(StoreError::Busy {
                        path: self.path.clone(),
                    });
                }
                other => return other,
            }
        }
    }

    /// A database in memory: for tests, and for a command that only reads progress when
    /// there is no database file yet (reading must not create one).
    pub fn open_in_memory() -> Result<Store> {
        let conn = Connection::open_in_memory()?;
        let mut store = Store {
            conn,
            path: PathBuf::from(":memory:"),
            seen_version: Default::default(),
            created: true,
        };
        store.prepare(Utc::now(), migrations::MIGRATIONS)?;
        Ok(store)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn in_memory(&self) -> bool {
        self.path == Path::new(":memory:")
    }

    /// Checks the file is ours (or new), then sets pragmas and migrates, after a backup
    /// when an existing database is about to be migrated.
    fn prepare(&mut self, now: DateTime<Utc>, migrations: &[&str]) -> Result<()> {
        let latest = migrations.len() as i64;
        self.conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| classify(&self.path, e))?;
        // Read-only checks first: nothing is written to a file that turns out not to be ours.
        let version = self.schema_version_if_ours(latest)?;
        self.set_pragmas()?;
        // A current schema needs no write lock: read-only commands (`stats`, `export`,
        // `doctor`) then run beside a long import or a session, never waiting on them.
        if version == latest {
            return Ok(());
        }
        if version > 0 && !self.in_memory() {
            self.backup_before_migration(now, version)?;
        }
        self.migrate(migrations)
    }

    /// The file's schema version, when it is a lupus-quiz database (or an empty file) of
    /// a version this build knows, and may be written.
    fn schema_version_if_ours(&self, latest: i64) -> Result<i64> {
        let corrupt = |e: rusqlite::Error| classify(&self.path, e);
        let read = |sql: &str| -> Result<i64> {
            self.conn
                .query_row(sql, [], |row| row.get(0))
                .map_err(corrupt)
        };
        let application_id = read("PRAGMA application_id")? as i32;
        let version = read("PRAGMA user_version")?;
        let tables = read("SELECT count(*) FROM sqlite_schema")?;
        if application_id != APPLICATION_ID && (application_id != 0 || tables > 0) {
            return Err(StoreError::Foreign {
                path: self.path.clone(),
                application_id,
            });
        }
        if version > latest {
            return Err(StoreError::Newer {
                path: self.path.clone(),
                found: version,
                supported: latest,
            });
        }
        // SQLite quietly opens a file it may not write read-only; say so now rather than
        // at the first answer.
        if self.conn.is_readonly(MAIN_DB).map_err(corrupt)? {
            return Err(unwritable(&self.path, None));
        }
        Ok(version)
    }

    /// WAL journal (for a file), foreign keys, and normal syncing.
    fn set_pragmas(&self) -> Result<()> {
        let corrupt = |e: rusqlite::Error| classify(&self.path, e);
        if !self.in_memory() {
            // Asked first: switching needs the write lock, which another command may hold
            // for a long import, and a file already in WAL mode needs no switch.
            let mode: String = self
                .conn
                .query_row("PRAGMA journal_mode", [], |row| row.get(0))
                .map_err(corrupt)?;
            if !mode.eq_ignore_ascii_case("wal") {
                self.conn
                    .pragma_update(None, "journal_mode", "WAL")
                    .map_err(corrupt)?;
            }
        }
        self.conn
            .pragma_update(None, "foreign_keys", "ON")
            .map_err(corrupt)?;
        self.conn
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(corrupt)?;
        // SQLite's default cache of 2 MiB is less than the card states of a large
        // collection (4 MiB at 50,000 cards): `review` looking up the 8,000 cards due read
        // each page of them five times over (issue 18). The cache grows only as pages are read.
        self.conn
            .pragma_update(None, "cache_size", -16_384)
            .map_err(corrupt)?;
        // SQLite's temporary files, in memory: a statement that fires triggers (those of
        // migration 9, on every write of a card state) keeps a statement journal, and in a
        // file it doubled an import's system time with a million small writes (issue 31).
        self.conn
            .pragma_update(None, "temp_store", "MEMORY")
            .map_err(corrupt)?;
        Ok(())
    }

    fn migrate(&mut self, migrations: &[&str]) -> Result<()> {
        let latest = migrations.len() as i64;
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        // Read again inside the lock: another process may have migrated meanwhile.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        if version > latest {
            return Err(StoreError::Newer {
                path,
                found: version,
                supported: latest,
            });
        }
        if version == latest {
            return Ok(());
        }
        for (index, migration) in migrations.iter().enumerate() {
            let target = index as i64 + 1;
            if target > version {
                tx.execute_batch(migration)?;
            }
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", latest)?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(())
    }

    /// Sets how long SQLite waits for another connection's lock (tests shorten it).
    #[cfg(test)]
    pub(crate) fn set_busy_timeout(&self, timeout: Duration) {
        self.conn.busy_timeout(timeout).unwrap();
    }

    /// Runs raw SQL on the file (tests use it to damage a database or make a write fail).
    #[cfg(test)]
    pub(crate) fn execute_for_tests(&self, sql: &str) {
        self.conn.execute_batch(sql).unwrap();
    }

    /// Runs `reads` in one read transaction, so that its statements share one snapshot of
    /// the file and one taking of SQLite's locks, instead of each locking and looking at the
    /// file on its own: a streak asks once per active day and `study` once per card of its
    /// deck, which made hundreds of lock and `stat` calls (issue 18). Inside a transaction
    /// already, it just runs them.
    pub fn in_one_read<T, E: From<StoreError>>(
        &self,
        reads: impl FnOnce() -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        if !self.conn.is_autocommit() {
            return reads();
        }
        let snapshot = self
            .conn
            .unchecked_transaction()
            .map_err(|e| classify(&self.path, e))?;
        let result = reads();
        // It only read: ending it by rolling back changes nothing.
        drop(snapshot);
        result
    }

    /// Whether another connection (another command, another session) committed a change
    /// since the last call; true the first time. It costs one cheap pragma, so a session
    /// asks before every card.
    pub fn changed_elsewhere(&self) -> Result<bool> {
        let version: i64 = self
            .conn
            .query_row("PRAGMA data_version", [], |row| row.get(0))
            .map_err(|e| classify(&self.path, e))?;
        Ok(self.seen_version.replace(Some(version)) != Some(version))
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))?)
    }

    /// Runs `f` in one IMMEDIATE transaction, committed only if it succeeds. When another
    /// process kept the database locked past the busy timeout, the whole transaction is
    /// tried again: it was rolled back, so running `f` again records nothing twice.
    fn write<T>(
        &mut self,
        mut f: impl FnMut(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let mut attempt = 1;
        loop {
            match self.write_once(&mut f) {
                Err(error) if error.is_busy() && attempt < BUSY_ATTEMPTS => attempt += 1,
                Err(error) if error.is_busy() => {
                    return Err(StoreError::Busy {
                        path: self.path.clone(),
                    });
                }
                other => return other,
            }
        }
    }

    fn write_once<T>(
        &mut self,
        f: &mut impl FnMut(&rusqlite::Transaction<'_>) -> Result<T>,
    ) -> Result<T> {
        let path = self.path.clone();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(&path, e))?;
        let value = f(&tx).map_err(|e| match e {
            StoreError::Sql(e) => classify(&path, e),
            other => other,
        })?;
        tx.commit().map_err(|e| classify(&path, e))?;
        Ok(value)
    }
}

/// What the first 100 bytes of an SQLite file say about it.
struct Header {
    application_id: i32,
    user_version: i64,
}

/// Refuses files that are plainly not SQLite before SQLite gets a chance to touch them,
/// and reads the header's application id and schema version.
fn check_header(path: &Path) -> Result<Header> {
    let unknown = Header {
        application_id: 0,
        user_version: 0,
    };
    let mut file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::PermissionDenied => {
            return Err(StoreError::Unreadable {
                path: path.to_path_buf(),
            });
        }
        // Anything else is reported by SQLite's own open, with the path.
        Err(_) => return Ok(unknown),
    };
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(_) => return Ok(unknown),
        }
    }
    if read == 0 {
        return Err(StoreError::EmptyFile {
            path: path.to_path_buf(),
        });
    }
    if read < SQLITE_HEADER.len() || &header[..SQLITE_HEADER.len()] != SQLITE_HEADER {
        return Err(StoreError::NotSqlite {
            path: path.to_path_buf(),
        });
    }
    if read < header.len() {
        // Too short for a database: SQLite's own checks say how it is damaged.
        return Ok(unknown);
    }
    let field = |at: usize| [header[at], header[at + 1], header[at + 2], header[at + 3]];
    Ok(Header {
        application_id: i32::from_be_bytes(field(68)),
        user_version: i64::from(u32::from_be_bytes(field(60))),
    })
}

/// Creates a new database at `path` all at once: it is built under a temporary name and
/// linked into place complete, so that another process opening `path` at the same moment
/// finds no file or a whole database, never an empty file (which it would refuse). When
/// another process got there first, its database is kept and ours discarded.
fn create_database(path: &Path, now: DateTime<Utc>, migrations: &[&str]) -> Result<()> {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".new-{}", std::process::id()));
    let temporary = path.with_file_name(name);
    // Removed on every way out, and by a signal that ends the process meanwhile.
    let mut temps = crate::temp_files::TempFiles::new();
    for suffix in std::iter::once("").chain(JOURNAL_SUFFIXES) {
        let file = with_suffix(&temporary, suffix);
        let _ = fs::remove_file(&file);
        temps.track(&file);
    }
    // Created empty and private first: SQLite keeps the mode of a file that exists, and
    // gives the `-wal` and `-shm` files beside it the same.
    crate::files::create_private_file(&temporary).map_err(|_| unwritable(path, None))?;
    let built = Connection::open_with_flags(
        &temporary,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| classify(path, e))
    .and_then(|conn| {
        let mut store = Store {
            conn,
            path: temporary.clone(),
            seen_version: Default::default(),
            created: true,
        };
        store.prepare_retrying(now, migrations)
    });
    let placed = built.and_then(|()| match fs::hard_link(&temporary, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        // A file system without hard links: a rename, which could only replace a database
        // another process created in the last instant.
        Err(_) if !path.exists() => {
            fs::rename(&temporary, path).map_err(|_| unwritable(path, None))
        }
        Err(_) => Ok(()),
    });
    // The connection is closed: its files can go.
    drop(temps);
    placed
}

/// Turns SQLite's error codes into messages about the file.
fn classify(path: &Path, error: rusqlite::Error) -> StoreError {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::NotADatabase) | Some(ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
            path: path.to_path_buf(),
            message: error.to_string(),
        },
        Some(ErrorCode::ReadOnly) | Some(ErrorCode::CannotOpen) => unwritable(path, Some(error)),
        Some(ErrorCode::DiskFull) => StoreError::DiskFull {
            path: path.to_path_buf(),
        },
        // SQLite reports a disk that fills while it grows `-shm` or `-wal` as an I/O
        // error (`SQLITE_IOERR_SHMSIZE`, 4874, when a command opens the file): the free
        // space tells the two apart.
        Some(ErrorCode::SystemIoFailure) if crate::files::disk_is_full(path) => {
            StoreError::DiskFull {
                path: path.to_path_buf(),
            }
        }
        _ if is_missing_table(&error) => StoreError::MissingTable {
            path: path.to_path_buf(),
            message: error.to_string(),
        },
        _ => StoreError::Sql(error),
    }
}

/// Whether SQLite says a table or column of our schema is not there: a damaged file, or
/// one changed by another program.
fn is_missing_table(error: &rusqlite::Error) -> bool {
    let text = error.to_string();
    text.starts_with("no such table") || text.starts_with("no such column")
}

/// What an SQL error that reached the user without its file means, and what to do.
fn sql_advice(error: &rusqlite::Error) -> &'static str {
    use rusqlite::ErrorCode;
    match error.sqlite_error_code() {
        Some(ErrorCode::DatabaseCorrupt) | Some(ErrorCode::NotADatabase) => {
            "; the database is damaged: run `lupus-quiz doctor`, which lists what can still be read and which backup to restore"
        }
        Some(ErrorCode::DiskFull) => "; the disk is full: free some space and try again",
        _ if is_missing_table(error) => {
            "; the database is damaged (a table lupus-quiz needs is missing): run `lupus-quiz doctor`, which lists what can still be read and which backup to restore"
        }
        _ => "",
    }
}

/// Works out why SQLite could not write (or create) the database: the file is read-only, or
/// its folder is, where SQLite must create the file or its `-wal` and `-shm` companions.
fn unwritable(path: &Path, error: Option<rusqlite::Error>) -> StoreError {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !path.exists() {
        if !folder_is_writable(&folder) {
            return StoreError::CannotCreate {
                path: path.to_path_buf(),
                folder,
            };
        }
    } else if fs::OpenOptions::new()
        .write(true)
        .open(path)
        .is_err_and(|e| e.kind() == io::ErrorKind::PermissionDenied)
    {
        // Opening for writing without truncating changes nothing.
        return StoreError::ReadOnly {
            path: path.to_path_buf(),
        };
    } else if !folder_is_writable(&folder) {
        return StoreError::FolderReadOnly {
            path: path.to_path_buf(),
            folder,
        };
    }
    match error {
        Some(reason) => StoreError::Open {
            path: path.to_path_buf(),
            reason,
        },
        None => StoreError::ReadOnly {
            path: path.to_path_buf(),
        },
    }
}

/// Whether a file can be created in `folder`, found by creating (and removing) one: the
/// permission bits alone do not tell, with owners, groups, ACLs and read-only mounts.
fn folder_is_writable(folder: &Path) -> bool {
    let probe = folder.join(format!(".lupus-quiz-write-test-{}", std::process::id()));
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = fs::remove_file(&probe);
            true
        }
        Err(e) => e.kind() == io::ErrorKind::AlreadyExists,
    }
}

/// The file name of `path`, for messages.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    )
}

/// How a foreign database's application id is shown: not at all when it has none.
fn foreign_id(application_id: i32) -> String {
    if application_id == 0 {
        String::new()
    } else {
        format!(" (application id {application_id:#x})")
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
