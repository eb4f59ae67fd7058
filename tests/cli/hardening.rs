//! Nothing is lost when a session is killed, when two sessions share a database, when the
//! clock jumps back, or when the terminal goes away (issue 8, points 1, 2, 8 and 9).
//!
//! "Every card state equals the replay of its log" is checked twice over: `doctor` finds no
//! card whose state differs from its log, and importing the exported reviews into a fresh
//! database (which replays them) gives exactly the exported card states.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use lupus_quiz::deck::{Catalog, DeckCache, builtin_files, load_catalog};

use crate::plain_driver::{PlainDriver, Waiting, answer_all_rightly};
use crate::support::{
    TEST_NOW, Test, TestEnv, Tty, assert_contains, assert_lacks, assert_starts_with,
    builtin_catalog, command, plain_session, small_deck, stderr_of, stdout_of, wrapped,
};

/// Runs the binary to completion; panics unless it succeeds with nothing on stderr.
pub(crate) fn run_ok(env: &TestEnv, db: &Path, args: &[&str]) -> String {
    Test::new(env)
        .db(db)
        .now(TEST_NOW)
        .args(args)
        .any_stdout()
        .run_stdout()
}

/// `data/progress.db` of the test folder with the reviews of `csv` (written as `seed.csv`)
/// imported, and opened once more, so that the day's backup exists and later opens have
/// nothing to write.
pub(crate) fn seeded_database(env: &TestEnv, csv: &str) -> PathBuf {
    let db = env.path().join("data/progress.db");
    let seed = env.write("seed.csv", csv);
    run_ok(env, &db, &["import", seed.to_str().unwrap()]);
    run_ok(env, &db, &["stats"]);
    db
}

pub(crate) fn export(env: &TestEnv, db: &Path) -> serde_json::Value {
    serde_json::from_str(&run_ok(env, db, &["export"])).unwrap()
}

/// The exported reviews as (card, time).
pub(crate) fn reviews(export: &serde_json::Value) -> Vec<(String, String)> {
    export["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["card"].as_str().unwrap().to_string(),
                r["at"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The cards of the exported reviews of the test's database, in the order they were answered.
fn reviewed_cards(env: &TestEnv) -> Vec<String> {
    reviews(&export(env, &env.db()))
        .into_iter()
        .map(|(card, _)| card)
        .collect()
}

/// Every card state equals the replay of its log: `doctor` agrees, and so does a fresh
/// database built by importing the exported reviews alone.
pub(crate) fn assert_states_equal_replay(env: &TestEnv, db: &Path) {
    let doctor = run_ok(env, db, &["doctor"]);
    assert!(
        (doctor.contains("match their review logs") || doctor.contains("matches its review log"))
            && doctor.ends_with("No problems found.\n"),
        "{doctor}"
    );
    let exported = export(env, db);
    let only_reviews = serde_json::json!({
        "format": exported["format"],
        "version": exported["version"],
        "reviews": exported["reviews"],
    });
    let file = env.write(
        &format!("replay-{}.json", unique()),
        only_reviews.to_string(),
    );
    let fresh = env.path().join(format!("replayed-{}.db", unique()));
    run_ok(env, &fresh, &["import", file.to_str().unwrap()]);
    let replayed = export(env, &fresh);
    assert_eq!(replayed["cards"], exported["cards"]);
    assert_eq!(replayed["reviews"], exported["reviews"]);
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The same command, started through `sh` so that its process id lands in `pid_file`
/// (`exec` keeps the id), for sending it signals.
fn with_pid_file(command: Command, pid_file: &Path) -> Command {
    let script = std::ffi::OsStr::new("echo $$ > \"$0\"; exec \"$@\"");
    wrapped(
        "sh",
        &["-c".as_ref(), script, pid_file.as_os_str()],
        &command,
    )
}

fn kill(pid_file: &Path, signal: &str) {
    let pid = std::fs::read_to_string(pid_file).unwrap();
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("kill -{signal} {}", pid.trim()))
        .status()
        .unwrap();
    assert!(status.success());
}

/// A live session on the test's database, with the file its process id is written to.
fn spawn_with_pid(env: &TestEnv, args: &[&str]) -> (PlainDriver, PathBuf) {
    let pid_file = env.path().join(format!("pid-{}", unique()));
    let command = command(env, &env.db(), TEST_NOW, args);
    let driver = PlainDriver::spawn(with_pid_file(command, &pid_file));
    (driver, pid_file)
}

/// Answers `k` cards rightly; returns their ids and the screen of the next question.
fn answer_cards(driver: &mut PlainDriver, catalog: &Catalog, k: usize) -> Vec<String> {
    let mut answered = Vec::new();
    let mut transcript = String::new();
    while answered.len() < k {
        match driver.wait() {
            Waiting::Prompt { screen } => {
                transcript.push_str(&screen);
                answered.push(driver.answer_rightly(catalog, &screen, &mut transcript));
            }
            Waiting::Ended { screen } => panic!("ended early:\n{transcript}{screen}"),
        }
    }
    answered
}

// 1. Kill mid-session.

#[test]
fn sigkill_after_k_answers_keeps_exactly_those_answers() {
    let catalog = builtin_catalog();
    for k in [1, 3, 6] {
        let env = TestEnv::new();
        let (mut driver, pid_file) = spawn_with_pid(&env, &["study", "hsct", "--seed", "3"]);
        let answered = answer_cards(&mut driver, &catalog, k);
        // The next question on screen means the k-th answer went through.
        assert!(matches!(driver.wait(), Waiting::Prompt { .. }));
        kill(&pid_file, "KILL");
        let (code, _) = driver.finish();
        assert_eq!(code, None, "killed by a signal");

        assert_eq!(reviewed_cards(&env), answered, "k = {k}");
        assert_states_equal_replay(&env, &env.db());
    }
}

#[test]
fn sigkill_right_after_an_answer_keeps_it_whole_or_not_at_all() {
    let catalog = builtin_catalog();
    let env = TestEnv::new();
    let (mut driver, pid_file) = spawn_with_pid(&env, &["study", "basics", "--seed", "5"]);
    let answered = answer_cards(&mut driver, &catalog, 4);
    kill(&pid_file, "KILL");
    driver.finish();
    let cards = reviewed_cards(&env);
    assert!(
        cards == answered || cards == answered[..3],
        "{cards:?} against {answered:?}"
    );
    assert_states_equal_replay(&env, &env.db());
}

// 2. Two sessions at once.

/// Drives two live sessions on a new test folder's database by turns, one answer each,
/// until both end; returns the folder and how many cards the two answered.
fn two_sessions_by_turns(first: &[&str], second: &[&str]) -> (TestEnv, usize) {
    let catalog = builtin_catalog();
    let env = TestEnv::new();
    let db = env.db();
    let mut drivers = [
        Test::new(&env).db(&db).args(first).plain(),
        Test::new(&env).db(&db).args(second).plain(),
    ];
    let mut transcripts = [String::new(), String::new()];
    let mut answered = [Vec::new(), Vec::new()];
    let mut ended = [false, false];
    while !ended.iter().all(|e| *e) {
        for i in 0..2 {
            if ended[i] {
                continue;
            }
            match drivers[i].wait() {
                Waiting::Prompt { screen } => {
                    transcripts[i].push_str(&screen);
                    let id = drivers[i].answer_rightly(&catalog, &screen, &mut transcripts[i]);
                    answered[i].push(id);
                }
                Waiting::Ended { screen } => {
                    transcripts[i].push_str(&screen);
                    ended[i] = true;
                }
            }
        }
    }
    for (i, driver) in drivers.into_iter().enumerate() {
        let (code, _) = driver.finish();
        assert_eq!(code, Some(0), "{}", transcripts[i]);
        assert!(
            transcripts[i].contains(&format!(
                "Session done: {} cards answered",
                answered[i].len()
            )),
            "{}",
            transcripts[i]
        );
    }
    let total = answered[0].len() + answered[1].len();
    (env, total)
}

#[test]
fn two_live_sessions_on_different_decks_both_count() {
    let (env, total) = two_sessions_by_turns(
        &["study", "hsct", "--seed", "1"],
        &["study", "basics", "--seed", "2"],
    );
    assert_eq!(reviewed_cards(&env).len(), total);
    assert_states_equal_replay(&env, &env.db());
}

#[test]
fn two_live_sessions_on_the_same_deck_both_count() {
    // The same seed: both show the same card at the same moment, and both answers count.
    let (env, total) = two_sessions_by_turns(
        &["study", "hsct", "--seed", "1"],
        &["study", "hsct", "--seed", "1"],
    );
    let db = env.db();
    let log = reviews(&export(&env, &db));
    assert_eq!(log.len(), total);
    let distinct: std::collections::BTreeSet<&(String, String)> = log.iter().collect();
    assert_eq!(
        distinct.len(),
        total,
        "no two reviews of a card share a time"
    );
    assert_states_equal_replay(&env, &db);
}

/// Four sessions started together on a new database, answering as fast as they can read:
/// every answer lands and nobody is told the database is locked.
#[test]
fn four_sessions_racing_on_a_new_database_lose_nothing() {
    let env = TestEnv::new();
    let db = env.db();
    let decks = ["hsct", "basics", "hsct", "basics"];
    let children: Vec<_> = decks
        .iter()
        .map(|deck| {
            let mut child = command(&env, &db, TEST_NOW, &["study", deck, "--new", "50"])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut stdin = child.stdin.take().unwrap();
            // Any line answers something: "1" picks option 1, types "1", or grades Again.
            std::thread::spawn(move || {
                use std::io::Write;
                let _ = stdin.write_all("1\n".repeat(200).as_bytes());
            });
            child
        })
        .collect();
    let mut answered = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        let stdout = stdout_of(&output);
        assert_eq!(stderr_of(&output), "", "{stdout}");
        assert!(output.status.success());
        let line = stdout
            .lines()
            .find_map(|l| l.strip_prefix("Session done: "))
            .unwrap_or_else(|| panic!("no summary:\n{stdout}"));
        let count: usize = line.split(' ').next().unwrap().parse().unwrap();
        assert!(count > 0, "{stdout}");
        answered += count;
    }
    assert_eq!(reviews(&export(&env, &db)).len(), answered);
    assert_states_equal_replay(&env, &db);
}

// 8. Clock trouble.

#[test]
fn a_clock_set_back_between_sessions_still_records_every_answer() {
    let catalog = builtin_catalog();
    let env = TestEnv::new();
    let db = env.db();
    let mut transcripts = String::new();
    let mut answered = Vec::new();
    for now in ["2026-03-01T12:00:00Z", "2026-03-01T10:00:00Z"] {
        let mut driver = Test::new(&env)
            .db(&db)
            .now(now)
            .args(["study", "hsct"])
            .plain();
        answered.extend(answer_cards(&mut driver, &catalog, 3));
        match driver.wait() {
            Waiting::Prompt { .. } => driver.send("q"),
            Waiting::Ended { screen } => panic!("{screen}"),
        }
        let (code, transcript) = driver.finish();
        assert_eq!(code, Some(0), "{transcript}");
        transcripts.push_str(&transcript);
    }
    assert_lacks(&transcripts, "in -");
    let mut cards = reviewed_cards(&env);
    cards.sort();
    answered.sort();
    assert_eq!(cards, answered);
    assert_states_equal_replay(&env, &db);
    run_ok(&env, &db, &["stats"]);
}

/// A session whose clock is behind the time of a card's last review (another session, on
/// a machine a day ahead, answered it meanwhile): the answer is stored just after that
/// review, so the card's log stays in order and no interval comes out negative.
#[test]
fn an_answer_timed_before_the_cards_last_review_is_recorded_after_it() {
    let env = TestEnv::new();
    let db = env.db();
    env.write("decks/one.yaml", small_deck("one", 1));
    let decks = env.path().join("decks");
    let study = |now: &str| {
        let mut command = command(&env, &db, now, &["study", "one"]);
        command.arg("--decks").arg(&decks);
        PlainDriver::spawn(command)
    };
    let catalog = {
        let mut files = builtin_files();
        files.push(lupus_quiz::deck::read_file(&decks.join("one.yaml")));
        load_catalog(files, &DeckCache::disabled()).unwrap()
    };
    let mut behind = study("2026-03-01T09:00:00Z");
    let Waiting::Prompt {
        screen: behind_screen,
    } = behind.wait()
    else {
        panic!("no question")
    };
    let mut ahead = study("2026-03-02T09:00:00Z");
    let (answered, transcript) = answer_all_rightly(&mut ahead, &catalog);
    assert!(
        !answered.is_empty() && answered.iter().all(|id| id == "one-card-1"),
        "{transcript}"
    );
    assert_eq!(ahead.finish().0, Some(0));

    let mut transcript = behind_screen.clone();
    behind.answer_rightly(&catalog, &behind_screen, &mut transcript);
    let (code, rest) = behind.finish();
    transcript.push_str(&rest);
    assert_eq!(code, Some(0), "{transcript}");
    assert_contains(&transcript, "Graded Good, next: in ");
    assert_lacks(&transcript, "in -");

    let exported = export(&env, &db);
    let times: Vec<String> = reviews(&exported).into_iter().map(|(_, at)| at).collect();
    assert_eq!(
        times.len(),
        answered.len() + 1,
        "the late answer is recorded"
    );
    let instant = |text: &str| lupus_quiz::clock::parse_instant(text).unwrap();
    let (last, before) = times.split_last().unwrap();
    assert!(before[0].starts_with("2026-03-02T09:00:0"), "{times:?}");
    assert_eq!(
        instant(last) - instant(before.last().unwrap()),
        chrono::TimeDelta::milliseconds(1),
        "stored just after the review it came after: {times:?}"
    );
    let card = &exported["cards"][0];
    assert_eq!(card["reps"], times.len());
    assert!(card["due"].as_str().unwrap() > card["last_review"].as_str().unwrap());
    Test::new(&env)
        .db(&db)
        .decks(&decks)
        .arg("doctor")
        .stdout_contains("ok: 1 card state matches its review log\n")
        .run();
}

// 9. Terminal trouble.

#[test]
fn sighup_to_an_interactive_session_ends_it_quietly_and_keeps_the_answers() {
    use expectrl::process::unix::{Signal, WaitStatus};
    use expectrl::{Eof, Expect, Regex};

    let env = TestEnv::new();
    let db = env.db();
    env.write("decks/one.yaml", small_deck("one", 2));
    let mut command = command(&env, &db, TEST_NOW, &["study", "one", "--seed", "1"]);
    command
        .env("TERM", "xterm")
        .arg("--decks")
        .arg(env.path().join("decks"));
    // Under `nohup` (or a runner that ignores hang-ups) the child would inherit the ignored
    // disposition; a terminal's program gets the default one, so the test gives it that.
    // SAFETY: `signal` is async-signal-safe, as code between fork and exec must be.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGHUP, libc::SIG_DFL);
            Ok(())
        });
    }
    let mut session = Tty::spawn(command, 100, 40);

    session.expect(Regex(r"Question \d\?")).unwrap();
    let found = session.expect(Regex(r"(\d)\) Right \d")).unwrap();
    let number = String::from_utf8_lossy(found.get(1).unwrap()).to_string();
    session.send(format!("{number}\r")).unwrap();
    session.expect("✓ Right").unwrap();
    session.expect("Enter next").unwrap();

    session.get_process_mut().kill(Signal::SIGHUP).unwrap();
    let rest = session.expect(Eof).unwrap();
    let rest = String::from_utf8_lossy(rest.before());
    assert!(
        !rest.contains("panicked") && !rest.contains("error"),
        "{rest}"
    );
    let status = session.get_process().wait().unwrap();
    assert!(
        matches!(
            status,
            WaitStatus::Signaled(_, Signal::SIGHUP, _) | WaitStatus::Exited(_, 0)
        ),
        "{status:?}"
    );

    let log = reviews(&export(&env, &db));
    assert_eq!(log.len(), 1, "the answer given before the hang-up is kept");
}

/// Runs the binary with a stdout whose reading end is already closed, as
/// `lupus-quiz stats | head -1` leaves it once `head` has its line.
fn with_closed_stdout(env: &TestEnv, db: &Path, args: &[&str], stdin: &str) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = command(env, db, TEST_NOW, args)
        .stdin(Stdio::piped())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut input = child.stdin.take().unwrap();
        let _ = input.write_all(stdin.as_bytes());
    }
    let output = child.wait_with_output().unwrap();
    (output.status.code().unwrap_or(-1), stderr_of(&output))
}

#[test]
fn a_closed_stdout_ends_every_command_quietly() {
    let env = TestEnv::new();
    let db = env.db();
    // Some progress, so every report has lines to write.
    let catalog = builtin_catalog();
    let mut driver = plain_session(&env, &["study", "hsct"]);
    answer_cards(&mut driver, &catalog, 4);
    driver.close();
    driver.finish();
    let before = reviews(&export(&env, &db));

    for args in [
        &["stats"][..],
        &["stats", "--json"],
        &["export"],
        &["export", "--reviews-csv"],
        &["decks"],
        &["check"],
        &["doctor"],
        &["config"],
        &[],
        &["--help"],
        &["completions", "bash"],
        &["study", "basics", "--plain"],
        &["review", "--plain"],
        &["quiz", "hsct", "--plain"],
    ] {
        let (code, stderr) = with_closed_stdout(&env, &db, args, "1\n1\n1\n");
        assert_eq!(
            (code, stderr.as_str()),
            (0, ""),
            "`lupus-quiz {}`",
            args.join(" ")
        );
    }
    assert_eq!(reviews(&export(&env, &db)), before, "nothing lost");
}

/// A card suspended from another terminal while a session runs is left out when its turn
/// comes, and the session still ends in order.
#[test]
fn a_card_suspended_in_another_terminal_during_a_session_is_not_shown() {
    let catalog = builtin_catalog();
    let env = TestEnv::new();
    let db = env.db();
    // New cards come in deck order: the third is still to come while the first is shown.
    let hsct: Vec<String> = catalog
        .deck("hsct")
        .unwrap()
        .cards
        .ids()
        .map(String::from)
        .collect();
    let mut driver = plain_session(&env, &["study", "hsct", "--plain"]);
    let Waiting::Prompt { screen } = driver.wait() else {
        panic!("the session shows a first card");
    };
    let suspended = run_ok(&env, &db, &["suspend", &hsct[2]]);
    assert_starts_with(&suspended, "suspended 1 card");
    let mut transcript = screen.clone();
    let first = driver.answer_rightly(&catalog, &screen, &mut transcript);
    assert_eq!(first, hsct[0]);
    let (mut answered, rest) = answer_all_rightly(&mut driver, &catalog);
    transcript.push_str(&rest);
    answered.insert(0, first);
    let (code, _) = driver.finish();
    assert_eq!(code, Some(0), "{transcript}");
    assert!(!answered.contains(&hsct[2]), "{answered:?}\n{transcript}");
    assert!(answered.contains(&hsct[3]), "{answered:?}\n{transcript}");
}
