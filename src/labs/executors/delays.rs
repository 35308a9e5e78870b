//! demo_executor_map's `loiter(n)` calls: the Delays field that lists them, and what each
//! call prints, returns or raises — in Python's own spelling of `n` and `n * 10`.

use super::jobs::{JobError, Outcome};
use crate::pyfmt::repr_float;
use crate::text::{ListField, parse_decimal, shorten};

pub const MAX_DELAYS: usize = 1000;
/// An hour: a longer sleep teaches nothing more (and setTimeout tops out at ~24.8 days).
pub const MAX_DELAY_S: f64 = 3600.0;
/// A slow call submitted first: map holds every later result behind it, as_completed does
/// not (the book's `0 1 2 3 4` end in submission order, so both look the same).
pub const DEFAULT_DELAYS: &str = "3 0 1 2";

/// One `loiter(n)` call: sleep `seconds`, then return n * 10 — or raise (`!n`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Delay {
    pub seconds: f64,
    /// Written as a whole number (`3`): Python would pass an int, and print `30`.
    pub int: bool,
    pub fails: bool,
}

impl Delay {
    /// `n` as Python prints it: `3` (int) or `1.5`, `3.0` (float).
    pub fn n(&self) -> String {
        if self.int {
            format!("{}", self.seconds as u64)
        } else {
            repr_float(self.seconds)
        }
    }

    /// The field entry: `3`, `1.5`, `!3`.
    pub fn entry(&self) -> String {
        format!("{}{}", if self.fails { "!" } else { "" }, self.n())
    }

    /// `loiter(3)`, as the job prints itself.
    pub fn label(&self) -> String {
        format!("loiter({})", self.n())
    }

    /// The call as submitted: `loiter(3)`, or `loiter(3, fail=True)`.
    pub fn call(&self) -> String {
        if self.fails {
            format!("loiter({}, fail=True)", self.n())
        } else {
            self.label()
        }
    }

    /// `floor(n)` tabs.
    pub fn indent(&self) -> String {
        "\t".repeat(self.seconds.floor() as usize)
    }

    /// `n * 10`: `30` for an int, `15.0` for a float.
    pub fn value(&self) -> String {
        if self.int {
            format!("{}", self.seconds as u64 * 10)
        } else {
            repr_float(self.seconds * 10.0)
        }
    }

    /// What `loiter(n, fail=True)` raises.
    pub fn error(&self) -> JobError {
        JobError::new("RuntimeError", format!("{} failed", self.label()))
    }

    /// What the call returns or raises.
    pub fn outcome(&self) -> Outcome {
        if self.fails {
            Err(self.error())
        } else {
            Ok(self.value())
        }
    }

    /// The real sleep, in ms, at `time_scale`.
    pub fn sleep_ms(&self, time_scale: f64) -> f64 {
        self.seconds * 1000.0 * time_scale
    }

    /// `loiter(3): doing nothing for 3s...`, indented.
    pub fn start_line(&self) -> String {
        format!(
            "{}{}: doing nothing for {}s...",
            self.indent(),
            self.label(),
            self.n()
        )
    }

    /// `loiter(3): done.` (or `raising RuntimeError.`), indented.
    pub fn end_line(&self, ok: bool) -> String {
        let what = if ok { "done." } else { "raising RuntimeError." };
        format!("{}{}: {what}", self.indent(), self.label())
    }
}

/// Parses the Delays field (spaces, commas, semicolons or lines between entries); the
/// error is the message shown next to it.
pub fn parse_delays(text: &str) -> Result<Vec<Delay>, String> {
    let entries: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|e| !e.is_empty())
        .collect();
    let field = ListField {
        name: "Delays",
        one: "delay",
        many: "entries",
        example: ", e.g. 0 1 2 3 4",
        max: MAX_DELAYS,
    };
    field.parse(&entries, parse_entry)
}

/// Entry `i` (0-based) of the field: `2`, `0.5` or `!3`.
fn parse_entry(i: usize, entry: &str) -> Result<Delay, String> {
    let at = format!("\"{}\" (entry {})", shorten(entry, 24), i + 1);
    let (fails, number) = match entry.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, entry),
    };
    let seconds = parse_decimal(number).ok_or_else(|| {
        format!("{at} is not a number of seconds; write e.g. 2, 0.5, or !3 to fail after 3 s.")
    })?;
    if seconds < 0.0 || number.starts_with('-') {
        return Err(format!("{at}: a delay must not be negative."));
    }
    if seconds > MAX_DELAY_S {
        return Err(format!("{at}: a delay must be at most {MAX_DELAY_S} s."));
    }
    let digits = number.strip_prefix('+').unwrap_or(number);
    Ok(Delay {
        seconds,
        int: !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()),
        fails,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_parse_fractions_failures_and_separators() {
        let delays = parse_delays(" 0, 1.5;!3\n2.0  +4 ").unwrap();
        let shown: Vec<(String, String, String)> = delays
            .iter()
            .map(|d| (d.entry(), d.start_line(), d.value()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "0".into(),
                    "loiter(0): doing nothing for 0s...".into(),
                    "0".into()
                ),
                (
                    "1.5".into(),
                    "\tloiter(1.5): doing nothing for 1.5s...".into(),
                    "15.0".into()
                ),
                (
                    "!3".into(),
                    "\t\t\tloiter(3): doing nothing for 3s...".into(),
                    "30".into()
                ),
                (
                    "2.0".into(),
                    "\t\tloiter(2.0): doing nothing for 2.0s...".into(),
                    "20.0".into()
                ),
                (
                    "4".into(),
                    "\t\t\t\tloiter(4): doing nothing for 4s...".into(),
                    "40".into()
                ),
            ]
        );
        assert_eq!(delays[2].call(), "loiter(3, fail=True)");
        assert_eq!(
            delays[2].outcome(),
            Err(JobError::new("RuntimeError", "loiter(3) failed"))
        );
        assert_eq!(
            delays[2].end_line(false),
            "\t\t\tloiter(3): raising RuntimeError."
        );
        assert_eq!(delays[1].end_line(true), "\tloiter(1.5): done.");
        assert_eq!(delays[1].sleep_ms(0.1), 150.0);
        // Python's float arithmetic, Python's float repr.
        assert_eq!(
            parse_delays("0.07").unwrap()[0].value(),
            "0.7000000000000001"
        );
    }
}
