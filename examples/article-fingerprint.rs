//! Writes what the repository keeps of the article (its headings and the fingerprint of its
//! runs of nine words) into `tests/article/`, for the content tests. Run it when the article
//! changes:
//!
//! ```text
//! cargo run --example article-fingerprint -- ../shared/source/article.txt
//! ```
//!
//! The article's sentences never enter the repository; see `tests/cli/article_fingerprint.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../tests/cli/article_fingerprint.rs"]
mod article_fingerprint;

fn main() -> ExitCode {
    let Some(article_path) = std::env::args_os().nth(1).map(PathBuf::from) else {
        eprintln!("usage: cargo run --example article-fingerprint -- PATH/TO/article.txt");
        return ExitCode::from(2);
    };
    let article = match std::fs::read_to_string(&article_path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", article_path.display());
            return ExitCode::FAILURE;
        }
    };
    let folder = article_fingerprint::folder(&PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let (headings, runs) = article_fingerprint::derive(&article);
    let written = std::fs::create_dir_all(&folder)
        .and_then(|()| std::fs::write(folder.join(article_fingerprint::HEADINGS_FILE), &headings))
        .and_then(|()| std::fs::write(folder.join(article_fingerprint::RUNS_FILE), &runs));
    if let Err(e) = written {
        eprintln!("error: cannot write {}: {e}", folder.display());
        return ExitCode::FAILURE;
    }
    println!(
        "wrote {} headings and {} nine-word runs to {}",
        headings.lines().count(),
        runs.lines().count(),
        folder.display()
    );
    ExitCode::SUCCESS
}
