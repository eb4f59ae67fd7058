//! The terminal form of the report: nine sections in a fixed order, fitted to the width of
//! the terminal (see [`Layout`]), with unicode block bars, a GitHub-style heatmap, and
//! colour only when it helps; or, in plain mode, words instead of bars and cells.

use std::io::{self, Write};

use super::layout::{Layout, bar, hanging, wrap_words};
use super::report::{DayDue, DayReviews, DeckCards, PassRate, Report, Score};
use crate::text::{plural, spoken_duration as duration, truncate, visible};

/// Heatmap cells from no reviews to the most; each drawn twice so cells look square.
const SHADES: [char; 5] = ['·', '░', '▒', '▓', '█'];

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/// Writes one section of the report.
type Section = fn(&mut dyn Write, &Report, &Layout) -> io::Result<()>;

/// Writes the report's nine sections, separated by blank lines.
pub(crate) fn render(out: &mut dyn Write, report: &Report, layout: Layout) -> io::Result<()> {
    let sections: [Section; 9] = [
        today, cards, forecast, activity, streak, retention, hardest, quiz, orphans,
    ];
    let mut first = true;
    for section in sections {
        let mut text = Vec::new();
        section(&mut text, report, &layout)?;
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

fn heading(out: &mut dyn Write, l: &Layout, title: &str, note: &str) -> io::Result<()> {
    let palette = l.palette;
    if note.is_empty() {
        return writeln!(out, "{}", palette.heading(title));
    }
    let sep = l.sep();
    if title.chars().count() + sep.chars().count() + note.chars().count() <= l.width {
        // The dot (or comma) goes with the dimmed note, the space before it in the terminal.
        let (space, mark) = sep.split_at(sep.len() - sep.trim_start().len());
        let note = format!("{mark}{note}");
        return writeln!(
            out,
            "{}{space}{}",
            palette.heading(title),
            palette.dim(&note)
        );
    }
    // Too long for one line: the note goes under the title.
    writeln!(out, "{}", palette.heading(title))?;
    for line in wrap_words(note, l.width - 2) {
        writeln!(out, "  {}", palette.dim(&line))?;
    }
    Ok(())
}

/// A hint (what to do when a section is empty), indented and wrapped to the width.
fn hint(out: &mut dyn Write, l: &Layout, text: &str) -> io::Result<()> {
    for line in wrap_words(text, l.width - 2) {
        writeln!(out, "  {}", l.palette.hint(&line))?;
    }
    Ok(())
}

/// Lines that may be too long, wrapped with a hanging indent after `first`.
fn write_hanging(out: &mut dyn Write, l: &Layout, first: &str, text: &str) -> io::Result<()> {
    for line in hanging(first, text, l.width) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

fn today(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    let today = &report.today;
    let sep = l.sep();
    let date = today.date.format("%A %-d %B %Y").to_string();
    heading(out, l, "Today", &date)?;
    if report.is_empty() {
        hint(
            out,
            l,
            &format!("No reviews yet: start with {}.", study_hint(report)),
        )?;
    } else if today.reviews == 0 {
        writeln!(out, "  reviews   none yet today")?;
    } else {
        let time = match l.plain {
            true => crate::text::spell_units(&duration(today.time_ms)),
            false => duration(today.time_ms),
        };
        writeln!(
            out,
            // The time spent answering, summed per answer: not a session's length, which
            // a summary gives as "session time" (newcomer review 2, item 17).
            "  reviews   {}, {time} answering{sep}{} right",
            today.reviews,
            percent(today.pass_rate)
        )?;
    }
    writeln!(
        out,
        "  due       {} now{sep}{} later today",
        report.due_now, today.due_later
    )?;
    writeln!(
        out,
        "  new       {} left today ({} a day per deck)",
        today.new_left, today.new_per_day
    )
}

/// The columns of the cards table that fit the width: the 80-column table with its
/// mastery bar from 77 columns on; narrower, the names take only the room they need, the
/// bar goes, and then the LEECH and SUSP columns.
#[derive(Debug, Clone, Copy)]
struct CardColumns {
    name: usize,
    suspended: bool,
    leeches: bool,
    /// Cells of the mastery bar; 0 for none (then the share stands under MASTERY).
    bar: usize,
}

impl CardColumns {
    const WIDE: usize = 77;

    fn fitting(l: &Layout, longest_name: usize) -> CardColumns {
        if l.width >= Self::WIDE && !l.plain {
            return CardColumns {
                name: 12,
                suspended: true,
                leeches: true,
                bar: 20,
            };
        }
        let name = longest_name.clamp(5, 12);
        // DECK, then NEW LEARN YOUNG MATURE, SUSP, LEECH and "  MASTERY".
        let base = 2 + name + 25;
        let mut columns = CardColumns {
            name,
            suspended: true,
            leeches: true,
            bar: 0,
        };
        if base + 11 + 9 > l.width {
            columns.leeches = false;
        }
        if base + 5 + 9 > l.width {
            columns.suspended = false;
        }
        // The bar goes before any number does.
        let room = l.width.saturating_sub(base + 11 + 7);
        if !l.plain && columns.leeches && room >= 6 {
            columns.bar = room.min(20);
        }
        columns
    }

    fn header(&self) -> String {
        let mut line = format!(
            "  {:<w$} {:>5} {:>5} {:>5} {:>6}",
            "DECK",
            "NEW",
            "LEARN",
            "YOUNG",
            "MATURE",
            w = self.name
        );
        if self.suspended {
            line.push_str(&format!(" {:>4}", "SUSP"));
        }
        if self.leeches {
            line.push_str(&format!(" {:>5}", "LEECH"));
        }
        line + "  MASTERY"
    }

    fn row(&self, l: &Layout, name: &str, deck: &DeckCards) -> String {
        let c = &deck.counts;
        let mut line = format!(
            "  {:<w$} {:>5} {:>5} {:>5} {:>6}",
            truncate(name, self.name),
            c.new,
            c.learning,
            c.young,
            c.mature,
            w = self.name
        );
        if self.suspended {
            line.push_str(&format!(" {:>4}", c.suspended));
        }
        if self.leeches {
            line.push_str(&format!(" {:>5}", c.leeches));
        }
        if self.bar == 0 {
            return line + &format!("  {:>7}", percent_whole(c.mastery));
        }
        let bar = bar(c.mastery, 1.0, self.bar);
        let pad = " ".repeat(self.bar - bar.chars().count());
        format!(
            "{line}  {}{pad} {:>4}",
            l.palette.bar(&bar),
            percent_whole(c.mastery)
        )
    }

    /// What a wider terminal would add, if anything was left out.
    fn left_out(&self) -> Option<String> {
        let missing: Vec<&str> = [(self.suspended, "SUSP"), (self.leeches, "LEECH")]
            .into_iter()
            .filter(|(shown, _)| !shown)
            .map(|(_, name)| name)
            .collect();
        (!missing.is_empty()).then(|| format!("(a wider terminal adds {})", missing.join(" and ")))
    }
}

fn cards(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    heading(
        out,
        l,
        "Cards by state",
        "mastery: share of cards that are mature",
    )?;
    let mut rows: Vec<(String, DeckCards)> = report
        .cards
        .decks
        .iter()
        .map(|deck| (visible(deck.deck.as_str()).into_owned(), deck.clone()))
        .collect();
    if report.cards.decks.len() > 1 {
        let total = DeckCards {
            deck: "total".into(),
            counts: report.cards.total.clone(),
            due_now: report.due_now,
            new_left: report.today.new_left,
        };
        rows.push(("total".to_string(), total));
    }
    let longest = rows.iter().map(|(name, _)| name.chars().count()).max();
    let columns = CardColumns::fitting(l, longest.unwrap_or(5));
    writeln!(out, "{}", columns.header())?;
    for (name, deck) in &rows {
        writeln!(out, "{}", columns.row(l, name, deck))?;
    }
    if let Some(note) = columns.left_out() {
        writeln!(out, "  {}", l.palette.dim(&note))?;
    }
    let total = &report.cards.total;
    if total.total > 0 && total.new == total.total {
        let text = format!(
            "Every card is new: {} learns {} a day.",
            study_hint(report),
            report.today.new_per_day
        );
        hint(out, l, &text)?;
    }
    Ok(())
}

/// Forecast lines: one day, or a run of two or more days with nothing due.
enum DueLine<'a> {
    Day(&'a DayDue),
    Nothing(&'a DayDue, &'a DayDue),
}

fn due_lines(forecast: &[DayDue]) -> Vec<DueLine<'_>> {
    let mut lines = Vec::new();
    let mut i = 0;
    while i < forecast.len() {
        let run = forecast[i..].iter().take_while(|day| day.due == 0).count();
        if run >= 2 {
            lines.push(DueLine::Nothing(&forecast[i], &forecast[i + run - 1]));
            i += run;
        } else {
            lines.push(DueLine::Day(&forecast[i]));
            i += 1;
        }
    }
    lines
}

fn forecast(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    let days = report.forecast.len();
    let note = format!("cards due on each of the next {days} day{}", plural(days));
    heading(out, l, "Forecast", &note)?;
    let max = report.forecast.iter().map(|d| d.due).max().unwrap_or(0);
    if max == 0 {
        let text = if report.is_empty() {
            "Nothing due yet: cards get due dates once you study them.".to_string()
        } else {
            format!("Nothing due in the next {days} day{}.", plural(days))
        };
        return hint(out, l, &text);
    }
    let date = |day: &DayDue| day.date.format("%a %m-%d").to_string();
    for line in due_lines(&report.forecast) {
        let text = match (line, l.plain) {
            (DueLine::Nothing(from, to), true) => {
                format!("  {} to {}: nothing due", date(from), date(to))
            }
            (DueLine::Nothing(from, to), false) => {
                format!("  {} – {}  nothing due", date(from), date(to))
            }
            (DueLine::Day(day), true) if day.due == 0 => format!("  {}: nothing due", date(day)),
            (DueLine::Day(day), true) => format!(
                "  {}: {} card{} due",
                date(day),
                day.due,
                plural(day.due as usize)
            ),
            (DueLine::Day(day), false) => {
                let bar = bar(day.due as f64, max as f64, l.width - 24);
                let space = if bar.is_empty() { "" } else { " " };
                format!("  {}  {}{space}{}", date(day), l.palette.bar(&bar), day.due)
            }
        };
        writeln!(out, "{text}")?;
    }
    Ok(())
}

fn activity(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    let weeks = report.activity.len().div_ceil(7);
    let per = if l.plain { "week" } else { "day" };
    let note = format!("reviews per {per}, last {weeks} weeks");
    heading(out, l, "Activity", &note)?;
    let max = report.activity.iter().map(|d| d.reviews).max().unwrap_or(0);
    if max == 0 {
        return hint(out, l, "No activity yet: each day you study fills a cell.");
    }
    let columns: Vec<&[DayReviews]> = report.activity.chunks(7).collect();
    if l.plain {
        return activity_in_words(out, &columns);
    }
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
            l.palette.bar(&cells.join(" ")).trim_end()
        )?;
    }
    for line in legend_lines(max, l.width) {
        writeln!(out, "       {line}")?;
    }
    Ok(())
}

/// One line per week: its reviews and on how many days.
fn activity_in_words(out: &mut dyn Write, weeks: &[&[DayReviews]]) -> io::Result<()> {
    for week in weeks {
        let reviews: u64 = week.iter().map(|day| day.reviews).sum();
        let active = week.iter().filter(|day| day.reviews > 0).count();
        let so_far = if week.len() < 7 { " (so far)" } else { "" };
        let what = if reviews == 0 {
            "no reviews".to_string()
        } else {
            format!(
                "{reviews} review{} on {active} day{}",
                plural(reviews as usize),
                plural(active)
            )
        };
        writeln!(
            out,
            "  week of {}{so_far}: {what}",
            week[0].date.format("%a %m-%d")
        )?;
    }
    Ok(())
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
fn legend_parts(max: u64) -> Vec<String> {
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
    parts
}

/// The legend on as many lines as the width needs (below the heatmap's 7-column margin).
fn legend_lines(max: u64, width: usize) -> Vec<String> {
    let room = width - 7;
    let mut lines: Vec<String> = Vec::new();
    for part in legend_parts(max) {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 2 + part.chars().count() <= room => {
                line.push_str("  ");
                line.push_str(&part);
            }
            _ => lines.push(part),
        }
    }
    lines
}

fn streak(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    heading(out, l, "Streak", "days in a row with at least one review")?;
    let streak = report.streak;
    if report.is_empty() {
        return hint(out, l, "No streak yet: one review a day starts one.");
    }
    let current = if streak.current == 0 {
        "0 days (a review today starts a new one)".to_string()
    } else {
        days(streak.current)
    };
    writeln!(out, "  current   {current}")?;
    writeln!(out, "  longest   {}", days(streak.longest))
}

fn retention(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    let r = &report.retention;
    heading(
        out,
        l,
        "True retention",
        "reviews of cards in review rated Hard or better",
    )?;
    if r.d365.reviews == 0 && r.review_cards == 0 {
        let text = "No reviews of graduated cards yet: this shows once cards leave learning.";
        hint(out, l, text)?;
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
        let first = format!("  {:<14} {:>6}  ", "predicted now", percent(Some(recall)));
        let text = format!(
            "average FSRS recall of {} card{} in review",
            r.review_cards,
            plural(r.review_cards as usize)
        );
        write_hanging(out, l, &first, &text)?;
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

fn hardest(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    heading(
        out,
        l,
        "Hardest cards",
        "most lapses and failed steps, then lowest recall",
    )?;
    if report.hardest.is_empty() {
        let text = if report.is_empty() {
            "No hard cards yet: cards you fail show here."
        } else {
            "No card gives you trouble: none has lapsed or failed a learning step."
        };
        return hint(out, l, text);
    }
    writeln!(
        out,
        "  {:>6}  {:>6}  {:>6}  CARD",
        "LAPSES", "FAILED", "RECALL"
    )?;
    for card in &report.hardest {
        let notes: Vec<&str> = [(card.leech, "leech"), (card.state != "review", card.state)]
            .into_iter()
            .filter_map(|(shown, note)| shown.then_some(note))
            .collect();
        let marks = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join(", "))
        };
        let numbers = format!(
            "  {:>6}  {:>6}  {:>6}  {}{marks}",
            card.lapses,
            card.failed_steps,
            percent_whole(card.recall),
            visible(card.id.as_str()),
        );
        let question = visible(&card.question)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let line = format!("{numbers}  {question}");
        if line.chars().count() <= l.width {
            writeln!(out, "{line}")?;
        } else {
            // Too long for one line: the question goes under the card's id.
            let indent = " ".repeat(26);
            writeln!(out, "{}", truncate(&numbers, l.width))?;
            writeln!(out, "{}", truncate(&format!("{indent}{question}"), l.width))?;
        }
    }
    Ok(())
}

fn quiz(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    heading(out, l, "Quiz results", "latest and best score per deck")?;
    if report.quiz.is_empty() {
        let text = format!(
            "No quizzes yet: `lupus-quiz quiz {}` tests you on a deck.",
            report.first_deck
        );
        return hint(out, l, &text);
    }
    // From 67 columns the scores carry their dates; narrower, the names take only the room
    // they need and the dates go.
    let with_dates = l.width >= 67;
    let (name, cell) = if with_dates {
        (12, 20)
    } else {
        let longest = report.quiz.iter().map(|d| d.deck.as_str().chars().count());
        (longest.max().unwrap_or(4).clamp(4, l.width - 39), 13)
    };
    let taken = if with_dates {
        ("QUIZZES", 7)
    } else {
        ("TAKEN", 5)
    };
    writeln!(
        out,
        "  {:<name$}  {:<cell$}  {:<cell$}  {:>width$}",
        "DECK",
        "LATEST",
        "BEST",
        taken.0,
        width = taken.1
    )?;
    for deck in &report.quiz {
        let best = match &deck.best {
            Some(best) => score(best, with_dates),
            None => "none finished".to_string(),
        };
        writeln!(
            out,
            "  {:<name$}  {:<cell$}  {:<cell$}  {:>width$}",
            truncate(&visible(deck.deck.as_str()), name),
            score(&deck.latest, with_dates),
            best,
            deck.taken,
            width = taken.1
        )?;
        if deck.latest.ended_early {
            // Under the latest score: it is what was answered before the quiz was left.
            writeln!(out, "  {:<name$}  (ended early)", "")?;
        }
    }
    Ok(())
}

fn score(score: &Score, with_date: bool) -> String {
    let fraction = format!(
        "{:>7} {:>5}",
        format!("{}/{}", score.correct, score.questions),
        percent_whole(score.rate.unwrap_or(0.0))
    );
    if with_date {
        format!("{fraction}  {}", score.date.format("%m-%d"))
    } else {
        fraction
    }
}

fn orphans(out: &mut dyn Write, report: &Report, l: &Layout) -> io::Result<()> {
    if report.orphans.is_empty() {
        return Ok(());
    }
    heading(
        out,
        l,
        "Orphans",
        "reviews of cards no deck has any more, kept",
    )?;
    // A log imported from another tool can hold thousands; the terminal shows the first few
    // and the JSON all of them.
    const SHOWN: usize = 10;
    let id_width = 40.min(l.width - 30);
    for orphan in report.orphans.iter().take(SHOWN) {
        let was_in = orphan
            .deck
            .as_ref()
            .map(|deck| format!("  (was in {})", visible(deck.as_str())))
            .unwrap_or_default();
        let line = format!(
            "  {:<id_width$} {:>5} review{}{was_in}",
            visible(orphan.id.as_str()),
            orphan.reviews,
            plural(orphan.reviews as usize),
        );
        writeln!(out, "{}", truncate(&line, l.width))?;
    }
    if report.orphans.len() > SHOWN {
        let reviews: u64 = report.orphans[SHOWN..].iter().map(|o| o.reviews).sum();
        let text = format!(
            "… and {} more cards with {reviews} reviews (`lupus-quiz stats --json` lists all)",
            report.orphans.len() - SHOWN
        );
        write_hanging(out, l, "  ", &text)?;
    }
    Ok(())
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
    fn shades_split_the_busiest_day_in_quarters() {
        assert_eq!(shade(0, 8), '·');
        assert_eq!(shade(1, 8), '░');
        assert_eq!(shade(2, 8), '░');
        assert_eq!(shade(3, 8), '▒');
        assert_eq!(shade(8, 8), '█');
        assert_eq!(
            legend_parts(8).join("  "),
            "·· none  ░░ 1-2  ▒▒ 3-4  ▓▓ 5-6  ██ 7-8"
        );
        assert_eq!(legend_parts(2).join("  "), "·· none  ▒▒ 1  ██ 2");
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
