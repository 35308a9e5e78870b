// Cross-origin isolation — what SharedArrayBuffer and Atomics (memory shared between workers) need:
// a page served with COOP same-origin + COEP require-corp — and the rates API the service worker
// (www/sw.js) plays.
//
//   - A host that sends the headers (trunk serve, the e2e server by default): every page is isolated
//     and nothing breaks; workers start.
//   - A plain static host (GitHub Pages; `startServer({ isolation: false })`): the service worker adds
//     the headers, and once it controls the page a reload makes it isolated; a dedicated worker still
//     starts, blocks on Atomics.wait, and its synchronous XMLHttpRequest is answered by the service
//     worker while the page spins on shared memory.
//   - The rates API: statuses, bodies, delays, seeds.
//   - The lab page that mounts ui::IsolationNotice (the Rates lab, #/rates; ISOLATION_ROUTE=/x to try
//     another page): reloads once and says so, or says why it cannot. Skipped while that page has no
//     [data-isolation] notice.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, launchBrowser, gotoApp, DIST_DIR, PREFIX, DEFAULT_TIMEOUT } from './harness.mjs';
import { startServer } from './server.mjs';

const ROUTE = process.env.ISOLATION_ROUTE ?? '/rates';
const RATES = JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'rates.json'), 'utf8'));

// A test-only dedicated worker (the CSP's worker-src 'self' refuses blob: workers, so the e2e server
// serves it as a file): it blocks on Atomics.wait until the page says go, then on a synchronous
// XMLHttpRequest, and writes the status into the shared memory for the page to see.
const WORKER = `'use strict';
onmessage = ({ data: { url, shared } }) => {
  const cell = new Int32Array(shared);
  Atomics.store(cell, 2, 1);
  const waited = Atomics.wait(cell, 0, 0, 5000);
  const started = performance.now();
  let reply;
  try {
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url, false);
    xhr.send();
    reply = { status: xhr.status, body: xhr.responseText, delayMs: Number(xhr.getResponseHeader('X-Delay-Ms')) };
  } catch (error) {
    reply = { status: -1, error: String(error) };
  }
  Object.assign(reply, { waited, ms: performance.now() - started, isolated: self.crossOriginIsolated });
  Atomics.store(cell, 1, reply.status);
  Atomics.notify(cell, 1);
  postMessage(reply);
};
`;
const FILES = { 'e2e/isolation-worker.js': WORKER };
// The browser logs every 4xx/5xx answer to fetch(); these tests ask for them.
const RATES_ERRORS = [/the server responded with a status of (400|404|500) .*\/rates\?/];

/** Whether ROUTE mounts the notice: the lab tests below are skipped until it does. */
async function routeHasNotice() {
  if (!fs.existsSync(path.join(DIST_DIR, 'index.html'))) return false;
  const server = await startServer({ root: DIST_DIR, prefix: PREFIX });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    await gotoApp(page, server.url, ROUTE);
    return await page.locator('[data-isolation]').first().waitFor({ timeout: 3000 }).then(() => true, () => false);
  } finally {
    await browser.close();
    await server.close();
  }
}
const NO_NOTICE = (await routeHasNotice()) ? false : `#${ROUTE} has no [data-isolation] notice yet (the Rates lab mounts ui::IsolationNotice)`;

const isolated = (page) => page.evaluate(() => self.crossOriginIsolated === true && typeof SharedArrayBuffer === 'function');

/** Resolves once the service worker controls the page (it registers when #/flags opens). */
const controlled = (page) => page.evaluate(() => new Promise((resolve) => {
  if (navigator.serviceWorker.controller) return resolve(true);
  navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true), { once: true });
}));

/** Opens #/flags (which registers the service worker) and waits until it controls the page. */
async function withServiceWorker(app) {
  await app.gotoApp('/flags');
  await controlled(app.page);
}

/** A worker run: the primes lab checks the book's 20 numbers with 2 Web Workers. */
async function runPrimes(app) {
  await app.gotoApp('/primes?mode=procs&workers=2&numbers=book');
  await app.page.getByRole('button', { name: 'Run', exact: true }).click();
  const log = app.page.getByRole('log', { name: 'Transcript' });
  await log.getByText(/^20 checks in \d+\.\d\ds$/).waitFor();
}

/** GET `rates?{query}` from the page: status, headers that matter, body, time. */
const getRates = (page, query) => page.evaluate(async (q) => {
  const started = performance.now();
  const reply = await fetch(`rates?${q}`, { cache: 'no-store' });
  const text = await reply.text();
  const header = (name) => reply.headers.get(name);
  return {
    status: reply.status, statusText: reply.statusText, text, seconds: (performance.now() - started) / 1000,
    type: header('content-type'), cache: header('cache-control'), delayMs: Number(header('x-delay-ms')), coep: header('cross-origin-embedder-policy'),
  };
}, query);

/** Presses Run on the shared-memory lab and waits for the run to end: its transcript lines. */
async function runMemory(page) {
  const lab = page.locator('article.memory-lab');
  const runs = Number(await lab.getAttribute('data-runs'));
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page.waitForFunction((n) => {
    const lab = document.querySelector('article.memory-lab');
    return Number(lab.dataset.runs) > n && lab.dataset.running === 'false';
  }, runs, { timeout: 120_000 });
  return (await page.getByRole('log', { name: 'Transcript' }).innerText()).split('\n').filter(Boolean);
}

describe('a host that sends COOP/COEP (trunk serve, the e2e server)', () => {
  const app = useApp();

  test('every page is cross-origin isolated, and Web Workers still start', async () => {
    for (const route of ['/', '/spinner', '/executors', '/flags', '/primes']) {
      await app.page.goto('about:blank');
      await app.gotoApp(route);
      assert.ok(await isolated(app.page), `#${route} is cross-origin isolated`);
    }
    await runPrimes(app);
    assert.equal(await app.waitForNoWorkers(), 0);
  });

  test('the lab page says nothing but a short line when the host isolates it', { skip: NO_NOTICE }, async () => {
    await app.gotoApp(ROUTE);
    const notice = app.page.locator('[data-isolation]');
    await app.page.locator('[data-isolation="isolated"]').waitFor();
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.doesNotMatch(await notice.innerText(), /reloaded/);
    assert.equal(await app.page.evaluate(() => performance.getEntriesByType('navigation')[0].type), 'navigate', 'no reload');
  });
});

describe('a plain static host (no COOP/COEP): the service worker adds them', () => {
  const app = useApp({ server: { isolation: false, files: FILES }, allowErrors: RATES_ERRORS });

  test('after the service worker takes control, one reload isolates the page and workers start', async () => {
    await app.gotoApp('/flags');
    assert.equal(await isolated(app.page), false, 'the host alone does not isolate the page');
    await controlled(app.page);
    // What the service worker adds, and what it leaves alone (LOCAL's flag files).
    const headers = await app.page.evaluate(async () => Object.fromEntries(await Promise.all(
      ['./', 'worker_loader.js', 'worker_bg.wasm', 'flags/br/br.svg'].map(async (file) => {
        const reply = await fetch(file, { cache: 'no-store' });
        await reply.arrayBuffer();
        const h = (name) => reply.headers.get(name);
        return [file, `${reply.status} ${h('cross-origin-opener-policy')} ${h('cross-origin-embedder-policy')} ${h('cross-origin-resource-policy')}`];
      }),
    )));
    assert.deepEqual(headers, {
      './': '200 same-origin require-corp same-origin',
      'worker_loader.js': '200 same-origin require-corp same-origin',
      'worker_bg.wasm': '200 same-origin require-corp same-origin',
      'flags/br/br.svg': '200 null null null',
    });
    await app.page.reload({ waitUntil: 'domcontentloaded' });
    await app.page.locator('header h1').first().waitFor();
    assert.ok(await isolated(app.page), 'isolated after one reload');
    await runPrimes(app);
    assert.ok(await isolated(app.page));
    assert.equal(await app.waitForNoWorkers(), 0);
  });

  test('the rates API: 200 with the base\'s row after the latency, 500, 404, 400', async () => {
    await withServiceWorker(app);
    const ok = await getRates(app.page, 'base=USD&latency=0.3');
    assert.equal(ok.status, 200);
    assert.deepEqual(JSON.parse(ok.text), { base: 'USD', date: RATES.date, rates: RATES.rates.USD });
    assert.equal(JSON.parse(ok.text).rates.EUR, 0.823);
    assert.match(ok.type, /^application\/json/);
    assert.equal(ok.cache, 'no-store');
    assert.equal(ok.coep, 'require-corp');
    assert.ok(ok.delayMs >= 240 && ok.delayMs <= 360, `±20 % of 300 ms: ${ok.delayMs}`);
    assert.ok(ok.seconds >= 0.2 && ok.seconds <= 1.5, `answered in ${ok.seconds} s`);
    for (const base of RATES.symbols) {
      const reply = await getRates(app.page, `base=${base}&latency=0`);
      assert.deepEqual(JSON.parse(reply.text).rates, RATES.rates[base], base);
    }

    const failed = await getRates(app.page, 'base=USD&latency=0.05&p=1');
    assert.deepEqual([failed.status, failed.statusText, JSON.parse(failed.text)], [500, 'Internal Server Error', { error: 'Internal Server Error' }]);
    assert.ok(failed.delayMs >= 40, 'a failure takes its time too');

    const unknown = await getRates(app.page, 'base=XYZ&latency=0');
    assert.deepEqual([unknown.status, unknown.statusText, JSON.parse(unknown.text)], [404, 'Not Found', { error: "Base 'XYZ' is not supported." }]);
    const missing = await getRates(app.page, 'latency=0');
    assert.deepEqual([missing.status, JSON.parse(missing.text)], [404, { error: "Base '' is not supported." }]);

    for (const bad of ['latency=11', 'latency=-1', 'latency=abc', 'p=2', 'p=-0.5']) {
      const reply = await getRates(app.page, `base=USD&${bad}`);
      assert.equal(reply.status, 400, bad);
      assert.match(reply.text, /^bad server parameters: need 0 <= latency <= 10 and 0 <= p <= 1/);
    }
  });

  test('the rates API with a seed: the same (seed, base, req) gets the same delay and verdict', async () => {
    await withServiceWorker(app);
    const verdicts = async () => {
      const replies = [];
      for (let req = 0; req < 12; req++) replies.push(await getRates(app.page, `base=NOK&latency=0.05&p=0.5&seed=42&req=${req}`));
      return replies.map((r) => `${r.status}/${r.delayMs}`);
    };
    const [first, second] = [await verdicts(), await verdicts()];
    assert.deepEqual(second, first);
    const statuses = new Set(first.map((v) => v.split('/')[0]));
    assert.deepEqual([...statuses].sort(), ['200', '500'], `p=0.5 over 12 requests: ${first}`);
  });

  test('a dedicated worker blocks on Atomics.wait and on a synchronous XHR the service worker answers', async () => {
    await withServiceWorker(app);
    await app.page.reload({ waitUntil: 'domcontentloaded' });
    assert.ok(await isolated(app.page));
    const result = await app.page.evaluate(async () => {
      const shared = new SharedArrayBuffer(12);
      const cell = new Int32Array(shared);
      const worker = new Worker('e2e/isolation-worker.js');
      const replied = new Promise((resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => reject(new Error(`worker: ${event.message}`));
      });
      worker.postMessage({ url: new URL('rates?base=EUR&latency=0.3', location.href).href, shared });
      // The worker is about to wait: let it, then wake it.
      const deadline = performance.now() + 5000;
      while (Atomics.load(cell, 2) === 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 50));
      Atomics.store(cell, 0, 1);
      Atomics.notify(cell, 0);
      // The main thread may not Atomics.wait: it spins on the shared cell while the worker blocks.
      const started = performance.now();
      while (Atomics.load(cell, 1) === 0 && performance.now() - started < 5000) { /* spin */ }
      const spunMs = performance.now() - started;
      const reply = await replied;
      worker.terminate();
      return { spunMs, seen: Atomics.load(cell, 1), ...reply };
    });
    assert.equal(result.waited, 'ok', 'Atomics.notify woke the waiting worker');
    assert.equal(result.isolated, true, 'the worker is cross-origin isolated too');
    assert.equal(result.status, 200, JSON.stringify(result));
    assert.equal(result.seen, 200, 'the page read the status from shared memory');
    assert.deepEqual(JSON.parse(result.body).rates, RATES.rates.EUR);
    assert.ok(result.delayMs >= 240 && result.delayMs <= 360, `the service worker's delay: ${result.delayMs} ms`);
    assert.ok(result.ms >= 200, `the worker blocked ${result.ms} ms`);
    assert.ok(result.spunMs >= 200 && result.spunMs <= 1500, `the page spun ${result.spunMs} ms`);
  });

  test('the lab page reloads once to isolate itself, says so, and does not reload again', { skip: NO_NOTICE }, async () => {
    let loads = 0;
    app.page.on('load', () => loads++);
    await app.gotoApp(ROUTE);
    const notice = app.page.locator('[data-isolation="isolated"]');
    await notice.waitFor({ timeout: DEFAULT_TIMEOUT });
    assert.match(await notice.innerText(), /^The page reloaded once to turn on cross-origin isolation: /);
    assert.equal(await notice.getAttribute('role'), 'status');
    assert.ok(await isolated(app.page));
    assert.equal(loads, 2, 'one reload');
    assert.equal(await app.page.evaluate(() => sessionStorage.length), 0, 'the reload marker is cleared');
    // Back to the page later: already isolated, a quiet line, no reload.
    await app.page.getByRole('link', { name: 'Home' }).click();
    await app.page.getByRole('heading', { name: 'Watch the lesson happen' }).waitFor();
    await app.page.evaluate((route) => { location.hash = `#${route}`; }, ROUTE);
    await notice.waitFor();
    assert.doesNotMatch(await notice.innerText(), /reloaded/);
    assert.equal(loads, 2, 'still one reload');
  });

  test('with service workers refused, the lab page says why and does not reload', { skip: NO_NOTICE }, async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      let loads = 0;
      page.on('load', () => loads++);
      await gotoApp(page, app.url, ROUTE);
      const notice = page.locator('[data-isolation="unavailable"]');
      await notice.waitFor({ timeout: 10_000 });
      assert.match(await notice.innerText(), /^Memory shared between workers is not available here: .*service worker.*\. .+ need it; everything else works\.$/s);
      await page.waitForTimeout(500);
      assert.equal(loads, 1, 'no reload');
      assert.equal(await page.evaluate(() => self.crossOriginIsolated), false);
    } finally {
      await browser.close();
    }
  });

  test('the shared-memory lab isolates itself on a static host; the race is real, the lock and atomics exact', async (t) => {
    let loads = 0;
    app.page.on('load', () => loads++);
    await app.gotoApp('/memory?demo=thread_visits&workers=4&increments=1000000&update=read-then-write');
    const notice = app.page.locator('[data-isolation="isolated"]');
    await notice.waitFor({ timeout: DEFAULT_TIMEOUT });
    assert.match(await notice.innerText(), /^The page reloaded once to turn on cross-origin isolation: /);
    assert.equal(loads, 2, 'one reload');
    const count = async () => {
      const last = (await runMemory(app.page)).at(-1);
      const match = last.match(/^thread_count=4, thread_visits=(\d+)$/);
      assert.ok(match, last);
      return Number(match[1]);
    };
    const unlocked = [await count(), await count(), await count()];
    t.diagnostic(`read-then-write, 4 × 1,000,000: ${unlocked.join(', ')}`);
    assert.ok(unlocked.some((n) => n < 4_000_000), `at least one run of three loses updates: ${unlocked.join(', ')}`);
    for (const update of ['lock', 'atomic']) {
      await app.page.getByLabel('Update', { exact: true }).selectOption(update);
      for (let i = 0; i < 2; i++) assert.equal(await count(), 4_000_000, update);
    }
    await app.page.getByLabel('Demo', { exact: true }).selectOption('sharedctypes');
    assert.deepEqual((await runMemory(app.page)).slice(-2), ['3.1415927', '[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]']);
    assert.equal(await app.waitForNoWorkers(), 0);
  });

  test('the shared-memory lab without isolation: which demos need it, their clear error, the others run', async () => {
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ serviceWorkers: 'block' });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (error) => errors.push(String(error)));
      await gotoApp(page, app.url, '/memory?demo=thread_visits&workers=4&increments=1000');
      const notice = page.locator('[data-isolation="unavailable"]');
      await notice.waitFor({ timeout: 10_000 });
      assert.match(await notice.innerText(), /thread_visits and sharedctypes need it; everything else works\.$/);
      const raced = await runMemory(page);
      assert.match(raced.join('\n'), /shared|SharedArrayBuffer|isolat/i, raced.join('\n'));
      assert.doesNotMatch(raced.join('\n'), /^thread_count=/m);
      await page.getByLabel('Demo', { exact: true }).selectOption('forks');
      const forked = await runMemory(page);
      assert.match(forked.join('\n'), /^CHLD: all the pids I know \[\d+, \d+\]$/m);
      await page.getByLabel('Demo', { exact: true }).selectOption('async_print');
      assert.equal((await runMemory(page)).filter((l) => /^\d$/.test(l)).length, 10);
      assert.deepEqual(errors, []);
    } finally {
      await browser.close();
    }
  });
});
