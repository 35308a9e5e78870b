//! The requests over time: one bar per request in the lane of the semaphore slot it held,
//! and how many were really on the wire together (from the browser's Resource Timing).

use super::choices::Kind;
use super::outcome::Outcome;
use crate::timeline::{Bar, BarItem};

/// What a request's bar carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    pub cc: String,
    pub kind: Kind,
    /// The code's index in the run's code list.
    pub row: usize,
    /// `None` while in flight.
    pub outcome: Option<Outcome>,
}

/// One request on the timeline; its lane is the lowest slot free when it started (at most
/// `actual_req` lanes when the semaphore holds).
pub type RequestBar = Bar<Request>;

impl BarItem for Request {
    /// `ok`, `not-found`, `error`, `cancelled` or `running`.
    fn class(&self) -> &'static str {
        self.outcome
            .as_ref()
            .map_or("running", |o| o.status().class())
    }

    /// `BR flag: OK, 0.412s`.
    fn title(bar: &Bar<Self>, now_ms: f64) -> String {
        let seconds = bar.seconds(now_ms);
        let Request { cc, kind, .. } = &bar.item;
        match &bar.item.outcome {
            Some(outcome) => format!("{cc} {}: {}, {seconds:.3}s", kind.key(), outcome.summary()),
            None => format!("{cc} {}: in flight, {seconds:.3}s so far", kind.key()),
        }
    }

    /// Why a request failed, in a word or two on its bar (the whole reason is its hover text).
    fn label(&self) -> Option<String> {
        match self.outcome.as_ref()? {
            Outcome::Error(failure) => Some(failure.short()),
            Outcome::NotFound { .. } => Some("404".to_string()),
            Outcome::Ok | Outcome::Cancelled => None,
        }
    }

    fn id(&self) -> Option<String> {
        Some(format!("{}-{}", self.cc, self.kind.key()))
    }
}

/// The lanes' names: `slot 1`, `slot 2`…
pub fn lane_names(slots: usize) -> Vec<String> {
    (1..=slots).map(|slot| format!("slot {slot}")).collect()
}

/// The timeline's legend.
pub const LEGEND: [(&str, &str); 4] = [
    ("ok", "OK"),
    ("not-found", "not found"),
    ("error", "error"),
    ("running", "in flight"),
];

/// The most intervals `[start, end)` open at the same moment: the requests that were really
/// on the wire together (from the browser's Resource Timing), as opposed to the fetch() calls
/// the page had started. An interval that ends as another starts does not overlap it.
pub fn peak_overlap(intervals: &[(f64, f64)]) -> usize {
    let valid = intervals.iter().filter(|(start, end)| end >= start);
    let mut starts: Vec<f64> = valid.clone().map(|&(start, _)| start).collect();
    let mut ends: Vec<f64> = valid.map(|&(_, end)| end).collect();
    // The same sort as the other labs' times: one copy of it in the page.
    starts.sort_by(f64::total_cmp);
    ends.sort_by(f64::total_cmp);
    // At each start: the intervals started so far, less those ended by then (an end at the
    // same instant first).
    let mut ended = 0;
    let mut peak = 0;
    for (i, start) in starts.iter().enumerate() {
        while ends.get(ended).is_some_and(|end| end.total_cmp(start).is_le()) {
            ended += 1;
        }
        peak = peak.max((i + 1).saturating_sub(ended));
    }
    peak
}

#[cfg(test)]
mod tests {
    use super::super::outcome::Failure;
    use super::*;

    #[test]
    fn peak_overlap_counts_what_was_open_together() {
        assert_eq!(peak_overlap(&[]), 0);
        assert_eq!(peak_overlap(&[(0.0, 10.0)]), 1);
        assert_eq!(
            peak_overlap(&[(0.0, 10.0), (10.0, 20.0)]),
            1,
            "back to back"
        );
        assert_eq!(
            peak_overlap(&[(0.0, 10.0), (5.0, 20.0), (6.0, 7.0), (19.0, 30.0)]),
            3
        );
        let six_at_a_time: Vec<(f64, f64)> = (0..30)
            .map(|i| ((i / 6) as f64 * 10.0, (i / 6 + 1) as f64 * 10.0))
            .collect();
        assert_eq!(peak_overlap(&six_at_a_time), 6);
        assert_eq!(peak_overlap(&[(5.0, 5.0), (5.0, 5.0), (5.0, 9.0)]), 1);
        assert_eq!(peak_overlap(&[(1.0, 0.0), (f64::NAN, 2.0)]), 0, "not intervals");
    }

    /// The sweep over all edges, sorted with ends first at the same instant.
    fn peak_by_edges(intervals: &[(f64, f64)]) -> usize {
        let mut edges: Vec<(f64, i32)> = intervals
            .iter()
            .filter(|(start, end)| end >= start)
            .flat_map(|&(start, end)| [(start, 1), (end, -1)])
            .collect();
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut open, mut peak) = (0i32, 0i32);
        for (_, delta) in edges {
            open += delta;
            peak = peak.max(open);
        }
        peak as usize
    }

    #[test]
    fn peak_overlap_is_the_edge_sweep() {
        let mut seed = 7u64;
        let mut next = move |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for _ in 0..2000 {
            let intervals: Vec<(f64, f64)> = (0..next(12))
                .map(|_| (next(8) as f64, next(8) as f64))
                .collect();
            assert_eq!(peak_overlap(&intervals), peak_by_edges(&intervals), "{intervals:?}");
        }
    }

    #[test]
    fn bars_say_their_state_and_time() {
        let mut bar = Bar::new(
            1,
            100.0,
            Request {
                cc: "BR".into(),
                kind: Kind::Flag,
                row: 0,
                outcome: None,
            },
        );
        assert_eq!(bar.item.class(), "running");
        assert_eq!(Request::title(&bar, 600.0), "BR flag: in flight, 0.500s so far");
        bar.end_ms = Some(512.0);
        bar.item.outcome = Some(Outcome::Ok);
        assert_eq!(Request::title(&bar, 9e9), "BR flag: OK, 0.412s");
        assert_eq!(bar.item.label(), None);
        bar.item.outcome = Some(Outcome::Error(Failure::Timeout { after_s: 3.1 }));
        assert_eq!(bar.item.label().as_deref(), Some("timed out"));
        assert_eq!(Request::title(&bar, 9e9), "BR flag: timed out after 3.1s, 0.412s");
        bar.item.outcome = Some(super::super::testing::teapot());
        assert_eq!(bar.item.label().as_deref(), Some("HTTP 418"));
        assert_eq!(bar.item.id().as_deref(), Some("BR-flag"));
        assert_eq!(lane_names(2), ["slot 1", "slot 2"]);
    }
}
