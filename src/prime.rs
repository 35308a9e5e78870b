//! The books' `is_prime` (trial division by odd numbers up to `isqrt(n)`) and its fixture.

/// `is_prime` exactly as in Fluent Python 2e, ch. 19 — deliberately naive, it is the workload.
pub fn is_prime(n: u64) -> bool {
    if n < 2 {
        return false;
    }
    if n == 2 {
        return true;
    }
    if n % 2 == 0 {
        return false;
    }
    let root = n.isqrt();
    let mut i = 3;
    while i <= root {
        if n % i == 0 {
            return false;
        }
        i += 2;
    }
    true
}

/// The same check, resumable: `step(budget)` runs at most `budget` trial divisions and
/// returns the verdict once known. The nap variant awaits `sleep(0)` between steps,
/// like the book's `is_prime` that does `await asyncio.sleep(0)` every 100 000 iterations.
#[derive(Clone, Debug)]
pub struct PrimeCheck {
    n: u64,
    root: u64,
    next_divisor: u64,
    verdict: Option<bool>,
}

impl PrimeCheck {
    pub fn new(n: u64) -> Self {
        let verdict = if n < 2 {
            Some(false)
        } else if n == 2 {
            Some(true)
        } else if n % 2 == 0 {
            Some(false)
        } else {
            None
        };
        PrimeCheck {
            n,
            root: n.isqrt(),
            next_divisor: 3,
            verdict,
        }
    }

    pub fn step(&mut self, budget: u64) -> Option<bool> {
        if self.verdict.is_none() {
            let mut remaining = budget;
            while remaining > 0 {
                if self.next_divisor > self.root {
                    self.verdict = Some(true);
                    break;
                }
                if self.n % self.next_divisor == 0 {
                    self.verdict = Some(false);
                    break;
                }
                self.next_divisor += 2;
                remaining -= 1;
            }
        }
        self.verdict
    }
}

/// `is_prime(n)` as a run of short calls of [`PrimeCheck::step`]: V8 first runs WebAssembly in its
/// baseline tier and compiles hot functions again, optimized, in the background — but a call already
/// running stays in the code it started in. One long `is_prime` call would spend the whole check in
/// baseline code; slices of [`SLICE_DIVISIONS`] pick up the optimized code within a few milliseconds of
/// its arrival (issue 14: measured in `make bench`).
pub fn is_prime_in_slices(n: u64) -> bool {
    let mut check = PrimeCheck::new(n);
    loop {
        if let Some(verdict) = step_slice(&mut check) {
            return verdict;
        }
    }
}

/// A prime near 2^36 a worker checks before it says Ready: ~2^17 trial divisions (~2 ms),
/// enough for V8 to find the loop hot and compile it optimized while cores are free.
pub const WARM_UP_PRIME: u64 = 68_719_476_767;

/// Trial divisions per call: ~10 ms of work on this machine.
pub const SLICE_DIVISIONS: u64 = 1 << 20;

#[inline(never)]
fn step_slice(check: &mut PrimeCheck) -> Option<bool> {
    check.step(SLICE_DIVISIONS)
}

/// The iterations between naps in the book's `is_prime` with `await asyncio.sleep(0)`.
pub const NAP_EVERY: u64 = 100_000;

/// The prime the spinner lab uses in Fluent Python 2e (took ~3.3 s in CPython).
pub const BOOK_PRIME: u64 = 5_000_111_000_222_021;

/// The largest prime below 2^64: ~2.1 billion trial divisions, seconds even in WASM.
pub const LARGEST_U64_PRIME: u64 = 18_446_744_073_709_551_557;

/// `NUMBERS` from the book's `primes.py`, with the verdicts (P marks the primes).
pub const BOOK_NUMBERS: [(u64, bool); 20] = [
    (2, true),
    (142_702_110_479_723, true),
    (299_593_572_317_531, true),
    (3_333_333_333_333_301, true),
    (3_333_333_333_333_333, false),
    (3_333_335_652_092_209, false),
    (4_444_444_444_444_423, true),
    (4_444_444_444_444_444, false),
    (4_444_444_488_888_889, false),
    (5_555_553_133_149_889, false),
    (5_555_555_555_555_503, true),
    (5_555_555_555_555_555, false),
    (6_666_666_666_666_666, false),
    (6_666_666_666_666_719, true),
    (6_666_667_141_414_921, false),
    (7_777_777_536_340_681, false),
    (7_777_777_777_777_753, true),
    (7_777_777_777_777_777, false),
    (9_999_999_999_999_917, true),
    (9_999_999_999_999_999, false),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_numbers() {
        let primes: Vec<u64> = (0..30).filter(|&n| is_prime(n)).collect();
        assert_eq!(primes, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]);
    }

    #[test]
    fn book_fixture_verdicts() {
        for (n, expected) in BOOK_NUMBERS {
            assert_eq!(is_prime(n), expected, "is_prime({n})");
        }
    }

    #[test]
    fn squares_of_large_primes_are_composite() {
        assert!(!is_prime(57_735_047_u64 * 57_735_047));
        assert_eq!(3_333_335_652_092_209_u64, 57_735_047_u64 * 57_735_047);
    }

    #[test]
    fn the_spinner_prime_is_prime() {
        assert!(is_prime(BOOK_PRIME));
    }

    #[test]
    fn resumable_check_agrees_with_is_prime() {
        let mut cases: Vec<u64> = (0..2000).collect();
        cases.extend(BOOK_NUMBERS.iter().map(|&(n, _)| n));
        for n in cases {
            let mut check = PrimeCheck::new(n);
            let mut steps = 0;
            let verdict = loop {
                if let Some(v) = check.step(NAP_EVERY) {
                    break v;
                }
                steps += 1;
            };
            assert_eq!(verdict, is_prime(n), "n = {n} after {steps} naps");
        }
    }

    #[test]
    fn the_warm_up_number_is_a_prime_that_takes_about_2_17_divisions() {
        assert!(is_prime(WARM_UP_PRIME));
        let divisions = WARM_UP_PRIME.isqrt() / 2;
        assert!((100_000..200_000).contains(&divisions), "{divisions}");
    }

    #[test]
    fn the_sliced_check_agrees_with_is_prime() {
        // Around slice boundaries too: 1<<20 divisions reach divisor 2^21 + 1, i.e. n ≈ 4.4e12.
        let mut cases: Vec<u64> = (0..2000).collect();
        cases.extend(BOOK_NUMBERS.iter().map(|&(n, _)| n));
        cases.extend([
            4_398_050_705_407,
            4_398_058_045_441,
            4_398_046_511_093,
            17_592_186_044_423,
        ]);
        for n in cases {
            assert_eq!(is_prime_in_slices(n), is_prime(n), "n = {n}");
        }
    }

    #[test]
    fn resumable_check_naps_between_steps() {
        // 299593572317531 is prime: isqrt ≈ 17.3 million → ~8.65 million odd divisors.
        let mut check = PrimeCheck::new(299_593_572_317_531);
        let mut naps = 0;
        while check.step(NAP_EVERY).is_none() {
            naps += 1;
        }
        assert_eq!(naps, 86);
    }
}
