//! What the reader picks: which of the chapter's scripts runs, how `thread_visits` updates
//! its counter, and how the waiters sleep.

use crate::labs::choice::choices;
use crate::labs::python::{self, Script as Upstream};

choices! {
    /// One of the chapter's scripts on memory, processes and coroutines.
    pub enum Demo: "Demo" {
        ThreadVisits = "thread_visits" => "thread_visits — threads add 1 to one shared counter",
        Forks = "forks" => "forks — a child starts with a copy of the parent's memory",
        BasicMultiprocessing = "basic_multiprocessing" => "basic_multiprocessing — N processes say who they are",
        Pipes = "pipes" => "pipes — values copied through a Pipe to a child",
        SharedCtypes = "sharedctypes" => "sharedctypes — a Value and an Array in shared memory",
        AsyncHello = "async_hello" => "async_hello — calling a coroutine function runs nothing",
        AsyncPrint = "async_print" => "async_print — ten coroutines gathered, each after a random sleep",
        Waiters = "waiters" => "waiters — two coroutines: time.sleep or await asyncio.sleep",
    }
}

choices! {
    /// How each `thread_visits` worker adds 1.
    pub enum Update: "Update" {
        ReadThenWrite = "read-then-write" => "read-then-write — value = visits; visits = value + 1",
        PlusEquals = "+=" => "+= — visits += 1 (the same load, add, store)",
        Lock = "lock" => "lock — with visits_lock: visits += 1",
        Atomic = "atomic" => "atomic — Atomics.add (what Python cannot do)",
    }
}

choices! {
    /// How the waiters sleep.
    pub enum Sleep: "Sleep" {
        Blocking = "time.sleep" => "time.sleep — blocks the only thread (waiters.py)",
        Await = "asyncio.sleep" => "await asyncio.sleep — yields to the loop (waiters_await.py)",
    }
}

/// What a demo needs from the browser.
impl Demo {
    /// The demos that share memory between threads: they need a cross-origin isolated page.
    pub const SHARED_MEMORY: &'static str = "thread_visits and sharedctypes";

    pub fn needs_shared_memory(self) -> bool {
        matches!(self, Demo::ThreadVisits | Demo::SharedCtypes)
    }

    /// Whether the demo runs on the page's main thread only (no worker).
    pub fn main_thread_only(self) -> bool {
        matches!(self, Demo::AsyncHello | Demo::AsyncPrint | Demo::Waiters)
    }

    /// The upstream script the choice mirrors.
    pub fn python_reference(self, update: Update, sleep: Sleep) -> Upstream {
        match self {
            Demo::ThreadVisits if update == Update::Lock => python::THREAD_SAFE_VISITS,
            Demo::ThreadVisits => python::THREAD_VISITS,
            Demo::Forks => python::FORKS,
            Demo::BasicMultiprocessing => python::BASIC_MULTIPROCESSING,
            Demo::Pipes => python::PIPES,
            Demo::SharedCtypes => python::SHAREDCTYPES,
            // The book shows async_hello in its text only; async_print.py is its sibling.
            Demo::AsyncHello | Demo::AsyncPrint => python::ASYNC_PRINT,
            Demo::Waiters => match sleep {
                Sleep::Blocking => python::WAITERS,
                Sleep::Await => python::WAITERS_AWAIT,
            },
        }
    }

    /// What actually happens in the browser when this demo runs.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Demo::ThreadVisits => {
                "Each thread is a Web Worker (an OS thread with its own WASM instance). The page makes a \
                 SharedArrayBuffer holding the counter, a lock word and a start flag, posts it to every \
                 worker, waits until all of them are parked on the start flag (Atomics.wait), then sets \
                 it and wakes them together (Atomics.notify), so their loops truly overlap. read-then-write \
                 and += read the counter and write it back with plain typed-array accesses: two threads \
                 that read the same value both write value + 1, and one update is lost. lock wraps the \
                 same update in a mutex made of Atomics.compareExchange, wait and notify; atomic uses \
                 Atomics.add. The page reads the counter with Atomics.load once every worker is done."
            }
            Demo::Forks => {
                "A browser has no fork(). The page holds pid_list = [its pid] and starts a worker; the \
                 worker gets a copy of the list (a message is copied, never shared) and appends its own \
                 pid, while the page appends its own to the original: from the copy on, the two lists \
                 diverge, exactly as the memory of a parent and its child does after fork(). A pid here \
                 is the page's id (from when the page loaded) or the worker's: the page numbers its \
                 workers in the order it starts them and names each by its number (WorkerOptions.name); \
                 the worker reads its pid back from self.name."
            }
            Demo::BasicMultiprocessing => {
                "One Web Worker per process. The page sends work(identifier) to each as soon as it is \
                 ready, and prints each worker's answer as it arrives: the order is the order in which \
                 the workers really started and answered, and changes from run to run. The pid is the \
                 worker's own name, read inside the worker."
            }
            Demo::Pipes => {
                "A MessageChannel is the Pipe: one port stays with the page, the other is transferred to \
                 a worker. Every value sent is copied by structured cloning, as pickle copies it through \
                 a real pipe. Numbers, strings and plain objects arrive as equal copies; the CustomClass \
                 instance arrives as a plain Object — its class (prototype) is not copied, and the worker \
                 prints the constructor it actually sees. A function cannot be cloned at all: the page \
                 tries, and shows the DataCloneError the browser throws."
            }
            Demo::SharedCtypes => {
                "Value('d') and Array('i', range(N)) live in one SharedArrayBuffer: an f64 at byte 0, \
                 then N i32s from byte 8. The worker sets the value to 3.1415927 and negates the array in \
                 place, then posts only \"done\"; the page prints what it then reads from the same memory \
                 — no message carries the numbers back."
            }
            Demo::AsyncHello => {
                "Calling an async fn in Rust, like calling a coroutine function in Python, runs none of \
                 its body: it returns a future, a state machine waiting to be polled. The page prints that \
                 value — its type, size and address — then awaits it on the page's event loop, and only \
                 then does it print hello world!"
            }
            Demo::AsyncPrint => {
                "Ten futures gathered on the page's event loop (join_all, asyncio.gather); each sleeps a \
                 random time up to 1 s (a browser timer) and prints its number. They finish in order of \
                 their sleeps, not of their creation. A Seed repeats the same sleeps."
            }
            Demo::Waiters => {
                "Two waiters gathered on the page's event loop, 4 rounds each of 0.25, 0.5 or 0.75 s. \
                 time.sleep is a busy loop on the main thread: nothing else runs — not the other waiter, \
                 not a paint, not Stop — so the run takes the sum of all eight sleeps and the page \
                 freezes. await asyncio.sleep is a browser timer: the waiters interleave and the run takes \
                 about as long as the slower waiter. real is timed like the shell's time."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::choice::Choice;

    #[test]
    fn every_demo_has_a_reference_and_an_explanation() {
        for &demo in Demo::ALL {
            assert_eq!(Demo::parse(demo.key()), Some(demo));
            assert!(demo.label().starts_with(demo.key()));
            for &update in Update::ALL {
                for &sleep in Sleep::ALL {
                    assert!(demo.python_reference(update, sleep).path.ends_with(".py"));
                }
            }
            assert!(!demo.browser_explanation().is_empty());
        }
        assert_eq!(Update::parse("+="), Some(Update::PlusEquals));
        assert_eq!(
            Demo::ThreadVisits
                .python_reference(Update::Lock, Sleep::Await)
                .file_name(),
            "thread_safe_visits.py"
        );
        let shared: Vec<Demo> = Demo::ALL
            .iter()
            .copied()
            .filter(|d| d.needs_shared_memory())
            .collect();
        assert_eq!(shared, [Demo::ThreadVisits, Demo::SharedCtypes]);
    }
}
