//! The flags lab's options: which script a run mirrors (the mode), which test server it
//! asks (`-s LABEL`), and what each request fetches.

use crate::labs::choice::choices;
use crate::labs::python::{self, Script};

/// `MAX_CONCUR_REQ` of flags2_asyncio.py / flags2_threadpool.py.
pub const MAX_CONCUR_REQ: usize = 1000;
/// flags.py and flags_asyncio.py (2e): `httpx.get(url, timeout=6.1, ...)`.
pub const FLAGS_PY_TIMEOUT_S: f64 = 6.1;
/// flags2/flags3: `client.get(url, timeout=3.1, ...)`.
pub const DEFAULT_TIMEOUT_S: f64 = 3.1;

choices! {
    /// Which script a run mirrors.
    pub enum Mode: "Mode" {
        Sequential = "sequential" => "sequential — flags.py: one download after another",
        Concurrent = "concurrent"
            => "concurrent — flags_asyncio.py / flags_threadpool.py: all downloads at once",
        Flags2 = "flags2" => "flags2 — flags2_asyncio.py: semaphore, errors, progress bar, CLI",
        Flags3 = "flags3" => "flags3 — flags3_asyncio.py: flag + metadata.json, named by country",
    }
}

choices! {
    /// The test servers (`-s LABEL`), in the form's order; the key is the CLI's label.
    pub enum Server: "Server" {
        Local = "LOCAL" => "LOCAL — static files, as fast as possible",
        Delay = "DELAY" => "DELAY — slow_server.py: a random delay before each answer",
        Error = "ERROR" => "ERROR — slow_server.py: delays, and 418 I'm a Teapot at a given rate",
        Remote = "REMOTE" => "REMOTE — a real remote site (keep concurrency low)",
    }
}

choices! {
    /// The flag files' extension: what `{base}/{cc}/{cc}.{ext}` asks for.
    pub enum Extension: "Extension" {
        Gif = "gif" => "gif — the book's site",
        Svg = "svg" => "svg — this playground's servers",
        Png = "png" => "png",
    }
}

impl Server {
    /// The extension of the flags the server has: SVG on ours (LOCAL, DELAY, ERROR serve
    /// the flag-icons SVGs), GIF on the book's site, REMOTE's default.
    pub fn default_extension(self) -> Extension {
        match self {
            Server::Remote => Extension::Gif,
            Server::Local | Server::Delay | Server::Error => Extension::Svg,
        }
    }
}

/// What a request fetches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Flag,
    Metadata,
}

impl Kind {
    pub fn key(self) -> &'static str {
        match self {
            Kind::Flag => "flag",
            Kind::Metadata => "metadata",
        }
    }
}

impl Mode {
    /// flags2 and flags3 have the command line (`-a -e -l -m -v`), the reports and tqdm.
    pub fn has_cli(self) -> bool {
        matches!(self, Mode::Flags2 | Mode::Flags3)
    }

    /// `-m`'s default: flags.py one at a time, the thread pool's 30 workers, asyncio's 5.
    pub fn default_concur_req(self) -> usize {
        match self {
            Mode::Sequential => 1,
            Mode::Concurrent => 30,
            Mode::Flags2 | Mode::Flags3 => 5,
        }
    }

    /// The script's `MAX_CONCUR_REQ`.
    pub fn max_concur_req(self) -> usize {
        match self {
            Mode::Sequential => 1,
            _ => MAX_CONCUR_REQ,
        }
    }

    /// The client timeout when the form has no Timeout field.
    pub fn script_timeout_s(self) -> f64 {
        if self.has_cli() {
            DEFAULT_TIMEOUT_S
        } else {
            FLAGS_PY_TIMEOUT_S
        }
    }

    /// The requests each code needs, in order; each takes the semaphore separately.
    pub fn requests(self) -> &'static [Kind] {
        match self {
            Mode::Flags3 => &[Kind::Flag, Kind::Metadata],
            _ => &[Kind::Flag],
        }
    }

    /// The upstream script the mode mirrors.
    pub fn python_reference(self) -> Script {
        match self {
            Mode::Sequential => python::FLAGS,
            Mode::Concurrent => python::FLAGS_ASYNCIO,
            Mode::Flags2 => python::FLAGS2_ASYNCIO,
            Mode::Flags3 => python::FLAGS3_ASYNCIO,
        }
    }

    /// What runs in the browser when this mode is picked.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Mode::Sequential => {
                "Each flag is a real fetch() awaited before the next one starts, in sorted order, \
                 so the run takes the sum of all response times. The codes appear on one line as \
                 each flag is saved, then the count and the time."
            }
            Mode::Concurrent => {
                "Every fetch() is started at once (at most 30 in flight, like the thread pool) and \
                 awaited together, as asyncio.gather does: the run takes about as long as the \
                 slowest response, and the codes appear in completion order."
            }
            Mode::Flags2 => {
                "One future per code, each taking a slot of an async semaphore (asyncio.Semaphore, \
                 -m slots) around its fetch(), consumed in completion order (as_completed). A 404 \
                 counts as not found; any other status, a network failure or the timeout counts as \
                 an error — the run goes on. Without -v a tqdm-style bar shows the progress."
            }
            Mode::Flags3 => {
                "As flags2, but each code needs two requests — the flag, then metadata.json — and \
                 each takes the semaphore separately, so a code can wait twice. The saved file is \
                 named after the country in the metadata."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::choice::Choice;

    #[test]
    fn labels_and_references() {
        for &mode in Mode::ALL {
            assert_eq!(Mode::parse(mode.key()), Some(mode));
            assert!(mode.python_reference().path.ends_with(".py"));
            assert!(mode.label().starts_with(mode.key()));
        }
        for &server in Server::ALL {
            assert_eq!(Server::parse(&server.key().to_lowercase()), Some(server));
            assert!(server.label().starts_with(server.key()));
        }
        assert_eq!(
            Mode::Flags2.python_reference().file_name(),
            "flags2_asyncio.py"
        );
        assert_eq!(
            Mode::Flags3.python_reference().file_name(),
            "flags3_asyncio.py"
        );
        assert_eq!(Mode::Flags3.requests(), [Kind::Flag, Kind::Metadata]);
        assert_eq!(Mode::Sequential.requests(), [Kind::Flag]);
        assert_eq!(Server::Remote.default_extension(), Extension::Gif);
        assert_eq!(Server::Delay.default_extension(), Extension::Svg);
        assert_eq!(Extension::parse(" PNG"), Some(Extension::Png));
    }
}
