//! Temporary files (a half-written export, backup or new database) never outlive the
//! command that made them: they are removed when the work fails, when the process is ended
//! by a signal that would otherwise kill it (Ctrl-C, `kill`, a closed terminal), and, after a
//! crash or `kill -9` that no code can see, by the next command that looks in their folder.
//! Every name carries the process id of its writer, which is how the next command tells a
//! leftover (its writer no longer runs) from a file another command is writing now.

use std::ffi::{CString, OsStr};
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicPtr, Ordering};

/// The signals whose default action ends the process, and which a user or the system sends
/// to end it: each gets a handler that removes the temporary files first.
const ENDING_SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// Paths the signal handler removes. A handler may only do async-signal-safe work, so the
/// paths wait here as C strings behind atomic pointers, which it reads without a lock.
const SLOTS: usize = 32;
static TRACKED: [AtomicPtr<libc::c_char>; SLOTS] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; SLOTS];

/// How many [`TempFiles`] are alive, and the signals whose handler this module installed
/// (only those that had their default action: one ignored, as under `nohup`, or handled by
/// the program itself, is left as it was).
static ACTIVE: Mutex<(usize, Vec<libc::c_int>)> = Mutex::new((0, Vec::new()));

extern "C" fn remove_and_die(signal: libc::c_int) {
    for slot in &TRACKED {
        let path = slot.load(Ordering::SeqCst);
        if !path.is_null() {
            // SAFETY: a non-null slot holds a C string that is never freed (see `track`).
            unsafe { libc::unlink(path) };
        }
    }
    // SAFETY: `signal` and `raise` are async-signal-safe; the signal is blocked while its
    // handler runs, so it is delivered again, with its default action, on return.
    unsafe {
        libc::signal(signal, libc::SIG_DFL);
        libc::raise(signal);
    }
}

/// Runs `work` with the ending signals held back, so that creating a temporary file and
/// tracking it happen as one step for the handler: a signal that comes meanwhile is
/// delivered when `work` is over, and then finds the file tracked.
pub(crate) fn with_ending_signals_held<T>(work: impl FnOnce() -> T) -> T {
    // SAFETY: the sets are initialised by sigemptyset before use, and only this thread's
    // mask changes; it is put back as it was.
    unsafe {
        let mut ending: libc::sigset_t = std::mem::zeroed();
        let mut before: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut ending);
        for signal in ENDING_SIGNALS {
            libc::sigaddset(&mut ending, signal);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &ending, &mut before);
        let result = work();
        libc::pthread_sigmask(libc::SIG_SETMASK, &before, std::ptr::null_mut());
        result
    }
}

/// The current action of `signal` is the default one.
fn has_default_action(signal: libc::c_int) -> bool {
    // SAFETY: reading the current action into a zeroed struct, without changing it.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut current) == 0
            && current.sa_sigaction == libc::SIG_DFL
    }
}

fn install() -> Vec<libc::c_int> {
    let mut installed = Vec::new();
    for signal in ENDING_SIGNALS {
        if has_default_action(signal) {
            // SAFETY: the handler only does async-signal-safe work.
            unsafe {
                let mut action: libc::sigaction = std::mem::zeroed();
                action.sa_sigaction = remove_and_die as extern "C" fn(libc::c_int) as usize;
                libc::sigemptyset(&mut action.sa_mask);
                if libc::sigaction(signal, &action, std::ptr::null_mut()) == 0 {
                    installed.push(signal);
                }
            }
        }
    }
    installed
}

fn uninstall(installed: &[libc::c_int]) {
    for &signal in installed {
        // SAFETY: back to the default action, but only where ours is still in place (a
        // handler installed since then is left alone).
        unsafe {
            let mut current: libc::sigaction = std::mem::zeroed();
            if libc::sigaction(signal, std::ptr::null(), &mut current) == 0
                && current.sa_sigaction == remove_and_die as extern "C" fn(libc::c_int) as usize
            {
                libc::signal(signal, libc::SIG_DFL);
            }
        }
    }
}

/// Temporary files being written: removed when this is dropped (after a failure, or after
/// the finished file was renamed or linked into place, when they are gone already), and by
/// a signal that ends the process meanwhile.
pub(crate) struct TempFiles {
    paths: Vec<PathBuf>,
    slots: Vec<usize>,
}

impl TempFiles {
    pub(crate) fn new() -> TempFiles {
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        if active.0 == 0 {
            active.1 = install();
        }
        active.0 += 1;
        TempFiles {
            paths: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// Tracks `path`, which is about to be created. Call it before creating the file, so
    /// that no moment exists when the file is there and a signal would leave it; where the
    /// name may turn out to be taken, create and track it inside
    /// [`with_ending_signals_held`] instead.
    pub(crate) fn track(&mut self, path: &Path) {
        self.paths.push(path.to_path_buf());
        let Ok(text) = CString::new(path.as_os_str().as_bytes()) else {
            return;
        };
        // Leaked on purpose: a handler running on another thread may still read it after
        // the slot is cleared. A few bytes per temporary file.
        let raw = text.into_raw();
        for (index, slot) in TRACKED.iter().enumerate() {
            if slot
                .compare_exchange(
                    std::ptr::null_mut(),
                    raw,
                    Ordering::SeqCst,
                    Ordering::SeqCst,
                )
                .is_ok()
            {
                self.slots.push(index);
                return;
            }
        }
        // Every slot taken: this file is still removed on drop and by the next command.
    }
}

impl Drop for TempFiles {
    fn drop(&mut self) {
        for path in &self.paths {
            let _ = fs::remove_file(path);
        }
        for &index in &self.slots {
            TRACKED[index].store(std::ptr::null_mut(), Ordering::SeqCst);
        }
        let mut active = ACTIVE.lock().unwrap_or_else(|e| e.into_inner());
        active.0 -= 1;
        if active.0 == 0 {
            uninstall(&active.1);
            active.1.clear();
        }
    }
}

/// Whether process `pid` is running (any user's): a leftover of a running process is a
/// file it is still writing.
pub(crate) fn process_runs(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
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
    // SAFETY: `geteuid` cannot fail.
    let me = unsafe { libc::geteuid() };
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
