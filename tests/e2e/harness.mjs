// Shared e2e harness for node:test files (run: make e2e, i.e. node --test tests/e2e/*.test.mjs).
//
// Usage in a test file:
//
//   import { test } from 'node:test';
//   import assert from 'node:assert/strict';
//   import { useApp } from './harness.mjs';
//
//   const app = useApp();                       // registers before/after/beforeEach/afterEach hooks
//   test('spinner runs', async () => {
//     await app.gotoApp('/spinner');            // -> <server>/playground/#/spinner, waits for `header h1`
//     await app.page.getByRole('button', { name: 'Run', exact: true }).click();
//   });
//
// Per test FILE: one static server on dist/ (under /playground/; it sends the cross-origin isolation
// headers unless `useApp({ server: { isolation: false } })`) and one headless Chromium.
// Per TEST: a fresh browser context + page (no shared cache/storage). Console errors and uncaught page
// errors are collected in `app.pageErrors`; afterEach fails the test if any remain that do not match
// `useApp({ allowErrors: [/regex/, 'substring'] })`. A test that expects errors can also inspect and
// clear them: `app.pageErrors.length = 0`. On such a failure a screenshot goes to tests/e2e/artifacts/.
// All same-origin and cross-origin requests of the test (page and its workers) are in `app.requests`.

import { before, after, beforeEach, afterEach } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const DIST_DIR = path.join(REPO_ROOT, 'dist');
export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'tests', 'e2e', 'artifacts');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const PREFIX = '/playground/';
/** Default Playwright timeout (ms) for actions and waits; wasm start-up on a loaded CI box can be slow. */
export const DEFAULT_TIMEOUT = 20_000;

/** Headless Debian Chromium via playwright-core (no bundled browser download). */
export function launchBrowser(options = {}) {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic',
    ],
    ...options,
  });
}

/** Navigate `page` to the app at `#${hash}` (hash: '/', '/spinner', '#/spinner') and wait for it to render. */
export async function gotoApp(page, baseUrl, hash = '/') {
  const h = String(hash).replace(/^#/, '');
  await page.goto(`${baseUrl}#${h}`, { waitUntil: 'domcontentloaded' });
  await page.locator('header h1').first().waitFor({ state: 'visible' });
  return page;
}

/**
 * Bad input, as a reader types it: fills the field labelled `label` with `value`, presses Run, and
 * checks that the lab refused it — `message` next to the field, `aria-invalid`, no new run in the
 * history, the transcript unchanged, no worker started — then puts the old text back and checks the
 * message is gone.
 */
export async function expectRejected(assert, page, label, value, message) {
  const transcript = () => page.getByRole('log', { name: 'Transcript' }).innerText();
  const runs = () => page.locator('.history tbody tr').count();
  const [before, runsBefore] = [await transcript(), await runs()];
  const field = page.getByLabel(label, { exact: true });
  const good = await field.inputValue();
  await field.fill(value);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const error = page.locator(`#${await field.getAttribute('id')}-error`);
  assert.match(await error.innerText(), message, `${label}=${JSON.stringify(value)}`);
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal(await runs(), runsBefore, `${label}=${JSON.stringify(value)} ran nothing`);
  assert.equal(await transcript(), before, 'what was on screen stays');
  assert.equal(page.workers().length, 0);
  await field.fill(good);
  assert.equal(await error.count(), 0, 'the message goes once the field is fixed');
}

// Chromium itself asks for <origin>/favicon.ico when index.html links no icon; that 404 is not the app's.
const BUILTIN_ALLOW = [/Failed to load resource.*\(https?:\/\/[^/]+\/favicon\.ico:/];

function matches(allow, text) {
  return allow.some((a) => (a instanceof RegExp ? a.test(text) : text.includes(a)));
}

/**
 * Register the hooks for one test file (or one `describe` block) and return a live handle:
 *   { url, browser, context, page, pageErrors, requests, gotoApp(hash) }
 * (fields are filled in by the hooks; read them inside tests, not at import time).
 */
export function useApp({ allowErrors = [], root = DIST_DIR, contextOptions = {}, server: serverOptions = {} } = {}) {
  let server;
  const app = {
    url: null, browser: null, context: null, page: null,
    /** @type {{kind: 'console'|'pageerror'|'crash', text: string}[]} */
    pageErrors: [],
    /** @type {string[]} every request URL of the current test (page + workers) */
    requests: [],
    gotoApp: (hash = '/') => gotoApp(app.page, app.url, hash),
    /** Resolves once the browser reports no Web Worker alive for the page (5 s at most); returns the count. */
    async waitForNoWorkers() {
      const deadline = Date.now() + 5000;
      while (app.page.workers().length > 0 && Date.now() < deadline) await app.page.waitForTimeout(20);
      return app.page.workers().length;
    },
  };

  before(async () => {
    if (!fs.existsSync(path.join(root, 'index.html'))) {
      throw new Error(`${root}/index.html not found — run 'make dist' first`);
    }
    server = await startServer({ root, prefix: PREFIX, ...serverOptions });
    app.url = server.url;
    app.browser = await launchBrowser();
  });

  after(async () => {
    await app.browser?.close();
    await server?.close();
  });

  beforeEach(async () => {
    app.pageErrors = [];
    app.requests = [];
    app.context = await app.browser.newContext(contextOptions);
    app.context.setDefaultTimeout(DEFAULT_TIMEOUT);
    app.context.on('request', (r) => app.requests.push(r.url()));
    app.page = await app.context.newPage();
    app.page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const loc = msg.location();
        app.pageErrors.push({ kind: 'console', text: msg.text() + (loc?.url ? ` (${loc.url}:${loc.lineNumber})` : '') });
      }
    });
    app.page.on('pageerror', (err) => app.pageErrors.push({ kind: 'pageerror', text: String(err?.stack || err) }));
    app.page.on('crash', () => app.pageErrors.push({ kind: 'crash', text: 'page crashed' }));
  });

  afterEach(async (t) => {
    const errors = app.pageErrors.filter((e) => !matches([...BUILTIN_ALLOW, ...allowErrors], e.text));
    if (errors.length && app.page && !app.page.isClosed()) {
      fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
      const name = String(t?.name ?? 'test').replace(/[^\w.-]+/g, '_').slice(0, 80);
      await app.page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true }).catch(() => {});
    }
    await app.context?.close();
    app.context = app.page = null;
    if (errors.length) {
      throw new Error(`page reported ${errors.length} error(s):\n` + errors.map((e) => `  [${e.kind}] ${e.text}`).join('\n'));
    }
  });

  return app;
}
