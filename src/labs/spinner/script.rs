//! The spinner lab's run, `spinner_async.py`'s `supervisor()`: start the spinner, await
//! `slow()`, cancel the spinner, print the answer. A plain future over the runtime's
//! ports: in the page they are the browser's, in the tests a virtual clock's.

use std::convert::Infallible;
use std::pin::pin;

use futures::future::{Either, select};

use super::choices::Variant;
use super::form::{SpinnerParams, Workload};
use super::transcript::{ANSWER, Outcome, frame_line};
use super::session::Event;
use crate::prime::{NAP_EVERY, PrimeCheck, is_prime};
use crate::runtime::ports::{Emit, Meter, Meters, Time, Workers, check_prime_in_worker};

/// One run, from `Started` to `Settled`.
pub async fn run<R>(params: SpinnerParams, rt: R, emit: Emit<Event>)
where
    R: Time + Workers + Meters,
{
    emit(Event::Started(params.clone()));
    let meter = rt.meter_for(&emit, Event::Stats);
    // Show the `spinner object:` line before slow() can block the page.
    rt.next_paint().await;
    let started = rt.now_ms();
    // slow() is polled first: a blocking slow() returns before the spinner ever runs.
    let outcome = match select(pin!(slow(&params, &rt)), pin!(spin(&params, &rt, &emit))).await {
        Either::Left((outcome, _spinner)) => outcome, // spinner.cancel(): dropped here
        Either::Right((never, _)) => match never {},
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
    use crate::runtime::testing::{Virtual, run_recorded};

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
}
