//! `lupus-quiz export`: progress as JSON (or the review log as CSV).

use std::io::Write;
use std::path::Path;

use crate::cli::AnkiArgs;
use crate::context::Context;
use crate::files;
use crate::ids::DeckName;
use crate::store::Store;
use crate::transfer::{self, EventEntry, Extras, JsonExport, QuizEntry, ReviewEntry};

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

pub(crate) fn run(
    ctx: &Context,
    output: Option<&Path>,
    reviews_csv: bool,
    anki: &AnkiArgs,
    stdout: &mut dyn Write,
) -> anyhow::Result<()> {
    if let Some(package) = &anki.anki {
        return crate::anki::run(ctx, package, &anki.deck, anki.with_progress, stdout);
    }
    if let Some(path) = output {
        files::refuse_progress_files(path, ctx.db_path()?, "progress.json")?;
    }
    // Read-only: an export rescues what a damaged file still holds, beside a running import.
    let store = ctx.open_store_to_read()?;
    // A stored value this version cannot use is left out (it keeps its default in the
    // file) with a warning, rather than stopping the backup of everything else.
    let (settings, unusable) = store.settings_lenient()?;
    for bad in &unusable {
        crate::error::warn(format_args!(
            "setting `{}` has an unusable value `{}`, so the export holds its default; fix it with `lupus-quiz config {} VALUE`",
            bad.key,
            crate::text::visible_inline(&bad.value),
            bad.key
        ));
    }
    let write = |out: &mut dyn Write| -> anyhow::Result<()> {
        // A duration over a day (stored before answer times were capped) is written as a
        // day, the most import takes, so that every export can be imported again.
        let entry = |review: crate::store::ReviewRecord| ReviewEntry {
            card: review.card_id.into_string(),
            at: review.at,
            rating: review.rating,
            duration_ms: review.duration_ms.min(transfer::MAX_DURATION_MS),
        };
        if reviews_csv {
            transfer::write_csv_header(out)?;
            store.for_each_review(|review| transfer::write_csv_review(out, &entry(review)))??;
            out.flush()?;
        } else {
            let cards = store.cards()?;
            let extras = extras(&store)?;
            let mut export = JsonExport::begin(out, ctx.clock.now(), &settings, &cards)?;
            store.for_each_review(|review| export.review(&entry(review)))??;
            export.finish_with(&extras)?;
        }
        Ok(())
    };
    match output {
        Some(path) => {
            files::write_atomically(path, write)?;
            report_written(&store, path, reviews_csv, stdout)
        }
        None => write(stdout),
    }
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
