//! Lab pages built as wasm modules of their own (`LabPage::OnDemand`), fetched only when the
//! lab opens so the home page stays small. Both sides are here: the app's [`OnDemandLab`]
//! asks `www/lab-loader.js` to load `lab_<key>` and mount it; the module (`src/bin/lab_<key>.rs`,
//! one `lab_module!` line) renders the page with its own Yew app.
//!
//! The module renders into `<main id="lab-module">`, a sibling of the app's root, never inside
//! it: each Yew app delegates events from its root and brands elements with an id counted per
//! wasm instance, so two apps from two instances must not nest.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::labs::Lab;
use crate::route;
use crate::runtime::location;

/// A lab page renderer, as the registry has it.
pub type PageFn = fn(Vec<(String, String)>) -> Html;

/// The element on-demand lab pages render into (`index.html`).
const HOST_ID: &str = "lab-module";

#[derive(Properties)]
pub struct ModulePageProps {
    query: Vec<(String, String)>,
    page: PageFn,
}

impl PartialEq for ModulePageProps {
    // A module has one page; the app remounts it for a new URL.
    fn eq(&self, other: &Self) -> bool {
        self.query == other.query
    }
}

#[function_component]
fn ModulePage(props: &ModulePageProps) -> Html {
    html! { <div class="lab-page">{ (props.page)(props.query.clone()) }</div> }
}

/// A lab page a module mounted; `unmount` ends it, and its runs with it.
#[wasm_bindgen]
pub struct Mounted(Option<yew::AppHandle<ModulePage>>);

#[wasm_bindgen]
impl Mounted {
    pub fn unmount(&mut self) {
        if let Some(app) = self.0.take() {
            app.destroy();
        }
    }
}

/// The module side: renders `page` for the parameters in `hash` into `host`.
pub fn mount(host: web_sys::Element, hash: &str, page: PageFn) -> Mounted {
    host.set_inner_html("");
    let props = ModulePageProps {
        query: route::query_of(hash),
        page,
    };
    Mounted(Some(
        yew::Renderer::<ModulePage>::with_root_and_props(host, props).render(),
    ))
}

#[derive(Properties)]
pub struct OnDemandLabProps {
    pub lab: &'static Lab,
}

impl PartialEq for OnDemandLabProps {
    fn eq(&self, other: &Self) -> bool {
        self.lab.key == other.lab.key
    }
}

/// The app side: shows the module's page in the host while mounted, and takes it away
/// (ending its runs and workers) when the reader leaves or the URL changes.
#[function_component]
pub fn OnDemandLab(props: &OnDemandLabProps) -> Html {
    let lab = props.lab;
    use_effect_with((), move |_| {
        let host = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(HOST_ID));
        let mounted = Rc::new(RefCell::new(None::<JsValue>));
        let alive = Rc::new(Cell::new(true));
        if let Some(host) = host.clone() {
            let _ = host.remove_attribute("hidden");
            say(&host, "status", &format!("Loading the {} lab…", lab.title));
            let (mounted, alive) = (mounted.clone(), alive.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = match loader_call(
                    "mount",
                    &[lab.key.into(), host.clone().into(), location::hash().into()],
                ) {
                    Ok(promise) => {
                        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await
                    }
                    Err(error) => Err(error),
                };
                match result {
                    Ok(handle) if alive.get() => *mounted.borrow_mut() = Some(handle),
                    Ok(handle) => unmount(&handle),
                    Err(error) if alive.get() => say(
                        &host,
                        "alert",
                        &format!(
                            "Could not load the {} lab: {}. Reload the page to try again.",
                            lab.title,
                            crate::runtime::js_error_text(&error)
                        ),
                    ),
                    Err(_) => {}
                }
            });
        }
        move || {
            alive.set(false);
            if let Some(handle) = mounted.borrow_mut().take() {
                unmount(&handle);
            }
            if let Some(host) = host {
                let _ = loader_call("forget", &[host.clone().into()]);
                host.set_inner_html("");
                let _ = host.set_attribute("hidden", "");
            }
        }
    });
    html! {}
}

/// A notice in the host while there is no page: loading, or why it failed.
fn say(host: &web_sys::Element, role: &str, text: &str) {
    let Some(document) = host.owner_document() else {
        return;
    };
    host.set_inner_html("");
    if let Ok(notice) = document.create_element("p") {
        let _ = notice.set_attribute("class", if role == "alert" { "error" } else { "loading" });
        let _ = notice.set_attribute("role", role);
        notice.set_text_content(Some(text));
        let _ = host.append_child(&notice);
    }
}

fn unmount(handle: &JsValue) {
    let _ = loader_call("unmount", std::slice::from_ref(handle));
}

/// `playgroundLabs[name](...args)`, the loader's API (`www/lab-loader.js`).
fn loader_call(name: &str, args: &[JsValue]) -> Result<JsValue, JsValue> {
    let loader = js_sys::Reflect::get(&js_sys::global(), &"playgroundLabs".into())?;
    let function: js_sys::Function = js_sys::Reflect::get(&loader, &name.into())?
        .dyn_into()
        .map_err(|_| JsValue::from_str("the lab loader (lab-loader.js) did not load"))?;
    function.apply(&loader, &args.iter().collect::<js_sys::Array>())
}
