//! The documentation inside the binary: `help deck-format`, `help COMMAND`, the manual page,
//! and shell completion that knows the deck names.

use std::path::Path;

use crate::support::{
    Test, TestEnv, assert_contains, fails_with, repo_dir, runs_printing, small_deck, stdout_of,
};

#[test]
fn help_deck_format_prints_the_format_document() {
    let env = TestEnv::new();
    let doc = std::fs::read_to_string(repo_dir().join("docs/deck-format.md")).unwrap();
    Test::new(&env)
        .args(["help", "deck-format"])
        .stdout(doc)
        .run();
}

#[test]
fn help_of_a_command_is_its_long_help() {
    let env = TestEnv::new();
    let long = Test::new(&env).args(["study", "--help"]).any_stdout().run();
    Test::new(&env)
        .args(["help", "study"])
        .stdout(stdout_of(&long))
        .run();
    let overview = Test::new(&env).arg("--help").any_stdout().run();
    Test::new(&env)
        .arg("help")
        .stdout(stdout_of(&overview))
        .run();
}

#[test]
fn help_of_an_unknown_topic_is_a_usage_error_listing_the_topics() {
    let env = TestEnv::new();
    fails_with(&env, &["help", "deck-formt"], 2, "error: there is no command or help topic `deck-formt`; try one of: study, review, quiz, cards, card, suspend, unsuspend, forget, due, decks, check, draft, config, export, import, stats, summary, plan, optimize, doctor, sync, completions, help, deck-format

\
             Usage: lupus-quiz [OPTIONS] [COMMAND]\n\n\
             For more information, try '--help'.\n");
}

/// `config --reset` takes a key and never a value: its usage says so (clap's own read
/// `config --reset <KEY> [VALUE]`; newcomer review 2, item 20).
#[test]
fn config_reset_without_a_key_shows_a_usage_without_a_value() {
    let env = TestEnv::new();
    fails_with(
        &env,
        &["config", "--reset"],
        2,
        "error: the following required arguments were not provided:\n  <KEY>\n\n\
             Usage: lupus-quiz config [--deck DECK] [KEY [VALUE]]\n       \
             lupus-quiz config [--deck DECK] --reset KEY\n\n\
             For more information, try '--help'.\n",
    );
}

#[test]
fn deck_errors_point_to_the_format_inside_the_binary() {
    let env = TestEnv::new();
    env.write("empty.yaml", "");
    fails_with(
        &env,
        &["check", "empty.yaml"],
        1,
        "error: empty.yaml: the file is empty; a deck needs `title`, `description` and `cards` (see `lupus-quiz help deck-format`)\n\
             1 problem in 1 deck file; `lupus-quiz help deck-format` describes the format\n",
    );
}

#[test]
fn man_prints_a_manual_page_of_the_program_and_of_each_command() {
    let env = TestEnv::new();
    let page = stdout_of(&Test::new(&env).arg("man").any_stdout().run());
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        page.contains(&format!(".TH lupus-quiz 1  \"lupus-quiz {version}\"")),
        "{page}"
    );
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "{section}: {page}");
    }
    assert_contains(&page, "lupus\\-quiz\\-study(1)");
    let study = stdout_of(&Test::new(&env).args(["man", "study"]).any_stdout().run());
    assert_contains(&study, ".TH lupus-quiz-study 1");
    assert_contains(&study, "\\-\\-new");
}

/// What bash offers after `words` when Tab is pressed on the last one, through the script
/// of `lupus-quiz completions bash` (which runs `lupus-quiz` from the PATH).
fn bash_completes(env: &TestEnv, decks: &Path, words: &[&str]) -> Vec<String> {
    let script = Test::new(env)
        .args(["completions", "bash"])
        .any_stdout()
        .run();
    let script_path = env.write("completion.bash", &script.stdout);
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_lupus-quiz"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let driver = format!(
        "source '{}'\nCOMP_WORDS=({})\nCOMP_CWORD={}\nCOMP_TYPE=9\n_clap_complete_lupus_quiz lupus-quiz '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        script_path.display(),
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let output = env
        .other_program("bash")
        .env("PATH", path)
        .env("LUPUS_QUIZ_DECKS", decks)
        .args(["--norc", "--noprofile", "-c", &driver])
        .output()
        .expect("bash runs (it is needed to test bash completion)");
    assert!(output.status.success(), "{output:?}");
    stdout_of(&output).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_commands_and_the_names_of_built_in_and_own_decks() {
    let env = TestEnv::new();
    let decks = env.path().join("my-decks");
    env.write("my-decks/my-notes.yaml", small_deck("mine", 1));
    assert_eq!(
        bash_completes(&env, &decks, &["lupus-quiz", "st"]),
        ["study", "stats"]
    );
    assert_eq!(
        bash_completes(&env, &decks, &["lupus-quiz", "study", "h"]),
        ["hsct"]
    );
    assert_eq!(
        bash_completes(&env, &decks, &["lupus-quiz", "quiz", "my"]),
        ["my-notes"]
    );
    assert_eq!(
        bash_completes(&env, &decks, &["lupus-quiz", "stats", "--deck", "t"]),
        ["treatments", "trials"]
    );
}

#[test]
fn zsh_and_fish_scripts_ask_the_binary_for_the_same_deck_names() {
    let env = TestEnv::new();
    for (shell, registers) in [
        ("zsh", "#compdef lupus-quiz"),
        (
            "fish",
            "complete --keep-order --exclusive --command lupus-quiz",
        ),
    ] {
        let script = Test::new(&env)
            .args(["completions", shell])
            .any_stdout()
            .run();
        let script = stdout_of(&script);
        assert!(script.contains(registers), "{shell}: {script}");
        assert!(
            script.contains("LUPUS_QUIZ_COMPLETE=") && script.contains(shell),
            "{shell}: {script}"
        );
        // What the script runs at a Tab after `lupus-quiz review --deck h`.
        Test::new(&env)
            .env("LUPUS_QUIZ_COMPLETE", shell)
            .env("_CLAP_COMPLETE_INDEX", "3")
            .args(["--", "lupus-quiz", "review", "--deck", "h"])
            .stdout_contains("hsct")
            .run();
    }
}

/// GitHub's anchor for a heading: lowercase, punctuation dropped, spaces as hyphens.
fn heading_anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ' || *c == '-' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown file's headings.
fn anchors(markdown: &str) -> Vec<String> {
    markdown
        .lines()
        .filter_map(|line| line.strip_prefix('#'))
        .map(|rest| heading_anchor(rest.trim_start_matches('#')))
        .collect()
}

/// The targets of a Markdown file's inline links, `[text](target)`, outside code blocks.
fn link_targets(markdown: &str) -> Vec<String> {
    let mut targets = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            targets.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    targets
}

#[test]
fn every_relative_link_in_readme_and_docs_resolves() {
    let root = repo_dir();
    let mut files = vec![root.join("README.md"), root.join("bench/README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    let mut broken = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = target.split_once('#').unwrap_or((&target, ""));
            let linked = if path.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap().join(path)
            };
            let shown = format!(
                "{}: `{target}`",
                file.strip_prefix(&root).unwrap().display()
            );
            if !linked.exists() {
                broken.push(format!("{shown}: no such file"));
            } else if !anchor.is_empty() {
                let linked_text = std::fs::read_to_string(&linked).unwrap_or_default();
                if !anchors(&linked_text).iter().any(|a| a == anchor) {
                    broken.push(format!("{shown}: no heading with that anchor"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn readme_is_a_front_page_of_at_most_350_lines() {
    let readme = std::fs::read_to_string(repo_dir().join("README.md")).unwrap();
    let lines = readme.lines().count();
    assert!(
        lines <= 350,
        "README.md has {lines} lines; move reference material into docs/ and link it"
    );
}

#[test]
fn completion_offers_only_deck_names_so_a_file_name_cannot_put_a_command_on_the_line() {
    let env = TestEnv::new();
    let decks = env.folder("pack");
    env.write("pack/evil;touch PWNED;.yaml", small_deck("evil", 1));
    env.write("pack/ev\u{1b}]0;T\u{7}.yaml", small_deck("esc", 1));
    env.write("pack/ev $(id).yml", small_deck("sub", 1));
    env.write("pack/every-day.yaml", small_deck("day", 1));
    assert_eq!(
        bash_completes(&env, &decks, &["lupus-quiz", "study", "ev"]),
        ["every-day"]
    );
    // Every candidate, as the binary itself answers the shell: plain kebab-case names.
    let candidates = Test::new(&env)
        .env("LUPUS_QUIZ_COMPLETE", "bash")
        .env("LUPUS_QUIZ_DECKS", &decks)
        .env("_CLAP_COMPLETE_INDEX", "2")
        .env("_CLAP_COMPLETE_COMP_TYPE", "9")
        .env("_CLAP_COMPLETE_SPACE", "true")
        .env("_CLAP_IFS", "\n")
        .args(["--", "lupus-quiz", "study", ""])
        .any_stdout()
        .run_stdout();
    assert!(candidates.lines().any(|c| c == "every-day"), "{candidates}");
    assert!(candidates.lines().any(|c| c == "hsct"), "{candidates}");
    for candidate in candidates.lines() {
        assert!(
            candidate
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{candidate:?} in {candidates:?}"
        );
    }
    assert!(!env.path().join("PWNED").exists());
}

// Issue 28, item 9: completion stopped at deck names; card ids, tags and setting names are
// what a user types next.
#[test]
fn completion_offers_card_ids_tags_and_setting_names() {
    let env = TestEnv::new();
    let complete = |words: &[&str], expected: &str| {
        let index = words.len().to_string();
        let mut args = vec!["--", "lupus-quiz"];
        args.extend(words);
        Test::new(&env)
            .env("LUPUS_QUIZ_COMPLETE", "bash")
            .env("_CLAP_COMPLETE_INDEX", &index)
            .args(args)
            .stdout_contains(expected)
            .run();
    };
    complete(&["card", "hsct-hsc"], "hsct-hsc-term");
    complete(&["forget", "hsct-hsc"], "hsct-hsc-term");
    complete(&["suspend", "hsct-hsc"], "hsct-hsc-term");
    complete(&["study", "--tag", "sar"], "sarah");
    complete(&["cards", "--tag", "sar"], "sarah");
    complete(&["config", "new_"], "new_per_day");
    complete(&["config", "learn"], "learn_ahead_minutes");
}

// Issue 28, item 11: `help man` said there was no such command, though `man --help` works.
#[test]
fn help_of_the_hidden_man_command_is_its_help() {
    let env = TestEnv::new();
    runs_printing(&env, &["help", "man"], &["Print the manual page (roff)"]);
}

// The examples of `card`, `suspend`, `unsuspend` and `forget` named a card no deck has
// (`hsct-what-is`), so the first thing a learner copied from `--help` failed.
#[test]
fn card_ids_in_help_examples_are_cards_of_the_built_in_decks() {
    let catalog = crate::support::builtin_catalog();
    let env = TestEnv::new();
    for command in ["card", "suspend", "unsuspend", "forget"] {
        let help = (Test::new(&env).args([command, "--help"]).any_stdout()).run_stdout();
        let prefix = format!("  lupus-quiz {command} ");
        let ids: Vec<&str> = (help.lines())
            .filter_map(|line| line.strip_prefix(prefix.as_str()))
            .filter_map(|rest| rest.split_whitespace().next())
            .filter(|word| !word.starts_with('-'))
            .collect();
        assert!(
            !ids.is_empty(),
            "`{command} --help` gives an example with a card id"
        );
        for id in ids {
            assert!(
                catalog.card_index().deck_of(id).is_some(),
                "`{command} --help` names `{id}`, which no built-in deck has"
            );
        }
    }
}
