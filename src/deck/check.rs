//! Checking a parsed deck file's YAML: its title, description and questions to ask, then card
//! by card, collecting every problem on the way.
//!
//! Parsing goes through `serde_yaml::Value` rather than straight into typed structs, so that
//! one bad card does not hide the problems of the next, nor one bad field the others of its
//! card: each card is checked field by field and all problems of the file are returned
//! together. What this checks is shape (the fields a card has, and of what kind); the rules a
//! field's value must follow are [`super::rules`]', which the deck cache holds its entries to
//! as well. The fields of each card type are [`content`]'s, a card's references
//! [`references`]'.

mod content;
mod references;

use serde_yaml::{Mapping, Value};

use super::error::{CardRef, DeckError, DeckErrorKind};
use super::load::ParsedDeck;
use super::locate::LineIndex;
use super::model::{Card, CardType, Deck, DeckOrigin, SectionQuestions};
use super::rules::{self, describe};
use crate::ids::{CardId, DeckName};
use crate::text::closest;

const TOP_FIELDS: [&str; 4] = ["title", "description", "cards", "questions_to_ask"];
/// The fields of one entry of `questions_to_ask`.
const QUESTION_FIELDS: [&str; 2] = ["section", "questions"];
const COMMON_FIELDS: [&str; 8] = [
    "id",
    "type",
    "explanation",
    "source",
    "origin",
    "note",
    "references",
    "tags",
];

/// The fields a card type has beyond the common ones, and whether each is required.
fn type_fields(card_type: CardType) -> &'static [&'static str] {
    match card_type {
        CardType::Flip => &["front", "back"],
        CardType::Choice => &["question", "answer", "distractors"],
        CardType::Multi => &["question", "correct", "wrong"],
        CardType::TrueFalse => &["statement", "answer"],
        CardType::Typed => &["question", "answers"],
        CardType::Order => &["question", "items"],
        CardType::Cloze => &["text"],
    }
}

/// Walks the parsed YAML, recording problems as it goes.
pub(super) struct Checker<'a> {
    file: &'a str,
    lines: &'a LineIndex,
    /// Every problem found so far, in the order of the file.
    pub(super) errors: Vec<DeckError>,
}

impl<'a> Checker<'a> {
    /// A checker of the file that messages name `file`, whose lines are `lines`.
    pub(super) fn new(file: &'a str, lines: &'a LineIndex) -> Checker<'a> {
        Checker {
            file,
            lines,
            errors: Vec::new(),
        }
    }
}

/// Where in the deck a field lives, for locating errors.
#[derive(Clone, Copy)]
enum Place {
    Top,
    Card(usize),
}

impl Checker<'_> {
    fn report(
        &mut self,
        place: Place,
        field: Option<&str>,
        card: Option<CardRef>,
        kind: DeckErrorKind,
    ) {
        // A list item (`answers[2]`) or a reference's field (`references[1].year`) is
        // found by the field it is in.
        let field = field.map(|field| field.split(['[', '.']).next().unwrap_or(field));
        let line = match (place, field) {
            (Place::Top, Some(field)) => self.lines.top_key(field),
            (Place::Top, None) => None,
            (Place::Card(i), Some(field)) => self.lines.card_field(i, field),
            (Place::Card(i), None) => self.lines.card(i),
        };
        self.errors.push(DeckError {
            file: self.file.to_string(),
            line,
            column: None,
            card,
            kind,
        });
    }

    /// The deck of the file's parsed YAML `value`; `None` when it has a problem (each one
    /// in [`Checker::errors`]).
    pub(super) fn deck(
        &mut self,
        name: &str,
        origin: DeckOrigin,
        value: &Value,
    ) -> Option<ParsedDeck> {
        let map = self.deck_mapping(value)?;
        self.unknown_fields(map, &TOP_FIELDS, Place::Top, None);
        let title = self.required_text(map, "title", Place::Top, None, None);
        let description = self.required_text(map, "description", Place::Top, None, None);
        let questions_to_ask = self.questions_to_ask(map);
        let cards = self.cards(map);
        let cards: Vec<Card> = cards?.into_iter().collect::<Option<_>>()?;
        let questions_to_ask = questions_to_ask?;
        for problem in rules::questions_problems(&questions_to_ask, &cards) {
            self.report(Place::Top, Some("questions_to_ask"), None, problem);
        }
        let card_lines = (0..cards.len()).map(|i| self.lines.card(i)).collect();
        Some(ParsedDeck {
            deck: Deck {
                name: DeckName::from(name),
                title: title?,
                description: description?,
                cards: cards.into(),
                origin,
                questions_to_ask,
            },
            card_lines,
        })
    }

    /// The file's top mapping, when the file is one and has something of a deck (else
    /// reported: an empty file, a list or text, or a mapping with no deck field).
    fn deck_mapping<'v>(&mut self, value: &'v Value) -> Option<&'v Mapping> {
        let map = match value {
            Value::Mapping(map) => map,
            Value::Null => {
                self.report(Place::Top, None, None, DeckErrorKind::Empty);
                return None;
            }
            other => {
                self.report(
                    Place::Top,
                    None,
                    None,
                    DeckErrorKind::NotAMapping {
                        found: describe(other),
                    },
                );
                return None;
            }
        };
        // A file with nothing of a deck (a link to `/etc/shadow`, a configuration file
        // dropped in the folder) is named, not quoted: its keys could be anything, secrets
        // included, and every command repeats the first problem of a deck it leaves out.
        let deck_like = map.keys().any(|key| {
            let key = key_text(key);
            TOP_FIELDS.contains(&key.as_str()) || closest(&key, &TOP_FIELDS).is_some()
        });
        if !deck_like {
            self.report(
                Place::Top,
                None,
                None,
                DeckErrorKind::NotADeck { keys: map.len() },
            );
            return None;
        }
        Some(map)
    }

    /// The optional `questions_to_ask` list: each entry a mapping of [`QUESTION_FIELDS`],
    /// a section and its questions. Its problems point at the line of `questions_to_ask`.
    fn questions_to_ask(&mut self, map: &Mapping) -> Option<Vec<SectionQuestions>> {
        const FIELD: &str = "questions_to_ask";
        const EXPECTED: &str = "a list of sections, each `- section: …` with its `questions:`";
        let wrong_type = |found| DeckErrorKind::WrongType {
            field: FIELD.to_string(),
            expected: EXPECTED,
            found,
        };
        let items = match map.get(FIELD) {
            None | Some(Value::Null) => return Some(Vec::new()),
            Some(Value::Sequence(items)) => items,
            Some(other) => {
                self.report(Place::Top, Some(FIELD), None, wrong_type(describe(other)));
                return None;
            }
        };
        let mut entries = Some(Vec::with_capacity(items.len()));
        for item in items {
            let entry = match item {
                Value::Mapping(entry) => self.section_questions(entry),
                other => {
                    self.report(Place::Top, Some(FIELD), None, wrong_type(describe(other)));
                    None
                }
            };
            match (entry, &mut entries) {
                (Some(entry), Some(entries)) => entries.push(entry),
                _ => entries = None,
            }
        }
        entries
    }

    /// One entry of `questions_to_ask`: its `section` and its list of `questions`.
    fn section_questions(&mut self, entry: &Mapping) -> Option<SectionQuestions> {
        const FIELD: &str = "questions_to_ask";
        let first_error = self.errors.len();
        self.unknown_fields(entry, &QUESTION_FIELDS, Place::Top, None);
        let section = self.required_text(entry, "section", Place::Top, None, None);
        let questions = match entry.get("questions") {
            Some(Value::Sequence(items)) => (items.iter().enumerate())
                .map(|(i, item)| {
                    let field = format!("questions[{}]", i + 1);
                    self.text_value(item, &field, Place::Top, None)
                })
                .collect::<Vec<_>>()
                .into_iter()
                .collect::<Option<Vec<_>>>(),
            Some(other) => {
                let kind = DeckErrorKind::WrongType {
                    field: "questions".to_string(),
                    expected: "a list of questions (one `- …?` per line)",
                    found: describe(other),
                };
                self.report(Place::Top, None, None, kind);
                None
            }
            None => {
                let kind = DeckErrorKind::MissingField {
                    field: "questions",
                    card_type: None,
                };
                self.report(Place::Top, None, None, kind);
                None
            }
        };
        // Problems inside the list point at the line of `questions_to_ask`.
        let line = self.lines.top_key(FIELD);
        for error in &mut self.errors[first_error..] {
            error.line = line;
        }
        Some(SectionQuestions {
            section: section?,
            questions: questions?,
        })
    }

    /// Every card of the deck's `cards` list (`None` for a card with problems), or `None`
    /// when the list itself is missing, empty or not a list.
    fn cards(&mut self, map: &Mapping) -> Option<Vec<Option<Card>>> {
        match map.get("cards") {
            None => {
                self.report(
                    Place::Top,
                    None,
                    None,
                    DeckErrorKind::MissingField {
                        field: "cards",
                        card_type: None,
                    },
                );
                None
            }
            Some(Value::Null) => {
                self.report(Place::Top, Some("cards"), None, DeckErrorKind::NoCards);
                None
            }
            Some(Value::Sequence(items)) if items.is_empty() => {
                self.report(Place::Top, Some("cards"), None, DeckErrorKind::NoCards);
                None
            }
            Some(Value::Sequence(items)) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(position, item)| self.card(position, item))
                    .collect(),
            ),
            Some(other) => {
                self.report(
                    Place::Top,
                    Some("cards"),
                    None,
                    DeckErrorKind::WrongType {
                        field: "cards".into(),
                        expected: "a list of cards",
                        found: describe(other),
                    },
                );
                None
            }
        }
    }

    fn unknown_fields(
        &mut self,
        map: &Mapping,
        valid: &[&'static str],
        place: Place,
        card: Option<&CardRef>,
    ) {
        for key in map.keys() {
            let key_text = key_text(key);
            if valid.contains(&key_text.as_str()) {
                continue;
            }
            let suggestion = closest(&key_text, valid);
            self.report(
                place,
                Some(&key_text),
                card.cloned(),
                DeckErrorKind::UnknownField {
                    field: key_text.clone(),
                    suggestion,
                    valid: valid.to_vec(),
                },
            );
        }
    }

    fn card(&mut self, position: usize, value: &Value) -> Option<Card> {
        let first_error = self.errors.len();
        let card = self.card_fields(position, value);
        // A misspelt field is also a missing one; the "did you mean" says it all.
        let suggested: Vec<&'static str> = self.errors[first_error..]
            .iter()
            .filter_map(|e| match &e.kind {
                DeckErrorKind::UnknownField { suggestion, .. } => *suggestion,
                _ => None,
            })
            .collect();
        let mut index = first_error;
        while index < self.errors.len() {
            if matches!(&self.errors[index].kind, DeckErrorKind::MissingField { field, .. } if suggested.contains(field))
            {
                self.errors.remove(index);
            } else {
                index += 1;
            }
        }
        card
    }

    fn card_fields(&mut self, position: usize, value: &Value) -> Option<Card> {
        let place = Place::Card(position);
        let fallback_ref = CardRef::Position(position + 1);
        let Value::Mapping(map) = value else {
            self.report(
                place,
                None,
                Some(fallback_ref),
                DeckErrorKind::CardNotAMapping {
                    found: describe(value),
                },
            );
            return None;
        };
        let id = self.required_text(map, "id", place, Some(&fallback_ref), None);
        let card_ref = match &id {
            Some(id) => CardRef::Id(id.clone()),
            None => fallback_ref,
        };
        if let Some(problem) = id.as_deref().and_then(rules::id_problem) {
            self.report(place, Some("id"), Some(card_ref.clone()), problem);
        }
        let card_type = self.card_type(map, place, &card_ref);
        let explanation = self.required_text(map, "explanation", place, Some(&card_ref), None);
        let source = self.required_text(map, "source", place, Some(&card_ref), None);
        let origin = self.origin(map.get("origin"), place, &card_ref);
        let note = self.optional_text(map, "note", place, &card_ref);
        let references = self.references(map, place, &card_ref);
        if let (Some(note), Some(references)) = (&note, &references)
            && let Some(problem) = rules::references_without_note(note.as_deref(), references)
        {
            self.report(place, Some("references"), Some(card_ref.clone()), problem);
        }
        let tags = match map.get("tags") {
            None | Some(Value::Null) => Some(Vec::new()),
            Some(_) => self.text_list(map, "tags", place, &card_ref),
        };
        // Without a known type the other fields cannot be judged; the type error says enough.
        let card_type = card_type?;
        let mut valid: Vec<&'static str> = COMMON_FIELDS.to_vec();
        valid.extend_from_slice(type_fields(card_type));
        self.unknown_fields(map, &valid, place, Some(&card_ref));
        let content = self.content(card_type, map, place, &card_ref);
        let card = Card {
            id: CardId::new(id?),
            content: content?,
            explanation: explanation?,
            source: source?,
            origin: origin?,
            note: note?,
            references: references?,
            tags: tags?,
        };
        for kind in rules::source_problems(&card) {
            self.report(place, Some("source"), Some(card_ref.clone()), kind);
        }
        Some(card)
    }

    /// The card's `type`, when it names one of [`CardType::ALL`] (else reported, with the
    /// closest name).
    fn card_type(&mut self, map: &Mapping, place: Place, card: &CardRef) -> Option<CardType> {
        let name = self.required_text(map, "type", place, Some(card), None)?;
        let found = CardType::from_name(&name);
        if found.is_none() {
            let names: Vec<&'static str> = CardType::ALL.iter().map(|t| t.name()).collect();
            self.report(
                place,
                Some("type"),
                Some(card.clone()),
                DeckErrorKind::UnknownCardType {
                    suggestion: closest(&name, &names),
                    found: name,
                },
            );
        }
        found
    }

    /// The optional `origin`: `Some(None)` when there is none, `None` when it is not a line
    /// number (a whole number from 1).
    fn origin(
        &mut self,
        value: Option<&Value>,
        place: Place,
        card: &CardRef,
    ) -> Option<Option<u32>> {
        let value = match value {
            None | Some(Value::Null) => return Some(None),
            Some(value) => value,
        };
        let line = match value {
            Value::Number(n) => n.as_u64(),
            _ => None,
        }
        .and_then(rules::origin_line);
        if line.is_none() {
            let found = match value {
                Value::Number(n) => format!("`{n}`"),
                Value::String(s) => format!("the text `{s}`"),
                other => describe(other).to_string(),
            };
            self.report(
                place,
                Some("origin"),
                Some(card.clone()),
                DeckErrorKind::BadOrigin { found },
            );
        }
        line.map(Some)
    }

    fn required_text(
        &mut self,
        map: &Mapping,
        field: &'static str,
        place: Place,
        card: Option<&CardRef>,
        card_type: Option<&str>,
    ) -> Option<String> {
        match map.get(field) {
            None => {
                self.report(
                    place,
                    None,
                    card.cloned(),
                    DeckErrorKind::MissingField {
                        field,
                        card_type: card_type.map(str::to_string),
                    },
                );
                None
            }
            Some(value) => self.text_value(value, field, place, card),
        }
    }

    fn optional_text(
        &mut self,
        map: &Mapping,
        field: &'static str,
        place: Place,
        card: &CardRef,
    ) -> Option<Option<String>> {
        match map.get(field) {
            None => Some(None),
            Some(value) => self.text_value(value, field, place, Some(card)).map(Some),
        }
    }

    /// A text field's value, trimmed, when it is one the rules accept ([`rules::text_in`]).
    fn text_value(
        &mut self,
        value: &Value,
        field: &str,
        place: Place,
        card: Option<&CardRef>,
    ) -> Option<String> {
        match rules::text_in(field, value) {
            Ok(text) => Some(text),
            Err(problem) => {
                self.report(place, Some(field), card.cloned(), problem);
                None
            }
        }
    }

    fn required_list(
        &mut self,
        map: &Mapping,
        field: &'static str,
        place: Place,
        card: &CardRef,
        card_type: CardType,
    ) -> Option<Vec<String>> {
        if map.get(field).is_none() {
            self.report(
                place,
                None,
                Some(card.clone()),
                DeckErrorKind::MissingField {
                    field,
                    card_type: Some(card_type.name().to_string()),
                },
            );
            return None;
        }
        self.text_list(map, field, place, card)
    }

    fn text_list(
        &mut self,
        map: &Mapping,
        field: &'static str,
        place: Place,
        card: &CardRef,
    ) -> Option<Vec<String>> {
        match map.get(field) {
            Some(Value::Sequence(items)) => {
                let mut ok = true;
                let mut texts = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let item_field = format!("{field}[{}]", i + 1);
                    match self.text_value(item, &item_field, place, Some(card)) {
                        Some(text) => texts.push(text),
                        None => ok = false,
                    }
                }
                ok.then_some(texts)
            }
            Some(Value::Null) => Some(Vec::new()),
            Some(other) => {
                self.report(
                    place,
                    Some(field),
                    Some(card.clone()),
                    DeckErrorKind::WrongType {
                        field: field.to_string(),
                        expected: "a list of texts (one `- item` per line)",
                        found: describe(other),
                    },
                );
                None
            }
            None => Some(Vec::new()),
        }
    }
}

/// A mapping key as written, for messages (YAML allows keys that are not text).
fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}
