//! Web Workers on `web_sys::Worker` directly: each is a real thread with its own WASM
//! instance (the browser's process). A [`WorkerHandle`] terminates its worker when
//! dropped — `Worker.terminate()` stops even a worker stuck in a CPU loop, which a
//! polite "please stop" message (gloo-worker's only option) cannot.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::worker_protocol::{FromWorker, ToWorker};

/// The worker script Trunk builds from `src/bin/worker.rs`; relative, so it resolves
/// against the page and the playground works from any sub-path.
pub const WORKER_SCRIPT: &str = "./worker_loader.js";

pub use super::ports::WorkerEvent;

/// A running worker; terminated on drop.
pub struct WorkerHandle {
    worker: web_sys::Worker,
    pid: u32,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

impl WorkerHandle {
    /// Starts a worker; `on_event` sees every message and failure.
    pub fn spawn(on_event: impl Fn(WorkerEvent) + 'static) -> Result<WorkerHandle, String> {
        // Its pid, which it reads back as `self.name`.
        let pid = page_pid() + SPAWNED.with(|n| n.replace(n.get() + 1) + 1);
        let options = web_sys::WorkerOptions::new();
        options.set_name(&pid.to_string());
        let worker = web_sys::Worker::new_with_options(WORKER_SCRIPT, &options)
            .map_err(|e| super::js_error_text(&e))?;
        let on_event = Rc::new(on_event);
        // Workers report times on the shared epoch clock; the page's clock starts at its own
        // time origin.
        let page_origin_ms = web_sys::window()
            .and_then(|w| w.performance())
            .map_or(0.0, |p| p.time_origin());
        let on_message = {
            let on_event = on_event.clone();
            Closure::<dyn FnMut(_)>::new(move |event: web_sys::MessageEvent| {
                let text = event.data().as_string().unwrap_or_default();
                on_event(match FromWorker::decode(&text) {
                    Some(message) => WorkerEvent::Message(message.shifted(-page_origin_ms)),
                    None => {
                        WorkerEvent::Failed(format!("unexpected message from worker: {text:?}"))
                    }
                })
            })
        };
        let on_error = Closure::<dyn FnMut(_)>::new(move |event: web_sys::ErrorEvent| {
            event.prevent_default();
            let message = event.message();
            on_event(WorkerEvent::Failed(if message.is_empty() {
                "the worker failed to load or crashed".to_string()
            } else {
                message
            }))
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        LIVE_WORKERS.with(|live| live.set(live.get() + 1));
        notify_live_workers();
        Ok(WorkerHandle {
            worker,
            pid,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    pub fn post(&self, message: ToWorker) {
        // Only fails for uncloneable data; a string always clones.
        let _ = self.worker.post_message(&message.encode().into());
    }

    /// Posts `message` with shared memory: `[line, buffer]`; the buffer is shared, not copied.
    pub fn post_with(&self, message: ToWorker, shared: &js_sys::SharedArrayBuffer) {
        let pair = js_sys::Array::of2(&message.encode().into(), shared);
        let _ = self.worker.post_message(&pair);
    }

    /// Posts `message` with an object that moves to the worker (a `MessagePort`, an
    /// `OffscreenCanvas`): `[line, object]`, the object transferred (the page can no longer
    /// use it).
    pub fn post_transfer(&self, message: ToWorker, object: &JsValue) {
        let pair = js_sys::Array::of2(&message.encode().into(), object);
        let transfer = js_sys::Array::of1(object);
        let _ = self.worker.post_message_with_transfer(&pair, &transfer);
    }

    /// The worker's pid: the page's plus its place in the order the page started workers.
    pub fn pid(&self) -> u32 {
        self.pid
    }
}

/// The page's "pid": from when the page loaded (`performance.timeOrigin`), so it is stable
/// while the page stays loaded; its workers' pids count up from it.
pub fn page_pid() -> u32 {
    let origin = web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.time_origin());
    1000 + (origin as u64 % 90_000) as u32
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
        LIVE_WORKERS.with(|live| live.set(live.get() - 1));
        notify_live_workers();
    }
}

type LiveListener = (u64, Rc<dyn Fn(usize)>);

thread_local! {
    /// Workers this page has started, for their pids.
    static SPAWNED: Cell<u32> = const { Cell::new(0) };
    static LIVE_WORKERS: Cell<usize> = const { Cell::new(0) };
    static LIVE_LISTENERS: RefCell<Vec<LiveListener>> = const { RefCell::new(Vec::new()) };
    static NEXT_LISTENER: Cell<u64> = const { Cell::new(0) };
}

/// How many workers this page has started and not yet terminated.
pub fn live_workers() -> usize {
    LIVE_WORKERS.with(Cell::get)
}

/// Keeps a live-worker listener registered while held.
pub struct LiveWorkersSubscription(u64);

/// Calls `listener` with the new count whenever a worker starts or is terminated.
pub fn watch_live_workers(listener: impl Fn(usize) + 'static) -> LiveWorkersSubscription {
    let id = NEXT_LISTENER.with(|next| {
        next.set(next.get() + 1);
        next.get()
    });
    LIVE_LISTENERS.with(|all| all.borrow_mut().push((id, Rc::new(listener))));
    LiveWorkersSubscription(id)
}

impl Drop for LiveWorkersSubscription {
    fn drop(&mut self) {
        LIVE_LISTENERS.with(|all| all.borrow_mut().retain(|(id, _)| *id != self.0));
    }
}

fn notify_live_workers() {
    let count = live_workers();
    // Clone first: a listener may (un)subscribe while being called.
    let listeners: Vec<Rc<dyn Fn(usize)>> =
        LIVE_LISTENERS.with(|all| all.borrow().iter().map(|(_, l)| l.clone()).collect());
    for listener in listeners {
        listener(count);
    }
}
