//! The small interface between a session and the person: the session decides what to ask
//! and what it means; a [`Prompter`] only shows things and reads answers. The interactive
//! terminal (`prompt/terminal.rs`, our own widgets), plain lines (pipes, screen readers) and
//! scripted tests implement it.

use std::io;

use chrono::TimeDelta;

use crate::deck::Reference;
use crate::schedule::Rating;

/// Which kind of session is running, for headers and summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Study,
    Review,
    Quiz,
}

/// The line above every card: deck · answers given · cards left now, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Header {
    pub mode: Mode,
    pub deck: String,
    /// Answers given so far in this session (an undone one no longer counts); in a quiz,
    /// the questions answered.
    pub answered: usize,
    /// What is left to show now, the card on screen included: in a session the sum of the
    /// three counts below, in a quiz the questions left (and the three counts are 0).
    pub left: usize,
    pub new_left: usize,
    pub learning_left: usize,
    pub review_left: usize,
    /// Set when a learning card is shown before it is due (within the learn-ahead limit):
    /// how long until it is due, such as "8m".
    pub early: Option<String>,
}

/// A question as shown, with options already shuffled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Question {
    Flip {
        front: String,
    },
    Choice {
        prompt: String,
        options: Vec<String>,
    },
    /// Options are always "True" then "False".
    TrueFalse {
        statement: String,
    },
    Multi {
        prompt: String,
        options: Vec<String>,
    },
    Typed {
        prompt: String,
    },
    /// `text` shows each blank as `[1]`, `[2]`, ...
    Cloze {
        text: String,
        blanks: usize,
    },
    Order {
        prompt: String,
        items: Vec<String>,
    },
}

/// What the learner answered, in terms of what was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    /// Flip: show the back.
    Reveal,
    /// Index of the chosen option (true/false: 0 is True).
    Choice(usize),
    /// Indices of the selected options.
    Multi(Vec<usize>),
    Text(String),
    /// One text per cloze blank.
    Texts(Vec<String>),
    /// The shown items' indices, in the order the learner put them.
    Order(Vec<usize>),
    /// No answer: the learner said they don't know (`?`), or gave no valid answer after
    /// repeated tries. Counts as Again, and the right answer is shown.
    GaveUp,
}

/// What the learner wants at any prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action<T> {
    Answer(T),
    /// Take back the last answer; its card comes back.
    Undo,
    /// Change the grade of the last answer.
    Regrade(Rating),
    /// End the session now (Esc, q, Ctrl-C, end of input).
    Quit,
}

/// One grade button: "Good · 3d".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GradeChoice {
    pub rating: Rating,
    pub interval: String,
}

/// The back of a flip card, shown before the learner grades it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Revealed {
    pub back: String,
    pub explanation: String,
    pub note: Option<String>,
    pub references: Vec<Reference>,
    pub source: String,
}

/// The outcome of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Feedback {
    pub correct: bool,
    /// Lines that explain the outcome: the right answer, exact spelling, missed options.
    pub details: Vec<String>,
    pub explanation: String,
    pub note: Option<String>,
    pub references: Vec<Reference>,
    pub source: String,
    /// The grade recorded.
    pub rating: Rating,
    /// "in 3 days", when the schedule changed.
    pub next: Option<String>,
    /// Set when the card just became a leech and was suspended: what that means and the
    /// command that brings it back.
    pub leech_notice: Option<String>,
}

/// A question answered wrongly in a quiz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Missed {
    pub question: String,
    /// What the learner answered, in one line.
    pub given_answer: String,
    pub right_answer: String,
    pub explanation: String,
}

/// A quiz answer accepted although it was misspelt a little.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NearMiss {
    pub question: String,
    /// "Almost: the exact spelling is …", one line per blank of a cloze.
    pub spelling: Vec<String>,
}

/// The end of a session.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Summary {
    pub answered: usize,
    /// Answers graded Hard or better (or right, in a quiz).
    pub right: usize,
    pub time_spent: TimeDelta,
    /// When the next card is due, or how many are due now and what to run: one line.
    pub next_due: Option<String>,
    pub streak: Option<u32>,
    /// Quiz only: the questions answered wrongly.
    pub missed: Vec<Missed>,
    /// Quiz only: how many questions there were.
    pub questions: Option<usize>,
    /// Quiz only: answers accepted with a small typo, each with its question and the exact
    /// spelling (a quiz shows no feedback per question, so this is where a learner sees it).
    pub near_misses: Vec<NearMiss>,
    /// A closing remark ("Nothing more to show now: …", "Quiz ended early: …").
    pub remark: Option<String>,
}

/// Shows cards and reads answers. Every method may fail only on I/O.
pub(crate) trait Prompter {
    /// Shows the header and question and reads an answer (or an action).
    fn ask(&mut self, header: &Header, question: &Question) -> io::Result<Action<Input>>;

    /// Shows the back of a flip card and reads the learner's own grade.
    fn grade(&mut self, revealed: &Revealed, choices: &[GradeChoice])
    -> io::Result<Action<Rating>>;

    /// Shows the outcome of a graded answer and reads what to do next. `regrade` lists the
    /// other grades the learner may switch to, with their intervals.
    fn feedback(&mut self, feedback: &Feedback, regrade: &[GradeChoice]) -> io::Result<Action<()>>;

    /// After the answer on the feedback screen was regraded (the new grade and interval
    /// just shown as a message): waits until the learner goes on, so the new grade is seen.
    /// `regrade` lists the grades the answer may still switch to.
    fn after_regrade(&mut self, regrade: &[GradeChoice]) -> io::Result<Action<()>>;

    /// The key overview and educational-use notice a first session (on an empty
    /// database) starts with.
    fn welcome(&mut self) -> io::Result<()>;

    /// A one-line message (undone, regraded, next due).
    fn message(&mut self, text: &str) -> io::Result<()>;

    /// The end-of-session summary.
    fn summary(&mut self, summary: &Summary) -> io::Result<()>;
}
