//! Interval fuzz: small random changes to review intervals.
//!
//! Without fuzz, cards introduced together and answered alike stay due together forever,
//! and a busy day repeats itself. Anki spreads them by moving each interval of 2.5 days or
//! more within a range that grows with the interval; this module uses Anki's ranges.
//!
//! The randomness must be reproducible, because the store rebuilds card states from the
//! review log. So the fuzz factor comes from the card id and its review count, never from
//! the system: the same card answered at the same point of its history always gets the same
//! factor. The hash (FNV-1a) and the generator (xoshiro256++, a named algorithm rather than
//! `StdRng`, whose algorithm may change between rand releases) are both fixed, so an upgrade
//! cannot change the due dates of an old log.

use rand::rngs::Xoshiro256PlusPlus;
use rand::{Rng, SeedableRng};

/// Anki's fuzz ranges: (from, to, share of the days in that span). The delta starts at one
/// day, so even short intervals move by ±1 day.
const FUZZ_RANGES: [(f64, f64, f64); 3] = [
    (2.5, 7.0, 0.15),
    (7.0, 20.0, 0.10),
    (20.0, f64::INFINITY, 0.05),
];

/// Intervals shorter than this are not fuzzed: a day either way would double or halve them.
const MIN_FUZZED_INTERVAL: f64 = 2.5;

/// A number in [0, 1) fixed by the card and how many times it has been answered. One factor
/// serves all four buttons of an answer, as in Anki, so the previewed intervals keep their
/// order before the order constraint is even applied.
pub(crate) fn fuzz_factor(card_id: &str, reps: u32) -> f64 {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(fuzz_seed(card_id, reps));
    // The top 53 bits give every f64 in [0, 1) with an equal step.
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn fuzz_seed(card_id: &str, reps: u32) -> u64 {
    const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
    card_id
        .as_bytes()
        .iter()
        // The 0xff separator cannot occur in UTF-8, so ("a1", 0) and ("a", 1) differ.
        .chain(&[0xff])
        .chain(&reps.to_le_bytes())
        .fold(FNV_OFFSET, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
        })
}

/// The whole-day interval for a raw FSRS interval: at least one day, at most `max_days`,
/// and moved within [`fuzz_range`] by `factor` (in [0, 1)).
pub(crate) fn fuzzed_days(interval_days: f64, factor: f64, max_days: u32) -> u32 {
    let (lower, upper) = fuzz_range(interval_days, max_days);
    let span = f64::from(upper - lower + 1);
    let offset = (factor.clamp(0.0, 1.0) * span).floor() as u32;
    lower.saturating_add(offset).min(upper)
}

/// The days a raw interval may be fuzzed into, both ends included; a single day when the
/// interval is too short to fuzz.
pub(crate) fn fuzz_range(interval_days: f64, max_days: u32) -> (u32, u32) {
    let max_days = max_days.max(1);
    let interval = if interval_days.is_nan() {
        1.0
    } else {
        interval_days.clamp(1.0, f64::from(max_days))
    };
    let to_days = |x: f64| (x.round() as u32).clamp(1, max_days);
    if interval < MIN_FUZZED_INTERVAL {
        let days = to_days(interval);
        return (days, days);
    }
    let delta = fuzz_delta(interval);
    let lower = to_days(interval - delta);
    let mut upper = to_days(interval + delta);
    // Rounding can collapse a range at the low end; keep at least two choices, as Anki does.
    if upper == lower && upper > 2 && upper < max_days {
        upper = lower + 1;
    }
    (lower, upper)
}

fn fuzz_delta(interval: f64) -> f64 {
    FUZZ_RANGES.iter().fold(1.0, |delta, &(from, to, share)| {
        delta + share * (interval.min(to) - from).max(0.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn short_intervals_are_not_fuzzed() {
        assert_eq!(fuzz_range(0.2, 36_500), (1, 1));
        assert_eq!(fuzz_range(1.4, 36_500), (1, 1));
        assert_eq!(fuzz_range(2.49, 36_500), (2, 2));
        assert_eq!(fuzzed_days(2.3, 0.99, 36_500), 2);
        assert_eq!(fuzzed_days(f64::NAN, 0.5, 36_500), 1);
        assert!((93..=100).contains(&fuzzed_days(f64::INFINITY, 0.5, 100)));
    }

    #[test]
    fn ranges_match_anki() {
        // 2.5–7 days: ±(1 + 15 % of the days past 2.5).
        assert_eq!(fuzz_range(3.0, 36_500), (2, 4));
        assert_eq!(fuzz_range(7.0, 36_500), (5, 9));
        // 7–20 days adds 10 % of the days past 7: 20 days → ±2.975.
        assert_eq!(fuzz_range(20.0, 36_500), (17, 23));
        // Past 20 days, 5 %: 100 days → ±6.975.
        assert_eq!(fuzz_range(100.0, 36_500), (93, 107));
        // The maximum interval caps the range.
        assert_eq!(fuzz_range(100.0, 100), (93, 100));
        // Like Anki, an interval past the maximum is capped before the range is taken.
        assert_eq!(fuzz_range(500.0, 100), (93, 100));
    }

    #[test]
    fn factor_is_deterministic_and_depends_on_card_and_count() {
        assert_eq!(
            fuzz_factor("sle-criteria", 3),
            fuzz_factor("sle-criteria", 3)
        );
        assert_ne!(
            fuzz_factor("sle-criteria", 3),
            fuzz_factor("sle-criteria", 4)
        );
        assert_ne!(
            fuzz_factor("sle-criteria", 3),
            fuzz_factor("hsct-phase-order", 3)
        );
        assert_ne!(fuzz_seed("a1", 0), fuzz_seed("a", 1));
    }

    #[test]
    fn factor_is_pinned() {
        // Replay of stored logs depends on these never changing. The expected values were
        // computed independently (FNV-1a, SplitMix64 seeding, one xoshiro256++ output).
        assert_eq!(fuzz_seed("", 0), 15_880_515_698_956_575_054);
        assert_eq!(fuzz_factor("hsct-phase-order", 1), 0.856_900_437_926_997_5);
        assert_eq!(fuzz_factor("sle-criteria", 0), 0.460_445_923_789_459_7);
        assert_eq!(
            fuzzed_days(100.0, fuzz_factor("hsct-phase-order", 1), 36_500),
            105
        );
        assert_eq!(
            fuzzed_days(100.0, fuzz_factor("sle-criteria", 7), 36_500),
            93
        );
    }

    #[test]
    fn factors_spread_over_the_whole_range() {
        let days: std::collections::BTreeSet<u32> = (0..200)
            .map(|reps| fuzzed_days(100.0, fuzz_factor("card", reps), 36_500))
            .collect();
        assert_eq!(days.first(), Some(&93));
        assert_eq!(days.last(), Some(&107));
    }

    proptest! {
        #[test]
        fn fuzzed_interval_stays_in_range(
            interval in 0.0f64..50_000.0,
            id in "[a-z-]{1,20}",
            reps in 0u32..1000,
            max in 1u32..=36_500,
        ) {
            let (lower, upper) = fuzz_range(interval, max);
            let days = fuzzed_days(interval, fuzz_factor(&id, reps), max);
            prop_assert!(lower <= days && days <= upper);
            prop_assert!((1..=max).contains(&days));
            if interval >= 2.5 && f64::from(max) >= interval {
                let allowed = fuzz_delta(interval) + 0.5;
                prop_assert!((f64::from(days) - interval).abs() <= allowed);
            }
        }
    }
}
