//! The prime checker (Fluent Python 2e, ch. 19–20): sequential.py on the main thread or in
//! one Web Worker, procs.py and proc_pool.py with a pool of N Web Workers fed by a
//! poison-pill scheduler, and the Figure 19-2 sweep over N.

pub mod choices;
pub mod dispatcher;
pub mod form;
pub mod happened;
pub mod history;
pub mod numbers;
pub mod script;
pub mod session;
pub mod sweep;
pub mod timeline;
pub mod transcript;
#[cfg(target_arch = "wasm32")]
mod view;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "primes",
    title: "Primes",
    summary: "the prime checker on the main thread, in one worker, and in a pool of N Web Workers (procs, pool map, and your own Figure 19-2 sweep) (Fluent Python 2e, ch. 19–20).",
    #[cfg(target_arch = "wasm32")]
    page: crate::labs::LabPage::Bundled(view::page),
};
