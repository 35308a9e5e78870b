//! The memory lab's form: its fields (declared once), their checks, the URL, and the typed
//! parameters of a run.

use super::choices::{Demo, Sleep, Update};
use crate::labs::choice::Choice;
use crate::labs::form::{FieldErrors, FormText, LabForm, Validation, lab_form};
use crate::text::{group_thousands, optional_seed, parse_u64, whole_in};

pub const WORKERS_RANGE: (usize, usize) = (1, 256);
pub const INCREMENTS_RANGE: (u32, u32) = (1, 10_000_000);
pub const PROCESSES_RANGE: (usize, usize) = (1, 64);
pub const LENGTH_RANGE: (u32, u32) = (1, 1000);

lab_form! {
    /// The form as typed: raw text per field, validated on Run.
    pub struct MemoryForm;
    /// A form field of the lab.
    enum Field;
    /// Every field, parsed.
    struct MemoryFields {
        Demo / demo: Demo = "demo", "Demo",
            default Demo::ThreadVisits.key(), parse Demo::parse_field;
        Workers / workers: usize = "workers", "Workers (threads)",
            default "100", parse parse_workers;
        Increments / increments: u32 = "increments", "Increments per thread",
            default "100,000", parse parse_increments;
        Update / update: Update = "update", "Update",
            default Update::ReadThenWrite.key(), parse Update::parse_field;
        Processes / processes: usize = "processes", "Processes",
            default "5", parse parse_processes;
        Length / length: u32 = "length", "Array length",
            default "10", parse parse_length;
        Sleep / sleep: Sleep = "sleep", "Sleep",
            default Sleep::Blocking.key(), parse Sleep::parse_field;
        Seed / seed: Option<u64> = "seed", "Seed",
            default "", parse optional_seed;
    }
}

fn parse_workers(value: &str) -> Result<usize, String> {
    whole_in(value, "Workers", WORKERS_RANGE)
}

fn parse_processes(value: &str) -> Result<usize, String> {
    whole_in(value, "Processes", PROCESSES_RANGE)
}

fn parse_length(value: &str) -> Result<u32, String> {
    whole_in(value, "Array length", LENGTH_RANGE)
}

/// A count typed as a reader writes it: `100000`, `100_000` or `100,000`.
fn parse_increments(value: &str) -> Result<u32, String> {
    let (lo, hi) = INCREMENTS_RANGE;
    let message = || {
        format!(
            "Increments must be a whole number from {lo} to {}.",
            group_thousands(hi as u64)
        )
    };
    match parse_u64(value) {
        Ok(n) if (lo as u64..=hi as u64).contains(&n) => Ok(n as u32),
        _ => Err(message()),
    }
}

/// Validated parameters of one run; a demo uses only its own.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryParams {
    pub demo: Demo,
    pub workers: usize,
    pub increments: u32,
    pub update: Update,
    pub processes: usize,
    pub length: u32,
    pub sleep: Sleep,
    pub seed: Option<u64>,
}

impl MemoryParams {
    /// How many workers the run starts.
    pub fn worker_count(&self) -> usize {
        match self.demo {
            Demo::ThreadVisits => self.workers,
            Demo::BasicMultiprocessing => self.processes,
            Demo::Forks | Demo::Pipes | Demo::SharedCtypes => 1,
            Demo::AsyncHello | Demo::AsyncPrint | Demo::Waiters => 0,
        }
    }

    /// Whether the run freezes the page (Stop cannot interrupt it).
    pub fn blocks_main_thread(&self) -> bool {
        self.demo == Demo::Waiters && self.sleep == Sleep::Blocking
    }
}

impl MemoryForm {
    /// The chosen demo, or the default while the text is not one.
    pub fn demo(&self) -> Demo {
        Demo::parse(&self.demo).unwrap_or(Demo::ThreadVisits)
    }

    pub fn update(&self) -> Update {
        Update::parse(&self.update).unwrap_or(Update::ReadThenWrite)
    }

    pub fn sleep(&self) -> Sleep {
        Sleep::parse(&self.sleep).unwrap_or(Sleep::Blocking)
    }
}

impl LabForm for MemoryForm {
    type Params = MemoryParams;

    /// The fields the chosen demo uses, in form order.
    fn fields(&self) -> Vec<Field> {
        let mut fields = vec![Field::Demo];
        fields.extend_from_slice(match self.demo() {
            Demo::ThreadVisits => &[Field::Workers, Field::Increments, Field::Update][..],
            Demo::BasicMultiprocessing => &[Field::Processes],
            Demo::SharedCtypes => &[Field::Length],
            Demo::AsyncPrint => &[Field::Seed],
            Demo::Waiters => &[Field::Sleep, Field::Seed],
            Demo::Forks | Demo::Pipes | Demo::AsyncHello => &[],
        });
        fields
    }

    fn url_value(&self, field: Field) -> Option<String> {
        let text = self.get(field);
        (field != Field::Seed || !text.trim().is_empty()).then(|| text.to_string())
    }

    /// Every field the demo uses, parsed once; the others keep their defaults.
    fn validate(&self) -> Result<MemoryParams, FieldErrors<Field>> {
        let (parsed, defaults) = (self.parse(), MemoryForm::default().parse());
        let fields = self.fields();
        let mut v = Validation::default();
        let demo = v.take(parsed.demo);
        let workers = v.take_in_use(&fields, parsed.workers, defaults.workers);
        let increments = v.take_in_use(&fields, parsed.increments, defaults.increments);
        let update = v.take_in_use(&fields, parsed.update, defaults.update);
        let processes = v.take_in_use(&fields, parsed.processes, defaults.processes);
        let length = v.take_in_use(&fields, parsed.length, defaults.length);
        let sleep = v.take_in_use(&fields, parsed.sleep, defaults.sleep);
        let seed = v.take_in_use(&fields, parsed.seed, defaults.seed);
        v.finish(|| {
            Some(MemoryParams {
                demo: demo?,
                workers: workers?,
                increments: increments?,
                update: update?,
                processes: processes?,
                length: length?,
                sleep: sleep?,
                seed: seed?,
            })
        })
    }
}

/// "Compare": what the button runs for `demo`, when the demo has a contrast to show.
pub fn compare_label(demo: Demo) -> Option<&'static str> {
    match demo {
        Demo::ThreadVisits => Some("Compare read-then-write with lock"),
        Demo::Waiters => Some("Compare time.sleep with await asyncio.sleep"),
        _ => None,
    }
}

/// The two runs Compare makes of the reader's parameters: the race then the lock, or the
/// blocking waiters then the awaiting ones on the same sleeps (`fresh_seed` when Seed is empty).
pub fn compare_pair(params: &MemoryParams, fresh_seed: u64) -> (MemoryParams, MemoryParams) {
    let (mut first, mut second) = (params.clone(), params.clone());
    match params.demo {
        Demo::Waiters => {
            let seed = Some(params.seed.unwrap_or(fresh_seed));
            (first.sleep, first.seed) = (Sleep::Blocking, seed);
            (second.sleep, second.seed) = (Sleep::Await, seed);
        }
        _ => {
            first.update = Update::ReadThenWrite;
            second.update = Update::Lock;
        }
    }
    (first, second)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::labs::form::FormField;

    pub(crate) fn form(pairs: &[(Field, &str)]) -> MemoryForm {
        MemoryForm::default().with(pairs)
    }

    #[test]
    fn defaults_are_the_books() {
        let p = MemoryForm::default().validate().unwrap();
        assert_eq!((p.demo, p.workers, p.increments), (Demo::ThreadVisits, 100, 100_000));
        assert_eq!((p.update, p.worker_count()), (Update::ReadThenWrite, 100));
        let procs = form(&[(Field::Demo, "basic_multiprocessing")]).validate().unwrap();
        assert_eq!(procs.worker_count(), 5);
        let ctypes = form(&[(Field::Demo, "sharedctypes")]).validate().unwrap();
        assert_eq!((ctypes.length, ctypes.worker_count()), (10, 1));
        let waiters = form(&[(Field::Demo, "waiters")]).validate().unwrap();
        assert!(waiters.blocks_main_thread());
        assert_eq!(waiters.worker_count(), 0);
    }

    #[test]
    fn bad_input_is_reported_per_field_and_nothing_runs() {
        let errors = |pairs: &[(Field, &str)]| form(pairs).error_fields();
        for bad in ["0", "257", "-1", "2.5", "x", ""] {
            assert_eq!(errors(&[(Field::Workers, bad)]), [Field::Workers], "{bad}");
        }
        for bad in ["0", "10,000,001", "-5", "1e6", "many"] {
            assert_eq!(errors(&[(Field::Increments, bad)]), [Field::Increments], "{bad}");
        }
        assert_eq!(
            MemoryForm::check(Field::Increments, "0").unwrap_err(),
            "Increments must be a whole number from 1 to 10,000,000."
        );
        assert_eq!(errors(&[(Field::Update, "mutex")]), [Field::Update]);
        let both = errors(&[(Field::Workers, "0"), (Field::Update, "?")]);
        assert_eq!(both, [Field::Workers, Field::Update]);
        let procs = |n: &str| form(&[(Field::Demo, "basic_multiprocessing"), (Field::Processes, n)]);
        assert_eq!(procs("65").error_fields(), [Field::Processes]);
        let ctypes = form(&[(Field::Demo, "sharedctypes"), (Field::Length, "1001")]);
        assert_eq!(ctypes.error_fields(), [Field::Length]);
        let seeded = form(&[(Field::Demo, "async_print"), (Field::Seed, "-3")]);
        assert_eq!(seeded.error_fields(), [Field::Seed]);
        assert_eq!(errors(&[(Field::Demo, "fork")]), [Field::Demo]);
    }

    #[test]
    fn only_the_demos_fields_are_checked_and_kept_in_the_url() {
        let f = form(&[(Field::Demo, "forks"), (Field::Workers, "0")]);
        assert_eq!(f.validate().unwrap().workers, 100);
        assert_eq!(f.fields(), [Field::Demo]);
        let f = form(&[(Field::Demo, "waiters"), (Field::Sleep, "asyncio.sleep"), (Field::Seed, "7")]);
        let query: Vec<(String, String)> =
            f.query().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        let keys: Vec<&str> = query.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["demo", "sleep", "seed"]);
        let (back, notices) = MemoryForm::from_query(&query);
        assert_eq!(back.validate(), f.validate());
        assert!(notices.is_empty());
        let p = back.validate().unwrap();
        assert_eq!((p.sleep, p.seed), (Sleep::Await, Some(7)));
        // `+=` survives the URL's percent-encoding.
        let f = form(&[(Field::Update, "+=")]);
        let query: Vec<(&str, String)> = f.query();
        let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let hash = crate::route::to_hash(crate::route::Page::Lab(&super::super::LAB), &pairs);
        let route = crate::route::Route::parse(&hash);
        let (back, _) = MemoryForm::from_query(&route.query);
        assert_eq!(back.validate().unwrap().update, Update::PlusEquals);
        assert_eq!(Field::Increments.key(), "increments");
    }

    #[test]
    fn compare_runs_the_race_then_the_lock_or_both_waiters_on_the_same_sleeps() {
        let query = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let race = MemoryForm::from_query(&query(&[("update", "atomic"), ("workers", "4")]))
            .0
            .validate()
            .unwrap();
        let (a, b) = compare_pair(&race, 7);
        assert_eq!((a.update, b.update), (Update::ReadThenWrite, Update::Lock));
        assert_eq!((a.workers, b.workers), (4, 4));
        let waiters = MemoryForm::from_query(&query(&[("demo", "waiters")])).0.validate().unwrap();
        let (a, b) = compare_pair(&waiters, 7);
        assert_eq!((a.sleep, b.sleep, a.seed, b.seed), (Sleep::Blocking, Sleep::Await, Some(7), Some(7)));
        assert_eq!(compare_label(Demo::Pipes), None);
    }
}
