//! What the rates scripts print: the rate lines (`f"{rate:7.03}"`), the elapsed time, and
//! the exceptions as `requests` and `aiohttp` word them.

use super::api::{Rates, RequestError, SYMBOLS};
use super::choices::Library;
use crate::pyfmt::{format_general, plural};
use crate::text::seconds_2;

/// `1 USD =     1.0 USD,   0.823 EUR,    3.73 PLN,     8.5 NOK,    21.5 CZK`
pub fn rate_line(base: &str, rates: &Rates) -> String {
    let cells: Vec<String> = rates
        .iter()
        .zip(SYMBOLS)
        .map(|(rate, symbol)| format!("{} {symbol}", format_general(*rate, 7, 3)))
        .collect();
    format!("1 {base} = {}", cells.join(", "))
}

/// The script's last two lines: a blank one, then `time elapsed: 0.33s`.
pub fn elapsed_lines(elapsed_s: f64) -> [String; 2] {
    (String::new(), format!("time elapsed: {}", seconds_2(elapsed_s))).into()
}

/// The exception a failed request raises, as its library words it.
pub fn exception_line(library: Library, error: &RequestError, url: &str) -> String {
    match (library, error) {
        (Library::Requests, RequestError::Status { status, reason }) => {
            let side = if *status >= 500 { "Server" } else { "Client" };
            format!("requests.exceptions.HTTPError: {status} {side} Error: {reason} for url: {url}")
        }
        (Library::Requests, RequestError::Network(reason)) => {
            format!("requests.exceptions.ConnectionError: {reason} (url: {url})")
        }
        (Library::Aiohttp, RequestError::Status { status, reason }) => format!(
            "aiohttp.client_exceptions.ClientResponseError: {status}, message='{reason}', url=URL('{url}')"
        ),
        (Library::Aiohttp, RequestError::Network(reason)) => {
            format!("aiohttp.client_exceptions.ClientConnectionError: {reason} (url: {url})")
        }
        (_, RequestError::BadBody(reason)) => format!("ValueError: {reason} (url: {url})"),
    }
}

/// The first line Python prints when an exception ends a thread.
pub fn thread_death_line(thread: &str, target: &str) -> String {
    format!("Exception in thread {thread} ({target}):")
}

/// What `work_queue.join()` does after a thread died holding a base: wait forever.
pub fn hang_line(undone: usize) -> String {
    format!(
        "work_queue.join() never returns: {} never marked task_done(). The real script hangs \
         here; the playground stops it (error_handling shows the cure).",
        plural(undone, "base was", "bases were")
    )
}

/// The line Stop prints.
pub fn cancelled_line(elapsed_s: f64, workers: usize) -> String {
    let what = if workers > 0 {
        format!(
            "{} terminated, every request aborted",
            plural(workers, "worker", "workers")
        )
    } else {
        "every request aborted".to_string()
    };
    format!("KeyboardInterrupt — stopped after {}: {what}.", seconds_2(elapsed_s))
}

/// The Stop button's explanation while the main thread blocks.
pub const BLOCKING_STOP_NOTE: &str = "Stop cannot interrupt synchronous: each request holds the only \
    thread that could handle the click. The page stays frozen until the last answer is in.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_books_matrix_prints_as_in_the_book() {
        let matrix: [(&str, Rates); 5] = [
            ("USD", [1.0, 0.823, 3.73, 8.5, 21.5]),
            ("EUR", [1.22, 1.0, 4.54, 10.3, 26.2]),
            ("PLN", [0.268, 0.22, 1.0, 2.28, 5.76]),
            ("NOK", [0.118, 0.0968, 0.439, 1.0, 2.53]),
            ("CZK", [0.0465, 0.0382, 0.174, 0.395, 1.0]),
        ];
        let lines: Vec<String> = matrix.iter().map(|(b, r)| rate_line(b, r)).collect();
        assert_eq!(
            lines,
            [
                "1 USD =     1.0 USD,   0.823 EUR,    3.73 PLN,     8.5 NOK,    21.5 CZK",
                "1 EUR =    1.22 USD,     1.0 EUR,    4.54 PLN,    10.3 NOK,    26.2 CZK",
                "1 PLN =   0.268 USD,    0.22 EUR,     1.0 PLN,    2.28 NOK,    5.76 CZK",
                "1 NOK =   0.118 USD,  0.0968 EUR,   0.439 PLN,     1.0 NOK,    2.53 CZK",
                "1 CZK =  0.0465 USD,  0.0382 EUR,   0.174 PLN,   0.395 NOK,     1.0 CZK",
            ]
        );
        assert_eq!(elapsed_lines(4.081), ["", "time elapsed: 4.08s"]);
    }

    #[test]
    fn exceptions_as_the_libraries_word_them() {
        let url = "http://h/rates?base=NOK";
        let e500 = RequestError::Status { status: 500, reason: "Internal Server Error".into() };
        assert_eq!(
            exception_line(Library::Requests, &e500, url),
            "requests.exceptions.HTTPError: 500 Server Error: Internal Server Error for url: http://h/rates?base=NOK"
        );
        let e404 = RequestError::Status { status: 404, reason: "Not Found".into() };
        assert!(exception_line(Library::Requests, &e404, url).contains("404 Client Error: Not Found"));
        assert!(exception_line(Library::Aiohttp, &e500, url).starts_with(
            "aiohttp.client_exceptions.ClientResponseError: 500, message='Internal Server Error'"
        ));
        assert_eq!(thread_death_line("Thread-2", "worker"), "Exception in thread Thread-2 (worker):");
        assert!(hang_line(1).contains("1 base was never marked"));
        assert!(cancelled_line(1.5, 4).contains("4 workers terminated"));
    }
}
