//! One pass over the stored card states that counts everything `stats` says about cards:
//! per deck by state, due now and later today, the due forecast, the predicted recall of
//! the cards in review, the hardest cards and the orphans.
//!
//! Cards belong to the deck the catalog puts them in now (a card may have moved since its
//! last review); a stored card that no deck has is an orphan. Counting in one pass here
//! costs a hash lookup per card, where doing it in SQL meant first copying the whole
//! catalog's ids into a temporary table and then joining against it once per number.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::ids::{CardId, DeckName};
use crate::store::{BUCKET_MS, CardRow};

/// A review interval (due minus last review) of at least this many days makes a card mature.
pub(crate) const MATURE_DAYS: i64 = 21;
use crate::deck::Catalog;
use crate::schedule::{CardPhase, DueRule, Scheduler};
use crate::store::Store;

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// The hardest cards in review a census keeps, and so the most `stats` lists.
pub(crate) const HARDEST: usize = 5;

/// The decks a census counts: one deck of the catalog (by its index), or all of them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope<'a> {
    pub catalog: &'a Catalog,
    /// The index of the one deck counted; `None` for all decks.
    pub deck: Option<usize>,
}

impl Scope<'_> {
    /// Whether the deck at `index` of the catalog is counted.
    pub(super) fn includes(&self, index: usize) -> bool {
        self.deck.is_none_or(|only| only == index)
    }
}

/// One deck's cards, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct DeckTally {
    /// Cards in the deck file (answered or not).
    pub total: u64,
    /// Learning and relearning.
    pub learning: u64,
    /// In review with an interval under [`MATURE_DAYS`].
    pub young: u64,
    pub mature: u64,
    /// Suspended by the learner (a leech counts as a leech only).
    pub suspended: u64,
    /// Suspended as leeches.
    pub leeches: u64,
    /// Due now, by `DueRule` (new and suspended cards are never due).
    pub due_now: u64,
    /// Learning steps due later today.
    pub due_later: u64,
    /// New cards introduced today (first answered since the day started).
    pub introduced: u64,
}

impl DeckTally {
    /// Cards never answered: all those without a stored state in another category.
    pub(super) fn new_cards(&self) -> u64 {
        self.total.saturating_sub(
            self.learning + self.young + self.mature + self.suspended + self.leeches,
        )
    }
}

/// A card that gives trouble: it lapsed, or it failed a learning or relearning step.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Troublesome {
    pub card_id: CardId,
    pub deck: usize,
    pub phase: CardPhase,
    pub lapses: u32,
    /// Again answers in its current learning or relearning steps; the census leaves it 0
    /// (the log has it, see `Store::failed_steps`).
    pub failed_steps: u64,
    /// FSRS's predicted recall now.
    pub recall: f64,
    pub stability: f64,
    pub leech: bool,
}

impl Troublesome {
    /// Times the learner failed it that still count: lapses and failed steps.
    pub(super) fn failures(&self) -> u64 {
        u64::from(self.lapses) + self.failed_steps
    }
}

/// The order of the hardest cards: most failures first, then the lowest predicted recall,
/// then by id.
pub(super) fn harder_first(a: &Troublesome, b: &Troublesome) -> Ordering {
    b.failures()
        .cmp(&a.failures())
        .then(a.recall.total_cmp(&b.recall))
        .then_with(|| a.card_id.cmp(&b.card_id))
}

/// A stored card that no deck has: its id and the deck of its last review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Stray {
    pub card_id: CardId,
    /// `None` for a card whose last review was in no deck.
    pub deck: Option<DeckName>,
}

/// The times the census measures against, in milliseconds, and what "due" means now.
#[derive(Debug, Clone)]
pub(super) struct Window {
    pub now: DateTime<Utc>,
    /// The start of tomorrow: steps due before it that are not due now are due later today.
    pub tomorrow_ms: i64,
    /// Which cards are due now.
    pub due: DueRule,
    /// The forecast counts cards due before this, overdue ones at `forecast_from_ms`.
    pub forecast_from_ms: i64,
    pub forecast_until_ms: i64,
}

/// FSRS's predicted recall now, with the study day of now worked out once for all cards.
struct Recall<'a> {
    scheduler: &'a Scheduler,
    today: i64,
}

impl Recall<'_> {
    fn of(&self, state: &crate::schedule::CardState) -> f64 {
        self.scheduler.retrievability_on(state, self.today)
    }
}

/// Everything counted from the card states.
#[derive(Debug, Clone, Default)]
pub(super) struct Census {
    /// The index of the one deck counted; `None` for all decks.
    pub scope: Option<usize>,
    /// Per deck of the catalog, in catalog order (all zero outside the scope).
    pub decks: Vec<DeckTally>,
    /// Cards due per 15-minute bucket start before the end of the forecast.
    pub due_buckets: BTreeMap<i64, u64>,
    /// The sum of the predicted recall now of the cards in review, and how many there are.
    pub recall_sum: f64,
    pub review_cards: u64,
    /// The [`HARDEST`] hardest cards in review (those with lapses), hardest first.
    pub hardest: Vec<Troublesome>,
    /// Every card in learning or relearning steps that was answered: whether it failed a
    /// step is in the log, not in its state.
    pub in_steps: Vec<Troublesome>,
    /// Orphans, by id; only gathered for all decks.
    pub strays: Vec<Stray>,
}

impl Census {
    /// Counts the stored cards of `scope`, and which of them are among `introduced` (the
    /// cards first answered today).
    pub(super) fn gather(
        store: &Store,
        scope: Scope<'_>,
        scheduler: &Scheduler,
        window: &Window,
        introduced: &[CardId],
    ) -> anyhow::Result<Census> {
        let index = scope.catalog.card_index();
        let in_scope = |id: &str| index.deck_of(id).filter(|&deck| scope.includes(deck));
        let mut census = Census {
            scope: scope.deck,
            decks: scope
                .catalog
                .decks
                .iter()
                .enumerate()
                .map(|(index, deck)| DeckTally {
                    total: if scope.includes(index) {
                        deck.cards.len() as u64
                    } else {
                        0
                    },
                    ..DeckTally::default()
                })
                .collect(),
            ..Census::default()
        };
        for id in introduced {
            if let Some(deck) = in_scope(id.as_str()) {
                census.decks[deck].introduced += 1;
            }
        }
        let recall = Recall {
            scheduler,
            today: scheduler.calendar().day_of(window.now),
        };
        store.for_each_card_state(|row| match in_scope(row.card_id) {
            Some(deck) => census.count(deck, &row, window, &recall),
            // With every deck in the index, a card outside it may be an orphan; with one
            // deck, it is a card of another deck.
            None if scope.deck.is_none() && index.is_orphan(row.card_id, row.deck) => {
                census.strays.push(Stray {
                    card_id: CardId::from(row.card_id),
                    deck: row.deck.map(DeckName::from),
                })
            }
            None => {}
        })?;
        census.strays.sort_by(|a, b| a.card_id.cmp(&b.card_id));
        Ok(census)
    }

    /// Whether the deck at `index` of the catalog is counted.
    pub(super) fn counts(&self, index: usize) -> bool {
        self.scope.is_none_or(|only| only == index)
    }

    /// The tallies of the decks counted.
    pub(super) fn in_scope(&self) -> impl Iterator<Item = &DeckTally> + Clone {
        self.decks
            .iter()
            .enumerate()
            .filter(|(index, _)| self.counts(*index))
            .map(|(_, tally)| tally)
    }

    fn count(&mut self, deck: usize, row: &CardRow<'_>, window: &Window, recall: &Recall<'_>) {
        let state = &row.state;
        let tally = &mut self.decks[deck];
        if state.leech {
            tally.leeches += 1;
        } else if row.suspended {
            tally.suspended += 1;
        } else {
            match state.phase {
                CardPhase::New => {}
                CardPhase::Learning | CardPhase::Relearning => tally.learning += 1,
                CardPhase::Review => {
                    let interval_ms = state
                        .last_review
                        .map_or(0, |last| (state.due - last).num_milliseconds());
                    if interval_ms >= MATURE_DAYS * DAY_MS {
                        tally.mature += 1;
                    } else {
                        tally.young += 1;
                    }
                    self.recall_sum += recall.of(state);
                    self.review_cards += 1;
                }
            }
            let due_ms = state.due.timestamp_millis();
            if state.phase != CardPhase::New {
                if window.due.phase_is_due(state.phase, state.due) {
                    tally.due_now += 1;
                } else if due_ms < window.tomorrow_ms {
                    tally.due_later += 1;
                }
                if due_ms < window.forecast_until_ms {
                    let at = due_ms.max(window.forecast_from_ms);
                    *self
                        .due_buckets
                        .entry(at - at.rem_euclid(BUCKET_MS))
                        .or_default() += 1;
                }
            }
        }
        self.note_trouble(row, deck, recall);
    }

    /// Keeps a card that lapsed among the hardest, and every card in steps for the log to
    /// say whether it failed one.
    fn note_trouble(&mut self, row: &CardRow<'_>, deck: usize, recall: &Recall<'_>) {
        let state = &row.state;
        let in_review_with_lapses = state.phase == CardPhase::Review && state.lapses > 0;
        let in_steps =
            matches!(state.phase, CardPhase::Learning | CardPhase::Relearning) && state.reps > 0;
        if in_review_with_lapses || in_steps {
            let card = Troublesome {
                card_id: CardId::from(row.card_id),
                deck,
                phase: state.phase,
                lapses: state.lapses,
                failed_steps: 0,
                recall: recall.of(state),
                stability: state.stability,
                leech: state.leech,
            };
            if in_steps {
                self.in_steps.push(card);
            } else {
                self.consider_hard(card, HARDEST);
            }
        }
    }

    /// Keeps `card` among the `limit` hardest cards in review when it belongs there (see
    /// [`harder_first`]).
    fn consider_hard(&mut self, card: Troublesome, limit: usize) {
        let position = self
            .hardest
            .iter()
            .position(|other| harder_first(&card, other) == Ordering::Less)
            .unwrap_or(self.hardest.len());
        if position < limit {
            self.hardest.insert(position, card);
            self.hardest.truncate(limit);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;

    use super::*;
    use crate::deck::{DeckCache, DeckFile, DeckOrigin, load_catalog};
    use crate::schedule::{Rating, SchedulerConfig, StudyCalendar, Zone};
    use crate::store::NewReview;

    fn deck_file(name: &str, ids: &[&str]) -> DeckFile {
        let cards: String = ids
            .iter()
            .map(|id| {
                format!(
                    "  - id: {id}\n    type: flip\n    front: Q {id}?\n    back: A.\n    explanation: E.\n    source: S\n"
                )
            })
            .collect();
        DeckFile {
            name: name.into(),
            label: format!("{name}.yaml"),
            origin: DeckOrigin::Builtin,
            bytes: Ok(format!("title: {name}\ndescription: D.\ncards:\n{cards}")
                .into_bytes()
                .into()),
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        crate::clock::parse_instant(text).unwrap()
    }

    /// alpha: a1, a2, moved (last answered in beta); beta: b1; and an orphan.
    fn setup() -> (Store, Catalog, Scheduler) {
        let catalog = load_catalog(
            vec![
                deck_file("alpha", &["a1", "a2", "moved"]),
                deck_file("beta", &["b1"]),
            ],
            &DeckCache::disabled(),
        )
        .unwrap();
        let scheduler =
            Scheduler::new(SchedulerConfig::default(), crate::schedule::Zone::utc()).unwrap();
        let mut store = Store::open_in_memory().unwrap();
        let start = at("2026-03-01T10:00:00Z");
        let answers = [
            ("a1", "alpha", 0, Rating::Easy),
            ("a1", "alpha", 60 * 24 * 5, Rating::Again),
            ("moved", "beta", 1, Rating::Good),
            ("b1", "beta", 2, Rating::Easy),
            ("gone", "old", 3, Rating::Good),
        ];
        for (card, deck, minutes, rating) in answers {
            let review = NewReview {
                card_id: card.into(),
                deck: Some(deck.into()),
                at: start + TimeDelta::minutes(minutes),
                rating,
                duration_ms: 1000,
            };
            store.record_answer(&review, &scheduler).unwrap();
        }
        (store, catalog, scheduler)
    }

    fn window() -> Window {
        let now = at("2026-03-20T12:00:00Z");
        Window {
            now,
            tomorrow_ms: at("2026-03-21T00:00:00Z").timestamp_millis(),
            due: DueRule::at(now, &StudyCalendar::new(0, Zone::utc())),
            forecast_from_ms: at("2026-03-20T00:00:00Z").timestamp_millis(),
            forecast_until_ms: at("2026-04-20T00:00:00Z").timestamp_millis(),
        }
    }

    #[test]
    fn cards_count_in_the_deck_the_catalog_puts_them_in_and_orphans_apart() {
        let (store, catalog, scheduler) = setup();
        let introduced = ["a1", "gone", "b1"].map(CardId::from);
        let scope = Scope {
            catalog: &catalog,
            deck: None,
        };
        let census = Census::gather(&store, scope, &scheduler, &window(), &introduced).unwrap();
        let alpha = &census.decks[0];
        assert_eq!(
            (alpha.introduced, census.decks[1].introduced),
            (1, 1),
            "an orphan introduces nothing"
        );
        // a1 lapsed (relearning), `moved` is learning although last answered in beta.
        assert_eq!((alpha.total, alpha.learning, alpha.new_cards()), (3, 2, 1));
        let beta = &census.decks[1];
        assert_eq!((beta.total, beta.young, beta.new_cards()), (1, 1, 0));
        assert_eq!(
            census.strays,
            vec![Stray {
                card_id: "gone".into(),
                deck: Some("old".into())
            }]
        );
        // Everything answered weeks ago is due: all but the orphan, in the first bucket.
        assert_eq!(alpha.due_now + beta.due_now, 3);
        assert_eq!(census.due_buckets.values().sum::<u64>(), 3);
        assert_eq!(
            census.due_buckets.keys().next(),
            Some(&window().forecast_from_ms)
        );
        assert_eq!(census.review_cards, 1, "b1 only");
        assert!(census.recall_sum > 0.0 && census.recall_sum < 1.0);
        // b1 was never failed: not a hard card. a1 lapsed and relearns, `moved` learns:
        // whether they failed a step is for the log to say.
        assert!(census.hardest.is_empty(), "{:?}", census.hardest);
        let mut in_steps: Vec<(&str, u32)> = census
            .in_steps
            .iter()
            .map(|c| (c.card_id.as_str(), c.lapses))
            .collect();
        in_steps.sort();
        assert_eq!(in_steps, vec![("a1", 1), ("moved", 0)]);
    }

    #[test]
    fn one_deck_counts_only_its_cards_and_finds_no_orphans() {
        let (store, catalog, scheduler) = setup();
        let scope = Scope {
            catalog: &catalog,
            deck: Some(1),
        };
        let census = Census::gather(&store, scope, &scheduler, &window(), &[]).unwrap();
        assert_eq!(census.decks[0], DeckTally::default());
        assert_eq!(census.decks[1].total, 1);
        assert!(census.strays.is_empty());
        assert!(census.hardest.is_empty() && census.in_steps.is_empty());
    }

    fn troublesome(id: &str, lapses: u32, failed_steps: u64, recall: f64) -> Troublesome {
        Troublesome {
            card_id: CardId::from(id),
            deck: 0,
            phase: CardPhase::Review,
            lapses,
            failed_steps,
            recall,
            stability: 1.0,
            leech: false,
        }
    }

    #[test]
    fn the_hardest_list_keeps_only_the_limit_in_order() {
        let mut census = Census::default();
        for card in [
            troublesome("once", 1, 0, 0.5),
            troublesome("twice", 2, 0, 0.9),
            troublesome("once-forgotten", 1, 0, 0.2),
        ] {
            census.consider_hard(card, 2);
        }
        let ids: Vec<&str> = census.hardest.iter().map(|c| c.card_id.as_str()).collect();
        assert_eq!(ids, ["twice", "once-forgotten"]);
    }

    #[test]
    fn failed_steps_count_like_lapses_and_recall_breaks_ties() {
        let steps = troublesome("steps", 0, 2, 0.9);
        let lapses = troublesome("lapses", 1, 0, 0.1);
        assert_eq!(harder_first(&steps, &lapses), Ordering::Less);
        let lower = troublesome("lower", 1, 1, 0.3);
        assert_eq!(harder_first(&lower, &steps), Ordering::Less);
    }
}
