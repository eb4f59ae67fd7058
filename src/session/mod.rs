//! Sessions: `study`, `review` and `quiz`. The logic lives here, behind the [`Prompter`]
//! trait; `src/prompt/` has the terminal and plain-line implementations.

mod grade;
mod prompter;
mod queue;
mod quiz;
mod run;

pub use grade::{
    MAX_ANSWER_CHARS, Outcome, Presented, TypedMatch, answer_too_long, grade, match_typed, present,
    right_answer,
};
pub use prompter::{
    Action, Feedback, GradeChoice, Header, Input, Missed, Mode, Prompter, Question, Revealed,
    Summary,
};
pub use queue::{LEARN_AHEAD, Limits, Queue, QueuedCard, Scope, Snapshot, next_due};
pub use quiz::{QuizResult, pick_questions, run_quiz};
pub use run::{Services, Session, SessionError, short};

#[cfg(test)]
mod tests;
