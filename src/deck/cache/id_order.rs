//! Every card id of a catalog in sorted order, kept in the cache folder beside the decks'
//! entries, so that a command finds a card by id with a binary search instead of a map of
//! every id built on each start, and the check that ids are unique across the decks is
//! not done again for ids already found unique (issue 31: at 200,000 cards, that check's
//! map was a fifth of `review`'s first card).
//!
//! The file (`catalog-ids.bin`) holds a magic number, the [`IdsKey`] of the decks it was
//! made from, each card's place (deck, card, as two little-endian `u32`s) in the order of
//! the ids, and the blake3 hash of all that. It is served only when its length, its hash
//! and its key are right: a damaged, cut or stale file is a miss, after which the catalog
//! checks its ids as always and writes the file anew. A place outside the catalog (which
//! the hash makes all but impossible) is found as no card, never as a panic, and a search
//! compares the ids themselves, so it never answers with another card's place.
//!
//! The key is not a hash of the ids (which cost 19 M instructions of `review`'s first
//! card at 200,000 cards, issue 31) but of what the ids are made from: the layouts of this
//! file and of the entries, the program's identity, and for each deck in order its name,
//! number of cards and the blake3 hash of its source. That determines the ids: a deck just
//! parsed was parsed by this program from the source of that hash (a deck too small to be
//! cached is hashed for the purpose), and a deck served from its entry was served because
//! the entry's header names this program and that source (the parser's output for those
//! bytes, checked as [`super`] describes). So a deck that changed changes the key, and its
//! ids are checked and sorted again. What the key does not see is an entry damaged such
//! that its index still passes every check with other ids: the entry itself would then be
//! wrong, which the cache's checks are there to make all but impossible, and even then a
//! search here finds a card under its own id or not at all.

use std::path::Path;

use super::super::model::Deck;
use super::LoadedDeck;

/// Marks the file, with the version of its layout.
const MAGIC: &[u8; 8] = b"LQIDS\x00\x00\x01";

/// The name of the file in the cache folder.
pub(super) const FILE_NAME: &str = "catalog-ids.bin";

/// The bytes of one place: deck and card, `u32` each.
const PLACE_BYTES: usize = 8;

/// What the ids of a catalog's decks were made from, hashed: the layouts of this file and
/// of the entries, the program, and for each deck in order its name, number of cards and
/// the blake3 hash of its source (see the module's doc for why that determines the ids).
/// A file of sorted places is served only for this key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::deck) struct IdsKey([u8; 32]);

impl IdsKey {
    /// The key of `decks`, loaded by the program of `program` (size, modification time);
    /// `None` when a deck has no source hash (the cache is off).
    pub(super) fn of<'d>(
        program: (u64, i128),
        decks: impl IntoIterator<Item = &'d LoadedDeck>,
    ) -> Option<IdsKey> {
        let mut hasher = blake3::Hasher::new();
        hasher.update(MAGIC);
        hasher.update(super::MAGIC);
        hasher.update(&program.0.to_le_bytes());
        hasher.update(&program.1.to_le_bytes());
        for loaded in decks {
            let deck = &loaded.parsed.deck;
            let name = deck.name.as_str();
            hasher.update(&(name.len() as u64).to_le_bytes());
            hasher.update(name.as_bytes());
            hasher.update(&(deck.cards.len() as u64).to_le_bytes());
            hasher.update(&loaded.source?);
        }
        Some(IdsKey(*hasher.finalize().as_bytes()))
    }
}

/// The place of every card of a catalog, in the order of the ids: known to be unique
/// (built only from decks that passed the duplicate check, or read back from a file whose
/// key says so).
#[derive(Clone, PartialEq, Eq)]
pub(in crate::deck) struct IdOrder {
    /// Deck and card of each id, as little-endian `u32`s, in id order.
    places: Vec<u8>,
}

impl std::fmt::Debug for IdOrder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdOrder({} cards)", self.len())
    }
}

impl IdOrder {
    /// The order of the ids of `decks`, sorted now.
    pub(in crate::deck) fn build(decks: &[Deck]) -> IdOrder {
        let mut places: Vec<(u32, u32)> = (decks.iter().enumerate())
            .flat_map(|(deck, d)| (0..d.cards.len()).map(move |card| (deck as u32, card as u32)))
            .collect();
        places.sort_unstable_by(|a, b| id_at(decks, *a).cmp(&id_at(decks, *b)));
        let places = places
            .into_iter()
            .flat_map(|(deck, card)| [deck.to_le_bytes(), card.to_le_bytes()])
            .flatten()
            .collect();
        IdOrder { places }
    }

    fn len(&self) -> usize {
        self.places.len() / PLACE_BYTES
    }

    /// The place (deck, card) of the `n`th id in order.
    fn place(&self, n: usize) -> (u32, u32) {
        let bytes = &self.places[n * PLACE_BYTES..(n + 1) * PLACE_BYTES];
        let number = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
        (number(0), number(4))
    }

    /// The place (deck, card) of the card with this id among `decks` (those it was made of).
    pub(in crate::deck) fn find(&self, decks: &[Deck], id: &str) -> Option<(usize, usize)> {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            let place = self.place(middle);
            match id_at(decks, place)?.cmp(id) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some((place.0 as usize, place.1 as usize)),
            }
        }
        None
    }

    /// The file's bytes for these ids.
    fn encode(&self, key: &IdsKey) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(MAGIC.len() + 64 + self.places.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&key.0);
        bytes.extend_from_slice(&self.places);
        let hash = *blake3::hash(&bytes).as_bytes();
        bytes.extend_from_slice(&hash);
        bytes
    }

    /// The order in a file's `bytes`, when they are whole, of `cards` cards, and made
    /// from the ids of `key`.
    fn decode(bytes: &[u8], key: &IdsKey, cards: usize) -> Option<IdOrder> {
        let places_len = cards.checked_mul(PLACE_BYTES)?;
        if bytes.len() != MAGIC.len() + 32 + places_len + 32 {
            return None;
        }
        let (content, hash) = bytes.split_at(bytes.len() - 32);
        let (magic, rest) = content.split_at(MAGIC.len());
        let (stored_key, places) = rest.split_at(32);
        let sound = magic == MAGIC
            && stored_key == key.0
            && blake3::hash(content).as_bytes().as_slice() == hash;
        sound.then(|| IdOrder {
            places: places.to_vec(),
        })
    }

    /// The order kept in `dir` for the ids of `key`, if it is there and whole.
    pub(super) fn read(dir: &Path, key: &IdsKey, cards: usize) -> Option<IdOrder> {
        let max = (MAGIC.len() + 64).saturating_add(cards.saturating_mul(PLACE_BYTES));
        let bytes = crate::files::read_regular(&dir.join(FILE_NAME), max as u64).ok()?;
        IdOrder::decode(&bytes, key, cards)
    }

    /// Keeps the order in `dir` for the next command (best-effort, as every entry).
    pub(super) fn write(&self, dir: &Path, key: &IdsKey) -> std::io::Result<()> {
        super::write_atomically(&dir.join(FILE_NAME), &self.encode(key))
    }
}

/// The id of the card at `place` of `decks`; `None` when there is no such card.
fn id_at(decks: &[Deck], (deck, card): (u32, u32)) -> Option<&str> {
    decks.get(deck as usize)?.cards.id(card as usize)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::*;
    use crate::deck::DeckOrigin;
    use crate::deck::error::DeckErrorKind;
    use crate::deck::{DeckCache, DeckFile, builtin_files, load_catalog};

    fn deck_file(name: &str, ids: &[&str]) -> DeckFile {
        DeckFile::of_flip_cards(name, ids)
    }

    fn cache_in(dir: &Path) -> DeckCache {
        DeckCache::in_dir(dir, &std::env::current_exe().unwrap())
    }

    /// Every card of the catalog is found at its own place, and an id no deck has is not.
    fn assert_every_card_is_found(catalog: &crate::deck::Catalog) {
        for (deck_index, deck) in catalog.decks.iter().enumerate() {
            for (index, id) in deck.cards.ids().enumerate() {
                let (found, at) = catalog.locate(id).expect(id);
                assert_eq!(
                    (found.name.as_str(), at),
                    (deck.name.as_str(), index),
                    "{id}"
                );
                assert!(std::ptr::eq(found, &catalog.decks[deck_index]));
            }
        }
        for missing in ["", "a", "zzzz", "not-a-card"] {
            assert!(catalog.locate(missing).is_none(), "{missing}");
        }
    }

    #[test]
    fn a_card_is_found_by_id_with_the_cache_and_without() {
        let dir = tempfile::tempdir().unwrap();
        for cache in [
            DeckCache::disabled(),
            cache_in(dir.path()),
            cache_in(dir.path()),
        ] {
            let catalog = load_catalog(builtin_files(), &cache).unwrap();
            assert_every_card_is_found(&catalog);
        }
        assert!(dir.path().join(FILE_NAME).is_file());
    }

    #[test]
    fn a_damaged_or_stale_file_of_sorted_ids_is_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(dir.path());
        load_catalog(builtin_files(), &cache).unwrap();
        let path = dir.path().join(FILE_NAME);
        let whole = fs::read(&path).unwrap();
        let places_at = MAGIC.len() + 32;
        // Two places swapped (a wrong order whose length is right), a byte flipped in
        // the key, the file cut short, the file of other decks.
        let mut swapped = whole.clone();
        let (first, second) = (places_at, places_at + PLACE_BYTES);
        for i in 0..PLACE_BYTES {
            swapped.swap(first + i, second + i);
        }
        let mut flipped = whole.clone();
        flipped[MAGIC.len()] ^= 1;
        let other = load_catalog(
            vec![deck_file("other", &["x-1", "x-2"])],
            &cache_in(dir.path()),
        );
        assert!(other.is_ok());
        let of_other = fs::read(&path).unwrap();
        for (what, bytes) in [
            ("swapped", swapped),
            ("flipped", flipped),
            ("cut", whole[..whole.len() - 1].to_vec()),
            ("other decks", of_other),
        ] {
            fs::write(&path, &bytes).unwrap();
            let catalog = load_catalog(builtin_files(), &cache).unwrap();
            assert_every_card_is_found(&catalog);
            assert_eq!(fs::read(&path).unwrap(), whole, "{what}: written anew");
        }
    }

    #[test]
    fn the_sorted_ids_of_a_deck_since_changed_are_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(dir.path());
        let decks = |b: &[&str]| vec![deck_file("a", &["one", "two"]), deck_file("b", b)];
        load_catalog(decks(&["three", "four"]), &cache).unwrap();
        let before = fs::read(dir.path().join(FILE_NAME)).unwrap();
        // The same number of cards, other ids, in another order.
        let catalog = load_catalog(decks(&["zz-top", "four"]), &cache).unwrap();
        assert_every_card_is_found(&catalog);
        assert!(catalog.locate("three").is_none());
        assert_ne!(fs::read(dir.path().join(FILE_NAME)).unwrap(), before);
        // Served again, the new file answers for the new ids.
        let catalog = load_catalog(decks(&["zz-top", "four"]), &cache).unwrap();
        assert_every_card_is_found(&catalog);
    }

    #[test]
    fn the_key_of_sorted_ids_names_the_program_and_every_deck_source() {
        let loaded = |name: &str, ids: &[&str], source: Option<[u8; 32]>| {
            let bytes = deck_file(name, ids).bytes.unwrap().read().unwrap();
            let parsed = crate::deck::parse_deck(name, name, DeckOrigin::Builtin, &bytes);
            LoadedDeck {
                parsed: parsed.unwrap(),
                source,
            }
        };
        let a = loaded("a", &["one"], Some([1; 32]));
        let b = loaded("b", &["two"], Some([2; 32]));
        let key = IdsKey::of((1, 2), [&a, &b]).unwrap();
        let b_changed = loaded("b", &["two"], Some([3; 32]));
        let b_longer = loaded("b", &["two", "three"], Some([2; 32]));
        for (what, other) in [
            ("another program", IdsKey::of((1, 3), [&a, &b])),
            ("another order", IdsKey::of((1, 2), [&b, &a])),
            ("another source", IdsKey::of((1, 2), [&a, &b_changed])),
            ("more cards", IdsKey::of((1, 2), [&a, &b_longer])),
            ("a deck less", IdsKey::of((1, 2), [&a])),
        ] {
            assert_ne!(other, Some(key), "{what}");
        }
        assert_eq!(IdsKey::of((1, 2), [&a, &b]), Some(key));
        assert_eq!(IdsKey::of((1, 2), [&a, &loaded("c", &["x"], None)]), None);
    }

    #[test]
    fn ids_found_unique_before_are_checked_again_when_a_deck_changes() {
        let dir = tempfile::tempdir().unwrap();
        let cache = cache_in(dir.path());
        let a = || deck_file("a", &["one", "two"]);
        load_catalog(vec![a(), deck_file("b", &["three"])], &cache).unwrap();
        let errors = load_catalog(vec![a(), deck_file("b", &["three", "two"])], &cache)
            .expect_err("a duplicate id");
        assert!(
            matches!(&errors[..], [error] if matches!(&error.kind, DeckErrorKind::DuplicateId { id, .. } if id == "two")),
            "{errors:?}"
        );
    }
}
