//! The jobs of a run as the futures table shows them: what each call returned or raised,
//! its state, slot and times, and when the consumer loop received it.

use std::fmt;

use crate::pyfmt::repr_str;
use crate::text::seconds_2;

/// An exception a job raised: its type name and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobError {
    /// `RuntimeError`, `HTTPStatusError`, …
    pub kind: String,
    pub message: String,
}

impl JobError {
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        JobError {
            kind: kind.into(),
            message: message.into(),
        }
    }

    /// `RuntimeError('loiter(2) failed')`, as `{exc!r}` prints it.
    pub fn repr(&self) -> String {
        format!("{}({})", self.kind, repr_str(&self.message))
    }
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// A job's result as the transcript needs it: the returned value's `repr`, or the error.
pub type Outcome = Result<String, JobError>;

/// A job as the futures table shows it; `Abandoned` is a job still running at Stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobStatus {
    Pending,
    Running,
    Finished,
    Failed,
    Cancelled,
    Abandoned,
}

impl JobStatus {
    /// The table text and the CSS class.
    pub fn key(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Running => "running",
            JobStatus::Finished => "finished",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Abandoned => "abandoned",
        }
    }
}

/// One row of the futures table. Times are script ms since the run started.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRow {
    pub id: usize,
    /// `loiter(3)`, `download_one('BR')`.
    pub call: String,
    pub status: JobStatus,
    pub slot: Option<usize>,
    pub start_ms: Option<f64>,
    pub end_ms: Option<f64>,
    pub outcome: Option<Outcome>,
    /// When the consumer loop received it.
    pub delivered_ms: Option<f64>,
}

pub const TABLE_COLUMNS: [&str; 8] = [
    "#",
    "Call",
    "State",
    "Slot",
    "Started",
    "Ended",
    "Result",
    "Delivered",
];

/// `3.00s`, or `—` for a time not reached.
pub fn time_cell(ms: Option<f64>) -> String {
    ms.map_or_else(|| "—".to_string(), |ms| seconds_2(ms / 1000.0))
}

impl JobRow {
    /// A job just submitted: pending, no slot, no times yet.
    pub fn pending(id: usize, call: String) -> Self {
        JobRow {
            id,
            call,
            status: JobStatus::Pending,
            slot: None,
            start_ms: None,
            end_ms: None,
            outcome: None,
            delivered_ms: None,
        }
    }

    /// How long a finished result waited for the consumer: map's lesson.
    pub fn held_ms(&self) -> Option<f64> {
        Some((self.delivered_ms? - self.end_ms?).max(0.0))
    }

    pub fn cells(&self) -> Vec<String> {
        let delivered = match (self.delivered_ms, self.held_ms()) {
            (Some(at), Some(held)) if held >= 5.0 => {
                format!("{} (held {})", time_cell(Some(at)), time_cell(Some(held)))
            }
            (at, _) => time_cell(at),
        };
        vec![
            self.id.to_string(),
            self.call.clone(),
            self.status.key().to_string(),
            self.slot
                .map_or_else(|| "—".to_string(), |s| (s + 1).to_string()),
            time_cell(self.start_ms),
            time_cell(self.end_ms),
            match &self.outcome {
                Some(Ok(value)) => value.clone(),
                Some(Err(error)) => error.repr(),
                None => "—".to_string(),
            },
            delivered,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_print_as_their_repr() {
        assert_eq!(
            JobError::new("RuntimeError", "loiter(2) failed").repr(),
            "RuntimeError('loiter(2) failed')"
        );
    }

    #[test]
    fn a_held_result_says_how_long() {
        let mut row = JobRow::pending(1, "loiter(1)".into());
        assert_eq!(row.cells()[2..], ["pending", "—", "—", "—", "—", "—"]);
        row.status = JobStatus::Finished;
        row.slot = Some(1);
        row.start_ms = Some(0.0);
        row.end_ms = Some(1000.0);
        row.outcome = Some(Ok("10".into()));
        row.delivered_ms = Some(1004.0);
        assert_eq!(row.cells()[7], "1.00s", "under 5 ms is not held");
        row.delivered_ms = Some(3000.0);
        assert_eq!(row.held_ms(), Some(2000.0));
        assert_eq!(
            row.cells(),
            ["1", "loiter(1)", "finished", "2", "0.00s", "1.00s", "10", "3.00s (held 2.00s)"]
        );
    }
}
