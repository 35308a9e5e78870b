//! The executors lab as plain data: the two demos (demo_executor_map's `loiter`, and
//! flags_threadpool_ac), form validation, URL parameters, transcript lines, the futures
//! table and its Gantt chart, `Session` + `Event`s and the run history — plus each demo's
//! `main()` as a future generic over sleeping / downloading, so the page and the native
//! tests run the same script on [`crate::runtime::executor`]. No browser types here.
//!
//! Job ids and slots are 0-based; the transcript's `result i` is the job id (its place in
//! submission order) and text shown to the reader numbers slots from 1 (`Slot 1`).
//!
//! Event times (`at_ms`, `elapsed_ms`) are real milliseconds since the run started. The
//! table and the Gantt chart are in *script* time — real time divided by the time scale —
//! so their numbers read as the script's seconds at any scale.

use std::fmt;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;

use futures::future::{LocalBoxFuture, join};
use futures::{FutureExt, StreamExt};

use crate::labs::form::{FormField, FormText};
use crate::labs::python::{self, Script};
use crate::labs::{LabForm, LabSession};
use crate::runtime::executor::{
    Clock, Driver, Executor, JobHandle, JobState, StopReport, as_completed,
};
use crate::text::{group_thousands, parse_decimal, seconds_2, shorten};

/// Which script the lab runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Demo {
    Loiter,
    FlagsAc,
}

impl Demo {
    pub const ALL: [Demo; 2] = [Demo::Loiter, Demo::FlagsAc];

    pub fn key(self) -> &'static str {
        match self {
            Demo::Loiter => "loiter",
            Demo::FlagsAc => "flags_threadpool_ac",
        }
    }

    pub fn parse(key: &str) -> Option<Demo> {
        Demo::ALL.into_iter().find(|d| d.key() == key.trim())
    }

    /// The option text in the form.
    pub fn label(self) -> &'static str {
        match self {
            Demo::Loiter => "loiter — demo_executor_map.py: map vs as_completed on sleeping jobs",
            Demo::FlagsAc => "flags_threadpool_ac — submit + as_completed, showing the futures",
        }
    }

    /// The reference script the demo mirrors (its file in `python/`).
    pub fn python_reference(self) -> Script {
        match self {
            Demo::Loiter => python::DEMO_EXECUTOR_MAP,
            Demo::FlagsAc => python::FLAGS_THREADPOOL_AC,
        }
    }

    /// What actually runs in the browser when this demo is picked.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Demo::Loiter => {
                "Each loiter(n) is an async job on the page's event loop: it awaits a setTimeout \
                 sleep of n seconds × the time scale. The executor has Max workers slots — the \
                 pool's threads: a job runs once it holds a slot, and a job that ends hands its \
                 slot to the oldest pending one. With map, every job is submitted at once and the \
                 results are yielded in submission order, so a slow job holds back every result \
                 behind it, finished or not (compare Ended and Delivered in the table); an error \
                 surfaces when the loop reaches it, ends the loop and cancels the jobs still \
                 pending. With as_completed, each future is yielded as soon as it is done."
            }
            Demo::FlagsAc => {
                "download_one(cc) fetches the flag with fetch() from the playground's flag server \
                 (LOCAL answers at once; DELAY waits before answering), as a job of an executor \
                 with Max workers slots. Right after each submit the script prints the future: the \
                 first Max workers got a slot and are running, the rest are pending. as_completed \
                 then yields each future as it finishes."
            }
        }
    }
}

/// How the loiter demo collects its results.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Collect {
    Map,
    AsCompleted,
}

impl Collect {
    pub const ALL: [Collect; 2] = [Collect::Map, Collect::AsCompleted];

    pub fn key(self) -> &'static str {
        match self {
            Collect::Map => "map",
            Collect::AsCompleted => "as_completed",
        }
    }

    pub fn parse(key: &str) -> Option<Collect> {
        Collect::ALL.into_iter().find(|c| c.key() == key.trim())
    }

    pub fn label(self) -> &'static str {
        match self {
            Collect::Map => "map — results in submission order",
            Collect::AsCompleted => "submit + as_completed — results in completion order",
        }
    }
}

/// The flag server the flags demo downloads from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    Local,
    Delay,
}

impl Server {
    pub const ALL: [Server; 2] = [Server::Local, Server::Delay];

    pub fn key(self) -> &'static str {
        match self {
            Server::Local => "LOCAL",
            Server::Delay => "DELAY",
        }
    }

    /// Case-insensitive, as `--server` is.
    pub fn parse(key: &str) -> Option<Server> {
        Server::ALL
            .into_iter()
            .find(|s| s.key().eq_ignore_ascii_case(key.trim()))
    }

    pub fn label(self) -> &'static str {
        match self {
            Server::Local => "LOCAL — answers at once",
            Server::Delay => "DELAY — every answer delayed by the server",
        }
    }
}

/// A form field of the lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Demo,
    Delays,
    MaxWorkers,
    CollectWith,
    TimeScale,
    Server,
}

impl Field {
    pub const ALL: [Field; 6] = [
        Field::Demo,
        Field::Delays,
        Field::MaxWorkers,
        Field::CollectWith,
        Field::TimeScale,
        Field::Server,
    ];

    /// The URL parameter name.
    pub fn key(self) -> &'static str {
        match self {
            Field::Demo => "demo",
            Field::Delays => "delays",
            Field::MaxWorkers => "workers",
            Field::CollectWith => "collect",
            Field::TimeScale => "scale",
            Field::Server => "server",
        }
    }

    /// The visible `<label>`.
    pub fn label(self) -> &'static str {
        match self {
            Field::Demo => "Demo",
            Field::Delays => "Delays (s)",
            Field::MaxWorkers => "Max workers",
            Field::CollectWith => "Collect with",
            Field::TimeScale => "Time scale",
            Field::Server => "Server",
        }
    }
}

pub const WORKERS_RANGE: (usize, usize) = (1, 64);
pub const MAX_DELAYS: usize = 1000;
/// An hour: a longer sleep teaches nothing more (and setTimeout tops out at ~24.8 days).
pub const MAX_DELAY_S: f64 = 3600.0;
/// Slower than 10× real time is no use either.
pub const MAX_TIME_SCALE: f64 = 10.0;
pub const DEFAULT_DELAYS: &str = "0 1 2 3 4";
pub const DEFAULT_WORKERS: usize = 3;

/// Shown under the Delays field.
pub const DELAYS_HINT: &str = "Seconds each loiter(n) sleeps, separated by spaces or commas; \
    fractions are fine (1.5). Prefix ! to make that call raise an error after sleeping (!3).";

/// Shown under the Time scale field.
pub const TIME_SCALE_HINT: &str = "1 = real seconds; 0.1 runs ten times faster. With a scale \
    other than 1, each line also shows the script's time since the start (+1000ms = 1 s of \
    script time, whatever the scale).";

/// The 20 most populous countries (SPEC Lab 3), in that order.
pub const POP20_CC: [&str; 20] = [
    "CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP", "MX", "PH", "VN", "ET", "EG", "DE",
    "IR", "TR", "CD", "FR",
];

/// flags_threadpool_ac's list: the first 5 of POP20_CC, sorted — `BR CN ID IN US`.
pub fn flag_codes() -> Vec<&'static str> {
    let mut codes = POP20_CC[..5].to_vec();
    codes.sort_unstable();
    codes
}

/// A number as Python's `repr(float)` writes it: `15.0`, `1.5`, `1e-05`, `1e+16`.
pub fn py_float(x: f64) -> String {
    // Rust's Debug already picks the shortest round-trip digits, adds `.0` to whole
    // numbers and switches to exponents where Python does; only the exponent differs.
    let text = format!("{x:?}");
    match text.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => text,
    }
}

/// A string as Python's `repr(str)` writes it: `'CN'`.
pub fn py_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// An exception a job raised: its type name and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JobError {
    /// `RuntimeError`, `HTTPError`, …
    pub kind: String,
    pub message: String,
}

impl JobError {
    pub fn new(kind: impl Into<String>, message: impl Into<String>) -> Self {
        JobError {
            kind: kind.into(),
            message: message.into(),
        }
    }

    /// `RuntimeError('loiter(2) failed')`, as `{exc!r}` prints it.
    pub fn repr(&self) -> String {
        format!("{}({})", self.kind, py_str(&self.message))
    }
}

impl fmt::Display for JobError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind, self.message)
    }
}

/// A job's result as the transcript needs it: the returned value's `repr`, or the error.
pub type Outcome = Result<String, JobError>;

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
            py_float(self.seconds)
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
            py_float(self.seconds * 10.0)
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
    if entries.is_empty() {
        return Err("Delays needs at least one delay, e.g. 0 1 2 3 4.".to_string());
    }
    if entries.len() > MAX_DELAYS {
        return Err(format!(
            "Delays must have at most {} entries; this list has {}.",
            group_thousands(MAX_DELAYS as u64),
            group_thousands(entries.len() as u64)
        ));
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, &entry)| {
            let at = format!("\"{}\" (entry {})", shorten(entry, 24), i + 1);
            let (fails, number) = match entry.strip_prefix('!') {
                Some(rest) => (true, rest),
                None => (false, entry),
            };
            let seconds = parse_decimal(number).ok_or_else(|| {
                format!(
                    "{at} is not a number of seconds; write e.g. 2, 0.5, or !3 to fail after 3 s."
                )
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
        })
        .collect()
}

/// Validates one field's text; the error is the message shown next to it.
pub fn check_field(field: Field, value: &str) -> Result<(), String> {
    match field {
        Field::Demo => Demo::parse(value).map(|_| ()).ok_or_else(|| {
            let keys: Vec<&str> = Demo::ALL.iter().map(|d| d.key()).collect();
            format!("Demo must be one of {}.", keys.join(", "))
        }),
        Field::Delays => parse_delays(value).map(|_| ()),
        Field::MaxWorkers => {
            let (lo, hi) = WORKERS_RANGE;
            match value.trim().parse::<usize>() {
                Ok(n) if (lo..=hi).contains(&n) => Ok(()),
                _ => Err(format!(
                    "Max workers must be a whole number from {lo} to {hi}."
                )),
            }
        }
        Field::CollectWith => Collect::parse(value)
            .map(|_| ())
            .ok_or_else(|| "Collect with must be map or as_completed.".to_string()),
        Field::TimeScale => match parse_decimal(value) {
            None => Err("Time scale must be a number, e.g. 1 or 0.1.".to_string()),
            Some(s) if s <= 0.0 => Err(
                "Time scale must be greater than 0 (1 = real seconds, 0.1 = ten times faster)."
                    .to_string(),
            ),
            Some(s) if s > MAX_TIME_SCALE => {
                Err(format!("Time scale must be at most {MAX_TIME_SCALE}."))
            }
            Some(_) => Ok(()),
        },
        Field::Server => Server::parse(value)
            .map(|_| ())
            .ok_or_else(|| "Server must be LOCAL or DELAY.".to_string()),
    }
}

/// Validated parameters of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct ExecutorsParams {
    pub demo: Demo,
    /// loiter: the calls, in submission order; empty for flags.
    pub delays: Vec<Delay>,
    /// flags: the country codes, in submission order; empty for loiter.
    pub codes: Vec<String>,
    pub workers: usize,
    /// Always as_completed for flags.
    pub collect: Collect,
    /// Real seconds per script second; always 1 for flags.
    pub time_scale: f64,
    pub server: Server,
}

impl ExecutorsParams {
    pub fn job_count(&self) -> usize {
        match self.demo {
            Demo::Loiter => self.delays.len(),
            Demo::FlagsAc => self.codes.len(),
        }
    }

    /// Job `id`'s call: `loiter(3)`, `loiter(2, fail=True)`, `download_one('BR')`.
    pub fn call(&self, id: usize) -> String {
        match self.demo {
            Demo::Loiter => self.delays.get(id).map(Delay::call).unwrap_or_default(),
            Demo::FlagsAc => self
                .codes
                .get(id)
                .map(|cc| format!("download_one({})", py_str(cc)))
                .unwrap_or_default(),
        }
    }

    /// The jobs as the history shows them: `0 1 !2 3 4`, `BR CN ID IN US (LOCAL)`.
    pub fn jobs_text(&self) -> String {
        match self.demo {
            Demo::Loiter => {
                let entries: Vec<String> = self.delays.iter().map(Delay::entry).collect();
                shorten(&entries.join(" "), 40)
            }
            Demo::FlagsAc => format!("{} ({})", self.codes.join(" "), self.server.key()),
        }
    }

    /// Whether the time scale differs from 1.
    pub fn is_scaled(&self) -> bool {
        (self.time_scale - 1.0).abs() > 1e-12
    }
}

/// The form as typed: raw text per field, validated on Run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecutorsForm {
    pub demo: String,
    pub delays: String,
    pub workers: String,
    pub collect: String,
    pub time_scale: String,
    pub server: String,
}

impl Default for ExecutorsForm {
    fn default() -> Self {
        ExecutorsForm {
            demo: Demo::Loiter.key().to_string(),
            delays: DEFAULT_DELAYS.to_string(),
            workers: DEFAULT_WORKERS.to_string(),
            collect: Collect::Map.key().to_string(),
            time_scale: "1".to_string(),
            server: Server::Local.key().to_string(),
        }
    }
}

impl ExecutorsForm {
    /// The chosen demo, or loiter while the text is not one.
    pub fn demo(&self) -> Demo {
        Demo::parse(&self.demo).unwrap_or(Demo::Loiter)
    }

    /// Every field in use that fails its check, in form order.
    fn errors(&self) -> Vec<(Field, String)> {
        self.fields()
            .into_iter()
            .filter_map(|f| Self::check(f, self.get(f)).err().map(|e| (f, e)))
            .collect()
    }

    /// Checks every field the demo uses; all errors at once, one per field.
    pub fn validate(&self) -> Result<ExecutorsParams, Vec<(Field, String)>> {
        let errors = self.errors();
        if !errors.is_empty() {
            return Err(errors);
        }
        let demo = self.demo();
        let workers = self.workers.trim().parse().expect("validated");
        Ok(match demo {
            Demo::Loiter => ExecutorsParams {
                demo,
                delays: parse_delays(&self.delays).expect("validated"),
                codes: Vec::new(),
                workers,
                collect: Collect::parse(&self.collect).expect("validated"),
                time_scale: parse_decimal(&self.time_scale).expect("validated"),
                server: Server::Local,
            },
            Demo::FlagsAc => ExecutorsParams {
                demo,
                delays: Vec::new(),
                codes: flag_codes().into_iter().map(str::to_string).collect(),
                workers,
                collect: Collect::AsCompleted,
                time_scale: 1.0,
                server: Server::parse(&self.server).expect("validated"),
            },
        })
    }

    /// Fills the form from URL parameters; unknown keys and invalid values fall back to
    /// the defaults, each with a notice for the reader.
    pub fn from_query(query: &[(String, String)]) -> (ExecutorsForm, Vec<String>) {
        ExecutorsForm::default().with_query(query)
    }
}

impl FormField for Field {
    const ALL: &'static [Field] = &Field::ALL;

    fn key(self) -> &'static str {
        Field::key(self)
    }

    fn label(self) -> &'static str {
        Field::label(self)
    }
}

impl FormText for ExecutorsForm {
    type Field = Field;
    type Parsed = ();

    fn get(&self, field: Field) -> &str {
        match field {
            Field::Demo => &self.demo,
            Field::Delays => &self.delays,
            Field::MaxWorkers => &self.workers,
            Field::CollectWith => &self.collect,
            Field::TimeScale => &self.time_scale,
            Field::Server => &self.server,
        }
    }

    fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::Demo => &mut self.demo,
            Field::Delays => &mut self.delays,
            Field::MaxWorkers => &mut self.workers,
            Field::CollectWith => &mut self.collect,
            Field::TimeScale => &mut self.time_scale,
            Field::Server => &mut self.server,
        };
        *slot = value;
    }

    fn check(field: Field, value: &str) -> Result<(), String> {
        check_field(field, value)
    }

    fn parse(&self) {}
}

impl LabForm for ExecutorsForm {
    type Params = ExecutorsParams;

    fn validate(&self) -> Result<ExecutorsParams, Vec<(Field, String)>> {
        ExecutorsForm::validate(self)
    }

    /// The fields the chosen demo uses, in form order.
    fn fields(&self) -> Vec<Field> {
        match self.demo() {
            Demo::Loiter => vec![
                Field::Demo,
                Field::Delays,
                Field::MaxWorkers,
                Field::CollectWith,
                Field::TimeScale,
            ],
            Demo::FlagsAc => vec![Field::Demo, Field::MaxWorkers, Field::Server],
        }
    }
}

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

/// `[15:56:50]`, or at a time scale other than 1 `[15:56:50 +1000ms]`: the wall clock,
/// then the script's time since the start (real ms ÷ scale).
pub fn stamp(wall: WallClock, at_ms: f64, time_scale: f64) -> String {
    if (time_scale - 1.0).abs() > 1e-12 {
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
/// `<Future at 0x… state=finished raised HTTPError>`, as `Future.__repr__` prints it.
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
    let flags = if count == 1 { "flag" } else { "flags" };
    format!("{count} {flags} downloaded in {}", seconds_2(elapsed_s))
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

/// A job as the futures table shows it; `Abandoned` is a job still running at Stop.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobStatus {
    Pending,
    Running,
    Finished,
    Failed,
    Cancelled,
    Abandoned,
}

impl JobStatus {
    /// The table text and the CSS class.
    pub fn key(self) -> &'static str {
        match self {
            JobStatus::Pending => "pending",
            JobStatus::Running => "running",
            JobStatus::Finished => "finished",
            JobStatus::Failed => "failed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Abandoned => "abandoned",
        }
    }
}

impl From<JobState> for JobStatus {
    fn from(state: JobState) -> Self {
        match state {
            JobState::Pending => JobStatus::Pending,
            JobState::Running => JobStatus::Running,
            JobState::Finished => JobStatus::Finished,
            JobState::Failed => JobStatus::Failed,
            JobState::Cancelled => JobStatus::Cancelled,
        }
    }
}

/// One row of the futures table. Times are script ms since the run started.
#[derive(Clone, Debug, PartialEq)]
pub struct JobRow {
    pub id: usize,
    /// `loiter(3)`, `download_one('BR')`.
    pub call: String,
    pub status: JobStatus,
    pub slot: Option<usize>,
    pub start_ms: Option<f64>,
    pub end_ms: Option<f64>,
    pub outcome: Option<Outcome>,
    /// When the consumer loop received it.
    pub delivered_ms: Option<f64>,
}

pub const TABLE_COLUMNS: [&str; 8] = [
    "#",
    "Call",
    "State",
    "Slot",
    "Started",
    "Ended",
    "Result",
    "Delivered",
];

fn time_cell(ms: Option<f64>) -> String {
    ms.map_or_else(|| "—".to_string(), |ms| seconds_2(ms / 1000.0))
}

impl JobRow {
    /// How long a finished result waited for the consumer: map's lesson.
    pub fn held_ms(&self) -> Option<f64> {
        Some((self.delivered_ms? - self.end_ms?).max(0.0))
    }

    pub fn cells(&self) -> Vec<String> {
        let delivered = match (self.delivered_ms, self.held_ms()) {
            (Some(at), Some(held)) if held >= 5.0 => {
                format!("{} (held {})", time_cell(Some(at)), time_cell(Some(held)))
            }
            (at, _) => time_cell(at),
        };
        vec![
            self.id.to_string(),
            self.call.clone(),
            self.status.key().to_string(),
            self.slot
                .map_or_else(|| "—".to_string(), |s| (s + 1).to_string()),
            time_cell(self.start_ms),
            time_cell(self.end_ms),
            match &self.outcome {
                Some(Ok(value)) => value.clone(),
                Some(Err(error)) => error.repr(),
                None => "—".to_string(),
            },
            delivered,
        ]
    }
}

/// One job on the Gantt chart: a bar in its slot's lane, and when it was delivered.
#[derive(Clone, Debug, PartialEq)]
pub struct GanttBar {
    pub id: usize,
    pub lane: usize,
    pub call: String,
    pub status: JobStatus,
    pub start_ms: f64,
    /// `None` while running.
    pub end_ms: Option<f64>,
    /// The consumer loop received it (the marker).
    pub delivered_ms: Option<f64>,
}

impl GanttBar {
    /// The right edge: the end, or `now_ms` while running.
    pub fn end_or(&self, now_ms: f64) -> f64 {
        self.end_ms.unwrap_or(now_ms.max(self.start_ms))
    }

    /// The CSS class: the status key.
    pub fn class(&self) -> &'static str {
        self.status.key()
    }

    /// The hover text: `loiter(3): finished, 0.00s–3.00s; delivered at 3.00s`.
    pub fn title(&self, now_ms: f64) -> String {
        let mut text = format!(
            "{}: {}, {}–{}",
            self.call,
            self.status.key(),
            time_cell(Some(self.start_ms)),
            time_cell(Some(self.end_or(now_ms)))
        );
        if let Some(at) = self.delivered_ms {
            text += &format!("; delivered at {}", time_cell(Some(at)));
        }
        text
    }
}

/// One lane per slot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Gantt {
    pub lanes: usize,
    pub bars: Vec<GanttBar>,
}

impl Gantt {
    /// The time axis' right end: the last end or delivery, or `now_ms` while one runs.
    pub fn span_ms(&self, now_ms: f64) -> f64 {
        self.bars
            .iter()
            .map(|b| b.end_or(now_ms).max(b.delivered_ms.unwrap_or(0.0)))
            .fold(0.0, f64::max)
    }
}

/// `Slot 1`, `Slot 2`, …
pub fn lane_label(lane: usize) -> String {
    format!("Slot {}", lane + 1)
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The view dispatches this before spawning the run; `wall` is the local time now.
    Started {
        params: ExecutorsParams,
        wall: WallClock,
    },
    /// flags: `executor.submit(download_one, cc)` returned a future in `state`.
    Scheduled {
        id: usize,
        state: JobState,
        at_ms: f64,
    },
    /// loiter: every job is submitted and the result stream exists, not consumed yet.
    Submitted { at_ms: f64 },
    /// The job got `slot` and runs.
    JobStarted { id: usize, slot: usize, at_ms: f64 },
    JobEnded {
        id: usize,
        outcome: Outcome,
        at_ms: f64,
    },
    /// Cancelled while pending (e.g. by `map` after an error).
    JobCancelled { id: usize, at_ms: f64 },
    /// The consumer loop received job `id`'s result.
    Delivered { id: usize, at_ms: f64 },
    /// The `with` block is over: every job is done.
    Finished { elapsed_ms: f64 },
    /// Stop: the pending jobs were cancelled, the running ones abandoned.
    Cancelled {
        cancelled: Vec<usize>,
        abandoned: Vec<usize>,
        elapsed_ms: f64,
    },
}

impl Event {
    /// The Stop event for what [`Executor::cancel_pending`] reported.
    pub fn stopped(report: StopReport, elapsed_ms: f64) -> Event {
        Event::Cancelled {
            cancelled: report.cancelled,
            abandoned: report.abandoned,
            elapsed_ms,
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum RunOutcome {
    Completed {
        ok: usize,
        failed: usize,
    },
    /// map: the loop ended at the error in result `result`.
    StoppedAtError {
        result: usize,
    },
    Cancelled {
        cancelled: usize,
        abandoned: usize,
    },
}

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub params: ExecutorsParams,
    pub elapsed_s: f64,
    pub outcome: RunOutcome,
}

pub const HISTORY_COLUMNS: [&str; 8] = [
    "Run",
    "Demo",
    "Jobs",
    "Max workers",
    "Collect with",
    "Time scale",
    "Elapsed",
    "Outcome",
];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        let p = &self.params;
        let loiter = p.demo == Demo::Loiter;
        let (good, bad) = if loiter {
            ("result", "error")
        } else {
            ("downloaded", "error")
        };
        let outcome = match self.outcome {
            RunOutcome::Completed { ok, failed: 0 } if loiter => {
                format!("{ok} {good}{}", if ok == 1 { "" } else { "s" })
            }
            RunOutcome::Completed { ok, failed: 0 } => format!("{ok} {good}"),
            RunOutcome::Completed { ok, failed } => format!(
                "{ok} {good}{}, {failed} {bad}{}",
                if loiter && ok != 1 { "s" } else { "" },
                if failed == 1 { "" } else { "s" }
            ),
            RunOutcome::StoppedAtError { result } => format!("error in result {result}"),
            RunOutcome::Cancelled {
                cancelled,
                abandoned,
            } => format!("stopped: {cancelled} cancelled, {abandoned} abandoned"),
        };
        vec![
            self.run_no.to_string(),
            p.demo.key().to_string(),
            p.jobs_text(),
            p.workers.to_string(),
            p.collect.key().to_string(),
            if loiter {
                format!("{}", p.time_scale)
            } else {
                "—".to_string()
            },
            seconds_2(self.elapsed_s),
            outcome,
        ]
    }
}

/// The lab's state across runs; the view dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    /// The current (or last) run's futures, by id.
    pub jobs: Vec<JobRow>,
    /// The current (or last) run's pool size: the Gantt chart's lanes.
    pub workers: usize,
    /// The current (or last) run's time scale (1 before any run).
    pub time_scale: f64,
    /// When Stop was pressed (script ms): the abandoned bars end there.
    pub stopped_ms: Option<f64>,
    pub running: Option<Running>,
    pub history: Vec<HistoryRow>,
    pub runs_started: u32,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: ExecutorsParams,
    pub wall: WallClock,
    /// map: the loop ended at this result's error; later deliveries are not printed.
    pub map_error: Option<usize>,
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Real ms since the start → script ms, at the current (or last) run's scale.
    pub fn script_ms(&self, real_ms: f64) -> f64 {
        if self.time_scale > 0.0 {
            real_ms / self.time_scale
        } else {
            real_ms
        }
    }

    /// (delivered, total) of the run in progress or the last one.
    pub fn progress(&self) -> (usize, usize) {
        let delivered = self
            .jobs
            .iter()
            .filter(|j| j.delivered_ms.is_some())
            .count();
        (delivered, self.jobs.len())
    }

    /// The Gantt chart: every job that got a slot, in its lane.
    pub fn gantt(&self) -> Gantt {
        let bars = self
            .jobs
            .iter()
            .filter_map(|job| {
                Some(GanttBar {
                    id: job.id,
                    lane: job.slot?,
                    call: job.call.clone(),
                    status: job.status,
                    start_ms: job.start_ms?,
                    end_ms: match job.status {
                        JobStatus::Abandoned => self.stopped_ms,
                        _ => job.end_ms,
                    },
                    delivered_ms: job.delivered_ms,
                })
            })
            .collect();
        Gantt {
            lanes: self.workers,
            bars,
        }
    }

    /// Adds a line: stamped for loiter (every line), as printed for flags.
    fn say(&mut self, at_ms: f64, text: String) {
        let Some(running) = &self.running else { return };
        let line = match running.params.demo {
            Demo::Loiter => format!(
                "{} {text}",
                stamp(running.wall, at_ms, running.params.time_scale)
            ),
            Demo::FlagsAc => text,
        };
        self.transcript.push(line);
    }

    fn record(&mut self, running: Running, elapsed_ms: f64, outcome: RunOutcome) {
        self.history.push(HistoryRow {
            run_no: running.run_no,
            params: running.params,
            elapsed_s: elapsed_ms / 1000.0,
            outcome,
        });
    }
}

impl LabSession for Session {
    type Event = Event;

    fn cancelled(elapsed_s: f64) -> Event {
        Event::Cancelled { cancelled: Vec::new(), abandoned: Vec::new(), elapsed_ms: elapsed_s * 1000.0 }
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Started { params, wall } => self.start(params, wall),
            event => self.apply_to_run(event),
        }
    }
}

impl Session {
    fn start(&mut self, params: ExecutorsParams, wall: WallClock) {
        self.runs_started += 1;
        self.transcript.clear();
        self.jobs = (0..params.job_count())
            .map(|id| JobRow {
                id,
                call: params.call(id),
                status: JobStatus::Pending,
                slot: None,
                start_ms: None,
                end_ms: None,
                outcome: None,
                delivered_ms: None,
            })
            .collect();
        self.workers = params.workers;
        self.time_scale = params.time_scale;
        self.stopped_ms = None;
        let scaled = params.demo == Demo::Loiter && params.is_scaled();
        let time_scale = params.time_scale;
        let loiter = params.demo == Demo::Loiter;
        self.running = Some(Running {
            run_no: self.runs_started,
            params,
            wall,
            map_error: None,
        });
        if scaled {
            self.say(0.0, time_scale_line(time_scale));
        }
        if loiter {
            self.say(0.0, "Script starting.".to_string());
        }
    }

    /// Every event but `Started`: ignored outside a run (late events after Stop).
    fn apply_to_run(&mut self, event: Event) {
        let Some(running) = self.running.as_ref() else {
            return;
        };
        let params = running.params.clone();
        let script = |at_ms: f64| at_ms / params.time_scale;
        match event {
            Event::Started { .. } => {} // see `apply`
            Event::Scheduled { id, state, at_ms } => {
                if let (Demo::FlagsAc, Some(cc)) = (params.demo, params.codes.get(id)) {
                    self.say(at_ms, scheduled_line(cc, id, state));
                }
            }
            Event::Submitted { at_ms } => {
                if params.demo == Demo::Loiter {
                    self.say(at_ms, results_line(params.collect, params.job_count()));
                    self.say(at_ms, WAITING_LINE.to_string());
                }
            }
            Event::JobStarted { id, slot, at_ms } => {
                let Some(row) = self.jobs.get_mut(id) else {
                    return;
                };
                row.status = JobStatus::Running;
                row.slot = Some(slot);
                row.start_ms = Some(script(at_ms));
                if let Some(delay) = params.delays.get(id) {
                    self.say(at_ms, delay.start_line());
                }
            }
            Event::JobEnded { id, outcome, at_ms } => {
                let Some(row) = self.jobs.get_mut(id) else {
                    return;
                };
                row.status = if outcome.is_ok() {
                    JobStatus::Finished
                } else {
                    JobStatus::Failed
                };
                row.end_ms = Some(script(at_ms));
                let ok = outcome.is_ok();
                row.outcome = Some(outcome);
                if let Some(delay) = params.delays.get(id) {
                    self.say(at_ms, delay.end_line(ok));
                }
            }
            Event::JobCancelled { id, at_ms } => {
                if let Some(row) = self.jobs.get_mut(id) {
                    row.status = JobStatus::Cancelled;
                    row.end_ms = Some(script(at_ms));
                }
            }
            Event::Delivered { id, at_ms } => {
                if running.map_error.is_some() {
                    return;
                }
                let Some(row) = self.jobs.get_mut(id) else {
                    return;
                };
                row.delivered_ms = Some(script(at_ms));
                let Some(outcome) = row.outcome.clone() else {
                    return;
                };
                let line = match params.demo {
                    Demo::Loiter => result_line(id, &outcome),
                    Demo::FlagsAc => flag_result_line(&params.codes[id], id, &outcome),
                };
                if outcome.is_err() && params.collect == Collect::Map {
                    if let Some(running) = self.running.as_mut() {
                        running.map_error = Some(id);
                    }
                }
                self.say(at_ms, line);
            }
            Event::Finished { elapsed_ms } => {
                let ok = self
                    .jobs
                    .iter()
                    .filter(|j| j.delivered_ms.is_some() && matches!(j.outcome, Some(Ok(_))))
                    .count();
                let failed = self
                    .jobs
                    .iter()
                    .filter(|j| j.delivered_ms.is_some() && matches!(j.outcome, Some(Err(_))))
                    .count();
                if params.demo == Demo::FlagsAc {
                    self.say(elapsed_ms, flags_footer(ok, elapsed_ms / 1000.0));
                }
                let running = self.running.take().expect("checked");
                let outcome = match running.map_error {
                    Some(result) => RunOutcome::StoppedAtError { result },
                    None => RunOutcome::Completed { ok, failed },
                };
                self.record(running, elapsed_ms, outcome);
            }
            Event::Cancelled {
                cancelled,
                abandoned,
                elapsed_ms,
            } => {
                let stopped = script(elapsed_ms);
                self.stopped_ms = Some(stopped);
                for &id in &cancelled {
                    if let Some(row) = self.jobs.get_mut(id) {
                        row.status = JobStatus::Cancelled;
                        row.end_ms.get_or_insert(stopped);
                    }
                }
                for &id in &abandoned {
                    if let Some(row) = self.jobs.get_mut(id) {
                        row.status = JobStatus::Abandoned;
                    }
                }
                let calls = |ids: &[usize]| -> Vec<String> {
                    ids.iter()
                        .map(|&id| match params.demo {
                            Demo::Loiter => {
                                params.delays.get(id).map(Delay::label).unwrap_or_default()
                            }
                            Demo::FlagsAc => params.call(id),
                        })
                        .collect()
                };
                self.say(
                    elapsed_ms,
                    stop_line(&calls(&cancelled), &calls(&abandoned)),
                );
                let running = self.running.take().expect("checked");
                self.record(
                    running,
                    elapsed_ms,
                    RunOutcome::Cancelled {
                        cancelled: cancelled.len(),
                        abandoned: abandoned.len(),
                    },
                );
            }
        }
    }
}

/// A run ready to go: spawn [`Run::future`] — the demo's `main()`, i.e. the script and
/// the executor's driver joined, like a `with ThreadPoolExecutor(...)` block, followed by
/// [`Event::Finished`] — and keep [`Run::stopper`] next to its task for Stop.
pub struct Run {
    pub stopper: Stopper,
    pub future: LocalBoxFuture<'static, ()>,
}

/// Stops a run: see [`Stopper::stop`].
#[derive(Clone)]
pub struct Stopper {
    executor: Executor<String, JobError>,
    since_start: SinceStart,
}

impl Stopper {
    /// Real ms since the run was created.
    pub fn elapsed_ms(&self) -> f64 {
        (self.since_start)()
    }

    /// The run's executor (its jobs, for a live view of their states).
    pub fn executor(&self) -> &Executor<String, JobError> {
        &self.executor
    }

    /// Stop: cancels the pending jobs (their `JobCancelled` events are emitted first) and
    /// returns the event that names them and the running ones. The caller dispatches it,
    /// then drops the task running [`Run::future`], which drops the running jobs with it:
    /// abandoned.
    pub fn stop(&self) -> Event {
        let report = self.executor.cancel_pending();
        Event::stopped(report, self.elapsed_ms())
    }
}

/// The emitter the view passes: dispatches into the `Session` reducer.
pub type Emit = Rc<dyn Fn(Event)>;

/// Real ms since the run started.
type SinceStart = Rc<dyn Fn() -> f64>;

/// The executor, reporting every job's start, end and cancellation to `emit`.
fn observed_executor(
    workers: usize,
    clock: Clock,
    emit: &Emit,
) -> (Executor<String, JobError>, Driver, SinceStart) {
    let t0 = clock();
    let since_start: SinceStart = {
        let clock = clock.clone();
        Rc::new(move || clock() - t0)
    };
    let (executor, driver) = Executor::new(workers, clock);
    let (emit, since) = (emit.clone(), since_start.clone());
    executor.on_change(move |job: &JobHandle<String, JobError>| {
        let at_ms = since();
        let id = job.id();
        let event = match (job.state(), job.result()) {
            (JobState::Running, _) => Event::JobStarted {
                id,
                slot: job.slot().unwrap_or(0),
                at_ms,
            },
            (JobState::Finished | JobState::Failed, Some(outcome)) => {
                Event::JobEnded { id, outcome, at_ms }
            }
            (JobState::Cancelled, _) => Event::JobCancelled { id, at_ms },
            _ => return,
        };
        emit(event);
    });
    (executor, driver, since_start)
}

/// The `for future in as_completed(...)` loop: reports each job as the loop receives it.
async fn deliver_as_completed(
    handles: Vec<JobHandle<String, JobError>>,
    emit: &Emit,
    since: &SinceStart,
) {
    let mut done = pin!(as_completed(handles));
    while let Some(job) = done.next().await {
        emit(Event::Delivered {
            id: job.id(),
            at_ms: since(),
        });
    }
}

/// A demo's run: its script joined with the executor's driver (the `with` block waits for
/// the running jobs), then `Finished`. The script shuts the executor down and hands `emit` back.
fn into_run(
    executor: Executor<String, JobError>,
    driver: Driver,
    since_start: SinceStart,
    script: impl Future<Output = Emit> + 'static,
) -> Run {
    let since = since_start.clone();
    let future = async move {
        let ((), emit) = join(driver, script).await;
        emit(Event::Finished {
            elapsed_ms: since(),
        });
    }
    .boxed_local();
    Run {
        stopper: Stopper {
            executor,
            since_start,
        },
        future,
    }
}

/// demo_executor_map.py's `main()`: submits `loiter(n)` for every delay (each sleeping
/// `sleep(ms)` — real ms, already scaled), prints the result stream, then collects the
/// results with `map` or `as_completed`. `clock` gives real ms.
pub fn loiter_run<S, F>(params: &ExecutorsParams, clock: Clock, sleep: S, emit: Emit) -> Run
where
    S: Fn(f64) -> F + 'static,
    F: Future<Output = ()> + 'static,
{
    let (executor, driver, since_start) = observed_executor(params.workers, clock, &emit);
    let sleep = Rc::new(sleep);
    let scale = params.time_scale;
    let jobs: Vec<LocalBoxFuture<'static, Outcome>> = params
        .delays
        .iter()
        .map(|&delay| {
            let sleep = sleep.clone();
            // Lazy: the timer starts when the job gets its slot and is first polled.
            async move {
                sleep(delay.sleep_ms(scale)).await;
                delay.outcome()
            }
            .boxed_local()
        })
        .collect();
    let collect = params.collect;
    let (exec, since) = (executor.clone(), since_start.clone());
    let script = async move {
        match collect {
            Collect::Map => {
                let results = exec.map(jobs);
                emit(Event::Submitted { at_ms: since() });
                let mut results = pin!(results);
                let mut id = 0;
                // The stream itself ends after an error, as Python's generator does.
                while results.next().await.is_some() {
                    emit(Event::Delivered { id, at_ms: since() });
                    id += 1;
                }
            }
            Collect::AsCompleted => {
                let handles: Vec<_> = jobs.into_iter().map(|job| exec.submit(job)).collect();
                emit(Event::Submitted { at_ms: since() });
                deliver_as_completed(handles, &emit, &since).await;
            }
        }
        // Leaving the `with` block: no more jobs; the driver ends with the last one.
        exec.shutdown();
        emit
    };
    into_run(executor, driver, since_start, script)
}

/// flags_threadpool_ac.py's `main()`: submits `download_one(cc)` for each code, printing
/// each future as `submit` returned it, then collects them with `as_completed`.
/// `download(cc)` fetches one flag; its error becomes the job's exception.
pub fn flags_run<D, F>(params: &ExecutorsParams, clock: Clock, download: D, emit: Emit) -> Run
where
    D: Fn(String) -> F + 'static,
    F: Future<Output = Result<(), JobError>> + 'static,
{
    let (executor, driver, since_start) = observed_executor(params.workers, clock, &emit);
    let download = Rc::new(download);
    let codes = params.codes.clone();
    let (exec, since) = (executor.clone(), since_start.clone());
    let script = async move {
        let mut handles = Vec::new();
        for cc in codes {
            let download = download.clone();
            let job = async move {
                download(cc.clone()).await?;
                Ok(py_str(&cc))
            };
            let handle = exec.submit(job);
            emit(Event::Scheduled {
                id: handle.id(),
                state: handle.state(),
                at_ms: since(),
            });
            handles.push(handle);
        }
        deliver_as_completed(handles, &emit, &since).await;
        exec.shutdown();
        emit
    };
    into_run(executor, driver, since_start, script)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::testing::VirtualClock;
    use futures::executor::LocalPool;
    use futures::task::LocalSpawnExt;
    use std::cell::RefCell;

    fn form(pairs: &[(Field, &str)]) -> ExecutorsForm {
        let mut form = ExecutorsForm::default();
        for (field, value) in pairs {
            form.set(*field, value.to_string());
        }
        form
    }

    fn errors_of(form: &ExecutorsForm) -> Vec<Field> {
        form.validate()
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    fn params(pairs: &[(Field, &str)]) -> ExecutorsParams {
        form(pairs).validate().unwrap()
    }

    #[test]
    fn defaults_are_the_books() {
        let p = ExecutorsForm::default().validate().unwrap();
        assert_eq!(p.demo, Demo::Loiter);
        let entries: Vec<String> = p.delays.iter().map(Delay::entry).collect();
        assert_eq!(entries, ["0", "1", "2", "3", "4"]);
        assert_eq!(p.workers, 3);
        assert_eq!(p.collect, Collect::Map);
        assert_eq!(p.time_scale, 1.0);

        let flags = params(&[(Field::Demo, "flags_threadpool_ac")]);
        assert_eq!(flags.codes, ["BR", "CN", "ID", "IN", "US"]);
        assert_eq!(flags.workers, 3);
        assert_eq!(flags.server, Server::Local);
        assert_eq!(flags.collect, Collect::AsCompleted);
        assert_eq!(flags.jobs_text(), "BR CN ID IN US (LOCAL)");
        assert_eq!(flags.call(0), "download_one('BR')");
    }

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

    #[test]
    fn python_reprs() {
        assert_eq!(py_float(15.0), "15.0");
        assert_eq!(py_float(0.5), "0.5");
        assert_eq!(py_float(1e-5), "1e-05");
        assert_eq!(py_float(1e16), "1e+16");
        assert_eq!(py_float(1.5e16), "1.5e+16");
        assert_eq!(py_float(1e15), "1000000000000000.0");
        assert_eq!(py_str("CN"), "'CN'");
        assert_eq!(py_str("it's"), "\"it's\"");
        assert_eq!(py_str("a\tb"), "'a\\tb'");
        assert_eq!(
            JobError::new("RuntimeError", "loiter(2) failed").repr(),
            "RuntimeError('loiter(2) failed')"
        );
        assert_eq!(fake_address(0), "0x7f3c5e10a3f0");
        assert_eq!(fake_address(1), "0x7f3c5e10a420");
    }

    #[test]
    fn bad_input_is_reported_per_field() {
        for bad in ["-1", "1 abc", "", "!", "1 -0", "3601", "1 2 nan"] {
            assert_eq!(
                errors_of(&form(&[(Field::Delays, bad)])),
                [Field::Delays],
                "{bad:?}"
            );
        }
        let many = vec!["1"; MAX_DELAYS + 1].join(" ");
        let message = check_field(Field::Delays, &many).unwrap_err();
        assert!(
            message.contains("at most 1,000") && message.contains("1,001"),
            "{message}"
        );
        assert!(
            check_field(Field::Delays, "1 x2")
                .unwrap_err()
                .starts_with("\"x2\" (entry 2) is not a number")
        );
        assert!(
            check_field(Field::Delays, "-1")
                .unwrap_err()
                .contains("negative")
        );
        for bad in ["0", "65", "1.5", "abc", ""] {
            assert_eq!(
                errors_of(&form(&[(Field::MaxWorkers, bad)])),
                [Field::MaxWorkers],
                "{bad:?}"
            );
        }
        assert!(form(&[(Field::MaxWorkers, "64")]).validate().is_ok());
        assert!(form(&[(Field::MaxWorkers, "1")]).validate().is_ok());
        for bad in ["0", "-1", "abc", "", "11"] {
            assert_eq!(
                errors_of(&form(&[(Field::TimeScale, bad)])),
                [Field::TimeScale],
                "{bad:?}"
            );
        }
        assert!(
            check_field(Field::TimeScale, "0")
                .unwrap_err()
                .contains("greater than 0")
        );
        assert_eq!(
            errors_of(&form(&[(Field::CollectWith, "zip")])),
            [Field::CollectWith]
        );
        assert_eq!(errors_of(&form(&[(Field::Demo, "nope")])), [Field::Demo]);
        let all = form(&[
            (Field::Delays, "x"),
            (Field::MaxWorkers, "0"),
            (Field::TimeScale, "0"),
        ]);
        assert_eq!(
            errors_of(&all),
            [Field::Delays, Field::MaxWorkers, Field::TimeScale]
        );
    }

    #[test]
    fn only_the_demos_fields_are_checked() {
        // flags ignores bad delays and time scale; loiter ignores a bad server.
        let flags = form(&[
            (Field::Demo, "flags_threadpool_ac"),
            (Field::Delays, "x"),
            (Field::TimeScale, "0"),
        ]);
        assert!(flags.validate().is_ok());
        assert_eq!(
            flags.fields(),
            [Field::Demo, Field::MaxWorkers, Field::Server]
        );
        assert_eq!(
            errors_of(&form(&[
                (Field::Demo, "flags_threadpool_ac"),
                (Field::Server, "ERROR")
            ])),
            [Field::Server]
        );
        assert_eq!(
            params(&[
                (Field::Demo, "flags_threadpool_ac"),
                (Field::Server, "delay")
            ])
            .server,
            Server::Delay
        );
        assert!(form(&[(Field::Server, "x")]).validate().is_ok());
    }

    #[test]
    fn url_round_trip_and_fallbacks() {
        let f = form(&[
            (Field::Delays, "3 1 !2"),
            (Field::CollectWith, "as_completed"),
            (Field::TimeScale, "0.1"),
        ]);
        let query: Vec<(String, String)> = f
            .query()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
        assert_eq!(
            query.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["demo", "delays", "workers", "collect", "scale"]
        );
        let (back, notices) = ExecutorsForm::from_query(&query);
        assert_eq!(back.validate(), f.validate());
        assert!(notices.is_empty());

        let flags = form(&[(Field::Demo, "flags_threadpool_ac")]);
        let keys: Vec<&str> = flags.query().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["demo", "workers", "server"]);

        let bad = vec![
            ("demo".to_string(), "teleport".to_string()),
            ("workers".to_string(), "0".to_string()),
            ("colour".to_string(), "red".to_string()),
        ];
        let (fallback, notices) = ExecutorsForm::from_query(&bad);
        assert_eq!(fallback, ExecutorsForm::default());
        assert_eq!(notices.len(), 3);
        assert!(notices[1].contains("workers=0") && notices[1].contains("`3`"));
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

    /// Runs a demo natively on the virtual clock: (session, pool, clock, run).
    struct Harness {
        session: Rc<RefCell<Session>>,
        pool: LocalPool,
        clock: VirtualClock,
    }

    impl Harness {
        fn new(p: &ExecutorsParams) -> Self {
            let session = Rc::new(RefCell::new(Session::default()));
            session.borrow_mut().apply(Event::Started {
                params: p.clone(),
                wall: WallClock::new(15, 56, 50, 0),
            });
            Harness {
                session,
                pool: LocalPool::new(),
                clock: VirtualClock::new(),
            }
        }

        fn emit(&self) -> Emit {
            let session = self.session.clone();
            Rc::new(move |event| session.borrow_mut().apply(event))
        }

        fn loiter(p: &ExecutorsParams) -> (Self, Run) {
            let h = Harness::new(p);
            let sleeper = h.clock.clone();
            let run = loiter_run(p, h.clock.clock(), move |ms| sleeper.sleep(ms), h.emit());
            (h, run)
        }

        /// Downloads take `delays[i]` s for code i; a negative one fails.
        fn flags(p: &ExecutorsParams, delays: &[f64]) -> (Self, Run) {
            let h = Harness::new(p);
            let sleeper = h.clock.clone();
            let codes = p.codes.clone();
            let delays = delays.to_vec();
            let download = move |cc: String| {
                let i = codes.iter().position(|c| *c == cc).unwrap();
                let sleep = sleeper.sleep(delays[i].abs() * 1000.0);
                let fails = delays[i] < 0.0;
                async move {
                    sleep.await;
                    if fails {
                        Err(JobError::new(
                            "HTTPError",
                            format!("404 Not Found for {cc}"),
                        ))
                    } else {
                        Ok(())
                    }
                }
            };
            let run = flags_run(p, h.clock.clock(), download, h.emit());
            (h, run)
        }

        fn spawn(&mut self, run: Run) {
            self.pool.spawner().spawn_local(run.future).unwrap();
        }

        fn transcript(&self) -> Vec<String> {
            self.session.borrow().transcript.clone()
        }
    }

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn the_books_run_prints_the_books_transcript() {
        let p = ExecutorsForm::default().validate().unwrap();
        let (mut h, run) = Harness::loiter(&p);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        assert_eq!(
            h.transcript(),
            lines(
                "[15:56:50] Script starting.\n\
                 [15:56:50] loiter(0): doing nothing for 0s...\n\
                 [15:56:50] \tloiter(1): doing nothing for 1s...\n\
                 [15:56:50] \t\tloiter(2): doing nothing for 2s...\n\
                 [15:56:50] results: <map stream over 5 futures (not consumed yet; yields in submission order)>\n\
                 [15:56:50] Waiting for individual results:\n\
                 [15:56:50] loiter(0): done.\n\
                 [15:56:50] \t\t\tloiter(3): doing nothing for 3s...\n\
                 [15:56:50] result 0: 0\n\
                 [15:56:51] \tloiter(1): done.\n\
                 [15:56:51] \t\t\t\tloiter(4): doing nothing for 4s...\n\
                 [15:56:51] result 1: 10\n\
                 [15:56:52] \t\tloiter(2): done.\n\
                 [15:56:52] result 2: 20\n\
                 [15:56:53] \t\t\tloiter(3): done.\n\
                 [15:56:53] result 3: 30\n\
                 [15:56:55] \t\t\t\tloiter(4): done.\n\
                 [15:56:55] result 4: 40"
            )
        );
        let s = h.session.borrow();
        assert!(!s.is_running());
        let starts: Vec<Option<f64>> = s.jobs.iter().map(|j| j.start_ms).collect();
        assert_eq!(
            starts,
            [Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(1000.0)]
        );
        let delivered: Vec<Option<f64>> = s.jobs.iter().map(|j| j.delivered_ms).collect();
        assert_eq!(
            delivered,
            [
                Some(0.0),
                Some(1000.0),
                Some(2000.0),
                Some(3000.0),
                Some(5000.0)
            ]
        );
        assert_eq!(
            s.jobs[4].cells(),
            [
                "4",
                "loiter(4)",
                "finished",
                "2",
                "1.00s",
                "5.00s",
                "40",
                "5.00s"
            ]
        );
        let gantt = s.gantt();
        assert_eq!(gantt.lanes, 3);
        let lanes: Vec<usize> = gantt.bars.iter().map(|b| b.lane).collect();
        assert_eq!(lanes, [0, 1, 2, 0, 1]);
        assert_eq!(gantt.span_ms(0.0), 5000.0);
        assert_eq!(
            gantt.bars[3].title(0.0),
            "loiter(3): finished, 0.00s–3.00s; delivered at 3.00s"
        );
        assert_eq!(
            s.history[0].cells(),
            [
                "1",
                "loiter",
                "0 1 2 3 4",
                "3",
                "map",
                "1",
                "5.00s",
                "5 results"
            ]
        );
    }

    #[test]
    fn map_holds_back_finished_results_and_as_completed_does_not() {
        let p = params(&[(Field::Delays, "3 1 2")]);
        let (mut h, run) = Harness::loiter(&p);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        let t = h.transcript();
        assert_eq!(
            t[t.len() - 6..],
            lines(
                "[15:56:51] \tloiter(1): done.\n\
                 [15:56:52] \t\tloiter(2): done.\n\
                 [15:56:53] \t\t\tloiter(3): done.\n\
                 [15:56:53] result 0: 30\n\
                 [15:56:53] result 1: 10\n\
                 [15:56:53] result 2: 20"
            )[..]
        );
        let s = h.session.borrow();
        assert_eq!(s.jobs[1].held_ms(), Some(2000.0));
        assert_eq!(s.jobs[1].cells()[7], "3.00s (held 2.00s)");
        drop(s);

        let p = params(&[
            (Field::Delays, "3 1 2"),
            (Field::CollectWith, "as_completed"),
        ]);
        let (mut h, run) = Harness::loiter(&p);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        let t = h.transcript();
        assert_eq!(
            t[4],
            "[15:56:50] results: <as_completed stream over 3 futures (not consumed yet; yields in completion order)>"
        );
        assert_eq!(
            t[t.len() - 6..],
            lines(
                "[15:56:51] \tloiter(1): done.\n\
                 [15:56:51] result 1: 10\n\
                 [15:56:52] \t\tloiter(2): done.\n\
                 [15:56:52] result 2: 20\n\
                 [15:56:53] \t\t\tloiter(3): done.\n\
                 [15:56:53] result 0: 30"
            )[..]
        );
        assert_eq!(h.session.borrow().history[0].cells()[4], "as_completed");
    }

    fn result_lines(h: &Harness) -> Vec<String> {
        h.transcript()
            .into_iter()
            .filter_map(|l| l.split_once("] ").map(|(_, rest)| rest.to_string()))
            .filter(|l| l.starts_with("result ") || l.starts_with("***"))
            .collect()
    }

    #[test]
    fn one_worker_keeps_submission_order_either_way() {
        for collect in ["map", "as_completed"] {
            let p = params(&[
                (Field::Delays, "3 1 2"),
                (Field::MaxWorkers, "1"),
                (Field::CollectWith, collect),
            ]);
            let (mut h, run) = Harness::loiter(&p);
            h.spawn(run);
            h.clock.run(&mut h.pool);
            assert_eq!(
                result_lines(&h),
                ["result 0: 30", "result 1: 10", "result 2: 20"],
                "{collect}"
            );
            let s = h.session.borrow();
            assert!(s.jobs.iter().all(|j| j.slot == Some(0)));
            assert_eq!(s.history[0].elapsed_s, 6.0);
        }
    }

    #[test]
    fn map_stops_at_an_error_and_as_completed_carries_on() {
        let p = params(&[(Field::Delays, "0 1 !2 3 4")]);
        let (mut h, run) = Harness::loiter(&p);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        assert_eq!(
            result_lines(&h),
            [
                "result 0: 0",
                "result 1: 10",
                "*** Error in result 2: RuntimeError('loiter(2) failed')"
            ]
        );
        let t = h.transcript();
        assert!(t.contains(&"[15:56:52] \t\tloiter(2): raising RuntimeError.".to_string()));
        // The running jobs still finish (Python's `with` waits for them); no result lines.
        assert_eq!(t.last().unwrap(), "[15:56:55] \t\t\t\tloiter(4): done.");
        let s = h.session.borrow();
        assert_eq!(s.jobs[3].delivered_ms, None);
        assert_eq!(s.jobs[2].cells()[6], "RuntimeError('loiter(2) failed')");
        assert_eq!(
            s.history[0].outcome,
            RunOutcome::StoppedAtError { result: 2 }
        );
        assert_eq!(s.history[0].cells()[7], "error in result 2");
        assert_eq!(s.history[0].elapsed_s, 5.0);
        drop(s);

        // One worker: the jobs behind the error are cancelled by map and never run.
        let p = params(&[(Field::Delays, "0 !1 2 3"), (Field::MaxWorkers, "1")]);
        let (mut h, run) = Harness::loiter(&p);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        let s = h.session.borrow();
        let states: Vec<&str> = s.jobs.iter().map(|j| j.status.key()).collect();
        assert_eq!(states, ["finished", "failed", "finished", "cancelled"]);
        assert_eq!(s.jobs[3].start_ms, None);
        assert_eq!(s.history[0].elapsed_s, 3.0);
        drop(s);

        let p = params(&[
            (Field::Delays, "0 !1 2 !3"),
            (Field::CollectWith, "as_completed"),
        ]);
        let (mut h, run) = Harness::loiter(&p);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        assert_eq!(
            result_lines(&h),
            [
                "result 0: 0",
                "*** Error in result 1: RuntimeError('loiter(1) failed')",
                "result 2: 20",
                "*** Error in result 3: RuntimeError('loiter(3) failed')"
            ]
        );
        assert_eq!(
            h.session.borrow().history[0].cells()[7],
            "2 results, 2 errors"
        );
    }

    #[test]
    fn a_time_scale_shortens_the_sleeps_and_says_so() {
        let p = params(&[(Field::TimeScale, "0.1")]);
        let (mut h, run) = Harness::loiter(&p);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        let t = h.transcript();
        assert_eq!(
            t[0],
            "[15:56:50 +0ms] (time scale 0.1: every sleep is 10× shorter; +ms is script time)"
        );
        assert_eq!(t[1], "[15:56:50 +0ms] Script starting.");
        assert_eq!(t.last().unwrap(), "[15:56:50 +5000ms] result 4: 40");
        let s = h.session.borrow();
        assert_eq!(
            s.jobs[4].end_ms,
            Some(5000.0),
            "the table is in script time"
        );
        assert_eq!(s.history[0].elapsed_s, 0.5, "the history in real time");
        assert_eq!(s.script_ms(500.0), 5000.0);
        assert_eq!(s.history[0].cells()[5], "0.1");
    }

    #[test]
    fn flags_print_the_futures_as_scheduled_then_as_completed() {
        let p = params(&[(Field::Demo, "flags_threadpool_ac")]);
        let (mut h, run) = Harness::flags(&p, &[0.3, 0.1, 0.5, 0.2, 0.1]);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        assert_eq!(
            h.transcript(),
            lines(
                "Scheduled for BR: <Future at 0x7f3c5e10a3f0 state=running>\n\
                 Scheduled for CN: <Future at 0x7f3c5e10a420 state=running>\n\
                 Scheduled for ID: <Future at 0x7f3c5e10a450 state=running>\n\
                 Scheduled for IN: <Future at 0x7f3c5e10a480 state=pending>\n\
                 Scheduled for US: <Future at 0x7f3c5e10a4b0 state=pending>\n\
                 <Future at 0x7f3c5e10a420 state=finished returned str> result: 'CN'\n\
                 <Future at 0x7f3c5e10a3f0 state=finished returned str> result: 'BR'\n\
                 <Future at 0x7f3c5e10a480 state=finished returned str> result: 'IN'\n\
                 <Future at 0x7f3c5e10a4b0 state=finished returned str> result: 'US'\n\
                 <Future at 0x7f3c5e10a450 state=finished returned str> result: 'ID'\n\
                 5 flags downloaded in 0.50s"
            )
        );
        let s = h.session.borrow();
        // IN took CN's slot at 0.1 s; at 0.3 s BR and IN end, and US takes BR's slot.
        assert_eq!(s.jobs[3].slot, Some(1));
        assert_eq!(s.jobs[3].start_ms, Some(100.0));
        assert_eq!(s.jobs[4].slot, Some(0));
        assert_eq!(
            s.history[0].cells(),
            [
                "1",
                "flags_threadpool_ac",
                "BR CN ID IN US (LOCAL)",
                "3",
                "as_completed",
                "—",
                "0.50s",
                "5 downloaded"
            ]
        );
        drop(s);

        let (mut h, run) = Harness::flags(&p, &[0.3, -0.1, 0.5, 0.2, 0.1]);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        let t = h.transcript();
        assert_eq!(
            t[5],
            "<Future at 0x7f3c5e10a420 state=finished raised HTTPError> *** Error for CN: \
             HTTPError('404 Not Found for CN')"
        );
        assert_eq!(t.last().unwrap(), "4 flags downloaded in 0.50s");
        assert_eq!(
            h.session.borrow().history[0].cells()[7],
            "4 downloaded, 1 error"
        );
    }

    #[test]
    fn stop_cancels_pending_jobs_and_abandons_running_ones() {
        let p = params(&[(Field::MaxWorkers, "2")]);
        let (mut h, run) = Harness::loiter(&p);
        let stopper = run.stopper.clone();
        let task = h
            .pool
            .spawner()
            .spawn_local_with_handle(run.future)
            .unwrap();
        // At 1.5 s: loiter(0) and loiter(1) are done, loiter(2) and loiter(3) run.
        h.clock.run_until(&mut h.pool, 1500.0);
        let stop = stopper.stop();
        assert_eq!(
            stop,
            Event::Cancelled {
                cancelled: vec![4],
                abandoned: vec![2, 3],
                elapsed_ms: 1500.0
            }
        );
        h.session.borrow_mut().apply(stop);
        drop(task);
        h.clock.run(&mut h.pool);
        let t = h.transcript();
        assert_eq!(
            t.last().unwrap(),
            "[15:56:51] Stop: cancelled 1 pending (loiter(4)); abandoned 2 running (loiter(2), loiter(3))."
        );
        let s = h.session.borrow();
        assert!(!s.is_running());
        let states: Vec<&str> = s.jobs.iter().map(|j| j.status.key()).collect();
        assert_eq!(
            states,
            [
                "finished",
                "finished",
                "abandoned",
                "abandoned",
                "cancelled"
            ]
        );
        let gantt = s.gantt();
        assert_eq!(gantt.bars.len(), 4, "the cancelled job never had a slot");
        assert_eq!(
            gantt.bars[3].end_ms,
            Some(1500.0),
            "abandoned bars end at Stop"
        );
        assert_eq!(gantt.bars[3].class(), "abandoned");
        assert_eq!(s.history[0].cells()[7], "stopped: 1 cancelled, 2 abandoned");
        assert_eq!(s.history[0].elapsed_s, 1.5);
        drop(s);

        // Nothing the dropped run could still send changes the session.
        let before = h.session.borrow().clone();
        h.session
            .borrow_mut()
            .apply(Event::Finished { elapsed_ms: 9.0 });
        h.session
            .borrow_mut()
            .apply(Event::Delivered { id: 2, at_ms: 9.0 });
        assert_eq!(*h.session.borrow(), before);
    }

    #[test]
    fn a_new_run_starts_fresh() {
        let p = params(&[(Field::Delays, "1")]);
        let (mut h, run) = Harness::loiter(&p);
        h.spawn(run);
        h.clock.run(&mut h.pool);
        let mut s = h.session.borrow().clone();
        s.apply(Event::Started {
            params: params(&[(Field::Demo, "flags_threadpool_ac")]),
            wall: WallClock::default(),
        });
        assert!(
            s.transcript.is_empty(),
            "flags prints nothing until it submits"
        );
        assert_eq!(s.jobs.len(), 5);
        assert!(s.jobs.iter().all(|j| j.status == JobStatus::Pending));
        assert_eq!(s.running.as_ref().unwrap().run_no, 2);
        assert_eq!(s.progress(), (0, 5));
    }
}
