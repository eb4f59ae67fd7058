//! What the session commands (`study`, `review`, `quiz`) share: the prompter for this
//! run, the shuffling, and the store opened with its settings and scheduler.

use std::io::{self, Write};

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::cli::SessionArgs;
use crate::context::Context;
use crate::prompt::{PlainPrompter, TerminalPrompter, Visible};
use crate::schedule::Scheduler;
use crate::session::Prompter;
use crate::settings::Settings;
use crate::store::Store;

/// The prompter for this run: the terminal when the context says it is interactive, else
/// plain lines. Either way every text reaches the screen through [`Visible`].
pub(super) fn prompter<'o>(
    ctx: &Context,
    args: SessionArgs,
    out: &'o mut dyn Write,
) -> Box<dyn Prompter + 'o> {
    if args.plain || !ctx.interactive {
        Box::new(Visible(PlainPrompter::new(
            io::stdin().lock(),
            out,
            ctx.plain_echo,
        )))
    } else {
        Box::new(Visible(TerminalPrompter::on_stderr()))
    }
}

/// Starts the first session on an empty database (no review, no quiz yet) with the key
/// overview and the educational-use notice.
pub(super) fn welcome_first_session(
    store: &Store,
    prompter: &mut dyn Prompter,
) -> anyhow::Result<()> {
    if !store.has_history()? {
        prompter.welcome()?;
    }
    Ok(())
}

/// The shuffling of this run: seeded by `--seed` (or `LUPUS_QUIZ_SEED`) to be reproducible.
pub(super) fn rng(args: SessionArgs) -> StdRng {
    match args.seed {
        Some(seed) => StdRng::seed_from_u64(seed),
        None => rand::make_rng(),
    }
}

/// The store, its settings and their scheduler: what every study or review session starts
/// from.
pub(super) struct Opened {
    pub store: Store,
    pub settings: Settings,
    pub scheduler: Scheduler,
}

impl Opened {
    pub(super) fn for_session(ctx: &Context) -> anyhow::Result<Opened> {
        Opened::with(ctx, ctx.open_store()?)
    }

    /// For `review`, which creates no database when there is none (nothing is due then).
    pub(super) fn for_review(ctx: &Context) -> anyhow::Result<Opened> {
        Opened::with(ctx, ctx.open_store_to_review()?)
    }

    fn with(ctx: &Context, store: Store) -> anyhow::Result<Opened> {
        let settings = store.settings()?;
        let scheduler = ctx.scheduler_for(&settings)?;
        Ok(Opened {
            store,
            settings,
            scheduler,
        })
    }
}
