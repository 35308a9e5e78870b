//! The run's timeline: a lane per thread, process or task; a bar per request from when it
//! went out to its answer, with a ◆ where the throttle granted its token or where its
//! exception surfaced in the main program.

use crate::timeline::{Bar, BarItem};

/// One request on the timeline.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub base: &'static str,
    /// `None` while in flight.
    pub ok: Option<bool>,
    /// The marker is where the exception surfaced (else the token grant).
    pub raised: bool,
}

impl BarItem for Request {
    fn class(&self) -> &'static str {
        match self.ok {
            Some(true) => "ok",
            Some(false) => "error",
            None => "running",
        }
    }

    fn title(bar: &Bar<Self>, now_ms: f64) -> String {
        let seconds = bar.seconds(now_ms);
        let base = bar.item.base;
        match bar.item.ok {
            Some(true) => format!("{base}: answered after {seconds:.3}s"),
            Some(false) => format!("{base}: failed after {seconds:.3}s"),
            None => format!("{base}: waiting {seconds:.3}s so far"),
        }
    }

    fn label(&self) -> Option<String> {
        Some(self.base.to_string())
    }

    fn marker_title(bar: &Bar<Self>, at_ms: f64) -> String {
        if bar.item.raised {
            format!("{}: the exception surfaced in main at {:.3}s", bar.item.base, at_ms / 1000.0)
        } else {
            format!("{}: token granted at {:.3}s", bar.item.base, at_ms / 1000.0)
        }
    }
}

/// The legend: `(CSS class, text)` per bar state.
pub const LEGEND: [(&str, &str); 3] = [("ok", "answered"), ("error", "failed"), ("running", "in flight")];

/// The requests of the current run, by request number.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub lanes: Vec<String>,
    pub bars: Vec<Bar<Request>>,
    /// Token grants seen before their request went out: (item, ms).
    granted: Vec<(usize, f64)>,
    /// Which bar is which request.
    items: Vec<usize>,
}

impl Timeline {
    pub fn new(lanes: Vec<String>) -> Self {
        Timeline {
            lanes,
            ..Timeline::default()
        }
    }

    fn bar_mut(&mut self, item: usize) -> Option<&mut Bar<Request>> {
        let index = self.items.iter().rposition(|i| *i == item)?;
        self.bars.get_mut(index)
    }

    pub fn granted(&mut self, item: usize, at_ms: f64) {
        self.granted.push((item, at_ms));
    }

    pub fn sent(&mut self, item: usize, lane: usize, base: &'static str, at_ms: f64) {
        let mut bar = Bar::new(lane, at_ms, Request { base, ok: None, raised: false });
        bar.marker_ms = self.granted.iter().find(|(i, _)| *i == item).map(|(_, at)| *at);
        self.bars.push(bar);
        self.items.push(item);
    }

    pub fn answered(&mut self, item: usize, at_ms: f64, ok: bool) {
        if let Some(bar) = self.bar_mut(item) {
            bar.end_ms = Some(at_ms.max(bar.start_ms));
            bar.item.ok = Some(ok);
        }
    }

    pub fn raised(&mut self, item: usize, at_ms: f64) {
        if let Some(bar) = self.bar_mut(item) {
            bar.marker_ms = Some(at_ms);
            bar.item.raised = true;
        }
    }

    /// Request start times, in order (ms from the run's start).
    pub fn starts_ms(&self) -> Vec<f64> {
        let mut starts: Vec<f64> = self.bars.iter().map(|b| b.start_ms).collect();
        starts.sort_by(f64::total_cmp);
        starts
    }
}
