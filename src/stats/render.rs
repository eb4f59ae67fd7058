//! The terminal form of the report: nine sections in a fixed order, each fitting in 80
//! columns, with unicode block bars, a GitHub-style heatmap, and colour only when it helps.

use std::io::{self, IsTerminal, Write};

use console::Style;

use super::report::{DayReviews, DeckCards, PassRate, Report, Score};
use crate::text::{plural, spoken_duration as duration, truncate, visible};

/// Terminal width the output is laid out for.
const WIDTH: usize = 80;

/// Eighths of a block, for bars with sub-character precision.
const PARTIAL_BLOCKS: [char; 7] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// Heatmap cells from no reviews to the most; each drawn twice so cells look square.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Colours, applied only when they reach a person: stdout a terminal and `NO_COLOR` unset.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    enabled: bool,
}

impl Palette {
    pub(crate) fn for_stdout() -> Palette {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Palette {
            enabled: io::stdout().is_terminal() && !no_color,
        }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.enabled {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }

    fn heading(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dim(), text)
    }

    fn bar(&self, text: &str) -> String {
        self.paint(Style::new().cyan(), text)
    }

    fn hint(&self, text: &str) -> String {
        self.paint(Style::new().yellow(), text)
    }
}

/// Writes one section of the report.
type Section = fn(&mut dyn Write, &Report, Palette) -> io::Result<()>;

/// Writes the report's nine sections, separated by blank lines.
pub(crate) fn render(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    let sections: [Section; 9] = [
        today, cards, forecast, activity, streak, retention, hardest, quiz, orphans,
    ];
    let mut first = true;
    for section in sections {
        let mut text = Vec::new();
        section(&mut text, report, palette)?;
        if text.is_empty() {
            continue;
        }
        if !first {
            writeln!(out)?;
        }
        first = false;
        out.write_all(&text)?;
    }
    Ok(())
}

/// The command that starts learning, for the hints of empty sections.
fn study_hint(report: &Report) -> String {
    format!("`lupus-quiz study {}`", report.first_deck)
}

fn heading(out: &mut dyn Write, palette: Palette, title: &str, note: &str) -> io::Result<()> {
    if note.is_empty() {
        writeln!(out, "{}", palette.heading(title))
    } else {
        writeln!(
            out,
            "{} {}",
            palette.heading(title),
            palette.dim(&format!("· {note}"))
        )
    }
}

fn today(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    let today = &report.today;
    let date = today.date.format("%A %-d %B %Y").to_string();
    heading(out, palette, "Today", &date)?;
    if report.is_empty() {
        let hint = format!("No reviews yet: start with {}.", study_hint(report));
        writeln!(out, "  {}", palette.hint(&hint))?;
    } else if today.reviews == 0 {
        writeln!(out, "  reviews   none yet today")?;
    } else {
        writeln!(
            out,
            "  reviews   {} in {} · {} right",
            today.reviews,
            duration(today.time_ms),
            percent(today.pass_rate)
        )?;
    }
    writeln!(
        out,
        "  due       {} now · {} later today",
        report.due_now, today.due_later
    )?;
    writeln!(
        out,
        "  new       {} left today ({} a day per deck)",
        today.new_left, today.new_per_day
    )
}

fn cards(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    heading(
        out,
        palette,
        "Cards by state",
        "mastery: share of cards that are mature",
    )?;
    writeln!(
        out,
        "  {:<12} {:>5} {:>5} {:>5} {:>6} {:>4} {:>5}  MASTERY",
        "DECK", "NEW", "LEARN", "YOUNG", "MATURE", "SUSP", "LEECH"
    )?;
    for deck in &report.cards.decks {
        card_row(out, palette, &visible(&deck.deck), deck)?;
    }
    if report.cards.decks.len() > 1 {
        let total = DeckCards {
            deck: "total".to_string(),
            counts: report.cards.total.clone(),
            due_now: report.due_now,
            new_left: report.today.new_left,
        };
        card_row(out, palette, "total", &total)?;
    }
    let total = &report.cards.total;
    if total.total > 0 && total.new == total.total {
        let hint = format!(
            "Every card is new: {} learns {} a day.",
            study_hint(report),
            report.today.new_per_day
        );
        writeln!(out, "  {}", palette.hint(&hint))?;
    }
    Ok(())
}

fn card_row(out: &mut dyn Write, palette: Palette, name: &str, deck: &DeckCards) -> io::Result<()> {
    let c = &deck.counts;
    let bar_width = 20;
    let bar = bar(c.mastery, 1.0, bar_width);
    writeln!(
        out,
        "  {:<12} {:>5} {:>5} {:>5} {:>6} {:>4} {:>5}  {}{} {:>4}",
        truncate(name, 12),
        c.new,
        c.learning,
        c.young,
        c.mature,
        c.suspended,
        c.leeches,
        palette.bar(&bar),
        " ".repeat(bar_width - bar.chars().count()),
        percent_whole(c.mastery),
    )
}

fn forecast(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    let days = report.forecast.len();
    let note = format!("cards due on each of the next {days} day{}", plural(days));
    heading(out, palette, "Forecast", &note)?;
    let max = report.forecast.iter().map(|d| d.due).max().unwrap_or(0);
    if max == 0 {
        let hint = if report.is_empty() {
            "Nothing due yet: cards get due dates once you study them.".to_string()
        } else {
            format!("Nothing due in the next {days} day{}.", plural(days))
        };
        return writeln!(out, "  {}", palette.hint(&hint));
    }
    for day in &report.forecast {
        let bar = bar(day.due as f64, max as f64, 56);
        let space = if bar.is_empty() { "" } else { " " };
        writeln!(
            out,
            "  {}  {}{space}{}",
            day.date.format("%a %m-%d"),
            palette.bar(&bar),
            day.due
        )?;
    }
    Ok(())
}

fn activity(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    let weeks = report.activity.len().div_ceil(7);
    let note = format!("reviews per day, last {weeks} weeks");
    heading(out, palette, "Activity", &note)?;
    let max = report.activity.iter().map(|d| d.reviews).max().unwrap_or(0);
    if max == 0 {
        let hint = "No activity yet: each day you study fills a cell.";
        return writeln!(out, "  {}", palette.hint(hint));
    }
    let columns: Vec<&[DayReviews]> = report.activity.chunks(7).collect();
    writeln!(out, "       {}", month_labels(&columns).trim_end())?;
    for (weekday, name) in WEEKDAYS.iter().enumerate() {
        let cells: Vec<String> = columns
            .iter()
            .map(|week| match week.get(weekday) {
                Some(day) => shade(day.reviews, max).to_string().repeat(2),
                None => "  ".to_string(),
            })
            .collect();
        writeln!(
            out,
            "  {name}  {}",
            palette.bar(&cells.join(" ")).trim_end()
        )?;
    }
    writeln!(out, "       {}", legend(max))
}

/// Month names above the first week column of each month.
fn month_labels(columns: &[&[DayReviews]]) -> String {
    let mut previous = None;
    columns
        .iter()
        .map(|week| {
            let month = week[0].date.format("%b").to_string();
            let label = if previous.as_ref() != Some(&month) {
                month.clone()
            } else {
                "   ".to_string()
            };
            previous = Some(month);
            label
        })
        .collect::<Vec<_>>()
        .join("")
}

/// The shade of a day: none, or the quarter of the busiest day it falls in.
fn shade(reviews: u64, max: u64) -> char {
    if reviews == 0 || max == 0 {
        return SHADES[0];
    }
    let level = (reviews * 4).div_ceil(max).clamp(1, 4);
    SHADES[level as usize]
}

/// What each shade means, in reviews, leaving out shades no count can reach.
fn legend(max: u64) -> String {
    let mut parts = vec![format!("{0}{0} none", SHADES[0])];
    for level in 1..=4u64 {
        let low = (level - 1) * max / 4 + 1;
        let high = level * max / 4;
        if low > high {
            continue;
        }
        let range = if low == high {
            low.to_string()
        } else {
            format!("{low}-{high}")
        };
        parts.push(format!("{0}{0} {range}", SHADES[level as usize]));
    }
    parts.join("  ")
}

fn streak(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    heading(
        out,
        palette,
        "Streak",
        "days in a row with at least one review",
    )?;
    let streak = report.streak;
    if report.is_empty() {
        let hint = "No streak yet: one review a day starts one.";
        return writeln!(out, "  {}", palette.hint(hint));
    }
    let current = if streak.current == 0 {
        "0 days (a review today starts a new one)".to_string()
    } else {
        days(streak.current)
    };
    writeln!(out, "  current   {current}")?;
    writeln!(out, "  longest   {}", days(streak.longest))
}

fn retention(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    let r = &report.retention;
    heading(
        out,
        palette,
        "True retention",
        "reviews of cards in review rated Hard or better",
    )?;
    if r.d365.reviews == 0 && r.review_cards == 0 {
        let hint = "No reviews of graduated cards yet: this shows once cards leave learning.";
        writeln!(out, "  {}", palette.hint(hint))?;
    } else {
        for (label, rate) in [
            ("last 7 days", r.d7),
            ("last 30 days", r.d30),
            ("last 365 days", r.d365),
        ] {
            writeln!(out, "  {label:<14} {}", pass_rate(rate))?;
        }
    }
    writeln!(out, "  {:<14} {:>6}", "desired", percent(Some(r.desired)))?;
    if let Some(recall) = r.predicted_recall {
        writeln!(
            out,
            "  {:<14} {:>6}  average FSRS recall of {} card{} in review",
            "predicted now",
            percent(Some(recall)),
            r.review_cards,
            plural(r.review_cards as usize)
        )?;
    }
    Ok(())
}

fn pass_rate(rate: PassRate) -> String {
    match rate.rate {
        Some(share) => format!(
            "{:>6}  {} of {}",
            percent(Some(share)),
            rate.passed,
            rate.reviews
        ),
        None => format!("{:>6}  no reviews", "-"),
    }
}

fn hardest(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    heading(
        out,
        palette,
        "Hardest cards",
        "most lapses, then lowest stability",
    )?;
    if report.hardest.is_empty() {
        let hint = "No hard cards yet: cards show here once they reach review.";
        return writeln!(out, "  {}", palette.hint(hint));
    }
    writeln!(out, "  {:>6}  {:>9}  CARD", "LAPSES", "STABILITY")?;
    for card in &report.hardest {
        let leech = if card.leech { " (leech)" } else { "" };
        let line = format!(
            "  {:>6}  {:>9}  {}{leech}  {}",
            card.lapses,
            format!("{:.1}d", card.stability),
            visible(&card.id),
            visible(&card.question)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
        writeln!(out, "{}", truncate(&line, WIDTH))?;
    }
    Ok(())
}

fn quiz(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    heading(
        out,
        palette,
        "Quiz results",
        "latest and best score per deck",
    )?;
    if report.quiz.is_empty() {
        let hint = format!(
            "No quizzes yet: `lupus-quiz quiz {}` tests you on a deck.",
            report.first_deck
        );
        return writeln!(out, "  {}", palette.hint(&hint));
    }
    writeln!(
        out,
        "  {:<12}  {:<20}  {:<20}  {:>7}",
        "DECK", "LATEST", "BEST", "QUIZZES"
    )?;
    for deck in &report.quiz {
        writeln!(
            out,
            "  {:<12}  {:<20}  {:<20}  {:>7}",
            truncate(&visible(&deck.deck), 12),
            score(&deck.latest),
            score(&deck.best),
            deck.taken
        )?;
    }
    Ok(())
}

fn score(score: &Score) -> String {
    format!(
        "{:>7} {:>5}  {}",
        format!("{}/{}", score.correct, score.questions),
        percent_whole(score.rate.unwrap_or(0.0)),
        score.date.format("%m-%d")
    )
}

fn orphans(out: &mut dyn Write, report: &Report, palette: Palette) -> io::Result<()> {
    if report.orphans.is_empty() {
        return Ok(());
    }
    heading(
        out,
        palette,
        "Orphans",
        "reviews of cards no deck has any more, kept",
    )?;
    // A log imported from another tool can hold thousands; the terminal shows the first few
    // and the JSON all of them.
    const SHOWN: usize = 10;
    for orphan in report.orphans.iter().take(SHOWN) {
        let was_in = orphan
            .deck
            .as_ref()
            .map(|deck| format!("  (was in {})", visible(deck)))
            .unwrap_or_default();
        let line = format!(
            "  {:<40} {:>5} review{}{was_in}",
            visible(&orphan.id),
            orphan.reviews,
            plural(orphan.reviews as usize),
        );
        writeln!(out, "{}", truncate(&line, WIDTH))?;
    }
    if report.orphans.len() > SHOWN {
        let reviews: u64 = report.orphans[SHOWN..].iter().map(|o| o.reviews).sum();
        writeln!(
            out,
            "  … and {} more cards with {reviews} reviews (`lupus-quiz stats --json` lists all)",
            report.orphans.len() - SHOWN
        )?;
    }
    Ok(())
}

/// A bar of `value / max` of `width` cells, in eighths of a cell; a value above zero always
/// shows at least a sliver, so a small count is never mistaken for none.
fn bar(value: f64, max: f64, width: usize) -> String {
    if !(value > 0.0 && max > 0.0) {
        return String::new();
    }
    let eighths = ((value / max).min(1.0) * (width * 8) as f64)
        .round()
        .max(1.0) as usize;
    let mut bar = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        bar.push(PARTIAL_BLOCKS[eighths % 8 - 1]);
    }
    bar
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".to_string(), |s| format!("{:.1}%", s * 100.0))
}

fn percent_whole(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

fn days(n: u32) -> String {
    format!("{n} day{}", plural(n as usize))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::days::weekday_of;

    #[test]
    fn bars_use_eighths_and_never_hide_a_small_value() {
        assert_eq!(bar(0.0, 10.0, 8), "");
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 3), "█▌");
        assert_eq!(bar(1.0, 1000.0, 4), "▏");
        assert_eq!(bar(3.0, 0.0, 4), "", "no division by zero");
    }

    #[test]
    fn shades_split_the_busiest_day_in_quarters() {
        assert_eq!(shade(0, 8), '·');
        assert_eq!(shade(1, 8), '░');
        assert_eq!(shade(2, 8), '░');
        assert_eq!(shade(3, 8), '▒');
        assert_eq!(shade(8, 8), '█');
        assert_eq!(legend(8), "·· none  ░░ 1-2  ▒▒ 3-4  ▓▓ 5-6  ██ 7-8");
        assert_eq!(legend(2), "·· none  ▒▒ 1  ██ 2");
    }

    #[test]
    fn durations_read_like_speech() {
        assert_eq!(duration(45_999), "45s");
        assert_eq!(duration(270_000), "4m 30s");
        assert_eq!(duration(3_900_000), "1h 05m");
    }

    #[test]
    fn weekday_rows_start_on_monday() {
        assert_eq!(WEEKDAYS[weekday_of(4)], "Mon", "1970-01-05 was a Monday");
    }
}
