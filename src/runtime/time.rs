//! Clocks and waits on the browser event loop.

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;

fn performance() -> web_sys::Performance {
    // Works on the main thread and in workers alike.
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .expect("performance is available")
        .unchecked_into()
}

/// Milliseconds on the page's monotonic clock (`performance.now()`).
pub fn now_ms() -> f64 {
    performance().now()
}

/// `asyncio.sleep(ms / 1000)`: a non-blocking wait (setTimeout under the hood).
pub async fn sleep_ms(ms: f64) {
    TimeoutFuture::new(ms.clamp(0.0, u32::MAX as f64).round() as u32).await;
}

/// `time.sleep(ms / 1000)` on the main thread: a busy loop, so nothing else can run.
pub fn block_for_ms(ms: f64) {
    let until = now_ms() + ms;
    while now_ms() < until {
        std::hint::spin_loop();
    }
}

/// Resolves after the browser has painted the current state: a frame callback, then a
/// task (tasks run after the frame's rendering step). A hidden tab paints no frames, so
/// after `HIDDEN_TAB_WAIT_MS` it goes on without one: a run never waits for the tab to show.
pub async fn next_paint() {
    use futures::future::select;
    let frame = js_sys::Promise::new(&mut |resolve, _| {
        let window = web_sys::window().expect("window");
        window
            .request_animation_frame(&resolve)
            .expect("requestAnimationFrame");
    });
    let frame = wasm_bindgen_futures::JsFuture::from(frame);
    select(frame, std::pin::pin!(sleep_ms(HIDDEN_TAB_WAIT_MS))).await;
    sleep_ms(0.0).await;
}

/// How long [`next_paint`] waits for a frame that may never come.
const HIDDEN_TAB_WAIT_MS: f64 = 250.0;

/// `os.cpu_count()`: `navigator.hardwareConcurrency`, at least 1.
pub fn cpu_count() -> u32 {
    let n = web_sys::window()
        .map(|w| w.navigator().hardware_concurrency())
        .unwrap_or(1.0);
    (n as u32).max(1)
}
