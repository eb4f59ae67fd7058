//! Every card id of a catalog in sorted order, kept in the cache folder beside the decks'
//! entries, so that a command finds a card by id with a binary search instead of a map of
//! every id built on each start, and the check that ids are unique across the decks is
//! not done again for ids already found unique (issue 31: at 200,000 cards, that check's
//! map was a fifth of `review`'s first card).
//!
//! The file (`catalog-ids.bin`) holds a magic number, the [`IdsKey`] of the ids it was made
//! from, each card's place (deck, card, as two little-endian `u32`s) in the order of the
//! ids, and the blake3 hash of all that. It is served only when its length, its hash and
//! its key are right: a damaged or stale file is a miss, after which the catalog checks
//! its ids as always and writes the file anew. A place outside the catalog (which the
//! hash makes all but impossible) is found as no card, never as a panic, and a search
//! compares the ids themselves, so it never answers with another card's place.

use std::path::Path;

use super::super::model::Deck;

/// Marks the file, with the version of its layout.
const MAGIC: &[u8; 8] = b"LQIDS\x00\x00\x01";

/// The name of the file in the cache folder.
pub(super) const FILE_NAME: &str = "catalog-ids.bin";

/// The bytes of one place: deck and card, `u32` each.
const PLACE_BYTES: usize = 8;

/// The blake3 hash of the ids of a catalog's decks, in order, with where each ends: what
/// a file of sorted places must have been made from to be served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::deck) struct IdsKey([u8; 32]);

impl IdsKey {
    pub(in crate::deck) fn of<'d>(decks: impl IntoIterator<Item = &'d Deck>) -> IdsKey {
        let mut hasher = blake3::Hasher::new();
        for deck in decks {
            let (text, ends) = deck.cards.packed_ids().parts();
            let ends: Vec<u8> = ends.iter().flat_map(|end| end.to_le_bytes()).collect();
            hasher.update(&(ends.len() as u64).to_le_bytes());
            hasher.update(&ends);
            hasher.update(&(text.len() as u64).to_le_bytes());
            hasher.update(text.as_bytes());
        }
        IdsKey(*hasher.finalize().as_bytes())
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
