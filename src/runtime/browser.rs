//! The runtime's ports on the real browser: `performance.now()` and timers, `fetch()`,
//! Web Workers, and the frame meter. Every lab's run script gets a [`Browser`].

use std::future::Future;

use super::blocking::{self, MainThreadClient};
use super::fetch;
use super::frame_meter::FrameMeter;
use super::pool::WorkerPool;
use super::ports::{
    BlockingFetch, Fetch, FetchError, Meter, Meters, PoolEvents, Reply, Time, Workers,
};
use super::time;
use crate::meter::{FrameStats, Pace};

/// The page's own event loop, network and workers.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Browser;

impl Time for Browser {
    fn now_ms(&self) -> f64 {
        time::now_ms()
    }

    fn sleep_ms(&self, ms: f64) -> impl Future<Output = ()> + 'static {
        time::sleep_ms(ms)
    }

    fn block_ms(&self, ms: f64) {
        time::block_for_ms(ms);
    }

    fn next_paint(&self) -> impl Future<Output = ()> + 'static {
        time::next_paint()
    }
}

impl Fetch for Browser {
    fn get(
        &self,
        url: &str,
        timeout_s: f64,
    ) -> impl Future<Output = Result<Reply, FetchError>> + 'static {
        let url = url.to_string();
        async move { fetch::get(&url, timeout_s).await }
    }
}

impl Workers for Browser {
    type Pool = WorkerPool;

    fn spawn_pool(&self, size: usize) -> Result<(WorkerPool, PoolEvents), String> {
        WorkerPool::spawn(size)
    }

    fn page_pid(&self) -> u32 {
        super::worker::page_pid()
    }

    fn memory_shareable(&self) -> Result<(), String> {
        super::shared::available()
    }
}

impl BlockingFetch for Browser {
    type Client = MainThreadClient;

    fn blocking_client(&self) -> impl Future<Output = Result<MainThreadClient, String>> + 'static {
        blocking::client()
    }
}

impl Meter for FrameMeter {
    fn stats(&self) -> FrameStats {
        FrameMeter::stats(self)
    }
}

impl Meters for Browser {
    type Meter = FrameMeter;

    fn start_meter(&self, pace: Pace, on_update: impl Fn(FrameStats) + 'static) -> FrameMeter {
        FrameMeter::start(pace, on_update)
    }
}
