//! What the spinner lab prints: the script's lines (the `spinner object:` line, the
//! frames, the answer, the line Stop prints).

use super::choices::Variant;
use crate::text::{group_thousands, seconds_2};

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
        _ => format!("spinner object: {task}"),
    }
}

/// One spinner frame: `"{char} {msg}"`, redrawn in place.
pub fn frame_line(frame: char, message: &str) -> String {
    format!("{frame} {message}")
}

/// The line Stop prints: how long the run went on, and what was stopped.
pub fn cancelled_line(variant: Variant, elapsed_s: f64) -> String {
    let what = match variant {
        Variant::WorkerPrime => "The worker was terminated after",
        _ => "Stopped after",
    };
    format!(
        "{} {what} {}.",
        Outcome::Cancelled.transcript_line(),
        seconds_2(elapsed_s)
    )
}

/// The Stop button's explanation for variants nothing can interrupt.
pub const BLOCKING_STOP_NOTE: &str = "Stop cannot interrupt this variant: it holds the only thread \
    that could handle the click. The page stays frozen until slow() returns; only then is the click seen.";

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
    }
}
