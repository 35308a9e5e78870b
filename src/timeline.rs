//! What every lab's timeline draws, as plain data: bars of work in lanes (workers, slots,
//! semaphore permits) from start to end, open while the work runs, and an optional
//! marker (e.g. when a result was delivered). Each lab's bar item says its state class
//! and hover text; the `ui::Timeline` component draws them all the same way.

/// One piece of work on a timeline: `item` in `lane` from `start_ms` to `end_ms`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar<T> {
    pub lane: usize,
    /// Relative to the start of the run.
    pub start_ms: f64,
    /// `None` while the work runs.
    pub end_ms: Option<f64>,
    /// A moment marked on the bar's lane (executors: the result was delivered).
    pub marker_ms: Option<f64>,
    pub item: T,
}

/// What a lab puts on its bars.
pub trait BarItem: Sized {
    /// The CSS class: the bar's state (`prime`, `running`, `ok`…).
    fn class(&self) -> &'static str;
    /// The hover text, `now_ms` being the right end of an open bar.
    fn title(bar: &Bar<Self>, now_ms: f64) -> String;
    /// Text written on the bar, if any.
    fn label(&self) -> Option<String> {
        None
    }
    /// An id for the bar's `data-id`.
    fn id(&self) -> Option<String> {
        None
    }
    /// The marker's hover text.
    fn marker_title(_bar: &Bar<Self>, _at_ms: f64) -> String {
        String::new()
    }
}

impl<T> Bar<T> {
    pub fn new(lane: usize, start_ms: f64, item: T) -> Self {
        Bar {
            lane,
            start_ms,
            end_ms: None,
            marker_ms: None,
            item,
        }
    }

    /// The right edge: the end, or `now_ms` while running.
    pub fn end_or(&self, now_ms: f64) -> f64 {
        self.end_ms.unwrap_or(now_ms.max(self.start_ms))
    }

    /// How long the bar is, in seconds (so far, while open).
    pub fn seconds(&self, now_ms: f64) -> f64 {
        (self.end_or(now_ms) - self.start_ms) / 1000.0
    }

    pub fn is_open(&self) -> bool {
        self.end_ms.is_none()
    }
}

/// The time axis' right end: the last end or marker, or `now_ms` while a bar is open.
pub fn span_ms<T>(bars: &[Bar<T>], now_ms: f64) -> f64 {
    bars.iter()
        .map(|b| b.end_or(now_ms).max(b.marker_ms.unwrap_or(0.0)))
        .fold(0.0, f64::max)
}

/// A bar ready to draw: times resolved against "now", texts made.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawn {
    pub lane: usize,
    pub start_ms: f64,
    pub end_ms: f64,
    pub class: &'static str,
    pub title: String,
    pub label: Option<String>,
    pub id: Option<String>,
    pub marker: Option<(f64, String)>,
}

/// Every bar of `bars` ready to draw at `now_ms`.
pub fn drawn<T: BarItem>(bars: &[Bar<T>], now_ms: f64) -> Vec<Drawn> {
    bars.iter()
        .map(|bar| Drawn {
            lane: bar.lane,
            start_ms: bar.start_ms,
            end_ms: bar.end_or(now_ms),
            class: bar.item.class(),
            title: T::title(bar, now_ms),
            label: bar.item.label(),
            id: bar.item.id(),
            marker: bar.marker_ms.map(|at| (at, T::marker_title(bar, at))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Job(&'static str);

    impl BarItem for Job {
        fn class(&self) -> &'static str {
            "job"
        }
        fn title(bar: &Bar<Self>, now_ms: f64) -> String {
            format!("{} {:.1}s", bar.item.0, bar.seconds(now_ms))
        }
        fn marker_title(bar: &Bar<Self>, at_ms: f64) -> String {
            format!("{} delivered at {at_ms}", bar.item.0)
        }
    }

    #[test]
    fn open_bars_grow_to_now_and_the_span_covers_markers() {
        let mut done = Bar::new(0, 0.0, Job("a"));
        done.end_ms = Some(1000.0);
        done.marker_ms = Some(2500.0);
        let open = Bar::new(1, 500.0, Job("b"));
        assert!(open.is_open() && !done.is_open());
        assert_eq!(open.end_or(100.0), 500.0, "never before its start");
        assert_eq!(open.seconds(2000.0), 1.5);
        let bars = [done, open];
        assert_eq!(span_ms(&bars, 2000.0), 2500.0);
        assert_eq!(span_ms(&bars, 3000.0), 3000.0);
        let drawn = drawn(&bars, 2000.0);
        assert_eq!(drawn[1].end_ms, 2000.0);
        assert_eq!(drawn[1].title, "b 1.5s");
        assert_eq!(
            drawn[0].marker,
            Some((2500.0, "a delivered at 2500".to_string()))
        );
    }
}
