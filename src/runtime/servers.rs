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

thread_local! {
    /// The registration under way (or done): registering twice returns the same promise.
    static REGISTRATION: std::cell::RefCell<Option<js_sys::Promise>> = const { std::cell::RefCell::new(None) };
}

/// How long a run waits for the servers before it says why they are not there.
const READY_WITHIN_MS: u32 = 5000;

/// Registers the servers' service worker (once); called when a page that uses them opens.
pub fn register() {
    let _ = registration();
}

fn registration() -> Result<js_sys::Promise, String> {
    let container = container()?;
    Ok(REGISTRATION.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| {
                let options = web_sys::RegistrationOptions::new();
                options.set_scope("./");
                container.register_with_options(SCRIPT, &options)
            })
            .clone()
    }))
}

/// Resolves once the service worker controls this page, or says why it cannot: service
/// workers refused (blocked, site data off, some private modes) or not in control in time.
pub async fn ready() -> Result<(), String> {
    use futures::future::{Either, select};
    let container = container()?;
    let registered = JsFuture::from(registration()?);
    let timeout = TimeoutFuture::new(READY_WITHIN_MS);
    let registration: web_sys::ServiceWorkerRegistration = match select(registered, timeout).await {
        Either::Left((Ok(registration), _)) => registration.unchecked_into(),
        Either::Left((Err(error), _)) => {
            return Err(format!(
                "the browser refused the service worker that plays the DELAY and ERROR servers ({}); \
                     service workers may be blocked or site data turned off",
                super::js_error_text(&error)
            ));
        }
        Either::Right(_) => {
            return Err("the DELAY/ERROR service worker did not register within 5 s".to_string());
        }
    };
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
