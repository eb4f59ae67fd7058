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
use session::Limits;

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
        Some(Command::Completions { shell }) => return commands::completions::run(*shell, out),
        Some(Command::Help { topic }) => return commands::help::run(topic.as_deref(), out),
        Some(Command::Man { command }) => return commands::help::man(command.as_deref(), out),
        // Drafting reads an article and writes a deck: no database, no decks, no clock.
        Some(Command::Draft(args)) => return commands::draft::run(args, out, &mut io::stderr()),
        _ => {}
    }
    let ctx = Context::from_args(&cli.global)?;
    let Some(command) = cli.command else {
        return commands::dashboard::run(&ctx, out);
    };
    match command {
        Command::Study {
            deck,
            tag,
            all,
            new,
            limit,
            session,
        } => commands::study::run_study(
            &ctx,
            &scope::CardScope { deck, tag },
            all,
            Limits {
                new,
                reviews: limit,
            },
            session,
            out,
        ),
        Command::Review {
            scope,
            limit,
            session,
        } => commands::study::run_review(
            &ctx,
            &scope.scope(),
            Limits {
                new: None,
                reviews: limit,
            },
            session,
            out,
        ),
        Command::Quiz {
            deck,
            tag,
            count,
            session,
        } => commands::quiz::run(
            &ctx,
            &scope::CardScope { deck, tag },
            count as usize,
            session,
            out,
        ),
        Command::Cards(args) => commands::cards::run(&ctx, &args, out),
        Command::Card { id, json } => commands::card::run(&ctx, &id, json, out),
        Command::Suspend(targets) => {
            commands::suspend::run(&ctx, &targets, CardAction::Suspend, out)
        }
        Command::Unsuspend(targets) => {
            commands::suspend::run(&ctx, &targets, CardAction::Unsuspend, out)
        }
        Command::Forget {
            targets,
            yes,
            plain,
        } => commands::suspend::run_forget(&ctx, &targets, yes, plain, out),
        Command::Decks => commands::decks::run(&ctx, out),
        Command::Due { quiet } => commands::due::run(&ctx, quiet, out),
        Command::Check {
            paths,
            readability,
            coverage,
        } => commands::check::run(&ctx, &paths, readability, coverage.as_deref(), out),
        Command::Config {
            key,
            value,
            reset,
            deck,
        } => commands::config::run(
            &ctx,
            key.as_deref(),
            value.as_deref(),
            reset,
            deck.as_deref(),
            out,
        ),
        Command::Export {
            output,
            reviews_csv,
            anki,
        } => commands::export::run(&ctx, output.as_deref(), reviews_csv, &anki, out),
        Command::Import { file } => commands::import::run(&ctx, &file, out),
        Command::Stats {
            deck,
            json,
            plain,
            days,
        } => commands::stats::run(&ctx, deck.as_deref(), json, plain, days, out),
        Command::Optimize { reset, retention } => {
            commands::optimize::run(&ctx, reset, retention, out)
        }
        Command::Doctor { repair } => commands::doctor::run(&ctx, repair, out),
        Command::Completions { shell } => commands::completions::run(shell, out),
        Command::Draft(args) => commands::draft::run(&args, out, &mut io::stderr()),
        Command::Help { topic } => commands::help::run(topic.as_deref(), out),
        Command::Man { command } => commands::help::man(command.as_deref(), out),
    }
}
