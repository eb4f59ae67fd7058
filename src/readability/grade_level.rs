//! The Flesch–Kincaid grade level of a text, exactly as the Python package `textstat` 0.7.3
//! computes it (`flesch_kincaid_grade`), so that figures from this program and from the
//! reviews that use textstat can be compared:
//!
//! - punctuation is every character that is neither a word character nor white space
//!   (Python's `[^\w\s]`), removed before words are counted;
//! - a word is what is left between white space;
//! - a sentence is a match of `\b[^.!?]+[.!?]*`, and a "sentence" of two words or fewer
//!   (an abbreviation's letters, a number's digits) is not counted, with one at least;
//! - syllables are Pyphen's ([`super::syllables`]);
//! - words per sentence and syllables per word are each rounded to one decimal before
//!   `0.39 × words per sentence + 11.8 × syllables per word − 15.59`, which is rounded to
//!   one decimal again, halves away from zero.

use super::syllables;

/// A word character as Python's `\w` sees one in a text: a letter, a digit, `_`.
fn is_word_char(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

/// textstat's `remove_punctuation` (apostrophes too, its default).
fn without_punctuation(text: &str) -> String {
    text.chars()
        .filter(|&ch| is_word_char(ch) || ch.is_whitespace())
        .collect()
}

/// textstat's `lexicon_count`: words once punctuation is removed.
pub(crate) fn word_count(text: &str) -> usize {
    without_punctuation(text).split_whitespace().count()
}

/// textstat's `sentence_count`: the matches of `\b[^.!?]+[.!?]*` of more than two words,
/// and at least one.
fn sentence_count(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    let ends_sentence = |ch: char| matches!(ch, '.' | '!' | '?');
    let word_at = |at: usize| chars.get(at).is_some_and(|&ch| is_word_char(ch));
    let (mut found, mut short) = (0usize, 0usize);
    let mut at = 0;
    while at < chars.len() {
        let boundary = (at > 0 && word_at(at - 1)) != word_at(at);
        if !boundary || ends_sentence(chars[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < chars.len() && !ends_sentence(chars[at]) {
            at += 1;
        }
        while at < chars.len() && ends_sentence(chars[at]) {
            at += 1;
        }
        found += 1;
        let sentence: String = chars[start..at].iter().collect();
        if word_count(&sentence) <= 2 {
            short += 1;
        }
    }
    (found - short).max(1)
}

/// textstat's `syllable_count`.
fn syllable_count(text: &str) -> usize {
    without_punctuation(&text.to_lowercase())
        .split_whitespace()
        .map(syllables::of_word)
        .sum()
}

/// textstat's `_legacy_round`: to `points` decimals, halves away from zero.
fn legacy_round(number: f64, points: i32) -> f64 {
    let scale = 10f64.powi(points);
    (number * scale + 0.5f64.copysign(number)).floor() / scale
}

/// The Flesch–Kincaid grade level of `text`, as textstat 0.7.3 gives it (one decimal).
pub(crate) fn flesch_kincaid(text: &str) -> f64 {
    let words = word_count(text);
    let words_per_sentence = legacy_round(words as f64 / sentence_count(text) as f64, 1);
    let syllables_per_word = if words == 0 {
        0.0
    } else {
        legacy_round(syllable_count(text) as f64 / words as f64, 1)
    };
    legacy_round(
        0.39 * words_per_sentence + 11.8 * syllables_per_word - 15.59,
        1,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values from textstat 0.7.3 with Pyphen 0.18.1 (`textstat.flesch_kincaid_grade`,
    /// `lexicon_count`, `sentence_count`, `syllable_count`), on sentences of the decks, of
    /// the article and of everyday writing. The grade level must be textstat's to the
    /// decimal it prints: a tolerance of 0.05 admits no other value.
    #[test]
    fn grade_levels_equal_textstat_on_known_sentences() {
        // (text, words, sentences, syllables, grade level)
        let known: &[(&str, usize, usize, usize, f64)] = &[
            (
                "Lupus can be caught from another person, like a cold.",
                10,
                1,
                14,
                4.8,
            ),
            (
                "A disease in which the immune system attacks the body's own healthy tissue is called an ____ disease.",
                18,
                1,
                24,
                6.8,
            ),
            (
                "\"Auto\" means self: in an autoimmune disease the defences meant for germs are aimed at the body itself. The other options describe an infection, an immune deficiency and cancer.",
                29,
                2,
                45,
                8.9,
            ),
            (
                "Lupus, particularly Systemic Lupus Erythematosus (SLE), is a complex disease characterized by inflammation and damage to various body systems, including the skin, joints, kidneys, and brain.",
                26,
                1,
                51,
                18.2,
            ),
            (
                "In lupus treatment, the primary focus is on hematopoietic stem cells (HSCs) derived from bone marrow or peripheral blood.",
                19,
                1,
                31,
                10.7,
            ),
            (
                "Evidence for mesenchymal stem cells in lupus is mixed: a randomized, double-blind, placebo-controlled trial in lupus nephritis found no added benefit over standard treatment (Deng et al., Annals of the Rheumatic Diseases, 2017).",
                33,
                2,
                55,
                10.9,
            ),
            (
                "The median follow-up was 15 months (up to 29). About 3.5% of patients died, e.g. from infection!",
                17,
                2,
                23,
                4.2,
            ),
            (
                "Take your pills. See your doctor. Ask questions?",
                8,
                2,
                10,
                1.3,
            ),
            (
                "Sarah received a transplant of which type of stem cells? (____ stem cells)",
                13,
                2,
                15,
                1.1,
            ),
            (
                "It's not an infection; you can't catch it from someone else's cup.",
                12,
                1,
                15,
                4.4,
            ),
            ("The cat sat on the mat.", 6, 1, 6, -1.5),
            (
                "Products sold this way include cells from fat (stromal vascular fraction), umbilical cord, cord blood, amniotic fluid, Wharton's jelly and exosomes (FDA, 2021).",
                23,
                1,
                40,
                13.4,
            ),
        ];
        for &(text, words, sentences, syllables, grade) in known {
            assert_eq!(word_count(text), words, "words of {text:?}");
            assert_eq!(sentence_count(text), sentences, "sentences of {text:?}");
            assert_eq!(syllable_count(text), syllables, "syllables of {text:?}");
            let ours = flesch_kincaid(text);
            assert!(
                (ours - grade).abs() < 0.05,
                "{text:?}: ours {ours}, textstat {grade}"
            );
        }
        assert!(!known.is_empty());
    }

    #[test]
    fn rounding_is_half_away_from_zero_as_in_textstat() {
        assert_eq!(legacy_round(2.25, 1), 2.3);
        assert_eq!(legacy_round(-2.25, 1), -2.3);
        assert_eq!(legacy_round(0.0, 1), 0.0);
    }
}
