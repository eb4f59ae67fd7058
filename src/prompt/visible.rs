//! A prompter that shows every text it is handed through [`crate::text::visible`]: the
//! one gate between deck, import and database text and the terminal, for every prompter
//! (terminal and plain lines alike), so that no escape sequence in a card can reach it.

use std::io;

use crate::deck::Reference;
use crate::schedule::Rating;
use crate::session::{
    Action, Feedback, GradeChoice, Header, Input, Missed, NearMiss, Prompter, Question, Revealed,
    Summary,
};
use crate::text::visible;

/// Wraps a prompter; see the module doc.
pub(crate) struct Visible<P>(pub P);

fn shown(text: &str) -> String {
    visible(text).into_owned()
}

fn all_shown(texts: &[String]) -> Vec<String> {
    texts.iter().map(|t| shown(t)).collect()
}

fn references_shown(references: &[Reference]) -> Vec<Reference> {
    references
        .iter()
        .map(|r| Reference {
            author: shown(&r.author),
            title: shown(&r.title),
            published_in: shown(&r.published_in),
            year: r.year,
            link: r.link.as_deref().map(shown),
        })
        .collect()
}

fn question_shown(question: &Question) -> Question {
    match question {
        Question::Flip { front } => Question::Flip {
            front: shown(front),
        },
        Question::Choice { prompt, options } => Question::Choice {
            prompt: shown(prompt),
            options: all_shown(options),
        },
        Question::TrueFalse { statement } => Question::TrueFalse {
            statement: shown(statement),
        },
        Question::Multi { prompt, options } => Question::Multi {
            prompt: shown(prompt),
            options: all_shown(options),
        },
        Question::Typed { prompt } => Question::Typed {
            prompt: shown(prompt),
        },
        Question::Cloze { text, blanks } => Question::Cloze {
            text: shown(text),
            blanks: *blanks,
        },
        Question::Order { prompt, items } => Question::Order {
            prompt: shown(prompt),
            items: all_shown(items),
        },
    }
}

impl<P: Prompter> Prompter for Visible<P> {
    fn ask(&mut self, header: &Header, question: &Question) -> io::Result<Action<Input>> {
        let header = Header {
            deck: shown(&header.deck),
            ..header.clone()
        };
        self.0.ask(&header, &question_shown(question))
    }

    fn grade(
        &mut self,
        revealed: &Revealed,
        choices: &[GradeChoice],
    ) -> io::Result<Action<Rating>> {
        let revealed = Revealed {
            back: shown(&revealed.back),
            explanation: shown(&revealed.explanation),
            note: revealed.note.as_deref().map(shown),
            references: references_shown(&revealed.references),
            source: shown(&revealed.source),
        };
        self.0.grade(&revealed, choices)
    }

    fn feedback(&mut self, feedback: &Feedback, regrade: &[GradeChoice]) -> io::Result<Action<()>> {
        let feedback = Feedback {
            details: all_shown(&feedback.details),
            explanation: shown(&feedback.explanation),
            note: feedback.note.as_deref().map(shown),
            references: references_shown(&feedback.references),
            source: shown(&feedback.source),
            ..feedback.clone()
        };
        self.0.feedback(&feedback, regrade)
    }

    fn after_regrade(&mut self, regrade: &[GradeChoice]) -> io::Result<Action<()>> {
        self.0.after_regrade(regrade)
    }

    fn welcome(&mut self) -> io::Result<()> {
        self.0.welcome()
    }

    fn message(&mut self, text: &str) -> io::Result<()> {
        self.0.message(&visible(text))
    }

    fn summary(&mut self, summary: &Summary) -> io::Result<()> {
        let summary = Summary {
            missed: summary
                .missed
                .iter()
                .map(|missed| Missed {
                    question: shown(&missed.question),
                    given_answer: shown(&missed.given_answer),
                    right_answer: shown(&missed.right_answer),
                    explanation: shown(&missed.explanation),
                })
                .collect(),
            near_misses: summary
                .near_misses
                .iter()
                .map(|near| NearMiss {
                    question: shown(&near.question),
                    spelling: near.spelling.iter().map(|line| shown(line)).collect(),
                })
                .collect(),
            remark: summary.remark.as_deref().map(shown),
            next_due: summary.next_due.as_deref().map(shown),
            ..summary.clone()
        };
        self.0.summary(&summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prompt::scripted::ScriptedPrompter;

    #[test]
    fn escape_sequences_in_card_text_reach_the_prompter_visibly() {
        let mut inner = Visible(ScriptedPrompter::default());
        let header = Header {
            mode: crate::session::Mode::Study,
            deck: "d\u{1b}]0;owned\u{7}".into(),
            answered: 0,
            left: 1,
            new_left: 1,
            learning_left: 0,
            review_left: 0,
            early: None,
        };
        let question = Question::Choice {
            prompt: "Q\u{1b}[2J?".into(),
            options: vec!["\u{1b}]52;c;ZXZpbA==\u{7}a".into(), "b\u{202e}".into()],
        };
        inner.ask(&header, &question).unwrap();
        let (header, question) = &inner.0.shown[0];
        assert_eq!(header.deck, "d␛]0;owned␇");
        assert_eq!(
            *question,
            Question::Choice {
                prompt: "Q␛[2J?".into(),
                options: vec!["␛]52;c;ZXZpbA==␇a".into(), "b<U+202E>".into()],
            }
        );
        inner.message("line one\n\tline two").unwrap();
        assert_eq!(inner.0.messages, ["line one\n\tline two"]);
    }
}
