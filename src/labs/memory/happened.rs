//! "What happened" after a memory-lab run: the lesson in one sentence, from the count the
//! workers left in shared memory (and the earlier runs to compare with), or from what the
//! script printed — the order the processes answered in, the two pid lists, the sleeps.

use super::choices::{Demo, Sleep, Update};
use super::history::{HistoryRow, VisitsRow};
use super::session::{Outcome, Session};
use crate::labs::choice::Choice;
use crate::pyfmt::plural;
use crate::text::{group_thousands, millis};

/// The last run's sentence; `None` before the first run and while one runs.
pub fn what_happened(session: &Session) -> Option<String> {
    if session.is_running() {
        return None;
    }
    let params = session.last_params.as_ref()?;
    match session.outcome.as_ref()? {
        Outcome::Failed(reason) => return Some(format!("The run could not go on: {reason}.")),
        Outcome::Cancelled => {
            let workers = params.worker_count();
            return Some(if workers > 0 {
                format!(
                    "Stopped: {} terminated at once, mid-work; nothing they held is left behind.",
                    plural(workers, "worker was", "workers were")
                )
            } else {
                "Stopped: the coroutines were dropped where they waited.".to_string()
            });
        }
        Outcome::Completed => {}
    }
    let lines = &session.transcript;
    match params.demo {
        Demo::ThreadVisits => match session.history.last()? {
            HistoryRow::Counted(row) => Some(visits_sentence(row, &session.history)),
            HistoryRow::Stopped { .. } => None,
        },
        Demo::Forks => {
            let parent = list_after(lines, "PRNT: all the pids I know ")?;
            let child = list_after(lines, "CHLD: all the pids I know ")?;
            Some(format!(
                "Both lists started as the same copy; each side appended its own pid, so the parent \
                 now knows {parent} and the child {child} — memory diverges after the copy."
            ))
        }
        Demo::BasicMultiprocessing => {
            let order: Vec<&str> = lines
                .iter()
                .filter_map(|l| l.strip_prefix("Hey, I am the process "))
                .filter_map(|rest| rest.split(',').next())
                .collect();
            let started: Vec<String> = (0..order.len()).map(|i| i.to_string()).collect();
            let same = order.iter().copied().eq(started.iter().map(String::as_str));
            Some(format!(
                "The {} answered in the order {}{}.",
                plural(order.len(), "process", "processes"),
                order.join(" "),
                if same {
                    " — the order they were started in, this time; run again"
                } else {
                    ", not the order they were started in"
                }
            ))
        }
        Demo::Pipes => {
            let instance = lines.iter().any(|l| l.contains("arrived as"));
            let refused = lines.iter().any(|l| l.contains("DataCloneError"));
            Some(format!(
                "Every value arrived as a copy{}{}.",
                if instance {
                    "; the CustomClass instance lost its class on the way"
                } else {
                    ""
                },
                if refused {
                    ", and the function could not be sent at all (DataCloneError)"
                } else {
                    ""
                }
            ))
        }
        Demo::SharedCtypes => Some(format!(
            "The worker wrote the value and negated {} in memory the page reads directly: only a \
             \"done\" signal came back, no data.",
            plural(params.length as usize, "number", "numbers")
        )),
        Demo::AsyncHello => Some(
            "Calling async_hello() ran nothing — it only made the future printed first; hello \
             world! came when the future was run."
                .to_string(),
        ),
        Demo::AsyncPrint => {
            let order: Vec<&str> = lines
                .iter()
                .map(String::as_str)
                .filter(|l| l.len() == 1 && l.chars().all(|c| c.is_ascii_digit()))
                .collect();
            Some(format!(
                "The 10 coroutines printed in the order {}, set by their random sleeps{}, not by \
                 the order gather got them in.",
                order.join(" "),
                session
                    .seed
                    .map(|seed| format!(" (seed {seed})"))
                    .unwrap_or_default()
            ))
        }
        Demo::Waiters => {
            let total = |name: &str| -> f64 {
                lines
                    .iter()
                    .filter_map(|l| l.strip_prefix(&format!("{name} waited ")))
                    .filter_map(|rest| rest.split(' ').next()?.parse::<f64>().ok())
                    .sum()
            };
            let (first, second) = (total("first"), total("second"));
            // `real\t0m2.589s`, as the script's last line says.
            let real = lines.iter().rev().find_map(|l| l.strip_prefix("real\t"))?;
            Some(match params.sleep {
                Sleep::Blocking => format!(
                    "time.sleep blocked the only thread: the waiters took turns, {real} in all ≈ \
                     {:.2} + {:.2} s of sleeps, and the page froze for {}.",
                    first,
                    second,
                    millis(session.stats.longest_gap_ms)
                ),
                Sleep::Await => format!(
                    "await asyncio.sleep let the loop run the other waiter: {real} in all ≈ the \
                     longer waiter's {:.2} s, not the {:.2} s sum.",
                    first.max(second),
                    first + second
                ),
            })
        }
    }
}

/// `[9303, 9304]` from the line that starts with `prefix`.
fn list_after<'a>(lines: &'a [String], prefix: &str) -> Option<&'a str> {
    lines.iter().find_map(|l| l.strip_prefix(prefix))
}

fn visits_sentence(row: &VisitsRow, history: &[HistoryRow]) -> String {
    let tally = &row.tally;
    let threads = plural(row.workers, "thread", "threads");
    if tally.lost() > 0 {
        return format!(
            "{threads} each added 1 {} times, but the counter reached {} of {}: {} updates ({:.2} %) \
             were lost, where two threads read the same value and both wrote value + 1.",
            group_thousands(row.increments as u64),
            group_thousands(tally.counted),
            group_thousands(tally.expected),
            group_thousands(tally.lost()),
            tally.lost_percent()
        );
    }
    let how = match row.update {
        Update::Lock => "the lock let one thread at a time read and write",
        Update::Atomic => "Atomics.add read and wrote in one indivisible step",
        Update::ReadThenWrite | Update::PlusEquals => {
            return format!(
                "No update was lost this time ({} counted): the {threads} rarely overlapped — more \
                 increments or another run will show the race.",
                group_thousands(tally.counted)
            );
        }
    };
    // The last unlocked run of the same size, to say what the safety cost.
    let unlocked = history.iter().rev().find_map(|h| match h {
        HistoryRow::Counted(r)
            if r.workers == row.workers
                && r.increments == row.increments
                && matches!(r.update, Update::ReadThenWrite | Update::PlusEquals) =>
        {
            Some(r)
        }
        _ => None,
    });
    let cost = unlocked.map_or(String::new(), |r| {
        format!(
            ", {:.1}× the {} of run {} ({}), which lost {}",
            row.elapsed_ms / r.elapsed_ms.max(1.0),
            millis(r.elapsed_ms),
            r.run_no,
            r.update.key(),
            group_thousands(r.tally.lost())
        )
    });
    format!(
        "All {} updates counted: {how}; it took {}{cost}.",
        group_thousands(tally.expected),
        millis(row.elapsed_ms)
    )
}

#[cfg(test)]
mod tests {
    use super::super::form::MemoryForm;
    use super::super::session::Event;
    use super::super::visits::Tally;
    use super::*;
    use crate::labs::{LabForm, LabSession};
    use crate::meter::FrameStats;

    fn params(pairs: &[(&str, &str)]) -> super::super::form::MemoryParams {
        let query: Vec<(String, String)> =
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        MemoryForm::from_query(&query).0.validate().unwrap()
    }

    fn counted(s: &mut Session, pairs: &[(&str, &str)], counter: i32, elapsed_ms: f64) {
        let p = params(pairs);
        s.apply(Event::Started(p.clone()));
        s.apply(Event::Counted {
            tally: Tally::new(p.workers, p.increments, counter),
            elapsed_ms,
        });
        s.apply(Event::Finished {
            outcome: Outcome::Completed,
            stats: FrameStats::default(),
        });
    }

    #[test]
    fn lost_updates_are_counted_from_the_run_and_the_lock_is_compared_with_the_unlocked_run() {
        let mut s = Session::default();
        let race = [("workers", "4"), ("increments", "1000000"), ("update", "read-then-write")];
        counted(&mut s, &race, 2_150_000, 40.0);
        assert_eq!(
            what_happened(&s).unwrap(),
            "4 threads each added 1 1,000,000 times, but the counter reached 2,150,000 of \
             4,000,000: 1,850,000 updates (46.25 %) were lost, where two threads read the same \
             value and both wrote value + 1."
        );
        counted(&mut s, &[("workers", "4"), ("increments", "1000000"), ("update", "lock")], 4_000_000, 1234.0);
        assert_eq!(
            what_happened(&s).unwrap(),
            "All 4,000,000 updates counted: the lock let one thread at a time read and write; it \
             took 1,234 ms, 30.9× the 40 ms of run 1 (read-then-write), which lost 1,850,000."
        );
        // Nothing lost by chance is said as such, never as a lesson learnt.
        counted(&mut s, &race, 4_000_000, 30.0);
        assert!(what_happened(&s).unwrap().starts_with("No update was lost this time (4,000,000 counted)"));
    }

    #[test]
    fn the_order_of_answers_and_the_pid_lists_come_from_the_transcript() {
        let mut s = Session::default();
        s.apply(Event::Started(params(&[("demo", "basic_multiprocessing"), ("processes", "3")])));
        for (i, pid) in [(2, 7003), (0, 7001), (1, 7002)] {
            s.apply(Event::Print(format!("Hey, I am the process {i}, pid: {pid}")));
        }
        assert!(what_happened(&s).is_none(), "nothing while it runs");
        s.apply(Event::Finished {
            outcome: Outcome::Completed,
            stats: FrameStats::default(),
        });
        assert_eq!(
            what_happened(&s).unwrap(),
            "The 3 processes answered in the order 2 0 1, not the order they were started in."
        );

        s.apply(Event::Started(params(&[("demo", "forks")])));
        s.apply(Event::Print("PRNT: all the pids I know [5000, 5000]".into()));
        s.apply(Event::Print("CHLD: all the pids I know [5000, 5001]".into()));
        s.apply(Event::Finished {
            outcome: Outcome::Completed,
            stats: FrameStats::default(),
        });
        assert!(what_happened(&s).unwrap().contains("the parent now knows [5000, 5000] and the child [5000, 5001]"));
    }

    #[test]
    fn a_stopped_run_says_how_many_workers_ended() {
        let mut s = Session::default();
        s.apply(Event::Started(params(&[("workers", "256")])));
        s.apply(Session::cancelled(0.4));
        assert_eq!(
            what_happened(&s).unwrap(),
            "Stopped: 256 workers were terminated at once, mid-work; nothing they held is left behind."
        );
    }
}
