//! The rates lab's form: its fields (declared once), their checks, the URL, and the typed
//! parameters of a run.

use super::api::{SYMBOLS, ServerParams};
use super::choices::{Backend, Script};
use crate::labs::choice::Choice;
use crate::labs::form::{FieldErrors, FormText, LabForm, Validation, lab_form};
use crate::text::{ListField, optional_seed, parse_decimal, shorten, whole_in};

pub const MAX_BASES: usize = 50;
pub const WORKERS_RANGE: (usize, usize) = (1, 64);
pub const MAX_LATENCY_S: f64 = 10.0;
pub const MAX_RATE: f64 = 1000.0;

lab_form! {
    /// The form as typed: raw text per field, validated on Run.
    pub struct RatesForm;
    /// A form field of the lab.
    enum Field;
    /// Every field, parsed.
    struct RatesFields {
        Script / script: Script = "script", "Script",
            default Script::ThreadPool.key(), parse Script::parse_field;
        Bases / bases: Vec<&'static str> = "bases", "Bases",
            default SYMBOLS.join(" "), parse parse_bases;
        Workers / workers: usize = "workers", "Workers",
            default "4", parse parse_workers;
        Backend / backend: Backend = "backend", "Pool of",
            default Backend::Processes.key(), parse Backend::parse_field;
        Rate / rate: f64 = "rate", "Throttle rate (per s)",
            default "10", parse parse_rate;
        Latency / latency_s: f64 = "latency", "Latency (s)",
            default "0.3", parse parse_latency;
        ErrorRate / error_rate: f64 = "errors", "Error rate",
            default "0", parse parse_error_rate;
        Seed / seed: Option<u64> = "seed", "Seed",
            default "", parse optional_seed;
    }
}

const BASES: ListField = ListField {
    name: "Bases",
    one: "currency",
    many: "currencies",
    example: ", e.g. USD EUR PLN",
    max: MAX_BASES,
};

/// Currencies separated by spaces or commas, any case; each one of the matrix's.
fn parse_bases(value: &str) -> Result<Vec<&'static str>, String> {
    let entries: Vec<&str> = value
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .collect();
    BASES.parse(&entries, |_, entry| {
        SYMBOLS
            .iter()
            .copied()
            .find(|s| s.eq_ignore_ascii_case(entry))
            .ok_or_else(|| {
                format!(
                    "Bases: “{}” is not a currency the server knows; use {}.",
                    shorten(entry, 12),
                    SYMBOLS.join(", ")
                )
            })
    })
}

fn parse_workers(value: &str) -> Result<usize, String> {
    whole_in(value, "Workers", WORKERS_RANGE)
}

fn parse_rate(value: &str) -> Result<f64, String> {
    match parse_decimal(value) {
        None => Err("Throttle rate must be a number of requests per second, e.g. 10.".to_string()),
        Some(r) if r <= 0.0 => Err("Throttle rate must be greater than 0.".to_string()),
        Some(r) if r > MAX_RATE => Err(format!("Throttle rate must be at most {MAX_RATE}.")),
        Some(r) => Ok(r),
    }
}

fn parse_latency(value: &str) -> Result<f64, String> {
    match parse_decimal(value) {
        None => Err("Latency must be a number of seconds, e.g. 0.3.".to_string()),
        Some(s) if s < 0.0 => Err("Latency must not be negative.".to_string()),
        Some(s) if s > MAX_LATENCY_S => Err(format!("Latency must be at most {MAX_LATENCY_S} s.")),
        Some(s) => Ok(s),
    }
}

/// A probability from 0 to 1, as a decimal or a fraction (`1/6`, the book's).
fn parse_error_rate(value: &str) -> Result<f64, String> {
    let rate = match value.split_once('/') {
        Some((top, bottom)) => match (parse_decimal(top), parse_decimal(bottom)) {
            (Some(top), Some(bottom)) if bottom != 0.0 => Some(top / bottom),
            _ => None,
        },
        None => parse_decimal(value),
    };
    match rate {
        Some(p) if (0.0..=1.0).contains(&p) => Ok(p),
        Some(_) => Err("Error rate must be from 0 to 1 (a probability, e.g. 0.25 or 1/6).".to_string()),
        None => Err("Error rate must be a number from 0 to 1, e.g. 0.25 or 1/6.".to_string()),
    }
}

/// Validated parameters of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct RatesParams {
    pub script: Script,
    pub bases: Vec<&'static str>,
    /// The pool's size, for the scripts that have one (else the number of lanes it needs).
    pub workers: usize,
    pub backend: Backend,
    pub rate: f64,
    pub server: ServerParams,
}

impl RatesParams {
    /// How many workers the run starts: one per base, `Workers`, or none.
    pub fn worker_count(&self) -> usize {
        use super::choices::{Pulling, Shape};
        match self.script.shape() {
            Shape::Workers(Pulling::OnePerItem) => self.bases.len(),
            Shape::Workers(Pulling::Queue) => self.workers,
            Shape::MainThread | Shape::EventLoop => 0,
        }
    }
}

impl RatesForm {
    /// The chosen script, or the default while the text is not one.
    pub fn script(&self) -> Script {
        Script::parse(&self.script).unwrap_or(Script::ThreadPool)
    }
}

impl LabForm for RatesForm {
    type Params = RatesParams;

    /// The fields the chosen script uses, in form order.
    fn fields(&self) -> Vec<Field> {
        let script = self.script();
        let mut fields = vec![Field::Script, Field::Bases];
        if script.uses_workers_field() {
            fields.push(Field::Workers);
        }
        if script == Script::ProcessPool {
            fields.push(Field::Backend);
        }
        if script == Script::Throttling {
            fields.push(Field::Rate);
        }
        fields.extend([Field::Latency, Field::ErrorRate, Field::Seed]);
        fields
    }

    fn url_value(&self, field: Field) -> Option<String> {
        let text = self.get(field);
        (field != Field::Seed || !text.trim().is_empty()).then(|| text.to_string())
    }

    /// Every field the script uses, parsed once; all messages at once, one per field.
    fn validate(&self) -> Result<RatesParams, FieldErrors<Field>> {
        let parsed = self.parse();
        let fields = self.fields();
        let mut v = Validation::default();
        let script = v.take(parsed.script);
        let bases = v.take(parsed.bases);
        let workers = if fields.contains(&Field::Workers) {
            v.take(parsed.workers)
        } else {
            Some(4)
        };
        let backend = if fields.contains(&Field::Backend) {
            v.take(parsed.backend)
        } else {
            Some(Backend::Processes)
        };
        let rate = if fields.contains(&Field::Rate) {
            v.take(parsed.rate)
        } else {
            Some(10.0)
        };
        let latency_s = v.take(parsed.latency_s);
        let error_rate = v.take(parsed.error_rate);
        let seed = v.take(parsed.seed);
        v.finish(|| {
            Some(RatesParams {
                script: script?,
                bases: bases?,
                workers: workers?,
                backend: backend?,
                rate: rate?,
                server: ServerParams {
                    latency_s: latency_s?,
                    error_rate: error_rate?,
                    seed: seed?,
                },
            })
        })
    }
}

/// "Compare": one request after another, then all at once on the event loop.
pub const COMPARE_LABEL: &str = "Compare synchronous with async_gather";

/// The two runs Compare makes of the reader's parameters (same bases, same server).
pub fn compare_pair(params: &RatesParams) -> (RatesParams, RatesParams) {
    let (mut first, mut second) = (params.clone(), params.clone());
    first.script = Script::Synchronous;
    second.script = Script::AsyncGather;
    (first, second)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::labs::form::FormField;

    pub(crate) fn form(pairs: &[(Field, &str)]) -> RatesForm {
        RatesForm::default().with(pairs)
    }

    #[test]
    fn defaults_are_the_books() {
        let p = RatesForm::default().validate().unwrap();
        assert_eq!(p.script, Script::ThreadPool);
        assert_eq!(p.bases, ["USD", "EUR", "PLN", "NOK", "CZK"]);
        assert_eq!((p.workers, p.worker_count()), (4, 4));
        assert_eq!(p.server, ServerParams { latency_s: 0.3, error_rate: 0.0, seed: None });
        let per_item = form(&[(Field::Script, "one_thread_per_item")]).validate().unwrap();
        assert_eq!(per_item.worker_count(), 5);
        let sync = form(&[(Field::Script, "synchronous")]).validate().unwrap();
        assert_eq!(sync.worker_count(), 0);
    }

    #[test]
    fn bases_are_currencies_of_the_matrix() {
        let p = form(&[(Field::Bases, " usd,EUR  nok usd ")]).validate().unwrap();
        assert_eq!(p.bases, ["USD", "EUR", "NOK", "USD"]);
        let err = |text: &str| RatesForm::check(Field::Bases, text).unwrap_err();
        assert!(err("USD GBP").contains("“GBP” is not a currency"), "{}", err("USD GBP"));
        assert!(err("").contains("at least one currency"));
        assert!(err(&"USD ".repeat(51)).contains("at most 50"));
        assert!(RatesForm::check(Field::Bases, &"CZK ".repeat(50)).is_ok());
    }

    #[test]
    fn bad_input_is_reported_per_field() {
        let errors = |pairs: &[(Field, &str)]| form(pairs).error_fields();
        for bad in ["0", "65", "-1", "2.5", "x"] {
            assert_eq!(errors(&[(Field::Workers, bad)]), [Field::Workers], "{bad}");
        }
        for bad in ["-0.1", "10.5", "soon"] {
            assert_eq!(errors(&[(Field::Latency, bad)]), [Field::Latency], "{bad}");
        }
        for bad in ["1.5", "-0.1", "1/0", "half"] {
            assert_eq!(errors(&[(Field::ErrorRate, bad)]), [Field::ErrorRate], "{bad}");
        }
        for bad in ["0", "-5", "x"] {
            let f = form(&[(Field::Script, "throttling"), (Field::Rate, bad)]);
            assert_eq!(f.error_fields(), [Field::Rate], "{bad}");
        }
        assert_eq!(errors(&[(Field::Seed, "-3")]), [Field::Seed]);
        let both = errors(&[(Field::Bases, "XYZ"), (Field::Latency, "-1")]);
        assert_eq!(both, [Field::Bases, Field::Latency]);
    }

    #[test]
    fn only_the_scripts_fields_are_checked() {
        assert!(form(&[(Field::Script, "synchronous"), (Field::Workers, "0")]).validate().is_ok());
        assert!(form(&[(Field::Rate, "0")]).validate().is_ok());
        let f = form(&[(Field::Script, "async_gather")]);
        assert_eq!(f.fields(), [Field::Script, Field::Bases, Field::Latency, Field::ErrorRate, Field::Seed]);
    }

    #[test]
    fn the_books_error_rate_and_seed() {
        let p = form(&[(Field::ErrorRate, "1/6"), (Field::Seed, "42")]).validate().unwrap();
        assert!((p.server.error_rate - 1.0 / 6.0).abs() < 1e-12);
        assert_eq!(p.server.seed, Some(42));
        assert_eq!(Field::ErrorRate.key(), "errors");
    }

    #[test]
    fn url_round_trip_leaves_out_what_the_script_ignores() {
        let f = form(&[(Field::Script, "throttling"), (Field::Seed, "7")]);
        let query: Vec<(String, String)> =
            f.query().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let keys: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["script", "bases", "workers", "rate", "latency", "errors", "seed"]);
        let (back, notices) = RatesForm::from_query(&query);
        assert_eq!(back.validate(), f.validate());
        assert!(notices.is_empty());
        let unseeded: Vec<&str> = RatesForm::default().query().into_iter().map(|(k, _)| k).collect();
        assert!(!unseeded.contains(&"seed"));
    }

    #[test]
    fn compare_runs_synchronous_then_async_gather_on_the_same_bases() {
        let p = RatesForm::default().validate().unwrap();
        let (a, b) = compare_pair(&p);
        assert_eq!((a.script, b.script), (Script::Synchronous, Script::AsyncGather));
        assert_eq!((&a.bases, &a.server), (&b.bases, &b.server));
    }
}
