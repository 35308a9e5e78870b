// A lab with the keyboard alone: Enter in a field runs, focus moves to the button that can be pressed
// next, a skip link reaches the lab, the transcript can be focused and follows the newest line; each
// page has its own title, and the URL carries the parameters that ran.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from './harness.mjs';

const app = useApp();

const rows = () => app.page.locator('.history tbody tr').count();
const focused = () => app.page.evaluate(() => {
  const el = document.activeElement;
  return el ? `${el.tagName.toLowerCase()}${el.className ? '.' + el.className.split(' ')[0] : ''}${el.id ? '#' + el.id : ''}` : null;
});

test('every page has its own title', async () => {
  await app.gotoApp('/');
  assert.equal(await app.page.title(), 'Concurrency Playground');
  for (const [hash, title] of [['/spinner', 'Spinner'], ['/executors', 'Executors'], ['/flags', 'Flags'], ['/primes', 'Primes'], ['/cpu', 'CPU pools'], ['/rates', 'Rates'], ['/memory', 'Shared memory']]) {
    await app.gotoApp(hash);
    await app.page.waitForFunction((t) => document.title === `${t} — Concurrency Playground`, title);
  }
});

test('Enter in a field runs the lab, in every lab', async () => {
  for (const [hash, label] of [
    ['/spinner?seconds=0.2', 'Seconds'],
    ['/spinner?variant=thread-spinner&seconds=0.2', 'Seconds'],
    ['/executors?delays=0.1&scale=0.1', 'Delays (s)'],
    ['/flags?mode=flags2&cc=BR', 'Country codes'],
    ['/primes?mode=procs&workers=1', 'Workers'],
    ['/rates?latency=0.05', 'Latency (s)'],
    ['/memory?workers=2&increments=1000', 'Increments per thread'],
    ['/cpu?mode=pool&workers=1', 'Workers'],
  ]) {
    await app.gotoApp(hash);
    await app.page.getByLabel(label, { exact: true }).focus();
    await app.page.keyboard.press('Enter');
    await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1, null, { timeout: 20_000 });
    assert.equal(await rows(), 1, hash);
  }
});

test('focus moves to Stop when a run starts and back to Run when it ends', async () => {
  await app.gotoApp('/spinner?seconds=30');
  await app.page.getByRole('button', { name: 'Run', exact: true }).focus();
  await app.page.keyboard.press('Enter');
  await app.page.waitForFunction(() => document.activeElement?.classList.contains('stop'));
  await app.page.keyboard.press('Enter'); // Stop
  await app.page.waitForFunction(() => document.activeElement?.classList.contains('run'));
  assert.equal(await rows(), 1);
  assert.equal(await focused(), 'button.run');
});

test('the skip link takes the keyboard to the lab', async () => {
  await app.gotoApp('/primes');
  await app.page.keyboard.press('Tab');
  assert.equal(await focused(), 'a.skip-link');
  await app.page.keyboard.press('Enter');
  assert.equal(await focused(), 'main');
  assert.match(await app.page.evaluate(() => location.hash), /^#\/primes/, 'the route stays');
});

test('the transcript can be focused and follows the newest line, unless the reader scrolled up', async () => {
  await app.gotoApp('/primes?mode=procs&workers=2&numbers=book');
  assert.equal(await app.page.locator('.transcript').getAttribute('tabindex'), '0');
  await app.page.getByRole('button', { name: 'Run', exact: true }).click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1);
  const atBottom = () => app.page.locator('.transcript').evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 2);
  assert.ok(await app.page.locator('.transcript').evaluate((el) => el.scrollHeight > el.clientHeight), 'more lines than fit');
  assert.ok(await atBottom(), 'the last line is in view');
  // Scrolled up, the reader keeps their place while new lines arrive.
  await app.gotoApp('/executors?delays=0%200.6%201.2&scale=1&workers=3');
  await app.page.getByRole('button', { name: 'Run', exact: true }).click();
  await app.page.waitForFunction(() => document.querySelectorAll('.transcript [role="log"] .line').length >= 3);
  // A box shorter than three lines (the stylesheet's min-height would otherwise win over the max-height,
  // and while the lines still fit, the reader is at the bottom and the transcript rightly follows).
  await app.page.locator('.transcript').evaluate((el) => { el.style.minHeight = '0'; el.style.maxHeight = '3rem'; el.scrollTop = 0; el.dispatchEvent(new Event('scroll')); });
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1);
  assert.equal(await app.page.locator('.transcript').evaluate((el) => el.scrollTop), 0);
});

test('the URL carries every parameter of the run', async () => {
  await app.gotoApp('/spinner?seconds=0.2');
  await app.page.getByRole('button', { name: 'Run', exact: true }).click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1);
  const hash = await app.page.evaluate(() => location.hash);
  assert.equal(hash, '#/spinner?variant=async-sleep&message=thinking%21&frames=%5C%7C%2F-&period=100&seconds=0.2');
});
