//! `review`'s queue reads only the due reviews the day's limit lets it show (issue 31): it
//! is still the queue of every due card sorted by due time, then catalog order, cut to the
//! limit, with every learning step due today.

use chrono::{DateTime, TimeDelta, TimeZone as _, Utc};

use super::queue::QueuedCard;
use super::*;
use crate::deck::{Catalog, DeckCache, DeckFile, load_catalog};
use crate::schedule::{StudyCalendar, Zone};
use crate::scope::CardScope;
use crate::settings::Settings;
use crate::store::Store;

/// Two decks of 12 cards each, `a-0`… and `b-0`….
fn catalog() -> Catalog {
    let file = |name: &str| {
        let ids: Vec<String> = (0..12).map(|i| format!("{name}-{i}")).collect();
        DeckFile::of_flip_cards(name, &ids.iter().map(String::as_str).collect::<Vec<_>>())
    };
    load_catalog(vec![file("a"), file("b")], &DeckCache::disabled()).unwrap()
}

/// A stored state: (id, state column, due in minutes from `now`).
type Row = (&'static str, &'static str, i64);

/// Reviews due at a few shared moments across both decks (ties), reviews due tomorrow,
/// steps due today and after the day's end, a suspended card and a forgotten one due
/// first, and a card no deck holds due before all.
const ROWS: &[Row] = &[
    ("gone-1", "review", -5000),
    ("b-0", "suspended", -4000),
    ("a-0", "new", -4000),
    ("b-5", "review", -3000),
    ("a-7", "review", -3000),
    ("a-2", "review", -3000),
    ("b-1", "review", -2000),
    ("a-9", "review", -2000),
    ("b-3", "review", -1000),
    ("a-1", "review", -1000),
    ("a-3", "review", -10),
    ("b-2", "learning", -30),
    ("a-4", "relearning", 60),
    ("b-4", "learning", 600),
    ("a-5", "learning", 3000),
    ("b-6", "review", 3000),
    ("a-6", "review", 4000),
];

fn store_with(rows: &[Row], now: DateTime<Utc>) -> Store {
    let store = Store::open_in_memory().unwrap();
    for (id, state, minutes) in rows {
        let due = (now + TimeDelta::minutes(*minutes)).timestamp_millis();
        let phase = if *state == "suspended" {
            "review"
        } else {
            state
        };
        let suspended = i32::from(*state == "suspended");
        store.execute_for_tests(&format!(
            "INSERT INTO card_state (card_id, deck, state, phase, due, stability, difficulty,
             reps, lapses, step, last_review, leech, suspended)
             VALUES ('{id}', 'x', '{state}', '{phase}', {due}, 5.0, 5.0, 3, 0, 0, NULL, 0, {suspended})"
        ));
    }
    store
}

/// The queue as the rule says: every selected review due today, by due time then catalog
/// order, cut to `limit`; every selected step due before the day ends, in catalog order.
fn expected(
    catalog: &Catalog,
    deck: Option<&str>,
    now: DateTime<Utc>,
    day_end: DateTime<Utc>,
    limit: usize,
) -> (Vec<String>, Vec<String>) {
    let due_of = |id: &str, states: &[&str]| {
        ROWS.iter()
            .find(|(row, state, _)| *row == id && states.contains(state))
            .map(|(_, _, minutes)| now + TimeDelta::minutes(*minutes))
            .filter(|due| *due < day_end)
    };
    let ids: Vec<&str> = (catalog.decks.iter())
        .filter(|d| deck.is_none_or(|name| d.name.as_str() == name))
        .flat_map(|d| d.cards.ids())
        .collect();
    let mut reviews: Vec<(DateTime<Utc>, &str)> = (ids.iter())
        .filter_map(|id| Some((due_of(id, &["review"])?, *id)))
        .collect();
    reviews.sort_by_key(|(due, _)| *due);
    let reviews = reviews
        .into_iter()
        .take(limit)
        .map(|(_, id)| id.to_string());
    let learning = (ids.iter())
        .filter(|id| due_of(id, &["learning", "relearning"]).is_some())
        .map(|id| id.to_string());
    (reviews.collect(), learning.collect())
}

#[test]
fn review_reads_the_reviews_it_can_show_and_keeps_their_order_and_the_steps() {
    let catalog = catalog();
    let now = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
    let store = store_with(ROWS, now);
    let settings = Settings::default();
    let calendar = StudyCalendar::new(4, Zone::utc());
    let snapshot = Snapshot::load(&store, &settings, &calendar, now, Scope::DueToday).unwrap();
    for deck in [None, Some("a"), Some("b")] {
        let scope = CardScope {
            deck: deck.map(str::to_string),
            tag: None,
        };
        let selection = scope.select(&catalog).unwrap();
        for limit in [0, 1, 2, 3, 4, 6, 100] {
            let limits = Limits {
                new: None,
                reviews: Some(limit),
            };
            let queue = (snapshot.review_queue(&store, &catalog, &selection, limits)).unwrap();
            let ids = |cards: &mut dyn Iterator<Item = &QueuedCard<'_>>| {
                cards
                    .map(|c| c.card.id.as_str().to_string())
                    .collect::<Vec<_>>()
            };
            let got = (
                ids(&mut queue.reviews.iter()),
                ids(&mut queue.learning.iter()),
            );
            let want = expected(&catalog, deck, now, snapshot.day_end(), limit);
            assert_eq!(got, want, "deck {deck:?}, limit {limit}");
            assert!(queue.reviews.iter().all(|c| c.state.is_some()));
        }
    }
}
