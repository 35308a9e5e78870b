//! Lab 4 — the prime checker with a Web Worker pool (Fluent Python 2e, ch. 19–20).

pub mod model;
#[cfg(target_arch = "wasm32")]
mod view;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "primes",
    title: "Primes",
    summary: "the prime checker on the main thread, in one worker, and in a pool of N Web Workers (procs, pool map, and your own Figure 19-2 sweep) (Fluent Python 2e, ch. 19–20).",
    #[cfg(target_arch = "wasm32")]
    page: view::page,
};
