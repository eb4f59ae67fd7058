//! A hermetic environment for running the binary: its own home, config, data and cache
//! folders, and none of the user's `LUPUS_QUIZ_*` variables.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

pub struct TestEnv {
    pub home: TempDir,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv {
            home: TempDir::new().expect("a temporary folder"),
        }
    }

    /// The `lupus-quiz` binary with a clean environment rooted in this test's folder.
    pub fn cmd(&self) -> Command {
        Command::from_std(self.std_cmd())
    }

    /// The same, as a plain `std::process::Command` (for driving the program live).
    pub fn std_cmd(&self) -> std::process::Command {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_lupus-quiz"));
        for (key, _) in std::env::vars() {
            if key.starts_with("LUPUS_QUIZ_") {
                cmd.env_remove(key);
            }
        }
        let home = self.home.path();
        cmd.env("HOME", home)
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_DATA_HOME", home.join("data"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("NO_COLOR", "1")
            .current_dir(home);
        cmd
    }

    /// Writes a file below the test folder, creating folders as needed.
    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.home.path().join(relative);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
        std::fs::write(&path, contents).expect("write file");
        path
    }

    pub fn path(&self) -> &Path {
        self.home.path()
    }
}

/// The repository's folder (for fixtures).
pub fn repo_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(relative: &str) -> PathBuf {
    repo_dir().join("tests/fixtures").join(relative)
}

pub fn stdout_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr_of(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A small valid deck in YAML.
pub fn small_deck(prefix: &str, cards: usize) -> String {
    let mut yaml = format!("title: {prefix} deck\ndescription: A test deck.\ncards:\n");
    for i in 1..=cards {
        yaml.push_str(&format!(
            "  - id: {prefix}-card-{i}\n    type: choice\n    question: Question {i}?\n    answer: Right {i}\n    distractors: [Wrong {i}a, Wrong {i}b]\n    explanation: Because {i}.\n    source: Introduction\n"
        ));
    }
    yaml
}

/// The built-in decks, as the binary loads them (parsed: never through the user's cache).
pub fn builtin_catalog() -> lupus_quiz::deck::Catalog {
    use lupus_quiz::deck::{DeckCache, builtin_files, load_catalog};
    load_catalog(builtin_files(), &DeckCache::disabled()).expect("the built-in decks load")
}

/// The binary with a database and a clock, ready to run `args` (for driving it live).
pub fn command(env: &TestEnv, db: &Path, now: &str, args: &[&str]) -> std::process::Command {
    let mut command = env.std_cmd();
    command
        .env("LUPUS_QUIZ_NOW", now)
        .arg("--db")
        .arg(db)
        .args(args);
    command
}
