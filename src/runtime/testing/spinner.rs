//! The virtual runtime's spinner thread (`ToWorker::Spin`): a worker that draws on a canvas
//! the page handed over. Its frames come every period on the virtual clock whatever the page
//! does — computed, not timers: `block_ms` moves the clock on without firing any timer, and a
//! blocked main thread must not hold back another thread's frames.

use std::cell::RefCell;
use std::collections::HashMap;

use super::VirtualPool;
use crate::runtime::ports::WorkerEvent;
use crate::worker_protocol::{FromWorker, ToWorker};

/// One worker's spinner: when its first frame was drawn, how often it draws, and the image
/// each frame character gives (its code point stands for the pixels' checksum).
struct Spinning {
    first_at: f64,
    period_ms: f64,
    images: Vec<u32>,
}

/// The spinners of a pool's workers.
#[derive(Default)]
pub(super) struct Spinners {
    running: RefCell<HashMap<usize, Spinning>>,
}

impl Spinners {
    /// `spin` reached `worker` at `at`: the first frame is drawn then; its `Spinning`.
    pub(super) fn start(
        &self,
        worker: usize,
        at: f64,
        period_ms: u32,
        frames: &[char],
    ) -> FromWorker {
        let spinning = Spinning {
            first_at: at,
            period_ms: f64::from(period_ms),
            images: frames.iter().map(|&c| u32::from(c)).collect(),
        };
        self.running.borrow_mut().insert(worker, spinning);
        FromWorker::Spinning { at_ms: at }
    }

    /// `spin-done` reached `worker` at `at`: the wait in progress ends at once, so the frames
    /// are those due before `at`. `None` when the worker was not spinning.
    pub(super) fn done(&self, worker: usize, at: f64) -> Option<FromWorker> {
        let spinning = self.running.borrow_mut().remove(&worker)?;
        let frames = (0..)
            .map(|k| (spinning.first_at + k as f64 * spinning.period_ms, k))
            .take_while(|&(due, _)| due < at)
            .map(|(due, k)| (due, spinning.images[k % spinning.images.len()]))
            .collect();
        Some(FromWorker::Spun { frames })
    }
}

impl VirtualPool {
    /// The spinner thread's messages; `canvas` is the id of the canvas that came with it.
    pub(super) fn spinner(&self, worker: usize, message: ToWorker, canvas: Option<&str>) {
        let latency = (self.answer_ms)(worker);
        let arrives = self.clock.now() + latency;
        let answer = match (message, canvas) {
            (
                ToWorker::Spin {
                    period_ms, frames, ..
                },
                Some(canvas),
            ) => {
                self.canvases.borrow_mut().push(canvas.to_string());
                let spinning = self.spinners.start(worker, arrives, period_ms, &frames);
                WorkerEvent::Message(spinning)
            }
            (ToWorker::Spin { .. }, None) => {
                WorkerEvent::Failed("spin came without its canvas".into())
            }
            (ToWorker::SpinDone, _) => match self.spinners.done(worker, arrives) {
                Some(_) if self.spinner_ignores_done => return,
                Some(spun) => WorkerEvent::Message(spun),
                None => WorkerEvent::Failed("spin-done came while no spinner was running".into()),
            },
            (other, _) => WorkerEvent::Failed(format!("a virtual spinner cannot {other:?}")),
        };
        self.answer(worker, 2.0 * latency, answer);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_come_every_period_until_done() {
        let spinners = Spinners::default();
        assert_eq!(spinners.done(0, 5.0), None, "not spinning");
        assert_eq!(
            spinners.start(0, 10.0, 100, &['a', 'b']),
            FromWorker::Spinning { at_ms: 10.0 }
        );
        let a = u32::from('a');
        let b = u32::from('b');
        assert_eq!(
            spinners.done(0, 310.0),
            Some(FromWorker::Spun {
                frames: vec![(10.0, a), (110.0, b), (210.0, a)]
            }),
            "the frame due as done arrives is not drawn"
        );
        assert_eq!(spinners.done(0, 400.0), None, "stopped");
    }
}
