//! What the browser itself says about the run: the page's URL (the site line's base) and
//! the requests it really had on the wire (Resource Timing).

use wasm_bindgen::JsCast;

use super::super::timeline::peak_overlap;

/// The most flag requests that were on the wire together since `since` (performance time):
/// the browser's own Resource Timing, which shows its connection limit (6 per host over
/// HTTP/1.1) however many fetch() calls the page has started.
pub fn peak_on_the_wire(since: f64) -> usize {
    let Some(performance) = web_sys::window().and_then(|w| w.performance()) else {
        return 0;
    };
    let intervals: Vec<(f64, f64)> = performance
        .get_entries_by_type("resource")
        .iter()
        .filter_map(|entry| entry.dyn_into::<web_sys::PerformanceResourceTiming>().ok())
        .filter(|entry| entry.start_time() >= since && entry.name().contains("flags/"))
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
