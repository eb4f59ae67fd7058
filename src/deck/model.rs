//! The deck model: what a loaded, validated deck looks like to the rest of the program.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::ids::{CardId, DeckName};

/// A validated deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    /// The short name used on the command line: the file stem.
    pub name: DeckName,
    pub title: String,
    pub description: String,
    pub cards: Vec<Card>,
    pub origin: DeckOrigin,
}

/// Where a deck came from, so messages can point at the right file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckOrigin {
    /// Compiled into the binary from the repository's `decks/` folder.
    Builtin,
    /// A file of the user's.
    File(PathBuf),
}

impl DeckOrigin {
    pub fn is_builtin(&self) -> bool {
        matches!(self, DeckOrigin::Builtin)
    }
}

impl fmt::Display for DeckOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeckOrigin::Builtin => f.write_str("built-in"),
            DeckOrigin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// One card of a deck. Serialisable for the deck cache (`cache.rs`), which keeps it as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    /// Stable, kebab-case, unique across all decks: progress is keyed by it.
    pub id: CardId,
    pub content: CardContent,
    /// Why the answer is right; shown after answering.
    pub explanation: String,
    /// The article section the card comes from.
    pub source: String,
    /// Medical context beyond the article.
    pub note: Option<String>,
    /// The published sources behind the note, in the order written.
    pub references: Vec<Reference>,
    pub tags: Vec<String>,
}

/// A published source behind a card's note, so that a learner can look it up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    /// The authors ("Daikeler T, et al.") or the body that issued it ("EULAR").
    pub author: String,
    pub title: String,
    /// The journal, or the publisher of a book, guideline or web page.
    pub published_in: String,
    pub year: u16,
    /// A web address (`https://…`), such as a DOI link.
    pub link: Option<String>,
}

impl Reference {
    /// The reference as one citation: "Author. Title. Journal, 2011." (without the link).
    pub fn citation(&self) -> String {
        format!(
            "{}. {}. {}, {}.",
            self.author.trim_end_matches('.'),
            self.title.trim_end_matches('.'),
            self.published_in,
            self.year
        )
    }
}

/// The question and answer of a card, by type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CardContent {
    Flip {
        front: String,
        back: String,
    },
    Choice {
        question: String,
        answer: String,
        distractors: Vec<String>,
    },
    Multi {
        question: String,
        correct: Vec<String>,
        wrong: Vec<String>,
    },
    TrueFalse {
        statement: String,
        answer: bool,
    },
    Typed {
        question: String,
        answers: Vec<String>,
    },
    Order {
        question: String,
        /// In the correct order.
        items: Vec<String>,
    },
    Cloze {
        /// The text as written, with `{{…}}` blanks.
        text: String,
        /// Accepted answers of each blank, in order of appearance.
        blanks: Vec<Vec<String>>,
    },
}

/// The seven card types, as named in deck files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CardType {
    Flip,
    Choice,
    Multi,
    TrueFalse,
    Typed,
    Order,
    Cloze,
}

impl CardType {
    pub const ALL: [CardType; 7] = [
        CardType::Flip,
        CardType::Choice,
        CardType::Multi,
        CardType::TrueFalse,
        CardType::Typed,
        CardType::Order,
        CardType::Cloze,
    ];

    /// The name used in deck files.
    pub fn name(self) -> &'static str {
        match self {
            CardType::Flip => "flip",
            CardType::Choice => "choice",
            CardType::Multi => "multi",
            CardType::TrueFalse => "truefalse",
            CardType::Typed => "typed",
            CardType::Order => "order",
            CardType::Cloze => "cloze",
        }
    }

    pub fn from_name(name: &str) -> Option<CardType> {
        CardType::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Whether the program can grade an answer by itself (every type but `flip`).
    pub fn is_objective(self) -> bool {
        self != CardType::Flip
    }
}

impl fmt::Display for CardType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Card {
    pub fn card_type(&self) -> CardType {
        match self.content {
            CardContent::Flip { .. } => CardType::Flip,
            CardContent::Choice { .. } => CardType::Choice,
            CardContent::Multi { .. } => CardType::Multi,
            CardContent::TrueFalse { .. } => CardType::TrueFalse,
            CardContent::Typed { .. } => CardType::Typed,
            CardContent::Order { .. } => CardType::Order,
            CardContent::Cloze { .. } => CardType::Cloze,
        }
    }

    /// The text that asks the question, whatever the type.
    pub fn prompt(&self) -> &str {
        match &self.content {
            CardContent::Flip { front, .. } => front,
            CardContent::Choice { question, .. }
            | CardContent::Multi { question, .. }
            | CardContent::Typed { question, .. }
            | CardContent::Order { question, .. } => question,
            CardContent::TrueFalse { statement, .. } => statement,
            CardContent::Cloze { text, .. } => text,
        }
    }
}

impl Deck {
    /// Number of cards of each type, in [`CardType::ALL`] order.
    pub fn count_by_type(&self) -> [usize; 7] {
        let mut counts = [0; 7];
        for card in &self.cards {
            let index = CardType::ALL
                .iter()
                .position(|t| *t == card.card_type())
                .expect("every card type is in ALL");
            counts[index] += 1;
        }
        counts
    }
}
