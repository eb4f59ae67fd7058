//! The deck rules, written once: what a card must be beyond its shape (enough distractors,
//! no option twice, text the terminal may be handed, a kebab-case id, ...).
//!
//! Two callers hold them to it. The parser (`load.rs`) checks each part as it reads it,
//! so that every problem of every card is reported together and in file order; the deck
//! cache serves no card from an entry unless [`card_problems`] finds nothing, so a damaged
//! entry can never hand the program a card the parser would have refused.
//!
//! Each function names the field a problem is about as the parser reports it
//! (`distractors`, `references[2].year`), which is also how the problem's line is found.

use serde_yaml::Value;

use super::error::DeckErrorKind;
use super::model::{BEYOND_THE_ARTICLE, Card, CardContent, Reference, SectionQuestions};
use crate::text::needs_showing;

/// A problem with one field: the field as messages name it, and what is wrong.
pub(super) type Problem = (String, DeckErrorKind);

/// How many distractors a choice card offers.
const DISTRACTORS: std::ops::RangeInclusive<usize> = 2..=5;
/// How many items an order card puts in order.
const ORDER_ITEMS: std::ops::RangeInclusive<usize> = 2..=8;
/// The years a reference may be published in (four digits).
const YEARS: std::ops::RangeInclusive<u64> = 1000..=9999;

/// Every problem of a card that did not come through the parser (a cache entry's), by the
/// rules the parser reports one by one.
pub(super) fn card_problems(card: &Card) -> Vec<Problem> {
    let mut problems = Vec::new();
    if let Some(kind) = id_problem(card.id.as_str()) {
        problems.push(("id".to_string(), kind));
    }
    content_problems(&card.content, &mut problems);
    text_problems("explanation", &card.explanation, &mut problems);
    text_problems("source", &card.source, &mut problems);
    if let Some(line) = card.origin
        && origin_line(line.into()).is_none()
    {
        let found = format!("`{line}`");
        problems.push(("origin".to_string(), DeckErrorKind::BadOrigin { found }));
    }
    if let Some(note) = &card.note {
        text_problems("note", note, &mut problems);
    }
    for (i, reference) in card.references.iter().enumerate() {
        reference_problems(i + 1, reference, &mut problems);
    }
    if let Some(kind) = references_without_note(card.note.as_deref(), &card.references) {
        problems.push(("references".to_string(), kind));
    }
    list_text_problems("tags", &card.tags, &mut problems);
    for kind in source_problems(card) {
        problems.push(("source".to_string(), kind));
    }
    problems
}

fn content_problems(content: &CardContent, problems: &mut Vec<Problem>) {
    match content {
        CardContent::Flip { front, back } => {
            text_problems("front", front, problems);
            text_problems("back", back, problems);
        }
        CardContent::Choice {
            question,
            answer,
            distractors,
        } => {
            text_problems("question", question, problems);
            text_problems("answer", answer, problems);
            list_text_problems("distractors", distractors, problems);
            problems.extend(choice_problems(Some(answer), distractors));
        }
        CardContent::Multi {
            question,
            correct,
            wrong,
        } => {
            text_problems("question", question, problems);
            list_text_problems("correct", correct, problems);
            list_text_problems("wrong", wrong, problems);
            problems.extend(multi_problems(Some(correct), Some(wrong)));
        }
        CardContent::TrueFalse { statement, .. } => {
            text_problems("statement", statement, problems);
        }
        CardContent::Typed { question, answers } => {
            text_problems("question", question, problems);
            list_text_problems("answers", answers, problems);
            problems.extend(typed_problems(answers));
        }
        CardContent::Order { question, items } => {
            text_problems("question", question, problems);
            list_text_problems("items", items, problems);
            problems.extend(order_problems(items));
        }
        CardContent::Cloze { text, .. } => {
            text_problems("text", text, problems);
            if let Err(kind) = parse_cloze(text) {
                problems.push(("text".to_string(), kind));
            }
        }
    }
}

fn text_problems(field: &str, text: &str, problems: &mut Vec<Problem>) {
    text_problems_named(|| field.to_string(), text, problems);
}

/// [`text_problems`] of a field whose name is spelt only when there is a problem (`answers[2]`):
/// the cache checks every list item of each card it serves.
fn text_problems_named(field: impl FnOnce() -> String, text: &str, problems: &mut Vec<Problem>) {
    if is_plain_shown_ascii(text) {
        return;
    }
    let field = field();
    if let Some(kind) = text_problem(&field, text) {
        problems.push((field, kind));
    }
}

/// The text problems of each item of a list field (`answers[2]`).
fn list_text_problems(field: &str, items: &[String], problems: &mut Vec<Problem>) {
    for (i, item) in items.iter().enumerate() {
        text_problems_named(|| format!("{field}[{}]", i + 1), item, problems);
    }
}

fn reference_problems(number: usize, reference: &Reference, problems: &mut Vec<Problem>) {
    let field = |name: &'static str| move || format!("references[{number}].{name}");
    text_problems_named(field("author"), &reference.author, problems);
    text_problems_named(field("title"), &reference.title, problems);
    text_problems_named(field("published_in"), &reference.published_in, problems);
    if reference_year(reference.year.into()).is_none() {
        let found = format!("`{}`", reference.year);
        let kind = DeckErrorKind::ReferenceBadYear { number, found };
        problems.push((field("year")(), kind));
    }
    if let Some(link) = &reference.link {
        text_problems_named(field("link"), link, problems);
        if let Some(kind) = link_problem(number, link) {
            problems.push((field("link")(), kind));
        }
    }
}

/// What is wrong with a text field's value, if anything: it must show something besides
/// white space, and hold no character the terminal must not be handed (an escape sequence
/// in a card would set the learner's window title, write the clipboard or hide text).
pub(super) fn text_problem(field: &str, text: &str) -> Option<DeckErrorKind> {
    if is_plain_shown_ascii(text) {
        return None;
    }
    if text.trim().is_empty() {
        return Some(DeckErrorKind::EmptyText {
            field: field.to_string(),
        });
    }
    let found = text.chars().find(|&c| needs_showing(c))?;
    Some(DeckErrorKind::ControlCharacter {
        field: field.to_string(),
        code: found as u32,
    })
}

/// Whether `text` is ASCII without control characters (but newline and tab) and shows
/// something besides white space: a text [`text_problem`] finds nothing wrong with, judged
/// byte by byte in one pass without branches, which the compiler vectorises. The deck
/// cache checks every text of every card it serves, most of them ASCII.
fn is_plain_shown_ascii(text: &str) -> bool {
    let (mut non_ascii, mut control, mut shown) = (false, false, false);
    for &b in text.as_bytes() {
        let blank = (b == b' ') | (b == b'\n') | (b == b'\t');
        non_ascii |= b >= 0x80;
        control |= ((b < b' ') & !blank) | (b == 0x7f);
        shown |= !blank;
    }
    !non_ascii && shown && !control
}

/// A text field's value as read from YAML: a text, with its problems. A number or yes/no
/// value is refused, with the advice to quote it: YAML has already changed its spelling
/// (`0x10` to 16, `1e3` to 1000, `1.50` to 1.5), so the learner would see, and be graded
/// against, something the author did not write. The text is trimmed.
pub(super) fn text_in(field: &str, value: &Value) -> Result<String, DeckErrorKind> {
    let text = match value {
        Value::String(s) => s,
        Value::Number(_) | Value::Bool(_) => {
            let read_as = match value {
                Value::Number(n) => format!("the number {n}"),
                _ => format!("the yes/no value {}", value.as_bool().unwrap_or_default()),
            };
            return Err(DeckErrorKind::UnquotedScalar {
                field: field.to_string(),
                read_as,
            });
        }
        other => {
            return Err(DeckErrorKind::WrongType {
                field: field.to_string(),
                expected: "a text",
                found: describe(other),
            });
        }
    };
    match text_problem(field, text) {
        Some(kind) => Err(kind),
        None => Ok(text.trim().to_string()),
    }
}

/// How a YAML value is named in messages.
pub(super) fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "empty",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

/// What is wrong with a deck's name (the file stem): it must be kebab-case, as it is typed
/// on the command line.
pub(super) fn deck_name_problem(name: &str) -> Option<DeckErrorKind> {
    (!is_kebab_case(name)).then(|| DeckErrorKind::BadDeckName {
        name: name.to_string(),
        suggestion: to_kebab_case(name),
    })
}

/// What is wrong with a card's id: it must be kebab-case, as progress is keyed by it and
/// it is typed on the command line.
pub(super) fn id_problem(id: &str) -> Option<DeckErrorKind> {
    (!is_kebab_case(id)).then(|| DeckErrorKind::IdNotKebab {
        id: id.to_string(),
        suggestion: to_kebab_case(id),
    })
}

/// Whether `text` is kebab-case: lowercase ASCII letters and digits in groups joined by
/// single hyphens. Card ids and deck names must be, wherever they are typed or read (a
/// deck file's name, `draft`, an import file, completion).
pub fn is_kebab_case(text: &str) -> bool {
    // Two passes without a branch per byte, which the compiler turns into vector
    // instructions: the deck cache checks every deck's packed ids at once on each start
    // (`Ids::all_kebab_case`; byte by byte, 59 M instructions at 200,000 cards).
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    let allowed = |b: u8| b.is_ascii_lowercase() | b.is_ascii_digit() | (b == b'-');
    let all_allowed = bytes.iter().fold(true, |ok, &b| ok & allowed(b));
    let pairs = bytes.iter().zip(&bytes[1..]);
    let double_dash = pairs.fold(false, |seen, (a, b)| seen | ((*a == b'-') & (*b == b'-')));
    all_allowed && !double_dash && first != b'-' && last != b'-'
}

/// A kebab-case spelling of `text`, for suggestions.
fn to_kebab_case(text: &str) -> String {
    let mut out = String::new();
    let mut previous: Option<char> = None;
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            // "phaseOrder" -> "phase-order", but "HSCT" stays one word.
            let camel_hump = ch.is_ascii_uppercase()
                && previous.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit());
            if camel_hump && !out.ends_with('-') {
                out.push('-');
            }
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        previous = Some(ch);
    }
    let trimmed = out.trim_end_matches('-').to_string();
    if trimmed.is_empty() {
        "my-deck".to_string()
    } else {
        trimmed
    }
}

/// The `origin` line, when `number` is one: a whole number from 1.
pub(super) fn origin_line(number: u64) -> Option<u32> {
    u32::try_from(number).ok().filter(|&line| line >= 1)
}

/// The year of a reference, when `year` is one (four digits).
pub(super) fn reference_year(year: u64) -> Option<u16> {
    YEARS
        .contains(&year)
        .then(|| u16::try_from(year).ok())
        .flatten()
}

/// What is wrong with reference `number`'s link: it must be one web address.
pub(super) fn link_problem(number: usize, link: &str) -> Option<DeckErrorKind> {
    let web_address = (link.starts_with("https://") || link.starts_with("http://"))
        && !link.contains(char::is_whitespace);
    (!web_address).then(|| DeckErrorKind::ReferenceBadLink {
        number,
        link: link.to_string(),
    })
}

/// References back a note: a card with references needs one.
pub(super) fn references_without_note(
    note: Option<&str>,
    references: &[Reference],
) -> Option<DeckErrorKind> {
    (note.is_none() && !references.is_empty()).then_some(DeckErrorKind::ReferencesWithoutNote)
}

/// The problems of a choice card's distractors (and of its answer among them, when the
/// answer was readable).
pub(super) fn choice_problems(answer: Option<&str>, distractors: &[String]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let field = || "distractors".to_string();
    if !DISTRACTORS.contains(&distractors.len()) {
        let count = distractors.len();
        problems.push((field(), DeckErrorKind::DistractorCount { count }));
    }
    if let Some(answer) = answer
        && distractors.iter().any(|d| same_option(d, answer))
    {
        let answer = answer.to_string();
        problems.push((field(), DeckErrorKind::AnswerAmongDistractors { answer }));
    }
    repeats("distractors", distractors, &mut problems);
    problems
}

/// The problems of a multi card's two sides (those that were readable).
pub(super) fn multi_problems(correct: Option<&[String]>, wrong: Option<&[String]>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (field, side) in [("correct", correct), ("wrong", wrong)] {
        if side.is_some_and(<[String]>::is_empty) {
            let kind = DeckErrorKind::MultiSideEmpty { field };
            problems.push((field.to_string(), kind));
        }
    }
    if let (Some(correct), Some(wrong)) = (correct, wrong) {
        let all: Vec<&String> = correct.iter().chain(wrong).collect();
        repeats("correct and wrong", &all, &mut problems);
    }
    problems
}

/// The problems of a typed card's accepted answers.
pub(super) fn typed_problems(answers: &[String]) -> Vec<Problem> {
    if answers.is_empty() {
        let kind = DeckErrorKind::NoAcceptedAnswer { field: "answers" };
        return vec![("answers".to_string(), kind)];
    }
    Vec::new()
}

/// The problems of an order card's items.
pub(super) fn order_problems(items: &[String]) -> Vec<Problem> {
    let mut problems = Vec::new();
    if !ORDER_ITEMS.contains(&items.len()) {
        let kind = DeckErrorKind::OrderItemCount { count: items.len() };
        problems.push(("items".to_string(), kind));
    }
    repeats("items", items, &mut problems);
    problems
}

/// Each option that repeats an earlier one (see [`same_option`]). `field` names the list
/// in the message; its first word is where the problem is located.
fn repeats<T: AsRef<str>>(field: &'static str, options: &[T], problems: &mut Vec<Problem>) {
    for (i, option) in options.iter().enumerate() {
        if options[..i]
            .iter()
            .any(|earlier| same_option(earlier.as_ref(), option.as_ref()))
        {
            let line_field = field.split(' ').next().unwrap_or(field);
            let kind = DeckErrorKind::DuplicateOption {
                field,
                option: option.as_ref().to_string(),
            };
            problems.push((line_field.to_string(), kind));
        }
    }
}

/// Two options are the same when they are equal ignoring case and surrounding space.
fn same_option(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// What is wrong with the card's `source`, by the rules of [`BEYOND_THE_ARTICLE`]:
///
/// - A card with the label needs a `note` and at least one reference: the label sends the
///   learner there instead of to the article.
/// - A source that reads like the label but is not it is misspelt.
/// - A question that says it goes beyond the article cannot name an article heading: the
///   one place a program can tell that a card's content is not in the article, whatever
///   the source names (content review 2, SYS-1).
pub(super) fn source_problems(card: &Card) -> Vec<DeckErrorKind> {
    let says_beyond = |text: &str| {
        text.trim_start()
            .get(..BEYOND_PREFIX.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(BEYOND_PREFIX))
    };
    let mut problems = Vec::new();
    if card.source == BEYOND_THE_ARTICLE {
        if card.note.is_none() {
            problems.push(DeckErrorKind::BeyondArticleWithoutNote);
        } else if card.references.is_empty() {
            problems.push(DeckErrorKind::BeyondArticleWithoutReferences);
        }
    } else if says_beyond(&card.source) {
        problems.push(DeckErrorKind::BeyondArticleMisspelt {
            found: card.source.clone(),
        });
    } else if says_beyond(card.prompt()) {
        problems.push(DeckErrorKind::BeyondArticleWithHeading {
            heading: card.source.clone(),
        });
    }
    problems
}

/// How the beyond-the-article label, and a question that says the same, begin.
const BEYOND_PREFIX: &str = "beyond the article";

/// The accepted answers of each `{{…}}` blank, in order.
/// The most questions to ask one section may have: a page for an appointment holds a few.
pub(super) const MAX_QUESTIONS_PER_SECTION: usize = 5;

/// The problems of a deck's `questions_to_ask`: each names a section (a `source`) that
/// `cards` have, once, with 1 to [`MAX_QUESTIONS_PER_SECTION`] questions, each a question.
pub(super) fn questions_problems(
    questions: &[SectionQuestions],
    cards: &[Card],
) -> Vec<DeckErrorKind> {
    let mut sections: Vec<&str> = Vec::new();
    for card in cards {
        if !sections.contains(&card.source.as_str()) {
            sections.push(&card.source);
        }
    }
    let mut problems = Vec::new();
    for (number, entry) in questions.iter().enumerate() {
        let section = entry.section.clone();
        if !sections.contains(&entry.section.as_str()) {
            problems.push(DeckErrorKind::QuestionsForUnknownSection {
                section: section.clone(),
                sections: sections
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        if questions[..number]
            .iter()
            .any(|e| e.section == entry.section)
        {
            problems.push(DeckErrorKind::QuestionsSectionTwice {
                section: section.clone(),
            });
        }
        if !(1..=MAX_QUESTIONS_PER_SECTION).contains(&entry.questions.len()) {
            problems.push(DeckErrorKind::QuestionsCount {
                section,
                count: entry.questions.len(),
                most: MAX_QUESTIONS_PER_SECTION,
            });
        }
        problems.extend(question_problems(&entry.questions));
    }
    problems
}

/// Each question must read as one: it ends with a question mark.
pub(super) fn question_problems(questions: &[String]) -> Vec<DeckErrorKind> {
    (questions.iter())
        .filter(|question| !question.trim_end().ends_with('?'))
        .map(|question| DeckErrorKind::NotAQuestion {
            question: question.clone(),
        })
        .collect()
}

pub fn parse_cloze(text: &str) -> Result<Vec<Vec<String>>, DeckErrorKind> {
    let mut blanks = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or(DeckErrorKind::ClozeUnclosed)?;
        let answers: Vec<String> = after[..close]
            .split('|')
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect();
        if answers.is_empty() {
            return Err(DeckErrorKind::ClozeEmptyBlank {
                number: blanks.len() + 1,
            });
        }
        blanks.push(answers);
        rest = &after[close + 2..];
    }
    if blanks.is_empty() {
        return Err(DeckErrorKind::ClozeNoBlank);
    }
    Ok(blanks)
}

/// The cloze text with each blank replaced by `replace(index)`.
pub fn render_cloze(text: &str, mut replace: impl FnMut(usize) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut index = 0;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        out.push_str(&rest[..open]);
        out.push_str(&replace(index));
        index += 1;
        rest = &after[close + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deck::DeckOrigin;

    proptest::proptest! {
        /// The byte-wise shortcut for ASCII text agrees with the rule read character by
        /// character.
        #[test]
        fn shown_text_is_judged_the_same_byte_by_byte(
            t in "[ \\t\\n\\x00-\\x1f\\x7fa-z\u{85}\u{a0}\u{202e}é]{0,24}",
        ) {
            let by_char = !t.trim().is_empty() && !t.chars().any(needs_showing);
            proptest::prop_assert_eq!(text_problem("f", &t).is_none(), by_char);
            if is_plain_shown_ascii(&t) {
                proptest::prop_assert!(by_char);
            }
        }
    }

    /// The card of a one-card deck, or the kinds of problem the parser reports for it.
    fn parsed(card_yaml: &str) -> Result<Card, Vec<DeckErrorKind>> {
        let deck = format!("title: T\ndescription: D\ncards:\n{card_yaml}");
        match super::super::parse_deck("t", "t.yaml", DeckOrigin::Builtin, deck.as_bytes()) {
            Ok(parsed) => Ok(parsed.deck.cards.get(0).expect("one card").clone()),
            Err(errors) => Err(errors.into_iter().map(|e| e.kind).collect()),
        }
    }

    const CHOICE: &str = "  - id: c
    type: choice
    question: Which?
    answer: A
    distractors: [B, C]
    explanation: E
    source: S
";

    /// A card the cache reads is refused for exactly what the parser refuses it for: for
    /// each broken spelling of a sound card, the kinds of problem the parser reports equal
    /// those `card_problems` finds in the sound card broken the same way in memory.
    #[test]
    fn the_cache_refuses_a_card_for_what_the_parser_reports() {
        type Break = fn(&mut Card);
        let cases: [(&str, &str, Break); 10] = [
            ("[B, C]", "[B]", |card| set_distractors(card, &["B"])),
            ("[B, C]", "[B, b]", |card| {
                set_distractors(card, &["B", "b"])
            }),
            ("[B, C]", "[B, a]", |card| {
                set_distractors(card, &["B", "a"])
            }),
            ("id: c", "id: Card_1", |card| card.id = "Card_1".into()),
            ("explanation: E", "explanation: \"E\\e[2J\"", |card| {
                card.explanation = "E\u{1b}[2J".into()
            }),
            ("source: S", "source: S\n    origin: 0", |card| {
                card.origin = Some(0)
            }),
            (
                "source: S",
                "source: S\n    references:\n      - {author: A, title: T, published_in: J, year: 2011}",
                |card| card.references = vec![reference(2011, None)],
            ),
            (
                "source: S",
                "source: S\n    note: N\n    references:\n      - {author: A, title: T, published_in: J, year: 999, link: ftp://x}",
                |card| {
                    card.note = Some("N".into());
                    card.references = vec![reference(999, Some("ftp://x"))];
                },
            ),
            ("source: S", "source: Beyond the article", |card| {
                card.source = "Beyond the article".into()
            }),
            ("question: Which?", "question: \"\\u202eWhich?\"", |card| {
                set_question(card, "\u{202e}Which?")
            }),
        ];
        let sound = parsed(CHOICE).expect("the sound card parses");
        assert_eq!(card_problems(&sound), Vec::new());
        for (old, new, break_card) in cases {
            let from_parser = parsed(&CHOICE.replace(old, new)).expect_err(new);
            let mut broken = sound.clone();
            break_card(&mut broken);
            let from_rules: Vec<DeckErrorKind> = card_problems(&broken)
                .into_iter()
                .map(|(_, kind)| kind)
                .collect();
            assert_eq!(from_rules, from_parser, "{new}");
        }
    }

    fn set_distractors(card: &mut Card, new: &[&str]) {
        if let CardContent::Choice { distractors, .. } = &mut card.content {
            *distractors = new.iter().map(|d| d.to_string()).collect();
        }
    }

    fn set_question(card: &mut Card, new: &str) {
        if let CardContent::Choice { question, .. } = &mut card.content {
            *question = new.to_string();
        }
    }

    fn reference(year: u16, link: Option<&str>) -> Reference {
        Reference {
            author: "A".into(),
            title: "T".into(),
            published_in: "J".into(),
            year,
            link: link.map(str::to_string),
        }
    }

    #[test]
    fn kebab_case() {
        assert!(is_kebab_case("hsct-phase-order"));
        assert!(is_kebab_case("a1"));
        for bad in [
            "",
            "Hsct",
            "hsct_phase",
            "-a",
            "a-",
            "a--b",
            "a b",
            "-",
            "é",
            "a-é",
        ] {
            assert!(!is_kebab_case(bad), "{bad}");
        }
        // Every string of up to five of these characters, against the rule said plainly.
        let plain = |text: &str| {
            text.split('-').all(|group| {
                !group.is_empty()
                    && group
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
        };
        let mut texts = vec![String::new()];
        for _ in 0..5 {
            let longer: Vec<String> = (texts.iter())
                .flat_map(|t| ["a", "9", "-", "A", "é"].map(|c| format!("{t}{c}")))
                .collect();
            for text in &longer {
                assert_eq!(is_kebab_case(text), plain(text), "{text:?}");
            }
            texts = longer;
        }
    }

    #[test]
    fn kebab_suggestions() {
        assert_eq!(to_kebab_case("HSCT Phase_Order"), "hsct-phase-order");
        assert_eq!(to_kebab_case("phaseOrder"), "phase-order");
        assert_eq!(to_kebab_case("__"), "my-deck");
    }

    #[test]
    fn cloze_blanks_with_alternatives() {
        let blanks = parse_cloze("A {{b|B2}} c {{ d }}").unwrap();
        assert_eq!(
            blanks,
            vec![vec!["b".to_string(), "B2".into()], vec!["d".into()]]
        );
        assert_eq!(
            render_cloze("A {{b|B2}} c {{ d }}.", |i| format!("[{i}]")),
            "A [0] c [1]."
        );
        assert_eq!(parse_cloze("none"), Err(DeckErrorKind::ClozeNoBlank));
        assert_eq!(
            parse_cloze("a {{ }}"),
            Err(DeckErrorKind::ClozeEmptyBlank { number: 1 })
        );
        assert_eq!(parse_cloze("a {{b"), Err(DeckErrorKind::ClozeUnclosed));
    }
}
