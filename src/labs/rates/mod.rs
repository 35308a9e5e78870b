//! Rates (Expert Python Programming 4e, ch. 6): exchange rates for five currencies fetched
//! one after another, by a thread per base, by a pool fed from a queue, with errors handed
//! back, throttled by a shared token bucket, by a ready-made pool, and on the event loop —
//! all against a rates API the project serves.

pub mod api;
pub mod choices;
pub mod form;
pub mod happened;
pub mod history;
pub mod script;
pub mod session;
pub mod throttle;
pub mod timeline;
pub mod transcript;
#[cfg(target_arch = "wasm32")]
mod view;
#[cfg(target_arch = "wasm32")]
pub use view::page;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "rates",
    title: "Rates",
    summary: "exchange rates fetched sequentially, by threads, a pool and a queue, with errors, \
              a shared throttle, and on the event loop (Expert Python Programming 4e, ch. 6).",
    #[cfg(target_arch = "wasm32")]
    page: crate::labs::LabPage::OnDemand,
};
