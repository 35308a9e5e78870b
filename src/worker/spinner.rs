//! The spinner thread of `spinner_thread.py`, in a Web Worker: it draws `"{frame} {message}"`
//! on the `OffscreenCanvas` the page handed over, one frame per period, until the page sets
//! `done` — while the page's own main thread may be frozen in `time.sleep`. The worker keeps
//! the record: each frame's time on the shared epoch clock and a checksum of the canvas's
//! pixels read back after drawing it, so the page counts from real frames what was drawn
//! while it was blocked.
//!
//! Paced by a timer, not by the worker's `requestAnimationFrame`: the book's spinner waits
//! `done.wait(.1)` between frames — a timeout that `done.set()` cuts short — and a timer
//! that the done message cuts short is exactly that; frames at the display's rate would
//! need pacing down to the period anyway, and stop altogether in a hidden tab.

use std::cell::RefCell;
use std::hash::{DefaultHasher, Hasher};

use futures::channel::oneshot;
use futures::future::{Either, select};
use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use web_sys::{OffscreenCanvas, OffscreenCanvasRenderingContext2d};

use crate::runtime::shared::epoch_ms;
use crate::worker_protocol::FromWorker;

/// The text's colour; the page's style inverts the canvas in its dark theme.
const INK: &str = "#1b1f24";
/// Blank space left and right of the line, as a share of the canvas's height.
const MARGIN: f64 = 0.25;

thread_local! {
    /// `done`: the page's `spin-done` sets it.
    static DONE: RefCell<Option<oneshot::Sender<()>>> = const { RefCell::new(None) };
}

/// `spinner.start()`: spins on `canvas` until [`set_done`]; `post` gets `Spinning` after the
/// first frame and `Spun` with every frame once stopped.
pub fn start(
    canvas: OffscreenCanvas,
    period_ms: u32,
    frames: Vec<char>,
    message: String,
    post: impl Fn(FromWorker) + 'static,
) {
    let (done, mut done_set) = oneshot::channel();
    if DONE.with(|slot| slot.replace(Some(done))).is_some() {
        panic!("spin came while a spinner was running");
    }
    let context: OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into().ok())
        .expect("a 2d context on the canvas the page handed over");
    let line = Line { canvas, context };
    wasm_bindgen_futures::spawn_local(async move {
        let mut drawn: Vec<(f64, u32)> = Vec::new();
        for &frame in frames.iter().cycle() {
            line.draw(&format!("{frame} {message}"));
            drawn.push((epoch_ms(), line.checksum()));
            if drawn.len() == 1 {
                post(FromWorker::Spinning { at_ms: drawn[0].0 });
            }
            // `if done.wait(period): break`
            let wait = TimeoutFuture::new(period_ms);
            if let Either::Right(_) = select(wait, &mut done_set).await {
                break;
            }
        }
        line.erase();
        post(FromWorker::Spun { frames: drawn });
    });
}

/// `done.set()`: the spinner stops at once, as `done.wait` returns as soon as it is set.
pub fn set_done() {
    match DONE.with(RefCell::take) {
        Some(done) => {
            let _ = done.send(());
        }
        None => panic!("spin-done came while no spinner was running"),
    }
}

/// The terminal line the spinner redraws in place.
struct Line {
    canvas: OffscreenCanvas,
    context: OffscreenCanvasRenderingContext2d,
}

impl Line {
    fn size(&self) -> (f64, f64) {
        (self.canvas.width() as f64, self.canvas.height() as f64)
    }

    /// `\r{text}`: the line cleared and drawn again, shrunk to fit the canvas.
    fn draw(&self, text: &str) {
        let (width, height) = self.size();
        let margin = height * MARGIN;
        let mut font_px = height * 0.6;
        self.erase();
        self.context.set_font(&format!("{font_px}px monospace"));
        let text_width = self.context.measure_text(text).map_or(0.0, |m| m.width());
        let room = width - 2.0 * margin;
        if text_width > room {
            font_px *= room / text_width;
            self.context.set_font(&format!("{font_px}px monospace"));
        }
        self.context.set_text_baseline("middle");
        self.context.set_fill_style_str(INK);
        let _ = self.context.fill_text(text, margin, height / 2.0);
    }

    /// `\r{blanks}\r`
    fn erase(&self) {
        let (width, height) = self.size();
        self.context.clear_rect(0.0, 0.0, width, height);
    }

    /// A checksum of the pixels now on the canvas, read back from it.
    fn checksum(&self) -> u32 {
        let (width, height) = self.size();
        let Ok(image) = self.context.get_image_data(0.0, 0.0, width, height) else {
            return 0;
        };
        let mut hasher = DefaultHasher::new();
        hasher.write(&image.data());
        hasher.finish() as u32
    }
}
