//! `lupus-quiz decks`: the table of decks.

use std::io::Write;

use crate::context::Context;
use crate::deck::{CardType, Catalog, DeckOrigin};
use crate::text::{truncate, visible_inline};

pub(crate) fn run(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    write_table(&catalog, out)?;
    write_user_decks(&catalog, out)?;
    if let Some(dir) = &ctx.decks_dir {
        writeln!(out)?;
        writeln!(
            out,
            "Your own decks go in {} (see `lupus-quiz check --help`).",
            visible_inline(&dir.display().to_string())
        )?;
    }
    Ok(())
}

/// One row per deck with its cards by type, and a total row.
fn write_table(catalog: &Catalog, out: &mut dyn Write) -> anyhow::Result<()> {
    let type_headers = ["flip", "choice", "multi", "t/f", "typed", "order", "cloze"];
    debug_assert_eq!(type_headers.len(), CardType::ALL.len());
    let row = |out: &mut dyn Write, name: &str, title: &str, cards: usize, counts: &[usize]| {
        write!(out, "{name:<12} {title:<32} {cards:>5}")?;
        for count in counts {
            write!(out, " {count:>6}")?;
        }
        writeln!(out)
    };
    write!(out, "{:<12} {:<32} {:>5}", "DECK", "TITLE", "CARDS")?;
    for header in type_headers {
        write!(out, " {header:>6}")?;
    }
    writeln!(out)?;
    let mut totals = [0usize; 7];
    for deck in &catalog.decks {
        let counts = deck.count_by_type();
        let marker = match deck.origin {
            DeckOrigin::Builtin => "",
            DeckOrigin::File(_) => " *",
        };
        for (total, count) in totals.iter_mut().zip(counts) {
            *total += count;
        }
        let name = format!("{}{marker}", visible_inline(deck.name.as_str()));
        let title = truncate(&visible_inline(&deck.title), 32);
        row(out, &name, &title, deck.cards.len(), &counts)?;
    }
    row(out, "total", "", catalog.card_count(), &totals)?;
    Ok(())
}

/// Which decks are the learner's own, and where their files are.
fn write_user_decks(catalog: &Catalog, out: &mut dyn Write) -> anyhow::Result<()> {
    let user_decks: Vec<_> = catalog
        .decks
        .iter()
        .filter_map(|deck| match &deck.origin {
            DeckOrigin::File(path) => Some((deck, path)),
            DeckOrigin::Builtin => None,
        })
        .collect();
    if user_decks.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    for (deck, path) in user_decks {
        let replaces = catalog.replaced.iter().any(|(name, _)| *name == deck.name);
        let what = if replaces {
            "your deck, replacing the built-in one"
        } else {
            "your deck"
        };
        writeln!(
            out,
            "* {}: {what} ({})",
            visible_inline(deck.name.as_str()),
            visible_inline(&path.display().to_string())
        )?;
    }
    Ok(())
}
