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

/// Where a bar's label is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LabelPlace {
    Inside,
    /// Just after the bar's end, when the bar is too short to hold it.
    After,
    /// Neither fits (the hover text still names the bar).
    Hidden,
}

/// Where each bar's label goes when a label `char_w` wide per character must fit either in
/// its bar or between the bar's end and the next bar of its lane (or `right`), `x` turning
/// ms into the drawing's units.
pub fn label_places(
    bars: &[Drawn],
    x: impl Fn(f64) -> f64,
    char_w: f64,
    right: f64,
) -> Vec<LabelPlace> {
    const PAD: f64 = 4.0;
    bars.iter()
        .map(|bar| {
            let Some(label) = &bar.label else {
                return LabelPlace::Hidden;
            };
            let needed = label.chars().count() as f64 * char_w + 2.0 * PAD;
            let (x0, x1) = (x(bar.start_ms), x(bar.end_ms));
            let next = bars
                .iter()
                .filter(|b| {
                    b.lane == bar.lane && b.start_ms >= bar.end_ms && !std::ptr::eq(*b, bar)
                })
                .map(|b| x(b.start_ms))
                .fold(right, f64::min);
            if x1 - x0 >= needed {
                LabelPlace::Inside
            } else if next - x1 >= needed {
                LabelPlace::After
            } else {
                LabelPlace::Hidden
            }
        })
        .collect()
}

/// A bar whose marker comes after its end: the wait from its end to the marker, (end, marker).
pub fn wait(bar: &Drawn) -> Option<(f64, f64)> {
    // A marker within 5 ms of the end is the same moment (as the executors lab counts a wait).
    match bar.marker {
        Some((at, _)) if at > bar.end_ms + 5.0 => Some((bar.end_ms, at)),
        _ => None,
    }
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
        assert_eq!(wait(&drawn[0]), Some((1000.0, 2500.0)));
        assert_eq!(wait(&drawn[1]), None, "no marker, no wait");
    }

    fn labelled(lane: usize, start_ms: f64, end_ms: f64, label: &str) -> Drawn {
        Drawn {
            lane,
            start_ms,
            end_ms,
            class: "job",
            title: String::new(),
            label: Some(label.to_string()),
            id: None,
            marker: Some((end_ms + 0.5, String::new())),
        }
    }

    #[test]
    fn labels_go_inside_after_or_nowhere_by_the_room_they_have() {
        // 1 unit per ms, 10 units per character: "loiter(3)" needs 98.
        let bars = [
            labelled(0, 0.0, 300.0, "loiter(3)"),
            labelled(1, 0.0, 0.0, "loiter(0)"),
            labelled(2, 0.0, 50.0, "loiter(1)"),
            labelled(2, 100.0, 300.0, "loiter(2)"),
        ];
        let places = label_places(&bars, |ms| ms, 10.0, 300.0);
        use LabelPlace::*;
        assert_eq!(places, [Inside, After, Hidden, Inside]);
        assert_eq!(wait(&bars[1]), None, "delivered as it ended");
    }
}
