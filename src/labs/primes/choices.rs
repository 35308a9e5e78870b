//! What a run does and where (the mode), and the ready-made lists of numbers (presets).

use super::numbers::{BOOK, HEAVY, join_numbers};
use crate::labs::choice::{Choice, choices};
use crate::labs::python::{self, Script};

choices! {
    /// What a run does, and where.
    pub enum Mode: "Mode" {
        SequentialMain = "sequential-main" =>
            "sequential-main — sequential.py on the main thread: the page freezes",
        SequentialWorker = "sequential-worker" =>
            "sequential-worker — sequential.py in one Web Worker",
        Procs = "procs" => "procs — procs.py: N workers, one jobs queue",
        Threads = "threads" => "threads — threads.py: N threads, one jobs queue (no GIL here)",
        PoolMap = "pool-map" =>
            "pool-map — proc_pool.py: executor.map, results in submission order",
        Sweep = "sweep" => "sweep — procs.py for N = 1 … Max N, median times (Figure 19-2)",
    }
}

impl Mode {
    /// sequential-main and sequential-worker: one number at a time, in list order.
    pub fn is_sequential(self) -> bool {
        matches!(self, Mode::SequentialMain | Mode::SequentialWorker)
    }

    /// The mode runs on the page's own thread: nothing, not even Stop, runs meanwhile.
    pub fn blocks_main_thread(self) -> bool {
        self == Mode::SequentialMain
    }

    /// The upstream script the mode mirrors.
    pub fn python_reference(self) -> Script {
        match self {
            Mode::SequentialMain | Mode::SequentialWorker => python::SEQUENTIAL,
            Mode::Procs | Mode::Sweep => python::PROCS,
            Mode::Threads => python::THREADS,
            Mode::PoolMap => python::PROC_POOL,
        }
    }

    /// What actually runs in the browser when this mode is picked.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Mode::SequentialMain => {
                "The books' is_prime, compiled to WASM, is called for each number in turn on the \
                 page's own thread. Until the last number is checked the event loop cannot run: no \
                 repaint, no timer, no click — the transcript and the timeline appear all at once at \
                 the end, and Stop is only seen afterwards. This is sequential.py, and the reason \
                 the other modes exist."
            }
            Mode::SequentialWorker => {
                "The same loop in one Web Worker — a separate thread with its own WASM instance. The \
                 page sends one `check n` message, waits for the answer, then sends the next, so the \
                 numbers are still checked one by one in list order, but the page stays responsive \
                 and Stop calls Worker.terminate()."
            }
            Mode::Procs => {
                "A pool of N Web Workers, each a separate thread with its own WASM instance — the \
                 browser's processes. The page plays procs.py's SimpleQueue: it keeps the jobs queue \
                 (all the numbers, then one poison pill per worker) and hands the next item to \
                 whichever worker is idle — at start, and each time a worker posts a result — so \
                 faster workers take more jobs. The poison pill is an `end` message rather than 0, so \
                 0 can be checked too; a worker that receives it replies with an end marker, and the \
                 run is over when all N end markers have arrived, as procs.py counts procs_done. \
                 Lines print in completion order. Stop calls Worker.terminate() on every worker, \
                 killing each one mid-loop."
            }
            Mode::Threads => {
                "Browser workers have no GIL: each Web Worker is an OS thread running its own WASM, \
                 so N threads check numbers truly at the same time. threads.py is procs.py with \
                 threading.Thread for Process, and so is this mode: the same jobs queue kept by the \
                 page, the same end markers, lines in completion order. In CPython the GIL lets \
                 one thread run Python bytecode at a time, so the book's threads.py is slower than \
                 sequential.py; here it runs as fast as procs. Stop terminates every worker."
            }
            Mode::PoolMap => {
                "The same pool of N Web Workers and the same jobs queue, fed with the numbers sorted \
                 in reverse, as proc_pool.py passes them to ProcessPoolExecutor.map. The workers \
                 still finish in any order, but map yields results in submission order: the page \
                 buffers each answer and prints the longest unbroken run from the start of the list, \
                 so one slow early job holds back lines that are already computed — watch the \
                 timeline run ahead of the transcript. Stop terminates every worker."
            }
            Mode::Sweep => {
                "The procs pattern, repeated: for each N from 1 to Max N, Runs per N runs, each with \
                 a fresh pool of N Web Workers. The chart shows the median wall time for each N and \
                 the speedup, median(N = 1) / median(N), against the ideal line speedup = N. Expect \
                 it to climb until N reaches your machine's physical cores and flatten after, as in \
                 Figure 19-2. Stop terminates the current pool and keeps the finished runs."
            }
        }
    }
}

choices! {
    /// A ready-made list for the Numbers field; its key is the URL value (`numbers=book`),
    /// its label the button text.
    pub enum Preset: "Preset" {
        Book = "book" => "Book: the 20 NUMBERS",
        Heavy = "heavy" => "Heavy: 20 numbers up to 1.8e19 (seconds in WASM)",
    }
}

impl Preset {
    pub fn numbers(self) -> &'static [u64] {
        match self {
            Preset::Book => &BOOK,
            Preset::Heavy => &HEAVY,
        }
    }

    /// The Numbers field text: one per line.
    pub fn text(self) -> String {
        join_numbers(self.numbers(), "\n")
    }

    /// The preset whose list this is, if any.
    pub fn matching(numbers: &[u64]) -> Option<Preset> {
        Preset::ALL.iter().copied().find(|p| p.numbers() == numbers)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_keyed_and_know_their_lists() {
        assert_eq!(Preset::parse(" Heavy "), Some(Preset::Heavy));
        assert_eq!(Preset::parse("teleport"), None);
        assert_eq!(Preset::matching(&BOOK), Some(Preset::Book));
        assert_eq!(Preset::matching(&HEAVY), Some(Preset::Heavy));
        assert_eq!(Preset::matching(&[2, 3]), None);
        assert_eq!(Preset::Heavy.text().lines().count(), 20);
    }
}
