// Executors lab: map vs as_completed on the browser event loop, futures and their states,
// driven like a reader (time scale 0.1 keeps it quick), against the sub-path release build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, expectRejected } from './harness.mjs';

const app = useApp();
const STAMP = /^\[\d\d:\d\d:\d\d(?: \+\d+ms)?\] /;

const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });
/** The transcript without the `[HH:MM:SS]` stamps. */
const transcriptLines = async () => (await app.page.getByRole('log', { name: 'Transcript' }).innerText())
  .split('\n').map((l) => l.replace(STAMP, ''));
const waitForRuns = (n, timeout = 30_000) =>
  app.page.waitForFunction((k) => document.querySelectorAll('.history tbody tr').length >= k, n, { timeout });

async function run(params) {
  await app.gotoApp(`/executors?${new URLSearchParams(params)}`);
  await runButton().click();
  await waitForRuns(1);
  return transcriptLines();
}

const results = (lines) => lines.filter((l) => /^(result \d+:|\*\*\* Error in result)/.test(l));
const before = (lines, a, b) => lines.indexOf(a) >= 0 && lines.indexOf(a) < lines.indexOf(b);

test('map, the book run: results in submission order, each after its loiter is done', async () => {
  const lines = await run({ demo: 'loiter', delays: '0 1 2 3 4', workers: '3', collect: 'map', scale: '0.1' });
  assert.equal(lines[0], '(time scale 0.1: every sleep is 10× shorter; +ms is script time)');
  assert.equal(lines[1], 'Script starting.');
  assert.deepEqual(results(lines), ['result 0: 0', 'result 1: 10', 'result 2: 20', 'result 3: 30', 'result 4: 40']);
  for (let n = 0; n < 5; n++) {
    assert.ok(before(lines, `${'\t'.repeat(n)}loiter(${n}): done.`, `result ${n}: ${n * 10}`), `loiter(${n}) before its result`);
  }
  assert.ok(lines.some((l) => l.startsWith('results: <map stream over 5 futures')));
  assert.ok(before(lines, '\tloiter(1): done.', '\t\t\t\tloiter(4): doing nothing for 4s...'), 'job 4 takes the slot job 1 frees');
  assert.equal(await app.page.locator('.futures-table tbody tr[data-state="finished"]').count(), 5);
});

test('delays 3 1 2: map holds every result until the first, as_completed yields 10, 20, 30', async () => {
  const mapped = await run({ delays: '3 1 2', workers: '3', collect: 'map', scale: '0.1' });
  assert.deepEqual(results(mapped), ['result 0: 30', 'result 1: 10', 'result 2: 20']);
  assert.ok(before(mapped, '\t\t\tloiter(3): done.', 'result 0: 30'));
  assert.ok(before(mapped, '\t\t\tloiter(3): done.', 'result 1: 10'), 'result 1 was held back by job 0');
  // The futures table shows how long the finished results were held.
  assert.match(await app.page.locator('.futures-table tbody tr').nth(1).innerText(), /held/);
  const completed = await run({ delays: '3 1 2', workers: '3', collect: 'as_completed', scale: '0.1' });
  assert.deepEqual(results(completed), ['result 1: 10', 'result 2: 20', 'result 0: 30']);
  assert.ok(before(completed, 'result 1: 10', '\t\t\tloiter(3): done.'), 'delivered before the slow job ended');
});

const whatHappened = () => app.page.locator('.what-happened .sentence').innerText();

test('What happened: map names how long a result waited and behind which call; as_completed the order', async (t) => {
  await run({ delays: '3 1 2', workers: '3', collect: 'map', scale: '0.1' });
  // loiter(1) was held longest; its futures-table cell says for how long.
  const held = (await app.page.locator('.futures-table tbody tr').nth(1).innerText()).match(/held (\d+\.\d\d)s/)[1];
  const mapped = await whatHappened();
  t.diagnostic(mapped);
  assert.ok(mapped.startsWith('map yielded results in submission order: 2 of 3 results waited after finishing'), mapped);
  assert.ok(mapped.includes(`loiter(1) the longest, ${held} s behind loiter(3)`), `${mapped} / held ${held}`);
  await run({ delays: '3 1 2', workers: '3', collect: 'as_completed', scale: '0.1' });
  const completed = await whatHappened();
  t.diagnostic(completed);
  assert.ok(completed.includes('loiter(1), loiter(2), loiter(3) (not submission order)'), completed);
});

test('with 1 worker both orders are the submission order', async () => {
  for (const collect of ['map', 'as_completed']) {
    const lines = await run({ delays: '2 1 0', workers: '1', collect, scale: '0.1' });
    assert.deepEqual(results(lines), ['result 0: 20', 'result 1: 10', 'result 2: 0'], collect);
  }
});

const gantt = () => app.page.evaluate(() => [...document.querySelectorAll('.gantt rect.bar')].map((bar) => {
  const g = bar.parentElement;
  const label = g.querySelector('.bar-label');
  const wait = g.querySelector('line.wait');
  const marker = g.querySelector('.delivered');
  return {
    label: label && label.textContent,
    title: bar.querySelector('title').textContent,
    end: bar.x.baseVal.value + bar.width.baseVal.value,
    wait: wait && [wait.x1.baseVal.value, wait.x2.baseVal.value],
    marker: marker && parseFloat(marker.getAttribute('x')),
  };
}));

test('the default run (3 0 1 2 on 4 workers, map): every result waits for loiter(3), and the chart shows it', async (t) => {
  await app.gotoApp('/executors');
  assert.equal(await app.page.getByLabel('Delays (s)', { exact: true }).inputValue(), '3 0 1 2');
  assert.equal(await app.page.getByLabel('Max workers', { exact: true }).inputValue(), '4');
  await runButton().click();
  await waitForRuns(1);
  const lines = await transcriptLines();
  assert.deepEqual(results(lines), ['result 0: 30', 'result 1: 0', 'result 2: 10', 'result 3: 20']);
  assert.ok(before(lines, '\t\t\tloiter(3): done.', 'result 1: 0'), 'loiter(0) delivered only after loiter(3)');
  const sentence = await whatHappened();
  t.diagnostic(sentence);
  assert.match(sentence, /^map yielded results in submission order: 3 of 4 results waited after finishing — loiter\(0\) the longest, \d\.\d\d s behind loiter\(3\)/);
  const held = Number(sentence.match(/longest, (\d\.\d\d) s/)[1]);
  assert.ok(held > 2.5 && held < 4, `loiter(0) held ${held} s`);
  const bars = await gantt();
  t.diagnostic(JSON.stringify(bars.map((b) => [b.label, b.wait && b.wait.map(Math.round)])));
  assert.deepEqual(bars.map((b) => b.label), ['loiter(3)', 'loiter(0)', 'loiter(1)', 'loiter(2)'], 'bars named by their call');
  assert.equal(bars[0].wait, null, 'loiter(3) was delivered as it ended');
  for (const bar of bars.slice(1)) {
    assert.ok(bar.wait, `${bar.label}: a line from its end to its delivery`);
    assert.ok(Math.abs(bar.wait[0] - bar.end) < 1 && Math.abs(bar.wait[1] - bar.marker) < 1, `${bar.label}: ${bar.wait} / ${bar.end} → ${bar.marker}`);
  }
  assert.ok(bars[1].wait[1] - bars[1].wait[0] > bars[3].wait[1] - bars[3].wait[0], 'loiter(0) waited longest');
});

test('Compare runs map then as_completed on the same calls, each in its own history row: map waits for loiter(3) for its first result', async (t) => {
  await app.gotoApp('/executors?delays=3%200%201%202&workers=4&scale=0.5');
  const compare = app.page.locator('button.compare');
  assert.equal(await compare.innerText(), 'Compare map with as_completed');
  await compare.click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 2
    && !document.querySelector('button.run').disabled, null, { timeout: 30_000 });
  const headers = await app.page.locator('.history thead th').allInnerTexts();
  const rows = (await app.page.locator('.history tbody tr').allInnerTexts()).map((r) => r.split('\t'));
  const cell = (row, name) => row[headers.indexOf(name)];
  t.diagnostic(rows.map((r) => r.join(' | ')).join(' / '));
  // Newest first: as_completed on top.
  const [completed, mapped] = rows;
  for (const row of rows) assert.deepEqual([cell(row, 'Jobs'), cell(row, 'Max workers'), cell(row, 'Time scale')], ['3 0 1 2', '4', '0.5']);
  assert.equal(cell(mapped, 'Collect with'), 'map');
  assert.equal(cell(completed, 'Collect with'), 'as_completed');
  // Script seconds: map's first result comes with loiter(3) at ~3 s, as_completed's with loiter(0) at ~0 s.
  const first = (row) => parseFloat(cell(row, 'First result'));
  assert.ok(first(mapped) > 2.5, `map's first result at ${first(mapped)} s`);
  assert.ok(first(completed) < 1, `as_completed's first result at ${first(completed)} s`);
  assert.ok(first(mapped) > first(completed) + 1.5, 'map held its results back; as_completed did not');
  // The page shows the last run: as_completed, results in completion order.
  assert.deepEqual(results(await transcriptLines()), ['result 1: 0', 'result 2: 10', 'result 3: 20', 'result 0: 30']);
  assert.match(await whatHappened(), /^as_completed yielded each result as its job finished — loiter\(0\), loiter\(1\), loiter\(2\), loiter\(3\) \(not submission order\)/);
});

test('errors: map stops at the failed result, as_completed reports it and goes on', async () => {
  const mapped = await run({ delays: '1 !2 3', workers: '3', collect: 'map', scale: '0.1' });
  const r = results(mapped);
  assert.equal(r[0], 'result 0: 10');
  assert.match(r[1], /^\*\*\* Error in result 1: RuntimeError/);
  assert.equal(r.length, 2, 'the loop stopped at the error');
  const failed = (await gantt()).find((b) => b.title.includes('failed'));
  assert.match(failed.title, /^loiter\(2, fail=True\): failed, .* raised RuntimeError\('loiter\(2\) failed'\)/, 'the bar says why it failed');
  const completed = await run({ delays: '1 !2 3', workers: '3', collect: 'as_completed', scale: '0.1' });
  const c = results(completed);
  assert.equal(c.length, 3);
  assert.equal(c[0], 'result 0: 10');
  assert.match(c[1], /^\*\*\* Error in result 1/);
  assert.equal(c[2], 'result 2: 30');
});

test('flags_threadpool_ac: 3 running + 2 pending at submit time, results as they complete', async (t) => {
  const lines = await run({ demo: 'flags_threadpool_ac', workers: '3', server: 'LOCAL' });
  const scheduled = lines.filter((l) => l.startsWith('Scheduled for '));
  assert.deepEqual(scheduled.map((l) => l.slice(14, 16)), ['BR', 'CN', 'ID', 'IN', 'US']);
  assert.deepEqual(scheduled.map((l) => l.match(/state=(\w+)>$/)[1]), ['running', 'running', 'running', 'pending', 'pending']);
  const addresses = scheduled.map((l) => l.match(/<Future at (0x[0-9a-f]+)/)[1]);
  assert.equal(new Set(addresses).size, 5);
  const done = lines.filter((l) => / result: '/.test(l));
  assert.equal(done.length, 5);
  for (const l of done) {
    const [, address, cc] = l.match(/^<Future at (0x[0-9a-f]+) state=finished returned str> result: '([A-Z]{2})'$/);
    assert.equal(addresses[['BR', 'CN', 'ID', 'IN', 'US'].indexOf(cc)], address, 'the same future, the same address');
  }
  assert.match(lines.at(-1), /^5 flags downloaded in \d+\.\d\ds$/);
  t.diagnostic(lines.at(-1));
});

test('Stop cancels the pending jobs, abandons the running ones, and nothing runs on', async () => {
  await app.gotoApp('/executors?delays=0%2010%2010%2010%2010&workers=2&collect=map&scale=0.1');
  await runButton().click();
  await app.page.waitForFunction(() => document.querySelectorAll('.futures-table tr[data-state="running"]').length === 2);
  await app.page.getByRole('button', { name: 'Stop', exact: true }).click();
  await waitForRuns(1);
  const lines = await transcriptLines();
  const stop = lines.find((l) => l.startsWith('Stop:'));
  assert.match(stop, /^Stop: cancelled 2 pending \(loiter\(10\), loiter\(10\)\); abandoned 2 running \(loiter\(10\), loiter\(10\)\)\.$/);
  await app.page.waitForTimeout(1500); // the jobs would have ended after 1 s
  assert.deepEqual(await transcriptLines(), lines, 'nothing printed after Stop');
  assert.equal(await app.page.locator('.futures-table tr[data-state="cancelled"]').count(), 2);
  assert.equal(await app.page.locator('.futures-table tr[data-state="abandoned"]').count(), 2);
  assert.ok(await runButton().isEnabled());
});

test('bad input shows a message next to the field and runs nothing', async () => {
  await run({ delays: '0 1', workers: '2', scale: '0.1' });
  const page = app.page;
  const cases = [
    ['Delays (s)', '1 -1', /negative/],
    ['Delays (s)', '1 abc', /abc/],
    ['Delays (s)', Array(1001).fill('0').join(' '), /at most 1,000/],
    ['Max workers', '0', /./],
    ['Time scale', '0', /./],
    ['Time scale', 'abc', /number/],
  ];
  for (const [label, value, message] of cases) await expectRejected(assert, page, label, value, message);
});
