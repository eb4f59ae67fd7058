//! lupus-quiz: a terminal flashcard and quiz tool about lupus and stem cell therapy.
//!
//! `main.rs` only calls [`run`]; everything else lives in one module per concern.

pub mod anki;
pub(crate) mod cli;
pub mod clock;
pub(crate) mod commands;
pub(crate) mod context;
pub mod deck;
pub(crate) mod draft;
pub(crate) mod error;
pub(crate) mod files;
pub mod ids;
pub(crate) mod prompt;
pub(crate) mod readability;
pub mod schedule;
pub(crate) mod scope;
pub(crate) mod session;
pub mod settings;
pub(crate) mod stats;
pub mod store;
pub(crate) mod temp_files;
pub(crate) mod text;
pub mod transfer;

use std::io::{self, Write};

use clap::Parser;

use cli::{Cli, Command};
use context::Context;
use schedule::CardAction;

/// Exit codes: 0 success, 1 a problem the user can fix, 2 a usage error (from clap).
pub fn run() -> i32 {
    commands::completions::complete_if_asked();
    let mut cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(usage) => return usage_error(&usage),
    };
    cli.global = cli.global.with_environment();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = dispatch(cli, &mut out).and_then(|()| Ok(out.flush()?));
    match result {
        Ok(()) => 0,
        Err(error) if error::is_broken_pipe(&error) => 0,
        Err(error) if error.downcast_ref::<error::NothingDue>().is_some() => 1,
        Err(error) => {
            error::report(&error);
            1
        }
    }
}

/// Prints clap's message about the command line and returns its exit code. clap quotes the
/// arguments (and `LUPUS_QUIZ_*` values) it refuses as they were typed; when one holds a
/// control character (an escape sequence pasted or sent by a script), the line is parsed
/// again without styles and the message printed through [`text::visible`], so it quotes
/// `␛` instead, like every other error.
fn usage_error(error: &clap::Error) -> i32 {
    let hostile = |text: &std::ffi::OsStr| {
        text.to_string_lossy()
            .chars()
            .any(|c| text::needs_showing(c) || c == '\n')
    };
    let typed = std::env::args_os().any(|arg| hostile(&arg));
    let from_env = std::env::vars_os()
        .any(|(key, value)| key.to_string_lossy().starts_with("LUPUS_QUIZ_") && hostile(&value));
    if !error.use_stderr() || !(typed || from_env) {
        let _ = error.print();
        return error.exit_code();
    }
    use clap::CommandFactory as _;
    let plain = Cli::command()
        .styles(clap::builder::Styles::plain())
        .try_get_matches_from(std::env::args_os());
    let message = match plain {
        Err(plain) if plain.use_stderr() => plain.render().ansi().to_string(),
        // Parsed again, the line is accepted (it cannot be): clap's words, unstyled.
        _ => error.render().to_string(),
    };
    let _ = write!(io::stderr(), "{}", text::visible(&message));
    error.exit_code()
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
    let Some(command) = cli.command else {
        return commands::dashboard::run(&ctx, out);
    };
    match &command {
        Command::Study(args) => commands::study::run_study(&ctx, args, out),
        Command::Review(args) => commands::study::run_review(&ctx, args, out),
        Command::Quiz(args) => commands::quiz::run(&ctx, args, out),
        Command::Cards(args) => commands::cards::run(&ctx, args, out),
        Command::Card(args) => commands::card::run(&ctx, args, out),
        Command::Suspend(args) => commands::suspend::run(&ctx, args, CardAction::Suspend, out),
        Command::Unsuspend(args) => commands::suspend::run(&ctx, args, CardAction::Unsuspend, out),
        Command::Forget(args) => commands::suspend::run_forget(&ctx, args, out),
        Command::Decks => commands::decks::run(&ctx, out),
        Command::Due(args) => commands::due::run(&ctx, args, out),
        Command::Check(args) => commands::check::run(&ctx, args, out),
        Command::Config(args) => commands::config::run(&ctx, args, out),
        Command::Export(args) => commands::export::run(&ctx, args, out),
        Command::Import(args) => commands::import::run(&ctx, args, out),
        Command::Stats(args) => commands::stats::run(&ctx, args, out),
        Command::Optimize(args) => commands::optimize::run(&ctx, args, out),
        Command::Doctor(args) => commands::doctor::run(&ctx, args, out),
        Command::Completions(args) => commands::completions::run(args, out),
        Command::Draft(args) => commands::draft::run(args, out, &mut io::stderr()),
        Command::Help(args) => commands::help::run(args, out),
        Command::Man(args) => commands::help::man(args, out),
    }
}
