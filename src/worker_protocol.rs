//! Messages between the page and a Web Worker, as short text lines
//! (`check 5000111000222021`, `get 3 1 rates?base=USD`), so both sides share one tested
//! encoding and the worker needs no serialization library. A reply's free text (status
//! text, body, reasons) follows the first line, after a newline.
//!
//! Times a worker reports (`at_ms`) are on its own clock until the page shifts them onto
//! the page's (`FromWorker::shifted`): the worker sends `timeOrigin + now()`.

use crate::labs::choice::Choice;
use crate::labs::cpu::choices::Workload;
use crate::labs::memory::choices::Update;
use crate::runtime::ports::Reply;
use crate::text::parse_f64;

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ToWorker {
    /// Check one number.
    Check(u64),
    /// The poison pill: no more jobs; answer `Finished` and idle.
    End,
    /// A blocking GET (`requests.get`: a synchronous request that holds the worker's
    /// thread); `throttled` first waits for a token from the pool's shared throttle.
    /// Answered with `Granted` (if throttled), `Sent`, then `Got` or `GetFailed`.
    Get {
        id: u32,
        url: String,
        throttled: bool,
    },
    /// A blocking GET whose answer goes into the reply slot posted with the message (for
    /// a main thread that is blocked waiting on it, and so cannot take a message).
    GetInto { url: String },
    /// `thread_visits`: once the start word of the shared memory posted with the message
    /// turns 1 (answer `Waiting` first), add 1 to its counter `increments` times the
    /// `update` way; answered with `Visited`.
    Visits { increments: u32, update: Update },
    /// `forks`: the parent's `pid_list`, copied; the worker appends its own pid (`Forked`).
    Fork { pids: Vec<u32> },
    /// `basic_multiprocessing`: `work(identifier)`; answered with `Hello`.
    Hello { identifier: u32 },
    /// `pipes`: the worker's end of a pipe comes with the message (a transferred
    /// `MessagePort`); each value it receives is reported as `Received`, until `None`.
    Pipe,
    /// `sharedctypes`: in the shared memory posted with the message, set f64 0 to
    /// 3.1415927 and negate the `length` i32 words from word 2; then `Negated`.
    SharedCtypes { length: u32 },
    /// Before the jobs: run `workload` until its optimized code is in (or a budget is
    /// spent); answered with `WarmedUp`.
    WarmUp(Workload),
    /// Table 17-1: make job `index`'s `size` bytes from `seed` and run `workload` on them;
    /// answered with `Crunched`.
    Crunch {
        workload: Workload,
        index: u32,
        size: u32,
        seed: u64,
    },
    /// `spinner.start()` of `spinner_thread.py`: draw `"{frame} {message}"` on the canvas
    /// that comes with the message (an `OffscreenCanvas`), cycling `frames`, one every
    /// `period_ms`; `Spinning` after the first frame.
    Spin {
        period_ms: u32,
        frames: Vec<char>,
        message: String,
    },
    /// `done.set()`: stop spinning, erase the line, answer `Spun`.
    SpinDone,
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq)]
pub enum FromWorker {
    /// The WASM instance is up and listening.
    Ready,
    /// A verdict, with the time the check took inside the worker.
    Checked { n: u64, prime: bool, elapsed_s: f64 },
    /// The end marker, sent after the poison pill.
    Finished,
    /// The shared throttle gave request `id` its token.
    Granted { id: u32, at_ms: f64 },
    /// Request `id` went out.
    Sent { id: u32, at_ms: f64 },
    /// Request `id` was answered.
    Got { id: u32, at_ms: f64, reply: Reply },
    /// Request `id` got no answer (network error, refused, timed out).
    GetFailed { id: u32, at_ms: f64, reason: String },
    /// About to wait for the start word (`Visits`).
    Waiting,
    /// Done with its increments, in `elapsed_s` measured inside the worker.
    Visited { elapsed_s: f64 },
    /// The pid list as the worker sees it after appending its own.
    Forked { pids: Vec<u32> },
    /// `Hey, I am the process {identifier}, pid: {pid}`.
    Hello { identifier: u32, pid: u32 },
    /// A value came through the pipe: its class as the worker sees it (its constructor's
    /// name) and the worker's Python-style `str()` of it.
    Received { class: String, text: String },
    /// `None` came through the pipe: the worker's loop ended.
    PipeEnded,
    /// The shared `Value` and `Array` are written.
    Negated,
    /// Done warming up a workload.
    WarmedUp,
    /// Job `index` is done in `elapsed_s` (inside the worker): its result, `ok` or `failed`
    /// for an RC4 round trip, the hex digest for SHA-256.
    Crunched {
        index: u32,
        elapsed_s: f64,
        result: String,
    },
    /// The spinner drew its first frame, at `at_ms`.
    Spinning { at_ms: f64 },
    /// The spinner stopped (`done` was set): every frame it drew, as (when, a checksum of
    /// the canvas's pixels read back after drawing it).
    Spun { frames: Vec<(f64, u32)> },
}

impl ToWorker {
    pub fn encode(&self) -> String {
        match self {
            ToWorker::Check(n) => format!("check {n}"),
            ToWorker::End => "end".to_string(),
            ToWorker::Get { id, url, throttled } => {
                format!("get {id} {} {url}", u8::from(*throttled))
            }
            ToWorker::GetInto { url } => format!("get-into {url}"),
            ToWorker::Visits { increments, update } => {
                format!("visits {increments} {}", update.key())
            }
            ToWorker::Fork { pids } => format!("fork{}", words(pids)),
            ToWorker::Hello { identifier } => format!("hello {identifier}"),
            ToWorker::Pipe => "pipe".to_string(),
            ToWorker::SharedCtypes { length } => format!("sharedctypes {length}"),
            ToWorker::WarmUp(workload) => format!("warm-up {}", workload.key()),
            ToWorker::Crunch {
                workload,
                index,
                size,
                seed,
            } => format!("crunch {} {index} {size} {seed}", workload.key()),
            ToWorker::Spin {
                period_ms,
                frames,
                message,
            } => {
                // Code points: a frame may be a space, a comma or a newline.
                let codes: Vec<String> = frames.iter().map(|&c| u32::from(c).to_string()).collect();
                format!("spin {period_ms} {}\n{message}", codes.join(","))
            }
            ToWorker::SpinDone => "spin-done".to_string(),
        }
    }

    pub fn decode(text: &str) -> Option<ToWorker> {
        if let Some(url) = text.strip_prefix("get-into ") {
            return (!url.is_empty() && !url.contains('\n')).then(|| ToWorker::GetInto {
                url: url.to_string(),
            });
        }
        if let Some(rest) = text.strip_prefix("get ") {
            let mut words = rest.splitn(3, ' ');
            let id = words.next()?.parse().ok()?;
            let throttled = flag(words.next()?)?;
            let url = words
                .next()
                .filter(|url| !url.is_empty() && !url.contains('\n'))?;
            return Some(ToWorker::Get {
                id,
                url: url.to_string(),
                throttled,
            });
        }
        if let Some(rest) = text.strip_prefix("fork") {
            return numbers(rest).map(|pids| ToWorker::Fork { pids });
        }
        if let Some(rest) = text.strip_prefix("crunch ") {
            let words: Vec<&str> = rest.split(' ').collect();
            let [workload, index, size, seed] = words.as_slice() else {
                return None;
            };
            return Some(ToWorker::Crunch {
                workload: Workload::parse(workload).filter(|w| w.key() == *workload)?,
                index: index.parse().ok()?,
                size: size.parse().ok()?,
                seed: seed.parse().ok()?,
            });
        }
        if let Some(rest) = text.strip_prefix("spin ") {
            let (head, message) = rest.split_once('\n')?;
            let (period, codes) = head.split_once(' ')?;
            let frames = codes
                .split(',')
                .map(|code| char::from_u32(code.parse().ok()?))
                .collect::<Option<Vec<char>>>()?;
            return Some(ToWorker::Spin {
                period_ms: period.parse().ok()?,
                frames,
                message: message.to_string(),
            });
        }
        let mut words = text.split(' ');
        match (words.next()?, words.next(), words.next(), words.next()) {
            ("check", Some(n), None, None) => n.parse().ok().map(ToWorker::Check),
            ("warm-up", Some(workload), None, None) => Workload::parse(workload)
                .filter(|w| w.key() == workload)
                .map(ToWorker::WarmUp),
            ("end", None, None, None) => Some(ToWorker::End),
            ("pipe", None, None, None) => Some(ToWorker::Pipe),
            ("spin-done", None, None, None) => Some(ToWorker::SpinDone),
            ("hello", Some(n), None, None) => Some(ToWorker::Hello {
                identifier: n.parse().ok()?,
            }),
            ("sharedctypes", Some(n), None, None) => Some(ToWorker::SharedCtypes {
                length: n.parse().ok()?,
            }),
            ("visits", Some(n), Some(update), None) => Some(ToWorker::Visits {
                increments: n.parse().ok()?,
                update: Update::parse(update).filter(|u| u.key() == update)?,
            }),
            _ => None,
        }
    }
}

/// ` 1 2 3`: each number after a space.
fn words(numbers: &[u32]) -> String {
    numbers.iter().map(|n| format!(" {n}")).collect()
}

/// The numbers `words` wrote (none is fine); `None` for anything else.
fn numbers(text: &str) -> Option<Vec<u32>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    let rest = text.strip_prefix(' ')?;
    rest.split(' ').map(|n| n.parse().ok()).collect()
}

/// The frames `spun` wrote: ` at:image` each (none is fine); `None` for anything else.
fn spun_frames(text: &str) -> Option<Vec<(f64, u32)>> {
    if text.is_empty() {
        return Some(Vec::new());
    }
    let rest = text.strip_prefix(' ')?;
    rest.split(' ')
        .map(|frame| {
            let (at, image) = frame.split_once(':')?;
            Some((parse_f64(at)?, image.parse().ok()?))
        })
        .collect()
}

fn flag(word: &str) -> Option<bool> {
    match word {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
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
            FromWorker::Granted { id, at_ms } => format!("granted {id} {at_ms}"),
            FromWorker::Sent { id, at_ms } => format!("sent {id} {at_ms}"),
            FromWorker::Got { id, at_ms, reply } => format!(
                "got {id} {at_ms} {}\n{}\n{}\n{}",
                reply.status,
                one_line(&reply.status_text),
                one_line(&reply.content_type),
                String::from_utf8_lossy(&reply.body)
            ),
            FromWorker::GetFailed { id, at_ms, reason } => {
                format!("get-failed {id} {at_ms}\n{reason}")
            }
            FromWorker::Waiting => "waiting".to_string(),
            FromWorker::Visited { elapsed_s } => format!("visited {elapsed_s}"),
            FromWorker::Forked { pids } => format!("forked{}", words(pids)),
            FromWorker::Hello { identifier, pid } => format!("hello {identifier} {pid}"),
            FromWorker::Received { class, text } => {
                format!("received {}\n{text}", one_line(class).replace(' ', "_"))
            }
            FromWorker::PipeEnded => "pipe-ended".to_string(),
            FromWorker::Negated => "negated".to_string(),
            FromWorker::WarmedUp => "warmed-up".to_string(),
            FromWorker::Crunched {
                index,
                elapsed_s,
                result,
            } => format!(
                "crunched {index} {elapsed_s} {}",
                one_line(result).replace(' ', "_")
            ),
            FromWorker::Spinning { at_ms } => format!("spinning {at_ms}"),
            FromWorker::Spun { frames } => {
                let frames: String = frames
                    .iter()
                    .map(|(at, image)| format!(" {at}:{image}"))
                    .collect();
                format!("spun{frames}")
            }
        }
    }

    pub fn decode(text: &str) -> Option<FromWorker> {
        let (head, rest) = match text.split_once('\n') {
            Some((head, rest)) => (head, Some(rest)),
            None => (text, None),
        };
        if let (Some(pids), None) = (head.strip_prefix("forked"), rest) {
            return numbers(pids).map(|pids| FromWorker::Forked { pids });
        }
        if let (Some(frames), None) = (head.strip_prefix("spun"), rest) {
            return spun_frames(frames).map(|frames| FromWorker::Spun { frames });
        }
        let words: Vec<&str> = head.split(' ').collect();
        match (words.as_slice(), rest) {
            (["ready"], None) => Some(FromWorker::Ready),
            (["waiting"], None) => Some(FromWorker::Waiting),
            (["pipe-ended"], None) => Some(FromWorker::PipeEnded),
            (["negated"], None) => Some(FromWorker::Negated),
            (["spinning", at], None) => Some(FromWorker::Spinning {
                at_ms: parse_f64(at)?,
            }),
            (["visited", elapsed], None) => Some(FromWorker::Visited {
                elapsed_s: parse_f64(elapsed)?,
            }),
            (["warmed-up"], None) => Some(FromWorker::WarmedUp),
            (["hello", identifier, pid], None) => Some(FromWorker::Hello {
                identifier: identifier.parse().ok()?,
                pid: pid.parse().ok()?,
            }),
            (["received", class], Some(text)) if !class.is_empty() => Some(FromWorker::Received {
                class: class.to_string(),
                text: text.to_string(),
            }),
            (["finished"], None) => Some(FromWorker::Finished),
            (["crunched", index, elapsed, result], None) => Some(FromWorker::Crunched {
                index: index.parse().ok()?,
                elapsed_s: parse_f64(elapsed)?,
                result: result.to_string(),
            }),
            (["checked", n, prime, elapsed], None) => Some(FromWorker::Checked {
                n: n.parse().ok()?,
                prime: flag(prime)?,
                elapsed_s: parse_f64(elapsed)?,
            }),
            (["granted", id, at], None) => Some(FromWorker::Granted {
                id: id.parse().ok()?,
                at_ms: parse_f64(at)?,
            }),
            (["sent", id, at], None) => Some(FromWorker::Sent {
                id: id.parse().ok()?,
                at_ms: parse_f64(at)?,
            }),
            (["got", id, at, status], Some(rest)) => {
                let mut parts = rest.splitn(3, '\n');
                let (status_text, content_type) = (parts.next()?, parts.next()?);
                Some(FromWorker::Got {
                    id: id.parse().ok()?,
                    at_ms: parse_f64(at)?,
                    reply: Reply {
                        status: status.parse().ok()?,
                        status_text: status_text.to_string(),
                        content_type: content_type.to_string(),
                        body: parts.next()?.as_bytes().to_vec(),
                    },
                })
            }
            (["get-failed", id, at], Some(reason)) => Some(FromWorker::GetFailed {
                id: id.parse().ok()?,
                at_ms: parse_f64(at)?,
                reason: reason.to_string(),
            }),
            _ => None,
        }
    }

    /// The same message with its time moved by `delta_ms` (from the worker's clock onto
    /// the page's).
    pub fn shifted(self, delta_ms: f64) -> FromWorker {
        match self {
            FromWorker::Granted { id, at_ms } => FromWorker::Granted {
                id,
                at_ms: at_ms + delta_ms,
            },
            FromWorker::Sent { id, at_ms } => FromWorker::Sent {
                id,
                at_ms: at_ms + delta_ms,
            },
            FromWorker::Got { id, at_ms, reply } => FromWorker::Got {
                id,
                at_ms: at_ms + delta_ms,
                reply,
            },
            FromWorker::GetFailed { id, at_ms, reason } => FromWorker::GetFailed {
                id,
                at_ms: at_ms + delta_ms,
                reason,
            },
            FromWorker::Spinning { at_ms } => FromWorker::Spinning {
                at_ms: at_ms + delta_ms,
            },
            FromWorker::Spun { frames } => FromWorker::Spun {
                frames: frames
                    .into_iter()
                    .map(|(at_ms, image)| (at_ms + delta_ms, image))
                    .collect(),
            },
            other => other,
        }
    }
}

/// Header-like text on one line: a newline would end the field early.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for msg in [
            ToWorker::Check(0),
            ToWorker::Check(u64::MAX),
            ToWorker::End,
            ToWorker::Get {
                id: 7,
                url: "rates?base=USD&latency=0.3 x".to_string(),
                throttled: true,
            },
            ToWorker::GetInto {
                url: "http://h/rates?base=EUR".to_string(),
            },
            ToWorker::Visits {
                increments: 100_000,
                update: Update::PlusEquals,
            },
            ToWorker::Visits {
                increments: 0,
                update: Update::ReadThenWrite,
            },
            ToWorker::Fork { pids: vec![] },
            ToWorker::Fork {
                pids: vec![9303, 9303],
            },
            ToWorker::Hello { identifier: 4 },
            ToWorker::Pipe,
            ToWorker::SharedCtypes { length: 10 },
            ToWorker::WarmUp(Workload::Rc4),
            ToWorker::Crunch {
                workload: Workload::Sha256,
                index: 11,
                size: 1 << 20,
                seed: u64::MAX,
            },
            ToWorker::Spin {
                period_ms: 100,
                frames: vec!['\\', '|', '/', '-'],
                message: "thinking!".to_string(),
            },
            ToWorker::Spin {
                period_ms: 10,
                frames: vec![' ', ',', '\n', '🌀'],
                message: "two\nlines, spaced ".to_string(),
            },
            ToWorker::Spin {
                period_ms: 5000,
                frames: vec!['x'],
                message: String::new(),
            },
            ToWorker::SpinDone,
        ] {
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
            FromWorker::Granted { id: 1, at_ms: 1.5 },
            FromWorker::Sent {
                id: 2,
                at_ms: 1.7e12,
            },
            FromWorker::Got {
                id: 3,
                at_ms: 4.25,
                reply: Reply {
                    status: 500,
                    status_text: "Internal Server Error".to_string(),
                    content_type: "application/json".to_string(),
                    body: b"{\"error\":\n \"x y\"}".to_vec(),
                },
            },
            FromWorker::Got {
                id: 4,
                at_ms: 0.0,
                reply: Reply::default(),
            },
            FromWorker::GetFailed {
                id: 5,
                at_ms: 9.0,
                reason: "NetworkError: Failed to execute 'send'".to_string(),
            },
            FromWorker::Waiting,
            FromWorker::Visited { elapsed_s: 0.25 },
            FromWorker::Forked {
                pids: vec![9303, 9304],
            },
            FromWorker::Hello {
                identifier: 3,
                pid: 9307,
            },
            FromWorker::Received {
                class: "Object".to_string(),
                text: "{'one': 1}\n".to_string(),
            },
            FromWorker::PipeEnded,
            FromWorker::Negated,
            FromWorker::WarmedUp,
            FromWorker::Crunched {
                index: 0,
                elapsed_s: 0.004,
                result: "ok".to_string(),
            },
            FromWorker::Spinning { at_ms: 1.7e12 },
            FromWorker::Spun { frames: vec![] },
            FromWorker::Spun {
                frames: vec![(1.5, 0), (101.25, u32::MAX)],
            },
        ] {
            assert_eq!(FromWorker::decode(&msg.encode()), Some(msg.clone()));
            assert_eq!(msg.clone().shifted(0.0), msg);
        }
        assert_eq!(
            FromWorker::Sent { id: 1, at_ms: 10.0 }.shifted(-4.0),
            FromWorker::Sent { id: 1, at_ms: 6.0 }
        );
        assert_eq!(
            FromWorker::Spun {
                frames: vec![(10.0, 7), (110.0, 8)]
            }
            .shifted(-4.0),
            FromWorker::Spun {
                frames: vec![(6.0, 7), (106.0, 8)]
            }
        );
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
            "get 1 2 url",
            "get x 1 url",
            "get 1 1 ",
            "get-into ",
            "got 1 2 200",
            "sent 1",
            "ready\nmore",
            "visits 10 lock extra",
            "visits 10 LOCK",
            "visits -1 lock",
            "fork x",
            "forked 1  2",
            "fork1",
            "hello 1 2 3",
            "received \n{}",
            "sharedctypes",
            "crunch rc4 1 2",
            "crunch RC4 1 2 3",
            "crunch rc4 -1 2 3",
            "crunched 1 0.5",
            "warm-up",
            "warm-up RC4",
            "warm-up rc4 1",
            "warmed-up 0.012",
            "warmed-up\nmore",
            "spin 100 92",
            "spin x 92\nmsg",
            "spin 100 92,\nmsg",
            "spin 100 55296\nmsg",
            "spin-done now",
            "spun 1.5",
            "spun 1.5:x",
            "spun1:2",
            "spinning",
        ] {
            assert_eq!(ToWorker::decode(text), None, "{text}");
            assert_eq!(FromWorker::decode(text), None, "{text}");
        }
    }
}
