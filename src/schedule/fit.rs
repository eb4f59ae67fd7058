//! Fitting FSRS to the learner's own history, as Anki's optimizer does: training items are
//! built from each card's reviews with day-number gaps, fitted with
//! `fsrs::compute_parameters`, and judged with `FSRS::evaluate` (log loss and RMSE over
//! bins) against the parameters in use.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use fsrs::{CombinedProgressState, ComputeParametersInput, FSRS, FSRSItem, FSRSReview};

use super::Rating;
use super::calendar::StudyCalendar;

/// Below this many training items the crate only estimates the first four parameters (and
/// below 8 it returns the defaults), so a fit is not worth offering.
pub const MIN_TRAINING_ITEMS: usize = 64;

/// The reviews of one card that go into training: its first ones, at most this many. A
/// card with `n` reviews gives up to `n - 1` items, each holding its history up to that
/// review, so the items of a card hold about `n²/2` reviews: 4,000,000 reviews of 400 cards
/// (10,000 a card) made 20 billion and took over 16 GB. Cut here, a card gives at most 127
/// items of at most 128 reviews (about 8,000 reviews, 64 KiB), whatever its history. The
/// first reviews and not the last: an item must start at the card's first review, or FSRS
/// would replay it from a wrong first state. A learner's card reaches 128 reviews only
/// after years of daily lapses, so real collections are not cut at all.
pub const MAX_REVIEWS_PER_CARD: usize = 128;

/// How well a set of parameters predicts the learner's recalls (lower is better).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Metrics {
    pub log_loss: f64,
    pub rmse_bins: f64,
}

/// Why parameters could not be fitted or judged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FitError {
    #[error(
        "not enough review history yet: {items} review{} on a later day than an earlier review of the same card; \
         at least {MIN_TRAINING_ITEMS} are needed, so about {} more. Keep reviewing and try again later",
        if *items == 1 { "" } else { "s" },
        MIN_TRAINING_ITEMS - items
    )]
    NotEnoughHistory { items: usize },
    #[error("the optimizer failed: {0}")]
    Optimizer(String),
}

/// Training items from one card's history (sorted by time): one item per review that falls
/// on a later study day than the review before it, holding every review up to it, each with
/// its gap in study days. Only the first [`MAX_REVIEWS_PER_CARD`] reviews count. Same-day reviews stay inside items as short-term steps, but are
/// not predicted themselves: FSRS gives a recall of 1 for no elapsed day, so a same-day
/// lapse would make the log loss infinite (and the crate refuses items with no long-term
/// review at all).
pub fn items_of_card(
    history: &[(DateTime<Utc>, Rating)],
    calendar: &StudyCalendar,
) -> Vec<FSRSItem> {
    let history = &history[..history.len().min(MAX_REVIEWS_PER_CARD)];
    let days: Vec<i64> = history.iter().map(|(at, _)| calendar.day_of(*at)).collect();
    let reviews: Vec<FSRSReview> = history
        .iter()
        .enumerate()
        .map(|(i, (_, rating))| FSRSReview {
            rating: u32::from(rating.as_u8()),
            delta_t: if i == 0 {
                0
            } else {
                u32::try_from((days[i] - days[i - 1]).max(0)).unwrap_or(u32::MAX)
            },
        })
        .collect();
    (2..=reviews.len())
        .map(|end| FSRSItem {
            reviews: reviews[..end].to_vec(),
        })
        .filter(|item| item.reviews.last().is_some_and(|last| last.delta_t > 0))
        .collect()
}

/// Log loss and RMSE of `parameters` on `items`.
pub fn evaluate(parameters: &[f32], items: &[FSRSItem]) -> Result<Metrics, FitError> {
    let model = FSRS::new(parameters).map_err(|e| FitError::Optimizer(format!("{e:?}")))?;
    let evaluation = model
        .evaluate(items.to_vec(), |_| true)
        .map_err(|e| FitError::Optimizer(format!("{e:?}")))?;
    Ok(Metrics {
        log_loss: f64::from(evaluation.log_loss),
        rmse_bins: f64::from(evaluation.rmse_bins),
    })
}

/// Fits the 21 parameters to `items`. `progress` is updated as training runs, for a bar.
pub fn fit(
    items: Vec<FSRSItem>,
    progress: Option<Arc<Mutex<CombinedProgressState>>>,
) -> Result<Vec<f32>, FitError> {
    if items.len() < MIN_TRAINING_ITEMS {
        return Err(FitError::NotEnoughHistory { items: items.len() });
    }
    fsrs::compute_parameters(ComputeParametersInput {
        train_set: items,
        progress,
        ..ComputeParametersInput::default()
    })
    .map_err(|e| FitError::Optimizer(format!("{e:?}")))
}

/// What a simulated year of study is made of: the cards, the daily limits and the longest
/// interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimulatedStudy {
    pub deck_size: usize,
    pub new_per_day: usize,
    pub reviews_per_day: usize,
    pub max_interval_days: u32,
}

impl SimulatedStudy {
    fn config(&self) -> fsrs::SimulatorConfig {
        fsrs::SimulatorConfig {
            deck_size: self.deck_size.max(1),
            learn_span: SIMULATED_DAYS,
            learn_limit: self.new_per_day.max(1),
            review_limit: self.reviews_per_day.max(1),
            max_ivl: self.max_interval_days as f32,
            ..fsrs::SimulatorConfig::default()
        }
    }
}

/// The days a simulation runs: a year, as Anki's "Help me decide".
const SIMULATED_DAYS: usize = 365;

/// The seed of every simulation, so that the same history gives the same table.
const SIMULATION_SEED: u64 = 42;

/// The desired retention that minimises study time per card remembered, by simulating a
/// learner with these parameters and limits (advice only).
pub fn optimal_retention(parameters: &[f32], study: SimulatedStudy) -> Result<f32, FitError> {
    fsrs::optimal_retention(&study.config(), parameters, |_| true, None, None)
        .map_err(|e| FitError::Optimizer(format!("{e:?}")))
}

/// One desired retention's simulated year, averaged per day.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulatedYear {
    pub desired_retention: f32,
    /// Reviews and first answers of new cards per day.
    pub answers_per_day: f64,
    pub minutes_per_day: f64,
    /// Cards expected to be remembered at the end of the year.
    pub remembered: f64,
}

/// A year of study simulated at each desired retention of `retentions`, with FSRS's own
/// simulator and its average answer times (Anki's "Help me decide" table).
pub fn simulate_years(
    parameters: &[f32],
    study: SimulatedStudy,
    retentions: &[f32],
) -> Result<Vec<SimulatedYear>, FitError> {
    let config = study.config();
    retentions
        .iter()
        .map(|&desired_retention| {
            let year = fsrs::simulate(
                &config,
                parameters,
                desired_retention,
                Some(SIMULATION_SEED),
                None,
            )
            .map_err(|e| FitError::Optimizer(format!("{e:?}")))?;
            let days = SIMULATED_DAYS as f64;
            let answers: usize = (year.review_cnt_per_day.iter())
                .chain(&year.learn_cnt_per_day)
                .sum();
            let seconds: f64 = year.cost_per_day.iter().map(|&c| f64::from(c)).sum();
            Ok(SimulatedYear {
                desired_retention,
                answers_per_day: answers as f64 / days,
                minutes_per_day: seconds / 60.0 / days,
                remembered: year
                    .memorized_cnt_per_day
                    .last()
                    .map_or(0.0, |&n| f64::from(n)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc_calendar() -> StudyCalendar {
        StudyCalendar::new(4, crate::schedule::Zone::utc())
    }
    use chrono::TimeDelta;

    fn at(day: i64, minute: i64) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
            + TimeDelta::days(day)
            + TimeDelta::minutes(minute)
    }

    #[test]
    fn items_use_day_gaps_and_skip_same_day_only_prefixes() {
        let history = [
            (at(0, 0), Rating::Again),
            (at(0, 10), Rating::Good),
            (at(2, 0), Rating::Good),
            (at(2, 5), Rating::Again),
            (at(9, 0), Rating::Easy),
        ];
        let items = items_of_card(&history, &utc_calendar());
        // Items ending at a same-day review (the 2nd and the 4th) are left out.
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].reviews.len(), 3);
        let gaps: Vec<u32> = items[1].reviews.iter().map(|r| r.delta_t).collect();
        assert_eq!(gaps, vec![0, 0, 2, 0, 7]);
        let ratings: Vec<u32> = items[1].reviews.iter().map(|r| r.rating).collect();
        assert_eq!(ratings, vec![1, 3, 3, 1, 4]);
        assert!(items_of_card(&history[..2], &utc_calendar()).is_empty());
        assert!(items_of_card(&[], &utc_calendar()).is_empty());
    }

    #[test]
    fn a_card_with_a_long_history_gives_a_bounded_number_of_items_from_its_first_reviews() {
        // 10,000 reviews a day apart, as the report's 4,000,000 reviews of 400 cards.
        let history: Vec<(DateTime<Utc>, Rating)> =
            (0..10_000).map(|day| (at(day, 0), Rating::Good)).collect();
        let items = items_of_card(&history, &utc_calendar());
        assert_eq!(items.len(), MAX_REVIEWS_PER_CARD - 1);
        let held: usize = items.iter().map(|item| item.reviews.len()).sum();
        assert_eq!(
            held,
            (2..=MAX_REVIEWS_PER_CARD).sum::<usize>(),
            "about n²/2 for n = {MAX_REVIEWS_PER_CARD}, not for n = 10,000"
        );
        // The items are exactly those of the card's first reviews.
        assert_eq!(
            items,
            items_of_card(&history[..MAX_REVIEWS_PER_CARD], &utc_calendar())
        );
    }

    #[test]
    fn too_little_history_says_how_much_more_is_needed() {
        let error = fit(Vec::new(), None).unwrap_err();
        assert_eq!(
            error.to_string(),
            "not enough review history yet: 0 reviews on a later day than an earlier review of the same card; \
             at least 64 are needed, so about 64 more. Keep reviewing and try again later"
        );
    }
}
