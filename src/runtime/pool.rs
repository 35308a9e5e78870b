//! A pool of N Web Workers (the browser's `ProcessPoolExecutor`): each worker is a
//! real thread with its own WASM instance. The pool only spawns, posts and funnels
//! events into one stream; *which* job goes to *which* worker is the lab model's
//! business (a pure scheduler), so it can be tested natively. Dropping the pool
//! terminates every worker at once.

use futures::channel::mpsc;

use super::ports::Pool;
pub use super::ports::PoolEvents;
use super::shared::SharedThrottle;
use super::worker::WorkerHandle;
use crate::worker_protocol::ToWorker;

pub struct WorkerPool {
    workers: Vec<WorkerHandle>,
    /// The throttle every worker shares, once `share_throttle` made it.
    throttle: std::cell::RefCell<Option<SharedThrottle>>,
}

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
        Ok((
            WorkerPool {
                workers,
                throttle: Default::default(),
            },
            events,
        ))
    }
}

impl Pool for WorkerPool {
    fn post(&self, worker: usize, message: ToWorker) {
        let Some(handle) = self.workers.get(worker) else {
            return;
        };
        // A throttled request travels with the throttle (the same memory every time): a
        // worker that just started could not have taken it any earlier.
        match (&message, self.throttle.borrow().as_ref()) {
            (
                ToWorker::Get {
                    throttled: true, ..
                },
                Some(throttle),
            ) => handle.post_with(message, throttle.buffer()),
            _ => handle.post(message),
        }
    }

    fn share_throttle(&self, rate: f64) -> Result<(), String> {
        *self.throttle.borrow_mut() = Some(SharedThrottle::new(rate)?);
        Ok(())
    }
}
