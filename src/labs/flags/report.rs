//! What the scripts print around the downloads: flags2's initial and final reports, and
//! flags.py's last line (with what was not downloaded).

use super::blocked::Blocked;
use super::choices::Server;
use super::outcome::{Counts, Failure, Outcome};
use crate::labs::choice::Choice;
use crate::pyfmt::plural;
use crate::text::seconds_2;

/// `'-' * 20`, the final report's first line.
pub const SEPARATOR: &str = "--------------------";

/// flags2_common.py's `initial_report`.
pub fn initial_report(
    server: Server,
    site_url: &str,
    cc_list: &[String],
    actual_req: usize,
) -> Vec<String> {
    let cc_msg = match (cc_list.first(), cc_list.last()) {
        (Some(first), Some(last)) if cc_list.len() > 10 => format!("from {first} to {last}"),
        _ => cc_list.join(", "),
    };
    vec![
        format!("{} site: {site_url}", server.key()),
        format!(
            "Searching for {}: {cc_msg}",
            plural(cc_list.len(), "flag", "flags")
        ),
        if actual_req == 1 {
            "1 connection will be used.".to_string()
        } else {
            format!("{actual_req} concurrent connections will be used.")
        },
    ]
}

/// flags2_common.py's `final_report`, plus a `cancelled` line when Stop left codes undone,
/// so the lines add up to the codes searched.
pub fn final_report(counts: &Counts, elapsed_s: f64) -> Vec<String> {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let mut lines = vec![
        SEPARATOR.to_string(),
        format!("{:3} flag{} downloaded.", counts.ok, s(counts.ok)),
    ];
    if counts.not_found > 0 {
        lines.push(format!("{:3} not found.", counts.not_found));
    }
    if counts.errors > 0 {
        lines.push(format!("{:3} error{}.", counts.errors, s(counts.errors)));
    }
    if counts.cancelled > 0 {
        lines.push(format!("{:3} cancelled.", counts.cancelled));
    }
    lines.push(format!("Elapsed time: {}", seconds_2(elapsed_s)));
    lines
}

/// How many codes failed each way without an answer (mixed content; CORS or the
/// network), in that order, leaving out the ways none failed.
pub fn blocked_counts(outcomes: &[Option<Outcome>]) -> Vec<(Blocked, usize)> {
    [Blocked::MixedContent, Blocked::CorsOrNetwork]
        .into_iter()
        .map(|way| {
            let failed = outcomes.iter().flatten().filter(|outcome| {
                matches!(outcome, Outcome::Error(Failure::Network { why, .. }) if *why == way)
            });
            (way, failed.count())
        })
        .filter(|&(_, count)| count > 0)
        .collect()
}

/// What the failed fetches met, in plain words: one line per way, said once above the
/// report (each code's own line only names it).
pub fn blocked_lines(outcomes: &[Option<Outcome>]) -> Vec<String> {
    blocked_counts(outcomes)
        .into_iter()
        .map(|(why, count)| why.summary_line(count))
        .collect()
}

/// flags.py's last line: `20 flags downloaded in 7.26s` (`1 flag` for one).
pub fn downloaded_in_line(ok: usize, elapsed_s: f64) -> String {
    format!(
        "{} downloaded in {}",
        plural(ok, "flag", "flags"),
        seconds_2(elapsed_s)
    )
}

/// flags.py has no error handling (its first failure would end the run with a
/// traceback); the lab goes on and says what was not downloaded:
/// `Not downloaded: 3 not found, 1 error, 5 cancelled.` — `None` when all were.
pub fn not_downloaded_line(counts: &Counts) -> Option<String> {
    let parts: Vec<String> = [
        (counts.not_found, "not found", "not found"),
        (counts.errors, "error", "errors"),
        (counts.cancelled, "cancelled", "cancelled"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    (!parts.is_empty()).then(|| format!("Not downloaded: {}.", parts.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::super::cli::expand_cc;
    use super::super::form::Field;
    use super::super::testing::{counts, plan_for, sorted_pop20, strings};
    use super::*;

    fn codes(n: usize) -> Vec<String> {
        expand_cc(&[], false, true, Some(n), &[]).unwrap()
    }

    #[test]
    fn initial_reports() {
        assert_eq!(
            initial_report(
                Server::Local,
                "http://localhost:8000/flags",
                &sorted_pop20(),
                20
            ),
            [
                "LOCAL site: http://localhost:8000/flags",
                "Searching for 20 flags: from BD to VN",
                "20 concurrent connections will be used.",
            ]
        );
        assert_eq!(
            initial_report(Server::Delay, "s", &strings(&["BR"]), 1),
            [
                "DELAY site: s",
                "Searching for 1 flag: BR",
                "1 connection will be used."
            ]
        );
        assert_eq!(
            initial_report(Server::Error, "s", &codes(10), 5)[1],
            "Searching for 10 flags: AA, AB, AC, AD, AE, AF, AG, AH, AI, AJ"
        );
        assert_eq!(
            initial_report(Server::Remote, "s", &codes(11), 5)[1],
            "Searching for 11 flags: from AA to AK"
        );
        assert_eq!(
            initial_report(Server::Local, "s", &strings(&["BR", "CN"]), 2),
            [
                "LOCAL site: s",
                "Searching for 2 flags: BR, CN",
                "2 concurrent connections will be used."
            ]
        );
        let plan = plan_for(&[
            (Field::Mode, "flags2"),
            (Field::CountryCodes, "a b c"),
            (Field::MaxReq, "30"),
            (Field::Server, "DELAY"),
        ]);
        assert_eq!(
            plan.initial_report(),
            [
                "DELAY site: http://localhost:8080/playground/delay/flags",
                "Searching for 78 flags: from AA to CZ",
                "30 concurrent connections will be used.",
            ]
        );
    }

    #[test]
    fn final_reports() {
        assert_eq!(
            final_report(&counts(20, 3, 2, 0), 0.64),
            [
                "--------------------",
                " 20 flags downloaded.",
                "  3 not found.",
                "  2 errors.",
                "Elapsed time: 0.64s",
            ]
        );
        assert_eq!(
            final_report(&counts(43, 35, 0, 0), 1.72),
            [
                "--------------------",
                " 43 flags downloaded.",
                " 35 not found.",
                "Elapsed time: 1.72s"
            ]
        );
        assert_eq!(
            final_report(&counts(73, 0, 27, 0), 0.64),
            [
                "--------------------",
                " 73 flags downloaded.",
                " 27 errors.",
                "Elapsed time: 0.64s"
            ]
        );
        assert_eq!(
            final_report(&counts(1, 1, 1, 1), 7.256),
            [
                "--------------------",
                "  1 flag downloaded.",
                "  1 not found.",
                "  1 error.",
                "  1 cancelled.",
                "Elapsed time: 7.26s",
            ]
        );
        assert_eq!(
            final_report(&counts(0, 0, 0, 5), 0.0),
            [
                "--------------------",
                "  0 flags downloaded.",
                "  5 cancelled.",
                "Elapsed time: 0.00s"
            ]
        );
        assert_eq!(
            final_report(&counts(676, 0, 0, 0), 1.0)[1],
            "676 flags downloaded."
        );
        assert_eq!(
            final_report(&counts(1000, 0, 0, 0), 1.0)[1],
            "1000 flags downloaded."
        );
        assert_eq!(
            downloaded_in_line(20, 7.256),
            "20 flags downloaded in 7.26s"
        );
        assert_eq!(downloaded_in_line(1, 0.5), "1 flag downloaded in 0.50s");
        assert_eq!(not_downloaded_line(&counts(20, 0, 0, 0)), None);
        assert_eq!(
            not_downloaded_line(&counts(15, 1, 2, 2)).unwrap(),
            "Not downloaded: 1 not found, 2 errors, 2 cancelled."
        );
        assert_eq!(
            not_downloaded_line(&counts(0, 0, 1, 0)).unwrap(),
            "Not downloaded: 1 error."
        );
    }
}
