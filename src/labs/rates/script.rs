//! The rates lab's run: the chosen script's `main()`, over the runtime's ports. Blocking
//! requests on the main thread, `fetch()` on the event loop, or blocking requests in Web
//! Workers handed bases by a queue the page keeps — in the page on the browser's
//! machinery, in the tests on a virtual clock.

use std::cell::Cell;
use std::collections::VecDeque;

use futures::StreamExt;
use futures::stream::FuturesUnordered;

use super::api::{Rates, RequestError, parse_reply, rates_url};
use super::choices::{Backend, Errors, Library, Printing, Pulling, Script, Shape};
use super::form::RatesParams;
use super::session::{Event, Outcome};
use super::transcript::{elapsed_lines, exception_line, hang_line, rate_line, thread_death_line};
use crate::meter::Pace;
use crate::runtime::ports::{
    BlockingClient, BlockingFetch, Emit, Fetch, Meter, Meters, Pool, Time, WorkerEvent, Workers,
};
use crate::worker_protocol::{FromWorker, ToWorker};

/// How long `fetch()` waits for an answer (the server's longest delay is 12 s).
pub const TIMEOUT_S: f64 = 30.0;

/// One run, from `Started` to `Finished`; `api` is the endpoint's absolute URL.
pub async fn run<R>(params: RatesParams, api: String, rt: R, emit: Emit<Event>)
where
    R: Time + Fetch + Workers + BlockingFetch + Meters,
{
    emit(Event::Started(params.clone()));
    let meter = rt.meter_for(&emit, Pace::EveryFrame, Event::Stats);
    let run = Run {
        params: &params,
        api: &api,
        rt: &rt,
        emit: &emit,
        started: Cell::new(rt.now_ms()),
    };
    let outcome = match params.script.shape() {
        Shape::MainThread => run.main_thread().await,
        Shape::EventLoop => run.event_loop().await,
        Shape::Workers(pulling) => run.workers(pulling).await,
    };
    let elapsed_s = run.at_ms() / 1000.0;
    if outcome == Outcome::Completed {
        for line in elapsed_lines(elapsed_s) {
            emit(Event::Print(line));
        }
    }
    // Let the meter see the first frame after a freeze, and the long task it caused.
    rt.next_paint().await;
    rt.sleep_ms(100.0).await;
    emit(Event::Finished {
        outcome,
        elapsed_s,
        stats: meter.stats(),
    });
}

/// What every part of a run shares.
struct Run<'a, R> {
    params: &'a RatesParams,
    api: &'a str,
    rt: &'a R,
    emit: &'a Emit<Event>,
    /// When the script's own clock started: once its threads are up. A Python thread
    /// starts in microseconds, a Web Worker (a fresh WASM instance) in tens of ms; that
    /// cost is shown apart, not counted in the script's time.
    started: Cell<f64>,
}

type Answer = Result<Rates, RequestError>;

impl<R: Time + Fetch + Workers + BlockingFetch> Run<'_, R> {
    /// Milliseconds since the script's clock started.
    fn at_ms(&self) -> f64 {
        self.rt.now_ms() - self.started.get()
    }

    /// A time on the page's clock (a worker's report), in ms since the script's clock started.
    fn on_run_clock(&self, at_ms: f64) -> f64 {
        at_ms - self.started.get()
    }

    /// The threads are up: the script's clock starts now.
    fn start_clock(&self) {
        let now = self.rt.now_ms();
        (self.emit)(Event::Ready {
            startup_ms: now - self.started.get(),
        });
        self.started.set(now);
    }

    fn url(&self, item: usize) -> String {
        rates_url(self.api, self.params.bases[item], &self.params.server, item)
    }

    fn print(&self, line: String) {
        (self.emit)(Event::Print(line));
    }

    /// The request's answer, on the timeline and as rates or an error.
    fn answered(&self, item: usize, lane: usize, at_ms: f64, answer: Answer) -> Answer {
        (self.emit)(Event::Answered {
            item,
            lane,
            at_ms,
            ok: answer.is_ok(),
        });
        answer
    }

    /// The exception for `item` reaches the main program, which ends with it.
    fn raise(&self, item: usize, error: &RequestError) -> Outcome {
        let line = exception_line(self.params.script.library(), error, &self.url(item));
        (self.emit)(Event::Raised {
            item,
            at_ms: self.at_ms(),
        });
        self.print(line.clone());
        Outcome::Raised(line)
    }

    fn failed(&self, reason: String) -> Outcome {
        self.print(format!("Error: {reason}"));
        Outcome::Failed(reason)
    }

    /// `synchronous.py`: one blocking request after another, on the main thread.
    async fn main_thread(&self) -> Outcome {
        let client = match self.rt.blocking_client().await {
            Ok(client) => client,
            Err(reason) => return self.failed(reason),
        };
        // Show the fresh transcript and lanes before the page freezes.
        self.rt.next_paint().await;
        self.start_clock();
        for (item, base) in self.params.bases.iter().enumerate() {
            let url = self.url(item);
            (self.emit)(Event::Sent {
                item,
                lane: 0,
                at_ms: self.at_ms(),
            });
            let answer = parse_reply(base, client.get(&url));
            match self.answered(item, 0, self.at_ms(), answer) {
                Ok(rates) => self.print(rate_line(base, &rates)),
                Err(error) => return self.raise(item, &error),
            }
        }
        Outcome::Completed
    }

    /// `async_aiohttp.py`: every `fetch()` at once on the event loop, gathered.
    async fn event_loop(&self) -> Outcome {
        let mut pending: FuturesUnordered<_> = self
            .params
            .bases
            .iter()
            .enumerate()
            .map(|(item, base)| {
                let url = self.url(item);
                (self.emit)(Event::Sent {
                    item,
                    lane: item,
                    at_ms: self.at_ms(),
                });
                async move { (item, parse_reply(base, self.rt.get(&url, TIMEOUT_S).await)) }
            })
            .collect();
        let mut answers = vec![None; self.params.bases.len()];
        while let Some((item, answer)) = pending.next().await {
            // gather() raises the first exception as soon as it happens.
            match self.answered(item, item, self.at_ms(), answer) {
                Ok(rates) => answers[item] = Some(rates),
                Err(error) => return self.raise(item, &error),
            }
        }
        self.print_in_order(answers.into_iter().enumerate().filter_map(|(i, a)| Some((i, Ok(a?)))))
    }

    /// Prints results in the order given until the first exception, which it raises.
    fn print_in_order(&self, results: impl IntoIterator<Item = (usize, Answer)>) -> Outcome {
        for (item, answer) in results {
            match answer {
                Ok(rates) => self.print(rate_line(self.params.bases[item], &rates)),
                Err(error) => return self.raise(item, &error),
            }
        }
        Outcome::Completed
    }

    /// The thread and pool scripts: blocking requests in Web Workers.
    async fn workers(&self, pulling: Pulling) -> Outcome {
        let script = self.params.script;
        let count = self.params.worker_count();
        let (pool, mut events) = match self.rt.spawn_pool(count) {
            Ok(pool) => pool,
            Err(reason) => return self.failed(format!("the workers could not start: {reason}")),
        };
        let throttled = script == Script::Throttling;
        if throttled && let Err(reason) = pool.share_throttle(self.params.rate) {
            return self.failed(reason);
        }
        // Wait until every worker listens, like threads that are all started.
        let mut ready = 0;
        while ready < count {
            match events.next().await {
                Some((_, WorkerEvent::Message(FromWorker::Ready))) => ready += 1,
                Some((worker, WorkerEvent::Failed(reason))) => {
                    return self.failed(format!("worker {} failed to start: {reason}", worker + 1));
                }
                Some((worker, WorkerEvent::Message(other))) => {
                    return self.failed(format!("worker {} answered {other:?} before any work", worker + 1));
                }
                None => return self.failed("the workers' event stream ended".to_string()),
            }
        }
        self.start_clock();
        let mut queue: VecDeque<usize> = match pulling {
            Pulling::Queue => (0..self.params.bases.len()).collect(),
            Pulling::OnePerItem => VecDeque::new(),
        };
        let mut workers = vec![WorkerState::Starting; count];
        let mut done = vec![false; self.params.bases.len()];
        let mut results: Vec<(usize, Answer)> = Vec::new();
        // The next base for `worker`, or the end of its loop.
        let mut assign = |worker: usize, workers: &mut Vec<WorkerState>| {
            let next = match pulling {
                Pulling::OnePerItem => {
                    (workers[worker] == WorkerState::Starting).then_some(worker)
                }
                Pulling::Queue => queue.pop_front(),
            };
            workers[worker] = match next {
                Some(item) => {
                    pool.post(
                        worker,
                        ToWorker::Get {
                            id: item as u32,
                            url: self.url(item),
                            throttled,
                        },
                    );
                    WorkerState::Busy
                }
                None => WorkerState::Ended,
            };
        };
        for worker in 0..count {
            assign(worker, &mut workers);
        }
        while workers.iter().any(|w| matches!(w, WorkerState::Starting | WorkerState::Busy)) {
            let Some((worker, event)) = events.next().await else {
                return self.failed("the workers' event stream ended".to_string());
            };
            let (item, answer, at_ms) = match event {
                WorkerEvent::Message(FromWorker::Granted { id, at_ms }) => {
                    let (item, at_ms) = (id as usize, self.on_run_clock(at_ms));
                    (self.emit)(Event::Granted { item, lane: worker, at_ms });
                    continue;
                }
                WorkerEvent::Message(FromWorker::Sent { id, at_ms }) => {
                    let (item, at_ms) = (id as usize, self.on_run_clock(at_ms));
                    (self.emit)(Event::Sent { item, lane: worker, at_ms });
                    continue;
                }
                WorkerEvent::Message(FromWorker::Got { id, at_ms, reply }) => {
                    (id as usize, Ok(reply), self.on_run_clock(at_ms))
                }
                WorkerEvent::Message(FromWorker::GetFailed { id, at_ms, reason }) => (
                    id as usize,
                    Err(crate::runtime::ports::FetchError::Network(reason)),
                    self.on_run_clock(at_ms),
                ),
                WorkerEvent::Message(other) => {
                    return self.failed(format!("worker {} answered {other:?}", worker + 1));
                }
                WorkerEvent::Failed(reason) => {
                    return self.failed(format!("worker {} failed: {reason}", worker + 1));
                }
            };
            let Some(base) = self.params.bases.get(item) else {
                return self.failed(format!("worker {} answered an unknown request {item}", worker + 1));
            };
            let answer = self.answered(item, worker, at_ms, parse_reply(base, answer));
            match (answer, script.errors()) {
                (Err(error), Errors::KillThread | Errors::Raise) => {
                    // The exception ends the thread; its base is never marked done.
                    let target = match pulling {
                        Pulling::OnePerItem => "fetch_rates",
                        Pulling::Queue => "worker",
                    };
                    self.print(thread_death_line(&lane_name(self.params, worker), target));
                    self.print(exception_line(Library::Requests, &error, &self.url(item)));
                    workers[worker] = WorkerState::Dead;
                }
                (Err(error), Errors::HandBack)
                    if script.printing() == Printing::AfterJoinSubmissionOrder =>
                {
                    // Pool.map and gather raise the first exception as it arrives.
                    return self.raise(item, &error);
                }
                (answer, _) => {
                    if let (Ok(rates), Printing::AsCompleted) = (&answer, script.printing()) {
                        self.print(rate_line(base, rates));
                    }
                    done[item] = true;
                    results.push((item, answer));
                    assign(worker, &mut workers);
                }
            }
        }
        let undone = done.iter().filter(|d| !**d).count();
        if undone > 0 && pulling == Pulling::Queue {
            self.print(hang_line(undone));
            return Outcome::Hung { undone };
        }
        match script.printing() {
            Printing::AsCompleted => Outcome::Completed,
            Printing::AfterJoinCompletionOrder => self.print_in_order(results),
            Printing::AfterJoinSubmissionOrder => {
                // Each item's result in its place: the items are 0..n, each answered once.
                let mut by_item: Vec<Option<Answer>> = vec![None; self.params.bases.len()];
                for (item, answer) in results {
                    by_item[item] = Some(answer);
                }
                let in_order = by_item.into_iter().enumerate();
                self.print_in_order(in_order.filter_map(|(item, answer)| Some((item, answer?))))
            }
        }
    }
}

/// Where a worker is in its loop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WorkerState {
    /// Not listening yet.
    Starting,
    /// Making a request.
    Busy,
    /// Its loop found the queue empty.
    Ended,
    /// An exception ended it.
    Dead,
}

/// The name of the timeline lane `lane` (a thread, a process, a task) for these parameters.
pub fn lane_name(params: &RatesParams, lane: usize) -> String {
    let n = lane + 1;
    match (params.script.shape(), params.script, params.backend) {
        (Shape::MainThread, ..) => "MainThread".to_string(),
        (Shape::EventLoop, ..) => format!("Task-{n}"),
        (_, Script::ProcessPool, Backend::Processes) => format!("ForkPoolWorker-{n}"),
        (_, Script::RunInExecutor, _) => format!("ThreadPoolExecutor-0_{lane}"),
        _ => format!("Thread-{n}"),
    }
}

/// How many lanes the run's timeline has.
pub fn lane_count(params: &RatesParams) -> usize {
    match params.script.shape() {
        Shape::MainThread => 1,
        Shape::EventLoop => params.bases.len(),
        Shape::Workers(_) => params.worker_count(),
    }
}

#[cfg(test)]
mod tests {
    use std::pin::pin;

    use super::super::api::testing::answer;
    use super::super::form::Field;
    use super::super::form::tests::form;
    use super::super::session::Session;
    use super::*;
    use crate::labs::choice::Choice;
    use crate::labs::{LabForm, LabSession};
    use crate::runtime::ports::FetchError;
    use crate::runtime::testing::{Virtual, run_recorded, run_to_end};

    const API: &str = "http://test/rates";
    const MATRIX: [&str; 5] = [
        "1 USD =     1.0 USD,   0.823 EUR,    3.73 PLN,     8.5 NOK,    21.5 CZK",
        "1 EUR =    1.22 USD,     1.0 EUR,    4.54 PLN,    10.3 NOK,    26.2 CZK",
        "1 PLN =   0.268 USD,    0.22 EUR,     1.0 PLN,    2.28 NOK,    5.76 CZK",
        "1 NOK =   0.118 USD,  0.0968 EUR,   0.439 PLN,     1.0 NOK,    2.53 CZK",
        "1 CZK =  0.0465 USD,  0.0382 EUR,   0.174 PLN,   0.395 NOK,     1.0 CZK",
    ];

    fn params(script: Script, pairs: &[(Field, &str)]) -> RatesParams {
        let mut all = vec![(Field::Script, script.key())];
        all.extend_from_slice(pairs);
        form(&all).validate().unwrap()
    }

    /// The book's server: `latency` for every base, a 500 for the request numbers in `failing`.
    fn server(failing: &'static [usize]) -> Virtual {
        Virtual::with_server(move |url| answer(url, failing))
    }

    /// A server whose answers come slower for later bases in SYMBOLS, times `factor`.
    fn staggered(order: [f64; 5]) -> Virtual {
        Virtual::with_server(move |url| {
            let (delay, reply) = answer(url, &[]);
            let base = super::super::api::SYMBOLS
                .iter()
                .position(|s| url.contains(&format!("base={s}")))
                .unwrap();
            (delay * order[base], reply)
        })
    }

    fn run_virtual(rt: &Virtual, params: RatesParams) -> (Session, Vec<Event>, f64) {
        let (events, took) =
            run_recorded(rt, |emit| run(params, API.to_string(), rt.clone(), emit));
        assert_eq!(rt.live_workers(), 0, "every worker ends with the run");
        (Session::replay(&events), events, took)
    }

    fn elapsed(s: &Session) -> f64 {
        s.history[0].elapsed_s
    }

    #[test]
    fn synchronous_blocks_the_main_thread_once_per_base() {
        let rt = server(&[]);
        let (s, _, _) = run_virtual(&rt, params(Script::Synchronous, &[]));
        let mut expected: Vec<String> = MATRIX.iter().map(|l| l.to_string()).collect();
        expected.extend(["".to_string(), "time elapsed: 1.50s".to_string()]);
        assert_eq!(s.transcript, expected);
        let row = &s.history[0];
        assert_eq!(row.outcome, Outcome::Completed);
        assert_eq!((row.stats.blocked_ms, row.stats.longest_gap_ms), (1500.0, 300.0));
        assert_eq!(s.timeline.lanes, ["MainThread"]);
        assert_eq!(s.timeline.starts_ms(), [0.0, 300.0, 600.0, 900.0, 1200.0]);
    }

    #[test]
    fn async_gather_takes_one_latency_and_prints_in_submission_order() {
        let rt = staggered([1.0, 0.5, 0.2, 0.8, 0.9]);
        let (s, _, _) = run_virtual(&rt, params(Script::AsyncGather, &[]));
        assert_eq!(&s.transcript[..5], MATRIX);
        assert_eq!(elapsed(&s), 0.3);
        assert_eq!(s.history[0].stats.blocked_ms, 0.0, "the page never froze");
        assert_eq!(s.timeline.lanes.len(), 5);
    }

    #[test]
    fn one_thread_per_item_prints_in_completion_order() {
        let rt = staggered([1.0, 0.5, 0.2, 0.8, 0.9]);
        let (s, _, _) = run_virtual(&rt, params(Script::OneThreadPerItem, &[]));
        let order: Vec<&str> = s.transcript[..5].iter().map(|l| &l[2..5]).collect();
        assert_eq!(order, ["PLN", "EUR", "NOK", "CZK", "USD"]);
        assert_eq!(elapsed(&s), 0.3);
        assert_eq!(s.timeline.lanes, ["Thread-1", "Thread-2", "Thread-3", "Thread-4", "Thread-5"]);
    }

    #[test]
    fn a_pool_of_four_takes_two_rounds_for_five_bases() {
        for script in [Script::ThreadPool, Script::TwoWayQueues, Script::ErrorHandling] {
            let rt = server(&[]);
            let (s, events, _) = run_virtual(&rt, params(script, &[]));
            assert_eq!(elapsed(&s), 0.6, "{script:?}");
            assert_eq!(&s.transcript[..5], MATRIX, "{script:?}");
            let lanes: Vec<usize> = events
                .iter()
                .filter_map(|e| match e {
                    Event::Sent { lane, .. } => Some(*lane),
                    _ => None,
                })
                .collect();
            assert_eq!(lanes.len(), 5);
            assert!(lanes.iter().all(|l| *l < 4));
        }
    }

    #[test]
    fn two_way_queues_prints_only_after_the_join() {
        let rt = server(&[]);
        let (_, events, _) = run_virtual(&rt, params(Script::TwoWayQueues, &[]));
        let first_print = events.iter().position(|e| matches!(e, Event::Print(_))).unwrap();
        let last_answer = events.iter().rposition(|e| matches!(e, Event::Answered { .. })).unwrap();
        assert!(first_print > last_answer);
        let (_, events, _) = run_virtual(&server(&[]), params(Script::ThreadPool, &[]));
        let first_print = events.iter().position(|e| matches!(e, Event::Print(_))).unwrap();
        let last_answer = events.iter().rposition(|e| matches!(e, Event::Answered { .. })).unwrap();
        assert!(first_print < last_answer, "thread_pool's workers print as they go");
    }

    #[test]
    fn error_handling_prints_what_it_has_then_raises_the_first_error() {
        let rt = server(&[3]);
        let (s, _, _) = run_virtual(&rt, params(Script::ErrorHandling, &[(Field::Seed, "1")]));
        // Results queue order: USD EUR PLN (round 1 minus NOK, which failed), then CZK.
        assert_eq!(&s.transcript[..3], &MATRIX[..3]);
        assert_eq!(
            s.transcript[3],
            "requests.exceptions.HTTPError: 500 Server Error: Internal Server Error for url: \
             http://test/rates?base=NOK&latency=0.3&p=0&seed=1&req=3"
        );
        assert_eq!(s.transcript.len(), 4, "the script stops at the exception");
        assert!(matches!(&s.history[0].outcome, Outcome::Raised(l) if l.contains("HTTPError")));
        let failed = s.timeline.bars.iter().find(|b| b.item.base == "NOK").unwrap();
        assert_eq!(failed.item.ok, Some(false));
        assert!(failed.item.raised && failed.marker_ms.unwrap() >= 600.0, "surfaced after the join");
    }

    #[test]
    fn a_dead_thread_leaves_the_queue_join_waiting_forever() {
        for script in [Script::ThreadPool, Script::TwoWayQueues] {
            let rt = server(&[1]);
            let (s, _, _) = run_virtual(&rt, params(script, &[]));
            assert!(s.transcript.contains(&"Exception in thread Thread-2 (worker):".to_string()));
            assert!(s.transcript.iter().any(|l| l.contains("500 Server Error")));
            assert_eq!(s.history[0].outcome, Outcome::Hung { undone: 1 }, "{script:?}");
            assert!(s.transcript.last().unwrap().contains("never returns"));
        }
        // One thread per item has no queue to join: the others finish, the time is printed.
        let (s, _, _) = run_virtual(&server(&[1]), params(Script::OneThreadPerItem, &[]));
        assert!(s.transcript.contains(&"Exception in thread Thread-2 (fetch_rates):".to_string()));
        assert_eq!(s.history[0].outcome, Outcome::Completed);
        assert_eq!(s.transcript.iter().filter(|l| l.starts_with("1 ")).count(), 4);
    }

    #[test]
    fn pools_and_gather_raise_the_first_exception_at_once() {
        for script in [Script::ProcessPool, Script::RunInExecutor, Script::AsyncGather] {
            let rt = server(&[0]);
            let (s, _, _) = run_virtual(&rt, params(script, &[]));
            assert_eq!(s.transcript.len(), 1, "{script:?}: {:?}", s.transcript);
            assert!(s.transcript[0].contains("500"), "{script:?}");
            assert_eq!(elapsed(&s), 0.3, "{script:?} raised when the error arrived");
        }
    }

    #[test]
    fn process_pool_maps_in_submission_order_with_either_backend() {
        for backend in ["processes", "threads"] {
            let rt = staggered([1.0, 0.5, 0.2, 0.8, 0.9]);
            let (s, _, _) = run_virtual(
                &rt,
                params(Script::ProcessPool, &[(Field::Backend, backend), (Field::Workers, "5")]),
            );
            assert_eq!(&s.transcript[..5], MATRIX);
            assert_eq!(elapsed(&s), 0.3);
        }
        let p = params(Script::ProcessPool, &[]);
        assert_eq!(lane_name(&p, 0), "ForkPoolWorker-1");
        let p = params(Script::RunInExecutor, &[]);
        assert_eq!(lane_name(&p, 1), "ThreadPoolExecutor-0_1");
    }

    #[test]
    fn the_throttle_spaces_request_starts_by_one_over_rate() {
        let bases = "USD EUR PLN NOK CZK ".repeat(4);
        for workers in ["4", "16"] {
            let rt = server(&[]);
            let (s, events, _) = run_virtual(
                &rt,
                params(
                    Script::Throttling,
                    &[(Field::Bases, &bases), (Field::Workers, workers), (Field::Rate, "10")],
                ),
            );
            let starts = s.timeline.starts_ms();
            assert_eq!(starts.len(), 20);
            for pair in starts.windows(2) {
                assert!(pair[1] - pair[0] >= 100.0 - 10.0, "{workers} workers: {starts:?}");
            }
            assert!(starts[19] < 2300.0, "{starts:?}");
            let grants = events.iter().filter(|e| matches!(e, Event::Granted { .. })).count();
            assert_eq!(grants, 20);
            assert!(s.timeline.bars.iter().all(|b| b.marker_ms == Some(b.start_ms)));
            assert_eq!(s.transcript.len(), 22);
        }
    }

    #[test]
    fn without_shared_memory_the_scripts_that_need_it_say_so() {
        for script in [Script::Synchronous, Script::Throttling] {
            let mut rt = server(&[]);
            rt.shared_memory = false;
            let (s, _, _) = run_virtual(&rt, params(script, &[]));
            assert!(matches!(s.history[0].outcome, Outcome::Failed(_)), "{script:?}");
            assert!(s.transcript[0].starts_with("Error: memory cannot be shared"));
        }
    }

    #[test]
    fn with_the_server_down_every_script_ends_with_an_error() {
        for &script in Script::ALL {
            let rt = Virtual::with_server(|_| {
                (5.0, Err(FetchError::Network("connection refused".to_string())))
            });
            let (s, _, took) = run_virtual(&rt, params(script, &[]));
            let outcome = &s.history[0].outcome;
            assert!(
                matches!(outcome, Outcome::Raised(_) | Outcome::Hung { .. })
                    || s.transcript.iter().any(|l| l.contains("ConnectionError")),
                "{script:?}: {outcome:?} {:?}",
                s.transcript
            );
            assert!(s.transcript.iter().any(|l| l.contains("connection refused")), "{script:?}");
            assert!(took < 1000.0, "{script:?} took {took}");
        }
    }

    #[test]
    fn stop_ends_every_worker_and_request_at_once() {
        for &script in Script::ALL {
            let rt = server(&[]);
            let p = params(script, &[(Field::Latency, "5")]);
            let (emit, events) = crate::runtime::testing::recorder();
            let stop = rt.clock.sleep(2000.0);
            let rt2 = rt.clone();
            let took = run_to_end(&rt, async move {
                let run = pin!(run(p, API.to_string(), rt2, emit));
                futures::future::select(run, pin!(stop)).await;
            });
            assert_eq!(rt.live_workers(), 0, "{script:?}");
            let events = events.borrow();
            let finished = events.iter().any(|e| matches!(e, Event::Finished { .. }));
            let answered = events.iter().filter(|e| matches!(e, Event::Answered { .. })).count();
            assert!(!finished, "{script:?}");
            if script == Script::Synchronous {
                assert_eq!(answered, 5, "a blocked main thread cannot be stopped mid-block");
            } else {
                assert_eq!((answered, took), (0, 2000.0), "{script:?} stopped at 2 s");
                assert_eq!(rt.clock.pending_timers(), 0, "{script:?}: no timer left behind");
            }
        }
    }
}
