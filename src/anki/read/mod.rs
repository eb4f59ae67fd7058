//! Reading an Anki package (`.apkg`) or collection package (`.colpkg`) for `import`: what
//! was done in Anki or AnkiDroid to our notes, and the notes that are not ours.
//!
//! - `archive`: the zip, its layout and the collection unpacked (capped) to a temp file.
//! - `tables`: that collection, read-only, in schemas 11 to 18.
//! - `returned`: our notes (by GUID), their review log as reviews and manual actions.
//! - `foreign`: the other notes, as cards of a deck.

mod archive;
mod foreign;
mod html_text;
mod returned;
mod tables;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use archive::{Layout, MAX_COLLECTION_BYTES};
pub use foreign::{ForeignCards, foreign_cards};
pub use returned::{NotMapped, Returned, SuspendedInAnki, returned};

/// A package that cannot be imported, and why.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error(
        "not an Anki package: it is not a zip archive ({reason}); import reads .apkg and .colpkg files exported by Anki or AnkiDroid"
    )]
    NotZip { reason: String },
    #[error(
        "this package was made by a newer Anki (package version {version}); export it again with \"Support older Anki versions\" ticked"
    )]
    UnknownLayout { version: u64 },
    #[error(
        "the package holds no collection (`{expected}` is missing); export the deck or collection again from Anki"
    )]
    NoCollection { expected: &'static str },
    #[error(
        "its collection unpacks to more than {limit} bytes, the most import reads; this is not a package Anki made"
    )]
    TooLarge { limit: u64 },
    #[error("the package is damaged: {reason}")]
    Damaged { reason: String },
    #[error("the package's collection is not an Anki collection ({reason})")]
    NotACollection { reason: String },
    #[error(
        "its collection has schema version {version}, which this lupus-quiz does not know (it reads 11 to 18); export it again from Anki with \"Support older Anki versions\" ticked"
    )]
    UnknownSchema { version: i64 },
    #[error("its review log has an impossible entry (id {id}): {problem}; the package is damaged")]
    ImpossibleReview { id: i64, problem: String },
    #[error("cannot unpack the collection into `{}`: {reason}", path.display())]
    Temp { path: PathBuf, reason: String },
}

/// A note type: its name, whether it makes cloze cards, and its field names in order.
#[derive(Debug, Clone, PartialEq)]
pub struct NoteType {
    pub name: String,
    pub cloze: bool,
    pub fields: Vec<String>,
}

/// A note: its fields as Anki keeps them (HTML).
#[derive(Debug, Clone, PartialEq)]
pub struct AnkiNote {
    pub id: i64,
    pub guid: String,
    pub note_type: i64,
    pub fields: Vec<String>,
    pub tags: Vec<String>,
}

/// A card of a note: its deck, which of the note's cards it is, and its queue.
#[derive(Debug, Clone, PartialEq)]
pub struct AnkiCard {
    pub id: i64,
    pub note: i64,
    pub deck: i64,
    pub ord: i64,
    /// -1 suspended, -2 and -3 buried, 0 new, 1 to 4 learning or review.
    pub queue: i64,
    pub modified_secs: i64,
}

/// One row of Anki's review log, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct RevlogEntry {
    /// The answer time in milliseconds (the row's id).
    pub at_ms: i64,
    pub card: i64,
    /// The button: 1 Again to 4 Easy, 0 for a manual change of schedule.
    pub ease: i64,
    /// 0 learning, 1 review, 2 relearning, 3 filtered, 4 manual, 5 rescheduled.
    pub kind: i64,
    pub factor: i64,
    pub taken_ms: i64,
}

/// What a package holds.
#[derive(Debug, Clone)]
pub struct Package {
    pub layout: Layout,
    pub schema: i64,
    pub note_types: HashMap<i64, NoteType>,
    pub decks: HashMap<i64, String>,
    pub notes: Vec<AnkiNote>,
    pub cards: Vec<AnkiCard>,
    pub revlog: Vec<RevlogEntry>,
}

/// Reads the package `file`, unpacking its collection into a private temporary file in
/// `temp_folder` that is removed before this returns (and by the next import after a
/// crash).
pub fn read_package(file: std::fs::File, temp_folder: &Path) -> Result<Package, PackageError> {
    let (mut zip, layout) = archive::open(file)?;
    crate::temp_files::remove_leftovers(temp_folder, archive::writer_of_unpacked);
    let mut temps = crate::temp_files::TempFiles::new();
    let mut n = 0;
    let path = loop {
        let path = archive::temp_path(temp_folder, n);
        if !path.exists() || n >= 100 {
            break path;
        }
        n += 1;
    };
    temps.track(&path);
    archive::unpack(&mut zip, layout, &path, MAX_COLLECTION_BYTES)?;
    let tables = tables::Tables::open(&path)?;
    let package = Package {
        layout,
        schema: tables.schema(),
        note_types: tables.note_types()?,
        decks: tables.decks()?,
        notes: tables.notes()?,
        cards: tables.cards()?,
        revlog: tables.revlog()?,
    };
    drop(tables);
    drop(temps);
    Ok(package)
}
