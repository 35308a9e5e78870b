//! The small traits a lab's run `script` is written against: time, fetch, a pool of
//! workers, the frame meter. The browser implements them (`runtime::browser::Browser`);
//! native tests implement them on a virtual clock (`runtime::testing::Virtual`), so every
//! lab's run is tested natively, in virtual milliseconds, with nothing faked in the page.

use std::future::Future;
use std::rc::Rc;

use futures::StreamExt;
use futures::channel::mpsc;

use super::lock::Words;
use crate::meter::{FrameStats, Pace};
use crate::worker_protocol::{FromWorker, ToWorker};

/// How a run reports to its lab's session: one call per event.
pub type Emit<E> = Rc<dyn Fn(E)>;

/// The event loop's clock and waits.
pub trait Time {
    /// Milliseconds on a monotonic clock (`performance.now()`).
    fn now_ms(&self) -> f64;
    /// `asyncio.sleep(ms / 1000)`: a non-blocking wait.
    fn sleep_ms(&self, ms: f64) -> impl Future<Output = ()> + 'static;
    /// `time.sleep(ms / 1000)` on the calling thread: nothing else runs meanwhile.
    fn block_ms(&self, ms: f64);
    /// Resolves once the current state has been painted.
    fn next_paint(&self) -> impl Future<Output = ()> + 'static;
}

/// What a server answered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub status_text: String,
    /// The `Content-Type` header, as sent (empty when there was none).
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Reply {
    /// The media type without its parameters, lower case: `image/svg+xml`.
    pub fn media_type(&self) -> String {
        let essence = self.content_type.split(';').next().unwrap_or_default();
        essence.trim().to_ascii_lowercase()
    }
}

/// Why there is no reply.
#[derive(Clone, Debug, PartialEq)]
pub enum FetchError {
    /// No complete answer within the timeout (seconds).
    Timeout(f64),
    /// The request failed (no server, CORS refused, connection reset…).
    Network(String),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Timeout(seconds) => write!(f, "timed out after {seconds}s"),
            FetchError::Network(reason) => write!(f, "network error: {reason}"),
        }
    }
}

/// `httpx.get(url, timeout=...)`: one GET, the whole body read, within `timeout_s`;
/// dropping the future aborts the request.
pub trait Fetch {
    fn get(
        &self,
        url: &str,
        timeout_s: f64,
    ) -> impl Future<Output = Result<Reply, FetchError>> + 'static;
}

/// What a worker reported.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerEvent {
    Message(FromWorker),
    /// The worker crashed or could not start.
    Failed(String),
}

/// Events from all workers of a pool, tagged with the worker's index.
pub type PoolEvents = mpsc::UnboundedReceiver<(usize, WorkerEvent)>;

/// A running pool: dropping it ends every worker at once, and lets go of its shared
/// memory and pipes.
pub trait Pool {
    /// Memory the page shares with the pool's workers.
    type Memory: SharedMemory + 'static;
    /// One end of a pipe to a worker.
    type Pipe: Pipe + 'static;
    fn post(&self, worker: usize, message: ToWorker);
    /// Gives every worker of the pool one `Throttle(rate)` in memory they all share (in the
    /// page: a `SharedArrayBuffer` behind a lock), for `ToWorker::Get { throttled: true }`.
    /// Fails where memory cannot be shared (a page that is not cross-origin isolated).
    fn share_throttle(&self, rate: f64) -> Result<(), String>;
    /// `bytes` of zeroed memory the page shares with every worker of the pool (in the page:
    /// a `SharedArrayBuffer`); the messages that work on shared memory (`Visits`,
    /// `SharedCtypes`) travel with it. Fails where memory cannot be shared.
    fn share_memory(&self, bytes: u32) -> Result<Self::Memory, String>;
    /// `Pipe()`: a channel whose other end goes to `worker` (`ToWorker::Pipe`); what the
    /// worker receives comes back as `FromWorker::Received`.
    fn open_pipe(&self, worker: usize) -> Result<Self::Pipe, String>;
    /// The worker's process id, as the worker itself knows it (see [`Workers::page_pid`]).
    fn pid(&self, worker: usize) -> u32;
    /// Posts `message` with the page's `<canvas id=canvas_id>` to draw on: its drawing
    /// surface moves to `worker` (`transferControlToOffscreen`), which draws on it from its
    /// own thread. Fails when the page has no such canvas or handed it over already.
    fn post_canvas(&self, worker: usize, message: ToWorker, canvas_id: &str) -> Result<(), String>;
}

/// Memory shared by the page and its workers, seen as 32-bit words (the `Atomics`
/// operations of [`Words`], for counters, flags and locks) and as 64-bit floats over the
/// same bytes.
pub trait SharedMemory: Words {
    /// `Atomics.notify`: wakes every thread waiting on i32 word `index`.
    fn notify_all(&self, index: u32);
    /// f64 number `index` (bytes `8 × index` on), read plainly.
    fn get_f64(&self, index: u32) -> f64;
    /// Writes f64 number `index` plainly.
    fn set_f64(&self, index: u32, value: f64);
}

/// The class of the page's own whose instance goes through a pipe (`PipeItem::Instance`).
pub const CUSTOM_CLASS: &str = "CustomClass";

/// What `Pipe::send` is asked to send: the book's items, and one that cannot be sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PipeItem {
    /// `42`
    Int,
    /// `'some string'`
    Str,
    /// `{'one': 1}`
    Dict,
    /// `CustomClass()`: an instance of a class of the page's own.
    Instance,
    /// `None`: the end of the items.
    None,
    /// A function, which structured cloning refuses.
    Function,
}

/// The page's end of a pipe: each value is copied (structured cloning) to the worker.
pub trait Pipe {
    /// Sends the value; `Err` with the browser's exception (`DataCloneError: …`) when it
    /// cannot be copied.
    fn send(&self, item: PipeItem) -> Result<(), String>;
}

/// Starts pools of workers (the browser's processes).
pub trait Workers {
    type Pool: Pool + 'static;
    /// Starts `size` workers; each reports `Ready` on the stream once it listens.
    fn spawn_pool(&self, size: usize) -> Result<(Self::Pool, PoolEvents), String>;
    /// The page's own process id: stable while the page is loaded.
    fn page_pid(&self) -> u32;
    /// Whether a pool could share memory ([`Pool::share_memory`]) — asked before starting
    /// workers that would be of no use without it.
    fn memory_shareable(&self) -> Result<(), String>;
}

/// Checks `n` in a pool of one fresh worker: `(prime, seconds measured inside the worker)`.
/// Dropping the future ends the worker mid-computation.
pub async fn check_prime_in_worker(workers: &impl Workers, n: u64) -> Result<(bool, f64), String> {
    let (worker, mut events) = workers.spawn_pool(1)?;
    while let Some((_, event)) = events.next().await {
        match event {
            // Messages posted before the worker listens would be lost: wait for Ready.
            WorkerEvent::Message(FromWorker::Ready) => worker.post(0, ToWorker::Check(n)),
            WorkerEvent::Message(FromWorker::Checked {
                prime, elapsed_s, ..
            }) => return Ok((prime, elapsed_s)),
            WorkerEvent::Message(FromWorker::Finished) => break,
            WorkerEvent::Message(other) => {
                return Err(format!("unexpected answer from the worker: {other:?}"));
            }
            WorkerEvent::Failed(reason) => return Err(reason),
        }
    }
    Err("the worker ended without an answer".to_string())
}

/// `requests.get` on the calling thread itself: the thread waits, doing nothing else,
/// until the answer is in (in the page: the main thread, frozen).
pub trait BlockingFetch {
    type Client: BlockingClient + 'static;
    /// Gets ready to block (in the page: a helper worker and memory shared with it); fails
    /// where memory cannot be shared.
    fn blocking_client(&self) -> impl Future<Output = Result<Self::Client, String>> + 'static;
}

/// Makes blocking GETs.
pub trait BlockingClient {
    /// One GET; returns only once it is answered or has failed.
    fn get(&self, url: &str) -> Result<Reply, FetchError>;
}

/// A running frame meter: what the reader saw since it started.
pub trait Meter {
    fn stats(&self) -> FrameStats;
}

/// Starts frame meters (rAF gaps and Long Tasks); a meter stops when dropped.
pub trait Meters {
    type Meter: Meter + 'static;
    /// Asks for frames at `pace`; `on_update` gets a snapshot now and then while frames are painted.
    fn start_meter(&self, pace: Pace, on_update: impl Fn(FrameStats) + 'static) -> Self::Meter;

    /// A meter for a run: each snapshot goes to the lab's session as `event(stats)`.
    fn meter_for<E: 'static>(
        &self,
        emit: &Emit<E>,
        pace: Pace,
        event: fn(FrameStats) -> E,
    ) -> Self::Meter {
        let emit = emit.clone();
        self.start_meter(pace, move |stats| emit(event(stats)))
    }
}
