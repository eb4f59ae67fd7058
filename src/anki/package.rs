//! The `.apkg` file: a zip archive of the collection (`collection.anki21`, the legacy
//! format every current Anki and AnkiDroid imports) and the media list (`media`: none).

use std::fs::{self, File};
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

/// Writes the archive of `collection` to `out`.
pub(super) fn write_archive<W: Write + Seek>(
    out: W,
    collection: &[u8],
) -> zip::result::ZipResult<W> {
    let mut zip = ZipWriter::new(out);
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("collection.anki21", options)?;
    zip.write_all(collection)?;
    // The legacy media list: a JSON object from archive member names to file names.
    zip.start_file("media", options)?;
    zip.write_all(b"{}")?;
    zip.finish()
}

/// Writes the package to `path` all at once: into a temporary file in the same folder,
/// flushed to disk, then renamed over `path`, so a crash leaves the old file or the new one,
/// never half of one.
pub(super) fn write_atomically(path: &Path, collection: &[u8]) -> io::Result<()> {
    let temporary = temporary_path(path);
    let written = (|| {
        let file = BufWriter::new(File::create(&temporary)?);
        let file = write_archive(file, collection).map_err(io::Error::other)?;
        let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    written
}

/// `.NAME.tmp-PID` beside `path`.
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = std::ffi::OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".tmp-{}", std::process::id()));
    path.with_file_name(name)
}
