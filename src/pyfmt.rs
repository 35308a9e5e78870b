//! Python's ways of writing values, for transcript lines that must read as the scripts
//! print them: `repr(str)`, `repr(float)`, and the `1 flag` / `2 flags` plural.

/// A string as Python's `repr(str)` writes it: `'CN'`, `"it's"`, `'a\nb'`.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// A number as Python's `repr(float)` writes it: `15.0`, `1.5`, `1e-05`, `1e+16`.
pub fn repr_float(x: f64) -> String {
    // Rust's Debug already picks the shortest round-trip digits, adds `.0` to whole
    // numbers and switches to exponents where Python does; only the exponent differs.
    let text = format!("{x:?}");
    match text.split_once('e') {
        Some((mantissa, exp)) => {
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(digits) => ('-', digits),
                None => ('+', exp),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => text,
    }
}

/// Python's `f"{x:{width}.{precision}}"` (no type letter): the general format with
/// `precision` significant digits, fixed-point while the exponent is in
/// `-4..precision - 1` and always with a digit after the point there (`1.0`, `8.5`,
/// `0.0465`), else scientific with trailing zeros dropped (`1.89e+02`); right-aligned.
/// (CPython's `repr`-style rule: the `.0` it may add must fit in the precision.)
pub fn format_general(x: f64, width: usize, precision: usize) -> String {
    let precision = precision.max(1);
    let text = if !x.is_finite() {
        if x.is_nan() {
            "nan"
        } else if x > 0.0 {
            "inf"
        } else {
            "-inf"
        }
        .to_string()
    } else {
        // Rust's `{:e}` rounds the exact binary value correctly, as Python does; the
        // rounded exponent decides between the two notations.
        let scientific = format!("{:.*e}", precision - 1, x);
        let (mantissa, exponent) = scientific.split_once('e').expect("`{:e}` has an exponent");
        let exponent: i32 = exponent.parse().expect("`{:e}` writes a whole exponent");
        if (-4..precision as i32 - 1).contains(&exponent) {
            let decimals = (precision as i32 - 1 - exponent) as usize;
            let fixed = format!("{:.*}", decimals, x);
            let trimmed = if fixed.contains('.') {
                fixed.trim_end_matches('0').trim_end_matches('.')
            } else {
                &fixed
            };
            if trimmed.contains('.') {
                trimmed.to_string()
            } else {
                format!("{trimmed}.0")
            }
        } else {
            let mantissa = if mantissa.contains('.') {
                mantissa.trim_end_matches('0').trim_end_matches('.')
            } else {
                mantissa
            };
            let sign = if exponent < 0 { '-' } else { '+' };
            format!("{mantissa}e{sign}{:02}", exponent.abs())
        }
    };
    format!("{text:>width$}")
}

/// What Stop leaves as a run's last line: `KeyboardInterrupt — stopped after 0.50s, 3 workers
/// terminated.` (no worker part when the run had none).
pub fn keyboard_interrupt_line(elapsed_s: f64, workers: usize) -> String {
    let what = if workers > 0 {
        format!(", {} terminated", plural(workers, "worker", "workers"))
    } else {
        String::new()
    };
    format!("KeyboardInterrupt — stopped after {elapsed_s:.2}s{what}.")
}

/// `1 flag`, `2 flags`: the count and the word that agrees with it.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_names_the_workers_it_terminated() {
        assert_eq!(
            keyboard_interrupt_line(1.5, 4),
            "KeyboardInterrupt — stopped after 1.50s, 4 workers terminated."
        );
        assert_eq!(
            keyboard_interrupt_line(0.5, 1),
            "KeyboardInterrupt — stopped after 0.50s, 1 worker terminated."
        );
        assert_eq!(
            keyboard_interrupt_line(0.25, 0),
            "KeyboardInterrupt — stopped after 0.25s."
        );
    }

    #[test]
    fn general_format_matches_cpython_on_two_thousand_floats() {
        // Generated once with CPython (header line says which); `repr` round-trips exactly.
        let table = include_str!("../tests/data/pyfmt_7_03.tsv");
        let mut checked = 0;
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let (repr, python) = line.split_once('\t').expect("repr<TAB>formatted");
            let x: f64 = repr.parse().expect("a Python float repr");
            assert_eq!(format_general(x, 7, 3), python, "f\"{{{repr}:7.03}}\"");
            checked += 1;
        }
        assert!(checked >= 2000, "{checked}");
        assert_eq!(format_general(f64::NAN, 7, 3), "    nan");
        assert_eq!(format_general(f64::NEG_INFINITY, 7, 3), "   -inf");
    }

    #[test]
    fn strings_as_python_repr() {
        assert_eq!(repr_str("CN"), "'CN'");
        assert_eq!(repr_str("it's"), "\"it's\"");
        assert_eq!(repr_str("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(repr_str("a\tb"), "'a\\tb'");
        assert_eq!(repr_str("a\nb"), "'a\\nb'");
        assert_eq!(repr_str("C:\\x"), "'C:\\\\x'");
    }

    #[test]
    fn floats_as_python_repr() {
        assert_eq!(repr_float(15.0), "15.0");
        assert_eq!(repr_float(0.5), "0.5");
        assert_eq!(repr_float(1e-5), "1e-05");
        assert_eq!(repr_float(1e16), "1e+16");
        assert_eq!(repr_float(1.5e16), "1.5e+16");
        assert_eq!(repr_float(1e15), "1000000000000000.0");
    }

    #[test]
    fn plurals() {
        assert_eq!(plural(1, "flag", "flags"), "1 flag");
        assert_eq!(plural(0, "flag", "flags"), "0 flags");
        assert_eq!(plural(20, "number", "numbers"), "20 numbers");
    }
}
