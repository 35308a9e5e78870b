//! The spinner lab's run, `spinner_async.py`'s `supervisor()`: start the spinner, await
//! `slow()`, cancel the spinner, print the answer (`thread` is `spinner_thread.py`'s). A
//! plain future over the runtime's ports: in the page they are the browser's, in the tests a
//! virtual clock's.

use std::convert::Infallible;
use std::pin::pin;

use futures::future::{Either, select};

use super::choices::Variant;
use super::form::{SpinnerParams, Workload};
use super::session::Event;
use super::thread;
use super::transcript::{ANSWER, Outcome, frame_line};
use crate::meter::Pace;
use crate::prime::{NAP_EVERY, PrimeCheck, is_prime};
use crate::runtime::ports::{Emit, Meter, Meters, Time, Workers, check_prime_in_worker};

/// One run, from `Started` to `Settled`.
pub async fn run<R>(params: SpinnerParams, rt: R, emit: Emit<Event>)
where
    R: Time + Workers + Meters,
{
    emit(Event::Started(params.clone()));
    let meter = rt.meter_for(&emit, Pace::EveryFrame, Event::Stats);
    // Show the `spinner object:` line before slow() can block the page.
    rt.next_paint().await;
    let started = rt.now_ms();
    let outcome = match (params.variant, params.workload) {
        (Variant::ThreadSpinner, Workload::Sleep { seconds }) => {
            thread::supervisor(&params, seconds, &rt, &emit).await
        }
        // slow() is polled first: a blocking slow() returns before the spinner ever runs.
        _ => match select(pin!(slow(&params, &rt)), pin!(spin(&params, &rt, &emit))).await {
            Either::Left((outcome, _spinner)) => outcome, // spinner.cancel(): dropped here
            Either::Right((never, _)) => match never {},
        },
    };
    emit(Event::Finished {
        outcome,
        elapsed_s: (rt.now_ms() - started) / 1000.0,
    });
    // Let the meter see the first frame after slow() and the long task it caused.
    rt.next_paint().await;
    rt.sleep_ms(100.0).await;
    emit(Event::Settled(meter.stats()));
}

/// `spin()`: draws a frame, then sleeps one period, until it is cancelled.
async fn spin(params: &SpinnerParams, rt: &impl Time, emit: &Emit<Event>) -> Infallible {
    loop {
        for &frame in &params.frames {
            emit(Event::SpinnerFrame(frame_line(frame, &params.message)));
            rt.sleep_ms(params.period_ms as f64).await;
        }
    }
}

/// `slow()`, as the variant does it.
async fn slow<R: Time + Workers>(params: &SpinnerParams, rt: &R) -> Outcome {
    match (params.variant, params.workload) {
        (Variant::AsyncSleep, Workload::Sleep { seconds }) => {
            rt.sleep_ms(seconds * 1000.0).await;
            Outcome::Answer(ANSWER)
        }
        (Variant::BlockingSleep, Workload::Sleep { seconds }) => {
            rt.block_ms(seconds * 1000.0);
            Outcome::Answer(ANSWER)
        }
        (Variant::BlockingPrime, Workload::Prime { n }) => Outcome::Prime {
            n,
            prime: is_prime(n),
        },
        (Variant::NapPrime, Workload::Prime { n }) => {
            let mut check = PrimeCheck::new(n);
            loop {
                if let Some(prime) = check.step(NAP_EVERY) {
                    break Outcome::Prime { n, prime };
                }
                rt.sleep_ms(0.0).await; // asyncio.sleep(0)
            }
        }
        (Variant::WorkerPrime, Workload::Prime { n }) => match check_prime_in_worker(rt, n).await {
            Ok((prime, _elapsed_in_worker)) => Outcome::Prime { n, prime },
            Err(reason) => Outcome::Failed(format!("the worker failed: {reason}")),
        },
        (variant, workload) => Outcome::Failed(format!(
            "{variant:?} cannot run {workload:?}: the form pairs each variant with its workload"
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::rc::Rc;

    use super::super::form::{Field, SpinnerForm};
    use super::super::session::Session;
    use super::*;
    use crate::labs::form::FormText;
    use crate::labs::{LabForm, LabSession};
    use crate::prime::BOOK_PRIME;
    use crate::runtime::testing::{Virtual, recorder, run_recorded, run_to_end};

    fn params(pairs: &[(Field, &str)]) -> SpinnerParams {
        SpinnerForm::default().with(pairs).validate().unwrap()
    }

    /// Runs the script on a virtual clock; the session it leaves, and the virtual ms.
    fn run_virtual(rt: &Virtual, params: SpinnerParams) -> (Session, Vec<Event>, f64) {
        let (events, took) = run_recorded(rt, |emit| run(params, rt.clone(), emit));
        (Session::replay(&events), events, took)
    }

    #[test]
    fn async_sleep_spins_ten_frames_a_second_then_answers() {
        let rt = Virtual::default();
        let (s, _, took) = run_virtual(&rt, SpinnerForm::default().validate().unwrap());
        assert_eq!(s.spinner_frames, 30, "frames at 0, 100, …, 2900 ms");
        assert_eq!(s.transcript.last().unwrap(), "Answer: 42");
        let row = &s.history[0];
        assert_eq!(row.elapsed_s, 3.0);
        assert_eq!(row.stats.blocked_ms, 0.0);
        assert!((3100.0..3200.0).contains(&took), "{took}");
    }

    #[test]
    fn blocking_sleep_never_shows_the_spinner() {
        let rt = Virtual::default();
        let (s, events, _) = run_virtual(
            &rt,
            params(&[(Field::Variant, "blocking-sleep"), (Field::Seconds, "2")]),
        );
        assert_eq!(s.spinner_frames, 0);
        assert!(!events.iter().any(|e| matches!(e, Event::SpinnerFrame(_))));
        let row = &s.history[0];
        assert_eq!(row.outcome, Outcome::Answer(42));
        assert_eq!((row.stats.longest_gap_ms, row.stats.blocked_ms), (2000.0, 2000.0));
    }

    #[test]
    fn prime_variants_give_the_same_verdict() {
        for variant in ["blocking-prime", "nap-prime", "worker-prime"] {
            for (n, prime) in [(BOOK_PRIME, true), (1_000_000_007 * 3, false)] {
                let rt = Virtual::default();
                let (s, _, _) = run_virtual(
                    &rt,
                    params(&[(Field::Variant, variant), (Field::Number, &n.to_string())]),
                );
                assert_eq!(s.history[0].outcome, Outcome::Prime { n, prime }, "{variant}");
                assert_eq!(rt.live_workers(), 0, "the worker ends with the run");
            }
        }
    }

    #[test]
    fn the_spinner_keeps_turning_while_a_worker_computes() {
        let mut rt = Virtual::default();
        rt.check_cost = Rc::new(|_| 2000.0);
        let (s, _, _) = run_virtual(&rt, params(&[(Field::Variant, "worker-prime")]));
        assert_eq!(s.spinner_frames, 20);
        assert_eq!(s.history[0].stats.blocked_ms, 0.0);
        assert_eq!(s.history[0].elapsed_s, 2.0);
    }

    fn thread_params(seconds: &str) -> SpinnerParams {
        params(&[(Field::Variant, "thread-spinner"), (Field::Seconds, seconds)])
    }

    #[test]
    fn the_spinner_thread_keeps_drawing_while_the_main_thread_sleeps() {
        let rt = Virtual::default();
        let (s, events, _) = run_virtual(&rt, thread_params("2"));
        assert_eq!(rt.canvases_handed_over(), [thread::CANVAS_ID]);
        assert_eq!(rt.live_workers(), 0, "joined, then terminated");
        assert!(!events.iter().any(|e| matches!(e, Event::SpinnerFrame(_))), "no spinner on the page");
        // Spin reaches the worker at 1 ms (its first frame), Spinning the page at 2 ms; the
        // block runs from 2 to 2002 ms; the worker draws at 1, 101, …, 2001 ms.
        assert_eq!(
            s.transcript,
            [
                "spinner object: <Thread(spinner-1, initial)>: a Web Worker that will draw on an \
                 OffscreenCanvas",
                "(the worker drew its first frame 1 ms after start(): a Web Worker starts a WASM \
                 instance of its own, a Python thread starts in microseconds)",
                "(done.set(); join() returned after 2 ms: while time.sleep(2) held the main thread \
                 for 2,000 ms, the worker drew 20 frames (4 different images), 21 in all)",
                "Answer: 42",
            ]
        );
        let row = &s.history[0];
        assert_eq!(row.outcome, Outcome::Answer(42));
        assert_eq!((row.stats.longest_gap_ms, row.stats.blocked_ms), (2000.0, 2000.0));
        assert_eq!(row.spinner_frames, 21);
        assert_eq!(row.cells()[4], "21 by the worker, 20 while blocked");
        let sentence = super::super::happened::sentence(row);
        assert!(sentence.starts_with("The page froze for 2,000 ms (no frame drawn)"), "{sentence}");
        assert!(sentence.contains("drew 20 frames (4 different images)"), "{sentence}");
    }

    #[test]
    fn join_gives_up_on_a_spinner_thread_that_does_not_stop() {
        let mut rt = Virtual::default();
        rt.spinner_ignores_done = true;
        let (s, _, took) = run_virtual(&rt, thread_params("1"));
        assert_eq!(rt.live_workers(), 0, "terminated");
        assert_eq!(
            s.transcript[2],
            "(done.set(); join() gave up: the worker did not answer within 2 s; the worker was \
             terminated. time.sleep(1) held the main thread for 1,000 ms.)"
        );
        assert_eq!(s.transcript[3], "Answer: 42");
        let ends = 2.0 + 1000.0 + thread::JOIN_WITHIN_MS;
        assert_eq!(s.history[0].elapsed_s * 1000.0, ends);
        assert!(took < ends + 200.0, "{took}");
    }

    #[test]
    fn stop_during_the_sleep_takes_effect_once_it_returns() {
        let rt = Virtual::default();
        let (emit, events) = recorder();
        let (stop, rt2) = (rt.clock.sleep(500.0), rt.clone());
        let stopped_at = run_to_end(&rt, async move {
            let run = pin!(run(thread_params("2"), rt2, emit));
            futures::future::select(run, pin!(stop)).await;
        });
        assert_eq!(stopped_at, 2002.0, "the click is seen when the block ends");
        assert_eq!(rt.live_workers(), 0, "Stop terminates the worker");
        let events = events.borrow();
        assert!(events.iter().any(|e| matches!(e, Event::ThreadStarted { .. })));
        assert!(!events.iter().any(|e| matches!(e, Event::ThreadJoined(_) | Event::Finished { .. })));
        let mut s = Session::replay(&events);
        s.apply(Session::cancelled(2.0));
        assert!(s.transcript.last().unwrap().ends_with("The worker was terminated after 2.00s."));
        assert_eq!(s.history[0].outcome, Outcome::Cancelled);
    }

    #[test]
    fn a_spinner_thread_that_cannot_start_fails_the_run() {
        let mut rt = Virtual::default();
        rt.answer_ms = Rc::new(|_| 6_000.0);
        let (s, _, _) = run_virtual(&rt, thread_params("1"));
        assert_eq!(
            s.history[0].outcome,
            Outcome::Failed(
                "the spinner thread did not start: the worker did not answer within 10 s".to_string()
            )
        );
        assert_eq!(rt.live_workers(), 0);
    }
}
