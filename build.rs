//! Compiles the decks in `decks/` into the binary, so an installed `lupus-quiz` works from
//! any folder, each with the blake3 hash of its text: the deck cache keys a built-in deck's
//! entry by it, so a start never hashes text that cannot differ from what this build saw
//! (issue 18: hashing was half of `decks`' instructions with the built-in decks only).
//!
//! Each deck is read once, hashed, and written to `OUT_DIR`, and the binary includes that
//! copy: the hash is of exactly the bytes compiled in, even should the file change while
//! the build runs.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let out_dir = PathBuf::from(env::var("OUT_DIR").expect("cargo sets it"));
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
    let copies = out_dir.join("decks");
    fs::create_dir_all(&copies).expect("OUT_DIR is writable");
    let mut code = String::from(
        "/// Each built-in deck: its name, its text, and the blake3 hash of that text.\n\
         pub(crate) static BUILTIN_DECKS: &[(&str, &[u8], [u8; 32])] = &[\n",
    );
    for path in &files {
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("deck file names are UTF-8");
        println!("cargo:rerun-if-changed={}", path.display());
        let bytes = fs::read(path).expect("a deck file of decks/ is readable");
        let copy = copies.join(format!("{name}.yaml"));
        fs::write(&copy, &bytes).expect("OUT_DIR is writable");
        let hash = blake3::hash(&bytes);
        writeln!(
            code,
            "    ({name:?}, include_bytes!({:?}), {:?}),",
            copy.display().to_string(),
            hash.as_bytes()
        )
        .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
    fs::write(out_dir.join("builtin_decks.rs"), code).expect("OUT_DIR is writable");
}
