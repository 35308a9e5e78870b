//! A pool of N Web Workers (the browser's `ProcessPoolExecutor`): each worker is a
//! real thread with its own WASM instance. The pool only spawns, posts and funnels
//! events into one stream; *which* job goes to *which* worker is the lab model's
//! business (a pure scheduler), so it can be tested natively. Dropping the pool
//! terminates every worker at once.

use futures::StreamExt;
use futures::channel::mpsc;

use super::worker::{WorkerEvent, WorkerHandle};
use crate::worker_protocol::{FromWorker, ToWorker};

pub struct WorkerPool {
    workers: Vec<WorkerHandle>,
}

/// Events from all workers of a pool, tagged with the worker's index.
pub type PoolEvents = mpsc::UnboundedReceiver<(usize, WorkerEvent)>;

impl WorkerPool {
    /// Starts `size` workers; each reports `Ready` on the stream once it listens.
    pub fn spawn(size: usize) -> Result<(WorkerPool, PoolEvents), String> {
        let (sender, events) = mpsc::unbounded();
        let workers = (0..size)
            .map(|index| {
                let sender = sender.clone();
                WorkerHandle::spawn(move |event| {
                    let _ = sender.unbounded_send((index, event));
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((WorkerPool { workers }, events))
    }

    pub fn post(&self, worker: usize, message: ToWorker) {
        if let Some(handle) = self.workers.get(worker) {
            handle.post(message);
        }
    }
}

/// Checks `n` in a pool of one fresh worker: `(prime, seconds measured inside the worker)`.
/// Dropping the future terminates the worker mid-computation.
pub async fn check_prime_in_worker(n: u64) -> Result<(bool, f64), String> {
    let (worker, mut events) = WorkerPool::spawn(1)?;
    while let Some((_, event)) = events.next().await {
        match event {
            // Messages posted before the WASM instance listens would be lost: wait for Ready.
            WorkerEvent::Message(FromWorker::Ready) => worker.post(0, ToWorker::Check(n)),
            WorkerEvent::Message(FromWorker::Checked {
                prime, elapsed_s, ..
            }) => {
                return Ok((prime, elapsed_s));
            }
            WorkerEvent::Message(FromWorker::Finished) => break,
            WorkerEvent::Failed(reason) => return Err(reason),
        }
    }
    Err("the worker ended without an answer".to_string())
}
