//! The set of decks a command works with: the built-in ones, replaced or extended by the
//! user's own, checked together so that ids are unique across all of them. Where the files
//! come from is [`super::source`]'s; each is parsed, or served by [`super::cache`].

use std::sync::OnceLock;

use super::cache::{DeckCache, IdOrder, LoadedDeck};
use super::error::{CardRef, DeckError, DeckErrorKind};
use super::model::{Card, Deck, DeckOrigin};
use super::source::DeckFile;
use crate::ids::DeckName;

/// A deck name the catalog does not have, with the closest name and all of them, so the
/// learner sees what to type instead; or a deck left out for the problems of its file. The
/// one "no such deck" error of every command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DeckNotFound {
    pub name: String,
    pub suggestion: Option<String>,
    pub names: Vec<String>,
    /// The deck exists, but its file has problems (warned about when the decks loaded).
    pub left_out: bool,
}

impl std::fmt::Display for DeckNotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = &self.name;
        if self.left_out {
            return write!(
                f,
                "deck `{name}` has problems in its file and is left out until they are fixed; `lupus-quiz check` lists them"
            );
        }
        let suggestion = self
            .suggestion
            .as_ref()
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        write!(
            f,
            "there is no deck named `{name}`; {suggestion}the decks are: {} (see `lupus-quiz decks`)",
            self.names.join(", ")
        )
    }
}

/// The deck of every card of a catalog, by card id: the one answer to "is this reviewed
/// card an orphan?" (no deck holds it), for `stats` and `doctor` alike.
#[derive(Debug)]
pub struct CardIndex<'c> {
    deck_of: foldhash::HashMap<&'c str, usize>,
    left_out: &'c [DeckName],
}

impl<'c> CardIndex<'c> {
    /// The index (in `Catalog::decks`) of the deck holding card `id`.
    pub fn deck_of(&self, id: &str) -> Option<usize> {
        self.deck_of.get(id).copied()
    }

    /// The catalog's own copy of card `id`, when a deck holds it.
    pub fn held(&self, id: &str) -> Option<&'c str> {
        self.deck_of.get_key_value(id).map(|(held, _)| *held)
    }

    /// Whether a deck holds card `id`.
    pub fn holds(&self, id: &str) -> bool {
        self.deck_of.contains_key(id)
    }

    /// Whether a reviewed card is an orphan: no deck holds it, and the deck it was last
    /// reviewed in is not one left out for the problems of its file (whose cards are
    /// still that deck's).
    pub fn is_orphan(&self, id: &str, last_deck: Option<&str>) -> bool {
        !self.holds(id) && !last_deck.is_some_and(|deck| self.left_out.iter().any(|d| d == deck))
    }
}

/// Decks that loaded without a single problem.
#[derive(Debug, Default)]
pub struct Catalog {
    pub decks: Vec<Deck>,
    /// Built-in decks that a user deck of the same name replaced: (name, the user's file).
    pub replaced: Vec<(DeckName, DeckOrigin)>,
    /// Names of the decks left out because their file has problems (see
    /// [`load_valid_decks`]): their cards' progress is theirs, not orphaned.
    pub left_out: Vec<DeckName>,
    /// Every card id in sorted order, to find a card by id: read from the deck cache
    /// with the decks, or sorted on first use.
    id_order: OnceLock<IdOrder>,
}

impl Catalog {
    /// The deck named `name`, or an error that suggests the closest name.
    pub fn find(&self, name: &str) -> Result<&Deck, DeckNotFound> {
        // `HSCT` finds `hsct`: an exact name first, then the one deck that differs in case.
        let same_but_case = || {
            let lower = name.to_lowercase();
            let mut found = self
                .decks
                .iter()
                .filter(|d| d.name.as_str().to_lowercase() == lower);
            found.next().filter(|_| found.next().is_none())
        };
        self.deck(name).or_else(same_but_case).ok_or_else(|| {
            let names = self.deck_names();
            let left_out = (self.left_out.iter())
                .find(|n| n.as_str().eq_ignore_ascii_case(name))
                .map(DeckName::as_str);
            DeckNotFound {
                name: crate::text::visible_inline(left_out.unwrap_or(name)).into_owned(),
                suggestion: crate::text::closest(name, &names).map(str::to_string),
                names: names.into_iter().map(str::to_string).collect(),
                left_out: left_out.is_some(),
            }
        })
    }

    pub fn deck(&self, name: &str) -> Option<&Deck> {
        self.decks.iter().find(|deck| deck.name == name)
    }

    pub fn card_count(&self) -> usize {
        self.decks.iter().map(|deck| deck.cards.len()).sum()
    }

    /// Every card with the name of its deck.
    pub fn cards(&self) -> impl Iterator<Item = (&Deck, &Card)> {
        self.decks
            .iter()
            .flat_map(|deck| deck.cards.iter().map(move |card| (deck, card)))
    }

    /// The card with this id and its deck, reading that card's body alone.
    pub fn card(&self, id: &str) -> Option<(&Deck, &Card)> {
        let (deck, index) = self.locate(id)?;
        Some((deck, deck.cards.get(index)?))
    }

    /// The deck holding card `id` and the card's place in it, reading no body: a binary
    /// search of the ids in sorted order, which the deck cache keeps (so that a command
    /// that looks up a few cards costs little whatever the size of the collection).
    pub fn locate(&self, id: &str) -> Option<(&Deck, usize)> {
        let order = self.id_order.get_or_init(|| IdOrder::build(&self.decks));
        let (deck, index) = order.find(&self.decks, id)?;
        Some((&self.decks[deck], index))
    }

    /// Every card id, deck by deck; reads no body.
    pub fn card_ids(&self) -> impl Iterator<Item = &str> {
        self.decks.iter().flat_map(|deck| deck.cards.ids())
    }

    /// Which deck holds each card, for the commands that look up many ids.
    pub fn card_index(&self) -> CardIndex<'_> {
        // Sized first: growing a map of 50,000 ids rehashes it a dozen times.
        let mut deck_of =
            foldhash::HashMap::with_capacity_and_hasher(self.card_count(), Default::default());
        for (index, deck) in self.decks.iter().enumerate() {
            deck_of.extend(deck.cards.ids().map(|id| (id, index)));
        }
        CardIndex {
            deck_of,
            left_out: &self.left_out,
        }
    }

    /// A hash of which cards each deck holds (the decks' names and their card ids, in
    /// order), which changes when a card is added, moved or taken out: the store checks
    /// the decks of its states again when it does (`store/deck_check.rs`). Hashed over the
    /// packed ids, each deck's in two calls: a map of every id costs ten times as much. Not
    /// kept across builds: a stamp that changes only costs one more check.
    pub fn membership_stamp(&self) -> String {
        use std::hash::{BuildHasher as _, Hash as _, Hasher as _};
        let mut hasher = foldhash::quality::FixedState::with_seed(31).build_hasher();
        for deck in &self.decks {
            let (ids, ends) = deck.cards.packed_ids().parts();
            deck.name.as_str().hash(&mut hasher);
            ids.hash(&mut hasher);
            ends.hash(&mut hasher);
        }
        format!("{:016x}", hasher.finish())
    }

    pub fn deck_names(&self) -> Vec<&str> {
        self.decks.iter().map(|deck| deck.name.as_str()).collect()
    }

    /// Where the deck named `name` stands in [`Catalog::decks`]: the index the stats and
    /// session code scope their work by.
    pub fn index_of(&self, name: &DeckName) -> Option<usize> {
        self.decks.iter().position(|deck| deck.name == *name)
    }
}

/// Parses `files` as one collection: a later file with the same deck name replaces an earlier
/// one (so user decks listed after built-in ones replace them), and card ids must be unique
/// across all. Returns every problem of every file, or the catalog when there are none.
///
/// Decks that parsed before come from `cache` when their text is unchanged. The caller
/// chooses it: the command's context passes the user's, `check` and tests a disabled one.
pub fn load_catalog(files: Vec<DeckFile>, cache: &DeckCache) -> Result<Catalog, Vec<DeckError>> {
    let (chosen, replaced) = choose_files(files);
    let parsed: Vec<(String, Result<LoadedDeck, Vec<DeckError>>)> = chosen
        .into_iter()
        .map(|file| {
            let result = match file.bytes {
                Ok(bytes) => cache.load_deck(file.name.as_str(), &file.label, file.origin, bytes),
                Err(kind) => Err(vec![DeckError {
                    file: file.label.clone(),
                    line: None,
                    column: None,
                    card: None,
                    kind,
                }]),
            };
            (file.label, result)
        })
        .collect();
    // Ids found unique before (the cache kept their sorted order) need no check again.
    let loaded = || parsed.iter().filter_map(|(_, result)| result.as_ref().ok());
    let key = (loaded().count() == parsed.len())
        .then(|| cache.ids_key(loaded()))
        .flatten();
    let cards = loaded().map(|loaded| loaded.parsed.deck.cards.len()).sum();
    let kept = key.and_then(|key| cache.id_order(&key, cards));
    if kept.is_none() {
        let errors = problems(&parsed);
        if !errors.is_empty() {
            return Err(errors);
        }
    }
    let decks: Vec<Deck> = parsed
        .into_iter()
        .filter_map(|(_, result)| result.ok().map(|loaded| loaded.parsed.deck))
        .collect();
    let id_order = OnceLock::new();
    match (kept, key) {
        (Some(order), _) => drop(id_order.set(order)),
        (None, Some(key)) => {
            let order = IdOrder::build(&decks);
            cache.keep_id_order(&key, &order);
            let _ = id_order.set(order);
        }
        // Without a cache, sorted when first needed.
        (None, None) => {}
    }
    Ok(Catalog {
        decks,
        replaced,
        left_out: Vec::new(),
        id_order,
    })
}

/// The files in use, one per deck name (the last of a name wins), and the built-in decks
/// that a user's file replaced.
fn choose_files(files: Vec<DeckFile>) -> (Vec<DeckFile>, Vec<(DeckName, DeckOrigin)>) {
    let mut chosen: Vec<DeckFile> = Vec::new();
    let mut replaced = Vec::new();
    for file in files {
        if let Some(existing) = chosen.iter_mut().find(|f| f.name == file.name) {
            if existing.origin.is_builtin() && !file.origin.is_builtin() {
                replaced.push((file.name.clone(), file.origin.clone()));
            }
            *existing = file;
        } else {
            chosen.push(file);
        }
    }
    (chosen, replaced)
}

/// Every problem of the parsed files, in file order, each file's duplicate ids (of a card
/// in an earlier file or earlier in its own) right after its own problems. The map
/// borrows ids and labels: 50,000 cards cost no copy.
fn problems(parsed: &[(String, Result<LoadedDeck, Vec<DeckError>>)]) -> Vec<DeckError> {
    let mut errors = Vec::new();
    let cards = parsed
        .iter()
        .filter_map(|(_, result)| result.as_ref().ok())
        .map(|loaded| loaded.parsed.deck.cards.len())
        .sum();
    let mut first_use: foldhash::HashMap<&str, (&str, Option<usize>)> =
        foldhash::HashMap::with_capacity_and_hasher(cards, Default::default());
    for (label, result) in parsed {
        let deck = match result {
            Ok(loaded) => &loaded.parsed,
            Err(file_errors) => {
                errors.extend(file_errors.iter().cloned());
                continue;
            }
        };
        for (id, line) in deck.deck.cards.ids().zip(&deck.card_lines) {
            let Some(&(first_label, first_line)) = first_use.get(id) else {
                first_use.insert(id, (label.as_str(), *line));
                continue;
            };
            errors.push(DeckError {
                file: label.clone(),
                line: *line,
                column: None,
                card: Some(CardRef::Id(id.to_string())),
                kind: DeckErrorKind::DuplicateId {
                    id: id.to_string(),
                    first: match first_line {
                        Some(line) => format!("{first_label}:{line}"),
                        None => first_label.to_string(),
                    },
                },
            });
        }
    }
    errors
}

/// The decks that load, and the problems of those that do not: what every command but
/// `check` works with, so that a mistake in one file never stops the others.
#[derive(Debug)]
pub struct ValidDecks {
    /// Every deck without a problem; [`Catalog::left_out`] names the others.
    pub catalog: Catalog,
    /// Each broken file's problems, in file order (the first one is the first in the file).
    pub broken: Vec<BrokenDeck>,
}

/// A deck file with problems, left out of the catalog.
#[derive(Debug)]
pub struct BrokenDeck {
    /// The deck's name (from its file name).
    pub name: DeckName,
    pub problems: Vec<DeckError>,
    /// Where the deck of that name that is used in its place comes from: the built-in deck
    /// it meant to replace, or another file of the same deck name; `None` when there is
    /// no such deck.
    pub used_instead: Option<DeckOrigin>,
}

/// As [`load_catalog`], but a file with problems is left out instead of failing the whole:
/// a user's deck that replaces a built-in one and is broken leaves the built-in one in use.
///
/// `read` gives the files; it is called again after files were left out (leaving one out
/// can bring a built-in deck back, whose ids are checked against the others again), so
/// that the files of the first round are never copied. This ends after at most as many
/// rounds as there are files, and the deck cache makes each round after the first cheap.
pub fn load_valid_decks<E>(
    mut read: impl FnMut() -> Result<Vec<DeckFile>, E>,
    cache: &DeckCache,
) -> Result<ValidDecks, E> {
    let mut broken: Vec<BrokenDeck> = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    loop {
        let files: Vec<DeckFile> = read()?
            .into_iter()
            .filter(|file| !left_out.contains(&file.label))
            .collect();
        // (label, name, built-in) of each file, to say which deck a problem leaves out.
        let kept: Vec<(String, DeckName, bool)> = files
            .iter()
            .map(|f| (f.label.clone(), f.name.clone(), f.origin.is_builtin()))
            .collect();
        let problems = match load_catalog(files, cache) {
            Ok(mut catalog) => {
                catalog.left_out = broken
                    .iter()
                    .filter(|deck| catalog.deck(deck.name.as_str()).is_none())
                    .map(|deck| deck.name.clone())
                    .collect();
                for deck in &mut broken {
                    deck.used_instead = catalog.deck(deck.name.as_str()).map(|d| d.origin.clone());
                }
                return Ok(ValidDecks { catalog, broken });
            }
            Err(problems) => problems,
        };
        let before = left_out.len();
        for (label, problems) in problems_by_file(problems) {
            let Some((_, name, _)) = kept.iter().find(|(l, _, _)| *l == label) else {
                continue;
            };
            broken.push(BrokenDeck {
                name: name.clone(),
                problems,
                used_instead: None,
            });
            left_out.push(label);
        }
        if left_out.len() == before {
            // Problems that name no file of the list cannot be left out: none loads.
            return Ok(ValidDecks {
                catalog: Catalog::default(),
                broken,
            });
        }
    }
}

/// Problems grouped by file, files in the order of their first problem.
fn problems_by_file(problems: Vec<DeckError>) -> Vec<(String, Vec<DeckError>)> {
    let mut grouped: Vec<(String, Vec<DeckError>)> = Vec::new();
    for problem in problems {
        match grouped.iter_mut().find(|(label, _)| *label == problem.file) {
            Some((_, list)) => list.push(problem),
            None => grouped.push((problem.file.clone(), vec![problem])),
        }
    }
    grouped
}
