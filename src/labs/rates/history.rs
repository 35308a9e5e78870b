//! The run history: one row per finished run, to compare the scripts side by side, with
//! the book's timings beside them.

use super::choices::Script;
use super::form::RatesParams;
use super::session::Outcome;
use crate::labs::choice::Choice;
use crate::meter::FrameStats;
use crate::text::{millis, seconds_2};

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub params: RatesParams,
    pub elapsed_s: f64,
    /// Starting the workers (or the helper worker), before the script's clock.
    pub startup_ms: f64,
    pub stats: FrameStats,
    pub outcome: Outcome,
}

pub const HISTORY_COLUMNS: [&str; 9] = [
    "Run",
    "Script",
    "Requests",
    "Elapsed",
    "Workers' start (not counted)",
    "÷ latency",
    "Longest frame gap",
    "Book (live API, 5 bases)",
    "Outcome",
];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        let p = &self.params;
        let threads = match p.worker_count() {
            0 if p.script == Script::Synchronous => ", main thread".to_string(),
            0 => ", event loop".to_string(),
            n => format!(", {n} workers"),
        };
        let ratio = if p.server.latency_s > 0.0 {
            format!("{:.2}", self.elapsed_s / p.server.latency_s)
        } else {
            "—".to_string()
        };
        vec![
            self.run_no.to_string(),
            p.script.key().to_string(),
            format!("{}{threads}, latency {} s", p.bases.len(), p.server.latency_s),
            seconds_2(self.elapsed_s),
            millis(self.startup_ms),
            ratio,
            millis(self.stats.longest_gap_ms),
            p.script
                .book_seconds()
                .map_or_else(|| "—".to_string(), |s| format!("book: {s:.2} s")),
            self.outcome.summary(),
        ]
    }
}
