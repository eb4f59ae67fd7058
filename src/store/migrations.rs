//! Numbered schema migrations. Migration N brings `PRAGMA user_version` from N-1 to N; they
//! run in order, all in one IMMEDIATE transaction, so a failure leaves the file as it was.
//! Never edit a released migration: add a new one.

pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the review log (the truth), card states (a cache of it), settings, quiz results.
    r#"
    CREATE TABLE review_log (
        id          INTEGER PRIMARY KEY,
        card_id     TEXT    NOT NULL,
        deck        TEXT    NOT NULL,
        reviewed_at INTEGER NOT NULL,  -- milliseconds since the Unix epoch, UTC
        rating      INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        duration_ms INTEGER NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
        kind        TEXT    NOT NULL CHECK (kind IN ('learning', 'review', 'relearning')),
        UNIQUE (card_id, reviewed_at)
    );
    CREATE INDEX review_log_by_time ON review_log (reviewed_at);

    CREATE TABLE card_state (
        card_id     TEXT PRIMARY KEY NOT NULL,
        deck        TEXT    NOT NULL,
        state       TEXT    NOT NULL
                    CHECK (state IN ('new', 'learning', 'review', 'relearning', 'suspended')),
        phase       TEXT    NOT NULL  -- the scheduler's phase, kept while suspended
                    CHECK (phase IN ('new', 'learning', 'review', 'relearning')),
        due         INTEGER NOT NULL,
        stability   REAL    NOT NULL,
        difficulty  REAL    NOT NULL,
        reps        INTEGER NOT NULL,
        lapses      INTEGER NOT NULL,
        step        INTEGER NOT NULL,
        last_review INTEGER,
        leech       INTEGER NOT NULL DEFAULT 0
    ) WITHOUT ROWID;
    CREATE INDEX card_state_due_by_deck ON card_state (deck, due);
    CREATE INDEX card_state_due ON card_state (due);

    CREATE TABLE settings (
        key   TEXT PRIMARY KEY NOT NULL,
        value TEXT NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE quiz_result (
        id        INTEGER PRIMARY KEY,
        deck      TEXT    NOT NULL,
        taken_at  INTEGER NOT NULL,
        correct   INTEGER NOT NULL CHECK (correct >= 0),
        questions INTEGER NOT NULL CHECK (questions >= correct)
    );
    CREATE INDEX quiz_result_by_deck ON quiz_result (deck, taken_at);
    "#,
    // 2: review totals per 15-minute bucket of the UTC clock, kept with the log (see
    // `totals.rs`), so `stats` reads a year of activity as a few thousand rows instead of
    // scanning hundreds of thousands of reviews. 900000 ms is 15 minutes; the bucket is the
    // time divided by it, rounded down (also before 1970).
    r#"
    CREATE TABLE review_totals (
        bucket            INTEGER PRIMARY KEY,
        reviews           INTEGER NOT NULL,
        passed            INTEGER NOT NULL,  -- rated Hard or better
        duration_ms       INTEGER NOT NULL,
        review_reviews    INTEGER NOT NULL,  -- of kind 'review' (cards in review state)
        review_passed     INTEGER NOT NULL
    );
    INSERT INTO review_totals
    SELECT (reviewed_at - ((reviewed_at % 900000) + 900000) % 900000) / 900000,
           count(*), sum(rating >= 2), sum(duration_ms),
           sum(kind = 'review'), sum(kind = 'review' AND rating >= 2)
    FROM review_log GROUP BY 1;
    "#,
    // 3: what the learner does to cards by hand (suspend, unsuspend, forget), kept as
    // events beside the reviews so that a replay reproduces them; the state's own flag for
    // a card suspended by hand (apart from a leech); and daily limits of single decks.
    r#"
    CREATE TABLE card_event (
        id      INTEGER PRIMARY KEY,
        card_id TEXT    NOT NULL,
        deck    TEXT    NOT NULL,
        at      INTEGER NOT NULL,  -- milliseconds since the Unix epoch, UTC
        action  TEXT    NOT NULL CHECK (action IN ('suspend', 'unsuspend', 'forget')),
        UNIQUE (card_id, at)
    );
    CREATE INDEX card_event_by_time ON card_event (at);

    ALTER TABLE card_state ADD COLUMN suspended INTEGER NOT NULL DEFAULT 0;

    CREATE TABLE deck_setting (
        deck  TEXT NOT NULL,
        key   TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (deck, key)
    ) WITHOUT ROWID;
    "#,
    // 4: the state beside the due times in both due indexes, so that what a session asks
    // of them (which cards are due and where they stand; how many of a deck's cards that
    // are not suspended are due) is read from the index alone instead of every due card's
    // row (issue 18).
    r#"
    DROP INDEX card_state_due_by_deck;
    CREATE INDEX card_state_due_by_deck ON card_state (deck, due, state);
    DROP INDEX card_state_due;
    CREATE INDEX card_state_due ON card_state (due, state);
    "#,
    // 5: the learner's goal of being ready by a date (`lupus-quiz plan`, issue 29): one row
    // at most. The date is a calendar date, read as a study day; no deck and no tag is every
    // deck.
    r#"
    CREATE TABLE goal (
        id     INTEGER PRIMARY KEY CHECK (id = 1),
        date   TEXT    NOT NULL,  -- YYYY-MM-DD
        target REAL    NOT NULL CHECK (target > 0 AND target < 1),
        deck   TEXT,
        tag    TEXT,
        set_at INTEGER NOT NULL   -- milliseconds since the Unix epoch, UTC
    );
    "#,
    // 6: how many questions a quiz was to ask, beside how many it asked: a quiz ended early
    // (q, Ctrl-C, the end of input) has fewer `questions` than `planned`, is shown as ended
    // early and never counts as the deck's best (newcomer review 2, item 8). Earlier
    // results are taken as whole: nothing says otherwise.
    r#"
    ALTER TABLE quiz_result ADD COLUMN planned INTEGER;
    UPDATE quiz_result SET planned = questions;
    "#,
    // 7: a sync folder shared by several devices (issue 30). This device's id and folder,
    // and how far its own file has been written: the highest row of each kind appended
    // (a review undone is deleted, so the trigger below keeps the mark from pointing past
    // the log's last row, whose id SQLite would give again). The files of other devices
    // merged, each with the offset read up to. An answer undone, kept so that every device
    // drops it, and never takes it back from a file. `merged_from` names the device a row
    // came from through the folder (NULL: this device's own), so that no device writes
    // another's rows into its own file.
    r#"
    CREATE TABLE sync_folder (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        device      TEXT    NOT NULL,
        folder      TEXT,
        review_mark INTEGER NOT NULL DEFAULT 0,
        event_mark  INTEGER NOT NULL DEFAULT 0,
        quiz_mark   INTEGER NOT NULL DEFAULT 0,
        undo_mark   INTEGER NOT NULL DEFAULT 0,
        written     INTEGER NOT NULL DEFAULT 0  -- bytes of the own file after the last append
    );
    CREATE TABLE sync_merged (
        path      TEXT PRIMARY KEY NOT NULL,
        device    TEXT    NOT NULL,
        offset    INTEGER NOT NULL,  -- bytes read, up to the end of the last complete record
        merged_at INTEGER NOT NULL   -- milliseconds since the Unix epoch, UTC
    ) WITHOUT ROWID;
    CREATE TABLE undone_review (
        id          INTEGER PRIMARY KEY,
        card_id     TEXT    NOT NULL,
        reviewed_at INTEGER NOT NULL,
        merged_from TEXT,
        UNIQUE (card_id, reviewed_at)
    );
    ALTER TABLE review_log ADD COLUMN merged_from TEXT;
    ALTER TABLE card_event ADD COLUMN merged_from TEXT;
    ALTER TABLE quiz_result ADD COLUMN merged_from TEXT;
    CREATE TRIGGER review_log_keeps_sync_mark AFTER DELETE ON review_log
    WHEN old.id >= (SELECT review_mark FROM sync_folder)
    BEGIN
        UPDATE sync_folder SET review_mark = (SELECT coalesce(max(id), 0) FROM review_log)
        WHERE review_mark > (SELECT coalesce(max(id), 0) FROM review_log);
    END;
    "#,
    // 8: the filters of `cards` that the store answers (issue 31): `--state` (and the
    // leech flag beside it, so the dashboard counts the suspended cards and the leeches from
    // the index alone), and `--min-lapses`.
    r#"
    CREATE INDEX card_state_by_state ON card_state (state, leech);
    CREATE INDEX card_state_by_lapses ON card_state (lapses);
    "#,
    // 9: what the dashboard needs to count each deck's cards in SQL, deck by deck, without
    // handing every stored card to the program (issue 31). The deck column of a state is
    // made trustworthy against the catalog (see `deck_check.rs`): `unchecked_card` lists the
    // states written or moved since the last check, `stray_card` the states stored under a
    // deck that no longer holds them (their deck column is kept: it names where they were
    // last studied), `catalog_stamp` the catalog they were checked against. The triggers
    // keep `deck_card_count` (how many states each deck column names, and how many of them
    // are out of rotation) and `unchecked_card` with every write, whoever makes it: a
    // session, an import, a sync merge, a replay (never with OR IGNORE: a trigger takes the
    // conflict rule of the statement that fired it, an upsert's ABORT). The (deck, state, due) index counts a
    // deck's due reviews, due steps and forgotten cards as three ranges of index entries,
    // with no expression evaluated on each.
    r#"
    CREATE TABLE deck_card_count (
        deck       TEXT PRIMARY KEY NOT NULL,
        cards      INTEGER NOT NULL,
        by_learner INTEGER NOT NULL,  -- suspended by the learner
        leeches    INTEGER NOT NULL   -- suspended as leeches
    ) WITHOUT ROWID;
    INSERT INTO deck_card_count
    SELECT deck, count(*), sum(state = 'suspended' AND NOT leech), sum(state = 'suspended' AND leech)
    FROM card_state GROUP BY deck;
    CREATE TABLE unchecked_card (card_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
    INSERT INTO unchecked_card SELECT card_id FROM card_state;
    CREATE TABLE stray_card (card_id TEXT PRIMARY KEY NOT NULL) WITHOUT ROWID;
    CREATE TABLE catalog_stamp (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        stamp TEXT NOT NULL
    );
    CREATE INDEX card_state_by_deck_state ON card_state (deck, state, due);
    CREATE TRIGGER card_state_counted AFTER INSERT ON card_state
    BEGIN
        INSERT INTO deck_card_count SELECT new.deck, 0, 0, 0
        WHERE NOT EXISTS (SELECT 1 FROM deck_card_count WHERE deck = new.deck);
        UPDATE deck_card_count SET cards = cards + 1,
            by_learner = by_learner + (new.state = 'suspended' AND NOT new.leech),
            leeches = leeches + (new.state = 'suspended' AND new.leech)
        WHERE deck = new.deck;
        INSERT INTO unchecked_card SELECT new.card_id
        WHERE NOT EXISTS (SELECT 1 FROM unchecked_card WHERE card_id = new.card_id);
    END;
    CREATE TRIGGER card_state_uncounted AFTER DELETE ON card_state
    BEGIN
        UPDATE deck_card_count SET cards = cards - 1,
            by_learner = by_learner - (old.state = 'suspended' AND NOT old.leech),
            leeches = leeches - (old.state = 'suspended' AND old.leech)
        WHERE deck = old.deck;
        DELETE FROM unchecked_card WHERE card_id = old.card_id;
        DELETE FROM stray_card WHERE card_id = old.card_id;
    END;
    CREATE TRIGGER card_state_recounted AFTER UPDATE OF deck, state, leech ON card_state
    WHEN old.deck IS NOT new.deck OR old.state IS NOT new.state OR old.leech IS NOT new.leech
    BEGIN
        UPDATE deck_card_count SET cards = cards - 1,
            by_learner = by_learner - (old.state = 'suspended' AND NOT old.leech),
            leeches = leeches - (old.state = 'suspended' AND old.leech)
        WHERE deck = old.deck;
        INSERT INTO deck_card_count SELECT new.deck, 0, 0, 0
        WHERE NOT EXISTS (SELECT 1 FROM deck_card_count WHERE deck = new.deck);
        UPDATE deck_card_count SET cards = cards + 1,
            by_learner = by_learner + (new.state = 'suspended' AND NOT new.leech),
            leeches = leeches + (new.state = 'suspended' AND new.leech)
        WHERE deck = new.deck;
        INSERT INTO unchecked_card SELECT new.card_id
        WHERE old.deck IS NOT new.deck
          AND NOT EXISTS (SELECT 1 FROM unchecked_card WHERE card_id = new.card_id);
    END;
    "#,
];

/// The schema version this build of lupus-quiz writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
