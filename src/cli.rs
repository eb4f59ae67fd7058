//! The command line, as clap derive types: the doc comments are the help text. Each
//! subcommand owns an `Args` struct, and the values shell completion offers (deck names,
//! card ids, tags, settings) are found here too.

use std::ffi::OsStr;
use std::io::Write as _;
use std::path::PathBuf;

use clap::builder::{OsStringValueParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use clap_complete::{ArgValueCandidates, CompletionCandidate, Shell};

use crate::deck::is_kebab_case;

mod plan;
mod progress;
pub(crate) use plan::PlanArgs;
pub(crate) use progress::{DoctorArgs, OptimizeArgs, StatsArgs, SummaryArgs};

/// Learn the facts of an article on lupus and stem cell therapy with spaced repetition.
///
/// Educational only: this is not medical advice. Talk to your healthcare provider about
/// your own care.
#[derive(Debug, Parser)]
#[command(
    name = "lupus-quiz",
    version,
    after_help = EXAMPLES,
    // Our own `help`, which also knows the topic `deck-format`.
    disable_help_subcommand = true
)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    /// Without a command: a short dashboard of what is due and what to do next.
    #[command(subcommand)]
    pub command: Option<Command>,
}

const EXAMPLES: &str = "\
Examples:
  lupus-quiz                    what is due today, and what to run next
  lupus-quiz study hsct         learn the stem cell transplant deck
  lupus-quiz review             the daily review of every due card
  lupus-quiz quiz trials        a scored exam that leaves your schedule alone
  lupus-quiz decks              list the decks
  lupus-quiz check my-deck.yaml validate a deck of your own
  lupus-quiz help deck-format   how to write a deck of your own";

/// Options every command accepts.
#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Folder with your own decks (*.yaml); a deck named like a built-in one replaces it.
    /// [env: LUPUS_QUIZ_DECKS] [default: the `decks` folder in your config directory]
    #[arg(long, global = true, value_name = "DIR", value_parser = path_or_empty())]
    pub decks: Option<PathBuf>,

    /// The progress database. [env: LUPUS_QUIZ_DB] [default: `progress.db` in your data
    /// directory]
    #[arg(long, global = true, value_name = "PATH", value_parser = path_or_empty())]
    pub db: Option<PathBuf>,

    /// When to colour the output: `auto` colours what reaches a terminal, unless `NO_COLOR`
    /// is set (or `CLICOLOR_FORCE` asks for colour anyway, as in `stats | less -R`);
    /// `always` and `never` override both.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

/// The values of `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE colours a pipe too.
    Auto,
    Always,
    Never,
}

/// Paths that may be empty: an empty `LUPUS_QUIZ_DB=` means unset (as in a shell, where
/// `VAR= command` is the usual way to clear one), not "a value is required".
fn path_or_empty() -> impl TypedValueParser<Value = PathBuf> {
    OsStringValueParser::new().map(PathBuf::from)
}

/// Prints clap's message about the command line and returns its exit code. clap quotes the
/// arguments (and `LUPUS_QUIZ_*` values) it refuses as they were typed; when one holds a
/// control character (an escape sequence pasted or sent by a script), the line is parsed
/// again without styles and the message printed through [`text::visible`], so it quotes
/// `␛` instead, like every other error.
pub(crate) fn usage_error(error: &clap::Error) -> i32 {
    let hostile = |text: &std::ffi::OsStr| {
        text.to_string_lossy()
            .chars()
            .any(|c| crate::text::needs_showing(c) || c == '\n')
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
    let _ = write!(std::io::stderr(), "{}", crate::text::visible(&message));
    error.exit_code()
}

impl GlobalArgs {
    /// Takes `LUPUS_QUIZ_DECKS` and `LUPUS_QUIZ_DB` for options not given. Read here rather
    /// than by clap's `env`, which counts a value from the environment as typed, and so
    /// shows `--db <PATH>` in the usage line of every error as if it were required.
    pub(crate) fn with_environment(mut self) -> GlobalArgs {
        let from_env = |name: &str| std::env::var_os(name).map(PathBuf::from);
        self.decks = self.decks.or_else(|| from_env("LUPUS_QUIZ_DECKS"));
        self.db = self.db.or_else(|| from_env("LUPUS_QUIZ_DB"));
        self
    }

    /// The decks folder given, if any (an empty one counts as none).
    pub(crate) fn decks(&self) -> Option<&PathBuf> {
        self.decks.as_ref().filter(|p| !p.as_os_str().is_empty())
    }

    /// The database given, if any (an empty one counts as none).
    pub(crate) fn db(&self) -> Option<&PathBuf> {
        self.db.as_ref().filter(|p| !p.as_os_str().is_empty())
    }
}

/// Options of the interactive commands.
#[derive(Debug, Args, Clone, Copy)]
pub(crate) struct SessionArgs {
    /// Plain numbered questions on stdout, one answer per line of stdin (for pipes, scripts
    /// and screen readers). Used automatically when stdin or stderr is not a terminal.
    #[arg(long)]
    pub plain: bool,

    /// Seed for shuffling, to make a session reproducible.
    #[arg(long, env = "LUPUS_QUIZ_SEED", value_name = "N")]
    pub seed: Option<u64>,
}

/// The cards a command works on: `--deck` and `--tag` narrow them; neither is every deck.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct ScopeArgs {
    /// Only this deck's cards.
    #[arg(long, value_name = "DECK", add = ArgValueCandidates::new(deck_candidates))]
    pub deck: Option<String>,
    /// Only cards with this tag (tags are in the deck files; `lupus-quiz cards --tag T`
    /// lists them).
    #[arg(long, value_name = "TAG", add = ArgValueCandidates::new(tag_candidates))]
    pub tag: Option<String>,
}

impl ScopeArgs {
    pub(crate) fn scope(&self) -> crate::scope::CardScope {
        crate::scope::CardScope {
            deck: self.deck.clone(),
            tag: self.tag.clone(),
        }
    }
}

/// The cards a manual action (`suspend`, `unsuspend`, `forget`) takes: ids, or a scope.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct TargetArgs {
    /// Card ids (see `lupus-quiz cards`); or name them with --deck and/or --tag instead.
    #[arg(
        value_name = "ID",
        required_unless_present_any = ["deck", "tag"],
        conflicts_with_all = ["deck", "tag"],
        add = ArgValueCandidates::new(card_id_candidates)
    )]
    pub ids: Vec<String>,
    #[command(flatten)]
    pub scope: ScopeArgs,
}

/// Which cards `cards` lists, and how.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct CardsArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Only cards whose question, answers, explanation or note contain TEXT (case, accents
    /// and punctuation do not matter, as for typed answers).
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,
    /// Only cards in this state.
    #[arg(long, value_enum, value_name = "STATE")]
    pub state: Option<StateFilter>,
    /// Only cards due now.
    #[arg(long)]
    pub due: bool,
    /// Only cards whose predicted recall now is at most R (0 to 1), such as 0.8.
    #[arg(long, value_name = "R", value_parser = recall_fraction)]
    pub max_recall: Option<f64>,
    /// Only cards with at least N lapses.
    #[arg(long, value_name = "N")]
    pub min_lapses: Option<u32>,
    /// The order of the list. [default: deck order]
    #[arg(long, value_enum, value_name = "KEY")]
    pub sort: Option<SortKey>,
    /// Print a JSON array with every field instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// The states `--state` picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum StateFilter {
    /// Never answered, or forgotten.
    New,
    /// In learning or relearning steps.
    Learning,
    /// In review.
    Review,
    /// In review with an interval under 21 days (as `stats` counts them).
    Young,
    /// In review with an interval of 21 days or more.
    Mature,
    /// Suspended by you.
    Suspended,
    /// Suspended as a leech.
    Leech,
}

/// The orders `--sort` gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum SortKey {
    /// Soonest due first (new cards last).
    Due,
    /// Lowest recall now first.
    Recall,
    /// Most lapses first.
    Lapses,
    /// Lowest stability first.
    Stability,
    /// By deck, in deck order.
    Deck,
}

fn recall_fraction(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if (0.0..=1.0).contains(&value) => Ok(value),
        _ => Err(format!(
            "`{text}` is not a recall between 0 and 1; write it as a fraction, such as 0.8"
        )),
    }
}

/// Options of `export --anki`.
#[derive(Debug, Args, Clone, Default)]
pub(crate) struct AnkiArgs {
    /// Write the decks as an Anki package (`.apkg`) that Anki and AnkiDroid import; a newer
    /// export updates the notes of an earlier one in place.
    #[arg(long, value_name = "FILE.apkg", conflicts_with_all = ["output", "reviews_csv"])]
    pub anki: Option<PathBuf>,
    /// Only this deck in the package (repeat for more). [default: every deck]
    #[arg(long, value_name = "DECK", requires = "anki", add = ArgValueCandidates::new(deck_candidates))]
    pub deck: Vec<String>,
    /// Include your progress: every review, and each card's schedule and memory state, so
    /// you go on in Anki where you stopped. Without it, the cards arrive new.
    #[arg(long, requires = "anki")]
    pub with_progress: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Study one deck: due cards first, then new ones.
    #[command(
        after_help = "Examples:\n  lupus-quiz study hsct\n  lupus-quiz study basics --new 5\n  printf '1\\n3\\n' | lupus-quiz study hsct --plain\n\nKeys: arrows or numbers choose, Enter confirms, u undoes the last answer, q/Esc/Ctrl-C ends the\nsession, ? shows every key; at a typed answer, ? then Enter means you don't know.\nEvery answer is saved the moment you give it."
    )]
    Study(StudyArgs),

    /// The daily review: every due card across all decks, by due time. No new cards.
    #[command(
        after_help = "Examples:\n  lupus-quiz review\n  lupus-quiz review --deck hsct\n  lupus-quiz review --tag sarah"
    )]
    Review(ReviewArgs),

    /// A scored exam of random questions from a deck. It does not change your schedule.
    #[command(
        after_help = "Examples:\n  lupus-quiz quiz hsct\n  lupus-quiz quiz trials --count 20\n  lupus-quiz quiz cases --tag sarah"
    )]
    Quiz(QuizArgs),

    /// The cards as a table: id, deck, type, state, due, stability, recall now, lapses and
    /// question. Filters combine.
    #[command(
        after_help = "Examples:\n  lupus-quiz cards --deck hsct\n  lupus-quiz cards --search \"stem cell\" --state review\n  lupus-quiz cards --due --sort recall\n  lupus-quiz cards --max-recall 0.8 --min-lapses 2 --json\n  lupus-quiz cards --state leech"
    )]
    Cards(CardsArgs),

    /// Everything about one card: question, answer, state, whole history and forgetting
    /// curve.
    #[command(
        after_help = "Examples:\n  lupus-quiz card hsct-hsct-meaning\n  lupus-quiz card hsct-hsct-meaning --json"
    )]
    Card(CardArgs),

    /// Take cards out of every session until `unsuspend` puts them back.
    #[command(
        after_help = "Examples:\n  lupus-quiz suspend hsct-hsct-meaning\n  lupus-quiz suspend --deck cases --tag john"
    )]
    Suspend(TargetArgs),

    /// Put suspended cards back into sessions, leeches included (a leech keeps its history
    /// and is flagged again after half the leech threshold in further lapses).
    #[command(
        after_help = "Examples:\n  lupus-quiz unsuspend hsct-hsct-meaning\n  lupus-quiz unsuspend --deck hsct"
    )]
    Unsuspend(TargetArgs),

    /// Start cards over as new. Their review history is kept (and shows the reset).
    ///
    /// On a terminal it asks for confirmation with the number of cards; elsewhere (or with
    /// --plain) it needs --yes.
    #[command(
        after_help = "Examples:\n  lupus-quiz forget hsct-hsct-meaning\n  lupus-quiz forget --deck hsct --yes"
    )]
    Forget(ForgetArgs),

    /// Say how many cards are due now ("12 cards due: run lupus-quiz review").
    ///
    /// Exit code: 0 when a card is due, 1 when none is (like `grep -q`), so that a shell
    /// prompt, a cron job or a systemd timer can remind you. It never creates a database.
    #[command(
        after_help = "Examples:\n  lupus-quiz due\n  lupus-quiz due --quiet && notify-send \"lupus-quiz\" \"Cards are due\"\n  PS1='$(lupus-quiz due --quiet && echo \"[due] \")'\"$PS1\""
    )]
    Due(DueArgs),

    /// List the decks with their number of cards by type.
    #[command(after_help = "Example:\n  lupus-quiz decks")]
    Decks,

    /// Validate deck files and report every problem with file, line and card.
    ///
    /// Exit code: 0 when every deck is valid, 1 when a problem was found, 2 for usage errors
    /// (a path that does not exist among them).
    #[command(
        after_help = "Examples:\n  lupus-quiz check                 the built-in decks and yours\n  lupus-quiz check my-deck.yaml    one file\n  lupus-quiz check ~/my-decks      every *.yaml file in a folder\n  lupus-quiz check --readability my-deck.yaml\n                                   how hard its texts are to read\n  lupus-quiz check --coverage article.txt my-deck.yaml\n                                   which sentences of the article the cards teach\n\nWith --readability, a valid deck's questions, answers, explanations and notes of 3 words\nor more are measured by the Flesch-Kincaid grade level (computed as the Python package\ntextstat 0.7.3 does): the median and 90th percentile per deck and field, and the ten\nhardest fields with file:line. Patient materials aim at grade 6 to 8."
    )]
    Check(CheckArgs),

    /// Draft a deck from an article: its definitions, abbreviations, lists, steps, key
    /// terms and numbers become cards, each traced to its line (`origin:`). Offline.
    ///
    /// Every answer is words of the article's own sentence; review each card before you
    /// study it (cards are tagged `draft`, numbers `needs-reference`).
    #[command(
        after_help = "Examples:\n  lupus-quiz draft leaflet.txt -o ~/my-decks/leaflet.yaml\n  lupus-quiz draft review.md --deck review --max 40 > review.yaml\n  lupus-quiz draft article.md --split -o ~/my-decks/article   one deck per section\n  lupus-quiz check --coverage leaflet.txt ~/my-decks/leaflet.yaml"
    )]
    Draft(DraftArgs),

    /// Show or change settings (desired retention, daily limits, learning steps, ...).
    ///
    /// Without arguments, lists every setting with its value and default.
    // The usage clap would build reads `config --reset <KEY> [VALUE]` when `--reset` comes
    // without a key, though a value cannot follow `--reset`: the two forms, spelled out.
    #[command(
        override_usage = "lupus-quiz config [--deck DECK] [KEY [VALUE]]\n       lupus-quiz config [--deck DECK] --reset KEY",
        after_help = "Examples:\n  lupus-quiz config\n  lupus-quiz config desired_retention 0.85\n  lupus-quiz config learning_steps \"1m 10m 1h\"\n  lupus-quiz config new_per_day --reset\n  lupus-quiz config new_per_day 5 --deck hsct     a daily limit of one deck's own\n  lupus-quiz config sync_dir ~/Sync/lupus-quiz   a folder Syncthing keeps in step (see `lupus-quiz help sync`)"
    )]
    Config(ConfigArgs),

    /// Write your progress (settings, card states, every review) as JSON, to move it to
    /// another machine or keep a copy; or, with --anki, the decks as an Anki package.
    #[command(
        after_help = "Examples:\n  lupus-quiz export -o progress.json\n  lupus-quiz export --reviews-csv > reviews.csv\n  lupus-quiz export --anki lupus.apkg                  every deck, for Anki or AnkiDroid\n  lupus-quiz export --anki hsct.apkg --deck hsct --with-progress"
    )]
    Export(ExportArgs),

    /// Merge progress from a file written by `export`, a CSV review log of another tool, or
    /// an Anki package with what was done in Anki or AnkiDroid.
    ///
    /// Reviews already present (same card and time) are skipped, so importing twice is the
    /// same as once. A file with any invalid row is refused whole and nothing changes.
    #[command(
        after_help = "Examples:\n  lupus-quiz import progress.json\n  lupus-quiz import reviews.csv     (columns: card, time, rating, optional duration)\n  lupus-quiz import collection.colpkg --dry-run\n  lupus-quiz import spanish.apkg --as-deck spanish"
    )]
    Import(ImportArgs),

    /// Your progress: today, cards by state, forecast, activity, streak, retention, hardest
    /// cards, quiz results.
    #[command(
        after_help = "Examples:\n  lupus-quiz stats\n  lupus-quiz stats --deck hsct --days 14\n  lupus-quiz stats --plain\n  lupus-quiz stats --json | jq .retention\n  lupus-quiz stats --by-section\n\nThe report fits the terminal's width (COLUMNS overrides it; 80 when not a terminal), down to 50 columns."
    )]
    Stats(StatsArgs),

    /// One page to take to an appointment: per section, what you know and the cards you
    /// keep missing, weakest first.
    #[command(
        after_help = "Examples:\n  lupus-quiz summary\n  lupus-quiz summary --deck hsct --plain\n  lupus-quiz summary -o summary.md     (Markdown, prints on one or two pages)"
    )]
    Summary(SummaryArgs),

    /// Get ready by a date (an appointment, an exam): what it takes, day by day.
    ///
    /// Every card in scope at or above a target recall on that day: until then `review` and
    /// `study` bring forward what would fall below it. Without options, the goal and how it
    /// stands.
    #[command(
        after_help = "Examples:\n  lupus-quiz plan --by 2026-04-15                     every deck, your desired retention\n  lupus-quiz plan --by 2026-04-15 --target 0.95 --deck hsct\n  lupus-quiz plan                                     the goal and how it stands\n  lupus-quiz plan --json\n  lupus-quiz plan --clear"
    )]
    Plan(PlanArgs),

    /// Fit the FSRS parameters to your own review history, as Anki's optimizer does.
    ///
    /// Exit code: 0 when done (or when the current parameters are kept), 1 when there is too
    /// little history to fit.
    #[command(
        after_help = "Examples:\n  lupus-quiz optimize\n  lupus-quiz optimize --retention   advice on the desired retention\n  lupus-quiz optimize --reset       back to the default parameters"
    )]
    Optimize(OptimizeArgs),

    /// Check the database: integrity, every card state against its review log, orphans.
    ///
    /// Reviews of cards no deck has are listed as notes: they are kept on purpose. Exit code:
    /// 0 when no problem was found (or `--repair` fixed every one), 1 when problems were found.
    #[command(
        after_help = "Examples:\n  lupus-quiz doctor\n  lupus-quiz doctor --repair   rebuild card states from the log (after a backup)"
    )]
    Doctor(DoctorArgs),

    /// Write this computer's new progress to the sync folder, and merge every other
    /// computer's file there; every command that reads progress does so by itself.
    ///
    /// The folder is set with `lupus-quiz config sync_dir PATH`, and kept in step by
    /// another tool (Syncthing, Dropbox, a git repository); see docs/sync.md.
    #[command(
        after_help = "Examples:\n  lupus-quiz config sync_dir ~/Sync/lupus-quiz   once on each computer\n  lupus-quiz sync"
    )]
    Sync,

    /// Print the script that makes your shell complete commands, options, deck names,
    /// card ids, tags and setting names.
    ///
    /// The script asks `lupus-quiz` itself what to complete, so it must be on your PATH;
    /// after an upgrade, load the script anew.
    #[command(
        after_help = "Examples:\n  lupus-quiz completions bash > ~/.local/share/bash-completion/completions/lupus-quiz\n  lupus-quiz completions zsh > ~/.zfunc/_lupus-quiz        (with ~/.zfunc in $fpath)\n  lupus-quiz completions fish > ~/.config/fish/completions/lupus-quiz.fish"
    )]
    Completions(CompletionsArgs),

    /// Print the help of a command, or of a topic: `deck-format`, how to write decks.
    #[command(
        after_help = "Examples:\n  lupus-quiz help study\n  lupus-quiz help deck-format | less"
    )]
    Help(HelpArgs),

    /// Print the manual page (roff), of lupus-quiz or of one command.
    #[command(
        hide = true,
        after_help = "Example:\n  lupus-quiz man > ~/.local/share/man/man1/lupus-quiz.1"
    )]
    Man(ManArgs),
}

/// The options of `study`.
#[derive(Debug, Args, Clone)]
pub(crate) struct StudyArgs {
    /// The deck to study, in any case (without one, --tag or --all, the decks are listed).
    #[arg(conflicts_with = "all", add = ArgValueCandidates::new(deck_candidates))]
    pub deck: Option<String>,
    /// Only cards with this tag: of DECK, or of every deck without one.
    #[arg(long, value_name = "TAG", add = ArgValueCandidates::new(tag_candidates))]
    pub tag: Option<String>,
    /// Every deck: due cards first, then each deck's new cards under its daily limit.
    #[arg(long)]
    pub all: bool,
    /// New cards for this session, instead of the daily limit.
    #[arg(long, value_name = "N")]
    pub new: Option<usize>,
    /// Review cards for this session, instead of the daily limit.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub session: SessionArgs,
}

/// The options of `review`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ReviewArgs {
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Reviews for this session, instead of the daily limit.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    #[command(flatten)]
    pub session: SessionArgs,
}

/// The options of `quiz`.
#[derive(Debug, Args, Clone)]
pub(crate) struct QuizArgs {
    /// The deck to be examined on (without one, the decks are listed).
    #[arg(add = ArgValueCandidates::new(deck_candidates))]
    pub deck: Option<String>,
    /// Only the deck's cards with this tag.
    #[arg(long, value_name = "TAG", add = ArgValueCandidates::new(tag_candidates))]
    pub tag: Option<String>,
    /// Number of questions.
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub count: u32,
    #[command(flatten)]
    pub session: SessionArgs,
}

/// The options of `card`.
#[derive(Debug, Args, Clone)]
pub(crate) struct CardArgs {
    /// The card's id (see `lupus-quiz cards`).
    #[arg(add = ArgValueCandidates::new(card_id_candidates))]
    pub id: String,
    /// Print one JSON object instead.
    #[arg(long)]
    pub json: bool,
}

/// The options of `forget`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ForgetArgs {
    #[command(flatten)]
    pub targets: TargetArgs,
    /// Do not ask for confirmation.
    #[arg(long, short)]
    pub yes: bool,
    /// Never ask (as when not on a terminal): then --yes is required.
    #[arg(long)]
    pub plain: bool,
}

/// The options of `due`.
#[derive(Debug, Args, Clone)]
pub(crate) struct DueArgs {
    /// Print nothing: the exit code alone says whether a card is due.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The options of `check`.
#[derive(Debug, Args, Clone)]
pub(crate) struct CheckArgs {
    /// Deck files or folders of deck files [default: the built-in decks and yours]
    pub paths: Vec<PathBuf>,
    /// Also report how hard the decks are to read (Flesch-Kincaid grade level).
    #[arg(long)]
    pub readability: bool,
    /// Also map ARTICLE to the cards: per section, the share of sentences some card
    /// teaches, then the sentences no card covers.
    #[arg(long, value_name = "ARTICLE")]
    pub coverage: Option<PathBuf>,
}

/// The options of `config`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ConfigArgs {
    /// Set (or reset) the value of one deck only; for `new_per_day`.
    #[arg(long, value_name = "DECK", requires = "key", add = ArgValueCandidates::new(deck_candidates))]
    pub deck: Option<String>,
    /// The setting to show or change.
    #[arg(add = ArgValueCandidates::new(setting_candidates))]
    pub key: Option<String>,
    /// Its new value.
    #[arg(allow_negative_numbers = true)]
    pub value: Option<String>,
    /// Return the setting to its default.
    #[arg(long, requires = "key", conflicts_with = "value")]
    pub reset: bool,
}

/// The options of `export`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ExportArgs {
    /// Write to this file instead of standard output (`-` is standard output). A regular
    /// file is replaced whole, created readable by you only; a pipe, terminal or device is
    /// written in place.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write only the review log, as CSV (`card,at,rating,duration_ms`).
    #[arg(long)]
    pub reviews_csv: bool,
    #[command(flatten)]
    pub anki: AnkiArgs,
}

/// The options of `import`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ImportArgs {
    /// The JSON progress file, CSV review log (`-` reads standard input), or Anki package
    /// (`.apkg` or `.colpkg` from Anki or AnkiDroid).
    pub file: PathBuf,
    /// Anki packages: also write the notes that are not lupus-quiz's as a deck of this
    /// name (kebab-case) in the decks folder.
    #[arg(long, value_name = "NAME")]
    pub as_deck: Option<String>,
    /// Anki packages: show what the import would add, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The options of `completions`.
#[derive(Debug, Args, Clone)]
pub(crate) struct CompletionsArgs {
    /// The shell to write the script for.
    pub shell: Shell,
}

/// The options of `help`.
#[derive(Debug, Args, Clone)]
pub(crate) struct HelpArgs {
    /// A command, or `deck-format`. [default: the overview]
    #[arg(value_name = "COMMAND|TOPIC")]
    pub topic: Option<String>,
}

/// The options of `man`.
#[derive(Debug, Args, Clone)]
pub(crate) struct ManArgs {
    /// The command whose page to print (`lupus-quiz-study.1`). [default: lupus-quiz]
    pub command: Option<String>,
}

/// The arguments of `draft`.
#[derive(Debug, Args)]
pub(crate) struct DraftArgs {
    /// The article: plain text or Markdown in UTF-8 (`-` reads standard input).
    #[arg(value_name = "ARTICLE")]
    pub article: PathBuf,
    /// Write the deck to FILE, a `.yaml` or `.yml` file (whole or not at all), instead of
    /// standard output; with --split, the folder to write the decks into.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The deck's name, which starts every card id (kebab-case). [default: the name of the
    /// output file, else of the article]
    #[arg(long, value_name = "NAME")]
    pub deck: Option<String>,
    /// At most N cards. [default: one per 10 words of the article; never more than one per
    /// 8]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max: Option<u32>,
    /// One deck per top-level section of the article, into the folder given with -o.
    #[arg(long, requires = "output")]
    pub split: bool,
    /// Replace deck files that exist already.
    #[arg(long)]
    pub force: bool,
}

/// The deck names to complete: the built-in decks and the deck files of the decks folder
/// the environment names (a `--decks` on the command line is not seen). Nothing is parsed.
///
/// Only file names that are valid deck names (kebab-case) are offered: bash inserts a
/// candidate unquoted, so a file named `evil;touch PWNED;.yaml` would otherwise put a
/// command on the user's line, and a name with ESC would write to the terminal. Such a
/// file is not a deck anyway (loading leaves it out with a warning).
fn deck_candidates() -> Vec<CompletionCandidate> {
    let mut names: Vec<String> = crate::deck::builtin_files()
        .into_iter()
        .map(|file| file.name.into_string())
        .collect();
    if let Some(dir) = crate::paths::decks_dir_of_env()
        && let Ok(entries) = std::fs::read_dir(dir)
    {
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if crate::deck::is_deck_file_name(&path)
                && let Some(stem) = path.file_stem().and_then(OsStr::to_str)
                && is_kebab_case(stem)
            {
                names.push(stem.to_string());
            }
        }
    }
    names.sort();
    names.dedup();
    names.into_iter().map(CompletionCandidate::new).collect()
}

/// The decks the environment names, parsed (through the deck cache, so a Tab stays quick);
/// `None` when they cannot be read, and completion then offers nothing.
fn catalog_of_env() -> Option<crate::deck::Catalog> {
    let read = || -> Result<Vec<crate::deck::DeckFile>, ()> {
        let mut files = crate::deck::builtin_files();
        if let Some(dir) = crate::paths::decks_dir_of_env().filter(|dir| dir.is_dir()) {
            files.extend(crate::deck::files_in_dir(&dir).unwrap_or_default());
        }
        Ok(files)
    };
    let cache = crate::paths::deck_cache();
    crate::deck::load_valid_decks(read, &cache)
        .ok()
        .map(|valid| valid.catalog)
}

/// The card ids to complete (`card`, `suspend`, `unsuspend`, `forget`), with each card's
/// deck as its help.
fn card_id_candidates() -> Vec<CompletionCandidate> {
    let Some(catalog) = catalog_of_env() else {
        return Vec::new();
    };
    let mut candidates = Vec::new();
    for deck in &catalog.decks {
        for card in deck.cards.iter() {
            candidates.push(
                CompletionCandidate::new(card.id.to_string())
                    .help(Some(deck.name.to_string().into())),
            );
        }
    }
    candidates
}

/// The tags of every card, each once (`--tag`).
fn tag_candidates() -> Vec<CompletionCandidate> {
    let Some(catalog) = catalog_of_env() else {
        return Vec::new();
    };
    let tags: std::collections::BTreeSet<&str> = catalog
        .decks
        .iter()
        .flat_map(|deck| deck.cards.iter())
        .flat_map(|card| card.tags.iter().map(String::as_str))
        // A tag is free text: only plain words reach the command line.
        .filter(|tag| {
            tag.chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
        })
        .collect();
    tags.into_iter()
        .map(|tag| CompletionCandidate::new(tag.to_string()))
        .collect()
}

/// The setting names `config` takes.
fn setting_candidates() -> Vec<CompletionCandidate> {
    crate::settings::Setting::ALL
        .iter()
        .map(|setting| setting.name())
        .chain([crate::sync::SYNC_DIR])
        .map(CompletionCandidate::new)
        .collect()
}
