//! A mutex made of one 32-bit word in memory several threads share, like `threading.Lock`:
//! taken with an atomic compare-and-swap, slept on with `Atomics.wait` while another thread
//! holds it, handed on with `Atomics.notify`. It is Drepper's three-state futex mutex
//! ("Futexes Are Tricky"): 0 free, 1 held, 2 held with sleepers — so a release wakes a
//! sleeper only when there is one (a `notify` is a system call, far dearer than the CAS).
//!
//! Written over [`Words`] so the same code runs on a `SharedArrayBuffer` in the page's
//! workers (`runtime::shared`) and on native atomics with real threads in the tests.

/// 32-bit words that several threads see at once, with the operations `Atomics` offers.
pub trait Words {
    /// A plain read: no ordering with other threads (`view[index]`).
    fn read(&self, index: u32) -> i32;
    /// A plain write (`view[index] = value`).
    fn write(&self, index: u32, value: i32);
    /// `Atomics.load`.
    fn load(&self, index: u32) -> i32;
    /// `Atomics.store`.
    fn store(&self, index: u32, value: i32);
    /// `Atomics.add`: the old value.
    fn add(&self, index: u32, value: i32) -> i32;
    /// `Atomics.exchange`: the old value.
    fn exchange(&self, index: u32, value: i32) -> i32;
    /// `Atomics.compareExchange`: the old value (the swap happened if it is `expected`).
    fn compare_exchange(&self, index: u32, expected: i32, replacement: i32) -> i32;
    /// `Atomics.wait`: sleeps while the word is `expected`, until notified (or spuriously).
    fn wait(&self, index: u32, expected: i32);
    /// `Atomics.notify`: wakes up to `count` threads sleeping on the word.
    fn notify(&self, index: u32, count: u32);
}

const FREE: i32 = 0;
const HELD: i32 = 1;
const CONTENDED: i32 = 2;

/// Takes the lock at `index`, sleeping while another thread holds it.
pub fn acquire(words: &impl Words, index: u32) {
    let mut seen = words.compare_exchange(index, FREE, HELD);
    if seen == FREE {
        return;
    }
    // Mark it contended (so its holder wakes someone), sleep, retry as contended: a thread
    // that slept cannot know whether others still sleep.
    if seen != CONTENDED {
        seen = words.exchange(index, CONTENDED);
    }
    while seen != FREE {
        words.wait(index, CONTENDED);
        seen = words.exchange(index, CONTENDED);
    }
}

/// Lets go of the lock at `index`, waking one sleeper if any.
pub fn release(words: &impl Words, index: u32) {
    if words.add(index, -1) != HELD {
        words.store(index, FREE);
        words.notify(index, 1);
    }
}

/// `with lock: body()`.
pub fn with_lock<T>(words: &impl Words, index: u32, body: impl FnOnce() -> T) -> T {
    acquire(words, index);
    let value = body();
    release(words, index);
    value
}

/// Native words on real atomics, for tests with real threads. A plain read or write is a
/// relaxed atomic one: no ordering, and a read followed by a write is not one step — the
/// same race as the typed array's in the page, without undefined behaviour in Rust.
#[cfg(test)]
pub mod native {
    use std::sync::atomic::{AtomicI32, Ordering};

    pub struct NativeWords(pub Vec<AtomicI32>);

    impl NativeWords {
        pub fn zeroed(len: usize) -> NativeWords {
            NativeWords((0..len).map(|_| AtomicI32::new(0)).collect())
        }
    }

    impl super::Words for NativeWords {
        fn read(&self, index: u32) -> i32 {
            self.0[index as usize].load(Ordering::Relaxed)
        }
        fn write(&self, index: u32, value: i32) {
            self.0[index as usize].store(value, Ordering::Relaxed);
        }
        fn load(&self, index: u32) -> i32 {
            self.0[index as usize].load(Ordering::SeqCst)
        }
        fn store(&self, index: u32, value: i32) {
            self.0[index as usize].store(value, Ordering::SeqCst);
        }
        fn add(&self, index: u32, value: i32) -> i32 {
            self.0[index as usize].fetch_add(value, Ordering::SeqCst)
        }
        fn exchange(&self, index: u32, value: i32) -> i32 {
            self.0[index as usize].swap(value, Ordering::SeqCst)
        }
        fn compare_exchange(&self, index: u32, expected: i32, replacement: i32) -> i32 {
            match self.0[index as usize].compare_exchange(
                expected,
                replacement,
                Ordering::SeqCst,
                Ordering::SeqCst,
            ) {
                Ok(old) | Err(old) => old,
            }
        }
        /// No futex here: yield until the word changes (a spurious wake-up is allowed).
        fn wait(&self, index: u32, expected: i32) {
            while self.load(index) == expected {
                std::thread::yield_now();
            }
        }
        fn notify(&self, _index: u32, _count: u32) {}
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::native::NativeWords;
    use super::*;

    #[test]
    fn the_lock_word_goes_free_held_contended_free() {
        let words = NativeWords::zeroed(1);
        acquire(&words, 0);
        assert_eq!(words.load(0), HELD);
        release(&words, 0);
        assert_eq!(words.load(0), FREE);
        // A holder that saw sleepers (2) frees the word and wakes one.
        words.store(0, CONTENDED);
        release(&words, 0);
        assert_eq!(words.load(0), FREE);
        assert_eq!(with_lock(&words, 0, || words.load(0)), HELD);
    }

    #[test]
    fn eight_threads_under_the_lock_lose_no_update() {
        // Word 0 the lock, word 1 the counter updated non-atomically inside it.
        let words = Arc::new(NativeWords::zeroed(2));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let words = words.clone();
                std::thread::spawn(move || {
                    for _ in 0..20_000 {
                        with_lock(&*words, 0, || {
                            let value = words.read(1);
                            words.write(1, value + 1);
                        });
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(words.load(1), 160_000);
        assert_eq!(words.load(0), FREE);
    }
}
