//! The CPU lab's state across runs, driven by the events of its runs.

use super::choices::Mode;
use super::form::CpuParams;
use super::history::HistoryRow;
use super::table::{PoolRun, TableRow, table_rows};
use super::timeline::Timeline;
use crate::pyfmt::keyboard_interrupt_line;
use crate::labs::LabSession;
use crate::runtime::beat::PAGE_BEAT_MS;

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Completed,
    Cancelled,
    /// A worker failed or a job's check failed.
    Failed(String),
}

/// The lab's state across runs; the run dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    pub running: Option<Running>,
    pub runs_started: u32,
    /// The seed the last run made its data from (type it into Seed to repeat).
    pub seed: Option<u64>,
    /// The pools of the last table run, for the table (kept when a pool run follows).
    pub table: Option<(CpuParams, Vec<PoolRun>)>,
    /// Every pool run, finished or stopped, oldest first.
    pub history: Vec<HistoryRow>,
    pub outcome: Option<Outcome>,
    pub last_params: Option<CpuParams>,
    /// The current (or last) pool's jobs, one lane per worker.
    pub timeline: Timeline,
    /// When the current pool started, on the run's clock (the timeline's zero).
    pub pool_clock_ms: f64,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: CpuParams,
    /// The pool now running: its size.
    pub workers: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Started(CpuParams),
    /// The data of this run comes from `seed`.
    Seeded(u64),
    /// A pool of `workers` is starting, `at_ms` into the run.
    PoolStarting { workers: usize, at_ms: f64 },
    /// `worker` was handed job `index` of `size` bytes, `at_ms` after its pool started.
    JobSent {
        worker: usize,
        index: usize,
        size: usize,
        at_ms: f64,
    },
    /// `worker`'s job `index` came back, `at_ms` after its pool started.
    JobDone {
        worker: usize,
        index: usize,
        at_ms: f64,
    },
    /// One line of the script's output.
    Print(String),
    /// A pool's last result is in.
    PoolDone(PoolRun),
    Finished(Outcome),
    Cancelled { elapsed_s: f64 },
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The table to show: the running table run's rows so far, or the last table run's.
    pub fn table_rows(&self) -> Option<(CpuParams, Vec<TableRow>)> {
        let (params, pools) = self.table.as_ref()?;
        Some((params.clone(), table_rows(pools, params.workload)))
    }

    fn end(&mut self, outcome: Outcome) {
        self.running = None;
        self.outcome = Some(outcome);
    }
}

impl LabSession for Session {
    type Event = Event;
    // Jobs end every few ms on every core; the page draws their results on its beat.
    const UPDATE_EVERY_MS: u32 = PAGE_BEAT_MS;

    fn cancelled(elapsed_s: f64) -> Event {
        Event::Cancelled { elapsed_s }
    }

    fn apply(&mut self, event: Event) {
        if !self.is_running() && !matches!(event, Event::Started(_)) {
            return; // a late event from a run that was stopped
        }
        match event {
            Event::Started(params) => {
                self.runs_started += 1;
                self.transcript.clear();
                self.seed = None;
                self.outcome = None;
                self.last_params = Some(params.clone());
                if params.mode == Mode::Table {
                    self.table = Some((params.clone(), Vec::new()));
                }
                self.running = Some(Running {
                    run_no: self.runs_started,
                    workers: 0,
                    params,
                });
            }
            Event::Seeded(seed) => self.seed = Some(seed),
            Event::PoolStarting { workers, at_ms } => {
                if let Some(running) = &mut self.running {
                    running.workers = workers;
                }
                self.timeline = Timeline::new(workers);
                self.pool_clock_ms = at_ms;
            }
            Event::JobSent {
                worker,
                index,
                size,
                at_ms,
            } => self.timeline.start(worker, index, size, at_ms),
            Event::JobDone {
                worker,
                index,
                at_ms,
            } => self.timeline.finish(worker, index, at_ms),
            Event::Print(line) => self.transcript.push(line),
            Event::PoolDone(pool) => {
                let Some(Running { run_no, params, .. }) = &self.running else {
                    return;
                };
                match params.mode {
                    Mode::Table => {
                        if let Some((_, pools)) = &mut self.table {
                            pools.push(pool);
                        }
                    }
                    Mode::Pool => self.history.push(HistoryRow::Done {
                        run_no: *run_no,
                        params: params.clone(),
                        pool,
                    }),
                }
            }
            Event::Finished(outcome) => self.end(outcome),
            Event::Cancelled { elapsed_s } => {
                if let Some(Running {
                    run_no,
                    params,
                    workers,
                }) = &self.running
                {
                    self.transcript.push(keyboard_interrupt_line(elapsed_s, *workers));
                    if params.mode == Mode::Pool {
                        self.history.push(HistoryRow::Stopped {
                            run_no: *run_no,
                            params: params.clone(),
                            after_s: elapsed_s,
                        });
                    }
                }
                self.end(Outcome::Cancelled);
            }
        }
    }
}
