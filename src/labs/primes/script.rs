//! The primes lab's run: sequential.py on the calling thread, procs.py and proc_pool.py
//! with a pool of workers fed by the poison-pill [`Dispatcher`], or the Figure 19-2 sweep
//! of fresh pools. A plain future over the runtime's ports: in the page they are the
//! browser's, in the tests a virtual clock's.

use futures::StreamExt;

use super::choices::Mode;
use super::dispatcher::{Commands, Dispatcher};
use super::form::PrimesParams;
use super::session::Event;
use super::sweep::SweepPlan;
use crate::meter::Pace;
use crate::runtime::beat::PAGE_BEAT_MS;
use crate::prime::is_prime;
use crate::runtime::ports::{Emit, Meter, Meters, Pool, Time, WorkerEvent, Workers};
use crate::worker_protocol::{FromWorker, ToWorker};

/// Why a run ended early: the worker (from 0) and what went wrong.
type Failure = (usize, String);

/// One run, from `Started` to the meter's last reading.
pub async fn run<R>(params: PrimesParams, rt: R, emit: Emit<Event>)
where
    R: Time + Workers + Meters,
{
    let run_started = rt.now_ms();
    emit(Event::Started(params.clone()));
    // Sampled on the page's beat, with the session's updates: one frame a beat.
    let meter = rt.meter_for(&emit, Pace::Sampled { every_ms: PAGE_BEAT_MS.into() }, Event::Stats);
    // Show the header line before sequential-main freezes the page.
    rt.next_paint().await;
    let started = rt.now_ms();
    emit(Event::TimelineClock {
        at_ms: started - run_started,
    });
    let jobs = params.job_order();
    let outcome = match (params.mode, params.sweep) {
        (Mode::SequentialMain, _) => check_on_this_thread(&jobs, &rt, &emit, started),
        (Mode::Sweep, Some(plan)) => sweep(&jobs, plan, &rt, &emit, run_started).await,
        _ => run_pool(&jobs, params.workers, &rt, &emit, started).await,
    };
    let elapsed_s = (rt.now_ms() - started) / 1000.0;
    // Let the meter see the first frame after the checks and the long task they caused, so
    // that the run ends with its freeze (if any) measured: a sampled meter asks for its
    // next frame only once its timer runs, after a blocked main thread is free again.
    rt.next_paint().await;
    rt.sleep_ms(100.0).await;
    emit(Event::Stats(meter.stats()));
    emit(match outcome {
        Ok(()) => Event::Finished { elapsed_s },
        Err((worker, reason)) => Event::WorkerFailed {
            worker,
            reason,
            elapsed_s,
        },
    });
}

/// sequential.py on the calling thread (the page's only one): nothing else runs until the
/// last check.
fn check_on_this_thread(
    jobs: &[u64],
    rt: &impl Time,
    emit: &Emit<Event>,
    started: f64,
) -> Result<(), Failure> {
    let mut scheduler = Dispatcher::new(jobs, 1);
    let mut next = scheduler.start();
    while let Some((_, ToWorker::Check(n))) = next.pop() {
        let at = rt.now_ms();
        emit(Event::Dispatched {
            worker: 0,
            n,
            at_ms: at - started,
        });
        let prime = is_prime(n);
        let done = rt.now_ms();
        let (result, commands) = scheduler
            .on_result(0, n, prime, (done - at) / 1000.0)
            .map_err(|e| (0, e.to_string()))?;
        emit(Event::Checked {
            result,
            at_ms: done - started,
        });
        next = commands;
    }
    Ok(())
}

/// Figure 19-2: a fresh pool of N workers per run, for N = 1..=Max N, Runs per N times each.
async fn sweep<R: Time + Workers>(
    jobs: &[u64],
    plan: SweepPlan,
    rt: &R,
    emit: &Emit<Event>,
    run_started: f64,
) -> Result<(), Failure> {
    for (n, run) in plan.steps() {
        emit(Event::SweepRunStarted { n, run });
        let started = rt.now_ms();
        emit(Event::TimelineClock {
            at_ms: started - run_started,
        });
        run_pool(jobs, n, rt, emit, started).await?;
        emit(Event::SweepRunFinished {
            elapsed_s: (rt.now_ms() - started) / 1000.0,
        });
    }
    Ok(())
}

/// procs.py: start the pool, hand each idle worker the next job, a poison pill once the
/// queue is empty, and count end markers. The pool (and so every worker) is gone on return.
async fn run_pool<R: Time + Workers>(
    jobs: &[u64],
    workers: usize,
    rt: &R,
    emit: &Emit<Event>,
    started: f64,
) -> Result<(), Failure> {
    let (pool, mut events) = rt.spawn_pool(workers).map_err(|reason| (0, reason))?;
    let mut scheduler = Dispatcher::new(jobs, workers);
    let send = |commands: Commands| {
        for (worker, command) in commands {
            if let ToWorker::Check(n) = command {
                emit(Event::Dispatched {
                    worker,
                    n,
                    at_ms: rt.now_ms() - started,
                });
            }
            pool.post(worker, command);
        }
    };
    while !scheduler.is_done() {
        let Some((worker, event)) = events.next().await else {
            return Err((0, "the pool's event stream ended".to_string()));
        };
        match event {
            WorkerEvent::Message(FromWorker::Ready) => send(scheduler.on_ready(worker)),
            WorkerEvent::Message(FromWorker::Checked {
                n,
                prime,
                elapsed_s,
            }) => {
                let (result, next) = scheduler
                    .on_result(worker, n, prime, elapsed_s)
                    .map_err(|e| (worker, e.to_string()))?;
                emit(Event::Checked {
                    result,
                    at_ms: rt.now_ms() - started,
                });
                send(next);
            }
            WorkerEvent::Message(FromWorker::Finished) => scheduler
                .on_finished(worker)
                .map_err(|e| (worker, e.to_string()))?,
            WorkerEvent::Message(other) => {
                return Err((worker, format!("unexpected answer from the worker: {other:?}")));
            }
            WorkerEvent::Failed(reason) => return Err((worker, reason)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;

    use super::super::form::Field;
    use super::super::form::tests::form;
    use super::super::session::Session;
    use super::super::transcript::result_line;
    use super::*;
    use crate::labs::{LabForm, LabSession};
    use crate::runtime::testing::{Virtual, recorder, run_recorded};

    fn params(pairs: &[(Field, &str)]) -> PrimesParams {
        form(pairs).validate().unwrap()
    }

    /// Runs the script on a virtual clock; the session it leaves, its events, and the virtual ms.
    fn run_virtual(rt: &Virtual, params: PrimesParams) -> (Session, Vec<Event>, f64) {
        let (events, took) = run_recorded(rt, |emit| run(params, rt.clone(), emit));
        (Session::replay(&events), events, took)
    }

    /// Each answer's number and time on the timeline's clock, in the order they came.
    fn answers(events: &[Event]) -> Vec<(u64, f64)> {
        events
            .iter()
            .filter_map(|e| match e {
                Event::Checked { result, at_ms } => Some((result.n, *at_ms)),
                _ => None,
            })
            .collect()
    }

    /// 11 takes a second on a worker, every other number 10 ms.
    fn slow_eleven() -> Virtual {
        let mut rt = Virtual::default();
        rt.check_cost = Rc::new(|n| if n == 11 { 1000.0 } else { 10.0 });
        rt
    }

    #[test]
    fn procs_prints_in_completion_order() {
        let rt = slow_eleven();
        let p = params(&[(Field::Workers, "2"), (Field::Numbers, "11, 2, 3, 4")]);
        let (s, events, took) = run_virtual(&rt, p);
        // Worker 1 holds 11 for a second; worker 2 takes 2, 3 and 4 meanwhile.
        assert_eq!(
            answers(&events),
            [(2, 10.0), (3, 20.0), (4, 30.0), (11, 1000.0)]
        );
        assert_eq!(s.transcript[0], "Checking 4 numbers with 2 workers:");
        assert_eq!(
            s.transcript[1..],
            [
                result_line(2, true, 0.01),
                result_line(3, true, 0.01),
                result_line(4, false, 0.01),
                result_line(11, true, 1.0),
                "4 checks in 1.00s".to_string(),
            ]
        );
        let lanes: Vec<(usize, u64)> = s.timeline.bars.iter().map(|b| (b.lane, b.item.n)).collect();
        assert_eq!(lanes, [(0, 11), (1, 2), (1, 3), (1, 4)]);
        assert_eq!(s.history[0].elapsed_s, 1.0);
        assert_eq!(took, 1100.0, "then 100 ms for the meter to settle");
        // Frames are sampled, not asked for at every refresh: the workers have the cores.
        let stats = events.iter().rev().find_map(|e| match e {
            Event::Stats(stats) => Some(stats),
            _ => None,
        });
        assert_eq!(stats.map(|s| s.pace), Some(Pace::Sampled { every_ms: PAGE_BEAT_MS.into() }));
        assert!(matches!(events.last(), Some(Event::Finished { .. })));
        assert_eq!(rt.live_workers(), 0, "the pool ends with the run");
    }

    #[test]
    fn threads_is_procs_with_threads_all_at_once() {
        let rt = slow_eleven();
        let p = params(&[
            (Field::Mode, "threads"),
            (Field::Workers, "2"),
            (Field::Numbers, "11, 11"),
        ]);
        let (s, _, took) = run_virtual(&rt, p);
        assert_eq!(s.transcript[0], "Checking 2 numbers with 2 threads:");
        assert_eq!(s.transcript[3], "2 checks in 1.00s", "both ran at once");
        assert_eq!(took, 1100.0);
        assert_eq!(rt.live_workers(), 0);
        let sentence = super::super::happened::what_happened(&s).unwrap();
        assert!(sentence.ends_with("as CPython's GIL would not let them."), "{sentence}");
    }

    #[test]
    fn pool_map_prints_in_submission_order_while_the_timeline_runs_ahead() {
        let rt = slow_eleven();
        let p = params(&[
            (Field::Mode, "pool-map"),
            (Field::Workers, "2"),
            (Field::Numbers, "2, 3, 4, 11"),
        ]);
        let (events, _) = run_recorded(&rt, |emit| run(p, rt.clone(), emit));
        // Submitted largest first: 11 holds back 4, 3 and 2, already answered.
        let mut s = Session::default();
        for event in events {
            let last_quick = matches!(&event, Event::Checked { result, .. } if result.n == 2);
            s.apply(event);
            if last_quick {
                assert_eq!(s.transcript.len(), 1, "held back by 11");
                assert_eq!(s.timeline.bars.iter().filter(|b| !b.is_open()).count(), 3);
            }
        }
        assert_eq!(
            s.transcript[1..],
            [
                result_line(11, true, 1.0),
                result_line(4, false, 0.01),
                result_line(3, true, 0.01),
                result_line(2, true, 0.01),
                "Total time: 1.00s".to_string(),
            ]
        );
        assert_eq!(rt.live_workers(), 0);
    }

    #[test]
    fn sequential_modes_check_in_list_order() {
        let rt = Virtual::default();
        let (s, events, _) = run_virtual(
            &rt,
            params(&[(Field::Mode, "sequential-worker"), (Field::Numbers, "2 4 3")]),
        );
        assert_eq!(answers(&events), [(2, 10.0), (4, 20.0), (3, 30.0)]);
        assert_eq!(s.transcript.last().unwrap(), "Total time: 0.03s");
        assert_eq!(rt.live_workers(), 0);

        // On the calling thread: is_prime itself, no worker; the virtual clock stands still.
        let (s, events, _) = run_virtual(
            &rt,
            params(&[(Field::Mode, "sequential-main"), (Field::Numbers, "2 4 3")]),
        );
        assert_eq!(answers(&events), [(2, 0.0), (4, 0.0), (3, 0.0)]);
        assert_eq!(
            s.transcript,
            [
                "Checking 3 numbers sequentially:",
                "               2  P  0.000000s",
                "               4     0.000000s",
                "               3  P  0.000000s",
                "Total time: 0.00s",
            ]
        );
        assert_eq!(s.timeline.lanes, 1);
        assert_eq!(s.history[0].cells()[2], "main thread");
    }

    #[test]
    fn more_workers_than_numbers_get_only_the_pill() {
        let rt = Virtual::default();
        let (s, events, _) = run_virtual(
            &rt,
            params(&[(Field::Workers, "5"), (Field::Numbers, "7, 8")]),
        );
        assert_eq!(s.transcript[0], "Checking 2 numbers with 5 workers:");
        assert_eq!(answers(&events), [(7, 10.0), (8, 10.0)]);
        assert_eq!(s.transcript.last().unwrap(), "2 checks in 0.01s");
        assert_eq!(s.history[0].cells()[5], "2 checked, 1 prime");
        assert_eq!((s.timeline.lanes, s.timeline.bars.len()), (5, 2));
        assert_eq!(rt.live_workers(), 0);
    }

    #[test]
    fn a_sweep_runs_every_step_on_a_fresh_pool() {
        let mut rt = Virtual::default();
        rt.check_cost = Rc::new(|_| 100.0);
        let p = params(&[
            (Field::Mode, "sweep"),
            (Field::RunsPerN, "2"),
            (Field::MaxN, "3"),
            (Field::Numbers, "2 3 5 7 11 13"),
        ]);
        let (s, events, _) = run_virtual(&rt, p.clone());
        let steps: Vec<(usize, u32)> = events
            .iter()
            .filter_map(|e| match e {
                Event::SweepRunStarted { n, run } => Some((*n, *run)),
                _ => None,
            })
            .collect();
        assert_eq!(steps, p.sweep.unwrap().steps());
        // Six checks of 100 ms on N workers: 600, 300 and 200 ms a run.
        assert_eq!(
            s.sweep_samples,
            [(1, 0.6), (1, 0.6), (2, 0.3), (2, 0.3), (3, 0.2), (3, 0.2)]
        );
        let clocks: Vec<f64> = events
            .iter()
            .filter_map(|e| match e {
                Event::TimelineClock { at_ms } => Some(*at_ms),
                _ => None,
            })
            .collect();
        assert_eq!(
            clocks,
            [0.0, 0.0, 600.0, 1200.0, 1500.0, 1800.0, 2000.0],
            "each sweep run's timeline starts with it"
        );
        assert_eq!(s.timeline_clock_ms, 2000.0);
        assert_eq!(s.timeline.lanes, 3);
        assert!(s.timeline.bars.iter().all(|b| b.start_ms <= 100.0));
        let speedups: Vec<String> = s.sweep_rows().iter().map(|r| r.cells()[3].clone()).collect();
        assert_eq!(speedups, ["1.00×", "2.00×", "3.00×"]);
        assert_eq!(
            s.transcript.last().unwrap(),
            "Sweep done in 2.20s: fastest median 0.200s at N = 3 (3.00× N = 1)."
        );
        assert_eq!(rt.live_workers(), 0);
    }

    #[test]
    fn a_worker_crash_ends_the_run_with_the_results_so_far() {
        let mut rt = Virtual::default();
        rt.crash_on = Some(5);
        let (s, events, _) = run_virtual(
            &rt,
            params(&[(Field::Workers, "2"), (Field::Numbers, "2 3 5 7")]),
        );
        assert_eq!(answers(&events), [(2, 10.0), (3, 10.0)]);
        assert_eq!(
            s.transcript[3..],
            [
                "Worker 1 failed: simulated worker crash",
                "Stopped after 0.02s: 2 of 4 checked; all workers terminated."
            ]
        );
        assert_eq!(s.history[0].cells()[5], "worker 1 failed");
        assert_eq!(rt.live_workers(), 0, "the other worker is ended too");
    }

    #[test]
    fn stopping_a_run_ends_every_worker() {
        let mut rt = Virtual::default();
        rt.check_cost = Rc::new(|_| 1000.0);
        let (emit, events) = recorder();
        let mut pool = LocalPool::new();
        pool.spawner()
            .spawn_local(run(
                params(&[(Field::Workers, "3"), (Field::Numbers, "2 3 5 7 11 13 17 19")]),
                rt.clone(),
                emit,
            ))
            .unwrap();
        rt.clock.run_until(&mut pool, 500.0);
        assert_eq!(rt.live_workers(), 3);
        drop(pool); // Stop drops the run.
        assert_eq!(rt.live_workers(), 0);
        let mut s = Session::replay(&events.borrow());
        s.apply(Session::cancelled(0.5));
        assert_eq!(
            s.transcript.last().unwrap(),
            "Cancelled after 0.50s: 0 of 8 checked; all workers terminated."
        );
        assert_eq!(s.timeline.bars.len(), 3, "one open bar a worker");
    }
}
