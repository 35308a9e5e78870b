//! Cross-origin isolation on a lab page: [`use_isolation`] turns it on (reloading the page
//! once if it must, see `runtime::isolation`) and [`IsolationNotice`] says where it stands.
//!
//! ```ignore
//! let isolation = ui::use_isolation();        // None while checking
//! html! { <IsolationNotice state={isolation.clone()} needs="The synchronous and throttling demos" /> }
//! ```

use yew::prelude::*;

use crate::runtime::isolation::{Isolation, ensure};
use crate::runtime::task;

/// Runs [`ensure`] once when the page opens: `None` while it checks, then where the page
/// stands. Leaving the page before it answers cancels it (and with it any reload).
#[hook]
pub fn use_isolation() -> Option<Isolation> {
    let state = use_state(|| None::<Isolation>);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let check = task::spawn(async move { state.set(Some(ensure().await)) });
            move || drop(check)
        });
    }
    (*state).clone()
}

#[derive(Properties, PartialEq)]
pub struct IsolationNoticeProps {
    /// From [`use_isolation`]; `None` while it checks.
    pub state: Option<Isolation>,
    /// What needs shared memory, as the start of a sentence: "The synchronous and throttling
    /// demos" → "… The synchronous and throttling demos need it; everything else works."
    pub needs: AttrValue,
}

/// A status line (`role="status"`, `data-isolation="checking|isolated|reloading|unavailable"`):
/// quiet when the page is isolated, a notice when it reloaded, is reloading or cannot be.
#[function_component]
pub fn IsolationNotice(props: &IsolationNoticeProps) -> Html {
    let (key, notice, text) = match &props.state {
        None => (
            "checking",
            false,
            "Checking that workers can share memory with the page…".to_string(),
        ),
        Some(Isolation::Isolated { reloaded: false }) => (
            "isolated",
            false,
            "Cross-origin isolation is on: workers can share memory with the page.".to_string(),
        ),
        Some(Isolation::Isolated { reloaded: true }) => (
            "isolated",
            true,
            "The page reloaded once to turn on cross-origin isolation: the playground's service \
             worker now serves it with the headers that let workers share memory with the page \
             (SharedArrayBuffer), which browsers only allow when a page loads with them."
                .to_string(),
        ),
        Some(Isolation::Reloading) => (
            "reloading",
            true,
            "Turning on cross-origin isolation: reloading the page once, so it loads with the \
             headers that let workers share memory with it…"
                .to_string(),
        ),
        Some(Isolation::Unavailable(reason)) => (
            "unavailable",
            true,
            format!(
                "Memory shared between workers is not available here: {reason}. {} need it; \
                 everything else works.",
                props.needs
            ),
        ),
    };
    let class = classes!("isolation", if notice { "notices" } else { "muted" });
    html! {
        <div {class} role="status" data-isolation={key}><p>{ text }</p></div>
    }
}
