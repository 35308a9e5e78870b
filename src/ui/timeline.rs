//! One timeline for every lab: lanes (workers, slots, permits), a bar per piece of work,
//! open bars growing while the run goes on, an optional marker per bar, a time axis.

use yew::prelude::*;

use crate::timeline::Drawn;

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
}

const LABEL_W: f64 = 64.0;
const PLOT_W: f64 = 296.0;

#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let lanes = props.lanes.len().max(1);
    let lane_h = (180.0 / lanes as f64).clamp(2.0, 20.0);
    let height = lanes as f64 * lane_h + 14.0;
    let span = props.span_ms.max(1.0);
    let x = |ms: f64| LABEL_W + ms / span * PLOT_W;
    let bar_h = (lane_h - 4.0).max(1.0);
    html! {
        <figure class={classes!("timeline", props.class.clone())}>
            <svg viewBox={format!("0 0 {} {height:.1}", LABEL_W + PLOT_W + 6.0)} width="100%" role="img"
                aria-label={props.label.clone()}>
                if lane_h >= 9.0 {
                    { for props.lanes.iter().enumerate().map(|(lane, name)| html! {
                        <text class="lane-label" x="0" y={format!("{:.1}", lane as f64 * lane_h + lane_h * 0.7)}>{ name }</text>
                    }) }
                }
                { for props.bars.iter().map(|bar| {
                    let (x0, x1) = (x(bar.start_ms), x(bar.end_ms));
                    let y = bar.lane as f64 * lane_h + (lane_h - bar_h) / 2.0;
                    html! {
                        <g>
                            <rect class={classes!("bar", bar.class)} data-lane={bar.lane.to_string()} data-id={bar.id.clone()}
                                data-start-ms={format!("{:.1}", bar.start_ms)}
                                x={format!("{x0:.1}")} y={format!("{y:.1}")}
                                width={format!("{:.1}", (x1 - x0).max(1.0))} height={format!("{bar_h:.1}")}>
                                <title>{ &bar.title }</title>
                            </rect>
                            if let Some(label) = &bar.label {
                                <text class="bar-label" x={format!("{:.1}", x0 + 2.0)} y={format!("{:.1}", y + bar_h * 0.75)}>{ label }</text>
                            }
                            if let Some((at, title)) = &bar.marker {
                                <text class="delivered" x={format!("{:.1}", x(*at))} y={format!("{:.1}", y + bar_h * 0.8)} text-anchor="middle">
                                    { "◆" }<title>{ title }</title>
                                </text>
                            }
                        </g>
                    }
                }) }
                { time_axis(LABEL_W, LABEL_W + PLOT_W, height - 2.0, span) }
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
