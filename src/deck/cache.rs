//! A cache of parsed decks, so that a collection of tens of thousands of cards does not go
//! through the YAML parser on every start (issue 7: parsing 50,000 cards took about 0.55 s),
//! nor read and decode what a command does not need (issue 18).
//!
//! Each deck that parsed without problems is written to its own file in the cache folder:
//! a magic number with the layout's version, the length of the head, then
//! 1. the [`Header`]: what the entry must match to be served, namely the deck's name, label and
//!    origin, the running executable's size and modification time (so a rebuilt parser never
//!    reads an older one's output), the [blake3] hash of the source bytes it was parsed from,
//!    and for a user's file the [`FileStamp`] of that file when it was read;
//! 2. the [`Index`]: the deck's title and description, and its card ids, lines and types,
//!    with where each card's body ends, so that what needs only ids (which cards a deck has,
//!    counts, the duplicate-id check) reads no body, and a body is read alone when needed;
//! 3. the card bodies, one [postcard] value each, read on demand through the entry file
//!    kept open (a newer entry renamed over it meanwhile does not change what it reads).
//!
//! A user's deck file is not read at all when its identity (device, inode, size, modification
//! and change time to the nanosecond) is the one the entry recorded, as git's index, make and
//! cargo judge files, unless that time was too close to the moment the file was looked at
//! (git's "racy" rule, [`FileStamp::is_racy`]): an edit within the same tick of the file system's
//! clock could keep every field. Otherwise the file is read and hashed: the same hash is a
//! hit (and the entry is stamped anew), another one a miss. A built-in deck's text is part
//! of the program, so it is not hashed at run time: `build.rs` computes its hash when the
//! program is built, and the entry must carry that hash and the program's identity.
//!
//! What is read is checked as the parser would have it: the index must be whole and
//! consistent (ids in kebab case, one line, type and end per card, the ends within the
//! file), and each body must decode with nothing left over, carry its index id and type,
//! and pass the deck rules ([`card_problems`]). A damaged entry or body is a miss,
//! never an error or a panic: the deck (or the card, should its body be the damaged part)
//! is parsed afresh from its file.
//!
//! Beside the entries, the cache keeps every card id of the catalog in sorted order
//! ([`id_order`]), for the ids it was made from, so that a command finds a card by id
//! without a map of every id, and ids already found unique across the decks are not
//! checked again. It is served only whole and for exactly the ids of the decks loaded.
//!
//! The cache is best-effort: an entry that is missing, unreadable, damaged, too large or of
//! another format is a miss, and a cache that cannot be written is silently skipped. Decks
//! with problems are never cached, so every problem is reported fresh. Small user decks
//! (under [`MIN_CACHED_BYTES`]) parse faster than the cache could be checked and are not
//! cached.
//!
//! The built-in decks go through the cache too, rather than being parsed and validated at
//! build time and compiled in, because measurements did not show that faster (issue 25:
//! release build, built-in decks only, instructions counted by callgrind; wall times, the
//! least of 11 runs, on a shared 2-core machine under load, agree only roughly):
//!
//! | built-in decks | `decks` | `review --plain` |
//! |---|---:|---:|
//! | warm cache (ids and index read, bodies on demand) | 1.53 M (2.8 ms) | 5.06 M (8.0 ms) |
//! | compiled in as postcard, decoded whole without validation | 3.34 M (3.3 ms) | 6.67 M |
//! | no cache: parsed on every start | 60.0 M (13 ms) | 63.5 M |
//! | fresh cache: parsed, then written | 60.7 M (19 ms) | 64.2 M |
//!
//! (`--version` takes 1.06 M.) Decoding all 182 cards costs more than the warm cache's
//! index. A compiled-in form as lazy as an entry would save at most the cache's file reads,
//! under the 0.47 M that `decks` costs beyond `--version`; what it would save for certain is
//! the first start after an install or upgrade (about 60 M, the parse). Its price: the deck
//! model, parser and rules would move to a workspace crate that `build.rs` can call,
//! together with the ids and text helpers they use. Worth revisiting if that first start
//! matters, or if the lazy bodies (kept for the 50,000-card goal) go.
//!
//! Which folder is decided once, at the edge (`paths::deck_cache`, for the command's context
//! and for shell completion), together with the running program's path, and handed to
//! [`super::load_catalog`]: `<cache dir>/lupus-quiz/decks` (`~/.cache/lupus-quiz/decks` on
//! Linux), or the one named by `LUPUS_QUIZ_CACHE_DIR`; setting that variable to an empty
//! value turns the cache off. The cache itself reads no environment. Where a deck's bytes
//! come from, and what a user's file looked like when it was opened, is
//! [`super::source`]'s.

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::Read;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::error::DeckError;
use super::load::{MAX_DECK_BYTES, ParsedDeck, parse_deck};
use super::model::{
    BodySource, Card, CardContent, CardType, Cards, Deck, DeckOrigin, Ids, SectionQuestions,
};
use super::rules::{
    MAX_QUESTIONS_PER_SECTION, card_problems, parse_cloze, question_problems, text_problem,
};
use super::source::{DeckBytes, FileStamp, system_nanos};
use crate::ids::DeckName;

mod id_order;
pub(super) use id_order::{IdOrder, IdsKey};

/// User deck files smaller than this are parsed every time (about a millisecond's work).
pub(super) const MIN_CACHED_BYTES: usize = 32 * 1024;

/// Marks a cache entry, with the version of its layout (7: the index holds the deck's
/// questions to ask; 6: cards have an `origin` line; 5: the index's numbers as
/// fixed-width arrays; 4: bodies apart, read on demand, and the file's identity; 3 was one postcard value keyed by a hash of the source; 2 a
/// hand-written codec holding the whole source text). A change to the model types needs no
/// new version: the header names the program, so a rebuilt one never decodes an older one's
/// entries.
const MAGIC: &[u8; 8] = b"LQDECK\x00\x07";

/// The magic number and the length of the head (a little-endian `u32`).
const PREFIX_BYTES: usize = MAGIC.len() + 4;

/// An entry is the parsed form of one deck file, which is smaller than its YAML; the limit
/// leaves room for aliases, which the YAML can expand.
const MAX_ENTRY_BYTES: u64 = 8 * MAX_DECK_BYTES;

/// Where parsed decks are kept, or nowhere.
#[derive(Debug, Clone)]
pub struct DeckCache {
    dir: Option<PathBuf>,
    /// Size and modification time of the running executable.
    program: (u64, i128),
}

/// A deck as [`DeckCache::load_deck`] found it.
pub(super) struct LoadedDeck {
    pub(super) parsed: ParsedDeck,
    /// The blake3 hash of the source bytes the deck was parsed from, by this program (a
    /// cache entry is served only for the hash of the source it was made from); `None`
    /// without a cache, which keeps no sorted ids.
    pub(super) source: Option<[u8; 32]>,
}

/// What an entry must match to be served: everything parsing depends on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Header {
    /// Size and modification time of the program that wrote the entry.
    program: (u64, i128),
    name: String,
    label: String,
    /// `None` for a built-in deck, else the path of the file (as its bytes, which need not
    /// be UTF-8).
    path: Option<Vec<u8>>,
    /// The blake3 hash of the source bytes.
    source: [u8; 32],
    /// The file the bytes were read from, for a user's deck.
    file: Option<FileStamp>,
}

impl Header {
    /// Whether both are of the same deck, file and program (whatever its text).
    fn same_deck(&self, other: &Header) -> bool {
        (self.program, &self.name, &self.label, &self.path)
            == (other.program, &other.name, &other.label, &other.path)
    }

    /// Whether the entry was made from the same text of the same deck.
    fn same_source(&self, other: &Header) -> bool {
        self.same_deck(other) && self.source == other.source
    }

    /// Whether the entry vouches, without reading it, for the file that now has `stamp`.
    fn vouches_for(&self, stamp: &FileStamp) -> bool {
        self.file
            .is_some_and(|file| file.same_file(stamp) && !file.is_racy())
    }
}

/// What an entry holds before the card bodies, as written.
#[derive(Debug, Serialize, Deserialize)]
struct Index<'a> {
    title: &'a str,
    description: &'a str,
    questions_to_ask: Vec<SectionQuestions>,
    /// The ids of the cards, in order, one after the other (the same as the cards' own,
    /// which a read checks), and where each ends.
    ids: &'a str,
    /// The numbers are little-endian arrays of fixed width, read with a copy rather than
    /// one variable-length integer at a time (8 M instructions at 50,000 cards, issue 18).
    /// Where each id ends: `u32`s.
    id_ends: Bytes<'a>,
    /// The line each card starts on: `u32`s, [`NO_LINE`] for none.
    lines: Bytes<'a>,
    /// Each card's type, as its place in [`CardType::ALL`].
    types: Bytes<'a>,
    /// Where each card's body ends, counted from the start of the bodies: `u64`s.
    ends: Bytes<'a>,
}

impl<'a> Index<'a> {
    /// The index of `deck`, whose cards start on `lines` and whose bodies end at `ends`.
    fn of(deck: &'a Deck, lines: &[Option<usize>], ends: &[u64]) -> Index<'a> {
        let (ids, id_ends) = deck.cards.packed_ids().parts();
        let types = (0..deck.cards.len()).map(|i| type_number(deck.cards.card_type(i)));
        Index {
            title: &deck.title,
            description: &deck.description,
            questions_to_ask: deck.questions_to_ask.clone(),
            ids,
            id_ends: to_array(id_ends.iter().map(|end| end.to_le_bytes())),
            lines: to_array(lines.iter().map(|line| {
                line.and_then(|line| u32::try_from(line).ok())
                    .filter(|&line| line != NO_LINE)
                    .unwrap_or(NO_LINE)
                    .to_le_bytes()
            })),
            types: to_array(types.map(|t| [t])),
            ends: to_array(ends.iter().map(|end| end.to_le_bytes())),
        }
    }
}

/// A card type as an index stores it: its place in [`CardType::ALL`].
fn type_number(card_type: CardType) -> u8 {
    CardType::ALL
        .iter()
        .position(|t| *t == card_type)
        .unwrap_or(0) as u8
}

/// A card's line in [`Index::lines`] when it has none.
const NO_LINE: u32 = u32::MAX;

/// Bytes written as one length and the bytes (serde writes a slice as a sequence of
/// numbers, which postcard reads back one at a time).
#[derive(Debug)]
struct Bytes<'a>(std::borrow::Cow<'a, [u8]>);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Bytes<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        <&'de [u8]>::deserialize(deserializer).map(|bytes| Bytes(bytes.into()))
    }
}

/// `values` as a little-endian array of `WIDTH` bytes each.
fn to_array<const WIDTH: usize>(values: impl Iterator<Item = [u8; WIDTH]>) -> Bytes<'static> {
    Bytes(values.flatten().collect::<Vec<u8>>().into())
}

/// The numbers of a little-endian array; `None` unless it holds whole numbers.
fn from_array<const WIDTH: usize, T>(
    bytes: &Bytes<'_>,
    number: impl Fn([u8; WIDTH]) -> T,
) -> Option<Vec<T>> {
    let chunks = bytes.0.chunks_exact(WIDTH);
    chunks.remainder().is_empty().then(|| {
        chunks
            .map(|chunk| number(chunk.try_into().expect("chunks are WIDTH bytes")))
            .collect()
    })
}

/// An index read and checked, owning its text.
#[derive(Debug)]
struct CheckedIndex {
    title: String,
    description: String,
    questions_to_ask: Vec<SectionQuestions>,
    ids: Ids,
    lines: Vec<Option<usize>>,
    types: Vec<CardType>,
    ends: Vec<u64>,
}

impl DeckCache {
    /// A cache in `dir` (created when first written to), for the parser of the program
    /// at `program` (the running executable, which the caller finds): its entries are
    /// keyed by that file's size and modification time.
    pub fn in_dir(dir: &Path, program: &Path) -> DeckCache {
        let program = fs::metadata(program)
            .map(|meta| (meta.len(), modified_nanos(&meta)))
            .unwrap_or((0, 0));
        DeckCache {
            dir: Some(dir.to_path_buf()),
            program,
        }
    }

    /// No cache: every deck is parsed.
    pub fn disabled() -> DeckCache {
        DeckCache {
            dir: None,
            program: (0, 0),
        }
    }

    /// The parsed deck of these bytes: from the cache when its entry is for exactly this
    /// text (and file, name and program), otherwise parsed, and then cached when it had no
    /// problems. A user's file whose identity the entry vouches for is not read.
    #[cfg(test)]
    pub fn load_or_parse(
        &self,
        name: &str,
        label: &str,
        origin: DeckOrigin,
        bytes: DeckBytes,
    ) -> Result<ParsedDeck, Vec<DeckError>> {
        self.load_deck(name, label, origin, bytes)
            .map(|loaded| loaded.parsed)
    }

    /// [`DeckCache::load_or_parse`], with the hash of the source the deck's ids come from
    /// (for the key of the sorted ids, [`IdsKey`]).
    pub(super) fn load_deck(
        &self,
        name: &str,
        label: &str,
        origin: DeckOrigin,
        bytes: DeckBytes,
    ) -> Result<LoadedDeck, Vec<DeckError>> {
        let Some(entry_path) = self.entry_path(name, &origin, bytes.size()) else {
            let bytes = bytes.read().map_err(|kind| whole_file(label, kind))?;
            // A deck too small to cache still has its part in the key of the sorted ids.
            let source = (self.dir.is_some()).then(|| *blake3::hash(&bytes).as_bytes());
            let parsed = parse_deck(name, label, origin, &bytes)?;
            return Ok(LoadedDeck { parsed, source });
        };
        let stamp = bytes.stamp();
        let mut key = self.header(name, label, &origin, [0; 32], stamp);
        let entry = Entry::open(&entry_path).filter(|entry| entry.header.same_deck(&key));
        if let (Some(entry), Some(stamp)) = (&entry, &stamp)
            && entry.header.vouches_for(stamp)
            && let Some(parsed) = entry.deck(&origin, reparse_of(&origin, None), &entry_path)
        {
            let source = Some(entry.header.source);
            return Ok(LoadedDeck { parsed, source });
        }
        let known_hash = bytes.known_hash();
        let bytes = bytes.read().map_err(|kind| whole_file(label, kind))?;
        key.source = known_hash.unwrap_or_else(|| *blake3::hash(&bytes).as_bytes());
        if let Some(entry) = entry.filter(|entry| entry.header.same_source(&key)) {
            // Stamped anew, so that the next start need not read the file; a look still
            // too close to the last edit would prove nothing more.
            if stamp.is_some_and(|stamp| !stamp.is_racy()) && entry.header != key {
                let _ = entry.restamp(&entry_path, &key);
            }
            let reparse = reparse_of(&origin, Some(&bytes));
            if let Some(parsed) = entry
                .with_header(key.clone())
                .deck(&origin, reparse, &entry_path)
            {
                let source = Some(key.source);
                return Ok(LoadedDeck { parsed, source });
            }
        }
        let parsed = parse_deck(name, label, origin, &bytes)?;
        // A cache that cannot be written is no reason to fail a command.
        let _ = write_entry(&entry_path, &key, &parsed);
        let source = Some(key.source);
        Ok(LoadedDeck { parsed, source })
    }

    /// The key of the sorted ids of these decks, loaded in this order (see [`IdsKey`]);
    /// `None` without a cache.
    pub(super) fn ids_key<'d>(
        &self,
        decks: impl IntoIterator<Item = &'d LoadedDeck>,
    ) -> Option<IdsKey> {
        IdsKey::of(self.program, decks)
    }

    /// The sorted ids kept for the `cards` cards of the decks of `key`, when the cache
    /// has them whole (see [`id_order`]).
    pub(super) fn id_order(&self, key: &IdsKey, cards: usize) -> Option<IdOrder> {
        IdOrder::read(self.dir.as_ref()?, key, cards)
    }

    /// Keeps `order`, the sorted ids of the decks of `key`, for the next command; a cache
    /// that cannot be written is skipped.
    pub(super) fn keep_id_order(&self, key: &IdsKey, order: &IdOrder) {
        if let Some(dir) = &self.dir {
            let _ = order.write(dir, key);
        }
    }

    /// The entry file for a deck, or `None` when it is not cached.
    fn entry_path(&self, name: &str, origin: &DeckOrigin, size: u64) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        let file_name = match origin {
            DeckOrigin::Builtin => format!("builtin-{name}.bin"),
            DeckOrigin::File(_) if size < MIN_CACHED_BYTES as u64 => return None,
            // One entry per deck name, whatever folder the deck is in, so the cache cannot
            // grow without bound (a deck of another folder is a miss that replaces it).
            DeckOrigin::File(_) => format!("file-{name}.bin"),
        };
        Some(dir.join(file_name))
    }

    /// The header an entry for this deck and source must have.
    fn header(
        &self,
        name: &str,
        label: &str,
        origin: &DeckOrigin,
        source: [u8; 32],
        file: Option<FileStamp>,
    ) -> Header {
        Header {
            program: self.program,
            name: name.to_string(),
            label: label.to_string(),
            path: match origin {
                DeckOrigin::Builtin => None,
                DeckOrigin::File(path) => Some(path.as_os_str().as_encoded_bytes().to_vec()),
            },
            source,
            file,
        }
    }
}

fn whole_file(label: &str, kind: super::error::DeckErrorKind) -> Vec<DeckError> {
    vec![DeckError {
        file: label.to_string(),
        line: None,
        column: None,
        card: None,
        kind,
    }]
}

fn modified_nanos(meta: &fs::Metadata) -> i128 {
    match meta.modified() {
        Ok(time) => system_nanos(time),
        Err(_) => 0,
    }
}

/// What a card body that cannot be read is parsed afresh from.
enum Reparse {
    /// The bytes, in memory (a built-in deck's, or a test's).
    Bytes(Cow<'static, [u8]>),
    /// The user's file, read again.
    File(PathBuf),
}

/// How the deck of `origin` is parsed again: from its file, or from these bytes.
fn reparse_of(origin: &DeckOrigin, bytes: Option<&Cow<'static, [u8]>>) -> Reparse {
    match (origin, bytes) {
        (DeckOrigin::File(path), _) => Reparse::File(path.clone()),
        (DeckOrigin::Builtin, Some(bytes)) => Reparse::Bytes(bytes.clone()),
        // Not reached: a built-in deck's bytes are always taken before its entry is used.
        (DeckOrigin::Builtin, None) => Reparse::Bytes(Cow::Borrowed(&[])),
    }
}

/// An entry file, opened, with its header read.
struct Entry {
    file: File,
    /// The size of the whole entry.
    len: u64,
    /// The header and index, as written.
    head: Vec<u8>,
    header: Header,
    /// Where the index starts in `head`.
    index_at: usize,
}

impl Entry {
    /// The entry at `path`; `None` when it is missing, not a regular file, too large, of
    /// another layout, or its head is cut short.
    fn open(path: &Path) -> Option<Entry> {
        let (mut file, meta) = crate::files::open_regular(path).ok()?;
        let len = meta.len();
        if len > MAX_ENTRY_BYTES || len < PREFIX_BYTES as u64 {
            return None;
        }
        let mut prefix = [0; PREFIX_BYTES];
        file.read_exact(&mut prefix).ok()?;
        let head_len = head_len(&prefix)?;
        if (PREFIX_BYTES + head_len) as u64 > len {
            return None;
        }
        // Read into capacity rather than zeroed bytes (the ids and index of 200,000 cards
        // are megabytes).
        let mut head = Vec::with_capacity(head_len);
        (&mut file)
            .take(head_len as u64)
            .read_to_end(&mut head)
            .ok()?;
        if head.len() != head_len {
            return None;
        }
        let (header, rest) = postcard::take_from_bytes::<Header>(&head).ok()?;
        let index_at = head_len - rest.len();
        Some(Entry {
            file,
            len,
            head,
            header,
            index_at,
        })
    }

    /// The same entry, described by `header` (of the same source).
    fn with_header(self, header: Header) -> Entry {
        Entry { header, ..self }
    }

    /// The deck of the entry, its bodies left in the file (at `path`) to be read on demand;
    /// `None` when its index is damaged.
    fn deck(&self, origin: &DeckOrigin, reparse: Reparse, path: &Path) -> Option<ParsedDeck> {
        let bodies_at = (PREFIX_BYTES + self.head.len()) as u64;
        let index = check_index(&self.head[self.index_at..], self.len - bodies_at)?;
        let file = self.file.try_clone().ok()?;
        let source = EntryBodies {
            file,
            bodies_at,
            ends: index.ends,
            origin: origin.clone(),
            reparse,
            entry: (path.to_path_buf(), self.header.clone()),
        };
        Some(ParsedDeck {
            deck: Deck {
                name: DeckName::from(self.header.name.as_str()),
                title: index.title,
                description: index.description,
                cards: Cards::on_demand(index.ids, index.types, Box::new(source)),
                origin: origin.clone(),
                questions_to_ask: index.questions_to_ask,
            },
            card_lines: index.lines,
        })
    }

    /// Writes the entry again with `header` (the same source, a newer file stamp).
    fn restamp(&self, path: &Path, header: &Header) -> std::io::Result<()> {
        let bodies_at = (PREFIX_BYTES + self.head.len()) as u64;
        let mut bodies = vec![0; (self.len - bodies_at) as usize];
        self.file.read_exact_at(&mut bodies, bodies_at)?;
        let mut head = postcard::to_stdvec(header).map_err(std::io::Error::other)?;
        head.extend_from_slice(&self.head[self.index_at..]);
        write_atomically(path, &assemble(&head, &bodies)?)
    }
}

/// The length of the head an entry's prefix gives, when the magic number is this layout's.
fn head_len(prefix: &[u8]) -> Option<usize> {
    let rest = prefix.strip_prefix(MAGIC)?;
    let len = u32::from_le_bytes(rest.get(..4)?.try_into().ok()?);
    Some(len as usize)
}

/// The index of an entry, when it is whole, describes a deck the parser could have made,
/// and its bodies fill exactly the `bodies_len` bytes after it.
fn check_index(bytes: &[u8], bodies_len: u64) -> Option<CheckedIndex> {
    let (index, rest): (Index, _) = postcard::take_from_bytes(bytes).ok()?;
    // Every id kebab-case, checked with the ends in one pass.
    let ids = Ids::of_kebab_case(
        index.ids.to_string(),
        from_array(&index.id_ends, u32::from_le_bytes)?,
    )?;
    let lines: Vec<Option<usize>> = from_array(&index.lines, |bytes| {
        let line = u32::from_le_bytes(bytes);
        (line != NO_LINE).then_some(line as usize)
    })?;
    let ends = from_array(&index.ends, u64::from_le_bytes)?;
    let n = ids.len();
    let sound = rest.is_empty()
        && n > 0
        && [lines.len(), index.types.0.len(), ends.len()] == [n; 3]
        && text_problem("title", index.title).is_none()
        && text_problem("description", index.description).is_none()
        && questions_are_sound(&index.questions_to_ask)
        && ends.is_sorted()
        && ends.last() == Some(&bodies_len);
    if !sound {
        return None;
    }
    // Checked, then mapped: a collect into an `Option` goes one card at a time.
    let type_of = |t: &u8| CardType::ALL.get(usize::from(*t)).copied();
    if !index.types.0.iter().all(|t| type_of(t).is_some()) {
        return None;
    }
    let types = (index.types.0.iter())
        .map(|t| type_of(t).unwrap_or(CardType::ALL[0]))
        .collect();
    Some(CheckedIndex {
        title: index.title.to_string(),
        description: index.description.to_string(),
        questions_to_ask: index.questions_to_ask,
        ids,
        lines,
        types,
        ends,
    })
}

/// Whether the questions to ask of an index are texts the parser could have accepted.
/// (That each names a section of the deck's cards needs the bodies, which a read leaves
/// undecoded; a section no card has only means its questions are never shown.)
fn questions_are_sound(questions: &[SectionQuestions]) -> bool {
    questions.iter().all(|entry| {
        text_problem("section", &entry.section).is_none()
            && (1..=MAX_QUESTIONS_PER_SECTION).contains(&entry.questions.len())
            && (entry.questions.iter()).all(|q| text_problem("questions", q).is_none())
            && question_problems(&entry.questions).is_empty()
    })
}

/// One card body, when it decodes whole into a sound card of this id and type.
fn decode_body(bytes: &[u8], id: &str, card_type: CardType) -> Option<Card> {
    let (card, rest): (Card, _) = postcard::take_from_bytes(bytes).ok()?;
    let sound = rest.is_empty()
        && card.id == id
        && card.card_type() == card_type
        && card_problems(&card).is_empty()
        && blanks_match(&card);
    sound.then_some(card)
}

/// Whether a cloze card's blanks are the ones its text has (any other card: yes). Grading
/// reads the stored blanks; the text is what the learner sees.
fn blanks_match(card: &Card) -> bool {
    match &card.content {
        CardContent::Cloze { text, blanks } => parse_cloze(text).as_ref() == Ok(blanks),
        _ => true,
    }
}

/// The card bodies of an entry, read from its file on demand.
struct EntryBodies {
    file: File,
    bodies_at: u64,
    ends: Vec<u64>,
    /// Where the deck comes from, to parse it afresh.
    origin: DeckOrigin,
    reparse: Reparse,
    /// The entry's path and header, to write it again when a body was damaged.
    entry: (PathBuf, Header),
}

impl BodySource for EntryBodies {
    fn body(&self, index: usize, id: &str, card_type: CardType) -> Option<Card> {
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        let mut bytes = vec![0; usize::try_from(self.ends[index] - start).ok()?];
        self.file
            .read_exact_at(&mut bytes, self.bodies_at + start)
            .ok()?;
        decode_body(&bytes, id, card_type)
    }

    fn reparsed(&self) -> Option<Vec<Card>> {
        let bytes = match &self.reparse {
            Reparse::Bytes(bytes) => bytes.clone(),
            Reparse::File(path) => {
                Cow::Owned(crate::files::read_regular(path, MAX_DECK_BYTES).ok()?)
            }
        };
        let (path, header) = &self.entry;
        let parsed = parse_deck(&header.name, &header.label, self.origin.clone(), &bytes).ok()?;
        // The damaged entry is replaced when the text is still the one it was made from.
        if *blake3::hash(&bytes).as_bytes() == header.source {
            let _ = write_entry(path, header, &parsed);
        }
        Some(parsed.deck.cards.iter().cloned().collect())
    }
}

/// The bytes of an entry: prefix, header, index, bodies.
fn encode_entry(header: &Header, parsed: &ParsedDeck) -> std::io::Result<Vec<u8>> {
    let deck = &parsed.deck;
    let (bodies, ends) = encode_bodies(&deck.cards)?;
    let index = Index::of(deck, &parsed.card_lines, &ends);
    let head = postcard::to_stdvec(header).map_err(std::io::Error::other)?;
    let head = postcard::to_extend(&index, head).map_err(std::io::Error::other)?;
    assemble(&head, &bodies)
}

/// The card bodies one after the other, and where each ends.
fn encode_bodies(cards: &Cards) -> std::io::Result<(Vec<u8>, Vec<u64>)> {
    let mut bodies = Vec::new();
    let mut ends = Vec::with_capacity(cards.len());
    for card in cards {
        bodies = postcard::to_extend(card, bodies).map_err(std::io::Error::other)?;
        ends.push(bodies.len() as u64);
    }
    Ok((bodies, ends))
}

/// Magic, head length, head, bodies.
fn assemble(head: &[u8], bodies: &[u8]) -> std::io::Result<Vec<u8>> {
    let head_len = u32::try_from(head.len()).map_err(std::io::Error::other)?;
    let mut entry = Vec::with_capacity(PREFIX_BYTES + head.len() + bodies.len());
    entry.extend_from_slice(MAGIC);
    entry.extend_from_slice(&head_len.to_le_bytes());
    entry.extend_from_slice(head);
    entry.extend_from_slice(bodies);
    Ok(entry)
}

/// Writes an entry; one too large to be read back is not written.
fn write_entry(path: &Path, header: &Header, parsed: &ParsedDeck) -> std::io::Result<()> {
    write_atomically(path, &encode_entry(header, parsed)?)
}

/// Writes an entry next to its final place, then moves it there, so a reader never sees a
/// half-written entry.
fn write_atomically(path: &Path, entry: &[u8]) -> std::io::Result<()> {
    if entry.len() as u64 > MAX_ENTRY_BYTES {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    fs::write(&temporary, entry)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

/// The header of an entry and its deck with every body decoded and checked; `None` when
/// any part is damaged.
fn decode_whole(entry: &[u8], origin: DeckOrigin) -> Option<(Header, ParsedDeck)> {
    let head_len = head_len(entry.get(..PREFIX_BYTES)?)?;
    let head = entry.get(PREFIX_BYTES..PREFIX_BYTES.checked_add(head_len)?)?;
    let bodies = &entry[PREFIX_BYTES + head_len..];
    let (header, rest) = postcard::take_from_bytes::<Header>(head).ok()?;
    let index = check_index(rest, bodies.len() as u64)?;
    let mut cards = Vec::with_capacity(index.ids.len());
    let mut start = 0;
    for ((id, card_type), &end) in index.ids.iter().zip(&index.types).zip(&index.ends) {
        let body = bodies.get(usize::try_from(start).ok()?..usize::try_from(end).ok()?)?;
        cards.push(decode_body(body, id, *card_type)?);
        start = end;
    }
    let parsed = ParsedDeck {
        deck: Deck {
            name: DeckName::from(header.name.as_str()),
            title: index.title,
            description: index.description,
            cards: cards.into(),
            origin,
            questions_to_ask: index.questions_to_ask,
        },
        card_lines: index.lines,
    };
    Some((header, parsed))
}

/// Decodes the deck of any cache entry without matching it to a file, validating it as a
/// real read does: for the fuzz target, which feeds it arbitrary bytes.
pub fn decode_entry(entry: &[u8]) -> Option<ParsedDeck> {
    decode_whole(entry, DeckOrigin::Builtin).map(|(_, parsed)| parsed)
}

#[cfg(test)]
mod tests;
