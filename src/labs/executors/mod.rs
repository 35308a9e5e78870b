//! Lab 2 — executors: `map` vs `as_completed` (Fluent Python 1e ch. 17 / 2e ch. 20).

pub mod model;
#[cfg(target_arch = "wasm32")]
mod view;
#[cfg(target_arch = "wasm32")]
pub use view::ExecutorsLab;
