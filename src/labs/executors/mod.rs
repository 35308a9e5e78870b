//! Lab 2 — executors: `map` vs `as_completed` (Fluent Python 1e ch. 17 / 2e ch. 20).

pub mod model;
#[cfg(target_arch = "wasm32")]
mod view;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "executors",
    title: "Executors",
    summary: "executor.map vs as_completed with loiter(n), and futures moving from pending to running to finished (Fluent Python 1e ch. 17, 2e ch. 20).",
    #[cfg(target_arch = "wasm32")]
    page: view::page,
};
