//! Mastery per section of the article (`stats --by-section`, and the `summary` page): the
//! cards of each source by state, how many are mastered, the average predicted recall, and
//! the cards the learner keeps missing.
//!
//! A section is a card's `source`: for the built-in decks a heading of the article (or the
//! beyond-the-article label), for a deck of one's own whatever sources it names. Sections
//! come in the order their first card has in the catalog, so the built-in decks give them
//! in reading order, deck by deck.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::deck::{BEYOND_THE_ARTICLE, Catalog};
use crate::schedule::{CardPhase, CardState, Goal, Scheduler};
use crate::store::{CardRow, Store};

/// A card in review with a stability of at least this many days counts as mastered: FSRS
/// expects it to be remembered for three weeks or more (Anki's "mature" threshold).
pub(crate) const MASTERED_STABILITY_DAYS: f64 = 21.0;

/// The cells of a section's mastery bar.
const BAR_CELLS: usize = 10;

/// The most missed cards kept per section, hardest first.
const MISSED_PER_SECTION: usize = 5;

/// One section's cards, counted.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub(crate) struct SectionMastery {
    /// The cards' source, as written in the deck.
    pub section: String,
    /// Cards of the section in scope.
    pub cards: u64,
    /// Never answered.
    pub new: u64,
    /// In learning or relearning steps.
    pub learning: u64,
    /// In review, not yet mastered.
    pub review: u64,
    /// In review with a stability of [`MASTERED_STABILITY_DAYS`] or more.
    pub mastered: u64,
    /// Taken out of rotation (by the learner, or as a leech).
    pub suspended: u64,
    /// The average FSRS predicted recall now of the cards in review (not suspended), as
    /// `stats` gives it for a deck; null when there are none.
    pub recall_now: Option<f64>,
    /// While a goal (`lupus-quiz plan`) is active: the average predicted recall on its date
    /// of the section's cards not suspended, a new card counting as 0; null otherwise.
    pub recall_on_goal: Option<f64>,
    /// The cards answered wrong at least once since they were last learned, hardest first
    /// (at most five).
    #[serde(skip)]
    pub missed: Vec<MissedCard>,
}

impl SectionMastery {
    /// Cards answered at least once, suspended or not.
    pub(crate) fn studied(&self) -> u64 {
        self.cards - self.new
    }

    /// Mastered cards out of all, 0 to 1: the order of weakest first.
    pub(crate) fn mastered_share(&self) -> f64 {
        if self.cards == 0 {
            0.0
        } else {
            self.mastered as f64 / self.cards as f64
        }
    }
}

/// A card the learner keeps missing: where it is in the catalog, and how it stands.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MissedCard {
    pub deck: usize,
    pub index: usize,
    /// Lapses, and Again answers in the learning or relearning steps it is in now.
    pub failures: u64,
    pub recall: f64,
}

/// When mastery is counted: now, and the goal's date while a goal is active.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moments {
    pub now: DateTime<Utc>,
    pub goal: Option<Goal>,
}

/// Where each card of the scope is: its deck, its place in the deck, and its section.
struct Place {
    deck: usize,
    index: usize,
    section: usize,
}

/// Counts the cards of `scope` (a deck index of `catalog`, or every deck) per section.
pub(crate) fn mastery(
    store: &Store,
    catalog: &Catalog,
    scope: Option<usize>,
    scheduler: &Scheduler,
    at: Moments,
) -> anyhow::Result<Vec<SectionMastery>> {
    let (mut sections, places) = sections_of(catalog, scope);
    let today = scheduler.calendar().day_of(at.now);
    let mut recall_sums = vec![(0.0, 0u64); sections.len()];
    let mut goal_sums = vec![0.0; sections.len()];
    let mut in_steps: Vec<(&str, MissedCard, usize)> = Vec::new();
    store.for_each_card_state(|row| {
        let Some((held, place)) = places.get_key_value(row.card_id) else {
            return;
        };
        let recall = scheduler.retrievability_on(&row.state, today);
        if let Some(goal) = &at.goal {
            goal_sums[place.section] += goal.recall_on_date(scheduler, &row.state);
        }
        let section = &mut sections[place.section];
        match count_card(section, &row, place, recall) {
            Counted::Review(recall) => {
                let sum = &mut recall_sums[place.section];
                *sum = (sum.0 + recall, sum.1 + 1);
            }
            Counted::InSteps(missed) => in_steps.push((held, missed, place.section)),
            Counted::Other => {}
        }
    })?;
    // Failed steps are in the log, not in the state: one indexed query per card in steps.
    let ids: Vec<&str> = in_steps.iter().map(|(id, _, _)| *id).collect();
    for ((_, mut missed, section), failed) in in_steps.into_iter().zip(store.failed_steps(&ids)?) {
        missed.failures += failed;
        if missed.failures > 0 {
            sections[section].missed.push(missed);
        }
    }
    for ((section, (sum, count)), goal_sum) in sections.iter_mut().zip(recall_sums).zip(goal_sums) {
        section.recall_now = (count > 0).then(|| round4(sum / count as f64));
        let in_rotation = section.cards - section.suspended;
        section.recall_on_goal =
            (at.goal.is_some() && in_rotation > 0).then(|| round4(goal_sum / in_rotation as f64));
        section.missed.sort_by(|a, b| {
            (b.failures.cmp(&a.failures))
                .then(a.recall.total_cmp(&b.recall))
                .then((a.deck, a.index).cmp(&(b.deck, b.index)))
        });
        section.missed.truncate(MISSED_PER_SECTION);
    }
    Ok(sections)
}

/// What counting one stored card found beyond its state: its recall when it is in review,
/// or the card when it is in steps (whether it failed one is in the log).
enum Counted {
    Review(f64),
    InSteps(MissedCard),
    Other,
}

/// Counts one stored card of `section`, which counted it as new so far; a card in review
/// that lapsed joins the section's missed cards.
fn count_card(
    section: &mut SectionMastery,
    row: &CardRow<'_>,
    place: &Place,
    recall: f64,
) -> Counted {
    let state = &row.state;
    let out_of_rotation = row.suspended || state.leech;
    if state.phase == CardPhase::New && !out_of_rotation {
        return Counted::Other;
    }
    section.new -= 1;
    if out_of_rotation {
        section.suspended += 1;
        return Counted::Other;
    }
    count_phase(section, state);
    let missed = MissedCard {
        deck: place.deck,
        index: place.index,
        failures: u64::from(state.lapses),
        recall,
    };
    match state.phase {
        CardPhase::Learning | CardPhase::Relearning => Counted::InSteps(missed),
        _ if missed.failures > 0 => {
            section.missed.push(missed);
            Counted::Review(recall)
        }
        _ => Counted::Review(recall),
    }
}

/// The sections of the scope in catalog order, every card counted as new, and where each
/// card is.
fn sections_of(
    catalog: &Catalog,
    scope: Option<usize>,
) -> (Vec<SectionMastery>, HashMap<&str, Place>) {
    let mut sections: Vec<SectionMastery> = Vec::new();
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut places = HashMap::new();
    for (deck_index, deck) in catalog.decks.iter().enumerate() {
        if scope.is_some_and(|only| only != deck_index) {
            continue;
        }
        for (index, card) in deck.cards.iter().enumerate() {
            let section = *by_name.entry(card.source.as_str()).or_insert_with(|| {
                sections.push(SectionMastery {
                    section: card.source.clone(),
                    ..SectionMastery::default()
                });
                sections.len() - 1
            });
            sections[section].cards += 1;
            sections[section].new += 1;
            places.insert(
                card.id.as_str(),
                Place {
                    deck: deck_index,
                    index,
                    section,
                },
            );
        }
    }
    // What the article does not say comes after what it says.
    let beyond = sections
        .iter()
        .position(|s| s.section == BEYOND_THE_ARTICLE);
    if let Some(beyond) = beyond {
        let moved = sections.remove(beyond);
        sections.push(moved);
        for place in places.values_mut() {
            place.section = match place.section {
                s if s == beyond => sections.len() - 1,
                s if s > beyond => s - 1,
                s => s,
            };
        }
    }
    (sections, places)
}

fn count_phase(section: &mut SectionMastery, state: &CardState) {
    match state.phase {
        CardPhase::Learning | CardPhase::Relearning => section.learning += 1,
        CardPhase::Review if state.stability >= MASTERED_STABILITY_DAYS => section.mastered += 1,
        CardPhase::Review => section.review += 1,
        // A stored state that is still new (forgotten): counted as new again.
        CardPhase::New => section.new += 1,
    }
}

fn round4(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

/// Draws the sections for the terminal, or in words for `--plain`, fitted to the layout's
/// width.
pub(crate) fn render_sections(
    out: &mut dyn std::io::Write,
    sections: &[SectionMastery],
    layout: super::Layout,
) -> std::io::Result<()> {
    let width = layout.width;
    writeln!(out, "{}", layout.palette.heading("Mastery by section"))?;
    for line in super::layout::wrap_words(
        "A card is mastered once FSRS expects you to remember it for three weeks or more. \
         Recall is FSRS's prediction of how many of the cards in review you would remember today.",
        width,
    ) {
        writeln!(out, "{}", layout.palette.dim(&line))?;
    }
    if sections.is_empty() {
        writeln!(out, "\nNo cards in scope.")?;
    }
    for section in sections {
        writeln!(out)?;
        let title = crate::text::visible_inline(&section.section);
        for line in super::layout::wrap_words(&title, width) {
            writeln!(out, "{}", layout.palette.heading(&line))?;
        }
        let facts = section_facts(section, layout.plain);
        let lines = if layout.plain {
            super::layout::wrap_words(&format!("{}.", facts.join(", ")), width)
        } else {
            let mut shown =
                super::layout::bar(section.mastered as f64, section.cards as f64, BAR_CELLS);
            let rest = BAR_CELLS - shown.chars().count();
            shown = format!("{shown}{} ", "░".repeat(rest));
            let mut lines = crate::text::wrap_items(&facts, width.saturating_sub(BAR_CELLS + 3));
            for (number, line) in lines.iter_mut().enumerate() {
                let lead = if number == 0 {
                    layout.palette.bar(&shown)
                } else {
                    " ".repeat(BAR_CELLS + 1)
                };
                *line = format!("  {lead}{line}");
            }
            lines
        };
        for line in lines {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// What one section's line says: mastered out of all, the other states that have cards,
/// and the predicted recall.
fn section_facts(section: &SectionMastery, plain: bool) -> Vec<String> {
    let mut facts = vec![format!(
        "{} of {} card{} mastered",
        section.mastered,
        section.cards,
        crate::text::plural(section.cards as usize)
    )];
    for (count, what) in [
        (section.review, "in review"),
        (section.learning, "learning"),
        (section.new, "new"),
        (section.suspended, "suspended"),
    ] {
        if count > 0 {
            facts.push(format!("{count} {what}"));
        }
    }
    facts.push(match section.recall_now {
        Some(recall) if plain => format!("predicted recall {:.0} percent", recall * 100.0),
        Some(recall) => format!("recall {:.0}%", recall * 100.0),
        None if section.studied() == 0 => "not studied yet".to_string(),
        None => "none in review yet".to_string(),
    });
    if let Some(recall) = section.recall_on_goal {
        facts.push(if plain {
            format!("on the goal's date {:.0} percent", recall * 100.0)
        } else {
            format!("{:.0}% on the goal's date", recall * 100.0)
        });
    }
    facts
}
