//! The native reference for the CPU lab in `make bench`: the same 12 jobs (data from the
//! seed, then RC4 there and back or SHA-256), compiled for this machine with the worker's
//! profile, timed job by job as the worker times them. Prints JSON for bench/bench.mjs.
//! Build it with `--cfg sha2_backend="soft"` for the portable SHA-256 the WASM build runs,
//! without for the CPU's SHA instructions.
//!
//! - `native_crunch [RUNS] [SCALE]`: each workload's 12 jobs RUNS times, seconds per run.
//! - `native_crunch pool WORKLOAD N SCALE`: one run of WORKLOAD (`rc4` or `sha256`) on N
//!   threads taking jobs from one queue, as the lab's pool does with N workers: wall seconds.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use concurrency_playground::labs::choice::Choice;
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

/// Every job's size for `workload` at Data × `scale`.
fn sizes(workload: Workload, scale: usize) -> Vec<usize> {
    match workload {
        Workload::Rc4 => rc4_sizes().iter().map(|s| s * scale).collect(),
        Workload::Sha256 => vec![SHA_SIZE * scale; JOBS],
    }
}

/// The jobs on `threads` threads sharing one queue: wall seconds.
fn pool(workload: Workload, sizes: &[usize], threads: usize) -> f64 {
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&size) = sizes.get(index) else { break };
                    std::hint::black_box(run_job(workload, 1, index, size));
                }
            });
        }
    });
    started.elapsed().as_secs_f64()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [mode, workload, threads, scale] = args.as_slice()
        && mode == "pool"
    {
        let workload = Workload::parse(workload).expect("WORKLOAD: rc4 or sha256");
        let (threads, scale) = (threads.parse().expect("N"), scale.parse().expect("SCALE"));
        let wall = pool(workload, &sizes(workload, scale), threads);
        println!("{{\"wall_s\": {wall}}}");
        return;
    }
    let arg = |i: usize, default: usize| -> usize {
        std::env::args()
            .nth(i)
            .and_then(|a| a.parse().ok())
            .unwrap_or(default)
    };
    // Runs, and the lab's Data × (every array that many times the book's size).
    let (runs, scale) = (arg(1, 3), arg(2, 1));
    let rc4: Vec<f64> = (0..runs)
        .map(|_| all_jobs(Workload::Rc4, &sizes(Workload::Rc4, scale)))
        .collect();
    let sha: Vec<f64> = (0..runs)
        .map(|_| all_jobs(Workload::Sha256, &sizes(Workload::Sha256, scale)))
        .collect();
    println!("{{\"rc4_runs_s\": {rc4:?}, \"sha256_runs_s\": {sha:?}}}");
}
