//! The deck cache's own tests: entries come back as parsed, and a damaged, stale or
//! hand-made entry is a miss, never an error or a panic.

use std::time::SystemTime;

use super::*;
use crate::deck::model::CardContent;
use crate::deck::{DeckFile, builtin_files};

/// Whether a decoded deck is one the parser could have made: its title and description
/// pass the text rule, and it has cards, each with a line and no problem.
fn is_sound(parsed: &ParsedDeck) -> bool {
    let deck = &parsed.deck;
    text_problem("title", &deck.title).is_none()
        && text_problem("description", &deck.description).is_none()
        && !deck.cards.is_empty()
        && parsed.card_lines.len() == deck.cards.len()
        && deck
            .cards
            .iter()
            .all(|card| card_problems(card).is_empty() && blanks_match(card))
}

/// A cache in `dir` for this test program.
fn cache_in(dir: &Path) -> DeckCache {
    DeckCache::in_dir(dir, &std::env::current_exe().unwrap())
}

fn builtin() -> Vec<(String, Vec<u8>)> {
    builtin_files()
        .into_iter()
        .map(|file| {
            let bytes = file.bytes.unwrap().read().unwrap().into_owned();
            (file.name.into_string(), bytes)
        })
        .collect()
}

/// `load_or_parse` of bytes in memory.
trait LoadBytes {
    fn load(
        &self,
        name: &str,
        label: &str,
        origin: DeckOrigin,
        bytes: &[u8],
    ) -> Result<ParsedDeck, Vec<DeckError>>;
}

impl LoadBytes for DeckCache {
    fn load(
        &self,
        name: &str,
        label: &str,
        origin: DeckOrigin,
        bytes: &[u8],
    ) -> Result<ParsedDeck, Vec<DeckError>> {
        self.load_or_parse(name, label, origin, DeckBytes::from(bytes.to_vec()))
    }
}

/// The deck of a whole entry whose header is `expected` (its file stamp aside), every
/// body decoded.
fn read_entry(entry: &[u8], expected: &Header, origin: DeckOrigin) -> Option<ParsedDeck> {
    let (header, parsed) = decode_whole(entry, origin)?;
    header.same_source(expected).then_some(parsed)
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
fn header_of(
    cache: &DeckCache,
    name: &str,
    label: &str,
    origin: &DeckOrigin,
    bytes: &[u8],
) -> Header {
    cache.header(name, label, origin, *blake3::hash(bytes).as_bytes(), None)
}

fn entries(dir: &Path) -> usize {
    fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}

#[test]
fn a_fifo_where_an_entry_belongs_is_a_miss_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let (name, bytes) = builtin().into_iter().next().unwrap();
    let path = cache
        .entry_path(&name, &DeckOrigin::Builtin, bytes.len() as u64)
        .unwrap();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .unwrap();
    assert!(made.success());
    let parsed = cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    assert_eq!(parsed.deck.name, name);
    // The FIFO was replaced by a real entry.
    assert!(fs::symlink_metadata(&path).unwrap().is_file());
}

#[test]
fn every_builtin_deck_comes_back_from_the_cache_exactly_as_parsed() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    for (name, bytes) in builtin() {
        let label = format!("decks/{name}.yaml (built-in)");
        let fresh = parse_deck(&name, &label, DeckOrigin::Builtin, &bytes).unwrap();
        let first = cache
            .load(&name, &label, DeckOrigin::Builtin, &bytes)
            .unwrap();
        let cached = cache
            .load(&name, &label, DeckOrigin::Builtin, &bytes)
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
    let cache = cache_in(dir.path());
    let text = "title: T\ndescription: D\ncards:\n  - id: r-one\n    type: flip\n    front: F\n    back: B\n    explanation: E.\n    source: S\n    note: N (2011).\n    references:\n      - {author: A, title: T, published_in: J, year: 2011, link: 'https://x.org'}\n      - {author: B, title: U, published_in: K, year: 1999}\n";
    let fresh = parse_deck("r", "r", DeckOrigin::Builtin, text.as_bytes()).unwrap();
    assert_eq!(fresh.deck.cards.get(0).unwrap().references.len(), 2);
    cache
        .load("r", "r", DeckOrigin::Builtin, text.as_bytes())
        .unwrap();
    let entry = fs::read(dir.path().join("builtin-r.bin")).unwrap();
    let header = header_of(&cache, "r", "r", &DeckOrigin::Builtin, text.as_bytes());
    let cached = read_entry(&entry, &header, DeckOrigin::Builtin).unwrap();
    assert_eq!(cached.deck, fresh.deck);
}

#[test]
fn origin_lines_come_back_from_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let text = "title: T\ndescription: D\ncards:\n  - id: o-one\n    type: flip\n    front: F\n    back: B\n    explanation: E.\n    source: S\n    origin: 23\n  - id: o-two\n    type: flip\n    front: G\n    back: C\n    explanation: E.\n    source: S\n";
    let fresh = parse_deck("o", "o", DeckOrigin::Builtin, text.as_bytes()).unwrap();
    assert_eq!(fresh.deck.cards.get(0).unwrap().origin, Some(23));
    cache
        .load("o", "o", DeckOrigin::Builtin, text.as_bytes())
        .unwrap();
    let entry = fs::read(dir.path().join("builtin-o.bin")).unwrap();
    let header = header_of(&cache, "o", "o", &DeckOrigin::Builtin, text.as_bytes());
    let cached = read_entry(&entry, &header, DeckOrigin::Builtin).unwrap();
    assert_eq!(cached.deck, fresh.deck);
    assert_eq!(cached.deck.cards.get(0).unwrap().origin, Some(23));
    assert_eq!(cached.deck.cards.get(1).unwrap().origin, None);
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_not_served_stale() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(&dir.path().join("cache"));
    let path = dir.path().join("big.yaml");
    let origin = DeckOrigin::File(path.clone());
    let label = path.display().to_string();
    let before = big_deck("Paris");
    fs::write(&path, &before).unwrap();
    let modified: SystemTime = fs::metadata(&path).unwrap().modified().unwrap();
    let parsed = cache
        .load("big", &label, origin.clone(), before.as_bytes())
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
        .load("big", &label, origin.clone(), after.as_bytes())
        .unwrap();
    let expected = parse_deck("big", &label, origin.clone(), after.as_bytes()).unwrap();
    assert_ne!(reparsed.deck, parsed.deck);
    assert_eq!(reparsed.deck, expected.deck);
    // And the entry now holds the new text.
    let again = cache
        .load("big", &label, origin.clone(), after.as_bytes())
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
    let cards = &parsed.deck.cards;
    let (bodies, ends) = encode_bodies(cards).unwrap();
    let types: Vec<u8> = (0..cards.len())
        .map(|i| {
            CardType::ALL
                .iter()
                .position(|t| *t == cards.card_type(i))
                .unwrap() as u8
        })
        .collect();
    let entry_with = |ids: Vec<&str>, types: Vec<u8>, ends: Vec<u64>| {
        let packed: Ids = ids.into_iter().collect();
        let (packed_ids, id_ends) = packed.parts();
        let index = Index {
            ids: packed_ids,
            id_ends: to_array(id_ends.iter().map(|end| end.to_le_bytes())),
            types: to_array(types.into_iter().map(|t| [t])),
            ends: to_array(ends.iter().map(|end| end.to_le_bytes())),
            ..Index::of(&parsed.deck, &parsed.card_lines, &ends)
        };
        let head = postcard::to_stdvec(&header).unwrap();
        let head = postcard::to_extend(&index, head).unwrap();
        assemble(&head, &bodies).unwrap()
    };
    let ids: Vec<&str> = cards.ids().collect();
    let whole = entry_with(ids.clone(), types.clone(), ends.clone());
    assert_eq!(whole, encode_entry(&header, &parsed).unwrap());
    assert!(decode_entry(&whole).is_some());
    let mut swapped = ids.clone();
    swapped.swap(0, 1);
    assert!(decode_entry(&entry_with(swapped, types.clone(), ends.clone())).is_none());
    let mut fewer = ids.clone();
    fewer.pop();
    assert!(decode_entry(&entry_with(fewer, types.clone(), ends.clone())).is_none());
    let mut retyped = types.clone();
    retyped[0] = (retyped[0] + 1) % 7;
    assert!(decode_entry(&entry_with(ids.clone(), retyped, ends.clone())).is_none());
    let mut shifted = ends.clone();
    shifted[0] += 1;
    assert!(decode_entry(&entry_with(ids.clone(), types.clone(), shifted)).is_none());
    let mut past = ends;
    *past.last_mut().unwrap() += 1;
    assert!(decode_entry(&entry_with(ids, types, past)).is_none());
}

#[test]
fn a_hand_made_entry_that_breaks_the_deck_rules_is_a_miss_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let (name, bytes) = builtin().remove(0);
    let expected = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    let header = header_of(&cache, &name, "x", &DeckOrigin::Builtin, &bytes);
    let entry = dir.path().join(format!("builtin-{name}.bin"));
    let breakages: [fn(&mut Card); 6] = [
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
        // The beyond-the-article label without the note it sends the learner to: a
        // cached card must keep every rule `check` enforces.
        |card| {
            card.source = crate::deck::BEYOND_THE_ARTICLE.into();
            card.note = None;
        },
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
        let mut cards: Vec<Card> = broken.deck.cards.iter().cloned().collect();
        breakage(&mut cards[0]);
        broken.deck.cards = cards.into();
        write_entry(&entry, &header, &broken).unwrap();
        let parsed = cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
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
    let cache = cache_in(dir.path());
    let (name, bytes) = builtin().remove(0);
    let expected = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    let entry = dir.path().join(format!("builtin-{name}.bin"));
    let whole = fs::read(&entry).unwrap();
    for cut in [0, 5, whole.len() / 2, whole.len() - 1] {
        fs::write(&entry, &whole[..cut]).unwrap();
        let parsed = cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
        assert_eq!(parsed.deck, expected.deck, "cut at {cut}");
    }
    let mut flipped = whole.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 0xff;
    fs::write(&entry, &flipped).unwrap();
    let parsed = cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    assert_eq!(parsed.deck, expected.deck);
}

#[test]
fn decks_with_problems_and_small_decks_are_not_cached() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let path = dir.path().join("small.yaml");
    let small = "title: T\ndescription: D\ncards:\n  - id: a\n    type: flip\n    front: F\n    back: B\n    explanation: E\n    source: S\n";
    let origin = DeckOrigin::File(path.clone());
    cache
        .load("small", "small.yaml", origin.clone(), small.as_bytes())
        .unwrap();
    let broken = big_deck("Paris").replace("source: Geography", "sauce: Geography");
    let errors = cache
        .load("big", "big.yaml", origin.clone(), broken.as_bytes())
        .unwrap_err();
    assert!(!errors.is_empty());
    let again = cache
        .load("big", "big.yaml", origin, broken.as_bytes())
        .unwrap_err();
    assert_eq!(again.len(), errors.len());
    assert_eq!(entries(dir.path()), 0);
}

#[test]
fn an_entry_of_another_deck_name_label_file_or_program_is_a_miss() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let (name, bytes) = builtin().remove(0);
    cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
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
        .load("other", "x", DeckOrigin::Builtin, &bytes)
        .unwrap();
    assert_eq!(parsed.deck.name, "other");
    assert_ne!(fs::read(entry_of("other")).unwrap(), entry);
    // And a rebuilt program rewrites the entry it cannot use.
    rebuilt
        .load(&name, "x", DeckOrigin::Builtin, &bytes)
        .unwrap();
    assert_ne!(fs::read(entry_of(&name)).unwrap(), entry);
}

#[test]
fn an_entry_is_served_for_the_source_it_was_made_from_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let (name, bytes) = builtin().remove(0);
    let fresh = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    // A sound deck that differs from what the bytes parse to, under their header.
    let mut made = fresh.clone();
    let mut cards: Vec<Card> = made.deck.cards.iter().cloned().collect();
    cards[0].explanation = "Made by hand.".into();
    made.deck.cards = cards.into();
    let header = header_of(&cache, &name, "x", &DeckOrigin::Builtin, &bytes);
    write_entry(
        &dir.path().join(format!("builtin-{name}.bin")),
        &header,
        &made,
    )
    .unwrap();
    let served = cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    assert_eq!(served.deck, made.deck);
    // One byte more of source is another hash: parsed afresh.
    let mut edited = bytes.clone();
    edited.push(b'\n');
    let parsed = cache
        .load(&name, "x", DeckOrigin::Builtin, &edited)
        .unwrap();
    assert_eq!(parsed.deck, fresh.deck);
}

#[test]
fn the_card_ids_of_an_entry_are_read_without_its_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let (name, bytes) = builtin().remove(0);
    let fresh = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    let cached = cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    let cards = &cached.deck.cards;
    assert!(cards.ids().eq(fresh.deck.cards.ids()));
    assert_eq!(cached.card_lines, fresh.card_lines);
    assert_eq!(cached.deck.count_by_type(), fresh.deck.count_by_type());
    assert_eq!(cards.decoded(), 0);
    assert_eq!(cards.get(2), fresh.deck.cards.get(2));
    assert_eq!(cards.decoded(), 1);
}

#[test]
fn a_damaged_card_body_is_parsed_afresh_and_the_entry_mended() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let (name, bytes) = builtin().remove(0);
    let fresh = parse_deck(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    let path = dir.path().join(format!("builtin-{name}.bin"));
    let mut entry = fs::read(&path).unwrap();
    // The last byte is in the last body (text of its last tag): no longer UTF-8.
    let last = entry.len() - 1;
    entry[last] = 0xff;
    fs::write(&path, &entry).unwrap();
    let cached = cache.load(&name, "x", DeckOrigin::Builtin, &bytes).unwrap();
    assert_eq!(cached.deck.cards.decoded(), 0);
    let n = fresh.deck.cards.len();
    assert_eq!(cached.deck.cards.get(n - 1), fresh.deck.cards.get(n - 1));
    assert_eq!(cached.deck, fresh.deck);
    assert!(decode_entry(&fs::read(&path).unwrap()).is_some());
}

#[test]
fn the_hash_compiled_with_each_builtin_deck_is_the_hash_of_its_text() {
    for file in builtin_files() {
        let bytes = file.bytes.unwrap();
        let hash = bytes
            .known_hash()
            .expect("a built-in deck carries its hash");
        let text = bytes.read().unwrap();
        assert_eq!(hash, *blake3::hash(&text).as_bytes(), "{}", file.name);
    }
}

#[test]
fn a_builtin_deck_is_served_from_its_compiled_hash_and_never_from_another_text() {
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let file = builtin_files().remove(0);
    let name = file.name.to_string();
    let label = file.label.clone();
    let load = |cache: &DeckCache| {
        let file = builtin_files().remove(0);
        cache
            .load_or_parse(&name, &label, DeckOrigin::Builtin, file.bytes.unwrap())
            .unwrap()
    };
    let text = file.bytes.unwrap().read().unwrap().into_owned();
    let fresh = parse_deck(&name, &label, DeckOrigin::Builtin, &text).unwrap();
    assert_eq!(load(&cache).deck, fresh.deck);
    assert_eq!(load(&cache).deck, fresh.deck);
    // An entry of this program made from another text of the deck (a hand-made one
    // under that text's hash) is not the compiled-in deck's.
    let mut other = text.clone();
    other.push(b'\n');
    let mut made = fresh.clone();
    let mut cards: Vec<Card> = made.deck.cards.iter().cloned().collect();
    cards[0].explanation = "Made by hand.".into();
    made.deck.cards = cards.into();
    let header = header_of(&cache, &name, &label, &DeckOrigin::Builtin, &other);
    write_entry(
        &dir.path().join(format!("builtin-{name}.bin")),
        &header,
        &made,
    )
    .unwrap();
    assert_eq!(load(&cache).deck, fresh.deck);
}

#[test]
fn every_card_of_a_large_deck_is_read_at_its_own_place_from_the_cache() {
    // 150 cards: slots are made in groups of 64, so three groups, the last one part full.
    let ids: Vec<String> = (0..150).map(|n| format!("card-{n}")).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let file = DeckFile::of_flip_cards("large", &ids);
    let bytes = file.bytes.unwrap().read().unwrap().into_owned();
    let dir = tempfile::tempdir().unwrap();
    let cache = cache_in(dir.path());
    let fresh = cache
        .load("large", "x", DeckOrigin::Builtin, &bytes)
        .unwrap();
    let cached = cache
        .load("large", "x", DeckOrigin::Builtin, &bytes)
        .unwrap();
    for cards in [&fresh.deck.cards, &cached.deck.cards] {
        for index in [149, 0, 64, 63, 128, 100] {
            assert_eq!(cards.get(index).unwrap().id, ids[index]);
        }
        assert!(cards.get(150).is_none());
    }
    assert_eq!(cached.deck.cards.decoded(), 6);
    assert!(cached.deck.cards.iter().map(|card| &card.id).eq(&ids));
    assert_eq!(cached.deck.cards.decoded(), 150);
}
