//! Drives `lupus-quiz` in plain mode the way a script or screen reader would: it reads each
//! question from stdout and answers it on stdin, looking the right answer up in the decks.

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use lupus_quiz::deck::{Card, CardContent, Catalog};

/// The prompts plain mode ends a question with (it then waits for a line).
const PROMPTS: &[&str] = &[
    "You answered (number): ",
    "You answered (1 or 2, t or f): ",
    "You answered (numbers, e.g. 1 3): ",
    "You answered: ",
    "You answered (item numbers, first to last): ",
    "Press Enter to show the answer: ",
    "Grade (1-4): ",
];

pub(crate) struct PlainDriver {
    child: Child,
    stdin: Option<ChildStdin>,
    output: Receiver<Vec<u8>>,
    text: String,
    /// How much of `text` has been handed out already.
    read_to: usize,
    finished: bool,
}

/// What the program is waiting for.
#[derive(Debug)]
pub(crate) enum Waiting {
    /// A prompt, with everything printed since the last one.
    Prompt { screen: String },
    /// The program closed its output (the session ended).
    Ended { screen: String },
}

impl PlainDriver {
    pub(crate) fn spawn(mut command: Command) -> PlainDriver {
        command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = command.spawn().expect("the binary starts");
        let mut stdout = child.stdout.take().expect("piped stdout");
        let (sender, output) = channel();
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            loop {
                match stdout.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if sender.send(buffer[..n].to_vec()).is_err() {
                            break;
                        }
                    }
                }
            }
        });
        PlainDriver {
            stdin: child.stdin.take(),
            child,
            output,
            text: String::new(),
            read_to: 0,
            finished: false,
        }
    }

    /// Waits for the next prompt or the end of output.
    pub(crate) fn wait(&mut self) -> Waiting {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let pending = &self.text[self.read_to..];
            let last_line = pending.rsplit('\n').next().unwrap_or("");
            let at_prompt = PROMPTS.iter().any(|p| pending.ends_with(p))
                || (last_line.starts_with('[') && last_line.ends_with("]: "));
            if at_prompt {
                let screen = pending.to_string();
                self.read_to = self.text.len();
                return Waiting::Prompt { screen };
            }
            if self.finished {
                let screen = pending.to_string();
                self.read_to = self.text.len();
                return Waiting::Ended { screen };
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.output.recv_timeout(left) {
                Ok(bytes) => self.text.push_str(&String::from_utf8_lossy(&bytes)),
                Err(RecvTimeoutError::Disconnected) => self.finished = true,
                Err(RecvTimeoutError::Timeout) => {
                    panic!("no prompt within 30 s; output so far:\n{}", self.text)
                }
            }
        }
    }

    pub(crate) fn send(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin still open");
        writeln!(stdin, "{line}").expect("the program reads stdin");
        stdin.flush().unwrap();
    }

    /// Closes stdin: end of input.
    pub(crate) fn close(&mut self) {
        self.stdin = None;
    }

    /// Waits for the process to end and returns its exit code and whole output.
    pub(crate) fn finish(mut self) -> (Option<i32>, String) {
        self.close();
        while !self.finished {
            match self.output.recv_timeout(Duration::from_secs(30)) {
                Ok(bytes) => self.text.push_str(&String::from_utf8_lossy(&bytes)),
                Err(_) => self.finished = true,
            }
        }
        let status = self.child.wait().expect("the process ends");
        // Every plain transcript of the suite is read for symbols and short units.
        crate::support::assert_plain_words(&self.text, "a plain session (PlainDriver)");
        (status.code(), self.text)
    }
}

/// Where the last card header (`[deck, 1/10, ...]`) starts.
fn question_start(screen: &str) -> usize {
    let mut start = 0;
    let mut offset = 0;
    for line in screen.split_inclusive('\n') {
        let trimmed = line.trim_end();
        if trimmed.starts_with('[') && trimmed.ends_with(']') && trimmed.contains(", ") {
            start = offset;
        }
        offset += line.len();
    }
    start
}

/// The numbered options printed under a question: "  2) text".
pub(crate) fn options(screen: &str) -> Vec<String> {
    screen[question_start(screen)..]
        .lines()
        .filter_map(|line| {
            let line = line.strip_prefix("  ")?;
            let (number, text) = line.split_once(") ")?;
            number.parse::<usize>().ok()?;
            Some(text.to_string())
        })
        .collect()
}

/// The card whose question is on screen.
pub(crate) fn card_on_screen<'a>(catalog: &'a Catalog, screen: &str) -> &'a Card {
    let question = &screen[question_start(screen)..];
    let line = question
        .lines()
        .find_map(|l| {
            let question = l.strip_prefix("Q: ")?;
            Some(
                question
                    .strip_prefix("True or false? ")
                    .or_else(|| question.strip_prefix("Fill in: "))
                    .unwrap_or(question),
            )
        })
        .unwrap_or_else(|| panic!("no question on screen:\n{screen}"));
    let line = line.trim_end_matches(" (select all that apply)");
    catalog
        .cards()
        .map(|(_, card)| card)
        .find(|card| match &card.content {
            CardContent::Cloze { text, .. } => {
                lupus_quiz::deck::render_cloze(text, |i| format!("[{}]", i + 1)) == line
            }
            _ => card.prompt() == line,
        })
        .unwrap_or_else(|| panic!("no card asks `{line}`"))
}

/// The lines that answer `card` rightly, given the options on screen.
pub(crate) fn right_answer_lines(card: &Card, shown: &[String]) -> Vec<String> {
    let number = |text: &str| {
        shown
            .iter()
            .position(|o| o == text)
            .map(|i| (i + 1).to_string())
            .unwrap_or_else(|| panic!("`{text}` is not among {shown:?}"))
    };
    // The numbers of `texts` on one line, as a list prompt takes them.
    let numbers = |texts: &[String]| {
        texts
            .iter()
            .map(|t| number(t))
            .collect::<Vec<_>>()
            .join(" ")
    };
    match &card.content {
        CardContent::Flip { .. } => vec![String::new(), "3".into()],
        CardContent::Choice { answer, .. } => vec![number(answer)],
        CardContent::TrueFalse { answer, .. } => vec![if *answer { "1" } else { "2" }.into()],
        CardContent::Multi { correct, .. } => vec![numbers(correct)],
        CardContent::Typed { answers, .. } => vec![answers[0].clone()],
        CardContent::Cloze { blanks, .. } => blanks.iter().map(|b| b[0].clone()).collect(),
        CardContent::Order { items, .. } => vec![numbers(items)],
    }
}

impl PlainDriver {
    /// Answers the question on `screen` rightly, line by line; returns the card's id.
    pub(crate) fn answer_rightly(
        &mut self,
        catalog: &Catalog,
        screen: &str,
        transcript: &mut String,
    ) -> String {
        let card = card_on_screen(catalog, screen);
        let lines = right_answer_lines(card, &options(screen));
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                match self.wait() {
                    Waiting::Prompt { screen } => transcript.push_str(&screen),
                    Waiting::Ended { screen } => panic!("ended mid-card:\n{transcript}{screen}"),
                }
            }
            self.send(line);
        }
        card.id.to_string()
    }
}

/// Answers every question rightly until the session ends; returns the ids of the cards
/// answered, in order, and the whole transcript.
pub(crate) fn answer_all_rightly(
    driver: &mut PlainDriver,
    catalog: &Catalog,
) -> (Vec<String>, String) {
    let mut answered = Vec::new();
    let mut transcript = String::new();
    loop {
        match driver.wait() {
            Waiting::Ended { screen } => {
                transcript.push_str(&screen);
                return (answered, transcript);
            }
            Waiting::Prompt { screen } => {
                transcript.push_str(&screen);
                answered.push(driver.answer_rightly(catalog, &screen, &mut transcript));
            }
        }
    }
}
