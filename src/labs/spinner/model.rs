//! The spinner lab as plain data: variants, form validation, URL parameters,
//! transcript lines and the run history. No browser types here.

use crate::labs::{LabForm, LabSession};
use crate::meter::FrameStats;
use crate::prime::{BOOK_PRIME, LARGEST_U64_PRIME};
use crate::text::{group_thousands, millis, parse_decimal, parse_u64, seconds_2};

/// What `slow()` does, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    AsyncSleep,
    BlockingSleep,
    BlockingPrime,
    NapPrime,
    WorkerPrime,
}

impl Variant {
    pub const ALL: [Variant; 5] = [
        Variant::AsyncSleep,
        Variant::BlockingSleep,
        Variant::BlockingPrime,
        Variant::NapPrime,
        Variant::WorkerPrime,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Variant::AsyncSleep => "async-sleep",
            Variant::BlockingSleep => "blocking-sleep",
            Variant::BlockingPrime => "blocking-prime",
            Variant::NapPrime => "nap-prime",
            Variant::WorkerPrime => "worker-prime",
        }
    }

    pub fn parse(key: &str) -> Option<Variant> {
        Variant::ALL.into_iter().find(|v| v.key() == key.trim())
    }

    /// The option text in the form.
    pub fn label(self) -> &'static str {
        match self {
            Variant::AsyncSleep => "async-sleep — await sleep(s): non-blocking",
            Variant::BlockingSleep => "blocking-sleep — time.sleep(s) in a coroutine",
            Variant::BlockingPrime => "blocking-prime — is_prime(n) in a coroutine",
            Variant::NapPrime => "nap-prime — is_prime(n) that awaits sleep(0)",
            Variant::WorkerPrime => "worker-prime — is_prime(n) in a Web Worker",
        }
    }

    pub fn uses_prime(self) -> bool {
        matches!(
            self,
            Variant::BlockingPrime | Variant::NapPrime | Variant::WorkerPrime
        )
    }

    /// Blocking variants hold the main thread: nothing, not even Stop, can run meanwhile.
    pub fn blocks_main_thread(self) -> bool {
        matches!(self, Variant::BlockingSleep | Variant::BlockingPrime)
    }

    /// The reference script the variant mirrors (its file in `python/`).
    pub fn python_reference(self) -> &'static str {
        match self {
            Variant::AsyncSleep => "spinner_async.py",
            Variant::BlockingSleep => "spinner_async_experiment.py",
            Variant::BlockingPrime => "spinner_prime_async_broken.py",
            Variant::NapPrime => "spinner_prime_async_nap.py",
            Variant::WorkerPrime => "spinner_proc.py",
        }
    }

    /// What actually runs in the browser when this variant is picked.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Variant::AsyncSleep => {
                "The spinner is a future spawned with wasm_bindgen_futures::spawn_local on the \
                 browser event loop; it redraws, then awaits a gloo-timers TimeoutFuture (setTimeout). \
                 slow() awaits another TimeoutFuture of the chosen length, so the event loop is free \
                 between frames: the spinner turns and the page stays responsive."
            }
            Variant::BlockingSleep => {
                "slow() spins in a busy loop on performance.now() until the time is up — the \
                 browser's time.sleep. The spinner future was spawned but never gets polled: the \
                 main thread is busy, so no timer fires, no frame is painted and no click is handled. \
                 When slow() returns, the spinner is aborted before it ever ran."
            }
            Variant::BlockingPrime => {
                "slow() is the books' trial-division is_prime(n), compiled to WASM and called on the \
                 main thread. Until it returns, the event loop cannot run the spinner, paint, or \
                 handle Stop — exactly like a CPU-bound call inside a coroutine."
            }
            Variant::NapPrime => {
                "The same is_prime(n), split into steps of 100,000 trial divisions; after each step \
                 it awaits a zero-length TimeoutFuture (asyncio.sleep(0)), handing the event loop \
                 back so the spinner can draw. The page stays alive, the check takes longer."
            }
            Variant::WorkerPrime => {
                "is_prime(n) runs in a Web Worker — a separate thread with its own WASM instance, \
                 the browser's process. The main thread only awaits the worker's answer message, so \
                 the spinner turns at full rate. Stop calls Worker.terminate(): the thread is killed \
                 mid-loop, as with Process.terminate()."
            }
        }
    }
}

/// A form field of the lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Variant,
    Message,
    Frames,
    PeriodMs,
    Seconds,
    Number,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Variant,
        Field::Message,
        Field::Frames,
        Field::PeriodMs,
        Field::Seconds,
        Field::Number,
    ];

    /// The URL parameter name.
    pub fn key(self) -> &'static str {
        match self {
            Field::Variant => "variant",
            Field::Message => "message",
            Field::Frames => "frames",
            Field::PeriodMs => "period",
            Field::Seconds => "seconds",
            Field::Number => "number",
        }
    }

    /// The visible `<label>`.
    pub fn label(self) -> &'static str {
        match self {
            Field::Variant => "Variant",
            Field::Message => "Message",
            Field::Frames => "Frames",
            Field::PeriodMs => "Frame period (ms)",
            Field::Seconds => "Seconds",
            Field::Number => "Number",
        }
    }
}

pub const MAX_SECONDS: f64 = 30.0;
pub const PERIOD_RANGE_MS: (u32, u32) = (10, 5000);
pub const MAX_FRAMES: usize = 32;
pub const MAX_MESSAGE: usize = 80;

/// Number presets: (button text, value).
pub const NUMBER_PRESETS: [(&str, u64); 2] = [
    ("Book: 5,000,111,000,222,021", BOOK_PRIME),
    ("Largest u64 prime (seconds in WASM)", LARGEST_U64_PRIME),
];

/// The form as typed: raw text per field, validated on Run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpinnerForm {
    pub variant: String,
    pub message: String,
    pub frames: String,
    pub period_ms: String,
    pub seconds: String,
    pub number: String,
}

impl Default for SpinnerForm {
    fn default() -> Self {
        SpinnerForm {
            variant: Variant::AsyncSleep.key().to_string(),
            message: "thinking!".to_string(),
            frames: "\\|/-".to_string(),
            period_ms: "100".to_string(),
            seconds: "3".to_string(),
            number: BOOK_PRIME.to_string(),
        }
    }
}

/// What `slow()` works on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Workload {
    Sleep { seconds: f64 },
    Prime { n: u64 },
}

/// Validated parameters of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct SpinnerParams {
    pub variant: Variant,
    pub message: String,
    pub frames: Vec<char>,
    pub period_ms: u32,
    pub workload: Workload,
}

impl SpinnerForm {
    /// The chosen variant, or the default while the text is not one.
    pub fn variant(&self) -> Variant {
        Variant::parse(&self.variant).unwrap_or(Variant::AsyncSleep)
    }

    /// Checks every field the variant uses; all errors at once, one per field.
    pub fn validate(&self) -> Result<SpinnerParams, Vec<(Field, String)>> {
        let errors = self.errors();
        if !errors.is_empty() {
            return Err(errors);
        }
        let variant = self.variant();
        let workload = if variant.uses_prime() {
            Workload::Prime {
                n: parse_u64(&self.number).expect("validated"),
            }
        } else {
            Workload::Sleep {
                seconds: parse_decimal(&self.seconds).expect("validated"),
            }
        };
        Ok(SpinnerParams {
            variant,
            message: self.message.clone(),
            frames: self.frames.chars().collect(),
            period_ms: self.period_ms.trim().parse().expect("validated"),
            workload,
        })
    }

    /// Fills the form from URL parameters; unknown keys and invalid values fall back to
    /// the defaults, each with a notice for the reader.
    pub fn from_query(query: &[(String, String)]) -> (SpinnerForm, Vec<String>) {
        SpinnerForm::default().with_query(query)
    }
}

impl LabForm for SpinnerForm {
    type Field = Field;

    const FIELDS: &'static [Field] = &Field::ALL;

    fn key(field: Field) -> &'static str {
        field.key()
    }

    fn label(field: Field) -> &'static str {
        field.label()
    }

    /// The fields the chosen variant uses, in form order.
    fn fields(&self) -> Vec<Field> {
        let workload = if self.variant().uses_prime() {
            Field::Number
        } else {
            Field::Seconds
        };
        vec![
            Field::Variant,
            Field::Message,
            Field::Frames,
            Field::PeriodMs,
            workload,
        ]
    }

    fn get(&self, field: Field) -> &str {
        match field {
            Field::Variant => &self.variant,
            Field::Message => &self.message,
            Field::Frames => &self.frames,
            Field::PeriodMs => &self.period_ms,
            Field::Seconds => &self.seconds,
            Field::Number => &self.number,
        }
    }

    fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::Variant => &mut self.variant,
            Field::Message => &mut self.message,
            Field::Frames => &mut self.frames,
            Field::PeriodMs => &mut self.period_ms,
            Field::Seconds => &mut self.seconds,
            Field::Number => &mut self.number,
        };
        *slot = value;
    }

    fn check(field: Field, value: &str) -> Result<(), String> {
        check_field(field, value)
    }
}

/// Validates one field's text; the error is the message shown next to it.
pub fn check_field(field: Field, value: &str) -> Result<(), String> {
    match field {
        Field::Variant => Variant::parse(value).map(|_| ()).ok_or_else(|| {
            let keys: Vec<&str> = Variant::ALL.iter().map(|v| v.key()).collect();
            format!("Variant must be one of {}.", keys.join(", "))
        }),
        Field::Message => {
            if value.chars().count() > MAX_MESSAGE {
                Err(format!("Message must be at most {MAX_MESSAGE} characters."))
            } else {
                Ok(())
            }
        }
        Field::Frames => match value.chars().count() {
            0 => Err("Frames needs at least one character to cycle through.".to_string()),
            n if n > MAX_FRAMES => Err(format!("Frames must be at most {MAX_FRAMES} characters.")),
            _ => Ok(()),
        },
        Field::PeriodMs => {
            let (lo, hi) = PERIOD_RANGE_MS;
            match value.trim().parse::<u32>() {
                Ok(ms) if (lo..=hi).contains(&ms) => Ok(()),
                _ => Err(format!(
                    "Frame period (ms) must be a whole number from {lo} to {hi}."
                )),
            }
        }
        Field::Seconds => match parse_decimal(value) {
            None => Err("Seconds must be a number, e.g. 3 or 0.5.".to_string()),
            Some(s) if s < 0.0 => Err("Seconds must not be negative.".to_string()),
            Some(s) if s > MAX_SECONDS => Err(format!("Seconds must be at most {MAX_SECONDS}.")),
            Some(_) => Ok(()),
        },
        Field::Number => parse_u64(value)
            .map(|_| ())
            .map_err(|e| e.message("Number")),
    }
}

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

/// `slow()` returns 42, as in the book.
pub const ANSWER: u64 = 42;

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

/// The Stop button's explanation for variants nothing can interrupt.
pub const BLOCKING_STOP_NOTE: &str = "Stop cannot interrupt this variant: it holds the only thread \
    that could handle the click. The page stays frozen until slow() returns; only then is the click seen.";

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub params: SpinnerParams,
    pub elapsed_s: f64,
    pub spinner_frames: u32,
    pub stats: FrameStats,
    pub outcome: Outcome,
}

pub const HISTORY_COLUMNS: [&str; 8] = [
    "Run",
    "Variant",
    "Parameters",
    "Elapsed",
    "Spinner frames",
    "Longest frame gap",
    "Main thread blocked",
    "Outcome",
];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        let workload = match self.params.workload {
            Workload::Sleep { seconds } => format!("{seconds} s"),
            Workload::Prime { n } => format!("n = {}", group_thousands(n)),
        };
        vec![
            self.run_no.to_string(),
            self.params.variant.key().to_string(),
            format!("{workload}, every {} ms", self.params.period_ms),
            seconds_2(self.elapsed_s),
            self.spinner_frames.to_string(),
            millis(self.stats.longest_gap_ms),
            millis(self.stats.blocked_ms),
            self.outcome.summary(),
        ]
    }
}

/// The lab's state across runs; the view dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    /// The spinner line being redrawn in place (the terminal's `\r`).
    pub live_line: Option<String>,
    pub running: Option<Running>,
    pub spinner_frames: u32,
    pub stats: FrameStats,
    pub history: Vec<HistoryRow>,
    pub runs_started: u32,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: SpinnerParams,
    /// Set once slow() returned; the meter is settling before the row is recorded.
    pub finished: Option<(Outcome, f64)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Started(SpinnerParams),
    SpinnerFrame(String),
    Stats(FrameStats),
    /// slow() returned after `elapsed_s`.
    Finished {
        outcome: Outcome,
        elapsed_s: f64,
    },
    /// The frame meter has seen the last frame and long task of the run.
    Settled(FrameStats),
    Cancelled {
        elapsed_s: f64,
    },
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    fn record(&mut self, run_no: u32, params: SpinnerParams, elapsed_s: f64, outcome: Outcome) {
        self.history.push(HistoryRow {
            run_no,
            params,
            elapsed_s,
            spinner_frames: self.spinner_frames,
            stats: self.stats.clone(),
            outcome,
        });
    }
}

impl LabSession for Session {
    type Event = Event;

    fn apply(&mut self, event: Event) {
        match event {
            Event::Started(params) => {
                self.runs_started += 1;
                self.transcript = vec![spinner_object_line(params.variant, self.runs_started)];
                self.live_line = None;
                self.spinner_frames = 0;
                self.stats = FrameStats::default();
                self.running = Some(Running {
                    run_no: self.runs_started,
                    params,
                    finished: None,
                });
            }
            Event::SpinnerFrame(line) => {
                if self.running.as_ref().is_some_and(|r| r.finished.is_none()) {
                    self.spinner_frames += 1;
                    self.live_line = Some(line);
                }
            }
            Event::Stats(stats) => self.stats = stats,
            Event::Finished { outcome, elapsed_s } => {
                if let Some(running) = self.running.as_mut() {
                    self.live_line = None;
                    self.transcript.push(outcome.transcript_line());
                    running.finished = Some((outcome, elapsed_s));
                }
            }
            Event::Settled(stats) => {
                self.stats = stats;
                if let Some(Running {
                    run_no,
                    params,
                    finished: Some((outcome, elapsed_s)),
                }) = self.running.take()
                {
                    self.record(run_no, params, elapsed_s, outcome);
                }
            }
            Event::Cancelled { elapsed_s } => {
                if let Some(Running {
                    run_no,
                    params,
                    finished,
                }) = self.running.take()
                {
                    self.live_line = None;
                    // Stop while the meter settled: slow() had already answered.
                    let (outcome, elapsed_s) = finished.unwrap_or_else(|| {
                        let outcome = Outcome::Cancelled;
                        let line = match params.variant {
                            Variant::WorkerPrime => format!(
                                "{} The worker was terminated after {}.",
                                outcome.transcript_line(),
                                seconds_2(elapsed_s)
                            ),
                            _ => format!(
                                "{} Stopped after {}.",
                                outcome.transcript_line(),
                                seconds_2(elapsed_s)
                            ),
                        };
                        self.transcript.push(line);
                        (outcome, elapsed_s)
                    });
                    self.record(run_no, params, elapsed_s, outcome);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(Field, &str)]) -> SpinnerForm {
        let mut form = SpinnerForm::default();
        for (field, value) in pairs {
            form.set(*field, value.to_string());
        }
        form
    }

    fn errors_of(form: &SpinnerForm) -> Vec<Field> {
        form.validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn defaults_are_the_books() {
        let params = SpinnerForm::default().validate().unwrap();
        assert_eq!(params.variant, Variant::AsyncSleep);
        assert_eq!(params.message, "thinking!");
        assert_eq!(params.frames, vec!['\\', '|', '/', '-']);
        assert_eq!(params.period_ms, 100);
        assert_eq!(params.workload, Workload::Sleep { seconds: 3.0 });
        let prime = form(&[(Field::Variant, "nap-prime")]).validate().unwrap();
        assert_eq!(
            prime.workload,
            Workload::Prime {
                n: 5_000_111_000_222_021
            }
        );
    }

    #[test]
    fn bad_input_is_reported_per_field() {
        assert_eq!(
            errors_of(&form(&[(Field::Seconds, "-1")])),
            [Field::Seconds]
        );
        assert_eq!(
            errors_of(&form(&[(Field::Seconds, "abc")])),
            [Field::Seconds]
        );
        assert_eq!(
            errors_of(&form(&[(Field::Seconds, "31")])),
            [Field::Seconds]
        );
        assert_eq!(errors_of(&form(&[(Field::Frames, "")])), [Field::Frames]);
        assert_eq!(
            errors_of(&form(&[(Field::PeriodMs, "0")])),
            [Field::PeriodMs]
        );
        assert_eq!(
            errors_of(&form(&[(Field::PeriodMs, "1.5")])),
            [Field::PeriodMs]
        );
        for bad in ["abc", "-5", "18446744073709551616", ""] {
            let f = form(&[(Field::Variant, "worker-prime"), (Field::Number, bad)]);
            assert_eq!(errors_of(&f), [Field::Number], "{bad}");
        }
        let both = form(&[(Field::Frames, ""), (Field::PeriodMs, "0")]);
        assert_eq!(errors_of(&both), [Field::Frames, Field::PeriodMs]);
    }

    #[test]
    fn only_the_variants_fields_are_checked() {
        // A sleep variant ignores a bad Number, a prime variant a bad Seconds.
        assert!(form(&[(Field::Number, "abc")]).validate().is_ok());
        assert!(
            form(&[(Field::Variant, "blocking-prime"), (Field::Seconds, "abc")])
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn error_messages_name_the_field() {
        let msg = |f, v| check_field(f, v).unwrap_err();
        assert!(msg(Field::Seconds, "-1").contains("negative"));
        assert!(msg(Field::Number, "-5").contains("negative"));
        assert!(msg(Field::Number, "99999999999999999999").contains("18,446,744,073,709,551,615"));
        assert!(msg(Field::PeriodMs, "0").starts_with("Frame period (ms)"));
    }

    #[test]
    fn url_round_trip_and_fallbacks() {
        let f = form(&[(Field::Variant, "blocking-sleep"), (Field::Seconds, "2")]);
        let query: Vec<(String, String)> = f
            .query()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        assert_eq!(
            query[0],
            ("variant".to_string(), "blocking-sleep".to_string())
        );
        assert!(!query.iter().any(|(k, _)| k == "number"));
        let (back, notices) = SpinnerForm::from_query(&query);
        assert_eq!(back.validate(), f.validate());
        assert!(notices.is_empty());

        let bad = vec![
            ("variant".to_string(), "teleport".to_string()),
            ("seconds".to_string(), "abc".to_string()),
            ("colour".to_string(), "red".to_string()),
        ];
        let (fallback, notices) = SpinnerForm::from_query(&bad);
        assert_eq!(fallback, SpinnerForm::default());
        assert_eq!(notices.len(), 3);
        assert!(notices[1].contains("seconds=abc") && notices[1].contains("`3`"));
    }

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
    }

    fn params() -> SpinnerParams {
        SpinnerForm::default().validate().unwrap()
    }

    #[test]
    fn a_run_records_one_history_row() {
        let mut s = Session::default();
        s.apply(Event::Started(params()));
        s.apply(Event::SpinnerFrame("\\ thinking!".into()));
        s.apply(Event::SpinnerFrame("| thinking!".into()));
        assert_eq!(s.live_line.as_deref(), Some("| thinking!"));
        s.apply(Event::Finished {
            outcome: Outcome::Answer(42),
            elapsed_s: 3.01,
        });
        assert_eq!(s.live_line, None);
        assert!(s.is_running(), "still settling");
        s.apply(Event::SpinnerFrame("/ thinking!".into()));
        assert_eq!(s.spinner_frames, 2, "no frame after slow() returned");
        s.apply(Event::Settled(FrameStats {
            frames: 180,
            longest_gap_ms: 20.0,
            ..Default::default()
        }));
        assert!(!s.is_running());
        assert_eq!(s.transcript.last().unwrap(), "Answer: 42");
        assert_eq!(s.history.len(), 1);
        let cells = s.history[0].cells();
        assert_eq!(cells[0], "1");
        assert_eq!(cells[3], "3.01s");
        assert_eq!(cells[4], "2");
        assert_eq!(cells[5], "20 ms");
    }

    #[test]
    fn cancel_prints_a_line_and_records_the_run() {
        let mut s = Session::default();
        let mut p = params();
        p.variant = Variant::WorkerPrime;
        s.apply(Event::Started(p));
        s.apply(Event::Cancelled { elapsed_s: 0.5 });
        assert!(!s.is_running());
        assert!(
            s.transcript
                .last()
                .unwrap()
                .contains("worker was terminated after 0.50s")
        );
        assert_eq!(s.history[0].outcome, Outcome::Cancelled);
        // A second run starts a fresh transcript and numbers itself.
        s.apply(Event::Started(params()));
        assert_eq!(s.transcript.len(), 1);
        assert_eq!(s.running.as_ref().unwrap().run_no, 2);
    }

    #[test]
    fn stop_while_settling_keeps_the_answer() {
        let mut s = Session::default();
        s.apply(Event::Started(params()));
        s.apply(Event::Finished {
            outcome: Outcome::Answer(42),
            elapsed_s: 3.0,
        });
        s.apply(Event::Cancelled { elapsed_s: 3.1 });
        assert_eq!(s.history[0].outcome, Outcome::Answer(42));
        assert_eq!(s.transcript.last().unwrap(), "Answer: 42");
    }
}
