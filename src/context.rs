//! What every command needs, resolved once from the command line and the environment:
//! where the user's decks are, where parsed decks are cached, and the decks themselves.

use std::cell::{Cell, RefCell};
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::cli::GlobalArgs;
use crate::clock::Clock;
use crate::deck::{self, BrokenDeck, Catalog, DeckCache, DeckFile, DeckOrigin, DeckProblems};
use crate::schedule::{Scheduler, StudyCalendar, Zone};
use crate::settings::Settings;
use crate::store::{Store, StoreError};

/// Paths and settings shared by all commands.
#[derive(Debug)]
pub(crate) struct Context {
    /// The user's decks folder, and whether the user named it (then it must exist).
    pub decks_dir: Option<PathBuf>,
    pub decks_dir_explicit: bool,
    /// The progress database's path; `None` when there is no data folder (no `HOME`), which
    /// only the commands that open the database need.
    db_path: Option<PathBuf>,
    /// Whether the learner named the database (`--db` or `LUPUS_QUIZ_DB`): a named path with
    /// nothing at it is probably mistyped, and reading commands say so.
    db_path_named: bool,
    pub clock: Clock,
    /// Where parsed decks are kept (`LUPUS_QUIZ_CACHE_DIR`, or the platform's cache folder).
    pub deck_cache: DeckCache,
    /// Columns that reports on stdout are laid out for (see [`stdout_width`]).
    pub stdout_width: usize,
    /// The same, `None` for a pipe or a file without `COLUMNS` (see [`stdout_columns`]).
    stdout_columns: Option<usize>,
    /// Whether what goes to stdout is coloured (see [`colour_for`]); stderr's is set in
    /// `console` from the same rule.
    pub stdout_colour: bool,
    /// Whether sessions and confirmations can be interactive: the terminal prompter reads
    /// keys from stdin and draws on stderr, so both must be a terminal. Its screens then
    /// follow stderr's terminal width live (a resize mid-session re-wraps them), while
    /// reports on stdout keep [`Context::stdout_width`].
    pub interactive: bool,
    /// Whether a plain session echoes the answers it reads: yes when stdin is a pipe or a
    /// file, whose lines would otherwise not show beside the questions; a terminal shows
    /// what is typed itself.
    pub plain_echo: bool,
    /// The time zone study days are counted in: the system's (`TZ` is respected).
    zone: Zone,
    /// Whether a database with a sync folder was opened: this device's new rows are
    /// appended to its file there when the command ends.
    sync_used: Cell<bool>,
    /// The warnings about the sync folder printed so far: each is printed once a command.
    sync_warned: RefCell<Vec<String>>,
}

impl Context {
    pub(crate) fn from_args(args: &GlobalArgs) -> anyhow::Result<Context> {
        let (decks_dir, decks_dir_explicit) = match args.decks() {
            Some(dir) => (Some(dir.clone()), true),
            None => (crate::paths::default_decks_dir(), false),
        };
        let db_path = match args.db() {
            Some(path) => Some(path.clone()),
            None => crate::paths::default_db_path(),
        };
        let clock = Clock::from_now_var(std::env::var(crate::clock::NOW_VAR).ok().as_deref())
            .map_err(anyhow::Error::msg)?;
        let columns = stdout_columns();
        let stdin_is_terminal = std::io::stdin().is_terminal();
        let stdout_colour = colour_for(args.color, std::io::stdout().is_terminal());
        let stderr_colour = colour_for(args.color, std::io::stderr().is_terminal());
        // Decided once, for everything `console` styles (the session's screens) too.
        console::set_colors_enabled(stdout_colour);
        console::set_colors_enabled_stderr(stderr_colour);
        Ok(Context {
            decks_dir,
            decks_dir_explicit,
            db_path,
            db_path_named: args.db().is_some(),
            clock,
            deck_cache: crate::paths::deck_cache(),
            stdout_width: stdout_width(columns),
            stdout_columns: columns,
            stdout_colour,
            interactive: stdin_is_terminal && std::io::stderr().is_terminal(),
            plain_echo: !stdin_is_terminal,
            zone: Zone::system(),
            sync_used: Cell::new(false),
            sync_warned: RefCell::new(Vec::new()),
        })
    }

    /// The progress database's path, or why there is none.
    pub(crate) fn db_path(&self) -> anyhow::Result<&Path> {
        self.db_path
            .as_deref()
            .context("cannot find your data directory (is HOME set?); pass --db PATH")
    }

    /// Opens the progress database to write to it, creating it (and its folder) when
    /// missing, and writes the day's backup when one is due. A backup that fails gets a
    /// warning, not a refusal: the answers about to be given are better saved than not.
    /// But a file the day's check finds damaged is refused: writing more into it could
    /// only make it worse.
    pub(crate) fn open_store(&self) -> anyhow::Result<Store> {
        self.open(OnDamage::Refuse)
    }

    /// Opens the progress database for a command that only reads it (`stats`, `export`,
    /// the dashboard): as [`Context::open_store`], but a damaged file is only warned
    /// about, so that what can still be read is shown.
    ///
    /// Reading never creates the database (nor its folders): with no file yet, the command
    /// reads an empty database in memory, and a path the learner named gets a note saying
    /// there is no progress there.
    pub(crate) fn open_store_to_read(&self) -> anyhow::Result<Store> {
        self.open_existing_or_empty(OnDamage::Warn)
    }

    /// Opens the progress database for `export`: as [`Context::open_store_to_read`], but
    /// a missing file is opened (and so created) as before, so that an export always names
    /// the file it read and its folder's problems are reported as such.
    pub(crate) fn open_store_to_export(&self) -> anyhow::Result<Store> {
        self.open(OnDamage::Warn)
    }

    /// Opens the progress database for `review`: as [`Context::open_store`], but with no
    /// file yet nothing can be due, so it reads an empty database in memory rather than
    /// creating one (see [`Context::open_store_to_read`]).
    pub(crate) fn open_store_to_review(&self) -> anyhow::Result<Store> {
        self.open_existing_or_empty(OnDamage::Refuse)
    }

    fn open_existing_or_empty(&self, on_damage: OnDamage) -> anyhow::Result<Store> {
        let path = self.db_path()?;
        check_database_path(path)?;
        if std::fs::symlink_metadata(path).is_err() {
            if self.db_path_named {
                use std::io::Write as _;
                let _ = writeln!(
                    std::io::stderr(),
                    "note: there is no progress at `{}` yet (no such file), so this shows none; check the path, or start with `lupus-quiz study DECK`, which creates it",
                    crate::text::visible_inline(&path.display().to_string())
                );
            }
            return Ok(Store::open_in_memory()?);
        }
        self.open(on_damage)
    }

    /// Opens the progress database for `doctor`, which reports damage itself: as
    /// [`Context::open_store_to_read`], without the warning about a damaged file.
    pub(crate) fn open_store_for_doctor(&self) -> anyhow::Result<Store> {
        self.open(OnDamage::Quiet)
    }

    /// Opens the database, then merges the files of the other devices of its sync folder,
    /// if it has one (not for `doctor`, which reports what the file holds).
    fn open(&self, on_damage: OnDamage) -> anyhow::Result<Store> {
        let mut store = self.open_unmerged(on_damage)?;
        if !matches!(on_damage, OnDamage::Quiet) {
            self.merge_sync_folder(&mut store);
        }
        Ok(store)
    }

    /// Opens the database to write to it, as [`Context::open_store`], without merging
    /// the sync folder: for `sync`, which merges it itself and says what it merged.
    pub(crate) fn open_store_unmerged(&self) -> anyhow::Result<Store> {
        self.open_unmerged(OnDamage::Refuse)
    }

    fn open_unmerged(&self, on_damage: OnDamage) -> anyhow::Result<Store> {
        check_database_path(self.db_path()?)?;
        let now = self.clock.now();
        let store = Store::open_at(self.db_path()?, now)?;
        match (store.backup_if_due(now, &self.calendar(0)), on_damage) {
            (Ok(_), _) | (Err(StoreError::Corrupt { .. }), OnDamage::Quiet) => {}
            (Err(error @ StoreError::Corrupt { .. }), OnDamage::Refuse) => return Err(error.into()),
            (Err(error), _) => warn(&error),
        }
        Ok(store)
    }

    /// Merges every other device's file of the sync folder, when the database has one.
    /// With none, this is one query.
    fn merge_sync_folder(&self, store: &mut Store) {
        let setup = match store.sync_setup() {
            Ok(Some(setup)) if setup.folder.is_some() => setup,
            Ok(_) => return,
            Err(e) => return self.sync_warning(format!("cannot use the sync folder: {e}")),
        };
        self.sync_used.set(true);
        let scheduler = match self.scheduler(store) {
            Ok(scheduler) => scheduler,
            Err(e) => {
                return self
                    .sync_warning(format!("nothing was merged from the sync folder: {e:#}"));
            }
        };
        let merge = crate::sync::merge_folder(store, &setup, &scheduler, self.clock.now());
        for warning in merge.warnings {
            self.sync_warning(warning);
        }
    }

    /// Appends this device's new rows to its file of the sync folder, when the command
    /// opened a database that has one. A folder that cannot be written is a warning.
    pub(crate) fn append_to_sync_folder(&self) {
        if !self.sync_used.get() {
            return;
        }
        let appended = self
            .db_path()
            .map_err(|e| e.to_string())
            .and_then(|path| Store::open_at(path, self.clock.now()).map_err(|e| e.to_string()))
            .and_then(|mut store| match store.sync_setup() {
                Ok(Some(setup)) if setup.folder.is_some() => {
                    crate::sync::append_own(&mut store, &setup).map(drop)
                }
                Ok(_) => Ok(()),
                Err(e) => Err(e.to_string()),
            });
        if let Err(warning) = appended {
            self.sync_warning(warning);
        }
    }

    /// Prints a warning about the sync folder, unless this command printed it already.
    pub(crate) fn sync_warning(&self, warning: String) {
        let mut warned = self.sync_warned.borrow_mut();
        if !warned.contains(&warning) {
            crate::error::warn(&warning);
            warned.push(warning);
        }
    }

    /// The scheduler of the settings stored in `store`, counting study days in this run's
    /// time zone.
    pub(crate) fn scheduler(&self, store: &Store) -> anyhow::Result<Scheduler> {
        self.scheduler_for(&store.settings()?)
    }

    /// The scheduler of `settings` (read leniently, or about to be stored), counting study
    /// days in this run's time zone.
    pub(crate) fn scheduler_for(&self, settings: &Settings) -> anyhow::Result<Scheduler> {
        Scheduler::new(settings.scheduler_config(), self.zone.clone()).context(
            "the stored settings cannot schedule cards; check them with `lupus-quiz config`",
        )
    }

    /// The settings a read-only command needs (see [`Store::settings_for`]) and their
    /// scheduler.
    pub(crate) fn settings_and_scheduler(
        &self,
        store: &Store,
        needed: &[crate::settings::Setting],
    ) -> anyhow::Result<(Settings, Scheduler)> {
        let settings = store.settings_for(needed)?;
        let scheduler = self.scheduler_for(&settings)?;
        Ok((settings, scheduler))
    }

    /// The study calendar of a rollover hour in this run's time zone, for what counts days
    /// without scheduling.
    pub(crate) fn calendar(&self, rollover_hour: u32) -> StudyCalendar {
        StudyCalendar::new(rollover_hour, self.zone.clone())
    }

    /// The time zone study days are counted in.
    pub(crate) fn zone(&self) -> &Zone {
        &self.zone
    }

    /// The columns lines on stdout are cut to: `COLUMNS` or the terminal's width (as
    /// [`stdout_width`] decides them); `None` for a pipe or a file without `COLUMNS`, where
    /// a table's lines are not cut.
    pub(crate) fn stdout_columns(&self) -> Option<usize> {
        self.stdout_columns
    }

    /// The deck files of the user's folder (none when the default folder does not exist).
    pub(crate) fn user_deck_files(&self) -> anyhow::Result<Vec<DeckFile>> {
        let Some(dir) = &self.decks_dir else {
            return Ok(Vec::new());
        };
        if let Err(e) = std::fs::metadata(dir)
            && crate::files::is_loop(&e)
        {
            bail!(
                "decks folder `{}` is a symbolic link loop (too many levels of symbolic links); fix or remove the link",
                dir.display()
            );
        }
        if !dir.exists() {
            if self.decks_dir_explicit {
                bail!(
                    "decks folder `{}` does not exist; create it or pass an existing folder to --decks",
                    dir.display()
                );
            }
            return Ok(Vec::new());
        }
        if !dir.is_dir() {
            bail!(
                "`{}` is not a folder; --decks (or LUPUS_QUIZ_DECKS) must name a folder of *.yaml files",
                dir.display()
            );
        }
        deck::files_in_dir(dir)
            .map_err(|e| anyhow::Error::new(DeckProblems(vec![*e])))
            .with_context(|| format!("cannot read decks folder `{}`", dir.display()))
    }

    /// The built-in decks together with the user's. A deck file with problems is named on
    /// stderr with its first problem and left out, and the command goes on with the rest
    /// (`check` is the command that fails on them).
    pub(crate) fn load_catalog(&self) -> anyhow::Result<Catalog> {
        let valid = deck::load_valid_decks(
            || -> anyhow::Result<Vec<DeckFile>> {
                let mut files = deck::builtin_files();
                files.extend(self.user_deck_files()?);
                Ok(files)
            },
            &self.deck_cache,
        )?;
        warn_broken_decks(&valid.broken);
        Ok(valid.catalog)
    }
}

/// One warning per deck file left out, with its first problem, and what to run next.
fn warn_broken_decks(broken: &[BrokenDeck]) {
    if broken.is_empty() {
        return;
    }
    for deck in broken {
        let name = crate::text::visible_inline(deck.name.as_str());
        let more = match deck.problems.len() {
            0 | 1 => String::new(),
            2 => " (and 1 more problem)".to_string(),
            n => format!(" (and {} more problems)", n - 1),
        };
        let outcome = match &deck.used_instead {
            Some(DeckOrigin::Builtin) => {
                format!("the built-in deck `{name}` is used until it is fixed")
            }
            Some(DeckOrigin::File(path)) => {
                format!("deck `{name}` is read from `{}` meanwhile", path.display())
            }
            None => format!("deck `{name}` is left out until it is fixed"),
        };
        if let Some(first) = deck.problems.first() {
            crate::error::warn(format_args!("{first}{more}; {outcome}"));
        }
    }
    crate::error::warn(
        "run `lupus-quiz check` to see every problem, and `lupus-quiz help deck-format` for the format",
    );
}

/// What opening the store does when the day's check finds the file damaged.
#[derive(Clone, Copy)]
enum OnDamage {
    Refuse,
    Warn,
    Quiet,
}

fn warn(error: &StoreError) {
    crate::error::warn(error);
}

/// Refuses a database path that is a symbolic link loop or a broken link, or a FIFO, device
/// or socket (opening a FIFO to read its header would wait forever), before anything
/// opens it.
fn check_database_path(path: &std::path::Path) -> anyhow::Result<()> {
    if path == Path::new("-") {
        bail!(
            "`-` cannot be the database: --db takes the path of a database file, not standard input or output; for a file named `-`, pass `./-`"
        );
    }
    if path.as_os_str().as_encoded_bytes().ends_with(b"/") && !path.is_dir() {
        bail!(
            "`{}` names a folder (it ends in `/`), and --db must name a database file inside it, such as `{}`",
            crate::text::visible_inline(&path.display().to_string()),
            crate::text::visible_inline(&path.join("progress.db").display().to_string())
        );
    }
    match std::fs::metadata(path) {
        Err(e) if crate::files::is_loop(&e) => bail!(
            "`{}` is a symbolic link loop (too many levels of symbolic links); fix the link, or pass another path with --db",
            path.display()
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Ok(target) = std::fs::read_link(path) {
                bail!(
                    "`{}` is a symbolic link to `{}`, which does not exist; fix the link, or pass another path with --db",
                    path.display(),
                    target.display()
                );
            }
            Ok(())
        }
        Ok(meta) if !meta.is_file() && !meta.is_dir() => bail!(
            "`{}` is {}, not a database file; pass the path of a regular file with --db",
            path.display(),
            crate::files::kind_of(meta.file_type())
        ),
        _ => Ok(()),
    }
}

/// Whether a stream is coloured, as ripgrep and bat decide it: `--color always` or
/// `never` first; else `NO_COLOR` (set and not empty) turns colour off, `CLICOLOR_FORCE`
/// (set and not `0`) turns it on for a pipe too, and otherwise a terminal gets colour.
fn colour_for(choice: crate::cli::ColorChoice, is_terminal: bool) -> bool {
    use crate::cli::ColorChoice;
    let set = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR").is_some() => false,
        ColorChoice::Auto if set("CLICOLOR_FORCE").is_some_and(|value| value != "0") => true,
        ColorChoice::Auto => is_terminal,
    }
}

/// The width of what goes to stdout: `COLUMNS` when it is a number (as `ls` honours it),
/// else the terminal's width, else 80 (a pipe or a file).
fn stdout_width(columns: Option<usize>) -> usize {
    const NOT_A_TERMINAL: usize = 80;
    columns.unwrap_or(NOT_A_TERMINAL)
}

/// `COLUMNS` when it is a number (as `ls` honours it), else the terminal's width; `None`
/// for a pipe or a file.
fn stdout_columns() -> Option<usize> {
    if let Some(columns) = std::env::var("COLUMNS")
        .ok()
        .and_then(|value| value.trim().parse::<usize>().ok())
        .filter(|&columns| columns > 0)
    {
        return Some(columns);
    }
    if std::io::stdout().is_terminal()
        && let Some((_, columns)) = console::Term::stdout().size_checked()
    {
        return Some(usize::from(columns));
    }
    None
}
