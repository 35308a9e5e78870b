// The playground's service worker, scoped to the app's own path. It does three jobs, all real HTTP
// exchanges answered outside the page's code:
//
// 1. The flags lab's DELAY and ERROR servers (the book's slow_server.py). Requests under
//    <scope>delay/flags/... and <scope>error/flags/... wait a random delay, uniform in [min, max]
//    seconds, then serve the real file from <scope>flags/...; ERROR answers 418 I'm a Teapot instead
//    with probability p. The parameters travel in the query string (?min=0.5&max=5&p=0.25&seed=42),
//    so the page's download code is the same for every server. With a seed, the same path always
//    gets the same delay and the same verdict.
//
// 2. The rates lab's exchange-rate API (Expert Python Programming's scripts call a live one):
//    GET <scope>rates?base=USD&latency=0.3&p=0&seed=42&req=3 waits latency * (0.8 + 0.4 r) seconds
//    (±20 % jitter), then answers 200 {"base","date","rates"} from <scope>rates.json, 404 with
//    {"error": "Base 'XYZ' is not supported."} for a base it does not know, or — with probability
//    p — 500 Internal Server Error. With a seed, the same (seed, base, req) always gets the same
//    delay and the same verdict; without one, Math.random decides.
//
// 3. Cross-origin isolation on any static host. SharedArrayBuffer and Atomics (memory shared
//    between workers) need a page served with COOP same-origin + COEP require-corp, headers a plain
//    host like GitHub Pages does not send. Every same-origin GET in scope — the page itself, its
//    scripts, the worker's script and its wasm, the CSS, the servers' answers — comes back with them
//    (and CORP same-origin). They only take effect when a document loads, so the page reloads once
//    after this worker first controls it (src/runtime/isolation.rs). The LOCAL server's flag files
//    pass untouched: same-origin images need no header, and the flags lab measures the browser's
//    own connections on them.
'use strict';

// The longest delay the flag servers accept, in seconds (the lab's own limit): no request waits forever.
const MAX_DELAY_S = 60;
// The rates API's longest latency, in seconds.
const MAX_LATENCY_S = 10;

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
// A page loaded with a hard reload is not controlled; it asks to be claimed.
self.addEventListener('message', (event) => {
  if (event.data === 'claim') event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  const slow = path.match(/^(delay|error)\/(flags\/.+)$/);
  if (slow) return event.respondWith(slowServer(slow[1], slow[2], url.searchParams, scope));
  if (request.method !== 'GET') return;
  if (path === 'rates') return event.respondWith(ratesServer(url.searchParams, scope));
  if (path.startsWith('flags/')) return;
  // A DevTools quirk: only-if-cached is only allowed for same-origin mode.
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(fetch(request).then(withIsolation));
});

/** The network's response with the isolation headers added, everything else kept. */
function withIsolation(response) {
  // Opaque answers and errors cannot be read or rebuilt; a response that followed a redirect would
  // lose its final URL if rebuilt. They go to the page as they came (same-origin, so still allowed).
  if (response.status === 0 || response.type === 'opaque' || response.type === 'opaqueredirect' || response.redirected) {
    return response;
  }
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const sleep = (seconds) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const number = (params, name, fallback) => (params.has(name) ? Number(params.get(name)) : fallback);

function badRequest(text) {
  return new Response(`bad server parameters: ${text}\n`, {
    status: 400, statusText: 'Bad Request', headers: { ...ISOLATION_HEADERS, 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' },
  });
}

async function slowServer(kind, filePath, params, scope) {
  const [min, max, p] = [number(params, 'min', 0.5), number(params, 'max', 5), number(params, 'p', kind === 'error' ? 0.25 : 0)];
  if (![min, max, p].every(Number.isFinite) || min < 0 || max < min || max > MAX_DELAY_S || p < 0 || p > 1) {
    return badRequest(`need 0 <= min <= max <= ${MAX_DELAY_S} and 0 <= p <= 1`);
  }
  const random = params.has('seed') ? seeded(`${params.get('seed')}|${filePath}`) : Math.random;
  const delaySeconds = min + (max - min) * random();
  const fails = kind === 'error' && random() < p;
  await sleep(delaySeconds);
  const headers = { ...ISOLATION_HEADERS, 'X-Delay-Ms': String(Math.round(delaySeconds * 1000)), 'Cache-Control': 'no-store' };
  if (fails) {
    return new Response("I'm a Teapot\n", { status: 418, statusText: "I'm a Teapot", headers: { ...headers, 'Content-Type': 'text/plain' } });
  }
  const file = await fetch(new URL(filePath, scope), { cache: 'no-store' });
  const merged = new Headers(file.headers);
  for (const [k, v] of Object.entries(headers)) merged.set(k, v);
  return new Response(file.body, { status: file.status, statusText: file.statusText, headers: merged });
}

// rates.json, read once from the scope; a failed read is retried by the next request.
let ratesData = null;
function loadRates(scope) {
  ratesData ??= fetch(new URL('rates.json', scope), { cache: 'no-store' })
    .then((reply) => {
      if (!reply.ok) throw new Error(`rates.json: HTTP ${reply.status}`);
      return reply.json();
    })
    .catch((error) => {
      ratesData = null;
      throw error;
    });
  return ratesData;
}

async function ratesServer(params, scope) {
  const [latency, p] = [number(params, 'latency', 0.3), number(params, 'p', 0)];
  if (![latency, p].every(Number.isFinite) || latency < 0 || latency > MAX_LATENCY_S || p < 0 || p > 1) {
    return badRequest(`need 0 <= latency <= ${MAX_LATENCY_S} and 0 <= p <= 1`);
  }
  const base = params.get('base') ?? '';
  const random = params.has('seed') ? seeded(`${params.get('seed')}|${base}|${params.get('req') ?? ''}`) : Math.random;
  const delaySeconds = latency * (0.8 + 0.4 * random());
  const fails = random() < p;
  const json = (status, statusText, body) => new Response(JSON.stringify(body), {
    status,
    statusText,
    headers: {
      ...ISOLATION_HEADERS,
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
      'X-Delay-Ms': String(Math.round(delaySeconds * 1000)),
    },
  });
  const [data] = await Promise.all([loadRates(scope).catch(() => null), sleep(delaySeconds)]);
  if (fails || !data) return json(500, 'Internal Server Error', { error: 'Internal Server Error' });
  if (!Object.hasOwn(data.rates, base)) return json(404, 'Not Found', { error: `Base '${base}' is not supported.` });
  return json(200, 'OK', { base, date: data.date, rates: data.rates[base] });
}

// mulberry32 seeded by a string hash (FNV-1a): small, deterministic, good enough for delays.
function seeded(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
