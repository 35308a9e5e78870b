//! The lab's run: each demo's `main()` as a plain future over the runtime's ports, on an
//! [`Executor`] with `max_workers` slots — demo_executor_map's `loiter(n)` jobs (sleeps on
//! the clock) collected with `map` or `as_completed`, and flags_threadpool_ac's
//! `download_one(cc)` jobs (fetches) printed as submitted, then as completed. In the page
//! the ports are the browser's, in the tests a virtual clock's.

use std::cell::RefCell;
use std::pin::pin;
use std::rc::Rc;

use futures::future::{LocalBoxFuture, join};
use futures::{FutureExt, StreamExt};

use super::choices::{Collect, Demo, Server};
use super::form::ExecutorsParams;
use super::jobs::{JobError, Outcome};
use super::session::Event;
use super::transcript::WallClock;
use crate::labs::flags::{Kind, ServerParams};
use crate::pyfmt::repr_str;
use crate::runtime::executor::{Clock, Driver, Executor, JobHandle, JobState, as_completed};
use crate::runtime::ports::{Emit, Fetch, Time};

/// `download_one`'s client timeout, in seconds.
pub const DOWNLOAD_TIMEOUT_S: f64 = 10.0;

type LabExecutor = Executor<String, JobError>;

/// Real ms since the run's executor was created.
type SinceStart = Rc<dyn Fn() -> f64>;

/// Stop's handle on a run, filled once the run has created its executor.
#[derive(Clone, Default)]
pub struct Stopper {
    run: Rc<RefCell<Option<(LabExecutor, SinceStart)>>>,
}

impl Stopper {
    fn install(&self, executor: LabExecutor, since_start: SinceStart) {
        *self.run.borrow_mut() = Some((executor, since_start));
    }

    /// Real ms since the run created its executor; `None` before.
    pub fn elapsed_ms(&self) -> Option<f64> {
        self.run.borrow().as_ref().map(|(_, since)| since())
    }

    /// Stop: cancels the pending jobs (their `JobCancelled` events are emitted first) and
    /// returns the event that names them and the running ones. The caller dispatches it,
    /// then drops the run's future, which drops the running jobs with it: abandoned.
    /// `elapsed_ms` is the caller's own measure, used before the run has an executor.
    pub fn stop(&self, elapsed_ms: f64) -> Event {
        match self.run.borrow().as_ref() {
            Some((executor, since)) => Event::stopped(executor.cancel_pending(), since()),
            None => Event::Cancelled {
                cancelled: Vec::new(),
                abandoned: Vec::new(),
                elapsed_ms,
            },
        }
    }
}

/// One run, from `Started` to `Finished`: the demo's script joined with the executor's
/// driver, like a `with ThreadPoolExecutor(...)` block that waits for its running jobs.
/// `stopper` gets the run's executor as soon as it exists.
pub async fn run<R>(
    params: ExecutorsParams,
    wall: WallClock,
    rt: R,
    emit: Emit<Event>,
    stopper: Stopper,
) where
    R: Time + Fetch + Clone + 'static,
{
    emit(Event::Started {
        params: params.clone(),
        wall,
    });
    let clock: Clock = {
        let rt = rt.clone();
        Rc::new(move || rt.now_ms())
    };
    let (executor, driver, since) = observed_executor(params.workers, clock, &emit);
    stopper.install(executor.clone(), since.clone());
    let script = async {
        match params.demo {
            Demo::Loiter => loiter_main(&params, &rt, &executor, &emit, &since).await,
            Demo::FlagsAc => flags_main(&params, &rt, &executor, &emit, &since).await,
        }
        // Leaving the `with` block: no more jobs; the driver ends with the last one.
        executor.shutdown();
    };
    join(driver, script).await;
    emit(Event::Finished {
        elapsed_ms: since(),
    });
}

/// The executor, reporting every job's start, end and cancellation to `emit`.
fn observed_executor(
    workers: usize,
    clock: Clock,
    emit: &Emit<Event>,
) -> (LabExecutor, Driver, SinceStart) {
    let t0 = clock();
    let since_start: SinceStart = {
        let clock = clock.clone();
        Rc::new(move || clock() - t0)
    };
    let (executor, driver) = Executor::new(workers, clock);
    let (emit, since) = (emit.clone(), since_start.clone());
    executor.on_change(move |job: &JobHandle<String, JobError>| {
        let at_ms = since();
        let id = job.id();
        let event = match (job.state(), job.result()) {
            (JobState::Running, _) => Event::JobStarted {
                id,
                slot: job.slot().unwrap_or(0),
                at_ms,
            },
            (JobState::Finished | JobState::Failed, Some(outcome)) => {
                Event::JobEnded { id, outcome, at_ms }
            }
            (JobState::Cancelled, _) => Event::JobCancelled { id, at_ms },
            _ => return,
        };
        emit(event);
    });
    (executor, driver, since_start)
}

/// demo_executor_map.py's `main()`: submits `loiter(n)` for every delay (each sleeping n
/// s × the time scale), prints the result stream, then collects the results with `map`
/// or `as_completed`.
async fn loiter_main<R: Time + Clone + 'static>(
    params: &ExecutorsParams,
    rt: &R,
    executor: &LabExecutor,
    emit: &Emit<Event>,
    since: &SinceStart,
) {
    let scale = params.time_scale;
    let jobs: Vec<LocalBoxFuture<'static, Outcome>> = params
        .delays
        .iter()
        .map(|&delay| {
            let rt = rt.clone();
            // Lazy: the timer starts when the job gets its slot and is first polled.
            async move {
                rt.sleep_ms(delay.sleep_ms(scale)).await;
                delay.outcome()
            }
            .boxed_local()
        })
        .collect();
    match params.collect {
        Collect::Map => {
            let results = executor.map(jobs);
            emit(Event::Submitted { at_ms: since() });
            let mut results = pin!(results);
            let mut id = 0;
            // The stream itself ends after an error, as Python's generator does.
            while results.next().await.is_some() {
                emit(Event::Delivered { id, at_ms: since() });
                id += 1;
            }
        }
        Collect::AsCompleted => {
            let handles: Vec<_> = jobs.into_iter().map(|job| executor.submit(job)).collect();
            emit(Event::Submitted { at_ms: since() });
            deliver_as_completed(handles, emit, since).await;
        }
    }
}

/// flags_threadpool_ac.py's `main()`: submits `download_one(cc)` for each code, printing
/// each future as `submit` returned it, then collects them with `as_completed`.
async fn flags_main<R: Fetch + Clone + 'static>(
    params: &ExecutorsParams,
    rt: &R,
    executor: &LabExecutor,
    emit: &Emit<Event>,
    since: &SinceStart,
) {
    let mut handles = Vec::new();
    for cc in &params.codes {
        let (rt, server, cc) = (rt.clone(), params.server, cc.clone());
        let job = async move {
            download_one(&rt, server, &cc).await?;
            Ok(repr_str(&cc))
        };
        let handle = executor.submit(job);
        emit(Event::Scheduled {
            id: handle.id(),
            state: handle.state(),
            at_ms: since(),
        });
        handles.push(handle);
    }
    deliver_as_completed(handles, emit, since).await;
}

/// `download_one(cc)`: one flag from LOCAL or the DELAY server; a status other than 2xx
/// raises as httpx's `raise_for_status()` does.
async fn download_one(rt: &impl Fetch, server: Server, cc: &str) -> Result<(), JobError> {
    let url = ServerParams {
        server: server.flag_server(),
        ..ServerParams::default()
    }
    .url(cc, Kind::Flag);
    match rt.get(&url, DOWNLOAD_TIMEOUT_S).await {
        Ok(reply) if (200..300).contains(&reply.status) => Ok(()),
        Ok(reply) => Err(JobError::new(
            "HTTPStatusError",
            format!("{} {} for {cc}", reply.status, reply.status_text),
        )),
        Err(error) => Err(JobError::new("ConnectError", error.to_string())),
    }
}

/// The `for future in as_completed(...)` loop: reports each job as the loop receives it.
async fn deliver_as_completed(
    handles: Vec<JobHandle<String, JobError>>,
    emit: &Emit<Event>,
    since: &SinceStart,
) {
    let mut done = pin!(as_completed(handles));
    while let Some(job) = done.next().await {
        emit(Event::Delivered {
            id: job.id(),
            at_ms: since(),
        });
    }
}

#[cfg(test)]
mod tests {
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;

    use super::super::form::{ExecutorsForm, Field};
    use super::super::history::RunOutcome;
    use super::super::jobs::JobStatus;
    use super::super::session::Session;
    use super::*;
    use crate::labs::form::FormText;
        use crate::labs::{LabForm, LabSession};
    use crate::runtime::ports::FetchError;
    use crate::runtime::testing::{Virtual, reply, run_to_end};
    use crate::timeline::{BarItem, span_ms};

    fn params(pairs: &[(Field, &str)]) -> ExecutorsParams {
        ExecutorsForm::default().with(pairs).validate().unwrap()
    }

    fn wall() -> WallClock {
        WallClock::new(15, 56, 50, 0)
    }

    /// A run on a virtual clock, its events applied to a session as they come.
    struct Harness {
        session: Rc<RefCell<Session>>,
        rt: Virtual,
        stopper: Stopper,
    }

    impl Harness {
        fn new(rt: Virtual) -> Self {
            Harness {
                session: Rc::default(),
                rt,
                stopper: Stopper::default(),
            }
        }

        fn emit(&self) -> Emit<Event> {
            let session = self.session.clone();
            Rc::new(move |event| session.borrow_mut().apply(event))
        }

        fn script(&self, p: &ExecutorsParams) -> impl Future<Output = ()> + 'static + use<> {
            run(
                p.clone(),
                wall(),
                self.rt.clone(),
                self.emit(),
                self.stopper.clone(),
            )
        }

        /// Runs `p` to its end; the virtual ms it took.
        fn run(&self, p: &ExecutorsParams) -> f64 {
            run_to_end(&self.rt, self.script(p))
        }

        fn transcript(&self) -> Vec<String> {
            self.session.borrow().transcript.clone()
        }
    }

    /// loiter runs: sleeps only.
    fn loiter(p: &ExecutorsParams) -> Harness {
        let h = Harness::new(Virtual::default());
        h.run(p);
        h
    }

    /// flags runs: the download of code i takes `delays[i]` s; a negative one is a 404.
    fn flags(p: &ExecutorsParams, delays: &[f64]) -> Harness {
        let codes = p.codes.clone();
        let delays = delays.to_vec();
        let h = Harness::new(Virtual::with_server(move |url| {
            let i = codes
                .iter()
                .position(|cc| url.contains(&format!("/{}/", cc.to_lowercase())))
                .unwrap();
            let answer = if delays[i] < 0.0 {
                reply(404, "Not Found", "")
            } else {
                reply(200, "OK", "<svg/>")
            };
            (delays[i].abs() * 1000.0, Ok(answer))
        }));
        h.run(p);
        h
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn the_books_run_prints_the_books_transcript() {
        let p = params(&[(Field::Delays, "0 1 2 3 4"), (Field::MaxWorkers, "3")]);
        let h = loiter(&p);
        assert_eq!(
            h.transcript(),
            lines(
                "[15:56:50] Script starting.\n\
                 [15:56:50] loiter(0): doing nothing for 0s...\n\
                 [15:56:50] \tloiter(1): doing nothing for 1s...\n\
                 [15:56:50] \t\tloiter(2): doing nothing for 2s...\n\
                 [15:56:50] results: <map stream over 5 futures (not consumed yet; yields in submission order)>\n\
                 [15:56:50] Waiting for individual results:\n\
                 [15:56:50] loiter(0): done.\n\
                 [15:56:50] \t\t\tloiter(3): doing nothing for 3s...\n\
                 [15:56:50] result 0: 0\n\
                 [15:56:51] \tloiter(1): done.\n\
                 [15:56:51] \t\t\t\tloiter(4): doing nothing for 4s...\n\
                 [15:56:51] result 1: 10\n\
                 [15:56:52] \t\tloiter(2): done.\n\
                 [15:56:52] result 2: 20\n\
                 [15:56:53] \t\t\tloiter(3): done.\n\
                 [15:56:53] result 3: 30\n\
                 [15:56:55] \t\t\t\tloiter(4): done.\n\
                 [15:56:55] result 4: 40"
            )
        );
        let s = h.session.borrow();
        assert!(!s.is_running());
        let starts: Vec<Option<f64>> = s.jobs.iter().map(|j| j.start_ms).collect();
        assert_eq!(
            starts,
            [Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(1000.0)]
        );
        let delivered: Vec<Option<f64>> = s.jobs.iter().map(|j| j.delivered_ms).collect();
        assert_eq!(
            delivered,
            [
                Some(0.0),
                Some(1000.0),
                Some(2000.0),
                Some(3000.0),
                Some(5000.0)
            ]
        );
        assert_eq!(
            s.jobs[4].cells(),
            [
                "4",
                "loiter(4)",
                "finished",
                "2",
                "1.00s",
                "5.00s",
                "40",
                "5.00s"
            ]
        );
        let bars = s.bars();
        assert_eq!(s.workers, 3);
        let lanes: Vec<usize> = bars.iter().map(|b| b.lane).collect();
        assert_eq!(lanes, [0, 1, 2, 0, 1]);
        assert_eq!(span_ms(&bars, 0.0), 5000.0);
        assert_eq!(
            BarItem::title(&bars[3], 0.0),
            "loiter(3): finished, 0.00s–3.00s; delivered at 3.00s"
        );
        assert_eq!(
            s.history[0].cells(),
            [
                "1",
                "loiter",
                "0 1 2 3 4",
                "3",
                "map",
                "1",
                "5.00s",
                "0.00s",
                "5 results"
            ]
        );
    }

    #[test]
    fn map_holds_back_finished_results_and_as_completed_does_not() {
        let p = params(&[(Field::Delays, "3 1 2")]);
        let h = loiter(&p);
        let t = h.transcript();
        assert_eq!(
            t[t.len() - 6..],
            lines(
                "[15:56:51] \tloiter(1): done.\n\
                 [15:56:52] \t\tloiter(2): done.\n\
                 [15:56:53] \t\t\tloiter(3): done.\n\
                 [15:56:53] result 0: 30\n\
                 [15:56:53] result 1: 10\n\
                 [15:56:53] result 2: 20"
            )[..]
        );
        let s = h.session.borrow();
        assert_eq!(s.jobs[1].held_ms(), Some(2000.0));
        assert_eq!(s.jobs[1].cells()[7], "3.00s (held 2.00s)");
        drop(s);

        let p = params(&[
            (Field::Delays, "3 1 2"),
            (Field::CollectWith, "as_completed"),
        ]);
        let h = loiter(&p);
        let t = h.transcript();
        assert_eq!(
            t[4],
            "[15:56:50] results: <as_completed stream over 3 futures (not consumed yet; yields in completion order)>"
        );
        assert_eq!(
            t[t.len() - 6..],
            lines(
                "[15:56:51] \tloiter(1): done.\n\
                 [15:56:51] result 1: 10\n\
                 [15:56:52] \t\tloiter(2): done.\n\
                 [15:56:52] result 2: 20\n\
                 [15:56:53] \t\t\tloiter(3): done.\n\
                 [15:56:53] result 0: 30"
            )[..]
        );
        assert_eq!(h.session.borrow().history[0].cells()[4], "as_completed");
    }

    #[test]
    fn the_default_run_holds_every_result_behind_loiter_3_and_compare_shows_the_contrast() {
        let p = ExecutorsForm::default().validate().unwrap();
        let (map, completed) = super::super::form::compare_pair(&p);
        let h = Harness::new(Virtual::default());
        // Compare: both runs on one session, one after the other.
        run_to_end(&h.rt, {
            let (a, b) = (h.script(&map), h.script(&completed));
            async move {
                a.await;
                b.await;
            }
        });
        let s = h.session.borrow();
        let rows: Vec<Vec<String>> = s.history.iter().map(|r| r.cells()).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!((&rows[0][2][..], &rows[0][3][..], &rows[0][4][..]), ("3 0 1 2", "4", "map"));
        assert_eq!((&rows[1][2][..], &rows[1][4][..]), ("3 0 1 2", "as_completed"));
        assert_eq!((rows[0][6].as_str(), rows[1][6].as_str()), ("3.00s", "3.00s"));
        // The first result: map waits for loiter(3), as_completed hands loiter(0) over at once.
        assert_eq!((rows[0][7].as_str(), rows[1][7].as_str()), ("3.00s", "0.00s"));
        // The session shows the last run: as_completed delivered each call as it ended.
        let delivered: Vec<Option<f64>> = s.jobs.iter().map(|j| j.delivered_ms).collect();
        assert_eq!(delivered, [Some(3000.0), Some(0.0), Some(1000.0), Some(2000.0)]);
        drop(s);

        let h = loiter(&map);
        let s = h.session.borrow();
        let delivered: Vec<Option<f64>> = s.jobs.iter().map(|j| j.delivered_ms).collect();
        assert_eq!(delivered, [Some(3000.0); 4], "every result waits for loiter(3)");
        let slots: Vec<Option<usize>> = s.jobs.iter().map(|j| j.slot).collect();
        assert_eq!(slots, [Some(0), Some(1), Some(2), Some(3)], "a lane each");
        assert_eq!(
            super::super::happened::what_happened(&s).unwrap(),
            "map yielded results in submission order: 3 of 4 results waited after finishing — \
             loiter(0) the longest, 3.00 s behind loiter(3), submitted earlier and done at 3.00 s."
        );
    }

    fn result_lines(h: &Harness) -> Vec<String> {
        h.transcript()
            .into_iter()
            .filter_map(|l| l.split_once("] ").map(|(_, rest)| rest.to_string()))
            .filter(|l| l.starts_with("result ") || l.starts_with("***"))
            .collect()
    }

    #[test]
    fn one_worker_keeps_submission_order_either_way() {
        for collect in ["map", "as_completed"] {
            let p = params(&[
                (Field::Delays, "3 1 2"),
                (Field::MaxWorkers, "1"),
                (Field::CollectWith, collect),
            ]);
            let h = loiter(&p);
            assert_eq!(
                result_lines(&h),
                ["result 0: 30", "result 1: 10", "result 2: 20"],
                "{collect}"
            );
            let s = h.session.borrow();
            assert!(s.jobs.iter().all(|j| j.slot == Some(0)));
            assert_eq!(s.history[0].elapsed_s, 6.0);
        }
    }

    #[test]
    fn map_stops_at_an_error_and_as_completed_carries_on() {
        let p = params(&[(Field::Delays, "0 1 !2 3 4"), (Field::MaxWorkers, "3")]);
        let h = loiter(&p);
        assert_eq!(
            result_lines(&h),
            [
                "result 0: 0",
                "result 1: 10",
                "*** Error in result 2: RuntimeError('loiter(2) failed')"
            ]
        );
        let t = h.transcript();
        assert!(t.contains(&"[15:56:52] \t\tloiter(2): raising RuntimeError.".to_string()));
        // The running jobs still finish (Python's `with` waits for them); no result lines.
        assert_eq!(t.last().unwrap(), "[15:56:55] \t\t\t\tloiter(4): done.");
        let s = h.session.borrow();
        assert_eq!(s.jobs[3].delivered_ms, None);
        assert_eq!(s.jobs[2].cells()[6], "RuntimeError('loiter(2) failed')");
        assert_eq!(
            s.history[0].outcome,
            RunOutcome::StoppedAtError { result: 2 }
        );
        assert_eq!(s.history[0].cells()[8], "error in result 2");
        assert_eq!(s.history[0].elapsed_s, 5.0);
        drop(s);

        // One worker: the jobs behind the error are cancelled by map and never run.
        let p = params(&[(Field::Delays, "0 !1 2 3"), (Field::MaxWorkers, "1")]);
        let h = loiter(&p);
        let s = h.session.borrow();
        let states: Vec<&str> = s.jobs.iter().map(|j| j.status.key()).collect();
        assert_eq!(states, ["finished", "failed", "finished", "cancelled"]);
        assert_eq!(s.jobs[3].start_ms, None);
        assert_eq!(s.history[0].elapsed_s, 3.0);
        drop(s);

        let p = params(&[
            (Field::Delays, "0 !1 2 !3"),
            (Field::CollectWith, "as_completed"),
        ]);
        let h = loiter(&p);
        assert_eq!(
            result_lines(&h),
            [
                "result 0: 0",
                "*** Error in result 1: RuntimeError('loiter(1) failed')",
                "result 2: 20",
                "*** Error in result 3: RuntimeError('loiter(3) failed')"
            ]
        );
        assert_eq!(
            h.session.borrow().history[0].cells()[8],
            "2 results, 2 errors"
        );
    }

    #[test]
    fn a_time_scale_shortens_the_sleeps_and_says_so() {
        let p = params(&[
            (Field::Delays, "0 1 2 3 4"),
            (Field::MaxWorkers, "3"),
            (Field::TimeScale, "0.1"),
        ]);
        let h = Harness::new(Virtual::default());
        let took = h.run(&p);
        assert_eq!(took, 500.0, "real (virtual) ms");
        let t = h.transcript();
        assert_eq!(
            t[0],
            "[15:56:50 +0ms] (time scale 0.1: every sleep is 10× shorter; +ms is script time)"
        );
        assert_eq!(t[1], "[15:56:50 +0ms] Script starting.");
        assert_eq!(t.last().unwrap(), "[15:56:50 +5000ms] result 4: 40");
        let s = h.session.borrow();
        assert_eq!(
            s.jobs[4].end_ms,
            Some(5000.0),
            "the table is in script time"
        );
        assert_eq!(s.history[0].elapsed_s, 0.5, "the history in real time");
        assert_eq!(s.script_ms(500.0), 5000.0);
        assert_eq!(s.history[0].cells()[5], "0.1");
    }

    #[test]
    fn flags_print_the_futures_as_scheduled_then_as_completed() {
        let p = params(&[(Field::Demo, "flags_threadpool_ac"), (Field::MaxWorkers, "3")]);
        let h = flags(&p, &[0.3, 0.1, 0.5, 0.2, 0.1]);
        assert_eq!(
            h.transcript(),
            lines(
                "Scheduled for BR: <Future at 0x7f3c5e10a3f0 state=running>\n\
                 Scheduled for CN: <Future at 0x7f3c5e10a420 state=running>\n\
                 Scheduled for ID: <Future at 0x7f3c5e10a450 state=running>\n\
                 Scheduled for IN: <Future at 0x7f3c5e10a480 state=pending>\n\
                 Scheduled for US: <Future at 0x7f3c5e10a4b0 state=pending>\n\
                 <Future at 0x7f3c5e10a420 state=finished returned str> result: 'CN'\n\
                 <Future at 0x7f3c5e10a3f0 state=finished returned str> result: 'BR'\n\
                 <Future at 0x7f3c5e10a480 state=finished returned str> result: 'IN'\n\
                 <Future at 0x7f3c5e10a4b0 state=finished returned str> result: 'US'\n\
                 <Future at 0x7f3c5e10a450 state=finished returned str> result: 'ID'\n\
                 5 flags downloaded in 0.50s"
            )
        );
        let s = h.session.borrow();
        // IN took CN's slot at 0.1 s; at 0.3 s BR and IN end, and US takes BR's slot.
        assert_eq!(s.jobs[3].slot, Some(1));
        assert_eq!(s.jobs[3].start_ms, Some(100.0));
        assert_eq!(s.jobs[4].slot, Some(0));
        assert_eq!(
            s.history[0].cells(),
            [
                "1",
                "flags_threadpool_ac",
                "BR CN ID IN US (LOCAL)",
                "3",
                "as_completed",
                "—",
                "0.50s",
                "0.10s",
                "5 downloaded"
            ]
        );
        drop(s);

        // A 404 raises as `raise_for_status()` does.
        let h = flags(&p, &[0.3, -0.1, 0.5, 0.2, 0.1]);
        let t = h.transcript();
        assert_eq!(
            t[5],
            "<Future at 0x7f3c5e10a420 state=finished raised HTTPStatusError> *** Error for CN: \
             HTTPStatusError('404 Not Found for CN')"
        );
        assert_eq!(t.last().unwrap(), "4 flags downloaded in 0.50s");
        assert_eq!(
            h.session.borrow().history[0].cells()[8],
            "4 downloaded, 1 error"
        );
    }

    #[test]
    fn flags_fetch_the_chosen_servers_urls_and_report_network_errors() {
        let urls = Rc::new(RefCell::new(Vec::new()));
        let seen = urls.clone();
        let h = Harness::new(Virtual::with_server(move |url| {
            seen.borrow_mut().push(url.to_string());
            if url.contains("/us/") {
                (0.0, Err(FetchError::Network("connection refused".into())))
            } else if url.contains("/in/") {
                (60_000.0, Ok(reply(200, "OK", "<svg/>")))
            } else {
                (100.0, Ok(reply(200, "OK", "<svg/>")))
            }
        }));
        let p = params(&[
            (Field::Demo, "flags_threadpool_ac"),
            (Field::Server, "DELAY"),
            (Field::MaxWorkers, "3"),
        ]);
        assert!(p.needs_service_worker());
        h.run(&p);
        let urls = urls.borrow();
        assert_eq!(urls.len(), 5);
        assert!(urls[0].starts_with("delay/flags/br/br.svg?min="), "{}", urls[0]);
        let t = h.transcript();
        assert!(t.contains(
            &"<Future at 0x7f3c5e10a4b0 state=finished raised ConnectError> *** Error for US: \
              ConnectError('network error: connection refused')"
                .to_string()
        ));
        assert!(t.contains(
            &"<Future at 0x7f3c5e10a480 state=finished raised ConnectError> *** Error for IN: \
              ConnectError('timed out after 10s')"
                .to_string()
        ));
        assert_eq!(t.last().unwrap(), "3 flags downloaded in 10.10s");
    }

    #[test]
    fn stop_cancels_pending_jobs_and_abandons_running_ones() {
        let p = params(&[(Field::Delays, "0 1 2 3 4"), (Field::MaxWorkers, "2")]);
        let h = Harness::new(Virtual::default());
        let mut pool = LocalPool::new();
        let task = pool
            .spawner()
            .spawn_local_with_handle(h.script(&p))
            .unwrap();
        // At 1.5 s: loiter(0) and loiter(1) are done, loiter(2) and loiter(3) run.
        h.rt.clock.run_until(&mut pool, 1500.0);
        assert_eq!(h.stopper.elapsed_ms(), Some(1500.0));
        let stop = h.stopper.stop(0.0);
        assert_eq!(
            stop,
            Event::Cancelled {
                cancelled: vec![4],
                abandoned: vec![2, 3],
                elapsed_ms: 1500.0
            }
        );
        h.session.borrow_mut().apply(stop);
        drop(task);
        h.rt.clock.run(&mut pool);
        let t = h.transcript();
        assert_eq!(
            t.last().unwrap(),
            "[15:56:51] Stop: cancelled 1 pending (loiter(4)); abandoned 2 running (loiter(2), loiter(3))."
        );
        let s = h.session.borrow();
        assert!(!s.is_running());
        let states: Vec<&str> = s.jobs.iter().map(|j| j.status.key()).collect();
        assert_eq!(
            states,
            [
                "finished",
                "finished",
                "abandoned",
                "abandoned",
                "cancelled"
            ]
        );
        let bars = s.bars();
        assert_eq!(bars.len(), 4, "the cancelled job never had a slot");
        assert_eq!(bars[3].end_ms, Some(1500.0), "abandoned bars end at Stop");
        assert_eq!(bars[3].item.class(), "abandoned");
        assert_eq!(s.history[0].cells()[8], "stopped: 1 cancelled, 2 abandoned");
        assert_eq!(s.history[0].elapsed_s, 1.5);
        drop(s);

        // Nothing the dropped run could still send changes the session.
        let before = h.session.borrow().clone();
        h.session
            .borrow_mut()
            .apply(Event::Finished { elapsed_ms: 9.0 });
        h.session
            .borrow_mut()
            .apply(Event::Delivered { id: 2, at_ms: 9.0 });
        assert_eq!(*h.session.borrow(), before);
    }

    #[test]
    fn stop_before_the_run_has_an_executor_names_no_jobs() {
        let stopper = Stopper::default();
        assert_eq!(stopper.elapsed_ms(), None);
        assert_eq!(stopper.stop(250.0), Session::cancelled(0.25));
    }

    #[test]
    fn a_new_run_starts_fresh() {
        let p = params(&[(Field::Delays, "1")]);
        let h = loiter(&p);
        let mut s = h.session.borrow().clone();
        s.apply(Event::Started {
            params: params(&[(Field::Demo, "flags_threadpool_ac")]),
            wall: WallClock::default(),
        });
        assert!(
            s.transcript.is_empty(),
            "flags prints nothing until it submits"
        );
        assert_eq!(s.jobs.len(), 5);
        assert!(s.jobs.iter().all(|j| j.status == JobStatus::Pending));
        assert_eq!(s.running.as_ref().unwrap().run_no, 2);
        assert_eq!(s.progress(), (0, 5));
    }
}
