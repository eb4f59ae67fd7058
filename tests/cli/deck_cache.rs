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

/// A folder with `big.yaml` of `word`, seen once (so it is cached) and settled.
fn cached_deck(env: &TestEnv, folder: &str, word: &str) -> (PathBuf, PathBuf) {
    let path = env.write(&format!("{folder}/big.yaml"), big_deck(word));
    let folder = path.parent().unwrap().to_path_buf();
    settle(&path);
    expect(env, &folder, word);
    assert!(
        env.path()
            .join("cache/lupus-quiz/decks/file-big.bin")
            .is_file()
    );
    // Seen again, from the cache by the file's identity alone.
    expect(env, &folder, word);
    (folder, path)
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
    let env = TestEnv::new();
    let (folder, path) = cached_deck(&env, "mine", "AAAA");
    let modified = modified_time(&path);
    fs::write(&path, big_deck("BBBB")).unwrap();
    set_modified(&path, modified);
    expect(&env, &folder, "BBBB");
    // And once that edit is old, from the cache again.
    settle(&path);
    expect(&env, &folder, "BBBB");
    expect(&env, &folder, "BBBB");
}

#[test]
fn a_deck_file_replaced_by_rename_is_seen() {
    let env = TestEnv::new();
    let (folder, path) = cached_deck(&env, "mine", "AAAA");
    let modified = modified_time(&path);
    let replacement = env.write("elsewhere/big.yaml.new", big_deck("BBBB"));
    set_modified(&replacement, modified);
    settle(&replacement);
    fs::rename(&replacement, &path).unwrap();
    expect(&env, &folder, "BBBB");
}

#[test]
fn a_deck_file_touched_back_to_its_old_time_is_seen() {
    let env = TestEnv::new();
    let (folder, path) = cached_deck(&env, "mine", "AAAA");
    let first = modified_time(&path);
    fs::write(&path, big_deck("BBBB")).unwrap();
    expect(&env, &folder, "BBBB");
    settle(&path);
    expect(&env, &folder, "BBBB");
    // Back to the first text and the first time, as a restore from a backup would.
    fs::write(&path, big_deck("AAAA")).unwrap();
    set_modified(&path, first);
    expect(&env, &folder, "AAAA");
    settle(&path);
    expect(&env, &folder, "AAAA");
    // Within the racy window of the cache's own look: an edit right after a run.
    fs::write(&path, big_deck("CCCC")).unwrap();
    set_modified(&path, first);
    expect(&env, &folder, "CCCC");
    fs::write(&path, big_deck("DDDD")).unwrap();
    set_modified(&path, first);
    expect(&env, &folder, "DDDD");
}

#[test]
fn a_deck_moved_between_folders_is_seen() {
    let env = TestEnv::new();
    let (one, path) = cached_deck(&env, "one", "AAAA");
    let modified = modified_time(&path);
    let other = env.write("two/big.yaml", big_deck("BBBB"));
    let two = other.parent().unwrap().to_path_buf();
    set_modified(&other, modified);
    settle(&other);
    expect(&env, &two, "BBBB");
    expect(&env, &one, "AAAA");
    // Moved (the same inode and times) over the other folder's deck.
    fs::rename(&path, &other).unwrap();
    expect(&env, &two, "AAAA");
    settle(&other);
    expect(&env, &two, "AAAA");
    fs::write(one.join("big.yaml"), big_deck("CCCC")).unwrap();
    expect(&env, &one, "CCCC");
    expect(&env, &two, "AAAA");
}
