//! A hermetic environment for running the binary: its own home, config, data and cache
//! folders, UTC as the time zone, and none of the user's `LUPUS_QUIZ_*` variables; and
//! [`Test`], the builder most tests read like usage through.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

use crate::plain_driver::PlainDriver;

pub(crate) struct TestEnv {
    pub home: TempDir,
}

impl TestEnv {
    pub(crate) fn new() -> TestEnv {
        TestEnv {
            home: TempDir::new().expect("a temporary folder"),
        }
    }

    /// The `lupus-quiz` binary with a clean environment rooted in this test's folder, as
    /// a plain `std::process::Command` (for driving the program live; [`Test`] runs it).
    pub(crate) fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lupus-quiz"));
        for (key, _) in std::env::vars() {
            // COLUMNS too: reports fit it, and a developer's shell may export one.
            if key.starts_with("LUPUS_QUIZ_") || key == "COLUMNS" {
                cmd.env_remove(key);
            }
        }
        let home = self.home.path();
        cmd.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .current_dir(home);
        cmd
    }

    /// Another `program` (a shell, say) in this test's hermetic environment and folder.
    pub(crate) fn other_program(&self, program: &str) -> std::process::Command {
        let mut command = std::process::Command::new(program);
        take_environment(&mut command, &self.std_cmd());
        command
    }

    /// Writes a file below the test folder, creating folders as needed.
    pub(crate) fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.home.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
        std::fs::write(&path, contents).expect("write file");
        path
    }

    pub(crate) fn path(&self) -> &Path {
        self.home.path()
    }

    /// Creates a folder below the test folder, with its parents; returns its path.
    pub(crate) fn folder(&self, relative: &str) -> PathBuf {
        let path = self.home.path().join(relative);
        std::fs::create_dir_all(&path).expect("create folder");
        path
    }

    /// The database most tests use: `progress.db` in the test's folder (passed with `--db`).
    pub(crate) fn db(&self) -> PathBuf {
        self.home.path().join("progress.db")
    }
}

/// The repository's folder (for fixtures).
pub(crate) fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn fixture(relative: &str) -> PathBuf {
    repo_dir().join("tests/fixtures").join(relative)
}

pub(crate) fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A small valid deck in YAML.
pub(crate) fn small_deck(prefix: &str, cards: usize) -> String {
    let mut yaml = format!("title: {prefix} deck\ndescription: A test deck.\ncards:\n");
    for i in 1..=cards {
        yaml.push_str(&format!(
            "  - id: {prefix}-card-{i}\n    type: choice\n    question: Question {i}?\n    answer: Right {i}\n    distractors: [Wrong {i}a, Wrong {i}b]\n    explanation: Because {i}.\n    source: Introduction\n"
        ));
    }
    yaml
}

/// A new test folder with the deck of [`typed_deck`] of `cards` cards.
pub(crate) fn with_typed_deck(cards: usize) -> TestEnv {
    let env = TestEnv::new();
    typed_deck(&env, cards);
    env
}

/// A deck of `cards` typed cards, `Capitals`: card i asks "Capital number i?" and takes
/// `city-i`. Written as `decks/capitals.yaml` in the test's folder.
pub(crate) fn typed_deck(env: &TestEnv, cards: usize) {
    let mut yaml = String::from("title: Capitals\ndescription: Typed cards.\ncards:\n");
    for i in 1..=cards {
        yaml.push_str(&format!(
            "  - id: cap-{i}\n    type: typed\n    question: Capital number {i}?\n    answers: [city-{i}]\n    explanation: Because {i}.\n    source: Introduction\n"
        ));
    }
    env.write("decks/capitals.yaml", yaml);
}

/// A deck of `tests/fixtures/decks/` by its name, as YAML text compiled into the tests:
/// the decks several test files share live there once.
macro_rules! fixture_deck {
    ($name:literal) => {
        include_str!(concat!("../fixtures/decks/", $name, ".yaml"))
    };
}
pub(crate) use fixture_deck;

/// The built-in decks, as the binary loads them (parsed: never through the user's cache).
pub(crate) fn builtin_catalog() -> lupus_quiz::deck::Catalog {
    use lupus_quiz::deck::{DeckCache, builtin_files, load_catalog};
    load_catalog(builtin_files(), &DeckCache::disabled()).expect("the built-in decks load")
}

/// The binary with a database and a clock, ready to run `args` (for driving it live).
pub(crate) fn command(env: &TestEnv, db: &Path, now: &str, args: &[&str]) -> std::process::Command {
    let mut command = env.std_cmd();
    command
        .env("LUPUS_QUIZ_NOW", now)
        .arg("--db")
        .arg(db)
        .args(args);
    command
}

/// One run of the binary, described as a user would type it, with what it must print:
/// exit status 0, empty stdout and empty stderr unless the test says otherwise, each
/// compared exactly (as just's tests do). `stdout_contains` and friends opt out of the
/// exact comparison where output holds paths or times.
#[must_use]
pub(crate) struct Test<'e> {
    env: &'e TestEnv,
    args: Vec<std::ffi::OsString>,
    envs: Vec<(String, String)>,
    stdin: Option<Vec<u8>>,
    /// The folder it runs in, when not the test's folder.
    current_dir: Option<PathBuf>,
    /// How long the run may take before it is killed (and fails): for inputs that could
    /// make the program hang, such as a FIFO.
    timeout: Option<std::time::Duration>,
    /// `None`: any status (the test checks the output itself).
    status: Option<i32>,
    stdout: Expect,
    stderr: Expect,
}

enum Expect {
    Exactly(String),
    Containing(Vec<String>),
    Anything,
}

impl Expect {
    fn check(&self, what: &str, actual: &str, run: &str) {
        match self {
            Expect::Exactly(expected) => {
                assert_eq!(actual, expected, "{what} of `{run}`");
            }
            Expect::Containing(parts) => {
                for part in parts {
                    assert!(
                        actual.contains(part.as_str()),
                        "{what} of `{run}` lacks `{part}`:\n{actual}"
                    );
                }
            }
            Expect::Anything => {}
        }
    }
}

impl<'e> Test<'e> {
    /// `lupus-quiz` in `env`, with the database `progress.db` of its folder and the test
    /// clock.
    pub(crate) fn new(env: &'e TestEnv) -> Test<'e> {
        Test {
            env,
            args: vec!["--db".into(), env.db().into_os_string()],
            envs: vec![("LUPUS_QUIZ_NOW".into(), TEST_NOW.into())],
            stdin: None,
            current_dir: None,
            timeout: None,
            status: Some(0),
            stdout: Expect::Exactly(String::new()),
            stderr: Expect::Exactly(String::new()),
        }
    }

    /// The database of this run, instead of `progress.db` in the test's folder.
    pub(crate) fn db(mut self, path: &Path) -> Self {
        self.args[1] = path.as_os_str().to_os_string();
        self
    }

    /// No `--db` at all: the program finds its database itself (in the test's data
    /// folder, or through `LUPUS_QUIZ_DB`).
    pub(crate) fn without_db(mut self) -> Self {
        self.args.drain(..2);
        self
    }

    /// The folder `decks` of the test's folder as the user's own decks (`--decks`).
    pub(crate) fn own_decks(self) -> Self {
        let folder = self.env.path().join("decks");
        self.decks(folder)
    }

    /// The folder of the user's own decks (`--decks`) for this run.
    pub(crate) fn decks(self, folder: impl AsRef<Path>) -> Self {
        self.arg("--decks").arg(folder.as_ref())
    }

    pub(crate) fn arg(mut self, arg: impl AsRef<std::ffi::OsStr>) -> Self {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    pub(crate) fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    pub(crate) fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.envs
            .push((key.into(), value.as_ref().to_string_lossy().into_owned()));
        self
    }

    /// The clock (`LUPUS_QUIZ_NOW`) for this run.
    pub(crate) fn now(self, now: &str) -> Self {
        self.env("LUPUS_QUIZ_NOW", now)
    }

    pub(crate) fn stdin(mut self, input: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(input.into());
        self
    }

    /// Runs it in `folder` instead of the test's folder (for relative paths).
    pub(crate) fn current_dir(mut self, folder: &Path) -> Self {
        self.current_dir = Some(folder.to_path_buf());
        self
    }

    /// Kills the run after `limit`, which then fails on its exit status.
    pub(crate) fn timeout(mut self, limit: std::time::Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    pub(crate) fn status(mut self, code: i32) -> Self {
        self.status = Some(code);
        self
    }

    /// No expectation at all: the test inspects the output it gets back.
    pub(crate) fn unchecked(mut self) -> Self {
        self.status = None;
        self.stdout = Expect::Anything;
        self.stderr = Expect::Anything;
        self
    }

    pub(crate) fn stdout(mut self, expected: impl Into<String>) -> Self {
        self.stdout = Expect::Exactly(expected.into());
        self
    }

    pub(crate) fn stderr(mut self, expected: impl Into<String>) -> Self {
        self.stderr = Expect::Exactly(expected.into());
        self
    }

    pub(crate) fn stdout_contains(mut self, part: impl Into<String>) -> Self {
        self.stdout = contains(self.stdout, part.into());
        self
    }

    pub(crate) fn stderr_contains(mut self, part: impl Into<String>) -> Self {
        self.stderr = contains(self.stderr, part.into());
        self
    }

    pub(crate) fn any_stdout(mut self) -> Self {
        self.stdout = Expect::Anything;
        self
    }

    pub(crate) fn any_stderr(mut self) -> Self {
        self.stderr = Expect::Anything;
        self
    }

    /// The binary with this run's arguments and environment, not yet started (for a test
    /// that must adjust the process itself before [`Tty::spawn`]).
    pub(crate) fn command(&self) -> std::process::Command {
        let mut command = self.env.std_cmd();
        command.args(&self.args);
        for (key, value) in &self.envs {
            command.env(key, value);
        }
        if let Some(folder) = &self.current_dir {
            command.current_dir(folder);
        }
        command
    }

    /// Starts it as a plain-mode session that the test answers line by line, as a learner
    /// at a pipe would (see [`PlainDriver`]). The expectations on status and output do not
    /// apply: the test reads the transcript.
    pub(crate) fn plain(self) -> PlainDriver {
        PlainDriver::spawn(self.command())
    }

    /// Starts it in a pseudo-terminal `columns` wide and `rows` high from its first
    /// instruction, as an xterm: `stty` sets the size before the program starts, so nothing
    /// is drawn (or measured) at the pty's default width while the test is still resizing
    /// it. The expectations on status and output do not apply: the test reads the screen.
    pub(crate) fn pty(self, columns: u16, rows: u16) -> Tty {
        let command = wrapped(
            "sh",
            &[
                "-c".as_ref(),
                format!("stty cols {columns} rows {rows} && exec \"$0\" \"$@\"").as_ref(),
            ],
            self.command().env("TERM", "xterm"),
        );
        Tty::spawn(command, columns, rows)
    }

    /// Runs it, checks status, stdout and stderr, and returns the output for more checks.
    pub(crate) fn run(self) -> std::process::Output {
        // stdin is a pipe, written while the output is read and then closed; a program
        // that stops reading early closes it, which is not the test's concern.
        let mut command = Command::from_std(self.command());
        command.write_stdin(self.stdin.clone().unwrap_or_default());
        if let Some(limit) = self.timeout {
            command.timeout(limit);
        }
        let output = command.output().expect("the binary runs");
        let run = self
            .args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let (stdout, stderr) = (stdout_of(&output), stderr_of(&output));
        if let Some(status) = self.status {
            assert_eq!(
                output.status.code(),
                Some(status),
                "exit status of `{run}`; stdout:\n{stdout}\nstderr:\n{stderr}"
            );
        }
        self.stdout.check("stdout", &stdout, &run);
        self.stderr.check("stderr", &stderr, &run);
        if is_plain_output(&self.args) {
            assert_plain_words(&stdout, &run);
        }
        output
    }

    /// Runs it as [`Test::run`] does and returns its stdout, for a test that reads the
    /// output further (a JSON export, a table to pick a line from).
    pub(crate) fn run_stdout(self) -> String {
        stdout_of(&self.run())
    }

    /// Runs it as [`Test::run`] does and reads its stdout as JSON.
    pub(crate) fn run_json(self) -> serde_json::Value {
        let stdout = self.run_stdout();
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}"))
    }
}

/// A program in a pseudo-terminal, and the screen it has drawn so far. It derefs to the
/// expectrl session, so a test may also `expect` and `send` on it directly; only
/// [`Tty::wait`] and [`Tty::wait_row`] draw what they read onto [`Tty::contents`].
pub(crate) struct Tty {
    pub(crate) session: expectrl::session::OsSession,
    pub(crate) screen: vt100::Parser,
    /// Every byte the program wrote that the test took in.
    pub(crate) log: Vec<u8>,
}

impl Tty {
    /// Starts `command` in a pseudo-terminal of `columns` × `rows`, allowing 20 s for each
    /// awaited text.
    pub(crate) fn spawn(command: std::process::Command, columns: u16, rows: u16) -> Tty {
        let mut session = expectrl::Session::spawn(command).expect("spawn in a pty");
        session
            .get_process_mut()
            .set_window_size(columns, rows)
            .expect("the pty takes its size");
        session.set_expect_timeout(Some(std::time::Duration::from_secs(20)));
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("a non-zero size");
        Tty {
            session,
            screen: vt100::Parser::new(size(rows), size(columns), 0),
            log: Vec::new(),
        }
    }

    /// Waits until the program has written `needle`, and takes in what it drew up to it.
    pub(crate) fn wait(&mut self, needle: &str) {
        use expectrl::Expect as _;
        let found = self.session.expect(needle).unwrap_or_else(|e| {
            panic!(
                "`{needle}` never drawn ({e}); the screen:\n{}",
                self.contents()
            )
        });
        self.take(found.as_bytes());
    }

    /// Waits for each of `needles`, in this order.
    pub(crate) fn wait_all(&mut self, needles: &[&str]) {
        for needle in needles {
            self.wait(needle);
        }
    }

    /// Answers a choice by the number key of the option that matches `option` (a regular
    /// expression, as in [`Tty::number_of`]), then Enter.
    pub(crate) fn choose(&mut self, option: &str) {
        let number = self.number_of(option);
        self.press(&format!("{number}\r"));
    }

    /// Waits for the feedback's `Enter next` hint and presses Enter: on to the next card.
    pub(crate) fn next_card(&mut self) {
        self.wait("Enter next");
        self.press("\r");
    }

    /// Presses `keys`, then waits for the next row that contains `text` (the redraw the keys
    /// cause), as [`Tty::wait_row`] does.
    pub(crate) fn press_for_row(&mut self, keys: &str, text: &str) {
        self.press(keys);
        self.wait_row(text);
    }

    /// Waits for the next row that contains `text`, through its line end (so that the
    /// row is whole on the screen).
    pub(crate) fn wait_row(&mut self, text: &str) {
        use expectrl::Expect as _;
        for needle in [text, "\n"] {
            let found = self.session.expect(needle).unwrap_or_else(|e| {
                panic!("no row `{text}` ({e}); the screen:\n{}", self.contents())
            });
            self.take(found.as_bytes());
        }
    }

    /// Draws `bytes` the program wrote onto the screen and keeps them in the log.
    pub(crate) fn take(&mut self, bytes: &[u8]) {
        self.screen.process(bytes);
        self.log.extend_from_slice(bytes);
    }

    /// Presses `keys` (named apart from expectrl's `send`, which the session offers too).
    pub(crate) fn press(&mut self, keys: &str) {
        use expectrl::Expect as _;
        self.session.send(keys).expect("keys reach the pty");
    }

    pub(crate) fn contents(&self) -> String {
        self.screen.screen().contents()
    }

    /// The screen's rows, trailing spaces cut.
    pub(crate) fn rows(&self) -> Vec<String> {
        let screen = self.screen.screen();
        let columns = screen.size().1.get();
        screen
            .rows(0, columns)
            .map(|row| row.trim_end().to_string())
            .collect()
    }

    /// The last row on screen that contains `text`.
    pub(crate) fn row_with(&self, text: &str) -> String {
        self.rows()
            .into_iter()
            .rev()
            .find(|row| row.contains(text))
            .unwrap_or_else(|| panic!("no row with `{text}`:\n{}", self.contents()))
    }

    /// Waits for the program to end, taking in the rest of what it drew.
    /// Asserts that the row holding `text` starts with `start` (where a focus marker goes).
    pub(crate) fn assert_row_starts(&self, text: &str, start: &str) {
        let row = self.row_with(text);
        assert!(
            row.starts_with(start),
            "the row of `{text}` does not start with `{start}`: `{row}`\n{}",
            self.contents()
        );
    }

    /// Asserts that the row of `focused` carries the focus marker `❯ ` and the rows of
    /// `others` are indented without it.
    pub(crate) fn assert_focus(&self, focused: &str, others: &[&str]) {
        self.assert_row_starts(focused, &format!("❯ {focused}"));
        for other in others {
            self.assert_row_starts(other, &format!("  {other}"));
        }
    }

    /// Presses Enter to confirm an answer and waits for the feedback's `Enter next` hint.
    pub(crate) fn confirm(&mut self) {
        self.press("\r");
        self.wait("Enter next");
    }

    /// Waits for the option row `N) option` (`option` a regular expression) and returns its
    /// number `N`: options are shuffled, so a test finds the one it means by its text.
    pub(crate) fn number_of(&mut self, option: &str) -> String {
        use expectrl::Expect as _;
        let found = self
            .session
            .expect(expectrl::Regex(format!(r"(\d)\) {option}")))
            .unwrap_or_else(|e| panic!("no option `{option}` drawn: {e}"));
        self.take(found.as_bytes());
        String::from_utf8_lossy(found.get(1).expect("a number")).into_owned()
    }

    pub(crate) fn finish(mut self) -> Tty {
        use expectrl::Expect as _;
        let rest = self
            .session
            .expect(expectrl::Eof)
            .expect("the session ends");
        self.take(rest.as_bytes());
        self
    }
}

impl std::ops::Deref for Tty {
    type Target = expectrl::session::OsSession;

    fn deref(&self) -> &Self::Target {
        &self.session
    }
}

impl std::ops::DerefMut for Tty {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.session
    }
}

/// `args` in `env` as a plain-mode session that the test answers line by line
/// ([`Test::plain`]), on the test's `progress.db`.
pub(crate) fn plain_session(env: &TestEnv, args: &[&str]) -> PlainDriver {
    Test::new(env).args(args).plain()
}

/// Runs `args` in `env`, which must succeed printing each of `parts`, and nothing on stderr.
pub(crate) fn runs_printing(env: &TestEnv, args: &[&str], parts: &[&str]) {
    let test = Test::new(env).args(args);
    (parts.iter())
        .fold(test, |test, part| test.stdout_contains(*part))
        .run();
}

/// Runs `args` in `env`, which must end with `status`, print nothing on stdout, and
/// exactly `stderr` on stderr.
pub(crate) fn fails_with(env: &TestEnv, args: &[&str], status: i32, stderr: &str) {
    Test::new(env)
        .args(args)
        .status(status)
        .stderr(stderr)
        .run();
}

/// Runs `args` in `env`, which must end with `status`, print nothing on stdout, and
/// `part` among what it prints on stderr.
pub(crate) fn fails_saying(env: &TestEnv, args: &[&str], status: i32, part: &str) {
    (Test::new(env).args(args).status(status))
        .stderr_contains(part)
        .run();
}

/// Asserts that `text` contains `part`, showing the whole text where it does not.
#[track_caller]
pub(crate) fn assert_contains(text: &str, part: &str) {
    assert!(text.contains(part), "lacks `{part}`:\n{text}");
}

/// Asserts that `text` does not contain `part`, showing the whole text where it does.
#[track_caller]
pub(crate) fn assert_lacks(text: &str, part: &str) {
    assert!(!text.contains(part), "has `{part}`:\n{text}");
}

/// Asserts that `text` starts with `start`, showing the whole text where it does not.
#[track_caller]
pub(crate) fn assert_starts_with(text: &str, start: &str) {
    assert!(
        text.starts_with(start),
        "does not start with `{start}`:\n{text}"
    );
}

/// Asserts that `text` ends with `end`, showing the whole text where it does not.
#[track_caller]
pub(crate) fn assert_ends_with(text: &str, end: &str) {
    assert!(text.ends_with(end), "does not end with `{end}`:\n{text}");
}

/// The reviews `lupus-quiz export` of `db` holds, as (card, rating), in the order they
/// were answered; the export must succeed and say nothing on stderr.
pub(crate) fn exported_ratings(env: &TestEnv, db: &Path) -> Vec<(String, u64)> {
    let export = Test::new(env).db(db).arg("export").any_stdout().run_json();
    export["reviews"]
        .as_array()
        .expect("an export lists its reviews")
        .iter()
        .map(|r| {
            (
                r["card"].as_str().unwrap().to_string(),
                r["rating"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// `command` run through `program prefix...` (as `sh -c ... "$@"` or `setpriv ... --`):
/// the same arguments, environment and folder.
pub(crate) fn wrapped(
    program: &str,
    prefix: &[&std::ffi::OsStr],
    command: &std::process::Command,
) -> std::process::Command {
    let mut wrapped = std::process::Command::new(program);
    wrapped
        .args(prefix)
        .arg(command.get_program())
        .args(command.get_args());
    take_environment(&mut wrapped, command);
    wrapped
}

/// Gives `command` the environment changes and the folder of `from`: the one place that
/// copies them (for [`wrapped`] and [`TestEnv::other_program`]).
fn take_environment(command: &mut std::process::Command, from: &std::process::Command) {
    for (key, value) in from.get_envs() {
        match value {
            Some(value) => command.env(key, value),
            None => command.env_remove(key),
        };
    }
    if let Some(dir) = from.get_current_dir() {
        command.current_dir(dir);
    }
}

fn contains(expect: Expect, part: String) -> Expect {
    match expect {
        Expect::Containing(mut parts) => {
            parts.push(part);
            Expect::Containing(parts)
        }
        _ => Expect::Containing(vec![part]),
    }
}

/// The clock of [`Test`] unless a test sets another.
pub(crate) const TEST_NOW: &str = "2026-03-01T09:00:00Z";

/// Whether a run's stdout is plain mode's (issue 28, item 5): a session through a pipe (as
/// every run of [`Test`] is), or a report asked for with `--plain`. Every such run of the
/// test suite is read by [`assert_plain_words`].
fn is_plain_output(args: &[std::ffi::OsString]) -> bool {
    let words: Vec<&str> = args.iter().filter_map(|arg| arg.to_str()).collect();
    words.contains(&"--plain")
        || words
            .iter()
            .any(|word| matches!(*word, "study" | "review" | "quiz" | "due"))
}

/// Fails on what a screen reader reads badly in plain output: the terminal's symbols
/// (`·`, `→`, ticks and crosses, markers, box-drawing and block characters) and short
/// units ("1m", "7d", "(6m)"), which it says as "1 metre" and "7 d".
pub(crate) fn assert_plain_words(text: &str, run: &str) {
    for (number, line) in text.lines().enumerate() {
        let symbol = line.chars().find(|&c| {
            matches!(c, '·' | '→' | '✓' | '✔' | '✗' | '✘' | '❯' | '⬚' | '↑' | '↓')
                || ('\u{2500}'..='\u{259F}').contains(&c)
        });
        assert!(
            symbol.is_none(),
            "plain output of `{run}` has `{}` on line {}: {line}",
            symbol.unwrap_or(' '),
            number + 1
        );
        for word in line.split(' ') {
            let core = word
                .trim_start_matches(['(', '['])
                .trim_end_matches([')', ']', ',', '.', ';', ':']);
            let digits = core.trim_end_matches(|c: char| c.is_ascii_alphabetic());
            let unit = &core[digits.len()..];
            let is_number = !digits.is_empty()
                && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
                && digits.starts_with(|c: char| c.is_ascii_digit());
            assert!(
                !(is_number && matches!(unit, "s" | "m" | "h" | "d" | "w" | "mo" | "y")),
                "plain output of `{run}` has the short unit `{word}` on line {}: {line}",
                number + 1
            );
        }
    }
}
