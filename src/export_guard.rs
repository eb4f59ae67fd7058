//! The files of the progress database that an export must never overwrite: the database,
//! its journal files and its backups, by name or as the same file under another name (a
//! symbolic or hard link). `export -o` and `export --anki` both refuse them.
//!
//! Apart from [`crate::files`], which knows nothing of the database: the store lists its
//! files ([`crate::store::progress_files`], the same list `doctor` keeps private), and the
//! store in turn writes through `files`.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::files::resolve_links;
use crate::store::{
    JOURNAL_SUFFIXES, ProgressFileKind, backups_dir, progress_files, repair_prefix, with_suffix,
};

/// Why a progress file must not be overwritten, in the words of the refusal.
fn what(kind: ProgressFileKind) -> &'static str {
    match kind {
        ProgressFileKind::Database => "the progress database",
        ProgressFileKind::Journal => "a journal file of the progress database",
        ProgressFileKind::Backup => "a backup of the progress database",
        ProgressFileKind::BackupsFolder => "in the backups folder",
    }
}

fn why(kind: ProgressFileKind) -> &'static str {
    match kind {
        ProgressFileKind::BackupsFolder => "where only lupus-quiz's own backups belong",
        ProgressFileKind::Backup => "and writing there would destroy that backup",
        ProgressFileKind::Database | ProgressFileKind::Journal => {
            "and writing there would destroy your progress"
        }
    }
}

/// Refuses an output path (of `export -o` or `export --anki`) that is the database, its
/// journal files, or one of its backups,
/// by name or as the same file under another name (a symbolic or hard link): writing the
/// export there would destroy the progress it is a copy of. Nothing has been opened yet.
pub(crate) fn refuse_progress_files(output: &Path, db: &Path, example: &str) -> anyhow::Result<()> {
    let target = resolve_links(output).unwrap_or_else(|_| output.to_path_buf());
    let mut bases = vec![db.to_path_buf()];
    if let Ok(real) = fs::canonicalize(db)
        && real != db
    {
        bases.push(real);
    }
    let target_id = fs::metadata(&target).ok().map(|m| (m.dev(), m.ino()));
    for base in &bases {
        let by_name = refused_by_name(&target, base);
        let by_identity = || {
            let id = target_id?;
            progress_files(base)
                .into_iter()
                .find(|(_, path)| fs::metadata(path).is_ok_and(|m| (m.dev(), m.ino()) == id))
        };
        if let Some((kind, path)) = by_name.or_else(by_identity) {
            anyhow::bail!(
                "refusing to export to `{}`: it is {} `{}`, {}; choose another file, like `{example}`",
                output.display(),
                what(kind),
                path.display(),
                why(kind)
            );
        }
    }
    Ok(())
}

/// A protected file `target` names, whether or not it exists yet: a `-wal` written by us
/// would be read by SQLite as its journal.
fn refused_by_name(target: &Path, base: &Path) -> Option<(ProgressFileKind, PathBuf)> {
    let folder = canonical_folder(target)?;
    let name = target.file_name()?.to_string_lossy().into_owned();
    let db_name = base.file_name()?.to_string_lossy().into_owned();
    if canonical_folder(base).as_ref() == Some(&folder) {
        if name == db_name {
            return Some((ProgressFileKind::Database, base.to_path_buf()));
        }
        if let Some(suffix) = JOURNAL_SUFFIXES
            .into_iter()
            .find(|suffix| name == format!("{db_name}{suffix}"))
        {
            return Some((ProgressFileKind::Journal, with_suffix(base, suffix)));
        }
        if name.starts_with(&repair_prefix(base)) {
            return Some((ProgressFileKind::Backup, target.to_path_buf()));
        }
    }
    let backups = backups_dir(base);
    (canonical_folder(&backups.join("x")).as_ref() == Some(&folder))
        .then_some((ProgressFileKind::BackupsFolder, backups))
}

/// The folder `path` is in, resolved to its canonical form (`.` for a bare name), as far
/// as it exists: `backups/../progress.db` is in the database's folder even before a
/// `backups` folder exists.
fn canonical_folder(path: &Path) -> Option<PathBuf> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    Some(comparable(folder))
}

/// `path` made absolute, with symbolic links resolved as far as it exists and `..` taken
/// as the file system would (after the links before it), so that two spellings of one
/// file compare equal.
fn comparable(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut resolved = PathBuf::new();
    for component in absolute.components() {
        match component {
            std::path::Component::ParentDir => {
                resolved.pop();
            }
            std::path::Component::CurDir => {}
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
