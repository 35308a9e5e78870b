//! The CPU lab's page: the form, Run/Stop/Compare, the transcript, the table beside the
//! book's, the live workers and the run history; the run is `script::run` on the browser.

use yew::prelude::*;

use super::choices::{Mode, Workload};
use super::form::{CpuForm, Field, compare_label, compare_pair};
use super::happened::what_happened;
use super::history::HISTORY_COLUMNS;
use super::script;
use super::session::Session;
use super::table::TABLE_COLUMNS;
use super::timeline::LEGEND;
use crate::labs::{LabForm, LabSession};
use crate::runtime::browser::Browser;
use crate::runtime::time::cpu_count;
use crate::timeline;
use crate::ui::{
    self, LiveWorkers, Notices, PythonReference, ResultTable, RunControls, RunHistory, Timeline,
    Transcript, WhatHappened,
};

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <CpuLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct CpuLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

const HINT_WORKERS: &str = "ProcessPoolExecutor(max_workers): Web Workers in the pool, 1 to 32.";
const HINT_MAX_WORKERS: &str = "The table runs pools of 1, 2, … up to this many workers, 1 to 32; the book went to 4.";
const HINT_REPEATS: &str = "Runs per pool size; the table shows their median, 1 to 10.";
const HINT_SCALE: &str = "1 is the book's sizes. WASM is far faster than CPython, so the book's \
    jobs take milliseconds here; a larger factor multiplies every array, up to 32.";
const HINT_SEED: &str = "The jobs' bytes come from this seed, the same in every worker; empty draws a new one.";

#[function_component]
pub fn CpuLab(props: &CpuLabProps) -> Html {
    let cpus = cpu_count();
    let initial = use_memo((), |_| CpuForm::from_query(&props.query, cpus));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_lab_run(&dispatch);

    let on_run = run.run_callback(&fields, |params, emit| script::run(params, Browser, emit));
    let on_stop = run.stop_callback();
    let on_compare = run.compare_callback(
        &fields,
        move |params| compare_pair(params, cpus, (js_sys::Math::random() * 1_000_000.0) as u64),
        |params, emit| script::run(params, Browser, emit),
    );

    let s = &session.0;
    let running = s.is_running() || run.is_running();
    // Bars of jobs being computed grow between events, on the session's own pace: the
    // workers have every core, and each redraw is page work taken from them.
    ui::use_redraw_while(s.is_running(), Session::UPDATE_EVERY_MS);
    let now_ms = match run.elapsed_ms() {
        Some(elapsed) if s.is_running() => elapsed - s.pool_clock_ms,
        _ => 0.0,
    };
    let lanes: Vec<String> = (1..=s.timeline.lanes.max(1)).map(|n| format!("Worker {n}")).collect();
    let form = &*fields.form;
    let hint = |field: Field| match field {
        Field::Workers => Some(HINT_WORKERS),
        Field::MaxWorkers => Some(HINT_MAX_WORKERS),
        Field::Repeats => Some(HINT_REPEATS),
        Field::Scale => Some(HINT_SCALE),
        Field::Seed => Some(HINT_SEED),
        _ => None,
    };
    let (table_title, table_note, table_rows) = match s.table_rows() {
        Some((params, rows)) => (
            format!("Table 17-1, {}: your machine beside the book's", params.workload.name()),
            format!(
                "Data × {}, seed {}; times are medians of {} run{} per pool size. The book's: Python 3.4 on a \
                 4-core Core i7, starting the workers included, as in the first two time columns here.",
                params.scale,
                s.seed.map_or("—".to_string(), |seed| seed.to_string()),
                params.repeats,
                if params.repeats == 1 { "" } else { "s" },
            ),
            rows.iter().map(|row| row.cells(params.workload)).collect(),
        ),
        None => (
            format!("Table 17-1, {}", form.workload().name()),
            String::new(),
            Vec::new(),
        ),
    };
    let history: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();

    html! {
        <article class="lab cpu-lab" data-runs={s.runs_started.to_string()} data-running={running.to_string()}>
            <h2>{ "CPU pools: Table 17-1 on your machine" }</h2>
            <section class="intro">
                <p>{ "Mirrors Fluent Python 1e, chapter 17: arcfour_futures.py and sha_futures.py run 12 CPU-bound \
                      jobs on a ProcessPoolExecutor of 1, 2, 3 and 4 workers, and Table 17-1 lists the times — the \
                      speed-up grows with the workers but stays well under their number. Here the pool is Web \
                      Workers, each a thread with its own WASM instance running RustCrypto's RC4 or SHA-256." }</p>
                <p>{ format!("What to look for: the jobs-only time halves from 1 to 2 workers and keeps falling up to \
                      your machine's {cpus} logical CPUs, then stops; the time including the start gains less, \
                      because every pool starts its workers first — with the book's sizes WASM finishes the jobs in \
                      milliseconds, about as long as starting the workers takes. Raise Data × to see the book's shape.") }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <div class="lab-setup">
            <form class="lab-form" onsubmit={ui::run_on_submit(&on_run)} novalidate=true>
                { for form.fields().into_iter().map(|field| match field {
                    Field::Workload => fields.choice::<Workload>(field, true, running),
                    Field::Mode => fields.choice::<Mode>(field, true, running),
                    _ => fields.text(field, hint(field), None, false, running),
                }) }
                <RunControls {running} {on_stop}
                    compare={ui::CompareButton { label: compare_label(cpus).into(), on_compare }} />
            </form>
            <PythonReference script={form.workload().python_reference()}
                explanation={form.mode().browser_explanation()} />
            </div>
            <WhatHappened sentence={what_happened(s, cpus)} />
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} />
                <section class="visual" aria-label="Visual">
                    <LiveWorkers />
                    <Timeline {lanes} bars={timeline::drawn(&s.timeline.bars, now_ms)}
                        span_ms={timeline::span_ms(&s.timeline.bars, now_ms)}
                        label="Timeline of the last pool: one lane per worker, one bar per job" legend={LEGEND.to_vec()} />
                </section>
            </div>
            <ResultTable id="cpu-table-title" title={table_title} note={(!table_note.is_empty()).then(|| AttrValue::from(table_note))}
                columns={TABLE_COLUMNS.to_vec()} rows={table_rows}
                empty="Run the table to fill it: one row per pool size, beside the book's." />
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} rows={history} />
        </article>
    }
}
