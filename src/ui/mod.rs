//! View pieces every lab page shares: the form field, transcript, run history,
//! frame meter, Python reference panel and the live-worker indicator.

use yew::prelude::*;

use std::cell::RefCell;
use std::rc::Rc;

use crate::labs::{LabForm, LabSession};
use crate::meter::FrameStats;
use crate::route::{Page, to_hash};
use crate::runtime::location;
use crate::runtime::task::TaskHandle;
use crate::runtime::worker::{live_workers, watch_live_workers};
use crate::text::millis;

/// A form row: a visible `<label>`, the control, and the field's error beside it.
#[derive(Properties, PartialEq)]
pub struct FieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    #[prop_or_default]
    pub error: Option<String>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    /// Spans two grid columns (long option texts, lists).
    #[prop_or_default]
    pub wide: bool,
    pub children: Html,
}

#[function_component]
pub fn Field(props: &FieldProps) -> Html {
    let invalid = props.error.is_some();
    html! {
        <div class={classes!("field", invalid.then_some("invalid"), props.wide.then_some("wide"))}>
            <label for={props.id.clone()}>{ &props.label }</label>
            { props.children.clone() }
            if let Some(hint) = &props.hint {
                <p class="hint">{ hint }</p>
            }
            if let Some(error) = &props.error {
                <p class="field-error" id={format!("{}-error", props.id)} role="alert">{ error }</p>
            }
        </div>
    }
}

/// Reads the value of the input/select/textarea that fired `event`.
pub fn event_value(event: &Event) -> String {
    use wasm_bindgen::JsCast;
    let target = event.target();
    if let Some(input) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.value()
    } else if let Some(select) = target
        .clone()
        .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
    {
        select.value()
    } else if let Some(area) =
        target.and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    {
        area.value()
    } else {
        String::new()
    }
}

/// Run and Stop, with why Stop is unavailable when it is.
#[derive(Properties, PartialEq)]
pub struct RunControlsProps {
    pub running: bool,
    pub on_run: Callback<()>,
    pub on_stop: Callback<()>,
    /// Set when Stop cannot interrupt the current kind of run.
    #[prop_or_default]
    pub stop_note: Option<AttrValue>,
}

#[function_component]
pub fn RunControls(props: &RunControlsProps) -> Html {
    let on_run = props.on_run.reform(|_: MouseEvent| ());
    let on_stop = props.on_stop.reform(|_: MouseEvent| ());
    html! {
        <div class="run-controls">
            <button type="button" class="run" disabled={props.running} onclick={on_run}>{ "Run" }</button>
            <button type="button" class="stop" disabled={!props.running} onclick={on_stop}>{ "Stop" }</button>
            if let Some(note) = &props.stop_note {
                <p class="stop-note">{ note }</p>
            }
        </div>
    }
}

/// The terminal: printed lines plus the one being redrawn in place (`\r`).
#[derive(Properties, PartialEq)]
pub struct TranscriptProps {
    pub lines: Vec<String>,
    #[prop_or_default]
    pub live_line: Option<String>,
}

#[function_component]
pub fn Transcript(props: &TranscriptProps) -> Html {
    html! {
        <div class="transcript" role="log" aria-label="Transcript" aria-live="polite">
            { for props.lines.iter().map(|line| html! { <div class="line">{ line }</div> }) }
            if let Some(live) = &props.live_line {
                <div class="line live">{ live }</div>
            }
            if props.lines.is_empty() && props.live_line.is_none() {
                <div class="line placeholder" aria-hidden="true">{ "$ press Run" }</div>
            }
        </div>
    }
}

/// One row per finished run, to compare runs like the books' three-run tables.
#[derive(Properties, PartialEq)]
pub struct RunHistoryProps {
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

#[function_component]
pub fn RunHistory(props: &RunHistoryProps) -> Html {
    html! {
        <section class="history" aria-labelledby="history-title">
            <h2 id="history-title">{ "Run history" }</h2>
            if props.rows.is_empty() {
                <p class="muted">{ "Finished runs appear here, one row each, so you can compare them." }</p>
            } else {
                <table aria-labelledby="history-title">
                    <thead><tr>{ for props.columns.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                    <tbody>
                        { for props.rows.iter().rev().map(|row| html! {
                            <tr>{ for row.iter().map(|cell| html! { <td>{ cell }</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

/// The frame meter's readings and a strip chart of the gaps between frames.
#[derive(Properties, PartialEq)]
pub struct FrameMeterViewProps {
    pub stats: FrameStats,
    /// Frames of the lab's own animation (e.g. the spinner), when it has one.
    #[prop_or_default]
    pub animation_frames: Option<u32>,
}

#[function_component]
pub fn FrameMeterView(props: &FrameMeterViewProps) -> Html {
    let stats = &props.stats;
    html! {
        <section class="meter" aria-label="Frame meter">
            <dl>
                if let Some(frames) = props.animation_frames {
                    <div><dt>{ "Spinner frames drawn" }</dt><dd data-meter="spinner-frames">{ frames }</dd></div>
                }
                <div><dt>{ "Display frames" }</dt><dd data-meter="frames">{ stats.frames }</dd></div>
                <div><dt>{ "Longest gap between frames" }</dt>
                    <dd data-meter="longest-gap" data-ms={format!("{:.0}", stats.longest_gap_ms)}>{ millis(stats.longest_gap_ms) }</dd></div>
                <div><dt>{ "Main thread blocked (long tasks)" }</dt>
                    <dd data-meter="blocked" data-ms={format!("{:.0}", stats.blocked_ms)}>{ millis(stats.blocked_ms) }</dd></div>
            </dl>
            <StripChart gaps={stats.recent_gaps_ms.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct StripChartProps {
    gaps: Vec<f64>,
}

/// Bars of frame gaps on a log-ish scale: 16 ms is a smooth frame, the top is ≥ 1 s.
#[function_component]
fn StripChart(props: &StripChartProps) -> Html {
    const WIDTH: f64 = 240.0;
    const HEIGHT: f64 = 48.0;
    let bar = WIDTH / crate::meter::STRIP_LEN as f64;
    let height_of = |gap: f64| (gap.max(1.0).log10() / 3.0).min(1.0) * HEIGHT;
    let smooth_line = HEIGHT - height_of(16.7);
    html! {
        <figure class="strip">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} width="100%" height="56" preserveAspectRatio="none" role="img"
                aria-label="Gaps between frames, most recent on the right">
                { for props.gaps.iter().enumerate().map(|(i, &gap)| {
                    let h = height_of(gap);
                    let class = if gap > 250.0 { "frozen" } else if gap > 50.0 { "janky" } else { "smooth" };
                    html! { <rect class={class} x={format!("{:.1}", i as f64 * bar)} y={format!("{:.1}", HEIGHT - h)}
                        width={format!("{:.1}", bar * 0.8)} height={format!("{h:.1}")}><title>{ millis(gap) }</title></rect> }
                }) }
                <line class="smooth-line" x1="0" x2={WIDTH.to_string()} y1={smooth_line.to_string()} y2={smooth_line.to_string()} />
            </svg>
            <figcaption>{ "Gap between frames (log scale; the line is 16.7 ms = 60 fps, the top 1 s+)" }</figcaption>
        </figure>
    }
}

/// The script the lab mirrors, next to what actually ran in the browser. The script is a
/// static file (`python/<lab>/<file>`), fetched when shown.
#[derive(Properties, PartialEq)]
pub struct PythonReferenceProps {
    pub lab: AttrValue,
    pub file_name: AttrValue,
    pub explanation: AttrValue,
}

#[function_component]
pub fn PythonReference(props: &PythonReferenceProps) -> Html {
    let source = use_state(|| None::<Result<String, String>>);
    {
        let source = source.clone();
        let path = crate::labs::python_path(&props.lab, &props.file_name);
        use_effect_with(path, move |path| {
            source.set(None);
            let (source, path) = (source.clone(), path.clone());
            let task = crate::runtime::task::spawn(async move {
                let text = match crate::runtime::fetch::get(&path, 10.0).await {
                    Ok(reply) if reply.status == 200 => {
                        Ok(String::from_utf8_lossy(&reply.body).into_owned())
                    }
                    Ok(reply) => Err(format!("{path}: {} {}", reply.status, reply.status_text)),
                    Err(error) => Err(format!("{path}: {error}")),
                };
                source.set(Some(text));
            });
            move || drop(task)
        });
    }
    html! {
        <section class="python-reference" aria-labelledby="python-reference-title">
            <h2 id="python-reference-title">{ "Python reference" }</h2>
            <div class="side-by-side">
                <figure>
                    <figcaption><code>{ &props.file_name }</code></figcaption>
                    <pre><code>{ match &*source {
                        None => "Loading…".to_string(),
                        Some(Ok(text)) => text.clone(),
                        Some(Err(reason)) => format!("Could not load the script: {reason}"),
                    } }</code></pre>
                </figure>
                <div>
                    <h3>{ "What ran in your browser" }</h3>
                    <p>{ &props.explanation }</p>
                </div>
            </div>
        </section>
    }
}

/// Notices about the URL's parameters (values that fell back to defaults).
#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<String>,
}

#[function_component]
pub fn Notices(props: &NoticesProps) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    html! {
        <div class="notices" role="status">
            { for props.notices.iter().map(|n| html! { <p>{ n }</p> }) }
        </div>
    }
}

/// The number of Web Workers alive right now, kept current.
#[hook]
pub fn use_live_workers() -> usize {
    let count = use_state(live_workers);
    {
        let count = count.clone();
        use_effect_with((), move |_| {
            let subscription = watch_live_workers(move |n| count.set(n));
            move || drop(subscription)
        });
    }
    *count
}

#[function_component]
pub fn LiveWorkers() -> Html {
    let alive = use_live_workers();
    html! { <p class="live-workers" role="status" data-live-workers={alive.to_string()}>{ format!("Workers alive: {alive}") }</p> }
}

/// The slot for a page's run in progress. Dropping the handle cancels the run and
/// everything it owns; the page empties the slot when it unmounts, so leaving the page
/// mid-run leaves no timer, worker or meter behind.
#[hook]
pub fn use_run_slot() -> Rc<RefCell<Option<TaskHandle>>> {
    let slot = use_mut_ref(|| None::<TaskHandle>);
    {
        let slot = slot.clone();
        use_effect_with((), move |_| move || drop(slot.borrow_mut().take()));
    }
    slot
}

/// Yew's reducer around a lab's pure session; an action is the events of one frame.
#[derive(Clone, Default, PartialEq)]
pub struct SessionState<S>(pub S);

impl<S: LabSession> Reducible for SessionState<S> {
    type Action = Vec<S::Event>;
    fn reduce(self: Rc<Self>, events: Vec<S::Event>) -> Rc<Self> {
        let mut next = (*self).clone();
        for event in events {
            next.0.apply(event);
        }
        Rc::new(next)
    }
}

/// Sends a run's events into its lab's session, at most once per animation frame: a run
/// with hundreds of requests or results redraws the page 60 times a second at most, not
/// once per event. Order is kept; the events carry their own timestamps.
pub struct Dispatch<S: LabSession> {
    batch: Rc<Batch<S>>,
}

struct Batch<S: LabSession> {
    queue: RefCell<Vec<S::Event>>,
    scheduled: std::cell::Cell<bool>,
    dispatcher: UseReducerDispatcher<SessionState<S>>,
}

impl<S: LabSession> Clone for Dispatch<S> {
    fn clone(&self) -> Self {
        Dispatch {
            batch: self.batch.clone(),
        }
    }
}

impl<S: LabSession> Dispatch<S> {
    pub fn dispatch(&self, event: S::Event) {
        self.batch.queue.borrow_mut().push(event);
        if !self.batch.scheduled.replace(true) {
            let batch = self.batch.clone();
            let flush = wasm_bindgen::closure::Closure::once_into_js(move || {
                batch.scheduled.set(false);
                let events = batch.queue.take();
                batch.dispatcher.dispatch(events);
            });
            let window = web_sys::window().expect("window");
            let _ = window.request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&flush));
        }
    }
}

/// A lab's session and the batching dispatcher for its runs.
#[hook]
pub fn use_lab_session<S: LabSession>() -> (UseReducerHandle<SessionState<S>>, Dispatch<S>) {
    let session = use_reducer(SessionState::<S>::default);
    let dispatcher = session.dispatcher();
    let dispatch = use_memo((), move |_| Dispatch {
        batch: Rc::new(Batch {
            queue: RefCell::new(Vec::new()),
            scheduled: false.into(),
            dispatcher,
        }),
    });
    (session, (*dispatch).clone())
}

/// A lab page's form: the typed text, the message per field, and the edit callback.
pub struct FormHandle<F: LabForm> {
    /// The page's name, prefixed to every control's id (`spinner-seconds`).
    pub prefix: &'static str,
    pub form: UseStateHandle<F>,
    pub errors: UseStateHandle<Vec<(F::Field, String)>>,
    /// Takes an edit: stores it, re-checks that field at once and rewrites the URL.
    pub on_edit: Callback<(F::Field, String)>,
}

impl<F: LabForm> FormHandle<F> {
    pub fn error_of(&self, field: F::Field) -> Option<String> {
        self.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, e)| e.clone())
    }

    /// The control's id; its error message's is the same with `-error`.
    pub fn id(&self, field: F::Field) -> String {
        format!("{}-{}", self.prefix, F::key(field))
    }

    /// The `oninput`/`onchange` handler of a control that edits `field`.
    pub fn edit<E: AsRef<Event> + 'static>(&self, field: F::Field) -> Callback<E> {
        self.on_edit
            .reform(move |event: E| (field, event_value(event.as_ref())))
    }

    /// A labelled `<select>` of `(value, text)` options.
    pub fn select(
        &self,
        field: F::Field,
        options: Vec<(&'static str, &'static str)>,
        wide: bool,
        disabled: bool,
    ) -> Html {
        let (id, current) = (self.id(field), self.form.get(field).to_string());
        html! {
            <Field id={id.clone()} label={F::label(field)} error={self.error_of(field)} {wide}>
                <select {id} {disabled} onchange={self.edit::<Event>(field)}>
                    { for options.into_iter().map(|(value, text)| html! {
                        <option {value} selected={value.eq_ignore_ascii_case(&current)}>{ text }</option>
                    }) }
                </select>
            </Field>
        }
    }

    /// A labelled text input, with its message (and `aria-invalid`) when the text is not accepted.
    pub fn text(
        &self,
        field: F::Field,
        hint: Option<&'static str>,
        placeholder: Option<String>,
        wide: bool,
        disabled: bool,
    ) -> Html {
        let id = self.id(field);
        let error = self.error_of(field);
        html! {
            <Field id={id.clone()} label={F::label(field)} error={error.clone()} hint={hint.map(AttrValue::from)} {wide}>
                <input id={id.clone()} type="text" value={self.form.get(field).to_string()} oninput={self.edit::<InputEvent>(field)}
                    {disabled} {placeholder} aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then(|| format!("{id}-error"))} />
            </Field>
        }
    }
}

#[hook]
pub fn use_lab_form<F: LabForm>(page: Page, initial: F) -> FormHandle<F> {
    let form = use_state(|| initial);
    let errors = use_state(Vec::<(F::Field, String)>::new);
    let on_edit = {
        let (form, errors) = (form.clone(), errors.clone());
        Callback::from(move |(field, value): (F::Field, String)| {
            let mut next = (*form).clone();
            next.set(field, value);
            let mut next_errors: Vec<_> = errors
                .iter()
                .filter(|(f, _)| *f != field)
                .cloned()
                .collect();
            if let Err(message) = F::check(field, next.get(field)) {
                next_errors.push((field, message));
            }
            let query = next.query();
            let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            location::replace_hash(&to_hash(page, &pairs));
            errors.set(next_errors);
            form.set(next);
        })
    };
    FormHandle {
        prefix: page.path().trim_start_matches('/'),
        form,
        errors,
        on_edit,
    }
}

/// Installs the DELAY/ERROR servers' service worker when a page that uses them opens, so
/// it is ready by the first run (and the home page does not load it).
#[hook]
pub fn use_servers() {
    use_effect_with((), |_| crate::runtime::servers::register());
}

/// Re-renders the page every `ms` while `active`, so bars of work still in progress grow
/// on the timelines without an event to trigger it.
#[hook]
pub fn use_redraw_while(active: bool, ms: u32) {
    let tick = use_state(|| 0u32);
    use_effect_with(active, move |&active| {
        let interval = active.then(|| {
            gloo_timers::callback::Interval::new(ms, move || tick.set(tick.wrapping_add(1)))
        });
        move || drop(interval)
    });
}

/// A timeline's time axis: `0 s` under the plot's left edge, the span under its right.
pub fn time_axis(left: f64, right: f64, y: f64, span_ms: f64) -> Html {
    html! {
        <>
            <text class="axis" x={left.to_string()} y={format!("{y:.1}")}>{ "0 s" }</text>
            <text class="axis" x={right.to_string()} y={format!("{y:.1}")} text-anchor="end">
                { format!("{:.2} s", span_ms / 1000.0) }
            </text>
        </>
    }
}
