//! Executors: `map` vs `as_completed` (Fluent Python 1e ch. 17 / 2e ch. 20) — an
//! `Executor` with `max_workers` slots on the event loop, its futures moving from pending
//! to running to finished, in a table and a Gantt chart.

pub mod choices;
pub mod delays;
pub mod form;
pub mod gantt;
pub mod happened;
pub mod history;
pub mod jobs;
pub mod script;
pub mod session;
pub mod transcript;
#[cfg(target_arch = "wasm32")]
mod view;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "executors",
    title: "Executors",
    summary: "executor.map vs as_completed with loiter(n), and futures moving from pending to running to finished (Fluent Python 1e ch. 17, 2e ch. 20).",
    #[cfg(target_arch = "wasm32")]
    page: crate::labs::LabPage::Bundled(view::page),
};
