//! `spinner_thread.py`'s `supervisor()`: the spinner runs in another thread — a Web Worker
//! drawing on the page's canvas, handed over as an `OffscreenCanvas` — while `slow()` blocks
//! the main thread in `time.sleep`. The worker keeps drawing, as a Python thread keeps
//! running while `sleep` releases the GIL. Then `done.set()` (a message: the worker stops
//! at once and answers with every frame it drew) and `join()` (waiting for that answer, with
//! a timeout so a worker that does not stop cannot hang the page); the worker is terminated
//! either way.

use std::pin::pin;

use futures::StreamExt;
use futures::future::{Either, select};

use super::form::SpinnerParams;
use super::session::Event;
use super::transcript::{ANSWER, Outcome};
use crate::runtime::ports::{Emit, Pool, PoolEvents, Time, WorkerEvent, Workers};
use crate::worker_protocol::{FromWorker, ToWorker};

/// The page's canvas the worker draws on (the view renders a fresh one for each run: a
/// canvas can be handed over only once).
pub const CANVAS_ID: &str = "thread-spinner-canvas";
/// How long the worker may take to start and draw its first frame.
const START_WITHIN_MS: f64 = 10_000.0;
/// How long `join()` waits for the worker to say it stopped.
pub const JOIN_WITHIN_MS: f64 = 2_000.0;

/// What the worker's spinner drew, counted from the worker's own record of its frames.
#[derive(Clone, Debug, PartialEq)]
pub struct WorkerFrames {
    /// Frames drawn in all, from `start()` to `done.set()`.
    pub drawn: u32,
    /// Frames drawn while the main thread was blocked.
    pub during_block: u32,
    /// Different images among those: the canvas's pixels, read back by the worker.
    pub images_during_block: u32,
    /// From `done.set()` to the worker's answer.
    pub join_ms: f64,
}

impl WorkerFrames {
    /// Counts `frames` (times on the page's clock, pixel checksums) against the block, which
    /// ran from `block.0` to `block.1`.
    pub fn count(frames: &[(f64, u32)], block: (f64, f64), join_ms: f64) -> WorkerFrames {
        let mut images: Vec<u32> = Vec::new();
        let mut during_block = 0;
        for &(at, image) in frames {
            if block.0 < at && at <= block.1 {
                during_block += 1;
                if !images.contains(&image) {
                    images.push(image);
                }
            }
        }
        WorkerFrames {
            drawn: frames.len() as u32,
            during_block,
            images_during_block: images.len() as u32,
            join_ms,
        }
    }
}

/// The spinner thread's side of a run: how long the main thread was blocked, and what
/// `join()` got.
#[derive(Clone, Debug, PartialEq)]
pub struct ThreadReport {
    /// The `time.sleep` of `slow()`, in seconds.
    pub seconds: f64,
    /// How long `slow()` held the main thread, by the page's clock.
    pub block_ms: f64,
    /// The worker's frames, or why `join()` gave up.
    pub joined: Result<WorkerFrames, String>,
}

/// `supervisor()`: start the spinner thread, `slow()`, `done.set()`, `join()`.
pub async fn supervisor<R: Time + Workers>(
    params: &SpinnerParams,
    seconds: f64,
    rt: &R,
    emit: &Emit<Event>,
) -> Outcome {
    let started = rt.now_ms();
    let (pool, mut events) = match rt.spawn_pool(1) {
        Ok(pool) => pool,
        Err(reason) => return Outcome::Failed(format!("the spinner thread did not start: {reason}")),
    };
    // spinner.start(): the worker listens, takes the canvas and draws its first frame.
    let first_frame_at = loop {
        let answer = answer_within(rt, &mut events, START_WITHIN_MS).await;
        match answer {
            // Messages posted before the worker listens would be lost: wait for Ready.
            Ok(FromWorker::Ready) => {
                let spin = ToWorker::Spin {
                    period_ms: params.period_ms,
                    frames: params.frames.clone(),
                    message: params.message.clone(),
                };
                if let Err(reason) = pool.post_canvas(0, spin, CANVAS_ID) {
                    break Err(reason);
                }
            }
            Ok(FromWorker::Spinning { at_ms }) => break Ok(at_ms),
            other => break other.and(Err("it answered something else".to_string())),
        }
    };
    let first_frame_at = match first_frame_at {
        Ok(at) => at,
        Err(reason) => return Outcome::Failed(format!("the spinner thread did not start: {reason}")),
    };
    emit(Event::ThreadStarted {
        first_frame_ms: first_frame_at - started,
    });
    // slow(): time.sleep on the main thread — nothing else runs on it meanwhile.
    let block_from = rt.now_ms();
    rt.block_ms(seconds * 1000.0);
    let block_to = rt.now_ms();
    // done.set(); spinner.join()
    pool.post(0, ToWorker::SpinDone);
    let joined = match answer_within(rt, &mut events, JOIN_WITHIN_MS).await {
        Ok(FromWorker::Spun { frames }) => Ok(WorkerFrames::count(
            &frames,
            (block_from, block_to),
            rt.now_ms() - block_to,
        )),
        other => other.and(Err("it answered something else".to_string())),
    };
    // Joined or not, the worker ends here.
    drop(pool);
    emit(Event::ThreadJoined(ThreadReport {
        seconds,
        block_ms: block_to - block_from,
        joined,
    }));
    Outcome::Answer(ANSWER)
}

/// The worker's next message within `ms`; `Err` saying why not (it failed, ended, or did
/// not answer in time).
async fn answer_within(
    rt: &impl Time,
    events: &mut PoolEvents,
    ms: f64,
) -> Result<FromWorker, String> {
    match select(events.next(), pin!(rt.sleep_ms(ms))).await {
        Either::Left((Some((_, WorkerEvent::Message(message))), _)) => Ok(message),
        Either::Left((Some((_, WorkerEvent::Failed(reason))), _)) => Err(reason),
        Either::Left((None, _)) => Err("the worker ended".to_string()),
        Either::Right(_) => Err(format!("the worker did not answer within {} s", ms / 1000.0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_counted_inside_the_block_only() {
        let frames = [(5.0, 1), (10.0, 2), (110.0, 3), (210.0, 1), (310.0, 2), (311.0, 9)];
        let counted = WorkerFrames::count(&frames, (10.0, 310.0), 1.5);
        assert_eq!(
            counted,
            WorkerFrames {
                drawn: 6,
                during_block: 3,
                images_during_block: 3,
                join_ms: 1.5
            },
            "after the block began, up to its end"
        );
        let none = WorkerFrames::count(&frames, (400.0, 500.0), 0.0);
        assert_eq!((none.drawn, none.during_block, none.images_during_block), (6, 0, 0));
        let same = WorkerFrames::count(&[(1.0, 7), (2.0, 7)], (0.0, 3.0), 0.0);
        assert_eq!((same.during_block, same.images_during_block), (2, 1));
    }
}
