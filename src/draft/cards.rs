//! The drafted cards: the candidates ranked by how much they teach, with near-duplicates
//! dropped, then given ids and tags.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::article::Article;
use super::candidates::{self, Candidate};
use super::patterns::Patterns;
use super::terms::Terms;
use crate::deck::{CardContent, CardType};

/// One drafted card.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DraftCard {
    pub id: String,
    pub content: CardContent,
    pub explanation: String,
    /// The heading of its section.
    pub source: String,
    pub origin: u32,
    pub tags: Vec<String>,
    pub section: usize,
    /// The sentences its question and answers come from.
    pub passage: Vec<usize>,
    /// Whether it asks for a number (tagged `needs-reference`).
    pub number: bool,
}

impl DraftCard {
    pub(crate) fn card_type(&self) -> CardType {
        self.content.card_type()
    }
}

/// Clozes on one term at most.
const CLOZES_PER_TERM: usize = 2;

pub(crate) fn draft(
    article: &Article,
    patterns: &Patterns,
    terms: &Terms,
    deck: &str,
    max: usize,
) -> Vec<DraftCard> {
    let candidates = candidates::find(article, patterns, terms);
    let chosen = rank(candidates, max);
    finish(article, chosen, deck)
}

/// The best `max` candidates, one of each near-duplicate, in article order.
fn rank(mut candidates: Vec<Candidate>, max: usize) -> Vec<Candidate> {
    // Shorter sentences carry one fact; very long ones are cut down in the explanation.
    candidates.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.sentence().cmp(&b.sentence()))
            .then_with(|| a.kind.cmp(b.kind))
            .then_with(|| a.term.cmp(&b.term))
    });
    let mut seen: HashSet<String> = HashSet::new();
    let mut clozes: HashMap<String, usize> = HashMap::new();
    let mut chosen = Vec::new();
    for candidate in candidates {
        if chosen.len() == max {
            break;
        }
        if !seen.insert(candidate.dedupe.clone()) {
            continue;
        }
        if candidate.kind == "cloze" {
            let count = clozes.entry(candidate.asks.clone()).or_default();
            if *count == CLOZES_PER_TERM {
                continue;
            }
            *count += 1;
        }
        chosen.push(candidate);
    }
    chosen.sort_by(|a, b| {
        a.sentence()
            .cmp(&b.sentence())
            .then_with(|| a.kind.cmp(b.kind))
            .then_with(|| a.term.cmp(&b.term))
    });
    chosen
}

/// Kebab-case text for ids and tags, at most `limit` bytes, cut at a dash.
pub(crate) fn slug(text: &str, limit: usize) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out = out.trim_end_matches('-').to_string();
    if out.len() > limit {
        let cut = out[..limit].rfind('-').unwrap_or(limit);
        out.truncate(cut);
    }
    out
}

fn finish(article: &Article, chosen: Vec<Candidate>, deck: &str) -> Vec<DraftCard> {
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    chosen
        .into_iter()
        .map(|candidate| {
            let sentence = &article.sentences[candidate.sentence()];
            let section = sentence.section;
            let heading = article.sections[section].heading.clone();
            let term = match slug(&candidate.term, 40) {
                term if term.is_empty() => format!("line-{}", sentence.line),
                term => term,
            };
            let base = format!("{deck}-{}-{term}", candidate.kind);
            let count = used.entry(base.clone()).or_default();
            *count += 1;
            let id = if *count == 1 {
                base
            } else {
                format!("{base}-{count}")
            };
            let mut tags = vec!["draft".to_string()];
            let section_tag = slug(&heading, 30);
            if !section_tag.is_empty() {
                tags.push(section_tag);
            }
            if candidate.number {
                tags.push("needs-reference".to_string());
            }
            DraftCard {
                id,
                content: candidate.content,
                explanation: candidate.explanation,
                source: heading,
                origin: sentence.line,
                tags,
                section,
                passage: candidate.passage,
                number: candidate.number,
            }
        })
        .collect()
}
