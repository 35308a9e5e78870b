//! One timeline for every lab: lanes (workers, slots, permits), a bar per piece of work,
//! open bars growing while the run goes on, an optional marker per bar, a time axis.

use yew::prelude::*;

use crate::timeline::{Drawn, LabelPlace, label_places, wait};

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// The lanes' names, top to bottom.
    pub lanes: Vec<String>,
    pub bars: Vec<Drawn>,
    /// The time axis' right end, ms.
    pub span_ms: f64,
    /// What the chart shows, for screen readers.
    pub label: AttrValue,
    /// The legend: `(CSS class, text)` per state.
    pub legend: Vec<(&'static str, &'static str)>,
    /// Text after the legend's keys (e.g. what the marker means).
    #[prop_or_default]
    pub legend_note: Option<AttrValue>,
    /// Extra class on the figure (e.g. `gantt`).
    #[prop_or_default]
    pub class: Option<AttrValue>,
    /// Drawn at the figure's own width, one unit per CSS pixel, with taller lanes and labels
    /// placed where they fit: text keeps one size at every screen width.
    #[prop_or_default]
    pub fit: bool,
}

const LABEL_W: f64 = 64.0;
const PLOT_W: f64 = 296.0;
/// Fitted charts: the lane names' column, the right margin, and a label character's width
/// (the 12 px monospace font the stylesheet sets).
const FIT_LABEL_W: f64 = 58.0;
const FIT_RIGHT: f64 = 12.0;
const FIT_CHAR_W: f64 = 7.3;

/// The figure's width in CSS px, measured after it is drawn and again when the window resizes.
#[hook]
fn use_width(figure: NodeRef, active: bool) -> Option<f64> {
    let width = use_state(|| None::<f64>);
    {
        let width = width.clone();
        use_effect_with(active, move |&active| {
            let listener = active.then(|| {
                let measure = move || {
                    if let Some(element) = figure.cast::<web_sys::Element>() {
                        let w = f64::from(element.client_width());
                        if w > 0.0 && *width != Some(w) {
                            width.set(Some(w));
                        }
                    }
                };
                measure();
                let window = web_sys::window().expect("a window");
                gloo_events::EventListener::new(&window, "resize", move |_| measure())
            });
            move || drop(listener)
        });
    }
    *width
}

#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let figure = use_node_ref();
    let measured = use_width(figure.clone(), props.fit).filter(|_| props.fit);
    let lanes = props.lanes.len().max(1);
    let (label_w, plot_w, lane_h, axis_h) = match measured {
        Some(width) => (
            FIT_LABEL_W,
            (width - FIT_LABEL_W - FIT_RIGHT).max(100.0),
            (420.0 / lanes as f64).clamp(2.0, 30.0),
            22.0,
        ),
        None => (
            LABEL_W,
            PLOT_W,
            (180.0 / lanes as f64).clamp(2.0, 20.0),
            14.0,
        ),
    };
    let view_w = label_w + plot_w + if measured.is_some() { FIT_RIGHT } else { 6.0 };
    let height = lanes as f64 * lane_h + axis_h;
    let span = props.span_ms.max(1.0);
    let x = |ms: f64| label_w + ms / span * plot_w;
    let bar_h = (lane_h - if measured.is_some() { 6.0 } else { 4.0 }).max(1.0);
    // Unfitted charts write every label inside its bar, as they always have.
    let places = match measured {
        Some(_) => label_places(&props.bars, x, FIT_CHAR_W, label_w + plot_w),
        None => vec![LabelPlace::Inside; props.bars.len()],
    };
    html! {
        <figure class={classes!("timeline", props.class.clone(), measured.is_some().then_some("fit"))} ref={figure}>
            <svg viewBox={format!("0 0 {view_w:.1} {height:.1}")} width="100%" role="img"
                aria-label={props.label.clone()}>
                if lane_h >= 9.0 {
                    { for props.lanes.iter().enumerate().map(|(lane, name)| html! {
                        <text class="lane-label" x="0" y={format!("{:.1}", lane as f64 * lane_h + lane_h * 0.7)}>{ name }</text>
                    }) }
                }
                { for props.bars.iter().zip(places).map(|(bar, place)| {
                    let (x0, x1) = (x(bar.start_ms), x(bar.end_ms));
                    let y = bar.lane as f64 * lane_h + (lane_h - bar_h) / 2.0;
                    let label_y = format!("{:.1}", y + bar_h * if measured.is_some() { 0.72 } else { 0.75 });
                    html! {
                        <g>
                            // The wait between the bar's end and its marker (a result held back).
                            if let Some((end, at)) = wait(bar) {
                                <line class="wait" x1={format!("{:.1}", x(end))} x2={format!("{:.1}", x(at))}
                                    y1={format!("{:.1}", y + bar_h / 2.0)} y2={format!("{:.1}", y + bar_h / 2.0)} />
                            }
                            <rect class={classes!("bar", bar.class)} data-lane={bar.lane.to_string()} data-id={bar.id.clone()}
                                data-start-ms={format!("{:.1}", bar.start_ms)}
                                x={format!("{x0:.1}")} y={format!("{y:.1}")}
                                width={format!("{:.1}", (x1 - x0).max(1.0))} height={format!("{bar_h:.1}")}>
                                <title>{ &bar.title }</title>
                            </rect>
                            if let Some(label) = &bar.label {
                                if place == LabelPlace::Inside {
                                    <text class="bar-label" x={format!("{:.1}", x0 + 2.0)} y={label_y}>{ label }</text>
                                } else if place == LabelPlace::After {
                                    <text class="bar-label after" x={format!("{:.1}", x1 + 4.0)} y={label_y}>{ label }</text>
                                }
                            }
                            if let Some((at, title)) = &bar.marker {
                                <text class="delivered" x={format!("{:.1}", x(*at))} y={format!("{:.1}", y + bar_h * 0.8)} text-anchor="middle">
                                    { "◆" }<title>{ title }</title>
                                </text>
                            }
                        </g>
                    }
                }) }
                { time_axis(label_w, label_w + plot_w, height - if measured.is_some() { 5.0 } else { 2.0 }, span) }
            </svg>
            <figcaption>
                { for props.legend.iter().map(|(class, text)| html! {
                    <><span class={classes!("key", *class)}>{ *text }</span>{ " " }</>
                }) }
                if let Some(note) = &props.legend_note {
                    { note }
                }
            </figcaption>
        </figure>
    }
}

/// Re-renders the lab at every beat of `ms` while `active`, so bars of work still in progress
/// grow on the timelines without an event to trigger it. The redraw shares the beat's frame
/// with the session's events, and Yew renders the lab once for both: during a CPU-bound run
/// every render is main-thread time taken from the workers' cores (issue 14).
#[hook]
pub fn use_redraw_while(active: bool, ms: u32) {
    use crate::runtime::beat::{BeatStep, Beats};
    let redraw = use_force_update();
    use_effect_with(active, move |&active| {
        let beats = active.then(|| {
            Beats::start(f64::from(ms), BeatStep::Redraw, move |_| {
                redraw.force_update()
            })
        });
        move || drop(beats)
    });
}

/// A timeline's time axis: `0 s` under the plot's left edge, the span under its right.
fn time_axis(left: f64, right: f64, y: f64, span_ms: f64) -> Html {
    html! {
        <>
            <text class="axis" x={left.to_string()} y={format!("{y:.1}")}>{ "0 s" }</text>
            <text class="axis" x={right.to_string()} y={format!("{y:.1}")} text-anchor="end">
                { format!("{:.2} s", span_ms / 1000.0) }
            </text>
        </>
    }
}
