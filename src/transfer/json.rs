//! The JSON progress file: what `export` writes (streaming the reviews) and what `import`
//! reads back, whole, with its settings, manual actions, quiz results and decks' limits.

use std::cell::Cell;
use std::fmt;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::{Incoming, ReviewEntry, TransferError, card_id_problem, duration_problem};
use crate::clock::{format_instant, out_of_range, parse_instant};
use crate::ids::DeckName;
use crate::schedule::CardAction;
use crate::settings::{Setting, Settings};
use crate::store::StoredCard;
use crate::text::{bounded_message, quoted};

pub const FORMAT_NAME: &str = "lupus-quiz-progress";
/// Version 2 added `events` (suspend, unsuspend, forget), `quiz` (quiz results) and
/// `deck_settings` (a deck's own `new_per_day`); files of version 1 still import.
pub const FORMAT_VERSION: u32 = 2;

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
    /// The questions answered.
    pub questions: u32,
    /// The questions the quiz was to ask, written only for a quiz ended early (more than
    /// `questions`); files without it (older ones too) hold whole quizzes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planned: Option<u32>,
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
    #[serde(default)]
    planned: Option<u32>,
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
        if let Some(planned) = fields.planned.filter(|&planned| planned < fields.questions) {
            return Err(format!(
                "a quiz result of deck `{}` has {} questions answered of {planned} planned; `planned` cannot be less than `questions`",
                quoted(&fields.deck),
                fields.questions,
            ));
        }
        Ok(QuizEntry {
            deck: fields.deck,
            at: fields.at,
            correct: fields.correct,
            questions: fields.questions,
            planned: fields.planned,
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
    // Read so that they are known keys, and not kept: [`check_header`] has read `format`
    // and `version` (which must be there), and the time of the export changes nothing.
    #[serde(rename = "format")]
    _format: String,
    #[serde(rename = "version")]
    _version: u32,
    #[serde(default, rename = "exported_at")]
    _exported_at: Option<String>,
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

/// Reads a JSON progress file whole: its header first, then everything, then the
/// validation pass over its times.
pub(super) fn read_json(
    file: &str,
    bytes: &[u8],
    now: DateTime<Utc>,
) -> Result<Incoming, TransferError> {
    check_header(file, bytes)?;
    let progress: ProgressFile = serde_json::from_slice(bytes).map_err(|error| {
        // A time out of range before the fault (or in it) is the first thing wrong.
        match time_out_of_range(bytes, now) {
            Some(time) if (time.line(), time.column()) <= (error.line(), error.column()) => {
                json_error(file, &time)
            }
            _ => json_error(file, &error),
        }
    })?;
    check_times(file, bytes, &progress, now)?;
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

/// The format and version, checked before anything else, so that a newer file gets the
/// right message rather than a complaint about a field this version does not know.
fn check_header(file: &str, bytes: &[u8]) -> Result<(), TransferError> {
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u32>,
    }
    let header: Header = serde_json::from_slice(bytes).map_err(|e| json_error(file, &e))?;
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
    Ok(())
}

fn json_error(file: &str, error: &serde_json::Error) -> TransferError {
    TransferError::Json {
        file: file.to_string(),
        message: bounded_json_message(error),
    }
}

/// The validation pass after reading: every time of a review, an action or a quiz must be
/// from 1970 to a day after `now`. One that is not is looked for again in the file (by
/// [`time_out_of_range`]), so that its message says where it is, as serde_json's do.
fn check_times(
    file: &str,
    bytes: &[u8],
    progress: &ProgressFile,
    now: DateTime<Utc>,
) -> Result<(), TransferError> {
    let reviews = progress.reviews.iter().map(|review| review.at);
    let events = progress.events.iter().map(|event| event.at);
    let quizzes = progress.quiz.iter().map(|quiz| quiz.at);
    let Some((at, problem)) = reviews
        .chain(events)
        .chain(quizzes)
        .find_map(|at| out_of_range(at, now).map(|problem| (at, problem)))
    else {
        return Ok(());
    };
    Err(match time_out_of_range(bytes, now) {
        Some(error) => json_error(file, &error),
        // Not met: the walk finds every time the file was read with.
        None => TransferError::Json {
            file: file.to_string(),
            message: time_problem(&format_instant(at), &problem),
        },
    })
}

/// What is wrong with a time of a review, an action or a quiz, quoted as the file gives it.
fn time_problem(text: &str, problem: &str) -> String {
    format!(
        "review time `{}`: {problem}; review times are from 1970 to now",
        quoted(text)
    )
}

/// The first time out of range in the `reviews`, `events` and `quiz` of a JSON progress
/// file, in the file's order, as serde_json's error, which names its line and column. None
/// when there is none before the walk ends, or stops at another fault (which reading the
/// file meets too, and says better).
fn time_out_of_range(bytes: &[u8], now: DateTime<Utc>) -> Option<serde_json::Error> {
    let found = Cell::new(false);
    let file = TimesIn {
        now,
        walking: Walking::File,
        found: &found,
    };
    let walked = file.deserialize(&mut serde_json::Deserializer::from_slice(bytes));
    walked.err().filter(|_| found.get())
}

/// A walk over a JSON progress file that reads only the times of its entries, and stops at
/// the first out of range.
#[derive(Clone, Copy)]
struct TimesIn<'f> {
    now: DateTime<Utc>,
    walking: Walking,
    /// Set when the walk stopped at a time out of range.
    found: &'f Cell<bool>,
}

/// Where the walk is. serde_json reads a struct from an array as well as from an object:
/// `at` is then the field at `at_index` (`ReviewEntry` and `QuizEntry` 1, `EventEntry` 2).
#[derive(Clone, Copy)]
enum Walking {
    File,
    List { at_index: usize },
    Entry { at_index: usize },
}

impl<'de> DeserializeSeed<'de> for TimesIn<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        match self.walking {
            Walking::File => deserializer.deserialize_map(self),
            Walking::List { .. } => deserializer.deserialize_seq(self),
            Walking::Entry { .. } => deserializer.deserialize_any(self),
        }
    }
}

impl<'de> Visitor<'de> for TimesIn<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a progress file")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let at_index = match (self.walking, key.as_str()) {
                (Walking::File, "reviews" | "quiz") => 1,
                (Walking::File, "events") => 2,
                (Walking::Entry { .. }, "at") => {
                    self.check(map.next_value()?)?;
                    continue;
                }
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                    continue;
                }
            };
            map.next_value_seed(TimesIn {
                walking: Walking::List { at_index },
                ..self
            })?;
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        match self.walking {
            Walking::List { at_index } => {
                let entry = TimesIn {
                    walking: Walking::Entry { at_index },
                    ..self
                };
                while seq.next_element_seed(entry)?.is_some() {}
            }
            Walking::Entry { at_index } => {
                for _ in 0..at_index {
                    seq.next_element::<de::IgnoredAny>()?;
                }
                if let Some(text) = seq.next_element()? {
                    self.check(text)?;
                }
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
            }
            Walking::File => return Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
        Ok(())
    }
}

impl TimesIn<'_> {
    /// A time as the file gives it: an error when it is a time out of range (a text that is
    /// no time at all is left to reading the file, which says so).
    fn check<E: de::Error>(self, text: String) -> Result<(), E> {
        match parse_instant(&text)
            .ok()
            .and_then(|at| out_of_range(at, self.now))
        {
            Some(problem) => {
                self.found.set(true);
                Err(E::custom(time_problem(&text, &problem)))
            }
            None => Ok(()),
        }
    }
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

/// A message of serde_json about file content, with every quoted part shortened by
/// [`quoted`] (`string "…"`, ``unknown field `…` ``) and the whole bounded.
pub(super) fn bounded_json_message(error: &serde_json::Error) -> String {
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

/// A card id of a review or an event, trimmed as CSV fields are (a padded id would
/// otherwise be another card, an orphan), and refused when it is empty or not plain text.
pub(super) fn non_empty_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
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

/// A deck name as deck files give it: kebab-case. Anything else (an escape sequence, a
/// C1 control) is no deck this program could have written.
fn deck_name_problem(deck: &str) -> Option<String> {
    (!crate::deck::is_kebab_case(deck)).then(|| {
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
pub(super) fn deck_name_or_none<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if text.is_empty() {
        return Ok(text);
    }
    deck_name_problem(&text).map_or(Ok(text), |problem| Err(de::Error::custom(problem)))
}

pub(super) fn read_instant<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(deserializer)?;
    let at = parse_instant(&text).map_err(|e| {
        de::Error::custom(format!("`{}` is not an RFC 3339 time ({e})", quoted(&text)))
    })?;
    Ok(at)
}

pub(super) fn read_duration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let ms = u64::deserialize(deserializer)?;
    duration_problem(ms).map_or(Ok(ms), |problem| Err(de::Error::custom(problem)))
}

pub(super) fn write_instant<S: serde::Serializer>(
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

#[cfg(test)]
mod tests {
    use crate::transfer::read_progress;
    use crate::transfer::tests::now;

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

    /// Times out of range are found after reading, and named where the file has them: in
    /// reviews, actions and quiz results, written as objects or as arrays (serde_json reads
    /// a struct from either), and before a later fault of another kind.
    #[test]
    fn a_time_out_of_range_is_named_where_the_file_has_it() {
        let late = "\"2099-01-01T00:00:00Z\"";
        for (body, column) in [
            (
                format!("\"events\":[{{\"card\":\"a\",\"at\":{late},\"action\":\"forget\"}}]}}"),
                49,
            ),
            (
                format!(
                    "\"quiz\":[{{\"deck\":\"hsct\",\"at\":{late},\"correct\":9,\"questions\":5}}]}}"
                ),
                50,
            ),
            (
                format!("\"reviews\":[{{\"card\":\"a\",\"at\":{late},\"rating\":9}}]}}"),
                50,
            ),
            (format!("\"reviews\":[[\"a\",{late},3]]}}"), 39),
            (format!("\"events\":[[\"a\",\"\",{late},\"forget\"]]}}"), 41),
            (format!("\"quiz\":[[\"hsct\",{late},1,5]]}}"), 39),
        ] {
            let text = format!("{{\"format\":\"lupus-quiz-progress\",\"version\":2,\n{body}");
            let error = read_progress("p.json", text.as_bytes(), now())
                .unwrap_err()
                .to_string();
            assert_eq!(
                error,
                format!(
                    "p.json: not valid JSON progress: review time `2099-01-01T00:00:00Z`: 2099-01-01T00:00:00.000Z is more than a day after now (2026-03-01T09:00:00Z); review times are from 1970 to now at line 2 column {column}"
                ),
                "{body}"
            );
        }
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
