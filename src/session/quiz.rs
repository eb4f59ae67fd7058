//! The quiz: a scored exam of objective questions that leaves the schedule alone.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::grade::{grade, present, right_answer};
use super::prompter::{Action, Header, Input, Missed, Mode, NearMiss, Prompter, Question, Summary};
use super::run::{SessionError, question_text};
use crate::clock::Clock;
use crate::deck::{Card, Deck};

/// The result of a quiz, for saving and showing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct QuizResult {
    pub summary: Summary,
    pub answered: usize,
    pub right: usize,
}

/// Picks `count` random objective cards of a deck among the places `among` (all of them if
/// there are fewer).
pub(crate) fn pick_questions<'a>(
    deck: &'a Deck,
    among: &[usize],
    count: usize,
    rng: &mut StdRng,
) -> Vec<&'a Card> {
    // Indices are shuffled, not cards, so that only the bodies picked are read.
    let mut picked: Vec<usize> = among
        .iter()
        .copied()
        .filter(|&index| deck.cards.card_type(index).is_objective())
        .collect();
    picked.shuffle(rng);
    picked.truncate(count);
    picked
        .into_iter()
        .filter_map(|index| deck.cards.get(index))
        .collect()
}

/// Asks the questions in turn. `u` goes back one question; quitting ends the quiz early and
/// scores what was answered.
pub(crate) fn run_quiz(
    deck: &Deck,
    cards: &[&Card],
    prompter: &mut dyn Prompter,
    clock: &Clock,
    rng: &mut StdRng,
) -> Result<QuizResult, SessionError> {
    let started = clock.now();
    let mut results: Vec<Option<Missed>> = Vec::new();
    // Per question answered, in step with `results` (an undo takes both back).
    let mut near_misses: Vec<Option<NearMiss>> = Vec::new();
    let mut ended_early = false;
    while results.len() < cards.len() {
        let card = cards[results.len()];
        let presented = present(card, rng);
        let header = quiz_header(deck, results.len(), cards.len());
        match prompter.ask(&header, &presented.question)? {
            Action::Answer(input) => {
                let outcome = grade(card, &presented, &input);
                near_misses.push((outcome.correct && !outcome.details.is_empty()).then(|| {
                    NearMiss {
                        question: question_text(card, &presented.question),
                        spelling: outcome.details.clone(),
                    }
                }));
                results.push((!outcome.correct).then(|| Missed {
                    question: question_text(card, &presented.question),
                    given_answer: given_answer(&presented.question, &input),
                    right_answer: right_answer(card),
                    explanation: card.explanation.clone(),
                }));
            }
            Action::Undo => {
                near_misses.pop();
                if results.pop().is_some() {
                    prompter.message("Back to the previous question.")?;
                } else {
                    prompter.message("This is the first question.")?;
                }
            }
            Action::Regrade(_) => {
                prompter.message(
                    "Grades cannot be changed in a quiz; it does not touch your schedule.",
                )?;
            }
            Action::Quit => {
                ended_early = true;
                break;
            }
        }
    }
    let mut result = result_of(results, cards.len(), clock.now() - started, ended_early);
    result.summary.near_misses = near_misses.into_iter().flatten().collect();
    Ok(result)
}

/// The header of question `answered + 1` of `total`.
fn quiz_header(deck: &Deck, answered: usize, total: usize) -> Header {
    Header {
        mode: Mode::Quiz,
        deck: deck.name.to_string(),
        answered,
        left: total - answered,
        new_left: 0,
        learning_left: 0,
        review_left: 0,
        early: None,
    }
}

/// The score of the answers given (`None` for a right one, else what was missed).
fn result_of(
    results: Vec<Option<Missed>>,
    questions: usize,
    time_spent: chrono::TimeDelta,
    ended_early: bool,
) -> QuizResult {
    let answered = results.len();
    let right = results.iter().filter(|missed| missed.is_none()).count();
    let summary = Summary {
        answered,
        right,
        time_spent,
        missed: results.into_iter().flatten().collect(),
        questions: Some(questions),
        remark: ended_early.then(|| ended_early_remark(answered, questions)),
        ..Summary::default()
    };
    QuizResult {
        summary,
        answered,
        right,
    }
}

/// What the summary of a quiz left before its end says first: what was kept, and that it
/// is no score to beat.
fn ended_early_remark(answered: usize, questions: usize) -> String {
    let mut remark = format!("Quiz ended early: {answered} of {questions} questions answered.");
    if answered > 0 {
        remark.push_str(" It is saved as ended early, and never counts as your best score.");
    }
    remark
}

/// What the learner answered, in one line, in the words of the options shown (the same
/// form as the right answer: `; ` between parts, `, then ` between ordered items).
fn given_answer(question: &Question, input: &Input) -> String {
    let pick = |options: &[String], indices: &[usize], separator: &str| {
        let picked: Vec<&str> = indices
            .iter()
            .filter_map(|&i| options.get(i).map(String::as_str))
            .collect();
        if picked.is_empty() {
            "(nothing selected)".to_string()
        } else {
            picked.join(separator)
        }
    };
    match (question, input) {
        (Question::Choice { options, .. }, Input::Choice(i)) => pick(options, &[*i], ""),
        (Question::TrueFalse { .. }, Input::Choice(i)) => {
            if *i == 0 { "True" } else { "False" }.to_string()
        }
        (Question::Multi { options, .. }, Input::Multi(picked)) => pick(options, picked, "; "),
        (Question::Order { items, .. }, Input::Order(order)) => pick(items, order, ", then "),
        (_, Input::Text(text)) => text.clone(),
        (_, Input::Texts(texts)) => texts.join("; "),
        (_, Input::GaveUp) => "? (I don't know)".to_string(),
        _ => "(no answer)".to_string(),
    }
}
