//! How hard a deck is to read (`check --readability`): the Flesch–Kincaid grade level of
//! its questions, answers, explanations and notes, as the Python package `textstat` 0.7.3
//! computes it ([`grade_level`]), so that an author can hold a deck to the grade 6–8 that
//! patient materials aim at.

mod grade_level;
mod syllables;

use crate::deck::{Card, CardContent, render_cloze};

pub(crate) use grade_level::flesch_kincaid;

/// Fields shorter than this many words (a one-word answer, "True") are not measured: the
/// formula means nothing on them.
pub(crate) const MIN_WORDS: usize = 3;

/// What a measured text is to the learner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Question,
    Answer,
    Explanation,
    Note,
}

impl Field {
    pub(crate) const ALL: [Field; 4] = [
        Field::Question,
        Field::Answer,
        Field::Explanation,
        Field::Note,
    ];

    /// The field's name in the report, in the plural: "questions".
    pub(crate) fn plural(self) -> &'static str {
        match self {
            Field::Question => "questions",
            Field::Answer => "answers",
            Field::Explanation => "explanations",
            Field::Note => "notes",
        }
    }

    /// One of them: "question".
    pub(crate) fn singular(self) -> &'static str {
        match self {
            Field::Question => "question",
            Field::Answer => "answer",
            Field::Explanation => "explanation",
            Field::Note => "note",
        }
    }
}

/// One text of a card as the learner reads it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct CardText {
    pub field: Field,
    /// The key it is written under in the deck file (`front`, `correct`, `text`, ...).
    pub key: &'static str,
    pub text: String,
}

/// The texts of `card` a learner reads: the question (a cloze text with each blank filled
/// with its first answer, as it reads once answered), the right answers (a flip card's
/// back, a choice's answer, each correct option or item, the first accepted typed answer),
/// the explanation and the note. Wrong options are not answers and are left out.
pub(crate) fn card_texts(card: &Card) -> Vec<CardText> {
    let mut texts = Vec::new();
    let mut add = |field, key, text: &str| {
        texts.push(CardText {
            field,
            key,
            text: text.to_string(),
        })
    };
    match &card.content {
        CardContent::Flip { front, back } => {
            add(Field::Question, "front", front);
            add(Field::Answer, "back", back);
        }
        CardContent::Choice {
            question, answer, ..
        } => {
            add(Field::Question, "question", question);
            add(Field::Answer, "answer", answer);
        }
        CardContent::Multi {
            question, correct, ..
        } => {
            add(Field::Question, "question", question);
            for option in correct {
                add(Field::Answer, "correct", option);
            }
        }
        CardContent::TrueFalse { statement, .. } => add(Field::Question, "statement", statement),
        CardContent::Typed { question, answers } => {
            add(Field::Question, "question", question);
            add(Field::Answer, "answers", &answers[0]);
        }
        CardContent::Order { question, items } => {
            add(Field::Question, "question", question);
            for item in items {
                add(Field::Answer, "items", item);
            }
        }
        CardContent::Cloze { text, blanks } => {
            let filled = render_cloze(text, |i| blanks[i][0].clone());
            add(Field::Question, "text", &filled);
        }
    }
    add(Field::Explanation, "explanation", &card.explanation);
    if let Some(note) = &card.note {
        add(Field::Note, "note", note);
    }
    texts
}

/// One measured field: where it is, and its grade level.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measured {
    pub card: String,
    pub field: Field,
    /// Where it is written, `file:line` (or the file and the card when the line is unknown).
    pub place: String,
    pub text: String,
    pub grade: f64,
}

/// Every field of `cards` of [`MIN_WORDS`] words or more, measured; `place` says where a
/// card's field (by card position and key) is written.
pub(crate) fn measure<'c>(
    cards: impl IntoIterator<Item = &'c Card>,
    place: impl Fn(usize, &str) -> String,
) -> Vec<Measured> {
    let mut measured = Vec::new();
    for (position, card) in cards.into_iter().enumerate() {
        for CardText { field, key, text } in card_texts(card) {
            if grade_level::word_count(&text) < MIN_WORDS {
                continue;
            }
            measured.push(Measured {
                card: card.id.to_string(),
                field,
                place: place(position, key),
                grade: flesch_kincaid(&text),
                text,
            });
        }
    }
    measured
}

/// The figures of one field over a deck or several.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Figures {
    pub count: usize,
    pub median: f64,
    pub p90: f64,
}

/// The median and 90th percentile of the grades of `field` in `measured`, `None` when no
/// field of that kind is long enough to measure.
pub(crate) fn figures(measured: &[Measured], field: Field) -> Option<Figures> {
    let mut grades: Vec<f64> = measured
        .iter()
        .filter(|m| m.field == field)
        .map(|m| m.grade)
        .collect();
    if grades.is_empty() {
        return None;
    }
    grades.sort_by(f64::total_cmp);
    Some(Figures {
        count: grades.len(),
        median: quantile(&grades, 1, 2),
        p90: quantile(&grades, 9, 10),
    })
}

/// The `numerator / denominator` quantile of sorted, non-empty `values` as Python's
/// `statistics.quantiles` computes it by default (the "exclusive" or Weibull method: the
/// value at rank `q × (n + 1)`, interpolated between neighbours), held within the smallest
/// and the largest value. The reviews that set the targets used it; the one half is the
/// ordinary median.
fn quantile(values: &[f64], numerator: usize, denominator: usize) -> f64 {
    let n = values.len();
    let scaled = numerator * (n + 1);
    let rank = scaled / denominator;
    if rank < 1 {
        return values[0];
    }
    if rank >= n {
        return values[n - 1];
    }
    // Integer weights, as Python's, so that a quantile that is a value is that value.
    let delta = (scaled - rank * denominator) as f64;
    (values[rank - 1] * (denominator as f64 - delta) + values[rank] * delta) / denominator as f64
}

/// The `n` hardest of `measured`, hardest first (ties in deck order).
pub(crate) fn hardest(measured: &[Measured], n: usize) -> Vec<&Measured> {
    let mut sorted: Vec<&Measured> = measured.iter().collect();
    sorted.sort_by(|a, b| b.grade.total_cmp(&a.grade));
    sorted.truncate(n);
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measured(field: Field, grade: f64) -> Measured {
        Measured {
            card: "c".into(),
            field,
            place: "deck.yaml:1".into(),
            text: "a b c".into(),
            grade,
        }
    }

    #[test]
    fn median_and_90th_percentile_are_those_of_python_statistics() {
        let grades = |values: &[f64]| -> Vec<Measured> {
            values
                .iter()
                .map(|&g| measured(Field::Question, g))
                .collect()
        };
        // statistics.median and statistics.quantiles(data, n=10)[-1] of the same values.
        let ten = grades(&[4.0, 1.0, 3.0, 2.0, 10.0, 6.5, 7.0, 8.0, 9.0, 5.0]);
        let figures = figures(&ten, Field::Question).unwrap();
        assert_eq!(figures.count, 10);
        assert_eq!(figures.median, 5.75);
        assert!((figures.p90 - 9.9).abs() < 1e-9, "{}", figures.p90);
        let odd = super::figures(&grades(&[3.0, 1.0, 2.0]), Field::Question).unwrap();
        assert_eq!((odd.median, odd.p90), (2.0, 3.0), "held within the values");
        let one = super::figures(&grades(&[4.2]), Field::Question).unwrap();
        assert_eq!((one.median, one.p90), (4.2, 4.2));
        assert_eq!(super::figures(&ten, Field::Note), None);
    }

    #[test]
    fn short_fields_are_not_measured_and_cloze_blanks_read_filled() {
        let card = Card {
            id: "c".into(),
            content: CardContent::Cloze {
                text: "Lupus is a {{chronic|long-lasting}} disease of the immune system.".into(),
                blanks: vec![vec!["chronic".into(), "long-lasting".into()]],
            },
            explanation: "It lasts.".into(),
            source: "Introduction".into(),
            origin: None,
            note: None,
            references: Vec::new(),
            tags: Vec::new(),
        };
        let texts = card_texts(&card);
        assert_eq!(
            texts[0].text,
            "Lupus is a chronic disease of the immune system."
        );
        let measured = measure([&card], |position, key| format!("{position}:{key}"));
        assert_eq!(measured.len(), 1, "the two-word explanation is left out");
        assert_eq!(measured[0].place, "0:text");
        assert_eq!(measured[0].field, Field::Question);
    }
}
