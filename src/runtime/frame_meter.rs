//! Measures what the reader saw: `requestAnimationFrame` callbacks (frames the browser
//! could paint), asked for every frame or every so often (`Pace`), and every Long Task
//! (≥ 50 ms of main-thread work). Nothing is derived from the lab's parameters. Runs while
//! held; stops when dropped.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use gloo_timers::callback::Timeout;

use super::time::now_ms;
use crate::meter::{FrameLog, FrameStats, Pace};

/// How often the live view is told about new stats. Each update redraws the lab: at 10 a
/// second, with two workers busy on two cores, the page's drawing took 5–8 % of the time
/// the workers needed (issue 14); 4 a second keeps the readout live.
const UPDATE_EVERY_MS: f64 = 250.0;

type FrameCallback = Closure<dyn FnMut(f64)>;
/// The Long Tasks observer and the callback it calls (kept alive together).
type LongTaskObserver = (
    web_sys::PerformanceObserver,
    Closure<dyn FnMut(web_sys::PerformanceObserverEntryList)>,
);

struct State {
    log: FrameLog,
    last_update: f64,
    frame_request: Option<i32>,
    /// A sampled meter's wait before it asks for the next frame.
    next_sample: Option<Timeout>,
}

pub struct FrameMeter {
    state: Rc<RefCell<State>>,
    on_frame: Rc<RefCell<Option<FrameCallback>>>,
    long_tasks: Option<LongTaskObserver>,
}

impl FrameMeter {
    /// Starts measuring now; `on_update` gets a snapshot about every 250 ms of painted frames.
    pub fn start(pace: Pace, on_update: impl Fn(FrameStats) + 'static) -> FrameMeter {
        let started = now_ms();
        let state = Rc::new(RefCell::new(State {
            log: FrameLog::starting_at(started, pace),
            last_update: started,
            frame_request: None,
            next_sample: None,
        }));
        let on_frame: Rc<RefCell<Option<FrameCallback>>> = Rc::new(RefCell::new(None));
        let callback = {
            let state = state.clone();
            let on_frame = on_frame.clone();
            Closure::<dyn FnMut(f64)>::new(move |_frame_time: f64| {
                // now(), not the frame's start time: a frame delayed by a blocked thread
                // must count from when it could actually run.
                let at = now_ms();
                let snapshot = {
                    let mut s = state.borrow_mut();
                    s.log.frame(at);
                    ask_for_next_frame(pace, &mut s, &state, &on_frame);
                    (at - s.last_update >= UPDATE_EVERY_MS).then(|| {
                        s.last_update = at;
                        s.log.stats().clone()
                    })
                };
                if let Some(stats) = snapshot {
                    on_update(stats);
                }
            })
        };
        *on_frame.borrow_mut() = Some(callback);
        ask_for_next_frame(pace, &mut state.borrow_mut(), &state, &on_frame);
        let long_tasks = observe_long_tasks(state.clone(), started);
        FrameMeter {
            state,
            on_frame,
            long_tasks,
        }
    }

    pub fn stats(&self) -> FrameStats {
        self.state.borrow().log.stats().clone()
    }
}

fn request_frame(callback: &FrameCallback) -> i32 {
    web_sys::window()
        .expect("window")
        .request_animation_frame(callback.as_ref().unchecked_ref())
        .expect("requestAnimationFrame")
}

/// At every refresh: the next frame now; sampled: a timer that asks for it later.
fn ask_for_next_frame(
    pace: Pace,
    s: &mut State,
    state: &Rc<RefCell<State>>,
    on_frame: &Rc<RefCell<Option<FrameCallback>>>,
) {
    match pace {
        Pace::EveryFrame => s.frame_request = on_frame.borrow().as_ref().map(request_frame),
        Pace::Sampled { every_ms } => {
            s.next_sample = Some(ask_for_frame_in(every_ms, state, on_frame));
        }
    }
}

/// A timer that asks for the next sampled frame in `ms`.
fn ask_for_frame_in(
    ms: f64,
    state: &Rc<RefCell<State>>,
    on_frame: &Rc<RefCell<Option<FrameCallback>>>,
) -> Timeout {
    let (state, on_frame) = (Rc::downgrade(state), Rc::downgrade(on_frame));
    Timeout::new(ms.round() as u32, move || {
        if let (Some(state), Some(on_frame)) = (state.upgrade(), on_frame.upgrade()) {
            state.borrow_mut().frame_request = on_frame.borrow().as_ref().map(request_frame);
        }
    })
}

fn observe_long_tasks(state: Rc<RefCell<State>>, started: f64) -> Option<LongTaskObserver> {
    let callback =
        Closure::<dyn FnMut(_)>::new(move |entries: web_sys::PerformanceObserverEntryList| {
            let mut s = state.borrow_mut();
            for entry in entries.get_entries().iter() {
                let entry: web_sys::PerformanceEntry = entry.unchecked_into();
                if entry.start_time() + entry.duration() > started {
                    s.log.long_task(entry.duration());
                }
            }
        });
    // Browsers without the Long Tasks API still get the frame gaps.
    let observer = web_sys::PerformanceObserver::new(callback.as_ref().unchecked_ref()).ok()?;
    observer.observe(&web_sys::PerformanceObserverInit::new(&js_sys::Array::of1(
        &"longtask".into(),
    )));
    Some((observer, callback))
}

impl Drop for FrameMeter {
    fn drop(&mut self) {
        self.state.borrow_mut().next_sample.take();
        if let Some(id) = self.state.borrow_mut().frame_request.take() {
            let _ = web_sys::window()
                .expect("window")
                .cancel_animation_frame(id);
        }
        // Breaks the closure ↔ state cycle.
        self.on_frame.borrow_mut().take();
        if let Some((observer, _)) = &self.long_tasks {
            observer.disconnect();
        }
    }
}
