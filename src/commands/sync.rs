//! `lupus-quiz sync`, and `lupus-quiz config sync_dir [PATH]`: the sync folder on demand
//! (every command that reads progress merges it by itself, see `context.rs`).

use std::io::Write;
use std::path::Path;

use anyhow::{Context as _, bail};

use crate::cli::ConfigArgs;
use crate::context::Context;
use crate::store::{Store, SyncSetup};
use crate::sync::{SYNC_DIR, append_own, merge_folder, new_device_id, own_file_name, shown};
use crate::text::plural;

pub(crate) fn run(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = ctx.open_store_unmerged()?;
    let Some(setup) = store.sync_setup()?.filter(|setup| setup.folder.is_some()) else {
        bail!(
            "no sync folder is set, so there is nothing to sync; choose one with `lupus-quiz config sync_dir PATH` on each computer (docs/sync.md has the recipe)"
        );
    };
    sync_now(ctx, &mut store, &setup, out)
}

/// Appends this device's new rows to its file, then merges every other file, and says
/// what each did. A folder that cannot be written is an error here, asked for.
fn sync_now(
    ctx: &Context,
    store: &mut Store,
    setup: &SyncSetup,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let appended = append_own(store, setup).map_err(anyhow::Error::msg)?;
    let name = own_file_name(&setup.device);
    writeln!(
        out,
        "wrote {} new record{} to {name} (this device)",
        appended.records,
        plural(appended.records)
    )?;
    let scheduler = ctx.scheduler(store)?;
    let merge = merge_folder(store, setup, &scheduler, ctx.clock.now());
    for file in &merge.merged {
        writeln!(out, "{}", file.line())?;
    }
    if merge.merged.is_empty() {
        writeln!(out, "nothing new from other devices")?;
    }
    for warning in merge.warnings {
        ctx.sync_warning(warning);
    }
    Ok(())
}

/// `config sync_dir`: shows, sets (then syncs at once) or resets the folder.
pub(crate) fn run_config(
    ctx: &Context,
    args: &ConfigArgs,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if args.deck.is_some() {
        bail!("`{SYNC_DIR}` is one folder for this computer; it cannot be set per deck");
    }
    let mut store = ctx.open_store()?;
    if args.reset {
        store.leave_sync_folder()?;
        writeln!(
            out,
            "{SYNC_DIR} = (none): this computer no longer writes to or merges a sync folder (set one again, and it gets a new device id)"
        )?;
        return Ok(());
    }
    let Some(value) = args.value.as_deref() else {
        let folder = store.sync_setup()?.and_then(|setup| setup.folder);
        match folder {
            Some(folder) => writeln!(out, "{}", shown(&folder))?,
            None => writeln!(out, "(none)")?,
        }
        return Ok(());
    };
    let folder = checked_folder(Path::new(value))?;
    let text = folder.to_str().with_context(|| {
        format!(
            "the sync folder `{}` has a name that is not UTF-8 text; choose a folder whose path is",
            shown(&folder)
        )
    })?;
    store.set_sync_folder(text, &new_device_id())?;
    let setup = store
        .sync_setup()?
        .context("the sync folder was not saved")?;
    writeln!(
        out,
        "{SYNC_DIR} = {} (this device is {})",
        shown(&folder),
        setup.device
    )?;
    sync_now(ctx, &mut store, &setup, out)
}

/// The folder as stored: absolute, so that every command finds it from any working folder.
/// It must exist: a mistyped path is better refused than warned about at every command.
fn checked_folder(folder: &Path) -> anyhow::Result<std::path::PathBuf> {
    let absolute = std::path::absolute(folder)
        .with_context(|| format!("cannot use `{}` as the sync folder", shown(folder)))?;
    match std::fs::metadata(&absolute) {
        Ok(meta) if meta.is_dir() => Ok(absolute),
        Ok(_) => bail!(
            "`{}` is not a folder; the sync folder must be a folder that your sync tool keeps in step",
            shown(&absolute)
        ),
        Err(e) => bail!(
            "cannot use `{}` as the sync folder ({}); create it first (or let your sync tool create it), then run this again",
            shown(&absolute),
            crate::files::io_reason(&e)
        ),
    }
}

/// The sync folder's line of the `config` listing, when one is set.
pub(crate) fn list_sync_dir(store: &Store, out: &mut dyn Write) -> anyhow::Result<()> {
    if let Some(setup) = store.sync_setup()?
        && let Some(folder) = &setup.folder
    {
        writeln!(
            out,
            "{SYNC_DIR:<18} {} (this device is {}; `--reset` stops syncing)",
            shown(folder),
            setup.device
        )?;
    }
    Ok(())
}
