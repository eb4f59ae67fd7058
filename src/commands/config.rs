//! `lupus-quiz config [KEY [VALUE]]`: list, show and change settings.

use std::io::Write;

use crate::cli::ConfigArgs;
use crate::context::Context;
use crate::settings::{Setting, Settings};
use crate::store::BadSetting;
use crate::text::plural;

pub(crate) fn run(ctx: &Context, args: &ConfigArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (key, value, reset) = (args.key.as_deref(), args.value.as_deref(), args.reset);
    if key == Some(crate::sync::SYNC_DIR) {
        return super::sync::run_config(ctx, args, out);
    }
    if let (Some(deck), Some(name)) = (args.deck.as_deref(), key) {
        return run_for_deck(ctx, args, name, deck, out);
    }
    let mut store = ctx.open_store()?;
    // Lenient: `config` is how a stored value that cannot be used gets fixed.
    let (mut settings, bad) = store.settings_lenient()?;
    let Some(name) = key else {
        list(&settings, &store.explicit_settings()?, &bad, out)?;
        list_deck_limits(&store, out)?;
        return super::sync::list_sync_dir(&store, out);
    };
    let setting: Setting = name.parse()?;
    let before = settings.get(setting);
    if reset {
        // The default, checked against the other settings before anything is stored.
        settings.set(setting, &Settings::default().get(setting))?;
        let scheduler = ctx.scheduler_for(&settings)?;
        let rescheduled = store.reset_settings(&[setting], &scheduler)?;
        writeln!(out, "{} = {} (default)", setting, shown(&settings, setting))?;
        return report_rescheduled(setting, before != settings.get(setting), rescheduled, out);
    }
    let Some(value) = value else {
        writeln!(out, "{}", shown(&settings, setting))?;
        return Ok(());
    };
    settings.set_by_user(setting, value)?;
    // The whole configuration is checked before saving, so a bad combination is never stored.
    let scheduler = ctx.scheduler_for(&settings)?;
    let changed = before != settings.get(setting);
    // Card states are a cache of the log under the current settings, so a setting that
    // changes schedules is stored together with the states it gives, in one transaction.
    let rescheduled = if setting.affects_schedule() && changed {
        store.apply_settings(&settings, &[setting], &scheduler)?
    } else {
        store.save_settings(&settings, &[setting])?;
        0
    };
    writeln!(out, "{} = {}", setting, shown(&settings, setting))?;
    report_rescheduled(setting, changed, rescheduled, out)
}

/// The settings a deck may have a value of its own for (as Anki's presets allow).
const PER_DECK: &[Setting] = &[Setting::NewPerDay];

/// `config KEY [VALUE] --deck D`: show, set or reset one deck's own value.
fn run_for_deck(
    ctx: &Context,
    args: &ConfigArgs,
    name: &str,
    deck_name: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let (value, reset) = (args.value.as_deref(), args.reset);
    let setting: Setting = name.parse()?;
    if !PER_DECK.contains(&setting) {
        anyhow::bail!(
            "`{setting}` is one value for every deck; only {} can be set per deck with --deck",
            PER_DECK
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let catalog = ctx.load_catalog()?;
    let deck = catalog.find(deck_name)?;
    let mut store = ctx.open_store()?;
    let global = store.settings_lenient()?.0;
    let own = || -> anyhow::Result<Option<u32>> {
        Ok(store
            .deck_new_per_day()?
            .into_iter()
            .find(|(name, _)| *name == deck.name)
            .map(|(_, limit)| limit))
    };
    if reset {
        store.reset_deck_setting(&deck.name, setting)?;
        writeln!(
            out,
            "{setting} = {} for `{}` (the global value)",
            global.get(setting),
            deck.name
        )?;
        return Ok(());
    }
    let Some(value) = value else {
        match own()? {
            Some(limit) => writeln!(out, "{limit}")?,
            None => writeln!(out, "{} (the global value)", global.get(setting))?,
        }
        return Ok(());
    };
    // Checked as the global setting would be, so the same values are accepted.
    let mut checked = global.clone();
    checked.set_by_user(setting, value)?;
    let text = checked.get(setting);
    store.save_deck_setting(&deck.name, setting, &text)?;
    writeln!(out, "{setting} = {text} for `{}`", deck.name)?;
    Ok(())
}

/// The decks' own limits, after the list of settings.
fn list_deck_limits(store: &crate::store::Store, out: &mut dyn Write) -> anyhow::Result<()> {
    for (deck, limit) in store.deck_new_per_day()? {
        writeln!(
            out,
            "{:<18} {:<10} (deck `{}`; `--deck {} --reset` returns it to the global value)",
            Setting::NewPerDay.name(),
            limit,
            crate::text::visible_inline(deck.as_str()),
            crate::text::visible_inline(deck.as_str())
        )?;
    }
    Ok(())
}

fn report_rescheduled(
    setting: Setting,
    changed: bool,
    cards: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if setting.affects_schedule() && changed && cards > 0 {
        writeln!(out, "rescheduled {cards} card{}", plural(cards))?;
    }
    Ok(())
}

fn shown(settings: &Settings, key: Setting) -> String {
    let value = settings.get(key);
    if value.is_empty() {
        "(none)".to_string()
    } else {
        value
    }
}

fn list(
    settings: &Settings,
    explicit: &[Setting],
    bad: &[BadSetting],
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let defaults = Settings::default();
    // The names' column fits the longest name.
    let width = Setting::ALL
        .map(|key| key.name().len())
        .into_iter()
        .max()
        .unwrap_or(0);
    for key in Setting::ALL {
        if let Some(bad) = bad.iter().find(|b| b.key == key) {
            writeln!(
                out,
                "{:<width$} {:<10} (unusable: {}; fix it with `lupus-quiz config {} VALUE` or `--reset`)",
                key.name(),
                crate::text::visible(&bad.value),
                bad.message,
                key.name()
            )?;
            continue;
        }
        let value = shown(settings, key);
        let is_set = explicit.contains(&key);
        if key.managed() {
            let origin = if is_set { "fitted" } else { "default" };
            // Too long for the value column: the values follow on their own line, and the
            // column says so, so that the origin stays in its own column on every row.
            writeln!(
                out,
                "{:<width$} {:<10} ({origin})  {}",
                key.name(),
                "see below",
                key.help()
            )?;
            writeln!(out, "  {value}")?;
        } else {
            let origin = if is_set {
                format!("default {}", shown(&defaults, key))
            } else {
                "default".to_string()
            };
            writeln!(
                out,
                "{:<width$} {:<10} ({origin})  {}",
                key.name(),
                value,
                key.help()
            )?;
        }
    }
    Ok(())
}
