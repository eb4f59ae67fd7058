//! `lupus-quiz import FILE.apkg` (or `.colpkg`): what was done in Anki or AnkiDroid comes
//! back. The package is read and checked whole before the database is opened, so a bad
//! package changes nothing. Our notes' answers become reviews and their manual actions
//! events, merged by the same import as a progress file (idempotent), and the notes that
//! are not ours are reported, or with `--as-deck NAME` written as a deck.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};
use chrono::{DateTime, TimeDelta, Utc};

use crate::anki::read::{self, ForeignCards, NotMapped, Package, Returned};
use crate::cli::ImportArgs;
use crate::context::Context;
use crate::deck::is_kebab_case;
use crate::ids::{CardId, DeckName};
use crate::schedule::CardAction;
use crate::store::{CardEvent, ImportExtras, ImportReport, NewReview, Store};
use crate::text::{plural, visible_inline};

/// Whether `file` is to be read as an Anki package: named `.apkg` or `.colpkg`, or a zip
/// archive whatever its name (a progress file never starts as one).
pub(crate) fn is_package(file: &Path) -> bool {
    let named = file
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("apkg") || e.eq_ignore_ascii_case("colpkg"));
    named || starts_as_zip(file)
}

fn starts_as_zip(file: &Path) -> bool {
    use std::io::Read as _;
    let Ok((mut opened, _)) = crate::files::open_regular(file) else {
        return false;
    };
    let mut start = [0u8; 4];
    opened.read_exact(&mut start).is_ok() && start == *b"PK\x03\x04"
}

pub(crate) fn run(ctx: &Context, args: &ImportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let label = visible_inline(&args.file.display().to_string()).into_owned();
    let deck_target = match &args.as_deck {
        Some(name) => Some(deck_target(ctx, name)?),
        None => None,
    };
    let (file, _) = crate::files::open_regular(&args.file)
        .map_err(|e| anyhow::anyhow!("cannot read `{label}`: {e}"))?;
    let package = read::read_package(file, &crate::paths::temp_dir())
        .with_context(|| format!("cannot import `{label}`"))?;
    let catalog = ctx.load_catalog()?;
    let mut known = HashMap::new();
    let mut deck_of = HashMap::new();
    for deck in &catalog.decks {
        for id in deck.cards.ids() {
            known.insert(crate::anki::note_guid(id), CardId::from(id));
            deck_of.insert(CardId::from(id), deck.name.clone());
        }
    }
    drop(catalog);
    let returned = read::returned(&package, &known, ctx.clock.now())
        .with_context(|| format!("cannot import `{label}`"))?;
    let file_name = args.file.file_name().unwrap_or_default().to_string_lossy();
    let file_name = visible_inline(&file_name);
    let foreign = deck_target
        .as_ref()
        .map(|(name, _)| read::foreign_cards(&package, &returned.foreign_notes, name, &file_name));
    let mut store = if args.dry_run {
        ctx.open_store_to_read()?
    } else {
        ctx.open_store()?
    };
    let scheduler = ctx.scheduler(&store)?;
    let (reviews, extras) = progress_of(&store, &returned, &deck_of)?;
    let report = if args.dry_run {
        store.preview_import(&reviews, &extras, &scheduler)?
    } else {
        store.import_progress(&reviews, &extras, None, &scheduler)?
    };
    let written = match (&deck_target, &foreign) {
        (Some((_, path)), Some(cards)) if !args.dry_run => write_deck(path, cards)?,
        _ => None,
    };
    let orphans = reviews.iter().filter(|r| r.deck.is_none()).count();
    let summary = Summary {
        label: &label,
        package: &package,
        returned: &returned,
        report: &report,
        orphans,
    };
    summary.write(out, args.dry_run)?;
    write_foreign(
        out,
        &returned,
        deck_target.as_ref(),
        foreign.as_ref(),
        written,
    )
}

/// The deck `--as-deck NAME` writes, checked before anything is read: a kebab-case name
/// that no deck has yet, in the decks folder.
fn deck_target(ctx: &Context, name: &str) -> anyhow::Result<(String, PathBuf)> {
    if !is_kebab_case(name) {
        bail!(
            "--as-deck `{}`: a deck name is kebab-case (lowercase letters, digits, single hyphens), such as `my-anki-deck`",
            visible_inline(name)
        );
    }
    let Some(folder) = &ctx.decks_dir else {
        bail!("--as-deck needs a decks folder: pass --decks DIR (or set LUPUS_QUIZ_DECKS)");
    };
    let target = folder.join(format!("{name}.yaml"));
    let catalog = ctx.load_catalog()?;
    // The deck an earlier import of the same package wrote is checked when it is written.
    let other = catalog.decks.iter().any(|deck| {
        deck.name.as_str() == name && deck.origin != crate::deck::DeckOrigin::File(target.clone())
    });
    if other {
        bail!("--as-deck `{name}`: a deck of that name exists already; choose another name");
    }
    Ok((name.to_string(), target))
}

/// Writes the deck, unless an identical file is there already (a second import of the
/// same package); a different file of that name is never overwritten. Returns whether it
/// was written.
fn write_deck(path: &Path, cards: &ForeignCards) -> anyhow::Result<Option<bool>> {
    let Some(yaml) = &cards.yaml else {
        return Ok(None);
    };
    match std::fs::read(path) {
        Ok(existing) if existing == yaml.as_bytes() => return Ok(Some(false)),
        Ok(_) => bail!(
            "`{}` exists already and differs; --as-deck never overwrites a deck file: choose another name or move it away",
            path.display()
        ),
        Err(_) => {}
    }
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)
            .with_context(|| format!("cannot create the decks folder `{}`", folder.display()))?;
    }
    crate::files::write_atomically(path, |out| Ok(out.write_all(yaml.as_bytes())?))
        .with_context(|| format!("cannot write the deck `{}`", path.display()))?;
    Ok(Some(true))
}

/// The reviews and manual actions to merge: every answer in Anki, every "reset card" as
/// `forget`, and a suspension that differs here as `suspend` or `unsuspend`.
fn progress_of(
    store: &Store,
    returned: &Returned,
    deck_of: &HashMap<CardId, DeckName>,
) -> anyhow::Result<(Vec<NewReview>, ImportExtras)> {
    let mut reviews: Vec<NewReview> = returned
        .reviews
        .iter()
        .map(|review| NewReview {
            deck: deck_of.get(&review.card_id).cloned(),
            card_id: review.card_id.clone(),
            at: review.at,
            rating: review.rating,
            duration_ms: review.duration_ms,
        })
        .collect();
    align_with_log(store, &mut reviews)?;
    let mut events: Vec<CardEvent> = returned
        .forgets
        .iter()
        .map(|(card_id, at)| CardEvent {
            card_id: card_id.clone(),
            deck: deck_of.get(card_id).cloned(),
            at: *at,
            action: CardAction::Forget,
        })
        .collect();
    let last_from_anki = last_entries(returned);
    for (card_id, action, at) in suspensions(store, returned)? {
        // After everything this import brings for the card, so the replay applies it last.
        let after = last_from_anki
            .get(&card_id)
            .map(|at| *at + TimeDelta::milliseconds(1));
        events.push(CardEvent {
            deck: deck_of.get(&card_id).cloned(),
            at: after.map_or(at, |after| after.max(at)),
            card_id,
            action,
        });
    }
    let extras = ImportExtras {
        events,
        ..ImportExtras::default()
    };
    Ok((reviews, extras))
}

/// Gives each review the time of the same answer in our log, where it is there. Anki's
/// review log is keyed by time, so an answer whose millisecond another answer (of any card)
/// had already taken is moved on by a millisecond or a few, by our export and by Anki
/// alike: an answer of the card with the same button up to a second before it is that
/// answer (no one answers one card twice within a second).
fn align_with_log(store: &Store, reviews: &mut [NewReview]) -> anyhow::Result<()> {
    let mut logged: HashMap<CardId, Vec<(DateTime<Utc>, crate::schedule::Rating)>> = HashMap::new();
    for review in reviews.iter_mut() {
        if !logged.contains_key(&review.card_id) {
            let of_card = store.reviews_of(&review.card_id)?;
            let times = of_card.iter().map(|r| (r.at, r.rating)).collect();
            logged.insert(review.card_id.clone(), times);
        }
        let window = review.at - TimeDelta::seconds(1)..=review.at;
        if let Some((at, _)) = logged[&review.card_id]
            .iter()
            .rev()
            .find(|(at, rating)| window.contains(at) && *rating == review.rating)
        {
            review.at = *at;
        }
    }
    Ok(())
}

/// The time of each card's latest review or forget from Anki.
fn last_entries(returned: &Returned) -> HashMap<CardId, DateTime<Utc>> {
    let mut last: HashMap<CardId, DateTime<Utc>> = HashMap::new();
    let entries = returned.reviews.iter().map(|r| (&r.card_id, r.at));
    for (card_id, at) in entries.chain(returned.forgets.iter().map(|(c, at)| (c, *at))) {
        let slot = last.entry(card_id.clone()).or_insert(at);
        *slot = (*slot).max(at);
    }
    last
}

/// The cards whose suspension in Anki differs from here, changed in Anki after their last
/// entry here, with the action that makes them agree and its time. Anki logs no suspension,
/// so the card's last change there is the time; a card changed here since keeps its state.
fn suspensions(
    store: &Store,
    returned: &Returned,
) -> anyhow::Result<Vec<(CardId, CardAction, DateTime<Utc>)>> {
    let here: HashMap<CardId, bool> = store
        .cards_by_id(returned.suspension.iter().map(|s| s.card_id.as_str()))?
        .into_iter()
        .map(|card| (card.card_id, card.suspended))
        .collect();
    let mut actions = Vec::new();
    for anki in &returned.suspension {
        if here.get(&anki.card_id).copied().unwrap_or(false) == anki.suspended {
            continue;
        }
        let last_review = store.reviews_of(&anki.card_id)?.last().map(|r| r.at);
        let last_event = store.events_of(&anki.card_id)?.last().map(|e| e.at);
        if last_review
            .max(last_event)
            .is_some_and(|last| last >= anki.changed_at)
        {
            continue;
        }
        let action = if anki.suspended {
            CardAction::Suspend
        } else {
            CardAction::Unsuspend
        };
        actions.push((anki.card_id.clone(), action, anki.changed_at));
    }
    Ok(actions)
}

/// The report of what came back.
struct Summary<'a> {
    label: &'a str,
    package: &'a Package,
    returned: &'a Returned,
    report: &'a ImportReport,
    /// Reviews of cards that no deck has.
    orphans: usize,
}

impl Summary<'_> {
    fn write(&self, out: &mut dyn Write, dry_run: bool) -> anyhow::Result<()> {
        let (report, returned) = (self.report, self.returned);
        let (verb, added) = if dry_run {
            ("would import", "would be added")
        } else {
            ("imported", "added")
        };
        writeln!(
            out,
            "{verb} {} (Anki package, {}, schema {}): {} note{} from lupus-quiz",
            self.label,
            self.package.layout.describe(),
            self.package.schema,
            returned.our_notes,
            plural(returned.our_notes)
        )?;
        writeln!(
            out,
            "reviews: {} {added}, {} already present (skipped); {} card{} rescheduled",
            report.added,
            report.skipped,
            report.cards_replayed,
            plural(report.cards_replayed)
        )?;
        writeln!(
            out,
            "events: {} forget, suspend or unsuspend action{} {added}",
            report.events_added,
            plural(report.events_added)
        )?;
        write_not_mapped(out, &returned.not_mapped)?;
        if self.orphans > 0 {
            writeln!(
                out,
                "{} review{} of cards that no deck has; they are kept",
                self.orphans,
                plural(self.orphans)
            )?;
        }
        if dry_run {
            writeln!(out, "dry run: nothing was written")?;
        }
        Ok(())
    }
}

/// The review log entries that have no meaning here, when there are any.
fn write_not_mapped(out: &mut dyn Write, not_mapped: &NotMapped) -> anyhow::Result<()> {
    let parts: Vec<String> = [
        (
            not_mapped.rescheduled,
            "due date set or rescheduled in Anki",
            "due dates set or rescheduled in Anki",
        ),
        (
            not_mapped.cramming,
            "answer in a filtered deck that did not reschedule",
            "answers in filtered decks that did not reschedule",
        ),
        (
            not_mapped.of_deleted_cards,
            "entry of a card deleted in Anki",
            "entries of cards deleted in Anki",
        ),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    if !parts.is_empty() {
        writeln!(
            out,
            "not imported, with no meaning here: {}",
            parts.join(", ")
        )?;
    }
    Ok(())
}

/// What became of the notes that are not ours.
fn write_foreign(
    out: &mut dyn Write,
    returned: &Returned,
    target: Option<&(String, PathBuf)>,
    cards: Option<&ForeignCards>,
    written: Option<bool>,
) -> anyhow::Result<()> {
    let notes = returned.foreign_notes.len();
    let (Some((name, path)), Some(cards)) = (target, cards) else {
        if notes > 0 {
            writeln!(
                out,
                "{notes} note{} not from lupus-quiz, not imported (--as-deck NAME writes them as a deck)",
                plural(notes)
            )?;
        }
        return Ok(());
    };
    let status = match written {
        Some(true) => format!("written to {}", visible_inline(&path.display().to_string())),
        Some(false) => "already there, unchanged".to_string(),
        None if cards.cards == 0 => "not written: no card could be made".to_string(),
        None => "not written (dry run)".to_string(),
    };
    writeln!(
        out,
        "{notes} note{} not from lupus-quiz: deck `{name}` of {} card{}, {status}",
        plural(notes),
        cards.cards,
        plural(cards.cards)
    )?;
    if cards.notes_skipped > 0 || cards.media_skipped > 0 {
        writeln!(
            out,
            "left out: {} note{} with no text to ask or answer, {} image{}, sound{} or video{}",
            cards.notes_skipped,
            plural(cards.notes_skipped),
            cards.media_skipped,
            plural(cards.media_skipped),
            plural(cards.media_skipped),
            plural(cards.media_skipped)
        )?;
    }
    Ok(())
}
