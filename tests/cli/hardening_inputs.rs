//! Files and inputs (issue 12): `export -o` never destroys the database or the previous
//! export, `import` and `check` read only regular files through a byte limit, review times
//! and durations out of range are refused naming the line, and error messages quote file
//! content short and escaped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::hardening::run_ok;
use crate::hardening_files::snapshot;
use crate::support::{
    TEST_NOW, Test, TestEnv, assert_contains, assert_ends_with, assert_starts_with, command,
    small_deck, stderr_of, stdout_of, wrapped,
};

/// A new test folder with a database of `reviews` answers (see [`database_with_progress`]).
fn with_progress(reviews: usize) -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    let db = database_with_progress(&env, reviews);
    (env, db)
}

/// A database with some progress and its day's backup already written, so that later
/// opens write nothing.
fn database_with_progress(env: &TestEnv, reviews: usize) -> PathBuf {
    let db = env.path().join("data/progress.db");
    let mut csv = String::from("card,at,rating,duration_ms\n");
    for i in 0..reviews {
        let card = ["hsct-hsc-term", "basics-lupus-definition"][i % 2];
        csv.push_str(&format!(
            "{card},2026-02-{:02}T09:{:02}:{:02}.{:03}Z,3,4000\n",
            1 + (i / 3600) % 27,
            (i / 60) % 60,
            i % 60,
            i % 1000
        ));
    }
    let file = env.write("seed.csv", csv);
    run_ok(env, &db, &["import", file.to_str().unwrap()]);
    std::fs::remove_file(file).unwrap();
    run_ok(env, &db, &["stats"]);
    db
}

/// Runs `args` on `db`; returns the exit code and stderr.
fn run(env: &TestEnv, db: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = Test::new(env)
        .db(db)
        .now(TEST_NOW)
        .args(args)
        .unchecked()
        .run();
    (output.status.code(), stderr_of(&output))
}

// 1. `export -o` onto the database.

#[test]
fn export_onto_the_database_is_refused_and_the_database_is_unchanged() {
    let (env, db) = with_progress(3);
    let folder = db.parent().unwrap().to_path_buf();
    let backup = std::fs::read_dir(folder.join("backups"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let repair_copy = folder.join("progress-before-repair-2026-02-01T090000Z.db");
    std::fs::copy(&db, &repair_copy).unwrap();
    std::os::unix::fs::symlink(&db, env.path().join("link.json")).unwrap();
    std::fs::hard_link(&db, env.path().join("hard.json")).unwrap();
    std::fs::hard_link(&backup, env.path().join("old.json")).unwrap();
    let before = snapshot(env.path());
    let cases: Vec<(PathBuf, &str, PathBuf)> = vec![
        (db.clone(), "the progress database", db.clone()),
        (
            folder.join("progress.db-wal"),
            "a journal file of the progress database",
            folder.join("progress.db-wal"),
        ),
        (
            folder.join("progress.db-shm"),
            "a journal file of the progress database",
            folder.join("progress.db-shm"),
        ),
        (
            env.path().join("link.json"),
            "the progress database",
            db.clone(),
        ),
        (
            env.path().join("hard.json"),
            "the progress database",
            db.clone(),
        ),
        (
            env.path().join("old.json"),
            "a backup of the progress database",
            backup.clone(),
        ),
        (
            backup.clone(),
            "in the backups folder",
            folder.join("backups"),
        ),
        (
            folder.join("backups/new.json"),
            "in the backups folder",
            folder.join("backups"),
        ),
        (
            repair_copy.clone(),
            "a backup of the progress database",
            repair_copy.clone(),
        ),
    ];
    for (output, what, protected) in cases {
        let (code, stderr) = run(&env, &db, &["export", "-o", output.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{}: {stderr}", output.display());
        let why = match what {
            "in the backups folder" => "where only lupus-quiz's own backups belong",
            "a backup of the progress database" => "and writing there would destroy that backup",
            _ => "and writing there would destroy your progress",
        };
        assert_eq!(
            stderr,
            format!(
                "error: refusing to export to `{}`: it is {what} `{}`, {why}; choose another file, like `progress.json`\n",
                output.display(),
                protected.display()
            )
        );
        assert_eq!(snapshot(env.path()), before, "{}", output.display());
    }
    // The database is whole: the same reviews as before.
    assert_eq!(
        run_ok(&env, &db, &["export", "--reviews-csv"])
            .lines()
            .count(),
        4
    );
}

#[test]
fn export_through_a_relative_path_onto_the_database_is_refused() {
    let (env, db) = with_progress(3);
    let before = snapshot(env.path());
    let output = Test::new(&env)
        .without_db()
        .current_dir(db.parent().unwrap())
        .args([
            "--db",
            "progress.db",
            "export",
            "-o",
            "../data/./progress.db",
        ])
        .status(1)
        .any_stderr()
        .run();
    assert_starts_with(
        &stderr_of(&output),
        "error: refusing to export to `../data/./progress.db`: it is the progress database `progress.db`",
    );
    assert_eq!(snapshot(env.path()), before);
}

// 2. `export -o FILE` is atomic.

#[test]
fn export_replaces_the_old_file_whole_and_leaves_no_temporary_file() {
    let (env, db) = with_progress(3);
    let out = env.write("exports/progress.json", "an older export\n");
    run_ok(&env, &db, &["export", "-o", out.to_str().unwrap()]);
    let written = std::fs::read_to_string(&out).unwrap();
    let json: serde_json::Value = serde_json::from_str(&written).unwrap();
    assert_eq!(json["reviews"].as_array().unwrap().len(), 3);
    let names: Vec<_> = std::fs::read_dir(env.path().join("exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["progress.json"]);
}

#[test]
fn a_failed_export_leaves_the_old_file_unchanged_and_says_so() {
    // About 1 MB of export, over the file size limit the export runs under below; the
    // database's own files are read, not written, by an export.
    let (env, db) = with_progress(12_000);
    let out = env.path().join("exports/progress.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    run_ok(&env, &db, &["export", "-o", out.to_str().unwrap()]);
    let good = std::fs::read(&out).unwrap();
    assert!(good.len() > 1_000_000, "{} bytes", good.len());
    let before = snapshot(&env.path().join("exports"));

    // A write past the limit fails with "file too large" (EFBIG), as one past a full disk
    // fails with ENOSPC; SIGXFSZ is ignored so that the write returns the error.
    let inner = command(
        &env,
        &db,
        TEST_NOW,
        &["export", "-o", out.to_str().unwrap()],
    );
    let mut limited = wrapped(
        "sh",
        &[
            "-c".as_ref(),
            "trap '' XFSZ; ulimit -f 512; exec \"$0\" \"$@\"".as_ref(),
        ],
        &inner,
    );
    limited.current_dir(env.path());
    let output = limited.output().unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert_eq!(
        stderr_of(&output),
        format!(
            "error: cannot write `{}`: file too large; the old file is unchanged\n",
            out.display()
        )
    );
    assert_eq!(snapshot(&env.path().join("exports")), before);
    assert_eq!(std::fs::read(&out).unwrap(), good);
}

// 5 and 6. Review times and durations out of range.

/// Imports `file` and expects exactly `message` on stderr, with `{file}` in it standing for
/// the file's path; the database stays unchanged.
fn import_refused(env: &TestEnv, db: &Path, file: &Path, message: &str) {
    let message = message.replace("{file}", &file.display().to_string());
    let before = snapshot(db.parent().unwrap());
    let (code, stderr) = run(env, db, &["import", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stderr, format!("error: {message}\n"));
    assert_eq!(snapshot(db.parent().unwrap()), before);
}

#[test]
fn review_times_before_1970_or_after_tomorrow_are_refused_naming_the_line() {
    let (env, db) = with_progress(3);
    let good = "hsct-hsc-term,2026-02-27T09:00:00Z,3";
    for (time, problem) in [
        (
            "-99999999999999",
            "time `-99999999999999` (read as Unix milliseconds): -1199-02-15T14:13:20.001Z is before 1970",
        ),
        (
            "1969-12-31T23:59:59Z",
            "time `1969-12-31T23:59:59Z`: 1969-12-31T23:59:59.000Z is before 1970",
        ),
        (
            "9999999999",
            "time `9999999999` (read as Unix seconds): 2286-11-20T17:46:39.000Z is more than a day after now",
        ),
        (
            "2099-01-01T00:00:00Z",
            "time `2099-01-01T00:00:00Z`: 2099-01-01T00:00:00.000Z is more than a day after now",
        ),
    ] {
        let file = env.write(
            "incoming/times.csv",
            format!("card,at,rating\n{good}\nhsct-hsc-term,{time},3\n"),
        );
        let before = snapshot(db.parent().unwrap());
        let (code, stderr) = run(&env, &db, &["import", file.to_str().unwrap()]);
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: {}:3: {problem}", file.display())),
            "{stderr}"
        );
        assert_ends_with(&stderr, "; review times are from 1970 to now\n");
        assert_eq!(snapshot(db.parent().unwrap()), before);
    }
    // 11 and 12 digits: the year 5138 as seconds, 1973 as milliseconds; neither is taken.
    for number in ["99999999999", "100000000000"] {
        let file = env.write(
            "incoming/digits.csv",
            format!("card,at,rating\n{good}\nhsct-hsc-term,{number},3\n"),
        );
        import_refused(
            &env,
            &db,
            &file,
            &format!(
                "{}:3: time `{number}` has {} digits: neither Unix seconds (up to 10 digits) nor Unix milliseconds (13 digits); write it as RFC 3339 (2026-03-01T09:00:00Z) or Unix milliseconds",
                file.display(),
                number.len()
            ),
        );
    }
    let file = env.write(
        "incoming/future.json",
        "{\"format\":\"lupus-quiz-progress\",\"version\":1,\"reviews\":[\n{\"card\":\"a\",\"at\":\"2026-03-01T08:00:00Z\",\"rating\":3},\n{\"card\":\"a\",\"at\":\"2099-01-01T00:00:00Z\",\"rating\":3}]}",
    );
    import_refused(
        &env,
        &db,
        &file,
        "{file}: not valid JSON progress: time `2099-01-01T00:00:00Z`: 2099-01-01T00:00:00.000Z is more than a day after now (2026-03-01T09:00:00Z); the times of reviews, actions and quiz results are from 1970 to now at line 3 column 39",
    );
}

#[test]
fn a_clock_set_out_of_range_is_refused_naming_the_variable() {
    let (env, db) = with_progress(3);
    let before = snapshot(db.parent().unwrap());
    for (now, problem) in [
        (
            "9999-12-31T23:59:59Z",
            "9999-12-31T23:59:59.000Z is more than a day after now",
        ),
        (
            "1969-07-20T20:17:00Z",
            "1969-07-20T20:17:00.000Z is before 1970",
        ),
    ] {
        let output = command(&env, &db, now, &["study", "hsct", "--plain"])
            .output()
            .unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        assert!(
            stderr.starts_with(&format!("error: LUPUS_QUIZ_NOW=`{now}`: {problem}")),
            "{stderr}"
        );
        assert_ends_with(
            &stderr,
            "; set it to a time from 1970 to tomorrow, or unset it\n",
        );
        assert_eq!(snapshot(db.parent().unwrap()), before);
    }
}

#[test]
fn review_times_at_the_edges_of_the_range_are_exported_and_imported_again() {
    let env = TestEnv::new();
    let db = env.path().join("first/progress.db");
    let file = env.write(
        "edges.csv",
        "card,at,rating,duration_ms\nhsct-hsc-term,1970-01-01T00:00:00Z,3,0\nhsct-hsc-term,2026-03-02T09:00:00Z,3,86400000\nbasics-lupus-definition,0,1,1\n",
    );
    run_ok(&env, &db, &["import", file.to_str().unwrap()]);
    for args in [&["export"][..], &["export", "--reviews-csv"]] {
        let exported = env.write("exported", run_ok(&env, &db, args));
        let again = env.path().join(format!("again-{}/progress.db", args.len()));
        run_ok(&env, &again, &["import", exported.to_str().unwrap()]);
        assert_eq!(
            run_ok(&env, &again, &["export", "--reviews-csv"]),
            run_ok(&env, &db, &["export", "--reviews-csv"])
        );
    }
}

#[test]
fn review_durations_over_a_day_are_refused_naming_the_line() {
    let (env, db) = with_progress(3);
    let csv = env.write(
        "incoming/long.csv",
        "card,at,rating,duration_ms\nhsct-hsc-term,2026-02-27T09:00:00Z,3,86400000\nhsct-hsc-term,2026-02-28T09:00:00Z,3,18446744073709551615\n",
    );
    import_refused(
        &env,
        &db,
        &csv,
        "{file}:3: duration 18446744073709551615 ms is over a day (86400000 ms); review durations are milliseconds, from 0 to a day",
    );
    let json = env.write(
        "incoming/long.json",
        "{\"format\":\"lupus-quiz-progress\",\"version\":1,\"reviews\":[\n{\"card\":\"a\",\"at\":\"2026-03-01T08:00:00Z\",\"rating\":3,\"duration_ms\":86400001}]}",
    );
    import_refused(
        &env,
        &db,
        &json,
        "{file}: not valid JSON progress: duration 86400001 ms is over a day (86400000 ms); review durations are milliseconds, from 0 to a day at line 2 column 74",
    );
}

// 9. File content in errors: short, escaped; binary files named as such.

#[test]
fn import_errors_quote_at_most_80_characters_of_the_file_escaped() {
    let (env, db) = with_progress(3);
    // A 5 MB header without a card column.
    let header = "x".repeat(5_000_000);
    let file = env.write("incoming/wide.csv", format!("{header},at,rating\n"));
    import_refused(
        &env,
        &db,
        &file,
        &format!(
            "{}:1: no card column in the header `{}…`; name it one of: card, card_id, cardid, cid, id",
            file.display(),
            "x".repeat(80)
        ),
    );
    // Terminal escapes in the header are shown, not sent.
    let file = env.write(
        "incoming/escapes.csv",
        "\u{1b}]0;owned\u{7}\u{1b}[2J,at,rating\n",
    );
    import_refused(
        &env,
        &db,
        &file,
        "{file}:1: no card column in the header `␛]0;owned␇␛[2J,at,rating`; name it one of: card, card_id, cardid, cid, id",
    );
    // A huge string where a number belongs, in JSON.
    let file = env.write(
        "incoming/rating.json",
        format!(
            "{{\"format\":\"lupus-quiz-progress\",\"version\":1,\"reviews\":[{{\"card\":\"a\",\"at\":\"2026-03-01T08:00:00Z\",\"rating\":\"{}\"}}]}}",
            "\\u001b".repeat(100_000)
        ),
    );
    let (code, stderr) = run(&env, &db, &["import", file.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert!(stderr.len() < 600, "{} bytes: {stderr}", stderr.len());
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert!(
        stderr.starts_with(&format!(
            "error: {}: not valid JSON progress: invalid type: string \"\\u{{1b}}\\u{{1b}}",
            file.display()
        )),
        "{stderr}"
    );
    // An unknown format name, long and with escapes.
    let file = env.write(
        "incoming/format.json",
        format!(
            "{{\"format\":\"\\u001b[8m{}\",\"version\":1}}",
            "y".repeat(10_000)
        ),
    );
    import_refused(
        &env,
        &db,
        &file,
        &format!(
            "{}: this is not a lupus-quiz progress file (`format` is `␛[8m{}…`, expected `lupus-quiz-progress`)",
            file.display(),
            "y".repeat(76)
        ),
    );
}

#[test]
fn a_binary_file_is_refused_as_not_a_text_file() {
    let (env, db) = with_progress(3);
    // As `import` of a symlink to a program would read it.
    let mut binary = b"\x7fELF\x02\x01\x01\x00\x00\x00".to_vec();
    binary.extend(std::iter::repeat_n(b'a', 10_000));
    let file = env.write("incoming/program", &binary);
    let link = env.path().join("incoming/log.csv");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    import_refused(
        &env,
        &db,
        &link,
        "{file}:1: not a text file (it contains a NUL byte); import reads a JSON export or a CSV review log, as UTF-8 text",
    );
}

// 10. Devices, FIFOs, symbolic link loops and standard input.

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn import_of_a_device_or_a_fifo_is_refused_without_reading_it() {
    let (env, db) = with_progress(3);
    let fifo = env.path().join("incoming/fifo.csv");
    std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
    mkfifo(&fifo);
    for (file, what) in [
        (PathBuf::from("/dev/zero"), "a character device"),
        (fifo.clone(), "a FIFO (named pipe)"),
    ] {
        let before = snapshot(db.parent().unwrap());
        let output = assert_cmd::Command::from_std(command(
            &env,
            &db,
            TEST_NOW,
            &["import", file.to_str().unwrap()],
        ))
        .timeout(Duration::from_secs(20))
        .output()
        .unwrap();
        assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
        assert_eq!(
            stderr_of(&output),
            format!(
                "error: cannot import `{}`: it is {what}, not a regular file; import reads a regular file, or standard input when FILE is `-`\n",
                file.display()
            )
        );
        assert_eq!(snapshot(db.parent().unwrap()), before);
    }
}

#[test]
fn import_of_a_symbolic_link_loop_says_so() {
    let (env, db) = with_progress(3);
    let link = env.path().join("incoming/loop.csv");
    std::fs::create_dir_all(link.parent().unwrap()).unwrap();
    std::os::unix::fs::symlink("loop.csv", &link).unwrap();
    import_refused(
        &env,
        &db,
        &link,
        "cannot read `{file}`: it is a symbolic link loop (too many levels of symbolic links); fix or remove the link",
    );
}

#[test]
fn import_from_standard_input_reads_csv_and_json() {
    let (env, first) = with_progress(3);
    let exported = run_ok(&env, &first, &["export"]);
    let csv = run_ok(&env, &first, &["export", "--reviews-csv"]);
    for (name, input) in [("json", &exported), ("csv", &csv)] {
        let db = env.path().join(format!("{name}/progress.db"));
        let mut child = command(&env, &db, TEST_NOW, &["import", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write as _;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        assert_starts_with(
            &stdout_of(&output),
            "imported standard input: 3 reviews added",
        );
        assert_eq!(run_ok(&env, &db, &["export", "--reviews-csv"]), csv);
    }
}

#[test]
fn check_of_a_fifo_or_a_link_loop_reports_it_without_hanging() {
    let env = TestEnv::new();
    let fifo = env.path().join("fifo.yaml");
    mkfifo(&fifo);
    let link = env.path().join("loop.yaml");
    std::os::unix::fs::symlink("loop.yaml", &link).unwrap();
    Test::new(&env)
        .without_db()
        .args(["check", "fifo.yaml", "loop.yaml"])
        .timeout(Duration::from_secs(20))
        .status(1)
        .stderr(
            "error: fifo.yaml: this is a FIFO (named pipe), not a deck file; deck files are regular *.yaml files: move it away or rename it\n\
             error: loop.yaml: this is a symbolic link loop (too many levels of symbolic links); fix or remove the link\n\
             2 problems in 2 deck files; `lupus-quiz help deck-format` describes the format\n",
        )
        .run();
}

// 13. What the decks folder holds besides deck files.

#[test]
fn things_in_the_decks_folder_that_are_not_deck_files_are_reported() {
    let env = TestEnv::new();
    let decks = env.path().join("my-decks");
    env.write("my-decks/mine.yaml", small_deck("mine", 2));
    env.write("my-decks/twice.yaml", small_deck("twice", 2));
    env.write("my-decks/twice.yml", small_deck("twice-too", 2));
    std::fs::create_dir_all(decks.join("folder.yaml")).unwrap();
    std::os::unix::fs::symlink("gone.yaml", decks.join("dangling.yaml")).unwrap();
    std::os::unix::fs::symlink("loop.yml", decks.join("loop.yml")).unwrap();
    mkfifo(&decks.join("fifo.yaml"));
    let expected = "error: my-decks/dangling.yaml: this is a symbolic link to `gone.yaml`, which does not exist; fix or remove the link\n\
        error: my-decks/fifo.yaml: this is a FIFO (named pipe), not a deck file; deck files are regular *.yaml files: move it away or rename it\n\
        error: my-decks/folder.yaml: this is a folder, not a deck file; deck files are regular *.yaml files: move it away or rename it\n\
        error: my-decks/loop.yml: this is a symbolic link loop (too many levels of symbolic links); fix or remove the link\n\
        error: my-decks/twice.yml: `my-decks/twice.yaml` has the same deck name, and a deck has one file; rename or remove one of the two\n\
        5 problems in 5 deck files; `lupus-quiz help deck-format` describes the format\n";
    Test::new(&env)
        .without_db()
        .args(["--decks", "my-decks", "check"])
        .timeout(Duration::from_secs(20))
        .status(1)
        .stderr(expected)
        .run();
    // Every other command names each of them, and goes on with the decks that load.
    let left_out = "warning: my-decks/dangling.yaml: this is a symbolic link to `gone.yaml`, which does not exist; fix or remove the link; deck `dangling` is left out until it is fixed\n\
        warning: my-decks/fifo.yaml: this is a FIFO (named pipe), not a deck file; deck files are regular *.yaml files: move it away or rename it; deck `fifo` is left out until it is fixed\n\
        warning: my-decks/folder.yaml: this is a folder, not a deck file; deck files are regular *.yaml files: move it away or rename it; deck `folder` is left out until it is fixed\n\
        warning: my-decks/loop.yml: this is a symbolic link loop (too many levels of symbolic links); fix or remove the link; deck `loop` is left out until it is fixed\n\
        warning: my-decks/twice.yml: `my-decks/twice.yaml` has the same deck name, and a deck has one file; rename or remove one of the two; deck `twice` is read from `my-decks/twice.yaml` meanwhile\n\
        warning: run `lupus-quiz check` to see every problem, and `lupus-quiz help deck-format` for the format\n";
    let listing = Test::new(&env)
        .without_db()
        .args(["--decks", "my-decks", "decks"])
        .timeout(Duration::from_secs(20))
        .stderr(left_out)
        .any_stdout()
        .run_stdout();
    assert!(
        listing.contains("\nmine *") && listing.contains("\ntwice *"),
        "{listing}"
    );
}

#[test]
fn a_decks_folder_that_is_a_symbolic_link_loop_says_so() {
    let env = TestEnv::new();
    std::os::unix::fs::symlink("my-decks", env.path().join("my-decks")).unwrap();
    let output = Test::new(&env)
        .without_db()
        .args(["--decks", "my-decks", "decks"])
        .unchecked()
        .run();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr_of(&output),
        "error: decks folder `my-decks` is a symbolic link loop (too many levels of symbolic links); fix or remove the link\n"
    );
}

// 16. Byte-order marks.

#[test]
fn a_deck_with_a_byte_order_mark_is_read_normally() {
    let env = TestEnv::new();
    env.write(
        "my-decks/mine.yaml",
        format!("\u{feff}{}", small_deck("mine", 2)),
    );
    let output = Test::new(&env)
        .without_db()
        .args(["check", "my-decks/mine.yaml"])
        .unchecked()
        .run();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stdout_of(&output), "ok: 1 deck, 2 cards\n");
}

#[test]
fn progress_files_with_a_byte_order_mark_are_read_normally() {
    let (env, first) = with_progress(3);
    let exported = run_ok(&env, &first, &["export"]);
    let csv = run_ok(&env, &first, &["export", "--reviews-csv"]);
    for (name, text) in [("json", exported), ("csv", csv.clone())] {
        let file = env.write(&format!("bom.{name}"), format!("\u{feff}{text}"));
        let db = env.path().join(format!("{name}/progress.db"));
        let out = run_ok(&env, &db, &["import", file.to_str().unwrap()]);
        assert_contains(&out, ": 3 reviews added");
        assert_eq!(run_ok(&env, &db, &["export", "--reviews-csv"]), csv);
    }
}

// 11. A huge typed answer.

#[test]
fn a_typed_answer_over_1000_characters_is_refused_and_the_question_asked_again() {
    let env = TestEnv::new();
    env.write(
        "my-decks/typing.yaml",
        "title: Typing\ndescription: One typed card.\ncards:\n  - id: typing-conditioning\n    type: typed\n    question: Name the preparation phase.\n    answers: [conditioning]\n    explanation: It prepares the body.\n    source: How Stem Cell Therapy Works\n",
    );
    let db = env.db();
    // 20 MB: before the cap, the typo distance took 2.5 GB and 15 seconds on it.
    let mut input = "conditionin".repeat(2_000_000);
    input.push_str("\nconditioning\n");
    let output = assert_cmd::Command::from_std(command(
        &env,
        &db,
        TEST_NOW,
        &["--decks", "my-decks", "study", "typing", "--plain"],
    ))
    .write_stdin(input)
    .timeout(Duration::from_secs(60))
    .output()
    .unwrap();
    let stdout = stdout_of(&output);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(
        stdout
            .matches("That answer is over 1,000 characters; type a shorter one (or q to quit).\n")
            .count(),
        1,
        "{}",
        &stdout[..stdout.len().min(2000)]
    );
    assert_contains(&stdout, "\nRight\n");
    assert!(stdout.len() < 100_000, "{} bytes of output", stdout.len());
    let csv = run_ok(&env, &db, &["export", "--reviews-csv"]);
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert_contains(&csv, "typing-conditioning,2026-03-01T09:00:");
}

// 16. Empty variables and negative values.

#[test]
fn an_empty_lupus_quiz_db_or_lupus_quiz_decks_means_unset() {
    let env = TestEnv::new();
    Test::new(&env)
        .without_db()
        .env("LUPUS_QUIZ_DB", "")
        .env("LUPUS_QUIZ_DECKS", "")
        .args(["study", "basics", "--plain"])
        .stdin("q\n")
        .any_stdout()
        .run();
    // The default database, in the data folder (studying creates it).
    assert!(env.path().join("data/lupus-quiz/progress.db").is_file());
    let output = Test::new(&env)
        .without_db()
        .env("LUPUS_QUIZ_DECKS", "")
        .arg("decks")
        .unchecked()
        .run();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_contains(&stdout_of(&output), "basics");
}

#[test]
fn a_negative_setting_value_gets_the_range_error() {
    let env = TestEnv::new();
    let db = env.db();
    for value in ["-1", "-0.5"] {
        let (code, stderr) = run(&env, &db, &["config", "leech_threshold", value]);
        assert_eq!(code, Some(1), "{stderr}");
        assert_eq!(
            stderr,
            format!(
                "error: `leech_threshold` cannot be `{value}`: write a whole number from 1 to 99\n"
            )
        );
    }
    // `--reset` after the key is still the option.
    let output = command(
        &env,
        &db,
        TEST_NOW,
        &["config", "leech_threshold", "--reset"],
    )
    .output()
    .unwrap();
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert_eq!(stdout_of(&output), "leech_threshold = 8 (default)\n");
}

// 10 and 16. A database path that is a FIFO, a device or a symbolic link loop.

#[test]
fn a_database_path_that_is_a_fifo_a_link_loop_or_a_broken_link_is_refused_without_hanging() {
    let env = TestEnv::new();
    let folder = env.folder("special");
    let fifo = folder.join("progress.db");
    mkfifo(&fifo);
    let link = folder.join("loop.db");
    std::os::unix::fs::symlink("loop.db", &link).unwrap();
    let broken = folder.join("broken.db");
    std::os::unix::fs::symlink("gone.db", &broken).unwrap();
    // Names only: reading the FIFO to compare it would wait forever.
    let names = || {
        let mut names: Vec<_> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let before = names();
    for (db, message) in [
        (
            fifo.clone(),
            format!(
                "`{}` is a FIFO (named pipe), not a database file; pass the path of a regular file with --db",
                fifo.display()
            ),
        ),
        (
            link.clone(),
            format!(
                "`{}` is a symbolic link loop (too many levels of symbolic links); fix the link, or pass another path with --db",
                link.display()
            ),
        ),
        (
            broken.clone(),
            format!(
                "`{}` is a symbolic link to `gone.db`, which does not exist; fix the link, or pass another path with --db",
                broken.display()
            ),
        ),
    ] {
        Test::new(&env)
            .db(&db)
            .arg("stats")
            .timeout(Duration::from_secs(20))
            .status(1)
            .stderr(format!("error: {message}\n"))
            .run();
        assert_eq!(names(), before);
    }
}

#[test]
fn check_quotes_at_most_80_characters_of_a_deck() {
    let env = TestEnv::new();
    let long = "a".repeat(100_000);
    env.write(
        "long.yaml",
        format!(
            "title: Long\ndescription: D\ncards:\n  - id: long-one\n    type: {long}\n    front: x\n    back: y\n    explanation: e\n    source: s\n"
        ),
    );
    let output = Test::new(&env)
        .without_db()
        .args(["check", "long.yaml"])
        .unchecked()
        .run();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr_of(&output),
        format!(
            "error: long.yaml:5: card `long-one`: unknown card type `{}…`; valid types are: flip, choice, multi, truefalse, typed, order, cloze\n\
             1 problem in 1 deck file; `lupus-quiz help deck-format` describes the format\n",
            "a".repeat(80)
        )
    );
}

#[test]
fn export_through_links_writes_the_target_and_a_link_loop_says_so() {
    let (env, db) = with_progress(3);
    std::fs::create_dir_all(env.path().join("exports")).unwrap();
    // A link to a file that does not exist yet: the file is created, the link kept.
    let link = env.path().join("exports/latest.json");
    std::os::unix::fs::symlink("progress-1.json", &link).unwrap();
    run_ok(&env, &db, &["export", "-o", link.to_str().unwrap()]);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = std::fs::read_to_string(env.path().join("exports/progress-1.json")).unwrap();
    assert_contains(&written, "\"reviews\"");
    // A loop.
    let looped = env.path().join("exports/loop.json");
    std::os::unix::fs::symlink("loop.json", &looped).unwrap();
    let (code, stderr) = run(&env, &db, &["export", "-o", looped.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(
        stderr,
        format!(
            "error: cannot write `{}`: a symbolic link loop (too many levels of symbolic links); no file was written\n",
            looped.display()
        )
    );
}

#[test]
fn an_export_of_a_duration_stored_over_a_day_imports_again() {
    let (env, db) = with_progress(3);
    // As an older version stored it.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("UPDATE review_log SET duration_ms = 90000000", [])
        .unwrap();
    let exported = env.write("exported.json", run_ok(&env, &db, &["export"]));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    assert!(
        json["reviews"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["duration_ms"] == 86_400_000),
        "{json}"
    );
    let again = env.path().join("again/progress.db");
    run_ok(&env, &again, &["import", exported.to_str().unwrap()]);
}
