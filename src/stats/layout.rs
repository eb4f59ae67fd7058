//! How the terminal report is drawn: the width it must fit, colour, and whether block
//! characters or words carry the numbers (`stats --plain`, for screen readers).

use console::Style;

/// The narrowest width the report is laid out for: below it, lines may wrap.
pub(crate) const MIN_WIDTH: usize = 50;

/// Eighths of a block, for bars with sub-character precision.
const PARTIAL_BLOCKS: [char; 7] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// Colours, applied when the context says stdout gets them (`--color`, `NO_COLOR`,
/// `CLICOLOR_FORCE` and whether it is a terminal, decided once).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Palette {
    enabled: bool,
}

impl Palette {
    pub(crate) fn new(enabled: bool) -> Palette {
        Palette { enabled }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.enabled {
            style.force_styling(true).apply_to(text).to_string()
        } else {
            text.to_string()
        }
    }

    pub(crate) fn heading(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    pub(crate) fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dim(), text)
    }

    pub(super) fn bar(&self, text: &str) -> String {
        self.paint(Style::new().cyan(), text)
    }

    pub(super) fn hint(&self, text: &str) -> String {
        self.paint(Style::new().yellow(), text)
    }
}

/// Everything about the look of one report.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    pub(super) palette: Palette,
    /// Columns every line fits in (never under [`MIN_WIDTH`]).
    pub(super) width: usize,
    /// Words instead of bars, heatmap cells and `·` separators.
    pub(super) plain: bool,
}

impl Layout {
    /// The layout for a terminal `width` columns wide (the context decides the width).
    pub(crate) fn new(palette: Palette, width: usize, plain: bool) -> Layout {
        Layout {
            palette,
            width: width.max(MIN_WIDTH),
            plain,
        }
    }

    /// The separator between two facts on a line: a dot, or a comma in plain mode.
    pub(super) fn sep(&self) -> &'static str {
        if self.plain { ", " } else { " · " }
    }
}

/// Splits `text` into lines of at most `width` columns at spaces (a word longer than the
/// width gets a line of its own). Any run of whitespace counts as one space.
pub(super) fn wrap_words(text: &str, width: usize) -> Vec<String> {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::text::wrap_hanging(&words, width, "", "")
}

/// `first` followed by `text`, wrapped to `width`: continuation lines are indented to
/// where `text` starts, or by 4 when that leaves too little room.
pub(super) fn hanging(first: &str, text: &str, width: usize) -> Vec<String> {
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let indent = console::measure_text_width(first);
    if indent + 20 > width {
        let pad = " ".repeat(4);
        let mut lines = vec![first.trim_end().to_string()];
        if words.is_empty() {
            lines.push(pad);
        } else {
            lines.extend(crate::text::wrap_hanging(&words, width, &pad, &pad));
        }
        return lines;
    }
    if words.is_empty() {
        return vec![first.to_string()];
    }
    crate::text::wrap_hanging(&words, width, first, &" ".repeat(indent))
}

/// A bar of `value / max` of `width` cells, in eighths of a cell; a value above zero always
/// shows at least a sliver, so a small count is never mistaken for none.
pub(super) fn bar(value: f64, max: f64, width: usize) -> String {
    if !(value > 0.0 && max > 0.0) || width == 0 {
        return String::new();
    }
    let eighths = ((value / max).min(1.0) * (width * 8) as f64)
        .round()
        .max(1.0) as usize;
    let mut bar = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        bar.push(PARTIAL_BLOCKS[eighths % 8 - 1]);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_use_eighths_and_never_hide_a_small_value() {
        assert_eq!(bar(0.0, 10.0, 8), "");
        assert_eq!(bar(10.0, 10.0, 4), "████");
        assert_eq!(bar(5.0, 10.0, 3), "█▌");
        assert_eq!(bar(1.0, 1000.0, 4), "▏");
        assert_eq!(bar(3.0, 0.0, 4), "", "no division by zero");
    }

    #[test]
    fn words_wrap_at_spaces_with_a_hanging_indent() {
        assert_eq!(wrap_words("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap_words("", 7), [""]);
        assert_eq!(
            hanging("  label  ", "one two three four five six seven", 30),
            ["  label  one two three four", "         five six seven"]
        );
    }

    #[test]
    fn the_layout_is_never_narrower_than_the_minimum() {
        let layout = Layout::new(Palette { enabled: false }, 20, false);
        assert_eq!(layout.width, MIN_WIDTH);
    }
}
