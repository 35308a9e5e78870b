//! Flag downloads (Fluent Python 1e ch. 17 / 2e ch. 20): flags.py one after another,
//! flags_asyncio all at once, flags2 with a semaphore, errors, reports and a progress
//! bar, flags3 with two requests per code — real `fetch()` calls against the LOCAL
//! files, the DELAY/ERROR service worker or a REMOTE site.

pub mod blocked;
pub mod choices;
pub mod cli;
pub mod form;
pub mod happened;
pub mod history;
pub mod metadata;
pub mod outcome;
pub mod plan;
pub mod report;
pub mod save;
pub mod script;
pub mod server;
pub mod session;
#[cfg(test)]
mod testing;
pub mod timeline;
pub mod tqdm;
#[cfg(target_arch = "wasm32")]
mod view;

// What the executors lab borrows: the 20 codes, and the LOCAL/DELAY servers' URLs.
pub use choices::{Kind, Server};
pub use cli::POP20_CC;
pub use server::ServerParams;

use crate::labs::Lab;

pub const LAB: Lab = Lab {
    key: "flags",
    title: "Flags",
    summary: "flag downloads with real fetch() calls: sequential vs concurrent, against slow and failing servers, with a semaphore and a progress bar (Fluent Python 1e ch. 17, 2e ch. 20).",
    #[cfg(target_arch = "wasm32")]
    page: crate::labs::LabPage::Bundled(view::page),
};
