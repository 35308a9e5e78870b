//! The app shell: header, nav (one entry per lab), hash routing and the home page.

use yew::prelude::*;

use wasm_bindgen::JsCast;

use crate::lab_module::OnDemandLab;
use crate::labs::{LABS, Lab, LabPage};
use crate::route::{Page, Route};
use crate::runtime::location;

#[function_component]
pub fn App() -> Html {
    let route = use_state(|| Route::parse(&location::hash()));
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = location::on_hash_change(move |hash| route.set(Route::parse(&hash)));
            move || drop(listener)
        });
    }
    // Each page has its own title (tabs, history, screen readers).
    use_effect_with(route.page, |page| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&match page {
                Page::Home => "Concurrency Playground".to_string(),
                Page::Lab(lab) => format!("{} — Concurrency Playground", lab.title),
            });
        }
    });
    // A skip link that moves focus, not the hash: the hash is the router's. The page's main is
    // the app's, or the host of a lab built as its own module (`lab_module`).
    let skip_to_main = Callback::from(move |event: MouseEvent| {
        event.prevent_default();
        let main = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("main:not([hidden])").ok().flatten());
        if let Some(main) = main.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = main.focus();
        }
    });
    // A new URL (link, back button, pasted address) remounts the lab with its parameters.
    let lab_key = format!("{}{:?}", route.page.path(), route.query);
    html! {
        <>
            <header class="site-header">
                <a class="skip-link" href="#/" onclick={skip_to_main}>{ "Skip to the lab" }</a>
                <h1><a href="#/">{ "Concurrency Playground" }</a></h1>
                <p class="tagline">{ "Python's concurrency lessons, re-run live on your browser's event loop and Web Workers." }</p>
                <nav aria-label="Labs">
                    { for Page::all().map(|page| html! {
                        <a href={format!("#{}", page.path())}
                           aria-current={(page == route.page).then_some("page")}>{ page.title() }</a>
                    }) }
                </nav>
            </header>
            { match route.page {
                Page::Home => html! {
                    <main tabindex="-1">
                        if let Some(path) = &route.unknown_path {
                            <div class="notices" role="status"><p>{ format!("There is no page at #{path}; here is the home page.") }</p></div>
                        }
                        <Home />
                    </main>
                },
                Page::Lab(Lab { page: LabPage::Bundled(page), .. }) => html! {
                    <main tabindex="-1"><div class="lab-page" key={lab_key}>{ page(route.query.clone()) }</div></main>
                },
                Page::Lab(lab) => html! { <OnDemandLab key={lab_key} {lab} /> },
            } }
        </>
    }
}

/// Python concept → what stands for it here.
const MAPPING: [(&str, &str); 11] = [
    (
        "asyncio event loop, asyncio.run",
        "the browser event loop driven by wasm-bindgen-futures",
    ),
    ("asyncio.sleep(s)", "gloo-timers future (TimeoutFuture)"),
    (
        "time.sleep(s) / CPU loop in a coroutine",
        "a busy loop on the main thread: the page freezes",
    ),
    (
        "asyncio.create_task, Task.cancel()",
        "spawn_local + an abort handle / dropped future",
    ),
    (
        "asyncio.Semaphore(n)",
        "an async semaphore limiting in-flight fetch() calls",
    ),
    (
        "asyncio.as_completed, gather",
        "FuturesUnordered / join_all",
    ),
    (
        "threads / processes, ProcessPoolExecutor",
        "Web Workers (each has its own WASM instance and memory)",
    ),
    (
        "multiprocessing.SimpleQueue, poison pill",
        "postMessage channels, an explicit end-of-work message",
    ),
    ("requests / httpx / aiohttp", "fetch() through web-sys"),
    (
        "tqdm progress bar",
        "a live progress bar + a tqdm-style text line",
    ),
    (
        "terminal output",
        "a transcript panel that prints the same lines the scripts print",
    ),
];

#[function_component]
fn Home() -> Html {
    html! {
        <article class="home">
            <h2>{ "Watch the lesson happen" }</h2>
            <p>
                { "The classic Python concurrency chapters teach with small scripts you run in a terminal. \
                   Here each script is a lab: change its parameters in a form, press Run, and the same lesson \
                   happens for real on your browser's own machinery — the event loop, timers, Web Workers and \
                   fetch(). Every lab prints the lines the script prints (the transcript), shows what happened \
                   (a visual measured in your browser, never computed from the parameters), and keeps a history \
                   of runs so you can compare them. The URL carries the parameters: share an experiment by \
                   sharing the link." }
            </p>
            <ul class="lab-list">
                { for LABS.iter().map(|lab| html! {
                    <li><a href={format!("#{}", lab.path())}>{ lab.title }</a>{ format!(" — {}", lab.summary) }</li>
                }) }
            </ul>
            <h2>{ "Python ↔ browser" }</h2>
            <table class="mapping" tabindex="0">
                <thead><tr><th scope="col">{ "Python concept" }</th><th scope="col">{ "Browser / Rust counterpart here" }</th></tr></thead>
                <tbody>
                    { for MAPPING.iter().map(|(python, browser)| html! {
                        <tr><td><code>{ python }</code></td><td>{ browser }</td></tr>
                    }) }
                </tbody>
            </table>
        </article>
    }
}
