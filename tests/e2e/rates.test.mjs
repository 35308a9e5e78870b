// Rates lab (Expert Python Programming 4e, ch. 6), driven like a reader, against the sub-path
// release build: the rates API is the service worker's, blocking requests happen in workers
// (or freeze the main thread), the throttle lives in memory the workers share.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, expectRejected } from './harness.mjs';

const app = useApp();

const MATRIX = [
  '1 USD =     1.0 USD,   0.823 EUR,    3.73 PLN,     8.5 NOK,    21.5 CZK',
  '1 EUR =    1.22 USD,     1.0 EUR,    4.54 PLN,    10.3 NOK,    26.2 CZK',
  '1 PLN =   0.268 USD,    0.22 EUR,     1.0 PLN,    2.28 NOK,    5.76 CZK',
  '1 NOK =   0.118 USD,  0.0968 EUR,   0.439 PLN,     1.0 NOK,    2.53 CZK',
  '1 CZK =  0.0465 USD,  0.0382 EUR,   0.174 PLN,   0.395 NOK,     1.0 CZK',
];

const transcript = () => app.page.getByRole('log', { name: 'Transcript' });
const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });
const stopButton = () => app.page.getByRole('button', { name: 'Stop', exact: true });
const historyRows = () => app.page.locator('.history tbody tr');

/** Opens the lab with URL parameters, presses Run, waits for the run's history row. */
async function run(params, { timeout = 60_000 } = {}) {
  await app.gotoApp(`/rates?${new URLSearchParams(params)}`);
  const before = await historyRows().count();
  await runButton().click();
  await app.page.waitForFunction((n) => document.querySelectorAll('.history tbody tr').length > n, before, { timeout });
  const lines = (await transcript().innerText()).split('\n');
  const row = await historyRows().last().locator('td').allInnerTexts();
  return { lines, row, elapsedS: Number(row[3].replace('s', '')) };
}

const elapsedLine = (lines) => lines.at(-1).match(/^time elapsed: (\d+\.\d\d)s$/);

test('the page is cross-origin isolated, so workers can share memory', async () => {
  await app.gotoApp('/rates');
  assert.equal(await app.page.evaluate(() => self.crossOriginIsolated), true);
});

test('every script prints the book matrix and the time', async (t) => {
  const scripts = ['synchronous', 'one_thread_per_item', 'thread_pool', 'two_way_queues', 'error_handling',
    'throttling', 'process_pool', 'async_gather', 'run_in_executor'];
  for (const script of scripts) {
    const { lines, row, elapsedS } = await run({ script, latency: '0.1', seed: '1' });
    t.diagnostic(`${script}: ${elapsedS}s`);
    assert.deepEqual([...lines.slice(0, 5)].sort(), [...MATRIX].sort(), script);
    assert.equal(lines[5], '', script);
    assert.ok(elapsedLine(lines), `${script}: ${lines.at(-1)}`);
    assert.equal(row[1], script);
    assert.equal(row[8], 'completed');
    if (['synchronous', 'process_pool', 'async_gather', 'run_in_executor'].includes(script)) {
      assert.deepEqual(lines.slice(0, 5), MATRIX, `${script} prints in submission order`);
    }
    assert.equal(await app.waitForNoWorkers(), 0, `${script} leaves no worker`);
  }
});

test('synchronous freezes the page for about bases × latency', async (t) => {
  const { row, elapsedS } = await run({ script: 'synchronous', latency: '0.3', seed: '3' });
  const gapMs = Number(await app.page.locator('[data-meter="longest-gap"]').getAttribute('data-ms'));
  t.diagnostic(`synchronous 5 × 0.3 s: elapsed ${elapsedS}s, longest frame gap ${gapMs} ms`);
  assert.ok(gapMs >= 0.8 * 5 * 300, `the page froze ${gapMs} ms >= 1200 ms`);
  assert.ok(elapsedS >= 1.2 && elapsedS < 4, `${elapsedS}`);
  assert.equal(row[1], 'synchronous');
});

test('What happened: elapsed against bases × latency, from the run\'s own figures', async (t) => {
  const sync = await run({ script: 'synchronous', latency: '0.3', seed: '3' });
  const froze = await app.page.locator('.what-happened .sentence').innerText();
  t.diagnostic(froze);
  // The row's elapsed time and longest frame gap are the sentence's figures; the ratio is theirs
  // (the row shows the time to 1/100 s, the sentence divides the exact one).
  const ratioOf = (text) => Number(text.match(/≈ (\d+\.\d) × the 0\.3 s latency/)[1]);
  assert.ok(froze.startsWith(`5 requests one after another: ${sync.row[3].replace('s', ' s')} ≈ `), froze);
  assert.ok(froze.endsWith(`the page froze for ${sync.row[6]} while they blocked the main thread.`), froze);
  assert.ok(Math.abs(ratioOf(froze) - sync.elapsedS / 0.3) <= 0.06, froze);
  const perItem = await run({ script: 'one_thread_per_item', latency: '0.3', seed: '3' });
  const overlapped = await app.page.locator('.what-happened .sentence').innerText();
  t.diagnostic(overlapped);
  assert.ok(overlapped.startsWith(`A thread per base: all 5 in ${perItem.row[3].replace('s', ' s')} ≈ `), overlapped);
  assert.ok(Math.abs(ratioOf(overlapped) - perItem.elapsedS / 0.3) <= 0.06, overlapped);
});

test('async_gather takes about one latency, and the page never freezes', async (t) => {
  const { elapsedS } = await run({ script: 'async_gather', latency: '0.5' });
  const gapMs = Number(await app.page.locator('[data-meter="longest-gap"]').getAttribute('data-ms'));
  t.diagnostic(`async_gather 5 × 0.5 s: ${elapsedS}s, longest gap ${gapMs} ms`);
  assert.ok(elapsedS < 2 * 0.5, `${elapsedS}s < 2 × latency`);
  assert.ok(elapsedS >= 0.8 * 0.5, `${elapsedS}s`);
});

test('a pool of 4 needs two rounds for 5 bases; a thread per base one', async (t) => {
  const pool = await run({ script: 'thread_pool', latency: '0.5', seed: '5' });
  const perItem = await run({ script: 'one_thread_per_item', latency: '0.5', seed: '5' });
  t.diagnostic(`thread_pool ${pool.elapsedS}s, one_thread_per_item ${perItem.elapsedS}s`);
  assert.ok(pool.elapsedS >= 2 * 0.8 * 0.5, `${pool.elapsedS}`);
  assert.ok(perItem.elapsedS < pool.elapsedS, 'one thread per base beats a pool of 4');
  assert.equal(await app.page.locator('.timeline text.lane-label').first().textContent(), 'Thread-1');
});

test('throttling: request starts come 1/rate apart, whatever the number of workers', async (t) => {
  const bases = 'USD EUR PLN NOK CZK '.repeat(4).trim();
  for (const workers of ['4', '16']) {
    const { lines } = await run({ script: 'throttling', bases, workers, rate: '10', latency: '0.3' });
    assert.equal(lines.filter((l) => l.startsWith('1 ')).length, 20);
    const starts = (await app.page.locator('.timeline rect.bar').evaluateAll(
      (bars) => bars.map((b) => Number(b.dataset.startMs)))).sort((a, b) => a - b);
    const gaps = starts.slice(1).map((s, i) => s - starts[i]);
    t.diagnostic(`${workers} workers: smallest gap ${Math.min(...gaps).toFixed(1)} ms, span ${(starts.at(-1) - starts[0]).toFixed(0)} ms`);
    assert.equal(starts.length, 20);
    assert.ok(Math.min(...gaps) >= 100 - 15, `gaps ${gaps.map((g) => g.toFixed(0))}`);
  }
});

test('error_handling prints what it has, then raises the 500 as requests words it', async () => {
  const { lines, row } = await run({ script: 'error_handling', errors: '1', latency: '0.1' });
  assert.match(lines[0], /^requests\.exceptions\.HTTPError: 500 Server Error: Internal Server Error for url: http:\/\/127\.0\.0\.1:\d+\/playground\/rates\?base=[A-Z]{3}&/);
  assert.equal(lines.length, 1, 'the script stops at the exception');
  assert.equal(row[8], 'raised HTTPError');
  assert.ok(await app.page.locator('.timeline rect.bar.error').count() >= 1);
});

test('thread_pool with errors: a thread dies, and the join would hang', async () => {
  const { lines, row } = await run({ script: 'thread_pool', errors: '1', latency: '0.1', workers: '2' });
  assert.match(lines[0], /^Exception in thread Thread-\d \(worker\):$/);
  assert.match(lines.at(-1), /work_queue\.join\(\) never returns: 5 bases were never marked task_done/);
  assert.match(row[8], /would hang/);
  assert.equal(await app.waitForNoWorkers(), 0);
});

test('Stop ends every worker and request at once', async () => {
  await app.gotoApp('/rates?script=one_thread_per_item&latency=5');
  await runButton().click();
  await app.page.waitForFunction(() => document.querySelectorAll('.timeline rect.bar').length === 5);
  assert.equal(app.page.workers().length, 5);
  await stopButton().click();
  assert.equal(await app.waitForNoWorkers(), 0);
  assert.match((await transcript().innerText()).split('\n').at(-1), /^KeyboardInterrupt — stopped after \d\.\d\ds: 5 workers terminated/);
  assert.equal(await historyRows().last().locator('td').nth(8).innerText(), 'cancelled');
});

test('bad input gets a message next to the field and nothing runs', async () => {
  await app.gotoApp('/rates?script=throttling');
  await expectRejected(assert, app.page, 'Bases', 'USD GBP', /“GBP” is not a currency/);
  await expectRejected(assert, app.page, 'Bases', '', /at least one currency/);
  await expectRejected(assert, app.page, 'Workers', '0', /from 1 to 64/);
  await expectRejected(assert, app.page, 'Workers', '65', /from 1 to 64/);
  await expectRejected(assert, app.page, 'Latency (s)', '-1', /must not be negative/);
  await expectRejected(assert, app.page, 'Error rate', '1.5', /from 0 to 1/);
  await expectRejected(assert, app.page, 'Throttle rate (per s)', '0', /greater than 0/);
});

test('with no server at all (service workers refused), every script ends with a clear error', async () => {
  const context = await app.browser.newContext({ serviceWorkers: 'block' });
  try {
    const page = await context.newPage();
    for (const script of ['thread_pool', 'async_gather', 'synchronous']) {
      await page.goto(`${app.url}#/rates?script=${script}`);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1, null, { timeout: 20_000 });
      const log = await page.getByRole('log', { name: 'Transcript' }).innerText();
      assert.match(log, /^Error: the rates API cannot run: .*service worker/s, script);
      assert.equal(await page.locator('.history tbody tr td').nth(8).innerText(), 'could not run');
      assert.equal(page.workers().length, 0);
      await page.reload();
    }
  } finally {
    await context.close();
  }
});

test('10 Run/Stop cycles, workers and blocked requests included, leave no worker behind', async () => {
  await app.gotoApp('/rates?script=throttling&latency=5&workers=8&bases=USD%20EUR%20PLN%20NOK%20CZK%20USD%20EUR%20PLN');
  for (let i = 0; i < 10; i++) {
    await runButton().click();
    await app.page.waitForFunction(() => document.querySelectorAll('.timeline text.lane-label').length === 8);
    await app.page.waitForTimeout(50 + 30 * i);
    await stopButton().click();
    await runButton().waitFor();
  }
  assert.equal(await app.waitForNoWorkers(), 0);
  assert.equal(await historyRows().count(), 10);
  const outcomes = await app.page.locator('.history tbody tr td:nth-child(9)').allInnerTexts();
  assert.deepEqual([...new Set(outcomes)], ['cancelled']);
});
