//! `lupus-quiz cards`: the cards as a table (or JSON), with filters that combine.

use std::collections::HashMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::{CardsArgs, SortKey, StateFilter};
use crate::context::Context;
use crate::deck::{Card, CardContent, Deck};
use crate::ids::{CardId, DeckName};
use crate::schedule::{CardPhase, CardState, DueRule, Scheduler, format_interval};
use crate::store::StoredCard;
use crate::text::{normalize_answer, plural, truncate, visible_inline};

/// One card as `cards` and `card` show it: its deck's text and its state, worked out once.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CardView {
    pub id: CardId,
    pub deck: DeckName,
    #[serde(rename = "type")]
    pub card_type: &'static str,
    pub tags: Vec<String>,
    /// `new`, `learning`, `relearning`, `review`, `suspended` (by the learner) or `leech`.
    pub state: &'static str,
    #[serde(serialize_with = "crate::commands::cards::optional_instant")]
    pub due: Option<DateTime<Utc>>,
    pub due_now: bool,
    pub stability: Option<f64>,
    pub difficulty: Option<f64>,
    pub recall: Option<f64>,
    pub reps: u32,
    pub lapses: u32,
    pub leech: bool,
    pub suspended: bool,
    #[serde(serialize_with = "crate::commands::cards::optional_instant")]
    pub last_review: Option<DateTime<Utc>>,
    pub question: String,
    pub answer: String,
}

pub(crate) fn optional_instant<S: serde::Serializer>(
    at: &Option<DateTime<Utc>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match at {
        Some(at) => serializer.serialize_str(&crate::clock::format_instant(*at)),
        None => serializer.serialize_none(),
    }
}

impl CardView {
    pub(crate) fn of(
        deck: &Deck,
        card: &Card,
        stored: Option<&StoredCard>,
        scheduler: &Scheduler,
        rule: &DueRule,
        now: DateTime<Utc>,
    ) -> CardView {
        let state = stored.map(|stored| &stored.state);
        let answered = state.filter(|state| state.phase != CardPhase::New);
        CardView {
            id: card.id.clone(),
            deck: deck.name.clone(),
            card_type: card.card_type().name(),
            tags: card.tags.clone(),
            state: state.map_or("new", state_name),
            due: answered.map(|state| state.due),
            due_now: answered.is_some_and(|state| rule.is_due(state)),
            stability: answered.map(|state| round(state.stability, 2)),
            difficulty: answered.map(|state| round(state.difficulty, 2)),
            recall: answered.map(|state| round(scheduler.retrievability(state, now), 4)),
            reps: state.map_or(0, |state| state.reps),
            lapses: state.map_or(0, |state| state.lapses),
            leech: state.is_some_and(|state| state.leech),
            suspended: state.is_some_and(|state| state.suspended),
            last_review: state.and_then(|state| state.last_review),
            question: shown_question(card),
            answer: shown_answer(card),
        }
    }

    /// Whether its interval (due minus last review) makes it mature, as `stats` says.
    fn is_mature(&self) -> bool {
        match (self.due, self.last_review) {
            (Some(due), Some(last)) => (due - last).num_days() >= crate::stats::MATURE_DAYS,
            _ => false,
        }
    }

    fn matches(&self, args: &CardsArgs, card: &Card) -> bool {
        let state_ok = args.state.is_none_or(|wanted| match wanted {
            StateFilter::New => self.state == "new",
            StateFilter::Learning => matches!(self.state, "learning" | "relearning"),
            StateFilter::Review => self.state == "review",
            StateFilter::Young => self.state == "review" && !self.is_mature(),
            StateFilter::Mature => self.state == "review" && self.is_mature(),
            StateFilter::Suspended => self.suspended,
            StateFilter::Leech => self.leech,
        });
        state_ok
            && (!args.due || self.due_now)
            && args
                .max_recall
                .is_none_or(|max| self.recall.is_some_and(|recall| recall <= max))
            && args.min_lapses.is_none_or(|min| self.lapses >= min)
            && args
                .search
                .as_ref()
                .is_none_or(|text| searchable(card).contains(&normalize_answer(text)))
    }
}

/// The question as a session shows it: a cloze with numbered blanks (`[1]`), not its
/// `{{answer|alternative}}` markup.
fn shown_question(card: &Card) -> String {
    match &card.content {
        CardContent::Cloze { text, .. } => {
            crate::deck::render_cloze(text, |i| format!("[{}]", i + 1))
        }
        _ => card.prompt().to_string(),
    }
}

/// The right answer, a cloze's blank by blank (`[1] steroids; [2] antimalarial`).
fn shown_answer(card: &Card) -> String {
    match &card.content {
        CardContent::Cloze { blanks, .. } => blanks
            .iter()
            .enumerate()
            .map(|(i, answers)| format!("[{}] {}", i + 1, answers[0]))
            .collect::<Vec<_>>()
            .join("; "),
        _ => crate::session::right_answer(card),
    }
}

/// A state's name as listed: a leech or a card suspended by hand before its phase.
pub(crate) fn state_name(state: &CardState) -> &'static str {
    if state.leech {
        "leech"
    } else if state.suspended {
        "suspended"
    } else {
        state.phase.as_str()
    }
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// Everything `--search` looks in: question, answers, explanation and note, folded as
/// typed answers are.
fn searchable(card: &Card) -> String {
    let mut texts: Vec<&str> = vec![card.prompt(), &card.explanation];
    texts.extend(card.note.as_deref());
    match &card.content {
        CardContent::Flip { back, .. } => texts.push(back),
        CardContent::Choice {
            answer,
            distractors,
            ..
        } => {
            texts.push(answer);
            texts.extend(distractors.iter().map(String::as_str));
        }
        CardContent::Multi { correct, wrong, .. } => {
            texts.extend(correct.iter().chain(wrong).map(String::as_str));
        }
        CardContent::TrueFalse { .. } => {}
        CardContent::Typed { answers, .. } => texts.extend(answers.iter().map(String::as_str)),
        CardContent::Order { items, .. } => texts.extend(items.iter().map(String::as_str)),
        CardContent::Cloze { blanks, .. } => {
            texts.extend(blanks.iter().flatten().map(String::as_str));
        }
    }
    normalize_answer(&texts.join(" \u{1f} "))
}

pub(crate) fn run(ctx: &Context, args: &CardsArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let selection = args.scope.scope().select(&catalog)?;
    let store = ctx.open_store_to_read()?;
    let (_, scheduler) = ctx.settings_and_scheduler(&store, crate::commands::stats::STATS_NEEDS)?;
    let now = ctx.clock.now();
    let rule = DueRule::at(now, scheduler.calendar());
    let states: HashMap<CardId, StoredCard> = store
        .cards_by_id(selection.cards().map(|(_, card)| &card.id))?
        .into_iter()
        .map(|card| (card.card_id.clone(), card))
        .collect();
    let mut views: Vec<CardView> = selection
        .cards()
        .map(|(deck, card)| {
            (
                card,
                CardView::of(deck, card, states.get(&card.id), &scheduler, &rule, now),
            )
        })
        .filter(|(card, view)| view.matches(args, card))
        .map(|(_, view)| view)
        .collect();
    sort(&mut views, args.sort);
    if args.json {
        serde_json::to_writer_pretty(&mut *out, &views)?;
        writeln!(out)?;
        return Ok(());
    }
    if views.is_empty() {
        writeln!(out, "No cards match.")?;
        return Ok(());
    }
    table(&views, now, ctx.stdout_columns(), out)?;
    writeln!(out, "{} card{}", views.len(), plural(views.len()))?;
    Ok(())
}

fn sort(views: &mut [CardView], key: Option<SortKey>) {
    let last = f64::INFINITY;
    match key {
        None | Some(SortKey::Deck) => {}
        Some(SortKey::Due) => {
            views.sort_by_key(|view| view.due.unwrap_or(DateTime::<Utc>::MAX_UTC))
        }
        Some(SortKey::Recall) => views.sort_by(|a, b| {
            a.recall
                .unwrap_or(last)
                .total_cmp(&b.recall.unwrap_or(last))
        }),
        Some(SortKey::Lapses) => views.sort_by_key(|view| std::cmp::Reverse(view.lapses)),
        Some(SortKey::Stability) => views.sort_by(|a, b| {
            a.stability
                .unwrap_or(last)
                .total_cmp(&b.stability.unwrap_or(last))
        }),
    }
}

/// When a card is due, as the table says it: `now` (by [`DueRule`]: a review due today is
/// due now), `in 3d`, or `-` for a new card and one out of rotation (never due).
pub(crate) fn due_text(view: &CardView, now: DateTime<Utc>) -> String {
    match view.due {
        _ if view.due_now => "now".to_string(),
        None => "-".to_string(),
        Some(_) if view.suspended || view.leech => "-".to_string(),
        Some(due) if due <= now => "now".to_string(),
        Some(due) => format!("in {}", format_interval(due - now)),
    }
}

/// A column of the table before the question.
struct Column {
    header: &'static str,
    right: bool,
    /// Columns are dropped, lowest first, until the table fits the terminal.
    priority: u8,
    cells: Vec<String>,
    /// The widest cell or the header, measured once: measuring it for every cell made the
    /// table quadratic (a minute for 50,000 cards).
    width: usize,
}

impl Column {
    fn new(header: &'static str, right: bool, priority: u8, cells: Vec<String>) -> Column {
        let width = cells
            .iter()
            .map(|cell| console::measure_text_width(cell))
            .chain([header.len()])
            .max()
            .unwrap_or(0);
        Column {
            header,
            right,
            priority,
            cells,
            width,
        }
    }

    /// `text` padded to the column's width, in terminal columns (a wide character such as
    /// a CJK one takes two; `format!`'s padding counts characters).
    fn cell(&self, text: &str) -> String {
        let pad = " ".repeat(self.width.saturating_sub(console::measure_text_width(text)));
        if self.right {
            format!("{pad}{text}")
        } else {
            format!("{text}{pad}")
        }
    }
}

/// The fewest characters a question keeps on a narrow terminal.
const MIN_QUESTION: usize = 16;

/// The table; columns are dropped and the question cut to fit `width` (nothing is cut off a
/// terminal).
fn table(
    views: &[CardView],
    now: DateTime<Utc>,
    width: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let column = |header, right, priority, cell: &dyn Fn(&CardView) -> String| {
        Column::new(header, right, priority, views.iter().map(cell).collect())
    };
    let mut columns = vec![
        column("ID", false, 9, &|v| {
            visible_inline(v.id.as_str()).into_owned()
        }),
        column("DECK", false, 3, &|v| {
            visible_inline(v.deck.as_str()).into_owned()
        }),
        column("TYPE", false, 1, &|v| v.card_type.to_string()),
        column("STATE", false, 8, &|v| v.state.to_string()),
        column("DUE", true, 7, &|v| due_text(v, now)),
        column("STAB", true, 2, &|v| {
            v.stability.map_or("-".to_string(), |s| format!("{s:.1}d"))
        }),
        column("RECALL", true, 5, &|v| {
            v.recall
                .map_or("-".to_string(), |r| format!("{:.0}%", r * 100.0))
        }),
        column("LAPSES", true, 4, &|v| v.lapses.to_string()),
    ];
    let used = |columns: &[Column]| columns.iter().map(|c| c.width + 2).sum::<usize>();
    let mut dropped: Vec<&str> = Vec::new();
    if let Some(width) = width {
        while used(&columns) + MIN_QUESTION > width {
            let Some(lowest) = columns
                .iter()
                .enumerate()
                .filter(|(_, c)| c.priority < 9)
                .min_by_key(|(_, c)| c.priority)
                .map(|(i, _)| i)
            else {
                break;
            };
            dropped.push(columns.remove(lowest).header);
        }
    }
    let question_width = width.map(|width| width.saturating_sub(used(&columns)).max(MIN_QUESTION));
    let header: Vec<String> = columns.iter().map(|c| c.cell(c.header)).collect();
    writeln!(out, "{}  QUESTION", header.join("  "))?;
    for (row, view) in views.iter().enumerate() {
        let cells: Vec<String> = columns.iter().map(|c| c.cell(&c.cells[row])).collect();
        let question = visible_inline(&view.question).into_owned();
        let question = match question_width {
            Some(width) => truncate(&question, width),
            None => question,
        };
        writeln!(out, "{}  {question}", cells.join("  "))?;
    }
    // As `stats` does: the columns left out for the width are named, in table order.
    if !dropped.is_empty() {
        let order = ["DECK", "TYPE", "DUE", "STAB", "RECALL", "LAPSES"];
        dropped.sort_by_key(|name| order.iter().position(|o| o == name));
        let note = format!("A wider terminal adds {}.", dropped.join(", "));
        for line in crate::text::wrap(&note, crate::text::text_width(width.unwrap_or(80))) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_line_up_when_a_cell_has_wide_characters() {
        let column = Column::new(
            "DECK",
            false,
            3,
            vec!["狼瘡".to_string(), "lupus".to_string()],
        );
        assert_eq!(column.width, 5);
        let cells: Vec<String> = column.cells.iter().map(|c| column.cell(c)).collect();
        assert_eq!(cells, ["狼瘡 ", "lupus"]);
        assert!(cells.iter().all(|c| console::measure_text_width(c) == 5));
    }
}
