//! Who may read the progress files: the database, its journal files and every backup hold
//! health-related data (which lupus and transplant cards a person studies, and when), so
//! they are their owner's only. New files are created so ([`crate::files::PRIVATE_FILE`]);
//! this finds older ones that other users can open, for `doctor`, and closes them.

use std::fs;
use std::io;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::backup::{backups_dir, repair_prefix};

/// A progress file (or the backups folder) that users other than its owner can open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExposedFile {
    pub path: PathBuf,
    /// Its permission bits (`0o644`).
    pub mode: u32,
}

impl ExposedFile {
    /// The permissions it gets: its owner's bits, no one else's.
    pub fn private_mode(&self) -> u32 {
        self.mode & 0o700
    }

    /// Takes every permission of the group and of other users away.
    pub fn make_private(&self) -> io::Result<()> {
        fs::set_permissions(&self.path, fs::Permissions::from_mode(self.private_mode()))
    }
}

/// The suffixes SQLite gives the journal files beside a database.
pub const JOURNAL_SUFFIXES: [&str; 3] = ["-wal", "-shm", "-journal"];

/// What a file among a database's progress files is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressFileKind {
    Database,
    /// A `-wal`, `-shm` or `-journal` file, which SQLite reads as part of the database.
    Journal,
    /// A copy `doctor --repair` wrote beside the database, or a file in the backups folder.
    Backup,
    BackupsFolder,
}

/// `path` with `suffix` added to its file name (`progress.db` and `-wal`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The progress files of the database `db`: the database and its journal files (whether
/// they exist or not), then those that exist of the copies `doctor --repair` wrote beside
/// it, the backups folder and what is in it, in a stable order. One list for the files
/// `doctor` keeps private and the files an export refuses to overwrite.
pub fn progress_files(db: &Path) -> Vec<(ProgressFileKind, PathBuf)> {
    let mut files = vec![(ProgressFileKind::Database, db.to_path_buf())];
    for suffix in JOURNAL_SUFFIXES {
        files.push((ProgressFileKind::Journal, with_suffix(db, suffix)));
    }
    let folder = match db.parent() {
        Some(folder) if !folder.as_os_str().is_empty() => folder,
        _ => Path::new("."),
    };
    let prefix = repair_prefix(db);
    let mut beside: Vec<PathBuf> = fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(&prefix))
        .map(|entry| entry.path())
        .collect();
    beside.sort();
    files.extend(
        beside
            .into_iter()
            .map(|path| (ProgressFileKind::Backup, path)),
    );
    let backups = backups_dir(db);
    if backups.is_dir() {
        let mut inside: Vec<PathBuf> = fs::read_dir(&backups)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .collect();
        inside.sort();
        files.push((ProgressFileKind::BackupsFolder, backups));
        files.extend(
            inside
                .into_iter()
                .map(|path| (ProgressFileKind::Backup, path)),
        );
    }
    files
}

/// The progress files of `db` that the group or other users may open, in a stable order.
/// Links are not followed: a link's own bits mean nothing, and its target is not ours.
pub fn exposed_files(db: &Path) -> Vec<ExposedFile> {
    progress_files(db)
        .into_iter()
        .filter_map(|(_, path)| {
            let meta = fs::symlink_metadata(&path).ok()?;
            if !(meta.is_file() || meta.is_dir()) {
                return None;
            }
            let mode = meta.permissions().mode() & 0o7777;
            (mode & 0o077 != 0).then_some(ExposedFile { path, mode })
        })
        .collect()
}
