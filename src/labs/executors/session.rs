//! The executors lab's state across runs, driven by the events of its runs.
//!
//! Job ids and slots are 0-based; the transcript's `result i` is the job id (its place in
//! submission order) and text shown to the reader numbers slots from 1 (`Slot 1`).
//!
//! Event times (`at_ms`, `elapsed_ms`) are real milliseconds since the run started. The
//! table and the Gantt chart are in *script* time — real time divided by the time scale —
//! so their numbers read as the script's seconds at any scale.

use super::choices::{Collect, Demo};
use super::form::ExecutorsParams;
use super::gantt::{self, GanttJob};
use super::history::{HistoryRow, RunOutcome};
use super::jobs::{JobRow, JobStatus, Outcome};
use super::transcript::{
    WAITING_LINE, WallClock, flag_result_line, flags_footer, result_line, results_line,
    scheduled_line, stamp, stop_line, time_scale_line,
};
use crate::labs::LabSession;
use crate::runtime::executor::{JobState, StopReport};
use crate::timeline::Bar;

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The run begins; `wall` is the local time now.
    Started {
        params: ExecutorsParams,
        wall: WallClock,
    },
    /// flags: `executor.submit(download_one, cc)` returned a future in `state`.
    Scheduled {
        id: usize,
        state: JobState,
        at_ms: f64,
    },
    /// loiter: every job is submitted and the result stream exists, not consumed yet.
    Submitted { at_ms: f64 },
    /// The job got `slot` and runs.
    JobStarted { id: usize, slot: usize, at_ms: f64 },
    JobEnded {
        id: usize,
        outcome: Outcome,
        at_ms: f64,
    },
    /// Cancelled while pending (e.g. by `map` after an error).
    JobCancelled { id: usize, at_ms: f64 },
    /// The consumer loop received job `id`'s result.
    Delivered { id: usize, at_ms: f64 },
    /// The `with` block is over: every job is done.
    Finished { elapsed_ms: f64 },
    /// Stop: the pending jobs were cancelled, the running ones abandoned.
    Cancelled {
        cancelled: Vec<usize>,
        abandoned: Vec<usize>,
        elapsed_ms: f64,
    },
    /// The run could not start (e.g. the DELAY server's service worker was refused).
    Failed { reason: String },
}

impl Event {
    /// The Stop event for what `Executor::cancel_pending` reported.
    pub fn stopped(report: StopReport, elapsed_ms: f64) -> Event {
        Event::Cancelled {
            cancelled: report.cancelled,
            abandoned: report.abandoned,
            elapsed_ms,
        }
    }
}

/// The lab's state across runs; the run dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    /// The current (or last) run's futures, by id.
    pub jobs: Vec<JobRow>,
    /// The current (or last) run's pool size: the Gantt chart's lanes.
    pub workers: usize,
    /// The current (or last) run's time scale (1 before any run).
    pub time_scale: f64,
    /// When Stop was pressed (script ms): the abandoned bars end there.
    pub stopped_ms: Option<f64>,
    pub running: Option<Running>,
    pub history: Vec<HistoryRow>,
    pub runs_started: u32,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: ExecutorsParams,
    pub wall: WallClock,
    /// map: the loop ended at this result's error; later deliveries are not printed.
    pub map_error: Option<usize>,
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Real ms since the start → script ms, at the current (or last) run's scale.
    pub fn script_ms(&self, real_ms: f64) -> f64 {
        if self.time_scale > 0.0 {
            real_ms / self.time_scale
        } else {
            real_ms
        }
    }

    /// (delivered, total) of the run in progress or the last one.
    pub fn progress(&self) -> (usize, usize) {
        let delivered = self
            .jobs
            .iter()
            .filter(|j| j.delivered_ms.is_some())
            .count();
        (delivered, self.jobs.len())
    }

    /// The Gantt chart's bars: every job that got a slot, in its lane.
    pub fn bars(&self) -> Vec<Bar<GanttJob>> {
        gantt::bars(&self.jobs, self.stopped_ms)
    }

    /// Adds a line: stamped for loiter (every line), as printed for flags.
    fn say(&mut self, at_ms: f64, text: String) {
        let Some(running) = &self.running else { return };
        let line = match running.params.demo {
            Demo::Loiter => format!(
                "{} {text}",
                stamp(running.wall, at_ms, running.params.time_scale)
            ),
            Demo::FlagsAc => text,
        };
        self.transcript.push(line);
    }

    fn record(&mut self, running: Running, elapsed_ms: f64, outcome: RunOutcome) {
        let first_result_s = self
            .jobs
            .iter()
            .filter_map(|j| j.delivered_ms)
            .reduce(f64::min)
            .map(|ms| ms / 1000.0);
        self.history.push(HistoryRow {
            run_no: running.run_no,
            params: running.params,
            elapsed_s: elapsed_ms / 1000.0,
            first_result_s,
            outcome,
        });
    }

    fn start(&mut self, params: ExecutorsParams, wall: WallClock) {
        self.runs_started += 1;
        self.transcript.clear();
        self.jobs = (0..params.job_count())
            .map(|id| JobRow::pending(id, params.call(id)))
            .collect();
        self.workers = params.workers;
        self.time_scale = params.time_scale;
        self.stopped_ms = None;
        let scaled = params.demo == Demo::Loiter && params.is_scaled();
        let time_scale = params.time_scale;
        let loiter = params.demo == Demo::Loiter;
        self.running = Some(Running {
            run_no: self.runs_started,
            params,
            wall,
            map_error: None,
        });
        if scaled {
            self.say(0.0, time_scale_line(time_scale));
        }
        if loiter {
            self.say(0.0, "Script starting.".to_string());
        }
    }

    /// Every event but `Started`: ignored outside a run (late events after Stop).
    fn apply_to_run(&mut self, event: Event) {
        let Some(running) = self.running.as_ref() else {
            return;
        };
        let params = running.params.clone();
        let map_error = running.map_error;
        let script = |at_ms: f64| at_ms / params.time_scale;
        match event {
            Event::Started { .. } => {} // see `apply`
            Event::Scheduled { id, state, at_ms } => {
                if let (Demo::FlagsAc, Some(cc)) = (params.demo, params.codes.get(id)) {
                    self.say(at_ms, scheduled_line(cc, id, state));
                }
            }
            Event::Submitted { at_ms } => {
                if params.demo == Demo::Loiter {
                    self.say(at_ms, results_line(params.collect, params.job_count()));
                    self.say(at_ms, WAITING_LINE.to_string());
                }
            }
            Event::JobStarted { id, slot, at_ms } => {
                let Some(row) = self.jobs.get_mut(id) else {
                    return;
                };
                row.status = JobStatus::Running;
                row.slot = Some(slot);
                row.start_ms = Some(script(at_ms));
                if let Some(delay) = params.delays.get(id) {
                    self.say(at_ms, delay.start_line());
                }
            }
            Event::JobEnded { id, outcome, at_ms } => {
                let Some(row) = self.jobs.get_mut(id) else {
                    return;
                };
                let ok = outcome.is_ok();
                row.status = if ok {
                    JobStatus::Finished
                } else {
                    JobStatus::Failed
                };
                row.end_ms = Some(script(at_ms));
                row.outcome = Some(outcome);
                if let Some(delay) = params.delays.get(id) {
                    self.say(at_ms, delay.end_line(ok));
                }
            }
            Event::JobCancelled { id, at_ms } => {
                if let Some(row) = self.jobs.get_mut(id) {
                    row.status = JobStatus::Cancelled;
                    row.end_ms = Some(script(at_ms));
                }
            }
            Event::Delivered { id, at_ms } => {
                if map_error.is_some() {
                    return;
                }
                let Some(row) = self.jobs.get_mut(id) else {
                    return;
                };
                row.delivered_ms = Some(script(at_ms));
                let Some(outcome) = row.outcome.clone() else {
                    return;
                };
                let line = match params.demo {
                    Demo::Loiter => result_line(id, &outcome),
                    Demo::FlagsAc => flag_result_line(&params.codes[id], id, &outcome),
                };
                if outcome.is_err() && params.collect == Collect::Map {
                    if let Some(running) = self.running.as_mut() {
                        running.map_error = Some(id);
                    }
                }
                self.say(at_ms, line);
            }
            Event::Finished { elapsed_ms } => self.finish(&params, elapsed_ms),
            Event::Cancelled {
                cancelled,
                abandoned,
                elapsed_ms,
            } => self.stop(&params, cancelled, abandoned, elapsed_ms),
            Event::Failed { reason } => {
                self.say(0.0, format!("Error: {reason}"));
                if let Some(running) = self.running.take() {
                    self.record(running, 0.0, RunOutcome::Failed);
                }
            }
        }
    }

    /// The `with` block is over: the flags footer, and the history row.
    fn finish(&mut self, params: &ExecutorsParams, elapsed_ms: f64) {
        let delivered = |ok: bool| {
            self.jobs
                .iter()
                .filter(|j| j.delivered_ms.is_some() && j.outcome.as_ref().is_some_and(|o| o.is_ok() == ok))
                .count()
        };
        let (ok, failed) = (delivered(true), delivered(false));
        if params.demo == Demo::FlagsAc {
            self.say(elapsed_ms, flags_footer(ok, elapsed_ms / 1000.0));
        }
        let Some(running) = self.running.take() else {
            return;
        };
        let outcome = match running.map_error {
            Some(result) => RunOutcome::StoppedAtError { result },
            None => RunOutcome::Completed { ok, failed },
        };
        self.record(running, elapsed_ms, outcome);
    }

    /// Stop: the cancelled and abandoned jobs, the Stop line, and the history row.
    fn stop(
        &mut self,
        params: &ExecutorsParams,
        cancelled: Vec<usize>,
        abandoned: Vec<usize>,
        elapsed_ms: f64,
    ) {
        let stopped = elapsed_ms / params.time_scale;
        self.stopped_ms = Some(stopped);
        for &id in &cancelled {
            if let Some(row) = self.jobs.get_mut(id) {
                row.status = JobStatus::Cancelled;
                row.end_ms.get_or_insert(stopped);
            }
        }
        for &id in &abandoned {
            if let Some(row) = self.jobs.get_mut(id) {
                row.status = JobStatus::Abandoned;
            }
        }
        let calls = |ids: &[usize]| -> Vec<String> {
            ids.iter().map(|&id| params.short_call(id)).collect()
        };
        self.say(
            elapsed_ms,
            stop_line(&calls(&cancelled), &calls(&abandoned)),
        );
        let Some(running) = self.running.take() else {
            return;
        };
        self.record(
            running,
            elapsed_ms,
            RunOutcome::Cancelled {
                cancelled: cancelled.len(),
                abandoned: abandoned.len(),
            },
        );
    }
}

impl LabSession for Session {
    type Event = Event;

    fn cancelled(elapsed_s: f64) -> Event {
        Event::Cancelled {
            cancelled: Vec::new(),
            abandoned: Vec::new(),
            elapsed_ms: elapsed_s * 1000.0,
        }
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Started { params, wall } => self.start(params, wall),
            event => self.apply_to_run(event),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::LabForm;
    use crate::labs::executors::form::ExecutorsForm;

    fn started() -> Session {
        let mut s = Session::default();
        s.apply(Event::Started {
            params: ExecutorsForm::default().validate().unwrap(),
            wall: WallClock::new(15, 56, 50, 0),
        });
        s
    }

    #[test]
    fn a_plain_stop_names_no_jobs_and_records_the_run() {
        let mut s = started();
        s.apply(Session::cancelled(0.25));
        assert!(!s.is_running());
        assert_eq!(
            s.transcript.last().unwrap(),
            "[15:56:50] Stop: cancelled 0 pending; abandoned 0 running."
        );
        assert_eq!(s.history[0].elapsed_s, 0.25);
        assert_eq!(s.history[0].cells()[8], "stopped: 0 cancelled, 0 abandoned");
    }

    #[test]
    fn a_run_that_cannot_start_says_why() {
        let mut s = started();
        s.apply(Event::Failed {
            reason: "service workers are blocked".into(),
        });
        assert!(!s.is_running());
        assert_eq!(
            s.transcript.last().unwrap(),
            "[15:56:50] Error: service workers are blocked"
        );
        assert_eq!(s.history[0].cells()[8], "error: could not start");
    }

    #[test]
    fn events_outside_a_run_are_ignored() {
        let mut s = Session::default();
        s.apply(Event::Delivered { id: 0, at_ms: 1.0 });
        s.apply(Event::Finished { elapsed_ms: 1.0 });
        assert_eq!(s, Session::default());
    }
}
