//! The CPU lab's run: for each pool size (and each repeat), a fresh pool of workers gets
//! the 12 jobs, one to each idle worker, as `ProcessPoolExecutor.submit` hands them out;
//! results print as they complete. A plain future over the runtime's ports.

use futures::StreamExt;

use super::choices::{Mode, Workload};
use super::form::CpuParams;
use super::session::{Event, Outcome};
use super::table::{PoolRun, table_rows, table_text};
use super::transcript::{job_line, pool_header, round_trip_failed, status_line};
use super::workload::ROUND_TRIP_FAILED;
use crate::random::SplitMix;
use crate::runtime::ports::{Emit, Pool, Time, WorkerEvent, Workers};
use crate::worker_protocol::{FromWorker, ToWorker};

/// One run, from `Started` to `Finished`.
pub async fn run<R: Time + Workers>(params: CpuParams, rt: R, emit: Emit<Event>) {
    let run_started = rt.now_ms();
    emit(Event::Started(params.clone()));
    let seed = params
        .seed
        .unwrap_or_else(|| SplitMix(rt.now_ms().to_bits()).next_u64() % 1_000_000);
    emit(Event::Seeded(seed));
    let sizes = params.sizes();
    let mut pools = Vec::new();
    for workers in params.pool_sizes() {
        for repeat in 1..=params.repeats {
            if params.mode == Mode::Table {
                emit(Event::Print(pool_header(workers, repeat, params.repeats)));
            }
            emit(Event::PoolStarting {
                workers,
                at_ms: rt.now_ms() - run_started,
            });
            let job = Jobs {
                workload: params.workload,
                sizes: &sizes,
                seed,
            };
            match run_pool(&job, workers, &rt, &emit).await {
                Ok(pool) => {
                    emit(Event::Print(status_line(workers, pool.total_s)));
                    emit(Event::PoolDone(pool));
                    pools.push(pool);
                }
                Err(reason) => {
                    emit(Event::Print(reason.clone()));
                    emit(Event::Finished(Outcome::Failed(reason)));
                    return;
                }
            }
        }
    }
    if params.mode == Mode::Table {
        let rows = table_rows(&pools, params.workload);
        for line in table_text(&rows, params.workload, params.repeats) {
            emit(Event::Print(line));
        }
    }
    emit(Event::Finished(Outcome::Completed));
}

/// What every pool of a run computes.
struct Jobs<'a> {
    workload: Workload,
    sizes: &'a [usize],
    seed: u64,
}

/// One pool: started, warmed up, fed a job whenever a worker is idle, and shut down
/// (dropped) once the last result is in. The time counts from before the pool starts, as
/// the book's; the jobs go out once every worker is ready and has the workload's optimized
/// code, so the start and the jobs are timed apart (a worker that came up late, or two
/// workers waiting for V8's optimizing compiler while they keep both cores busy, would
/// otherwise count as slow jobs).
async fn run_pool<R: Time + Workers>(
    jobs: &Jobs<'_>,
    workers: usize,
    rt: &R,
    emit: &Emit<Event>,
) -> Result<PoolRun, String> {
    let started = rt.now_ms();
    let (pool, mut events) = rt.spawn_pool(workers)?;
    let mut next = 0;
    let mut done = 0;
    let mut ready = Vec::new();
    let mut all_ready_at = None;
    let mut busy_s = 0.0;
    let mut hand_out = |worker: usize| {
        if let Some(&size) = jobs.sizes.get(next) {
            let now = rt.now_ms();
            emit(Event::JobSent {
                worker,
                index: next,
                size,
                at_ms: now - started,
            });
            pool.post(
                worker,
                ToWorker::Crunch {
                    workload: jobs.workload,
                    index: next as u32,
                    size: size as u32,
                    seed: jobs.seed,
                },
            );
            next += 1;
        }
    };
    while done < jobs.sizes.len() {
        let Some((worker, event)) = events.next().await else {
            return Err("the pool's event stream ended".to_string());
        };
        match event {
            // A worker that listens warms the workload up; a job is sent to none before all have.
            WorkerEvent::Message(FromWorker::Ready) => pool.post(worker, ToWorker::WarmUp(jobs.workload)),
            WorkerEvent::Message(FromWorker::WarmedUp) => {
                ready.push(worker);
                if ready.len() == workers {
                    all_ready_at = Some(rt.now_ms());
                    ready.iter().for_each(|&worker| hand_out(worker));
                }
            }
            WorkerEvent::Message(FromWorker::Crunched {
                index,
                elapsed_s,
                result,
            }) => {
                let index = index as usize;
                let Some(&size) = jobs.sizes.get(index) else {
                    return Err(format!("worker {} answered job {index}, which does not exist", worker + 1));
                };
                if jobs.workload == Workload::Rc4 && result == ROUND_TRIP_FAILED {
                    return Err(round_trip_failed(index));
                }
                busy_s += elapsed_s;
                done += 1;
                emit(Event::JobDone {
                    worker,
                    index,
                    at_ms: rt.now_ms() - started,
                });
                emit(Event::Print(job_line(jobs.workload, size, &result)));
                hand_out(worker);
            }
            WorkerEvent::Message(other) => {
                return Err(format!("worker {} answered {other:?} out of turn", worker + 1));
            }
            WorkerEvent::Failed(reason) => {
                return Err(format!("worker {} failed: {reason}", worker + 1));
            }
        }
    }
    let ended = rt.now_ms();
    drop(pool);
    Ok(PoolRun {
        workers,
        total_s: (ended - started) / 1000.0,
        jobs_s: (ended - all_ready_at.unwrap_or(started)) / 1000.0,
        busy_s,
    })
}

#[cfg(test)]
mod tests {
    use super::super::form::{CpuForm, Field};
    use super::super::workload::{job_data, sha256_hex};
    use super::*;
    use crate::labs::form::FormText;
    use crate::labs::{LabForm, LabSession};
    use crate::runtime::testing::{Virtual, recorder, run_recorded, run_to_end};
    use std::pin::pin;
    use super::super::history::HistoryRow;
    use super::super::session::Session;

    fn params(pairs: &[(Field, &str)]) -> CpuParams {
        let mut form = CpuForm::with_cpu_count(2);
        for &(field, value) in pairs {
            form.set(field, value.to_string());
        }
        form.validate().unwrap()
    }

    fn run_virtual(rt: &Virtual, params: CpuParams) -> (Session, Vec<Event>, f64) {
        let (events, took) = run_recorded(rt, |emit| run(params, rt.clone(), emit));
        (Session::replay(&events), events, took)
    }

    #[test]
    fn a_pool_run_prints_each_job_then_the_status_and_leaves_no_worker() {
        let rt = Virtual::default();
        let p = params(&[(Field::Mode, "pool"), (Field::Workers, "2"), (Field::Seed, "7")]);
        let (session, _, took) = run_virtual(&rt, p);
        assert_eq!(session.outcome, Some(Outcome::Completed));
        assert_eq!(session.transcript.len(), 13);
        // The two workers take the two largest first; the smaller of them completes first.
        assert_eq!(session.transcript[0], "362.7 KB");
        assert!(session.transcript.contains(&"149.3 KB".to_string()));
        assert!(session.transcript[12].starts_with("2 workers, elapsed time: "));
        assert_eq!(session.seed, Some(7));
        assert_eq!(session.history.len(), 1);
        assert_eq!(rt.live_workers(), 0);
        assert_eq!(rt.workers_started(), 2);
        // 1 ms per 64 KiB: 3.27 MB of jobs shared by two workers.
        let HistoryRow::Done { pool, .. } = session.history[0] else {
            panic!("the pool run has its row");
        };
        assert!((pool.busy_s * 1000.0 - 50.0).abs() < 0.1, "{pool:?}");
        assert!(pool.jobs_s * 1000.0 < 27.0 && took >= 25.0, "{pool:?} {took}");
        // Each worker warmed the workload up (1 virtual ms) before any job: it counts in the start.
        assert!((pool.startup_s() * 1000.0 - 1.0).abs() < 0.01, "{pool:?}");
    }

    #[test]
    fn sha256_prints_the_real_digests_of_the_seeded_data() {
        let rt = Virtual::default();
        let p = params(&[(Field::Workload, "sha256"), (Field::Mode, "pool"), (Field::Seed, "3"), (Field::Workers, "1")]);
        let (session, _, _) = run_virtual(&rt, p);
        let first = sha256_hex(&job_data(3, 0, 1 << 20));
        assert_eq!(session.transcript[0], first);
        assert_eq!(session.transcript.len(), 13);
        assert!(session.transcript[..12].iter().all(|l| l.len() == 64));
    }

    #[test]
    fn the_table_runs_every_size_repeats_times_then_prints_the_table() {
        let rt = Virtual::default();
        let p = params(&[(Field::MaxWorkers, "3"), (Field::Repeats, "2")]);
        let (session, events, _) = run_virtual(&rt, p);
        let pools: Vec<usize> = events
            .iter()
            .filter_map(|e| match e {
                Event::PoolDone(pool) => Some(pool.workers),
                _ => None,
            })
            .collect();
        assert_eq!(pools, [1, 1, 2, 2, 3, 3]);
        assert_eq!(rt.workers_started(), 12);
        assert_eq!(rt.live_workers(), 0);
        let (_, rows) = session.table_rows().unwrap();
        assert_eq!(rows.len(), 3);
        // The virtual pool starts instantly: the speed-up is the scheduling's.
        let two = rows[1].jobs_speedup.unwrap();
        assert!((1.8..=2.0).contains(&two), "{two}");
        let text = &session.transcript;
        assert_eq!(text[0], "# 1 worker, run 1 of 2");
        assert!(text[text.len() - 5].starts_with("Table 17-1, RC4: median of 2 runs"));
        assert!(text.last().unwrap().starts_with("      3 "));
        assert!(session.history.is_empty());
        // The last pool's timeline: 3 lanes, 12 bars, all done.
        assert_eq!(session.timeline.lanes, 3);
        assert_eq!(session.timeline.bars.len(), 12);
        assert!(session.timeline.bars.iter().all(|b| b.item.done));
    }

    #[test]
    fn stop_ends_the_pool_and_keeps_the_rows_measured() {
        let rt = Virtual::default();
        let p = params(&[(Field::MaxWorkers, "4"), (Field::Repeats, "1")]);
        let (emit, events) = recorder();
        // 1 worker takes ~50 virtual ms for the 12 RC4 jobs: Stop at 70 ms is in the 2-worker pool.
        let stop = rt.clock.sleep(70.0);
        let rt2 = rt.clone();
        run_to_end(&rt, async move {
            futures::future::select(pin!(run(p, rt2, emit)), pin!(stop)).await;
        });
        assert_eq!(rt.live_workers(), 0);
        assert_eq!(rt.clock.pending_timers(), 0);
        let mut session = Session::replay(&events.borrow());
        session.apply(Session::cancelled(0.07));
        assert_eq!(session.outcome, Some(Outcome::Cancelled));
        assert_eq!(
            session.transcript.last().unwrap(),
            "KeyboardInterrupt — stopped after 0.07s, 2 workers terminated."
        );
        assert_eq!(session.table_rows().unwrap().1.len(), 1);
    }
}
