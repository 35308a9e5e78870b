//! Lab 4 — the prime checker with a Web Worker pool (Fluent Python 2e, ch. 19–20).

pub mod model;
#[cfg(target_arch = "wasm32")]
mod view;
#[cfg(target_arch = "wasm32")]
pub use view::PrimesLab;
