//! `lupus-quiz config [KEY [VALUE]]`: list, show and change settings.

use std::io::Write;

use anyhow::Context as _;

use crate::context::Context;
use crate::settings::{KEYS, SettingKey, Settings};

pub fn run(
    ctx: &Context,
    key: Option<&str>,
    value: Option<&str>,
    reset: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let mut settings = store.settings()?;
    let Some(name) = key else {
        return list(&settings, &store.explicit_settings()?, out);
    };
    let setting = SettingKey::find(name)?;
    if reset {
        let before = settings.clone();
        store.reset_setting(setting)?;
        settings = store.settings()?;
        writeln!(
            out,
            "{} = {} (default)",
            setting.name,
            shown(&settings, setting)
        )?;
        return reschedule_if_needed(ctx, &mut store, setting, &before, &settings, out);
    }
    let Some(value) = value else {
        writeln!(out, "{}", shown(&settings, setting))?;
        return Ok(());
    };
    let before = settings.clone();
    settings.set_by_user(name, value)?;
    // Validate the whole configuration before saving, so a bad combination is never stored.
    Context::scheduler(&settings)?;
    store.save_settings(&settings, &[setting])?;
    writeln!(out, "{} = {}", setting.name, shown(&settings, setting))?;
    reschedule_if_needed(ctx, &mut store, setting, &before, &settings, out)
}

fn shown(settings: &Settings, key: &SettingKey) -> String {
    let value = settings.get(key.name).unwrap_or_default();
    if value.is_empty() {
        "(none)".to_string()
    } else {
        value
    }
}

/// Card states are a cache of the log under the current settings, so a setting that
/// changes schedules rebuilds them.
fn reschedule_if_needed(
    _ctx: &Context,
    store: &mut crate::store::Store,
    key: &SettingKey,
    before: &Settings,
    after: &Settings,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if !key.affects_schedule || before.get(key.name) == after.get(key.name) {
        return Ok(());
    }
    let scheduler = Context::scheduler(after)?;
    let cards = store
        .replay_all(&scheduler)
        .context("could not reschedule cards with the new setting")?;
    if cards > 0 {
        writeln!(
            out,
            "rescheduled {cards} card{}",
            crate::error::plural(cards)
        )?;
    }
    Ok(())
}

fn list(settings: &Settings, explicit: &[String], out: &mut dyn Write) -> anyhow::Result<()> {
    let defaults = Settings::default();
    for key in KEYS {
        let value = shown(settings, key);
        let origin = if explicit.iter().any(|k| k == key.name) {
            format!("default {}", shown(&defaults, key))
        } else {
            "default".to_string()
        };
        if key.name == "parameters" {
            writeln!(
                out,
                "{:<18} ({origin_short})  {}",
                key.name,
                key.help,
                origin_short = if origin == "default" {
                    "default"
                } else {
                    "fitted"
                }
            )?;
            writeln!(out, "  {value}")?;
        } else {
            writeln!(
                out,
                "{:<18} {:<10} ({origin})  {}",
                key.name, value, key.help
            )?;
        }
    }
    Ok(())
}
