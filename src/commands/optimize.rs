//! `lupus-quiz optimize`: fit FSRS to the learner's history, as Anki does.

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fsrs::CombinedProgressState;
use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::OptimizeArgs;
use crate::context::Context;
use crate::schedule::fit::{self, Metrics};
use crate::settings::{Setting, Settings};
use crate::store::Store;
use crate::text::plural;

pub(crate) fn run(ctx: &Context, args: &OptimizeArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (reset, retention) = (args.reset, args.retention);
    let mut store = ctx.open_store()?;
    if reset {
        return reset_parameters(ctx, &mut store, out);
    }
    let settings = store.settings()?;
    if retention {
        let fitted = store.explicit_settings()?.contains(&Setting::Parameters);
        let reviews = store.review_count()?;
        return advise_retention(ctx, &settings, Basis { fitted, reviews }, out);
    }
    let history = History::read(ctx, &store, &settings)?;
    let current = fit::evaluate(&settings.parameters, &history.items)?;
    let fitted = with_progress_bar(|progress| fit::fit(history.items.clone(), Some(progress)))?;
    let candidate = fit::evaluate(&fitted, &history.items)?;
    report_fit(&history, &current, &candidate, out)?;
    // As in Anki: new parameters are taken only when they predict this history better.
    if candidate.log_loss < current.log_loss {
        save_parameters(ctx, &mut store, settings, fitted, out)
    } else {
        writeln!(
            out,
            "Kept the current parameters: the fitted ones do not predict your history better."
        )?;
        Ok(())
    }
}

/// The fix for a bad stored value, so it must run whatever else is stored.
fn reset_parameters(ctx: &Context, store: &mut Store, out: &mut dyn Write) -> anyhow::Result<()> {
    // No stored parameters (not even an unusable value): the defaults are in use already.
    if !store.explicit_settings()?.contains(&Setting::Parameters) {
        writeln!(
            out,
            "The parameters are already the defaults; nothing was changed."
        )?;
        return Ok(());
    }
    let (mut settings, _) = store.settings_lenient()?;
    settings.parameters = Settings::default().parameters;
    let scheduler = ctx.scheduler_for(&settings)?;
    let cards = store.reset_settings(&[Setting::Parameters], &scheduler)?;
    writeln!(
        out,
        "Parameters reset to the defaults; rescheduled {cards} card{}.",
        plural(cards)
    )?;
    Ok(())
}

/// The learner's history as FSRS training items, with how much of it there was.
struct History {
    items: Vec<fsrs::FSRSItem>,
    cards: usize,
    reviews: usize,
    /// Cards with more reviews than training takes ([`fit::MAX_REVIEWS_PER_CARD`]).
    cut: usize,
}

impl History {
    /// Refuses a history too short to learn from, saying how much more is needed.
    fn read(ctx: &Context, store: &Store, settings: &Settings) -> anyhow::Result<History> {
        let calendar = ctx.calendar(settings.rollover_hour);
        let mut history = History {
            items: Vec::new(),
            cards: 0,
            reviews: 0,
            cut: 0,
        };
        store.for_each_history(|_, card| {
            history.cards += 1;
            history.reviews += card.len();
            history.cut += usize::from(card.len() > fit::MAX_REVIEWS_PER_CARD);
            history.items.extend(fit::items_of_card(card, &calendar));
        })?;
        if history.reviews == 0 {
            anyhow::bail!(
                "there are no reviews yet to learn from; study for a few weeks (`lupus-quiz study basics`), then run `lupus-quiz optimize`"
            );
        }
        if history.items.len() < fit::MIN_TRAINING_ITEMS {
            let items = history.items.len();
            return Err(fit::FitError::NotEnoughHistory { items }.into());
        }
        Ok(history)
    }
}

fn report_fit(
    history: &History,
    current: &Metrics,
    candidate: &Metrics,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    writeln!(
        out,
        "Fitted to {} review{} of {} card{} ({} training items).",
        history.reviews,
        plural(history.reviews),
        history.cards,
        plural(history.cards),
        history.items.len()
    )?;
    if history.cut > 0 {
        writeln!(
            out,
            "{} card{} more than {} reviews: only the first {} of each went into training, which keeps the memory it takes bounded.",
            history.cut,
            if history.cut == 1 { " has" } else { "s have" },
            fit::MAX_REVIEWS_PER_CARD,
            fit::MAX_REVIEWS_PER_CARD
        )?;
    }
    writeln!(
        out,
        "{:<22} {:>9} {:>12}",
        "parameters", "log loss", "RMSE (bins)"
    )?;
    let row = |name: &str, m: &Metrics| {
        format!(
            "{name:<22} {:>9.4} {:>11.2}%",
            m.log_loss,
            m.rmse_bins * 100.0
        )
    };
    writeln!(out, "{}", row("current", current))?;
    writeln!(out, "{}", row("fitted to your history", candidate))?;
    Ok(())
}

/// Stores the fitted parameters and reschedules every card with them, in one transaction.
fn save_parameters(
    ctx: &Context,
    store: &mut Store,
    mut settings: Settings,
    fitted: Vec<f32>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    settings.parameters = fitted;
    let scheduler = ctx.scheduler_for(&settings)?;
    let rescheduled = store.apply_settings(&settings, &[Setting::Parameters], &scheduler)?;
    writeln!(
        out,
        "Saved: scheduling now uses the fitted parameters; rescheduled {rescheduled} card{}.",
        plural(rescheduled)
    )?;
    writeln!(out, "{}", settings.get(Setting::Parameters))?;
    Ok(())
}

/// Runs `work` on another thread and shows a progress bar on stderr once it has taken more
/// than a second (indicatif hides it when stderr is not a terminal).
fn with_progress_bar<T: Send>(
    work: impl FnOnce(Arc<Mutex<CombinedProgressState>>) -> T + Send,
) -> T {
    let progress = CombinedProgressState::new_shared();
    let shared = Arc::clone(&progress);
    std::thread::scope(|scope| {
        let handle = scope.spawn(move || work(shared));
        let started = Instant::now();
        let mut bar: Option<ProgressBar> = None;
        while !handle.is_finished() {
            std::thread::sleep(Duration::from_millis(100));
            if started.elapsed() < Duration::from_secs(1) {
                continue;
            }
            let (current, total) = match progress.lock() {
                Ok(state) => (state.current(), state.total()),
                Err(_) => continue,
            };
            let bar = bar.get_or_insert_with(|| {
                let bar = ProgressBar::new(total.max(1) as u64);
                bar.set_style(
                    ProgressStyle::with_template("fitting {bar:40} {percent:>3}% ({elapsed})")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar
            });
            bar.set_length(total.max(1) as u64);
            bar.set_position(current as u64);
        }
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        handle
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// What the retention advice rests on: parameters fitted to the learner's history, or the
/// defaults; and how many reviews there are.
struct Basis {
    fitted: bool,
    reviews: u64,
}

/// The desired retentions of the table, as Anki's "Help me decide" spans them.
const TABLE_RETENTIONS: [f32; 10] = [0.70, 0.73, 0.76, 0.79, 0.82, 0.85, 0.88, 0.91, 0.94, 0.97];

fn advise_retention(
    ctx: &Context,
    settings: &Settings,
    basis: Basis,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let catalog = ctx.load_catalog()?;
    let parameters = settings.parameters.clone();
    let study = fit::SimulatedStudy {
        deck_size: catalog.card_count(),
        new_per_day: settings.new_per_day as usize * catalog.decks.len().max(1),
        reviews_per_day: settings.reviews_per_day as usize,
        max_interval_days: settings.max_interval_days,
    };
    let yours = settings.desired_retention;
    let (best, years) = with_progress_bar(|_| {
        let best = fit::optimal_retention(&parameters, study)?;
        let mut retentions = TABLE_RETENTIONS.to_vec();
        retentions.extend([best, yours]);
        retentions.sort_by(f32::total_cmp);
        retentions.dedup_by(|a, b| (*a - *b).abs() < 0.005);
        Ok::<_, fit::FitError>((best, fit::simulate_years(&parameters, study, &retentions)?))
    })?;
    let width = crate::text::text_width(ctx.stdout_width);
    write_retention_table(&years, (best, yours), study, width, out)?;
    let mut advice = vec![format!(
        "With your parameters and limits, a desired retention of {best:.2} gives the least study \
         time per card remembered (simulated over a year). Yours is {yours:.2}."
    )];
    if !basis.fitted {
        advice.push(format!(
            "Caution: this uses the default parameters, an average learner's, not yours: with {} \
             review{} your history is too short to say more (`lupus-quiz optimize` fits \
             parameters of your own once it has enough).",
            basis.reviews,
            plural(basis.reviews as usize)
        ));
    }
    if best <= 0.701 {
        advice.push(
            "(0.70 is the lowest value the simulation tries: below it, too much is forgotten to \
             be worth it.)"
                .to_string(),
        );
    }
    advice.push(if (best - yours).abs() >= 0.01 {
        format!("This is advice only; to follow it: lupus-quiz config desired_retention {best:.2}")
    } else {
        "Your setting is already close to it.".to_string()
    });
    writeln!(out)?;
    for line in advice
        .iter()
        .flat_map(|text| crate::text::wrap(text, width))
    {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The "Help me decide" table: per desired retention, the reviews and minutes a day and the
/// cards remembered after a year, with the suggested value and the learner's own marked.
fn write_retention_table(
    years: &[fit::SimulatedYear],
    (best, yours): (f32, f32),
    study: fit::SimulatedStudy,
    width: usize,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let intro = format!(
        "Help me decide: a year of study simulated at each desired retention, for {} card{}, \
         {} new a day and at most {} reviews a day, with FSRS's average answer times. \
         \"remembered\" is how many cards you would remember at the end of the year; \
         \"best\" marks the suggested retention.",
        study.deck_size,
        plural(study.deck_size),
        study.new_per_day,
        study.reviews_per_day
    );
    for line in crate::text::wrap(&intro, width) {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "\n{:>9}  {:>11}  {:>11}  {:>10}",
        "retention", "reviews/day", "minutes/day", "remembered"
    )?;
    let near = |a: f32, b: f32| (a - b).abs() < 0.005;
    for year in years {
        let mark = match (
            near(year.desired_retention, best),
            near(year.desired_retention, yours),
        ) {
            (true, true) => " best, yours",
            (true, false) => " best",
            (false, true) => " yours",
            (false, false) => "",
        };
        writeln!(
            out,
            "{:>9.2}  {:>11.1}  {:>11.1}  {:>10.0}{mark}",
            year.desired_retention, year.answers_per_day, year.minutes_per_day, year.remembered
        )?;
    }
    Ok(())
}
