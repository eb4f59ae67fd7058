//! Copies of the database, made with SQLite's online backup API: a consistent snapshot even
//! while another session is writing, which copying the file (and forgetting its `-wal`)
//! would not give.
//!
//! Automatic copies go to `backups/` beside the database, named by the time they were taken
//! (`progress-2026-03-01T090000Z.db`): one before any migration of an existing file, and one
//! a day at most. The newest [`KEPT_BACKUPS`] are kept. `doctor --repair` writes its copy
//! next to the database itself, where no rotation ever deletes it.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::Connection;
use rusqlite::backup::{Backup, StepResult};

use super::{Result, Store, StoreError};
use crate::files;
use crate::temp_files::{self, TempFiles};

/// How many automatic backups are kept; older ones are deleted.
pub const KEPT_BACKUPS: usize = 7;

/// The time in a backup's name: sortable, and free of `:` (which Windows forbids).
const STAMP_FORMAT: &str = "%Y-%m-%dT%H%M%SZ";
const STAMP_LEN: usize = "2026-03-01T090000Z".len();

/// Tries of a backup step that found the source locked by a writer.
const LOCKED_ATTEMPTS: u32 = 50;

/// The folder of automatic backups: `backups/` beside the database.
pub fn backups_dir(db: &Path) -> PathBuf {
    folder_of(db).join("backups")
}

/// The database's folder; empty for a bare file name, so that paths shown stay relative
/// to where the user is, as the `--db` they typed was.
fn folder_of(db: &Path) -> PathBuf {
    db.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// The database's file name split into stem and extension: `progress.db` gives
/// `("progress", "db")`; a name without extension gets `db`.
fn name_parts(db: &Path) -> (String, String) {
    let stem = db.file_stem().map_or_else(
        || "progress".to_string(),
        |s| s.to_string_lossy().into_owned(),
    );
    let extension = db
        .extension()
        .map_or_else(|| "db".to_string(), |e| e.to_string_lossy().into_owned());
    (stem, extension)
}

/// A path in `folder` named `{base}.{extension}` that does not exist yet (`{base}-2...` and
/// so on when it does): a backup never overwrites a file.
fn unused_path(folder: &Path, base: &str, extension: &str) -> PathBuf {
    let mut path = folder.join(format!("{base}.{extension}"));
    let mut n = 2;
    while path.exists() {
        path = folder.join(format!("{base}-{n}.{extension}"));
        n += 1;
    }
    path
}

/// The start of the names of the copies `doctor --repair` writes beside `db`:
/// `progress-before-repair-`.
pub fn repair_prefix(db: &Path) -> String {
    let (stem, _) = name_parts(db);
    format!("{stem}-before-repair-")
}

/// The newest automatic backup of `db`, if there is one.
pub fn newest_backup(db: &Path) -> Option<PathBuf> {
    automatic_backups(db)
        .into_iter()
        .next()
        .map(|(_, path)| path)
}

/// How to get a damaged database back: the newest backup, named, and how to put it in place.
pub fn restore_advice(db: &Path) -> String {
    match newest_backup(db) {
        Some(backup) => format!(
            "restore the newest backup: move `{db}` (and any `{name}-wal` and `{name}-shm` beside it) out of the way, then copy `{backup}` to `{db}`",
            db = db.display(),
            name = db.file_name().unwrap_or_default().to_string_lossy(),
            backup = backup.display()
        ),
        None => format!(
            "no backup of it exists yet (one is taken each day in `{}`); `lupus-quiz export -o rescue.json` saves what can still be read",
            backups_dir(db).display()
        ),
    }
}

/// The automatic backups of `db`, with the time in each name, newest first.
fn automatic_backups(db: &Path) -> Vec<(DateTime<Utc>, PathBuf)> {
    let (stem, extension) = name_parts(db);
    let prefix = format!("{stem}-");
    let suffix = format!(".{extension}");
    let Ok(entries) = fs::read_dir(backups_dir(db)) else {
        return Vec::new();
    };
    let mut found: Vec<(DateTime<Utc>, PathBuf)> = entries
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name().into_string().ok()?;
            let rest = name.strip_prefix(&prefix)?;
            rest.strip_suffix(&suffix)?;
            let stamp = rest.get(..STAMP_LEN)?;
            let at = NaiveDateTime::parse_from_str(stamp, STAMP_FORMAT).ok()?;
            Some((at.and_utc(), entry.path()))
        })
        .collect();
    found.sort_by(|a, b| b.cmp(a));
    found
}

/// Copies the database open on `source` (the file `source_path`) into a new file at
/// `destination`. The copy is written under a temporary name and linked into place once
/// complete, so a crash never leaves a half-written file that looks like a backup. The
/// temporary file (and its journal) is removed on every failure and on a signal that ends
/// the process; one left by a crash is removed by the next command ([`remove_leftovers`]).
/// The copy is readable by its owner only, and never by more than the database itself.
fn copy_database(source: &Connection, source_path: &Path, destination: &Path) -> Result<()> {
    let failed = |reason: String| StoreError::Backup {
        path: destination.to_path_buf(),
        reason,
    };
    // Named by process and moment, so that two commands backing up at the same time never
    // write into one temporary file.
    let mut partial = destination.as_os_str().to_owned();
    partial.push(format!(
        ".partial-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    ));
    let partial = PathBuf::from(partial);
    let journal = super::with_suffix(&partial, "-journal");
    // Declared before the connection, so dropped after it: the files are removed closed.
    let mut temps = TempFiles::new();
    temps.track(&partial);
    temps.track(&journal);
    // Created empty and private before SQLite opens it: SQLite keeps the mode of a file
    // that exists, and gives its journal the same.
    files::create_private_file(&partial).map_err(|e| failed(files::io_reason(&e)))?;
    copy_pages(source, &partial).map_err(failed)?;
    // Never more open than the database: a database its owner may only read gives a
    // backup its owner may only read.
    let mode = fs::metadata(source_path).map_or(files::PRIVATE_FILE, |m| {
        m.permissions().mode() & files::PRIVATE_FILE
    }) | 0o400;
    fs::set_permissions(&partial, fs::Permissions::from_mode(mode))
        .map_err(|e| failed(files::io_reason(&e)))?;
    // A link, not a rename: it never replaces a file of that name, which another command
    // backing up in the same second may have written meanwhile. The partial file goes
    // when `temps` is dropped.
    match fs::hard_link(&partial, destination) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(failed("a file of that name appeared meanwhile".to_string()))
        }
        Err(e) => Err(failed(files::io_reason(&e))),
    }
}

/// Copies every page of the database open on `source` into the empty file `partial`, and
/// closes it. On failure, the reason in words. Apart from [`copy_database`], which names
/// the file, keeps it private and links it into place, so that the connection to the copy
/// is closed before any of that.
fn copy_pages(source: &Connection, partial: &Path) -> std::result::Result<(), String> {
    let mut target = Connection::open(partial).map_err(|e| reason_of(&e))?;
    let backup = Backup::new(source, &mut target).map_err(|e| reason_of(&e))?;
    let mut attempt = 0;
    loop {
        // All pages in one step: one consistent snapshot, with no restart when another
        // session writes between steps.
        match backup.step(-1).map_err(|e| reason_of(&e))? {
            StepResult::Done => return Ok(()),
            StepResult::Busy | StepResult::Locked if attempt < LOCKED_ATTEMPTS => {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            StepResult::More => {}
            _ => return Err("the database stayed locked by another session; try again".to_string()),
        }
    }
}

/// Why SQLite could not write a backup, in words: a full disk says so.
fn reason_of(error: &rusqlite::Error) -> String {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::DiskFull) => {
            "the disk is full (the partial copy was deleted)".to_string()
        }
        _ => error.to_string(),
    }
}

/// Removes what commands that were killed while backing up `db` left behind: partial
/// copies in `backups/` and beside the database (a repair's copy), and a database being
/// created. Their names carry the pid of their writer, which no longer runs.
pub(super) fn remove_leftovers(db: &Path) {
    let name = db.file_name().unwrap_or_default();
    let folder = folder_of(db);
    temp_files::remove_leftovers(&backups_dir(db), temp_files::writer_of_partial_backup);
    temp_files::remove_leftovers(&folder, |candidate| {
        temp_files::writer_of_partial_backup(candidate)
            .or_else(|| temp_files::writer_of_new_database(name)(candidate))
    });
}

/// The first few problems of SQLite's quick check, on one line (a damaged page alone gives
/// a hundred, one a cell).
fn quick_check_summary(problems: &[String]) -> String {
    const SHOWN: usize = 3;
    let lines: Vec<&str> = problems
        .iter()
        .flat_map(|problem| problem.lines())
        .filter(|line| !line.starts_with("*** in database"))
        .collect();
    let more = match lines.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!("; and {n} more"),
    };
    format!(
        "SQLite's quick check says: {}{more}",
        lines[..lines.len().min(SHOWN)].join("; ")
    )
}

impl Store {
    /// Writes an automatic backup when none was taken in the day before `now`. Returns the
    /// backup's path, or `None` when none was due (or the database was created just now,
    /// or lives in memory, and so holds nothing worth a copy).
    pub fn backup_if_due(
        &self,
        now: DateTime<Utc>,
        days: &crate::schedule::StudyCalendar,
    ) -> Result<Option<PathBuf>> {
        if self.in_memory() || self.created {
            return Ok(None);
        }
        // One a calendar day of `days` (the learner's), as the README says: "within 24
        // hours" skipped a day whenever a command came earlier than the day before's.
        // A backup stamped after `now` (the clock went back) does not count: otherwise a
        // clock set a year back would stop backups for a year.
        let today = days.day_of(now);
        let recent = automatic_backups(&self.path)
            .iter()
            .any(|(at, _)| *at <= now && days.day_of(*at) == today);
        if recent {
            return Ok(None);
        }
        // Once a day, off the hot path: a damaged file is found before it is copied over
        // a good backup, and before more answers are written into it.
        let problems = self.quick_check().map_err(|e| match e {
            StoreError::Sql(e) => super::classify(&self.path, e),
            other => other,
        })?;
        if problems != ["ok"] {
            return Err(StoreError::Corrupt {
                path: self.path.clone(),
                message: quick_check_summary(&problems),
            });
        }
        self.automatic_backup(now).map(Some)
    }

    /// The backup taken before a migration: the old schema, as it was.
    pub(super) fn backup_before_migration(&self, now: DateTime<Utc>, version: i64) -> Result<()> {
        self.automatic_backup(now).map(|_| ()).map_err(|e| match e {
            StoreError::Backup { path, reason } => StoreError::Backup {
                path,
                reason: format!(
                    "{reason}; the database (schema {version}) was left as it was, not upgraded"
                ),
            },
            other => other,
        })
    }

    /// Writes a copy into the backups folder, then deletes the oldest automatic backups
    /// beyond [`KEPT_BACKUPS`] (never the one just written).
    fn automatic_backup(&self, now: DateTime<Utc>) -> Result<PathBuf> {
        let folder = backups_dir(&self.path);
        files::create_private_folders(&folder).map_err(|e| StoreError::Backup {
            path: folder.clone(),
            reason: files::io_reason(&e),
        })?;
        let (stem, extension) = name_parts(&self.path);
        let base = format!("{stem}-{}", now.format(STAMP_FORMAT));
        let path = unused_path(&folder, &base, &extension);
        match copy_database(&self.conn, &self.path, &path) {
            // Another command took the same second's backup at the same moment: one is
            // enough.
            Err(StoreError::Backup { .. }) if path.exists() => {}
            other => other?,
        }
        let older = automatic_backups(&self.path)
            .into_iter()
            .filter(|(_, found)| *found != path)
            .skip(KEPT_BACKUPS - 1);
        for (_, old) in older {
            let _ = fs::remove_file(old);
        }
        Ok(path)
    }

    /// A copy next to the database, taken before `doctor --repair` changes anything.
    pub fn backup_before_repair(&self, now: DateTime<Utc>) -> Result<PathBuf> {
        let (_, extension) = name_parts(&self.path);
        let base = format!("{}{}", repair_prefix(&self.path), now.format(STAMP_FORMAT));
        let path = unused_path(&folder_of(&self.path), &base, &extension);
        copy_database(&self.conn, &self.path, &path)?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schedule::{Rating, Scheduler, SchedulerConfig};
    use crate::store::NewReview;

    fn at(text: &str) -> DateTime<Utc> {
        crate::clock::parse_instant(text).unwrap()
    }

    fn store_with_a_review(path: &Path) -> Store {
        let mut store = Store::open(path).unwrap();
        let scheduler =
            Scheduler::new(SchedulerConfig::default(), crate::schedule::Zone::utc()).unwrap();
        store
            .record_answer(
                &NewReview {
                    card_id: "c".into(),
                    deck: Some("d".into()),
                    at: at("2026-03-01T09:00:00Z"),
                    rating: Rating::Good,
                    duration_ms: 1000,
                },
                &scheduler,
            )
            .unwrap();
        store
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    /// Calendar days in UTC.
    fn utc_days() -> crate::schedule::StudyCalendar {
        crate::schedule::StudyCalendar::new(0, crate::schedule::Zone::utc())
    }

    // Issue 28, item 11: a backup less than 24 hours old skipped the next calendar day's.
    #[test]
    fn a_new_database_is_not_backed_up_and_an_existing_one_once_a_calendar_day() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("progress.db");
        let store = store_with_a_review(&path);
        assert_eq!(
            store
                .backup_if_due(at("2026-03-01T09:00:00Z"), &utc_days())
                .unwrap(),
            None
        );
        drop(store);
        let store = Store::open(&path).unwrap();
        let first = store
            .backup_if_due(at("2026-03-01T09:00:00Z"), &utc_days())
            .unwrap();
        assert_eq!(
            first,
            Some(dir.path().join("backups/progress-2026-03-01T090000Z.db"))
        );
        assert_eq!(
            store
                .backup_if_due(at("2026-03-01T23:59:59Z"), &utc_days())
                .unwrap(),
            None
        );
        assert!(
            store
                .backup_if_due(at("2026-03-02T07:00:00Z"), &utc_days())
                .unwrap()
                .is_some()
        );
        let copy = Store::open(&first.unwrap()).unwrap();
        assert_eq!(copy.review_count().unwrap(), 1);
    }

    #[test]
    fn only_the_newest_backups_are_kept_and_other_files_are_left_alone() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("progress.db");
        drop(store_with_a_review(&path));
        let store = Store::open(&path).unwrap();
        fs::create_dir_all(dir.path().join("backups")).unwrap();
        fs::write(dir.path().join("backups/notes.txt"), "mine").unwrap();
        for day in 1..=10 {
            let now = at(&format!("2026-03-{day:02}T09:00:00Z"));
            assert!(store.backup_if_due(now, &utc_days()).unwrap().is_some());
        }
        let mut expected: Vec<String> = (4..=10)
            .map(|day| format!("progress-2026-03-{day:02}T090000Z.db"))
            .collect();
        expected.insert(0, "notes.txt".to_string());
        expected.sort();
        assert_eq!(names(&dir.path().join("backups")), expected);
    }

    #[test]
    fn two_first_of_day_backups_at_once_never_share_a_temporary_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("progress.db");
        drop(store_with_a_review(&path));
        let now = at("2026-03-02T09:00:00Z");
        for _ in 0..5 {
            let _ = fs::remove_dir_all(dir.path().join("backups"));
            let start = std::sync::Arc::new(std::sync::Barrier::new(2));
            let handles: Vec<_> = (0..2)
                .map(|_| {
                    let (path, start) = (path.clone(), std::sync::Arc::clone(&start));
                    std::thread::spawn(move || {
                        let store = Store::open(&path).unwrap();
                        start.wait();
                        store.backup_if_due(now, &utc_days())
                    })
                })
                .collect();
            for handle in handles {
                let result = handle.join().unwrap();
                assert!(result.is_ok(), "{result:?}");
            }
            let names = names(&dir.path().join("backups"));
            assert!(names.iter().all(|n| !n.contains(".partial")), "{names:?}");
            assert!(names.contains(&"progress-2026-03-02T090000Z.db".to_string()));
            for name in &names {
                let copy = Store::open(&dir.path().join("backups").join(name)).unwrap();
                assert_eq!(copy.review_count().unwrap(), 1);
            }
        }
    }

    #[test]
    fn a_clock_set_back_still_gets_a_backup_and_names_never_collide() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("progress.db");
        drop(store_with_a_review(&path));
        let store = Store::open(&path).unwrap();
        assert!(
            store
                .backup_if_due(at("2026-03-10T09:00:00Z"), &utc_days())
                .unwrap()
                .is_some()
        );
        assert!(
            store
                .backup_if_due(at("2026-03-01T09:00:00Z"), &utc_days())
                .unwrap()
                .is_some()
        );
        let now = at("2026-03-01T09:00:00Z");
        let first = store.backup_before_repair(now).unwrap();
        let second = store.backup_before_repair(now).unwrap();
        assert_eq!(
            first,
            dir.path()
                .join("progress-before-repair-2026-03-01T090000Z.db")
        );
        assert_eq!(
            second,
            dir.path()
                .join("progress-before-repair-2026-03-01T090000Z-2.db")
        );
    }

    #[test]
    fn an_existing_database_is_backed_up_before_its_schema_is_upgraded() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("progress.db");
        drop(store_with_a_review(&path));
        let mut upgraded: Vec<&str> = crate::store::migrations::MIGRATIONS.to_vec();
        upgraded.push("CREATE TABLE later_feature (x INTEGER);");
        let now = at("2026-03-05T10:00:00Z");
        let store = Store::open_with(&path, now, &upgraded).unwrap();
        assert_eq!(store.schema_version().unwrap(), upgraded.len() as i64);
        let copy = dir.path().join("backups/progress-2026-03-05T100000Z.db");
        let copy = Store::open(&copy).unwrap();
        assert_eq!(copy.schema_version().unwrap(), upgraded.len() as i64 - 1);
        assert_eq!(copy.review_count().unwrap(), 1);
        // The migration's own backup counts as the day's.
        assert_eq!(store.backup_if_due(now, &utc_days()).unwrap(), None);
    }
}
