//! Decks: the model, loading and validation of YAML deck files, where they come from (the
//! built-in decks and the user's files), and the cache of parsed decks.

mod cache;
mod catalog;
mod check;
mod error;
mod load;
mod locate;
mod model;
mod rules;
mod source;

#[cfg(test)]
mod fuzz_tests;

pub use cache::{DeckCache, decode_entry};
pub use catalog::{
    BrokenDeck, CardIndex, Catalog, DeckNotFound, ValidDecks, load_catalog, load_valid_decks,
};
pub use error::{CardRef, DeckError, DeckErrorKind, DeckProblems};
pub use load::{MAX_DECK_BYTES, ParsedDeck, parse_deck};
pub use locate::FieldLines;
pub use model::{
    BEYOND_THE_ARTICLE, Card, CardContent, CardType, Cards, Deck, DeckOrigin, Reference,
    SectionQuestions,
};
pub use rules::{is_kebab_case, parse_cloze, render_cloze};
pub use source::{
    DeckBytes, DeckFile, FileStamp, builtin_files, field_lines, files_in_dir, is_deck_file_name,
    read_file,
};
