//! The reader's own Figure 19-2: median wall time and speedup against N, with the ideal
//! line, and the table of medians.

use yew::prelude::*;

use super::super::sweep::{SWEEP_COLUMNS, SweepRow, sweep_chart};

#[derive(Properties, PartialEq)]
pub struct SweepProps {
    pub rows: Vec<SweepRow>,
    pub max_n: usize,
}

#[function_component]
pub fn SweepView(props: &SweepProps) -> Html {
    const W: f64 = 480.0;
    const H: f64 = 200.0;
    const PAD: f64 = 36.0;
    let chart = sweep_chart(&props.rows, props.max_n, W, H);
    html! {
        <section class="sweep" aria-labelledby="sweep-title">
            <h2 id="sweep-title">{ "Sweep: median time and speedup against N" }</h2>
            // Focusable: on a phone the chart scrolls sideways in its own box.
            <figure class="sweep-chart" tabindex="0">
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
            </figure>
            <table class="sweep-table" tabindex="0">
                <thead><tr>{ for SWEEP_COLUMNS.iter().map(|c| html! { <th scope="col">{ c }</th> }) }</tr></thead>
                <tbody>{ for props.rows.iter().map(|row| html! {
                    <tr>{ for row.cells().into_iter().map(|c| html! { <td>{ c }</td> }) }</tr>
                }) }</tbody>
            </table>
        </section>
    }
}
