//! "What happened": the lesson of the last run, in one sentence its lab computed from the
//! run's measurements. The region is always there (empty while a run goes on), so screen
//! readers announce the sentence when it arrives.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct WhatHappenedProps {
    /// `None` before the first run and while one runs.
    pub sentence: Option<String>,
}

#[function_component]
pub fn WhatHappened(props: &WhatHappenedProps) -> Html {
    html! {
        <div class="what-happened" role="status">
            if let Some(sentence) = &props.sentence {
                <p><strong>{ "What happened: " }</strong><span class="sentence">{ sentence }</span></p>
            }
        </div>
    }
}
