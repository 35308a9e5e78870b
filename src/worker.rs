//! The Web Worker side: answers `check n` with the verdict and the time it took,
//! and the poison pill with the end marker.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::prime::is_prime;
use crate::worker_protocol::{FromWorker, ToWorker};

/// Installs the message handler and tells the page this worker is ready.
pub fn run() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(_)>::new(move |event: web_sys::MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let reply = match ToWorker::decode(&text) {
            Some(ToWorker::Check(n)) => {
                let clock = reply_to.performance().expect("performance in worker");
                let started = clock.now();
                let prime = is_prime(n);
                FromWorker::Checked {
                    n,
                    prime,
                    elapsed_s: (clock.now() - started) / 1000.0,
                }
            }
            Some(ToWorker::End) => FromWorker::Finished,
            // A message we do not understand is a bug on the page side: fail loudly.
            None => panic!("worker received an unknown message: {text:?}"),
        };
        let _ = reply_to.post_message(&reply.encode().into());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&FromWorker::Ready.encode().into());
}
