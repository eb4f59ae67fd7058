//! The notes of a package that are not ours, as a deck (`import --as-deck NAME`): each
//! note's text fields as text, a cloze note as one cloze card per cloze number (the other
//! numbers shown, as Anki shows them), any other note as a flip card of its first two
//! fields, the rest of its fields as the explanation. Media are left out and counted. Each
//! card id is the deck's name and a number derived from the note's GUID (and the cloze
//! number), so importing the same notes again gives the same ids.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_yaml::{Mapping, Value};

use super::html_text::field_text;
use super::{AnkiNote, Package};
use crate::deck::{DeckOrigin, parse_deck};

/// The explanation of a card whose note has nothing beyond its question and answer.
const NO_EXPLANATION: &str = "The Anki note gives no explanation.";

/// The foreign notes as a deck.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ForeignCards {
    /// The deck file, which the deck rules accept; `None` when no card could be made.
    pub yaml: Option<String>,
    pub cards: usize,
    /// Images, sounds and videos left out.
    pub media_skipped: usize,
    /// Notes that gave no card: no text left on a side, or refused by the deck rules.
    pub notes_skipped: usize,
}

/// One card as it will be written.
struct Drafted {
    id: String,
    note: i64,
    /// `("front", …), ("back", …)` or `("text", …)`.
    content: Vec<(&'static str, String)>,
    explanation: String,
    source: String,
    tags: Vec<String>,
}

/// The notes `foreign` of `package` as deck `name` (kebab-case), described as imported
/// from `label`.
pub fn foreign_cards(
    package: &Package,
    foreign: &HashSet<i64>,
    name: &str,
    label: &str,
) -> ForeignCards {
    let mut result = ForeignCards::default();
    let deck_of = note_decks(package);
    let mut drafted = Vec::new();
    let mut notes = 0;
    for note in package.notes.iter().filter(|n| foreign.contains(&n.id)) {
        notes += 1;
        let deck = deck_of
            .get(&note.id)
            .map_or("an Anki package", String::as_str);
        let cloze = package.note_types.get(&note.note_type).map_or_else(
            || note.fields.iter().any(|f| f.contains("{{c")),
            |t| t.cloze,
        );
        let before = drafted.len();
        note_cards(note, cloze, name, &mut drafted, &mut result.media_skipped);
        for card in &mut drafted[before..] {
            card.source = format!("Anki deck: {deck}");
        }
    }
    let title = most_common(drafted.iter().filter_map(|card| deck_of.get(&card.note)))
        .map_or_else(|| "Imported from Anki".to_string(), |deck| deck.to_string());
    let description = format!("Notes imported from the Anki package {label}.");
    let written_notes = accepted(name, &title, &description, &mut drafted);
    result.cards = drafted.len();
    result.notes_skipped = notes - written_notes;
    if !drafted.is_empty() {
        result.yaml = Some(render(&title, &description, &drafted));
    }
    result
}

/// The Anki deck of each note's first card.
fn note_decks(package: &Package) -> HashMap<i64, String> {
    let mut decks = HashMap::new();
    for card in &package.cards {
        if let Some(deck) = package.decks.get(&card.deck) {
            decks.entry(card.note).or_insert_with(|| deck.clone());
        }
    }
    decks
}

fn most_common<'a>(names: impl Iterator<Item = &'a String>) -> Option<&'a String> {
    let mut counts: BTreeMap<&String, usize> = BTreeMap::new();
    for name in names {
        *counts.entry(name).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(name, count)| (count, std::cmp::Reverse(name)))
        .map(|(name, _)| name)
}

/// The cards of one note, added to `drafted`.
fn note_cards(
    note: &AnkiNote,
    cloze: bool,
    name: &str,
    drafted: &mut Vec<Drafted>,
    media: &mut usize,
) {
    let texts: Vec<String> = note
        .fields
        .iter()
        .map(|field| {
            let (text, found) = field_text(field);
            *media += found;
            text
        })
        .collect();
    let base = format!(
        "{name}-{:08x}",
        super::super::ids::hash64(&["anki", &note.guid]) as u32
    );
    let card = |id: String, content, rest: &[String]| {
        let rest: Vec<&str> = rest
            .iter()
            .map(String::as_str)
            .filter(|t| !t.is_empty())
            .collect();
        Drafted {
            id,
            note: note.id,
            content,
            explanation: if rest.is_empty() {
                NO_EXPLANATION.to_string()
            } else {
                rest.join("\n")
            },
            source: String::new(),
            tags: note.tags.clone(),
        }
    };
    if cloze {
        let Some(text) = texts.first() else { return };
        for number in cloze_numbers(text) {
            let content = vec![("text", cloze_card(text, number))];
            drafted.push(card(format!("{base}-c{number}"), content, &texts[1..]));
        }
    } else if texts.len() >= 2 && !texts[0].is_empty() && !texts[1].is_empty() {
        let content = vec![("front", texts[0].clone()), ("back", texts[1].clone())];
        drafted.push(card(base, content, &texts[2..]));
    }
}

/// An Anki cloze, `{{cN::answer}}` or `{{cN::answer::hint}}`, found in `text` at `start`:
/// its number, answer and the end of its `}}`.
fn cloze_at(text: &str, start: usize) -> Option<(u32, &str, usize)> {
    let rest = text[start..].strip_prefix("{{c")?;
    let digits = rest.find(|c: char| !c.is_ascii_digit())?;
    let number = rest[..digits].parse().ok()?;
    let inner = rest[digits..].strip_prefix("::")?;
    let close = inner.find("}}")?;
    let answer = inner[..close].split("::").next().unwrap_or_default();
    let end = text.len() - inner.len() + close + 2;
    Some((number, answer, end))
}

/// The cloze numbers of `text`, in order.
fn cloze_numbers(text: &str) -> Vec<u32> {
    let mut numbers = Vec::new();
    let mut at = 0;
    while let Some(found) = text[at..].find("{{c") {
        let start = at + found;
        match cloze_at(text, start) {
            Some((number, _, end)) => {
                if !numbers.contains(&number) {
                    numbers.push(number);
                }
                at = end;
            }
            None => at = start + 3,
        }
    }
    numbers.sort_unstable();
    numbers
}

/// The text of cloze card `number`: its clozes as our blanks (`{{answer}}`), the others
/// as their answers.
fn cloze_card(text: &str, number: u32) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(found) = text[at..].find("{{c") {
        let start = at + found;
        match cloze_at(text, start) {
            Some((n, answer, end)) => {
                out.push_str(&text[at..start]);
                let answer = answer.trim().replace('|', "/");
                if n == number {
                    out.push_str(&format!("{{{{{answer}}}}}"));
                } else {
                    out.push_str(&answer);
                }
                at = end;
            }
            None => {
                out.push_str(&text[at..start + 3]);
                at = start + 3;
            }
        }
    }
    out.push_str(&text[at..]);
    out
}

/// Keeps the cards the deck rules accept (a card they refuse is left out rather than
/// written broken), one per id; returns how many notes gave a card.
fn accepted(name: &str, title: &str, description: &str, drafted: &mut Vec<Drafted>) -> usize {
    let mut seen = HashSet::new();
    drafted.retain(|card| seen.insert(card.id.clone()));
    while !drafted.is_empty() {
        let yaml = render(title, description, drafted);
        let origin = DeckOrigin::File(format!("{name}.yaml").into());
        let Err(errors) = parse_deck(name, name, origin, yaml.as_bytes()) else {
            break;
        };
        let ids: Vec<&str> = drafted.iter().map(|c| c.id.as_str()).collect();
        let refused: HashSet<String> = errors.iter().filter_map(|e| e.card_id(&ids)).collect();
        let before = drafted.len();
        drafted.retain(|card| !refused.contains(&card.id));
        if drafted.len() == before {
            // A problem of the deck itself, which no card can fix.
            drafted.clear();
        }
    }
    drafted
        .iter()
        .map(|card| card.note)
        .collect::<HashSet<_>>()
        .len()
}

fn text(value: &str) -> Value {
    Value::String(value.to_string())
}

fn render(title: &str, description: &str, drafted: &[Drafted]) -> String {
    let cards = drafted.iter().map(|card| {
        let mut map = Mapping::new();
        map.insert(text("id"), text(&card.id));
        let kind = if card.content.len() == 1 {
            "cloze"
        } else {
            "flip"
        };
        map.insert(text("type"), text(kind));
        for (key, value) in &card.content {
            map.insert(text(key), text(value));
        }
        map.insert(text("explanation"), text(&card.explanation));
        map.insert(text("source"), text(&card.source));
        if !card.tags.is_empty() {
            map.insert(
                text("tags"),
                Value::Sequence(card.tags.iter().map(|t| text(t)).collect()),
            );
        }
        Value::Mapping(map)
    });
    let mut deck = Mapping::new();
    deck.insert(text("title"), text(title));
    deck.insert(text("description"), text(description));
    deck.insert(text("cards"), Value::Sequence(cards.collect()));
    serde_yaml::to_string(&Value::Mapping(deck)).expect("a mapping of texts serialises")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cloze_number_is_one_card_showing_the_others() {
        let text =
            "{{c1::Lupus}} is an {{c2::autoimmune::kind}} disease of {{c1::many}} organs {{c";
        assert_eq!(cloze_numbers(text), [1, 2]);
        assert_eq!(
            cloze_card(text, 1),
            "{{Lupus}} is an autoimmune disease of {{many}} organs {{c"
        );
        assert_eq!(
            cloze_card(text, 2),
            "Lupus is an {{autoimmune}} disease of many organs {{c"
        );
    }
}
