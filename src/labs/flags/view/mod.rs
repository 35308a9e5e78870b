//! The flags lab's page and its run: real `fetch()` downloads against the LOCAL files, the
//! DELAY/ERROR service worker or a REMOTE site, one at a time or under an async semaphore.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use async_lock::Semaphore;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::model::{
    Event, Failure, Field, FlagsForm, FlagsParams, HISTORY_COLUMNS, Kind, Mode, Outcome, RunPlan,
    Server, Session, ZIP_NAME, make_zip, parse_metadata, peak_overlap, save_name,
};
use crate::labs::LabForm;
use crate::runtime::fetch::{self, FetchError};
use crate::runtime::servers;
use crate::runtime::task::spawn;
use crate::runtime::time::now_ms;
use crate::ui::{
    self, FormHandle, Notices, PythonReference, RunControls, RunHistory, SessionState, Transcript,
};

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <FlagsLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct FlagsLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

type Dispatch = ui::Dispatch<Session>;

/// The downloaded flags: bytes for the zip, an object URL for each tile. The URLs are
/// revoked when a new run clears the store and when the page goes away.
#[derive(Default)]
struct FlagStore {
    flags: HashMap<String, (Vec<u8>, String)>,
}

impl FlagStore {
    fn insert(&mut self, cc: &str, bytes: Vec<u8>) {
        let url = object_url(&bytes, "image/svg+xml").unwrap_or_default();
        if let Some((_, old)) = self.flags.insert(cc.to_string(), (bytes, url)) {
            let _ = web_sys::Url::revoke_object_url(&old);
        }
    }

    fn url(&self, cc: &str) -> Option<&str> {
        self.flags.get(cc).map(|(_, url)| url.as_str())
    }

    fn bytes(&self, cc: &str) -> Option<&[u8]> {
        self.flags.get(cc).map(|(bytes, _)| bytes.as_slice())
    }

    fn clear(&mut self) {
        for (_, (_, url)) in self.flags.drain() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }
}

impl Drop for FlagStore {
    fn drop(&mut self) {
        self.clear();
    }
}

fn object_url(bytes: &[u8], mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The most flag requests that were on the wire together since `since` (performance time):
/// the browser's own Resource Timing, which shows its connection limit (6 per host over
/// HTTP/1.1) however many fetch() calls the page has started.
fn peak_on_the_wire(since: f64) -> usize {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return 0;
    };
    let intervals: Vec<(f64, f64)> = performance
        .get_entries_by_type("resource")
        .iter()
        .filter_map(|entry| entry.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
        .filter(|entry| entry.start_time() >= since && entry.name().contains("flags/"))
        .map(|entry| {
            (
                entry.request_start().max(entry.fetch_start()),
                entry.response_end(),
            )
        })
        .collect();
    peak_overlap(&intervals)
}

/// Starts a fresh Resource Timing buffer, big enough for `-e` (676 requests, two each for flags3).
fn reset_resource_timings() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        performance.clear_resource_timings();
        performance.set_resource_timing_buffer_size(2000);
    }
}

/// The page's URL without the hash: the base the site line and relative URLs resolve against.
fn page_url() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

#[function_component]
pub fn FlagsLab(props: &FlagsLabProps) -> Html {
    let initial = use_memo((), |_| FlagsForm::from_query(&props.query));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let FormHandle {
        form,
        errors,
        on_edit,
        ..
    } = &fields;
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_run_slot();
    ui::use_servers();
    let store = use_memo((), |_| RefCell::new(FlagStore::default()));
    let run_started = use_memo((), |_| Cell::new(0.0));
    // Set while a run prepares (server start, list of shipped flags), or why it could not start.
    let preparing = use_state(|| false);
    let start_error = use_state(|| None::<String>);
    // Re-render while requests are in flight, so the timeline's open bars grow.
    ui::use_redraw_while(session.0.is_running(), 200);
    // Read the browser's Resource Timing only when a code completes, not on every redraw.
    let wire_peak = {
        let (s, since) = (&session.0, run_started.get());
        *use_memo((s.progress(), s.is_running(), s.history.len()), move |_| {
            if s.plan.is_some() {
                peak_on_the_wire(since)
            } else {
                0
            }
        })
    };

    let on_run = {
        let (form, errors, run, store, run_started) = (
            form.clone(),
            errors.clone(),
            run.clone(),
            store.clone(),
            run_started.clone(),
        );
        let (preparing, start_error) = (preparing.clone(), start_error.clone());
        let dispatch = dispatch.clone();
        Callback::from(move |()| match form.validate() {
            Err(found) => errors.set(found),
            Ok(params) => {
                errors.set(Vec::new());
                start_error.set(None);
                preparing.set(true);
                store.borrow_mut().clear();
                run_started.set(now_ms());
                let task = {
                    let (dispatch, store, run_started) =
                        (dispatch.clone(), store.clone(), run_started.clone());
                    let (preparing, start_error) = (preparing.clone(), start_error.clone());
                    async move {
                        let plan = prepare(&params).await;
                        preparing.set(false);
                        match plan {
                            Err(reason) => start_error.set(Some(reason)),
                            Ok(plan) => {
                                reset_resource_timings();
                                run_started.set(now_ms());
                                dispatch.dispatch(Event::Started(plan.clone()));
                                let elapsed_s =
                                    download_many(&plan, &dispatch, &store, run_started.get())
                                        .await;
                                dispatch.dispatch(Event::Finished { elapsed_s });
                            }
                        }
                    }
                };
                *run.borrow_mut() = Some(spawn(task));
            }
        })
    };

    let on_stop = {
        let (run, run_started, preparing) = (run.clone(), run_started.clone(), preparing.clone());
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            // Dropping the run drops every pending fetch: each aborts its request.
            if run.borrow_mut().take().is_some() {
                preparing.set(false);
                dispatch.dispatch(Event::Cancelled {
                    elapsed_s: (now_ms() - run_started.get()) / 1000.0,
                });
            }
        })
    };

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
    let running = s.is_running() || *preparing;
    let mode = form.mode();
    let file_name = mode.python_reference();
    let counts = s.counts();
    let (done, total) = s.progress();
    let history: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();
    let now = if s.is_running() {
        now_ms() - run_started.get()
    } else {
        0.0
    };
    let select = |field: Field, options: Vec<(&'static str, &'static str)>| {
        fields.select(field, options, false, running)
    };

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
                      given rate. REMOTE is any site you name (it must allow CORS). What to look for: the peak number \
                      of requests in flight. Over HTTP/1.1 Chromium opens at most 6 connections per host, so LOCAL \
                      runs peak at 6 however high -m is — the browser's own limit, not ours." }</p>
            </section>
            <Notices notices={initial.1.clone()} />
            <form class="lab-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} novalidate=true>
                { select(Field::Mode, Mode::ALL.iter().map(|m| (m.key(), m.label())).collect()) }
                { select(Field::Server, Server::ALL.iter().map(|s| (s.key(), s.label())).collect()) }
                { for form.fields().into_iter().filter(|f| !matches!(f, Field::Mode | Field::Server)).map(|field| {
                    if field.is_checkbox() {
                        let (id, checked) = (fields.id(field), form.flag(field));
                        let onchange = on_edit.reform(move |_: yew::Event| (field, (!checked).to_string()));
                        html! {
                            <ui::Field id={id.clone()} label={field.label()} error={fields.error_of(field)}>
                                <input {id} type="checkbox" {checked} {onchange} disabled={running} />
                            </ui::Field>
                        }
                    } else {
                        fields.text(field, None, form.placeholder(field), matches!(field, Field::CountryCodes | Field::BaseUrl), running)
                    }
                }) }
                <RunControls running={running} on_run={on_run} on_stop={on_stop} />
                <button type="button" class="save" disabled={running || s.saved.is_empty()} onclick={on_save}>
                    { format!("Save all ({} as {ZIP_NAME})", s.saved.len()) }
                </button>
            </form>
            if let Some(reason) = &*start_error {
                <div class="notices" role="alert"><p>{ format!("The run could not start: {reason}") }</p></div>
            }
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
                        <div><dt>{ "Peak in flight (fetch calls)" }</dt><dd data-count="peak">{ s.peak_in_flight }</dd></div>
                        <div><dt>{ "Peak on the wire (Resource Timing)" }</dt><dd data-count="wire-peak">{ wire_peak }</dd></div>
                    </dl>
                    <RequestTimeline session={session.clone()} now_ms={now} />
                </section>
            </div>
            <FlagGrid session={session.clone()} urls={s.done_order.iter().filter_map(|&i| {
                let cc = s.plan.as_ref()?.cc_list.get(i)?;
                Some((cc.clone(), store.borrow().url(cc).map(str::to_string)))
            }).collect::<Vec<_>>()} />
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} rows={history} />
            <PythonReference script={file_name} explanation={mode.browser_explanation()} />
        </article>
    }
}

/// Everything a run needs before its first request: the servers' service worker in control
/// (DELAY, ERROR), the list of shipped flags (`-a`), then the plan.
async fn prepare(params: &FlagsParams) -> Result<RunPlan, String> {
    if matches!(params.server.server, Server::Delay | Server::Error) {
        servers::ready().await?;
    }
    let shipped = if params.all && !params.every {
        shipped_flags().await?
    } else {
        Vec::new()
    };
    Ok(params.plan(&shipped, &page_url()))
}

/// `flags/index.json`: the codes the LOCAL server has.
async fn shipped_flags() -> Result<Vec<String>, String> {
    let reply = fetch::get("flags/index.json", 10.0)
        .await
        .map_err(|e| format!("flags/index.json: {e}"))?;
    let text = String::from_utf8_lossy(&reply.body);
    let codes: Vec<String> = text
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_string())
        .filter(|c| c.len() == 2)
        .collect();
    if reply.status != 200 || codes.is_empty() {
        return Err(format!(
            "flags/index.json answered {} {}",
            reply.status, reply.status_text
        ));
    }
    Ok(codes)
}

/// Downloads every code of the plan: one after another (sequential), or all at once with at
/// most `actual_req` requests in flight (the semaphore). Returns the elapsed seconds.
async fn download_many(
    plan: &RunPlan,
    dispatch: &Dispatch,
    store: &Rc<RefCell<FlagStore>>,
    started: f64,
) -> f64 {
    let semaphore = Semaphore::new(plan.actual_req);
    if plan.params.mode == Mode::Sequential {
        for cc in &plan.cc_list {
            download_one(plan, cc, &semaphore, dispatch, store, started).await;
        }
    } else {
        let mut downloads: FuturesUnordered<_> = plan
            .cc_list
            .iter()
            .map(|cc| download_one(plan, cc, &semaphore, dispatch, store, started))
            .collect();
        while downloads.next().await.is_some() {}
    }
    (now_ms() - started) / 1000.0
}

/// One code: each of its requests takes the semaphore on its own (flags3 makes two);
/// the first failure ends the code.
async fn download_one(
    plan: &RunPlan,
    cc: &str,
    semaphore: &Semaphore,
    dispatch: &Dispatch,
    store: &Rc<RefCell<FlagStore>>,
    started: f64,
) {
    let at = || now_ms() - started;
    let timeout_s = plan.params.timeout_s;
    let mut image = None;
    let mut country = None;
    for (kind, url) in plan.requests(cc) {
        let permit = semaphore.acquire().await;
        dispatch.dispatch(Event::RequestStarted {
            cc: cc.to_string(),
            kind,
            at_ms: at(),
        });
        let (outcome, body) = match fetch::get(&url, timeout_s).await {
            Ok(reply) => (
                plan.outcome_of(cc, kind, reply.status, &reply.status_text),
                reply.body,
            ),
            Err(FetchError::Timeout(after_s)) => {
                (Outcome::Error(Failure::Timeout { after_s }), Vec::new())
            }
            Err(FetchError::Network(reason)) => {
                (Outcome::Error(Failure::Network(reason)), Vec::new())
            }
        };
        drop(permit);
        let outcome = match (kind, &outcome) {
            (Kind::Metadata, Outcome::Ok) => {
                match parse_metadata(&String::from_utf8_lossy(&body)) {
                    Ok(name) => {
                        country = Some(name);
                        outcome
                    }
                    Err(reason) => Outcome::Error(Failure::Metadata(reason)),
                }
            }
            _ => outcome,
        };
        dispatch.dispatch(Event::RequestFinished {
            cc: cc.to_string(),
            kind,
            at_ms: at(),
            outcome: outcome.clone(),
        });
        if outcome != Outcome::Ok {
            dispatch.dispatch(Event::ItemDone {
                cc: cc.to_string(),
                outcome,
                at_ms: at(),
            });
            return;
        }
        if kind == Kind::Flag {
            image = Some(body);
        }
    }
    let bytes = image.unwrap_or_default();
    let name = save_name(plan.params.mode, cc, country.as_deref());
    let size = bytes.len();
    store.borrow_mut().insert(cc, bytes);
    dispatch.dispatch(Event::Saved {
        cc: cc.to_string(),
        name,
        bytes: size,
    });
    dispatch.dispatch(Event::ItemDone {
        cc: cc.to_string(),
        outcome: Outcome::Ok,
        at_ms: at(),
    });
}

/// Offers `bytes` as a download named `name`.
fn download_file(bytes: &[u8], name: &str, mime: &str) {
    let Some(url) = object_url(bytes, mime) else {
        return;
    };
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    if let Ok(anchor) = document.create_element("a") {
        let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    // The click has started the download; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
}

#[derive(Properties, PartialEq)]
struct TimelineProps {
    session: UseReducerHandle<SessionState<Session>>,
    now_ms: f64,
}

/// One lane per semaphore slot, one bar per request (start → end), so the limit is visible.
#[function_component]
fn RequestTimeline(props: &TimelineProps) -> Html {
    const LABEL_W: f64 = 44.0;
    const PLOT_W: f64 = 316.0;
    let s = &props.session.0;
    let lanes = s.slots().max(1);
    let lane_h = (180.0 / lanes as f64).clamp(2.0, 16.0);
    let height = lanes as f64 * lane_h + 14.0;
    let span = s.span_ms(props.now_ms).max(1.0);
    let x = |ms: f64| LABEL_W + ms / span * PLOT_W;
    html! {
        <figure class="timeline">
            <svg viewBox={format!("0 0 {} {height:.1}", LABEL_W + PLOT_W + 4.0)} width="100%" role="img"
                aria-label="Requests over time: one lane per slot of the semaphore, one bar per request">
                if lane_h >= 9.0 {
                    { for (0..lanes).map(|lane| html! {
                        <text class="lane-label" x="0" y={format!("{:.1}", lane as f64 * lane_h + lane_h * 0.75)}>{ format!("slot {}", lane + 1) }</text>
                    }) }
                }
                { for s.timeline.iter().map(|bar| {
                    let (x0, x1) = (x(bar.start_ms), x(bar.end_or(props.now_ms)));
                    html! {
                        <rect class={classes!("bar", bar.class())} x={format!("{x0:.1}")} y={format!("{:.1}", bar.slot as f64 * lane_h + 1.0)}
                            width={format!("{:.1}", (x1 - x0).max(0.8))} height={format!("{:.1}", (lane_h - 2.0).max(1.0))}>
                            <title>{ bar.title(props.now_ms) }</title>
                        </rect>
                    }
                }) }
                { ui::time_axis(LABEL_W, LABEL_W + PLOT_W, height - 2.0, span) }
            </svg>
            <figcaption>
                <span class="key ok">{ "OK" }</span>{ " " }<span class="key not-found">{ "not found" }</span>{ " " }
                <span class="key error">{ "error" }</span>{ " " }<span class="key running">{ "in flight" }</span>
            </figcaption>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct GridProps {
    session: UseReducerHandle<SessionState<Session>>,
    /// Done codes in completion order, with the flag's object URL when it downloaded.
    urls: Vec<(String, Option<String>)>,
}

/// The flags as they arrive, each tile with its outcome and time.
#[function_component]
fn FlagGrid(props: &GridProps) -> Html {
    let s = &props.session.0;
    // One pass over the requests: each code's first start and last end.
    let mut spans: HashMap<&str, (f64, f64)> = HashMap::new();
    for bar in &s.timeline {
        let span = spans.entry(bar.cc.as_str()).or_insert((f64::INFINITY, 0.0));
        span.0 = span.0.min(bar.start_ms);
        span.1 = span.1.max(bar.end_ms.unwrap_or(0.0));
    }
    let took = |cc: &str| {
        let (start, end) = spans.get(cc).copied()?;
        (end >= start).then(|| format!("{:.2}s", (end - start) / 1000.0))
    };
    let saved: HashMap<&str, &str> = s
        .saved
        .iter()
        .map(|f| (f.cc.as_str(), f.name.as_str()))
        .collect();
    html! {
        <section class="flag-grid" aria-label="Downloaded flags">
            { for props.urls.iter().map(|(cc, url)| {
                let outcome = s.outcome_of(cc).cloned().unwrap_or(Outcome::Cancelled);
                html! {
                    <Tile key={cc.clone()} cc={cc.clone()} url={url.clone()} class={outcome.status().class()}
                        summary={outcome.summary()} took={took(cc).unwrap_or_default()}
                        saved_as={saved.get(cc.as_str()).map(|name| format!("{name}.svg"))} />
                }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TileProps {
    cc: String,
    url: Option<String>,
    class: &'static str,
    summary: String,
    took: String,
    saved_as: Option<String>,
}

/// One flag; unchanged tiles are not re-rendered as the others arrive (676 with `-e`).
#[function_component]
fn Tile(props: &TileProps) -> Html {
    html! {
        <figure class={classes!("tile", props.class)} data-cc={props.cc.clone()} data-outcome={props.class}>
            if let Some(url) = &props.url {
                <img src={url.clone()} alt={format!("flag {}", props.cc)} />
            } else {
                <div class="no-flag">{ &props.summary }</div>
            }
            <figcaption>
                <strong>{ &props.cc }</strong>{ " " }{ &props.took }
                if let Some(name) = &props.saved_as {
                    <span class="saved-as">{ name }</span>
                }
            </figcaption>
        </figure>
    }
}
