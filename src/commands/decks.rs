//! `lupus-quiz decks`: the table of decks.

use std::io::Write;

use crate::context::Context;
use crate::deck::{CardType, Catalog, DeckOrigin};
use crate::text::{text_width, truncate, visible_inline, wrap};

pub(crate) fn run(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let width = text_width(ctx.stdout_width);
    write_table(&catalog, width, out)?;
    write_user_decks(&catalog, out)?;
    if let Some(dir) = &ctx.decks_dir {
        writeln!(out)?;
        let footer = format!(
            "Your own decks go in {} (`lupus-quiz help deck-format` describes the format).",
            visible_inline(&dir.display().to_string())
        );
        for line in wrap(&footer, width) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// The card types' column headers, in [`CardType::ALL`]'s order.
const TYPE_HEADERS: [&str; 7] = ["flip", "choice", "multi", "t/f", "typed", "order", "cloze"];

/// The widest a deck's title gets (a longer one is cut, with `…`).
const TITLE_MAX: usize = 32;
/// Narrower than this, the title column is left out (and the table says so).
const TITLE_MIN: usize = 12;

/// One row per deck with its cards by type, and a total row, fitting `width` columns: the
/// title is cut to the room left, and left out (then the counts by type) when there is
/// none, with a line naming what a wider terminal adds.
fn write_table(catalog: &Catalog, width: usize, out: &mut dyn Write) -> anyhow::Result<()> {
    debug_assert_eq!(TYPE_HEADERS.len(), CardType::ALL.len());
    let names: Vec<String> = catalog
        .decks
        .iter()
        .map(|deck| {
            let marker = match deck.origin {
                DeckOrigin::Builtin => "",
                DeckOrigin::File(_) => " *",
            };
            format!("{}{marker}", visible_inline(deck.name.as_str()))
        })
        .collect();
    let mut totals = [0usize; 7];
    let counts: Vec<[usize; 7]> = catalog
        .decks
        .iter()
        .map(|deck| {
            let counts = deck.count_by_type();
            for (total, count) in totals.iter_mut().zip(counts) {
                *total += count;
            }
            counts
        })
        .collect();
    let columns = Columns::fit(&names, &totals, width);
    let headers: Vec<String> = TYPE_HEADERS.iter().map(|h| h.to_string()).collect();
    columns.write_row(out, "DECK", "TITLE", "CARDS", &headers)?;
    for ((deck, name), counts) in catalog.decks.iter().zip(&names).zip(&counts) {
        let numbers: Vec<String> = counts.iter().map(usize::to_string).collect();
        columns.write_row(
            out,
            name,
            &visible_inline(&deck.title),
            &deck.cards.len().to_string(),
            &numbers,
        )?;
    }
    let numbers: Vec<String> = totals.iter().map(usize::to_string).collect();
    columns.write_row(
        out,
        "total",
        "",
        &catalog.card_count().to_string(),
        &numbers,
    )?;
    if let Some(missing) = columns.left_out() {
        for line in wrap(&format!("A wider terminal adds {missing}."), width) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// The width of the CARDS column.
const CARDS_WIDTH: usize = 5;

/// The widths of the table's columns, fitted to the terminal.
struct Columns {
    name: usize,
    /// `None` when the titles are left out.
    title: Option<usize>,
    /// The width of each type's count, `None` when the counts by type are left out.
    counts: Option<[usize; 7]>,
}

impl Columns {
    /// The columns for the decks `names`, with `totals` cards of each type, in `width`.
    fn fit(names: &[String], totals: &[usize; 7], width: usize) -> Columns {
        let name = names
            .iter()
            .map(|name| name.chars().count())
            .chain([4, 5])
            .max()
            .unwrap_or(5);
        let counts: [usize; 7] =
            std::array::from_fn(|i| TYPE_HEADERS[i].len().max(totals[i].to_string().len()));
        let types_width: usize = counts.iter().map(|count| 1 + count).sum();
        // Two spaces after the name, and after the title: one between numbers.
        let fixed = name + 2 + CARDS_WIDTH;
        let with_types = fixed + types_width <= width;
        let room = width.saturating_sub(fixed + 2 + if with_types { types_width } else { 0 });
        Columns {
            name,
            title: (room >= TITLE_MIN).then(|| room.min(TITLE_MAX)),
            counts: with_types.then_some(counts),
        }
    }

    fn write_row(
        &self,
        out: &mut dyn Write,
        name: &str,
        title: &str,
        cards: &str,
        counts: &[String],
    ) -> std::io::Result<()> {
        let name_width = self.name;
        let mut line = format!("{name:<name_width$} ");
        if let Some(title_width) = self.title {
            line.push_str(&format!(" {:<title_width$} ", truncate(title, title_width)));
        }
        line.push_str(&format!(" {cards:>CARDS_WIDTH$}"));
        if let Some(widths) = self.counts {
            for (count, width) in counts.iter().zip(widths) {
                line.push_str(&format!(" {count:>width$}"));
            }
        }
        writeln!(out, "{}", line.trim_end())
    }

    /// What a wider terminal would add, if anything is left out.
    fn left_out(&self) -> Option<&'static str> {
        match (self.title.is_some(), self.counts.is_some()) {
            (true, true) => None,
            (false, true) => Some("the deck titles"),
            (true, false) => Some("the count of each card type"),
            (false, false) => Some("the deck titles and the count of each card type"),
        }
    }
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
