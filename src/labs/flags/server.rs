//! The servers a run asks: their parameters, the URL of each request, and the site line's
//! URL made absolute against the page.

use super::choices::{Extension, Kind, Server};
use crate::labs::choice::Choice;

/// The book's site, the default REMOTE base URL: https, or an https page could not ask it
/// (mixed content); it serves `{cc}/{cc}.gif`.
pub const REMOTE_BASE_URL: &str = "https://www.fluentpython.com/data/flags";
/// slow_server.py's `MIN_DELAY` and `MAX_DELAY` (shown beside the fields; the book's runs).
pub const SLOW_SERVER_MIN_DELAY_S: f64 = 0.5;
pub const SLOW_SERVER_MAX_DELAY_S: f64 = 5.0;
/// The lab's delay range: short enough that a first sequential run of the 20 flags takes
/// about 4 s, long enough that concurrent (about the slowest one, 0.3 s) is clearly faster.
pub const DEFAULT_MIN_DELAY_S: f64 = 0.1;
pub const DEFAULT_MAX_DELAY_S: f64 = 0.3;
/// The book's `--error-rate .25`.
pub const DEFAULT_ERROR_RATE: f64 = 0.25;

/// A server and its parameters: everything needed to build a request URL.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerParams {
    pub server: Server,
    pub min_delay_s: f64,
    pub max_delay_s: f64,
    /// ERROR only; 0 for the others.
    pub error_rate: f64,
    /// DELAY and ERROR: the same seed gives every path the same delay and verdict.
    pub seed: Option<u32>,
    /// REMOTE only, without a trailing `/`.
    pub base_url: String,
    /// The flag files' extension (the server's own by default).
    pub ext: Extension,
}

impl Default for ServerParams {
    fn default() -> Self {
        ServerParams {
            server: Server::Local,
            min_delay_s: DEFAULT_MIN_DELAY_S,
            max_delay_s: DEFAULT_MAX_DELAY_S,
            error_rate: DEFAULT_ERROR_RATE,
            seed: None,
            base_url: REMOTE_BASE_URL.to_string(),
            ext: Server::Local.default_extension(),
        }
    }
}

impl ServerParams {
    /// The base the paths hang off: `flags`, `delay/flags`, `error/flags` (relative to the
    /// page, served by the playground and its service worker) or the REMOTE base URL.
    pub fn base(&self) -> &str {
        match self.server {
            Server::Local => "flags",
            Server::Delay => "delay/flags",
            Server::Error => "error/flags",
            Server::Remote => self.base_url.trim_end_matches('/'),
        }
    }

    /// The server's parameters as a query string (with its `?`), empty for LOCAL and REMOTE:
    /// `?min=0.5&max=5&seed=42` (DELAY), `?min=0.5&max=5&p=0.25&seed=42` (ERROR).
    pub fn query_string(&self) -> String {
        let seed = self.seed.map(|s| format!("&seed={s}")).unwrap_or_default();
        match self.server {
            Server::Local | Server::Remote => String::new(),
            Server::Delay => format!("?min={}&max={}{seed}", self.min_delay_s, self.max_delay_s),
            Server::Error => format!(
                "?min={}&max={}&p={}{seed}",
                self.min_delay_s, self.max_delay_s, self.error_rate
            ),
        }
    }

    /// The URL to fetch for `cc` (any case): `{base}/{cc}/{cc}.{ext}` or
    /// `{base}/{cc}/metadata.json` with cc in lower case, plus the server's query string.
    pub fn url(&self, cc: &str, kind: Kind) -> String {
        let cc = cc.to_ascii_lowercase();
        let file = match kind {
            Kind::Flag => format!("{cc}.{}", self.ext.key()),
            Kind::Metadata => "metadata.json".to_string(),
        };
        format!("{}/{cc}/{file}{}", self.base(), self.query_string())
    }

    /// The site for the initial report (`LOCAL site: {url}`): the base made absolute
    /// against the page's URL (`document.baseURI`), without the query string.
    pub fn site_url(&self, page_url: &str) -> String {
        resolve(page_url, self.base())
    }
}

/// `scheme://host[:port]` of an absolute URL (lower case), e.g. `http://fluentpython.com`.
pub fn origin(url: &str) -> Option<String> {
    let start = url.find("://").filter(|_| is_absolute(url))? + 3;
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let authority = &url[url[..end].rfind('@').map_or(start, |i| i + 1)..end];
    (!authority.is_empty()).then(|| format!("{}{authority}", &url[..start]).to_ascii_lowercase())
}

fn is_absolute(url: &str) -> bool {
    url.find("://")
        .is_some_and(|i| i > 0 && url[..i].chars().all(|c| c.is_ascii_alphabetic()))
}

/// `relative` resolved against the page at `page_url`: the page's directory (query and
/// fragment dropped) + `relative`; an absolute `relative` is returned as it is.
pub fn resolve(page_url: &str, relative: &str) -> String {
    if is_absolute(relative) || page_url.is_empty() {
        return relative.to_string();
    }
    let page = &page_url[..page_url.find(['?', '#']).unwrap_or(page_url.len())];
    let authority_start = page.find("://").map_or(0, |i| i + 3);
    let dir = match page[authority_start..].rfind('/') {
        Some(i) => &page[..authority_start + i + 1],
        None => return format!("{page}/{relative}"),
    };
    format!("{dir}{relative}")
}

#[cfg(test)]
mod origin_tests {
    use super::origin;

    #[test]
    fn origins_of_urls() {
        assert_eq!(origin(super::REMOTE_BASE_URL).as_deref(), Some("https://www.fluentpython.com"));
        assert_eq!(origin("HTTPS://Example.org:8443?x#y").as_deref(), Some("https://example.org:8443"));
        assert_eq!(origin("http://user:pw@host.test/a").as_deref(), Some("http://host.test"));
        assert_eq!(origin("flags/br/br.svg"), None);
        assert_eq!(origin("http:///nothing"), None);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::PAGE;
    use super::*;

    fn server(kind: Server, seed: Option<u32>) -> ServerParams {
        ServerParams {
            server: kind,
            seed,
            min_delay_s: SLOW_SERVER_MIN_DELAY_S,
            max_delay_s: SLOW_SERVER_MAX_DELAY_S,
            ..ServerParams::default()
        }
    }

    #[test]
    fn builds_urls() {
        let local = server(Server::Local, None);
        assert_eq!(local.url("BR", Kind::Flag), "flags/br/br.svg");
        assert_eq!(local.url("BR", Kind::Metadata), "flags/br/metadata.json");
        assert_eq!(
            server(Server::Delay, Some(42)).url("BR", Kind::Flag),
            "delay/flags/br/br.svg?min=0.5&max=5&seed=42"
        );
        assert_eq!(
            server(Server::Delay, None).url("br", Kind::Flag),
            "delay/flags/br/br.svg?min=0.5&max=5"
        );
        assert_eq!(
            server(Server::Error, Some(42)).url("BR", Kind::Flag),
            "error/flags/br/br.svg?min=0.5&max=5&p=0.25&seed=42"
        );
        let error = ServerParams {
            server: Server::Error,
            min_delay_s: 0.0,
            max_delay_s: 1.5,
            error_rate: 1.0,
            ..ServerParams::default()
        };
        assert_eq!(
            error.url("CD", Kind::Metadata),
            "error/flags/cd/metadata.json?min=0&max=1.5&p=1"
        );
        let remote = ServerParams {
            server: Server::Remote,
            base_url: "https://example.org/flags/".to_string(),
            seed: Some(1),
            ..ServerParams::default()
        };
        assert_eq!(
            remote.url("US", Kind::Flag),
            "https://example.org/flags/us/us.svg"
        );
        // The book's layout: `{base}/{cc}/{cc}.gif` and `{base}/{cc}/metadata.json`.
        let book = ServerParams {
            ext: Extension::Gif,
            ..server(Server::Remote, None)
        };
        assert_eq!(
            book.url("CN", Kind::Flag),
            "https://www.fluentpython.com/data/flags/cn/cn.gif"
        );
        assert_eq!(
            book.url("CN", Kind::Metadata),
            "https://www.fluentpython.com/data/flags/cn/metadata.json"
        );
        let png = ServerParams {
            ext: Extension::Png,
            ..local
        };
        assert_eq!(png.url("BR", Kind::Flag), "flags/br/br.png");
    }

    #[test]
    fn resolves_the_site_url() {
        let local = server(Server::Local, None);
        assert_eq!(
            local.site_url(PAGE),
            "http://localhost:8080/playground/flags"
        );
        assert_eq!(
            local.site_url("https://x.org/a/index.html?q=1#/flags"),
            "https://x.org/a/flags"
        );
        assert_eq!(
            local.site_url("http://localhost:8080"),
            "http://localhost:8080/flags"
        );
        assert_eq!(
            local.site_url("http://localhost:8080/"),
            "http://localhost:8080/flags"
        );
        assert_eq!(local.site_url(""), "flags");
        assert_eq!(
            server(Server::Delay, Some(3)).site_url(PAGE),
            "http://localhost:8080/playground/delay/flags"
        );
        assert_eq!(server(Server::Remote, None).site_url(PAGE), REMOTE_BASE_URL);
    }
}
