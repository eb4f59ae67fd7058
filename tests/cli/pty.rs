//! The interactive session in a real pseudo-terminal: keys as a person presses them.

use expectrl::session::OsSession;
use expectrl::{Expect, Regex};

use crate::support::{
    TEST_NOW, Test, TestEnv, Tty, exported_ratings, fixture_deck, stderr_of, wrapped,
};

const DECK: &str = fixture_deck!("interactive-kinds");

const CTRL_C: &str = "\x03";

fn spawn(env: &TestEnv, db: &std::path::Path) -> Tty {
    spawn_sized(env, db, 100, 40)
}

/// `study keys` in a pseudo-terminal `columns` wide and `rows` high from its start.
fn spawn_sized(env: &TestEnv, db: &std::path::Path, columns: u16, rows: u16) -> Tty {
    env.write("decks/keys.yaml", DECK);
    Test::new(env)
        .db(db)
        .decks(env.path().join("decks"))
        .args(["study", "keys", "--seed", "4"])
        .pty(columns, rows)
}

#[test]
fn study_by_keys_then_ctrl_c_keeps_every_answer() {
    let env = TestEnv::new();
    let db = env.db();
    let mut session = spawn(&env, &db);

    // Choice: the number key of the right option.
    session.wait("Which phase clears the old immune system?");
    session.choose("Conditioning");
    session.wait("✓ Right");
    session.next_card();

    // Multi: move with `j`, toggle with space, confirm with Enter. The list as drawn gives
    // the shuffled order.
    session.wait_all(&[
        "Which are phases of the transplant?",
        "Space toggles · Enter confirms · u undo · q quit · ? keys",
    ]);
    let found = session
        .expect(Regex(r"❯ ⬚ (\w+)\r?\n  ⬚ (\w+)\r?\n  ⬚ (\w+)"))
        .unwrap();
    let order: Vec<String> = (1..=3)
        .map(|i| String::from_utf8_lossy(found.get(i).unwrap()).to_string())
        .collect();
    for option in &order {
        if option != "Dialysis" {
            session.press(" ");
            session.wait("✔");
        }
        session.press("j");
    }
    session.press("\r");
    session.wait("✓ Right");
    session.next_card();

    // Order: accept the shuffled order as shown, which is never already right.
    session.wait_all(&[
        "Put these in order.",
        "Enter confirms · u undo · q quit · ? keys",
    ]);
    session.press("\r");
    session.wait_all(&["✗ Not quite", "Right order"]);
    session.next_card();

    // Flip: Enter shows the back, then the number key of the grade.
    session.wait_all(&["What does HSC stand for?", "Enter shows the answer"]);
    session.press("\r");
    session.wait_all(&[
        "Hematopoietic stem cell.",
        "How well did you know it?",
        "4) Easy",
    ]);
    session.press("3\r");
    session.wait("next: in ");

    // Ctrl-C in the middle of the next card ends the session with a summary.
    session.wait_all(&["Name the preparation phase.", "Your answer: "]);
    session.press(CTRL_C);
    session.wait("Session done: 4 cards answered");
    session.finish();

    let reviews = exported_ratings(&env, &db);
    let cards: Vec<&str> = reviews.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        cards,
        ["keys-choice", "keys-multi", "keys-order", "keys-flip"]
    );
    assert_eq!(reviews[0].1, 3, "the choice was right");
    assert_eq!(reviews[2].1, 1, "the order was wrong");
    assert_eq!(reviews[3].1, 3, "the flip was graded Good");
    assert_eq!(reviews[1].1, 3, "the multi was right");
}

/// `bash -i` in the pseudo-terminal, with the test's hermetic environment: a shell with job
/// control, as a learner's terminal has, so that Ctrl-Z really stops the job.
fn interactive_shell(env: &TestEnv) -> Tty {
    let mut shell = env.other_program("bash");
    shell
        .args(["--norc", "--noprofile", "-i"])
        .env("PS1", "shell$ ")
        .env("TERM", "xterm")
        .env("LUPUS_QUIZ_NOW", TEST_NOW)
        .current_dir(env.path());
    let mut session = Tty::spawn(shell, 100, 40);
    session.wait("shell$ ");
    session
}

#[test]
fn ctrl_z_suspends_the_session_and_fg_brings_it_back_redrawn() {
    let env = TestEnv::new();
    let db = env.db();
    env.write("decks/keys.yaml", DECK);
    let mut shell = interactive_shell(&env);
    shell
        .send_line(format!(
            "{} --db {} --decks {} study keys --seed 4",
            env!("CARGO_BIN_EXE_lupus-quiz"),
            db.display(),
            env.path().join("decks").display()
        ))
        .unwrap();
    shell.wait("Which phase clears the old immune system?");
    let number = shell.number_of("Conditioning");

    // Ctrl-Z: the job stops and the shell takes the keyboard.
    shell.press("\x1a");
    shell.wait_all(&["Stopped", "shell$ "]);
    // What is typed now goes to the shell, not into an answer.
    shell.send_line("echo typed-at-the-shell").unwrap();
    shell.wait_all(&["typed-at-the-shell\r\n", "shell$ "]);

    // `fg`: the menu is drawn again, whole, and answers as before.
    shell.send_line("fg").unwrap();
    shell.wait_all(&[
        "Which phase clears the old immune system?",
        "u undo · q quit",
    ]);
    shell.expect(format!("{number}) Conditioning")).unwrap();
    shell.press(&format!("{number}\r"));
    shell.wait_all(&["✓ Right", "Enter next"]);
    shell.press("q");
    shell.wait_all(&["Session done: 1 card answered", "shell$ "]);
    shell.send_line("exit").unwrap();
    shell.finish();

    let output = Test::new(&env)
        .db(&db)
        .now(TEST_NOW)
        .args(["export", "--reviews-csv"])
        .unchecked()
        .run();
    assert!(output.status.success(), "{}", stderr_of(&output));
    let csv = String::from_utf8_lossy(&output.stdout).into_owned();
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{csv}");
    assert!(rows[0].starts_with("keys-choice,"), "{csv}");
}

/// Waits for `needle` and adds everything the program drew up to it to `drawn`.
fn expect_drawn(session: &mut OsSession, needle: &str, drawn: &mut Vec<u8>) {
    let found = session.expect(needle).unwrap_or_else(|e| {
        panic!(
            "`{needle}` never drawn ({e}); so far:\n{}",
            String::from_utf8_lossy(drawn)
        )
    });
    drawn.extend_from_slice(found.as_bytes());
}

#[test]
fn menus_redrawn_on_a_16_column_terminal_leave_no_line_twice() {
    let env = TestEnv::new();
    let db = env.db();
    let mut session = spawn_sized(&env, &db, 16, 60);
    let mut drawn = Vec::new();
    // The choice menu, redrawn as the focus moves down and back up.
    expect_drawn(&mut session, "Conditioning", &mut drawn);
    // `j` and `k` rather than arrow keys: an arrow is an escape sequence, which console
    // reads as Esc alone when its bytes arrive apart on a loaded machine.
    for (key, focused) in [("j", "❯ 2)"), ("j", "❯ 3)"), ("k", "❯ 2)")] {
        session.send(key).unwrap();
        expect_drawn(&mut session, focused, &mut drawn);
    }
    session.press("3");
    expect_drawn(&mut session, "❯ 3)", &mut drawn);
    session.press("\r");
    expect_drawn(&mut session, "Enter next", &mut drawn);
    session.press("\r");
    // The select-all list, redrawn as items are toggled.
    expect_drawn(&mut session, "? keys", &mut drawn);
    expect_drawn(&mut session, "Conditioning", &mut drawn);
    session.press(" ");
    expect_drawn(&mut session, "✔", &mut drawn);
    session.press("j");
    expect_drawn(&mut session, "❯ ⬚", &mut drawn);
    session.press(CTRL_C);
    expect_drawn(&mut session, "answered", &mut drawn);

    let size = |n: u16| std::num::NonZeroU16::new(n).unwrap();
    let mut screen = vt100::Parser::new(size(60), size(16), 0);
    screen.process(&drawn);
    let contents = screen.screen().contents();
    let count = |needle: &str| contents.matches(needle).count();
    // The answered menu is gone, and replaced by one line of what was picked.
    assert_eq!(count("Monitoring"), 0, "{contents}");
    assert_eq!(count("Harvesting"), 0, "{contents}");
    assert_eq!(count("Which phase"), 1, "{contents}");
    // The list on screen when Ctrl-C came is cleared with its header, as by `q`: every
    // row it took, a word wider than the terminal wrapped onto two rows included.
    assert_eq!(count("Dialysis"), 0, "{contents}");
    assert_eq!(count("Transplan"), 0, "{contents}");
    assert_eq!(count("Space toggles"), 0, "{contents}");
    assert_eq!(count("select all"), 0, "{contents}");
    assert_eq!(count("Which are"), 0, "{contents}");
    assert_eq!(count("1 answered"), 0, "{contents}");
}

#[test]
fn quitting_at_a_list_takes_the_cards_header_with_it() {
    let env = TestEnv::new();
    let db = env.db();
    for quit in ["q", CTRL_C] {
        let mut session = spawn(&env, &db);
        session.wait("keys · 0 answered");
        session.wait_row("3) ");
        session.press(quit);
        session.wait("Session ended: no cards answered.");
        let session = session.finish();
        let rows = session.rows();
        for gone in ["keys · 0 answered", "Which phase", "? keys"] {
            assert!(
                !rows.iter().any(|row| row.contains(gone)),
                "`{gone}` left on screen after {quit:?}:\n{}",
                session.contents()
            );
        }
    }
}

#[test]
fn ctrl_c_at_a_typed_answer_leaves_a_blank_line_before_the_summary() {
    let env = TestEnv::new();
    env.write("decks/typed.yaml", fixture_deck!("typed"));
    let mut session = Test::new(&env)
        .decks(env.path().join("decks"))
        .args(["study", "typed"])
        .pty(80, 30);
    session.wait("Your answer: ");
    session.press("auto");
    session.wait("auto");
    session.press(CTRL_C);
    session.wait_row("Session ended: no cards answered.");
    let rows = session.rows();
    let ended = rows
        .iter()
        .position(|row| row.starts_with("Session ended"))
        .unwrap();
    assert_eq!(rows[ended - 1], "", "{}", session.contents());
    assert!(
        rows[ended - 2].ends_with("Esc quits"),
        "the half-typed line is cleared, as by Esc:\n{}",
        session.contents()
    );
}

#[test]
fn ctrl_z_then_fg_draws_the_card_again_with_its_header() {
    let env = TestEnv::new();
    let db = env.db();
    env.write("decks/keys.yaml", DECK);
    env.write("decks/typed.yaml", fixture_deck!("typed"));
    let mut shell = interactive_shell(&env);
    // A list (the choice card of `keys`), then a typed answer (`typed`).
    for (deck, shown) in [("keys", "3) "), ("typed", "Your answer: ")] {
        shell.press(&format!(
            "{} --db {} --decks {} study {deck} --seed 4\r",
            env!("CARGO_BIN_EXE_lupus-quiz"),
            db.display(),
            env.path().join("decks").display()
        ));
        let header = format!("{deck} · 0 answered");
        shell.wait(&header);
        shell.wait(shown);
        shell.press("\x1a");
        shell.wait_all(&["Stopped", "shell$ "]);
        shell.press("fg\r");
        // The command line the shell repeats, then the card: its header first.
        shell.wait(&format!("study {deck} --seed 4"));
        shell.wait(&header);
        shell.wait(shown);
        shell.press("q");
        if deck == "typed" {
            shell.press("\r");
        }
        shell.wait_all(&["Session ended: no cards answered.", "shell$ "]);
    }
    shell.press("exit\r");
    shell.finish();
}

#[test]
fn a_typed_answer_stops_at_1000_characters_and_says_so() {
    let env = TestEnv::new();
    let db = env.db();
    env.write(
        "decks/typed.yaml",
        "title: Typed\ndescription: One typed card.\ncards:\n  - id: typed-only\n    type: typed\n    question: Name the preparation phase.\n    answers: [conditioning]\n    explanation: It prepares the body.\n    source: How Stem Cell Therapy Works\n",
    );
    let mut session = Test::new(&env)
        .db(&db)
        .decks(env.path().join("decks"))
        .args(["study", "typed"])
        .pty(100, 40);
    session.wait("Your answer: ");
    // A paste far longer than any answer.
    session.send("a".repeat(1_200)).unwrap();
    session.wait("(answers are at most 1000 characters; Enter submits, Esc quits)");
    session.press("\r");
    session.wait_all(&["✗ Not quite", "Enter next"]);
    session.press("q");
    session.wait("Session done: 1 card answered");
    session.finish();
}

// Issue 24, item 19: `kill -HUP` or `kill -QUIT` of a session left the terminal without echo
// and line editing until `stty sane`.
#[test]
fn a_session_killed_by_sighup_sigquit_or_sigterm_gives_the_terminal_its_echo_back() {
    use expectrl::process::unix::{Signal, WaitStatus};
    /// Echo and line editing, the modes a shell hands a program (ptyprocess itself starts
    /// the child without echo, so the program is started through `stty` as from a shell).
    fn typing_shown(session: &OsSession) -> bool {
        let master = session.get_process().get_raw_handle().unwrap();
        let mut mode: libc::termios = unsafe { std::mem::zeroed() };
        // SAFETY: a valid descriptor of the pty and a termios to fill.
        assert_eq!(
            unsafe { libc::tcgetattr(std::os::fd::AsRawFd::as_raw_fd(&master), &mut mode) },
            0
        );
        mode.c_lflag & libc::ECHO != 0 && mode.c_lflag & libc::ICANON != 0
    }
    for signal in [Signal::SIGHUP, Signal::SIGQUIT, Signal::SIGTERM] {
        let env = TestEnv::new();
        let db = env.db();
        env.write("decks/keys.yaml", DECK);
        let command = wrapped(
            "sh",
            &[
                "-c".as_ref(),
                "stty echo icanon && exec \"$0\" \"$@\"".as_ref(),
            ],
            Test::new(&env)
                .db(&db)
                .decks(env.path().join("decks"))
                .args(["study", "keys", "--seed", "4"])
                .command()
                .env("TERM", "xterm"),
        );
        let mut session = Tty::spawn(command, 100, 40);
        session.wait_all(&[
            "Which phase clears the old immune system?",
            "u undo · q quit",
        ]);
        assert!(!typing_shown(&session), "the session reads keys one by one");
        session.get_process_mut().signal(signal).unwrap();
        let status = session.get_process().wait().unwrap();
        assert!(
            matches!(status, WaitStatus::Signaled(_, died, _) if died == signal),
            "{signal}: {status:?}"
        );
        assert!(
            typing_shown(&session),
            "{signal} left the terminal without echo or line editing"
        );
    }
}
