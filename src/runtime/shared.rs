//! Memory that threads truly share: a `SharedArrayBuffer` seen by the page and its Web
//! Workers at once. [`SharedBytes`] is a buffer seen as i32 words (with `Atomics`) and f64s;
//! [`SharedLock`] a mutex on one of its words (`runtime::lock`). Two fixed layouts:
//! - [`SharedThrottle`]: the book's `Throttle` behind a [`SharedLock`], consumed by every
//!   worker of a pool;
//! - [`ReplySlot`]: where a helper worker leaves the answer to a request the main thread is
//!   blocked on (the main thread may not `Atomics.wait`, so it spins on `Atomics.load`).
//!
//! The browser hands out shared memory only to a cross-origin isolated page.

use js_sys::{Atomics, Float64Array, Int32Array, SharedArrayBuffer, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};

use super::lock::{self, Words};
use super::ports::{FetchError, Reply, SharedMemory};
use crate::labs::rates::throttle::Throttle;

/// Whether this page (or worker) may share memory; the reason in plain words if not.
pub fn available() -> Result<(), String> {
    let global = js_sys::global();
    let isolated = js_sys::Reflect::get(&global, &"crossOriginIsolated".into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    let has_buffer =
        js_sys::Reflect::get(&global, &"SharedArrayBuffer".into()).is_ok_and(|v| v.is_function());
    if isolated && has_buffer {
        Ok(())
    } else {
        Err(
            "memory cannot be shared between threads on this page: the browser allows a \
             SharedArrayBuffer only on a cross-origin isolated page, and this one is not"
                .to_string(),
        )
    }
}

fn new_buffer(bytes: u32) -> Result<SharedArrayBuffer, String> {
    available()?;
    Ok(SharedArrayBuffer::new(bytes))
}

/// Epoch milliseconds with sub-ms precision: the same clock in the page and every worker.
pub fn epoch_ms() -> f64 {
    let performance: web_sys::Performance =
        js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .expect("performance")
            .unchecked_into();
    performance.time_origin() + performance.now()
}

/// `time.sleep(ms)` on a worker's thread: `Atomics.wait` on a slot nobody notifies.
fn block_worker_ms(cells: &Int32Array, index: u32, ms: f64) {
    let _ = Atomics::wait_with_timeout(cells, index, 0, ms);
}

/// A `SharedArrayBuffer` seen as i32 words and as f64s: the same bytes in every thread
/// that holds it.
#[derive(Clone)]
pub struct SharedBytes {
    buffer: SharedArrayBuffer,
    words: Int32Array,
    numbers: Float64Array,
}

impl SharedBytes {
    /// `bytes` of fresh zeroed memory (rounded up to whole f64s).
    pub fn new(bytes: u32) -> Result<SharedBytes, String> {
        Ok(SharedBytes::over(new_buffer(bytes.div_ceil(8) * 8)?.into()))
    }

    /// The memory in a buffer another thread created.
    pub fn over(buffer: JsValue) -> SharedBytes {
        let buffer: SharedArrayBuffer = buffer.unchecked_into();
        SharedBytes {
            words: Int32Array::new(&buffer),
            numbers: Float64Array::new(&buffer),
            buffer,
        }
    }

    pub fn buffer(&self) -> &SharedArrayBuffer {
        &self.buffer
    }
}

// `Atomics` only throws for a bad index or a non-shared buffer, which these layouts rule out.
impl Words for SharedBytes {
    fn read(&self, index: u32) -> i32 {
        self.words.get_index(index)
    }
    fn write(&self, index: u32, value: i32) {
        self.words.set_index(index, value);
    }
    fn load(&self, index: u32) -> i32 {
        Atomics::load(&self.words, index).unwrap_or(0)
    }
    fn store(&self, index: u32, value: i32) {
        let _ = Atomics::store(&self.words, index, value);
    }
    fn add(&self, index: u32, value: i32) -> i32 {
        Atomics::add(&self.words, index, value).unwrap_or(0)
    }
    fn exchange(&self, index: u32, value: i32) -> i32 {
        Atomics::exchange(&self.words, index, value).unwrap_or(0)
    }
    fn compare_exchange(&self, index: u32, expected: i32, replacement: i32) -> i32 {
        Atomics::compare_exchange(&self.words, index, expected, replacement).unwrap_or(expected)
    }
    /// Workers only: the main thread may not `Atomics.wait` (it throws; the loop retries).
    fn wait(&self, index: u32, expected: i32) {
        let _ = Atomics::wait(&self.words, index, expected);
    }
    fn notify(&self, index: u32, count: u32) {
        let _ = Atomics::notify_with_count(&self.words, index, count);
    }
}

impl SharedMemory for SharedBytes {
    fn notify_all(&self, index: u32) {
        let _ = Atomics::notify(&self.words, index);
    }
    fn get_f64(&self, index: u32) -> f64 {
        self.numbers.get_index(index)
    }
    fn set_f64(&self, index: u32, value: f64) {
        self.numbers.set_index(index, value);
    }
}

/// `threading.Lock()` on word `index` of shared memory (see `runtime::lock`). Workers only:
/// a contended `acquire` sleeps in `Atomics.wait`.
pub struct SharedLock<'a> {
    pub memory: &'a SharedBytes,
    pub index: u32,
}

impl SharedLock<'_> {
    /// `with lock: body()`.
    pub fn with<T>(&self, body: impl FnOnce() -> T) -> T {
        lock::with_lock(self.memory, self.index, body)
    }
}

/// The throttle's layout: i32 [0] the lock, [1] a slot to sleep on; f64 [1] tokens,
/// [2] last (NaN: none yet), [3] rate.
#[derive(Clone)]
pub struct SharedThrottle(SharedBytes);

const LOCK: u32 = 0;
const SLEEP: u32 = 1;

impl SharedThrottle {
    /// A fresh, empty bucket (`Throttle(rate)`).
    pub fn new(rate: f64) -> Result<SharedThrottle, String> {
        let throttle = SharedThrottle(SharedBytes::new(32)?);
        let state = Throttle::new(rate);
        throttle.store(&state);
        Ok(throttle)
    }

    /// The bucket in a buffer another thread created.
    pub fn over(buffer: JsValue) -> SharedThrottle {
        SharedThrottle(SharedBytes::over(buffer))
    }

    pub fn buffer(&self) -> &SharedArrayBuffer {
        self.0.buffer()
    }

    fn load(&self) -> Throttle {
        let last = self.0.get_f64(2);
        Throttle {
            tokens: self.0.get_f64(1),
            last_ms: (!last.is_nan()).then_some(last),
            rate: self.0.get_f64(3),
        }
    }

    fn store(&self, state: &Throttle) {
        self.0.set_f64(1, state.tokens);
        self.0.set_f64(2, state.last_ms.unwrap_or(f64::NAN));
        self.0.set_f64(3, state.rate);
    }

    /// `with self._consume_lock: …`: a token if the bucket has one now. Workers only
    /// (it may `Atomics.wait` for the lock).
    pub fn consume(&self) -> bool {
        let lock = SharedLock {
            memory: &self.0,
            index: LOCK,
        };
        lock.with(|| {
            let mut state = self.load();
            let granted = state.consume(epoch_ms());
            self.store(&state);
            granted
        })
    }

    /// `time.sleep(0.1)` between two tries.
    pub fn sleep_ms(&self, ms: f64) {
        block_worker_ms(&self.0.words, SLEEP, ms);
    }
}

/// The reply slot's layout: i32 [0] state (0 waiting, 1 answered), [1] status (0: no
/// answer, the reason in the status text), [2..5] byte lengths of status text, content
/// type and body; the bytes from offset 32.
#[derive(Clone)]
pub struct ReplySlot {
    buffer: SharedArrayBuffer,
    cells: Int32Array,
}

const STATE: u32 = 0;
const HEADER_BYTES: u32 = 32;
/// Room for the answer: the rates JSON is ~150 bytes.
const SLOT_BYTES: u32 = 64 * 1024;

impl ReplySlot {
    pub fn new() -> Result<ReplySlot, String> {
        Ok(ReplySlot::over(new_buffer(SLOT_BYTES)?.into()))
    }

    pub fn over(buffer: JsValue) -> ReplySlot {
        let buffer: SharedArrayBuffer = buffer.unchecked_into();
        ReplySlot {
            cells: Int32Array::new(&buffer),
            buffer,
        }
    }

    pub fn buffer(&self) -> &SharedArrayBuffer {
        &self.buffer
    }

    /// Worker side: leaves the answer and wakes the waiting thread.
    pub fn put(&self, answer: Result<Reply, String>) {
        let (status, texts) = match &answer {
            Ok(reply) => (
                reply.status as i32,
                [
                    reply.status_text.as_bytes(),
                    reply.content_type.as_bytes(),
                    &reply.body,
                ],
            ),
            Err(reason) => (0, [reason.as_bytes(), &[][..], &[][..]]),
        };
        let room = (SLOT_BYTES - HEADER_BYTES) as usize;
        let mut bytes = Vec::with_capacity(room);
        for (i, text) in texts.iter().enumerate() {
            let take = text.len().min(room - bytes.len());
            bytes.extend_from_slice(&text[..take]);
            self.cells.set_index(2 + i as u32, take as i32);
        }
        self.cells.set_index(1, status);
        Uint8Array::new_with_byte_offset_and_length(&self.buffer, HEADER_BYTES, bytes.len() as u32)
            .copy_from(&bytes);
        let _ = Atomics::store(&self.cells, STATE, 1);
        let _ = Atomics::notify(&self.cells, STATE);
    }

    /// Main side: empties the slot before a request.
    pub fn clear(&self) {
        let _ = Atomics::store(&self.cells, STATE, 0);
    }

    /// Main side: holds this thread (spinning: the main thread may not `Atomics.wait`)
    /// until the answer is in or `timeout_ms` has passed.
    pub fn spin_until_answered(&self, timeout_ms: f64) -> Result<Reply, FetchError> {
        let deadline = epoch_ms() + timeout_ms;
        while Atomics::load(&self.cells, STATE).unwrap_or(1) == 0 {
            if epoch_ms() > deadline {
                return Err(FetchError::Timeout(timeout_ms / 1000.0));
            }
        }
        let lengths: Vec<u32> = (2..5)
            .map(|i| self.cells.get_index(i).max(0) as u32)
            .collect();
        let total: u32 = lengths.iter().sum();
        let bytes =
            Uint8Array::new_with_byte_offset_and_length(&self.buffer, HEADER_BYTES, total).to_vec();
        let (status_text, rest) = bytes.split_at(lengths[0] as usize);
        let (content_type, body) = rest.split_at(lengths[1] as usize);
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        match self.cells.get_index(1) {
            0 => Err(FetchError::Network(text(status_text))),
            status => Ok(Reply {
                status: status as u16,
                status_text: text(status_text),
                content_type: text(content_type),
                body: body.to_vec(),
            }),
        }
    }
}
