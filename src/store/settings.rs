//! Settings rows: text values keyed by name, interpreted by [`crate::settings`].

use rusqlite::{Transaction, params};

use super::{Result, Store, StoreError};
use crate::settings::{KEYS, SettingKey, Settings};

impl Store {
    /// The learner's settings: defaults overridden by what is stored.
    pub fn settings(&self) -> Result<Settings> {
        let mut settings = Settings::default();
        let mut statement = self.conn.prepare("SELECT key, value FROM settings")?;
        let rows = statement.query_map([], |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
        })?;
        for row in rows {
            let (key, value) = row?;
            // Keys of a future version are kept in the table but not understood here.
            let Some(setting) = KEYS.iter().find(|k| k.name == key) else {
                continue;
            };
            settings
                .set_key(setting, &value)
                .map_err(|e| StoreError::BadSetting {
                    key: key.clone(),
                    message: e.to_string(),
                })?;
        }
        Ok(settings)
    }

    /// The names of the settings the learner has set (the others are defaults).
    pub fn explicit_settings(&self) -> Result<Vec<String>> {
        let mut statement = self.conn.prepare("SELECT key FROM settings ORDER BY key")?;
        let keys = statement
            .query_map([], |row| row.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(keys)
    }

    /// Stores the given settings' current values from `settings`, in one transaction.
    pub fn save_settings(&mut self, settings: &Settings, keys: &[&SettingKey]) -> Result<()> {
        self.write(|tx| write_settings(tx, settings, keys))
    }

    /// Removes a stored setting so that its default applies again.
    pub fn reset_setting(&mut self, key: &SettingKey) -> Result<()> {
        self.write(|tx| {
            tx.execute("DELETE FROM settings WHERE key = ?1", [key.name])?;
            Ok(())
        })
    }
}

pub(super) fn write_settings(
    tx: &Transaction<'_>,
    settings: &Settings,
    keys: &[&SettingKey],
) -> Result<()> {
    for key in keys {
        let value = settings.get(key.name).expect("every key has a text form");
        tx.execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![key.name, value],
        )?;
    }
    Ok(())
}
