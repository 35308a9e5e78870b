//! How a request, or a code, ended: `DownloadStatus` plus the lab's Cancelled, the reason
//! of a failure, flags2's `-v` line, and the counters.

use std::fmt;

use super::blocked::Blocked;

/// Why a request failed (not a 404).
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// Any HTTP status other than 2xx and 404; `reason` is the status text (may be empty).
    Http { status: u16, reason: String },
    /// No complete answer within the client timeout.
    Timeout { after_s: f64 },
    /// fetch() failed without an answer (a `TypeError`: no server, CORS refused, mixed
    /// content, connection reset…): what it most likely met, and the browser's message.
    Network { why: Blocked, reason: String },
    /// flags3: metadata.json has no `"country"` string.
    Metadata(String),
    /// A 2xx answer to a flag request that is not an image (its `Content-Type`).
    NotAnImage { content_type: String },
}

impl Failure {
    /// The verbose line's text after `CC error: `.
    pub fn message(&self) -> String {
        match self {
            Failure::Http { status, reason } => {
                let reason = if reason.trim().is_empty() {
                    reason_phrase(*status)
                } else {
                    reason.as_str()
                };
                format!("HTTP error {status} - {reason}")
            }
            Failure::Timeout { after_s } => format!("timed out after {after_s}s"),
            Failure::Network { why, reason } => format!("{}: {reason}", why.label()),
            Failure::Metadata(reason) => format!("bad metadata.json: {reason}"),
            Failure::NotAnImage { content_type } if content_type.is_empty() => {
                "not an image: the answer has no Content-Type".to_string()
            }
            Failure::NotAnImage { content_type } => {
                format!("not an image: the answer is {content_type}")
            }
        }
    }
}

impl Failure {
    /// A word or two for a timeline bar: `timed out`, `HTTP 418`, `blocked`.
    pub fn short(&self) -> String {
        match self {
            Failure::Http { status, .. } => format!("HTTP {status}"),
            Failure::Timeout { .. } => "timed out".to_string(),
            Failure::Network { .. } => "blocked".to_string(),
            Failure::Metadata(_) => "bad metadata".to_string(),
            Failure::NotAnImage { .. } => "not an image".to_string(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// Python's `http.HTTPStatus` phrase, for answers without a status text (HTTP/2).
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        410 => "Gone",
        418 => "I'm a Teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// `DownloadStatus`, plus the lab's Cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Ok,
    NotFound,
    Error,
    Cancelled,
}

impl Status {
    /// A CSS class for a flag tile or a timeline bar.
    pub fn class(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::NotFound => "not-found",
            Status::Error => "error",
            Status::Cancelled => "cancelled",
        }
    }
}

/// How a request, or a code, ended.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Ok,
    /// HTTP 404, with the (absolute) URL that answered it.
    NotFound {
        url: String,
    },
    Error(Failure),
    /// Stop came first.
    Cancelled,
}

impl Outcome {
    /// An HTTP answer: 2xx is OK, 404 not found, anything else an error (`raise_for_status`).
    pub fn from_status(status: u16, reason: &str, url: &str) -> Outcome {
        match status {
            200..=299 => Outcome::Ok,
            404 => Outcome::NotFound {
                url: url.to_string(),
            },
            _ => Outcome::Error(Failure::Http {
                status,
                reason: reason.to_string(),
            }),
        }
    }

    pub fn status(&self) -> Status {
        match self {
            Outcome::Ok => Status::Ok,
            Outcome::NotFound { .. } => Status::NotFound,
            Outcome::Error(_) => Status::Error,
            Outcome::Cancelled => Status::Cancelled,
        }
    }

    /// Short text for a tooltip: `OK`, `not found`, `HTTP error 418 - I'm a Teapot`, `cancelled`.
    pub fn summary(&self) -> String {
        match self {
            Outcome::Ok => "OK".to_string(),
            Outcome::NotFound { .. } => "not found".to_string(),
            Outcome::Error(failure) => failure.message(),
            Outcome::Cancelled => "cancelled".to_string(),
        }
    }
}

/// flags2's `-v` line for a code: `CN OK`, `XX not found: {url}`, `CC error: {message}`;
/// nothing for a cancelled one.
pub fn verbose_line(cc: &str, outcome: &Outcome) -> Option<String> {
    match outcome {
        Outcome::Ok => Some(format!("{cc} OK")),
        Outcome::NotFound { url } => Some(format!("{cc} not found: {url}")),
        Outcome::Error(failure) => Some(format!("{cc} error: {}", failure.message())),
        Outcome::Cancelled => None,
    }
}

/// The counters: how many codes ended each way.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub ok: usize,
    pub not_found: usize,
    pub errors: usize,
    pub cancelled: usize,
}

impl Counts {
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Ok => self.ok += 1,
            Status::NotFound => self.not_found += 1,
            Status::Error => self.errors += 1,
            Status::Cancelled => self.cancelled += 1,
        }
    }

    /// ok + not found + errors + cancelled.
    pub fn total(&self) -> usize {
        self.ok + self.not_found + self.errors + self.cancelled
    }

    /// The codes that were answered (what tqdm counts).
    pub fn answered(&self) -> usize {
        self.ok + self.not_found + self.errors
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_that_is_not_an_image_says_what_it_is() {
        let html = Failure::NotAnImage {
            content_type: "text/html".to_string(),
        };
        assert_eq!(html.message(), "not an image: the answer is text/html");
        assert_eq!(
            Outcome::Error(html).status(),
            Status::Error,
            "counted as an error, not a flag"
        );
        let none = Failure::NotAnImage {
            content_type: String::new(),
        };
        assert_eq!(
            none.message(),
            "not an image: the answer has no Content-Type"
        );
    }

    #[test]
    fn outcomes_from_answers() {
        assert_eq!(Outcome::from_status(200, "OK", "u"), Outcome::Ok);
        assert_eq!(Outcome::from_status(204, "", "u"), Outcome::Ok);
        assert_eq!(
            Outcome::from_status(404, "Not Found", "u"),
            Outcome::NotFound {
                url: "u".to_string()
            }
        );
        let teapot = Outcome::from_status(418, "I'm a Teapot", "u");
        assert_eq!(teapot.status(), Status::Error);
        assert_eq!(teapot.summary(), "HTTP error 418 - I'm a Teapot");
        let http2 = Outcome::from_status(503, "", "u");
        assert_eq!(http2.summary(), "HTTP error 503 - Service Unavailable");
        assert_eq!(
            Outcome::from_status(301, "Moved", "u").status(),
            Status::Error
        );
        assert_eq!(
            Failure::Timeout { after_s: 3.1 }.message(),
            "timed out after 3.1s"
        );
        let cors = Failure::Network {
            why: Blocked::CorsOrNetwork,
            reason: "Failed to fetch".to_string(),
        };
        assert_eq!(
            verbose_line("BR", &Outcome::Error(cors)).unwrap(),
            "BR error: blocked or unreachable (CORS or network): Failed to fetch"
        );
        let mixed = Failure::Network {
            why: Blocked::MixedContent,
            reason: "Failed to fetch".to_string(),
        };
        assert_eq!(
            mixed.to_string(),
            "blocked as mixed content: Failed to fetch"
        );
        assert_eq!(verbose_line("CN", &Outcome::Ok).unwrap(), "CN OK");
        assert_eq!(
            verbose_line(
                "XX",
                &Outcome::NotFound {
                    url: "http://h/flags/xx/xx.svg".to_string()
                }
            )
            .unwrap(),
            "XX not found: http://h/flags/xx/xx.svg"
        );
        assert_eq!(
            verbose_line("CC", &teapot).unwrap(),
            "CC error: HTTP error 418 - I'm a Teapot"
        );
        assert_eq!(verbose_line("CC", &Outcome::Cancelled), None);
    }
}
