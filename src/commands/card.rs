//! `lupus-quiz card ID`: everything about one card: its text, its state, its whole history
//! (reviews and manual actions) and a small forgetting curve, as Anki's card info shows.

use std::io::Write;

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use super::cards::{CardView, Progress, due_text};
use crate::cli::CardArgs;
use crate::context::Context;
use crate::deck::Catalog;
use crate::ids::{CardId, DeckName};
use crate::schedule::{CardAction, CardPhase, LogEntry, Scheduler, StudyCalendar, format_interval};
use crate::store::{CardEvent, Merged, ReviewRecord, merged_log};
use crate::text::{plural, spoken_duration, visible, visible_inline};

/// The days ahead the forgetting curve shows recall for.
const CURVE_DAYS: [i64; 8] = [0, 1, 3, 7, 14, 21, 28, 42];

/// One line of a card's history.
#[derive(Debug, Clone, Serialize)]
struct HistoryLine {
    #[serde(serialize_with = "crate::commands::cards::optional_instant")]
    at: Option<DateTime<Utc>>,
    /// `review`, or the manual action (`suspend`, `unsuspend`, `forget`).
    event: &'static str,
    rating: Option<&'static str>,
    kind: Option<&'static str>,
    duration_ms: Option<u64>,
    /// Time until the card was due after this entry, in seconds (reviews only).
    interval_seconds: Option<i64>,
    deck: Option<DeckName>,
}

#[derive(Debug, Serialize)]
struct CurvePoint {
    days: i64,
    recall: f64,
}

/// The JSON of `card ID`.
#[derive(Debug, Serialize)]
struct CardInfo {
    /// The card as `cards --json` lists it; `null` for an orphan.
    card: Option<CardView>,
    id: String,
    orphan: bool,
    explanation: Option<String>,
    source: Option<String>,
    /// The article line the card comes from, when its deck records one (`origin:`).
    origin: Option<u32>,
    note: Option<String>,
    history: Vec<HistoryLine>,
    curve: Vec<CurvePoint>,
}

/// The "no such card" error: the closest id, and where to find them all.
pub(crate) fn unknown_card(catalog: &Catalog, id: &str) -> String {
    let ids: Vec<&str> = catalog.card_ids().collect();
    // A typo first; else ids that contain what was typed (a part of an id remembered).
    let containing: Vec<&str> = ids
        .iter()
        .copied()
        .filter(|candidate| id.len() >= 3 && candidate.contains(id))
        .take(3)
        .collect();
    let suggestion = match crate::text::closest(id, &ids) {
        Some(close) => format!("did you mean `{close}`? "),
        None if !containing.is_empty() => format!(
            "did you mean {}? ",
            containing
                .iter()
                .map(|candidate| format!("`{candidate}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ),
        None => String::new(),
    };
    format!(
        "there is no card `{}`; {suggestion}`lupus-quiz cards --search TEXT` finds a card by its text",
        visible_inline(id)
    )
}

pub(crate) fn run(ctx: &Context, args: &CardArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (id, json) = (args.id.as_str(), args.json);
    let catalog = ctx.load_catalog()?;
    let store = ctx.open_store_to_read()?;
    let (settings, scheduler) =
        ctx.settings_and_scheduler(&store, crate::commands::stats::STATS_NEEDS)?;
    let now = ctx.clock.now();
    let viewing = super::cards::Viewing::at(&scheduler, now);
    let card_id = CardId::from(id);
    let found = catalog.card(id);
    let stored = store.card(&card_id)?;
    let reviews = store.reviews_of(&card_id)?;
    let events = store.events_of(&card_id)?;
    if found.is_none() && reviews.is_empty() && events.is_empty() {
        anyhow::bail!("{}", unknown_card(&catalog, id));
    }
    let history = history(&scheduler, &card_id, &reviews, &events);
    let state = stored.as_ref().map(|stored| &stored.state);
    let curve: Vec<CurvePoint> = match state {
        Some(state) if state.phase != CardPhase::New && state.last_review.is_some() => CURVE_DAYS
            .iter()
            .map(|&days| CurvePoint {
                days,
                recall: scheduler.retrievability(state, now + TimeDelta::days(days)),
            })
            .collect(),
        _ => Vec::new(),
    };
    let info = CardInfo {
        card: found
            .map(|(deck, card)| CardView::of(deck, card, Progress::of(stored.as_ref(), &viewing))),
        id: id.to_string(),
        orphan: found.is_none(),
        explanation: found.map(|(_, card)| card.explanation.clone()),
        source: found.map(|(_, card)| card.source.clone()),
        origin: found.and_then(|(_, card)| card.origin),
        note: found.and_then(|(_, card)| card.note.clone()),
        history,
        curve,
    };
    if json {
        serde_json::to_writer_pretty(&mut *out, &info)?;
        writeln!(out)?;
        return Ok(());
    }
    let view = TextView {
        width: crate::text::text_width(ctx.stdout_width),
        settings: &settings,
        calendar: scheduler.calendar(),
        now,
    };
    let stored_deck = stored.as_ref().and_then(|s| s.deck.as_ref());
    write_card(&info, stored_deck, &view, out)
}

/// Every review and manual action in replay order, each with the interval it gave.
fn history(
    scheduler: &Scheduler,
    id: &CardId,
    reviews: &[ReviewRecord],
    events: &[CardEvent],
) -> Vec<HistoryLine> {
    let lines = merged_log(reviews, events);
    let entries: Vec<LogEntry> = lines.iter().map(Merged::log_entry).collect();
    let states = scheduler.replay_trace(id, &entries);
    lines
        .iter()
        .zip(states)
        .map(|(line, state)| match line {
            Merged::Review(review) => HistoryLine {
                at: Some(review.at),
                event: "review",
                rating: Some(review.rating.label()),
                kind: Some(review.kind.as_str()),
                duration_ms: Some(review.duration_ms),
                interval_seconds: Some((state.due - review.at).num_seconds()),
                deck: review.deck.clone(),
            },
            Merged::Event(event) => HistoryLine {
                at: Some(event.at),
                event: event.action.as_str(),
                rating: None,
                kind: None,
                duration_ms: None,
                interval_seconds: None,
                deck: event.deck.clone(),
            },
        })
        .collect()
}

/// `text` after `label`, wrapped at spaces to `width` columns, its continuation lines (and
/// the lines of a text of several) under the text rather than under the label.
fn write_labelled(
    out: &mut dyn Write,
    label: &str,
    text: &str,
    width: usize,
) -> std::io::Result<()> {
    let hang = " ".repeat(label.chars().count());
    for (index, line) in text.split('\n').enumerate() {
        let first = if index == 0 { label } else { hang.as_str() };
        for wrapped in crate::text::wrap_hanging(line, width, first, &hang) {
            writeln!(out, "{wrapped}")?;
        }
    }
    Ok(())
}

/// What the text of `card ID` is written with: the terminal's width, the settings its
/// advice quotes, the calendar its history's times are in, and now.
struct TextView<'a> {
    width: usize,
    settings: &'a crate::settings::Settings,
    calendar: &'a StudyCalendar,
    now: DateTime<Utc>,
}

/// The card as text: its fields and state (or that it is an orphan), its history and its
/// forgetting curve.
fn write_card(
    info: &CardInfo,
    stored_deck: Option<&DeckName>,
    view: &TextView,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match &info.card {
        Some(card) => {
            write_fields(info, card, view.width, out)?;
            writeln!(out)?;
            write_state(card, view.settings, view.now, view.width, out)?;
        }
        None => {
            writeln!(out, "{}", visible_inline(&info.id))?;
            writeln!(
                out,
                "No deck has this card any more (an orphan{}); its history is kept.",
                stored_deck
                    .map(|deck| format!(", last in deck `{}`", visible_inline(deck.as_str())))
                    .unwrap_or_default()
            )?;
        }
    }
    writeln!(out)?;
    write_history(&info.history, view.calendar, out)?;
    if !info.curve.is_empty() {
        writeln!(out)?;
        write_curve(info, out)?;
    }
    Ok(())
}

/// The card's id, deck and type, then each of its fields after its label.
fn write_fields(
    info: &CardInfo,
    card: &CardView,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} · {} · {}",
        visible_inline(card.id.as_str()),
        card.deck,
        card.card_type
    )?;
    write_labelled(out, "Q: ", &visible(&card.question), width)?;
    write_labelled(out, "A: ", &visible(&card.answer), width)?;
    if let Some(explanation) = &info.explanation {
        write_labelled(out, "Why: ", &visible(explanation), width)?;
    }
    if let Some(note) = &info.note {
        write_labelled(out, "Note: ", &visible(note), width)?;
    }
    if let Some(source) = &info.source {
        let source = match info.origin {
            Some(line) => format!("{} (line {line} of the article)", visible(source)),
            None => visible(source).into_owned(),
        };
        write_labelled(out, "Source: ", &source, width)?;
    }
    let tags = if card.tags.is_empty() {
        "(none)".to_string()
    } else {
        visible_inline(&card.tags.join(", ")).into_owned()
    };
    write_labelled(out, "Tags: ", &tags, width)?;
    Ok(())
}

fn write_state(
    card: &CardView,
    settings: &crate::settings::Settings,
    now: DateTime<Utc>,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut parts = vec![card.state.to_string()];
    if card.due.is_some() {
        parts.push(format!("due {}", due_text(card, now)));
    }
    if let (Some(stability), Some(difficulty), Some(recall)) =
        (card.stability, card.difficulty, card.recall)
    {
        parts.push(format!("stability {stability:.1}d"));
        parts.push(format!("difficulty {difficulty:.1}"));
        parts.push(format!("recall now {:.0}%", recall * 100.0));
    }
    parts.push(format!(
        "{} review{}, {} lapse{}",
        card.reps,
        plural(card.reps as usize),
        card.lapses,
        plural(card.lapses as usize)
    ));
    // Broken between its parts, continued under the first one (not mid-part).
    let label = "State: ";
    let hang = " ".repeat(label.len());
    let lines = crate::text::wrap_items(&parts, width.saturating_sub(label.len()).max(1));
    for (index, line) in lines.iter().enumerate() {
        let first = if index == 0 { label } else { hang.as_str() };
        writeln!(out, "{first}{line}")?;
    }
    if card.leech {
        writeln!(
            out,
            "A leech: suspended after {} lapses (leech_threshold {}). `lupus-quiz unsuspend {}` brings it back with its history; it is flagged again after {} more lapses.",
            card.lapses,
            settings.leech_threshold,
            card.id,
            settings.leech_threshold.div_ceil(2).max(1)
        )?;
    }
    if card.suspended {
        writeln!(
            out,
            "Suspended by you: in no session until `lupus-quiz unsuspend {}`.",
            card.id
        )?;
    }
    Ok(())
}

fn write_history(
    history: &[HistoryLine],
    calendar: &StudyCalendar,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if history.is_empty() {
        writeln!(out, "History: never reviewed")?;
        return Ok(());
    }
    writeln!(out, "History:")?;
    for line in history {
        let when = line
            .at
            .map(|at| {
                at.with_timezone(&calendar.offset_at(at))
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default();
        match (line.rating, line.interval_seconds) {
            (Some(rating), Some(seconds)) => writeln!(
                out,
                "  {when}  {rating:<5}  {:<10}  next {:<6}  took {}",
                line.kind.unwrap_or_default(),
                format_interval(TimeDelta::seconds(seconds)),
                spoken_duration(line.duration_ms.unwrap_or_default())
            )?,
            _ => writeln!(out, "  {when}  {}", action_text(line.event))?,
        }
    }
    Ok(())
}

fn action_text(event: &str) -> &'static str {
    match event.parse::<CardAction>() {
        Ok(CardAction::Suspend) => "suspended by you",
        Ok(CardAction::Unsuspend) => "unsuspended by you",
        Ok(CardAction::Forget) => "forgotten by you: started over as new",
        Err(_) => "unknown action",
    }
}

fn write_curve(info: &CardInfo, out: &mut dyn Write) -> anyhow::Result<()> {
    let stability = info.card.as_ref().and_then(|card| card.stability);
    writeln!(
        out,
        "Forgetting curve (predicted recall{}):",
        stability
            .map(|s| format!(" at stability {s:.1}d"))
            .unwrap_or_default()
    )?;
    const BAR: usize = 20;
    for point in &info.curve {
        let label = match point.days {
            0 => "now".to_string(),
            days if days % 7 == 0 => format!("+{}w", days / 7),
            days => format!("+{days}d"),
        };
        let filled = (point.recall * BAR as f64).round() as usize;
        writeln!(
            out,
            "  {label:<4} {:>4.0}%  {}{}",
            point.recall * 100.0,
            "█".repeat(filled),
            "░".repeat(BAR - filled.min(BAR))
        )?;
    }
    Ok(())
}
