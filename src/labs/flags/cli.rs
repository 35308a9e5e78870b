//! flags2's command line: the CC arguments and their expansion exactly like
//! `flags2_common.py`, and the options' values with argparse's own messages.

use crate::pyfmt::repr_str;
use crate::text::{U64Error, parse_decimal, parse_u64};

/// The 20 most populous countries, in the book's order.
pub const POP20_CC: [&str; 20] = [
    "CN", "IN", "US", "ID", "BR", "PK", "NG", "BD", "RU", "JP", "MX", "PH", "VN", "ET", "EG", "DE",
    "IR", "TR", "CD", "FR",
];

/// The message for a bad CC argument (the book's, without `*** Usage error: `).
pub const CC_USAGE: &str = "each CC argument must be A to Z or AA to ZZ.";

/// A CC argument as flags2_common.py takes it: `str.upper()`, then one letter `A`..`Z` or two.
fn cc_arg(arg: &str) -> Option<String> {
    let mut cc = String::new();
    for c in arg.chars() {
        match c {
            'a'..='z' | 'A'..='Z' => cc.push(c.to_ascii_uppercase()),
            _ => cc.push_str(upper_as_letters(c)?),
        }
    }
    matches!(cc.len(), 1 | 2).then_some(cc)
}

/// `str.upper()` of the characters other than ASCII letters whose upper case is ASCII letters
/// (`ß` → `SS`, `ı` → `I`, `ſ` → `S`, the ligatures `ﬀ`…`ﬆ`); `None` for every other
/// character, which cannot be part of a code. Only these matter for a CC, and Unicode's whole
/// case table would add 9.9 kB gzip to the page (a test checks this against `to_uppercase`).
fn upper_as_letters(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' => "SS",
        'ı' => "I",
        'ſ' => "S",
        'ﬀ' => "FF",
        'ﬁ' => "FI",
        'ﬂ' => "FL",
        'ﬃ' => "FFI",
        'ﬄ' => "FFL",
        'ﬅ' | 'ﬆ' => "ST",
        _ => return None,
    })
}

/// The Country codes text split into arguments: on spaces and commas.
pub fn cc_tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
}

/// The Country codes text as CC arguments: each upper-cased and checked; empty text is no
/// arguments (then the default list is used).
pub fn parse_cc_args(text: &str) -> Result<Vec<String>, String> {
    cc_tokens(text)
        .map(|t| cc_arg(t).ok_or_else(|| format!("{CC_USAGE} {} is not.", repr_str(t))))
        .collect()
}

const A_Z: std::ops::RangeInclusive<char> = 'A'..='Z';

/// flags2_common.py's `expand_cc_args`: `-e` is AA..ZZ (676 codes) and wins over `-a`,
/// which is every code in `shipped` (the server's `country_codes.txt`); otherwise each
/// argument, upper-cased, is a letter (`B` = BA..BZ) or a code. Then sorted, without
/// duplicates, and the first `limit`. The CC arguments are only checked without `-a`/`-e`.
pub fn expand_cc(
    args: &[String],
    all: bool,
    every: bool,
    limit: Option<usize>,
    shipped: &[String],
) -> Result<Vec<String>, String> {
    let mut codes: Vec<String> = if every {
        A_Z.flat_map(|a| A_Z.map(move |b| format!("{a}{b}")))
            .collect()
    } else if all {
        shipped
            .iter()
            // The server's list (flags/index.json, written by scripts/flags.mjs) is ASCII.
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty())
            .collect()
    } else {
        let mut codes = Vec::new();
        for arg in args {
            let cc = cc_arg(arg).ok_or_else(|| CC_USAGE.to_string())?;
            if cc.len() == 1 {
                codes.extend(A_Z.map(|b| format!("{cc}{b}")));
            } else {
                codes.push(cc);
            }
        }
        codes
    };
    codes.sort_unstable();
    codes.dedup();
    codes.truncate(limit.unwrap_or(usize::MAX));
    Ok(codes)
}

/// process_args: an empty list becomes `sorted(POP20_CC)[:limit]`.
pub fn cc_list_or_default(codes: Vec<String>, limit: Option<usize>) -> Vec<String> {
    if !codes.is_empty() {
        return codes;
    }
    let mut pop20: Vec<String> = POP20_CC.iter().map(|c| c.to_string()).collect();
    pop20.sort_unstable();
    pop20.truncate(limit.unwrap_or(usize::MAX));
    pop20
}

/// An integer option: empty is `None`; argparse's message for text that is not an int;
/// `usage` for a value below 1. Values beyond usize count as huge, as Python ints would.
pub fn parse_positive(value: &str, option: &str, usage: &str) -> Result<Option<usize>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    let huge = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    match parse_u64(value) {
        Ok(0) | Err(U64Error::Negative) => Err(usage.to_string()),
        Ok(n) => Ok(Some(huge(n))),
        Err(U64Error::TooLarge) => Ok(Some(usize::MAX)),
        Err(_) => {
            let negative_zero = value
                .trim()
                .strip_prefix('-')
                .is_some_and(|rest| parse_u64(rest) == Ok(0));
            if negative_zero {
                Err(usage.to_string())
            } else {
                Err(format!(
                    "argument {option}: invalid int value: {}",
                    repr_str(value)
                ))
            }
        }
    }
}

/// A float option, with argparse's message for text that is not a float.
pub fn parse_float(value: &str, option: &str) -> Result<f64, String> {
    parse_decimal(value).ok_or_else(|| {
        format!(
            "argument {option}: invalid float value: {}",
            repr_str(value)
        )
    })
}

/// A float option in seconds, from 0 to `max_s`.
pub fn parse_seconds(value: &str, option: &str, max_s: f64) -> Result<f64, String> {
    match parse_float(value, option)? {
        s if s < 0.0 => Err(format!("{option} must be >= 0")),
        s if s > max_s => Err(format!("{option} must be <= {max_s}")),
        s => Ok(s),
    }
}

/// A checkbox's text: `true` / `false`, any case; empty is `false`.
pub fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" | "" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::super::form::{Field, FlagsForm};
    use super::super::testing::{Rng, strings};
    use super::*;
    use crate::labs::form::FormText;

    fn expand(
        args: &[&str],
        all: bool,
        every: bool,
        limit: Option<usize>,
    ) -> Result<Vec<String>, String> {
        expand_cc(
            &strings(args),
            all,
            every,
            limit,
            &strings(&["ZW", "br", " ad ", "BR", ""]),
        )
    }

    #[test]
    fn expands_like_flags2_common() {
        let b = expand(&["b"], false, false, None).unwrap();
        assert_eq!(b.len(), 26);
        assert_eq!((b[0].as_str(), b[25].as_str()), ("BA", "BZ"));
        assert_eq!(
            expand(&["us", "BR", "Br", "cn"], false, false, None).unwrap(),
            strings(&["BR", "CN", "US"])
        );
        let abc = expand(&["a", "b", "c"], false, false, None).unwrap();
        assert_eq!(abc.len(), 78);
        assert_eq!(abc.first().unwrap(), "AA");
        assert_eq!(abc.last().unwrap(), "CZ");
        // A letter and codes it covers.
        assert_eq!(expand(&["BR", "b"], false, false, None).unwrap(), b);
        // -l: the first N after sorting.
        assert_eq!(
            expand(&["z", "a"], false, false, Some(3)).unwrap(),
            strings(&["AA", "AB", "AC"])
        );
        // -e: AA..ZZ, and it wins over -a; the CC arguments are ignored then, even bad ones.
        let every = expand(&["1"], true, true, None).unwrap();
        assert_eq!(every.len(), 676);
        assert_eq!((every[0].as_str(), every[675].as_str()), ("AA", "ZZ"));
        assert!(every.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(expand(&[], false, true, Some(100)).unwrap().len(), 100);
        // -a: what the server ships, upper-cased, sorted, without duplicates.
        assert_eq!(
            expand(&["?"], true, false, None).unwrap(),
            strings(&["AD", "BR", "ZW"])
        );
        assert_eq!(expand(&[], true, false, Some(1)).unwrap(), strings(&["AD"]));
        // Bad arguments.
        for bad in ["abc", "1", "B1", "", "é", "-a"] {
            assert_eq!(
                expand(&[bad], false, false, None),
                Err(CC_USAGE.to_string()),
                "{bad}"
            );
        }
        // Unicode upper-casing, as Python's str.upper: 'ß' is 'SS'.
        assert_eq!(
            expand(&["ß"], false, false, None).unwrap(),
            strings(&["SS"])
        );
        assert_eq!(parse_cc_args("ß").unwrap(), strings(&["SS"]));
        assert_eq!(parse_cc_args("ﬁ ı").unwrap(), strings(&["FI", "I"]));
    }

    #[test]
    fn upper_cases_every_character_like_to_uppercase() {
        let letters = |s: &str| s.chars().all(|c| c.is_ascii_uppercase());
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let upper = c.to_uppercase().to_string();
            let expected = letters(&upper).then_some(upper);
            let got = match c {
                'a'..='z' | 'A'..='Z' => Some(c.to_ascii_uppercase().to_string()),
                _ => upper_as_letters(c).map(str::to_string),
            };
            assert_eq!(got, expected, "{c:?}");
        }
    }

    /// The book's algorithm, written the obvious way.
    fn reference(args: &[String], limit: Option<usize>) -> Option<Vec<String>> {
        let mut set = BTreeSet::new();
        for arg in args {
            let up: Vec<char> = arg.to_uppercase().chars().collect();
            let ok = |c: &char| c.is_ascii_uppercase();
            match up.as_slice() {
                [a] if ok(a) => {
                    for b in 'A'..='Z' {
                        set.insert(format!("{a}{b}"));
                    }
                }
                [a, b] if ok(a) && ok(b) => {
                    set.insert(format!("{a}{b}"));
                }
                _ => return None,
            }
        }
        Some(set.into_iter().take(limit.unwrap_or(usize::MAX)).collect())
    }

    #[test]
    fn property_expansion_matches_the_reference() {
        let mut rng = Rng(2024);
        for _ in 0..3000 {
            let mut args = Vec::new();
            for _ in 0..rng.below(8) {
                let len = if rng.chance(90) {
                    1 + rng.below(2)
                } else {
                    rng.below(4)
                };
                let alphabet = if rng.chance(95) {
                    "abcxyzABCXYZbrBR"
                } else {
                    "ab1_- é"
                };
                args.push((0..len).map(|_| rng.pick(alphabet)).collect::<String>());
            }
            let limit = rng.chance(40).then(|| 1 + rng.below(60));
            let got = expand_cc(&args, false, false, limit, &[]);
            match reference(&args, limit) {
                None => assert_eq!(got, Err(CC_USAGE.to_string()), "{args:?}"),
                Some(want) => {
                    let got = got.unwrap();
                    assert_eq!(got, want, "{args:?} {limit:?}");
                    assert!(got.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
                    assert!(
                        got.iter()
                            .all(|c| c.len() == 2 && c.chars().all(|c| c.is_ascii_uppercase()))
                    );
                    assert!(got.len() <= limit.unwrap_or(usize::MAX));
                    // The text field agrees with the argument list.
                    let text = args.join(if rng.chance(50) { " " } else { ", " });
                    let parsed = parse_cc_args(&text).unwrap();
                    assert_eq!(expand_cc(&parsed, false, false, limit, &[]).unwrap(), got);
                    // Case does not matter.
                    let upper: Vec<String> = args.iter().map(|a| a.to_uppercase()).collect();
                    assert_eq!(expand_cc(&upper, false, false, limit, &[]).unwrap(), got);
                }
            }
            // -e ignores the arguments entirely.
            let every = expand_cc(&args, rng.chance(50), true, limit, &[]).unwrap();
            assert_eq!(every.len(), 676.min(limit.unwrap_or(usize::MAX)));
        }
    }

    #[test]
    fn property_random_text_in_the_field() {
        let mut rng = Rng(7);
        for _ in 0..3000 {
            let text: String = (0..rng.below(12))
                .map(|_| rng.pick("aB ,\n\tz9.Q"))
                .collect();
            let tokens: Vec<&str> = text
                .split(|c: char| c.is_whitespace() || c == ',')
                .filter(|t| !t.is_empty())
                .collect();
            let valid = tokens
                .iter()
                .all(|t| t.len() <= 2 && t.chars().all(|c| c.is_ascii_alphabetic()));
            let checked = FlagsForm::check(Field::CountryCodes, &text);
            assert_eq!(checked.is_ok(), valid, "{text:?}");
            if let Err(message) = checked {
                assert!(message.starts_with(CC_USAGE));
            }
        }
    }
}
