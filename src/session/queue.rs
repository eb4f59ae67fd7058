//! Which cards a session shows, and in what order: due reviews first (most overdue, then
//! least likely remembered), learning cards as their step comes due, then new cards in deck
//! order, within the day's limits.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};

use crate::deck::{Card, Catalog, Deck};
use crate::ids::CardId;
use crate::schedule::{CardPhase, Scheduler, StudyCalendar};
use crate::settings::Settings;
use crate::store::{Store, StoredCard};

/// A card waiting in a session, with its state (`None` for a new card).
#[derive(Debug, Clone)]
pub(crate) struct QueuedCard<'a> {
    pub deck: &'a Deck,
    pub card: &'a Card,
    pub state: Option<StoredCard>,
}

/// The cards of a session.
#[derive(Debug, Default)]
pub(crate) struct Queue<'a> {
    pub reviews: VecDeque<QueuedCard<'a>>,
    pub new: VecDeque<QueuedCard<'a>>,
    /// Cards in (re)learning steps, shown when due.
    pub learning: Vec<QueuedCard<'a>>,
    /// When today's study day ends: learning cards due later leave the session.
    pub day_end: DateTime<Utc>,
}

/// Per-session overrides of the daily limits.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Limits {
    pub new: Option<usize>,
    pub reviews: Option<usize>,
}

impl<'a> Queue<'a> {
    /// Whether a session of this queue has a card to show by `until`: a review, a new card,
    /// or a learning card due by then.
    pub(crate) fn has_card_by(&self, until: DateTime<Utc>) -> bool {
        !self.reviews.is_empty()
            || !self.new.is_empty()
            || self
                .learning
                .iter()
                .any(|entry| entry.state.as_ref().is_some_and(|s| s.state.due <= until))
    }

    /// Takes the learning card due soonest among those `may_show` accepts.
    pub(crate) fn take_learning(
        &mut self,
        may_show: impl Fn(&QueuedCard<'a>) -> bool,
    ) -> Option<QueuedCard<'a>> {
        let (index, _) = self
            .learning
            .iter()
            .enumerate()
            .filter(|(_, entry)| may_show(entry))
            .filter_map(|(i, entry)| entry.state.as_ref().map(|s| (i, s.state.due)))
            .min_by_key(|(_, due)| *due)?;
        Some(self.learning.remove(index))
    }

    /// Puts a card just answered back into the learning list if its next step is today.
    pub(crate) fn requeue(&mut self, entry: QueuedCard<'a>) {
        if let Some(stored) = &entry.state
            && !stored.suspended
            && matches!(
                stored.state.phase,
                CardPhase::Learning | CardPhase::Relearning
            )
            && stored.state.due < self.day_end
        {
            self.learning.push(entry);
        }
    }

    /// Removes a card from the learning list (when its answer is undone).
    pub(crate) fn forget(&mut self, card_id: &CardId) {
        self.learning.retain(|entry| entry.card.id != *card_id);
    }
}

/// Everything the queue builders read, loaded once.
pub(crate) struct Snapshot<'a> {
    pub catalog: &'a Catalog,
    pub states: HashMap<CardId, StoredCard>,
    /// Cards answered before whose state was not loaded (not due today, in the overview
    /// scope): they are not new.
    pub answered: HashSet<CardId>,
    pub settings: &'a Settings,
    pub calendar: &'a StudyCalendar,
    pub now: DateTime<Utc>,
    pub today: i64,
    /// Cards first reviewed today, for the new-card limit.
    pub introduced_today: HashSet<CardId>,
    /// `review` answers given today, for the review limit.
    pub reviews_today: usize,
}

/// Which card states a snapshot loads: a large collection makes loading them all slow.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// The states of one deck's cards (for `study`).
    Deck(&'a Deck),
    /// The states of cards due before the end of today (for `review`).
    DueToday,
    /// The states of cards due before the end of today, and the ids of all answered cards
    /// (for the dashboard, which counts every deck's due and new cards). Loading every
    /// state instead costs 15 MiB at 50,000 cards.
    Overview,
}

impl<'a> Snapshot<'a> {
    pub(crate) fn load(
        catalog: &'a Catalog,
        store: &Store,
        settings: &'a Settings,
        calendar: &'a StudyCalendar,
        now: DateTime<Utc>,
        scope: Scope<'_>,
    ) -> crate::store::Result<Snapshot<'a>> {
        let today = calendar.day_of(now);
        let start = calendar.day_start(today);
        let due_today = || store.cards_due_before(calendar.day_start(today + 1));
        let (states, answered) = match scope {
            Scope::Deck(deck) => (
                store.cards_by_id(deck.cards.iter().map(|card| &card.id))?,
                HashSet::new(),
            ),
            Scope::DueToday => (due_today()?, HashSet::new()),
            Scope::Overview => (due_today()?, store.card_ids_with_state()?),
        };
        Ok(Snapshot {
            catalog,
            states: states
                .into_iter()
                .map(|card| (card.card_id.clone(), card))
                .collect(),
            answered,
            settings,
            calendar,
            now,
            today,
            introduced_today: store
                .cards_first_reviewed_since(start)?
                .into_iter()
                .collect(),
            reviews_today: store.reviews_since(start, Some(crate::schedule::ReviewKind::Review))?
                as usize,
        })
    }

    pub(crate) fn day_end(&self) -> DateTime<Utc> {
        self.calendar.day_start(self.today + 1)
    }

    fn entry(&self, deck: &'a Deck, card: &'a Card) -> QueuedCard<'a> {
        QueuedCard {
            deck,
            card,
            state: self.states.get(&card.id).cloned(),
        }
    }

    /// Whether a stored card is a review due today (by study day, as in Anki).
    fn review_due(&self, stored: &StoredCard) -> bool {
        !stored.suspended
            && stored.state.phase == CardPhase::Review
            && self.calendar.day_of(stored.state.due) <= self.today
    }

    fn in_learning_today(&self, stored: &StoredCard) -> bool {
        !stored.suspended
            && matches!(
                stored.state.phase,
                CardPhase::Learning | CardPhase::Relearning
            )
            && stored.state.due < self.day_end()
    }

    /// New cards the deck may still introduce today.
    pub(crate) fn new_allowance(&self, deck: &Deck, limits: Limits) -> usize {
        limits.new.unwrap_or_else(|| {
            let introduced = deck
                .cards
                .iter()
                .filter(|card| self.introduced_today.contains(&card.id))
                .count();
            (self.settings.new_per_day as usize).saturating_sub(introduced)
        })
    }

    pub(crate) fn review_allowance(&self, limits: Limits) -> usize {
        limits.reviews.unwrap_or_else(|| {
            (self.settings.reviews_per_day as usize).saturating_sub(self.reviews_today)
        })
    }

    /// The queue of `study DECK`.
    pub(crate) fn study_queue(
        &self,
        deck: &'a Deck,
        scheduler: &Scheduler,
        limits: Limits,
    ) -> Queue<'a> {
        let mut reviews: Vec<QueuedCard<'a>> = Vec::new();
        let mut learning = Vec::new();
        let mut new = VecDeque::new();
        let new_allowance = self.new_allowance(deck, limits);
        for card in &deck.cards {
            let entry = self.entry(deck, card);
            match &entry.state {
                None if self.answered.contains(&card.id) => {}
                None if new.len() < new_allowance => new.push_back(entry),
                None => {}
                Some(stored) if self.review_due(stored) => reviews.push(entry),
                Some(stored) if self.in_learning_today(stored) => learning.push(entry),
                Some(_) => {}
            }
        }
        // Most overdue first, then the one most likely forgotten.
        let key = |entry: &QueuedCard<'_>| {
            let stored = entry.state.as_ref().expect("reviews have a state");
            let due_day = self.calendar.day_of(stored.state.due);
            let recall = scheduler.retrievability(&stored.state, self.now);
            (due_day, recall)
        };
        reviews.sort_by(|a, b| {
            let (day_a, recall_a) = key(a);
            let (day_b, recall_b) = key(b);
            day_a.cmp(&day_b).then(recall_a.total_cmp(&recall_b))
        });
        reviews.truncate(self.review_allowance(limits));
        Queue {
            reviews: reviews.into(),
            new,
            learning,
            day_end: self.day_end(),
        }
    }

    /// The queue of `review`: due cards of every deck (or one), by due time; no new cards.
    pub(crate) fn review_queue(&self, only: Option<&'a Deck>, limits: Limits) -> Queue<'a> {
        let mut reviews: Vec<QueuedCard<'a>> = Vec::new();
        let mut learning = Vec::new();
        let decks: Vec<&'a Deck> = match only {
            Some(deck) => vec![deck],
            None => self.catalog.decks.iter().collect(),
        };
        for deck in decks {
            for card in &deck.cards {
                let entry = self.entry(deck, card);
                match &entry.state {
                    Some(stored) if self.review_due(stored) => reviews.push(entry),
                    Some(stored) if self.in_learning_today(stored) => learning.push(entry),
                    _ => {}
                }
            }
        }
        reviews.sort_by_key(|entry| entry.state.as_ref().map(|s| s.state.due));
        reviews.truncate(self.review_allowance(limits));
        Queue {
            reviews: reviews.into(),
            new: VecDeque::new(),
            learning,
            day_end: self.day_end(),
        }
    }
}

/// When the next card of these decks is due (it may be now), and how many are due by the
/// end of that study day.
pub(crate) fn next_due(
    store: &Store,
    decks: &[&Deck],
    calendar: &StudyCalendar,
) -> crate::store::Result<Option<(DateTime<Utc>, usize)>> {
    let names: Vec<&str> = decks.iter().map(|deck| deck.name.as_str()).collect();
    let Some(first) = store.next_due_in(&names)? else {
        return Ok(None);
    };
    let day_end = calendar.day_start(calendar.day_of(first) + 1);
    Ok(Some((first, store.due_count_in(&names, day_end)?)))
}
