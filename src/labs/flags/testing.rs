//! What the flags lab's tests share: a form from a few fields, a plan from a form, and a
//! tiny deterministic PRNG for the property tests.

use super::cli::POP20_CC;
use super::form::{Field, FlagsForm};
use super::outcome::{Counts, Failure, Outcome};
use super::plan::RunPlan;
use crate::labs::LabForm;
use crate::labs::form::FormText;

/// The page the site lines resolve against.
pub const PAGE: &str = "http://localhost:8080/playground/#/flags?mode=flags2";

pub fn strings(codes: &[&str]) -> Vec<String> {
    codes.iter().map(|c| c.to_string()).collect()
}

pub fn sorted_pop20() -> Vec<String> {
    let mut codes = strings(&POP20_CC);
    codes.sort();
    codes
}

/// The default form with `pairs` typed in.
pub fn form(pairs: &[(Field, &str)]) -> FlagsForm {
    FlagsForm::default().with(pairs)
}

/// The plan of a valid form, on [`PAGE`], with no shipped list.
pub fn plan_for(pairs: &[(Field, &str)]) -> RunPlan {
    form(pairs).validate().unwrap().plan(&[], PAGE)
}

/// The property tests' deterministic generator.
pub use crate::random::SplitMix as Rng;

pub fn counts(ok: usize, not_found: usize, errors: usize, cancelled: usize) -> Counts {
    Counts {
        ok,
        not_found,
        errors,
        cancelled,
    }
}

pub fn teapot() -> Outcome {
    Outcome::Error(Failure::Http {
        status: 418,
        reason: "I'm a Teapot".to_string(),
    })
}
