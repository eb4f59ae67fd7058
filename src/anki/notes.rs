//! What each lupus-quiz card becomes in Anki: a note of one of our note types, its fields
//! as escaped HTML, and its tags.

use super::html::{
    self,
    Marks::{Bullets, Letters, Numbers},
};
use super::ids::hash64;
use super::notetypes::{self, NoteType};
use crate::deck::{Card, CardContent, Deck};

/// The note of one card, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Note {
    pub note_type: &'static NoteType,
    /// One HTML value per field of the note type, in its order.
    pub fields: Vec<String>,
    pub tags: Vec<String>,
}

/// The note for `card` of `deck`.
pub(super) fn note_for(deck: &Deck, card: &Card) -> Note {
    let (note_type, mut fields) = own_fields(card);
    fields.extend([
        html::text(&card.explanation),
        card.note.as_deref().map(html::text).unwrap_or_default(),
        html::references(&card.references),
        html::text(&card.source_shown(&deck.origin)),
        html::text(card.id.as_str()),
    ]);
    debug_assert_eq!(fields.len(), note_type.fields.len(), "{}", note_type.name);
    Note {
        note_type,
        fields,
        tags: tags(deck, card),
    }
}

/// The note type of a card and the fields that come before the shared context fields.
fn own_fields(card: &Card) -> (&'static NoteType, Vec<String>) {
    match &card.content {
        CardContent::Flip { front, back } => {
            (&notetypes::FLIP, vec![html::text(front), html::text(back)])
        }
        CardContent::Typed { question, answers } => (
            &notetypes::TYPED,
            vec![
                html::text(question),
                html::text(&answers[0]),
                html::text(&answers[1..].join(", ")),
            ],
        ),
        CardContent::Cloze { text, blanks } => (
            &notetypes::CLOZE,
            vec![cloze_text(text, blanks), also_accepted_in_blanks(blanks)],
        ),
        CardContent::Choice {
            question,
            answer,
            distractors,
        } => (
            &notetypes::OPTIONS,
            choice(card.id.as_str(), question, answer, distractors),
        ),
        CardContent::TrueFalse { statement, answer } => {
            let options = ["True".to_string(), "False".to_string()];
            let answer = if *answer { "True" } else { "False" };
            (
                &notetypes::OPTIONS,
                options_fields(statement, "True or false?", &options, answer.to_string()),
            )
        }
        CardContent::Multi {
            question,
            correct,
            wrong,
        } => (
            &notetypes::OPTIONS,
            multi(card.id.as_str(), question, correct, wrong),
        ),
        CardContent::Order { question, items } => (
            &notetypes::OPTIONS,
            order(card.id.as_str(), question, items),
        ),
    }
}

/// One right answer among shuffled distractors; the back names its letter.
fn choice(card_id: &str, question: &str, answer: &str, distractors: &[String]) -> Vec<String> {
    let mut options = vec![answer.to_string()];
    options.extend(distractors.iter().cloned());
    let options = shuffled(card_id, options);
    let right = options
        .iter()
        .position(|o| o == answer)
        .expect("the answer is an option");
    let answer = format!("{}. {}", html::letter(right), html::text(answer));
    options_fields(question, "Choose one.", &options, answer)
}

/// Right and wrong options shuffled together; the back lists the right ones with letters.
fn multi(card_id: &str, question: &str, correct: &[String], wrong: &[String]) -> Vec<String> {
    let mut options = correct.to_vec();
    options.extend(wrong.iter().cloned());
    let options = shuffled(card_id, options);
    let right: Vec<String> = options
        .iter()
        .enumerate()
        .filter(|(_, o)| correct.contains(o))
        .map(|(i, o)| format!("{}. {o}", html::letter(i)))
        .collect();
    let answer = html::list(&right, Bullets);
    options_fields(question, "Select all that apply.", &options, answer)
}

/// The items shuffled; the back numbers them in the right order.
fn order(card_id: &str, question: &str, items: &[String]) -> Vec<String> {
    let mut shown = shuffled(card_id, items.to_vec());
    if shown == items {
        // A shuffle that happens to give the answer away is turned by one.
        shown.rotate_left(1);
    }
    let answer = html::list(items, Numbers);
    options_fields(question, "Put these in the right order.", &shown, answer)
}

/// The tags of a card's note: `lupus-quiz::<deck>`, then the card's own. Anki splits tags at
/// spaces, so spaces inside one become `_`.
pub(super) fn tags(deck: &Deck, card: &Card) -> Vec<String> {
    let mut tags = vec![format!("lupus-quiz::{}", tag_word(deck.name.as_str()))];
    for tag in &card.tags {
        let tag = tag_word(tag);
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

fn tag_word(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join("_")
}

fn options_fields(
    question: &str,
    instruction: &str,
    options: &[String],
    answer: String,
) -> Vec<String> {
    vec![
        html::text(question),
        html::text(instruction),
        html::list(options, Letters),
        answer,
    ]
}

/// `options` in an order fixed by the card id: shuffled, and the same in every export (a
/// learner who saw "B" yesterday sees "B" today). Sorting by a hash, not by a random number
/// generator, keeps the order even across versions of `rand`.
pub(super) fn shuffled(card_id: &str, mut options: Vec<String>) -> Vec<String> {
    options.sort_by_cached_key(|option| {
        (
            hash64(&["lupus-quiz", "shuffle", card_id, option]),
            option.clone(),
        )
    });
    options
}

/// The cloze text with every blank as `{{c1::…}}` holding its first accepted answer.
/// Braces and `::` elsewhere are written as entities, so Anki's cloze parser sees only our
/// blanks.
fn cloze_text(text: &str, blanks: &[Vec<String>]) -> String {
    let mut out = String::new();
    let mut rest = text;
    let mut index = 0;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        out.push_str(&cloze_safe(&rest[..open]));
        let answer = blanks
            .get(index)
            .and_then(|b| b.first())
            .map_or("", String::as_str);
        out.push_str("{{c1::");
        out.push_str(&cloze_safe(answer));
        out.push_str("}}");
        index += 1;
        rest = &after[close + 2..];
    }
    out.push_str(&cloze_safe(rest));
    out
}

fn cloze_safe(text: &str) -> String {
    html::text(text)
        .replace('{', "&#123;")
        .replace('}', "&#125;")
        .replace("::", ":&#58;")
}

/// The other spellings accepted for each blank, as "mobilization: mobilisation; …".
fn also_accepted_in_blanks(blanks: &[Vec<String>]) -> String {
    let parts: Vec<String> = blanks
        .iter()
        .filter(|answers| answers.len() > 1)
        .map(|answers| format!("{}: {}", answers[0], answers[1..].join(", ")))
        .collect();
    html::text(&parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card(content: CardContent) -> Card {
        Card {
            id: "test-card".into(),
            content,
            explanation: "Because <b>.".into(),
            source: "Introduction".into(),
            origin: None,
            note: None,
            references: Vec::new(),
            tags: vec!["key term".into(), "hsct".into()],
        }
    }

    fn deck() -> Deck {
        Deck {
            name: "hsct".into(),
            title: "HSCT".into(),
            description: String::new(),
            cards: Vec::new().into(),
            origin: crate::deck::DeckOrigin::Builtin,
            questions_to_ask: Vec::new(),
        }
    }

    #[test]
    fn a_cloze_blanks_every_gap_as_one_card_and_lists_other_spellings() {
        let note = note_for(
            &deck(),
            &card(CardContent::Cloze {
                text: "Cells {{go|move}} into {{blood}} {a::b}.".into(),
                blanks: vec![vec!["go".into(), "move".into()], vec!["blood".into()]],
            }),
        );
        assert_eq!(note.note_type.name, notetypes::CLOZE.name);
        assert_eq!(
            note.fields[0],
            "Cells {{c1::go}} into {{c1::blood}} &#123;a:&#58;b&#125;."
        );
        assert_eq!(note.fields[1], "go: move");
        assert_eq!(note.fields[2], "Because &lt;b&gt;.");
        assert_eq!(note.tags, ["lupus-quiz::hsct", "key_term", "hsct"]);
    }

    #[test]
    fn options_are_shuffled_the_same_way_every_time_and_the_answer_follows() {
        let content = CardContent::Choice {
            question: "Q?".into(),
            answer: "Right".into(),
            distractors: vec!["W1".into(), "W2".into(), "W3".into()],
        };
        let first = note_for(&deck(), &card(content.clone()));
        assert_eq!(first, note_for(&deck(), &card(content)));
        let options = first.fields[2].clone();
        let letter = first.fields[3].chars().next().unwrap();
        let position = (letter as u8 - b'A') as usize;
        let items: Vec<&str> = options.split("<li>").skip(1).collect();
        assert!(
            items[position].starts_with("Right"),
            "{options} / {}",
            first.fields[3]
        );
    }

    #[test]
    fn an_order_card_never_shows_its_answer_as_the_question() {
        for n in 0..50 {
            let items: Vec<String> = vec![format!("a{n}"), format!("b{n}")];
            let note = note_for(
                &deck(),
                &card(CardContent::Order {
                    question: "Order?".into(),
                    items: items.clone(),
                }),
            );
            assert_ne!(note.fields[2], html::list(&items, Letters));
        }
    }
}
