//! The frame meter's readings and its strip chart of frame gaps.

use yew::prelude::*;

use crate::meter::{FrameStats, Pace, StripBar};
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
    let frames = match stats.pace {
        Pace::EveryFrame => "Display frames".to_string(),
        Pace::Sampled { every_ms } => format!("Frames sampled (one every {})", millis(every_ms)),
    };
    html! {
        <section class="meter" aria-label="Frame meter">
            <dl>
                if let Some(frames) = props.animation_frames {
                    <div><dt>{ "Spinner frames drawn" }</dt><dd data-meter="spinner-frames">{ frames }</dd></div>
                }
                <div><dt>{ frames }</dt><dd data-meter="frames">{ stats.frames }</dd></div>
                <div><dt>{ format!("Longest {}", stats.gap_name()) }</dt>
                    <dd data-meter="longest-gap" data-ms={format!("{:.0}", stats.longest_gap_ms)}>{ millis(stats.longest_gap_ms) }</dd></div>
                <div><dt>{ "Main thread blocked (long tasks)" }</dt>
                    <dd data-meter="blocked" data-ms={format!("{:.0}", stats.blocked_ms)}>{ millis(stats.blocked_ms) }</dd></div>
            </dl>
            <StripChart bars={stats.recent.clone()} pace={stats.pace} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct StripChartProps {
    bars: Vec<StripBar>,
    pace: Pace,
}

/// Bars of frame gaps (or sampled frames' waits) on a log-ish scale: 16 ms is a smooth
/// frame, the top is ≥ 1 s.
#[function_component]
fn StripChart(props: &StripChartProps) -> Html {
    const WIDTH: f64 = 240.0;
    const HEIGHT: f64 = 48.0;
    let spans = crate::meter::strip_spans(&props.bars);
    let span_s: f64 = props.bars.iter().map(|b| b.span_ms).sum::<f64>() / 1000.0;
    let height_of = |gap: f64| (gap.max(1.0).log10() / 3.0).min(1.0) * HEIGHT;
    let smooth_line = HEIGHT - height_of(16.7);
    html! {
        <figure class="strip">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} width="100%" height="56" preserveAspectRatio="none" role="img"
                aria-label={match props.pace {
                    Pace::EveryFrame => "Gaps between frames over time, most recent on the right",
                    Pace::Sampled { .. } => "Waits for the frames asked for over time, most recent on the right",
                }}>
                { for props.bars.iter().zip(&spans).map(|(bar, &(start, width))| {
                    let gap = bar.height_ms;
                    let h = height_of(gap);
                    let class = if gap > 250.0 { "frozen" } else if gap > 50.0 { "janky" } else { "smooth" };
                    // Each bar as wide as its gap lasted; a hairline gap between bars keeps frames apart.
                    html! { <rect class={class} x={format!("{:.2}", start * WIDTH)} y={format!("{:.1}", HEIGHT - h)}
                        width={format!("{:.2}", (width * WIDTH - 0.3).max(0.2))} height={format!("{h:.1}")}><title>{ millis(gap) }</title></rect> }
                }) }
                <line class="smooth-line" x1="0" x2={WIDTH.to_string()} y1={smooth_line.to_string()} y2={smooth_line.to_string()} />
            </svg>
            <figcaption>{ match props.pace {
                Pace::EveryFrame => format!("The last {span_s:.1} s of frames: each bar as wide as the gap it ends lasted, as tall as it on a log scale (the line is 16.7 ms = 60 fps, the top 1 s+)"),
                Pace::Sampled { .. } => format!("The last {span_s:.1} s of frames asked for: each bar as wide as the time since the one before, as tall as the wait for its frame on a log scale (the line is 16.7 ms, one display refresh; the top 1 s+)"),
            } }</figcaption>
        </figure>
    }
}
