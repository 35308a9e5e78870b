// Shared-memory lab (Expert Python Programming 4e, ch. 6, second half), driven like a reader,
// against the sub-path release build: threads that race on one counter in a SharedArrayBuffer
// (and a lock and an atomic add that do not), a fork's copied memory, processes, a pipe,
// sharedctypes, and the first coroutines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { useApp, expectRejected } from './harness.mjs';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const app = useApp();

const transcript = () => app.page.getByRole('log', { name: 'Transcript' });
const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });
const stopButton = () => app.page.getByRole('button', { name: 'Stop', exact: true });
const lines = async () => (await transcript().innerText()).split('\n').filter((l) => l !== '');

/** Presses Run and waits until this run is over and a line matches `last`. */
async function runToEnd(last, { timeout = 120_000 } = {}) {
  const lab = app.page.locator('article.memory-lab');
  const runs = Number(await lab.getAttribute('data-runs'));
  await runButton().click();
  await app.page.waitForFunction(
    ([source, runs]) => {
      const lab = document.querySelector('article.memory-lab');
      const log = document.querySelector('[role=log]');
      return Number(lab.dataset.runs) > runs && lab.dataset.running === 'false'
        && new RegExp(source, 'm').test(log.innerText);
    },
    [last.source, runs],
    { timeout },
  );
  return lines();
}

async function open(params) {
  await app.gotoApp(`/memory?${new URLSearchParams(params)}`);
}

/** One thread_visits run: the transcript's count. */
async function visits(workers, increments, update) {
  await open({ demo: 'thread_visits', workers, increments, update });
  const out = await runToEnd(/^thread_count=/);
  const match = out.at(-1).match(/^thread_count=(\d+), thread_visits=(\d+)$/);
  assert.ok(match, out.join('\n'));
  assert.equal(Number(match[1]), workers);
  // "What happened" says it with this run's figures.
  const [counted, expected] = [Number(match[2]), workers * increments].map((n) => n.toLocaleString('en'));
  const sentence = await app.page.locator('.what-happened .sentence').innerText();
  if (Number(match[2]) < workers * increments) {
    assert.match(sentence, new RegExp(`the counter reached ${counted} of ${expected}: [\\d,]+ updates \\([\\d.]+ %\\) were lost`), sentence);
  } else {
    assert.match(sentence, new RegExp(`^(All ${expected} updates counted|No update was lost this time \\(${counted} counted\\))`), sentence);
  }
  return Number(match[2]);
}

test('the page is cross-origin isolated, so the workers can share memory', async () => {
  await open({});
  assert.equal(await app.page.evaluate(() => self.crossOriginIsolated), true);
  await app.page.locator('[data-isolation="isolated"]').waitFor();
});

test('thread_visits: 4 × 1,000,000 unlocked updates lose visits; the lock and Atomics.add lose none', async (t) => {
  const expected = 4_000_000;
  const unlocked = [];
  for (let i = 0; i < 3; i++) unlocked.push(await visits(4, 1_000_000, 'read-then-write'));
  t.diagnostic(`read-then-write: ${unlocked.join(', ')}`);
  assert.ok(unlocked.every((n) => n <= expected && n > 0), unlocked.join(', '));
  assert.ok(unlocked.filter((n) => n < expected).length >= 1, `at least one run of three loses updates: ${unlocked.join(', ')}`);
  const plusEquals = await visits(4, 1_000_000, '+=');
  t.diagnostic(`+=: ${plusEquals}`);
  assert.ok(plusEquals <= expected);
  for (const update of ['lock', 'atomic']) {
    assert.equal(await visits(4, 1_000_000, update), expected, update);
    assert.equal(await app.page.locator('[data-visits="lost"]').innerText(), '0 (0.00 %)');
  }
  // The run history: this page's run.
  const rows = app.page.locator('.history tbody tr');
  const cells = await rows.first().locator('td').allInnerTexts();
  assert.deepEqual(cells.slice(0, 6), ['1', '4', '1,000,000', 'atomic', '4,000,000', '4,000,000']);
  assert.equal(await rows.count(), 1, 'one row per run of this page');
  // The book's three runs below them, in the table's footer.
  const book = await app.page.locator('.history tfoot tr').allInnerTexts();
  assert.deepEqual(book.map((row) => row.split('\t').slice(0, 1).concat(row.split('\t')[5])), [['book run 1', '6,859,624'], ['book run 2', '7,234,223'], ['book run 3', '7,194,665']]);
  assert.equal(await app.waitForNoWorkers(), 0);
});

test('thread_visits: the book’s 100 threads × 100,000 run for real', async (t) => {
  const counted = await visits(100, 100_000, 'read-then-write');
  t.diagnostic(`100 × 100,000 read-then-write: ${counted}`);
  assert.ok(counted <= 10_000_000 && counted > 0);
  assert.equal(await app.waitForNoWorkers(), 0);
});

test('forks: the child starts with a copy of the list, then the two lists diverge', async () => {
  await open({ demo: 'forks' });
  const out = await runToEnd(/^CHLD: all the pids/);
  const page = Number(out[2].match(/\[(\d+), (\d+)\]$/)[1]);
  const child = Number(out[1].match(/^PRNT: the child pid is (\d+)$/)[1]);
  assert.ok(child > page, `${child} > ${page}`);
  assert.deepEqual(out, [
    'PRNT: hey, I am the parent process',
    `PRNT: the child pid is ${child}`,
    `PRNT: all the pids I know [${page}, ${page}]`,
    'CHLD: hey, I am the child process',
    `CHLD: all the pids I know [${page}, ${child}]`,
  ]);
  // The page's pid is the same on the next run; the next worker gets the next number.
  const again = await runToEnd(/^CHLD: all the pids/);
  assert.equal(again[2], out[2]);
  assert.equal(again[1], `PRNT: the child pid is ${child + 1}`);
});

test('basic_multiprocessing: each process says who it is, in the order they answer', async () => {
  await open({ demo: 'basic_multiprocessing', processes: '5' });
  const out = await runToEnd(/(^Hey, I am the process \d, pid: \d+$\n?){5}/);
  assert.equal(out.length, 5);
  const seen = out.map((l) => l.match(/^Hey, I am the process (\d), pid: (\d+)$/)).map((m) => [Number(m[1]), Number(m[2])]);
  assert.deepEqual(seen.map(([i]) => i).sort(), [0, 1, 2, 3, 4]);
  assert.equal(new Set(seen.map(([, pid]) => pid)).size, 5, 'five distinct pids');
  assert.equal(await app.waitForNoWorkers(), 0);
});

test('pipes: copies arrive, the instance loses its class, a function cannot be sent', async () => {
  await open({ demo: 'pipes' });
  const out = await runToEnd(/^DataCloneError/);
  assert.deepEqual(out.slice(0, 9), [
    'PRNT: send: 42',
    'PRNT: send: some string',
    "PRNT: send: {'one': 1}",
    'PRNT: send: <CustomClass object>',
    'PRNT: send: None',
    'CHLD: recv: 42',
    'CHLD: recv: some string',
    "CHLD: recv: {'one': 1}",
    "CHLD: recv: {}  # a copy whose class is Object: CustomClass's prototype did not travel",
  ]);
  assert.equal(out[9], 'PRNT: send: <function work>');
  assert.match(out[10], /^DataCloneError: .*could not be cloned\.  # structured cloning copies data, never code/);
  assert.equal(out.length, 11);
});

test('sharedctypes: the page reads what the worker wrote into the shared memory', async () => {
  await open({ demo: 'sharedctypes' });
  const out = await runToEnd(/^\[0, -1/);
  assert.deepEqual(out, ['3.1415927', '[0, -1, -2, -3, -4, -5, -6, -7, -8, -9]']);
});

test('async_hello prints the unpolled future, then hello world!', async () => {
  await open({ demo: 'async_hello' });
  const out = await runToEnd(/^hello world!$/);
  assert.match(out[0], /^<future labs::memory::script::async_hello::\{\{closure\}\} \(\d+ bytes?\) at 0x[0-9a-f]+: not polled, nothing ran>$/);
  assert.equal(out[1], 'hello world!');
});

test('async_print: a seed repeats the order, which is not the order of creation', async () => {
  await open({ demo: 'async_print', seed: '1' });
  const first = await runToEnd(/(^\d$\n?){10}/);
  assert.deepEqual([...first].sort(), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.notDeepEqual(first, [...first].sort());
  assert.deepEqual(await runToEnd(/(^\d$\n?){10}/), first);
});

test('waiters: time.sleep takes the sum of the sleeps, await asyncio.sleep about the longer waiter', async (t) => {
  const real = (out) => {
    const m = out.at(-1).match(/^real\t0m(\d+\.\d{3})s$/);
    assert.ok(m, out.at(-1));
    return Number(m[1]);
  };
  const sum = (out, name) => out.filter((l) => l.startsWith(`${name} waited`))
    .map((l) => Number(l.match(/waited ([\d.]+) seconds/)[1])).reduce((a, b) => a + b, 0);
  await open({ demo: 'waiters', sleep: 'time.sleep', seed: '5' });
  const blocking = await runToEnd(/^real\t/);
  assert.deepEqual(blocking.slice(0, 8).map((l) => l.split(' ')[0]), [...Array(4).fill('first'), ...Array(4).fill('second')]);
  const total = sum(blocking, 'first') + sum(blocking, 'second');
  t.diagnostic(`blocking: real ${real(blocking)} s for ${total} s of sleeps`);
  assert.ok(Math.abs(real(blocking) - total) < 0.2);
  await open({ demo: 'waiters', sleep: 'asyncio.sleep', seed: '5' });
  const awaiting = await runToEnd(/^real\t/);
  const longer = Math.max(sum(awaiting, 'first'), sum(awaiting, 'second'));
  t.diagnostic(`await: real ${real(awaiting)} s, the longer waiter ${longer} s`);
  assert.ok(real(awaiting) >= longer - 0.01 && real(awaiting) < longer + 0.3);
});

test('Stop ends 256 racing workers at once and releases their memory', async () => {
  await open({ demo: 'thread_visits', workers: '256', increments: '10,000,000', update: 'lock' });
  await runButton().click();
  await app.page.waitForFunction(() => Number(document.querySelector('[data-live-workers]')?.dataset.liveWorkers) === 256, null, { timeout: 60_000 });
  await stopButton().click();
  assert.match((await lines()).at(-1), /^KeyboardInterrupt — stopped after \d+\.\d\ds, 256 workers terminated\.$/);
  assert.equal(await app.page.locator('[data-live-workers]').getAttribute('data-live-workers'), '0');
  assert.equal(await app.waitForNoWorkers(), 0);
});

test('bad input is refused next to its field, and nothing runs', async () => {
  await open({ demo: 'thread_visits' });
  await expectRejected(assert, app.page, 'Workers (threads)', '257', /Workers must be a whole number from 1 to 256/);
  await expectRejected(assert, app.page, 'Increments per thread', '0', /Increments must be a whole number from 1 to 10,000,000/);
  await open({ demo: 'sharedctypes' });
  await expectRejected(assert, app.page, 'Array length', 'ten', /Array length must be a whole number from 1 to 1000/);
});

test('no axe-core violation on any demo, before and after a run', async () => {
  const violations = async () => {
    await app.page.evaluate(axeSource); // evaluated by the test driver, not as a page script
    return app.page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`));
  };
  for (const [params, last] of [
    [{ demo: 'thread_visits', workers: '2', increments: '1000' }, /^thread_count=/],
    [{ demo: 'forks' }, /^CHLD: all/],
    [{ demo: 'waiters', sleep: 'asyncio.sleep', seed: '1' }, /^real/],
  ]) {
    await open(params);
    assert.deepEqual(await violations(), [], `${params.demo} before a run`);
    await runToEnd(last);
    assert.deepEqual(await violations(), [], `${params.demo} after a run`);
  }
});
