//! Web Worker entry point (`data-type="worker"` in index.html).

fn main() {
    #[cfg(target_arch = "wasm32")]
    concurrency_playground::worker::run();
}
