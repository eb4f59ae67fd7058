//! The study/review state machine: shows the next card, grades the answer, records it at
//! once, and handles undo, regrade and quit. It talks to the person only through a
//! [`Prompter`], so it behaves the same in a terminal, over pipes and in tests.

use std::collections::HashSet;
use std::io;

use chrono::{DateTime, TimeDelta, Utc};
use rand::rngs::StdRng;

use super::grade::{Presented, grade, present, source_label};
use super::prompter::{
    Action, Feedback, GradeChoice, Header, Input, Mode, Prompter, Question, Revealed, Summary,
};
use super::queue::{Queue, QueuedCard};
use crate::clock::Clock;
use crate::deck::{Card, CardContent};
use crate::ids::{CardId, ReviewId};
use crate::schedule::{
    Answered, CardPhase, CardState, Rating, Scheduler, format_interval, format_wait,
};
use crate::store::{NewReview, Recorded, Store, StoredCard};

/// How many times an answer is tried again while another command holds the database's
/// write lock. Each try already waits for the store's busy timeout and its own retries
/// (about 15 s), so this waits out even a long import (a million reviews take about 8 s).
const SAVE_ATTEMPTS: u32 = 8;

/// An answer given in this session, kept so it can be undone or regraded.
struct Given<'a> {
    review_id: ReviewId,
    at: DateTime<Utc>,
    rating: Rating,
    duration_ms: u64,
    /// The card was a learning card shown before it was due.
    shown_early: bool,
    /// The card as it was before the answer.
    before: QueuedCard<'a>,
}

/// When a card went on screen, and whether it was shown before it was due.
#[derive(Debug, Clone, Copy)]
struct Shown {
    at: DateTime<Utc>,
    early: bool,
}

/// Errors that end a session early. Answers given before it are already saved.
#[derive(Debug, thiserror::Error)]
pub(crate) enum SessionError {
    /// Not transparent: the `io::Error` stays in the chain as the source, where
    /// `error::is_broken_pipe` finds it like any other.
    #[error("the terminal (or the pipe) could not be read or written")]
    Io(#[from] io::Error),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// The answer on screen could not be written; everything before it was.
    #[error("your answer to `{card}` ({rating}) was NOT saved: {reason}", rating = .rating.label())]
    NotSaved {
        card: CardId,
        rating: Rating,
        #[source]
        reason: crate::store::StoreError,
    },
}

/// Runs a study or review session over `queue` until it is empty or the learner quits.
pub(crate) struct Session<'a, 'p> {
    mode: Mode,
    prompter: &'p mut dyn Prompter,
    store: &'p mut Store,
    /// The scheduler of the stored settings, replaced when another command changes them.
    scheduler: Scheduler,
    clock: &'p Clock,
    /// Answers that took longer are recorded as this long: the learner was probably away.
    max_answer_time: TimeDelta,
    /// The `learn_ahead_minutes` setting: how early a learning card may be shown when
    /// nothing else is left.
    learn_ahead: TimeDelta,
    /// Learning cards last answered when shown early: they wait for their due time before
    /// they come again, so that wrong answers cannot bring the same cards back forever.
    held_until_due: HashSet<CardId>,
    rng: StdRng,
    queue: Queue<'a>,
    /// Cards to show before the queue (undone ones), last pushed first.
    comeback: Vec<QueuedCard<'a>>,
    /// The card on screen when the learner asked for an undo or a regrade instead of an
    /// answer, as it was presented: it comes back with the same options in the same order.
    asked_again: Option<(CardId, Presented)>,
    given: Vec<Given<'a>>,
    started: DateTime<Utc>,
}

/// What a session works with besides its cards.
pub(crate) struct Services<'p> {
    pub prompter: &'p mut dyn Prompter,
    pub store: &'p mut Store,
    pub scheduler: &'p Scheduler,
    pub clock: &'p Clock,
    /// The `max_answer_seconds` setting.
    pub max_answer_time: TimeDelta,
    /// The `learn_ahead_minutes` setting.
    pub learn_ahead: TimeDelta,
}

impl<'a, 'p> Session<'a, 'p> {
    pub(crate) fn new(mode: Mode, services: Services<'p>, rng: StdRng, queue: Queue<'a>) -> Self {
        let started = services.clock.now();
        Session {
            mode,
            prompter: services.prompter,
            store: services.store,
            scheduler: services.scheduler.clone(),
            clock: services.clock,
            max_answer_time: services.max_answer_time,
            learn_ahead: services.learn_ahead,
            held_until_due: HashSet::new(),
            rng,
            queue,
            comeback: Vec::new(),
            asked_again: None,
            given: Vec::new(),
            started,
        }
    }

    /// Shows cards until none is left or the learner quits; returns the summary (which the
    /// caller completes with next-due and streak, then shows).
    pub(crate) fn run(&mut self) -> Result<Summary, SessionError> {
        let mut quit = false;
        while let Some(mut entry) = self.next_card() {
            self.follow_changes_elsewhere(&mut entry.state, &entry.card.id)?;
            if entry.state.as_ref().is_some_and(|stored| stored.suspended) {
                // Suspended in another terminal since the session began.
                continue;
            }
            if !self.show(entry)? {
                quit = true;
                break;
            }
        }
        let mut summary = self.summary();
        if !quit {
            summary.remark = self.learning_left_remark();
        }
        Ok(summary)
    }

    /// The next card: one coming back from an undo, a learning card whose step is due, a
    /// review, a new card, or a learning card within the learn-ahead limit.
    fn next_card(&mut self) -> Option<QueuedCard<'a>> {
        let now = self.clock.now();
        let is_due = |entry: &QueuedCard<'_>| due_of(entry).is_some_and(|due| due <= now);
        let comeback = self.comeback.pop();
        comeback
            .or_else(|| self.queue.take_learning(is_due))
            .or_else(|| self.queue.reviews.pop_front())
            .or_else(|| self.queue.new.pop_front())
            .or_else(|| {
                let (learn_ahead, held) = (self.learn_ahead, &self.held_until_due);
                self.queue
                    .take_learning(|entry| may_show_learning(entry, now, learn_ahead, held))
            })
    }

    /// Why a session ends with learning cards still in it: they are due later than the
    /// learn-ahead limit allows, or were just answered early and wait for their due time.
    fn learning_left_remark(&self) -> Option<String> {
        let waiting = self.queue.learning.len();
        (waiting > 0).then(|| {
            let cards = match waiting {
                1 => "1 card in learning is".to_string(),
                n => format!("{n} cards in learning are"),
            };
            format!("Nothing more to show now: {cards} not due yet.")
        })
    }

    /// Takes up what another command may have written since the session began (a
    /// settings change, an import, another session, a card suspended): the stored settings
    /// when they changed, and the card's stored state, read again as it comes up (one look
    /// by id), so that the intervals offered are the ones an answer will record and a card
    /// suspended meanwhile is not shown.
    fn follow_changes_elsewhere(
        &mut self,
        state: &mut Option<StoredCard>,
        card_id: &CardId,
    ) -> Result<(), SessionError> {
        if self.store.changed_elsewhere()? {
            self.take_up_settings()?;
        }
        if let Some(stored) = self.store.card(card_id)? {
            *state = Some(stored);
        }
        Ok(())
    }

    /// The stored settings that a session follows: the scheduler's, the longest answer
    /// time and how far it learns ahead.
    fn take_up_settings(&mut self) -> Result<(), SessionError> {
        let settings = self.store.settings()?;
        if settings.scheduler_config() != *self.scheduler.config() {
            self.scheduler = self
                .scheduler
                .with_config(settings.scheduler_config())
                .map_err(|e| crate::store::StoreError::UnusableSettings {
                    message: e.to_string(),
                })?;
        }
        self.max_answer_time = settings.max_answer_time();
        self.learn_ahead = settings.learn_ahead();
        Ok(())
    }

    /// The header of `entry`: answers given, and what is left now (the card on screen,
    /// cards coming back from an undo, and queued cards the session can still show).
    fn header(&self, entry: &QueuedCard<'_>, early: Option<TimeDelta>) -> Header {
        let now = self.clock.now();
        let mut header = Header {
            mode: self.mode,
            deck: entry.deck.name.to_string(),
            answered: self.given.len(),
            left: 0,
            new_left: self.queue.new.len(),
            learning_left: self
                .queue
                .learning
                .iter()
                .filter(|e| may_show_learning(e, now, self.learn_ahead, &self.held_until_due))
                .count(),
            review_left: self.queue.reviews.len(),
            early: early.map(format_wait),
        };
        for card in self.comeback.iter().chain(std::iter::once(entry)) {
            match card.state.as_ref().map(|s| s.state.phase) {
                None | Some(CardPhase::New) => header.new_left += 1,
                Some(CardPhase::Review) => header.review_left += 1,
                Some(_) => header.learning_left += 1,
            }
        }
        header.left = header.new_left + header.learning_left + header.review_left;
        header
    }

    /// How long before its due time a learning card goes on screen now, if it is early.
    fn early_by(&self, entry: &QueuedCard<'_>, now: DateTime<Utc>) -> Option<TimeDelta> {
        let stored = entry.state.as_ref()?;
        let learning = matches!(
            stored.state.phase,
            CardPhase::Learning | CardPhase::Relearning
        );
        (learning && stored.state.due > now).then(|| stored.state.due - now)
    }

    /// Shows one card; returns false when the session should end.
    fn show(&mut self, entry: QueuedCard<'a>) -> Result<bool, SessionError> {
        // A card asked again before it was answered (after a regrade of the card before, or
        // an undo) keeps the order of its options: their numbers must not change meaning.
        let kept = self
            .asked_again
            .as_ref()
            .is_some_and(|(id, _)| *id == entry.card.id);
        let presented = match self.asked_again.take() {
            Some((_, presented)) if kept => presented,
            other => {
                self.asked_again = other;
                present(entry.card, &mut self.rng)
            }
        };
        let now = self.clock.now();
        let early = self.early_by(&entry, now);
        let header = self.header(&entry, early);
        let shown = Shown {
            at: now,
            early: early.is_some(),
        };
        let input = match self.prompter.ask(&header, &presented.question)? {
            Action::Answer(input) => input,
            other => {
                self.asked_again = Some((entry.card.id.clone(), presented));
                return self.control(entry, other);
            }
        };
        if let (CardContent::Flip { back, .. }, Input::Reveal) = (&entry.card.content, &input) {
            return self.show_back(entry, back.clone(), shown);
        }
        self.grade_objective(entry, &presented, &input, shown)
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
        card_id: &CardId,
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
        mut entry: QueuedCard<'a>,
        back: String,
        shown: Shown,
    ) -> Result<bool, SessionError> {
        let revealed = Revealed {
            back,
            explanation: entry.card.explanation.clone(),
            note: entry.card.note.clone(),
            references: entry.card.references.clone(),
            source: source_label(entry.deck, entry.card),
        };
        // The back may stay on screen a while: the buttons must show what the stored
        // settings give now.
        self.follow_changes_elsewhere(&mut entry.state, &entry.card.id)?;
        let now = self.clock.now();
        let choices = self.grade_choices(&entry.card.id, entry.state.as_ref(), now);
        let rating = match self.prompter.grade(&revealed, &choices)? {
            Action::Answer(rating) => rating,
            other => return self.control(entry, other),
        };
        let card_id = entry.card.id.clone();
        let answered = self.record(entry, rating, shown)?;
        let text = after_answer_message(&card_id, &answered);
        self.prompter.message(&text)?;
        Ok(true)
    }

    fn grade_objective(
        &mut self,
        entry: QueuedCard<'a>,
        presented: &Presented,
        input: &Input,
        shown: Shown,
    ) -> Result<bool, SessionError> {
        let outcome = grade(entry.card, presented, input);
        let rating = if outcome.correct {
            Rating::Good
        } else {
            Rating::Again
        };
        let card = entry.card;
        let source = source_label(entry.deck, card);
        let answered = self.record(entry, rating, shown)?;
        let feedback = Feedback {
            correct: outcome.correct,
            details: outcome.details,
            explanation: card.explanation.clone(),
            note: card.note.clone(),
            references: card.references.clone(),
            source,
            rating,
            next: Some(next_label(&answered)),
            leech_notice: answered.became_leech.then(|| leech_notice(&card.id)),
        };
        let mut action = self.prompter.feedback(&feedback, &self.regrade_choices())?;
        // A regrade from the feedback screen waits for Enter, so its new grade is seen.
        while let Action::Regrade(new_rating) = action {
            self.regrade(new_rating)?;
            action = self.prompter.after_regrade(&self.regrade_choices())?;
        }
        match action {
            Action::Quit => Ok(false),
            Action::Undo => {
                self.undo()?;
                Ok(true)
            }
            Action::Answer(()) | Action::Regrade(_) => Ok(true),
        }
    }

    /// The grades the last answer may switch to, with the intervals they give.
    fn regrade_choices(&self) -> Vec<GradeChoice> {
        let Some(last) = self.given.last() else {
            return Vec::new();
        };
        self.grade_choices(&last.before.card.id, last.before.state.as_ref(), last.at)
            .into_iter()
            .filter(|choice| choice.rating != last.rating)
            .collect()
    }

    /// Saves the answer in its own transaction and puts the card back in the session if its
    /// next step is today.
    fn record(
        &mut self,
        entry: QueuedCard<'a>,
        rating: Rating,
        shown: Shown,
    ) -> Result<Answered, SessionError> {
        let now = self.clock.now();
        let duration = (now - shown.at).clamp(TimeDelta::zero(), self.max_answer_time);
        let duration_ms = duration.num_milliseconds().max(0) as u64;
        let review = new_review(&entry, rating, now, duration_ms);
        let recorded = self.save(&review, |store, scheduler| {
            store.record_answer(&review, scheduler)
        })?;
        let answer = Answer {
            rating,
            duration_ms,
            shown_early: shown.early,
        };
        Ok(self.recorded(entry, answer, recorded))
    }

    /// Takes note of an answer the store has saved: the session's scheduler follows the
    /// stored settings, the answer can be undone, and the card comes back if due today.
    fn recorded(&mut self, entry: QueuedCard<'a>, answer: Answer, recorded: Recorded) -> Answered {
        if let Some(scheduler) = recorded.scheduler {
            self.scheduler = scheduler;
        }
        let after = QueuedCard {
            deck: entry.deck,
            card: entry.card,
            state: Some(StoredCard {
                card_id: entry.card.id.clone(),
                deck: Some(entry.deck.name.clone()),
                state: recorded.answered.state.clone(),
                suspended: recorded.answered.state.leech,
            }),
        };
        if answer.shown_early {
            self.held_until_due.insert(entry.card.id.clone());
        } else {
            self.held_until_due.remove(&entry.card.id);
        }
        self.given.push(Given {
            review_id: recorded.review_id,
            at: recorded.at,
            rating: answer.rating,
            duration_ms: answer.duration_ms,
            shown_early: answer.shown_early,
            before: entry,
        });
        self.queue.requeue(after);
        recorded.answered
    }

    /// Writes an answer with `write`, waiting while another command holds the database's
    /// write lock: the answer is kept meanwhile, and the learner is told it is not saved
    /// yet. An answer that cannot be written ends the session with an error that says so.
    fn save<T>(
        &mut self,
        review: &NewReview,
        mut write: impl FnMut(&mut Store, &Scheduler) -> crate::store::Result<T>,
    ) -> Result<T, SessionError> {
        let mut waited = false;
        let mut attempt = 1;
        loop {
            match write(self.store, &self.scheduler) {
                Ok(value) => {
                    if waited {
                        self.prompter.message("Saved.")?;
                    }
                    return Ok(value);
                }
                Err(error) if error.is_busy() && attempt < SAVE_ATTEMPTS => {
                    if !waited {
                        self.prompter.message(
                            "The database is busy: another lupus-quiz command is writing to it. \
                             Your answer is not saved yet; it is kept and saved as soon as the \
                             database is free (Ctrl-C gives up on it).",
                        )?;
                        waited = true;
                    }
                    attempt += 1;
                }
                Err(reason) => {
                    return Err(SessionError::NotSaved {
                        card: review.card_id.clone(),
                        rating: review.rating,
                        reason,
                    });
                }
            }
        }
    }

    /// Takes back the last answer: its review row is deleted, the card's state replayed
    /// from the rest of its log, and the card shown again next.
    fn undo(&mut self) -> Result<(), SessionError> {
        let Some(last) = self.given.pop() else {
            self.prompter.message("Nothing to undo yet.")?;
            return Ok(());
        };
        let restored = match self.store.undo_review(last.review_id, &self.scheduler) {
            Ok(restored) => restored,
            Err(error) => {
                self.given.push(last);
                return Err(error.into());
            }
        };
        self.queue.forget(&last.before.card.id);
        self.held_until_due.remove(&last.before.card.id);
        // The undone card is answered afresh, its options shuffled anew; the card on screen
        // keeps its order only if it is another card.
        if self
            .asked_again
            .as_ref()
            .is_some_and(|(id, _)| *id == last.before.card.id)
        {
            self.asked_again = None;
        }
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

    /// Changes the grade of the last answer, as if it had been given with `rating`: the old
    /// review is replaced by the new one in one transaction, so if saving fails the old
    /// grade stays, in the log and in the session.
    fn regrade(&mut self, rating: Rating) -> Result<(), SessionError> {
        let Some(last) = self.given.last() else {
            self.prompter.message("Nothing to regrade yet.")?;
            return Ok(());
        };
        let review = new_review(&last.before, rating, last.at, last.duration_ms);
        let old_review = last.review_id;
        let recorded = self.save(&review, |store, scheduler| {
            store.regrade_review(old_review, &review, scheduler)
        })?;
        let last = self.given.pop().expect("checked above");
        self.queue.forget(&last.before.card.id);
        let answer = Answer {
            rating,
            duration_ms: last.duration_ms,
            shown_early: last.shown_early,
        };
        let answered_id = last.before.card.id.clone();
        let answered = self.recorded(last.before, answer, recorded);
        let mut text = format!(
            "Regraded as {}, next: {}",
            rating.label(),
            next_label(&answered)
        );
        if answered.became_leech {
            text.push_str(&format!(". {}", leech_notice(&answered_id)));
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

/// An answer as the session keeps it: the grade, how long it took, and whether the card
/// was shown early.
#[derive(Debug, Clone, Copy)]
struct Answer {
    rating: Rating,
    duration_ms: u64,
    shown_early: bool,
}

/// When a queued card is due; `None` for a new card.
fn due_of(entry: &QueuedCard<'_>) -> Option<DateTime<Utc>> {
    entry.state.as_ref().map(|stored| stored.state.due)
}

/// Whether a learning card may be shown now: when due, or within the learn-ahead limit
/// unless it was last answered early.
fn may_show_learning(
    entry: &QueuedCard<'_>,
    now: DateTime<Utc>,
    learn_ahead: TimeDelta,
    held_until_due: &HashSet<CardId>,
) -> bool {
    let Some(due) = due_of(entry) else {
        return false;
    };
    due <= now || (due <= now + learn_ahead && !held_until_due.contains(&entry.card.id))
}

fn new_review(
    entry: &QueuedCard<'_>,
    rating: Rating,
    at: DateTime<Utc>,
    duration_ms: u64,
) -> NewReview {
    NewReview {
        card_id: entry.card.id.clone(),
        deck: Some(entry.deck.name.clone()),
        at,
        rating,
        duration_ms,
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

/// The line after a flip card is graded: when it comes back, and what a leech means.
fn after_answer_message(card: &CardId, answered: &Answered) -> String {
    let mut text = format!("next: {}", next_label(answered));
    if answered.became_leech {
        text.push_str(&format!(". {}", leech_notice(card)));
    }
    text
}

/// What a card that just became a leech means, and the command that brings it back.
fn leech_notice(card: &CardId) -> String {
    format!(
        "This card has been forgotten many times and is now suspended as a leech: `lupus-quiz unsuspend {card}` brings it back with its history (`lupus-quiz cards --state leech` lists leeches)."
    )
}

/// The start of a question, for one-line messages.
pub(crate) fn short(text: &str) -> String {
    crate::text::truncate(text.lines().next().unwrap_or(""), 60)
}

/// A question of any card, in one paragraph, for the quiz summary.
pub(super) fn question_text(card: &Card, question: &Question) -> String {
    match question {
        Question::Cloze { text, .. } => text.clone(),
        _ => card.prompt().to_string(),
    }
}
