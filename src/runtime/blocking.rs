//! `requests.get` on the page's main thread, for real: a helper worker makes the request
//! (a synchronous request from the main thread would bypass the service worker that plays
//! the server) and leaves the answer in memory the two share; the main thread spins on it
//! and does nothing else meanwhile — no paint, no click, no timer — until it is in.

use futures::StreamExt;
use futures::channel::mpsc;
use gloo_timers::future::TimeoutFuture;

use super::ports::{BlockingClient, FetchError, Reply, WorkerEvent};
use super::shared::{self, ReplySlot};
use super::worker::WorkerHandle;
use crate::worker_protocol::{FromWorker, ToWorker};

/// The longest a blocking request may hold the page (the server's longest delay is 12 s).
const BLOCK_LIMIT_MS: f64 = 35_000.0;
/// How long the helper worker may take to start.
const START_WITHIN_MS: u32 = 10_000;

/// A helper worker and the reply slot it shares with the page; the worker ends on drop.
pub struct MainThreadClient {
    worker: WorkerHandle,
    slot: ReplySlot,
}

/// Starts the helper worker and waits until it listens.
pub async fn client() -> Result<MainThreadClient, String> {
    shared::available()?;
    let slot = ReplySlot::new()?;
    let (sender, mut events) = mpsc::unbounded();
    let worker = WorkerHandle::spawn(move |event| {
        let _ = sender.unbounded_send(event);
    })?;
    let started = futures::future::select(events.next(), TimeoutFuture::new(START_WITHIN_MS));
    match started.await {
        futures::future::Either::Left((Some(WorkerEvent::Message(FromWorker::Ready)), _)) => {
            Ok(MainThreadClient { worker, slot })
        }
        futures::future::Either::Left((Some(WorkerEvent::Failed(reason)), _)) => {
            Err(format!("the helper worker failed to start: {reason}"))
        }
        futures::future::Either::Left(_) => Err("the helper worker did not start".to_string()),
        futures::future::Either::Right(_) => {
            Err("the helper worker did not start within 10 s".to_string())
        }
    }
}

impl BlockingClient for MainThreadClient {
    fn get(&self, url: &str) -> Result<Reply, FetchError> {
        self.slot.clear();
        self.worker.post_with(
            ToWorker::GetInto {
                url: url.to_string(),
            },
            self.slot.buffer(),
        );
        self.slot.spin_until_answered(BLOCK_LIMIT_MS)
    }
}
