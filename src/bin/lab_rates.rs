//! The rates lab's page as a wasm module of its own, fetched when `#/rates` opens.
concurrency_playground::lab_module!(concurrency_playground::labs::rates::page);
