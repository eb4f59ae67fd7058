//! `lupus-quiz doctor [--repair]`: checks the progress database as Anki's "Check database"
//! does, and rebuilds the card states from the review log when asked.
//!
//! The review log is never changed: a card state is a cache of its log, so rebuilding every
//! state from the log is always safe, and it is all `--repair` does (after a backup copy).

use std::collections::BTreeMap;
use std::io::Write;

use anyhow::{Context as _, bail};

use crate::cli::DoctorArgs;
use crate::clock::format_instant;
use crate::context::Context;
use crate::deck::Catalog;
use crate::ids::{CardId, DeckName};
use crate::schedule::Scheduler;
use crate::store::{StateMismatch, Store, StoredCard, exposed_files, restore_advice};
use crate::text::plural;
use crate::text::visible;

/// The sync folder and the devices seen in it (notes, never problems: a folder that
/// cannot be read is warned about by every other command).
fn report_devices(store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    let Ok(Some(setup)) = store.sync_setup() else {
        return Ok(());
    };
    let Some(folder) = &setup.folder else {
        return Ok(());
    };
    writeln!(
        out,
        "note: sync folder `{}`; this device is {}",
        crate::sync::shown(folder),
        setup.device
    )?;
    let files = store.merged_files().unwrap_or_default();
    if files.is_empty() {
        writeln!(out, "note: no other device seen in the sync folder yet")?;
    }
    for file in files {
        let name = std::path::Path::new(&file.path)
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        writeln!(
            out,
            "note: device {} seen in `{}`, last merged {}",
            visible(&file.device),
            crate::text::visible_inline(&name),
            format_instant(file.merged_at)
        )?;
    }
    Ok(())
}

/// How many differing cards are listed one by one before the rest is summed up.
const LISTED: usize = 20;

pub(crate) fn run(ctx: &Context, args: &DoctorArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let repair = args.repair;
    // Read-only unless repairing: a damaged file is still opened, to list what it holds.
    let mut store = if repair {
        ctx.open_store()?
    } else {
        ctx.open_store_for_doctor()?
    };
    let reviews = match store.review_count() {
        Ok(count) => format!("{count} review{}", plural(count as usize)),
        Err(_) => "its review log cannot be read".to_string(),
    };
    writeln!(
        out,
        "Checking `{}` ({reviews}).",
        crate::text::visible_inline(&store.path().display().to_string())
    )?;

    let (found, scheduler) = run_checks(ctx, &store, out)?;
    report_devices(&store, out)?;
    if repair {
        make_private(&store, out)?;
    }
    if !repair {
        if found.problems == 0 {
            writeln!(out, "No problems found.")?;
            return Ok(());
        }
        bail!(
            "{} problem{} found; {}",
            found.problems,
            plural(found.problems),
            advice(found.damage, &store)
        );
    }
    if found.damage > 0 {
        bail!(
            "the file itself is damaged, which rebuilding card states cannot mend; nothing was changed: {}",
            advice(found.damage, &store)
        );
    }
    let Some(scheduler) = scheduler else {
        bail!(
            "nothing was repaired: fix the settings named above first (`lupus-quiz config KEY VALUE`, or `lupus-quiz config --reset KEY`), then run `lupus-quiz doctor --repair` again"
        );
    };
    repair_states(ctx, &mut store, &scheduler, out)
}

/// Runs every check, and returns what they found with the scheduler of the stored
/// settings (`None` when they are unusable). Each check runs even when one before it
/// failed: every problem the file still lets us read is listed, and one that cannot be
/// read is itself a problem.
fn run_checks(
    ctx: &Context,
    store: &Store,
    out: &mut dyn Write,
) -> anyhow::Result<(Found, Option<Scheduler>)> {
    let mut found = Found::default();
    let damage = found.check(out, "SQLite's integrity checks", |out| {
        sqlite_checks(store, out)
    })?;
    found.damage += damage;
    let scheduler = found.check(out, "the settings", |out| report_settings(ctx, store, out))?;
    match &scheduler {
        Some(scheduler) => {
            found.check(out, "the card states", |out| {
                let mismatches = store.state_mismatches(scheduler)?;
                report_mismatches(&mismatches, store, out)?;
                Ok(mismatches.len())
            })?;
        }
        None => writeln!(
            out,
            "note: the card states were not compared with the review log, since that depends on the settings above"
        )?,
    }
    found.check(out, "the review totals", |out| {
        Ok(usize::from(report_totals(store, out)?))
    })?;
    found.check(out, "the answer times", |out| report_durations(store, out))?;
    found.check(out, "the decks' reviews", |out| {
        report_orphans(ctx, store, out)?;
        Ok(0)
    })?;
    found.check(out, "who can read the files", |out| {
        report_exposed(store, out)
    })?;
    Ok((found, scheduler))
}

/// What the checks found so far.
#[derive(Default)]
struct Found {
    problems: usize,
    /// Problems of the file itself, which only a backup mends.
    damage: usize,
}

impl Found {
    /// Runs one check, which reports on `out` and returns what it found (a count of
    /// problems, or the scheduler of the settings). A check that fails is a problem of the
    /// file, reported with the reason; the next check runs all the same.
    fn check<T: Checked>(
        &mut self,
        out: &mut dyn Write,
        what: &str,
        check: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
    ) -> anyhow::Result<T> {
        match check(out) {
            Ok(value) => {
                self.problems += value.problems();
                Ok(value)
            }
            Err(error) if error.downcast_ref::<std::io::Error>().is_some() => Err(error),
            Err(error) => {
                writeln!(out, "problem: cannot check {what}: {error:#}")?;
                self.problems += 1;
                self.damage += 1;
                Ok(T::failed())
            }
        }
    }
}

/// What a check returns: how many problems it counted, and its value when it failed.
trait Checked {
    fn problems(&self) -> usize;
    fn failed() -> Self;
}

impl Checked for usize {
    fn problems(&self) -> usize {
        *self
    }
    fn failed() -> Self {
        0
    }
}

/// The settings check: the scheduler of the stored settings, or `None` (and a problem per
/// unusable value) when one cannot be used.
impl Checked for Option<Scheduler> {
    fn problems(&self) -> usize {
        usize::from(self.is_none())
    }
    fn failed() -> Self {
        None
    }
}

/// Names every stored setting this version cannot use; the scheduler when all are usable.
fn report_settings(
    ctx: &Context,
    store: &Store,
    out: &mut dyn Write,
) -> anyhow::Result<Option<Scheduler>> {
    let (settings, bad) = store.settings_lenient()?;
    for bad in &bad {
        writeln!(
            out,
            "problem: setting `{}` has an unusable value `{}`: {}; fix it with `lupus-quiz config {} VALUE`, or `lupus-quiz config --reset {}`",
            bad.key,
            visible(&bad.value),
            bad.message,
            bad.key,
            bad.key
        )?;
    }
    if !bad.is_empty() {
        return Ok(None);
    }
    writeln!(out, "ok: the settings")?;
    Ok(Some(ctx.scheduler_for(&settings)?))
}

/// Reviews whose recorded time is over a day: an older version accepted any, and they
/// would skew the study time in `stats`.
fn report_durations(store: &Store, out: &mut dyn Write) -> anyhow::Result<usize> {
    let overlong = store.overlong_durations()?;
    if overlong == 0 {
        writeln!(out, "ok: every answer time is under a day")?;
        return Ok(0);
    }
    writeln!(
        out,
        "problem: {overlong} review{} recorded as taking longer than a day (`--repair` counts {} as a day)",
        plural(overlong as usize),
        if overlong == 1 { "it" } else { "them" }
    )?;
    Ok(1)
}

/// Names each progress file (the database, its journals, its backups) that other users
/// can open; returns how many.
fn report_exposed(store: &Store, out: &mut dyn Write) -> anyhow::Result<usize> {
    let exposed = exposed_files(store.path());
    if exposed.is_empty() {
        writeln!(
            out,
            "ok: the database and its backups can be read by you only"
        )?;
        return Ok(0);
    }
    for file in &exposed {
        writeln!(
            out,
            "problem: `{}` can be read by other users (permissions {:04o}); `--repair` makes it yours only ({:04o})",
            visible(&file.path.display().to_string()),
            file.mode,
            file.private_mode()
        )?;
    }
    Ok(exposed.len())
}

/// Takes the group's and other users' permissions away from every progress file that
/// has them (`doctor --repair`), before anything else: it needs no readable database.
fn make_private(store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    for file in exposed_files(store.path()) {
        file.make_private().with_context(|| {
            format!(
                "cannot change the permissions of `{}`",
                visible(&file.path.display().to_string())
            )
        })?;
        writeln!(
            out,
            "Made `{}` yours only (permissions {:04o}, were {:04o}).",
            visible(&file.path.display().to_string()),
            file.private_mode(),
            file.mode
        )?;
    }
    Ok(())
}

/// What to do about what was found.
fn advice(damage: usize, store: &Store) -> String {
    if damage > 0 {
        restore_advice(store.path())
    } else {
        "run `lupus-quiz doctor --repair` to rebuild the card states and review totals from the review log (a backup copy is written first; no review is deleted)".to_string()
    }
}

/// Runs SQLite's integrity checks; returns how many problems they reported.
fn sqlite_checks(store: &Store, out: &mut dyn Write) -> anyhow::Result<usize> {
    let mut damage = 0;
    for (name, lines) in [
        ("integrity_check", store.integrity_check()?),
        ("quick_check", store.quick_check()?),
    ] {
        if lines == ["ok"] {
            writeln!(out, "ok: {name}")?;
        } else {
            damage += lines.len();
            for line in lines.iter().flat_map(|line| line.lines()) {
                writeln!(out, "problem: {name}: {line}")?;
            }
        }
    }
    Ok(damage)
}

/// Compares the review totals `stats` reads with the log; true when they differ.
fn report_totals(store: &Store, out: &mut dyn Write) -> anyhow::Result<bool> {
    let differing = store.totals_mismatches()?;
    if differing == 0 {
        writeln!(
            out,
            "ok: the review totals that `stats` reads match the log"
        )?;
    } else {
        writeln!(
            out,
            "problem: the review totals that `stats` reads differ from the log in {differing} quarter-hour{}",
            plural(differing as usize)
        )?;
    }
    Ok(differing > 0)
}

fn report_mismatches(
    mismatches: &[StateMismatch],
    store: &Store,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let cards = store.cards()?.len();
    if mismatches.is_empty() {
        let events = store.event_count()? as usize;
        let actions = if events > 0 {
            format!(
                " (with {events} suspend, unsuspend or forget action{})",
                plural(events)
            )
        } else {
            String::new()
        };
        writeln!(
            out,
            "ok: {cards} card state{} match their review logs{actions}",
            plural(cards)
        )?;
        return Ok(());
    }
    for mismatch in mismatches.iter().take(LISTED) {
        writeln!(out, "problem: {}", describe(mismatch))?;
    }
    if mismatches.len() > LISTED {
        writeln!(
            out,
            "problem: and {} more card{} whose state differs from the log",
            mismatches.len() - LISTED,
            plural(mismatches.len() - LISTED)
        )?;
    }
    Ok(())
}

/// One line about a card whose state is not its log's.
fn describe(mismatch: &StateMismatch) -> String {
    let id = visible(mismatch.card_id.as_str());
    match (&mismatch.stored, &mismatch.replayed) {
        (None, _) => format!("card `{id}` has reviews but no stored state"),
        (Some(_), None) => format!("card `{id}` has a stored state but no review"),
        (Some(stored), Some(replayed)) => {
            let mut differences = differences(stored, replayed);
            if mismatch.kinds_differ > 0 {
                differences.push(format!(
                    "{} review{} of the wrong kind",
                    mismatch.kinds_differ,
                    plural(mismatch.kinds_differ)
                ));
            }
            format!(
                "card `{id}` differs from its review log: {}",
                differences.join(", ")
            )
        }
    }
}

fn deck_shown(deck: Option<&DeckName>) -> String {
    deck.map_or_else(|| "none".into(), |deck| visible(deck.as_str()).into_owned())
}

/// The fields that differ, each as `stored (log: replayed)`.
fn differences(stored: &StoredCard, replayed: &StoredCard) -> Vec<String> {
    let (a, b) = (&stored.state, &replayed.state);
    let time = |t: Option<chrono::DateTime<chrono::Utc>>| t.map_or("none".into(), format_instant);
    let fields: [(&str, String, String); 11] = [
        (
            "deck",
            deck_shown(stored.deck.as_ref()),
            deck_shown(replayed.deck.as_ref()),
        ),
        ("phase", a.phase.as_str().into(), b.phase.as_str().into()),
        ("due", format_instant(a.due), format_instant(b.due)),
        (
            "stability",
            a.stability.to_string(),
            b.stability.to_string(),
        ),
        (
            "difficulty",
            a.difficulty.to_string(),
            b.difficulty.to_string(),
        ),
        ("reps", a.reps.to_string(), b.reps.to_string()),
        ("lapses", a.lapses.to_string(), b.lapses.to_string()),
        ("step", a.step.to_string(), b.step.to_string()),
        ("last review", time(a.last_review), time(b.last_review)),
        ("leech", a.leech.to_string(), b.leech.to_string()),
        (
            "suspended",
            stored.suspended.to_string(),
            replayed.suspended.to_string(),
        ),
    ];
    fields
        .into_iter()
        .filter(|(_, stored, replayed)| stored != replayed)
        .map(|(name, stored, replayed)| format!("{name} {stored} (log: {replayed})"))
        .collect()
}

/// Lists reviews of cards no deck has, grouped by the deck they were last reviewed in:
/// a whole deck that is gone, or single cards a deck no longer has. Both are kept on
/// purpose (the cards come back with their deck), so they are notes, not problems.
fn report_orphans(ctx: &Context, store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    let catalog = match ctx.load_catalog() {
        Ok(catalog) => catalog,
        Err(error) => {
            writeln!(
                out,
                "note: the decks could not be loaded, so reviews were not matched to cards ({}); see `lupus-quiz check`",
                error.to_string().lines().next().unwrap_or_default()
            )?;
            return Ok(());
        }
    };
    let index = catalog.card_index();
    // Last deck → (cards, reviews) of the orphans reviewed in it.
    let mut orphans: BTreeMap<Option<DeckName>, Vec<(CardId, u64)>> = BTreeMap::new();
    for card in store.logged_cards()? {
        if !index.holds(card.card_id.as_str()) {
            orphans
                .entry(card.deck)
                .or_default()
                .push((card.card_id, card.reviews));
        }
    }
    for (deck_name, cards) in &orphans {
        writeln!(out, "{}", orphan_note(&catalog, deck_name.as_ref(), cards))?;
    }
    Ok(())
}

/// The note on the orphaned reviews of `cards`, last reviewed in deck `deck_name`.
fn orphan_note(catalog: &Catalog, deck_name: Option<&DeckName>, cards: &[(CardId, u64)]) -> String {
    let reviews: u64 = cards.iter().map(|(_, n)| n).sum();
    let counts = format!(
        "{} review{} of {} card{}",
        reviews,
        plural(reviews as usize),
        cards.len(),
        plural(cards.len())
    );
    let are = if reviews == 1 { "is" } else { "are" };
    let Some(deck_name) = deck_name else {
        return format!(
            "note: {counts} that no deck has {are} kept and will count again if a deck with them comes back"
        );
    };
    let deck = visible(deck_name.as_str());
    if catalog.left_out.contains(deck_name) {
        format!(
            "note: deck `{deck}` is left out for problems in its file (see `lupus-quiz check`); {counts} {are} kept and will count again once it loads"
        )
    } else if catalog.deck(deck_name.as_str()).is_some() {
        let ids: Vec<String> = cards
            .iter()
            .map(|(id, _)| format!("`{}`", visible(id.as_str())))
            .collect();
        format!(
            "note: orphaned reviews: {counts} that deck `{deck}` no longer has ({}); they are kept",
            ids.join(", ")
        )
    } else {
        format!(
            "note: deck `{deck}` is gone; {counts} {are} kept and will count again if the deck comes back"
        )
    }
}

/// Backs up, rebuilds every card state from its log, and checks again.
fn repair_states(
    ctx: &Context,
    store: &mut Store,
    scheduler: &Scheduler,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let reviews = store.review_count()?;
    let backup = store
        .backup_before_repair(ctx.clock.now())
        .context("nothing was repaired, since the backup copy could not be written")?;
    writeln!(
        out,
        "Backup written: `{}`",
        crate::text::visible_inline(&backup.display().to_string())
    )?;
    let capped = store.cap_durations()?;
    if capped > 0 {
        writeln!(
            out,
            "Counted {capped} answer time{} of over a day as a day.",
            plural(capped)
        )?;
    }
    let rebuilt = store.replay_all(scheduler)?;
    let dropped = store.drop_states_without_reviews()?;
    writeln!(
        out,
        "Rebuilt {rebuilt} card state{} from the review log.",
        plural(rebuilt)
    )?;
    if dropped > 0 {
        writeln!(
            out,
            "Removed {dropped} card state{} that had no review behind {}.",
            plural(dropped),
            if dropped == 1 { "it" } else { "them" }
        )?;
    }
    let left = store.state_mismatches(scheduler)?;
    debug_assert_eq!(store.review_count()?, reviews);
    if !left.is_empty() || store.totals_mismatches()? > 0 {
        bail!(
            "{} card state{} (or the review totals) still differ from the log after the rebuild; please report this, with the backup `{}`",
            left.len(),
            plural(left.len()),
            backup.display()
        );
    }
    writeln!(
        out,
        "Every card state and the review totals now match the review log; all {reviews} review{} are kept.",
        plural(reviews as usize)
    )?;
    Ok(())
}
