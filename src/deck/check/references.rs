//! A card's `references`: each entry a mapping of an author, a title, where it was
//! published, a year and an optional web address, every problem reported on the line of
//! `references`.

use serde_yaml::{Mapping, Value};

use super::{Checker, Place, key_text};
use crate::deck::error::{CardRef, DeckErrorKind};
use crate::deck::model::Reference;
use crate::deck::rules::{self, describe};
use crate::text::closest;

/// The fields of one entry of `references`.
const REFERENCE_FIELDS: [&str; 5] = ["author", "title", "published_in", "year", "link"];

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

impl Checker<'_> {
    /// The optional `references` list: each entry a mapping of [`REFERENCE_FIELDS`].
    pub(super) fn references(
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
}
