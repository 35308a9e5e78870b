//! One folder per lab: a pure `model` (parameters, validation, transcript lines,
//! history) tested natively, and a thin Yew `view` built only for the browser.

pub mod primes;
pub mod spinner;
