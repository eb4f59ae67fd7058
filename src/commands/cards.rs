//! `lupus-quiz cards`: the cards as a table (or JSON), with filters that combine.
//!
//! A filter the store can answer (`--due`, `--state`, `--min-lapses`, `--max-recall`: none
//! of them matches a card never answered) is asked of it in one query, and a card's text is
//! read only for the cards listed: `cards --due` at 50,000 cards asked for each card's state
//! by id and decoded every card's text to list 7,000 (issue 31).

use std::io::{BufWriter, Write};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::cli::{CardsArgs, SortKey, StateFilter};
use crate::context::Context;
use crate::deck::{Card, CardContent, Deck};
use crate::ids::{CardId, DeckName};
use crate::schedule::{CardPhase, CardState, DueRule, Scheduler, format_interval};
use crate::scope::Selection;
use crate::store::{Listed, Store, StoredCard, StoredFilter};
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

/// What the views of one moment share: the scheduler (for the predicted recall), the due
/// rule and the moment.
pub(crate) struct Viewing<'s> {
    pub scheduler: &'s Scheduler,
    pub rule: DueRule,
    pub now: DateTime<Utc>,
}

impl<'s> Viewing<'s> {
    pub(crate) fn at(scheduler: &'s Scheduler, now: DateTime<Utc>) -> Viewing<'s> {
        Viewing {
            scheduler,
            rule: DueRule::at(now, scheduler.calendar()),
            now,
        }
    }
}

/// A card's stored state as a [`CardView`] shows it, worked out before the card's text is
/// read: every filter but `--search` is decided from it.
#[derive(Debug, Clone)]
pub(crate) struct Progress {
    state: &'static str,
    due: Option<DateTime<Utc>>,
    due_now: bool,
    stability: Option<f64>,
    difficulty: Option<f64>,
    recall: Option<f64>,
    reps: u32,
    lapses: u32,
    leech: bool,
    suspended: bool,
    last_review: Option<DateTime<Utc>>,
}

impl Progress {
    /// The progress of a card with this stored state (`None`: never answered).
    pub(crate) fn of(stored: Option<&StoredCard>, viewing: &Viewing<'_>) -> Progress {
        let state = stored.map(|stored| &stored.state);
        let answered = state.filter(|state| state.phase != CardPhase::New);
        Progress {
            state: state.map_or("new", state_name),
            due: answered.map(|state| state.due),
            due_now: answered.is_some_and(|state| viewing.rule.is_due(state)),
            stability: answered.map(|state| round(state.stability, 2)),
            difficulty: answered.map(|state| round(state.difficulty, 2)),
            recall: answered
                .map(|state| round(viewing.scheduler.retrievability(state, viewing.now), 4)),
            reps: state.map_or(0, |state| state.reps),
            lapses: state.map_or(0, |state| state.lapses),
            leech: state.is_some_and(|state| state.leech),
            suspended: state.is_some_and(|state| state.suspended),
            last_review: state.and_then(|state| state.last_review),
        }
    }

    /// Whether its interval (due minus last review) makes it mature, as `stats` says.
    fn is_mature(&self) -> bool {
        match (self.due, self.last_review) {
            (Some(due), Some(last)) => (due - last).num_days() >= crate::stats::MATURE_DAYS,
            _ => false,
        }
    }

    /// Whether it passes every filter of `args` but `--search` (which reads the text).
    fn matches(&self, args: &CardsArgs) -> bool {
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
    }
}

impl CardView {
    pub(crate) fn of(deck: &Deck, card: &Card, progress: Progress) -> CardView {
        CardView {
            id: card.id.clone(),
            deck: deck.name.clone(),
            card_type: card.card_type().name(),
            tags: card.tags.clone(),
            state: progress.state,
            due: progress.due,
            due_now: progress.due_now,
            stability: progress.stability,
            difficulty: progress.difficulty,
            recall: progress.recall,
            reps: progress.reps,
            lapses: progress.lapses,
            leech: progress.leech,
            suspended: progress.suspended,
            last_review: progress.last_review,
            question: shown_question(card),
            answer: shown_answer(card),
        }
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
    let viewing = Viewing::at(&scheduler, ctx.clock.now());
    let mut views = matching_views(&store, &selection, args, &viewing)?;
    sort(&mut views, args.sort);
    // Written in blocks: standard output writes each line at once, and the JSON of 7,000
    // cards is 140,000 lines.
    let mut out = BufWriter::new(out);
    if args.json {
        serde_json::to_writer_pretty(&mut out, &views)?;
        writeln!(out)?;
    } else if views.is_empty() {
        writeln!(out, "No cards match.")?;
    } else {
        table(&views, viewing.now, ctx.stdout_columns(), &mut out)?;
        writeln!(out, "{} card{}", views.len(), plural(views.len()))?;
    }
    out.flush()?;
    Ok(())
}

/// The selected cards that pass the filters, in deck order, each card's text read only
/// once its state has passed.
fn matching_views<'a>(
    store: &Store,
    selection: &Selection<'a>,
    args: &CardsArgs,
    viewing: &Viewing<'_>,
) -> anyhow::Result<Vec<CardView>> {
    let filter = stored_filter(args, &viewing.rule);
    let stored = match &filter {
        Some(filter) => store.cards_matching(filter)?,
        None if args.scope.scope().is_everything() => {
            store.cards_matching(&StoredFilter::default())?
        }
        None => store.cards_by_id(selection.ids().map(|(_, _, id)| id))?,
    };
    let states: foldhash::HashMap<CardId, StoredCard> = stored
        .into_iter()
        .map(|card| (card.card_id.clone(), card))
        .collect();
    let search = args.search.as_deref().map(normalize_answer);
    let mut views = Vec::new();
    for (deck, index, id) in selection.ids() {
        let stored = states.get(id);
        if filter.is_some() && stored.is_none() {
            continue;
        }
        let progress = Progress::of(stored, viewing);
        if !progress.matches(args) {
            continue;
        }
        let Some(card) = deck.cards.get(index) else {
            continue;
        };
        if search
            .as_ref()
            .is_none_or(|text| searchable(card).contains(text))
        {
            views.push(CardView::of(deck, card, progress));
        }
    }
    Ok(views)
}

/// What the store can filter on for `args`, when no card without a stored state (never
/// answered) can pass them; `None` when one can, so every state is needed. What the store
/// filters on is only ever a part of what [`Progress::matches`] asks.
fn stored_filter<'r>(args: &CardsArgs, rule: &'r DueRule) -> Option<StoredFilter<'r>> {
    let listed = args.state.and_then(|state| match state {
        StateFilter::New => None,
        StateFilter::Learning => Some(Listed::Learning),
        StateFilter::Review | StateFilter::Young | StateFilter::Mature => Some(Listed::Review),
        StateFilter::Suspended => Some(Listed::Suspended),
        StateFilter::Leech => Some(Listed::Leech),
    });
    let min_lapses = args.min_lapses.filter(|&min| min > 0);
    // A card never answered is new, never due, without lapses or a predicted recall.
    let answered_only =
        args.due || listed.is_some() || min_lapses.is_some() || args.max_recall.is_some();
    answered_only.then_some(StoredFilter {
        due: args.due.then_some(rule),
        listed,
        min_lapses,
    })
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

/// The columns before the question, each cell worked out once.
fn columns(views: &[CardView], now: DateTime<Utc>) -> Vec<Column> {
    let column = |header, right, priority, cell: &dyn Fn(&CardView) -> String| {
        Column::new(header, right, priority, views.iter().map(cell).collect())
    };
    vec![
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
    ]
}

/// The width the columns take, with the two spaces after each.
fn used_width(columns: &[Column]) -> usize {
    columns.iter().map(|c| c.width + 2).sum()
}

/// Drops columns, lowest priority first, until the rest leave the question its fewest
/// characters within `width`; returns the headers of those dropped.
fn drop_to_fit(columns: &mut Vec<Column>, width: usize) -> Vec<&'static str> {
    let mut dropped = Vec::new();
    while used_width(columns) + MIN_QUESTION > width {
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
    dropped
}

/// The table; columns are dropped and the question cut to fit `width` (nothing is cut off a
/// terminal).
fn table(
    views: &[CardView],
    now: DateTime<Utc>,
    width: Option<usize>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut columns = columns(views, now);
    let mut dropped = width.map_or_else(Vec::new, |width| drop_to_fit(&mut columns, width));
    let question_width =
        width.map(|width| width.saturating_sub(used_width(&columns)).max(MIN_QUESTION));
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
    use chrono::{TimeDelta, TimeZone as _};
    use rand::{RngExt as _, SeedableRng as _};

    use super::*;
    use crate::deck::{Catalog, DeckCache, builtin_files, load_catalog};
    use crate::schedule::{CardAction, Rating, Zone};
    use crate::scope::CardScope;
    use crate::settings::Settings;
    use crate::store::{ActionTarget, NewReview};

    /// The built-in decks, most of their cards answered at random over two months before
    /// `now`, some suspended, some forgotten.
    fn answered_catalog(now: DateTime<Utc>) -> (Catalog, Store, Scheduler) {
        let catalog = load_catalog(builtin_files(), &DeckCache::disabled()).unwrap();
        let scheduler =
            Scheduler::new(Settings::default().scheduler_config(), Zone::utc()).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(31);
        let mut reviews = Vec::new();
        for (deck, card) in catalog.cards() {
            if rng.random_ratio(1, 5) {
                continue;
            }
            let mut at = now - TimeDelta::days(60);
            for _ in 0..rng.random_range(1..6) {
                at += TimeDelta::minutes(rng.random_range(1..20_000));
                if at >= now {
                    break;
                }
                reviews.push(NewReview {
                    card_id: card.id.clone(),
                    deck: Some(deck.name.clone()),
                    at,
                    rating: Rating::try_from(rng.random_range(1..5u8)).unwrap(),
                    duration_ms: 1000,
                });
            }
        }
        reviews.sort_by_key(|review| review.at);
        store.import_reviews(&reviews, None, &scheduler).unwrap();
        for (deck, card) in catalog.cards() {
            let action = match rng.random_range(0..12) {
                0 => CardAction::Suspend,
                1 => CardAction::Forget,
                _ => continue,
            };
            let target = ActionTarget {
                card_id: &card.id,
                deck: &deck.name,
            };
            store.take_action(&[target], action, now).unwrap();
        }
        (catalog, store, scheduler)
    }

    /// Every filter the store answers lists exactly what the same filter lists over every
    /// card's state, one card at a time (as `cards` did before issue 31).
    #[test]
    fn filters_answered_by_the_store_list_what_every_state_would() {
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        let (catalog, store, scheduler) = answered_catalog(now);
        let viewing = Viewing::at(&scheduler, now + TimeDelta::minutes(1));
        let states = [
            None,
            Some(StateFilter::New),
            Some(StateFilter::Learning),
            Some(StateFilter::Review),
            Some(StateFilter::Young),
            Some(StateFilter::Mature),
            Some(StateFilter::Suspended),
            Some(StateFilter::Leech),
        ];
        let mut listed_by_the_store = 0;
        for (state, due, min_lapses, max_recall) in (states.into_iter())
            .flat_map(|state| [false, true].map(|due| (state, due)))
            .flat_map(|(state, due)| [None, Some(0), Some(1)].map(|min| (state, due, min)))
            .flat_map(|(s, d, m)| [None, Some(0.9)].map(|recall| (s, d, m, recall)))
        {
            let mut args = CardsArgs {
                state,
                due,
                min_lapses,
                max_recall,
                ..CardsArgs::default()
            };
            for deck in [None, Some("hsct".to_string())] {
                args.scope.deck = deck.clone();
                let selection = args.scope.scope().select(&catalog).unwrap();
                let views = matching_views(&store, &selection, &args, &viewing).unwrap();
                let every_state = CardScope::default().select(&catalog).unwrap();
                let expected: Vec<CardId> = (every_state.cards())
                    .filter(|(card_deck, _)| {
                        deck.as_ref().is_none_or(|name| card_deck.name == **name)
                    })
                    .filter(|(_, card)| {
                        let stored = store.cards_by_id([&card.id]).unwrap();
                        Progress::of(stored.first(), &viewing).matches(&args)
                    })
                    .map(|(_, card)| card.id.clone())
                    .collect();
                let listed: Vec<CardId> = views.into_iter().map(|view| view.id).collect();
                assert_eq!(listed, expected, "{args:?}");
                if stored_filter(&args, &viewing.rule).is_some() {
                    listed_by_the_store += listed.len();
                }
            }
        }
        assert!(listed_by_the_store > 0);
    }

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
