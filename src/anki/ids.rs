//! Stable identities. Anki recognises a note it already has by its GUID, so every export of
//! a card must carry the same one: it is derived from the card id, never drawn at random.
//! Note, card and deck ids are derived the same way, so two exports of the same decks are
//! the same package apart from modification times.

use std::collections::HashSet;

use sha1::{Digest, Sha1};

/// The characters of Anki's own GUIDs (base 91).
const BASE91: &[u8; 91] =
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~";

/// Anki ids are, by convention, creation times in milliseconds; derived ids fall in the
/// years 2010–2019 so that Anki's browser shows a plausible "created" date and they cannot
/// meet ids Anki makes today.
const ID_BASE: i64 = 1_262_304_000_000;
const ID_SPAN: u64 = 315_360_000_000;

/// The first 8 bytes of the SHA-1 of `parts`, each followed by a NUL so that
/// `["ab", "c"]` and `["a", "bc"]` differ. SHA-1 rather than std's hasher, whose output may
/// change between Rust releases.
pub(super) fn hash64(parts: &[&str]) -> u64 {
    let mut hasher = Sha1::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    u64::from_be_bytes(digest[..8].try_into().expect("SHA-1 has 20 bytes"))
}

/// The GUID of the note of card `card_id`: ten base-91 characters, like Anki's own.
pub fn note_guid(card_id: &str) -> String {
    let mut value = hash64(&["lupus-quiz", "note", card_id]);
    let mut guid = Vec::with_capacity(10);
    while value > 0 {
        guid.push(BASE91[(value % 91) as usize]);
        value /= 91;
    }
    String::from_utf8(guid).expect("the alphabet is ASCII")
}

/// Hands out ids derived from names, unique within one table: a rare collision of two
/// derived ids moves the later one on by one millisecond. Callers add in a fixed order,
/// so the same input always gets the same ids.
#[derive(Debug, Default)]
pub(super) struct IdAllocator {
    used: HashSet<i64>,
}

impl IdAllocator {
    /// An id derived from `parts`.
    pub(super) fn derived(&mut self, parts: &[&str]) -> i64 {
        let offset = (hash64(parts) % ID_SPAN) as i64;
        self.claim(ID_BASE + offset)
    }

    /// `wanted`, or the first free id after it.
    pub(super) fn claim(&mut self, wanted: i64) -> i64 {
        let mut id = wanted;
        while !self.used.insert(id) {
            id += 1;
        }
        id
    }
}

/// The SHA-1 checksum Anki keeps of a note's first field (for finding duplicates): the
/// first 8 hex digits of the digest of its text without HTML, as a number.
pub(super) fn field_checksum(plain_text: &str) -> i64 {
    let digest = Sha1::digest(plain_text.as_bytes());
    i64::from(u32::from_be_bytes(
        digest[..4].try_into().expect("SHA-1 has 20 bytes"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_short_and_distinct() {
        let guid = note_guid("hsct-what-is");
        assert_eq!(guid, note_guid("hsct-what-is"));
        assert!(guid.len() <= 10 && guid.len() >= 8, "{guid}");
        assert!(guid.bytes().all(|b| BASE91.contains(&b)));
        assert_ne!(guid, note_guid("hsct-what-is-2"));
    }

    #[test]
    fn a_collision_moves_the_later_id_on() {
        let mut ids = IdAllocator::default();
        let first = ids.derived(&["note", "a"]);
        assert!((ID_BASE..ID_BASE + ID_SPAN as i64).contains(&first));
        assert_eq!(ids.claim(first), first + 1);
        assert_eq!(ids.claim(first), first + 2);
    }

    #[test]
    fn the_checksum_is_anki_s() {
        // Anki's checksum of the field text "q": sha1 = 22ea1c64...
        assert_eq!(field_checksum("q"), 0x22ea_1c64);
    }
}
