//! `lupus-quiz draft`: an article's facts turned into a deck, every card traced to its line;
//! the `origin` field it writes; and `check --coverage`.

use crate::support::{Test, TestEnv, assert_contains, assert_starts_with, fails_saying};

#[test]
fn card_shows_the_article_line_a_card_comes_from() {
    let env = TestEnv::new();
    env.write(
        "decks/mine.yaml",
        "title: T\ndescription: D\ncards:\n  - id: mine-one\n    type: flip\n    front: F?\n    back: B\n    explanation: E.\n    source: Vaccine Trials\n    origin: 23\n",
    );
    Test::new(&env)
        .decks(env.path().join("decks"))
        .args(["card", "mine-one"])
        .stdout_contains("Source: Vaccine Trials (line 23 of the article)\n")
        // No database yet: the note that there is no progress at the path named.
        .any_stderr()
        .run();
    let json = Test::new(&env)
        .decks(env.path().join("decks"))
        .args(["card", "mine-one", "--json"])
        .any_stdout()
        .any_stderr()
        .run_stdout();
    assert_contains(&json, "\"origin\": 23");
}

/// `draft` of the test article `name`.
fn draft<'e>(env: &'e TestEnv, name: &str) -> Test<'e> {
    Test::new(env).arg("draft").arg(article(name))
}

/// `draft` of the test article `name` into the file or folder `output` (`-o`).
fn draft_to<'e>(env: &'e TestEnv, name: &str, output: &std::path::Path) -> Test<'e> {
    draft(env, name).arg("-o").arg(output)
}

/// Drafts the test article `name` into `output`, which must succeed, whatever it reports.
fn drafted(env: &TestEnv, name: &str, output: &std::path::Path) {
    draft_to(env, name, output).any_stderr().run();
}

fn article(name: &str) -> std::path::PathBuf {
    crate::support::fixture(&format!("articles/{name}"))
}

const ARTICLES: [&str; 3] = [
    "vaccine-trials.txt",
    "kidney-transplant.txt",
    "blood-donation.md",
];

#[test]
fn draft_refuses_every_bad_input_with_a_clear_error() {
    let env = TestEnv::new();
    let binary = env.write("photo.jpg", b"\xff\xd8\xff\xe0\0\x10JFIF\0");
    let empty = env.write("empty.txt", "  \n\n");
    let headings = env.write("headings.md", "# Title\n\n## One\n\n## Two\n");
    let large = env.write("large.txt", "word ".repeat(8 * 1024 * 1024 / 5 + 1));
    let folder = env.folder("a-folder");
    let latin1 = env.write("latin1.txt", b"Caf\xe9 au lait is a drink.");
    let cases = [
        (
            binary,
            "it is not text: it holds a NUL byte at offset 4 (a binary file?); draft reads plain text or Markdown in UTF-8",
        ),
        (
            empty,
            "it is empty; draft needs an article of plain text or Markdown",
        ),
        (
            headings,
            "it has no sentences (no paragraph with three or more words",
        ),
        (
            large,
            "bytes, over the limit of 8 MiB (8388608 bytes); split the article into parts and draft each",
        ),
        (
            folder,
            "it is a folder; name one article file (plain text or Markdown)",
        ),
        (
            latin1,
            "it is not UTF-8 text (invalid byte at offset 3); save it as UTF-8",
        ),
    ];
    for (path, message) in cases {
        let output = Test::new(&env)
            .arg("draft")
            .arg(&path)
            .status(1)
            .stderr_contains(format!("error: cannot draft from `{}`: ", path.display()))
            .stderr_contains(message)
            .run();
        assert!(
            output.stdout.is_empty(),
            "nothing is written for {}",
            path.display()
        );
    }
    fails_saying(
        &env,
        &["draft", "missing.txt"],
        1,
        "error: cannot read the article `missing.txt`: ",
    );
}

#[test]
fn draft_reads_standard_input_and_gives_the_same_bytes_every_time() {
    let env = TestEnv::new();
    let path = article("vaccine-trials.txt");
    let from_file_once = || {
        Test::new(&env)
            .args(["draft", "--deck", "vt"])
            .arg(&path)
            .any_stderr()
            .any_stdout()
            .run_stdout()
    };
    let (from_file, again) = (from_file_once(), from_file_once());
    let from_stdin = Test::new(&env)
        .args(["draft", "--deck", "vt", "-"])
        .stdin(std::fs::read(&path).unwrap())
        .any_stderr()
        .any_stdout()
        .run_stdout();
    assert_eq!(from_file, again);
    assert_eq!(from_file, from_stdin);
    assert_starts_with(&from_file, "title: How New Vaccines Are Tested\n");
}

#[test]
fn draft_prints_a_summary_on_stderr() {
    let env = TestEnv::new();
    draft(&env, "kidney-transplant.txt")
        .any_stdout()
        .stderr_contains(" from 317 words (24 sentences) to standard output\n  by type: ")
        .stderr_contains("  by section:\n")
        .stderr_contains("Life After the Operation\n")
        .stderr_contains("  sentences no card comes from: ")
        .stderr_contains(
            "  numbers that need a reference (tag `needs-reference`): 2, on lines 17, 19\n",
        )
        .run();
}

#[test]
fn draft_writes_a_file_whole_and_never_over_an_existing_one_without_force() {
    let env = TestEnv::new();
    let target = env.write("decks/vt.yaml", "my own deck\n");
    draft_to(&env, "vaccine-trials.txt", &target)
        .status(1)
        .stderr(format!(
            "error: `{}` exists already; add --force to replace it, or name another file with -o\n",
            target.display()
        ))
        .run();
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "my own deck\n");
    draft_to(&env, "vaccine-trials.txt", &target)
        .arg("--force")
        .stderr_contains("to `")
        .run();
    let written = std::fs::read_to_string(&target).unwrap();
    assert_contains(&written, "\n- id: vt-define-placebo\n");
    let leftovers: Vec<_> = std::fs::read_dir(env.path().join("decks"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        leftovers.len(),
        1,
        "no temporary file is left: {leftovers:?}"
    );
}

#[test]
fn draft_writes_only_to_a_deck_file_name_so_force_never_replaces_a_database() {
    let env = TestEnv::new();
    let db = env.write("progress.db", "SQLite format 3\0 progress of months\n");
    draft_to(&env, "vaccine-trials.txt", &db)
        .arg("--force")
        .status(1)
        .stderr(format!(
            "error: `{}` is not named as a deck file; a deck is written to a `.yaml` (or `.yml`) file, e.g. `-o my-deck.yaml`\n",
            db.display()
        ))
        .run();
    assert_eq!(
        std::fs::read_to_string(&db).unwrap(),
        "SQLite format 3\0 progress of months\n"
    );
}

#[test]
fn every_drafted_deck_passes_check_which_warns_about_drafts_and_numbers() {
    let env = TestEnv::new();
    for name in ARTICLES {
        let stem = name.split('.').next().unwrap();
        let deck = env.path().join(format!("decks/{stem}.yaml"));
        std::fs::create_dir_all(deck.parent().unwrap()).unwrap();
        drafted(&env, name, &deck);
        Test::new(&env)
            .arg("check")
            .arg(&deck)
            .stdout_contains("ok: 1 deck, ")
            .stderr_contains(format!(
                "warning: {}: ",
                deck.display()
            ))
            .stderr_contains(" are drafts (tag `draft`): review each against its article line")
            .stderr_contains("that needs a reference: add a `note` with `references`, then remove the tag `needs-reference`\n")
            .run();
    }
}

#[test]
fn a_drafted_deck_can_be_studied_at_once_with_decks() {
    let env = TestEnv::new();
    let decks = env.folder("mine");
    drafted(&env, "blood-donation.md", &decks.join("blood.yaml"));
    let output = Test::new(&env)
        .decks(&decks)
        .args(["study", "blood", "--plain", "--new", "3"])
        .stdin("1\n".repeat(60))
        .any_stdout()
        .any_stderr()
        .run();
    let stdout = crate::support::stdout_of(&output);
    assert_contains(&stdout, "Session done: ");
    assert_contains(&stdout, "Source: What Happens at a Donation");
}

#[test]
fn split_writes_one_deck_per_top_level_section_into_a_folder() {
    let env = TestEnv::new();
    let folder = env.path().join("blood-decks");
    draft_to(&env, "blood-donation.md", &folder)
        .args(["--split", "--deck", "blood"])
        .stderr_contains(format!("to 3 decks in `{}`\n", folder.display()))
        .run();
    let mut files: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            "blood-the-parts-of-blood.yaml",
            "blood-what-happens-at-a-donation.yaml",
            "blood-who-can-donate.yaml"
        ]
    );
    Test::new(&env)
        .arg("check")
        .arg(&folder)
        .stdout_contains("ok: 3 decks, ")
        .any_stderr()
        .run();
    draft_to(&env, "blood-donation.md", &folder)
        .args(["--split", "--deck", "blood"])
        .status(1)
        .stderr_contains("exists already; add --force to replace it")
        .run();
}

#[test]
fn check_coverage_reports_each_section_and_lists_the_uncovered_sentences() {
    let env = TestEnv::new();
    let deck = env.path().join("vt.yaml");
    draft_to(&env, "vaccine-trials.txt", &deck)
        .args(["--max", "12"])
        .any_stderr()
        .run();
    let stdout = Test::new(&env)
        .arg("check")
        .arg("--coverage")
        .arg(article("vaccine-trials.txt"))
        .arg(&deck)
        .any_stderr()
        .any_stdout()
        .run_stdout();
    assert_starts_with(&stdout, "ok: 1 deck, 12 cards\n\nCoverage of `");
    assert_contains(&stdout, "by 1 deck (12 cards): ");
    assert!(
        stdout.contains("% ") && stdout.contains("  The Clinical Phases\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Sentences no card covers (")
            && stdout.contains("\n  line 2 (How New Vaccines Are Tested): A new vaccine must pass"),
        "{stdout}"
    );
    Test::new(&env)
        .args(["check", "--coverage", "nowhere.txt"])
        .arg(&deck)
        .status(1)
        .stdout_contains("ok: 1 deck")
        .stderr_contains("error: cannot read the article `nowhere.txt`: ")
        .run();
}

/// Words as the quality figures compare them: lowercase, a plural `s` dropped.
fn plain_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let w = w.to_lowercase();
            match w.strip_suffix('s') {
                Some(stem) if stem.chars().count() >= 3 => stem.to_string(),
                _ => w,
            }
        })
        .collect()
}

const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "of", "and", "or", "to", "in", "on", "for", "with", "that", "is", "are",
    "it", "its", "their", "by", "from", "at", "a", "be", "as", "which", "who", "so", "no",
];

fn contains_words(haystack: &str, needle: &str) -> bool {
    let have = plain_words(haystack);
    plain_words(needle).iter().all(|w| have.contains(w))
}

/// What a card asks the learner to give (its proposed answers).
fn asked_of(card: &lupus_quiz::deck::Card) -> Vec<String> {
    card.content.asked_answers()
}

#[derive(serde::Deserialize)]
struct Inventory {
    key_terms: Vec<String>,
    facts: Vec<Fact>,
    sequences: Vec<Vec<String>>,
}

#[derive(serde::Deserialize)]
struct Fact {
    line: u32,
    terms: Vec<String>,
}

/// The quality figures of issue 26 over each test article, against the fact inventory
/// written for it (`*.facts.yaml`); printed for bench/README.md (`bench/draft.sh` runs this
/// test with `--nocapture`), with floors that keep them from sliding back.
#[test]
fn draft_quality_figures_on_the_test_articles() {
    let env = TestEnv::new();
    let mut totals = [0usize; 10];
    for name in ARTICLES {
        let path = article(name);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let stem = name.split('.').next().unwrap();
        let inventory: Inventory = serde_yaml::from_str(
            &std::fs::read_to_string(article(&format!("{stem}.facts.yaml"))).unwrap(),
        )
        .unwrap();
        let yaml = Test::new(&env)
            .arg("draft")
            .arg(&path)
            .any_stdout()
            .any_stderr()
            .run_stdout();
        let parsed = lupus_quiz::deck::parse_deck(
            stem,
            stem,
            lupus_quiz::deck::DeckOrigin::Builtin,
            yaml.as_bytes(),
        )
        .unwrap();
        let cards: Vec<&lupus_quiz::deck::Card> = parsed.deck.cards.iter().collect();
        // The lines a card's answers come from: its origin line, and for a card over a run
        // of lines (multi, order, true/false) the lines of the run.
        let span = |card: &lupus_quiz::deck::Card| {
            let origin = card.origin.expect("every drafted card has an origin") as usize;
            let extra = match &card.content {
                lupus_quiz::deck::CardContent::Multi { correct, .. } => correct.len(),
                lupus_quiz::deck::CardContent::Order { items, .. } => items.len(),
                lupus_quiz::deck::CardContent::TrueFalse { .. } => 8,
                _ => 0,
            };
            origin..=(origin + extra).min(lines.len())
        };
        let taught = inventory
            .facts
            .iter()
            .filter(|fact| {
                cards.iter().any(|card| {
                    span(card).contains(&(fact.line as usize))
                        && asked_of(card).iter().any(|answer| {
                            fact.terms.iter().any(|term| contains_words(answer, term))
                        })
                })
            })
            .count();
        let asking: Vec<&&lupus_quiz::deck::Card> =
            cards.iter().filter(|c| !asked_of(c).is_empty()).collect();
        // Strictly: every answer is a key term (the same words, function words aside).
        let content = |text: &str| -> Vec<String> {
            plain_words(text)
                .into_iter()
                .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
                .collect()
        };
        // The cards whose every answer `fits` some key term.
        let key_cards = |fits: &dyn Fn(&str, &str) -> bool| {
            asking
                .iter()
                .filter(|card| {
                    asked_of(card)
                        .iter()
                        .all(|answer| inventory.key_terms.iter().any(|term| fits(answer, term)))
                })
                .count()
        };
        let key_answers = key_cards(&|answer, term| content(answer) == content(term));
        // Loosely: every answer holds a key term (a definition's words do).
        let key_within = key_cards(&|answer, term| contains_words(answer, term));
        let from_origin = asking
            .iter()
            .filter(|card| {
                let passage: String = span(card)
                    .map(|line| lines[line - 1])
                    .collect::<Vec<_>>()
                    .join(" ");
                asked_of(card).iter().all(|answer| {
                    plain_words(answer)
                        .iter()
                        .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
                        .all(|w| plain_words(&passage).contains(w))
                })
            })
            .count();
        let orders: Vec<&Vec<String>> = cards
            .iter()
            .filter_map(|card| match &card.content {
                lupus_quiz::deck::CardContent::Order { items, .. } => Some(items),
                _ => None,
            })
            .collect();
        let in_order = orders
            .iter()
            .filter(|items| inventory.sequences.iter().any(|s| s == **items))
            .count();
        let figures = [
            taught,
            inventory.facts.len(),
            key_answers,
            asking.len(),
            from_origin,
            asking.len(),
            in_order,
            orders.len(),
            key_within,
            asking.len(),
        ];
        println!("{}", quality_line(stem, cards.len(), &figures));
        for (total, figure) in totals.iter_mut().zip(figures) {
            *total += figure;
        }
        assert_eq!(
            from_origin,
            asking.len(),
            "{stem}: every answer is words of its line"
        );
        assert_eq!(
            in_order,
            orders.len(),
            "{stem}: every order card keeps the article's order"
        );
        assert!(
            taught * 10 >= inventory.facts.len() * 6,
            "{stem}: {taught} facts taught"
        );
        assert!(
            key_answers * 2 >= asking.len(),
            "{stem}: {key_answers} key-term answers"
        );
        assert!(
            key_within * 10 >= asking.len() * 6,
            "{stem}: {key_within} answers hold a key term"
        );
    }
    println!("{}", quality_line("all three", 0, &totals));
}

fn quality_line(name: &str, cards: usize, f: &[usize; 10]) -> String {
    let share =
        |a: usize, b: usize| format!("{a}/{b} ({}%)", (a * 100).checked_div(b).unwrap_or(0));
    format!(
        "quality {name}{}: facts taught {}, answers that are key terms {} (that hold one {}), answers from their origin line {}, order cards in the article's order {}",
        if cards > 0 {
            format!(" ({cards} cards)")
        } else {
            String::new()
        },
        share(f[0], f[1]),
        share(f[2], f[3]),
        share(f[8], f[9]),
        share(f[4], f[5]),
        share(f[6], f[7])
    )
}
