//! The terminal: what the script printed, and notices about the URL's parameters.

use yew::prelude::*;

/// The terminal: printed lines plus the one being redrawn in place (`\r`).
#[derive(Properties, PartialEq)]
pub struct TranscriptProps {
    pub lines: Vec<String>,
    #[prop_or_default]
    pub live_line: Option<String>,
}

/// Keyboard users can focus it to scroll; it follows the newest line unless the reader
/// scrolled up to read; only finished lines are announced (the live line is redrawn ten
/// times a second, and is hidden from screen readers).
#[function_component]
pub fn Transcript(props: &TranscriptProps) -> Html {
    let box_ref = use_node_ref();
    // Whether the view was at the bottom before this update: then it stays there.
    let follow = use_mut_ref(|| true);
    let on_scroll = {
        let (box_ref, follow) = (box_ref.clone(), follow.clone());
        Callback::from(move |_: Event| {
            if let Some(element) = box_ref.cast::<web_sys::Element>() {
                let bottom = element.scroll_height() - element.client_height();
                *follow.borrow_mut() = element.scroll_top() >= bottom - 8;
            }
        })
    };
    {
        let box_ref = box_ref.clone();
        use_effect_with((props.lines.len(), props.live_line.is_some()), move |_| {
            if let (true, Some(element)) = (*follow.borrow(), box_ref.cast::<web_sys::Element>()) {
                element.set_scroll_top(element.scroll_height());
            }
        });
    }
    html! {
        <div class="transcript" ref={box_ref} tabindex="0" onscroll={on_scroll}>
            <div role="log" aria-label="Transcript" aria-live="polite">
                // A blank line keeps its height (and its newline when copied).
                { for props.lines.iter().map(|line| if line.is_empty() {
                    html! { <div class="line"><br /></div> }
                } else {
                    html! { <div class="line">{ line }</div> }
                }) }
            </div>
            if let Some(live) = &props.live_line {
                <div class="line live" aria-hidden="true">{ live }</div>
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
