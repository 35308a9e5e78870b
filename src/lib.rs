//! Concurrency Playground: the Python concurrency lessons of *Fluent Python* and
//! *Expert Python Programming*, re-run live on the browser's own machinery.
//!
//! Functional core, imperative shell: the pure modules (`text`, `pyfmt`, `prime`, `route`,
//! `meter`, `timeline`, `worker_protocol`, the runtime's ports and executor, and every lab
//! but its view) compile and are tested natively; the browser shell (`runtime`'s browser
//! side, `ui`, `app`, each lab's `view`, `worker`) only for wasm32.

pub mod labs;
pub mod meter;
pub mod prime;
pub mod pyfmt;
pub mod route;
pub mod text;
pub mod timeline;
pub mod worker_protocol;

pub mod runtime;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
