//! The native reference for the CPU lab in `make bench`: the same 12 jobs (data from the
//! seed, then RC4 there and back or SHA-256), compiled for this machine with the worker's
//! profile, timed job by job as the worker times them. Prints JSON for bench/bench.mjs.
//! Build it with `--cfg sha2_backend="soft"` for the portable SHA-256 the WASM build runs,
//! without for the CPU's SHA instructions.

use std::time::Instant;

use concurrency_playground::labs::cpu::choices::Workload;
use concurrency_playground::labs::cpu::workload::{JOBS, SHA_SIZE, rc4_sizes, run_job};

/// Seconds for the 12 jobs of `workload`, summed job by job.
fn all_jobs(workload: Workload, sizes: &[usize]) -> f64 {
    sizes
        .iter()
        .enumerate()
        .map(|(index, &size)| {
            let started = Instant::now();
            std::hint::black_box(run_job(workload, 1, index, size));
            started.elapsed().as_secs_f64()
        })
        .sum()
}

fn main() {
    let arg = |i: usize, default: usize| -> usize {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(default)
    };
    // Runs, and the lab's Data × (every array that many times the book's size).
    let (runs, scale) = (arg(1, 3), arg(2, 1));
    let rc4_sizes: Vec<usize> = rc4_sizes().iter().map(|s| s * scale).collect();
    let rc4: Vec<f64> = (0..runs)
        .map(|_| all_jobs(Workload::Rc4, &rc4_sizes))
        .collect();
    let sha: Vec<f64> = (0..runs)
        .map(|_| all_jobs(Workload::Sha256, &[SHA_SIZE * scale; JOBS]))
        .collect();
    println!("{{\"rc4_runs_s\": {rc4:?}, \"sha256_runs_s\": {sha:?}}}");
}
