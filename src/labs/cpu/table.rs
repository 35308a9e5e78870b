//! Table 17-1 as data: each pool run's times, the median per pool size, the speed-up over
//! one worker, the book's column beside it, and the table as transcript text.

use super::choices::Workload;
use crate::stats::median;

/// One pool run, start to finish.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PoolRun {
    pub workers: usize,
    /// From before the pool starts to the last result (the book's measure).
    pub total_s: f64,
    /// From the first job sent to the last result: the jobs alone.
    pub jobs_s: f64,
    /// Sum of the jobs' times inside the workers.
    pub busy_s: f64,
}

impl PoolRun {
    /// Starting the workers: what the total has that the jobs don't.
    pub fn startup_s(&self) -> f64 {
        (self.total_s - self.jobs_s).max(0.0)
    }
}

/// One pool size of the table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TableRow {
    pub workers: usize,
    pub runs: usize,
    /// Median total time, and its speed-up over the median with 1 worker.
    pub total_s: f64,
    pub speedup: Option<f64>,
    /// The same for the jobs alone.
    pub jobs_s: f64,
    pub jobs_speedup: Option<f64>,
    /// The book's time for this many workers, if it has one.
    pub book_s: Option<f64>,
}

impl TableRow {
    /// The book's speed-up over its own 1-worker time.
    pub fn book_speedup(&self, workload: Workload) -> Option<f64> {
        Some(workload.book_seconds()[0] / self.book_s?)
    }
}

/// The runs grouped by pool size (ascending), with medians and speed-ups.
pub fn table_rows(runs: &[PoolRun], workload: Workload) -> Vec<TableRow> {
    let mut sizes: Vec<usize> = runs.iter().map(|r| r.workers).collect();
    sizes.sort_unstable();
    sizes.dedup();
    let of = |n: usize, pick: fn(&PoolRun) -> f64| -> Vec<f64> {
        runs.iter().filter(|r| r.workers == n).map(pick).collect()
    };
    let one = median(&of(1, |r| r.total_s));
    let one_jobs = median(&of(1, |r| r.jobs_s));
    sizes
        .into_iter()
        .filter_map(|n| {
            let total_s = median(&of(n, |r| r.total_s))?;
            let jobs_s = median(&of(n, |r| r.jobs_s))?;
            Some(TableRow {
                workers: n,
                runs: of(n, |r| r.total_s).len(),
                total_s,
                speedup: one.map(|one| one / total_s),
                jobs_s,
                jobs_speedup: one_jobs.map(|one| one / jobs_s),
                book_s: workload.book_seconds().get(n.wrapping_sub(1)).copied(),
            })
        })
        .collect()
}

/// `1.90×`, or `—` without a 1-worker time to compare with.
pub fn times(speedup: Option<f64>) -> String {
    speedup.map_or("—".to_string(), |s| format!("{s:.2}×"))
}

pub const TABLE_COLUMNS: [&str; 7] = [
    "Workers",
    "Time (incl. start)",
    "Speed-up",
    "Jobs only",
    "Speed-up (jobs)",
    "Book",
    "Book speed-up",
];

impl TableRow {
    pub fn cells(&self, workload: Workload) -> Vec<String> {
        vec![
            self.workers.to_string(),
            format!("{:.3}s", self.total_s),
            times(self.speedup),
            format!("{:.3}s", self.jobs_s),
            times(self.jobs_speedup),
            self.book_s.map_or("—".to_string(), |s| format!("{s:.2}s")),
            times(self.book_speedup(workload)),
        ]
    }
}

/// The table as the transcript's closing text: a title line, a header, one line per size.
pub fn table_text(rows: &[TableRow], workload: Workload, repeats: u32) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Table 17-1, {}: median of {repeats} run{} per size; the book's: Python 3.4, 4-core Core i7",
            workload.name(),
            if repeats == 1 { "" } else { "s" }
        ),
        "workers    time speed-up  jobs only speed-up    book  speed-up".to_string(),
    ];
    lines.extend(rows.iter().map(|row| {
        format!(
            "{:>7} {:>6.3}s {:>8}  {:>8.3}s {:>8}  {:>6} {:>9}",
            row.workers,
            row.total_s,
            times(row.speedup),
            row.jobs_s,
            times(row.jobs_speedup),
            row.book_s.map_or("—".to_string(), |s| format!("{s:.2}s")),
            times(row.book_speedup(workload)),
        )
    }));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(workers: usize, total_s: f64, jobs_s: f64) -> PoolRun {
        PoolRun {
            workers,
            total_s,
            jobs_s,
            busy_s: jobs_s * workers as f64,
        }
    }

    #[test]
    fn rows_take_medians_and_compare_with_one_worker_and_the_book() {
        let runs = [
            run(1, 0.30, 0.20),
            run(1, 0.32, 0.22),
            run(1, 0.90, 0.80), // an outlier the median shrugs off
            run(2, 0.20, 0.11),
            run(2, 0.19, 0.10),
            run(2, 0.21, 0.12),
            run(5, 0.25, 0.10),
        ];
        let rows = table_rows(&runs, Workload::Rc4);
        assert_eq!(rows.len(), 3);
        assert_eq!((rows[0].workers, rows[0].runs, rows[0].total_s), (1, 3, 0.32));
        assert_eq!(rows[0].speedup, Some(1.0));
        assert_eq!(rows[1].total_s, 0.20);
        assert!((rows[1].speedup.unwrap() - 1.6).abs() < 1e-9);
        assert!((rows[1].jobs_speedup.unwrap() - 2.0).abs() < 1e-9);
        assert_eq!(rows[1].book_s, Some(8.65));
        assert_eq!(times(rows[1].book_speedup(Workload::Rc4)), "1.33×");
        assert_eq!(rows[2].book_s, None);
        assert_eq!(rows[2].cells(Workload::Rc4)[5], "—");
        assert!((run(2, 0.2, 0.15).startup_s() - 0.05).abs() < 1e-9);
    }

    #[test]
    fn the_books_speedups_are_the_ones_it_printed() {
        let speedups = |w: Workload| -> Vec<String> {
            let book = w.book_seconds();
            book.iter().map(|s| times(Some(book[0] / s))).collect()
        };
        assert_eq!(speedups(Workload::Rc4), ["1.00×", "1.33×", "1.90×", "2.06×"]);
        assert_eq!(speedups(Workload::Sha256), ["1.00×", "1.52×", "1.90×", "2.08×"]);
    }

    #[test]
    fn the_text_table_lines_up() {
        let rows = table_rows(&[run(1, 0.3, 0.2), run(2, 0.2, 0.1)], Workload::Sha256);
        let text = table_text(&rows, Workload::Sha256, 1);
        assert_eq!(
            text[0],
            "Table 17-1, SHA-256: median of 1 run per size; the book's: Python 3.4, 4-core Core i7"
        );
        assert_eq!(text[2], "      1  0.300s    1.00×     0.200s    1.00×  22.66s     1.00×");
        assert_eq!(text[3], "      2  0.200s    1.50×     0.100s    2.00×  14.90s     1.52×");
        assert_eq!(text[1].len(), text[2].chars().count());
    }
}
