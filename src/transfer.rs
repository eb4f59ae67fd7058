//! Progress files: the JSON export format, and reading progress (JSON or a CSV review log)
//! for import. Everything is parsed and validated before the database is touched, so a bad
//! file is refused whole.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::io::{Read, Write};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::clock::{format_instant, out_of_range, parse_instant};
use crate::ids::{CardId, DeckName};
use crate::schedule::{CardAction, Rating};
use crate::settings::{Setting, Settings};
use crate::store::{NewReview, StoredCard};
use crate::text::{bounded_message, quoted};

pub const FORMAT_NAME: &str = "lupus-quiz-progress";
/// Version 2 added `events` (suspend, unsuspend, forget), `quiz` (quiz results) and
/// `deck_settings` (a deck's own `new_per_day`); files of version 1 still import.
pub const FORMAT_VERSION: u32 = 2;

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

/// A message of serde_json about file content, with every quoted part shortened by
/// [`quoted`] (`string "…"`, ``unknown field `…` ``) and the whole bounded.
fn bounded_json_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    let (body, suffix) = match message.strip_suffix(&position) {
        Some(body) if error.line() > 0 => (body, position.as_str()),
        _ => (message.as_str(), ""),
    };
    let mut out = bounded_message(body);
    out.push_str(suffix);
    out
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

thread_local! {
    /// The time reviews of the JSON file being read may not be more than a day after (see
    /// [`read_progress`]): serde's deserializers take no context of their own.
    static READING_AT: Cell<Option<DateTime<Utc>>> = const { Cell::new(None) };
}

/// Progress files larger than this are refused.
pub const MAX_PROGRESS_BYTES: u64 = 1024 * 1024 * 1024;

/// One review as it appears in a progress file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewEntry {
    #[serde(deserialize_with = "non_empty_text")]
    pub card: String,
    #[serde(serialize_with = "write_instant", deserialize_with = "read_instant")]
    pub at: DateTime<Utc>,
    pub rating: Rating,
    #[serde(default, deserialize_with = "read_duration")]
    pub duration_ms: u64,
}

/// One manual action on a card (suspend, unsuspend, forget) as it appears in a progress file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventEntry {
    #[serde(deserialize_with = "non_empty_text")]
    pub card: String,
    /// The card's deck when the action was taken (empty when unknown).
    #[serde(default, deserialize_with = "deck_name_or_none")]
    pub deck: String,
    #[serde(serialize_with = "write_instant", deserialize_with = "read_instant")]
    pub at: DateTime<Utc>,
    pub action: CardAction,
}

/// One quiz result as it appears in a progress file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, try_from = "QuizFields")]
pub struct QuizEntry {
    pub deck: String,
    #[serde(serialize_with = "write_instant")]
    pub at: DateTime<Utc>,
    pub correct: u32,
    pub questions: u32,
}

/// A quiz result as read, before its counts are checked against each other.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizFields {
    #[serde(deserialize_with = "deck_name")]
    deck: String,
    #[serde(deserialize_with = "read_instant")]
    at: DateTime<Utc>,
    correct: u32,
    questions: u32,
}

impl TryFrom<QuizFields> for QuizEntry {
    type Error = String;

    fn try_from(fields: QuizFields) -> Result<QuizEntry, String> {
        if fields.correct > fields.questions {
            return Err(format!(
                "a quiz result of deck `{}` has {} right of {} questions; `correct` cannot be more than `questions`",
                quoted(&fields.deck),
                fields.correct,
                fields.questions
            ));
        }
        Ok(QuizEntry {
            deck: fields.deck,
            at: fields.at,
            correct: fields.correct,
            questions: fields.questions,
        })
    }
}

/// One card's state in a progress file (informative: import rebuilds states by replay).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardEntry {
    #[serde(deserialize_with = "card_id_text")]
    pub id: String,
    #[serde(deserialize_with = "deck_name_or_none")]
    pub deck: String,
    pub state: String,
    pub due: String,
    pub stability: f64,
    pub difficulty: f64,
    pub reps: u32,
    pub lapses: u32,
    pub last_review: Option<String>,
}

impl CardEntry {
    pub fn from_stored(card: &StoredCard) -> CardEntry {
        CardEntry {
            id: card.card_id.to_string(),
            // The file format writes "no deck" as an empty name, as it always has.
            deck: card
                .deck
                .as_ref()
                .map(DeckName::to_string)
                .unwrap_or_default(),
            state: if card.suspended {
                "suspended".to_string()
            } else {
                card.state.phase.as_str().to_string()
            },
            due: format_instant(card.state.due),
            stability: round_to(card.state.stability, 4),
            difficulty: round_to(card.state.difficulty, 4),
            reps: card.state.reps,
            lapses: card.state.lapses,
            last_review: card.state.last_review.map(format_instant),
        }
    }
}

fn round_to(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

/// The whole JSON progress file, as read. An unknown key is refused: a damaged `reviews`
/// key would otherwise import nothing and call it a success.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProgressFile {
    format: String,
    version: u32,
    #[serde(default)]
    #[allow(dead_code)]
    exported_at: Option<String>,
    #[serde(default)]
    settings: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    cards: Vec<CardEntry>,
    #[serde(default)]
    reviews: Vec<ReviewEntry>,
    #[serde(default)]
    events: Vec<EventEntry>,
    #[serde(default)]
    quiz: Vec<QuizEntry>,
    /// A deck's own settings: `{"hsct": {"new_per_day": 5}}`.
    #[serde(default)]
    deck_settings: std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
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

impl Incoming {
    /// The reviews with the deck each belongs to: the loaded decks' answer first, then the
    /// file's, else empty (a card no deck has).
    pub fn new_reviews(&self, deck_of: impl Fn(&str) -> Option<DeckName>) -> Vec<NewReview> {
        self.reviews
            .iter()
            .map(|review| NewReview {
                card_id: CardId::from(review.card.as_str()),
                deck: deck_of(&review.card).or_else(|| {
                    self.decks
                        .get(&review.card)
                        .filter(|deck| !deck.is_empty())
                        .map(|deck| DeckName::from(deck.as_str()))
                }),
                at: review.at,
                rating: review.rating,
                duration_ms: review.duration_ms,
            })
            .collect()
    }
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
        read_json(file, bytes, now)
    } else {
        read_csv(file, bytes, now)
    }
}

/// Whether the start of a progress file (after any byte-order mark) is the start of JSON.
pub fn is_json(start: &[u8]) -> bool {
    strip_bom(start)
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{')
}

fn read_json(file: &str, bytes: &[u8], now: DateTime<Utc>) -> Result<Incoming, TransferError> {
    let json_error = |e: serde_json::Error| TransferError::Json {
        file: file.to_string(),
        message: bounded_json_message(&e),
    };
    // The format and version are checked first, so a newer file gets the right message
    // rather than a complaint about a field this version does not know.
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u32>,
    }
    let header: Header = serde_json::from_slice(bytes).map_err(json_error)?;
    let format = header.format.unwrap_or_default();
    if format != FORMAT_NAME {
        return Err(TransferError::WrongFormat {
            file: file.to_string(),
            found: quoted(&format),
        });
    }
    if let Some(version) = header.version
        && version > FORMAT_VERSION
    {
        return Err(TransferError::NewerVersion {
            file: file.to_string(),
            found: version,
        });
    }
    struct Reading;
    impl Drop for Reading {
        fn drop(&mut self) {
            READING_AT.set(None);
        }
    }
    READING_AT.set(Some(now));
    let reading = Reading;
    let progress: Result<ProgressFile, _> = serde_json::from_slice(bytes);
    drop(reading);
    let progress = progress.map_err(json_error)?;
    debug_assert_eq!(progress.format, FORMAT_NAME);
    let _ = progress.version;
    let settings = file_settings(file, &progress.settings)?;
    let decks = progress
        .cards
        .into_iter()
        .filter(|card| !card.deck.is_empty())
        .map(|card| (card.id, card.deck))
        .collect();
    Ok(Incoming {
        reviews: progress.reviews,
        settings,
        decks,
        events: progress.events,
        quizzes: progress.quiz,
        deck_new_per_day: deck_limits(file, &progress.deck_settings)?,
    })
}

/// The decks' own `new_per_day` of a progress file, each checked as the global setting is;
/// settings of a newer version are passed over.
fn deck_limits(
    file: &str,
    found: &std::collections::BTreeMap<String, serde_json::Map<String, serde_json::Value>>,
) -> Result<Vec<(String, u32)>, TransferError> {
    let mut limits = Vec::new();
    for (deck, settings) in found {
        if let Some(problem) = deck_name_problem(deck) {
            return Err(TransferError::Setting {
                file: file.to_string(),
                key: "deck_settings".to_string(),
                message: problem,
            });
        }
        let Some(value) = settings.get(Setting::NewPerDay.name()) else {
            continue;
        };
        let mut check = Settings::default();
        check
            .set(Setting::NewPerDay, &value.to_string())
            .map_err(|e| TransferError::Setting {
                file: file.to_string(),
                key: format!("{} of deck {}", Setting::NewPerDay, quoted(deck)),
                message: bounded_message(&e.to_string()),
            })?;
        limits.push((deck.clone(), check.new_per_day));
    }
    Ok(limits)
}

/// The settings of a progress file that this version knows, as text, each checked on top
/// of the ones before it (by name: serde_json's map is sorted); unknown names, from a
/// newer version, are passed over.
fn file_settings(
    file: &str,
    found: &serde_json::Map<String, serde_json::Value>,
) -> Result<Vec<(Setting, String)>, TransferError> {
    let mut settings = Vec::new();
    let mut check = Settings::default();
    for (key, value) in found {
        let Some(setting) = Setting::named(key) else {
            continue;
        };
        let text = match value {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Array(items) => items
                .iter()
                .map(|item| item.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            other => other.to_string(),
        };
        check
            .set(setting, &text)
            .map_err(|e| TransferError::Setting {
                file: file.to_string(),
                key: quoted(key),
                message: bounded_message(&e.to_string()),
            })?;
        settings.push((setting, text));
    }
    Ok(settings)
}

/// Column names accepted for each field of a CSV review log, lowercase.
const CARD_COLUMNS: &[&str] = &["card", "card_id", "cardid", "cid", "id"];
const TIME_COLUMNS: &[&str] = &[
    "at",
    "review_time",
    "reviewed_at",
    "time",
    "timestamp",
    "date",
];
const RATING_COLUMNS: &[&str] = &["rating", "review_rating", "ease", "grade"];
const DURATION_COLUMNS: &[&str] = &[
    "duration_ms",
    "review_duration",
    "duration",
    "time_ms",
    "taken_ms",
];

fn read_csv(file: &str, bytes: &[u8], now: DateTime<Utc>) -> Result<Incoming, TransferError> {
    let reviews = csv_reviews(file, bytes, now)?.collect::<Result<Vec<_>, _>>()?;
    Ok(Incoming {
        reviews,
        ..Incoming::default()
    })
}

/// The reviews of a CSV review log, read one row at a time so that a log of millions of
/// reviews never has to be in memory at once. The header is checked here; each row is
/// checked as it is read, and the first bad row ends the iteration with its error. Review
/// times must be from 1970 to a day after `now`. A leading byte-order mark is skipped.
pub fn csv_reviews<R: std::io::Read>(
    file: &str,
    input: R,
    now: DateTime<Utc>,
) -> Result<CsvReviews<R>, TransferError> {
    let csv_error = |line: u64, message: String| TransferError::Csv {
        file: file.to_string(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(SkipBom::new(input));
    let headers = reader
        .headers()
        .map_err(|e| csv_error(1, format!("cannot read the header: {e}")))?
        .clone();
    let find = |names: &[&str]| {
        headers
            .iter()
            .position(|h| names.contains(&h.to_ascii_lowercase().as_str()))
    };
    let missing = |what: &str, names: &[&str]| {
        csv_error(
            1,
            format!(
                "no {what} column in the header `{}`; name it one of: {}",
                quoted(&headers.iter().collect::<Vec<_>>().join(",")),
                names.join(", ")
            ),
        )
    };
    let columns = CsvColumns {
        card: find(CARD_COLUMNS).ok_or_else(|| missing("card", CARD_COLUMNS))?,
        time: find(TIME_COLUMNS).ok_or_else(|| missing("time", TIME_COLUMNS))?,
        rating: find(RATING_COLUMNS).ok_or_else(|| missing("rating", RATING_COLUMNS))?,
        duration: find(DURATION_COLUMNS),
    };
    Ok(CsvReviews {
        file: file.to_string(),
        reader,
        columns,
        record: csv::StringRecord::new(),
        failed: false,
        now,
    })
}

/// A reader that skips a leading UTF-8 byte-order mark (as Excel writes in CSV files).
pub struct SkipBom<R> {
    inner: R,
    start: [u8; 3],
    pending: std::ops::Range<usize>,
    checked: bool,
}

impl<R: Read> SkipBom<R> {
    fn new(inner: R) -> SkipBom<R> {
        SkipBom {
            inner,
            start: [0; 3],
            pending: 0..0,
            checked: false,
        }
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if !self.checked {
            let mut filled = 0;
            while filled < self.start.len() {
                match self.inner.read(&mut self.start[filled..]) {
                    Ok(0) => break,
                    Ok(read) => filled += read,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            self.checked = true;
            self.pending = if self.start[..filled] == *BOM {
                0..0
            } else {
                0..filled
            };
        }
        if !self.pending.is_empty() {
            let count = buf.len().min(self.pending.len());
            let from = self.pending.start;
            buf[..count].copy_from_slice(&self.start[from..from + count]);
            self.pending.start += count;
            return Ok(count);
        }
        self.inner.read(buf)
    }
}

/// Where each field is in a CSV review log.
#[derive(Debug, Clone, Copy)]
struct CsvColumns {
    card: usize,
    time: usize,
    rating: usize,
    duration: Option<usize>,
}

/// Rows of a CSV review log as reviews; see [`csv_reviews`].
pub struct CsvReviews<R> {
    file: String,
    reader: csv::Reader<SkipBom<R>>,
    columns: CsvColumns,
    record: csv::StringRecord,
    /// After an error nothing more is read.
    failed: bool,
    now: DateTime<Utc>,
}

impl<R: std::io::Read> CsvReviews<R> {
    fn error(&mut self, line: u64, message: String) -> Option<Result<ReviewEntry, TransferError>> {
        self.failed = true;
        Some(Err(TransferError::Csv {
            file: self.file.clone(),
            line,
            message,
        }))
    }
}

impl<R: std::io::Read> Iterator for CsvReviews<R> {
    type Item = Result<ReviewEntry, TransferError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let line = self.reader.position().line();
        match self.reader.read_record(&mut self.record) {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(line);
                return self.error(line, format!("{e}"));
            }
        }
        let line = self.record.position().map(|p| p.line()).unwrap_or(line);
        match parse_row(&self.record, self.columns, self.now) {
            Ok(review) => Some(Ok(review)),
            Err(message) => self.error(line, message),
        }
    }
}

/// One CSV row as a review, or what is wrong with it.
fn parse_row(
    record: &csv::StringRecord,
    columns: CsvColumns,
    now: DateTime<Utc>,
) -> Result<ReviewEntry, String> {
    let field = |index: usize| record.get(index).unwrap_or("");
    let card = field(columns.card);
    if card.is_empty() {
        return Err("the card column is empty".to_string());
    }
    if let Some(problem) = card_id_problem(card) {
        return Err(problem);
    }
    let time = field(columns.time);
    let at = parse_review_time(time)?;
    if let Some(problem) = out_of_range(at, now) {
        let read_as = match time.parse::<i64>() {
            Ok(number) if number.unsigned_abs() < UNIX_SECONDS_BELOW => " (read as Unix seconds)",
            Ok(_) => " (read as Unix milliseconds)",
            Err(_) => "",
        };
        return Err(format!(
            "time `{}`{read_as}: {problem}; review times are from 1970 to now",
            quoted(time)
        ));
    }
    let rating_text = field(columns.rating);
    let rating = rating_text
        .parse::<u8>()
        .ok()
        .and_then(|n| Rating::try_from(n).ok())
        .ok_or_else(|| {
            format!(
                "rating `{}` is not 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)",
                quoted(rating_text)
            )
        })?;
    let duration_ms = match columns.duration.map(field) {
        None | Some("") => 0,
        Some(text) => parse_duration_ms(text).ok_or_else(|| {
            format!(
                "duration `{}` is not a number of milliseconds",
                quoted(text)
            )
        })?,
    };
    if let Some(problem) = duration_problem(duration_ms) {
        return Err(problem);
    }
    Ok(ReviewEntry {
        card: card.to_string(),
        at,
        rating,
        duration_ms,
    })
}

fn parse_duration_ms(text: &str) -> Option<u64> {
    if let Ok(ms) = text.parse::<u64>() {
        return Some(ms);
    }
    let ms = text.parse::<f64>().ok()?;
    (ms.is_finite() && (0.0..1e15).contains(&ms)).then(|| ms.round() as u64)
}

/// Unix times of at most 10 digits are seconds (up to the year 2286), of 13 digits or more
/// milliseconds (from September 2001). 11 and 12 digits are neither (as seconds, the year
/// 5138 and later; as milliseconds, 1970 to 2001), and are refused rather than guessed.
const UNIX_SECONDS_BELOW: u64 = 10_000_000_000;
const UNIX_MILLISECONDS_FROM: u64 = 1_000_000_000_000;

/// Review times: RFC 3339, `YYYY-MM-DD HH:MM:SS[.fff]` in UTC, or a Unix time in
/// milliseconds (as Anki's review ids are) or seconds.
pub fn parse_review_time(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(at) = parse_instant(text) {
        return Ok(at);
    }
    for format in ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f"] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, format) {
            return Ok(naive.and_utc());
        }
    }
    if let Ok(number) = text.parse::<i64>() {
        let magnitude = number.unsigned_abs();
        let at = if magnitude < UNIX_SECONDS_BELOW {
            DateTime::<Utc>::from_timestamp(number, 0)
        } else if magnitude >= UNIX_MILLISECONDS_FROM {
            DateTime::<Utc>::from_timestamp_millis(number)
        } else {
            return Err(format!(
                "time `{}` has {} digits: neither Unix seconds (up to 10 digits) nor Unix milliseconds (13 digits); write it as RFC 3339 (2026-03-01T09:00:00Z) or Unix milliseconds",
                quoted(text),
                magnitude.ilog10() + 1
            ));
        };
        if let Some(at) = at {
            return Ok(at);
        }
    }
    Err(format!(
        "time `{}` is not understood; write it as RFC 3339 (2026-03-01T09:00:00Z) or Unix milliseconds",
        quoted(text)
    ))
}

/// A card id of a review or an event, trimmed as CSV fields are (a padded id would
/// otherwise be another card, an orphan), and refused when it is empty or not plain text.
fn non_empty_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    let text = text.trim();
    if text.is_empty() {
        return Err(de::Error::custom("a review's `card` must not be empty"));
    }
    card_id_problem(text).map_or(Ok(text.to_string()), |problem| {
        Err(de::Error::custom(problem))
    })
}

/// The card id of an entry of the `cards` list; see [`non_empty_text`].
fn card_id_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    let text = text.trim();
    card_id_problem(text).map_or(Ok(text.to_string()), |problem| {
        Err(de::Error::custom(problem))
    })
}

/// Card ids are one line of plain text: a NUL or another control character means the file
/// is damaged or not a review log, and would otherwise land in the log as an orphan card;
/// a bidirectional override or a zero-width character makes an id print exactly like
/// another one.
fn card_id_problem(card: &str) -> Option<String> {
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

/// A deck name as deck files give it: kebab-case. Anything else (an escape sequence, a
/// C1 control) is no deck this program could have written.
fn deck_name_problem(deck: &str) -> Option<String> {
    (!crate::text::is_kebab_case(deck)).then(|| {
        format!(
            "deck `{}` is not a deck name; deck names are kebab-case (lowercase letters, digits, single hyphens)",
            quoted(deck)
        )
    })
}

/// A deck name that must be there (a quiz result's).
fn deck_name<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    deck_name_problem(&text).map_or(Ok(text), |problem| Err(de::Error::custom(problem)))
}

/// A deck name that may be empty ("no deck", as cards and events write it).
fn deck_name_or_none<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if text.is_empty() {
        return Ok(text);
    }
    deck_name_problem(&text).map_or(Ok(text), |problem| Err(de::Error::custom(problem)))
}

fn read_instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    let at = parse_instant(&text).map_err(|e| {
        de::Error::custom(format!("`{}` is not an RFC 3339 time ({e})", quoted(&text)))
    })?;
    if let Some(now) = READING_AT.get()
        && let Some(problem) = out_of_range(at, now)
    {
        return Err(de::Error::custom(format!(
            "review time `{}`: {problem}; review times are from 1970 to now",
            quoted(&text)
        )));
    }
    Ok(at)
}

fn read_duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let ms = u64::deserialize(deserializer)?;
    duration_problem(ms).map_or(Ok(ms), |problem| Err(de::Error::custom(problem)))
}

fn write_instant<S: serde::Serializer>(
    at: &DateTime<Utc>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&format_instant(*at))
}

/// Writes the JSON progress file, streaming the reviews so memory stays flat.
pub struct JsonExport<'w> {
    out: &'w mut dyn Write,
    first_review: bool,
}

impl<'w> JsonExport<'w> {
    /// Writes everything before the reviews.
    pub fn begin(
        out: &'w mut dyn Write,
        exported_at: DateTime<Utc>,
        settings: &Settings,
        cards: &[StoredCard],
    ) -> std::io::Result<JsonExport<'w>> {
        // Through a `Value`, whose objects keep their keys sorted: the order in which
        // every file so far lists the settings.
        let settings_json = serde_json::to_value(settings)?;
        writeln!(out, "{{")?;
        writeln!(out, "  \"format\": \"{FORMAT_NAME}\",")?;
        writeln!(out, "  \"version\": {FORMAT_VERSION},")?;
        writeln!(
            out,
            "  \"exported_at\": \"{}\",",
            format_instant(exported_at)
        )?;
        writeln!(
            out,
            "  \"settings\": {},",
            serde_json::to_string(&settings_json)?
        )?;
        write!(out, "  \"cards\": [")?;
        for (i, card) in cards.iter().enumerate() {
            let separator = if i == 0 { "\n    " } else { ",\n    " };
            write!(
                out,
                "{separator}{}",
                serde_json::to_string(&CardEntry::from_stored(card))?
            )?;
        }
        if !cards.is_empty() {
            write!(out, "\n  ")?;
        }
        writeln!(out, "],")?;
        write!(out, "  \"reviews\": [")?;
        Ok(JsonExport {
            out,
            first_review: true,
        })
    }

    pub fn review(&mut self, review: &ReviewEntry) -> std::io::Result<()> {
        let separator = if self.first_review {
            "\n    "
        } else {
            ",\n    "
        };
        self.first_review = false;
        write!(self.out, "{separator}{}", serde_json::to_string(review)?)
    }

    /// Ends the file with no events, quiz results or deck settings.
    pub fn finish(self) -> std::io::Result<()> {
        self.finish_with(&Extras::default())
    }

    /// Writes what comes after the reviews, and ends the file.
    pub fn finish_with(self, extras: &Extras) -> std::io::Result<()> {
        if !self.first_review {
            write!(self.out, "\n  ")?;
        }
        writeln!(self.out, "],")?;
        write_list(self.out, "events", &extras.events)?;
        writeln!(self.out, ",")?;
        write_list(self.out, "quiz", &extras.quizzes)?;
        writeln!(self.out, ",")?;
        let deck_settings: serde_json::Map<String, serde_json::Value> = extras
            .deck_new_per_day
            .iter()
            .map(|(deck, limit)| {
                (
                    deck.clone(),
                    serde_json::json!({ Setting::NewPerDay.name(): limit }),
                )
            })
            .collect();
        writeln!(
            self.out,
            "  \"deck_settings\": {}",
            serde_json::to_string(&deck_settings)?
        )?;
        writeln!(self.out, "}}")?;
        self.out.flush()
    }
}

/// What a progress file holds beside the settings, cards and reviews (format version 2).
#[derive(Debug, Clone, Default)]
pub struct Extras {
    pub events: Vec<EventEntry>,
    pub quizzes: Vec<QuizEntry>,
    pub deck_new_per_day: Vec<(String, u32)>,
}

/// `  "name": [ ... ]`, one item a line, without the comma after it.
fn write_list<T: Serialize>(out: &mut dyn Write, name: &str, items: &[T]) -> std::io::Result<()> {
    write!(out, "  \"{name}\": [")?;
    for (i, item) in items.iter().enumerate() {
        let separator = if i == 0 { "\n    " } else { ",\n    " };
        write!(out, "{separator}{}", serde_json::to_string(item)?)?;
    }
    if !items.is_empty() {
        write!(out, "\n  ")?;
    }
    write!(out, "]")
}

/// Writes the review log as CSV (`card,at,rating,duration_ms`).
pub fn write_csv_header(out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "card,at,rating,duration_ms")
}

pub fn write_csv_review(out: &mut dyn Write, review: &ReviewEntry) -> std::io::Result<()> {
    writeln!(
        out,
        "{},{},{},{}",
        CsvField(&review.card),
        format_instant(review.at),
        review.rating.as_u8(),
        review.duration_ms
    )
}

/// A CSV field, quoted when it needs to be.
struct CsvField<'a>(&'a str);

impl fmt::Display for CsvField<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.contains([',', '"', '\n', '\r']) {
            write!(f, "\"{}\"", self.0.replace('"', "\"\""))
        } else {
            f.write_str(self.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
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
            write_csv_header(&mut csv).unwrap();
            for review in &reviews {
                write_csv_review(&mut csv, review).unwrap();
            }
            let read = read_progress("p.csv", &csv, now()).unwrap();
            proptest::prop_assert_eq!(entries(&read), expected);
        }
    }

    const MAX_AHEAD_MS: i64 = 24 * 60 * 60 * 1000;

    #[test]
    fn a_long_setting_value_is_quoted_short() {
        let text = format!(
            "{{\"format\":\"lupus-quiz-progress\",\"version\":1,\"settings\":{{\"learning_steps\":\"{}\"}}}}",
            "9".repeat(100_000)
        );
        let error = read_progress("p.json", text.as_bytes(), now())
            .unwrap_err()
            .to_string();
        assert!(error.len() < 600, "{error}");
        assert!(
            error.starts_with("p.json: setting `learning_steps`: "),
            "{error}"
        );
    }

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

    #[test]
    fn a_csv_log_with_a_byte_order_mark_reads_its_header() {
        let text = "\u{feff}card,at,rating\na,2026-03-01T08:00:00Z,3\n";
        let incoming = read_progress("log.csv", text.as_bytes(), now()).unwrap();
        assert_eq!(incoming.reviews.len(), 1);
        let streamed = csv_reviews("log.csv", text.as_bytes(), now())
            .unwrap()
            .count();
        assert_eq!(streamed, 1);
    }

    #[test]
    fn review_times_in_the_shapes_other_tools_write() {
        let expected = parse_instant("2024-03-29T20:32:32.250Z").unwrap();
        for text in [
            "2024-03-29T20:32:32.250000+00:00",
            "2024-03-29 20:32:32.25",
            "1711744352250",
        ] {
            assert_eq!(parse_review_time(text).unwrap(), expected, "{text}");
        }
        assert!(parse_review_time("yesterday").is_err());
        assert_eq!(
            parse_review_time("1772352000").unwrap(),
            parse_instant("2026-03-01T08:00:00Z").unwrap()
        );
        for ambiguous in ["99999999999", "100000000000", "-999999999999"] {
            let error = parse_review_time(ambiguous).unwrap_err();
            assert!(error.contains("neither Unix seconds"), "{error}");
        }
    }

    #[test]
    fn csv_with_other_column_names_and_a_bad_row() {
        let good =
            "card_id,review_rating,review_time,review_duration\n17,3,2024-03-29T20:32:32Z,7241\n";
        let incoming = read_progress("log.csv", good.as_bytes(), now()).unwrap();
        assert_eq!(incoming.reviews.len(), 1);
        assert_eq!(incoming.reviews[0].duration_ms, 7241);
        let bad = format!("{good}18,5,2024-03-29T20:33:00Z,1\n");
        assert_eq!(
            read_progress("log.csv", bad.as_bytes(), now())
                .unwrap_err()
                .to_string(),
            "log.csv:3: rating `5` is not 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"
        );
    }

    #[test]
    fn json_with_a_bad_rating_names_the_line() {
        let text = "{\"format\": \"lupus-quiz-progress\", \"version\": 1,\n \"reviews\": [\n {\"card\": \"a\", \"at\": \"2026-01-01T00:00:00Z\", \"rating\": 7}]}";
        let error = read_progress("p.json", text.as_bytes(), now())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("p.json: not valid JSON progress: "),
            "{error}"
        );
        assert!(error.contains("line 3"), "{error}");
    }
}
