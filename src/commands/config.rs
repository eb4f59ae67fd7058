//! `lupus-quiz config [KEY [VALUE]]`: list, show and change settings.

use std::io::Write;

use crate::context::Context;
use crate::settings::{Setting, Settings};
use crate::store::BadSetting;
use crate::text::plural;

pub(crate) fn run(
    ctx: &Context,
    key: Option<&str>,
    value: Option<&str>,
    reset: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    // Lenient: `config` is how a stored value that cannot be used gets fixed.
    let (mut settings, bad) = store.settings_lenient()?;
    let Some(name) = key else {
        return list(&settings, &store.explicit_settings()?, &bad, out);
    };
    let setting: Setting = name.parse()?;
    let before = settings.get(setting);
    if reset {
        // The default, checked against the other settings before anything is stored.
        settings.set(setting, &Settings::default().get(setting))?;
        let scheduler = Context::scheduler(&settings)?;
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
    let scheduler = Context::scheduler(&settings)?;
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
            writeln!(out, "{:<width$} ({origin})  {}", key.name(), key.help())?;
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
