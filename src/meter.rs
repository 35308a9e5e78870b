//! What the frame meter measured, as plain data: the browser part (`runtime::frame_meter`)
//! feeds it `requestAnimationFrame` timestamps and Long Task durations.

/// How many recent frames the strip chart shows.
pub const STRIP_LEN: usize = 120;

/// A gap between frames a reader notices as a stall (about ten frames at 60 Hz).
pub const NOTICEABLE_GAP_MS: f64 = 160.0;

/// How often the meter asks the page for a frame.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Pace {
    /// Every display refresh: every frame the page could paint is counted, and a gap is the
    /// time between two of them. For lessons about the page's own drawing (the spinner).
    #[default]
    EveryFrame,
    /// One frame at every beat of `every_ms` (`runtime::beat`): the wait is how long the
    /// page took to draw from the beat on. Asking 60 times a second wakes the page, its
    /// compositor and the browser every 16 ms; with two workers on two cores each wake-up is
    /// taken from a worker (issue 14: 2 % of the workers' time, measured in `make bench`).
    Sampled { every_ms: f64 },
}

/// One bar of the strip chart: the time it covers and how tall it stands, ms.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StripBar {
    /// Since the frame before: a gap between frames, or a sample's interval and its wait.
    pub span_ms: f64,
    /// The gap, or the wait: how long the page could not draw.
    pub height_ms: f64,
}

/// A snapshot of the frame meter, cheap to clone into view state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameStats {
    pub pace: Pace,
    /// Frames (`requestAnimationFrame` callbacks) seen since the meter started.
    pub frames: u32,
    /// Longest time the page could not draw, ms: a gap between frames, a sampled frame's
    /// wait, or a Long Task (no frame can be drawn while one runs).
    pub longest_gap_ms: f64,
    /// Sum of Long Task durations (tasks ≥ 50 ms that kept the main thread busy), ms.
    pub blocked_ms: f64,
    /// The most recent frames, oldest first, for the strip chart.
    pub recent: Vec<StripBar>,
}

impl FrameStats {
    /// What `longest_gap_ms` is, for labels and sentences.
    pub fn gap_name(&self) -> &'static str {
        match self.pace {
            Pace::EveryFrame => "gap between frames",
            Pace::Sampled { .. } => "wait for a frame",
        }
    }
}

/// The strip chart over time: each bar as `(start, width)`, fractions of the time the recent
/// bars span, so a 2 s freeze is as wide as 2 s of smooth frames.
pub fn strip_spans(bars: &[StripBar]) -> Vec<(f64, f64)> {
    let total: f64 = bars.iter().map(|b| b.span_ms.max(0.0)).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut start = 0.0;
    bars.iter()
        .map(|bar| {
            let width = bar.span_ms.max(0.0) / total;
            let span = (start, width);
            start += width;
            span
        })
        .collect()
}

/// Accumulates frame timestamps into [`FrameStats`].
#[derive(Clone, Debug, Default)]
pub struct FrameLog {
    stats: FrameStats,
    last_frame_at: Option<f64>,
}

impl FrameLog {
    /// Starts counting at `now`: a freeze right after the start counts as a gap.
    pub fn starting_at(now: f64, pace: Pace) -> Self {
        FrameLog {
            stats: FrameStats {
                pace,
                ..FrameStats::default()
            },
            last_frame_at: Some(now),
        }
    }

    /// A frame at `at`, asked for by the frame before it (every refresh).
    pub fn frame(&mut self, at: f64) {
        self.frame_asked_at(self.last_frame_at.unwrap_or(at), at);
    }

    /// A frame at `at` that was asked for at `asked_at` (a sample's beat): the page could
    /// not draw in between.
    pub fn frame_asked_at(&mut self, asked_at: f64, at: f64) {
        if let Some(last) = self.last_frame_at {
            let span_ms = (at - last).max(0.0);
            let height_ms = (at - asked_at).clamp(0.0, span_ms);
            self.stats.longest_gap_ms = self.stats.longest_gap_ms.max(height_ms);
            self.stats.recent.push(StripBar { span_ms, height_ms });
            let excess = self.stats.recent.len().saturating_sub(STRIP_LEN);
            self.stats.recent.drain(..excess);
        }
        self.stats.frames += 1;
        self.last_frame_at = Some(at);
    }

    pub fn long_task(&mut self, duration_ms: f64) {
        self.stats.blocked_ms += duration_ms;
        self.stats.longest_gap_ms = self.stats.longest_gap_ms.max(duration_ms);
    }

    pub fn stats(&self) -> &FrameStats {
        &self.stats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_strip_is_over_time_a_freeze_as_wide_as_its_duration() {
        let bars: Vec<StripBar> = [20.0, 20.0, 2000.0, 20.0, 20.0]
            .map(|gap| StripBar {
                span_ms: gap,
                height_ms: gap,
            })
            .into();
        let spans = strip_spans(&bars);
        assert_eq!(spans.len(), 5);
        assert!((spans[2].0 - 40.0 / 2080.0).abs() < 1e-12);
        assert!((spans[2].1 - 2000.0 / 2080.0).abs() < 1e-12);
        let end = spans[4].0 + spans[4].1;
        assert!((end - 1.0).abs() < 1e-12);
        assert!(strip_spans(&[]).is_empty());
    }

    #[test]
    fn measures_gaps_from_the_start() {
        let mut log = FrameLog::starting_at(1000.0, Pace::EveryFrame);
        log.frame(1016.0);
        log.frame(3050.0); // a 2 s freeze
        log.frame(3066.0);
        log.long_task(2030.0);
        let stats = log.stats();
        assert_eq!(stats.frames, 3);
        assert_eq!(stats.longest_gap_ms, 2034.0);
        assert_eq!(stats.blocked_ms, 2030.0);
        let gaps: Vec<f64> = stats.recent.iter().map(|b| b.height_ms).collect();
        assert_eq!(gaps, vec![16.0, 2034.0, 16.0]);
        assert_eq!(stats.recent[1].span_ms, 2034.0);
    }

    #[test]
    fn a_sampled_frame_waits_from_when_it_was_asked_for() {
        let mut log = FrameLog::starting_at(0.0, Pace::Sampled { every_ms: 100.0 });
        log.frame_asked_at(100.0, 112.0); // drawn at the next refresh
        log.frame_asked_at(212.0, 2250.0); // the page busy until 2240
        log.frame_asked_at(2350.0, 2358.0);
        let stats = log.stats();
        assert_eq!(stats.frames, 3);
        let bars: Vec<(f64, f64)> = stats
            .recent
            .iter()
            .map(|b| (b.span_ms, b.height_ms))
            .collect();
        assert_eq!(bars, vec![(112.0, 12.0), (2138.0, 2038.0), (108.0, 8.0)]);
        assert_eq!(stats.longest_gap_ms, 2038.0);
        assert_eq!(stats.gap_name(), "wait for a frame");
    }

    #[test]
    fn a_long_task_is_a_time_the_page_could_not_draw() {
        // The sampled wait misses the part of a freeze before the frame was asked for; the
        // Long Task has all of it.
        let mut log = FrameLog::starting_at(0.0, Pace::Sampled { every_ms: 100.0 });
        log.frame_asked_at(2000.0, 2016.0);
        log.long_task(2005.0);
        assert_eq!(log.stats().longest_gap_ms, 2005.0);
    }

    #[test]
    fn keeps_only_recent_frames() {
        let mut log = FrameLog::starting_at(0.0, Pace::EveryFrame);
        for i in 1..=500 {
            log.frame(i as f64 * 16.0);
        }
        assert_eq!(log.stats().recent.len(), STRIP_LEN);
        assert_eq!(log.stats().frames, 500);
    }
}
