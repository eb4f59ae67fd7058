//! The statistics report: every number `stats` shows, gathered from the store's aggregate
//! queries, with stable field names (they are the JSON keys documented in the README).
//! The terminal rendering reads this same structure, so both outputs always agree.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde::Serialize;

use super::days::{Days, Streak, date_of, per_day, streak_of, weekday_of};
use super::rows::{DeckCardCounts, DeckToday, PassCount, ReviewBucket};
use crate::deck::{Card, CardContent, Catalog, render_cloze};
use crate::schedule::Scheduler;
use crate::settings::Settings;
use crate::store::Store;

/// Weeks shown in the activity heatmap.
pub const HEATMAP_WEEKS: i64 = 12;

/// Cards listed as the hardest.
pub const HARDEST: u32 = 5;

/// Everything `stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The deck the report is limited to, or null for all decks.
    pub deck: Option<String>,
    /// The deck `study` should start with, for the hints of an empty database.
    #[serde(skip)]
    pub first_deck: String,
    pub today: Today,
    /// Cards due now (not suspended, deck cards only).
    pub due_now: u64,
    pub cards: Cards,
    pub forecast: Vec<DayDue>,
    pub activity: Vec<DayReviews>,
    pub streak: Streak,
    pub retention: Retention,
    pub hardest: Vec<HardCard>,
    pub quiz: Vec<DeckQuiz>,
    pub orphans: Vec<Orphan>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Today {
    /// The study day (it starts at the rollover hour).
    pub date: NaiveDate,
    pub reviews: u64,
    /// Reviews rated Hard or better.
    pub passed: u64,
    /// `passed / reviews`, null without reviews.
    pub pass_rate: Option<f64>,
    pub time_ms: u64,
    pub due_later: u64,
    pub new_left: u64,
    pub new_per_day: u32,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CardCounts {
    pub total: u64,
    pub new: u64,
    /// Learning and relearning.
    pub learning: u64,
    /// In review with an interval under 21 days.
    pub young: u64,
    /// In review with an interval of 21 days or more.
    pub mature: u64,
    pub suspended: u64,
    pub leeches: u64,
    /// `mature / total`.
    pub mastery: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeckCards {
    pub deck: String,
    #[serde(flatten)]
    pub counts: CardCounts,
    pub due_now: u64,
    pub new_left: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Cards {
    pub decks: Vec<DeckCards>,
    pub total: CardCounts,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct DayDue {
    pub date: NaiveDate,
    pub due: u64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct DayReviews {
    pub date: NaiveDate,
    pub reviews: u64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct PassRate {
    pub reviews: u64,
    pub passed: u64,
    /// `passed / reviews`, null without reviews.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Retention {
    pub d7: PassRate,
    pub d30: PassRate,
    pub d365: PassRate,
    pub desired: f64,
    /// Average FSRS retrievability now of the cards in review, null when there are none.
    pub predicted_recall: Option<f64>,
    pub review_cards: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HardCard {
    pub id: String,
    pub deck: String,
    pub question: String,
    pub lapses: u32,
    /// FSRS stability in days.
    pub stability: f64,
    pub leech: bool,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Score {
    pub correct: u32,
    pub questions: u32,
    /// `correct / questions`, null for an empty quiz.
    pub rate: Option<f64>,
    pub date: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct DeckQuiz {
    pub deck: String,
    pub taken: u64,
    pub latest: Score,
    pub best: Score,
}

#[derive(Debug, Clone, Serialize)]
pub struct Orphan {
    pub id: String,
    /// The deck it was last reviewed in, null when its reviews were imported without one.
    pub deck: Option<String>,
    pub reviews: u64,
}

/// What the learner asked for.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub deck: Option<&'a str>,
    pub forecast_days: u32,
}

/// A share rounded to 4 decimals (so JSON shows `0.8333`, not float noise); none of nothing.
pub fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round4(part as f64 / whole as f64))
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The study days up to `last_day` with at least one review, walked with one index seek per
/// day, so the longest streak costs little even with years of history.
pub fn active_days<Tz: TimeZone>(
    store: &Store,
    days: &Days<Tz>,
    last_day: i64,
    deck: Option<&str>,
) -> anyhow::Result<Vec<i64>> {
    let mut active = Vec::new();
    let mut cursor = i64::MIN;
    let end = days.start_ms(last_day + 1);
    while let Some(at) = store
        .first_review_at_or_after(cursor, deck)?
        .filter(|&at| at < end)
    {
        let day = days.day_of_ms(at);
        active.push(day);
        // Never step backwards, whatever a time zone does.
        cursor = days.start_ms(day + 1).max(at + 1);
    }
    Ok(active)
}

impl Report {
    /// Gathers the report. `deck` must be a deck of `catalog`.
    pub fn build<Tz: TimeZone>(
        store: &Store,
        catalog: &Catalog,
        settings: &Settings,
        scheduler: &Scheduler,
        options: Options<'_>,
        days: &Days<Tz>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<Report> {
        let deck = options.deck;
        store.load_stats_cards(
            catalog
                .cards()
                .map(|(deck, card)| (card.id.as_str(), deck.name.as_str())),
        )?;
        let today = days.day_of(now);
        let now_ms = now.timestamp_millis();
        let (today_start, tomorrow_start) = (days.start_ms(today), days.start_ms(today + 1));

        let first_heatmap_day = today - weekday_of(today) as i64 - 7 * (HEATMAP_WEEKS - 1);
        let buckets =
            store.review_buckets(days.start_ms(first_heatmap_day), tomorrow_start, deck)?;
        let per_day_reviews = per_day(
            buckets.iter().map(|b| (b.start_ms, DayTotal::from(b))),
            |ms| days.day_of_ms(ms),
        );
        let activity = (first_heatmap_day..=today)
            .map(|day| DayReviews {
                date: date_of(day),
                reviews: per_day_reviews.get(&day).map_or(0, |t| t.reviews),
            })
            .collect();
        let done_today = per_day_reviews.get(&today).copied().unwrap_or_default();

        let deck_today = store.deck_today(now_ms, today_start, tomorrow_start)?;
        let cards = cards_by_deck(
            catalog,
            deck,
            &store.deck_card_counts()?,
            &deck_today,
            settings.new_per_day,
        );
        let in_scope = |row: &&DeckToday| deck.is_none_or(|d| d == row.deck);
        let due_now = deck_today.iter().filter(in_scope).map(|d| d.due_now).sum();
        let due_later = deck_today
            .iter()
            .filter(in_scope)
            .map(|d| d.due_later)
            .sum();
        let new_left = cards.decks.iter().map(|d| d.new_left).sum();

        Ok(Report {
            deck: deck.map(str::to_string),
            first_deck: deck
                .or_else(|| catalog.decks.first().map(|d| d.name.as_str()))
                .unwrap_or("basics")
                .to_string(),
            today: Today {
                date: date_of(today),
                reviews: done_today.reviews,
                passed: done_today.passed,
                pass_rate: ratio(done_today.passed, done_today.reviews),
                time_ms: done_today.duration_ms,
                due_later,
                new_left,
                new_per_day: settings.new_per_day,
            },
            due_now,
            cards,
            forecast: forecast(store, days, today, options.forecast_days, deck)?,
            activity,
            streak: streak_of(&active_days(store, days, today, deck)?, today),
            retention: retention(store, settings, scheduler, days, today, now, deck)?,
            hardest: hardest(store, catalog, deck)?,
            quiz: quiz(store, days, deck)?,
            orphans: if deck.is_some() {
                Vec::new()
            } else {
                orphans(store)?
            },
        })
    }

    /// True when no review was ever given (in the deck): sections then say how to start.
    pub fn is_empty(&self) -> bool {
        self.streak.longest == 0
    }
}

/// One day's review totals, summed from buckets.
#[derive(Debug, Clone, Copy, Default)]
struct DayTotal {
    reviews: u64,
    passed: u64,
    duration_ms: u64,
}

impl From<&ReviewBucket> for DayTotal {
    fn from(bucket: &ReviewBucket) -> Self {
        DayTotal {
            reviews: bucket.reviews,
            passed: bucket.passed,
            duration_ms: bucket.duration_ms,
        }
    }
}

impl std::ops::AddAssign for DayTotal {
    fn add_assign(&mut self, other: Self) {
        self.reviews += other.reviews;
        self.passed += other.passed;
        self.duration_ms += other.duration_ms;
    }
}

/// The catalog's decks (in catalog order) with their counts, and the total.
fn cards_by_deck(
    catalog: &Catalog,
    only: Option<&str>,
    counts: &[DeckCardCounts],
    today: &[DeckToday],
    new_per_day: u32,
) -> Cards {
    let counts: HashMap<&str, &DeckCardCounts> =
        counts.iter().map(|c| (c.deck.as_str(), c)).collect();
    let today: HashMap<&str, &DeckToday> = today.iter().map(|t| (t.deck.as_str(), t)).collect();
    let mut total = DeckCardCounts::default();
    let decks: Vec<DeckCards> = catalog
        .decks
        .iter()
        .filter(|d| only.is_none_or(|name| name == d.name))
        .map(|d| {
            let row = counts
                .get(d.name.as_str())
                .copied()
                .cloned()
                .unwrap_or_default();
            let day = today
                .get(d.name.as_str())
                .copied()
                .cloned()
                .unwrap_or_default();
            add_counts(&mut total, &row);
            // The daily limit is per deck; cards introduced today use it up.
            let new_left = u64::from(new_per_day)
                .saturating_sub(day.introduced)
                .min(row.new);
            DeckCards {
                deck: d.name.clone(),
                counts: card_counts(&row),
                due_now: day.due_now,
                new_left,
            }
        })
        .collect();
    Cards {
        decks,
        total: card_counts(&total),
    }
}

fn add_counts(total: &mut DeckCardCounts, row: &DeckCardCounts) {
    total.total += row.total;
    total.new += row.new;
    total.learning += row.learning;
    total.young += row.young;
    total.mature += row.mature;
    total.suspended += row.suspended;
    total.leeches += row.leeches;
}

fn card_counts(row: &DeckCardCounts) -> CardCounts {
    CardCounts {
        total: row.total,
        new: row.new,
        learning: row.learning,
        young: row.young,
        mature: row.mature,
        suspended: row.suspended,
        leeches: row.leeches,
        mastery: ratio(row.mature, row.total).unwrap_or(0.0),
    }
}

/// Cards due on each of the next `count` days, today first with everything overdue.
fn forecast<Tz: TimeZone>(
    store: &Store,
    days: &Days<Tz>,
    today: i64,
    count: u32,
    deck: Option<&str>,
) -> anyhow::Result<Vec<DayDue>> {
    let end = today + i64::from(count);
    let buckets = store.due_buckets(days.start_ms(today), days.start_ms(end), deck)?;
    let per_day = per_day(buckets.iter().map(|b| (b.start_ms, b.cards)), |ms| {
        days.day_of_ms(ms)
    });
    Ok((today..end)
        .map(|day| DayDue {
            date: date_of(day),
            due: per_day.get(&day).copied().unwrap_or(0),
        })
        .collect())
}

fn pass_rate(count: PassCount) -> PassRate {
    PassRate {
        reviews: count.reviews,
        passed: count.passed,
        rate: ratio(count.passed, count.reviews),
    }
}

/// Pass rates of reviews over the last 7, 30 and 365 study days (today included), and the
/// recall FSRS predicts now for the cards in review.
fn retention<Tz: TimeZone>(
    store: &Store,
    settings: &Settings,
    scheduler: &Scheduler,
    days: &Days<Tz>,
    today: i64,
    now: DateTime<Utc>,
    deck: Option<&str>,
) -> anyhow::Result<Retention> {
    let since = [7, 30, 365].map(|n| days.start_ms(today - n + 1));
    let [d7, d30, d365] = store.review_pass_counts(since, days.start_ms(today + 1), deck)?;
    let states = store.review_card_states(deck)?;
    let recall: f64 = states
        .iter()
        .map(|state| scheduler.retrievability(state, now))
        .sum();
    Ok(Retention {
        d7: pass_rate(d7),
        d30: pass_rate(d30),
        d365: pass_rate(d365),
        desired: round4(f64::from(settings.desired_retention)),
        predicted_recall: (!states.is_empty()).then(|| round4(recall / states.len() as f64)),
        review_cards: states.len() as u64,
    })
}

/// The question of a card as the learner sees it: cloze blanks stay blank.
fn question_of(card: &Card) -> String {
    match &card.content {
        CardContent::Cloze { text, .. } => render_cloze(text, |_| "___".to_string()),
        _ => card.prompt().to_string(),
    }
}

fn hardest(store: &Store, catalog: &Catalog, deck: Option<&str>) -> anyhow::Result<Vec<HardCard>> {
    let questions: HashMap<&str, &Card> = catalog
        .cards()
        .map(|(_, card)| (card.id.as_str(), card))
        .collect();
    Ok(store
        .hardest_cards(HARDEST, deck)?
        .into_iter()
        .map(|card| HardCard {
            question: questions
                .get(card.card_id.as_str())
                .map(|c| question_of(c))
                .unwrap_or_default(),
            id: card.card_id,
            deck: card.deck,
            lapses: card.lapses,
            stability: (card.stability * 100.0).round() / 100.0,
            leech: card.leech,
        })
        .collect())
}

fn quiz<Tz: TimeZone>(
    store: &Store,
    days: &Days<Tz>,
    deck: Option<&str>,
) -> anyhow::Result<Vec<DeckQuiz>> {
    let score = |s: super::rows::QuizScore| Score {
        correct: s.correct,
        questions: s.questions,
        rate: ratio(u64::from(s.correct), u64::from(s.questions)),
        date: date_of(days.day_of_ms(s.taken_at_ms)),
    };
    Ok(store
        .quiz_scores(deck)?
        .into_iter()
        .map(|q| DeckQuiz {
            deck: q.deck,
            taken: q.taken,
            latest: score(q.latest),
            best: score(q.best),
        })
        .collect())
}

fn orphans(store: &Store) -> anyhow::Result<Vec<Orphan>> {
    Ok(store
        .orphan_cards()?
        .into_iter()
        .map(|o| Orphan {
            id: o.card_id,
            deck: (!o.deck.is_empty()).then_some(o.deck),
            reviews: o.reviews,
        })
        .collect())
}
