//! The CSV review log: read row by row for import (ours, or another tool's with other
//! column names and time formats), and written by `export --reviews-csv`.

use std::io::{Read, Write};

use chrono::{DateTime, NaiveDateTime, Utc};

use super::{BOM, Incoming, ReviewEntry, TransferError, card_id_problem, duration_problem};
use crate::clock::{out_of_range, parse_instant};
use crate::schedule::Rating;
use crate::text::quoted;

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

pub(super) fn read_csv(
    file: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Incoming, TransferError> {
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
    let header_error = |e: csv::Error| csv_error(1, format!("cannot read the header: {e}"));
    let input = without_bom(input).map_err(|e| header_error(e.into()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        // Only the header here: the fields a review uses are trimmed as they are read
        // (`parse_row`), the same `str::trim` as `Trim::All`, without building a trimmed
        // copy of every row (a tenth of a large import's instructions).
        .trim(csv::Trim::Headers)
        .from_reader(input);
    let headers = reader.headers().map_err(header_error)?.clone();
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

/// A reader of a CSV review log, its byte-order mark skipped.
type WithoutBom<R> = std::io::Chain<std::io::Cursor<Vec<u8>>, R>;

/// `input` without a leading UTF-8 byte-order mark (as Excel writes in CSV files). `csv`
/// strips one itself only when its first read returns all three bytes; a reader that gives
/// fewer (a pipe, a slow file system; see `a_byte_order_mark_split_across_reads_is_skipped`)
/// would leave the mark in the first column's name, and the header would not be found.
fn without_bom<R: Read>(mut input: R) -> std::io::Result<WithoutBom<R>> {
    let mut start = Vec::with_capacity(BOM.len());
    input
        .by_ref()
        .take(BOM.len() as u64)
        .read_to_end(&mut start)?;
    if start == BOM {
        start.clear();
    }
    Ok(std::io::Cursor::new(start).chain(input))
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
    reader: csv::Reader<WithoutBom<R>>,
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
    let field = |index: usize| record.get(index).unwrap_or("").trim();
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

/// Writes the review log as CSV (`card,at,rating,duration_ms`), a review a row, streamed as
/// the JSON export streams its reviews. `csv` quotes a card id that holds a comma or a quote.
pub struct CsvExport<'w> {
    writer: csv::Writer<&'w mut dyn Write>,
}

impl<'w> CsvExport<'w> {
    /// Writes the header: by hand, since `csv` writes one from the first row, and a log
    /// without reviews still has its header.
    pub fn begin(out: &'w mut dyn Write) -> std::io::Result<CsvExport<'w>> {
        let mut writer = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(out);
        writer.write_record(["card", "at", "rating", "duration_ms"])?;
        Ok(CsvExport { writer })
    }

    /// Writes a review as its serde fields, in the header's order.
    pub fn review(&mut self, review: &ReviewEntry) -> std::io::Result<()> {
        Ok(self.writer.serialize(review)?)
    }

    /// Writes what is still buffered, and flushes the output.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transfer::read_progress;
    use crate::transfer::tests::now;

    /// Gives one byte a read, as a pipe or a slow file system may give a few: a byte-order
    /// mark then comes in three reads.
    struct OneByteAtATime<'a>(&'a [u8]);

    impl Read for OneByteAtATime<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let Some((&first, rest)) = self.0.split_first() else {
                return Ok(0);
            };
            if buf.is_empty() {
                return Ok(0);
            }
            buf[0] = first;
            self.0 = rest;
            Ok(1)
        }
    }

    #[test]
    fn a_byte_order_mark_split_across_reads_is_skipped() {
        for header in ["card,at,rating", "\"card\",at,rating"] {
            let text = format!("\u{feff}{header}\na,2026-03-01T08:00:00Z,3\n");
            let reviews = csv_reviews("log.csv", OneByteAtATime(text.as_bytes()), now())
                .unwrap()
                .collect::<Result<Vec<_>, _>>()
                .unwrap();
            assert_eq!(reviews.len(), 1, "{header}");
            assert_eq!(reviews[0].card, "a");
        }
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
    fn padded_fields_of_a_csv_log_are_read_without_their_padding() {
        // Spaces, a tab and a no-break space around the header's names and the fields.
        let text = " card ,\tat, rating\u{a0},duration_ms\n  a , 2026-03-01T08:00:00Z\t,\u{a0}3 , 1500 \nb,2026-03-01T08:01:00Z,\u{2003}7 ,\n";
        let mut reviews = csv_reviews("log.csv", text.as_bytes(), now()).unwrap();
        let first = reviews.next().unwrap().unwrap();
        assert_eq!(first.card, "a");
        assert_eq!(first.at, parse_instant("2026-03-01T08:00:00Z").unwrap());
        assert_eq!((first.rating, first.duration_ms), (Rating::Good, 1500));
        assert_eq!(
            reviews.next().unwrap().unwrap_err().to_string(),
            "log.csv:3: rating `7` is not 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy)"
        );
        assert!(reviews.next().is_none());
    }
}
