//! Which cards a session shows, and in what order: due reviews first (most overdue, then
//! least likely remembered), learning cards as their step comes due, then new cards in deck
//! order, within the day's limits.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::{DateTime, Utc};

use crate::deck::{Card, Deck};
use crate::ids::{CardId, DeckName};
use crate::schedule::{CardPhase, Scheduler, StudyCalendar};
use crate::scope::Selection;
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
    /// Decks with a daily limit of new cards of their own (`config new_per_day N --deck D`).
    pub deck_new_per_day: HashMap<DeckName, u32>,
}

/// Which card states a snapshot loads: a large collection makes loading them all slow.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// The states of one deck's cards (for `study`).
    Deck(&'a Deck),
    /// The states of the cards of a selection (for `study --tag` and `study --all`).
    Selection(&'a Selection<'a>),
    /// The states of cards due before the end of today (for `review`).
    DueToday,
    /// The states of cards due before the end of today, and the ids of all answered cards
    /// (for the dashboard, which counts every deck's due and new cards). Loading every
    /// state instead costs 15 MiB at 50,000 cards.
    Overview,
}

impl<'a> Snapshot<'a> {
    pub(crate) fn load(
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
            Scope::Selection(selection) => (
                store.cards_by_id(selection.cards().map(|(_, card)| &card.id))?,
                HashSet::new(),
            ),
            Scope::DueToday => (due_today()?, HashSet::new()),
            Scope::Overview => (due_today()?, store.card_ids_with_state()?),
        };
        Ok(Snapshot {
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
            deck_new_per_day: store.deck_new_per_day()?.into_iter().collect(),
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

    /// New cards the deck may still introduce today, under its own limit or the global one.
    pub(crate) fn new_allowance(&self, deck: &Deck, limits: Limits) -> usize {
        limits.new.unwrap_or_else(|| {
            let introduced = deck
                .cards
                .iter()
                .filter(|card| self.introduced_today.contains(&card.id))
                .count();
            let limit = self
                .deck_new_per_day
                .get(&deck.name)
                .copied()
                .unwrap_or(self.settings.new_per_day);
            (limit as usize).saturating_sub(introduced)
        })
    }

    /// Whether a card is new to the learner: never answered, or forgotten (and not
    /// suspended).
    fn is_new(&self, card: &Card, state: Option<&StoredCard>) -> bool {
        match state {
            None => !self.answered.contains(&card.id),
            Some(stored) => !stored.suspended && stored.state.phase == CardPhase::New,
        }
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
        let selection = Selection {
            decks: vec![(deck, deck.cards.iter().collect())],
            named: Some(deck),
        };
        self.selection_queue(&selection, scheduler, limits)
    }

    /// The queue of `study` over a selection (a deck, a tag, every deck): due cards of all,
    /// then each deck's new cards in deck order under its daily limit. `--new N` limits
    /// the whole session's new cards instead.
    pub(crate) fn selection_queue(
        &self,
        selection: &Selection<'a>,
        scheduler: &Scheduler,
        limits: Limits,
    ) -> Queue<'a> {
        let mut reviews: Vec<QueuedCard<'a>> = Vec::new();
        let mut learning = Vec::new();
        let mut new = VecDeque::new();
        let mut session_new = limits.new.unwrap_or(usize::MAX);
        for (deck, cards) in &selection.decks {
            let mut deck_new = self.new_allowance(deck, limits);
            for card in cards {
                let entry = self.entry(deck, card);
                if self.is_new(card, entry.state.as_ref()) {
                    if deck_new > 0 && session_new > 0 {
                        new.push_back(entry);
                        deck_new -= 1;
                        session_new -= 1;
                    }
                    continue;
                }
                match &entry.state {
                    Some(stored) if self.review_due(stored) => reviews.push(entry),
                    Some(stored) if self.in_learning_today(stored) => learning.push(entry),
                    _ => {}
                }
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

    /// The queue of `review`: due cards of a selection, by due time; no new cards.
    pub(crate) fn review_queue(&self, selection: &Selection<'a>, limits: Limits) -> Queue<'a> {
        let mut reviews: Vec<QueuedCard<'a>> = Vec::new();
        let mut learning = Vec::new();
        for (deck, cards) in &selection.decks {
            for card in cards {
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
