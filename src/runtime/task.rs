//! `asyncio.create_task` / `Task.cancel()`: a future spawned on the event loop with
//! `spawn_local`, aborted when its handle is dropped — so whatever it owns (timers,
//! workers, meters) is dropped with it and nothing outlives a cancelled run.

use futures::future::{AbortHandle, Abortable};
use std::future::Future;

/// Owns a spawned task; dropping it cancels the task at its next suspension point.
#[derive(Debug)]
pub struct TaskHandle(AbortHandle);

/// Spawns `future` on the browser event loop.
pub fn spawn(future: impl Future<Output = ()> + 'static) -> TaskHandle {
    let (handle, registration) = AbortHandle::new_pair();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = Abortable::new(future, registration).await;
    });
    TaskHandle(handle)
}

impl Drop for TaskHandle {
    fn drop(&mut self) {
        self.0.abort();
    }
}
