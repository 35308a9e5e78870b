// Run/Stop as fast as a reader can click, in every lab: the page stays consistent, no worker is
// left behind, and 150 cycles leak no memory (JS heap after a GC, and the app's WebAssembly memory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from './harness.mjs';

const app = useApp({ allowErrors: [/ERR_ABORTED/, /ERR_/] });

const run = () => app.page.getByRole('button', { name: 'Run', exact: true });
const stop = () => app.page.getByRole('button', { name: 'Stop', exact: true });

/** Clicks Run, then Stop as soon as it can be pressed; `cycles` times. */
async function storm(cycles) {
  for (let i = 0; i < cycles; i++) {
    await run().click();
    await stop().click();
  }
}

const LABS = [
  '/spinner?variant=worker-prime&number=18446744073709551557',
  '/spinner?variant=thread-spinner&seconds=0.3',
  '/executors?delays=5%205%205%205&workers=2',
  '/flags?mode=flags2&server=DELAY&min_delay=2&max_delay=3&cc=A',
  '/primes?mode=procs&workers=4&numbers=heavy',
  '/rates?script=throttling&workers=16&latency=3',
  '/memory?demo=thread_visits&workers=64&increments=10000000&update=lock',
  '/cpu?workload=sha256&mode=pool&workers=8&scale=32',
];

test('30 Run/Stop cycles in every lab leave the page consistent and no worker alive', async () => {
  for (const hash of LABS) {
    await app.gotoApp(hash);
    await storm(30);
    // The last Stop reaches the page within a frame.
    await app.page.waitForFunction(() => !document.querySelector('button.run').disabled, null, { timeout: 3000 });
    assert.ok(!(await stop().isEnabled()), `${hash}: Stop is off`);
    const deadline = Date.now() + 3000;
    while (app.page.workers().length > 0 && Date.now() < deadline) await app.page.waitForTimeout(20);
    assert.equal(app.page.workers().length, 0, `${hash}: every worker ended within 3 s`);
    const rows = await app.page.locator('.history tbody tr').count();
    assert.equal(rows, 30, `${hash}: one history row per run`);
  }
});

test('150 Run/Stop cycles leak no memory', async (t) => {
  // The app's WebAssembly memory, from Trunk's start event.
  await app.context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.appMemory = e.detail.wasm.memory; });
  });
  await app.page.goto('about:blank');
  await app.gotoApp('/spinner?variant=worker-prime&number=18446744073709551557');
  await app.page.waitForFunction(() => window.appMemory);
  const cdp = await app.context.newCDPSession(app.page);
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const wasm = await app.page.evaluate(() => window.appMemory.buffer.byteLength);
    return { heap: usedSize, wasm };
  };
  await storm(10); // warm up: caches, first allocations
  await app.page.waitForTimeout(300);
  const before = await measure();
  await storm(150);
  await app.page.waitForTimeout(300);
  const after = await measure();
  const grown = { heap: after.heap - before.heap, wasm: after.wasm - before.wasm };
  t.diagnostic(`after 150 cycles: JS heap ${grown.heap >= 0 ? '+' : ''}${grown.heap} bytes, WebAssembly memory +${grown.wasm} bytes`);
  assert.ok(grown.heap < 1_000_000, `JS heap grew ${grown.heap} bytes`);
  assert.ok(grown.wasm <= 1_048_576, `WebAssembly memory grew ${grown.wasm} bytes`);
  assert.equal(await app.waitForNoWorkers(), 0);
});
