//! The measured simulation of issue 29 (`bench/plan.sh`, figures in `bench/README.md`): a
//! simulated learner follows a plan's sessions day by day and we see whether the cards are
//! ready on the date, how the work is spread, and what the goal does to the schedule after.
//!
//! ```text
//! cargo run --example plan-bench -- ../shared/data/review-log-sample.csv
//! ```
//!
//! - The FSRS-6 parameters are fitted on the review log given (a CSV of `card_id`,
//!   `review_rating`, `review_time`, `review_duration`), as `lupus-quiz optimize` fits them.
//! - The learner answers as FSRS predicts: a card is recalled with the probability FSRS gives
//!   it at that moment (fixed seed), then rated Hard, Good or Easy 10/80/10; forgotten, Again.
//!   A new card's first answer is Again 20%, Hard 10%, Good 65%, Easy 5%.
//! - Each scenario (deadline 7, 14 or 30 days; all cards new, or half of them learned in
//!   the 60 days before) runs twice on the same cards: with the goal (the sessions of
//!   `lupus-quiz plan`: [`Goal`]'s rules through [`Simulation`], as `review` and `study`
//!   follow them), and without a deadline (due reviews only, the same new cards a day).
//!   Both go on 60 days past the date without a goal.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeDelta, TimeZone as _, Utc};
use lupus_quiz::ids::CardId;
use lupus_quiz::schedule::fit::{fit, items_of_card};
use lupus_quiz::schedule::{
    CardPhase, CardState, DayLoad, DayRules, Goal, Rating, Scheduler, SchedulerConfig, Simulation,
    StudyCalendar, Zone,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const CARDS: usize = 200;
const TARGETS: [f64; 2] = [0.90, 0.95];
const DEADLINES: [i64; 3] = [7, 14, 30];
const LEARNERS: u64 = 5;
const DAYS_AFTER: i64 = 60;
const HALF_LEARNED_DAYS: i64 = 60;

fn main() -> anyhow::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/data/review-log-sample.csv".to_string());
    let parameters = fitted_parameters(&path)?;
    println!("Parameters fitted on {path}:\n{parameters:?}\n");
    let config = SchedulerConfig {
        parameters,
        ..SchedulerConfig::default()
    };
    let scheduler = Scheduler::new(config, Zone::utc())?;
    println!(
        "| start | deadline | target | ready on the date | peak day / mean day | interval 60 days after, goal / no deadline |"
    );
    println!("|---|---|---:|---:|---:|---:|");
    for start in [Start::New, Start::HalfLearned] {
        for deadline in DEADLINES {
            for target in TARGETS {
                let outcome = average(
                    &scheduler,
                    Scenario {
                        start,
                        deadline,
                        target,
                    },
                );
                println!(
                    "| {} | {deadline} days | {target:.2} | {:.1}% | {:.2}× | {:.3} ({:.1} / {:.1} days) |",
                    start.name(),
                    outcome.ready * 100.0,
                    outcome.peak_over_mean,
                    outcome.interval_goal / outcome.interval_free,
                    outcome.interval_goal,
                    outcome.interval_free
                );
            }
        }
    }
    Ok(())
}

/// The parameters `optimize` would fit on the log at `path`.
fn fitted_parameters(path: &str) -> anyhow::Result<Vec<f32>> {
    let mut by_card: BTreeMap<String, Vec<(DateTime<Utc>, Rating)>> = BTreeMap::new();
    let mut reader = csv::Reader::from_path(path)?;
    for row in reader.records() {
        let row = row?;
        let at = DateTime::parse_from_rfc3339(&row[2])?.with_timezone(&Utc);
        let rating = Rating::try_from(row[1].parse::<u8>()?)?;
        by_card
            .entry(row[0].to_string())
            .or_default()
            .push((at, rating));
    }
    let calendar = StudyCalendar::new(4, Zone::utc());
    let items = by_card
        .values_mut()
        .flat_map(|history| {
            history.sort_by_key(|(at, _)| *at);
            items_of_card(history, &calendar)
        })
        .collect();
    Ok(fit(items, None)?)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Start {
    New,
    HalfLearned,
}

impl Start {
    fn name(self) -> &'static str {
        match self {
            Start::New => "all new",
            Start::HalfLearned => "half learned",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Scenario {
    start: Start,
    deadline: i64,
    target: f64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Outcome {
    /// Share of the cards at or above the target on the date.
    ready: f64,
    /// The busiest day's answers over the mean day's, over the days before the date.
    peak_over_mean: f64,
    /// Mean interval of the cards in review 60 days after the date, with the goal and without.
    interval_goal: f64,
    interval_free: f64,
}

/// The mean outcome over [`LEARNERS`] learners (seeds 1 to 5).
fn average(scheduler: &Scheduler, scenario: Scenario) -> Outcome {
    let mut sum = Outcome::default();
    for seed in 1..=LEARNERS {
        let one = run(scheduler, scenario, seed);
        sum.ready += one.ready;
        sum.peak_over_mean += one.peak_over_mean;
        sum.interval_goal += one.interval_goal;
        sum.interval_free += one.interval_free;
    }
    let n = LEARNERS as f64;
    Outcome {
        ready: sum.ready / n,
        peak_over_mean: sum.peak_over_mean / n,
        interval_goal: sum.interval_goal / n,
        interval_free: sum.interval_free / n,
    }
}

/// One learner through one scenario, with the goal and without it.
fn run(scheduler: &Scheduler, scenario: Scenario, seed: u64) -> Outcome {
    let calendar = scheduler.calendar();
    let first = Utc.with_ymd_and_hms(2026, 1, 5, 18, 0, 0).unwrap();
    let cards: Vec<(CardId, CardState)> = (0..CARDS)
        .map(|i| {
            (
                CardId::new(format!("card-{i:03}")),
                CardState::new_card(first),
            )
        })
        .collect();
    let mut learner = Learner::new(scheduler, seed);
    let mut before = Simulation::new(scheduler, cards);
    let mut start = first;
    if scenario.start == Start::HalfLearned {
        for _ in 0..HALF_LEARNED_DAYS {
            let new = if before.new_left() > CARDS / 2 { 10 } else { 0 };
            let rules = DayRules {
                goal: None,
                new_per_day: new,
            };
            before.day(start, rules, &mut |id, state, at| {
                learner.answer(id, state, at)
            });
            start += TimeDelta::days(1);
        }
    }
    let today = calendar.day_of(start);
    let goal = Goal {
        day: today + scenario.deadline,
        first_day: today,
        target: scenario.target,
    };
    let mut with_goal = before.clone();
    let loads = follow(
        &mut with_goal,
        &mut learner,
        start,
        scenario.deadline,
        Some(goal),
    );
    let ready = with_goal
        .cards
        .iter()
        .filter(|(_, state)| goal.is_ready(scheduler, state))
        .count() as f64
        / CARDS as f64;
    let answers: Vec<f64> = loads.iter().map(|load| load.answers as f64).collect();
    let mean = answers.iter().sum::<f64>() / answers.len() as f64;
    let peak = answers.iter().copied().fold(0.0, f64::max);
    if seed == 1 && std::env::var_os("PLAN_BENCH_LOADS").is_some() {
        eprintln!("{scenario:?}: answers a day {answers:?}");
    }
    let date = start + TimeDelta::days(scenario.deadline);
    follow(&mut with_goal, &mut learner, date, DAYS_AFTER, None);
    // Without a deadline: the same new cards a day as the goal's first day, no goal.
    let mut free = before;
    let mut free_learner = Learner::new(scheduler, seed);
    let share = goal.new_cards_on(today, free.new_left());
    let rules = DayRules {
        goal: None,
        new_per_day: share,
    };
    for day in 0..scenario.deadline + DAYS_AFTER {
        let at = start + TimeDelta::days(day);
        free.day(at, rules, &mut |id, state, at| {
            free_learner.answer(id, state, at)
        });
    }
    Outcome {
        ready,
        peak_over_mean: peak / mean,
        interval_goal: mean_interval(&with_goal),
        interval_free: mean_interval(&free),
    }
}

/// `days` days of sessions from `start`, one a day, following `goal` if any (new cards
/// only as the goal introduces them; none without one).
fn follow(
    simulation: &mut Simulation<'_>,
    learner: &mut Learner<'_>,
    start: DateTime<Utc>,
    days: i64,
    goal: Option<Goal>,
) -> Vec<DayLoad> {
    let new_per_day = if goal.is_some() { usize::MAX } else { 0 };
    let rules = DayRules { goal, new_per_day };
    (0..days)
        .map(|day| {
            let at = start + TimeDelta::days(day);
            simulation.day(at, rules, &mut |id, state, at| {
                learner.answer(id, state, at)
            })
        })
        .collect()
}

/// The mean interval, in days, of the cards in review.
fn mean_interval(simulation: &Simulation<'_>) -> f64 {
    let intervals: Vec<f64> = simulation
        .cards
        .iter()
        .filter(|(_, state)| state.phase == CardPhase::Review)
        .filter_map(|(_, state)| {
            let last = state.last_review?;
            Some((state.due - last).num_hours() as f64 / 24.0)
        })
        .collect();
    intervals.iter().sum::<f64>() / intervals.len().max(1) as f64
}

/// A learner who recalls a card with the probability FSRS predicts.
struct Learner<'s> {
    scheduler: &'s Scheduler,
    rng: StdRng,
}

impl<'s> Learner<'s> {
    fn new(scheduler: &'s Scheduler, seed: u64) -> Learner<'s> {
        Learner {
            scheduler,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    fn answer(&mut self, _: &CardId, state: &CardState, at: DateTime<Utc>) -> Rating {
        let draw: f64 = self.rng.random();
        if state.phase == CardPhase::New {
            return match draw {
                d if d < 0.20 => Rating::Again,
                d if d < 0.30 => Rating::Hard,
                d if d < 0.95 => Rating::Good,
                _ => Rating::Easy,
            };
        }
        if draw >= self.scheduler.retrievability(state, at) {
            return Rating::Again;
        }
        match self.rng.random::<f64>() {
            d if d < 0.10 => Rating::Hard,
            d if d < 0.90 => Rating::Good,
            _ => Rating::Easy,
        }
    }
}
