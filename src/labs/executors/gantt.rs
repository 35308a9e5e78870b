//! The Gantt chart's bars: one lane per worker slot, one bar per job that got a slot
//! (start → end), marked ◆ when the consumer loop received its result.

use super::jobs::{JobRow, JobStatus, time_cell};
use crate::timeline::{Bar, BarItem};

/// What a job's bar shows.
#[derive(Clone, Debug, PartialEq)]
pub struct GanttJob {
    pub id: usize,
    /// `loiter(3)`, `download_one('BR')`.
    pub call: String,
    pub status: JobStatus,
    /// What it raised: `RuntimeError('loiter(2) failed')`.
    pub error: Option<String>,
}

impl BarItem for GanttJob {
    /// The status key.
    fn class(&self) -> &'static str {
        self.status.key()
    }

    /// `loiter(3): finished, 0.00s–3.00s; delivered at 3.00s`, with what a failed job raised.
    fn title(bar: &Bar<Self>, now_ms: f64) -> String {
        let mut text = format!(
            "{}: {}, {}–{}",
            bar.item.call,
            bar.item.status.key(),
            time_cell(Some(bar.start_ms)),
            time_cell(Some(bar.end_or(now_ms)))
        );
        if let Some(error) = &bar.item.error {
            text += &format!(" — raised {error}");
        }
        if let Some(at) = bar.marker_ms {
            text += &format!("; delivered at {}", time_cell(Some(at)));
        }
        text
    }

    /// The call, as the transcript and the futures table name it.
    fn label(&self) -> Option<String> {
        Some(self.call.clone())
    }

    fn id(&self) -> Option<String> {
        Some(self.id.to_string())
    }

    fn marker_title(bar: &Bar<Self>, at_ms: f64) -> String {
        format!("result {} delivered at {:.2}s", bar.item.id, at_ms / 1000.0)
    }
}

/// Every job that got a slot, in its lane; an abandoned job's bar ends at `stopped_ms`.
pub fn bars(jobs: &[JobRow], stopped_ms: Option<f64>) -> Vec<Bar<GanttJob>> {
    jobs.iter()
        .filter_map(|job| {
            Some(Bar {
                lane: job.slot?,
                start_ms: job.start_ms?,
                end_ms: match job.status {
                    JobStatus::Abandoned => stopped_ms,
                    _ => job.end_ms,
                },
                marker_ms: job.delivered_ms,
                item: GanttJob {
                    id: job.id,
                    call: job.call.clone(),
                    status: job.status,
                    error: match &job.outcome {
                        Some(Err(error)) => Some(error.repr()),
                        _ => None,
                    },
                },
            })
        })
        .collect()
}

/// `Slot 1`, `Slot 2`, … for `workers` lanes (at least one, before any run).
pub fn lane_labels(workers: usize) -> Vec<String> {
    (1..=workers.max(1)).map(|n| format!("Slot {n}")).collect()
}

/// The legend's keys, and what the marker means.
pub const LEGEND: [(&str, &str); 3] = [
    ("finished", "finished"),
    ("failed", "failed"),
    ("running", "running"),
];
pub const LEGEND_NOTE: &str = "◆ delivered to the loop";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timeline::drawn;

    #[test]
    fn bars_are_labelled_by_call_and_marked_when_delivered() {
        let mut done = JobRow::pending(3, "loiter(3)".into());
        done.status = JobStatus::Finished;
        done.slot = Some(0);
        done.start_ms = Some(0.0);
        done.end_ms = Some(3000.0);
        done.delivered_ms = Some(3000.0);
        let mut running = JobRow::pending(4, "loiter(4)".into());
        running.status = JobStatus::Running;
        running.slot = Some(1);
        running.start_ms = Some(1000.0);
        let never = JobRow::pending(5, "loiter(5)".into());
        let drawn = drawn(&bars(&[done, running, never], None), 2500.0);
        assert_eq!(drawn.len(), 2, "a job without a slot has no bar");
        assert_eq!(drawn[0].label.as_deref(), Some("loiter(3)"));
        assert_eq!(drawn[0].id.as_deref(), Some("3"));
        assert_eq!(
            drawn[0].marker,
            Some((3000.0, "result 3 delivered at 3.00s".to_string()))
        );
        assert_eq!(drawn[1].class, "running");
        assert_eq!(drawn[1].title, "loiter(4): running, 1.00s–2.50s");
        assert_eq!(lane_labels(0), ["Slot 1"]);

        let mut failed = JobRow::pending(2, "loiter(2, fail=True)".into());
        failed.status = JobStatus::Failed;
        failed.slot = Some(2);
        failed.start_ms = Some(0.0);
        failed.end_ms = Some(2000.0);
        failed.outcome = Some(Err(super::super::jobs::JobError::new(
            "RuntimeError",
            "loiter(2) failed",
        )));
        let failed = crate::timeline::drawn(&bars(&[failed], None), 2500.0);
        assert_eq!(
            failed[0].title,
            "loiter(2, fail=True): failed, 0.00s–2.00s — raised RuntimeError('loiter(2) failed')"
        );
        assert_eq!(lane_labels(2), ["Slot 1", "Slot 2"]);
    }
}
