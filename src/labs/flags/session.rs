//! The flags lab's state across runs, driven by the events of its runs: the transcript
//! (codes line, verbose lines or tqdm bar, reports), each code's outcome, the requests in
//! flight and their peak, the request timeline, the saved flags and the history.
//!
//! All times in events are relative to the start of the run.

use super::choices::{Extension, Kind};
use super::history::HistoryRow;
use super::outcome::{Counts, Outcome, verbose_line};
use super::plan::RunPlan;
use super::report::{blocked_lines, downloaded_in_line, final_report, not_downloaded_line};
use super::save::{SavedFlag, ZipEntry, zip_entries};
use super::timeline::{Request, RequestBar};
use super::tqdm::tqdm_line;
use crate::labs::LabSession;
use crate::timeline::{Bar, span_ms};

#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The run starts: the plan from [`FlagsParams::plan`].
    ///
    /// [`FlagsParams::plan`]: super::form::FlagsParams::plan
    Started(RunPlan),
    /// A request was sent (after taking the semaphore).
    RequestStarted { cc: String, kind: Kind, at_ms: f64 },
    /// A request ended (its slot is free again).
    RequestFinished {
        cc: String,
        kind: Kind,
        at_ms: f64,
        outcome: Outcome,
    },
    /// A flag was "saved" (kept for the grid and the zip); `name` from [`save_name`].
    ///
    /// [`save_name`]: super::save::save_name
    Saved {
        cc: String,
        name: String,
        bytes: usize,
    },
    /// A code is done (after all its requests, and saving).
    ItemDone {
        cc: String,
        outcome: Outcome,
        at_ms: f64,
    },
    /// Every code is done.
    Finished { elapsed_s: f64 },
    /// Stop: every code not done yet is cancelled.
    Cancelled { elapsed_s: f64 },
}

/// The lab's state across runs; the run emits [`Event`]s into it.
///
/// The counters are derived from each code's outcome, and when a run ends (finished or
/// stopped) every code without one is marked cancelled: ok + not found + errors +
/// cancelled always equals the codes searched.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    /// Lines printed so far.
    pub transcript: Vec<String>,
    /// The line being redrawn in place: the codes line (sequential, concurrent) or the
    /// tqdm bar (flags2/flags3 without `-v`).
    pub live_line: Option<String>,
    /// sequential/concurrent: the codes saved so far, space-separated, in order of saving.
    pub live_codes: String,
    /// The current run's plan, or the last run's.
    pub plan: Option<RunPlan>,
    pub running: bool,
    pub runs_started: u32,
    /// Per code of `plan.cc_list`, in that order: its outcome once done.
    pub outcomes: Vec<Option<Outcome>>,
    /// Indices into `plan.cc_list`, in completion order.
    pub done_order: Vec<usize>,
    /// Requests in flight now, and the most at any moment of the run.
    pub in_flight: usize,
    pub peak_in_flight: usize,
    pub timeline: Vec<RequestBar>,
    /// In order of saving.
    pub saved: Vec<SavedFlag>,
    /// Set when the run ends.
    pub elapsed_s: Option<f64>,
    pub history: Vec<HistoryRow>,
}

impl Session {
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// The counters of the current (or last) run.
    pub fn counts(&self) -> Counts {
        let mut counts = Counts::default();
        for outcome in self.outcomes.iter().flatten() {
            counts.add(outcome.status());
        }
        counts
    }

    /// (codes done, codes searched).
    pub fn progress(&self) -> (usize, usize) {
        (self.done_order.len(), self.outcomes.len())
    }

    /// A code's outcome, once done.
    pub fn outcome_of(&self, cc: &str) -> Option<&Outcome> {
        let index = self.plan.as_ref()?.index_of(cc)?;
        self.outcomes.get(index)?.as_ref()
    }

    /// The extension the current (or last) run asked for.
    pub fn extension(&self) -> Extension {
        self.plan
            .as_ref()
            .map_or(Extension::Svg, |p| p.params.server.ext)
    }

    /// The zip's files for the flags saved so far.
    pub fn zip_entries(&self) -> Vec<ZipEntry> {
        zip_entries(&self.saved, self.extension())
    }

    /// The timeline's right end: the last bar's end, or `now_ms` while one is in flight.
    pub fn span_ms(&self, now_ms: f64) -> f64 {
        span_ms(&self.timeline, now_ms)
    }

    /// The timeline's lanes: the semaphore's size, or more if the requests overlapped more.
    pub fn slots(&self) -> usize {
        let planned = self.plan.as_ref().map_or(0, |p| p.actual_req);
        let used = self.timeline.iter().map(|b| b.lane + 1).max().unwrap_or(0);
        planned.max(used)
    }

    /// The running plan and the index of `cc` in it.
    fn running_index(&self, cc: &str) -> Option<usize> {
        if !self.running {
            return None;
        }
        self.plan.as_ref()?.index_of(cc)
    }

    fn cli(&self) -> Option<(bool, usize)> {
        let plan = self.plan.as_ref()?;
        plan.params
            .mode
            .has_cli()
            .then_some((plan.params.verbose, plan.cc_list.len()))
    }

    /// Closes `cc`'s open request of `kind` (any kind if `None`).
    fn close_requests(
        &mut self,
        cc: &str,
        kind: Option<Kind>,
        at_ms: f64,
        outcome: &Outcome,
    ) -> bool {
        let mut closed = false;
        for bar in self
            .timeline
            .iter_mut()
            .filter(|b| b.is_open() && b.item.cc == cc && kind.is_none_or(|k| b.item.kind == k))
        {
            bar.end_ms = Some(at_ms.max(bar.start_ms));
            bar.item.outcome = Some(outcome.clone());
            self.in_flight -= 1;
            closed = true;
            if kind.is_some() {
                break;
            }
        }
        closed
    }

    fn end_run(&mut self, elapsed_s: f64, stopped: bool) {
        let Some(plan) = self.plan.clone().filter(|_| self.running) else {
            return;
        };
        let at_ms = elapsed_s * 1000.0;
        for bar in self.timeline.iter_mut().filter(|b| b.is_open()) {
            bar.end_ms = Some(at_ms.max(bar.start_ms));
            bar.item.outcome = Some(Outcome::Cancelled);
        }
        self.in_flight = 0;
        for (index, outcome) in self.outcomes.iter_mut().enumerate() {
            if outcome.is_none() {
                *outcome = Some(Outcome::Cancelled);
                self.done_order.push(index);
            }
        }
        let counts = self.counts();
        self.live_line = None;
        let blocked = blocked_lines(&self.outcomes);
        if plan.params.mode.has_cli() {
            if !plan.params.verbose {
                self.transcript
                    .push(tqdm_line(counts.answered(), plan.cc_list.len(), elapsed_s));
            }
            self.transcript.extend(blocked);
            self.transcript.extend(final_report(&counts, elapsed_s));
        } else {
            if !self.live_codes.is_empty() {
                self.transcript.push(self.live_codes.clone());
            }
            self.transcript.extend(blocked);
            self.transcript
                .push(downloaded_in_line(counts.ok, elapsed_s));
            self.transcript.extend(not_downloaded_line(&counts));
        }
        self.running = false;
        self.elapsed_s = Some(elapsed_s);
        self.history.push(HistoryRow {
            run_no: self.runs_started,
            mode: plan.params.mode,
            server: plan.params.server.server,
            codes: plan.cc_list.len(),
            max_concurrent: plan.actual_req,
            counts,
            peak_in_flight: self.peak_in_flight,
            elapsed_s,
            stopped,
        });
    }
}

impl LabSession for Session {
    type Event = Event;

    fn cancelled(elapsed_s: f64) -> Event {
        Event::Cancelled { elapsed_s }
    }

    fn apply(&mut self, event: Event) {
        match event {
            Event::Started(plan) => {
                let history = std::mem::take(&mut self.history);
                *self = Session {
                    runs_started: self.runs_started + 1,
                    history,
                    running: true,
                    outcomes: vec![None; plan.cc_list.len()],
                    ..Session::default()
                };
                if plan.params.mode.has_cli() {
                    self.transcript = plan.initial_report();
                    if !plan.params.verbose {
                        self.live_line = Some(tqdm_line(0, plan.cc_list.len(), 0.0));
                    }
                }
                self.plan = Some(plan);
            }
            Event::RequestStarted { cc, kind, at_ms } => {
                let Some(row) = self.running_index(&cc) else {
                    return;
                };
                if self.outcomes[row].is_some()
                    || self
                        .timeline
                        .iter()
                        .any(|b| b.is_open() && b.item.cc == cc && b.item.kind == kind)
                {
                    return;
                }
                let busy: Vec<usize> = self
                    .timeline
                    .iter()
                    .filter(|b| b.is_open())
                    .map(|b| b.lane)
                    .collect();
                // The lowest slot free: one lane per semaphore slot.
                let slot = (0..).find(|s| !busy.contains(s)).unwrap_or(0);
                let request = Request {
                    cc,
                    kind,
                    row,
                    outcome: None,
                };
                self.timeline.push(Bar::new(slot, at_ms, request));
                self.in_flight += 1;
                self.peak_in_flight = self.peak_in_flight.max(self.in_flight);
            }
            Event::RequestFinished {
                cc,
                kind,
                at_ms,
                outcome,
            } => {
                if self.running_index(&cc).is_some() {
                    self.close_requests(&cc, Some(kind), at_ms, &outcome);
                }
            }
            Event::Saved { cc, name, bytes } => {
                if self.running_index(&cc).is_some() && !self.saved.iter().any(|s| s.cc == cc) {
                    self.saved.push(SavedFlag { cc, name, bytes });
                }
            }
            Event::ItemDone { cc, outcome, at_ms } => {
                let Some(index) = self.running_index(&cc) else {
                    return;
                };
                if self.outcomes[index].is_some() {
                    return;
                }
                // A request still open when its code is done ended with it.
                self.close_requests(&cc, None, at_ms, &Outcome::Cancelled);
                self.outcomes[index] = Some(outcome.clone());
                self.done_order.push(index);
                match self.cli() {
                    Some((true, _)) => self.transcript.extend(verbose_line(&cc, &outcome)),
                    Some((false, total)) => {
                        let answered = self.counts().answered();
                        self.live_line = Some(tqdm_line(answered, total, at_ms / 1000.0));
                    }
                    None => {
                        if outcome == Outcome::Ok {
                            if !self.live_codes.is_empty() {
                                self.live_codes.push(' ');
                            }
                            self.live_codes.push_str(&cc);
                            self.live_line = Some(self.live_codes.clone());
                        }
                    }
                }
            }
            Event::Finished { elapsed_s } => self.end_run(elapsed_s, false),
            Event::Cancelled { elapsed_s } => self.end_run(elapsed_s, true),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::choices::Mode;
    use super::super::form::Field;
    use super::super::metadata::parse_metadata;
    use super::super::outcome::Failure;
    use super::super::report::SEPARATOR;
    use super::super::save::save_name;
    use super::super::testing::{Rng, counts, plan_for, teapot};
    use super::*;
    use crate::timeline::BarItem;

    fn started(s: &mut Session, cc: &str, kind: Kind, at_ms: f64) {
        s.apply(Event::RequestStarted {
            cc: cc.to_string(),
            kind,
            at_ms,
        });
    }

    fn finished(s: &mut Session, cc: &str, kind: Kind, at_ms: f64, outcome: Outcome) {
        s.apply(Event::RequestFinished {
            cc: cc.to_string(),
            kind,
            at_ms,
            outcome,
        });
    }

    fn done(s: &mut Session, cc: &str, outcome: Outcome, at_ms: f64) {
        s.apply(Event::ItemDone {
            cc: cc.to_string(),
            outcome,
            at_ms,
        });
    }

    /// One code with one request: start, finish, save if OK, done.
    fn download(s: &mut Session, cc: &str, start: f64, end: f64, outcome: Outcome) {
        started(s, cc, Kind::Flag, start);
        finished(s, cc, Kind::Flag, end, outcome.clone());
        if outcome == Outcome::Ok {
            s.apply(Event::Saved {
                cc: cc.to_string(),
                name: cc.to_string(),
                bytes: 1000,
            });
        }
        done(s, cc, outcome, end);
    }

    #[test]
    fn sequential_prints_codes_on_one_line() {
        let mut s = Session::default();
        let plan = plan_for(&[(Field::Server, "LOCAL"), (Field::CountryCodes, "cn br bd")]);
        s.apply(Event::Started(plan));
        assert!(s.is_running());
        assert!(s.transcript.is_empty());
        assert_eq!(s.live_line, None);
        download(&mut s, "BD", 0.0, 100.0, Outcome::Ok);
        assert_eq!(s.live_line.as_deref(), Some("BD"));
        download(&mut s, "BR", 100.0, 200.0, Outcome::Ok);
        download(&mut s, "CN", 200.0, 300.0, Outcome::Ok);
        assert_eq!(s.live_line.as_deref(), Some("BD BR CN"));
        assert_eq!(s.peak_in_flight, 1);
        s.apply(Event::Finished { elapsed_s: 0.3 });
        assert!(!s.is_running());
        assert_eq!(s.live_line, None);
        assert_eq!(s.transcript, ["BD BR CN", "3 flags downloaded in 0.30s"]);
        assert_eq!(s.history.len(), 1);
        assert_eq!(
            s.history[0].cells(),
            [
                "1",
                "sequential",
                "LOCAL",
                "3",
                "1",
                "3",
                "0",
                "0",
                "0",
                "1",
                "0.30s"
            ]
        );
        assert_eq!(s.saved.len(), 3);
        assert_eq!(s.zip_entries()[0].path, "downloaded/BD.svg");
    }

    #[test]
    fn concurrent_prints_codes_in_completion_order() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[(Field::Mode, "concurrent")])));
        let list = s.plan.as_ref().unwrap().cc_list.clone();
        for (i, cc) in list.iter().enumerate() {
            started(&mut s, cc, Kind::Flag, i as f64);
        }
        assert_eq!((s.in_flight, s.peak_in_flight), (20, 20));
        for cc in ["VN", "BR", "EG"] {
            finished(&mut s, cc, Kind::Flag, 500.0, Outcome::Ok);
            done(&mut s, cc, Outcome::Ok, 500.0);
        }
        assert_eq!(s.live_line.as_deref(), Some("VN BR EG"));
        // One not found: no code printed; the rest OK.
        finished(
            &mut s,
            "BD",
            Kind::Flag,
            600.0,
            Outcome::NotFound { url: "u".into() },
        );
        done(&mut s, "BD", Outcome::NotFound { url: "u".into() }, 600.0);
        for cc in list
            .iter()
            .filter(|c| !["VN", "BR", "EG", "BD"].contains(&c.as_str()))
        {
            finished(&mut s, cc, Kind::Flag, 900.0, Outcome::Ok);
            done(&mut s, cc, Outcome::Ok, 900.0);
        }
        assert_eq!(s.in_flight, 0);
        s.apply(Event::Finished { elapsed_s: 1.37 });
        assert!(s.transcript[0].starts_with("VN BR EG CD CN"));
        assert_eq!(s.transcript[0].split(' ').count(), 19);
        assert_eq!(s.transcript[1], "19 flags downloaded in 1.37s");
        assert_eq!(s.transcript[2], "Not downloaded: 1 not found.");
        assert_eq!(s.counts().total(), 20);
    }

    #[test]
    fn flags2_verbose_transcript() {
        let mut s = Session::default();
        let plan = plan_for(&[
            (Field::Mode, "flags2"),
            (Field::Server, "ERROR"),
            (Field::CountryCodes, "CN BR XX CC US"),
            (Field::Verbose, "true"),
        ]);
        let not_found_url = plan.absolute_url("XX", Kind::Flag);
        s.apply(Event::Started(plan));
        assert_eq!(
            s.transcript,
            [
                "ERROR site: http://localhost:8080/playground/error/flags",
                "Searching for 5 flags: BR, CC, CN, US, XX",
                "5 concurrent connections will be used.",
            ]
        );
        assert_eq!(s.live_line, None, "no bar with -v");
        download(&mut s, "CN", 0.0, 100.0, Outcome::Ok);
        download(
            &mut s,
            "XX",
            0.0,
            150.0,
            Outcome::NotFound {
                url: not_found_url.clone(),
            },
        );
        download(&mut s, "CC", 0.0, 200.0, teapot());
        download(
            &mut s,
            "BR",
            0.0,
            250.0,
            Outcome::Error(Failure::Timeout { after_s: 3.1 }),
        );
        download(&mut s, "US", 0.0, 300.0, Outcome::Ok);
        s.apply(Event::Finished { elapsed_s: 0.64 });
        assert_eq!(
            s.transcript[3..],
            [
                "CN OK".to_string(),
                format!("XX not found: {not_found_url}"),
                "CC error: HTTP error 418 - I'm a Teapot".to_string(),
                "BR error: timed out after 3.1s".to_string(),
                "US OK".to_string(),
                "--------------------".to_string(),
                "  2 flags downloaded.".to_string(),
                "  1 not found.".to_string(),
                "  2 errors.".to_string(),
                "Elapsed time: 0.64s".to_string(),
            ]
        );
        assert_eq!(
            not_found_url,
            "http://localhost:8080/playground/error/flags/xx/xx.svg?min=0.1&max=0.3&p=0.25"
        );
        let row = &s.history[0];
        assert_eq!(row.counts, counts(2, 1, 2, 0));
        assert_eq!(row.cells()[1..5], ["flags2", "ERROR", "5", "5"]);
    }

    #[test]
    fn flags2_progress_bar() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[(Field::Mode, "flags2")])));
        assert_eq!(s.transcript.len(), 3);
        assert_eq!(
            s.live_line.as_deref(),
            Some("  0%|          | 0/20 [00:00<?, ?it/s]")
        );
        let list = s.plan.as_ref().unwrap().cc_list.clone();
        for (i, cc) in list.iter().take(9).enumerate() {
            download(&mut s, cc, 0.0, 1480.0 * (i + 1) as f64 / 9.0, Outcome::Ok);
        }
        assert_eq!(
            s.live_line.as_deref(),
            Some(" 45%|████▌     | 9/20 [00:01<00:01,  6.08it/s]")
        );
        for cc in &list[9..] {
            download(&mut s, cc, 0.0, 1300.0, Outcome::Ok);
        }
        s.apply(Event::Finished { elapsed_s: 1.31 });
        assert_eq!(s.live_line, None);
        assert_eq!(
            s.transcript[3..],
            [
                "100%|██████████| 20/20 [00:01<00:00, 15.27it/s]",
                "--------------------",
                " 20 flags downloaded.",
                "Elapsed time: 1.31s",
            ]
        );
    }

    #[test]
    fn stop_cancels_the_rest_and_the_sum_holds() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, "flags2"),
            (Field::MaxReq, "3"),
        ])));
        let list = s.plan.as_ref().unwrap().cc_list.clone();
        download(&mut s, &list[0], 0.0, 100.0, Outcome::Ok);
        download(&mut s, &list[1], 0.0, 120.0, teapot());
        started(&mut s, &list[2], Kind::Flag, 100.0);
        started(&mut s, &list[3], Kind::Flag, 120.0);
        assert_eq!(s.in_flight, 2);
        s.apply(Event::Cancelled { elapsed_s: 0.5 });
        assert!(!s.is_running());
        assert_eq!(s.in_flight, 0);
        let c = s.counts();
        assert_eq!(c, counts(1, 0, 1, 18));
        assert_eq!(c.total(), 20);
        assert_eq!(s.progress(), (20, 20));
        assert_eq!(
            s.transcript[3..],
            [
                " 10%|█         | 2/20 [00:00<00:04,  4.00it/s]",
                "--------------------",
                "  1 flag downloaded.",
                "  1 error.",
                " 18 cancelled.",
                "Elapsed time: 0.50s",
            ]
        );
        let open: Vec<&RequestBar> = s
            .timeline
            .iter()
            .filter(|b| b.item.outcome == Some(Outcome::Cancelled))
            .collect();
        assert_eq!(open.len(), 2);
        assert!(open.iter().all(|b| b.end_ms == Some(500.0)));
        assert_eq!(s.outcome_of(&list[5]), Some(&Outcome::Cancelled));
        assert!(s.history[0].stopped);
        assert_eq!(s.history[0].cells()[8], "18");
        // Events after the end change nothing.
        let before = s.clone();
        download(&mut s, &list[5], 0.0, 900.0, Outcome::Ok);
        s.apply(Event::Finished { elapsed_s: 1.0 });
        s.apply(Event::Cancelled { elapsed_s: 1.0 });
        assert_eq!(s, before);
    }

    #[test]
    fn stop_in_sequential_mode() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[])));
        download(&mut s, "BD", 0.0, 100.0, Outcome::Ok);
        download(&mut s, "BR", 100.0, 200.0, Outcome::Ok);
        started(&mut s, "CD", Kind::Flag, 200.0);
        s.apply(Event::Cancelled { elapsed_s: 0.25 });
        assert_eq!(
            s.transcript,
            [
                "BD BR",
                "2 flags downloaded in 0.25s",
                "Not downloaded: 18 cancelled."
            ]
        );
        assert_eq!(s.counts().total(), 20);
    }

    #[test]
    fn finishing_with_codes_left_counts_them_cancelled() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, "flags2"),
            (Field::Verbose, "true"),
        ])));
        download(&mut s, "BR", 0.0, 1.0, Outcome::Ok);
        s.apply(Event::Finished { elapsed_s: 0.1 });
        assert_eq!(s.counts(), counts(1, 0, 0, 19));
        assert_eq!(s.counts().total(), 20);
    }

    #[test]
    fn odd_events_are_ignored() {
        let mut s = Session::default();
        download(&mut s, "BR", 0.0, 1.0, Outcome::Ok);
        s.apply(Event::Finished { elapsed_s: 1.0 });
        assert_eq!(s, Session::default(), "nothing before Started");
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, "BR CN"),
        ])));
        started(&mut s, "ZZ", Kind::Flag, 0.0);
        s.apply(Event::Saved {
            cc: "ZZ".into(),
            name: "ZZ".into(),
            bytes: 1,
        });
        done(&mut s, "ZZ", Outcome::Ok, 0.0);
        assert!(s.timeline.is_empty() && s.saved.is_empty() && s.done_order.is_empty());
        // A second start of the same request, a finish without a start.
        started(&mut s, "BR", Kind::Flag, 0.0);
        started(&mut s, "BR", Kind::Flag, 5.0);
        finished(&mut s, "CN", Kind::Flag, 5.0, Outcome::Ok);
        assert_eq!((s.timeline.len(), s.in_flight), (1, 1));
        // Done twice: the first outcome counts.
        finished(&mut s, "BR", Kind::Flag, 10.0, Outcome::Ok);
        done(&mut s, "BR", Outcome::Ok, 10.0);
        done(&mut s, "BR", teapot(), 11.0);
        assert_eq!(s.counts(), counts(1, 0, 0, 0));
        // A done code takes no new request.
        started(&mut s, "BR", Kind::Metadata, 12.0);
        assert_eq!(s.in_flight, 0);
        // A code done while its request is open closes it.
        started(&mut s, "CN", Kind::Flag, 12.0);
        done(
            &mut s,
            "CN",
            Outcome::Error(Failure::Network {
                why: super::super::blocked::Blocked::CorsOrNetwork,
                reason: "reset".into(),
            }),
            20.0,
        );
        assert_eq!(s.in_flight, 0);
        assert_eq!(s.timeline[1].end_ms, Some(20.0));
    }

    #[test]
    fn flags3_two_requests_per_code_and_country_names() {
        let mut s = Session::default();
        let plan = plan_for(&[
            (Field::Mode, "flags3"),
            (Field::CountryCodes, "BR US XX"),
            (Field::MaxReq, "2"),
        ]);
        assert_eq!(plan.actual_req, 2);
        s.apply(Event::Started(plan));
        started(&mut s, "BR", Kind::Flag, 0.0);
        started(&mut s, "US", Kind::Flag, 0.0);
        finished(&mut s, "BR", Kind::Flag, 100.0, Outcome::Ok);
        started(&mut s, "XX", Kind::Flag, 100.0);
        finished(&mut s, "US", Kind::Flag, 150.0, Outcome::Ok);
        started(&mut s, "BR", Kind::Metadata, 150.0);
        finished(
            &mut s,
            "XX",
            Kind::Flag,
            200.0,
            Outcome::NotFound { url: "u".into() },
        );
        done(&mut s, "XX", Outcome::NotFound { url: "u".into() }, 200.0);
        started(&mut s, "US", Kind::Metadata, 200.0);
        for (cc, country, at) in [
            ("BR", "Brazil", 300.0),
            ("US", "United States of America", 320.0),
        ] {
            finished(&mut s, cc, Kind::Metadata, at, Outcome::Ok);
            let name = save_name(
                Mode::Flags3,
                cc,
                parse_metadata(&format!("{{\"country\": \"{country}\"}}"))
                    .ok()
                    .as_deref(),
            );
            s.apply(Event::Saved {
                cc: cc.into(),
                name,
                bytes: 500,
            });
            done(&mut s, cc, Outcome::Ok, at);
        }
        s.apply(Event::Finished { elapsed_s: 0.32 });
        assert_eq!(s.peak_in_flight, 2);
        let slots: Vec<(String, Kind, usize)> = s
            .timeline
            .iter()
            .map(|b| (b.item.cc.clone(), b.item.kind, b.lane))
            .collect();
        assert_eq!(
            slots,
            [
                ("BR".to_string(), Kind::Flag, 0),
                ("US".to_string(), Kind::Flag, 1),
                ("XX".to_string(), Kind::Flag, 0),
                ("BR".to_string(), Kind::Metadata, 1),
                ("US".to_string(), Kind::Metadata, 0),
            ]
        );
        assert_eq!(s.slots(), 2);
        assert_eq!(s.timeline[3].item.row, 0);
        assert_eq!(s.timeline[2].item.class(), "not-found");
        assert_eq!(
            Request::title(&s.timeline[3], 0.0),
            "BR metadata: OK, 0.150s"
        );
        let paths: Vec<String> = s.zip_entries().into_iter().map(|e| e.path).collect();
        assert_eq!(
            paths,
            [
                "downloaded/Brazil.svg",
                "downloaded/United_States_of_America.svg"
            ]
        );
        assert_eq!(s.counts(), counts(2, 1, 0, 0));
        assert_eq!(s.span_ms(1e9), 320.0);
    }

    /// Runs `codes` through a simulated semaphore of `slots`: each request holds its slot
    /// for a random time; stops at event `stop_at` if given. Returns the most requests
    /// the simulation itself had in flight at once.
    fn simulate(s: &mut Session, rng: &mut Rng, stop_at: Option<usize>) -> usize {
        let plan = s.plan.clone().unwrap();
        let slots = plan.actual_req;
        let kinds = plan.params.mode.requests();
        // (cc, next request index)
        let mut waiting: Vec<(String, usize)> =
            plan.cc_list.iter().map(|c| (c.clone(), 0)).collect();
        let mut flying: Vec<(String, usize, f64)> = Vec::new();
        let mut now = 0.0;
        let mut events = 0;
        let mut peak = 0;
        loop {
            if stop_at == Some(events) {
                s.apply(Event::Cancelled {
                    elapsed_s: now / 1000.0,
                });
                return peak;
            }
            events += 1;
            if flying.len() < slots && !waiting.is_empty() && (flying.is_empty() || rng.chance(60))
            {
                let (cc, k) = waiting.remove(rng.below(waiting.len()));
                started(s, &cc, kinds[k], now);
                flying.push((cc, k, now + rng.below(500) as f64));
                peak = peak.max(flying.len());
            } else if !flying.is_empty() {
                let i = rng.below(flying.len());
                let (cc, k, end) = flying.remove(i);
                now = f64::max(now, end);
                let outcome = match rng.below(10) {
                    0 => Outcome::NotFound { url: cc.clone() },
                    1 => teapot(),
                    _ => Outcome::Ok,
                };
                finished(s, &cc, kinds[k], now, outcome.clone());
                if outcome == Outcome::Ok && k + 1 < kinds.len() {
                    waiting.push((cc, k + 1));
                } else {
                    done(s, &cc, outcome, now);
                }
            } else {
                s.apply(Event::Finished {
                    elapsed_s: now / 1000.0,
                });
                return peak;
            }
            assert_eq!(s.in_flight, flying.len());
            assert!(s.counts().total() <= plan.cc_list.len());
        }
    }

    #[test]
    fn property_sum_and_peak_through_random_runs() {
        let mut rng = Rng(99);
        let mut s = Session::default();
        for run in 0..300 {
            let mode = ["sequential", "concurrent", "flags2", "flags3"][rng.below(4)];
            let max_req = (1 + rng.below(40)).to_string();
            let letters = ["a", "b c", "BR CN US", "z y x w", ""][rng.below(5)];
            let verbose = if rng.chance(50) { "true" } else { "false" };
            let plan = plan_for(&[
                (Field::Mode, mode),
                (Field::MaxReq, &max_req),
                (Field::CountryCodes, letters),
                (Field::Verbose, verbose),
            ]);
            let searched = plan.cc_list.len();
            let slots = plan.actual_req;
            s.apply(Event::Started(plan));
            let stop_at = rng.chance(40).then(|| rng.below(200));
            let peak = simulate(&mut s, &mut rng, stop_at);
            assert!(!s.is_running());
            let c = s.counts();
            assert_eq!(c.total(), searched, "run {run}: {c:?}");
            assert_eq!(s.progress(), (searched, searched));
            assert_eq!(s.peak_in_flight, peak, "run {run}");
            assert!(s.peak_in_flight <= slots);
            assert!(
                s.timeline
                    .iter()
                    .all(|b| b.end_ms.is_some() && b.lane < slots)
            );
            assert_eq!(s.saved.len(), 0, "the simulation saves nothing");
            let row = s.history.last().unwrap();
            assert_eq!(row.counts, c);
            assert_eq!(row.run_no, run + 1);
            // The report shows the sum: its count lines add up to the codes searched.
            if mode.starts_with("flags") {
                let sum: usize = s
                    .transcript
                    .iter()
                    .skip_while(|l| *l != SEPARATOR)
                    .skip(1)
                    .filter(|l| !l.starts_with("Elapsed"))
                    .map(|l| {
                        l.split_whitespace()
                            .next()
                            .unwrap()
                            .parse::<usize>()
                            .unwrap()
                    })
                    .sum();
                assert_eq!(sum, searched, "{:?}", s.transcript);
            }
        }
        assert_eq!(s.history.len(), 300);
    }

    #[test]
    fn peak_in_flight_is_measured() {
        let mut s = Session::default();
        s.apply(Event::Started(plan_for(&[
            (Field::Mode, "flags2"),
            (Field::MaxReq, "4"),
        ])));
        let list = s.plan.as_ref().unwrap().cc_list.clone();
        // A staircase: 1, 2, 3 in flight, down to 1, up to 3 again.
        started(&mut s, &list[0], Kind::Flag, 0.0);
        started(&mut s, &list[1], Kind::Flag, 1.0);
        started(&mut s, &list[2], Kind::Flag, 2.0);
        finished(&mut s, &list[0], Kind::Flag, 3.0, Outcome::Ok);
        finished(&mut s, &list[1], Kind::Flag, 4.0, Outcome::Ok);
        assert_eq!((s.in_flight, s.peak_in_flight), (1, 3));
        started(&mut s, &list[3], Kind::Flag, 5.0);
        started(&mut s, &list[4], Kind::Flag, 6.0);
        assert_eq!((s.in_flight, s.peak_in_flight), (3, 3));
        // The freed slots are reused, lowest first.
        let slots: Vec<usize> = s.timeline.iter().map(|b| b.lane).collect();
        assert_eq!(slots, [0, 1, 2, 0, 1]);
        assert_eq!(s.slots(), 4);
        // A new run starts from zero and keeps the history.
        s.apply(Event::Cancelled { elapsed_s: 0.01 });
        s.apply(Event::Started(plan_for(&[])));
        assert_eq!((s.in_flight, s.peak_in_flight, s.runs_started), (0, 0, 2));
        assert!(s.timeline.is_empty());
        assert_eq!(s.history.len(), 1);
    }
}
