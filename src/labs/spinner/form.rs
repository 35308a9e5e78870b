//! The spinner lab's form: its fields (declared once), their checks, the URL, and the
//! typed parameters of a run.

use super::choices::Variant;
use crate::labs::choice::Choice;
use crate::labs::form::{FieldErrors, FormText, LabForm, Validation, lab_form};
use crate::prime::{BOOK_PRIME, LARGEST_U64_PRIME};
use crate::text::{parse_decimal, parse_u64, whole_in};

pub const MAX_SECONDS: f64 = 30.0;
pub const PERIOD_RANGE_MS: (u32, u32) = (10, 5000);
pub const MAX_FRAMES: usize = 32;
pub const MAX_MESSAGE: usize = 80;

/// Number presets: (button text, value).
pub const NUMBER_PRESETS: [(&str, u64); 2] = [
    ("Book: 5,000,111,000,222,021", BOOK_PRIME),
    ("Largest u64 prime (seconds in WASM)", LARGEST_U64_PRIME),
];

lab_form! {
    /// The form as typed: raw text per field, validated on Run.
    pub struct SpinnerForm;
    /// A form field of the lab.
    enum Field;
    /// Every field, parsed.
    struct SpinnerFields {
        Variant / variant: Variant = "variant", "Variant",
            default Variant::AsyncSleep.key(), parse Variant::parse_field;
        Message / message: String = "message", "Message",
            default "thinking!", parse parse_message;
        Frames / frames: Vec<char> = "frames", "Frames",
            default "\\|/-", parse parse_frames;
        PeriodMs / period_ms: u32 = "period", "Frame period (ms)",
            default "100", parse parse_period;
        Seconds / seconds: f64 = "seconds", "Seconds",
            default "3", parse parse_seconds;
        Number / number: u64 = "number", "Number",
            default BOOK_PRIME.to_string(), parse parse_number;
    }
}

fn parse_message(value: &str) -> Result<String, String> {
    if value.chars().count() > MAX_MESSAGE {
        Err(format!("Message must be at most {MAX_MESSAGE} characters."))
    } else {
        Ok(value.to_string())
    }
}

fn parse_frames(value: &str) -> Result<Vec<char>, String> {
    match value.chars().count() {
        0 => Err("Frames needs at least one character to cycle through.".to_string()),
        n if n > MAX_FRAMES => Err(format!("Frames must be at most {MAX_FRAMES} characters.")),
        _ => Ok(value.chars().collect()),
    }
}

fn parse_period(value: &str) -> Result<u32, String> {
    whole_in(value, "Frame period (ms)", PERIOD_RANGE_MS)
}

fn parse_seconds(value: &str) -> Result<f64, String> {
    match parse_decimal(value) {
        None => Err("Seconds must be a number, e.g. 3 or 0.5.".to_string()),
        Some(s) if s < 0.0 => Err("Seconds must not be negative.".to_string()),
        Some(s) if s > MAX_SECONDS => Err(format!("Seconds must be at most {MAX_SECONDS}.")),
        Some(s) => Ok(s),
    }
}

fn parse_number(value: &str) -> Result<u64, String> {
    parse_u64(value).map_err(|e| e.message("Number"))
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
}

impl LabForm for SpinnerForm {
    type Params = SpinnerParams;

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

    /// Every field the variant uses, parsed once; all messages at once, one per field.
    fn validate(&self) -> Result<SpinnerParams, FieldErrors<Field>> {
        let fields = self.parse();
        let mut v = Validation::default();
        let variant = v.take(fields.variant);
        let message = v.take(fields.message);
        let frames = v.take(fields.frames);
        let period_ms = v.take(fields.period_ms);
        let workload = if self.variant().uses_prime() {
            v.take(fields.number).map(|n| Workload::Prime { n })
        } else {
            v.take(fields.seconds)
                .map(|seconds| Workload::Sleep { seconds })
        };
        v.finish(|| {
            Some(SpinnerParams {
                variant: variant?,
                message: message?,
                frames: frames?,
                period_ms: period_ms?,
                workload: workload?,
            })
        })
    }
}

/// The blocking variant and the one that keeps the spinner turning, for the chosen variant's
/// workload: the spinner thread is compared with the spinner that freezes with the page.
fn contrast(variant: Variant) -> (Variant, Variant) {
    match variant {
        _ if variant.uses_prime() => (Variant::BlockingPrime, Variant::WorkerPrime),
        Variant::ThreadSpinner => (Variant::BlockingSleep, Variant::ThreadSpinner),
        _ => (Variant::BlockingSleep, Variant::AsyncSleep),
    }
}

/// "Compare": what it runs, for the chosen variant.
pub fn compare_label(variant: Variant) -> String {
    let (first, second) = contrast(variant);
    format!("Compare {} with {}", first.key(), second.key())
}

/// The two runs Compare makes of the reader's parameters (same seconds, or the same number).
pub fn compare_pair(params: &SpinnerParams) -> (SpinnerParams, SpinnerParams) {
    let (mut first, mut second) = (params.clone(), params.clone());
    (first.variant, second.variant) = contrast(params.variant);
    (first, second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::form::FormField;

    pub(crate) fn form(pairs: &[(Field, &str)]) -> SpinnerForm {
        SpinnerForm::default().with(pairs)
    }

    fn errors_of(form: &SpinnerForm) -> Vec<Field> {
        form.error_fields()
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
        let msg = |f, v| SpinnerForm::check(f, v).unwrap_err();
        assert!(msg(Field::Seconds, "-1").contains("negative"));
        assert!(msg(Field::Number, "-5").contains("negative"));
        assert!(msg(Field::Number, "99999999999999999999").contains("18,446,744,073,709,551,615"));
        assert!(msg(Field::PeriodMs, "0").starts_with("Frame period (ms)"));
        assert_eq!(
            msg(Field::Variant, "teleport"),
            "Variant must be one of async-sleep, blocking-sleep, blocking-prime, nap-prime, \
             worker-prime, thread-spinner."
        );
        assert_eq!(Field::PeriodMs.key(), "period");
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
    fn compare_pairs_the_blocking_variant_with_the_one_that_keeps_turning() {
        let p = SpinnerForm::default().validate().unwrap();
        let (a, b) = compare_pair(&p);
        assert_eq!((a.variant, b.variant), (Variant::BlockingSleep, Variant::AsyncSleep));
        assert_eq!(a.workload, b.workload);
        let query = vec![("variant".to_string(), "nap-prime".to_string())];
        let prime = SpinnerForm::from_query(&query).0.validate().unwrap();
        let (a, b) = compare_pair(&prime);
        assert_eq!((a.variant, b.variant), (Variant::BlockingPrime, Variant::WorkerPrime));
        assert_eq!(compare_label(Variant::NapPrime), "Compare blocking-prime with worker-prime");
        assert_eq!(compare_label(Variant::AsyncSleep), "Compare blocking-sleep with async-sleep");
        let thread = form(&[(Field::Variant, "thread-spinner"), (Field::Seconds, "2")]);
        let (a, b) = compare_pair(&thread.validate().unwrap());
        assert_eq!((a.variant, b.variant), (Variant::BlockingSleep, Variant::ThreadSpinner));
        assert_eq!(a.workload, Workload::Sleep { seconds: 2.0 });
        assert_eq!(
            compare_label(Variant::ThreadSpinner),
            "Compare blocking-sleep with thread-spinner"
        );
    }
}
