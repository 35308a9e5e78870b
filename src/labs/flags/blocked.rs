//! Why a `fetch()` failed without an answer, as far as the page can tell. The browser
//! rejects with the same `TypeError` ("Failed to fetch") whether the request was blocked as
//! mixed content, refused by CORS or never reached the server; only mixed content can be
//! told from the URLs alone, so the rest is named for what it may be.

use super::server::resolve;
use crate::pyfmt::plural;

/// What a failed `fetch()` (no HTTP status to read) most likely met.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Blocked {
    /// An https page asked an http URL: the browser refuses before sending anything.
    MixedContent,
    /// CORS refused (no `Access-Control-Allow-Origin` for this page) or the server could
    /// not be reached: the browser does not tell the page which.
    CorsOrNetwork,
}

impl Blocked {
    /// What a fetch of `request_url` (absolute, or relative to the page) from the page at
    /// `page_url` that failed without an answer met: mixed content when an https page asked
    /// an http URL that is not the machine itself (`localhost` and loopback addresses are
    /// trusted, so the browser lets them through), else CORS or the network.
    pub fn of(page_url: &str, request_url: &str) -> Blocked {
        let request = resolve(page_url, request_url);
        if has_scheme(page_url, "https") && has_scheme(&request, "http") && !is_loopback(&request)
        {
            Blocked::MixedContent
        } else {
            Blocked::CorsOrNetwork
        }
    }

    /// The short name, for each verbose line, tile and bar.
    pub fn label(self) -> &'static str {
        match self {
            Blocked::MixedContent => "blocked as mixed content",
            Blocked::CorsOrNetwork => "blocked or unreachable (CORS or network)",
        }
    }

    /// What it means and what to do, in plain words (once above the report).
    pub fn explanation(self) -> &'static str {
        match self {
            Blocked::MixedContent => {
                "this page was loaded over https, and an https page may not load http:// URLs: \
                 the browser refused to send the requests. Use an https:// base URL."
            }
            Blocked::CorsOrNetwork => {
                "either the server did not allow this page to read its answers (it sent no \
                 Access-Control-Allow-Origin header for this page's origin), or it could not be \
                 reached at all. The browser does not tell the page which; its console does."
            }
        }
    }

    /// The line shown once above the report: `20 errors: blocked or unreachable (…) — …`.
    pub fn summary_line(self, count: usize) -> String {
        format!(
            "{}: {} — {}",
            plural(count, "error", "errors"),
            self.label(),
            self.explanation()
        )
    }
}

/// Whether `url`'s scheme is `scheme` (any case).
fn has_scheme(url: &str, scheme: &str) -> bool {
    url.split_once("://")
        .is_some_and(|(s, _)| s.eq_ignore_ascii_case(scheme))
}

/// `localhost` (and its subdomains), `127.0.0.0/8` or `[::1]`: hosts the browser trusts over
/// plain http, so they are never mixed content.
fn is_loopback(url: &str) -> bool {
    let Some(origin) = super::server::origin(url) else {
        return false;
    };
    let authority = origin.split_once("://").map_or("", |(_, a)| a);
    let host = if authority.starts_with('[') {
        authority.split(']').next().map_or("", |h| &h[1..])
    } else {
        authority.split(':').next().unwrap_or("")
    };
    let host = host.trim_end_matches('.');
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "::1"
        || host.strip_prefix("127.").is_some_and(|rest| {
            rest.split('.').count() == 3 && rest.split('.').all(|n| n.parse::<u8>().is_ok())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTED: &str = "https://user.github.io/playground/#/flags?server=REMOTE";

    #[test]
    fn an_https_page_asking_an_http_url_is_mixed_content() {
        let blocked = Blocked::of(HOSTED, "http://fluentpython.com/data/flags/cn/cn.gif");
        assert_eq!(blocked, Blocked::MixedContent);
        assert_eq!(
            Blocked::of("HTTPS://x.org/", "HTTP://Example.org/flags/br/br.gif"),
            Blocked::MixedContent
        );
        assert!(blocked.explanation().contains("an https page may not load http:// URLs"));
        assert!(blocked.explanation().contains("Use an https:// base URL"));
    }

    #[test]
    fn anything_else_is_cors_or_the_network() {
        for (page, request) in [
            // https → https: CORS or the network.
            (HOSTED, "https://www.fluentpython.com/data/flags/cn/cn.gif"),
            // An http page may ask http URLs.
            ("http://localhost:8080/playground/", "http://example.org/flags/br/br.gif"),
            // A relative URL takes the page's scheme.
            (HOSTED, "flags/br/br.svg"),
            // The machine itself is trusted over http.
            (HOSTED, "http://localhost:8000/flags/br/br.gif"),
            (HOSTED, "http://127.0.0.1:9/flags/br/br.gif"),
            (HOSTED, "http://[::1]:8000/flags/br/br.gif"),
            (HOSTED, "http://flags.localhost/br/br.gif"),
        ] {
            assert_eq!(Blocked::of(page, request), Blocked::CorsOrNetwork, "{page} → {request}");
        }
        // Only loopback addresses are trusted, not names that look like them.
        for request in ["http://127.0.0.1.example.org/x", "http://localhost.example.org/x", "http://128.0.0.1/x"] {
            assert_eq!(Blocked::of(HOSTED, request), Blocked::MixedContent, "{request}");
        }
    }

    #[test]
    fn the_lines_say_it_in_plain_words() {
        assert_eq!(
            Blocked::CorsOrNetwork.label(),
            "blocked or unreachable (CORS or network)"
        );
        let line = Blocked::CorsOrNetwork.summary_line(20);
        assert!(
            line.starts_with("20 errors: blocked or unreachable (CORS or network) — either the server did not allow this page to read its answers (it sent no Access-Control-Allow-Origin header"),
            "{line}"
        );
        assert!(Blocked::MixedContent.summary_line(1).starts_with("1 error: blocked as mixed content — "));
    }
}
