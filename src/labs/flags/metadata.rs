//! flags3 reads the country from metadata.json: just enough JSON for that.

/// flags3's `metadata['country']` from metadata.json (`{"cc": "BR", "country": "Brazil"}`).
pub fn parse_metadata(json: &str) -> Result<String, String> {
    let mut parser = Json {
        chars: json.chars().collect(),
        at: 0,
    };
    let country = parser.object_field("country")?;
    parser.skip_ws();
    if parser.at != parser.chars.len() {
        return Err("not JSON: text after the object".to_string());
    }
    country.ok_or_else(|| "no \"country\" string".to_string())
}

/// Just enough JSON to read one string field of an object.
struct Json {
    chars: Vec<char>,
    at: usize,
}

impl Json {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_ws(&mut self) {
        while self
            .peek()
            .is_some_and(|c| matches!(c, ' ' | '\t' | '\n' | '\r'))
        {
            self.at += 1;
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("not JSON: expected '{c}' at {}", self.at))
        }
    }

    /// Parses an object; returns the string value of `key`, if it is a string.
    fn object_field(&mut self, key: &str) -> Result<Option<String>, String> {
        self.expect('{')?;
        let mut found = None;
        self.skip_ws();
        if self.peek() == Some('}') {
            self.at += 1;
            return Ok(None);
        }
        loop {
            self.skip_ws();
            let name = self.string()?;
            self.expect(':')?;
            let value = self.value()?;
            if name == key && found.is_none() {
                found = value;
            }
            self.skip_ws();
            match self.peek() {
                Some(',') => self.at += 1,
                Some('}') => {
                    self.at += 1;
                    return Ok(found);
                }
                _ => return Err(format!("not JSON: expected ',' or '}}' at {}", self.at)),
            }
        }
    }

    /// Any value; `Some` for a string.
    fn value(&mut self) -> Result<Option<String>, String> {
        self.skip_ws();
        match self.peek() {
            Some('"') => self.string().map(Some),
            Some('{') => self.object_field("").map(|_| None),
            Some('[') => {
                self.at += 1;
                self.skip_ws();
                if self.peek() == Some(']') {
                    self.at += 1;
                    return Ok(None);
                }
                loop {
                    self.value()?;
                    self.skip_ws();
                    match self.peek() {
                        Some(',') => self.at += 1,
                        Some(']') => {
                            self.at += 1;
                            return Ok(None);
                        }
                        _ => return Err(format!("not JSON: expected ',' or ']' at {}", self.at)),
                    }
                }
            }
            Some(c) if c == '-' || c.is_ascii_alphanumeric() => {
                let number = c == '-' || c.is_ascii_digit();
                let start = self.at;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '+' | '.'))
                {
                    self.at += 1;
                }
                let word: String = self.chars[start..self.at].iter().collect();
                let literal = matches!(word.as_str(), "true" | "false" | "null");
                if literal || (number && word.parse::<f64>().is_ok()) {
                    Ok(None)
                } else {
                    Err(format!("not JSON: unexpected `{word}`"))
                }
            }
            _ => Err(format!("not JSON: expected a value at {}", self.at)),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits: String = self
            .chars
            .get(self.at..self.at + 4)
            .unwrap_or(&[])
            .iter()
            .collect();
        let code = u32::from_str_radix(&digits, 16)
            .ok()
            .filter(|_| digits.len() == 4)
            .ok_or("not JSON: bad \\u escape")?;
        self.at += 4;
        Ok(code)
    }

    fn string(&mut self) -> Result<String, String> {
        self.expect('"')?;
        let mut out = String::new();
        loop {
            let c = self.peek().ok_or("not JSON: unterminated string")?;
            self.at += 1;
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let e = self.peek().ok_or("not JSON: unterminated string")?;
                    self.at += 1;
                    match e {
                        '"' | '\\' | '/' => out.push(e),
                        'b' => out.push('\u{8}'),
                        'f' => out.push('\u{c}'),
                        'n' => out.push('\n'),
                        'r' => out.push('\r'),
                        't' => out.push('\t'),
                        'u' => {
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high)
                                && self.chars.get(self.at..self.at + 2) == Some(&['\\', 'u'])
                            {
                                self.at += 2;
                                let low = self.hex4()?;
                                if (0xDC00..0xE000).contains(&low) {
                                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                                } else {
                                    0xFFFD
                                }
                            } else {
                                high
                            };
                            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                        }
                        _ => return Err("not JSON: bad escape".to_string()),
                    }
                }
                c if (c as u32) < 0x20 => {
                    return Err("not JSON: control character in a string".to_string());
                }
                c => out.push(c),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_metadata() {
        assert_eq!(
            parse_metadata("{\"cc\": \"BR\", \"country\": \"Brazil\"}\n").unwrap(),
            "Brazil"
        );
        assert_eq!(
            parse_metadata(r#"{"country":"C\u00f4te d'Ivoire","cc":"CI"}"#).unwrap(),
            "Côte d'Ivoire"
        );
        assert_eq!(
            parse_metadata(
                r#"{"n": [1, -2.5e3, {"a": null}], "ok": true, "country": "A \"B\" \ud83c\udff3"}"#
            )
            .unwrap(),
            "A \"B\" 🏳"
        );
        assert_eq!(
            parse_metadata(r#"{"cc": "BR"}"#),
            Err("no \"country\" string".to_string())
        );
        assert_eq!(
            parse_metadata(r#"{"country": 7}"#),
            Err("no \"country\" string".to_string())
        );
        assert_eq!(
            parse_metadata("{}"),
            Err("no \"country\" string".to_string())
        );
        for bad in [
            "",
            "<html>",
            "{\"country\": \"Brazil\"",
            "{\"country\": Brazil}",
            "{} x",
            "{\"a\": inf}",
        ] {
            assert!(
                parse_metadata(bad).unwrap_err().starts_with("not JSON"),
                "{bad}"
            );
        }
    }
}
