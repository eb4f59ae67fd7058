//! Compiles the decks in `decks/` into the binary, so an installed `lupus-quiz` works from
//! any folder.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let decks_dir = manifest_dir.join("decks");
    println!("cargo:rerun-if-changed=decks");
    let mut files: Vec<PathBuf> = fs::read_dir(&decks_dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| entry.path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("pub(crate) static BUILTIN_DECKS: &[(&str, &[u8])] = &[\n");
    for path in &files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("deck file names are UTF-8");
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it")).join("builtin_decks.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
