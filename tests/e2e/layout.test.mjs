// Layout on a phone: no page fits wider than the screen (from 360 px up), before and after a run and
// with the Python reference panel open — code, transcripts and wide tables scroll inside their own
// boxes — and the charts' text stays readable (>= 11 CSS px). Saves a full-page screenshot of each
// page at 390 and 1280 px to tests/e2e/artifacts/<lab>-<width>.png for a human look.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { useApp, ARTIFACTS_DIR } from './harness.mjs';

const app = useApp({ contextOptions: { viewport: { width: 390, height: 844 } } });

const RAW = 'https://raw.githubusercontent.com/**';
// One long line with no break opportunity, as a worst case for the code panel.
const FIXTURE = `# ${'x'.repeat(300)}\ndef fixture():\n    return 42\n`;
const MIN_CHART_TEXT_PX = 11;
const PHONE = { width: 390, height: 844 };
const NARROW = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 900 };

// [screenshot name, route with fast parameters, has a chart, where a finished run shows]
const PAGES = [
  ['home', '/', false, null],
  ['spinner', '/spinner?variant=async-sleep&seconds=0.2', false, '.history tbody tr'],
  ['spinner-thread', '/spinner?variant=thread-spinner&seconds=0.3', false, '.history tbody tr'],
  ['executors', '/executors?delays=3%200%201%202&scale=0.1', true, '.history tbody tr'],
  ['flags', '/flags?mode=flags2&cc=BR%20CN', true, '.history tbody tr'],
  ['primes', '/primes?mode=procs&workers=2&numbers=2,3,5,7', true, '.history tbody tr'],
  ['primes-sweep', '/primes?mode=sweep&runs=1&max_n=2&numbers=2,3,5,7', true, '.sweep-table tbody tr'],
  ['rates', '/rates?script=throttling&latency=0.1&seed=1', true, '.history tbody tr'],
  ['memory', '/memory?demo=thread_visits&workers=4&increments=10000', false, '.history tbody tr'],
  ['cpu', '/cpu?mode=table&max_workers=2&repeats=1', false, '.result-table tbody tr'],
];

/** The page's width against the window's, and the outermost elements that stick out of it. */
function measure() {
  const vw = window.innerWidth;
  const scrolls = (e) => ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX);
  const inScrollBox = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true;
    return false;
  };
  const out = (e) => e.getBoundingClientRect().right > vw + 0.5;
  const offenders = [...document.body.querySelectorAll('*')]
    .filter((e) => out(e) && !inScrollBox(e) && !(e.parentElement && out(e.parentElement) && e.parentElement !== document.body))
    .slice(0, 8)
    .map((e) => `${e.tagName.toLowerCase()}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : ''}`
      + ` right=${Math.round(e.getBoundingClientRect().right)}`);
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: vw, offenders };
}

/** Rendered size (CSS px) of every text in the page's charts: font size in user units times the SVG's scale. */
function chartText() {
  return [...document.querySelectorAll('.timeline svg text, .sweep svg text')]
    .filter((t) => !t.classList.contains('delivered') && t.textContent.trim() && t.getBBox().width > 0)
    .map((t) => ({
      text: `${t.getAttribute('class')}: ${t.textContent.trim()}`,
      px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a,
    }));
}

async function assertFits(t, label) {
  for (const size of [PHONE, NARROW]) {
    await app.page.setViewportSize(size);
    const m = await app.page.evaluate(measure);
    t.diagnostic(`${label} @${size.width}: page ${m.scrollWidth} px`);
    assert.ok(m.scrollWidth <= m.innerWidth,
      `${label} at ${size.width} px: page is ${m.scrollWidth} px wide; sticking out: ${m.offenders.join(', ')}`);
  }
  await app.page.setViewportSize(PHONE);
}

async function assertChartText(t, label) {
  // A fitted chart (executors) redraws at its new width once the window's resize event is handled.
  await app.page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const texts = await app.page.evaluate(chartText);
  assert.ok(texts.length > 0, `${label}: no chart text found`);
  const smallest = texts.reduce((a, b) => (b.px < a.px ? b : a));
  t.diagnostic(`${label}: smallest chart text ${smallest.px.toFixed(1)} px (${smallest.text})`);
  assert.ok(smallest.px >= MIN_CHART_TEXT_PX, `${label}: chart text ${smallest.px.toFixed(1)} px < ${MIN_CHART_TEXT_PX} (${smallest.text})`);
}

async function screenshot(name) {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  for (const size of [PHONE, DESKTOP]) {
    await app.page.setViewportSize(size);
    await app.page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}-${size.width}.png`), fullPage: true });
  }
  await app.page.setViewportSize(PHONE);
}

for (const [name, route, chart, finished] of PAGES) {
  test(`${name}: fits a phone, before and after a run, with the Python panel open`, async (t) => {
    await app.context.route(RAW, (r) => r.fulfill({
      status: 200, contentType: 'text/plain', headers: { 'access-control-allow-origin': '*' }, body: FIXTURE,
    }));
    await app.gotoApp(route);
    await assertFits(t, `${name} before a run`);
    if (!finished) return screenshot(name);

    const panel = app.page.getByRole('region', { name: 'Python reference' });
    await panel.locator('summary').click();
    await panel.locator('pre', { hasText: 'def fixture():' }).waitFor();
    await assertFits(t, `${name} with the Python panel open`);

    await app.page.getByRole('button', { name: 'Run', exact: true }).click();
    await app.page.locator(finished).first().waitFor({ timeout: 60_000 });
    await assertFits(t, `${name} after a run`);
    if (chart) {
      await assertChartText(t, `${name} at ${PHONE.width} px`);
      // Every width up to the widest layout, where the charts share a row with the transcript.
      for (const width of [NARROW.width, 801, 896, 900, 1000, 1100, 1121, 1280, 1600]) {
        await app.page.setViewportSize({ width, height: 900 });
        await assertChartText(t, `${name} at ${width} px`);
      }
      await app.page.setViewportSize(PHONE);
    }
    // Wide tables scroll in their own box and stay tables for screen readers.
    assert.ok((await app.page.getByRole('table').count()) >= 1, `${name}: a table is still a table`);
    await screenshot(name);
  });
}

test('the Python reference sits collapsed beside the form on a wide screen, and opens under it at full width', async () => {
  await app.context.route(RAW, (r) => r.fulfill({
    status: 200, contentType: 'text/plain', headers: { 'access-control-allow-origin': '*' }, body: FIXTURE,
  }));
  await app.page.setViewportSize({ width: 1280, height: 900 });
  for (const [name, route] of PAGES.filter(([name]) => name !== 'home')) {
    await app.gotoApp(route);
    const box = async (selector) => app.page.locator(selector).first().boundingBox();
    const panel = app.page.getByRole('region', { name: 'Python reference' });
    assert.equal(await panel.locator('details').getAttribute('open'), null, `${name}: collapsed by default`);
    const [form, reference] = [await box('form.lab-form'), await box('.python-reference')];
    assert.ok(reference.x >= form.x + form.width, `${name}: beside the form (form ends at ${form.x + form.width}, reference starts at ${reference.x})`);
    assert.ok(Math.abs(reference.y - form.y) < 40, `${name}: level with the form`);
    await panel.locator('summary').click();
    await panel.locator('pre', { hasText: 'def fixture():' }).waitFor();
    const [formOpen, referenceOpen] = [await box('form.lab-form'), await box('.python-reference')];
    assert.ok(referenceOpen.y >= formOpen.y + formOpen.height, `${name}: opened, it goes under the form`);
    assert.ok(referenceOpen.width > 0.9 * formOpen.width, `${name}: opened, at full width`);
  }
  await app.page.setViewportSize(PHONE);
});
