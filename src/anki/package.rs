//! The `.apkg` file: a zip archive of the collection (`collection.anki21`, the legacy
//! format every current Anki and AnkiDroid imports) and the media list (`media`: none).

use std::io::{self, Seek, Write};

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

/// The package's bytes: the archive is built in memory (the collection already is), so
/// that it is written through the one atomic writer of `export`, [`crate::files::write_atomically`].
pub fn archive(collection: &[u8]) -> zip::result::ZipResult<Vec<u8>> {
    Ok(write_archive(io::Cursor::new(Vec::new()), collection)?.into_inner())
}
