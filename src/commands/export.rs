//! `lupus-quiz export`: progress as JSON (or the review log as CSV).

use std::fs;
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::cli::AnkiArgs;
use crate::context::Context;
use crate::files;
use crate::store::backups_dir;
use crate::transfer::{self, JsonExport, ReviewEntry};

pub(crate) fn run(
    ctx: &Context,
    output: Option<&Path>,
    reviews_csv: bool,
    anki: &AnkiArgs,
    stdout: &mut dyn Write,
) -> anyhow::Result<()> {
    if let Some(package) = &anki.anki {
        return crate::anki::run(ctx, package, &anki.deck, anki.with_progress, stdout);
    }
    if let Some(path) = output {
        refuse_database_files(path, ctx.db_path()?)?;
    }
    // Read-only: an export rescues what a damaged file still holds, beside a running import.
    let store = ctx.open_store_to_read()?;
    // A stored value this version cannot use is left out (it keeps its default in the
    // file) with a warning, rather than stopping the backup of everything else.
    let (settings, unusable) = store.settings_lenient()?;
    for bad in &unusable {
        let _ = writeln!(
            std::io::stderr(),
            "warning: setting `{}` has an unusable value `{}`, so the export holds its default; fix it with `lupus-quiz config {} VALUE`",
            bad.key,
            crate::text::visible_inline(&bad.value),
            bad.key
        );
    }
    let write = |out: &mut dyn Write| -> anyhow::Result<()> {
        // A duration over a day (stored before answer times were capped) is written as a
        // day, the most import takes, so that every export can be imported again.
        let entry = |review: crate::store::ReviewRecord| ReviewEntry {
            card: review.card_id,
            at: review.at,
            rating: review.rating,
            duration_ms: review.duration_ms.min(transfer::MAX_DURATION_MS),
        };
        if reviews_csv {
            transfer::write_csv_header(out)?;
            store.for_each_review(|review| transfer::write_csv_review(out, &entry(review)))??;
            out.flush()?;
        } else {
            let cards = store.cards()?;
            let mut export = JsonExport::begin(out, ctx.clock.now(), &settings, &cards)?;
            store.for_each_review(|review| export.review(&entry(review)))??;
            export.finish()?;
        }
        Ok(())
    };
    match output {
        Some(path) => Ok(files::write_atomically(path, write)?),
        None => write(stdout),
    }
}

/// Refuses an output path that is the database, its journal files, or one of its backups,
/// by name or as the same file under another name (a symbolic or hard link): writing the
/// export there would destroy the progress it is a copy of. Nothing has been opened yet.
pub(crate) fn refuse_database_files(output: &Path, db: &Path) -> anyhow::Result<()> {
    let target = files::resolve_links(output).unwrap_or_else(|_| output.to_path_buf());
    let refuse = |what: &str, protected: &Path| {
        let why = match what {
            "in the backups folder" => "where only lupus-quiz's own backups belong",
            "a backup of the progress database" => "and writing there would destroy that backup",
            _ => "and writing there would destroy your progress",
        };
        anyhow::anyhow!(
            "refusing to export to `{}`: it is {what} `{}`, {why}; choose another file, like `progress.json`",
            output.display(),
            protected.display()
        )
    };
    let mut bases = vec![db.to_path_buf()];
    if let Ok(real) = fs::canonicalize(db)
        && real != db
    {
        bases.push(real);
    }
    let target_folder = canonical_folder(&target);
    let target_name = target.file_name().map(|n| n.to_string_lossy().into_owned());
    let target_id = fs::metadata(&target).ok().map(|m| (m.dev(), m.ino()));
    for base in &bases {
        let Some(db_name) = base.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        let db_folder = canonical_folder(base);
        let mut protected: Vec<(&str, PathBuf)> = vec![("the progress database", base.clone())];
        for suffix in ["-wal", "-shm", "-journal"] {
            protected.push((
                "a journal file of the progress database",
                with_suffix(base, suffix),
            ));
        }
        let stem = base
            .file_stem()
            .map_or_else(|| "progress".into(), |s| s.to_string_lossy());
        let repair_prefix = format!("{stem}-before-repair-");
        let folder = base.parent().unwrap_or(Path::new(""));
        let folder = if folder.as_os_str().is_empty() {
            Path::new(".")
        } else {
            folder
        };
        if let Ok(entries) = fs::read_dir(folder) {
            for entry in entries.flatten() {
                if entry
                    .file_name()
                    .to_string_lossy()
                    .starts_with(&repair_prefix)
                {
                    protected.push(("a backup of the progress database", entry.path()));
                }
            }
        }
        let backups = backups_dir(base);
        if let Ok(entries) = fs::read_dir(&backups) {
            for entry in entries.flatten() {
                protected.push(("a backup of the progress database", entry.path()));
            }
        }
        // By name: also files that do not exist yet (a `-wal` written by us would be read
        // by SQLite as its journal).
        if let (Some(folder), Some(name)) = (&target_folder, &target_name) {
            if db_folder.as_ref() == Some(folder) {
                if *name == db_name {
                    return Err(refuse("the progress database", base));
                }
                for suffix in ["-wal", "-shm", "-journal"] {
                    if *name == format!("{db_name}{suffix}") {
                        return Err(refuse(
                            "a journal file of the progress database",
                            &with_suffix(base, suffix),
                        ));
                    }
                }
                if name.starts_with(&repair_prefix) {
                    return Err(refuse("a backup of the progress database", &target));
                }
            }
            if canonical_folder(&backups.join("x")).as_ref() == Some(folder) {
                return Err(refuse("in the backups folder", &backups));
            }
        }
        // By identity: the same file under any name.
        if let Some(id) = target_id {
            for (what, path) in &protected {
                if fs::metadata(path).is_ok_and(|m| (m.dev(), m.ino()) == id) {
                    return Err(refuse(what, path));
                }
            }
        }
    }
    Ok(())
}

/// The folder `path` is in, resolved to its canonical form (`.` for a bare name).
fn canonical_folder(path: &Path) -> Option<PathBuf> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    fs::canonicalize(folder).ok()
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}
