//! Several devices sharing one folder, in-process: the library's own appends and merges,
//! with random histories and random moments of syncing.

use std::path::Path;

use chrono::{DateTime, TimeDelta, Utc};
use proptest::prelude::*;

use super::*;
use crate::clock::parse_instant;
use crate::ids::{CardId, DeckName, ReviewId};
use crate::schedule::{CardAction, Rating, ReviewKind, SchedulerConfig, Zone};
use crate::store::{ActionTarget, CardEvent, NewReview, QuizRecord, StoredCard};

thread_local! {
    /// One scheduler a test thread: building FSRS's model costs more than a whole history.
    static SCHEDULER: Scheduler = Scheduler::new(SchedulerConfig::default(), Zone::utc()).unwrap();
}

fn with_scheduler<T>(f: impl FnOnce(&Scheduler) -> T) -> T {
    SCHEDULER.with(f)
}

fn start() -> DateTime<Utc> {
    parse_instant("2026-03-01T09:00:00Z").unwrap()
}

/// What a device does at one step.
#[derive(Debug, Clone)]
enum Op {
    Answer {
        card: u8,
        rating: u8,
    },
    /// Undoes the device's latest answer still standing.
    Undo,
    Action {
        card: u8,
        action: CardAction,
    },
    Quiz {
        correct: u32,
    },
    /// Writes its new rows and merges every other file, as a command does.
    Sync,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..4, 1u8..=4).prop_map(|(card, rating)| Op::Answer { card, rating }),
        2 => Just(Op::Undo),
        2 => (0u8..4, proptest::sample::select(CardAction::ALL.to_vec()))
            .prop_map(|(card, action)| Op::Action { card, action }),
        1 => (0u32..=5).prop_map(|correct| Op::Quiz { correct }),
        3 => Just(Op::Sync),
    ]
}

/// Everything a device's progress is: its log (without row ids, which are its own), its
/// actions, its quiz results and its states.
type Snapshot = (
    Vec<(CardId, i64, u8, u64, Option<DeckName>, ReviewKind)>,
    Vec<CardEvent>,
    Vec<QuizRecord>,
    Vec<StoredCard>,
);

struct Device {
    store: Store,
    device: String,
    answered: Vec<ReviewId>,
}

impl Device {
    fn new(folder: &Path, device: &str) -> Device {
        let mut store = Store::open_in_memory().unwrap();
        store
            .set_sync_folder(folder.to_str().unwrap(), device)
            .unwrap();
        Device {
            store,
            device: device.to_string(),
            answered: Vec::new(),
        }
    }

    fn setup(&self) -> SyncSetup {
        self.store.sync_setup().unwrap().unwrap()
    }

    fn append(&mut self) {
        let setup = self.setup();
        append_own(&mut self.store, &setup).unwrap();
    }

    fn merge(&mut self) -> FolderMerge {
        let setup = self.setup();
        let now = start() + TimeDelta::days(1);
        let merge =
            with_scheduler(|scheduler| merge_folder(&mut self.store, &setup, scheduler, now));
        assert!(merge.warnings.is_empty(), "{:?}", merge.warnings);
        merge
    }

    fn apply(&mut self, op: &Op, at: DateTime<Utc>) {
        let card = |card: &u8| CardId::new(format!("card-{card}"));
        let deck = DeckName::from("deck");
        match op {
            Op::Answer { card: n, rating } => {
                let review = NewReview {
                    card_id: card(n),
                    deck: Some(deck),
                    at,
                    rating: Rating::try_from(*rating).unwrap(),
                    duration_ms: u64::from(*rating) * 1000,
                };
                let recorded =
                    with_scheduler(|scheduler| self.store.record_answer(&review, scheduler))
                        .unwrap();
                assert_eq!(recorded.at, at, "no two devices' entries share a time");
                self.answered.push(recorded.review_id);
            }
            Op::Undo => {
                if let Some(id) = self.answered.pop() {
                    with_scheduler(|scheduler| self.store.undo_review(id, scheduler)).unwrap();
                }
            }
            Op::Action { card: n, action } => {
                let card_id = card(n);
                let target = ActionTarget {
                    card_id: &card_id,
                    deck: &deck,
                };
                self.store.take_action(&[target], *action, at).unwrap();
            }
            Op::Quiz { correct } => {
                // Some ended early: 4 of 5 questions answered.
                let record = QuizRecord {
                    deck,
                    taken_at: at,
                    correct: *correct.min(&4),
                    questions: 4 + u32::from(*correct % 2 == 0),
                    planned: 5,
                };
                self.store.record_quiz(&record).unwrap()
            }
            Op::Sync => {
                self.merge();
            }
        }
        // Every command appends what it recorded when it ends.
        self.append();
    }

    fn snapshot(&self) -> Snapshot {
        let mut log = Vec::new();
        self.store
            .for_each_review(|r| {
                let at = r.at.timestamp_millis();
                log.push((
                    r.card_id,
                    at,
                    r.rating.as_u8(),
                    r.duration_ms,
                    r.deck,
                    r.kind,
                ));
                Ok(())
            })
            .unwrap()
            .unwrap();
        (
            log,
            self.store.events().unwrap(),
            self.store.quiz_results().unwrap(),
            self.store.cards().unwrap(),
        )
    }
}

/// Random histories of 2 or 3 devices, each step at its own millisecond, and the order in
/// which the devices merge at the end.
fn histories() -> impl Strategy<Value = (usize, Vec<(usize, Op)>, Vec<usize>)> {
    (2usize..=3).prop_flat_map(|devices| {
        (
            Just(devices),
            proptest::collection::vec((0..devices, op()), 1..30),
            Just((0..devices).collect::<Vec<_>>()).prop_shuffle(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// Whatever each device did and whenever it synced, once every device has merged
    /// every file all of them hold the same log, actions, quiz results and states; and
    /// merging the same files again (here as sync tools' conflicted copies) changes
    /// nothing.
    #[test]
    fn devices_that_merged_every_file_hold_the_same_progress(
        (count, steps, order) in histories()
    ) {
        let folder = tempfile::tempdir().unwrap();
        let mut devices: Vec<Device> = (0..count)
            .map(|n| Device::new(folder.path(), &format!("d{n}")))
            .collect();
        for (step, (device, op)) in steps.iter().enumerate() {
            // A minute a step, and the device's own millisecond.
            let at = start() + TimeDelta::minutes(step as i64) + TimeDelta::milliseconds(*device as i64);
            devices[*device].apply(op, at);
        }
        for device in &mut devices {
            device.append();
        }
        for &device in &order {
            devices[device].merge();
        }
        let first = devices[0].snapshot();
        for device in &devices[1..] {
            prop_assert_eq!(&device.snapshot(), &first, "device {}", device.device);
        }

        for (n, device) in devices.iter().enumerate() {
            let own = folder.path().join(own_file_name(&device.device));
            let copy = if n % 2 == 0 {
                format!("lupus-quiz-{}.sync-conflict-20260301-100000-ABCDEFG.jsonl", device.device)
            } else {
                format!("lupus-quiz-{} (Laptop's conflicted copy 2026-03-01).jsonl", device.device)
            };
            std::fs::copy(own, folder.path().join(copy)).unwrap();
        }
        for device in &mut devices {
            let merge = device.merge();
            prop_assert!(merge.merged.iter().all(|file| file.added == 0 && file.undone == 0), "{:?}", merge.merged);
            prop_assert_eq!(&device.snapshot(), &first);
        }
    }
}

/// A device's file cut in the middle of a record (a sync tool still copying it) is merged
/// up to its last complete record, and the rest once it arrives.
#[test]
fn a_file_cut_short_is_merged_up_to_its_last_complete_record() {
    let folder = tempfile::tempdir().unwrap();
    let mut phone = Device::new(folder.path(), "writer");
    let mut laptop = Device::new(folder.path(), "reader");
    for (step, rating) in [3u8, 1, 4].iter().enumerate() {
        let at = start() + TimeDelta::minutes(step as i64);
        phone.apply(
            &Op::Answer {
                card: step as u8,
                rating: *rating,
            },
            at,
        );
    }
    let path = folder.path().join(own_file_name("writer"));
    let whole = std::fs::read(&path).unwrap();
    std::fs::write(&path, &whole[..whole.len() - 20]).unwrap();
    let merge = laptop.merge();
    assert_eq!(merge.merged[0].added, 2);
    std::fs::write(&path, &whole).unwrap();
    let merge = laptop.merge();
    assert_eq!(merge.merged[0].added, 1);
    assert_eq!(laptop.snapshot(), phone.snapshot());
}
