//! `lupus-quiz plan` (issue 29, section 1): a goal of being ready by a date, what it takes,
//! and what it changes in `review` and `study` while it is on.

use crate::support::{Test, TestEnv, assert_lacks, typed_deck, with_typed_deck};

const TODAY: &str = "2026-03-01T09:00:00Z";

/// A goal of the deck `capitals`: 96% recall by the 20th.
const GOAL: [&str; 7] = [
    "plan",
    "--by",
    "2026-03-20",
    "--target",
    "0.96",
    "--deck",
    "capitals",
];

fn run<'e>(env: &'e TestEnv, now: &str, args: &[&str]) -> Test<'e> {
    Test::new(env).own_decks().args(args).now(now)
}

/// The output of a run with its lines joined, so that what is asserted does not depend on
/// where the report wraps.
fn words(env: &TestEnv, now: &str, args: &[&str]) -> String {
    let out = run(env, now, args).any_stdout().run_stdout();
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sets a goal for the cards of `capitals` (`more`: more options), whatever it prints.
fn goal_for_capitals(env: &TestEnv, by: &str, more: &[&str]) {
    let mut args = vec!["plan", "--by", by, "--deck", "capitals"];
    args.extend_from_slice(more);
    run(env, TODAY, &args).any_stdout().run();
}

/// Runs `args` today for what they change, which must succeed, whatever they print.
fn run_any(env: &TestEnv, args: &[&str]) {
    run(env, TODAY, args).any_stdout().run();
}

/// Runs `args` today, which must succeed printing `part` among its output.
fn prints(env: &TestEnv, args: &[&str], part: &str) {
    run(env, TODAY, args).stdout_contains(part).run();
}

#[track_caller]
fn says(text: &str, part: &str) {
    assert!(text.contains(part), "lacks `{part}`:\n{text}");
}

/// `capitals` (cards `cap-1` … `cap-N`), with `cap-1` learned through an imported log:
/// answered Good on 2026-02-01 (twice, its learning steps), 02-04 and 02-14. On 2026-03-01
/// it is in review with a stability of about 47 days, due on 2026-04-02: well after
/// 2026-03-20, yet its predicted recall on that date (about 92%) is below a target of 96%.
fn capitals_with_one_card_learned(env: &TestEnv, cards: usize) {
    typed_deck(env, cards);
    let log = env.write(
        "history.csv",
        "card_id,review_rating,review_time,review_duration\n\
         cap-1,3,2026-02-01T09:00:00Z,5000\n\
         cap-1,3,2026-02-01T09:10:00Z,5000\n\
         cap-1,3,2026-02-04T09:00:00Z,5000\n\
         cap-1,3,2026-02-14T09:00:00Z,5000\n",
    );
    run(env, TODAY, &["import", log.to_str().unwrap()])
        .any_stdout()
        .run();
    let cards = run(env, TODAY, &["cards", "--state", "review", "--json"])
        .any_stdout()
        .run_json();
    assert_eq!(cards[0]["id"], "cap-1");
    assert!(
        cards[0]["due"].as_str().unwrap().starts_with("2026-04-02"),
        "{cards}"
    );
}

// Issue 29, "Done when": the card due after the date but below the target on it is
// brought forward by `review` while the goal is on, and not once the date has passed.
#[test]
fn review_brings_forward_a_card_below_the_target_on_the_date_and_not_after_it() {
    let env = TestEnv::new();
    capitals_with_one_card_learned(&env, 3);
    // Without a goal nothing is due.
    prints(&env, &["review", "--plain"], "Nothing is due for review.");
    let set = words(&env, TODAY, &GOAL);
    says(&set, "Goal set.");
    says(&set, "Cards in scope: 2 new, 0 learning, 1 in review.");
    says(
        &set,
        "Ready now: 0 of 3 cards would be at or above 96% on the date",
    );
    // After the date the goal has ended by itself: the card waits for its own due date.
    let after = "2026-03-21T09:00:00Z";
    run(&env, after, &["review", "--plain"])
        .stdout_contains("Nothing is due for review.")
        .stdout_contains("on Thu 2026-04-02")
        .run();
    says(
        &words(&env, after, &["plan"]),
        "has ended: the date has passed",
    );
    // During the goal, `review` shows it, answered as an ordinary review.
    run(&env, TODAY, &["review", "--plain"])
        .stdin("city-1\n")
        .stdout_contains("Capital number 1?")
        .stdout_contains("Session done: 1 card answered")
        .run();
    let card = run(&env, TODAY, &["card", "cap-1", "--json"])
        .any_stdout()
        .run_json();
    let history = card["history"].as_array().expect("a history");
    assert_eq!(history.len(), 5, "{card}");
    assert_eq!(history[4]["kind"], "review", "{card}");
    // Ready now, it is not brought forward again, and the log still replays to the state.
    prints(&env, &["review", "--plain"], "Nothing is due for review.");
    prints(&env, &["doctor"], "No problems found.");
    prints(&env, &["plan", "--json"], "\"ready_now\": 1");
}

#[test]
fn plan_prints_the_cards_by_state_a_day_by_day_table_and_whether_it_fits() {
    let env = with_typed_deck(20);
    let out = run(
        &env,
        TODAY,
        &["plan", "--by", "2026-03-08", "--deck", "capitals"],
    )
    .any_stdout()
    .run_stdout();
    let rows: Vec<&str> = out
        .lines()
        .skip_while(|line| !line.starts_with("Day "))
        .take_while(|line| !line.is_empty())
        .collect();
    assert_eq!(rows[0], "Day        Reviews   New Minutes", "{out}");
    assert_eq!(
        rows.len(),
        9,
        "a row a day from 03-01 to 03-07, and the total:\n{out}"
    );
    assert!(rows[1].starts_with("Sun 03-01"), "{out}");
    assert!(rows[7].starts_with("Sat 03-07"), "{out}");
    assert!(rows[8].starts_with("Total"), "{out}");
    let text = out.split_whitespace().collect::<Vec<_>>().join(" ");
    says(
        &text,
        "Goal: ready by Sun 2026-03-08, 90% recall on the date, deck `capitals` (7 days to prepare, today included). After the date the goal ends by itself.",
    );
    says(&text, "Cards in scope: 20 new, 0 learning, 0 in review.");
    says(
        &text,
        "Minutes at 8 seconds an answer (a default until you have timed answers)",
    );
    says(
        &text,
        "It fits your daily limits: up to 6 new cards a day (limit 10)",
    );
    says(&text, "all 20 cards reach 90% by the date");
    says(
        &text,
        "Each day: `lupus-quiz review --deck capitals`, then `lupus-quiz study capitals`.",
    );
    // `plan` alone shows the same goal and how it stands; the dashboard in one line.
    let shown = words(&env, TODAY, &["plan"]);
    says(&shown, "Goal: ready by Sun 2026-03-08");
    says(&shown, "Ready now: 0 of 20 cards");
    says(
        &words(&env, TODAY, &[]),
        "Goal: ready by 2026-03-08 (7 days left): 0 of 20 cards at 90% on the date so far; `lupus-quiz plan` shows the plan.",
    );
    // On the date itself the goal says how it stands today; nothing is left to plan.
    let on_the_day = words(&env, "2026-03-08T09:00:00Z", &["plan"]);
    says(
        &on_the_day,
        "deck `capitals`. The date is today. Cards in scope: 20 new, 0 learning, 0 in review. Ready today: 0 of 20 cards at or above 90%.",
    );
    assert_lacks(&on_the_day, "Day Reviews");
    run(&env, TODAY, &["plan", "--clear"])
        .stdout("The goal is cleared; the schedule goes on as FSRS sets it.\n")
        .run();
    says(&words(&env, TODAY, &["plan"]), "No goal is set.");
    let dashboard = words(&env, TODAY, &[]);
    assert_lacks(&dashboard, "Goal:");
}

#[test]
fn study_spreads_the_goal_new_cards_over_the_days_before_the_date() {
    let env = with_typed_deck(20);
    goal_for_capitals(&env, "2026-03-15", &[]);
    // 20 new cards over the 10 days to 03-10 (four days before the date are left for
    // reviews), more at first: 3 today instead of the daily limit of 10.
    let answers: String = (1..=20).map(|i| format!("city-{i}\n")).collect();
    run(&env, TODAY, &["study", "capitals", "--plain"])
        .stdin(answers.clone())
        .stdout_contains("[capitals, 0 answered, 3 left, new 3,")
        .run();
    // `--new N` still decides for one session.
    run(&env, TODAY, &["study", "capitals", "--plain", "--new", "3"])
        .stdin(answers)
        .stdout_contains("new 3,")
        .run();
}

#[test]
fn plan_json_has_the_documented_keys() {
    let env = with_typed_deck(6);
    run(&env, TODAY, &["plan", "--json"])
        .stdout_contains("\"goal\": null")
        .any_stderr()
        .run();
    let plan = run(
        &env,
        TODAY,
        &[
            "plan",
            "--by",
            "2026-03-05",
            "--target",
            "0.95",
            "--deck",
            "capitals",
            "--json",
        ],
    )
    .any_stdout()
    .run_json();
    let mut keys: Vec<&str> = plan
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "cards",
            "commands",
            "days",
            "fits",
            "forecast_ready",
            "goal",
            "least_ready",
            "limits",
            "needs",
            "seconds_per_answer",
            "seconds_per_answer_from",
        ]
    );
    assert_eq!(plan["goal"]["date"], "2026-03-05");
    assert_eq!(plan["goal"]["target"], 0.95);
    assert_eq!(plan["goal"]["deck"], "capitals");
    assert_eq!(plan["goal"]["status"], "preparing");
    assert_eq!(plan["goal"]["days_left"], 4);
    assert_eq!(plan["cards"]["new"], 6);
    assert_eq!(plan["days"].as_array().unwrap().len(), 4);
    let day = plan["days"][0].as_object().unwrap();
    let mut day_keys: Vec<&str> = day.keys().map(String::as_str).collect();
    day_keys.sort_unstable();
    assert_eq!(day_keys, ["answers", "date", "minutes", "new", "reviews"]);
    assert_eq!(plan["seconds_per_answer_from"], "default");
    assert_eq!(plan["fits"], true);
}

#[test]
fn a_plan_over_the_daily_limits_says_what_to_raise_and_names_the_cards_least_likely_ready() {
    let env = with_typed_deck(12);
    run_any(&env, &["config", "new_per_day", "1"]);
    let out = words(
        &env,
        TODAY,
        &["plan", "--by", "2026-03-04", "--deck", "capitals"],
    );
    says(&out, "It does not fit your daily limits:");
    says(
        &out,
        "- it needs 12 new cards a day and the limit is 1: raise it with `lupus-quiz config new_per_day 12`;",
    );
    says(
        &out,
        "or leave cards out: plan for one deck or tag (--deck, --tag)",
    );
    says(
        &out,
        "Studying each day as planned, 3 of 12 cards reach 90% by the date. Least likely to be ready:",
    );
    says(&out, "cap-4 (not studied in time): Capital number 4?");
    let json = run(&env, TODAY, &["plan", "--json"])
        .any_stdout()
        .run_json();
    assert_eq!(json["fits"], false);
    assert_eq!(json["needs"]["new_per_day"], 12);
    assert_eq!(json["least_ready"][0]["id"], "cap-4");
    assert_eq!(json["least_ready"][0]["recall_on_date"], 0.0);
}

#[test]
fn plan_refuses_a_past_date_a_date_too_near_an_unknown_deck_or_tag() {
    let env = with_typed_deck(3);
    let refused = |args: &[&str], message: &str| {
        let output = run(&env, TODAY, args).unchecked().run();
        assert_eq!(output.status.code(), Some(1));
        let stderr = crate::support::stderr_of(&output);
        says(
            &stderr.split_whitespace().collect::<Vec<_>>().join(" "),
            message,
        );
    };
    refused(
        &["plan", "--by", "2026-02-20"],
        "error: 2026-02-20 is in the past (today is 2026-03-01); give a date from tomorrow on",
    );
    refused(
        &["plan", "--by", "2026-03-01"],
        "2026-03-01 is today: too near to plan for, as a plan needs at least one day to prepare. The earliest date is tomorrow, 2026-03-02",
    );
    refused(
        &["plan", "--by", "2026-03-10", "--deck", "capitls"],
        "capitals",
    );
    refused(
        &["plan", "--by", "2026-03-10", "--tag", "no-such-tag"],
        "no card has the tag `no-such-tag`",
    );
    run(&env, TODAY, &["plan", "--by", "10/03/2026"])
        .status(2)
        .stderr_contains("`10/03/2026` is not a date; write it as YYYY-MM-DD")
        .run();
    run(
        &env,
        TODAY,
        &["plan", "--by", "2026-03-10", "--target", "1.2"],
    )
    .status(2)
    .stderr_contains("not a target recall from 0.70 to 0.99")
    .run();
    says(&words(&env, TODAY, &["plan"]), "No goal is set.");
}

#[test]
fn a_second_goal_replaces_the_first_only_with_replace_when_not_on_a_terminal() {
    let env = with_typed_deck(3);
    run_any(&env, &["plan", "--by", "2026-03-10"]);
    run(&env, TODAY, &["plan", "--by", "2026-03-20", "--deck", "capitals"])
        .status(1)
        .stderr_contains("a goal is already set: ready by 2026-03-10, 90% recall on the date, every deck. Add --replace to replace it")
        .run();
    let replaced = words(
        &env,
        TODAY,
        &[
            "plan",
            "--by",
            "2026-03-20",
            "--deck",
            "capitals",
            "--replace",
        ],
    );
    says(&replaced, "Goal set.");
    prints(&env, &["plan", "--json"], "\"date\": \"2026-03-20\"");
}

#[test]
fn on_a_terminal_a_second_goal_replaces_the_first_after_a_yes() {
    let env = with_typed_deck(3);
    run_any(&env, &["plan", "--by", "2026-03-10"]);
    let second = ["plan", "--by", "2026-03-20", "--deck", "capitals"];
    let mut tty = run(&env, TODAY, &second).pty(100, 30);
    tty.wait("Replace it with ready by 2026-03-20? [y/N] ");
    tty.press("n\r");
    let tty = tty.finish();
    assert!(
        tty.contents().contains("The goal was kept as it was."),
        "{}",
        tty.contents()
    );
    let json = run(&env, TODAY, &["plan", "--json"])
        .any_stdout()
        .run_json();
    assert_eq!(json["goal"]["date"], "2026-03-10");
    let mut tty = run(&env, TODAY, &second).pty(100, 30);
    tty.wait("A goal is already set: ready by 2026-03-10, 90% recall on the date, every deck.");
    tty.press("y\r");
    tty.wait("Goal set.");
    tty.finish();
    let json = run(&env, TODAY, &["plan", "--json"])
        .any_stdout()
        .run_json();
    assert_eq!(json["goal"]["date"], "2026-03-20");
    assert_eq!(json["goal"]["deck"], "capitals");
}

#[test]
fn a_goal_whose_deck_is_gone_says_how_to_end_it() {
    let env = with_typed_deck(3);
    goal_for_capitals(&env, "2026-03-10", &[]);
    std::fs::remove_file(env.path().join("decks/capitals.yaml")).unwrap();
    let output = run(&env, TODAY, &["plan"]).unchecked().run();
    assert_eq!(output.status.code(), Some(1));
    let stderr = crate::support::stderr_of(&output);
    says(
        &stderr,
        "error: the goal's cards are gone: there is no deck named `capitals`",
    );
    says(&stderr, "`lupus-quiz plan --clear` ends the goal");
    // Sessions go on without it, and the dashboard says so.
    says(
        &words(&env, TODAY, &[]),
        "Goal: ready by 2026-03-10, but its deck or tag is gone; `lupus-quiz plan --clear` ends it.",
    );
    run(&env, TODAY, &["plan", "--clear"]).any_stdout().run();
}

#[test]
fn study_brings_forward_the_goal_cards_at_risk_too() {
    let env = TestEnv::new();
    capitals_with_one_card_learned(&env, 3);
    prints(
        &env,
        &["study", "capitals", "--plain", "--new", "0"],
        "Nothing to study in `capitals` right now.",
    );
    run(&env, TODAY, &GOAL).any_stdout().run();
    run(&env, TODAY, &["study", "capitals", "--plain", "--new", "0"])
        .stdin("city-1\n")
        .stdout_contains("[capitals, 0 answered, 1 left, new 0, learning 0, review 1]")
        .stdout_contains("Capital number 1?")
        .run();
}
