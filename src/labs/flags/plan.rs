//! A run as it starts: the final code list, the semaphore's size, and each code's requests.

use super::blocked::Blocked;
use super::choices::{Kind, Mode};
use super::cli::{cc_list_or_default, expand_cc};
use super::form::FlagsParams;
use super::outcome::{Failure, Outcome};
use super::report::initial_report;
use super::server::origin;
use crate::pyfmt::plural;

/// The most requests, and the most at once, a run may send to another site without asking
/// first: the book's own run (20 flags, 20 at once).
pub const POLITE_REQUESTS: usize = 20;

/// What a run would send to another site, shown before it does (a shared link must not
/// turn one click into hundreds of requests to any host).
#[derive(Clone, Debug, PartialEq)]
pub struct RemoteNotice {
    pub origin: String,
    pub requests: usize,
    pub concurrency: usize,
}

impl RemoteNotice {
    pub fn text(&self) -> String {
        format!(
            "This run would send {} to {}, up to {} at a time. That site is not part of the \
             playground: send them only if you mean to.",
            plural(self.requests, "request", "requests"),
            self.origin,
            self.concurrency
        )
    }
}

impl FlagsParams {
    /// The run: the final code list (`expand_cc`, or `sorted(POP20_CC)[:limit]` when that is
    /// empty), the connections used, and the site line's URL. `shipped` lists the codes the
    /// server has (for `-a`); `page_url` is the page's base URL (for the site line).
    pub fn plan(&self, shipped: &[String], page_url: &str) -> RunPlan {
        let cc_list = cc_list_or_default(
            expand_cc(&self.cc_args, self.all, self.every, self.limit, shipped).unwrap_or_default(),
            self.limit,
        );
        let actual_req = actual_concurrency(self.max_req(), self.mode, cc_list.len());
        RunPlan {
            site_url: self.server.site_url(page_url),
            page_url: page_url.to_string(),
            params: self.clone(),
            cc_list,
            actual_req,
        }
    }
}

/// `min(max_req, MAX_CONCUR_REQ, len(cc_list))`, and at least 1.
pub fn actual_concurrency(max_req: usize, mode: Mode, codes: usize) -> usize {
    max_req.min(mode.max_concur_req()).min(codes).max(1)
}

/// A run as it starts: what `Event::Started` carries.
#[derive(Clone, Debug, PartialEq)]
pub struct RunPlan {
    pub params: FlagsParams,
    /// Sorted, without duplicates, limited; never empty.
    pub cc_list: Vec<String>,
    /// The semaphore's size.
    pub actual_req: usize,
    /// The site line's URL (absolute).
    pub site_url: String,
    /// The page the run was started from (what a blocked request is judged against).
    pub page_url: String,
}

impl RunPlan {
    /// The requests `cc` needs, in order: (kind, URL to fetch).
    pub fn requests(&self, cc: &str) -> Vec<(Kind, String)> {
        self.params
            .mode
            .requests()
            .iter()
            .map(|&kind| (kind, self.params.server.url(cc, kind)))
            .collect()
    }

    /// How many requests the run sends: one per code, two with flags3.
    pub fn request_count(&self) -> usize {
        self.cc_list.len() * self.params.mode.requests().len()
    }

    /// Set when the run would send another site (not the page's own origin) more
    /// requests, or more at once, than [`POLITE_REQUESTS`].
    pub fn remote_notice(&self, page_url: &str) -> Option<RemoteNotice> {
        let target = origin(&self.site_url)?;
        if origin(page_url).as_ref() == Some(&target) {
            return None;
        }
        let (requests, concurrency) = (self.request_count(), self.actual_req);
        (requests > POLITE_REQUESTS || concurrency > POLITE_REQUESTS).then_some(RemoteNotice {
            origin: target,
            requests,
            concurrency,
        })
    }

    /// A request's URL made absolute, as httpx reports `response.url`.
    pub fn absolute_url(&self, cc: &str, kind: Kind) -> String {
        let relative = self.params.server.url(cc, kind);
        let site = self.params.server.base();
        match relative.strip_prefix(site) {
            Some(rest) => format!("{}{rest}", self.site_url),
            None => relative,
        }
    }

    /// The outcome of an HTTP answer to `cc`'s `kind` request (the not-found URL made absolute).
    pub fn outcome_of(&self, cc: &str, kind: Kind, status: u16, reason: &str) -> Outcome {
        Outcome::from_status(status, reason, &self.absolute_url(cc, kind))
    }

    /// A `fetch()` of `cc`'s `kind` request that failed without an answer, with what it
    /// most likely met (mixed content, or CORS or the network).
    pub fn network_failure(&self, cc: &str, kind: Kind, reason: String) -> Failure {
        Failure::Network {
            why: Blocked::of(&self.page_url, &self.absolute_url(cc, kind)),
            reason,
        }
    }

    /// flags2's initial report.
    pub fn initial_report(&self) -> Vec<String> {
        initial_report(
            self.params.server.server,
            &self.site_url,
            &self.cc_list,
            self.actual_req,
        )
    }

    /// Where `cc` is in the (sorted) code list.
    pub fn index_of(&self, cc: &str) -> Option<usize> {
        self.cc_list.binary_search_by(|c| c.as_str().cmp(cc)).ok()
    }
}

#[cfg(test)]
mod notice_tests {
    use super::super::form::Field;
    use super::super::testing::{PAGE, plan_for};

    #[test]
    fn another_site_is_asked_first_only_beyond_the_books_run() {
        let remote = |extra: &[(Field, &str)]| {
            let mut fields = vec![(Field::Server, "REMOTE"), (Field::BaseUrl, "http://HOST.test/x")];
            fields.extend_from_slice(extra);
            plan_for(&fields)
        };
        // The book's run: 20 codes, 20 requests at once.
        let book = remote(&[(Field::Mode, "concurrent")]);
        assert_eq!((book.request_count(), book.actual_req), (20, 20));
        assert_eq!(book.remote_notice(PAGE), None);
        // flags3 with -e and -m 1000: 1,352 requests, 676 at once.
        let bomb = remote(&[(Field::Mode, "flags3"), (Field::Every, "true"), (Field::MaxReq, "1000")]);
        let notice = bomb.remote_notice(PAGE).unwrap();
        assert_eq!((notice.requests, notice.concurrency), (1352, 676));
        assert_eq!(notice.origin, "http://host.test");
        assert_eq!(
            notice.text(),
            "This run would send 1352 requests to http://host.test, up to 676 at a time. That site \
             is not part of the playground: send them only if you mean to."
        );
        // Our own servers, or REMOTE pointed at the page's own origin, never ask.
        let local = plan_for(&[(Field::Mode, "flags2"), (Field::Every, "true"), (Field::MaxReq, "1000")]);
        assert_eq!(local.remote_notice(PAGE), None);
        let own = plan_for(&[
            (Field::Mode, "flags3"),
            (Field::Every, "true"),
            (Field::Server, "REMOTE"),
            (Field::BaseUrl, "http://localhost:8080/playground/flags"),
        ]);
        assert_eq!(own.remote_notice(PAGE), None);
    }
}

#[cfg(test)]
mod tests {
    use super::super::choices::MAX_CONCUR_REQ;
    use super::super::form::Field;
    use super::super::testing::{PAGE, form, plan_for, sorted_pop20, strings};
    use super::*;
    use crate::labs::LabForm;

    #[test]
    fn concurrency_is_capped() {
        assert_eq!(actual_concurrency(5, Mode::Flags2, 20), 5);
        assert_eq!(actual_concurrency(100, Mode::Flags2, 20), 20);
        assert_eq!(actual_concurrency(5000, Mode::Flags2, 2000), MAX_CONCUR_REQ);
        assert_eq!(actual_concurrency(30, Mode::Sequential, 20), 1);
        assert_eq!(actual_concurrency(30, Mode::Concurrent, 676), 30);
        assert_eq!(actual_concurrency(1, Mode::Flags3, 676), 1);
        let every = form(&[
            (Field::Mode, "flags2"),
            (Field::Every, "true"),
            (Field::MaxReq, "5000"),
        ]);
        let plan = every.validate().unwrap().plan(&[], PAGE);
        assert_eq!((plan.cc_list.len(), plan.actual_req), (676, 676));
    }

    #[test]
    fn empty_list_falls_back_to_pop20() {
        assert_eq!(cc_list_or_default(Vec::new(), None), sorted_pop20());
        assert_eq!(
            cc_list_or_default(Vec::new(), Some(3)),
            strings(&["BD", "BR", "CD"])
        );
        assert_eq!(
            cc_list_or_default(strings(&["BR"]), Some(3)),
            strings(&["BR"])
        );
        let params = form(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, " "),
            (Field::Limit, "2"),
        ])
        .validate()
        .unwrap();
        assert_eq!(params.plan(&[], PAGE).cc_list, strings(&["BD", "BR"]));
        // -a on a server that ships nothing: the 20 again.
        let params = form(&[(Field::Mode, "flags2"), (Field::All, "true")])
            .validate()
            .unwrap();
        assert_eq!(params.plan(&[], PAGE).cc_list.len(), 20);
        let shipped = strings(&["AD", "AE", "AF"]);
        assert_eq!(params.plan(&shipped, PAGE).cc_list, shipped);
        assert_eq!(params.plan(&shipped, PAGE).actual_req, 3);
    }

    #[test]
    fn plan_requests_and_absolute_urls() {
        let plan = plan_for(&[
            (Field::Mode, "flags3"),
            (Field::Server, "DELAY"),
            (Field::MinDelay, "0.5"),
            (Field::MaxDelay, "5"),
            (Field::Seed, "42"),
        ]);
        assert_eq!(
            plan.requests("BR"),
            vec![
                (
                    Kind::Flag,
                    "delay/flags/br/br.svg?min=0.5&max=5&seed=42".to_string()
                ),
                (
                    Kind::Metadata,
                    "delay/flags/br/metadata.json?min=0.5&max=5&seed=42".to_string()
                ),
            ]
        );
        assert_eq!(
            plan.absolute_url("XX", Kind::Flag),
            "http://localhost:8080/playground/delay/flags/xx/xx.svg?min=0.5&max=5&seed=42"
        );
        assert_eq!(
            plan.outcome_of("XX", Kind::Metadata, 404, "Not Found"),
            Outcome::NotFound {
                url: "http://localhost:8080/playground/delay/flags/xx/metadata.json?min=0.5&max=5&seed=42"
                    .to_string()
            }
        );
        let flags2 = plan_for(&[(Field::Mode, "flags2"), (Field::Server, "LOCAL")]);
        assert_eq!(
            flags2.requests("CN"),
            vec![(Kind::Flag, "flags/cn/cn.svg".to_string())]
        );
        let remote = plan_for(&[(Field::Mode, "flags2"), (Field::Server, "REMOTE")]);
        assert_eq!(
            remote.absolute_url("CN", Kind::Flag),
            "https://www.fluentpython.com/data/flags/cn/cn.gif"
        );
    }

    #[test]
    fn a_failed_fetch_says_what_it_met() {
        let remote = |base: &str| {
            let fields = [(Field::Server, "REMOTE"), (Field::BaseUrl, base)];
            form(&fields).validate().unwrap()
        };
        let hosted = "https://user.github.io/playground/";
        let why = |plan: RunPlan| match plan.network_failure("BR", Kind::Flag, "Failed to fetch".into()) {
            Failure::Network { why, reason } => {
                assert_eq!(reason, "Failed to fetch");
                why
            }
            other => panic!("{other:?}"),
        };
        let old_book = remote("http://fluentpython.com/data/flags");
        assert_eq!(why(old_book.plan(&[], hosted)), Blocked::MixedContent);
        assert_eq!(why(old_book.plan(&[], PAGE)), Blocked::CorsOrNetwork);
        let book = remote("https://www.fluentpython.com/data/flags");
        assert_eq!(why(book.plan(&[], hosted)), Blocked::CorsOrNetwork);
        // Our own servers on a hosted page: relative URLs, never mixed content.
        let local = form(&[]).validate().unwrap();
        assert_eq!(why(local.plan(&[], hosted)), Blocked::CorsOrNetwork);
    }
}
