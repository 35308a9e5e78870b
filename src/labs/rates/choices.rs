//! What the reader picks: which of the book's scripts runs, and the pool's backend.

use crate::labs::choice::choices;
use crate::labs::python::{self, Script as Upstream};

choices! {
    /// One of the chapter's rate fetchers.
    pub enum Script: "Script" {
        Synchronous = "synchronous" => "synchronous — one blocking request after another",
        OneThreadPerItem = "one_thread_per_item" => "one_thread_per_item — a thread per base",
        ThreadPool = "thread_pool" => "thread_pool — workers pull bases from a shared queue",
        TwoWayQueues = "two_way_queues" => "two_way_queues — results go back on a queue; main prints",
        ErrorHandling = "error_handling" => "error_handling — errors go back on the results queue",
        Throttling = "throttling" => "throttling — a token bucket shared by the workers",
        ProcessPool = "process_pool" => "process_pool — a ready-made Pool.map",
        AsyncGather = "async_gather" => "async_gather — fetch() on the event loop, gathered",
        RunInExecutor = "run_in_executor" => "run_in_executor — blocking requests in an executor, awaited",
    }
}

choices! {
    /// What `process_pool`'s `Pool` is made of (`multiprocessing` or `multiprocessing.dummy`).
    pub enum Backend: "Pool of" {
        Processes = "processes" => "processes — multiprocessing.Pool",
        Threads = "threads" => "threads — multiprocessing.dummy.Pool",
    }
}

/// How a script's requests are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Blocking requests on the main thread.
    MainThread,
    /// `fetch()` on the event loop, all at once.
    EventLoop,
    /// Blocking requests in Web Workers.
    Workers(Pulling),
}

/// How a script's workers get their bases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pulling {
    /// One worker per base.
    OnePerItem,
    /// `Workers` workers take bases from one queue until it is empty.
    Queue,
}

/// What a failed request does to the worker that made it and to the program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Errors {
    /// The exception ends the program at once (no thread around it).
    Raise,
    /// The exception kills the thread (`Exception in thread …`); the program goes on.
    KillThread,
    /// The worker catches it and hands it back; the main side raises the first it meets.
    HandBack,
}

/// When the results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Printing {
    /// Each thread (or the loop) prints as its answer arrives.
    AsCompleted,
    /// The main side prints after the join, in the order results were queued.
    AfterJoinCompletionOrder,
    /// The main side prints after the join, in the order the bases were submitted.
    AfterJoinSubmissionOrder,
}

impl Script {
    pub fn shape(self) -> Shape {
        match self {
            Script::Synchronous => Shape::MainThread,
            Script::AsyncGather => Shape::EventLoop,
            Script::OneThreadPerItem => Shape::Workers(Pulling::OnePerItem),
            _ => Shape::Workers(Pulling::Queue),
        }
    }

    pub fn errors(self) -> Errors {
        match self {
            Script::Synchronous => Errors::Raise,
            Script::OneThreadPerItem | Script::ThreadPool | Script::TwoWayQueues => {
                Errors::KillThread
            }
            _ => Errors::HandBack,
        }
    }

    pub fn printing(self) -> Printing {
        match self {
            Script::Synchronous | Script::OneThreadPerItem | Script::ThreadPool => {
                Printing::AsCompleted
            }
            Script::TwoWayQueues | Script::ErrorHandling | Script::Throttling => {
                Printing::AfterJoinCompletionOrder
            }
            Script::ProcessPool | Script::AsyncGather | Script::RunInExecutor => {
                Printing::AfterJoinSubmissionOrder
            }
        }
    }

    /// Whether the `Workers` field sizes the pool.
    pub fn uses_workers_field(self) -> bool {
        self.shape() == Shape::Workers(Pulling::Queue)
    }

    /// The Stop button cannot interrupt the main thread while it blocks.
    pub fn blocks_main_thread(self) -> bool {
        self == Script::Synchronous
    }

    /// The library whose exception the script shows.
    pub fn library(self) -> Library {
        if self == Script::AsyncGather {
            Library::Aiohttp
        } else {
            Library::Requests
        }
    }

    /// The book's timing with the live API (5 bases), if it gives one.
    pub fn book_seconds(self) -> Option<f64> {
        match self {
            Script::Synchronous => Some(4.08),
            Script::OneThreadPerItem => Some(1.34),
            Script::ThreadPool => Some(1.90),
            Script::AsyncGather => Some(0.33),
            _ => None,
        }
    }

    /// The upstream script the choice mirrors.
    pub fn python_reference(self, backend: Backend) -> Upstream {
        match self {
            Script::Synchronous => python::RATES_SYNCHRONOUS,
            Script::OneThreadPerItem => python::RATES_ONE_THREAD_PER_ITEM,
            Script::ThreadPool => python::RATES_THREAD_POOL,
            Script::TwoWayQueues => python::RATES_TWO_WAY_QUEUES,
            Script::ErrorHandling => python::RATES_ERROR_HANDLING,
            Script::Throttling => python::RATES_THROTTLING,
            Script::ProcessPool => match backend {
                Backend::Processes => python::RATES_PROCESS_POOLS,
                Backend::Threads => python::RATES_MULTIPROCESSING_DUMMY,
            },
            Script::AsyncGather => python::RATES_ASYNC_AIOHTTP,
            Script::RunInExecutor => python::RATES_ASYNC_FUTURES,
        }
    }

    /// What actually happens in the browser when this script runs.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Script::Synchronous => {
                "Each request blocks the page's main thread until its answer is in: a helper worker \
                 makes the request, and the main thread spins on a flag in memory the two share \
                 (SharedArrayBuffer) until the worker sets it. Nothing else runs meanwhile: no paint, \
                 no click, no timer. The frame meter measures the freeze: about bases × latency."
            }
            Script::OneThreadPerItem => {
                "One Web Worker per base — a real thread with its own WASM instance — makes a \
                 synchronous XMLHttpRequest, which blocks that worker's thread (and only it) until the \
                 server answers. Every request is in flight at once; lines appear as answers arrive."
            }
            Script::ThreadPool => {
                "Workers Web Workers take bases one at a time from a queue the page keeps (get_nowait: \
                 the next base, or Empty and the worker ends). A worker blocks on its request, prints, \
                 and asks for the next. With 4 workers and 5 bases, one worker makes two requests: \
                 about two latencies in all."
            }
            Script::TwoWayQueues => {
                "The same pool, but workers put (base, rates) on a results queue instead of printing; \
                 the main side prints only once the work queue is joined, in the order results came in."
            }
            Script::ErrorHandling => {
                "A failed request does not kill its worker: the worker puts the exception on the results \
                 queue and goes on. After the join, the main side prints results until it meets the \
                 first exception and raises it, like the script. Try Error rate 1/6."
            }
            Script::Throttling => {
                "A token bucket (Throttle) lives in memory all workers share (a SharedArrayBuffer), behind \
                 a real lock (Atomics.compareExchange / wait / notify). Each worker asks consume() for a \
                 token and sleeps 0.1 s (Atomics.wait) until it gets one: request starts come about \
                 1/rate apart, however many workers there are."
            }
            Script::ProcessPool => {
                "Pool.map: the pool hands bases to its workers and returns the results in submission \
                 order, whichever finished first. In the browser both backends are Web Workers — the \
                 same code runs for processes and threads, as multiprocessing.dummy promises."
            }
            Script::AsyncGather => {
                "One fetch() per base on the page's event loop, awaited together (join_all, \
                 asyncio.gather): no thread blocks, every request is in flight at once, and the whole \
                 run takes about one latency. The page stays responsive."
            }
            Script::RunInExecutor => {
                "The blocking requests go to a pool of Workers workers (the executor); the event loop \
                 awaits their futures together. The page stays responsive, and the run takes about \
                 ceil(bases / workers) latencies."
            }
        }
    }
}

/// Whose exceptions a script shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Library {
    Requests,
    Aiohttp,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::choice::Choice;

    #[test]
    fn every_script_has_a_reference_and_an_explanation() {
        for &script in Script::ALL {
            assert_eq!(Script::parse(script.key()), Some(script));
            assert!(script.label().starts_with(script.key()));
            for &backend in Backend::ALL {
                assert!(script.python_reference(backend).path.ends_with(".py"));
            }
            assert!(!script.browser_explanation().is_empty());
        }
        assert_eq!(Script::ALL.len(), 9);
        assert_eq!(Script::Synchronous.book_seconds(), Some(4.08));
    }
}
