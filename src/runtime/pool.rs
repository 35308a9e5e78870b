//! A pool of N Web Workers (the browser's `ProcessPoolExecutor`): each worker is a
//! real thread with its own WASM instance. The pool only spawns, posts and funnels
//! events into one stream; *which* job goes to *which* worker is the lab model's
//! business (a pure scheduler), so it can be tested natively. Dropping the pool
//! terminates every worker at once.

use futures::channel::mpsc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

pub use super::ports::PoolEvents;
use super::ports::{CUSTOM_CLASS, Pipe, PipeItem, Pool};
use super::shared::{SharedBytes, SharedThrottle};
use super::worker::WorkerHandle;
use crate::worker_protocol::ToWorker;

pub struct WorkerPool {
    workers: Vec<WorkerHandle>,
    /// The throttle every worker shares, once `share_throttle` made it.
    throttle: std::cell::RefCell<Option<SharedThrottle>>,
    /// The memory every worker shares, once `share_memory` made it.
    memory: std::cell::RefCell<Option<SharedBytes>>,
}

impl WorkerPool {
    /// Starts `size` workers; each reports `Ready` on the stream once it listens.
    pub fn spawn(size: usize) -> Result<(WorkerPool, PoolEvents), String> {
        let (sender, events) = mpsc::unbounded();
        let workers = (0..size)
            .map(|index| {
                let sender = sender.clone();
                WorkerHandle::spawn(move |event| {
                    let _ = sender.unbounded_send((index, event));
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((
            WorkerPool {
                workers,
                throttle: Default::default(),
                memory: Default::default(),
            },
            events,
        ))
    }
}

impl Pool for WorkerPool {
    type Memory = SharedBytes;
    type Pipe = PagePipe;

    fn post(&self, worker: usize, message: ToWorker) {
        let Some(handle) = self.workers.get(worker) else {
            return;
        };
        if let (ToWorker::Visits { .. } | ToWorker::SharedCtypes { .. }, Some(memory)) =
            (&message, self.memory.borrow().as_ref())
        {
            return handle.post_with(message, memory.buffer());
        }
        // A throttled request travels with the throttle (the same memory every time): a
        // worker that just started could not have taken it any earlier.
        match (&message, self.throttle.borrow().as_ref()) {
            (
                ToWorker::Get {
                    throttled: true, ..
                },
                Some(throttle),
            ) => handle.post_with(message, throttle.buffer()),
            _ => handle.post(message),
        }
    }

    fn share_throttle(&self, rate: f64) -> Result<(), String> {
        *self.throttle.borrow_mut() = Some(SharedThrottle::new(rate)?);
        Ok(())
    }

    fn share_memory(&self, bytes: u32) -> Result<SharedBytes, String> {
        let memory = SharedBytes::new(bytes)?;
        *self.memory.borrow_mut() = Some(memory.clone());
        Ok(memory)
    }

    fn open_pipe(&self, worker: usize) -> Result<PagePipe, String> {
        let handle = self.workers.get(worker).ok_or("no such worker")?;
        let channel = web_sys::MessageChannel::new().map_err(|e| super::js_error_text(&e))?;
        handle.post_transfer(ToWorker::Pipe, &channel.port2());
        Ok(PagePipe {
            port: channel.port1(),
        })
    }

    fn pid(&self, worker: usize) -> u32 {
        self.workers.get(worker).map_or(0, WorkerHandle::pid)
    }

    fn post_canvas(&self, worker: usize, message: ToWorker, canvas_id: &str) -> Result<(), String> {
        let handle = self.workers.get(worker).ok_or("no such worker")?;
        let canvas: web_sys::HtmlCanvasElement = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(canvas_id))
            .and_then(|e| e.dyn_into().ok())
            .ok_or_else(|| format!("the page has no canvas #{canvas_id} to hand over"))?;
        let surface = canvas
            .transfer_control_to_offscreen()
            .map_err(|e| super::js_error_text(&e))?;
        handle.post_transfer(message, &surface);
        Ok(())
    }
}

/// The page's end of a `MessageChannel` whose other port went to a worker; closed on drop.
pub struct PagePipe {
    port: web_sys::MessagePort,
}

impl Drop for PagePipe {
    fn drop(&mut self) {
        self.port.close();
    }
}

impl Pipe for PagePipe {
    fn send(&self, item: PipeItem) -> Result<(), String> {
        // The function lives until the send is over; the closure is dropped with it.
        let function = Closure::<dyn Fn()>::new(|| {});
        let value: JsValue = match item {
            PipeItem::Int => 42.into(),
            PipeItem::Str => "some string".into(),
            PipeItem::Dict => {
                let dict = js_sys::Object::new();
                let _ = js_sys::Reflect::set(&dict, &"one".into(), &1.into());
                dict.into()
            }
            PipeItem::Instance => custom_instance(),
            PipeItem::None => JsValue::NULL,
            PipeItem::Function => function.as_ref().clone(),
        };
        self.port.post_message(&value).map_err(|error| {
            let name = js_sys::Reflect::get(&error, &"name".into())
                .ok()
                .and_then(|n| n.as_string())
                .unwrap_or_else(|| "Error".to_string());
            format!("{name}: {}", super::js_error_text(&error))
        })
    }
}

/// `CustomClass()`: an object whose prototype is the page's `CustomClass.prototype`, its
/// constructor a function named `CustomClass` (built without `eval`: the page's CSP forbids it).
fn custom_instance() -> JsValue {
    thread_local! {
        static PROTOTYPE: js_sys::Object = {
            let constructor = Closure::<dyn Fn()>::new(|| {}).into_js_value();
            let name = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&name, &"value".into(), &CUSTOM_CLASS.into());
            let _ = js_sys::Reflect::define_property(constructor.unchecked_ref::<js_sys::Object>(), &"name".into(), &name);
            let prototype = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&prototype, &"constructor".into(), &constructor);
            prototype
        };
    }
    PROTOTYPE.with(|prototype| js_sys::Object::create(prototype).into())
}
