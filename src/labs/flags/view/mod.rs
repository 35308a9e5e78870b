//! The flags lab's page: the form, Run/Stop, the transcript, the counters, the request
//! timeline and the flag grid; the run itself is `script::run` on the browser's runtime,
//! after the DELAY/ERROR service worker is in control of the page.

mod grid;
mod store;
mod wire;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::choices::{Mode, Server};
use super::form::{COMPARE_LABEL, Field, FlagsForm, FlagsParams, compare_pair};
use super::happened::{HTTP1_CONNECTIONS_PER_HOST, what_happened};
use super::history::HISTORY_COLUMNS;
use super::plan::RemoteNotice;
use super::save::{ZIP_NAME, make_zip};
use super::script;
use super::session::Session;
use super::timeline::{LEGEND, lane_names};
use crate::labs::LabForm;
use crate::labs::form::FormField;
use crate::runtime::browser::Browser;
use crate::runtime::ports::{Emit, Reply};
use crate::runtime::servers;
use crate::timeline;
use crate::ui::{
    self, FormHandle, LabRun, Notices, PythonReference, RunControls, RunHistory, Timeline, Transcript,
    WhatHappened,
};
use grid::FlagGrid;
use store::{FlagStore, download_file};
use wire::{page_url, peak_on_the_wire, reset_resource_timings};

/// Why the wire figure is unknown.
const WIRE_UNKNOWN: &str = "The browser gave this page no timing for these requests: another site \
    must send a Timing-Allow-Origin header for that, and a request with no answer has none.";

/// Why DELAY and ERROR could not start, and the way out.
const LOCAL_NEEDS_NO_WORKER: &str = "The LOCAL server needs no service worker: choose it to run here.";

/// What a run of the page needs: its slot, the flags' store, and where to say why it could
/// not start.
#[derive(Clone)]
struct Starter {
    run: LabRun<Session>,
    store: Rc<RefCell<FlagStore>>,
    start_error: UseStateHandle<Option<String>>,
    remote_notice: UseStateHandle<Option<RemoteNotice>>,
    remote_confirmed: Rc<Cell<bool>>,
    emit: Emit<super::session::Event>,
}

impl Starter {
    /// Runs `runs` one after another as one run (Stop ends them all), each with its own
    /// history row; a run that cannot start says why, and the rest do not run.
    fn start(&self, runs: Vec<FlagsParams>) {
        self.start_error.set(None);
        self.remote_notice.set(None);
        let starter = self.clone();
        self.run.start(async move {
            for params in runs {
                if !starter.run_one(params).await {
                    return;
                }
            }
        });
    }

    /// One run: the service worker for DELAY/ERROR, the plan, the reader's yes for another
    /// site; `false` when it could not start.
    async fn run_one(&self, params: FlagsParams) -> bool {
        self.store.borrow_mut().clear();
        if matches!(params.server.server, Server::Delay | Server::Error) {
            if let Err(reason) = servers::ready().await {
                self.start_error.set(Some(format!("{reason}. {LOCAL_NEEDS_NO_WORKER}")));
                return false;
            }
        }
        let plan = match script::plan(&params, &page_url(), &Browser).await {
            Ok(plan) => plan,
            Err(reason) => {
                self.start_error.set(Some(reason));
                return false;
            }
        };
        if !self.remote_confirmed.get() {
            if let Some(notice) = plan.remote_notice(&page_url()) {
                self.remote_notice.set(Some(notice));
                return false;
            }
        }
        reset_resource_timings();
        // The run's times, and Stop's, count from when its first request could go.
        self.run.restart_clock();
        // Another site's flags are shown from data: URLs, never as documents of this page.
        let foreign = plan.params.server.server == Server::Remote;
        let store = self.store.clone();
        let keep = move |cc: &str, image: Reply| store.borrow_mut().insert(cc, image, foreign);
        script::run(plan, Browser, self.emit.clone(), keep).await;
        true
    }
}

/// What the two peaks are, in plain words, with the run's numbers.
fn counts_note(limit: usize, wire_peak: usize) -> String {
    format!(
        "Peak in flight: the most fetch() calls the page had started and not yet seen end, \
         never more than the limit ({limit} here, -m). Peak on the wire: the most requests the \
         browser itself had sent and was waiting on together, from its Resource Timing{} (it \
         times only requests that got an answer). Over \
         HTTP/1.1 Chromium opens at most {HTTP1_CONNECTIONS_PER_HOST} connections per host and \
         queues the rest, so a real server's wire peak stops at {HTTP1_CONNECTIONS_PER_HOST}; \
         DELAY and ERROR answer from this page's service worker, with no connection to wait for.",
        if wire_peak > 0 { format!(" ({wire_peak})") } else { String::new() }
    )
}

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <FlagsLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct FlagsLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

#[function_component]
pub fn FlagsLab(props: &FlagsLabProps) -> Html {
    let initial = use_memo((), |_| FlagsForm::from_query(&props.query));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let FormHandle { form, on_edit, .. } = &fields;
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_lab_run(&dispatch);
    ui::use_servers();
    let store = use_memo((), |_| RefCell::new(FlagStore::default()));
    // Why the last run could not start.
    let start_error = use_state(|| None::<String>);
    // A run that would flood another site waits for the reader's yes (once per page).
    let remote_notice = use_state(|| None::<RemoteNotice>);
    let remote_confirmed = use_memo((), |_| Cell::new(false));
    // Re-render while requests are in flight, so the timeline's open bars grow.
    ui::use_redraw_while(session.0.is_running(), 200);
    // Read the browser's Resource Timing only when a code completes, not on every redraw.
    let wire_peak = {
        // The run's clock restarts when its first request could go (after preparing).
        let (s, since) = (&session.0, run.started_ms().unwrap_or(0.0));
        *use_memo((s.progress(), s.is_running(), s.history.len()), move |_| {
            s.plan
                .as_ref()
                .map_or(0, |plan| peak_on_the_wire(since, &plan.site_url))
        })
    };

    let starter = Starter {
        run: run.clone(),
        store: store.clone(),
        start_error: start_error.clone(),
        remote_notice: remote_notice.clone(),
        remote_confirmed: remote_confirmed.clone(),
        emit: dispatch.emit(),
    };
    let on_run = {
        let starter = starter.clone();
        fields.when_valid(move |params| starter.start(vec![params]))
    };
    let on_compare = {
        let starter = starter.clone();
        fields.when_valid(move |params| {
            let fresh_seed = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
            let (sequential, concurrent) = compare_pair(&params, fresh_seed);
            starter.start(vec![sequential, concurrent]);
        })
    };
    let on_confirm = {
        let (on_run, remote_confirmed) = (on_run.clone(), remote_confirmed.clone());
        Callback::from(move |_: MouseEvent| {
            remote_confirmed.set(true);
            on_run.emit(());
        })
    };
    let on_dismiss = {
        let remote_notice = remote_notice.clone();
        Callback::from(move |_: MouseEvent| remote_notice.set(None))
    };
    // Dropping the run drops every pending fetch: each aborts its request.
    let on_stop = run.stop_callback();

    let on_save = {
        let (session, store) = (session.clone(), store.clone());
        Callback::from(move |_: MouseEvent| {
            let store = store.borrow();
            let entries = session.0.zip_entries();
            let files = entries
                .iter()
                .filter_map(|e| Some((e.path.as_str(), store.bytes(&e.cc)?)));
            if let Ok(zip) = make_zip(files) {
                download_file(&zip, ZIP_NAME, "application/zip");
            }
        })
    };

    let s = &session.0;
    let running = s.is_running() || run.is_running();
    let mode = form.mode();
    let counts = s.counts();
    let (done, total) = s.progress();
    // A finished run whose requests the browser gave no timing for (another site without
    // Timing-Allow-Origin, or no answers at all): say so rather than show 0.
    let wire_unknown = wire_peak == 0 && !s.is_running() && !s.timeline.is_empty();
    let history: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();
    let now = match run.elapsed_ms() {
        Some(elapsed) if s.is_running() => elapsed,
        _ => 0.0,
    };
    let urls: Vec<(String, Option<String>)> = s
        .done_order
        .iter()
        .filter_map(|&i| {
            let cc = s.plan.as_ref()?.cc_list.get(i)?;
            Some((cc.clone(), store.borrow().url(cc).map(str::to_string)))
        })
        .collect();

    html! {
        <article class="lab flags-lab">
            <h2>{ "Flags: sequential vs concurrent downloads, errors, limits" }</h2>
            <section class="intro">
                <p>{ "Mirrors Fluent Python (1e ch. 17, 2e ch. 20): flags.py downloads 20 flags one after another, \
                      flags_asyncio / flags_threadpool all at once, flags2 adds error handling, a progress bar and \
                      a limit on requests in flight (an asyncio.Semaphore), flags3 makes two requests per flag. \
                      Every download here is a real fetch()." }</p>
                <p>{ "Servers: LOCAL is the flag files shipped with this page. DELAY and ERROR are the book's \
                      slow_server.py, played by a service worker: each request waits a random delay (uniform \
                      between Min and Max delay) before it is answered, and ERROR answers 418 I'm a Teapot at the \
                      given rate. REMOTE is another site: by default the book's (https, GIF flags); the site must allow \
                      this page to read its answers (CORS), and an https page can only ask https URLs. What to look for: the peak number \
                      of requests in flight. Over HTTP/1.1 Chromium opens at most 6 connections per host, so LOCAL \
                      runs peak at 6 however high -m is — the browser's own limit, not ours." }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <div class="lab-setup">
            <form class="lab-form" onsubmit={ui::run_on_submit(&on_run)} novalidate=true>
                { fields.choice::<Mode>(Field::Mode, false, running) }
                { fields.choice::<Server>(Field::Server, false, running) }
                { for form.fields().into_iter().filter(|f| !matches!(f, Field::Mode | Field::Server)).map(|field| {
                    if field == Field::Ext {
                        fields.choice_showing(field, Some(form.extension()), false, running)
                    } else if field.is_checkbox() {
                        let (id, checked) = (fields.id(field), form.flag(field));
                        let onchange = on_edit.reform(move |_: yew::Event| (field, (!checked).to_string()));
                        html! {
                            <ui::Field id={id.clone()} label={field.label()} error={fields.error_of(field)}>
                                <input {id} type="checkbox" {checked} {onchange} disabled={running} />
                            </ui::Field>
                        }
                    } else {
                        fields.text(field, FlagsForm::hint(field), form.placeholder(field), matches!(field, Field::CountryCodes | Field::BaseUrl), running)
                    }
                }) }
                <RunControls {running} {on_stop}
                    compare={ui::CompareButton { label: COMPARE_LABEL.into(), on_compare }} />
                <button type="button" class="save" disabled={running || s.saved.is_empty()} onclick={on_save}>
                    { format!("Save all ({} as {ZIP_NAME})", s.saved.len()) }
                </button>
            </form>
            <PythonReference script={mode.python_reference()} explanation={mode.browser_explanation()} />
            </div>
            if let Some(notice) = &*remote_notice {
                <div class="notices remote-notice" role="alert">
                    <p>{ notice.text() }</p>
                    <button type="button" class="confirm" onclick={on_confirm}>{ "Send them" }</button>
                    { " " }
                    <button type="button" onclick={on_dismiss}>{ "Not now" }</button>
                </div>
            }
            if let Some(reason) = &*start_error {
                <div class="notices" role="alert"><p>{ format!("The run could not start: {reason}") }</p></div>
            }
            <WhatHappened sentence={what_happened(s, wire_peak)} />
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} live_line={s.live_line.clone()} />
                <section class="visual" aria-label="Visual">
                    <p class="progress-line">
                        <progress max={total.max(1).to_string()} value={done.to_string()} aria-label="Progress"></progress>
                        { format!(" {done} / {total}") }
                    </p>
                    <dl class="counts" aria-label="Outcomes">
                        <div><dt>{ "OK" }</dt><dd data-count="ok">{ counts.ok }</dd></div>
                        <div><dt>{ "Not found" }</dt><dd data-count="not-found">{ counts.not_found }</dd></div>
                        <div><dt>{ "Errors" }</dt><dd data-count="errors">{ counts.errors }</dd></div>
                        <div><dt>{ "Cancelled" }</dt><dd data-count="cancelled">{ counts.cancelled }</dd></div>
                        <div><dt>{ "In flight now" }</dt><dd data-count="in-flight">{ s.in_flight }</dd></div>
                        <div><dt>{ "Peak in flight: fetch() calls" }</dt><dd data-count="peak">{ s.peak_in_flight }</dd></div>
                        <div><dt>{ "Peak on the wire: requests sent" }</dt><dd data-count="wire-peak" title={wire_unknown.then_some(WIRE_UNKNOWN)}>
                            { if wire_unknown { "unknown".to_string() } else { wire_peak.to_string() } }
                        </dd></div>
                    </dl>
                    <p class="hint counts-note">{ counts_note(s.slots(), wire_peak) }</p>
                    <Timeline lanes={lane_names(s.slots().max(1))} bars={timeline::drawn(&s.timeline, now)}
                        span_ms={s.span_ms(now)} legend={LEGEND.to_vec()}
                        label="Requests over time: one lane per slot of the semaphore, one bar per request" />
                </section>
            </div>
            <FlagGrid session={session.clone()} {urls} />
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} rows={history} />
        </article>
    }
}
