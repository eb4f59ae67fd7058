//! `lupus-quiz draft ARTICLE`: a deck drafted from an article, to review before studying.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use crate::cli::DraftArgs;
use crate::deck::CardType;
use crate::deck::is_kebab_case;
use crate::draft::article::Article;
use crate::draft::{self, ArticleError, DeckFile, Draft, DraftCard, MAX_ARTICLE_BYTES};
use crate::files::{self, ReadError};
use crate::text::{plural, visible_inline};

pub(crate) fn run(
    args: &DraftArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<()> {
    let label = if args.article == Path::new("-") {
        "standard input".to_string()
    } else {
        format!("`{}`", args.article.display())
    };
    if let (Some(file), false) = (&args.output, args.split)
        && !crate::deck::is_deck_file_name(file)
    {
        bail!(
            "`{}` is not named as a deck file; a deck is written to a `.yaml` (or `.yml`) file, \
             e.g. `-o my-deck.yaml`",
            visible_inline(&file.display().to_string())
        );
    }
    let bytes = read_article(&args.article, &label)?;
    let text = draft::article::article_text(&bytes).map_err(|e| article_error(&label, &e))?;
    let name = deck_name(args)?;
    let fallback_title = match args.article.file_stem() {
        Some(stem) if args.article != Path::new("-") => {
            format!("Drafted from {}", stem.to_string_lossy())
        }
        _ => "Drafted deck".to_string(),
    };
    let max = args.max.map(|n| n as usize);
    let drafted = draft::draft(text, &name, &fallback_title, max, args.split)
        .map_err(|e| article_error(&label, &e))?;
    if drafted.decks.is_empty() {
        bail!(
            "no card could be drafted from {label}: it has no definitions, abbreviations, lists, steps, numbers or key terms in sentences of 5 to 40 words"
        );
    }
    match (&args.output, args.split) {
        (None, _) => out.write_all(drafted.decks[0].yaml.as_bytes())?,
        (Some(file), false) => write_decks(&[(file.clone(), &drafted.decks[0])], args.force)?,
        (Some(folder), true) => {
            if folder.exists() && !folder.is_dir() {
                bail!(
                    "`{}` is a file; --split writes one deck per section into a folder: name a folder with -o",
                    folder.display()
                );
            }
            std::fs::create_dir_all(folder)
                .with_context(|| format!("cannot create the folder `{}`", folder.display()))?;
            let targets: Vec<(PathBuf, &DeckFile)> = drafted
                .decks
                .iter()
                .map(|deck| (folder.join(format!("{}.yaml", deck.name)), deck))
                .collect();
            write_decks(&targets, args.force)?;
        }
    }
    summary(&drafted, args, err)?;
    Ok(())
}

/// The article's bytes: a regular file or standard input, at most [`MAX_ARTICLE_BYTES`].
pub(super) fn read_article(path: &Path, label: &str) -> anyhow::Result<Vec<u8>> {
    let read = if path == Path::new("-") {
        files::read_to_limit(std::io::stdin().lock(), MAX_ARTICLE_BYTES)
    } else {
        files::read_regular(path, MAX_ARTICLE_BYTES)
    };
    read.map_err(|e| match e {
        ReadError::TooLarge { size, .. } => anyhow::anyhow!(
            "cannot draft from {label}: it is {}over the limit of 8 MiB ({MAX_ARTICLE_BYTES} bytes); split the article into parts and draft each",
            size.map(|s| format!("{s} bytes, ")).unwrap_or_default()
        ),
        ReadError::NotRegular("a folder") => anyhow::anyhow!(
            "cannot draft from {label}: it is a folder; name one article file (plain text or Markdown)"
        ),
        other => anyhow::anyhow!("cannot read the article {label}: {other}"),
    })
}

pub(super) fn article_error(label: &str, error: &ArticleError) -> anyhow::Error {
    anyhow::anyhow!("cannot draft from {label}: {error}")
}

/// The deck's name: `--deck`, else the output file's stem, else the article's.
fn deck_name(args: &DraftArgs) -> anyhow::Result<String> {
    if let Some(name) = &args.deck {
        if !is_kebab_case(name) {
            let suggestion = draft_slug(name);
            bail!(
                "the deck name `{}` is not kebab-case (lowercase letters, digits, single hyphens); write it as `{suggestion}`",
                visible_inline(name)
            );
        }
        return Ok(name.clone());
    }
    let from = match (&args.output, args.split) {
        (Some(file), false) => file.file_stem(),
        _ if args.article != Path::new("-") => args.article.file_stem(),
        _ => None,
    };
    let name = from
        .map(|s| draft_slug(&s.to_string_lossy()))
        .unwrap_or_default();
    Ok(if name.is_empty() {
        "draft".to_string()
    } else {
        name
    })
}

fn draft_slug(text: &str) -> String {
    let slug = crate::draft::slug(text, 40);
    if slug.is_empty() {
        "draft".to_string()
    } else {
        slug
    }
}

/// Writes each deck whole, after making sure none would replace a file without --force.
fn write_decks(targets: &[(PathBuf, &DeckFile)], force: bool) -> anyhow::Result<()> {
    if !force {
        for (path, _) in targets {
            if path.symlink_metadata().is_ok() {
                bail!(
                    "`{}` exists already; add --force to replace it, or name another file with -o",
                    path.display()
                );
            }
        }
    }
    for (path, deck) in targets {
        files::write_atomically(path, |out| Ok(out.write_all(deck.yaml.as_bytes())?))?;
    }
    Ok(())
}

/// What was drafted, on stderr: cards per type and section, the sentences no card comes
/// from, the numbers that need a reference, and where the decks went.
fn summary(drafted: &Draft, args: &DraftArgs, err: &mut dyn Write) -> anyhow::Result<()> {
    let cards: Vec<&DraftCard> = drafted.decks.iter().flat_map(|d| d.cards.iter()).collect();
    let article = &drafted.article;
    let mut by_type: BTreeMap<CardType, usize> = BTreeMap::new();
    for card in &cards {
        *by_type.entry(card.card_type()).or_default() += 1;
    }
    let where_to = destination(drafted, args);
    writeln!(
        err,
        "drafted {} card{} from {} words ({} sentences) to {where_to}{}",
        cards.len(),
        plural(cards.len()),
        article.word_count,
        article.sentences.len(),
        if drafted.capped {
            format!(
                " (--max lowered to {}: one card per 8 words at most)",
                drafted.max
            )
        } else {
            String::new()
        }
    )?;
    let types: Vec<String> = by_type.iter().map(|(t, n)| format!("{n} {t}")).collect();
    writeln!(err, "  by type: {}", types.join(", "))?;
    write_by_section(article, &cards, err)?;
    let uncovered = untaught_lines(article, &cards);
    writeln!(
        err,
        "  sentences no card comes from: {} of {}{}",
        uncovered.len(),
        article.sentences.len(),
        lines_list(&uncovered)
    )?;
    let numbers: Vec<u32> = cards
        .iter()
        .filter(|c| c.number)
        .map(|c| c.origin)
        .collect();
    if !numbers.is_empty() {
        writeln!(
            err,
            "  numbers that need a reference (tag `needs-reference`): {}{}",
            numbers.len(),
            lines_list(&numbers)
        )?;
    }
    writeln!(
        err,
        "Review every card against its line (docs/authoring.md), then run `lupus-quiz check` on the deck."
    )?;
    Ok(())
}

/// Where the decks went: standard output, a file, or a folder.
fn destination(drafted: &Draft, args: &DraftArgs) -> String {
    match (&args.output, args.split) {
        (None, _) => "standard output".to_string(),
        (Some(file), false) => format!("`{}`", file.display()),
        (Some(folder), true) => format!(
            "{} deck{} in `{}`",
            drafted.decks.len(),
            plural(drafted.decks.len()),
            folder.display()
        ),
    }
}

/// The cards of each section that has sentences of its own.
fn write_by_section(
    article: &Article,
    cards: &[&DraftCard],
    err: &mut dyn Write,
) -> io::Result<()> {
    let mut by_section: Vec<usize> = vec![0; article.sections.len()];
    for card in cards {
        by_section[card.section] += 1;
    }
    writeln!(err, "  by section:")?;
    for (index, (section, count)) in article.sections.iter().zip(&by_section).enumerate() {
        // A heading with only subsections under it has no sentence to draft from.
        if article.sentences.iter().any(|s| s.section == index) {
            writeln!(err, "    {count:>3}  {}", visible_inline(&section.heading))?;
        }
    }
    Ok(())
}

/// The lines of the sentences no card comes from.
fn untaught_lines(article: &Article, cards: &[&DraftCard]) -> Vec<u32> {
    let taught: std::collections::HashSet<usize> = cards
        .iter()
        .flat_map(|c| c.passage.iter().copied())
        .collect();
    article
        .sentences
        .iter()
        .enumerate()
        .filter(|(i, _)| !taught.contains(i))
        .map(|(_, s)| s.line)
        .collect()
}

/// ", on lines 3, 7, 9" (the first twenty, then "…").
fn lines_list(lines: &[u32]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut unique = lines.to_vec();
    unique.dedup();
    let shown: Vec<String> = unique.iter().take(20).map(u32::to_string).collect();
    let more = if unique.len() > 20 { ", …" } else { "" };
    format!(
        ", on line{} {}{more}",
        plural(unique.len()),
        shown.join(", ")
    )
}
