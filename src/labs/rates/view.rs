//! The rates lab's page: the form, Run/Stop, the transcript, the timeline and the frame
//! meter; the run itself is `script::run` on the browser's runtime, against the rates API
//! the service worker serves.

use yew::prelude::*;

use super::choices::{Backend, Script};
use super::form::{COMPARE_LABEL, Field, RatesForm, RatesParams, compare_pair};
use super::happened::what_happened;
use super::history::HISTORY_COLUMNS;
use super::script;
use super::session::{Event, Outcome, Session};
use super::timeline::LEGEND;
use super::transcript::BLOCKING_STOP_NOTE;
use crate::labs::LabForm;
use crate::labs::choice::Choice;
use crate::labs::form::FormText;
use crate::runtime::browser::Browser;
use crate::runtime::ports::Emit;
use crate::runtime::servers;
use crate::timeline;
use crate::ui::{
    self, FrameMeterView, IsolationNotice, LiveWorkers, Notices, PythonReference, RunControls,
    RunHistory, Timeline, Transcript, WhatHappened,
};

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <RatesLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct RatesLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

/// The API's absolute URL: `rates` next to the page, wherever it is served from.
fn api_url() -> String {
    let base = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.base_uri().ok().flatten())
        .unwrap_or_default();
    web_sys::Url::new_with_base("rates", &base)
        .map(|u| u.href())
        .unwrap_or_else(|_| "rates".to_string())
}

/// The run, once the service worker that plays the API controls the page; if it cannot,
/// the run starts and ends at once, saying why.
async fn run_script(params: RatesParams, emit: Emit<Event>) {
    if let Err(reason) = servers::ready().await {
        emit(Event::Started(params));
        emit(Event::Print(format!("Error: the rates API cannot run: {reason}")));
        emit(Event::Finished {
            outcome: Outcome::Failed(reason),
            elapsed_s: 0.0,
            stats: Default::default(),
        });
        return;
    }
    script::run(params, api_url(), Browser, emit).await;
}

const HINT_BASES: &str = "Currencies of the server's matrix: USD EUR PLN NOK CZK, any order, \
    1 to 50. Repeat them for more requests; the server has data for these five only, so a \
    repeated base prints the same line again.";
const HINT_WORKERS: &str = "Each worker is a real thread (a Web Worker); the book uses 4.";
const HINT_LATENCY: &str = "How long the server waits before each answer, ± 20 %; 0 to 10 s.";
const HINT_ERRORS: &str = "The chance of a 500 Internal Server Error, 0 to 1; the book's is 1/6.";
const HINT_SEED: &str = "Any whole number makes delays and errors repeat run after run; empty draws new ones.";
const HINT_RATE: &str = "Tokens per second; the book's Throttle(10).";

#[function_component]
pub fn RatesLab(props: &RatesLabProps) -> Html {
    let initial = use_memo((), |_| RatesForm::from_query(&props.query));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_lab_run(&dispatch);
    ui::use_servers();
    // synchronous and throttling share memory with workers: a static host needs one reload.
    let isolation = ui::use_isolation();
    ui::use_redraw_while(session.0.is_running(), 100);

    let on_run = run.run_callback(&fields, run_script);
    let on_stop = run.stop_callback();
    let on_compare = run.compare_callback(&fields, compare_pair, run_script);

    let s = &session.0;
    // Until its task ends too: a run may still measure after its last event (Run would be refused).
    let running = s.is_running() || run.is_running();
    let script = fields.form.script();
    let running_script = s.running.as_ref().map(|r| r.params.script);
    let backend = Backend::parse(fields.form.get(Field::Backend)).unwrap_or(Backend::Processes);
    let now_ms = if running { run.elapsed_ms().unwrap_or(0.0) - s.startup_ms } else { 0.0 };
    let bars = &s.timeline.bars;
    let rows: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();
    let hint = |field: Field| match field {
        Field::Bases => Some(HINT_BASES),
        Field::Workers => Some(HINT_WORKERS),
        Field::Latency => Some(HINT_LATENCY),
        Field::ErrorRate => Some(HINT_ERRORS),
        Field::Seed => Some(HINT_SEED),
        Field::Rate => Some(HINT_RATE),
        _ => None,
    };

    html! {
        <article class="lab rates-lab">
            <h2>{ "Rates: threads, pools, queues, errors and throttling" }</h2>
            <section class="intro">
                <p>{ "Mirrors Expert Python Programming 4e, chapter 6: fetch exchange rates for five base currencies \
                      from an API and print a matrix — one request after another, with a thread per base, with a \
                      pool of workers fed from a queue, with errors handed back, throttled, with a ready-made pool, \
                      and on the event loop. The API is this page's own (a service worker answers \
                      rates?base=USD after the latency you set), so every run is a real HTTP exchange." }</p>
                <p>{ "What to look for: synchronous takes about bases × latency and freezes the page for all of it \
                      (the frame meter's longest gap); a thread per base or async_gather takes about one latency; a \
                      pool of 4 needs two rounds for 5 bases. Set Error rate to 1/6 and compare thread_pool (a dead \
                      thread: the join would hang) with error_handling (the error comes back and is raised). \
                      With throttling, the timeline's request starts line up 1/rate apart." }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <IsolationNotice state={isolation} needs={AttrValue::from("synchronous and throttling")} />
            <div class="lab-setup">
            <form class="lab-form" onsubmit={ui::run_on_submit(&on_run)} novalidate=true>
                { for fields.form.fields().into_iter().map(|field| match field {
                    Field::Script => fields.choice::<Script>(field, true, running),
                    Field::Backend => fields.choice::<Backend>(field, false, running),
                    _ => fields.text(field, hint(field), None, field == Field::Bases, running),
                }) }
                <RunControls {running} {on_stop}
                    compare={ui::CompareButton { label: COMPARE_LABEL.into(), on_compare }}
                    stop_note={running_script.or(Some(script)).filter(|s| s.blocks_main_thread()).map(|_| AttrValue::from(BLOCKING_STOP_NOTE))} />
            </form>
            <PythonReference script={script.python_reference(backend)} explanation={script.browser_explanation()} />
            </div>
            <WhatHappened sentence={what_happened(s)} />
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} />
                <section class="visual" aria-label="Visual">
                    <Timeline lanes={s.timeline.lanes.clone()} bars={timeline::drawn(bars, now_ms)}
                        span_ms={timeline::span_ms(bars, now_ms)}
                        label="Requests over time: one lane per thread, process or task, one bar per request"
                        legend={LEGEND.to_vec()}
                        legend_note={AttrValue::from("◆ token granted (throttling) or where the exception surfaced")} />
                    <FrameMeterView stats={s.stats.clone()} />
                    <LiveWorkers />
                </section>
            </div>
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} {rows} />
        </article>
    }
}
