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
pub mod random;
pub mod route;
pub mod stats;
pub mod text;
pub mod timeline;
pub mod worker_protocol;

pub mod runtime;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod lab_module;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;

/// `src/bin/lab_<key>.rs`: `concurrency_playground::lab_module!(labs::<key>::page);` — the
/// module's entry point, called by `www/lab-loader.js`.
#[macro_export]
macro_rules! lab_module {
    ($page:path) => {
        fn main() {}

        /// Renders the lab's page into `host` (the loader calls it when the lab opens).
        #[cfg(target_arch = "wasm32")]
        #[wasm_bindgen::prelude::wasm_bindgen]
        pub fn mount(host: web_sys::Element, hash: String) -> $crate::lab_module::Mounted {
            $crate::lab_module::mount(host, &hash, $page)
        }
    };
}
