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

/// The progress files of the database `db` that exist: the database, its journal files,
/// the copies `doctor --repair` wrote beside it, the backups folder and what is in it.
fn progress_files(db: &Path) -> Vec<PathBuf> {
    let mut files = vec![db.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        files.push(PathBuf::from(name));
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
    files.extend(beside);
    let backups = backups_dir(db);
    if backups.is_dir() {
        let mut inside: Vec<PathBuf> = fs::read_dir(&backups)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .collect();
        inside.sort();
        files.push(backups);
        files.extend(inside);
    }
    files
}

/// The progress files of `db` that the group or other users may open, in a stable order.
/// Links are not followed: a link's own bits mean nothing, and its target is not ours.
pub fn exposed_files(db: &Path) -> Vec<ExposedFile> {
    progress_files(db)
        .into_iter()
        .filter_map(|path| {
            let meta = fs::symlink_metadata(&path).ok()?;
            if !(meta.is_file() || meta.is_dir()) {
                return None;
            }
            let mode = meta.permissions().mode() & 0o7777;
            (mode & 0o077 != 0).then_some(ExposedFile { path, mode })
        })
        .collect()
}
