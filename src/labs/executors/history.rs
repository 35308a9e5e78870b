//! One row per finished run, for comparing demos, pool sizes and collection orders.

use super::choices::Demo;
use super::form::ExecutorsParams;
use crate::labs::choice::Choice;
use crate::text::seconds_2;

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum RunOutcome {
    Completed {
        ok: usize,
        failed: usize,
    },
    /// map: the loop ended at the error in result `result`.
    StoppedAtError {
        result: usize,
    },
    Cancelled {
        cancelled: usize,
        abandoned: usize,
    },
    /// It could not start; the transcript says why.
    Failed,
}

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub params: ExecutorsParams,
    pub elapsed_s: f64,
    /// When the loop received its first result (script s): map waits for the first call,
    /// as_completed for the quickest.
    pub first_result_s: Option<f64>,
    pub outcome: RunOutcome,
}

pub const HISTORY_COLUMNS: [&str; 9] = [
    "Run",
    "Demo",
    "Jobs",
    "Max workers",
    "Collect with",
    "Time scale",
    "Elapsed",
    "First result",
    "Outcome",
];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        let p = &self.params;
        let loiter = p.demo == Demo::Loiter;
        vec![
            self.run_no.to_string(),
            p.demo.key().to_string(),
            p.jobs_text(),
            p.workers.to_string(),
            p.collect.key().to_string(),
            if loiter {
                format!("{}", p.time_scale)
            } else {
                "—".to_string()
            },
            seconds_2(self.elapsed_s),
            self.first_result_s.map_or("—".to_string(), seconds_2),
            self.outcome_cell(),
        ]
    }

    /// `5 results`, `4 downloaded, 1 error`, `error in result 2`, `stopped: …`.
    fn outcome_cell(&self) -> String {
        let loiter = self.params.demo == Demo::Loiter;
        let (good, bad) = if loiter {
            ("result", "error")
        } else {
            ("downloaded", "error")
        };
        match self.outcome {
            RunOutcome::Completed { ok, failed: 0 } if loiter => {
                format!("{ok} {good}{}", if ok == 1 { "" } else { "s" })
            }
            RunOutcome::Completed { ok, failed: 0 } => format!("{ok} {good}"),
            RunOutcome::Completed { ok, failed } => format!(
                "{ok} {good}{}, {failed} {bad}{}",
                if loiter && ok != 1 { "s" } else { "" },
                if failed == 1 { "" } else { "s" }
            ),
            RunOutcome::StoppedAtError { result } => format!("error in result {result}"),
            RunOutcome::Cancelled {
                cancelled,
                abandoned,
            } => format!("stopped: {cancelled} cancelled, {abandoned} abandoned"),
            RunOutcome::Failed => "error: could not start".to_string(),
        }
    }
}
