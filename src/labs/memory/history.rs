//! `thread_visits`' run history: one row per counted run, side by side with the book's
//! three runs, to compare workers, update styles and what each lost.

use super::choices::Update;
use super::visits::{BOOK_RUNS, Tally};
use crate::labs::choice::Choice;
use crate::text::{group_thousands, millis};

/// One counted run.
#[derive(Clone, Debug, PartialEq)]
pub struct VisitsRow {
    pub run_no: u32,
    pub workers: usize,
    pub increments: u32,
    pub update: Update,
    pub tally: Tally,
    /// From the release of the start flag until the page heard the last worker finish.
    pub elapsed_ms: f64,
}

pub const HISTORY_COLUMNS: [&str; 9] = [
    "Run",
    "Workers",
    "Increments",
    "Update",
    "Expected",
    "Counted",
    "Lost",
    "Lost %",
    "Time",
];

/// `27.66 %`.
pub fn percent(share: f64) -> String {
    format!("{share:.2} %")
}

fn tally_cells(tally: &Tally) -> [String; 4] {
    [
        group_thousands(tally.expected),
        group_thousands(tally.counted),
        group_thousands(tally.lost()),
        percent(tally.lost_percent()),
    ]
}

impl VisitsRow {
    pub fn cells(&self) -> Vec<String> {
        let mut cells = vec![
            self.run_no.to_string(),
            self.workers.to_string(),
            group_thousands(self.increments as u64),
            self.update.key().to_string(),
        ];
        cells.extend(tally_cells(&self.tally));
        cells.push(millis(self.elapsed_ms));
        cells
    }
}

/// A row of the run history: a counted run, or one stopped before it counted.
#[derive(Clone, Debug, PartialEq)]
pub enum HistoryRow {
    Counted(VisitsRow),
    Stopped {
        run_no: u32,
        workers: usize,
        increments: u32,
        update: Update,
        after_s: f64,
    },
}

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        match self {
            HistoryRow::Counted(row) => row.cells(),
            HistoryRow::Stopped {
                run_no,
                workers,
                increments,
                update,
                after_s,
            } => {
                let expected = *workers as u64 * *increments as u64;
                vec![
                    run_no.to_string(),
                    workers.to_string(),
                    group_thousands(*increments as u64),
                    update.key().to_string(),
                    group_thousands(expected),
                    "—".to_string(),
                    "—".to_string(),
                    "—".to_string(),
                    format!("stopped after {after_s:.2} s"),
                ]
            }
        }
    }
}

/// The book's three runs of `thread_visits.py` (CPython threads, 100 × 100,000), as rows.
pub fn book_rows() -> Vec<Vec<String>> {
    BOOK_RUNS
        .iter()
        .enumerate()
        .map(|(i, &counted)| {
            let tally = Tally {
                expected: 10_000_000,
                counted,
            };
            let mut cells = vec![
                format!("book run {}", i + 1),
                "100".to_string(),
                "100,000".to_string(),
                Update::ReadThenWrite.key().to_string(),
            ];
            cells.extend(tally_cells(&tally));
            cells.push("— (CPython)".to_string());
            cells
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_like_the_books_runs() {
        let rows = book_rows();
        assert_eq!(
            rows[0],
            [
                "book run 1", "100", "100,000", "read-then-write", "10,000,000", "6,859,624",
                "3,140,376", "31.40 %", "— (CPython)"
            ]
        );
        assert_eq!(rows[1][5], "7,234,223");
        let row = VisitsRow {
            run_no: 2,
            workers: 4,
            increments: 1_000_000,
            update: Update::Lock,
            tally: Tally::new(4, 1_000_000, 4_000_000),
            elapsed_ms: 812.4,
        };
        assert_eq!(
            row.cells(),
            ["2", "4", "1,000,000", "lock", "4,000,000", "4,000,000", "0", "0.00 %", "812 ms"]
        );
        assert_eq!(row.cells().len(), HISTORY_COLUMNS.len());
        let stopped = HistoryRow::Stopped {
            run_no: 3,
            workers: 256,
            increments: 100_000,
            update: Update::Lock,
            after_s: 1.234,
        };
        assert_eq!(
            stopped.cells(),
            ["3", "256", "100,000", "lock", "25,600,000", "—", "—", "—", "stopped after 1.23 s"]
        );
    }
}
