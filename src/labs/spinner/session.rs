//! The spinner lab's state across runs, driven by the events of its runs.

use super::form::SpinnerParams;
use super::history::HistoryRow;
use super::thread::ThreadReport;
use super::transcript::{
    Outcome, cancelled_line, spinner_object_line, thread_joined_line, thread_started_line,
};
use crate::labs::LabSession;
use crate::meter::FrameStats;

/// The lab's state across runs; the run dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    /// The spinner line being redrawn in place (the terminal's `\r`).
    pub live_line: Option<String>,
    pub running: Option<Running>,
    pub spinner_frames: u32,
    pub stats: FrameStats,
    /// The spinner thread's report, once the run joined it.
    pub thread: Option<ThreadReport>,
    pub history: Vec<HistoryRow>,
    pub runs_started: u32,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: SpinnerParams,
    /// Set once slow() returned; the meter is settling before the row is recorded.
    pub finished: Option<(Outcome, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Started(SpinnerParams),
    SpinnerFrame(String),
    /// The spinner thread drew its first frame, `first_frame_ms` after the run started it.
    ThreadStarted {
        first_frame_ms: f64,
    },
    /// `done.set()` and `join()`: what the spinner thread drew, and how long slow() blocked.
    ThreadJoined(ThreadReport),
    Stats(FrameStats),
    /// slow() returned after `elapsed_s`.
    Finished {
        outcome: Outcome,
        elapsed_s: f64,
    },
    /// The frame meter has seen the last frame and long task of the run.
    Settled(FrameStats),
    Cancelled {
        elapsed_s: f64,
    },
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    fn record(&mut self, run_no: u32, params: SpinnerParams, elapsed_s: f64, outcome: Outcome) {
        self.history.push(HistoryRow {
            run_no,
            params,
            elapsed_s,
            spinner_frames: self.spinner_frames,
            stats: self.stats.clone(),
            thread: self.thread.clone(),
            outcome,
        });
    }
}

impl LabSession for Session {
    type Event = Event;

    fn cancelled(elapsed_s: f64) -> Event {
        Event::Cancelled { elapsed_s }
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Started(params) => {
                self.runs_started += 1;
                self.transcript = vec![spinner_object_line(params.variant, self.runs_started)];
                self.live_line = None;
                self.spinner_frames = 0;
                self.stats = FrameStats::default();
                self.thread = None;
                self.running = Some(Running {
                    run_no: self.runs_started,
                    params,
                    finished: None,
                });
            }
            Event::SpinnerFrame(line) => {
                if self.running.as_ref().is_some_and(|r| r.finished.is_none()) {
                    self.spinner_frames += 1;
                    self.live_line = Some(line);
                }
            }
            Event::ThreadStarted { first_frame_ms } => {
                if self.running.is_some() {
                    self.transcript.push(thread_started_line(first_frame_ms));
                }
            }
            Event::ThreadJoined(report) => {
                if self.running.is_some() {
                    self.transcript.push(thread_joined_line(&report));
                    if let Ok(frames) = &report.joined {
                        self.spinner_frames = frames.drawn;
                    }
                    self.thread = Some(report);
                }
            }
            Event::Stats(stats) => self.stats = stats,
            Event::Finished { outcome, elapsed_s } => {
                if let Some(running) = self.running.as_mut() {
                    self.live_line = None;
                    self.transcript.push(outcome.transcript_line());
                    running.finished = Some((outcome, elapsed_s));
                }
            }
            Event::Settled(stats) => {
                self.stats = stats;
                if let Some(Running {
                    run_no,
                    params,
                    finished: Some((outcome, elapsed_s)),
                }) = self.running.take()
                {
                    self.record(run_no, params, elapsed_s, outcome);
                }
            }
            Event::Cancelled { elapsed_s } => {
                if let Some(Running {
                    run_no,
                    params,
                    finished,
                }) = self.running.take()
                {
                    self.live_line = None;
                    // Stop while the meter settled: slow() had already answered.
                    let (outcome, elapsed_s) = finished.unwrap_or_else(|| {
                        self.transcript
                            .push(cancelled_line(params.variant, elapsed_s));
                        (Outcome::Cancelled, elapsed_s)
                    });
                    self.record(run_no, params, elapsed_s, outcome);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::choices::Variant;
    use super::super::form::SpinnerForm;
    use super::*;
    use crate::labs::LabForm;

    fn params() -> SpinnerParams {
        SpinnerForm::default().validate().unwrap()
    }

    #[test]
    fn a_run_records_one_history_row() {
        let mut s = Session::default();
        s.apply(Event::Started(params()));
        s.apply(Event::SpinnerFrame("\\ thinking!".into()));
        s.apply(Event::SpinnerFrame("| thinking!".into()));
        assert_eq!(s.live_line.as_deref(), Some("| thinking!"));
        s.apply(Event::Finished {
            outcome: Outcome::Answer(42),
            elapsed_s: 3.01,
        });
        assert_eq!(s.live_line, None);
        assert!(s.is_running(), "still settling");
        s.apply(Event::SpinnerFrame("/ thinking!".into()));
        assert_eq!(s.spinner_frames, 2, "no frame after slow() returned");
        s.apply(Event::Settled(FrameStats {
            frames: 180,
            longest_gap_ms: 20.0,
            ..Default::default()
        }));
        assert!(!s.is_running());
        assert_eq!(s.transcript.last().unwrap(), "Answer: 42");
        assert_eq!(s.history.len(), 1);
        let cells = s.history[0].cells();
        assert_eq!(cells[0], "1");
        assert_eq!(cells[3], "3.01s");
        assert_eq!(cells[4], "2");
        assert_eq!(cells[5], "20 ms");
    }

    #[test]
    fn cancel_prints_a_line_and_records_the_run() {
        let mut s = Session::default();
        let mut p = params();
        p.variant = Variant::WorkerPrime;
        s.apply(Event::Started(p));
        s.apply(Session::cancelled(0.5));
        assert!(!s.is_running());
        assert!(
            s.transcript
                .last()
                .unwrap()
                .contains("worker was terminated after 0.50s")
        );
        assert_eq!(s.history[0].outcome, Outcome::Cancelled);
        // A second run starts a fresh transcript and numbers itself.
        s.apply(Event::Started(params()));
        assert_eq!(s.transcript.len(), 1);
        assert_eq!(s.running.as_ref().unwrap().run_no, 2);
    }

    #[test]
    fn stop_while_settling_keeps_the_answer() {
        let mut s = Session::default();
        s.apply(Event::Started(params()));
        s.apply(Event::Finished {
            outcome: Outcome::Answer(42),
            elapsed_s: 3.0,
        });
        s.apply(Event::Cancelled { elapsed_s: 3.1 });
        assert_eq!(s.history[0].outcome, Outcome::Answer(42));
        assert_eq!(s.transcript.last().unwrap(), "Answer: 42");
    }
}
