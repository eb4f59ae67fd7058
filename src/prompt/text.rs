//! Wording shared by the prompters, so the terminal and plain modes say the same things.

use chrono::TimeDelta;

use crate::deck::Reference;
use crate::session::{Feedback, Header, Mode, Revealed, Summary};
use crate::text::plural;

/// How our own lines join their parts: the terminal's `·` and `→` are read aloud by screen
/// readers ("middle dot", "rightwards arrow") on every card, so plain mode uses words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Wording {
    Symbols,
    Words,
}

impl Wording {
    pub(super) fn separator(self) -> &'static str {
        match self {
            Wording::Symbols => " · ",
            Wording::Words => ", ",
        }
    }
}

/// A line of our own wording (a header, a message) with its `·` and `→` separators and its
/// short durations ("1m") said in words, for plain mode.
pub(super) fn in_words(line: &str) -> String {
    crate::text::spell_units(&line.replace(" · ", ", ").replace(" → ", ", then "))
}

/// What `?` shows at any prompt of the terminal: every key.
pub(super) const TERMINAL_KEYS: &[&str] = &[
    "Every prompt: u undo the last answer · q, Esc or Ctrl-C end the session (answers are saved) · ? these keys",
    "Lists: ↑↓ or j/k move · a number or t/f (true, false) moves to its row · Enter or Space confirms",
    "Select all: Space ticks · Order: Space picks up or drops, ↑↓ move",
    "Typed, cloze: Enter submits · ? then Enter: I don't know (see the answer, graded Again) · a lone u or q then Enter: undo or quit · Esc quits",
    "After an answer: Enter next · 1–4 change the grade",
];

/// The three lines the first session on an empty database starts with, in the terminal.
pub(super) const TERMINAL_WELCOME: &[&str] = &[
    "Keys: ↑↓ or j/k move, a number goes to its option, Enter confirms; Space ticks (select all) or picks up (order).",
    "Typed answers: Enter submits; type ? and Enter if you don't know. u undoes the last answer.",
    "? shows every key. q, Esc or Ctrl-C ends the session; every answer is saved the moment you give it.",
];

/// What a line with `?` shows at a plain prompt that is not a typed answer, and the three
/// lines the first plain session starts with.
pub(super) const PLAIN_KEYS: &[&str] = &[
    "Send one line per prompt: the option number (t or f for true or false), numbers such as 1 3, the item numbers from first to last, or the answer itself.",
    "At a typed or cloze prompt, a line with only ? means you don't know: the answer is shown and the card is graded Again.",
    "At any prompt, u undoes the last answer, !1 to !4 change its grade, and q (or the end of input) ends the session; ? lists these keys.",
];

/// The educational-use notice a first session starts with.
pub(super) const NOTICE: &str = "Educational only, not medical advice: the cards teach what one article says. Decisions about your own care belong with your healthcare provider.";

/// The line that repeats a typed answer once it is submitted.
pub(super) fn typed_echo(answer: Option<&str>) -> String {
    match answer {
        Some(text) => format!("You answered: {text}"),
        None => "You answered: ? (I don't know)".to_string(),
    }
}

pub(super) fn header_line(header: &Header) -> String {
    header_items(header).join(" · ")
}

/// The parts of a card's header, which a narrow terminal breaks between (never inside one).
pub(super) fn header_items(header: &Header) -> Vec<String> {
    match header.mode {
        Mode::Quiz => vec![
            header.deck.clone(),
            "quiz".to_string(),
            format!(
                "question {}/{}",
                header.answered + 1,
                header.answered + header.left
            ),
        ],
        Mode::Study | Mode::Review => {
            let mut items = vec![
                header.deck.clone(),
                format!("{} answered", header.answered),
                format!("{} left", header.left),
                format!("new {}", header.new_left),
                format!("learning {}", header.learning_left),
                format!("review {}", header.review_left),
            ];
            if let Some(due_in) = &header.early {
                items.push(format!("early: due in {due_in}"));
            }
            items
        }
    }
}

/// The lines after an answer: explanation, note, the note's references, source.
pub(super) fn context_lines(
    explanation: &str,
    note: Option<&str>,
    references: &[Reference],
    source: &str,
) -> Vec<String> {
    let mut lines = vec![format!("Why: {explanation}")];
    if let Some(note) = note {
        lines.push(format!("Note: {note}"));
    }
    lines.extend(references.iter().map(reference_line));
    lines.push(format!("Source: {source}"));
    lines
}

/// One reference behind a note: "Ref: Author. Title. Journal, 2011. https://…".
pub(super) fn reference_line(reference: &Reference) -> String {
    let mut line = format!("Ref: {}", reference.citation());
    if let Some(link) = &reference.link {
        line.push(' ');
        line.push_str(link);
    }
    line
}

pub(super) fn revealed_lines(revealed: &Revealed) -> Vec<String> {
    let mut lines = vec![format!("Answer: {}", revealed.back)];
    lines.extend(context_lines(
        &revealed.explanation,
        revealed.note.as_deref(),
        &revealed.references,
        &revealed.source,
    ));
    lines
}

pub(super) fn verdict(feedback: &Feedback, wording: Wording) -> &'static str {
    match (feedback.correct, wording) {
        (true, Wording::Symbols) => "✓ Right",
        (false, Wording::Symbols) => "✗ Not quite",
        (true, Wording::Words) => "Right",
        (false, Wording::Words) => "Not quite",
    }
}

/// The outcome's lines; `wording` gives the separator of the "Graded ... next" line.
pub(super) fn feedback_lines(feedback: &Feedback, wording: Wording) -> Vec<String> {
    let mut lines: Vec<String> = match wording {
        Wording::Symbols => feedback.details.clone(),
        Wording::Words => feedback.details.iter().map(|l| marks_in_words(l)).collect(),
    };
    lines.extend(context_lines(
        &feedback.explanation,
        feedback.note.as_deref(),
        &feedback.references,
        &feedback.source,
    ));
    if let Some(next) = &feedback.next {
        let graded = format!(
            "Graded {}{}next: {next}",
            feedback.rating.label(),
            wording.separator()
        );
        lines.push(match wording {
            Wording::Symbols => graded,
            Wording::Words => crate::text::spell_units(&graded),
        });
    }
    lines.extend(feedback.leech_notice.clone());
    lines
}

/// A line of an order's correction with its marks said in words: "✗" is "(yours differs)"
/// and "✓" nothing, since a right place needs no word.
fn marks_in_words(line: &str) -> String {
    if let Some(item) = line.strip_suffix(" ✗") {
        return format!("{item} (yours differs)");
    }
    if let Some(item) = line.strip_suffix(" ✓") {
        return item.to_string();
    }
    line.replace("(✗ where yours differs)", "(marked where yours differs)")
}

/// A session's length, as a person says it.
pub(super) fn duration(d: TimeDelta) -> String {
    crate::text::spoken_duration(d.num_milliseconds().max(0) as u64)
}

pub(super) fn summary_lines(summary: &Summary) -> Vec<String> {
    let mut lines: Vec<String> = summary.remark.iter().cloned().collect();
    match summary.questions {
        Some(_) => lines.extend(quiz_summary_lines(summary)),
        None => lines.extend(session_summary_lines(summary)),
    }
    lines.push("Educational only; not medical advice.".to_string());
    lines
}

/// Right answers in percent, rounded; 0 when nothing was answered.
fn percent_right(summary: &Summary) -> usize {
    (summary.right * 100 + summary.answered / 2)
        .checked_div(summary.answered)
        .unwrap_or(0)
}

/// The score and each missed question with both answers; no score when nothing was
/// answered (the remark says the quiz ended).
fn quiz_summary_lines(summary: &Summary) -> Vec<String> {
    if summary.answered == 0 {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "Score: {}/{} ({}%) in {}",
        summary.right,
        summary.answered,
        percent_right(summary),
        duration(summary.time_spent)
    )];
    if !summary.missed.is_empty() {
        lines.push("Missed:".to_string());
        for (i, missed) in summary.missed.iter().enumerate() {
            lines.push(format!("{}. {}", i + 1, missed.question));
            lines.push(format!("   You answered: {}", missed.given_answer));
            lines.push(format!("   Correct answer: {}", missed.right_answer));
            lines.push(format!("   Why: {}", missed.explanation));
        }
    }
    if !summary.near_misses.is_empty() {
        lines.push("Right, with a small typo:".to_string());
        for (i, near) in summary.near_misses.iter().enumerate() {
            lines.push(format!("{}. {}", i + 1, near.question));
            lines.extend(near.spelling.iter().map(|line| format!("   {line}")));
        }
    }
    lines
}

/// Answers, % right and time (or that none were given), what is due, and the streak.
fn session_summary_lines(summary: &Summary) -> Vec<String> {
    if summary.answered == 0 {
        let mut lines = vec!["Session ended: no cards answered.".to_string()];
        lines.extend(summary.next_due.clone());
        return lines;
    }
    let mut lines = vec![format!(
        // The session's whole length, pauses included: `stats` sums the time spent
        // answering instead, so each says which it is (newcomer review 2, item 17).
        "Session done: {} card{} answered, {}% right, session time {}",
        summary.answered,
        plural(summary.answered),
        percent_right(summary),
        duration(summary.time_spent)
    )];
    lines.extend(summary.next_due.clone());
    if let Some(streak) = summary.streak {
        lines.push(format!("Streak: {streak} day{}", plural(streak as usize)));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_follow_the_note_and_precede_the_source() {
        let reference = Reference {
            author: "Daikeler T, et al.".into(),
            title: "Secondary autoimmune diseases after HSCT.".into(),
            published_in: "Blood".into(),
            year: 2011,
            link: Some("https://doi.org/10.1182/x".into()),
        };
        let without_link = Reference {
            link: None,
            ..reference.clone()
        };
        assert_eq!(
            context_lines("E.", Some("N."), &[reference, without_link], "S"),
            vec![
                "Why: E.",
                "Note: N.",
                "Ref: Daikeler T, et al. Secondary autoimmune diseases after HSCT. Blood, 2011. https://doi.org/10.1182/x",
                "Ref: Daikeler T, et al. Secondary autoimmune diseases after HSCT. Blood, 2011.",
                "Source: S",
            ]
        );
    }
}
