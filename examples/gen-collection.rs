//! Writes a synthetic collection for the benchmark (`bench/run.sh`): user decks of mixed card
//! types, a review log of a learner studying them for two years, and that log imported into a
//! progress database by the real binary.
//!
//! ```text
//! cargo run --release --example gen-collection -- --cards 50000 --reviews 1000000 --out DIR
//! ```
//!
//! Writes `DIR/decks/bench-NN.yaml`, `DIR/reviews.csv` (`card,at,rating,duration_ms`) and
//! `DIR/progress.db`. The same options and `--seed` always give the same files.
//!
//! The learner: on most days (not all: days off and a few holidays) one evening session
//! introduces new cards in deck order and reviews what is due. A new card goes through
//! same-day learning steps (1 and 10 minutes), then comes back after intervals that grow by
//! the card's ease on Good (less on Hard, more on Easy); Again sends it back to a 10-minute
//! relearning step and shrinks its interval. Ratings are mostly Good, some Again, few Hard or
//! Easy. How fast intervals grow is tuned so the log has the number of reviews asked for.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Days of history.
const DAYS: i64 = 730;
/// Cards per deck.
const DECK_SIZE: usize = 1000;
/// Share of the cards the learner has started; the rest are still new.
const STARTED_SHARE: f64 = 0.9;

struct Options {
    cards: usize,
    reviews: usize,
    out: PathBuf,
    seed: u64,
    end: DateTime<Utc>,
    binary: Option<PathBuf>,
    import: bool,
}

fn main() {
    let options = match parse_args(std::env::args().skip(1).collect()) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("error: {message}");
            eprintln!(
                "usage: gen-collection [--cards N] [--reviews N] --out DIR [--seed N] [--end RFC3339] [--bin PATH] [--no-import]"
            );
            std::process::exit(2);
        }
    };
    if let Err(message) = generate(&options) {
        eprintln!("error: {message}");
        std::process::exit(1);
    }
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut options = Options {
        cards: 50_000,
        reviews: 1_000_000,
        out: PathBuf::new(),
        seed: 7,
        end: "2026-11-01T04:00:00Z".parse().expect("valid time"),
        binary: None,
        import: true,
    };
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if flag == "--no-import" {
            options.import = false;
            continue;
        }
        let value = args
            .next()
            .ok_or_else(|| format!("`{flag}` needs a value"))?;
        let number = || {
            value
                .replace('_', "")
                .parse::<u64>()
                .map_err(|_| format!("`{flag} {value}`: not a number"))
        };
        match flag.as_str() {
            "--cards" => options.cards = number()? as usize,
            "--reviews" => options.reviews = number()? as usize,
            "--seed" => options.seed = number()?,
            "--out" => options.out = PathBuf::from(&value),
            "--bin" => options.binary = Some(PathBuf::from(&value)),
            "--end" => options.end = value.parse().map_err(|e| format!("`--end {value}`: {e}"))?,
            _ => return Err(format!("unknown option `{flag}`")),
        }
    }
    if options.out.as_os_str().is_empty() {
        return Err("--out DIR is required".to_string());
    }
    if options.cards == 0 {
        return Err("--cards must be at least 1".to_string());
    }
    Ok(options)
}

fn generate(options: &Options) -> Result<(), String> {
    let decks_dir = options.out.join("decks");
    if decks_dir.exists() {
        fs::remove_dir_all(&decks_dir).map_err(|e| format!("{}: {e}", decks_dir.display()))?;
    }
    fs::create_dir_all(&decks_dir).map_err(|e| format!("{}: {e}", decks_dir.display()))?;

    let ids = write_decks(&decks_dir, options.cards, options.seed)?;
    let calendar = Calendar::new(options.seed, options.end);
    let reviews = simulate(&ids, &calendar, options.reviews, options.seed);
    let csv = options.out.join("reviews.csv");
    write_csv(&csv, &reviews)?;
    println!(
        "wrote {} cards in {} decks to {}, {} reviews to {}",
        ids.len(),
        ids.len().div_ceil(DECK_SIZE),
        decks_dir.display(),
        reviews.len(),
        csv.display()
    );
    if options.import {
        import(options, &decks_dir, &csv)?;
    }
    Ok(())
}

/// Writes the decks and returns every card id in deck order.
fn write_decks(dir: &Path, cards: usize, seed: u64) -> Result<Vec<String>, String> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0xDEC5);
    let mut ids = Vec::with_capacity(cards);
    let decks = cards.div_ceil(DECK_SIZE);
    for deck in 0..decks {
        let name = format!("bench-{:02}", deck + 1);
        let path = dir.join(format!("{name}.yaml"));
        let mut out = BufWriter::new(
            fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?,
        );
        let in_deck = DECK_SIZE.min(cards - deck * DECK_SIZE);
        let write = |out: &mut BufWriter<fs::File>, text: String| {
            out.write_all(text.as_bytes())
                .map_err(|e| format!("{}: {e}", path.display()))
        };
        write(
            &mut out,
            format!(
                "title: Benchmark deck {}\ndescription: Synthetic cards for the benchmark.\ncards:\n",
                deck + 1
            ),
        )?;
        for index in 0..in_deck {
            let id = format!("{name}-card-{index:04}");
            write(&mut out, card_yaml(&id, index, &mut rng))?;
            ids.push(id);
        }
        out.flush()
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(ids)
}

const WORDS: &[&str] = &[
    "immune",
    "cells",
    "marrow",
    "kidney",
    "joint",
    "rash",
    "fatigue",
    "trial",
    "dose",
    "relapse",
    "remission",
    "antibody",
    "steroid",
    "infusion",
    "recovery",
    "therapy",
    "symptom",
    "flare",
    "tissue",
    "blood",
];

fn phrase(rng: &mut StdRng, words: usize) -> String {
    let mut text = String::new();
    for i in 0..words {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(WORDS[rng.random_range(0..WORDS.len())]);
    }
    text
}

/// One card in YAML, of a type that cycles through all seven.
fn card_yaml(id: &str, index: usize, rng: &mut StdRng) -> String {
    let question = format!("Question {index}, which {}?", phrase(rng, 6));
    let mut yaml = format!("  - id: {id}\n");
    match index % 7 {
        0 => {
            yaml += "    type: flip\n";
            yaml += &format!("    front: {question}\n");
            yaml += &format!("    back: The {}.\n", phrase(rng, 8));
        }
        1 => {
            yaml += "    type: choice\n";
            yaml += &format!("    question: {question}\n");
            yaml += &format!("    answer: Answer {index} {}\n", phrase(rng, 3));
            yaml += "    distractors:\n";
            for d in 0..3 {
                yaml += &format!("      - Wrong {d} {}\n", phrase(rng, 3));
            }
        }
        2 => {
            yaml += "    type: multi\n";
            yaml += &format!("    question: {question}\n");
            yaml += &format!(
                "    correct: [Right one {}, Right two {}]\n",
                phrase(rng, 2),
                phrase(rng, 2)
            );
            yaml += &format!(
                "    wrong: [Wrong one {}, Wrong two {}]\n",
                phrase(rng, 2),
                phrase(rng, 2)
            );
        }
        3 => {
            yaml += "    type: truefalse\n";
            yaml += &format!(
                "    statement: Statement {index} about {}.\n",
                phrase(rng, 6)
            );
            yaml += &format!("    answer: {}\n", rng.random_bool(0.5));
        }
        4 => {
            yaml += "    type: typed\n";
            yaml += &format!("    question: {question}\n");
            yaml += &format!("    answers: [{}, {}]\n", phrase(rng, 1), phrase(rng, 2));
        }
        5 => {
            yaml += "    type: order\n";
            yaml += &format!(
                "    question: Put the steps of {} in order.\n",
                phrase(rng, 3)
            );
            yaml += "    items:\n";
            for step in 1..=4 {
                yaml += &format!("      - Step {step} {}\n", phrase(rng, 2));
            }
        }
        _ => {
            yaml += "    type: cloze\n";
            yaml += &format!(
                "    text: The {} is treated with {{{{{}}}}} in {{{{{}|{}}}}}.\n",
                phrase(rng, 2),
                phrase(rng, 1),
                phrase(rng, 1),
                phrase(rng, 1)
            );
        }
    }
    yaml += &format!("    explanation: Because the {}.\n", phrase(rng, 10));
    yaml += &format!("    source: Section {}\n", index % 12 + 1);
    if index.is_multiple_of(5) {
        yaml += &format!("    note: Context on {}.\n", phrase(rng, 5));
    }
    if index.is_multiple_of(3) {
        yaml += &format!("    tags: [{}, bench]\n", phrase(rng, 1));
    }
    yaml
}

/// The learner's study days: which days had a session and when each session started.
struct Calendar {
    /// Midnight (UTC) of day 0.
    first_day: DateTime<Utc>,
    /// For each day, the session's start in minutes after midnight, or `None` for a day off.
    sessions: Vec<Option<i64>>,
}

impl Calendar {
    fn new(seed: u64, end: DateTime<Utc>) -> Calendar {
        let mut rng = StdRng::seed_from_u64(seed ^ 0xCA1E);
        let last_midnight = end
            .date_naive()
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc();
        let first_day = last_midnight - TimeDelta::days(DAYS);
        let mut sessions: Vec<Option<i64>> = (0..DAYS)
            .map(|_| {
                // One day in eight off; sessions start between 17:00 and 22:00.
                (!rng.random_ratio(1, 8)).then(|| rng.random_range(17 * 60..22 * 60))
            })
            .collect();
        // Three holidays of one to two weeks.
        for _ in 0..3 {
            let start = rng.random_range(30..DAYS as usize - 30);
            let length = rng.random_range(7..15);
            for day in &mut sessions[start..start + length] {
                *day = None;
            }
        }
        Calendar {
            first_day,
            sessions,
        }
    }

    /// The first study day on or after `day`, if there is one before the end.
    fn study_day_from(&self, day: i64) -> Option<i64> {
        (day.max(0)..DAYS).find(|&d| self.sessions[d as usize].is_some())
    }

    /// The start of `day`'s session, in milliseconds.
    fn session_start(&self, day: i64) -> i64 {
        let minutes = self.sessions[day as usize].expect("a study day");
        (self.first_day + TimeDelta::days(day) + TimeDelta::minutes(minutes)).timestamp_millis()
    }

    fn study_days(&self) -> impl Iterator<Item = i64> + '_ {
        (0..DAYS).filter(|&d| self.sessions[d as usize].is_some())
    }
}

struct Review {
    card: u32,
    at_ms: i64,
    rating: u8,
    duration_ms: u32,
}

/// The log of the learner over the calendar, with close to `target` reviews: the growth of
/// intervals is searched for (bisection) so that the log reaches `target`, then the reviews
/// after the `target`-th are left out (as if the last ones had not been done yet).
fn simulate(ids: &[String], calendar: &Calendar, target: usize, seed: u64) -> Vec<Review> {
    let started = ((ids.len() as f64 * STARTED_SHARE).round() as usize).max(1);
    // Cards are introduced in deck order, spread evenly over the study days of the first
    // 90% of the period, so the last months are reviews of cards already seen.
    let days: Vec<i64> = calendar
        .study_days()
        .filter(|&d| d < DAYS * 9 / 10)
        .collect();
    let intro_day = |card: usize| days[card * days.len() / started];
    let run = |growth: f64| {
        let mut rng = StdRng::seed_from_u64(seed ^ 0x5EED);
        let mut reviews = Vec::new();
        for card in 0..started {
            simulate_card(
                card as u32,
                intro_day(card),
                growth,
                calendar,
                &mut rng,
                &mut reviews,
            );
        }
        reviews
    };
    // A larger `growth` means longer intervals and so fewer reviews.
    let (mut low, mut high) = (0.02_f64, 3.0_f64);
    let mut best = run(low);
    for _ in 0..30 {
        let middle = (low + high) / 2.0;
        let reviews = run(middle);
        if reviews.len() >= target {
            low = middle;
            best = reviews;
        } else {
            high = middle;
        }
        if best.len() >= target && best.len() - target < target / 500 + 1 {
            break;
        }
    }
    best.sort_by_key(|review| review.at_ms);
    best.truncate(target);
    best
}

/// One card's history from its first view to the end of the calendar.
fn simulate_card(
    card: u32,
    intro: i64,
    growth: f64,
    calendar: &Calendar,
    rng: &mut StdRng,
    reviews: &mut Vec<Review>,
) {
    // The card's own ease: some cards are harder than others.
    let ease = 1.0 + growth * rng.random_range(0.6..1.4);
    let again_rate = rng.random_range(0.04..0.16);
    let mut day = intro;
    let mut interval = 0.0_f64;
    let mut learning = true;
    while let Some(study_day) = calendar.study_day_from(day) {
        // Where in the session the card comes up.
        let mut at = calendar.session_start(study_day) + rng.random_range(0..45 * 60_000);
        // Same-day steps: learning (1m, 10m) or relearning (10m), repeated on Again.
        let mut steps: &[i64] = if learning { &[1, 10] } else { &[] };
        let mut step = 0;
        loop {
            let rating = rate(rng, learning, again_rate);
            reviews.push(Review {
                card,
                at_ms: at,
                rating,
                duration_ms: duration(rng, rating),
            });
            match rating {
                1 => {
                    if !learning {
                        // A lapse: relearn, and come back sooner.
                        interval = (interval * 0.3).max(1.0);
                        learning = true;
                        steps = &[10];
                    }
                    step = 0;
                }
                4 => step = steps.len(),
                _ => step += 1,
            }
            if step >= steps.len() || reviews.len() > 40_000_000 {
                break;
            }
            at += steps[step] * 60_000 + rng.random_range(0..30_000);
        }
        let last = reviews.last().map(|r| r.rating).unwrap_or(3);
        interval = if learning {
            learning = false;
            if interval < 1.0 {
                if last == 4 { 4.0 } else { 1.0 }
            } else {
                interval
            }
        } else {
            let factor = match last {
                2 => 1.0 + (ease - 1.0) * 0.4,
                4 => ease * 1.3,
                _ => ease,
            };
            (interval * factor * rng.random_range(0.95..1.05)).max(interval + 1.0)
        };
        day = study_day + interval.round() as i64;
    }
}

/// A rating: mostly Good, some Again, few Hard or Easy.
fn rate(rng: &mut StdRng, learning: bool, again_rate: f64) -> u8 {
    let roll: f64 = rng.random();
    let again = if learning { 0.2 } else { again_rate };
    if roll < again {
        1
    } else if roll < again + 0.05 {
        2
    } else if roll < 0.96 {
        3
    } else {
        4
    }
}

/// Seconds spent on a card: a few, more when it was forgotten.
fn duration(rng: &mut StdRng, rating: u8) -> u32 {
    let base = rng.random_range(1_500..9_000) + rng.random_range(0..4) * rng.random_range(0..4_000);
    if rating == 1 { base * 2 } else { base }
}

fn write_csv(path: &Path, reviews: &[Review]) -> Result<(), String> {
    let error = |e: std::io::Error| format!("{}: {e}", path.display());
    let mut out = BufWriter::new(fs::File::create(path).map_err(error)?);
    writeln!(out, "card,at,rating,duration_ms").map_err(error)?;
    for review in reviews {
        let card = review.card as usize;
        let at = DateTime::<Utc>::from_timestamp_millis(review.at_ms).expect("in range");
        writeln!(
            out,
            "bench-{:02}-card-{:04},{},{},{}",
            card / DECK_SIZE + 1,
            card % DECK_SIZE,
            at.to_rfc3339_opts(SecondsFormat::Millis, true),
            review.rating,
            review.duration_ms
        )
        .map_err(error)?;
    }
    out.flush().map_err(error)
}

/// Imports the log into a fresh `DIR/progress.db` with the release binary.
fn import(options: &Options, decks_dir: &Path, csv: &Path) -> Result<(), String> {
    let binary = options.binary.clone().unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("release")
            .join("lupus-quiz")
    });
    if !binary.exists() {
        return Err(format!(
            "`{}` is missing; run `cargo build --release` first, or pass --bin PATH",
            binary.display()
        ));
    }
    let db = options.out.join("progress.db");
    for path in [
        db.clone(),
        db.with_extension("db-wal"),
        db.with_extension("db-shm"),
    ] {
        if path.exists() {
            fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
    }
    let status = Command::new(&binary)
        .arg("--db")
        .arg(&db)
        .arg("--decks")
        .arg(decks_dir)
        .arg("import")
        .arg(csv)
        .status()
        .map_err(|e| format!("cannot run `{}`: {e}", binary.display()))?;
    if !status.success() {
        return Err(format!("`{} import` failed ({status})", binary.display()));
    }
    Ok(())
}
