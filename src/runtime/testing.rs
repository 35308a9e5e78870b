//! The runtime on a virtual clock, for native tests of the labs' run scripts and the
//! executor: timers fire in deadline order as a test advances time, with every ready task
//! run to a standstill in between; fetches answer from a table after a virtual delay; a
//! pool's workers answer with the real `is_prime` after a virtual cost, and spin on the
//! canvases the page hands them. Test builds only.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use futures::channel::{mpsc, oneshot};
use futures::executor::LocalPool;

use super::executor::Clock;
use super::ports::{
    BlockingClient, BlockingFetch, FetchError, Meter, Meters, Pool, PoolEvents, Reply, Time,
    WorkerEvent, Workers,
};
use crate::labs::cpu::workload::run_job;
use crate::labs::memory::{sharedctypes, visits};
use crate::labs::rates::throttle::{POLL_MS, Throttle};
use crate::meter::{FrameStats, Pace};
use crate::prime::is_prime;
use crate::worker_protocol::{FromWorker, ToWorker};

mod memory;
mod pool;
mod spinner;
pub use memory::{VirtualMemory, VirtualPipe};
pub use pool::VirtualPool;
use spinner::Spinners;

type Callback = Box<dyn FnOnce()>;

struct Timer {
    at: f64,
    seq: u64,
    fire: Callback,
}

#[derive(Default)]
struct State {
    now: f64,
    seq: u64,
    timers: Vec<Timer>,
}

/// Virtual milliseconds and the timers waiting on them.
#[derive(Clone, Default)]
pub struct VirtualClock {
    state: Rc<RefCell<State>>,
}

impl VirtualClock {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn now(&self) -> f64 {
        self.state.borrow().now
    }

    /// For [`super::executor::Executor::new`].
    pub fn clock(&self) -> Clock {
        let this = self.clone();
        Rc::new(move || this.now())
    }

    /// Calls `fire` when the clock reaches now + `ms`.
    pub fn after(&self, ms: f64, fire: impl FnOnce() + 'static) {
        let mut state = self.state.borrow_mut();
        let at = state.now + ms.max(0.0);
        state.seq += 1;
        let seq = state.seq;
        state.timers.push(Timer {
            at,
            seq,
            fire: Box::new(fire),
        });
    }

    /// Resolves when the clock reaches now + `ms` (a 0 ms sleep still yields to the pool).
    pub fn sleep(&self, ms: f64) -> impl Future<Output = ()> + 'static + use<> {
        let (tx, rx) = oneshot::channel();
        self.after(ms, move || {
            let _ = tx.send(());
        });
        async move {
            let _ = rx.await;
        }
    }

    /// Moves the clock on without firing anything: the thread was busy.
    pub fn advance(&self, ms: f64) {
        self.state.borrow_mut().now += ms.max(0.0);
    }

    /// Fires the earliest timer due by `limit`; false if there is none.
    fn fire_next(&self, limit: f64) -> bool {
        let mut state = self.state.borrow_mut();
        let next = state
            .timers
            .iter()
            .enumerate()
            .filter(|(_, t)| t.at <= limit)
            .min_by(|(_, a), (_, b)| a.at.total_cmp(&b.at).then(a.seq.cmp(&b.seq)))
            .map(|(i, _)| i);
        let Some(i) = next else { return false };
        let timer = state.timers.remove(i);
        state.now = state.now.max(timer.at);
        drop(state);
        (timer.fire)();
        true
    }

    /// Runs `pool` until stalled, fires the next timer, and so on until no timer is
    /// left or the next one is after `until` (the clock then moves to `until`).
    pub fn run_until(&self, pool: &mut LocalPool, until: f64) {
        loop {
            pool.run_until_stalled();
            if !self.fire_next(until) {
                break;
            }
        }
        let mut state = self.state.borrow_mut();
        if until.is_finite() {
            state.now = state.now.max(until);
        }
    }

    /// Runs everything to the end: until no task can progress and no timer is left.
    pub fn run(&self, pool: &mut LocalPool) {
        self.run_until(pool, f64::INFINITY);
    }

    pub fn pending_timers(&self) -> usize {
        self.state.borrow().timers.len()
    }
}

/// How a virtual server answers a URL: after `delay_ms`, with `answer`.
pub type Server = Rc<dyn Fn(&str) -> (f64, Result<Reply, FetchError>)>;

/// The runtime's ports on a [`VirtualClock`].
#[derive(Clone)]
pub struct Virtual {
    pub clock: VirtualClock,
    /// Answers every fetch; by default 404 at once.
    pub server: Server,
    /// Virtual ms a worker takes to check `n`.
    pub check_cost: Rc<dyn Fn(u64) -> f64>,
    /// A worker asked to check this number crashes once its cost has passed.
    pub crash_on: Option<u64>,
    /// Whether memory can be shared between threads (a cross-origin isolated page).
    pub shared_memory: bool,
    /// Virtual ms worker `i` takes to answer a `Hello` or a `Fork`, and a message takes
    /// to reach a spinning worker or come back from it.
    pub answer_ms: Rc<dyn Fn(usize) -> f64>,
    /// A spinning worker never answers `spin-done` (a thread that does not stop).
    pub spinner_ignores_done: bool,
    /// The ids of the canvases the page handed over to workers, in order.
    canvases: Rc<RefCell<Vec<String>>>,
    /// Workers started so far: the next one's pid is the page's + this + 1.
    spawned: Rc<RefCell<u32>>,
    /// Every `block_ms`, with when it started.
    blocks: Rc<RefCell<Vec<(f64, f64)>>>,
    /// Workers started and not yet ended.
    live_workers: Rc<RefCell<usize>>,
}

impl Default for Virtual {
    fn default() -> Self {
        Virtual {
            clock: VirtualClock::new(),
            server: Rc::new(|_| (0.0, Ok(reply(404, "Not Found", "")))),
            check_cost: Rc::new(|_| 10.0),
            crash_on: None,
            shared_memory: true,
            answer_ms: Rc::new(|_| 1.0),
            spinner_ignores_done: false,
            canvases: Rc::default(),
            spawned: Rc::default(),
            blocks: Rc::default(),
            live_workers: Rc::default(),
        }
    }
}

/// The virtual page's pid.
const PAGE_PID: u32 = 4242;

/// Virtual ms a virtual worker takes per 1,000 increments of `thread_visits`.
const MS_PER_THOUSAND_VISITS: f64 = 1.0;

/// A reply with a plain-text body.
pub fn reply(status: u16, status_text: &str, body: &str) -> Reply {
    typed_reply(status, status_text, "text/plain; charset=utf-8", body)
}

/// A reply with a body of `content_type`.
pub fn typed_reply(status: u16, status_text: &str, content_type: &str, body: &str) -> Reply {
    Reply {
        status,
        status_text: status_text.to_string(),
        content_type: content_type.to_string(),
        body: body.as_bytes().to_vec(),
    }
}

impl Virtual {
    pub fn with_server(
        server: impl Fn(&str) -> (f64, Result<Reply, FetchError>) + 'static,
    ) -> Self {
        Virtual {
            server: Rc::new(server),
            ..Virtual::default()
        }
    }

    /// Workers alive now: every pool's workers until the pool is dropped.
    /// How many workers runs have started on this runtime, ended or not.
    pub fn workers_started(&self) -> u32 {
        *self.spawned.borrow()
    }

    pub fn live_workers(&self) -> usize {
        *self.live_workers.borrow()
    }

    /// The ids of the canvases the page handed over to workers, in order.
    pub fn canvases_handed_over(&self) -> Vec<String> {
        self.canvases.borrow().clone()
    }
}

impl Time for Virtual {
    fn now_ms(&self) -> f64 {
        self.clock.now()
    }

    fn sleep_ms(&self, ms: f64) -> impl Future<Output = ()> + 'static {
        self.clock.sleep(ms)
    }

    fn block_ms(&self, ms: f64) {
        self.blocks.borrow_mut().push((self.clock.now(), ms));
        self.clock.advance(ms);
    }

    fn next_paint(&self) -> impl Future<Output = ()> + 'static {
        self.clock.sleep(0.0)
    }
}

impl super::ports::Fetch for Virtual {
    fn get(
        &self,
        url: &str,
        timeout_s: f64,
    ) -> impl Future<Output = Result<Reply, FetchError>> + 'static {
        let (delay_ms, answer) = (self.server)(url);
        let timeout_ms = timeout_s * 1000.0;
        let timed_out = delay_ms > timeout_ms;
        let wait = self.clock.sleep(delay_ms.min(timeout_ms));
        async move {
            wait.await;
            if timed_out {
                Err(FetchError::Timeout(timeout_s))
            } else {
                answer
            }
        }
    }
}

/// Blocking GETs on the virtual main thread: the clock moves on by the server's delay with
/// nothing else running, and the meter sees the block.
pub struct VirtualBlocking(Virtual);

impl BlockingClient for VirtualBlocking {
    fn get(&self, url: &str) -> Result<Reply, FetchError> {
        let (delay_ms, answer) = (self.0.server)(url);
        self.0.block_ms(delay_ms);
        answer
    }
}

impl BlockingFetch for Virtual {
    type Client = VirtualBlocking;

    fn blocking_client(&self) -> impl Future<Output = Result<VirtualBlocking, String>> + 'static {
        let client = if self.shared_memory {
            Ok(VirtualBlocking(self.clone()))
        } else {
            Err("memory cannot be shared with a helper worker here".to_string())
        };
        async move { client }
    }
}

/// A meter that sees the virtual blocks: each is a gap with no frame and a long task.
pub struct VirtualMeter {
    pace: Pace,
    since: f64,
    blocks: Rc<RefCell<Vec<(f64, f64)>>>,
}

impl Meter for VirtualMeter {
    fn stats(&self) -> FrameStats {
        let blocks = self.blocks.borrow();
        let mine = blocks.iter().filter(|(at, _)| *at >= self.since);
        FrameStats {
            pace: self.pace,
            longest_gap_ms: mine.clone().map(|(_, ms)| *ms).fold(0.0, f64::max),
            blocked_ms: mine.map(|(_, ms)| *ms).sum(),
            ..FrameStats::default()
        }
    }
}

impl Meters for Virtual {
    type Meter = VirtualMeter;

    fn start_meter(&self, pace: Pace, _on_update: impl Fn(FrameStats) + 'static) -> VirtualMeter {
        VirtualMeter {
            pace,
            since: self.clock.now(),
            blocks: self.blocks.clone(),
        }
    }
}

/// Runs `script` to its end on `rt`'s clock; returns the virtual ms it took.
pub fn run_to_end(rt: &Virtual, script: impl Future<Output = ()> + 'static) -> f64 {
    use futures::task::LocalSpawnExt;
    let mut pool = LocalPool::new();
    let started = rt.clock.now();
    let done = Rc::new(RefCell::new(None));
    let (done_in, clock) = (done.clone(), rt.clock.clone());
    pool.spawner()
        .spawn_local(async move {
            script.await;
            *done_in.borrow_mut() = Some(clock.now());
        })
        .expect("spawn on a local pool");
    rt.clock.run(&mut pool);
    let ended = done.borrow().expect("the script ran to its end");
    ended - started
}

/// Runs the script `start(emit)` makes to its end on `rt`'s clock: every event it
/// emitted, in order, and the virtual ms it took.
pub fn run_recorded<E: Clone + 'static, F: Future<Output = ()> + 'static>(
    rt: &Virtual,
    start: impl FnOnce(super::ports::Emit<E>) -> F,
) -> (Vec<E>, f64) {
    let (emit, events) = recorder();
    let took = run_to_end(rt, start(emit));
    let events = events.borrow().clone();
    (events, took)
}

/// Collects a run's events, for assertions.
pub fn recorder<E: 'static>() -> (super::ports::Emit<E>, Rc<RefCell<Vec<E>>>) {
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    (Rc::new(move |e| sink.borrow_mut().push(e)), events)
}
