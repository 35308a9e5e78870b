//! The primes lab's state across runs, driven by the events of its runs.

use super::choices::Mode;
use super::dispatcher::{CheckResult, SubmissionOrder};
use super::form::PrimesParams;
use super::history::{HistoryRow, Outcome};
use super::sweep::{SWEEP_TABLE_HEADER, SweepRow, best_row, sweep_footer, sweep_rows};
use super::timeline::Timeline;
use super::transcript::{checks_line, header, result_line, sweep_run_line, total_time_line};
use crate::labs::LabSession;
use crate::meter::FrameStats;
use crate::runtime::beat::PAGE_BEAT_MS;
use crate::text::seconds_2;

/// The lab's state across runs; the run dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    /// The current (or last) run's timeline; for sweep, the current sweep run's.
    pub timeline: Timeline,
    /// Where the timeline's clock starts, in ms after the run started: bar times count
    /// from here (for sweep, from the current sweep run's start).
    pub timeline_clock_ms: f64,
    /// The current (or last) run's answers in completion order; for sweep, the current sweep run's.
    pub results: Vec<CheckResult>,
    /// The last sweep's (N, elapsed) samples; empty for other modes.
    pub sweep_samples: Vec<(usize, f64)>,
    /// What the frame meter saw during the current (or last) run.
    pub stats: FrameStats,
    pub running: Option<Running>,
    pub history: Vec<HistoryRow>,
    pub runs_started: u32,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: PrimesParams,
    /// pool-map's submission-order buffer.
    pub in_order: Option<SubmissionOrder>,
    /// The sweep run in progress: (N, run).
    pub sweep_step: Option<(usize, u32)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Started(PrimesParams),
    /// The timeline's clock starts `at_ms` after the run started: once the header is on
    /// screen, and again as each sweep run starts.
    TimelineClock {
        at_ms: f64,
    },
    /// `worker` was handed `n` (`at_ms` on the timeline's clock).
    Dispatched {
        worker: usize,
        n: u64,
        at_ms: f64,
    },
    /// An answer, as returned by `Dispatcher::on_result`.
    Checked {
        result: CheckResult,
        at_ms: f64,
    },
    /// Sweep: a fresh pool of `n` workers starts run `run` (from 1).
    SweepRunStarted {
        n: usize,
        run: u32,
    },
    /// Sweep: that run's end markers are all in.
    SweepRunFinished {
        elapsed_s: f64,
    },
    /// All done (for sweep, after the last run).
    Finished {
        elapsed_s: f64,
    },
    /// Stop: every worker was terminated.
    Cancelled {
        elapsed_s: f64,
    },
    /// A worker errored or broke the protocol; the run ended its pool.
    WorkerFailed {
        worker: usize,
        reason: String,
        elapsed_s: f64,
    },
    /// The frame meter's readings so far.
    Stats(FrameStats),
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The last sweep's table, one row per N.
    pub fn sweep_rows(&self) -> Vec<SweepRow> {
        sweep_rows(&self.sweep_samples)
    }

    /// The parameters of the run in progress, or of the last one.
    pub fn shown_params(&self) -> Option<&PrimesParams> {
        match (&self.running, self.history.last()) {
            (Some(running), _) => Some(&running.params),
            (None, Some(row)) => Some(&row.params),
            (None, None) => None,
        }
    }

    /// (answered, total) of the run in progress or the last one (for sweep: sweep runs).
    pub fn progress(&self) -> (usize, usize) {
        let Some(params) = self.shown_params() else {
            return (0, 0);
        };
        match params.sweep {
            Some(plan) => (self.sweep_samples.len(), plan.len()),
            None => (self.results.len(), params.numbers.len()),
        }
    }

    /// `7 of 20 checked; all workers terminated.`
    fn stop_summary(&self, running: &Running) -> String {
        let params = &running.params;
        let done = match (params.sweep, running.sweep_step) {
            (Some(plan), Some((n, run))) => {
                format!(
                    "{} of {} sweep runs done, stopped during N = {n}, run {run}",
                    self.sweep_samples.len(),
                    plan.len()
                )
            }
            (Some(plan), None) => format!(
                "{} of {} sweep runs done",
                self.sweep_samples.len(),
                plan.len()
            ),
            (None, _) => format!("{} of {} checked", self.results.len(), params.numbers.len()),
        };
        if params.mode == Mode::SequentialMain {
            format!("{done}.")
        } else {
            format!("{done}; all workers terminated.")
        }
    }

    fn record(&mut self, running: Running, elapsed_s: f64, outcome: Outcome) {
        let sweep = running.params.sweep.is_some();
        self.history.push(HistoryRow {
            run_no: running.run_no,
            checked: if sweep {
                self.sweep_samples.len()
            } else {
                self.results.len()
            },
            primes: if sweep {
                0
            } else {
                self.results.iter().filter(|r| r.prime).count()
            },
            best: if sweep {
                best_row(&self.sweep_rows())
            } else {
                None
            },
            params: running.params,
            elapsed_s,
            outcome,
        });
    }
}

impl LabSession for Session {
    type Event = Event;
    // The workers have every core; the page draws their answers on its beat, 4 times a second.
    const UPDATE_EVERY_MS: u32 = PAGE_BEAT_MS;

    fn cancelled(elapsed_s: f64) -> Event {
        Event::Cancelled { elapsed_s }
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Started(params) => {
                self.runs_started += 1;
                self.transcript = vec![header(&params)];
                self.timeline = Timeline::new(if params.mode == Mode::Sweep {
                    1
                } else {
                    params.workers
                });
                self.timeline_clock_ms = 0.0;
                self.results.clear();
                self.sweep_samples.clear();
                self.stats = FrameStats::default();
                let in_order = (params.mode == Mode::PoolMap)
                    .then(|| SubmissionOrder::new(params.numbers.len()));
                self.running = Some(Running {
                    run_no: self.runs_started,
                    params,
                    in_order,
                    sweep_step: None,
                });
            }
            Event::TimelineClock { at_ms } => {
                if self.running.is_some() {
                    self.timeline_clock_ms = at_ms;
                }
            }
            Event::Dispatched { worker, n, at_ms } => {
                if self.running.is_some() {
                    self.timeline.start(worker, n, at_ms);
                }
            }
            Event::Checked { result, at_ms } => {
                let Some(running) = self.running.as_mut() else {
                    return;
                };
                self.timeline.finish(
                    result.worker,
                    result.n,
                    result.prime,
                    result.elapsed_s,
                    at_ms,
                );
                self.results.push(result);
                let released = match (running.params.mode, running.in_order.as_mut()) {
                    (Mode::Sweep, _) => Vec::new(),
                    (_, Some(in_order)) => in_order.push(result),
                    (_, None) => vec![result],
                };
                self.transcript.extend(
                    released
                        .iter()
                        .map(|r| result_line(r.n, r.prime, r.elapsed_s)),
                );
            }
            Event::SweepRunStarted { n, run } => {
                if let Some(running) = self.running.as_mut() {
                    running.sweep_step = Some((n, run));
                    self.timeline = Timeline::new(n);
                    self.results.clear();
                }
            }
            Event::SweepRunFinished { elapsed_s } => {
                let Some(running) = self.running.as_mut() else {
                    return;
                };
                if let (Some((n, run)), Some(plan)) =
                    (running.sweep_step.take(), running.params.sweep)
                {
                    self.sweep_samples.push((n, elapsed_s));
                    self.transcript.push(sweep_run_line(
                        n,
                        run,
                        plan.runs,
                        self.results.len(),
                        elapsed_s,
                    ));
                }
            }
            Event::Finished { elapsed_s } => {
                let Some(running) = self.running.take() else {
                    return;
                };
                match running.params.mode {
                    Mode::Procs | Mode::Threads => self
                        .transcript
                        .push(checks_line(self.results.len(), elapsed_s)),
                    Mode::Sweep => {
                        let rows = self.sweep_rows();
                        self.transcript.push(SWEEP_TABLE_HEADER.to_string());
                        self.transcript.extend(rows.iter().map(SweepRow::line));
                        self.transcript.push(sweep_footer(&rows, elapsed_s));
                    }
                    _ => self.transcript.push(total_time_line(elapsed_s)),
                }
                self.record(running, elapsed_s, Outcome::Completed);
            }
            Event::Cancelled { elapsed_s } => {
                let Some(running) = self.running.take() else {
                    return;
                };
                let line = format!(
                    "Cancelled after {}: {}",
                    seconds_2(elapsed_s),
                    self.stop_summary(&running)
                );
                self.transcript.push(line);
                self.record(running, elapsed_s, Outcome::Cancelled);
            }
            Event::WorkerFailed {
                worker,
                reason,
                elapsed_s,
            } => {
                let Some(running) = self.running.take() else {
                    return;
                };
                self.transcript
                    .push(format!("Worker {} failed: {reason}", worker + 1));
                let line = format!(
                    "Stopped after {}: {}",
                    seconds_2(elapsed_s),
                    self.stop_summary(&running)
                );
                self.transcript.push(line);
                self.record(running, elapsed_s, Outcome::Failed { worker, reason });
            }
            // Also after Finished: the meter settles once the checks are done.
            Event::Stats(stats) => self.stats = stats,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::choices::Preset;
    use super::super::dispatcher::tests::{Lcg, result, verdict};
    use super::super::dispatcher::{Commands, Dispatcher};
    use super::super::form::Field;
    use super::super::form::tests::form;
    use super::super::numbers::BOOK;
    use super::super::timeline::Check;
    use super::*;
    use crate::labs::LabForm;
    use crate::prime::BOOK_NUMBERS;
    use crate::timeline::BarItem;
    use crate::worker_protocol::ToWorker;

    fn params(mode: &str, workers: &str, numbers: &str) -> PrimesParams {
        form(&[
            (Field::Mode, mode),
            (Field::Workers, workers),
            (Field::Numbers, numbers),
        ])
        .validate()
        .unwrap()
    }

    /// Runs a whole session with a simulated pool, feeding Dispatched/Checked events.
    fn run_pool(session: &mut Session, p: &PrimesParams, seed: u64) -> Dispatcher {
        let jobs = p.job_order();
        let mut d = Dispatcher::new(&jobs, p.workers);
        let mut rng = Lcg(seed);
        let mut now = 0.0;
        let mut pending: Vec<Option<ToWorker>> = vec![None; p.workers];
        let post = |cmds: Commands,
                    session: &mut Session,
                    pending: &mut Vec<Option<ToWorker>>,
                    now: f64| {
            for (w, cmd) in cmds {
                if let ToWorker::Check(n) = cmd {
                    session.apply(Event::Dispatched {
                        worker: w,
                        n,
                        at_ms: now,
                    });
                }
                pending[w] = Some(cmd);
            }
        };
        post(d.start(), session, &mut pending, now);
        while pending.iter().any(Option::is_some) {
            now += 10.0;
            let busy: Vec<usize> = (0..p.workers).filter(|&w| pending[w].is_some()).collect();
            let w = busy[rng.below(busy.len())];
            match pending[w].take().unwrap() {
                ToWorker::Check(n) => {
                    let (result, cmds) = d.on_result(w, n, verdict(n), 0.01).unwrap();
                    session.apply(Event::Checked { result, at_ms: now });
                    post(cmds, session, &mut pending, now);
                }
                ToWorker::End => d.on_finished(w).unwrap(),
                other => panic!("the dispatcher never sends {other:?}"),
            }
        }
        d
    }

    #[test]
    fn procs_prints_in_completion_order() {
        let mut s = Session::default();
        let p = params("procs", "4", &Preset::Book.text());
        s.apply(Event::Started(p.clone()));
        assert_eq!(s.transcript, ["Checking 20 numbers with 4 workers:"]);
        let d = run_pool(&mut s, &p, 3);
        s.apply(Event::Finished { elapsed_s: 9.578 });
        assert_eq!(s.transcript.len(), 22);
        let expected: Vec<String> = d
            .results()
            .iter()
            .map(|r| result_line(r.n, r.prime, r.elapsed_s))
            .collect();
        assert_eq!(s.transcript[1..21], expected[..]);
        assert_eq!(s.transcript[21], "20 checks in 9.58s");
        assert_eq!(s.timeline.lanes, 4);
        assert_eq!(s.timeline.bars.len(), 20);
        assert!(
            s.timeline
                .bars
                .iter()
                .all(|b| b.end_ms.is_some() && b.lane < 4)
        );
        assert_eq!(
            s.timeline
                .bars
                .iter()
                .filter(|b| b.item.class() == "prime")
                .count(),
            9
        );
        let row = &s.history[0];
        assert_eq!(
            row.cells(),
            [
                "1",
                "procs",
                "4",
                "20 (book)",
                "9.58s",
                "20 checked, 9 prime"
            ]
        );
        assert_eq!(s.progress(), (20, 20));
    }

    #[test]
    fn pool_map_prints_in_submission_order() {
        let mut s = Session::default();
        let p = params("pool-map", "3", &BOOK.map(|n| n.to_string()).join("\n"));
        s.apply(Event::Started(p.clone()));
        // Hold back the first job: results for later jobs stay buffered.
        let jobs = p.job_order();
        let late = CheckResult {
            job: 1,
            order: 0,
            worker: 1,
            n: jobs[1],
            prime: false,
            elapsed_s: 0.0,
        };
        s.apply(Event::Dispatched {
            worker: 1,
            n: jobs[1],
            at_ms: 0.0,
        });
        s.apply(Event::Checked {
            result: late,
            at_ms: 1.0,
        });
        assert_eq!(s.transcript.len(), 1, "held back by job 0");
        assert_eq!(
            s.timeline.bars.len(),
            1,
            "the timeline runs ahead of the transcript"
        );

        let mut s = Session::default();
        s.apply(Event::Started(p.clone()));
        run_pool(&mut s, &p, 11);
        s.apply(Event::Finished { elapsed_s: 10.0 });
        let lines: Vec<String> = jobs
            .iter()
            .map(|&n| result_line(n, BOOK_NUMBERS.iter().any(|&(m, pr)| m == n && pr), 0.01))
            .collect();
        assert_eq!(s.transcript[1..21], lines[..]);
        assert_eq!(s.transcript.last().unwrap(), "Total time: 10.00s");
        assert!(
            s.transcript[1].starts_with("9999999999999999 "),
            "largest first"
        );
    }

    #[test]
    fn sequential_runs_print_in_list_order() {
        for mode in ["sequential-main", "sequential-worker"] {
            let mut s = Session::default();
            let p = params(mode, "8", "2\n4\n3");
            assert_eq!(p.workers, 1);
            s.apply(Event::Started(p.clone()));
            run_pool(&mut s, &p, 5);
            s.apply(Event::Finished { elapsed_s: 0.001 });
            assert_eq!(
                s.transcript,
                [
                    "Checking 3 numbers sequentially:",
                    "               2  P  0.010000s",
                    "               4     0.010000s",
                    "               3  P  0.010000s",
                    "Total time: 0.00s",
                ]
            );
            assert_eq!(s.timeline.lanes, 1);
            let workers_cell = &s.history[0].cells()[2];
            assert_eq!(
                workers_cell,
                if mode == "sequential-main" {
                    "main thread"
                } else {
                    "1"
                }
            );
        }
    }

    #[test]
    fn cancel_and_failure_end_the_run_cleanly() {
        let mut s = Session::default();
        let p = params("procs", "2", &Preset::Book.text());
        s.apply(Event::Started(p.clone()));
        for (job, &n) in BOOK.iter().take(7).enumerate() {
            s.apply(Event::Dispatched {
                worker: job % 2,
                n,
                at_ms: job as f64,
            });
            let result = CheckResult {
                job,
                order: job,
                worker: job % 2,
                n,
                prime: verdict(n),
                elapsed_s: 0.1,
            };
            s.apply(Event::Checked {
                result,
                at_ms: job as f64 + 0.5,
            });
        }
        s.apply(Event::Dispatched {
            worker: 0,
            n: BOOK[7],
            at_ms: 8.0,
        });
        assert_eq!(s.timeline.bars.last().unwrap().item.class(), "running");
        assert!(
            Check::title(s.timeline.bars.last().unwrap(), 1008.0)
                .ends_with("checking, 1.000s so far")
        );
        s.apply(Event::Cancelled { elapsed_s: 1.234 });
        assert!(!s.is_running());
        assert_eq!(
            s.transcript.last().unwrap(),
            "Cancelled after 1.23s: 7 of 20 checked; all workers terminated."
        );
        assert_eq!(s.history[0].outcome, Outcome::Cancelled);
        assert_eq!(s.history[0].cells()[5], "cancelled: 7 of 20 checked");
        // Late messages after Stop change nothing.
        s.apply(Event::Finished { elapsed_s: 2.0 });
        assert_eq!(s.history.len(), 1);

        s.apply(Event::Started(p));
        assert_eq!(s.transcript.len(), 1, "a new run starts a fresh transcript");
        assert!(s.timeline.bars.is_empty());
        let result = CheckResult {
            job: 0,
            order: 0,
            worker: 1,
            n: 2,
            prime: true,
            elapsed_s: 0.0,
        };
        s.apply(Event::Checked { result, at_ms: 5.0 });
        s.apply(Event::WorkerFailed {
            worker: 1,
            reason: "RuntimeError: unreachable".into(),
            elapsed_s: 0.5,
        });
        assert_eq!(
            s.transcript[2..],
            [
                "Worker 2 failed: RuntimeError: unreachable",
                "Stopped after 0.50s: 1 of 20 checked; all workers terminated."
            ]
        );
        assert_eq!(s.history[1].cells()[5], "worker 2 failed");
        assert_eq!(s.history[1].run_no, 2);
        assert_eq!(
            s.timeline.bars[0].start_ms, 5.0,
            "a bar without its start is drawn from its time"
        );
    }

    #[test]
    fn sweep_session_collects_medians() {
        let mut s = Session::default();
        let p = form(&[
            (Field::Mode, "sweep"),
            (Field::RunsPerN, "2"),
            (Field::MaxN, "2"),
            (Field::Numbers, "2, 3"),
        ])
        .validate()
        .unwrap();
        s.apply(Event::Started(p.clone()));
        assert_eq!(
            s.transcript[0],
            "Sweep: N = 1 to 2, 2 runs each, 2 numbers per run:"
        );
        let plan = p.sweep.unwrap();
        for (i, (n, run)) in plan.steps().into_iter().enumerate() {
            s.apply(Event::SweepRunStarted { n, run });
            assert_eq!(s.timeline.lanes, n);
            for (job, &num) in p.numbers.iter().enumerate() {
                let result = CheckResult {
                    job,
                    order: job,
                    worker: job % n,
                    n: num,
                    prime: true,
                    elapsed_s: 0.1,
                };
                s.apply(Event::Dispatched {
                    worker: job % n,
                    n: num,
                    at_ms: 0.0,
                });
                s.apply(Event::Checked {
                    result,
                    at_ms: 100.0,
                });
            }
            s.apply(Event::SweepRunFinished {
                elapsed_s: if n == 1 { 2.0 + i as f64 } else { 1.0 },
            });
            assert_eq!(s.progress(), (i + 1, 4));
        }
        s.apply(Event::Finished { elapsed_s: 7.0 });
        assert_eq!(
            s.transcript,
            [
                "Sweep: N = 1 to 2, 2 runs each, 2 numbers per run:",
                "N =  1, run 1 of 2: 2 checks in 2.00s",
                "N =  1, run 2 of 2: 2 checks in 3.00s",
                "N =  2, run 1 of 2: 2 checks in 1.00s",
                "N =  2, run 2 of 2: 2 checks in 1.00s",
                SWEEP_TABLE_HEADER,
                "  1     2     2.500s    1.00×",
                "  2     2     1.000s    2.50×",
                "Sweep done in 7.00s: fastest median 1.000s at N = 2 (2.50× N = 1).",
            ]
        );
        assert_eq!(
            s.history[0].cells(),
            [
                "1",
                "sweep",
                "1–2 ×2",
                "2",
                "7.00s",
                "fastest: N = 2 in 1.000s"
            ]
        );

        // Stopped mid-sweep: the finished runs stay for the chart.
        s.apply(Event::Started(p));
        s.apply(Event::SweepRunStarted { n: 1, run: 1 });
        s.apply(Event::SweepRunFinished { elapsed_s: 2.0 });
        s.apply(Event::SweepRunStarted { n: 1, run: 2 });
        s.apply(Event::Cancelled { elapsed_s: 2.5 });
        assert_eq!(
            s.transcript.last().unwrap(),
            "Cancelled after 2.50s: 1 of 4 sweep runs done, stopped during N = 1, run 2; all workers terminated."
        );
        assert_eq!(s.sweep_rows().len(), 1);
        assert_eq!(s.history[1].cells()[5], "cancelled: 1 of 4 runs");
    }

    #[test]
    fn events_outside_a_run_are_ignored() {
        let mut s = Session::default();
        s.apply(Event::Dispatched {
            worker: 0,
            n: 2,
            at_ms: 0.0,
        });
        s.apply(Event::Checked {
            result: result(0, 2),
            at_ms: 0.0,
        });
        s.apply(Event::Cancelled { elapsed_s: 1.0 });
        assert_eq!(s, Session::default());
        assert_eq!(s.progress(), (0, 0));
    }

    #[test]
    fn the_meter_and_the_timeline_clock_follow_the_run() {
        let mut s = Session::default();
        s.apply(Event::TimelineClock { at_ms: 16.0 });
        assert_eq!(s.timeline_clock_ms, 0.0, "ignored outside a run");
        let p = params("procs", "2", "2 3");
        s.apply(Event::Started(p.clone()));
        s.apply(Event::TimelineClock { at_ms: 16.0 });
        assert_eq!(s.timeline_clock_ms, 16.0);
        s.apply(Event::Finished { elapsed_s: 0.1 });
        s.apply(Event::Stats(FrameStats {
            frames: 12,
            ..Default::default()
        }));
        assert_eq!(s.stats.frames, 12, "the meter settles after the run");
        s.apply(Event::Started(p));
        assert_eq!((s.stats.frames, s.timeline_clock_ms), (0, 0.0));
    }
}
