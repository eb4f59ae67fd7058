//! The file each device keeps in a sync folder (issue 30): JSON Lines, one complete record a
//! line, only ever appended to. The first line names the format and the device:
//!
//! ```text
//! {"format":"lupus-quiz-sync","version":1,"device":"3f9c2a71d04e8b65"}
//! {"review":{"card":"hsct-what-is","deck":"hsct","at":"2026-03-01T09:00:00.000Z","rating":3,"duration_ms":4200}}
//! {"event":{"card":"hsct-what-is","deck":"hsct","at":"2026-03-01T09:01:00.000Z","action":"suspend"}}
//! {"quiz":{"deck":"hsct","at":"2026-03-01T09:30:00.000Z","correct":8,"questions":10}}
//! {"undo":{"card":"hsct-what-is","at":"2026-03-01T09:00:00.000Z"}}
//! ```
//!
//! A review is the export's review with the card's deck; an event and a quiz result are the
//! export's own; `undo` drops the answer of that card and time on every device. A line
//! without its newline is a record still being written (or cut short by a sync tool) and is
//! left for later; a complete line that cannot be read is named and passed over.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::json::{
    bounded_json_message, deck_name_or_none, non_empty_text, read_duration, read_instant,
    write_instant,
};
use super::{EventEntry, QuizEntry};
use crate::clock::out_of_range;
use crate::ids::{CardId, DeckName};
use crate::schedule::Rating;
use crate::store::{CardEvent, NewReview, QuizRecord, SyncRecords, UndoneReview};

pub const SYNC_FORMAT_NAME: &str = "lupus-quiz-sync";
pub const SYNC_FORMAT_VERSION: u32 = 1;

/// The first line of a device's file.
#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    device: String,
}

/// One record line.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
enum Line {
    Review(SyncReview),
    Event(EventEntry),
    Quiz(QuizEntry),
    Undo(UndoEntry),
}

/// A review as a device's file writes it: the export's review, with the card's deck.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SyncReview {
    #[serde(deserialize_with = "non_empty_text")]
    card: String,
    #[serde(default, deserialize_with = "deck_name_or_none")]
    deck: String,
    #[serde(serialize_with = "write_instant", deserialize_with = "read_instant")]
    at: DateTime<Utc>,
    rating: Rating,
    #[serde(default, deserialize_with = "read_duration")]
    duration_ms: u64,
}

/// An answer undone: its card and time.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct UndoEntry {
    #[serde(deserialize_with = "non_empty_text")]
    card: String,
    #[serde(serialize_with = "write_instant", deserialize_with = "read_instant")]
    at: DateTime<Utc>,
}

/// Whether `device` can name a device's file: 1 to 64 ASCII letters, digits and hyphens.
pub fn is_device_id(device: &str) -> bool {
    (1..=64).contains(&device.len())
        && device
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The first line of a new file of `device`.
pub fn sync_header(device: &str) -> String {
    let header = Header {
        format: SYNC_FORMAT_NAME.to_string(),
        version: SYNC_FORMAT_VERSION,
        device: device.to_string(),
    };
    let mut line = serde_json::to_string(&header).expect("a header always serialises");
    line.push('\n');
    line
}

/// `records` as lines, to append at once.
pub fn sync_lines(records: &SyncRecords) -> Vec<u8> {
    let mut out = Vec::new();
    let deck = |deck: &Option<DeckName>| deck.as_ref().map(|d| d.to_string()).unwrap_or_default();
    let reviews = records.reviews.iter().map(|review| {
        Line::Review(SyncReview {
            card: review.card_id.to_string(),
            deck: deck(&review.deck),
            at: review.at,
            rating: review.rating,
            duration_ms: review.duration_ms,
        })
    });
    let events = records.events.iter().map(|event| {
        Line::Event(EventEntry {
            card: event.card_id.to_string(),
            deck: deck(&event.deck),
            at: event.at,
            action: event.action,
        })
    });
    let quizzes = records.quizzes.iter().map(|quiz| {
        Line::Quiz(QuizEntry {
            deck: quiz.deck.to_string(),
            at: quiz.taken_at,
            correct: quiz.correct,
            questions: quiz.questions,
            // Written as the export writes it: only for a quiz ended early.
            planned: (quiz.planned > quiz.questions).then_some(quiz.planned),
        })
    });
    let undone = records.undone.iter().map(|undone| {
        Line::Undo(UndoEntry {
            card: undone.card_id.to_string(),
            at: undone.at,
        })
    });
    for line in reviews.chain(events).chain(quizzes).chain(undone) {
        serde_json::to_writer(&mut out, &line).expect("a record always serialises");
        out.push(b'\n');
    }
    out
}

/// What reading the new part of a device's file found.
#[derive(Debug, Default)]
pub struct SyncRead {
    /// The device the header names, when the part read starts at the header.
    pub device: Option<String>,
    pub records: SyncRecords,
    /// Bytes of complete lines read: the next read starts there.
    pub consumed: usize,
    /// Complete lines that could not be read, each as `line N: what is wrong`.
    pub problems: Vec<String>,
}

/// Reads the complete lines of `bytes`, the part of a file from byte `start` on (line
/// `first_line` of the file). At the start of the file, the first line must be a header of
/// this format: otherwise the error says what the file is instead.
pub fn read_sync_lines(
    bytes: &[u8],
    start: u64,
    first_line: u64,
    now: DateTime<Utc>,
) -> Result<SyncRead, String> {
    let complete = bytes
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |at| at + 1);
    let mut read = SyncRead {
        consumed: complete,
        ..SyncRead::default()
    };
    let mut lines = bytes[..complete].split(|&b| b == b'\n');
    let mut number = first_line;
    if start == 0 {
        let Some(header) = lines.next().filter(|_| complete > 0) else {
            return Ok(read);
        };
        read.device = Some(read_header(header)?);
        number += 1;
    }
    for line in lines {
        if !line.is_empty()
            && let Err(problem) = read_line(line, now, &mut read.records)
        {
            read.problems.push(format!("line {number}: {problem}"));
        }
        number += 1;
    }
    Ok(read)
}

fn read_header(line: &[u8]) -> Result<String, String> {
    let header: Header = serde_json::from_slice(line).map_err(|_| {
        format!("its first line is not a `{SYNC_FORMAT_NAME}` header, so it is not a file of lupus-quiz's sync folder")
    })?;
    if header.format != SYNC_FORMAT_NAME {
        return Err(format!(
            "its format is `{}`, not `{SYNC_FORMAT_NAME}`",
            crate::text::quoted(&header.format)
        ));
    }
    if header.version > SYNC_FORMAT_VERSION {
        return Err(format!(
            "it was written by a newer lupus-quiz (format version {}; this one reads up to {SYNC_FORMAT_VERSION}); update lupus-quiz on this device",
            header.version
        ));
    }
    if !is_device_id(&header.device) {
        return Err(format!(
            "its device id `{}` is not one lupus-quiz writes",
            crate::text::quoted(&header.device)
        ));
    }
    Ok(header.device)
}

/// One record line, checked and added to `records`.
fn read_line(line: &[u8], now: DateTime<Utc>, records: &mut SyncRecords) -> Result<(), String> {
    let line: Line = match serde_json::from_slice(line) {
        Ok(line) => line,
        // A second header: two commands of the device started its file at once.
        Err(_)
            if serde_json::from_slice::<Header>(line)
                .is_ok_and(|h| h.format == SYNC_FORMAT_NAME) =>
        {
            return Ok(());
        }
        Err(e) => return Err(bounded_json_message(&e)),
    };
    let at = match &line {
        Line::Review(review) => review.at,
        Line::Event(event) => event.at,
        Line::Quiz(quiz) => quiz.at,
        Line::Undo(undo) => undo.at,
    };
    if let Some(problem) = out_of_range(at, now) {
        return Err(format!("time {problem}"));
    }
    let deck = |deck: String| (!deck.is_empty()).then(|| DeckName::new(deck));
    match line {
        Line::Review(review) => records.reviews.push(NewReview {
            card_id: CardId::new(review.card),
            deck: deck(review.deck),
            at: review.at,
            rating: review.rating,
            duration_ms: review.duration_ms,
        }),
        Line::Event(event) => records.events.push(CardEvent {
            card_id: CardId::new(event.card),
            deck: deck(event.deck),
            at: event.at,
            action: event.action,
        }),
        Line::Quiz(quiz) => records.quizzes.push(QuizRecord {
            deck: DeckName::new(quiz.deck),
            taken_at: quiz.at,
            correct: quiz.correct,
            planned: quiz.planned.unwrap_or(quiz.questions),
            questions: quiz.questions,
        }),
        Line::Undo(undo) => records.undone.push(UndoneReview {
            card_id: CardId::new(undo.card),
            at: undo.at,
        }),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::tests::now;

    #[test]
    fn what_a_device_writes_it_reads_back_and_a_cut_line_waits() {
        let review = NewReview {
            card_id: CardId::from("hsct-what-is"),
            deck: Some(DeckName::from("hsct")),
            at: now(),
            rating: Rating::Good,
            duration_ms: 4200,
        };
        let records = SyncRecords {
            reviews: vec![review],
            undone: vec![UndoneReview {
                card_id: CardId::from("hsct-what-is"),
                at: now(),
            }],
            ..SyncRecords::default()
        };
        let mut file = sync_header("3f9c2a71d04e8b65").into_bytes();
        file.extend(sync_lines(&records));
        let whole = file.len();
        file.extend(b"{\"review\":{\"card\":\"a\",");
        let read = read_sync_lines(&file, 0, 1, now()).unwrap();
        assert_eq!(read.device.as_deref(), Some("3f9c2a71d04e8b65"));
        assert_eq!(read.records, records);
        assert_eq!(read.consumed, whole);
        assert!(read.problems.is_empty());
    }

    #[test]
    fn a_bad_line_is_named_and_the_rest_is_read() {
        let text = "{\"review\":{\"card\":\"a\",\"at\":\"2026-01-01T00:00:00Z\",\"rating\":9}}\n{\"undo\":{\"card\":\"a\",\"at\":\"2026-01-01T00:00:00Z\"}}\n";
        let read = read_sync_lines(text.as_bytes(), 40, 7, now()).unwrap();
        assert_eq!(read.records.undone.len(), 1);
        assert_eq!(read.problems.len(), 1);
        assert!(
            read.problems[0].starts_with("line 7: "),
            "{:?}",
            read.problems
        );
        let error = read_sync_lines(b"card,at,rating\n", 0, 1, now()).unwrap_err();
        assert!(error.contains("not a `lupus-quiz-sync` header"), "{error}");
    }
}
