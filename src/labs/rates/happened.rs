//! "What happened" after a rates run: the lesson in one sentence, from the elapsed time
//! against the server's latency, the request starts on the timeline (throttling), the
//! frame gaps (a blocked main thread) and the requests that failed.

use super::choices::{Pulling, Script, Shape};
use super::history::HistoryRow;
use super::session::{Outcome, Session};
use super::timeline::Timeline;
use crate::meter::NOTICEABLE_GAP_MS;
use crate::pyfmt::plural;
use crate::text::{millis, seconds_prose};

/// The last run's sentence; `None` before the first run and while one runs.
pub fn what_happened(session: &Session) -> Option<String> {
    if session.is_running() {
        return None;
    }
    Some(sentence(session.history.last()?, &session.timeline))
}

/// The sentence for `row`, whose requests are on `timeline`.
pub fn sentence(row: &HistoryRow, timeline: &Timeline) -> String {
    let p = &row.params;
    let elapsed = seconds_prose(row.elapsed_s);
    let n = p.bases.len();
    let requests = plural(n, "request", "requests");
    let count = |ok: bool| {
        timeline
            .bars
            .iter()
            .filter(|b| b.item.ok == Some(ok))
            .count()
    };
    let (answered, failed) = (count(true), count(false));
    match &row.outcome {
        Outcome::Failed(reason) => return format!("The run could not start: {reason}."),
        Outcome::Cancelled => {
            return format!("Stopped after {elapsed}: {answered} of {requests} answered.");
        }
        Outcome::Raised(line) => {
            let name = line.split(':').next().unwrap_or_default();
            let name = name.rsplit('.').next().unwrap_or(name);
            return format!(
                "{name} reached the main program and ended it after {elapsed}: {failed} of \
                 {requests} failed, {answered} answered."
            );
        }
        Outcome::Hung { undone } => {
            return format!(
                "{} killed {} thread{}, so work_queue.join() would wait forever for {} undone; \
                 the run was ended after {elapsed}.",
                plural(failed, "failed request", "failed requests"),
                if failed == 1 { "its" } else { "their" },
                if failed == 1 { "" } else { "s" },
                plural(*undone, "base", "bases")
            );
        }
        Outcome::Completed => {}
    }
    let latency = p.server.latency_s;
    // `1.57 s ≈ 5.2 × the 0.3 s latency`, or just the time when there is no latency.
    let timing = if latency > 0.0 {
        format!(
            "{elapsed} ≈ {:.1} × the {latency} s latency",
            row.elapsed_s / latency
        )
    } else {
        elapsed.clone()
    };
    let gap = row.stats.longest_gap_ms;
    let mut text = match (p.script, p.script.shape()) {
        (_, Shape::MainThread) if gap >= NOTICEABLE_GAP_MS => format!(
            "{requests} one after another: {timing}, and the page froze for {} while they \
             blocked the main thread.",
            millis(gap)
        ),
        (_, Shape::MainThread) => format!(
            "{requests} one after another: {timing}; the longest gap between frames was {}.",
            millis(gap)
        ),
        (_, Shape::EventLoop) => format!(
            "One task per base on the event loop: all {n} in {timing}, the requests overlapping."
        ),
        (_, Shape::Workers(Pulling::OnePerItem)) => {
            format!("A thread per base: all {n} in {timing}, the requests overlapping.")
        }
        (Script::Throttling, _) => {
            let starts = timeline.starts_ms();
            match (starts.first(), starts.last()) {
                (Some(first), Some(last)) if starts.len() > 1 => format!(
                    "The throttle spaced the {requests} {} apart on average (1/rate = {}): \
                     {timing} with {}.",
                    millis((last - first) / (starts.len() - 1) as f64),
                    millis(1000.0 / p.rate),
                    plural(p.workers, "worker", "workers")
                ),
                _ => format!("One request through the throttle: {timing}."),
            }
        }
        _ => {
            let rounds = n.div_ceil(p.workers.max(1));
            format!(
                "{} shared {requests}: {timing}, as ⌈{n}/{}⌉ = {} would take.",
                plural(p.workers, "worker", "workers"),
                p.workers,
                plural(rounds, "round", "rounds")
            )
        }
    };
    // A thread that died prints its traceback; the program goes on without its line.
    if failed > 0 {
        text.pop();
        text += &format!("; {failed} of them failed and printed no rate.");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::super::form::{Field, RatesForm};
    use super::*;
    use crate::labs::LabForm;
    use crate::labs::form::FormText;
    use crate::meter::FrameStats;

    fn row(pairs: &[(Field, &str)], elapsed_s: f64, gap: f64, outcome: Outcome) -> HistoryRow {
        HistoryRow {
            run_no: 1,
            params: RatesForm::default().with(pairs).validate().unwrap(),
            elapsed_s,
            startup_ms: 0.0,
            stats: FrameStats {
                longest_gap_ms: gap,
                ..Default::default()
            },
            outcome,
        }
    }

    /// A timeline of requests (start ms, ok).
    fn timeline(requests: &[(f64, bool)]) -> Timeline {
        let mut t = Timeline::new(vec!["Thread-1".into()]);
        for (item, &(start, ok)) in requests.iter().enumerate() {
            t.sent(item, 0, "USD", start);
            t.answered(item, start + 300.0, ok);
        }
        t
    }

    #[test]
    fn synchronous_takes_bases_times_latency_and_freezes_the_page() {
        let sync = row(&[(Field::Script, "synchronous")], 1.57, 1571.0, Outcome::Completed);
        assert_eq!(
            sentence(&sync, &Timeline::default()),
            "5 requests one after another: 1.57 s ≈ 5.2 × the 0.3 s latency, and the page \
             froze for 1,571 ms while they blocked the main thread."
        );
    }

    #[test]
    fn a_thread_per_base_takes_about_one_latency() {
        let r = row(&[(Field::Script, "one_thread_per_item")], 0.35, 17.0, Outcome::Completed);
        assert_eq!(
            sentence(&r, &Timeline::default()),
            "A thread per base: all 5 in 0.35 s ≈ 1.2 × the 0.3 s latency, the requests overlapping."
        );
    }

    #[test]
    fn a_dead_thread_is_counted() {
        let r = row(&[(Field::Script, "one_thread_per_item")], 0.33, 17.0, Outcome::Completed);
        let t = timeline(&[(0.0, true), (0.0, false), (0.0, false)]);
        assert!(sentence(&r, &t).ends_with("overlapping; 2 of them failed and printed no rate."));
    }

    #[test]
    fn a_pool_takes_rounds() {
        let r = row(&[(Field::Workers, "4")], 0.66, 17.0, Outcome::Completed);
        assert_eq!(
            sentence(&r, &Timeline::default()),
            "4 workers shared 5 requests: 0.66 s ≈ 2.2 × the 0.3 s latency, as ⌈5/4⌉ = 2 \
             rounds would take."
        );
    }

    #[test]
    fn throttling_reports_the_measured_spacing() {
        let r = row(&[(Field::Script, "throttling")], 0.72, 17.0, Outcome::Completed);
        let t = timeline(&[(0.0, true), (101.0, true), (199.0, true), (300.0, true), (404.0, true)]);
        assert_eq!(
            sentence(&r, &t),
            "The throttle spaced the 5 requests 101 ms apart on average (1/rate = 100 ms): \
             0.72 s ≈ 2.4 × the 0.3 s latency with 4 workers."
        );
    }

    #[test]
    fn errors_say_what_they_did() {
        let t = timeline(&[(0.0, true), (0.0, false), (0.0, true)]);
        let raised = Outcome::Raised("requests.exceptions.HTTPError: 500 Server Error".into());
        let r = row(&[(Field::Script, "error_handling")], 0.31, 17.0, raised);
        assert_eq!(
            sentence(&r, &t),
            "HTTPError reached the main program and ended it after 0.31 s: 1 of 5 requests \
             failed, 2 answered."
        );
        let r = row(&[], 1.0, 17.0, Outcome::Hung { undone: 2 });
        assert_eq!(
            sentence(&r, &t),
            "1 failed request killed its thread, so work_queue.join() would wait forever for 2 \
             bases undone; the run was ended after 1.00 s."
        );
    }
}
