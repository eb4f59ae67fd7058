//! Card states read by scope, so a session loads only the states it needs rather than the
//! whole table (which matters for collections of tens of thousands of cards).

use std::ops::ControlFlow;

use chrono::{DateTime, Utc};

use super::rows::{CARD_COLUMNS, borrowed_text, card_from_row, phase_named};
use super::{QueryOptional, Result, Store, from_millis};
use crate::ids::CardId;
use crate::schedule::{CardPhase, DueRule};
use crate::store::StoredCard;

// What "due" means, in SQL over `card_state`: the mirror of [`DueRule::is_due`] (a review is
// due before the next study day, `:reviews_before`; a learning or relearning step by its
// time, `:steps_by`; a card out of rotation shows `suspended` as its state, so it never is).
// `tests::the_store_and_the_due_rule_agree_on_random_states` holds the two together. The
// state is read as `+state`, which keeps SQLite from answering through the state index of
// migration 8: it would read every card in review to count a deck's few due ones (a count
// of the due cards went from 6 M to 257 M instructions).
macro_rules! due_review {
    () => {
        "(+state = 'review' AND due < :reviews_before)"
    };
}
macro_rules! due_step {
    () => {
        "(+state IN ('learning', 'relearning') AND due <= :steps_by)"
    };
}
macro_rules! due_now {
    () => {
        concat!("(", due_review!(), " OR ", due_step!(), ")")
    };
}

/// Where a stored card stands for a session, without the rest of its state.
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub card_id: CardId,
    pub due: DateTime<Utc>,
    /// `None` while the card is out of rotation (suspended, or a leech).
    pub phase: Option<CardPhase>,
}

impl Store {
    /// The states of the given cards (those never answered have none).
    pub fn cards_by_id(
        &self,
        ids: impl IntoIterator<Item = impl AsRef<str>>,
    ) -> Result<Vec<StoredCard>> {
        self.in_one_read(|| {
            let mut statement = self.conn.prepare_cached(&format!(
                "SELECT {CARD_COLUMNS} FROM card_state WHERE card_id = ?1"
            ))?;
            let mut cards = Vec::new();
            for id in ids {
                if let Some(card) = statement.query_row([id.as_ref()], card_from_row).opt()? {
                    cards.push(card);
                }
            }
            Ok(cards)
        })
    }

    /// The cards out of every session, each with whether it is a leech (else the learner
    /// suspended it).
    pub fn suspended_cards(&self) -> Result<Vec<(String, bool)>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT card_id, leech FROM card_state WHERE state = 'suspended'")?;
        let cards = statement
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(cards)
    }

    /// The ids of every card with a stored state (every card ever answered), in the set
    /// the caller chooses.
    pub fn card_ids_with_state<S: FromIterator<CardId>>(&self) -> Result<S> {
        let mut statement = self.conn.prepare_cached("SELECT card_id FROM card_state")?;
        let ids = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Calls `f` with the id and due time of each card in review due before `until`,
    /// soonest due first, until `f` breaks, from the due index alone: `review` reads the due
    /// reviews it can show under the day's limit rather than every due card (issue 31:
    /// 28,000 at 200,000 cards, for a session of 200), and then the whole state of those
    /// only ([`Store::cards_by_id`]).
    pub fn for_each_review_due_before(
        &self,
        until: DateTime<Utc>,
        mut f: impl FnMut(&str, DateTime<Utc>) -> ControlFlow<()>,
    ) -> Result<()> {
        let mut statement = self.conn.prepare_cached(
            "SELECT card_id, due FROM card_state WHERE due < ?1 AND +state = 'review' ORDER BY due",
        )?;
        let mut rows = statement.query([until.timestamp_millis()])?;
        while let Some(row) = rows.next()? {
            if f(borrowed_text(row, 0)?, from_millis(row.get(1)?)).is_break() {
                break;
            }
        }
        Ok(())
    }

    /// Where the cards in (re)learning steps due before `until` stand (out of rotation ones
    /// left out), through the state index: steps last minutes, so they are few.
    pub fn steps_due_before(&self, until: DateTime<Utc>) -> Result<Vec<Standing>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT card_id, due, state FROM card_state
             WHERE state IN ('learning', 'relearning') AND +due < ?1",
        )?;
        let mut rows = statement.query([until.timestamp_millis()])?;
        let mut standings = Vec::new();
        while let Some(row) = rows.next()? {
            let phase = phase_named(row.get_ref(2)?.as_bytes().map_err(rusqlite::Error::from)?)?;
            standings.push(Standing {
                card_id: row.get(0)?,
                due: from_millis(row.get(1)?),
                phase: Some(phase),
            });
        }
        Ok(standings)
    }

    /// The earliest due time of the cards in review and of the cards in (re)learning steps
    /// stored under one of `decks`, out of rotation and new (forgotten) cards left out: when
    /// each becomes due is [`crate::schedule::DueRule`]'s to say.
    ///
    /// Each deck's (deck, due, state) index is walked in due order up to its first card in
    /// review, and the cards in steps (few: steps last minutes) are found through the state
    /// index, rather than reading every stored card of the decks: a session's last line
    /// read all 45,000 states at 50,000 cards for these two numbers (issue 31).
    pub fn next_due_in(&self, decks: &[&str]) -> Result<NextDue> {
        let names = serde_json::to_string(decks).unwrap_or_else(|_| "[]".to_string());
        let (review, steps): (Option<i64>, Option<i64>) = self.conn.query_row(
            "SELECT
                (SELECT min(review) FROM (SELECT
                    (SELECT due FROM card_state WHERE deck = decks.value AND +state = 'review'
                     ORDER BY due LIMIT 1) AS review
                 FROM json_each(?1) AS decks)),
                (SELECT min(due) FROM card_state WHERE state IN ('learning', 'relearning')
                 AND +deck IN (SELECT value FROM json_each(?1)))",
            [names],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(NextDue {
            review: review.map(from_millis),
            steps: steps.map(from_millis),
        })
    }

    /// How many cards stored under one of `decks` are due by `rule` (suspended and new cards
    /// never are): the due reviews and the due steps of each deck as two ranges of the
    /// (deck, state, due) index of migration 9, counted with no expression evaluated on
    /// each card (the same conditions as `due_review!` and `due_step!`, and disjoint, since
    /// a card has one state). Evaluating `due_now!` on each card of the decks' due range was
    /// a third of `review`'s instructions at 200,000 cards (issue 31).
    pub fn due_count_in(&self, decks: &[&str], rule: &DueRule) -> Result<usize> {
        let names = serde_json::to_string(decks).unwrap_or_else(|_| "[]".to_string());
        let count: i64 = self.conn.query_row(
            "SELECT
               (SELECT count(*) FROM card_state
                WHERE deck IN (SELECT value FROM json_each(:decks))
                  AND state = 'review' AND due < :reviews_before)
             + (SELECT count(*) FROM card_state
                WHERE deck IN (SELECT value FROM json_each(:decks))
                  AND state IN ('learning', 'relearning') AND due <= :steps_by)",
            rusqlite::named_params! {
                ":decks": names,
                ":reviews_before": rule.reviews_before().timestamp_millis(),
                ":steps_by": rule.steps_by().timestamp_millis(),
            },
            |row| row.get(0),
        )?;
        Ok(count.max(0) as usize)
    }

    /// The states `filter` asks for, in one query (through the due index for `due`, the
    /// state index for `state`, the lapses index for `min_lapses`): `cards --due` lists 7,000
    /// of 50,000 cards, and asking for each card's state by id took half its time (issue 31).
    /// Only cards with a stored state are found: `filter` never matches a card never answered.
    pub fn cards_matching(&self, filter: &StoredFilter<'_>) -> Result<Vec<StoredCard>> {
        let mut sql = format!("SELECT {CARD_COLUMNS} FROM card_state WHERE 1");
        let mut params: Vec<(&str, i64)> = Vec::new();
        if let Some(rule) = filter.due {
            // The range first, so that SQLite walks the due index over the due cards only.
            sql += concat!(" AND due < :due_before AND ", due_now!());
            params.push((":due_before", due_before(rule).timestamp_millis()));
            params.push((":reviews_before", rule.reviews_before().timestamp_millis()));
            params.push((":steps_by", rule.steps_by().timestamp_millis()));
        }
        if let Some(listed) = filter.listed {
            // With `due`, the due index finds fewer rows than the state index would.
            sql += " AND ";
            let column = if filter.due.is_some() {
                "+state"
            } else {
                "state"
            };
            sql += &listed.sql(column);
        }
        if let Some(min) = filter.min_lapses {
            sql += " AND lapses >= :min_lapses";
            params.push((":min_lapses", i64::from(min)));
        }
        let mut statement = self.conn.prepare(&sql)?;
        let named: Vec<(&str, &dyn rusqlite::ToSql)> = params
            .iter()
            .map(|(name, value)| (*name, value as &dyn rusqlite::ToSql))
            .collect();
        let cards = statement
            .query_map(named.as_slice(), card_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(cards)
    }

    /// Calls `f` with the id of every card with a stored state and where it stands by `rule`,
    /// from the due index alone, without copying an id: the dashboard's counts (issue 31),
    /// as Anki's deck list counts with one query.
    pub fn for_each_place(&self, rule: &DueRule, mut f: impl FnMut(&str, Place)) -> Result<()> {
        let mut statement = self.conn.prepare_cached(concat!(
            "SELECT card_id, CASE WHEN ",
            due_review!(),
            " THEN 1 WHEN ",
            due_step!(),
            // A forgotten card is new again from the moment it was forgotten.
            " THEN 2 WHEN state = 'new' AND due < :reviews_before THEN 3 ELSE 0 END
             FROM card_state"
        ))?;
        let mut rows = statement.query(rusqlite::named_params! {
            ":reviews_before": rule.reviews_before().timestamp_millis(),
            ":steps_by": rule.steps_by().timestamp_millis(),
        })?;
        while let Some(row) = rows.next()? {
            let place = match row.get_ref(1)?.as_i64().map_err(rusqlite::Error::from)? {
                1 => Place::DueReview,
                2 => Place::DueStep,
                3 => Place::NewAgain,
                _ => Place::Elsewhere,
            };
            f(borrowed_text(row, 0)?, place);
        }
        Ok(())
    }
}

/// Every card due by `rule` is due before this instant: the end of the range of the due
/// indexes that a query of the due cards reads.
fn due_before(rule: &DueRule) -> DateTime<Utc> {
    (rule.reviews_before()).max(rule.steps_by() + chrono::TimeDelta::milliseconds(1))
}

/// How a deck's stored cards stand by a due rule (see [`Store::deck_tally`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeckTally {
    /// Cards with a stored state (answered at least once).
    pub answered: usize,
    /// In review and due.
    pub due_reviews: usize,
    /// In (re)learning steps and due.
    pub due_steps: usize,
    /// Forgotten, and new again.
    pub new_again: usize,
    /// Suspended by the learner.
    pub by_learner: usize,
    /// Suspended as leeches.
    pub leeches: usize,
}

impl DeckTally {
    fn from_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<DeckTally> {
        let count = |i: usize| -> rusqlite::Result<usize> {
            Ok(row.get::<_, Option<i64>>(first + i)?.unwrap_or(0).max(0) as usize)
        };
        Ok(DeckTally {
            answered: count(0)?,
            due_reviews: count(1)?,
            due_steps: count(2)?,
            new_again: count(3)?,
            by_learner: count(4)?,
            leeches: count(5)?,
        })
    }

    /// This tally less `other`'s cards (the strays stored under the same deck).
    pub fn without(self, other: DeckTally) -> DeckTally {
        DeckTally {
            answered: self.answered.saturating_sub(other.answered),
            due_reviews: self.due_reviews.saturating_sub(other.due_reviews),
            due_steps: self.due_steps.saturating_sub(other.due_steps),
            new_again: self.new_again.saturating_sub(other.new_again),
            by_learner: self.by_learner.saturating_sub(other.by_learner),
            leeches: self.leeches.saturating_sub(other.leeches),
        }
    }
}

impl Store {
    /// How the states stored under each of `decks` stand by `rule`, in their order,
    /// strays included (the caller takes [`Store::stray_tallies`] off). The counts of states
    /// are kept by the triggers of migration 9; the due ones are three ranges of its (deck,
    /// state, due) index, so what is read grows with the decks' due cards, not with their
    /// cards, and no expression is evaluated on each (the conditions of `due_review!` and
    /// `due_step!`, which the unit test of the due rule holds together). One statement for
    /// every deck: SQLite prepares a statement again for each new range bound, which one
    /// statement a deck paid at every deck.
    pub fn deck_tallies(&self, decks: &[&str], rule: &DueRule) -> Result<Vec<DeckTally>> {
        let names = serde_json::to_string(decks).unwrap_or_else(|_| "[]".to_string());
        let mut statement = self.conn.prepare_cached(
            "SELECT k.cards,
               (SELECT count(*) FROM card_state
                WHERE deck = d.value AND state = 'review' AND due < :reviews_before),
               (SELECT count(*) FROM card_state
                WHERE deck = d.value AND state IN ('learning', 'relearning')
                  AND due <= :steps_by),
               (SELECT count(*) FROM card_state
                WHERE deck = d.value AND state = 'new' AND due < :reviews_before),
               k.by_learner, k.leeches
             FROM json_each(:decks) d LEFT JOIN deck_card_count k ON k.deck = d.value
             ORDER BY d.key",
        )?;
        let tallies = statement
            .query_map(
                rusqlite::named_params! {
                    ":decks": names,
                    ":reviews_before": rule.reviews_before().timestamp_millis(),
                    ":steps_by": rule.steps_by().timestamp_millis(),
                },
                |row| DeckTally::from_row(row, 0),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tallies)
    }

    /// The tallies of the strays (see `deck_check.rs`), by the deck they are stored under.
    pub fn stray_tallies(&self, rule: &DueRule) -> Result<Vec<(String, DeckTally)>> {
        // CROSS JOIN: the few strays first, each state found by its id.
        let mut statement = self.conn.prepare_cached(concat!(
            "SELECT c.deck, count(*), sum(",
            due_review!(),
            "), sum(",
            due_step!(),
            // A forgotten card is new again from the moment it was forgotten.
            "), sum(+state = 'new' AND due < :reviews_before),
                sum(state = 'suspended' AND NOT leech), sum(state = 'suspended' AND leech)
             FROM stray_card s CROSS JOIN card_state c ON c.card_id = s.card_id
             GROUP BY c.deck"
        ))?;
        let tallies = statement
            .query_map(
                rusqlite::named_params! {
                    ":reviews_before": rule.reviews_before().timestamp_millis(),
                    ":steps_by": rule.steps_by().timestamp_millis(),
                },
                |row| Ok((row.get(0)?, DeckTally::from_row(row, 1)?)),
            )?
            .collect::<rusqlite::Result<_>>()?;
        Ok(tallies)
    }

    /// The decks the given cards are stored under, strays and cards with no state left
    /// out, each deck once with how many of the cards it holds.
    pub fn held_decks_of(&self, ids: &[CardId]) -> Result<Vec<(String, usize)>> {
        let mut statement = self.conn.prepare_cached(
            "SELECT deck FROM card_state WHERE card_id = ?1
               AND NOT EXISTS (SELECT 1 FROM stray_card WHERE card_id = ?1)",
        )?;
        let mut decks: Vec<(String, usize)> = Vec::new();
        for id in ids {
            if let Some(deck) = statement
                .query_row([id], |row| row.get::<_, String>(0))
                .opt()?
            {
                match decks.iter_mut().find(|(name, _)| *name == deck) {
                    Some((_, count)) => *count += 1,
                    None => decks.push((deck, 1)),
                }
            }
        }
        Ok(decks)
    }
}

/// Where a stored card stands today, by the due rule (see [`Store::for_each_place`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// In review and due (on or before today's study day).
    DueReview,
    /// In (re)learning steps and due by now.
    DueStep,
    /// Forgotten, and new again today.
    NewAgain,
    /// Anything else: not due yet, or out of rotation.
    Elsewhere,
}

/// What `cards` asks of the stored states (see [`Store::cards_matching`]); every part
/// narrows it, and none at all is every stored state.
#[derive(Debug, Clone, Copy, Default)]
pub struct StoredFilter<'r> {
    /// Only cards due by this rule.
    pub due: Option<&'r DueRule>,
    /// Only cards listed in this state.
    pub listed: Option<Listed>,
    /// Only cards with at least this many lapses.
    pub min_lapses: Option<u32>,
}

/// A state as `cards` lists it (a leech and a card suspended by hand before their phase),
/// of those only a stored state has (a card never answered is new).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listed {
    Learning,
    Review,
    /// Suspended by the learner.
    Suspended,
    Leech,
}

impl Listed {
    /// The condition on a row, with the `state` column written as `state` (`+state` keeps
    /// SQLite from using its index): that column says `suspended` for every card out of
    /// rotation, so each condition names it for the state index.
    fn sql(self, state: &str) -> String {
        match self {
            Listed::Learning => format!("{state} IN ('learning', 'relearning')"),
            Listed::Review => format!("{state} = 'review'"),
            Listed::Suspended => format!("{state} = 'suspended' AND suspended = 1"),
            Listed::Leech => format!("{state} = 'suspended' AND leech = 1"),
        }
    }
}

/// The earliest due times of a set of cards, by phase (see [`Store::next_due_in`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NextDue {
    pub review: Option<DateTime<Utc>>,
    pub steps: Option<DateTime<Utc>>,
}

impl NextDue {
    /// When the first of them becomes due by `rule`, and its phase (a review's or a step's),
    /// if any is scheduled.
    pub fn first(&self, rule: &DueRule) -> Option<(DateTime<Utc>, CardPhase)> {
        let review = self
            .review
            .and_then(|due| rule.becomes_due(CardPhase::Review, due))
            .map(|at| (at, CardPhase::Review));
        let steps = self
            .steps
            .and_then(|due| rule.becomes_due(CardPhase::Learning, due))
            .map(|at| (at, CardPhase::Learning));
        review.into_iter().chain(steps).min_by_key(|(at, _)| *at)
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone as _};
    use rand::{RngExt as _, SeedableRng as _};

    use super::super::rows::write_state;
    use super::*;
    use crate::ids::DeckName;
    use crate::schedule::{CardState, StudyCalendar, Zone};

    /// A state of any phase, due within three days of `now` (to the minute, so that some
    /// fall on the bounds), out of rotation or not.
    fn random_state(rng: &mut rand::rngs::StdRng, now: DateTime<Utc>) -> CardState {
        let phases = [
            CardPhase::New,
            CardPhase::Learning,
            CardPhase::Review,
            CardPhase::Relearning,
        ];
        CardState {
            phase: phases[rng.random_range(0..phases.len())],
            due: now + TimeDelta::minutes(rng.random_range(-3 * 1440..3 * 1440)),
            lapses: rng.random_range(0..4),
            leech: rng.random_ratio(1, 8),
            suspended: rng.random_ratio(1, 8),
            ..CardState::new_card(now)
        }
    }

    #[test]
    fn the_store_and_the_due_rule_agree_on_random_states() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(31);
        let calendar = StudyCalendar::new(4, Zone::utc());
        let mut store = Store::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        let states: Vec<(CardId, CardState)> = (0..2000)
            .map(|i| {
                (
                    CardId::from(format!("c-{i}").as_str()),
                    random_state(&mut rng, now),
                )
            })
            .collect();
        store
            .write(|tx| {
                for (id, state) in &states {
                    write_state(tx, id, None, state)?;
                }
                Ok(())
            })
            .unwrap();
        // A few moments: now, the last instant of the study day, the rollover itself.
        let rollover = Utc.with_ymd_and_hms(2026, 3, 11, 4, 0, 0).unwrap();
        for at in [now, rollover - TimeDelta::milliseconds(1), rollover] {
            let rule = DueRule::at(at, &calendar);
            let expected: Vec<&str> = (states.iter())
                .filter(|(_, state)| rule.is_due(state))
                .map(|(id, _)| id.as_str())
                .collect();
            let filter = StoredFilter {
                due: Some(&rule),
                ..StoredFilter::default()
            };
            let mut listed: Vec<String> = (store.cards_matching(&filter).unwrap().into_iter())
                .map(|card| card.card_id.as_str().to_string())
                .collect();
            let mut placed = Vec::new();
            store
                .for_each_place(&rule, |id, place| {
                    if matches!(place, Place::DueReview | Place::DueStep) {
                        placed.push(id.to_string());
                    }
                })
                .unwrap();
            let mut expected: Vec<String> = expected.into_iter().map(str::to_string).collect();
            for ids in [&mut expected, &mut listed, &mut placed] {
                ids.sort();
            }
            assert!(!expected.is_empty());
            assert_eq!(listed, expected, "cards --due at {at}");
            assert_eq!(placed, expected, "the dashboard at {at}");
            let names: Vec<&str> = vec![""];
            assert_eq!(store.due_count_in(&names, &rule).unwrap(), expected.len());
            let tally = store.deck_tallies(&[""], &rule).unwrap()[0];
            assert_eq!(tally.answered, states.len(), "the kept count at {at}");
            assert_eq!(
                tally.due_reviews + tally.due_steps,
                expected.len(),
                "the dashboard's count at {at}"
            );
            let mut new_again = 0;
            store
                .for_each_place(&rule, |_, place| {
                    new_again += usize::from(place == Place::NewAgain)
                })
                .unwrap();
            assert_eq!(tally.new_again, new_again, "new again at {at}");
            let out = (states.iter()).filter(|(_, state)| state.out_of_rotation());
            assert_eq!(tally.by_learner + tally.leeches, out.count());
        }
    }

    /// The session's last line reads each deck's due range and first due card only
    /// (issue 31): its counts and next due times are still those of every stored card of
    /// the decks asked for, with many cards of those decks due beyond the range (up to
    /// three days ahead), others out of rotation or new again before it, and the cards of
    /// a deck not asked for left out.
    #[test]
    fn next_due_and_due_counts_are_those_of_every_card_of_the_decks() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3131);
        let calendar = StudyCalendar::new(4, Zone::utc());
        let mut store = Store::open_in_memory().unwrap();
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        let decks = [
            DeckName::from("a"),
            DeckName::from("b"),
            DeckName::from("c"),
        ];
        let states: Vec<(CardId, &DeckName, CardState)> = (0..3000)
            .map(|i| {
                let id = CardId::from(format!("c-{i}").as_str());
                (id, &decks[i % 3], random_state(&mut rng, now))
            })
            .collect();
        store
            .write(|tx| {
                for (id, deck, state) in &states {
                    write_state(tx, id, Some(deck), state)?;
                }
                Ok(())
            })
            .unwrap();
        let asked = ["a", "c"];
        let of_asked = || {
            (states.iter()).filter(|(_, deck, state)| {
                asked.contains(&deck.as_str()) && !state.out_of_rotation()
            })
        };
        let first = |phases: &[CardPhase]| {
            of_asked()
                .filter(|(_, _, state)| phases.contains(&state.phase))
                .map(|(_, _, state)| state.due)
                .min()
        };
        let next = store.next_due_in(&asked).unwrap();
        assert_eq!(next.review, first(&[CardPhase::Review]));
        assert_eq!(
            next.steps,
            first(&[CardPhase::Learning, CardPhase::Relearning])
        );
        let rollover = Utc.with_ymd_and_hms(2026, 3, 11, 4, 0, 0).unwrap();
        for at in [
            now,
            rollover - TimeDelta::milliseconds(1),
            rollover + TimeDelta::days(1),
        ] {
            let rule = DueRule::at(at, &calendar);
            let expected = of_asked()
                .filter(|(_, _, state)| rule.is_due(state))
                .count();
            let beyond = of_asked()
                .filter(|(_, _, s)| s.due >= rule.reviews_before())
                .count();
            assert!(
                expected > 0 && beyond > 0,
                "at {at}: {expected} due, {beyond} beyond"
            );
            assert_eq!(
                store.due_count_in(&asked, &rule).unwrap(),
                expected,
                "at {at}"
            );
        }
    }
}
