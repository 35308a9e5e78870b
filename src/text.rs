//! Number parsing and formatting shared by every lab's model.

/// `5000111000222021` → `"5,000,111,000,222,021"` (Python's `f'{n:,}'`).
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Why a text is not a u64, phrased for a message next to the field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum U64Error {
    Empty,
    NotANumber,
    Negative,
    TooLarge,
}

impl U64Error {
    /// The message shown next to a field called `label`.
    pub fn message(&self, label: &str) -> String {
        match self {
            U64Error::Empty => format!("{label} is required."),
            U64Error::NotANumber => {
                format!("{label} must be a whole number, e.g. 5,000,111,000,222,021.")
            }
            U64Error::Negative => format!("{label} must not be negative."),
            U64Error::TooLarge => format!(
                "{label} is above the largest 64-bit unsigned integer ({}).",
                group_thousands(u64::MAX)
            ),
        }
    }
}

/// Parses a whole number the way a reader types it: `5000111000222021`,
/// `5_000_111_000_222_021` (Python literal) or `5,000,111,000,222,021`.
pub fn parse_u64(text: &str) -> Result<u64, U64Error> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(U64Error::Empty);
    }
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed.strip_prefix('+').unwrap_or(trimmed)),
    };
    let digits: String = body
        .chars()
        .filter(|c| !matches!(c, '_' | ',' | ' '))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(U64Error::NotANumber);
    }
    if negative {
        return Err(if digits.chars().all(|c| c == '0') {
            U64Error::NotANumber
        } else {
            U64Error::Negative
        });
    }
    digits.parse::<u64>().map_err(|_| U64Error::TooLarge)
}

/// A Seed field: empty for fresh random numbers each run, else the seed to repeat a run.
pub fn optional_seed(value: &str) -> Result<Option<u64>, String> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    parse_u64(value).map(Some).map_err(|e| e.message("Seed"))
}

/// A whole number in `lo..=hi` for the field `label`, or its message:
/// `Workers must be a whole number from 1 to 64.`
pub fn whole_in<T>(value: &str, label: &str, (lo, hi): (T, T)) -> Result<T, String>
where
    T: Copy + PartialOrd + std::fmt::Display + std::str::FromStr,
{
    match value.trim().parse::<T>() {
        Ok(v) if (lo..=hi).contains(&v) => Ok(v),
        _ => Err(format!("{label} must be a whole number from {lo} to {hi}.")),
    }
}

/// Parses a finite decimal number (`3`, `0.5`, `2.`); `None` for anything else.
pub fn parse_decimal(text: &str) -> Option<f64> {
    parse_f64(text.trim()).filter(|v| v.is_finite())
}

/// Reads a decimal number the way `str::parse::<f64>` does (`3`, `-0.5`, `2.`, `.5`, `1e-3`;
/// but not `inf` or `nan`), to the same correctly rounded value. In the browser, once the text
/// is checked here, JavaScript's `Number.parseFloat` converts it: Rust's own conversion would
/// add its tables, 14 kB gzip, to the page.
pub fn parse_f64(text: &str) -> Option<f64> {
    if !is_decimal(text) {
        return None;
    }
    #[cfg(target_arch = "wasm32")]
    return Some(js_sys::Number::parse_float(text));
    #[cfg(not(target_arch = "wasm32"))]
    text.parse().ok()
}

/// `str::parse::<f64>`'s decimal syntax: a sign, digits with at most one `.` (at least one
/// digit), then maybe `e`/`E`, a sign and at least one digit.
fn is_decimal(text: &str) -> bool {
    fn unsigned(s: &str) -> &str {
        s.strip_prefix(['+', '-']).unwrap_or(s)
    }
    fn digits(s: &str) -> bool {
        s.bytes().all(|b| b.is_ascii_digit())
    }
    let text = unsigned(text);
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(unsigned(exponent))),
        None => (text, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    (!whole.is_empty() || !fraction.is_empty())
        && digits(whole)
        && digits(fraction)
        && exponent.is_none_or(|e| !e.is_empty() && digits(e))
}

/// What a list field is called in its messages: `Numbers needs at least one number.`
pub struct ListField {
    /// The field's label.
    pub name: &'static str,
    /// One entry, and several, as the messages say them.
    pub one: &'static str,
    pub many: &'static str,
    /// Appended to the "at least one" message, e.g. `, e.g. 0 1 2 3 4`.
    pub example: &'static str,
    /// The most entries the field takes.
    pub max: usize,
}

impl ListField {
    /// Every entry parsed by `parse(index, entry)`, once there are 1 to `max` of them.
    pub fn parse<T>(
        &self,
        entries: &[&str],
        parse: impl Fn(usize, &str) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        if entries.is_empty() {
            return Err(format!(
                "{} needs at least one {}{}.",
                self.name, self.one, self.example
            ));
        }
        if entries.len() > self.max {
            return Err(format!(
                "{} must have at most {} {}; this list has {}.",
                self.name,
                group_thousands(self.max as u64),
                self.many,
                group_thousands(entries.len() as u64)
            ));
        }
        entries
            .iter()
            .enumerate()
            .map(|(i, entry)| parse(i, entry))
            .collect()
    }
}

/// `text`, cut to `max_chars` characters with a trailing `…` when longer (for notices).
pub fn shorten(text: &str, max_chars: usize) -> String {
    if text.chars().count() <= max_chars {
        text.to_string()
    } else {
        let head: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        format!("{head}…")
    }
}

/// Seconds as the scripts print them: `f'{elapsed:.2f}s'`.
pub fn seconds_2(seconds: f64) -> String {
    format!("{seconds:.2}s")
}

/// Seconds in a sentence: `"2.99 s"`, `"1,204.50 s"`.
pub fn seconds_prose(seconds: f64) -> String {
    let hundredths = (seconds.max(0.0) * 100.0).round() as u64;
    format!(
        "{}.{:02} s",
        group_thousands(hundredths / 100),
        hundredths % 100
    )
}

/// Milliseconds for meters and tables: `"16 ms"`, `"2,004 ms"`.
pub fn millis(ms: f64) -> String {
    format!("{} ms", group_thousands(ms.max(0.0).round() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_like_python() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(
            group_thousands(5_000_111_000_222_021),
            "5,000,111,000,222,021"
        );
        assert_eq!(group_thousands(u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn parses_numbers_as_readers_type_them() {
        assert_eq!(parse_u64("5000111000222021"), Ok(5_000_111_000_222_021));
        assert_eq!(
            parse_u64(" 5_000_111_000_222_021 "),
            Ok(5_000_111_000_222_021)
        );
        assert_eq!(
            parse_u64("5,000,111,000,222,021"),
            Ok(5_000_111_000_222_021)
        );
        assert_eq!(parse_u64("18446744073709551615"), Ok(u64::MAX));
        assert_eq!(parse_u64("+7"), Ok(7));
    }

    #[test]
    fn rejects_bad_numbers_with_a_reason() {
        assert_eq!(parse_u64(""), Err(U64Error::Empty));
        assert_eq!(parse_u64("abc"), Err(U64Error::NotANumber));
        assert_eq!(parse_u64("1.5"), Err(U64Error::NotANumber));
        assert_eq!(parse_u64("-5"), Err(U64Error::Negative));
        assert_eq!(parse_u64("18446744073709551616"), Err(U64Error::TooLarge));
        assert_eq!(
            parse_u64("99999999999999999999999"),
            Err(U64Error::TooLarge)
        );
        assert!(
            U64Error::TooLarge
                .message("Number")
                .contains("18,446,744,073,709,551,615")
        );
    }

    #[test]
    fn parses_decimals_strictly() {
        assert_eq!(parse_decimal("3"), Some(3.0));
        assert_eq!(parse_decimal(" 0.5 "), Some(0.5));
        assert_eq!(parse_decimal("-1"), Some(-1.0));
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal("inf"), None);
        assert_eq!(parse_decimal("NaN"), None);
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("+.5e1"), Some(5.0));
        assert_eq!(parse_decimal("1e400"), None);
    }

    /// `parse_f64` takes exactly the texts `str::parse::<f64>` takes, but for `inf`/`nan`:
    /// every text of up to 6 characters made of digits, `.`, signs and exponent marks.
    #[test]
    fn reads_the_decimal_syntax_of_str_parse() {
        let alphabet = ['0', '7', '.', '+', '-', 'e', 'E'];
        let mut texts = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        assert_eq!(texts.len(), (0..=6).map(|n| 7usize.pow(n)).sum::<usize>());
        for text in &texts {
            assert_eq!(parse_f64(text), text.parse::<f64>().ok(), "{text:?}");
        }
        for text in ["inf", "NaN", "1_0", " 1", "0x10", "1e", "e1", ".", "1.2.3"] {
            assert_eq!(parse_f64(text), None, "{text:?}");
        }
    }

    #[test]
    fn shortens_long_text() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }

    #[test]
    fn formats_times() {
        assert_eq!(seconds_2(7.256), "7.26s");
        assert_eq!(millis(2004.4), "2,004 ms");
        assert_eq!(seconds_prose(2.994), "2.99 s");
        assert_eq!(seconds_prose(1204.5), "1,204.50 s");
        assert_eq!(seconds_prose(-0.1), "0.00 s");
    }
}
