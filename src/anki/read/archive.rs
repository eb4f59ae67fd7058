//! The package's archive: which member holds the collection (the `meta` file of the current
//! layout says so; without it, `collection.anki21` or else `collection.anki2`), and that
//! member decompressed into a private temporary file, never past [`MAX_COLLECTION_BYTES`],
//! so that a small package that unpacks to gigabytes (a zip bomb) is refused.

use std::fs::File;
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

use zip::ZipArchive;

use super::PackageError;

/// The largest collection unpacked from a package: a collection this large holds millions
/// of reviews, far more than any learner's.
pub const MAX_COLLECTION_BYTES: u64 = 1024 * 1024 * 1024;

/// The largest `meta` member read (it holds one small number).
const MAX_META_BYTES: u64 = 1024;

/// The package layouts, as the `meta` member numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `collection.anki2`: Anki 2.0 and packages made for it.
    Legacy1,
    /// `collection.anki21`: Anki 2.1 up to 2.1.49, and "support older Anki versions".
    Legacy2,
    /// `collection.anki21b`, zstd-compressed, with a `meta` member: Anki 2.1.50 and later.
    Latest,
}

impl Layout {
    fn member(self) -> &'static str {
        match self {
            Layout::Legacy1 => "collection.anki2",
            Layout::Legacy2 => "collection.anki21",
            Layout::Latest => "collection.anki21b",
        }
    }

    /// How the report names it.
    pub fn describe(self) -> &'static str {
        match self {
            Layout::Legacy1 | Layout::Legacy2 => "legacy layout",
            Layout::Latest => "current layout",
        }
    }
}

/// Opens the archive and finds its layout.
pub(super) fn open(file: File) -> Result<(ZipArchive<File>, Layout), PackageError> {
    let mut zip = ZipArchive::new(file).map_err(|e| PackageError::NotZip {
        reason: e.to_string(),
    })?;
    let layout = match read_meta(&mut zip)? {
        Some(version) => match version {
            1 => Layout::Legacy1,
            2 => Layout::Legacy2,
            3 => Layout::Latest,
            other => return Err(PackageError::UnknownLayout { version: other }),
        },
        None if zip.index_for_name(Layout::Legacy2.member()).is_some() => Layout::Legacy2,
        None => Layout::Legacy1,
    };
    if zip.index_for_name(layout.member()).is_none() {
        return Err(PackageError::NoCollection {
            expected: layout.member(),
        });
    }
    Ok((zip, layout))
}

/// The package version of the `meta` member (a protocol-buffers message whose field 1 is
/// the version), or `None` without one.
fn read_meta(zip: &mut ZipArchive<File>) -> Result<Option<u64>, PackageError> {
    let Ok(member) = zip.by_name("meta") else {
        return Ok(None);
    };
    let mut bytes = Vec::new();
    member
        .take(MAX_META_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|e| PackageError::Damaged {
            reason: format!("its `meta` member cannot be read: {e}"),
        })?;
    Ok(Some(meta_version(&bytes)))
}

/// Field 1 (a varint) of a protocol-buffers message; 0 (unknown) when absent or unreadable.
fn meta_version(bytes: &[u8]) -> u64 {
    if bytes.first() != Some(&0x08) {
        return 0;
    }
    let mut value = 0u64;
    for (i, byte) in bytes[1..].iter().take(10).enumerate() {
        value |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            return value;
        }
    }
    0
}

/// Unpacks the collection into a new private file at `target`, refusing it past `limit`
/// bytes. The caller tracks `target` as a temporary file.
pub(super) fn unpack(
    zip: &mut ZipArchive<File>,
    layout: Layout,
    target: &Path,
    limit: u64,
) -> Result<(), PackageError> {
    let member = zip
        .by_name(layout.member())
        .map_err(|e| PackageError::Damaged {
            reason: format!("`{}` cannot be read: {e}", layout.member()),
        })?;
    if layout != Layout::Latest && member.size() > limit {
        return Err(PackageError::TooLarge { limit });
    }
    let out = crate::files::create_private_file(target).map_err(|e| PackageError::Temp {
        path: target.to_path_buf(),
        reason: crate::files::io_reason(&e),
    })?;
    let mut out = io::BufWriter::new(out);
    let copied = if layout == Layout::Latest {
        // The size the zstd frame declares, refused before anything is unpacked.
        let mut head = Vec::with_capacity(18);
        let mut member = member;
        (&mut member)
            .take(18)
            .read_to_end(&mut head)
            .map_err(damaged(layout))?;
        if let Ok(Some(size)) = zstd::zstd_safe::get_frame_content_size(&head)
            && size > limit
        {
            return Err(PackageError::TooLarge { limit });
        }
        let stream = io::Cursor::new(head).chain(member);
        let decoder = zstd::stream::read::Decoder::new(stream).map_err(damaged(layout))?;
        capped_copy(decoder, &mut out, limit)
    } else {
        capped_copy(member, &mut out, limit)
    };
    copied.map_err(|e| match e {
        CopyError::OverLimit => PackageError::TooLarge { limit },
        CopyError::Read(e) => damaged(layout)(e),
        CopyError::Write(e) => PackageError::Temp {
            path: target.to_path_buf(),
            reason: crate::files::io_reason(&e),
        },
    })?;
    out.flush().map_err(|e| PackageError::Temp {
        path: target.to_path_buf(),
        reason: crate::files::io_reason(&e),
    })?;
    drop(out);
    rollback_journal(target).map_err(|e| PackageError::Temp {
        path: target.to_path_buf(),
        reason: crate::files::io_reason(&e),
    })
}

fn damaged(layout: Layout) -> impl Fn(io::Error) -> PackageError {
    move |e| PackageError::Damaged {
        reason: format!("`{}` cannot be unpacked: {e}", layout.member()),
    }
}

#[derive(Debug)]
pub(super) enum CopyError {
    OverLimit,
    Read(io::Error),
    Write(io::Error),
}

/// Copies `from` into `to`, stopping with [`CopyError::OverLimit`] as soon as more than
/// `limit` bytes came: the size a zip member declares may be a lie.
pub(super) fn capped_copy(
    mut from: impl Read,
    to: &mut impl Write,
    limit: u64,
) -> Result<u64, CopyError> {
    let mut buffer = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    loop {
        let read = match from.read(&mut buffer) {
            Ok(0) => return Ok(total),
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(CopyError::Read(e)),
        };
        total += read as u64;
        if total > limit {
            return Err(CopyError::OverLimit);
        }
        to.write_all(&buffer[..read]).map_err(CopyError::Write)?;
    }
}

/// A collection saved in write-ahead-log mode says so in its header; with no log beside
/// it, SQLite would refuse to open the copy read-only. Bytes 18 and 19 set to 1 make it a
/// rollback-journal database, which is what it is without its log.
fn rollback_journal(path: &Path) -> io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(path)?;
    let mut header = [0u8; 20];
    file.seek(io::SeekFrom::Start(0))?;
    if file.read(&mut header)? == header.len() && header[18] == 2 && header[19] == 2 {
        file.seek(io::SeekFrom::Start(18))?;
        file.write_all(&[1, 1])?;
    }
    file.sync_all()
}

/// The temporary file a collection is unpacked into: `.lupus-quiz-anki-PID-N.sqlite` in
/// `folder`, a name [`writer_of_unpacked`] recognises after a crash.
pub(super) fn temp_path(folder: &Path, n: u32) -> PathBuf {
    folder.join(format!(
        ".lupus-quiz-anki-{}-{n}.sqlite",
        std::process::id()
    ))
}

/// The writer of a collection unpacked by [`unpack`] and left behind by a crash.
pub(super) fn writer_of_unpacked(candidate: &str) -> Option<u32> {
    let rest = candidate
        .strip_prefix(".lupus-quiz-anki-")?
        .strip_suffix(".sqlite")?;
    let (pid, n) = rest.split_once('-')?;
    (!n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        .then(|| pid.parse().ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meta_version_is_field_one() {
        assert_eq!(meta_version(&[0x08, 0x03]), 3);
        assert_eq!(meta_version(&[0x08, 0x96, 0x01]), 150);
        assert_eq!(meta_version(&[]), 0);
        assert_eq!(meta_version(&[0x10, 0x03]), 0);
    }

    #[test]
    fn a_copy_stops_at_the_limit_whatever_the_source_claims() {
        let mut out = Vec::new();
        let endless = io::repeat(0);
        assert!(matches!(
            capped_copy(endless, &mut out, 1_000_000),
            Err(CopyError::OverLimit)
        ));
        assert!(out.len() <= 1_000_000);
        let mut out = Vec::new();
        assert_eq!(capped_copy(&b"abc"[..], &mut out, 3).unwrap(), 3);
    }

    #[test]
    fn leftover_names_give_their_writer() {
        let path = temp_path(Path::new("/tmp"), 2);
        let name = path.file_name().unwrap().to_str().unwrap();
        assert_eq!(writer_of_unpacked(name), Some(std::process::id()));
        assert_eq!(writer_of_unpacked(".lupus-quiz-anki-12-.sqlite"), None);
        assert_eq!(writer_of_unpacked("collection.anki2"), None);
    }
}
