//! The Web Worker side. A message is a protocol line, or `[line, SharedArrayBuffer]` when
//! it brings shared memory (the pool's throttle, or the reply slot of a blocked page):
//! - `check n` → the verdict and the time it took; the poison pill → the end marker;
//! - `get id throttled url` → a blocking request (a synchronous XMLHttpRequest holds this
//!   thread, as `requests.get` holds a Python thread), after a token from the shared
//!   throttle if asked: `granted`, `sent`, then `got` or `get-failed`;
//! - `get-into url` → the same request, its answer left in the shared reply slot;
//! - the memory lab's `visits`, `fork`, `hello`, `pipe` and `sharedctypes` (see
//!   `ToWorker`): a counter in shared memory, a copied pid list, a pipe's far end;
//! - `spin` with an `OffscreenCanvas`, then `spin-done`: the spinner thread (`spinner`).

mod spinner;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::labs::cpu::choices::Workload;
use crate::labs::cpu::workload::{run_job, warm_up};
use crate::labs::memory::{sharedctypes, visits};
use crate::labs::rates::throttle::POLL_MS;
use crate::prime::{WARM_UP_PRIME, is_prime_in_slices};
use crate::pyfmt::{repr_float, repr_str};
use crate::runtime::ports::Reply;
use crate::runtime::shared::{ReplySlot, SharedBytes, SharedThrottle, epoch_ms};
use crate::worker_protocol::{FromWorker, ToWorker};

/// How long a blocking request may take before it fails (the server's longest delay is 12 s).
const REQUEST_TIMEOUT_MS: u32 = 30_000;
/// The most a worker spends getting a workload's optimized code (its warm-up).
const WARM_UP_BUDGET_MS: f64 = 30.0;

/// Installs the message handler and tells the page this worker is ready.
pub fn run() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    // The Table 17-1 workloads this worker has warmed up.
    let mut warmed: Vec<Workload> = Vec::new();
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
                let prime = is_prime_in_slices(n);
                post(FromWorker::Checked {
                    n,
                    prime,
                    elapsed_s: (epoch_ms() - started) / 1000.0,
                });
            }
            Some(ToWorker::End) => post(FromWorker::Finished),
            Some(ToWorker::WarmUp(workload)) => {
                warm_up_once(&mut warmed, workload);
                post(FromWorker::WarmedUp);
            }
            Some(ToWorker::Crunch {
                workload,
                index,
                size,
                seed,
            }) => {
                let started = epoch_ms();
                // Without a warm-up first, the first job includes getting the optimized code.
                warm_up_once(&mut warmed, workload);
                let result = run_job(workload, seed, index as usize, size as usize);
                post(FromWorker::Crunched {
                    index,
                    elapsed_s: (epoch_ms() - started) / 1000.0,
                    result,
                });
            }
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
            Some(ToWorker::Visits { increments, update }) => {
                let Some(buffer) = shared else {
                    panic!("visits came without the shared counter");
                };
                let memory = SharedBytes::over(buffer);
                post(FromWorker::Waiting);
                visits::wait_for_start(&memory);
                let started = epoch_ms();
                visits::visit(&memory, update, increments);
                post(FromWorker::Visited {
                    elapsed_s: (epoch_ms() - started) / 1000.0,
                });
            }
            Some(ToWorker::SharedCtypes { length }) => {
                let Some(buffer) = shared else {
                    panic!("sharedctypes came without the shared memory");
                };
                sharedctypes::child(&SharedBytes::over(buffer), length);
                post(FromWorker::Negated);
            }
            Some(ToWorker::Fork { mut pids }) => {
                pids.push(own_pid());
                post(FromWorker::Forked { pids });
            }
            Some(ToWorker::Hello { identifier }) => post(FromWorker::Hello {
                identifier,
                pid: own_pid(),
            }),
            Some(ToWorker::Pipe) => {
                let Some(port) = shared else {
                    panic!("pipe came without its port");
                };
                listen_on_pipe(port.unchecked_into(), reply_to.clone());
            }
            Some(ToWorker::Spin {
                period_ms,
                frames,
                message,
            }) => {
                let Some(canvas) = shared else {
                    panic!("spin came without its canvas");
                };
                let reply_to = reply_to.clone();
                spinner::start(
                    canvas.unchecked_into(),
                    period_ms,
                    frames,
                    message,
                    move |m| {
                        let _ = reply_to.post_message(&m.encode().into());
                    },
                );
            }
            Some(ToWorker::SpinDone) => spinner::set_done(),
            // A message we do not understand is a bug on the page side: fail loudly.
            None => panic!("worker received an unknown message: {text:?}"),
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    // Warm the hot path before saying Ready (issue 14). V8 runs new WebAssembly in its baseline
    // tier and compiles hot code again, optimized, on a background thread; once every worker
    // keeps a core busy, that thread waits for a free core, and the workers run baseline code
    // for seconds. Heating `is_prime` now, while the pool is starting and cores are free, asks
    // for the optimized code early; checking in slices (`is_prime_in_slices`) picks it up as
    // soon as it is in. Measured: Heavy with 2 workers 4.5 s → 3.8 s (V8 without its baseline
    // tier: 3.7 s); the warm-up costs ~2 ms per worker.
    let _ = is_prime_in_slices(WARM_UP_PRIME);
    let _ = scope.post_message(&FromWorker::Ready.encode().into());
}

/// Warms `workload` up unless this worker already has: its optimized code stays in.
fn warm_up_once(warmed: &mut Vec<Workload>, workload: Workload) {
    if !warmed.contains(&workload) {
        warmed.push(workload);
        warm_up(workload, epoch_ms, WARM_UP_BUDGET_MS);
    }
}

/// `os.getpid()`: the name the page gave this worker when it started it.
fn own_pid() -> u32 {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    scope.name().parse().unwrap_or(0)
}

/// The child's loop of `pipes.py`: report each truthy value that arrives, stop at `None`.
fn listen_on_pipe(port: web_sys::MessagePort, reply_to: web_sys::DedicatedWorkerGlobalScope) {
    let pipe = port.clone();
    let on_value = Closure::<dyn FnMut(_)>::new(move |event: web_sys::MessageEvent| {
        let value = event.data();
        let message = if value.is_null() || value.is_undefined() {
            pipe.close();
            FromWorker::PipeEnded
        } else if value.is_truthy() {
            FromWorker::Received {
                class: class_name(&value),
                text: python_str(&value, 0),
            }
        } else {
            return;
        };
        let _ = reply_to.post_message(&message.encode().into());
    });
    port.set_onmessage(Some(on_value.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_value.forget();
}

/// The value's class as this thread sees it: its constructor's name.
fn class_name(value: &JsValue) -> String {
    let constructor = js_sys::Object::from(value.clone()).constructor();
    let name = js_sys::Reflect::get(&constructor, &"name".into()).ok();
    name.and_then(|n| n.as_string())
        .unwrap_or_else(|| "?".to_string())
}

/// What Python's `str()` would print for the value: `42`, `some string`, `{'one': 1}`,
/// `<Name object>` for an instance of another class.
fn python_str(value: &JsValue, depth: u32) -> String {
    if let Some(text) = value.as_string() {
        return if depth == 0 { text } else { repr_str(&text) };
    }
    if let Some(n) = value.as_f64() {
        return if n.fract() == 0.0 && n.abs() < 1e15 {
            format!("{n:.0}")
        } else {
            repr_float(n)
        };
    }
    if let Some(b) = value.as_bool() {
        return if b { "True" } else { "False" }.to_string();
    }
    if value.is_null() || value.is_undefined() {
        return "None".to_string();
    }
    let class = class_name(value);
    if class != "Object" || depth > 3 {
        return format!("<{class} object>");
    }
    let object = js_sys::Object::from(value.clone());
    let items: Vec<String> = js_sys::Object::entries(&object)
        .iter()
        .map(|entry| {
            let pair = js_sys::Array::from(&entry);
            let key = pair.get(0).as_string().unwrap_or_default();
            format!(
                "{}: {}",
                repr_str(&key),
                python_str(&pair.get(1), depth + 1)
            )
        })
        .collect();
    format!("{{{}}}", items.join(", "))
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
