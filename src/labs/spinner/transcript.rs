//! What the spinner lab prints: the script's lines (the `spinner object:` line, the
//! frames, the answer, the line Stop prints), and, for the spinner thread, what the
//! worker and the page measured, in parentheses.

use super::choices::Variant;
use super::thread::ThreadReport;
use crate::pyfmt::plural;
use crate::text::{group_thousands, millis, seconds_2};

/// `slow()` returns 42, as in the book.
pub const ANSWER: u64 = 42;

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Answer(u64),
    Prime { n: u64, prime: bool },
    Cancelled,
    Failed(String),
}

impl Outcome {
    /// The last transcript line, as the script prints it.
    pub fn transcript_line(&self) -> String {
        match self {
            Outcome::Answer(value) => format!("Answer: {value}"),
            Outcome::Prime { n, prime } => {
                format!(
                    "{} is {}prime",
                    group_thousands(*n),
                    if *prime { "" } else { "not " }
                )
            }
            Outcome::Cancelled => "Cancelled: the spinner task was aborted; no result.".to_string(),
            Outcome::Failed(reason) => format!("Error: {reason}"),
        }
    }

    /// The history table's outcome cell.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Answer(value) => format!("Answer: {value}"),
            Outcome::Prime { prime, .. } => if *prime { "prime" } else { "not prime" }.to_string(),
            Outcome::Cancelled => "cancelled".to_string(),
            Outcome::Failed(_) => "error".to_string(),
        }
    }
}

/// The `spinner object:` line: what was actually started, in Python's repr style.
pub fn spinner_object_line(variant: Variant, run_no: u32) -> String {
    let task =
        format!("<Task pending name='spinner-{run_no}' coro=<spin() spawned with spawn_local>>");
    match variant {
        Variant::WorkerPrime => {
            format!("spinner object: {task}; slow() in <Worker 'worker_loader.js' starting>")
        }
        Variant::ThreadSpinner => format!(
            "spinner object: <Thread(spinner-{run_no}, initial)>: a Web Worker that will draw \
             on an OffscreenCanvas"
        ),
        _ => format!("spinner object: {task}"),
    }
}

/// One spinner frame: `"{char} {msg}"`, redrawn in place.
pub fn frame_line(frame: char, message: &str) -> String {
    format!("{frame} {message}")
}

/// The line Stop prints: how long the run went on, and what was stopped.
pub fn cancelled_line(variant: Variant, elapsed_s: f64) -> String {
    let what = if variant.uses_worker() {
        "The worker was terminated after"
    } else {
        "Stopped after"
    };
    format!(
        "{} {what} {}.",
        Outcome::Cancelled.transcript_line(),
        seconds_2(elapsed_s)
    )
}

/// `spinner.start()` returned: the worker drew its first frame `first_frame_ms` after the
/// run started it.
pub fn thread_started_line(first_frame_ms: f64) -> String {
    format!(
        "(the worker drew its first frame {} after start(): a Web Worker starts a WASM instance \
         of its own, a Python thread starts in microseconds)",
        millis(first_frame_ms)
    )
}

/// `done.set()` and `join()`: what the worker drew while `slow()` blocked the main thread.
pub fn thread_joined_line(report: &ThreadReport) -> String {
    let froze = format!(
        "time.sleep({}) held the main thread for {}",
        report.seconds,
        millis(report.block_ms)
    );
    match &report.joined {
        Ok(frames) => format!(
            "(done.set(); join() returned after {}: while {froze}, the worker drew {} ({}), \
             {} in all)",
            millis(frames.join_ms),
            plural(frames.during_block as usize, "frame", "frames"),
            plural(
                frames.images_during_block as usize,
                "different image",
                "different images"
            ),
            frames.drawn
        ),
        Err(reason) => format!(
            "(done.set(); join() gave up: {reason}; the worker was terminated. {froze}.)"
        ),
    }
}

/// The Stop button's explanation for variants nothing can interrupt.
pub fn stop_note(variant: Variant) -> Option<&'static str> {
    match variant {
        Variant::ThreadSpinner => Some(
            "Stop cannot interrupt time.sleep on the main thread: the click is seen only once \
             slow() returns (the worker's spinner keeps turning meanwhile); then the worker is \
             terminated.",
        ),
        _ if variant.blocks_main_thread() => Some(
            "Stop cannot interrupt this variant: it holds the only thread that could handle the \
             click. The page stays frozen until slow() returns; only then is the click seen.",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transcript_lines_match_the_scripts() {
        assert_eq!(Outcome::Answer(ANSWER).transcript_line(), "Answer: 42");
        assert_eq!(
            Outcome::Prime {
                n: 5_000_111_000_222_021,
                prime: true
            }
            .transcript_line(),
            "5,000,111,000,222,021 is prime"
        );
        assert_eq!(
            Outcome::Prime {
                n: 1_000_000,
                prime: false
            }
            .transcript_line(),
            "1,000,000 is not prime"
        );
        assert_eq!(frame_line('|', "thinking!"), "| thinking!");
        assert!(
            spinner_object_line(Variant::AsyncSleep, 2)
                .starts_with("spinner object: <Task pending name='spinner-2'")
        );
        assert!(spinner_object_line(Variant::WorkerPrime, 1).contains("Worker"));
        assert!(cancelled_line(Variant::WorkerPrime, 0.5).contains("worker was terminated after 0.50s"));
        assert!(cancelled_line(Variant::NapPrime, 1.0).ends_with("Stopped after 1.00s."));
        assert!(cancelled_line(Variant::ThreadSpinner, 2.5).ends_with("terminated after 2.50s."));
        assert_eq!(
            spinner_object_line(Variant::ThreadSpinner, 3),
            "spinner object: <Thread(spinner-3, initial)>: a Web Worker that will draw on an \
             OffscreenCanvas"
        );
    }

    #[test]
    fn thread_lines_give_both_sides_figures() {
        use super::super::thread::WorkerFrames;
        assert_eq!(
            thread_started_line(41.6),
            "(the worker drew its first frame 42 ms after start(): a Web Worker starts a WASM \
             instance of its own, a Python thread starts in microseconds)"
        );
        let report = ThreadReport {
            seconds: 3.0,
            block_ms: 3002.4,
            joined: Ok(WorkerFrames {
                drawn: 31,
                during_block: 29,
                images_during_block: 4,
                join_ms: 1.2,
            }),
        };
        assert_eq!(
            thread_joined_line(&report),
            "(done.set(); join() returned after 1 ms: while time.sleep(3) held the main thread \
             for 3,002 ms, the worker drew 29 frames (4 different images), 31 in all)"
        );
        let gave_up = ThreadReport {
            seconds: 0.5,
            block_ms: 500.0,
            joined: Err("the worker did not answer within 2 s".to_string()),
        };
        assert_eq!(
            thread_joined_line(&gave_up),
            "(done.set(); join() gave up: the worker did not answer within 2 s; the worker was \
             terminated. time.sleep(0.5) held the main thread for 500 ms.)"
        );
    }

    #[test]
    fn stop_notes_name_what_blocks() {
        assert_eq!(stop_note(Variant::AsyncSleep), None);
        assert_eq!(stop_note(Variant::WorkerPrime), None);
        assert!(stop_note(Variant::BlockingPrime).unwrap().contains("only thread"));
        assert!(stop_note(Variant::ThreadSpinner).unwrap().contains("keeps turning"));
    }
}
