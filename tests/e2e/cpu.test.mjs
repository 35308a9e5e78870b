// CPU-pools lab (Fluent Python 1e, ch. 17, Table 17-1), driven like a reader against the
// sub-path release build: RC4 there and back and SHA-256 on pools of real Web Workers, the
// table beside the book's, Stop, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { useApp, expectRejected } from './harness.mjs';

const app = useApp();

const transcript = () => app.page.getByRole('log', { name: 'Transcript' });
const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });
const stopButton = () => app.page.getByRole('button', { name: 'Stop', exact: true });
const lines = async () => (await transcript().innerText()).split('\n').filter((l) => l !== '');
const liveWorkers = () => app.page.evaluate(() => Number(document.querySelector('[data-live-workers]')?.dataset.liveWorkers ?? -1));

async function open(params) {
  await app.gotoApp(`/cpu?${new URLSearchParams(params)}`);
  await runButton().waitFor();
}

/** Presses Run (or `button`) and waits until this run is over. */
async function runToEnd({ button = runButton(), timeout = 120_000 } = {}) {
  const lab = app.page.locator('article.cpu-lab');
  const runs = Number(await lab.getAttribute('data-runs'));
  await button.click();
  await app.page.waitForFunction(
    (runs) => {
      const lab = document.querySelector('article.cpu-lab');
      return Number(lab.dataset.runs) > runs && lab.dataset.running === 'false';
    },
    runs,
    { timeout },
  );
  return lines();
}

/** The same bytes the workers make (SplitMix64 from the seed, job index mixed in), in Node. */
function jobData(seed, index, size) {
  const M = (1n << 64n) - 1n;
  let state = (BigInt(seed) ^ ((BigInt(index) * 0xa24baed4963ee407n) & M)) & M;
  const out = Buffer.alloc(size + 8);
  for (let at = 0; at < size; at += 8) {
    state = (state + 0x9e3779b97f4a7c15n) & M;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M;
    z ^= z >> 31n;
    out.writeBigUInt64LE(z, at);
  }
  return out.subarray(0, size);
}

test('pool, rc4: one line per job in completion order, then the status; no worker left', async () => {
  await open({ workload: 'rc4', mode: 'pool', workers: 2, seed: 5 });
  const out = await runToEnd();
  assert.equal(out.length, 13, out.join('\n'));
  const sizes = out.slice(0, 12).map((l) => l.match(/^(\d+\.\d) KB$/)?.[1]).sort();
  assert.deepEqual(sizes, ['149.3', '170.7', '192.0', '213.3', '234.7', '256.0', '277.3', '298.7', '320.0', '341.3', '362.7', '384.0'].sort());
  assert.match(out[12], /^2 workers, elapsed time: \d+\.\d\ds$/);
  assert.equal(await liveWorkers(), 0);
  // The timeline: a lane per worker, a bar per job, every bar done.
  const bars = await app.page.locator('.timeline rect.bar').evaluateAll((bars) => bars.map((b) => [b.dataset.lane, b.getAttribute('class')]));
  assert.equal(bars.length, 12);
  assert.equal(new Set(bars.map(([lane]) => lane)).size, 2);
  assert.ok(bars.every(([, cls]) => /finished/.test(cls)), JSON.stringify(bars));
  const sentence = await app.page.locator('.what-happened .sentence').innerText();
  assert.match(sentence, /^12 RC4 jobs on 2 workers took [\d,]+ ms: [\d,]+ ms starting the workers, [\d,]+ ms for the jobs/);
});

test('pool, sha256: the digests are SHA-256 of the seeded data, as Node computes them', async () => {
  await open({ workload: 'sha256', mode: 'pool', workers: 1, seed: 11 });
  const out = await runToEnd();
  // One worker takes the jobs in submission order.
  const expected = [0, 1, 2].map((i) => crypto.createHash('sha256').update(jobData(11, i, 1 << 20)).digest('hex'));
  assert.deepEqual(out.slice(0, 3), expected);
  assert.ok(out.slice(0, 12).every((l) => /^[0-9a-f]{64}$/.test(l)), out.join('\n'));
  assert.match(out[12], /^1 workers, elapsed time: /);
});

test('table: pools of 1 … 4 workers, medians beside the book, and a sentence from the figures', async (t) => {
  await open({ workload: 'rc4', mode: 'table', max_workers: 4, repeats: 3, scale: 8, seed: 1 });
  const out = await runToEnd({ timeout: 240_000 });
  assert.equal(out.filter((l) => /^# \d workers?, run \d of 3$/.test(l)).length, 12);
  assert.equal(out.filter((l) => / KB$/.test(l)).length, 12 * 12);
  const head = out.findIndex((l) => l.startsWith('Table 17-1, RC4: median of 3 runs per size'));
  assert.ok(head > 0, out.slice(-8).join('\n'));
  const rows = out.slice(head + 2).map((l) => l.trim().split(/\s+/));
  assert.deepEqual(rows.map((r) => r[0]), ['1', '2', '3', '4']);
  assert.deepEqual(rows.map((r) => r[5]), ['11.48s', '8.65s', '6.04s', '5.58s']);
  t.diagnostic(out.slice(head).join('\n'));
  // Two workers really compute in parallel: the jobs alone go clearly faster (generous margin).
  const cells = await app.page.locator('#cpu-table-title ~ table tbody tr').count();
  assert.equal(cells, 4);
  const sentence = await app.page.locator('.what-happened .sentence').innerText();
  assert.match(sentence, /^On \d workers the jobs alone ran at \d\.\d\d× the speed of 1 worker /, sentence);
  assert.equal(await liveWorkers(), 0);
});

test('Stop ends the pool at once and keeps the rows measured; Compare adds two history rows', async () => {
  await open({ workload: 'sha256', mode: 'table', max_workers: 4, repeats: 2, scale: 16, seed: 2 });
  await runButton().click();
  await app.page.waitForFunction(() => /# 2 workers, run 1 of 2/.test(document.querySelector('[role=log]').innerText), null, { timeout: 120_000 });
  await stopButton().click();
  await app.page.waitForFunction(() => document.querySelector('article.cpu-lab').dataset.running === 'false');
  const out = await lines();
  assert.match(out.at(-1), /^KeyboardInterrupt — stopped after \d+\.\d\ds, 2 workers terminated\.$/);
  assert.equal(await liveWorkers(), 0);
  assert.equal(await app.page.locator('#cpu-table-title ~ table tbody tr').count(), 1);

  await open({ workload: 'rc4', mode: 'pool', scale: 16, seed: 3 });
  await runToEnd({ button: app.page.getByRole('button', { name: /^Compare 1 worker with \d+$/ }) });
  const history = app.page.locator('.history:not(.result-table) tbody tr');
  assert.equal(await history.count(), 2);
  const rows = await history.evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
  // Newest first: the pool of N, then the pool of 1.
  assert.deepEqual(rows.map((r) => r[3]), [String(Math.max(2, await app.page.evaluate(() => navigator.hardwareConcurrency))), '1']);
  // The workers really ran at the same time: together they were busy longer than the jobs took
  // (even on a loaded machine, two threads that share cores are both inside their jobs).
  const ms = (text) => Number(text.replace(/[^\d]/g, ''));
  assert.ok(ms(rows[0][7]) > 1.2 * ms(rows[0][6]), `busy ${rows[0][7]} > 1.2 × jobs ${rows[0][6]}`);
  const sentence = await app.page.locator('.what-happened .sentence').innerText();
  assert.match(sentence, /the jobs alone ran \d\.\d\d× as fast as run \d+ on 1 worker/);
});

test('bad input: a message next to each field and nothing runs', async () => {
  await open({ mode: 'pool' });
  await expectRejected(assert, app.page, 'Workers', '0', /Workers must be a whole number from 1 to 32/);
  await open({});
  await expectRejected(assert, app.page, 'Data ×', '33', /Data × must be a whole number from 1 to 32/);
  await expectRejected(assert, app.page, 'Repeats', 'x', /Repeats must be a whole number from 1 to 10/);
  assert.equal(await liveWorkers(), 0);
});
