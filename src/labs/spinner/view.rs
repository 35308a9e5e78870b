//! The spinner lab's page: the form, Run/Stop, and the run itself — a supervisor
//! future that spawns the spinner and awaits `slow()` on the browser event loop.

use std::cell::Cell;

use yew::prelude::*;

use super::model::{
    ANSWER, BLOCKING_STOP_NOTE, Event, Field, HISTORY_COLUMNS, NUMBER_PRESETS, Outcome, Session,
    SpinnerForm, SpinnerParams, Variant, Workload, frame_line,
};
use crate::prime::{NAP_EVERY, PrimeCheck, is_prime};
use crate::route::Page;
use crate::runtime::frame_meter::FrameMeter;
use crate::runtime::pool::check_prime_in_worker;
use crate::runtime::task::spawn;
use crate::runtime::time::{block_for_ms, next_paint, now_ms, sleep_ms};
use crate::ui::{
    self, FormHandle, FrameMeterView, LiveWorkers, Notices, PythonReference, RunControls,
    RunHistory, Transcript,
};

#[derive(Properties, PartialEq)]
pub struct SpinnerLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

type Dispatch = ui::Dispatch<Session>;

#[function_component]
pub fn SpinnerLab(props: &SpinnerLabProps) -> Html {
    let initial = use_memo((), |_| SpinnerForm::from_query(&props.query));
    let fields = ui::use_lab_form(Page::Spinner, initial.0.clone());
    let FormHandle {
        form,
        errors,
        on_edit,
        ..
    } = &fields;
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_run_slot();
    let run_started = use_mut_ref(|| Cell::new(0.0));

    let on_run = {
        let (form, errors, run, run_started) = (
            form.clone(),
            errors.clone(),
            run.clone(),
            run_started.clone(),
        );
        let dispatch = dispatch.clone();
        Callback::from(move |()| match form.validate() {
            Err(found) => errors.set(found),
            Ok(params) => {
                errors.set(Vec::new());
                run_started.borrow().set(now_ms());
                dispatch.dispatch(Event::Started(params.clone()));
                *run.borrow_mut() = Some(spawn(supervise(params, dispatch.clone())));
            }
        })
    };

    let on_stop = {
        let (run, run_started) = (run.clone(), run_started.clone());
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            if run.borrow_mut().take().is_some() {
                let elapsed_s = (now_ms() - run_started.borrow().get()) / 1000.0;
                dispatch.dispatch(Event::Cancelled { elapsed_s });
            }
        })
    };

    let s = &session.0;
    let variant = form.variant();
    let running_variant = s.running.as_ref().map(|r| r.params.variant);
    let running = s.is_running();
    let file_name = variant.python_reference();
    let rows: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();

    html! {
        <article class="lab spinner-lab">
            <h2>{ "Spinner: an event loop, a blocking call, and a worker" }</h2>
            <section class="intro">
                <p>{ "Mirrors Fluent Python 2e, chapter 19 (Concurrency Models): spinner_async.py, the \
                      time.sleep “experiment”, spinner_prime_async_broken/nap and spinner_proc.py. \
                      A spinner redraws “\\ thinking!” every 100 ms while slow() works, then prints the answer." }</p>
                <p>{ "What to look for: with async-sleep the spinner turns and the frame gaps stay near 16 ms. \
                      With blocking-sleep or blocking-prime the spinner never appears and the page freezes — \
                      the meter's longest gap equals the block. nap-prime keeps it alive by yielding; \
                      worker-prime moves the work off the main thread, so nothing stutters. Try the largest \
                      u64 prime: it takes seconds even in WASM." }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <form class="lab-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} novalidate=true>
                { fields.select(Field::Variant, Variant::ALL.iter().map(|v| (v.key(), v.label())).collect(), true, running) }
                { fields.text(Field::Message, None, None, false, running) }
                { fields.text(Field::Frames, Some("Characters cycled in order; the book uses \\|/-"), None, false, running) }
                { fields.text(Field::PeriodMs, Some("The book draws a frame every 100 ms."), None, false, running) }
                if variant.uses_prime() {
                    { fields.text(Field::Number, Some("Any u64; separators , or _ are fine."), None, false, running) }
                    <div class="presets" role="group" aria-label="Number presets">
                        { for NUMBER_PRESETS.iter().map(|(label, n)| {
                            let on_edit = on_edit.clone();
                            let n = *n;
                            html! { <button type="button" onclick={Callback::from(move |_| on_edit.emit((Field::Number, n.to_string())))}>{ *label }</button> }
                        }) }
                    </div>
                } else {
                    { fields.text(Field::Seconds, Some("How long slow() takes; the book uses 3."), None, false, running) }
                }
                <RunControls running={s.is_running()} on_run={on_run} on_stop={on_stop}
                    stop_note={running_variant.or(Some(variant)).filter(|v| v.blocks_main_thread()).map(|_| AttrValue::from(BLOCKING_STOP_NOTE))} />
            </form>
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} live_line={s.live_line.clone()} />
                <section class="visual" aria-label="Visual">
                    <div class="spinner-stage" aria-hidden="true">
                        { s.live_line.clone().unwrap_or_else(|| if s.is_running() { "…".into() } else { "·".into() }) }
                    </div>
                    <FrameMeterView stats={s.stats.clone()} animation_frames={Some(s.spinner_frames)} />
                    if variant == Variant::WorkerPrime || running_variant == Some(Variant::WorkerPrime) {
                        <LiveWorkers />
                    }
                </section>
            </div>
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} rows={rows} />
            <PythonReference lab="spinner" file_name={file_name} explanation={variant.browser_explanation()} />
        </article>
    }
}

/// The supervisor coroutine: start the spinner, await slow(), stop the spinner, print.
async fn supervise(params: SpinnerParams, dispatch: Dispatch) {
    let meter = FrameMeter::start({
        let dispatch = dispatch.clone();
        move |stats| dispatch.dispatch(Event::Stats(stats))
    });
    // Show the `spinner object:` line before slow() can block the page.
    next_paint().await;
    let started = now_ms();
    let spinner = spawn(spin(
        params.frames.clone(),
        params.message.clone(),
        params.period_ms,
        dispatch.clone(),
    ));
    let outcome = slow(&params).await;
    drop(spinner); // spinner.cancel(): a blocked spinner is aborted before it ever ran
    dispatch.dispatch(Event::Finished {
        outcome,
        elapsed_s: (now_ms() - started) / 1000.0,
    });
    // Let the meter see the first frame after slow() and the long task it caused.
    next_paint().await;
    sleep_ms(100.0).await;
    dispatch.dispatch(Event::Settled(meter.stats()));
}

async fn spin(frames: Vec<char>, message: String, period_ms: u32, dispatch: Dispatch) {
    for &frame in frames.iter().cycle() {
        dispatch.dispatch(Event::SpinnerFrame(frame_line(frame, &message)));
        sleep_ms(period_ms as f64).await;
    }
}

async fn slow(params: &SpinnerParams) -> Outcome {
    match (params.variant, params.workload) {
        (Variant::AsyncSleep, Workload::Sleep { seconds }) => {
            sleep_ms(seconds * 1000.0).await;
            Outcome::Answer(ANSWER)
        }
        (Variant::BlockingSleep, Workload::Sleep { seconds }) => {
            block_for_ms(seconds * 1000.0);
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
                sleep_ms(0.0).await; // asyncio.sleep(0)
            }
        }
        (Variant::WorkerPrime, Workload::Prime { n }) => match check_prime_in_worker(n).await {
            Ok((prime, _elapsed_in_worker)) => Outcome::Prime { n, prime },
            Err(reason) => Outcome::Failed(format!("the worker failed: {reason}")),
        },
        (variant, workload) => {
            unreachable!("validation pairs {variant:?} with its workload, got {workload:?}")
        }
    }
}
