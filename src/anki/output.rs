//! Which paths `export --anki` refuses to write: those that would destroy the learner's
//! data (the refusal `export -o` shares, [`crate::export_guard::refuse_progress_files`]), and
//! those Anki would not recognise.

use std::path::{Path, PathBuf};

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
        "`{}` does not end in `.apkg`, which Anki and AnkiDroid need to recognise a package: try `{}.apkg`",
        .0.display(),
        .0.display()
    )]
    NotApkg(PathBuf),
}

/// Refuses `path` when it is the progress database `db`, one of its journal files or
/// backups (by name or by file identity), a folder, or a name without `.apkg`.
pub fn check(path: &Path, db: &Path) -> anyhow::Result<()> {
    if path.is_dir() {
        return Err(OutputRefused::Folder(path.to_path_buf()).into());
    }
    crate::export_guard::refuse_progress_files(path, db, "lupus.apkg")?;
    if !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("apkg"))
    {
        return Err(OutputRefused::NotApkg(path.to_path_buf()).into());
    }
    Ok(())
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
        let message = refused.unwrap_err().to_string();
        assert!(message.contains("it is the progress database"), "{message}");
    }
}
