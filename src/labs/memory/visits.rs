//! `thread_visits`: the shared memory's layout, each worker's loop (the same code in the
//! page's workers and in the native tests' threads) and the count of lost updates.

use super::choices::Update;
use crate::runtime::lock::{self, Words};

/// i32 word 0: the visits counter.
pub const COUNTER: u32 = 0;
/// i32 word 1: the lock word (`threading.Lock()`).
pub const LOCK: u32 = 1;
/// i32 word 2: the start flag the workers wait on, so they all start at once.
pub const START: u32 = 2;
/// The bytes the three words take.
pub const BYTES: u32 = 12;

/// One worker's loop: `increments` times, add 1 to the counter the `update` way.
pub fn visit(words: &impl Words, update: Update, increments: u32) {
    match update {
        // `value = visits; visits = value + 1` and `visits += 1` are the same three steps:
        // load, add, store. Another thread may store in between; its update is then lost.
        Update::ReadThenWrite | Update::PlusEquals => {
            for _ in 0..increments {
                let value = words.read(COUNTER);
                words.write(COUNTER, value.wrapping_add(1));
            }
        }
        Update::Lock => {
            for _ in 0..increments {
                lock::with_lock(words, LOCK, || {
                    let value = words.read(COUNTER);
                    words.write(COUNTER, value.wrapping_add(1));
                });
            }
        }
        Update::Atomic => {
            for _ in 0..increments {
                words.add(COUNTER, 1);
            }
        }
    }
}

/// Parks the worker until the page sets the start flag.
pub fn wait_for_start(words: &impl Words) {
    while words.load(START) == 0 {
        words.wait(START, 0);
    }
}

/// What a run counted against what it should have.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tally {
    pub expected: u64,
    pub counted: u64,
}

impl Tally {
    /// `counter` is the i32 word as read: up to 256 × 10,000,000 it is the count's low 32 bits.
    pub fn new(workers: usize, increments: u32, counter: i32) -> Tally {
        Tally {
            expected: workers as u64 * increments as u64,
            counted: counter as u32 as u64,
        }
    }

    pub fn lost(&self) -> u64 {
        self.expected.saturating_sub(self.counted)
    }

    /// Lost updates as a share of the expected ones, in percent.
    pub fn lost_percent(&self) -> f64 {
        if self.expected == 0 {
            0.0
        } else {
            self.lost() as f64 * 100.0 / self.expected as f64
        }
    }
}

/// The book's three runs of `thread_visits.py`: 100 threads × 100,000.
pub const BOOK_RUNS: [u64; 3] = [6_859_624, 7_234_223, 7_194_665];

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::runtime::lock::native::NativeWords;

    /// `workers` real threads run `visit` together, released at once by the start flag.
    fn race(workers: usize, update: Update, increments: u32) -> Tally {
        let words = Arc::new(NativeWords::zeroed(3));
        let threads: Vec<_> = (0..workers)
            .map(|_| {
                let words = words.clone();
                std::thread::spawn(move || {
                    wait_for_start(&*words);
                    visit(&*words, update, increments);
                })
            })
            .collect();
        words.store(START, 1);
        words.notify(START, u32::MAX);
        for thread in threads {
            thread.join().unwrap();
        }
        Tally::new(workers, increments, words.load(COUNTER))
    }

    #[test]
    fn the_lock_and_the_atomic_add_count_every_visit_across_real_threads() {
        for update in [Update::Lock, Update::Atomic] {
            let tally = race(6, update, 50_000);
            assert_eq!((tally.expected, tally.counted, tally.lost()), (300_000, 300_000, 0));
        }
    }

    #[test]
    fn the_unlocked_update_never_counts_more_than_it_should() {
        // Whether it loses updates depends on the machine's cores; it can never gain any.
        for update in [Update::ReadThenWrite, Update::PlusEquals] {
            let tally = race(4, update, 100_000);
            assert!(tally.counted <= tally.expected, "{tally:?}");
        }
        // One thread alone cannot race with anyone.
        assert_eq!(race(1, Update::ReadThenWrite, 10_000).lost(), 0);
    }

    #[test]
    fn lost_updates_and_their_share() {
        let book = Tally::new(100, 100_000, BOOK_RUNS[1] as i32);
        assert_eq!(book.lost(), 2_765_777);
        assert!((book.lost_percent() - 27.65777).abs() < 1e-9);
        // 256 × 10,000,000 does not fit an i32: the word's 32 bits read unsigned.
        let big = Tally::new(256, 10_000_000, 2_560_000_000u32 as i32);
        assert_eq!(big.counted, 2_560_000_000);
        assert_eq!(Tally::new(0, 5, 0).lost_percent(), 0.0);
    }
}
