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

use super::keyboard::{self, Press, read_press};
use super::text::{self, Wording};
use super::widgets::{self, ListTop, ListWidget, Outcome, Typed};
use crate::deck::Reference;
use crate::schedule::Rating;
use crate::session::{
    Action, Feedback, GradeChoice, Header, Input, Prompter, Question, Revealed, Summary,
};

pub(crate) struct TerminalPrompter {
    term: Term,
    /// Keys are read as keys for the whole session (see [`keyboard::KeyboardGuard`]).
    _keyboard: keyboard::KeyboardGuard,
    /// A select-all question left for an undo: its prompt, options and ticks.
    kept_ticks: Option<(String, Vec<String>, Vec<bool>)>,
    /// The lines above the question now asked (a blank line and the card's header, dimmed):
    /// a list clears them with itself, and every prompt draws them again after Ctrl-Z.
    header: Vec<String>,
}

/// A single choice: each item numbered, Space confirms as Enter does, and a number key or
/// one of the menu's letters moves to its item.
struct ChoiceList<'m, 'a> {
    menu: &'m Menu<'a>,
}

impl ListWidget for ChoiceList<'_, '_> {
    fn shown(&self) -> Vec<String> {
        self.menu.items.to_vec()
    }

    fn mark(&self, position: usize, _focus: usize) -> String {
        format!("{})", position + 1)
    }

    fn on_space(&mut self, _focus: usize) -> bool {
        true
    }

    // A number or letter only moves the marker, as the hint says: were it to answer at
    // once, the Enter the hint asks for next would answer the next card unseen (issue 28,
    // item 3).
    fn on_other(&mut self, key: &Key) -> Option<usize> {
        let Key::Char(c) = *key else {
            return None;
        };
        if let Some(number) = c.to_digit(10) {
            let number = number as usize;
            return (1..=self.menu.items.len())
                .contains(&number)
                .then(|| number - 1);
        }
        let lower = c.to_ascii_lowercase();
        self.menu
            .letters
            .iter()
            .find(|(letter, _)| *letter == lower)
            .map(|&(_, i)| i)
    }
}

impl TerminalPrompter {
    /// The prompter on stderr. It also makes Ctrl-C end the session with its summary
    /// rather than the process (see [`keyboard::catch_interrupts`]): a side effect, so not
    /// `Default`.
    pub(crate) fn on_stderr() -> Self {
        keyboard::catch_interrupts();
        TerminalPrompter {
            term: Term::stderr(),
            _keyboard: keyboard::KeyboardGuard::engage(),
            kept_ticks: None,
            header: Vec::new(),
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

/// A key hint: `items` then the keys every prompt has.
fn hint(items: &[&str]) -> Vec<String> {
    items
        .iter()
        .chain(&["u undo", "q quit", "? keys"])
        .map(|item| item.to_string())
        .collect()
}

/// The hint of a typed or cloze prompt: there letters are text, so undo and quit are a lone
/// letter and Enter.
fn typed_hint(first: &str) -> Vec<String> {
    [
        first,
        "? then Enter: I don't know",
        "u or q then Enter: undo or quit",
        "Esc quits",
    ]
    .map(String::from)
    .to_vec()
}

/// A single-choice menu's items.
struct Menu<'a> {
    /// The lines above the prompt that go with the menu (see [`TerminalPrompter::header`]).
    header: &'a [String],
    prompt: &'a str,
    items: &'a [String],
    default: usize,
    hint: Vec<String>,
    /// Letters that move to an item besides its number (`t` and `f` for true or false).
    letters: &'a [(char, usize)],
    /// What the line that repeats the item picked starts with.
    echo_label: &'a str,
}

impl TerminalPrompter {
    fn line(&self, text: &str) -> io::Result<()> {
        self.term.write_line(text)
    }

    /// Writes plain text wrapped at word boundaries to the terminal's width, styling each
    /// wrapped line (styling after wrapping keeps escape codes out of the width count).
    fn paragraph(&self, text: &str, styler: impl Fn(&str) -> String) -> io::Result<()> {
        for line in crate::text::wrap(text, self.width()) {
            self.line(&styler(&line))?;
        }
        Ok(())
    }

    /// The terminal's width in columns.
    fn columns(&self) -> usize {
        usize::from(self.term.size().1).max(1)
    }

    /// The width to wrap text at (see [`crate::text::text_width`]).
    fn width(&self) -> usize {
        widgets::wrap_width(self.columns())
    }

    /// Writes a key hint, wrapped between keys.
    fn hint(&self, items: &[String]) -> io::Result<()> {
        for line in widgets::hint_lines(items, false, self.columns()) {
            self.line(&line)?;
        }
        Ok(())
    }

    /// Writes every key (what `?` shows).
    fn all_keys(&self) -> io::Result<()> {
        for line in text::TERMINAL_KEYS {
            self.paragraph(line, |l| style(l).dim().to_string())?;
        }
        Ok(())
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

    /// A single-choice menu: arrows or j/k move (stopping at the ends), a number key (or
    /// one of the menu's letters) moves to that item, Enter or Space confirms, `u` undoes,
    /// Esc or `q` quits, `?` shows every key.
    fn pick(&self, menu: &Menu<'_>) -> io::Result<Pick> {
        let last = menu.items.len().saturating_sub(1);
        let mut list = ChoiceList { menu };
        let top = ListTop::new(menu.header, menu.prompt, &menu.hint);
        let result = match widgets::run_list(&self.term, top, menu.default.min(last), &mut list)? {
            Outcome::Done(i) => Pick::Index(i),
            Outcome::Undo => Pick::Undo,
            Outcome::Quit => Pick::Quit,
        };
        if let Pick::Index(i) = result {
            // The question again and what was picked, neutrally (no verdict yet), labelled
            // as a typed answer is.
            let top = ListTop::new(menu.header, menu.prompt, &[]);
            widgets::echo(
                &self.term,
                &top,
                &format!("{}{}", menu.echo_label, menu.items[i]),
            )?;
        }
        Ok(result)
    }

    fn choose(
        &self,
        prompt: &str,
        options: &[String],
        hint: Vec<String>,
        letters: &[(char, usize)],
    ) -> io::Result<Action<Input>> {
        let menu = Menu {
            header: &self.header,
            prompt,
            items: options,
            default: 0,
            hint,
            letters,
            echo_label: "You answered: ",
        };
        Ok(match self.pick(&menu)? {
            Pick::Index(i) => Action::Answer(Input::Choice(i)),
            Pick::Undo => Action::Undo,
            Pick::Quit => Action::Quit,
        })
    }

    /// A typed answer under `question` (already shown) and its hint; `None` when the
    /// learner said they don't know.
    fn text(
        &self,
        question: &str,
        hint: &[String],
        label: &str,
        echo: impl Fn(Option<&str>) -> String,
    ) -> io::Result<Action<Option<String>>> {
        let columns = self.columns();
        let mut above = self.header.clone();
        above.extend(widgets::question_lines(question, columns));
        above.extend(widgets::hint_lines(hint, false, columns));
        Ok(match widgets::read_text(&self.term, &above, label, echo)? {
            Outcome::Done(Typed::Text(answer)) => Action::Answer(Some(answer)),
            Outcome::Done(Typed::DontKnow) => Action::Answer(None),
            Outcome::Undo => Action::Undo,
            Outcome::Quit => Action::Quit,
        })
    }

    /// Takes the card's header as the lines above its question (a blank line, then the
    /// header, broken between its parts on a narrow terminal, never inside a word). A list
    /// draws them with itself; the other prompts write them now, and they stay.
    fn start_card(&mut self, header: &Header, question: &Question) -> io::Result<()> {
        let header_lines = crate::text::wrap_items(&text::header_items(header), self.width());
        self.header = std::iter::once(String::new())
            .chain(
                header_lines
                    .iter()
                    .map(|line| style(line).dim().to_string()),
            )
            .collect();
        let is_list = matches!(
            question,
            Question::Choice { .. }
                | Question::TrueFalse { .. }
                | Question::Multi { .. }
                | Question::Order { .. }
        );
        if !is_list {
            for line in &self.header {
                self.line(line)?;
            }
        }
        Ok(())
    }

    fn ask_inner(&mut self, header: &Header, question: &Question) -> io::Result<Action<Input>> {
        self.start_card(header, question)?;
        match question {
            Question::Flip { front } => self.ask_flip(front),
            Question::Choice { prompt, options } => self.choose(
                prompt,
                options,
                hint(&["↑↓ or number: choose", "Enter confirms"]),
                &[],
            ),
            Question::TrueFalse { statement } => self.choose(
                &format!("True or false? {statement}"),
                &["True".to_string(), "False".to_string()],
                hint(&["↑↓, 1/2 or t/f: choose", "Enter confirms"]),
                &[('t', 0), ('f', 1)],
            ),
            Question::Multi { prompt, options } => {
                // Ticks made before an undo or regrade are there when the question is
                // asked again (with its options in the same order).
                let mut ticks = match self.kept_ticks.take() {
                    Some((p, o, ticks)) if p == *prompt && o == *options => ticks,
                    _ => vec![false; options.len()],
                };
                let question = format!("{prompt} (select all that apply)");
                let hint = hint(&["Space toggles", "Enter confirms"]);
                let top = ListTop::new(&self.header, &question, &hint);
                let outcome = widgets::pick_several(&self.term, top, options, &mut ticks)?;
                if matches!(outcome, Outcome::Undo) {
                    self.kept_ticks = Some((prompt.clone(), options.clone(), ticks));
                }
                Ok(answered(outcome, Input::Multi))
            }
            Question::Typed { prompt } => self.ask_typed(prompt),
            Question::Cloze {
                text: cloze,
                blanks,
            } => self.ask_cloze(cloze, *blanks),
            Question::Order { prompt, items } => {
                let hint = hint(&["Space picks up / drops", "↑↓ move", "Enter confirms"]);
                let top = ListTop::new(&self.header, prompt, &hint);
                Ok(answered(
                    widgets::put_in_order(&self.term, top, items)?,
                    Input::Order,
                ))
            }
        }
    }

    fn ask_flip(&self, front: &str) -> io::Result<Action<Input>> {
        self.paragraph(front, |l| style(l).bold().to_string())?;
        self.hint(&hint(&["Enter shows the answer"]))?;
        let mut keys_shown = false;
        loop {
            match self.key()? {
                Key::Enter | Key::Char(' ') => return Ok(Action::Answer(Input::Reveal)),
                Key::Char('u') => return Ok(Action::Undo),
                Key::Escape | Key::Char('q') => return Ok(Action::Quit),
                Key::Char('?') if !keys_shown => {
                    self.all_keys()?;
                    keys_shown = true;
                }
                _ => {}
            }
        }
    }

    fn ask_typed(&self, prompt: &str) -> io::Result<Action<Input>> {
        self.paragraph(prompt, |l| style(l).bold().to_string())?;
        let hint = typed_hint("Enter submits");
        self.hint(&hint)?;
        Ok(
            match self.text(prompt, &hint, "Your answer: ", text::typed_echo)? {
                Action::Answer(Some(text)) => Action::Answer(Input::Text(text)),
                Action::Answer(None) => Action::Answer(Input::GaveUp),
                Action::Undo => Action::Undo,
                _ => Action::Quit,
            },
        )
    }

    /// One line per blank; "don't know", undo or quit at any blank ends the card.
    fn ask_cloze(&self, cloze: &str, blanks: usize) -> io::Result<Action<Input>> {
        let question = format!("Fill in: {cloze}");
        self.paragraph(&question, |l| style(l).bold().to_string())?;
        let hint = typed_hint(if blanks > 1 {
            "One line per blank, Enter submits it"
        } else {
            "Enter submits"
        });
        self.hint(&hint)?;
        let mut answers = Vec::new();
        for blank in 1..=blanks {
            let label = format!("[{blank}]: ");
            let echo = |typed: Option<&str>| match typed {
                Some(text) => format!("[{blank}] {text}"),
                None => format!("[{blank}] ? (I don't know)"),
            };
            match self.text(&question, &hint, &label, echo)? {
                Action::Answer(Some(text)) => answers.push(text),
                Action::Answer(None) => return Ok(Action::Answer(Input::GaveUp)),
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

    /// The keys after an answer: Enter goes on, a digit regrades, `u` undoes, `q` quits,
    /// `?` shows every key.
    fn after_answer(&self, regrade: &[GradeChoice]) -> io::Result<Action<()>> {
        let mut items = vec!["Enter next".to_string()];
        items.extend(
            regrade
                .iter()
                .map(|c| format!("{} {} ({})", c.rating.as_u8(), c.rating.label(), c.interval)),
        );
        items.extend(hint(&[]));
        self.hint(&items)?;
        let mut keys_shown = false;
        quit_on_interrupt((|| loop {
            match self.key()? {
                Key::Enter | Key::Char(' ') => return Ok(Action::Answer(())),
                Key::Char('u') => return Ok(Action::Undo),
                Key::Escape | Key::Char('q') => return Ok(Action::Quit),
                Key::Char('?') if !keys_shown => {
                    self.all_keys()?;
                    keys_shown = true;
                }
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
}

impl Prompter for TerminalPrompter {
    fn ask(&mut self, header: &Header, question: &Question) -> io::Result<Action<Input>> {
        keyboard::drop_typed_ahead();
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
        // An Enter typed ahead of the answer would otherwise grade it Good unseen.
        keyboard::drop_typed_ahead();
        let menu = Menu {
            header: &[],
            prompt: "How well did you know it?",
            items: &items,
            default: choices
                .iter()
                .position(|c| c.rating == Rating::Good)
                .unwrap_or(0),
            hint: hint(&["↑↓ or number: choose", "Enter confirms"]),
            letters: &[],
            echo_label: "Your grade: ",
        };
        quit_on_interrupt(self.pick(&menu).map(|pick| match pick {
            Pick::Index(i) => Action::Answer(choices[i].rating),
            Pick::Undo => Action::Undo,
            Pick::Quit => Action::Quit,
        }))
    }

    fn feedback(&mut self, feedback: &Feedback, regrade: &[GradeChoice]) -> io::Result<Action<()>> {
        let verdict = if feedback.correct {
            style(text::verdict(feedback, Wording::Symbols))
                .green()
                .bold()
        } else {
            style(text::verdict(feedback, Wording::Symbols))
                .red()
                .bold()
        };
        self.line(&verdict.to_string())?;
        for line in text::feedback_lines(feedback, Wording::Symbols) {
            self.paragraph(&line, |l| l.to_string())?;
        }
        // A key typed before the feedback was on screen (a second Enter) was meant for the
        // answer, not for going on past a feedback not yet read.
        keyboard::drop_typed_ahead();
        self.after_answer(regrade)
    }

    fn after_regrade(&mut self, regrade: &[GradeChoice]) -> io::Result<Action<()>> {
        self.after_answer(regrade)
    }

    fn welcome(&mut self) -> io::Result<()> {
        self.line("")?;
        for line in text::TERMINAL_WELCOME {
            self.paragraph(line, |l| l.to_string())?;
        }
        self.paragraph(text::NOTICE, |l| style(l).dim().to_string())
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
