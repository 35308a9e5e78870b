//! "What happened" after a flags run: the lesson in one sentence, from the requests' times
//! on the timeline, the peak in flight, what the browser really had on the wire, and why
//! each failure failed.

use std::collections::BTreeMap;

use super::outcome::{Failure, Outcome, Status};
use super::report::blocked_counts;
use super::session::Session;
use crate::pyfmt::plural;
use crate::text::seconds_prose;

/// How many connections to one host browsers open over HTTP/1.1 (Chromium, Firefox, Safari).
pub const HTTP1_CONNECTIONS_PER_HOST: usize = 6;

/// The last run's sentence; `None` before the first run and while one runs. `wire_peak` is
/// the most flag requests the browser had on the wire at once (Resource Timing; 0 unknown).
pub fn what_happened(session: &Session, wire_peak: usize) -> Option<String> {
    if session.is_running() {
        return None;
    }
    let row = session.history.last()?;
    let elapsed = seconds_prose(row.elapsed_s);
    // The requests that ended on their own (not cut short by Stop), in seconds.
    let times: Vec<f64> = session
        .timeline
        .iter()
        .filter(|bar| bar.item.outcome.as_ref().is_some_and(|o| *o != Outcome::Cancelled))
        .map(|bar| bar.seconds(0.0))
        .collect();
    let sum = seconds_prose(times.iter().sum());
    let slowest = seconds_prose(times.iter().copied().fold(0.0, f64::max));
    let requests = plural(times.len(), "request", "requests");
    // The browser times only requests it sent and saw answered: with some aborted (timeout,
    // no answer), a lower wire peak proves queueing only when it is the connection limit.
    let aborted = session.outcomes.iter().flatten().any(|o| {
        matches!(o, Outcome::Cancelled | Outcome::Error(Failure::Timeout { .. } | Failure::Network { .. }))
    });
    let queued = wire_peak > 0
        && wire_peak < row.peak_in_flight
        && (!aborted || wire_peak == HTTP1_CONNECTIONS_PER_HOST);

    let mut parts = vec![if row.stopped {
        format!(
            "Stopped after {elapsed}: {} downloaded, {} cancelled",
            plural(row.counts.ok, "flag", "flags"),
            row.counts.cancelled
        )
    } else if row.peak_in_flight <= 1 {
        format!(
            "{requests} one after another took {elapsed}, the sum of their times ({sum}); the \
             slowest took {slowest}"
        )
    } else {
        format!(
            "{requests}, up to {} in flight at once (the limit was {}), took {elapsed} in all, \
             though their times add up to {sum} and the slowest alone took {slowest}",
            row.peak_in_flight, row.max_concurrent
        )
    }];
    if queued {
        let mut text = format!(
            "only {wire_peak} were on the wire at once: the browser queued the rest until one of \
             its connections to the server was free"
        );
        if wire_peak == HTTP1_CONNECTIONS_PER_HOST {
            text += &format!(
                " (over HTTP/1.1 it opens at most {HTTP1_CONNECTIONS_PER_HOST} connections per \
                 host)"
            );
        }
        parts.push(text);
    }
    parts.extend(failures(session, queued.then_some(wire_peak)));
    if row.counts.not_found > 0 {
        parts.push(format!("{} not found (404)", row.counts.not_found));
    }
    let mut text = parts.join("; ");
    text.push('.');
    Some(text)
}

/// The failures, grouped by cause: `2 timed out after 3.1 s`, `3 answered HTTP 418`.
fn failures(session: &Session, wire_peak: Option<usize>) -> Vec<String> {
    let mut timeouts: BTreeMap<String, usize> = BTreeMap::new();
    let mut statuses: BTreeMap<u16, usize> = BTreeMap::new();
    let mut other = 0;
    for outcome in session.outcomes.iter().flatten() {
        match outcome {
            Outcome::Error(Failure::Timeout { after_s }) => {
                *timeouts.entry(format!("{after_s}")).or_default() += 1;
            }
            Outcome::Error(Failure::Http { status, .. }) => *statuses.entry(*status).or_default() += 1,
            Outcome::Error(Failure::Network { .. }) => {}
            outcome if outcome.status() == Status::Error => other += 1,
            _ => {}
        }
    }
    let mut parts: Vec<String> = timeouts
        .into_iter()
        .map(|(after, count)| {
            let mut text = format!("{} timed out after {after} s", plural(count, "request", "requests"));
            // Only when the browser's own figure shows requests waited for a connection.
            match wire_peak {
                Some(HTTP1_CONNECTIONS_PER_HOST) => {
                    text += &format!(
                        ", counted from fetch(): time queued for one of Chromium's \
                         {HTTP1_CONNECTIONS_PER_HOST} connections per host included"
                    );
                }
                Some(_) => text += ", counted from fetch(): time queued for a free connection included",
                None => {}
            }
            text
        })
        .collect();
    parts.extend(
        statuses
            .into_iter()
            .map(|(status, count)| format!("{count} answered HTTP {status}")),
    );
    parts.extend(
        blocked_counts(&session.outcomes)
            .into_iter()
            .map(|(why, count)| format!("{count} {}", why.label())),
    );
    if other > 0 {
        parts.push(plural(other, "other error", "other errors"));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::super::choices::Kind;
    use super::super::form::Field;
    use super::super::session::Event;
    use super::super::testing::{plan_for, teapot};
    use super::*;
    use crate::labs::LabSession;

    /// A run of `codes`, each request (cc, start ms, end ms, outcome), ended at `elapsed_s`.
    fn run(mode: &str, codes: &str, requests: &[(&str, f64, f64, Outcome)], elapsed_s: f64) -> Session {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, mode),
            (Field::CountryCodes, codes),
        ])));
        // Every start and end in time order, an end before a start at the same moment.
        let mut moments: Vec<(f64, bool, usize)> = (0..requests.len())
            .flat_map(|i| [(requests[i].1, true, i), (requests[i].2, false, i)])
            .collect();
        moments.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        for (at_ms, start, i) in moments {
            let (cc, outcome) = (requests[i].0.to_string(), requests[i].3.clone());
            if start {
                s.apply(Event::RequestStarted {
                    cc,
                    kind: Kind::Flag,
                    at_ms,
                });
            } else {
                s.apply(Event::RequestFinished {
                    cc: cc.clone(),
                    kind: Kind::Flag,
                    at_ms,
                    outcome: outcome.clone(),
                });
                s.apply(Event::ItemDone { cc, outcome, at_ms });
            }
        }
        assert_eq!(what_happened(&s, 0), None, "running");
        s.apply(Event::Finished { elapsed_s });
        s
    }

    #[test]
    fn sequential_takes_the_sum_of_the_times() {
        let s = run(
            "sequential",
            "BR CN IN",
            &[
                ("BR", 0.0, 500.0, Outcome::Ok),
                ("CN", 500.0, 1200.0, Outcome::Ok),
                ("IN", 1200.0, 1510.0, Outcome::Ok),
            ],
            1.52,
        );
        assert_eq!(
            what_happened(&s, 1).unwrap(),
            "3 requests one after another took 1.52 s, the sum of their times (1.51 s); the \
             slowest took 0.70 s."
        );
    }

    #[test]
    fn concurrent_takes_about_the_slowest_and_says_why_requests_failed() {
        let timeout = Outcome::Error(Failure::Timeout { after_s: 3.1 });
        let s = run(
            "flags2",
            "BR CN IN US",
            &[
                ("BR", 0.0, 400.0, Outcome::Ok),
                ("CN", 0.0, 3100.0, timeout.clone()),
                ("IN", 0.0, 3100.0, timeout),
                ("US", 0.0, 900.0, teapot()),
            ],
            3.11,
        );
        assert_eq!(
            what_happened(&s, 2).unwrap(),
            "4 requests, up to 4 in flight at once (the limit was 4), took 3.11 s in all, though \
             their times add up to 7.50 s and the slowest alone took 3.10 s; 2 requests timed \
             out after 3.1 s; 1 answered HTTP 418."
        );
        // 2 answered on the wire proves nothing when 2 others were aborted unanswered; nor
        // does the browser's figure when it has none.
        let text = what_happened(&s, 0).unwrap();
        assert!(!text.contains("queued"), "{text}");
        assert!(text.contains("2 requests timed out after 3.1 s;"), "{text}");
    }

    #[test]
    fn the_connection_limit_is_named_only_when_the_browser_figure_shows_it() {
        let blocked = Outcome::Error(Failure::Network {
            why: super::super::blocked::Blocked::CorsOrNetwork,
            reason: "Failed to fetch".to_string(),
        });
        let codes = "AA AB AC AD AE AF AG AH";
        let requests: Vec<(&str, f64, f64, Outcome)> = codes
            .split(' ')
            .enumerate()
            .map(|(i, cc)| {
                let outcome = if i < 2 { blocked.clone() } else { Outcome::Ok };
                (cc, 0.0, if i < 6 { 1000.0 } else { 2000.0 }, outcome)
            })
            .collect();
        let s = run("flags2", codes, &requests, 2.01);
        let six = what_happened(&s, 6).unwrap();
        assert!(
            six.contains(
                "only 6 were on the wire at once: the browser queued the rest until one of its \
                 connections to the server was free (over HTTP/1.1 it opens at most 6 \
                 connections per host)"
            ),
            "{six}"
        );
        assert!(six.ends_with("; 2 blocked or unreachable (CORS or network)."), "{six}");
        // Timeouts behind Chromium's 6 connections say where their time went.
        let timeout = Outcome::Error(Failure::Timeout { after_s: 3.1 });
        let queued: Vec<(&str, f64, f64, Outcome)> = codes
            .split(' ')
            .enumerate()
            .map(|(i, cc)| (cc, 0.0, if i < 6 { 1000.0 } else { 3100.0 }, if i < 6 { Outcome::Ok } else { timeout.clone() }))
            .collect();
        let s = run("flags2", codes, &queued, 3.11);
        let text = what_happened(&s, 6).unwrap();
        assert!(
            text.ends_with(
                "; 2 requests timed out after 3.1 s, counted from fetch(): time queued for one \
                 of Chromium's 6 connections per host included."
            ),
            "{text}"
        );
        // Fewer on the wire than 6: queued, but no claim about the limit; none when unknown.
        assert!(!what_happened(&s, 4).unwrap().contains("per host"));
        assert!(!what_happened(&s, 0).unwrap().contains("per host"));
        // All 8 on the wire: nothing waited, nothing to explain.
        assert!(!what_happened(&s, 8).unwrap().contains("queued"));
    }

    #[test]
    fn a_stopped_run_counts_what_was_cancelled() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[(Field::CountryCodes, "BR CN")])));
        s.apply(Event::RequestStarted {
            cc: "BR".into(),
            kind: Kind::Flag,
            at_ms: 0.0,
        });
        s.apply(Session::cancelled(0.42));
        assert_eq!(
            what_happened(&s, 1).unwrap(),
            "Stopped after 0.42 s: 0 flags downloaded, 2 cancelled."
        );
    }
}
