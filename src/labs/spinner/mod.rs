//! The spinner (Fluent Python 2e, ch. 19): an async spinner turns while `slow()` works —
//! or freezes with the page when `slow()` blocks the event loop.

pub mod choices;
pub mod form;
pub mod happened;
pub mod history;
pub mod script;
pub mod session;
pub mod thread;
pub mod transcript;
#[cfg(target_arch = "wasm32")]
mod view;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "spinner",
    title: "Spinner",
    summary: "an async spinner, a blocking sleep that freezes the page, a prime check moved \
              to a Web Worker, and a spinner thread that keeps turning while the page is frozen \
              (Fluent Python 2e, ch. 19).",
    #[cfg(target_arch = "wasm32")]
    page: crate::labs::LabPage::Bundled(view::page),
};
