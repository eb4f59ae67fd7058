//! A drafted deck as YAML, written through serde_yaml so that quoting is always right, and
//! read back through the deck parser: a drafted deck obeys the same rules as any deck.

use serde_yaml::{Mapping, Value};

use super::cards::DraftCard;
use crate::deck::{CardContent, DeckOrigin, parse_deck};

/// One deck file to write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DeckFile {
    /// The deck's name (its file stem).
    pub name: String,
    pub yaml: String,
    pub cards: Vec<DraftCard>,
}

fn text(value: &str) -> Value {
    Value::String(value.to_string())
}

fn texts(values: &[String]) -> Value {
    Value::Sequence(values.iter().map(|v| text(v)).collect())
}

fn card_value(card: &DraftCard) -> Value {
    let mut map = Mapping::new();
    let mut put = |key: &str, value: Value| {
        map.insert(text(key), value);
    };
    put("id", text(&card.id));
    put("type", text(card.card_type().name()));
    match &card.content {
        CardContent::Flip { front, back } => {
            put("front", text(front));
            put("back", text(back));
        }
        CardContent::Choice {
            question,
            answer,
            distractors,
        } => {
            put("question", text(question));
            put("answer", text(answer));
            put("distractors", texts(distractors));
        }
        CardContent::Multi {
            question,
            correct,
            wrong,
        } => {
            put("question", text(question));
            put("correct", texts(correct));
            put("wrong", texts(wrong));
        }
        CardContent::TrueFalse { statement, answer } => {
            put("statement", text(statement));
            put("answer", Value::Bool(*answer));
        }
        CardContent::Typed { question, answers } => {
            put("question", text(question));
            put("answers", texts(answers));
        }
        CardContent::Order { question, items } => {
            put("question", text(question));
            put("items", texts(items));
        }
        CardContent::Cloze { text: cloze, .. } => put("text", text(cloze)),
    }
    put("explanation", text(&card.explanation));
    put("source", text(&card.source));
    put("origin", Value::Number(card.origin.into()));
    put("tags", texts(&card.tags));
    Value::Mapping(map)
}

fn render(title: &str, description: &str, cards: &[DraftCard]) -> String {
    let mut deck = Mapping::new();
    deck.insert(text("title"), text(title));
    deck.insert(text("description"), text(description));
    deck.insert(
        text("cards"),
        Value::Sequence(cards.iter().map(card_value).collect()),
    );
    serde_yaml::to_string(&Value::Mapping(deck)).expect("a mapping of texts serialises")
}

/// The deck as YAML that passes the deck rules. A card the rules refuse (which a drafted
/// card should never be) is left out rather than written broken; `None` when no card is
/// left.
pub(crate) fn deck_file(
    name: &str,
    title: &str,
    description: &str,
    mut cards: Vec<DraftCard>,
) -> Option<DeckFile> {
    loop {
        if cards.is_empty() {
            return None;
        }
        let yaml = render(title, description, &cards);
        let origin = DeckOrigin::File(format!("{name}.yaml").into());
        match parse_deck(name, name, origin, yaml.as_bytes()) {
            Ok(_) => {
                return Some(DeckFile {
                    name: name.to_string(),
                    yaml,
                    cards,
                });
            }
            Err(errors) => {
                let ids: Vec<&str> = cards.iter().map(|c| c.id.as_str()).collect();
                let refused: Vec<String> = errors.iter().filter_map(|e| e.card_id(&ids)).collect();
                let before = cards.len();
                cards.retain(|card| !refused.contains(&card.id));
                if cards.len() == before {
                    // A problem of the deck itself: nothing a card could fix.
                    return None;
                }
            }
        }
    }
}
