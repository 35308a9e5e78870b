// A Web Worker's first script. The page compiles the worker's WebAssembly once and posts that
// WebAssembly.Module to each worker it starts, so the workers share one compiled module: none
// fetches or compiles it again, and the optimized code V8 makes for one worker serves them all
// (src/runtime/worker.rs). A worker given anything else (the page could not compile it) loads
// the file itself.
importScripts('./worker.js');
self.onmessage = (event) => {
  self.onmessage = null;
  const shared = event.data instanceof WebAssembly.Module;
  wasm_bindgen({ module_or_path: shared ? event.data : './worker_bg.wasm' });
};
