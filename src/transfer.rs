//! Progress files: the JSON export format, and reading progress (JSON or a CSV review log)
//! for import. Everything is parsed and validated before the database is touched, so a bad
//! file is refused whole.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use crate::clock::{format_instant, parse_instant};
use crate::schedule::Rating;
use crate::settings::{KEYS, Settings};
use crate::store::{NewReview, StoredCard};

pub const FORMAT_NAME: &str = "lupus-quiz-progress";
pub const FORMAT_VERSION: u32 = 1;

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
    #[serde(default)]
    pub duration_ms: u64,
}

/// One card's state in a progress file (informative: import rebuilds states by replay).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CardEntry {
    pub id: String,
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
            id: card.card_id.clone(),
            deck: card.deck.clone(),
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

/// The whole JSON progress file, as read.
#[derive(Debug, Deserialize)]
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
}

/// Progress read from a file, ready to merge.
#[derive(Debug, Default)]
pub struct Incoming {
    pub reviews: Vec<ReviewEntry>,
    /// Settings in the file, as (key, text value), already validated.
    pub settings: Vec<(&'static str, String)>,
    /// Deck names the file gives for cards (JSON `cards` list).
    pub decks: HashMap<String, String>,
}

impl Incoming {
    /// The reviews with the deck each belongs to: the loaded decks' answer first, then the
    /// file's, else empty (a card no deck has).
    pub fn new_reviews(&self, deck_of: impl Fn(&str) -> Option<String>) -> Vec<NewReview> {
        self.reviews
            .iter()
            .map(|review| NewReview {
                card_id: review.card.clone(),
                deck: deck_of(&review.card)
                    .or_else(|| self.decks.get(&review.card).cloned())
                    .unwrap_or_default(),
                at: review.at,
                rating: review.rating,
                duration_ms: review.duration_ms,
            })
            .collect()
    }
}

/// Reads a progress file: JSON when it starts with `{`, otherwise a CSV review log.
pub fn read_progress(file: &str, bytes: &[u8]) -> Result<Incoming, TransferError> {
    if bytes.len() as u64 > MAX_PROGRESS_BYTES {
        return Err(TransferError::TooLarge {
            file: file.to_string(),
            size: bytes.len() as u64,
            limit: MAX_PROGRESS_BYTES,
        });
    }
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| bytes[i]) {
        Some(b'{') => read_json(file, bytes),
        _ => read_csv(file, bytes),
    }
}

fn read_json(file: &str, bytes: &[u8]) -> Result<Incoming, TransferError> {
    let json_error = |e: serde_json::Error| TransferError::Json {
        file: file.to_string(),
        message: e.to_string(),
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
            found: format,
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
    let progress: ProgressFile = serde_json::from_slice(bytes).map_err(json_error)?;
    debug_assert_eq!(progress.format, FORMAT_NAME);
    let _ = progress.version;
    let mut settings = Vec::new();
    let mut check = Settings::default();
    for (key, value) in &progress.settings {
        let Some(setting) = KEYS.iter().find(|k| k.name == key) else {
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
            .set_key(setting, &text)
            .map_err(|e| TransferError::Setting {
                file: file.to_string(),
                key: key.clone(),
                message: e.to_string(),
            })?;
        settings.push((setting.name, text));
    }
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
    })
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

fn read_csv(file: &str, bytes: &[u8]) -> Result<Incoming, TransferError> {
    let reviews = csv_reviews(file, bytes)?.collect::<Result<Vec<_>, _>>()?;
    Ok(Incoming {
        reviews,
        ..Incoming::default()
    })
}

/// The reviews of a CSV review log, read one row at a time so that a log of millions of
/// reviews never has to be in memory at once. The header is checked here; each row is
/// checked as it is read, and the first bad row ends the iteration with its error.
pub fn csv_reviews<R: std::io::Read>(file: &str, input: R) -> Result<CsvReviews<R>, TransferError> {
    let csv_error = |line: u64, message: String| TransferError::Csv {
        file: file.to_string(),
        line,
        message,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(input);
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
                headers.iter().collect::<Vec<_>>().join(","),
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
    })
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
    reader: csv::Reader<R>,
    columns: CsvColumns,
    record: csv::StringRecord,
    /// After an error nothing more is read.
    failed: bool,
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
        match parse_row(&self.record, self.columns) {
            Ok(review) => Some(Ok(review)),
            Err(message) => self.error(line, message),
        }
    }
}

/// One CSV row as a review, or what is wrong with it.
fn parse_row(record: &csv::StringRecord, columns: CsvColumns) -> Result<ReviewEntry, String> {
    let field = |index: usize| record.get(index).unwrap_or("");
    let card = field(columns.card);
    if card.is_empty() {
        return Err("the card column is empty".to_string());
    }
    if let Some(problem) = card_id_problem(card) {
        return Err(problem);
    }
    let at = parse_review_time(field(columns.time))?;
    let rating_text = field(columns.rating);
    let rating = rating_text
        .parse::<u8>()
        .ok()
        .and_then(|n| Rating::try_from(n).ok())
        .ok_or_else(|| {
            format!("rating `{rating_text}` is not 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)")
        })?;
    let duration_ms = match columns.duration.map(field) {
        None | Some("") => 0,
        Some(text) => parse_duration_ms(text)
            .ok_or_else(|| format!("duration `{text}` is not a number of milliseconds"))?,
    };
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
        // Below 10^11 it is seconds (until the year 5138), above it milliseconds.
        let at = if number.abs() < 100_000_000_000 {
            DateTime::<Utc>::from_timestamp(number, 0)
        } else {
            DateTime::<Utc>::from_timestamp_millis(number)
        };
        if let Some(at) = at {
            return Ok(at);
        }
    }
    Err(format!(
        "time `{text}` is not understood; write it as RFC 3339 (2026-03-01T09:00:00Z) or Unix milliseconds"
    ))
}

fn non_empty_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if text.trim().is_empty() {
        return Err(de::Error::custom("a review's `card` must not be empty"));
    }
    card_id_problem(&text).map_or(Ok(text), |problem| Err(de::Error::custom(problem)))
}

/// Card ids are one line of text: a NUL or another control character means the file is
/// damaged or not a review log, and would otherwise land in the log as an orphan card.
fn card_id_problem(card: &str) -> Option<String> {
    card.chars().find(|c| c.is_control()).map(|c| {
        format!(
            "card `{}` contains the control character U+{:04X}; card ids are plain text",
            card.escape_debug(),
            u32::from(c)
        )
    })
}

fn read_instant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_instant(&text)
        .map_err(|e| de::Error::custom(format!("`{text}` is not an RFC 3339 time ({e})")))
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
        let mut settings_json = serde_json::Map::new();
        for key in KEYS {
            let value = match key.name {
                "desired_retention" => serde_json::json!(
                    settings
                        .desired_retention
                        .to_string()
                        .parse::<f64>()
                        .unwrap_or(0.9)
                ),
                "new_per_day" => serde_json::json!(settings.new_per_day),
                "reviews_per_day" => serde_json::json!(settings.reviews_per_day),
                "rollover_hour" => serde_json::json!(settings.rollover_hour),
                "max_interval_days" => serde_json::json!(settings.max_interval_days),
                "leech_threshold" => serde_json::json!(settings.leech_threshold),
                // Through the shortest decimal form, so 0.212f32 is written 0.212, not
                // 0.21199999749660492.
                "parameters" => serde_json::json!(
                    settings
                        .parameters
                        .iter()
                        .map(|p| p.to_string().parse::<f64>().unwrap_or(f64::from(*p)))
                        .collect::<Vec<f64>>()
                ),
                other => serde_json::json!(settings.get(other).unwrap_or_default()),
            };
            settings_json.insert(key.name.to_string(), value);
        }
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

    pub fn finish(self) -> std::io::Result<()> {
        if !self.first_review {
            write!(self.out, "\n  ")?;
        }
        writeln!(self.out, "]")?;
        writeln!(self.out, "}}")?;
        self.out.flush()
    }
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
    }

    #[test]
    fn csv_with_other_column_names_and_a_bad_row() {
        let good =
            "card_id,review_rating,review_time,review_duration\n17,3,2024-03-29T20:32:32Z,7241\n";
        let incoming = read_progress("log.csv", good.as_bytes()).unwrap();
        assert_eq!(incoming.reviews.len(), 1);
        assert_eq!(incoming.reviews[0].duration_ms, 7241);
        let bad = format!("{good}18,5,2024-03-29T20:33:00Z,1\n");
        assert_eq!(
            read_progress("log.csv", bad.as_bytes())
                .unwrap_err()
                .to_string(),
            "log.csv:3: rating `5` is not 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"
        );
    }

    #[test]
    fn json_with_a_bad_rating_names_the_line() {
        let text = "{\"format\": \"lupus-quiz-progress\", \"version\": 1,\n \"reviews\": [\n {\"card\": \"a\", \"at\": \"2026-01-01T00:00:00Z\", \"rating\": 7}]}";
        let error = read_progress("p.json", text.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("p.json: not valid JSON progress: "),
            "{error}"
        );
        assert!(error.contains("line 3"), "{error}");
    }
}
