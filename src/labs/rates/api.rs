//! The rates API the project serves (`www/sw.js` answers `rates?base=USD`, from the book's
//! matrix in `www/rates.json`): the URL a run asks for, and what its answer means.

use crate::runtime::ports::{FetchError, Reply};

/// The matrix's currencies, in the order the scripts print them (`SYMBOLS` = `BASES`).
pub const SYMBOLS: [&str; 5] = ["USD", "EUR", "PLN", "NOK", "CZK"];

/// How the server behaves; the parameters travel in the query string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServerParams {
    /// Each answer waits `latency_s` ± 20 %.
    pub latency_s: f64,
    /// The chance of a `500 Internal Server Error`.
    pub error_rate: f64,
    /// Makes delays and errors repeatable; `None` draws new ones every run.
    pub seed: Option<u64>,
}

/// The URL of request `req` (its index in the run) for `base`, `api` being the endpoint's
/// absolute URL (`http://…/playground/rates`).
pub fn rates_url(api: &str, base: &str, server: &ServerParams, req: usize) -> String {
    let seed = server.seed.map(|s| format!("&seed={s}")).unwrap_or_default();
    format!(
        "{api}?base={base}&latency={}&p={}{seed}&req={req}",
        server.latency_s, server.error_rate
    )
}

/// One base's rates, in [`SYMBOLS`] order.
pub type Rates = [f64; SYMBOLS.len()];

/// Why a request gave no rates.
#[derive(Clone, Debug, PartialEq)]
pub enum RequestError {
    /// The server answered with an error status (`raise_for_status`).
    Status { status: u16, reason: String },
    /// No answer at all.
    Network(String),
    /// An answer, but not the rates JSON.
    BadBody(String),
}

/// `response.raise_for_status(); rates = response.json()["rates"]; rates[base] = 1.`
pub fn parse_reply(base: &str, answer: Result<Reply, FetchError>) -> Result<Rates, RequestError> {
    let reply = answer.map_err(|e| RequestError::Network(e.to_string()))?;
    if reply.status >= 400 || reply.status == 0 {
        return Err(RequestError::Status {
            status: reply.status,
            reason: reply.status_text,
        });
    }
    // from_slice, as flags3 reads its metadata: one JSON reader in the page, not two.
    let json: serde_json::Value = serde_json::from_slice(&reply.body)
        .map_err(|e| RequestError::BadBody(format!("the answer is not JSON ({e})")))?;
    let table = json
        .get("rates")
        .and_then(|r| r.as_object())
        .ok_or_else(|| RequestError::BadBody("the answer has no \"rates\" object".to_string()))?;
    let mut rates = [0.0; SYMBOLS.len()];
    for (slot, symbol) in rates.iter_mut().zip(SYMBOLS) {
        *slot = if symbol == base {
            1.0
        } else {
            table.get(symbol).and_then(|v| v.as_f64()).ok_or_else(|| {
                RequestError::BadBody(format!("KeyError: '{symbol}' (no such rate in the answer)"))
            })?
        };
    }
    Ok(rates)
}

#[cfg(test)]
pub mod testing {
    //! The server on a virtual clock, answering like `www/sw.js` from the same data.

    use super::*;
    use crate::runtime::testing::typed_reply;

    const DATA: &str = include_str!("../../../www/rates.json");

    /// `(delay ms, answer)` for a rates URL: the latency exactly, a 500 for the request
    /// numbers in `failing`, a 404 for an unknown base.
    pub fn answer(url: &str, failing: &[usize]) -> (f64, Result<Reply, FetchError>) {
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let param = |name: &str| {
            query
                .split('&')
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
                .unwrap_or_default()
                .to_string()
        };
        let delay_ms = param("latency").parse::<f64>().unwrap_or(0.3) * 1000.0;
        let req: usize = param("req").parse().unwrap_or(usize::MAX);
        let base = param("base");
        let data: serde_json::Value = serde_json::from_str(DATA).expect("rates.json");
        let reply = if failing.contains(&req) {
            typed_reply(500, "Internal Server Error", "application/json", r#"{"error":"Internal Server Error"}"#)
        } else {
            match data["rates"].get(&base) {
                Some(row) => {
                    let body = serde_json::json!({"base": base, "date": data["date"], "rates": row});
                    typed_reply(200, "OK", "application/json", &body.to_string())
                }
                None => typed_reply(404, "Not Found", "application/json", r#"{"error":"unknown base"}"#),
            }
        };
        (delay_ms, Ok(reply))
    }

    #[test]
    fn the_data_file_has_the_symbols_in_order() {
        let data: serde_json::Value = serde_json::from_str(DATA).unwrap();
        let symbols: Vec<&str> = data["symbols"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(symbols, SYMBOLS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::testing::typed_reply;

    #[test]
    fn urls_carry_the_server_parameters() {
        let server = ServerParams {
            latency_s: 0.3,
            error_rate: 0.25,
            seed: Some(7),
        };
        assert_eq!(
            rates_url("http://h/p/rates", "NOK", &server, 3),
            "http://h/p/rates?base=NOK&latency=0.3&p=0.25&seed=7&req=3"
        );
        let unseeded = ServerParams { seed: None, ..server };
        assert_eq!(
            rates_url("rates", "USD", &unseeded, 0),
            "rates?base=USD&latency=0.3&p=0.25&req=0"
        );
    }

    #[test]
    fn replies_become_rates_or_errors() {
        let (_, answer) = testing::answer("rates?base=NOK&req=0", &[]);
        assert_eq!(parse_reply("NOK", answer), Ok([0.118, 0.0968, 0.439, 1.0, 2.53]));
        let (_, failing) = testing::answer("rates?base=NOK&req=2", &[2]);
        assert_eq!(
            parse_reply("NOK", failing),
            Err(RequestError::Status {
                status: 500,
                reason: "Internal Server Error".to_string()
            })
        );
        let not_json = Ok(typed_reply(200, "OK", "text/html", "<h1>hi</h1>"));
        assert!(matches!(parse_reply("USD", not_json), Err(RequestError::BadBody(_))));
        let missing = Ok(typed_reply(200, "OK", "application/json", r#"{"rates":{"EUR":1}}"#));
        assert!(matches!(parse_reply("USD", missing), Err(RequestError::BadBody(m)) if m.contains("'PLN'")));
        let down = Err(FetchError::Network("Failed to fetch".to_string()));
        assert!(matches!(parse_reply("USD", down), Err(RequestError::Network(_))));
    }
}
