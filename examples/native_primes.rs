//! The native reference for `make bench`: the same `is_prime` over the book's NUMBERS,
//! compiled for this machine with the worker's profile. Prints JSON for bench/bench.mjs.

use std::time::Instant;

use concurrency_playground::prime::{BOOK_NUMBERS, is_prime};

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(3);
    let totals: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let primes = BOOK_NUMBERS
                .iter()
                .filter(|&&(n, _)| std::hint::black_box(is_prime(n)))
                .count();
            assert_eq!(primes, 9, "the fixture has 9 primes");
            started.elapsed().as_secs_f64()
        })
        .collect();
    println!("{{\"runs_s\": {totals:?}}}");
}
