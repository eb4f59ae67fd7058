//! `import FILE.apkg` / `FILE.colpkg`: what was done in Anki comes back. The packages are
//! made as Anki makes them: our own export, changed the way Anki changes a collection
//! (answers in its review log, a reset card, a suspended card, notes of its own), then
//! packed in the legacy layout (`collection.anki21`) or the current one
//! (`collection.anki21b`, zstd, with `meta`, schema 18).

use std::io::Write;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};
use zip::write::SimpleFileOptions;

use crate::anki::{run, run_ok};
use crate::support::{Test, TestEnv, assert_contains, builtin_catalog, stderr_of, stdout_of};

const AFTER_ANKI: &str = "2026-11-23T09:00:00Z";

/// Milliseconds of an RFC 3339 time.
fn ms(time: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(time)
        .unwrap()
        .timestamp_millis()
}

/// A new test folder with our export with progress, unpacked into `ours.apkg.anki21` of
/// the folder: the folder, the collection's path and the collection, open.
fn exported_collection() -> (TestEnv, PathBuf, Connection) {
    let env = TestEnv::new();
    crate::anki::export_with_progress(&env, "ours.apkg");
    let conn = crate::anki::open_package(&env, &env.path().join("ours.apkg"));
    let path = env.path().join("ours.apkg.anki21");
    (env, path, conn)
}

/// Anki's card id of our card `card_id`.
fn anki_card(conn: &Connection, card_id: &str) -> i64 {
    conn.query_row(
        "SELECT cards.id FROM cards JOIN notes ON notes.id = cards.nid WHERE notes.guid = ?1",
        [lupus_quiz::anki::note_guid(card_id)],
        |row| row.get(0),
    )
    .unwrap()
}

/// A row of Anki's review log: button, kind, factor.
fn revlog(conn: &Connection, card: i64, at: &str, (ease, kind, factor): (i64, i64, i64)) {
    conn.execute(
        "INSERT INTO revlog VALUES (?1, ?2, 0, ?3, 1, 0, ?4, 6000, ?5)",
        params![ms(at), card, ease, factor, kind],
    )
    .unwrap();
}

/// The ids of the first cards of the built-in decks (in the review log or not).
fn card_ids(n: usize) -> Vec<String> {
    builtin_catalog()
        .cards()
        .step_by(9)
        .take(n)
        .map(|(_, card)| card.id.to_string())
        .collect()
}

/// Answers, a reset card, a changed due date and a suspension, as Anki would record them.
/// Returns the cards answered.
fn study_in_anki(conn: &Connection) -> Vec<String> {
    let ids = card_ids(4);
    let cards: Vec<i64> = ids.iter().map(|id| anki_card(conn, id)).collect();
    revlog(conn, cards[0], "2026-11-21T10:00:00Z", (3, 1, 500));
    revlog(conn, cards[0], "2026-11-22T10:00:00Z", (1, 1, 600));
    revlog(conn, cards[1], "2026-11-21T10:05:00Z", (3, 1, 500));
    revlog(conn, cards[1], "2026-11-21T10:06:00Z", (3, 1, 500));
    revlog(conn, cards[1], "2026-11-22T10:06:00Z", (4, 1, 500));
    // Reset (forget), then a due date set by hand: not an answer.
    revlog(conn, cards[2], "2026-11-22T12:00:00Z", (0, 4, 0));
    revlog(conn, cards[2], "2026-11-22T12:01:00Z", (0, 4, 2500));
    conn.execute(
        "UPDATE cards SET queue = -1, mod = ?2 WHERE id = ?1",
        params![cards[3], ms("2026-11-22T13:00:00Z") / 1000],
    )
    .unwrap();
    ids
}

/// Packs `collection` as a legacy package.
fn legacy_package(env: &TestEnv, name: &str, collection: &Path) -> PathBuf {
    let path = env.path().join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = SimpleFileOptions::default();
    zip.start_file("collection.anki21", options).unwrap();
    zip.write_all(&std::fs::read(collection).unwrap()).unwrap();
    zip.start_file("media", options).unwrap();
    zip.write_all(b"{}").unwrap();
    zip.finish().unwrap();
    path
}

/// Packs `collection`, brought to schema 18 as Anki 2.1.50+ keeps it, in the current layout:
/// `collection.anki21b` zstd-compressed and stored, `meta` saying version 3, and the
/// placeholder `collection.anki2` that tells older Ankis to update.
fn latest_package(env: &TestEnv, name: &str, collection: &Path) -> PathBuf {
    let copy = env.path().join(format!("{name}.anki21b-plain"));
    std::fs::copy(collection, &copy).unwrap();
    to_schema_18(&Connection::open(&copy).unwrap());
    let compressed = zstd::encode_all(&std::fs::read(&copy).unwrap()[..], 3).unwrap();
    let path = env.path().join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("collection.anki2", stored).unwrap();
    zip.write_all(b"please update to the latest Anki").unwrap();
    zip.start_file("collection.anki21b", stored).unwrap();
    zip.write_all(&compressed).unwrap();
    zip.start_file("media", stored).unwrap();
    zip.write_all(&zstd::encode_all(&b""[..], 3).unwrap())
        .unwrap();
    zip.start_file("meta", stored).unwrap();
    zip.write_all(&[0x08, 0x03]).unwrap();
    zip.finish().unwrap();
    path
}

/// Note types, their fields and decks in tables of their own, as schema 15 on keeps them.
fn to_schema_18(conn: &Connection) {
    conn.execute_batch(
        "CREATE TABLE notetypes (id integer PRIMARY KEY, name text, mtime_secs integer,
                                 usn integer, config blob);
         CREATE TABLE fields (ntid integer, ord integer, name text, config blob);
         CREATE TABLE decks (id integer PRIMARY KEY, name text, mtime_secs integer,
                             usn integer, common blob, kind blob);",
    )
    .unwrap();
    let json = |column: &str| -> serde_json::Map<String, serde_json::Value> {
        let text: String = conn
            .query_row(&format!("SELECT {column} FROM col"), [], |row| row.get(0))
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    for (id, model) in json("models") {
        let config: &[u8] = if model["type"] == 1 {
            &[0x08, 0x01]
        } else {
            &[]
        };
        conn.execute(
            "INSERT INTO notetypes VALUES (?1, ?2, 0, 0, ?3)",
            params![id.parse::<i64>().unwrap(), model["name"].as_str(), config],
        )
        .unwrap();
        for (ord, field) in model["flds"].as_array().unwrap().iter().enumerate() {
            conn.execute(
                "INSERT INTO fields VALUES (?1, ?2, ?3, x'')",
                params![
                    id.parse::<i64>().unwrap(),
                    ord as i64,
                    field["name"].as_str()
                ],
            )
            .unwrap();
        }
    }
    for (id, deck) in json("decks") {
        let name = deck["name"].as_str().unwrap().replace("::", "\x1f");
        conn.execute(
            "INSERT INTO decks VALUES (?1, ?2, 0, 0, x'', x'')",
            params![id.parse::<i64>().unwrap(), name],
        )
        .unwrap();
    }
    conn.execute_batch("UPDATE col SET ver = 18, models = '', decks = ''")
        .unwrap();
}

fn import(env: &TestEnv, package: &Path) -> String {
    run_ok(env, AFTER_ANKI, &["import", package.to_str().unwrap()])
}

/// The reviews of `card` in our log, as (time in ms, rating).
fn reviews_of(env: &TestEnv, card: &str) -> Vec<(i64, u64)> {
    let export: serde_json::Value =
        serde_json::from_str(&run_ok(env, AFTER_ANKI, &["export"])).unwrap();
    export["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|review| review["card"] == card)
        .map(|review| {
            (
                ms(review["at"].as_str().unwrap()),
                review["rating"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn doctor_is_clean(env: &TestEnv) {
    let output = run(env, AFTER_ANKI, &["doctor"]);
    assert!(
        output.status.success(),
        "doctor: {}{}",
        stdout_of(&output),
        stderr_of(&output)
    );
}

#[test]
fn answers_in_anki_come_back_once_from_either_layout_and_a_second_import_adds_nothing() {
    let (env, collection, conn) = exported_collection();
    let exported: i64 = conn
        .query_row("SELECT count(*) FROM revlog", [], |row| row.get(0))
        .unwrap();
    let ids = study_in_anki(&conn);
    drop(conn);
    let legacy = legacy_package(&env, "anki.apkg", &collection);
    let latest = latest_package(&env, "anki.colpkg", &collection);
    let before = reviews_of(&env, &ids[0]).len();

    let first = import(&env, &legacy);
    assert!(
        first.contains(&format!(
            "reviews: 5 added, {exported} already present (skipped); 4 cards rescheduled"
        )),
        "{first}"
    );
    assert_contains(
        &first,
        "events: 2 forget, suspend or unsuspend actions added",
    );
    assert_contains(&first, "1 due date set or rescheduled in Anki");
    let of_first = reviews_of(&env, &ids[0]);
    assert_eq!(of_first.len(), before + 2);
    assert!(of_first.contains(&(ms("2026-11-22T10:00:00Z"), 1)));
    doctor_is_clean(&env);
    let progress = |env: &TestEnv| {
        let export: serde_json::Value =
            serde_json::from_str(&run_ok(env, AFTER_ANKI, &["export"])).unwrap();
        [
            export["cards"].clone(),
            export["reviews"].clone(),
            export["events"].clone(),
        ]
    };
    let after_first = progress(&env);

    for again in [&latest, &legacy] {
        let report = import(&env, again);
        assert!(
            report.contains(&format!(
                "reviews: 0 added, {} already present (skipped)",
                exported + 5
            )),
            "{report}"
        );
        assert_contains(&report, "events: 0 forget");
        assert_eq!(progress(&env), after_first);
    }
    doctor_is_clean(&env);
}

#[test]
fn a_card_reset_in_anki_is_forgotten_and_one_suspended_there_is_suspended_here() {
    let (env, collection, conn) = exported_collection();
    let ids = study_in_anki(&conn);
    drop(conn);
    import(&env, &legacy_package(&env, "anki.apkg", &collection));
    let export: serde_json::Value =
        serde_json::from_str(&run_ok(&env, AFTER_ANKI, &["export"])).unwrap();
    let events: Vec<(String, String)> = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["card"].as_str().unwrap().to_string(),
                e["action"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        events,
        [
            (ids[2].clone(), "forget".to_string()),
            (ids[3].clone(), "suspend".to_string())
        ]
    );
    let card = |id: &str| {
        export["cards"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(card(&ids[2])["state"], "new", "{}", card(&ids[2]));
    assert_eq!(card(&ids[3])["state"], "suspended", "{}", card(&ids[3]));
}

#[test]
fn a_dry_run_reports_what_would_come_back_and_leaves_the_database_byte_identical() {
    let (env, collection, conn) = exported_collection();
    study_in_anki(&conn);
    drop(conn);
    let package = legacy_package(&env, "anki.apkg", &collection);
    let db = env.db();
    let before = std::fs::read(&db).unwrap();
    let report = run_ok(
        &env,
        AFTER_ANKI,
        &["import", package.to_str().unwrap(), "--dry-run"],
    );
    assert_contains(&report, "reviews: 5 would be added");
    assert_contains(&report, "dry run: nothing was written");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// Adds Anki's Basic and Cloze note types and three notes of them, with HTML and media,
/// in the deck "Spanish::Verbs".
fn add_notes_of_anki(conn: &Connection) {
    let models: String = conn
        .query_row("SELECT models FROM col", [], |row| row.get(0))
        .unwrap();
    let mut models: serde_json::Value = serde_json::from_str(&models).unwrap();
    models["100"] = serde_json::json!({"id": 100, "name": "Basic", "type": 0,
        "flds": [{"name": "Front", "ord": 0}, {"name": "Back", "ord": 1}]});
    models["200"] = serde_json::json!({"id": 200, "name": "Cloze", "type": 1,
        "flds": [{"name": "Text", "ord": 0}, {"name": "Back Extra", "ord": 1}]});
    let decks: String = conn
        .query_row("SELECT decks FROM col", [], |row| row.get(0))
        .unwrap();
    let mut decks: serde_json::Value = serde_json::from_str(&decks).unwrap();
    decks["300"] = serde_json::json!({"id": 300, "name": "Spanish::Verbs"});
    conn.execute(
        "UPDATE col SET models = ?1, decks = ?2",
        params![models.to_string(), decks.to_string()],
    )
    .unwrap();
    let notes = [
        (
            1,
            "Ab1",
            100,
            "<b>hablar</b>\x1fto speak<img src=\"speak.png\">",
        ),
        (2, "Cd2", 100, "[sound:comer.mp3]\x1fto eat"),
        (
            3,
            "Ef3",
            200,
            "<div>{{c1::Yo}} {{c2::hablo::verb}} &amp; como</div>\x1fPresent tense",
        ),
    ];
    for (id, guid, model, fields) in notes {
        conn.execute(
            "INSERT INTO notes VALUES (?1, ?2, ?3, 0, 0, ' spanish ', ?4, '', 0, 0, '')",
            params![id, guid, model, fields],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO cards VALUES (?1, ?2, 300, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, '')",
            params![id + 1000, id],
        )
        .unwrap();
    }
}

#[test]
fn notes_not_ours_are_reported_and_only_as_deck_writes_them_as_a_deck_check_accepts() {
    let (env, collection, conn) = exported_collection();
    add_notes_of_anki(&conn);
    drop(conn);
    let package = latest_package(&env, "spanish.apkg", &collection);
    let decks = env.path().join("decks");
    std::fs::create_dir(&decks).unwrap();
    let plain = Test::new(&env)
        .now(AFTER_ANKI)
        .own_decks()
        .args(["import", package.to_str().unwrap()])
        .any_stdout()
        .run();
    assert_contains(
        &stdout_of(&plain),
        "3 notes not from lupus-quiz, not imported (--as-deck NAME writes them as a deck)",
    );
    assert!(!decks.join("spanish.yaml").exists());

    let as_deck = |expected: &str| {
        let output = Test::new(&env)
            .now(AFTER_ANKI)
            .own_decks()
            .args(["import", package.to_str().unwrap(), "--as-deck", "spanish"])
            .any_stdout()
            .run();
        assert!(
            stdout_of(&output).contains(expected),
            "{}",
            stdout_of(&output)
        );
    };
    as_deck("3 notes not from lupus-quiz: deck `spanish` of 3 cards, written to");
    as_deck("left out: 1 note with no text to ask or answer, 2 images, sounds or videos");
    let yaml = std::fs::read_to_string(decks.join("spanish.yaml")).unwrap();
    assert_contains(&yaml, "front: hablar");
    assert_contains(&yaml, "back: to speak");
    assert_contains(&yaml, "text: '{{Yo}} hablo & como'");
    assert_contains(&yaml, "text: Yo {{hablo}} & como");
    assert_contains(&yaml, "source: 'Anki deck: Spanish::Verbs'");
    as_deck("already there, unchanged");
    Test::new(&env)
        .own_decks()
        .args(["check", decks.join("spanish.yaml").to_str().unwrap()])
        .stdout("ok: 1 deck, 3 cards\n")
        .run();
}

/// Replaces the size a zip archive declares for its member `name` (in the local header and
/// the central directory) with `size`, as a zip bomb's header may.
fn declare_size(archive: &mut [u8], size: u32) {
    for (signature, offset) in [(b"PK\x03\x04", 22), (b"PK\x01\x02", 24)] {
        let at = archive
            .windows(4)
            .position(|w| w == signature)
            .expect("a header");
        archive[at + offset..at + offset + 4].copy_from_slice(&size.to_le_bytes());
    }
}

/// A zstd frame that declares 2^40 bytes of content.
fn zstd_bomb() -> Vec<u8> {
    let mut frame = vec![0x28, 0xb5, 0x2f, 0xfd, 0xe0];
    frame.extend((1u64 << 40).to_le_bytes());
    frame.extend([0x01, 0x00, 0x00]);
    frame
}

fn zip_of(env: &TestEnv, name: &str, members: &[(&str, Vec<u8>)]) -> PathBuf {
    let path = env.path().join(name);
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (member, bytes) in members {
        zip.start_file(*member, stored).unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
    path
}

#[test]
fn bad_packages_are_refused_with_a_reason_and_the_database_stays_byte_identical() {
    let (env, collection, conn) = exported_collection();
    let card = anki_card(&conn, &card_ids(1)[0]);
    drop(conn);
    let sqlite = std::fs::read(&collection).unwrap();
    let changed = |name: &str, sql: &str| {
        let path = env.path().join(name);
        std::fs::write(&path, &sqlite).unwrap();
        Connection::open(&path).unwrap().execute_batch(sql).unwrap();
        std::fs::read(&path).unwrap()
    };
    let mut bomb = std::fs::read(zip_of(
        &env,
        "b.apkg",
        &[("collection.anki21", vec![0; 64])],
    ))
    .unwrap();
    declare_size(&mut bomb, 0xffff_fff0);
    let cases: Vec<(PathBuf, &str)> = vec![
        (
            env.write("text.apkg", "not a zip"),
            "it is not a zip archive",
        ),
        (
            env.write("bomb.apkg", bomb),
            "unpacks to more than 1073741824 bytes",
        ),
        (
            zip_of(
                &env,
                "zbomb.apkg",
                &[("meta", vec![8, 3]), ("collection.anki21b", zstd_bomb())],
            ),
            "unpacks to more than 1073741824 bytes",
        ),
        (
            zip_of(&env, "empty.apkg", &[("media", b"{}".to_vec())]),
            "`collection.anki2` is missing",
        ),
        (
            zip_of(
                &env,
                "new.apkg",
                &[("meta", vec![8, 9]), ("collection.anki21b", vec![])],
            ),
            "made by a newer Anki (package version 9)",
        ),
        (
            zip_of(
                &env,
                "schema.apkg",
                &[("collection.anki21", changed("s", "UPDATE col SET ver = 99"))],
            ),
            "schema version 99",
        ),
        (
            zip_of(
                &env,
                "ease.apkg",
                &[(
                    "collection.anki21",
                    changed(
                        "e",
                        &format!(
                            "INSERT INTO revlog VALUES (1779000000000, {card}, 0, 7, 1, 0, 0, 100, 1)"
                        ),
                    ),
                )],
            ),
            "impossible entry (id 1779000000000): button 7",
        ),
        (
            zip_of(&env, "noise.apkg", &[("collection.anki21", vec![7; 4096])]),
            "is not an Anki collection",
        ),
    ];
    let db = env.db();
    let before = std::fs::read(&db).unwrap();
    for (package, expected) in cases {
        let output = run(&env, AFTER_ANKI, &["import", package.to_str().unwrap()]);
        assert_eq!(output.status.code(), Some(1), "{}", package.display());
        assert!(
            stderr_of(&output).contains(expected),
            "{}: {}",
            package.display(),
            stderr_of(&output)
        );
        assert_eq!(std::fs::read(&db).unwrap(), before, "{}", package.display());
    }
}

#[test]
fn the_unpacked_collection_is_removed_after_an_import() {
    let (env, collection, conn) = exported_collection();
    drop(conn);
    let package = latest_package(&env, "anki.colpkg", &collection);
    let temp = env.path().join("tmp");
    std::fs::create_dir(&temp).unwrap();
    Test::new(&env)
        .now(AFTER_ANKI)
        .env("TMPDIR", &temp)
        .args(["import", package.to_str().unwrap()])
        .any_stdout()
        .run();
    assert_eq!(std::fs::read_dir(&temp).unwrap().count(), 0);
}
