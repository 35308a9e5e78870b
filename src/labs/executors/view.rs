//! The executors lab's page: the form, Run/Stop, the transcript, the Gantt chart and the
//! futures table; the run itself is `script::run` on the browser's runtime.

use yew::prelude::*;

use super::choices::{Collect, Demo, Server};
use super::form::{ExecutorsForm, ExecutorsParams, Field, compare_label, compare_pair};
use super::gantt::{LEGEND, LEGEND_NOTE, lane_labels};
use super::happened::what_happened;
use super::history::HISTORY_COLUMNS;
use super::jobs::TABLE_COLUMNS;
use super::script::{self, Stopper};
use super::session::{Event, Session};
use super::transcript::WallClock;
use crate::labs::LabForm;
use crate::runtime::browser::Browser;
use crate::runtime::ports::Emit;
use crate::runtime::servers;
use crate::timeline;
use crate::ui::{
    self, Notices, PythonReference, RunControls, RunHistory, Timeline, Transcript, WhatHappened,
};

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <ExecutorsLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct ExecutorsLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

const HINT_DELAYS: &str = "Seconds each loiter(n) sleeps, in submission order; !n raises instead. \
    The book's demo runs 0 1 2 3 4 on 3 workers — every job ends in submission order, so map and \
    as_completed look alike; a slow first call such as 3 0 1 2 shows the difference.";

/// The local time now, for the `[HH:MM:SS]` stamps.
fn wall_clock() -> WallClock {
    let now = js_sys::Date::new_0();
    WallClock::new(
        now.get_hours(),
        now.get_minutes(),
        now.get_seconds(),
        now.get_milliseconds(),
    )
}

/// The run, once the DELAY server (a service worker) controls the page when it is needed;
/// if it cannot, the run starts and ends at once, saying why.
async fn run_demo(params: ExecutorsParams, emit: Emit<Event>, stopper: Stopper) {
    if params.needs_service_worker() {
        if let Err(reason) = servers::ready().await {
            emit(Event::Started {
                params,
                wall: wall_clock(),
            });
            emit(Event::Failed { reason });
            return;
        }
    }
    script::run(params, wall_clock(), Browser, emit, stopper).await;
}

#[function_component]
pub fn ExecutorsLab(props: &ExecutorsLabProps) -> Html {
    let initial = use_memo((), |_| ExecutorsForm::from_query(&props.query));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_lab_run(&dispatch);
    ui::use_servers();
    // The current run's Stopper, whose clock the open Gantt bars grow to.
    let current = use_mut_ref(Stopper::default);
    // Re-render while jobs run, so the Gantt bars grow.
    ui::use_redraw_while(session.0.is_running(), 100);

    // Starts the runs one after the other as one run (Stop ends them all); each run installs
    // its executor in the same Stopper, so Stop and the open bars follow the current one.
    let start = {
        let (run, dispatch, current) = (run.clone(), dispatch.clone(), current.clone());
        move |runs: Vec<ExecutorsParams>| {
            let stopper = Stopper::default();
            *current.borrow_mut() = stopper.clone();
            let (emit, runs_stopper) = (dispatch.emit(), stopper.clone());
            run.start(async move {
                for params in runs {
                    run_demo(params, emit.clone(), runs_stopper.clone()).await;
                }
            });
            run.on_stop(move |elapsed_ms| stopper.stop(elapsed_ms));
        }
    };
    let on_run = {
        let start = start.clone();
        fields.when_valid(move |params| start(vec![params]))
    };
    let on_compare = fields.when_valid(move |params| {
        let (first, second) = compare_pair(&params);
        start(vec![first, second]);
    });
    let on_stop = run.stop_callback();

    let s = &session.0;
    // Until its task ends too: a run may still measure after its last event (Run would be refused).
    let running = s.is_running() || run.is_running();
    let demo = fields.form.demo();
    let history: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();
    let now = match current.borrow().elapsed_ms() {
        Some(elapsed) if running => s.script_ms(elapsed),
        _ => 0.0,
    };
    let bars = s.bars();

    html! {
        <article class="lab executors-lab">
            <h2>{ "Executors: map vs as_completed, and the states of a future" }</h2>
            <section class="intro">
                <p>{ "Mirrors Fluent Python (1e ch. 17, 2e ch. 20): demo_executor_map.py submits loiter(n) to a pool of \
                      max_workers and collects with executor.map — results in submission order — or, here, with \
                      as_completed — results in completion order; flags_threadpool_ac.py submits five downloads and \
                      prints each future as it is scheduled and as it completes." }</p>
                <p>{ "What to look for: in the Gantt chart each bar is a job in a worker slot, and the ◆ marks when \
                      the loop received its result. With map a slow early job holds back finished later ones (the \
                      gap between a bar's end and its ◆); with as_completed each result is delivered the moment it \
                      is done. The jobs run on the browser's event loop: the slots are a limit on concurrency, \
                      like a thread pool's size, not threads." }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <div class="lab-setup">
            <form class="lab-form" onsubmit={ui::run_on_submit(&on_run)} novalidate=true>
                { for fields.form.fields().into_iter().map(|field| match field {
                    Field::Demo => fields.choice::<Demo>(field, false, running),
                    Field::CollectWith => fields.choice::<Collect>(field, false, running),
                    Field::Server => fields.choice::<Server>(field, false, running),
                    Field::Delays => fields.text(field, Some(HINT_DELAYS), None, true, running),
                    _ => fields.text(field, None, None, false, running),
                }) }
                <RunControls {running} {on_stop}
                    compare={compare_label(demo).map(|label| ui::CompareButton { label: label.into(), on_compare })} />
            </form>
            <PythonReference script={demo.python_reference()} explanation={demo.browser_explanation()} />
            </div>
            <WhatHappened sentence={what_happened(s)} />
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} />
                <section class="visual" aria-label="Visual">
                    <Timeline class="gantt" fit=true lanes={lane_labels(s.workers)}
                        bars={timeline::drawn(&bars, now)} span_ms={timeline::span_ms(&bars, now)}
                        label="Jobs per worker slot over time, with the moment each result was delivered"
                        legend={LEGEND.to_vec()} legend_note={LEGEND_NOTE} />
                </section>
            </div>
            <section class="futures" aria-labelledby="futures-title">
                <h2 id="futures-title">{ "Futures" }</h2>
                <table class="futures-table" aria-labelledby="futures-title" tabindex="0">
                    <thead><tr>{ for TABLE_COLUMNS.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                    <tbody>{ for s.jobs.iter().map(|job| html! {
                        <tr class={job.status.key()} data-state={job.status.key()}>
                            { for job.cells().into_iter().map(|c| html! { <td>{ c }</td> }) }
                        </tr>
                    }) }</tbody>
                </table>
            </section>
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} rows={history} />
        </article>
    }
}
