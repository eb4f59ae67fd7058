//! Turning the bytes of one deck file into a [`Deck`], collecting every problem on the way.
//!
//! Parsing goes through `serde_yaml::Value` rather than straight into typed structs, so that
//! one bad card does not hide the problems of the next: each card is checked field by field
//! and all problems of the file are returned together. What this file checks is shape (the
//! fields a card has, and of what kind); the rules a field's value must follow are
//! [`super::rules`]', which the deck cache holds its entries to as well.

use serde_yaml::{Mapping, Value};

use super::error::{CardRef, DeckError, DeckErrorKind};
use super::locate::LineIndex;
use super::model::{Card, CardContent, CardType, Deck, DeckOrigin, Reference, SectionQuestions};
use super::rules::{self, describe, parse_cloze};
use crate::ids::{CardId, DeckName};
use crate::text::closest;

/// Deck files larger than this are refused before parsing.
pub const MAX_DECK_BYTES: u64 = 16 * 1024 * 1024;

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
/// The fields of one entry of `references`.
const REFERENCE_FIELDS: [&str; 5] = ["author", "title", "published_in", "year", "link"];

/// A deck that parsed, with the line each card starts on (for duplicate-id messages).
#[derive(Debug, Clone)]
pub struct ParsedDeck {
    pub deck: Deck,
    pub card_lines: Vec<Option<usize>>,
}

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

/// Parses and validates one deck file. `file` is how messages name it.
pub fn parse_deck(
    name: &str,
    file: &str,
    origin: DeckOrigin,
    bytes: &[u8],
) -> Result<ParsedDeck, Vec<DeckError>> {
    let whole_file = |kind| {
        vec![DeckError {
            file: file.to_string(),
            line: None,
            column: None,
            card: None,
            kind,
        }]
    };
    let text = deck_text(bytes).map_err(whole_file)?;
    if let Some((line, column)) = too_deep_brackets(text) {
        return Err(vec![DeckError {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            card: None,
            kind: DeckErrorKind::Syntax {
                message: "recursion limit exceeded".to_string(),
                hint: "; the file nests or repeats aliases too deeply to be a deck",
            },
        }]);
    }
    if let Some(problem) = rules::deck_name_problem(name) {
        return Err(whole_file(problem));
    }
    let value: Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
        Err(e) => return Err(vec![syntax_error(file, &e)]),
    };
    let lines = LineIndex::build(text);
    let mut checker = Checker {
        file,
        lines: &lines,
        errors: Vec::new(),
    };
    let deck = checker.deck(name, origin, &value);
    match deck {
        Some(parsed) if checker.errors.is_empty() => Ok(parsed),
        _ => Err(checker.errors),
    }
}

/// The text of a deck file: at most [`MAX_DECK_BYTES`], UTF-8 without NUL bytes, and
/// without the byte-order mark some editors write.
fn deck_text(bytes: &[u8]) -> Result<&str, DeckErrorKind> {
    if bytes.len() as u64 > MAX_DECK_BYTES {
        return Err(DeckErrorKind::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_DECK_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| DeckErrorKind::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    if let Some(offset) = text.find('\0') {
        return Err(DeckErrorKind::NulByte { offset });
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// serde_yaml's own limit on nesting, which it checks only after scanning the whole file.
const MAX_BRACKET_DEPTH: usize = 128;

/// Where `[` and `{` first nest deeper than [`MAX_BRACKET_DEPTH`] (line and column, from 1),
/// found before libyaml sees the text: its scanner takes time quadratic in that depth, so
/// a file of `a: [[[[…` would keep `check` busy for hours. Brackets inside quotes count too,
/// so that no quote can hide them; no real deck comes near the limit.
fn too_deep_brackets(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn syntax_error(file: &str, error: &serde_yaml::Error) -> DeckError {
    let location = error.location();
    // serde_yaml appends "at line X column Y" to its messages; the location is shown in
    // front instead, so strip it from the words.
    let message = error.to_string();
    let message = match message.find(" at line ") {
        Some(cut) => {
            let rest = &message[cut..];
            let tail = rest.find(", ").map(|i| &rest[i..]).unwrap_or("");
            format!("{}{}", &message[..cut], tail)
        }
        None => message,
    };
    let hint = if message.contains("mapping values are not allowed") {
        "; text that contains `: ` must be quoted, or written after `>-` on the next lines"
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        "; the file nests or repeats aliases too deeply to be a deck"
    } else if message.contains("did not find expected")
        || message.contains("block")
        || message.contains("indentation")
    {
        "; check the indentation of this line and the one before it"
    } else {
        ""
    };
    DeckError {
        file: file.to_string(),
        line: location.as_ref().map(|l| l.line()),
        column: location.as_ref().map(|l| l.column()),
        card: None,
        kind: DeckErrorKind::Syntax { message, hint },
    }
}

/// Walks the parsed YAML, recording problems as it goes.
struct Checker<'a> {
    file: &'a str,
    lines: &'a LineIndex,
    errors: Vec<DeckError>,
}

/// Where in the deck a field lives, for locating errors.
#[derive(Clone, Copy)]
enum Place {
    Top,
    Card(usize),
}

/// The reference being checked: its number on the card, and the card.
#[derive(Clone, Copy)]
struct RefCheck<'c> {
    number: usize,
    place: Place,
    card: &'c CardRef,
}

impl RefCheck<'_> {
    /// A field of this reference, as messages name it: `references[2].year`.
    fn field(&self, name: &str) -> String {
        format!("references[{}].{name}", self.number)
    }
}

/// The card whose type-specific fields are being checked: its mapping, where it is, how
/// problems name it, and its type.
#[derive(Clone, Copy)]
struct CardCheck<'m> {
    map: &'m Mapping,
    place: Place,
    card: &'m CardRef,
    card_type: CardType,
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

    fn deck(&mut self, name: &str, origin: DeckOrigin, value: &Value) -> Option<ParsedDeck> {
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

    /// The optional `references` list: each entry a mapping of [`REFERENCE_FIELDS`].
    fn references(
        &mut self,
        map: &Mapping,
        place: Place,
        card: &CardRef,
    ) -> Option<Vec<Reference>> {
        let items = match map.get("references") {
            None | Some(Value::Null) => return Some(Vec::new()),
            Some(Value::Sequence(items)) => items,
            Some(other) => {
                self.report(
                    place,
                    Some("references"),
                    Some(card.clone()),
                    DeckErrorKind::WrongType {
                        field: "references".into(),
                        expected: "a list of references (one `- author: …` entry each)",
                        found: describe(other),
                    },
                );
                return None;
            }
        };
        let mut ok = true;
        let mut references = Vec::with_capacity(items.len());
        let first_error = self.errors.len();
        for (i, item) in items.iter().enumerate() {
            match self.reference(i + 1, item, place, card) {
                Some(reference) => references.push(reference),
                None => ok = false,
            }
        }
        // Problems inside a reference point at the line of `references`.
        if let Place::Card(position) = place {
            let line = self.lines.card_field(position, "references");
            for error in &mut self.errors[first_error..] {
                error.line = line;
            }
        }
        ok.then_some(references)
    }

    fn reference(
        &mut self,
        number: usize,
        value: &Value,
        place: Place,
        card: &CardRef,
    ) -> Option<Reference> {
        let Value::Mapping(map) = value else {
            let kind = DeckErrorKind::WrongType {
                field: format!("references[{number}]"),
                expected: "a mapping with `author`, `title`, `published_in` and `year`",
                found: describe(value),
            };
            self.report(place, Some("references"), Some(card.clone()), kind);
            return None;
        };
        let at = RefCheck {
            number,
            place,
            card,
        };
        // A misspelt field is also a missing one; the "did you mean" says it all.
        let suggested = self.reference_unknown_fields(at, map);
        let missing = |this: &mut Self, field: &'static str| {
            if !suggested.contains(&field) {
                this.bad_reference(at, DeckErrorKind::ReferenceMissingField { number, field });
            }
        };
        let text = |this: &mut Self, field: &'static str| match map.get(field) {
            None => {
                missing(this, field);
                None
            }
            Some(value) => this.text_value(value, &at.field(field), place, Some(card)),
        };
        let author = text(self, "author");
        let title = text(self, "title");
        let published_in = text(self, "published_in");
        let year = match map.get("year") {
            None => {
                missing(self, "year");
                None
            }
            Some(value) => self.reference_year(at, value),
        };
        let link = self.reference_link(at, map.get("link"));
        Some(Reference {
            author: author?,
            title: title?,
            published_in: published_in?,
            year: year?,
            link: link?,
        })
    }

    /// Every problem of a reference is reported on the line of `references`.
    fn bad_reference(&mut self, at: RefCheck<'_>, kind: DeckErrorKind) {
        self.report(at.place, Some("references"), Some(at.card.clone()), kind);
    }

    /// Reports the fields a reference does not have; returns the fields suggested instead.
    fn reference_unknown_fields(&mut self, at: RefCheck<'_>, map: &Mapping) -> Vec<&'static str> {
        let mut suggested = Vec::new();
        for key in map.keys() {
            let key_text = key_text(key);
            if REFERENCE_FIELDS.contains(&key_text.as_str()) {
                continue;
            }
            let suggestion = closest(&key_text, &REFERENCE_FIELDS).or(match key_text.as_str() {
                "journal" | "publisher" => Some("published_in"),
                "authors" | "body" => Some("author"),
                "url" | "doi" => Some("link"),
                _ => None,
            });
            suggested.extend(suggestion);
            let kind = DeckErrorKind::UnknownField {
                field: at.field(&key_text),
                suggestion,
                valid: REFERENCE_FIELDS.to_vec(),
            };
            self.bad_reference(at, kind);
        }
        suggested
    }

    /// A four-digit year, as a number or a text.
    fn reference_year(&mut self, at: RefCheck<'_>, value: &Value) -> Option<u16> {
        let year = match value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse::<u64>().ok(),
            _ => None,
        }
        .and_then(rules::reference_year);
        if year.is_none() {
            let found = match value {
                Value::Number(n) => format!("`{n}`"),
                Value::String(s) => format!("`{s}`"),
                other => describe(other).to_string(),
            };
            let number = at.number;
            self.bad_reference(at, DeckErrorKind::ReferenceBadYear { number, found });
        }
        year
    }

    /// The optional web address: `Some(None)` when there is none, `None` when it is bad.
    fn reference_link(
        &mut self,
        at: RefCheck<'_>,
        value: Option<&Value>,
    ) -> Option<Option<String>> {
        let value = match value {
            None | Some(Value::Null) => return Some(None),
            Some(value) => value,
        };
        let link = self.text_value(value, &at.field("link"), at.place, Some(at.card))?;
        match rules::link_problem(at.number, &link) {
            None => Some(Some(link)),
            Some(problem) => {
                self.bad_reference(at, problem);
                None
            }
        }
    }

    fn content(
        &mut self,
        card_type: CardType,
        map: &Mapping,
        place: Place,
        card: &CardRef,
    ) -> Option<CardContent> {
        let at = CardCheck {
            map,
            place,
            card,
            card_type,
        };
        match card_type {
            CardType::Flip => {
                let front = self.text_of(at, "front");
                let back = self.text_of(at, "back");
                Some(CardContent::Flip {
                    front: front?,
                    back: back?,
                })
            }
            CardType::Choice => self.choice(at),
            CardType::Multi => self.multi(at),
            CardType::TrueFalse => self.true_false(at),
            CardType::Typed => self.typed(at),
            CardType::Order => self.order(at),
            CardType::Cloze => {
                let cloze_text = self.text_of(at, "text")?;
                match parse_cloze(&cloze_text) {
                    Ok(blanks) => Some(CardContent::Cloze {
                        text: cloze_text,
                        blanks,
                    }),
                    Err(kind) => {
                        self.problem(at, "text", kind);
                        None
                    }
                }
            }
        }
    }

    /// A problem with one field of the card being checked.
    fn problem(&mut self, at: CardCheck<'_>, field: &str, kind: DeckErrorKind) {
        self.report(at.place, Some(field), Some(at.card.clone()), kind);
    }

    /// The problems the deck rules find in the card being checked.
    fn problems(&mut self, at: CardCheck<'_>, problems: Vec<rules::Problem>) {
        for (field, kind) in problems {
            self.problem(at, &field, kind);
        }
    }

    /// A text field the card's type requires.
    fn text_of(&mut self, at: CardCheck<'_>, field: &'static str) -> Option<String> {
        let type_name = Some(at.card_type.name());
        self.required_text(at.map, field, at.place, Some(at.card), type_name)
    }

    /// A list field the card's type requires.
    fn list_of(&mut self, at: CardCheck<'_>, field: &'static str) -> Option<Vec<String>> {
        self.required_list(at.map, field, at.place, at.card, at.card_type)
    }

    fn choice(&mut self, at: CardCheck<'_>) -> Option<CardContent> {
        let question = self.text_of(at, "question");
        let answer = self.text_of(at, "answer");
        let distractors = self.list_of(at, "distractors");
        if let Some(distractors) = &distractors {
            self.problems(at, rules::choice_problems(answer.as_deref(), distractors));
        }
        Some(CardContent::Choice {
            question: question?,
            answer: answer?,
            distractors: distractors?,
        })
    }

    fn multi(&mut self, at: CardCheck<'_>) -> Option<CardContent> {
        let question = self.text_of(at, "question");
        let correct = self.list_of(at, "correct");
        let wrong = self.list_of(at, "wrong");
        let problems = rules::multi_problems(correct.as_deref(), wrong.as_deref());
        self.problems(at, problems);
        Some(CardContent::Multi {
            question: question?,
            correct: correct?,
            wrong: wrong?,
        })
    }

    fn true_false(&mut self, at: CardCheck<'_>) -> Option<CardContent> {
        let statement = self.text_of(at, "statement");
        let answer = match at.map.get("answer") {
            Some(Value::Bool(b)) => Some(*b),
            None => {
                let kind = DeckErrorKind::MissingField {
                    field: "answer",
                    card_type: Some(at.card_type.name().to_string()),
                };
                self.report(at.place, None, Some(at.card.clone()), kind);
                None
            }
            Some(other) => {
                let kind = DeckErrorKind::WrongType {
                    field: "answer".into(),
                    expected: "true or false",
                    found: describe(other),
                };
                self.problem(at, "answer", kind);
                None
            }
        };
        Some(CardContent::TrueFalse {
            statement: statement?,
            answer: answer?,
        })
    }

    fn typed(&mut self, at: CardCheck<'_>) -> Option<CardContent> {
        let question = self.text_of(at, "question");
        let answers = self.list_of(at, "answers");
        if let Some(answers) = &answers {
            self.problems(at, rules::typed_problems(answers));
        }
        Some(CardContent::Typed {
            question: question?,
            answers: answers?,
        })
    }

    fn order(&mut self, at: CardCheck<'_>) -> Option<CardContent> {
        let question = self.text_of(at, "question");
        let items = self.list_of(at, "items");
        if let Some(items) = &items {
            self.problems(at, rules::order_problems(items));
        }
        Some(CardContent::Order {
            question: question?,
            items: items?,
        })
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

/// The cloze text with each blank replaced by `replace(index)`.
pub fn render_cloze(text: &str, mut replace: impl FnMut(usize) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut index = 0;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        out.push_str(&rest[..open]);
        out.push_str(&replace(index));
        index += 1;
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloze_blanks_with_alternatives() {
        let blanks = parse_cloze("A {{b|B2}} c {{ d }}").unwrap();
        assert_eq!(
            blanks,
            vec![vec!["b".to_string(), "B2".into()], vec!["d".into()]]
        );
        assert_eq!(
            render_cloze("A {{b|B2}} c {{ d }}.", |i| format!("[{i}]")),
            "A [0] c [1]."
        );
        assert_eq!(parse_cloze("none"), Err(DeckErrorKind::ClozeNoBlank));
        assert_eq!(
            parse_cloze("a {{ }}"),
            Err(DeckErrorKind::ClozeEmptyBlank { number: 1 })
        );
        assert_eq!(parse_cloze("a {{b"), Err(DeckErrorKind::ClozeUnclosed));
    }
}
