//! Settings rows: text values keyed by name, interpreted by [`crate::settings`].

use rusqlite::{Connection, Transaction, params};

use super::{Result, Store, StoreError};
use crate::ids::DeckName;
use crate::settings::{Setting, Settings};

/// A stored setting whose text this version cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSetting {
    pub key: Setting,
    pub value: String,
    pub message: String,
}

impl From<BadSetting> for StoreError {
    fn from(bad: BadSetting) -> StoreError {
        StoreError::BadSetting {
            key: bad.key,
            message: bad.message,
        }
    }
}

/// The stored settings over the defaults, with every stored value that cannot be used
/// (its setting keeps the default here).
fn read_lenient(conn: &Connection) -> Result<(Settings, Vec<BadSetting>)> {
    let mut settings = Settings::default();
    let mut bad = Vec::new();
    let mut statement = conn.prepare_cached("SELECT key, value FROM settings ORDER BY key")?;
    let rows = statement.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
    })?;
    for row in rows {
        let (key, value) = row?;
        // Keys of a future version are kept in the table but not understood here.
        let Some(setting) = Setting::named(&key) else {
            continue;
        };
        if let Err(e) = settings.set(setting, &value) {
            bad.push(BadSetting {
                key: setting,
                // The value came from the file: never printed raw.
                message: crate::text::visible(&e.to_string()).into_owned(),
                value,
            });
        }
    }
    Ok((settings, bad))
}

/// The stored settings; the first unusable value is an error that says how to fix it.
pub(super) fn read_settings(conn: &Connection) -> Result<Settings> {
    let (settings, bad) = read_lenient(conn)?;
    match bad.into_iter().next() {
        Some(bad) => Err(bad.into()),
        None => Ok(settings),
    }
}

impl Store {
    /// The learner's settings: defaults overridden by what is stored. A stored value that
    /// cannot be used is an error naming it and the command that fixes it.
    pub fn settings(&self) -> Result<Settings> {
        read_settings(&self.conn)
    }

    /// The settings a command needs: an unusable stored value of one of `needed` is an
    /// error, one of another setting keeps its default, so that a bad value of one setting
    /// stops only the commands that use it.
    pub fn settings_for(&self, needed: &[Setting]) -> Result<Settings> {
        let (settings, bad) = read_lenient(&self.conn)?;
        match bad.into_iter().find(|bad| needed.contains(&bad.key)) {
            Some(bad) => Err(bad.into()),
            None => Ok(settings),
        }
    }

    /// The settings without refusing unusable values: those keep their defaults and are
    /// listed, so that the commands that fix them (`config`, `optimize --reset`), `doctor`
    /// and `export` still run.
    pub fn settings_lenient(&self) -> Result<(Settings, Vec<BadSetting>)> {
        read_lenient(&self.conn)
    }

    /// The settings the learner has set (the others are defaults). Rows of settings this
    /// version does not know are left out.
    pub fn explicit_settings(&self) -> Result<Vec<Setting>> {
        let mut statement = self.conn.prepare("SELECT key FROM settings ORDER BY key")?;
        let names = statement
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(names
            .iter()
            .filter_map(|name| Setting::named(name))
            .collect())
    }

    /// Stores the given settings' current values from `settings`, in one transaction.
    pub fn save_settings(&mut self, settings: &Settings, keys: &[Setting]) -> Result<()> {
        self.write(|tx| write_settings(tx, settings, keys))
    }
}

pub(super) fn write_settings(
    tx: &Transaction<'_>,
    settings: &Settings,
    keys: &[Setting],
) -> Result<()> {
    for key in keys {
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key.name(), settings.get(*key)],
        )?;
    }
    Ok(())
}

impl Store {
    /// The decks with a daily limit of new cards of their own, by deck name. A stored
    /// value this version cannot read is passed over (the deck follows the global limit).
    pub fn deck_new_per_day(&self) -> Result<Vec<(DeckName, u32)>> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT deck, value FROM deck_setting WHERE key = ?1 ORDER BY deck")?;
        let rows = statement.query_map([Setting::NewPerDay.name()], |row| {
            Ok((row.get::<_, DeckName>(0)?, row.get::<_, String>(1)?))
        })?;
        let mut limits = Vec::new();
        for row in rows {
            let (deck, value) = row?;
            if let Ok(limit) = value.parse() {
                limits.push((deck, limit));
            }
        }
        Ok(limits)
    }

    /// Stores a value of `setting` for one deck only (already validated by the caller).
    pub fn save_deck_setting(
        &mut self,
        deck: &DeckName,
        setting: Setting,
        value: &str,
    ) -> Result<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO deck_setting (deck, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (deck, key) DO UPDATE SET value = excluded.value",
                params![deck, setting.name(), value],
            )?;
            Ok(())
        })
    }

    /// Removes a deck's own value of `setting` (the deck follows the global one again);
    /// returns whether it had one.
    pub fn reset_deck_setting(&mut self, deck: &DeckName, setting: Setting) -> Result<bool> {
        self.write(|tx| {
            Ok(tx.execute(
                "DELETE FROM deck_setting WHERE deck = ?1 AND key = ?2",
                params![deck, setting.name()],
            )? > 0)
        })
    }
}
