//! A lab's session in Yew: a reducer over the pure `LabSession`, fed by a dispatcher that
//! batches a run's events into one update per animation frame, or per beat of
//! `LabSession::UPDATE_EVERY_MS` (`runtime::beat`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::labs::LabSession;
use crate::runtime::beat::{BeatStep, on_next_beat};
use crate::runtime::ports::Emit;
use crate::runtime::time::now_ms;

/// Yew's reducer around a lab's pure session; an action is the events of one frame.
#[derive(Clone, Default, PartialEq)]
pub struct SessionState<S>(pub S);

impl<S: LabSession> Reducible for SessionState<S> {
    type Action = Vec<S::Event>;
    fn reduce(self: Rc<Self>, events: Vec<S::Event>) -> Rc<Self> {
        let mut next = (*self).clone();
        for event in events {
            next.0.apply(event);
        }
        Rc::new(next)
    }
}

/// Sends a run's events into its lab's session, at most once per animation frame (or per
/// beat of `LabSession::UPDATE_EVERY_MS`): a run with hundreds of requests or results
/// redraws the page 60 times a second at most, not once per event. Order is kept; the
/// events carry their own timestamps.
pub struct Dispatch<S: LabSession> {
    batch: Rc<Batch<S>>,
}

struct Batch<S: LabSession> {
    queue: RefCell<Vec<S::Event>>,
    scheduled: Cell<bool>,
    last_flush_ms: Cell<f64>,
    dispatcher: UseReducerDispatcher<SessionState<S>>,
}

impl<S: LabSession> Batch<S> {
    /// Hands the queued events to the session on the next animation frame.
    fn flush_on_next_frame(self: Rc<Self>) {
        let flush = wasm_bindgen::closure::Closure::once_into_js(move || self.flush());
        let window = web_sys::window().expect("window");
        let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&flush));
    }

    fn flush(&self) {
        self.scheduled.set(false);
        self.last_flush_ms.set(now_ms());
        let events = self.queue.take();
        if !events.is_empty() {
            self.dispatcher.dispatch(events);
        }
    }
}

impl<S: LabSession> Clone for Dispatch<S> {
    fn clone(&self) -> Self {
        Dispatch {
            batch: self.batch.clone(),
        }
    }
}

impl<S: LabSession> Dispatch<S> {
    /// The dispatcher as a run script's `emit`.
    pub fn emit(&self) -> Emit<S::Event> {
        let this = self.clone();
        Rc::new(move |event| this.dispatch(event))
    }

    /// Sends `event`, with the events queued before it, on the next frame whatever the
    /// lab's pace: what the reader did (Stop) shows at once.
    pub fn dispatch_now(&self, event: S::Event) {
        self.batch.queue.borrow_mut().push(event);
        self.batch.clone().flush_on_next_frame();
    }

    pub fn dispatch(&self, event: S::Event) {
        self.batch.queue.borrow_mut().push(event);
        if self.batch.scheduled.replace(true) {
            return;
        }
        let batch = self.batch.clone();
        let every_ms = f64::from(S::UPDATE_EVERY_MS);
        // A paced run flushes at every beat; its first events (Started) show at once.
        if now_ms() - batch.last_flush_ms.get() >= 2.0 * every_ms {
            batch.flush_on_next_frame();
        } else {
            on_next_beat(every_ms, BeatStep::Flush, move |_| batch.flush());
        }
    }
}

/// A lab's session and the batching dispatcher for its runs.
#[hook]
pub fn use_lab_session<S: LabSession>() -> (UseReducerHandle<SessionState<S>>, Dispatch<S>) {
    let session = use_reducer(SessionState::<S>::default);
    let dispatcher = session.dispatcher();
    let dispatch = use_memo((), move |_| Dispatch {
        batch: Rc::new(Batch {
            queue: RefCell::new(Vec::new()),
            scheduled: false.into(),
            last_flush_ms: f64::NEG_INFINITY.into(),
            dispatcher,
        }),
    });
    (session, (*dispatch).clone())
}
