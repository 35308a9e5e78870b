//! The primes lab's form: its fields (declared once), their checks, the URL, and the
//! typed parameters of a run.

use super::choices::{Mode, Preset};
use super::numbers::{decode_numbers, numbers_query_value, parse_numbers};
use super::sweep::SweepPlan;
use crate::labs::choice::Choice;
use crate::labs::form::{FieldErrors, FormText, LabForm, Validation, lab_form};
use crate::text::whole_in;

pub const WORKERS_RANGE: (usize, usize) = (1, 64);
pub const RUNS_RANGE: (u32, u32) = (1, 20);
pub const MAX_N_RANGE: (usize, usize) = (1, 64);
/// The default Runs per N: the median of three already shrugs off one outlier.
pub const DEFAULT_RUNS: u32 = 3;
/// The default Max N is twice the CPU count (Figure 19-2 went to 20 on 12 threads, to
/// show the curve flatten past the cores), at least 2 and at most this cap, which keeps
/// a default sweep of the Book numbers to some tens of seconds.
pub const DEFAULT_MAX_N_CAP: usize = 24;
/// The CPU count the plain defaults assume (the page passes `navigator.hardwareConcurrency`).
pub const FALLBACK_CPUS: u32 = 4;

lab_form! {
    /// The form as typed: raw text per field, validated on Run.
    pub struct PrimesForm;
    /// A form field of the lab.
    enum Field;
    /// Every field, parsed.
    struct PrimesFields {
        Mode / mode: Mode = "mode", "Mode",
            default Mode::Procs.key(), parse Mode::parse_field;
        Workers / workers: usize = "workers", "Workers",
            default default_workers(FALLBACK_CPUS), parse parse_workers;
        Numbers / numbers: Vec<u64> = "numbers", "Numbers",
            default Preset::Book.text(), parse parse_numbers;
        RunsPerN / runs: u32 = "runs", "Runs per N",
            default DEFAULT_RUNS.to_string(), parse parse_runs;
        MaxN / max_n: usize = "max_n", "Max N",
            default default_max_n(FALLBACK_CPUS), parse parse_max_n;
    }
}

/// One worker per CPU, within the Workers range.
fn default_workers(cpus: u32) -> String {
    (cpus as usize)
        .clamp(WORKERS_RANGE.0, WORKERS_RANGE.1)
        .to_string()
}

/// Twice the CPUs, at least 2 and at most [`DEFAULT_MAX_N_CAP`].
fn default_max_n(cpus: u32) -> String {
    (cpus as usize)
        .saturating_mul(2)
        .clamp(2, DEFAULT_MAX_N_CAP)
        .to_string()
}

/// A whole number within `lo..=hi`; the message names the field.
fn parse_workers(value: &str) -> Result<usize, String> {
    whole_in(value, "Workers", WORKERS_RANGE)
}

fn parse_runs(value: &str) -> Result<u32, String> {
    whole_in(value, "Runs per N", RUNS_RANGE)
}

fn parse_max_n(value: &str) -> Result<usize, String> {
    whole_in(value, "Max N", MAX_N_RANGE)
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

impl PrimesForm {
    /// The defaults for a machine with `cpus` logical CPUs (`navigator.hardwareConcurrency`):
    /// procs with one worker per CPU (within 1..=64) on the Book numbers; for sweep,
    /// [`DEFAULT_RUNS`] runs per N up to twice the CPUs (see [`DEFAULT_MAX_N_CAP`]).
    pub fn with_cpu_count(cpus: u32) -> Self {
        PrimesForm {
            workers: default_workers(cpus),
            max_n: default_max_n(cpus),
            ..PrimesForm::default()
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

    /// Fills the form from URL parameters; unknown keys and invalid values fall back to
    /// the defaults for `cpus`, each with a notice for the reader.
    pub fn from_query(query: &[(String, String)], cpus: u32) -> (PrimesForm, Vec<String>) {
        PrimesForm::with_cpu_count(cpus).with_query(query)
    }
}

impl LabForm for PrimesForm {
    type Params = PrimesParams;

    /// The fields the chosen mode uses, in form order: the sequential modes have no
    /// Workers, sweep has Runs per N and Max N instead.
    fn fields(&self) -> Vec<Field> {
        match self.mode() {
            Mode::SequentialMain | Mode::SequentialWorker => vec![Field::Mode, Field::Numbers],
            Mode::Procs | Mode::Threads | Mode::PoolMap => {
                vec![Field::Mode, Field::Workers, Field::Numbers]
            }
            Mode::Sweep => vec![Field::Mode, Field::Numbers, Field::RunsPerN, Field::MaxN],
        }
    }

    /// Every field the mode uses, parsed once; all messages at once, one per field.
    fn validate(&self) -> Result<PrimesParams, FieldErrors<Field>> {
        let fields = self.parse();
        let mut v = Validation::default();
        let mode = v.take(fields.mode);
        let workers = match self.mode() {
            Mode::Procs | Mode::Threads | Mode::PoolMap => v.take(fields.workers),
            _ => Some(1),
        };
        let numbers = v.take(fields.numbers);
        let sweep =
            (self.mode() == Mode::Sweep).then(|| (v.take(fields.runs), v.take(fields.max_n)));
        v.finish(|| {
            let sweep = match sweep {
                Some((runs, max_n)) => Some(SweepPlan {
                    max_n: max_n?,
                    runs: runs?,
                }),
                None => None,
            };
            let numbers = numbers?;
            Some(PrimesParams {
                mode: mode?,
                // A sweep's pool grows to Max N.
                workers: sweep.map_or(workers?, |plan| plan.max_n),
                preset: Preset::matching(&numbers),
                numbers,
                sweep,
            })
        })
    }

    /// A field's URL value: the raw text, except Numbers, which is a preset's key
    /// (`book`, `heavy`) or, once valid, the numbers joined by commas.
    fn url_value(&self, field: Field) -> Option<String> {
        Some(match (field, parse_numbers(&self.numbers)) {
            (Field::Numbers, Ok(numbers)) => numbers_query_value(&numbers),
            _ => self.get(field).to_string(),
        })
    }

    /// Numbers come as a preset key or a comma list; the rest as typed.
    fn decode(field: Field, value: &str) -> Result<String, String> {
        match field {
            Field::Numbers => decode_numbers(value),
            _ => Self::check(field, value).map(|()| value.to_string()),
        }
    }
}

/// "Compare": procs.py with one worker, then with one per core (`cores`, at least 2).
pub fn compare_label(cores: u32) -> String {
    format!("Compare 1 worker with {}", cores.max(2))
}

/// The two runs Compare makes of the reader's numbers.
pub fn compare_pair(params: &PrimesParams, cores: u32) -> (PrimesParams, PrimesParams) {
    let procs = |workers: usize| PrimesParams {
        mode: Mode::Procs,
        workers,
        sweep: None,
        ..params.clone()
    };
    (procs(1), procs(cores.max(2) as usize))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::numbers::{BOOK, HEAVY};
    use super::*;
    use crate::labs::form::FormField;

    /// The defaults for 4 CPUs, with `pairs` typed in.
    pub(crate) fn form(pairs: &[(Field, &str)]) -> PrimesForm {
        PrimesForm::with_cpu_count(4).with(pairs)
    }

    fn errors_of(form: &PrimesForm) -> Vec<(Field, String)> {
        form.validate().err().unwrap_or_default()
    }

    fn owned(query: Vec<(&'static str, String)>) -> Vec<(String, String)> {
        query.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
    }

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
        for &mode in Mode::ALL {
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
        let check = PrimesForm::check;
        for ok in ["1", "64", " 12 "] {
            assert!(check(Field::Workers, ok).is_ok(), "{ok}");
        }
        for bad in ["0", "65", "-1", "abc", "", "1.5"] {
            assert_eq!(
                check(Field::Workers, bad),
                Err("Workers must be a whole number from 1 to 64.".to_string()),
                "{bad}"
            );
        }
        assert!(check(Field::RunsPerN, "20").is_ok());
        assert_eq!(
            check(Field::RunsPerN, "21"),
            Err("Runs per N must be a whole number from 1 to 20.".into())
        );
        assert!(check(Field::MaxN, "64").is_ok());
        assert_eq!(
            check(Field::MaxN, "0"),
            Err("Max N must be a whole number from 1 to 64.".into())
        );
        assert!(
            check(Field::Mode, "warp")
                .unwrap_err()
                .contains("sequential-main, sequential-worker")
        );
        assert_eq!(Field::RunsPerN.key(), "runs");
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

    #[test]
    fn compare_runs_procs_with_one_worker_then_one_per_core() {
        let p = PrimesForm::default().validate().unwrap();
        let (a, b) = compare_pair(&p, 4);
        assert_eq!((a.mode, a.workers, b.mode, b.workers), (Mode::Procs, 1, Mode::Procs, 4));
        assert_eq!(a.numbers, b.numbers);
        assert_eq!(compare_pair(&p, 1).1.workers, 2);
    }
}
