//! The rates lab's state across runs, driven by the events of its runs.

use super::form::RatesParams;
use super::history::HistoryRow;
use super::script::{lane_count, lane_name};
use super::timeline::Timeline;
use super::transcript::cancelled_line;
use crate::labs::LabSession;
use crate::meter::FrameStats;

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Every base printed, then the time.
    Completed,
    /// An exception ended the program (its line).
    Raised(String),
    /// `work_queue.join()` would wait forever for bases whose thread died.
    Hung { undone: usize },
    Cancelled,
    /// The run could not start (no shared memory, no workers…).
    Failed(String),
}

impl Outcome {
    /// The history table's outcome cell.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Completed => "completed".to_string(),
            Outcome::Raised(line) => {
                let name = line.split(':').next().unwrap_or_default();
                format!("raised {}", name.rsplit('.').next().unwrap_or(name))
            }
            Outcome::Hung { undone } => format!("would hang ({undone} undone)"),
            Outcome::Cancelled => "cancelled".to_string(),
            Outcome::Failed(_) => "could not run".to_string(),
        }
    }
}

/// The lab's state across runs; the run dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    pub running: Option<Running>,
    pub timeline: Timeline,
    pub stats: FrameStats,
    pub history: Vec<HistoryRow>,
    pub runs_started: u32,
    /// How long the current run took to start its threads (not counted in its time).
    pub startup_ms: f64,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: RatesParams,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Started(RatesParams),
    /// The script's threads are up after `startup_ms`; its clock starts now.
    Ready { startup_ms: f64 },
    /// The shared throttle gave request `item` its token.
    Granted { item: usize, lane: usize, at_ms: f64 },
    /// Request `item` went out from `lane`.
    Sent { item: usize, lane: usize, at_ms: f64 },
    Answered { item: usize, lane: usize, at_ms: f64, ok: bool },
    /// The exception of request `item` reached the main program.
    Raised { item: usize, at_ms: f64 },
    /// One line of the script's output.
    Print(String),
    Stats(FrameStats),
    Finished { outcome: Outcome, elapsed_s: f64, stats: FrameStats },
    Cancelled { elapsed_s: f64 },
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The run ends: its row in the history.
    fn record(&mut self, outcome: Outcome, elapsed_s: f64) {
        if let Some(Running { run_no, params }) = self.running.take() {
            self.history.push(HistoryRow {
                run_no,
                params,
                elapsed_s,
                startup_ms: self.startup_ms,
                stats: self.stats.clone(),
                outcome,
            });
        }
    }

    fn base(&self, item: usize) -> &'static str {
        self.running
            .as_ref()
            .and_then(|r| r.params.bases.get(item).copied())
            .unwrap_or("?")
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
                self.stats = FrameStats::default();
                self.startup_ms = 0.0;
                let lanes = (0..lane_count(&params)).map(|l| lane_name(&params, l)).collect();
                self.timeline = Timeline::new(lanes);
                self.running = Some(Running {
                    run_no: self.runs_started,
                    params,
                });
            }
            Event::Ready { startup_ms } => self.startup_ms = startup_ms,
            Event::Granted { item, at_ms, .. } => self.timeline.granted(item, at_ms),
            Event::Sent { item, lane, at_ms } => {
                let base = self.base(item);
                self.timeline.sent(item, lane, base, at_ms);
            }
            Event::Answered { item, at_ms, ok, .. } => self.timeline.answered(item, at_ms, ok),
            Event::Raised { item, at_ms } => self.timeline.raised(item, at_ms),
            Event::Print(line) => self.transcript.push(line),
            Event::Stats(stats) => self.stats = stats,
            Event::Finished {
                outcome,
                elapsed_s,
                stats,
            } => {
                self.stats = stats;
                self.record(outcome, elapsed_s);
            }
            Event::Cancelled { elapsed_s } => {
                if let Some(running) = &self.running {
                    let line = cancelled_line(elapsed_s, running.params.worker_count());
                    self.transcript.push(line);
                }
                self.record(Outcome::Cancelled, elapsed_s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::form::RatesForm;
    use super::*;
    use crate::labs::LabForm;

    #[test]
    fn stop_prints_a_line_records_the_run_and_ignores_late_events() {
        let mut s = Session::default();
        s.apply(Event::Started(RatesForm::default().validate().unwrap()));
        assert_eq!(s.timeline.lanes, ["Thread-1", "Thread-2", "Thread-3", "Thread-4"]);
        s.apply(Event::Ready { startup_ms: 80.0 });
        s.apply(Event::Sent { item: 1, lane: 0, at_ms: 2.0 });
        s.apply(Session::cancelled(0.4));
        assert!(!s.is_running());
        assert_eq!(
            s.transcript,
            ["KeyboardInterrupt — stopped after 0.40s: 4 workers terminated, every request aborted."]
        );
        let row = &s.history[0];
        assert_eq!((row.outcome.clone(), row.startup_ms), (Outcome::Cancelled, 80.0));
        assert_eq!(row.cells()[4], "80 ms");
        // A message still in flight when Stop came changes nothing.
        s.apply(Event::Print("1 USD = …".to_string()));
        s.apply(Event::Answered { item: 1, lane: 0, at_ms: 300.0, ok: true });
        assert_eq!(s.transcript.len(), 1);
        assert_eq!(s.timeline.bars[0].end_ms, None);
        assert_eq!(s.history.len(), 1);
    }
}
