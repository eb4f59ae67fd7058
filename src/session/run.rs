//! The study/review state machine: shows the next card, grades the answer, records it at
//! once, and handles undo, regrade and quit. It talks to the person only through a
//! [`Prompter`], so it behaves the same in a terminal, over pipes and in tests.

use std::io;

use chrono::{DateTime, TimeDelta, Utc};
use rand::rngs::StdRng;

use super::grade::{Presented, grade, present};
use super::prompter::{
    Action, Feedback, GradeChoice, Header, Input, Mode, Prompter, Question, Revealed, Summary,
};
use super::queue::{LEARN_AHEAD, Queue, QueuedCard};
use crate::clock::Clock;
use crate::deck::{Card, CardContent};
use crate::schedule::{Answered, CardState, Rating, Scheduler, format_interval};
use crate::store::{NewReview, Store, StoredCard};

/// Answers longer than this are recorded as this long: the learner was probably away.
const MAX_ANSWER_TIME: TimeDelta = TimeDelta::minutes(5);

/// An answer given in this session, kept so it can be undone or regraded.
struct Given<'a> {
    review_id: i64,
    at: DateTime<Utc>,
    rating: Rating,
    duration_ms: u64,
    /// The card as it was before the answer.
    before: QueuedCard<'a>,
}

/// Errors that end a session early. Answers given before it are already saved.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
}

/// Runs a study or review session over `queue` until it is empty or the learner quits.
pub struct Session<'a, 'p> {
    pub mode: Mode,
    /// Shown in the header: the deck name, or "all decks".
    pub label: String,
    pub prompter: &'p mut dyn Prompter,
    pub store: &'p mut Store,
    pub scheduler: &'p Scheduler,
    pub clock: &'p Clock,
    pub rng: StdRng,
    pub queue: Queue<'a>,
    /// Cards to show before the queue (undone ones), last pushed first.
    comeback: Vec<QueuedCard<'a>>,
    given: Vec<Given<'a>>,
    started: DateTime<Utc>,
}

/// What a session works with besides its cards.
pub struct Services<'p> {
    pub prompter: &'p mut dyn Prompter,
    pub store: &'p mut Store,
    pub scheduler: &'p Scheduler,
    pub clock: &'p Clock,
}

impl<'a, 'p> Session<'a, 'p> {
    pub fn new(
        mode: Mode,
        label: String,
        services: Services<'p>,
        rng: StdRng,
        queue: Queue<'a>,
    ) -> Self {
        let started = services.clock.now();
        Session {
            mode,
            label,
            prompter: services.prompter,
            store: services.store,
            scheduler: services.scheduler,
            clock: services.clock,
            rng,
            queue,
            comeback: Vec::new(),
            given: Vec::new(),
            started,
        }
    }

    /// Shows cards until none is left or the learner quits; returns the summary (which the
    /// caller completes with next-due and streak, then shows).
    pub fn run(&mut self) -> Result<Summary, SessionError> {
        while let Some(entry) = self.next_card() {
            if !self.show(entry)? {
                break;
            }
        }
        Ok(self.summary())
    }

    /// The next card: one coming back from an undo, a learning card whose step is due, a
    /// review, a new card, or a learning card within the learn-ahead window.
    fn next_card(&mut self) -> Option<QueuedCard<'a>> {
        let now = self.clock.now();
        self.comeback
            .pop()
            .or_else(|| self.queue.take_learning_due(now))
            .or_else(|| self.queue.reviews.pop_front())
            .or_else(|| self.queue.new.pop_front())
            .or_else(|| self.queue.take_learning_due(now + LEARN_AHEAD))
    }

    fn header(&self, entry: &QueuedCard<'_>) -> Header {
        let mut header = Header {
            mode: self.mode,
            deck: entry.deck.name.clone(),
            position: self.given.len() + 1,
            total: self.given.len() + 1 + self.queue.len() + self.comeback.len(),
            new_left: self.queue.new.len(),
            learning_left: self.queue.learning.len(),
            review_left: self.queue.reviews.len(),
        };
        // The card on screen counts among what is left.
        match entry.state.as_ref().map(|s| s.state.phase) {
            None => header.new_left += 1,
            Some(crate::schedule::CardPhase::Review) => header.review_left += 1,
            Some(_) => header.learning_left += 1,
        }
        header
    }

    /// Shows one card; returns false when the session should end.
    fn show(&mut self, entry: QueuedCard<'a>) -> Result<bool, SessionError> {
        let presented = present(entry.card, &mut self.rng);
        let header = self.header(&entry);
        let shown_at = self.clock.now();
        let input = match self.prompter.ask(&header, &presented.question)? {
            Action::Answer(input) => input,
            other => return self.control(entry, other),
        };
        if let (CardContent::Flip { back, .. }, Input::Reveal) = (&entry.card.content, &input) {
            return self.show_back(entry, back.clone(), shown_at);
        }
        self.grade_objective(entry, &presented, &input, shown_at)
    }

    /// Handles quit, undo or regrade asked for while `entry` is on screen, before it was
    /// answered: after an undo or regrade the card is shown again. Returns whether the session
    /// goes on.
    fn control<T>(
        &mut self,
        entry: QueuedCard<'a>,
        action: Action<T>,
    ) -> Result<bool, SessionError> {
        match action {
            Action::Quit => Ok(false),
            Action::Undo => {
                self.comeback.push(entry);
                self.undo()?;
                Ok(true)
            }
            Action::Regrade(rating) => {
                self.comeback.push(entry);
                self.regrade(rating)?;
                Ok(true)
            }
            Action::Answer(_) => {
                // Callers handle answers themselves; showing the card again is the safe reading.
                self.comeback.push(entry);
                Ok(true)
            }
        }
    }

    fn grade_choices(
        &self,
        card_id: &str,
        before: Option<&StoredCard>,
        at: DateTime<Utc>,
    ) -> Vec<GradeChoice> {
        let state = state_or_new(before, at);
        self.scheduler
            .preview(card_id, &state, at)
            .iter()
            .zip(Rating::ALL)
            .map(|(answered, rating)| GradeChoice {
                rating,
                interval: format_interval(answered.interval()),
            })
            .collect()
    }

    fn show_back(
        &mut self,
        entry: QueuedCard<'a>,
        back: String,
        shown_at: DateTime<Utc>,
    ) -> Result<bool, SessionError> {
        let revealed = Revealed {
            back,
            explanation: entry.card.explanation.clone(),
            note: entry.card.note.clone(),
            references: entry.card.references.clone(),
            source: entry.card.source.clone(),
        };
        let now = self.clock.now();
        let choices = self.grade_choices(&entry.card.id, entry.state.as_ref(), now);
        let rating = match self.prompter.grade(&revealed, &choices)? {
            Action::Answer(rating) => rating,
            other => return self.control(entry, other),
        };
        let answered = self.record(entry, rating, shown_at)?;
        let text = self.after_answer_message(&answered);
        self.prompter.message(&text)?;
        Ok(true)
    }

    fn grade_objective(
        &mut self,
        entry: QueuedCard<'a>,
        presented: &Presented,
        input: &Input,
        shown_at: DateTime<Utc>,
    ) -> Result<bool, SessionError> {
        let outcome = grade(entry.card, presented, input);
        let rating = if outcome.correct {
            Rating::Good
        } else {
            Rating::Again
        };
        let card = entry.card;
        let answered = self.record(entry, rating, shown_at)?;
        let feedback = Feedback {
            correct: outcome.correct,
            details: outcome.details,
            explanation: card.explanation.clone(),
            note: card.note.clone(),
            references: card.references.clone(),
            source: card.source.clone(),
            rating,
            next: Some(next_label(&answered)),
            became_leech: answered.became_leech,
        };
        let last = self.given.last().expect("just recorded");
        let regrade: Vec<GradeChoice> = self
            .grade_choices(&card.id, last.before.state.as_ref(), last.at)
            .into_iter()
            .filter(|choice| choice.rating != rating)
            .collect();
        match self.prompter.feedback(&feedback, &regrade)? {
            Action::Answer(()) => Ok(true),
            Action::Quit => Ok(false),
            Action::Undo => {
                self.undo()?;
                Ok(true)
            }
            Action::Regrade(new_rating) => {
                self.regrade(new_rating)?;
                Ok(true)
            }
        }
    }

    /// Saves the answer in its own transaction and puts the card back in the session if its
    /// next step is today.
    fn record(
        &mut self,
        entry: QueuedCard<'a>,
        rating: Rating,
        shown_at: DateTime<Utc>,
    ) -> Result<Answered, SessionError> {
        let now = self.clock.now();
        let duration = (now - shown_at).clamp(TimeDelta::zero(), MAX_ANSWER_TIME);
        let duration_ms = duration.num_milliseconds().max(0) as u64;
        self.record_at(entry, rating, now, duration_ms)
    }

    fn record_at(
        &mut self,
        entry: QueuedCard<'a>,
        rating: Rating,
        at: DateTime<Utc>,
        duration_ms: u64,
    ) -> Result<Answered, SessionError> {
        let review = NewReview {
            card_id: entry.card.id.clone(),
            deck: entry.deck.name.clone(),
            at,
            rating,
            duration_ms,
        };
        let recorded = self.store.record_answer(&review, self.scheduler)?;
        let after = QueuedCard {
            deck: entry.deck,
            card: entry.card,
            state: Some(StoredCard {
                card_id: entry.card.id.clone(),
                deck: entry.deck.name.clone(),
                state: recorded.answered.state.clone(),
                suspended: recorded.answered.state.leech,
            }),
        };
        self.given.push(Given {
            review_id: recorded.review_id,
            at: recorded.at,
            rating,
            duration_ms,
            before: entry,
        });
        self.queue.requeue(after);
        Ok(recorded.answered)
    }

    fn after_answer_message(&self, answered: &Answered) -> String {
        let mut text = format!("next: {}", next_label(answered));
        if answered.became_leech {
            text.push_str(&leech_message());
        }
        text
    }

    /// Takes back the last answer: its review row is deleted, the card's state replayed
    /// from the rest of its log, and the card shown again next.
    fn undo(&mut self) -> Result<(), SessionError> {
        let Some(last) = self.given.pop() else {
            self.prompter.message("Nothing to undo yet.")?;
            return Ok(());
        };
        let restored = self.store.undo_review(last.review_id, self.scheduler)?;
        self.queue.forget(&last.before.card.id);
        let card = last.before.card;
        self.comeback.push(QueuedCard {
            deck: last.before.deck,
            card,
            state: restored,
        });
        self.prompter.message(&format!(
            "Undone: {} ({}).",
            short(card.prompt()),
            last.rating.label()
        ))?;
        Ok(())
    }

    /// Changes the grade of the last answer, as if it had been given with `rating`.
    fn regrade(&mut self, rating: Rating) -> Result<(), SessionError> {
        let Some(last) = self.given.pop() else {
            self.prompter.message("Nothing to regrade yet.")?;
            return Ok(());
        };
        self.store.undo_review(last.review_id, self.scheduler)?;
        self.queue.forget(&last.before.card.id);
        let answered = self.record_at(last.before, rating, last.at, last.duration_ms)?;
        let mut text = format!(
            "Regraded as {} · next: {}",
            rating.label(),
            next_label(&answered)
        );
        if answered.became_leech {
            text.push_str(&leech_message());
        }
        self.prompter.message(&text)?;
        Ok(())
    }

    fn summary(&self) -> Summary {
        Summary {
            answered: self.given.len(),
            right: self
                .given
                .iter()
                .filter(|g| g.rating != Rating::Again)
                .count(),
            time_spent: self.clock.now() - self.started,
            ..Summary::default()
        }
    }
}

fn state_or_new(stored: Option<&StoredCard>, at: DateTime<Utc>) -> CardState {
    stored
        .map(|s| s.state.clone())
        .unwrap_or_else(|| CardState::new_card(at))
}

/// "in 10m", "in 3d"; "suspended (leech)" for a card that just became a leech.
fn next_label(answered: &Answered) -> String {
    if answered.state.leech {
        return "suspended (leech)".to_string();
    }
    format!("in {}", format_interval(answered.interval()))
}

fn leech_message() -> String {
    " — this card has been forgotten many times and is now suspended as a leech; it will not \
     be shown again until you rework it (a new card id starts it afresh)"
        .to_string()
}

/// The start of a question, for one-line messages.
pub fn short(text: &str) -> String {
    let first_line = text.lines().next().unwrap_or("");
    if first_line.chars().count() > 60 {
        format!("{}…", first_line.chars().take(59).collect::<String>())
    } else {
        first_line.to_string()
    }
}

/// A question of any card, in one paragraph, for the quiz summary.
pub fn question_text(card: &Card, question: &Question) -> String {
    match question {
        Question::Cloze { text, .. } => text.clone(),
        _ => card.prompt().to_string(),
    }
}
