//! An article as the drafter reads it: its title, its sections (Markdown `#` headings, or
//! short lines of their own without a final period), its sentences with their line numbers,
//! and its runs of list lines ("Step: description", numbered or bulleted items).

use unicode_segmentation::UnicodeSegmentation;

use super::words::{Word, words};

/// Articles larger than this are refused: a 100,000-word text is under 1 MiB.
pub(crate) const MAX_ARTICLE_BYTES: u64 = 8 * 1024 * 1024;

/// The label of text that comes before any heading (as the built-in decks write it).
pub(crate) const NO_HEADING: &str = "Opening paragraphs (no heading)";

/// Why a text cannot be drafted from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ArticleError {
    #[error(
        "it is not text: it holds a NUL byte at offset {offset} (a binary file?); draft reads plain text or Markdown in UTF-8"
    )]
    Binary { offset: usize },
    #[error(
        "it is not UTF-8 text (invalid byte at offset {offset}); save it as UTF-8, or convert it with `iconv -t UTF-8`"
    )]
    NotUtf8 { offset: usize },
    #[error("it is empty; draft needs an article of plain text or Markdown")]
    Empty,
    #[error(
        "it has no sentences (no paragraph with three or more words: only headings, numbers or symbols); draft needs prose, such as an article's paragraphs"
    )]
    NoSentences,
}

/// A section of the article: the text under one heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Section {
    /// The heading as written (the card's `source:`).
    pub heading: String,
    /// The top-level section this one belongs to (itself when it is one).
    pub top: usize,
}

/// One sentence, with the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sentence {
    pub text: String,
    /// From 1.
    pub line: u32,
    pub section: usize,
    pub words: Vec<Word>,
}

/// How the items of a run are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunKind {
    /// "Label: text" lines.
    Labels,
    /// `1.` `2.` … items.
    Numbered,
    /// `-` or `*` items.
    Bullets,
}

/// Consecutive list lines of one kind, in one section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Run {
    pub kind: RunKind,
    pub section: usize,
    /// The sentence just before the run ("Innovations include:"), if any in its section.
    pub intro: Option<usize>,
    pub items: Vec<Item>,
}

/// One line of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Item {
    /// What the item is called: a "Label:" or the short text of a list item.
    pub label: String,
    /// The text after the label ("" for a list item without one).
    pub body: String,
    pub line: u32,
    /// The first sentence of the item.
    pub sentence: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Article {
    pub title: Option<String>,
    pub sections: Vec<Section>,
    pub sentences: Vec<Sentence>,
    pub runs: Vec<Run>,
    /// How many words the article has (its prose, headings left out).
    pub word_count: usize,
}

/// What one line of the input is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line<'a> {
    Blank,
    Heading { level: usize, text: &'a str },
    Item { marker: Marker, text: &'a str },
    Text(&'a str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Marker {
    Number,
    Bullet,
    /// A "Label: text" line.
    Label,
}

/// The text of an input: UTF-8 without NUL bytes, a byte-order mark dropped.
pub(crate) fn article_text(bytes: &[u8]) -> Result<&str, ArticleError> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(ArticleError::Binary { offset });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| ArticleError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(ArticleError::Empty);
    }
    Ok(text)
}

/// Reads an article: its sections, sentences and runs.
pub(crate) fn parse(text: &str) -> Result<Article, ArticleError> {
    let raw: Vec<&str> = text.lines().collect();
    let lines = classify(&raw);
    let mut reader = Reader {
        title: title_of(&lines),
        ..Reader::default()
    };
    let levels = heading_levels(&lines);
    let top_level = levels.iter().flatten().copied().min().unwrap_or(1);
    let mut paragraph: Vec<(u32, String)> = Vec::new();
    for (index, line) in lines.iter().enumerate() {
        let number = index as u32 + 1;
        match line {
            Line::Blank => reader.paragraph(&mut paragraph),
            Line::Heading { text, .. } => {
                reader.paragraph(&mut paragraph);
                reader.end_run();
                if reader.title.is_some() && reader.sections.is_empty() && index == first(&lines) {
                    // The title names the text before the first heading.
                    reader.open_section(text, true);
                } else {
                    let level = levels[index].unwrap_or(top_level);
                    reader.open_section(text, level <= top_level);
                }
            }
            Line::Item { marker, text } => {
                reader.paragraph(&mut paragraph);
                reader.item(*marker, text, number);
            }
            Line::Text(text) => {
                if paragraph.is_empty() {
                    reader.end_run();
                }
                paragraph.push((number, clean_markup(text)));
            }
        }
    }
    reader.paragraph(&mut paragraph);
    reader.end_run();
    let prose = |s: &Sentence| {
        s.words
            .iter()
            .filter(|w| w.is_content() || w.is_stopword())
            .count()
            >= 3
    };
    if !reader.sentences.iter().any(prose) {
        return Err(ArticleError::NoSentences);
    }
    let word_count = reader.sentences.iter().map(|s| s.words.len()).sum();
    Ok(Article {
        title: reader.title,
        sections: reader.sections,
        sentences: reader.sentences,
        runs: reader.runs,
        word_count,
    })
}

fn first(lines: &[Line<'_>]) -> usize {
    lines
        .iter()
        .position(|line| *line != Line::Blank)
        .unwrap_or(0)
}

/// Builds sections, sentences and runs line by line.
#[derive(Default)]
struct Reader {
    title: Option<String>,
    sections: Vec<Section>,
    sentences: Vec<Sentence>,
    runs: Vec<Run>,
    run: Option<Run>,
}

impl Reader {
    fn open_section(&mut self, heading: &str, top: bool) {
        let index = self.sections.len();
        let top = if top || self.sections.is_empty() {
            index
        } else {
            self.sections[index - 1].top
        };
        self.sections.push(Section {
            heading: clean_markup(heading),
            top,
        });
    }

    fn section(&mut self) -> usize {
        if self.sections.is_empty() {
            self.sections.push(Section {
                heading: NO_HEADING.to_string(),
                top: 0,
            });
        }
        self.sections.len() - 1
    }

    /// Splits the paragraph gathered so far into sentences.
    fn paragraph(&mut self, lines: &mut Vec<(u32, String)>) {
        if lines.is_empty() {
            return;
        }
        let mut text = String::new();
        let mut starts: Vec<(usize, u32)> = Vec::new();
        for (number, line) in lines.drain(..) {
            if !text.is_empty() {
                text.push(' ');
            }
            starts.push((text.len(), number));
            text.push_str(line.trim());
        }
        self.sentences_of(&text, &starts);
    }

    /// Adds the sentences of `text`, whose lines start at the given offsets; returns the
    /// index of the first.
    fn sentences_of(&mut self, text: &str, starts: &[(usize, u32)]) -> usize {
        let section = self.section();
        let first = self.sentences.len();
        for (offset, sentence) in split_sentences(text) {
            let line = starts
                .iter()
                .rev()
                .find(|(start, _)| *start <= offset)
                .map_or(starts[0].1, |(_, number)| *number);
            let words = words(&sentence);
            if !words
                .iter()
                .any(|w| w.lower.chars().any(char::is_alphabetic))
            {
                continue;
            }
            self.sentences.push(Sentence {
                text: sentence,
                line,
                section,
                words,
            });
        }
        first
    }

    fn item(&mut self, marker: Marker, text: &str, number: u32) {
        let text = clean_markup(text);
        let kind = match marker {
            Marker::Label => RunKind::Labels,
            Marker::Number => RunKind::Numbered,
            Marker::Bullet => RunKind::Bullets,
        };
        let (label, body) = match marker {
            Marker::Label => {
                let (label, body) = text.split_once(": ").unwrap_or((&text, ""));
                (label.trim().to_string(), body.trim().to_string())
            }
            _ => match text.split_once(": ") {
                Some((label, body)) if is_label(label) => {
                    (label.trim().to_string(), body.trim().to_string())
                }
                _ => (short_item(&text), String::new()),
            },
        };
        let section = self.section();
        if self
            .run
            .as_ref()
            .is_some_and(|run| run.kind != kind || run.section != section)
        {
            self.end_run();
        }
        let sentences_before = self.sentences.len();
        let first = self.sentences_of(&text, &[(0, number)]);
        if self.sentences.len() == sentences_before {
            return;
        }
        let run = self.run.get_or_insert_with(|| Run {
            kind,
            section,
            intro: sentences_before
                .checked_sub(1)
                .filter(|&i| self.sentences[i].section == section),
            items: Vec::new(),
        });
        run.items.push(Item {
            label,
            body,
            line: number,
            sentence: first,
        });
    }

    fn end_run(&mut self) {
        // One line is no list: its sentence stays a plain sentence.
        if let Some(run) = self.run.take().filter(|run| run.items.len() >= 2) {
            self.runs.push(run);
        }
    }
}

/// A list item's short form: the whole item when short, else its first clause when that is.
fn short_item(text: &str) -> String {
    let text = text.trim().trim_end_matches(['.', ';']);
    if text.split_whitespace().count() <= 8 {
        return text.to_string();
    }
    let clause = text.split([',', ';', '—']).next().unwrap_or(text).trim();
    if clause.split_whitespace().count() <= 8 {
        clause.to_string()
    } else {
        String::new()
    }
}

/// The sentences of a paragraph with their byte offsets: Unicode sentence boundaries, joined
/// again after an abbreviation ("e.g.", "Dr.", "vs.", an initial).
fn split_sentences(text: &str) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut joining = false;
    for (offset, piece) in text.split_sentence_bound_indices() {
        if joining && let Some((_, last)) = out.last_mut() {
            last.push_str(piece);
        } else {
            out.push((offset, piece.to_string()));
        }
        let last = &out.last().expect("a sentence was just pushed").1;
        joining = ends_with_abbreviation(last.trim_end());
    }
    out.into_iter()
        .map(|(offset, sentence)| {
            let lead = sentence.len() - sentence.trim_start().len();
            (offset + lead, sentence.trim().to_string())
        })
        .filter(|(_, sentence)| !sentence.is_empty())
        .collect()
}

const ABBREVIATIONS: &[&str] = &[
    "e.g.", "i.e.", "dr.", "mr.", "mrs.", "ms.", "prof.", "vs.", "etc.", "approx.", "fig.", "no.",
    "al.", "st.", "jr.", "sr.", "cf.", "ca.", "mt.", "inc.", "ltd.",
];

fn ends_with_abbreviation(text: &str) -> bool {
    let last = text.rsplit(char::is_whitespace).next().unwrap_or(text);
    let last = last.trim_start_matches(['(', '"', '“', '[']).to_lowercase();
    if ABBREVIATIONS.contains(&last.as_str()) {
        return true;
    }
    // An initial: "J." (one capital letter and a period).
    let mut chars = text
        .rsplit(char::is_whitespace)
        .next()
        .unwrap_or("")
        .chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

/// Markdown emphasis, code marks and links, reduced to their text.
fn clean_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find("](") {
            Some(close) if !after[..close].contains(']') => match after[close + 2..].find(')') {
                Some(end) => {
                    out.push_str(&after[..close]);
                    rest = &after[close + 2 + end + 1..];
                }
                None => {
                    out.push('[');
                    rest = after;
                }
            },
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    // A control character would reach a learner's terminal: deck text is plain text.
    out.replace("**", "")
        .replace("__", "")
        .replace('`', "")
        .replace(crate::text::needs_showing, " ")
}

/// Sorts each line of the input.
fn classify<'a>(raw: &[&'a str]) -> Vec<Line<'a>> {
    let mut lines = Vec::with_capacity(raw.len());
    let mut in_code = false;
    for (index, line) in raw.iter().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
            lines.push(Line::Blank);
            continue;
        }
        if in_code || trimmed.is_empty() || trimmed.starts_with('|') || is_rule(trimmed) {
            lines.push(Line::Blank);
            continue;
        }
        if let Some(heading) = markdown_heading(trimmed) {
            lines.push(heading);
            continue;
        }
        if let Some(item) = list_item(trimmed) {
            lines.push(item);
            continue;
        }
        let previous = index.checked_sub(1).map(|i| raw[i].trim());
        let next = raw.get(index + 1).map(|l| l.trim());
        let after_heading = matches!(lines.last(), Some(Line::Heading { .. }));
        if is_plain_heading(trimmed, previous, next, after_heading) {
            lines.push(Line::Heading {
                level: 0,
                text: trimmed,
            });
            continue;
        }
        if let Some((label, body)) = trimmed.split_once(": ")
            && is_label(label)
            && body.split_whitespace().count() >= 3
        {
            lines.push(Line::Item {
                marker: Marker::Label,
                text: trimmed,
            });
            continue;
        }
        lines.push(Line::Text(trimmed));
    }
    lines
}

fn is_rule(line: &str) -> bool {
    line.len() >= 3
        && line
            .chars()
            .all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '))
}

fn markdown_heading(line: &str) -> Option<Line<'_>> {
    let level = line.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let text = line[level..]
        .strip_prefix(' ')?
        .trim()
        .trim_end_matches('#')
        .trim();
    (!text.is_empty()).then_some(Line::Heading { level, text })
}

fn list_item(line: &str) -> Option<Line<'_>> {
    if let Some(text) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
        .or_else(|| line.strip_prefix("• "))
    {
        let text = text.trim();
        return (!text.is_empty()).then_some(Line::Item {
            marker: Marker::Bullet,
            text,
        });
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &line[digits..];
        if let Some(text) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            let text = text.trim();
            return (!text.is_empty()).then_some(Line::Item {
                marker: Marker::Number,
                text,
            });
        }
    }
    None
}

/// A "Label" of a "Label: text" line: a short name starting with a capital letter.
fn is_label(label: &str) -> bool {
    let words = label.split_whitespace().count();
    (1..=6).contains(&words)
        && label.starts_with(|c: char| c.is_uppercase())
        && !label.contains(['.', '!', '?', ';', ',', '"'])
}

/// A line of its own, short, starting with a capital letter or digit and without a final
/// period, between paragraphs (the line before it ends a sentence, or there is none).
fn is_plain_heading(
    line: &str,
    previous: Option<&str>,
    next: Option<&str>,
    after_heading: bool,
) -> bool {
    let words = line.split_whitespace().count();
    let ends_open = !line.ends_with(['.', '!', '?', ',', ';', ':', '"', '”', ')']);
    let starts = line.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
    let after_paragraph = after_heading
        || previous.is_none_or(|p| {
            p.is_empty() || p.ends_with(['.', '!', '?', ':', '"', '”', ')']) || p.starts_with('#')
        });
    let before_text = next.is_some_and(|n| !n.is_empty()) || next.is_none_or(str::is_empty);
    (1..=12).contains(&words)
        && line.chars().count() <= 100
        && ends_open
        && starts
        && after_paragraph
        && before_text
        && line.chars().any(char::is_alphabetic)
}

/// The title: a first line that is a heading, when it is the only one of its level.
fn title_of(lines: &[Line<'_>]) -> Option<String> {
    let first = lines.iter().find(|line| **line != Line::Blank)?;
    let Line::Heading { level, text } = first else {
        return None;
    };
    let same_level = lines
        .iter()
        .filter(|line| matches!(line, Line::Heading { level: l, .. } if l == level))
        .count();
    (*level == 0 || same_level == 1).then(|| clean_markup(text))
}

/// The level of each heading: Markdown's own; for plain headings, a heading directly
/// followed by another is a parent (level 1) and the headings after it are its children
/// (level 2) until the next parent.
fn heading_levels(lines: &[Line<'_>]) -> Vec<Option<usize>> {
    let mut levels = vec![None; lines.len()];
    let title = lines.iter().position(|line| *line != Line::Blank);
    let mut in_parent = false;
    for (index, line) in lines.iter().enumerate() {
        let Line::Heading { level, .. } = line else {
            continue;
        };
        if Some(index) == title {
            continue;
        }
        if *level > 0 {
            levels[index] = Some(*level);
            continue;
        }
        let next = lines[index + 1..].iter().find(|line| **line != Line::Blank);
        let parent = matches!(next, Some(Line::Heading { .. }));
        if parent {
            in_parent = true;
            levels[index] = Some(1);
        } else {
            levels[index] = Some(if in_parent { 2 } else { 1 });
        }
    }
    // Markdown: a title `# T` with `##` sections makes `##` the top level.
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let sentences = split_sentences(
            "Dr. Lee saw many patients, e.g. children vs. adults. The trial ended. J. Smith wrote it.",
        );
        let texts: Vec<&str> = sentences.iter().map(|(_, s)| s.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Dr. Lee saw many patients, e.g. children vs. adults.",
                "The trial ended.",
                "J. Smith wrote it."
            ]
        );
    }

    #[test]
    fn plain_headings_sections_and_lines() {
        let text = "Vaccine Trials\n\nA vaccine is tested in stages. Each stage is larger.\n\nPhase One\nA small group of healthy volunteers receives the vaccine.\n";
        let article = parse(text).unwrap();
        assert_eq!(article.title.as_deref(), Some("Vaccine Trials"));
        let headings: Vec<&str> = article
            .sections
            .iter()
            .map(|s| s.heading.as_str())
            .collect();
        assert_eq!(headings, ["Vaccine Trials", "Phase One"]);
        let lines: Vec<u32> = article.sentences.iter().map(|s| s.line).collect();
        assert_eq!(lines, [3, 3, 6]);
        assert_eq!(article.sentences[2].section, 1);
    }

    #[test]
    fn a_heading_followed_by_a_heading_is_a_parent() {
        let text = "Intro text is here. It has words.\nCase Studies\nAnna's Story\nAnna had a fever for a week.\nBen's Story\nBen had a cough for a month.\nHow It Works\nThe Defence\nThe body makes antibodies.\n";
        let article = parse(text).unwrap();
        let tops: Vec<(&str, &str)> = article
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), article.sections[s.top].heading.as_str()))
            .collect();
        assert_eq!(
            tops,
            [
                (NO_HEADING, NO_HEADING),
                ("Case Studies", "Case Studies"),
                ("Anna's Story", "Case Studies"),
                ("Ben's Story", "Case Studies"),
                ("How It Works", "How It Works"),
                ("The Defence", "How It Works"),
            ]
        );
    }

    #[test]
    fn label_lines_make_a_run_with_its_intro() {
        let text = "The Process\nThe steps are these:\nCollection: Blood is drawn from the donor.\nTesting: The blood is screened for infections.\nStorage: The units are kept cold until use.\n";
        let article = parse(text).unwrap();
        assert_eq!(article.runs.len(), 1);
        let run = &article.runs[0];
        assert_eq!(run.kind, RunKind::Labels);
        let labels: Vec<&str> = run.items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["Collection", "Testing", "Storage"]);
        assert_eq!(
            article.sentences[run.intro.unwrap()].text,
            "The steps are these:"
        );
        assert_eq!(run.items[1].line, 4);
    }

    #[test]
    fn control_characters_become_spaces() {
        let article =
            parse("Intro\nA placebo is a \u{1b}[31mdummy injection with nothing in it.\n").unwrap();
        assert_eq!(
            article.sentences[0].text,
            "A placebo is a  [31mdummy injection with nothing in it."
        );
    }

    #[test]
    fn bad_inputs_are_named() {
        assert_eq!(
            article_text(b"ab\0cd"),
            Err(ArticleError::Binary { offset: 2 })
        );
        assert_eq!(
            article_text(b"ab\xffcd"),
            Err(ArticleError::NotUtf8 { offset: 2 })
        );
        assert_eq!(article_text(b" \n\t\n"), Err(ArticleError::Empty));
        assert_eq!(article_text("\u{feff}Hi.".as_bytes()), Ok("Hi."));
        assert_eq!(parse("1234\n----\n"), Err(ArticleError::NoSentences));
    }
}
