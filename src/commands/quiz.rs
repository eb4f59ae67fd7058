//! `lupus-quiz quiz DECK`: a scored exam; the schedule is left alone.

use std::io::Write;

use super::session::{prompter, rng, welcome_first_session};
use super::study::Listing;
use crate::cli::QuizArgs;
use crate::context::Context;
use crate::scope::CardScope;
use crate::session::{pick_questions, run_quiz};
use crate::store::QuizRecord;

/// A quiz on one deck, or on its cards with a tag; without a deck, the decks to choose from.
pub(crate) fn run(ctx: &Context, args: &QuizArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let scope = &CardScope {
        deck: args.deck.clone(),
        tag: args.tag.clone(),
    };
    let count = args.count as usize;
    let args = args.session;
    let catalog = ctx.load_catalog()?;
    if scope.deck.is_none() {
        return super::study::list_decks(&catalog, Listing::Quiz, out);
    }
    let selection = scope.select(&catalog)?;
    let Some((deck, in_scope)) = selection.decks.first() else {
        anyhow::bail!("a quiz needs a deck: `lupus-quiz quiz DECK`");
    };
    // Opened first so a bad database is reported before the learner answers anything.
    let store = ctx.open_store()?;
    let mut rng = rng(args);
    let cards = pick_questions(deck, in_scope, count, &mut rng);
    if cards.is_empty() {
        let tagged = scope
            .tag
            .as_ref()
            .map(|tag| format!(" tagged `{}`", crate::text::visible_inline(tag)))
            .unwrap_or_default();
        anyhow::bail!(
            "deck `{}` has no questions{tagged} the quiz can grade (only flip cards); study them with `lupus-quiz study {}`",
            deck.name,
            deck.name
        );
    }
    let mut prompter = prompter(ctx, args, out);
    welcome_first_session(&store, prompter.as_mut())?;
    let result = run_quiz(deck, &cards, prompter.as_mut(), &ctx.clock, &mut rng)?;
    if result.answered > 0 {
        // A quiz ended early keeps what was answered, marked by the questions it left.
        store.record_quiz(&QuizRecord {
            deck: deck.name.clone(),
            taken_at: ctx.clock.now(),
            correct: result.right as u32,
            questions: result.answered as u32,
            planned: cards.len() as u32,
        })?;
    }
    prompter.summary(&result.summary)?;
    Ok(())
}
