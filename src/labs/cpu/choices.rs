//! What the jobs compute (the workload) and how many pools a run starts (the mode).

use crate::labs::choice::choices;
use crate::labs::python::{self, Script};

choices! {
    /// The CPU-bound jobs: Table 17-1's two scripts.
    pub enum Workload: "Workload" {
        Rc4 = "rc4" => "rc4 — arcfour_futures.py: RC4 there and back on 12 arrays of 149–384 KB",
        Sha256 = "sha256" => "sha256 — sha_futures.py: SHA-256 of 12 arrays of 1 MB",
    }
}

choices! {
    /// One pool, or the whole table.
    pub enum Mode: "Mode" {
        Table = "table" => "table — Table 17-1: 1, 2, 3 … Max workers, each run Repeats times",
        Pool = "pool" => "pool — one run with ProcessPoolExecutor(Workers), results as_completed",
    }
}

impl Workload {
    /// The upstream script the workload mirrors.
    pub fn python_reference(self) -> Script {
        match self {
            Workload::Rc4 => python::ARCFOUR_FUTURES,
            Workload::Sha256 => python::SHA_FUTURES,
        }
    }

    /// The job's name in prose: "RC4", "SHA-256".
    pub fn name(self) -> &'static str {
        match self {
            Workload::Rc4 => "RC4",
            Workload::Sha256 => "SHA-256",
        }
    }

    /// The book's Table 17-1 column: seconds with 1, 2, 3 and 4 workers (Python 3.4 on a
    /// 4-core Core i7, starting the workers included).
    pub fn book_seconds(self) -> [f64; 4] {
        match self {
            Workload::Rc4 => [11.48, 8.65, 6.04, 5.58],
            Workload::Sha256 => [22.66, 14.90, 11.91, 10.89],
        }
    }
}

impl Mode {
    /// What actually runs in the browser.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Mode::Table => {
                "For each N from 1 to Max workers, Repeats times: a fresh pool of N Web Workers \
                 (each a thread of its own with its own WASM instance, the browser's processes), \
                 the 12 jobs handed to whichever worker is idle, and the pool shut down when the \
                 last result is in. Each time counts from before the pool starts to the last \
                 result, as the book's do; the table shows the median of the repeats and the \
                 speed-up over N = 1, and beside it the time from the first job sent to the last \
                 result, without the start. Each worker makes its job's bytes itself from the \
                 Seed (nothing large crosses between threads) and runs RustCrypto's rc4 or sha2, \
                 compiled to WASM. Stop terminates the pool and keeps the rows measured."
            }
            Mode::Pool => {
                "ProcessPoolExecutor(Workers): a pool of N Web Workers and the 12 jobs submitted \
                 at once; each idle worker takes the next one, and each result prints as it \
                 completes (as_completed), then the time including starting the workers. Stop \
                 terminates every worker."
            }
        }
    }
}
