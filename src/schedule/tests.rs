//! Scheduler behaviour: the card life cycle, agreement with the fsrs crate, and replay.
//!
//! Everything runs in UTC through the `*_in` variants, so the results do not depend on the
//! time zone of the machine running the tests.

use chrono::{DateTime, TimeDelta, Utc};
use fsrs::{FSRS, MemoryState};
use proptest::prelude::*;

use super::fuzz::fuzz_range;
use super::*;
use crate::ids::CardId;

/// The card every test answers (its id seeds the interval fuzz).
fn id() -> CardId {
    CardId::from("hsct-phase-order")
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn scheduler() -> Scheduler {
    Scheduler::new(SchedulerConfig::default(), crate::schedule::Zone::utc()).unwrap()
}

fn scheduler_with(change: impl FnOnce(&mut SchedulerConfig)) -> Scheduler {
    let mut config = SchedulerConfig::default();
    change(&mut config);
    Scheduler::new(config, crate::schedule::Zone::utc()).unwrap()
}

fn answer(s: &Scheduler, state: &CardState, rating: Rating, at: &str) -> Answered {
    s.answer(&id(), state, rating, utc(at))
}

fn memory(state: &CardState) -> MemoryState {
    MemoryState {
        stability: state.stability as f32,
        difficulty: state.difficulty as f32,
    }
}

/// Days until due, for cards in review.
fn interval_days(answered: &Answered) -> i64 {
    answered.interval().num_days()
}

/// A card that graduated with Easy on 1 March and has a real review interval.
fn review_card(s: &Scheduler) -> CardState {
    let new = CardState::new_card(utc("2026-03-01T09:00:00Z"));
    answer(s, &new, Rating::Easy, "2026-03-01T09:00:00Z").state
}

#[test]
fn fixed_history_matches_fsrs_next_states() {
    let s = scheduler();
    let fsrs = FSRS::new(&fsrs::DEFAULT_PARAMETERS).unwrap();
    let next = |m: Option<MemoryState>, days: u32| fsrs.next_states(m, 0.9, days).unwrap();

    // (time, rating, study days since the previous review, fsrs outcome for that rating)
    let new = CardState::new_card(utc("2026-03-01T09:00:00Z"));
    let a1 = answer(&s, &new, Rating::Good, "2026-03-01T09:00:00Z");
    let e1 = next(None, 0).good;
    assert_eq!(memory(&a1.state), e1.memory);
    assert_eq!(a1.state.phase, CardPhase::Learning);

    let a2 = answer(&s, &a1.state, Rating::Good, "2026-03-01T09:10:00Z");
    let e2 = next(Some(e1.memory), 0).good;
    assert_eq!(memory(&a2.state), e2.memory);
    assert_eq!(a2.state.phase, CardPhase::Review);
    let (lower, upper) = fuzz_range(f64::from(e2.interval), 36_500);
    assert!((i64::from(lower)..=i64::from(upper)).contains(&interval_days(&a2)));

    // Three study days later, late in the evening.
    let a3 = answer(&s, &a2.state, Rating::Good, "2026-03-04T22:00:00Z");
    let e3 = next(Some(e2.memory), 3).good;
    assert_eq!(memory(&a3.state), e3.memory);

    // A lapse 16 days later, then the single relearning step on the same day.
    let a4 = answer(&s, &a3.state, Rating::Again, "2026-03-20T08:00:00Z");
    let e4 = next(Some(e3.memory), 16).again;
    assert_eq!(memory(&a4.state), e4.memory);
    assert_eq!(a4.state.phase, CardPhase::Relearning);
    let a5 = answer(&s, &a4.state, Rating::Good, "2026-03-20T08:10:00Z");
    let e5 = next(Some(e4.memory), 0).good;
    assert_eq!(memory(&a5.state), e5.memory);
    assert_eq!(a5.state.phase, CardPhase::Review);

    // 03:00 UTC on the 25th is before the 04:00 rollover, so still study day 24: 4 days.
    let a6 = answer(&s, &a5.state, Rating::Hard, "2026-03-25T03:00:00Z");
    let e6 = next(Some(e5.memory), 4).hard;
    assert_eq!(memory(&a6.state), e6.memory);

    assert_eq!(a6.state.reps, 6);
    assert_eq!(a6.state.lapses, 1);
    assert_eq!(a6.state.last_review, Some(utc("2026-03-25T03:00:00Z")));
    let kinds = [&a1, &a2, &a3, &a4, &a5, &a6].map(|a| a.kind);
    use ReviewKind::{Learning, Relearning, Review};
    assert_eq!(
        kinds,
        [Learning, Learning, Review, Review, Relearning, Review]
    );
}

#[test]
fn first_answer_of_a_new_card_starts_from_fsrs_initial_state() {
    let s = scheduler();
    let fsrs = FSRS::new(&fsrs::DEFAULT_PARAMETERS).unwrap();
    let expected = fsrs.next_states(None, 0.9, 0).unwrap();
    let new = CardState::new_card(utc("2026-03-01T09:00:00Z"));
    let outcomes = s.preview(&id(), &new, utc("2026-03-01T09:00:00Z"));
    let got = outcomes.each_ref().map(|a| memory(&a.state));
    assert_eq!(
        got,
        [
            expected.again.memory,
            expected.hard.memory,
            expected.good.memory,
            expected.easy.memory
        ]
    );
}

#[test]
fn learning_steps_follow_anki() {
    let s = scheduler();
    let t0 = "2026-03-01T09:00:00Z";
    let new = CardState::new_card(utc(t0));

    let again = answer(&s, &new, Rating::Again, t0);
    assert_eq!(
        (again.state.phase, again.state.step),
        (CardPhase::Learning, 0)
    );
    assert_eq!(again.interval(), TimeDelta::minutes(1));

    // Hard on the first step waits halfway to the second: (1m + 10m) / 2.
    let hard = answer(&s, &new, Rating::Hard, t0);
    assert_eq!(
        (hard.state.phase, hard.state.step),
        (CardPhase::Learning, 0)
    );
    assert_eq!(hard.interval(), TimeDelta::seconds(330));

    let good = answer(&s, &new, Rating::Good, t0);
    assert_eq!(
        (good.state.phase, good.state.step),
        (CardPhase::Learning, 1)
    );
    assert_eq!(good.interval(), TimeDelta::minutes(10));

    let easy = answer(&s, &new, Rating::Easy, t0);
    assert_eq!(easy.state.phase, CardPhase::Review);
    assert!(interval_days(&easy) >= 1);

    // On the second step, Hard repeats it and Again goes back to the first.
    let t1 = "2026-03-01T09:10:00Z";
    let hard2 = answer(&s, &good.state, Rating::Hard, t1);
    assert_eq!(
        (hard2.state.phase, hard2.state.step),
        (CardPhase::Learning, 1)
    );
    assert_eq!(hard2.interval(), TimeDelta::minutes(10));
    let again2 = answer(&s, &good.state, Rating::Again, t1);
    assert_eq!(
        (again2.state.step, again2.interval()),
        (0, TimeDelta::minutes(1))
    );

    // Good on the last step graduates.
    let graduated = answer(&s, &good.state, Rating::Good, t1);
    assert_eq!(
        (graduated.state.phase, graduated.state.step),
        (CardPhase::Review, 0)
    );
    assert!(interval_days(&graduated) >= 1);
    assert_eq!(graduated.state.lapses, 0);
}

#[test]
fn hard_on_a_single_step_waits_one_and_a_half_times_it() {
    let s = scheduler_with(|c| c.learning_steps = vec![TimeDelta::minutes(10)]);
    let new = CardState::new_card(utc("2026-03-01T09:00:00Z"));
    let hard = answer(&s, &new, Rating::Hard, "2026-03-01T09:00:00Z");
    assert_eq!(hard.interval(), TimeDelta::minutes(15));
    let good = answer(&s, &new, Rating::Good, "2026-03-01T09:00:00Z");
    assert_eq!(good.state.phase, CardPhase::Review);
}

#[test]
fn lapse_goes_through_relearning_steps() {
    let s =
        scheduler_with(|c| c.relearning_steps = vec![TimeDelta::minutes(10), TimeDelta::hours(1)]);
    let card = review_card(&s);
    let lapse = answer(&s, &card, Rating::Again, "2026-03-12T09:00:00Z");
    assert_eq!(lapse.kind, ReviewKind::Review);
    assert_eq!(
        (lapse.state.phase, lapse.state.step),
        (CardPhase::Relearning, 0)
    );
    assert_eq!(lapse.state.lapses, 1);
    assert_eq!(lapse.interval(), TimeDelta::minutes(10));

    let hard = answer(&s, &lapse.state, Rating::Hard, "2026-03-12T09:10:00Z");
    assert_eq!(hard.kind, ReviewKind::Relearning);
    assert_eq!(hard.interval(), TimeDelta::minutes(35));

    let good = answer(&s, &lapse.state, Rating::Good, "2026-03-12T09:10:00Z");
    assert_eq!(
        (good.state.phase, good.state.step),
        (CardPhase::Relearning, 1)
    );
    assert_eq!(good.interval(), TimeDelta::hours(1));

    // Again while relearning is not another lapse.
    let again = answer(&s, &good.state, Rating::Again, "2026-03-12T10:10:00Z");
    assert_eq!((again.state.step, again.state.lapses), (0, 1));

    let back = answer(&s, &good.state, Rating::Good, "2026-03-12T10:10:00Z");
    assert_eq!(back.state.phase, CardPhase::Review);
    assert!(interval_days(&back) >= 1);
    assert_eq!(back.state.lapses, 1);
}

#[test]
fn without_steps_cards_go_straight_to_review() {
    let s = scheduler_with(|c| {
        c.learning_steps.clear();
        c.relearning_steps.clear();
    });
    let new = CardState::new_card(utc("2026-03-01T09:00:00Z"));
    for answered in s.preview(&id(), &new, utc("2026-03-01T09:00:00Z")) {
        assert_eq!(answered.state.phase, CardPhase::Review);
        assert!(interval_days(&answered) >= 1);
        assert_eq!(answered.state.lapses, 0);
    }
    let card = review_card(&s);
    let lapse = answer(&s, &card, Rating::Again, "2026-03-12T09:00:00Z");
    assert_eq!(lapse.state.phase, CardPhase::Review);
    assert_eq!(lapse.state.lapses, 1);
    assert!(interval_days(&lapse) >= 1);
}

#[test]
fn shortened_steps_do_not_strand_a_card() {
    let long = scheduler_with(|c| {
        c.learning_steps = vec![
            TimeDelta::minutes(1),
            TimeDelta::minutes(10),
            TimeDelta::hours(1),
        ]
    });
    let new = CardState::new_card(utc("2026-03-01T09:00:00Z"));
    let on_step_2 = answer(&long, &new, Rating::Good, "2026-03-01T09:00:00Z");
    let on_step_2 = answer(
        &long,
        &on_step_2.state,
        Rating::Good,
        "2026-03-01T09:10:00Z",
    );
    assert_eq!(on_step_2.state.step, 2);

    let short = scheduler();
    let hard = answer(
        &short,
        &on_step_2.state,
        Rating::Hard,
        "2026-03-01T10:10:00Z",
    );
    assert_eq!(
        (hard.state.step, hard.interval()),
        (1, TimeDelta::minutes(10))
    );
    let good = answer(
        &short,
        &on_step_2.state,
        Rating::Good,
        "2026-03-01T10:10:00Z",
    );
    assert_eq!(good.state.phase, CardPhase::Review);
}

#[test]
fn answer_equals_preview() {
    let s = scheduler();
    let card = review_card(&s);
    let at = utc("2026-03-15T12:00:00Z");
    let preview = s.preview(&id(), &card, at);
    for (rating, previewed) in Rating::ALL.into_iter().zip(preview) {
        assert_eq!(s.answer(&id(), &card, rating, at), previewed);
    }
}

#[test]
fn answers_are_deterministic_and_fuzzed_per_card() {
    let s = scheduler();
    let card = review_card(&s);
    let at = utc("2026-04-20T12:00:00Z");
    let first = s.answer(&id(), &card, Rating::Good, at);
    let second = s.answer(&id(), &card, Rating::Good, at);
    assert_eq!(first, second);

    // Same memory, different cards: the due dates spread over the fuzz range.
    let days: std::collections::BTreeSet<i64> = (0..100)
        .map(|n| interval_days(&s.answer(&format!("card-{n}").into(), &card, Rating::Good, at)))
        .collect();
    assert!(days.len() > 1, "fuzz should spread intervals: {days:?}");
}

#[test]
fn maximum_interval_caps_everything() {
    let s = scheduler_with(|c| c.max_interval_days = 3);
    let mut state = review_card(&s);
    let mut at = utc("2026-03-05T12:00:00Z");
    for _ in 0..10 {
        let outcomes = s.preview(&id(), &state, at);
        for answered in &outcomes[1..] {
            assert!((1..=3).contains(&interval_days(answered)));
        }
        state = outcomes[3].state.clone();
        at = state.due;
    }
}

#[test]
fn leech_is_flagged_once_at_the_threshold() {
    let s = scheduler_with(|c| c.leech_threshold = 2);
    let mut state = review_card(&s);
    let mut at = utc("2026-03-10T09:00:00Z");
    let mut flags = Vec::new();
    for _ in 0..3 {
        let lapse = s.answer(&id(), &state, Rating::Again, at);
        flags.push((lapse.state.lapses, lapse.state.leech, lapse.became_leech));
        let back = s.answer(
            &id(),
            &lapse.state,
            Rating::Good,
            at + TimeDelta::minutes(10),
        );
        state = back.state;
        at = state.due;
    }
    assert_eq!(
        flags,
        [(1, false, false), (2, true, true), (3, true, false)]
    );
}

#[test]
fn clock_going_backwards_counts_as_the_same_day() {
    let s = scheduler();
    let card = review_card(&s);
    let earlier = utc("2026-02-20T09:00:00Z");
    let backwards = s.answer(&id(), &card, Rating::Good, earlier);
    let same_day = s.answer(&id(), &card, Rating::Good, utc("2026-03-01T09:30:00Z"));
    assert_eq!(backwards.state.stability, same_day.state.stability);
    assert_eq!(backwards.state.difficulty, same_day.state.difficulty);
}

#[test]
fn nonsense_states_do_not_panic() {
    let s = scheduler();
    let at = utc("2026-03-01T09:00:00Z");
    let broken = [
        CardState {
            phase: CardPhase::Review,
            stability: f64::NAN,
            difficulty: f64::INFINITY,
            ..CardState::new_card(at)
        },
        CardState {
            phase: CardPhase::Relearning,
            step: u32::MAX,
            stability: -3.0,
            reps: u32::MAX,
            lapses: u32::MAX,
            last_review: Some(DateTime::<Utc>::MAX_UTC),
            ..CardState::new_card(at)
        },
    ];
    for state in &broken {
        for answered in s.preview(&id(), state, at) {
            assert!(answered.state.stability.is_finite());
        }
        s.retrievability(state, at);
    }
    let far = s.preview(&id(), &review_card(&s), DateTime::<Utc>::MAX_UTC);
    assert_eq!(far[3].state.due, DateTime::<Utc>::MAX_UTC);
}

#[test]
fn retrievability_follows_the_fsrs_forgetting_curve() {
    let s = scheduler();
    let new = CardState::new_card(utc("2026-03-01T09:00:00Z"));
    assert_eq!(s.retrievability(&new, utc("2026-03-09T09:00:00Z")), 1.0);

    let card = review_card(&s);
    assert_eq!(s.retrievability(&card, utc("2026-03-01T23:00:00Z")), 1.0);
    let expected = fsrs::current_retrievability(memory(&card), 10.0, fsrs::FSRS6_DEFAULT_DECAY);
    let r = s.retrievability(&card, utc("2026-03-11T09:00:00Z"));
    assert_eq!(r, f64::from(expected));
    assert!(r < 1.0);
}

#[test]
fn invalid_settings_are_errors() {
    let error = |change: fn(&mut SchedulerConfig)| {
        let mut config = SchedulerConfig::default();
        change(&mut config);
        Scheduler::new(config, crate::schedule::Zone::utc())
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        error(|c| c.parameters.truncate(19)),
        "expected 21 FSRS parameters, got 19"
    );
    assert_eq!(
        error(|c| c.parameters.clear()),
        "expected 21 FSRS parameters, got 0"
    );
    assert_eq!(
        error(|c| c.parameters[3] = f32::NAN),
        "FSRS parameter w3 is NaN, outside its range 0.001 to 100; only parameters `lupus-quiz optimize` fits (or the defaults) can be used"
    );
    for (index, bad) in [(0, -1.0), (4, 0.0), (20, 1e30), (0, 1e-30), (17, 2.5)] {
        let mut config = SchedulerConfig::default();
        config.parameters[index] = bad;
        let refused = Scheduler::new(config, crate::schedule::Zone::utc()).unwrap_err();
        assert!(
            refused
                .to_string()
                .starts_with(&format!("FSRS parameter w{index} is ")),
            "w{index} = {bad}"
        );
    }
    // The defaults lie inside every range.
    assert!(Scheduler::new(SchedulerConfig::default(), crate::schedule::Zone::utc()).is_ok());
    assert_eq!(
        error(|c| c.desired_retention = 1.0),
        "desired retention must be between 0 and 1, for example 0.9; got 1"
    );
    assert!(error(|c| c.desired_retention = f32::NAN).starts_with("desired retention"));
    assert_eq!(
        error(|c| c.rollover_hour = 24),
        "the rollover hour must be between 0 and 23; got 24"
    );
    assert_eq!(
        error(|c| c.max_interval_days = 0),
        "the maximum interval must be at least 1 day"
    );
    assert_eq!(
        error(|c| c.leech_threshold = 0),
        "the leech threshold must be at least 1"
    );
    assert_eq!(
        error(|c| c.relearning_steps = vec![TimeDelta::zero()]),
        "invalid step `0s`: a step must be longer than zero"
    );
}

#[test]
fn names_round_trip() {
    for rating in Rating::ALL {
        assert_eq!(Rating::try_from(rating.as_u8()), Ok(rating));
        assert_eq!(
            serde_json::to_string(&rating).unwrap(),
            rating.as_u8().to_string()
        );
    }
    assert_eq!(Rating::Good.label(), "Good");
    assert!(Rating::try_from(5).is_err());
    assert!(serde_json::from_str::<Rating>("0").is_err());

    for phase in [
        CardPhase::New,
        CardPhase::Learning,
        CardPhase::Review,
        CardPhase::Relearning,
    ] {
        assert_eq!(phase.as_str().parse::<CardPhase>(), Ok(phase));
    }
    for kind in [
        ReviewKind::Learning,
        ReviewKind::Review,
        ReviewKind::Relearning,
    ] {
        assert_eq!(kind.as_str().parse::<ReviewKind>(), Ok(kind));
    }
    assert_eq!(
        "suspended".parse::<CardPhase>().unwrap_err().to_string(),
        "unknown card state `suspended`: expected one of new, learning, review, relearning"
    );
    assert_eq!(ReviewKind::of_phase(CardPhase::New), ReviewKind::Learning);
}

#[test]
fn replay_of_an_empty_log_is_a_new_card() {
    let state = scheduler().replay(&id(), &[]);
    assert_eq!(state, CardState::new_card(DateTime::<Utc>::UNIX_EPOCH));
}

#[test]
fn replay_sorts_the_log() {
    let s = scheduler();
    let log = [
        (utc("2026-03-01T09:00:00Z"), Rating::Good),
        (utc("2026-03-01T09:10:00Z"), Rating::Good),
        (utc("2026-03-05T09:00:00Z"), Rating::Hard),
    ];
    let shuffled = [log[2], log[0], log[1]];
    assert_eq!(s.replay(&id(), &log), s.replay(&id(), &shuffled));
}

fn rating() -> impl Strategy<Value = Rating> {
    prop_oneof![
        Just(Rating::Again),
        Just(Rating::Hard),
        Just(Rating::Good),
        Just(Rating::Easy)
    ]
}

/// Review logs: ratings at increasing times, gaps from a second to about four months.
fn history() -> impl Strategy<Value = Vec<(DateTime<Utc>, Rating)>> {
    let start = utc("2026-01-01T00:00:00Z").timestamp();
    (
        start..start + 365 * 86_400,
        prop::collection::vec((1i64..10_000_000, rating()), 0..40),
    )
        .prop_map(|(start, steps)| {
            let mut at = start;
            steps
                .into_iter()
                .map(|(gap, rating)| {
                    at += gap;
                    (DateTime::from_timestamp(at, 0).unwrap(), rating)
                })
                .collect()
        })
}

fn config() -> impl Strategy<Value = SchedulerConfig> {
    (
        0.70f32..0.99,
        prop::collection::vec(1i64..100_000, 0..3),
        prop::collection::vec(1i64..100_000, 0..3),
        1u32..40_000,
        0u32..24,
        1u32..10,
    )
        .prop_map(
            |(retention, learning, relearning, max, rollover, leech)| SchedulerConfig {
                desired_retention: retention,
                learning_steps: learning.into_iter().map(TimeDelta::seconds).collect(),
                relearning_steps: relearning.into_iter().map(TimeDelta::seconds).collect(),
                max_interval_days: max,
                rollover_hour: rollover,
                leech_threshold: leech,
                ..SchedulerConfig::default()
            },
        )
}

proptest! {
    #[test]
    fn replay_equals_answering_step_by_step(
        config in config(),
        id in "[a-z0-9-]{1,24}",
        log in history(),
    ) {
        let s = Scheduler::new(config, crate::schedule::Zone::utc()).unwrap();
        let mut state = CardState::new_card(log.first().map_or(DateTime::UNIX_EPOCH, |r| r.0));
        let mut leech_announcements = 0;
        for &(at, rating) in &log {
            let answered = s.answer(&CardId::from(id.as_str()), &state, rating, at);
            prop_assert_eq!(answered.state.reps, state.reps + 1);
            prop_assert_eq!(answered.state.last_review, Some(at));
            prop_assert!(answered.state.due >= at);
            leech_announcements += u32::from(answered.became_leech);
            state = answered.state;
        }
        prop_assert!(leech_announcements <= 1);
        prop_assert_eq!(state.leech, state.lapses >= s.config().leech_threshold);
        prop_assert_eq!(s.replay(&CardId::from(id.as_str()), &log), state);
    }

    #[test]
    fn review_intervals_keep_their_order(
        config in config(),
        id in "[a-z0-9-]{1,24}",
        log in history(),
        wait in 0i64..400 * 86_400,
    ) {
        let s = Scheduler::new(config, crate::schedule::Zone::utc()).unwrap();
        let state = s.replay(&CardId::from(id.as_str()), &log);
        prop_assume!(state.phase == CardPhase::Review);
        let at = state.last_review.unwrap() + TimeDelta::seconds(wait);
        let [_, hard, good, easy] = s.preview(&CardId::from(id.as_str()), &state, at);
        let (hard, good, easy) = (interval_days(&hard), interval_days(&good), interval_days(&easy));
        let max = i64::from(s.config().max_interval_days);
        prop_assert!(1 <= hard && hard <= good && good <= easy && easy <= max);
        // Good beats Hard and Easy beats Good, unless the maximum interval forbids it.
        prop_assert!(good > hard || good == max);
        prop_assert!(easy > good || easy == max);
    }
}

#[test]
fn an_unsuspended_leech_is_flagged_again_after_half_the_threshold() {
    let s = scheduler_with(|c| c.leech_threshold = 4);
    let mut state = review_card(&s);
    let mut at = utc("2026-03-10T09:00:00Z");
    let mut flags = Vec::new();
    for _ in 0..8 {
        let lapse = s.answer(&id(), &state, Rating::Again, at);
        flags.push((lapse.state.lapses, lapse.became_leech));
        let mut back = s.answer(
            &id(),
            &lapse.state,
            Rating::Good,
            at + TimeDelta::minutes(10),
        );
        if back.state.leech {
            back.state = CardAction::Unsuspend.apply(&back.state, at + TimeDelta::minutes(11));
        }
        state = back.state;
        at = state.due;
    }
    let flagged: Vec<u32> = flags.iter().filter(|f| f.1).map(|f| f.0).collect();
    assert_eq!(flagged, [4, 6, 8]);
    assert!(is_leech_lapse(4, 4) && !is_leech_lapse(5, 4) && is_leech_lapse(8, 5));
}

#[test]
fn forget_starts_a_card_over_and_keeps_a_suspension_by_hand() {
    let s = scheduler();
    let card = review_card(&s);
    let at = utc("2026-04-01T09:00:00Z");
    let suspended = CardAction::Suspend.apply(&card, at);
    assert!(suspended.out_of_rotation() && !suspended.leech);
    let forgotten = CardAction::Forget.apply(&suspended, at);
    assert_eq!(
        forgotten,
        CardState {
            suspended: true,
            ..CardState::new_card(at)
        }
    );
    assert!(!CardAction::Forget.changes(&CardState::new_card(at)));
    assert!(!CardAction::Unsuspend.changes(&card));
}

#[test]
fn replay_goes_through_actions_in_time_order() {
    let s = scheduler();
    let t0 = utc("2026-03-01T09:00:00Z");
    let log = [
        LogEntry::Review {
            at: t0,
            rating: Rating::Easy,
        },
        LogEntry::Action {
            at: t0 + TimeDelta::days(1),
            action: CardAction::Forget,
        },
        LogEntry::Review {
            at: t0 + TimeDelta::days(2),
            rating: Rating::Good,
        },
    ];
    let (state, kinds) = s.replay_log(&id(), log);
    assert_eq!(state.reps, 1);
    assert_eq!(state.phase, CardPhase::Learning);
    assert_eq!(kinds, [ReviewKind::Learning, ReviewKind::Learning]);
}
