//! The shared-memory lab's page as a wasm module of its own, fetched when `#/memory` opens.
concurrency_playground::lab_module!(concurrency_playground::labs::memory::page);
