//! `check --coverage`: which sentences of an article some card teaches. A card teaches the
//! sentence of its `origin` line (when its `source` is that sentence's section), or else a
//! sentence whose key words it shares: at least half of them, and two when there are two.

use std::collections::{HashMap, HashSet};

use super::article::Article;
use super::words::words;
use crate::deck::{Card, CardContent};

/// The coverage of one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SectionCoverage {
    pub heading: String,
    pub sentences: usize,
    pub covered: usize,
}

/// A sentence no card teaches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Uncovered {
    pub line: u32,
    pub heading: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Coverage {
    pub sections: Vec<SectionCoverage>,
    pub uncovered: Vec<Uncovered>,
}

impl Coverage {
    pub(crate) fn sentences(&self) -> usize {
        self.sections.iter().map(|s| s.sentences).sum()
    }

    pub(crate) fn covered(&self) -> usize {
        self.sections.iter().map(|s| s.covered).sum()
    }
}

/// Everything a card says: question, answers, options and explanation.
fn card_text(card: &Card) -> String {
    let mut text = vec![card.prompt().to_string(), card.explanation.clone()];
    match &card.content {
        CardContent::Flip { back, .. } => text.push(back.clone()),
        CardContent::Choice {
            answer,
            distractors: _,
            ..
        } => text.push(answer.clone()),
        CardContent::Multi { correct, .. } => text.extend(correct.iter().cloned()),
        CardContent::TrueFalse { .. } => {}
        CardContent::Typed { answers, .. } => text.extend(answers.iter().cloned()),
        CardContent::Order { items, .. } => text.extend(items.iter().cloned()),
        CardContent::Cloze { blanks, .. } => text.extend(blanks.iter().flatten().cloned()),
    }
    if let Some(note) = &card.note {
        text.push(note.clone());
    }
    text.join(" ")
}

/// The words that make a sentence's fact: its uncommon words, else all its content words.
fn key_stems(text: &str) -> HashSet<String> {
    let all = words(text);
    let uncommon: HashSet<String> = all
        .iter()
        .filter(|w| w.is_uncommon())
        .map(|w| w.stem.clone())
        .collect();
    if uncommon.is_empty() {
        all.into_iter()
            .filter(|w| w.is_content())
            .map(|w| w.stem)
            .collect()
    } else {
        uncommon
    }
}

pub(crate) fn coverage(article: &Article, cards: &[&Card]) -> Coverage {
    let mut by_origin: HashMap<(u32, &str), usize> = HashMap::new();
    let mut by_stem: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, card) in cards.iter().enumerate() {
        if let Some(line) = card.origin {
            by_origin.insert((line, card.source.trim()), index);
        }
        let stems: HashSet<String> = words(&card_text(card))
            .into_iter()
            .filter(|w| w.is_content())
            .map(|w| w.stem)
            .collect();
        for stem in stems {
            by_stem.entry(stem).or_default().push(index);
        }
    }
    let mut sections: Vec<SectionCoverage> = article
        .sections
        .iter()
        .map(|s| SectionCoverage {
            heading: s.heading.clone(),
            sentences: 0,
            covered: 0,
        })
        .collect();
    let mut uncovered = Vec::new();
    for sentence in &article.sentences {
        let heading = article.sections[sentence.section].heading.as_str();
        let section = &mut sections[sentence.section];
        section.sentences += 1;
        let by_line = by_origin.contains_key(&(sentence.line, heading.trim()));
        let covered = by_line || {
            let keys = key_stems(&sentence.text);
            let mut shared: HashMap<usize, usize> = HashMap::new();
            for stem in &keys {
                for &card in by_stem.get(stem).map(Vec::as_slice).unwrap_or(&[]) {
                    *shared.entry(card).or_default() += 1;
                }
            }
            let needed = keys.len().min(2).max(keys.len().div_ceil(2));
            !keys.is_empty() && shared.values().any(|&n| n >= needed)
        };
        if covered {
            section.covered += 1;
        } else {
            uncovered.push(Uncovered {
                line: sentence.line,
                heading: heading.to_string(),
                text: sentence.text.clone(),
            });
        }
    }
    sections.retain(|s| s.sentences > 0);
    Coverage {
        sections,
        uncovered,
    }
}
