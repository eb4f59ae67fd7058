//! Whole review histories card by card (for fitting FSRS), and changing scheduling
//! settings together with the card states they determine.

use chrono::{DateTime, Utc};
use rusqlite::params;

use super::replay::replay_every_card;
use super::{Result, Store, from_millis};
use crate::schedule::{Rating, Scheduler};
use crate::settings::{Setting, Settings};

impl Store {
    /// Calls `f` with each card's reviews in time order, one card at a time, so the whole
    /// log is never in memory at once. Reviews of orphan cards are included: they are the
    /// learner's memory all the same.
    pub fn for_each_history(
        &self,
        mut f: impl FnMut(&str, &[(DateTime<Utc>, Rating)]),
    ) -> Result<()> {
        let mut statement = self.conn.prepare(
            "SELECT card_id, reviewed_at, rating FROM review_log ORDER BY card_id, reviewed_at, id",
        )?;
        let mut rows = statement.query(params![])?;
        let mut card: Option<String> = None;
        let mut history: Vec<(DateTime<Utc>, Rating)> = Vec::new();
        while let Some(row) = rows.next()? {
            let card_id: String = row.get(0)?;
            if card.as_deref() != Some(card_id.as_str()) {
                if let Some(done) = card.take() {
                    f(&done, &history);
                }
                history.clear();
                card = Some(card_id);
            }
            let rating: u8 = row.get(2)?;
            // The CHECK constraint keeps ratings in 1..=4; skip anything else defensively.
            if let Ok(rating) = Rating::try_from(rating) {
                history.push((from_millis(row.get(1)?), rating));
            }
        }
        if let Some(done) = card {
            f(&done, &history);
        }
        Ok(())
    }

    /// Stores settings and rebuilds every card state under them, in one transaction, so
    /// the states never disagree with the settings that produced them.
    pub fn apply_settings(
        &mut self,
        settings: &Settings,
        keys: &[Setting],
        scheduler: &Scheduler,
    ) -> Result<usize> {
        self.write(|tx| {
            super::settings::write_settings(tx, settings, keys)?;
            replay_every_card(tx, scheduler)
        })
    }

    /// Removes stored settings (back to their defaults) and rebuilds every card state
    /// under the resulting settings, in one transaction.
    pub fn reset_settings(&mut self, keys: &[Setting], scheduler: &Scheduler) -> Result<usize> {
        self.write(|tx| {
            for key in keys {
                tx.execute("DELETE FROM settings WHERE key = ?1", [key.name()])?;
            }
            replay_every_card(tx, scheduler)
        })
    }
}
