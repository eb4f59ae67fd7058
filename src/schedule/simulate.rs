//! Cards followed day by day as sessions would show them: due reviews and learning steps,
//! the cards a [`Goal`] brings forward, then new cards. The plan's forecast runs it with
//! every answer Good; the benchmark's simulated learner with answers drawn from FSRS's
//! predicted recall. Pure: the answers come from the caller.

use chrono::{DateTime, Utc};

use super::goal::{Goal, ScopeCard};
use super::{CardPhase, CardState, Rating, Scheduler};
use crate::ids::CardId;

/// More answers than this to one card in one day end its day (a learner pressing Again
/// forever would otherwise never finish).
const MAX_ANSWERS_PER_CARD_A_DAY: usize = 20;

/// The work of one simulated study day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayLoad {
    pub day: i64,
    /// Cards answered that were not new: due reviews, learning steps, brought forward.
    pub reviews: usize,
    /// Of those, the ones a goal brought forward.
    pub brought_forward: usize,
    /// New cards introduced.
    pub new: usize,
    /// Every answer given, learning steps included.
    pub answers: usize,
}

/// What a simulated day follows: a goal (if any) and the daily limit of new cards.
#[derive(Debug, Clone, Copy)]
pub struct DayRules {
    pub goal: Option<Goal>,
    /// New cards a day: without a goal, the number introduced; with one, the most it may
    /// introduce (the goal's share is cut to it, as sessions cut it to the daily limit).
    pub new_per_day: usize,
}

/// The answer a simulated learner gives to a card shown at an instant (a new card's state
/// is new).
pub type Answerer<'f> = dyn FnMut(&CardId, &CardState, DateTime<Utc>) -> Rating + 'f;

/// Cards and their states, in the order new cards are introduced.
#[derive(Debug, Clone)]
pub struct Simulation<'s> {
    scheduler: &'s Scheduler,
    pub cards: Vec<(CardId, CardState)>,
}

impl<'s> Simulation<'s> {
    pub fn new(scheduler: &'s Scheduler, cards: Vec<(CardId, CardState)>) -> Simulation<'s> {
        Simulation { scheduler, cards }
    }

    /// The cards as a goal's rules see them.
    pub fn scope_cards(&self) -> Vec<ScopeCard<'_>> {
        self.cards
            .iter()
            .map(|(id, state)| ScopeCard { id, state })
            .collect()
    }

    /// The new cards (in rotation) left.
    pub fn new_left(&self) -> usize {
        self.cards
            .iter()
            .filter(|(_, state)| state.phase == CardPhase::New && !state.out_of_rotation())
            .count()
    }

    /// One study day, its sessions starting at `at`: due cards, then the goal's cards
    /// brought forward, then new cards, each answered through its learning steps of the day.
    pub fn day(
        &mut self,
        at: DateTime<Utc>,
        rules: DayRules,
        answer: &mut Answerer<'_>,
    ) -> DayLoad {
        let calendar = self.scheduler.calendar();
        let day = calendar.day_of(at);
        let day_end = calendar.day_start(day + 1);
        let mut load = DayLoad {
            day,
            ..DayLoad::default()
        };
        let due: Vec<usize> = (0..self.cards.len())
            .filter(|&i| self.is_due(i, day, day_end))
            .collect();
        load.reviews += due.len();
        let mut forward = Vec::new();
        if let Some(goal) = rules.goal.filter(|goal| goal.preparing(day)) {
            let at_risk = goal.at_risk(self.scheduler, &self.scope_cards(), at);
            forward = goal.brought_forward(&at_risk, day, 0);
        }
        load.brought_forward = forward.len();
        load.reviews += forward.len();
        let new_count = match rules.goal {
            Some(goal) => goal.new_cards_on(day, self.new_left()),
            None => rules.new_per_day,
        }
        .min(rules.new_per_day);
        let new: Vec<usize> = (0..self.cards.len())
            .filter(|&i| {
                let state = &self.cards[i].1;
                state.phase == CardPhase::New && !state.out_of_rotation()
            })
            .take(new_count)
            .collect();
        load.new = new.len();
        for index in due.into_iter().chain(forward).chain(new) {
            load.answers += self.answer_through_the_day(index, at, day_end, answer);
        }
        load
    }

    /// Whether card `index` is shown on `day` without a goal: a review due that day or
    /// before, a learning step due before the day ends.
    fn is_due(&self, index: usize, day: i64, day_end: DateTime<Utc>) -> bool {
        let state = &self.cards[index].1;
        !state.out_of_rotation()
            && match state.phase {
                CardPhase::New => false,
                CardPhase::Review => self.scheduler.calendar().day_of(state.due) <= day,
                CardPhase::Learning | CardPhase::Relearning => state.due < day_end,
            }
    }

    /// Answers card `index` at `at`, then at each learning step due before `day_end`;
    /// returns how many answers it took.
    fn answer_through_the_day(
        &mut self,
        index: usize,
        at: DateTime<Utc>,
        day_end: DateTime<Utc>,
        answer: &mut Answerer<'_>,
    ) -> usize {
        let stepping =
            |state: &CardState| matches!(state.phase, CardPhase::Learning | CardPhase::Relearning);
        let (id, state) = &mut self.cards[index];
        let mut when = if stepping(state) {
            at.max(state.due)
        } else {
            at
        };
        for answers in 1..=MAX_ANSWERS_PER_CARD_A_DAY {
            let rating = answer(id, state, when);
            *state = self.scheduler.answer(id, state, rating, when).state;
            if !stepping(state) || state.due >= day_end {
                return answers;
            }
            when = state.due.max(when);
        }
        MAX_ANSWERS_PER_CARD_A_DAY
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone as _};

    use super::*;
    use crate::schedule::{SchedulerConfig, Zone};

    #[test]
    fn a_plan_introduces_every_new_card_before_the_date_and_leaves_them_ready() {
        let scheduler = Scheduler::new(SchedulerConfig::default(), Zone::utc()).unwrap();
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
        let cards = (0..30)
            .map(|i| (CardId::new(format!("c{i}")), CardState::new_card(start)))
            .collect();
        let mut simulation = Simulation::new(&scheduler, cards);
        let today = scheduler.calendar().day_of(start);
        let goal = Goal {
            day: today + 14,
            first_day: today,
            target: 0.95,
        };
        let rules = DayRules {
            goal: Some(goal),
            new_per_day: 100,
        };
        let mut good = |_: &CardId, _: &CardState, _: DateTime<Utc>| Rating::Good;
        let loads: Vec<DayLoad> = (0..14)
            .map(|d| simulation.day(start + TimeDelta::days(d), rules, &mut good))
            .collect();
        assert_eq!(loads.iter().map(|load| load.new).sum::<usize>(), 30);
        assert!(loads.iter().all(|load| load.new <= 5), "{loads:?}");
        let ready = simulation
            .cards
            .iter()
            .filter(|(_, state)| goal.is_ready(&scheduler, state))
            .count();
        assert_eq!(ready, 30);
    }
}
