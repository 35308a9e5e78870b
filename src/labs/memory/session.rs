//! The memory lab's state across runs, driven by the events of its runs.

use super::form::MemoryParams;
use super::choices::Demo;
use super::history::{HistoryRow, VisitsRow};
use crate::pyfmt::keyboard_interrupt_line;
use super::visits::Tally;
use crate::labs::LabSession;
use crate::meter::FrameStats;

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Completed,
    Cancelled,
    /// The run could not go on (no shared memory, a worker failed…).
    Failed(String),
}

/// The lab's state across runs; the run dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    pub running: Option<Running>,
    pub runs_started: u32,
    /// How long the current run took to start its workers (not counted in its time).
    pub startup_ms: f64,
    /// The last `thread_visits` count, for the visual.
    pub last_visits: Option<VisitsRow>,
    /// Every `thread_visits` run, counted or stopped, oldest first.
    pub history: Vec<HistoryRow>,
    /// The seed the last random run drew its sleeps from (type it into Seed to repeat).
    pub seed: Option<u64>,
    pub stats: FrameStats,
    /// How the last run ended.
    pub outcome: Option<Outcome>,
    /// The parameters of the last run started.
    pub last_params: Option<MemoryParams>,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: MemoryParams,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Started(MemoryParams),
    /// The run's workers are up after `startup_ms`.
    Ready { startup_ms: f64 },
    /// One line of the script's output.
    Print(String),
    /// `thread_visits` counted: `elapsed_ms` from the release to the last worker's end.
    Counted { tally: Tally, elapsed_ms: f64 },
    /// The random numbers of this run come from `seed`.
    Seeded(u64),
    Stats(FrameStats),
    Finished { outcome: Outcome, stats: FrameStats },
    Cancelled { elapsed_s: f64 },
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    fn end(&mut self, outcome: Outcome) {
        self.running = None;
        self.outcome = Some(outcome);
    }
}

impl LabSession for Session {
    type Event = Event;

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
                self.startup_ms = 0.0;
                self.seed = None;
                self.outcome = None;
                self.stats = FrameStats::default();
                self.last_params = Some(params.clone());
                self.running = Some(Running {
                    run_no: self.runs_started,
                    params,
                });
            }
            Event::Ready { startup_ms } => self.startup_ms = startup_ms,
            Event::Print(line) => self.transcript.push(line),
            Event::Counted { tally, elapsed_ms } => {
                if let Some(Running { run_no, params }) = &self.running {
                    let row = VisitsRow {
                        run_no: *run_no,
                        workers: params.workers,
                        increments: params.increments,
                        update: params.update,
                        tally,
                        elapsed_ms,
                    };
                    self.history.push(HistoryRow::Counted(row.clone()));
                    self.last_visits = Some(row);
                }
            }
            Event::Seeded(seed) => self.seed = Some(seed),
            Event::Stats(stats) => self.stats = stats,
            Event::Finished { outcome, stats } => {
                self.stats = stats;
                self.end(outcome);
            }
            Event::Cancelled { elapsed_s } => {
                if let Some(Running { run_no, params }) = &self.running {
                    let line = keyboard_interrupt_line(elapsed_s, params.worker_count());
                    self.transcript.push(line);
                    if params.demo == Demo::ThreadVisits {
                        self.history.push(HistoryRow::Stopped {
                            run_no: *run_no,
                            workers: params.workers,
                            increments: params.increments,
                            update: params.update,
                            after_s: elapsed_s,
                        });
                    }
                }
                self.end(Outcome::Cancelled);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::form::MemoryForm;
    use super::*;
    use crate::labs::LabForm;

    #[test]
    fn a_count_makes_a_history_row_and_stop_ignores_late_events() {
        let mut s = Session::default();
        let params = MemoryForm::default().validate().unwrap();
        s.apply(Event::Started(params.clone()));
        s.apply(Event::Print("thread_count=100, thread_visits=7234223".into()));
        s.apply(Event::Counted {
            tally: Tally::new(100, 100_000, 7_234_223),
            elapsed_ms: 900.0,
        });
        s.apply(Event::Finished {
            outcome: Outcome::Completed,
            stats: FrameStats::default(),
        });
        assert!(!s.is_running());
        assert_eq!(s.history.len(), 1);
        assert_eq!(s.last_visits.as_ref().unwrap().tally.lost(), 2_765_777);

        s.apply(Event::Started(params));
        assert!(s.transcript.is_empty());
        s.apply(Session::cancelled(0.5));
        assert_eq!(
            s.transcript,
            ["KeyboardInterrupt — stopped after 0.50s, 100 workers terminated."]
        );
        assert_eq!(s.outcome, Some(Outcome::Cancelled));
        // A message still in flight when Stop came changes nothing.
        s.apply(Event::Print("late".into()));
        s.apply(Event::Counted {
            tally: Tally::new(1, 1, 1),
            elapsed_ms: 1.0,
        });
        assert_eq!((s.transcript.len(), s.history.len()), (1, 2));
        assert!(matches!(s.history[1], HistoryRow::Stopped { run_no: 2, after_s: 0.5, .. }));
    }
}
