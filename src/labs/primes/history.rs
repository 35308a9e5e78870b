//! The run history: one row per finished run, to compare modes and pool sizes.

use super::choices::Mode;
use super::form::PrimesParams;
use super::sweep::SweepRow;
use crate::labs::choice::Choice;
use crate::text::seconds_2;

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Completed,
    Cancelled,
    Failed { worker: usize, reason: String },
}

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub params: PrimesParams,
    pub elapsed_s: f64,
    /// Numbers answered; for sweep, sweep runs finished.
    pub checked: usize,
    pub primes: usize,
    /// Sweep: the fastest N.
    pub best: Option<SweepRow>,
    pub outcome: Outcome,
}

pub const HISTORY_COLUMNS: [&str; 6] = ["Run", "Mode", "Workers", "Numbers", "Elapsed", "Outcome"];

/// The book's runs of the 20 NUMBERS (Fluent Python 2e, CPython on a 6-core/12-thread
/// laptop), under the reader's: threads.py is measured there only as slower than sequential.
pub fn book_rows() -> Vec<Vec<String>> {
    let row = |script: &str, workers: &str, elapsed: &str, note: &str| {
        ["book", script, workers, "20 (book)", elapsed, note]
            .map(String::from)
            .to_vec()
    };
    vec![
        row("sequential.py", "1", "40.31s", "CPython, one process"),
        row("procs.py", "12", "9.58s", "CPython, 12 processes"),
        row(
            "threads.py",
            "12",
            "> 40.31s",
            "CPython: slower than sequential — the GIL runs one thread at a time",
        ),
    ]
}


impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        let params = &self.params;
        let workers = match (params.mode, params.sweep) {
            (Mode::SequentialMain, _) => "main thread".to_string(),
            (_, Some(plan)) => format!("1–{} ×{}", plan.max_n, plan.runs),
            _ => params.workers.to_string(),
        };
        let numbers = match params.preset {
            Some(preset) => format!("{} ({})", params.numbers.len(), preset.key()),
            None => params.numbers.len().to_string(),
        };
        let total = params.sweep.map_or(params.numbers.len(), |plan| plan.len());
        let outcome = match (&self.outcome, params.sweep) {
            (Outcome::Completed, None) => {
                format!("{} checked, {} prime", self.checked, self.primes)
            }
            (Outcome::Completed, Some(_)) => match self.best {
                Some(best) => format!("fastest: N = {} in {:.3}s", best.n, best.median_s),
                None => "completed".to_string(),
            },
            (Outcome::Cancelled, None) => format!("cancelled: {} of {total} checked", self.checked),
            (Outcome::Cancelled, Some(_)) => format!("cancelled: {} of {total} runs", self.checked),
            (Outcome::Failed { worker, .. }, _) => format!("worker {} failed", worker + 1),
        };
        vec![
            self.run_no.to_string(),
            params.mode.key().to_string(),
            workers,
            numbers,
            seconds_2(self.elapsed_s),
            outcome,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_rows_fill_every_column() {
        let rows = book_rows();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.len() == HISTORY_COLUMNS.len()));
        assert_eq!(rows[2][1], "threads.py");
    }
}
