//! The executors lab's form: its fields (declared once), their checks, the URL, and the
//! typed parameters of a run.

use super::choices::{Collect, Demo, Server};
use super::delays::{DEFAULT_DELAYS, Delay, parse_delays};
use super::transcript::is_scaled;
use crate::labs::choice::Choice;
use crate::labs::flags::POP20_CC;
use crate::labs::form::{FieldErrors, FormText, LabForm, Validation, lab_form};
use crate::pyfmt::repr_str;
use crate::text::{parse_decimal, shorten, whole_in};

pub const WORKERS_RANGE: (usize, usize) = (1, 64);
/// One slot per default call, so each has its own lane on the Gantt chart and no job waits
/// for a slot: the only wait left is map's (the book's pool has 3).
pub const DEFAULT_WORKERS: usize = 4;
/// Slower than 10× real time is no use.
pub const MAX_TIME_SCALE: f64 = 10.0;

lab_form! {
    /// The form as typed: raw text per field, validated on Run.
    pub struct ExecutorsForm;
    /// A form field of the lab.
    enum Field;
    /// Every field, parsed.
    struct ExecutorsFields {
        Demo / demo: Demo = "demo", "Demo",
            default Demo::Loiter.key(), parse Demo::parse_field;
        Delays / delays: Vec<Delay> = "delays", "Delays (s)",
            default DEFAULT_DELAYS, parse parse_delays;
        MaxWorkers / workers: usize = "workers", "Max workers",
            default DEFAULT_WORKERS.to_string(), parse parse_workers;
        CollectWith / collect: Collect = "collect", "Collect with",
            default Collect::Map.key(), parse parse_collect;
        TimeScale / time_scale: f64 = "scale", "Time scale",
            default "1", parse parse_time_scale;
        Server / server: Server = "server", "Server",
            default Server::Local.key(), parse parse_server;
    }
}

fn parse_workers(value: &str) -> Result<usize, String> {
    whole_in(value, "Max workers", WORKERS_RANGE)
}

fn parse_collect(value: &str) -> Result<Collect, String> {
    Collect::parse(value).ok_or_else(|| "Collect with must be map or as_completed.".to_string())
}

fn parse_time_scale(value: &str) -> Result<f64, String> {
    match parse_decimal(value) {
        None => Err("Time scale must be a number, e.g. 1 or 0.1.".to_string()),
        Some(s) if s <= 0.0 => Err(
            "Time scale must be greater than 0 (1 = real seconds, 0.1 = ten times faster)."
                .to_string(),
        ),
        Some(s) if s > MAX_TIME_SCALE => {
            Err(format!("Time scale must be at most {MAX_TIME_SCALE}."))
        }
        Some(s) => Ok(s),
    }
}

/// Case-insensitive, as `--server` is.
fn parse_server(value: &str) -> Result<Server, String> {
    Server::parse(value).ok_or_else(|| "Server must be LOCAL or DELAY.".to_string())
}

/// flags_threadpool_ac's list: the first 5 of POP20_CC, sorted — `BR CN ID IN US`.
pub fn flag_codes() -> Vec<String> {
    // Strings, sorted by the same sort as the flags lab's code lists.
    let mut codes: Vec<String> = POP20_CC[..5].iter().map(|cc| cc.to_string()).collect();
    codes.sort_unstable();
    codes
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
                .map(|cc| format!("download_one({})", repr_str(cc)))
                .unwrap_or_default(),
        }
    }

    /// Job `id` as the Stop line names it: `loiter(3)`, `download_one('BR')`.
    pub fn short_call(&self, id: usize) -> String {
        match self.demo {
            Demo::Loiter => self.delays.get(id).map(Delay::label).unwrap_or_default(),
            Demo::FlagsAc => self.call(id),
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
        is_scaled(self.time_scale)
    }

    /// The flags demo against DELAY needs the service worker that serves it.
    pub fn needs_service_worker(&self) -> bool {
        self.demo == Demo::FlagsAc && self.server.needs_service_worker()
    }
}

/// Compare's button text, for the demo that has a contrast to show.
pub fn compare_label(demo: Demo) -> Option<&'static str> {
    match demo {
        Demo::Loiter => Some("Compare map with as_completed"),
        Demo::FlagsAc => None,
    }
}

/// The two runs Compare makes of the reader's parameters: the same calls collected with
/// map, then with as_completed.
pub fn compare_pair(params: &ExecutorsParams) -> (ExecutorsParams, ExecutorsParams) {
    let (mut first, mut second) = (params.clone(), params.clone());
    first.collect = Collect::Map;
    second.collect = Collect::AsCompleted;
    (first, second)
}

impl ExecutorsForm {
    /// The chosen demo, or loiter while the text is not one.
    pub fn demo(&self) -> Demo {
        Demo::parse(&self.demo).unwrap_or(Demo::Loiter)
    }
}

impl LabForm for ExecutorsForm {
    type Params = ExecutorsParams;

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

    /// Every field the demo uses, parsed once; all messages at once, one per field.
    fn validate(&self) -> Result<ExecutorsParams, FieldErrors<Field>> {
        let fields = self.parse();
        let mut v = Validation::default();
        let demo = v.take(fields.demo);
        match self.demo() {
            Demo::Loiter => {
                let delays = v.take(fields.delays);
                let workers = v.take(fields.workers);
                let collect = v.take(fields.collect);
                let time_scale = v.take(fields.time_scale);
                v.finish(|| {
                    Some(ExecutorsParams {
                        demo: demo?,
                        delays: delays?,
                        codes: Vec::new(),
                        workers: workers?,
                        collect: collect?,
                        time_scale: time_scale?,
                        server: Server::Local,
                    })
                })
            }
            Demo::FlagsAc => {
                let workers = v.take(fields.workers);
                let server = v.take(fields.server);
                v.finish(|| {
                    Some(ExecutorsParams {
                        demo: demo?,
                        delays: Vec::new(),
                        codes: flag_codes(),
                        workers: workers?,
                        collect: Collect::AsCompleted,
                        time_scale: 1.0,
                        server: server?,
                    })
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::form::FormField;

    fn form(pairs: &[(Field, &str)]) -> ExecutorsForm {
        ExecutorsForm::default().with(pairs)
    }

    fn errors_of(form: &ExecutorsForm) -> Vec<Field> {
        form.error_fields()
    }

    fn params(pairs: &[(Field, &str)]) -> ExecutorsParams {
        form(pairs).validate().unwrap()
    }

    fn check_field(field: Field, value: &str) -> Result<(), String> {
        ExecutorsForm::check(field, value)
    }

    #[test]
    fn defaults_put_a_slow_call_first_one_slot_each() {
        let p = ExecutorsForm::default().validate().unwrap();
        assert_eq!(p.demo, Demo::Loiter);
        let entries: Vec<String> = p.delays.iter().map(Delay::entry).collect();
        assert_eq!(entries, ["3", "0", "1", "2"]);
        assert_eq!(p.workers, 4);
        assert_eq!(p.collect, Collect::Map);
        assert_eq!(p.time_scale, 1.0);

        let flags = params(&[(Field::Demo, "flags_threadpool_ac")]);
        assert_eq!(flags.codes, ["BR", "CN", "ID", "IN", "US"]);
        assert_eq!(flags.workers, 4);
        assert_eq!(flags.server, Server::Local);
        assert_eq!(flags.collect, Collect::AsCompleted);
        assert_eq!(flags.jobs_text(), "BR CN ID IN US (LOCAL)");
        assert_eq!(flags.call(0), "download_one('BR')");
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
        let many = vec!["1"; super::super::delays::MAX_DELAYS + 1].join(" ");
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
    fn error_messages_name_the_field() {
        assert_eq!(
            check_field(Field::Demo, "nope").unwrap_err(),
            "Demo must be one of loiter, flags_threadpool_ac."
        );
        assert_eq!(
            check_field(Field::CollectWith, "zip").unwrap_err(),
            "Collect with must be map or as_completed."
        );
        assert_eq!(
            check_field(Field::Server, "ERROR").unwrap_err(),
            "Server must be LOCAL or DELAY."
        );
        assert_eq!(Field::MaxWorkers.key(), "workers");
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
        assert!(notices[1].contains("workers=0") && notices[1].contains("`4`"));
    }

    #[test]
    fn compare_collects_the_same_calls_with_map_then_as_completed() {
        let p = params(&[
            (Field::Delays, "2 !1 0"),
            (Field::MaxWorkers, "2"),
            (Field::CollectWith, "as_completed"),
            (Field::TimeScale, "0.5"),
        ]);
        let (a, b) = compare_pair(&p);
        assert_eq!((a.collect, b.collect), (Collect::Map, Collect::AsCompleted));
        for run in [&a, &b] {
            assert_eq!((&run.delays, run.workers, run.time_scale), (&p.delays, 2, 0.5));
        }
        assert_eq!(compare_label(Demo::Loiter), Some("Compare map with as_completed"));
        assert_eq!(compare_label(Demo::FlagsAc), None);
    }
}
