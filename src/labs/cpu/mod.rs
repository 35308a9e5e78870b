//! Table 17-1 (Fluent Python 1e ch. 17): CPU-bound jobs — RC4 there and back, or SHA-256 —
//! on a pool of N Web Workers, and the table of times for N = 1, 2, 3 … beside the book's.

pub mod choices;
pub mod form;
pub mod happened;
pub mod history;
pub mod script;
pub mod session;
pub mod table;
pub mod timeline;
pub mod transcript;
#[cfg(target_arch = "wasm32")]
mod view;
#[cfg(target_arch = "wasm32")]
pub use view::page;
pub mod workload;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "cpu",
    title: "CPU pools",
    summary: "RC4 and SHA-256 on a pool of 1, 2, 3 … N Web Workers: Table 17-1 measured on your machine, beside the book's (Fluent Python 1e, ch. 17).",
    #[cfg(target_arch = "wasm32")]
    page: crate::labs::LabPage::OnDemand,
};
