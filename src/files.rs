//! The user's files, read and written safely: an input is read only when it is a regular
//! file, and never past a hard byte limit (a device or a growing file cannot fill memory);
//! an output is written whole or not at all, so a failed write keeps the old file.

use std::fmt;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::temp_files::{self, TempFiles};

/// `errno` for "too many levels of symbolic links".
const ELOOP: i32 = if cfg!(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd"
)) {
    62
} else {
    40
};

/// How many symbolic links are followed before a path counts as a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// Why an input file cannot be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The path, or a link on the way, is a symbolic link loop.
    Loop,
    /// A symbolic link whose target does not exist.
    Dangling(PathBuf),
    /// A folder, FIFO, device or socket: what it is.
    NotRegular(&'static str),
    /// More bytes than the limit (`size` when known before reading).
    TooLarge {
        size: Option<u64>,
        limit: u64,
    },
    Io(io::Error),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Loop => f.write_str(
                "it is a symbolic link loop (too many levels of symbolic links); fix or remove the link",
            ),
            ReadError::Dangling(target) => write!(
                f,
                "it is a symbolic link to `{}`, which does not exist; fix or remove the link",
                target.display()
            ),
            ReadError::NotRegular(what) => write!(f, "it is {what}, not a regular file"),
            ReadError::TooLarge {
                size: Some(size),
                limit,
            } => write!(f, "the file is {size} bytes, over the limit of {limit} bytes"),
            ReadError::TooLarge { size: None, limit } => {
                write!(f, "it holds more than {limit} bytes, the limit")
            }
            ReadError::Io(e) => f.write_str(&io_reason(e)),
        }
    }
}

impl std::error::Error for ReadError {}

impl From<io::Error> for ReadError {
    fn from(e: io::Error) -> ReadError {
        if is_loop(&e) {
            ReadError::Loop
        } else {
            ReadError::Io(e)
        }
    }
}

/// Whether the error is `ELOOP`.
pub(crate) fn is_loop(e: &io::Error) -> bool {
    e.raw_os_error() == Some(ELOOP)
}

/// An I/O error as words in a sentence: "no space left on device", not "No space left on
/// device (os error 28)".
pub(crate) fn io_reason(e: &io::Error) -> String {
    if is_loop(e) {
        return "a symbolic link loop (too many levels of symbolic links)".to_string();
    }
    let text = e.to_string();
    let text = match text.rfind(" (os error ") {
        Some(cut) if text.ends_with(')') => text[..cut].to_string(),
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => text,
    }
}

/// What a file that is not a regular file is, in words.
pub(crate) fn kind_of(file_type: fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_fifo() {
        "a FIFO (named pipe)"
    } else if file_type.is_char_device() {
        "a character device"
    } else if file_type.is_block_device() {
        "a block device"
    } else if file_type.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    }
}

/// The metadata of the file `path` names, following links; a missing target of a link is
/// [`ReadError::Dangling`], a loop [`ReadError::Loop`].
fn regular_metadata(path: &Path) -> Result<fs::Metadata, ReadError> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => Ok(meta),
        Ok(meta) => Err(ReadError::NotRegular(kind_of(meta.file_type()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => match fs::symlink_metadata(path) {
            Ok(link) if link.file_type().is_symlink() => {
                Err(ReadError::Dangling(fs::read_link(path).unwrap_or_default()))
            }
            _ => Err(e.into()),
        },
        Err(e) => Err(e.into()),
    }
}

/// Opens `path` for reading when it is a regular file. The type is checked before opening
/// (opening a FIFO would wait for a writer) and again on the open file.
pub(crate) fn open_regular(path: &Path) -> Result<(File, fs::Metadata), ReadError> {
    regular_metadata(path)?;
    let file = File::open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular(kind_of(meta.file_type())));
    }
    Ok((file, meta))
}

/// Reads all of `input`, refusing it once it holds more than `limit` bytes.
pub(crate) fn read_to_limit(input: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    input
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { size: None, limit });
    }
    Ok(bytes)
}

/// Reads the regular file `path` whole, refusing it when it is over `limit` bytes (by its
/// size before reading, and by what is read, in case it grows meanwhile).
pub(crate) fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, meta) = open_regular(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            size: Some(meta.len()),
            limit,
        });
    }
    read_to_limit(file, limit)
}

/// Where writing to `path` really writes: symbolic links followed to their last target
/// (which may not exist yet), so that replacing the file keeps the links.
pub(crate) fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match link_target(&path)? {
            Some(target) => path = target,
            None => return Ok(path),
        }
    }
    Err(io::Error::from_raw_os_error(ELOOP))
}

/// Where the link `path` points, relative targets taken from its folder; `None` when `path`
/// is no link (or nothing yet), so it is where writing goes.
fn link_target(path: &Path) -> io::Result<Option<PathBuf>> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = fs::read_link(path)?;
            Ok(Some(match path.parent() {
                Some(parent) if target.is_relative() => parent.join(target),
                _ => target,
            }))
        }
        Ok(_) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    }
}

/// Why a file could not be written whole; the old file, if any, is unchanged.
#[derive(Debug)]
pub(crate) struct WriteError {
    pub path: PathBuf,
    pub existed: bool,
    pub reason: String,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cannot write `{}`: {}; {}",
            self.path.display(),
            self.reason,
            if self.existed {
                "the old file is unchanged"
            } else {
                "no file was written"
            }
        )
    }
}

impl std::error::Error for WriteError {}

/// The words of an error from writing: the I/O error's when there is one.
fn reason_of(error: &anyhow::Error) -> String {
    error
        .chain()
        .find_map(|cause| cause.downcast_ref::<io::Error>())
        .map_or_else(|| error.to_string(), io_reason)
}

/// Where an output really goes.
enum Destination {
    /// An open file descriptor of this process (`-`, `/dev/stdout`, `/dev/fd/N`,
    /// `/proc/self/fd/N`): written where that descriptor writes (see
    /// [`copy_of_descriptor`]), so that what the shell opened is written as the shell
    /// opened it (`>>` appends, `|` pipes).
    Descriptor(i32),
    /// A path, its symbolic links followed.
    Path(PathBuf),
}

/// The descriptor `path` names, when it names one of this process's own.
fn descriptor_named(path: &Path) -> Option<i32> {
    let text = path.to_str()?;
    match text {
        "/dev/stdout" => return Some(1),
        "/dev/stderr" => return Some(2),
        "/dev/stdin" => return Some(0),
        _ => {}
    }
    let own = format!("/proc/{}/fd/", std::process::id());
    let number = [
        "/dev/fd/",
        "/proc/self/fd/",
        "/proc/thread-self/fd/",
        own.as_str(),
    ]
    .iter()
    .find_map(|prefix| text.strip_prefix(prefix))?;
    number.parse().ok()
}

/// Where writing to `path` goes: `-` is standard output, and links are followed until a
/// descriptor of this process or the last target (which may not exist yet).
fn destination(path: &Path) -> io::Result<Destination> {
    if path == Path::new("-") {
        return Ok(Destination::Descriptor(1));
    }
    let mut path = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        if let Some(fd) = descriptor_named(&path) {
            return Ok(Destination::Descriptor(fd));
        }
        match link_target(&path)? {
            Some(target) => path = target,
            None => return Ok(Destination::Path(path)),
        }
    }
    Err(io::Error::from_raw_os_error(ELOOP))
}

/// Whether writing to `path` writes to standard output (`-o -`, `-o /dev/stdout`), where
/// nothing else may be printed.
pub(crate) fn writes_to_stdout(path: &Path) -> bool {
    matches!(destination(path), Ok(Destination::Descriptor(1)))
}

/// Writes `path` whole or not at all: `write` fills a temporary file in the same folder,
/// created readable by the owner only, which is flushed, synced to disk and renamed over
/// `path` only when everything succeeded (a file it replaces keeps its owner's permissions,
/// and other users lose theirs). On any
/// failure, or a signal that ends the process, the temporary file is removed and `path` is
/// as it was; one left by a crash is removed by the next write of the same file. Symbolic
/// links are followed, so a link stays a link. What is not a regular file is written in
/// place: a device or FIFO (`/dev/null`), and standard output or another descriptor the
/// shell opened (`-`, `/dev/stdout`), so that `>> FILE` appends and `| cmd` reads it.
pub(crate) fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> Result<(), WriteError> {
    let fail = |existed: bool, reason: String| WriteError {
        path: path.to_path_buf(),
        existed,
        reason,
    };
    let target = match destination(path).map_err(|e| fail(false, io_reason(&e)))? {
        Destination::Descriptor(fd) => {
            return write_to_descriptor(fd, write).map_err(|reason| fail(false, reason));
        }
        Destination::Path(target) => target,
    };
    let existing = match fs::metadata(&target) {
        Ok(meta) => Some(meta),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(fail(false, io_reason(&e))),
    };
    if let Some(meta) = &existing {
        if meta.is_dir() {
            return Err(fail(false, "it is a folder".to_string()));
        }
        if !meta.is_file() {
            // Nothing to keep, and nothing to rename over: write straight in.
            return write_in_place(&target, write).map_err(|reason| fail(false, reason));
        }
    }
    let existed = existing.is_some();
    replace_file(&target, existing.as_ref(), write).map_err(|reason| fail(existed, reason))
}

/// Writes the regular file `target` (which need not exist yet) through a temporary file in
/// its folder, renamed over it once whole and synced; `existing` is its metadata when it
/// exists. On failure, the reason in words, and `target` is as it was.
fn replace_file(
    target: &Path,
    existing: Option<&fs::Metadata>,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> Result<(), String> {
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target.file_name().unwrap_or_default().to_os_string();
    temp_files::remove_leftovers(&folder, temp_files::writer_of_atomic_temp(&name));
    let mut temps = TempFiles::new();
    let (temp, file) =
        create_temp(&folder, &name.to_string_lossy(), &mut temps).map_err(|e| io_reason(&e))?;
    let written = (|| -> anyhow::Result<()> {
        // A file replaced keeps its owner's permissions and loses everyone else's: what
        // is written holds progress, never more open than the database it comes from.
        if let Some(meta) = existing {
            let mode = meta.permissions().mode();
            file.set_permissions(fs::Permissions::from_mode(mode & 0o700))?;
        }
        write_synced(file, write)?;
        fs::rename(&temp, target)?;
        Ok(())
    })();
    // Removes the temporary file when the rename did not happen.
    drop(temps);
    written.map_err(|error| reason_of(&error))?;
    // The rename is durable once the folder is synced; a failure here loses nothing.
    if let Ok(dir) = File::open(&folder) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Writes through this process's descriptor `fd` (a copy of it, so that the original stays
/// open for what follows).
fn write_to_descriptor(
    fd: i32,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> Result<(), String> {
    let mut file = copy_of_descriptor(fd).map_err(|e| io_reason(&e))?;
    let mut out = io::BufWriter::new(&mut file);
    match write(&mut out).and_then(|()| Ok(out.flush()?)) {
        // The reader stopped reading (`| head`): it has what it wanted, as with no `-o`.
        Err(e) if crate::error::is_broken_pipe(&e) => Ok(()),
        other => other.map_err(|e| reason_of(&e)),
    }
}

/// A file that writes where this process's descriptor `fd` does. Standard input, output
/// and error are duplicated, so that writing goes on at their offset with their flags.
/// Another descriptor is opened again by its name `/dev/fd/N`, for appending, which is what
/// the shell's `>> /dev/fd/N` does: the same pipe, terminal or file (on BSD and macOS the
/// same as duplicating it); a descriptor that is not open is "no such file".
fn copy_of_descriptor(fd: i32) -> io::Result<File> {
    use std::os::fd::AsFd;
    let copy = match fd {
        0 => io::stdin().as_fd().try_clone_to_owned()?,
        1 => io::stdout().as_fd().try_clone_to_owned()?,
        2 => io::stderr().as_fd().try_clone_to_owned()?,
        _ => {
            return fs::OpenOptions::new()
                .append(true)
                .open(format!("/dev/fd/{fd}"));
        }
    };
    Ok(File::from(copy))
}

/// Writes into an existing device or FIFO, which cannot be replaced by a rename.
fn write_in_place(
    target: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> Result<(), String> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .open(target)
        .map_err(|e| io_reason(&e))?;
    let mut out = io::BufWriter::new(&mut file);
    write(&mut out)
        .and_then(|()| Ok(out.flush()?))
        .map_err(|e| reason_of(&e))
}

/// Fills `file`, flushes it and syncs it to disk, so a rename after it publishes whole data.
fn write_synced(
    mut file: File,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut out = io::BufWriter::new(&mut file);
    write(&mut out)?;
    out.flush()?;
    drop(out);
    file.sync_all()?;
    Ok(())
}

/// A new file `.NAME.PID.tmp` (or `.NAME.PID-N.tmp`) in `folder`, readable by its owner
/// only, tracked by `temps`.
fn create_temp(folder: &Path, name: &str, temps: &mut TempFiles) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let mut n = 0;
    loop {
        let temp = folder.join(if n == 0 {
            format!(".{name}.{pid}.tmp")
        } else {
            format!(".{name}.{pid}-{n}.tmp")
        });
        // Created and tracked as one step, a signal cannot end the process between the
        // two, which would leave the file behind until the next export.
        match temps.create(&temp, create_private_file) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 100 => n += 1,
            Err(e) => return Err(e),
        }
    }
}

/// The permissions of a file that holds progress: read and written by its owner only,
/// whatever the umask.
pub(crate) const PRIVATE_FILE: u32 = 0o600;

/// The permissions of a folder lupus-quiz creates for progress: its owner's only.
pub(crate) const PRIVATE_FOLDER: u32 = 0o700;

/// Creates the new file `path` (never an existing one) readable by its owner only.
pub(crate) fn create_private_file(path: &Path) -> io::Result<File> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(PRIVATE_FILE)
        .open(path)
}

/// Creates `folder` and any missing folders above it, each new one its owner's only;
/// folders that exist keep their permissions.
pub(crate) fn create_private_folders(folder: &Path) -> io::Result<()> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(PRIVATE_FOLDER)
        .create(folder)
}

/// Whether the file system holding `path` (or, for a file not yet made, its folder) has
/// no room left: less free space than SQLite needs to grow a journal file by one step.
pub(crate) fn disk_is_full(path: &Path) -> bool {
    const ROOM: u64 = 64 * 1024;
    let probe = if path.exists() {
        path
    } else {
        match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        }
    };
    rustix::fs::statvfs(probe)
        .is_ok_and(|stats| stats.f_bavail.saturating_mul(stats.f_frsize) < ROOM)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_failed_atomic_write_keeps_the_old_file_and_leaves_no_temporary_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("progress.json");
        fs::write(&path, "old").unwrap();
        let error = write_atomically(&path, |out| {
            out.write_all(b"half of the new")?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "No space left on device").into())
        })
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "cannot write `{}`: no space left on device; the old file is unchanged",
                path.display()
            )
        );
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(names(dir.path()), ["progress.json"]);
    }

    #[test]
    fn an_atomic_write_replaces_the_file_and_keeps_links_and_permissions() {
        let dir = tempfile::TempDir::new().unwrap();
        let real = dir.path().join("real.json");
        fs::write(&real, "old").unwrap();
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap();
        write_atomically(&link, |out| Ok(out.write_all(b"new")?)).unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let mode = fs::metadata(&real).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(names(dir.path()), ["link.json", "real.json"]);
    }

    #[test]
    fn a_limit_holds_for_inputs_of_unknown_size() {
        assert!(matches!(
            read_to_limit(io::repeat(0), 1000),
            Err(ReadError::TooLarge {
                size: None,
                limit: 1000
            })
        ));
        assert_eq!(read_to_limit(&b"abc"[..], 3).unwrap(), b"abc");
    }
}
