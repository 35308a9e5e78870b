//! The flags lab's DELAY and ERROR servers live in a service worker (`www/sw.js`), scoped to
//! the app's own path. This registers it and waits until it controls the page, so the first
//! request of a run already reaches it.

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Relative: the worker's scope is the directory the app is served from.
const SCRIPT: &str = "./sw.js";

fn container() -> Result<web_sys::ServiceWorkerContainer, String> {
    let navigator = web_sys::window().expect("window").navigator();
    let has_service_workers =
        js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !has_service_workers {
        return Err(
            "this browser offers no service workers here (they need https or localhost), \
                    so the DELAY and ERROR servers cannot run"
                .to_string(),
        );
    }
    Ok(navigator.service_worker())
}

/// Registers the servers' service worker (idempotent); called when the app starts.
pub fn register() {
    if let Ok(container) = container() {
        let options = web_sys::RegistrationOptions::new();
        options.set_scope("./");
        let _ = container.register_with_options(SCRIPT, &options);
    }
}

/// Resolves once the service worker controls this page.
pub async fn ready() -> Result<(), String> {
    let container = container()?;
    register();
    let registration: web_sys::ServiceWorkerRegistration =
        JsFuture::from(container.ready().map_err(|_| "no service worker")?)
            .await
            .map_err(|_| "the service worker failed to start".to_string())?
            .unchecked_into();
    for _ in 0..100 {
        if container.controller().is_some() {
            return Ok(());
        }
        // After a hard reload the page starts uncontrolled: ask the worker to claim it.
        if let Some(active) = registration.active() {
            let _ = active.post_message(&JsValue::from_str("claim"));
        }
        TimeoutFuture::new(50).await;
    }
    Err("the DELAY/ERROR service worker did not take control of the page within 5 s".to_string())
}
