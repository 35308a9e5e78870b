//! The run history: one row per pool run (a Compare makes two), to put 1 worker beside N.

use super::form::CpuParams;
use super::table::PoolRun;
use crate::labs::choice::Choice;
use crate::text::millis;

#[derive(Clone, Debug, PartialEq)]
pub enum HistoryRow {
    Done {
        run_no: u32,
        params: CpuParams,
        pool: PoolRun,
    },
    Stopped {
        run_no: u32,
        params: CpuParams,
        after_s: f64,
    },
}

pub const HISTORY_COLUMNS: [&str; 8] = [
    "Run",
    "Workload",
    "Data ×",
    "Workers",
    "Time (incl. start)",
    "Starting workers",
    "Jobs only",
    "Busy in workers",
];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        let (run_no, params) = match self {
            HistoryRow::Done { run_no, params, .. } | HistoryRow::Stopped { run_no, params, .. } => {
                (run_no, params)
            }
        };
        let mut cells = vec![
            run_no.to_string(),
            params.workload.key().to_string(),
            params.scale.to_string(),
            params.workers.to_string(),
        ];
        match self {
            HistoryRow::Done { pool, .. } => cells.extend([
                millis(pool.total_s * 1000.0),
                millis(pool.startup_s() * 1000.0),
                millis(pool.jobs_s * 1000.0),
                millis(pool.busy_s * 1000.0),
            ]),
            HistoryRow::Stopped { after_s, .. } => {
                cells.push(format!("stopped after {after_s:.2} s"));
                cells.extend(["—", "—", "—"].map(String::from));
            }
        }
        cells
    }
}
