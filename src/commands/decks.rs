//! `lupus-quiz decks`: the table of decks.

use std::io::Write;

use crate::context::Context;
use crate::deck::{CardType, DeckOrigin};
use crate::text::truncate;

pub(crate) fn run(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let type_headers = ["flip", "choice", "multi", "t/f", "typed", "order", "cloze"];
    debug_assert_eq!(type_headers.len(), CardType::ALL.len());
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
        write!(
            out,
            "{:<12} {:<32} {:>5}",
            format!("{}{marker}", deck.name),
            truncate(&deck.title, 32),
            deck.cards.len()
        )?;
        for (total, count) in totals.iter_mut().zip(counts) {
            *total += count;
            write!(out, " {count:>6}")?;
        }
        writeln!(out)?;
    }
    write!(
        out,
        "{:<12} {:<32} {:>5}",
        "total",
        "",
        catalog.card_count()
    )?;
    for total in totals {
        write!(out, " {total:>6}")?;
    }
    writeln!(out)?;

    let user_decks: Vec<_> = catalog
        .decks
        .iter()
        .filter_map(|deck| match &deck.origin {
            DeckOrigin::File(path) => Some((deck, path)),
            DeckOrigin::Builtin => None,
        })
        .collect();
    if !user_decks.is_empty() {
        writeln!(out)?;
        for (deck, path) in user_decks {
            let replaces = catalog.replaced.iter().any(|(name, _)| *name == deck.name);
            let what = if replaces {
                "your deck, replacing the built-in one"
            } else {
                "your deck"
            };
            writeln!(out, "* {}: {what} ({})", deck.name, path.display())?;
        }
    }
    if let Some(dir) = &ctx.decks_dir {
        writeln!(out)?;
        writeln!(
            out,
            "Your own decks go in {} (see `lupus-quiz check --help`).",
            dir.display()
        )?;
    }
    Ok(())
}
