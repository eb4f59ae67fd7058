//! `lupus-quiz export`: progress as JSON (or the review log as CSV).

use std::io::Write;
use std::path::Path;

use crate::anki;
use crate::cli::ExportArgs;
use crate::context::Context;
use crate::deck::{Catalog, Deck};
use crate::files;
use crate::ids::DeckName;
use crate::settings::Settings;
use crate::store::{BadSetting, RescuedReviews, Store, StoreError, StoredCard};

use crate::transfer::{self, CsvExport, EventEntry, Extras, JsonExport, QuizEntry, ReviewEntry};
use anyhow::Context as _;
use chrono::{DateTime, Utc};

/// `export --anki FILE.apkg`: the decks as an Anki package, optionally with progress.
fn run_anki(
    ctx: &Context,
    path: &Path,
    deck_names: &[String],
    with_progress: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    anki::check_output(path, ctx.db_path()?)?;
    let catalog = ctx.load_catalog()?;
    let decks = select_decks(&catalog, deck_names)?;
    let now = ctx.clock.now();
    let (bytes, written) = if with_progress {
        let store = ctx.open_store_to_read()?;
        let settings = store.settings()?;
        let scheduler = ctx.scheduler_for(&settings)?;
        let progress = anki::Progress {
            store: &store,
            settings: &settings,
            scheduler: &scheduler,
        };
        anki::build(&decks, Some(&progress), ctx.zone(), now)?
    } else {
        anki::build(&decks, None, ctx.zone(), now)?
    };
    let package = anki::archive(&bytes)
        .with_context(|| format!("cannot build the Anki package `{}`", path.display()))?;
    crate::files::write_atomically(path, |out| Ok(out.write_all(&package)?))?;
    writeln!(
        out,
        "wrote {}: {} deck{} under \"{}\", {} note{} (one card each){}",
        crate::text::visible_inline(&path.display().to_string()),
        written.decks,
        crate::text::plural(written.decks),
        anki::PARENT_DECK,
        written.notes,
        crate::text::plural(written.notes),
        if with_progress {
            format!(
                ", {} review{} and the schedule of {} card{}",
                written.reviews,
                crate::text::plural(written.reviews),
                written.scheduled,
                crate::text::plural(written.scheduled)
            )
        } else {
            ", all new".to_string()
        }
    )?;
    writeln!(
        out,
        "import it in Anki with File > Import (or open it in AnkiDroid); importing a newer export updates these notes in place"
    )?;
    Ok(())
}

/// The decks named, in catalog order; every deck when none is named.
fn select_decks<'c>(catalog: &'c Catalog, names: &[String]) -> anyhow::Result<Vec<&'c Deck>> {
    if names.is_empty() {
        return Ok(catalog.decks.iter().collect());
    }
    let mut wanted = Vec::new();
    for name in names {
        wanted.push(catalog.find(name)?.name.as_str());
    }
    Ok(catalog
        .decks
        .iter()
        .filter(|deck| wanted.contains(&deck.name.as_str()))
        .collect())
}

/// What the export holds beside the reviews: manual actions, quiz results, decks' limits.
fn extras(store: &Store) -> anyhow::Result<Extras> {
    Ok(Extras {
        events: store
            .events()?
            .into_iter()
            .map(|event| EventEntry {
                card: event.card_id.into_string(),
                deck: event.deck.map(DeckName::into_string).unwrap_or_default(),
                at: event.at,
                action: event.action,
            })
            .collect(),
        quizzes: store
            .quiz_results()?
            .into_iter()
            .map(|quiz| QuizEntry {
                planned: quiz.ended_early().then_some(quiz.planned),
                deck: quiz.deck.into_string(),
                at: quiz.taken_at,
                correct: quiz.correct,
                questions: quiz.questions,
            })
            .collect(),
        deck_new_per_day: store
            .deck_new_per_day()?
            .into_iter()
            .map(|(deck, limit)| (deck.into_string(), limit))
            .collect(),
    })
}

pub(crate) fn run(ctx: &Context, args: &ExportArgs, stdout: &mut dyn Write) -> anyhow::Result<()> {
    let (output, reviews_csv, anki) = (args.output.as_deref(), args.reviews_csv, &args.anki);
    if let Some(package) = &anki.anki {
        return run_anki(ctx, package, &anki.deck, anki.with_progress, stdout);
    }
    if let Some(path) = output {
        crate::export_guard::refuse_progress_files(path, ctx.db_path()?, "progress.json")?;
    }
    // Read-only: an export rescues what a damaged file still holds, beside a running import.
    let store = ctx.open_store_to_export()?;
    // A stored value this version cannot use is left out (it keeps its default in the
    // file) with a warning, rather than stopping the backup of everything else.
    let (settings, unusable) = store.settings_lenient()?;
    warn_unusable(&unusable);
    let export = Export {
        store: &store,
        settings: &settings,
        exported_at: ctx.clock.now(),
        reviews_csv,
    };
    // Set when reading failed on a damaged page: the export is then made again, row by row.
    let damaged = std::cell::Cell::new(false);
    let write = |out: &mut dyn Write| {
        export
            .write(out)
            .inspect_err(|error| damaged.set(is_damage(error)))
    };
    match output {
        Some(path) => match files::write_atomically(path, write) {
            Ok(()) => {
                // Standard output holds the export itself, as with no `-o`.
                if files::writes_to_stdout(path) {
                    return Ok(());
                }
                report_written(&store, path, reviews_csv, stdout)
            }
            Err(error) if damaged.get() && !files::writes_to_stdout(path) => {
                export.rescue(path, stdout).with_context(|| {
                    format!("the database is damaged, and reading it row by row failed too ({error})")
                })
            }
            Err(error) => Err(error.into()),
        },
        None => write(stdout).map_err(|error| {
            if damaged.get() {
                error.context(
                    "the database is damaged; `lupus-quiz export -o rescue.json` writes what can still be read into a file, row by row",
                )
            } else {
                error
            }
        }),
    }
}

/// A warning for each stored setting the export holds the default of instead.
fn warn_unusable(unusable: &[BadSetting]) {
    for bad in unusable {
        crate::error::warn(format_args!(
            "setting `{}` has an unusable value `{}`, so the export holds its default; fix it with `lupus-quiz config {} VALUE`",
            bad.key,
            crate::text::visible_inline(&bad.value),
            bad.key
        ));
    }
}

/// What `export` writes and from where: the format, the store and its settings, and the
/// time of the export.
struct Export<'a> {
    store: &'a Store,
    settings: &'a Settings,
    exported_at: DateTime<Utc>,
    /// The review log as CSV rather than the whole progress as JSON.
    reviews_csv: bool,
}

impl Export<'_> {
    /// The export, read whole.
    fn write(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        if self.reviews_csv {
            let mut export = CsvExport::begin(out)?;
            self.store
                .for_each_review(|review| export.review(&entry(review)))??;
            export.finish()?;
        } else {
            let cards = self.store.cards()?;
            let extras = extras(self.store)?;
            let mut export = JsonExport::begin(out, self.exported_at, self.settings, &cards)?;
            self.store
                .for_each_review(|review| export.review(&entry(review)))??;
            export.finish_with(&extras)?;
        }
        Ok(())
    }

    /// The export of a damaged database to `path`: every review that can still be read
    /// (row by row, skipping damaged pages), and each other part that can be read whole;
    /// what was saved and what was lost is said on stderr and stdout.
    fn rescue(&self, path: &Path, stdout: &mut dyn Write) -> anyhow::Result<()> {
        let mut err = std::io::stderr();
        let rescued = self.store.rescue_reviews();
        let (cards, extras, unread) = self.readable_parts();
        files::write_atomically(path, |out| {
            if self.reviews_csv {
                let mut export = CsvExport::begin(out)?;
                for review in &rescued.reviews {
                    export.review(&entry(review.clone()))?;
                }
                export.finish()?;
            } else {
                let mut export = JsonExport::begin(out, self.exported_at, self.settings, &cards)?;
                for review in &rescued.reviews {
                    export.review(&entry(review.clone()))?;
                }
                export.finish_with(&extras)?;
            }
            Ok(())
        })?;
        let saved = rescued.reviews.len();
        writeln!(
            err,
            "warning: the database is damaged, so it was read row by row: {saved} review{} saved, {}",
            crate::text::plural(saved),
            losses(&rescued)
        )?;
        for part in &unread {
            writeln!(
                err,
                "warning: could not be read, so not in the file: {part}"
            )?;
        }
        let shown = crate::text::visible_inline(&path.display().to_string()).into_owned();
        writeln!(
            stdout,
            "wrote {shown}: what the damaged database still holds, {saved} review{}; `lupus-quiz import {shown}` into a new database (`--db NEW.db`) brings it back",
            crate::text::plural(saved)
        )?;
        Ok(())
    }

    /// The card states and the extras of a damaged database, each as far as it can be
    /// read whole (else empty), with the parts that could not be read.
    fn readable_parts(&self) -> (Vec<StoredCard>, Extras, Vec<&'static str>) {
        let mut unread = Vec::new();
        if self.reviews_csv {
            return (Vec::new(), Extras::default(), unread);
        }
        let cards = self.store.cards().unwrap_or_else(|_| {
            unread.push("the card states (an import of this file rebuilds them from the reviews)");
            Vec::new()
        });
        let extras = extras(self.store).unwrap_or_else(|_| {
            unread.push("the suspend, unsuspend and forget actions, quiz results and deck limits");
            Extras::default()
        });
        (cards, extras, unread)
    }
}

/// How many reviews a rescue lost, and how that is known.
fn losses(rescued: &RescuedReviews) -> String {
    match (rescued.lost(), rescued.expected) {
        (0, Some(_)) => "none lost (the review totals kept beside the log agree)".to_string(),
        (0, None) => "no damaged row met".to_string(),
        (lost, Some(expected)) => format!(
            "{lost} of {expected} lost on damaged pages (by the review totals kept beside the log)"
        ),
        (lost, None) => format!(
            "{lost} row{} unreadable on damaged pages",
            crate::text::plural(lost as usize)
        ),
    }
}

/// A review as exported. A duration over a day (stored before answer times were capped)
/// is written as a day, the most import takes, so that every export can be imported again.
fn entry(review: crate::store::ReviewRecord) -> ReviewEntry {
    ReviewEntry {
        card: review.card_id.into_string(),
        at: review.at,
        rating: review.rating,
        duration_ms: review.duration_ms.min(transfer::MAX_DURATION_MS),
    }
}

/// Whether reading failed because the file is damaged.
fn is_damage(error: &anyhow::Error) -> bool {
    use rusqlite::ErrorCode;
    error.chain().any(|cause| {
        let sql = match cause.downcast_ref::<StoreError>() {
            Some(StoreError::Corrupt { .. } | StoreError::MissingTable { .. }) => return true,
            Some(StoreError::Sql(sql)) => sql,
            _ => match cause.downcast_ref::<rusqlite::Error>() {
                Some(sql) => sql,
                None => return false,
            },
        };
        matches!(
            sql.sqlite_error_code(),
            Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
        )
    })
}

/// Says what `export -o FILE` wrote, on stdout as `export --anki` and `import` do.
fn report_written(
    store: &crate::store::Store,
    path: &Path,
    reviews_csv: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let reviews = store.review_count()? as usize;
    let reviews = format!("{reviews} review{}", crate::text::plural(reviews));
    let path = crate::text::visible_inline(&path.display().to_string()).into_owned();
    if reviews_csv {
        writeln!(out, "wrote {path}: the review log, {reviews}")?;
    } else {
        let cards = store
            .card_ids_with_state::<Vec<crate::ids::CardId>>()?
            .len();
        writeln!(
            out,
            "wrote {path}: your settings, the state of {cards} card{} and {reviews}",
            crate::text::plural(cards)
        )?;
    }
    Ok(())
}
