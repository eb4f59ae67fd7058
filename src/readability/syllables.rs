//! Syllables as Pyphen 0.18 counts them for textstat: one more than the places where the
//! American English hyphenation patterns allow a break, at least two letters from either
//! end of the word.
//!
//! The patterns are Pyphen's own file, `hyph_en_US.dic` (LibreOffice's conversion of the
//! plain TeX patterns and the TUGboat exception log; BSD-style licence, kept beside it in
//! `README_hyph_en_US.txt`), embedded as it is, and read the way Pyphen reads them (Liang's
//! algorithm, with Pyphen's minimum of two letters on each side rather than the file's
//! `RIGHTHYPHENMIN 3`). A crate with other pattern files would count some words
//! differently, and the figures would no longer be textstat's.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Pyphen's `hyph_en_US.dic`, byte for byte.
const EN_US_PATTERNS: &str = include_str!("hyph_en_US.dic");

/// Pyphen's defaults: no break closer than this to the start or the end of a word.
const MIN_LEFT: usize = 2;
const MIN_RIGHT: usize = 2;

/// The patterns, by their letters: where their values start in the letters, and the values.
struct Patterns {
    by_letters: HashMap<String, (usize, Vec<u8>)>,
    /// The longest pattern, in characters.
    longest: usize,
}

impl Patterns {
    /// Reads a `hyph_*.dic` text as Pyphen's `HyphDict` does: the first line names the
    /// encoding; comments and the `*HYPHENMIN` settings are skipped; a pattern's digits
    /// rank the places between its letters; patterns of zeros only are dropped, and a
    /// pattern written twice keeps its last values.
    fn parse(text: &str) -> Patterns {
        const IGNORED: [&str; 6] = [
            "%",
            "#",
            "LEFTHYPHENMIN",
            "RIGHTHYPHENMIN",
            "COMPOUNDLEFTHYPHENMIN",
            "COMPOUNDRIGHTHYPHENMIN",
        ];
        let mut by_letters = HashMap::new();
        for line in text.split('\n').skip(1) {
            let pattern = line.trim();
            if pattern.is_empty() || IGNORED.iter().any(|prefix| pattern.starts_with(prefix)) {
                continue;
            }
            // values[k] is the digit written before letter k; the last, after the last.
            let mut letters = String::new();
            let mut values = vec![0u8];
            for ch in pattern.chars() {
                match ch.to_digit(10) {
                    Some(digit) => *values.last_mut().expect("never empty") = digit as u8,
                    None => {
                        letters.push(ch);
                        values.push(0);
                    }
                }
            }
            let Some(start) = values.iter().position(|&v| v != 0) else {
                continue;
            };
            let end = values
                .iter()
                .rposition(|&v| v != 0)
                .expect("a non-zero value")
                + 1;
            by_letters.insert(letters, (start, values[start..end].to_vec()));
        }
        let longest = by_letters
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0);
        Patterns {
            by_letters,
            longest,
        }
    }

    /// Where `word` (lower case) may be broken, as Pyphen's `positions`: character offsets,
    /// each at least [`MIN_LEFT`] from the start and [`MIN_RIGHT`] from the end.
    fn break_count(&self, word: &str) -> usize {
        let pointed = format!(".{word}.");
        // Byte offset of each character, and of the end.
        let bounds: Vec<usize> = pointed
            .char_indices()
            .map(|(at, _)| at)
            .chain(std::iter::once(pointed.len()))
            .collect();
        let chars = bounds.len() - 1;
        let mut ranks = vec![0u8; chars + 1];
        for i in 0..chars.saturating_sub(1) {
            let stop = (i + self.longest).min(chars);
            for j in i + 1..=stop {
                let Some((offset, values)) = self.by_letters.get(&pointed[bounds[i]..bounds[j]])
                else {
                    continue;
                };
                for (k, &value) in values.iter().enumerate() {
                    let rank = &mut ranks[i + offset + k];
                    *rank = (*rank).max(value);
                }
            }
        }
        let word_chars = chars - 2;
        ranks
            .iter()
            .enumerate()
            .filter(|&(at, &rank)| rank % 2 == 1 && at >= 1)
            .map(|(at, _)| at - 1)
            .filter(|&position| MIN_LEFT <= position && position + MIN_RIGHT <= word_chars)
            .count()
    }
}

fn en_us() -> &'static Patterns {
    static PATTERNS: OnceLock<Patterns> = OnceLock::new();
    PATTERNS.get_or_init(|| Patterns::parse(EN_US_PATTERNS))
}

/// The syllables of one word as Pyphen (en_US) counts them: its break points plus one.
pub(super) fn of_word(word: &str) -> usize {
    en_us().break_count(&word.to_lowercase()) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_where_pyphen_splits_them() {
        // Pyphen 0.18.1, `Pyphen(lang="en_US").inserted(word)`, counted.
        for (word, syllables) in [
            ("lupus", 2),           // lu-pus
            ("hematopoietic", 3),   // hematopoi-et-ic
            ("transplantation", 4), // trans-plan-ta-tion
            ("mesenchymal", 3),     // mes-enchy-mal
            ("autoimmune", 3),      // au-toim-mune
            ("erythematosus", 4),   // ery-the-mato-sus
            ("chemotherapy", 3),    // chemo-ther-apy
            ("immune", 2),          // im-mune
            ("cells", 1),
            ("a", 1),
            ("2024", 1),
        ] {
            assert_eq!(of_word(word), syllables, "{word}");
        }
    }
}
