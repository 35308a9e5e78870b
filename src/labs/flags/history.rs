//! The run history: one row per finished or stopped run, for comparing them.

use super::choices::{Mode, Server};
use super::outcome::Counts;
use crate::labs::choice::Choice;
use crate::text::seconds_2;

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub mode: Mode,
    pub server: Server,
    pub codes: usize,
    /// The semaphore's size (`actual_req`).
    pub max_concurrent: usize,
    pub counts: Counts,
    pub peak_in_flight: usize,
    pub elapsed_s: f64,
    pub stopped: bool,
}

pub const HISTORY_COLUMNS: [&str; 11] = [
    "Run",
    "Mode",
    "Server",
    "Codes",
    "Max concurrent",
    "OK",
    "Not found",
    "Errors",
    "Cancelled",
    "Peak in flight",
    "Elapsed",
];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.run_no.to_string(),
            self.mode.key().to_string(),
            self.server.key().to_string(),
            self.codes.to_string(),
            self.max_concurrent.to_string(),
            self.counts.ok.to_string(),
            self.counts.not_found.to_string(),
            self.counts.errors.to_string(),
            self.counts.cancelled.to_string(),
            self.peak_in_flight.to_string(),
            seconds_2(self.elapsed_s),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_per_column() {
        assert_eq!(
            HISTORY_COLUMNS.len(),
            HistoryRow {
                run_no: 1,
                mode: Mode::Flags2,
                server: Server::Local,
                codes: 1,
                max_concurrent: 1,
                counts: Counts::default(),
                peak_in_flight: 0,
                elapsed_s: 0.0,
                stopped: false,
            }
            .cells()
            .len()
        );
    }
}
