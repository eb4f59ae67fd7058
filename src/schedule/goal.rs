//! A goal of being ready by a date (`lupus-quiz plan`): which cards a study day brings
//! forward and how many new cards it introduces, so that every card in scope is at or above
//! the target recall **on the date**. The sessions, the plan's forecast and the benchmark's
//! simulated learner all follow these rules, so what the plan prints is what sessions do.
//!
//! - A card in review that is due only on or after the date, and whose predicted recall on
//!   the date is below the target, is *at risk*. A review today helps it only if, answered
//!   Good, its recall on the date would then reach the target: before that (its "window"
//!   opens) an early review is mostly wasted, because FSRS gives little stability for a
//!   review while recall is still high.
//! - The at-risk cards are spread evenly over the days left but the last (most at risk
//!   first), so no day carries the lot; on the last three days before the date every one
//!   left is brought forward, so a card forgotten at its review gets another look.
//! - New cards are introduced up to a few days before the date, so each has reviews before
//!   it: more at first, fewer later, as the reviews of the cards learned before grow.
//!
//! An early review is an ordinary answer: FSRS's handling of a short elapsed time keeps the
//! long-term schedule sound, and nothing here changes how a card is scheduled.

use chrono::{DateTime, Utc};

use super::{CardPhase, CardState, Rating, Scheduler};
use crate::ids::CardId;

/// The days before the date on which every card at risk is brought forward, whether or not
/// a review then carries it all the way to the target: the last three, so that a card
/// forgotten at its review gets another look (the benchmark's 7-day plans ready more cards
/// so than with two).
const LAST_DAYS: i64 = 3;

/// Every card in a scope at or above `target` recall on study day `day`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Goal {
    /// The study day of the date (see [`super::StudyCalendar::day_of`]).
    pub day: i64,
    /// The study day the goal was set: new cards are spread from it.
    pub first_day: i64,
    /// The recall asked for on the date, such as 0.95.
    pub target: f64,
}

/// One card of a goal's scope as the rules see it.
#[derive(Debug, Clone, Copy)]
pub struct ScopeCard<'a> {
    pub id: &'a CardId,
    pub state: &'a CardState,
}

/// A card the goal brings forward, with its predicted recall on the date.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AtRisk {
    /// Its place in the slice given to [`Goal::at_risk`].
    pub index: usize,
    pub recall_on_date: f64,
    /// Whether a review today (answered Good) would carry it to the target on the date.
    pub window_open: bool,
}

impl Goal {
    /// Whether study day `today` still prepares for the date (every day before it).
    pub fn preparing(&self, today: i64) -> bool {
        today < self.day
    }

    /// Whether the goal is over: the date has passed, and it ends by itself.
    pub fn ended(&self, today: i64) -> bool {
        today > self.day
    }

    /// Study days left to prepare, today included (0 on the date and after).
    pub fn days_left(&self, today: i64) -> i64 {
        (self.day - today).max(0)
    }

    /// FSRS's predicted recall of a card on the date: 0 for a new card.
    pub fn recall_on_date(&self, scheduler: &Scheduler, state: &CardState) -> f64 {
        match state.phase {
            CardPhase::New => 0.0,
            _ => scheduler.retrievability_on(state, self.day),
        }
    }

    /// Whether the card's predicted recall on the date reaches the target.
    pub fn is_ready(&self, scheduler: &Scheduler, state: &CardState) -> bool {
        self.recall_on_date(scheduler, state) >= self.target
    }

    /// The last study day new cards are introduced on: early enough that a card learned
    /// then still has days of reviews before the date (a third of the time to prepare, at
    /// least two days and at most five, when there is that much).
    pub fn last_new_day(&self) -> i64 {
        let span = (self.day - self.first_day).max(1);
        let lead = (span / 3).clamp(2, 5).min(span - 1);
        self.day - 1 - lead
    }

    /// How many new cards study day `today` introduces, `new_at_start` being the new cards
    /// in scope when the day began: of the days left to introduce them, a share that falls
    /// day by day.
    pub fn new_cards_on(&self, today: i64, new_at_start: usize) -> usize {
        if !self.preparing(today) {
            return 0;
        }
        let days = usize::try_from((self.last_new_day() - today + 1).max(1)).unwrap_or(1);
        // Front-loaded: the share falls day by day (the first day gets 1.5 times an even
        // share), as the reviews of the cards learned before it grow.
        (new_at_start * 3).div_ceil(2 * days + 1).min(new_at_start)
    }

    /// The cards of `cards` at risk at `now`: in review, due only on or after the date (a
    /// session shows the others anyway), in rotation, and below the target on the date.
    /// Most at risk first.
    pub fn at_risk(
        &self,
        scheduler: &Scheduler,
        cards: &[ScopeCard<'_>],
        now: DateTime<Utc>,
    ) -> Vec<AtRisk> {
        let calendar = scheduler.calendar();
        let today = calendar.day_of(now);
        let last_chance = self.days_left(today) <= LAST_DAYS;
        let mut at_risk: Vec<AtRisk> = cards
            .iter()
            .enumerate()
            .filter(|(_, card)| {
                let state = card.state;
                state.phase == CardPhase::Review
                    && !state.out_of_rotation()
                    && calendar.day_of(state.due) >= self.day
            })
            .filter_map(|(index, card)| {
                let recall_on_date = self.recall_on_date(scheduler, card.state);
                (recall_on_date < self.target).then(|| AtRisk {
                    index,
                    recall_on_date,
                    window_open: last_chance || self.review_helps(scheduler, card, now),
                })
            })
            .collect();
        at_risk.sort_by(|a, b| a.recall_on_date.total_cmp(&b.recall_on_date));
        at_risk
    }

    /// Whether a review at `now` answered Good would bring the card to the target on the date.
    fn review_helps(
        &self,
        scheduler: &Scheduler,
        card: &ScopeCard<'_>,
        now: DateTime<Utc>,
    ) -> bool {
        let good = scheduler.answer(card.id, card.state, Rating::Good, now);
        self.is_ready(scheduler, &good.state)
    }

    /// Whether a card answered today counts as brought forward already: in review, due on
    /// or after the date and ready now (so a second session of the day does not take a
    /// second share).
    pub fn done_today(&self, scheduler: &Scheduler, state: &CardState, today: i64) -> bool {
        let calendar = scheduler.calendar();
        state.phase == CardPhase::Review
            && state
                .last_review
                .is_some_and(|at| calendar.day_of(at) == today)
            && calendar.day_of(state.due) >= self.day
            && self.is_ready(scheduler, state)
    }

    /// Which of `at_risk` (from [`Goal::at_risk`]) study day `today` brings forward, most at
    /// risk first, `done` having been brought forward earlier today: an even share of
    /// them over the days left, of those whose window is open.
    pub fn brought_forward(&self, at_risk: &[AtRisk], today: i64, done: usize) -> Vec<usize> {
        let days_left = self.days_left(today);
        if days_left == 0 {
            return Vec::new();
        }
        // Spread over the days left but the last, which is kept for the cards forgotten at
        // their review and learned again: they get one more look.
        let days = usize::try_from((days_left - 1).max(1)).unwrap_or(1);
        let share = (at_risk.len() + done).div_ceil(days).saturating_sub(done);
        at_risk
            .iter()
            .filter(|card| card.window_open)
            .take(share)
            .map(|card| card.index)
            .collect()
    }
}

/// A goal's date as the learner writes it (YYYY-MM-DD), for `plan --by`.
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date; write it as YYYY-MM-DD, such as 2026-04-15"))
}

/// A goal's target recall, for `plan --target`: from 0.70 to 0.99, as the desired retention.
pub fn parse_target(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(value) if (0.70..=0.99).contains(&value) => Ok(value),
        _ => Err(format!(
            "`{text}` is not a target recall from 0.70 to 0.99; write it as a fraction, such as 0.95"
        )),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone as _};

    use super::*;
    use crate::schedule::{SchedulerConfig, Zone};

    fn scheduler() -> Scheduler {
        Scheduler::new(SchedulerConfig::default(), Zone::utc()).unwrap()
    }

    /// A card answered Good on each of `days` (days since the first one), as of `start`.
    fn learned(
        scheduler: &Scheduler,
        id: &CardId,
        start: DateTime<Utc>,
        days: &[i64],
    ) -> CardState {
        days.iter().fold(CardState::new_card(start), |state, day| {
            let at = start + TimeDelta::days(*day);
            let state = scheduler.answer(id, &state, Rating::Good, at).state;
            scheduler
                .answer(id, &state, Rating::Good, at + TimeDelta::minutes(10))
                .state
        })
    }

    #[test]
    fn new_cards_are_spread_to_a_few_days_before_the_date() {
        let goal = Goal {
            day: 100,
            first_day: 86,
            target: 0.95,
        };
        assert_eq!(goal.last_new_day(), 95);
        // 22 cards over 10 days, the first day's share half as much again as an even one.
        assert_eq!(goal.new_cards_on(86, 22), 4);
        assert_eq!(goal.new_cards_on(94, 4), 3);
        assert_eq!(goal.new_cards_on(95, 5), 5);
        assert_eq!(goal.new_cards_on(99, 5), 5);
        assert_eq!(goal.new_cards_on(100, 5), 0);
        let tomorrow = Goal {
            day: 101,
            first_day: 100,
            target: 0.9,
        };
        assert_eq!(tomorrow.last_new_day(), 100);
    }

    #[test]
    fn a_card_due_after_the_date_but_below_the_target_is_brought_forward_when_a_review_helps() {
        let scheduler = scheduler();
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let id = CardId::from("card-1");
        let state = learned(&scheduler, &id, start, &[0, 3, 12]);
        let now = start + TimeDelta::days(20);
        let calendar = scheduler.calendar();
        let due_day = calendar.day_of(state.due);
        let today = calendar.day_of(now);
        assert!(due_day > today + 2, "due on day {due_day}, today {today}");
        let goal = Goal {
            day: due_day,
            first_day: today,
            target: 0.97,
        };
        let cards = [ScopeCard {
            id: &id,
            state: &state,
        }];
        let at_risk = goal.at_risk(&scheduler, &cards, now);
        assert_eq!(at_risk.len(), 1);
        assert!(at_risk[0].recall_on_date < 0.97);
        // At the desired retention the same card is fine.
        let everyday = Goal {
            target: 0.85,
            ..goal
        };
        assert!(everyday.at_risk(&scheduler, &cards, now).is_empty());
        // The day before the date every card at risk is taken.
        let last = goal.at_risk(&scheduler, &cards, calendar.day_start(goal.day - 1));
        assert_eq!(goal.brought_forward(&last, goal.day - 1, 0), vec![0]);
        assert!(goal.brought_forward(&last, goal.day, 0).is_empty());
    }

    #[test]
    fn cards_at_risk_are_spread_over_the_days_left_most_at_risk_first() {
        let goal = Goal {
            day: 10,
            first_day: 0,
            target: 0.95,
        };
        let at_risk: Vec<AtRisk> = (0..20)
            .map(|index| AtRisk {
                index,
                recall_on_date: 0.5 + index as f64 / 100.0,
                window_open: index != 1,
            })
            .collect();
        // 20 cards over the 4 days left but the last: 5 today, the one not yet helped by a
        // review passed over; a second session the same day takes none more.
        assert_eq!(goal.brought_forward(&at_risk, 5, 0), vec![0, 2, 3, 4, 5]);
        assert_eq!(
            goal.brought_forward(&at_risk[5..], 5, 5),
            Vec::<usize>::new()
        );
        assert_eq!(goal.brought_forward(&at_risk, 9, 0).len(), 19);
    }
}
