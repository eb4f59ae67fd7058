//! Which cards a session shows, and in what order: due reviews first (most overdue, then
//! least likely remembered), learning cards as their step comes due, then new cards in deck
//! order, within the day's limits.

use std::collections::VecDeque;
use std::ops::ControlFlow;

use foldhash::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::deck::{Card, CardIndex, Catalog, Deck};
use crate::ids::{CardId, DeckName};
use crate::schedule::{CardPhase, DueRule, Scheduler, StudyCalendar};
use crate::scope::Selection;
use crate::settings::Settings;
use crate::store::{DeckCheck, Holder, Place, Standing, Store, StoredCard};

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

/// What a snapshot knows of a stored card.
pub(crate) enum Known {
    /// Its whole state (loaded by id, for `study`).
    State(StoredCard),
    /// Where it stands (loaded from the due index, for `review` and the dashboard): its
    /// whole state is read only if a queue takes it.
    Standing(Standing),
}

impl Known {
    /// The card's phase (`None` while it is out of rotation) and when it is due.
    fn placement(&self) -> (Option<CardPhase>, DateTime<Utc>) {
        match self {
            Known::State(stored) => (
                (!stored.suspended).then_some(stored.state.phase),
                stored.state.due,
            ),
            Known::Standing(standing) => (standing.phase, standing.due),
        }
    }
}

/// Everything the queue builders read, loaded once.
pub(crate) struct Snapshot<'a> {
    pub states: HashMap<CardId, Known>,
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

/// How many cards are out of every session, by why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct OutOfRotation {
    pub by_learner: usize,
    pub leeches: usize,
}

/// Which card states a snapshot loads: a large collection makes loading them all slow.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Scope<'a> {
    /// The states of one deck's cards (for `study`).
    Deck(&'a Deck),
    /// The states of the cards of a selection (for `study --tag` and `study --all`).
    Selection(&'a Selection<'a>),
    /// None (for `review`): [`Snapshot::review_queue`] reads the due cards it shows.
    DueToday,
}

impl<'a> Snapshot<'a> {
    pub(crate) fn load(
        store: &Store,
        settings: &'a Settings,
        calendar: &'a StudyCalendar,
        now: DateTime<Utc>,
        scope: Scope<'a>,
    ) -> crate::store::Result<Snapshot<'a>> {
        store.in_one_read(|| Snapshot::read(store, settings, calendar, now, scope))
    }

    fn read(
        store: &Store,
        settings: &'a Settings,
        calendar: &'a StudyCalendar,
        now: DateTime<Utc>,
        scope: Scope<'a>,
    ) -> crate::store::Result<Snapshot<'a>> {
        let today = calendar.day_of(now);
        let start = calendar.day_start(today);
        let states: HashMap<CardId, Known> = match scope {
            Scope::Deck(deck) => whole_states(store.cards_by_id(deck.cards.ids())?),
            Scope::Selection(selection) => {
                whole_states(store.cards_by_id(selection.ids().map(|(_, _, id)| id))?)
            }
            Scope::DueToday => HashMap::default(),
        };
        Ok(Snapshot {
            states,
            settings,
            calendar,
            now,
            today,
            introduced_today: store
                .cards_first_reviewed_since(start)?
                .into_iter()
                .collect(),
            reviews_today: reviews_today(store, start)?,
            deck_new_per_day: store.deck_new_per_day()?.into_iter().collect(),
        })
    }

    pub(crate) fn day_end(&self) -> DateTime<Utc> {
        self.calendar.day_start(self.today + 1)
    }

    /// The queued card at `index` of `deck`, its body read now.
    fn entry(&self, deck: &'a Deck, index: usize, state: Option<StoredCard>) -> QueuedCard<'a> {
        QueuedCard {
            deck,
            card: deck.cards.get(index).expect("picked cards are in the deck"),
            state,
        }
    }

    /// The queued cards of `picks` with their whole states: kept in the snapshot, or read
    /// now for the few a queue took of those it knows only the standing of. A card whose
    /// state is gone meanwhile (forgotten in another terminal) is left out.
    fn entries(
        &self,
        store: &Store,
        picks: Vec<((&'a Deck, usize), &Known)>,
    ) -> crate::store::Result<Vec<QueuedCard<'a>>> {
        let unread = picks.iter().filter_map(|(_, known)| match known {
            Known::Standing(standing) => Some(&standing.card_id),
            Known::State(_) => None,
        });
        let mut read: HashMap<CardId, StoredCard> = store
            .cards_by_id(unread)?
            .into_iter()
            .map(|card| (card.card_id.clone(), card))
            .collect();
        Ok(picks
            .into_iter()
            .filter_map(|((deck, index), known)| {
                let state = match known {
                    Known::State(stored) => stored.clone(),
                    Known::Standing(standing) => read.remove(&standing.card_id)?,
                };
                Some(self.entry(deck, index, Some(state)))
            })
            .collect())
    }

    /// Where the card with this id goes in a session, judged by its state alone: a review
    /// due today (by study day, as in Anki), a learning step due before the day ends, new,
    /// or out of today's session.
    fn slot(&self, id: &str) -> Slot<'_> {
        let Some(known) = self.states.get(id) else {
            return Slot::New;
        };
        match known.placement() {
            // Forgotten: new again, unless suspended.
            (Some(CardPhase::New), _) => Slot::New,
            (Some(CardPhase::Review), due) if self.calendar.day_of(due) <= self.today => {
                Slot::Review(known)
            }
            (Some(CardPhase::Learning | CardPhase::Relearning), due) if due < self.day_end() => {
                Slot::Learning(known)
            }
            _ => Slot::Out,
        }
    }

    /// New cards the deck may still introduce today, under its own limit or the global one.
    pub(crate) fn new_allowance(&self, deck: &Deck, limits: Limits) -> usize {
        limits.new.unwrap_or_else(|| {
            let introduced = deck
                .cards
                .ids()
                .filter(|id| self.introduced_today.contains(*id))
                .count();
            new_limit(self.settings, &self.deck_new_per_day, deck).saturating_sub(introduced)
        })
    }

    pub(crate) fn review_allowance(&self, limits: Limits) -> usize {
        limits
            .reviews
            .unwrap_or_else(|| reviews_left(self.settings, self.reviews_today))
    }

    /// The queue of `study DECK` (the session tests build theirs so).
    #[cfg(test)]
    pub(crate) fn study_queue(
        &self,
        store: &Store,
        deck: &'a Deck,
        scheduler: &Scheduler,
        limits: Limits,
    ) -> Queue<'a> {
        self.selection_queue(store, &Selection::whole(deck), scheduler, limits)
            .expect("the test store reads")
    }

    /// The queue of `study` over a selection (a deck, a tag, every deck): due cards of all,
    /// then each deck's new cards in deck order under its daily limit. `--new N` limits
    /// the whole session's new cards instead.
    pub(crate) fn selection_queue(
        &self,
        store: &Store,
        selection: &Selection<'a>,
        scheduler: &Scheduler,
        limits: Limits,
    ) -> crate::store::Result<Queue<'a>> {
        let mut picks: Picks<'_, (&'a Deck, usize)> = Picks::default();
        let mut session_new = limits.new.unwrap_or(usize::MAX);
        for (deck, _) in &selection.decks {
            let mut deck_new = self.new_allowance(deck, limits);
            for (index, id) in selection.ids_of(deck) {
                match self.slot(id) {
                    Slot::New if deck_new > 0 && session_new > 0 => {
                        picks.new.push((*deck, index));
                        deck_new -= 1;
                        session_new -= 1;
                    }
                    Slot::Review(stored) => picks.reviews.push(((*deck, index), stored)),
                    Slot::Learning(stored) => picks.learning.push(((*deck, index), stored)),
                    Slot::New | Slot::Out => {}
                }
            }
        }
        // Most overdue first, then the one most likely forgotten (`study` loads whole
        // states; a standing alone would sort by its day).
        let key = |known: &Known| {
            let (_, due) = known.placement();
            let recall = match known {
                Known::State(stored) => scheduler.retrievability(&stored.state, self.now),
                Known::Standing(_) => 0.0,
            };
            (self.calendar.day_of(due), recall)
        };
        picks.reviews.sort_by(|(_, a), (_, b)| {
            let (day_a, recall_a) = key(a);
            let (day_b, recall_b) = key(b);
            day_a.cmp(&day_b).then(recall_a.total_cmp(&recall_b))
        });
        picks.reviews.truncate(self.review_allowance(limits));
        Ok(Queue {
            reviews: self.entries(store, picks.reviews)?.into(),
            new: picks
                .new
                .into_iter()
                .map(|(deck, index)| self.entry(deck, index, None))
                .collect(),
            learning: self.entries(store, picks.learning)?,
            day_end: self.day_end(),
        })
    }

    /// The queue of `review`: due cards of a selection, by due time (then in catalog
    /// order); no new cards. Read from the store here, not from the snapshot: the due
    /// reviews in due order up to the day's limit (and those due at the same moment as
    /// the last), and the learning steps due today, each found in the catalog by id, so
    /// that the first card costs what the session can show, not every due card.
    pub(crate) fn review_queue(
        &self,
        store: &Store,
        catalog: &'a Catalog,
        selection: &Selection<'a>,
        limits: Limits,
    ) -> crate::store::Result<Queue<'a>> {
        let selected = |id: &str| {
            let (rank, deck, index) = selection.find(catalog, id)?;
            Some((rank, (deck, index)))
        };
        let allowance = self.review_allowance(limits);
        let mut reviews = Vec::new();
        let mut last_due = None;
        store.for_each_review_due_before(self.day_end(), |id, due| {
            if reviews.len() >= allowance && last_due != Some(due) {
                return ControlFlow::Break(());
            }
            if let Some((order, place)) = selected(id)
                && self.calendar.day_of(due) <= self.today
            {
                let standing = Standing {
                    card_id: CardId::from(id),
                    due,
                    phase: Some(CardPhase::Review),
                };
                reviews.push(((due, order), place, Known::Standing(standing)));
                last_due = Some(due);
            }
            ControlFlow::Continue(())
        })?;
        reviews.sort_by_key(|(key, _, _)| *key);
        reviews.truncate(allowance);
        let mut learning: Vec<_> = (store.steps_due_before(self.day_end())?.into_iter())
            .filter_map(|standing| {
                let (order, place) = selected(standing.card_id.as_str())?;
                Some((order, place, Known::Standing(standing)))
            })
            .collect();
        learning.sort_by_key(|(order, _, _)| *order);
        let reviews = reviews.iter().map(|(_, place, known)| (*place, known));
        let learning = learning.iter().map(|(_, place, known)| (*place, known));
        Ok(Queue {
            reviews: self.entries(store, reviews.collect())?.into(),
            new: VecDeque::new(),
            learning: self.entries(store, learning.collect())?,
            day_end: self.day_end(),
        })
    }
}

/// Whole states, by card id.
fn whole_states(cards: Vec<StoredCard>) -> HashMap<CardId, Known> {
    cards
        .into_iter()
        .map(|card| (card.card_id.clone(), Known::State(card)))
        .collect()
}

/// `review` answers given today (since `start`), for the review limit.
fn reviews_today(store: &Store, start: DateTime<Utc>) -> crate::store::Result<usize> {
    Ok(store.reviews_since(start, Some(crate::schedule::ReviewKind::Review))? as usize)
}

/// How many new cards `deck` may introduce a day: its own limit, else the global one.
fn new_limit(settings: &Settings, deck_new_per_day: &HashMap<DeckName, u32>, deck: &Deck) -> usize {
    deck_new_per_day
        .get(&deck.name)
        .copied()
        .unwrap_or(settings.new_per_day) as usize
}

/// How many reviews today's limit leaves after `reviews_today`.
fn reviews_left(settings: &Settings, reviews_today: usize) -> usize {
    (settings.reviews_per_day as usize).saturating_sub(reviews_today)
}

/// What the dashboard shows of each deck of a catalog: how many due and new cards
/// `study DECK` would show now, counted from one pass of the store over where each stored
/// card stands (as Anki's deck list counts with one query), not from a snapshot of every
/// card: that walked every card id three times, and was most of the dashboard's time at
/// 50,000 cards (issue 31). `tests::dashboard_counts_are_what_study_shows` holds the two
/// together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DeckCounts {
    /// Due cards (reviews within the day's limit, and steps due now) and new cards within
    /// the day's limits, deck by deck in catalog order.
    pub decks: Vec<(usize, usize)>,
    /// The catalog's cards out of every session.
    pub out_of_rotation: OutOfRotation,
}

/// A deck's stored cards, by where they stand.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    answered: usize,
    due_reviews: usize,
    due_steps: usize,
    new_again: usize,
    introduced_today: usize,
}

impl DeckCounts {
    /// The counts of `catalog`'s decks, counted in the store deck by deck once the deck
    /// column of its states is checked against the catalog (which writes only when the
    /// catalog's cards or the states changed since the last check).
    pub(crate) fn load(
        store: &mut Store,
        settings: &Settings,
        calendar: &StudyCalendar,
        now: DateTime<Utc>,
        catalog: &Catalog,
    ) -> crate::store::Result<DeckCounts> {
        let checked = check_decks(store, catalog);
        store.in_one_read(|| {
            let (tallies, out_of_rotation) = match checked {
                Ok(()) => tally_by_deck(store, calendar, now, catalog)?,
                // A database the dashboard may not write (a read-only file): its cards are
                // counted one by one against the catalog, as before the check existed.
                Err(_) => tally(store, &catalog.card_index(), calendar, now, catalog)?,
            };
            let start = calendar.day_start(calendar.day_of(now));
            let reviews_left = reviews_left(settings, reviews_today(store, start)?);
            let deck_new_per_day: HashMap<DeckName, u32> =
                store.deck_new_per_day()?.into_iter().collect();
            let decks = catalog.decks.iter().zip(tallies).map(|(deck, tally)| {
                // Never answered, or forgotten: as `study` finds them, in deck order.
                let new = deck.cards.len().saturating_sub(tally.answered) + tally.new_again;
                let new_limit = new_limit(settings, &deck_new_per_day, deck);
                (
                    tally.due_reviews.min(reviews_left) + tally.due_steps,
                    new.min(new_limit.saturating_sub(tally.introduced_today)),
                )
            });
            Ok(DeckCounts {
                decks: decks.collect(),
                out_of_rotation,
            })
        })
    }
}

/// Makes the deck column of the stored states trustworthy for [`tally_by_deck`]. The
/// cards to check are found through the catalog's sorted ids ([`Catalog::locate`]), not
/// a map of every id: after a session only the few cards it wrote are checked.
fn check_decks(store: &mut Store, catalog: &Catalog) -> crate::store::Result<()> {
    let stamp = catalog.membership_stamp();
    let check = store.deck_check(&stamp)?;
    if check == DeckCheck::Current {
        return Ok(());
    }
    let deck_of = |id: &str| catalog.locate(id).map(|(deck, _)| deck.name.as_str());
    let names: HashSet<&str> = catalog.decks.iter().map(|d| d.name.as_str()).collect();
    let is_deck = |name: &str| names.contains(name);
    let holder = Holder {
        deck_of: &deck_of,
        is_deck: &is_deck,
    };
    store.check_decks(check, &stamp, &holder)?;
    Ok(())
}

/// Each deck's [`Tally`] and the catalog's cards out of rotation, from aggregate queries
/// deck by deck (as Anki's deck list counts), with a checked deck column: what they read
/// grows with the decks and their due cards, not with the collection (issue 31). The
/// strays, stored under a deck that no longer holds them, are taken off.
fn tally_by_deck(
    store: &Store,
    calendar: &StudyCalendar,
    now: DateTime<Utc>,
    catalog: &Catalog,
) -> crate::store::Result<(Vec<Tally>, OutOfRotation)> {
    let rule = DueRule::at(now, calendar);
    let strays = store.stray_tallies(&rule)?;
    let names = catalog.deck_names();
    let mut tallies = Vec::with_capacity(names.len());
    let mut out_of_rotation = OutOfRotation::default();
    for (name, stored) in names.iter().zip(store.deck_tallies(&names, &rule)?) {
        let stored = (strays.iter())
            .filter(|(stored_under, _)| stored_under == name)
            .fold(stored, |tally, (_, stray)| tally.without(*stray));
        out_of_rotation.by_learner += stored.by_learner;
        out_of_rotation.leeches += stored.leeches;
        tallies.push(Tally {
            answered: stored.answered,
            due_reviews: stored.due_reviews,
            due_steps: stored.due_steps,
            new_again: stored.new_again,
            introduced_today: 0,
        });
    }
    let start = calendar.day_start(calendar.day_of(now));
    let introduced = store.cards_first_reviewed_since(start)?;
    for (name, count) in store.held_decks_of(&introduced)? {
        if let Some(deck) = catalog.decks.iter().position(|d| d.name.as_str() == name) {
            tallies[deck].introduced_today += count;
        }
    }
    Ok((tallies, out_of_rotation))
}

/// Each deck's [`Tally`], and the catalog's cards out of rotation. Stored states of cards no
/// deck holds are left out.
fn tally(
    store: &Store,
    index: &CardIndex<'_>,
    calendar: &StudyCalendar,
    now: DateTime<Utc>,
    catalog: &Catalog,
) -> crate::store::Result<(Vec<Tally>, OutOfRotation)> {
    let mut tallies = vec![Tally::default(); catalog.decks.len()];
    store.for_each_place(&DueRule::at(now, calendar), |id, place| {
        if let Some(deck) = index.deck_of(id) {
            let tally = &mut tallies[deck];
            tally.answered += 1;
            match place {
                Place::DueReview => tally.due_reviews += 1,
                Place::DueStep => tally.due_steps += 1,
                Place::NewAgain => tally.new_again += 1,
                Place::Elsewhere => {}
            }
        }
    })?;
    let start = calendar.day_start(calendar.day_of(now));
    for id in store.cards_first_reviewed_since(start)? {
        if let Some(deck) = index.deck_of(id.as_str()) {
            tallies[deck].introduced_today += 1;
        }
    }
    let mut out_of_rotation = OutOfRotation::default();
    for (id, leech) in store.suspended_cards()? {
        if index.holds(&id) {
            match leech {
                true => out_of_rotation.leeches += 1,
                false => out_of_rotation.by_learner += 1,
            }
        }
    }
    Ok((tallies, out_of_rotation))
}

/// Where a card goes in a session, by its state.
enum Slot<'s> {
    Review(&'s Known),
    Learning(&'s Known),
    New,
    /// Not shown today.
    Out,
}

/// The cards a session shows, by where they are (`P`), before their bodies are read.
struct Picks<'s, P> {
    reviews: Vec<(P, &'s Known)>,
    learning: Vec<(P, &'s Known)>,
    new: Vec<P>,
}

impl<P> Default for Picks<'_, P> {
    fn default() -> Self {
        Picks {
            reviews: Vec::new(),
            learning: Vec::new(),
            new: Vec::new(),
        }
    }
}

/// When the next card of these decks becomes due by `rule` (it may be now) and its phase (a
/// review's or a step's, which says how to count the wait); `None` when none is scheduled
/// (every card new or out of rotation).
pub(crate) fn next_due(
    store: &Store,
    decks: &[&Deck],
    rule: &DueRule,
) -> crate::store::Result<Option<(DateTime<Utc>, CardPhase)>> {
    let names: Vec<&str> = decks.iter().map(|deck| deck.name.as_str()).collect();
    Ok(store.next_due_in(&names)?.first(rule))
}

/// How many cards of these decks are due by the end of the study day of `first` (asked
/// only when that moment is still to come: counting the cards due now twice was a fifth of
/// `review`'s time at 200,000 cards, issue 31).
pub(crate) fn due_by_end_of_day(
    store: &Store,
    decks: &[&Deck],
    first: DateTime<Utc>,
    calendar: &StudyCalendar,
) -> crate::store::Result<usize> {
    let names: Vec<&str> = decks.iter().map(|deck| deck.name.as_str()).collect();
    // At the last moment of that study day, every review and step of the day is due.
    let day_end = calendar.day_start(calendar.day_of(first) + 1);
    let that_day = DueRule::at(day_end - chrono::TimeDelta::milliseconds(1), calendar);
    store.due_count_in(&names, &that_day)
}
