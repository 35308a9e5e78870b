//! What the primes scripts print: the header, one line per result, the footers, and the
//! sweep's per-run lines; plus the lanes' names and the Stop note.

use super::choices::Mode;
use super::form::PrimesParams;
use super::sweep::SweepPlan;
use crate::pyfmt::plural;
use crate::text::seconds_2;

/// One result as the scripts print it: `f'{n:16}  {label} {elapsed:9.6f}s'`.
pub fn result_line(n: u64, prime: bool, elapsed_s: f64) -> String {
    let label = if prime { 'P' } else { ' ' };
    format!("{n:16}  {label} {elapsed_s:9.6}s")
}

/// The run's first line, as its mode's script prints it.
pub fn header(params: &PrimesParams) -> String {
    let count = params.numbers.len();
    match (params.mode, params.sweep) {
        (Mode::Sweep, Some(plan)) => sweep_header(plan, count),
        (mode, _) if mode.is_sequential() => sequential_header(count),
        (mode, _) => pool_header(count, params.workers, mode),
    }
}

/// `Checking 20 numbers sequentially:`
pub fn sequential_header(count: usize) -> String {
    format!(
        "Checking {} sequentially:",
        plural(count, "number", "numbers")
    )
}

/// `Checking 20 numbers with 4 workers:` (procs.py says processes), or `… 4 threads:`.
pub fn pool_header(count: usize, workers: usize, mode: Mode) -> String {
    let (one, many) = match mode {
        Mode::Threads => ("thread", "threads"),
        _ => ("worker", "workers"),
    };
    format!(
        "Checking {} with {}:",
        plural(count, "number", "numbers"),
        plural(workers, one, many)
    )
}

/// `Sweep: N = 1 to 8, 3 runs each, 20 numbers per run:`
pub fn sweep_header(plan: SweepPlan, count: usize) -> String {
    format!(
        "Sweep: N = 1 to {}, {} each, {} per run:",
        plan.max_n,
        plural(plan.runs as usize, "run", "runs"),
        plural(count, "number", "numbers")
    )
}

/// procs.py's footer: `20 checks in 9.58s`.
pub fn checks_line(checked: usize, elapsed_s: f64) -> String {
    format!(
        "{} in {}",
        plural(checked, "check", "checks"),
        seconds_2(elapsed_s)
    )
}

/// sequential.py's and proc_pool.py's footer: `Total time: 40.31s`.
pub fn total_time_line(elapsed_s: f64) -> String {
    format!("Total time: {}", seconds_2(elapsed_s))
}

/// One sweep run: `N =  3, run 2 of 3: 20 checks in 1.23s`.
pub fn sweep_run_line(n: usize, run: u32, runs: u32, checked: usize, elapsed_s: f64) -> String {
    format!(
        "N = {n:2}, run {run} of {runs}: {}",
        checks_line(checked, elapsed_s)
    )
}

/// A lane's name: `Main thread` for sequential-main, else `Worker 1`, `Worker 2`, …
pub fn lane_label(mode: Mode, lane: usize) -> String {
    match mode {
        Mode::SequentialMain => "Main thread".to_string(),
        Mode::Threads => format!("Thread {}", lane + 1),
        _ => format!("Worker {}", lane + 1),
    }
}

/// The Stop button's note for sequential-main.
pub const MAIN_THREAD_STOP_NOTE: &str = "Stop cannot interrupt sequential-main: the checks hold the only \
    thread that could handle the click. The page stays frozen until the last number is checked.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_lines_match_pythons_format() {
        // Expected strings printed by CPython: f'{n:16}  {label} {elapsed:9.6f}s'.
        let cases: [(u64, bool, f64, &str); 11] = [
            (2, true, 0.000001, "               2  P  0.000001s"),
            (
                142_702_110_479_723,
                true,
                0.123456789,
                " 142702110479723  P  0.123457s",
            ),
            (
                4_444_444_444_444_444,
                false,
                0.0000004,
                "4444444444444444     0.000000s",
            ),
            (
                18_446_744_073_709_551_557,
                true,
                12.3456785,
                "18446744073709551557  P 12.345678s",
            ),
            (
                9_999_999_999_999_999_999,
                false,
                0.5,
                "9999999999999999999     0.500000s",
            ),
            (
                1_234_567_890_123_456_789,
                false,
                0.0,
                "1234567890123456789     0.000000s",
            ),
            (7, true, 123.4567891, "               7  P 123.456789s"),
            (0, false, 1234.5, "               0    1234.500000s"),
            (
                3_333_335_652_092_209,
                false,
                0.0000005,
                "3333335652092209     0.000000s",
            ),
            (5, true, 0.0000015, "               5  P  0.000002s"),
            (5, true, 2.5e-7, "               5  P  0.000000s"),
        ];
        for (n, prime, elapsed, expected) in cases {
            assert_eq!(result_line(n, prime, elapsed), expected, "{n} {elapsed}");
        }
    }

    #[test]
    fn headers_and_footers() {
        assert_eq!(sequential_header(20), "Checking 20 numbers sequentially:");
        assert_eq!(sequential_header(1), "Checking 1 number sequentially:");
        assert_eq!(pool_header(20, 4, Mode::Procs), "Checking 20 numbers with 4 workers:");
        assert_eq!(pool_header(20, 1, Mode::PoolMap), "Checking 20 numbers with 1 worker:");
        assert_eq!(pool_header(20, 2, Mode::Threads), "Checking 20 numbers with 2 threads:");
        assert_eq!(checks_line(20, 9.578), "20 checks in 9.58s");
        assert_eq!(checks_line(1, 0.5), "1 check in 0.50s");
        assert_eq!(total_time_line(40.314), "Total time: 40.31s");
        assert_eq!(
            sweep_header(SweepPlan { max_n: 8, runs: 3 }, 20),
            "Sweep: N = 1 to 8, 3 runs each, 20 numbers per run:"
        );
        assert_eq!(
            sweep_run_line(3, 2, 3, 20, 1.234),
            "N =  3, run 2 of 3: 20 checks in 1.23s"
        );
        assert_eq!(lane_label(Mode::SequentialMain, 0), "Main thread");
        assert_eq!(lane_label(Mode::Procs, 2), "Worker 3");
    }
}
