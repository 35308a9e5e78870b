//! What `slow()` does, and where: the variants the reader compares.

use crate::labs::choice::choices;
use crate::labs::python::{self, Script};

choices! {
    /// What `slow()` does, and where.
    pub enum Variant: "Variant" {
        AsyncSleep = "async-sleep" => "async-sleep — await sleep(s): non-blocking",
        BlockingSleep = "blocking-sleep" => "blocking-sleep — time.sleep(s) in a coroutine",
        BlockingPrime = "blocking-prime" => "blocking-prime — is_prime(n) in a coroutine",
        NapPrime = "nap-prime" => "nap-prime — is_prime(n) that awaits sleep(0)",
        WorkerPrime = "worker-prime" => "worker-prime — is_prime(n) in a Web Worker",
        ThreadSpinner = "thread-spinner" => "thread-spinner — time.sleep(s) while a Web Worker spins",
    }
}

impl Variant {
    pub fn uses_prime(self) -> bool {
        matches!(
            self,
            Variant::BlockingPrime | Variant::NapPrime | Variant::WorkerPrime
        )
    }

    /// Blocking variants hold the main thread: nothing, not even Stop, can run meanwhile.
    pub fn blocks_main_thread(self) -> bool {
        matches!(
            self,
            Variant::BlockingSleep | Variant::BlockingPrime | Variant::ThreadSpinner
        )
    }

    /// Whether the run starts a Web Worker (Stop terminates it).
    pub fn uses_worker(self) -> bool {
        matches!(self, Variant::WorkerPrime | Variant::ThreadSpinner)
    }

    /// The upstream script the variant mirrors.
    pub fn python_reference(self) -> Script {
        match self {
            Variant::AsyncSleep => python::SPINNER_ASYNC,
            Variant::BlockingSleep => python::SPINNER_ASYNC_EXPERIMENT,
            Variant::BlockingPrime => python::SPINNER_PRIME_ASYNC_BROKEN,
            Variant::NapPrime => python::SPINNER_PRIME_ASYNC_NAP,
            Variant::WorkerPrime => python::SPINNER_PROC,
            Variant::ThreadSpinner => python::SPINNER_THREAD,
        }
    }

    /// What actually runs in the browser when this variant is picked.
    pub fn browser_explanation(self) -> &'static str {
        match self {
            Variant::AsyncSleep => {
                "The spinner is a future on the browser event loop (wasm_bindgen_futures); it \
                 redraws, then awaits a gloo-timers TimeoutFuture (setTimeout). slow() awaits \
                 another TimeoutFuture of the chosen length, so the event loop is free between \
                 frames: the spinner turns and the page stays responsive."
            }
            Variant::BlockingSleep => {
                "slow() spins in a busy loop on performance.now() until the time is up — the \
                 browser's time.sleep. The spinner future was started but never gets polled: the \
                 main thread is busy, so no timer fires, no frame is painted and no click is handled. \
                 When slow() returns, the spinner is dropped before it ever ran."
            }
            Variant::BlockingPrime => {
                "slow() is the books' trial-division is_prime(n), compiled to WASM and called on the \
                 main thread. Until it returns, the event loop cannot run the spinner, paint, or \
                 handle Stop — exactly like a CPU-bound call inside a coroutine."
            }
            Variant::NapPrime => {
                "The same is_prime(n), split into steps of 100,000 trial divisions; after each step \
                 it awaits a zero-length TimeoutFuture (asyncio.sleep(0)), handing the event loop \
                 back so the spinner can draw. The page stays alive, the check takes longer."
            }
            Variant::WorkerPrime => {
                "is_prime(n) runs in a Web Worker — a separate thread with its own WASM instance, \
                 the browser's process. The main thread only awaits the worker's answer message, so \
                 the spinner turns at full rate. Stop calls Worker.terminate(): the thread is killed \
                 mid-loop, as with Process.terminate()."
            }
            Variant::ThreadSpinner => {
                "The spinner is a Web Worker — another thread — drawing on the page's canvas, \
                 handed over with transferControlToOffscreen() as an OffscreenCanvas; a timer paces \
                 it like done.wait(.1). slow() is time.sleep(s) on the main thread: a busy loop, so \
                 the page cannot paint, run a timer or take a click, yet the worker's frames keep \
                 reaching the screen, as a Python thread keeps running while sleep releases the GIL. \
                 The worker stamps each frame on the clock the page shares and reads its pixels \
                 back; done.set() is a message that ends its wait at once, join() awaits its answer \
                 (for at most 2 s) and the worker is terminated. Stop, pressed during the sleep, is \
                 seen only once slow() returns."
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labs::choice::Choice;

    #[test]
    fn every_variant_has_a_reference_and_an_explanation() {
        for &variant in Variant::ALL {
            assert_eq!(Variant::parse(variant.key()), Some(variant));
            assert!(variant.label().starts_with(variant.key()));
            assert!(variant.python_reference().path.ends_with(".py"));
            assert!(!variant.browser_explanation().is_empty());
        }
        assert_eq!(
            Variant::WorkerPrime.python_reference().file_name(),
            "spinner_proc.py"
        );
        assert_eq!(
            Variant::ThreadSpinner.python_reference().file_name(),
            "spinner_thread.py"
        );
    }
}
