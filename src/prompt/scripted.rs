//! A prompter that plays a script of actions and records what it was shown, for unit tests
//! of the session logic.

use std::collections::VecDeque;
use std::io;

use crate::schedule::Rating;
use crate::session::{
    Action, Feedback, GradeChoice, Header, Input, Prompter, Question, Revealed, Summary,
};

/// One scripted reply, chosen by looking at the question.
pub(crate) type Reply = Box<dyn FnMut(&Question) -> Action<Input>>;

/// Called with each message shown.
pub(crate) type MessageHook = Box<dyn FnMut(&str)>;

#[derive(Default)]
pub(crate) struct ScriptedPrompter {
    pub answers: VecDeque<Reply>,
    pub grades: VecDeque<Action<Rating>>,
    pub after_feedback: VecDeque<Action<()>>,
    pub shown: Vec<(Header, Question)>,
    pub feedback: Vec<Feedback>,
    pub messages: Vec<String>,
    /// Called with each message as it is shown (a test acts on what the learner is told).
    pub on_message: Option<MessageHook>,
    pub summary: Option<Summary>,
    /// How many times the session waited after a regrade on the feedback screen.
    pub after_regrades: usize,
}

impl ScriptedPrompter {
    pub(crate) fn answer(
        &mut self,
        reply: impl FnMut(&Question) -> Action<Input> + 'static,
    ) -> &mut Self {
        self.answers.push_back(Box::new(reply));
        self
    }
}

impl Prompter for ScriptedPrompter {
    fn ask(&mut self, header: &Header, question: &Question) -> io::Result<Action<Input>> {
        self.shown.push((header.clone(), question.clone()));
        Ok(match self.answers.pop_front() {
            Some(mut reply) => reply(question),
            None => Action::Quit,
        })
    }

    fn grade(
        &mut self,
        _revealed: &Revealed,
        _choices: &[GradeChoice],
    ) -> io::Result<Action<Rating>> {
        Ok(self
            .grades
            .pop_front()
            .unwrap_or(Action::Answer(Rating::Good)))
    }

    fn feedback(
        &mut self,
        feedback: &Feedback,
        _regrade: &[GradeChoice],
    ) -> io::Result<Action<()>> {
        self.feedback.push(feedback.clone());
        Ok(self
            .after_feedback
            .pop_front()
            .unwrap_or(Action::Answer(())))
    }

    fn after_regrade(&mut self, _regrade: &[GradeChoice]) -> io::Result<Action<()>> {
        self.after_regrades += 1;
        Ok(self
            .after_feedback
            .pop_front()
            .unwrap_or(Action::Answer(())))
    }

    fn welcome(&mut self) -> io::Result<()> {
        self.messages.push("(welcome)".to_string());
        Ok(())
    }

    fn message(&mut self, text: &str) -> io::Result<()> {
        self.messages.push(text.to_string());
        if let Some(hook) = &mut self.on_message {
            hook(text);
        }
        Ok(())
    }

    fn summary(&mut self, summary: &Summary) -> io::Result<()> {
        self.summary = Some(summary.clone());
        Ok(())
    }
}
