//! What a goal (`lupus-quiz plan`) changes in a session: `review` and `study` also bring
//! forward the goal's cards at risk on the date, and `study` spreads the goal's new cards
//! over the days before it. The rules are [`crate::schedule::Goal`]'s; this hook only
//! applies them to a queue built as usual, so the queue builder knows nothing of goals.

use std::collections::VecDeque;

use chrono::{DateTime, NaiveDate, Utc};
use foldhash::{HashMap, HashSet};

use super::queue::{Limits, Queue, QueuedCard, Snapshot};
use crate::deck::{Catalog, Deck};
use crate::schedule::{CardPhase, CardState, Goal, Scheduler, ScopeCard, StudyCalendar};
use crate::scope::{CardScope, ScopeError, Selection};
use crate::store::{Store, StoredCard, StoredGoal};

/// The learner's goal as the rules read it.
#[derive(Debug, Clone)]
pub(crate) struct LearnerGoal {
    pub stored: StoredGoal,
    pub goal: Goal,
}

impl LearnerGoal {
    /// The stored goal, if any (it may have ended).
    pub(crate) fn load(
        store: &Store,
        calendar: &StudyCalendar,
    ) -> crate::store::Result<Option<LearnerGoal>> {
        Ok(store
            .goal()?
            .map(|stored| LearnerGoal::of(stored, calendar)))
    }

    pub(crate) fn of(stored: StoredGoal, calendar: &StudyCalendar) -> LearnerGoal {
        let goal = Goal {
            day: study_day_of_date(stored.date),
            first_day: calendar.day_of(stored.set_at),
            target: stored.target,
        };
        LearnerGoal { stored, goal }
    }

    /// The goal's scope, as `--deck` and `--tag` name cards everywhere.
    pub(crate) fn scope(&self) -> CardScope {
        CardScope {
            deck: self.stored.deck.clone(),
            tag: self.stored.tag.clone(),
        }
    }

    /// The goal's cards in the catalog (an error when its deck or tag is gone).
    pub(crate) fn select<'a>(&self, catalog: &'a Catalog) -> Result<Selection<'a>, ScopeError> {
        self.scope().select(catalog)
    }
}

/// The study day of a calendar date (day 0 is 1970-01-01, as [`StudyCalendar::day_of`]).
pub(crate) fn study_day_of_date(date: NaiveDate) -> i64 {
    (date - NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date")).num_days()
}

/// The state of each card of a selection: stored, or new as of `now`.
pub(crate) fn states_of<'a>(
    store: &Store,
    selection: &Selection<'a>,
    now: DateTime<Utc>,
) -> crate::store::Result<Vec<(&'a Deck, usize, StoredCard)>> {
    let mut stored: HashMap<String, StoredCard> = store
        .cards_by_id(selection.ids().map(|(_, _, id)| id))?
        .into_iter()
        .map(|card| (card.card_id.as_str().to_string(), card))
        .collect();
    Ok(selection
        .ids()
        .map(|(deck, index, id)| {
            let card = stored.remove(id).unwrap_or_else(|| StoredCard {
                card_id: id.into(),
                deck: Some(deck.name.clone()),
                state: CardState::new_card(now),
                suspended: false,
            });
            (deck, index, card)
        })
        .collect())
}

/// The session a goal may add to, and what it reads.
pub(crate) struct GoalSession<'q, 'a> {
    pub store: &'q Store,
    pub scheduler: &'q Scheduler,
    pub catalog: &'a Catalog,
    /// The cards the session was asked for: only those are added.
    pub selection: &'q Selection<'a>,
    pub limits: Limits,
    /// Whether the session introduces new cards (`study`; `review` does not).
    pub new_cards: bool,
}

/// While a goal prepares for its date, adds to `queue` the goal's cards at risk that today
/// brings forward (after the due ones, most at risk first, within the review limit), and
/// cuts the goal's new cards to today's share (unless `--new` set the number). A goal whose
/// deck or tag is gone changes nothing.
pub(crate) fn follow_goal<'a>(
    session: GoalSession<'_, 'a>,
    snapshot: &Snapshot<'a>,
    queue: &mut Queue<'a>,
) -> crate::store::Result<()> {
    let (store, scheduler) = (session.store, session.scheduler);
    let Some(learner) = LearnerGoal::load(store, scheduler.calendar())? else {
        return Ok(());
    };
    let goal = learner.goal;
    if !goal.preparing(snapshot.today) {
        return Ok(());
    }
    let Ok(selection) = learner.select(session.catalog) else {
        return Ok(());
    };
    let cards = states_of(store, &selection, snapshot.now)?;
    let asked: HashSet<&str> = session.selection.ids().map(|(_, _, id)| id).collect();
    let forward = brought_forward(scheduler, snapshot, goal, &cards);
    let room = snapshot
        .review_allowance(session.limits)
        .saturating_sub(queue.reviews.len());
    let added = forward
        .into_iter()
        .map(|index| &cards[index])
        .filter(|(_, _, stored)| asked.contains(stored.card_id.as_str()))
        .take(room)
        .filter_map(|(deck, index, stored)| {
            let card = deck.cards.get(*index)?;
            Some(QueuedCard {
                deck,
                card,
                state: Some(stored.clone()),
            })
        });
    queue.reviews.extend(added);
    if session.new_cards && session.limits.new.is_none() {
        spread_new(snapshot, goal, &cards, &mut queue.new);
    }
    Ok(())
}

/// The places in `cards` of those today brings forward, most at risk first.
fn brought_forward(
    scheduler: &Scheduler,
    snapshot: &Snapshot<'_>,
    goal: Goal,
    cards: &[(&Deck, usize, StoredCard)],
) -> Vec<usize> {
    let scope: Vec<ScopeCard<'_>> = cards
        .iter()
        .map(|(_, _, stored)| ScopeCard {
            id: &stored.card_id,
            state: &stored.state,
        })
        .collect();
    let at_risk = goal.at_risk(scheduler, &scope, snapshot.now);
    let done = scope
        .iter()
        .filter(|card| goal.done_today(scheduler, card.state, snapshot.today))
        .count();
    goal.brought_forward(&at_risk, snapshot.today, done)
}

/// Keeps at most today's share of the goal's new cards in `new` (the others stay).
fn spread_new(
    snapshot: &Snapshot<'_>,
    goal: Goal,
    cards: &[(&Deck, usize, StoredCard)],
    new: &mut VecDeque<QueuedCard<'_>>,
) {
    let in_goal: HashSet<&str> = cards
        .iter()
        .map(|(_, _, stored)| stored.card_id.as_str())
        .collect();
    let new_now = cards
        .iter()
        .filter(|(_, _, stored)| stored.state.phase == CardPhase::New && !stored.suspended)
        .count();
    let introduced = cards
        .iter()
        .filter(|(_, _, stored)| snapshot.introduced_today.contains(&stored.card_id))
        .count();
    let share = goal
        .new_cards_on(snapshot.today, new_now + introduced)
        .saturating_sub(introduced);
    let mut kept = 0;
    new.retain(|entry| {
        if !in_goal.contains(entry.card.id.as_str()) {
            return true;
        }
        kept += 1;
        kept <= share
    });
}
