//! "What happened" after a spinner run: the lesson in one sentence, from the run's frame
//! gaps, spinner frames and time — a freeze, a spinner that kept turning, a worker, or a
//! spinner thread that kept turning while the page froze.

use super::choices::Variant;
use super::form::Workload;
use super::history::HistoryRow;
use super::session::Session;
use super::transcript::Outcome;
use crate::meter::NOTICEABLE_GAP_MS;
use crate::pyfmt::plural;
use crate::text::{group_thousands, millis, seconds_prose};

/// The last run's sentence; `None` before the first run and while one runs.
pub fn what_happened(session: &Session) -> Option<String> {
    if session.is_running() {
        return None;
    }
    session.history.last().map(sentence)
}

/// What `slow()` did, for the sentence: `time.sleep(2)`, `is_prime(1,000,003)`.
fn work(row: &HistoryRow) -> String {
    let asleep = row.params.variant == Variant::AsyncSleep;
    match row.params.workload {
        Workload::Sleep { seconds } if asleep => format!("asyncio.sleep({seconds})"),
        Workload::Sleep { seconds } => format!("time.sleep({seconds})"),
        Workload::Prime { n } => format!("is_prime({})", group_thousands(n)),
    }
}

/// The sentence for one finished (or stopped) run.
pub fn sentence(row: &HistoryRow) -> String {
    let gap = row.stats.longest_gap_ms;
    let elapsed = seconds_prose(row.elapsed_s);
    let frames = plural(row.spinner_frames as usize, "spinner frame", "spinner frames");
    let work = work(row);
    match (&row.outcome, row.params.variant) {
        (Outcome::Failed(reason), _) => format!("slow() failed after {elapsed}: {reason}."),
        (Outcome::Cancelled, variant) => format!(
            "Stopped after {elapsed}, before {work} answered{}: {frames} drawn, the longest \
             gap between frames {}.",
            if variant.uses_worker() {
                " (the worker was terminated)"
            } else {
                ""
            },
            millis(gap)
        ),
        (_, Variant::ThreadSpinner) => thread_sentence(row, &work),
        (_, variant) if variant.blocks_main_thread() && gap >= NOTICEABLE_GAP_MS => format!(
            "The page froze for {}: no frame was drawn while {work} held the main thread, so \
             the spinner drew {frames} in {elapsed}.",
            millis(gap),
            frames = plural(row.spinner_frames as usize, "frame", "frames")
        ),
        (_, variant) if variant.blocks_main_thread() => format!(
            "{work} held the main thread for only {elapsed}: the longest gap between frames \
             was {}, too short to see a freeze (try more seconds or a larger number).",
            millis(gap)
        ),
        (_, variant) => {
            let how = match variant {
                Variant::WorkerPrime => format!("a worker ran {work} off the main thread"),
                Variant::NapPrime => format!("{work} yielded with sleep(0) between steps"),
                _ => format!("slow() awaited {work}"),
            };
            if gap < NOTICEABLE_GAP_MS {
                format!(
                    "The spinner kept turning: {frames} in {elapsed}, and the longest gap \
                     between frames was {} while {how}.",
                    millis(gap)
                )
            } else {
                format!(
                    "The spinner stuttered: {frames} in {elapsed}, and one gap between frames \
                     lasted {} even though {how}.",
                    millis(gap)
                )
            }
        }
    }
}

/// The spinner thread's run: the page's freeze (the meter) against the worker's frames.
fn thread_sentence(row: &HistoryRow, work: &str) -> String {
    let gap = row.stats.longest_gap_ms;
    let Some(report) = &row.thread else {
        return format!("slow() returned after {}; the spinner thread never started.", seconds_prose(row.elapsed_s));
    };
    match &report.joined {
        Ok(frames) => {
            let drew = format!(
                "the worker's spinner drew {} ({}) on its OffscreenCanvas",
                plural(frames.during_block as usize, "frame", "frames"),
                plural(
                    frames.images_during_block as usize,
                    "different image",
                    "different images"
                )
            );
            if gap >= NOTICEABLE_GAP_MS {
                format!(
                    "The page froze for {} (no frame drawn) while {work} held the main thread, \
                     yet {drew}: its thread was never blocked, as a Python thread keeps \
                     running while sleep releases the GIL.",
                    millis(gap)
                )
            } else {
                format!(
                    "{work} held the main thread for only {}: the longest gap between frames \
                     was {}, too short to see a freeze, and {drew} meanwhile (try more seconds).",
                    millis(report.block_ms),
                    millis(gap)
                )
            }
        }
        Err(reason) => format!(
            "The page froze for {} while {work} held the main thread; join() gave up on the \
             spinner thread ({reason}), so its frames were not counted.",
            millis(gap)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::super::form::SpinnerForm;
    use super::super::session::Event;
    use super::*;
    use crate::labs::{LabForm, LabSession};
    use crate::meter::FrameStats;

    fn row(variant: Variant, workload: Workload, elapsed_s: f64, frames: u32, gap: f64) -> HistoryRow {
        let mut params = SpinnerForm::default().validate().unwrap();
        params.variant = variant;
        params.workload = workload;
        HistoryRow {
            run_no: 1,
            params,
            elapsed_s,
            spinner_frames: frames,
            stats: FrameStats {
                longest_gap_ms: gap,
                ..Default::default()
            },
            thread: None,
            outcome: Outcome::Answer(42),
        }
    }

    const TWO_S: Workload = Workload::Sleep { seconds: 2.0 };

    #[test]
    fn a_blocking_run_reports_the_measured_freeze() {
        let text = sentence(&row(Variant::BlockingSleep, TWO_S, 2.004, 0, 2005.4));
        assert_eq!(
            text,
            "The page froze for 2,005 ms: no frame was drawn while time.sleep(2) held the main \
             thread, so the spinner drew 0 frames in 2.00 s."
        );
        // Other figures, another sentence.
        let text = sentence(&row(Variant::BlockingSleep, TWO_S, 3.5, 0, 3512.0));
        assert!(text.contains("froze for 3,512 ms") && text.contains("in 3.50 s"), "{text}");
    }

    #[test]
    fn a_block_too_short_to_see_says_so() {
        let sleep = Workload::Sleep { seconds: 0.05 };
        let text = sentence(&row(Variant::BlockingSleep, sleep, 0.05, 0, 66.0));
        assert!(text.starts_with("time.sleep(0.05) held the main thread for only 0.05 s"), "{text}");
        assert!(text.contains("66 ms"), "{text}");
    }

    #[test]
    fn an_async_run_reports_frames_and_the_longest_gap() {
        let three = Workload::Sleep { seconds: 3.0 };
        let text = sentence(&row(Variant::AsyncSleep, three, 3.01, 30, 17.2));
        assert_eq!(
            text,
            "The spinner kept turning: 30 spinner frames in 3.01 s, and the longest gap between \
             frames was 17 ms while slow() awaited asyncio.sleep(3)."
        );
        let prime = Workload::Prime { n: 1_000_003 };
        let text = sentence(&row(Variant::WorkerPrime, prime, 1.5, 15, 20.0));
        assert!(text.contains("while a worker ran is_prime(1,000,003) off the main thread."), "{text}");
        // A long gap is not hidden behind "kept turning".
        let text = sentence(&row(Variant::NapPrime, prime, 1.5, 9, 420.0));
        assert!(text.starts_with("The spinner stuttered: 9 spinner frames"), "{text}");
        assert!(text.contains("420 ms"), "{text}");
    }

    #[test]
    fn a_thread_run_sets_the_pages_freeze_against_the_workers_frames() {
        use super::super::thread::{ThreadReport, WorkerFrames};
        let mut r = row(Variant::ThreadSpinner, Workload::Sleep { seconds: 3.0 }, 3.05, 31, 3002.4);
        let frames = WorkerFrames {
            drawn: 31,
            during_block: 29,
            images_during_block: 4,
            join_ms: 1.0,
        };
        r.thread = Some(ThreadReport {
            seconds: 3.0,
            block_ms: 3000.2,
            joined: Ok(frames.clone()),
        });
        assert_eq!(
            sentence(&r),
            "The page froze for 3,002 ms (no frame drawn) while time.sleep(3) held the main \
             thread, yet the worker's spinner drew 29 frames (4 different images) on its \
             OffscreenCanvas: its thread was never blocked, as a Python thread keeps running \
             while sleep releases the GIL."
        );
        r.stats.longest_gap_ms = 40.0;
        r.thread.as_mut().unwrap().block_ms = 30.0;
        let short = sentence(&r);
        assert!(short.starts_with("time.sleep(3) held the main thread for only 30 ms"), "{short}");
        r.thread.as_mut().unwrap().joined = Err("the worker did not answer within 2 s".into());
        r.stats.longest_gap_ms = 2010.0;
        assert!(sentence(&r).contains("froze for 2,010 ms") && sentence(&r).contains("within 2 s"));
        r.outcome = Outcome::Cancelled;
        assert!(sentence(&r).contains("(the worker was terminated)"));
    }

    #[test]
    fn a_stopped_run_says_when() {
        let mut r = row(Variant::WorkerPrime, Workload::Prime { n: 7 }, 0.5, 4, 18.0);
        r.outcome = Outcome::Cancelled;
        assert_eq!(
            sentence(&r),
            "Stopped after 0.50 s, before is_prime(7) answered (the worker was terminated): 4 \
             spinner frames drawn, the longest gap between frames 18 ms."
        );
    }

    #[test]
    fn nothing_while_running_then_the_last_run() {
        let mut s = Session::default();
        assert_eq!(what_happened(&s), None);
        let mut params = SpinnerForm::default().validate().unwrap();
        params.variant = Variant::BlockingSleep;
        s.apply(Event::Started(params));
        assert_eq!(what_happened(&s), None);
        s.apply(Event::Finished {
            outcome: Outcome::Answer(42),
            elapsed_s: 3.0,
        });
        assert_eq!(what_happened(&s), None, "still settling");
        s.apply(Event::Settled(FrameStats {
            longest_gap_ms: 3016.0,
            ..Default::default()
        }));
        assert!(what_happened(&s).unwrap().contains("3,016 ms"));
        s.apply(Session::cancelled(0.0));
        assert_eq!(s.history.len(), 1);
    }
}
