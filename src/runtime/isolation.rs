//! Cross-origin isolation: what lets Web Workers share memory with the page
//! (`SharedArrayBuffer`, `Atomics`). Browsers allow it only in a page served with two headers,
//! `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`,
//! so that no other site's window or data can sit in the same process as the shared memory.
//! `trunk serve` and the e2e server send them; a plain static host (GitHub Pages) does not, so
//! the playground's service worker (`www/sw.js`) adds them to every answer. Headers only count
//! when a document loads, so the first time the service worker takes control the page reloads
//! once — noted in `sessionStorage`, so it never reloads in a loop.
//!
//! Every JS call here goes through `Reflect` or a `catch`ing binding: `sessionStorage` throws
//! when site data is blocked, and no exception may unwind through a wasm task.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Where the page stands, once [`ensure`] has looked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Isolation {
    /// Workers can share memory; `reloaded` when it took our own reload to get there.
    Isolated { reloaded: bool },
    /// The page is reloading to turn isolation on; it goes away in a moment.
    Reloading,
    /// Not here, and why, in words a reader understands.
    Unavailable(String),
}

/// The `sessionStorage` key set just before our own reload.
const MARKER: &str = "concurrency-playground:isolation-reload";

/// `self.crossOriginIsolated` (in the page or a worker); false where the browser lacks it.
pub fn is_isolated() -> bool {
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into())
        .ok()
        .and_then(|value| value.as_bool())
        .unwrap_or(false)
}

/// Turns isolation on if it can: already isolated → `Isolated`; otherwise it waits for the
/// service worker to control the page and reloads once (`Reloading`), or says why it cannot.
pub async fn ensure() -> Isolation {
    if is_isolated() {
        let reloaded = marker_set();
        if reloaded {
            storage_call("removeItem", &[MARKER.into()]);
        }
        return Isolation::Isolated { reloaded };
    }
    if let Err(reason) = super::servers::ready().await {
        return Isolation::Unavailable(reason);
    }
    // The marker stays: later visits in this tab say so at once instead of reloading again.
    if marker_set() {
        return Isolation::Unavailable(
            "the page reloaded once, but the browser did not isolate the page even with the \
             service worker's headers (an older browser, or one that ignores them when a service \
             worker sends them)"
                .to_string(),
        );
    }
    if storage_call("setItem", &[MARKER.into(), "1".into()]).is_none() || !marker_set() {
        return Isolation::Unavailable(
            "the page would have to reload once to turn it on, and this browser keeps no session \
             storage here (site data may be blocked) to remember that it already did"
                .to_string(),
        );
    }
    match web_sys::window().map(|window| window.location().reload()) {
        Some(Ok(())) => Isolation::Reloading,
        Some(Err(error)) => {
            storage_call("removeItem", &[MARKER.into()]);
            Isolation::Unavailable(format!(
                "the page has to reload once to turn it on, and the browser refused ({})",
                super::js_error_text(&error)
            ))
        }
        None => Isolation::Unavailable("there is no page to reload here".to_string()),
    }
}

/// Whether our reload marker is in `sessionStorage`.
fn marker_set() -> bool {
    storage_call("getItem", &[MARKER.into()]).is_some_and(|value| value.as_string().is_some())
}

/// `sessionStorage[method](...args)`, or `None` when anything on the way throws or is missing.
fn storage_call(method: &str, args: &[JsValue]) -> Option<JsValue> {
    let window = web_sys::window()?;
    // The getter itself throws when storage is blocked; Reflect turns that into an Err.
    let storage = js_sys::Reflect::get(&window, &"sessionStorage".into()).ok()?;
    if storage.is_null() || storage.is_undefined() {
        return None;
    }
    let function: js_sys::Function = js_sys::Reflect::get(&storage, &method.into())
        .ok()?
        .dyn_into()
        .ok()?;
    let args: js_sys::Array = args.iter().collect();
    js_sys::Reflect::apply(&function, &storage, &args).ok()
}
