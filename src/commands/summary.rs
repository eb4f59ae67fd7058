//! `lupus-quiz summary`: one page to take to an appointment. For each section the learner
//! is studying, weakest first: what they know, in words; the cards they keep missing, each
//! as a plain statement; and questions they could ask their care team. Then the sections
//! not started, the educational-use notice and the date.
//!
//! It prints for the terminal, in plain words (`--plain`), as JSON, or as Markdown with
//! `-o FILE.md`, which prints on one or two pages.

use std::fmt::Write as _;
use std::io::Write;

use serde::Serialize;

use crate::cli::SummaryArgs;
use crate::context::Context;
use crate::deck::Catalog;
use crate::files;
use crate::session::right_answer;
use crate::stats::Palette;
use crate::stats::report::question_of;
use crate::stats::sections::{SectionMastery, mastery};
use crate::text::{plural, visible_inline};

/// Said on every summary, in every form.
const NOTICE: &str = "Educational only, not medical advice. This page shows what you \
    practised with lupus-quiz. Talk with your care team about your own health.";

/// The summary, as `--json` gives it (docs/json-output.md).
#[derive(Debug, Serialize)]
struct Summary {
    /// The local date it was made, as people write it: `7 December 2026`.
    date: String,
    deck: Option<String>,
    notice: &'static str,
    /// The sections with cards studied, weakest first.
    studying: Vec<SectionSummary>,
    /// The sections with no card studied yet, in catalog order.
    not_started: Vec<String>,
}

#[derive(Debug, Serialize)]
struct SectionSummary {
    #[serde(flatten)]
    counts: SectionMastery,
    /// What the learner knows, in words.
    known: String,
    missed: Vec<MissedStatement>,
    /// Questions the learner could ask their care team about the section (from the
    /// decks' `questions_to_ask`).
    questions_to_ask: Vec<String>,
}

/// A card the learner keeps missing, as a statement: its question, then its right answer.
#[derive(Debug, Serialize)]
struct MissedStatement {
    card_id: String,
    question: String,
    answer: String,
    /// Lapses, and Again answers in the steps the card is in now.
    failures: u64,
}

pub(crate) fn run(ctx: &Context, args: &SummaryArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let scope = crate::commands::stats::deck_scope(&catalog, args.deck.as_deref())?;
    let store = ctx.open_store_to_read()?;
    let (_, scheduler) = ctx.settings_and_scheduler(&store, crate::commands::stats::STATS_NEEDS)?;
    let at = crate::commands::stats::moments(ctx, &store, &scheduler)?;
    let now = at.now;
    let sections = store.in_one_read(|| mastery(&store, &catalog, scope, &scheduler, at))?;
    let summary = Summary {
        date: now
            .with_timezone(&scheduler.calendar().offset_at(now))
            .format("%-d %B %Y")
            .to_string(),
        deck: scope.map(|index| catalog.decks[index].name.to_string()),
        notice: NOTICE,
        studying: studying(&catalog, &sections),
        not_started: (sections.iter())
            .filter(|s| s.studied() == 0)
            .map(|s| s.section.clone())
            .collect(),
    };
    if let Some(path) = &args.output {
        let markdown = markdown(&summary);
        files::write_atomically(path, |file| Ok(file.write_all(markdown.as_bytes())?))?;
        if !files::writes_to_stdout(path) {
            writeln!(out, "Wrote the summary to {}.", path.display())?;
        }
    } else if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&summary)?)?;
    } else {
        let palette = Palette::new(ctx.stdout_colour);
        let width = crate::text::text_width(ctx.stdout_width);
        write!(out, "{}", terminal(&summary, palette, width, args.plain))?;
    }
    Ok(())
}

/// The sections with a card studied, weakest first: the smallest share mastered, then the
/// lowest predicted recall.
fn studying(catalog: &Catalog, sections: &[SectionMastery]) -> Vec<SectionSummary> {
    let mut studied: Vec<&SectionMastery> = sections.iter().filter(|s| s.studied() > 0).collect();
    studied.sort_by(|a, b| {
        (a.mastered_share().total_cmp(&b.mastered_share())).then(
            a.recall_now
                .unwrap_or(1.0)
                .total_cmp(&b.recall_now.unwrap_or(1.0)),
        )
    });
    studied
        .into_iter()
        .map(|section| SectionSummary {
            known: known_in_words(section),
            missed: section
                .missed
                .iter()
                .filter_map(|missed| {
                    let card = catalog.decks[missed.deck].cards.get(missed.index)?;
                    Some(MissedStatement {
                        card_id: card.id.to_string(),
                        question: statement_of(card),
                        answer: right_answer(card),
                        failures: missed.failures,
                    })
                })
                .collect(),
            questions_to_ask: questions_for(catalog, &section.section),
            counts: section.clone(),
        })
        .collect()
}

/// The questions to ask of `section`, from every deck that has some, each once.
fn questions_for(catalog: &Catalog, section: &str) -> Vec<String> {
    let mut questions: Vec<String> = Vec::new();
    let entries = (catalog.decks.iter())
        .flat_map(|deck| &deck.questions_to_ask)
        .filter(|entry| entry.section == section);
    for question in entries.flat_map(|entry| &entry.questions) {
        if !questions.contains(question) {
            questions.push(question.clone());
        }
    }
    questions
}

/// The question of a card as a statement can carry it: a true-or-false card says that it
/// is one, so that "Answer: False" reads right.
fn statement_of(card: &crate::deck::Card) -> String {
    match card.content {
        crate::deck::CardContent::TrueFalse { .. } => format!("True or false: {}", card.prompt()),
        _ => question_of(card),
    }
}

/// What the learner knows of a section, in plain sentences.
fn known_in_words(section: &SectionMastery) -> String {
    let are = |n: u64| if n == 1 { "is" } else { "are" };
    let mut words = format!(
        "You have studied {} of its {} card{}.",
        section.studied(),
        section.cards,
        plural(section.cards as usize)
    );
    let _ = match section.mastered {
        0 => write!(words, " None is mastered yet."),
        n => write!(
            words,
            " {n} {} mastered: you are expected to remember {} for three weeks or more.",
            are(n),
            if n == 1 { "it" } else { "them" }
        ),
    };
    let learning = section.learning + section.review;
    if learning > 0 {
        let _ = write!(words, " {learning} {} still being learned.", are(learning));
    }
    if section.suspended > 0 {
        let _ = write!(
            words,
            " {} {} suspended (left out of your reviews).",
            section.suspended,
            are(section.suspended)
        );
    }
    if let Some(recall) = section.recall_now {
        let _ = write!(
            words,
            " Of the cards in review, you would likely remember about {:.0} in 100 today.",
            recall * 100.0
        );
    }
    if let Some(recall) = section.recall_on_goal {
        let _ = write!(
            words,
            " On your goal's date, you would likely remember about {:.0} in 100 of its cards.",
            recall * 100.0
        );
    }
    words
}

/// Card or deck text on lines `width` columns wide, made visible, the first line starting
/// with `first` and the others with `rest`.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    crate::text::wrap_hanging(&visible_inline(text), width, first, rest).join("\n")
}

/// The terminal form, or plain words with `--plain`: no symbols, each fact a sentence, and
/// a dash rather than a bullet before each item of a list.
fn terminal(summary: &Summary, palette: Palette, width: usize, plain: bool) -> String {
    let bullet = if plain { "- " } else { "• " };
    let mut page = String::new();
    let _ = writeln!(page, "{}", palette.heading(&heading(summary)));
    let _ = writeln!(page, "{}", palette.dim(&wrap(NOTICE, width, "", "")));
    if summary.studying.is_empty() {
        let nothing = "You have not studied any card yet. Start with `lupus-quiz study DECK`.";
        let _ = writeln!(page, "\n{}", wrap(nothing, width, "", ""));
    }
    for section in &summary.studying {
        terminal_section(&mut page, section, palette, width, bullet);
    }
    if summary
        .studying
        .iter()
        .any(|s| !s.questions_to_ask.is_empty())
    {
        let asking = "Questions to ask your care team";
        let _ = writeln!(page, "\n{}", palette.heading(asking));
    }
    for section in summary
        .studying
        .iter()
        .filter(|s| !s.questions_to_ask.is_empty())
    {
        let _ = writeln!(page, "{}:", wrap(&section.counts.section, width, "", ""));
        for question in &section.questions_to_ask {
            let _ = writeln!(page, "{}", wrap(question, width, bullet, "  "));
        }
    }
    if !summary.not_started.is_empty() {
        let _ = writeln!(page, "\nNot started yet:");
        for section in &summary.not_started {
            let _ = writeln!(page, "{}", wrap(section, width, bullet, "  "));
        }
    }
    page
}

/// One section studied: its name, what the learner knows, and the cards missed.
fn terminal_section(
    page: &mut String,
    section: &SectionSummary,
    palette: Palette,
    width: usize,
    bullet: &str,
) {
    let name = wrap(&section.counts.section, width, "", "");
    let _ = writeln!(page, "\n{}", palette.heading(&name));
    let _ = writeln!(page, "{}", wrap(&section.known, width, "", ""));
    if !section.missed.is_empty() {
        let _ = writeln!(page, "Cards you keep missing:");
    }
    for missed in &section.missed {
        let _ = writeln!(page, "{}", wrap(&missed.question, width, bullet, "  "));
        let answer = format!("Answer: {}", missed.answer);
        let _ = writeln!(page, "{}", wrap(&answer, width, "  ", "  "));
    }
}

fn heading(summary: &Summary) -> String {
    match &summary.deck {
        Some(deck) => format!("What you know of deck {deck}, {}", summary.date),
        None => format!("What you know, {}", summary.date),
    }
}

/// The Markdown form: headings, lists, and every card's text escaped so that it reads as
/// written.
fn markdown(summary: &Summary) -> String {
    let mut page = format!("# {}\n\n*{}*\n", escape(&heading(summary)), escape(NOTICE));
    if summary.studying.is_empty() {
        page.push_str("\nYou have not studied any card yet.\n");
    }
    for section in &summary.studying {
        let _ = write!(
            page,
            "\n## {}\n\n{}\n",
            escape(&section.counts.section),
            escape(&section.known)
        );
        if !section.missed.is_empty() {
            page.push_str("\nCards you keep missing:\n\n");
        }
        for missed in &section.missed {
            let _ = writeln!(
                page,
                "- {}  \n  **Answer:** {}",
                escape(&missed.question),
                escape(&missed.answer)
            );
        }
    }
    if summary
        .studying
        .iter()
        .any(|s| !s.questions_to_ask.is_empty())
    {
        page.push_str("\n## Questions to ask your care team\n");
    }
    for section in summary
        .studying
        .iter()
        .filter(|s| !s.questions_to_ask.is_empty())
    {
        let _ = writeln!(page, "\n{}:\n", escape(&section.counts.section));
        for question in &section.questions_to_ask {
            let _ = writeln!(page, "- {}", escape(question));
        }
    }
    if !summary.not_started.is_empty() {
        page.push_str("\n## Not started yet\n\n");
        for section in &summary.not_started {
            let _ = writeln!(page, "- {}", escape(section));
        }
    }
    page
}

/// Card text as Markdown shows it literally: one line, control characters made visible,
/// and Markdown's own characters escaped.
fn escape(text: &str) -> String {
    let one_line = visible_inline(text)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut escaped = String::with_capacity(one_line.len());
    for ch in one_line.chars() {
        if matches!(
            ch,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '~'
        ) {
            escaped.push('\\');
        }
        escaped.push(ch);
    }
    escaped
}
