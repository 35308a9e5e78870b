//! The prime-checker lab as plain data: modes, form validation, URL parameters, the
//! jobs/poison-pill scheduler the worker pool follows, `executor.map`'s submission order,
//! the sweep's medians and chart, transcript lines and the run history. No browser types here.
//!
//! Worker ids are 0-based indices everywhere in this module (`0..workers`, one timeline
//! lane each); text shown to the reader numbers them from 1 (`Worker 1`).

use std::collections::VecDeque;
use std::fmt;

use crate::labs::form::{FormField, FormText};
use crate::labs::python::{self, Script};
use crate::labs::{LabForm, LabSession};
use crate::prime::BOOK_NUMBERS;
use crate::text::{group_thousands, parse_u64, seconds_2, shorten};
use crate::worker_protocol::ToWorker;

/// What a run does, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    SequentialMain,
    SequentialWorker,
    Procs,
    PoolMap,
    Sweep,
}

impl Mode {
    pub const ALL: [Mode; 5] = [
        Mode::SequentialMain,
        Mode::SequentialWorker,
        Mode::Procs,
        Mode::PoolMap,
        Mode::Sweep,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Mode::SequentialMain => "sequential-main",
            Mode::SequentialWorker => "sequential-worker",
            Mode::Procs => "procs",
            Mode::PoolMap => "pool-map",
            Mode::Sweep => "sweep",
        }
    }

    pub fn parse(key: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.key() == key.trim())
    }

    /// The option text in the form.
    pub fn label(self) -> &'static str {
        match self {
            Mode::SequentialMain => {
                "sequential-main — sequential.py on the main thread: the page freezes"
            }
            Mode::SequentialWorker => "sequential-worker — sequential.py in one Web Worker",
            Mode::Procs => "procs — procs.py: N workers, one jobs queue",
            Mode::PoolMap => "pool-map — proc_pool.py: executor.map, results in submission order",
            Mode::Sweep => "sweep — procs.py for N = 1 … Max N, median times (Figure 19-2)",
        }
    }

    /// sequential-main and sequential-worker: one number at a time, in list order.
    pub fn is_sequential(self) -> bool {
        matches!(self, Mode::SequentialMain | Mode::SequentialWorker)
    }

    /// The mode runs on the page's own thread: nothing, not even Stop, runs meanwhile.
    pub fn blocks_main_thread(self) -> bool {
        self == Mode::SequentialMain
    }

    /// The reference script the mode mirrors (its file in `python/`).
    pub fn python_reference(self) -> Script {
        match self {
            Mode::SequentialMain | Mode::SequentialWorker => python::SEQUENTIAL,
            Mode::Procs | Mode::Sweep => python::PROCS,
            Mode::PoolMap => python::PROC_POOL,
        }
    }

    /// What actually runs in the browser when this mode is picked.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Mode::SequentialMain => {
                "The books' is_prime, compiled to WASM, is called for each number in turn on the \
                 page's own thread. Until the last number is checked the event loop cannot run: no \
                 repaint, no timer, no click — the transcript and the timeline appear all at once at \
                 the end, and Stop is only seen afterwards. This is sequential.py, and the reason \
                 the other modes exist."
            }
            Mode::SequentialWorker => {
                "The same loop in one Web Worker — a separate thread with its own WASM instance. The \
                 page sends one `check n` message, waits for the answer, then sends the next, so the \
                 numbers are still checked one by one in list order, but the page stays responsive \
                 and Stop calls Worker.terminate()."
            }
            Mode::Procs => {
                "A pool of N Web Workers, each a separate thread with its own WASM instance — the \
                 browser's processes. The page plays procs.py's SimpleQueue: it keeps the jobs queue \
                 (all the numbers, then one poison pill per worker) and hands the next item to \
                 whichever worker is idle — at start, and each time a worker posts a result — so \
                 faster workers take more jobs. The poison pill is an `end` message rather than 0, so \
                 0 can be checked too; a worker that receives it replies with an end marker, and the \
                 run is over when all N end markers have arrived, as procs.py counts procs_done. \
                 Lines print in completion order. Stop calls Worker.terminate() on every worker, \
                 killing each one mid-loop."
            }
            Mode::PoolMap => {
                "The same pool of N Web Workers and the same jobs queue, fed with the numbers sorted \
                 in reverse, as proc_pool.py passes them to ProcessPoolExecutor.map. The workers \
                 still finish in any order, but map yields results in submission order: the page \
                 buffers each answer and prints the longest unbroken run from the start of the list, \
                 so one slow early job holds back lines that are already computed — watch the \
                 timeline run ahead of the transcript. Stop terminates every worker."
            }
            Mode::Sweep => {
                "The procs pattern, repeated: for each N from 1 to Max N, Runs per N runs, each with \
                 a fresh pool of N Web Workers. The chart shows the median wall time for each N and \
                 the speedup, median(N = 1) / median(N), against the ideal line speedup = N. Expect \
                 it to climb until N reaches your machine's physical cores and flatten after, as in \
                 Figure 19-2. Stop terminates the current pool and keeps the finished runs."
            }
        }
    }
}

/// A form field of the lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Mode,
    Workers,
    Numbers,
    RunsPerN,
    MaxN,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::Mode,
        Field::Workers,
        Field::Numbers,
        Field::RunsPerN,
        Field::MaxN,
    ];

    /// The URL parameter name.
    pub fn key(self) -> &'static str {
        match self {
            Field::Mode => "mode",
            Field::Workers => "workers",
            Field::Numbers => "numbers",
            Field::RunsPerN => "runs",
            Field::MaxN => "max_n",
        }
    }

    /// The visible `<label>`.
    pub fn label(self) -> &'static str {
        match self {
            Field::Mode => "Mode",
            Field::Workers => "Workers",
            Field::Numbers => "Numbers",
            Field::RunsPerN => "Runs per N",
            Field::MaxN => "Max N",
        }
    }
}

pub const WORKERS_RANGE: (usize, usize) = (1, 64);
pub const RUNS_RANGE: (u32, u32) = (1, 20);
pub const MAX_N_RANGE: (usize, usize) = (1, 64);
pub const MAX_NUMBERS: usize = 1000;
/// The default Runs per N: the median of three already shrugs off one outlier.
pub const DEFAULT_RUNS: u32 = 3;
/// The default Max N is twice the CPU count (Figure 19-2 went to 20 on 12 threads, to
/// show the curve flatten past the cores), at least 2 and at most this cap, which keeps
/// a default sweep of the Book numbers to some tens of seconds.
pub const DEFAULT_MAX_N_CAP: usize = 24;
/// The CPU count to assume when `navigator.hardwareConcurrency` says nothing.
pub const FALLBACK_CPUS: u32 = 4;

/// Shown under the Numbers field.
pub const NUMBERS_HINT: &str = "One per line, or separated by commas or spaces; any whole number from 0 to \
    18,446,744,073,709,551,615. Group digits with _ (5_000_111_000_222_021) or with commas between groups of \
    three (5,000,111,000,222,021).";

const fn firsts(pairs: [(u64, bool); 20]) -> [u64; 20] {
    let mut out = [0; 20];
    let mut i = 0;
    while i < 20 {
        out[i] = pairs[i].0;
        i += 1;
    }
    out
}

/// The book's `NUMBERS` (SPEC Lab 4), in its order.
pub const BOOK: [u64; 20] = firsts(BOOK_NUMBERS);

/// Twenty numbers between 1e17 and 1.8e19, with their verdicts. Twelve are hard — seven
/// primes and five squares of primes above 3.6e8 — so that `is_prime` needs at least 1.8e8
/// trial divisions for each (≥ 0.3 s in WASM at ~1.7 ns a division); eight are easy composites
/// (even, or multiples of 3 or 5) answered at once, however large. All twelve hard ones add up
/// to ~3.8e9 divisions: ~6.5 s on one worker. The hard ones come hardest first, so that a pool
/// that hands the next number to whichever worker is idle ends with short jobs and its workers
/// finish together (longest-processing-time-first); the easy ones are mixed in.
pub const HEAVY_NUMBERS: [(u64, bool); 20] = [
    (999_999_999_999_999_989, true),     // largest prime below 1e18
    (799_999_999_999_999_991, true),     // largest prime below 8e17
    (12_345_678_901_234_567_890, false), // even
    (599_999_999_999_999_993, true),     // largest prime below 6e17
    (499_999_999_999_999_931, true),     // largest prime below 5e17
    (1_234_567_890_123_456_789, false),  // multiple of 3
    (490_000_001_400_000_001, false),    // 700000001²
    (399_999_999_999_999_991, true),     // largest prime below 4e17
    (4_611_686_018_427_387_904, false),  // 2^62
    (360_000_001_200_000_001, false),    // 600000001²
    (299_999_999_999_999_921, true),     // largest prime below 3e17
    (9_999_999_999_999_999_999, false),  // multiple of 3
    (250_000_003_000_000_009, false),    // 500000003²
    (222_222_222_222_222_222, false),    // even
    (199_999_999_999_999_949, true),     // largest prime below 2e17
    (15_000_000_000_000_000_005, false), // multiple of 5
    (176_400_024_360_000_841, false),    // 420000029²
    (111_111_111_111_111_111, false),    // 3 × 37037037037037037
    (136_900_002_220_000_009, false),    // 370000003²
    (18_000_000_000_000_000_000, false), // even
];

pub const HEAVY: [u64; 20] = firsts(HEAVY_NUMBERS);

/// A ready-made list for the Numbers field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    Book,
    Heavy,
}

impl Preset {
    pub const ALL: [Preset; 2] = [Preset::Book, Preset::Heavy];

    /// The URL value (`numbers=book`).
    pub fn key(self) -> &'static str {
        match self {
            Preset::Book => "book",
            Preset::Heavy => "heavy",
        }
    }

    pub fn parse(key: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.key() == key.trim())
    }

    /// The button text.
    pub fn label(self) -> &'static str {
        match self {
            Preset::Book => "Book: the 20 NUMBERS",
            Preset::Heavy => "Heavy: 20 numbers up to 1.8e19 (seconds in WASM)",
        }
    }

    pub fn numbers(self) -> &'static [u64] {
        match self {
            Preset::Book => &BOOK,
            Preset::Heavy => &HEAVY,
        }
    }

    /// The Numbers field text: one per line.
    pub fn text(self) -> String {
        join_numbers(self.numbers(), "\n")
    }

    /// The preset whose list this is, if any.
    pub fn matching(numbers: &[u64]) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.numbers() == numbers)
    }
}

fn join_numbers(numbers: &[u64], separator: &str) -> String {
    numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(separator)
}

/// `5,000,111` written with thousands separators: 1–3 digits, then groups of exactly three.
fn is_grouped(chunk: &str) -> bool {
    let body = chunk.strip_prefix(['-', '+']).unwrap_or(chunk);
    let groups: Vec<&str> = body.split(',').collect();
    groups.len() > 1
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
}

/// The entries of the Numbers text: split on line breaks, spaces, `;` and commas, except
/// that a comma between groups of three digits is a thousands separator (`5,000,111`
/// is one number; `100, 200` and `2,3` are two).
fn number_entries(text: &str) -> Vec<&str> {
    let mut entries = Vec::new();
    for chunk in text
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|c| !c.is_empty())
    {
        if is_grouped(chunk) {
            entries.push(chunk);
        } else {
            entries.extend(chunk.split(',').filter(|e| !e.is_empty()));
        }
    }
    entries
}

/// Parses the Numbers field; the error is the message shown next to it.
pub fn parse_numbers(text: &str) -> Result<Vec<u64>, String> {
    let entries = number_entries(text);
    if entries.is_empty() {
        return Err("Numbers needs at least one number.".to_string());
    }
    if entries.len() > MAX_NUMBERS {
        return Err(format!(
            "Numbers must have at most {} numbers; this list has {}.",
            group_thousands(MAX_NUMBERS as u64),
            group_thousands(entries.len() as u64)
        ));
    }
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            parse_u64(entry).map_err(|e| {
                format!(
                    "\"{}\" (entry {}): {}",
                    shorten(entry, 24),
                    i + 1,
                    e.message("Each number")
                )
            })
        })
        .collect()
}

/// The URL form of a list: a preset's key, or the numbers joined by commas.
fn numbers_query_value(numbers: &[u64]) -> String {
    match Preset::matching(numbers) {
        Some(preset) => preset.key().to_string(),
        None => join_numbers(numbers, ","),
    }
}

/// Reads a `numbers=` URL value back into field text (one number per line): a preset key,
/// a machine-written comma list (every comma separates, so `1,234` is two numbers), or,
/// for a hand-written URL, anything the field itself accepts.
fn decode_numbers(value: &str) -> Result<String, String> {
    if let Some(preset) = Preset::parse(value) {
        return Ok(preset.text());
    }
    let strict: Option<Vec<u64>> = value.split(',').map(|e| e.parse::<u64>().ok()).collect();
    let numbers = match strict {
        Some(numbers) if (1..=MAX_NUMBERS).contains(&numbers.len()) => numbers,
        _ => parse_numbers(value)?,
    };
    Ok(join_numbers(&numbers, "\n"))
}

fn check_range<T: Copy + PartialOrd + fmt::Display + std::str::FromStr>(
    label: &str,
    value: &str,
    (lo, hi): (T, T),
) -> Result<(), String> {
    match value.trim().parse::<T>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(()),
        _ => Err(format!("{label} must be a whole number from {lo} to {hi}.")),
    }
}

/// Validates one field's text; the error is the message shown next to it.
pub fn check_field(field: Field, value: &str) -> Result<(), String> {
    match field {
        Field::Mode => Mode::parse(value).map(|_| ()).ok_or_else(|| {
            let keys: Vec<&str> = Mode::ALL.iter().map(|m| m.key()).collect();
            format!("Mode must be one of {}.", keys.join(", "))
        }),
        Field::Workers => check_range(Field::Workers.label(), value, WORKERS_RANGE),
        Field::Numbers => parse_numbers(value).map(|_| ()),
        Field::RunsPerN => check_range(Field::RunsPerN.label(), value, RUNS_RANGE),
        Field::MaxN => check_range(Field::MaxN.label(), value, MAX_N_RANGE),
    }
}

/// The sweep's shape: N = 1..=max_n, `runs` runs each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SweepPlan {
    pub max_n: usize,
    pub runs: u32,
}

impl SweepPlan {
    /// Every run in order, as (N, run) with run counted from 1: all runs of N = 1,
    /// then all of N = 2, …, so each N's median is final before the next N starts.
    pub fn steps(&self) -> Vec<(usize, u32)> {
        (1..=self.max_n)
            .flat_map(|n| (1..=self.runs).map(move |run| (n, run)))
            .collect()
    }

    pub fn len(&self) -> usize {
        self.max_n * self.runs as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Validated parameters of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct PrimesParams {
    pub mode: Mode,
    /// The pool size: 1 for the sequential modes (sequential-main starts no worker; its one
    /// timeline lane is the page), Workers for procs and pool-map, Max N for sweep (each run
    /// sets its own N).
    pub workers: usize,
    /// In list order; see [`PrimesParams::job_order`] for the order they are submitted in.
    pub numbers: Vec<u64>,
    pub preset: Option<Preset>,
    /// Set for sweep only.
    pub sweep: Option<SweepPlan>,
}

impl PrimesParams {
    /// The numbers as they go into the jobs queue: sorted in reverse for pool-map
    /// (`sorted(NUMBERS, reverse=True)`), in list order otherwise.
    pub fn job_order(&self) -> Vec<u64> {
        let mut jobs = self.numbers.clone();
        if self.mode == Mode::PoolMap {
            jobs.sort_unstable_by(|a, b| b.cmp(a));
        }
        jobs
    }
}

/// The form as typed: raw text per field, validated on Run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrimesForm {
    pub mode: String,
    pub workers: String,
    pub numbers: String,
    pub runs: String,
    pub max_n: String,
}

impl PrimesForm {
    /// The defaults for a machine with `cpus` logical CPUs (`navigator.hardwareConcurrency`):
    /// procs with one worker per CPU (within 1..=64) on the Book numbers; for sweep,
    /// [`DEFAULT_RUNS`] runs per N up to twice the CPUs (see [`DEFAULT_MAX_N_CAP`]).
    pub fn with_cpu_count(cpus: u32) -> Self {
        let cpus = cpus as usize;
        PrimesForm {
            mode: Mode::Procs.key().to_string(),
            workers: cpus.clamp(WORKERS_RANGE.0, WORKERS_RANGE.1).to_string(),
            numbers: Preset::Book.text(),
            runs: DEFAULT_RUNS.to_string(),
            max_n: cpus
                .saturating_mul(2)
                .clamp(2, DEFAULT_MAX_N_CAP)
                .to_string(),
        }
    }

    /// The chosen mode, or procs while the text is not one.
    pub fn mode(&self) -> Mode {
        Mode::parse(&self.mode).unwrap_or(Mode::Procs)
    }

    /// The preset the Numbers field currently holds, if any (to highlight its button).
    pub fn preset(&self) -> Option<Preset> {
        parse_numbers(&self.numbers)
            .ok()
            .and_then(|numbers| Preset::matching(&numbers))
    }

    /// Every field in use that fails its check, in form order.
    fn errors(&self) -> Vec<(Field, String)> {
        self.fields()
            .into_iter()
            .filter_map(|f| Self::check(f, self.get(f)).err().map(|e| (f, e)))
            .collect()
    }

    /// Checks every field the mode uses; all errors at once, one per field.
    pub fn validate(&self) -> Result<PrimesParams, Vec<(Field, String)>> {
        let errors = self.errors();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mode = self.mode();
        let numbers = parse_numbers(&self.numbers).expect("validated");
        let whole = |text: &str| text.trim().parse::<usize>().expect("validated");
        let (workers, sweep) = match mode {
            Mode::SequentialMain | Mode::SequentialWorker => (1, None),
            Mode::Procs | Mode::PoolMap => (whole(&self.workers), None),
            Mode::Sweep => {
                let plan = SweepPlan {
                    max_n: whole(&self.max_n),
                    runs: whole(&self.runs) as u32,
                };
                (plan.max_n, Some(plan))
            }
        };
        let preset = Preset::matching(&numbers);
        Ok(PrimesParams {
            mode,
            workers,
            numbers,
            preset,
            sweep,
        })
    }

    /// Fills the form from URL parameters; unknown keys and invalid values fall back to
    /// the defaults for `cpus`, each with a notice for the reader.
    pub fn from_query(query: &[(String, String)], cpus: u32) -> (PrimesForm, Vec<String>) {
        PrimesForm::with_cpu_count(cpus).with_query(query)
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

impl FormText for PrimesForm {
    type Field = Field;
    type Parsed = ();

    fn get(&self, field: Field) -> &str {
        match field {
            Field::Mode => &self.mode,
            Field::Workers => &self.workers,
            Field::Numbers => &self.numbers,
            Field::RunsPerN => &self.runs,
            Field::MaxN => &self.max_n,
        }
    }

    fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::Mode => &mut self.mode,
            Field::Workers => &mut self.workers,
            Field::Numbers => &mut self.numbers,
            Field::RunsPerN => &mut self.runs,
            Field::MaxN => &mut self.max_n,
        };
        *slot = value;
    }

    fn check(field: Field, value: &str) -> Result<(), String> {
        check_field(field, value)
    }

    fn parse(&self) {}
}

impl LabForm for PrimesForm {
    type Params = PrimesParams;

    fn validate(&self) -> Result<PrimesParams, Vec<(Field, String)>> {
        PrimesForm::validate(self)
    }

    /// Numbers come as a preset key or a comma list; the rest as typed.
    fn decode(field: Field, value: &str) -> Result<String, String> {
        match field {
            Field::Numbers => decode_numbers(value),
            _ => check_field(field, value).map(|()| value.to_string()),
        }
    }

    /// The fields the chosen mode uses, in form order: the sequential modes have no
    /// Workers, sweep has Runs per N and Max N instead.
    fn fields(&self) -> Vec<Field> {
        match self.mode() {
            Mode::SequentialMain | Mode::SequentialWorker => vec![Field::Mode, Field::Numbers],
            Mode::Procs | Mode::PoolMap => vec![Field::Mode, Field::Workers, Field::Numbers],
            Mode::Sweep => vec![Field::Mode, Field::Numbers, Field::RunsPerN, Field::MaxN],
        }
    }

    /// A field's URL value: the raw text, except Numbers, which is a preset's key
    /// (`book`, `heavy`) or, once valid, the numbers joined by commas.
    fn url_value(&self, field: Field) -> Option<String> {
        Some(match (field, parse_numbers(&self.numbers)) {
            (Field::Numbers, Ok(numbers)) => numbers_query_value(&numbers),
            _ => self.get(field).to_string(),
        })
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// One result as the scripts print it: `f'{n:16}  {label} {elapsed:9.6f}s'`.
pub fn result_line(n: u64, prime: bool, elapsed_s: f64) -> String {
    let label = if prime { 'P' } else { ' ' };
    format!("{n:16}  {label} {elapsed_s:9.6}s")
}

/// `Checking 20 numbers sequentially:`
pub fn sequential_header(count: usize) -> String {
    format!(
        "Checking {} sequentially:",
        plural(count, "number", "numbers")
    )
}

/// `Checking 20 numbers with 4 workers:` (procs.py says processes).
pub fn pool_header(count: usize, workers: usize) -> String {
    format!(
        "Checking {} with {}:",
        plural(count, "number", "numbers"),
        plural(workers, "worker", "workers")
    )
}

/// `Sweep: N = 1 to 8, 3 runs each, 20 numbers per run:`
pub fn sweep_header(plan: SweepPlan, count: usize) -> String {
    format!(
        "Sweep: N = 1 to {}, {} each, {} per run:",
        plan.max_n,
        plural(plan.runs as usize, "run", "runs"),
        plural(count, "number", "numbers")
    )
}

/// procs.py's footer: `20 checks in 9.58s`.
pub fn checks_line(checked: usize, elapsed_s: f64) -> String {
    format!(
        "{} in {}",
        plural(checked, "check", "checks"),
        seconds_2(elapsed_s)
    )
}

/// sequential.py's and proc_pool.py's footer: `Total time: 40.31s`.
pub fn total_time_line(elapsed_s: f64) -> String {
    format!("Total time: {}", seconds_2(elapsed_s))
}

/// One sweep run: `N =  3, run 2 of 3: 20 checks in 1.23s`.
pub fn sweep_run_line(n: usize, run: u32, runs: u32, checked: usize, elapsed_s: f64) -> String {
    format!(
        "N = {n:2}, run {run} of {runs}: {}",
        checks_line(checked, elapsed_s)
    )
}

/// The message a worker is sent, paired with its index.
pub type Commands = Vec<(usize, ToWorker)>;

/// One answered job.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CheckResult {
    /// Position in the jobs queue (submission order), from 0.
    pub job: usize,
    /// Position among the answers (completion order), from 0.
    pub order: usize,
    pub worker: usize,
    pub n: u64,
    pub prime: bool,
    /// The time the check took inside the worker.
    pub elapsed_s: f64,
}

/// A message that does not fit the protocol; the run should end as a worker failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    NoSuchWorker {
        worker: usize,
    },
    /// A result from a worker that was not given a number.
    NotChecking {
        worker: usize,
        n: u64,
    },
    /// A result for another number than the one the worker was given.
    WrongNumber {
        worker: usize,
        expected: u64,
        got: u64,
    },
    /// An end marker from a worker that was not sent the poison pill, or a second one.
    UnexpectedEnd {
        worker: usize,
    },
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            ProtocolError::NoSuchWorker { worker } => {
                write!(f, "message from unknown worker {}", worker + 1)
            }
            ProtocolError::NotChecking { worker, n } => {
                write!(
                    f,
                    "worker {} answered {n} but was given no number",
                    worker + 1
                )
            }
            ProtocolError::WrongNumber {
                worker,
                expected,
                got,
            } => {
                write!(
                    f,
                    "worker {} answered {got} but was checking {expected}",
                    worker + 1
                )
            }
            ProtocolError::UnexpectedEnd { worker } => {
                write!(
                    f,
                    "worker {} sent an end marker it was not asked for",
                    worker + 1
                )
            }
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Item {
    Job { job: usize, n: u64 },
    PoisonPill,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum WorkerState {
    /// Not handed anything yet.
    Waiting,
    Checking {
        job: usize,
        n: u64,
    },
    /// Took its poison pill; its end marker is due.
    Ending,
    Finished,
}

/// procs.py's scheduling as a state machine the page drives: one jobs queue holding every
/// number and then one poison pill per worker; whenever a worker is idle it gets the next
/// item (dynamic scheduling, like workers sharing a `SimpleQueue`); the run is over when
/// every worker has sent its end marker (the collector's `procs_done`).
///
/// The page calls [`Dispatcher::on_ready`] as each worker reports `ready` (or
/// [`Dispatcher::start`] once all are), then [`Dispatcher::on_result`] for each `checked`
/// and [`Dispatcher::on_finished`] for each `finished`, and posts the returned commands.
#[derive(Clone, Debug)]
pub struct Dispatcher {
    queue: VecDeque<Item>,
    workers: Vec<WorkerState>,
    total: usize,
    pills_sent: usize,
    results: Vec<CheckResult>,
}

impl Dispatcher {
    /// The queue holds `jobs` in this order (see [`PrimesParams::job_order`]); at least one worker.
    pub fn new(jobs: &[u64], workers: usize) -> Self {
        let workers = workers.max(1);
        let mut queue: VecDeque<Item> = jobs
            .iter()
            .enumerate()
            .map(|(job, &n)| Item::Job { job, n })
            .collect();
        queue.extend(std::iter::repeat_n(Item::PoisonPill, workers));
        Dispatcher {
            queue,
            workers: vec![WorkerState::Waiting; workers],
            total: jobs.len(),
            pills_sent: 0,
            results: Vec::new(),
        }
    }

    pub fn workers(&self) -> usize {
        self.workers.len()
    }

    /// How many numbers the run checks.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Hands the next item of the queue to `worker`.
    fn hand_out(&mut self, worker: usize) -> (usize, ToWorker) {
        match self.queue.pop_front() {
            Some(Item::Job { job, n }) => {
                self.workers[worker] = WorkerState::Checking { job, n };
                (worker, ToWorker::Check(n))
            }
            // N pills for N workers, each takes one and stops: the queue cannot run dry.
            Some(Item::PoisonPill) | None => {
                self.pills_sent += 1;
                self.workers[worker] = WorkerState::Ending;
                (worker, ToWorker::End)
            }
        }
    }

    /// `worker` is up: its first item (a number, or the poison pill when there are fewer
    /// numbers than workers). Nothing for a worker that already has one.
    pub fn on_ready(&mut self, worker: usize) -> Commands {
        match self.workers.get(worker) {
            Some(WorkerState::Waiting) => vec![self.hand_out(worker)],
            _ => Vec::new(),
        }
    }

    /// Every worker's first item at once, for a pool that is already up.
    pub fn start(&mut self) -> Commands {
        (0..self.workers.len())
            .flat_map(|w| self.on_ready(w))
            .collect()
    }

    /// `worker` answered `n`: records the result and gives that worker the next item.
    pub fn on_result(
        &mut self,
        worker: usize,
        n: u64,
        prime: bool,
        elapsed_s: f64,
    ) -> Result<(CheckResult, Commands), ProtocolError> {
        let state = *self
            .workers
            .get(worker)
            .ok_or(ProtocolError::NoSuchWorker { worker })?;
        let WorkerState::Checking { job, n: expected } = state else {
            return Err(ProtocolError::NotChecking { worker, n });
        };
        if n != expected {
            return Err(ProtocolError::WrongNumber {
                worker,
                expected,
                got: n,
            });
        }
        let result = CheckResult {
            job,
            order: self.results.len(),
            worker,
            n,
            prime,
            elapsed_s,
        };
        self.results.push(result);
        Ok((result, vec![self.hand_out(worker)]))
    }

    /// `worker` sent its end marker.
    pub fn on_finished(&mut self, worker: usize) -> Result<(), ProtocolError> {
        match self.workers.get_mut(worker) {
            None => Err(ProtocolError::NoSuchWorker { worker }),
            Some(state @ WorkerState::Ending) => {
                *state = WorkerState::Finished;
                Ok(())
            }
            Some(_) => Err(ProtocolError::UnexpectedEnd { worker }),
        }
    }

    /// How many workers have sent their end marker (`procs_done`).
    pub fn finished_workers(&self) -> usize {
        self.workers
            .iter()
            .filter(|s| **s == WorkerState::Finished)
            .count()
    }

    /// All end markers are in: every number was answered.
    pub fn is_done(&self) -> bool {
        self.finished_workers() == self.workers.len()
    }

    pub fn pills_sent(&self) -> usize {
        self.pills_sent
    }

    pub fn checked(&self) -> usize {
        self.results.len()
    }

    /// Numbers still waiting in the queue (not yet handed to a worker).
    pub fn queued(&self) -> usize {
        self.queue
            .iter()
            .filter(|i| matches!(i, Item::Job { .. }))
            .count()
    }

    /// The number `worker` is checking, if any.
    pub fn in_flight(&self, worker: usize) -> Option<u64> {
        match self.workers.get(worker) {
            Some(WorkerState::Checking { n, .. }) => Some(*n),
            _ => None,
        }
    }

    /// Every answer so far, in completion order.
    pub fn results(&self) -> &[CheckResult] {
        &self.results
    }
}

/// `executor.map`'s ordering: takes results in completion order and releases them in
/// submission order — the unbroken run from the first job on, so a slow first job holds
/// back every later one that is already done.
#[derive(Clone, Debug, PartialEq)]
pub struct SubmissionOrder {
    slots: Vec<Option<CheckResult>>,
    released: usize,
}

impl SubmissionOrder {
    pub fn new(total: usize) -> Self {
        SubmissionOrder {
            slots: vec![None; total],
            released: 0,
        }
    }

    /// Takes one result (by its `job`); returns those now releasable, in submission order.
    /// A job out of range or already taken is ignored.
    pub fn push(&mut self, result: CheckResult) -> Vec<CheckResult> {
        match self.slots.get_mut(result.job) {
            Some(slot @ None) if result.job >= self.released => *slot = Some(result),
            _ => return Vec::new(),
        }
        let mut out = Vec::new();
        while let Some(Some(next)) = self.slots.get(self.released) {
            out.push(*next);
            self.released += 1;
        }
        out
    }

    pub fn released(&self) -> usize {
        self.released
    }

    /// Results computed but held back by an earlier job.
    pub fn held(&self) -> usize {
        self.slots[self.released..]
            .iter()
            .filter(|s| s.is_some())
            .count()
    }

    pub fn is_complete(&self) -> bool {
        self.released == self.slots.len()
    }
}

/// The middle value (the mean of the two middle ones for an even count); `None` if empty.
pub fn median(values: &[f64]) -> Option<f64> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    match sorted.len() {
        0 => None,
        len if len % 2 == 1 => Some(sorted[mid]),
        _ => Some((sorted[mid - 1] + sorted[mid]) / 2.0),
    }
}

/// One N of a sweep.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SweepRow {
    pub n: usize,
    /// How many runs the median is taken over.
    pub runs: usize,
    pub median_s: f64,
    /// median(N = 1) / median(N); `None` without an N = 1 median.
    pub speedup: Option<f64>,
}

pub const SWEEP_COLUMNS: [&str; 4] = ["N", "Runs", "Median", "Speedup"];

impl SweepRow {
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.n.to_string(),
            self.runs.to_string(),
            format!("{:.3}s", self.median_s),
            self.speedup
                .map_or_else(|| "—".to_string(), |s| format!("{s:.2}×")),
        ]
    }

    /// The transcript's table line, under [`SWEEP_TABLE_HEADER`].
    pub fn line(&self) -> String {
        let speedup = self
            .speedup
            .map_or_else(|| "—".to_string(), |s| format!("{s:.2}×"));
        format!(
            "{:>3} {:>5} {:>9.3}s {:>8}",
            self.n, self.runs, self.median_s, speedup
        )
    }
}

pub const SWEEP_TABLE_HEADER: &str = "  N  runs     median  speedup";

/// Rows from (N, elapsed) samples: one per N, ascending.
pub fn sweep_rows(samples: &[(usize, f64)]) -> Vec<SweepRow> {
    let mut ns: Vec<usize> = samples.iter().map(|&(n, _)| n).collect();
    ns.sort_unstable();
    ns.dedup();
    let medians: Vec<(usize, usize, f64)> = ns
        .into_iter()
        .filter_map(|n| {
            let times: Vec<f64> = samples.iter().filter(|s| s.0 == n).map(|s| s.1).collect();
            median(&times).map(|m| (n, times.len(), m))
        })
        .collect();
    let base = medians.iter().find(|m| m.0 == 1).map(|m| m.2);
    medians
        .into_iter()
        .map(|(n, runs, median_s)| SweepRow {
            n,
            runs,
            median_s,
            speedup: base.filter(|_| median_s > 0.0).map(|b| b / median_s),
        })
        .collect()
}

/// The row with the lowest median.
pub fn best_row(rows: &[SweepRow]) -> Option<SweepRow> {
    rows.iter()
        .copied()
        .min_by(|a, b| a.median_s.total_cmp(&b.median_s))
}

/// SVG `points` for the sweep chart, in a `width` × `height` box (y down). x maps N = 1 ..
/// max_n across the width; the median line uses the left scale 0 .. `max_time_s`, the
/// speedup and ideal lines the right scale 0 .. `max_speedup` (at least max_n, so the
/// ideal line speedup = N ends in the top right corner).
#[derive(Clone, Debug, PartialEq)]
pub struct SweepChart {
    pub median_points: String,
    pub speedup_points: String,
    pub ideal_points: String,
    pub max_time_s: f64,
    pub max_speedup: f64,
}

/// The x of N in a chart `width` wide.
pub fn chart_x(n: usize, max_n: usize, width: f64) -> f64 {
    if max_n <= 1 {
        width / 2.0
    } else {
        (n as f64 - 1.0) / (max_n as f64 - 1.0) * width
    }
}

fn chart_y(value: f64, top: f64, height: f64) -> f64 {
    height - value / top * height
}

fn points(coords: impl Iterator<Item = (f64, f64)>) -> String {
    coords
        .map(|(x, y)| format!("{x:.1},{y:.1}"))
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn sweep_chart(rows: &[SweepRow], max_n: usize, width: f64, height: f64) -> SweepChart {
    let max_n = max_n.max(1);
    let max_time_s = rows
        .iter()
        .map(|r| r.median_s)
        .filter(|t| t.is_finite())
        .fold(0.0, f64::max);
    let max_time_s = if max_time_s > 0.0 { max_time_s } else { 1.0 };
    let max_speedup = rows
        .iter()
        .filter_map(|r| r.speedup)
        .filter(|s| s.is_finite())
        .fold(max_n as f64, f64::max);
    let x = |n: usize| chart_x(n, max_n, width);
    SweepChart {
        median_points: points(
            rows.iter()
                .filter(|r| r.median_s.is_finite())
                .map(|r| (x(r.n), chart_y(r.median_s, max_time_s, height))),
        ),
        speedup_points: points(rows.iter().filter_map(|r| {
            r.speedup
                .filter(|s| s.is_finite())
                .map(|s| (x(r.n), chart_y(s, max_speedup, height)))
        })),
        ideal_points: points(
            [1, max_n]
                .into_iter()
                .map(|n| (x(n), chart_y(n as f64, max_speedup, height))),
        ),
        max_time_s,
        max_speedup,
    }
}

/// One number on the timeline: a bar in its worker's lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub lane: usize,
    pub n: u64,
    /// Relative to the start of the run (of the sweep run, for sweep).
    pub start_ms: f64,
    /// `None` while the check runs.
    pub end_ms: Option<f64>,
    pub prime: Option<bool>,
}

impl Bar {
    /// The right edge: the end, or `now_ms` while running.
    pub fn end_or(&self, now_ms: f64) -> f64 {
        self.end_ms.unwrap_or(now_ms.max(self.start_ms))
    }

    /// The CSS class: `prime`, `composite` or `running`.
    pub fn class(&self) -> &'static str {
        match self.prime {
            Some(true) => "prime",
            Some(false) => "composite",
            None => "running",
        }
    }

    /// The hover text.
    pub fn title(&self, now_ms: f64) -> String {
        let seconds = (self.end_or(now_ms) - self.start_ms) / 1000.0;
        let n = group_thousands(self.n);
        match self.prime {
            Some(prime) => format!(
                "{n}: {}, {seconds:.3}s",
                if prime { "prime" } else { "not prime" }
            ),
            None => format!("{n}: checking, {seconds:.3}s so far"),
        }
    }
}

/// The per-worker timeline of the current run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Timeline {
    pub lanes: usize,
    pub bars: Vec<Bar>,
}

impl Timeline {
    pub fn new(lanes: usize) -> Self {
        Timeline {
            lanes,
            bars: Vec::new(),
        }
    }

    /// `lane` started checking `n`.
    pub fn start(&mut self, lane: usize, n: u64, at_ms: f64) {
        self.lanes = self.lanes.max(lane + 1);
        self.bars.push(Bar {
            lane,
            n,
            start_ms: at_ms,
            end_ms: None,
            prime: None,
        });
    }

    /// `lane` answered `n`: closes its open bar, or draws one from the check's own time
    /// if the start was not seen.
    pub fn finish(&mut self, lane: usize, n: u64, prime: bool, elapsed_s: f64, at_ms: f64) {
        match self
            .bars
            .iter_mut()
            .rev()
            .find(|b| b.lane == lane && b.n == n && b.end_ms.is_none())
        {
            Some(bar) => {
                bar.end_ms = Some(at_ms.max(bar.start_ms));
                bar.prime = Some(prime);
            }
            None => {
                self.lanes = self.lanes.max(lane + 1);
                let start_ms = (at_ms - elapsed_s * 1000.0).max(0.0);
                self.bars.push(Bar {
                    lane,
                    n,
                    start_ms,
                    end_ms: Some(at_ms),
                    prime: Some(prime),
                });
            }
        }
    }

    /// The time axis' right end: the last bar's end, or `now_ms` while one runs.
    pub fn span_ms(&self, now_ms: f64) -> f64 {
        self.bars
            .iter()
            .map(|b| b.end_or(now_ms))
            .fold(0.0, f64::max)
    }
}

/// A lane's name: `Main thread` for sequential-main, else `Worker 1`, `Worker 2`, …
pub fn lane_label(mode: Mode, lane: usize) -> String {
    if mode == Mode::SequentialMain {
        "Main thread".to_string()
    } else {
        format!("Worker {}", lane + 1)
    }
}

/// The Stop button's note for sequential-main.
pub const MAIN_THREAD_STOP_NOTE: &str = "Stop cannot interrupt sequential-main: the checks hold the only \
    thread that could handle the click. The page stays frozen until the last number is checked.";

/// How a run ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Completed,
    Cancelled,
    Failed { worker: usize, reason: String },
}

/// The lab's state across runs; the view dispatches [`Event`]s into it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub transcript: Vec<String>,
    /// The current (or last) run's timeline; for sweep, the current sweep run's.
    pub timeline: Timeline,
    /// The current (or last) run's answers in completion order; for sweep, the current sweep run's.
    pub results: Vec<CheckResult>,
    /// The last sweep's (N, elapsed) samples; empty for other modes.
    pub sweep_samples: Vec<(usize, f64)>,
    pub running: Option<Running>,
    pub history: Vec<HistoryRow>,
    pub runs_started: u32,
}

/// The run in progress.
#[derive(Clone, Debug, PartialEq)]
pub struct Running {
    pub run_no: u32,
    pub params: PrimesParams,
    /// pool-map's submission-order buffer.
    pub in_order: Option<SubmissionOrder>,
    /// The sweep run in progress: (N, run).
    pub sweep_step: Option<(usize, u32)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Started(PrimesParams),
    /// `worker` was handed `n` (times relative to the run's, or the sweep run's, start).
    Dispatched {
        worker: usize,
        n: u64,
        at_ms: f64,
    },
    /// An answer, as returned by [`Dispatcher::on_result`].
    Checked {
        result: CheckResult,
        at_ms: f64,
    },
    /// Sweep: a fresh pool of `n` workers starts run `run` (from 1).
    SweepRunStarted {
        n: usize,
        run: u32,
    },
    /// Sweep: that run's end markers are all in.
    SweepRunFinished {
        elapsed_s: f64,
    },
    /// All done (for sweep, after the last run).
    Finished {
        elapsed_s: f64,
    },
    /// Stop: every worker was terminated.
    Cancelled {
        elapsed_s: f64,
    },
    /// A worker errored or broke the protocol; the page terminated the pool.
    WorkerFailed {
        worker: usize,
        reason: String,
        elapsed_s: f64,
    },
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// The last sweep's table, one row per N.
    pub fn sweep_rows(&self) -> Vec<SweepRow> {
        sweep_rows(&self.sweep_samples)
    }

    /// (answered, total) of the run in progress or the last one (for sweep: sweep runs).
    pub fn progress(&self) -> (usize, usize) {
        let params = match (&self.running, self.history.last()) {
            (Some(running), _) => &running.params,
            (None, Some(row)) => &row.params,
            (None, None) => return (0, 0),
        };
        match params.sweep {
            Some(plan) => (self.sweep_samples.len(), plan.len()),
            None => (self.results.len(), params.numbers.len()),
        }
    }

    /// `7 of 20 checked; all workers terminated.`
    fn stop_summary(&self, running: &Running) -> String {
        let params = &running.params;
        let done = match (params.sweep, running.sweep_step) {
            (Some(plan), Some((n, run))) => {
                format!(
                    "{} of {} sweep runs done, stopped during N = {n}, run {run}",
                    self.sweep_samples.len(),
                    plan.len()
                )
            }
            (Some(plan), None) => format!(
                "{} of {} sweep runs done",
                self.sweep_samples.len(),
                plan.len()
            ),
            (None, _) => format!("{} of {} checked", self.results.len(), params.numbers.len()),
        };
        if params.mode == Mode::SequentialMain {
            format!("{done}.")
        } else {
            format!("{done}; all workers terminated.")
        }
    }

    fn record(&mut self, running: Running, elapsed_s: f64, outcome: Outcome) {
        let sweep = running.params.sweep.is_some();
        self.history.push(HistoryRow {
            run_no: running.run_no,
            checked: if sweep {
                self.sweep_samples.len()
            } else {
                self.results.len()
            },
            primes: if sweep {
                0
            } else {
                self.results.iter().filter(|r| r.prime).count()
            },
            best: if sweep {
                best_row(&self.sweep_rows())
            } else {
                None
            },
            params: running.params,
            elapsed_s,
            outcome,
        });
    }
}

impl LabSession for Session {
    type Event = Event;

    fn cancelled(elapsed_s: f64) -> Event {
        Event::Cancelled { elapsed_s }
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Started(params) => {
                self.runs_started += 1;
                let count = params.numbers.len();
                let header = match (params.mode, params.sweep) {
                    (Mode::Sweep, Some(plan)) => sweep_header(plan, count),
                    (mode, _) if mode.is_sequential() => sequential_header(count),
                    _ => pool_header(count, params.workers),
                };
                self.transcript = vec![header];
                self.timeline = Timeline::new(if params.mode == Mode::Sweep {
                    1
                } else {
                    params.workers
                });
                self.results.clear();
                self.sweep_samples.clear();
                let in_order = (params.mode == Mode::PoolMap).then(|| SubmissionOrder::new(count));
                self.running = Some(Running {
                    run_no: self.runs_started,
                    params,
                    in_order,
                    sweep_step: None,
                });
            }
            Event::Dispatched { worker, n, at_ms } => {
                if self.running.is_some() {
                    self.timeline.start(worker, n, at_ms);
                }
            }
            Event::Checked { result, at_ms } => {
                let Some(running) = self.running.as_mut() else {
                    return;
                };
                self.timeline.finish(
                    result.worker,
                    result.n,
                    result.prime,
                    result.elapsed_s,
                    at_ms,
                );
                self.results.push(result);
                let released = match (running.params.mode, running.in_order.as_mut()) {
                    (Mode::Sweep, _) => Vec::new(),
                    (_, Some(in_order)) => in_order.push(result),
                    (_, None) => vec![result],
                };
                self.transcript.extend(
                    released
                        .iter()
                        .map(|r| result_line(r.n, r.prime, r.elapsed_s)),
                );
            }
            Event::SweepRunStarted { n, run } => {
                if let Some(running) = self.running.as_mut() {
                    running.sweep_step = Some((n, run));
                    self.timeline = Timeline::new(n);
                    self.results.clear();
                }
            }
            Event::SweepRunFinished { elapsed_s } => {
                let Some(running) = self.running.as_mut() else {
                    return;
                };
                if let (Some((n, run)), Some(plan)) =
                    (running.sweep_step.take(), running.params.sweep)
                {
                    self.sweep_samples.push((n, elapsed_s));
                    self.transcript.push(sweep_run_line(
                        n,
                        run,
                        plan.runs,
                        self.results.len(),
                        elapsed_s,
                    ));
                }
            }
            Event::Finished { elapsed_s } => {
                let Some(running) = self.running.take() else {
                    return;
                };
                match running.params.mode {
                    Mode::Procs => self
                        .transcript
                        .push(checks_line(self.results.len(), elapsed_s)),
                    Mode::Sweep => {
                        let rows = self.sweep_rows();
                        self.transcript.push(SWEEP_TABLE_HEADER.to_string());
                        self.transcript.extend(rows.iter().map(SweepRow::line));
                        let mut footer = format!("Sweep done in {}", seconds_2(elapsed_s));
                        if let Some(best) = best_row(&rows) {
                            footer += &format!(
                                ": fastest median {:.3}s at N = {}",
                                best.median_s, best.n
                            );
                            if let Some(speedup) = best.speedup {
                                footer += &format!(" ({speedup:.2}× N = 1)");
                            }
                        }
                        self.transcript.push(footer + ".");
                    }
                    _ => self.transcript.push(total_time_line(elapsed_s)),
                }
                self.record(running, elapsed_s, Outcome::Completed);
            }
            Event::Cancelled { elapsed_s } => {
                let Some(running) = self.running.take() else {
                    return;
                };
                let line = format!(
                    "Cancelled after {}: {}",
                    seconds_2(elapsed_s),
                    self.stop_summary(&running)
                );
                self.transcript.push(line);
                self.record(running, elapsed_s, Outcome::Cancelled);
            }
            Event::WorkerFailed {
                worker,
                reason,
                elapsed_s,
            } => {
                let Some(running) = self.running.take() else {
                    return;
                };
                self.transcript
                    .push(format!("Worker {} failed: {reason}", worker + 1));
                let line = format!(
                    "Stopped after {}: {}",
                    seconds_2(elapsed_s),
                    self.stop_summary(&running)
                );
                self.transcript.push(line);
                self.record(running, elapsed_s, Outcome::Failed { worker, reason });
            }
        }
    }
}

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub params: PrimesParams,
    pub elapsed_s: f64,
    /// Numbers answered; for sweep, sweep runs finished.
    pub checked: usize,
    pub primes: usize,
    /// Sweep: the fastest N.
    pub best: Option<SweepRow>,
    pub outcome: Outcome,
}

pub const HISTORY_COLUMNS: [&str; 6] = ["Run", "Mode", "Workers", "Numbers", "Elapsed", "Outcome"];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        let params = &self.params;
        let workers = match (params.mode, params.sweep) {
            (Mode::SequentialMain, _) => "main thread".to_string(),
            (_, Some(plan)) => format!("1–{} ×{}", plan.max_n, plan.runs),
            _ => params.workers.to_string(),
        };
        let numbers = match params.preset {
            Some(preset) => format!("{} ({})", params.numbers.len(), preset.key()),
            None => params.numbers.len().to_string(),
        };
        let total = params.sweep.map_or(params.numbers.len(), |plan| plan.len());
        let outcome = match (&self.outcome, params.sweep) {
            (Outcome::Completed, None) => {
                format!("{} checked, {} prime", self.checked, self.primes)
            }
            (Outcome::Completed, Some(_)) => match self.best {
                Some(best) => format!("fastest: N = {} in {:.3}s", best.n, best.median_s),
                None => "completed".to_string(),
            },
            (Outcome::Cancelled, None) => format!("cancelled: {} of {total} checked", self.checked),
            (Outcome::Cancelled, Some(_)) => format!("cancelled: {} of {total} runs", self.checked),
            (Outcome::Failed { worker, .. }, _) => format!("worker {} failed", worker + 1),
        };
        vec![
            self.run_no.to_string(),
            params.mode.key().to_string(),
            workers,
            numbers,
            seconds_2(self.elapsed_s),
            outcome,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prime::is_prime;
    use crate::text::U64Error;

    fn form(pairs: &[(Field, &str)]) -> PrimesForm {
        let mut form = PrimesForm::with_cpu_count(4);
        for (field, value) in pairs {
            form.set(*field, value.to_string());
        }
        form
    }

    fn errors_of(form: &PrimesForm) -> Vec<(Field, String)> {
        form.validate().err().unwrap_or_default()
    }

    fn owned(query: Vec<(&'static str, String)>) -> Vec<(String, String)> {
        query.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    // ---- presets ----

    #[test]
    fn book_preset_is_the_fixture() {
        assert_eq!(BOOK.len(), 20);
        for (n, (m, _)) in BOOK.iter().zip(BOOK_NUMBERS) {
            assert_eq!(*n, m);
        }
        assert_eq!(Preset::Book.text().lines().count(), 20);
        assert_eq!(Preset::Book.text().lines().next(), Some("2"));
        assert_eq!(parse_numbers(&Preset::Heavy.text()).unwrap(), HEAVY);
    }

    fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
        (a as u128 * b as u128 % m as u128) as u64
    }

    fn pow_mod(mut base: u64, mut exp: u64, m: u64) -> u64 {
        let mut acc = 1 % m;
        base %= m;
        while exp > 0 {
            if exp & 1 == 1 {
                acc = mul_mod(acc, base, m);
            }
            base = mul_mod(base, base, m);
            exp >>= 1;
        }
        acc
    }

    /// Deterministic Miller–Rabin for every u64 (these bases suffice below 3.3e24).
    fn miller_rabin(n: u64) -> bool {
        const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
        if n < 2 {
            return false;
        }
        for p in BASES {
            if n % p == 0 {
                return n == p;
            }
        }
        let s = (n - 1).trailing_zeros();
        let d = (n - 1) >> s;
        'bases: for a in BASES {
            let mut x = pow_mod(a, d, n);
            if x == 1 || x == n - 1 {
                continue;
            }
            for _ in 1..s {
                x = mul_mod(x, x, n);
                if x == n - 1 {
                    continue 'bases;
                }
            }
            return false;
        }
        true
    }

    #[test]
    fn miller_rabin_agrees_with_is_prime() {
        for n in 0..20_000 {
            assert_eq!(miller_rabin(n), is_prime(n), "{n}");
        }
        for (n, prime) in BOOK_NUMBERS {
            assert_eq!(miller_rabin(n), prime, "{n}");
        }
        assert!(miller_rabin(crate::prime::LARGEST_U64_PRIME));
        assert!(!miller_rabin(3_215_031_751)); // strong pseudoprime to bases 2, 3, 5, 7
    }

    /// The trial divisions `is_prime` performs on an odd n whose smallest odd factor is
    /// `factor` (n itself when prime): one per odd i in 3..=min(factor, isqrt(n)).
    fn divisions(n: u64, factor: u64) -> u64 {
        let last = factor.min(n.isqrt());
        if last < 3 { 0 } else { (last - 1) / 2 }
    }

    #[test]
    fn heavy_verdicts_and_weights() {
        let mut hard = 0;
        let mut total_divisions = 0;
        let mut previous_work = u64::MAX;
        for (i, (n, prime)) in HEAVY_NUMBERS.into_iter().enumerate() {
            assert!(
                (100_000_000_000_000_000..=18_000_000_000_000_000_000).contains(&n),
                "{n} in range"
            );
            assert_eq!(miller_rabin(n), prime, "verdict of {n}");
            assert!(
                !HEAVY_NUMBERS[..i].iter().any(|&(m, _)| m == n),
                "{n} twice"
            );
            let root = n.isqrt();
            let square_of_prime = root * root == n && miller_rabin(root);
            let small_factor = [2, 3, 5].into_iter().find(|p| n % p == 0);
            if prime || square_of_prime {
                hard += 1;
                let work = divisions(n, if prime { n } else { root });
                assert!(work >= 180_000_000, "{n} needs only {work} divisions");
                assert!(work <= previous_work, "hardest first: {n}");
                previous_work = work;
                total_divisions += work;
            } else {
                assert!(small_factor.is_some(), "{n} must be an easy composite");
            }
        }
        assert_eq!(hard, 12);
        let primes = HEAVY_NUMBERS.iter().filter(|p| p.1).count();
        assert_eq!(primes, 7);
        // ~1.7 ns a division in WASM: 5 to 10 s on one worker.
        assert!(
            (2_900_000_000..=5_900_000_000).contains(&total_divisions),
            "{total_divisions}"
        );
    }

    #[test]
    #[ignore = "is_prime on HEAVY takes several seconds natively even optimized; run with --ignored"]
    fn heavy_verdicts_with_is_prime() {
        for (n, prime) in HEAVY_NUMBERS {
            assert_eq!(is_prime(n), prime, "is_prime({n})");
        }
    }

    // ---- form ----

    #[test]
    fn defaults_follow_the_cpu_count() {
        let params = PrimesForm::with_cpu_count(8).validate().unwrap();
        assert_eq!(params.mode, Mode::Procs);
        assert_eq!(params.workers, 8);
        assert_eq!(params.numbers, BOOK);
        assert_eq!(params.preset, Some(Preset::Book));
        assert_eq!(params.sweep, None);
        let f = PrimesForm::with_cpu_count(8);
        assert_eq!((f.runs.as_str(), f.max_n.as_str()), ("3", "16"));
        assert_eq!(PrimesForm::with_cpu_count(0).workers, "1");
        assert_eq!(PrimesForm::with_cpu_count(0).max_n, "2");
        assert_eq!(PrimesForm::with_cpu_count(128).workers, "64");
        assert_eq!(PrimesForm::with_cpu_count(128).max_n, "24");
        assert_eq!(PrimesForm::with_cpu_count(u32::MAX).max_n, "24");
        let sweep = form(&[(Field::Mode, "sweep")]).validate().unwrap();
        assert_eq!(sweep.sweep, Some(SweepPlan { max_n: 8, runs: 3 }));
        assert_eq!(sweep.workers, 8);
        let seq = form(&[(Field::Mode, "sequential-main"), (Field::Workers, "0")])
            .validate()
            .unwrap();
        assert_eq!(seq.workers, 1);
    }

    #[test]
    fn fields_follow_the_mode() {
        let fields = |mode| form(&[(Field::Mode, mode)]).fields();
        assert_eq!(fields("sequential-main"), [Field::Mode, Field::Numbers]);
        assert_eq!(fields("sequential-worker"), [Field::Mode, Field::Numbers]);
        assert_eq!(
            fields("procs"),
            [Field::Mode, Field::Workers, Field::Numbers]
        );
        assert_eq!(
            fields("pool-map"),
            [Field::Mode, Field::Workers, Field::Numbers]
        );
        assert_eq!(
            fields("sweep"),
            [Field::Mode, Field::Numbers, Field::RunsPerN, Field::MaxN]
        );
        assert_eq!(
            fields("teleport"),
            [Field::Mode, Field::Workers, Field::Numbers]
        );
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.key()), Some(mode));
            assert!(mode.label().starts_with(mode.key()));
            assert!(mode.python_reference().path.ends_with(".py"));
            assert!(!mode.browser_explanation().is_empty());
        }
        assert_eq!(
            Mode::Procs.label(),
            "procs — procs.py: N workers, one jobs queue"
        );
    }

    #[test]
    fn workers_range_is_1_to_64() {
        for ok in ["1", "64", " 12 "] {
            assert!(check_field(Field::Workers, ok).is_ok(), "{ok}");
        }
        for bad in ["0", "65", "-1", "abc", "", "1.5"] {
            assert_eq!(
                check_field(Field::Workers, bad),
                Err("Workers must be a whole number from 1 to 64.".to_string()),
                "{bad}"
            );
        }
        assert!(check_field(Field::RunsPerN, "20").is_ok());
        assert_eq!(
            check_field(Field::RunsPerN, "21"),
            Err("Runs per N must be a whole number from 1 to 20.".into())
        );
        assert!(check_field(Field::MaxN, "64").is_ok());
        assert_eq!(
            check_field(Field::MaxN, "0"),
            Err("Max N must be a whole number from 1 to 64.".into())
        );
        assert!(
            check_field(Field::Mode, "warp")
                .unwrap_err()
                .contains("sequential-main, sequential-worker")
        );
    }

    #[test]
    fn numbers_are_split_the_way_readers_write_them() {
        let ok = |text: &str| parse_numbers(text).unwrap();
        assert_eq!(ok("2\n3\n5"), [2, 3, 5]);
        assert_eq!(ok("2, 3, 5"), [2, 3, 5]);
        assert_eq!(ok("2,3,5"), [2, 3, 5]);
        assert_eq!(ok("  2 3\t5 ;7\r\n\n"), [2, 3, 5, 7]);
        assert_eq!(ok("2,,3,"), [2, 3]);
        assert_eq!(ok("5,000,111,000,222,021\n7"), [5_000_111_000_222_021, 7]);
        assert_eq!(ok("5_000_111_000_222_021, 0"), [5_000_111_000_222_021, 0]);
        assert_eq!(ok("100,200"), [100_200]);
        assert_eq!(ok("100, 200"), [100, 200]);
        assert_eq!(ok("18446744073709551615"), [u64::MAX]);
        assert_eq!(
            ok("142702110479723,299593572317531"),
            [142_702_110_479_723, 299_593_572_317_531]
        );
        assert_eq!(ok("4,4"), [4, 4], "duplicates are kept");
    }

    #[test]
    fn bad_numbers_name_the_entry() {
        let err = |text: &str| parse_numbers(text).unwrap_err();
        assert_eq!(
            err("2\n3\nabc"),
            format!(
                "\"abc\" (entry 3): {}",
                U64Error::NotANumber.message("Each number")
            )
        );
        assert!(
            err("2, 3, abc").starts_with("\"abc\" (entry 3): Each number must be a whole number")
        );
        assert!(err("2, -5").starts_with("\"-5\" (entry 2): Each number must not be negative."));
        assert!(err("1.5").starts_with("\"1.5\" (entry 1):"));
        assert!(err("18446744073709551616").contains("above the largest 64-bit unsigned integer"));
        assert!(err("-5,000").contains("negative"));
        assert!(err(&"9".repeat(60)).contains(&format!("\"{}…\" (entry 1)", "9".repeat(23))));
        assert_eq!(err(""), "Numbers needs at least one number.");
        assert_eq!(err(" ,\n, "), "Numbers needs at least one number.");
        let many = vec!["7"; 1001].join("\n");
        assert_eq!(
            err(&many),
            "Numbers must have at most 1,000 numbers; this list has 1,001."
        );
        assert_eq!(
            parse_numbers(&vec!["7"; 1000].join(",")).unwrap().len(),
            1000
        );
    }

    #[test]
    fn bad_input_is_reported_per_field_and_only_for_used_fields() {
        let fields = |f: &PrimesForm| errors_of(f).into_iter().map(|(f, _)| f).collect::<Vec<_>>();
        assert_eq!(fields(&form(&[(Field::Workers, "0")])), [Field::Workers]);
        assert_eq!(fields(&form(&[(Field::Workers, "65")])), [Field::Workers]);
        assert_eq!(fields(&form(&[(Field::Numbers, "")])), [Field::Numbers]);
        assert_eq!(
            fields(&form(&[(Field::Workers, "0"), (Field::Numbers, "x")])),
            [Field::Workers, Field::Numbers]
        );
        // Sequential modes ignore Workers; procs ignores the sweep's fields.
        assert!(
            form(&[(Field::Mode, "sequential-worker"), (Field::Workers, "0")])
                .validate()
                .is_ok()
        );
        assert!(
            form(&[(Field::RunsPerN, "0"), (Field::MaxN, "99")])
                .validate()
                .is_ok()
        );
        let sweep = form(&[
            (Field::Mode, "sweep"),
            (Field::RunsPerN, "0"),
            (Field::MaxN, "65"),
            (Field::Workers, "0"),
        ]);
        assert_eq!(fields(&sweep), [Field::RunsPerN, Field::MaxN]);
        assert_eq!(fields(&form(&[(Field::Mode, "warp")])), [Field::Mode]);
    }

    #[test]
    fn url_keeps_presets_short_and_round_trips() {
        let f = form(&[(Field::Mode, "pool-map"), (Field::Workers, "6")]);
        let query = owned(f.query());
        assert_eq!(
            query,
            [
                ("mode".into(), "pool-map".into()),
                ("workers".into(), "6".into()),
                ("numbers".into(), "book".into())
            ]
        );
        let (back, notices) = PrimesForm::from_query(&query, 2);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.validate(), f.validate());

        let heavy = form(&[
            (Field::Mode, "sweep"),
            (Field::Numbers, &HEAVY.map(|n| n.to_string()).join(", ")),
        ]);
        assert_eq!(heavy.preset(), Some(Preset::Heavy));
        let query = owned(heavy.query());
        assert_eq!(
            query.iter().find(|(k, _)| k == "numbers").unwrap().1,
            "heavy"
        );
        assert!(query.iter().any(|(k, v)| k == "runs" && v == "3"));
        assert!(!query.iter().any(|(k, _)| k == "workers"));
        assert_eq!(
            PrimesForm::from_query(&query, 4).0.validate(),
            heavy.validate()
        );

        // Not a preset: the comma list, read back strictly (1,234 stays two numbers).
        let custom = form(&[(Field::Numbers, "1\n234\n5,000,111,000,222,021")]);
        let query = owned(custom.query());
        assert_eq!(query[2].1, "1,234,5000111000222021");
        let (back, notices) = PrimesForm::from_query(&query, 4);
        assert!(notices.is_empty());
        assert_eq!(back.numbers, "1\n234\n5000111000222021");
        assert_eq!(
            back.validate().unwrap().numbers,
            [1, 234, 5_000_111_000_222_021]
        );

        // A hand-written URL may use anything the field accepts.
        let (hand, _) = PrimesForm::from_query(&[("numbers".into(), "2 3 5".into())], 4);
        assert_eq!(hand.numbers, "2\n3\n5");
    }

    #[test]
    fn url_fallbacks_come_with_notices() {
        let bad: Vec<(String, String)> = [
            ("mode", "warp"),
            ("workers", "0"),
            ("numbers", "2,abc"),
            ("colour", "red"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (fallback, notices) = PrimesForm::from_query(&bad, 6);
        assert_eq!(fallback, PrimesForm::with_cpu_count(6));
        assert_eq!(notices.len(), 4);
        assert!(
            notices[1].contains("workers=0") && notices[1].contains("`6`"),
            "{}",
            notices[1]
        );
        assert!(
            notices[2].contains("(entry 2)") && notices[2].contains("`book`"),
            "{}",
            notices[2]
        );
        assert_eq!(notices[3], "Ignored unknown URL parameter `colour`.");
        // An invalid form still writes its raw text, for from_query to reject.
        let typing = form(&[(Field::Numbers, "2\n3\nab")]);
        assert_eq!(owned(typing.query())[2].1, "2\n3\nab");
    }

    // ---- output ----

    #[test]
    fn result_lines_match_pythons_format() {
        // Expected strings printed by CPython: f'{n:16}  {label} {elapsed:9.6f}s'.
        let cases: [(u64, bool, f64, &str); 11] = [
            (2, true, 0.000001, "               2  P  0.000001s"),
            (
                142_702_110_479_723,
                true,
                0.123456789,
                " 142702110479723  P  0.123457s",
            ),
            (
                4_444_444_444_444_444,
                false,
                0.0000004,
                "4444444444444444     0.000000s",
            ),
            (
                18_446_744_073_709_551_557,
                true,
                12.3456785,
                "18446744073709551557  P 12.345678s",
            ),
            (
                9_999_999_999_999_999_999,
                false,
                0.5,
                "9999999999999999999     0.500000s",
            ),
            (
                1_234_567_890_123_456_789,
                false,
                0.0,
                "1234567890123456789     0.000000s",
            ),
            (7, true, 123.4567891, "               7  P 123.456789s"),
            (0, false, 1234.5, "               0    1234.500000s"),
            (
                3_333_335_652_092_209,
                false,
                0.0000005,
                "3333335652092209     0.000000s",
            ),
            (5, true, 0.0000015, "               5  P  0.000002s"),
            (5, true, 2.5e-7, "               5  P  0.000000s"),
        ];
        for (n, prime, elapsed, expected) in cases {
            assert_eq!(result_line(n, prime, elapsed), expected, "{n} {elapsed}");
        }
    }

    #[test]
    fn headers_and_footers() {
        assert_eq!(sequential_header(20), "Checking 20 numbers sequentially:");
        assert_eq!(sequential_header(1), "Checking 1 number sequentially:");
        assert_eq!(pool_header(20, 4), "Checking 20 numbers with 4 workers:");
        assert_eq!(pool_header(20, 1), "Checking 20 numbers with 1 worker:");
        assert_eq!(checks_line(20, 9.578), "20 checks in 9.58s");
        assert_eq!(checks_line(1, 0.5), "1 check in 0.50s");
        assert_eq!(total_time_line(40.314), "Total time: 40.31s");
        assert_eq!(
            sweep_header(SweepPlan { max_n: 8, runs: 3 }, 20),
            "Sweep: N = 1 to 8, 3 runs each, 20 numbers per run:"
        );
        assert_eq!(
            sweep_run_line(3, 2, 3, 20, 1.234),
            "N =  3, run 2 of 3: 20 checks in 1.23s"
        );
        assert_eq!(lane_label(Mode::SequentialMain, 0), "Main thread");
        assert_eq!(lane_label(Mode::Procs, 2), "Worker 3");
    }

    // ---- scheduler ----

    /// The verdict without the work: the fixture's for the book's numbers.
    fn verdict(n: u64) -> bool {
        BOOK_NUMBERS
            .iter()
            .find(|p| p.0 == n)
            .map_or_else(|| is_prime(n), |p| p.1)
    }

    /// A deterministic pseudo-random sequence (64-bit LCG).
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % n as u64) as usize
        }
    }

    /// Drives a dispatcher like the page does, delivering the workers' messages in a
    /// pseudo-random order; returns the results and every command each worker received.
    fn simulate(
        jobs: &[u64],
        workers: usize,
        seed: u64,
        ready_one_by_one: bool,
    ) -> (Dispatcher, Vec<Vec<ToWorker>>) {
        let mut d = Dispatcher::new(jobs, workers);
        let mut rng = Lcg(seed);
        let mut inbox: Vec<Vec<ToWorker>> = vec![Vec::new(); workers];
        let mut pending: Vec<Option<ToWorker>> = vec![None; workers];
        let deliver = |cmds: Commands,
                       inbox: &mut Vec<Vec<ToWorker>>,
                       pending: &mut Vec<Option<ToWorker>>| {
            for (w, cmd) in cmds {
                assert!(
                    pending[w].is_none(),
                    "worker {w} got a second command while busy"
                );
                assert!(
                    !inbox[w].contains(&ToWorker::End),
                    "worker {w} got a command after its pill"
                );
                inbox[w].push(cmd);
                pending[w] = Some(cmd);
            }
        };
        if ready_one_by_one {
            let mut order: Vec<usize> = (0..workers).collect();
            for i in (1..workers).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for w in order {
                let cmds = d.on_ready(w);
                assert_eq!(cmds.len(), 1);
                deliver(cmds, &mut inbox, &mut pending);
                assert!(d.on_ready(w).is_empty(), "ready twice hands out nothing");
            }
        } else {
            let cmds = d.start();
            assert_eq!(cmds.len(), workers);
            deliver(cmds, &mut inbox, &mut pending);
        }
        while pending.iter().any(Option::is_some) {
            let busy: Vec<usize> = (0..workers).filter(|&w| pending[w].is_some()).collect();
            let w = busy[rng.below(busy.len())];
            assert!(!d.is_done());
            match pending[w].take().unwrap() {
                ToWorker::Check(n) => {
                    let (result, cmds) = d.on_result(w, n, verdict(n), 0.001).unwrap();
                    assert_eq!((result.worker, result.n), (w, n));
                    deliver(cmds, &mut inbox, &mut pending);
                }
                ToWorker::End => d.on_finished(w).unwrap(),
            }
        }
        (d, inbox)
    }

    #[test]
    fn every_number_is_answered_exactly_once_for_any_n() {
        let lists: [&[u64]; 4] = [&BOOK, &[7, 7, 4, 0, 1], &[97], &[]];
        for jobs in lists {
            for workers in 1..=25 {
                for (seed, one_by_one) in [(1, false), (42, true), (2024, false)] {
                    let (d, inbox) = simulate(jobs, workers, seed + workers as u64, one_by_one);
                    let ctx = format!("{} jobs, {workers} workers, seed {seed}", jobs.len());
                    assert!(d.is_done(), "{ctx}");
                    assert_eq!(d.finished_workers(), workers, "{ctx}");
                    assert_eq!(d.pills_sent(), workers, "{ctx}");
                    assert_eq!(d.checked(), jobs.len(), "{ctx}");
                    assert_eq!(d.queued(), 0);
                    let mut answered: Vec<usize> = d.results().iter().map(|r| r.job).collect();
                    answered.sort_unstable();
                    assert_eq!(answered, (0..jobs.len()).collect::<Vec<_>>(), "{ctx}");
                    for (i, r) in d.results().iter().enumerate() {
                        assert_eq!(r.order, i);
                        assert_eq!(r.n, jobs[r.job]);
                        assert_eq!(r.prime, verdict(r.n));
                    }
                    // Each worker ends with exactly one pill; checks + pills = commands.
                    for cmds in &inbox {
                        assert_eq!(cmds.last(), Some(&ToWorker::End), "{ctx}");
                        assert_eq!(cmds.iter().filter(|c| **c == ToWorker::End).count(), 1);
                    }
                    let checks: usize = inbox.iter().map(|c| c.len() - 1).sum();
                    assert_eq!(checks, jobs.len());
                    if workers > jobs.len() {
                        let idle = inbox.iter().filter(|c| c.len() == 1).count();
                        assert_eq!(
                            idle,
                            workers - jobs.len(),
                            "{ctx}: extra workers get only the pill"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_queue_is_handed_out_in_order_to_whoever_is_idle() {
        let mut d = Dispatcher::new(&[10, 11, 12, 13], 2);
        assert_eq!(
            d.start(),
            [(0, ToWorker::Check(10)), (1, ToWorker::Check(11))]
        );
        assert_eq!(d.in_flight(1), Some(11));
        // Worker 1 is fast: it takes the next two jobs while worker 0 is still busy.
        assert_eq!(
            d.on_result(1, 11, true, 0.1).unwrap().1,
            [(1, ToWorker::Check(12))]
        );
        assert_eq!(
            d.on_result(1, 12, false, 0.1).unwrap().1,
            [(1, ToWorker::Check(13))]
        );
        assert_eq!(
            d.on_result(1, 13, true, 0.1).unwrap().1,
            [(1, ToWorker::End)]
        );
        assert_eq!(d.queued(), 0);
        d.on_finished(1).unwrap();
        assert!(!d.is_done(), "worker 0 has not sent its end marker");
        let (r, cmds) = d.on_result(0, 10, false, 2.0).unwrap();
        assert_eq!((r.job, r.order), (0, 3));
        assert_eq!(cmds, [(0, ToWorker::End)]);
        assert!(!d.is_done());
        d.on_finished(0).unwrap();
        assert!(d.is_done());
        assert_eq!(d.pills_sent(), 2);
    }

    #[test]
    fn protocol_violations_are_errors() {
        let mut d = Dispatcher::new(&[10, 11], 2);
        assert_eq!(
            d.on_result(0, 10, false, 0.0).unwrap_err(),
            ProtocolError::NotChecking { worker: 0, n: 10 }
        );
        d.start();
        assert_eq!(
            d.on_result(0, 11, true, 0.0).unwrap_err(),
            ProtocolError::WrongNumber {
                worker: 0,
                expected: 10,
                got: 11
            }
        );
        assert_eq!(
            d.on_result(5, 10, false, 0.0).unwrap_err(),
            ProtocolError::NoSuchWorker { worker: 5 }
        );
        assert_eq!(
            d.on_finished(0).unwrap_err(),
            ProtocolError::UnexpectedEnd { worker: 0 }
        );
        d.on_result(0, 10, false, 0.0).unwrap();
        d.on_finished(0).unwrap();
        assert_eq!(
            d.on_finished(0).unwrap_err(),
            ProtocolError::UnexpectedEnd { worker: 0 }
        );
        assert_eq!(
            ProtocolError::WrongNumber {
                worker: 1,
                expected: 3,
                got: 5
            }
            .to_string(),
            "worker 2 answered 5 but was checking 3"
        );
        // Zero workers means one.
        assert_eq!(Dispatcher::new(&[1], 0).workers(), 1);
    }

    fn result(job: usize, n: u64) -> CheckResult {
        CheckResult {
            job,
            order: 0,
            worker: 0,
            n,
            prime: false,
            elapsed_s: 0.0,
        }
    }

    #[test]
    fn submission_order_releases_the_unbroken_prefix() {
        let mut buf = SubmissionOrder::new(4);
        let jobs = |rs: Vec<CheckResult>| rs.into_iter().map(|r| r.job).collect::<Vec<_>>();
        assert_eq!(jobs(buf.push(result(2, 12))), [] as [usize; 0]);
        assert_eq!(jobs(buf.push(result(1, 11))), [] as [usize; 0]);
        assert_eq!(buf.held(), 2);
        assert_eq!(
            jobs(buf.push(result(0, 10))),
            [0, 1, 2],
            "the slow first job held back two"
        );
        assert_eq!(buf.released(), 3);
        assert!(buf.push(result(1, 11)).is_empty(), "duplicates are ignored");
        assert!(
            buf.push(result(9, 19)).is_empty(),
            "out of range is ignored"
        );
        assert!(!buf.is_complete());
        assert_eq!(jobs(buf.push(result(3, 13))), [3]);
        assert!(buf.is_complete());
        assert_eq!(buf.held(), 0);
    }

    #[test]
    fn submission_order_with_a_simulated_pool() {
        for workers in 1..=25 {
            let params = PrimesParams {
                mode: Mode::PoolMap,
                workers,
                numbers: BOOK.to_vec(),
                preset: Some(Preset::Book),
                sweep: None,
            };
            let jobs = params.job_order();
            assert!(jobs.windows(2).all(|w| w[0] >= w[1]), "sorted in reverse");
            let (d, _) = simulate(&jobs, workers, 7 * workers as u64, true);
            let mut buf = SubmissionOrder::new(jobs.len());
            let released: Vec<u64> = d
                .results()
                .iter()
                .flat_map(|r| buf.push(*r))
                .map(|r| r.n)
                .collect();
            assert_eq!(released, jobs);
        }
    }

    // ---- sweep ----

    #[test]
    fn sweep_plan_and_medians() {
        let plan = SweepPlan { max_n: 3, runs: 2 };
        assert_eq!(
            plan.steps(),
            [(1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2)]
        );
        assert_eq!(plan.len(), 6);
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), Some(2.5));
        let rows = sweep_rows(&[
            (1, 40.0),
            (2, 21.0),
            (1, 41.0),
            (2, 20.0),
            (1, 39.0),
            (3, 13.0),
        ]);
        assert_eq!(rows.len(), 3);
        assert_eq!(
            (rows[0].n, rows[0].runs, rows[0].median_s, rows[0].speedup),
            (1, 3, 40.0, Some(1.0))
        );
        assert_eq!(
            (rows[1].median_s, rows[1].speedup),
            (20.5, Some(40.0 / 20.5))
        );
        assert_eq!(rows[2].cells(), ["3", "1", "13.000s", "3.08×"]);
        assert_eq!(rows[2].line(), "  3     1    13.000s    3.08×");
        assert_eq!(SWEEP_TABLE_HEADER.len(), rows[2].line().chars().count());
        assert_eq!(best_row(&rows).unwrap().n, 3);
        assert_eq!(sweep_rows(&[(2, 1.0)])[0].speedup, None);
    }

    #[test]
    fn sweep_chart_points() {
        let rows = sweep_rows(&[(1, 4.0), (2, 2.0), (3, 2.0), (4, 1.0)]);
        let chart = sweep_chart(&rows, 4, 300.0, 100.0);
        assert_eq!(chart.max_time_s, 4.0);
        assert_eq!(chart.max_speedup, 4.0);
        assert_eq!(
            chart.median_points,
            "0.0,0.0 100.0,50.0 200.0,50.0 300.0,75.0"
        );
        assert_eq!(
            chart.speedup_points,
            "0.0,75.0 100.0,50.0 200.0,50.0 300.0,0.0"
        );
        assert_eq!(chart.ideal_points, "0.0,75.0 300.0,0.0");
        // Superlinear speedup widens the scale; a lone N = 1 sits in the middle.
        let fast = sweep_chart(&sweep_rows(&[(1, 5.0), (2, 1.0)]), 2, 100.0, 100.0);
        assert_eq!(fast.max_speedup, 5.0);
        assert_eq!(
            sweep_chart(&sweep_rows(&[(1, 1.0)]), 1, 100.0, 50.0).median_points,
            "50.0,0.0"
        );
        let empty = sweep_chart(&[], 8, 100.0, 100.0);
        assert_eq!((empty.median_points.as_str(), empty.max_time_s), ("", 1.0));
        assert_eq!(empty.ideal_points, "0.0,87.5 100.0,0.0");
    }

    // ---- session ----

    fn params(mode: &str, workers: &str, numbers: &str) -> PrimesParams {
        form(&[
            (Field::Mode, mode),
            (Field::Workers, workers),
            (Field::Numbers, numbers),
        ])
        .validate()
        .unwrap()
    }

    /// Runs a whole session with a simulated pool, feeding Dispatched/Checked events.
    fn run_pool(session: &mut Session, p: &PrimesParams, seed: u64) -> Dispatcher {
        let jobs = p.job_order();
        let mut d = Dispatcher::new(&jobs, p.workers);
        let mut rng = Lcg(seed);
        let mut now = 0.0;
        let mut pending: Vec<Option<ToWorker>> = vec![None; p.workers];
        let post = |cmds: Commands,
                    session: &mut Session,
                    pending: &mut Vec<Option<ToWorker>>,
                    now: f64| {
            for (w, cmd) in cmds {
                if let ToWorker::Check(n) = cmd {
                    session.apply(Event::Dispatched {
                        worker: w,
                        n,
                        at_ms: now,
                    });
                }
                pending[w] = Some(cmd);
            }
        };
        post(d.start(), session, &mut pending, now);
        while pending.iter().any(Option::is_some) {
            now += 10.0;
            let busy: Vec<usize> = (0..p.workers).filter(|&w| pending[w].is_some()).collect();
            let w = busy[rng.below(busy.len())];
            match pending[w].take().unwrap() {
                ToWorker::Check(n) => {
                    let (result, cmds) = d.on_result(w, n, verdict(n), 0.01).unwrap();
                    session.apply(Event::Checked { result, at_ms: now });
                    post(cmds, session, &mut pending, now);
                }
                ToWorker::End => d.on_finished(w).unwrap(),
            }
        }
        d
    }

    #[test]
    fn procs_prints_in_completion_order() {
        let mut s = Session::default();
        let p = params("procs", "4", &Preset::Book.text());
        s.apply(Event::Started(p.clone()));
        assert_eq!(s.transcript, ["Checking 20 numbers with 4 workers:"]);
        let d = run_pool(&mut s, &p, 3);
        s.apply(Event::Finished { elapsed_s: 9.578 });
        assert_eq!(s.transcript.len(), 22);
        let expected: Vec<String> = d
            .results()
            .iter()
            .map(|r| result_line(r.n, r.prime, r.elapsed_s))
            .collect();
        assert_eq!(s.transcript[1..21], expected[..]);
        assert_eq!(s.transcript[21], "20 checks in 9.58s");
        assert_eq!(s.timeline.lanes, 4);
        assert_eq!(s.timeline.bars.len(), 20);
        assert!(
            s.timeline
                .bars
                .iter()
                .all(|b| b.end_ms.is_some() && b.lane < 4)
        );
        assert_eq!(
            s.timeline
                .bars
                .iter()
                .filter(|b| b.class() == "prime")
                .count(),
            9
        );
        let row = &s.history[0];
        assert_eq!(
            row.cells(),
            [
                "1",
                "procs",
                "4",
                "20 (book)",
                "9.58s",
                "20 checked, 9 prime"
            ]
        );
        assert_eq!(s.progress(), (20, 20));
    }

    #[test]
    fn pool_map_prints_in_submission_order() {
        let mut s = Session::default();
        let p = params("pool-map", "3", &BOOK.map(|n| n.to_string()).join("\n"));
        s.apply(Event::Started(p.clone()));
        // Hold back the first job: results for later jobs stay buffered.
        let jobs = p.job_order();
        let late = CheckResult {
            job: 1,
            order: 0,
            worker: 1,
            n: jobs[1],
            prime: false,
            elapsed_s: 0.0,
        };
        s.apply(Event::Dispatched {
            worker: 1,
            n: jobs[1],
            at_ms: 0.0,
        });
        s.apply(Event::Checked {
            result: late,
            at_ms: 1.0,
        });
        assert_eq!(s.transcript.len(), 1, "held back by job 0");
        assert_eq!(
            s.timeline.bars.len(),
            1,
            "the timeline runs ahead of the transcript"
        );

        let mut s = Session::default();
        s.apply(Event::Started(p.clone()));
        run_pool(&mut s, &p, 11);
        s.apply(Event::Finished { elapsed_s: 10.0 });
        let lines: Vec<String> = jobs
            .iter()
            .map(|&n| result_line(n, BOOK_NUMBERS.iter().any(|&(m, pr)| m == n && pr), 0.01))
            .collect();
        assert_eq!(s.transcript[1..21], lines[..]);
        assert_eq!(s.transcript.last().unwrap(), "Total time: 10.00s");
        assert!(
            s.transcript[1].starts_with("9999999999999999 "),
            "largest first"
        );
    }

    #[test]
    fn sequential_runs_print_in_list_order() {
        for mode in ["sequential-main", "sequential-worker"] {
            let mut s = Session::default();
            let p = params(mode, "8", "2\n4\n3");
            assert_eq!(p.workers, 1);
            s.apply(Event::Started(p.clone()));
            run_pool(&mut s, &p, 5);
            s.apply(Event::Finished { elapsed_s: 0.001 });
            assert_eq!(
                s.transcript,
                [
                    "Checking 3 numbers sequentially:",
                    "               2  P  0.010000s",
                    "               4     0.010000s",
                    "               3  P  0.010000s",
                    "Total time: 0.00s",
                ]
            );
            assert_eq!(s.timeline.lanes, 1);
            let workers_cell = &s.history[0].cells()[2];
            assert_eq!(
                workers_cell,
                if mode == "sequential-main" {
                    "main thread"
                } else {
                    "1"
                }
            );
        }
    }

    #[test]
    fn cancel_and_failure_end_the_run_cleanly() {
        let mut s = Session::default();
        let p = params("procs", "2", &Preset::Book.text());
        s.apply(Event::Started(p.clone()));
        for (job, &n) in BOOK.iter().take(7).enumerate() {
            s.apply(Event::Dispatched {
                worker: job % 2,
                n,
                at_ms: job as f64,
            });
            let result = CheckResult {
                job,
                order: job,
                worker: job % 2,
                n,
                prime: verdict(n),
                elapsed_s: 0.1,
            };
            s.apply(Event::Checked {
                result,
                at_ms: job as f64 + 0.5,
            });
        }
        s.apply(Event::Dispatched {
            worker: 0,
            n: BOOK[7],
            at_ms: 8.0,
        });
        assert_eq!(s.timeline.bars.last().unwrap().class(), "running");
        assert!(
            s.timeline
                .bars
                .last()
                .unwrap()
                .title(1008.0)
                .ends_with("checking, 1.000s so far")
        );
        s.apply(Event::Cancelled { elapsed_s: 1.234 });
        assert!(!s.is_running());
        assert_eq!(
            s.transcript.last().unwrap(),
            "Cancelled after 1.23s: 7 of 20 checked; all workers terminated."
        );
        assert_eq!(s.history[0].outcome, Outcome::Cancelled);
        assert_eq!(s.history[0].cells()[5], "cancelled: 7 of 20 checked");
        // Late messages after Stop change nothing.
        s.apply(Event::Finished { elapsed_s: 2.0 });
        assert_eq!(s.history.len(), 1);

        s.apply(Event::Started(p));
        assert_eq!(s.transcript.len(), 1, "a new run starts a fresh transcript");
        assert!(s.timeline.bars.is_empty());
        let result = CheckResult {
            job: 0,
            order: 0,
            worker: 1,
            n: 2,
            prime: true,
            elapsed_s: 0.0,
        };
        s.apply(Event::Checked { result, at_ms: 5.0 });
        s.apply(Event::WorkerFailed {
            worker: 1,
            reason: "RuntimeError: unreachable".into(),
            elapsed_s: 0.5,
        });
        assert_eq!(
            s.transcript[2..],
            [
                "Worker 2 failed: RuntimeError: unreachable",
                "Stopped after 0.50s: 1 of 20 checked; all workers terminated."
            ]
        );
        assert_eq!(s.history[1].cells()[5], "worker 2 failed");
        assert_eq!(s.history[1].run_no, 2);
        assert_eq!(
            s.timeline.bars[0].start_ms, 5.0,
            "a bar without its start is drawn from its time"
        );
    }

    #[test]
    fn sweep_session_collects_medians() {
        let mut s = Session::default();
        let p = form(&[
            (Field::Mode, "sweep"),
            (Field::RunsPerN, "2"),
            (Field::MaxN, "2"),
            (Field::Numbers, "2, 3"),
        ])
        .validate()
        .unwrap();
        s.apply(Event::Started(p.clone()));
        assert_eq!(
            s.transcript[0],
            "Sweep: N = 1 to 2, 2 runs each, 2 numbers per run:"
        );
        let plan = p.sweep.unwrap();
        for (i, (n, run)) in plan.steps().into_iter().enumerate() {
            s.apply(Event::SweepRunStarted { n, run });
            assert_eq!(s.timeline.lanes, n);
            for (job, &num) in p.numbers.iter().enumerate() {
                let result = CheckResult {
                    job,
                    order: job,
                    worker: job % n,
                    n: num,
                    prime: true,
                    elapsed_s: 0.1,
                };
                s.apply(Event::Dispatched {
                    worker: job % n,
                    n: num,
                    at_ms: 0.0,
                });
                s.apply(Event::Checked {
                    result,
                    at_ms: 100.0,
                });
            }
            s.apply(Event::SweepRunFinished {
                elapsed_s: if n == 1 { 2.0 + i as f64 } else { 1.0 },
            });
            assert_eq!(s.progress(), (i + 1, 4));
        }
        s.apply(Event::Finished { elapsed_s: 7.0 });
        assert_eq!(
            s.transcript,
            [
                "Sweep: N = 1 to 2, 2 runs each, 2 numbers per run:",
                "N =  1, run 1 of 2: 2 checks in 2.00s",
                "N =  1, run 2 of 2: 2 checks in 3.00s",
                "N =  2, run 1 of 2: 2 checks in 1.00s",
                "N =  2, run 2 of 2: 2 checks in 1.00s",
                SWEEP_TABLE_HEADER,
                "  1     2     2.500s    1.00×",
                "  2     2     1.000s    2.50×",
                "Sweep done in 7.00s: fastest median 1.000s at N = 2 (2.50× N = 1).",
            ]
        );
        assert_eq!(
            s.history[0].cells(),
            [
                "1",
                "sweep",
                "1–2 ×2",
                "2",
                "7.00s",
                "fastest: N = 2 in 1.000s"
            ]
        );

        // Stopped mid-sweep: the finished runs stay for the chart.
        s.apply(Event::Started(p));
        s.apply(Event::SweepRunStarted { n: 1, run: 1 });
        s.apply(Event::SweepRunFinished { elapsed_s: 2.0 });
        s.apply(Event::SweepRunStarted { n: 1, run: 2 });
        s.apply(Event::Cancelled { elapsed_s: 2.5 });
        assert_eq!(
            s.transcript.last().unwrap(),
            "Cancelled after 2.50s: 1 of 4 sweep runs done, stopped during N = 1, run 2; all workers terminated."
        );
        assert_eq!(s.sweep_rows().len(), 1);
        assert_eq!(s.history[1].cells()[5], "cancelled: 1 of 4 runs");
    }

    #[test]
    fn events_outside_a_run_are_ignored() {
        let mut s = Session::default();
        s.apply(Event::Dispatched {
            worker: 0,
            n: 2,
            at_ms: 0.0,
        });
        s.apply(Event::Checked {
            result: result(0, 2),
            at_ms: 0.0,
        });
        s.apply(Event::Cancelled { elapsed_s: 1.0 });
        assert_eq!(s, Session::default());
        assert_eq!(s.progress(), (0, 0));
    }
}
