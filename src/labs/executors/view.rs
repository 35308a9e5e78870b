//! The executors lab's page: an `Executor` with `max_workers` slots on the browser event
//! loop, collected with `map` or `as_completed`, with a live futures table and a Gantt chart.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::model::{
    Collect, Demo, Event, ExecutorsForm, ExecutorsParams, Field, HISTORY_COLUMNS, JobError, Server,
    Session, Stopper, TABLE_COLUMNS, WallClock, flags_run, lane_label, loiter_run,
};
use crate::labs::LabForm;
use crate::labs::flags::{Kind, Server as FlagServer, ServerParams};
use crate::runtime::executor::Clock;
use crate::runtime::fetch;
use crate::runtime::servers;
use crate::runtime::task::spawn;
use crate::runtime::time::{now_ms, sleep_ms};
use crate::ui::{
    self, FormHandle, Notices, PythonReference, RunControls, RunHistory, SessionState, Transcript,
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

type Dispatch = ui::Dispatch<Session>;

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

/// flags_threadpool_ac's `download_one(cc)`: a real fetch() from LOCAL or the DELAY server.
async fn download_flag(server: Server, cc: String) -> Result<(), JobError> {
    let params = ServerParams {
        server: match server {
            Server::Local => FlagServer::Local,
            Server::Delay => FlagServer::Delay,
        },
        ..ServerParams::default()
    };
    match fetch::get(&params.url(&cc, Kind::Flag), 10.0).await {
        Ok(reply) if (200..300).contains(&reply.status) => Ok(()),
        Ok(reply) => Err(JobError::new(
            "HTTPStatusError",
            format!("{} {} for {cc}", reply.status, reply.status_text),
        )),
        Err(error) => Err(JobError::new("ConnectError", error.to_string())),
    }
}

/// Starts the demo's script on the event loop: its `Stopper` goes into `stopper`.
async fn run_demo(
    params: ExecutorsParams,
    dispatch: Dispatch,
    stopper: Rc<RefCell<Option<Stopper>>>,
) {
    if params.demo == Demo::FlagsAc && params.server == Server::Delay {
        if let Err(reason) = servers::ready().await {
            dispatch.dispatch(Event::Started {
                params: params.clone(),
                wall: wall_clock(),
            });
            dispatch.dispatch(Event::Cancelled {
                cancelled: Vec::new(),
                abandoned: Vec::new(),
                elapsed_ms: 0.0,
            });
            web_sys::console::warn_1(&reason.into());
            return;
        }
    }
    dispatch.dispatch(Event::Started {
        params: params.clone(),
        wall: wall_clock(),
    });
    let clock: Clock = Rc::new(now_ms);
    let emit = Rc::new(move |event| dispatch.dispatch(event));
    let run = match params.demo {
        Demo::Loiter => loiter_run(&params, clock, sleep_ms, emit),
        Demo::FlagsAc => {
            let server = params.server;
            flags_run(&params, clock, move |cc| download_flag(server, cc), emit)
        }
    };
    *stopper.borrow_mut() = Some(run.stopper);
    run.future.await;
}

#[function_component]
pub fn ExecutorsLab(props: &ExecutorsLabProps) -> Html {
    let initial = use_memo((), |_| ExecutorsForm::from_query(&props.query));
    let fields = ui::use_lab_form(&super::LAB, initial.0.clone());
    let FormHandle { form, errors, .. } = &fields;
    let (session, dispatch) = ui::use_lab_session::<Session>();
    let run = ui::use_run_slot();
    ui::use_servers();
    let stopper = use_mut_ref(|| None::<Stopper>);
    // Re-render while jobs run, so the Gantt bars grow.
    ui::use_redraw_while(session.0.running.is_some(), 100);

    let on_run = {
        let (form, errors, run, stopper) =
            (form.clone(), errors.clone(), run.clone(), stopper.clone());
        let dispatch = dispatch.clone();
        Callback::from(move |()| match form.validate() {
            Err(found) => errors.set(found),
            Ok(params) => {
                errors.set(Vec::new());
                stopper.borrow_mut().take();
                *run.borrow_mut() =
                    Some(spawn(run_demo(params, dispatch.clone(), stopper.clone())));
            }
        })
    };

    let on_stop = {
        let (run, stopper) = (run.clone(), stopper.clone());
        let dispatch = dispatch.clone();
        Callback::from(move |()| {
            // Cancel the pending jobs and say so, then drop the run: the running ones are abandoned.
            if let Some(stopper) = stopper.borrow_mut().take() {
                dispatch.dispatch(stopper.stop());
            }
            run.borrow_mut().take();
        })
    };

    let s = &session.0;
    let running = s.running.is_some();
    let demo = form.demo();
    let file_name = demo.python_reference();
    let history: Vec<Vec<String>> = s.history.iter().map(|row| row.cells()).collect();
    let now = match (&s.running, stopper.borrow().as_ref()) {
        (Some(_), Some(stopper)) => s.script_ms(stopper.elapsed_ms()),
        _ => 0.0,
    };
    let select = |field: Field, options: Vec<(&'static str, &'static str)>| {
        fields.select(field, options, false, running)
    };

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
            <form class="lab-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())} novalidate=true>
                { select(Field::Demo, Demo::ALL.iter().map(|d| (d.key(), d.label())).collect()) }
                { for form.fields().into_iter().filter(|f| *f != Field::Demo).map(|field| match field {
                    Field::CollectWith => select(field, Collect::ALL.iter().map(|c| (c.key(), c.label())).collect()),
                    Field::Server => select(field, Server::ALL.iter().map(|s| (s.key(), s.label())).collect()),
                    _ => fields.text(field, None, None, field == Field::Delays, running),
                }) }
                <RunControls running={running} on_run={on_run} on_stop={on_stop} />
            </form>
            <div class="lab-output">
                <Transcript lines={s.transcript.clone()} />
                <section class="visual" aria-label="Visual">
                    <GanttView session={session.clone()} now_ms={now} />
                </section>
            </div>
            <section class="futures" aria-labelledby="futures-title">
                <h2 id="futures-title">{ "Futures" }</h2>
                <table class="futures-table" aria-labelledby="futures-title">
                    <thead><tr>{ for TABLE_COLUMNS.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                    <tbody>{ for s.jobs.iter().map(|job| html! {
                        <tr class={job.status.key()} data-state={job.status.key()}>
                            { for job.cells().into_iter().map(|c| html! { <td>{ c }</td> }) }
                        </tr>
                    }) }</tbody>
                </table>
            </section>
            <RunHistory columns={HISTORY_COLUMNS.to_vec()} rows={history} />
            <PythonReference script={file_name} explanation={demo.browser_explanation()} />
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct GanttProps {
    session: UseReducerHandle<SessionState<Session>>,
    /// Script ms since the run started (the open bars' right end).
    now_ms: f64,
}

/// One lane per worker slot, one bar per job (start → end), and a ◆ when its result was
/// delivered to the loop.
#[function_component]
fn GanttView(props: &GanttProps) -> Html {
    const LABEL_W: f64 = 44.0;
    const PLOT_W: f64 = 316.0;
    const LANE_H: f64 = 20.0;
    let s = &props.session.0;
    let now = props.now_ms;
    let gantt = s.gantt();
    let lanes = gantt.lanes.max(1);
    let height = lanes as f64 * LANE_H + 14.0;
    let span = gantt.span_ms(now).max(1.0);
    let x = |ms: f64| LABEL_W + ms / span * PLOT_W;
    html! {
        <figure class="timeline gantt">
            <svg viewBox={format!("0 0 {} {height:.1}", LABEL_W + PLOT_W + 6.0)} width="100%" role="img"
                aria-label="Jobs per worker slot over time, with the moment each result was delivered">
                { for (0..lanes).map(|lane| html! {
                    <text class="lane-label" x="0" y={format!("{:.1}", lane as f64 * LANE_H + 13.0)}>{ lane_label(lane) }</text>
                }) }
                { for gantt.bars.iter().map(|bar| {
                    let (x0, x1) = (x(bar.start_ms), x(bar.end_or(now)));
                    let y = bar.lane as f64 * LANE_H + 3.0;
                    html! {
                        <g>
                            <rect class={classes!("bar", bar.class())} data-id={bar.id.to_string()} x={format!("{x0:.1}")} y={format!("{y:.1}")}
                                width={format!("{:.1}", (x1 - x0).max(1.5))} height={format!("{:.1}", LANE_H - 6.0)}>
                                <title>{ bar.title(now) }</title>
                            </rect>
                            <text class="bar-label" x={format!("{:.1}", x0 + 2.0)} y={format!("{:.1}", y + 10.0)}>{ bar.id }</text>
                            if let Some(at) = bar.delivered_ms {
                                <text class="delivered" x={format!("{:.1}", x(at))} y={format!("{:.1}", y + 11.0)} text-anchor="middle">
                                    { "◆" }<title>{ format!("result {} delivered at {:.2}s", bar.id, at / 1000.0) }</title>
                                </text>
                            }
                        </g>
                    }
                }) }
                { ui::time_axis(LABEL_W, LABEL_W + PLOT_W, height - 2.0, span) }
            </svg>
            <figcaption>
                <span class="key finished">{ "finished" }</span>{ " " }<span class="key failed">{ "failed" }</span>{ " " }
                <span class="key running">{ "running" }</span>{ " ◆ delivered to the loop" }
            </figcaption>
        </figure>
    }
}
