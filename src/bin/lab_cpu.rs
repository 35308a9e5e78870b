//! The CPU lab's page as a wasm module of its own, fetched when `#/cpu` opens.
concurrency_playground::lab_module!(concurrency_playground::labs::cpu::page);
