//! Line numbers for deck errors.
//!
//! serde_yaml reports positions only for syntax errors, so this scans the text of a
//! block-style deck (the style every example uses) for where each top-level key, each card
//! and each card field starts. Flow-style decks (`cards: [{…}]`) still load; their errors
//! then carry the card's position instead of a line.

use std::collections::HashMap;

/// Where things start in a deck file (1-based line numbers).
#[derive(Debug, Default)]
pub(super) struct LineIndex {
    top_keys: HashMap<String, usize>,
    cards: Vec<CardLines>,
}

#[derive(Debug, Default)]
struct CardLines {
    start: usize,
    keys: HashMap<String, usize>,
}

impl LineIndex {
    pub(super) fn build(text: &str) -> LineIndex {
        let mut index = LineIndex::default();
        let mut in_cards = false;
        let mut item_indent: Option<usize> = None;
        let mut key_indent: Option<usize> = None;
        for (number, line) in text.lines().enumerate() {
            let number = number + 1;
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with("---") {
                continue;
            }
            let indent = line.len() - trimmed.len();
            if indent == 0 && !trimmed.starts_with('-') {
                if let Some(key) = key_of(trimmed) {
                    index.top_keys.entry(key.to_string()).or_insert(number);
                    in_cards = key == "cards";
                    item_indent = None;
                }
                continue;
            }
            if !in_cards {
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix('-')
                && (rest.is_empty() || rest.starts_with(' '))
                && item_indent.is_none_or(|i| i == indent)
            {
                item_indent = Some(indent);
                let after_dash = rest.trim_start();
                let mut card = CardLines {
                    start: number,
                    ..CardLines::default()
                };
                key_indent = None;
                if let Some(key) = key_of(after_dash) {
                    key_indent = Some(indent + 1 + (rest.len() - after_dash.len()));
                    card.keys.insert(key.to_string(), number);
                }
                index.cards.push(card);
                continue;
            }
            let Some(card) = index.cards.last_mut() else {
                continue;
            };
            if item_indent.is_some_and(|i| indent <= i) {
                continue;
            }
            if key_indent.is_none() {
                key_indent = Some(indent);
            }
            if key_indent == Some(indent)
                && let Some(key) = key_of(trimmed)
            {
                card.keys.entry(key.to_string()).or_insert(number);
            }
        }
        index
    }

    /// The line of a top-level key such as `cards`.
    pub(super) fn top_key(&self, key: &str) -> Option<usize> {
        self.top_keys.get(key).copied()
    }

    /// The line where card `position` (0-based) starts.
    pub(super) fn card(&self, position: usize) -> Option<usize> {
        self.cards.get(position).map(|card| card.start)
    }

    /// The line of a field of card `position`, or the card's start when the field is not
    /// written on a line of its own.
    pub(super) fn card_field(&self, position: usize, field: &str) -> Option<usize> {
        let card = self.cards.get(position)?;
        Some(card.keys.get(field).copied().unwrap_or(card.start))
    }
}

/// Where each card's fields are written in a deck file, for reports outside this module.
#[derive(Debug, Default)]
pub struct FieldLines(LineIndex);

impl FieldLines {
    pub(super) fn of(text: &str) -> FieldLines {
        FieldLines(LineIndex::build(text))
    }

    /// The line of field `key` of card `position` (0-based), or of the card when the field
    /// is not written on a line of its own.
    pub fn card_field(&self, position: usize, key: &str) -> Option<usize> {
        self.0.card_field(position, key)
    }
}

/// The key of a `key: value` or `key:` line, if the line is one.
fn key_of(text: &str) -> Option<&str> {
    let (key, rest) = text.split_once(':')?;
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with('\t')) {
        return None;
    }
    let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    plain.then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_cards_and_their_fields() {
        let text = "title: T\ndescription: D\ncards:\n  - id: a\n    type: flip\n    front: >-\n      x: y\n    back: b\n\n  # comment\n  - id: b\n    type: choice\n";
        let index = LineIndex::build(text);
        assert_eq!(index.top_key("cards"), Some(3));
        assert_eq!(index.card(0), Some(4));
        assert_eq!(index.card_field(0, "type"), Some(5));
        assert_eq!(index.card_field(0, "back"), Some(8));
        assert_eq!(index.card_field(0, "x"), Some(4));
        assert_eq!(index.card(1), Some(11));
        assert_eq!(index.card_field(1, "type"), Some(12));
    }

    #[test]
    fn nested_lists_do_not_start_cards() {
        let text = "cards:\n- id: a\n  distractors:\n  - one\n  - two\n- id: b\n";
        let index = LineIndex::build(text);
        assert_eq!(index.card(1), Some(6));
        assert_eq!(index.card_field(0, "distractors"), Some(3));
    }
}
