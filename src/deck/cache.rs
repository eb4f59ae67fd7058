//! A cache of parsed decks, so that a collection of tens of thousands of cards does not go
//! through the YAML parser on every start (issue 7: parsing 50,000 cards took about 0.55 s).
//!
//! Each deck that parsed without problems is written to its own file in the cache folder:
//! the key (the deck's name, its file and origin, the file's size and modification time, and
//! the running executable's size and modification time, so a rebuilt parser never reads an
//! older one's output), **the whole source text**, then the parsed deck in a compact binary
//! form. A cached deck is served only when every key matches and the source text in the
//! entry is byte for byte the text just read from the deck file. Parsing is a function of
//! exactly those inputs, so the cache cannot serve stale content: any edit, even one that
//! keeps the size and the modification time, is a miss and the file is parsed again.
//!
//! The cache is best-effort: an entry that is missing, unreadable, damaged or of another
//! format is a miss, and a cache that cannot be written is silently skipped. Decks with
//! problems are never cached, so every problem is reported fresh. Small user decks (under
//! [`MIN_CACHED_BYTES`]) parse faster than the cache could be checked and are not cached.
//!
//! The folder is `<cache dir>/lupus-quiz/decks` (`~/.cache/lupus-quiz/decks` on Linux), or
//! the one named by `LUPUS_QUIZ_CACHE_DIR`; setting that variable to an empty value turns the
//! cache off.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use super::error::DeckError;
use super::load::{ParsedDeck, is_sound, parse_deck};
use super::model::{Card, CardContent, Deck, DeckOrigin, Reference};

/// The environment variable naming the cache folder (empty: no cache).
pub(super) const CACHE_DIR_VAR: &str = "LUPUS_QUIZ_CACHE_DIR";

/// User deck files smaller than this are parsed every time (about a millisecond's work).
pub(super) const MIN_CACHED_BYTES: usize = 32 * 1024;

/// Marks a cache entry, with the version of its layout (2: cards carry `references`).
const MAGIC: &[u8; 8] = b"LQDECK\x00\x02";

/// Where parsed decks are kept, or nowhere.
#[derive(Debug, Clone)]
pub struct DeckCache {
    dir: Option<PathBuf>,
    /// Size and modification time of the running executable.
    program: (u64, i128),
}

impl DeckCache {
    /// The cache in `LUPUS_QUIZ_CACHE_DIR`, or in the platform's cache folder.
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
    pub fn parse(
        &self,
        name: &str,
        label: &str,
        origin: DeckOrigin,
        bytes: &[u8],
    ) -> Result<ParsedDeck, Vec<DeckError>> {
        let Some(entry_path) = self.entry_path(name, &origin, bytes) else {
            return parse_deck(name, label, origin, bytes);
        };
        let key = self.key(name, label, &origin);
        // Only a regular file, through a limit: anything else there is a miss.
        if let Some(parsed) = crate::files::read_regular(&entry_path, MAX_ENTRY_BYTES)
            .ok()
            .and_then(|entry| read_entry(&entry, &key, bytes, origin.clone()))
        {
            return Ok(parsed);
        }
        let parsed = parse_deck(name, label, origin, bytes)?;
        // A cache that cannot be written is no reason to fail a command.
        let _ = write_entry(&entry_path, &key, bytes, &parsed);
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

    /// Everything besides the source text that a cached deck must match.
    fn key(&self, name: &str, label: &str, origin: &DeckOrigin) -> Vec<u8> {
        let mut key = Encoder::default();
        key.u64(self.program.0);
        key.i128(self.program.1);
        key.str(name);
        key.str(label);
        match origin {
            DeckOrigin::Builtin => key.u8(0),
            DeckOrigin::File(path) => {
                key.u8(1);
                key.bytes(path.as_os_str().as_encoded_bytes());
                // Size and modification time now; the text is compared as well, since a
                // file can change within the resolution of its modification time.
                let (size, modified) = fs::metadata(path)
                    .map(|meta| (meta.len(), modified_nanos(&meta)))
                    .unwrap_or((u64::MAX, 0));
                key.u64(size);
                key.i128(modified);
            }
        }
        key.out
    }
}

fn modified_nanos(meta: &fs::Metadata) -> i128 {
    match meta.modified().map(|t| t.duration_since(UNIX_EPOCH)) {
        Ok(Ok(since)) => since.as_nanos() as i128,
        Ok(Err(before)) => -(before.duration().as_nanos() as i128),
        Err(_) => 0,
    }
}

/// Writes an entry next to its final place, then moves it there, so a reader never sees a
/// half-written entry.
/// An entry holds the deck's text and its parsed form: a few times the size of the largest
/// deck file at most.
const MAX_ENTRY_BYTES: u64 = 8 * super::load::MAX_DECK_BYTES;

fn write_entry(path: &Path, key: &[u8], source: &[u8], parsed: &ParsedDeck) -> std::io::Result<()> {
    let mut entry = Encoder::default();
    entry.out.extend_from_slice(MAGIC);
    entry.bytes(key);
    entry.bytes(source);
    entry.deck(parsed);
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir)?;
    }
    let temporary = path.with_extension(format!("tmp{}", std::process::id()));
    fs::write(&temporary, &entry.out)?;
    fs::rename(&temporary, path).inspect_err(|_| {
        let _ = fs::remove_file(&temporary);
    })
}

/// The deck of an entry, when the entry is whole and matches `key` and `source` exactly.
fn read_entry(entry: &[u8], key: &[u8], source: &[u8], origin: DeckOrigin) -> Option<ParsedDeck> {
    let mut decoder = Decoder { rest: entry };
    if decoder.take(MAGIC.len())? != MAGIC || decoder.bytes()? != key || decoder.bytes()? != source
    {
        return None;
    }
    let parsed = decoder.deck(origin)?;
    (decoder.rest.is_empty() && is_sound(&parsed)).then_some(parsed)
}

/// Decodes the deck of any cache entry without matching it to a file, validating it as a
/// real read does: for the fuzz target, which feeds it arbitrary bytes.
pub fn decode_entry(entry: &[u8]) -> Option<ParsedDeck> {
    let mut decoder = Decoder { rest: entry };
    if decoder.take(MAGIC.len())? != MAGIC {
        return None;
    }
    decoder.bytes()?;
    decoder.bytes()?;
    let parsed = decoder.deck(DeckOrigin::Builtin)?;
    (decoder.rest.is_empty() && is_sound(&parsed)).then_some(parsed)
}

/// Little-endian, length-prefixed binary encoding of decks.
#[derive(Default)]
struct Encoder {
    out: Vec<u8>,
}

impl Encoder {
    fn u8(&mut self, value: u8) {
        self.out.push(value);
    }

    fn u64(&mut self, value: u64) {
        self.out.extend_from_slice(&value.to_le_bytes());
    }

    fn i128(&mut self, value: i128) {
        self.out.extend_from_slice(&value.to_le_bytes());
    }

    fn len(&mut self, len: usize) {
        self.u64(len as u64);
    }

    fn bytes(&mut self, bytes: &[u8]) {
        self.len(bytes.len());
        self.out.extend_from_slice(bytes);
    }

    fn str(&mut self, text: &str) {
        self.bytes(text.as_bytes());
    }

    fn strings(&mut self, list: &[String]) {
        self.len(list.len());
        for text in list {
            self.str(text);
        }
    }

    fn deck(&mut self, parsed: &ParsedDeck) {
        let deck = &parsed.deck;
        self.str(&deck.name);
        self.str(&deck.title);
        self.str(&deck.description);
        self.len(deck.cards.len());
        for card in &deck.cards {
            self.card(card);
        }
        self.len(parsed.card_lines.len());
        for line in &parsed.card_lines {
            // 0 for no line, else the line plus one.
            self.u64(line.map_or(0, |line| line as u64 + 1));
        }
    }

    fn card(&mut self, card: &Card) {
        self.str(&card.id);
        match &card.content {
            CardContent::Flip { front, back } => {
                self.u8(0);
                self.str(front);
                self.str(back);
            }
            CardContent::Choice {
                question,
                answer,
                distractors,
            } => {
                self.u8(1);
                self.str(question);
                self.str(answer);
                self.strings(distractors);
            }
            CardContent::Multi {
                question,
                correct,
                wrong,
            } => {
                self.u8(2);
                self.str(question);
                self.strings(correct);
                self.strings(wrong);
            }
            CardContent::TrueFalse { statement, answer } => {
                self.u8(3);
                self.str(statement);
                self.u8(u8::from(*answer));
            }
            CardContent::Typed { question, answers } => {
                self.u8(4);
                self.str(question);
                self.strings(answers);
            }
            CardContent::Order { question, items } => {
                self.u8(5);
                self.str(question);
                self.strings(items);
            }
            CardContent::Cloze { text, blanks } => {
                self.u8(6);
                self.str(text);
                self.len(blanks.len());
                for blank in blanks {
                    self.strings(blank);
                }
            }
        }
        self.str(&card.explanation);
        self.str(&card.source);
        match &card.note {
            None => self.u8(0),
            Some(note) => {
                self.u8(1);
                self.str(note);
            }
        }
        self.len(card.references.len());
        for reference in &card.references {
            self.reference(reference);
        }
        self.strings(&card.tags);
    }

    fn reference(&mut self, reference: &Reference) {
        self.str(&reference.author);
        self.str(&reference.title);
        self.str(&reference.published_in);
        self.u64(u64::from(reference.year));
        match &reference.link {
            None => self.u8(0),
            Some(link) => {
                self.u8(1);
                self.str(link);
            }
        }
    }
}

/// Reads what [`Encoder`] wrote; `None` at the first thing out of place.
struct Decoder<'a> {
    rest: &'a [u8],
}

impl<'a> Decoder<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (taken, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(taken)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A length, which can be no longer than what is left (so a damaged entry cannot ask
    /// for a huge allocation).
    fn len(&mut self) -> Option<usize> {
        let len = usize::try_from(self.u64()?).ok()?;
        (len <= self.rest.len()).then_some(len)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.len()?;
        self.take(len)
    }

    fn string(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    fn strings(&mut self) -> Option<Vec<String>> {
        let len = self.len()?;
        (0..len).map(|_| self.string()).collect()
    }

    fn deck(&mut self, origin: DeckOrigin) -> Option<ParsedDeck> {
        let name = self.string()?;
        let title = self.string()?;
        let description = self.string()?;
        let count = self.len()?;
        let cards = (0..count).map(|_| self.card()).collect::<Option<_>>()?;
        let lines = self.len()?;
        let card_lines = (0..lines)
            .map(|_| {
                let line = self.u64()?;
                Some(line.checked_sub(1).map(|line| line as usize))
            })
            .collect::<Option<_>>()?;
        Some(ParsedDeck {
            deck: Deck {
                name,
                title,
                description,
                cards,
                origin,
            },
            card_lines,
        })
    }

    fn card(&mut self) -> Option<Card> {
        let id = self.string()?;
        let content = match self.u8()? {
            0 => CardContent::Flip {
                front: self.string()?,
                back: self.string()?,
            },
            1 => CardContent::Choice {
                question: self.string()?,
                answer: self.string()?,
                distractors: self.strings()?,
            },
            2 => CardContent::Multi {
                question: self.string()?,
                correct: self.strings()?,
                wrong: self.strings()?,
            },
            3 => CardContent::TrueFalse {
                statement: self.string()?,
                answer: match self.u8()? {
                    0 => false,
                    1 => true,
                    _ => return None,
                },
            },
            4 => CardContent::Typed {
                question: self.string()?,
                answers: self.strings()?,
            },
            5 => CardContent::Order {
                question: self.string()?,
                items: self.strings()?,
            },
            6 => CardContent::Cloze {
                text: self.string()?,
                blanks: {
                    let len = self.len()?;
                    (0..len).map(|_| self.strings()).collect::<Option<_>>()?
                },
            },
            _ => return None,
        };
        Some(Card {
            id,
            content,
            explanation: self.string()?,
            source: self.string()?,
            note: match self.u8()? {
                0 => None,
                1 => Some(self.string()?),
                _ => return None,
            },
            references: {
                let len = self.len()?;
                (0..len).map(|_| self.reference()).collect::<Option<_>>()?
            },
            tags: self.strings()?,
        })
    }

    fn reference(&mut self) -> Option<Reference> {
        Some(Reference {
            author: self.string()?,
            title: self.string()?,
            published_in: self.string()?,
            year: u16::try_from(self.u64()?).ok()?,
            link: match self.u8()? {
                0 => None,
                1 => Some(self.string()?),
                _ => return None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use std::time::SystemTime;

    use super::*;
    use crate::deck::builtin_files;

    fn builtin() -> Vec<(String, Vec<u8>)> {
        builtin_files()
            .into_iter()
            .map(|file| (file.name, file.bytes.unwrap()))
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
            .parse(&name, "x", DeckOrigin::Builtin, &bytes)
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
                .parse(&name, &label, DeckOrigin::Builtin, &bytes)
                .unwrap();
            let cached = cache
                .parse(&name, &label, DeckOrigin::Builtin, &bytes)
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
            .parse("r", "r", DeckOrigin::Builtin, text.as_bytes())
            .unwrap();
        let entry = fs::read(dir.path().join("builtin-r.bin")).unwrap();
        let key = cache.key("r", "r", &DeckOrigin::Builtin);
        let cached = read_entry(&entry, &key, text.as_bytes(), DeckOrigin::Builtin).unwrap();
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
            .parse("big", &label, origin.clone(), before.as_bytes())
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
            .parse("big", &label, origin.clone(), after.as_bytes())
            .unwrap();
        let expected = parse_deck("big", &label, origin.clone(), after.as_bytes()).unwrap();
        assert_ne!(reparsed.deck, parsed.deck);
        assert_eq!(reparsed.deck, expected.deck);
        // And the entry now holds the new text.
        let again = cache
            .parse("big", &label, origin, after.as_bytes())
            .unwrap();
        assert_eq!(again.deck, expected.deck);
    }

    #[test]
    fn a_hand_made_entry_that_breaks_the_deck_rules_is_a_miss_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let (name, bytes) = builtin().remove(0);
        let expected = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
        let key = cache.key(&name, "x", &DeckOrigin::Builtin);
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
            write_entry(&entry, &key, &bytes, &broken).unwrap();
            let parsed = cache
                .parse(&name, "x", DeckOrigin::Builtin, &bytes)
                .unwrap();
            assert_eq!(parsed.deck, expected.deck, "breakage {i}");
            assert!(decode_entry(&fs::read(&entry).unwrap()).is_some());
            write_entry(&entry, &key, &bytes, &broken).unwrap();
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
            write_entry(&entry, b"key", b"src", &parsed).unwrap();
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
            .parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        let entry = dir.path().join(format!("builtin-{name}.bin"));
        let whole = fs::read(&entry).unwrap();
        for cut in [0, 5, whole.len() / 2, whole.len() - 1] {
            fs::write(&entry, &whole[..cut]).unwrap();
            let parsed = cache
                .parse(&name, "x", DeckOrigin::Builtin, &bytes)
                .unwrap();
            assert_eq!(parsed.deck, expected.deck, "cut at {cut}");
        }
        let mut flipped = whole.clone();
        let last = flipped.len() - 1;
        flipped[last] ^= 0xff;
        fs::write(&entry, &flipped).unwrap();
        let parsed = cache
            .parse(&name, "x", DeckOrigin::Builtin, &bytes)
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
            .parse("small", "small.yaml", origin.clone(), small.as_bytes())
            .unwrap();
        let broken = big_deck("Paris").replace("source: Geography", "sauce: Geography");
        let errors = cache
            .parse("big", "big.yaml", origin.clone(), broken.as_bytes())
            .unwrap_err();
        assert!(!errors.is_empty());
        let again = cache
            .parse("big", "big.yaml", origin, broken.as_bytes())
            .unwrap_err();
        assert_eq!(again.len(), errors.len());
        assert_eq!(entries(dir.path()), 0);
    }

    #[test]
    fn an_entry_of_another_deck_name_or_program_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = DeckCache::in_dir(dir.path());
        let (name, bytes) = builtin().remove(0);
        cache
            .parse(&name, "x", DeckOrigin::Builtin, &bytes)
            .unwrap();
        let rebuilt = DeckCache {
            program: (cache.program.0 + 1, cache.program.1),
            ..cache.clone()
        };
        let key = rebuilt.key(&name, "x", &DeckOrigin::Builtin);
        let entry = fs::read(dir.path().join(format!("builtin-{name}.bin"))).unwrap();
        assert!(read_entry(&entry, &key, &bytes, DeckOrigin::Builtin).is_none());
        let key = cache.key(&name, "x", &DeckOrigin::Builtin);
        assert!(read_entry(&entry, &key, &bytes, DeckOrigin::Builtin).is_some());
    }
}
