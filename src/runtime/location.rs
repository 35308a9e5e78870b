//! The location hash: read it, rewrite it without a history entry, listen for changes.

use gloo_events::EventListener;

fn window() -> web_sys::Window {
    web_sys::window().expect("window")
}

pub fn hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Rewrites the hash in place (no `hashchange`, no new history entry): the form's
/// parameters stay shareable without flooding the back button.
pub fn replace_hash(hash: &str) {
    if hash != self::hash() {
        let _ = window()
            .history()
            .and_then(|h| h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(hash)));
    }
}

/// Calls `on_change` with the new hash whenever the reader navigates.
pub fn on_hash_change(on_change: impl Fn(String) + 'static) -> EventListener {
    EventListener::new(&window(), "hashchange", move |_| on_change(hash()))
}
