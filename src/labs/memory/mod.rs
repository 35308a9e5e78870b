//! Shared memory (Expert Python Programming 4e, ch. 6, second half): threads that lose
//! updates to one counter unless a lock (or an atomic add) guards it, a "fork" whose child
//! gets a copy of the parent's memory, processes that answer in their own order, values
//! copied through a pipe, a Value and an Array in memory parent and child share — and
//! coroutines: what calling one does, gathering them, and sleeping without blocking.

pub mod choices;
pub mod form;
pub mod happened;
pub mod history;
pub mod script;
pub mod session;
pub mod sharedctypes;
pub mod transcript;
pub mod visits;
#[cfg(target_arch = "wasm32")]
mod view;
#[cfg(target_arch = "wasm32")]
pub use view::page;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "memory",
    title: "Shared memory",
    summary: "threads that lose updates to a shared counter, locks and atomics, a fork's copied memory, \
              processes, pipes, sharedctypes and first coroutines (Expert Python Programming 4e, ch. 6).",
    #[cfg(target_arch = "wasm32")]
    page: crate::labs::LabPage::OnDemand,
};
