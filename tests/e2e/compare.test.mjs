// "Compare": one click runs a lab's two contrasting variants back to back, on the reader's
// parameters, and the run history shows them side by side (issue 13).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from './harness.mjs';

const app = useApp();

const CASES = [
  ['/spinner?variant=async-sleep&seconds=0.4', /^Compare blocking-sleep with async-sleep$/, [/blocking-sleep/, /async-sleep/]],
  ['/spinner?variant=thread-spinner&seconds=0.4', /^Compare blocking-sleep with thread-spinner$/, [/blocking-sleep\t.*\t0\t/, /thread-spinner\t.*by the worker/]],
  ['/primes?mode=sequential-worker&numbers=2,3,5,7', /^Compare 1 worker with \d+$/, [/procs/, /procs/]],
  ['/rates?script=thread_pool&latency=0.1', /^Compare synchronous with async_gather$/, [/synchronous/, /async_gather/]],
  ['/executors?delays=3%200%201%202&scale=0.1', /^Compare map with as_completed$/, [/\tmap\t/, /\tas_completed\t/]],
  ['/flags?mode=flags2&cc=BR%20CN%20IN%20US&seed=5', /^Compare sequential with concurrent on DELAY$/, [/sequential\tDELAY\t4\t1\t4\t/, /concurrent\tDELAY\t4\t4\t4\t/]],
  ['/cpu?mode=pool&workers=1&seed=1', /^Compare 1 worker with \d+$/, [/^1\trc4\t1\t1\t/, /^2\trc4\t1\t[2-9]\d*\t/]],
  ['/memory?demo=thread_visits&workers=4&increments=200000&update=atomic', /^Compare read-then-write with lock$/, [/read-then-write/, /lock/]],
];

test('Compare runs the two contrasting variants one after the other, each in its own history row', async () => {
  for (const [hash, label, variants] of CASES) {
    await app.gotoApp(hash);
    const compare = app.page.locator('button.compare');
    assert.match(await compare.innerText(), label, hash);
    await compare.click();
    await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 2
      && !document.querySelector('button.run').disabled, null, { timeout: 60_000 });
    // Newest first: the second variant on top.
    const rows = await app.page.locator('.history tbody tr').allInnerTexts();
    assert.match(rows[1], variants[0], `${hash}: first run`);
    assert.match(rows[0], variants[1], `${hash}: second run`);
    assert.equal(await app.waitForNoWorkers(), 0, hash);
  }
});

test('Compare with bad input runs nothing; Stop ends both runs', async () => {
  await app.gotoApp('/rates');
  const latency = app.page.getByLabel('Latency (s)', { exact: true });
  await latency.fill('abc');
  await app.page.locator('button.compare').click();
  await app.page.locator(`#${await latency.getAttribute('id')}-error`).waitFor();
  assert.equal(await app.page.locator('.history tbody tr').count(), 0);

  await app.gotoApp('/memory?demo=waiters&sleep=asyncio.sleep');
  await app.page.locator('button.compare').click();
  await app.page.getByRole('button', { name: 'Stop', exact: true }).waitFor({ state: 'visible' });
  await app.page.waitForTimeout(300);
  // The blocking waiters hold the page: Stop is pressed once they let go, and nothing follows.
  await app.page.getByRole('button', { name: 'Stop', exact: true }).click({ timeout: 30_000 });
  await app.page.waitForFunction(() => !document.querySelector('button.run').disabled);
  const log = await app.page.getByRole('log', { name: 'Transcript' }).innerText();
  await app.page.waitForTimeout(3000);
  assert.equal(await app.page.getByRole('log', { name: 'Transcript' }).innerText(), log, 'the second run never started');
});
