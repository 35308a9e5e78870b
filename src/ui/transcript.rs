//! The terminal: what the script printed, and notices about the URL's parameters.

use yew::prelude::*;

/// The terminal: printed lines plus the one being redrawn in place (`\r`).
#[derive(Properties, PartialEq)]
pub struct TranscriptProps {
    pub lines: Vec<String>,
    #[prop_or_default]
    pub live_line: Option<String>,
}

#[function_component]
pub fn Transcript(props: &TranscriptProps) -> Html {
    html! {
        <div class="transcript" role="log" aria-label="Transcript" aria-live="polite">
            { for props.lines.iter().map(|line| html! { <div class="line">{ line }</div> }) }
            if let Some(live) = &props.live_line {
                <div class="line live">{ live }</div>
            }
            if props.lines.is_empty() && props.live_line.is_none() {
                <div class="line placeholder" aria-hidden="true">{ "$ press Run" }</div>
            }
        </div>
    }
}

/// Notices about the URL's parameters (values that fell back to defaults).
#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub notices: Vec<String>,
}

#[function_component]
pub fn Notices(props: &NoticesProps) -> Html {
    if props.notices.is_empty() {
        return html! {};
    }
    html! {
        <div class="notices" role="status">
            { for props.notices.iter().map(|n| html! { <p>{ n }</p> }) }
        </div>
    }
}
