//! The frame meter's readings and its strip chart of frame gaps.

use yew::prelude::*;

use crate::meter::FrameStats;
use crate::text::millis;

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
    let spans = crate::meter::strip_spans(&props.gaps);
    let span_s: f64 = props.gaps.iter().sum::<f64>() / 1000.0;
    let height_of = |gap: f64| (gap.max(1.0).log10() / 3.0).min(1.0) * HEIGHT;
    let smooth_line = HEIGHT - height_of(16.7);
    html! {
        <figure class="strip">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} width="100%" height="56" preserveAspectRatio="none" role="img"
                aria-label="Gaps between frames over time, most recent on the right">
                { for props.gaps.iter().zip(&spans).map(|(&gap, &(start, width))| {
                    let h = height_of(gap);
                    let class = if gap > 250.0 { "frozen" } else if gap > 50.0 { "janky" } else { "smooth" };
                    // Each bar as wide as its gap lasted; a hairline gap between bars keeps frames apart.
                    html! { <rect class={class} x={format!("{:.2}", start * WIDTH)} y={format!("{:.1}", HEIGHT - h)}
                        width={format!("{:.2}", (width * WIDTH - 0.3).max(0.2))} height={format!("{h:.1}")}><title>{ millis(gap) }</title></rect> }
                }) }
                <line class="smooth-line" x1="0" x2={WIDTH.to_string()} y1={smooth_line.to_string()} y2={smooth_line.to_string()} />
            </svg>
            <figcaption>{ format!("The last {:.1} s of frames: each bar as wide as the gap it ends lasted, as tall as it on a log scale (the line is 16.7 ms = 60 fps, the top 1 s+)", span_s) }</figcaption>
        </figure>
    }
}
