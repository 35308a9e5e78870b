// Primes lab: a real Web Worker pool, driven like a reader, against the sub-path release build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, expectRejected } from './harness.mjs';

// A worker crashed on purpose (the failure test) reports an uncaught error in its console.
const app = useApp({ allowErrors: [/simulated worker crash/] });

// The book's NUMBERS, with the primes marked.
const BOOK = [
  [2n, true], [142702110479723n, true], [299593572317531n, true], [3333333333333301n, true],
  [3333333333333333n, false], [3333335652092209n, false], [4444444444444423n, true], [4444444444444444n, false],
  [4444444488888889n, false], [5555553133149889n, false], [5555555555555503n, true], [5555555555555555n, false],
  [6666666666666666n, false], [6666666666666719n, true], [6666667141414921n, false], [7777777536340681n, false],
  [7777777777777753n, true], [7777777777777777n, false], [9999999999999917n, true], [9999999999999999n, false],
];
const VERDICT = new Map(BOOK.map(([n, p]) => [n, p]));
const RESULT_LINE = /^ *(\d+)  ([P ]) +\d+\.\d{6}s$/;

const transcriptLines = async () => (await app.page.getByRole('log', { name: 'Transcript' }).innerText()).split('\n');
const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });
const historyRows = () => app.page.locator('.history tbody tr');
const waitForRuns = (count, timeout = 60_000) =>
  app.page.waitForFunction((n) => document.querySelectorAll('.history tbody tr').length >= n, count, { timeout });
const liveWorkers = async () => Number(await app.page.locator('[data-live-workers]').getAttribute('data-live-workers'));

async function waitForNoWorkers() {
  assert.equal(await app.waitForNoWorkers(), 0, 'no Web Worker left alive');
  assert.equal(await liveWorkers(), 0);
}

function parseResults(lines) {
  return lines.filter((l) => RESULT_LINE.test(l)).map((l) => {
    const [, n, label] = l.match(RESULT_LINE);
    return { n: BigInt(n), prime: label === 'P', line: l };
  });
}

test('procs with 2 workers on Book: 20 lines in completion order, labels match the fixture', async (t) => {
  await app.gotoApp('/primes?mode=procs&workers=2&numbers=book');
  await runButton().click();
  await waitForRuns(1);
  const lines = await transcriptLines();
  assert.equal(lines[0], 'Checking 20 numbers with 2 workers:');
  const results = parseResults(lines);
  assert.equal(results.length, 20);
  assert.deepEqual(new Set(results.map((r) => r.n)), new Set(VERDICT.keys()), 'every number answered once');
  for (const r of results) assert.equal(r.prime, VERDICT.get(r.n), r.line);
  assert.match(lines.at(-1), /^20 checks in \d+\.\d\ds$/);
  t.diagnostic(lines.at(-1));
  // Both workers took jobs: dynamic scheduling spreads the work.
  const lanes = await app.page.locator('.timeline rect.bar').evaluateAll((bars) => new Set(bars.map((b) => b.dataset.lane)).size);
  assert.equal(lanes, 2);
  await waitForNoWorkers();
  // What happened: the workers' checking time against this run's wall time (the history row's).
  const elapsed = (await historyRows().first().locator('td').allInnerTexts())[4].replace('s', ' s');
  const sentence = await app.page.locator('.what-happened .sentence').innerText();
  t.diagnostic(sentence);
  assert.match(sentence, new RegExp(`^2 workers kept \\d\\.\\d cores busy on average: \\d+\\.\\d\\d s of checking in ${elapsed.replace('.', '\\.')}\\.$`));
  const [busy, wall] = sentence.match(/(\d+\.\d\d) s of checking in (\d+\.\d\d) s/).slice(1).map(Number);
  // The sentence divides unrounded times; the shown ones are rounded to 10 ms.
  const cores = Number(sentence.match(/kept (\d\.\d) cores/)[1]);
  assert.ok(Math.abs(cores - busy / wall) <= 0.08, `cores busy ${cores} = checking ÷ wall time ${(busy / wall).toFixed(3)}`);
  // One worker on the same numbers: compared with the run before, by its figures.
  await app.page.getByLabel('Workers', { exact: true }).fill('1');
  await runButton().click();
  await waitForRuns(2);
  const compared = await app.page.locator('.what-happened .sentence').innerText();
  t.diagnostic(compared);
  assert.match(compared, /^1 worker kept/);
  assert.ok(compared.includes(` run 1 (2 workers, ${elapsed}).`), compared);
});

test('threads: threads.py with no GIL — the same queue on 2 threads, beside the book\'s CPython rows', async (t) => {
  await app.gotoApp('/primes?mode=threads&workers=2&numbers=book');
  await app.page.getByText('Browser workers have no GIL', { exact: false }).first().waitFor({ state: 'attached' });
  await runButton().click();
  await waitForRuns(1);
  const lines = await transcriptLines();
  assert.equal(lines[0], 'Checking 20 numbers with 2 threads:');
  assert.equal(parseResults(lines).length, 20);
  assert.match(lines.at(-1), /^20 checks in \d+\.\d\ds$/);
  const lanes = await app.page.locator('.timeline').innerText();
  assert.match(lanes, /Thread 1/);
  assert.match(lanes, /Thread 2/);
  // The book's runs sit under the reader's: sequential.py, procs.py, and threads.py slower than sequential.
  const book = await app.page.locator('.history tfoot tr').evaluateAll((rows) => rows.map((r) => r.children[1].textContent + ' ' + r.children[4].textContent));
  assert.deepEqual(book, ['sequential.py 40.31s', 'procs.py 9.58s', 'threads.py > 40.31s']);
  t.diagnostic(await app.page.locator('.what-happened .sentence').innerText());
  await waitForNoWorkers();
});

test('pool-map prints results in submission order: the numbers sorted in reverse', async () => {
  await app.gotoApp('/primes?mode=pool-map&workers=2&numbers=book');
  await runButton().click();
  await waitForRuns(1);
  const lines = await transcriptLines();
  const results = parseResults(lines);
  const expected = [...VERDICT.keys()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  assert.deepEqual(results.map((r) => r.n), expected);
  for (const r of results) assert.equal(r.prime, VERDICT.get(r.n), r.line);
  assert.match(lines.at(-1), /^Total time: \d+\.\d\ds$/);
});

test('sequential-worker and sequential-main print in list order; main freezes the page', async (t) => {
  for (const mode of ['sequential-worker', 'sequential-main']) {
    await app.gotoApp(`/primes?mode=${mode}&numbers=book`);
    await runButton().click();
    await waitForRuns(1);
    const lines = await transcriptLines();
    assert.equal(lines[0], 'Checking 20 numbers sequentially:');
    assert.deepEqual(parseResults(lines).map((r) => r.n), [...VERDICT.keys()]);
    assert.match(lines.at(-1), /^Total time: \d+\.\d\ds$/);
    const gap = Number(await app.page.locator('[data-meter="longest-gap"]').getAttribute('data-ms'));
    const frames = Number(await app.page.locator('[data-meter="frames"]').textContent());
    const seconds = Number(lines.at(-1).match(/(\d+\.\d+)s$/)[1]);
    t.diagnostic(`${mode}: ${lines.at(-1)}, longest wait for a frame ${gap} ms, ${frames} frames asked for`);
    if (mode === 'sequential-main') assert.ok(gap >= 400, `main thread froze: gap ${gap} ms`);
    else {
      assert.ok(gap < 250, `worker kept the page smooth: gap ${gap} ms`);
      // A frame at every beat of the page (4 a second), not at every display refresh (60 a
      // second) while the workers compute.
      assert.ok(frames >= 2 && frames <= 3 + 6 * seconds, `${frames} frames in ${seconds} s`);
    }
  }
});

test('a number being checked grows on the timeline between results (the lab redraws on its own)', async (t) => {
  // One worker on the largest u64 prime (2^64 − 59): about 4 s with no event in between, so
  // the bar is still open at the second look however late the first one comes (a number of
  // Heavy, about 1 s, could end in between on a busy machine).
  await app.gotoApp('/primes?mode=procs&workers=1&numbers=18446744073709551557');
  await runButton().click();
  const running = app.page.locator('.timeline rect.bar.running').first();
  await running.waitFor();
  // The same bar both times, found by its start (it may be done by the second look).
  const bar = app.page.locator(`.timeline rect.bar[data-start-ms="${await running.getAttribute('data-start-ms')}"]`);
  const seconds = async () => Number((await bar.locator('title').textContent()).match(/(\d+\.\d+)s/)?.[1]);
  const first = await seconds();
  await app.page.waitForTimeout(600);
  const later = await seconds();
  t.diagnostic(`the open bar read ${first}s, then ${later}s 600 ms later`);
  assert.ok(later - first >= 0.25, `the open bar grew from ${first}s to ${later}s in 600 ms`);
  await app.page.getByRole('button', { name: 'Stop', exact: true }).click();
  await waitForNoWorkers();
});

test('Stop mid-run on Heavy terminates every worker', async (t) => {
  await app.gotoApp('/primes?mode=procs&workers=2&numbers=heavy');
  await runButton().click();
  await app.page.locator('[data-live-workers="2"]').waitFor();
  await app.page.waitForTimeout(700);
  assert.equal(app.page.workers().length, 2);
  const clicked = Date.now();
  await app.page.getByRole('button', { name: 'Stop', exact: true }).click();
  await app.page.getByText('Workers alive: 0').waitFor();
  t.diagnostic(`Workers alive: 0 shown ${Date.now() - clicked} ms after Stop was clicked`);
  await waitForNoWorkers();
  const lines = await transcriptLines();
  assert.match(lines.at(-1), /^Cancelled after \d+\.\d\ds: \d+ of 20 checked; all workers terminated\.$/);
  assert.match(await historyRows().first().innerText(), /cancelled/);
  // Re-running after a Stop works and leaves nothing behind either.
  await app.page.getByRole('button', { name: /Book/ }).click();
  await runButton().click();
  await waitForRuns(2);
  assert.match((await transcriptLines()).at(-1), /^20 checks in/);
  await waitForNoWorkers();
});

test('leaving the page mid-run leaves no worker alive', async () => {
  await app.gotoApp('/primes?mode=procs&workers=3&numbers=heavy');
  await runButton().click();
  await app.page.locator('[data-live-workers="3"]').waitFor();
  await app.page.getByRole('link', { name: 'Home' }).click();
  await app.page.getByRole('heading', { name: 'Watch the lesson happen' }).waitFor();
  assert.equal(await app.waitForNoWorkers(), 0);
});

test('a worker that crashes is reported and the run ends cleanly with the results so far', async () => {
  // The crash is injected by the test, in the browser: the worker script is served with a
  // line that throws 300 ms after start, while it is checking.
  await app.context.route('**/worker_loader.js', async (route) => {
    const response = await route.fetch();
    const body = (await response.text()) + '\nsetTimeout(() => { throw new Error("simulated worker crash"); }, 300);';
    await route.fulfill({ response, body });
  });
  await app.gotoApp('/primes?mode=procs&workers=2&numbers=heavy');
  await runButton().click();
  await waitForRuns(1, 20_000);
  const lines = await transcriptLines();
  const failed = lines.findIndex((l) => /^Worker [12] failed: .*simulated worker crash/.test(l));
  assert.ok(failed > 0, lines.join('\n'));
  assert.match(lines[failed + 1], /^Stopped after \d+\.\d\ds: \d+ of 20 checked; all workers terminated\.$/);
  assert.match(await historyRows().first().innerText(), /failed/);
  await waitForNoWorkers();
  // Run comes back once the run's task is over (it reads the frame meter for 100 ms more).
  await app.page.waitForFunction(() => !document.querySelector('button.run').disabled, null, { timeout: 5_000 });
});

test('sweep over N = 1..2 draws the chart and the table of medians', async () => {
  await app.gotoApp('/primes?mode=sweep&numbers=book&runs=1&max_n=2');
  await runButton().click();
  await waitForRuns(1, 90_000);
  const rows = await app.page.locator('.sweep-table tbody tr').allInnerTexts();
  assert.equal(rows.length, 2);
  assert.match(rows[0], /^1\t1\t\d+\.\d+s\t1\.00×/);
  assert.match(rows[1], /^2\t1\t\d+\.\d+s\t\d+\.\d\d×/);
  assert.equal((await app.page.locator('.sweep polyline.median').getAttribute('points')).split(' ').length, 2);
  await waitForNoWorkers();
});

test('bad input shows a message next to the field, runs nothing, keeps the results', async () => {
  await app.gotoApp('/primes?mode=procs&workers=2&numbers=2,3,4');
  await runButton().click();
  await waitForRuns(1);
  const before = await transcriptLines();
  const page = app.page;
  const cases = [
    ['Workers', '0', /from 1 to 64/],
    ['Workers', '65', /from 1 to 64/],
    ['Workers', 'abc', /from 1 to 64/],
    ['Numbers', '2, abc, 5', /abc/],
    ['Numbers', '-7', /negative/],
    ['Numbers', '18446744073709551616', /above the largest/],
    ['Numbers', '   ', /at least one number/],
  ];
  for (const [label, value, message] of cases) await expectRejected(assert, page, label, value, message);
  assert.deepEqual(await transcriptLines(), before);
});

test('a URL with parameters fills the form', async () => {
  await app.gotoApp('/primes?mode=pool-map&workers=3&numbers=7,11,13');
  assert.equal(await app.page.getByLabel('Mode', { exact: true }).inputValue(), 'pool-map');
  assert.equal(await app.page.getByLabel('Workers', { exact: true }).inputValue(), '3');
  assert.deepEqual((await app.page.getByLabel('Numbers', { exact: true }).inputValue()).split(/\s+/), ['7', '11', '13']);
  await app.page.getByLabel('Workers', { exact: true }).fill('5');
  await app.page.waitForFunction(() => location.hash.includes('workers=5'));
  assert.match(decodeURIComponent(await app.page.evaluate(() => location.hash)), /^#\/primes\?mode=pool-map&workers=5&numbers=7,11,13$/);
});
