//! lupus-quiz: a terminal flashcard and quiz tool about lupus and stem cell therapy.
//!
//! `main.rs` only calls [`run`]; everything else lives in one module per concern.

// System calls go through safe APIs (std, rustix, signal-hook); see docs/design.md.
#![forbid(unsafe_code)]

pub mod anki;
pub(crate) mod cli;
pub mod clock;
pub(crate) mod commands;
pub(crate) mod context;
pub mod deck;
pub(crate) mod draft;
pub(crate) mod error;
pub(crate) mod export_guard;
pub(crate) mod files;
pub mod ids;
pub(crate) mod paths;
pub(crate) mod prompt;
pub(crate) mod readability;
pub mod schedule;
pub(crate) mod scope;
pub(crate) mod session;
pub mod settings;
pub(crate) mod stats;
pub mod store;
pub(crate) mod sync;
pub(crate) mod temp_files;
pub(crate) mod text;
pub mod transfer;

use std::io::{self, Write};

use clap::Parser;

use cli::{Cli, Command};
use context::Context;
use schedule::CardAction;

/// Exit codes: 0 success, 1 a problem the user can fix, 2 a usage error (from clap, or a
/// path on the command line that does not exist).
pub fn run() -> i32 {
    commands::completions::complete_if_asked();
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => return cli::usage_error(&usage),
    };
    cli.global = cli.global.with_environment();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = dispatch(cli, &mut out).and_then(|()| Ok(out.flush()?));
    match result {
        Ok(()) => 0,
        Err(error) if error::is_broken_pipe(&error) => 0,
        Err(error) if error.downcast_ref::<error::NothingDue>().is_some() => 1,
        Err(error) if error.downcast_ref::<error::MissingPath>().is_some() => {
            report(&error);
            2
        }
        Err(error) => {
            report(&error);
            1
        }
    }
}

/// Prints an error to stderr, through [`text::visible`] (see [`error::warn`]): deck problems one per
/// line, anything else with its causes.
fn report(error: &anyhow::Error) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut line = |text: String| {
        let _ = writeln!(err, "{}", text::visible(&text));
    };
    if let Some(problems) = error
        .chain()
        .find_map(|e| e.downcast_ref::<deck::DeckProblems>())
    {
        for problem in &problems.0 {
            line(format!("error: {problem}"));
        }
        line(format!(
            "{problems}; `lupus-quiz help deck-format` describes the format"
        ));
        return;
    }
    line(format!("error: {error}"));
    for cause in error.chain().skip(1) {
        line(format!("  caused by: {cause}"));
    }
}

fn dispatch(cli: Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    // Completions and help need nothing of the environment: not even a valid clock.
    match &cli.command {
        Some(Command::Completions(args)) => return commands::completions::run(args, out),
        Some(Command::Help(args)) => return commands::help::run(args, out),
        Some(Command::Man(args)) => return commands::help::man(args, out),
        // Drafting reads an article and writes a deck: no database, no decks, no clock.
        Some(Command::Draft(args)) => return commands::draft::run(args, out, &mut io::stderr()),
        _ => {}
    }
    let ctx = Context::from_args(&cli.global)?;
    let result = run_command(&ctx, cli.command, out);
    // Whether the command succeeded or not, what it recorded goes to the sync folder.
    ctx.append_to_sync_folder();
    result
}

fn run_command(ctx: &Context, command: Option<Command>, out: &mut dyn Write) -> anyhow::Result<()> {
    let Some(command) = command else {
        return commands::dashboard::run(ctx, out);
    };
    match &command {
        Command::Study(args) => commands::study::run_study(ctx, args, out),
        Command::Review(args) => commands::study::run_review(ctx, args, out),
        Command::Quiz(args) => commands::quiz::run(ctx, args, out),
        Command::Cards(args) => commands::cards::run(ctx, args, out),
        Command::Card(args) => commands::card::run(ctx, args, out),
        Command::Suspend(args) => commands::suspend::run(ctx, args, CardAction::Suspend, out),
        Command::Unsuspend(args) => commands::suspend::run(ctx, args, CardAction::Unsuspend, out),
        Command::Forget(args) => commands::suspend::run_forget(ctx, args, out),
        Command::Decks => commands::decks::run(ctx, out),
        Command::Due(args) => commands::due::run(ctx, args, out),
        Command::Check(args) => commands::check::run(ctx, args, out),
        Command::Config(args) => commands::config::run(ctx, args, out),
        Command::Export(args) => commands::export::run(ctx, args, out),
        Command::Import(args) => commands::import::run(ctx, args, out),
        Command::Stats(args) => commands::stats::run(ctx, args, out),
        Command::Summary(args) => commands::summary::run(ctx, args, out),
        Command::Optimize(args) => commands::optimize::run(ctx, args, out),
        Command::Plan(args) => commands::plan::run(ctx, args, out),
        Command::Doctor(args) => commands::doctor::run(ctx, args, out),
        Command::Sync => commands::sync::run(ctx, out),
        Command::Completions(args) => commands::completions::run(args, out),
        Command::Draft(args) => commands::draft::run(args, out, &mut io::stderr()),
        Command::Help(args) => commands::help::run(args, out),
        Command::Man(args) => commands::help::man(args, out),
    }
}
