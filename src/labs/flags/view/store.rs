//! The downloaded flags' bytes in the page: a URL per tile, and "Save all".
//!
//! Our own servers' flags get object URLs. Another site's answers never do: a `blob:` URL
//! belongs to this page's origin, so an SVG with a script, opened in a tab of its own,
//! would run as the playground. They are shown from `data:` URLs instead, which an `<img>`
//! draws without running anything and which no tab opens as a document.

use std::collections::HashMap;

use wasm_bindgen::JsCast;

use crate::runtime::ports::Reply;

/// The downloaded flags: bytes for the zip, a URL for each tile. Object URLs are revoked
/// when a new run clears the store and when the page goes away.
#[derive(Default)]
pub struct FlagStore {
    flags: HashMap<String, (Vec<u8>, String)>,
}

impl FlagStore {
    /// Keeps a flag (an image by its type; the run checked it); `foreign`: another site's.
    pub fn insert(&mut self, cc: &str, image: Reply, foreign: bool) {
        let url = if foreign {
            data_url(&image.body, &image.media_type())
        } else {
            object_url(&image.body, &image.media_type()).unwrap_or_default()
        };
        if let Some((_, old)) = self.flags.insert(cc.to_string(), (image.body, url)) {
            revoke(&old);
        }
    }

    pub fn url(&self, cc: &str) -> Option<&str> {
        self.flags.get(cc).map(|(_, url)| url.as_str())
    }

    pub fn bytes(&self, cc: &str) -> Option<&[u8]> {
        self.flags.get(cc).map(|(bytes, _)| bytes.as_slice())
    }

    pub fn clear(&mut self) {
        for (_, (_, url)) in self.flags.drain() {
            revoke(&url);
        }
    }
}

impl Drop for FlagStore {
    fn drop(&mut self) {
        self.clear();
    }
}

fn revoke(url: &str) {
    if url.starts_with("blob:") {
        let _ = web_sys::Url::revoke_object_url(url);
    }
}

/// `data:{mime};base64,…`, encoded by the browser's own `btoa`.
fn data_url(bytes: &[u8], mime: &str) -> String {
    // btoa takes a "binary string": one char per byte.
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    let base64 = web_sys::window()
        .and_then(|w| w.btoa(&binary).ok())
        .unwrap_or_default();
    format!("data:{mime};base64,{base64}")
}

fn object_url(bytes: &[u8], mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Offers `bytes` as a download named `name`.
pub fn download_file(bytes: &[u8], name: &str, mime: &str) {
    let Some(url) = object_url(bytes, mime) else {
        return;
    };
    let document = web_sys::window()
        .and_then(|w| w.document())
        .expect("document");
    if let Ok(anchor) = document.create_element("a") {
        let anchor: web_sys::HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    // The click has started the download; the URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
}
