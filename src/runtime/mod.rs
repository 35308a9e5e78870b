//! Browser concurrency primitives every lab reuses: time and sleeping, cancellable
//! tasks, Web Workers and pools of them, the frame meter, the location hash, the service
//! worker's servers and cross-origin isolation (memory shared between workers).
//! `ports` names what a lab's run needs as small traits; `browser` implements them on the
//! page, `testing` on a virtual clock. Only wasm32 builds the browser side; the ports and
//! the executor compile everywhere and are tested natively.

pub mod beat;
pub mod executor;
pub mod lock;
pub mod ports;
#[cfg(test)]
pub mod testing;

#[cfg(target_arch = "wasm32")]
pub mod blocking;
#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
pub mod fetch;
#[cfg(target_arch = "wasm32")]
pub mod frame_meter;
#[cfg(target_arch = "wasm32")]
pub mod isolation;
#[cfg(target_arch = "wasm32")]
pub mod location;
#[cfg(target_arch = "wasm32")]
pub mod pool;
#[cfg(target_arch = "wasm32")]
pub mod servers;
#[cfg(target_arch = "wasm32")]
pub mod shared;
#[cfg(target_arch = "wasm32")]
pub mod task;
#[cfg(target_arch = "wasm32")]
pub mod time;
#[cfg(target_arch = "wasm32")]
pub mod worker;

/// A thrown JS value as text: an `Error`'s message, a thrown string, or a placeholder.
#[cfg(target_arch = "wasm32")]
pub(crate) fn js_error_text(error: &wasm_bindgen::JsValue) -> String {
    use wasm_bindgen::JsCast;
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
