//! The flags as they arrive: one tile per code done, with its outcome and time.

use std::collections::HashMap;

use yew::prelude::*;

use super::super::outcome::Outcome;
use super::super::session::Session;
use crate::ui::SessionState;

#[derive(Properties, PartialEq)]
pub struct GridProps {
    pub session: UseReducerHandle<SessionState<Session>>,
    /// Done codes in completion order, with the flag's object URL when it downloaded.
    pub urls: Vec<(String, Option<String>)>,
}

/// The flags as they arrive, each tile with its outcome and time.
#[function_component]
pub fn FlagGrid(props: &GridProps) -> Html {
    let s = &props.session.0;
    // One pass over the requests: each code's first start and last end.
    let mut spans: HashMap<&str, (f64, f64)> = HashMap::new();
    for bar in &s.timeline {
        let span = spans
            .entry(bar.item.cc.as_str())
            .or_insert((f64::INFINITY, 0.0));
        span.0 = span.0.min(bar.start_ms);
        span.1 = span.1.max(bar.end_ms.unwrap_or(0.0));
    }
    let took = |cc: &str| {
        let (start, end) = spans.get(cc).copied()?;
        (end >= start).then(|| format!("{:.2}s", (end - start) / 1000.0))
    };
    // Each saved flag's file name in the zip (`Brazil.svg`, `BR.gif`).
    let saved: HashMap<String, String> = s
        .zip_entries()
        .into_iter()
        .map(|e| {
            let name = e.path.rsplit('/').next().unwrap_or_default().to_string();
            (e.cc, name)
        })
        .collect();
    html! {
        <section class="flag-grid" aria-label="Downloaded flags">
            { for props.urls.iter().map(|(cc, url)| {
                let outcome = s.outcome_of(cc).cloned().unwrap_or(Outcome::Cancelled);
                html! {
                    <Tile key={cc.clone()} cc={cc.clone()} url={url.clone()} class={outcome.status().class()}
                        summary={outcome.summary()} took={took(cc).unwrap_or_default()}
                        saved_as={saved.get(cc.as_str()).cloned()} />
                }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TileProps {
    cc: String,
    url: Option<String>,
    class: &'static str,
    summary: String,
    took: String,
    saved_as: Option<String>,
}

/// One flag; unchanged tiles are not re-rendered as the others arrive (676 with `-e`).
#[function_component]
fn Tile(props: &TileProps) -> Html {
    html! {
        <figure class={classes!("tile", props.class)} data-cc={props.cc.clone()} data-outcome={props.class}>
            if let Some(url) = &props.url {
                <img src={url.clone()} alt={format!("flag {}", props.cc)} />
            } else {
                <div class="no-flag">{ &props.summary }</div>
            }
            <figcaption>
                <strong>{ &props.cc }</strong>{ " " }{ &props.took }
                if let Some(name) = &props.saved_as {
                    <span class="saved-as">{ name }</span>
                }
            </figcaption>
        </figure>
    }
}
