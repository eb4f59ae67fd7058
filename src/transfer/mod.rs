//! Progress files: the JSON export format (`json.rs`), and reading progress (JSON or a CSV
//! review log, `csv.rs`) for import. Everything is parsed and validated before the database
//! is touched, so a bad file is refused whole. Here is what both formats share: the errors,
//! the check that a file is text, the review record, and the checks of card ids and
//! durations.

mod csv;
mod json;
mod sync;

use std::collections::HashMap;
use std::io::Read;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::schedule::Rating;
use crate::settings::Setting;
use crate::text::quoted;

pub use csv::{CsvExport, CsvReviews, csv_reviews, parse_review_time};
pub use json::{CardEntry, EventEntry, Extras, FORMAT_NAME, FORMAT_VERSION, JsonExport, QuizEntry};
pub use sync::{
    SYNC_FORMAT_NAME, SYNC_FORMAT_VERSION, SyncRead, is_device_id, read_sync_lines, sync_header,
    sync_lines,
};

/// A progress file that cannot be imported, with where and why.
#[derive(Debug, thiserror::Error)]
pub enum TransferError {
    #[error("{file}: not valid JSON progress: {message}")]
    Json { file: String, message: String },
    #[error(
        "{file}: this is not a lupus-quiz progress file (`format` is `{found}`, expected `{FORMAT_NAME}`)"
    )]
    WrongFormat { file: String, found: String },
    #[error(
        "{file}: written by a newer lupus-quiz (format version {found}; this one reads up to {FORMAT_VERSION}); update lupus-quiz to import it"
    )]
    NewerVersion { file: String, found: u32 },
    #[error("{file}:{line}: {message}")]
    Csv {
        file: String,
        line: u64,
        message: String,
    },
    #[error("{file}: setting `{key}`: {message}")]
    Setting {
        file: String,
        key: String,
        message: String,
    },
    #[error("{file}: the file is {size} bytes, over the limit of {limit} bytes")]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("{file}: more than {limit} bytes, over the limit")]
    OverLimit { file: String, limit: u64 },
    #[error(
        "{file}:{line}: not a text file ({what}); import reads a JSON export or a CSV review log, as UTF-8 text"
    )]
    NotText {
        file: String,
        line: u64,
        what: String,
    },
    #[error("cannot read `{file}`: {reason}")]
    Read { file: String, reason: String },
}

/// The longest review duration accepted from a file: a day, the most the store keeps.
pub use crate::store::MAX_DURATION_MS;

/// Why a review duration cannot be imported, if it cannot.
fn duration_problem(ms: u64) -> Option<String> {
    (ms > MAX_DURATION_MS).then(|| {
        format!(
            "duration {ms} ms is over a day ({MAX_DURATION_MS} ms); review durations are milliseconds, from 0 to a day"
        )
    })
}

/// Where a text check found that the input is not text.
fn not_text(file: &str, line: u64, what: String) -> TransferError {
    TransferError::NotText {
        file: file.to_string(),
        line,
        what,
    }
}

/// The UTF-8 byte-order mark some editors write at the start of a text file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// `bytes` without a leading byte-order mark.
pub fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(BOM).unwrap_or(bytes)
}

/// Checks that `text` (a whole chunk of valid UTF-8 or not) is text: UTF-8 without NUL
/// bytes. `line` counts the lines before it, and is advanced past it.
fn check_chunk(file: &str, chunk: &[u8], line: &mut u64) -> Result<(), TransferError> {
    let valid = match std::str::from_utf8(chunk) {
        Ok(_) => chunk.len(),
        Err(e) => e.valid_up_to(),
    };
    let head = &chunk[..valid];
    if let Some(at) = head.iter().position(|&b| b == 0) {
        let lines = head[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        return Err(not_text(
            file,
            *line + lines + 1,
            "it contains a NUL byte".to_string(),
        ));
    }
    if valid < chunk.len() {
        let lines = head.iter().filter(|&&b| b == b'\n').count() as u64;
        return Err(not_text(
            file,
            *line + lines + 1,
            format!("byte 0x{:02X} is not UTF-8", chunk[valid]),
        ));
    }
    *line += chunk.iter().filter(|&&b| b == b'\n').count() as u64;
    Ok(())
}

/// Reads all of `input` to check that it is text (UTF-8, no NUL byte) of at most `limit`
/// bytes, without keeping it: the first pass over a CSV review log that may be larger than
/// memory.
pub fn check_text(file: &str, mut input: impl Read, limit: u64) -> Result<(), TransferError> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut carried = 0;
    let mut total = 0u64;
    let mut line = 0u64;
    loop {
        let read = match input.read(&mut buffer[carried..]) {
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                return Err(TransferError::Read {
                    file: file.to_string(),
                    reason: crate::files::io_reason(&e),
                });
            }
        };
        total += read as u64;
        if total > limit {
            return Err(TransferError::OverLimit {
                file: file.to_string(),
                limit,
            });
        }
        let filled = carried + read;
        if read == 0 {
            // What is carried is a character cut short by the end of the file.
            return check_chunk(file, &buffer[..filled], &mut line);
        }
        // A character cut by the end of the buffer waits for the rest of its bytes.
        let complete = match std::str::from_utf8(&buffer[..filled]) {
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            _ => filled,
        };
        check_chunk(file, &buffer[..complete], &mut line)?;
        buffer.copy_within(complete..filled, 0);
        carried = filled - complete;
    }
}

/// Progress files larger than this are refused.
pub const MAX_PROGRESS_BYTES: u64 = 1024 * 1024 * 1024;

/// One review as it appears in a progress file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewEntry {
    #[serde(deserialize_with = "json::non_empty_text")]
    pub card: String,
    #[serde(
        serialize_with = "json::write_instant",
        deserialize_with = "json::read_instant"
    )]
    pub at: DateTime<Utc>,
    pub rating: Rating,
    #[serde(default, deserialize_with = "json::read_duration")]
    pub duration_ms: u64,
}

/// Progress read from a file, ready to merge.
#[derive(Debug, Default)]
pub struct Incoming {
    pub reviews: Vec<ReviewEntry>,
    /// Settings in the file, as (key, text value), already validated.
    pub settings: Vec<(Setting, String)>,
    /// Deck names the file gives for cards (JSON `cards` list).
    pub decks: HashMap<String, String>,
    /// Manual actions on cards, from format version 2 on.
    pub events: Vec<EventEntry>,
    /// Quiz results, from format version 2 on.
    pub quizzes: Vec<QuizEntry>,
    /// Daily limits of new cards of single decks, as (deck, limit), already validated.
    pub deck_new_per_day: Vec<(String, u32)>,
}

/// Reads a progress file: JSON when it starts with `{`, otherwise a CSV review log. It must
/// be text, and its review times from 1970 to a day after `now`.
pub fn read_progress(
    file: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Incoming, TransferError> {
    if bytes.len() as u64 > MAX_PROGRESS_BYTES {
        return Err(TransferError::TooLarge {
            file: file.to_string(),
            size: bytes.len() as u64,
            limit: MAX_PROGRESS_BYTES,
        });
    }
    check_chunk(file, bytes, &mut 0)?;
    let bytes = strip_bom(bytes);
    if is_json(bytes) {
        json::read_json(file, bytes, now)
    } else {
        csv::read_csv(file, bytes, now)
    }
}

/// Whether the start of a progress file (after any byte-order mark) is the start of JSON.
pub fn is_json(start: &[u8]) -> bool {
    strip_bom(start)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

/// Card ids are one line of plain text: a NUL or another control character means the file
/// is damaged or not a review log, and would otherwise land in the log as an orphan card;
/// a bidirectional override or a zero-width character makes an id print exactly like
/// another one.
fn card_id_problem(card: &str) -> Option<String> {
    // Printable ASCII has neither (nearly every id; asked for each of a million reviews).
    if card.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        return None;
    }
    card.chars()
        .find(|&c| c.is_control() || crate::text::is_invisible_format(c))
        .map(|c| {
            let kind = if c.is_control() {
                "the control character"
            } else {
                "the invisible character"
            };
            format!(
                "card `{}` contains {kind} U+{:04X}; card ids are plain text",
                quoted(card),
                u32::from(c)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::parse_instant;
    use crate::settings::Settings;

    /// The time the tests of progress files read them at.
    pub(super) fn now() -> DateTime<Utc> {
        parse_instant("2026-03-01T09:00:00Z").unwrap()
    }

    /// The reviews of a progress file as (card, time in ms, rating, duration).
    fn entries(incoming: &Incoming) -> Vec<(String, i64, u8, u64)> {
        incoming
            .reviews
            .iter()
            .map(|r| {
                (
                    r.card.clone(),
                    r.at.timestamp_millis(),
                    r.rating.as_u8(),
                    r.duration_ms,
                )
            })
            .collect()
    }

    proptest::proptest! {
        /// Whatever `export` writes (JSON or CSV), `import` reads back: every time from
        /// 1970 to a day after now, every rating and every duration up to a day.
        #[test]
        fn whatever_export_writes_import_reads_back(
            reviews in proptest::collection::vec(
                (
                    0..=now().timestamp_millis() + MAX_AHEAD_MS,
                    1u8..=4,
                    0..=MAX_DURATION_MS,
                    "[a-z0-9][a-z0-9,\"-]{0,11}",
                ),
                1..20,
            )
        ) {
            let reviews: Vec<ReviewEntry> = reviews
                .into_iter()
                .map(|(ms, rating, duration_ms, card)| ReviewEntry {
                    card,
                    at: DateTime::from_timestamp_millis(ms).unwrap(),
                    rating: Rating::try_from(rating).unwrap(),
                    duration_ms,
                })
                .collect();
            let expected = entries(&Incoming { reviews: reviews.clone(), ..Incoming::default() });

            let mut json = Vec::new();
            let mut export = JsonExport::begin(&mut json, now(), &Settings::default(), &[]).unwrap();
            for review in &reviews {
                export.review(review).unwrap();
            }
            export.finish().unwrap();
            let read = read_progress("p.json", &json, now()).unwrap();
            proptest::prop_assert_eq!(entries(&read), expected.clone());

            let mut csv = Vec::new();
            let mut export = CsvExport::begin(&mut csv).unwrap();
            for review in &reviews {
                export.review(review).unwrap();
            }
            export.finish().unwrap();
            let read = read_progress("p.csv", &csv, now()).unwrap();
            proptest::prop_assert_eq!(entries(&read), expected);
        }
    }

    const MAX_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

    #[test]
    fn the_text_check_finds_the_line_across_buffer_boundaries() {
        // A two-byte character cut by the 64 KiB read buffer is not a problem.
        let mut text = "a".repeat(64 * 1024 - 1).into_bytes();
        text.extend("é\nline two\n".as_bytes());
        assert!(check_text("t.csv", &text[..], u64::MAX).is_ok());
        text.extend(b"caf\xe9\n");
        assert_eq!(
            check_text("t.csv", &text[..], u64::MAX)
                .unwrap_err()
                .to_string(),
            "t.csv:3: not a text file (byte 0xE9 is not UTF-8); import reads a JSON export or a CSV review log, as UTF-8 text"
        );
        assert!(matches!(
            check_text("t.csv", &text[..], 100),
            Err(TransferError::OverLimit { limit: 100, .. })
        ));
        // A character cut short by the end of the file.
        assert!(check_text("t.csv", &b"ab\xc3"[..], u64::MAX).is_err());
    }
}
