// Flags lab, REMOTE: another site, played by a second local HTTP/1.1 server of this test (another
// port, so another origin) that holds every answer 1 s and serves the book's layout,
// {base}/{cc}/{cc}.gif — a 1×1 GIF made here. With CORS headers the browser may read its answers;
// without them every request fails, and the page must say why. Every request stays on this machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { useApp } from './harness.mjs';

// Requests the browser refuses to hand to the page are logged by Chromium itself.
const app = useApp({ allowErrors: [/CORS/, /ERR_/, /fluentpython\.com/] });

// The smallest GIF: 1×1, one transparent pixel.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const LATENCY_MS = 1000;

// The server's state, per test: whether it sends CORS headers, and what it saw.
const remote = { cors: true, open: 0, mostOpen: 0, versions: new Set(), paths: [] };
let server;
before(async () => {
  server = http.createServer((req, res) => {
    remote.open++;
    remote.mostOpen = Math.max(remote.mostOpen, remote.open);
    remote.versions.add(req.httpVersion);
    remote.paths.push(req.url);
    setTimeout(() => {
      remote.open--;
      const headers = { 'Cache-Control': 'no-store' };
      // A site that shares its files with any page, and their timings (Resource Timing).
      if (remote.cors) Object.assign(headers, { 'Access-Control-Allow-Origin': '*', 'Timing-Allow-Origin': '*' });
      if (/^\/data\/flags\/([a-z]{2})\/\1\.gif$/.test(req.url)) {
        res.writeHead(200, { ...headers, 'Content-Type': 'image/gif', 'Content-Length': GIF.length });
        res.end(GIF);
      } else {
        res.writeHead(404, headers);
        res.end();
      }
    }, LATENCY_MS);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
});
after(() => new Promise((resolve) => {
  server.close(resolve);
  server.closeAllConnections();
}));
const baseUrl = () => `http://127.0.0.1:${server.address().port}/data/flags`;

function resetRemote(cors) {
  Object.assign(remote, { cors, open: 0, mostOpen: 0, versions: new Set(), paths: [] });
}

const transcriptLines = async () => (await app.page.getByRole('log', { name: 'Transcript' }).innerText()).split('\n');
const count = (name) => app.page.locator(`[data-count="${name}"]`).innerText();
const whatHappened = () => app.page.locator('.what-happened .sentence').innerText();

/** flags2 -v -m 20 on the 20 codes against the local remote; returns the transcript lines. */
async function runRemote() {
  // The 4th round starts after 3 s: flags2's 3.1 s timeout, counted from fetch(), would cut it.
  const query = new URLSearchParams({ mode: 'flags2', server: 'REMOTE', base_url: baseUrl(), max_req: '20', verbose: 'true', timeout: '10' });
  await app.gotoApp(`/flags?${query}`);
  await app.page.getByRole('button', { name: 'Run', exact: true }).click();
  await app.page.waitForFunction(() => document.querySelectorAll('.history tbody tr').length === 1, null, { timeout: 60_000 });
  return transcriptLines();
}

test('REMOTE by default is the book\'s https site and its GIFs; the Extension follows the server', async () => {
  await app.gotoApp('/flags?mode=flags2&server=REMOTE');
  const field = (label) => app.page.getByLabel(label, { exact: true });
  assert.equal(await field('Base URL').inputValue(), 'https://www.fluentpython.com/data/flags');
  assert.equal(await field('Extension').inputValue(), 'gif');
  assert.doesNotMatch(app.page.url(), /ext=/);
  // Our own servers serve SVG.
  await field('Server').selectOption('LOCAL');
  assert.equal(await field('Extension').inputValue(), 'svg');
  // A choice that differs from the server's own is kept, and goes into the URL.
  await field('Extension').selectOption('png');
  assert.match(app.page.url(), /[?&]ext=png(&|$)/);
  await field('Server').selectOption('REMOTE');
  assert.equal(await field('Extension').inputValue(), 'png');
  await field('Extension').selectOption('gif');
  assert.doesNotMatch(app.page.url(), /ext=/, 'the server\'s own extension stays out of the URL');
  assert.ok(!app.requests.some((u) => u.includes('fluentpython')), 'nothing was sent to the book\'s site');
});

test('REMOTE with CORS, 1 s an answer, -m 20: 20 flags take 4 rounds, 6 connections per host', async (t) => {
  resetRemote(true);
  const lines = await runRemote();
  const elapsed = Number(lines.at(-1).match(/^Elapsed time: (\d+\.\d\d)s$/)[1]);
  const [ok, peak, wirePeak] = [Number(await count('ok')), Number(await count('peak')), Number(await count('wire-peak'))];
  const sentence = await whatHappened();
  t.diagnostic(`${elapsed} s; fetch() calls in flight ${peak}, on the wire ${wirePeak}, at the server ${remote.mostOpen}; HTTP ${[...remote.versions]}`);
  t.diagnostic(sentence);
  assert.equal(lines[0], `REMOTE site: ${baseUrl()}`);
  assert.equal(lines[2], '20 concurrent connections will be used.');
  assert.equal(ok, 20);
  assert.deepEqual([...remote.versions], ['1.1']);
  assert.equal(remote.paths.length, 20);
  assert.ok(remote.paths.every((p) => /^\/data\/flags\/[a-z]{2}\/[a-z]{2}\.gif$/.test(p)), remote.paths.join(' '));
  // 20 fetch() calls at once, but the browser sends 6 at a time: 4 rounds of 1 s.
  assert.equal(peak, 20);
  assert.equal(remote.mostOpen, 6, 'the server never held more than 6 requests');
  assert.equal(wirePeak, 6, 'Resource Timing shows the same 6');
  assert.ok(elapsed >= 3.0 && elapsed <= 8, `elapsed ${elapsed}s`);
  assert.ok(sentence.includes('only 6 were on the wire at once'), sentence);
  assert.ok(sentence.includes('at most 6 connections per host'), sentence);
  // Each flag is another site's GIF, shown from a data: URL and saved as one.
  const images = await app.page.locator('.tile[data-outcome="ok"] img').evaluateAll((imgs) =>
    imgs.filter((i) => i.complete && i.naturalWidth === 1 && i.src.startsWith('data:image/gif;base64,')).length);
  assert.equal(images, 20);
  assert.equal(await app.page.locator('.tile[data-cc="BR"] .saved-as').innerText(), 'BR.gif');
});

test('REMOTE without CORS headers: 20 errors, each named, explained once above the report', async (t) => {
  resetRemote(false);
  const lines = await runRemote();
  t.diagnostic(lines.slice(-6).join('\n'));
  assert.equal(await count('errors'), '20');
  const named = lines.filter((l) => /^[A-Z]{2} error: blocked or unreachable \(CORS or network\): /.test(l));
  assert.equal(named.length, 20, lines.join('\n'));
  const explained = lines.filter((l) => l.startsWith('20 errors: blocked or unreachable (CORS or network) — '));
  assert.equal(explained.length, 1, 'said once, not 20 times');
  assert.match(explained[0], /did not allow this page to read its answers .*Access-Control-Allow-Origin.*could not be reached/);
  assert.equal(lines[lines.indexOf(explained[0]) + 1], '--------------------', 'right above the report');
  assert.ok(lines.includes(' 20 errors.'));
  // The server did answer: the browser kept the answers from the page.
  assert.equal(remote.paths.length, 20);
  // Each failed flag's tile says it too; the wire figure is unknown without the site's timings.
  const tiles = await app.page.locator('.tile[data-outcome="error"] .no-flag').allInnerTexts();
  assert.equal(tiles.length, 20);
  assert.ok(tiles.every((text) => text.startsWith('blocked or unreachable (CORS or network)')), tiles.join('\n'));
  assert.equal(await count('wire-peak'), 'unknown');
  const sentence = await whatHappened();
  t.diagnostic(sentence);
  assert.ok(sentence.includes('20 blocked or unreachable (CORS or network)'), sentence);
  assert.ok(!sentence.includes('per host'), 'no claim the figures do not show');
});
