//! Concurrency Playground: the Python concurrency lessons of *Fluent Python* and
//! *Expert Python Programming*, re-run live on the browser's own machinery.
//!
//! Functional core, imperative shell: the pure modules (`text`, `prime`, `route`,
//! `meter`, `worker_protocol` and each lab's `model`) compile and are tested natively;
//! the browser shell (`runtime`'s browser primitives, `ui`, `app`, each lab's `view`, `worker`)
//! only for wasm32.

pub mod labs;
pub mod meter;
pub mod prime;
pub mod route;
pub mod text;
pub mod worker_protocol;

pub mod runtime;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
