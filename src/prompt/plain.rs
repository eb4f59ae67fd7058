//! The plain prompter: questions as numbered text on stdout, one line of stdin per answer.
//! It serves pipes, scripts and screen readers; README documents the protocol.
//!
//! Any prompt also takes `u` (undo the last answer), `q` (quit) and `!1`..`!4` (change the
//! last answer's grade). End of input quits cleanly.

use std::io::{self, BufRead, Read, Write};

use super::text::{self, Wording};
use crate::schedule::Rating;
use crate::session::{
    Action, Feedback, GradeChoice, Header, Input, Prompter, Question, Revealed, Summary,
    answer_too_long,
};

/// A typed answer line: `None` for a lone `?` (the learner does not know); refused when
/// empty (with `empty`, and asked again) or over the longest answer.
fn typed_line(line: &str, empty: &str) -> Result<Option<String>, String> {
    if line.is_empty() {
        Err(empty.to_string())
    } else if line == "?" {
        Ok(None)
    } else if let Some(problem) = answer_too_long(line) {
        Err(problem)
    } else {
        Ok(Some(line.to_string()))
    }
}

/// What an empty line at a typed prompt is told.
const TYPE_AN_ANSWER: &str = "Type an answer, or ? if you don't know (q quits).";

/// What a prompt reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// Numbers or a grade: a line with `?` lists the keys.
    Choice,
    /// A typed answer: `?` means "I don't know", which the parser takes.
    Text,
}

/// Invalid lines allowed before a card counts as Again.
const MAX_INVALID: usize = 3;

/// The most of one input line that is kept: four bytes for each character of the longest
/// answer, and some.
const MAX_LINE_BYTES: u64 = 16 * 1024;

pub(crate) struct PlainPrompter<R, W> {
    input: R,
    output: W,
    /// Repeat each line read after its prompt, so that a transcript of a piped session
    /// reads like a typed one (a terminal echoes by itself).
    echo: bool,
}

impl<R: BufRead, W: Write> PlainPrompter<R, W> {
    pub(crate) fn new(input: R, output: W, echo: bool) -> Self {
        PlainPrompter {
            input,
            output,
            echo,
        }
    }

    /// The next line without its line ending; `None` at end of input.
    fn read_line(&mut self) -> io::Result<Option<String>> {
        self.output.flush()?;
        // A line is read up to a limit and the rest of it skipped, so that a huge paste
        // costs no memory; what is kept is still too long for any answer.
        let mut bytes = Vec::new();
        let read = (&mut self.input)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut bytes)?;
        if read == 0 {
            return Ok(None);
        }
        let cut = !bytes.ends_with(b"\n") && read as u64 == MAX_LINE_BYTES;
        if cut {
            self.skip_line()?;
        }
        let line = match String::from_utf8(bytes) {
            Ok(line) => line,
            // The limit may fall inside a character.
            Err(e) if cut => String::from_utf8_lossy(e.as_bytes()).into_owned(),
            Err(_) => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                ));
            }
        };
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        if self.echo {
            writeln!(self.output, "{}", crate::text::visible(&line))?;
        }
        Ok(Some(line))
    }

    /// Skips input up to and including the next line ending.
    fn skip_line(&mut self) -> io::Result<()> {
        loop {
            let buffer = self.input.fill_buf()?;
            if buffer.is_empty() {
                return Ok(());
            }
            if let Some(end) = buffer.iter().position(|&b| b == b'\n') {
                self.input.consume(end + 1);
                return Ok(());
            }
            let length = buffer.len();
            self.input.consume(length);
        }
    }

    /// Reads lines until `parse` accepts one, handling the control lines. An empty line,
    /// or `?` where it is not an answer, is answered and asked again; after
    /// [`MAX_INVALID`] other invalid lines, `gave_up` is returned.
    fn read_answer<T>(
        &mut self,
        prompt: &str,
        reads: Reads,
        gave_up: Option<T>,
        mut parse: impl FnMut(&str) -> Result<T, String>,
    ) -> io::Result<Action<T>> {
        let mut invalid = 0;
        loop {
            write!(self.output, "{prompt} ")?;
            let Some(line) = self.read_line()? else {
                writeln!(self.output)?;
                return Ok(Action::Quit);
            };
            let trimmed = line.trim();
            if let Some(action) = control_line(trimmed) {
                return Ok(action);
            }
            if trimmed == "?" && reads == Reads::Choice {
                self.lines(text::PLAIN_KEYS)?;
                continue;
            }
            match parse(trimmed) {
                Ok(value) => return Ok(Action::Answer(value)),
                Err(problem) => {
                    let problem = crate::text::visible(&problem).into_owned();
                    if !trimmed.is_empty() {
                        invalid += 1;
                    }
                    if invalid >= MAX_INVALID
                        && let Some(gave_up) = gave_up
                    {
                        writeln!(self.output, "{problem} Counting this card as Again.")?;
                        return Ok(Action::Answer(gave_up));
                    }
                    writeln!(self.output, "{problem}")?;
                }
            }
        }
    }

    fn ask_choice(&mut self, prompt: &str, options: &[String]) -> io::Result<Action<Input>> {
        writeln!(self.output, "Q: {prompt}")?;
        self.options(options)?;
        let count = options.len();
        self.read_answer(
            "You answered (number):",
            Reads::Choice,
            Some(Input::GaveUp),
            |line| one_number(line, count).map(Input::Choice),
        )
    }

    fn ask_true_false(&mut self, statement: &str) -> io::Result<Action<Input>> {
        writeln!(self.output, "Q: True or false? {statement}")?;
        self.options(&["True".to_string(), "False".to_string()])?;
        let prompt = "You answered (1 or 2, t or f):";
        self.read_answer(
            prompt,
            Reads::Choice,
            Some(Input::GaveUp),
            |line| match line.to_ascii_lowercase().as_str() {
                "t" | "true" => Ok(Input::Choice(0)),
                "f" | "false" => Ok(Input::Choice(1)),
                _ => one_number(line, 2).map(Input::Choice),
            },
        )
    }

    fn ask_multi(&mut self, prompt: &str, options: &[String]) -> io::Result<Action<Input>> {
        writeln!(self.output, "Q: {prompt} (select all that apply)")?;
        self.options(options)?;
        let count = options.len();
        let prompt = "You answered (numbers, e.g. 1 3):";
        self.read_answer(prompt, Reads::Choice, Some(Input::GaveUp), |line| {
            numbers(line, count).map(|mut picked| {
                picked.sort_unstable();
                picked.dedup();
                Input::Multi(picked)
            })
        })
    }

    /// One line per blank; "don't know" (or giving up) at any blank gives up on the card.
    fn ask_cloze(&mut self, cloze: &str, blanks: usize) -> io::Result<Action<Input>> {
        writeln!(self.output, "Q: Fill in: {cloze}")?;
        let mut answers = Vec::with_capacity(blanks);
        for blank in 1..=blanks {
            let prompt = format!("[{blank}]:");
            let answer = self.read_answer(&prompt, Reads::Text, Some(None), |line| {
                typed_line(
                    line,
                    "Type the missing word(s), or ? if you don't know (q quits).",
                )
            })?;
            match answer {
                Action::Answer(Some(text)) => answers.push(text),
                Action::Answer(None) => return Ok(Action::Answer(Input::GaveUp)),
                Action::Undo => return Ok(Action::Undo),
                Action::Regrade(rating) => return Ok(Action::Regrade(rating)),
                Action::Quit => return Ok(Action::Quit),
            }
        }
        Ok(Action::Answer(Input::Texts(answers)))
    }

    fn ask_order(&mut self, prompt: &str, items: &[String]) -> io::Result<Action<Input>> {
        writeln!(self.output, "Q: {prompt}")?;
        self.options(items)?;
        let count = items.len();
        self.read_answer(
            "You answered (item numbers, first to last):",
            Reads::Choice,
            Some(Input::GaveUp),
            |line| {
                let order = numbers(line, count)?;
                let mut sorted = order.clone();
                sorted.sort_unstable();
                sorted.dedup();
                if order.len() != count || sorted.len() != count {
                    return Err(format!(
                        "Give each number from 1 to {count} once, e.g. 2 1 3."
                    ));
                }
                Ok(Input::Order(order))
            },
        )
    }

    fn lines(&mut self, lines: &[impl AsRef<str>]) -> io::Result<()> {
        for line in lines {
            writeln!(self.output, "{}", line.as_ref())?;
        }
        Ok(())
    }

    fn options(&mut self, options: &[String]) -> io::Result<()> {
        for (i, option) in options.iter().enumerate() {
            writeln!(self.output, "  {}) {option}", i + 1)?;
        }
        Ok(())
    }
}

/// The lines that mean the same at any prompt: `q` quits, `u` undoes, `!N` regrades.
fn control_line<T>(line: &str) -> Option<Action<T>> {
    match line {
        "q" | "Q" => return Some(Action::Quit),
        "u" | "U" => return Some(Action::Undo),
        _ => {}
    }
    let grade = line.strip_prefix('!')?;
    let rating = grade.trim().parse::<u8>().ok()?;
    Rating::try_from(rating).ok().map(Action::Regrade)
}

/// Parses option numbers separated by spaces or commas.
fn numbers(line: &str, count: usize) -> Result<Vec<usize>, String> {
    let parts: Vec<&str> = line
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return Err(format!(
            "Type option numbers from 1 to {count}, separated by spaces."
        ));
    }
    parts
        .iter()
        .map(|part| match part.parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => Ok(n - 1),
            _ => Err(format!(
                "`{part}` is not an option number from 1 to {count}."
            )),
        })
        .collect()
}

fn one_number(line: &str, count: usize) -> Result<usize, String> {
    match line.parse::<usize>() {
        Ok(n) if (1..=count).contains(&n) => Ok(n - 1),
        _ => Err(format!("Type one number from 1 to {count}.")),
    }
}

impl<R: BufRead, W: Write> Prompter for PlainPrompter<R, W> {
    fn ask(&mut self, header: &Header, question: &Question) -> io::Result<Action<Input>> {
        writeln!(self.output)?;
        writeln!(
            self.output,
            "[{}]",
            text::in_words(&text::header_line(header))
        )?;
        match question {
            Question::Flip { front } => {
                writeln!(self.output, "Q: {front}")?;
                let prompt = "Press Enter to show the answer:";
                self.read_answer(prompt, Reads::Choice, None, |_| Ok(Input::Reveal))
            }
            Question::Choice { prompt, options } => self.ask_choice(prompt, options),
            Question::TrueFalse { statement } => self.ask_true_false(statement),
            Question::Multi { prompt, options } => self.ask_multi(prompt, options),
            Question::Typed { prompt } => {
                writeln!(self.output, "Q: {prompt}")?;
                self.read_answer("You answered:", Reads::Text, Some(Input::GaveUp), |line| {
                    typed_line(line, TYPE_AN_ANSWER)
                        .map(|typed| typed.map_or(Input::GaveUp, Input::Text))
                })
            }
            Question::Cloze {
                text: cloze,
                blanks,
            } => self.ask_cloze(cloze, *blanks),
            Question::Order { prompt, items } => self.ask_order(prompt, items),
        }
    }

    fn grade(
        &mut self,
        revealed: &Revealed,
        choices: &[GradeChoice],
    ) -> io::Result<Action<Rating>> {
        self.lines(&text::revealed_lines(revealed))?;
        let buttons: Vec<String> = choices
            .iter()
            .map(|c| {
                crate::text::spell_units(&format!(
                    "{}) {}, in {}",
                    c.rating.as_u8(),
                    c.rating.label(),
                    c.interval
                ))
            })
            .collect();
        writeln!(
            self.output,
            "How well did you know it? {}",
            buttons.join("; ")
        )?;
        self.read_answer("Grade (1-4):", Reads::Choice, Some(Rating::Again), |line| {
            line.parse::<u8>()
                .ok()
                .and_then(|n| Rating::try_from(n).ok())
                .ok_or_else(|| "Type 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy).".to_string())
        })
    }

    fn feedback(
        &mut self,
        feedback: &Feedback,
        _regrade: &[GradeChoice],
    ) -> io::Result<Action<()>> {
        // No line is read here, so scripts send exactly one line per answer; `!N` at the
        // next prompt changes this grade.
        writeln!(self.output, "{}", text::verdict(feedback, Wording::Words))?;
        self.lines(&text::feedback_lines(feedback, Wording::Words))?;
        Ok(Action::Answer(()))
    }

    fn after_regrade(&mut self, _regrade: &[GradeChoice]) -> io::Result<Action<()>> {
        // Plain mode regrades with `!N` at the next prompt, never from the feedback.
        Ok(Action::Answer(()))
    }

    fn welcome(&mut self) -> io::Result<()> {
        writeln!(self.output)?;
        self.lines(text::PLAIN_KEYS)?;
        writeln!(self.output, "{}", text::NOTICE)
    }

    fn message(&mut self, message: &str) -> io::Result<()> {
        writeln!(self.output, "{}", text::in_words(message))
    }

    fn summary(&mut self, summary: &Summary) -> io::Result<()> {
        writeln!(self.output)?;
        // Our own lines in words; a quiz's missed questions are the cards' text, kept as is.
        let mut ours = true;
        for line in text::summary_lines(summary) {
            ours &= line != "Missed:";
            match ours {
                true => writeln!(self.output, "{}", text::in_words(&line))?,
                false => writeln!(self.output, "{line}")?,
            }
        }
        self.output.flush()
    }
}
