//! The CPU lab's form: its fields (declared once), their checks, the URL, and the typed
//! parameters of a run.

use super::choices::{Mode, Workload};
use super::workload::{JOBS, SHA_SIZE, rc4_sizes};
use crate::labs::choice::Choice;
use crate::labs::form::{FieldErrors, FormText, LabForm, Validation, lab_form};
use crate::text::{optional_seed, whole_in};

pub const WORKERS_RANGE: (usize, usize) = (1, 32);
pub const REPEATS_RANGE: (u32, u32) = (1, 10);
pub const SCALE_RANGE: (u32, u32) = (1, 32);
/// The book's table goes to 4 workers; so does ours at least, whatever the CPU count.
pub const BOOK_MAX_WORKERS: usize = 4;
/// The default Max workers is the CPU count within 4 and this cap (a default table of
/// more rows would take long on a big machine without teaching more).
pub const DEFAULT_MAX_WORKERS_CAP: usize = 8;
/// The CPU count the plain defaults assume (the page passes `navigator.hardwareConcurrency`).
pub const FALLBACK_CPUS: u32 = 4;

lab_form! {
    /// The form as typed: raw text per field, validated on Run.
    pub struct CpuForm;
    /// A form field of the lab.
    enum Field;
    /// Every field, parsed.
    struct CpuFields {
        Workload / workload: Workload = "workload", "Workload",
            default Workload::Rc4.key(), parse Workload::parse_field;
        Mode / mode: Mode = "mode", "Mode",
            default Mode::Table.key(), parse Mode::parse_field;
        Workers / workers: usize = "workers", "Workers",
            default default_workers(FALLBACK_CPUS), parse parse_workers;
        MaxWorkers / max_workers: usize = "max_workers", "Max workers",
            default default_max_workers(FALLBACK_CPUS), parse parse_max_workers;
        Repeats / repeats: u32 = "repeats", "Repeats",
            default "3", parse parse_repeats;
        Scale / scale: u32 = "scale", "Data ×",
            default "1", parse parse_scale;
        Seed / seed: Option<u64> = "seed", "Seed",
            default "", parse optional_seed;
    }
}

fn default_workers(cpus: u32) -> String {
    (cpus as usize)
        .clamp(WORKERS_RANGE.0, WORKERS_RANGE.1)
        .to_string()
}

fn default_max_workers(cpus: u32) -> String {
    (cpus as usize)
        .clamp(BOOK_MAX_WORKERS, DEFAULT_MAX_WORKERS_CAP)
        .to_string()
}

fn parse_workers(value: &str) -> Result<usize, String> {
    whole_in(value, "Workers", WORKERS_RANGE)
}

fn parse_max_workers(value: &str) -> Result<usize, String> {
    whole_in(value, "Max workers", WORKERS_RANGE)
}

fn parse_repeats(value: &str) -> Result<u32, String> {
    whole_in(value, "Repeats", REPEATS_RANGE)
}

fn parse_scale(value: &str) -> Result<u32, String> {
    whole_in(value, "Data ×", SCALE_RANGE)
}

/// Validated parameters of one run.
#[derive(Clone, Debug, PartialEq)]
pub struct CpuParams {
    pub workload: Workload,
    pub mode: Mode,
    /// Pool: the one pool's size. Table: the largest pool (`Max workers`).
    pub workers: usize,
    /// Table: runs per pool size (1 for a pool run).
    pub repeats: u32,
    /// Each array is the book's size times this.
    pub scale: u32,
    /// `None` draws a fresh seed (reported, to repeat the run).
    pub seed: Option<u64>,
}

impl CpuParams {
    /// The 12 jobs' sizes in bytes, in submission order.
    pub fn sizes(&self) -> Vec<usize> {
        let sizes = match self.workload {
            Workload::Rc4 => rc4_sizes(),
            Workload::Sha256 => vec![SHA_SIZE; JOBS],
        };
        sizes.into_iter().map(|s| s * self.scale as usize).collect()
    }

    /// The pool sizes the run starts, each `repeats` times: N for a pool run, 1 … Max for the table.
    pub fn pool_sizes(&self) -> Vec<usize> {
        match self.mode {
            Mode::Pool => vec![self.workers],
            Mode::Table => (1..=self.workers).collect(),
        }
    }
}

impl CpuForm {
    /// The defaults for a machine with `cpus` logical CPUs (`navigator.hardwareConcurrency`).
    pub fn with_cpu_count(cpus: u32) -> Self {
        CpuForm {
            workers: default_workers(cpus),
            max_workers: default_max_workers(cpus),
            ..CpuForm::default()
        }
    }

    /// Fills the form from URL parameters (see [`LabForm::with_query`]).
    pub fn from_query(query: &[(String, String)], cpus: u32) -> (CpuForm, Vec<String>) {
        CpuForm::with_cpu_count(cpus).with_query(query)
    }

    pub fn workload(&self) -> Workload {
        Workload::parse(&self.workload).unwrap_or(Workload::Rc4)
    }

    pub fn mode(&self) -> Mode {
        Mode::parse(&self.mode).unwrap_or(Mode::Table)
    }
}

impl LabForm for CpuForm {
    type Params = CpuParams;

    /// Pool has Workers; the table Max workers and Repeats.
    fn fields(&self) -> Vec<Field> {
        let middle: &[Field] = match self.mode() {
            Mode::Pool => &[Field::Workers],
            Mode::Table => &[Field::MaxWorkers, Field::Repeats],
        };
        let mut fields = vec![Field::Workload, Field::Mode];
        fields.extend_from_slice(middle);
        fields.extend([Field::Scale, Field::Seed]);
        fields
    }

    fn url_value(&self, field: Field) -> Option<String> {
        let text = self.get(field);
        (field != Field::Seed || !text.trim().is_empty()).then(|| text.to_string())
    }

    fn validate(&self) -> Result<CpuParams, FieldErrors<Field>> {
        let (parsed, defaults) = (self.parse(), CpuForm::default().parse());
        let in_use = self.fields();
        let mut v = Validation::default();
        let workload = v.take(parsed.workload);
        let mode = v.take(parsed.mode);
        let workers = v.take_in_use(&in_use, parsed.workers, defaults.workers);
        let max_workers = v.take_in_use(&in_use, parsed.max_workers, defaults.max_workers);
        let repeats = v.take_in_use(&in_use, parsed.repeats, defaults.repeats);
        let scale = v.take(parsed.scale);
        let seed = v.take(parsed.seed);
        v.finish(|| {
            let mode = mode?;
            Some(CpuParams {
                workload: workload?,
                mode,
                workers: match mode {
                    Mode::Pool => workers?,
                    Mode::Table => max_workers?,
                },
                repeats: match mode {
                    Mode::Pool => 1,
                    Mode::Table => repeats?,
                },
                scale: scale?,
                seed: seed?,
            })
        })
    }
}

/// "Compare": one pool of 1 worker, then one of a worker per core (`cores`, at least 2).
pub fn compare_label(cores: u32) -> String {
    format!("Compare 1 worker with {}", cores.max(2))
}

/// The two pool runs Compare makes of the reader's workload, on the same data.
pub fn compare_pair(params: &CpuParams, cores: u32, fresh_seed: u64) -> (CpuParams, CpuParams) {
    let pool = |workers: usize| CpuParams {
        mode: Mode::Pool,
        workers,
        repeats: 1,
        seed: Some(params.seed.unwrap_or(fresh_seed)),
        ..params.clone()
    };
    (pool(1), pool(cores.max(2) as usize))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::form::FormField;

    fn form(pairs: &[(Field, &str)]) -> CpuForm {
        let mut form = CpuForm::with_cpu_count(2);
        for &(field, value) in pairs {
            form.set(field, value.to_string());
        }
        form
    }

    #[test]
    fn the_default_is_the_books_table_to_at_least_4_workers() {
        let params = CpuForm::with_cpu_count(2).validate().unwrap();
        assert_eq!(
            (params.workload, params.mode, params.workers, params.repeats),
            (Workload::Rc4, Mode::Table, 4, 3)
        );
        assert_eq!(params.pool_sizes(), [1, 2, 3, 4]);
        assert_eq!(params.sizes(), rc4_sizes());
        assert_eq!(CpuForm::with_cpu_count(6).max_workers, "6");
        assert_eq!(CpuForm::with_cpu_count(64).max_workers, "8");
        assert_eq!(CpuForm::with_cpu_count(64).workers, "32");
        let sha = form(&[(Field::Workload, "sha256"), (Field::Scale, "2")]);
        assert_eq!(sha.validate().unwrap().sizes(), vec![2 << 20; 12]);
    }

    #[test]
    fn each_mode_checks_only_its_fields() {
        let pool = form(&[(Field::Mode, "pool"), (Field::Workers, "3"), (Field::Repeats, "x")]);
        let params = pool.validate().unwrap();
        assert_eq!((params.workers, params.repeats), (3, 1));
        assert_eq!(params.pool_sizes(), [3]);
        let table = form(&[(Field::Workers, "0"), (Field::MaxWorkers, "33"), (Field::Repeats, "0")]);
        assert_eq!(table.error_fields(), [Field::MaxWorkers, Field::Repeats]);
        let bad = form(&[(Field::Scale, "0"), (Field::Seed, "-1"), (Field::Workload, "md5")]);
        assert_eq!(
            bad.error_fields(),
            [Field::Workload, Field::Scale, Field::Seed]
        );
    }

    #[test]
    fn the_url_has_the_fields_in_use_and_a_seed_only_when_given() {
        let keys = |form: &CpuForm| -> Vec<&str> { form.query().iter().map(|(k, _)| *k).collect() };
        assert_eq!(
            keys(&form(&[])),
            ["workload", "mode", "max_workers", "repeats", "scale"]
        );
        assert_eq!(
            keys(&form(&[(Field::Mode, "pool"), (Field::Seed, "7")])),
            ["workload", "mode", "workers", "scale", "seed"]
        );
        let query = vec![("mode".to_string(), "pool".to_string()), ("workers".to_string(), "99".to_string())];
        let (form, notices) = CpuForm::from_query(&query, 2);
        assert_eq!((form.mode(), form.workers.as_str()), (Mode::Pool, "2"));
        assert_eq!(notices.len(), 1);
        assert_eq!(Field::Scale.label(), "Data ×");
    }

    #[test]
    fn compare_runs_one_worker_then_one_per_core_on_the_same_data() {
        let params = form(&[]).validate().unwrap();
        let (one, many) = compare_pair(&params, 2, 77);
        assert_eq!((one.mode, one.workers, one.seed), (Mode::Pool, 1, Some(77)));
        assert_eq!((many.workers, many.seed), (2, Some(77)));
        assert_eq!(compare_label(1), "Compare 1 worker with 2");
    }
}
