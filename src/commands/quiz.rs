//! `lupus-quiz quiz DECK`: a scored exam; the schedule is left alone.

use std::io::Write;

use super::session::{prompter, rng, welcome_first_session};
use crate::cli::SessionArgs;
use crate::context::Context;
use crate::session::{pick_questions, run_quiz};

pub(crate) fn run(
    ctx: &Context,
    deck_name: &str,
    count: usize,
    args: SessionArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let deck = catalog.find(deck_name)?;
    // Opened first so a bad database is reported before the learner answers anything.
    let store = ctx.open_store()?;
    let mut rng = rng(args);
    let cards = pick_questions(deck, count, &mut rng);
    if cards.is_empty() {
        anyhow::bail!(
            "deck `{}` has no questions the quiz can grade (only flip cards); study it with `lupus-quiz study {}`",
            deck.name,
            deck.name
        );
    }
    let mut prompter = prompter(args, out);
    welcome_first_session(&store, prompter.as_mut())?;
    let result = run_quiz(deck, &cards, prompter.as_mut(), &ctx.clock, &mut rng)?;
    if result.answered > 0 {
        store.record_quiz(
            &deck.name,
            ctx.clock.now(),
            result.right as u32,
            result.answered as u32,
        )?;
    }
    prompter.summary(&result.summary)?;
    Ok(())
}
