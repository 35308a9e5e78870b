//! What the two scripts print, line by line: loiter's `[HH:MM:SS]` stamps and result
//! lines, flags_threadpool_ac's `<Future at 0x… state=…>` reprs, and the Stop line.

use super::choices::Collect;
use super::jobs::Outcome;
use crate::pyfmt::plural;
use crate::runtime::executor::JobState;
use crate::text::seconds_2;

/// The local time of day a run started at, for the `[HH:MM:SS]` stamps.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WallClock {
    pub ms_of_day: f64,
}

impl WallClock {
    /// From `Date`'s local hours, minutes, seconds and milliseconds.
    pub fn new(hours: u32, minutes: u32, seconds: u32, millis: u32) -> Self {
        WallClock {
            ms_of_day: ((hours * 60 + minutes) * 60 + seconds) as f64 * 1000.0 + millis as f64,
        }
    }

    /// `15:56:50`: the time of day `at_ms` after this one (wrapping at midnight).
    pub fn hms(&self, at_ms: f64) -> String {
        let total = ((self.ms_of_day + at_ms.max(0.0)) / 1000.0).floor() as u64 % 86_400;
        format!(
            "{:02}:{:02}:{:02}",
            total / 3600,
            total / 60 % 60,
            total % 60
        )
    }
}

/// Whether `time_scale` differs from 1.
pub fn is_scaled(time_scale: f64) -> bool {
    (time_scale - 1.0).abs() > 1e-12
}

/// `[15:56:50]`, or at a time scale other than 1 `[15:56:50 +1000ms]`: the wall clock,
/// then the script's time since the start (real ms ÷ scale).
pub fn stamp(wall: WallClock, at_ms: f64, time_scale: f64) -> String {
    if is_scaled(time_scale) {
        format!(
            "[{} +{}ms]",
            wall.hms(at_ms),
            (at_ms.max(0.0) / time_scale).round() as u64
        )
    } else {
        format!("[{}]", wall.hms(at_ms))
    }
}

fn factor_text(factor: f64) -> String {
    if (factor - factor.round()).abs() < 1e-9 {
        format!("{}", factor.round() as u64)
    } else {
        let text = format!("{factor:.2}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// `(time scale 0.1: every sleep is 10× shorter; +ms is script time)`.
pub fn time_scale_line(time_scale: f64) -> String {
    let how = if time_scale < 1.0 {
        format!("{}× shorter", factor_text(1.0 / time_scale))
    } else {
        format!("{}× longer", factor_text(time_scale))
    };
    format!("(time scale {time_scale}: every sleep is {how}; +ms is script time)")
}

/// `results: <…>`: the result stream, honestly described, before anyone consumed it.
pub fn results_line(collect: Collect, count: usize) -> String {
    match collect {
        Collect::Map => format!(
            "results: <map stream over {count} futures (not consumed yet; yields in submission order)>"
        ),
        Collect::AsCompleted => format!(
            "results: <as_completed stream over {count} futures (not consumed yet; yields in completion order)>"
        ),
    }
}

pub const WAITING_LINE: &str = "Waiting for individual results:";

/// `result 2: 20`, or `*** Error in result 2: RuntimeError('loiter(2) failed')`.
pub fn result_line(id: usize, outcome: &Outcome) -> String {
    match outcome {
        Ok(value) => format!("result {id}: {value}"),
        Err(error) => format!("*** Error in result {id}: {}", error.repr()),
    }
}

/// A fake but stable `id(future)` for job `id` of a run: `0x7f3c5e10a3f0` + id × 0x30.
pub fn fake_address(id: usize) -> String {
    format!("{:#x}", 0x7f3c_5e10_a3f0_u64 + id as u64 * 0x30)
}

/// `<Future at 0x… state=running>`, `<Future at 0x… state=finished returned str>`,
/// `<Future at 0x… state=finished raised HTTPStatusError>`, as `Future.__repr__` prints it.
pub fn future_repr(id: usize, state: JobState, outcome: Option<&Outcome>) -> String {
    let address = fake_address(id);
    match (state, outcome) {
        (JobState::Finished, Some(Ok(_))) => {
            format!("<Future at {address} state=finished returned str>")
        }
        (JobState::Failed, Some(Err(error))) => {
            format!("<Future at {address} state=finished raised {}>", error.kind)
        }
        (JobState::Failed, _) => format!("<Future at {address} state=finished raised>"),
        (state, _) => format!("<Future at {address} state={}>", state.key()),
    }
}

/// `Scheduled for BR: <Future at 0x… state=running>`.
pub fn scheduled_line(cc: &str, id: usize, state: JobState) -> String {
    format!("Scheduled for {cc}: {}", future_repr(id, state, None))
}

/// `<Future at 0x… state=finished returned str> result: 'CN'`.
pub fn flag_result_line(cc: &str, id: usize, outcome: &Outcome) -> String {
    match outcome {
        Ok(value) => format!(
            "{} result: {value}",
            future_repr(id, JobState::Finished, Some(outcome))
        ),
        Err(error) => format!(
            "{} *** Error for {cc}: {}",
            future_repr(id, JobState::Failed, Some(outcome)),
            error.repr()
        ),
    }
}

/// `5 flags downloaded in 0.70s`.
pub fn flags_footer(count: usize, elapsed_s: f64) -> String {
    format!(
        "{} downloaded in {}",
        plural(count, "flag", "flags"),
        seconds_2(elapsed_s)
    )
}

/// `Stop: cancelled 2 pending (loiter(3), loiter(4)); abandoned 1 running (loiter(2)).`
pub fn stop_line(cancelled: &[String], abandoned: &[String]) -> String {
    let part = |what: &str, state: &str, calls: &[String]| {
        let mut text = format!("{what} {} {state}", calls.len());
        if !calls.is_empty() {
            text += &format!(" ({})", calls.join(", "));
        }
        text
    };
    format!(
        "Stop: {}; {}.",
        part("cancelled", "pending", cancelled),
        part("abandoned", "running", abandoned)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn futures_have_stable_fake_addresses() {
        assert_eq!(fake_address(0), "0x7f3c5e10a3f0");
        assert_eq!(fake_address(1), "0x7f3c5e10a420");
    }

    #[test]
    fn stamps_and_fixed_lines() {
        let wall = WallClock::new(15, 56, 50, 400);
        assert_eq!(stamp(wall, 0.0, 1.0), "[15:56:50]");
        assert_eq!(stamp(wall, 599.0, 1.0), "[15:56:50]");
        assert_eq!(stamp(wall, 600.0, 1.0), "[15:56:51]");
        assert_eq!(stamp(wall, 100.0, 0.1), "[15:56:50 +1000ms]");
        assert_eq!(WallClock::new(23, 59, 59, 0).hms(1000.0), "00:00:00");
        assert_eq!(
            time_scale_line(0.1),
            "(time scale 0.1: every sleep is 10× shorter; +ms is script time)"
        );
        assert!(time_scale_line(2.0).contains("2× longer"));
        assert!(time_scale_line(0.3).contains("3.33× shorter"));
        assert_eq!(
            results_line(Collect::AsCompleted, 5),
            "results: <as_completed stream over 5 futures (not consumed yet; yields in completion order)>"
        );
        assert_eq!(
            stop_line(
                &["loiter(3)".into(), "loiter(4)".into()],
                &["loiter(2)".into()]
            ),
            "Stop: cancelled 2 pending (loiter(3), loiter(4)); abandoned 1 running (loiter(2))."
        );
        assert_eq!(
            stop_line(&[], &["loiter(2)".into()]),
            "Stop: cancelled 0 pending; abandoned 1 running (loiter(2))."
        );
        assert_eq!(
            stop_line(&[], &[]),
            "Stop: cancelled 0 pending; abandoned 0 running."
        );
        assert_eq!(flags_footer(5, 0.7), "5 flags downloaded in 0.70s");
        assert_eq!(flags_footer(1, 0.7), "1 flag downloaded in 0.70s");
    }
}
