//! The deck column of the stored states checked against the catalog, so that the dashboard
//! can count each deck's cards with aggregate queries (issue 31). A card moved to another
//! deck file keeps its id and its history, so the deck a state was written with may no
//! longer hold it; a card taken out of every deck file keeps its state too. The check runs
//! only when something changed: the catalog's cards (its stamp differs from the one of the
//! last check), or the states written since (listed by the triggers of migration 9).

use super::{Result, Store};

/// What the deck column of the stored states needs before it can be trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeckCheck {
    /// Nothing: checked against this catalog, and no state written since.
    Current,
    /// The states written or moved since the last check.
    Unchecked,
    /// Every state: the catalog's cards changed (or were never checked against).
    All,
}

/// Where a checked state belongs: the deck of the catalog that holds it.
pub struct Holder<'c> {
    /// The name of the deck that holds a card id, `None` when no deck does.
    pub deck_of: &'c dyn Fn(&str) -> Option<&'c str>,
    /// Whether a name is the name of one of the catalog's decks.
    pub is_deck: &'c dyn Fn(&str) -> bool,
}

impl Store {
    /// What a check of the deck column against the catalog with `stamp` has to read.
    pub fn deck_check(&self, stamp: &str) -> Result<DeckCheck> {
        let (checked, unchecked): (bool, bool) = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM catalog_stamp WHERE stamp = ?1),
                    EXISTS (SELECT 1 FROM unchecked_card)",
            [stamp],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        Ok(match (checked, unchecked) {
            (false, _) => DeckCheck::All,
            (true, true) => DeckCheck::Unchecked,
            (true, false) => DeckCheck::Current,
        })
    }

    /// Checks the states `check` names against the catalog with `stamp`: a state stored
    /// under another deck than the one holding its card is moved to it (its reviews keep
    /// the deck they were given in); a state stored under a deck of the catalog that no
    /// longer holds it is marked as a stray, which no deck counts. Returns how many states
    /// were moved.
    pub fn check_decks(
        &mut self,
        check: DeckCheck,
        stamp: &str,
        holder: &Holder<'_>,
    ) -> Result<usize> {
        if check == DeckCheck::Current {
            return Ok(0);
        }
        self.write(|tx| {
            let sql = match check {
                DeckCheck::All => {
                    tx.execute("DELETE FROM stray_card", [])?;
                    "SELECT card_id, deck FROM card_state"
                }
                _ => {
                    tx.execute(
                        "DELETE FROM stray_card WHERE card_id IN (SELECT card_id FROM unchecked_card)",
                        [],
                    )?;
                    "SELECT c.card_id, c.deck FROM unchecked_card u JOIN card_state c USING (card_id)"
                }
            };
            let mut moved: Vec<(String, String)> = Vec::new();
            let mut strays: Vec<String> = Vec::new();
            let mut statement = tx.prepare(sql)?;
            let mut rows = statement.query([])?;
            while let Some(row) = rows.next()? {
                let (id, stored) = (super::rows::borrowed_text(row, 0)?, super::rows::borrowed_text(row, 1)?);
                match (holder.deck_of)(id) {
                    Some(deck) if deck != stored => moved.push((id.to_string(), deck.to_string())),
                    Some(_) => {}
                    None if (holder.is_deck)(stored) => strays.push(id.to_string()),
                    None => {}
                }
            }
            drop(rows);
            drop(statement);
            let mut move_card = tx.prepare("UPDATE card_state SET deck = ?2 WHERE card_id = ?1")?;
            for (id, deck) in &moved {
                move_card.execute([id, deck])?;
            }
            let mut mark_stray = tx.prepare("INSERT OR IGNORE INTO stray_card (card_id) VALUES (?1)")?;
            for id in &strays {
                mark_stray.execute([id])?;
            }
            // Last: moving a state lists it as unchecked again.
            tx.execute("DELETE FROM unchecked_card", [])?;
            tx.execute(
                "INSERT INTO catalog_stamp (id, stamp) VALUES (1, ?1)
                 ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp",
                [stamp],
            )?;
            Ok(moved.len())
        })
    }
}
