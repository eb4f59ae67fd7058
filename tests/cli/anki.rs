//! `export --anki`: the package, opened the way Anki opens it (a zip with a SQLite
//! collection inside), checked note by note against the decks it came from.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

use lupus_quiz::deck::{CardContent, CardType};
use rusqlite::Connection;

use crate::support::{
    Test, TestEnv, assert_contains, assert_lacks, builtin_catalog, stderr_of, stdout_of,
};

pub(crate) const AFTER_THE_NOVEMBER_LOG: &str = "2026-11-20T09:00:00Z";

/// Runs the binary with a database and the test clock.
pub(crate) fn run(env: &TestEnv, now: &str, args: &[&str]) -> std::process::Output {
    Test::new(env).now(now).args(args).unchecked().run()
}

pub(crate) fn run_ok(env: &TestEnv, now: &str, args: &[&str]) -> String {
    let output = Test::new(env)
        .now(now)
        .args(args)
        .any_stdout()
        .any_stderr()
        .run();
    stdout_of(&output)
}

/// The collection of a package, after checking the archive holds exactly the legacy
/// collection and an empty media list.
pub(crate) fn open_package(env: &TestEnv, package: &Path) -> Connection {
    let file = std::fs::File::open(package).expect("the package exists");
    let mut archive = zip::ZipArchive::new(file).expect("the package is a zip archive");
    let mut names: Vec<String> = archive
        .file_names()
        .map(|name| name.expect("a readable name").into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["collection.anki21", "media"]);
    let mut media = String::new();
    archive
        .by_name("media")
        .unwrap()
        .read_to_string(&mut media)
        .unwrap();
    assert_eq!(media, "{}");
    let mut collection = Vec::new();
    archive
        .by_name("collection.anki21")
        .unwrap()
        .read_to_end(&mut collection)
        .unwrap();
    let path = env.path().join(format!(
        "{}.anki21",
        package.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&path, collection).unwrap();
    Connection::open(path).expect("the collection opens with SQLite")
}

/// One exported note with its card.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Exported {
    pub(crate) note_id: i64,
    pub(crate) card_id: i64,
    pub(crate) note_type: String,
    pub(crate) fields: Vec<String>,
    pub(crate) tags: Vec<String>,
    pub(crate) deck: String,
    pub(crate) card_type: i64,
    pub(crate) queue: i64,
    pub(crate) data: String,
}

/// Every note of the collection by GUID.
pub(crate) fn notes_by_guid(conn: &Connection) -> BTreeMap<String, Exported> {
    let json = |column: &str| -> serde_json::Value {
        let text: String = conn
            .query_row(&format!("SELECT {column} FROM col"), [], |row| row.get(0))
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let models = json("models");
    let decks = json("decks");
    let name_of = |table: &serde_json::Value, id: i64| {
        table[id.to_string()]["name"]
            .as_str()
            .unwrap_or_else(|| panic!("no entry {id}"))
            .to_string()
    };
    let mut statement = conn
        .prepare(
            "SELECT n.guid, n.id, c.id, n.mid, n.flds, n.tags, c.did, c.type, c.queue, c.data
             FROM notes n JOIN cards c ON c.nid = n.id",
        )
        .unwrap();
    let rows = statement
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                Exported {
                    note_id: row.get(1)?,
                    card_id: row.get(2)?,
                    note_type: name_of(&models, row.get(3)?),
                    fields: row
                        .get::<_, String>(4)?
                        .split('\x1f')
                        .map(str::to_string)
                        .collect(),
                    tags: row
                        .get::<_, String>(5)?
                        .split_whitespace()
                        .map(str::to_string)
                        .collect(),
                    deck: name_of(&decks, row.get(6)?),
                    card_type: row.get(7)?,
                    queue: row.get(8)?,
                    data: row.get(9)?,
                },
            ))
        })
        .unwrap();
    rows.map(Result::unwrap).collect()
}

fn count(conn: &Connection, table: &str) -> i64 {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |row| {
        row.get(0)
    })
    .unwrap()
}

fn expected_note_type(card_type: CardType) -> &'static str {
    match card_type {
        CardType::Flip => "Lupus quiz: front and back",
        CardType::Typed => "Lupus quiz: type the answer",
        CardType::Cloze => "Lupus quiz: cloze",
        _ => "Lupus quiz: options",
    }
}

#[test]
fn the_package_holds_one_note_per_card_with_its_type_fields_tags_deck_and_guid() {
    let env = TestEnv::new();
    let stdout = run_ok(
        &env,
        AFTER_THE_NOVEMBER_LOG,
        &["export", "--anki", "lupus.apkg"],
    );
    let catalog = builtin_catalog();
    assert!(
        stdout.starts_with(&format!(
            "wrote lupus.apkg: 7 decks under \"Lupus and stem cell therapy\", {} notes (one card each), all new\n",
            catalog.card_count()
        )),
        "{stdout}"
    );
    assert!(
        !env.path().join("progress.db").exists(),
        "without --with-progress the database is not opened"
    );
    let conn = open_package(&env, &env.path().join("lupus.apkg"));
    let notes = notes_by_guid(&conn);
    assert_eq!(notes.len(), catalog.card_count());
    assert_eq!(count(&conn, "notes"), catalog.card_count() as i64);
    assert_eq!(count(&conn, "cards"), catalog.card_count() as i64);
    assert_eq!(count(&conn, "revlog"), 0);
    let mut types_seen = HashMap::new();
    for (deck, card) in catalog.cards() {
        let guid = lupus_quiz::anki::note_guid(card.id.as_str());
        let note = notes
            .get(&guid)
            .unwrap_or_else(|| panic!("no note with the GUID of {}", card.id));
        assert_eq!(
            note.note_type,
            expected_note_type(card.card_type()),
            "{}",
            card.id
        );
        assert_eq!(
            note.fields.last().unwrap(),
            card.id.as_str(),
            "the Card ID field"
        );
        assert_eq!(
            note.deck,
            format!("Lupus and stem cell therapy::{}", deck.title)
        );
        assert_eq!(note.tags[0], format!("lupus-quiz::{}", deck.name));
        for tag in &card.tags {
            assert!(
                note.tags.contains(tag),
                "{}: {tag} in {:?}",
                card.id,
                note.tags
            );
        }
        assert_eq!(
            (note.card_type, note.queue),
            (0, 0),
            "{} arrives new",
            card.id
        );
        let note_type = lupus_quiz::anki::NOTE_TYPES
            .iter()
            .find(|t| t.name == note.note_type)
            .unwrap();
        assert_eq!(note.fields.len(), note_type.fields.len(), "{}", card.id);
        match &card.content {
            CardContent::Cloze { blanks, .. } => {
                assert_eq!(note.fields[0].matches("{{c1::").count(), blanks.len());
                assert!(
                    !note.fields[0].contains("{{c2::"),
                    "one card for all blanks"
                );
            }
            CardContent::Typed { answers, .. } => {
                assert_eq!(note.fields[1], answers[0].replace('\'', "&#39;"));
            }
            CardContent::Flip { front, .. } => {
                assert_eq!(
                    note.fields[0],
                    front.replace('\'', "&#39;").replace('"', "&quot;")
                );
            }
            _ => {}
        }
        *types_seen.entry(note.note_type.clone()).or_insert(0) += 1;
    }
    assert_eq!(types_seen.len(), 4, "{types_seen:?}");
    let deck_names: Vec<String> = notes.values().map(|n| n.deck.clone()).collect();
    for deck in &catalog.decks {
        assert!(deck_names.contains(&format!("Lupus and stem cell therapy::{}", deck.title)));
    }
}

#[test]
fn exporting_twice_gives_the_same_guids_and_ids() {
    let env = TestEnv::new();
    run_ok(
        &env,
        AFTER_THE_NOVEMBER_LOG,
        &["export", "--anki", "first.apkg"],
    );
    run_ok(
        &env,
        "2026-11-24T18:00:00Z",
        &["export", "--anki", "second.apkg"],
    );
    let ids = |name: &str| -> Vec<(String, i64, i64)> {
        notes_by_guid(&open_package(&env, &env.path().join(name)))
            .into_iter()
            .map(|(guid, note)| (guid, note.note_id, note.card_id))
            .collect()
    };
    let first = ids("first.apkg");
    assert_eq!(first.len(), builtin_catalog().card_count());
    assert_eq!(first, ids("second.apkg"));
}

/// Exports the user's deck `markup`, written from `yaml` in a new test folder, to the Anki
/// package `m.apkg`, and returns the folder and the package's path.
fn export_markup_deck(yaml: &str) -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    env.write("decks/markup.yaml", yaml);
    let decks = env.path().join("decks");
    run_ok(
        &env,
        AFTER_THE_NOVEMBER_LOG,
        &[
            "--decks",
            decks.to_str().unwrap(),
            "export",
            "--anki",
            "m.apkg",
            "--deck",
            "markup",
        ],
    );
    let package = env.path().join("m.apkg");
    (env, package)
}

#[test]
fn card_text_is_escaped_into_the_fields() {
    let (env, package) = export_markup_deck(
        "title: Markup <deck>\ndescription: Text that looks like HTML.\ncards:\n  - id: markup-flip\n    type: flip\n    front: Is <b>this</b> & \"that\" bold?\n    back: \"No: <script>alert(1)</script>\"\n    explanation: Card text is text.\n    source: Introduction\n    tags: [two words]\n",
    );
    let notes = notes_by_guid(&open_package(&env, &package));
    assert_eq!(notes.len(), 1);
    let note = &notes[&lupus_quiz::anki::note_guid("markup-flip")];
    assert_eq!(
        note.fields[0],
        "Is &lt;b&gt;this&lt;/b&gt; &amp; &quot;that&quot; bold?"
    );
    assert_eq!(note.fields[1], "No: &lt;script&gt;alert(1)&lt;/script&gt;");
    assert_eq!(note.deck, "Lupus and stem cell therapy::Markup <deck>");
    assert_eq!(note.tags, ["lupus-quiz::markup", "two_words"]);
}

#[test]
fn deck_selection_exports_only_the_decks_named_and_replaces_the_file_whole() {
    let env = TestEnv::new();
    env.write("two.apkg", "an older file, replaced whole");
    let stdout = run_ok(
        &env,
        AFTER_THE_NOVEMBER_LOG,
        &[
            "export", "--anki", "two.apkg", "--deck", "trials", "--deck", "hsct", "--deck", "hsct",
        ],
    );
    let leftovers: Vec<_> = std::fs::read_dir(env.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_contains(&stdout, ": 2 decks under");
    let catalog = builtin_catalog();
    let expected: usize = ["hsct", "trials"]
        .iter()
        .map(|name| catalog.deck(name).unwrap().cards.len())
        .sum();
    let notes = notes_by_guid(&open_package(&env, &env.path().join("two.apkg")));
    assert_eq!(notes.len(), expected);
    assert!(
        notes
            .values()
            .all(|n| n.tags[0] == "lupus-quiz::hsct" || n.tags[0] == "lupus-quiz::trials")
    );
}

#[test]
fn an_unknown_deck_is_refused_with_a_suggestion_and_nothing_is_written() {
    let env = TestEnv::new();
    let output = run(
        &env,
        AFTER_THE_NOVEMBER_LOG,
        &["export", "--anki", "x.apkg", "--deck", "hsc"],
    );
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert_contains(
        &stderr,
        "there is no deck named `hsc`; did you mean `hsct`?",
    );
    assert!(!env.path().join("x.apkg").exists());
}

#[test]
fn the_progress_database_its_backups_and_odd_names_are_refused() {
    let env = TestEnv::new();
    run_ok(&env, AFTER_THE_NOVEMBER_LOG, &["config"]);
    let db = env.db();
    let before = std::fs::read(&db).unwrap();
    let refused = |target: &Path, message: &str| {
        let output = run(
            &env,
            AFTER_THE_NOVEMBER_LOG,
            &["export", "--anki", target.to_str().unwrap()],
        );
        assert_eq!(output.status.code(), Some(1), "{}", target.display());
        let stderr = stderr_of(&output);
        assert!(stderr.contains(message), "{}: {stderr}", target.display());
    };
    refused(&db, "it is the progress database `");
    // The same file by another spelling.
    refused(
        &env.path().join("backups/../progress.db"),
        "it is the progress database `",
    );
    refused(
        &PathBuf::from("progress.db-wal"),
        "it is a journal file of the progress database `",
    );
    refused(
        &env.path().join("backups/today.apkg"),
        "it is in the backups folder `",
    );
    refused(&db, "choose another file, like `lupus.apkg`");
    refused(env.path(), "is a folder");
    refused(&env.path().join("lupus.zip"), "does not end in `.apkg`");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database is untouched"
    );
}

#[test]
fn the_anki_options_need_anki_and_exclude_the_json_ones() {
    let env = TestEnv::new();
    for args in [
        &["export", "--deck", "hsct"][..],
        &["export", "--with-progress"],
        &["export", "--anki", "a.apkg", "-o", "b.json"],
        &["export", "--anki", "a.apkg", "--reviews-csv"],
    ] {
        let output = run(&env, AFTER_THE_NOVEMBER_LOG, args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
    }
}

/// The number of FSRS parameters in the deck options the decks use, when those are not
/// Anki's defaults.
fn learner_options(conn: &Connection) -> Option<usize> {
    let text = |column: &str| -> serde_json::Value {
        let text: String = conn
            .query_row(&format!("SELECT {column} FROM col"), [], |row| row.get(0))
            .unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let (decks, options) = (text("decks"), text("dconf"));
    let used: Vec<i64> = decks
        .as_object()
        .unwrap()
        .values()
        .filter(|deck| deck["name"] != "Default")
        .map(|deck| deck["conf"].as_i64().unwrap())
        .collect();
    assert!(used.windows(2).all(|w| w[0] == w[1]), "one set of options");
    let chosen = &options[used[0].to_string()];
    (used[0] != 1).then(|| {
        assert_eq!(chosen["name"], "Lupus and stem cell therapy");
        chosen["fsrsParams6"].as_array().unwrap().len()
    })
}

/// Imports a review log of built-in cards (some graduate to review, some lapse into
/// relearning) into the test's database; returns the log's file.
pub(crate) fn import_review_log(env: &TestEnv) -> PathBuf {
    let catalog = builtin_catalog();
    let mut csv = String::from("card_id,review_rating,review_time,review_duration\n");
    for (i, (_, card)) in catalog.cards().step_by(9).take(12).enumerate() {
        let day = 1 + i % 9;
        for (minute, rating) in [(0, 3), (1, 3), (12, 3)] {
            csv.push_str(&format!(
                "{},{rating},2026-11-0{day}T10:{minute:02}:00Z,4000\n",
                card.id
            ));
        }
        if i % 3 == 0 {
            csv.push_str(&format!(
                "{},1,2026-11-1{}T18:30:00Z,9000\n",
                card.id,
                day % 9
            ));
        }
    }
    // One card answered once, still in its learning steps.
    let (_, learning) = catalog.cards().nth(1).unwrap();
    csv.push_str(&format!("{},3,2026-11-19T10:00:00Z,2500\n", learning.id));
    csv.push_str("no-such-card,3,2026-11-02T10:00:00Z,1000\n");
    let log = env.write("log.csv", csv);
    run_ok(
        env,
        AFTER_THE_NOVEMBER_LOG,
        &["import", log.to_str().unwrap()],
    );
    log
}

/// Imports [`import_review_log`]'s log and exports the decks with that progress as
/// `package`; returns the review log and what the export printed.
pub(crate) fn export_with_progress(env: &TestEnv, package: &str) -> (PathBuf, String) {
    let log = import_review_log(env);
    let stdout = run_ok(
        env,
        AFTER_THE_NOVEMBER_LOG,
        &["export", "--anki", package, "--with-progress"],
    );
    (log, stdout)
}

#[test]
fn with_progress_the_reviews_and_schedules_come_along_and_without_it_cards_are_new() {
    let env = TestEnv::new();
    let (log, stdout) = export_with_progress(&env, "p.apkg");
    let reviews_of_deck_cards = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with("no-such-card"))
        .count();
    assert!(
        stdout.contains(&format!(
            ", {reviews_of_deck_cards} reviews and the schedule of 13 cards\n"
        )),
        "{stdout}"
    );
    let conn = open_package(&env, &env.path().join("p.apkg"));
    assert_eq!(count(&conn, "revlog"), reviews_of_deck_cards as i64);
    let notes = notes_by_guid(&conn);
    let answered: Vec<&Exported> = notes.values().filter(|n| n.card_type != 0).collect();
    assert_eq!(answered.len(), 13);
    for note in &answered {
        let data: serde_json::Value = serde_json::from_str(&note.data).unwrap();
        assert!(data["s"].as_f64().unwrap() > 0.0, "{}", note.data);
        assert!(data["d"].as_f64().unwrap() >= 1.0, "{}", note.data);
    }
    let kinds: Vec<i64> = answered.iter().map(|n| n.card_type).collect();
    assert!(
        kinds.contains(&1) && kinds.contains(&2) && kinds.contains(&3),
        "{kinds:?}"
    );
    // Every review row belongs to an exported card and counts its time.
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM revlog WHERE cid NOT IN (SELECT id FROM cards) OR time <= 0",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    assert_eq!(
        learner_options(&conn),
        Some(21),
        "the learner's FSRS parameters"
    );

    run_ok(
        &env,
        AFTER_THE_NOVEMBER_LOG,
        &["export", "--anki", "plain.apkg"],
    );
    let conn = open_package(&env, &env.path().join("plain.apkg"));
    assert_eq!(learner_options(&conn), None, "Anki's default options only");
    assert_eq!(count(&conn, "revlog"), 0);
    assert!(notes_by_guid(&conn).values().all(|n| n.card_type == 0));
}

// Issue 24, item 21: `[sound:evil.mp3]` in a card played a file of the learner's media
// folder in Anki, and `[latex]` asked Anki to render LaTeX.
#[test]
fn anki_sound_and_latex_markup_in_deck_text_arrives_as_text() {
    let (env, package) = export_markup_deck(
        "title: Markup\ndescription: \"[sound:desc.mp3]\"\ncards:\n  - id: markup-flip\n    type: flip\n    front: What plays?\n    back: \"Nothing [sound:evil.mp3] plays\"\n    explanation: \"[latex]\\\\input{/etc/passwd}[/latex] and [$]x[/$]\"\n    source: Introduction\n",
    );
    let conn = open_package(&env, &package);
    let notes = notes_by_guid(&conn);
    let note = &notes[&lupus_quiz::anki::note_guid("markup-flip")];
    let fields = note.fields.join("\u{1f}");
    for markup in ["[sound:", "[latex]", "[/latex]", "[$]"] {
        assert!(!fields.contains(markup), "`{markup}` in {fields}");
    }
    assert_eq!(note.fields[1], "Nothing &#91;sound:evil.mp3&#93; plays");
    assert_contains(
        &fields,
        "&#91;latex&#93;\\input{/etc/passwd}&#91;/latex&#93;",
    );
    let decks_json: String = conn
        .query_row("SELECT decks FROM col", [], |row| row.get(0))
        .unwrap();
    assert_lacks(&decks_json, "[sound:");
}
