//! The memory lab's run: the chosen demo's `main()`, over the runtime's ports — Web Workers
//! sharing memory or copies with the page, or coroutines on the page's event loop; in the
//! page on the browser's machinery, in the tests on a virtual clock.

use futures::StreamExt;

use super::choices::{Demo, Sleep};
use super::form::MemoryParams;
use super::session::{Event, Outcome};
use super::transcript::{
    HELLO_WORLD, PIPE_ITEMS, child_lines, clone_error_lines, future_line, hello_line,
    parent_lines, real_line, recv_line, send_line, sharedctypes_lines, visits_line, waited_line,
};
use super::visits::{self, Tally};
use super::sharedctypes;
use crate::random::SplitMix;
use crate::runtime::lock::Words;
use crate::meter::Pace;
use crate::runtime::ports::{
    Emit, Meter, Meters, Pipe, PipeItem, Pool, PoolEvents, SharedMemory, Time, WorkerEvent,
    Workers,
};
use crate::worker_protocol::{FromWorker, ToWorker};

/// One run, from `Started` to `Finished`.
pub async fn run<R>(params: MemoryParams, rt: R, emit: Emit<Event>)
where
    R: Time + Workers + Meters,
{
    emit(Event::Started(params.clone()));
    let meter = rt.meter_for(&emit, Pace::EveryFrame, Event::Stats);
    let run = Run {
        params: &params,
        rt: &rt,
        emit: &emit,
    };
    let result = match params.demo {
        Demo::ThreadVisits => run.thread_visits().await,
        Demo::Forks => run.forks().await,
        Demo::BasicMultiprocessing => run.basic_multiprocessing().await,
        Demo::Pipes => run.pipes().await,
        Demo::SharedCtypes => run.sharedctypes().await,
        Demo::AsyncHello => run.async_hello().await,
        Demo::AsyncPrint => run.async_print().await,
        Demo::Waiters => run.waiters().await,
    };
    let outcome = match result {
        Ok(()) => Outcome::Completed,
        Err(reason) => {
            emit(Event::Print(format!("Error: {reason}")));
            Outcome::Failed(reason)
        }
    };
    if params.blocks_main_thread() {
        // Let the meter see the first frame after the freeze, and the long task it caused.
        rt.next_paint().await;
        rt.sleep_ms(100.0).await;
    }
    emit(Event::Finished {
        outcome,
        stats: meter.stats(),
    });
}

/// What every part of a run shares.
struct Run<'a, R> {
    params: &'a MemoryParams,
    rt: &'a R,
    emit: &'a Emit<Event>,
}

type Step<T = ()> = Result<T, String>;

impl<R: Time + Workers> Run<'_, R> {
    fn print(&self, line: impl Into<String>) {
        (self.emit)(Event::Print(line.into()));
    }

    /// Starts `count` workers (nothing else yet: a run that needs shared memory asks for it
    /// before it waits for them).
    fn spawn(&self, count: usize) -> Step<(R::Pool, PoolEvents)> {
        self.rt
            .spawn_pool(count)
            .map_err(|reason| format!("the workers could not start: {reason}"))
    }

    /// Waits until every worker listens, like processes that are all started.
    async fn all_ready(&self, events: &mut PoolEvents, count: usize) -> Step {
        let started = self.rt.now_ms();
        for _ in 0..count {
            expect(events, |m| matches!(m, FromWorker::Ready).then_some(())).await?;
        }
        (self.emit)(Event::Ready {
            startup_ms: self.rt.now_ms() - started,
        });
        Ok(())
    }

    /// `thread_visits.py`: N threads add 1 to one counter in shared memory, all at once.
    async fn thread_visits(&self) -> Step {
        let p = self.params;
        self.rt.memory_shareable()?;
        let (pool, mut events) = self.spawn(p.workers)?;
        let memory = pool.share_memory(visits::BYTES)?;
        self.all_ready(&mut events, p.workers).await?;
        for worker in 0..p.workers {
            let (increments, update) = (p.increments, p.update);
            pool.post(worker, ToWorker::Visits { increments, update });
        }
        // Every worker parked on the start flag: release them together, so they overlap.
        for _ in 0..p.workers {
            expect(&mut events, |m| matches!(m, FromWorker::Waiting).then_some(())).await?;
        }
        let released = self.rt.now_ms();
        memory.store(visits::START, 1);
        memory.notify_all(visits::START);
        for _ in 0..p.workers {
            expect(&mut events, |m| match m {
                FromWorker::Visited { elapsed_s } => Some(*elapsed_s),
                _ => None,
            })
            .await?;
        }
        let elapsed_ms = self.rt.now_ms() - released;
        let tally = Tally::new(p.workers, p.increments, memory.load(visits::COUNTER));
        self.print(visits_line(p.workers, tally.counted));
        (self.emit)(Event::Counted { tally, elapsed_ms });
        Ok(())
    }

    /// `forks.py`: the child starts with a copy of `pid_list`; then the two lists diverge.
    async fn forks(&self) -> Step {
        let (pool, mut events) = self.spawn(1)?;
        self.all_ready(&mut events, 1).await?;
        let page_pid = self.rt.page_pid();
        let mut pid_list = vec![page_pid];
        // The "fork": the child gets the list as it is now, copied into the message.
        pool.post(0, ToWorker::Fork { pids: pid_list.clone() });
        pid_list.push(page_pid);
        for line in parent_lines(pool.pid(0), &pid_list) {
            self.print(line);
        }
        let child_list = expect(&mut events, |m| match m {
            FromWorker::Forked { pids } => Some(pids.clone()),
            _ => None,
        })
        .await?;
        for line in child_lines(&child_list) {
            self.print(line);
        }
        Ok(())
    }

    /// `basic_multiprocessing.py`: each process says who it is, in the order they answer.
    async fn basic_multiprocessing(&self) -> Step {
        let count = self.params.processes;
        let (pool, mut events) = self.spawn(count)?;
        let mut answered = 0;
        while answered < count {
            let (worker, message) = next_message(&mut events).await?;
            match message {
                // `Process(target=work, args=(number,)).start()`: it works once it is up.
                FromWorker::Ready => pool.post(
                    worker,
                    ToWorker::Hello {
                        identifier: worker as u32,
                    },
                ),
                FromWorker::Hello { identifier, pid } => {
                    self.print(hello_line(identifier, pid));
                    answered += 1;
                }
                other => return Err(unexpected(worker, &other)),
            }
        }
        Ok(())
    }

    /// `pipes.py`: values copied through a pipe; the child prints what it got until `None`.
    async fn pipes(&self) -> Step {
        let (pool, mut events) = self.spawn(1)?;
        self.all_ready(&mut events, 1).await?;
        let pipe = pool.open_pipe(0)?;
        for item in PIPE_ITEMS {
            self.print(send_line(item));
            pipe.send(item)?;
        }
        let truthy: Vec<PipeItem> = PIPE_ITEMS.into_iter().filter(|i| *i != PipeItem::None).collect();
        let mut received = 0;
        loop {
            let (worker, message) = next_message(&mut events).await?;
            match message {
                FromWorker::Received { class, text } => {
                    self.print(recv_line(&text, &class, truthy.get(received).copied()));
                    received += 1;
                }
                FromWorker::PipeEnded => break,
                other => return Err(unexpected(worker, &other)),
            }
        }
        // What structured cloning cannot copy.
        match pipe.send(PipeItem::Function) {
            Err(error) => clone_error_lines(&error).into_iter().for_each(|l| self.print(l)),
            Ok(()) => return Err("the browser copied a function, which it should refuse".into()),
        }
        Ok(())
    }

    /// `sharedctypes.py`: the child changes a Value and an Array the parent then reads.
    async fn sharedctypes(&self) -> Step {
        let length = self.params.length;
        self.rt.memory_shareable()?;
        let (pool, mut events) = self.spawn(1)?;
        let memory = pool.share_memory(sharedctypes::bytes(length))?;
        sharedctypes::fill(&memory, length);
        self.all_ready(&mut events, 1).await?;
        pool.post(0, ToWorker::SharedCtypes { length });
        // Only a "done" comes back; the numbers are read from the memory itself.
        expect(&mut events, |m| matches!(m, FromWorker::Negated).then_some(())).await?;
        let (value, array) = sharedctypes::read(&memory, length);
        for line in sharedctypes_lines(value, &array) {
            self.print(line);
        }
        Ok(())
    }

    /// `async_hello()` makes a coroutine and runs nothing; awaiting it runs it.
    async fn async_hello(&self) -> Step {
        let future = Box::pin(async_hello(self.emit.clone()));
        let name = std::any::type_name_of_val(&*future);
        let name = name.strip_prefix("concurrency_playground::").unwrap_or(name);
        let address = &*future as *const _ as *const () as usize;
        self.print(future_line(name, size_of_val(&*future), address));
        future.await;
        Ok(())
    }

    /// `async_print.py`: ten coroutines gathered, each printing after a random sleep.
    async fn async_print(&self) -> Step {
        let mut random = self.random();
        let jobs = (0..10).map(|number| {
            let delay_ms = random.next_f64() * 1000.0;
            async move {
                self.rt.sleep_ms(delay_ms).await;
                self.print(number.to_string());
            }
        });
        futures::future::join_all(jobs).await;
        Ok(())
    }

    /// `waiters.py` / `waiters_await.py`: two waiters, four rounds each.
    async fn waiters(&self) -> Step {
        let mut random = self.random();
        // Each waiter's sleeps drawn up front: the same seed, the same sleeps, either way.
        let mut rounds = || -> Vec<f64> { (0..4).map(|_| random.randint(1, 3) as f64 / 4.0).collect() };
        let (first, second) = (rounds(), rounds());
        let started = self.rt.now_ms();
        futures::future::join(self.waiter("first", &first), self.waiter("second", &second)).await;
        self.print("");
        self.print(real_line(self.rt.now_ms() - started));
        Ok(())
    }

    async fn waiter(&self, name: &str, rounds: &[f64]) {
        for &seconds in rounds {
            match self.params.sleep {
                Sleep::Blocking => self.rt.block_ms(seconds * 1000.0),
                Sleep::Await => self.rt.sleep_ms(seconds * 1000.0).await,
            }
            self.print(waited_line(name, seconds));
        }
    }

    /// The run's random numbers: from Seed, or a fresh seed (reported, to repeat the run).
    fn random(&self) -> SplitMix {
        let seed = self
            .params
            .seed
            .unwrap_or_else(|| SplitMix(self.rt.now_ms().to_bits()).next_u64() % 1_000_000);
        (self.emit)(Event::Seeded(seed));
        SplitMix(seed)
    }
}

/// `async def async_hello(): print("hello world!")`.
async fn async_hello(emit: Emit<Event>) {
    emit(Event::Print(HELLO_WORLD.to_string()));
}

/// The next message from any worker; a failure or the stream's end is the run's error.
async fn next_message(events: &mut PoolEvents) -> Step<(usize, FromWorker)> {
    match events.next().await {
        Some((worker, WorkerEvent::Message(message))) => Ok((worker, message)),
        Some((worker, WorkerEvent::Failed(reason))) => {
            Err(format!("worker {} failed: {reason}", worker + 1))
        }
        None => Err("the workers' event stream ended".to_string()),
    }
}

/// The next message, which must be the one `pick` takes.
async fn expect<T>(events: &mut PoolEvents, pick: impl Fn(&FromWorker) -> Option<T>) -> Step<T> {
    let (worker, message) = next_message(events).await?;
    pick(&message).ok_or_else(|| unexpected(worker, &message))
}

fn unexpected(worker: usize, message: &FromWorker) -> String {
    format!("worker {} answered {message:?} out of turn", worker + 1)
}

#[cfg(test)]
mod tests {
    use std::pin::pin;
    use std::rc::Rc;

    use super::super::form::Field;
    use super::super::form::tests::form;
    use super::super::session::Session;
    use super::*;
    use crate::labs::LabSession;
    use crate::labs::choice::Choice;
    use crate::runtime::testing::{Virtual, recorder, run_recorded, run_to_end};

    fn params(demo: Demo, pairs: &[(Field, &str)]) -> MemoryParams {
        let mut all = vec![(Field::Demo, demo.key())];
        all.extend_from_slice(pairs);
        use crate::labs::LabForm;
        form(&all).validate().unwrap()
    }

    fn run_virtual(rt: &Virtual, params: MemoryParams) -> (Session, Vec<Event>, f64) {
        let (events, took) = run_recorded(rt, |emit| run(params, rt.clone(), emit));
        assert_eq!(rt.live_workers(), 0, "every worker ends with the run");
        assert_eq!(rt.clock.pending_timers(), 0, "no timer left behind");
        (Session::replay(&events), events, took)
    }

    fn outcome(s: &Session) -> Outcome {
        s.outcome.clone().expect("the run ended")
    }

    #[test]
    fn thread_visits_counts_from_the_shared_memory_after_a_common_start() {
        for update in ["read-then-write", "+=", "lock", "atomic"] {
            let rt = Virtual::default();
            let p = params(
                Demo::ThreadVisits,
                &[(Field::Workers, "4"), (Field::Increments, "1000"), (Field::Update, update)],
            );
            let (s, events, _) = run_virtual(&rt, p);
            assert_eq!(outcome(&s), Outcome::Completed, "{update}: {:?}", s.transcript);
            // The virtual workers take turns (one thread at a time), so nothing is lost here;
            // the page's workers overlap for real (see the e2e test).
            assert_eq!(s.transcript, ["thread_count=4, thread_visits=4000"], "{update}");
            let row = s.last_visits.as_ref().unwrap();
            assert_eq!((row.tally.expected, row.tally.counted), (4000, 4000));
            assert!(row.elapsed_ms > 0.0);
            let ready = events.iter().position(|e| matches!(e, Event::Ready { .. })).unwrap();
            let counted = events.iter().position(|e| matches!(e, Event::Counted { .. })).unwrap();
            assert!(ready < counted);
        }
    }

    #[test]
    fn the_demos_that_share_memory_say_why_they_cannot_without_it() {
        for demo in [Demo::ThreadVisits, Demo::SharedCtypes] {
            let mut rt = Virtual::default();
            rt.shared_memory = false;
            let (s, _, took) = run_virtual(&rt, params(demo, &[]));
            assert!(matches!(outcome(&s), Outcome::Failed(_)), "{demo:?}");
            assert!(s.transcript[0].starts_with("Error: memory cannot be shared"), "{:?}", s.transcript);
            assert_eq!(took, 0.0, "{demo:?} failed before waiting for any worker");
            assert_eq!(rt.workers_started(), 0, "{demo:?} started no worker it could not use");
        }
        // The others need no shared memory.
        for demo in [Demo::Forks, Demo::BasicMultiprocessing, Demo::Pipes, Demo::AsyncHello] {
            let mut rt = Virtual::default();
            rt.shared_memory = false;
            let (s, _, _) = run_virtual(&rt, params(demo, &[]));
            assert_eq!(outcome(&s), Outcome::Completed, "{demo:?}");
        }
    }

    #[test]
    fn forks_copies_the_list_and_both_sides_append_their_own_pid() {
        let rt = Virtual::default();
        let (s, _, _) = run_virtual(&rt, params(Demo::Forks, &[]));
        let page = rt.page_pid();
        let child = page + 1;
        assert_eq!(
            s.transcript,
            [
                "PRNT: hey, I am the parent process".to_string(),
                format!("PRNT: the child pid is {child}"),
                format!("PRNT: all the pids I know [{page}, {page}]"),
                "CHLD: hey, I am the child process".to_string(),
                format!("CHLD: all the pids I know [{page}, {child}]"),
            ]
        );
    }

    #[test]
    fn basic_multiprocessing_prints_in_the_order_the_processes_answer() {
        let mut rt = Virtual::default();
        // Worker 2 is the slowest to answer, worker 0 the second slowest.
        rt.answer_ms = Rc::new(|worker| [20.0, 5.0, 30.0, 1.0, 2.0][worker]);
        let (s, _, _) = run_virtual(&rt, params(Demo::BasicMultiprocessing, &[]));
        let order: Vec<&str> = s.transcript.iter().map(|l| &l[22..23]).collect();
        assert_eq!(order, ["3", "4", "1", "0", "2"], "{:?}", s.transcript);
        let pids: Vec<u32> = (0..5).map(|w| rt.page_pid() + 1 + w).collect();
        assert!(s.transcript[0].ends_with(&format!("pid: {}", pids[3])));
    }

    #[test]
    fn pipes_sends_the_books_items_and_shows_what_cloning_refuses() {
        let rt = Virtual::default();
        let (s, _, _) = run_virtual(&rt, params(Demo::Pipes, &[]));
        assert_eq!(&s.transcript[..5], &[
            "PRNT: send: 42",
            "PRNT: send: some string",
            "PRNT: send: {'one': 1}",
            "PRNT: send: <CustomClass object>",
            "PRNT: send: None",
        ]);
        assert_eq!(&s.transcript[5..8], &["CHLD: recv: 42", "CHLD: recv: some string", "CHLD: recv: {'one': 1}"]);
        assert!(s.transcript[8].starts_with("CHLD: recv: {}  # a copy whose class is Object"));
        assert_eq!(s.transcript[9], "PRNT: send: <function work>");
        assert!(s.transcript[10].starts_with("DataCloneError"), "{:?}", s.transcript);
        assert_eq!(s.transcript.len(), 11);
        assert_eq!(outcome(&s), Outcome::Completed);
    }

    #[test]
    fn sharedctypes_reads_back_what_the_child_wrote_in_place() {
        let rt = Virtual::default();
        let (s, _, _) = run_virtual(&rt, params(Demo::SharedCtypes, &[]));
        assert_eq!(s.transcript, ["3.1415927", "[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]"]);
        let (s, _, _) = run_virtual(&rt, params(Demo::SharedCtypes, &[(Field::Length, "3")]));
        assert_eq!(s.transcript[1], "[0, -1, -2]");
    }

    #[test]
    fn async_hello_prints_the_unpolled_future_then_runs_it() {
        let rt = Virtual::default();
        let (s, _, _) = run_virtual(&rt, params(Demo::AsyncHello, &[]));
        assert_eq!(s.transcript.len(), 2);
        assert!(s.transcript[0].starts_with("<future labs::memory::script::async_hello"), "{}", s.transcript[0]);
        assert!(s.transcript[0].contains(" at 0x"));
        assert_eq!(s.transcript[1], "hello world!");
    }

    #[test]
    fn async_print_finishes_in_order_of_the_sleeps_and_a_seed_repeats_it() {
        let order = |seed: &str| {
            let rt = Virtual::default();
            let (s, _, took) = run_virtual(&rt, params(Demo::AsyncPrint, &[(Field::Seed, seed)]));
            assert!(took < 1000.0);
            assert_eq!(s.seed, Some(seed.parse().unwrap()));
            s.transcript
        };
        let first = order("1");
        assert_eq!(first, order("1"));
        let mut sorted = first.clone();
        sorted.sort();
        assert_eq!(sorted, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
        assert_ne!(first, sorted, "seed 1 does not happen to sleep in creation order");
        assert_ne!(first, order("2"));
        // Unseeded: a seed is drawn and reported.
        let rt = Virtual::default();
        let (s, _, _) = run_virtual(&rt, params(Demo::AsyncPrint, &[]));
        assert!(s.seed.is_some());
    }

    #[test]
    fn blocking_waiters_take_the_sum_of_their_sleeps_awaiting_ones_the_longer_waiter() {
        let waiters = |sleep: &str| {
            let rt = Virtual::default();
            let p = params(Demo::Waiters, &[(Field::Sleep, sleep), (Field::Seed, "4")]);
            let (s, _, _) = run_virtual(&rt, p);
            s
        };
        let blocking = waiters("time.sleep");
        let lines = &blocking.transcript;
        assert_eq!(lines.len(), 10);
        assert!(lines[..4].iter().all(|l| l.starts_with("first waited ")), "{lines:?}");
        assert!(lines[4..8].iter().all(|l| l.starts_with("second waited ")), "{lines:?}");
        let seconds = |lines: &[String], name: &str| -> f64 {
            lines
                .iter()
                .filter_map(|l| l.strip_prefix(&format!("{name} waited ")))
                .map(|l| l.trim_end_matches(" seconds").parse::<f64>().unwrap())
                .sum()
        };
        let (first, second) = (seconds(lines, "first"), seconds(lines, "second"));
        assert_eq!(lines[9], real_line((first + second) * 1000.0));
        assert_eq!(blocking.stats.blocked_ms, (first + second) * 1000.0, "the page froze");

        let awaiting = waiters("asyncio.sleep");
        let lines = &awaiting.transcript;
        assert_eq!(seconds(lines, "first"), first, "the same seed, the same sleeps");
        assert_eq!(lines[9], real_line(first.max(second) * 1000.0));
        assert_eq!(awaiting.stats.blocked_ms, 0.0);
        let firsts: Vec<bool> = lines[..8].iter().map(|l| l.starts_with("first")).collect();
        assert_ne!(firsts, [true, true, true, true, false, false, false, false], "interleaved");
    }

    #[test]
    fn stop_ends_every_worker_at_once() {
        for &demo in Demo::ALL {
            let rt = Virtual::default();
            let mut pairs = vec![(Field::Workers, "256")];
            if demo == Demo::Waiters {
                pairs.push((Field::Sleep, "asyncio.sleep"));
            }
            let p = params(demo, &pairs);
            let (emit, events) = recorder();
            // The virtual workers take 1 ms per 1,000 increments: 256 × 100,000 is 25.6 s.
            let stop = rt.clock.sleep(3.0);
            let rt2 = rt.clone();
            let took = run_to_end(&rt, async move {
                let run = pin!(run(p, rt2, emit));
                futures::future::select(run, pin!(stop)).await;
            });
            assert_eq!(rt.live_workers(), 0, "{demo:?}");
            assert_eq!(rt.clock.pending_timers(), 0, "{demo:?}");
            let events = events.borrow();
            if matches!(demo, Demo::ThreadVisits | Demo::AsyncPrint | Demo::Waiters) {
                let finished = events.iter().any(|e| matches!(e, Event::Finished { .. }));
                assert!(!finished, "{demo:?} was still going at 3 ms");
                assert_eq!(took, 3.0, "{demo:?}");
            }
        }
    }
}
