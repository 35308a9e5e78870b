//! What the scripts print: a line per job as it completes (`384.0 KB` for RC4, the hex
//! digest for SHA-256), the status line after each pool, and how a run was stopped.

use super::choices::Workload;
use crate::pyfmt::plural;

/// The job's line: `'{:.1f} KB'.format(size/2**10)` for RC4, the digest for SHA-256.
pub fn job_line(workload: Workload, size: usize, result: &str) -> String {
    match workload {
        Workload::Rc4 => format!("{:.1} KB", size as f64 / 1024.0),
        Workload::Sha256 => result.to_string(),
    }
}

/// `STATUS`: `4 workers, elapsed time: 5.58s`.
pub fn status_line(workers: usize, elapsed_s: f64) -> String {
    format!("{workers} workers, elapsed time: {elapsed_s:.2}s")
}

/// Before each pool of a table run: which size and which repeat.
pub fn pool_header(workers: usize, repeat: u32, repeats: u32) -> String {
    format!(
        "# {}, run {repeat} of {repeats}",
        plural(workers, "worker", "workers")
    )
}

/// The assertion `arcfour_test` makes, failed.
pub fn round_trip_failed(index: usize) -> String {
    format!("AssertionError: job {}'s bytes did not survive RC4 there and back", index + 1)
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_as_the_scripts_print_them() {
        assert_eq!(job_line(Workload::Rc4, 393_216, "ok"), "384.0 KB");
        assert_eq!(job_line(Workload::Rc4, 152_918, "ok"), "149.3 KB");
        assert_eq!(job_line(Workload::Sha256, 1 << 20, "ab12"), "ab12");
        assert_eq!(status_line(4, 5.578), "4 workers, elapsed time: 5.58s");
        assert_eq!(pool_header(1, 2, 3), "# 1 worker, run 2 of 3");
    }
}
