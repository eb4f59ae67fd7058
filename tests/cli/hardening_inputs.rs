//! Files and inputs (issue 12): `export -o` never destroys the database or the previous
//! export.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::hardening::{NOW, run_ok};
use crate::hardening_files::snapshot;
use crate::support::{TestEnv, command, stderr_of};

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
    let output = command(env, db, NOW, args).output().unwrap();
    (output.status.code(), stderr_of(&output))
}

// 1. `export -o` onto the database.

#[test]
fn export_onto_the_database_is_refused_and_the_database_is_unchanged() {
    let env = TestEnv::new();
    let db = database_with_progress(&env, 3);
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
        assert_eq!(
            stderr,
            format!(
                "error: refusing to export to `{}`: it is {what} `{}`, and writing there would destroy your progress; choose another file, like `progress.json`\n",
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
    let env = TestEnv::new();
    let db = database_with_progress(&env, 3);
    let before = snapshot(env.path());
    let output = env
        .cmd()
        .env("LUPUS_QUIZ_NOW", NOW)
        .current_dir(db.parent().unwrap())
        .args([
            "--db",
            "progress.db",
            "export",
            "-o",
            "../data/./progress.db",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).starts_with(
            "error: refusing to export to `../data/./progress.db`: it is the progress database `progress.db`"
        ),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(snapshot(env.path()), before);
}

// 2. `export -o FILE` is atomic.

#[test]
fn export_replaces_the_old_file_whole_and_leaves_no_temporary_file() {
    let env = TestEnv::new();
    let db = database_with_progress(&env, 3);
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
    let env = TestEnv::new();
    // About 1 MB of export, over the file size limit the export runs under below; the
    // database's own files are read, not written, by an export.
    let db = database_with_progress(&env, 12_000);
    let out = env.path().join("exports/progress.json");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    run_ok(&env, &db, &["export", "-o", out.to_str().unwrap()]);
    let good = std::fs::read(&out).unwrap();
    assert!(good.len() > 1_000_000, "{} bytes", good.len());
    let before = snapshot(&env.path().join("exports"));

    // A write past the limit fails with "file too large" (EFBIG), as one past a full disk
    // fails with ENOSPC; SIGXFSZ is ignored so that the write returns the error.
    let inner = command(&env, &db, NOW, &["export", "-o", out.to_str().unwrap()]);
    let mut limited = Command::new("sh");
    limited
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 512; exec \"$0\" \"$@\"")
        .arg(inner.get_program())
        .args(inner.get_args())
        .current_dir(env.path());
    for (key, value) in inner.get_envs() {
        match value {
            Some(value) => limited.env(key, value),
            None => limited.env_remove(key),
        };
    }
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
