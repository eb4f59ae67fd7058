//! `draft`: an article's facts turned into a deck, offline and extractive. Every answer the
//! drafter proposes is words of the article's own sentence, and every card records that
//! sentence's line (`origin:`), so an author reviews cards rather than writes them.
//!
//! The stages, one module each: [`article`] (sections, sentences, runs of list lines),
//! [`words`] (Unicode words, stems, common English), `patterns` (definitions, acronyms,
//! lists, sequences, numbers), `terms` (the key terms), `candidates` (the questions they can
//! ask), `cards` (ranking, ids and tags) and `yaml` (the deck file, checked by the deck
//! parser).

pub(crate) mod article;
mod candidates;
mod cards;
pub(crate) mod coverage;
mod patterns;
mod terms;
pub(crate) mod words;
mod yaml;

pub(crate) use article::{ArticleError, MAX_ARTICLE_BYTES};
pub(crate) use cards::{DraftCard, slug};
pub(crate) use yaml::DeckFile;

use article::Article;

/// What `draft` made of an article.
#[derive(Debug)]
pub(crate) struct Draft {
    pub article: Article,
    /// One deck, or one per top-level section with `--split`.
    pub decks: Vec<DeckFile>,
    /// The most cards allowed: asked for, or one per 10 words, never over one per 8.
    pub max: usize,
    /// Whether `--max` asked for more than one card per 8 words.
    pub capped: bool,
}

/// How many cards an article of `words` words may give: about one per 10 words by
/// default, and never more than one per 8.
pub(crate) fn card_limit(words: usize, asked: Option<usize>) -> (usize, bool) {
    let ceiling = (words / 8).max(1);
    match asked {
        Some(asked) if asked > ceiling => (ceiling, true),
        Some(asked) => (asked, false),
        None => (words.div_ceil(10).clamp(1, ceiling), false),
    }
}

/// Drafts the deck `name` from `text` (a whole article, plain text or Markdown).
/// `fallback_title` titles it when the article has no title line.
pub(crate) fn draft(
    text: &str,
    name: &str,
    fallback_title: &str,
    max: Option<usize>,
    split: bool,
) -> Result<Draft, ArticleError> {
    let article = article::parse(text)?;
    let patterns = patterns::find(&article);
    let terms = terms::Terms::find(&article, &patterns);
    let (max, capped) = card_limit(article.word_count, max);
    let cards = cards::draft(&article, &patterns, &terms, name, max);
    let title = article
        .title
        .clone()
        .unwrap_or_else(|| fallback_title.to_string());
    let decks = if split {
        decks_by_top_section(&article, &cards, name, &title)
    } else {
        yaml::deck_file(name, &title, &description("an article"), cards)
            .into_iter()
            .collect()
    };
    Ok(Draft {
        article,
        decks,
        max,
        capped,
    })
}

/// The description of a drafted deck, drafted from `what`.
fn description(what: &str) -> String {
    format!(
        "Drafted by lupus-quiz draft from {what}: review every card before you study it (docs/authoring.md)."
    )
}

/// One deck per top-level section that has cards (`--split`), named after its heading,
/// or `NAME-part-N` when the heading gives no name of its own.
fn decks_by_top_section(
    article: &Article,
    cards: &[DraftCard],
    name: &str,
    title: &str,
) -> Vec<DeckFile> {
    let mut decks = Vec::new();
    let mut tops: Vec<usize> = cards
        .iter()
        .map(|c| article.sections[c.section].top)
        .collect();
    tops.sort_unstable();
    tops.dedup();
    let mut names: Vec<String> = Vec::new();
    for top in tops {
        let heading = &article.sections[top].heading;
        let mut deck = format!("{name}-{}", cards::slug(heading, 30));
        if deck.ends_with('-') || names.contains(&deck) {
            deck = format!("{name}-part-{}", names.len() + 1);
        }
        let part: Vec<DraftCard> = cards
            .iter()
            .filter(|c| article.sections[c.section].top == top)
            .cloned()
            .collect();
        let title = format!("{title}: {heading}");
        if let Some(file) = yaml::deck_file(
            &deck,
            &title,
            &description(&format!("the section \"{heading}\"")),
            part,
        ) {
            names.push(deck);
            decks.push(file);
        }
    }
    decks
}

#[cfg(test)]
mod tests;
