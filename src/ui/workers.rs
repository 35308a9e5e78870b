//! The live-worker indicator: how many Web Workers this page has running.

use yew::prelude::*;

use crate::runtime::worker::{live_workers, watch_live_workers};

/// The number of Web Workers alive right now, kept current.
#[hook]
pub fn use_live_workers() -> usize {
    let count = use_state(live_workers);
    {
        let count = count.clone();
        use_effect_with((), move |_| {
            let subscription = watch_live_workers(move |n| count.set(n));
            move || drop(subscription)
        });
    }
    *count
}

#[function_component]
pub fn LiveWorkers() -> Html {
    let alive = use_live_workers();
    html! { <p class="live-workers" role="status" data-live-workers={alive.to_string()}>{ format!("Workers alive: {alive}") }</p> }
}
