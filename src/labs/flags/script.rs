//! The flags lab's run: flags.py's `download_many` (one download after another) or the
//! asyncio scripts' supervisor (one future per code, each request under an async
//! semaphore, consumed in completion order). A plain future over the runtime's ports: in
//! the page they are the browser's `fetch()` and clock, in the tests a virtual server's.

use async_lock::Semaphore;
use futures::StreamExt;
use futures::stream::FuturesUnordered;

use super::choices::{Kind, Mode};
use super::form::FlagsParams;
use super::metadata::parse_metadata;
use super::outcome::{Failure, Outcome};
use super::plan::RunPlan;
use super::save::save_name;
use super::session::Event;
use crate::runtime::ports::{Emit, Fetch, FetchError, Reply, Time};

/// The list of flags the LOCAL server ships (its `country_codes.txt`).
pub const INDEX_URL: &str = "flags/index.json";

/// The codes in [`INDEX_URL`], for `-a`.
pub async fn shipped_flags(rt: &impl Fetch) -> Result<Vec<String>, String> {
    let reply = rt
        .get(INDEX_URL, 10.0)
        .await
        .map_err(|e| format!("{INDEX_URL}: {e}"))?;
    let text = String::from_utf8_lossy(&reply.body);
    let codes: Vec<String> = text
        .trim()
        .trim_start_matches('[')
        .trim_end_matches(']')
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_string())
        .filter(|c| c.len() == 2)
        .collect();
    if reply.status != 200 || codes.is_empty() {
        return Err(format!(
            "{INDEX_URL} answered {} {}",
            reply.status, reply.status_text
        ));
    }
    Ok(codes)
}

/// The run's plan; with `-a` (and no `-e`) the shipped list is fetched first.
pub async fn plan(
    params: &FlagsParams,
    page_url: &str,
    rt: &impl Fetch,
) -> Result<RunPlan, String> {
    let shipped = if params.all && !params.every {
        shipped_flags(rt).await?
    } else {
        Vec::new()
    };
    Ok(params.plan(&shipped, page_url))
}

/// One run, from `Started` to `Finished`: every code of the plan, one after another
/// (sequential) or all at once with at most `actual_req` requests in flight. `keep` gets
/// each downloaded flag's answer (the page keeps it for its grid and the zip). Stop drops
/// the future, which aborts every request in flight.
pub async fn run<R>(
    plan: RunPlan,
    rt: R,
    emit: Emit<Event>,
    keep: impl Fn(&str, Reply) + 'static,
) where
    R: Time + Fetch,
{
    emit(Event::Started(plan.clone()));
    let downloads = Downloads {
        semaphore: Semaphore::new(plan.actual_req),
        started: rt.now_ms(),
        plan: &plan,
        rt: &rt,
        emit: &emit,
        keep: &keep,
    };
    if plan.params.mode == Mode::Sequential {
        for cc in &plan.cc_list {
            downloads.one(cc).await;
        }
    } else {
        let mut pending: FuturesUnordered<_> =
            plan.cc_list.iter().map(|cc| downloads.one(cc)).collect();
        while pending.next().await.is_some() {}
    }
    emit(Event::Finished {
        elapsed_s: downloads.at_ms() / 1000.0,
    });
}

/// What every download of a run shares.
struct Downloads<'a, R> {
    plan: &'a RunPlan,
    rt: &'a R,
    emit: &'a Emit<Event>,
    keep: &'a dyn Fn(&str, Reply),
    /// `asyncio.Semaphore(concur_req)`.
    semaphore: Semaphore,
    started: f64,
}

impl<R: Time + Fetch> Downloads<'_, R> {
    /// Milliseconds since the run started.
    fn at_ms(&self) -> f64 {
        self.rt.now_ms() - self.started
    }

    /// One request under the semaphore: its outcome, and the answer when it is OK. A flag
    /// must be an image by its type: a page that answers 200 with HTML saved no flag.
    async fn request(&self, cc: &str, kind: Kind, url: &str) -> (Outcome, Reply) {
        let _permit = self.semaphore.acquire().await;
        (self.emit)(Event::RequestStarted {
            cc: cc.to_string(),
            kind,
            at_ms: self.at_ms(),
        });
        let failed = |failure| (Outcome::Error(failure), Reply::default());
        match self.rt.get(url, self.plan.params.timeout_s).await {
            Ok(reply) => {
                let outcome = self
                    .plan
                    .outcome_of(cc, kind, reply.status, &reply.status_text);
                if outcome == Outcome::Ok
                    && kind == Kind::Flag
                    && !reply.media_type().starts_with("image/")
                {
                    return failed(Failure::NotAnImage {
                        content_type: reply.content_type,
                    });
                }
                (outcome, reply)
            }
            Err(FetchError::Timeout(after_s)) => failed(Failure::Timeout { after_s }),
            Err(FetchError::Network(reason)) => {
                failed(self.plan.network_failure(cc, kind, reason))
            }
        }
    }

    /// One code: each of its requests takes the semaphore on its own (flags3 makes two);
    /// the first failure ends the code.
    async fn one(&self, cc: &str) {
        let mut image = None;
        let mut country = None;
        for (kind, url) in self.plan.requests(cc) {
            let (outcome, reply) = self.request(cc, kind, &url).await;
            let outcome = match (kind, outcome) {
                (Kind::Metadata, Outcome::Ok) => {
                    match parse_metadata(&String::from_utf8_lossy(&reply.body)) {
                        Ok(name) => {
                            country = Some(name);
                            Outcome::Ok
                        }
                        Err(reason) => Outcome::Error(Failure::Metadata(reason)),
                    }
                }
                (_, outcome) => outcome,
            };
            (self.emit)(Event::RequestFinished {
                cc: cc.to_string(),
                kind,
                at_ms: self.at_ms(),
                outcome: outcome.clone(),
            });
            if outcome != Outcome::Ok {
                (self.emit)(Event::ItemDone {
                    cc: cc.to_string(),
                    outcome,
                    at_ms: self.at_ms(),
                });
                return;
            }
            if kind == Kind::Flag {
                image = Some(reply);
            }
        }
        let image = image.unwrap_or_default();
        let name = save_name(self.plan.params.mode, cc, country.as_deref());
        let size = image.body.len();
        (self.keep)(cc, image);
        (self.emit)(Event::Saved {
            cc: cc.to_string(),
            name,
            bytes: size,
        });
        (self.emit)(Event::ItemDone {
            cc: cc.to_string(),
            outcome: Outcome::Ok,
            at_ms: self.at_ms(),
        });
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use futures::FutureExt;
    use futures::executor::LocalPool;
    use futures::future::{AbortHandle, Abortable};
    use futures::task::LocalSpawnExt;

    use super::super::form::Field;
    use super::super::outcome::Counts;
    use super::super::report::SEPARATOR;
    use super::super::session::Session;
    use super::super::testing::{PAGE, counts, form, plan_for, strings};
    use super::*;
    use crate::labs::{LabForm, LabSession};
    use crate::runtime::ports::Reply;
    use crate::runtime::testing::{
        Virtual, recorder, reply, run_recorded, run_to_end, typed_reply,
    };

    /// The code in a request's URL (`flags/br/br.svg` → `BR`).
    fn code_of(url: &str) -> String {
        url.split('/').rev().nth(1).unwrap_or("").to_ascii_uppercase()
    }

    fn svg(cc: &str) -> Reply {
        typed_reply(200, "OK", "image/svg+xml", &format!("<svg>{cc}</svg>"))
    }

    /// What a run left: the session its events make, the events, the virtual ms it took,
    /// and the flags it kept `(cc, bytes)`.
    struct Ran {
        session: Session,
        events: Vec<Event>,
        took: f64,
        kept: Vec<(String, usize)>,
    }

    /// The flags a run kept: `(cc, bytes)`.
    type Kept = Rc<RefCell<Vec<(String, usize)>>>;

    fn keeper() -> (impl Fn(&str, Reply) + 'static, Kept) {
        let kept = Kept::default();
        let sink = kept.clone();
        let keep = move |cc: &str, image: Reply| {
            sink.borrow_mut().push((cc.to_string(), image.body.len()));
        };
        (keep, kept)
    }

    fn run_virtual(rt: &Virtual, plan: RunPlan) -> Ran {
        let (keep, kept) = keeper();
        let (events, took) = run_recorded(rt, |emit| run(plan, rt.clone(), emit, keep));
        let session = Session::replay(&events);
        let kept = kept.borrow().clone();
        Ran {
            session,
            events,
            took,
            kept,
        }
    }

    /// The most requests between their `RequestStarted` and `RequestFinished` at once.
    fn most_in_flight(events: &[Event]) -> usize {
        let (mut open, mut most) = (0usize, 0usize);
        for event in events {
            match event {
                Event::RequestStarted { .. } => open += 1,
                Event::RequestFinished { .. } => open -= 1,
                _ => {}
            }
            most = most.max(open);
        }
        most
    }

    #[test]
    fn every_code_ends_one_way_and_the_counts_add_up() {
        // XX is not on the server, CC is a teapot, the rest are flags.
        let rt = Virtual::with_server(|url| {
            let cc = code_of(url);
            let answer = match cc.as_str() {
                "XX" => reply(404, "Not Found", ""),
                "CC" => reply(418, "I'm a Teapot", ""),
                _ => svg(&cc),
            };
            (50.0, Ok(answer))
        });
        let plan = plan_for(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, "BR CC CN XX US"),
            (Field::Verbose, "true"),
        ]);
        let not_found_url = plan.absolute_url("XX", Kind::Flag);
        let ran = run_virtual(&rt, plan);
        let s = &ran.session;
        assert_eq!(s.counts(), counts(3, 1, 1, 0));
        assert_eq!(s.counts().total(), 5, "ok + not found + errors = codes searched");
        assert!(!s.is_running());
        assert!(s.transcript.contains(&"CC error: HTTP error 418 - I'm a Teapot".to_string()));
        assert!(s.transcript.contains(&format!("XX not found: {not_found_url}")));
        assert!(s.transcript.contains(&"  3 flags downloaded.".to_string()));
        let mut kept: Vec<&str> = ran.kept.iter().map(|(cc, _)| cc.as_str()).collect();
        kept.sort();
        assert_eq!(kept, ["BR", "CN", "US"]);
        assert_eq!(ran.kept[0].1, "<svg>BR</svg>".len());
        assert_eq!(s.saved.len(), 3);
        assert_eq!(ran.took, 50.0, "five at a time: one round of 50 ms");
    }

    #[test]
    fn the_semaphore_holds_at_most_actual_req_in_flight() {
        let rt = Virtual::with_server(|url| (1000.0, Ok(svg(&code_of(url)))));
        let plan = plan_for(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, "BR CN IN US ID PK"),
            (Field::MaxReq, "2"),
        ]);
        assert_eq!(plan.actual_req, 2);
        let ran = run_virtual(&rt, plan);
        assert_eq!(most_in_flight(&ran.events), 2);
        assert_eq!(ran.session.peak_in_flight, 2);
        assert_eq!(ran.session.slots(), 2);
        assert!(ran.session.timeline.iter().all(|b| b.lane < 2));
        assert_eq!(ran.took, 3000.0, "6 codes, 2 at a time, 1 s each");
        assert_eq!(ran.session.counts().ok, 6);
        // The concurrent mode is the thread pool's 30 at once: all 20 together.
        let rt = Virtual::with_server(|url| (1000.0, Ok(svg(&code_of(url)))));
        let ran = run_virtual(&rt, plan_for(&[(Field::Mode, "concurrent")]));
        assert_eq!(most_in_flight(&ran.events), 20);
        assert_eq!(ran.took, 1000.0);
    }

    #[test]
    fn a_slow_answer_times_out_as_an_error() {
        let rt = Virtual::with_server(|url| {
            let cc = code_of(url);
            let delay = if cc == "BR" { 5000.0 } else { 100.0 };
            (delay, Ok(svg(&cc)))
        });
        let plan = plan_for(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, "BR CN"),
            (Field::Verbose, "true"),
        ]);
        assert_eq!(plan.params.timeout_s, 3.1);
        let ran = run_virtual(&rt, plan);
        let s = &ran.session;
        assert_eq!(
            s.outcome_of("BR"),
            Some(&Outcome::Error(Failure::Timeout { after_s: 3.1 }))
        );
        assert!(s.transcript.contains(&"BR error: timed out after 3.1s".to_string()));
        assert_eq!(s.counts(), counts(1, 0, 1, 0));
        assert!((ran.took - 3100.0).abs() < 1e-6, "{}", ran.took);
        // flags.py's 6.1 s timeout lets the same answer through.
        let rt = Virtual::with_server(|url| (5000.0, Ok(svg(&code_of(url)))));
        let ran = run_virtual(&rt, plan_for(&[(Field::CountryCodes, "BR")]));
        assert_eq!(ran.session.counts().ok, 1);
    }

    #[test]
    fn a_page_that_is_not_an_image_is_an_error_not_a_flag() {
        // BR answers 200 with HTML, CN with no type at all, IN with a GIF (an image).
        let rt = Virtual::with_server(|url| {
            let cc = code_of(url);
            let answer = match cc.as_str() {
                "BR" => typed_reply(200, "OK", "text/html; charset=utf-8", "<html>hi</html>"),
                "CN" => typed_reply(200, "OK", "", "<svg></svg>"),
                "IN" => typed_reply(200, "OK", "Image/GIF", "GIF89a"),
                _ => svg(&cc),
            };
            (10.0, Ok(answer))
        });
        let plan = plan_for(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, "BR CN IN US"),
            (Field::Verbose, "true"),
        ]);
        let ran = run_virtual(&rt, plan);
        let s = &ran.session;
        assert_eq!(s.counts(), counts(2, 0, 2, 0));
        assert!(s.transcript.contains(&"BR error: not an image: the answer is text/html; charset=utf-8".to_string()));
        assert!(s.transcript.contains(&"CN error: not an image: the answer has no Content-Type".to_string()));
        let kept: Vec<&str> = ran.kept.iter().map(|(cc, _)| cc.as_str()).collect();
        assert_eq!(kept.len(), 2);
        assert!(kept.contains(&"IN") && kept.contains(&"US"));
    }

    #[test]
    fn sequential_takes_the_sum_concurrent_the_slowest() {
        let delays = |url: &str| match code_of(url).as_str() {
            "BR" => 100.0,
            "CN" => 200.0,
            "IN" => 300.0,
            _ => 400.0,
        };
        let codes = (Field::CountryCodes, "BR CN IN US");
        let rt = Virtual::with_server(move |url| (delays(url), Ok(svg(&code_of(url)))));
        let sequential = run_virtual(&rt, plan_for(&[codes]));
        assert_eq!(sequential.took, 1000.0);
        assert_eq!(most_in_flight(&sequential.events), 1);
        assert_eq!(
            sequential.session.transcript,
            ["BR CN IN US", "4 flags downloaded in 1.00s"]
        );
        let rt = Virtual::with_server(move |url| (delays(url), Ok(svg(&code_of(url)))));
        let concurrent = run_virtual(&rt, plan_for(&[(Field::Mode, "concurrent"), codes]));
        assert_eq!(concurrent.took, 400.0);
        assert_eq!(
            concurrent.session.transcript,
            ["BR CN IN US", "4 flags downloaded in 0.40s"]
        );
        // In completion order: the fastest first.
        let rt = Virtual::with_server(|url| {
            let delay = if code_of(url) == "BR" { 300.0 } else { 100.0 };
            (delay, Ok(svg(&code_of(url))))
        });
        let ran = run_virtual(
            &rt,
            plan_for(&[(Field::Mode, "concurrent"), (Field::CountryCodes, "BR CN")]),
        );
        assert_eq!(ran.session.transcript[0], "CN BR");
    }

    #[test]
    fn flags3_makes_two_requests_per_code_and_names_files_by_country() {
        let rt = Virtual::with_server(|url| {
            let cc = code_of(url);
            let answer = match (cc.as_str(), url.contains("metadata.json")) {
                ("XX", _) => reply(404, "Not Found", ""),
                ("BR", true) => reply(200, "OK", r#"{"cc": "BR", "country": "Brazil"}"#),
                ("US", true) => reply(
                    200,
                    "OK",
                    r#"{"country": "United States of America", "cc": "US"}"#,
                ),
                ("CN", true) => reply(200, "OK", r#"{"cc": "CN"}"#),
                (_, _) => svg(&cc),
            };
            (100.0, Ok(answer))
        });
        let plan = plan_for(&[
            (Field::Mode, "flags3"),
            (Field::CountryCodes, "BR CN US XX"),
            (Field::MaxReq, "2"),
        ]);
        let ran = run_virtual(&rt, plan);
        let s = &ran.session;
        let requests = |cc: &str| {
            let bars = s.timeline.iter().filter(|b| b.item.cc == cc);
            bars.map(|b| b.item.kind).collect::<Vec<_>>()
        };
        assert_eq!(requests("BR"), [Kind::Flag, Kind::Metadata]);
        assert_eq!(requests("XX"), [Kind::Flag], "a missing flag ends the code");
        assert_eq!(
            s.outcome_of("CN"),
            Some(&Outcome::Error(Failure::Metadata(
                "no \"country\" string".to_string()
            )))
        );
        assert_eq!(s.counts(), counts(2, 1, 1, 0));
        let paths: Vec<String> = s.zip_entries().into_iter().map(|e| e.path).collect();
        let mut paths = paths;
        paths.sort();
        assert_eq!(
            paths,
            [
                "downloaded/Brazil.svg",
                "downloaded/United_States_of_America.svg"
            ]
        );
        assert_eq!(most_in_flight(&ran.events), 2);
        // 7 requests, 2 at a time, 100 ms each.
        assert_eq!(s.timeline.len(), 7);
        assert_eq!(ran.took, 400.0);
    }

    #[test]
    fn stop_cancels_the_rest_and_nothing_runs_after() {
        let rt = Virtual::with_server(|url| (1000.0, Ok(svg(&code_of(url)))));
        let plan = plan_for(&[(Field::Mode, "flags2"), (Field::MaxReq, "4")]);
        let (emit, events) = recorder();
        let (keep, kept) = keeper();
        let mut pool = LocalPool::new();
        let (abort, registration) = AbortHandle::new_pair();
        let script = Abortable::new(run(plan, rt.clone(), emit, keep), registration);
        pool.spawner()
            .spawn_local(script.map(drop))
            .expect("spawn on a local pool");
        rt.clock.run_until(&mut pool, 1500.0);
        // Stop: the page drops the run and reports how long it went on.
        abort.abort();
        pool.run_until_stalled();
        let seen = events.borrow().len();
        rt.clock.run(&mut pool);
        assert_eq!(events.borrow().len(), seen, "no event after Stop");
        let mut s = Session::replay(&events.borrow());
        assert_eq!(s.in_flight, 4);
        s.apply(Session::cancelled(1.5));
        let c: Counts = s.counts();
        assert_eq!(c, counts(4, 0, 0, 16));
        assert_eq!(c.total(), 20);
        assert_eq!(kept.borrow().len(), 4);
        assert!(s.transcript.contains(&" 16 cancelled.".to_string()));
        assert_eq!(s.in_flight, 0);
    }

    #[test]
    fn a_refused_fetch_is_named_on_its_line_and_explained_once_above_the_report() {
        // BR and CN are refused without an answer (what CORS looks like to the page); US is a GIF.
        let rt = Virtual::with_server(|url| match code_of(url).as_str() {
            "US" => (10.0, Ok(typed_reply(200, "OK", "image/gif", "GIF89a"))),
            _ => (10.0, Err(FetchError::Network("Failed to fetch".into()))),
        });
        let remote = |mode: &str, verbose: &str| {
            plan_for(&[
                (Field::Mode, mode),
                (Field::Server, "REMOTE"),
                (Field::BaseUrl, "http://127.0.0.1:9/data/flags"),
                (Field::CountryCodes, "BR CN US"),
                (Field::Verbose, verbose),
            ])
        };
        let plan = remote("flags2", "true");
        assert_eq!(plan.requests("BR")[0].1, "http://127.0.0.1:9/data/flags/br/br.gif");
        let ran = run_virtual(&rt, plan);
        let lines = &ran.session.transcript;
        for cc in ["BR", "CN"] {
            let line = format!("{cc} error: blocked or unreachable (CORS or network): Failed to fetch");
            assert!(lines.contains(&line), "{lines:#?}");
        }
        let explained = |lines: &[String]| {
            lines
                .iter()
                .filter(|l| l.starts_with("2 errors: blocked or unreachable (CORS or network) — "))
                .count()
        };
        assert_eq!(explained(lines), 1, "once, not on every line: {lines:#?}");
        let at = lines.iter().position(|l| l == SEPARATOR).unwrap();
        assert!(lines[at - 1].contains("Access-Control-Allow-Origin"), "{lines:#?}");
        assert_eq!(ran.session.counts(), counts(1, 0, 2, 0));
        assert_eq!(ran.session.zip_entries()[0].path, "downloaded/US.gif");
        // Without -v (the bar) and without a CLI, the same line, once, above the last lines.
        let quiet = run_virtual(&rt, remote("flags2", "false")).session.transcript;
        assert_eq!(explained(&quiet), 1, "{quiet:#?}");
        let sequential = run_virtual(&rt, remote("sequential", "false")).session.transcript;
        assert_eq!(explained(&sequential), 1, "{sequential:#?}");
        assert!(sequential[sequential.len() - 3].starts_with("2 errors: "), "{sequential:#?}");
    }

    fn plan_on(rt: &Virtual, params: FlagsParams) -> Result<RunPlan, String> {
        let result = Rc::new(RefCell::new(None));
        let (out, rt2) = (result.clone(), rt.clone());
        run_to_end(rt, async move {
            *out.borrow_mut() = Some(plan(&params, PAGE, &rt2).await);
        });
        result.take().expect("the plan was made")
    }

    #[test]
    fn all_asks_the_server_what_it_ships() {
        let rt = Virtual::with_server(|url| {
            assert_eq!(url, INDEX_URL);
            (10.0, Ok(reply(200, "OK", r#"["AD", "BR", "ZW"]"#)))
        });
        let all = form(&[(Field::Mode, "flags2"), (Field::All, "true")]);
        let plan = plan_on(&rt, all.validate().unwrap()).unwrap();
        assert_eq!(plan.cc_list, strings(&["AD", "BR", "ZW"]));
        // Without -a (or with -e) nothing is fetched.
        let every = form(&[
            (Field::Mode, "flags2"),
            (Field::All, "true"),
            (Field::Every, "true"),
        ]);
        assert_eq!(plan_on(&rt, every.validate().unwrap()).unwrap().cc_list.len(), 676);
        let missing = Virtual::default();
        assert_eq!(
            plan_on(&missing, all.validate().unwrap()),
            Err("flags/index.json answered 404 Not Found".to_string())
        );
        let down = Virtual::with_server(|_| (0.0, Err(FetchError::Network("refused".into()))));
        assert_eq!(
            plan_on(&down, all.validate().unwrap()),
            Err("flags/index.json: network error: refused".to_string())
        );
    }
}
