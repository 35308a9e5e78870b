//! Browser concurrency primitives every lab reuses: time and sleeping, cancellable
//! tasks, Web Workers, the frame meter, and the location hash.

pub mod frame_meter;
pub mod location;
pub mod pool;
pub mod task;
pub mod time;
pub mod worker;
