//! Hash routes (`#/spinner?variant=blocking-sleep&seconds=3`): relative to the page,
//! so the playground works from any sub-path. Parsing is pure and tested natively.

use crate::labs::{LABS, Lab, lab};

/// A page of the playground: the home page or a lab from the registry.
#[derive(Clone, Copy, Debug)]
pub enum Page {
    Home,
    Lab(&'static Lab),
}

impl PartialEq for Page {
    fn eq(&self, other: &Page) -> bool {
        self.path() == other.path()
    }
}

impl Eq for Page {}

impl Page {
    /// Every page in nav order: the home page, then the registry's labs.
    pub fn all() -> impl Iterator<Item = Page> {
        std::iter::once(Page::Home).chain(LABS.iter().map(|&lab| Page::Lab(lab)))
    }

    pub fn path(self) -> String {
        match self {
            Page::Home => "/".to_string(),
            Page::Lab(lab) => lab.path(),
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Page::Home => "Home",
            Page::Lab(lab) => lab.title,
        }
    }

    fn from_path(path: &str) -> Option<Page> {
        match path {
            "/" => Some(Page::Home),
            _ => path.strip_prefix('/').and_then(lab).map(Page::Lab),
        }
    }
}

/// A parsed location hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub page: Page,
    /// Set when the hash named no known page; the home page is shown with a notice.
    pub unknown_path: Option<String>,
    pub query: Vec<(String, String)>,
}

impl Route {
    /// Parses `location.hash` (with or without the leading `#`).
    pub fn parse(hash: &str) -> Route {
        let hash = hash.strip_prefix('#').unwrap_or(hash);
        let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
        let path = if path.is_empty() {
            "/"
        } else {
            path.trim_end_matches('/')
        };
        let path = if path.is_empty() { "/" } else { path };
        let query = parse_query(query);
        match Page::from_path(path) {
            Some(page) => Route {
                page,
                unknown_path: None,
                query,
            },
            None => Route {
                page: Page::Home,
                unknown_path: Some(path.to_string()),
                query,
            },
        }
    }
}

/// `#/spinner?variant=async-sleep&message=thinking%21`
pub fn to_hash(page: Page, params: &[(&str, &str)]) -> String {
    let mut out = format!("#{}", page.path());
    for (i, (key, value)) in params.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&percent_encode(key));
        out.push('=');
        out.push_str(&percent_encode(value));
    }
    out
}

/// The parameters of a `#/lab?k=v…` hash, without looking the page up (a lab built as its own
/// module reads them so, leaving the registry's other pages out of its code).
pub fn query_of(hash: &str) -> Vec<(String, String)> {
    parse_query(hash.split_once('?').map_or("", |(_, query)| query))
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value of the first `key=` in the query.
    fn param<'a>(route: &'a Route, key: &str) -> Option<&'a str> {
        route
            .query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn page(key: &str) -> Page {
        Page::Lab(lab(key).unwrap())
    }

    #[test]
    fn parses_pages() {
        assert_eq!(Route::parse("").page, Page::Home);
        assert_eq!(Route::parse("#/").page, Page::Home);
        assert_eq!(Route::parse("#/spinner").page, page("spinner"));
        assert_eq!(Route::parse("#/spinner/").page, page("spinner"));
        assert_eq!(Route::parse("#/primes?mode=procs").page, page("primes"));
        assert_ne!(page("primes"), page("flags"));
        let titles: Vec<&str> = Page::all().map(Page::title).collect();
        assert_eq!(
            titles,
            [
                "Home",
                "Spinner",
                "Executors",
                "Flags",
                "Primes",
                "CPU pools",
                "Rates",
                "Shared memory"
            ]
        );
        let unknown = Route::parse("#/nowhere?x=1");
        assert_eq!(unknown.page, Page::Home);
        assert_eq!(unknown.unknown_path.as_deref(), Some("/nowhere"));
    }

    #[test]
    fn parses_query_values() {
        let route = Route::parse("#/spinner?variant=blocking-sleep&seconds=3&frames=%5C%7C%2F-");
        assert_eq!(param(&route, "variant"), Some("blocking-sleep"));
        assert_eq!(param(&route, "seconds"), Some("3"));
        assert_eq!(param(&route, "frames"), Some("\\|/-"));
        assert_eq!(param(&route, "missing"), None);
    }

    #[test]
    fn hash_round_trips_any_text() {
        let texts = [
            "thinking!",
            "\\|/-",
            "a&b=c",
            "50% ünïcødé ⠋⠙",
            "+ plus",
            "%zz",
        ];
        for text in texts {
            let hash = to_hash(page("spinner"), &[("message", text)]);
            assert_eq!(param(&Route::parse(&hash), "message"), Some(text), "{hash}");
        }
    }

    #[test]
    fn malformed_escapes_survive() {
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%4"), "%4");
    }
}
