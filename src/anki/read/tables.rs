//! Reading an unpacked collection, read-only. Anki's schema is Anki's format, not the
//! progress database, so its SQL lives here (as the export's does in `collection.rs`).
//! Schemas 11 to 18 are read: note types and decks are JSON in the `col` row up to 14, and
//! tables of their own from 15 on.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags, Row};

use super::{AnkiCard, AnkiNote, NoteType, PackageError, RevlogEntry};

/// The schema versions read: those of every Anki from 2.1 on.
const SCHEMAS: std::ops::RangeInclusive<i64> = 11..=18;

/// An unpacked collection, open read-only.
pub(super) struct Tables {
    conn: Connection,
    schema: i64,
}

fn sql(error: rusqlite::Error) -> PackageError {
    PackageError::Damaged {
        reason: format!("its collection cannot be read: {error}"),
    }
}

impl Tables {
    pub(super) fn open(path: &Path) -> Result<Tables, PackageError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
        // A package's schema may hold triggers or views: none of them runs functions here.
        conn.pragma_update(None, "trusted_schema", "OFF")
            .map_err(sql)?;
        // Anki's names compare without case (its own `unicase` collation); without it,
        // SQLite finds no way to read a table whose key uses it.
        conn.create_collation("unicase", |a, b| a.to_lowercase().cmp(&b.to_lowercase()))
            .map_err(sql)?;
        let schema: i64 = conn
            .query_row("SELECT ver FROM col", [], |row| row.get(0))
            .map_err(|e| PackageError::NotACollection {
                reason: e.to_string(),
            })?;
        if !SCHEMAS.contains(&schema) {
            return Err(PackageError::UnknownSchema { version: schema });
        }
        Ok(Tables { conn, schema })
    }

    pub(super) fn schema(&self) -> i64 {
        self.schema
    }

    /// Note types by id: from `col.models` (JSON) up to schema 14, else the `notetypes`
    /// and `fields` tables.
    pub(super) fn note_types(&self) -> Result<HashMap<i64, NoteType>, PackageError> {
        if self.schema < 15 {
            let models: String = self
                .conn
                .query_row("SELECT models FROM col", [], |row| row.get(0))
                .map_err(sql)?;
            return legacy_note_types(&models);
        }
        let mut types = HashMap::new();
        let mut statement = self
            .conn
            .prepare("SELECT id, name, config FROM notetypes")
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| {
                let config: Vec<u8> = row.get(2)?;
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, config))
            })
            .map_err(sql)?;
        for row in rows {
            let (id, name, config) = row.map_err(sql)?;
            let cloze = is_cloze_config(&config);
            let fields = Vec::new();
            types.insert(
                id,
                NoteType {
                    name,
                    cloze,
                    fields,
                },
            );
        }
        let mut statement = self
            .conn
            .prepare("SELECT ntid, name FROM fields ORDER BY ntid, ord")
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })
            .map_err(sql)?;
        for row in rows {
            let (id, name) = row.map_err(sql)?;
            if let Some(note_type) = types.get_mut(&id) {
                note_type.fields.push(name);
            }
        }
        Ok(types)
    }

    /// Deck names by id (`::` between levels).
    pub(super) fn decks(&self) -> Result<HashMap<i64, String>, PackageError> {
        if self.schema < 15 {
            let decks: String = self
                .conn
                .query_row("SELECT decks FROM col", [], |row| row.get(0))
                .map_err(sql)?;
            return Ok(legacy_decks(&decks));
        }
        let mut statement = self
            .conn
            .prepare("SELECT id, name FROM decks")
            .map_err(sql)?;
        let rows = statement
            .query_map([], |row| {
                let name: String = row.get(1)?;
                Ok((row.get(0)?, name.replace('\x1f', "::")))
            })
            .map_err(sql)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sql)
    }

    pub(super) fn notes(&self) -> Result<Vec<AnkiNote>, PackageError> {
        self.rows("SELECT id, guid, mid, flds, tags FROM notes", |row| {
            let fields: String = row.get(3)?;
            let tags: String = row.get(4)?;
            Ok(AnkiNote {
                id: row.get(0)?,
                guid: row.get(1)?,
                note_type: row.get(2)?,
                fields: fields.split('\x1f').map(str::to_string).collect(),
                tags: tags.split_whitespace().map(str::to_string).collect(),
            })
        })
    }

    pub(super) fn cards(&self) -> Result<Vec<AnkiCard>, PackageError> {
        self.rows("SELECT id, nid, did, ord, queue, mod FROM cards", |row| {
            Ok(AnkiCard {
                id: row.get(0)?,
                note: row.get(1)?,
                deck: row.get(2)?,
                ord: row.get(3)?,
                queue: row.get(4)?,
                modified_secs: row.get(5)?,
            })
        })
    }

    /// The review log in time order.
    pub(super) fn revlog(&self) -> Result<Vec<RevlogEntry>, PackageError> {
        self.rows(
            "SELECT id, cid, ease, type, factor, time FROM revlog ORDER BY id",
            |row| {
                Ok(RevlogEntry {
                    at_ms: row.get(0)?,
                    card: row.get(1)?,
                    ease: row.get(2)?,
                    kind: row.get(3)?,
                    factor: row.get(4)?,
                    taken_ms: row.get(5)?,
                })
            },
        )
    }

    fn rows<T>(
        &self,
        query: &str,
        read: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, PackageError> {
        let mut statement = self.conn.prepare(query).map_err(sql)?;
        let rows = statement.query_map([], read).map_err(sql)?;
        rows.collect::<rusqlite::Result<_>>().map_err(sql)
    }
}

/// Note types from the legacy `col.models` JSON: `{"id": {"name", "type", "flds"}}`, type 1
/// being cloze.
fn legacy_note_types(models: &str) -> Result<HashMap<i64, NoteType>, PackageError> {
    let models: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(models).map_err(|e| PackageError::Damaged {
            reason: format!("its note types cannot be read: {e}"),
        })?;
    Ok(models
        .iter()
        .filter_map(|(id, model)| {
            let fields = model["flds"]
                .as_array()
                .map(|fields| {
                    fields
                        .iter()
                        .filter_map(|f| f["name"].as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let note_type = NoteType {
                name: model["name"].as_str().unwrap_or_default().to_string(),
                cloze: model["type"].as_i64() == Some(1),
                fields,
            };
            Some((id.parse().ok()?, note_type))
        })
        .collect())
}

fn legacy_decks(decks: &str) -> HashMap<i64, String> {
    let decks: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(decks).unwrap_or_default();
    decks
        .iter()
        .filter_map(|(id, deck)| Some((id.parse().ok()?, deck["name"].as_str()?.to_string())))
        .collect()
}

/// Whether a schema-15 note type's config (a protocol-buffers message whose field 1 is the
/// kind, 1 for cloze) is a cloze type. Fields come in number order, and a kind of 0 is
/// left out, so a cloze type's config starts with field 1 set to 1.
fn is_cloze_config(config: &[u8]) -> bool {
    config.starts_with(&[0x08, 0x01])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_note_types_say_which_are_cloze() {
        let types = legacy_note_types(
            r#"{"1": {"name": "Basic", "type": 0, "flds": [{"name": "Front"}, {"name": "Back"}]},
                "2": {"name": "Cloze", "type": 1, "flds": [{"name": "Text"}]}}"#,
        )
        .unwrap();
        assert!(!types[&1].cloze);
        assert_eq!(types[&1].fields, ["Front", "Back"]);
        assert!(types[&2].cloze);
        assert!(is_cloze_config(&[0x08, 0x01, 0x1a, 0x00]));
        assert!(!is_cloze_config(&[0x1a, 0x00]));
    }
}
