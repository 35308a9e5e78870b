// Labs built as wasm modules of their own (src/lab_module.rs, www/lab-loader.js): the home page does
// not download them; opening the lab does, once, under a content-hashed URL; leaving ends the lab's
// runs and workers; a module that cannot load says so and the rest of the page keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from './harness.mjs';

const app = useApp();

const moduleRequests = () => app.requests.filter((url) => /\/lab_[a-z_]+(_bg\.wasm|\.js)/.test(new URL(url).pathname));
const versions = () => app.page.locator('meta[name="lab-modules"]').getAttribute('content')
  .then((text) => Object.fromEntries(text.split(/\s+/).map((entry) => entry.split('='))));
const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });

test('the home page downloads no lab module; opening the lab fetches its two files once, by content hash', async () => {
  await app.gotoApp('/');
  await app.page.waitForLoadState('networkidle');
  assert.deepEqual(moduleRequests(), [], 'nothing of an on-demand lab on the home page');
  const { rates } = await versions();
  assert.match(rates, /^[0-9a-f]{16}$/);

  await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Rates' }).click();
  await runButton().waitFor();
  const fetched = moduleRequests().map((url) => new URL(url)).map((u) => `${u.pathname.split('/').pop()}?${u.searchParams}`);
  assert.deepEqual(fetched.sort(), [`lab_rates.js?v=${rates}`, `lab_rates_bg.wasm?v=${rates}`]);
  assert.match(await app.page.title(), /^Rates — /);
  // One main landmark: the module's, where the skip link goes.
  assert.equal(await app.page.locator('main:visible').count(), 1);
  assert.equal(await app.page.locator('main:visible').getAttribute('id'), 'lab-module');

  // Away and back: the module is not fetched again, and the page is mounted afresh with the URL's parameters.
  await app.gotoApp('/primes');
  await runButton().waitFor();
  assert.equal(await app.page.locator('#lab-module').isHidden(), true);
  await app.page.evaluate(() => { location.hash = '#/rates?script=synchronous&bases=USD+EUR&latency=0.05'; });
  await app.page.locator('#lab-module').getByRole('button', { name: 'Run', exact: true }).waitFor();
  assert.equal(await app.page.getByLabel('Script', { exact: true }).inputValue(), 'synchronous');
  assert.equal(moduleRequests().length, 2, 'fetched once per page load');
  await runButton().click();
  await app.page.locator('.history tbody tr').first().waitFor();
  assert.match(await app.page.getByRole('log', { name: 'Transcript' }).innerText(), /^1 USD = .*\n1 EUR = /m);
});

test('leaving an on-demand lab mid-run ends its run and terminates its workers', async () => {
  await app.gotoApp('/rates?script=thread_pool&workers=4&latency=5');
  await runButton().click();
  await app.page.locator('[data-live-workers="4"]').waitFor();
  while (app.page.workers().length < 4) await app.page.waitForTimeout(20);
  await app.page.evaluate(() => { location.hash = '#/'; });
  await app.page.locator('.home').waitFor();
  assert.equal(await app.waitForNoWorkers(), 0);
  assert.equal(await app.page.locator('#lab-module').innerHTML(), '', 'nothing of the lab is left');
});

test('a module that cannot load: the reason in the page, the rest of the app works, a later visit loads it', async () => {
  await app.page.route(/lab_rates_bg\.wasm/, (route) => route.fulfill({ status: 404, body: 'gone' }));
  await app.gotoApp('/rates');
  const alert = app.page.locator('#lab-module [role="alert"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /^Could not load the Rates lab: .+\. Reload the page to try again\.$/);
  await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Spinner' }).click();
  await runButton().waitFor();
  await app.page.unroute(/lab_rates_bg\.wasm/);
  await app.page.getByRole('navigation', { name: 'Labs' }).getByRole('link', { name: 'Rates' }).click();
  await runButton().waitFor();
  app.pageErrors = app.pageErrors.filter((e) => !/404|lab_rates/.test(e.text));
});

test('a new URL while the module is still loading mounts one page, the new one', async () => {
  // Hold the module's .wasm back so the reader's second URL comes before it is in.
  await app.page.route(/lab_rates_bg\.wasm/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  await app.gotoApp('/rates?script=thread_pool');
  await app.page.evaluate(() => { location.hash = '#/rates?script=async_gather'; });
  // Never two pages in the host, not even for a moment.
  const most = await app.page.evaluate(() => new Promise((resolve) => {
    let most = 0;
    const started = performance.now();
    const look = () => {
      most = Math.max(most, document.querySelectorAll('#lab-module button.run').length);
      if (performance.now() - started > 2500) resolve(most); else requestAnimationFrame(look);
    };
    new MutationObserver(() => { most = Math.max(most, document.querySelectorAll('#lab-module button.run').length); })
      .observe(document.getElementById('lab-module'), { childList: true, subtree: true });
    look();
  }));
  assert.equal(most, 1, 'one page at a time in the host');
  assert.equal(await app.page.getByRole('button', { name: 'Run', exact: true }).count(), 1);
  assert.equal(await app.page.getByLabel('Script', { exact: true }).inputValue(), 'async_gather');
  // And leaving for a page of the app before the module is in shows nothing of it later.
  await app.page.reload();
  await app.page.evaluate(() => { location.hash = '#/primes'; });
  await app.page.waitForTimeout(1200);
  assert.equal(await app.page.locator('#lab-module').isHidden(), true);
  assert.equal(await app.page.locator('#lab-module').innerHTML(), '');
  assert.equal(await app.page.getByRole('button', { name: 'Run', exact: true }).count(), 1);
});
