//! Lab 3 — flag downloads (Fluent Python 1e ch. 17 / 2e ch. 20).

pub mod model;
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
