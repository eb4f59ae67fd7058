//! The interactive prompter: keyboard-driven, drawn on the terminal (stderr) with the
//! widgets of `widgets.rs` (a line of text, select-all, order) and a single-choice menu with
//! number keys and `u` to undo.
//!
//! Esc, `q` and Ctrl-C end the session. console turns a Ctrl-C key into a SIGINT raised at
//! our own process; with a handler installed (see [`TerminalPrompter::on_stderr`]) that no
//! longer kills us, the read returns an `Interrupted` error instead, and it becomes
//! [`Action::Quit`], so the summary is still shown. Every answer is saved before then anyway.

use std::io;

use console::{Key, Term, style};

use super::text;
use super::widgets::{self, Block, Outcome, Press, read_press};
use crate::deck::Reference;
use crate::schedule::Rating;
use crate::session::{
    Action, Feedback, GradeChoice, Header, Input, Prompter, Question, Revealed, Summary,
};

pub(crate) struct TerminalPrompter {
    term: Term,
    /// Keys are read as keys for the whole session (see [`widgets::KeyboardGuard`]).
    _keyboard: widgets::KeyboardGuard,
}

impl TerminalPrompter {
    /// The prompter on stderr. It also makes Ctrl-C end the session with its summary
    /// rather than the process (see [`widgets::catch_interrupts`]): a side effect, so not
    /// `Default`.
    pub(crate) fn on_stderr() -> Self {
        widgets::catch_interrupts();
        TerminalPrompter {
            term: Term::stderr(),
            _keyboard: widgets::KeyboardGuard::engage(),
        }
    }
}

impl Drop for TerminalPrompter {
    fn drop(&mut self) {
        let _ = self.term.show_cursor();
    }
}

/// What the single-choice menu returned.
enum Pick {
    Index(usize),
    Undo,
    Quit,
}

/// Treats an interrupted read (Ctrl-C) as quitting.
fn quit_on_interrupt<T>(result: io::Result<Action<T>>) -> io::Result<Action<T>> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(Action::Quit),
        other => other,
    }
}

/// What a widget's outcome asks of the session, the answer made an [`Input`] by `input`.
fn answered<T>(outcome: Outcome<T>, input: impl FnOnce(T) -> Input) -> Action<Input> {
    match outcome {
        Outcome::Done(value) => Action::Answer(input(value)),
        Outcome::Undo => Action::Undo,
        Outcome::Quit => Action::Quit,
    }
}

impl TerminalPrompter {
    fn line(&self, text: &str) -> io::Result<()> {
        self.term.write_line(text)
    }

    /// Writes plain text wrapped at word boundaries to the terminal's width, styling each
    /// wrapped line (styling after wrapping keeps escape codes out of the width count).
    fn paragraph(&self, text: &str, styler: impl Fn(&str) -> String) -> io::Result<()> {
        for line in text::wrap(text, self.width()) {
            self.line(&styler(&line))?;
        }
        Ok(())
    }

    /// The width to wrap text at: the terminal's (one column spare), at most 119.
    fn width(&self) -> usize {
        widgets::wrap_width(usize::from(self.term.size().1)).min(119)
    }

    /// Reads a key, waiting out a Ctrl-Z suspension (nothing is redrawn: the caller's text
    /// stays above the shell's lines).
    fn key(&self) -> io::Result<Key> {
        loop {
            if let Press::Key(key) = read_press(&self.term)? {
                return Ok(key);
            }
        }
    }

    /// A single-choice menu: arrows or j/k move, a number key picks that item, Enter
    /// confirms, `u` undoes, Esc or `q` quits.
    fn pick(&self, prompt: &str, items: &[String], default: usize) -> io::Result<Pick> {
        let mut selected = default.min(items.len().saturating_sub(1));
        self.term.hide_cursor()?;
        let hint = "↑↓ or number · Enter · u undo · q quit";
        let mut block = Block::new(&self.term);
        let result = loop {
            let width = self.width();
            let mut lines: Vec<String> = text::wrap(prompt, width)
                .iter()
                .map(|l| style(l).bold().to_string())
                .collect();
            lines.extend(
                text::wrap(hint, width)
                    .iter()
                    .map(|l| style(l).dim().to_string()),
            );
            for (i, item) in items.iter().enumerate() {
                let wrapped = text::wrap(&format!("{}) {item}", i + 1), width.saturating_sub(2));
                for (j, part) in wrapped.iter().enumerate() {
                    let marker = if i == selected && j == 0 { "❯" } else { " " };
                    lines.push(if i == selected {
                        format!("{} {}", style(marker).cyan(), style(part).cyan())
                    } else {
                        format!("{marker} {part}")
                    });
                }
            }
            block.draw(&lines)?;
            let key = match read_press(&self.term)? {
                Press::Resumed => {
                    block.forget();
                    self.term.hide_cursor()?;
                    continue;
                }
                Press::Key(key) => key,
            };
            match key {
                Key::ArrowUp | Key::Char('k') | Key::BackTab => {
                    selected = (selected + items.len() - 1) % items.len();
                }
                Key::ArrowDown | Key::Char('j') | Key::Tab => {
                    selected = (selected + 1) % items.len()
                }
                Key::Char(c) if c.is_ascii_digit() => {
                    let number = c.to_digit(10).unwrap_or(0) as usize;
                    if (1..=items.len()).contains(&number) {
                        break Pick::Index(number - 1);
                    }
                }
                Key::Enter | Key::Char(' ') => break Pick::Index(selected),
                Key::Char('u') => break Pick::Undo,
                Key::Escape | Key::Char('q') => break Pick::Quit,
                _ => {}
            }
        };
        block.clear()?;
        self.term.show_cursor()?;
        if let Pick::Index(i) = result {
            // Wrapped at words like every other line (styled after wrapping).
            self.paragraph(prompt, |l| style(l).bold().to_string())?;
            self.paragraph(&format!("  {}", items[i]), |l| style(l).cyan().to_string())?;
        }
        Ok(result)
    }

    fn choose(&self, prompt: &str, options: &[String]) -> io::Result<Action<Input>> {
        Ok(match self.pick(prompt, options, 0)? {
            Pick::Index(i) => Action::Answer(Input::Choice(i)),
            Pick::Undo => Action::Undo,
            Pick::Quit => Action::Quit,
        })
    }

    /// A text answer; a lone `u` or `q` undoes or quits, as in plain mode.
    fn text(&self, question: &str, prompt: &str) -> io::Result<Action<String>> {
        Ok(match widgets::read_text(&self.term, question, prompt)? {
            Outcome::Done(answer) => match answer.trim() {
                "q" => Action::Quit,
                "u" => Action::Undo,
                _ => Action::Answer(answer),
            },
            Outcome::Undo => Action::Undo,
            Outcome::Quit => Action::Quit,
        })
    }

    fn ask_inner(&mut self, header: &Header, question: &Question) -> io::Result<Action<Input>> {
        self.line("")?;
        self.line(&style(text::header_line(header)).dim().to_string())?;
        match question {
            Question::Flip { front } => self.ask_flip(front),
            Question::Choice { prompt, options } => self.choose(prompt, options),
            Question::TrueFalse { statement } => self.choose(
                &format!("True or false? {statement}"),
                &["True".to_string(), "False".to_string()],
            ),
            Question::Multi { prompt, options } => Ok(answered(
                widgets::pick_several(
                    &self.term,
                    &format!("{prompt} (select all that apply)"),
                    "Space toggles · Enter confirms · u undo · Esc quits",
                    options,
                )?,
                Input::Multi,
            )),
            Question::Typed { prompt } => {
                self.paragraph(prompt, |l| style(l).bold().to_string())?;
                Ok(match self.text(prompt, "Answer (u undo · q quit)")? {
                    Action::Answer(text) => Action::Answer(Input::Text(text)),
                    Action::Undo => Action::Undo,
                    _ => Action::Quit,
                })
            }
            Question::Cloze {
                text: cloze,
                blanks,
            } => self.ask_cloze(cloze, *blanks),
            Question::Order { prompt, items } => Ok(answered(
                widgets::put_in_order(
                    &self.term,
                    prompt,
                    "Space picks up / drops · ↑↓ move · Enter confirms · u undo · Esc quits",
                    items,
                )?,
                Input::Order,
            )),
        }
    }

    fn ask_flip(&self, front: &str) -> io::Result<Action<Input>> {
        self.paragraph(front, |l| style(l).bold().to_string())?;
        let hint = "Enter shows the answer · u undo · q quit";
        self.line(&style(hint).dim().to_string())?;
        loop {
            match self.key()? {
                Key::Enter | Key::Char(' ') => return Ok(Action::Answer(Input::Reveal)),
                Key::Char('u') => return Ok(Action::Undo),
                Key::Escape | Key::Char('q') => return Ok(Action::Quit),
                _ => {}
            }
        }
    }

    /// One line per blank; undo or quit at any blank ends the card.
    fn ask_cloze(&self, cloze: &str, blanks: usize) -> io::Result<Action<Input>> {
        let question = format!("Fill in: {cloze}");
        self.paragraph(&question, |l| l.to_string())?;
        let mut answers = Vec::new();
        for blank in 1..=blanks {
            match self.text(&question, &format!("[{blank}]"))? {
                Action::Answer(text) => answers.push(text),
                Action::Undo => return Ok(Action::Undo),
                _ => return Ok(Action::Quit),
            }
        }
        Ok(Action::Answer(Input::Texts(answers)))
    }

    fn context(
        &self,
        explanation: &str,
        note: Option<&str>,
        references: &[Reference],
        source: &str,
    ) -> io::Result<()> {
        for line in text::context_lines(explanation, note, references, source) {
            self.paragraph(&line, |l| l.to_string())?;
        }
        Ok(())
    }
}

impl Prompter for TerminalPrompter {
    fn ask(&mut self, header: &Header, question: &Question) -> io::Result<Action<Input>> {
        quit_on_interrupt(self.ask_inner(header, question))
    }

    fn grade(
        &mut self,
        revealed: &Revealed,
        choices: &[GradeChoice],
    ) -> io::Result<Action<Rating>> {
        self.paragraph(&format!("Answer: {}", revealed.back), |l| {
            style(l).green().to_string()
        })?;
        self.context(
            &revealed.explanation,
            revealed.note.as_deref(),
            &revealed.references,
            &revealed.source,
        )?;
        let items: Vec<String> = choices
            .iter()
            .map(|c| format!("{} · {}", c.rating.label(), c.interval))
            .collect();
        let default = choices
            .iter()
            .position(|c| c.rating == Rating::Good)
            .unwrap_or(0);
        quit_on_interrupt(Ok(
            match self.pick("How well did you know it?", &items, default) {
                Ok(Pick::Index(i)) => Action::Answer(choices[i].rating),
                Ok(Pick::Undo) => Action::Undo,
                Ok(Pick::Quit) => Action::Quit,
                Err(e) => return quit_on_interrupt(Err(e)),
            },
        ))
    }

    fn feedback(&mut self, feedback: &Feedback, regrade: &[GradeChoice]) -> io::Result<Action<()>> {
        let verdict = if feedback.correct {
            style(text::verdict(feedback)).green().bold()
        } else {
            style(text::verdict(feedback)).red().bold()
        };
        self.line(&verdict.to_string())?;
        for line in text::feedback_lines(feedback) {
            self.paragraph(&line, |l| l.to_string())?;
        }
        let mut hint = vec!["Enter next".to_string()];
        hint.extend(
            regrade
                .iter()
                .map(|c| format!("{} {} ({})", c.rating.as_u8(), c.rating.label(), c.interval)),
        );
        hint.push("u undo".into());
        hint.push("q quit".into());
        self.paragraph(&hint.join(" · "), |l| style(l).dim().to_string())?;
        quit_on_interrupt((|| loop {
            match self.key()? {
                Key::Enter | Key::Char(' ') => return Ok(Action::Answer(())),
                Key::Char('u') => return Ok(Action::Undo),
                Key::Escape | Key::Char('q') => return Ok(Action::Quit),
                Key::Char(c) => {
                    let rating = c.to_digit(10).and_then(|n| Rating::try_from(n as u8).ok());
                    if let Some(rating) = rating.filter(|r| regrade.iter().any(|c| c.rating == *r))
                    {
                        return Ok(Action::Regrade(rating));
                    }
                }
                _ => {}
            }
        })())
    }

    fn message(&mut self, message: &str) -> io::Result<()> {
        self.paragraph(message, |l| style(l).yellow().to_string())
    }

    fn summary(&mut self, summary: &Summary) -> io::Result<()> {
        self.line("")?;
        for line in text::summary_lines(summary) {
            self.paragraph(&line, |l| l.to_string())?;
        }
        Ok(())
    }
}
