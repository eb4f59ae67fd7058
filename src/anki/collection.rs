//! The collection file inside the package: Anki's legacy schema (version 11), which every
//! current Anki and AnkiDroid imports. This SQL is Anki's format, not lupus-quiz's database,
//! so it lives here and not in `store`. The file is built in memory and handed over as
//! bytes.

use rusqlite::{Connection, MAIN_DB, params};
use serde_json::{Map, Value, json};

use crate::ids::CardId;

use super::html;
use super::ids::{IdAllocator, field_checksum, note_guid};
use super::notes::Note;
use super::notetypes;
use super::progress::{RevlogRow, Scheduling, Timing};

/// Anki's schema 11, as its legacy exports write it.
const SCHEMA: &str = "
CREATE TABLE col (
  id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL,
  conf text NOT NULL, models text NOT NULL, decks text NOT NULL, dconf text NOT NULL,
  tags text NOT NULL
);
CREATE TABLE notes (
  id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL,
  csum integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE cards (
  id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL,
  due integer NOT NULL, ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL,
  lapses integer NOT NULL, left integer NOT NULL, odue integer NOT NULL,
  odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL
);
CREATE TABLE revlog (
  id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL,
  time integer NOT NULL, type integer NOT NULL
);
CREATE TABLE graves (usn integer NOT NULL, oid integer NOT NULL, type integer NOT NULL);
CREATE INDEX ix_notes_usn ON notes (usn);
CREATE INDEX ix_cards_usn ON cards (usn);
CREATE INDEX ix_revlog_usn ON revlog (usn);
CREATE INDEX ix_cards_nid ON cards (nid);
CREATE INDEX ix_cards_sched ON cards (did, queue, due);
CREATE INDEX ix_revlog_cid ON revlog (cid);
CREATE INDEX ix_notes_csum ON notes (csum);
";

/// Anki's field separator inside `notes.flds`.
const FIELD_SEPARATOR: char = '\x1f';

/// The id of Anki's "Default" deck and deck options, which every collection has.
const DEFAULT_ID: i64 = 1;

/// A collection being filled.
pub(super) struct Collection {
    conn: Connection,
    modified_secs: i64,
    note_ids: IdAllocator,
    card_ids: IdAllocator,
    revlog_ids: IdAllocator,
    deck_ids: IdAllocator,
    decks: Map<String, Value>,
    /// The deck options the decks use.
    options_id: i64,
}

impl Collection {
    /// An empty collection; `modified_secs` is the modification time of everything in it,
    /// which is what makes Anki update the notes of an earlier import. The decks use
    /// `options` (a `dconf` entry) when given, else Anki's defaults.
    pub(super) fn new(
        modified_secs: i64,
        timing: &Timing,
        options: Option<Value>,
    ) -> rusqlite::Result<Collection> {
        let conn = Connection::open_in_memory()?;
        conn.execute_batch(SCHEMA)?;
        conn.execute_batch("BEGIN")?;
        let mut collection = Collection {
            conn,
            modified_secs,
            note_ids: IdAllocator::default(),
            card_ids: IdAllocator::default(),
            revlog_ids: IdAllocator::default(),
            deck_ids: IdAllocator::default(),
            decks: Map::new(),
            options_id: options
                .as_ref()
                .and_then(|o| o["id"].as_i64())
                .unwrap_or(DEFAULT_ID),
        };
        collection.deck_ids.claim(DEFAULT_ID);
        collection.insert_deck(DEFAULT_ID, "Default", "", 0, DEFAULT_ID);
        collection.conn.execute(
            "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, '{}', ?5, '{}')",
            params![
                timing.created_secs,
                modified_secs * 1000,
                config(timing).to_string(),
                models(modified_secs).to_string(),
                deck_options(options).to_string(),
            ],
        )?;
        Ok(collection)
    }

    /// Adds a deck by its full name (`Parent::Child`), returning its id.
    pub(super) fn add_deck(&mut self, name: &str, description: &str) -> i64 {
        let id = self.deck_ids.derived(&["lupus-quiz", "deck", name]);
        self.insert_deck(id, name, description, self.modified_secs, self.options_id);
        id
    }

    fn insert_deck(
        &mut self,
        id: i64,
        name: &str,
        description: &str,
        modified_secs: i64,
        options: i64,
    ) {
        let deck = json!({
            "id": id, "mod": modified_secs, "name": name, "usn": 0,
            "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
            "collapsed": false, "browserCollapsed": false, "desc": description, "dyn": 0,
            "conf": options, "extendNew": 0, "extendRev": 0,
        });
        self.decks.insert(id.to_string(), deck);
    }

    /// Adds the note of card `card_id` with its one card, returning the card's id.
    pub(super) fn add_note(
        &mut self,
        card_id: &CardId,
        note: &Note,
        deck_id: i64,
        scheduling: &Scheduling,
    ) -> rusqlite::Result<i64> {
        let note_id = self
            .note_ids
            .derived(&["lupus-quiz", "note", card_id.as_str()]);
        let sort_field = html::plain(&note.fields[0]);
        let tags = if note.tags.is_empty() {
            String::new()
        } else {
            format!(" {} ", note.tags.join(" "))
        };
        let fields = note.fields.join(&FIELD_SEPARATOR.to_string());
        self.conn
            .prepare_cached(
                "INSERT INTO notes (id, guid, mid, mod, usn, tags, flds, sfld, csum, flags, data)
                 VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, 0, '')",
            )?
            .execute(params![
                note_id,
                note_guid(card_id.as_str()),
                note.note_type.id,
                self.modified_secs,
                tags,
                fields,
                sort_field,
                field_checksum(&sort_field),
            ])?;
        let id = self
            .card_ids
            .derived(&["lupus-quiz", "card", card_id.as_str()]);
        let s = scheduling;
        self.conn
            .prepare_cached(
                "INSERT INTO cards (id, nid, did, ord, mod, usn, type, queue, due, ivl, factor,
                                    reps, lapses, left, odue, odid, flags, data)
                 VALUES (?1, ?2, ?3, 0, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, 0, 0, ?13)",
            )?
            .execute(params![
                id,
                note_id,
                deck_id,
                self.modified_secs,
                s.card_type,
                s.queue,
                s.due,
                s.interval,
                s.factor,
                s.reps,
                s.lapses,
                s.left,
                s.data,
            ])?;
        Ok(id)
    }

    /// Adds a review of card `card` to the review log. Its id is its time in milliseconds,
    /// moved on by one when another review has that time already.
    pub(super) fn add_review(&mut self, card: i64, row: &RevlogRow) -> rusqlite::Result<()> {
        let id = self.revlog_ids.claim(row.at_ms);
        self.conn
            .prepare_cached("INSERT INTO revlog VALUES (?1, ?2, 0, ?3, ?4, ?5, ?6, ?7, ?8)")?
            .execute(params![
                id,
                card,
                row.ease,
                row.interval,
                row.last_interval,
                row.factor,
                row.taken_ms,
                row.kind,
            ])?;
        Ok(())
    }

    /// The finished collection file.
    pub(super) fn into_bytes(self) -> rusqlite::Result<Vec<u8>> {
        let mut conn = self.conn;
        conn.execute(
            "UPDATE col SET decks = ?1",
            [Value::Object(self.decks).to_string()],
        )?;
        conn.execute_batch("COMMIT")?;
        Ok(conn.serialize(MAIN_DB)?.to_vec())
    }
}

/// The collection's settings: the v3 scheduler, and the day arithmetic of lupus-quiz (its
/// rollover hour and time zone), so Anki reads the due days as they were meant.
fn config(timing: &Timing) -> Value {
    json!({
        "schedVer": 2,
        "sched2021": true,
        "rollover": timing.rollover_hour(),
        "creationOffset": timing.created_minutes_west,
        "nextPos": 1,
        "curDeck": DEFAULT_ID,
        "activeDecks": [DEFAULT_ID],
        "newSpread": 0,
        "collapseTime": 1200,
        "timeLim": 0,
        "estTimes": true,
        "dueCounts": true,
        "curModel": notetypes::FLIP.id,
        "sortType": "noteFld",
        "sortBackwards": false,
        "addToCur": true,
        "dayLearnFirst": false,
    })
}

fn models(modified_secs: i64) -> Value {
    let models: Map<String, Value> = notetypes::ALL
        .iter()
        .map(|t| (t.id.to_string(), t.to_json(modified_secs)))
        .collect();
    Value::Object(models)
}

/// Anki's default deck options, and `extra` when given. Importing never replaces options
/// the learner already has with the same id, so their own settings stay.
fn deck_options(extra: Option<Value>) -> Value {
    let mut options = json!({ "1": {
        "id": DEFAULT_ID, "mod": 0, "name": "Default", "usn": 0, "maxTaken": 60,
        "autoplay": true, "timer": 0, "replayq": true, "dyn": false,
        "new": { "bury": false, "delays": [1.0, 10.0], "initialFactor": 2500,
                 "ints": [1, 4, 0], "order": 1, "perDay": 20 },
        "rev": { "bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500,
                 "perDay": 200, "hardFactor": 1.2 },
        "lapse": { "delays": [10.0], "leechAction": 1, "leechFails": 8, "minInt": 1,
                   "mult": 0.0 },
    }});
    if let Some(extra) = extra {
        let id = extra["id"].to_string();
        options[id] = extra;
    }
    options
}
