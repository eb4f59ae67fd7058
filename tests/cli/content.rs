//! The built-in decks as content: enough cards of every kind, each explained and sourced,
//! and written in our own words (no run of 9 words shared with the article).

use std::collections::BTreeMap;

use lupus_quiz::deck::{Card, CardContent, CardType, Catalog, builtin_files, load_catalog};

fn decks() -> Catalog {
    load_catalog(builtin_files()).expect("the built-in decks load")
}

#[test]
fn seven_decks_with_at_least_100_cards_and_the_minimums_per_deck() {
    let catalog = decks();
    assert_eq!(
        catalog.deck_names(),
        [
            "basics",
            "cases",
            "hsct",
            "research",
            "symptoms",
            "treatments",
            "trials"
        ]
    );
    assert!(
        catalog.card_count() >= 100,
        "{} cards",
        catalog.card_count()
    );
    let minimums = [
        ("basics", 12),
        ("symptoms", 12),
        ("treatments", 18),
        ("hsct", 20),
        ("research", 12),
        ("cases", 14),
        ("trials", 12),
    ];
    for (name, minimum) in minimums {
        let deck = catalog.deck(name).unwrap();
        assert!(
            deck.cards.len() >= minimum,
            "{name}: {} cards",
            deck.cards.len()
        );
        let types: std::collections::BTreeSet<CardType> =
            deck.cards.iter().map(Card::card_type).collect();
        assert!(types.len() >= 4, "{name} uses only {types:?}");
    }
}

#[test]
fn every_card_type_is_used_and_key_terms_are_typed_or_cloze() {
    let catalog = decks();
    let mut by_type: BTreeMap<CardType, usize> = BTreeMap::new();
    for (_, card) in catalog.cards() {
        *by_type.entry(card.card_type()).or_default() += 1;
    }
    for card_type in CardType::ALL {
        assert!(
            by_type.get(&card_type).copied().unwrap_or(0) >= 5,
            "{card_type}: {by_type:?}"
        );
    }
    let recall_text = |card: &Card| match &card.content {
        CardContent::Typed { answers, .. } => answers.join(" ").to_lowercase(),
        CardContent::Cloze { blanks, .. } => blanks.concat().join(" ").to_lowercase(),
        _ => String::new(),
    };
    let all: Vec<String> = catalog.cards().map(|(_, card)| recall_text(card)).collect();
    for term in [
        "hematopoietic",
        "mobilization",
        "conditioning",
        "graft",
        "mesenchymal",
        "crispr",
    ] {
        assert!(
            all.iter().any(|text| text.contains(term)),
            "no typed or cloze card asks for `{term}`"
        );
    }
}

#[test]
fn hsct_orders_the_four_phases() {
    let catalog = decks();
    let hsct = catalog.deck("hsct").unwrap();
    let four_phases = hsct.cards.iter().any(|card| match &card.content {
        CardContent::Order { items, .. } => {
            items.len() == 4
                && items[0].to_lowercase().contains("mobiliz")
                && items[1].to_lowercase().contains("conditioning")
                && items[2].to_lowercase().contains("transplant")
                && items[3].to_lowercase().contains("recovery")
        }
        _ => false,
    });
    assert!(four_phases, "an order card puts the four phases in order");
    let orders = hsct
        .cards
        .iter()
        .filter(|c| c.card_type() == CardType::Order)
        .count();
    assert!(orders >= 2, "also the order of steps inside a phase");
}

#[test]
fn every_card_has_an_explanation_of_one_or_two_sentences_and_a_source() {
    for (deck, card) in decks().cards() {
        let explanation = card.explanation.trim();
        assert!(!explanation.is_empty(), "{}/{}", deck.name, card.id);
        assert!(!card.source.trim().is_empty(), "{}/{}", deck.name, card.id);
        let sentences = explanation
            .split_inclusive(['.', '!', '?'])
            .filter(|s| s.trim().len() > 3)
            .count();
        assert!(
            sentences <= 3,
            "{}: explanation is long ({sentences} sentences)",
            card.id
        );
        assert!(
            card.id.starts_with(&format!("{}-", deck.name)),
            "{} is not prefixed with its deck",
            card.id
        );
    }
}

#[test]
fn the_oversimplifications_carry_medical_notes() {
    let catalog = decks();
    let notes: Vec<String> = catalog
        .cards()
        .filter_map(|(_, card)| card.note.as_ref().map(|n| n.to_lowercase()))
        .collect();
    let has = |words: &[&str]| {
        notes
            .iter()
            .any(|note| words.iter().all(|w| note.contains(w)))
    };
    assert!(has(&["autologous"]), "autologous transplants and GVHD");
    assert!(has(&["eular"]), "not standard care (EULAR 2023)");
    assert!(
        has(&["cyclophosphamide", "g-csf"]),
        "mobilization with cyclophosphamide and G-CSF"
    );
    assert!(
        has(&["hydroxychloroquine"]),
        "hydroxychloroquine for nearly everyone with SLE"
    );
    assert!(
        has(&["placebo"]),
        "mixed evidence for mesenchymal stem cells"
    );
    assert!(
        has(&["anecdote"]) || has(&["not evidence"]),
        "patient stories are not evidence"
    );
    assert!(has(&["clinic"]), "unproven clinics");
    assert!(has(&["organ"]), "blood stem cells do not repair organs");
    assert!(has(&["genetic"]), "gene editing is not established");
}

/// Lowercase words without punctuation, as the overlap check compares them.
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
        .map(|w| w.trim_matches(|c| c == '\'' || c == '-').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn card_texts(card: &Card) -> Vec<String> {
    let mut texts = vec![
        card.explanation.clone(),
        card.note.clone().unwrap_or_default(),
    ];
    match &card.content {
        CardContent::Flip { front, back } => texts.extend([front.clone(), back.clone()]),
        CardContent::Choice {
            question,
            answer,
            distractors,
        } => {
            texts.extend([question.clone(), answer.clone()]);
            texts.extend(distractors.iter().cloned());
        }
        CardContent::Multi {
            question,
            correct,
            wrong,
        } => {
            texts.push(question.clone());
            texts.extend(correct.iter().chain(wrong).cloned());
        }
        CardContent::TrueFalse { statement, .. } => texts.push(statement.clone()),
        CardContent::Typed { question, answers } => {
            texts.push(question.clone());
            texts.extend(answers.iter().cloned());
        }
        CardContent::Order { question, items } => {
            texts.push(question.clone());
            texts.push(items.join(" "));
        }
        CardContent::Cloze { text, blanks } => {
            texts.push(lupus_quiz::deck::render_cloze(text, |i| {
                blanks[i][0].clone()
            }));
        }
    }
    texts
}

#[test]
fn no_card_shares_a_run_of_nine_words_with_the_article() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/source/article.txt");
    let Ok(article) = std::fs::read_to_string(&path) else {
        println!(
            "notice: {} not found (a fresh clone has no ../shared); skipping the overlap check",
            path.display()
        );
        return;
    };
    const RUN: usize = 9;
    let article_words = words(&article);
    let runs: std::collections::HashSet<&[String]> = article_words.windows(RUN).collect();
    let mut copied = Vec::new();
    for (deck, card) in decks().cards() {
        for text in card_texts(card) {
            for window in words(&text).windows(RUN) {
                if runs.contains(window) {
                    copied.push(format!(
                        "{}/{}: \"{}\"",
                        deck.name,
                        card.id,
                        window.join(" ")
                    ));
                }
            }
        }
    }
    assert!(
        copied.is_empty(),
        "runs of {RUN} words copied from the article:\n{}",
        copied.join("\n")
    );
}
