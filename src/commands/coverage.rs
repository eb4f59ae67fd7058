//! The parts of `check` about drafted decks: warnings about cards still to review (tags
//! `draft` and `needs-reference`), and `check --coverage ARTICLE`.

use std::io::Write;
use std::path::Path;

use crate::deck::Deck;
use crate::draft::{article, coverage};
use crate::text::{plural, truncate, visible_inline};

/// Warns, without failing, about drafted cards not yet reviewed and about numbers that
/// need a reference.
pub(super) fn warn_drafts(decks: &[&Deck], err: &mut dyn Write) -> std::io::Result<()> {
    let tagged = |card: &crate::deck::Card, tag: &str| card.tags.iter().any(|t| t == tag);
    for deck in decks {
        let drafts = deck.cards.iter().filter(|c| tagged(c, "draft")).count();
        if drafts > 0 {
            writeln!(
                err,
                "warning: {}: {drafts} card{} {} drafts (tag `draft`): review each against its article line, reword it in your own words, then remove the tag",
                deck.origin,
                plural(drafts),
                if drafts == 1 { "is" } else { "are" }
            )?;
        }
        for card in deck.cards.iter().filter(|c| tagged(c, "needs-reference")) {
            let line = card
                .origin
                .map(|line| format!(" (line {line} of the article)"))
                .unwrap_or_default();
            writeln!(
                err,
                "warning: {}: card `{}` states a number{line} that needs a reference: add a `note` with `references`, then remove the tag `needs-reference`",
                deck.origin,
                visible_inline(card.id.as_str())
            )?;
        }
    }
    Ok(())
}

/// `check --coverage ARTICLE`: per section, the share of sentences some card of `decks`
/// teaches, then the sentences no card covers.
pub(super) fn run(path: &Path, decks: &[&Deck], out: &mut dyn Write) -> anyhow::Result<()> {
    let label = format!("`{}`", path.display());
    let bytes = super::draft::read_article(path, &label)?;
    let text =
        article::article_text(&bytes).map_err(|e| super::draft::article_error(&label, &e))?;
    let parsed = article::parse(text).map_err(|e| super::draft::article_error(&label, &e))?;
    let cards: Vec<&crate::deck::Card> = decks.iter().flat_map(|d| d.cards.iter()).collect();
    let report = coverage::coverage(&parsed, &cards);
    let percent = |part: usize, whole: usize| (part * 100).checked_div(whole).unwrap_or(0);
    writeln!(
        out,
        "\nCoverage of {} by {} deck{} ({} card{}): {} of {} sentences ({}%)",
        visible_inline(&label),
        decks.len(),
        plural(decks.len()),
        cards.len(),
        plural(cards.len()),
        report.covered(),
        report.sentences(),
        percent(report.covered(), report.sentences())
    )?;
    for section in &report.sections {
        writeln!(
            out,
            "  {:>3}%  {:>3} of {:<3}  {}",
            percent(section.covered, section.sentences),
            section.covered,
            section.sentences,
            visible_inline(&section.heading)
        )?;
    }
    if report.uncovered.is_empty() {
        writeln!(out, "Every sentence is covered by some card.")?;
        return Ok(());
    }
    writeln!(
        out,
        "Sentences no card covers ({}):",
        report.uncovered.len()
    )?;
    for sentence in &report.uncovered {
        writeln!(
            out,
            "  line {} ({}): {}",
            sentence.line,
            visible_inline(&truncate(&sentence.heading, 40)),
            visible_inline(&truncate(&sentence.text, 100))
        )?;
    }
    Ok(())
}
