//! The terminal's input widgets, drawn with `console` on stderr: a line of text, a list to
//! pick several items from, and a list to put in order. They replace dialoguer's `Input`,
//! `MultiSelect` and `Sort` for two reasons those cannot serve:
//!
//! - **Ctrl-Z.** While a key is read the terminal is in raw mode, so Ctrl-Z arrives as a
//!   key instead of stopping the job, and dialoguer drops it: the learner believes the
//!   session is suspended and types shell commands into answers. [`read_press`] (in
//!   `keyboard.rs`) suspends the process as a shell expects (the terminal is back in its
//!   normal mode between keys), and every widget draws itself again when it is resumed
//!   with `fg`.
//! - **Narrow terminals.** A widget redraws by clearing the rows it drew. Each widget
//!   counts the rows its lines really take at the terminal's width, so at 20 columns or
//!   fewer nothing is left behind twice.
//!
//! dialoguer supplies only the look: markers and colours come from its `ColorfulTheme`; no
//! dialoguer widget runs.

use std::io;

use console::{Key, Term, measure_text_width, style};
use dialoguer::theme::ColorfulTheme;

use super::keyboard::{Press, read_press_or_ctrl_c};
use super::text;

/// The longest typed answer taken: keys past it are refused, with a note (answers are a
/// few words; a pasted novel would only slow the comparison down).
const MAX_TYPED_CHARS: usize = crate::session::MAX_ANSWER_CHARS;

/// The rows `lines` take on a terminal `columns` wide (a line wider than the terminal
/// wraps onto more rows).
pub(super) fn rows(lines: &[String], columns: usize) -> usize {
    let columns = columns.max(1);
    lines
        .iter()
        .map(|line| measure_text_width(line).max(1).div_ceil(columns))
        .sum()
}

/// A block of lines that is drawn, cleared and drawn again in place.
pub(super) struct Block<'t> {
    term: &'t Term,
    /// Rows drawn last time, to clear before drawing again.
    drawn: usize,
}

impl<'t> Block<'t> {
    pub(super) fn new(term: &'t Term) -> Self {
        Block { term, drawn: 0 }
    }

    /// The terminal's width now, in columns.
    pub(super) fn columns(&self) -> usize {
        usize::from(self.term.size().1).max(1)
    }

    /// Replaces what was drawn with `lines`.
    pub(super) fn draw(&mut self, lines: &[String]) -> io::Result<()> {
        self.clear()?;
        for line in lines {
            self.term.write_line(line)?;
        }
        self.drawn = rows(lines, self.columns());
        self.term.flush()
    }

    /// Removes what was drawn.
    pub(super) fn clear(&mut self) -> io::Result<()> {
        self.term.clear_last_lines(self.drawn)?;
        self.drawn = 0;
        Ok(())
    }

    /// Forgets what was drawn (after a resume, the shell's lines are below it).
    pub(super) fn forget(&mut self) {
        self.drawn = 0;
    }
}

/// The width to wrap text at on a terminal `columns` wide (see [`crate::text::text_width`]).
pub(super) fn wrap_width(columns: usize) -> usize {
    crate::text::text_width(columns)
}

/// The outcome of a widget.
pub(super) enum Outcome<T> {
    Done(T),
    Undo,
    Quit,
}

/// Keys every list widget shares.
enum ListKey {
    Up,
    Down,
    Space,
    Enter,
    Undo,
    Quit,
    /// `?`: show (or hide) every key.
    Keys,
    Other,
}

fn list_key(key: &Key) -> ListKey {
    match key {
        Key::ArrowUp | Key::Char('k') | Key::BackTab => ListKey::Up,
        Key::ArrowDown | Key::Char('j') | Key::Tab => ListKey::Down,
        Key::Char(' ') => ListKey::Space,
        Key::Enter => ListKey::Enter,
        Key::Char('u') => ListKey::Undo,
        Key::Escape | Key::Char('q') => ListKey::Quit,
        Key::Char('?') => ListKey::Keys,
        _ => ListKey::Other,
    }
}

/// The dimmed lines of a key hint, wrapped between keys; with `show_keys`, every key
/// (what `?` shows) follows.
pub(super) fn hint_lines(hint: &[String], show_keys: bool, columns: usize) -> Vec<String> {
    let width = wrap_width(columns);
    let mut lines = crate::text::wrap_items(hint, width);
    if show_keys {
        for line in text::TERMINAL_KEYS {
            lines.extend(crate::text::wrap(line, width));
        }
    }
    lines.iter().map(|l| style(l).dim().to_string()).collect()
}

/// The rows of one list item: `prefix` (the focus marker and the item's own marker) on
/// its first row, the text wrapped at words and lined up under itself, highlighted when
/// focused. `prefix_width` is the prefix's width on screen.
pub(super) fn item_lines(
    prefix: &str,
    prefix_width: usize,
    item: &str,
    focused: bool,
    width: usize,
) -> Vec<String> {
    let pad = " ".repeat(prefix_width);
    let theme = ColorfulTheme::default();
    crate::text::wrap_hanging(item, width, &pad, &pad)
        .iter()
        .enumerate()
        .map(|(row, line)| {
            let part = line.strip_prefix(&pad).unwrap_or(line);
            let part = if focused {
                theme.active_item_style.apply_to(part).to_string()
            } else {
                part.to_string()
            };
            let lead = if row == 0 { prefix } else { pad.as_str() };
            format!("{lead}{part}")
        })
        .collect()
}

/// The focus marker of a row: `❯` on the focused one (visible without colour), a space
/// on the others.
pub(super) fn focus_marker(focused: bool) -> String {
    let theme = ColorfulTheme::default();
    if focused {
        theme.active_item_prefix.to_string()
    } else {
        theme.inactive_item_prefix.to_string()
    }
}

/// What a list shows above its items: the card's header, the question, its hint, and
/// (after `?`) every key. The header is part of the list's block, so that it goes with the
/// list when the learner quits and comes back with it after Ctrl-Z and `fg`.
pub(super) struct ListTop<'a> {
    /// Lines drawn before the question (a blank line and the card's header), as drawn.
    pub(super) header: &'a [String],
    pub(super) question: &'a str,
    pub(super) hint: &'a [String],
    pub(super) show_keys: bool,
}

impl<'a> ListTop<'a> {
    pub(super) fn new(header: &'a [String], question: &'a str, hint: &'a [String]) -> Self {
        ListTop {
            header,
            question,
            hint,
            show_keys: false,
        }
    }
}

/// The lines of a list: the question, the hint, then each item wrapped under its markers,
/// the focused item marked with `❯` and highlighted. `mark` gives the marker each item
/// shows after that (ticked or not, its place in the order, picked up or not).
fn list_lines(
    top: &ListTop<'_>,
    items: &[String],
    focus: usize,
    columns: usize,
    mark: impl Fn(usize) -> String,
) -> Vec<String> {
    let width = wrap_width(columns);
    let mut lines = top.header.to_vec();
    lines.extend(question_lines(top.question, columns));
    lines.extend(hint_lines(top.hint, top.show_keys, columns));
    for (i, item) in items.iter().enumerate() {
        let marker = mark(i);
        let prefix = format!("{} {marker} ", focus_marker(i == focus));
        let prefix_width = measure_text_width(&prefix);
        lines.extend(item_lines(&prefix, prefix_width, item, i == focus, width));
    }
    lines
}

/// A question wrapped to the terminal, in bold: part of a widget's block, so that it is
/// drawn again when the session is resumed after Ctrl-Z.
pub(super) fn question_lines(question: &str, columns: usize) -> Vec<String> {
    crate::text::wrap(question, wrap_width(columns))
        .iter()
        .map(|l| style(l).bold().to_string())
        .collect()
}

/// After a list: its header and question again, and what was answered, neutrally.
pub(super) fn echo(term: &Term, top: &ListTop<'_>, answered: &str) -> io::Result<()> {
    let columns = usize::from(term.size().1).max(1);
    let mut lines = top.header.to_vec();
    lines.extend(question_lines(top.question, columns));
    lines.extend(crate::text::wrap(answered, wrap_width(columns)));
    Block::new(term).draw(&lines)
}

/// What sets the three list widgets (single choice, select all, put in order) apart; the
/// keys, drawing, Ctrl-Z and `?` are [`run_list`]'s, shared.
pub(super) trait ListWidget {
    /// The items, in the order shown.
    fn shown(&self) -> Vec<String>;
    /// The marker shown after the focus marker of the item at `position` (a number, a tick
    /// box, a place in the order).
    fn mark(&self, position: usize, focus: usize) -> String;
    /// Space on the focused item; `true` when it confirms the list, as Enter does.
    fn on_space(&mut self, focus: usize) -> bool;
    /// An arrow moves the focus from `from` to `to` (both in the list); the new focus.
    fn on_move(&mut self, _from: usize, to: usize) -> usize {
        to
    }
    /// Any other key: where it moves the focus, if anywhere.
    fn on_other(&mut self, _key: &Key) -> Option<usize> {
        None
    }
}

/// A list under `top` (the header, the question and its hint): arrows or j/k move the
/// focus (stopping at the ends), Enter confirms, `u` undoes, Esc, `q` or Ctrl-C quits, `?`
/// shows every key; Space and other keys are the widget's. Returns the focus when
/// confirmed. The list and its top are cleared afterwards; echoing the answer is the
/// caller's.
pub(super) fn run_list(
    term: &Term,
    mut top: ListTop<'_>,
    mut focus: usize,
    widget: &mut impl ListWidget,
) -> io::Result<Outcome<usize>> {
    let mut block = Block::new(term);
    term.hide_cursor()?;
    let outcome = loop {
        let shown = widget.shown();
        block.draw(&list_lines(
            &top,
            &shown,
            focus,
            block.columns(),
            |position| widget.mark(position, focus),
        ))?;
        let key = match read_press_or_ctrl_c(term)? {
            Some(Press::Resumed) => {
                block.forget();
                term.hide_cursor()?;
                continue;
            }
            Some(Press::Key(key)) => key,
            // Ctrl-C quits as `q` does, the list cleared.
            None => break Outcome::Quit,
        };
        match list_key(&key) {
            ListKey::Up if focus > 0 => focus = widget.on_move(focus, focus - 1),
            ListKey::Down if focus + 1 < shown.len() => focus = widget.on_move(focus, focus + 1),
            ListKey::Up | ListKey::Down => {}
            ListKey::Space => {
                if widget.on_space(focus) {
                    break Outcome::Done(focus);
                }
            }
            ListKey::Enter => break Outcome::Done(focus),
            ListKey::Undo => break Outcome::Undo,
            ListKey::Quit => break Outcome::Quit,
            ListKey::Keys => top.show_keys = !top.show_keys,
            ListKey::Other => {
                if let Some(moved) = widget.on_other(&key) {
                    focus = moved;
                }
            }
        }
    };
    block.clear()?;
    term.show_cursor()?;
    Ok(outcome)
}

/// Select all that apply: ticks toggled with Space.
struct TickList<'a> {
    options: &'a [String],
    picked: &'a mut Vec<bool>,
}

impl ListWidget for TickList<'_> {
    fn shown(&self) -> Vec<String> {
        self.options.to_vec()
    }

    fn mark(&self, position: usize, _focus: usize) -> String {
        let theme = ColorfulTheme::default();
        if self.picked[position] {
            theme.checked_item_prefix.to_string()
        } else {
            theme.unchecked_item_prefix.to_string()
        }
    }

    fn on_space(&mut self, focus: usize) -> bool {
        self.picked[focus] = !self.picked[focus];
        false
    }
}

/// Select all that apply: arrows move, Space toggles, Enter confirms, `u` undoes, Esc or
/// `q` quits, `?` shows every key. Returns the indices picked, in list order.
/// `picked` holds the ticks to start from, and the ticks made when the list is left for an
/// undo or a quit (so that a question asked again keeps them).
pub(super) fn pick_several(
    term: &Term,
    top: ListTop<'_>,
    options: &[String],
    picked: &mut Vec<bool>,
) -> io::Result<Outcome<Vec<usize>>> {
    picked.resize(options.len(), false);
    let mut list = TickList { options, picked };
    let (header, question) = (top.header, top.question);
    let outcome = match run_list(term, top, 0, &mut list)? {
        Outcome::Done(_) => Outcome::Done(
            (0..options.len())
                .filter(|&i| list.picked[i])
                .collect::<Vec<_>>(),
        ),
        Outcome::Undo => Outcome::Undo,
        Outcome::Quit => Outcome::Quit,
    };
    if let Outcome::Done(chosen) = &outcome {
        let names: Vec<&str> = chosen.iter().map(|&i| options[i].as_str()).collect();
        let shown = if names.is_empty() {
            "(none)".to_string()
        } else {
            names.join("; ")
        };
        let top = ListTop::new(header, question, &[]);
        echo(term, &top, &format!("Picked: {shown}"))?;
    }
    Ok(outcome)
}

/// Put in order: Space picks the focused item up (or drops it), and arrows then move it.
struct OrderList<'a> {
    items: &'a [String],
    order: Vec<usize>,
    holding: bool,
}

impl ListWidget for OrderList<'_> {
    fn shown(&self) -> Vec<String> {
        self.order.iter().map(|&i| self.items[i].clone()).collect()
    }

    fn mark(&self, position: usize, focus: usize) -> String {
        // The item picked up says so in words too, for a terminal without colour.
        if self.holding && position == focus {
            format!("{}. (moving)", position + 1)
        } else {
            format!("{}.", position + 1)
        }
    }

    fn on_space(&mut self, _focus: usize) -> bool {
        self.holding = !self.holding;
        false
    }

    fn on_move(&mut self, from: usize, to: usize) -> usize {
        if self.holding {
            self.order.swap(from, to);
        }
        to
    }
}

/// Put in order: arrows move the focus, Space picks the focused item up (or drops it),
/// arrows then move the item, Enter confirms, `u` undoes, Esc or `q` quits, `?` shows
/// every key. Returns the shown items' indices in the order the learner put them.
pub(super) fn put_in_order(
    term: &Term,
    top: ListTop<'_>,
    items: &[String],
) -> io::Result<Outcome<Vec<usize>>> {
    let mut list = OrderList {
        items,
        order: (0..items.len()).collect(),
        holding: false,
    };
    let (header, question) = (top.header, top.question);
    let outcome = match run_list(term, top, 0, &mut list)? {
        Outcome::Done(_) => Outcome::Done(list.order),
        Outcome::Undo => Outcome::Undo,
        Outcome::Quit => Outcome::Quit,
    };
    if let Outcome::Done(order) = &outcome {
        let names: Vec<&str> = order.iter().map(|&i| items[i].as_str()).collect();
        let top = ListTop::new(header, question, &[]);
        echo(
            term,
            &top,
            &format!("Your order: {}", names.join(", then ")),
        )?;
    }
    Ok(outcome)
}

/// What was typed at a text prompt.
pub(super) enum Typed {
    Text(String),
    /// A lone `?`: the learner does not know.
    DontKnow,
}

/// A typed answer: typing, Backspace, Delete, ←/→, Home/End edit it; Enter submits, but
/// an empty line is asked again (a stray Enter costs nothing). A lone `?` says "I don't
/// know", a lone `u` or `q` undoes or quits (each says so beside the line before Enter),
/// and Esc or Ctrl-C quits. `above` (the card's header, the question and its hint) is drawn
/// again after a Ctrl-Z. Once submitted, the line is replaced by `echo` of the answer
/// (`None`: don't know), wrapped.
pub(super) fn read_text(
    term: &Term,
    above: &[String],
    label: &str,
    echo: impl Fn(Option<&str>) -> String,
) -> io::Result<Outcome<Typed>> {
    let mut line = TextLine {
        typed: Vec::new(),
        cursor: 0,
        cursor_row: 0,
        at_limit: false,
        asked_again: false,
    };
    line.draw(term, label)?;
    let outcome = loop {
        let key = match read_press_or_ctrl_c(term)? {
            Some(Press::Resumed) => {
                line.cursor_row = 0;
                for text in above {
                    term.write_line(text)?;
                }
                line.draw(term, label)?;
                continue;
            }
            Some(Press::Key(key)) => key,
            // Ctrl-C quits as Esc does: the line is cleared, so what follows starts anew.
            None => break Outcome::Quit,
        };
        match key {
            Key::Enter => match line.text().trim() {
                "" => line.asked_again = true,
                "?" => break Outcome::Done(Typed::DontKnow),
                "u" => break Outcome::Undo,
                "q" => break Outcome::Quit,
                _ => break Outcome::Done(Typed::Text(line.text())),
            },
            Key::Escape => break Outcome::Quit,
            key => {
                if !line.edit(key, term, label)? {
                    continue;
                }
            }
        }
        line.draw(term, label)?;
    };
    line.clear(term)?;
    let answered = match &outcome {
        Outcome::Done(Typed::Text(text)) => Some(echo(Some(text))),
        Outcome::Done(Typed::DontKnow) => Some(echo(None)),
        Outcome::Undo | Outcome::Quit => None,
    };
    if let Some(answered) = answered {
        let columns = usize::from(term.size().1).max(1);
        for row in crate::text::wrap(&answered, wrap_width(columns)) {
            term.write_line(&row)?;
        }
    }
    Ok(outcome)
}

/// The state of [`read_text`]'s line on the screen.
struct TextLine {
    typed: Vec<char>,
    cursor: usize,
    /// The row of the input (from its first) the terminal cursor is on: where a redraw
    /// starts from.
    cursor_row: usize,
    /// A key was refused because the answer is at its longest.
    at_limit: bool,
    /// Enter was pressed on an empty line, which is asked again.
    asked_again: bool,
}

impl TextLine {
    fn text(&self) -> String {
        self.typed.iter().collect()
    }

    /// Applies an editing key. Returns whether the line must be drawn again (false when
    /// the key did nothing, or when only its character was written).
    fn edit(&mut self, key: Key, term: &Term, label: &str) -> io::Result<bool> {
        let had_note = !self.note().is_empty();
        self.asked_again = false;
        let (typed, cursor) = (&mut self.typed, &mut self.cursor);
        match key {
            Key::Backspace if *cursor > 0 => {
                *cursor -= 1;
                typed.remove(*cursor);
                self.at_limit = false;
            }
            Key::Del if *cursor < typed.len() => {
                typed.remove(*cursor);
            }
            Key::ArrowLeft => *cursor = cursor.saturating_sub(1),
            Key::ArrowRight => *cursor = (*cursor + 1).min(typed.len()),
            Key::Home => *cursor = 0,
            Key::End => *cursor = typed.len(),
            Key::Char(c) if !c.is_control() && typed.len() < MAX_TYPED_CHARS => {
                typed.insert(*cursor, c);
                *cursor += 1;
                let at_end = *cursor == typed.len();
                if at_end && !had_note && self.note().is_empty() && self.append(term, label, c)? {
                    return Ok(false);
                }
            }
            Key::Char(c) if !c.is_control() => self.at_limit = true,
            _ => return Ok(had_note),
        }
        Ok(true)
    }

    /// What is said beside the line: a refused key, an empty Enter, or what Enter will do
    /// with a lone `?`, `u` or `q`.
    fn note(&self) -> String {
        if self.at_limit {
            return format!(
                "  (answers are at most {MAX_TYPED_CHARS} characters; Enter submits, Esc quits)"
            );
        }
        if self.asked_again {
            return "  (type an answer, or ? and Enter if you don't know)".to_string();
        }
        match self.text().trim() {
            "?" => "  (Enter: I don't know; the answer is shown, graded Again)",
            "u" => "  (Enter: undo the last answer)",
            "q" => "  (Enter: end the session)",
            _ => "",
        }
        .to_string()
    }

    /// Removes the line from the screen, leaving the cursor where it started.
    fn clear(&mut self, term: &Term) -> io::Result<()> {
        term.move_cursor_up(self.cursor_row)?;
        term.write_str("\r")?;
        term.clear_to_end_of_screen()?;
        self.cursor_row = 0;
        term.flush()
    }

    /// Draws the whole line anew and puts the terminal cursor where the next character goes.
    fn draw(&mut self, term: &Term, label: &str) -> io::Result<()> {
        let columns = usize::from(term.size().1).max(1);
        term.move_cursor_up(self.cursor_row)?;
        term.write_str("\r")?;
        term.clear_to_end_of_screen()?;
        let before: String = self.typed[..self.cursor].iter().collect();
        let after: String = self.typed[self.cursor..].iter().collect();
        term.write_str(&format!("{}{before}{after}", style(label).bold()))?;
        let at = measure_text_width(label) + measure_text_width(&before);
        let mut end_row = last_row(at + measure_text_width(&after), columns);
        // The note goes on rows of its own below the input, wrapped at words.
        let note = self.note();
        if !note.is_empty() {
            for row in crate::text::wrap(note.trim_start(), wrap_width(columns)) {
                term.write_str(&format!("\r\n{}", style(row).yellow()))?;
                end_row += 1;
            }
        }
        let (row, column) = (at / columns, at % columns);
        term.write_str("\r")?;
        if row > end_row {
            // Just past a full last row, where the terminal has not wrapped yet.
            term.write_str("\n")?;
        } else {
            term.move_cursor_up(end_row - row)?;
        }
        term.move_cursor_right(column)?;
        self.cursor_row = row;
        term.flush()
    }

    /// Writes only `c`, just added at the end, when that leaves the cursor on the same
    /// row: a pasted answer is then not redrawn whole for every character. Returns whether
    /// it did; otherwise the caller redraws.
    fn append(&mut self, term: &Term, label: &str, c: char) -> io::Result<bool> {
        let columns = usize::from(term.size().1).max(1);
        let typed: String = self.typed.iter().collect();
        let at = measure_text_width(label) + measure_text_width(&typed);
        // A character that fills the row's last column leaves the terminal waiting to wrap;
        // the full redraw knows where the cursor then is.
        if at.is_multiple_of(columns) || at / columns != self.cursor_row {
            return Ok(false);
        }
        term.write_str(c.encode_utf8(&mut [0; 4]))?;
        term.flush()?;
        Ok(true)
    }
}

/// The row (from 0) that the last of `width` columns of text falls on.
fn last_row(width: usize, columns: usize) -> usize {
    width.saturating_sub(1) / columns
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_count_the_wrapping_of_long_lines() {
        let lines = vec!["a".repeat(25), String::new(), "b".repeat(10)];
        assert_eq!(rows(&lines, 80), 3);
        assert_eq!(rows(&lines, 10), 3 + 1 + 1);
        assert_eq!(rows(&lines, 20), 2 + 1 + 1);
    }
}
