//! The primes lab's page and its supervisor: the sequential loop on the main thread,
//! or a pool of Web Workers driven by the model's poison-pill scheduler.

use std::cell::Cell;
use std::rc::Rc;

use futures::StreamExt;
use yew::prelude::*;

use super::model::{
    Commands, Dispatcher, Event, Field, HISTORY_COLUMNS, MAIN_THREAD_STOP_NOTE, Mode, NUMBERS_HINT,
    Preset, PrimesForm, PrimesParams, SWEEP_COLUMNS, Session, SweepRow, Timeline, lane_label,
    sweep_chart,
};
use crate::labs::LabForm;
use crate::labs::form::FormText;
use crate::meter::FrameStats;
use crate::prime::is_prime;
use crate::runtime::frame_meter::FrameMeter;
use crate::runtime::pool::WorkerPool;
use crate::runtime::ports::Pool;
use crate::runtime::task::spawn;
use crate::runtime::time::{cpu_count, next_paint, now_ms, sleep_ms};
use crate::runtime::worker::WorkerEvent;
use crate::ui::{
    self, FormHandle, FrameMeterView, LiveWorkers, Notices, PythonReference, RunControls,
    RunHistory, Transcript,
};
use crate::worker_protocol::{FromWorker, ToWorker};

/// The registry's entry point.
pub fn page(query: Vec<(String, String)>) -> Html {
    html! { <PrimesLab {query} /> }
}

#[derive(Properties, PartialEq)]
pub struct PrimesLabProps {
    /// The URL's parameters, which fill the form.
    pub query: Vec<(String, String)>,
}

type Dispatch = ui::Dispatch<Session>;

/// Where the run's clocks start: the run (or the current sweep run) for the timeline,
/// and the whole run for Stop's elapsed time.
#[derive(Default)]
struct Clocks {
    run: Cell<f64>,
    lane: Cell<f64>,
}

#[function_component]
pub fn PrimesLab(props: &PrimesLabProps) -> Html {
    let initial = use_memo((), |_| PrimesForm::from_query(&props.query, cpu_count()));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let FormHandle {
        form,
        errors,
        on_edit,
        ..
    } = &fields;
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let stats = use_state(FrameStats::default);
    let run = ui::use_run_slot();
    let clocks = use_memo((), |_| Clocks::default());

    let on_run = {
        let (form, errors, run, clocks, stats) = (
            form.clone(),
            errors.clone(),
            run.clone(),
            clocks.clone(),
            stats.clone(),
        );
        let dispatch = dispatch.clone();
        Callback::from(move |()| match form.validate() {
            Err(found) => errors.set(found),
            Ok(params) => {
                errors.set(Vec::new());
                clocks.run.set(now_ms());
                clocks.lane.set(now_ms());
                stats.set(FrameStats::default());
                dispatch.dispatch(Event::Started(params.clone()));
                let task = supervise(params, dispatch.clone(), stats.setter(), clocks.clone());
                *run.borrow_mut() = Some(spawn(task));
            }
        })
    };

    let on_stop = {
        let (run, clocks) = (run.clone(), clocks.clone());
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            // Dropping the task drops its pool: every worker is terminated now.
            if run.borrow_mut().take().is_some() {
                dispatch.dispatch(Event::Cancelled {
                    elapsed_s: (now_ms() - clocks.run.get()) / 1000.0,
                });
            }
        })
    };

    let s = &session.0;
    let mode = form.mode();
    let running_mode = s.running.as_ref().map(|r| r.params.mode);
    let shown_mode = running_mode
        .or_else(|| s.history.last().map(|h| h.params.mode))
        .unwrap_or(mode);
    let in_use = form.fields();
    let file_name = mode.python_reference();
    let history: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();
    let now_in_lane = if s.is_running() {
        now_ms() - clocks.lane.get()
    } else {
        0.0
    };
    let (done, total) = s.progress();
    let disabled = s.is_running();

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
            <form class="lab-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} novalidate=true>
                { fields.select(Field::Mode, Mode::ALL.iter().map(|m| (m.key(), m.label())).collect(), true, disabled) }
                { for in_use.iter().filter(|f| **f != Field::Mode).map(|&field| {
                    let id = fields.id(field);
                    let error = fields.error_of(field);
                    let oninput = on_edit.reform(move |e: InputEvent| (field, ui::event_value(&e)));
                    let invalid = error.is_some().then_some("true");
                    let described = error.is_some().then(|| format!("{id}-error"));
                    if field == Field::Numbers {
                        html! {
                            <ui::Field id={id.clone()} label={field.label()} {error} hint={AttrValue::from(NUMBERS_HINT)} wide=true>
                                <textarea id={id} rows="8" value={form.get(field).to_string()} {oninput} {disabled}
                                    aria-invalid={invalid} aria-describedby={described} spellcheck="false" />
                                <div class="presets" role="group" aria-label="Number presets">
                                    { for Preset::ALL.iter().map(|&preset| {
                                        let on_edit = on_edit.clone();
                                        html! { <button type="button" {disabled} aria-pressed={(form.preset() == Some(preset)).to_string()}
                                            onclick={Callback::from(move |_| on_edit.emit((Field::Numbers, preset.text())))}>{ preset.label() }</button> }
                                    }) }
                                </div>
                            </ui::Field>
                        }
                    } else {
                        fields.text(field, None, None, false, disabled)
                    }
                }) }
                <RunControls running={s.is_running()} on_run={on_run} on_stop={on_stop}
                    stop_note={running_mode.or(Some(mode)).filter(|m| m.blocks_main_thread()).map(|_| AttrValue::from(MAIN_THREAD_STOP_NOTE))} />
            </form>
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} />
                <section class="visual" aria-label="Visual">
                    <LiveWorkers />
                    <p class="progress-line">
                        <progress max={total.max(1).to_string()} value={done.to_string()} aria-label="Progress"></progress>
                        { format!(" {done} / {total} {}", if s.running.as_ref().and_then(|r| r.params.sweep).is_some() { "sweep runs" } else { "checked" }) }
                    </p>
                    <TimelineView timeline={s.timeline.clone()} mode={shown_mode} now_ms={now_in_lane} />
                    <FrameMeterView stats={(*stats).clone()} />
                </section>
            </div>
            if shown_mode == Mode::Sweep && !s.sweep_samples.is_empty() {
                <SweepView rows={s.sweep_rows()} max_n={s.running.as_ref().or(None).and_then(|r| r.params.sweep)
                    .or_else(|| s.history.last().and_then(|h| h.params.sweep)).map_or(1, |p| p.max_n)} />
            }
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} rows={history} />
            <PythonReference script={file_name} explanation={mode.browser_explanation()} />
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct TimelineProps {
    timeline: Timeline,
    mode: Mode,
    now_ms: f64,
}

/// One lane per worker, one bar per number (prime / composite / running); hover for n and time.
#[function_component]
fn TimelineView(props: &TimelineProps) -> Html {
    const LABEL_W: f64 = 64.0;
    const PLOT_W: f64 = 296.0;
    const LANE_H: f64 = 18.0;
    let timeline = &props.timeline;
    let span = timeline.span_ms(props.now_ms).max(1.0);
    let lanes = timeline.lanes.max(1);
    let height = lanes as f64 * LANE_H + 14.0;
    let x = |ms: f64| LABEL_W + ms / span * PLOT_W;
    html! {
        <figure class="timeline">
            <svg viewBox={format!("0 0 {} {height}", LABEL_W + PLOT_W + 4.0)} width="100%" role="img"
                aria-label="Timeline: one lane per worker, one bar per number">
                { for (0..lanes).map(|lane| html! {
                    <text class="lane-label" x="0" y={format!("{:.1}", lane as f64 * LANE_H + 11.0)}>{ lane_label(props.mode, lane) }</text>
                }) }
                { for timeline.bars.iter().map(|bar| {
                    let (x0, x1) = (x(bar.start_ms), x(bar.end_or(props.now_ms)));
                    html! {
                        <rect class={classes!("bar", bar.class())} data-lane={bar.lane.to_string()} data-start-ms={format!("{:.1}", bar.start_ms)}
                            x={format!("{x0:.1}")} y={format!("{:.1}", bar.lane as f64 * LANE_H + 2.0)}
                            width={format!("{:.1}", (x1 - x0).max(1.0))} height={format!("{:.1}", LANE_H - 4.0)}>
                            <title>{ bar.title(props.now_ms) }</title>
                        </rect>
                    }
                }) }
                { ui::time_axis(LABEL_W, LABEL_W + PLOT_W, height - 2.0, span) }
            </svg>
            <figcaption>
                <span class="key prime">{ "prime" }</span>{ " " }
                <span class="key composite">{ "composite" }</span>{ " " }
                <span class="key running">{ "checking" }</span>
            </figcaption>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct SweepProps {
    rows: Vec<SweepRow>,
    max_n: usize,
}

/// The reader's own Figure 19-2: median wall time and speedup against N, with the ideal line.
#[function_component]
fn SweepView(props: &SweepProps) -> Html {
    const W: f64 = 480.0;
    const H: f64 = 200.0;
    const PAD: f64 = 36.0;
    let chart = sweep_chart(&props.rows, props.max_n, W, H);
    html! {
        <section class="sweep" aria-labelledby="sweep-title">
            <h2 id="sweep-title">{ "Sweep: median time and speedup against N" }</h2>
            <svg viewBox={format!("{} {} {} {}", -PAD, -10.0, W + 2.0 * PAD, H + 40.0)} width="100%" role="img"
                aria-label="Median wall time and speedup against the number of workers">
                <rect class="plot" x="0" y="0" width={W.to_string()} height={H.to_string()} />
                <polyline class="ideal" points={chart.ideal_points.clone()} />
                <polyline class="median" points={chart.median_points.clone()} />
                <polyline class="speedup" points={chart.speedup_points.clone()} />
                <text class="axis" x="-4" y="8" text-anchor="end">{ format!("{:.1}s", chart.max_time_s) }</text>
                <text class="axis" x="-4" y={H.to_string()} text-anchor="end">{ "0" }</text>
                <text class="axis" x={(W + 4.0).to_string()} y="8">{ format!("{:.0}×", chart.max_speedup) }</text>
                <text class="axis" x="0" y={(H + 16.0).to_string()}>{ "N = 1" }</text>
                <text class="axis" x={W.to_string()} y={(H + 16.0).to_string()} text-anchor="end">{ format!("N = {}", props.max_n) }</text>
                <text class="legend median" x="0" y={(H + 34.0).to_string()}>{ "— median time (left)" }</text>
                <text class="legend speedup" x="170" y={(H + 34.0).to_string()}>{ "— speedup (right)" }</text>
                <text class="legend ideal" x="330" y={(H + 34.0).to_string()}>{ "- - ideal: speedup = N" }</text>
            </svg>
            <table class="sweep-table">
                <thead><tr>{ for SWEEP_COLUMNS.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                <tbody>{ for props.rows.iter().map(|row| html! {
                    <tr>{ for row.cells().into_iter().map(|c| html! { <td>{ c }</td> }) }</tr>
                }) }</tbody>
            </table>
        </section>
    }
}

/// The supervisor: run the mode, report, then let the meter settle.
async fn supervise(
    params: PrimesParams,
    dispatch: Dispatch,
    stats: UseStateSetter<FrameStats>,
    clocks: Rc<Clocks>,
) {
    let meter = FrameMeter::start({
        let stats = stats.clone();
        move |snapshot| stats.set(snapshot)
    });
    // Show the header line before sequential-main freezes the page.
    next_paint().await;
    let started = now_ms();
    clocks.run.set(started);
    clocks.lane.set(started);
    let jobs = params.job_order();
    let outcome = match (params.mode, params.sweep) {
        (Mode::SequentialMain, _) => {
            check_on_main_thread(&jobs, &dispatch, started);
            Ok(())
        }
        (Mode::Sweep, Some(plan)) => sweep(&jobs, plan.steps(), &dispatch, &clocks).await,
        _ => run_pool(&jobs, params.workers, &dispatch, started).await,
    };
    let elapsed_s = (now_ms() - started) / 1000.0;
    dispatch.dispatch(match outcome {
        Ok(()) => Event::Finished { elapsed_s },
        Err((worker, reason)) => Event::WorkerFailed {
            worker,
            reason,
            elapsed_s,
        },
    });
    next_paint().await;
    sleep_ms(100.0).await;
    stats.set(meter.stats());
}

/// sequential.py on the page's only thread: nothing else runs until the last check.
fn check_on_main_thread(jobs: &[u64], dispatch: &Dispatch, started: f64) {
    let mut scheduler = Dispatcher::new(jobs, 1);
    let mut next = scheduler.start();
    while let Some((_, ToWorker::Check(n))) = next.pop() {
        let at = now_ms();
        dispatch.dispatch(Event::Dispatched {
            worker: 0,
            n,
            at_ms: at - started,
        });
        let prime = is_prime(n);
        let done = now_ms();
        let (result, commands) = scheduler
            .on_result(0, n, prime, (done - at) / 1000.0)
            .expect("one worker in order");
        dispatch.dispatch(Event::Checked {
            result,
            at_ms: done - started,
        });
        next = commands;
    }
}

/// Figure 19-2: a fresh pool of N workers per run, for N = 1..max, `runs` times each.
async fn sweep(
    jobs: &[u64],
    steps: Vec<(usize, u32)>,
    dispatch: &Dispatch,
    clocks: &Clocks,
) -> Result<(), (usize, String)> {
    for (n, run) in steps {
        dispatch.dispatch(Event::SweepRunStarted { n, run });
        let started = now_ms();
        clocks.lane.set(started);
        run_pool(jobs, n, dispatch, started).await?;
        dispatch.dispatch(Event::SweepRunFinished {
            elapsed_s: (now_ms() - started) / 1000.0,
        });
    }
    Ok(())
}

/// procs.py: start the pool, hand each idle worker the next job, a poison pill once the
/// queue is empty, and count end markers. The pool (and so every worker) is gone on return.
async fn run_pool(
    jobs: &[u64],
    workers: usize,
    dispatch: &Dispatch,
    started: f64,
) -> Result<(), (usize, String)> {
    let (pool, mut events) = WorkerPool::spawn(workers).map_err(|reason| (0, reason))?;
    let mut scheduler = Dispatcher::new(jobs, workers);
    let send = |commands: Commands| {
        for (worker, command) in commands {
            if let ToWorker::Check(n) = command {
                dispatch.dispatch(Event::Dispatched {
                    worker,
                    n,
                    at_ms: now_ms() - started,
                });
            }
            pool.post(worker, command);
        }
    };
    while !scheduler.is_done() {
        let Some((worker, event)) = events.next().await else {
            return Err((0, "the pool's event stream ended".to_string()));
        };
        match event {
            WorkerEvent::Message(FromWorker::Ready) => send(scheduler.on_ready(worker)),
            WorkerEvent::Message(FromWorker::Checked {
                n,
                prime,
                elapsed_s,
            }) => {
                let (result, next) = scheduler
                    .on_result(worker, n, prime, elapsed_s)
                    .map_err(|e| (worker, e.to_string()))?;
                dispatch.dispatch(Event::Checked {
                    result,
                    at_ms: now_ms() - started,
                });
                send(next);
            }
            WorkerEvent::Message(FromWorker::Finished) => scheduler
                .on_finished(worker)
                .map_err(|e| (worker, e.to_string()))?,
            WorkerEvent::Failed(reason) => return Err((worker, reason)),
        }
    }
    Ok(())
}
