//! The run history: one row per finished run, to compare the variants side by side.

use super::form::{SpinnerParams, Workload};
use super::thread::ThreadReport;
use super::transcript::Outcome;
use crate::labs::choice::Choice;
use crate::meter::FrameStats;
use crate::text::{group_thousands, millis, seconds_2};

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub params: SpinnerParams,
    pub elapsed_s: f64,
    pub spinner_frames: u32,
    pub stats: FrameStats,
    /// The spinner thread's report (thread-spinner runs that got as far as `join()`).
    pub thread: Option<ThreadReport>,
    pub outcome: Outcome,
}

pub const HISTORY_COLUMNS: [&str; 8] = [
    "Run",
    "Variant",
    "Parameters",
    "Elapsed",
    "Spinner frames",
    "Longest frame gap",
    "Main thread blocked",
    "Outcome",
];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        let workload = match self.params.workload {
            Workload::Sleep { seconds } => format!("{seconds} s"),
            Workload::Prime { n } => format!("n = {}", group_thousands(n)),
        };
        let frames = match self.thread.as_ref().map(|t| &t.joined) {
            Some(Ok(frames)) => format!(
                "{} by the worker, {} while blocked",
                frames.drawn, frames.during_block
            ),
            _ => self.spinner_frames.to_string(),
        };
        vec![
            self.run_no.to_string(),
            self.params.variant.key().to_string(),
            format!("{workload}, every {} ms", self.params.period_ms),
            seconds_2(self.elapsed_s),
            frames,
            millis(self.stats.longest_gap_ms),
            millis(self.stats.blocked_ms),
            self.outcome.summary(),
        ]
    }
}
