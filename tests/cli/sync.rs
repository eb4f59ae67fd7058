//! The sync folder (issue 30), through the binary: two computers, each with its own
//! database and its own copy of the folder, and the test in the role of the sync tool that
//! copies files between them.

use std::path::{Path, PathBuf};

use crate::support::{TEST_NOW, Test, TestEnv, stderr_of, stdout_of};

/// One computer: its database and its copy of the sync folder.
struct Computer {
    db: PathBuf,
    folder: PathBuf,
}

impl Computer {
    /// A computer named `name`, with its sync folder set.
    fn new(env: &TestEnv, name: &str) -> Computer {
        let folder = env.path().join(format!("{name}-sync"));
        std::fs::create_dir_all(&folder).unwrap();
        let computer = Computer {
            db: env.path().join(format!("{name}.db")),
            folder,
        };
        computer
            .run(
                env,
                &["config", "sync_dir", computer.folder.to_str().unwrap()],
            )
            .stdout_contains("wrote 0 new records to lupus-quiz-")
            .run();
        computer
    }

    fn run<'e>(&self, env: &'e TestEnv, args: &[&str]) -> Test<'e> {
        Test::new(env).db(&self.db).args(args).any_stdout()
    }

    /// Its own file in its folder.
    fn own_file(&self) -> PathBuf {
        let files = device_files(&self.folder);
        assert_eq!(files.len(), 1, "{files:?}");
        files.into_iter().next().unwrap()
    }

    /// The reviews of its export, in time order.
    fn reviews(&self, env: &TestEnv) -> serde_json::Value {
        crate::hardening::export(env, &self.db)["reviews"].clone()
    }
}

fn device_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    files.sort();
    files
}

/// A laptop that has answered three cards ([`answer_three`]) and a desktop that has not,
/// sharing one sync folder.
fn laptop_with_three_answers_and_a_desktop(env: &TestEnv) -> (Computer, Computer) {
    let laptop = Computer::new(env, "laptop");
    let desktop = Computer::new(env, "desktop");
    answer_three(env, &laptop);
    (laptop, desktop)
}

/// Three answers on `computer`, recorded by importing a review log (a command that records
/// something, so it appends them to the computer's own file).
fn answer_three(env: &TestEnv, computer: &Computer) {
    let csv = env.write(
        "answers.csv",
        "card,at,rating\nhsct-hsc-term,2026-02-27T09:00:00Z,3\nhsct-hsc-term,2026-02-28T09:00:00Z,3\nbasics-lupus-definition,2026-02-28T10:00:00Z,1\n",
    );
    computer.run(env, &["import", csv.to_str().unwrap()]).run();
}

#[test]
fn two_computers_share_their_answers_through_the_sync_folder() {
    let env = TestEnv::new();
    let (laptop, desktop) = laptop_with_three_answers_and_a_desktop(&env);
    let file = laptop.own_file();
    let name = file.file_name().unwrap().to_str().unwrap().to_string();
    std::fs::copy(&file, desktop.folder.join(&name)).unwrap();

    desktop
        .run(&env, &["sync"])
        .stdout_contains(format!("merged {name} (device "))
        .stdout_contains("3 reviews added, 0 already present")
        .run();
    assert_eq!(desktop.reviews(&env), laptop.reviews(&env));
    desktop
        .run(&env, &["sync"])
        .stdout_contains("nothing new from other devices")
        .run();
    // The desktop wrote nothing of the laptop's into its own file.
    let desktop_file = std::fs::read_to_string(
        device_files(&desktop.folder)
            .into_iter()
            .find(|path| *path != desktop.folder.join(&name))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(desktop_file.lines().count(), 1, "{desktop_file}");
    desktop
        .run(&env, &["doctor"])
        .stdout_contains(format!(
            "note: device {} seen in `{name}`, last merged ",
            &name["lupus-quiz-".len()..name.len() - ".jsonl".len()]
        ))
        .run();
}

#[test]
fn a_file_cut_short_by_the_sync_tool_is_merged_up_to_its_last_complete_record() {
    let env = TestEnv::new();
    let (laptop, desktop) = laptop_with_three_answers_and_a_desktop(&env);
    let whole = std::fs::read(laptop.own_file()).unwrap();
    let name = laptop.own_file().file_name().unwrap().to_owned();
    let copy = desktop.folder.join(&name);
    // Half of the last record has arrived.
    std::fs::write(&copy, &whole[..whole.len() - 30]).unwrap();
    desktop
        .run(&env, &["sync"])
        .stdout_contains("2 reviews added, 0 already present")
        .run();
    desktop.run(&env, &["doctor"]).run();

    std::fs::write(&copy, &whole).unwrap();
    desktop
        .run(&env, &["sync"])
        .stdout_contains("1 review added, 0 already present")
        .run();
    assert_eq!(desktop.reviews(&env), laptop.reviews(&env));
}

#[test]
fn a_conflicted_copy_made_by_the_sync_tool_is_merged_like_any_other_file() {
    let env = TestEnv::new();
    let (laptop, desktop) = laptop_with_three_answers_and_a_desktop(&env);
    let own = laptop.own_file();
    let stem = own.file_stem().unwrap().to_str().unwrap().to_string();
    for conflicted in [
        format!("{stem}.sync-conflict-20260301-090000-ABCDEFG.jsonl"),
        format!("{stem} (Laptop's conflicted copy 2026-03-01).jsonl"),
    ] {
        std::fs::copy(&own, desktop.folder.join(&conflicted)).unwrap();
        let report = desktop.run(&env, &["sync"]).run_stdout();
        assert!(
            report.contains(&format!("merged {conflicted} (device ")),
            "{report}"
        );
    }
    assert_eq!(desktop.reviews(&env), laptop.reviews(&env));
}

#[test]
fn a_missing_sync_folder_is_one_warning_and_studying_goes_on() {
    let env = TestEnv::new();
    let laptop = Computer::new(&env, "laptop");
    std::fs::remove_dir_all(&laptop.folder).unwrap();
    let output = laptop
        .run(&env, &["study", "basics", "--plain", "--new", "1"])
        // Shown the answer at once (Enter), then graded Again.
        .stdin("\n1\n")
        .stderr_contains("does not exist (was it moved, or is its drive not mounted?)")
        .run();
    assert!(stdout_of(&output).contains("Session done: 1 card answered"));
    assert_eq!(
        stderr_of(&output).lines().count(),
        1,
        "{}",
        stderr_of(&output)
    );
    // Once the folder is back, the answer given meanwhile reaches it.
    std::fs::create_dir(&laptop.folder).unwrap();
    laptop
        .run(&env, &["sync"])
        .stdout_contains("wrote 1 new record to ")
        .run();
}

#[test]
fn a_read_only_sync_folder_is_a_warning_and_studying_goes_on() {
    use std::os::unix::fs::PermissionsExt as _;
    let env = TestEnv::new();
    let laptop = Computer::new(&env, "laptop");
    let mut command = crate::support::command(
        &env,
        &laptop.db,
        TEST_NOW,
        &["study", "basics", "--plain", "--new", "1"],
    );
    command.env("HOME", env.path());
    let mut command = crate::hardening_files::unprivileged(&env, command);
    // `nobody` (when the tests run as root) must write the database and its journals.
    for path in device_files(env.path()) {
        if path.is_file() {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o666)).unwrap();
        }
    }
    std::fs::set_permissions(env.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&laptop.folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let mut child = command
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Shown the answer at once (Enter), then graded Again: an answer to write.
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(b"\n1\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(stdout_of(&output).contains("Session done: 1 card answered"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert_eq!(
        stderr_of(&output),
        format!(
            "warning: cannot write to the sync folder `{}` (permission denied); your progress is saved here and reaches your other devices once the folder is writable\n",
            laptop.folder.display()
        )
    );
    std::fs::set_permissions(&laptop.folder, std::fs::Permissions::from_mode(0o755)).unwrap();
}

#[test]
fn config_sync_dir_shows_refuses_a_mistyped_folder_and_resets() {
    let env = TestEnv::new();
    let missing = env.path().join("no-such-folder");
    Test::new(&env)
        .args(["config", "sync_dir", missing.to_str().unwrap()])
        .status(1)
        .stderr(format!(
            "error: cannot use `{}` as the sync folder (no such file or directory); create it first (or let your sync tool create it), then run this again\n",
            missing.display()
        ))
        .run();
    Test::new(&env)
        .args(["config", "sync_dir"])
        .stdout("(none)\n")
        .run();
    let laptop = Computer::new(&env, "laptop");
    laptop
        .run(&env, &["config"])
        .stdout_contains(format!(
            "sync_dir           {} (this device is ",
            laptop.folder.display()
        ))
        .run();
    laptop
        .run(&env, &["config", "sync_dir", "--reset"])
        .stdout_contains("sync_dir = (none)")
        .run();
    laptop
        .run(&env, &["config", "sync_dir"])
        .stdout("(none)\n")
        .run();
    laptop
        .run(&env, &["sync"])
        .status(1)
        .stderr_contains("error: no sync folder is set")
        .run();
}
