//! The Figure 19-2 sweep as data: its plan (N = 1..=Max N, Runs per N each), the median
//! wall time and speedup per N, the transcript's table and the chart's points.

use crate::stats::median;
use crate::text::seconds_2;

/// The sweep's shape: N = 1..=max_n, `runs` runs each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SweepPlan {
    pub max_n: usize,
    pub runs: u32,
}

impl SweepPlan {
    /// Every run in order, as (N, run) with run counted from 1: all runs of N = 1,
    /// then all of N = 2, …, so each N's median is final before the next N starts.
    pub fn steps(&self) -> Vec<(usize, u32)> {
        (1..=self.max_n)
            .flat_map(|n| (1..=self.runs).map(move |run| (n, run)))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.max_n * self.runs as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One N of a sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepRow {
    pub n: usize,
    /// How many runs the median is taken over.
    pub runs: usize,
    pub median_s: f64,
    /// median(N = 1) / median(N); `None` without an N = 1 median.
    pub speedup: Option<f64>,
}

pub const SWEEP_COLUMNS: [&str; 4] = ["N", "Runs", "Median", "Speedup"];

pub const SWEEP_TABLE_HEADER: &str = "  N  runs     median  speedup";

impl SweepRow {
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.n.to_string(),
            self.runs.to_string(),
            format!("{:.3}s", self.median_s),
            self.speedup_text(),
        ]
    }

    /// The transcript's table line, under [`SWEEP_TABLE_HEADER`].
    pub fn line(&self) -> String {
        format!(
            "{:>3} {:>5} {:>9.3}s {:>8}",
            self.n,
            self.runs,
            self.median_s,
            self.speedup_text()
        )
    }

    fn speedup_text(&self) -> String {
        self.speedup
            .map_or_else(|| "—".to_string(), |s| format!("{s:.2}×"))
    }
}

/// Rows from (N, elapsed) samples: one per N, ascending.
pub fn sweep_rows(samples: &[(usize, f64)]) -> Vec<SweepRow> {
    let mut ns: Vec<usize> = samples.iter().map(|&(n, _)| n).collect();
    ns.sort_unstable();
    ns.dedup();
    let medians: Vec<(usize, usize, f64)> = ns
        .into_iter()
        .filter_map(|n| {
            let times: Vec<f64> = samples.iter().filter(|s| s.0 == n).map(|s| s.1).collect();
            median(&times).map(|m| (n, times.len(), m))
        })
        .collect();
    let base = medians.iter().find(|m| m.0 == 1).map(|m| m.2);
    medians
        .into_iter()
        .map(|(n, runs, median_s)| SweepRow {
            n,
            runs,
            median_s,
            speedup: base.filter(|_| median_s > 0.0).map(|b| b / median_s),
        })
        .collect()
}

/// The row with the lowest median.
pub fn best_row(rows: &[SweepRow]) -> Option<SweepRow> {
    rows.iter()
        .copied()
        .min_by(|a, b| a.median_s.total_cmp(&b.median_s))
}

/// The sweep's last transcript line: `Sweep done in 7.00s: fastest median 1.000s at N = 2 (2.50× N = 1).`
pub fn sweep_footer(rows: &[SweepRow], elapsed_s: f64) -> String {
    let mut footer = format!("Sweep done in {}", seconds_2(elapsed_s));
    if let Some(best) = best_row(rows) {
        footer += &format!(
            ": fastest median {:.3}s at N = {}",
            best.median_s, best.n
        );
        if let Some(speedup) = best.speedup {
            footer += &format!(" ({speedup:.2}× N = 1)");
        }
    }
    footer + "."
}

/// SVG `points` for the sweep chart, in a `width` × `height` box (y down). x maps N = 1 ..
/// max_n across the width; the median line uses the left scale 0 .. `max_time_s`, the
/// speedup and ideal lines the right scale 0 .. `max_speedup` (at least max_n, so the
/// ideal line speedup = N ends in the top right corner).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepChart {
    pub median_points: String,
    pub speedup_points: String,
    pub ideal_points: String,
    pub max_time_s: f64,
    pub max_speedup: f64,
}

/// The x of N in a chart `width` wide.
pub fn chart_x(n: usize, max_n: usize, width: f64) -> f64 {
    if max_n <= 1 {
        width / 2.0
    } else {
        (n as f64 - 1.0) / (max_n as f64 - 1.0) * width
    }
}

fn chart_y(value: f64, top: f64, height: f64) -> f64 {
    height - value / top * height
}

fn points(coords: impl Iterator<Item = (f64, f64)>) -> String {
    coords
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn sweep_chart(rows: &[SweepRow], max_n: usize, width: f64, height: f64) -> SweepChart {
    let max_n = max_n.max(1);
    let max_time_s = rows
        .iter()
        .map(|r| r.median_s)
        .filter(|t| t.is_finite())
        .fold(0.0, f64::max);
    let max_time_s = if max_time_s > 0.0 { max_time_s } else { 1.0 };
    let max_speedup = rows
        .iter()
        .filter_map(|r| r.speedup)
        .filter(|s| s.is_finite())
        .fold(max_n as f64, f64::max);
    let x = |n: usize| chart_x(n, max_n, width);
    SweepChart {
        median_points: points(
            rows.iter()
                .filter(|r| r.median_s.is_finite())
                .map(|r| (x(r.n), chart_y(r.median_s, max_time_s, height))),
        ),
        speedup_points: points(rows.iter().filter_map(|r| {
            r.speedup
                .filter(|s| s.is_finite())
                .map(|s| (x(r.n), chart_y(s, max_speedup, height)))
        })),
        ideal_points: points(
            [1, max_n]
                .into_iter()
                .map(|n| (x(n), chart_y(n as f64, max_speedup, height))),
        ),
        max_time_s,
        max_speedup,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sweep_plan_and_medians() {
        let plan = SweepPlan { max_n: 3, runs: 2 };
        assert_eq!(
            plan.steps(),
            [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]
        );
        assert_eq!(plan.len(), 6);
        let rows = sweep_rows(&[
            (1, 40.0),
            (2, 21.0),
            (1, 41.0),
            (2, 20.0),
            (1, 39.0),
            (3, 13.0),
        ]);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[0].n, rows[0].runs, rows[0].median_s, rows[0].speedup),
            (1, 3, 40.0, Some(1.0))
        );
        assert_eq!(
            (rows[1].median_s, rows[1].speedup),
            (20.5, Some(40.0 / 20.5))
        );
        assert_eq!(rows[2].cells(), ["3", "1", "13.000s", "3.08×"]);
        assert_eq!(rows[2].line(), "  3     1    13.000s    3.08×");
        assert_eq!(SWEEP_TABLE_HEADER.len(), rows[2].line().chars().count());
        assert_eq!(best_row(&rows).unwrap().n, 3);
        assert_eq!(sweep_rows(&[(2, 1.0)])[0].speedup, None);
    }

    #[test]
    fn sweep_chart_points() {
        let rows = sweep_rows(&[(1, 4.0), (2, 2.0), (3, 2.0), (4, 1.0)]);
        let chart = sweep_chart(&rows, 4, 300.0, 100.0);
        assert_eq!(chart.max_time_s, 4.0);
        assert_eq!(chart.max_speedup, 4.0);
        assert_eq!(
            chart.median_points,
            "0.0,0.0 100.0,50.0 200.0,50.0 300.0,75.0"
        );
        assert_eq!(
            chart.speedup_points,
            "0.0,75.0 100.0,50.0 200.0,50.0 300.0,0.0"
        );
        assert_eq!(chart.ideal_points, "0.0,75.0 300.0,0.0");
        // Superlinear speedup widens the scale; a lone N = 1 sits in the middle.
        let fast = sweep_chart(&sweep_rows(&[(1, 5.0), (2, 1.0)]), 2, 100.0, 100.0);
        assert_eq!(fast.max_speedup, 5.0);
        assert_eq!(
            sweep_chart(&sweep_rows(&[(1, 1.0)]), 1, 100.0, 50.0).median_points,
            "50.0,0.0"
        );
        let empty = sweep_chart(&[], 8, 100.0, 100.0);
        assert_eq!((empty.median_points.as_str(), empty.max_time_s), ("", 1.0));
        assert_eq!(empty.ideal_points, "0.0,87.5 100.0,0.0");
    }
}
