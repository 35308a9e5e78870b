// The flags lab's DELAY and ERROR servers (the book's slow_server.py), as a service worker: real HTTP
// exchanges answered outside the page's code. Requests under <scope>delay/flags/... and
// <scope>error/flags/... wait a random delay, uniform in [min, max] seconds, then serve the real file
// from <scope>flags/...; ERROR answers 418 I'm a Teapot instead with probability p. The parameters
// travel in the query string (?min=0.5&max=5&p=0.25&seed=42), so the page's download code is the same
// for every server. With a seed, the same path always gets the same delay and the same verdict.
'use strict';

// The longest delay the servers accept, in seconds (the lab's own limit): no request waits forever.
const MAX_DELAY_S = 60;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
// A page loaded with a hard reload is not controlled; it asks to be claimed.
self.addEventListener('message', (event) => {
  if (event.data === 'claim') event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const scope = new URL(self.registration.scope);
  if (url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const match = url.pathname.slice(scope.pathname.length).match(/^(delay|error)\/(flags\/.+)$/);
  if (match) event.respondWith(slowServer(match[1], match[2], url.searchParams, scope));
});

async function slowServer(kind, filePath, params, scope) {
  const number = (name, fallback) => (params.has(name) ? Number(params.get(name)) : fallback);
  const [min, max, p] = [number('min', 0.5), number('max', 5), number('p', kind === 'error' ? 0.25 : 0)];
  if (![min, max, p].every(Number.isFinite) || min < 0 || max < min || max > MAX_DELAY_S || p < 0 || p > 1) {
    return new Response(`bad server parameters: need 0 <= min <= max <= ${MAX_DELAY_S} and 0 <= p <= 1\n`, { status: 400, statusText: 'Bad Request' });
  }
  const random = params.has('seed') ? seeded(`${params.get('seed')}|${filePath}`) : Math.random;
  const delaySeconds = min + (max - min) * random();
  const fails = kind === 'error' && random() < p;
  await new Promise((resolve) => setTimeout(resolve, delaySeconds * 1000));
  const headers = { 'X-Delay-Ms': String(Math.round(delaySeconds * 1000)), 'Cache-Control': 'no-store' };
  if (fails) {
    return new Response("I'm a Teapot\n", { status: 418, statusText: "I'm a Teapot", headers: { ...headers, 'Content-Type': 'text/plain' } });
  }
  const file = await fetch(new URL(filePath, scope), { cache: 'no-store' });
  const merged = new Headers(file.headers);
  for (const [k, v] of Object.entries(headers)) merged.set(k, v);
  return new Response(file.body, { status: file.status, statusText: file.statusText, headers: merged });
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
