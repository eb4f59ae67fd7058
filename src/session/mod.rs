//! Sessions: `study`, `review` and `quiz`. The logic lives here, behind the [`Prompter`]
//! trait; `src/prompt/` has the terminal and plain-line implementations.

mod goal;
mod grade;
mod prompter;
mod queue;
mod quiz;
mod run;

pub(crate) use goal::{GoalSession, LearnerGoal, follow_goal, states_of, study_day_of_date};
pub(crate) use grade::{MAX_ANSWER_CHARS, answer_too_long, right_answer};
pub(crate) use prompter::{
    Action, Feedback, GradeChoice, Header, Input, Missed, Mode, NearMiss, Prompter, Question,
    Revealed, Summary,
};
pub(crate) use queue::{
    DeckCounts, Limits, OutOfRotation, Queue, Scope, Snapshot, due_by_end_of_day, next_due,
};
pub(crate) use quiz::{pick_questions, run_quiz};
pub(crate) use run::{Services, Session};

#[cfg(test)]
mod review_tests;
#[cfg(test)]
mod tests;
