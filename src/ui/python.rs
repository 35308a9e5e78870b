//! The Python script a lab mirrors, beside what actually ran in the browser. The script
//! stays upstream: the panel links to it at a pinned commit and, when the reader opens
//! it, fetches the text from the hosting site — saying so plainly when that fails.

use yew::prelude::*;

use crate::labs::python::Script;
use crate::runtime::fetch;
use crate::runtime::task::spawn;

#[derive(Properties, PartialEq)]
pub struct PythonReferenceProps {
    pub script: Script,
    /// What ran in the browser instead.
    pub explanation: AttrValue,
}

/// The script's text: not asked for yet, loading, or fetched (or why not).
#[derive(Clone, PartialEq)]
enum Source {
    Closed,
    Loading,
    Loaded(Result<String, String>),
}

#[function_component]
pub fn PythonReference(props: &PythonReferenceProps) -> Html {
    let open = use_state(|| false);
    let source = use_state(|| Source::Closed);
    {
        // Fetch when opened, again when the script changes while open; drop it when closed.
        let source = source.clone();
        use_effect_with((props.script, *open), move |&(script, open)| {
            let task = open.then(|| {
                source.set(Source::Loading);
                let source = source.clone();
                spawn(async move {
                    let url = script.raw_url();
                    let text = match fetch::get(&url, 10.0).await {
                        Ok(reply) if reply.status == 200 => {
                            Ok(String::from_utf8_lossy(&reply.body).into_owned())
                        }
                        Ok(reply) => Err(format!(
                            "the site answered {} {}",
                            reply.status, reply.status_text
                        )),
                        Err(error) => Err(error.to_string()),
                    };
                    source.set(Source::Loaded(text));
                })
            });
            move || drop(task)
        });
    }
    let on_toggle = {
        let open = open.clone();
        Callback::from(move |event: Event| {
            use wasm_bindgen::JsCast;
            if let Some(details) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
            {
                open.set(details.open());
            }
        })
    };
    let script = &props.script;
    let link = html! {
        <a href={script.page_url()} target="_blank" rel="noopener noreferrer">
            { format!("{} on GitHub", script.path) }
        </a>
    };
    html! {
        <section class="python-reference" aria-labelledby="python-reference-title">
            <h2 id="python-reference-title">{ "Python reference" }</h2>
            <p class="source-note">
                { format!("{}: ", script.book.title()) }{ link.clone() }
                { format!(" (pinned at commit {}).", &script.commit[..7]) }
            </p>
            <div class="side-by-side">
                <details ontoggle={on_toggle}>
                    <summary>{ format!("Show {}", script.file_name()) }</summary>
                    <figure>
                        <figcaption><code>{ script.file_name() }</code></figcaption>
                        { match &*source {
                            Source::Closed => html! {},
                            Source::Loading => html! { <pre><code>{ "Loading…" }</code></pre> },
                            Source::Loaded(Ok(text)) => html! { <pre><code>{ text }</code></pre> },
                            Source::Loaded(Err(reason)) => html! {
                                <p class="load-error" role="status">
                                    { format!("Could not load {} from GitHub ({reason}): you may be offline, or the site is blocked. Read it there: ", script.file_name()) }
                                    { link }
                                </p>
                            },
                        } }
                    </figure>
                </details>
                <div>
                    <h3>{ "What ran in your browser" }</h3>
                    <p>{ &props.explanation }</p>
                </div>
            </div>
        </section>
    }
}
