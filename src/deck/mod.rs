//! Decks: the model, loading and validation of YAML deck files, and the built-in decks.

mod cache;
mod catalog;
mod error;
mod load;
mod locate;
mod model;
mod rules;

#[cfg(test)]
mod fuzz_tests;

pub use cache::{DeckCache, FileStamp, decode_entry};
pub use catalog::{
    BrokenDeck, CardIndex, Catalog, DeckBytes, DeckFile, DeckNotFound, ValidDecks, builtin_files,
    field_lines, files_in_dir, is_deck_file_name, load_catalog, load_valid_decks, read_file,
};
pub use error::{CardRef, DeckError, DeckErrorKind, DeckProblems};
pub use load::{MAX_DECK_BYTES, ParsedDeck, parse_deck, render_cloze};
pub use locate::FieldLines;
pub use model::{
    BEYOND_THE_ARTICLE, Card, CardContent, CardType, Cards, Deck, DeckOrigin, Reference,
    SectionQuestions,
};
pub use rules::{is_kebab_case, parse_cloze};
