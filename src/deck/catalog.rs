//! The set of decks a command works with: the built-in ones, replaced or extended by the
//! user's own, checked together so that ids are unique across all of them.

use std::fs;
use std::path::{Path, PathBuf};

use super::cache::DeckCache;
use super::error::{CardRef, DeckError, DeckErrorKind};
use super::load::{MAX_DECK_BYTES, ParsedDeck};
use super::model::{Card, Deck, DeckOrigin};
use crate::files::{self, ReadError};
use crate::ids::DeckName;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_decks.rs"));
}

/// The raw bytes of one deck file, before parsing.
#[derive(Debug, Clone)]
pub struct DeckFile {
    pub name: DeckName,
    /// How messages name the file.
    pub label: String,
    pub origin: DeckOrigin,
    pub bytes: Result<Vec<u8>, DeckErrorKind>,
}

/// The decks compiled into the binary.
pub fn builtin_files() -> Vec<DeckFile> {
    builtin::BUILTIN_DECKS
        .iter()
        .map(|(name, bytes)| DeckFile {
            name: DeckName::from(*name),
            label: format!("decks/{name}.yaml (built-in)"),
            origin: DeckOrigin::Builtin,
            bytes: Ok(bytes.to_vec()),
        })
        .collect()
}

/// Reads one deck file from disk. Problems reading it become a [`DeckError`] later, so that
/// they are reported together with the problems of other files.
pub fn read_file(path: &Path) -> DeckFile {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Only regular files, through the size limit: a FIFO would block, a device never end.
    let bytes = files::read_regular(path, MAX_DECK_BYTES).map_err(|e| match e {
        ReadError::TooLarge { size, limit } => DeckErrorKind::TooLarge {
            size: size.unwrap_or(limit + 1),
            limit,
        },
        ReadError::NotRegular(what) => DeckErrorKind::NotARegularFile { what },
        ReadError::Loop => DeckErrorKind::SymlinkLoop,
        ReadError::Dangling(target) => DeckErrorKind::DanglingSymlink {
            target: target.display().to_string(),
        },
        ReadError::Io(e) => DeckErrorKind::Unreadable(e.to_string()),
    });
    DeckFile {
        name: DeckName::new(name),
        label: path.display().to_string(),
        origin: DeckOrigin::File(path.to_path_buf()),
        bytes,
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
            kind: DeckErrorKind::Unreadable(e.to_string()),
        })
    })?;
    // Whatever is named like a deck is read as one: a folder, a FIFO or a broken link with
    // such a name is reported, not skipped.
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.extension()
                .is_some_and(|ext| ext == "yaml" || ext == "yml")
        })
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

/// A deck name the catalog does not have, with the closest name and all of them, so the
/// learner sees what to type instead. The one "no such deck" error of every command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "there is no deck named `{name}`; {}the decks are: {} (see `lupus-quiz decks`)",
    suggestion.as_ref().map(|s| format!("did you mean `{s}`? ")).unwrap_or_default(),
    names.join(", ")
)]
pub struct DeckNotFound {
    pub name: String,
    pub suggestion: Option<String>,
    pub names: Vec<String>,
}

/// The deck of every card of a catalog, by card id: the one answer to "is this reviewed
/// card an orphan?" (no deck holds it), for `stats` and `doctor` alike.
pub struct CardIndex<'c> {
    deck_of: foldhash::HashMap<&'c str, usize>,
}

impl CardIndex<'_> {
    /// The index (in `Catalog::decks`) of the deck holding card `id`.
    pub fn deck_of(&self, id: &str) -> Option<usize> {
        self.deck_of.get(id).copied()
    }

    /// Whether a deck holds card `id`; a reviewed card none holds is an orphan.
    pub fn holds(&self, id: &str) -> bool {
        self.deck_of.contains_key(id)
    }
}

/// Decks that loaded without a single problem.
#[derive(Debug, Default)]
pub struct Catalog {
    pub decks: Vec<Deck>,
    /// Built-in decks that a user deck of the same name replaced: (name, the user's file).
    pub replaced: Vec<(DeckName, DeckOrigin)>,
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
            DeckNotFound {
                name: crate::text::visible_inline(name).into_owned(),
                suggestion: crate::text::closest(name, &names).map(str::to_string),
                names: names.into_iter().map(str::to_string).collect(),
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

    /// Which deck holds each card, for the commands that look up many ids.
    pub fn card_index(&self) -> CardIndex<'_> {
        CardIndex {
            deck_of: self
                .decks
                .iter()
                .enumerate()
                .flat_map(|(index, deck)| {
                    deck.cards.iter().map(move |card| (card.id.as_str(), index))
                })
                .collect(),
        }
    }

    pub fn deck_names(&self) -> Vec<&str> {
        self.decks.iter().map(|deck| deck.name.as_str()).collect()
    }
}

/// Parses `files` as one collection: a later file with the same deck name replaces an earlier
/// one (so user decks listed after built-in ones replace them), and card ids must be unique
/// across all. Returns every problem of every file, or the catalog when there are none.
///
/// Decks that parsed before come from `cache` when their text is unchanged. The caller
/// chooses it: the command's context passes the user's, `check` and tests a disabled one.
pub fn load_catalog(files: Vec<DeckFile>, cache: &DeckCache) -> Result<Catalog, Vec<DeckError>> {
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

    let parsed: Vec<(String, Result<ParsedDeck, Vec<DeckError>>)> = chosen
        .into_iter()
        .map(|file| {
            let result = match file.bytes {
                Ok(bytes) => {
                    cache.load_or_parse(file.name.as_str(), &file.label, file.origin, &bytes)
                }
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

    // Problems in file order, each file's duplicate ids right after its own problems. The
    // map borrows ids and labels: 50,000 cards cost no copy.
    let mut errors = Vec::new();
    let mut first_use: foldhash::HashMap<&str, (&str, Option<usize>)> =
        foldhash::HashMap::default();
    for (label, result) in &parsed {
        match result {
            Ok(deck) => {
                for (card, line) in deck.deck.cards.iter().zip(&deck.card_lines) {
                    if let Some(&(first_label, first_line)) = first_use.get(card.id.as_str()) {
                        errors.push(DeckError {
                            file: label.clone(),
                            line: *line,
                            column: None,
                            card: Some(CardRef::Id(card.id.to_string())),
                            kind: DeckErrorKind::DuplicateId {
                                id: card.id.to_string(),
                                first: match first_line {
                                    Some(line) => format!("{first_label}:{line}"),
                                    None => first_label.to_string(),
                                },
                            },
                        });
                    } else {
                        first_use.insert(card.id.as_str(), (label.as_str(), *line));
                    }
                }
            }
            Err(file_errors) => errors.extend(file_errors.iter().cloned()),
        }
    }
    drop(first_use);
    let decks: Vec<Deck> = parsed
        .into_iter()
        .filter_map(|(_, result)| result.ok().map(|parsed| parsed.deck))
        .collect();
    if errors.is_empty() {
        Ok(Catalog { decks, replaced })
    } else {
        Err(errors)
    }
}
