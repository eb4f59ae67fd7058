//! The patterns of a sentence that carry a fact: definitions, acronyms, lists, sequences
//! and numbers. Each keeps the words of its sentence as written, so that every answer the
//! drafter proposes is text of the article.

use super::article::{Article, RunKind};
use super::words::{Word, is_stopword};

/// "X is a Y", "X, a Y, …", "X involves Y", "X means Y", "Y is called X".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Definition {
    pub sentence: usize,
    pub term: String,
    /// The term as the sentence writes it, article included ("A placebo").
    pub written: String,
    /// The verb that joins them, as a question uses it: "is", "are", "involves", "means".
    pub verb: String,
    pub definition: String,
}

/// "hematopoietic stem cells (HSCs)".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Acronym {
    pub sentence: usize,
    pub short: String,
    pub long: String,
}

/// "such as A, B, and C", "including …", "X include A, B and C".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct List {
    pub sentence: usize,
    /// What the items are ("side effects"), as written before the marker.
    pub category: String,
    pub items: Vec<String>,
}

/// Steps in their order, from a run of lines or from "first … then … finally".
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sequence {
    /// The sentence of each step, in order.
    pub sentences: Vec<usize>,
    pub section: usize,
    pub steps: Vec<String>,
    /// The run it comes from, if any.
    pub run: Option<usize>,
    /// Events of a story rather than steps of a procedure.
    pub story: bool,
}

/// A number in a sentence: a percentage, an age, a duration, a count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Number {
    pub sentence: usize,
    /// The word of the sentence that is the number.
    pub word: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Patterns {
    pub definitions: Vec<Definition>,
    pub acronyms: Vec<Acronym>,
    pub lists: Vec<List>,
    pub sequences: Vec<Sequence>,
    pub numbers: Vec<Number>,
}

pub(crate) fn find(article: &Article) -> Patterns {
    let mut patterns = Patterns::default();
    for (index, sentence) in article.sentences.iter().enumerate() {
        let text = sentence.text.as_str();
        patterns
            .acronyms
            .extend(acronyms(index, text, &sentence.words));
        patterns.definitions.extend(definition(index, text));
        let found = list(index, text);
        // "X involve A, B and C" is a list, not a definition.
        if found.is_some() {
            patterns
                .definitions
                .retain(|d| d.sentence != index || !d.verb.starts_with("involve"));
        }
        patterns.lists.extend(found);
        patterns
            .numbers
            .extend(number(index, &sentence.words, text));
    }
    patterns.sequences = sequences(article);
    patterns
}

/// Words that open a sentence about something already named: never a term.
const PRONOUNS: &[&str] = &[
    "this", "that", "these", "those", "it", "its", "they", "their", "he", "she", "his", "her",
    "we", "you", "there", "here", "such", "each", "both", "some", "many", "most", "one", "other",
    "another", "all", "any", "our", "your", "what", "which", "who", "how", "why", "when", "where",
    "if", "as", "after", "before", "while", "because", "although", "over", "in", "on", "at", "for",
    "with", "by", "from", "during", "today", "however",
];

/// A short noun phrase opening a sentence, without its article ("The placebo" → "placebo").
fn subject(text: &str) -> Option<String> {
    let text = text.trim();
    let first = text.split_whitespace().next()?.to_lowercase();
    if PRONOUNS.contains(&first.trim_end_matches(',')) {
        return None;
    }
    let stripped = ["The ", "A ", "An ", "the ", "a ", "an "]
        .iter()
        .find_map(|article| text.strip_prefix(article))
        .unwrap_or(text);
    let words = stripped.split_whitespace().count();
    // "Traditional treatments often" is not a term: no function word but "of" and "and".
    let plain = stripped.split_whitespace().all(|w| {
        let w = w.to_lowercase();
        !is_stopword(&w) || w == "of" || w == "and"
    });
    let clean = plain
        && stripped
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '’' | '(' | ')'));
    ((1..=5).contains(&words) && clean).then(|| stripped.to_string())
}

/// What follows a copula: a phrase of three to 25 words, without its final period.
fn predicate(text: &str) -> Option<String> {
    let text = text.trim().trim_end_matches(['.', '!', ';', ':']).trim();
    let words = text.split_whitespace().count();
    ((3..=25).contains(&words) && !text.contains(['?', '"', '“'])).then(|| text.to_string())
}

/// A definition found in a sentence: the term, the verb that joins it, what it is.
struct Defined {
    term: String,
    verb: &'static str,
    definition: String,
}

fn definition(sentence: usize, text: &str) -> Option<Definition> {
    let found = apposition(text)
        .or_else(|| called(text))
        .or_else(|| linked(text))?;
    Some(Definition {
        sentence,
        written: written_head(text, &found.term),
        term: found.term,
        verb: found.verb.to_string(),
        definition: found.definition,
    })
}

/// "X, a Y, rest."
fn apposition(text: &str) -> Option<Defined> {
    let (head, after) = text.split_once(", ")?;
    let (article, rest) = after
        .split_once(' ')
        .filter(|(article, _)| matches!(*article, "a" | "an"))?;
    let (apposition, _) = rest.split_once(", ")?;
    let term = subject(head)?;
    let definition = format!("{article} {apposition}");
    let words = definition.split_whitespace().count();
    // "Sarah, a 28-year-old patient": a person in a story, whose number is a card of
    // its own.
    let numbered = definition.contains(|c: char| c.is_ascii_digit());
    ((3..=12).contains(&words) && !definition.contains(['(', ')']) && !numbered).then_some(
        Defined {
            term,
            verb: "is",
            definition,
        },
    )
}

/// "Y is called X."
fn called(text: &str) -> Option<Defined> {
    [
        " is called ",
        " are called ",
        " is known as ",
        " are known as ",
    ]
    .into_iter()
    .find_map(|called| {
        let (head, tail) = text.split_once(called)?;
        let definition = predicate(head)?;
        let term = tail.trim().trim_end_matches(['.', '!']).trim();
        let words = term.split_whitespace().count();
        let plain = term
            .chars()
            .all(|c| c.is_alphanumeric() || " -'".contains(c));
        let verb = if called.starts_with(" is") {
            "is"
        } else {
            "are"
        };
        ((1..=4).contains(&words) && plain).then(|| Defined {
            term: term.to_string(),
            verb,
            definition,
        })
    })
}

/// "X is a Y", "X involves Y", "X means Y", "X refers to Y", "Xs are Y".
fn linked(text: &str) -> Option<Defined> {
    const LINKS: &[(&str, &str)] = &[
        (" is a ", "is"),
        (" is an ", "is"),
        (" is the ", "is"),
        (" are a ", "are"),
        (" are the ", "are"),
        (" involves ", "involves"),
        (" involve ", "involve"),
        (" means ", "means"),
        (" refers to ", "refers to"),
    ];
    let (at, link, verb) = LINKS
        .iter()
        .filter_map(|(link, verb)| text.find(link).map(|at| (at, *link, *verb)))
        .min_by_key(|(at, ..)| *at)
        .or_else(|| bare_are(text).map(|at| (at, " are ", "are")))?;
    let term = subject(&text[..at])?;
    let keep_article = matches!(
        link,
        " is a " | " is an " | " is the " | " are a " | " are the "
    );
    let rest = &text[at + link.len()..];
    let definition = if keep_article {
        format!(
            "{} {rest}",
            link.trim().split_once(' ').map_or("", |(_, a)| a)
        )
    } else {
        rest.to_string()
    };
    Some(Defined {
        term,
        verb,
        definition: predicate(&definition)?,
    })
}

/// Where "Platelets are small cell fragments …" joins its term: a bare "are" after a
/// plural term of the article's own, before a word that is not a function word.
fn bare_are(text: &str) -> Option<usize> {
    let at = text.find(" are ")?;
    let head: Vec<Word> = super::words::words(&text[..at]);
    let next = text[at + 5..].split_whitespace().next()?.to_lowercase();
    let own = head.first().is_some_and(Word::is_uncommon) && head.len() <= 3;
    // "are exploring", "are infused": a verb, not a definition.
    let participle = next.ends_with("ing") || next.ends_with("ed");
    (own && !is_stopword(&next) && !participle).then_some(at)
}

/// The term with the article that precedes it in the sentence, if any.
fn written_head(text: &str, term: &str) -> String {
    let Some(at) = text.find(term) else {
        return term.to_string();
    };
    let before = text[..at].trim_end();
    match before.rsplit(' ').next() {
        Some(article @ ("The" | "A" | "An" | "the" | "a" | "an"))
            if before.len() == article.len() || before.ends_with(&format!(" {article}")) =>
        {
            format!("{} {term}", article.to_lowercase())
        }
        _ => term.to_string(),
    }
}

fn acronyms(sentence: usize, text: &str, words: &[Word]) -> Vec<Acronym> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| i + from) {
        let Some(close) = text[open..].find(')').map(|i| i + open) else {
            break;
        };
        from = close;
        let short = &text[open + 1..close];
        let capitals: Vec<char> = short.chars().filter(|c| c.is_uppercase()).collect();
        let shaped = (2..=10).contains(&short.len())
            && capitals.len() >= 2
            && short.starts_with(|c: char| c.is_uppercase())
            && short.chars().all(|c| c.is_alphanumeric() || c == '-');
        if !shaped {
            continue;
        }
        let before: Vec<&Word> = words.iter().filter(|w| w.end <= open).collect();
        if let Some(start) = long_form_start(&before, &capitals) {
            let long = text[before[start].start..before[before.len() - 1].end].to_string();
            found.push(Acronym {
                sentence,
                short: short.to_string(),
                long,
            });
        }
    }
    found
}

/// Where the long form of an acronym starts among the words before it: each capital of the
/// acronym, from the last, is the first letter of a word (function words may be skipped).
fn long_form_start(before: &[&Word], capitals: &[char]) -> Option<usize> {
    let mut letter = capitals.len();
    let mut index = before.len();
    while letter > 0 {
        index = index.checked_sub(1)?;
        let word = before[index];
        let initial = word.lower.chars().next()?;
        let wanted = capitals[letter - 1].to_lowercase().next()?;
        if initial == wanted {
            letter -= 1;
        } else if !(is_stopword(&word.lower) && letter < capitals.len()) {
            return None;
        }
        if before.len() - index > capitals.len() + 3 {
            return None;
        }
    }
    Some(index)
}

fn list(sentence: usize, text: &str) -> Option<List> {
    const MARKERS: &[&str] = &[
        " such as ",
        ", including ",
        " including ",
        " include ",
        " involve ",
    ];
    let (at, marker) = MARKERS
        .iter()
        .filter_map(|marker| text.find(marker).map(|at| (at, *marker)))
        .min_by_key(|(at, _)| *at)?;
    let head = text[..at].trim_end_matches(',');
    let category = if matches!(marker, " include " | " involve ") {
        subject(head)?
    } else {
        // The words just before the marker: "severe side effects such as …".
        let words: Vec<&str> = head.rsplit([',', ';']).next()?.split_whitespace().collect();
        let tail: Vec<&str> = words
            .iter()
            .rev()
            .take_while(|w| !is_stopword(&w.to_lowercase()))
            .take(4)
            .copied()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if tail.is_empty() {
            return None;
        }
        tail.join(" ")
    };
    let rest = text[at + marker.len()..].trim_end_matches(['.', '!']);
    let items = list_items(rest)?;
    Some(List {
        sentence,
        category,
        items,
    })
}

/// "A, B, and C" (up to the end of the list): two to eight short items.
fn list_items(text: &str) -> Option<Vec<String>> {
    let mut items = Vec::new();
    let mut last = false;
    for segment in text.split(", ") {
        let segment = segment.trim();
        let (pieces, ends): (Vec<&str>, bool) = if let Some(item) = segment
            .strip_prefix("and ")
            .or_else(|| segment.strip_prefix("or "))
        {
            (vec![item], true)
        } else if let Some((a, b)) = segment
            .split_once(" and ")
            .or_else(|| segment.split_once(" or "))
        {
            (vec![a, b], true)
        } else {
            (vec![segment], false)
        };
        let count = pieces.len();
        items.extend(pieces.into_iter().enumerate().map(|(i, p)| {
            // The last item ends where the sentence goes on: "and tiredness are common".
            let p = if ends && i + 1 == count {
                let mut kept = Vec::new();
                for (n, word) in p.split_whitespace().enumerate() {
                    let lower = word.to_lowercase();
                    if n > 0 && is_stopword(&lower) && lower != "of" {
                        break;
                    }
                    kept.push(word);
                }
                kept.join(" ")
            } else {
                p.trim().to_string()
            };
            let p = p.as_str();
            ["the ", "a ", "an "]
                .iter()
                .find_map(|article| p.strip_prefix(article))
                .unwrap_or(p)
                .to_string()
        }));
        if ends {
            last = true;
            break;
        }
    }
    let short = items.iter().all(|item| {
        let words = item.split_whitespace().count();
        (1..=4).contains(&words)
            && item
                .chars()
                .all(|c| c.is_alphanumeric() || " -'’".contains(c))
    });
    let distinct = items
        .iter()
        .enumerate()
        .all(|(i, item)| !items[..i].contains(item));
    (last && short && distinct && (2..=8).contains(&items.len())).then_some(items)
}

fn number(sentence: usize, words: &[Word], text: &str) -> Option<Number> {
    let candidates: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.is_number())
        .map(|(i, _)| i)
        .collect();
    // One number a card: a sentence with the same number twice would give it away.
    let word = *candidates.first()?;
    let repeated = candidates[1..]
        .iter()
        .any(|&i| words[i].lower == words[word].lower);
    // A number glued to letters ("Cas9", "COVID-19") is part of a name.
    let glued = text[..words[word].start].ends_with(|c: char| c.is_alphabetic() || c == '-');
    (!repeated && !glued).then_some(Number { sentence, word })
}

/// Words that mark a run or a section as steps in an order.
const SEQUENCE_WORDS: &[&str] = &[
    "process",
    "procedure",
    "step",
    "steps",
    "stage",
    "stages",
    "phase",
    "phases",
    "sequence",
    "order",
    "timeline",
    "begins",
    "first",
    "then",
    "finally",
    "before",
    "after",
    "next",
];

fn sequences(article: &Article) -> Vec<Sequence> {
    let mut found = Vec::new();
    for (index, run) in article.runs.iter().enumerate() {
        let numbered = run.kind == RunKind::Numbered;
        let heading = &article.sections[run.section].heading;
        let intro = run
            .intro
            .map(|i| article.sentences[i].text.as_str())
            .unwrap_or("");
        let ordered_words = |text: &str| {
            super::words::words(text)
                .iter()
                .any(|w| SEQUENCE_WORDS.contains(&w.lower.as_str()))
        };
        let labelled = run.kind == RunKind::Labels
            && (ordered_words(heading)
                || ordered_words(intro)
                || run
                    .items
                    .iter()
                    .filter(|item| ordered_words(&item.body))
                    .count()
                    * 2
                    >= run.items.len());
        let steps: Vec<String> = run.items.iter().map(|item| item.label.clone()).collect();
        if (numbered || labelled) && steps.iter().all(|s| !s.is_empty()) {
            found.push(Sequence {
                sentences: run.items.iter().map(|item| item.sentence).collect(),
                section: run.section,
                steps: steps.into_iter().take(8).collect(),
                run: Some(index),
                story: false,
            });
        }
    }
    found.extend(marked_sequences(article));
    found.extend(stories(article));
    found
}

/// "First, … Then … Finally, …" in consecutive sentences of one section.
fn marked_sequences(article: &Article) -> Vec<Sequence> {
    const OPENERS: &[&str] = &["First,", "First "];
    const FOLLOWERS: &[&str] = &[
        "Then ",
        "Then,",
        "Next,",
        "Next ",
        "Second,",
        "Third,",
        "After that,",
        "Afterwards,",
    ];
    const CLOSERS: &[&str] = &["Finally,", "Finally ", "Lastly,", "Last,"];
    let strip = |text: &str, marks: &[&str]| {
        marks
            .iter()
            .find_map(|mark| text.strip_prefix(mark))
            .map(|rest| rest.trim().to_string())
    };
    let mut found = Vec::new();
    let sentences = &article.sentences;
    let mut index = 0;
    while index < sentences.len() {
        let Some(first) = strip(&sentences[index].text, OPENERS) else {
            index += 1;
            continue;
        };
        let section = sentences[index].section;
        let mut steps = vec![(index, first)];
        let mut next = index + 1;
        let mut closed = false;
        while next < sentences.len() && sentences[next].section == section && steps.len() < 8 {
            let text = &sentences[next].text;
            if let Some(step) = strip(text, CLOSERS) {
                steps.push((next, step));
                closed = true;
                break;
            }
            match strip(text, FOLLOWERS) {
                Some(step) => steps.push((next, step)),
                None => break,
            }
            next += 1;
        }
        let short: Option<Vec<String>> = steps.iter().map(|(_, step)| step_clause(step)).collect();
        if let (true, Some(short)) = (closed && steps.len() >= 2, short) {
            found.push(Sequence {
                sentences: steps.iter().map(|(i, _)| *i).collect(),
                section,
                steps: short,
                run: None,
                story: false,
            });
        }
        index = next.max(index + 1);
    }
    found
}

/// Phrases that open a sentence telling what happened next in a story.
const LATER: &[&str] = &[
    "After ",
    "Afterwards,",
    "Over the following ",
    "Within ",
    "Later,",
    "Months later,",
    "Years later,",
    "Eventually,",
    "Since then,",
    "Today,",
    "Now,",
    "Post-",
];

/// The order of events in a story: two or more sentences in a row that open with a phrase
/// of time ("After receiving …, ", "Over the following months, ", "Today, "), after the
/// sentence that starts the story. Each event is the main clause of its sentence.
fn stories(article: &Article) -> Vec<Sequence> {
    let sentences = &article.sentences;
    let later = |i: usize| LATER.iter().any(|mark| sentences[i].text.starts_with(mark));
    let mut found = Vec::new();
    let mut index = 1;
    while index < sentences.len() {
        if !later(index) || later(index - 1) {
            index += 1;
            continue;
        }
        let section = sentences[index].section;
        let mut events = vec![index - 1];
        let mut next = index;
        while next < sentences.len() && sentences[next].section == section && later(next) {
            events.push(next);
            next += 1;
        }
        // The sentence that starts the story, when its clause is short enough to be one.
        if sentences[index - 1].section != section
            || event_clause(&sentences[index - 1].text).is_none()
        {
            events.remove(0);
        }
        let steps: Option<Vec<String>> = events
            .iter()
            .map(|&i| event_clause(&sentences[i].text))
            .collect();
        if let (true, Some(steps)) = (events.len() >= 3, steps) {
            found.push(Sequence {
                sentences: events,
                section,
                steps,
                run: None,
                story: true,
            });
        }
        index = next;
    }
    found
}

/// The main clause of a sentence of a story: after an opening phrase that ends in a comma
/// within its first eight words, up to the next comma.
fn event_clause(text: &str) -> Option<String> {
    let opening = text
        .find(", ")
        .filter(|&at| text[..at].split_whitespace().count() <= 8);
    let clause = match opening {
        Some(at) => &text[at + 2..],
        None => text,
    };
    step_clause(clause)
}

/// A step's words, up to its first comma, when that is short enough to be an order item.
fn step_clause(text: &str) -> Option<String> {
    let clause = text
        .split([',', ';'])
        .next()
        .unwrap_or(text)
        .trim()
        .trim_end_matches(['.', '!']);
    let words = clause.split_whitespace().count();
    let mut chars = clause.chars();
    let capitalised: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    (2..=10).contains(&words).then_some(capitalised)
}

#[cfg(test)]
mod tests {
    use super::super::article::parse;
    use super::super::words::words;
    use super::*;

    #[test]
    fn definitions_of_each_shape() {
        let d = |text: &str| definition(0, text).map(|d| (d.term, d.verb, d.definition));
        let own = |a: &str, b: &str, c: &str| Some((a.to_string(), b.to_string(), c.to_string()));
        assert_eq!(
            d("A placebo is a dummy treatment with no active ingredient."),
            own(
                "placebo",
                "is",
                "a dummy treatment with no active ingredient"
            )
        );
        assert_eq!(
            d("Measles, a highly contagious viral illness, spreads through the air."),
            own("Measles", "is", "a highly contagious viral illness")
        );
        assert_eq!(
            d("Blinding means that nobody knows who received which dose."),
            own(
                "Blinding",
                "means",
                "that nobody knows who received which dose"
            )
        );
        assert_eq!(
            d("The transfer of new cells into the blood is called engraftment."),
            own(
                "engraftment",
                "is",
                "The transfer of new cells into the blood"
            )
        );
        assert_eq!(
            d("Platelets are small cell fragments that help blood clot."),
            own(
                "Platelets",
                "are",
                "small cell fragments that help blood clot"
            )
        );
        assert_eq!(d("This is a very short one."), None);
        assert_eq!(
            d("Clinical trials are exploring their potential in lupus."),
            None
        );
        assert_eq!(
            d("Sarah, a 28-year-old lupus patient, struggled with pain."),
            None
        );
        assert_eq!(
            d("Traditional treatments often involve immunosuppressive drugs."),
            None
        );
    }

    #[test]
    fn acronyms_are_matched_letter_by_letter() {
        let text = "Doctors watch for graft-versus-host disease (GVHD) and use hematopoietic stem cells (HSCs).";
        let found = acronyms(0, text, &words(text));
        let pairs: Vec<(&str, &str)> = found
            .iter()
            .map(|a| (a.short.as_str(), a.long.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("GVHD", "graft-versus-host disease"),
                ("HSCs", "hematopoietic stem cells")
            ]
        );
        let text = "The vaccine was stored (as a rule) in a fridge (PDQ).";
        assert!(acronyms(0, text, &words(text)).is_empty());
    }

    #[test]
    fn lists_after_such_as_and_including() {
        let l = list(
            0,
            "Side effects such as sore arms, mild fever, and tiredness are common.",
        )
        .unwrap();
        assert_eq!(l.category, "Side effects");
        assert_eq!(l.items, ["sore arms", "mild fever", "tiredness"]);
        let l = list(
            0,
            "It harms the organs, including the skin, joints and kidneys.",
        )
        .unwrap();
        assert_eq!(l.category, "organs");
        assert_eq!(l.items, ["skin", "joints", "kidneys"]);
        assert_eq!(list(0, "Patients such as her went home early today."), None);
    }

    #[test]
    fn numbers_but_not_names_with_digits() {
        let text = "Anna, a 28-year-old teacher, used CRISPR-Cas9.";
        let found = number(0, &words(text), text).unwrap();
        assert_eq!(words(text)[found.word].lower, "28");
        let text = "The COVID-19 vaccine.";
        assert_eq!(number(0, &words(text), text), None);
    }

    #[test]
    fn the_order_of_events_in_a_story() {
        let text = "Ana's Story\nAna started dialysis when she was young. After two years of waiting, she received a kidney from her sister. Within a month, her energy returned. Today, Ana works full time and travels again.\n";
        let article = parse(text).unwrap();
        let found = stories(&article);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(
            found[0].steps,
            [
                "Ana started dialysis when she was young",
                "She received a kidney from her sister",
                "Her energy returned",
                "Ana works full time and travels again"
            ]
        );
    }

    #[test]
    fn sequences_from_runs_and_from_first_then_finally() {
        let text = "Donation\nThe process has three steps:\nScreening: The donor is checked for infections.\nCollection: Blood is drawn into a sterile bag.\nStorage: The bag is kept cold until it is used.\n\nMaking Tea\nFirst, boil fresh water in a kettle. Then pour it over the leaves. Finally, wait three minutes before drinking.\n";
        let article = parse(text).unwrap();
        let found = sequences(&article);
        let steps: Vec<&Vec<String>> = found.iter().map(|s| &s.steps).collect();
        assert_eq!(steps.len(), 2, "{found:?}");
        assert_eq!(steps[0], &["Screening", "Collection", "Storage"]);
        assert_eq!(
            steps[1],
            &[
                "Boil fresh water in a kettle",
                "Pour it over the leaves",
                "Wait three minutes before drinking"
            ]
        );
    }
}
