//! `lupus-quiz import FILE`: merge progress from JSON or a CSV review log (an Anki package
//! goes to `import_anki.rs`).
//!
//! A file is checked whole before the database is opened, so a bad file changes nothing. A
//! CSV log is read twice, row by row (once to check it, once to store it), so a log of
//! millions of reviews never has to be in memory; a JSON export is read whole.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufReader, Read, Write};
use std::path::Path;

use anyhow::Context as _;

use crate::cli::ImportArgs;
use crate::context::Context;
use crate::files;
use crate::ids::{CardId, DeckName};
use crate::settings::{Setting, Settings};
use crate::store::{
    CardEvent, ImportExtras, ImportFailure, ImportReport, NewReview, QuizRecord, Store,
};
use crate::text::plural;
use crate::transfer::{self, ReviewEntry, TransferError};

/// Where the progress comes from: a regular file, opened again for each pass over it, or
/// standard input (`-`), read once into memory.
enum Source<'a> {
    File(&'a Path),
    Stdin(Vec<u8>),
}

/// A file that cannot be read as an error for the user, naming it.
fn read_error(label: &str, error: files::ReadError) -> anyhow::Error {
    match error {
        files::ReadError::TooLarge {
            size: Some(size),
            limit,
        } => TransferError::TooLarge {
            file: label.to_string(),
            size,
            limit,
        }
        .into(),
        files::ReadError::TooLarge { size: None, limit } => TransferError::OverLimit {
            file: label.to_string(),
            limit,
        }
        .into(),
        not_regular @ files::ReadError::NotRegular(_) => anyhow::anyhow!(
            "cannot import `{label}`: {not_regular}; import reads a regular file, or standard input when FILE is `-`"
        ),
        other => anyhow::anyhow!("cannot read `{label}`: {other}"),
    }
}

pub(crate) fn run(ctx: &Context, args: &ImportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let file = args.file.as_path();
    if file != Path::new("-") && super::import_anki::is_package(file) {
        return super::import_anki::run(ctx, args, out);
    }
    if args.as_deck.is_some() || args.dry_run {
        anyhow::bail!(
            "--as-deck and --dry-run are for Anki packages (.apkg, .colpkg); `{}` is a progress file",
            crate::text::visible_inline(&file.display().to_string())
        );
    }
    let input = Input::open(file)?;
    let decks = CardDecks::load(ctx)?;
    let mut orphans = Orphans::default();
    let imported = if input.is_json()? {
        import_json(ctx, &input, &decks, &mut orphans)?
    } else {
        import_csv(ctx, &input, &decks, &mut orphans)?
    };
    report(out, &input.label, &imported, &orphans)
}

/// The file to import, checked before anything is read: a FIFO, a device or a file over
/// the limit is refused.
struct Input<'a> {
    label: String,
    source: Source<'a>,
}

impl<'a> Input<'a> {
    fn open(file: &'a Path) -> anyhow::Result<Input<'a>> {
        let limit = transfer::MAX_PROGRESS_BYTES;
        if file == Path::new("-") {
            let label = "standard input".to_string();
            // Checked as text while it is read, as a file is: `import - < /dev/zero` stops
            // at the first chunk rather than after a gigabyte in memory.
            let mut bytes = Vec::new();
            let recorded = Recorded {
                inner: std::io::stdin().lock(),
                into: &mut bytes,
            };
            transfer::check_text(&label, recorded, limit)?;
            return Ok(Input {
                label,
                source: Source::Stdin(bytes),
            });
        }
        let label = crate::text::visible_inline(&file.display().to_string()).into_owned();
        let (_, meta) = files::open_regular(file).map_err(|e| read_error(&label, e))?;
        if meta.len() > limit {
            let too_large = files::ReadError::TooLarge {
                size: Some(meta.len()),
                limit,
            };
            return Err(read_error(&label, too_large));
        }
        Ok(Input {
            label,
            source: Source::File(file),
        })
    }

    /// A new pass over the input. Every pass reads through the limit, so a file that grows
    /// meanwhile cannot fill memory.
    fn reader(&self) -> anyhow::Result<Box<dyn Read + '_>> {
        match &self.source {
            Source::File(path) => {
                let (file, _) =
                    files::open_regular(path).map_err(|e| read_error(&self.label, e))?;
                let limit = transfer::MAX_PROGRESS_BYTES;
                Ok(Box::new(BufReader::new(file).take(limit + 1)))
            }
            Source::Stdin(bytes) => Ok(Box::new(bytes.as_slice())),
        }
    }

    /// Whether the input is a JSON export (else a CSV review log), from its start.
    fn is_json(&self) -> anyhow::Result<bool> {
        let mut start = [0u8; 512];
        let mut input = self.reader()?;
        let mut read = 0;
        while read < start.len() {
            let n = input
                .read(&mut start[read..])
                .with_context(|| format!("cannot read `{}`", self.label))?;
            if n == 0 {
                break;
            }
            read += n;
        }
        Ok(transfer::is_json(&start[..read]))
    }

    /// The whole input, for a JSON export.
    fn bytes(&self) -> anyhow::Result<std::borrow::Cow<'_, [u8]>> {
        match &self.source {
            Source::File(_) => {
                let bytes = files::read_to_limit(self.reader()?, transfer::MAX_PROGRESS_BYTES)
                    .map_err(|e| read_error(&self.label, e))?;
                Ok(bytes.into())
            }
            Source::Stdin(bytes) => Ok(bytes.as_slice().into()),
        }
    }
}

/// A reader that keeps a copy of everything read through it (standard input, which can be
/// read only once).
struct Recorded<'v, R> {
    inner: R,
    into: &'v mut Vec<u8>,
}

impl<R: Read> Read for Recorded<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buf)?;
        self.into.extend_from_slice(&buf[..read]);
        Ok(read)
    }
}

/// Which deck each card is in, and nothing else of the catalog: its text is dropped before
/// the import starts, which keeps a large import's memory down.
struct CardDecks {
    names: Vec<DeckName>,
    /// foldhash: a million look-ups by a short id, where SipHash's cost showed (issue 18).
    of: foldhash::HashMap<Box<str>, usize>,
}

impl CardDecks {
    fn load(ctx: &Context) -> anyhow::Result<CardDecks> {
        let catalog = ctx.load_catalog()?;
        let names = catalog.decks.iter().map(|deck| deck.name.clone()).collect();
        let of = catalog
            .decks
            .iter()
            .enumerate()
            .flat_map(|(index, deck)| deck.cards.ids().map(move |id| (id.into(), index)))
            .collect();
        Ok(CardDecks { names, of })
    }

    /// The deck a card is in now, if any.
    fn deck_of(&self, card: &str) -> Option<DeckName> {
        self.of.get(card).map(|&index| self.names[index].clone())
    }

    /// A review to store: in the card's deck now, else the deck the file names, else none.
    fn new_review(&self, entry: ReviewEntry, file_decks: &HashMap<String, String>) -> NewReview {
        NewReview {
            deck: self
                .of
                .get(entry.card.as_str())
                .map(|&index| self.names[index].clone())
                .or_else(|| {
                    // The file writes "no deck" as an empty name.
                    file_decks
                        .get(&entry.card)
                        .filter(|deck| !deck.is_empty())
                        .map(|deck| DeckName::from(deck.as_str()))
                }),
            card_id: CardId::new(entry.card),
            at: entry.at,
            rating: entry.rating,
            duration_ms: entry.duration_ms,
        }
    }
}

/// What an import did, for its report.
struct Imported {
    report: ImportReport,
    /// Settings taken from the file, and those kept because they were set here.
    applied: Vec<Setting>,
    kept: Vec<Setting>,
}

/// A JSON export: read whole and checked, then merged with its settings in one transaction.
fn import_json(
    ctx: &Context,
    input: &Input<'_>,
    decks: &CardDecks,
    orphans: &mut Orphans,
) -> anyhow::Result<Imported> {
    let transfer::Incoming {
        reviews,
        settings: file_settings,
        decks: file_decks,
        events,
        quizzes,
        deck_new_per_day,
    } = transfer::read_progress(&input.label, &input.bytes()?, ctx.clock.now())?;
    for review in &reviews {
        orphans.count(&decks.of, &review.card);
    }
    let mut store = ctx.open_store()?;
    let (settings, applied, kept) = merged_settings(&store, &file_settings)?;
    let scheduler = ctx.scheduler_for(&settings)?;
    let reviews: Vec<NewReview> = reviews
        .into_iter()
        .map(|entry| decks.new_review(entry, &file_decks))
        .collect();
    let extras = ImportExtras {
        events: events
            .into_iter()
            .map(|event| CardEvent {
                deck: decks.deck_of(&event.card).or_else(|| {
                    // The file writes "no deck" as an empty name.
                    (!event.deck.is_empty()).then(|| DeckName::new(event.deck))
                }),
                card_id: CardId::new(event.card),
                at: event.at,
                action: event.action,
            })
            .collect(),
        quizzes: quizzes
            .into_iter()
            .map(|quiz| QuizRecord {
                deck: DeckName::new(quiz.deck),
                taken_at: quiz.at,
                correct: quiz.correct,
                questions: quiz.questions,
                planned: quiz.planned.unwrap_or(quiz.questions),
            })
            .collect(),
        deck_new_per_day: deck_new_per_day
            .into_iter()
            .map(|(deck, limit)| (DeckName::new(deck), limit))
            .collect(),
    };
    let report =
        store.import_progress(&reviews, &extras, Some((&settings, &applied)), &scheduler)?;
    Ok(Imported {
        report,
        applied,
        kept,
    })
}

/// A CSV log: first the bytes (text, and not over the limit), then every row, checked and
/// its orphans counted without keeping the rows; then the rows again, streamed into the
/// store.
fn import_csv(
    ctx: &Context,
    input: &Input<'_>,
    decks: &CardDecks,
    orphans: &mut Orphans,
) -> anyhow::Result<Imported> {
    let (label, now) = (&input.label, ctx.clock.now());
    transfer::check_text(label, input.reader()?, transfer::MAX_PROGRESS_BYTES)?;
    for review in transfer::csv_reviews(label, input.reader()?, now)? {
        orphans.count(&decks.of, &review?.card);
    }
    let mut store = ctx.open_store()?;
    let scheduler = ctx.scheduler(&store)?;
    let none = HashMap::new();
    let reviews = transfer::csv_reviews(label, input.reader()?, now)?
        .map(|review| review.map(|entry| decks.new_review(entry, &none)));
    Ok(Imported {
        report: store_stream(&mut store, reviews, &scheduler)?,
        applied: Vec::new(),
        kept: Vec::new(),
    })
}

fn report(
    out: &mut dyn Write,
    label: &str,
    imported: &Imported,
    orphans: &Orphans,
) -> anyhow::Result<()> {
    let report = &imported.report;
    writeln!(
        out,
        "imported {label}: {} review{} added, {} already present (skipped), {} card{} rescheduled",
        report.added,
        plural(report.added),
        report.skipped,
        report.cards_replayed,
        plural(report.cards_replayed)
    )?;
    if report.repeated > 0 {
        writeln!(
            out,
            "{} row{} of the file repeated an earlier row (same card, time and rating) and {} counted once",
            report.repeated,
            plural(report.repeated),
            if report.repeated == 1 { "was" } else { "were" }
        )?;
    }
    if report.events_added > 0 || report.quizzes_added > 0 {
        writeln!(
            out,
            "also {} suspend, unsuspend or forget action{} and {} quiz result{} added",
            report.events_added,
            plural(report.events_added),
            report.quizzes_added,
            plural(report.quizzes_added)
        )?;
    }
    if orphans.reviews > 0 {
        writeln!(
            out,
            "{} review{} to {} card{} that no deck has; they are kept",
            orphans.reviews,
            if orphans.reviews == 1 {
                " belongs"
            } else {
                "s belong"
            },
            orphans.cards.len(),
            plural(orphans.cards.len())
        )?;
    }
    report_settings(out, imported)
}

/// The settings lines of the report: those taken from the file, and those kept as set here.
fn report_settings(out: &mut dyn Write, imported: &Imported) -> anyhow::Result<()> {
    if !imported.applied.is_empty() {
        writeln!(
            out,
            "settings taken from the file: {}",
            names(&imported.applied)
        )?;
    }
    if !imported.kept.is_empty() {
        writeln!(
            out,
            "settings kept as set here (the file differs): {}",
            names(&imported.kept)
        )?;
    }
    Ok(())
}

/// Reviews of cards that no deck has.
#[derive(Default)]
struct Orphans {
    reviews: usize,
    cards: BTreeSet<String>,
}

impl Orphans {
    fn count(&mut self, deck_of: &foldhash::HashMap<Box<str>, usize>, card: &str) {
        if !deck_of.contains_key(card) {
            self.reviews += 1;
            if !self.cards.contains(card) {
                self.cards.insert(card.to_string());
            }
        }
    }
}

/// Settings from the file fill in what this database has not set, so moving to a new
/// machine brings them along while a merge never overrides local choices. Returns the
/// merged settings, the keys taken from the file, and those kept because they were set here.
fn merged_settings(
    store: &Store,
    incoming: &[(Setting, String)],
) -> anyhow::Result<(Settings, Vec<Setting>, Vec<Setting>)> {
    let mut settings = store.settings()?;
    let explicit = store.explicit_settings()?;
    let mut applied = Vec::new();
    let mut kept = Vec::new();
    for (setting, value) in incoming {
        let setting = *setting;
        if explicit.contains(&setting) {
            if settings.get(setting) != *value {
                kept.push(setting);
            }
            continue;
        }
        let before = settings.get(setting);
        settings.set(setting, value)?;
        if settings.get(setting) != before {
            applied.push(setting);
        }
    }
    Ok((settings, applied, kept))
}

/// Settings as the import report lists them.
fn names(settings: &[Setting]) -> String {
    settings
        .iter()
        .map(|setting| setting.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Stores a stream of reviews; a row that went bad since the first pass (the file changed
/// meanwhile) stops it, and nothing is saved.
fn store_stream(
    store: &mut Store,
    reviews: impl Iterator<Item = Result<NewReview, TransferError>>,
    scheduler: &crate::schedule::Scheduler,
) -> anyhow::Result<ImportReport> {
    match store.import_review_stream(reviews, None, scheduler) {
        Ok(report) => Ok(report),
        Err(ImportFailure::Source(error)) => Err(error.into()),
        Err(ImportFailure::Store(error)) => Err(error.into()),
    }
}
