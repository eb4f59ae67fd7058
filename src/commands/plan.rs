//! `lupus-quiz plan`: a goal of being ready by a date, what it takes day by day, and how it
//! stands. The rules the sessions follow are [`crate::schedule::Goal`]'s; the forecast here
//! runs them over the days to the date with every answer Good ([`Simulation`]), so the table
//! is what `review` and `study` will show if the learner studies each day.

use std::io::{self, BufRead as _, Write};

use anyhow::bail;
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::Serialize;

use crate::cli::PlanArgs;
use crate::context::Context;
use crate::deck::{Catalog, Deck};
use crate::schedule::{
    CardPhase, DayLoad, DayRules, Rating, Scheduler, ScopeCard, Simulation, date_of,
};
use crate::session::{LearnerGoal, states_of, study_day_of_date};
use crate::settings::Settings;
use crate::store::{Store, StoredCard, StoredGoal};
use crate::text::{plural, truncate, visible_inline, wrap};

/// The time an answer is counted at before the learner has timed answers of their own.
pub(crate) const DEFAULT_SECONDS_PER_ANSWER: f64 = 8.0;

/// The furthest date a plan looks to.
const MAX_DAYS_AHEAD: i64 = 365;

/// How many of the cards least likely to be ready are named.
const LEAST_READY_NAMED: usize = 5;

pub(crate) fn run(ctx: &Context, args: &PlanArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if args.clear {
        return clear(ctx, out);
    }
    match args.by {
        Some(date) => set(ctx, args, date, out),
        None => show(ctx, args.json, out),
    }
}

/// `plan --clear` (with no database yet there is no goal: none is created).
fn clear(ctx: &Context, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = ctx.open_store_to_review()?;
    match store.clear_goal()? {
        true => writeln!(
            out,
            "The goal is cleared; the schedule goes on as FSRS sets it."
        )?,
        false => writeln!(out, "No goal was set.")?,
    }
    Ok(())
}

/// `plan` alone: the goal and how it stands.
fn show(ctx: &Context, json: bool, out: &mut dyn Write) -> anyhow::Result<()> {
    let store = ctx.open_store_to_read()?;
    let catalog = ctx.load_catalog()?;
    let (settings, scheduler) =
        ctx.settings_and_scheduler(&store, crate::commands::stats::STATS_NEEDS)?;
    let learner = LearnerGoal::load(&store, scheduler.calendar())?;
    let inputs = Inputs {
        store: &store,
        catalog: &catalog,
        settings: &settings,
        scheduler: &scheduler,
        now: ctx.clock.now(),
    };
    let report = match &learner {
        Some(learner) => report(&inputs, learner)?,
        None => Report::none(&inputs)?,
    };
    write_report(&report, json, ctx.stdout_width, out)
}

/// `plan --by DATE`: checks the date and scope, replaces a goal already set (after asking,
/// or with `--replace`), stores the goal and prints what it takes.
fn set(ctx: &Context, args: &PlanArgs, date: NaiveDate, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut store = ctx.open_store()?;
    let catalog = ctx.load_catalog()?;
    let (settings, scheduler) =
        ctx.settings_and_scheduler(&store, crate::commands::stats::STATS_NEEDS)?;
    let now = ctx.clock.now();
    check_date(date, scheduler.calendar().day_of(now))?;
    let learner = LearnerGoal::of(
        new_goal(args, date, &catalog, &settings, now)?,
        scheduler.calendar(),
    );
    let inputs = Inputs {
        store: &store,
        catalog: &catalog,
        settings: &settings,
        scheduler: &scheduler,
        now,
    };
    let report = report(&inputs, &learner)?;
    if report
        .cards
        .as_ref()
        .is_some_and(|cards| cards.in_rotation == 0)
    {
        bail!(
            "every card of {} is suspended: there is nothing to prepare; `lupus-quiz unsuspend` brings cards back",
            scope_words(&learner.stored)
        );
    }
    let old = LearnerGoal::load(&store, scheduler.calendar())?;
    if !replace_allowed(ctx, args, old.as_ref(), &learner)? {
        writeln!(out, "The goal was kept as it was.")?;
        return Ok(());
    }
    store.set_goal(&learner.stored)?;
    if !args.json {
        writeln!(out, "Goal set.")?;
    }
    write_report(&report, args.json, ctx.stdout_width, out)
}

/// The goal `plan --by` asks for: its scope checked against the catalog (an unknown deck
/// or tag is an error naming the closest), the deck spelled as the catalog does.
fn new_goal(
    args: &PlanArgs,
    date: NaiveDate,
    catalog: &Catalog,
    settings: &Settings,
    now: DateTime<Utc>,
) -> anyhow::Result<StoredGoal> {
    let scope = crate::scope::CardScope {
        deck: args.deck.clone(),
        tag: args.tag.clone(),
    };
    let selection = scope.select(catalog)?;
    // The desired retention through its shortest decimal: 0.9, not 0.8999999761581421.
    let retention = settings
        .desired_retention
        .to_string()
        .parse()
        .unwrap_or(0.9);
    Ok(StoredGoal {
        date,
        target: args.target.unwrap_or(retention),
        deck: selection.named.map(|deck| deck.name.as_str().to_string()),
        tag: args.tag.clone(),
        set_at: now,
    })
}

/// A date the plan can prepare for: from tomorrow on, at most a year ahead.
fn check_date(date: NaiveDate, today: i64) -> anyhow::Result<()> {
    let day = study_day_of_date(date);
    let tomorrow = date_of(today + 1);
    let today_date = date_of(today);
    if day < today {
        bail!(
            "{date} is in the past (today is {today_date}); give a date from tomorrow on, such as --by {}",
            date_of(today + 14)
        );
    }
    if day == today {
        bail!(
            "{date} is today: too near to plan for, as a plan needs at least one day to prepare. The earliest date is tomorrow, {tomorrow}; for today, `lupus-quiz review` and `lupus-quiz study` show what is due"
        );
    }
    if day - today > MAX_DAYS_AHEAD {
        bail!(
            "{date} is more than a year ahead; a plan looks at most {MAX_DAYS_AHEAD} days ahead, to {}",
            date_of(today + MAX_DAYS_AHEAD)
        );
    }
    Ok(())
}

/// Whether a new goal may replace the one set: there is none (or it ended), `--replace`
/// says so, or the learner confirms on the terminal. Elsewhere it is an error that says
/// to add `--replace`.
fn replace_allowed(
    ctx: &Context,
    args: &PlanArgs,
    old: Option<&LearnerGoal>,
    new: &LearnerGoal,
) -> anyhow::Result<bool> {
    let Some(old) = old else {
        return Ok(true);
    };
    if old.goal.ended(new.goal.first_day) || args.replace {
        return Ok(true);
    }
    let described = goal_words(&old.stored);
    if !ctx.interactive {
        bail!(
            "a goal is already set: {described}. Add --replace to replace it with the new one, or end it first with `lupus-quiz plan --clear`"
        );
    }
    let mut err = io::stderr().lock();
    write!(
        err,
        "A goal is already set: {described}. Replace it with ready by {}? [y/N] ",
        new.stored.date
    )?;
    err.flush()?;
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?;
    Ok(matches!(line.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// "ready by 2026-04-15, 95% recall, every deck".
fn goal_words(goal: &StoredGoal) -> String {
    format!(
        "ready by {}, {} recall on the date, {}",
        goal.date,
        percent(goal.target),
        scope_words(goal)
    )
}

/// "every deck", "deck `hsct`", "cards tagged `sarah`".
fn scope_words(goal: &StoredGoal) -> String {
    match (&goal.deck, &goal.tag) {
        (Some(deck), _) => format!("deck `{}`", visible_inline(deck)),
        (None, Some(tag)) => format!("the cards tagged `{}`", visible_inline(tag)),
        (None, None) => "every deck".to_string(),
    }
}

fn percent(value: f64) -> String {
    format!("{}%", (value * 100.0).round())
}

/// What the report is worked out from.
struct Inputs<'a> {
    store: &'a Store,
    catalog: &'a Catalog,
    settings: &'a Settings,
    scheduler: &'a Scheduler,
    now: DateTime<Utc>,
}

/// `plan --json`, and the terminal report made from it. Its keys are documented in
/// docs/plan.md and docs/json-output.md.
#[derive(Debug, Serialize)]
struct Report {
    goal: Option<GoalJson>,
    cards: Option<ScopeCounts>,
    days: Vec<DayJson>,
    seconds_per_answer: f64,
    /// "your answers" (their median) or "default".
    seconds_per_answer_from: &'static str,
    limits: DailyNumbers,
    needs: Option<DailyNumbers>,
    fits: Option<bool>,
    /// Cards forecast at or above the target on the date, studying each day as planned.
    forecast_ready: Option<usize>,
    least_ready: Vec<LeastReady>,
    /// What to run each day.
    commands: Vec<String>,
}

#[derive(Debug, Serialize)]
struct GoalJson {
    date: NaiveDate,
    target: f64,
    deck: Option<String>,
    tag: Option<String>,
    set_on: NaiveDate,
    /// "preparing", "today" (the date is today) or "ended".
    status: &'static str,
    /// Study days left to prepare, today included.
    days_left: i64,
}

#[derive(Debug, Default, Serialize)]
struct ScopeCounts {
    total: usize,
    new: usize,
    learning: usize,
    review: usize,
    /// Suspended or leeches: left out of the goal.
    suspended: usize,
    in_rotation: usize,
    /// At or above the target on the date as things stand (without more study).
    ready_now: usize,
}

#[derive(Debug, Serialize)]
struct DayJson {
    date: NaiveDate,
    reviews: usize,
    new: usize,
    /// Every answer, learning steps included.
    answers: usize,
    minutes: u64,
}

#[derive(Debug, Clone, Copy, Serialize)]
struct DailyNumbers {
    new_per_day: usize,
    reviews_per_day: usize,
}

#[derive(Debug, Serialize)]
struct LeastReady {
    id: String,
    deck: String,
    /// The card's state now.
    state: &'static str,
    /// Its forecast recall on the date, studying each day as planned (0 if never studied).
    recall_on_date: f64,
    #[serde(skip)]
    question: String,
}

impl Report {
    /// The report when no goal is set.
    fn none(inputs: &Inputs<'_>) -> anyhow::Result<Report> {
        let (seconds, from) = seconds_per_answer(inputs)?;
        Ok(Report {
            goal: None,
            cards: None,
            days: Vec::new(),
            seconds_per_answer: seconds,
            seconds_per_answer_from: from,
            limits: DailyNumbers {
                new_per_day: inputs.settings.new_per_day as usize,
                reviews_per_day: inputs.settings.reviews_per_day as usize,
            },
            needs: None,
            fits: None,
            forecast_ready: None,
            least_ready: Vec::new(),
            commands: Vec::new(),
        })
    }
}

/// The learner's median answer time (capped as every answer is), or the default.
fn seconds_per_answer(inputs: &Inputs<'_>) -> anyhow::Result<(f64, &'static str)> {
    let cap = f64::from(inputs.settings.max_answer_seconds);
    Ok(match inputs.store.median_answer_ms()? {
        Some(ms) => ((ms as f64 / 1000.0).min(cap), "your answers"),
        None => (DEFAULT_SECONDS_PER_ANSWER, "default"),
    })
}

/// The whole report of a goal: its cards now, the forecast to the date, and whether it fits.
fn report(inputs: &Inputs<'_>, learner: &LearnerGoal) -> anyhow::Result<Report> {
    let mut report = Report::none(inputs)?;
    let calendar = inputs.scheduler.calendar();
    let today = calendar.day_of(inputs.now);
    let goal = learner.goal;
    let status = if goal.ended(today) {
        "ended"
    } else if goal.preparing(today) {
        "preparing"
    } else {
        "today"
    };
    report.goal = Some(GoalJson {
        date: learner.stored.date,
        target: goal.target,
        deck: learner.stored.deck.clone(),
        tag: learner.stored.tag.clone(),
        set_on: date_of(goal.first_day),
        status,
        days_left: goal.days_left(today),
    });
    if status == "ended" {
        return Ok(report);
    }
    let selection = learner.select(inputs.catalog).map_err(|e| {
        anyhow::anyhow!(
            "the goal's cards are gone: {e}. `lupus-quiz plan --clear` ends the goal, or set another with `--by DATE --replace`"
        )
    })?;
    let cards = states_of(inputs.store, &selection, inputs.now)?;
    report.cards = Some(count_cards(inputs.scheduler, learner, &cards));
    report.commands = daily_commands(&learner.stored);
    if status == "today" {
        return Ok(report);
    }
    forecast(inputs, learner, &cards, &mut report);
    Ok(report)
}

/// The cards in scope by state, and how many are ready as things stand.
fn count_cards(
    scheduler: &Scheduler,
    learner: &LearnerGoal,
    cards: &[(&Deck, usize, StoredCard)],
) -> ScopeCounts {
    let mut counts = ScopeCounts::default();
    for (_, _, stored) in cards {
        counts.total += 1;
        if stored.state.out_of_rotation() {
            counts.suspended += 1;
            continue;
        }
        counts.in_rotation += 1;
        match stored.state.phase {
            CardPhase::New => counts.new += 1,
            CardPhase::Learning | CardPhase::Relearning => counts.learning += 1,
            CardPhase::Review => counts.review += 1,
        }
        if learner.goal.is_ready(scheduler, &stored.state) {
            counts.ready_now += 1;
        }
    }
    counts
}

/// The days to the date as sessions will go if every answer is Good, with the daily
/// limits of new cards; fills the table, the needs, whether it fits and the cards least
/// likely to be ready.
fn forecast(
    inputs: &Inputs<'_>,
    learner: &LearnerGoal,
    cards: &[(&Deck, usize, StoredCard)],
    report: &mut Report,
) {
    let scheduler = inputs.scheduler;
    let calendar = scheduler.calendar();
    let goal = learner.goal;
    let today = calendar.day_of(inputs.now);
    let in_rotation: Vec<&(&Deck, usize, StoredCard)> = cards
        .iter()
        .filter(|(_, _, stored)| !stored.state.out_of_rotation())
        .collect();
    let mut simulation = Simulation::new(
        scheduler,
        in_rotation
            .iter()
            .map(|(_, _, stored)| (stored.card_id.clone(), stored.state.clone()))
            .collect(),
    );
    let new_limit = new_card_limit(inputs, &in_rotation);
    let rules = DayRules {
        goal: Some(goal),
        new_per_day: new_limit,
    };
    let needs_new = goal.new_cards_on(today, simulation.new_left());
    let mut good = |_: &_, _: &_, _: DateTime<Utc>| Rating::Good;
    let loads: Vec<DayLoad> = (today..goal.day)
        .map(|day| {
            let at = match day == today {
                true => inputs.now,
                false => calendar.day_start(day) + TimeDelta::hours(5),
            };
            simulation.day(at, rules, &mut good)
        })
        .collect();
    let seconds = report.seconds_per_answer;
    report.days = loads.iter().map(|load| day_json(load, seconds)).collect();
    let needs = DailyNumbers {
        new_per_day: needs_new,
        reviews_per_day: loads.iter().map(|load| load.reviews).max().unwrap_or(0),
    };
    report.limits.new_per_day = new_limit;
    report.fits = Some(
        needs.new_per_day <= new_limit && needs.reviews_per_day <= report.limits.reviews_per_day,
    );
    report.needs = Some(needs);
    let scope: Vec<ScopeCard<'_>> = simulation.scope_cards();
    report.forecast_ready = Some(
        scope
            .iter()
            .filter(|card| goal.is_ready(scheduler, card.state))
            .count(),
    );
    report.least_ready = least_ready(scheduler, learner, &in_rotation, &scope);
}

/// The most new cards a day the goal's decks may introduce: the sum of their limits (a
/// deck's own, or the global one), over the decks with new cards in scope.
fn new_card_limit(inputs: &Inputs<'_>, cards: &[&(&Deck, usize, StoredCard)]) -> usize {
    let own: std::collections::HashMap<_, _> = inputs
        .store
        .deck_new_per_day()
        .unwrap_or_default()
        .into_iter()
        .collect();
    let mut decks: Vec<&Deck> = cards
        .iter()
        .filter(|(_, _, stored)| stored.state.phase == CardPhase::New)
        .map(|(deck, _, _)| *deck)
        .collect();
    decks.dedup_by(|a, b| std::ptr::eq(*a, *b));
    decks
        .iter()
        .map(|deck| *own.get(&deck.name).unwrap_or(&inputs.settings.new_per_day) as usize)
        .sum()
}

fn day_json(load: &DayLoad, seconds: f64) -> DayJson {
    DayJson {
        date: date_of(load.day),
        reviews: load.reviews,
        new: load.new,
        answers: load.answers,
        minutes: (load.answers as f64 * seconds / 60.0).ceil() as u64,
    }
}

/// The cards forecast below the target on the date, least likely first.
fn least_ready(
    scheduler: &Scheduler,
    learner: &LearnerGoal,
    cards: &[&(&Deck, usize, StoredCard)],
    forecast: &[ScopeCard<'_>],
) -> Vec<LeastReady> {
    let goal = learner.goal;
    let mut below: Vec<LeastReady> = cards
        .iter()
        .zip(forecast)
        .filter_map(|((deck, index, stored), after)| {
            let recall = goal.recall_on_date(scheduler, after.state);
            (recall < goal.target).then(|| LeastReady {
                id: stored.card_id.as_str().to_string(),
                deck: deck.name.as_str().to_string(),
                state: stored.state.phase.as_str(),
                recall_on_date: (recall * 1000.0).round() / 1000.0,
                question: deck
                    .cards
                    .get(*index)
                    .map(|card| card.prompt().to_string())
                    .unwrap_or_default(),
            })
        })
        .collect();
    below.sort_by(|a, b| a.recall_on_date.total_cmp(&b.recall_on_date));
    below.truncate(LEAST_READY_NAMED);
    below
}

/// What to run each day for the goal's cards.
fn daily_commands(goal: &StoredGoal) -> Vec<String> {
    let (review, study) = match (&goal.deck, &goal.tag) {
        (Some(deck), _) => (
            format!("lupus-quiz review --deck {deck}"),
            format!("lupus-quiz study {deck}"),
        ),
        (None, Some(tag)) => (
            format!("lupus-quiz review --tag {tag}"),
            format!("lupus-quiz study --tag {tag}"),
        ),
        (None, None) => (
            "lupus-quiz review".to_string(),
            "lupus-quiz study --all".to_string(),
        ),
    };
    vec![review, study]
}

/// The report as JSON, or as text fitted to `width`.
fn write_report(
    report: &Report,
    json: bool,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(report)?)?;
        return Ok(());
    }
    let width = crate::text::text_width(width);
    let mut lines = Vec::new();
    text_lines(report, &mut lines);
    for line in lines {
        if line.is_empty() {
            writeln!(out)?;
            continue;
        }
        for wrapped in wrap(&line, width) {
            writeln!(out, "{wrapped}")?;
        }
    }
    Ok(())
}

/// The lines of the terminal report.
fn text_lines(report: &Report, lines: &mut Vec<String>) {
    let Some(goal) = &report.goal else {
        lines.push("No goal is set. Set one with `lupus-quiz plan --by YYYY-MM-DD` (the day of an appointment or an exam); `lupus-quiz help plan` says more.".to_string());
        return;
    };
    let stored = StoredGoal {
        date: goal.date,
        target: goal.target,
        deck: goal.deck.clone(),
        tag: goal.tag.clone(),
        set_at: DateTime::<Utc>::UNIX_EPOCH,
    };
    let date = goal.date.format("%a %Y-%m-%d");
    match goal.status {
        "ended" => {
            lines.push(format!("The goal of being ready by {date} has ended: the date has passed, and the schedule goes on as FSRS sets it. Set a new one with `lupus-quiz plan --by YYYY-MM-DD`."));
            return;
        }
        "today" => lines.push(format!("Goal: {}. The date is today.", goal_words(&stored))),
        _ => lines.push(format!(
            "Goal: {} ({} day{} to prepare, today included). After the date the goal ends by itself.",
            goal_words(&stored).replacen(&goal.date.to_string(), &date.to_string(), 1),
            goal.days_left,
            plural(goal.days_left as usize)
        )),
    }
    if let Some(cards) = &report.cards {
        count_lines(cards, goal.target, goal.status == "today", lines);
    }
    if goal.status == "preparing" {
        table_lines(report, lines);
        fit_lines(report, goal.target, lines);
    }
}

fn count_lines(cards: &ScopeCounts, target: f64, today: bool, lines: &mut Vec<String>) {
    lines.push(String::new());
    lines.push(format!(
        "Cards in scope: {} new, {} learning, {} in review{}.",
        cards.new,
        cards.learning,
        cards.review,
        match cards.suspended {
            0 => String::new(),
            n => format!(", and {n} suspended (left out)"),
        }
    ));
    let (of, target) = (cards.in_rotation, percent(target));
    lines.push(match today {
        true => format!(
            "Ready today: {} of {of} card{} at or above {target}.",
            cards.ready_now,
            plural(of)
        ),
        false => format!(
            "Ready now: {} of {of} card{} would be at or above {target} on the date without more study.",
            cards.ready_now,
            plural(of)
        ),
    });
}

fn table_lines(report: &Report, lines: &mut Vec<String>) {
    lines.push(String::new());
    lines.push(format!(
        "{:<10} {:>7} {:>5} {:>7}",
        "Day", "Reviews", "New", "Minutes"
    ));
    for day in &report.days {
        lines.push(format!(
            "{:<10} {:>7} {:>5} {:>7}",
            day.date.format("%a %m-%d").to_string(),
            day.reviews,
            day.new,
            day.minutes
        ));
    }
    let sum = |f: fn(&DayJson) -> u64| report.days.iter().map(f).sum::<u64>();
    lines.push(format!(
        "{:<10} {:>7} {:>5} {:>7}",
        "Total",
        sum(|d| d.reviews as u64),
        sum(|d| d.new as u64),
        sum(|d| d.minutes)
    ));
    lines.push(String::new());
    let from = match report.seconds_per_answer_from {
        "default" => "a default until you have timed answers".to_string(),
        _ => "your median".to_string(),
    };
    lines.push(format!(
        "Minutes at {} seconds an answer ({from}); learning steps count as answers. Reviews include the cards brought forward for the goal.",
        (report.seconds_per_answer * 10.0).round() / 10.0
    ));
}

fn fit_lines(report: &Report, target: f64, lines: &mut Vec<String>) {
    let (Some(needs), Some(fits)) = (report.needs, report.fits) else {
        return;
    };
    let limits = report.limits;
    lines.push(String::new());
    if fits {
        lines.push(format!(
            "It fits your daily limits: up to {} new card{} a day (limit {}) and {} review{} on the busiest day (limit {}).",
            needs.new_per_day, plural(needs.new_per_day), limits.new_per_day,
            needs.reviews_per_day, plural(needs.reviews_per_day), limits.reviews_per_day
        ));
    } else {
        lines.push("It does not fit your daily limits:".to_string());
        if needs.new_per_day > limits.new_per_day {
            lines.push(format!("  - it needs {} new cards a day and the limit is {}: raise it with `lupus-quiz config new_per_day {}`;", needs.new_per_day, limits.new_per_day, needs.new_per_day));
        }
        if needs.reviews_per_day > limits.reviews_per_day {
            lines.push(format!("  - it needs {} reviews on its busiest day and the limit is {}: raise it with `lupus-quiz config reviews_per_day {}`;", needs.reviews_per_day, limits.reviews_per_day, needs.reviews_per_day));
        }
        lines.push("or leave cards out: plan for one deck or tag (--deck, --tag), or suspend cards you do not need (`lupus-quiz suspend`).".to_string());
    }
    ready_lines(report, target, lines);
}

fn ready_lines(report: &Report, target: f64, lines: &mut Vec<String>) {
    let (Some(ready), Some(cards)) = (report.forecast_ready, &report.cards) else {
        return;
    };
    if ready >= cards.in_rotation {
        lines.push(format!(
            "Studying each day as planned, all {} card{} reach {} by the date.",
            cards.in_rotation,
            plural(cards.in_rotation),
            percent(target)
        ));
    } else {
        lines.push(format!(
            "Studying each day as planned, {ready} of {} cards reach {} by the date. Least likely to be ready:",
            cards.in_rotation,
            percent(target)
        ));
        for card in &report.least_ready {
            let recall = match card.state {
                "new" => "not studied in time".to_string(),
                _ => format!("{} on the date", percent(card.recall_on_date)),
            };
            lines.push(format!(
                "  {} ({recall}): {}",
                visible_inline(&card.id),
                truncate(&visible_inline(&card.question), 50)
            ));
        }
    }
    lines.push(format!(
        "Each day: `{}`.",
        report.commands.join("`, then `")
    ));
}

/// The dashboard's line about the goal, fitted to the width of stdout; nothing when none is
/// set or it has ended.
pub(crate) fn write_goal_line(
    ctx: &Context,
    store: &Store,
    catalog: &Catalog,
    scheduler: &Scheduler,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let width = crate::text::text_width(ctx.stdout_width);
    for line in dashboard_line(store, catalog, scheduler, ctx.clock.now())?
        .iter()
        .flat_map(|line| wrap(line, width))
    {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The dashboard's line about the goal: `None` when none is set or it has ended.
fn dashboard_line(
    store: &Store,
    catalog: &Catalog,
    scheduler: &Scheduler,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<String>> {
    let Some(learner) = LearnerGoal::load(store, scheduler.calendar())? else {
        return Ok(None);
    };
    let today = scheduler.calendar().day_of(now);
    if learner.goal.ended(today) {
        return Ok(None);
    }
    let Ok(selection) = learner.select(catalog) else {
        return Ok(Some(format!(
            "Goal: ready by {}, but its deck or tag is gone; `lupus-quiz plan --clear` ends it.",
            learner.stored.date
        )));
    };
    let cards = states_of(store, &selection, now)?;
    let counts = count_cards(scheduler, &learner, &cards);
    let when = match learner.goal.days_left(today) {
        0 => "today".to_string(),
        days => format!("{days} day{} left", plural(days as usize)),
    };
    Ok(Some(format!(
        "Goal: ready by {} ({when}): {} of {} cards at {} on the date so far; `lupus-quiz plan` shows the plan.",
        learner.stored.date,
        counts.ready_now,
        counts.in_rotation,
        percent(learner.goal.target)
    )))
}
