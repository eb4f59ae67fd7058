//! The statistics report: every number `stats` shows, gathered from the store's aggregate
//! queries, with stable field names (they are the JSON keys documented in the README).
//! The terminal rendering reads this same structure, so both outputs always agree.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::census::{Census, DeckTally, HARDEST, Scope, Troublesome, Window, harder_first};
use super::days::{Streak, per_day, streak_of, weekday_of};
use crate::deck::{Card, CardContent, Catalog, render_cloze};
use crate::ids::DeckName;
use crate::schedule::{CardPhase, Scheduler};
use crate::schedule::{StudyCalendar, date_of};
use crate::settings::Settings;
use crate::store::ReviewTotals;
use crate::store::Store;

/// Weeks shown in the activity heatmap.
pub(crate) const HEATMAP_WEEKS: i64 = 12;

/// Everything `stats` reports.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Report {
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
pub(crate) struct Today {
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
pub(crate) struct CardCounts {
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
pub(crate) struct DeckCards {
    pub deck: String,
    #[serde(flatten)]
    pub counts: CardCounts,
    pub due_now: u64,
    pub new_left: u64,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Cards {
    pub decks: Vec<DeckCards>,
    pub total: CardCounts,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct DayDue {
    pub date: NaiveDate,
    pub due: u64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct DayReviews {
    pub date: NaiveDate,
    pub reviews: u64,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct PassRate {
    pub reviews: u64,
    pub passed: u64,
    /// `passed / reviews`, null without reviews.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Retention {
    pub d7: PassRate,
    pub d30: PassRate,
    pub d365: PassRate,
    pub desired: f64,
    /// Average FSRS retrievability now of the cards in review, null when there are none.
    pub predicted_recall: Option<f64>,
    pub review_cards: u64,
}

/// A card the learner struggles with: it lapsed in review, or failed a learning or
/// relearning step it is still in.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct HardCard {
    pub id: String,
    pub deck: String,
    pub question: String,
    /// Again answers in review.
    pub lapses: u32,
    /// FSRS stability in days.
    pub stability: f64,
    pub leech: bool,
    /// Again answers in the learning or relearning steps the card is in now.
    pub failed_steps: u64,
    /// FSRS's predicted recall now.
    pub recall: f64,
    /// `learning`, `relearning` or `review` (never `new`: a new card has failed nothing).
    pub state: &'static str,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub(crate) struct Score {
    pub correct: u32,
    pub questions: u32,
    /// `correct / questions`, null for an empty quiz.
    pub rate: Option<f64>,
    pub date: NaiveDate,
    /// The quiz ended before its last question; `questions` are those answered.
    pub ended_early: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DeckQuiz {
    pub deck: String,
    pub taken: u64,
    pub latest: Score,
    /// The best of the quizzes taken to their end, null when every one ended early.
    pub best: Option<Score>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Orphan {
    pub id: String,
    /// The deck it was last reviewed in, null when its reviews were imported without one.
    pub deck: Option<String>,
    pub reviews: u64,
}

/// What the report is asked for: by the learner, a deck and how far ahead; and the moment
/// it is for.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Options<'a> {
    pub deck: Option<&'a str>,
    pub forecast_days: u32,
    pub now: DateTime<Utc>,
}

/// A share rounded to 4 decimals (so JSON shows `0.8333`, not float noise); none of nothing.
pub(crate) fn ratio(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round4(part as f64 / whole as f64))
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// The study days up to `last_day` with at least one review (in `deck`, or in any deck),
/// in order.
pub(crate) fn active_days(
    store: &Store,
    days: &StudyCalendar,
    last_day: i64,
    deck: Option<&str>,
) -> anyhow::Result<Vec<i64>> {
    let end = days.start_ms(last_day + 1);
    if deck.is_some() {
        // One deck's reviews, found through the (card, time) index, are few enough to read
        // as buckets in one go (needs the deck's cards loaded, as `Report::build` does).
        let mut active: Vec<i64> = store
            .review_buckets(i64::MIN, end, deck)?
            .iter()
            .map(|bucket| days.day_of_ms(bucket.start_ms))
            .collect();
        active.dedup();
        return Ok(active);
    }
    // Over all decks, one seek in the review totals per active day, so the longest streak
    // costs little even with years of history.
    store.in_one_read(|| {
        let mut active = Vec::new();
        let mut cursor = i64::MIN;
        while let Some(at) = store
            .first_review_at_or_after(cursor)?
            .filter(|&at| at < end)
        {
            let day = days.day_of_ms(at);
            active.push(day);
            // Never step backwards, whatever a time zone does.
            cursor = days.start_ms(day + 1).max(at + 1);
        }
        Ok(active)
    })
}

impl Report {
    /// Gathers the report. `deck` must be a deck of `catalog`.
    pub(crate) fn build(
        store: &Store,
        catalog: &Catalog,
        settings: &Settings,
        scheduler: &Scheduler,
        options: Options<'_>,
    ) -> anyhow::Result<Report> {
        let (days, deck, now) = (scheduler.calendar(), options.deck, options.now);
        let scope = load_scope(store, catalog, deck)?;
        let today = days.day_of(now);
        let today_start = days.start_ms(today);
        let forecast_end = today + i64::from(options.forecast_days);
        let reviews = ReviewDays::read(store, days, today, deck)?;

        let since = DateTime::<Utc>::from_timestamp_millis(today_start).unwrap_or_default();
        let introduced = store.cards_first_reviewed_since(since)?;
        let window = Window {
            now,
            tomorrow_ms: days.start_ms(today + 1),
            due: crate::schedule::DueRule::at(now, days),
            forecast_from_ms: today_start,
            forecast_until_ms: days.start_ms(forecast_end),
        };
        let census = Census::gather(store, scope, scheduler, &window, &introduced)?;
        let new_per_day = new_per_day_of(store, settings)?;
        let cards = cards_by_deck(catalog, &census, &new_per_day);
        Ok(Report {
            deck: deck.map(str::to_string),
            first_deck: deck
                .or_else(|| catalog.decks.first().map(|d| d.name.as_str()))
                .unwrap_or("basics")
                .to_string(),
            today: today_section(&reviews, &census, &cards, settings, today),
            due_now: census.in_scope().map(|d| d.due_now).sum(),
            forecast: forecast(&census, days, today, forecast_end),
            activity: reviews.activity(today),
            streak: streak_of(&active_days(store, days, today, deck)?, today),
            retention: retention(&reviews.per_day, &census, settings, today),
            hardest: hardest(store, &census, catalog)?,
            quiz: quiz(store, days, deck)?,
            orphans: orphans(store, &census)?,
            cards,
        })
    }

    /// True when no review was ever given (in the deck): sections then say how to start.
    pub(crate) fn is_empty(&self) -> bool {
        self.streak.longest == 0
    }
}

/// The index of the deck asked for (an error naming the closest when there is none), with
/// its cards loaded for the store's per-deck queries; `None` for all decks, whose numbers
/// come from the review totals and need none.
fn load_scope<'a>(
    store: &Store,
    catalog: &'a Catalog,
    deck: Option<&str>,
) -> anyhow::Result<Scope<'a>> {
    let scope = match deck {
        Some(name) => {
            let found = catalog.find(name)?;
            catalog.index_of(&found.name)
        }
        None => None,
    };
    store.load_stats_cards(scope.into_iter().flat_map(|index| {
        let deck = &catalog.decks[index];
        deck.cards.ids().map(|id| (id, deck.name.as_str()))
    }))?;
    Ok(Scope {
        catalog,
        deck: scope,
    })
}

/// Every per-day review number, from one read of the last year's buckets.
struct ReviewDays {
    per_day: BTreeMap<i64, ReviewTotals>,
    first_heatmap_day: i64,
}

impl ReviewDays {
    fn read(
        store: &Store,
        days: &StudyCalendar,
        today: i64,
        deck: Option<&str>,
    ) -> anyhow::Result<ReviewDays> {
        let first_heatmap_day = today - weekday_of(today) as i64 - 7 * (HEATMAP_WEEKS - 1);
        let first_day = first_heatmap_day.min(today - 364);
        let buckets =
            store.review_buckets(days.start_ms(first_day), days.start_ms(today + 1), deck)?;
        let per_day = per_day(buckets.iter().map(|b| (b.start_ms, b.totals)), |ms| {
            days.day_of_ms(ms)
        });
        Ok(ReviewDays {
            per_day,
            first_heatmap_day,
        })
    }

    fn on(&self, day: i64) -> ReviewTotals {
        self.per_day.get(&day).copied().unwrap_or_default()
    }

    /// Every day of the heatmap weeks up to today.
    fn activity(&self, today: i64) -> Vec<DayReviews> {
        (self.first_heatmap_day..=today)
            .map(|day| DayReviews {
                date: date_of(day),
                reviews: self.on(day).reviews,
            })
            .collect()
    }
}

fn today_section(
    reviews: &ReviewDays,
    census: &Census,
    cards: &Cards,
    settings: &Settings,
    today: i64,
) -> Today {
    let done = reviews.on(today);
    Today {
        date: date_of(today),
        reviews: done.reviews,
        passed: done.passed,
        pass_rate: ratio(done.passed, done.reviews),
        time_ms: done.duration_ms,
        due_later: census.in_scope().map(|d| d.due_later).sum(),
        new_left: cards.decks.iter().map(|d| d.new_left).sum(),
        new_per_day: settings.new_per_day,
    }
}

/// The daily limit of new cards of each deck: its own, or the setting.
fn new_per_day_of(
    store: &Store,
    settings: &Settings,
) -> anyhow::Result<impl Fn(&DeckName) -> u32 + use<>> {
    let deck_limits: std::collections::HashMap<DeckName, u32> =
        store.deck_new_per_day()?.into_iter().collect();
    let default = settings.new_per_day;
    Ok(move |deck: &DeckName| deck_limits.get(deck).copied().unwrap_or(default))
}

/// The catalog's decks in scope (in catalog order) with their counts, and the total.
fn cards_by_deck(
    catalog: &Catalog,
    census: &Census,
    new_per_day: &dyn Fn(&crate::ids::DeckName) -> u32,
) -> Cards {
    let mut total = CardCounts::default();
    let decks: Vec<DeckCards> = catalog
        .decks
        .iter()
        .zip(&census.decks)
        .enumerate()
        .filter(|(index, _)| census.counts(*index))
        .map(|(_, (deck, tally))| {
            let counts = card_counts(tally);
            add_counts(&mut total, &counts);
            // The daily limit is per deck; cards introduced today use it up.
            let new_left = u64::from(new_per_day(&deck.name))
                .saturating_sub(tally.introduced)
                .min(counts.new);
            DeckCards {
                deck: deck.name.to_string(),
                counts,
                due_now: tally.due_now,
                new_left,
            }
        })
        .collect();
    total.mastery = ratio(total.mature, total.total).unwrap_or(0.0);
    Cards { decks, total }
}

fn add_counts(total: &mut CardCounts, row: &CardCounts) {
    total.total += row.total;
    total.new += row.new;
    total.learning += row.learning;
    total.young += row.young;
    total.mature += row.mature;
    total.suspended += row.suspended;
    total.leeches += row.leeches;
}

fn card_counts(tally: &DeckTally) -> CardCounts {
    CardCounts {
        total: tally.total,
        new: tally.new_cards(),
        learning: tally.learning,
        young: tally.young,
        mature: tally.mature,
        suspended: tally.suspended,
        leeches: tally.leeches,
        mastery: ratio(tally.mature, tally.total).unwrap_or(0.0),
    }
}

/// Cards due on each day from `today` until before `end`, today with everything overdue.
fn forecast(census: &Census, days: &StudyCalendar, today: i64, end: i64) -> Vec<DayDue> {
    let per_day = per_day(census.due_buckets.iter().map(|(&at, &n)| (at, n)), |ms| {
        days.day_of_ms(ms)
    });
    (today..end)
        .map(|day| DayDue {
            date: date_of(day),
            due: per_day.get(&day).copied().unwrap_or(0),
        })
        .collect()
}

/// Pass rates of reviews of cards in review over the last 7, 30 and 365 study days (today
/// included), and the recall FSRS predicts now for the cards in review.
fn retention(
    per_day_reviews: &BTreeMap<i64, ReviewTotals>,
    census: &Census,
    settings: &Settings,
    today: i64,
) -> Retention {
    let over = |n: i64| {
        let (reviews, passed) = per_day_reviews
            .range(today - n + 1..=today)
            .fold((0, 0), |(r, p), (_, t)| {
                (r + t.review_reviews, p + t.review_passed)
            });
        PassRate {
            reviews,
            passed,
            rate: ratio(passed, reviews),
        }
    };
    Retention {
        d7: over(7),
        d30: over(30),
        d365: over(365),
        desired: round4(f64::from(settings.desired_retention)),
        predicted_recall: (census.review_cards > 0)
            .then(|| round4(census.recall_sum / census.review_cards as f64)),
        review_cards: census.review_cards,
    }
}

/// The question of a card as the learner sees it: cloze blanks stay blank.
pub(crate) fn question_of(card: &Card) -> String {
    match &card.content {
        CardContent::Cloze { text, .. } => render_cloze(text, |_| "___".to_string()),
        _ => card.prompt().to_string(),
    }
}

/// The cards the learner struggles with most: the census's hardest cards in review, and
/// the cards in steps that failed one (counted in the log), in [`harder_first`] order.
fn hardest(store: &Store, census: &Census, catalog: &Catalog) -> anyhow::Result<Vec<HardCard>> {
    let ids: Vec<&str> = census.in_steps.iter().map(|c| c.card_id.as_str()).collect();
    let failed = store.failed_steps(&ids)?;
    let mut cards: Vec<Troublesome> = census.hardest.clone();
    for (card, failed_steps) in census.in_steps.iter().zip(failed) {
        let card = Troublesome {
            failed_steps,
            ..card.clone()
        };
        if card.failures() > 0 {
            cards.push(card);
        }
    }
    cards.sort_by(harder_first);
    cards.truncate(HARDEST);
    Ok(cards
        .into_iter()
        .map(|card| {
            let deck = &catalog.decks[card.deck];
            HardCard {
                question: deck
                    .cards
                    .position(card.card_id.as_str())
                    .and_then(|index| deck.cards.get(index))
                    .map(question_of)
                    .unwrap_or_default(),
                id: card.card_id.to_string(),
                deck: deck.name.to_string(),
                lapses: card.lapses,
                stability: (card.stability * 100.0).round() / 100.0,
                leech: card.leech,
                failed_steps: card.failed_steps,
                recall: round4(card.recall),
                state: match card.phase {
                    CardPhase::Learning => "learning",
                    CardPhase::Relearning => "relearning",
                    CardPhase::Review => "review",
                    CardPhase::New => "new",
                },
            }
        })
        .collect())
}

fn quiz(store: &Store, days: &StudyCalendar, deck: Option<&str>) -> anyhow::Result<Vec<DeckQuiz>> {
    let score = |s: crate::store::QuizScore| Score {
        correct: s.correct,
        questions: s.questions,
        rate: ratio(u64::from(s.correct), u64::from(s.questions)),
        date: date_of(days.day_of_ms(s.taken_at_ms)),
        ended_early: s.ended_early(),
    };
    Ok(store
        .quiz_scores(deck)?
        .into_iter()
        .map(|q| DeckQuiz {
            deck: q.deck.into_string(),
            taken: q.taken,
            latest: score(q.latest),
            best: q.best.map(score),
        })
        .collect())
}

/// Reviewed cards that no deck has (only gathered for all decks), with their reviews.
fn orphans(store: &Store, census: &Census) -> anyhow::Result<Vec<Orphan>> {
    let ids: Vec<&str> = census.strays.iter().map(|s| s.card_id.as_str()).collect();
    let reviews = store.review_counts(&ids)?;
    Ok(census
        .strays
        .iter()
        .zip(reviews)
        .map(|(stray, reviews)| Orphan {
            id: stray.card_id.to_string(),
            deck: stray.deck.as_ref().map(DeckName::to_string),
            reviews,
        })
        .collect())
}
