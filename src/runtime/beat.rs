//! The page's beat: paced page work waits for the next multiple of its period on
//! `performance.now()`, then for a frame. The sampled frame meter, a paced session's
//! batched events and the timelines' redraw all keep the same beat, so a quarter-second
//! of a CPU-bound run costs the page one frame, not three (issue 14: each frame wakes the
//! page, its compositor and the browser, and with two workers on two cores every wake-up
//! is taken from a worker).

use std::cell::RefCell;
use std::rc::Rc;

/// The beat of page work while workers compute (primes, CPU pools): four frames a second.
pub const PAGE_BEAT_MS: u32 = 250;

/// The first beat of period `every_ms` after `now_ms`.
pub fn next_beat_ms(now_ms: f64, every_ms: f64) -> f64 {
    ((now_ms / every_ms).floor() + 1.0) * every_ms
}

/// What a beat's frame does, in this order: the meter's sample first (its stats join the
/// batch), then the batch of events, then the redraw (Yew renders a component once however
/// often it was asked to).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum BeatStep {
    Sample,
    Flush,
    Redraw,
}

/// A job's callback, shared so it can run while the job list changes.
pub type BeatJob = Rc<RefCell<dyn FnMut(f64)>>;

struct Job {
    id: u64,
    step: BeatStep,
    repeat: bool,
    last_beat: f64,
    run: BeatJob,
}

/// What one clock has to do at its beats, in step order.
#[derive(Default)]
pub struct BeatJobs {
    jobs: Vec<Job>,
    next_id: u64,
}

impl BeatJobs {
    /// A job at every beat (`repeat`) or at the next one; its id, to remove it.
    pub fn add(&mut self, step: BeatStep, repeat: bool, run: impl FnMut(f64) + 'static) -> u64 {
        let id = self.next_id;
        self.next_id += 1;
        self.jobs.push(Job {
            id,
            step,
            repeat,
            last_beat: f64::NEG_INFINITY,
            run: Rc::new(RefCell::new(run)),
        });
        id
    }

    pub fn remove(&mut self, id: u64) {
        self.jobs.retain(|job| job.id != id);
    }

    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// The next job to run on `beat`: steps in order, and a job added meanwhile joins its
    /// step if that is still to come. A one-shot job leaves the list. The caller runs it
    /// without holding the list, so the job can add or remove jobs.
    pub fn next(&mut self, beat: f64) -> Option<BeatJob> {
        let at = [BeatStep::Sample, BeatStep::Flush, BeatStep::Redraw]
            .into_iter()
            .find_map(|step| {
                self.jobs
                    .iter()
                    .position(|j| j.step == step && j.last_beat < beat)
            })?;
        if self.jobs[at].repeat {
            self.jobs[at].last_beat = beat;
            Some(self.jobs[at].run.clone())
        } else {
            Some(self.jobs.remove(at).run)
        }
    }
}

/// Runs every job of `beat`, one at a time without holding the list (a job may add or
/// remove jobs).
pub fn run_beat(jobs: &RefCell<BeatJobs>, beat: f64) {
    loop {
        let job = jobs.borrow_mut().next(beat);
        let Some(job) = job else { break };
        (job.borrow_mut())(beat);
    }
}

#[cfg(target_arch = "wasm32")]
pub use self::browser::{Beats, on_next_beat};

#[cfg(target_arch = "wasm32")]
mod browser {
    use std::cell::{Cell, RefCell};
    use std::rc::Rc;

    use gloo_timers::callback::Timeout;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;

    use super::{BeatJobs, BeatStep, next_beat_ms, run_beat};
    use crate::runtime::time::now_ms;

    thread_local! {
        /// One clock per period, so everything on a beat shares its timer and its frame.
        static CLOCKS: RefCell<Vec<Rc<Clock>>> = const { RefCell::new(Vec::new()) };
    }

    fn clock(every_ms: f64) -> Rc<Clock> {
        CLOCKS.with_borrow_mut(|clocks| {
            if let Some(clock) = clocks.iter().find(|c| c.every_ms == every_ms) {
                return clock.clone();
            }
            let clock = Rc::new(Clock {
                every_ms,
                jobs: RefCell::default(),
                timer: RefCell::new(None),
                ticking: false.into(),
            });
            clocks.push(clock.clone());
            clock
        })
    }

    /// Calls `then(beat_ms)` in the next beat's frame, at `step`.
    pub fn on_next_beat(every_ms: f64, step: BeatStep, then: impl FnOnce(f64) + 'static) {
        let mut then = Some(then);
        clock(every_ms).add(step, false, move |beat| {
            if let Some(then) = then.take() {
                then(beat);
            }
        });
    }

    /// `tick(beat_ms)` in every beat's frame, at `step`, until dropped.
    pub struct Beats {
        clock: Rc<Clock>,
        id: u64,
    }

    impl Beats {
        pub fn start(every_ms: f64, step: BeatStep, tick: impl FnMut(f64) + 'static) -> Beats {
            let clock = clock(every_ms);
            let id = clock.add(step, true, tick);
            Beats { clock, id }
        }
    }

    impl Drop for Beats {
        fn drop(&mut self) {
            self.clock.remove(self.id);
        }
    }

    struct Clock {
        every_ms: f64,
        jobs: RefCell<BeatJobs>,
        /// Armed while there are jobs: due at the next beat.
        timer: RefCell<Option<Timeout>>,
        ticking: Cell<bool>,
    }

    impl Clock {
        fn add(
            self: &Rc<Self>,
            step: BeatStep,
            repeat: bool,
            run: impl FnMut(f64) + 'static,
        ) -> u64 {
            let id = self.jobs.borrow_mut().add(step, repeat, run);
            // During a beat's frame the clock re-arms when the frame is done.
            if !self.ticking.get() && self.timer.borrow().is_none() {
                self.arm();
            }
            id
        }

        fn remove(&self, id: u64) {
            let mut jobs = self.jobs.borrow_mut();
            jobs.remove(id);
            if jobs.is_empty() {
                self.timer.borrow_mut().take();
            }
        }

        fn arm(self: &Rc<Self>) {
            let beat = next_beat_ms(now_ms(), self.every_ms);
            let clock = Rc::downgrade(self);
            let timer = Timeout::new((beat - now_ms()).max(0.0).ceil() as u32, move || {
                let frame = Closure::once_into_js(move || {
                    if let Some(clock) = clock.upgrade() {
                        clock.tick(beat);
                    }
                });
                let window = web_sys::window().expect("window");
                let _ = window.request_animation_frame(frame.unchecked_ref());
            });
            *self.timer.borrow_mut() = Some(timer);
        }

        /// The beat's frame: every job, step by step.
        fn tick(self: &Rc<Self>, beat: f64) {
            self.timer.borrow_mut().take();
            self.ticking.set(true);
            run_beat(&self.jobs, beat);
            self.ticking.set(false);
            if !self.jobs.borrow().is_empty() {
                self.arm();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_beat_is_the_next_multiple_of_the_period() {
        assert_eq!(next_beat_ms(0.0, 250.0), 250.0);
        assert_eq!(next_beat_ms(1000.3, 250.0), 1250.0);
        assert_eq!(next_beat_ms(1249.9, 250.0), 1250.0);
        // On a beat: the next one, never now (a step fires once per beat).
        assert_eq!(next_beat_ms(1250.0, 250.0), 1500.0);
    }

    type Log = Rc<RefCell<Vec<String>>>;

    /// A job that writes `name@beat` to `log`.
    fn job(log: &Log, name: &str) -> impl FnMut(f64) + 'static {
        let (log, name) = (log.clone(), name.to_string());
        move |beat| log.borrow_mut().push(format!("{name}@{beat}"))
    }

    #[test]
    fn a_beat_runs_its_jobs_step_by_step_and_one_shots_once() {
        let log = Log::default();
        let jobs = Rc::new(RefCell::new(BeatJobs::default()));
        jobs.borrow_mut()
            .add(BeatStep::Redraw, true, job(&log, "redraw"));
        jobs.borrow_mut()
            .add(BeatStep::Flush, false, job(&log, "flush"));
        let sample = jobs
            .borrow_mut()
            .add(BeatStep::Sample, true, job(&log, "sample"));
        run_beat(&jobs, 250.0);
        run_beat(&jobs, 500.0);
        jobs.borrow_mut().remove(sample);
        run_beat(&jobs, 750.0);
        assert_eq!(
            *log.borrow(),
            [
                "sample@250",
                "flush@250",
                "redraw@250",
                "sample@500",
                "redraw@500",
                "redraw@750"
            ]
        );
    }

    #[test]
    fn a_job_added_by_an_earlier_step_runs_in_the_same_beat() {
        // The meter's sample emits stats; the dispatcher asks for a flush: same frame.
        let log = Log::default();
        let jobs = Rc::new(RefCell::new(BeatJobs::default()));
        let (inner, mut flush) = (jobs.clone(), Some(job(&log, "flush")));
        let mut sample = job(&log, "sample");
        jobs.borrow_mut().add(BeatStep::Sample, true, move |beat| {
            sample(beat);
            if let Some(flush) = flush.take() {
                inner.borrow_mut().add(BeatStep::Flush, false, flush);
            }
        });
        run_beat(&jobs, 250.0);
        run_beat(&jobs, 500.0);
        assert_eq!(*log.borrow(), ["sample@250", "flush@250", "sample@500"]);
        assert!(!jobs.borrow().is_empty(), "the sample repeats");
    }
}
