//! Measures what the reader saw: `requestAnimationFrame` callbacks (frames the browser
//! could paint), asked for every frame or on the page's beat (`Pace`), and every Long Task
//! (≥ 50 ms of main-thread work). Nothing is derived from the lab's parameters. Runs while
//! held; stops when dropped.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use super::beat::{BeatStep, Beats};
use super::time::now_ms;
use crate::meter::{FrameLog, FrameStats, Pace};

/// How often an every-frame meter tells the live view about new stats (a sampled meter tells
/// it at every sample). Each update redraws the lab: 4 a second keeps the readout live.
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
}

pub struct FrameMeter {
    state: Rc<RefCell<State>>,
    on_frame: Rc<RefCell<Option<FrameCallback>>>,
    /// A sampled meter's beat.
    samples: Option<Beats>,
    long_tasks: Option<LongTaskObserver>,
}

impl FrameMeter {
    /// Starts measuring now; `on_update` gets a snapshot at every sample, or about every
    /// 250 ms of frames.
    pub fn start(pace: Pace, on_update: impl Fn(FrameStats) + 'static) -> FrameMeter {
        let started = now_ms();
        let state = Rc::new(RefCell::new(State {
            log: FrameLog::starting_at(started, pace),
            last_update: started,
            frame_request: None,
        }));
        let on_frame: Rc<RefCell<Option<FrameCallback>>> = Rc::new(RefCell::new(None));
        let mut samples = None;
        match pace {
            Pace::EveryFrame => {
                let callback = {
                    let (state, on_frame) = (state.clone(), on_frame.clone());
                    Closure::<dyn FnMut(f64)>::new(move |_frame_time: f64| {
                        // now(), not the frame's start time: a frame delayed by a blocked
                        // thread must count from when it could actually run.
                        let at = now_ms();
                        let snapshot = {
                            let mut s = state.borrow_mut();
                            s.log.frame(at);
                            s.frame_request = on_frame.borrow().as_ref().map(request_frame);
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
                state.borrow_mut().frame_request = Some(request_frame(&callback));
                *on_frame.borrow_mut() = Some(callback);
            }
            Pace::Sampled { every_ms } => {
                let state = state.clone();
                samples = Some(Beats::start(every_ms, BeatStep::Sample, move |beat| {
                    let stats = {
                        let mut s = state.borrow_mut();
                        s.log.frame_asked_at(beat, now_ms());
                        s.log.stats().clone()
                    };
                    on_update(stats);
                }));
            }
        }
        let long_tasks = observe_long_tasks(state.clone(), started);
        FrameMeter {
            state,
            on_frame,
            samples,
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
        self.samples.take();
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
