// What a link or another server can make the page do — and what it cannot. The hostile server is a
// second local HTTP server of this test: an SVG that carries a script, HTML answered with 200, and a
// request counter. Every request stays on this machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { useApp, gotoApp, launchBrowser } from './harness.mjs';

const app = useApp({ allowErrors: [/ERR_/, /status of 4\d\d/, /127\.0\.0\.1:\d+\/(x|html)\//, /service ?worker/i] });

let hostile;
let hits = 0;
before(async () => {
  hostile = http.createServer((req, res) => {
    hits++;
    const cors = { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' };
    if (req.url.startsWith('/x/')) {
      res.writeHead(200, { ...cors, 'Content-Type': 'image/svg+xml' });
      res.end('<svg xmlns="http://www.w3.org/2000/svg" width="30" height="20"><rect width="30" height="20" fill="red"/>'
        + '<script>localStorage.setItem("pwned", "yes")</script></svg>');
    } else if (req.url.startsWith('/html/')) {
      res.writeHead(200, { ...cors, 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>not a flag</title><p>hello</p>');
    } else {
      res.writeHead(404, cors);
      res.end();
    }
  });
  await new Promise((resolve) => hostile.listen(0, '127.0.0.1', resolve));
});
after(() => new Promise((resolve) => hostile.close(resolve)));
const hostileUrl = (path) => `http://127.0.0.1:${hostile.address().port}${path}`;

const transcript = async () => (await app.page.getByRole('log', { name: 'Transcript' }).innerText()).split('\n');
const runButton = () => app.page.getByRole('button', { name: 'Run', exact: true });
const historyRows = () => app.page.locator('.history tbody tr').count();

test('another site\'s SVG is shown from a data: URL, never as a document of the app', async () => {
  await app.gotoApp(`/flags?mode=flags2&server=REMOTE&base_url=${encodeURIComponent(hostileUrl('/x'))}&cc=BR`);
  await runButton().click();
  const img = app.page.locator('.tile[data-outcome="ok"] img');
  await img.waitFor();
  const src = await img.getAttribute('src');
  assert.match(src, /^data:image\/svg\+xml;base64,/);
  // Opening the image on its own (what "open image in new tab" does) runs nothing as the app.
  const opened = await app.context.newPage();
  await opened.goto(src).catch(() => {}); // Chromium refuses top-level data: navigations
  await opened.close();
  assert.equal(await app.page.evaluate(() => localStorage.getItem('pwned')), null);
});

test('a 200 answer that is not an image is an error with its reason, not a flag', async () => {
  await app.gotoApp(`/flags?mode=flags2&server=REMOTE&base_url=${encodeURIComponent(hostileUrl('/html'))}&cc=BR%20CN&verbose=true`);
  await runButton().click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1);
  const lines = await transcript();
  assert.ok(lines.includes('BR error: not an image: the answer is text/html; charset=utf-8'), lines.join('\n'));
  assert.equal(await app.page.locator('[data-count="ok"]').innerText(), '0');
  assert.equal(await app.page.locator('.tile img').count(), 0);
});

test('a link that would flood another site asks first, and sends nothing until the reader agrees', async () => {
  hits = 0;
  await app.gotoApp(`/flags?mode=flags3&server=REMOTE&base_url=${encodeURIComponent(hostileUrl('/x'))}&every=true&max_req=1000`);
  await runButton().click();
  const notice = app.page.locator('.remote-notice');
  await notice.waitFor();
  assert.match(await notice.innerText(), /1352 requests to http:\/\/127\.0\.0\.1:\d+, up to 676 at a time/);
  await app.page.getByRole('button', { name: 'Not now' }).click();
  assert.equal(await notice.count(), 0);
  assert.equal(hits, 0, 'no request before the reader agrees');
  assert.equal(await historyRows(), 0);
  await runButton().click();
  await app.page.getByRole('button', { name: 'Send them' }).click();
  const deadline = Date.now() + 10_000;
  while (hits === 0 && Date.now() < deadline) await app.page.waitForTimeout(50);
  assert.ok(hits > 0, 'the requests go once the reader agreed');
  // Stop, unless the run already ended (a script click does nothing on a disabled button).
  await app.page.evaluate(() => document.querySelector('button.stop').click());
});

test('a double click on Run starts one run', async () => {
  await app.gotoApp('/spinner?variant=async-sleep&seconds=0.3');
  await runButton().dblclick();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length >= 1);
  await app.page.waitForTimeout(600);
  const rows = await app.page.locator('.history tbody tr').allInnerTexts();
  assert.equal(rows.length, 1, rows.join('\n'));
  assert.match(rows[0], /^1\t/);
});

test('a choice in the URL with blanks shows the option that runs', async () => {
  await app.gotoApp('/spinner?variant=%20blocking-sleep&seconds=0.2');
  assert.equal(await app.page.getByLabel('Variant', { exact: true }).inputValue(), 'blocking-sleep');
  await runButton().click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1);
  assert.match(await app.page.locator('.history tbody tr').first().innerText(), /blocking-sleep/);
  await app.gotoApp('/flags?server=+error');
  assert.equal(await app.page.getByLabel('Server', { exact: true }).inputValue(), 'ERROR');
});

test('a repeated URL key keeps the first value and says which one it ignored', async () => {
  await app.gotoApp('/spinner?period=200&period=%3Cimg%3E');
  assert.equal(await app.page.getByLabel('Frame period (ms)', { exact: true }).inputValue(), '200');
  const notice = await app.page.locator('.notices').innerText();
  assert.match(notice, /Ignored a repeated `period=<img>` in the URL: the first `period` counts\./);
  assert.equal(await app.page.locator('img').count(), 0, 'nothing injected');
});

test('a run started in a hidden tab starts at once: it waits for no frame', async () => {
  // A hidden tab paints no frames: requestAnimationFrame callbacks never come. (Headless
  // Chromium keeps every tab visible, so the test takes the frames away itself.)
  await app.gotoApp('/primes?mode=sequential-worker&numbers=heavy');
  await app.page.evaluate(() => {
    // Like a hidden tab: frame callbacks wait until the tab shows again.
    const [paint, waiting] = [window.requestAnimationFrame.bind(window), []];
    window.showAgain = () => {
      window.requestAnimationFrame = paint;
      for (const callback of waiting) paint(callback);
    };
    window.requestAnimationFrame = (callback) => waiting.push(callback);
    Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await app.page.evaluate(() => document.querySelector('button.run').click());
  const deadline = Date.now() + 3000;
  while (app.page.workers().length === 0 && Date.now() < deadline) await app.page.waitForTimeout(20);
  assert.equal(app.page.workers().length, 1, 'the run started its worker without a frame');
  // The tab shows again: the page catches up on what happened, and Stop ends the run.
  await app.page.evaluate(() => window.showAgain());
  await app.page.getByRole('button', { name: 'Stop', exact: true }).click();
  assert.equal(await app.waitForNoWorkers(), 0);
});

test('the DELAY server refuses a delay beyond its limit instead of never answering', async () => {
  await app.gotoApp('/flags?mode=flags2&server=DELAY&min_delay=0&max_delay=0.1&cc=BR');
  await runButton().click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1);
  const answer = await app.page.evaluate(async () => {
    const reply = await fetch('delay/flags/br/br.svg?min=0&max=1e12', { cache: 'no-store' });
    return `${reply.status} ${await reply.text()}`;
  });
  assert.match(answer, /^400 bad server parameters: need 0 <= min <= max <= 60/);
});

test('with service workers refused, DELAY says why instead of hanging', async () => {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    // The lab's defaults ask DELAY: the first Run says why it cannot, and the way out.
    await gotoApp(page, app.url, '/flags');
    const started = Date.now();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    const alert = page.locator('.notices[role="alert"]', { hasText: 'could not start' });
    await alert.waitFor({ timeout: 10_000 });
    assert.ok(Date.now() - started < 9000);
    assert.match(await alert.innerText(), /service worker/i);
    assert.match(await alert.innerText(), /The LOCAL server needs no service worker/);
    await gotoApp(page, app.url, '/executors?demo=flags_threadpool_ac&server=DELAY');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('[role="log"]', { hasText: 'Error:' }).waitFor({ timeout: 10_000 });
    assert.match(await page.getByRole('log', { name: 'Transcript' }).innerText(), /Error: .*service worker/i);
  } finally {
    await browser.close();
  }
});

test('a Content-Security-Policy holds on every page: no inline script, no violation', async () => {
  const csp = await app.page.goto(app.url).then(() => app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'));
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  assert.equal(await app.page.locator('script:not([src])').count(), 0, 'no inline script');
  await app.context.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await app.page.goto('about:blank'); // the next page load runs the listener first
  for (const hash of ['/', '/spinner?variant=worker-prime&number=1000003', '/spinner?variant=thread-spinner&seconds=0.2', '/executors?delays=0.1&scale=0.1', '/flags?mode=flags2&cc=BR', '/primes?numbers=2,3,5&workers=1', '/rates?latency=0.05', '/memory?workers=2&increments=1000', '/cpu?mode=pool&workers=1']) {
    await app.gotoApp(hash);
    if (hash !== '/') {
      await runButton().click();
      await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1);
    }
    assert.deepEqual(await app.page.evaluate(() => window.violations), [], hash);
  }
});
