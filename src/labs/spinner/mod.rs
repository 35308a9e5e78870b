//! Lab 1 — the spinner (Fluent Python 2e, ch. 19).

pub mod model;
#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::SpinnerLab;
