//! What "due" means: one rule for every count and list that says it (the dashboard, `stats`,
//! `cards --due`, `due`, a session's last lines), so that no two of them disagree.
//!
//! The rule is Anki's. A card in review is due on its study day, from the rollover hour on,
//! whatever the hour its interval ended at: `review` shows it at once. A card in learning or
//! relearning steps is due by its time, to the second (a session may show it up to the
//! learn-ahead limit before, and then says "early: due in …"). A new card (a forgotten one
//! too) is never due: it waits under the daily limit of new cards. A suspended card or a
//! leech is never due.

use chrono::{DateTime, TimeDelta, Utc};

use super::{CardPhase, CardState, StudyCalendar, format_interval, format_wait};

/// The due rule at one moment.
#[derive(Debug, Clone)]
pub struct DueRule {
    calendar: StudyCalendar,
    /// Reviews due before this (the start of the next study day) are due.
    reviews_before: DateTime<Utc>,
    /// Learning steps due by this (now) are due.
    steps_by: DateTime<Utc>,
}

impl DueRule {
    /// The rule at `now`, for the learner's calendar.
    pub fn at(now: DateTime<Utc>, calendar: &StudyCalendar) -> DueRule {
        let tomorrow = calendar.day_of(now).saturating_add(1);
        DueRule {
            calendar: calendar.clone(),
            reviews_before: calendar.day_start(tomorrow),
            steps_by: now,
        }
    }

    /// Reviews due before this instant are due (the start of the next study day).
    pub fn reviews_before(&self) -> DateTime<Utc> {
        self.reviews_before
    }

    /// Learning and relearning steps due by this instant are due.
    pub fn steps_by(&self) -> DateTime<Utc> {
        self.steps_by
    }

    /// Whether a card in `phase`, due at `due` and in rotation, is due.
    pub fn phase_is_due(&self, phase: CardPhase, due: DateTime<Utc>) -> bool {
        match phase {
            CardPhase::New => false,
            CardPhase::Review => due < self.reviews_before,
            CardPhase::Learning | CardPhase::Relearning => due <= self.steps_by,
        }
    }

    /// Whether a card in `state` is due (a suspended card or a leech never is).
    pub fn is_due(&self, state: &CardState) -> bool {
        !state.out_of_rotation() && self.phase_is_due(state.phase, state.due)
    }

    /// How long until a card in `phase`, due at `due`, becomes due by this rule, as a label:
    /// a review in study days ("9d": it is due on the ninth study day from today, whatever
    /// the hour), the same count as the whole-day interval its grade gave ("next: in 9d");
    /// a step by the clock, rounded up to a second ("10m").
    pub fn wait_label(&self, phase: CardPhase, due: DateTime<Utc>) -> String {
        let now = self.steps_by;
        match phase {
            CardPhase::Review => {
                let days = self.calendar.day_of(due) - self.calendar.day_of(now);
                format_interval(TimeDelta::days(days.max(0)))
            }
            _ => format_wait(due - now),
        }
    }

    /// When a card in `phase`, due at `due`, becomes due by this rule: a review at the start
    /// of its study day, a step at its time; a new card never.
    pub fn becomes_due(&self, phase: CardPhase, due: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match phase {
            CardPhase::New => None,
            CardPhase::Review => Some(self.calendar.day_start(self.calendar.day_of(due))),
            CardPhase::Learning | CardPhase::Relearning => Some(due),
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeDelta, TimeZone as _};

    use super::*;
    use crate::schedule::Zone;

    fn rule() -> (DueRule, DateTime<Utc>) {
        let calendar = StudyCalendar::new(4, Zone::utc());
        let now = Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap();
        (DueRule::at(now, &calendar), now)
    }

    #[test]
    fn a_review_is_due_all_its_study_day_and_a_step_by_its_time() {
        let (rule, now) = rule();
        let evening = Utc.with_ymd_and_hms(2026, 3, 10, 23, 0, 0).unwrap();
        let after_rollover = Utc.with_ymd_and_hms(2026, 3, 11, 4, 0, 0).unwrap();
        assert!(rule.phase_is_due(CardPhase::Review, evening));
        assert!(!rule.phase_is_due(CardPhase::Review, after_rollover));
        assert!(rule.phase_is_due(CardPhase::Learning, now));
        assert!(!rule.phase_is_due(CardPhase::Relearning, now + TimeDelta::seconds(1)));
        assert!(!rule.phase_is_due(CardPhase::New, now - TimeDelta::days(30)));
    }

    #[test]
    fn a_forgotten_or_suspended_card_is_never_due() {
        let (rule, now) = rule();
        let forgotten = CardState::new_card(now - TimeDelta::days(3));
        assert!(!rule.is_due(&forgotten));
        let suspended = CardState {
            phase: CardPhase::Review,
            suspended: true,
            ..forgotten
        };
        assert!(!rule.is_due(&suspended));
        assert_eq!(rule.becomes_due(CardPhase::New, now), None);
    }

    #[test]
    fn a_review_waits_in_study_days_and_a_step_by_the_clock() {
        // 09:00 on 03-10; a study day starts at 04:00.
        let (rule, now) = rule();
        let in_nine_days = now + TimeDelta::days(9);
        assert_eq!(rule.wait_label(CardPhase::Review, in_nine_days), "9d");
        // Its study day starts 8 days and 19 hours from now: still the ninth study day.
        let day_start = rule.becomes_due(CardPhase::Review, in_nine_days).unwrap();
        assert_eq!(rule.wait_label(CardPhase::Review, day_start), "9d");
        // Before 04:00 tomorrow is still today's study day.
        let tonight = Utc.with_ymd_and_hms(2026, 3, 11, 3, 0, 0).unwrap();
        assert_eq!(rule.wait_label(CardPhase::Review, tonight), "0s");
        assert_eq!(rule.wait_label(CardPhase::Learning, tonight), "18h");
        let step = now + TimeDelta::minutes(10) - TimeDelta::milliseconds(300);
        assert_eq!(rule.wait_label(CardPhase::Relearning, step), "10m");
    }

    #[test]
    fn a_review_becomes_due_when_its_study_day_starts() {
        let (rule, _) = rule();
        let due = Utc.with_ymd_and_hms(2026, 3, 12, 15, 30, 0).unwrap();
        assert_eq!(
            rule.becomes_due(CardPhase::Review, due),
            Some(Utc.with_ymd_and_hms(2026, 3, 12, 4, 0, 0).unwrap())
        );
        assert_eq!(rule.becomes_due(CardPhase::Learning, due), Some(due));
    }
}
