//! A sync folder that another tool (Syncthing, Dropbox, a git repository) keeps in step
//! between computers (issue 30). Each device appends its own reviews, actions, quiz results
//! and undone answers to its own file there, `lupus-quiz-DEVICE.jsonl`, and merges every
//! other file of the folder with the import, which skips what it already has. The review
//! log is the truth and states are its replay, so merging files in any order gives every
//! device the same log and the same states.
//!
//! Nothing here stops a command: a folder that cannot be read or written is a warning, and
//! studying goes on. The file format is in `transfer/sync.rs`, the rows in `store/sync.rs`.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::files::{PRIVATE_FILE, io_reason};
use crate::schedule::Scheduler;
use crate::store::{MergedFile, Store, SyncSetup};
use crate::text::{plural, visible_inline};
use crate::transfer::{MAX_PROGRESS_BYTES, read_sync_lines, sync_header, sync_lines};

/// How every device's file is named: `lupus-quiz-DEVICE.jsonl`. Copies a sync tool makes
/// of one in a conflict keep both ends (`lupus-quiz-D.sync-conflict-….jsonl`,
/// `lupus-quiz-D (…'s conflicted copy …).jsonl`), and are merged like any other.
const FILE_PREFIX: &str = "lupus-quiz-";
const FILE_SUFFIX: &str = ".jsonl";

/// The name `config` takes for the sync folder. Not one of the settings of
/// [`crate::settings::Setting`]: it belongs to this computer, so an export never carries it
/// to another.
pub(crate) const SYNC_DIR: &str = "sync_dir";

/// The name of `device`'s own file.
pub(crate) fn own_file_name(device: &str) -> String {
    format!("{FILE_PREFIX}{device}{FILE_SUFFIX}")
}

/// A new device id: 16 random hexadecimal digits.
pub(crate) fn new_device_id() -> String {
    format!("{:016x}", rand::random::<u64>())
}

/// Whether a file of the folder is a device's file, or a sync tool's copy of one. Hidden
/// files are the sync tools' own (Syncthing's `.syncthing.….tmp`).
fn is_device_file(name: &str) -> bool {
    !name.starts_with('.') && name.starts_with(FILE_PREFIX) && name.ends_with(FILE_SUFFIX)
}

/// What merging one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct FileMerged {
    /// The file's name, ready to print.
    pub name: String,
    pub device: String,
    pub added: usize,
    /// Reviews the log held already (or that their device undid).
    pub present: usize,
    pub events: usize,
    pub quizzes: usize,
    pub undone: usize,
}

impl FileMerged {
    /// The report line `sync` prints.
    pub(crate) fn line(&self) -> String {
        let mut line = format!(
            "merged {} (device {}): {} review{} added, {} already present",
            self.name,
            self.device,
            self.added,
            plural(self.added),
            self.present
        );
        if self.events + self.quizzes + self.undone > 0 {
            line.push_str(&format!(
                ", {} action{}, {} quiz result{}, {} answer{} undone",
                self.events,
                plural(self.events),
                self.quizzes,
                plural(self.quizzes),
                self.undone,
                plural(self.undone)
            ));
        }
        line
    }
}

/// What merging a folder did: a report per file that had something new, and warnings.
#[derive(Debug, Default)]
pub(crate) struct FolderMerge {
    pub merged: Vec<FileMerged>,
    pub warnings: Vec<String>,
}

/// The folder shown in a message.
pub(crate) fn shown(folder: &Path) -> String {
    visible_inline(&folder.display().to_string()).into_owned()
}

/// The one warning about a sync folder that is not there (merging and appending both
/// meet it, and a command prints it once).
fn missing_folder(folder: &Path) -> String {
    format!(
        "the sync folder `{}` does not exist (was it moved, or is its drive not mounted?), so nothing was merged from or written to it; your progress here is saved, and studying goes on: create the folder, or set another with `lupus-quiz config sync_dir PATH`",
        shown(folder)
    )
}

/// Merges every other device's file of `setup`'s folder: each from where the last merge
/// stopped, when it grew since.
pub(crate) fn merge_folder(
    store: &mut Store,
    setup: &SyncSetup,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
) -> FolderMerge {
    let mut merge = FolderMerge::default();
    let Some(folder) = &setup.folder else {
        return merge;
    };
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            merge.warnings.push(missing_folder(folder));
            return merge;
        }
        Err(e) => {
            merge.warnings.push(format!(
                "cannot read the sync folder `{}` ({}), so nothing was merged from your other devices; your progress here is saved, and studying goes on: make the folder readable, or set another with `lupus-quiz config sync_dir PATH`",
                shown(folder),
                io_reason(&e)
            ));
            return merge;
        }
    };
    let known: HashMap<String, MergedFile> = match store.merged_files() {
        Ok(files) => files.into_iter().map(|f| (f.path.clone(), f)).collect(),
        Err(e) => {
            merge
                .warnings
                .push(format!("cannot merge the sync folder: {e}"));
            return merge;
        }
    };
    let own = own_file_name(&setup.device);
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| is_device_file(name) && *name != own)
        .collect();
    names.sort();
    let job = MergeJob { now, scheduler };
    for name in names {
        let path = folder.join(&name);
        let seen = known.get(&path.to_string_lossy().into_owned());
        match job.merge_file(store, &path, seen) {
            Ok(Some(merged)) => merge.merged.push(merged),
            Ok(None) => {}
            Err(warning) => merge.warnings.push(warning),
        }
    }
    merge
}

/// What every file of one merge shares.
struct MergeJob<'a> {
    now: DateTime<Utc>,
    scheduler: &'a Scheduler,
}

/// What was read of a file: its name to print, its device, and its lines from byte `start`.
struct Found {
    name: String,
    device: String,
    start: u64,
    read: crate::transfer::SyncRead,
}

/// The part of a file not merged yet, and where it starts.
struct NewPart {
    start: u64,
    bytes: Vec<u8>,
}

impl MergeJob<'_> {
    /// Merges what `path` holds beyond what was merged of it (`seen`); `None` when it holds
    /// nothing new. A file that is shorter than what was read of it, or whose byte before
    /// that point is not the end of a record, was replaced: it is read again from its
    /// start, which merges nothing twice.
    fn merge_file(
        &self,
        store: &mut Store,
        path: &Path,
        seen: Option<&MergedFile>,
    ) -> Result<Option<FileMerged>, String> {
        let name =
            visible_inline(&path.file_name().unwrap_or_default().to_string_lossy()).into_owned();
        let cannot = |e: std::io::Error| {
            format!(
                "cannot read `{name}` of the sync folder ({}); it was not merged",
                io_reason(&e)
            )
        };
        let size = fs::metadata(path).map_err(cannot)?.len();
        let offset = seen.map_or(0, |file| file.offset);
        if size == offset {
            return Ok(None);
        }
        if size - offset.min(size) > MAX_PROGRESS_BYTES {
            return Err(format!(
                "`{name}` of the sync folder has grown by more than {MAX_PROGRESS_BYTES} bytes, over the limit; it was not merged"
            ));
        }
        let part = read_new_part(path, if size < offset { 0 } else { offset }).map_err(cannot)?;
        let mut start = part.start;
        let mut read = read_sync_lines(&part.bytes, start, 1, self.now)
            .map_err(|problem| format!("`{name}` of the sync folder was not merged: {problem}"))?;
        if start > 0 && !read.problems.is_empty() {
            // Read again whole, so that the warning names the lines.
            let whole = read_new_part(path, 0).map_err(cannot)?;
            start = 0;
            read = read_sync_lines(&whole.bytes, 0, 1, self.now).map_err(|problem| {
                format!("`{name}` of the sync folder was not merged: {problem}")
            })?;
        }
        let device = match (read.device.take(), seen) {
            (Some(device), _) => device,
            (None, Some(seen)) => seen.device.clone(),
            // An empty file, or a header still being written.
            (None, None) => return Ok(None),
        };
        let found = Found {
            name,
            device,
            start,
            read,
        };
        self.store_records(store, path, found)
    }

    fn store_records(
        &self,
        store: &mut Store,
        path: &Path,
        found: Found,
    ) -> Result<Option<FileMerged>, String> {
        let Found {
            name,
            device,
            start,
            read,
        } = found;
        let file = MergedFile {
            path: path.to_string_lossy().into_owned(),
            device: device.clone(),
            // A file with lines that cannot be read is read again next time: they may be a
            // sync tool's copy still in progress.
            offset: start
                + if read.problems.is_empty() {
                    read.consumed as u64
                } else {
                    0
                },
            merged_at: self.now,
        };
        let problem = first_problem(&name, &read.problems);
        let stored = if read.records.is_empty() {
            store.note_merged_file(&file).map(|()| None)
        } else {
            store
                .merge_sync_records(&file, &read.records, self.scheduler)
                .map(Some)
        };
        let merged =
            stored.map_err(|e| format!("`{name}` of the sync folder was not merged: {e}"))?;
        if let Some(problem) = problem {
            return Err(problem);
        }
        Ok(merged.map(|merged| FileMerged {
            name,
            device,
            added: merged.report.added,
            present: merged.report.skipped + merged.report.repeated,
            events: merged.report.events_added,
            quizzes: merged.report.quizzes_added,
            undone: merged.undone,
        }))
    }
}

/// The warning about the lines of a file that cannot be read, naming the first.
fn first_problem(name: &str, problems: &[String]) -> Option<String> {
    let first = problems.first()?;
    let more = match problems.len() - 1 {
        0 => String::new(),
        more => format!(
            " (and {more} more line{} that cannot be read)",
            plural(more)
        ),
    };
    Some(format!(
        "`{name}` of the sync folder: {first}{more}; the rest of the file was merged"
    ))
}

/// The bytes of `path` from `offset` on; from its start instead when the byte before
/// `offset` is not the end of a record (the file was replaced by another).
fn read_new_part(path: &Path, offset: u64) -> std::io::Result<NewPart> {
    let mut file = File::open(path)?;
    let mut bytes = Vec::new();
    if offset > 0 {
        file.seek(SeekFrom::Start(offset - 1))?;
        (&mut file)
            .take(MAX_PROGRESS_BYTES + 1)
            .read_to_end(&mut bytes)?;
        if bytes.first() == Some(&b'\n') {
            bytes.remove(0);
            return Ok(NewPart {
                start: offset,
                bytes,
            });
        }
        bytes.clear();
        file.seek(SeekFrom::Start(0))?;
    }
    file.take(MAX_PROGRESS_BYTES).read_to_end(&mut bytes)?;
    Ok(NewPart { start: 0, bytes })
}

/// What appending to the own file did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Appended {
    pub file: PathBuf,
    pub records: usize,
}

/// Appends this device's rows not yet in its own file (all of them when the file is new,
/// or was cut short or deleted). The error is a warning to print.
pub(crate) fn append_own(store: &mut Store, setup: &SyncSetup) -> Result<Appended, String> {
    let Some(folder) = &setup.folder else {
        return Err("no sync folder is set".to_string());
    };
    let cannot_write = |e: std::io::Error| {
        format!(
            "cannot write to the sync folder `{}` ({}); your progress is saved here and reaches your other devices once the folder is writable",
            shown(folder),
            io_reason(&e)
        )
    };
    match fs::metadata(folder) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => {
            return Err(cannot_write(std::io::Error::from(
                std::io::ErrorKind::NotADirectory,
            )));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(missing_folder(folder)),
        Err(e) => return Err(cannot_write(e)),
    }
    let path = folder.join(own_file_name(&setup.device));
    let size = fs::metadata(&path).map_or(0, |meta| meta.len());
    let store_error = |e: crate::store::StoreError| format!("cannot write to the sync folder: {e}");
    if size < setup.written || (size == 0 && setup.written == 0) {
        store.restart_own_file().map_err(store_error)?;
    }
    let (records, marks) = store.unsent().map_err(store_error)?;
    if records.is_empty() && size > 0 {
        return Ok(Appended {
            file: path,
            records: 0,
        });
    }
    let mut file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(PRIVATE_FILE)
        .open(&path)
        .map_err(cannot_write)?;
    let mut bytes = Vec::new();
    if file.metadata().map_err(cannot_write)?.len() == 0 {
        bytes.extend(sync_header(&setup.device).into_bytes());
    }
    bytes.extend(sync_lines(&records));
    // Not flushed to the disk: a crash that loses this write leaves the file shorter than
    // `written`, and the next append then writes every row of this device again.
    file.write_all(&bytes).map_err(cannot_write)?;
    let written = file.metadata().map_err(cannot_write)?.len();
    store.mark_sent(&marks, written).map_err(store_error)?;
    Ok(Appended {
        file: path,
        records: records.len(),
    })
}

#[cfg(test)]
mod tests;
