//! Which paths `export --anki` refuses to write: those that would destroy the learner's
//! data, and those Anki would not recognise.

use std::path::{Component, Path, PathBuf};

/// Why an output path was refused.
#[derive(Debug, thiserror::Error)]
pub enum OutputRefused {
    #[error(
        "`{}` is a folder; name the Anki package file to write, such as `{}`",
        .0.display(),
        .0.join("lupus.apkg").display()
    )]
    Folder(PathBuf),
    #[error(
        "`{}` is your progress database{}; lupus-quiz will not write over it: choose another file for the Anki package, such as `lupus.apkg`",
        .path.display(),
        if *.journal { "'s journal" } else { "" }
    )]
    Database { path: PathBuf, journal: bool },
    #[error(
        "`{}` is in the folder of your progress backups; lupus-quiz will not write there: choose another file for the Anki package",
        .0.display()
    )]
    Backup(PathBuf),
    #[error(
        "`{}` does not end in `.apkg`, which Anki and AnkiDroid need to recognise a package: try `{}.apkg`",
        .0.display(),
        .0.display()
    )]
    NotApkg(PathBuf),
}

/// Refuses `path` when it is the progress database `db` (or one of its journal files), a
/// file among its backups, a folder, or a name without `.apkg`.
pub(super) fn check(path: &Path, db: &Path) -> Result<(), OutputRefused> {
    if path.is_dir() {
        return Err(OutputRefused::Folder(path.to_path_buf()));
    }
    let target = comparable(path);
    let db_path = comparable(db);
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut protected = db_path.clone().into_os_string();
        protected.push(suffix);
        if target.as_os_str() == protected {
            return Err(OutputRefused::Database {
                path: path.to_path_buf(),
                journal: !suffix.is_empty(),
            });
        }
    }
    if target.parent() == Some(comparable(&crate::store::backups_dir(db)).as_path()) {
        return Err(OutputRefused::Backup(path.to_path_buf()));
    }
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("apkg"))
    {
        return Err(OutputRefused::NotApkg(path.to_path_buf()));
    }
    Ok(())
}

/// `path` made absolute, with symbolic links resolved as far as it exists and `..` taken
/// as the file system would, so that two spellings of one file compare equal.
fn comparable(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::ParentDir => {
                resolved.pop();
            }
            Component::CurDir => {}
            other => {
                resolved.push(other);
                if let Ok(real) = resolved.canonicalize() {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_to_the_database_is_the_database() {
        let folder = std::env::temp_dir().join(format!("lq-anki-output-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let db = folder.join("progress.db");
        std::fs::write(&db, "").unwrap();
        let link = folder.join("link.apkg");
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink(&db, &link).unwrap();
        let refused = check(&link, &db);
        std::fs::remove_dir_all(&folder).unwrap();
        assert!(
            matches!(refused, Err(OutputRefused::Database { journal: false, .. })),
            "{refused:?}"
        );
    }
}
