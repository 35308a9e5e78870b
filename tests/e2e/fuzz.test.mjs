// Hostile input, typed and through the URL, in every field of every lab: nothing is injected into
// the page, nothing throws, and a value a field refuses starts no run (its message is shown instead).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from './harness.mjs';

const app = useApp({ allowErrors: [/ERR_/, /status of 4\d\d/] });

// Every field's URL key, per lab (the forms' declarations).
const KEYS = {
  spinner: ['variant', 'message', 'frames', 'period', 'seconds', 'number'],
  executors: ['demo', 'delays', 'workers', 'collect', 'scale', 'server'],
  flags: ['mode', 'server', 'base_url', 'min_delay', 'max_delay', 'error_rate', 'seed', 'ext', 'cc', 'all', 'every', 'limit', 'max_req', 'verbose', 'timeout'],
  primes: ['mode', 'workers', 'numbers', 'runs', 'max_n'],
};

const HOSTILE = [
  '<img src=x onerror="window.pwned=1">',
  '"><script>window.pwned=1</script>',
  'javascript:window.pwned=1',
  '-1',
  '1e999',
  'NaN',
  '9'.repeat(400),
  '0x10',
  ' ',
  '\u202e💥',
  '%00',
  '{{7*7}}',
];

/** Nothing of the hostile text became markup or code. */
async function assertClean(where) {
  const found = await app.page.evaluate(() => ({
    pwned: window.pwned ?? null,
    scripts: document.querySelectorAll('script:not([src])').length,
    images: document.querySelectorAll('img[src="x"]').length,
  }));
  assert.deepEqual(found, { pwned: null, scripts: 0, images: 0 }, where);
}

test('hostile values through the URL fill no markup and start nothing', async () => {
  let loads = 0;
  for (const [lab, keys] of Object.entries(KEYS)) {
    for (const key of keys) {
      for (const value of HOSTILE) {
        await app.gotoApp(`/${lab}?${key}=${encodeURIComponent(value)}&${key}=${encodeURIComponent(value)}`);
        await app.page.locator('.lab-form').waitFor();
        await assertClean(`${lab} ${key}=${value}`);
        assert.equal(await app.page.locator('.history tbody tr').count(), 0, 'a link starts no run');
        loads++;
      }
    }
  }
  assert.equal(loads, 32 * HOSTILE.length);
});

// Each lab in the modes that show all its fields, with parameters that make any run short.
const TYPED = [
  ['/spinner?variant=async-sleep&seconds=0.1', ['Message', 'Frames', 'Frame period (ms)', 'Seconds']],
  ['/spinner?variant=worker-prime&number=7', ['Number']],
  // The message and frames travel to the spinner thread's worker.
  ['/spinner?variant=thread-spinner&seconds=0.1', ['Message', 'Frames']],
  ['/executors?delays=0.1&scale=0.1', ['Delays (s)', 'Max workers', 'Time scale']],
  ['/flags?mode=flags2&server=ERROR&cc=BR&min_delay=0&max_delay=0.1', ['Min delay (s)', 'Max delay (s)', 'Error rate', 'Seed', 'Country codes', 'Limit (-l)', 'Max concurrent (-m)', 'Timeout (s)']],
  ['/flags?mode=flags2&server=REMOTE&cc=BR', ['Base URL']],
  ['/primes?mode=procs&workers=1&numbers=2,3', ['Workers', 'Numbers']],
  ['/primes?mode=sweep&numbers=2,3&runs=1&max_n=1', ['Runs per N', 'Max N']],
  ['/rates?script=throttling&latency=0.05', ['Bases', 'Workers', 'Throttle rate (per s)', 'Latency (s)', 'Error rate', 'Seed']],
  ['/memory?demo=thread_visits&workers=2&increments=1000', ['Workers (threads)', 'Increments per thread']],
  ['/memory?demo=basic_multiprocessing&processes=2', ['Processes']],
  ['/memory?demo=sharedctypes', ['Array length']],
  ['/memory?demo=async_print', ['Seed']],
  ['/cpu?mode=pool&workers=1', ['Workers', 'Data ×', 'Seed']],
  ['/cpu?mode=table&max_workers=1&repeats=1', ['Max workers', 'Repeats']],
];

test('hostile values typed into every field: refused with a message and no run, or taken as plain text', async () => {
  const runs = () => app.page.locator('.history tbody tr').count();
  for (const [hash, labels] of TYPED) {
    await app.gotoApp(hash);
    for (const label of labels) {
      const field = app.page.getByLabel(label, { exact: true });
      const good = await field.inputValue();
      for (const value of HOSTILE) {
        const before = await runs();
        // A lab that keeps history rows for some demos only says on its article when a run ended.
        const started = await app.page.evaluate(() => document.querySelector('[data-runs]')?.dataset.runs ?? null);
        await field.fill(value);
        await app.page.getByRole('button', { name: 'Run', exact: true }).click();
        const error = app.page.locator(`#${await field.getAttribute('id')}-error`);
        if (await error.count()) {
          assert.equal(await runs(), before, `${hash} ${label}=${JSON.stringify(value)} was refused and ran nothing`);
          assert.equal(await field.getAttribute('aria-invalid'), 'true');
        } else {
          // Taken: a short run starts; wait for its history row (Stop it if it takes long).
          const row = (n) => app.page.waitForFunction(([n, started]) => {
            const lab = document.querySelector('[data-runs]');
            return document.querySelectorAll('.history tbody tr').length === n
              || (lab && started !== null && Number(lab.dataset.runs) > Number(started) && lab.dataset.running === 'false');
          }, [n + 1, started], { timeout: 10_000 });
          await row(before).catch(async () => {
            await app.page.getByRole('button', { name: 'Stop', exact: true }).click();
            await row(before);
          });
        }
        await assertClean(`${hash} ${label}=${value}`);
      }
      await field.fill(good);
    }
  }
  assert.equal(app.page.workers().length, 0);
});
