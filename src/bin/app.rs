//! Main-thread entry point: mounts the Yew app.

fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        // The app's own root, beside (not around) the host of a lab built as its own module.
        let root = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("app"));
        match root {
            Some(root) => {
                yew::Renderer::<concurrency_playground::app::App>::with_root(root).render()
            }
            None => yew::Renderer::<concurrency_playground::app::App>::new().render(),
        };
    }
}
