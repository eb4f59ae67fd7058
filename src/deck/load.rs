//! Turning the bytes of one deck file into a [`Deck`](super::Deck), collecting every problem
//! on the way: the text (size, UTF-8, no NUL, nesting), the YAML syntax, then the deck's shape
//! and rules, which [`super::check`] walks.

use serde_yaml::Value;

use super::check::Checker;
use super::error::{DeckError, DeckErrorKind};
use super::locate::LineIndex;
use super::model::{Deck, DeckOrigin};
use super::rules;

/// Deck files larger than this are refused before parsing.
pub const MAX_DECK_BYTES: u64 = 16 * 1024 * 1024;

/// A deck that parsed, with the line each card starts on (for duplicate-id messages).
#[derive(Debug, Clone)]
pub struct ParsedDeck {
    pub deck: Deck,
    pub card_lines: Vec<Option<usize>>,
}

/// Parses and validates one deck file. `file` is how messages name it.
pub fn parse_deck(
    name: &str,
    file: &str,
    origin: DeckOrigin,
    bytes: &[u8],
) -> Result<ParsedDeck, Vec<DeckError>> {
    let whole_file = |kind| {
        vec![DeckError {
            file: file.to_string(),
            line: None,
            column: None,
            card: None,
            kind,
        }]
    };
    let text = deck_text(bytes).map_err(whole_file)?;
    if let Some((line, column)) = too_deep_brackets(text) {
        return Err(vec![DeckError {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            card: None,
            kind: DeckErrorKind::Syntax {
                message: "recursion limit exceeded".to_string(),
                hint: "; the file nests or repeats aliases too deeply to be a deck",
            },
        }]);
    }
    if let Some(problem) = rules::deck_name_problem(name) {
        return Err(whole_file(problem));
    }
    let value: Value = match serde_yaml::from_str(text) {
        Ok(value) => value,
        Err(e) => return Err(vec![syntax_error(file, &e)]),
    };
    let lines = LineIndex::build(text);
    let mut checker = Checker::new(file, &lines);
    let deck = checker.deck(name, origin, &value);
    match deck {
        Some(parsed) if checker.errors.is_empty() => Ok(parsed),
        _ => Err(checker.errors),
    }
}

/// The text of a deck file: at most [`MAX_DECK_BYTES`], UTF-8 without NUL bytes, and
/// without the byte-order mark some editors write.
fn deck_text(bytes: &[u8]) -> Result<&str, DeckErrorKind> {
    if bytes.len() as u64 > MAX_DECK_BYTES {
        return Err(DeckErrorKind::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_DECK_BYTES,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| DeckErrorKind::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    if let Some(offset) = text.find('\0') {
        return Err(DeckErrorKind::NulByte { offset });
    }
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

/// serde_yaml's own limit on nesting, which it checks only after scanning the whole file.
const MAX_BRACKET_DEPTH: usize = 128;

/// Where `[` and `{` first nest deeper than [`MAX_BRACKET_DEPTH`] (line and column, from 1),
/// found before libyaml sees the text: its scanner takes time quadratic in that depth, so
/// a file of `a: [[[[…` would keep `check` busy for hours. Brackets inside quotes count too,
/// so that no quote can hide them; no real deck comes near the limit.
fn too_deep_brackets(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        match c {
            '\n' => (line, column) = (line + 1, 0),
            '[' | '{' => {
                depth += 1;
                if depth > MAX_BRACKET_DEPTH {
                    return Some((line, column));
                }
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

fn syntax_error(file: &str, error: &serde_yaml::Error) -> DeckError {
    let location = error.location();
    // serde_yaml appends "at line X column Y" to its messages; the location is shown in
    // front instead, so strip it from the words.
    let message = error.to_string();
    let message = match message.find(" at line ") {
        Some(cut) => {
            let rest = &message[cut..];
            let tail = rest.find(", ").map(|i| &rest[i..]).unwrap_or("");
            format!("{}{}", &message[..cut], tail)
        }
        None => message,
    };
    let hint = if message.contains("mapping values are not allowed") {
        "; text that contains `: ` must be quoted, or written after `>-` on the next lines"
    } else if message.contains("repetition limit") || message.contains("recursion limit") {
        "; the file nests or repeats aliases too deeply to be a deck"
    } else if message.contains("did not find expected")
        || message.contains("block")
        || message.contains("indentation")
    {
        "; check the indentation of this line and the one before it"
    } else {
        ""
    };
    DeckError {
        file: file.to_string(),
        line: location.as_ref().map(|l| l.line()),
        column: location.as_ref().map(|l| l.column()),
        card: None,
        kind: DeckErrorKind::Syntax { message, hint },
    }
}
