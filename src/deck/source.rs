//! Where decks come from, before parsing: the decks compiled into the binary, and the user's
//! deck files (`*.yaml`, `*.yml`) in a decks folder or named on the command line, each named
//! by its file name and read only when it is a regular file, through the size limit.
//!
//! A user's file is opened and looked at here, but read only when the deck cache cannot
//! vouch for it by the file's identity ([`FileStamp`]); that is why a deck file's text is a
//! [`DeckBytes`] rather than bytes.

use std::borrow::Cow;
use std::fs::{self, File};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::error::{DeckError, DeckErrorKind};
use super::load::MAX_DECK_BYTES;
use super::locate::FieldLines;
use super::model::{Deck, DeckOrigin};
use crate::files::{self, ReadError};
use crate::ids::DeckName;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_decks.rs"));
}

/// One deck file, before parsing.
#[derive(Debug)]
pub struct DeckFile {
    pub name: DeckName,
    /// How messages name the file.
    pub label: String,
    pub origin: DeckOrigin,
    pub bytes: Result<DeckBytes, DeckErrorKind>,
}

impl DeckFile {
    /// A deck file in memory named `name`, a built-in one, with a flip card of each id.
    #[cfg(test)]
    pub(crate) fn of_flip_cards(name: &str, ids: &[&str]) -> DeckFile {
        let mut text = format!("title: {name}\ndescription: D\ncards:\n");
        for id in ids {
            text += &format!(
                "  - id: {id}\n    type: flip\n    front: Q {id}?\n    back: A.\n    explanation: E.\n    source: S\n"
            );
        }
        DeckFile {
            name: name.into(),
            label: format!("{name}.yaml"),
            origin: DeckOrigin::Builtin,
            bytes: Ok(text.into_bytes().into()),
        }
    }
}

/// The text of a deck file: in memory, or in a file opened but not read yet, so that a
/// deck the cache knows unchanged by the file's identity is never read (issue 18).
#[derive(Debug)]
pub enum DeckBytes {
    /// Made by a test, or otherwise in memory.
    Memory(Cow<'static, [u8]>),
    /// Compiled into the binary, with the blake3 hash of that text (computed by `build.rs`),
    /// so that the cache need not hash it on every start.
    Builtin {
        bytes: &'static [u8],
        hash: [u8; 32],
    },
    /// A regular file of the user's, opened, with what it looked like then.
    File { file: File, stamp: FileStamp },
}

impl From<Vec<u8>> for DeckBytes {
    fn from(bytes: Vec<u8>) -> DeckBytes {
        DeckBytes::Memory(Cow::Owned(bytes))
    }
}

impl DeckBytes {
    /// The size in bytes, without reading.
    pub(super) fn size(&self) -> u64 {
        match self {
            DeckBytes::Memory(bytes) => bytes.len() as u64,
            DeckBytes::Builtin { bytes, .. } => bytes.len() as u64,
            DeckBytes::File { stamp, .. } => stamp.size,
        }
    }

    /// The identity of the file, for a user's file.
    pub(super) fn stamp(&self) -> Option<FileStamp> {
        match self {
            DeckBytes::Memory(_) | DeckBytes::Builtin { .. } => None,
            DeckBytes::File { stamp, .. } => Some(*stamp),
        }
    }

    /// The blake3 hash of the text when it is known without reading it (a built-in deck's,
    /// computed when the program was built).
    pub(super) fn known_hash(&self) -> Option<[u8; 32]> {
        match self {
            DeckBytes::Builtin { hash, .. } => Some(*hash),
            DeckBytes::Memory(_) | DeckBytes::File { .. } => None,
        }
    }

    /// The bytes, read now from an opened file (through the size limit).
    pub(super) fn read(self) -> Result<Cow<'static, [u8]>, DeckErrorKind> {
        match self {
            DeckBytes::Memory(bytes) => Ok(bytes),
            DeckBytes::Builtin { bytes, .. } => Ok(Cow::Borrowed(bytes)),
            DeckBytes::File { file, .. } => files::read_to_limit(file, MAX_DECK_BYTES)
                .map(Cow::Owned)
                .map_err(read_error_kind),
        }
    }
}

/// The decks compiled into the binary.
pub fn builtin_files() -> Vec<DeckFile> {
    builtin::BUILTIN_DECKS
        .iter()
        .map(|(name, bytes, hash)| DeckFile {
            name: DeckName::from(*name),
            label: format!("decks/{name}.yaml (built-in)"),
            origin: DeckOrigin::Builtin,
            bytes: Ok(DeckBytes::Builtin { bytes, hash: *hash }),
        })
        .collect()
}

/// Where each card's fields are written in `deck`'s file, read afresh, for reports that
/// point at lines (`check --readability`); no lines when the file can no longer be read.
pub fn field_lines(deck: &Deck) -> FieldLines {
    let bytes: Option<Cow<'static, [u8]>> = match &deck.origin {
        DeckOrigin::Builtin => builtin::BUILTIN_DECKS
            .iter()
            .find(|(name, ..)| *name == deck.name.as_str())
            .map(|(_, bytes, _)| Cow::Borrowed(*bytes)),
        DeckOrigin::File(path) => read_file(path).bytes.ok().and_then(|b| b.read().ok()),
    };
    let text = bytes
        .as_deref()
        .and_then(|bytes| std::str::from_utf8(bytes).ok())
        .unwrap_or("");
    FieldLines::of(text)
}

/// Reads one deck file from disk. Problems reading it become a [`DeckError`] later, so that
/// they are reported together with the problems of other files.
pub fn read_file(path: &Path) -> DeckFile {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Only regular files, through the size limit: a FIFO would block, a device never end.
    // Opened and looked at now, read only when the cache cannot vouch for it; the time is
    // taken before the look, for the cache's racy rule.
    let looked = SystemTime::now();
    let bytes = files::open_regular(path)
        .and_then(|(file, meta)| {
            if meta.len() > MAX_DECK_BYTES {
                return Err(ReadError::TooLarge {
                    size: Some(meta.len()),
                    limit: MAX_DECK_BYTES,
                });
            }
            let stamp = FileStamp::of(&meta, looked);
            Ok(DeckBytes::File { file, stamp })
        })
        .map_err(read_error_kind);
    DeckFile {
        name: DeckName::new(name),
        label: path.display().to_string(),
        origin: DeckOrigin::File(path.to_path_buf()),
        bytes,
    }
}

fn read_error_kind(e: ReadError) -> DeckErrorKind {
    match e {
        ReadError::TooLarge { size, limit } => DeckErrorKind::TooLarge {
            size: size.unwrap_or(limit + 1),
            limit,
        },
        ReadError::NotRegular(what) => DeckErrorKind::NotARegularFile { what },
        ReadError::Loop => DeckErrorKind::SymlinkLoop,
        ReadError::Dangling(target) => DeckErrorKind::DanglingSymlink {
            target: target.display().to_string(),
        },
        ReadError::Io(e) => DeckErrorKind::Unreadable(unreadable_reason(&e)),
    }
}

/// Why a deck file or folder cannot be read, in the words of every other message
/// ("permission denied", not "Permission denied (os error 13)"), and what to do.
fn unreadable_reason(e: &std::io::Error) -> String {
    let reason = crate::files::io_reason(e);
    if e.kind() == std::io::ErrorKind::PermissionDenied {
        format!("{reason}; make it readable for your user (`chmod u+r`)")
    } else {
        reason
    }
}

/// The deck files (`*.yaml`, `*.yml`) directly inside `dir`, sorted by name.
pub fn files_in_dir(dir: &Path) -> Result<Vec<DeckFile>, Box<DeckError>> {
    let entries = fs::read_dir(dir).map_err(|e| {
        Box::new(DeckError {
            file: dir.display().to_string(),
            line: None,
            column: None,
            card: None,
            kind: DeckErrorKind::Unreadable(unreadable_reason(&e)),
        })
    })?;
    // Whatever is named like a deck is read as one: a folder, a FIFO or a broken link with
    // such a name is reported, not skipped.
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| is_deck_file_name(path))
        .collect();
    paths.sort();
    let mut files: Vec<DeckFile> = Vec::with_capacity(paths.len());
    for path in &paths {
        let mut file = read_file(path);
        // `x.yaml` beside `x.yml`: one deck name, two files; neither hides the other.
        if let Some(first) = files.iter().find(|f| f.name == file.name) {
            file.bytes = Err(DeckErrorKind::SameDeckName {
                other: first.label.clone(),
            });
        }
        files.push(file);
    }
    Ok(files)
}

/// How long after a file's last modification or change a look at it still proves nothing
/// (git's racy rule): an edit in the same tick of the file system's clock as the look keeps
/// every time stamp. Linux stamps files from a clock up to a scheduler tick (10 ms at most)
/// behind the real one, to the nanosecond on today's file systems.
const RACY_NANOS: i128 = 50_000_000;

/// The same for a file whose times have no fraction of a second: a file system that counts
/// time in steps of up to 2 s (FAT; ext3 and HFS+ count whole seconds).
const RACY_NANOS_COARSE: i128 = 2_000_000_000;

/// What a user's deck file looked like: its identity, and when it was looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    dev: u64,
    ino: u64,
    pub(super) size: u64,
    /// Modification and change time, in nanoseconds since 1970.
    modified: i128,
    changed: i128,
    /// When the file was looked at (taken before the look).
    looked: i128,
}

impl FileStamp {
    /// The stamp of a file with this metadata, looked at `looked`.
    pub(super) fn of(meta: &fs::Metadata, looked: SystemTime) -> FileStamp {
        let nanos = |secs: i64, nanos: i64| i128::from(secs) * 1_000_000_000 + i128::from(nanos);
        FileStamp {
            dev: meta.dev(),
            ino: meta.ino(),
            size: meta.size(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
            looked: system_nanos(looked),
        }
    }

    /// Whether both stamps are of one file with the same times (whenever looked at).
    pub(super) fn same_file(&self, other: &FileStamp) -> bool {
        (self.dev, self.ino, self.size, self.modified, self.changed)
            == (
                other.dev,
                other.ino,
                other.size,
                other.modified,
                other.changed,
            )
    }

    /// Whether the look came too soon after the file's last change to vouch for its text.
    pub(super) fn is_racy(&self) -> bool {
        let whole_seconds = |nanos: i128| nanos % 1_000_000_000 == 0;
        let margin = if whole_seconds(self.modified) && whole_seconds(self.changed) {
            RACY_NANOS_COARSE
        } else {
            RACY_NANOS
        };
        self.modified.max(self.changed) + margin >= self.looked
    }
}

/// Nanoseconds since 1970 (negative before).
pub(super) fn system_nanos(time: SystemTime) -> i128 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(since) => since.as_nanos() as i128,
        Err(before) => -(before.duration().as_nanos() as i128),
    }
}

/// Whether a file is named as a deck file: `*.yaml` or `*.yml`. A decks folder reads exactly
/// these, and `draft -o` writes only these (so it can never replace a database).
pub fn is_deck_file_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|ext| ext == "yaml" || ext == "yml")
}
