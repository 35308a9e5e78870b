//! The flags lab's form: flags2's command line as fields (declared once), with the CLI's own
//! usage messages, the URL, and the typed parameters of a run.
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
//! or 5), Seed (unseeded: different delays and errors each run), Country codes (`POP20_CC`)
//! and Extension (the server's own: `svg` on ours, `gif` on REMOTE, the book's site). The
//! URL carries the Extension only when it differs from the server's.
//!
//! [`FLAGS_PY_TIMEOUT_S`]: super::choices::FLAGS_PY_TIMEOUT_S

use super::choices::{DEFAULT_TIMEOUT_S, Extension, MAX_CONCUR_REQ, Mode, Server};
use super::cli::{
    POP20_CC, cc_tokens, parse_bool, parse_cc_args, parse_float, parse_positive, parse_seconds,
};
use super::server::{
    DEFAULT_ERROR_RATE, DEFAULT_MAX_DELAY_S, DEFAULT_MIN_DELAY_S, REMOTE_BASE_URL, ServerParams,
};
use crate::labs::choice::Choice;
use crate::labs::form::{FieldErrors, FormField, FormText, LabForm, Parsed, Validation, lab_form};
use crate::text::{U64Error, parse_u64};

/// The largest delay and timeout the form accepts, in seconds.
pub const MAX_SECONDS: f64 = 60.0;

lab_form! {
    /// The form as typed: raw text per field, validated on Run. By default flags.py against
    /// DELAY (0.1 to 0.3 s an answer) for the 20 `POP20_CC`: a first Run takes a few seconds
    /// and shows what waiting one after another costs (Compare then runs concurrent on the
    /// same delays); the other fields hold the scripts' defaults.
    pub struct FlagsForm;
    /// A form field of the lab.
    enum Field;
    /// Every field, parsed.
    struct FlagsFields {
        Mode / mode: Mode = "mode", "Mode",
            default Mode::Sequential.key(), parse Mode::parse_field;
        Server / server: Server = "server", "Server",
            default Server::Delay.key(), parse parse_server;
        BaseUrl / base_url: String = "base_url", "Base URL",
            default REMOTE_BASE_URL, parse parse_base_url;
        MinDelay / min_delay: f64 = "min_delay", "Min delay (s)",
            default DEFAULT_MIN_DELAY_S.to_string(), parse parse_min_delay;
        MaxDelay / max_delay: f64 = "max_delay", "Max delay (s)",
            default DEFAULT_MAX_DELAY_S.to_string(), parse parse_max_delay;
        ErrorRate / error_rate: f64 = "error_rate", "Error rate",
            default DEFAULT_ERROR_RATE.to_string(), parse parse_error_rate;
        Seed / seed: Option<u32> = "seed", "Seed",
            default "", parse parse_seed;
        Ext / ext: Option<Extension> = "ext", "Extension",
            default "", parse parse_extension;
        CountryCodes / cc: Vec<String> = "cc", "Country codes",
            default POP20_CC.join(" "), parse parse_cc_args;
        All / all: bool = "all", "All (-a)",
            default "false", parse parse_all;
        Every / every: bool = "every", "Every (-e)",
            default "false", parse parse_every;
        Limit / limit: Option<usize> = "limit", "Limit (-l)",
            default "", parse parse_limit;
        MaxReq / max_req: Option<usize> = "max_req", "Max concurrent (-m)",
            default "", parse parse_max_req;
        Verbose / verbose: bool = "verbose", "Verbose (-v)",
            default "false", parse parse_verbose;
        Timeout / timeout: f64 = "timeout", "Timeout (s)",
            default DEFAULT_TIMEOUT_S.to_string(), parse parse_timeout;
    }
}

/// Case-insensitive, as `args.server.upper()`; the message lists the labels as the CLI does.
fn parse_server(value: &str) -> Result<Server, String> {
    Server::parse(value)
        .ok_or_else(|| "--server LABEL must be one of DELAY, ERROR, LOCAL, REMOTE".to_string())
}

/// An http(s) URL without query or fragment; trimmed, without trailing `/`.
fn parse_base_url(value: &str) -> Result<String, String> {
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
                Ok(url.trim_end_matches('/').to_string())
            }
        }
        _ => Err("--base_url must be an http:// or https:// URL".to_string()),
    }
}

fn parse_min_delay(value: &str) -> Result<f64, String> {
    parse_seconds(value, "--min_delay", MAX_SECONDS)
}

fn parse_max_delay(value: &str) -> Result<f64, String> {
    parse_seconds(value, "--max_delay", MAX_SECONDS)
}

fn parse_error_rate(value: &str) -> Result<f64, String> {
    match parse_float(value, "--error_rate")? {
        p if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err("--error_rate must be from 0 to 1".to_string()),
    }
}

/// Empty is unseeded.
fn parse_seed(value: &str) -> Result<Option<u32>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    match parse_u64(value) {
        Ok(n) => u32::try_from(n)
            .map(Some)
            .map_err(|_| format!("--seed must be from 0 to {}", u32::MAX)),
        Err(U64Error::TooLarge | U64Error::Negative) => {
            Err(format!("--seed must be from 0 to {}", u32::MAX))
        }
        Err(_) => Err(format!(
            "argument --seed: invalid int value: {}",
            crate::pyfmt::repr_str(value)
        )),
    }
}

/// Empty is the server's own extension.
fn parse_extension(value: &str) -> Result<Option<Extension>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    Extension::parse_field(value).map(Some)
}

fn checkbox(value: &str, field: Field) -> Result<bool, String> {
    parse_bool(value).ok_or_else(|| format!("{} must be true or false.", field.label()))
}

fn parse_all(value: &str) -> Result<bool, String> {
    checkbox(value, Field::All)
}

fn parse_every(value: &str) -> Result<bool, String> {
    checkbox(value, Field::Every)
}

fn parse_verbose(value: &str) -> Result<bool, String> {
    checkbox(value, Field::Verbose)
}

fn parse_limit(value: &str) -> Result<Option<usize>, String> {
    parse_positive(value, "-l/--limit", "--limit N must be >= 1")
}

fn parse_max_req(value: &str) -> Result<Option<usize>, String> {
    parse_positive(value, "-m/--max_req", "--max_req CONCURRENT must be >= 1")
}

fn parse_timeout(value: &str) -> Result<f64, String> {
    match parse_float(value, "--timeout")? {
        t if t <= 0.0 => Err("--timeout must be > 0".to_string()),
        t if t > MAX_SECONDS => Err(format!("--timeout must be <= {MAX_SECONDS}")),
        t => Ok(t),
    }
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
}

impl Field {
    /// All, Every and Verbose: text `true` / `false`.
    pub fn is_checkbox(self) -> bool {
        matches!(self, Field::All | Field::Every | Field::Verbose)
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

    /// The extension a run asks for: the one chosen, else the server's own (also while
    /// the text is not one).
    pub fn extension(&self) -> Extension {
        parse_extension(&self.ext)
            .ok()
            .flatten()
            .unwrap_or(self.server().default_extension())
    }

    /// A checkbox's state (`false` while its text is not `true`).
    pub fn flag(&self, field: Field) -> bool {
        parse_bool(self.get(field)).unwrap_or(false)
    }

    /// Whether the CLI uses the CC arguments: not with `-a` or `-e`.
    fn uses_cc_args(&self) -> bool {
        !(self.mode().has_cli() && (self.flag(Field::All) || self.flag(Field::Every)))
    }

    /// The line under a field, if any: slow_server.py's own delays beside the lab's.
    pub fn hint(field: Field) -> Option<&'static str> {
        match field {
            Field::MinDelay => Some("slow_server.py: 0.5"),
            Field::MaxDelay => Some("slow_server.py: 5"),
            _ => None,
        }
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
}

/// What Compare runs.
pub const COMPARE_LABEL: &str = "Compare sequential with concurrent on DELAY";

/// The two runs Compare makes of the reader's parameters: flags.py then flags_asyncio.py on
/// the DELAY server, the same codes, the same delays (the form's when it asks DELAY or ERROR,
/// else the lab's) and the same seed (`fresh_seed` when Seed is empty), so the two runs wait
/// the same time for each flag and only the order of the waits differs.
pub fn compare_pair(params: &FlagsParams, fresh_seed: u32) -> (FlagsParams, FlagsParams) {
    let slow = matches!(params.server.server, Server::Delay | Server::Error);
    let (min_delay_s, max_delay_s) = if slow {
        (params.server.min_delay_s, params.server.max_delay_s)
    } else {
        (DEFAULT_MIN_DELAY_S, DEFAULT_MAX_DELAY_S)
    };
    let server = ServerParams {
        server: Server::Delay,
        min_delay_s,
        max_delay_s,
        error_rate: 0.0,
        seed: Some(params.server.seed.unwrap_or(fresh_seed)),
        base_url: params.server.base_url.clone(),
        ext: Server::Delay.default_extension(),
    };
    let with_mode = |mode: Mode| FlagsParams {
        mode,
        server: server.clone(),
        cc_args: params.cc_args.clone(),
        all: false,
        every: false,
        limit: None,
        max_req: None,
        verbose: false,
        timeout_s: mode.script_timeout_s(),
    };
    (with_mode(Mode::Sequential), with_mode(Mode::Concurrent))
}

/// The field's value when it is in use (its message recorded if it fails), else `unused`.
fn take_or<T>(
    v: &mut Validation<Field>,
    in_use: &[Field],
    parsed: Parsed<Field, T>,
    unused: T,
) -> Option<T> {
    if in_use.contains(&parsed.field) {
        v.take(parsed)
    } else {
        Some(unused)
    }
}

impl LabForm for FlagsForm {
    type Params = FlagsParams;

    /// The fields in use, in form order: Mode and Server; the server's parameters (Base
    /// URL for REMOTE; Min/Max delay, Error rate (ERROR only) and Seed for DELAY and
    /// ERROR); the Extension; Country codes (unless `-a`/`-e`); for flags2/flags3 the CLI
    /// options and the Timeout.
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
        fields.push(Field::Ext);
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

    /// Every field in use parsed once; all messages at once, one per field, in form order
    /// (`--min_delay must be <= --max_delay` only once each field is fine on its own).
    /// Fields not in use take what the script would use without them.
    fn validate(&self) -> Result<FlagsParams, FieldErrors<Field>> {
        let in_use = self.fields();
        let p = self.parse();
        let mut v = Validation::default();
        let mode = v.take(p.mode);
        let server = v.take(p.server);
        let base_url = take_or(&mut v, &in_use, p.base_url, REMOTE_BASE_URL.to_string());
        let min_delay_s = take_or(&mut v, &in_use, p.min_delay, DEFAULT_MIN_DELAY_S);
        let max_delay_s = take_or(&mut v, &in_use, p.max_delay, DEFAULT_MAX_DELAY_S);
        let error_rate = take_or(&mut v, &in_use, p.error_rate, 0.0);
        let seed = take_or(&mut v, &in_use, p.seed, None);
        let ext = take_or(&mut v, &in_use, p.ext, None);
        let cc_args = take_or(&mut v, &in_use, p.cc, Vec::new());
        let all = take_or(&mut v, &in_use, p.all, false);
        let every = take_or(&mut v, &in_use, p.every, false);
        let limit = take_or(&mut v, &in_use, p.limit, None);
        let max_req = take_or(&mut v, &in_use, p.max_req, None);
        let verbose = take_or(&mut v, &in_use, p.verbose, false);
        let timeout_s = take_or(&mut v, &in_use, p.timeout, self.mode().script_timeout_s());
        let both_delays = in_use.contains(&Field::MinDelay) && in_use.contains(&Field::MaxDelay);
        if !v.has_errors() && both_delays && min_delay_s > max_delay_s {
            v.reject(
                Field::MinDelay,
                "--min_delay must be <= --max_delay".to_string(),
            );
        }
        v.finish(|| {
            let server = server?;
            Some(FlagsParams {
                mode: mode?,
                server: ServerParams {
                    server,
                    min_delay_s: min_delay_s?,
                    max_delay_s: max_delay_s?,
                    error_rate: error_rate?,
                    seed: seed?,
                    base_url: base_url?,
                    ext: ext?.unwrap_or(server.default_extension()),
                },
                cc_args: cc_args?,
                all: all?,
                every: every?,
                limit: limit?,
                max_req: max_req?,
                verbose: verbose?,
                timeout_s: timeout_s?,
            })
        })
    }

    /// A field's URL value: `None` to leave it out (an unchecked box, an empty field, the
    /// server's own extension). Valid country codes are written one space apart.
    fn url_value(&self, field: Field) -> Option<String> {
        let raw = self.get(field);
        if field.is_checkbox() {
            return self.flag(field).then(|| "true".to_string());
        }
        if field == Field::Ext {
            let ext = self.extension();
            return (ext != self.server().default_extension()).then(|| ext.key().to_string());
        }
        if raw.trim().is_empty() {
            return None;
        }
        match (field, parse_cc_args(raw)) {
            (Field::CountryCodes, Ok(_)) => Some(cc_tokens(raw).collect::<Vec<_>>().join(" ")),
            _ => Some(raw.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::choices::{FLAGS_PY_TIMEOUT_S, Kind};
    use super::super::testing::{PAGE, form, sorted_pop20, strings};
    use super::*;

    fn errors_of(form: &FlagsForm) -> Vec<(Field, String)> {
        form.validate().err().unwrap_or_default()
    }

    fn error_of(pairs: &[(Field, &str)]) -> String {
        let errors = errors_of(&form(pairs));
        assert_eq!(errors.len(), 1, "{pairs:?}: {errors:?}");
        errors[0].1.clone()
    }

    fn owned_query(query: Vec<(&'static str, String)>) -> Vec<(String, String)> {
        query.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

    #[test]
    fn defaults_are_the_books_on_a_short_delay() {
        let f = FlagsForm::default();
        assert_eq!(
            f.fields(),
            [
                Field::Mode,
                Field::Server,
                Field::MinDelay,
                Field::MaxDelay,
                Field::Seed,
                Field::Ext,
                Field::CountryCodes
            ]
        );
        let params = f.validate().unwrap();
        assert_eq!(params.mode, Mode::Sequential);
        assert_eq!(
            params.server,
            ServerParams {
                server: Server::Delay,
                error_rate: 0.0,
                ..ServerParams::default()
            }
        );
        // 20 waits one after another: about 20 × 0.2 s, a first run of a few seconds.
        let (min, max) = (params.server.min_delay_s, params.server.max_delay_s);
        assert!(20.0 * min >= 1.0 && 20.0 * max <= 8.0, "{min}..{max}");
        assert!(max < DEFAULT_TIMEOUT_S, "no timeouts by default, even at flags2's 3.1 s");
        assert_eq!(FlagsForm::hint(Field::MinDelay), Some("slow_server.py: 0.5"));
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
                    Field::MinDelay,
                    Field::MaxDelay,
                    Field::Seed,
                    Field::Ext,
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
    fn compare_runs_sequential_then_concurrent_on_the_same_delays_codes_and_seed() {
        let flags2 = form(&[
            (Field::Mode, "flags2"),
            (Field::Server, "ERROR"),
            (Field::MinDelay, "0.2"),
            (Field::MaxDelay, "0.4"),
            (Field::CountryCodes, "br cn"),
            (Field::MaxReq, "3"),
            (Field::Verbose, "true"),
            (Field::Timeout, "0.5"),
        ]);
        let (first, second) = compare_pair(&flags2.validate().unwrap(), 99);
        assert_eq!((first.mode, second.mode), (Mode::Sequential, Mode::Concurrent));
        for p in [&first, &second] {
            assert_eq!(p.server.server, Server::Delay);
            assert_eq!((p.server.min_delay_s, p.server.max_delay_s), (0.2, 0.4));
            assert_eq!((p.server.error_rate, p.server.seed), (0.0, Some(99)));
            assert_eq!(p.cc_args, strings(&["BR", "CN"]));
            assert_eq!((p.max_req, p.verbose), (None, false));
            assert_eq!(p.timeout_s, FLAGS_PY_TIMEOUT_S, "the scripts' own timeout");
        }
        assert_eq!(first.plan(&[], PAGE).actual_req, 1);
        assert_eq!(second.plan(&[], PAGE).actual_req, 2);
        // The same seed: every path waits the same in both runs.
        assert_eq!(
            first.server.url("BR", Kind::Flag),
            second.server.url("BR", Kind::Flag)
        );
        // A seed typed in is kept; LOCAL or REMOTE compare on the lab's delays.
        let local = form(&[(Field::Server, "LOCAL"), (Field::Seed, "7")]);
        let (a, b) = compare_pair(&local.validate().unwrap(), 99);
        assert_eq!(a.server.seed, Some(99), "Seed is not in use on LOCAL");
        assert_eq!((a.server.min_delay_s, b.server.max_delay_s), (DEFAULT_MIN_DELAY_S, DEFAULT_MAX_DELAY_S));
        let seeded = form(&[(Field::Seed, "7")]);
        let (a, b) = compare_pair(&seeded.validate().unwrap(), 99);
        assert_eq!((a.server.seed, b.server.seed), (Some(7), Some(7)));
    }

    #[test]
    fn fields_follow_mode_and_server() {
        let server_fields = |server: &str| {
            let f = form(&[(Field::Server, server)]);
            f.fields()[2..f.fields().len() - 1].to_vec()
        };
        assert_eq!(server_fields("LOCAL"), [Field::Ext]);
        assert_eq!(server_fields("remote"), [Field::BaseUrl, Field::Ext]);
        assert_eq!(
            server_fields("DELAY"),
            [Field::MinDelay, Field::MaxDelay, Field::Seed, Field::Ext]
        );
        assert_eq!(
            server_fields("Error"),
            [
                Field::MinDelay,
                Field::MaxDelay,
                Field::ErrorRate,
                Field::Seed,
                Field::Ext
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
        assert!(flags2(Field::CountryCodes, "abc").starts_with(super::super::cli::CC_USAGE));
        assert!(flags2(Field::CountryCodes, "é").starts_with(super::super::cli::CC_USAGE));
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
            delay(Field::MaxDelay, "0.05"),
            "--min_delay must be <= --max_delay"
        );
        assert_eq!(
            errors_of(&form(&[(Field::Server, "DELAY"), (Field::MaxDelay, "0.05")]))[0].0,
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
                ext: Extension::Svg,
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

    #[test]
    fn the_extension_follows_the_server_unless_chosen() {
        let ext_of = |pairs: &[(Field, &str)]| form(pairs).validate().unwrap().server.ext;
        let url_ext = |pairs: &[(Field, &str)]| {
            let query = form(pairs).query();
            query.into_iter().find(|(k, _)| *k == "ext").map(|(_, v)| v)
        };
        // The server's own: SVG on ours, GIF on the book's site; not in the URL.
        for server in ["LOCAL", "DELAY", "ERROR"] {
            assert_eq!(ext_of(&[(Field::Server, server)]), Extension::Svg, "{server}");
            assert_eq!(url_ext(&[(Field::Server, server)]), None);
        }
        let remote = form(&[(Field::Server, "REMOTE")]).validate().unwrap();
        assert_eq!(remote.server.ext, Extension::Gif);
        assert_eq!(remote.server.base_url, "https://www.fluentpython.com/data/flags");
        assert_eq!(url_ext(&[(Field::Server, "REMOTE")]), None);
        // Chosen: it holds whatever the server, and the URL carries it when it differs.
        let svg_remote = [(Field::Server, "REMOTE"), (Field::Ext, "SVG")];
        assert_eq!(ext_of(&svg_remote), Extension::Svg);
        assert_eq!(url_ext(&svg_remote).as_deref(), Some("svg"));
        let gif_local = [(Field::Server, "LOCAL"), (Field::Ext, "gif")];
        assert_eq!(ext_of(&gif_local), Extension::Gif);
        assert_eq!(url_ext(&gif_local).as_deref(), Some("gif"));
        assert_eq!(url_ext(&[(Field::Server, "REMOTE"), (Field::Ext, "gif")]), None);
        let plan = form(&gif_local).validate().unwrap().plan(&[], PAGE);
        assert_eq!(plan.requests("BR")[0].1, "flags/br/br.gif");
        // A round trip through the URL keeps what runs.
        let (back, notices) = FlagsForm::from_query(&owned_query(form(&gif_local).query()));
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(back.extension(), Extension::Gif);
        // Anything else is refused next to the field.
        assert_eq!(
            error_of(&[(Field::Ext, "jpeg")]),
            "Extension must be one of gif, svg, png."
        );
        assert_eq!(form(&[(Field::Ext, "jpeg")]).extension(), Extension::Svg);
    }

    #[test]
    fn fields_and_placeholders() {
        for &field in Field::ALL {
            assert!(!field.key().is_empty() && !field.label().is_empty());
        }
        let f = form(&[(Field::Mode, "flags3")]);
        assert_eq!(
            f.placeholder(Field::MaxReq).unwrap(),
            "default: 5 (capped at 1000)"
        );
    }
}
