//! What the tool writes stays private and whole, and leaves nothing behind (issue 24, items
//! 1, 2, 3, 4, 9, 13, 20 and 22): progress files are their owner's only whatever the
//! umask, an export to standard output goes where the shell sent it, a failed or
//! interrupted write removes its temporary file, and a damaged database can be rescued.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use crate::hardening::run_ok;
use crate::hardening_files::unprivileged;
use crate::support::{
    TEST_NOW, Test, TestEnv, assert_contains, assert_lacks, command, stderr_of, stdout_of, wrapped,
};

/// The day after [`TEST_NOW`]: the first command of it writes the day's backup.
const NEXT_DAY: &str = "2026-03-02T09:00:00Z";

/// The binary run by `sh -c script`, where `"$0" "$@"` is the binary with `args`.
fn in_shell(env: &TestEnv, db: &Path, now: &str, script: &str, args: &[&str]) -> Command {
    wrapped(
        "sh",
        &["-c".as_ref(), script.as_ref()],
        &command(env, db, now, args),
    )
}

/// Runs the binary under the usual umask 022, with `stdin`; panics unless it succeeds.
fn under_umask_022(env: &TestEnv, db: &Path, now: &str, args: &[&str], stdin: &str) -> Output {
    use std::io::Write as _;
    let mut child = in_shell(env, db, now, "umask 022; exec \"$0\" \"$@\"", args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}{}",
        stdout_of(&output),
        stderr_of(&output)
    );
    output
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o7777
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The only file in `folder` whose name starts with `prefix`.
fn only_file(folder: &Path, prefix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].clone()
}

fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Whether another user (`nobody`, as root; the test's own user otherwise, who owns
/// the files) can read `path`.
fn another_user_reads(env: &TestEnv, path: &Path) -> bool {
    let mut cat = Command::new("cat");
    cat.arg(path).stdout(Stdio::null()).stderr(Stdio::null());
    unprivileged(env, cat).status().unwrap().success()
}

fn running_as_root(env: &TestEnv) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(env.path()).unwrap().uid() == 0
}

// 1. Private files.

#[test]
fn progress_files_are_readable_only_by_their_owner_whatever_the_umask() {
    let env = TestEnv::new();
    // Folders the tool creates, as for the default database in the data folder.
    let db = env.path().join("data/lupus-quiz/progress.db");
    under_umask_022(
        &env,
        &db,
        TEST_NOW,
        &["study", "basics", "--plain"],
        "1\n3\n1\n",
    );
    // The first command of the next day writes the backup; `doctor --repair` its copy.
    under_umask_022(&env, &db, NEXT_DAY, &["stats"], "");
    under_umask_022(&env, &db, NEXT_DAY, &["doctor", "--repair"], "");
    std::fs::create_dir(env.path().join("out")).unwrap();
    chmod(&env.path().join("out"), 0o755);
    let out = |name: &str| env.path().join("out").join(name);
    for args in [
        vec!["export", "-o", out("p.json").to_str().unwrap()],
        vec![
            "export",
            "--reviews-csv",
            "-o",
            out("r.csv").to_str().unwrap(),
        ],
        vec![
            "export",
            "--anki",
            out("d.apkg").to_str().unwrap(),
            "--with-progress",
        ],
    ] {
        under_umask_022(&env, &db, NEXT_DAY, &args, "");
    }
    let folder = db.parent().unwrap();
    let backups = folder.join("backups");
    let backup = only_file(&backups, "progress-2026-03-02");
    let repair_copy = only_file(folder, "progress-before-repair-");
    for created in [
        env.path().join("data"),
        folder.to_path_buf(),
        backups.clone(),
    ] {
        assert_eq!(mode(&created), 0o700, "{}", created.display());
    }
    let private = [
        db.clone(),
        backup.clone(),
        repair_copy.clone(),
        out("p.json"),
        out("r.csv"),
        out("d.apkg"),
    ];
    for file in &private {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    // An export that replaces one left open to all closes it.
    chmod(&out("p.json"), 0o644);
    under_umask_022(
        &env,
        &db,
        NEXT_DAY,
        &["export", "-o", out("p.json").to_str().unwrap()],
        "",
    );
    assert_eq!(mode(&out("p.json")), 0o600);
    // While the database is in use, its journal files are as private as it is.
    let reader = rusqlite::Connection::open(&db).unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM review_log", [], |row| row.get(0))
        .unwrap();
    under_umask_022(&env, &db, NEXT_DAY, &["study", "basics", "--plain"], "1\n");
    for suffix in ["-wal", "-shm"] {
        let journal = PathBuf::from(format!("{}{suffix}", db.display()));
        assert_eq!(mode(&journal), 0o600, "{}", journal.display());
    }
    drop(reader);
    // Another user cannot read any of them, even where the folders let them in (as an
    // older version made them): a file beside them that is open to all shows that they
    // could otherwise.
    if running_as_root(&env) {
        for dir in [env.path().join("data"), folder.to_path_buf(), backups] {
            chmod(&dir, 0o755);
        }
        let open = env.write("data/lupus-quiz/open-to-all.txt", "x");
        chmod(&open, 0o644);
        assert!(another_user_reads(&env, &open));
        for file in &private {
            assert!(!another_user_reads(&env, file), "{}", file.display());
        }
    }
}

#[test]
fn a_backup_is_never_more_readable_than_its_database() {
    let env = TestEnv::new();
    let db = env.db();
    run_ok(&env, &db, &["study", "basics", "--plain"]);
    // The user closed even their own writing of it to the group: 0600 stays 0600, and a
    // database made 0640 by hand gives a 0600 backup.
    chmod(&db, 0o640);
    under_umask_022(&env, &db, NEXT_DAY, &["stats"], "");
    let backup = only_file(&env.path().join("backups"), "progress-");
    assert_eq!(mode(&backup), 0o600);
    if running_as_root(&env) {
        chmod(&env.path().join("backups"), 0o755);
        assert!(!another_user_reads(&env, &backup));
    }
}

#[test]
fn doctor_names_progress_files_others_can_read_and_repair_makes_them_private() {
    let env = TestEnv::new();
    let db = env.db();
    run_ok(&env, &db, &["study", "basics", "--plain"]);
    Test::new(&env)
        .db(&db)
        .now(NEXT_DAY)
        .arg("stats")
        .any_stdout()
        .run();
    let backups = env.path().join("backups");
    let backup = only_file(&backups, "progress-");
    // As an older version left them under umask 022.
    chmod(&db, 0o644);
    chmod(&backups, 0o755);
    chmod(&backup, 0o644);
    let problem = |path: &Path, mode: &str, private: &str| {
        format!(
            "problem: `{}` can be read by other users (permissions {mode}); `--repair` makes it yours only ({private})\n",
            path.display()
        )
    };
    Test::new(&env)
        .db(&db)
        .now(NEXT_DAY)
        .arg("doctor")
        .status(1)
        .stdout_contains(problem(&db, "0644", "0600"))
        .stdout_contains(problem(&backups, "0755", "0700"))
        .stdout_contains(problem(&backup, "0644", "0600"))
        // The journal files SQLite made beside the database for `doctor` took its mode.
        .stdout_contains(problem(
            Path::new(&format!("{}-wal", db.display())),
            "0644",
            "0600",
        ))
        .stderr_contains("5 problems found")
        .run();
    Test::new(&env)
        .db(&db)
        .now(NEXT_DAY)
        .args(["doctor", "--repair"])
        .stdout_contains(format!(
            "Made `{}` yours only (permissions 0600, were 0644).\n",
            db.display()
        ))
        .stdout_contains(format!(
            "Made `{}` yours only (permissions 0700, were 0755).\n",
            backups.display()
        ))
        .run();
    assert_eq!(mode(&db), 0o600);
    assert_eq!(mode(&backups), 0o700);
    assert_eq!(mode(&backup), 0o600);
    Test::new(&env)
        .db(&db)
        .now(NEXT_DAY)
        .arg("doctor")
        .stdout_contains(
            "ok: the database and its backups can be read by you only\nNo problems found.\n",
        )
        .run();
}

// 2. Standard output.

#[test]
fn an_export_to_standard_output_appends_to_the_shells_file_and_feeds_a_pipe() {
    let env = TestEnv::new();
    let db = env.db();
    Test::new(&env)
        .db(&db)
        .args(["study", "basics", "--plain"])
        .stdin("1\n3\n1\n")
        .any_stdout()
        .run();
    let csv = run_ok(&env, &db, &["export", "--reviews-csv"]);
    assert!(csv.lines().count() > 1, "{csv}");
    let log = env.write("log.txt", "line 1 of my log\nline 2 of my log\n");
    let run = |script: &str, args: &[&str]| {
        let output = in_shell(&env, &db, TEST_NOW, script, args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr_of(&output));
        output
    };
    // `>>` appends.
    let appended = run(
        "\"$0\" \"$@\" >> log.txt",
        &["export", "--reviews-csv", "-o", "/dev/stdout"],
    );
    assert_eq!(stderr_of(&appended), "");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!("line 1 of my log\nline 2 of my log\n{csv}")
    );
    // So does another descriptor the shell opened with `>>`, and one sent to a pipe.
    run(
        "\"$0\" \"$@\" 3>> log.txt",
        &["export", "--reviews-csv", "-o", "/dev/fd/3"],
    );
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        format!("line 1 of my log\nline 2 of my log\n{csv}{csv}")
    );
    let piped = run(
        "\"$0\" \"$@\" 3>&1 >/dev/null | cat",
        &["export", "--reviews-csv", "-o", "/dev/fd/3"],
    );
    assert_eq!(stdout_of(&piped), csv);
    // What the shell writes before and after stays.
    run(
        "{ echo header; \"$0\" \"$@\"; echo footer; } > out.txt",
        &["export", "--reviews-csv", "-o", "/dev/stdout"],
    );
    assert_eq!(
        std::fs::read_to_string(env.path().join("out.txt")).unwrap(),
        format!("header\n{csv}footer\n")
    );
    // A pipe reads it, and `-` is standard output too; nothing else is printed there.
    for output in ["/dev/stdout", "-"] {
        let piped = run(
            "\"$0\" \"$@\" | cat",
            &["export", "--reviews-csv", "-o", output],
        );
        assert_eq!(stdout_of(&piped), csv, "-o {output}");
        let first = run("\"$0\" \"$@\" | head -1", &["export", "-o", output]);
        assert_eq!(stdout_of(&first), "{\n", "-o {output}");
    }
    // A reader that stops early (after more than a pipe holds) is no error, as with no `-o`.
    let large = env.path().join("large.db");
    database_of(&env, &large, 5_000);
    let first = in_shell(
        &env,
        &large,
        TEST_NOW,
        "{ \"$0\" \"$@\"; echo \"export exit $?\" >&2; } | head -1",
        &["export", "-o", "/dev/stdout"],
    )
    .output()
    .unwrap();
    assert_eq!(stdout_of(&first), "{\n");
    assert_eq!(stderr_of(&first), "export exit 0\n");
    // A regular file is still replaced whole.
    let file = env.write(
        "p.csv",
        "old contents that are longer than the export itself\n".repeat(50),
    );
    run("\"$0\" \"$@\"", &["export", "--reviews-csv", "-o", "p.csv"]);
    assert_eq!(std::fs::read_to_string(file).unwrap(), csv);
}

// 3 and 9. Temporary files.

/// Runs `script` with a file system of `size_kb` mounted at `folder`, in a mount namespace
/// of its own (as root; as another user, in a user namespace too), so that nothing outside
/// sees the mount and it goes when the script ends.
fn on_small_disk(
    env: &TestEnv,
    db: &Path,
    now: &str,
    folder: &Path,
    size_kb: u64,
    script: &str,
) -> Output {
    let namespace: &[&str] = if running_as_root(env) {
        &["-m"]
    } else {
        &["-r", "-m"]
    };
    let works = Command::new("unshare")
        .args(namespace)
        .args([
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k tmpfs /mnt || exit 1",
        ])
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        works,
        "a full disk is made with a small tmpfs in a namespace of its own, and `unshare {}` (util-linux) cannot mount one here: install util-linux, or allow user namespaces",
        namespace.join(" ")
    );
    std::fs::create_dir_all(folder).unwrap();
    let script = format!(
        "mount -t tmpfs -o size={size_kb}k tmpfs '{}' || exit 99\n{script}",
        folder.display()
    );
    use std::ffi::OsStr;
    let mut prefix: Vec<&OsStr> = namespace.iter().map(OsStr::new).collect();
    prefix.extend([OsStr::new("sh"), OsStr::new("-c"), OsStr::new(&script)]);
    // `$0` is the binary; the script gives it its arguments.
    let output = wrapped("unshare", &prefix, &command(env, db, now, &[]))
        .output()
        .unwrap();
    assert_ne!(output.status.code(), Some(99), "{}", stderr_of(&output));
    output
}

/// A database of `reviews` reviews in 400 cards, imported (so it is a real one).
fn database_of(env: &TestEnv, db: &Path, reviews: usize) {
    let mut csv = String::from("card,at,rating\n");
    let start = 1_700_000_000_000_i64;
    for i in 0..reviews {
        csv.push_str(&format!(
            "c-{},{},{}\n",
            i % 400,
            start + i as i64 * 60_000,
            1 + i % 4
        ));
    }
    let file = env.write("log.csv", csv);
    run_ok(env, db, &["import", file.to_str().unwrap()]);
    std::fs::remove_file(file).unwrap();
}

#[test]
fn a_backup_that_fills_the_disk_is_deleted_and_answers_are_still_saved() {
    let env = TestEnv::new();
    let built = env.path().join("built.db");
    database_of(&env, &built, 20_000);
    let size_kb = std::fs::metadata(&built).unwrap().len() / 1024;
    let disk = env.path().join("disk");
    let db = disk.join("progress.db");
    // Room for the database and half of it again: not for a backup, but for answers.
    let script = format!(
        "cp '{built}' '{db}' && chmod 600 '{db}'
         printf '1\\n1\\n' | \"$0\" --db '{db}' study basics --plain >/dev/null; echo \"study=$?\"
         ls -A '{disk}/backups'; echo listed
         \"$0\" --db '{db}' export --reviews-csv | wc -l",
        built = built.display(),
        db = db.display(),
        disk = disk.display(),
    );
    let output = on_small_disk(&env, &db, NEXT_DAY, &disk, size_kb * 3 / 2 + 256, &script);
    let stdout = stdout_of(&output);
    let stderr = stderr_of(&output);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "study=0", "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!(
            "warning: cannot write the backup `{}/backups/progress-2026-03-02T090000Z.db`: the disk is full (the partial copy was deleted)",
            disk.display()
        )),
        "{stderr}"
    );
    // No partial copy (nor its journal) is left, and the answer was saved (the CSV's
    // header, the imported reviews, the answer).
    assert_eq!(lines[1], "listed", "{stdout}");
    assert_eq!(
        lines[2].trim(),
        (1 + 20_000 + 1).to_string(),
        "{stdout}{stderr}"
    );
}

#[test]
fn a_full_disk_when_the_database_is_opened_gives_the_full_disk_message() {
    let env = TestEnv::new();
    let disk = env.path().join("disk");
    let db = disk.join("progress.db");
    let script = format!(
        "printf '1\\n3\\n' | \"$0\" --db '{db}' study basics --plain >/dev/null || exit 98
         dd if=/dev/zero of='{disk}/filler' bs=1k count=2000 2>/dev/null
         \"$0\" --db '{db}' stats",
        db = db.display(),
        disk = disk.display(),
    );
    let output = on_small_disk(&env, &db, TEST_NOW, &disk, 1024, &script);
    assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
    assert_eq!(
        stderr_of(&output),
        format!(
            "error: cannot write `{}`: the disk is full, so this change was not saved; free some space and try again\n",
            db.display()
        )
    );
}

/// The pid of a process that has ended.
fn dead_pid() -> u32 {
    let mut child = Command::new("true").spawn().unwrap();
    let pid = child.id();
    child.wait().unwrap();
    pid
}

#[test]
fn leftovers_of_killed_commands_are_removed_at_the_next_start() {
    let env = TestEnv::new();
    let db = env.db();
    run_ok(&env, &db, &["study", "basics", "--plain"]);
    let (dead, alive) = (dead_pid(), std::process::id());
    let backups = env.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    // What `kill -9` leaves of a backup, a repair's copy, a new database and an export.
    let left = [
        format!("backups/progress-2026-03-01T090000Z.db.partial-{dead}-123"),
        format!("backups/progress-2026-03-01T090000Z.db.partial-{dead}-123-journal"),
        format!("progress-before-repair-2026-03-01T090000Z.db.partial-{dead}-7"),
        format!(".progress.db.new-{dead}"),
        format!(".progress.db.new-{dead}-wal"),
        format!(".p.json.{dead}.tmp"),
        format!(".p.json.{dead}-2.tmp"),
    ];
    // What a running command is writing, and files that only look alike.
    let kept = [
        format!("backups/progress-2026-03-01T090000Z.db.partial-{alive}-123"),
        format!(".p.json.{alive}.tmp"),
        "backups/notes.partial-x".to_string(),
        format!(".other.json.{dead}.tmp"),
    ];
    for name in left.iter().chain(&kept) {
        env.write(name, "half a copy");
    }
    run_ok(&env, &db, &["stats"]);
    for name in &left[..5] {
        assert!(!env.path().join(name).exists(), "{name} is still there");
    }
    run_ok(&env, &db, &["export", "-o", "p.json"]);
    for name in &left {
        assert!(!env.path().join(name).exists(), "{name} is still there");
    }
    for name in &kept {
        assert!(env.path().join(name).exists(), "{name} was removed");
    }
}

/// Starts `export -o p.json` through `sh -c script` and sends it `signal` while it writes
/// its temporary file: how it ended, or `None` when the export was over before the signal
/// could land (on a loaded machine this thread may not run again until then).
fn signal_while_exporting(
    env: &TestEnv,
    db: &Path,
    script: &str,
    signal: &str,
) -> Option<std::process::ExitStatus> {
    let mut child = in_shell(env, db, TEST_NOW, script, &["export", "-o", "p.json"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let temp = env.path().join(format!(".p.json.{}.tmp", child.id()));
    // Waits for the export to be under way: its temporary file exists.
    while !temp.exists() && child.try_wait().unwrap().is_none() {
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    if !temp.exists() {
        assert!(child.wait().unwrap().success(), "the export failed");
        return None;
    }
    let sent = Command::new("kill")
        .args([format!("-{signal}"), child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    assert!(!temp.exists(), "SIG{signal} left {}", temp.display());
    assert!(
        !names(env.path()).iter().any(|n| n.ends_with(".tmp")),
        "SIG{signal} left a temporary file"
    );
    Some(status)
}

#[test]
fn an_export_ended_by_a_signal_removes_its_temporary_file_and_keeps_the_old_export() {
    let env = TestEnv::new();
    let db = env.db();
    database_of(&env, &db, 30_000);
    for signal in ["TERM", "INT", "HUP"] {
        // Run again until the signal lands while the export writes.
        let landed = (0..20).any(|_| {
            let old = env.write("p.json", "the previous export\n");
            let Some(status) = signal_while_exporting(&env, &db, "exec \"$0\" \"$@\"", signal)
            else {
                return false;
            };
            // Else the export had put its file in place as the signal came: no half file,
            // but not the case under test either.
            let kept = std::fs::read_to_string(&old).unwrap() == "the previous export\n";
            assert!(!kept || !status.success(), "SIG{signal}: {status}");
            kept
        });
        assert!(
            landed,
            "SIG{signal} never reached an export while it was writing, in 20 tries"
        );
    }
}

#[test]
fn an_export_under_nohup_is_not_ended_by_a_hang_up() {
    let env = TestEnv::new();
    let db = env.db();
    database_of(&env, &db, 30_000);
    // What `nohup` does: the hang-up ignored, and so for the program it starts.
    let script = "trap '' HUP; exec \"$0\" \"$@\"";
    let landed = (0..20).any(|_| {
        env.write("p.json", "the previous export\n");
        let Some(status) = signal_while_exporting(&env, &db, script, "HUP") else {
            return false;
        };
        assert!(
            status.success(),
            "a hang-up ended an export under nohup: {status}"
        );
        let export = std::fs::read_to_string(env.path().join("p.json")).unwrap();
        assert!(export.starts_with('{'), "{export}");
        true
    });
    assert!(
        landed,
        "SIGHUP never reached an export while it was writing, in 20 tries"
    );
}

// 4. The rescue of a damaged database.

const PAGE: usize = 4096;

/// Flips bytes inside page `page` (counted from 1), as the report damaged one.
fn damage_page(db: &Path, page: usize) {
    let mut bytes = std::fs::read(db).unwrap();
    for i in 100..400 {
        bytes[(page - 1) * PAGE + i] ^= 0x5A;
    }
    std::fs::write(db, bytes).unwrap();
}

/// A leaf page of the b-tree of table or index `name`: down from its root, by the fifth
/// child of each interior page, so that the damage is in the middle.
fn a_leaf_of(db: &Path, name: &str) -> usize {
    let root: i64 = rusqlite::Connection::open(db)
        .unwrap()
        .query_row(
            "SELECT rootpage FROM sqlite_schema WHERE name = ?1",
            [name],
            |row| row.get(0),
        )
        .unwrap();
    let bytes = std::fs::read(db).unwrap();
    let mut page = root as usize;
    loop {
        let start = (page - 1) * PAGE;
        match bytes[start] {
            // Leaf pages of a table and of an index.
            0x0D | 0x0A => return page,
            // Interior pages: a cell count, then a cell pointer array after 12 bytes.
            0x05 | 0x02 => {
                let cells = u16::from_be_bytes([bytes[start + 3], bytes[start + 4]]) as usize;
                let at = start + 12 + 2 * 4.min(cells - 1);
                let cell = u16::from_be_bytes([bytes[at], bytes[at + 1]]) as usize;
                let child = &bytes[start + cell..start + cell + 4];
                page = u32::from_be_bytes([child[0], child[1], child[2], child[3]]) as usize;
            }
            other => panic!("page {page} of the review log has type {other:#x}"),
        }
    }
}

#[test]
fn the_advised_rescue_of_a_damaged_database_saves_every_readable_review() {
    let env = TestEnv::new();
    let pristine = env.path().join("pristine.db");
    database_of(&env, &pristine, 30_000);
    // Damage in the index that export reads the log by (as the report's page 30 was),
    // then in the log itself.
    for (case, page) in [
        ("index", a_leaf_of(&pristine, "review_log_by_time")),
        ("log", a_leaf_of(&pristine, "review_log")),
    ] {
        let db = env.path().join(format!("{case}.db"));
        std::fs::copy(&pristine, &db).unwrap();
        damage_page(&db, page);
        // The advice the tool gives for the file...
        Test::new(&env)
            .db(&db)
            .now(NEXT_DAY)
            .args(["study", "basics", "--plain"])
            .status(1)
            .any_stdout()
            .stderr_contains("`lupus-quiz export -o rescue.json` saves what can still be read")
            .run();
        // ... works.
        let rescue = env.path().join(format!("{case}-rescue.json"));
        let output = Test::new(&env)
            .db(&db)
            .now(NEXT_DAY)
            .args(["export", "-o", rescue.to_str().unwrap()])
            .any_stdout()
            .any_stderr()
            .run();
        let exported: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&rescue).unwrap()).unwrap();
        let saved = exported["reviews"].as_array().unwrap().len();
        let stderr = stderr_of(&output);
        if case == "index" {
            assert_eq!(saved, 30_000);
            assert_contains(&stderr, "read row by row: 30000 reviews saved, none lost");
        } else {
            let lost = 30_000 - saved;
            assert!(lost > 0 && lost < 1000, "{saved} saved");
            assert!(
                stderr.contains(&format!(
                    "read row by row: {saved} reviews saved, {lost} of 30000 lost on damaged pages"
                )),
                "{stderr}"
            );
        }
        assert_eq!(
            stdout_of(&output),
            format!(
                "wrote {shown}: what the damaged database still holds, {saved} reviews; `lupus-quiz import {shown}` into a new database (`--db NEW.db`) brings it back\n",
                shown = rescue.display()
            )
        );
        // The rescue brings the reviews back into a new database.
        let new = env.path().join(format!("{case}-new.db"));
        let imported = run_ok(&env, &new, &["import", rescue.to_str().unwrap()]);
        assert!(
            imported.contains(&format!("{saved} reviews added")),
            "{imported}"
        );
    }
}

// 20 and 22.

#[test]
fn a_database_path_ending_in_a_slash_or_a_dash_is_refused_and_creates_nothing() {
    let env = TestEnv::new();
    Test::new(&env)
        .db(Path::new("sub/"))
        .arg("stats")
        .status(1)
        .stderr("error: `sub/` names a folder (it ends in `/`), and --db must name a database file inside it, such as `sub/progress.db`\n")
        .run();
    Test::new(&env)
        .db(Path::new("-"))
        .arg("stats")
        .status(1)
        .stderr("error: `-` cannot be the database: --db takes the path of a database file, not standard input or output; for a file named `-`, pass `./-`\n")
        .run();
    assert!(!env.path().join("sub").exists());
    assert!(!env.path().join("-").exists());
}

#[test]
fn an_unreadable_deck_file_is_named_in_words_not_an_os_error_code() {
    let env = TestEnv::new();
    let deck = env.write("decks/secret.yaml", crate::support::small_deck("secret", 1));
    chmod(&deck, 0o000);
    let check = Test::new(&env)
        .arg("check")
        .arg(env.path().join("decks"))
        .command();
    let output = unprivileged(&env, check).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!(
            "error: {}: cannot read the file: permission denied; make it readable for your user (`chmod u+r`)\n",
            deck.display()
        )),
        "{stderr}"
    );
    assert_lacks(&stderr, "os error");
}

#[test]
fn a_database_from_the_environment_is_not_shown_as_a_required_option_in_usage() {
    let env = TestEnv::new();
    let db = env.db();
    let output = Test::new(&env)
        .without_db()
        .env("LUPUS_QUIZ_DB", &db)
        .arg("forget")
        .status(2)
        .stderr_contains("Usage: lupus-quiz forget ")
        .run();
    let stderr = stderr_of(&output);
    assert_lacks(&stderr, "--db");
    // The variable still names the database.
    Test::new(&env)
        .without_db()
        .env("LUPUS_QUIZ_DB", &db)
        .args(["config", "new_per_day", "7"])
        .any_stdout()
        .any_stderr()
        .run();
    assert!(db.exists());
}
