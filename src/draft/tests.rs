//! The drafter over the test articles (written for these tests, in the project's own words):
//! each pattern, determinism, and that every proposed answer is words of its sentence.

use std::collections::HashSet;

use super::article::parse;
use super::words::words;
use super::{DraftCard, card_limit, draft};
use crate::deck::{CardContent, CardType};

const ARTICLES: &[(&str, &str)] = &[
    (
        "vaccine-trials",
        include_str!("../../tests/fixtures/articles/vaccine-trials.txt"),
    ),
    (
        "kidney-transplant",
        include_str!("../../tests/fixtures/articles/kidney-transplant.txt"),
    ),
    (
        "blood-donation",
        include_str!("../../tests/fixtures/articles/blood-donation.md"),
    ),
];

fn cards_of(name: &str) -> Vec<DraftCard> {
    let (_, text) = ARTICLES.iter().find(|(n, _)| *n == name).unwrap();
    let drafted = draft(text, name, "T", None, false).unwrap();
    assert_eq!(drafted.decks.len(), 1);
    drafted.decks[0].cards.clone()
}

/// What a card asks the learner to give: its proposed answers (not the other accepted
/// spellings, not the wrong options).
fn asked(card: &DraftCard) -> Vec<String> {
    card.content.asked_answers()
}

fn find<'a>(cards: &'a [DraftCard], id: &str) -> &'a DraftCard {
    cards.iter().find(|c| c.id == id).unwrap_or_else(|| {
        panic!(
            "no card {id} among {:?}",
            cards.iter().map(|c| &c.id).collect::<Vec<_>>()
        )
    })
}

#[test]
fn no_drafted_answer_has_a_word_absent_from_its_origin_sentence() {
    for (name, text) in ARTICLES {
        let article = parse(text).unwrap();
        let cards = cards_of(name);
        assert!(cards.len() >= 10, "{name}: {} cards", cards.len());
        for card in &cards {
            let passage: HashSet<String> = card
                .passage
                .iter()
                .flat_map(|&i| article.sentences[i].words.iter().map(|w| w.stem.clone()))
                .collect();
            assert_eq!(
                article.sentences[card.passage[0]].line, card.origin,
                "{name}: {} records the line of its first sentence",
                card.id
            );
            for answer in asked(card) {
                for word in words(&answer).iter().filter(|w| w.is_content()) {
                    assert!(
                        passage.contains(&word.stem),
                        "{name}: {}: `{}` of the answer `{answer}` is not in its sentence",
                        card.id,
                        word.lower
                    );
                }
            }
        }
    }
}

#[test]
fn drafting_is_deterministic_to_the_byte() {
    for (name, text) in ARTICLES {
        let once = draft(text, name, "T", None, false).unwrap();
        let twice = draft(text, name, "T", None, false).unwrap();
        assert_eq!(once.decks[0].yaml, twice.decks[0].yaml, "{name}");
    }
}

#[test]
fn each_test_article_gets_at_least_five_card_types_with_section_and_origin() {
    for (name, _) in ARTICLES {
        let cards = cards_of(name);
        let types: HashSet<CardType> = cards.iter().map(DraftCard::card_type).collect();
        assert!(types.len() >= 5, "{name}: {types:?}");
        for card in &cards {
            assert!(card.origin >= 1 && !card.source.is_empty());
            assert!(card.tags.contains(&"draft".to_string()), "{}", card.id);
            assert_eq!(card.tags.len(), 2 + usize::from(card.number), "{}", card.id);
        }
    }
}

#[test]
fn definitions_become_a_flip_and_a_typed_card() {
    let cards = cards_of("vaccine-trials");
    let flip = find(&cards, "vaccine-trials-define-placebo");
    assert_eq!(
        flip.content,
        CardContent::Flip {
            front: "What is a placebo?".into(),
            back: "A dummy injection that contains no active ingredient".into()
        }
    );
    let typed = find(&cards, "vaccine-trials-term-placebo");
    assert_eq!(
        typed.content,
        CardContent::Typed {
            question: "What is a dummy injection that contains no active ingredient called?".into(),
            answers: vec!["placebo".into()]
        }
    );
    assert_eq!(typed.origin, 15);
    assert_eq!(typed.source, "How a Fair Trial Works");
    let means = find(&cards, "vaccine-trials-term-blinding");
    assert!(
        matches!(&means.content, CardContent::Typed { question, .. } if question.starts_with("Which term means that neither"))
    );
}

#[test]
fn acronyms_become_cards_both_ways() {
    let cards = cards_of("vaccine-trials");
    let expand = find(&cards, "vaccine-trials-expand-rct");
    assert_eq!(
        expand.content,
        CardContent::Typed {
            question: "What does RCT stand for?".into(),
            answers: vec!["randomised controlled trial".into()]
        }
    );
    let short = find(&cards, "vaccine-trials-abbreviation-rct");
    assert!(
        matches!(&short.content, CardContent::Choice { answer, distractors, .. }
        if answer == "RCT" && distractors.iter().all(|d| ["DSMB", "EMA", "FDA"].contains(&d.as_str())))
    );
}

#[test]
fn lists_become_select_all_cards_with_the_article_s_other_items_as_wrong_options() {
    let cards = cards_of("kidney-transplant");
    let list = find(&cards, "kidney-transplant-list-tests");
    let CardContent::Multi {
        question,
        correct,
        wrong,
    } = &list.content
    else {
        panic!("{list:?}");
    };
    assert_eq!(question, "Which of these does the article name as tests?");
    assert_eq!(correct, &["blood typing", "tissue typing", "crossmatching"]);
    let article = parse(ARTICLES[1].1).unwrap();
    let text: String = article
        .sentences
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    for option in wrong {
        assert!(text.contains(option.as_str()), "`{option}` is not invented");
        assert!(
            !article.sentences[list.passage[0]]
                .text
                .contains(option.as_str())
        );
    }
}

#[test]
fn step_lines_numbered_lists_and_first_then_finally_become_order_cards() {
    let order = |name: &str| -> Vec<Vec<String>> {
        cards_of(name)
            .into_iter()
            .filter_map(|c| match c.content {
                CardContent::Order { items, .. } => Some(items),
                _ => None,
            })
            .collect()
    };
    assert_eq!(
        order("vaccine-trials"),
        [["Phase One", "Phase Two", "Phase Three", "Phase Four"]]
    );
    assert_eq!(
        order("kidney-transplant"),
        [
            vec!["Evaluation", "Matching", "Surgery", "Recovery"],
            vec![
                "The patient learns the names and doses of every medicine",
                "The clinic checks the blood twice a week",
                "The visits become monthly once the kidney is stable"
            ],
            vec![
                "He received a kidney from his sister",
                "His energy returned",
                "Omar works full time and travels again"
            ]
        ]
    );
    assert_eq!(
        order("blood-donation"),
        [["Registration", "Screening", "Collection", "Rest"]]
    );
}

#[test]
fn true_false_cards_only_swap_two_steps_of_one_sequence() {
    let cards = cards_of("vaccine-trials");
    let statements: Vec<(&str, bool)> = cards
        .iter()
        .filter_map(|c| match &c.content {
            CardContent::TrueFalse { statement, answer } => Some((statement.as_str(), *answer)),
            _ => None,
        })
        .collect();
    assert_eq!(
        statements,
        [
            (
                "In \"The Clinical Phases\", \"Phase One\" comes before \"Phase Four\".",
                true
            ),
            (
                "In \"The Clinical Phases\", \"Phase Two\" comes before \"Phase One\".",
                false
            ),
        ]
    );
}

#[test]
fn clozes_blank_a_key_term_and_accept_the_article_s_other_spellings() {
    let cards = cards_of("blood-donation");
    let cloze = find(&cards, "blood-donation-cloze-red-blood-cells");
    assert_eq!(
        cloze.content,
        CardContent::Cloze {
            text: "Haemoglobin is the protein in {{red blood cells|RBCs}} that binds oxygen."
                .into(),
            blanks: vec![vec!["red blood cells".into(), "RBCs".into()]]
        }
    );
    for card in &cards {
        if let CardContent::Cloze { text, blanks } = &card.content {
            assert_eq!(blanks.len(), 1, "{text}");
        }
    }
}

#[test]
fn numbers_are_tagged_needs_reference() {
    let cards = cards_of("kidney-transplant");
    let number = find(&cards, "kidney-transplant-number-90-of-transplanted");
    assert_eq!(
        number.content,
        CardContent::Cloze {
            text: "About {{90}}% of transplanted kidneys still work one year after surgery.".into(),
            blanks: vec![vec!["90".into()]]
        }
    );
    assert!(number.tags.contains(&"needs-reference".to_string()));
    assert!(number.number);
}

#[test]
fn the_card_limit_is_one_per_ten_words_and_never_over_one_per_eight() {
    assert_eq!(card_limit(1000, None), (100, false));
    assert_eq!(card_limit(1000, Some(30)), (30, false));
    assert_eq!(card_limit(1000, Some(500)), (125, true));
    assert_eq!(card_limit(5, None), (1, false));
    let (_, text) = ARTICLES[0];
    let few = draft(text, "v", "T", Some(5), false).unwrap();
    assert_eq!(few.decks[0].cards.len(), 5);
}

#[test]
fn split_writes_one_deck_per_top_level_section() {
    let (_, text) = ARTICLES[2];
    let drafted = draft(text, "blood", "T", None, true).unwrap();
    let names: Vec<&str> = drafted.decks.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "blood-what-happens-at-a-donation",
            "blood-the-parts-of-blood",
            "blood-who-can-donate"
        ]
    );
    let whole = draft(text, "blood", "T", None, false).unwrap();
    let split_ids: Vec<&str> = drafted
        .decks
        .iter()
        .flat_map(|d| d.cards.iter().map(|c| c.id.as_str()))
        .collect();
    let whole_ids: Vec<&str> = whole.decks[0].cards.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(split_ids, whole_ids, "the same cards, with the same ids");
}
