//! The primes lab's page: the form, Run/Stop, the transcript, the workers' timeline, the
//! frame meter and the sweep's chart; the run itself is `script::run` on the browser's runtime.

mod sweep;

use yew::prelude::*;

use self::sweep::SweepView;
use super::choices::{Mode, Preset};
use super::form::{Field, PrimesForm, compare_label, compare_pair};
use super::happened::what_happened;
use super::history::{HISTORY_COLUMNS, book_rows};
use super::numbers::NUMBERS_HINT;
use super::script;
use super::session::Session;
use super::timeline::LEGEND;
use super::transcript::{MAIN_THREAD_STOP_NOTE, lane_label};
use crate::labs::{LabForm, LabSession};
use crate::labs::choice::Choice;
use crate::labs::form::{FormField, FormText};
use crate::runtime::browser::Browser;
use crate::runtime::time::cpu_count;
use crate::timeline;
use crate::ui::{
    self, FrameMeterView, LiveWorkers, Notices, PythonReference, RunControls, RunHistory,
    Timeline, Transcript, WhatHappened,
};

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <PrimesLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct PrimesLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

#[function_component]
pub fn PrimesLab(props: &PrimesLabProps) -> Html {
    let initial = use_memo((), |_| PrimesForm::from_query(&props.query, cpu_count()));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_lab_run(&dispatch);
    let s = &session.0;
    // Bars of numbers being checked grow between events, on the session's own pace: the
    // workers have every core, and each redraw is page work taken from them.
    ui::use_redraw_while(s.is_running(), Session::UPDATE_EVERY_MS);

    let on_run = run.run_callback(&fields, |params, emit| script::run(params, Browser, emit));
    // Dropping the run drops its pool: every worker is terminated now.
    let on_stop = run.stop_callback();
    let cores = crate::runtime::time::cpu_count();
    let on_compare = run.compare_callback(
        &fields,
        move |params| compare_pair(params, cores),
        |params, emit| script::run(params, Browser, emit),
    );

    let form = &fields.form;
    let mode = form.mode();
    let running_mode = s.running.as_ref().map(|r| r.params.mode);
    let shown = s.shown_params();
    let shown_mode = shown.map_or(mode, |p| p.mode);
    let history: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();
    // The timeline's clock: from the run's (or the current sweep run's) start.
    let now_ms = match run.elapsed_ms() {
        Some(elapsed) if s.is_running() => elapsed - s.timeline_clock_ms,
        _ => 0.0,
    };
    let lanes: Vec<String> = (0..s.timeline.lanes.max(1))
        .map(|lane| lane_label(shown_mode, lane))
        .collect();
    let (done, total) = s.progress();
    let disabled = s.is_running();
    let on_edit = fields.on_edit.clone();

    html! {
        <article class="lab primes-lab">
            <h2>{ "Primes: a pool of Web Workers checks big numbers" }</h2>
            <section class="intro">
                <p>{ "Mirrors Fluent Python 2e, chapters 19–20: sequential.py, procs.py (N processes sharing a jobs \
                      queue, a poison pill each, a collector counting finished workers), proc_pool.py \
                      (ProcessPoolExecutor.map) and the Figure 19-2 sweep over N. The same naive trial-division \
                      is_prime runs here as WASM — on the main thread, or in N Web Workers, each a real thread \
                      with its own WASM instance." }</p>
                <p>{ format!("What to look for: sequential-main freezes the page (see the frame meter); the worker \
                      modes keep it smooth. procs prints in completion order, pool-map in submission order (a slow \
                      first number holds back the rest — watch the timeline). The timeline shows dynamic scheduling: \
                      an idle worker takes the next number. Your machine reports {} logical CPUs; the sweep shows \
                      where more workers stop helping.", cpu_count()) }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <div class="lab-setup">
            <form class="lab-form" onsubmit={ui::run_on_submit(&on_run)} novalidate=true>
                { fields.choice::<Mode>(Field::Mode, true, disabled) }
                { for form.fields().into_iter().filter(|f| *f != Field::Mode).map(|field| {
                    if field != Field::Numbers {
                        return fields.text(field, None, None, false, disabled);
                    }
                    let id = fields.id(field);
                    let error = fields.error_of(field);
                    let invalid = error.is_some().then_some("true");
                    let described = error.is_some().then(|| format!("{id}-error"));
                    html! {
                        <ui::Field id={id.clone()} label={field.label()} {error} hint={AttrValue::from(NUMBERS_HINT)} wide=true>
                            <textarea id={id} rows="8" value={form.get(field).to_string()} oninput={fields.edit::<InputEvent>(field)}
                                {disabled} aria-invalid={invalid} aria-describedby={described} spellcheck="false" />
                            <div class="presets" role="group" aria-label="Number presets">
                                { for Preset::ALL.iter().map(|&preset| {
                                    let on_edit = on_edit.clone();
                                    html! { <button type="button" {disabled} aria-pressed={(form.preset() == Some(preset)).to_string()}
                                        onclick={Callback::from(move |_| on_edit.emit((Field::Numbers, preset.text())))}>{ preset.label() }</button> }
                                }) }
                            </div>
                        </ui::Field>
                    }
                }) }
                <RunControls running={s.is_running() || run.is_running()} {on_stop}
                    compare={ui::CompareButton { label: compare_label(cores).into(), on_compare }}
                    stop_note={running_mode.or(Some(mode)).filter(|m| m.blocks_main_thread()).map(|_| AttrValue::from(MAIN_THREAD_STOP_NOTE))} />
            </form>
            <PythonReference script={mode.python_reference()} explanation={mode.browser_explanation()} />
            </div>
            <WhatHappened sentence={what_happened(s)} />
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} />
                <section class="visual" aria-label="Visual">
                    <LiveWorkers />
                    <p class="progress-line">
                        <progress max={total.max(1).to_string()} value={done.to_string()} aria-label="Progress"></progress>
                        { format!(" {done} / {total} {}", if s.running.as_ref().and_then(|r| r.params.sweep).is_some() { "sweep runs" } else { "checked" }) }
                    </p>
                    <Timeline {lanes} bars={timeline::drawn(&s.timeline.bars, now_ms)}
                        span_ms={timeline::span_ms(&s.timeline.bars, now_ms)}
                        label="Timeline: one lane per worker, one bar per number" legend={LEGEND.to_vec()} />
                    <FrameMeterView stats={s.stats.clone()} />
                </section>
            </div>
            if shown_mode == Mode::Sweep && !s.sweep_samples.is_empty() {
                <SweepView rows={s.sweep_rows()} max_n={shown.and_then(|p| p.sweep).map_or(1, |p| p.max_n)} />
            }
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} rows={history} reference={book_rows()} />
        </article>
    }
}
