//! The Web Worker side. A message is a protocol line, or `[line, SharedArrayBuffer]` when
//! it brings shared memory (the pool's throttle, or the reply slot of a blocked page):
//! - `check n` → the verdict and the time it took; the poison pill → the end marker;
//! - `get id throttled url` → a blocking request (a synchronous XMLHttpRequest holds this
//!   thread, as `requests.get` holds a Python thread), after a token from the shared
//!   throttle if asked: `granted`, `sent`, then `got` or `get-failed`;
//! - `get-into url` → the same request, its answer left in the shared reply slot.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::labs::rates::throttle::POLL_MS;
use crate::prime::is_prime;
use crate::runtime::ports::Reply;
use crate::runtime::shared::{ReplySlot, SharedThrottle, epoch_ms};
use crate::worker_protocol::{FromWorker, ToWorker};

/// How long a blocking request may take before it fails (the server's longest delay is 12 s).
const REQUEST_TIMEOUT_MS: u32 = 30_000;

/// Installs the message handler and tells the page this worker is ready.
pub fn run() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn FnMut(_)>::new(move |event: web_sys::MessageEvent| {
        let data = event.data();
        let (text, shared) = match data.dyn_ref::<js_sys::Array>() {
            Some(pair) => (pair.get(0).as_string(), Some(pair.get(1))),
            None => (data.as_string(), None),
        };
        let text = text.unwrap_or_default();
        let post = |message: FromWorker| {
            let _ = reply_to.post_message(&message.encode().into());
        };
        match ToWorker::decode(&text) {
            Some(ToWorker::Check(n)) => {
                let started = epoch_ms();
                let prime = is_prime(n);
                post(FromWorker::Checked {
                    n,
                    prime,
                    elapsed_s: (epoch_ms() - started) / 1000.0,
                });
            }
            Some(ToWorker::End) => post(FromWorker::Finished),
            Some(ToWorker::Get { id, url, throttled }) => {
                if throttled {
                    let Some(buffer) = shared else {
                        panic!("a throttled request came without the shared throttle");
                    };
                    let throttle = SharedThrottle::over(buffer);
                    while !throttle.consume() {
                        throttle.sleep_ms(POLL_MS);
                    }
                    post(FromWorker::Granted {
                        id,
                        at_ms: epoch_ms(),
                    });
                }
                post(FromWorker::Sent {
                    id,
                    at_ms: epoch_ms(),
                });
                let answer = blocking_get(&url);
                let at_ms = epoch_ms();
                post(match answer {
                    Ok(reply) => FromWorker::Got { id, at_ms, reply },
                    Err(reason) => FromWorker::GetFailed { id, at_ms, reason },
                });
            }
            Some(ToWorker::GetInto { url }) => {
                let Some(buffer) = shared else {
                    panic!("get-into came without a reply slot");
                };
                ReplySlot::over(buffer).put(blocking_get(&url));
            }
            // A message we do not understand is a bug on the page side: fail loudly.
            None => panic!("worker received an unknown message: {text:?}"),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    let _ = scope.post_message(&FromWorker::Ready.encode().into());
}

/// `requests.get(url)`: a synchronous XMLHttpRequest; this thread does nothing else until
/// the answer is in.
fn blocking_get(url: &str) -> Result<Reply, String> {
    let error = |e: JsValue| crate::runtime::js_error_text(&e);
    let request = web_sys::XmlHttpRequest::new().map_err(error)?;
    request.open_with_async("GET", url, false).map_err(error)?;
    request.set_timeout(REQUEST_TIMEOUT_MS);
    request.send().map_err(error)?;
    Ok(Reply {
        status: request.status().map_err(error)?,
        status_text: request.status_text().map_err(error)?,
        content_type: request
            .get_response_header("Content-Type")
            .map_err(error)?
            .unwrap_or_default(),
        body: request
            .response_text()
            .map_err(error)?
            .unwrap_or_default()
            .into_bytes(),
    })
}
