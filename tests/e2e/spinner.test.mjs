// Spinner lab, driven by labels and roles like a reader, against the sub-path release build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, expectRejected } from './harness.mjs';

const app = useApp();
const LARGEST_U64_PRIME = '18446744073709551557';

const transcript = () => app.page.getByRole('log', { name: 'Transcript' });
const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });
const stopButton = () => app.page.getByRole('button', { name: 'Stop', exact: true });
const historyRows = () => app.page.locator('.history tbody tr');

async function meter() {
  const read = (name, attr) => app.page.locator(`[data-meter="${name}"]`).getAttribute(attr);
  const text = (name) => app.page.locator(`[data-meter="${name}"]`).textContent();
  return {
    spinnerFrames: Number(await text('spinner-frames')),
    longestGapMs: Number(await read('longest-gap', 'data-ms')),
    blockedMs: Number(await read('blocked', 'data-ms')),
  };
}

/** Opens the lab with URL parameters, presses Run, waits for the run's history row. */
async function runToCompletion(params, { timeout = 30_000 } = {}) {
  await app.gotoApp(`/spinner?${new URLSearchParams(params)}`);
  const before = await historyRows().count();
  await runButton().click();
  await app.page.waitForFunction((n) => document.querySelectorAll('.history tbody tr').length > n, before, { timeout });
  return (await transcript().innerText()).split('\n');
}

test('async-sleep: the spinner turns and frames keep coming', async (t) => {
  const lines = await runToCompletion({ variant: 'async-sleep', seconds: '2' });
  assert.match(lines[0], /^spinner object: <Task pending name='spinner-1'/);
  assert.equal(lines.at(-1), 'Answer: 42');
  const m = await meter();
  t.diagnostic(`async-sleep 2 s: ${JSON.stringify(m)}`);
  assert.ok(m.spinnerFrames >= 15, `spinner frames ${m.spinnerFrames} >= 15`);
  assert.ok(m.longestGapMs < 250, `longest gap ${m.longestGapMs} ms < 250 ms`);
  const row = await historyRows().first().locator('td').allInnerTexts();
  assert.equal(row[1], 'async-sleep');
  assert.match(row[3], /^2\.\d\ds$/);
  assert.equal(row[7], 'Answer: 42');
});

/** The "What happened" sentence, once the finished run's meter figure is in it. */
async function whatHappened(figure) {
  const sentence = app.page.locator('.what-happened .sentence');
  await app.page.waitForFunction((f) => document.querySelector('.what-happened .sentence')?.textContent.includes(f), figure);
  return sentence.innerText();
}

test('What happened: a blocking run states the freeze the meter measured; an async run its frames', async (t) => {
  await runToCompletion({ variant: 'blocking-sleep', seconds: '1.5' });
  const blocked = await historyRows().first().locator('td').allInnerTexts();
  // The row's "Longest frame gap" (e.g. 1,504 ms) and elapsed (1.50s) are the sentence's figures.
  const froze = await whatHappened(`The page froze for ${blocked[5]}`);
  t.diagnostic(froze);
  assert.ok(froze.includes(`in ${blocked[3].replace('s', ' s')}.`), froze);
  assert.ok(Number(blocked[5].replace(/\D/g, '')) >= 1400, blocked[5]);
  await runToCompletion({ variant: 'async-sleep', seconds: '1' });
  const turned = await historyRows().first().locator('td').allInnerTexts();
  const sentence = await whatHappened(`The spinner kept turning: ${turned[4]} spinner frames in ${turned[3].replace('s', ' s')}`);
  t.diagnostic(sentence);
  assert.ok(sentence.includes(`the longest gap between frames was ${turned[5]}`), sentence);
  assert.equal(await app.page.getByRole('status').filter({ hasText: 'What happened:' }).count(), 1);
});

test('async-sleep: the spinner line is redrawn in place while slow() waits', async () => {
  await app.gotoApp('/spinner?variant=async-sleep&seconds=1.5&message=busy&frames=ab');
  await runButton().click();
  const live = app.page.locator('.transcript .live');
  await live.waitFor();
  const seen = new Set();
  for (let i = 0; i < 10 && seen.size < 2; i++) {
    seen.add(await live.innerText());
    await app.page.waitForTimeout(60);
  }
  assert.deepEqual([...seen].sort(), ['a busy', 'b busy']);
  await transcript().getByText('Answer: 42').waitFor();
  assert.equal(await live.count(), 0, 'the spinner line is cleared before the answer');
});

test('blocking-sleep: no frame during the block, the gap covers it', async (t) => {
  const lines = await runToCompletion({ variant: 'blocking-sleep', seconds: '2' });
  assert.deepEqual(lines.slice(1), ['Answer: 42'], 'no spinner frame was ever printed');
  const m = await meter();
  t.diagnostic(`blocking-sleep 2 s: ${JSON.stringify(m)}`);
  assert.equal(m.spinnerFrames, 0);
  assert.ok(m.longestGapMs >= 1900, `longest gap ${m.longestGapMs} ms >= 1900 ms`);
  assert.ok(m.blockedMs >= 1900, `long tasks ${m.blockedMs} ms >= 1900 ms`);
  assert.match(await app.page.locator('.stop-note').innerText(), /cannot interrupt/);
  // The strip chart is over time: the freeze is one bar as wide as its share of the time shown.
  const strip = await app.page.locator('.strip rect').evaluateAll((rects) => rects.map((r) => [r.getAttribute('class'), Number(r.getAttribute('width'))]));
  const total = strip.reduce((sum, [, w]) => sum + w, 0);
  const frozen = Math.max(...strip.filter(([c]) => c === 'frozen').map(([, w]) => w));
  assert.ok(frozen / total > 0.3, `the freeze takes ${(100 * frozen / total).toFixed(0)} % of the strip`);
});

test('worker-prime: the big prime is checked in a worker while frames keep flowing', async (t) => {
  await app.gotoApp('/spinner?variant=worker-prime');
  await app.page.getByRole('button', { name: /Largest u64 prime/ }).click();
  assert.equal(await app.page.getByLabel('Number', { exact: true }).inputValue(), LARGEST_U64_PRIME);
  await runButton().click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1, null, { timeout: 90_000 });
  const lines = (await transcript().innerText()).split('\n');
  assert.equal(lines.at(-1), '18,446,744,073,709,551,557 is prime');
  const m = await meter();
  t.diagnostic(`worker-prime largest u64 prime: ${JSON.stringify(m)}; ${(await historyRows().first().locator('td').nth(3).innerText())}`);
  assert.ok(m.longestGapMs < 150, `longest gap ${m.longestGapMs} ms < 150 ms while the worker computed`);
  assert.ok(m.spinnerFrames >= 10, `spinner kept turning: ${m.spinnerFrames} frames`);
  await app.page.locator('[data-live-workers="0"]').waitFor();
  await waitForNoWorkers();
});

test('Stop on a worker run ends it within 200 ms and leaves no worker alive', async (t) => {
  await app.gotoApp(`/spinner?variant=worker-prime&number=${LARGEST_U64_PRIME}`);
  await runButton().click();
  await app.page.locator('[data-live-workers="1"]').waitFor();
  await app.page.waitForFunction(() => Number(document.querySelector('[data-meter="spinner-frames"]').textContent) >= 3);
  assert.equal(app.page.workers().length, 1, 'one worker computing');
  const stoppedInMs = await app.page.evaluate(async () => {
    const clicked = performance.now();
    document.querySelector('button.stop').click();
    const log = document.querySelector('[role="log"]');
    while (!(log.innerText.includes('Cancelled') && document.querySelector('[data-live-workers="0"]'))) {
      await new Promise((r) => setTimeout(r, 5));
    }
    return performance.now() - clicked;
  });
  t.diagnostic(`Stop → cancelled + worker terminated in ${stoppedInMs.toFixed(1)} ms`);
  assert.ok(stoppedInMs < 200, `stopped in ${stoppedInMs.toFixed(0)} ms`);
  await waitForNoWorkers();
  const lines = (await transcript().innerText()).split('\n');
  assert.match(lines.at(-1), /^Cancelled: .* worker was terminated after \d+\.\d\ds\.$/);
  assert.ok(!lines.some((l) => l.includes('is prime')), 'no result printed');
  assert.equal(await historyRows().first().locator('td').nth(7).innerText(), 'cancelled');
  // A second run works after a Stop.
  await app.page.getByLabel('Number', { exact: true }).fill('5000111000222021');
  await runButton().click();
  await transcript().getByText('5,000,111,000,222,021 is prime').waitFor({ timeout: 30_000 });
  await waitForNoWorkers();
});

test('Stop cancels an async run at once', async () => {
  await app.gotoApp('/spinner?variant=async-sleep&seconds=20');
  await runButton().click();
  await app.page.locator('.transcript .live').waitFor();
  await stopButton().click();
  await transcript().getByText(/^Cancelled: the spinner task was aborted; no result\. Stopped after/).waitFor();
  await app.page.waitForTimeout(300);
  assert.equal(await app.page.locator('.transcript .live').count(), 0, 'spinner stopped drawing');
  assert.ok(await runButton().isEnabled());
});

async function waitForNoWorkers() {
  assert.equal(await app.waitForNoWorkers(), 0, 'no Web Worker left alive');
}

test('a URL with parameters fills the form, and editing updates the URL', async () => {
  await app.gotoApp('/spinner?variant=blocking-sleep&message=hello%20there&frames=ab&period=50&seconds=2.5');
  const page = app.page;
  assert.equal(await page.getByLabel('Variant', { exact: true }).inputValue(), 'blocking-sleep');
  assert.equal(await page.getByLabel('Message', { exact: true }).inputValue(), 'hello there');
  assert.equal(await page.getByLabel('Frames', { exact: true }).inputValue(), 'ab');
  assert.equal(await page.getByLabel('Frame period (ms)', { exact: true }).inputValue(), '50');
  assert.equal(await page.getByLabel('Seconds', { exact: true }).inputValue(), '2.5');
  await page.getByLabel('Seconds', { exact: true }).fill('1');
  await page.getByLabel('Variant', { exact: true }).selectOption('nap-prime');
  await page.waitForFunction(() => location.hash.includes('nap-prime'));
  const hash = decodeURIComponent(await page.evaluate(() => location.hash));
  assert.match(hash, /^#\/spinner\?variant=nap-prime&/);
  assert.match(hash, /message=hello there/);
  assert.match(hash, /number=5000111000222021/);
});

test('invalid URL values fall back to defaults with a visible notice', async () => {
  await app.gotoApp('/spinner?variant=teleport&seconds=abc&colour=red');
  const notices = await app.page.getByRole('status').filter({ hasText: 'Ignored' }).innerText();
  assert.match(notices, /variant=teleport/);
  assert.match(notices, /seconds=abc/);
  assert.match(notices, /colour/);
  assert.equal(await app.page.getByLabel('Variant', { exact: true }).inputValue(), 'async-sleep');
  assert.equal(await app.page.getByLabel('Seconds', { exact: true }).inputValue(), '3');
});

test('bad input shows a message next to the field and runs nothing', async () => {
  // A finished run first: what is on screen must survive the bad attempts.
  const lines = await runToCompletion({ variant: 'async-sleep', seconds: '0.2' });
  const page = app.page;
  const cases = [
    ['async-sleep', 'Seconds', '-1', /negative/],
    ['async-sleep', 'Seconds', 'abc', /must be a number/],
    ['async-sleep', 'Frames', '', /at least one character/],
    ['async-sleep', 'Frame period (ms)', '0', /from 10 to 5000/],
    ['worker-prime', 'Number', 'abc', /whole number/],
    ['worker-prime', 'Number', '-5', /negative/],
    ['worker-prime', 'Number', '18446744073709551616', /above the largest/],
  ];
  for (const [variant, label, value, message] of cases) {
    await page.getByLabel('Variant', { exact: true }).selectOption(variant);
    await expectRejected(assert, page, label, value, message);
  }
  assert.deepEqual((await transcript().innerText()).split('\n'), lines);
});

test('nap-prime: the check yields every 100,000 divisions, so the spinner keeps turning', async () => {
  const lines = await runToCompletion({ variant: 'nap-prime', number: '9999999999999917' }, { timeout: 60_000 });
  assert.equal(lines.at(-1), '9,999,999,999,999,917 is prime');
  const m = await meter();
  assert.ok(m.spinnerFrames >= 3, `spinner frames ${m.spinnerFrames} >= 3`);
  assert.ok(m.longestGapMs < 250, `longest gap ${m.longestGapMs} ms < 250 ms`);
});

test('blocking-prime: the big prime on the main thread freezes the page', async () => {
  const lines = await runToCompletion({ variant: 'blocking-prime', number: LARGEST_U64_PRIME }, { timeout: 60_000 });
  assert.deepEqual(lines.slice(1), ['18,446,744,073,709,551,557 is prime']);
  const m = await meter();
  assert.equal(m.spinnerFrames, 0);
  assert.ok(m.longestGapMs >= 1000, `longest gap ${m.longestGapMs} ms >= 1000 ms`);
});

/** The spinner thread's figures, from the worker's report at join(), and the block the page measured. */
async function threadMeter() {
  const text = async (name) => app.page.locator(`[data-meter="${name}"]`).textContent();
  const joined = await transcript().getByText(/^\(done\.set\(\)/).innerText();
  return {
    framesInBlock: Number(await text('worker-frames-in-block')),
    imagesInBlock: Number(await text('worker-images-in-block')),
    blockMs: Number(joined.match(/held the main thread for ([\d,]+) ms/)[1].replace(/,/g, '')),
  };
}

test('thread-spinner: a Web Worker keeps drawing on its OffscreenCanvas while time.sleep freezes the page', async (t) => {
  const lines = await runToCompletion({ variant: 'thread-spinner', seconds: '2' });
  t.diagnostic(lines.join('\n'));
  assert.equal(lines[0], "spinner object: <Thread(spinner-1, initial)>: a Web Worker that will draw on an OffscreenCanvas");
  assert.match(lines[1], /^\(the worker drew its first frame [\d,]+ ms after start\(\)/);
  assert.match(lines[2], /^\(done\.set\(\); join\(\) returned after [\d,]+ ms: while time\.sleep\(2\) held the main thread for [\d,]+ ms, the worker drew \d+ frames \(4 different images\), \d+ in all\)$/);
  assert.equal(lines.at(-1), 'Answer: 42');
  // The page's side: the frame meter saw no frame for the whole sleep.
  const m = await meter();
  // The worker's side: frames it timestamped inside the block, and the canvas's pixels it read back.
  const thread = await threadMeter();
  t.diagnostic(`page ${JSON.stringify(m)}; worker ${JSON.stringify(thread)}`);
  assert.ok(m.longestGapMs >= 1900, `the page froze: longest gap ${m.longestGapMs} ms >= 1900 ms`);
  assert.ok(thread.blockMs >= 1990, `slow() held the main thread ${thread.blockMs} ms`);
  assert.ok(thread.framesInBlock >= 8, `the worker drew ${thread.framesInBlock} frames during the block (>= 8 at 100 ms)`);
  assert.equal(thread.imagesInBlock, 4, 'each of the four frame characters gave the canvas other pixels');
  assert.ok(m.spinnerFrames > thread.framesInBlock, 'all frames count the one drawn before the block');
  // The canvas on the page is the one the worker drew on: the page handed its control over.
  const canvas = app.page.getByRole('img', { name: /spinner thread's canvas/ });
  assert.equal(await canvas.evaluate((c) => { try { c.getContext('2d'); return 'kept'; } catch (e) { return e.name; } }), 'InvalidStateError');
  const row = await historyRows().first().locator('td').allInnerTexts();
  assert.equal(row[1], 'thread-spinner');
  assert.equal(row[4], `${m.spinnerFrames} by the worker, ${thread.framesInBlock} while blocked`);
  const sentence = await whatHappened(`The page froze for ${row[5]} (no frame drawn)`);
  t.diagnostic(sentence);
  assert.ok(sentence.includes(`the worker's spinner drew ${thread.framesInBlock} frames (4 different images)`), sentence);
  await app.page.locator('[data-live-workers="0"]').waitFor();
  await waitForNoWorkers();
  // Again: a fresh canvas for the new run, and a fresh worker.
  await runButton().click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 2, null, { timeout: 30_000 });
  assert.equal((await transcript().innerText()).split('\n').at(-1), 'Answer: 42');
  assert.ok((await threadMeter()).framesInBlock >= 8);
  await waitForNoWorkers();
});

test('thread-spinner: the worker\'s frames reach the browser\'s compositor while the page is blocked', async (t) => {
  // Chromium's own record (a trace): the main thread's long task, and the frames each compositor
  // surface received meanwhile — the worker's canvas is the only one that can send any.
  await app.gotoApp('/spinner?variant=thread-spinner&seconds=2');
  await app.browser.startTracing(app.page, { categories: ['viz', 'devtools.timeline'] });
  await runButton().click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1, null, { timeout: 30_000 });
  const events = JSON.parse((await app.browser.stopTracing()).toString()).traceEvents;
  const block = events.filter((e) => e.ph === 'X' && e.cat.includes('devtools.timeline')).sort((a, b) => b.dur - a.dur)[0];
  assert.ok(block.dur >= 1_900_000, `the main thread's longest task: ${block.name}, ${block.dur / 1000} ms`);
  const perSurface = new Map();
  for (const e of events) {
    if (e.name === 'Surface::CommitFrame' && e.ts > block.ts && e.ts < block.ts + block.dur) {
      const sink = String(e.args?.SurfaceId).match(/FrameSinkId\([^)]*\)/)?.[0];
      perSurface.set(sink, (perSurface.get(sink) ?? 0) + 1);
    }
  }
  t.diagnostic(`during the ${Math.round(block.dur / 1000)} ms ${block.name}: frames per surface ${JSON.stringify([...perSurface])}; worker ${JSON.stringify(await threadMeter())}`);
  assert.ok(Math.max(0, ...perSurface.values()) >= 8, 'the canvas\'s surface received >= 8 frames while the page was blocked');
});

test('thread-spinner: Stop pressed during the sleep takes effect once it returns, and ends the worker', async (t) => {
  await app.gotoApp('/spinner?variant=thread-spinner&seconds=3');
  const stop = await stopButton().boundingBox();
  await runButton().click();
  // The main thread is blocked once it stops answering (the worker started and drew its first frame).
  const answers = () => Promise.race([app.page.evaluate(() => true), new Promise((r) => setTimeout(() => r(false), 500))]);
  const deadline = Date.now() + 15_000;
  while (await answers() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal(app.page.workers().length, 1, 'the spinner thread is running');
  // A click sent as the input it is: it waits in the page's queue until the main thread is free.
  const cdp = await app.context.newCDPSession(app.page);
  const at = { x: stop.x + stop.width / 2, y: stop.y + stop.height / 2, button: 'left', clickCount: 1 };
  const clicked = Date.now();
  const click = Promise.all([
    cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at }),
    cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at }),
  ]);
  await transcript().getByText(/^Cancelled: /).waitFor({ timeout: 10_000 });
  await click;
  t.diagnostic(`Stop clicked during the block; seen ${Date.now() - clicked} ms later`);
  const lines = (await transcript().innerText()).split('\n');
  t.diagnostic(lines.join('\n'));
  assert.match(lines[1], /^\(the worker drew its first frame/);
  assert.match(lines.at(-1), /^Cancelled: .* The worker was terminated after (\d+\.\d\d)s\.$/);
  const after = Number(lines.at(-1).match(/after (\d+\.\d\d)s/)[1]);
  assert.ok(after >= 2.9, `Stop took effect after the 3 s sleep (${after} s)`);
  assert.ok(!lines.some((l) => l.startsWith('(done.set()') || l === 'Answer: 42'), 'slow() returned, but the run ended there');
  assert.equal(await historyRows().first().locator('td').nth(7).innerText(), 'cancelled');
  await app.page.locator('[data-live-workers="0"]').waitFor();
  await waitForNoWorkers();
  // A run after the Stop works.
  await app.page.getByLabel('Seconds', { exact: true }).fill('0.5');
  await runButton().click();
  await transcript().getByText('Answer: 42').waitFor({ timeout: 20_000 });
  await waitForNoWorkers();
});
