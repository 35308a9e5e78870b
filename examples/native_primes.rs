//! The native reference for `make bench`: the same `is_prime` over the book's NUMBERS (and
//! the primes lab's Heavy list), compiled for this machine with the worker's profile. Prints
//! JSON for bench/bench.mjs.

use std::time::Instant;

use concurrency_playground::labs::primes::numbers::HEAVY_NUMBERS;
use concurrency_playground::prime::{BOOK_NUMBERS, is_prime};

/// Seconds to check every number of `list` once, checking each verdict.
fn check_all(list: &[(u64, bool)]) -> f64 {
    let started = Instant::now();
    for &(n, prime) in list {
        assert_eq!(std::hint::black_box(is_prime(n)), prime, "{n}");
    }
    started.elapsed().as_secs_f64()
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let totals: Vec<f64> = (0..runs).map(|_| check_all(&BOOK_NUMBERS)).collect();
    let heavy: Vec<f64> = (0..runs).map(|_| check_all(&HEAVY_NUMBERS)).collect();
    println!("{{\"runs_s\": {totals:?}, \"heavy_runs_s\": {heavy:?}}}");
}
