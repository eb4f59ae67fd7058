//! Where lupus-quiz keeps things by default: the platform's config, data and cache folders,
//! and the variables that override them. Read by the context, and by shell completion,
//! which runs before any command line is parsed.

use std::path::PathBuf;

use crate::deck::DeckCache;

/// The variable that names the folder of parsed decks (empty: no cache).
const CACHE_DIR_VAR: &str = "LUPUS_QUIZ_CACHE_DIR";

/// The decks folder when none is given: `decks` in the user's config directory.
pub(crate) fn default_decks_dir() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.config_dir().join("decks"))
}

/// The progress database when none is given: `progress.db` in the user's data directory.
pub(crate) fn default_db_path() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_dir().join("progress.db"))
}

/// The decks folder the environment alone names (`LUPUS_QUIZ_DECKS`, or the default), for
/// shell completion, which runs before any command line is parsed.
pub(crate) fn decks_dir_of_env() -> Option<PathBuf> {
    match std::env::var_os("LUPUS_QUIZ_DECKS") {
        Some(dir) if !dir.is_empty() => Some(PathBuf::from(dir)),
        _ => default_decks_dir(),
    }
}

/// The cache of parsed decks: in `LUPUS_QUIZ_CACHE_DIR`, or in the platform's cache folder;
/// none when the variable is set but empty, or when there is no cache folder.
pub(crate) fn deck_cache() -> DeckCache {
    let dir = match std::env::var_os(CACHE_DIR_VAR) {
        Some(dir) if dir.is_empty() => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => project_dirs().map(|dirs| dirs.cache_dir().join("decks")),
    };
    match dir {
        // Entries are keyed by the program that wrote them: a rebuilt parser never reads
        // an older one's output.
        Some(dir) => match std::env::current_exe() {
            Ok(program) => DeckCache::in_dir(&dir, &program),
            Err(_) => DeckCache::disabled(),
        },
        None => DeckCache::disabled(),
    }
}

fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "lupus-quiz")
}

/// The folder for temporary files (`TMPDIR`, else `/tmp`): where `import` unpacks an Anki
/// package's collection to read it.
pub(crate) fn temp_dir() -> PathBuf {
    std::env::temp_dir()
}
