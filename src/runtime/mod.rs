//! Browser concurrency primitives every lab reuses: time and sleeping, cancellable
//! tasks, Web Workers and pools of them, the frame meter, and the location hash.
//! Only wasm32 builds them, except the executor, whose scheduling is tested natively.

pub mod executor;

#[cfg(target_arch = "wasm32")]
pub mod fetch;
#[cfg(target_arch = "wasm32")]
pub mod frame_meter;
#[cfg(target_arch = "wasm32")]
pub mod location;
#[cfg(target_arch = "wasm32")]
pub mod pool;
#[cfg(target_arch = "wasm32")]
pub mod servers;
#[cfg(target_arch = "wasm32")]
pub mod task;
#[cfg(target_arch = "wasm32")]
pub mod time;
#[cfg(target_arch = "wasm32")]
pub mod worker;
