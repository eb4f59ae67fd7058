//! Deck errors: every problem names the file, the line when known, the card, what is wrong
//! and how to fix it.

use std::fmt;

/// Which card a problem is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CardRef {
    Id(String),
    /// 1-based position in the deck's `cards` list, for cards without a usable id.
    Position(usize),
}

impl fmt::Display for CardRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CardRef::Id(id) => write!(f, "card `{id}`"),
            CardRef::Position(n) => write!(f, "card #{n}"),
        }
    }
}

/// One problem found in a deck file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct DeckError {
    /// The file as the user knows it (a path, or `decks/NAME.yaml (built-in)`).
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub card: Option<CardRef>,
    pub kind: DeckErrorKind,
}

impl DeckError {
    /// The id of the card this problem is about, in a deck whose cards have `ids` in order
    /// (a card without a usable id is named by its position).
    pub fn card_id(&self, ids: &[&str]) -> Option<String> {
        match self.card.as_ref()? {
            CardRef::Id(id) => Some(id.clone()),
            CardRef::Position(n) => ids.get(n.checked_sub(1)?).map(|id| id.to_string()),
        }
    }
}

impl fmt::Display for DeckError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        write!(f, ": ")?;
        // Ids, fields and answers quoted from the file are shortened and escaped.
        let mut tail = String::new();
        if let Some(card) = &self.card {
            tail.push_str(&format!("{card}: "));
        }
        tail.push_str(&self.kind.to_string());
        f.write_str(&crate::text::shorten_quotes(&tail))
    }
}

/// One or more problems in deck files, reported all together.
#[derive(Debug)]
pub struct DeckProblems(pub Vec<DeckError>);

impl fmt::Display for DeckProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let files: std::collections::BTreeSet<&str> =
            self.0.iter().map(|problem| problem.file.as_str()).collect();
        write!(
            f,
            "{} problem{} in {} deck file{}",
            self.0.len(),
            crate::text::plural(self.0.len()),
            files.len(),
            crate::text::plural(files.len())
        )
    }
}

impl std::error::Error for DeckProblems {}

/// What is wrong, phrased so that the message says how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeckErrorKind {
    #[error("cannot read the file: {0}")]
    Unreadable(String),
    #[error(
        "this is {what}, not a deck file; deck files are regular *.yaml files: move it away or rename it"
    )]
    NotARegularFile { what: &'static str },
    #[error(
        "this is a symbolic link loop (too many levels of symbolic links); fix or remove the link"
    )]
    SymlinkLoop,
    #[error("this is a symbolic link to `{target}`, which does not exist; fix or remove the link")]
    DanglingSymlink { target: String },
    #[error(
        "`{other}` has the same deck name, and a deck has one file; rename or remove one of the two"
    )]
    SameDeckName { other: String },
    #[error(
        "the file is {size} bytes, over the limit of {limit} bytes; split it into several decks"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "the file is not UTF-8 text (invalid byte at offset {offset}); save it with UTF-8 encoding"
    )]
    NotUtf8 { offset: usize },
    #[error("the file contains a NUL byte at offset {offset}; deck files must be plain text")]
    NulByte { offset: usize },
    #[error(
        "the deck name `{name}` (from the file name) is not kebab-case; rename the file to `{suggestion}.yaml`"
    )]
    BadDeckName { name: String, suggestion: String },
    #[error("YAML syntax error: {message}{hint}")]
    Syntax { message: String, hint: &'static str },
    #[error(
        "the file is empty; a deck needs `title`, `description` and `cards` (see `lupus-quiz help deck-format`)"
    )]
    Empty,
    #[error(
        "the top level must be a mapping with `title`, `description` and `cards`, but it is {found}"
    )]
    NotAMapping { found: &'static str },
    #[error(
        "this is not a deck file: none of its {keys} top-level key{} is `title`, `description` or `cards`, or close to one (its content is not shown); a deck needs all three (see `lupus-quiz help deck-format`)",
        if *keys == 1 { "" } else { "s" }
    )]
    NotADeck { keys: usize },
    #[error("unknown field `{field}`{}", did_you_mean(suggestion.as_deref(), valid))]
    UnknownField {
        field: String,
        suggestion: Option<&'static str>,
        valid: Vec<&'static str>,
    },
    #[error("missing field `{field}`{}", for_type(card_type.as_deref()))]
    MissingField {
        field: &'static str,
        card_type: Option<String>,
    },
    #[error("field `{field}` must be {expected}, but it is {found}")]
    WrongType {
        field: String,
        expected: &'static str,
        found: &'static str,
    },
    #[error("a card must be a mapping of fields (`id: …`, `type: …`), but it is {found}")]
    CardNotAMapping { found: &'static str },
    #[error("unknown card type `{found}`{}; valid types are: flip, choice, multi, truefalse, typed, order, cloze", match suggestion { Some(s) => format!(" (did you mean `{s}`?)"), None => String::new() })]
    UnknownCardType {
        found: String,
        suggestion: Option<&'static str>,
    },
    #[error(
        "`origin` must be the article line the card comes from, a whole number from 1, but it is {found}"
    )]
    BadOrigin { found: String },
    #[error("the deck has no cards; add at least one under `cards:`")]
    NoCards,
    #[error(
        "id `{id}` is not kebab-case (lowercase letters, digits, single hyphens); write it as `{suggestion}`"
    )]
    IdNotKebab { id: String, suggestion: String },
    #[error("id `{id}` is used twice: first at {first}; every id must be unique across all decks")]
    DuplicateId { id: String, first: String },
    #[error("field `{field}` is empty; write the text or remove the field")]
    EmptyText { field: String },
    #[error(
        "field `{field}` is read by YAML as {read_as}, not as text, so it may not be what is written (YAML reads `0x10` as the number 16, `1e3` as 1000, `.inf` as infinity, `true` as a yes/no value); put the value in quotes (`\"…\"`) to keep it exactly as written"
    )]
    UnquotedScalar { field: String, read_as: String },
    #[error(
        "field `{field}` contains the control character U+{code:04X}; remove it (deck text is plain text: only line breaks and tabs are allowed)"
    )]
    ControlCharacter { field: String, code: u32 },
    #[error(
        "the answer `{answer}` also appears among the distractors; remove it from `distractors`"
    )]
    AnswerAmongDistractors { answer: String },
    #[error("option `{option}` appears twice in `{field}`; every option must be different")]
    DuplicateOption { field: &'static str, option: String },
    #[error("a choice card needs 2 to 5 distractors, but it has {count}")]
    DistractorCount { count: usize },
    #[error("a multi card needs at least one option in `{field}`")]
    MultiSideEmpty { field: &'static str },
    #[error("an order card needs 2 to 8 items, but it has {count}")]
    OrderItemCount { count: usize },
    #[error("field `{field}` has no accepted answer; list at least one")]
    NoAcceptedAnswer { field: &'static str },
    #[error("a cloze card needs at least one blank written as {{{{answer}}}} in `text`")]
    ClozeNoBlank,
    #[error(
        "blank {number} of the cloze is empty; write the answer between the braces, like {{{{growth factors}}}}"
    )]
    ClozeEmptyBlank { number: usize },
    #[error("a `{{{{` in the cloze text is never closed with `}}}}`")]
    ClozeUnclosed,
    #[error(
        "reference {number} has no `{field}`; every reference needs `author`, `title`, `published_in` and `year` (`link` is optional)"
    )]
    ReferenceMissingField { number: usize, field: &'static str },
    #[error("reference {number}: `year` must be a year such as 2011, but it is {found}")]
    ReferenceBadYear { number: usize, found: String },
    #[error(
        "reference {number}: `link` must be a web address starting with https:// (or http://), but it is `{link}`"
    )]
    ReferenceBadLink { number: usize, link: String },
    #[error("the card has `references` but no `note`; references back up the note, so write it")]
    ReferencesWithoutNote,
    #[error(
        "`source: Beyond the article (see note)` needs a `note` that says what the card teaches and where it comes from, with at least one entry in `references`"
    )]
    BeyondArticleWithoutNote,
    #[error(
        "`source: Beyond the article (see note)` needs at least one entry in `references`, so that a reader can look up what the note says"
    )]
    BeyondArticleWithoutReferences,
    #[error(
        "source `{found}` reads like the beyond-the-article label; write it exactly as `Beyond the article (see note)`"
    )]
    BeyondArticleMisspelt { found: String },
    #[error(
        "the question says it goes beyond the article, but `source` names `{heading}`; write `source: Beyond the article (see note)`, with a `note` and `references`"
    )]
    BeyondArticleWithHeading { heading: String },
    #[error(
        "`questions_to_ask` names the section `{section}`, which no card of this deck has as its `source`; use one of: {sections}"
    )]
    QuestionsForUnknownSection { section: String, sections: String },
    #[error("`questions_to_ask` lists the section `{section}` twice; put its questions together")]
    QuestionsSectionTwice { section: String },
    #[error(
        "`questions_to_ask` for `{section}` has {count} questions; give 1 to {most}, short and plain"
    )]
    QuestionsCount {
        section: String,
        count: usize,
        most: usize,
    },
    #[error(
        "`{question}` in `questions_to_ask` does not end with `?`; write a question for the care team, never advice"
    )]
    NotAQuestion { question: String },
}

fn did_you_mean(suggestion: Option<&str>, valid: &[&str]) -> String {
    match suggestion {
        Some(s) => format!("; did you mean `{s}`?"),
        None => format!("; valid fields here are: {}", valid.join(", ")),
    }
}

fn for_type(card_type: Option<&str>) -> String {
    match card_type {
        Some(t) => format!(" (required for a `{t}` card)"),
        None => String::new(),
    }
}
