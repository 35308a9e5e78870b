//! Messages between the page and a prime-checking Web Worker, as short text lines
//! (`check 5000111000222021`), so both sides share one tested encoding and the
//! worker needs no serialization library.

/// Page → worker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ToWorker {
    /// Check one number.
    Check(u64),
    /// The poison pill: no more jobs; answer `Finished` and idle.
    End,
}

/// Worker → page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FromWorker {
    /// The WASM instance is up and listening.
    Ready,
    /// A verdict, with the time the check took inside the worker.
    Checked { n: u64, prime: bool, elapsed_s: f64 },
    /// The end marker, sent after the poison pill.
    Finished,
}

impl ToWorker {
    pub fn encode(&self) -> String {
        match self {
            ToWorker::Check(n) => format!("check {n}"),
            ToWorker::End => "end".to_string(),
        }
    }

    pub fn decode(text: &str) -> Option<ToWorker> {
        let mut words = text.split(' ');
        match (words.next()?, words.next(), words.next()) {
            ("check", Some(n), None) => n.parse().ok().map(ToWorker::Check),
            ("end", None, None) => Some(ToWorker::End),
            _ => None,
        }
    }
}

impl FromWorker {
    pub fn encode(&self) -> String {
        match self {
            FromWorker::Ready => "ready".to_string(),
            FromWorker::Checked {
                n,
                prime,
                elapsed_s,
            } => {
                format!("checked {n} {} {elapsed_s}", u8::from(*prime))
            }
            FromWorker::Finished => "finished".to_string(),
        }
    }

    pub fn decode(text: &str) -> Option<FromWorker> {
        let words: Vec<&str> = text.split(' ').collect();
        match words.as_slice() {
            ["ready"] => Some(FromWorker::Ready),
            ["finished"] => Some(FromWorker::Finished),
            ["checked", n, prime, elapsed] => Some(FromWorker::Checked {
                n: n.parse().ok()?,
                prime: match *prime {
                    "1" => true,
                    "0" => false,
                    _ => return None,
                },
                elapsed_s: elapsed.parse().ok()?,
            }),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for msg in [ToWorker::Check(0), ToWorker::Check(u64::MAX), ToWorker::End] {
            assert_eq!(ToWorker::decode(&msg.encode()), Some(msg));
        }
        for msg in [
            FromWorker::Ready,
            FromWorker::Finished,
            FromWorker::Checked {
                n: u64::MAX - 58,
                prime: true,
                elapsed_s: 3.25,
            },
            FromWorker::Checked {
                n: 4,
                prime: false,
                elapsed_s: 1e-7,
            },
        ] {
            assert_eq!(FromWorker::decode(&msg.encode()), Some(msg));
        }
    }

    #[test]
    fn rejects_garbage() {
        for text in [
            "",
            "check",
            "check x",
            "check 1 2",
            "end now",
            "checked 5 2 0.1",
            "hello",
        ] {
            assert_eq!(ToWorker::decode(text), None, "{text}");
            assert_eq!(FromWorker::decode(text), None, "{text}");
        }
    }
}
