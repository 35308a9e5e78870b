// Smoke test: the release build in dist/ loads under a sub-path, renders, and fetches nothing outside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, PREFIX } from './harness.mjs';

const app = useApp();

test('home page renders with title and a Spinner nav link', async () => {
  await app.gotoApp('/');
  assert.match(await app.page.title(), /Concurrency Playground/);
  const spinner = app.page.locator('nav a', { hasText: 'Spinner' });
  await spinner.first().waitFor({ state: 'attached' });
  assert.ok((await spinner.count()) >= 1, 'expected a nav link with text "Spinner"');
});

test('every same-origin request stays under the URL prefix', async () => {
  await app.gotoApp('/');
  await app.page.waitForLoadState('networkidle');
  const origin = new URL(app.url).origin;
  const sameOrigin = app.requests.map((u) => new URL(u)).filter((u) => u.origin === origin);
  assert.ok(sameOrigin.some((u) => u.pathname.endsWith('.wasm')), `no .wasm request seen: ${app.requests.join(', ')}`);
  const outside = sameOrigin.filter((u) => !u.pathname.startsWith(PREFIX)).map((u) => u.href);
  assert.deepEqual(outside, [], `requests outside ${PREFIX}`);
});

test('every lab is in the nav', async () => {
  await app.gotoApp('/');
  const labs = await app.page.locator('nav a').allInnerTexts();
  assert.deepEqual(labs, ['Home', 'Spinner', 'Executors', 'Flags', 'Primes', 'CPU pools', 'Rates', 'Shared memory']);
  const cards = await app.page.locator('.lab-list a').allInnerTexts();
  assert.deepEqual(cards, ['Spinner', 'Executors', 'Flags', 'Primes', 'CPU pools', 'Rates', 'Shared memory']);
});

// The DELAY/ERROR service worker is installed by the labs that use it, not by the home page.
test('the home page loads no service worker and no flag files', async () => {
  await app.gotoApp('/');
  await app.page.waitForLoadState('networkidle');
  const loaded = app.requests.map((u) => new URL(u).pathname);
  assert.ok(!loaded.some((p) => p.endsWith('/sw.js') || p.includes('/flags/') || p.includes('/python/')), loaded.join(' '));
});
