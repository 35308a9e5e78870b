//! `httpx.get(url, timeout=...)` on `fetch()`: one request with a timeout (an
//! `AbortController`), aborted as well when the future is dropped — so a cancelled
//! download leaves no request in flight.

use futures::FutureExt;
use futures::future::{Either, select};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub use super::ports::{FetchError, Reply};

/// Aborts the request unless it completed.
struct AbortOnDrop(Option<web_sys::AbortController>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        if let Some(controller) = self.0.take() {
            controller.abort();
        }
    }
}

/// GETs `url` (relative to the page) and reads the whole body, within `timeout_s`.
pub async fn get(url: &str, timeout_s: f64) -> Result<Reply, FetchError> {
    let controller = web_sys::AbortController::new()
        .map_err(|e| FetchError::Network(super::js_error_text(&e)))?;
    let init = web_sys::RequestInit::new();
    init.set_signal(Some(&controller.signal()));
    init.set_cache(web_sys::RequestCache::NoStore);
    let mut guard = AbortOnDrop(Some(controller));
    let request = async {
        let window = web_sys::window().expect("window");
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(url, &init))
                .await
                .map_err(|e| FetchError::Network(super::js_error_text(&e)))?
                .unchecked_into();
        let buffer = response
            .array_buffer()
            .map_err(|e| FetchError::Network(super::js_error_text(&e)))?;
        let buffer = JsFuture::from(buffer)
            .await
            .map_err(|e| FetchError::Network(super::js_error_text(&e)))?;
        let content_type = response
            .headers()
            .get("content-type")
            .ok()
            .flatten()
            .unwrap_or_default();
        Ok(Reply {
            status: response.status(),
            status_text: response.status_text(),
            content_type,
            body: js_sys::Uint8Array::new(&buffer).to_vec(),
        })
    };
    let timeout =
        TimeoutFuture::new((timeout_s * 1000.0).round().clamp(0.0, u32::MAX as f64) as u32);
    match select(request.boxed_local(), timeout).await {
        Either::Left((reply, _)) => {
            guard.0.take(); // completed: nothing to abort
            reply
        }
        // Dropping `guard` aborts the request.
        Either::Right(_) => Err(FetchError::Timeout(timeout_s)),
    }
}
