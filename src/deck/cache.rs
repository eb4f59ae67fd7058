//! A cache of parsed decks, so that a collection of tens of thousands of cards does not go
//! through the YAML parser on every start (issue 7: parsing 50,000 cards took about 0.55 s).
//!
//! Each deck that parsed without problems is written to its own file in the cache folder, as
//! [postcard] of serde-derived types, in three parts:
//! 1. the [`Header`]: what the entry must match to be served, namely the deck's name, label and
//!    origin, the running executable's size and modification time (so a rebuilt parser never
//!    reads an older one's output), and the [blake3] hash of the source bytes it was parsed
//!    from;
//! 2. the [`Index`]: the deck's title and description, and its card ids with their lines, so
//!    that what needs only ids (which cards a deck has, the duplicate-id check) can be read
//!    without decoding a single card body;
//! 3. the cards themselves.
//!
//! A cached deck is served only when its header equals the one of the deck just read (the
//! same bytes hash to the same value; any edit, even one that keeps the size and the
//! modification time, is a miss and the file is parsed again), the rest decodes whole with
//! nothing left over, the ids of the index are those of the cards, and the deck passes the
//! parser's own rules ([`is_sound`]). Anything else is a miss, never an error or a panic.
//!
//! The cache is best-effort: an entry that is missing, unreadable, damaged, too large or of
//! another format is a miss, and a cache that cannot be written is silently skipped. Decks
//! with problems are never cached, so every problem is reported fresh. Small user decks
//! (under [`MIN_CACHED_BYTES`]) parse faster than the cache could be checked and are not
//! cached.
//!
//! Which folder is decided once, at the edge ([`DeckCache::from_env`], called by the
//! command's context) and handed to [`super::load_catalog`]: `<cache dir>/lupus-quiz/decks`
//! (`~/.cache/lupus-quiz/decks` on Linux), or the one named by `LUPUS_QUIZ_CACHE_DIR`; setting
//! that variable to an empty value turns the cache off.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::error::DeckError;
use super::load::{MAX_DECK_BYTES, ParsedDeck, is_sound, parse_deck};
use super::model::{Card, Deck, DeckOrigin};
use crate::ids::DeckName;

/// The environment variable naming the cache folder (empty: no cache).
pub(super) const CACHE_DIR_VAR: &str = "LUPUS_QUIZ_CACHE_DIR";

/// User deck files smaller than this are parsed every time (about a millisecond's work).
pub(super) const MIN_CACHED_BYTES: usize = 32 * 1024;

/// Marks a cache entry, with the version of its layout (3: postcard, keyed by a hash of the
/// source; 2 was a hand-written codec holding the whole source text). A change to the model
/// types needs no new version: the header names the program, so a rebuilt one never decodes
/// an older one's entries.
const MAGIC: &[u8; 8] = b"LQDECK\x00\x03";

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

/// What an entry must match to be served: everything parsing depends on.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Header<'a> {
    /// Size and modification time of the program that wrote the entry.
    program: (u64, i128),
    name: &'a str,
    label: &'a str,
    /// `None` for a built-in deck, else the path of the file (as its bytes, which need not
    /// be UTF-8).
    #[serde(borrow)]
    path: Option<&'a [u8]>,
    /// The blake3 hash of the source bytes.
    source: [u8; 32],
}

/// What an entry holds before the card bodies: enough to know which cards a deck has.
#[derive(Debug, Serialize, Deserialize)]
struct Index<'a> {
    title: &'a str,
    description: &'a str,
    /// The ids of the cards, in order: the same as the cards' own, which a read checks.
    #[serde(borrow)]
    ids: Vec<&'a str>,
    /// The line each card starts on.
    lines: Vec<Option<usize>>,
}

impl DeckCache {
    /// The cache in `LUPUS_QUIZ_CACHE_DIR`, or in the platform's cache folder. Reads the
    /// environment: for the edge of the program (the command's context) only.
    pub fn from_env() -> DeckCache {
        let dir = match std::env::var_os(CACHE_DIR_VAR) {
            Some(dir) if dir.is_empty() => None,
            Some(dir) => Some(PathBuf::from(dir)),
            None => directories::ProjectDirs::from("", "", "lupus-quiz")
                .map(|dirs| dirs.cache_dir().join("decks")),
        };
        match dir {
            Some(dir) => DeckCache::in_dir(&dir),
            None => DeckCache::disabled(),
        }
    }

    /// A cache in `dir` (created when first written to).
    pub fn in_dir(dir: &Path) -> DeckCache {
        let program = std::env::current_exe()
            .and_then(fs::metadata)
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

    /// The parsed deck of these bytes: from the cache when an entry for exactly these bytes
    /// (and file, name and program) is there, otherwise parsed, and then cached when it had
    /// no problems.
    pub fn load_or_parse(
        &self,
        name: &str,
        label: &str,
        origin: DeckOrigin,
        bytes: &[u8],
    ) -> Result<ParsedDeck, Vec<DeckError>> {
        let Some(entry_path) = self.entry_path(name, &origin, bytes) else {
            return parse_deck(name, label, origin, bytes);
        };
        let source = blake3::hash(bytes);
        let header = self.header(name, label, &origin, &source);
        // Only a regular file, through a limit: anything else there is a miss.
        if let Some(parsed) = crate::files::read_regular(&entry_path, MAX_ENTRY_BYTES)
            .ok()
            .and_then(|entry| read_entry(&entry, &header, origin.clone()))
        {
            return Ok(parsed);
        }
        let parsed = parse_deck(name, label, origin.clone(), bytes)?;
        // A cache that cannot be written is no reason to fail a command.
        let _ = write_entry(&entry_path, &header, &parsed);
        Ok(parsed)
    }

    /// The entry file for a deck, or `None` when it is not cached.
    fn entry_path(&self, name: &str, origin: &DeckOrigin, bytes: &[u8]) -> Option<PathBuf> {
        let dir = self.dir.as_ref()?;
        let file_name = match origin {
            DeckOrigin::Builtin => format!("builtin-{name}.bin"),
            DeckOrigin::File(_) if bytes.len() < MIN_CACHED_BYTES => return None,
            // One entry per deck name, whatever folder the deck is in, so the cache cannot
            // grow without bound (a deck of another folder is a miss that replaces it).
            DeckOrigin::File(_) => format!("file-{name}.bin"),
        };
        Some(dir.join(file_name))
    }

    /// The header an entry for this deck and source must have.
    fn header<'a>(
        &self,
        name: &'a str,
        label: &'a str,
        origin: &'a DeckOrigin,
        source: &blake3::Hash,
    ) -> Header<'a> {
        Header {
            program: self.program,
            name,
            label,
            path: match origin {
                DeckOrigin::Builtin => None,
                DeckOrigin::File(path) => Some(path.as_os_str().as_encoded_bytes()),
            },
            source: *source.as_bytes(),
        }
    }
}

fn modified_nanos(meta: &fs::Metadata) -> i128 {
    match meta.modified().map(|t| t.duration_since(UNIX_EPOCH)) {
        Ok(Ok(since)) => since.as_nanos() as i128,
        Ok(Err(before)) => -(before.duration().as_nanos() as i128),
        Err(_) => 0,
    }
}

/// The bytes of an entry: magic, header, index, cards.
fn encode_entry(header: &Header, parsed: &ParsedDeck) -> postcard::Result<Vec<u8>> {
    let deck = &parsed.deck;
    let index = Index {
        title: &deck.title,
        description: &deck.description,
        ids: deck.cards.iter().map(|card| card.id.as_str()).collect(),
        lines: parsed.card_lines.clone(),
    };
    let entry = postcard::to_extend(header, MAGIC.to_vec())?;
    let entry = postcard::to_extend(&index, entry)?;
    postcard::to_extend(&deck.cards, entry)
}

/// Writes an entry next to its final place, then moves it there, so a reader never sees a
/// half-written entry. An entry too large to be read back is not written.
fn write_entry(path: &Path, header: &Header, parsed: &ParsedDeck) -> std::io::Result<()> {
    let entry = encode_entry(header, parsed).map_err(std::io::Error::other)?;
    if entry.len() as u64 > MAX_ENTRY_BYTES {
        return Ok(());
    }
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    fs::write(&temporary, &entry)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

/// The header and index of an entry, and the bytes of its cards; `None` when the entry is
/// not one of this layout. Reads no card.
fn read_index(entry: &[u8]) -> Option<(Header<'_>, Index<'_>, &[u8])> {
    let rest = entry.strip_prefix(MAGIC)?;
    let (header, rest) = postcard::take_from_bytes(rest).ok()?;
    let (index, cards) = postcard::take_from_bytes(rest).ok()?;
    Some((header, index, cards))
}

/// The deck of an entry whose header and index are read: its cards must decode with nothing
/// left over, carry the ids of the index, and make a deck that passes the parser's rules.
fn read_deck(name: &str, index: Index, cards: &[u8], origin: DeckOrigin) -> Option<ParsedDeck> {
    let (cards, rest): (Vec<Card>, _) = postcard::take_from_bytes(cards).ok()?;
    if !rest.is_empty() || !cards.iter().map(|card| card.id.as_str()).eq(index.ids) {
        return None;
    }
    let parsed = ParsedDeck {
        deck: Deck {
            name: DeckName::from(name),
            title: index.title.to_string(),
            description: index.description.to_string(),
            cards,
            origin,
        },
        card_lines: index.lines,
    };
    is_sound(&parsed).then_some(parsed)
}

/// The deck of an entry, when the entry is whole and its header is `expected`.
fn read_entry(entry: &[u8], expected: &Header, origin: DeckOrigin) -> Option<ParsedDeck> {
    let (header, index, cards) = read_index(entry)?;
    if header != *expected {
        return None;
    }
    read_deck(header.name, index, cards, origin)
}

/// Decodes the deck of any cache entry without matching it to a file, validating it as a
/// real read does: for the fuzz target, which feeds it arbitrary bytes.
pub fn decode_entry(entry: &[u8]) -> Option<ParsedDeck> {
    let (header, index, cards) = read_index(entry)?;
    read_deck(header.name, index, cards, DeckOrigin::Builtin)
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::deck::builtin_files;
    use crate::deck::model::CardContent;

    fn builtin() -> Vec<(String, Vec<u8>)> {
        builtin_files()
            .into_iter()
            .map(|file| (file.name.into_string(), file.bytes.unwrap()))
            .collect()
    }

    /// A user deck big enough to be cached, with `answer` as the answer of its first card.
    fn big_deck(answer: &str) -> String {
        let mut text = String::from("title: T\ndescription: D\ncards:\n");
        let mut index = 0;
        while text.len() < MIN_CACHED_BYTES + 1000 {
            let answer = if index == 0 { answer } else { "Paris" };
            text += &format!(
                "  - id: big-{index}\n    type: typed\n    question: Capital of France?\n    answers: [{answer}]\n    explanation: It is.\n    source: Geography\n"
            );
            index += 1;
        }
        text
    }

    /// The header `cache` expects for a deck of these bytes.
    fn header_of<'a>(
        cache: &DeckCache,
        name: &'a str,
        label: &'a str,
        origin: &'a DeckOrigin,
        bytes: &[u8],
    ) -> Header<'a> {
        cache.header(name, label, origin, &blake3::hash(bytes))
    }

    fn entries(dir: &Path) -> usize {
        fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
    }

    #[test]
    fn a_fifo_where_an_entry_belongs_is_a_miss_not_a_hang() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let (name, bytes) = builtin().into_iter().next().unwrap();
        let path = cache
            .entry_path(&name, &DeckOrigin::Builtin, &bytes)
            .unwrap();
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        let parsed = cache
            .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        assert_eq!(parsed.deck.name, name);
        // The FIFO was replaced by a real entry.
        assert!(fs::symlink_metadata(&path).unwrap().is_file());
    }

    #[test]
    fn every_builtin_deck_comes_back_from_the_cache_exactly_as_parsed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        for (name, bytes) in builtin() {
            let label = format!("decks/{name}.yaml (built-in)");
            let fresh = parse_deck(&name, &label, DeckOrigin::Builtin, &bytes).unwrap();
            let first = cache
                .load_or_parse(&name, &label, DeckOrigin::Builtin, &bytes)
                .unwrap();
            let cached = cache
                .load_or_parse(&name, &label, DeckOrigin::Builtin, &bytes)
                .unwrap();
            assert_eq!(first.deck, fresh.deck);
            assert_eq!(cached.deck, fresh.deck, "{name}");
            assert_eq!(cached.card_lines, fresh.card_lines, "{name}");
        }
        assert_eq!(entries(dir.path()), builtin().len());
    }

    #[test]
    fn references_come_back_from_the_cache_field_by_field() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let text = "title: T\ndescription: D\ncards:\n  - id: r-one\n    type: flip\n    front: F\n    back: B\n    explanation: E.\n    source: S\n    note: N (2011).\n    references:\n      - {author: A, title: T, published_in: J, year: 2011, link: 'https://x.org'}\n      - {author: B, title: U, published_in: K, year: 1999}\n";
        let fresh = parse_deck("r", "r", DeckOrigin::Builtin, text.as_bytes()).unwrap();
        assert_eq!(fresh.deck.cards[0].references.len(), 2);
        cache
            .load_or_parse("r", "r", DeckOrigin::Builtin, text.as_bytes())
            .unwrap();
        let entry = fs::read(dir.path().join("builtin-r.bin")).unwrap();
        let header = header_of(&cache, "r", "r", &DeckOrigin::Builtin, text.as_bytes());
        let cached = read_entry(&entry, &header, DeckOrigin::Builtin).unwrap();
        assert_eq!(cached.deck, fresh.deck);
    }

    #[test]
    fn an_edit_that_keeps_size_and_modification_time_is_not_served_stale() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(&dir.path().join("cache"));
        let path = dir.path().join("big.yaml");
        let origin = DeckOrigin::File(path.clone());
        let label = path.display().to_string();
        let before = big_deck("Paris");
        fs::write(&path, &before).unwrap();
        let modified: SystemTime = fs::metadata(&path).unwrap().modified().unwrap();
        let parsed = cache
            .load_or_parse("big", &label, origin.clone(), before.as_bytes())
            .unwrap();
        assert_eq!(entries(&dir.path().join("cache")), 1);

        // Same length, same modification time, one answer changed.
        let after = big_deck("Lyons");
        assert_eq!(after.len(), before.len());
        fs::write(&path, &after).unwrap();
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        let reparsed = cache
            .load_or_parse("big", &label, origin.clone(), after.as_bytes())
            .unwrap();
        let expected = parse_deck("big", &label, origin.clone(), after.as_bytes()).unwrap();
        assert_ne!(reparsed.deck, parsed.deck);
        assert_eq!(reparsed.deck, expected.deck);
        // And the entry now holds the new text.
        let again = cache
            .load_or_parse("big", &label, origin.clone(), after.as_bytes())
            .unwrap();
        assert_eq!(again.deck, expected.deck);
        let entry = fs::read(dir.path().join("cache/file-big.bin")).unwrap();
        let header = header_of(&cache, "big", &label, &origin, after.as_bytes());
        let cached = read_entry(&entry, &header, origin.clone()).unwrap();
        assert_eq!(cached.deck, expected.deck);
        let header = header_of(&cache, "big", &label, &origin, before.as_bytes());
        assert!(read_entry(&entry, &header, origin.clone()).is_none());
    }

    #[test]
    fn an_entry_whose_index_disagrees_with_its_cards_is_a_miss() {
        let (name, bytes) = builtin().remove(0);
        let parsed = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
        let header = header_of(
            &DeckCache::disabled(),
            &name,
            "x",
            &DeckOrigin::Builtin,
            &bytes,
        );
        let mut ids: Vec<&str> = parsed.deck.cards.iter().map(|c| c.id.as_str()).collect();
        let entry_with = |ids: Vec<&str>| {
            let index = Index {
                title: &parsed.deck.title,
                description: &parsed.deck.description,
                ids,
                lines: parsed.card_lines.clone(),
            };
            let entry = postcard::to_extend(&header, MAGIC.to_vec()).unwrap();
            let entry = postcard::to_extend(&index, entry).unwrap();
            postcard::to_extend(&parsed.deck.cards, entry).unwrap()
        };
        assert_eq!(
            entry_with(ids.clone()),
            encode_entry(&header, &parsed).unwrap()
        );
        assert!(decode_entry(&entry_with(ids.clone())).is_some());
        ids.swap(0, 1);
        assert!(decode_entry(&entry_with(ids.clone())).is_none());
        ids.pop();
        assert!(decode_entry(&entry_with(ids)).is_none());
    }

    #[test]
    fn a_hand_made_entry_that_breaks_the_deck_rules_is_a_miss_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let (name, bytes) = builtin().remove(0);
        let expected = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
        let header = header_of(&cache, &name, "x", &DeckOrigin::Builtin, &bytes);
        let entry = dir.path().join(format!("builtin-{name}.bin"));
        let breakages: [fn(&mut Card); 5] = [
            // What made `grade.rs` index out of bounds: a typed card with no answer.
            |card| {
                card.content = CardContent::Typed {
                    question: "Q?".into(),
                    answers: vec![],
                }
            },
            |card| {
                card.content = CardContent::Cloze {
                    text: "no blank here".into(),
                    blanks: vec![vec!["x".into()]],
                }
            },
            |card| card.explanation = "Why\u{1b}]0;owned\u{7}".into(),
            |card| card.id = "Not Kebab".into(),
            |card| {
                card.content = CardContent::Choice {
                    question: "Q?".into(),
                    answer: "A".into(),
                    distractors: vec!["A".into(), "B".into()],
                }
            },
        ];
        for (i, breakage) in breakages.iter().enumerate() {
            let mut broken = expected.clone();
            breakage(&mut broken.deck.cards[0]);
            write_entry(&entry, &header, &broken).unwrap();
            let parsed = cache
                .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
                .unwrap();
            assert_eq!(parsed.deck, expected.deck, "breakage {i}");
            assert!(decode_entry(&fs::read(&entry).unwrap()).is_some());
            write_entry(&entry, &header, &broken).unwrap();
            assert!(
                decode_entry(&fs::read(&entry).unwrap()).is_none(),
                "breakage {i}"
            );
        }
    }

    proptest::proptest! {
        /// What `fuzz/fuzz_targets/cache.rs` explores, in small: damaged entries decode to a
        /// sound deck or to nothing, never to a panic.
        #[test]
        fn any_damage_to_an_entry_decodes_soundly_or_not_at_all(
            at in 0usize..4096,
            byte in proptest::prelude::any::<u8>(),
            cut in 0usize..4096,
        ) {
            let (name, bytes) = builtin().remove(0);
            let parsed = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
            let dir = tempfile::tempdir().unwrap();
            let entry = dir.path().join("entry.bin");
            let header = header_of(&DeckCache::disabled(), &name, "x", &DeckOrigin::Builtin, &bytes);
            write_entry(&entry, &header, &parsed).unwrap();
            let mut whole = fs::read(&entry).unwrap();
            let at = at % whole.len();
            whole[at] = byte;
            whole.truncate(whole.len() - cut % whole.len());
            if let Some(decoded) = decode_entry(&whole) {
                proptest::prop_assert!(is_sound(&decoded));
            }
        }
    }

    #[test]
    fn a_damaged_entry_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let (name, bytes) = builtin().remove(0);
        let expected = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
        cache
            .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        let entry = dir.path().join(format!("builtin-{name}.bin"));
        let whole = fs::read(&entry).unwrap();
        for cut in [0, 5, whole.len() / 2, whole.len() - 1] {
            fs::write(&entry, &whole[..cut]).unwrap();
            let parsed = cache
                .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
                .unwrap();
            assert_eq!(parsed.deck, expected.deck, "cut at {cut}");
        }
        let mut flipped = whole.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        fs::write(&entry, &flipped).unwrap();
        let parsed = cache
            .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        assert_eq!(parsed.deck, expected.deck);
    }

    #[test]
    fn decks_with_problems_and_small_decks_are_not_cached() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let path = dir.path().join("small.yaml");
        let small = "title: T\ndescription: D\ncards:\n  - id: a\n    type: flip\n    front: F\n    back: B\n    explanation: E\n    source: S\n";
        let origin = DeckOrigin::File(path.clone());
        cache
            .load_or_parse("small", "small.yaml", origin.clone(), small.as_bytes())
            .unwrap();
        let broken = big_deck("Paris").replace("source: Geography", "sauce: Geography");
        let errors = cache
            .load_or_parse("big", "big.yaml", origin.clone(), broken.as_bytes())
            .unwrap_err();
        assert!(!errors.is_empty());
        let again = cache
            .load_or_parse("big", "big.yaml", origin, broken.as_bytes())
            .unwrap_err();
        assert_eq!(again.len(), errors.len());
        assert_eq!(entries(dir.path()), 0);
    }

    #[test]
    fn an_entry_of_another_deck_name_label_file_or_program_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let (name, bytes) = builtin().remove(0);
        cache
            .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        let entry_of = |name: &str| dir.path().join(format!("builtin-{name}.bin"));
        let entry = fs::read(entry_of(&name)).unwrap();
        let header = header_of(&cache, &name, "x", &DeckOrigin::Builtin, &bytes);
        assert!(read_entry(&entry, &header, DeckOrigin::Builtin).is_some());

        let rebuilt = DeckCache {
            program: (cache.program.0 + 1, cache.program.1),
            ..cache.clone()
        };
        let elsewhere = DeckOrigin::File(dir.path().join(format!("{name}.yaml")));
        let others = [
            header_of(&rebuilt, &name, "x", &DeckOrigin::Builtin, &bytes),
            header_of(&cache, "other", "x", &DeckOrigin::Builtin, &bytes),
            header_of(&cache, &name, "y", &DeckOrigin::Builtin, &bytes),
            header_of(&cache, &name, "x", &elsewhere, &bytes),
            header_of(&cache, &name, "x", &DeckOrigin::Builtin, b"other bytes"),
        ];
        for (i, other) in others.iter().enumerate() {
            assert!(
                read_entry(&entry, other, DeckOrigin::Builtin).is_none(),
                "header {i}"
            );
        }

        // Through `load_or_parse`: the same bytes under another name, in a file holding the first
        // deck's entry, are parsed as that name's deck, and the entry is rewritten.
        fs::copy(entry_of(&name), entry_of("other")).unwrap();
        let parsed = cache
            .load_or_parse("other", "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        assert_eq!(parsed.deck.name, "other");
        assert_ne!(fs::read(entry_of("other")).unwrap(), entry);
        // And a rebuilt program rewrites the entry it cannot use.
        rebuilt
            .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        assert_ne!(fs::read(entry_of(&name)).unwrap(), entry);
    }

    #[test]
    fn an_entry_is_served_for_the_source_it_was_made_from_and_no_other() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let (name, bytes) = builtin().remove(0);
        let fresh = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
        // A sound deck that differs from what the bytes parse to, under their header.
        let mut made = fresh.clone();
        made.deck.cards[0].explanation = "Made by hand.".into();
        let header = header_of(&cache, &name, "x", &DeckOrigin::Builtin, &bytes);
        write_entry(
            &dir.path().join(format!("builtin-{name}.bin")),
            &header,
            &made,
        )
        .unwrap();
        let served = cache
            .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        assert_eq!(served.deck, made.deck);
        // One byte more of source is another hash: parsed afresh.
        let mut edited = bytes.clone();
        edited.push(b'\n');
        let parsed = cache
            .load_or_parse(&name, "x", DeckOrigin::Builtin, &edited)
            .unwrap();
        assert_eq!(parsed.deck, fresh.deck);
    }

    #[test]
    fn the_card_ids_of_an_entry_are_read_without_its_cards() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let (name, bytes) = builtin().remove(0);
        let fresh = cache
            .load_or_parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        let entry = fs::read(dir.path().join(format!("builtin-{name}.bin"))).unwrap();
        let (_, index, cards) = read_index(&entry).unwrap();
        let ids: Vec<&str> = fresh.deck.cards.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(index.ids, ids);
        assert_eq!(index.lines, fresh.card_lines);
        // The cards come last: cut them off and the index still reads, the deck does not.
        let cut = &entry[..entry.len() - cards.len()];
        assert_eq!(read_index(cut).unwrap().1.ids, ids);
        assert!(decode_entry(cut).is_none());
    }
}
