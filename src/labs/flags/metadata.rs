//! flags3 reads the country from metadata.json (`{"cc": "BR", "country": "Brazil"}`).

use serde_json::Value;

/// flags3's `metadata['country']`: the `"country"` string of the JSON object.
pub fn parse_metadata(json: &str) -> Result<String, String> {
    // from_slice, as the rates lab reads its answers: one JSON reader in the page, not two
    // (1.1 kB gzip).
    let value: Value =
        serde_json::from_slice(json.as_bytes()).map_err(|e| format!("not JSON: {e}"))?;
    value
        .get("country")
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| "no \"country\" string".to_string())
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
