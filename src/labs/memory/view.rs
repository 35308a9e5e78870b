//! The memory lab's page: the form, Run/Stop, the transcript, the count of lost updates
//! (with the book's runs beside yours) or the frame meter; the run itself is `script::run`
//! on the browser's runtime.

use yew::prelude::*;

use super::choices::{Demo, Sleep, Update};
use super::form::{Field, MemoryForm, compare_label, compare_pair};
use super::happened::what_happened;
use super::history::{HISTORY_COLUMNS, HistoryRow, VisitsRow, book_rows, percent};
use super::script;
use super::session::Session;
use super::transcript::BLOCKING_STOP_NOTE;
use crate::labs::LabForm;
use crate::labs::choice::Choice;
use crate::runtime::browser::Browser;
use crate::text::{group_thousands, millis};
use crate::ui::{
    self, FrameMeterView, IsolationNotice, LiveWorkers, Notices, PythonReference, RunControls,
    RunHistory, Transcript, WhatHappened,
};

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <MemoryLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct MemoryLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

const HINT_WORKERS: &str = "Each worker is a real OS thread (a Web Worker with its own WASM \
    instance), 1 to 256. The book's 100 is heavy for a browser — it starts 100 of them — but real.";
const HINT_INCREMENTS: &str = "How many times each thread adds 1; the book's 100,000. Up to 10,000,000.";
const HINT_PROCESSES: &str = "How many worker processes say hello, 1 to 64; the book starts 5.";
const HINT_LENGTH: &str = "N in Array('i', range(N)), 1 to 1,000; the book's 10.";
const HINT_SEED: &str = "Any whole number repeats the same random sleeps; empty draws new ones.";
const PID_NOTE: &str = "A pid here: the page's is a number fixed when the page loaded; each \
    worker's is the page's plus its place in the order the page started workers — the page gives \
    it as the worker's name, and the worker reads it back itself.";

#[function_component]
pub fn MemoryLab(props: &MemoryLabProps) -> Html {
    let initial = use_memo((), |_| MemoryForm::from_query(&props.query));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_lab_run(&dispatch);
    // thread_visits and sharedctypes share memory with workers: a static host needs one reload.
    ui::use_servers();
    let isolation = ui::use_isolation();

    let on_run = run.run_callback(&fields, |params, emit| script::run(params, Browser, emit));
    let on_stop = run.stop_callback();
    let on_compare = run.compare_callback(
        &fields,
        |params| compare_pair(params, (js_sys::Math::random() * 1_000_000.0) as u64),
        |params, emit| script::run(params, Browser, emit),
    );

    let s = &session.0;
    // Until its task ends too: a run may still measure after its last event (Run would be refused).
    let running = s.is_running() || run.is_running();
    let form = &*fields.form;
    let demo = form.demo();
    let running_params = s.running.as_ref().map(|r| &r.params);
    let blocks = running_params.map_or(demo == Demo::Waiters && form.sleep() == Sleep::Blocking, |p| {
        p.blocks_main_thread()
    });
    let hint = |field: Field| match field {
        Field::Workers => Some(HINT_WORKERS),
        Field::Increments => Some(HINT_INCREMENTS),
        Field::Processes => Some(HINT_PROCESSES),
        Field::Length => Some(HINT_LENGTH),
        Field::Seed => Some(HINT_SEED),
        _ => None,
    };
    let rows: Vec<Vec<String>> = s.history.iter().map(HistoryRow::cells).collect();

    html! {
        <article class="lab memory-lab" data-runs={s.runs_started.to_string()} data-running={running.to_string()}>
            <h2>{ "Shared memory: threads, processes, pipes and first coroutines" }</h2>
            <section class="intro">
                <p>{ "Mirrors Expert Python Programming 4e, chapter 6 (second half): thread_visits.py, where 100 \
                      threads add 1 to one global counter 100,000 times each and the total comes out millions \
                      short; the lock that fixes it; forks.py, basic_multiprocessing.py, pipes.py and \
                      sharedctypes.py; and the first asyncio scripts. Threads and processes are Web Workers; \
                      shared memory is a SharedArrayBuffer." }</p>
                <p>{ "What to look for: with read-then-write or += the count comes out short — try 4 workers × \
                      1,000,000 — and short by a different amount each run; lock and atomic are always exact, \
                      and slower. forks: the two pid lists part ways after the copy. pipes: the CustomClass \
                      instance arrives as a plain Object. waiters: time.sleep freezes the page for the sum of \
                      the sleeps, await asyncio.sleep takes about as long as the slower waiter." }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <IsolationNotice state={isolation} needs={AttrValue::from(Demo::SHARED_MEMORY)} />
            <div class="lab-setup">
            <form class="lab-form" onsubmit={ui::run_on_submit(&on_run)} novalidate=true>
                { for form.fields().into_iter().map(|field| match field {
                    Field::Demo => fields.choice::<Demo>(field, true, running),
                    Field::Update => fields.choice::<Update>(field, true, running),
                    Field::Sleep => fields.choice::<Sleep>(field, true, running),
                    _ => fields.text(field, hint(field), None, false, running),
                }) }
                if matches!(demo, Demo::Forks | Demo::BasicMultiprocessing) {
                    <p class="hint wide">{ PID_NOTE }</p>
                }
                <RunControls {running} {on_stop}
                    compare={compare_label(demo).map(|label| ui::CompareButton { label: label.into(), on_compare })}
                    stop_note={blocks.then(|| AttrValue::from(BLOCKING_STOP_NOTE))} />
            </form>
            <PythonReference script={demo.python_reference(form.update(), form.sleep())}
                explanation={demo.browser_explanation()} />
            </div>
            <WhatHappened sentence={what_happened(s)} />
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} />
                <section class="visual" aria-label="Visual">
                    if demo == Demo::ThreadVisits {
                        <VisitsView row={s.last_visits.clone()} startup_ms={s.startup_ms} />
                    }
                    if demo.main_thread_only() {
                        <FrameMeterView stats={s.stats.clone()} />
                        if let Some(seed) = s.seed {
                            <p class="seed" data-seed={seed.to_string()}>{ format!("This run's seed: {seed} (type it into Seed to repeat it)") }</p>
                        }
                    } else {
                        <LiveWorkers />
                    }
                </section>
            </div>
            if demo == Demo::ThreadVisits {
                <RunHistory columns={HISTORY_COLUMNS.to_vec()} {rows} reference={book_rows()} />
            }
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct VisitsViewProps {
    row: Option<VisitsRow>,
    startup_ms: f64,
}

/// Expected against counted, the updates lost, and how long the threads took.
#[function_component]
fn VisitsView(props: &VisitsViewProps) -> Html {
    let Some(row) = &props.row else {
        return html! { <p class="muted">{ "Run to count: expected against counted, and the updates lost." }</p> };
    };
    let tally = &row.tally;
    html! {
        <section class="meter visits" aria-label="Visits counted">
            <dl>
                <div><dt>{ "Expected (workers × increments)" }</dt>
                    <dd data-visits="expected">{ group_thousands(tally.expected) }</dd></div>
                <div><dt>{ "Counted (Atomics.load after the join)" }</dt>
                    <dd data-visits="counted">{ group_thousands(tally.counted) }</dd></div>
                <div><dt>{ "Lost updates" }</dt>
                    <dd data-visits="lost">{ format!("{} ({})", group_thousands(tally.lost()), percent(tally.lost_percent())) }</dd></div>
                <div><dt>{ "Time (start flag to last thread done)" }</dt>
                    <dd data-visits="ms">{ millis(row.elapsed_ms) }</dd></div>
            </dl>
            <label class="visits-bar">{ "Counted of expected " }
                <meter min="0" max={tally.expected.to_string()} value={tally.counted.to_string()}></meter>
            </label>
            <p class="muted">{ format!("Run {}: {} threads, update {}; starting the workers took {} (not counted).",
                row.run_no, row.workers, row.update.key(), millis(props.startup_ms)) }</p>
        </section>
    }
}
