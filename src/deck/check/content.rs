//! The fields of each card type (a flip card's front and back, a choice card's answer and
//! distractors, ...), with the rules of each type.

use serde_yaml::{Mapping, Value};

use super::{Checker, Place};
use crate::deck::error::{CardRef, DeckErrorKind};
use crate::deck::model::{CardContent, CardType};
use crate::deck::rules::{self, describe, parse_cloze};

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
    pub(super) fn content(
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
}
