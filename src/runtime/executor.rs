//! `concurrent.futures` for the event loop: an [`Executor`] with `max_workers` slots that
//! runs async jobs, [`JobHandle`]s that move through `pending → running → finished /
//! failed / cancelled`, [`Executor::map`] (results in submission order) and
//! [`as_completed`] (handles in completion order).
//!
//! Pure `futures`, no browser types: it compiles on every target and its ordering is
//! tested natively against a virtual clock (`runtime::testing::VirtualClock`).
//!
//! # How jobs get polled: a driver future, no spawning
//!
//! [`Executor::new`] returns the executor *and* its [`Driver`]: every submitted job is
//! sent down an unbounded channel, and the driver is that channel's receiver run with
//! [`StreamExt::for_each_concurrent`] — the pool's "worker threads". The executor never
//! spawns anything; the caller polls the driver next to its script, e.g.
//! `join(driver, script)` inside the run's task. This was chosen over a spawner
//! callback because
//! * Stop drops the run's task, and with it the driver and every job future it owns
//!   (timers, fetches): nothing outlives the run or reports into the next one, as
//!   `runtime::task` promises for every lab;
//! * the driver ends when the executor is [shut down](Executor::shutdown) and its last
//!   job is done — `with ThreadPoolExecutor(...)`'s `shutdown(wait=True)` — so
//!   `join(driver, script)` is the whole `with` block;
//! * natively the same driver runs on a `LocalPool` with no browser stand-in to inject.
//!
//! # Slots
//!
//! Concurrency is limited by slots, handed out synchronously: [`Executor::submit`] gives
//! the job a free slot at once if there is one (the handle is `running` when `submit`
//! returns, as a pool thread picks up the work item), otherwise the job waits in a FIFO
//! queue on a `oneshot` that will carry its slot id. A job that ends hands its slot
//! straight to the oldest pending job, so that job starts at the very instant the slot
//! was freed. The lowest free slot id is used first.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::rc::{Rc, Weak};

use futures::FutureExt;
use futures::channel::{mpsc, oneshot};
use futures::future::LocalBoxFuture;
use futures::stream::{self, FuturesUnordered, Stream, StreamExt};

/// "Now" in milliseconds: `performance.now()` in the browser, a virtual clock in tests.
pub type Clock = Rc<dyn Fn() -> f64>;

/// The future that runs the executor's jobs; poll it next to the script (see the module docs).
pub type Driver = LocalBoxFuture<'static, ()>;

/// A job's life, as `concurrent.futures.Future` names it (plus `failed` for `finished`
/// with an exception).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum JobState {
    Pending,
    Running,
    Finished,
    Failed,
    Cancelled,
}

impl JobState {
    /// Lower case, as in Python's `<Future at 0x… state=running>`.
    pub fn key(self) -> &'static str {
        match self {
            JobState::Pending => "pending",
            JobState::Running => "running",
            JobState::Finished => "finished",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
        }
    }

    /// Finished, failed or cancelled: `Future.done()`.
    pub fn is_done(self) -> bool {
        matches!(
            self,
            JobState::Finished | JobState::Failed | JobState::Cancelled
        )
    }
}

/// What [`Executor::cancel_pending`] did: job ids, in submission order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StopReport {
    /// Were pending: now cancelled, they will never run.
    pub cancelled: Vec<usize>,
    /// Were running: cannot be cancelled; the caller abandons them.
    pub abandoned: Vec<usize>,
}

type Observer<T, E> = Rc<dyn Fn(&JobHandle<T, E>)>;

struct Inner<T, E> {
    max_workers: usize,
    clock: Clock,
    /// Every job ever submitted, by id.
    jobs: RefCell<Vec<JobHandle<T, E>>>,
    free_slots: RefCell<BTreeSet<usize>>,
    /// Jobs waiting for a slot, oldest first (cancelled ones are skipped when reached).
    queue: RefCell<VecDeque<JobHandle<T, E>>>,
    /// To the driver.
    jobs_tx: mpsc::UnboundedSender<LocalBoxFuture<'static, ()>>,
    observer: RefCell<Option<Observer<T, E>>>,
}

impl<T, E> Inner<T, E> {
    fn now(&self) -> f64 {
        (self.clock)()
    }

    fn notify(&self, handle: &JobHandle<T, E>) {
        let observer = self.observer.borrow().clone();
        if let Some(observer) = observer {
            observer(handle);
        }
    }

    /// Gives free slots to the oldest pending jobs.
    fn dispatch(&self) {
        loop {
            if self.free_slots.borrow().is_empty() {
                return;
            }
            let Some(next) = self.queue.borrow_mut().pop_front() else {
                return;
            };
            let Some(slot_tx) = next.cell.slot_tx.borrow_mut().take() else {
                continue; // cancelled while it waited
            };
            let slot = self.free_slots.borrow_mut().pop_first().expect("checked");
            let cell = &next.cell;
            cell.state.set(JobState::Running);
            cell.slot.set(Some(slot));
            cell.started_at.set(Some(self.now()));
            self.notify(&next);
            // The job's task is gone only if the driver was dropped; the slot goes with it.
            let _ = slot_tx.send(slot);
        }
    }

    fn release(&self, slot: usize) {
        self.free_slots.borrow_mut().insert(slot);
        self.dispatch();
    }
}

/// A pool of `max_workers` slots running async jobs on whatever polls its [`Driver`].
/// Cheap to clone (all clones are the same executor).
pub struct Executor<T, E> {
    inner: Rc<Inner<T, E>>,
}

impl<T, E> Clone for Executor<T, E> {
    fn clone(&self) -> Self {
        Executor {
            inner: self.inner.clone(),
        }
    }
}

impl<T: 'static, E: 'static> Executor<T, E> {
    /// An executor with `max_workers` slots (at least 1), timing jobs with `clock`, and
    /// the driver that runs them.
    pub fn new(max_workers: usize, clock: Clock) -> (Self, Driver) {
        let max_workers = max_workers.max(1);
        let (jobs_tx, jobs_rx) = mpsc::unbounded::<LocalBoxFuture<'static, ()>>();
        // Inserted one by one: collecting into a BTreeSet would first sort the slots with a
        // stable sort that nothing else in the page uses (1.4 kB gzip).
        let mut free_slots = BTreeSet::new();
        free_slots.extend(0..max_workers);
        let inner = Rc::new(Inner {
            max_workers,
            clock,
            jobs: RefCell::new(Vec::new()),
            free_slots: RefCell::new(free_slots),
            queue: RefCell::new(VecDeque::new()),
            jobs_tx,
            observer: RefCell::new(None),
        });
        let driver = jobs_rx.for_each_concurrent(None, |job| job).boxed_local();
        (Executor { inner }, driver)
    }

    pub fn max_workers(&self) -> usize {
        self.inner.max_workers
    }

    /// The executor's clock, in ms.
    pub fn now(&self) -> f64 {
        self.inner.now()
    }

    /// Calls `observer` after every change of state of every job: running (with its slot
    /// and start time set), finished / failed (with its result and end time), cancelled.
    /// It runs synchronously inside `submit`, `cancel` and the driver; it replaces any
    /// earlier observer.
    pub fn on_change(&self, observer: impl Fn(&JobHandle<T, E>) + 'static) {
        *self.inner.observer.borrow_mut() = Some(Rc::new(observer));
    }

    /// `executor.submit(fn, *args)`: schedules `job` and returns its handle at once. The
    /// job is `running` on return if a slot was free, `pending` otherwise. After
    /// [`shutdown`](Executor::shutdown) the job is cancelled at once and never runs
    /// (Python raises `RuntimeError` instead).
    pub fn submit<F>(&self, job: F) -> JobHandle<T, E>
    where
        F: Future<Output = Result<T, E>> + 'static,
    {
        let id = self.inner.jobs.borrow().len();
        let (slot_tx, slot_rx) = oneshot::channel::<usize>();
        let handle = JobHandle {
            cell: Rc::new(JobCell {
                id,
                state: Cell::new(JobState::Pending),
                slot: Cell::new(None),
                started_at: Cell::new(None),
                ended_at: Cell::new(None),
                outcome: RefCell::new(None),
                waiters: RefCell::new(Vec::new()),
                slot_tx: RefCell::new(Some(slot_tx)),
                executor: Rc::downgrade(&self.inner),
            }),
        };
        self.inner.jobs.borrow_mut().push(handle.clone());
        let inner = self.inner.clone();
        let this = handle.clone();
        let task = async move {
            // An error means the job was cancelled while pending.
            let Ok(slot) = slot_rx.await else { return };
            let outcome = job.await;
            this.complete(outcome, inner.now(), &inner);
            inner.release(slot);
        };
        if self
            .inner
            .jobs_tx
            .unbounded_send(task.boxed_local())
            .is_err()
        {
            handle.cancel();
            return handle;
        }
        self.inner.queue.borrow_mut().push_back(handle.clone());
        self.inner.dispatch();
        handle
    }

    /// `executor.map(fn, iterable)`: submits every job now, and returns a stream of their
    /// results **in submission order** — result `i` is yielded once job `i` is done, even
    /// if later jobs finished long before. Like Python's generator, an error ends the
    /// stream: it is yielded when the consumer reaches that result, and every job not yet
    /// yielded is cancelled (the pending ones never run; running ones carry on). A
    /// cancelled job ends the stream the same way (where Python raises `CancelledError`),
    /// and so does dropping the stream early.
    pub fn map<I>(&self, jobs: I) -> impl Stream<Item = Result<T, E>> + use<T, E, I>
    where
        I: IntoIterator,
        I::Item: Future<Output = Result<T, E>> + 'static,
        T: Clone,
        E: Clone,
    {
        let handles: VecDeque<JobHandle<T, E>> = jobs.into_iter().map(|j| self.submit(j)).collect();
        stream::unfold(Some(CancelOnDrop(handles)), |state| async move {
            let mut rest = state?;
            let next = rest.0.front()?.clone();
            next.wait().await;
            rest.0.pop_front();
            match next.result()? {
                Ok(value) => Some((Ok(value), Some(rest))),
                // `rest` is dropped here: the jobs behind the error are cancelled.
                Err(error) => Some((Err(error), None)),
            }
        })
    }

    /// `executor.shutdown(cancel_futures=True)` without the wait: cancels every pending
    /// job and reports which were cancelled and which are still running (those the
    /// caller abandons, e.g. by dropping the driver). Further submits are still accepted.
    pub fn cancel_pending(&self) -> StopReport {
        let mut report = StopReport::default();
        for handle in self.jobs() {
            match handle.state() {
                JobState::Pending if handle.cancel() => report.cancelled.push(handle.id()),
                JobState::Running => report.abandoned.push(handle.id()),
                _ => {}
            }
        }
        report
    }

    /// `executor.shutdown(wait=False)`: no new jobs (they are cancelled on submit); the
    /// driver ends once the jobs already submitted are done.
    pub fn shutdown(&self) {
        self.inner.jobs_tx.close_channel();
    }

    /// Shut down, or its driver is gone: a new job would be cancelled at once.
    #[cfg(test)]
    pub fn is_shut_down(&self) -> bool {
        self.inner.jobs_tx.is_closed()
    }

    /// Every job submitted so far, by id (submission order).
    pub fn jobs(&self) -> Vec<JobHandle<T, E>> {
        self.inner.jobs.borrow().clone()
    }
}

/// Cancels the handles it still holds when dropped (Python's `finally: future.cancel()`
/// in `Executor.map`'s generator).
struct CancelOnDrop<T, E>(VecDeque<JobHandle<T, E>>);

impl<T, E> Drop for CancelOnDrop<T, E> {
    fn drop(&mut self) {
        for handle in &self.0 {
            handle.cancel();
        }
    }
}

/// `concurrent.futures.as_completed(fs)`: the handles, each yielded as soon as it is done
/// — **completion order** (a failed or cancelled job is done too).
pub fn as_completed<T, E, I>(handles: I) -> impl Stream<Item = JobHandle<T, E>> + use<T, E, I>
where
    T: 'static,
    E: 'static,
    I: IntoIterator<Item = JobHandle<T, E>>,
{
    handles
        .into_iter()
        .map(|handle| async move {
            handle.wait().await;
            handle
        })
        .collect::<FuturesUnordered<_>>()
}

struct JobCell<T, E> {
    id: usize,
    state: Cell<JobState>,
    slot: Cell<Option<usize>>,
    started_at: Cell<Option<f64>>,
    ended_at: Cell<Option<f64>>,
    outcome: RefCell<Option<Result<T, E>>>,
    /// `wait()` futures to wake when done.
    waiters: RefCell<Vec<oneshot::Sender<()>>>,
    /// Carries the slot to the waiting job; taken when it starts, dropped when cancelled.
    slot_tx: RefCell<Option<oneshot::Sender<usize>>>,
    executor: Weak<Inner<T, E>>,
}

/// A submitted job: `concurrent.futures.Future`. Cheap to clone (all clones are the same job).
pub struct JobHandle<T, E> {
    cell: Rc<JobCell<T, E>>,
}

impl<T, E> Clone for JobHandle<T, E> {
    fn clone(&self) -> Self {
        JobHandle {
            cell: self.cell.clone(),
        }
    }
}

impl<T, E> fmt::Debug for JobHandle<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobHandle")
            .field("id", &self.id())
            .field("state", &self.state())
            .field("slot", &self.slot())
            .field("started_at", &self.started_at())
            .field("ended_at", &self.ended_at())
            .finish()
    }
}

impl<T, E> JobHandle<T, E> {
    /// 0, 1, 2, … in submission order, per executor.
    pub fn id(&self) -> usize {
        self.cell.id
    }

    pub fn state(&self) -> JobState {
        self.cell.state.get()
    }

    pub fn is_done(&self) -> bool {
        self.state().is_done()
    }

    /// The slot the job runs or ran in (0-based); `None` until it starts.
    pub fn slot(&self) -> Option<usize> {
        self.cell.slot.get()
    }

    /// When it got its slot (ms on the executor's clock).
    pub fn started_at(&self) -> Option<f64> {
        self.cell.started_at.get()
    }

    /// When it finished, failed or was cancelled.
    pub fn ended_at(&self) -> Option<f64> {
        self.cell.ended_at.get()
    }

    /// `Future.cancel()`: a pending job is cancelled (it will never run) and `true` is
    /// returned; `true` again if it already was; `false` once it is running or done.
    pub fn cancel(&self) -> bool {
        match self.state() {
            JobState::Cancelled => true,
            JobState::Pending => {
                let executor = self.cell.executor.upgrade();
                self.cell.state.set(JobState::Cancelled);
                self.cell
                    .ended_at
                    .set(executor.as_ref().map(|inner| inner.now()));
                // Its task, waiting for a slot, ends; `dispatch` will skip its queue entry.
                drop(self.cell.slot_tx.borrow_mut().take());
                if let Some(inner) = &executor {
                    inner.notify(self);
                }
                self.wake_waiters();
                true
            }
            _ => false,
        }
    }

    /// Resolves once the job is done (finished, failed or cancelled). A job whose
    /// driver was dropped mid-run never resolves.
    pub fn wait(&self) -> impl Future<Output = ()> + 'static + use<T, E> {
        let pending = (!self.is_done()).then(|| {
            let (tx, rx) = oneshot::channel();
            self.cell.waiters.borrow_mut().push(tx);
            rx
        });
        async move {
            if let Some(rx) = pending {
                let _ = rx.await;
            }
        }
    }

    fn wake_waiters(&self) {
        let waiters = std::mem::take(&mut *self.cell.waiters.borrow_mut());
        for waiter in waiters {
            let _ = waiter.send(());
        }
    }

    /// Records the job's outcome, tells the observer, then wakes `wait()`ers.
    fn complete(&self, outcome: Result<T, E>, now: f64, inner: &Inner<T, E>) {
        let state = if outcome.is_ok() {
            JobState::Finished
        } else {
            JobState::Failed
        };
        *self.cell.outcome.borrow_mut() = Some(outcome);
        self.cell.state.set(state);
        self.cell.ended_at.set(Some(now));
        inner.notify(self);
        self.wake_waiters();
    }
}

impl<T: Clone, E: Clone> JobHandle<T, E> {
    /// `Future.result()` without the waiting: the value or the error once the job has
    /// finished or failed; `None` while pending or running, and for a cancelled job.
    pub fn result(&self) -> Option<Result<T, E>> {
        self.cell.outcome.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::testing::VirtualClock;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;

    type Exec = Executor<u32, String>;
    type Log = Rc<RefCell<Vec<(String, f64)>>>;

    /// `loiter(n)`: sleeps n virtual seconds, returns n * 10; a negative n fails after |n| s.
    fn loiter(clock: &VirtualClock, n: i32) -> impl Future<Output = Result<u32, String>> + 'static {
        let sleep = clock.sleep(n.unsigned_abs() as f64 * 1000.0);
        async move {
            sleep.await;
            if n < 0 {
                Err(format!("loiter({}) failed", -n))
            } else {
                Ok(n as u32 * 10)
            }
        }
    }

    /// A lazily started loiter: the sleep begins when the job is first polled.
    fn lazy_loiter(clock: &VirtualClock, n: i32) -> LocalBoxFuture<'static, Result<u32, String>> {
        let clock = clock.clone();
        async move { loiter(&clock, n).await }.boxed_local()
    }

    fn seconds(ms: Option<f64>) -> f64 {
        ms.expect("time recorded") / 1000.0
    }

    struct Setup {
        clock: VirtualClock,
        pool: LocalPool,
        executor: Exec,
        log: Log,
    }

    fn setup(workers: usize) -> Setup {
        let clock = VirtualClock::new();
        let pool = LocalPool::new();
        let (executor, driver) = Exec::new(workers, clock.clock());
        pool.spawner().spawn_local(driver).unwrap();
        Setup {
            clock,
            pool,
            executor,
            log: Rc::default(),
        }
    }

    impl Setup {
        fn jobs(&self, delays: &[i32]) -> Vec<LocalBoxFuture<'static, Result<u32, String>>> {
            delays
                .iter()
                .map(|&n| lazy_loiter(&self.clock, n))
                .collect()
        }

        /// Consumes `executor.map(delays)`, logging each item with the time it arrived.
        fn consume_map(&mut self, delays: &[i32]) {
            let results = self.executor.map(self.jobs(delays));
            let (log, clock) = (self.log.clone(), self.clock.clone());
            self.pool
                .spawner()
                .spawn_local(async move {
                    let mut results = std::pin::pin!(results);
                    while let Some(item) = results.next().await {
                        let text = match item {
                            Ok(v) => v.to_string(),
                            Err(e) => format!("error: {e}"),
                        };
                        log.borrow_mut().push((text, clock.now() / 1000.0));
                    }
                })
                .unwrap();
            self.clock.run(&mut self.pool);
        }

        /// Submits every job, then consumes `as_completed(handles)`.
        fn consume_as_completed(&mut self, delays: &[i32]) {
            let handles: Vec<_> = self
                .jobs(delays)
                .into_iter()
                .map(|job| self.executor.submit(job))
                .collect();
            let (log, clock) = (self.log.clone(), self.clock.clone());
            self.pool
                .spawner()
                .spawn_local(async move {
                    let mut done = std::pin::pin!(as_completed(handles));
                    while let Some(handle) = done.next().await {
                        let text = match handle.result() {
                            Some(Ok(v)) => v.to_string(),
                            Some(Err(e)) => format!("error: {e}"),
                            None => format!("{} {}", handle.id(), handle.state().key()),
                        };
                        log.borrow_mut().push((text, clock.now() / 1000.0));
                    }
                })
                .unwrap();
            self.clock.run(&mut self.pool);
        }

        fn log(&self) -> Vec<(String, f64)> {
            self.log.borrow().clone()
        }

        fn starts(&self) -> Vec<f64> {
            self.executor
                .jobs()
                .iter()
                .map(|h| seconds(h.started_at()))
                .collect()
        }

        fn starts_of(&self) -> Vec<Option<f64>> {
            self.executor
                .jobs()
                .iter()
                .map(|h| h.started_at().map(|t| t / 1000.0))
                .collect()
        }

        fn slots(&self) -> Vec<Option<usize>> {
            self.executor.jobs().iter().map(JobHandle::slot).collect()
        }

        fn states(&self) -> Vec<JobState> {
            self.executor.jobs().iter().map(JobHandle::state).collect()
        }
    }

    fn items(pairs: &[(&str, f64)]) -> Vec<(String, f64)> {
        pairs.iter().map(|&(s, t)| (s.to_string(), t)).collect()
    }

    #[test]
    fn the_books_run_map_holds_results_in_submission_order() {
        let mut s = setup(3);
        s.consume_map(&[0, 1, 2, 3, 4]);
        // Job 3 takes the slot job 0 freed at 0; job 4 the one job 1 freed at 1.
        assert_eq!(s.starts(), [0.0, 0.0, 0.0, 0.0, 1.0]);
        assert_eq!(s.slots(), [Some(0), Some(1), Some(2), Some(0), Some(1)]);
        let ends: Vec<f64> = s
            .executor
            .jobs()
            .iter()
            .map(|h| seconds(h.ended_at()))
            .collect();
        assert_eq!(ends, [0.0, 1.0, 2.0, 3.0, 5.0]);
        assert_eq!(
            s.log(),
            items(&[
                ("0", 0.0),
                ("10", 1.0),
                ("20", 2.0),
                ("30", 3.0),
                ("40", 5.0)
            ])
        );
        assert_eq!(s.states(), [JobState::Finished; 5]);
        assert_eq!(s.clock.pending_timers(), 0);
    }

    #[test]
    fn a_slow_first_job_holds_back_map_but_not_as_completed() {
        let mut s = setup(3);
        s.consume_map(&[3, 1, 2]);
        assert_eq!(s.starts(), [0.0, 0.0, 0.0]);
        assert_eq!(s.log(), items(&[("30", 3.0), ("10", 3.0), ("20", 3.0)]));

        let mut s = setup(3);
        s.consume_as_completed(&[3, 1, 2]);
        assert_eq!(s.log(), items(&[("10", 1.0), ("20", 2.0), ("30", 3.0)]));
    }

    #[test]
    fn one_worker_yields_in_submission_order_either_way() {
        let mut s = setup(1);
        s.consume_map(&[3, 1, 2]);
        assert_eq!(s.starts(), [0.0, 3.0, 4.0]);
        assert_eq!(s.slots(), [Some(0); 3]);
        assert_eq!(s.log(), items(&[("30", 3.0), ("10", 4.0), ("20", 6.0)]));

        let mut s = setup(1);
        s.consume_as_completed(&[3, 1, 2]);
        assert_eq!(s.log(), items(&[("30", 3.0), ("10", 4.0), ("20", 6.0)]));
    }

    #[test]
    fn map_surfaces_an_error_where_the_consumer_reaches_it_and_stops() {
        let mut s = setup(3);
        s.consume_map(&[0, 1, -2, 3, 4]);
        assert_eq!(
            s.log(),
            items(&[("0", 0.0), ("10", 1.0), ("error: loiter(2) failed", 2.0)])
        );
        // Jobs 3 and 4 were already running: they finish anyway.
        assert_eq!(
            s.states(),
            [
                JobState::Finished,
                JobState::Finished,
                JobState::Failed,
                JobState::Finished,
                JobState::Finished
            ]
        );
        assert_eq!(seconds(s.executor.jobs()[4].ended_at()), 5.0);

        // With one worker the jobs behind the error are still queued: map cancels them —
        // except job 2, which took the slot the failed job freed before the consumer saw
        // the error (a pool thread takes the next work item at once, too).
        let mut s = setup(1);
        s.consume_map(&[0, -1, 2, 3]);
        assert_eq!(
            s.log(),
            items(&[("0", 0.0), ("error: loiter(1) failed", 1.0)])
        );
        assert_eq!(
            s.states(),
            [
                JobState::Finished,
                JobState::Failed,
                JobState::Finished,
                JobState::Cancelled
            ]
        );
        assert_eq!(s.starts_of(), [Some(0.0), Some(0.0), Some(1.0), None]);
        assert_eq!(s.slots()[3], None);
    }

    #[test]
    fn as_completed_reports_each_failure_and_carries_on() {
        let mut s = setup(3);
        s.consume_as_completed(&[3, -1, 2, -4]);
        assert_eq!(
            s.log(),
            items(&[
                ("error: loiter(1) failed", 1.0),
                ("20", 2.0),
                ("30", 3.0),
                ("error: loiter(4) failed", 5.0)
            ])
        );
    }

    #[test]
    fn cancel_works_on_pending_jobs_only() {
        let mut s = setup(1);
        let jobs = s.jobs(&[2, 1, 1]);
        let handles: Vec<_> = jobs.into_iter().map(|job| s.executor.submit(job)).collect();
        assert_eq!(
            handles[0].state(),
            JobState::Running,
            "a free slot: runs at once"
        );
        assert_eq!(handles[1].state(), JobState::Pending);
        assert!(!handles[0].cancel(), "running: cannot be cancelled");
        assert!(handles[1].cancel());
        assert!(
            handles[1].cancel(),
            "already cancelled: still true, as in Python"
        );
        assert_eq!(handles[1].state(), JobState::Cancelled);
        assert_eq!(handles[1].ended_at(), Some(0.0));
        // wait() on a cancelled job resolves at once.
        let waited = Rc::new(Cell::new(false));
        let flag = waited.clone();
        let wait = handles[1].wait();
        s.pool
            .spawner()
            .spawn_local(async move {
                wait.await;
                flag.set(true);
            })
            .unwrap();
        s.pool.run_until_stalled();
        assert!(waited.get());

        s.clock.run(&mut s.pool);
        assert_eq!(
            s.states(),
            [JobState::Finished, JobState::Cancelled, JobState::Finished]
        );
        assert_eq!(
            s.starts_of(),
            [Some(0.0), None, Some(2.0)],
            "its place in the queue is skipped"
        );
        assert_eq!(handles[1].slot(), None);
        assert_eq!(handles[1].result(), None);
        assert!(!handles[0].cancel(), "finished: false");
        assert_eq!(handles[2].result(), Some(Ok(10)));
    }

    #[test]
    fn cancel_pending_cancels_the_queue_and_names_the_running() {
        let mut s = setup(2);
        let handles: Vec<_> = s
            .jobs(&[1, 2, 3, 4, 5])
            .into_iter()
            .map(|job| s.executor.submit(job))
            .collect();
        s.clock.run_until(&mut s.pool, 1500.0);
        // At 1.5 s: job 0 is done, 1 and 2 run, 3 and 4 wait.
        assert_eq!(
            s.executor.cancel_pending(),
            StopReport {
                cancelled: vec![3, 4],
                abandoned: vec![1, 2],
            }
        );
        assert_eq!(handles[3].state(), JobState::Cancelled);
        assert_eq!(handles[3].ended_at(), Some(1500.0));
        s.clock.run(&mut s.pool);
        assert_eq!(handles[4].started_at(), None, "a cancelled job never runs");
        assert_eq!(handles[2].state(), JobState::Finished);
        assert_eq!(s.executor.cancel_pending(), StopReport::default());
    }

    #[test]
    fn the_observer_sees_every_change_in_order() {
        let mut s = setup(1);
        let seen: Log = Rc::default();
        let log = seen.clone();
        let clock = s.clock.clone();
        s.executor.on_change(move |h| {
            let text = format!("{} {} {:?}", h.id(), h.state().key(), h.slot());
            log.borrow_mut().push((text, clock.now() / 1000.0));
        });
        let handles: Vec<_> = s
            .jobs(&[1, -1, 1])
            .into_iter()
            .map(|job| s.executor.submit(job))
            .collect();
        handles[2].cancel();
        s.clock.run(&mut s.pool);
        assert_eq!(
            seen.borrow().clone(),
            items(&[
                ("0 running Some(0)", 0.0),
                ("2 cancelled None", 0.0),
                ("0 finished Some(0)", 1.0),
                ("1 running Some(0)", 1.0),
                ("1 failed Some(0)", 2.0),
            ])
        );
    }

    #[test]
    fn the_driver_ends_after_shutdown_once_the_jobs_are_done() {
        let clock = VirtualClock::new();
        let mut pool = LocalPool::new();
        let (executor, driver) = Exec::new(2, clock.clock());
        let ended = Rc::new(Cell::new(None));
        let flag = ended.clone();
        let at = clock.clone();
        pool.spawner()
            .spawn_local(async move {
                driver.await;
                flag.set(Some(at.now()));
            })
            .unwrap();
        let first = executor.submit(loiter(&clock, 2));
        executor.shutdown();
        assert!(executor.is_shut_down());
        let late = executor.submit(loiter(&clock, 1));
        assert_eq!(
            late.state(),
            JobState::Cancelled,
            "no new jobs after shutdown"
        );
        clock.run(&mut pool);
        assert_eq!(first.result(), Some(Ok(20)));
        assert_eq!(ended.get(), Some(2000.0));
    }

    #[test]
    fn dropping_the_driver_abandons_the_running_jobs() {
        let clock = VirtualClock::new();
        let mut pool = LocalPool::new();
        let (executor, driver) = Exec::new(1, clock.clock());
        let task = pool.spawner().spawn_local_with_handle(driver).unwrap();
        let running = executor.submit(loiter(&clock, 2));
        let pending = executor.submit(loiter(&clock, 1));
        pool.run_until_stalled();
        drop(task); // Stop: the run's task, and the driver with it, is dropped.
        clock.run(&mut pool);
        assert_eq!(
            running.state(),
            JobState::Running,
            "abandoned, never completes"
        );
        assert_eq!(pending.state(), JobState::Pending);
        assert_eq!(
            executor.cancel_pending(),
            StopReport {
                cancelled: vec![1],
                abandoned: vec![0],
            }
        );
        // Submitting to an executor whose driver is gone cancels the job.
        assert_eq!(
            executor.submit(loiter(&clock, 1)).state(),
            JobState::Cancelled
        );
    }

    #[test]
    fn max_workers_is_at_least_one() {
        let clock = VirtualClock::new();
        let (executor, _driver) = Exec::new(0, clock.clock());
        assert_eq!(executor.max_workers(), 1);
        assert_eq!(
            executor.submit(loiter(&clock, 1)).state(),
            JobState::Running
        );
        assert_eq!(
            executor.submit(loiter(&clock, 1)).state(),
            JobState::Pending
        );
    }
}
