//! The parsed-deck cache never serves stale text (issue 18): a user's deck file is trusted
//! unchanged by its identity (device, inode, size, modification and change time), and every
//! way of changing a file that keeps some of those is seen, through the real binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::support::{Test, TestEnv};

/// A deck big enough to be cached (over 32 KiB), whose title and first question carry
/// `word`; decks of words of one length have one size.
fn big_deck(word: &str) -> String {
    let mut yaml = format!("title: Deck {word}\ndescription: A large deck.\ncards:\n");
    for i in 0..400 {
        let question = if i == 0 {
            format!("Which word is {word}?")
        } else {
            format!("Question {i:03}?")
        };
        yaml.push_str(&format!(
            "  - id: big-{i:03}\n    type: choice\n    question: {question}\n    answer: Right\n    distractors: [Wrong, Other]\n    explanation: Because.\n    source: Introduction\n"
        ));
    }
    assert!(yaml.len() > 32 * 1024);
    yaml
}

/// Waits until the file's last change is old enough for the cache to trust a look at it
/// (the racy rule allows 50 ms), so that the next run takes the path that does not read it.
fn settle(path: &Path) {
    let changed = modified_time(path);
    let ctime = {
        use std::os::unix::fs::MetadataExt;
        let meta = fs::metadata(path).unwrap();
        SystemTime::UNIX_EPOCH + Duration::new(meta.ctime() as u64, meta.ctime_nsec() as u32)
    };
    let last = changed.max(ctime) + Duration::from_millis(100);
    while SystemTime::now() < last {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// What `decks` says of the deck `big` in `folder`, and the first question `study big`
/// shows.
fn seen(env: &TestEnv, folder: &Path) -> (String, String) {
    let decks = Test::new(env).decks(folder).arg("decks").any_stdout().run();
    let listed = String::from_utf8_lossy(&decks.stdout)
        .lines()
        .find(|line| line.starts_with("big "))
        .expect("the deck is listed")
        .split_whitespace()
        .nth(3)
        .expect("a title")
        .to_string();
    let study = Test::new(env)
        .now("2026-01-05T10:00:00Z")
        .decks(folder)
        .args(["study", "big", "--plain"])
        .stdin("")
        .any_stdout()
        .any_stderr()
        .unchecked()
        .run();
    let question = String::from_utf8_lossy(&study.stdout)
        .lines()
        .find(|line| line.contains("Which word is"))
        .expect("the first question")
        .trim()
        .to_string();
    (listed, question)
}

/// When `path` was last modified, as the file system says.
fn modified_time(path: &Path) -> SystemTime {
    fs::metadata(path).unwrap().modified().unwrap()
}

fn expect(env: &TestEnv, folder: &Path, word: &str) {
    assert_eq!(
        seen(env, folder),
        (word.to_string(), format!("Q: Which word is {word}?"))
    );
}

/// A test folder with `FOLDER/big.yaml` of a word, seen (so it is cached) and settled.
struct CachedDeck {
    env: TestEnv,
    folder: PathBuf,
    path: PathBuf,
    /// The deck file's modification time once settled.
    modified: SystemTime,
}

impl CachedDeck {
    /// The deck's folder shows the deck of `word`.
    fn expect(&self, word: &str) {
        expect(&self.env, &self.folder, word);
    }
}

/// A new test folder with a folder `folder` with `big.yaml` of `word`, seen once (so it
/// is cached) and settled.
fn cached_deck(folder: &str, word: &str) -> CachedDeck {
    let env = TestEnv::new();
    let path = env.write(&format!("{folder}/big.yaml"), big_deck(word));
    let folder = path.parent().unwrap().to_path_buf();
    settle(&path);
    expect(&env, &folder, word);
    assert!(
        env.path()
            .join("cache/lupus-quiz/decks/file-big.bin")
            .is_file()
    );
    // Seen again, from the cache by the file's identity alone.
    expect(&env, &folder, word);
    let modified = modified_time(&path);
    CachedDeck {
        env,
        folder,
        path,
        modified,
    }
}

fn set_modified(path: &Path, time: SystemTime) {
    fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(time)
        .unwrap();
}

#[test]
fn an_edit_that_keeps_size_and_modification_time_is_seen() {
    let deck = cached_deck("mine", "AAAA");
    fs::write(&deck.path, big_deck("BBBB")).unwrap();
    set_modified(&deck.path, deck.modified);
    deck.expect("BBBB");
    // And once that edit is old, from the cache again.
    settle(&deck.path);
    deck.expect("BBBB");
    deck.expect("BBBB");
}

#[test]
fn a_deck_file_replaced_by_rename_is_seen() {
    let deck = cached_deck("mine", "AAAA");
    let replacement = deck.env.write("elsewhere/big.yaml.new", big_deck("BBBB"));
    set_modified(&replacement, deck.modified);
    settle(&replacement);
    fs::rename(&replacement, &deck.path).unwrap();
    deck.expect("BBBB");
}

#[test]
fn a_deck_file_touched_back_to_its_old_time_is_seen() {
    let deck = cached_deck("mine", "AAAA");
    fs::write(&deck.path, big_deck("BBBB")).unwrap();
    deck.expect("BBBB");
    settle(&deck.path);
    deck.expect("BBBB");
    // Back to the first text and the first time, as a restore from a backup would.
    fs::write(&deck.path, big_deck("AAAA")).unwrap();
    set_modified(&deck.path, deck.modified);
    deck.expect("AAAA");
    settle(&deck.path);
    deck.expect("AAAA");
    // Within the racy window of the cache's own look: an edit right after a run.
    fs::write(&deck.path, big_deck("CCCC")).unwrap();
    set_modified(&deck.path, deck.modified);
    deck.expect("CCCC");
    fs::write(&deck.path, big_deck("DDDD")).unwrap();
    set_modified(&deck.path, deck.modified);
    deck.expect("DDDD");
}

#[test]
fn a_deck_moved_between_folders_is_seen() {
    let deck = cached_deck("one", "AAAA");
    let other = deck.env.write("two/big.yaml", big_deck("BBBB"));
    let two = other.parent().unwrap().to_path_buf();
    set_modified(&other, deck.modified);
    settle(&other);
    expect(&deck.env, &two, "BBBB");
    deck.expect("AAAA");
    // Moved (the same inode and times) over the other folder's deck.
    fs::rename(&deck.path, &other).unwrap();
    expect(&deck.env, &two, "AAAA");
    settle(&other);
    expect(&deck.env, &two, "AAAA");
    fs::write(deck.folder.join("big.yaml"), big_deck("CCCC")).unwrap();
    deck.expect("CCCC");
    expect(&deck.env, &two, "AAAA");
}
