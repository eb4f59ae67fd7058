//! `lupus-quiz import FILE`: merge progress from JSON or a CSV review log.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use crate::context::Context;
use crate::error::plural;
use crate::settings::SettingKey;
use crate::transfer;

pub fn run(ctx: &Context, file: &Path, out: &mut dyn Write) -> anyhow::Result<()> {
    let label = file.display().to_string();
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read `{label}`"))?
        .len();
    if size > transfer::MAX_PROGRESS_BYTES {
        anyhow::bail!(transfer::TransferError::TooLarge {
            file: label,
            size,
            limit: transfer::MAX_PROGRESS_BYTES
        });
    }
    let bytes = std::fs::read(file).with_context(|| format!("cannot read `{label}`"))?;
    // Everything is parsed and checked before the database is opened: a bad file changes
    // nothing.
    let incoming = transfer::read_progress(&label, &bytes)?;
    let catalog = ctx.load_catalog()?;
    let deck_of: HashMap<&str, &str> = catalog
        .cards()
        .map(|(deck, card)| (card.id.as_str(), deck.name.as_str()))
        .collect();
    let reviews = incoming.new_reviews(|id| deck_of.get(id).map(|d| d.to_string()));

    let mut store = ctx.open_store()?;
    let mut settings = store.settings()?;
    let explicit = store.explicit_settings()?;
    // Settings from the file fill in what this database has not set, so moving to a new
    // machine brings them along while a merge never overrides local choices.
    let mut applied: Vec<&SettingKey> = Vec::new();
    let mut kept = Vec::new();
    for (name, value) in &incoming.settings {
        let key = SettingKey::find(name)?;
        if explicit.iter().any(|k| k == name) {
            if settings.get(name).as_deref() != Some(value.as_str()) {
                kept.push(*name);
            }
            continue;
        }
        let before = settings.get(name);
        settings.set_key(key, value)?;
        if settings.get(name) != before {
            applied.push(key);
        }
    }
    let scheduler = Context::scheduler(&settings)?;
    let report = store.import_reviews(&reviews, Some((&settings, &applied)), &scheduler)?;
    let orphan_cards: BTreeSet<&str> = reviews
        .iter()
        .filter(|r| !deck_of.contains_key(r.card_id.as_str()))
        .map(|r| r.card_id.as_str())
        .collect();
    let orphan_reviews = reviews
        .iter()
        .filter(|r| !deck_of.contains_key(r.card_id.as_str()))
        .count();
    writeln!(
        out,
        "imported {label}: {} review{} added, {} already present (skipped), {} card{} rescheduled",
        report.added,
        plural(report.added),
        report.skipped,
        report.cards_replayed,
        plural(report.cards_replayed)
    )?;
    if orphan_reviews > 0 {
        writeln!(
            out,
            "{orphan_reviews} review{} to {} card{} that no deck has; they are kept",
            if orphan_reviews == 1 {
                " belongs"
            } else {
                "s belong"
            },
            orphan_cards.len(),
            plural(orphan_cards.len())
        )?;
    }
    if !applied.is_empty() {
        let names: Vec<&str> = applied.iter().map(|k| k.name).collect();
        writeln!(out, "settings taken from the file: {}", names.join(", "))?;
    }
    if !kept.is_empty() {
        writeln!(
            out,
            "settings kept as set here (the file differs): {}",
            kept.join(", ")
        )?;
    }
    Ok(())
}
