//! A lab's run: the hook that owns it (its task, start time and Stop) and the Run/Stop
//! buttons. Every lab starts, stops and cancels its runs the same way.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use yew::prelude::*;

use super::form::FormHandle;
use super::session::Dispatch;
use crate::labs::{LabForm, LabSession};
use crate::runtime::ports::Emit;
use crate::runtime::task::{TaskHandle, spawn};
use crate::runtime::time::now_ms;

/// The last run started: in progress until its future ends.
struct Active<S: LabSession> {
    task: TaskHandle,
    started_ms: f64,
    /// Set by the run's own task when its future ends. The task never drops its own handle:
    /// aborting a task from inside its poll would re-enter the executor.
    finished: Rc<Cell<bool>>,
    /// What Stop reports instead of `S::cancelled` (e.g. which jobs were cancelled).
    on_stop: Option<Box<dyn FnOnce(f64) -> S::Event>>,
}

impl<S: LabSession> Active<S> {
    fn in_progress(&self) -> bool {
        !self.finished.get()
    }
}

/// A page's run slot: one run at a time. Dropping the run (Stop, a new page, leaving the
/// page) drops its future and everything it owns — timers, workers, fetches, meters.
pub struct LabRun<S: LabSession> {
    slot: Rc<RefCell<Option<Active<S>>>>,
    running: UseStateHandle<bool>,
    dispatch: Dispatch<S>,
}

impl<S: LabSession> Clone for LabRun<S> {
    fn clone(&self) -> Self {
        LabRun {
            slot: self.slot.clone(),
            running: self.running.clone(),
            dispatch: self.dispatch.clone(),
        }
    }
}

impl<S: LabSession> LabRun<S> {
    /// Run's callback for a lab whose run is `script(params, emit)`: starts it when the form
    /// is valid (otherwise the form shows why, and nothing runs).
    pub fn run_callback<F, R>(
        &self,
        fields: &FormHandle<F>,
        script: impl Fn(F::Params, Emit<S::Event>) -> R + 'static,
    ) -> Callback<()>
    where
        F: LabForm,
        R: Future<Output = ()> + 'static,
    {
        self.when_valid(fields, move |run, params| {
            run.start(script(params, run.dispatch.emit()));
        })
    }

    /// Compare's callback: the two contrasting runs `pair` makes of the form's parameters,
    /// one after the other as one run (Stop ends both), each with its own history row.
    pub fn compare_callback<F, R>(
        &self,
        fields: &FormHandle<F>,
        pair: impl Fn(&F::Params) -> (F::Params, F::Params) + 'static,
        script: impl Fn(F::Params, Emit<S::Event>) -> R + 'static,
    ) -> Callback<()>
    where
        F: LabForm,
        R: Future<Output = ()> + 'static,
    {
        let script = Rc::new(script);
        self.when_valid(fields, move |run, params| {
            let (first, second) = pair(&params);
            let (script, emit) = (script.clone(), run.dispatch.emit());
            run.start(async move {
                script(first, emit.clone()).await;
                script(second, emit).await;
            });
        })
    }

    /// A button's callback: `then(run, params)` when the form is valid.
    fn when_valid<F: LabForm>(
        &self,
        fields: &FormHandle<F>,
        then: impl Fn(&Self, F::Params) + 'static,
    ) -> Callback<()> {
        let run = self.clone();
        fields.when_valid(move |params| then(&run, params))
    }

    /// Stop's callback: drops the run, and with it every worker, timer and fetch it owns.
    pub fn stop_callback(&self) -> Callback<()> {
        let run = self.clone();
        Callback::from(move |()| run.stop())
    }

    /// Starts `run` unless a run is in progress (a double click starts one run).
    pub fn start(&self, run: impl Future<Output = ()> + 'static) {
        if self.in_progress() {
            return;
        }
        let finished = Rc::new(Cell::new(false));
        // The previous, finished run's handle goes here, outside any task.
        *self.slot.borrow_mut() = None;
        self.running.set(true);
        let (done, running) = (finished.clone(), self.running.clone());
        let task = spawn(async move {
            run.await;
            done.set(true);
            running.set(false);
        });
        *self.slot.borrow_mut() = Some(Active {
            task,
            started_ms: now_ms(),
            finished,
            on_stop: None,
        });
    }

    fn in_progress(&self) -> bool {
        self.slot.borrow().as_ref().is_some_and(Active::in_progress)
    }

    /// Stop reports `event(elapsed_ms)` instead of the lab's plain cancelled event.
    pub fn on_stop(&self, event: impl FnOnce(f64) -> S::Event + 'static) {
        if let Some(active) = self.slot.borrow_mut().as_mut() {
            active.on_stop = Some(Box::new(event));
        }
    }

    /// Stop: reports the cancellation, then drops the run.
    pub fn stop(&self) {
        if !self.in_progress() {
            return;
        }
        let Some(active) = self.slot.borrow_mut().take() else {
            return;
        };
        let elapsed_ms = now_ms() - active.started_ms;
        self.dispatch.dispatch_now(match active.on_stop {
            Some(event) => event(elapsed_ms),
            None => S::cancelled(elapsed_ms / 1000.0),
        });
        drop(active.task);
        self.running.set(false);
    }

    /// A run is going (re-rendered when that changes).
    pub fn is_running(&self) -> bool {
        *self.running
    }

    /// The run's clock starts again now: its times, and Stop's, count from when its real work
    /// began (e.g. after it prepared). For the run itself to call.
    pub fn restart_clock(&self) {
        if let Some(active) = self.slot.borrow_mut().as_mut() {
            active.started_ms = now_ms();
        }
    }

    /// When the last run started (`performance.now()`), finished or not.
    pub fn started_ms(&self) -> Option<f64> {
        self.slot.borrow().as_ref().map(|a| a.started_ms)
    }

    /// Milliseconds since the run started, while one runs.
    pub fn elapsed_ms(&self) -> Option<f64> {
        let slot = self.slot.borrow();
        let active = slot.as_ref().filter(|a| a.in_progress())?;
        Some(now_ms() - active.started_ms)
    }
}

/// The page's run slot; leaving the page drops the run in progress.
#[hook]
pub fn use_lab_run<S: LabSession>(dispatch: &Dispatch<S>) -> LabRun<S> {
    let slot = use_mut_ref(|| None::<Active<S>>);
    let running = use_state(|| false);
    {
        let slot = slot.clone();
        use_effect_with((), move |_| move || drop(slot.borrow_mut().take()));
    }
    LabRun {
        slot,
        running,
        dispatch: dispatch.clone(),
    }
}

/// Installs the DELAY/ERROR servers' service worker when a page that uses them opens, so
/// it is ready by the first run (and the home page does not load it).
#[hook]
pub fn use_servers() {
    use_effect_with((), |_| crate::runtime::servers::register());
}

/// Run (the form's submit button: see [`run_on_submit`]) and Stop, with why Stop is
/// unavailable when it is.
#[derive(Properties, PartialEq)]
pub struct RunControlsProps {
    pub running: bool,
    pub on_stop: Callback<()>,
    /// Set when Stop cannot interrupt the current kind of run.
    #[prop_or_default]
    pub stop_note: Option<AttrValue>,
    /// The lab's one-click comparison of two contrasting runs, when it has one.
    #[prop_or_default]
    pub compare: Option<CompareButton>,
}

/// "Compare": what it runs (the button's text) and the callback that runs it.
#[derive(Clone, PartialEq)]
pub struct CompareButton {
    pub label: AttrValue,
    pub on_compare: Callback<()>,
}

#[function_component]
pub fn RunControls(props: &RunControlsProps) -> Html {
    let on_stop = props.on_stop.reform(|_: MouseEvent| ());
    let (run_ref, stop_ref) = (use_node_ref(), use_node_ref());
    let was_running = use_mut_ref(|| props.running);
    {
        // The button just pressed turns itself off; focus goes to the one that is on, so a
        // keyboard user can Stop (or Run again) at once — unless they moved on meanwhile.
        let (run_ref, stop_ref) = (run_ref.clone(), stop_ref.clone());
        use_effect_with(props.running, move |&running| {
            if running != was_running.replace(running) {
                let (from, to) = if running {
                    (&run_ref, &stop_ref)
                } else {
                    (&stop_ref, &run_ref)
                };
                move_focus_if_lost(from, to);
            }
        });
    }
    html! {
        <div class="run-controls">
            // A submit button: Enter in any field of the form runs, like a click.
            <button type="submit" class="run" ref={run_ref} disabled={props.running}>{ "Run" }</button>
            <button type="button" class="stop" ref={stop_ref} disabled={!props.running} onclick={on_stop}>{ "Stop" }</button>
            if let Some(compare) = &props.compare {
                <button type="button" class="compare" disabled={props.running}
                    onclick={compare.on_compare.reform(|_: MouseEvent| ())}>{ compare.label.clone() }</button>
            }
            if let Some(note) = &props.stop_note {
                <p class="stop-note">{ note }</p>
            }
        </div>
    }
}

/// Focuses `to` when the focus was on `from` or had fallen to the page's body.
fn move_focus_if_lost(from: &NodeRef, to: &NodeRef) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let active: Option<web_sys::Node> = document.active_element().map(Into::into);
    let body: Option<web_sys::Node> = document.body().map(Into::into);
    let lost = active.is_none() || active == body || active == from.get();
    if let (true, Some(button)) = (lost, to.cast::<web_sys::HtmlElement>()) {
        let _ = button.focus();
    }
}

/// The lab form's submit handler: Run (a click on Run, or Enter in a field).
pub fn run_on_submit(on_run: &Callback<()>) -> Callback<SubmitEvent> {
    on_run.reform(|event: SubmitEvent| event.prevent_default())
}
