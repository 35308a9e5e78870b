//! Lab 3 — flag downloads (Fluent Python 1e ch. 17 / 2e ch. 20).

pub mod model;

// What the executors lab borrows: the 20 codes, and the LOCAL/DELAY servers' URLs.
pub use model::{Kind, POP20_CC, Server, ServerParams};
#[cfg(target_arch = "wasm32")]
mod view;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "flags",
    title: "Flags",
    summary: "flag downloads with real fetch() calls: sequential vs concurrent, against slow and failing servers, with a semaphore and a progress bar (Fluent Python 1e ch. 17, 2e ch. 20).",
    #[cfg(target_arch = "wasm32")]
    page: view::page,
};
