//! "What happened" after an executors run: the lesson in one sentence, from the futures'
//! end and delivery times — how long map held finished results behind a slower call
//! submitted before them, or that as_completed handed each one over as it finished.

use super::choices::{Collect, Demo};
use super::history::{HistoryRow, RunOutcome};
use super::jobs::{JobRow, JobStatus};
use super::session::Session;
use crate::pyfmt::plural;
use crate::text::seconds_prose;

/// A result delivered within this long of its job's end was not held (script ms).
const HELD_MS: f64 = 5.0;
/// How many calls the sentence lists before `…`.
const LISTED: usize = 5;

/// The last run's sentence; `None` before the first run, while one runs, or when the
/// run could not start (its notice says why).
pub fn what_happened(session: &Session) -> Option<String> {
    if session.is_running() {
        return None;
    }
    sentence(session.history.last()?, &session.jobs)
}

/// The sentence for a run, from its history row and its jobs (script ms).
pub fn sentence(row: &HistoryRow, jobs: &[JobRow]) -> Option<String> {
    let elapsed = seconds_prose(row.elapsed_s);
    let text = match row.outcome {
        RunOutcome::Failed => return None,
        RunOutcome::Cancelled {
            cancelled,
            abandoned,
        } => format!(
            "Stopped after {elapsed}: {} cancelled while pending, {} abandoned while running — \
             a future that has started cannot be cancelled.",
            plural(cancelled, "job", "jobs"),
            plural(abandoned, "job", "jobs")
        ),
        RunOutcome::StoppedAtError { result } => {
            let failed = jobs.get(result).map_or(String::new(), |j| j.call.clone());
            let at = jobs
                .get(result)
                .and_then(|j| j.delivered_ms)
                .map_or(elapsed.clone(), |ms| seconds_prose(ms / 1000.0));
            let cancelled = jobs
                .iter()
                .filter(|j| j.status == JobStatus::Cancelled)
                .count();
            format!(
                "map stopped at result {result}: {failed} raised, the loop ended when it reached \
                 that result at {at}, and {} still pending {} cancelled.",
                plural(cancelled, "job", "jobs"),
                if cancelled == 1 { "was" } else { "were" }
            )
        }
        RunOutcome::Completed { failed, .. } => {
            let mut text = match (row.params.demo, row.params.collect) {
                (Demo::Loiter, Collect::Map) => map_sentence(jobs),
                (Demo::Loiter, Collect::AsCompleted) => as_completed_sentence(jobs),
                (Demo::FlagsAc, _) => flags_sentence(jobs, row.params.workers, &elapsed),
            };
            if failed > 0 {
                text.pop();
                text += &format!("; {} raised.", plural(failed, "job", "jobs"));
            }
            text
        }
    };
    Some(text)
}

/// map: which results waited, the longest wait, and the slower call it waited behind.
fn map_sentence(jobs: &[JobRow]) -> String {
    let held: Vec<&JobRow> = jobs
        .iter()
        .filter(|j| j.held_ms().is_some_and(|ms| ms >= HELD_MS))
        .collect();
    let Some(longest) = held
        .iter()
        .copied()
        .max_by(|a, b| a.held_ms().unwrap_or(0.0).total_cmp(&b.held_ms().unwrap_or(0.0)))
    else {
        return format!(
            "map yielded each result as soon as it finished: the jobs ended in the order they \
             were submitted, so no result waited (the last arrived at {}).",
            last_delivery(jobs)
        );
    };
    // map yields in submission order: the blocker is the latest-ending job submitted earlier.
    let blocker = jobs[..longest.id]
        .iter()
        .filter(|j| j.end_ms.is_some())
        .max_by(|a, b| a.end_ms.unwrap_or(0.0).total_cmp(&b.end_ms.unwrap_or(0.0)));
    let behind = blocker.map_or(String::new(), |b| {
        format!(
            " behind {}, submitted earlier and done at {}",
            b.call,
            seconds_prose(b.end_ms.unwrap_or(0.0) / 1000.0)
        )
    });
    format!(
        "map yielded results in submission order: {} of {} waited after finishing — {} the \
         longest, {}{behind}.",
        held.len(),
        plural(jobs.len(), "result", "results"),
        longest.call,
        seconds_prose(longest.held_ms().unwrap_or(0.0) / 1000.0)
    )
}

/// as_completed: the delivery order, and the longest a finished result waited.
fn as_completed_sentence(jobs: &[JobRow]) -> String {
    let order = delivery_order(jobs);
    let in_submission_order = order.windows(2).all(|w| w[0].id < w[1].id);
    let longest_wait = jobs.iter().filter_map(JobRow::held_ms).fold(0.0, f64::max);
    format!(
        "as_completed yielded each result as its job finished — {} ({}) — and none waited \
         more than {} ms after its job ended.",
        calls(&order),
        if in_submission_order {
            "which here is also submission order"
        } else {
            "not submission order"
        },
        longest_wait.round()
    )
}

/// flags_threadpool_ac: how many futures waited pending for a worker, and the order.
fn flags_sentence(jobs: &[JobRow], workers: usize, elapsed: &str) -> String {
    let first_start = jobs
        .iter()
        .filter_map(|j| j.start_ms)
        .fold(f64::INFINITY, f64::min);
    let waited = jobs
        .iter()
        .filter(|j| j.start_ms.is_some_and(|s| s - first_start >= HELD_MS))
        .count();
    format!(
        "{} on {} took {elapsed}: {waited} waited pending for a free worker, and as_completed \
         yielded them as they finished — {}.",
        plural(jobs.len(), "download", "downloads"),
        plural(workers, "worker", "workers"),
        calls(&delivery_order(jobs))
    )
}

/// The delivered jobs, in the order the loop received them.
fn delivery_order(jobs: &[JobRow]) -> Vec<&JobRow> {
    let mut delivered: Vec<&JobRow> = jobs.iter().filter(|j| j.delivered_ms.is_some()).collect();
    delivered.sort_by(|a, b| {
        a.delivered_ms
            .unwrap_or(0.0)
            .total_cmp(&b.delivered_ms.unwrap_or(0.0))
    });
    delivered
}

/// `loiter(1), loiter(2), loiter(0)`, the first few then `…`.
fn calls(order: &[&JobRow]) -> String {
    let mut names: Vec<String> = order.iter().take(LISTED).map(|j| j.call.clone()).collect();
    if order.len() > LISTED {
        names.push("…".to_string());
    }
    names.join(", ")
}

fn last_delivery(jobs: &[JobRow]) -> String {
    let last = jobs.iter().filter_map(|j| j.delivered_ms).fold(0.0, f64::max);
    seconds_prose(last / 1000.0)
}

#[cfg(test)]
mod tests {
    use super::super::form::{ExecutorsForm, Field};
    use super::*;
    use crate::labs::LabForm;
    use crate::labs::form::FormText;

    fn params(collect: &str) -> super::super::form::ExecutorsParams {
        ExecutorsForm::default()
            .with(&[(Field::CollectWith, collect)])
            .validate()
            .unwrap()
    }

    /// A finished loiter job: (id, call, end, delivered), started at 0 (script ms).
    fn job(id: usize, secs: f64, delivered_ms: f64) -> JobRow {
        let mut row = JobRow::pending(id, format!("loiter({secs})"));
        row.status = JobStatus::Finished;
        row.slot = Some(id);
        row.start_ms = Some(0.0);
        row.end_ms = Some(secs * 1000.0);
        row.outcome = Some(Ok(format!("{}", secs * 10.0)));
        row.delivered_ms = Some(delivered_ms);
        row
    }

    fn row(collect: &str, elapsed_s: f64, outcome: RunOutcome) -> HistoryRow {
        HistoryRow {
            run_no: 1,
            params: params(collect),
            elapsed_s,
            first_result_s: None,
            outcome,
        }
    }

    const DONE: RunOutcome = RunOutcome::Completed { ok: 4, failed: 0 };

    #[test]
    fn map_names_the_longest_wait_and_what_it_waited_behind() {
        // Delays 3 0 1 2: everything waits for loiter(3).
        let jobs = [
            job(0, 3.0, 3000.0),
            job(1, 0.0, 3001.0),
            job(2, 1.0, 3002.0),
            job(3, 2.0, 3002.5),
        ];
        let text = sentence(&row("map", 3.0, DONE), &jobs).unwrap();
        assert_eq!(
            text,
            "map yielded results in submission order: 3 of 4 results waited after finishing — \
             loiter(0) the longest, 3.00 s behind loiter(3), submitted earlier and done at 3.00 s."
        );
        // A different run, different figures.
        let jobs = [job(0, 1.5, 1500.0), job(1, 0.5, 1510.0)];
        let text = sentence(&row("map", 1.5, DONE), &jobs).unwrap();
        assert!(text.contains("1 of 2 results") && text.contains("1.01 s behind loiter(1.5)"), "{text}");
    }

    #[test]
    fn map_in_order_says_nothing_waited() {
        let jobs = [job(0, 0.0, 1.0), job(1, 1.0, 1001.0), job(2, 2.0, 2001.0)];
        let text = sentence(&row("map", 2.0, DONE), &jobs).unwrap();
        assert!(text.contains("no result waited (the last arrived at 2.00 s)"), "{text}");
    }

    #[test]
    fn as_completed_lists_the_completion_order() {
        let jobs = [job(0, 3.0, 3002.0), job(1, 0.0, 1.0), job(2, 1.0, 1000.0)];
        let text = sentence(&row("as_completed", 3.0, DONE), &jobs).unwrap();
        assert_eq!(
            text,
            "as_completed yielded each result as its job finished — loiter(0), loiter(1), \
             loiter(3) (not submission order) — and none waited more than 2 ms after its job ended."
        );
    }

    #[test]
    fn errors_and_stops_are_counted() {
        let mut failed = job(1, 1.0, 1000.0);
        failed.status = JobStatus::Failed;
        let mut cancelled = JobRow::pending(2, "loiter(2)".into());
        cancelled.status = JobStatus::Cancelled;
        let jobs = [job(0, 0.0, 0.0), failed, cancelled];
        let text = sentence(&row("map", 1.0, RunOutcome::StoppedAtError { result: 1 }), &jobs);
        assert_eq!(
            text.unwrap(),
            "map stopped at result 1: loiter(1) raised, the loop ended when it reached that \
             result at 1.00 s, and 1 job still pending was cancelled."
        );
        let stop = RunOutcome::Cancelled {
            cancelled: 2,
            abandoned: 1,
        };
        let text = sentence(&row("map", 0.25, stop), &[]).unwrap();
        assert!(text.starts_with("Stopped after 0.25 s: 2 jobs cancelled while pending, 1 job abandoned"));
        assert_eq!(sentence(&row("map", 0.0, RunOutcome::Failed), &[]), None);
    }
}
