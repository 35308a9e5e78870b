//! The lists a run checks: the book's `NUMBERS`, the Heavy list, and the Numbers field's
//! text — how readers write lists, and how a list travels in the URL.

use super::choices::Preset;
use crate::labs::choice::Choice;
use crate::prime::BOOK_NUMBERS;
use crate::text::{ListField, parse_u64, shorten};

pub const MAX_NUMBERS: usize = 1000;

/// Shown under the Numbers field.
pub const NUMBERS_HINT: &str = "One per line, or separated by commas or spaces; any whole number from 0 to \
    18,446,744,073,709,551,615. Group digits with _ (5_000_111_000_222_021) or with commas between groups of \
    three (5,000,111,000,222,021).";

const fn firsts(pairs: [(u64, bool); 20]) -> [u64; 20] {
    let mut out = [0; 20];
    let mut i = 0;
    while i < 20 {
        out[i] = pairs[i].0;
        i += 1;
    }
    out
}

/// The book's `NUMBERS`, in its order.
pub const BOOK: [u64; 20] = firsts(BOOK_NUMBERS);

/// Twenty numbers between 1e17 and 1.8e19, with their verdicts. Twelve are hard — seven
/// primes and five squares of primes above 3.6e8 — so that `is_prime` needs at least 1.8e8
/// trial divisions for each (≥ 0.3 s in WASM at ~1.7 ns a division); eight are easy composites
/// (even, or multiples of 3 or 5) answered at once, however large. All twelve hard ones add up
/// to ~3.8e9 divisions: ~6.5 s on one worker. The hard ones come hardest first, so that a pool
/// that hands the next number to whichever worker is idle ends with short jobs and its workers
/// finish together (longest-processing-time-first); the easy ones are mixed in.
pub const HEAVY_NUMBERS: [(u64, bool); 20] = [
    (999_999_999_999_999_989, true),     // largest prime below 1e18
    (799_999_999_999_999_991, true),     // largest prime below 8e17
    (12_345_678_901_234_567_890, false), // even
    (599_999_999_999_999_993, true),     // largest prime below 6e17
    (499_999_999_999_999_931, true),     // largest prime below 5e17
    (1_234_567_890_123_456_789, false),  // multiple of 3
    (490_000_001_400_000_001, false),    // 700000001²
    (399_999_999_999_999_991, true),     // largest prime below 4e17
    (4_611_686_018_427_387_904, false),  // 2^62
    (360_000_001_200_000_001, false),    // 600000001²
    (299_999_999_999_999_921, true),     // largest prime below 3e17
    (9_999_999_999_999_999_999, false),  // multiple of 3
    (250_000_003_000_000_009, false),    // 500000003²
    (222_222_222_222_222_222, false),    // even
    (199_999_999_999_999_949, true),     // largest prime below 2e17
    (15_000_000_000_000_000_005, false), // multiple of 5
    (176_400_024_360_000_841, false),    // 420000029²
    (111_111_111_111_111_111, false),    // 3 × 37037037037037037
    (136_900_002_220_000_009, false),    // 370000003²
    (18_000_000_000_000_000_000, false), // even
];

pub const HEAVY: [u64; 20] = firsts(HEAVY_NUMBERS);

pub fn join_numbers(numbers: &[u64], separator: &str) -> String {
    numbers
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(separator)
}

/// `5,000,111` written with thousands separators: 1–3 digits, then groups of exactly three.
fn is_grouped(chunk: &str) -> bool {
    let body = chunk.strip_prefix(['-', '+']).unwrap_or(chunk);
    let groups: Vec<&str> = body.split(',').collect();
    groups.len() > 1
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        && (1..=3).contains(&groups[0].len())
        && groups[1..].iter().all(|g| g.len() == 3)
}

/// The entries of the Numbers text: split on line breaks, spaces, `;` and commas, except
/// that a comma between groups of three digits is a thousands separator (`5,000,111`
/// is one number; `100, 200` and `2,3` are two).
fn number_entries(text: &str) -> Vec<&str> {
    let mut entries = Vec::new();
    for chunk in text
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|c| !c.is_empty())
    {
        if is_grouped(chunk) {
            entries.push(chunk);
        } else {
            entries.extend(chunk.split(',').filter(|e| !e.is_empty()));
        }
    }
    entries
}

/// Parses the Numbers field; the error is the message shown next to it.
pub fn parse_numbers(text: &str) -> Result<Vec<u64>, String> {
    let field = ListField {
        name: "Numbers",
        one: "number",
        many: "numbers",
        example: "",
        max: MAX_NUMBERS,
    };
    field.parse(&number_entries(text), |i, entry| {
        parse_u64(entry).map_err(|e| {
            format!(
                "\"{}\" (entry {}): {}",
                shorten(entry, 24),
                i + 1,
                e.message("Each number")
            )
        })
    })
}

/// The URL form of a list: a preset's key, or the numbers joined by commas.
pub fn numbers_query_value(numbers: &[u64]) -> String {
    match Preset::matching(numbers) {
        Some(preset) => preset.key().to_string(),
        None => join_numbers(numbers, ","),
    }
}

/// Reads a `numbers=` URL value back into field text (one number per line): a preset key,
/// a machine-written comma list (every comma separates, so `1,234` is two numbers), or,
/// for a hand-written URL, anything the field itself accepts.
pub fn decode_numbers(value: &str) -> Result<String, String> {
    if let Some(preset) = Preset::parse(value) {
        return Ok(preset.text());
    }
    let strict: Option<Vec<u64>> = value.split(',').map(|e| e.parse::<u64>().ok()).collect();
    let numbers = match strict {
        Some(numbers) if (1..=MAX_NUMBERS).contains(&numbers.len()) => numbers,
        _ => parse_numbers(value)?,
    };
    Ok(join_numbers(&numbers, "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prime::is_prime;
    use crate::text::U64Error;

    #[test]
    fn book_preset_is_the_fixture() {
        assert_eq!(BOOK.len(), 20);
        for (n, (m, _)) in BOOK.iter().zip(BOOK_NUMBERS) {
            assert_eq!(*n, m);
        }
        assert_eq!(Preset::Book.text().lines().count(), 20);
        assert_eq!(Preset::Book.text().lines().next(), Some("2"));
        assert_eq!(parse_numbers(&Preset::Heavy.text()).unwrap(), HEAVY);
    }

    fn mul_mod(a: u64, b: u64, m: u64) -> u64 {
        (a as u128 * b as u128 % m as u128) as u64
    }

    fn pow_mod(mut base: u64, mut exp: u64, m: u64) -> u64 {
        let mut acc = 1 % m;
        base %= m;
        while exp > 0 {
            if exp & 1 == 1 {
                acc = mul_mod(acc, base, m);
            }
            base = mul_mod(base, base, m);
            exp >>= 1;
        }
        acc
    }

    /// Deterministic Miller–Rabin for every u64 (these bases suffice below 3.3e24).
    fn miller_rabin(n: u64) -> bool {
        const BASES: [u64; 12] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37];
        if n < 2 {
            return false;
        }
        for p in BASES {
            if n % p == 0 {
                return n == p;
            }
        }
        let s = (n - 1).trailing_zeros();
        let d = (n - 1) >> s;
        'bases: for a in BASES {
            let mut x = pow_mod(a, d, n);
            if x == 1 || x == n - 1 {
                continue;
            }
            for _ in 1..s {
                x = mul_mod(x, x, n);
                if x == n - 1 {
                    continue 'bases;
                }
            }
            return false;
        }
        true
    }

    #[test]
    fn miller_rabin_agrees_with_is_prime() {
        for n in 0..20_000 {
            assert_eq!(miller_rabin(n), is_prime(n), "{n}");
        }
        for (n, prime) in BOOK_NUMBERS {
            assert_eq!(miller_rabin(n), prime, "{n}");
        }
        assert!(miller_rabin(crate::prime::LARGEST_U64_PRIME));
        assert!(!miller_rabin(3_215_031_751)); // strong pseudoprime to bases 2, 3, 5, 7
    }

    /// The trial divisions `is_prime` performs on an odd n whose smallest odd factor is
    /// `factor` (n itself when prime): one per odd i in 3..=min(factor, isqrt(n)).
    fn divisions(n: u64, factor: u64) -> u64 {
        let last = factor.min(n.isqrt());
        if last < 3 { 0 } else { (last - 1) / 2 }
    }

    #[test]
    fn heavy_verdicts_and_weights() {
        let mut hard = 0;
        let mut total_divisions = 0;
        let mut previous_work = u64::MAX;
        for (i, (n, prime)) in HEAVY_NUMBERS.into_iter().enumerate() {
            assert!(
                (100_000_000_000_000_000..=18_000_000_000_000_000_000).contains(&n),
                "{n} in range"
            );
            assert_eq!(miller_rabin(n), prime, "verdict of {n}");
            assert!(
                !HEAVY_NUMBERS[..i].iter().any(|&(m, _)| m == n),
                "{n} twice"
            );
            let root = n.isqrt();
            let square_of_prime = root * root == n && miller_rabin(root);
            let small_factor = [2, 3, 5].into_iter().find(|p| n % p == 0);
            if prime || square_of_prime {
                hard += 1;
                let work = divisions(n, if prime { n } else { root });
                assert!(work >= 180_000_000, "{n} needs only {work} divisions");
                assert!(work <= previous_work, "hardest first: {n}");
                previous_work = work;
                total_divisions += work;
            } else {
                assert!(small_factor.is_some(), "{n} must be an easy composite");
            }
        }
        assert_eq!(hard, 12);
        let primes = HEAVY_NUMBERS.iter().filter(|p| p.1).count();
        assert_eq!(primes, 7);
        // ~1.7 ns a division in WASM: 5 to 10 s on one worker.
        assert!(
            (2_900_000_000..=5_900_000_000).contains(&total_divisions),
            "{total_divisions}"
        );
    }

    #[test]
    #[ignore = "is_prime on HEAVY takes several seconds natively even optimized; run with --ignored"]
    fn heavy_verdicts_with_is_prime() {
        for (n, prime) in HEAVY_NUMBERS {
            assert_eq!(is_prime(n), prime, "is_prime({n})");
        }
    }

    #[test]
    fn numbers_are_split_the_way_readers_write_them() {
        let ok = |text: &str| parse_numbers(text).unwrap();
        assert_eq!(ok("2\n3\n5"), [2, 3, 5]);
        assert_eq!(ok("2, 3, 5"), [2, 3, 5]);
        assert_eq!(ok("2,3,5"), [2, 3, 5]);
        assert_eq!(ok("  2 3\t5 ;7\r\n\n"), [2, 3, 5, 7]);
        assert_eq!(ok("2,,3,"), [2, 3]);
        assert_eq!(ok("5,000,111,000,222,021\n7"), [5_000_111_000_222_021, 7]);
        assert_eq!(ok("5_000_111_000_222_021, 0"), [5_000_111_000_222_021, 0]);
        assert_eq!(ok("100,200"), [100_200]);
        assert_eq!(ok("100, 200"), [100, 200]);
        assert_eq!(ok("18446744073709551615"), [u64::MAX]);
        assert_eq!(
            ok("142702110479723,299593572317531"),
            [142_702_110_479_723, 299_593_572_317_531]
        );
        assert_eq!(ok("4,4"), [4, 4], "duplicates are kept");
    }

    #[test]
    fn bad_numbers_name_the_entry() {
        let err = |text: &str| parse_numbers(text).unwrap_err();
        assert_eq!(
            err("2\n3\nabc"),
            format!(
                "\"abc\" (entry 3): {}",
                U64Error::NotANumber.message("Each number")
            )
        );
        assert!(
            err("2, 3, abc").starts_with("\"abc\" (entry 3): Each number must be a whole number")
        );
        assert!(err("2, -5").starts_with("\"-5\" (entry 2): Each number must not be negative."));
        assert!(err("1.5").starts_with("\"1.5\" (entry 1):"));
        assert!(err("18446744073709551616").contains("above the largest 64-bit unsigned integer"));
        assert!(err("-5,000").contains("negative"));
        assert!(err(&"9".repeat(60)).contains(&format!("\"{}…\" (entry 1)", "9".repeat(23))));
        assert_eq!(err(""), "Numbers needs at least one number.");
        assert_eq!(err(" ,\n, "), "Numbers needs at least one number.");
        let many = vec!["7"; 1001].join("\n");
        assert_eq!(
            err(&many),
            "Numbers must have at most 1,000 numbers; this list has 1,001."
        );
        assert_eq!(
            parse_numbers(&vec!["7"; 1000].join(",")).unwrap().len(),
            1000
        );
    }
}
