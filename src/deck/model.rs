//! The deck model: what a loaded, validated deck looks like to the rest of the program.

use std::fmt;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::ids::{CardId, DeckName};

/// A validated deck.
#[derive(Debug, Clone, PartialEq)]
pub struct Deck {
    /// The short name used on the command line: the file stem.
    pub name: DeckName,
    pub title: String,
    pub description: String,
    pub cards: Cards,
    pub origin: DeckOrigin,
    /// Questions a learner could ask their care team, per section (`questions_to_ask`).
    pub questions_to_ask: Vec<SectionQuestions>,
}

/// Two or three plain questions a patient could ask their care team about one section of
/// the deck (a `source` of its cards): never advice, only questions. `summary` shows those
/// of the sections the learner studies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionQuestions {
    pub section: String,
    pub questions: Vec<String>,
}

/// The cards of a deck: their ids and types at hand, their bodies (question, answer,
/// explanation, ...) decoded on first use. A deck served from the cache reads a body only
/// when something shows or grades that card, so a start-up at 50,000 cards decodes the few
/// hundred a session needs rather than all of them (issue 18); a deck just parsed has every
/// body already.
pub struct Cards {
    ids: Ids,
    types: Vec<CardType>,
    /// The bodies in groups of [`SLOT_GROUP`], each group made when one of its bodies is
    /// first read: a slot per card on every start cost 7 M instructions at 200,000 cards
    /// (issue 31), for the few hundred cards a session reads.
    bodies: Box<[OnceLock<Box<SlotGroup>>]>,
    /// Where the bodies not yet decoded come from; `None` when all are.
    source: Option<Box<dyn BodySource>>,
}

/// How many cards share a group of body slots.
const SLOT_GROUP: usize = 64;

/// The body slots of [`SLOT_GROUP`] cards.
type SlotGroup = [OnceLock<Box<Card>>; SLOT_GROUP];

/// A group of slots with no body yet.
fn empty_group() -> Box<SlotGroup> {
    Box::new(std::array::from_fn(|_| OnceLock::new()))
}

/// Card ids, packed: all their text in one string and where each ends, which costs two
/// allocations for a deck rather than one per card.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Ids {
    text: String,
    ends: Vec<u32>,
}

impl Ids {
    /// The ids of `text` ending at `ends`; `None` unless the ends rise to the text's end
    /// and every id is kebab-case. One pass over the ends (issue 31: the deck cache checks
    /// every id of every deck on each start): kebab case is ASCII, so every end is on a
    /// character boundary.
    pub(super) fn of_kebab_case(text: String, ends: Vec<u32>) -> Option<Ids> {
        let ids = Ids { text, ends };
        let whole =
            (ids.ends.last()).map_or(ids.text.is_empty(), |&end| end as usize == ids.text.len());
        (whole && ids.all_kebab_case()).then_some(ids)
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn get(&self, index: usize) -> &str {
        let start = if index == 0 {
            0
        } else {
            self.ends[index - 1] as usize
        };
        &self.text[start..self.ends[index] as usize]
    }

    pub(super) fn iter(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        (0..self.len()).map(|index| self.get(index))
    }

    /// The packed text and the ends, for the cache.
    pub(super) fn parts(&self) -> (&str, &[u32]) {
        (&self.text, &self.ends)
    }

    /// Whether every id is kebab-case ([`super::is_kebab_case`]), checked over the
    /// packed text in one call rather than one per id: the deck cache checks every id of
    /// every deck on each start. Exact because an id can neither be empty nor start or end
    /// with a dash, so the packed text is kebab-case exactly when each id is, once each
    /// id's first and last byte are seen not to be dashes. Ends that do not rise within
    /// the text are not kebab case either (never a panic).
    pub(super) fn all_kebab_case(&self) -> bool {
        let bytes = self.text.as_bytes();
        let mut start = 0;
        let ends_sound = self.ends.iter().all(|&end| {
            let (first, end) = (start, end as usize);
            start = end;
            end > first && end <= bytes.len() && bytes[first] != b'-' && bytes[end - 1] != b'-'
        });
        self.ends.is_empty() || (ends_sound && super::is_kebab_case(&self.text))
    }
}

impl<'a> FromIterator<&'a str> for Ids {
    fn from_iter<I: IntoIterator<Item = &'a str>>(ids: I) -> Ids {
        let mut packed = Ids::default();
        for id in ids {
            packed.text.push_str(id);
            packed
                .ends
                .push(u32::try_from(packed.text.len()).unwrap_or(u32::MAX));
        }
        packed
    }
}

/// Where a deck's card bodies are read from on demand (the deck cache's entry).
pub(super) trait BodySource: Send + Sync {
    /// The body of card `index`, which has `id` and `card_type`; `None` when it cannot be
    /// read or is not a sound card of that id and type. The caller falls back on
    /// [`BodySource::reparsed`].
    fn body(&self, index: usize, id: &str, card_type: CardType) -> Option<Card>;
    /// The deck's cards parsed afresh from its source, for a body that could not be read.
    fn reparsed(&self) -> Option<Vec<Card>>;
}

impl Cards {
    /// Cards whose bodies are read from `source`, with these ids and types.
    pub(super) fn on_demand(ids: Ids, types: Vec<CardType>, source: Box<dyn BodySource>) -> Cards {
        let bodies = (0..ids.len().div_ceil(SLOT_GROUP))
            .map(|_| OnceLock::new())
            .collect();
        Cards {
            ids,
            types,
            bodies,
            source: Some(source),
        }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.len() == 0
    }

    /// The card ids, in deck order; reads no body.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = &str> + Clone {
        self.ids.iter()
    }

    /// Where the card with this id is in the deck; reads no body.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|other| other == id)
    }

    /// The id of card `index`; `None` past the end. Reads no body.
    pub fn id(&self, index: usize) -> Option<&str> {
        (index < self.len()).then(|| self.ids.get(index))
    }

    /// The packed ids, for the cache.
    pub(super) fn packed_ids(&self) -> &Ids {
        &self.ids
    }

    /// The type of card `index`; reads no body.
    pub fn card_type(&self, index: usize) -> CardType {
        self.types[index]
    }

    /// Card `index`, its body decoded now if it was not before; `None` past the end.
    pub fn get(&self, index: usize) -> Option<&Card> {
        if index >= self.len() {
            return None;
        }
        let group = self
            .bodies
            .get(index / SLOT_GROUP)?
            .get_or_init(empty_group);
        let slot = &group[index % SLOT_GROUP];
        Some(slot.get_or_init(|| Box::new(self.read_body(index))))
    }

    /// Every card, in deck order (decoding each body not decoded yet).
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Card> + Clone {
        (0..self.len()).map(|index| self.get(index).expect("index within the deck"))
    }

    /// How many bodies are decoded.
    #[cfg(test)]
    pub(super) fn decoded(&self) -> usize {
        (self.bodies.iter().filter_map(OnceLock::get))
            .flat_map(|group| group.iter())
            .filter(|slot| slot.get().is_some())
            .count()
    }

    /// The body of card `index` from the source: as stored, else as the deck file parses
    /// now (the cache entry was damaged). Should the file no longer hold that card either,
    /// the card says so, so a session never shows another card's text under this id.
    fn read_body(&self, index: usize) -> Card {
        let id = self.ids.get(index);
        let card_type = self.types[index];
        let source = self
            .source
            .as_ref()
            .expect("a deck without a source has every body");
        if let Some(card) = source.body(index, id, card_type) {
            return card;
        }
        source
            .reparsed()
            .and_then(|cards| cards.into_iter().find(|card| card.id == id))
            .unwrap_or_else(|| Card::unreadable(id))
    }
}

impl From<Vec<Card>> for Cards {
    fn from(cards: Vec<Card>) -> Cards {
        let ids = cards.iter().map(|card| card.id.as_str()).collect();
        let types = cards.iter().map(Card::card_type).collect();
        let mut groups: Vec<Box<SlotGroup>> = Vec::with_capacity(cards.len().div_ceil(SLOT_GROUP));
        for (index, card) in cards.into_iter().enumerate() {
            if index % SLOT_GROUP == 0 {
                groups.push(empty_group());
            }
            if let Some(group) = groups.last() {
                let _ = group[index % SLOT_GROUP].set(Box::new(card));
            }
        }
        Cards {
            ids,
            types,
            bodies: groups.into_iter().map(OnceLock::from).collect(),
            source: None,
        }
    }
}

impl<'a> IntoIterator for &'a Cards {
    type Item = &'a Card;
    type IntoIter = Box<dyn Iterator<Item = &'a Card> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

impl Clone for Cards {
    /// A copy with every body decoded (the source is not shared).
    fn clone(&self) -> Cards {
        Cards::from(self.iter().cloned().collect::<Vec<_>>())
    }
}

impl PartialEq for Cards {
    fn eq(&self, other: &Cards) -> bool {
        self.ids == other.ids && self.iter().eq(other.iter())
    }
}

impl fmt::Debug for Cards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
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

/// The `source` of a card whose content is not in the article: the learner is sent to the
/// card's note and references instead of to a heading (content review 2, SYS-1).
pub const BEYOND_THE_ARTICLE: &str = "Beyond the article (see note)";

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
    /// The line of the article its question and answer come from (a positive number), as
    /// `draft` records it.
    pub origin: Option<u32>,
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

impl CardContent {
    /// What the card asks the learner to give: the first accepted form of each part of its
    /// answer (the back, the right option or options, each blank, the items in order);
    /// nothing for a true/false card, whose answer is not text.
    pub fn asked_answers(&self) -> Vec<String> {
        match self {
            CardContent::Flip { back, .. } => vec![back.clone()],
            CardContent::Choice { answer, .. } => vec![answer.clone()],
            CardContent::Multi { correct, .. } => correct.clone(),
            CardContent::TrueFalse { .. } => Vec::new(),
            CardContent::Typed { answers, .. } => answers[..1].to_vec(),
            CardContent::Order { items, .. } => items.clone(),
            CardContent::Cloze { blanks, .. } => blanks.iter().map(|b| b[0].clone()).collect(),
        }
    }

    /// The type a card of this content is written as in a deck file.
    pub fn card_type(&self) -> CardType {
        match self {
            CardContent::Flip { .. } => CardType::Flip,
            CardContent::Choice { .. } => CardType::Choice,
            CardContent::Multi { .. } => CardType::Multi,
            CardContent::TrueFalse { .. } => CardType::TrueFalse,
            CardContent::Typed { .. } => CardType::Typed,
            CardContent::Order { .. } => CardType::Order,
            CardContent::Cloze { .. } => CardType::Cloze,
        }
    }
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
    /// What stands for a card whose body can be read neither from the deck cache nor from
    /// its deck file (the file changed since the command started and lost it).
    fn unreadable(id: &str) -> Card {
        Card {
            id: CardId::from(id),
            content: CardContent::Flip {
                front: format!("Card `{id}` is no longer in its deck file."),
                back: "Run the command again to see the deck as it is now.".to_string(),
            },
            explanation: "The deck file changed while this command ran.".to_string(),
            source: "-".to_string(),
            origin: None,
            note: None,
            references: Vec::new(),
            tags: Vec::new(),
        }
    }

    pub fn card_type(&self) -> CardType {
        self.content.card_type()
    }

    /// Where the card's content comes from, as shown after an answer: a built-in card's
    /// heading is said to be the article's; the beyond-the-article label, and a source of
    /// the learner's own deck, are shown as written.
    pub fn source_shown(&self, origin: &DeckOrigin) -> String {
        if origin.is_builtin() && self.source != BEYOND_THE_ARTICLE {
            format!("{} (article)", self.source)
        } else {
            self.source.clone()
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
        for card_type in &self.cards.types {
            let index = CardType::ALL
                .iter()
                .position(|t| t == card_type)
                .expect("every card type is in ALL");
            counts[index] += 1;
        }
        counts
    }
}
