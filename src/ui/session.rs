//! A lab's session in Yew: a reducer over the pure `LabSession`, fed by a dispatcher that
//! batches a run's events into one update per animation frame.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use crate::labs::LabSession;
use crate::runtime::ports::Emit;

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

/// Sends a run's events into its lab's session, at most once per animation frame: a run
/// with hundreds of requests or results redraws the page 60 times a second at most, not
/// once per event. Order is kept; the events carry their own timestamps.
pub struct Dispatch<S: LabSession> {
    batch: Rc<Batch<S>>,
}

struct Batch<S: LabSession> {
    queue: RefCell<Vec<S::Event>>,
    scheduled: Cell<bool>,
    dispatcher: UseReducerDispatcher<SessionState<S>>,
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

    pub fn dispatch(&self, event: S::Event) {
        self.batch.queue.borrow_mut().push(event);
        if !self.batch.scheduled.replace(true) {
            let batch = self.batch.clone();
            let flush = wasm_bindgen::closure::Closure::once_into_js(move || {
                batch.scheduled.set(false);
                let events = batch.queue.take();
                batch.dispatcher.dispatch(events);
            });
            let window = web_sys::window().expect("window");
            let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&flush));
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
            dispatcher,
        }),
    });
    (session, (*dispatch).clone())
}
