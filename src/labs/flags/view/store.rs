//! The downloaded flags' bytes in the page: an object URL per tile, and "Save all".

use std::collections::HashMap;

use wasm_bindgen::JsCast;

/// The downloaded flags: bytes for the zip, an object URL for each tile. The URLs are
/// revoked when a new run clears the store and when the page goes away.
#[derive(Default)]
pub struct FlagStore {
    flags: HashMap<String, (Vec<u8>, String)>,
}

impl FlagStore {
    pub fn insert(&mut self, cc: &str, bytes: Vec<u8>) {
        let url = object_url(&bytes, "image/svg+xml").unwrap_or_default();
        if let Some((_, old)) = self.flags.insert(cc.to_string(), (bytes, url)) {
            let _ = web_sys::Url::revoke_object_url(&old);
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
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }
}

impl Drop for FlagStore {
    fn drop(&mut self) {
        self.clear();
    }
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
