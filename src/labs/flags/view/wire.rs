//! What the browser itself says about the run: the page's URL (the site line's base) and
//! the requests it really had on the wire (Resource Timing).

use wasm_bindgen::JsCast;

use super::super::server::origin;
use super::super::timeline::peak_overlap;

/// The most requests to the run's site (`site_url`, absolute: every request URL starts
/// with it) that were on the wire together since `since` (performance time), counting
/// those the browser sent and timed: the browser's own Resource Timing, which shows its
/// connection limit (6 per host over HTTP/1.1) however many fetch() calls the page has started. 0 when the browser does not say: another site
/// that sends no `Timing-Allow-Origin` gets no `requestStart`, and its `fetchStart`
/// includes the time queued for a connection.
pub fn peak_on_the_wire(since: f64, site_url: &str) -> usize {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return 0;
    };
    let site = site_url.to_ascii_lowercase();
    let entries: Vec<web_sys::PerformanceResourceTiming> = performance
        .get_entries_by_type("resource")
        .iter()
        .filter_map(|entry| entry.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
        .filter(|entry| {
            entry.start_time() >= since && entry.name().to_ascii_lowercase().starts_with(&site)
        })
        .collect();
    let page = origin(&page_url());
    let hidden = |e: &web_sys::PerformanceResourceTiming| {
        e.request_start() <= 0.0 && origin(&e.name()) != page
    };
    if entries.iter().any(hidden) {
        return 0;
    }
    // A request aborted before an answer (the client timeout, Stop) was never sent as far as
    // the browser's timing says (`requestStart` 0), and its entry ends a moment after the page
    // has moved on: it would count one more than the page ever had in flight.
    let intervals: Vec<(f64, f64)> = entries
        .iter()
        .filter(|entry| entry.request_start() > 0.0)
        .map(|entry| {
            (
                entry.request_start().max(entry.fetch_start()),
                entry.response_end(),
            )
        })
        .collect();
    peak_overlap(&intervals)
}

/// Starts a fresh Resource Timing buffer, big enough for `-e` (676 requests, two each for flags3).
pub fn reset_resource_timings() {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        performance.clear_resource_timings();
        performance.set_resource_timing_buffer_size(2000);
    }
}

/// The page's URL without the hash: the base the site line and relative URLs resolve against.
pub fn page_url() -> String {
    let href = web_sys::window()
        .and_then(|w| w.location().href().ok())
        .unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}
