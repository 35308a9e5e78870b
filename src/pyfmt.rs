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

/// `1 flag`, `2 flags`: the count and the word that agrees with it.
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

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
