//! "What happened" after a primes run: the lesson in one sentence, from the time each check
//! took in its worker, the wall time, the frame gaps, and the last comparable run.

use super::choices::Mode;
use super::dispatcher::CheckResult;
use super::history::{HistoryRow, Outcome};
use super::session::Session;
use crate::meter::{FrameStats, NOTICEABLE_GAP_MS};
use crate::pyfmt::plural;
use crate::text::{millis, seconds_prose};

/// The last run's sentence; `None` before the first run and while one runs.
pub fn what_happened(session: &Session) -> Option<String> {
    if session.is_running() {
        return None;
    }
    let (row, earlier) = session.history.split_last()?;
    Some(sentence(row, &session.results, &session.stats, earlier))
}

/// The sentence for `row`, given its answers, its frame meter and the runs before it.
pub fn sentence(
    row: &HistoryRow,
    results: &[CheckResult],
    stats: &FrameStats,
    earlier: &[HistoryRow],
) -> String {
    let params = &row.params;
    let elapsed = seconds_prose(row.elapsed_s);
    let busy_s: f64 = results.iter().map(|r| r.elapsed_s).sum();
    let busy = seconds_prose(busy_s);
    let numbers = plural(row.checked, "number", "numbers");
    let workers = plural(params.workers, "worker", "workers");
    let gap = millis(stats.longest_gap_ms);
    let gap_name = stats.gap_name();
    match (&row.outcome, params.mode) {
        (Outcome::Failed { worker, reason }, _) => {
            format!("Worker {} failed after {elapsed}: {reason}.", worker + 1)
        }
        (Outcome::Cancelled, Mode::Sweep) => format!(
            "Stopped after {elapsed}: {} of {} sweep runs done.",
            row.checked,
            params.sweep.map_or(0, |plan| plan.len())
        ),
        (Outcome::Cancelled, _) => format!(
            "Stopped after {elapsed}: {} of {} checked, {busy} of checking done{}.",
            row.checked,
            params.numbers.len(),
            if params.mode.blocks_main_thread() {
                String::new()
            } else {
                format!(" by {workers}, all terminated")
            }
        ),
        (Outcome::Completed, Mode::SequentialMain) if stats.longest_gap_ms < NOTICEABLE_GAP_MS => {
            format!(
                "{numbers} checked one by one on the main thread in {elapsed}: the longest \
                 {gap_name} was {gap}, too short to see the page freeze (try the heavy preset)."
            )
        }
        (Outcome::Completed, Mode::SequentialMain) => format!(
            "The page froze for {gap}: {numbers} checked one by one on the main thread in \
             {elapsed}, and no frame was drawn until the last answer."
        ),
        (Outcome::Completed, Mode::SequentialWorker) => format!(
            "One worker checked {numbers} one by one in {elapsed} ({busy} of checking), while \
             the page kept drawing: the longest {gap_name} was {gap}."
        ),
        (Outcome::Completed, Mode::Sweep) => match row.best {
            Some(best) => format!(
                "The fastest median was {} at N = {} of 1–{}{}.",
                seconds_prose(best.median_s),
                best.n,
                params.workers,
                best.speedup
                    .map_or(String::new(), |s| format!(", {s:.2}× N = 1's time"))
            ),
            None => format!("The sweep took {elapsed}."),
        },
        (Outcome::Completed, mode) => {
            let mut text = format!(
                "{workers} kept {:.1} cores busy on average: {busy} of checking in {elapsed}",
                if row.elapsed_s > 0.0 {
                    busy_s / row.elapsed_s
                } else {
                    0.0
                }
            );
            if let Some(before) = comparable(row, earlier) {
                let speedup = before.elapsed_s / row.elapsed_s.max(1e-9);
                let how = match speedup {
                    s if (0.95..=1.05).contains(&s) => "about as fast as".to_string(),
                    s if s > 1.0 => format!("{s:.1}× faster than"),
                    s => format!("{:.1}× slower than", 1.0 / s),
                };
                text += &format!(
                    ", {how} run {} ({}, {})",
                    before.run_no,
                    describe(before),
                    seconds_prose(before.elapsed_s)
                );
            }
            if mode == Mode::PoolMap {
                text += "; map printed the answers in submission order";
            }
            if mode == Mode::Threads && busy_s > row.elapsed_s * 1.2 {
                // Measured overlap: the threads' checking adds up to more than the wall time.
                text += "; threads ran at once, as CPython's GIL would not let them";
            }
            text + "."
        }
    }
}

/// The latest completed run over the same numbers done another way (mode or pool size).
fn comparable<'a>(row: &HistoryRow, earlier: &'a [HistoryRow]) -> Option<&'a HistoryRow> {
    earlier.iter().rev().find(|before| {
        before.outcome == Outcome::Completed
            && before.params.mode != Mode::Sweep
            && before.params.numbers == row.params.numbers
            && (before.params.mode, before.params.workers) != (row.params.mode, row.params.workers)
    })
}

/// `1 worker`, `4 workers`, `the main thread`.
fn describe(row: &HistoryRow) -> String {
    match row.params.mode {
        Mode::SequentialMain => "the main thread".to_string(),
        _ => plural(row.params.workers, "worker", "workers"),
    }
}

#[cfg(test)]
mod tests {
    use super::super::form::Field;
    use super::super::form::tests::form;
    use super::*;
    use crate::labs::LabForm;
    use crate::meter::Pace;

    fn row(run_no: u32, mode: &str, workers: &str, elapsed_s: f64) -> HistoryRow {
        let params = form(&[(Field::Mode, mode), (Field::Workers, workers)])
            .validate()
            .unwrap();
        HistoryRow {
            run_no,
            checked: params.numbers.len(),
            primes: 0,
            best: None,
            params,
            elapsed_s,
            outcome: Outcome::Completed,
        }
    }

    /// `count` answers that each took `each_s` in a worker.
    fn results(count: usize, each_s: f64) -> Vec<CheckResult> {
        (0..count)
            .map(|i| CheckResult {
                job: i,
                order: i,
                worker: i % 4,
                n: 7,
                prime: true,
                elapsed_s: each_s,
            })
            .collect()
    }

    #[test]
    fn a_pool_run_reports_cores_busy_and_the_speed_up() {
        let one = row(1, "procs", "1", 8.0);
        let four = row(2, "procs", "4", 4.1);
        let answers = results(four.checked, 7.9 / four.checked as f64);
        let text = sentence(&four, &answers, &FrameStats::default(), &[one]);
        assert_eq!(
            text,
            "4 workers kept 1.9 cores busy on average: 7.90 s of checking in 4.10 s, 2.0× \
             faster than run 1 (1 worker, 8.00 s)."
        );
        // No earlier run of the same numbers another way: no comparison.
        let text = sentence(&four, &answers, &FrameStats::default(), &[row(1, "procs", "4", 5.0)]);
        assert!(text.ends_with("in 4.10 s."), "{text}");
        // Within 5 %: no speed-up claimed; slower: said so.
        let same = sentence(&four, &answers, &FrameStats::default(), &[row(1, "procs", "1", 4.2)]);
        assert!(same.contains(", about as fast as run 1 (1 worker, 4.20 s)."), "{same}");
        let slow = sentence(&four, &answers, &FrameStats::default(), &[row(1, "procs", "2", 2.05)]);
        assert!(slow.contains(", 2.0× slower than run 1 (2 workers, 2.05 s)."), "{slow}");
    }

    #[test]
    fn the_main_thread_run_reports_the_freeze() {
        let main = row(1, "sequential-main", "1", 2.5);
        let stats = FrameStats {
            longest_gap_ms: 2516.0,
            ..Default::default()
        };
        let text = sentence(&main, &[], &stats, &[]);
        assert!(text.starts_with("The page froze for 2,516 ms:"), "{text}");
        assert!(text.contains("on the main thread in 2.50 s"), "{text}");
        let quick = FrameStats {
            pace: Pace::Sampled { every_ms: 100.0 },
            longest_gap_ms: 40.0,
            ..Default::default()
        };
        let text = sentence(&row(1, "sequential-main", "1", 0.03), &[], &quick, &[]);
        assert!(text.contains("in 0.03 s: the longest wait for a frame was 40 ms"), "{text}");
    }

    #[test]
    fn a_stopped_run_counts_what_was_checked() {
        let mut stopped = row(1, "pool-map", "2", 1.25);
        stopped.outcome = Outcome::Cancelled;
        stopped.checked = 3;
        let text = sentence(&stopped, &results(3, 0.5), &FrameStats::default(), &[]);
        assert_eq!(
            text,
            format!(
                "Stopped after 1.25 s: 3 of {} checked, 1.50 s of checking done by 2 workers, \
                 all terminated.",
                stopped.params.numbers.len()
            )
        );
    }
}
