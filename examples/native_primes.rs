//! The native reference for `make bench`: the same `is_prime` over the book's NUMBERS and
//! the primes lab's Heavy list, compiled for this machine with the worker's profile. Prints
//! JSON for bench/bench.mjs.
//!
//! - `native_primes [RUNS]`: NUMBERS checked RUNS times in a row, seconds per run.
//! - `native_primes pool N`: the Heavy list once on N threads taking numbers from one
//!   queue, as the lab's procs mode does with N workers: the wall time and the sum of the
//!   per-number times.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use concurrency_playground::labs::primes::numbers::HEAVY_NUMBERS;
use concurrency_playground::prime::{BOOK_NUMBERS, is_prime};

/// Checks `n`, asserting the verdict; seconds it took.
fn check(n: u64, prime: bool) -> f64 {
    let started = Instant::now();
    assert_eq!(std::hint::black_box(is_prime(n)), prime, "{n}");
    started.elapsed().as_secs_f64()
}

/// `list` on `threads` threads sharing one queue: (wall, sum of per-number times), seconds.
fn pool(list: &[(u64, bool)], threads: usize) -> (f64, f64) {
    let next = AtomicUsize::new(0);
    let sum = Mutex::new(0.0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some(&(n, prime)) = list.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let took = check(n, prime);
                    *sum.lock().unwrap() += took;
                }
            });
        }
    });
    (started.elapsed().as_secs_f64(), sum.into_inner().unwrap())
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, threads] = args.as_slice()
        && mode == "pool"
    {
        let threads = threads.parse().expect("pool N: a thread count");
        let (wall, sum) = pool(&HEAVY_NUMBERS, threads);
        println!("{{\"wall_s\": {wall}, \"sum_s\": {sum}}}");
        return;
    }
    let runs: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(3);
    let totals: Vec<f64> = (0..runs)
        .map(|_| BOOK_NUMBERS.iter().map(|&(n, prime)| check(n, prime)).sum())
        .collect();
    println!("{{\"runs_s\": {totals:?}}}");
}
