//! The current pool's timeline: one lane per worker, one bar per job from when it was handed
//! out to its result — the picture of N workers computing at once.

use crate::timeline::{Bar, BarItem};

/// One job on the timeline; `done` once its result is in.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    /// Submission order, from 0.
    pub index: usize,
    pub size: usize,
    pub done: bool,
}

impl BarItem for Job {
    fn class(&self) -> &'static str {
        if self.done { "finished" } else { "running" }
    }

    fn title(bar: &Bar<Self>, now_ms: f64) -> String {
        let job = &bar.item;
        format!(
            "job {} ({:.1} KB): {}{:.3}s",
            job.index + 1,
            job.size as f64 / 1024.0,
            if job.done { "" } else { "running, " },
            bar.seconds(now_ms)
        )
    }
}

/// The legend: `(CSS class, text)` per bar state.
pub const LEGEND: [(&str, &str); 2] = [("finished", "done"), ("running", "computing")];

/// The bars of the pool now running (or the last one), times from the pool's start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub lanes: usize,
    pub bars: Vec<Bar<Job>>,
}

impl Timeline {
    pub fn new(lanes: usize) -> Self {
        Timeline {
            lanes,
            bars: Vec::new(),
        }
    }

    /// `lane` was handed job `index`.
    pub fn start(&mut self, lane: usize, index: usize, size: usize, at_ms: f64) {
        self.lanes = self.lanes.max(lane + 1);
        let job = Job {
            index,
            size,
            done: false,
        };
        self.bars.push(Bar::new(lane, at_ms, job));
    }

    /// `lane`'s job `index` is done.
    pub fn finish(&mut self, lane: usize, index: usize, at_ms: f64) {
        if let Some(bar) = self
            .bars
            .iter_mut()
            .find(|b| b.lane == lane && b.item.index == index && b.is_open())
        {
            bar.end_ms = Some(at_ms.max(bar.start_ms));
            bar.item.done = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_runs_from_hand_out_to_result() {
        let mut t = Timeline::new(2);
        t.start(1, 0, 2048, 5.0);
        assert_eq!(t.bars[0].item.class(), "running");
        t.finish(0, 0, 9.0); // another lane's result closes nothing
        assert!(t.bars[0].is_open());
        t.finish(1, 0, 12.0);
        assert_eq!((t.bars[0].end_ms, t.bars[0].item.class()), (Some(12.0), "finished"));
        assert_eq!(Job::title(&t.bars[0], 20.0), "job 1 (2.0 KB): 0.007s");
    }
}
