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

/// A tiny deterministic PRNG (splitmix64) for the property tests.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick(&mut self, alphabet: &str) -> char {
        let chars: Vec<char> = alphabet.chars().collect();
        chars[self.below(chars.len())]
    }
}

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
