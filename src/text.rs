//! Small text utilities: showing outside text safely, quoting file content in error
//! messages, answer folding and the typo distance, "did you mean", and the wording helpers
//! every message shares (plurals, cuts, durations).

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_normalization::UnicodeNormalization;

/// Text from a deck file, an import file or the database, made safe to print to a
/// terminal: every control character but newline and tab is shown as a visible symbol
/// (ESC as `␛`, other C0 characters as their control pictures, C1 and bidirectional
/// overrides as `<U+XXXX>`), so no escape sequence it holds can set the window title,
/// write the clipboard, hide text or clear the screen. Everything printed that came from
/// outside the program goes through here.
pub(crate) fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_showing) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            _ if !needs_showing(ch) => shown.push(ch),
            '\u{0}'..='\u{1f}' => {
                shown.push(char::from_u32(0x2400 + ch as u32).expect("a control picture"));
            }
            '\u{7f}' => shown.push('\u{2421}'),
            _ => {
                let _ = write!(shown, "<U+{:04X}>", ch as u32);
            }
        }
    }
    Cow::Owned(shown)
}

/// [`visible`] for text shown within one line (a quote in an error message): line breaks
/// and tabs are shown as symbols too (`␊`, `␉`).
pub(crate) fn visible_inline(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| needs_showing(c) || c == '\n' || c == '\t')
    {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\n' | '\t' => {
                shown.push(char::from_u32(0x2400 + ch as u32).expect("a control picture"))
            }
            _ => shown.push_str(&visible(ch.encode_utf8(&mut [0; 4]))),
        }
    }
    Cow::Owned(shown)
}

/// Whether `ch` is a control character [`visible`] shows as a symbol.
pub(crate) fn needs_showing(ch: char) -> bool {
    match ch {
        '\n' | '\t' => false,
        _ if ch.is_control() => true,
        // Bidirectional embeddings, overrides and isolates reorder what is shown.
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

/// Whether `ch` is invisible or reorders text without being a control character: zero-width
/// spaces and joiners, direction marks and overrides, line and paragraph separators, the
/// soft hyphen and the byte-order mark. An id holding one prints exactly like another id.
pub(crate) fn is_invisible_format(ch: char) -> bool {
    matches!(
        ch,
        '\u{ad}'
            | '\u{61c}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

/// How many characters of a file's content an error message quotes at most.
pub(crate) const QUOTED_CHARS: usize = 80;

/// File content as an error message quotes it: at most [`QUOTED_CHARS`] characters (then
/// `…`), with control characters shown as symbols (`␛`, by [`visible_inline`], the one way
/// text from outside reaches the terminal), so that a hostile file can neither flood the
/// terminal nor send it commands.
pub(crate) fn quoted(text: &str) -> String {
    let mut cut: String = text.chars().take(QUOTED_CHARS).collect();
    let shortened = cut.len() < text.len();
    cut = visible_inline(&cut).into_owned();
    if shortened {
        cut.push('…');
    }
    cut
}

/// A message that quotes file content (in `"…"` or `` `…` ``), with each quoted part
/// shortened by [`quoted`] and the whole bounded.
pub(crate) fn bounded_message(body: &str) -> String {
    let mut out = shorten_quotes(body);
    const MAX_MESSAGE: usize = 4 * QUOTED_CHARS;
    if out.chars().count() > MAX_MESSAGE {
        out = out.chars().take(MAX_MESSAGE).collect();
        out.push('…');
    }
    out
}

/// A message with each part in `"…"` or `` `…` `` (file content, by this crate's
/// convention) shortened by [`quoted`], and control characters anywhere shown as escapes.
pub(crate) fn shorten_quotes(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(start) = rest.find(['"', '`']) {
        out.push_str(&quoted_unbounded(&rest[..start]));
        let delimiter = rest.as_bytes()[start];
        let inner = &rest[start + 1..];
        // serde writes strings as Rust does (`"a\"b"`): a backslash escapes the next char.
        let mut end = None;
        let mut escaped = false;
        for (i, b) in inner.bytes().enumerate() {
            if escaped {
                escaped = false;
            } else if b == b'\\' && delimiter == b'"' {
                escaped = true;
            } else if b == delimiter {
                end = Some(i);
                break;
            }
        }
        out.push(char::from(delimiter));
        let Some(end) = end else {
            // An unpaired delimiter quotes nothing: the rest is message text.
            rest = inner;
            break;
        };
        out.push_str(&quoted(&inner[..end]));
        out.push(char::from(delimiter));
        rest = &inner[end + 1..];
    }
    out.push_str(&quoted_unbounded(rest));
    out
}

/// Control characters shown as escapes, without a length limit (for message text around
/// quoted content).
fn quoted_unbounded(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// The plural ending of a count: `""` for one, `"s"` otherwise.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Shortens `text` to at most `width` terminal columns (a wide character takes two),
/// marking the cut with an ellipsis.
pub(crate) fn truncate(text: &str, width: usize) -> String {
    console::truncate_str(text, width, "…").into_owned()
}

/// The widest a line of running text gets on a terminal `columns` wide: one column spare
/// (a line that fills the last column leaves some terminals' cursor hanging on it), and at
/// most 119, so that text stays readable on a wide window.
pub(crate) fn text_width(columns: usize) -> usize {
    columns.saturating_sub(1).clamp(1, 119)
}

/// Splits `text` into lines of at most `width` columns, breaking only at spaces: each
/// line of `text` keeps its leading indent on its continuation lines, and a numbered item
/// (`1. `, `2) `, `[3] `) continues under its text rather than under its number. A word
/// longer than the width gets a line of its own rather than being cut.
pub(crate) fn wrap(text: &str, width: usize) -> Vec<String> {
    text.split('\n')
        .flat_map(|line| {
            let body = line.trim_start_matches(' ');
            let indent = &line[..line.len() - body.len()];
            let hang = " ".repeat(indent.len() + list_marker_width(body));
            wrap_hanging(body, width, indent, &hang)
        })
        .collect()
}

/// The width of the number that starts a list item, with its space (`12. ` is 4), or 0.
fn list_marker_width(line: &str) -> usize {
    let (digits, rest) = match line.strip_prefix('[') {
        Some(inner) => (inner, "]"),
        None => (line, ".)"),
    };
    let count = digits.bytes().take_while(u8::is_ascii_digit).count();
    let after = &digits[count..];
    let closed = after.chars().next().filter(|c| rest.contains(*c));
    match closed {
        Some(_) if count > 0 && after[1..].starts_with(' ') => {
            count + 2 + usize::from(line.starts_with('['))
        }
        _ => 0,
    }
}

/// Wraps one paragraph at spaces to `width` columns, its first line starting with `first`
/// and the others with `rest` (a list item's marker, then the indent under its text).
pub(crate) fn wrap_hanging(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let options = textwrap::Options::new(width.max(1))
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let lines = textwrap::wrap(text, options);
    if lines.is_empty() {
        return vec![first.trim_end().to_string()];
    }
    lines.into_iter().map(|line| line.into_owned()).collect()
}

/// Joins `items` with ` · ` and wraps them to `width`, breaking only between items, so
/// that a key stays beside what it does (`u undo` is never split over two lines).
pub(crate) fn wrap_items(items: &[String], width: usize) -> Vec<String> {
    const KEEP: char = '\u{a0}';
    let joined = items
        .iter()
        .map(|item| item.replace(' ', &KEEP.to_string()))
        .collect::<Vec<_>>()
        .join(&format!("{KEEP}· "));
    wrap(&joined, width)
        .into_iter()
        .map(|line| line.replace(KEEP, " "))
        .collect()
}

/// Time spent, as a person says it: `45s`, `4m 30s`, `1h 05m`.
pub(crate) fn spoken_duration(ms: u64) -> String {
    let seconds = ms / 1000;
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {:02}s", seconds / 60, seconds % 60),
        _ => format!("{}h {:02}m", seconds / 3600, seconds / 60 % 60),
    }
}

/// A line with its short durations spelled out, as a screen reader should say them: "in
/// 10m" is "in 10 minutes", "4m 30s" is "4 minutes 30 seconds", "(3d)" is "(3 days)".
/// Plain mode passes the lines it makes through this (never a card's own text): AnkiDroid's
/// TalkBack users heard "1m" as "1 metre".
pub(crate) fn spell_units(line: &str) -> String {
    line.split(' ')
        .map(|word| spelled_word(word).unwrap_or_else(|| word.to_string()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `word` spelled out when it is a short duration (with brackets or punctuation around it).
fn spelled_word(word: &str) -> Option<String> {
    let core_start = word.find(|c: char| !matches!(c, '(' | '['))?;
    let core_end = word.trim_end_matches([')', ']', ',', '.', ';', ':']).len();
    let core = word.get(core_start..core_end)?;
    let digits = core.find(|c: char| !c.is_ascii_digit() && c != '.')?;
    let (number, unit) = core.split_at(digits);
    let value: f64 = number.parse().ok()?;
    if number.starts_with('.') || number.ends_with('.') {
        return None;
    }
    let name = match unit {
        "s" => "second",
        "m" => "minute",
        "h" => "hour",
        "d" => "day",
        "w" => "week",
        "mo" => "month",
        "y" => "year",
        _ => return None,
    };
    // "05" (as in "1h 05m") is said "5".
    let shown = if number.contains('.') {
        number.to_string()
    } else {
        number.trim_start_matches('0').to_string()
    };
    let shown = if shown.is_empty() {
        "0".to_string()
    } else {
        shown
    };
    let plural = if value == 1.0 { "" } else { "s" };
    Some(format!(
        "{}{shown} {name}{plural}{}",
        &word[..core_start],
        &word[core_end..]
    ))
}

/// Folds an answer to the form in which two answers are compared: lowercase, accents
/// removed, punctuation dropped, and runs of white space collapsed to one space.
///
/// Hyphens and slashes count as spaces, so "graft-versus-host" equals "graft versus host".
pub(crate) fn normalize_answer(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfkd() {
        if unicode_normalization::char::is_combining_mark(ch) {
            continue;
        }
        if ch.is_alphanumeric() {
            if pending_space && !folded.is_empty() {
                folded.push(' ');
            }
            pending_space = false;
            folded.extend(ch.to_lowercase());
        } else if ch.is_whitespace() || matches!(ch, '-' | '/' | '_' | '–' | '—') {
            pending_space = true;
        }
        // Other punctuation (apostrophes, dots, commas) is dropped without a space, so
        // "Sarah's" matches "Sarahs" and "e.g." matches "eg".
    }
    folded
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
/// neighbouring characters each cost one. A swap is the most common typing slip, so it
/// counts as a single typo.
pub(crate) fn typo_distance(a: &str, b: &str) -> usize {
    // strsim keeps rows as long as its second text: give it the shorter one, so memory
    // stays proportional to the shorter text whatever the longer one is.
    let (longer, shorter) = if a.len() < b.len() { (b, a) } else { (a, b) };
    strsim::osa_distance(longer, shorter)
}

/// The candidate closest to `word`, if it is close enough to be a plausible typo.
pub(crate) fn closest<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let word = word.to_lowercase();
    candidates
        .iter()
        .map(|candidate| (typo_distance(&word, candidate), *candidate))
        .filter(|(distance, candidate)| {
            let typo = *distance <= 2.max(candidate.len() / 3) && *distance < candidate.len();
            // "multiple" for "multi", "distractor" for "distractors"
            let stem = candidate.len() >= 4
                && (word.starts_with(candidate) || candidate.starts_with(&word));
            typo || stem
        })
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncate_counts_terminal_columns_not_characters() {
        assert_eq!(truncate("lupus", 5), "lupus");
        assert_eq!(truncate("lupus nephritis", 6), "lupus…");
        // Each of these characters takes two columns: four of them fill eight.
        assert_eq!(truncate("狼瘡狼瘡", 8), "狼瘡狼瘡");
        assert_eq!(truncate("狼瘡狼瘡", 6), "狼瘡…");
        assert_eq!(truncate("abc", 0), "…");
    }

    #[test]
    fn normalizing_ignores_case_accents_punctuation_and_spacing() {
        assert_eq!(normalize_answer("  Haematopoïétic  "), "haematopoietic");
        assert_eq!(
            normalize_answer("Graft-versus-Host   disease!"),
            "graft versus host disease"
        );
        assert_eq!(normalize_answer("CRISPR/Cas9"), "crispr cas9");
        assert_eq!(normalize_answer("Sarah's"), "sarahs");
    }

    #[test]
    fn a_swap_of_neighbours_is_one_typo() {
        assert_eq!(typo_distance("conditoining", "conditioning"), 1);
        assert_eq!(typo_distance("mobilisation", "mobilization"), 1);
        assert_eq!(typo_distance("abc", "abc"), 0);
        assert_eq!(typo_distance("", "abc"), 3);
    }

    #[test]
    fn closest_suggests_only_plausible_typos() {
        let fields = ["distractors", "question", "answer"];
        assert_eq!(closest("distractor", &fields), Some("distractors"));
        assert_eq!(closest("qustion", &fields), Some("question"));
        assert_eq!(closest("zebra", &fields), None);
        assert_eq!(closest("multiple", &["multi", "flip"]), Some("multi"));
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_indents() {
        assert_eq!(
            wrap("one two three four", 9),
            vec!["one two", "three", "four"]
        );
        assert_eq!(wrap("  - alpha beta", 10), vec!["  - alpha", "  beta"]);
        // A numbered item continues under its text.
        assert_eq!(wrap("  1. alpha beta", 10), vec!["  1. alpha", "     beta"]);
        assert_eq!(wrap("[2] one two", 7), vec!["[2] one", "    two"]);
        assert_eq!(wrap("10) one two", 7), vec!["10) one", "    two"]);
        assert_eq!(wrap("1.5 is a number", 8), vec!["1.5 is a", "number"]);
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            vec!["averyveryverylongword", "x"]
        );
        assert_eq!(wrap("", 10), vec![""]);
        assert_eq!(wrap("a\nb", 10), vec!["a", "b"]);
        // Hyphens are not places to break: "graft-versus-host" is one word.
        assert_eq!(
            wrap("the graft-versus-host effect", 12),
            vec!["the", "graft-versus-host", "effect"]
        );
    }

    #[test]
    fn hanging_indents_line_up_under_the_text() {
        assert_eq!(
            wrap_hanging("alpha beta gamma", 11, "❯ 1) ", "     "),
            vec!["❯ 1) alpha", "     beta", "     gamma"]
        );
    }

    #[test]
    fn key_hints_break_between_keys_only() {
        let items = ["Enter next", "u undo", "q quit"].map(String::from);
        assert_eq!(
            wrap_items(&items, 16),
            vec!["Enter next ·", "u undo · q quit"]
        );
    }

    #[test]
    fn durations_are_spelled_out_and_other_words_kept() {
        assert_eq!(spell_units("next: in 1m"), "next: in 1 minute");
        assert_eq!(
            spell_units("Again (6m); Good, in 7d."),
            "Again (6 minutes); Good, in 7 days."
        );
        assert_eq!(
            spell_units("took 4m 30s, 1h 05m"),
            "took 4 minutes 30 seconds, 1 hour 5 minutes"
        );
        assert_eq!(spell_units("in 1.5mo or 2y"), "in 1.5 months or 2 years");
        assert_eq!(spell_units("0s"), "0 seconds");
        for kept in [
            "cap-1",
            "03-01",
            "09:10",
            "100%",
            "1/4",
            "hsct",
            "2026-03-03",
            "m",
            "5",
            "3rd",
            "1.d",
        ] {
            assert_eq!(spell_units(kept), kept);
        }
    }

    #[test]
    fn text_width_keeps_a_column_spare_and_stops_at_119() {
        assert_eq!(text_width(60), 59);
        assert_eq!(text_width(200), 119);
        assert_eq!(text_width(0), 1);
    }

    #[test]
    fn quoted_content_is_short_and_shows_control_characters() {
        assert_eq!(quoted("plain"), "plain");
        assert_eq!(quoted("\u{1b}[2J\0\u{202e}\n"), "␛[2J␀<U+202E>␊");
        let long = "é".repeat(200);
        assert_eq!(quoted(&long), format!("{}…", "é".repeat(80)));
    }
}
