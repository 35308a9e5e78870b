//! What the frame meter measured, as plain data: the browser part (`runtime::frame_meter`)
//! feeds it `requestAnimationFrame` timestamps and Long Task durations.

/// How many recent gaps the strip chart shows.
pub const STRIP_LEN: usize = 120;

/// A gap between frames a reader notices as a stall (about ten frames at 60 Hz).
pub const NOTICEABLE_GAP_MS: f64 = 160.0;

/// A snapshot of the frame meter, cheap to clone into view state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FrameStats {
    /// Display frames (`requestAnimationFrame` callbacks) seen since the meter started.
    pub frames: u32,
    /// Longest time between two display frames, ms: how long the page could not repaint.
    pub longest_gap_ms: f64,
    /// Sum of Long Task durations (tasks ≥ 50 ms that kept the main thread busy), ms.
    pub blocked_ms: f64,
    /// The most recent gaps between frames, oldest first, for the strip chart.
    pub recent_gaps_ms: Vec<f64>,
}

/// The strip chart over time: each gap as `(start, width)`, fractions of the time the recent
/// gaps span, so a 2 s freeze is as wide as 2 s of smooth frames.
pub fn strip_spans(gaps: &[f64]) -> Vec<(f64, f64)> {
    let total: f64 = gaps.iter().map(|g| g.max(0.0)).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    let mut start = 0.0;
    gaps.iter()
        .map(|&gap| {
            let width = gap.max(0.0) / total;
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
    pub fn starting_at(now: f64) -> Self {
        FrameLog {
            stats: FrameStats::default(),
            last_frame_at: Some(now),
        }
    }

    pub fn frame(&mut self, at: f64) {
        if let Some(last) = self.last_frame_at {
            let gap = (at - last).max(0.0);
            self.stats.longest_gap_ms = self.stats.longest_gap_ms.max(gap);
            self.stats.recent_gaps_ms.push(gap);
            let excess = self.stats.recent_gaps_ms.len().saturating_sub(STRIP_LEN);
            self.stats.recent_gaps_ms.drain(..excess);
        }
        self.stats.frames += 1;
        self.last_frame_at = Some(at);
    }

    pub fn long_task(&mut self, duration_ms: f64) {
        self.stats.blocked_ms += duration_ms;
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
        let spans = strip_spans(&[20.0, 20.0, 2000.0, 20.0, 20.0]);
        assert_eq!(spans.len(), 5);
        assert!((spans[2].0 - 40.0 / 2080.0).abs() < 1e-12);
        assert!((spans[2].1 - 2000.0 / 2080.0).abs() < 1e-12);
        let end = spans[4].0 + spans[4].1;
        assert!((end - 1.0).abs() < 1e-12);
        assert!(strip_spans(&[]).is_empty());
    }

    #[test]
    fn measures_gaps_from_the_start() {
        let mut log = FrameLog::starting_at(1000.0);
        log.frame(1016.0);
        log.frame(3050.0); // a 2 s freeze
        log.frame(3066.0);
        log.long_task(2030.0);
        let stats = log.stats();
        assert_eq!(stats.frames, 3);
        assert_eq!(stats.longest_gap_ms, 2034.0);
        assert_eq!(stats.blocked_ms, 2030.0);
        assert_eq!(stats.recent_gaps_ms, vec![16.0, 2034.0, 16.0]);
    }

    #[test]
    fn keeps_only_recent_gaps() {
        let mut log = FrameLog::starting_at(0.0);
        for i in 1..=500 {
            log.frame(i as f64 * 16.0);
        }
        assert_eq!(log.stats().recent_gaps_ms.len(), STRIP_LEN);
        assert_eq!(log.stats().frames, 500);
    }
}
