// axe-core on every page, before and after a run: no violation of any impact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { useApp } from './harness.mjs';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const app = useApp({ allowErrors: [/status of 404/] }); // XX is not a flag: its tile shows "not found"

async function violations() {
  await app.page.evaluate(axeSource); // evaluated by the test driver, not as a page script
  return app.page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
}

/** The run is over: its row is in the history (the CPU table's, one per pool size) and Run is back. */
const runEnded = () => app.page.waitForFunction(
  () => document.querySelector('.history tbody tr') && !document.querySelector('button.run').disabled, null, { timeout: 20_000 });

const LABS = [
  ['/spinner?seconds=0.2', 'spinner'],
  ['/spinner?variant=thread-spinner&seconds=0.3', 'spinner thread (its canvas)'],
  ['/executors?delays=0.1%200.2&scale=0.1', 'executors'],
  ['/flags?mode=flags2&cc=BR%20XX', 'flags'],
  ['/primes?mode=procs&workers=2&numbers=2,3,4,9', 'primes'],
  ['/primes?mode=sweep&numbers=2,3&runs=1&max_n=2', 'primes sweep'],
  ['/rates?script=error_handling&errors=1&latency=0.05', 'rates'],
  ['/memory?demo=thread_visits&workers=4&increments=10000', 'memory'],
  ['/cpu?mode=table&max_workers=2&repeats=1', 'cpu'],
];

for (const scheme of ['light', 'dark']) {
  test(`the home page has no axe-core violation (${scheme} theme)`, async () => {
    await app.page.emulateMedia({ colorScheme: scheme });
    await app.gotoApp('/');
    assert.deepEqual(await violations(), []);
  });

  test(`every lab has no axe-core violation, before and after a run (${scheme} theme)`, async () => {
    await app.page.emulateMedia({ colorScheme: scheme });
    for (const [hash, name] of LABS) {
      await app.gotoApp(hash);
      assert.deepEqual(await violations(), [], `${name} before a run`);
      await app.page.getByRole('button', { name: 'Run', exact: true }).click();
      await runEnded();
      assert.deepEqual(await violations(), [], `${name} after a run`);
    }
  });
}

test('the dark theme is the reader\'s choice: dark page, light text', async () => {
  await app.page.emulateMedia({ colorScheme: 'dark' });
  await app.gotoApp('/rates');
  const [bg, ink] = await app.page.evaluate(() => [getComputedStyle(document.documentElement).backgroundColor, getComputedStyle(document.body).color]);
  assert.equal(bg, 'rgb(13, 17, 23)');
  assert.equal(ink, 'rgb(230, 237, 243)');
  await app.page.emulateMedia({ colorScheme: 'light' });
  assert.equal(await app.page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), 'rgb(247, 248, 250)');
});

test('every page has no axe-core violation at phone width (390 px), after a run', async () => {
  await app.page.setViewportSize({ width: 390, height: 844 });
  await app.gotoApp('/');
  assert.deepEqual(await violations(), [], 'home at 390 px');
  for (const [hash, name] of LABS) {
    await app.gotoApp(hash);
    await app.page.getByRole('button', { name: 'Run', exact: true }).click();
    await runEnded();
    assert.deepEqual(await violations(), [], `${name} at 390 px`);
  }
});
