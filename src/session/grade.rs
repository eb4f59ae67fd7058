//! Presenting a card (shuffling its options) and grading what the learner answered.

use rand::Rng;
use rand::seq::SliceRandom;

use super::prompter::{Input, Question};
use crate::deck::{Card, CardContent, Deck, render_cloze};
use crate::text::{normalize_answer, typo_distance};

/// A card as shown: the question, and what is needed to grade an answer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Presented {
    pub question: Question,
    /// For shuffled options: the card's option index of each shown option.
    pub order: Vec<usize>,
}

/// The result of grading one answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Outcome {
    pub correct: bool,
    /// Lines to show: the right answer, the exact spelling of a near miss, what was missed.
    pub details: Vec<String>,
}

/// Shuffles the card's options with `rng` and builds the question.
pub(crate) fn present(card: &Card, rng: &mut impl Rng) -> Presented {
    let shown = |question: Question| Presented {
        question,
        order: Vec::new(),
    };
    match &card.content {
        CardContent::Flip { front, .. } => shown(Question::Flip {
            front: front.clone(),
        }),
        CardContent::Choice {
            question,
            answer,
            distractors,
        } => {
            let (options, order) = shuffled(std::iter::once(answer).chain(distractors), rng);
            Presented {
                question: Question::Choice {
                    prompt: question.clone(),
                    options,
                },
                order,
            }
        }
        CardContent::Multi {
            question,
            correct,
            wrong,
        } => {
            let (options, order) = shuffled(correct.iter().chain(wrong), rng);
            Presented {
                question: Question::Multi {
                    prompt: question.clone(),
                    options,
                },
                order,
            }
        }
        CardContent::TrueFalse { statement, .. } => Presented {
            question: Question::TrueFalse {
                statement: statement.clone(),
            },
            order: vec![0, 1],
        },
        CardContent::Typed { question, .. } => shown(Question::Typed {
            prompt: question.clone(),
        }),
        CardContent::Cloze { text, blanks } => shown(Question::Cloze {
            text: render_cloze(text, |i| format!("[{}]", i + 1)),
            blanks: blanks.len(),
        }),
        CardContent::Order { question, items } => present_order(question, items, rng),
    }
}

/// The options in a shuffled order, and that order (shown position to option index).
fn shuffled<'o>(
    options: impl Iterator<Item = &'o String>,
    rng: &mut impl Rng,
) -> (Vec<String>, Vec<usize>) {
    let options: Vec<&String> = options.collect();
    let mut order: Vec<usize> = (0..options.len()).collect();
    order.shuffle(rng);
    let shown = order.iter().map(|&i| options[i].clone()).collect();
    (shown, order)
}

fn present_order(question: &str, items: &[String], rng: &mut impl Rng) -> Presented {
    let (mut shown, mut order) = shuffled(items.iter(), rng);
    // A shuffle that happens to be the answer teaches nothing.
    if order.len() > 1 && order.iter().enumerate().all(|(i, &o)| i == o) {
        order.rotate_left(1);
        shown.rotate_left(1);
    }
    Presented {
        question: Question::Order {
            prompt: question.to_string(),
            items: shown,
        },
        order,
    }
}

/// Where a card's text comes from, as shown after an answer: a built-in card's section of
/// the article says so; a card of the learner's own deck has only its own source.
pub(crate) fn source_label(deck: &Deck, card: &Card) -> String {
    card.source_shown(&deck.origin)
}

/// The card's right answer in one line, for summaries and feedback.
pub(crate) fn right_answer(card: &Card) -> String {
    match &card.content {
        CardContent::Flip { back, .. } => back.clone(),
        CardContent::Choice { answer, .. } => answer.clone(),
        CardContent::Multi { correct, .. } => correct.join("; "),
        CardContent::TrueFalse { answer, .. } => if *answer { "True" } else { "False" }.to_string(),
        CardContent::Typed { answers, .. } => answers[0].clone(),
        CardContent::Cloze { blanks, .. } => blanks
            .iter()
            .map(|answers| answers[0].as_str())
            .collect::<Vec<_>>()
            .join("; "),
        CardContent::Order { items, .. } => items.join(", then "),
    }
}

/// Grades an answer to an objective card. `Reveal` (flip) and `GaveUp` are never right.
pub(crate) fn grade(card: &Card, presented: &Presented, input: &Input) -> Outcome {
    let wrong_with_answer = || Outcome {
        correct: false,
        details: vec![format!("Correct answer: {}", right_answer(card))],
    };
    match (&card.content, input) {
        (CardContent::Choice { .. }, Input::Choice(shown)) => {
            if presented.order.get(*shown) == Some(&0) {
                Outcome {
                    correct: true,
                    details: Vec::new(),
                }
            } else {
                wrong_with_answer()
            }
        }
        (CardContent::TrueFalse { answer, .. }, Input::Choice(shown)) => {
            let said_true = *shown == 0;
            if said_true == *answer {
                Outcome {
                    correct: true,
                    details: Vec::new(),
                }
            } else {
                wrong_with_answer()
            }
        }
        (CardContent::Multi { correct, wrong, .. }, Input::Multi(selected)) => {
            grade_multi(correct, wrong, &presented.order, selected)
        }
        (CardContent::Typed { question, answers }, Input::Text(text)) => {
            let outcome = match_typed_beside(answers, text, &typed_blank_context(question));
            match outcome {
                TypedMatch::Exact => Outcome {
                    correct: true,
                    details: Vec::new(),
                },
                TypedMatch::NearMiss(spelling) => Outcome {
                    correct: true,
                    details: vec![format!("Almost: the exact spelling is \"{spelling}\"")],
                },
                TypedMatch::Wrong => wrong_with_answer(),
            }
        }
        (CardContent::Cloze { text, blanks }, Input::Texts(texts)) => {
            grade_cloze(text, blanks, texts)
        }
        (CardContent::Cloze { text, blanks }, Input::Text(typed)) if blanks.len() == 1 => {
            grade_cloze(text, blanks, std::slice::from_ref(typed))
        }
        (CardContent::Order { items, .. }, Input::Order(positions)) => {
            grade_order(items, &presented.order, positions)
        }
        _ => wrong_with_answer(),
    }
}

/// How a typed answer compares with the accepted ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypedMatch {
    Exact,
    /// One typo away from this accepted answer (of five or more letters).
    NearMiss(String),
    Wrong,
}

/// The longest typed answer a prompt takes: far above any answer of a deck, and short
/// enough that comparing it with one costs nothing.
pub(crate) const MAX_ANSWER_CHARS: usize = 1000;

/// What the learner is told when a typed answer is over [`MAX_ANSWER_CHARS`].
pub(crate) fn answer_too_long(text: &str) -> Option<String> {
    (text.chars().count() > MAX_ANSWER_CHARS).then(|| {
        "That answer is over 1,000 characters; type a shorter one (or q to quit).".to_string()
    })
}

/// Compares ignoring case, accents, punctuation and extra spaces, and forgives one typo in
/// answers of five or more letters.
pub(crate) fn match_typed(accepted: &[String], typed: &str) -> TypedMatch {
    let typed = normalize_answer(typed);
    if typed.is_empty() {
        return TypedMatch::Wrong;
    }
    let typed_chars = typed.chars().count();
    let mut near = None;
    for answer in accepted {
        let folded = normalize_answer(answer);
        if folded == typed {
            return TypedMatch::Exact;
        }
        let letters = folded.chars().filter(|c| c.is_alphanumeric()).count();
        // One typo changes the length by one at most: texts further apart are not compared.
        let close_in_length = folded.chars().count().abs_diff(typed_chars) <= 1;
        if near.is_none() && letters >= 5 && close_in_length && typo_distance(&folded, &typed) <= 1
        {
            near = Some(answer.clone());
        }
    }
    near.map_or(TypedMatch::Wrong, TypedMatch::NearMiss)
}

/// The words printed right before and right after a blank, normalised as answers are
/// ([`normalize_answer`]), within the blank's clause: what a learner may type along with the
/// missing word ("mesenchymal stem cells" for "____ stem cells") without being wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Beside {
    before: Vec<String>,
    after: Vec<String>,
}

/// Where a clause ends around a blank: words past these are not "right beside" it.
fn ends_clause(ch: char) -> bool {
    matches!(
        ch,
        '.' | '?' | '!' | ':' | ';' | ',' | '(' | ')' | '[' | ']' | '"' | '“' | '”'
    )
}

impl Beside {
    /// The words of `before` (the text up to the blank) and `after` (the text from it).
    fn new(before: &str, after: &str) -> Beside {
        let before = before.rsplit(ends_clause).next().unwrap_or("");
        let after = after.split(ends_clause).next().unwrap_or("");
        let words = |text: &str| -> Vec<String> {
            normalize_answer(text)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        };
        Beside {
            before: words(before),
            after: words(after),
        }
    }
}

/// The words beside the blank of a typed question, written as a run of two or more `_`
/// ("… are called ____ stem cells."); none when the question has no blank, or several.
pub(crate) fn typed_blank_context(question: &str) -> Beside {
    let runs: Vec<(usize, usize)> = blank_runs(question);
    match runs.as_slice() {
        [(start, end)] => Beside::new(&question[..*start], &question[*end..]),
        _ => Beside::default(),
    }
}

/// Where the runs of two or more `_` of `text` start and end (byte offsets).
fn blank_runs(text: &str) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (at, ch) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (ch == '_', start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                if at - from >= 2 {
                    runs.push((from, at));
                }
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// The words beside each `{{…}}` blank of a cloze text, in order.
pub(crate) fn cloze_contexts(text: &str) -> Vec<Beside> {
    // The text between blanks, and where each blank sits in it.
    let mut pieces: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        pieces.push(&rest[..open]);
        rest = &after[close + 2..];
    }
    pieces.push(rest);
    pieces
        .windows(2)
        .map(|pair| Beside::new(pair[0], pair[1]))
        .collect()
}

/// [`match_typed`], forgiving the words printed beside the blank: an answer that starts
/// with the end of the words before it, or ends with the start of the words after it, is
/// judged by what is left ("mesenchymal stem cells" for "____ stem cells" is right). The
/// words beside are shown, so typing them proves nothing and costs nothing: each is
/// matched ignoring case and accents, and, from four letters, one typo ("cell" for
/// "cells").
pub(crate) fn match_typed_beside(accepted: &[String], typed: &str, beside: &Beside) -> TypedMatch {
    let whole = match_typed(accepted, typed);
    if whole == TypedMatch::Exact || (beside.before.is_empty() && beside.after.is_empty()) {
        return whole;
    }
    let normalized = normalize_answer(typed);
    let words: Vec<&str> = normalized.split(' ').filter(|w| !w.is_empty()).collect();
    let same = |typed: &[&str], shown: &[String]| {
        typed
            .iter()
            .zip(shown)
            .all(|(t, s)| *t == s.as_str() || (s.chars().count() >= 4 && typo_distance(t, s) <= 1))
    };
    let mut best = whole;
    for lead in 0..=beside.before.len().min(words.len()) {
        let shown_before = &beside.before[beside.before.len() - lead..];
        if !same(&words[..lead], shown_before) {
            continue;
        }
        for trail in 0..=beside.after.len().min(words.len() - lead) {
            if lead + trail == 0 || lead + trail == words.len() {
                continue;
            }
            if !same(&words[words.len() - trail..], &beside.after[..trail]) {
                continue;
            }
            match match_typed(accepted, &words[lead..words.len() - trail].join(" ")) {
                TypedMatch::Exact => return TypedMatch::Exact,
                near @ TypedMatch::NearMiss(_) if best == TypedMatch::Wrong => best = near,
                _ => {}
            }
        }
    }
    best
}

fn grade_multi(
    correct: &[String],
    wrong: &[String],
    order: &[usize],
    selected: &[usize],
) -> Outcome {
    let picked: Vec<usize> = selected
        .iter()
        .filter_map(|&shown| order.get(shown).copied())
        .collect();
    let missed: Vec<&str> = (0..correct.len())
        .filter(|i| !picked.contains(i))
        .map(|i| correct[i].as_str())
        .collect();
    let wrong_picks: Vec<&str> = picked
        .iter()
        .filter(|&&i| i >= correct.len())
        .filter_map(|&i| wrong.get(i - correct.len()).map(String::as_str))
        .collect();
    let mut details = Vec::new();
    if !missed.is_empty() || !wrong_picks.is_empty() {
        details.push(format!("Correct: {}", correct.join("; ")));
    }
    if !missed.is_empty() {
        details.push(format!("Missed: {}", missed.join("; ")));
    }
    if !wrong_picks.is_empty() {
        details.push(format!("Wrongly selected: {}", wrong_picks.join("; ")));
    }
    Outcome {
        correct: missed.is_empty() && wrong_picks.is_empty(),
        details,
    }
}

fn grade_cloze(text: &str, blanks: &[Vec<String>], texts: &[String]) -> Outcome {
    let mut correct = true;
    let mut details = Vec::new();
    let contexts = cloze_contexts(text);
    for (number, accepted) in blanks.iter().enumerate() {
        let typed = texts.get(number).map(String::as_str).unwrap_or("");
        let beside = contexts.get(number).cloned().unwrap_or_default();
        match match_typed_beside(accepted, typed, &beside) {
            TypedMatch::Exact => {}
            TypedMatch::NearMiss(spelling) => {
                details.push(format!(
                    "[{}] almost: the exact spelling is \"{spelling}\"",
                    number + 1
                ));
            }
            TypedMatch::Wrong => {
                correct = false;
                details.push(format!("[{}] {}", number + 1, accepted[0]));
            }
        }
    }
    if !correct {
        if let [only] = blanks {
            // One blank: one line, as every other type says its right answer.
            details = vec![format!("Correct answer: {}", only[0])];
        } else {
            details.insert(0, "Correct answer:".to_string());
        }
    }
    Outcome { correct, details }
}

fn grade_order(items: &[String], order: &[usize], positions: &[usize]) -> Outcome {
    // The card index of the item the learner put in each place.
    let placed: Vec<usize> = positions
        .iter()
        .filter_map(|&shown| order.get(shown).copied())
        .collect();
    let correct =
        placed.len() == items.len() && placed.iter().enumerate().all(|(i, &card)| i == card);
    if correct {
        return Outcome {
            correct,
            details: Vec::new(),
        };
    }
    let mut details = vec!["Right order (✗ where yours differs):".to_string()];
    for (place, item) in items.iter().enumerate() {
        let mark = if placed.get(place) == Some(&place) {
            "✓"
        } else {
            "✗"
        };
        details.push(format!("  {}. {item} {mark}", place + 1));
    }
    Outcome { correct, details }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn card(content: CardContent) -> Card {
        Card {
            id: "t-card".into(),
            content,
            explanation: "Because.".into(),
            source: "Introduction".into(),
            origin: None,
            note: None,
            references: Vec::new(),
            tags: Vec::new(),
        }
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    fn rng() -> rand::rngs::StdRng {
        rand::rngs::StdRng::seed_from_u64(7)
    }

    #[test]
    fn a_built_in_card_beyond_the_article_is_not_said_to_come_from_it() {
        let mut beyond = card(CardContent::TrueFalse {
            statement: "S".into(),
            answer: true,
        });
        let builtin = crate::deck::DeckOrigin::Builtin;
        assert_eq!(beyond.source_shown(&builtin), "Introduction (article)");
        beyond.source = crate::deck::BEYOND_THE_ARTICLE.into();
        assert_eq!(
            beyond.source_shown(&builtin),
            "Beyond the article (see note)"
        );
        let own = crate::deck::DeckOrigin::File("own.yaml".into());
        assert_eq!(beyond.source_shown(&own), "Beyond the article (see note)");
    }

    #[test]
    fn choice_is_right_only_for_the_answer_wherever_it_was_shuffled() {
        let card = card(CardContent::Choice {
            question: "Q".into(),
            answer: "Right".into(),
            distractors: strings(&["W1", "W2", "W3"]),
        });
        let presented = present(&card, &mut rng());
        let Question::Choice { options, .. } = &presented.question else {
            panic!()
        };
        let right = options.iter().position(|o| o == "Right").unwrap();
        assert!(grade(&card, &presented, &Input::Choice(right)).correct);
        let wrong = (right + 1) % options.len();
        let outcome = grade(&card, &presented, &Input::Choice(wrong));
        assert!(!outcome.correct);
        assert_eq!(outcome.details, vec!["Correct answer: Right"]);
    }

    #[test]
    fn truefalse_grades_both_ways() {
        let card = card(CardContent::TrueFalse {
            statement: "S".into(),
            answer: false,
        });
        let presented = present(&card, &mut rng());
        assert!(grade(&card, &presented, &Input::Choice(1)).correct);
        assert!(!grade(&card, &presented, &Input::Choice(0)).correct);
    }

    #[test]
    fn multi_needs_exactly_the_correct_set_and_says_what_was_missed() {
        let card = card(CardContent::Multi {
            question: "Q".into(),
            correct: strings(&["Skin", "Joints"]),
            wrong: strings(&["Paper"]),
        });
        let presented = present(&card, &mut rng());
        let Question::Multi { options, .. } = &presented.question else {
            panic!()
        };
        let at = |name: &str| options.iter().position(|o| o == name).unwrap();
        assert!(
            grade(
                &card,
                &presented,
                &Input::Multi(vec![at("Skin"), at("Joints")])
            )
            .correct
        );
        let outcome = grade(
            &card,
            &presented,
            &Input::Multi(vec![at("Skin"), at("Paper")]),
        );
        assert!(!outcome.correct);
        assert_eq!(
            outcome.details,
            vec![
                "Correct: Skin; Joints",
                "Missed: Joints",
                "Wrongly selected: Paper"
            ]
        );
    }

    /// The whole table, as the distance was computed before it kept three rows.
    fn full_table_distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in d.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in d[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (d[i - 1][j] + 1)
                    .min(d[i][j - 1] + 1)
                    .min(d[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        d[a.len()][b.len()]
    }

    proptest::proptest! {
        #[test]
        fn the_typo_distance_in_three_rows_equals_the_full_table(a in "[abc]{0,12}", b in "[abc]{0,12}") {
            proptest::prop_assert_eq!(crate::text::typo_distance(&a, &b), full_table_distance(&a, &b));
        }
    }

    #[test]
    fn a_huge_typed_answer_is_compared_without_the_typo_distance() {
        let accepted = strings(&["conditioning"]);
        let huge = "conditionin".repeat(100_000);
        assert_eq!(match_typed(&accepted, &huge), TypedMatch::Wrong);
        assert!(answer_too_long(&"é".repeat(1000)).is_none());
        assert_eq!(
            answer_too_long(&"é".repeat(1001)).unwrap(),
            "That answer is over 1,000 characters; type a shorter one (or q to quit)."
        );
    }

    #[test]
    fn typed_forgives_case_accents_spacing_and_one_typo_in_long_answers() {
        let accepted = strings(&["hematopoietic", "haematopoietic"]);
        assert_eq!(
            match_typed(&accepted, "  HÉMATOPOIETIC "),
            TypedMatch::Exact
        );
        assert_eq!(
            match_typed(&accepted, "hematopoeitic"),
            TypedMatch::NearMiss("hematopoietic".into())
        );
        assert_eq!(match_typed(&accepted, "hemopoietic"), TypedMatch::Wrong);
        let short = strings(&["MSC"]);
        assert_eq!(
            match_typed(&short, "msd"),
            TypedMatch::Wrong,
            "no typo allowance under 5 letters"
        );
        assert_eq!(match_typed(&short, ""), TypedMatch::Wrong);
    }

    #[test]
    fn typing_the_words_shown_beside_a_typed_blank_is_right() {
        let msc = strings(&["mesenchymal"]);
        let question =
            "The abbreviation MSCs stands for ____ stem cells. What is the missing word?";
        let beside = typed_blank_context(question);
        let judge = |typed: &str| match_typed_beside(&msc, typed, &beside);
        assert_eq!(judge("mesenchymal"), TypedMatch::Exact);
        assert_eq!(judge("Mesenchymal stem cells"), TypedMatch::Exact);
        assert_eq!(
            judge("mesenchymal stem cell"),
            TypedMatch::Exact,
            "a typo in a shown word"
        );
        assert_eq!(judge("mesenchymal stem"), TypedMatch::Exact);
        assert_eq!(
            judge("stands for mesenchymal stem cells"),
            TypedMatch::Exact
        );
        assert_eq!(
            judge("mesenchimal stem cells"),
            TypedMatch::NearMiss("mesenchymal".into()),
            "the missing word keeps its own typo allowance"
        );
        assert_eq!(
            judge("stem cells"),
            TypedMatch::Wrong,
            "the shown words alone"
        );
        assert_eq!(judge("hematopoietic stem cells"), TypedMatch::Wrong);
        assert_eq!(
            judge("mesenchymal cells"),
            TypedMatch::Wrong,
            "not the words shown"
        );
        assert_eq!(
            judge("mesenchymal stem cells what"),
            TypedMatch::Wrong,
            "past the clause"
        );

        let hsc = strings(&["hematopoietic", "blood-forming"]);
        for (question, typed) in [
            (
                "Sarah received a transplant of which type of stem cells? (____ stem cells)",
                "hematopoietic stem cells",
            ),
            (
                "Fill in the missing word, which means \"blood-forming\":\n____ stem cell transplantation (HSCT).",
                "Hematopoietic stem cell transplantation",
            ),
            (
                "The cells are called ____ stem cells.",
                "blood forming stem cells",
            ),
        ] {
            let beside = typed_blank_context(question);
            assert_eq!(
                match_typed_beside(&hsc, typed, &beside),
                TypedMatch::Exact,
                "{typed:?} for {question:?}"
            );
        }
        let autoimmune = strings(&["autoimmune"]);
        let beside = typed_blank_context("It is called an ____ disease.");
        assert_eq!(
            match_typed_beside(&autoimmune, "an autoimmune disease", &beside),
            TypedMatch::Exact,
            "the words before the blank too"
        );
        let two_blanks = typed_blank_context("____ stem cells and ____ cells");
        assert_eq!(
            two_blanks,
            Beside::default(),
            "which blank is meant is unclear"
        );
        assert_eq!(
            match_typed_beside(&msc, "mesenchymal stem cells", &Beside::default()),
            TypedMatch::Wrong
        );
    }

    #[test]
    fn a_typed_card_and_a_cloze_accept_the_words_beside_their_blank() {
        let typed = card(CardContent::Typed {
            question: "Blood-forming stem cells are called ____ stem cells.".into(),
            answers: strings(&["hematopoietic"]),
        });
        let presented = present(&typed, &mut rng());
        let input = Input::Text("hematopoietic stem cells".into());
        assert!(grade(&typed, &presented, &input).correct);

        let text = "Stem cells are moved with {{growth factors}}, a step called {{mobilization}}.";
        let cloze = card(CardContent::Cloze {
            text: text.into(),
            blanks: vec![strings(&["growth factors"]), strings(&["mobilization"])],
        });
        let presented = present(&cloze, &mut rng());
        let both = Input::Texts(strings(&[
            "with growth factors",
            "a step called mobilization",
        ]));
        assert!(grade(&cloze, &presented, &both).correct);
        let one = card(CardContent::Cloze {
            text: "Cells come from {{peripheral}} blood.".into(),
            blanks: vec![strings(&["peripheral"])],
        });
        let presented = present(&one, &mut rng());
        let input = Input::Text("peripheral blood".into());
        assert!(grade(&one, &presented, &input).correct);
    }

    #[test]
    fn cloze_grades_every_blank() {
        let card = card(CardContent::Cloze {
            text: "A {{growth factors}} then {{harvest|harvesting}}".into(),
            blanks: vec![
                strings(&["growth factors"]),
                strings(&["harvest", "harvesting"]),
            ],
        });
        let presented = present(&card, &mut rng());
        assert_eq!(
            presented.question,
            Question::Cloze {
                text: "A [1] then [2]".into(),
                blanks: 2
            }
        );
        let right = Input::Texts(strings(&["Growth-factors", "harvesting"]));
        assert!(grade(&card, &presented, &right).correct);
        let outcome = grade(
            &card,
            &presented,
            &Input::Texts(strings(&["growth factors", "x"])),
        );
        assert!(!outcome.correct);
        assert_eq!(outcome.details, vec!["Correct answer:", "[2] harvest"]);
    }

    #[test]
    fn a_wrong_single_blank_gives_its_answer_on_one_line() {
        let card = card(CardContent::Cloze {
            text: "Cells are collected during {{mobilization}}.".into(),
            blanks: vec![strings(&["mobilization"])],
        });
        let presented = present(&card, &mut rng());
        let outcome = grade(&card, &presented, &Input::Texts(strings(&["x"])));
        assert!(!outcome.correct);
        assert_eq!(outcome.details, vec!["Correct answer: mobilization"]);
    }

    #[test]
    fn order_is_never_shown_solved_and_marks_misplaced_items() {
        let card = card(CardContent::Order {
            question: "Q".into(),
            items: strings(&["one", "two", "three"]),
        });
        for seed in 0..20 {
            let presented = present(&card, &mut rand::rngs::StdRng::seed_from_u64(seed));
            assert_ne!(presented.order, vec![0, 1, 2]);
            let Question::Order { items, .. } = &presented.question else {
                panic!()
            };
            let at = |name: &str| items.iter().position(|o| o == name).unwrap();
            let right = Input::Order(vec![at("one"), at("two"), at("three")]);
            assert!(grade(&card, &presented, &right).correct);
            let swapped = Input::Order(vec![at("two"), at("one"), at("three")]);
            let outcome = grade(&card, &presented, &swapped);
            assert_eq!(
                outcome.details,
                vec![
                    "Right order (✗ where yours differs):",
                    "  1. one ✗",
                    "  2. two ✗",
                    "  3. three ✓"
                ]
            );
        }
    }
}
