//! The article's key terms: runs of one to four content words, ranked by how uncommon their
//! words are in English, how often the article uses them, and whether the article defines,
//! abbreviates or lists them. Words are compared by their stems.

use std::collections::{BTreeSet, HashMap};

use super::article::Article;
use super::patterns::Patterns;
use super::words::{Word, words};

/// The longest term, in words.
pub(crate) const MAX_TERM_WORDS: usize = 4;

#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// Every lowercase spelling the article uses ("stem cell", "stem cells").
    pub forms: BTreeSet<String>,
    /// The sentences that use it, in order, each once.
    pub sentences: Vec<usize>,
    pub words: usize,
    pub uncommon: usize,
    /// Found by a pattern: defined, abbreviated, listed or a step's label.
    pub boost: f64,
    pub score: f64,
    pub key: bool,
}

#[derive(Debug, Default)]
pub(crate) struct Terms {
    pub by_key: HashMap<String, Term>,
}

/// The comparison key of a text: the stems of its content words.
pub(crate) fn key_of(text: &str) -> String {
    stems_key(&words(text))
}

fn stems_key(words: &[Word]) -> String {
    let mut key = String::new();
    for word in words.iter().filter(|w| w.is_content()) {
        if !key.is_empty() {
            key.push(' ');
        }
        key.push_str(&word.stem);
    }
    key
}

/// Runs of adjacent content words of a sentence (only spaces or one hyphen between them),
/// as ranges of word indexes.
pub(crate) fn content_runs(text: &str, words: &[Word]) -> Vec<std::ops::Range<usize>> {
    let mut runs = Vec::new();
    let mut start: Option<usize> = None;
    for (index, word) in words.iter().enumerate() {
        let joined = index > 0 && {
            let gap = &text[words[index - 1].end..word.start];
            gap == " " || gap == "-"
        };
        let content = word.is_content();
        if let Some(s) = start
            && !(content && joined)
        {
            runs.push(s..index);
            start = None;
        }
        if content && start.is_none() {
            start = Some(index);
        }
    }
    if let Some(s) = start {
        runs.push(s..words.len());
    }
    runs
}

/// Every n-gram of one to [`MAX_TERM_WORDS`] words within a content run, as word ranges.
pub(crate) fn spans(text: &str, words: &[Word]) -> Vec<std::ops::Range<usize>> {
    let mut spans = Vec::new();
    for run in content_runs(text, words) {
        for start in run.clone() {
            for end in start + 1..=(start + MAX_TERM_WORDS).min(run.end) {
                spans.push(start..end);
            }
        }
    }
    spans
}

impl Terms {
    pub(crate) fn find(article: &Article, patterns: &Patterns) -> Terms {
        let mut terms = Terms::default();
        for (index, sentence) in article.sentences.iter().enumerate() {
            let text = &sentence.text;
            for span in spans(text, &sentence.words) {
                let words = &sentence.words[span.clone()];
                let key = stems_key(words);
                let surface = &text[words[0].start..words[words.len() - 1].end];
                let term = terms.by_key.entry(key).or_insert_with(|| Term {
                    forms: BTreeSet::new(),
                    sentences: Vec::new(),
                    words: words.len(),
                    uncommon: words.iter().filter(|w| w.is_uncommon()).count(),
                    boost: 0.0,
                    score: 0.0,
                    key: false,
                });
                if term.forms.len() < 4 {
                    term.forms.insert(surface.to_lowercase());
                }
                if term.sentences.last() != Some(&index) {
                    term.sentences.push(index);
                }
            }
        }
        let mut boosted: Vec<&str> = Vec::new();
        boosted.extend(patterns.definitions.iter().map(|d| d.term.as_str()));
        boosted.extend(patterns.acronyms.iter().map(|a| a.long.as_str()));
        boosted.extend(patterns.acronyms.iter().map(|a| a.short.as_str()));
        boosted.extend(
            patterns
                .lists
                .iter()
                .flat_map(|l| l.items.iter().map(String::as_str)),
        );
        boosted.extend(
            article
                .runs
                .iter()
                .flat_map(|r| r.items.iter().map(|i| i.label.as_str())),
        );
        for text in boosted {
            let key = key_of(text);
            if let Some(term) = terms.by_key.get_mut(&key) {
                term.boost = (term.boost + 3.0).min(6.0);
            }
        }
        terms.rank(article.word_count);
        terms
    }

    /// Scores every term and marks the best as key terms.
    fn rank(&mut self, word_count: usize) {
        // A term inside a longer one that the article always uses with it is that one.
        let mut dominated: Vec<String> = Vec::new();
        for (key, term) in &self.by_key {
            if term.words < 2 {
                continue;
            }
            let parts: Vec<&str> = key.split(' ').collect();
            for len in 1..parts.len() {
                for start in 0..=parts.len() - len {
                    let sub = parts[start..start + len].join(" ");
                    if self.by_key.get(&sub).is_some_and(|s| {
                        s.sentences.len() == term.sentences.len() && s.boost == 0.0
                    }) {
                        dominated.push(sub);
                    }
                }
            }
        }
        for key in dominated {
            if let Some(term) = self.by_key.get_mut(&key) {
                term.score = -1.0;
            }
        }
        for term in self.by_key.values_mut() {
            if term.score < 0.0 {
                continue;
            }
            let frequency = term.sentences.len() as f64;
            let common = (term.words - term.uncommon) as f64;
            let base = term.uncommon as f64 + 0.3 * common;
            let eligible = term.boost > 0.0
                || (term.uncommon > 0 && (term.words == 1 || term.sentences.len() >= 2));
            term.score = if eligible {
                base * (1.0 + frequency.ln()) + term.boost
            } else {
                0.0
            };
        }
        let mut ranked: Vec<(&String, f64)> = self
            .by_key
            .iter()
            .filter(|(_, t)| t.score > 0.0)
            .map(|(k, t)| (k, t.score))
            .collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        let wanted = (word_count / 25).max(10);
        let keys: Vec<String> = ranked
            .into_iter()
            .take(wanted)
            .map(|(k, _)| k.clone())
            .collect();
        for key in keys {
            if let Some(term) = self.by_key.get_mut(&key) {
                term.key = true;
            }
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Term> {
        self.by_key.get(key)
    }

    /// The key term of this text, if it is one.
    #[cfg(test)]
    pub(crate) fn key_term(&self, text: &str) -> Option<&Term> {
        self.by_key.get(&key_of(text)).filter(|t| t.key)
    }

    /// The key terms, best first.
    #[cfg(test)]
    pub(crate) fn ranked_keys(&self) -> Vec<(&str, &Term)> {
        let mut keys: Vec<(&str, &Term)> = self
            .by_key
            .iter()
            .filter(|(_, t)| t.key)
            .map(|(k, t)| (k.as_str(), t))
            .collect();
        keys.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then_with(|| a.0.cmp(b.0)));
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::super::article::parse;
    use super::super::patterns;
    use super::*;

    #[test]
    fn multi_word_terms_and_their_forms() {
        let text = "Peripheral blood holds few stem cells. Doctors collect peripheral blood after growth factors. Mesenchymal stem cells calm inflammation. Mesenchymal stem cells come from fat. A stem cell can divide.\n";
        let article = parse(text).unwrap();
        let terms = Terms::find(&article, &patterns::find(&article));
        let key = key_of("peripheral blood");
        assert!(terms.get(&key).unwrap().key, "{:?}", terms.ranked_keys());
        assert!(terms.key_term("mesenchymal stem cells").is_some());
        let stem_cells = terms.get(&key_of("stem cells")).unwrap();
        assert!(stem_cells.forms.contains("stem cell"));
        assert!(stem_cells.forms.contains("stem cells"));
        // "mesenchymal" alone is always part of the longer term.
        assert!(terms.key_term("mesenchymal").is_none());
    }
}
