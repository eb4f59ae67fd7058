//! `lupus-quiz export`: progress as JSON (or the review log as CSV).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context as _;

use crate::cli::AnkiArgs;
use crate::context::Context;
use crate::transfer::{self, JsonExport, ReviewEntry};

pub fn run(
    ctx: &Context,
    output: Option<&Path>,
    reviews_csv: bool,
    anki: &AnkiArgs,
    stdout: &mut dyn Write,
) -> anyhow::Result<()> {
    if let Some(package) = &anki.anki {
        return crate::anki::run(ctx, package, &anki.deck, anki.with_progress, stdout);
    }
    let store = ctx.open_store()?;
    let mut file;
    let out: &mut dyn Write = match output {
        Some(path) => {
            file = BufWriter::new(
                File::create(path).with_context(|| format!("cannot write `{}`", path.display()))?,
            );
            &mut file
        }
        None => stdout,
    };
    let entry = |review: crate::store::ReviewRecord| ReviewEntry {
        card: review.card_id,
        at: review.at,
        rating: review.rating,
        duration_ms: review.duration_ms,
    };
    if reviews_csv {
        transfer::write_csv_header(out)?;
        store.for_each_review(|review| transfer::write_csv_review(out, &entry(review)))??;
        out.flush()?;
    } else {
        let settings = store.settings()?;
        let cards = store.cards()?;
        let mut export = JsonExport::begin(out, ctx.clock.now(), &settings, &cards)?;
        store.for_each_review(|review| export.review(&entry(review)))??;
        export.finish()?;
    }
    Ok(())
}
