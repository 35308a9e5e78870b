//! The flags lab as plain data: modes and servers, the flags2 command line as a form (with
//! the CLI's own usage messages), country-code expansion exactly like `flags2_common.py`,
//! request URLs, per-code outcomes, the scripts' reports and tqdm's progress line, the
//! session driven by a run's events (in-flight count, peak, per-request timeline), the
//! files to put in the zip, and the run history. No browser types here.
//!
//! **The modes and their fields.** `sequential` (flags.py) and `concurrent`
//! (flags_asyncio.py / flags_threadpool.py) have no command line in the book: their form
//! is Mode, Server (with the server's own parameters) and Country codes, defaulting to the
//! 20 `POP20_CC`; they use the 2e scripts' client timeout of 6.1 s ([`FLAGS_PY_TIMEOUT_S`])
//! and at most 1 (sequential) or 30 (concurrent, the thread pool's size) requests at a time.
//! `flags2` and `flags3` add the CLI options: `-a`, `-e`, `-l`, `-m`, `-v` and the client
//! timeout (3.1 s in the scripts). While `-a` or `-e` is on, Country codes is not in use
//! (the CLI ignores the CC arguments then) and is neither shown, checked nor put in the URL.
//!
//! **Checkboxes** (All, Every, Verbose) are fields like the others: their text is `true` or
//! `false` (any case; empty means `false`); the URL carries only those that are `true`.
//!
//! **Empty means default** for Limit (no limit), Max concurrent (the mode's default: 1, 30
//! or 5), Seed (unseeded: different delays and errors each run) and Country codes (`POP20_CC`).
//!
//! All times in events are relative to the start of the run.

use std::fmt;

use crate::labs::form::{FormField, FormText};
use crate::labs::python::{self, Script};
use crate::labs::{LabForm, LabSession};
use crate::text::{U64Error, parse_decimal, parse_u64, seconds_2};

/// The 20 most populous countries, in the book's order.
pub const POP20_CC: [&str; 20] = [
    "CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP", "MX", "PH", "VN", "ET", "EG", "DE",
    "IR", "TR", "CD", "FR",
];

/// `MAX_CONCUR_REQ` of flags2_asyncio.py / flags2_threadpool.py.
pub const MAX_CONCUR_REQ: usize = 1000;
/// The book's site, the default REMOTE base URL.
pub const REMOTE_BASE_URL: &str = "http://fluentpython.com/data/flags";
/// flags.py and flags_asyncio.py (2e): `httpx.get(url, timeout=6.1, ...)`.
pub const FLAGS_PY_TIMEOUT_S: f64 = 6.1;
/// flags2/flags3: `client.get(url, timeout=3.1, ...)`.
pub const DEFAULT_TIMEOUT_S: f64 = 3.1;
/// slow_server.py's `MIN_DELAY`, `MAX_DELAY`, and the book's `--error-rate .25`.
pub const DEFAULT_MIN_DELAY_S: f64 = 0.5;
pub const DEFAULT_MAX_DELAY_S: f64 = 5.0;
pub const DEFAULT_ERROR_RATE: f64 = 0.25;
/// The largest delay and timeout the form accepts, in seconds.
pub const MAX_SECONDS: f64 = 60.0;
/// The folder the scripts save to, and the zip's folder.
pub const DEST_DIR: &str = "downloaded";
/// The flags this project serves are SVG (the book's were GIF).
pub const FLAG_EXT: &str = "svg";
/// `'-' * 20`, the final report's first line.
pub const SEPARATOR: &str = "--------------------";

fn owned(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

/// Which script a run mirrors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Sequential,
    Concurrent,
    Flags2,
    Flags3,
}

impl Mode {
    pub const ALL: [Mode; 4] = [
        Mode::Sequential,
        Mode::Concurrent,
        Mode::Flags2,
        Mode::Flags3,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Mode::Sequential => "sequential",
            Mode::Concurrent => "concurrent",
            Mode::Flags2 => "flags2",
            Mode::Flags3 => "flags3",
        }
    }

    pub fn parse(key: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.key() == key.trim())
    }

    /// The option text in the form.
    pub fn label(self) -> &'static str {
        match self {
            Mode::Sequential => "sequential — flags.py: one download after another",
            Mode::Concurrent => {
                "concurrent — flags_asyncio.py / flags_threadpool.py: all downloads at once"
            }
            Mode::Flags2 => "flags2 — flags2_asyncio.py: semaphore, errors, progress bar, CLI",
            Mode::Flags3 => "flags3 — flags3_asyncio.py: flag + metadata.json, named by country",
        }
    }

    /// flags2 and flags3 have the command line (`-a -e -l -m -v`), the reports and tqdm.
    pub fn has_cli(self) -> bool {
        matches!(self, Mode::Flags2 | Mode::Flags3)
    }

    /// `-m`'s default: flags.py one at a time, the thread pool's 30 workers, asyncio's 5.
    pub fn default_concur_req(self) -> usize {
        match self {
            Mode::Sequential => 1,
            Mode::Concurrent => 30,
            Mode::Flags2 | Mode::Flags3 => 5,
        }
    }

    /// The script's `MAX_CONCUR_REQ`.
    pub fn max_concur_req(self) -> usize {
        match self {
            Mode::Sequential => 1,
            _ => MAX_CONCUR_REQ,
        }
    }

    /// The client timeout when the form has no Timeout field.
    pub fn script_timeout_s(self) -> f64 {
        if self.has_cli() {
            DEFAULT_TIMEOUT_S
        } else {
            FLAGS_PY_TIMEOUT_S
        }
    }

    /// The requests each code needs, in order; each takes the semaphore separately.
    pub fn requests(self) -> &'static [Kind] {
        match self {
            Mode::Flags3 => &[Kind::Flag, Kind::Metadata],
            _ => &[Kind::Flag],
        }
    }

    /// The reference script the mode mirrors (its file in `python/`).
    pub fn python_reference(self) -> Script {
        match self {
            Mode::Sequential => python::FLAGS,
            Mode::Concurrent => python::FLAGS_ASYNCIO,
            Mode::Flags2 => python::FLAGS2_ASYNCIO,
            Mode::Flags3 => python::FLAGS3_ASYNCIO,
        }
    }

    /// What runs in the browser when this mode is picked.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Mode::Sequential => {
                "Each flag is a real fetch() awaited before the next one starts, in sorted order, \
                 so the run takes the sum of all response times. The codes appear on one line as \
                 each flag is saved, then the count and the time."
            }
            Mode::Concurrent => {
                "Every fetch() is started at once (at most 30 in flight, like the thread pool) and \
                 awaited together, as asyncio.gather does: the run takes about as long as the \
                 slowest response, and the codes appear in completion order."
            }
            Mode::Flags2 => {
                "One future per code, each taking a slot of an async semaphore (asyncio.Semaphore, \
                 -m slots) around its fetch(), consumed in completion order (as_completed). A 404 \
                 counts as not found; any other status, a network failure or the timeout counts as \
                 an error — the run goes on. Without -v a tqdm-style bar shows the progress."
            }
            Mode::Flags3 => {
                "As flags2, but each code needs two requests — the flag, then metadata.json — and \
                 each takes the semaphore separately, so a code can wait twice. The saved file is \
                 named after the country in the metadata."
            }
        }
    }
}

/// The test servers (`-s LABEL`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Server {
    Local,
    Delay,
    Error,
    Remote,
}

impl Server {
    /// In the form's order.
    pub const ALL: [Server; 4] = [Server::Local, Server::Delay, Server::Error, Server::Remote];

    /// The label the CLI takes, `LOCAL`…
    pub fn key(self) -> &'static str {
        match self {
            Server::Local => "LOCAL",
            Server::Delay => "DELAY",
            Server::Error => "ERROR",
            Server::Remote => "REMOTE",
        }
    }

    /// Case-insensitive, as `args.server.upper()`.
    pub fn parse(label: &str) -> Option<Server> {
        let label = label.trim();
        Server::ALL
            .into_iter()
            .find(|s| s.key().eq_ignore_ascii_case(label))
    }

    /// The option text in the form.
    pub fn label(self) -> &'static str {
        match self {
            Server::Local => "LOCAL — static files, as fast as possible",
            Server::Delay => "DELAY — slow_server.py: a random delay before each answer",
            Server::Error => "ERROR — slow_server.py: delays, and 418 I'm a Teapot at a given rate",
            Server::Remote => "REMOTE — a real remote site (keep concurrency low)",
        }
    }
}

/// What a request fetches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Flag,
    Metadata,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Flag => "flag",
            Kind::Metadata => "metadata",
        }
    }
}

/// A form field of the lab.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Mode,
    Server,
    BaseUrl,
    MinDelay,
    MaxDelay,
    ErrorRate,
    Seed,
    CountryCodes,
    All,
    Every,
    Limit,
    MaxReq,
    Verbose,
    Timeout,
}

impl Field {
    /// In form order.
    pub const ALL: [Field; 14] = [
        Field::Mode,
        Field::Server,
        Field::BaseUrl,
        Field::MinDelay,
        Field::MaxDelay,
        Field::ErrorRate,
        Field::Seed,
        Field::CountryCodes,
        Field::All,
        Field::Every,
        Field::Limit,
        Field::MaxReq,
        Field::Verbose,
        Field::Timeout,
    ];

    /// The URL parameter name.
    pub fn key(self) -> &'static str {
        match self {
            Field::Mode => "mode",
            Field::Server => "server",
            Field::BaseUrl => "base_url",
            Field::MinDelay => "min_delay",
            Field::MaxDelay => "max_delay",
            Field::ErrorRate => "error_rate",
            Field::Seed => "seed",
            Field::CountryCodes => "cc",
            Field::All => "all",
            Field::Every => "every",
            Field::Limit => "limit",
            Field::MaxReq => "max_req",
            Field::Verbose => "verbose",
            Field::Timeout => "timeout",
        }
    }

    /// The visible `<label>`.
    pub fn label(self) -> &'static str {
        match self {
            Field::Mode => "Mode",
            Field::Server => "Server",
            Field::BaseUrl => "Base URL",
            Field::MinDelay => "Min delay (s)",
            Field::MaxDelay => "Max delay (s)",
            Field::ErrorRate => "Error rate",
            Field::Seed => "Seed",
            Field::CountryCodes => "Country codes",
            Field::All => "All (-a)",
            Field::Every => "Every (-e)",
            Field::Limit => "Limit (-l)",
            Field::MaxReq => "Max concurrent (-m)",
            Field::Verbose => "Verbose (-v)",
            Field::Timeout => "Timeout (s)",
        }
    }

    /// All, Every and Verbose: text `true` / `false`.
    pub fn is_checkbox(self) -> bool {
        matches!(self, Field::All | Field::Every | Field::Verbose)
    }
}

/// The form as typed: raw text per field, validated on Run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagsForm {
    pub mode: String,
    pub server: String,
    pub base_url: String,
    pub min_delay: String,
    pub max_delay: String,
    pub error_rate: String,
    pub seed: String,
    pub cc: String,
    pub all: String,
    pub every: String,
    pub limit: String,
    pub max_req: String,
    pub verbose: String,
    pub timeout: String,
}

impl Default for FlagsForm {
    /// flags.py against LOCAL for the 20 `POP20_CC`; the other fields hold the scripts'
    /// and slow_server.py's defaults.
    fn default() -> Self {
        FlagsForm {
            mode: Mode::Sequential.key().to_string(),
            server: Server::Local.key().to_string(),
            base_url: REMOTE_BASE_URL.to_string(),
            min_delay: DEFAULT_MIN_DELAY_S.to_string(),
            max_delay: DEFAULT_MAX_DELAY_S.to_string(),
            error_rate: DEFAULT_ERROR_RATE.to_string(),
            seed: String::new(),
            cc: POP20_CC.join(" "),
            all: "false".to_string(),
            every: "false".to_string(),
            limit: String::new(),
            max_req: String::new(),
            verbose: "false".to_string(),
            timeout: DEFAULT_TIMEOUT_S.to_string(),
        }
    }
}

/// A server and its parameters: everything needed to build a request URL.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerParams {
    pub server: Server,
    pub min_delay_s: f64,
    pub max_delay_s: f64,
    /// ERROR only; 0 for the others.
    pub error_rate: f64,
    /// DELAY and ERROR: the same seed gives every path the same delay and verdict.
    pub seed: Option<u32>,
    /// REMOTE only, without a trailing `/`.
    pub base_url: String,
}

impl Default for ServerParams {
    fn default() -> Self {
        ServerParams {
            server: Server::Local,
            min_delay_s: DEFAULT_MIN_DELAY_S,
            max_delay_s: DEFAULT_MAX_DELAY_S,
            error_rate: DEFAULT_ERROR_RATE,
            seed: None,
            base_url: REMOTE_BASE_URL.to_string(),
        }
    }
}

impl ServerParams {
    /// The base the paths hang off: `flags`, `delay/flags`, `error/flags` (relative to the
    /// page, served by the playground and its service worker) or the REMOTE base URL.
    pub fn base(&self) -> &str {
        match self.server {
            Server::Local => "flags",
            Server::Delay => "delay/flags",
            Server::Error => "error/flags",
            Server::Remote => self.base_url.trim_end_matches('/'),
        }
    }

    /// The server's parameters as a query string (with its `?`), empty for LOCAL and REMOTE:
    /// `?min=0.5&max=5&seed=42` (DELAY), `?min=0.5&max=5&p=0.25&seed=42` (ERROR).
    pub fn query_string(&self) -> String {
        let seed = self.seed.map(|s| format!("&seed={s}")).unwrap_or_default();
        match self.server {
            Server::Local | Server::Remote => String::new(),
            Server::Delay => format!("?min={}&max={}{seed}", self.min_delay_s, self.max_delay_s),
            Server::Error => format!(
                "?min={}&max={}&p={}{seed}",
                self.min_delay_s, self.max_delay_s, self.error_rate
            ),
        }
    }

    /// The URL to fetch for `cc` (any case): `{base}/{cc}/{cc}.svg` or
    /// `{base}/{cc}/metadata.json` with cc in lower case, plus the server's query string.
    pub fn url(&self, cc: &str, kind: Kind) -> String {
        let cc = cc.to_ascii_lowercase();
        let file = match kind {
            Kind::Flag => format!("{cc}.{FLAG_EXT}"),
            Kind::Metadata => "metadata.json".to_string(),
        };
        format!("{}/{cc}/{file}{}", self.base(), self.query_string())
    }

    /// The site for the initial report (`LOCAL site: {url}`): the base made absolute
    /// against the page's URL (`document.baseURI`), without the query string.
    pub fn site_url(&self, page_url: &str) -> String {
        resolve(page_url, self.base())
    }
}

/// `{base}/{cc}/{cc}.svg?{server parameters}`.
pub fn flag_url(server: &ServerParams, cc: &str) -> String {
    server.url(cc, Kind::Flag)
}

/// `{base}/{cc}/metadata.json?{server parameters}`.
pub fn metadata_url(server: &ServerParams, cc: &str) -> String {
    server.url(cc, Kind::Metadata)
}

fn is_absolute(url: &str) -> bool {
    url.find("://")
        .is_some_and(|i| i > 0 && url[..i].chars().all(|c| c.is_ascii_alphabetic()))
}

/// `relative` resolved against the page at `page_url`: the page's directory (query and
/// fragment dropped) + `relative`; an absolute `relative` is returned as it is.
pub fn resolve(page_url: &str, relative: &str) -> String {
    if is_absolute(relative) || page_url.is_empty() {
        return relative.to_string();
    }
    let page = &page_url[..page_url.find(['?', '#']).unwrap_or(page_url.len())];
    let authority_start = page.find("://").map_or(0, |i| i + 3);
    let dir = match page[authority_start..].rfind('/') {
        Some(i) => &page[..authority_start + i + 1],
        None => return format!("{page}/{relative}"),
    };
    format!("{dir}{relative}")
}

/// Validated parameters of one run (before the code list is expanded).
#[derive(Clone, Debug, PartialEq)]
pub struct FlagsParams {
    pub mode: Mode,
    pub server: ServerParams,
    /// The CC arguments, upper-cased, each `A`..`Z` or `AA`..`ZZ`; empty for `POP20_CC`.
    pub cc_args: Vec<String>,
    pub all: bool,
    pub every: bool,
    /// `-l`; `None` is no limit.
    pub limit: Option<usize>,
    /// `-m` as given; `None` is the mode's default.
    pub max_req: Option<usize>,
    pub verbose: bool,
    pub timeout_s: f64,
}

impl FlagsParams {
    /// `-m`, or the mode's default.
    pub fn max_req(&self) -> usize {
        self.max_req.unwrap_or(self.mode.default_concur_req())
    }

    /// The run: the final code list (`expand_cc`, or `sorted(POP20_CC)[:limit]` when that is
    /// empty), the connections used, and the site line's URL. `shipped` lists the codes the
    /// server has (for `-a`); `page_url` is the page's base URL (for the site line).
    pub fn plan(&self, shipped: &[String], page_url: &str) -> RunPlan {
        let cc_list = cc_list_or_default(
            expand_cc(&self.cc_args, self.all, self.every, self.limit, shipped).unwrap_or_default(),
            self.limit,
        );
        let actual_req = actual_concurrency(self.max_req(), self.mode, cc_list.len());
        RunPlan {
            site_url: self.server.site_url(page_url),
            params: self.clone(),
            cc_list,
            actual_req,
        }
    }
}

/// `min(max_req, MAX_CONCUR_REQ, len(cc_list))`, and at least 1.
pub fn actual_concurrency(max_req: usize, mode: Mode, codes: usize) -> usize {
    max_req.min(mode.max_concur_req()).min(codes).max(1)
}

/// A run as it starts: what `Event::Started` carries.
#[derive(Clone, Debug, PartialEq)]
pub struct RunPlan {
    pub params: FlagsParams,
    /// Sorted, without duplicates, limited; never empty.
    pub cc_list: Vec<String>,
    /// The semaphore's size.
    pub actual_req: usize,
    /// The site line's URL (absolute).
    pub site_url: String,
}

impl RunPlan {
    /// The requests `cc` needs, in order: (kind, URL to fetch).
    pub fn requests(&self, cc: &str) -> Vec<(Kind, String)> {
        self.params
            .mode
            .requests()
            .iter()
            .map(|&kind| (kind, self.params.server.url(cc, kind)))
            .collect()
    }

    /// A request's URL made absolute, as httpx reports `response.url`.
    pub fn absolute_url(&self, cc: &str, kind: Kind) -> String {
        let relative = self.params.server.url(cc, kind);
        let site = self.params.server.base();
        match relative.strip_prefix(site) {
            Some(rest) => format!("{}{rest}", self.site_url),
            None => relative,
        }
    }

    /// The outcome of an HTTP answer to `cc`'s `kind` request (the not-found URL made absolute).
    pub fn outcome_of(&self, cc: &str, kind: Kind, status: u16, reason: &str) -> Outcome {
        Outcome::from_status(status, reason, &self.absolute_url(cc, kind))
    }

    /// flags2's initial report.
    pub fn initial_report(&self) -> Vec<String> {
        initial_report(
            self.params.server.server,
            &self.site_url,
            &self.cc_list,
            self.actual_req,
        )
    }

    fn index_of(&self, cc: &str) -> Option<usize> {
        self.cc_list.binary_search_by(|c| c.as_str().cmp(cc)).ok()
    }
}

// ---- the command line ----

/// The message for a bad CC argument (the book's, without `*** Usage error: `).
pub const CC_USAGE: &str = "each CC argument must be A to Z or AA to ZZ.";

/// A CC argument as flags2_common.py takes it: `str.upper()`, then one letter `A`..`Z` or two.
fn cc_arg(arg: &str) -> Option<String> {
    let cc = arg.to_uppercase();
    let ascii_upper = |c: char| c.is_ascii_uppercase();
    match cc.chars().count() {
        1 | 2 if cc.chars().all(ascii_upper) => Some(cc),
        _ => None,
    }
}

/// The Country codes text as CC arguments: split on spaces and commas, each upper-cased
/// and checked; empty text is no arguments (then the default list is used).
pub fn parse_cc_args(text: &str) -> Result<Vec<String>, String> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
        .map(|t| cc_arg(t).ok_or_else(|| format!("{CC_USAGE} {} is not.", py_repr(t))))
        .collect()
}

const A_Z: std::ops::RangeInclusive<char> = 'A'..='Z';

/// flags2_common.py's `expand_cc_args`: `-e` is AA..ZZ (676 codes) and wins over `-a`,
/// which is every code in `shipped` (the server's `country_codes.txt`); otherwise each
/// argument, upper-cased, is a letter (`B` = BA..BZ) or a code. Then sorted, without
/// duplicates, and the first `limit`. The CC arguments are only checked without `-a`/`-e`.
pub fn expand_cc(
    args: &[String],
    all: bool,
    every: bool,
    limit: Option<usize>,
    shipped: &[String],
) -> Result<Vec<String>, String> {
    let mut codes: Vec<String> = if every {
        A_Z.flat_map(|a| A_Z.map(move |b| format!("{a}{b}")))
            .collect()
    } else if all {
        shipped
            .iter()
            .map(|c| c.trim().to_uppercase())
            .filter(|c| !c.is_empty())
            .collect()
    } else {
        let mut codes = Vec::new();
        for arg in args {
            let cc = cc_arg(arg).ok_or_else(|| CC_USAGE.to_string())?;
            if cc.len() == 1 {
                codes.extend(A_Z.map(|b| format!("{cc}{b}")));
            } else {
                codes.push(cc);
            }
        }
        codes
    };
    codes.sort_unstable();
    codes.dedup();
    codes.truncate(limit.unwrap_or(usize::MAX));
    Ok(codes)
}

/// process_args: an empty list becomes `sorted(POP20_CC)[:limit]`.
pub fn cc_list_or_default(codes: Vec<String>, limit: Option<usize>) -> Vec<String> {
    if !codes.is_empty() {
        return codes;
    }
    let mut pop20 = owned(&POP20_CC);
    pop20.sort_unstable();
    pop20.truncate(limit.unwrap_or(usize::MAX));
    pop20
}

/// Python's `repr` of a str, for argparse-style messages.
fn py_repr(text: &str) -> String {
    let escaped = text.replace('\\', "\\\\");
    if text.contains('\'') && !text.contains('"') {
        format!("\"{escaped}\"")
    } else {
        format!("'{}'", escaped.replace('\'', "\\'"))
    }
}

/// An integer option: empty is `None`; argparse's message for text that is not an int;
/// `usage` for a value below 1. Values beyond u64 count as huge, as Python ints would.
fn parse_positive(value: &str, option: &str, usage: &str) -> Result<Option<u64>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    match parse_u64(value) {
        Ok(0) | Err(U64Error::Negative) => Err(usage.to_string()),
        Ok(n) => Ok(Some(n)),
        Err(U64Error::TooLarge) => Ok(Some(u64::MAX)),
        Err(_) => {
            let negative_zero = value
                .trim()
                .strip_prefix('-')
                .is_some_and(|rest| parse_u64(rest) == Ok(0));
            if negative_zero {
                Err(usage.to_string())
            } else {
                Err(format!(
                    "argument {option}: invalid int value: {}",
                    py_repr(value)
                ))
            }
        }
    }
}

fn parse_float(value: &str, option: &str) -> Result<f64, String> {
    parse_decimal(value)
        .ok_or_else(|| format!("argument {option}: invalid float value: {}", py_repr(value)))
}

fn check_seconds(value: &str, option: &str) -> Result<(), String> {
    match parse_float(value, option)? {
        s if s < 0.0 => Err(format!("{option} must be >= 0")),
        s if s > MAX_SECONDS => Err(format!("{option} must be <= {MAX_SECONDS}")),
        _ => Ok(()),
    }
}

/// A checkbox's text: `true` / `false`, any case; empty is `false`.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" | "" => Some(false),
        _ => None,
    }
}

fn check_base_url(value: &str) -> Result<(), String> {
    let url = value.trim();
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"));
    match rest {
        Some(rest) if !rest.is_empty() && !rest.starts_with('/') => {
            if url.chars().any(char::is_whitespace) {
                Err("--base_url must not contain spaces".to_string())
            } else if url.contains(['?', '#']) {
                Err("--base_url must have no query (?) or fragment (#)".to_string())
            } else {
                Ok(())
            }
        }
        _ => Err("--base_url must be an http:// or https:// URL".to_string()),
    }
}

/// Validates one field's text; the error is the message shown next to it (the CLI's
/// usage messages for the CLI's options, in the same style for the others).
pub fn check_field(field: Field, value: &str) -> Result<(), String> {
    match field {
        Field::Mode => Mode::parse(value).map(|_| ()).ok_or_else(|| {
            let keys: Vec<&str> = Mode::ALL.iter().map(|m| m.key()).collect();
            format!("Mode must be one of {}.", keys.join(", "))
        }),
        Field::Server => Server::parse(value)
            .map(|_| ())
            .ok_or_else(|| "--server LABEL must be one of DELAY, ERROR, LOCAL, REMOTE".to_string()),
        Field::BaseUrl => check_base_url(value),
        Field::MinDelay => check_seconds(value, "--min_delay"),
        Field::MaxDelay => check_seconds(value, "--max_delay"),
        Field::ErrorRate => match parse_float(value, "--error_rate")? {
            p if (0.0..=1.0).contains(&p) => Ok(()),
            _ => Err("--error_rate must be from 0 to 1".to_string()),
        },
        Field::Seed => {
            if value.trim().is_empty() {
                return Ok(());
            }
            match parse_u64(value) {
                Ok(n) if n <= u64::from(u32::MAX) => Ok(()),
                Ok(_) | Err(U64Error::TooLarge | U64Error::Negative) => {
                    Err(format!("--seed must be from 0 to {}", u32::MAX))
                }
                Err(_) => Err(format!(
                    "argument --seed: invalid int value: {}",
                    py_repr(value)
                )),
            }
        }
        Field::CountryCodes => parse_cc_args(value).map(|_| ()),
        Field::All | Field::Every | Field::Verbose => parse_bool(value)
            .map(|_| ())
            .ok_or_else(|| format!("{} must be true or false.", field.label())),
        Field::Limit => parse_positive(value, "-l/--limit", "--limit N must be >= 1").map(|_| ()),
        Field::MaxReq => {
            parse_positive(value, "-m/--max_req", "--max_req CONCURRENT must be >= 1").map(|_| ())
        }
        Field::Timeout => match parse_float(value, "--timeout")? {
            t if t <= 0.0 => Err("--timeout must be > 0".to_string()),
            t if t > MAX_SECONDS => Err(format!("--timeout must be <= {MAX_SECONDS}")),
            _ => Ok(()),
        },
    }
}

impl FlagsForm {
    /// The chosen mode, or sequential while the text is not one.
    pub fn mode(&self) -> Mode {
        Mode::parse(&self.mode).unwrap_or(Mode::Sequential)
    }

    /// The chosen server, or LOCAL while the text is not one.
    pub fn server(&self) -> Server {
        Server::parse(&self.server).unwrap_or(Server::Local)
    }

    /// A checkbox's state (`false` while its text is not `true`).
    pub fn flag(&self, field: Field) -> bool {
        parse_bool(self.get(field)).unwrap_or(false)
    }

    /// Whether the CLI uses the CC arguments: not with `-a` or `-e`.
    fn uses_cc_args(&self) -> bool {
        !(self.mode().has_cli() && (self.flag(Field::All) || self.flag(Field::Every)))
    }

    /// Hint text for an empty field, if any.
    pub fn placeholder(&self, field: Field) -> Option<String> {
        match field {
            Field::MaxReq => Some(format!(
                "default: {} (capped at {MAX_CONCUR_REQ})",
                self.mode().default_concur_req()
            )),
            Field::Limit => Some("no limit".to_string()),
            Field::Seed => Some("random".to_string()),
            Field::CountryCodes => {
                Some("e.g. BR CN, or letters: a b c (empty: the 20 most populous)".to_string())
            }
            _ => None,
        }
    }

    /// Checks that involve two fields: `--min_delay must be <= --max_delay` (on Min delay).
    pub fn cross_errors(&self) -> Vec<(Field, String)> {
        let fields = self.fields();
        if !fields.contains(&Field::MinDelay) || !fields.contains(&Field::MaxDelay) {
            return Vec::new();
        }
        match (
            parse_decimal(&self.min_delay),
            parse_decimal(&self.max_delay),
        ) {
            (Some(min), Some(max)) if min > max => vec![(
                Field::MinDelay,
                "--min_delay must be <= --max_delay".to_string(),
            )],
            _ => Vec::new(),
        }
    }

    /// Every field in use that fails its check, in form order.
    fn errors(&self) -> Vec<(Field, String)> {
        self.fields()
            .into_iter()
            .filter_map(|f| Self::check(f, self.get(f)).err().map(|e| (f, e)))
            .collect()
    }

    /// Checks every field in use; all errors at once, one per field (the cross-field check
    /// only once each field is fine on its own).
    pub fn validate(&self) -> Result<FlagsParams, Vec<(Field, String)>> {
        let mut errors = self.errors();
        if errors.is_empty() {
            errors = self.cross_errors();
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mode = self.mode();
        let server = self.server();
        let in_use = self.fields();
        let uses = |f: Field| in_use.contains(&f);
        let seconds = |f: Field, default: f64| {
            if uses(f) {
                parse_decimal(self.get(f)).expect("validated")
            } else {
                default
            }
        };
        let to_usize = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let positive = |f: Field| {
            if uses(f) {
                parse_positive(self.get(f), "", "")
                    .expect("validated")
                    .map(to_usize)
            } else {
                None
            }
        };
        let server = ServerParams {
            server,
            min_delay_s: seconds(Field::MinDelay, DEFAULT_MIN_DELAY_S),
            max_delay_s: seconds(Field::MaxDelay, DEFAULT_MAX_DELAY_S),
            error_rate: if server == Server::Error {
                seconds(Field::ErrorRate, DEFAULT_ERROR_RATE)
            } else {
                0.0
            },
            seed: if uses(Field::Seed) && !self.seed.trim().is_empty() {
                Some(parse_u64(&self.seed).expect("validated") as u32)
            } else {
                None
            },
            base_url: if uses(Field::BaseUrl) {
                self.base_url.trim().trim_end_matches('/').to_string()
            } else {
                REMOTE_BASE_URL.to_string()
            },
        };
        let cli = mode.has_cli();
        Ok(FlagsParams {
            mode,
            server,
            cc_args: if uses(Field::CountryCodes) {
                parse_cc_args(&self.cc).expect("validated")
            } else {
                Vec::new()
            },
            all: cli && self.flag(Field::All),
            every: cli && self.flag(Field::Every),
            limit: positive(Field::Limit),
            max_req: positive(Field::MaxReq),
            verbose: cli && self.flag(Field::Verbose),
            timeout_s: seconds(Field::Timeout, mode.script_timeout_s()),
        })
    }

    /// Fills the form from URL parameters; unknown keys and invalid values fall back to
    /// the defaults, each with a notice for the reader.
    pub fn from_query(query: &[(String, String)]) -> (FlagsForm, Vec<String>) {
        FlagsForm::default().with_query(query)
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

impl FormText for FlagsForm {
    type Field = Field;
    type Parsed = ();

    fn get(&self, field: Field) -> &str {
        match field {
            Field::Mode => &self.mode,
            Field::Server => &self.server,
            Field::BaseUrl => &self.base_url,
            Field::MinDelay => &self.min_delay,
            Field::MaxDelay => &self.max_delay,
            Field::ErrorRate => &self.error_rate,
            Field::Seed => &self.seed,
            Field::CountryCodes => &self.cc,
            Field::All => &self.all,
            Field::Every => &self.every,
            Field::Limit => &self.limit,
            Field::MaxReq => &self.max_req,
            Field::Verbose => &self.verbose,
            Field::Timeout => &self.timeout,
        }
    }

    fn set(&mut self, field: Field, value: String) {
        let slot = match field {
            Field::Mode => &mut self.mode,
            Field::Server => &mut self.server,
            Field::BaseUrl => &mut self.base_url,
            Field::MinDelay => &mut self.min_delay,
            Field::MaxDelay => &mut self.max_delay,
            Field::ErrorRate => &mut self.error_rate,
            Field::Seed => &mut self.seed,
            Field::CountryCodes => &mut self.cc,
            Field::All => &mut self.all,
            Field::Every => &mut self.every,
            Field::Limit => &mut self.limit,
            Field::MaxReq => &mut self.max_req,
            Field::Verbose => &mut self.verbose,
            Field::Timeout => &mut self.timeout,
        };
        *slot = value;
    }

    fn check(field: Field, value: &str) -> Result<(), String> {
        check_field(field, value)
    }

    fn parse(&self) {}
}

impl LabForm for FlagsForm {
    type Params = FlagsParams;

    fn validate(&self) -> Result<FlagsParams, Vec<(Field, String)>> {
        FlagsForm::validate(self)
    }

    /// The fields in use, in form order: Mode and Server; the server's parameters (Base
    /// URL for REMOTE; Min/Max delay, Error rate (ERROR only) and Seed for DELAY and
    /// ERROR); Country codes (unless `-a`/`-e`); for flags2/flags3 the CLI options and
    /// the Timeout.
    fn fields(&self) -> Vec<Field> {
        let mut fields = vec![Field::Mode, Field::Server];
        match self.server() {
            Server::Local => {}
            Server::Remote => fields.push(Field::BaseUrl),
            Server::Delay => fields.extend([Field::MinDelay, Field::MaxDelay, Field::Seed]),
            Server::Error => fields.extend([
                Field::MinDelay,
                Field::MaxDelay,
                Field::ErrorRate,
                Field::Seed,
            ]),
        }
        if self.uses_cc_args() {
            fields.push(Field::CountryCodes);
        }
        if self.mode().has_cli() {
            fields.extend([
                Field::All,
                Field::Every,
                Field::Limit,
                Field::MaxReq,
                Field::Verbose,
                Field::Timeout,
            ]);
        }
        fields
    }

    /// A field's URL value: `None` to leave it out (an unchecked box, an empty field).
    /// Valid country codes are written one space apart.
    fn url_value(&self, field: Field) -> Option<String> {
        let raw = self.get(field);
        if field.is_checkbox() {
            return self.flag(field).then(|| "true".to_string());
        }
        if raw.trim().is_empty() {
            return None;
        }
        match (field, parse_cc_args(raw)) {
            (Field::CountryCodes, Ok(_)) => Some(
                raw.split(|c: char| c.is_whitespace() || c == ',')
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            _ => Some(raw.to_string()),
        }
    }
}

// ---- outcomes ----

/// Why a request failed (not a 404).
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// Any HTTP status other than 2xx and 404; `reason` is the status text (may be empty).
    Http { status: u16, reason: String },
    /// No complete answer within the client timeout.
    Timeout { after_s: f64 },
    /// fetch() failed: no server, CORS refused, connection reset…
    Network(String),
    /// flags3: metadata.json has no `"country"` string.
    Metadata(String),
}

impl Failure {
    /// The verbose line's text after `CC error: `.
    pub fn message(&self) -> String {
        match self {
            Failure::Http { status, reason } => {
                let reason = if reason.trim().is_empty() {
                    reason_phrase(*status)
                } else {
                    reason.as_str()
                };
                format!("HTTP error {status} - {reason}")
            }
            Failure::Timeout { after_s } => format!("timed out after {after_s}s"),
            Failure::Network(reason) => format!("network error: {reason}"),
            Failure::Metadata(reason) => format!("bad metadata.json: {reason}"),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Python's `http.HTTPStatus` phrase, for answers without a status text (HTTP/2).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        418 => "I'm a Teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `DownloadStatus`, plus the lab's Cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Ok,
    NotFound,
    Error,
    Cancelled,
}

impl Status {
    /// A CSS class for a flag tile or a timeline bar.
    pub fn class(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NotFound => "not-found",
            Status::Error => "error",
            Status::Cancelled => "cancelled",
        }
    }
}

/// How a request, or a code, ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Ok,
    /// HTTP 404, with the (absolute) URL that answered it.
    NotFound {
        url: String,
    },
    Error(Failure),
    /// Stop came first.
    Cancelled,
}

impl Outcome {
    /// An HTTP answer: 2xx is OK, 404 not found, anything else an error (`raise_for_status`).
    pub fn from_status(status: u16, reason: &str, url: &str) -> Outcome {
        match status {
            200..=299 => Outcome::Ok,
            404 => Outcome::NotFound {
                url: url.to_string(),
            },
            _ => Outcome::Error(Failure::Http {
                status,
                reason: reason.to_string(),
            }),
        }
    }

    pub fn status(&self) -> Status {
        match self {
            Outcome::Ok => Status::Ok,
            Outcome::NotFound { .. } => Status::NotFound,
            Outcome::Error(_) => Status::Error,
            Outcome::Cancelled => Status::Cancelled,
        }
    }

    /// Short text for a tooltip: `OK`, `not found`, `HTTP error 418 - I'm a Teapot`, `cancelled`.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Ok => "OK".to_string(),
            Outcome::NotFound { .. } => "not found".to_string(),
            Outcome::Error(failure) => failure.message(),
            Outcome::Cancelled => "cancelled".to_string(),
        }
    }
}

/// flags2's `-v` line for a code: `CN OK`, `XX not found: {url}`, `CC error: {message}`;
/// nothing for a cancelled one.
pub fn verbose_line(cc: &str, outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Ok => Some(format!("{cc} OK")),
        Outcome::NotFound { url } => Some(format!("{cc} not found: {url}")),
        Outcome::Error(failure) => Some(format!("{cc} error: {}", failure.message())),
        Outcome::Cancelled => None,
    }
}

/// The counters: how many codes ended each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub ok: usize,
    pub not_found: usize,
    pub errors: usize,
    pub cancelled: usize,
}

impl Counts {
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Ok => self.ok += 1,
            Status::NotFound => self.not_found += 1,
            Status::Error => self.errors += 1,
            Status::Cancelled => self.cancelled += 1,
        }
    }

    /// ok + not found + errors + cancelled.
    pub fn total(&self) -> usize {
        self.ok + self.not_found + self.errors + self.cancelled
    }

    /// The codes that were answered (what tqdm counts).
    pub fn answered(&self) -> usize {
        self.ok + self.not_found + self.errors
    }
}

// ---- reports ----

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// flags2_common.py's `initial_report`.
pub fn initial_report(
    server: Server,
    site_url: &str,
    cc_list: &[String],
    actual_req: usize,
) -> Vec<String> {
    let cc_msg = match (cc_list.first(), cc_list.last()) {
        (Some(first), Some(last)) if cc_list.len() > 10 => format!("from {first} to {last}"),
        _ => cc_list.join(", "),
    };
    vec![
        format!("{} site: {site_url}", server.key()),
        format!(
            "Searching for {}: {cc_msg}",
            plural(cc_list.len(), "flag", "flags")
        ),
        if actual_req == 1 {
            "1 connection will be used.".to_string()
        } else {
            format!("{actual_req} concurrent connections will be used.")
        },
    ]
}

/// flags2_common.py's `final_report`, plus a `cancelled` line when Stop left codes undone,
/// so the lines add up to the codes searched.
pub fn final_report(counts: &Counts, elapsed_s: f64) -> Vec<String> {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let mut lines = vec![
        SEPARATOR.to_string(),
        format!("{:3} flag{} downloaded.", counts.ok, s(counts.ok)),
    ];
    if counts.not_found > 0 {
        lines.push(format!("{:3} not found.", counts.not_found));
    }
    if counts.errors > 0 {
        lines.push(format!("{:3} error{}.", counts.errors, s(counts.errors)));
    }
    if counts.cancelled > 0 {
        lines.push(format!("{:3} cancelled.", counts.cancelled));
    }
    lines.push(format!("Elapsed time: {}", seconds_2(elapsed_s)));
    lines
}

/// flags.py's last line: `20 flags downloaded in 7.26s` (`1 flag` for one).
pub fn downloaded_in_line(ok: usize, elapsed_s: f64) -> String {
    format!(
        "{} downloaded in {}",
        plural(ok, "flag", "flags"),
        seconds_2(elapsed_s)
    )
}

/// flags.py has no error handling (its first failure would end the run with a
/// traceback); the lab goes on and says what was not downloaded:
/// `Not downloaded: 3 not found, 1 error, 5 cancelled.` — `None` when all were.
pub fn not_downloaded_line(counts: &Counts) -> Option<String> {
    let parts: Vec<String> = [
        (counts.not_found, "not found", "not found"),
        (counts.errors, "error", "errors"),
        (counts.cancelled, "cancelled", "cancelled"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    (!parts.is_empty()).then(|| format!("Not downloaded: {}.", parts.join(", ")))
}

/// tqdm's `format_interval`: `MM:SS`, or `H:MM:SS` from an hour on (whole seconds, truncated).
pub fn format_interval(seconds: f64) -> String {
    let t = if seconds.is_finite() {
        seconds.trunc().abs() as u64
    } else {
        0
    };
    let sign = if seconds < 0.0 { "-" } else { "" };
    let (mins, s) = (t / 60, t % 60);
    let (h, m) = (mins / 60, mins % 60);
    if h > 0 {
        format!("{sign}{h}:{m:02}:{s:02}")
    } else {
        format!("{sign}{m:02}:{s:02}")
    }
}

/// tqdm's smooth-block characters: blank, ⅛ … ⅞, full.
const TQDM_BLOCKS: [char; 9] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
const TQDM_BAR_WIDTH: usize = 10;

/// tqdm's default meter (`tqdm.format_meter(done, total, elapsed_s)`, no terminal width):
/// ` 45%|████▌     | 9/20 [00:01<00:01,  6.08it/s]`. The rate is the average
/// (`done / elapsed`, `{:5.2f}`), shown as `s/it` below one per second; `?` before the
/// first item. (A live tqdm smooths the rate it shows; its final line is the same.)
pub fn tqdm_line(done: usize, total: usize, elapsed_s: f64) -> String {
    let elapsed_str = format_interval(elapsed_s);
    let rate = (elapsed_s != 0.0)
        .then(|| done as f64 / elapsed_s)
        .filter(|r| *r != 0.0);
    let rate_fmt = match rate {
        Some(r) if 1.0 / r > 1.0 => format!("{:5.2}s/it", 1.0 / r),
        Some(r) => format!("{r:5.2}it/s"),
        None => "?it/s".to_string(),
    };
    if total == 0 {
        return format!("{done}it [{elapsed_str}, {rate_fmt}]");
    }
    let remaining_str = match rate {
        Some(r) => format_interval(total.saturating_sub(done) as f64 / r),
        None => "?".to_string(),
    };
    let frac = (done as f64 / total as f64).clamp(0.0, 1.0);
    let percentage = frac * 100.0;
    let nsyms = TQDM_BLOCKS.len() - 1;
    let cells = (frac * TQDM_BAR_WIDTH as f64 * nsyms as f64) as usize;
    let (full, partial) = (cells / nsyms, cells % nsyms);
    let mut bar: String = std::iter::repeat_n(TQDM_BLOCKS[nsyms], full).collect();
    if full < TQDM_BAR_WIDTH {
        bar.push(TQDM_BLOCKS[partial]);
        bar.extend(std::iter::repeat_n(' ', TQDM_BAR_WIDTH - full - 1));
    }
    format!("{percentage:3.0}%|{bar}| {done}/{total} [{elapsed_str}<{remaining_str}, {rate_fmt}]")
}

// ---- metadata and saving ----

/// flags3's `metadata['country']` from metadata.json (`{"cc": "BR", "country": "Brazil"}`).
pub fn parse_metadata(json: &str) -> Result<String, String> {
    let mut parser = Json {
        chars: json.chars().collect(),
        at: 0,
    };
    let country = parser.object_field("country")?;
    parser.skip_ws();
    if parser.at != parser.chars.len() {
        return Err("not JSON: text after the object".to_string());
    }
    country.ok_or_else(|| "no \"country\" string".to_string())
}

/// Just enough JSON to read one string field of an object.
struct Json {
    chars: Vec<char>,
    at: usize,
}

impl Json {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while self
            .peek()
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            self.at += 1;
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("not JSON: expected '{c}' at {}", self.at))
        }
    }

    /// Parses an object; returns the string value of `key`, if it is a string.
    fn object_field(&mut self, key: &str) -> Result<Option<String>, String> {
        self.expect('{')?;
        let mut found = None;
        self.skip_ws();
        if self.peek() == Some('}') {
            self.at += 1;
            return Ok(None);
        }
        loop {
            self.skip_ws();
            let name = self.string()?;
            self.expect(':')?;
            let value = self.value()?;
            if name == key && found.is_none() {
                found = value;
            }
            self.skip_ws();
            match self.peek() {
                Some(',') => self.at += 1,
                Some('}') => {
                    self.at += 1;
                    return Ok(found);
                }
                _ => return Err(format!("not JSON: expected ',' or '}}' at {}", self.at)),
            }
        }
    }

    /// Any value; `Some` for a string.
    fn value(&mut self) -> Result<Option<String>, String> {
        self.skip_ws();
        match self.peek() {
            Some('"') => self.string().map(Some),
            Some('{') => self.object_field("").map(|_| None),
            Some('[') => {
                self.at += 1;
                self.skip_ws();
                if self.peek() == Some(']') {
                    self.at += 1;
                    return Ok(None);
                }
                loop {
                    self.value()?;
                    self.skip_ws();
                    match self.peek() {
                        Some(',') => self.at += 1,
                        Some(']') => {
                            self.at += 1;
                            return Ok(None);
                        }
                        _ => return Err(format!("not JSON: expected ',' or ']' at {}", self.at)),
                    }
                }
            }
            Some(c) if c == '-' || c.is_ascii_alphanumeric() => {
                let number = c == '-' || c.is_ascii_digit();
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'))
                {
                    self.at += 1;
                }
                let word: String = self.chars[start..self.at].iter().collect();
                let literal = matches!(word.as_str(), "true" | "false" | "null");
                if literal || (number && word.parse::<f64>().is_ok()) {
                    Ok(None)
                } else {
                    Err(format!("not JSON: unexpected `{word}`"))
                }
            }
            _ => Err(format!("not JSON: expected a value at {}", self.at)),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits: String = self
            .chars
            .get(self.at..self.at + 4)
            .unwrap_or(&[])
            .iter()
            .collect();
        let code = u32::from_str_radix(&digits, 16)
            .ok()
            .filter(|_| digits.len() == 4)
            .ok_or("not JSON: bad \\u escape")?;
        self.at += 4;
        Ok(code)
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect('"')?;
        let mut out = String::new();
        loop {
            let c = self.peek().ok_or("not JSON: unterminated string")?;
            self.at += 1;
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let e = self.peek().ok_or("not JSON: unterminated string")?;
                    self.at += 1;
                    match e {
                        '"' | '\\' | '/' => out.push(e),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high)
                                && self.chars.get(self.at..self.at + 2) == Some(&['\\', 'u'])
                            {
                                self.at += 2;
                                let low = self.hex4()?;
                                if (0xDC00..0xE000).contains(&low) {
                                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                                } else {
                                    0xFFFD
                                }
                            } else {
                                high
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err("not JSON: bad escape".to_string()),
                    }
                }
                c if (c as u32) < 0x20 => {
                    return Err("not JSON: control character in a string".to_string());
                }
                c => out.push(c),
            }
        }
    }
}

/// A file name from a country name: spaces become `_` (flags3_asyncio.py's
/// `country.replace(' ', '_')`), and so does anything but letters, digits, `-`, `_` and
/// `.`; runs of `_` collapse, and `_`/`.` are trimmed from the ends. `None` if nothing is left.
pub fn sanitize_file_name(country: &str) -> Option<String> {
    let mut out = String::new();
    for c in country.chars() {
        let c = if c.is_alphanumeric() || matches!(c, '-' | '.') {
            c
        } else {
            '_'
        };
        if !(c == '_' && out.ends_with('_')) {
            out.push(c);
        }
    }
    let name: String = out
        .trim_matches(|c| c == '_' || c == '.')
        .chars()
        .take(100)
        .collect();
    (!name.is_empty()).then_some(name)
}

/// The saved file's name without the extension: the code (`BR`), or for flags3 the
/// country (`Brazil`, `United_States`), falling back to the code.
pub fn save_name(mode: Mode, cc: &str, country: Option<&str>) -> String {
    match (mode, country.and_then(sanitize_file_name)) {
        (Mode::Flags3, Some(name)) => name,
        _ => cc.to_string(),
    }
}

/// A saved flag (the view keeps the bytes, keyed by code).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SavedFlag {
    pub cc: String,
    /// The file name without the extension, from [`save_name`].
    pub name: String,
    pub bytes: usize,
}

/// One file of the zip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZipEntry {
    /// `downloaded/BR.svg`, `downloaded/Brazil.svg`.
    pub path: String,
    pub cc: String,
}

/// The zip's files, in save order: `downloaded/{name}.svg`; a name already taken gets the
/// code appended (`downloaded/Congo_CG.svg`), so no file overwrites another.
pub fn zip_entries(saved: &[SavedFlag]) -> Vec<ZipEntry> {
    let mut taken = std::collections::HashSet::new();
    saved
        .iter()
        .map(|flag| {
            let mut name = flag.name.clone();
            if !taken.insert(name.to_ascii_lowercase()) {
                name = format!("{}_{}", flag.name, flag.cc);
                let mut n = 2;
                while !taken.insert(name.to_ascii_lowercase()) {
                    name = format!("{}_{}_{n}", flag.name, flag.cc);
                    n += 1;
                }
            }
            ZipEntry {
                path: format!("{DEST_DIR}/{name}.{FLAG_EXT}"),
                cc: flag.cc.clone(),
            }
        })
        .collect()
}

/// The most intervals `[start, end)` open at the same moment: the requests that were really
/// on the wire together (from the browser's Resource Timing), as opposed to the fetch() calls
/// the page had started. An interval that ends as another starts does not overlap it.
pub fn peak_overlap(intervals: &[(f64, f64)]) -> usize {
    let mut edges: Vec<(f64, i32)> = intervals
        .iter()
        .filter(|(start, end)| end >= start)
        .flat_map(|&(start, end)| [(start, 1), (end, -1)])
        .collect();
    // Ends sort before starts at the same instant.
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let (mut open, mut peak) = (0i32, 0i32);
    for (_, delta) in edges {
        open += delta;
        peak = peak.max(open);
    }
    peak as usize
}

/// The zip's file name.
pub const ZIP_NAME: &str = "downloaded.zip";

/// "Save all": one `.zip` of `(path, bytes)` files, stored uncompressed (SVGs are small).
/// Written with `rawzip`, a dependency-free zip crate: measured in the release app it costs
/// 23 KB (gzip), the `zip` crate (no default features) 33 KB.
pub fn make_zip<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
) -> Result<Vec<u8>, String> {
    use std::io::Write;
    // Writing to memory cannot fail but on a malformed name; the message stays plain so the
    // app carries no error formatting for it.
    let text = |_| "could not build the zip".to_string();
    let mut output = Vec::new();
    let mut archive = rawzip::ZipArchiveWriter::new(&mut output);
    for (path, bytes) in files {
        let (mut entry, config) = archive
            .new_file(path)
            .compression_method(rawzip::CompressionMethod::STORE)
            .start()
            .map_err(text)?;
        let mut writer = config.wrap(&mut entry);
        writer
            .write_all(bytes)
            .map_err(|_| "could not build the zip".to_string())?;
        let (_, descriptor) = writer.finish().map_err(text)?;
        entry.finish(descriptor).map_err(text)?;
    }
    archive.finish().map_err(text)?;
    Ok(output)
}

// ---- the session ----

/// One request on the timeline (a Gantt bar).
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBar {
    pub cc: String,
    pub kind: Kind,
    /// The code's index in the run's code list (one row per code).
    pub row: usize,
    /// The lowest slot free when the request started (one lane per semaphore slot:
    /// at most `actual_req` lanes when the semaphore holds).
    pub slot: usize,
    pub start_ms: f64,
    /// `None` while in flight.
    pub end_ms: Option<f64>,
    pub outcome: Option<Outcome>,
}

impl RequestBar {
    /// The right edge: the end, or `now_ms` while in flight.
    pub fn end_or(&self, now_ms: f64) -> f64 {
        self.end_ms.unwrap_or(now_ms.max(self.start_ms))
    }

    /// The CSS class: `ok`, `not-found`, `error`, `cancelled` or `running`.
    pub fn class(&self) -> &'static str {
        self.outcome
            .as_ref()
            .map_or("running", |o| o.status().class())
    }

    /// The hover text: `BR flag: OK, 0.412s`.
    pub fn title(&self, now_ms: f64) -> String {
        let seconds = (self.end_or(now_ms) - self.start_ms) / 1000.0;
        match &self.outcome {
            Some(outcome) => format!(
                "{} {}: {}, {seconds:.3}s",
                self.cc,
                self.kind.key(),
                outcome.summary()
            ),
            None => format!(
                "{} {}: in flight, {seconds:.3}s so far",
                self.cc,
                self.kind.key()
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The run starts: the plan from [`FlagsParams::plan`].
    Started(RunPlan),
    /// A request was sent (after taking the semaphore).
    RequestStarted { cc: String, kind: Kind, at_ms: f64 },
    /// A request ended (its slot is free again).
    RequestFinished {
        cc: String,
        kind: Kind,
        at_ms: f64,
        outcome: Outcome,
    },
    /// A flag was "saved" (kept for the grid and the zip); `name` from [`save_name`].
    Saved {
        cc: String,
        name: String,
        bytes: usize,
    },
    /// A code is done (after all its requests, and saving).
    ItemDone {
        cc: String,
        outcome: Outcome,
        at_ms: f64,
    },
    /// Every code is done.
    Finished { elapsed_s: f64 },
    /// Stop: every code not done yet is cancelled.
    Cancelled { elapsed_s: f64 },
}

/// One finished run, for the comparison table.
#[derive(Clone, Debug, PartialEq)]
pub struct HistoryRow {
    pub run_no: u32,
    pub mode: Mode,
    pub server: Server,
    pub codes: usize,
    /// The semaphore's size (`actual_req`).
    pub max_concurrent: usize,
    pub counts: Counts,
    pub peak_in_flight: usize,
    pub elapsed_s: f64,
    pub stopped: bool,
}

pub const HISTORY_COLUMNS: [&str; 11] = [
    "Run",
    "Mode",
    "Server",
    "Codes",
    "Max concurrent",
    "OK",
    "Not found",
    "Errors",
    "Cancelled",
    "Peak in flight",
    "Elapsed",
];

impl HistoryRow {
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.run_no.to_string(),
            self.mode.key().to_string(),
            self.server.key().to_string(),
            self.codes.to_string(),
            self.max_concurrent.to_string(),
            self.counts.ok.to_string(),
            self.counts.not_found.to_string(),
            self.counts.errors.to_string(),
            self.counts.cancelled.to_string(),
            self.peak_in_flight.to_string(),
            seconds_2(self.elapsed_s),
        ]
    }
}

/// The lab's state across runs; the view dispatches [`Event`]s into it.
///
/// The counters are derived from each code's outcome, and when a run ends (finished or
/// stopped) every code without one is marked cancelled: ok + not found + errors +
/// cancelled always equals the codes searched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    /// Lines printed so far.
    pub transcript: Vec<String>,
    /// The line being redrawn in place: the codes line (sequential, concurrent) or the
    /// tqdm bar (flags2/flags3 without `-v`).
    pub live_line: Option<String>,
    /// sequential/concurrent: the codes saved so far, space-separated, in order of saving.
    pub live_codes: String,
    /// The current run's plan, or the last run's.
    pub plan: Option<RunPlan>,
    pub running: bool,
    pub runs_started: u32,
    /// Per code of `plan.cc_list`, in that order: its outcome once done.
    pub outcomes: Vec<Option<Outcome>>,
    /// Indices into `plan.cc_list`, in completion order.
    pub done_order: Vec<usize>,
    /// Requests in flight now, and the most at any moment of the run.
    pub in_flight: usize,
    pub peak_in_flight: usize,
    pub timeline: Vec<RequestBar>,
    /// In order of saving.
    pub saved: Vec<SavedFlag>,
    /// Set when the run ends.
    pub elapsed_s: Option<f64>,
    pub history: Vec<HistoryRow>,
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// The counters of the current (or last) run.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for outcome in self.outcomes.iter().flatten() {
            counts.add(outcome.status());
        }
        counts
    }

    /// (codes done, codes searched).
    pub fn progress(&self) -> (usize, usize) {
        (self.done_order.len(), self.outcomes.len())
    }

    /// A code's outcome, once done.
    pub fn outcome_of(&self, cc: &str) -> Option<&Outcome> {
        let index = self.plan.as_ref()?.index_of(cc)?;
        self.outcomes.get(index)?.as_ref()
    }

    /// The zip's files for the flags saved so far.
    pub fn zip_entries(&self) -> Vec<ZipEntry> {
        zip_entries(&self.saved)
    }

    /// The timeline's right end: the last bar's end, or `now_ms` while one is in flight.
    pub fn span_ms(&self, now_ms: f64) -> f64 {
        self.timeline
            .iter()
            .map(|b| b.end_or(now_ms))
            .fold(0.0, f64::max)
    }

    /// The timeline's lanes: the semaphore's size, or more if the requests overlapped more.
    pub fn slots(&self) -> usize {
        let planned = self.plan.as_ref().map_or(0, |p| p.actual_req);
        let used = self.timeline.iter().map(|b| b.slot + 1).max().unwrap_or(0);
        planned.max(used)
    }

    /// The running plan and the index of `cc` in it.
    fn running_index(&self, cc: &str) -> Option<usize> {
        if !self.running {
            return None;
        }
        self.plan.as_ref()?.index_of(cc)
    }

    fn cli(&self) -> Option<(bool, usize)> {
        let plan = self.plan.as_ref()?;
        plan.params
            .mode
            .has_cli()
            .then_some((plan.params.verbose, plan.cc_list.len()))
    }

    /// Closes `cc`'s open request of `kind` (any kind if `None`).
    fn close_requests(
        &mut self,
        cc: &str,
        kind: Option<Kind>,
        at_ms: f64,
        outcome: &Outcome,
    ) -> bool {
        let mut closed = false;
        for bar in self
            .timeline
            .iter_mut()
            .filter(|b| b.end_ms.is_none() && b.cc == cc && kind.is_none_or(|k| b.kind == k))
        {
            bar.end_ms = Some(at_ms.max(bar.start_ms));
            bar.outcome = Some(outcome.clone());
            self.in_flight -= 1;
            closed = true;
            if kind.is_some() {
                break;
            }
        }
        closed
    }

    fn end_run(&mut self, elapsed_s: f64, stopped: bool) {
        let Some(plan) = self.plan.clone().filter(|_| self.running) else {
            return;
        };
        let at_ms = elapsed_s * 1000.0;
        for bar in self.timeline.iter_mut().filter(|b| b.end_ms.is_none()) {
            bar.end_ms = Some(at_ms.max(bar.start_ms));
            bar.outcome = Some(Outcome::Cancelled);
        }
        self.in_flight = 0;
        for (index, outcome) in self.outcomes.iter_mut().enumerate() {
            if outcome.is_none() {
                *outcome = Some(Outcome::Cancelled);
                self.done_order.push(index);
            }
        }
        let counts = self.counts();
        self.live_line = None;
        if plan.params.mode.has_cli() {
            if !plan.params.verbose {
                self.transcript
                    .push(tqdm_line(counts.answered(), plan.cc_list.len(), elapsed_s));
            }
            self.transcript.extend(final_report(&counts, elapsed_s));
        } else {
            if !self.live_codes.is_empty() {
                self.transcript.push(self.live_codes.clone());
            }
            self.transcript
                .push(downloaded_in_line(counts.ok, elapsed_s));
            self.transcript.extend(not_downloaded_line(&counts));
        }
        self.running = false;
        self.elapsed_s = Some(elapsed_s);
        self.history.push(HistoryRow {
            run_no: self.runs_started,
            mode: plan.params.mode,
            server: plan.params.server.server,
            codes: plan.cc_list.len(),
            max_concurrent: plan.actual_req,
            counts,
            peak_in_flight: self.peak_in_flight,
            elapsed_s,
            stopped,
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
            Event::Started(plan) => {
                let history = std::mem::take(&mut self.history);
                *self = Session {
                    runs_started: self.runs_started + 1,
                    history,
                    running: true,
                    outcomes: vec![None; plan.cc_list.len()],
                    ..Session::default()
                };
                if plan.params.mode.has_cli() {
                    self.transcript = plan.initial_report();
                    if !plan.params.verbose {
                        self.live_line = Some(tqdm_line(0, plan.cc_list.len(), 0.0));
                    }
                }
                self.plan = Some(plan);
            }
            Event::RequestStarted { cc, kind, at_ms } => {
                let Some(row) = self.running_index(&cc) else {
                    return;
                };
                let open = |b: &RequestBar| b.end_ms.is_none();
                if self.outcomes[row].is_some()
                    || self
                        .timeline
                        .iter()
                        .any(|b| open(b) && b.cc == cc && b.kind == kind)
                {
                    return;
                }
                let busy: Vec<usize> = self
                    .timeline
                    .iter()
                    .filter(|b| open(b))
                    .map(|b| b.slot)
                    .collect();
                let slot = (0..).find(|s| !busy.contains(s)).unwrap_or(0);
                self.timeline.push(RequestBar {
                    cc,
                    kind,
                    row,
                    slot,
                    start_ms: at_ms,
                    end_ms: None,
                    outcome: None,
                });
                self.in_flight += 1;
                self.peak_in_flight = self.peak_in_flight.max(self.in_flight);
            }
            Event::RequestFinished {
                cc,
                kind,
                at_ms,
                outcome,
            } => {
                if self.running_index(&cc).is_some() {
                    self.close_requests(&cc, Some(kind), at_ms, &outcome);
                }
            }
            Event::Saved { cc, name, bytes } => {
                if self.running_index(&cc).is_some() && !self.saved.iter().any(|s| s.cc == cc) {
                    self.saved.push(SavedFlag { cc, name, bytes });
                }
            }
            Event::ItemDone { cc, outcome, at_ms } => {
                let Some(index) = self.running_index(&cc) else {
                    return;
                };
                if self.outcomes[index].is_some() {
                    return;
                }
                // A request still open when its code is done ended with it.
                self.close_requests(&cc, None, at_ms, &Outcome::Cancelled);
                self.outcomes[index] = Some(outcome.clone());
                self.done_order.push(index);
                match self.cli() {
                    Some((true, _)) => self.transcript.extend(verbose_line(&cc, &outcome)),
                    Some((false, total)) => {
                        let answered = self.counts().answered();
                        self.live_line = Some(tqdm_line(answered, total, at_ms / 1000.0));
                    }
                    None => {
                        if outcome == Outcome::Ok {
                            if !self.live_codes.is_empty() {
                                self.live_codes.push(' ');
                            }
                            self.live_codes.push_str(&cc);
                            self.live_line = Some(self.live_codes.clone());
                        }
                    }
                }
            }
            Event::Finished { elapsed_s } => self.end_run(elapsed_s, false),
            Event::Cancelled { elapsed_s } => self.end_run(elapsed_s, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn form(pairs: &[(Field, &str)]) -> FlagsForm {
        let mut form = FlagsForm::default();
        for (field, value) in pairs {
            form.set(*field, value.to_string());
        }
        form
    }

    fn errors_of(form: &FlagsForm) -> Vec<(Field, String)> {
        form.validate().err().unwrap_or_default()
    }

    fn error_of(pairs: &[(Field, &str)]) -> String {
        let errors = errors_of(&form(pairs));
        assert_eq!(errors.len(), 1, "{pairs:?}: {errors:?}");
        errors[0].1.clone()
    }

    fn strings(codes: &[&str]) -> Vec<String> {
        owned(codes)
    }

    fn owned_query(query: Vec<(&'static str, String)>) -> Vec<(String, String)> {
        query.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    const PAGE: &str = "http://localhost:8080/playground/#/flags?mode=flags2";

    fn sorted_pop20() -> Vec<String> {
        let mut codes = strings(&POP20_CC);
        codes.sort();
        codes
    }

    /// A tiny deterministic PRNG (splitmix64) for the property tests.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }

        fn chance(&mut self, percent: usize) -> bool {
            self.below(100) < percent
        }

        fn pick(&mut self, alphabet: &str) -> char {
            let chars: Vec<char> = alphabet.chars().collect();
            chars[self.below(chars.len())]
        }
    }

    // ---- form, fields, validation ----

    #[test]
    fn defaults_are_the_books() {
        let f = FlagsForm::default();
        assert_eq!(
            f.fields(),
            [Field::Mode, Field::Server, Field::CountryCodes]
        );
        let params = f.validate().unwrap();
        assert_eq!(params.mode, Mode::Sequential);
        assert_eq!(
            params.server,
            ServerParams {
                error_rate: 0.0,
                ..ServerParams::default()
            }
        );
        assert_eq!(params.cc_args, strings(&POP20_CC));
        assert_eq!(params.timeout_s, FLAGS_PY_TIMEOUT_S);
        assert_eq!(params.max_req(), 1);
        assert!(!params.all && !params.every && !params.verbose);
        let plan = params.plan(&[], PAGE);
        assert_eq!(plan.cc_list, sorted_pop20());
        assert_eq!(plan.cc_list.first().unwrap(), "BD");
        assert_eq!(plan.cc_list.last().unwrap(), "VN");
        assert_eq!(plan.actual_req, 1);

        let concurrent = form(&[(Field::Mode, "concurrent")]).validate().unwrap();
        assert_eq!(concurrent.max_req(), 30);
        assert_eq!(concurrent.plan(&[], PAGE).actual_req, 20);
        let letters = form(&[(Field::Mode, "concurrent"), (Field::CountryCodes, "a b")]);
        let plan = letters.validate().unwrap().plan(&[], PAGE);
        assert_eq!((plan.cc_list.len(), plan.actual_req), (52, 30));

        for mode in ["flags2", "flags3"] {
            let f = form(&[(Field::Mode, mode)]);
            assert_eq!(
                f.fields(),
                [
                    Field::Mode,
                    Field::Server,
                    Field::CountryCodes,
                    Field::All,
                    Field::Every,
                    Field::Limit,
                    Field::MaxReq,
                    Field::Verbose,
                    Field::Timeout
                ]
            );
            let params = f.validate().unwrap();
            assert_eq!(params.timeout_s, DEFAULT_TIMEOUT_S);
            assert_eq!((params.max_req, params.max_req()), (None, 5));
            assert_eq!(params.limit, None);
            assert_eq!(params.plan(&[], PAGE).actual_req, 5);
        }
    }

    #[test]
    fn fields_follow_mode_and_server() {
        let server_fields = |server: &str| {
            let f = form(&[(Field::Server, server)]);
            f.fields()[2..f.fields().len() - 1].to_vec()
        };
        assert_eq!(server_fields("LOCAL"), []);
        assert_eq!(server_fields("remote"), [Field::BaseUrl]);
        assert_eq!(
            server_fields("DELAY"),
            [Field::MinDelay, Field::MaxDelay, Field::Seed]
        );
        assert_eq!(
            server_fields("Error"),
            [
                Field::MinDelay,
                Field::MaxDelay,
                Field::ErrorRate,
                Field::Seed
            ]
        );
        // -a and -e make the CC arguments unused in flags2/flags3 only.
        for box_field in [Field::All, Field::Every] {
            let f = form(&[(Field::Mode, "flags3"), (box_field, "true")]);
            assert!(!f.fields().contains(&Field::CountryCodes));
            let f = form(&[(Field::Mode, "sequential"), (box_field, "true")]);
            assert!(f.fields().contains(&Field::CountryCodes));
            assert!(!f.validate().unwrap().all && !f.validate().unwrap().every);
        }
    }

    #[test]
    fn cli_usage_messages() {
        let flags2 = |field, value| error_of(&[(Field::Mode, "flags2"), (field, value)]);
        assert_eq!(
            flags2(Field::MaxReq, "0"),
            "--max_req CONCURRENT must be >= 1"
        );
        assert_eq!(
            flags2(Field::MaxReq, "-3"),
            "--max_req CONCURRENT must be >= 1"
        );
        assert_eq!(
            flags2(Field::MaxReq, "-0"),
            "--max_req CONCURRENT must be >= 1"
        );
        assert_eq!(
            flags2(Field::MaxReq, "abc"),
            "argument -m/--max_req: invalid int value: 'abc'"
        );
        assert_eq!(flags2(Field::Limit, "0"), "--limit N must be >= 1");
        assert_eq!(
            flags2(Field::Limit, "1.5"),
            "argument -l/--limit: invalid int value: '1.5'"
        );
        assert_eq!(
            flags2(Field::Limit, "it's"),
            "argument -l/--limit: invalid int value: \"it's\""
        );
        assert_eq!(
            flags2(Field::Server, "nowhere"),
            "--server LABEL must be one of DELAY, ERROR, LOCAL, REMOTE"
        );
        assert_eq!(
            flags2(Field::CountryCodes, "BR B1"),
            "each CC argument must be A to Z or AA to ZZ. 'B1' is not."
        );
        assert!(flags2(Field::CountryCodes, "abc").starts_with(CC_USAGE));
        assert!(flags2(Field::CountryCodes, "é").starts_with(CC_USAGE));
        assert_eq!(flags2(Field::All, "yes"), "All (-a) must be true or false.");
        assert_eq!(
            flags2(Field::Verbose, "1"),
            "Verbose (-v) must be true or false."
        );
        assert_eq!(flags2(Field::Timeout, "0"), "--timeout must be > 0");
        assert_eq!(flags2(Field::Timeout, "-1"), "--timeout must be > 0");
        assert_eq!(flags2(Field::Timeout, "61"), "--timeout must be <= 60");
        assert_eq!(
            flags2(Field::Timeout, "soon"),
            "argument --timeout: invalid float value: 'soon'"
        );
        assert_eq!(
            error_of(&[(Field::Mode, "nope")]),
            "Mode must be one of sequential, concurrent, flags2, flags3."
        );
    }

    #[test]
    fn server_parameter_messages() {
        let delay = |field, value| error_of(&[(Field::Server, "DELAY"), (field, value)]);
        let error = |field, value| error_of(&[(Field::Server, "ERROR"), (field, value)]);
        let remote = |value| error_of(&[(Field::Server, "REMOTE"), (Field::BaseUrl, value)]);
        assert_eq!(delay(Field::MinDelay, "-1"), "--min_delay must be >= 0");
        assert_eq!(delay(Field::MaxDelay, "-0.5"), "--max_delay must be >= 0");
        assert_eq!(delay(Field::MaxDelay, "61"), "--max_delay must be <= 60");
        assert_eq!(
            delay(Field::MinDelay, "abc"),
            "argument --min_delay: invalid float value: 'abc'"
        );
        assert_eq!(
            delay(Field::MinDelay, "6"),
            "--min_delay must be <= --max_delay"
        );
        assert_eq!(
            delay(Field::MaxDelay, "0.1"),
            "--min_delay must be <= --max_delay"
        );
        assert_eq!(
            errors_of(&form(&[(Field::Server, "DELAY"), (Field::MaxDelay, "0.1")]))[0].0,
            Field::MinDelay
        );
        assert_eq!(
            error(Field::ErrorRate, "1.5"),
            "--error_rate must be from 0 to 1"
        );
        assert_eq!(
            error(Field::ErrorRate, "-0.1"),
            "--error_rate must be from 0 to 1"
        );
        assert_eq!(
            error(Field::ErrorRate, "a lot"),
            "argument --error_rate: invalid float value: 'a lot'"
        );
        assert_eq!(
            error(Field::Seed, "4294967296"),
            "--seed must be from 0 to 4294967295"
        );
        assert_eq!(
            error(Field::Seed, "-1"),
            "--seed must be from 0 to 4294967295"
        );
        assert_eq!(
            error(Field::Seed, "x"),
            "argument --seed: invalid int value: 'x'"
        );
        for bad in [
            "ftp://example.com",
            "example.com/flags",
            "https://",
            "http:///x",
            "",
        ] {
            assert_eq!(
                remote(bad),
                "--base_url must be an http:// or https:// URL",
                "{bad}"
            );
        }
        assert_eq!(remote("http://a b"), "--base_url must not contain spaces");
        assert_eq!(
            remote("http://x/flags?y=1"),
            "--base_url must have no query (?) or fragment (#)"
        );
        // Edge values are fine.
        for (field, value) in [
            (Field::ErrorRate, "0"),
            (Field::ErrorRate, "1"),
            (Field::MinDelay, "0"),
            (Field::MaxDelay, "60"),
            (Field::Seed, "4294967295"),
            (Field::Seed, ""),
        ] {
            let f = form(&[(Field::Server, "ERROR"), (field, value)]);
            assert!(f.validate().is_ok(), "{field:?} = {value}");
        }
    }

    #[test]
    fn all_errors_at_once_in_form_order_and_only_for_fields_in_use() {
        let f = form(&[
            (Field::Mode, "flags2"),
            (Field::Server, "ERROR"),
            (Field::Timeout, "0"),
            (Field::MinDelay, "x"),
            (Field::Limit, "0"),
            (Field::MaxReq, "0"),
            (Field::BaseUrl, "ftp://nope"),
        ]);
        let fields: Vec<Field> = errors_of(&f).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [Field::MinDelay, Field::Limit, Field::MaxReq, Field::Timeout]
        );
        // sequential has no CLI: bad CLI fields are not in use.
        let f = form(&[
            (Field::MaxReq, "0"),
            (Field::Limit, "x"),
            (Field::All, "maybe"),
            (Field::Timeout, "0"),
            (Field::Server, "LOCAL"),
            (Field::MinDelay, "-1"),
        ]);
        let params = f.validate().unwrap();
        assert_eq!((params.max_req, params.limit), (None, None));
        assert_eq!(params.timeout_s, FLAGS_PY_TIMEOUT_S);
        // -a: the CC arguments are not checked (the CLI ignores them).
        let f = form(&[
            (Field::Mode, "flags2"),
            (Field::All, "TRUE"),
            (Field::CountryCodes, "123"),
        ]);
        assert!(f.validate().unwrap().cc_args.is_empty());
    }

    #[test]
    fn validated_params() {
        let f = form(&[
            (Field::Mode, "flags3"),
            (Field::Server, "error"),
            (Field::MinDelay, " 0.25 "),
            (Field::MaxDelay, "2"),
            (Field::ErrorRate, ".5"),
            (Field::Seed, "42"),
            (Field::CountryCodes, "br, cn  x"),
            (Field::Limit, "10"),
            (Field::MaxReq, "100000000000000000000000"),
            (Field::Verbose, "True"),
            (Field::Timeout, "2.5"),
        ]);
        let p = f.validate().unwrap();
        assert_eq!(p.mode, Mode::Flags3);
        assert_eq!(
            p.server,
            ServerParams {
                server: Server::Error,
                min_delay_s: 0.25,
                max_delay_s: 2.0,
                error_rate: 0.5,
                seed: Some(42),
                base_url: REMOTE_BASE_URL.to_string(),
            }
        );
        assert_eq!(p.cc_args, strings(&["BR", "CN", "X"]));
        assert_eq!(p.limit, Some(10));
        assert_eq!(p.max_req(), usize::MAX);
        assert!(p.verbose);
        assert_eq!(p.timeout_s, 2.5);
        let plan = p.plan(&[], PAGE);
        assert_eq!(
            plan.cc_list,
            strings(&["BR", "CN", "XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH"])
        );
        assert_eq!(plan.actual_req, 10);

        let remote = form(&[
            (Field::Server, "REMOTE"),
            (Field::BaseUrl, " https://example.org/data/flags// "),
        ]);
        assert_eq!(
            remote.validate().unwrap().server.base_url,
            "https://example.org/data/flags"
        );
        // DELAY has no error rate.
        let delay = form(&[(Field::Server, "DELAY"), (Field::ErrorRate, "0.9")]);
        assert_eq!(delay.validate().unwrap().server.error_rate, 0.0);
    }

    #[test]
    fn concurrency_is_capped() {
        assert_eq!(actual_concurrency(5, Mode::Flags2, 20), 5);
        assert_eq!(actual_concurrency(100, Mode::Flags2, 20), 20);
        assert_eq!(actual_concurrency(5000, Mode::Flags2, 2000), MAX_CONCUR_REQ);
        assert_eq!(actual_concurrency(30, Mode::Sequential, 20), 1);
        assert_eq!(actual_concurrency(30, Mode::Concurrent, 676), 30);
        assert_eq!(actual_concurrency(1, Mode::Flags3, 676), 1);
        let every = form(&[
            (Field::Mode, "flags2"),
            (Field::Every, "true"),
            (Field::MaxReq, "5000"),
        ]);
        let plan = every.validate().unwrap().plan(&[], PAGE);
        assert_eq!((plan.cc_list.len(), plan.actual_req), (676, 676));
    }

    #[test]
    fn url_round_trip_and_fallbacks() {
        let f = form(&[
            (Field::Mode, "flags2"),
            (Field::Server, "DELAY"),
            (Field::Seed, "7"),
            (Field::CountryCodes, "a,  b\nBR"),
            (Field::Verbose, "true"),
            (Field::MaxReq, "30"),
        ]);
        let query = owned_query(f.query());
        let keys: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "mode",
                "server",
                "min_delay",
                "max_delay",
                "seed",
                "cc",
                "max_req",
                "verbose",
                "timeout"
            ]
        );
        assert!(query.contains(&("cc".to_string(), "a b BR".to_string())));
        let (back, notices) = FlagsForm::from_query(&query);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.validate(), f.validate());

        let bad = vec![
            ("mode".to_string(), "flags9".to_string()),
            ("limit".to_string(), "0".to_string()),
            ("colour".to_string(), "red".to_string()),
            ("server".to_string(), "delay".to_string()),
        ];
        let (fallback, notices) = FlagsForm::from_query(&bad);
        assert_eq!(fallback.mode(), Mode::Sequential);
        assert_eq!(fallback.server(), Server::Delay);
        assert_eq!(fallback.limit, "");
        assert_eq!(notices.len(), 3);
        assert!(notices[1].contains("limit=0") && notices[1].contains("--limit N must be >= 1"));
        assert_eq!(notices[2], "Ignored unknown URL parameter `colour`.");
    }

    // ---- CC expansion ----

    fn expand(
        args: &[&str],
        all: bool,
        every: bool,
        limit: Option<usize>,
    ) -> Result<Vec<String>, String> {
        expand_cc(
            &strings(args),
            all,
            every,
            limit,
            &strings(&["ZW", "br", " ad ", "BR", ""]),
        )
    }

    #[test]
    fn expands_like_flags2_common() {
        let b = expand(&["b"], false, false, None).unwrap();
        assert_eq!(b.len(), 26);
        assert_eq!((b[0].as_str(), b[25].as_str()), ("BA", "BZ"));
        assert_eq!(
            expand(&["us", "BR", "Br", "cn"], false, false, None).unwrap(),
            strings(&["BR", "CN", "US"])
        );
        let abc = expand(&["a", "b", "c"], false, false, None).unwrap();
        assert_eq!(abc.len(), 78);
        assert_eq!(abc.first().unwrap(), "AA");
        assert_eq!(abc.last().unwrap(), "CZ");
        // A letter and codes it covers.
        assert_eq!(expand(&["BR", "b"], false, false, None).unwrap(), b);
        // -l: the first N after sorting.
        assert_eq!(
            expand(&["z", "a"], false, false, Some(3)).unwrap(),
            strings(&["AA", "AB", "AC"])
        );
        // -e: AA..ZZ, and it wins over -a; the CC arguments are ignored then, even bad ones.
        let every = expand(&["1"], true, true, None).unwrap();
        assert_eq!(every.len(), 676);
        assert_eq!((every[0].as_str(), every[675].as_str()), ("AA", "ZZ"));
        assert!(every.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(expand(&[], false, true, Some(100)).unwrap().len(), 100);
        // -a: what the server ships, upper-cased, sorted, without duplicates.
        assert_eq!(
            expand(&["?"], true, false, None).unwrap(),
            strings(&["AD", "BR", "ZW"])
        );
        assert_eq!(expand(&[], true, false, Some(1)).unwrap(), strings(&["AD"]));
        // Bad arguments.
        for bad in ["abc", "1", "B1", "", "é", "-a"] {
            assert_eq!(
                expand(&[bad], false, false, None),
                Err(CC_USAGE.to_string()),
                "{bad}"
            );
        }
        // Unicode upper-casing, as Python's str.upper: 'ß' is 'SS'.
        assert_eq!(
            expand(&["ß"], false, false, None).unwrap(),
            strings(&["SS"])
        );
        assert_eq!(parse_cc_args("ß").unwrap(), strings(&["SS"]));
    }

    #[test]
    fn empty_list_falls_back_to_pop20() {
        assert_eq!(cc_list_or_default(Vec::new(), None), sorted_pop20());
        assert_eq!(
            cc_list_or_default(Vec::new(), Some(3)),
            strings(&["BD", "BR", "CD"])
        );
        assert_eq!(
            cc_list_or_default(strings(&["BR"]), Some(3)),
            strings(&["BR"])
        );
        let params = form(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, " "),
            (Field::Limit, "2"),
        ])
        .validate()
        .unwrap();
        assert_eq!(params.plan(&[], PAGE).cc_list, strings(&["BD", "BR"]));
        // -a on a server that ships nothing: the 20 again.
        let params = form(&[(Field::Mode, "flags2"), (Field::All, "true")])
            .validate()
            .unwrap();
        assert_eq!(params.plan(&[], PAGE).cc_list.len(), 20);
        let shipped = strings(&["AD", "AE", "AF"]);
        assert_eq!(params.plan(&shipped, PAGE).cc_list, shipped);
        assert_eq!(params.plan(&shipped, PAGE).actual_req, 3);
    }

    /// The book's algorithm, written the obvious way.
    fn reference(args: &[String], limit: Option<usize>) -> Option<Vec<String>> {
        let mut set = BTreeSet::new();
        for arg in args {
            let up: Vec<char> = arg.to_uppercase().chars().collect();
            let ok = |c: &char| c.is_ascii_uppercase();
            match up.as_slice() {
                [a] if ok(a) => {
                    for b in 'A'..='Z' {
                        set.insert(format!("{a}{b}"));
                    }
                }
                [a, b] if ok(a) && ok(b) => {
                    set.insert(format!("{a}{b}"));
                }
                _ => return None,
            }
        }
        Some(set.into_iter().take(limit.unwrap_or(usize::MAX)).collect())
    }

    #[test]
    fn property_expansion_matches_the_reference() {
        let mut rng = Rng(2024);
        for _ in 0..3000 {
            let mut args = Vec::new();
            for _ in 0..rng.below(8) {
                let len = if rng.chance(90) {
                    1 + rng.below(2)
                } else {
                    rng.below(4)
                };
                let alphabet = if rng.chance(95) {
                    "abcxyzABCXYZbrBR"
                } else {
                    "ab1_- é"
                };
                args.push((0..len).map(|_| rng.pick(alphabet)).collect::<String>());
            }
            let limit = rng.chance(40).then(|| 1 + rng.below(60));
            let got = expand_cc(&args, false, false, limit, &[]);
            match reference(&args, limit) {
                None => assert_eq!(got, Err(CC_USAGE.to_string()), "{args:?}"),
                Some(want) => {
                    let got = got.unwrap();
                    assert_eq!(got, want, "{args:?} {limit:?}");
                    assert!(got.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
                    assert!(
                        got.iter()
                            .all(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()))
                    );
                    assert!(got.len() <= limit.unwrap_or(usize::MAX));
                    // The text field agrees with the argument list.
                    let text = args.join(if rng.chance(50) { " " } else { ", " });
                    let parsed = parse_cc_args(&text).unwrap();
                    assert_eq!(expand_cc(&parsed, false, false, limit, &[]).unwrap(), got);
                    // Case does not matter.
                    let upper: Vec<String> = args.iter().map(|a| a.to_uppercase()).collect();
                    assert_eq!(expand_cc(&upper, false, false, limit, &[]).unwrap(), got);
                }
            }
            // -e ignores the arguments entirely.
            let every = expand_cc(&args, rng.chance(50), true, limit, &[]).unwrap();
            assert_eq!(every.len(), 676.min(limit.unwrap_or(usize::MAX)));
        }
    }

    #[test]
    fn property_random_text_in_the_field() {
        let mut rng = Rng(7);
        for _ in 0..3000 {
            let text: String = (0..rng.below(12))
                .map(|_| rng.pick("aB ,\n\tz9.Q"))
                .collect();
            let tokens: Vec<&str> = text
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|t| !t.is_empty())
                .collect();
            let valid = tokens
                .iter()
                .all(|t| t.len() <= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
            let checked = check_field(Field::CountryCodes, &text);
            assert_eq!(checked.is_ok(), valid, "{text:?}");
            if let Err(message) = checked {
                assert!(message.starts_with(CC_USAGE));
            }
        }
    }

    // ---- URLs ----

    fn server(kind: Server, seed: Option<u32>) -> ServerParams {
        ServerParams {
            server: kind,
            seed,
            ..ServerParams::default()
        }
    }

    #[test]
    fn builds_urls() {
        let local = server(Server::Local, None);
        assert_eq!(flag_url(&local, "BR"), "flags/br/br.svg");
        assert_eq!(metadata_url(&local, "BR"), "flags/br/metadata.json");
        assert_eq!(
            flag_url(&server(Server::Delay, Some(42)), "BR"),
            "delay/flags/br/br.svg?min=0.5&max=5&seed=42"
        );
        assert_eq!(
            flag_url(&server(Server::Delay, None), "br"),
            "delay/flags/br/br.svg?min=0.5&max=5"
        );
        assert_eq!(
            flag_url(&server(Server::Error, Some(42)), "BR"),
            "error/flags/br/br.svg?min=0.5&max=5&p=0.25&seed=42"
        );
        let error = ServerParams {
            server: Server::Error,
            min_delay_s: 0.0,
            max_delay_s: 1.5,
            error_rate: 1.0,
            ..ServerParams::default()
        };
        assert_eq!(
            metadata_url(&error, "CD"),
            "error/flags/cd/metadata.json?min=0&max=1.5&p=1"
        );
        let remote = ServerParams {
            server: Server::Remote,
            base_url: "https://example.org/flags/".to_string(),
            seed: Some(1),
            ..ServerParams::default()
        };
        assert_eq!(
            flag_url(&remote, "US"),
            "https://example.org/flags/us/us.svg"
        );
        assert_eq!(
            flag_url(&server(Server::Remote, None), "CN"),
            "http://fluentpython.com/data/flags/cn/cn.svg"
        );
    }

    #[test]
    fn resolves_the_site_url() {
        let local = server(Server::Local, None);
        assert_eq!(
            local.site_url(PAGE),
            "http://localhost:8080/playground/flags"
        );
        assert_eq!(
            local.site_url("https://x.org/a/index.html?q=1#/flags"),
            "https://x.org/a/flags"
        );
        assert_eq!(
            local.site_url("http://localhost:8080"),
            "http://localhost:8080/flags"
        );
        assert_eq!(
            local.site_url("http://localhost:8080/"),
            "http://localhost:8080/flags"
        );
        assert_eq!(local.site_url(""), "flags");
        assert_eq!(
            server(Server::Delay, Some(3)).site_url(PAGE),
            "http://localhost:8080/playground/delay/flags"
        );
        assert_eq!(server(Server::Remote, None).site_url(PAGE), REMOTE_BASE_URL);
    }

    fn plan_for(pairs: &[(Field, &str)]) -> RunPlan {
        form(pairs).validate().unwrap().plan(&[], PAGE)
    }

    #[test]
    fn plan_requests_and_absolute_urls() {
        let plan = plan_for(&[
            (Field::Mode, "flags3"),
            (Field::Server, "DELAY"),
            (Field::Seed, "42"),
        ]);
        assert_eq!(
            plan.requests("BR"),
            vec![
                (
                    Kind::Flag,
                    "delay/flags/br/br.svg?min=0.5&max=5&seed=42".to_string()
                ),
                (
                    Kind::Metadata,
                    "delay/flags/br/metadata.json?min=0.5&max=5&seed=42".to_string()
                ),
            ]
        );
        assert_eq!(
            plan.absolute_url("XX", Kind::Flag),
            "http://localhost:8080/playground/delay/flags/xx/xx.svg?min=0.5&max=5&seed=42"
        );
        assert_eq!(
            plan.outcome_of("XX", Kind::Metadata, 404, "Not Found"),
            Outcome::NotFound {
                url: "http://localhost:8080/playground/delay/flags/xx/metadata.json?min=0.5&max=5&seed=42"
                    .to_string()
            }
        );
        let flags2 = plan_for(&[(Field::Mode, "flags2")]);
        assert_eq!(
            flags2.requests("CN"),
            vec![(Kind::Flag, "flags/cn/cn.svg".to_string())]
        );
        let remote = plan_for(&[(Field::Mode, "flags2"), (Field::Server, "REMOTE")]);
        assert_eq!(
            remote.absolute_url("CN", Kind::Flag),
            "http://fluentpython.com/data/flags/cn/cn.svg"
        );
        assert_eq!(Mode::Flags3.requests(), [Kind::Flag, Kind::Metadata]);
        assert_eq!(Mode::Sequential.requests(), [Kind::Flag]);
    }

    // ---- outcomes and reports ----

    #[test]
    fn outcomes_from_answers() {
        assert_eq!(Outcome::from_status(200, "OK", "u"), Outcome::Ok);
        assert_eq!(Outcome::from_status(204, "", "u"), Outcome::Ok);
        assert_eq!(
            Outcome::from_status(404, "Not Found", "u"),
            Outcome::NotFound {
                url: "u".to_string()
            }
        );
        let teapot = Outcome::from_status(418, "I'm a Teapot", "u");
        assert_eq!(teapot.status(), Status::Error);
        assert_eq!(teapot.summary(), "HTTP error 418 - I'm a Teapot");
        let http2 = Outcome::from_status(503, "", "u");
        assert_eq!(http2.summary(), "HTTP error 503 - Service Unavailable");
        assert_eq!(
            Outcome::from_status(301, "Moved", "u").status(),
            Status::Error
        );
        assert_eq!(
            Failure::Timeout { after_s: 3.1 }.message(),
            "timed out after 3.1s"
        );
        assert_eq!(
            Failure::Network("Failed to fetch".to_string()).to_string(),
            "network error: Failed to fetch"
        );
        assert_eq!(verbose_line("CN", &Outcome::Ok).unwrap(), "CN OK");
        assert_eq!(
            verbose_line(
                "XX",
                &Outcome::NotFound {
                    url: "http://h/flags/xx/xx.svg".to_string()
                }
            )
            .unwrap(),
            "XX not found: http://h/flags/xx/xx.svg"
        );
        assert_eq!(
            verbose_line("CC", &teapot).unwrap(),
            "CC error: HTTP error 418 - I'm a Teapot"
        );
        assert_eq!(verbose_line("CC", &Outcome::Cancelled), None);
    }

    fn codes(n: usize) -> Vec<String> {
        expand_cc(&[], false, true, Some(n), &[]).unwrap()
    }

    #[test]
    fn initial_reports() {
        assert_eq!(
            initial_report(
                Server::Local,
                "http://localhost:8000/flags",
                &sorted_pop20(),
                20
            ),
            [
                "LOCAL site: http://localhost:8000/flags",
                "Searching for 20 flags: from BD to VN",
                "20 concurrent connections will be used.",
            ]
        );
        assert_eq!(
            initial_report(Server::Delay, "s", &strings(&["BR"]), 1),
            [
                "DELAY site: s",
                "Searching for 1 flag: BR",
                "1 connection will be used."
            ]
        );
        assert_eq!(
            initial_report(Server::Error, "s", &codes(10), 5)[1],
            "Searching for 10 flags: AA, AB, AC, AD, AE, AF, AG, AH, AI, AJ"
        );
        assert_eq!(
            initial_report(Server::Remote, "s", &codes(11), 5)[1],
            "Searching for 11 flags: from AA to AK"
        );
        assert_eq!(
            initial_report(Server::Local, "s", &strings(&["BR", "CN"]), 2),
            [
                "LOCAL site: s",
                "Searching for 2 flags: BR, CN",
                "2 concurrent connections will be used."
            ]
        );
        let plan = plan_for(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, "a b c"),
            (Field::MaxReq, "30"),
            (Field::Server, "DELAY"),
        ]);
        assert_eq!(
            plan.initial_report(),
            [
                "DELAY site: http://localhost:8080/playground/delay/flags",
                "Searching for 78 flags: from AA to CZ",
                "30 concurrent connections will be used.",
            ]
        );
    }

    fn counts(ok: usize, not_found: usize, errors: usize, cancelled: usize) -> Counts {
        Counts {
            ok,
            not_found,
            errors,
            cancelled,
        }
    }

    #[test]
    fn final_reports() {
        assert_eq!(
            final_report(&counts(20, 3, 2, 0), 0.64),
            [
                "--------------------",
                " 20 flags downloaded.",
                "  3 not found.",
                "  2 errors.",
                "Elapsed time: 0.64s",
            ]
        );
        assert_eq!(
            final_report(&counts(43, 35, 0, 0), 1.72),
            [
                "--------------------",
                " 43 flags downloaded.",
                " 35 not found.",
                "Elapsed time: 1.72s"
            ]
        );
        assert_eq!(
            final_report(&counts(73, 0, 27, 0), 0.64),
            [
                "--------------------",
                " 73 flags downloaded.",
                " 27 errors.",
                "Elapsed time: 0.64s"
            ]
        );
        assert_eq!(
            final_report(&counts(1, 1, 1, 1), 7.256),
            [
                "--------------------",
                "  1 flag downloaded.",
                "  1 not found.",
                "  1 error.",
                "  1 cancelled.",
                "Elapsed time: 7.26s",
            ]
        );
        assert_eq!(
            final_report(&counts(0, 0, 0, 5), 0.0),
            [
                "--------------------",
                "  0 flags downloaded.",
                "  5 cancelled.",
                "Elapsed time: 0.00s"
            ]
        );
        assert_eq!(
            final_report(&counts(676, 0, 0, 0), 1.0)[1],
            "676 flags downloaded."
        );
        assert_eq!(
            final_report(&counts(1000, 0, 0, 0), 1.0)[1],
            "1000 flags downloaded."
        );
        assert_eq!(
            downloaded_in_line(20, 7.256),
            "20 flags downloaded in 7.26s"
        );
        assert_eq!(downloaded_in_line(1, 0.5), "1 flag downloaded in 0.50s");
        assert_eq!(not_downloaded_line(&counts(20, 0, 0, 0)), None);
        assert_eq!(
            not_downloaded_line(&counts(15, 1, 2, 2)).unwrap(),
            "Not downloaded: 1 not found, 2 errors, 2 cancelled."
        );
        assert_eq!(
            not_downloaded_line(&counts(0, 0, 1, 0)).unwrap(),
            "Not downloaded: 1 error."
        );
    }

    /// Reference strings from tqdm 4.70.1: `tqdm.std.tqdm.format_meter(n, total, elapsed)`.
    const TQDM: [(usize, usize, f64, &str); 35] = [
        (0, 20, 0.0, "  0%|          | 0/20 [00:00<?, ?it/s]"),
        (0, 20, 1.0, "  0%|          | 0/20 [00:01<?, ?it/s]"),
        (
            9,
            20,
            1.48,
            " 45%|████▌     | 9/20 [00:01<00:01,  6.08it/s]",
        ),
        (
            20,
            20,
            1.31,
            "100%|██████████| 20/20 [00:01<00:00, 15.27it/s]",
        ),
        (1, 20, 2.5, "  5%|▌         | 1/20 [00:02<00:47,  2.50s/it]"),
        (2, 20, 5.0, " 10%|█         | 2/20 [00:05<00:45,  2.50s/it]"),
        (1, 8, 0.3, " 12%|█▎        | 1/8 [00:00<00:02,  3.33it/s]"),
        (3, 8, 100.0, " 38%|███▊      | 3/8 [01:40<02:46, 33.33s/it]"),
        (
            676,
            676,
            3725.0,
            "100%|██████████| 676/676 [1:02:05<00:00,  5.51s/it]",
        ),
        (
            5,
            676,
            0.2,
            "  1%|          | 5/676 [00:00<00:26, 25.00it/s]",
        ),
        (1, 3, 0.5, " 33%|███▎      | 1/3 [00:00<00:01,  2.00it/s]"),
        (2, 3, 0.5, " 67%|██████▋   | 2/3 [00:00<00:00,  4.00it/s]"),
        (
            77,
            78,
            1.7,
            " 99%|█████████▊| 77/78 [00:01<00:00, 45.29it/s]",
        ),
        (
            43,
            78,
            1.72,
            " 55%|█████▌    | 43/78 [00:01<00:01, 25.00it/s]",
        ),
        (
            100,
            100,
            0.64,
            "100%|██████████| 100/100 [00:00<00:00, 156.25it/s]",
        ),
        (1, 1, 0.05, "100%|██████████| 1/1 [00:00<00:00, 20.00it/s]"),
        (0, 1, 0.0, "  0%|          | 0/1 [00:00<?, ?it/s]"),
        (
            10,
            20,
            10.0,
            " 50%|█████     | 10/20 [00:10<00:10,  1.00it/s]",
        ),
        (
            10,
            20,
            10.01,
            " 50%|█████     | 10/20 [00:10<00:10,  1.00s/it]",
        ),
        (
            676,
            676,
            0.5,
            "100%|██████████| 676/676 [00:00<00:00, 1352.00it/s]",
        ),
        (
            1,
            2,
            7200.0,
            " 50%|█████     | 1/2 [2:00:00<2:00:00, 7200.00s/it]",
        ),
        (0, 0, 0.0, "0it [00:00, ?it/s]"),
        (3, 0, 1.5, "3it [00:01,  2.00it/s]"),
        (
            12,
            20,
            59.99,
            " 60%|██████    | 12/20 [00:59<00:39,  5.00s/it]",
        ),
        (
            12,
            20,
            60.0,
            " 60%|██████    | 12/20 [01:00<00:40,  5.00s/it]",
        ),
        (
            19,
            20,
            0.999,
            " 95%|█████████▌| 19/20 [00:00<00:00, 19.02it/s]",
        ),
        (1, 80, 1.0, "  1%|▏         | 1/80 [00:01<01:19,  1.00it/s]"),
        (2, 80, 1.0, "  2%|▎         | 2/80 [00:01<00:39,  2.00it/s]"),
        (3, 80, 1.0, "  4%|▍         | 3/80 [00:01<00:25,  3.00it/s]"),
        (4, 80, 1.0, "  5%|▌         | 4/80 [00:01<00:19,  4.00it/s]"),
        (5, 80, 1.0, "  6%|▋         | 5/80 [00:01<00:15,  5.00it/s]"),
        (6, 80, 1.0, "  8%|▊         | 6/80 [00:01<00:12,  6.00it/s]"),
        (7, 80, 1.0, "  9%|▉         | 7/80 [00:01<00:10,  7.00it/s]"),
        (8, 80, 1.0, " 10%|█         | 8/80 [00:01<00:09,  8.00it/s]"),
        (9, 80, 1.0, " 11%|█▏        | 9/80 [00:01<00:07,  9.00it/s]"),
    ];

    #[test]
    fn tqdm_line_matches_tqdm() {
        for (done, total, elapsed, want) in TQDM {
            assert_eq!(
                tqdm_line(done, total, elapsed),
                want,
                "{done}/{total} at {elapsed}"
            );
        }
    }

    #[test]
    fn tqdm_bar_is_ten_cells_and_grows() {
        // The bar's length in eighths of a cell never shrinks, and is 80 only when done.
        let eighths = |bar: &str| -> usize {
            bar.chars()
                .map(|c| TQDM_BLOCKS.iter().position(|b| *b == c).unwrap())
                .sum()
        };
        let mut previous = 0;
        for done in 0..=676 {
            let line = tqdm_line(done, 676, 1.0 + done as f64);
            let bar = line.split('|').nth(1).unwrap();
            assert_eq!(bar.chars().count(), 10, "{line}");
            let length = eighths(bar);
            assert!(length >= previous, "{line}");
            assert_eq!(length == 80, done == 676, "{line}");
            assert_eq!(length, done * 80 / 676, "{line}");
            previous = length;
        }
        assert_eq!(format_interval(59.999), "00:59");
        assert_eq!(format_interval(3599.0), "59:59");
        assert_eq!(format_interval(3600.0), "1:00:00");
        assert_eq!(format_interval(-1.5), "-00:01");
    }

    // ---- metadata, names, zip ----

    #[test]
    fn reads_metadata() {
        assert_eq!(
            parse_metadata("{\"cc\": \"BR\", \"country\": \"Brazil\"}\n").unwrap(),
            "Brazil"
        );
        assert_eq!(
            parse_metadata(r#"{"country":"C\u00f4te d'Ivoire","cc":"CI"}"#).unwrap(),
            "Côte d'Ivoire"
        );
        assert_eq!(
            parse_metadata(
                r#"{"n": [1, -2.5e3, {"a": null}], "ok": true, "country": "A \"B\" \ud83c\udff3"}"#
            )
            .unwrap(),
            "A \"B\" 🏳"
        );
        assert_eq!(
            parse_metadata(r#"{"cc": "BR"}"#),
            Err("no \"country\" string".to_string())
        );
        assert_eq!(
            parse_metadata(r#"{"country": 7}"#),
            Err("no \"country\" string".to_string())
        );
        assert_eq!(
            parse_metadata("{}"),
            Err("no \"country\" string".to_string())
        );
        for bad in [
            "",
            "<html>",
            "{\"country\": \"Brazil\"",
            "{\"country\": Brazil}",
            "{} x",
            "{\"a\": inf}",
        ] {
            assert!(
                parse_metadata(bad).unwrap_err().starts_with("not JSON"),
                "{bad}"
            );
        }
    }

    #[test]
    fn file_names() {
        assert_eq!(sanitize_file_name("Brazil").unwrap(), "Brazil");
        assert_eq!(
            sanitize_file_name("United States of America").unwrap(),
            "United_States_of_America"
        );
        assert_eq!(
            sanitize_file_name("Côte d'Ivoire").unwrap(),
            "Côte_d_Ivoire"
        );
        assert_eq!(
            sanitize_file_name("Virgin Islands (U.S.)").unwrap(),
            "Virgin_Islands_U.S"
        );
        assert_eq!(
            sanitize_file_name("Bonaire, Sint Eustatius and Saba").unwrap(),
            "Bonaire_Sint_Eustatius_and_Saba"
        );
        assert_eq!(
            sanitize_file_name("../../etc/passwd").unwrap(),
            "etc_passwd"
        );
        assert_eq!(sanitize_file_name(" ... "), None);
        assert_eq!(
            sanitize_file_name("Guinea-Bissau").unwrap(),
            "Guinea-Bissau"
        );
        assert_eq!(sanitize_file_name(&"x".repeat(300)).unwrap().len(), 100);
        assert_eq!(save_name(Mode::Flags3, "BR", Some("Brazil")), "Brazil");
        assert_eq!(save_name(Mode::Flags3, "XX", Some("//")), "XX");
        assert_eq!(save_name(Mode::Flags3, "XX", None), "XX");
        assert_eq!(save_name(Mode::Flags2, "BR", Some("Brazil")), "BR");
    }

    #[test]
    fn zip_entries_are_unique() {
        let saved = |cc: &str, name: &str| SavedFlag {
            cc: cc.to_string(),
            name: name.to_string(),
            bytes: 10,
        };
        let entries = zip_entries(&[
            saved("BR", "Brazil"),
            saved("CG", "Congo"),
            saved("CD", "Congo"),
            saved("XX", "congo"),
        ]);
        let paths: Vec<&str> = entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "downloaded/Brazil.svg",
                "downloaded/Congo.svg",
                "downloaded/Congo_CD.svg",
                "downloaded/congo_XX.svg"
            ]
        );
        assert_eq!(entries[2].cc, "CD");
        assert!(zip_entries(&[]).is_empty());
    }

    // ---- the session ----

    fn started(s: &mut Session, cc: &str, kind: Kind, at_ms: f64) {
        s.apply(Event::RequestStarted {
            cc: cc.to_string(),
            kind,
            at_ms,
        });
    }

    fn finished(s: &mut Session, cc: &str, kind: Kind, at_ms: f64, outcome: Outcome) {
        s.apply(Event::RequestFinished {
            cc: cc.to_string(),
            kind,
            at_ms,
            outcome,
        });
    }

    fn done(s: &mut Session, cc: &str, outcome: Outcome, at_ms: f64) {
        s.apply(Event::ItemDone {
            cc: cc.to_string(),
            outcome,
            at_ms,
        });
    }

    /// One code with one request: start, finish, save if OK, done.
    fn download(s: &mut Session, cc: &str, start: f64, end: f64, outcome: Outcome) {
        started(s, cc, Kind::Flag, start);
        finished(s, cc, Kind::Flag, end, outcome.clone());
        if outcome == Outcome::Ok {
            s.apply(Event::Saved {
                cc: cc.to_string(),
                name: cc.to_string(),
                bytes: 1000,
            });
        }
        done(s, cc, outcome, end);
    }

    fn teapot() -> Outcome {
        Outcome::Error(Failure::Http {
            status: 418,
            reason: "I'm a Teapot".to_string(),
        })
    }

    #[test]
    fn sequential_prints_codes_on_one_line() {
        let mut s = Session::default();
        let plan = plan_for(&[(Field::CountryCodes, "cn br bd")]);
        s.apply(Event::Started(plan));
        assert!(s.is_running());
        assert!(s.transcript.is_empty());
        assert_eq!(s.live_line, None);
        download(&mut s, "BD", 0.0, 100.0, Outcome::Ok);
        assert_eq!(s.live_line.as_deref(), Some("BD"));
        download(&mut s, "BR", 100.0, 200.0, Outcome::Ok);
        download(&mut s, "CN", 200.0, 300.0, Outcome::Ok);
        assert_eq!(s.live_line.as_deref(), Some("BD BR CN"));
        assert_eq!(s.peak_in_flight, 1);
        s.apply(Event::Finished { elapsed_s: 0.3 });
        assert!(!s.is_running());
        assert_eq!(s.live_line, None);
        assert_eq!(s.transcript, ["BD BR CN", "3 flags downloaded in 0.30s"]);
        assert_eq!(s.history.len(), 1);
        assert_eq!(
            s.history[0].cells(),
            [
                "1",
                "sequential",
                "LOCAL",
                "3",
                "1",
                "3",
                "0",
                "0",
                "0",
                "1",
                "0.30s"
            ]
        );
        assert_eq!(s.saved.len(), 3);
        assert_eq!(s.zip_entries()[0].path, "downloaded/BD.svg");
    }

    #[test]
    fn concurrent_prints_codes_in_completion_order() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[(Field::Mode, "concurrent")])));
        let list = s.plan.as_ref().unwrap().cc_list.clone();
        for (i, cc) in list.iter().enumerate() {
            started(&mut s, cc, Kind::Flag, i as f64);
        }
        assert_eq!((s.in_flight, s.peak_in_flight), (20, 20));
        for cc in ["VN", "BR", "EG"] {
            finished(&mut s, cc, Kind::Flag, 500.0, Outcome::Ok);
            done(&mut s, cc, Outcome::Ok, 500.0);
        }
        assert_eq!(s.live_line.as_deref(), Some("VN BR EG"));
        // One not found: no code printed; the rest OK.
        finished(
            &mut s,
            "BD",
            Kind::Flag,
            600.0,
            Outcome::NotFound { url: "u".into() },
        );
        done(&mut s, "BD", Outcome::NotFound { url: "u".into() }, 600.0);
        for cc in list
            .iter()
            .filter(|c| !["VN", "BR", "EG", "BD"].contains(&c.as_str()))
        {
            finished(&mut s, cc, Kind::Flag, 900.0, Outcome::Ok);
            done(&mut s, cc, Outcome::Ok, 900.0);
        }
        assert_eq!(s.in_flight, 0);
        s.apply(Event::Finished { elapsed_s: 1.37 });
        assert!(s.transcript[0].starts_with("VN BR EG CD CN"));
        assert_eq!(s.transcript[0].split(' ').count(), 19);
        assert_eq!(s.transcript[1], "19 flags downloaded in 1.37s");
        assert_eq!(s.transcript[2], "Not downloaded: 1 not found.");
        assert_eq!(s.counts().total(), 20);
    }

    #[test]
    fn flags2_verbose_transcript() {
        let mut s = Session::default();
        let plan = plan_for(&[
            (Field::Mode, "flags2"),
            (Field::Server, "ERROR"),
            (Field::CountryCodes, "CN BR XX CC US"),
            (Field::Verbose, "true"),
        ]);
        let not_found_url = plan.absolute_url("XX", Kind::Flag);
        s.apply(Event::Started(plan));
        assert_eq!(
            s.transcript,
            [
                "ERROR site: http://localhost:8080/playground/error/flags",
                "Searching for 5 flags: BR, CC, CN, US, XX",
                "5 concurrent connections will be used.",
            ]
        );
        assert_eq!(s.live_line, None, "no bar with -v");
        download(&mut s, "CN", 0.0, 100.0, Outcome::Ok);
        download(
            &mut s,
            "XX",
            0.0,
            150.0,
            Outcome::NotFound {
                url: not_found_url.clone(),
            },
        );
        download(&mut s, "CC", 0.0, 200.0, teapot());
        download(
            &mut s,
            "BR",
            0.0,
            250.0,
            Outcome::Error(Failure::Timeout { after_s: 3.1 }),
        );
        download(&mut s, "US", 0.0, 300.0, Outcome::Ok);
        s.apply(Event::Finished { elapsed_s: 0.64 });
        assert_eq!(
            s.transcript[3..],
            [
                "CN OK".to_string(),
                format!("XX not found: {not_found_url}"),
                "CC error: HTTP error 418 - I'm a Teapot".to_string(),
                "BR error: timed out after 3.1s".to_string(),
                "US OK".to_string(),
                "--------------------".to_string(),
                "  2 flags downloaded.".to_string(),
                "  1 not found.".to_string(),
                "  2 errors.".to_string(),
                "Elapsed time: 0.64s".to_string(),
            ]
        );
        assert_eq!(
            not_found_url,
            "http://localhost:8080/playground/error/flags/xx/xx.svg?min=0.5&max=5&p=0.25"
        );
        let row = &s.history[0];
        assert_eq!(row.counts, counts(2, 1, 2, 0));
        assert_eq!(row.cells()[1..5], ["flags2", "ERROR", "5", "5"]);
    }

    #[test]
    fn flags2_progress_bar() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[(Field::Mode, "flags2")])));
        assert_eq!(s.transcript.len(), 3);
        assert_eq!(
            s.live_line.as_deref(),
            Some("  0%|          | 0/20 [00:00<?, ?it/s]")
        );
        let list = s.plan.as_ref().unwrap().cc_list.clone();
        for (i, cc) in list.iter().take(9).enumerate() {
            download(&mut s, cc, 0.0, 1480.0 * (i + 1) as f64 / 9.0, Outcome::Ok);
        }
        assert_eq!(
            s.live_line.as_deref(),
            Some(" 45%|████▌     | 9/20 [00:01<00:01,  6.08it/s]")
        );
        for cc in &list[9..] {
            download(&mut s, cc, 0.0, 1300.0, Outcome::Ok);
        }
        s.apply(Event::Finished { elapsed_s: 1.31 });
        assert_eq!(s.live_line, None);
        assert_eq!(
            s.transcript[3..],
            [
                "100%|██████████| 20/20 [00:01<00:00, 15.27it/s]",
                "--------------------",
                " 20 flags downloaded.",
                "Elapsed time: 1.31s",
            ]
        );
    }

    #[test]
    fn stop_cancels_the_rest_and_the_sum_holds() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, "flags2"),
            (Field::MaxReq, "3"),
        ])));
        let list = s.plan.as_ref().unwrap().cc_list.clone();
        download(&mut s, &list[0], 0.0, 100.0, Outcome::Ok);
        download(&mut s, &list[1], 0.0, 120.0, teapot());
        started(&mut s, &list[2], Kind::Flag, 100.0);
        started(&mut s, &list[3], Kind::Flag, 120.0);
        assert_eq!(s.in_flight, 2);
        s.apply(Event::Cancelled { elapsed_s: 0.5 });
        assert!(!s.is_running());
        assert_eq!(s.in_flight, 0);
        let c = s.counts();
        assert_eq!(c, counts(1, 0, 1, 18));
        assert_eq!(c.total(), 20);
        assert_eq!(s.progress(), (20, 20));
        assert_eq!(
            s.transcript[3..],
            [
                " 10%|█         | 2/20 [00:00<00:04,  4.00it/s]",
                "--------------------",
                "  1 flag downloaded.",
                "  1 error.",
                " 18 cancelled.",
                "Elapsed time: 0.50s",
            ]
        );
        let open: Vec<&RequestBar> = s
            .timeline
            .iter()
            .filter(|b| b.outcome == Some(Outcome::Cancelled))
            .collect();
        assert_eq!(open.len(), 2);
        assert!(open.iter().all(|b| b.end_ms == Some(500.0)));
        assert_eq!(s.outcome_of(&list[5]), Some(&Outcome::Cancelled));
        assert!(s.history[0].stopped);
        assert_eq!(s.history[0].cells()[8], "18");
        // Events after the end change nothing.
        let before = s.clone();
        download(&mut s, &list[5], 0.0, 900.0, Outcome::Ok);
        s.apply(Event::Finished { elapsed_s: 1.0 });
        s.apply(Event::Cancelled { elapsed_s: 1.0 });
        assert_eq!(s, before);
    }

    #[test]
    fn stop_in_sequential_mode() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[])));
        download(&mut s, "BD", 0.0, 100.0, Outcome::Ok);
        download(&mut s, "BR", 100.0, 200.0, Outcome::Ok);
        started(&mut s, "CD", Kind::Flag, 200.0);
        s.apply(Event::Cancelled { elapsed_s: 0.25 });
        assert_eq!(
            s.transcript,
            [
                "BD BR",
                "2 flags downloaded in 0.25s",
                "Not downloaded: 18 cancelled."
            ]
        );
        assert_eq!(s.counts().total(), 20);
    }

    #[test]
    fn finishing_with_codes_left_counts_them_cancelled() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, "flags2"),
            (Field::Verbose, "true"),
        ])));
        download(&mut s, "BR", 0.0, 1.0, Outcome::Ok);
        s.apply(Event::Finished { elapsed_s: 0.1 });
        assert_eq!(s.counts(), counts(1, 0, 0, 19));
        assert_eq!(s.counts().total(), 20);
    }

    #[test]
    fn odd_events_are_ignored() {
        let mut s = Session::default();
        download(&mut s, "BR", 0.0, 1.0, Outcome::Ok);
        s.apply(Event::Finished { elapsed_s: 1.0 });
        assert_eq!(s, Session::default(), "nothing before Started");
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, "BR CN"),
        ])));
        started(&mut s, "ZZ", Kind::Flag, 0.0);
        s.apply(Event::Saved {
            cc: "ZZ".into(),
            name: "ZZ".into(),
            bytes: 1,
        });
        done(&mut s, "ZZ", Outcome::Ok, 0.0);
        assert!(s.timeline.is_empty() && s.saved.is_empty() && s.done_order.is_empty());
        // A second start of the same request, a finish without a start.
        started(&mut s, "BR", Kind::Flag, 0.0);
        started(&mut s, "BR", Kind::Flag, 5.0);
        finished(&mut s, "CN", Kind::Flag, 5.0, Outcome::Ok);
        assert_eq!((s.timeline.len(), s.in_flight), (1, 1));
        // Done twice: the first outcome counts.
        finished(&mut s, "BR", Kind::Flag, 10.0, Outcome::Ok);
        done(&mut s, "BR", Outcome::Ok, 10.0);
        done(&mut s, "BR", teapot(), 11.0);
        assert_eq!(s.counts(), counts(1, 0, 0, 0));
        // A done code takes no new request.
        started(&mut s, "BR", Kind::Metadata, 12.0);
        assert_eq!(s.in_flight, 0);
        // A code done while its request is open closes it.
        started(&mut s, "CN", Kind::Flag, 12.0);
        done(
            &mut s,
            "CN",
            Outcome::Error(Failure::Network("reset".into())),
            20.0,
        );
        assert_eq!(s.in_flight, 0);
        assert_eq!(s.timeline[1].end_ms, Some(20.0));
    }

    #[test]
    fn flags3_two_requests_per_code_and_country_names() {
        let mut s = Session::default();
        let plan = plan_for(&[
            (Field::Mode, "flags3"),
            (Field::CountryCodes, "BR US XX"),
            (Field::MaxReq, "2"),
        ]);
        assert_eq!(plan.actual_req, 2);
        s.apply(Event::Started(plan));
        started(&mut s, "BR", Kind::Flag, 0.0);
        started(&mut s, "US", Kind::Flag, 0.0);
        finished(&mut s, "BR", Kind::Flag, 100.0, Outcome::Ok);
        started(&mut s, "XX", Kind::Flag, 100.0);
        finished(&mut s, "US", Kind::Flag, 150.0, Outcome::Ok);
        started(&mut s, "BR", Kind::Metadata, 150.0);
        finished(
            &mut s,
            "XX",
            Kind::Flag,
            200.0,
            Outcome::NotFound { url: "u".into() },
        );
        done(&mut s, "XX", Outcome::NotFound { url: "u".into() }, 200.0);
        started(&mut s, "US", Kind::Metadata, 200.0);
        for (cc, country, at) in [
            ("BR", "Brazil", 300.0),
            ("US", "United States of America", 320.0),
        ] {
            finished(&mut s, cc, Kind::Metadata, at, Outcome::Ok);
            let name = save_name(
                Mode::Flags3,
                cc,
                parse_metadata(&format!("{{\"country\": \"{country}\"}}"))
                    .ok()
                    .as_deref(),
            );
            s.apply(Event::Saved {
                cc: cc.into(),
                name,
                bytes: 500,
            });
            done(&mut s, cc, Outcome::Ok, at);
        }
        s.apply(Event::Finished { elapsed_s: 0.32 });
        assert_eq!(s.peak_in_flight, 2);
        let slots: Vec<(String, Kind, usize)> = s
            .timeline
            .iter()
            .map(|b| (b.cc.clone(), b.kind, b.slot))
            .collect();
        assert_eq!(
            slots,
            [
                ("BR".to_string(), Kind::Flag, 0),
                ("US".to_string(), Kind::Flag, 1),
                ("XX".to_string(), Kind::Flag, 0),
                ("BR".to_string(), Kind::Metadata, 1),
                ("US".to_string(), Kind::Metadata, 0),
            ]
        );
        assert_eq!(s.slots(), 2);
        assert_eq!(s.timeline[3].row, 0);
        assert_eq!(s.timeline[2].class(), "not-found");
        assert_eq!(s.timeline[3].title(0.0), "BR metadata: OK, 0.150s");
        let paths: Vec<String> = s.zip_entries().into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            [
                "downloaded/Brazil.svg",
                "downloaded/United_States_of_America.svg"
            ]
        );
        assert_eq!(s.counts(), counts(2, 1, 0, 0));
        assert_eq!(s.span_ms(1e9), 320.0);
    }

    /// Runs `codes` through a simulated semaphore of `slots`: each request holds its slot
    /// for a random time; stops at event `stop_at` if given. Returns the most requests
    /// the simulation itself had in flight at once.
    fn simulate(s: &mut Session, rng: &mut Rng, stop_at: Option<usize>) -> usize {
        let plan = s.plan.clone().unwrap();
        let slots = plan.actual_req;
        let kinds = plan.params.mode.requests();
        // (cc, next request index)
        let mut waiting: Vec<(String, usize)> =
            plan.cc_list.iter().map(|c| (c.clone(), 0)).collect();
        let mut flying: Vec<(String, usize, f64)> = Vec::new();
        let mut now = 0.0;
        let mut events = 0;
        let mut peak = 0;
        loop {
            if stop_at == Some(events) {
                s.apply(Event::Cancelled {
                    elapsed_s: now / 1000.0,
                });
                return peak;
            }
            events += 1;
            if flying.len() < slots && !waiting.is_empty() && (flying.is_empty() || rng.chance(60))
            {
                let (cc, k) = waiting.remove(rng.below(waiting.len()));
                started(s, &cc, kinds[k], now);
                flying.push((cc, k, now + rng.below(500) as f64));
                peak = peak.max(flying.len());
            } else if !flying.is_empty() {
                let i = rng.below(flying.len());
                let (cc, k, end) = flying.remove(i);
                now = f64::max(now, end);
                let outcome = match rng.below(10) {
                    0 => Outcome::NotFound { url: cc.clone() },
                    1 => teapot(),
                    _ => Outcome::Ok,
                };
                finished(s, &cc, kinds[k], now, outcome.clone());
                if outcome == Outcome::Ok && k + 1 < kinds.len() {
                    waiting.push((cc, k + 1));
                } else {
                    done(s, &cc, outcome, now);
                }
            } else {
                s.apply(Event::Finished {
                    elapsed_s: now / 1000.0,
                });
                return peak;
            }
            assert_eq!(s.in_flight, flying.len());
            assert!(s.counts().total() <= plan.cc_list.len());
        }
    }

    #[test]
    fn property_sum_and_peak_through_random_runs() {
        let mut rng = Rng(99);
        let mut s = Session::default();
        for run in 0..300 {
            let mode = ["sequential", "concurrent", "flags2", "flags3"][rng.below(4)];
            let max_req = (1 + rng.below(40)).to_string();
            let letters = ["a", "b c", "BR CN US", "z y x w", ""][rng.below(5)];
            let verbose = if rng.chance(50) { "true" } else { "false" };
            let plan = plan_for(&[
                (Field::Mode, mode),
                (Field::MaxReq, &max_req),
                (Field::CountryCodes, letters),
                (Field::Verbose, verbose),
            ]);
            let searched = plan.cc_list.len();
            let slots = plan.actual_req;
            s.apply(Event::Started(plan));
            let stop_at = rng.chance(40).then(|| rng.below(200));
            let peak = simulate(&mut s, &mut rng, stop_at);
            assert!(!s.is_running());
            let c = s.counts();
            assert_eq!(c.total(), searched, "run {run}: {c:?}");
            assert_eq!(s.progress(), (searched, searched));
            assert_eq!(s.peak_in_flight, peak, "run {run}");
            assert!(s.peak_in_flight <= slots);
            assert!(
                s.timeline
                    .iter()
                    .all(|b| b.end_ms.is_some() && b.slot < slots)
            );
            assert_eq!(s.saved.len(), 0, "the simulation saves nothing");
            let row = s.history.last().unwrap();
            assert_eq!(row.counts, c);
            assert_eq!(row.run_no, run + 1);
            // The report shows the sum: its count lines add up to the codes searched.
            if mode.starts_with("flags") {
                let sum: usize = s
                    .transcript
                    .iter()
                    .skip_while(|l| *l != SEPARATOR)
                    .skip(1)
                    .filter(|l| !l.starts_with("Elapsed"))
                    .map(|l| {
                        l.split_whitespace()
                            .next()
                            .unwrap()
                            .parse::<usize>()
                            .unwrap()
                    })
                    .sum();
                assert_eq!(sum, searched, "{:?}", s.transcript);
            }
        }
        assert_eq!(s.history.len(), 300);
    }

    #[test]
    fn peak_in_flight_is_measured() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, "flags2"),
            (Field::MaxReq, "4"),
        ])));
        let list = s.plan.as_ref().unwrap().cc_list.clone();
        // A staircase: 1, 2, 3 in flight, down to 1, up to 3 again.
        started(&mut s, &list[0], Kind::Flag, 0.0);
        started(&mut s, &list[1], Kind::Flag, 1.0);
        started(&mut s, &list[2], Kind::Flag, 2.0);
        finished(&mut s, &list[0], Kind::Flag, 3.0, Outcome::Ok);
        finished(&mut s, &list[1], Kind::Flag, 4.0, Outcome::Ok);
        assert_eq!((s.in_flight, s.peak_in_flight), (1, 3));
        started(&mut s, &list[3], Kind::Flag, 5.0);
        started(&mut s, &list[4], Kind::Flag, 6.0);
        assert_eq!((s.in_flight, s.peak_in_flight), (3, 3));
        // The freed slots are reused, lowest first.
        let slots: Vec<usize> = s.timeline.iter().map(|b| b.slot).collect();
        assert_eq!(slots, [0, 1, 2, 0, 1]);
        assert_eq!(s.slots(), 4);
        // A new run starts from zero and keeps the history.
        s.apply(Event::Cancelled { elapsed_s: 0.01 });
        s.apply(Event::Started(plan_for(&[])));
        assert_eq!((s.in_flight, s.peak_in_flight, s.runs_started), (0, 0, 2));
        assert!(s.timeline.is_empty());
        assert_eq!(s.history.len(), 1);
    }

    #[test]
    fn labels_and_references() {
        for mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.key()), Some(mode));
            assert!(mode.python_reference().path.ends_with(".py"));
            assert!(mode.label().starts_with(mode.key()));
        }
        for server in Server::ALL {
            assert_eq!(Server::parse(&server.key().to_lowercase()), Some(server));
            assert!(server.label().starts_with(server.key()));
        }
        for field in Field::ALL {
            assert!(!field.key().is_empty() && !field.label().is_empty());
        }
        assert_eq!(
            Mode::Flags2.python_reference().file_name(),
            "flags2_asyncio.py"
        );
        assert_eq!(
            Mode::Flags3.python_reference().file_name(),
            "flags3_asyncio.py"
        );
        assert_eq!(
            HISTORY_COLUMNS.len(),
            HistoryRow {
                run_no: 1,
                mode: Mode::Flags2,
                server: Server::Local,
                codes: 1,
                max_concurrent: 1,
                counts: Counts::default(),
                peak_in_flight: 0,
                elapsed_s: 0.0,
                stopped: false,
            }
            .cells()
            .len()
        );
        let f = form(&[(Field::Mode, "flags3")]);
        assert_eq!(
            f.placeholder(Field::MaxReq).unwrap(),
            "default: 5 (capped at 1000)"
        );
    }

    #[test]
    fn zip_holds_every_saved_file() {
        let files = [
            ("downloaded/Brazil.svg", b"<svg>br</svg>".as_slice()),
            ("downloaded/China.svg", b"<svg/>".as_slice()),
        ];
        let bytes = make_zip(files).unwrap();
        let archive = rawzip::ZipArchive::from_slice(&bytes).unwrap();
        let mut entries = archive.entries();
        let mut found = Vec::new();
        while let Some(entry) = entries.next_entry().unwrap() {
            let path = entry
                .file_path()
                .try_normalize()
                .unwrap()
                .as_ref()
                .to_string();
            let data = archive
                .get_entry(entry.wayfinder())
                .unwrap()
                .data()
                .to_vec();
            found.push((path, data));
        }
        assert_eq!(
            found,
            vec![
                (
                    "downloaded/Brazil.svg".to_string(),
                    b"<svg>br</svg>".to_vec()
                ),
                ("downloaded/China.svg".to_string(), b"<svg/>".to_vec()),
            ]
        );
    }

    #[test]
    fn peak_overlap_counts_what_was_open_together() {
        assert_eq!(peak_overlap(&[]), 0);
        assert_eq!(peak_overlap(&[(0.0, 10.0)]), 1);
        assert_eq!(
            peak_overlap(&[(0.0, 10.0), (10.0, 20.0)]),
            1,
            "back to back"
        );
        assert_eq!(
            peak_overlap(&[(0.0, 10.0), (5.0, 20.0), (6.0, 7.0), (19.0, 30.0)]),
            3
        );
        let six_at_a_time: Vec<(f64, f64)> = (0..30)
            .map(|i| ((i / 6) as f64 * 10.0, (i / 6 + 1) as f64 * 10.0))
            .collect();
        assert_eq!(peak_overlap(&six_at_a_time), 6);
    }
}
