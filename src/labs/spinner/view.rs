//! The spinner lab's page: the form, Run/Stop, the transcript and the frame meter; the run
//! itself is `script::run` on the browser's runtime.

use yew::prelude::*;

use super::choices::Variant;
use super::form::{Field, NUMBER_PRESETS, SpinnerForm, compare_label, compare_pair};
use super::happened::what_happened;
use super::history::HISTORY_COLUMNS;
use super::script;
use super::session::Session;
use super::thread::{CANVAS_ID, ThreadReport};
use super::transcript::stop_note;
use crate::labs::LabForm;
use crate::runtime::browser::Browser;
use crate::ui::{
    self, FrameMeterView, LiveWorkers, Notices, PythonReference, RunControls, RunHistory,
    Transcript, WhatHappened,
};

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <SpinnerLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct SpinnerLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

#[function_component]
pub fn SpinnerLab(props: &SpinnerLabProps) -> Html {
    let initial = use_memo((), |_| SpinnerForm::from_query(&props.query));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_lab_run(&dispatch);

    let on_run = run.run_callback(&fields, |params, emit| script::run(params, Browser, emit));
    let on_stop = run.stop_callback();
    let on_compare = run.compare_callback(&fields, compare_pair, |params, emit| {
        script::run(params, Browser, emit)
    });

    let s = &session.0;
    let variant = fields.form.variant();
    let running_variant = s.running.as_ref().map(|r| r.params.variant);
    // The variant on show: the running one, else the one picked.
    let shown = running_variant.unwrap_or(variant);
    // Until its task ends too: a run may still measure after its last event (Run would be refused).
    let running = s.is_running() || run.is_running();
    let rows: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();
    let on_edit = fields.on_edit.clone();

    html! {
        <article class="lab spinner-lab">
            <h2>{ "Spinner: an event loop, a blocking call, and a worker" }</h2>
            <section class="intro">
                <p>{ "Mirrors Fluent Python 2e, chapter 19 (Concurrency Models): spinner_async.py, the \
                      time.sleep “experiment”, spinner_prime_async_broken/nap and spinner_proc.py. \
                      A spinner redraws “\\ thinking!” every 100 ms while slow() works, then prints the answer. \
                      thread-spinner is spinner_thread.py: the spinner is another thread." }</p>
                <p>{ "What to look for: with async-sleep the spinner turns and the frame gaps stay near 16 ms. \
                      With blocking-sleep or blocking-prime the spinner never appears and the page freezes — \
                      the meter's longest gap equals the block. nap-prime keeps it alive by yielding; \
                      worker-prime moves the work off the main thread, so nothing stutters. Try the largest \
                      u64 prime: it takes seconds even in WASM. With thread-spinner the page freezes as with \
                      blocking-sleep, yet the spinner, drawn by a Web Worker on its own canvas, keeps turning." }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <div class="lab-setup">
            <form class="lab-form" onsubmit={ui::run_on_submit(&on_run)} novalidate=true>
                { fields.choice::<Variant>(Field::Variant, true, running) }
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
                <RunControls {running} {on_stop}
                    compare={ui::CompareButton { label: compare_label(variant).into(), on_compare }}
                    stop_note={stop_note(shown).map(AttrValue::from)} />
            </form>
            <PythonReference script={variant.python_reference()} explanation={variant.browser_explanation()} />
            </div>
            <WhatHappened sentence={what_happened(s)} />
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} live_line={s.live_line.clone()} />
                <section class="visual" aria-label="Visual">
                    if shown == Variant::ThreadSpinner {
                        <div class="spinner-stage">
                            // A fresh canvas for each run: a canvas can be handed to a worker only once.
                            <canvas key={s.runs_started} id={CANVAS_ID} width="640" height="96" role="img"
                                aria-label="The spinner thread's canvas: a Web Worker redraws the spinner line on it (its frame counts are below)" />
                        </div>
                        { thread_meter(s.thread.as_ref()) }
                    } else {
                        <div class="spinner-stage" aria-hidden="true">
                            { s.live_line.clone().unwrap_or_else(|| if running { "…".into() } else { "·".into() }) }
                        </div>
                    }
                    <FrameMeterView stats={s.stats.clone()} animation_frames={Some(s.spinner_frames)} />
                    if variant.uses_worker() || running_variant.is_some_and(Variant::uses_worker) {
                        <LiveWorkers />
                    }
                </section>
            </div>
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} {rows} />
        </article>
    }
}

/// The spinner thread's side, from the frames the worker reported at `join()` (a plain
/// function, not a component: each component costs the home page code).
fn thread_meter(report: Option<&ThreadReport>) -> Html {
    let frames = report.and_then(|r| r.joined.as_ref().ok());
    let figure = |value: Option<u32>| value.map_or("–".to_string(), |n| n.to_string());
    html! {
        <section class="meter thread-meter" aria-label="Spinner thread">
            <dl>
                <div><dt>{ "Worker frames while the page was blocked" }</dt>
                    <dd data-meter="worker-frames-in-block">{ figure(frames.map(|f| f.during_block)) }</dd></div>
                <div><dt>{ "Different images among them" }</dt>
                    <dd data-meter="worker-images-in-block">{ figure(frames.map(|f| f.images_during_block)) }</dd></div>
            </dl>
        </section>
    }
}
