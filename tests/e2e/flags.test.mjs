// Flags lab: real fetch() downloads against LOCAL files and the DELAY/ERROR service worker,
// driven like a reader, against the sub-path release build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { useApp, expectRejected, DIST_DIR } from './harness.mjs';

// ERROR runs answer 418s and a REMOTE run fails by design: the browser logs those requests.
const app = useApp({ allowErrors: [/status of 418/, /status of 404/, /fluentpython\.com/, /ERR_/, /CORS/] });
const SHIPPED = JSON.parse(fs.readFileSync(path.join(DIST_DIR, 'flags', 'index.json'), 'utf8'));

const transcriptLines = async () => (await app.page.getByRole('log', { name: 'Transcript' }).innerText()).split('\n');
const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });
const count = async (name) => Number(await app.page.locator(`[data-count="${name}"]`).innerText());
const counts = async () => ({
  ok: await count('ok'), notFound: await count('not-found'), errors: await count('errors'),
  cancelled: await count('cancelled'), peak: await count('peak'), wirePeak: await count('wire-peak'),
});
const whatHappened = () => app.page.locator('.what-happened .sentence').innerText();
const waitForRuns = (n, timeout = 60_000) =>
  app.page.waitForFunction((k) => document.querySelectorAll('.history tbody tr').length >= k, n, { timeout });

/** Opens the lab with URL parameters, runs it to the end; returns { lines, counts, seconds }. */
async function run(params, timeout = 60_000) {
  await app.gotoApp(`/flags?${new URLSearchParams(params)}`);
  const started = Date.now();
  await runButton().click();
  await waitForRuns(1, timeout);
  return { lines: await transcriptLines(), counts: await counts(), seconds: (Date.now() - started) / 1000 };
}

test('LOCAL, sequential: 20 flags in sorted order, all OK, 20 tiles', async (t) => {
  const { lines, counts: c } = await run({ mode: 'sequential', server: 'LOCAL' });
  const sorted = ['BD', 'BR', 'CD', 'CN', 'DE', 'EG', 'ET', 'FR', 'ID', 'IN', 'IR', 'JP', 'MX', 'NG', 'PH', 'PK', 'RU', 'TR', 'US', 'VN'];
  assert.equal(lines.at(-2), sorted.join(' '));
  assert.match(lines.at(-1), /^20 flags downloaded in \d+\.\d\ds$/);
  t.diagnostic(lines.at(-1));
  assert.equal(c.ok, 20);
  assert.equal(await app.page.locator('.tile[data-outcome="ok"] img').count(), 20);
  // Every tile shows a real image the browser decoded.
  const decoded = await app.page.locator('.tile img').evaluateAll((imgs) => imgs.filter((i) => i.complete && i.naturalWidth > 0).length);
  assert.equal(decoded, 20);
});

test('LOCAL, flags2 -e: OK = shipped flags, the rest not found, sum 676; the wire peaks at 6', async (t) => {
  const { lines, counts: c } = await run({ mode: 'flags2', server: 'LOCAL', every: 'true', max_req: '100' }, 120_000);
  t.diagnostic(`-e on LOCAL: ${JSON.stringify(c)}; ${lines.at(-1)}`);
  assert.equal(c.ok, SHIPPED.length);
  assert.equal(c.notFound, 676 - SHIPPED.length);
  assert.equal(c.ok + c.notFound + c.errors + c.cancelled, 676);
  assert.equal(lines[1], 'Searching for 676 flags: from AA to ZZ');
  assert.equal(lines[2], '100 concurrent connections will be used.');
  assert.ok(lines.includes(`${String(SHIPPED.length).padStart(3)} flags downloaded.`), lines.join('\n'));
  assert.ok(lines.includes(`${String(676 - SHIPPED.length).padStart(3)} not found.`));
  assert.ok(c.peak > 6 && c.peak <= 100, `fetch calls in flight peaked at ${c.peak}`);
  assert.ok(c.wirePeak >= 1 && c.wirePeak <= 6, `HTTP/1.1: at most 6 on the wire, saw ${c.wirePeak}`);
  // What happened says what the browser had on the wire, beside the fetch() calls started.
  const sentence = await whatHappened();
  t.diagnostic(sentence);
  assert.ok(sentence.includes(`up to ${c.peak} in flight at once (the limit was 100)`), sentence);
  assert.ok(sentence.includes(`only ${c.wirePeak} were on the wire at once`), sentence);
});

test('the first Run on defaults is DELAY, one flag after another, in a few seconds; Compare shows concurrent far faster', async (t) => {
  const first = await run({});
  const row = await app.page.locator('.history tbody tr').first().innerText();
  t.diagnostic(`${row} | ${first.lines.at(-1)}`);
  assert.match(row, /sequential\tDELAY\t20\t/);
  const seconds = Number(first.lines.at(-1).match(/in (\d+\.\d+)s$/)[1]);
  assert.ok(seconds >= 1 && seconds < 15, `sequential on defaults took ${seconds}s`);
  // Compare: sequential then concurrent, same codes and seed, one row each.
  await app.page.getByRole('button', { name: 'Compare sequential with concurrent on DELAY' }).click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 3
    && !document.querySelector('button.run').disabled, null, { timeout: 60_000 });
  const rows = await app.page.locator('.history tbody tr').allInnerTexts();
  const elapsed = (r) => Number(r.match(/(\d+\.\d+)s$/)[1]);
  t.diagnostic(`compare: ${rows[1]} | ${rows[0]}`);
  assert.match(rows[1], /sequential\tDELAY\t20\t1\t20\t/);
  assert.match(rows[0], /concurrent\tDELAY\t20\t20\t20\t/);
  assert.ok(elapsed(rows[0]) * 2 < elapsed(rows[1]), `concurrent ${elapsed(rows[0])}s vs sequential ${elapsed(rows[1])}s`);
  // The figures say what each peak is.
  const note = await app.page.locator('.counts-note').innerText();
  assert.match(note, /fetch\(\) calls the page had started/);
  assert.match(note, /Chromium opens at most 6 connections per host/);
});

test('ERROR with rate 1: every code is an error', async () => {
  const { lines, counts: c } = await run({ mode: 'flags2', server: 'ERROR', min_delay: '0', max_delay: '0.05', error_rate: '1', cc: 'BR CN IN', verbose: 'true' });
  assert.deepEqual([c.ok, c.notFound, c.errors], [0, 0, 3]);
  for (const cc of ['BR', 'CN', 'IN']) assert.ok(lines.includes(`${cc} error: HTTP error 418 - I'm a Teapot`), lines.join('\n'));
  assert.ok(lines.includes('  0 flags downloaded.'));
  assert.ok(lines.includes('  3 errors.'));
  // Each failed tile and bar says why.
  assert.deepEqual(await app.page.locator('.tile[data-outcome="error"] .no-flag').allInnerTexts(), Array(3).fill("HTTP error 418 - I'm a Teapot"));
  assert.deepEqual(await app.page.locator('.flags-lab .timeline .bar-label').allTextContents(), Array(3).fill('HTTP 418'));
});

test('DELAY 1 s each: sequential on 4 codes takes ≥ 4 s, concurrent < 1.8 s', async (t) => {
  const params = { server: 'DELAY', min_delay: '1', max_delay: '1', cc: 'BR CN IN US' };
  const sequential = await run({ mode: 'sequential', ...params });
  const seqSeconds = Number(sequential.lines.at(-1).match(/in (\d+\.\d+)s$/)[1]);
  const concurrent = await run({ mode: 'concurrent', ...params });
  const conSeconds = Number(concurrent.lines.at(-1).match(/in (\d+\.\d+)s$/)[1]);
  t.diagnostic(`sequential ${seqSeconds}s, concurrent ${conSeconds}s`);
  assert.ok(seqSeconds >= 4, `sequential ${seqSeconds}s`);
  assert.ok(conSeconds < 1.8, `concurrent ${conSeconds}s`);
  assert.equal(sequential.counts.ok, 4);
  assert.equal(concurrent.counts.ok, 4);
});

test('What happened: the run\'s time against the sum of its requests\' times, and why requests failed', async (t) => {
  const params = { server: 'DELAY', min_delay: '0.5', max_delay: '0.5', cc: 'BR CN IN' };
  const sequential = await run({ mode: 'sequential', ...params });
  const seqSeconds = sequential.lines.at(-1).match(/in (\d+\.\d\d)s$/)[1];
  const one = await whatHappened();
  t.diagnostic(one);
  assert.ok(one.startsWith(`3 requests one after another took ${seqSeconds} s, the sum of their times`), one);
  const concurrent = await run({ mode: 'concurrent', ...params });
  const conSeconds = concurrent.lines.at(-1).match(/in (\d+\.\d\d)s$/)[1];
  const all = await whatHappened();
  t.diagnostic(all);
  assert.ok(all.startsWith(`3 requests, up to ${concurrent.counts.peak} in flight at once (the limit was 3), took ${conSeconds} s`), all);
  // Timeouts are counted with their cause.
  await run({ mode: 'flags2', server: 'DELAY', min_delay: '1', max_delay: '1', cc: 'BR CN', timeout: '0.3' });
  const timedOut = await whatHappened();
  t.diagnostic(timedOut);
  assert.ok(timedOut.includes('2 requests timed out after 0.3 s'), timedOut);
  assert.deepEqual(await app.page.locator('.tile[data-outcome="error"] .no-flag').allInnerTexts(), ['timed out after 0.3s', 'timed out after 0.3s']);
  assert.deepEqual(await app.page.locator('.flags-lab .timeline .bar-label').allTextContents(), ['timed out', 'timed out']);
  // Requests aborted unanswered have no browser timing: no claim about queueing.
  assert.ok(!timedOut.includes('queued'), timedOut);
});

test('flags2 -m 2 on 6 codes never has more than 2 requests in flight', async () => {
  const { counts: c } = await run({ mode: 'flags2', server: 'DELAY', min_delay: '0.3', max_delay: '0.3', cc: 'BR CN IN US ID PK', max_req: '2' });
  assert.equal(c.ok, 6);
  assert.equal(c.peak, 2);
  assert.equal(await transcriptLines().then((l) => l[2]), '2 concurrent connections will be used.');
  // The timeline has two lanes, and never two bars at once in one lane.
  const lanes = await app.page.locator('.flags-lab .timeline rect.bar').evaluateAll((bars) => new Set(bars.map((b) => b.getAttribute('y'))).size);
  assert.equal(lanes, 2);
});

test('Stop mid-run reports the rest as cancelled and the sum still holds', async () => {
  await app.gotoApp('/flags?mode=flags2&server=DELAY&min_delay=1&max_delay=1&max_req=4');
  await runButton().click();
  await app.page.waitForFunction(() => Number(document.querySelector('[data-count="ok"]').textContent) >= 4, null, { timeout: 20_000 });
  await app.page.getByRole('button', { name: 'Stop', exact: true }).click();
  await waitForRuns(1);
  const c = await counts();
  assert.ok(c.cancelled > 0, JSON.stringify(c));
  assert.equal(c.ok + c.notFound + c.errors + c.cancelled, 20);
  const lines = await transcriptLines();
  assert.ok(lines.includes(`${String(c.cancelled).padStart(3)} cancelled.`), lines.join('\n'));
  // Nothing keeps downloading after Stop.
  const okAfterStop = c.ok;
  await app.page.waitForTimeout(1500);
  assert.equal(await count('ok'), okAfterStop);
  assert.equal(await count('in-flight'), 0);
});

test('flags3 names each flag after its country, and Save all makes the zip', async () => {
  const { counts: c } = await run({ mode: 'flags3', server: 'LOCAL', cc: 'BR CN US' });
  assert.equal(c.ok, 3);
  const names = await app.page.locator('.tile .saved-as').allInnerTexts();
  assert.deepEqual(names.sort(), ['Brazil.svg', 'China.svg', 'United_States_of_America.svg']);
  const [download] = await Promise.all([
    app.page.waitForEvent('download'),
    app.page.getByRole('button', { name: /^Save all/ }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'downloaded.zip');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flags-')), 'downloaded.zip');
  await download.saveAs(file);
  const listing = execFileSync('python3', ['-c', 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print("\\n".join(sorted(z.namelist()))); assert all(z.read(n).startswith(b"<svg") for n in z.namelist())', file], { encoding: 'utf8' });
  assert.deepEqual(listing.trim().split('\n'), ['downloaded/Brazil.svg', 'downloaded/China.svg', 'downloaded/United_States_of_America.svg']);
});

test('REMOTE without CORS: failures are reported, not hidden', async () => {
  const { counts: c, lines } = await run({ mode: 'flags2', server: 'REMOTE', base_url: 'http://127.0.0.1:9/flags', cc: 'BR CN', verbose: 'true' });
  assert.equal(c.errors, 2);
  // Nothing listens on port 9: the page cannot tell that from CORS, and says both.
  assert.ok(lines.includes('BR error: blocked or unreachable (CORS or network): Failed to fetch'), lines.join('\n'));
  assert.equal(lines.filter((l) => l.startsWith('2 errors: blocked or unreachable (CORS or network) — ')).length, 1, lines.join('\n'));
});

test('bad input shows the CLI usage message next to the field and runs nothing', async () => {
  await run({ mode: 'flags2', server: 'LOCAL', cc: 'BR' });
  const page = app.page;
  const cases = [
    ['Max concurrent (-m)', '0', /--max_req CONCURRENT must be >= 1/],
    ['Country codes', 'B1', /each CC argument must be A to Z or AA to ZZ/],
    ['Country codes', 'ABC', /each CC argument must be A to Z or AA to ZZ/],
    ['Limit (-l)', '0', /--limit N must be >= 1/],
    ['Timeout (s)', '0', /./],
  ];
  for (const [label, value, message] of cases) await expectRejected(assert, page, label, value, message);
  await page.getByLabel('Server', { exact: true }).selectOption('ERROR');
  for (const [label, value] of [['Error rate', '2'], ['Error rate', 'abc'], ['Min delay (s)', '-1']]) {
    await expectRejected(assert, page, label, value, /./);
  }
  await page.getByLabel('Min delay (s)', { exact: true }).fill('3');
  await page.getByLabel('Max delay (s)', { exact: true }).fill('1');
  await runButton().click();
  assert.match(await page.locator('#flags-min_delay-error').innerText(), /--min_delay must be <= --max_delay/);
  assert.equal(await page.locator('.history tbody tr').count(), 1);
  await page.getByLabel('Server', { exact: true }).selectOption('REMOTE');
  await expectRejected(assert, page, 'Base URL', 'ftp://example.com/flags', /http/);
});

test('a URL with parameters fills the form', async () => {
  await app.gotoApp('/flags?mode=flags2&server=DELAY&min_delay=0.1&max_delay=0.2&seed=7&cc=a%20b&limit=5&max_req=3&verbose=true');
  const value = (label) => app.page.getByLabel(label, { exact: true }).inputValue();
  assert.equal(await value('Mode'), 'flags2');
  assert.equal(await value('Server'), 'DELAY');
  assert.equal(await value('Min delay (s)'), '0.1');
  assert.equal(await value('Seed'), '7');
  assert.equal(await value('Country codes'), 'a b');
  assert.equal(await value('Limit (-l)'), '5');
  assert.ok(await app.page.getByLabel('Verbose (-v)', { exact: true }).isChecked());
});
