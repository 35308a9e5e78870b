// Loads a lab that is built as a wasm module of its own (src/bin/lab_<key>.rs) when its page opens,
// so the home page does not download it. The app calls `playgroundLabs.mount(key, element, hash)`
// and, on leaving, `playgroundLabs.unmount(handle)`. A plain file, not a wasm-bindgen snippet: the
// worker binary shares the app's library and is built as no-modules, where snippets cannot go.
//
// Module files keep fixed names (Trunk builds them like workers); the build's post_build hook
// (scripts/lab-modules.mjs) writes each one's content hash into <meta name="lab-modules">, and the
// hash goes into the URLs so a browser never pairs a cached glue file with a newer .wasm.
const versions = new Map(
  (document.querySelector('meta[name="lab-modules"]')?.content ?? '')
    .split(/\s+/).filter(Boolean).map((entry) => entry.split('=')),
);
const loaded = new Map();

function load(key) {
  let ready = loaded.get(key);
  if (!ready) {
    const version = versions.get(key);
    const url = (file) => {
      const u = new URL(`./${file}`, document.baseURI);
      if (version) u.searchParams.set('v', version);
      return u.href;
    };
    ready = import(url(`lab_${key}.js`)).then(async (module) => {
      await module.default({ module_or_path: url(`lab_${key}_bg.wasm`) });
      return module;
    });
    // A failed load (offline, a new deploy mid-session) is tried again on the next visit.
    ready.catch(() => loaded.delete(key));
    loaded.set(key, ready);
  }
  return ready;
}

// The latest mount asked of each host element: a mount still waiting for its module when the reader
// moves on (another URL, another page) is dropped instead of rendering a second page into the host.
const latest = new WeakMap();

globalThis.playgroundLabs = {
  mount(key, element, hash) {
    const ask = {};
    latest.set(element, ask);
    return load(key).then((module) => (latest.get(element) === ask ? module.mount(element, hash) : null));
  },
  /** Drops the host's pending mount, if any. */
  forget(element) {
    latest.delete(element);
  },
  unmount(handle) {
    if (!handle) return;
    handle.unmount();
    handle.free();
  },
};
