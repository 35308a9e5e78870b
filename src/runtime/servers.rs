//! The playground's service worker (`www/sw.js`), scoped to the app's own path, plays the test
//! servers (the flags lab's DELAY and ERROR, the rates API) and adds the headers that make the
//! page cross-origin isolated (see `isolation`). This registers it and waits until it controls
//! the page, so the first request of a run already reaches it.

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// What the service worker is for, in the words of the errors below.
const ROLE: &str = "the service worker that plays the playground's test servers and turns on \
                    cross-origin isolation";

/// Relative: the worker's scope is the directory the app is served from.
const SCRIPT: &str = "./sw.js";

fn container() -> Result<web_sys::ServiceWorkerContainer, String> {
    let navigator = web_sys::window().expect("window").navigator();
    let has_service_workers =
        js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !has_service_workers {
        return Err(format!(
            "this browser offers no service workers here (they need https or localhost), \
             so {ROLE} cannot run"
        ));
    }
    // Read through Reflect: in some contexts the getter itself throws.
    js_sys::Reflect::get(&navigator, &"serviceWorker".into())
        .map(JsCast::unchecked_into)
        .map_err(|e| {
            format!(
                "the browser refused service workers ({})",
                super::js_error_text(&e)
            )
        })
}

/// `container.register(SCRIPT, { scope: "./" })`, called so that a synchronous throw (a
/// blocked or sandboxed page) comes back as an error instead of unwinding through the app.
fn register_with(container: &web_sys::ServiceWorkerContainer) -> Result<js_sys::Promise, String> {
    let options = web_sys::RegistrationOptions::new();
    options.set_scope("./");
    let register: js_sys::Function = js_sys::Reflect::get(container, &"register".into())
        .map_err(|e| super::js_error_text(&e))?
        .dyn_into()
        .map_err(|_| "serviceWorker.register is not a function".to_string())?;
    register
        .call2(container, &SCRIPT.into(), &options)
        .map(JsCast::unchecked_into)
        .map_err(|e| super::js_error_text(&e))
}

thread_local! {
    /// The registration under way (or done): registering twice returns the same promise.
    static REGISTRATION: std::cell::RefCell<Option<js_sys::Promise>> = const { std::cell::RefCell::new(None) };
}

/// How long a run waits for the servers before it says why they are not there.
const READY_WITHIN_MS: u32 = 5000;

/// Registers the service worker (once); called when a page that uses it opens.
pub fn register() {
    let _ = registration();
}

fn registration() -> Result<js_sys::Promise, String> {
    let container = container()?;
    if let Some(promise) = REGISTRATION.with(|slot| slot.borrow().clone()) {
        return Ok(promise);
    }
    // A refused registration is a rejected promise, so every run says why.
    let promise =
        register_with(&container).unwrap_or_else(|reason| js_sys::Promise::reject(&reason.into()));
    REGISTRATION.with(|slot| *slot.borrow_mut() = Some(promise.clone()));
    Ok(promise)
}

/// Resolves once the service worker controls this page, or says why it cannot: service
/// workers refused (blocked, site data off, some private modes) or not in control in time.
pub async fn ready() -> Result<(), String> {
    use futures::future::{Either, select};
    let container = container()?;
    let registered = JsFuture::from(registration()?);
    let timeout = TimeoutFuture::new(READY_WITHIN_MS);
    let registration: web_sys::ServiceWorkerRegistration = match select(registered, timeout).await {
        // A checked cast: a blocked register() may resolve to something else entirely.
        Either::Left((Ok(value), _)) => value.dyn_into().map_err(|_| {
            format!("the browser did not register {ROLE}; service workers may be blocked")
        })?,
        Either::Left((Err(error), _)) => {
            return Err(format!(
                "the browser refused {ROLE} ({}); service workers may be blocked or site data \
                 turned off",
                super::js_error_text(&error)
            ));
        }
        Either::Right(_) => {
            return Err(format!("{ROLE} did not register within 5 s"));
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
    Err(format!(
        "{ROLE} did not take control of the page within 5 s"
    ))
}
