//! Bad database files are refused untouched, `doctor` finds and repairs what can go wrong
//! inside a good one, and automatic backups rotate (issue 8, points 3, 4 and 5).

use std::collections::BTreeMap;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::hardening::{assert_states_equal_replay, export, reviews, run_ok};
use crate::support::command;
use crate::support::{
    TEST_NOW, Test, TestEnv, assert_contains, assert_ends_with, assert_starts_with, small_deck,
    stderr_of, stdout_of,
};

/// A hash of a file's bytes, so that a failed comparison prints numbers, not megabytes.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every file below `dir` with its length and hash.
pub(crate) fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (usize, u64)> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path, (bytes.len(), fnv1a(&bytes)));
            }
        }
    }
    files
}

/// A new test folder with the database of [`real_database_in_bad`].
fn with_real_database_in_bad() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let db = real_database_in_bad(&env);
    (env, db)
}

/// A copy of a [`real_database`] as `bad/progress.db`, for a test to damage or lock.
fn real_database_in_bad(env: &TestEnv) -> PathBuf {
    let real = real_database(env, "real.db");
    std::fs::create_dir_all(env.path().join("bad")).unwrap();
    let db = env.path().join("bad/progress.db");
    std::fs::copy(&real, &db).unwrap();
    db
}

/// A real lupus-quiz database with a few reviews, in `dir`.
fn real_database(env: &TestEnv, name: &str) -> PathBuf {
    let db = env.path().join(name);
    let csv = env.write(
        &format!("{name}.csv"),
        "card,at,rating\nhsct-hsc-term,2026-02-27T09:00:00Z,3\nhsct-hsc-term,2026-02-28T09:00:00Z,3\nbasics-lupus-definition,2026-02-28T10:00:00Z,1\n",
    );
    run_ok(env, &db, &["import", csv.to_str().unwrap()]);
    std::fs::remove_file(csv).unwrap();
    db
}

fn sqlite_file(path: &Path, setup: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute_batch(setup).unwrap();
}

/// Damages the log's time index without touching its entries: its definition now says it
/// holds `columns`, so SQLite's integrity check finds the entries wrong.
fn redefine_time_index(db: &Path, columns: &str) {
    sqlite_file(
        db,
        &format!(
            "PRAGMA journal_mode = DELETE; PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE INDEX review_log_by_time ON review_log ({columns})'
             WHERE name = 'review_log_by_time';"
        ),
    );
}

/// Runs a command that would write (a study session) and one that reads (export) on a bad
/// file: both fail with exactly `message` (`{db}` in it standing for the database's path),
/// and nothing in the folder changes.
fn refused_untouched(env: &TestEnv, db: &Path, message: &str) {
    let message = &message.replace("{db}", &db.display().to_string());
    let folder = db.parent().unwrap();
    let before = snapshot(folder);
    for args in [&["study", "hsct", "--plain"][..], &["export"]] {
        let mut command = command(env, db, TEST_NOW, args);
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stdout_of(&output));
        assert_eq!(stderr_of(&output), format!("error: {message}\n"));
        assert_eq!(snapshot(folder), before, "`{}` changed", db.display());
    }
}

// 3. Bad databases.

#[test]
fn an_empty_file_is_refused_untouched() {
    let env = TestEnv::new();
    let db = env.write("bad/progress.db", "");
    refused_untouched(
        &env,
        &db,
        "`{db}` is an empty file, not a lupus-quiz database; it was left untouched: delete it to start afresh there, or pass another path with --db",
    );
}

#[test]
fn random_bytes_are_refused_untouched() {
    let env = TestEnv::new();
    let mut state = 0x2545_f491_u64;
    let bytes: Vec<u8> = (0..8192)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect();
    let db = env.write("bad/progress.db", &bytes);
    refused_untouched(
        &env,
        &db,
        "`{db}` is not a lupus-quiz database (it is not an SQLite file at all); it was left untouched: pass another path with --db, or move the file away",
    );
}

#[test]
fn a_database_cut_in_half_is_refused_untouched() {
    let env = TestEnv::new();
    let real = real_database(&env, "real.db");
    let bytes = std::fs::read(&real).unwrap();
    assert!(bytes.len() >= 8192, "{} bytes", bytes.len());
    let db = env.write("bad/progress.db", &bytes[..bytes.len() / 2]);
    refused_untouched(
        &env,
        &db,
        &format!(
            "`{}` is damaged or not a database (database disk image is malformed); lupus-quiz writes nothing more to it: no backup of it exists yet (one is taken each day in `{}`); `lupus-quiz export -o rescue.json` saves what can still be read; `lupus-quiz doctor` lists what it still holds (or pass another path with --db)",
            db.display(),
            env.path().join("bad/backups").display()
        ),
    );
}

#[test]
fn another_programs_database_is_refused_untouched() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.path().join("bad")).unwrap();
    let db = env.path().join("bad/contacts.db");
    sqlite_file(
        &db,
        "CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('ann');",
    );
    refused_untouched(
        &env,
        &db,
        "`{db}` is a database of another program; it was left untouched: pass another path with --db",
    );
}

#[test]
fn a_database_from_a_newer_lupus_quiz_is_refused_untouched() {
    let (env, db) = with_real_database_in_bad();
    sqlite_file(
        &db,
        "PRAGMA journal_mode = DELETE; PRAGMA user_version = 99; CREATE TABLE from_the_future (x);",
    );
    refused_untouched(
        &env,
        &db,
        &format!(
            "`{}` was written by a newer version of lupus-quiz (schema 99, this version knows up to {}); it was left untouched: update lupus-quiz",
            db.display(),
            lupus_quiz::store::latest_version()
        ),
    );
}

#[test]
fn a_folder_given_as_the_database_is_refused() {
    let env = TestEnv::new();
    let folder = env.folder("data");
    Test::new(&env)
        .db(&folder)
        .arg("stats")
        .status(1)
        .stderr(format!(
            "error: `{}` is a folder; --db must name a database file inside it, such as `{}`\n",
            folder.display(),
            folder.join("progress.db").display()
        ))
        .run();
}

/// The file-permission tests need a user that permissions apply to. Root writes anyway,
/// so as root the command runs as `nobody` through `setpriv`; a root without a working
/// `setpriv` fails the test with the reason (a skip would pass without testing anything).
pub(crate) fn unprivileged(env: &TestEnv, command: Command) -> Command {
    let is_root = std::fs::metadata(env.path()).unwrap().uid() == 0;
    if !is_root {
        return command;
    }
    let setpriv_works = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        setpriv_works,
        "running as root, where permissions do not apply, and `setpriv` (util-linux) cannot drop to `nobody`: install util-linux, or run the tests as an ordinary user"
    );
    // `nobody` must reach the test folder and run the binary.
    let mut folder = Some(env.path());
    while let Some(dir) = folder {
        if dir.starts_with(std::env::temp_dir()) && dir != std::env::temp_dir() {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
        folder = dir.parent();
    }
    let prefix: Vec<&std::ffi::OsStr> = ["--reuid=65534", "--regid=65534", "--clear-groups", "--"]
        .iter()
        .map(std::ffi::OsStr::new)
        .collect();
    crate::support::wrapped("setpriv", &prefix, &command)
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Like [`refused_untouched`], for a user without the permission.
fn refused_without_permission(env: &TestEnv, db: &Path, message: &str) {
    let message = &message.replace("{db}", &db.display().to_string());
    let watched = env.path().join("bad");
    let before = snapshot(&watched);
    for args in [&["study", "hsct", "--plain"][..], &["export"]] {
        let mut plain = command(env, db, TEST_NOW, args);
        // `nobody` has no home of its own: keep every folder inside the test's.
        plain.env("HOME", env.path());
        let mut command = unprivileged(env, plain);
        let output = command.output().unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stdout_of(&output));
        assert_eq!(stderr_of(&output), format!("error: {message}\n"));
        assert_eq!(snapshot(&watched), before);
    }
}

#[test]
fn a_read_only_database_is_refused_untouched() {
    let env = TestEnv::new();
    let real = real_database(&env, "real.db");
    std::fs::create_dir_all(env.path().join("bad")).unwrap();
    chmod(&env.path().join("bad"), 0o777);
    let db = env.path().join("bad/progress.db");
    std::fs::copy(&real, &db).unwrap();
    chmod(&db, 0o444);
    refused_without_permission(
        &env,
        &db,
        "`{db}` is read-only, and every answer is saved in it; it was left untouched: make it writable (`chmod u+w`), or pass another path with --db",
    );
}

#[test]
fn a_database_in_a_read_only_folder_is_refused_untouched() {
    let (env, db) = with_real_database_in_bad();
    chmod(&db, 0o666);
    chmod(&env.path().join("bad"), 0o555);
    refused_without_permission(
        &env,
        &db,
        &format!(
            "`{}` cannot be used because its folder `{}` is read-only: SQLite must create its journal files (`progress.db-wal`, `progress.db-shm`) beside it; it was left untouched: make the folder writable, or move the file to a writable folder and pass it with --db",
            db.display(),
            env.path().join("bad").display()
        ),
    );
    chmod(&env.path().join("bad"), 0o755);
}

#[test]
fn a_database_in_a_folder_that_cannot_be_created_is_refused() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.path().join("bad")).unwrap();
    chmod(&env.path().join("bad"), 0o555);
    let db = env.path().join("bad/missing/progress.db");
    refused_without_permission(
        &env,
        &db,
        &format!(
            "cannot create the folder `{}` for the database (permission denied); pass a writable path with --db",
            env.path().join("bad/missing").display()
        ),
    );
    let db = env.path().join("bad/progress.db");
    refused_without_permission(
        &env,
        &db,
        &format!(
            "cannot create `{}`: its folder `{}` is not writable; make the folder writable, or pass another path with --db",
            db.display(),
            env.path().join("bad").display()
        ),
    );
    chmod(&env.path().join("bad"), 0o755);
}

// 4. doctor.

fn doctor(env: &TestEnv, db: &Path, args: &[&str]) -> std::process::Output {
    Test::new(env)
        .db(db)
        .now(TEST_NOW)
        .arg("doctor")
        .args(args)
        .unchecked()
        .run()
}

#[test]
fn doctor_on_a_healthy_database_says_so() {
    let env = TestEnv::new();
    let db = real_database(&env, "progress.db");
    let output = doctor(&env, &db, &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(
        stdout_of(&output),
        format!(
            "Checking `{}` (3 reviews).\nok: integrity_check\nok: quick_check\nok: the settings\nok: 2 card states match their review logs\nok: the review totals that `stats` reads match the log\nok: every answer time is under a day\nok: the database and its backups can be read by you only\nNo problems found.\n",
            db.display()
        )
    );
}

#[test]
fn doctor_finds_a_tampered_state_and_repair_rebuilds_it_after_a_backup() {
    let env = TestEnv::new();
    let db = real_database(&env, "progress.db");
    let before = export(&env, &db);
    sqlite_file(
        &db,
        "UPDATE card_state SET reps = 7, due = 0 WHERE card_id = 'hsct-hsc-term';
         DELETE FROM card_state WHERE card_id = 'basics-lupus-definition';
         UPDATE review_totals SET passed = passed + 5
         WHERE bucket = (SELECT max(bucket) FROM review_totals);",
    );

    let output = doctor(&env, &db, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = stdout_of(&output);
    assert!(
        stdout
            .contains("problem: card `basics-lupus-definition` has reviews but no stored state\n"),
        "{stdout}"
    );
    assert_contains(
        &stdout,
        "problem: card `hsct-hsc-term` differs from its review log: due 1970-01-01T00:00:00.000Z (log: 2026-",
    );
    assert_contains(&stdout, ", reps 7 (log: 2)\n");
    assert_contains(
        &stdout,
        "problem: the review totals that `stats` reads differ from the log in 1 quarter-hour\n",
    );
    assert_eq!(
        stderr_of(&output),
        "error: 3 problems found; run `lupus-quiz doctor --repair` to rebuild the card states and review totals from the review log (a backup copy is written first; no review is deleted)\n"
    );

    let output = doctor(&env, &db, &["--repair"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let backup = env
        .path()
        .join("progress-before-repair-2026-03-01T090000Z.db");
    let stdout = stdout_of(&output);
    assert!(
        stdout.ends_with(&format!(
            "Backup written: `{}`\nRebuilt 2 card states from the review log.\nEvery card state and the review totals now match the review log; all 3 reviews are kept.\n",
            backup.display()
        )),
        "{stdout}"
    );
    assert_eq!(export(&env, &db)["cards"], before["cards"]);
    assert_states_equal_replay(&env, &db);

    // The backup is the database as it was, tampering included.
    let copy = rusqlite::Connection::open(&backup).unwrap();
    let reps: i64 = copy
        .query_row(
            "SELECT reps FROM card_state WHERE card_id = 'hsct-hsc-term'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(reps, 7);
    let reviews: i64 = copy
        .query_row("SELECT count(*) FROM review_log", [], |row| row.get(0))
        .unwrap();
    assert_eq!(reviews, 3);
}

#[test]
fn doctor_reports_a_damaged_index_and_repair_leaves_the_file_alone() {
    let env = TestEnv::new();
    let db = real_database(&env, "progress.db");
    // The index now claims to be on another column than the one its entries hold.
    redefine_time_index(&db, "rating");
    let output = doctor(&env, &db, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = stdout_of(&output);
    assert!(
        stdout.contains("problem: integrity_check: ") && stdout.contains("review_log_by_time"),
        "{stdout}"
    );
    assert!(
        stderr_of(&output).starts_with("error: ")
            && stderr_of(&output).contains("restore the newest backup: move `"),
        "{}",
        stderr_of(&output)
    );
    let bytes = std::fs::read(&db).unwrap();
    let output = doctor(&env, &db, &["--repair"]);
    assert_eq!(output.status.code(), Some(1));
    assert_starts_with(
        &stderr_of(&output),
        "error: the file itself is damaged, which rebuilding card states cannot mend; nothing was changed: restore the newest backup: move `",
    );
    assert_eq!(std::fs::read(&db).unwrap(), bytes);
}

// Newcomer review 2, item 14: a damaged page gave hundreds of alike lines, with the advice
// that matters after them.
#[test]
fn doctor_shows_ten_lines_of_a_damaged_index_and_counts_the_rest() {
    let env = TestEnv::new();
    let db = env.db();
    let rows: String = (10..40)
        .map(|minute| format!("basics-lupus-definition,2026-02-28T10:{minute}:00Z,3\n"))
        .collect();
    let csv = env.write("many.csv", format!("card,at,rating\n{rows}"));
    run_ok(&env, &db, &["import", csv.to_str().unwrap()]);
    // The index now sorts the other way round from the entries it holds: every row is
    // missing from it.
    redefine_time_index(&db, "reviewed_at DESC");
    let output = doctor(&env, &db, &[]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = stdout_of(&output);
    let shown = stdout
        .lines()
        .filter(|l| l.starts_with("problem: integrity_check: row "))
        .count();
    assert_eq!(shown, 10, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "problem: integrity_check: and 19 more like these (all of them: `sqlite3 {} 'PRAGMA integrity_check'`)\n",
            db.display()
        )),
        "{stdout}"
    );
}

#[test]
fn doctor_lists_orphaned_reviews_and_decks_that_are_gone_without_failing() {
    let env = TestEnv::new();
    let db = env.db();
    env.write("decks/mine.yaml", small_deck("mine", 2));
    env.write("decks/gone.yaml", small_deck("gone", 1));
    let decks = env.path().join("decks");
    let csv = env.write(
        "log.csv",
        "card,at,rating\nmine-card-1,2026-02-28T09:00:00Z,3\nmine-card-2,2026-02-28T09:01:00Z,3\nmine-card-2,2026-02-28T09:20:00Z,3\ngone-card-1,2026-02-28T09:02:00Z,1\n",
    );
    let with_decks = |args: &[&str]| {
        let mut command = command(&env, &db, TEST_NOW, args);
        command.arg("--decks").arg(&decks);
        command.output().unwrap()
    };
    assert!(
        with_decks(&["import", csv.to_str().unwrap()])
            .status
            .success()
    );
    env.write("decks/mine.yaml", small_deck("mine", 1));
    std::fs::remove_file(decks.join("gone.yaml")).unwrap();

    let output = with_decks(&["doctor"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(
        stdout_of(&output),
        format!(
            "Checking `{}` (4 reviews).\nok: integrity_check\nok: quick_check\nok: the settings\nok: 3 card states match their review logs\nok: the review totals that `stats` reads match the log\nok: every answer time is under a day\nnote: deck `gone` is gone; 1 review of 1 card is kept and will count again if the deck comes back\nnote: orphaned reviews: 2 reviews of 1 card that deck `mine` no longer has (`mine-card-2`); they are kept\nok: the database and its backups can be read by you only\nNo problems found.\n",
            db.display()
        )
    );
    // --repair keeps them too.
    assert!(with_decks(&["doctor", "--repair"]).status.success());
    assert_eq!(reviews(&export(&env, &db)).len(), 4);
}

// 5. Automatic backups.

#[test]
fn a_backup_a_day_is_kept_for_the_last_seven_days() {
    let env = TestEnv::new();
    let db = real_database(&env, "progress.db");
    let backups = env.path().join("backups");
    assert!(
        !backups.exists(),
        "a database created just now needs no copy"
    );
    for day in 1..=10 {
        for hour in ["09", "21"] {
            let now = format!("2026-03-{day:02}T{hour}:00:00Z");
            let output = command(&env, &db, &now, &["stats"]).output().unwrap();
            assert!(output.status.success(), "{}", stderr_of(&output));
            assert_eq!(stderr_of(&output), "");
        }
    }
    let mut names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let expected: Vec<String> = (4..=10)
        .map(|day| format!("progress-2026-03-{day:02}T090000Z.db"))
        .collect();
    assert_eq!(names, expected);

    // The newest copy is a sound lupus-quiz database with the same reviews.
    let newest = backups.join(&expected[6]);
    let copy = env.path().join("restored/progress.db");
    std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
    std::fs::copy(&newest, &copy).unwrap();
    assert_eq!(reviews(&export(&env, &copy)), reviews(&export(&env, &db)));
    let doctor = run_ok(&env, &copy, &["doctor"]);
    assert_ends_with(&doctor, "No problems found.\n");
}
