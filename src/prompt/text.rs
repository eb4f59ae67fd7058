//! Wording shared by the prompters, so the terminal and plain modes say the same things.

use chrono::TimeDelta;

use crate::deck::Reference;
use crate::session::{Feedback, Header, Mode, Revealed, Summary};
use crate::text::plural;

pub(super) fn header_line(header: &Header) -> String {
    match header.mode {
        Mode::Quiz => format!(
            "{} · quiz · question {}/{}",
            header.deck,
            header.answered + 1,
            header.answered + header.left
        ),
        Mode::Study | Mode::Review => {
            let mut line = format!(
                "{} · {} answered · {} left · new {} · learning {} · review {}",
                header.deck,
                header.answered,
                header.left,
                header.new_left,
                header.learning_left,
                header.review_left
            );
            if let Some(due_in) = &header.early {
                line.push_str(&format!(" · early: due in {due_in}"));
            }
            line
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
    lines.push(format!("Source: {source} (article)"));
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

pub(super) fn verdict(feedback: &Feedback) -> &'static str {
    if feedback.correct {
        "✓ Right"
    } else {
        "✗ Not quite"
    }
}

pub(super) fn feedback_lines(feedback: &Feedback) -> Vec<String> {
    let mut lines = feedback.details.clone();
    lines.extend(context_lines(
        &feedback.explanation,
        feedback.note.as_deref(),
        &feedback.references,
        &feedback.source,
    ));
    if let Some(next) = &feedback.next {
        lines.push(format!("Graded {} · next: {next}", feedback.rating.label()));
    }
    lines
}

/// A session's length, as a person says it.
pub(super) fn duration(d: TimeDelta) -> String {
    crate::text::spoken_duration(d.num_milliseconds().max(0) as u64)
}

pub(super) fn summary_lines(summary: &Summary) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(remark) = &summary.remark {
        lines.push(remark.clone());
    }
    let percent = (summary.right * 100 + summary.answered / 2)
        .checked_div(summary.answered)
        .unwrap_or(0);
    match summary.questions {
        Some(_) => {
            lines.push(format!(
                "Score: {}/{} ({percent}%) in {}",
                summary.right,
                summary.answered,
                duration(summary.time_spent)
            ));
            if !summary.missed.is_empty() {
                lines.push("Missed:".to_string());
                for (i, missed) in summary.missed.iter().enumerate() {
                    lines.push(format!("{}. {}", i + 1, missed.question));
                    lines.push(format!("   You answered: {}", missed.given_answer));
                    lines.push(format!("   Correct answer: {}", missed.right_answer));
                    lines.push(format!("   Why: {}", missed.explanation));
                }
            }
        }
        None if summary.answered == 0 => {
            lines.push("Session ended: no cards answered.".to_string());
            lines.extend(summary.next_due.clone());
        }
        None => {
            lines.push(format!(
                "Session done: {} card{} answered, {percent}% right, {}",
                summary.answered,
                plural(summary.answered),
                duration(summary.time_spent)
            ));
            lines.extend(summary.next_due.clone());
            if let Some(streak) = summary.streak {
                lines.push(format!("Streak: {streak} day{}", plural(streak as usize)));
            }
        }
    }
    lines.push("Educational only; not medical advice.".to_string());
    lines
}

/// Splits `text` into lines of at most `width` columns at spaces, keeping each line's
/// leading indent on its continuation lines. A word longer than the width gets a line of
/// its own rather than being cut.
pub(super) fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for source in text.split('\n') {
        let indent: String = source.chars().take_while(|c| *c == ' ').collect();
        let mut line = String::new();
        for word in source.split_whitespace() {
            let needed = console::measure_text_width(&line) + 1 + console::measure_text_width(word);
            if !line.is_empty() && needed > width {
                lines.push(std::mem::take(&mut line));
            }
            if line.is_empty() {
                line.push_str(&indent);
            } else {
                line.push(' ');
            }
            line.push_str(word);
        }
        lines.push(line);
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
                "Source: S (article)",
            ]
        );
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_indents() {
        assert_eq!(
            wrap("one two three four", 9),
            vec!["one two", "three", "four"]
        );
        assert_eq!(wrap("  1. alpha beta", 10), vec!["  1. alpha", "  beta"]);
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            vec!["averyveryverylongword", "x"]
        );
        assert_eq!(wrap("", 10), vec![""]);
    }
}
