//! Candidate cards: the questions each pattern and key term of an article can ask, with
//! the sentences they come from and a score of how much they teach.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use super::article::{Article, Item, Run, RunKind, Sentence};
use super::patterns::{Acronym, Definition, Patterns, Sequence};
use super::terms::{Terms, key_of, spans};
use super::words::{mid_sentence, words};
use crate::deck::CardContent;
use crate::text::normalize_answer;

/// A card before ranking.
pub(super) struct Candidate {
    /// The kind in its id: `define`, `term`, `cloze`, ...
    pub kind: &'static str,
    /// The term in its id.
    pub term: String,
    pub content: CardContent,
    pub explanation: String,
    /// The sentences it comes from, the one it asks about first.
    pub passage: Vec<usize>,
    pub score: f64,
    /// Candidates with the same key teach the same thing: the best is kept.
    pub dedupe: String,
    /// The key term it asks for, for the limit of clozes a term.
    pub asks: String,
    pub number: bool,
}

impl Candidate {
    /// The sentence it asks about, which places it in the article.
    pub(super) fn sentence(&self) -> usize {
        self.passage[0]
    }
}

/// The longest explanation, in words.
const EXPLANATION_WORDS: usize = 30;

/// Every candidate the article's patterns and key terms give.
pub(super) fn find(article: &Article, patterns: &Patterns, terms: &Terms) -> Vec<Candidate> {
    let mut candidates = Vec::new();
    let acronyms = AcronymPairs::new(patterns);
    definitions(article, patterns, terms, &acronyms, &mut candidates);
    acronym_cards(article, patterns, terms, &mut candidates);
    lists(article, patterns, terms, &mut candidates);
    runs(article, patterns, terms, &mut candidates);
    sequences(article, patterns, &mut candidates);
    clozes(article, terms, &acronyms, &mut candidates);
    numbers(article, patterns, &mut candidates);
    candidates
}

/// Each abbreviation with its long form, both ways, by key.
struct AcronymPairs {
    pairs: HashMap<String, String>,
}

impl AcronymPairs {
    fn new(patterns: &Patterns) -> AcronymPairs {
        let mut pairs = HashMap::new();
        for acronym in &patterns.acronyms {
            pairs
                .entry(key_of(&acronym.long))
                .or_insert_with(|| acronym.short.clone());
            pairs
                .entry(key_of(&acronym.short))
                .or_insert_with(|| acronym.long.clone());
        }
        AcronymPairs { pairs }
    }

    /// The other spelling of `text`: the long form of an abbreviation, or the reverse.
    fn other(&self, text: &str) -> Option<&str> {
        self.pairs.get(&key_of(text)).map(String::as_str)
    }
}

/// The accepted answers for a term: as written here, the article's other spellings of it,
/// and its abbreviation or long form.
fn accepted(surface: &str, terms: &Terms, acronyms: &AcronymPairs) -> Vec<String> {
    let mut answers = vec![surface.to_string()];
    let mut add = |answer: &str| {
        let answer = answer.trim();
        let fits = !answer.is_empty() && !answer.contains(['|', '{', '}']);
        if fits
            && !answers
                .iter()
                .any(|a| normalize_answer(a) == normalize_answer(answer))
        {
            answers.push(answer.to_string());
        }
    };
    // The article's singular or plural of the same words ("stem cell", "stem cells"); not
    // every word of the same stem ("immunosuppressive" is not "immunosuppressants").
    let singular = |text: &str| text.to_lowercase().trim_end_matches('s').to_string();
    if let Some(term) = terms.get(&key_of(surface)) {
        for form in &term.forms {
            if singular(form) == singular(surface) {
                add(form);
            }
        }
    }
    if let Some(other) = acronyms.other(surface) {
        add(other);
    }
    answers.truncate(5);
    answers
}

/// The sentence, shortened to [`EXPLANATION_WORDS`].
fn explanation_of(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= EXPLANATION_WORDS {
        format!("The article: \"{}\"", words.join(" "))
    } else {
        format!(
            "The article: \"{} …\"",
            words[..EXPLANATION_WORDS].join(" ")
        )
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Whether `answer` shares a content word with `question` (it would give itself away).
fn gives_away(question: &str, answer: &str) -> bool {
    let asked: HashSet<String> = words(question)
        .into_iter()
        .filter(|w| w.is_content())
        .map(|w| w.stem)
        .collect();
    words(answer)
        .iter()
        .any(|w| w.is_content() && asked.contains(&w.stem))
}

fn term_score(terms: &Terms, text: &str) -> f64 {
    terms.get(&key_of(text)).map_or(1.0, |t| t.score.max(1.0))
}

fn definitions(
    article: &Article,
    patterns: &Patterns,
    terms: &Terms,
    acronyms: &AcronymPairs,
    out: &mut Vec<Candidate>,
) {
    for definition in &patterns.definitions {
        let sentence = &article.sentences[definition.sentence];
        let term = &definition.term;
        let meaning = &definition.definition;
        if gives_away(meaning, term) {
            continue;
        }
        let score = term_score(terms, term) + 3.0;
        let key = key_of(term);
        let explanation = explanation_of(&sentence.text);
        out.push(Candidate {
            kind: "define",
            term: term.clone(),
            content: CardContent::Flip {
                front: meaning_question(definition),
                back: capitalised(meaning),
            },
            explanation: explanation.clone(),
            passage: vec![definition.sentence],
            score: score - 0.5,
            dedupe: format!("define:{key}"),
            asks: String::new(),
            number: false,
        });
        let question = term_question(definition);
        let content = if term.split_whitespace().count() <= 4 {
            CardContent::Typed {
                question,
                answers: accepted(term, terms, acronyms),
            }
        } else {
            CardContent::Flip {
                front: question,
                back: capitalised(term),
            }
        };
        out.push(Candidate {
            kind: "term",
            term: term.clone(),
            content,
            explanation,
            passage: vec![definition.sentence],
            score,
            dedupe: format!("asks:{key}:{}", sentence.line),
            asks: key,
            number: false,
        });
    }
}

/// The question that asks what the term of `definition` means.
fn meaning_question(definition: &Definition) -> String {
    let verb = definition.verb.as_str();
    let asked = mid_sentence(&definition.written);
    match verb {
        "is" | "are" => format!("What {verb} {asked}?"),
        "refers to" => format!("What does {asked} refer to?"),
        "involves" => format!("What does {asked} involve?"),
        "involve" => format!("What do {asked} involve?"),
        _ => format!("What does {asked} mean?"),
    }
}

/// The question that asks which term `definition` defines.
fn term_question(definition: &Definition) -> String {
    let (verb, meaning) = (&definition.verb, &definition.definition);
    match verb.as_str() {
        "is" | "are" => format!("What {verb} {meaning} called?"),
        _ => format!("Which term {verb} {meaning}?"),
    }
}

fn acronym_cards(article: &Article, patterns: &Patterns, terms: &Terms, out: &mut Vec<Candidate>) {
    let mut seen = HashSet::new();
    let distinct: Vec<&Acronym> = patterns
        .acronyms
        .iter()
        .filter(|a| seen.insert(a.short.as_str()))
        .collect();
    let shorts: Vec<&str> = distinct.iter().map(|a| a.short.as_str()).collect();
    for acronym in distinct {
        let sentence = &article.sentences[acronym.sentence];
        let explanation = explanation_of(&sentence.text);
        let score = term_score(terms, &acronym.long) + 2.0;
        out.push(Candidate {
            kind: "expand",
            term: acronym.short.clone(),
            content: CardContent::Typed {
                question: format!("What does {} stand for?", acronym.short),
                answers: vec![acronym.long.clone()],
            },
            explanation: explanation.clone(),
            passage: vec![acronym.sentence],
            score,
            dedupe: format!("expand:{}", acronym.short),
            asks: key_of(&acronym.long),
            number: false,
        });
        let question = format!("What is the abbreviation of \"{}\"?", acronym.long);
        let others: Vec<String> = shorts
            .iter()
            .filter(|s| **s != acronym.short)
            .take(4)
            .map(|s| s.to_string())
            .collect();
        let content = if others.len() >= 2 {
            CardContent::Choice {
                question,
                answer: acronym.short.clone(),
                distractors: others,
            }
        } else {
            CardContent::Typed {
                question,
                answers: vec![acronym.short.clone()],
            }
        };
        out.push(Candidate {
            kind: "abbreviation",
            term: acronym.short.clone(),
            content,
            explanation,
            passage: vec![acronym.sentence],
            score: score - 1.0,
            dedupe: format!("abbreviation:{}", acronym.short),
            asks: key_of(&acronym.short),
            number: false,
        });
    }
}

/// Wrong options for a list: items of the article's other lists and runs, none of whose
/// words is in the sentences of this one, nearest first.
fn wrong_options(
    article: &Article,
    patterns: &Patterns,
    passage: &[usize],
    correct: &[String],
    from_list: bool,
) -> Vec<String> {
    let here: HashSet<String> = passage
        .iter()
        .flat_map(|&i| article.sentences[i].words.iter())
        .filter(|w| w.is_content())
        .map(|w| w.stem.clone())
        .collect();
    let anchor = passage[0];
    // Items of other lists first, then the labels of runs: the nearest of each first.
    let mut pool: Vec<(bool, usize, &str)> = Vec::new();
    for list in &patterns.lists {
        pool.extend(
            list.items
                .iter()
                .map(|i| (!from_list, list.sentence, i.as_str())),
        );
    }
    for run in &article.runs {
        pool.extend(
            run.items
                .iter()
                .filter(|i| !i.label.is_empty() && i.label.split_whitespace().count() <= 5)
                .map(|i| (from_list, i.sentence, i.label.as_str())),
        );
    }
    pool.sort_by_key(|(other_kind, sentence, text)| {
        (*other_kind, sentence.abs_diff(anchor), *sentence, *text)
    });
    let pool = pool.into_iter().map(|(_, sentence, text)| (sentence, text));
    let mut wrong: Vec<String> = Vec::new();
    let taken = |list: &[String], text: &str| {
        list.iter()
            .any(|t| normalize_answer(t) == normalize_answer(text))
    };
    for (_, text) in pool {
        let stems: Vec<String> = words(text)
            .into_iter()
            .filter(|w| w.is_content())
            .map(|w| w.stem)
            .collect();
        if stems.is_empty() || stems.iter().any(|s| here.contains(s)) {
            continue;
        }
        if taken(correct, text) || taken(&wrong, text) {
            continue;
        }
        wrong.push(text.to_string());
        if wrong.len() == 3 {
            break;
        }
    }
    wrong
}

fn lists(article: &Article, patterns: &Patterns, terms: &Terms, out: &mut Vec<Candidate>) {
    for list in &patterns.lists {
        let wrong = wrong_options(article, patterns, &[list.sentence], &list.items, true);
        if wrong.is_empty() {
            continue;
        }
        let sentence = &article.sentences[list.sentence];
        let score = list.items.iter().map(|i| term_score(terms, i)).sum::<f64>()
            / list.items.len() as f64
            + 2.0;
        out.push(Candidate {
            kind: "list",
            term: list.category.clone(),
            content: CardContent::Multi {
                question: format!(
                    "Which of these does the article name as {}?",
                    mid_sentence(&list.category)
                ),
                correct: list.items.clone(),
                wrong,
            },
            explanation: explanation_of(&sentence.text),
            passage: vec![list.sentence],
            score,
            dedupe: format!("list:{}", list.sentence),
            asks: String::new(),
            number: false,
        });
    }
}

fn is_sequence_run(patterns: &Patterns, run: usize) -> bool {
    patterns.sequences.iter().any(|s| s.run == Some(run))
}

fn runs(article: &Article, patterns: &Patterns, terms: &Terms, out: &mut Vec<Candidate>) {
    for (index, run) in article.runs.iter().enumerate() {
        let labels: Vec<String> = run
            .items
            .iter()
            .map(|i| i.label.clone())
            .filter(|l| !l.is_empty())
            .collect();
        if labels.len() < 2 {
            continue;
        }
        let short = labels.iter().all(|l| l.split_whitespace().count() <= 5);
        if short && !is_sequence_run(patterns, index) {
            out.extend(run_list(article, patterns, index, &labels));
        }
        // Which item a description is: the other items are the distractors.
        if labels.len() >= 3 && run.kind != RunKind::Bullets {
            out.extend(
                run.items
                    .iter()
                    .filter_map(|item| which_item(article, terms, run, &labels, item)),
            );
        }
    }
}

/// "Which of these does the article list under …?" for the run `index`, if other lists
/// give it wrong options.
fn run_list(
    article: &Article,
    patterns: &Patterns,
    index: usize,
    labels: &[String],
) -> Option<Candidate> {
    let run = &article.runs[index];
    let heading = &article.sections[run.section].heading;
    let passage: Vec<usize> = run.items.iter().map(|i| i.sentence).collect();
    let wrong = wrong_options(article, patterns, &passage, labels, false);
    if wrong.is_empty() {
        return None;
    }
    Some(Candidate {
        kind: "list",
        term: heading.clone(),
        content: CardContent::Multi {
            question: format!("Which of these does the article list under \"{heading}\"?"),
            correct: labels.to_vec(),
            wrong,
        },
        explanation: format!("The article lists: {}.", labels.join("; ")),
        passage,
        score: 4.0,
        dedupe: format!("run:{index}"),
        asks: String::new(),
        number: false,
    })
}

/// "Which one is this: DESCRIPTION" for one item of a run, its other items as the
/// distractors, if its description fits a question and does not name it.
fn which_item(
    article: &Article,
    terms: &Terms,
    run: &Run,
    labels: &[String],
    item: &Item,
) -> Option<Candidate> {
    if item.body.is_empty() || gives_away(&item.body, &item.label) {
        return None;
    }
    let body_words = item.body.split_whitespace().count();
    if !(4..=40).contains(&body_words) || item.body.contains(['{', '}']) {
        return None;
    }
    let heading = &article.sections[run.section].heading;
    let distractors: Vec<String> = labels
        .iter()
        .filter(|l| **l != item.label)
        .take(5)
        .cloned()
        .collect();
    Some(Candidate {
        kind: "which",
        term: item.label.clone(),
        content: CardContent::Choice {
            question: format!("In \"{heading}\", which one is this: {}", item.body),
            answer: item.label.clone(),
            distractors,
        },
        explanation: explanation_of(&article.sentences[item.sentence].text),
        passage: vec![item.sentence],
        score: term_score(terms, &item.label) + 1.5,
        dedupe: format!("asks:{}:{}", key_of(&item.label), item.line),
        asks: key_of(&item.label),
        number: false,
    })
}

fn sequences(article: &Article, patterns: &Patterns, out: &mut Vec<Candidate>) {
    for sequence in &patterns.sequences {
        let steps = &sequence.steps;
        if steps.len() < 2 || !all_different(steps) {
            continue;
        }
        let heading = &article.sections[sequence.section].heading;
        let order = steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                if i == 0 {
                    step.clone()
                } else {
                    mid_sentence(step)
                }
            })
            .collect::<Vec<_>>()
            .join(", then ");
        let explanation = format!("The article gives this order: {order}.");
        out.push(Candidate {
            kind: "order",
            term: heading.clone(),
            content: CardContent::Order {
                question: if sequence.story {
                    format!("Put the events of \"{heading}\" in the order they happened.")
                } else {
                    format!("Put the steps of \"{heading}\" in the article's order.")
                },
                items: steps.clone(),
            },
            explanation: explanation.clone(),
            passage: sequence.sentences.clone(),
            score: 6.0,
            dedupe: format!("order:{}", sequence.sentences[0]),
            asks: String::new(),
            number: false,
        });
        // Certain either way: two steps of one sequence, in or out of their order.
        out.push(before(heading, sequence, 1, 0, explanation.clone()));
        if steps.len() >= 3 {
            out.push(before(heading, sequence, 0, steps.len() - 1, explanation));
        }
    }
}

/// Whether no two of `steps` are the same answer.
fn all_different(steps: &[String]) -> bool {
    steps.iter().enumerate().all(|(i, s)| {
        !steps[..i]
            .iter()
            .any(|t| normalize_answer(t) == normalize_answer(s))
    })
}

/// "In HEADING, STEP comes before STEP." for the steps `first` and `second` of
/// `sequence`: true when they are in the article's order.
fn before(
    heading: &str,
    sequence: &Sequence,
    first: usize,
    second: usize,
    explanation: String,
) -> Candidate {
    let (steps, sentences) = (&sequence.steps, &sequence.sentences);
    let in_order = first < second;
    Candidate {
        kind: "before",
        term: format!("{} {}", steps[first], steps[second]),
        content: CardContent::TrueFalse {
            statement: format!(
                "In \"{heading}\", \"{}\" comes before \"{}\".",
                steps[first], steps[second]
            ),
            answer: in_order,
        },
        explanation,
        passage: sentences.clone(),
        score: if in_order { 2.5 } else { 3.0 },
        dedupe: format!("before-{in_order}:{}", sentences[0]),
        asks: String::new(),
        number: false,
    }
}

fn clozes(article: &Article, terms: &Terms, acronyms: &AcronymPairs, out: &mut Vec<Candidate>) {
    for (index, sentence) in article.sentences.iter().enumerate() {
        let text = &sentence.text;
        let count = sentence.words.len();
        if !(5..=40).contains(&count) || text.contains(['{', '}', '|']) || text.ends_with(':') {
            continue;
        }
        let Some(Blank { score, span, key }) = best_blank(sentence, terms, acronyms) else {
            continue;
        };
        let start = sentence.words[span.start].start;
        let end = sentence.words[span.end - 1].end;
        let surface = &text[start..end];
        let answers = accepted(surface, terms, acronyms);
        let cloze = format!(
            "{}{{{{{}}}}}{}",
            &text[..start],
            answers.join("|"),
            &text[end..]
        );
        let long = if count > 25 { 0.7 } else { 1.0 };
        out.push(Candidate {
            kind: "cloze",
            term: surface.to_string(),
            content: CardContent::Cloze {
                text: cloze,
                blanks: vec![answers],
            },
            explanation: explanation_of(text),
            passage: vec![index],
            score: score * long,
            dedupe: format!("asks:{key}:{}", sentence.line),
            asks: key,
            number: false,
        });
    }
}

/// The words of a sentence a cloze blanks: a key term, with its score and key.
struct Blank {
    score: f64,
    span: Range<usize>,
    key: String,
}

/// The best key term of `sentence` to blank (the highest score, then the longest) that
/// the rest of the sentence does not give away.
fn best_blank(sentence: &Sentence, terms: &Terms, acronyms: &AcronymPairs) -> Option<Blank> {
    let text = &sentence.text;
    let mut best: Option<Blank> = None;
    for span in spans(text, &sentence.words) {
        let words = &sentence.words[span.clone()];
        let key = words
            .iter()
            .map(|w| w.stem.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        let Some(term) = terms.get(&key).filter(|t| t.key) else {
            continue;
        };
        // The rest of the sentence must not give the blank away.
        let stems: HashSet<&str> = words.iter().map(|w| w.stem.as_str()).collect();
        let repeated =
            sentence.words.iter().enumerate().any(|(i, w)| {
                !span.contains(&i) && w.is_content() && stems.contains(w.stem.as_str())
            });
        // Nor its abbreviation or long form written beside it: "(GVHD)".
        let surface = &text[words[0].start..words[words.len() - 1].end];
        let partner = acronyms
            .other(surface)
            .is_some_and(|other| text.contains(other) && !surface.contains(other));
        if repeated || partner {
            continue;
        }
        let better = best.as_ref().is_none_or(|best| {
            term.score > best.score || (term.score == best.score && span.len() > best.span.len())
        });
        if better {
            best = Some(Blank {
                score: term.score,
                span,
                key,
            });
        }
    }
    best
}

fn numbers(article: &Article, patterns: &Patterns, out: &mut Vec<Candidate>) {
    for number in &patterns.numbers {
        let sentence = &article.sentences[number.sentence];
        let text = &sentence.text;
        if text.contains(['{', '}', '|']) || sentence.words.len() > 40 {
            continue;
        }
        let word = &sentence.words[number.word];
        let after: Vec<&str> = sentence.words[number.word + 1..]
            .iter()
            .take(2)
            .map(|w| w.lower.as_str())
            .collect();
        let cloze = format!(
            "{}{{{{{}}}}}{}",
            &text[..word.start],
            &text[word.start..word.end],
            &text[word.end..]
        );
        out.push(Candidate {
            kind: "number",
            term: format!("{} {}", word.lower, after.join(" ")),
            content: CardContent::Cloze {
                text: cloze,
                blanks: vec![vec![text[word.start..word.end].to_string()]],
            },
            explanation: explanation_of(text),
            passage: vec![number.sentence],
            score: 2.0,
            dedupe: format!("number:{}", number.sentence),
            asks: String::new(),
            number: true,
        });
    }
}
