//! Temporary files (a half-written export, backup or new database) never outlive the
//! command that made them: they are removed when the work fails, when the process is ended
//! by a signal that would otherwise kill it (Ctrl-C, `kill`, a closed terminal), and, after a
//! crash or `kill -9` that no code can see, by the next command that looks in their folder.
//! Every name carries the process id of its writer, which is how the next command tells a
//! leftover (its writer no longer runs) from a file another command is writing now.
//!
//! The signals are waited for by a thread (signal-hook's iterator), so that removing the
//! files is ordinary code rather than a signal handler; the thread then ends the process
//! with the signal's default action, as if nothing had caught it. Only signals whose action
//! is the default one are watched: one ignored (as under `nohup`, or Ctrl-C for a background
//! job of a script) or handled by the program itself is left as it was. The kernel says
//! which in `/proc/self/status`; where there is no such file (not Linux), no signal is
//! watched, and a file left by a signal is removed by the next command as after a crash.

use std::ffi::OsStr;
use std::fs;
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock};

use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};

/// The signals whose default action ends the process, and which a user or the system sends
/// to end it.
const ENDING_SIGNALS: [i32; 4] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT];

/// The temporary files of this process, each once per [`TempFiles::track`]. The thread that
/// removes them on a signal holds the lock until the process ends, so that no file is
/// created, or forgotten, behind its back.
static TRACKED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The ending signals the program handles itself now (see [`leave_signal_to_caller`]), in
/// the order of [`ENDING_SIGNALS`].
static LEFT_TO_CALLER: [AtomicBool; 4] = [const { AtomicBool::new(false) }; 4];

fn tracked() -> MutexGuard<'static, Vec<PathBuf>> {
    TRACKED.lock().unwrap_or_else(|e| e.into_inner())
}

/// From now on the program handles `signal` itself (an interactive session: Ctrl-C ends it
/// with its summary, a `kill` gives the terminal its mode back before the process ends), so
/// this module's thread neither removes files nor ends the process when it comes. A file
/// left then is removed by the next command.
pub(crate) fn leave_signal_to_caller(signal: i32) {
    if let Some(at) = ENDING_SIGNALS.iter().position(|&s| s == signal) {
        LEFT_TO_CALLER[at].store(true, Ordering::SeqCst);
    }
}

fn left_to_caller(signal: i32) -> bool {
    ENDING_SIGNALS
        .iter()
        .position(|&s| s == signal)
        .is_some_and(|at| LEFT_TO_CALLER[at].load(Ordering::SeqCst))
}

/// The ending signals whose action is the default one now: neither ignored nor caught, by
/// the masks `SigIgn` and `SigCgt` of `/proc/self/status` (bit `n - 1` for signal `n`).
/// None where the file cannot be read.
fn signals_at_default_action() -> Vec<i32> {
    let Ok(status) = fs::read_to_string("/proc/self/status") else {
        return Vec::new();
    };
    let mask = |field: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(field))
            .and_then(|hex| u64::from_str_radix(hex.trim(), 16).ok())
    };
    let (Some(ignored), Some(caught)) = (mask("SigIgn:"), mask("SigCgt:")) else {
        return Vec::new();
    };
    ENDING_SIGNALS
        .into_iter()
        .filter(|&signal| (ignored | caught) & (1 << (signal - 1)) == 0)
        .collect()
}

/// Starts, once per process, the thread that removes the temporary files when an ending
/// signal comes; it returns once the signals are watched, so that the first file is
/// covered. The watch stays for the life of the process: the thread then ends it as the
/// signal's default action would have, temporary files or not.
fn watch_ending_signals() {
    static WATCHING: OnceLock<()> = OnceLock::new();
    WATCHING.get_or_init(|| {
        let watched = signals_at_default_action();
        if watched.is_empty() {
            return;
        }
        let (ready, registered) = std::sync::mpsc::sync_channel(0);
        let spawned = std::thread::Builder::new()
            .name("temp-file-remover".into())
            .spawn(move || {
                let signals = signal_hook::iterator::Signals::new(&watched);
                let _ = ready.send(());
                if let Ok(mut signals) = signals {
                    signals.forever().for_each(end_by);
                }
            });
        if spawned.is_ok() {
            let _ = registered.recv();
        }
    });
}

/// Removes the temporary files and ends the process by `signal`'s default action, unless
/// the program handles that signal itself.
fn end_by(signal: i32) {
    if left_to_caller(signal) {
        return;
    }
    // Held until the process is gone.
    let tracked = tracked();
    for path in tracked.iter() {
        let _ = fs::remove_file(path);
    }
    let _ = signal_hook::low_level::emulate_default_handler(signal);
}

/// Temporary files being written: removed when this is dropped (after a failure, or after
/// the finished file was renamed or linked into place, when they are gone already), and by
/// a signal that ends the process meanwhile.
pub(crate) struct TempFiles {
    paths: Vec<PathBuf>,
}

impl TempFiles {
    pub(crate) fn new() -> TempFiles {
        watch_ending_signals();
        TempFiles { paths: Vec::new() }
    }

    /// Tracks `path`, which is about to be created. Call it before creating the file, so
    /// that no moment exists when the file is there and a signal would leave it; where the
    /// name may turn out to be taken, use [`TempFiles::create`] instead.
    pub(crate) fn track(&mut self, path: &Path) {
        tracked().push(path.to_path_buf());
        self.paths.push(path.to_path_buf());
    }

    /// Creates the file `path` with `create` and tracks it, as one step for a signal that
    /// comes meanwhile: it finds the file tracked, or not made. A name that is taken (an
    /// error of `create`) is not tracked, so the file of that name is never removed.
    pub(crate) fn create<T>(
        &mut self,
        path: &Path,
        create: impl FnOnce(&Path) -> io::Result<T>,
    ) -> io::Result<T> {
        let mut tracked = tracked();
        let created = create(path)?;
        tracked.push(path.to_path_buf());
        self.paths.push(path.to_path_buf());
        Ok(created)
    }
}

impl Drop for TempFiles {
    fn drop(&mut self) {
        let mut tracked = tracked();
        for path in &self.paths {
            let _ = fs::remove_file(path);
            if let Some(at) = tracked.iter().position(|p| p == path) {
                tracked.swap_remove(at);
            }
        }
    }
}

/// Whether process `pid` is running (any user's): a leftover of a running process is a
/// file it is still writing.
pub(crate) fn process_runs(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .filter(|&pid| pid > 0)
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    // Signal 0 sends nothing; it only asks whether the process exists.
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(e) => e == rustix::io::Errno::PERM,
    }
}

/// Removes the files in `folder` that `writer_of` names as temporary files of a process
/// that no longer runs (it returns the writer's pid for such a name), when they belong to
/// this user. Returns what was removed. A folder that cannot be read has nothing removed.
pub(crate) fn remove_leftovers(
    folder: &Path,
    writer_of: impl Fn(&str) -> Option<u32>,
) -> Vec<PathBuf> {
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let Ok(entries) = fs::read_dir(folder) else {
        return Vec::new();
    };
    let me = rustix::process::geteuid().as_raw();
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(&writer_of) else {
            continue;
        };
        if pid == std::process::id() || process_runs(pid) {
            continue;
        }
        let path = entry.path();
        let ours = fs::symlink_metadata(&path).is_ok_and(|m| m.is_file() && m.uid() == me);
        if ours && fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

/// The pid in `rest` when it is `PID` followed by `end` or by one of `then` and more.
fn pid_then<'a>(rest: &'a str, then: &[char]) -> Option<(u32, &'a str)> {
    let digits = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    if digits == 0 {
        return None;
    }
    let pid = rest[..digits].parse().ok()?;
    let after = &rest[digits..];
    (after.is_empty() || after.starts_with(then)).then_some((pid, after))
}

/// The writer of `.NAME.PID.tmp` or `.NAME.PID-N.tmp`, the temporary file of a whole-file
/// write of `NAME` ([`crate::files::write_atomically`]).
pub(crate) fn writer_of_atomic_temp(name: &OsStr) -> impl Fn(&str) -> Option<u32> + '_ {
    move |candidate: &str| {
        let name = name.to_str()?;
        let rest = candidate
            .strip_prefix('.')?
            .strip_prefix(name)?
            .strip_prefix('.')?;
        let middle = rest.strip_suffix(".tmp")?;
        let (pid, after) = pid_then(middle, &['-'])?;
        let numbered = match after.strip_prefix('-') {
            None => true,
            Some(n) => !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()),
        };
        numbered.then_some(pid)
    }
}

/// The writer of a backup's partial copy, `NAME.partial-PID-NANOS` (or its `-journal`).
pub(crate) fn writer_of_partial_backup(candidate: &str) -> Option<u32> {
    let (_, rest) = candidate.rsplit_once(".partial-")?;
    let rest = rest.strip_suffix("-journal").unwrap_or(rest);
    let (pid, after) = pid_then(rest, &['-'])?;
    let nanos = after.strip_prefix('-')?;
    (!nanos.is_empty() && nanos.chars().all(|c| c.is_ascii_digit())).then_some(pid)
}

/// The writer of a database being created, `.NAME.new-PID` (or its journal files).
pub(crate) fn writer_of_new_database(name: &OsStr) -> impl Fn(&str) -> Option<u32> + '_ {
    move |candidate: &str| {
        let name = name.to_str()?;
        let rest = candidate
            .strip_prefix('.')?
            .strip_prefix(name)?
            .strip_prefix(".new-")?;
        let (pid, after) = pid_then(rest, &['-'])?;
        matches!(after, "" | "-wal" | "-shm" | "-journal").then_some(pid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftover_names_give_their_writer_and_other_names_nothing() {
        let atomic = writer_of_atomic_temp(OsStr::new("p.json"));
        assert_eq!(atomic(".p.json.123.tmp"), Some(123));
        assert_eq!(atomic(".p.json.123-4.tmp"), Some(123));
        assert_eq!(atomic(".p.json.123-.tmp"), None);
        assert_eq!(atomic(".p.json.x.tmp"), None);
        assert_eq!(atomic(".q.json.123.tmp"), None);
        assert_eq!(atomic("p.json"), None);
        assert_eq!(
            writer_of_partial_backup("progress-2026-03-01T090000Z.db.partial-77-1234"),
            Some(77)
        );
        assert_eq!(
            writer_of_partial_backup("progress-2026-03-01T090000Z.db.partial-77-1234-journal"),
            Some(77)
        );
        assert_eq!(
            writer_of_partial_backup("progress-2026-03-01T090000Z.db"),
            None
        );
        assert_eq!(writer_of_partial_backup("notes.partial-x"), None);
        let new = writer_of_new_database(OsStr::new("progress.db"));
        assert_eq!(new(".progress.db.new-9"), Some(9));
        assert_eq!(new(".progress.db.new-9-wal"), Some(9));
        assert_eq!(new(".progress.db.new-9-other"), None);
        assert_eq!(new("progress.db"), None);
    }

    #[test]
    fn only_the_leftovers_of_processes_that_no_longer_run_are_removed() {
        let dir = tempfile::TempDir::new().unwrap();
        // A child that has exited and been waited for: its pid runs no more.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let alive = std::process::id();
        for name in [
            format!(".p.json.{dead}.tmp"),
            format!(".p.json.{alive}.tmp"),
            "p.json".to_string(),
        ] {
            fs::write(dir.path().join(name), "x").unwrap();
        }
        let removed = remove_leftovers(dir.path(), writer_of_atomic_temp(OsStr::new("p.json")));
        assert_eq!(removed, [dir.path().join(format!(".p.json.{dead}.tmp"))]);
        assert!(dir.path().join(format!(".p.json.{alive}.tmp")).exists());
        assert!(dir.path().join("p.json").exists());
    }
}
