//! The run's timeline: one lane per worker (the page's for sequential-main), one bar per
//! number from when it was handed out to its answer — prime, composite, or still checking.

use crate::text::group_thousands;
use crate::timeline::{Bar, BarItem};

/// One number on the timeline; `prime` is `None` while it is being checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub n: u64,
    pub prime: Option<bool>,
}

impl BarItem for Check {
    fn class(&self) -> &'static str {
        match self.prime {
            Some(true) => "prime",
            Some(false) => "composite",
            None => "running",
        }
    }

    fn title(bar: &Bar<Self>, now_ms: f64) -> String {
        let seconds = bar.seconds(now_ms);
        let n = group_thousands(bar.item.n);
        match bar.item.prime {
            Some(prime) => format!(
                "{n}: {}, {seconds:.3}s",
                if prime { "prime" } else { "not prime" }
            ),
            None => format!("{n}: checking, {seconds:.3}s so far"),
        }
    }
}

/// The legend: `(CSS class, text)` per bar state.
pub const LEGEND: [(&str, &str); 3] = [
    ("prime", "prime"),
    ("composite", "composite"),
    ("running", "checking"),
];

/// The per-worker timeline of the current run (times from the timeline's clock).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub lanes: usize,
    pub bars: Vec<Bar<Check>>,
}

impl Timeline {
    pub fn new(lanes: usize) -> Self {
        Timeline {
            lanes,
            bars: Vec::new(),
        }
    }

    /// `lane` started checking `n`.
    pub fn start(&mut self, lane: usize, n: u64, at_ms: f64) {
        self.lanes = self.lanes.max(lane + 1);
        self.bars
            .push(Bar::new(lane, at_ms, Check { n, prime: None }));
    }

    /// `lane` answered `n`: closes its open bar, or draws one from the check's own time
    /// if the start was not seen.
    pub fn finish(&mut self, lane: usize, n: u64, prime: bool, elapsed_s: f64, at_ms: f64) {
        match self
            .bars
            .iter_mut()
            .rev()
            .find(|b| b.lane == lane && b.item.n == n && b.is_open())
        {
            Some(bar) => {
                bar.end_ms = Some(at_ms.max(bar.start_ms));
                bar.item.prime = Some(prime);
            }
            None => {
                self.lanes = self.lanes.max(lane + 1);
                let start_ms = (at_ms - elapsed_s * 1000.0).max(0.0);
                let mut bar = Bar::new(
                    lane,
                    start_ms,
                    Check {
                        n,
                        prime: Some(prime),
                    },
                );
                bar.end_ms = Some(at_ms);
                self.bars.push(bar);
            }
        }
    }
}
