// The Python reference panel: the books' scripts stay upstream. The panel links to each at a pinned
// commit and fetches the text only when the reader opens it; here the upstream host is played by a
// route (a tiny fixture of our own, then a failure), so the suite needs no network.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp } from './harness.mjs';

const app = useApp({ allowErrors: [/ERR_INTERNET_DISCONNECTED/, /raw\.githubusercontent\.com/, /status of 404/] });

const RAW = 'https://raw.githubusercontent.com/**';
const FIXTURE = '# fixture: not the book\'s code\ndef fixture():\n    return 42\n';

const LABS = [
  ['/spinner', 'fluentpython/example-code-2e', 'spinner_async.py'],
  ['/spinner?variant=thread-spinner', 'fluentpython/example-code-2e', 'spinner_thread.py'],
  ['/executors', 'fluentpython/example-code', 'demo_executor_map.py'],
  ['/flags', 'fluentpython/example-code-2e', 'flags.py'],
  ['/primes', 'fluentpython/example-code-2e', 'procs.py'],
];

const panel = () => app.page.getByRole('region', { name: 'Python reference' });

test('opening the panel fetches the pinned upstream file, and only then', async () => {
  const asked = [];
  await app.context.route(RAW, (route) => {
    asked.push(route.request().url());
    route.fulfill({ status: 200, contentType: 'text/plain', headers: { 'access-control-allow-origin': '*' }, body: FIXTURE });
  });
  for (const [hash, repo, file] of LABS) {
    await app.gotoApp(hash);
    const link = panel().getByRole('link', { name: new RegExp(`${file.replace('.', '\\.')} on GitHub`) });
    const href = await link.getAttribute('href');
    assert.match(href, new RegExp(`^https://github\\.com/${repo}/blob/[0-9a-f]{40}/.*/${file}$`), href);
    assert.equal(asked.length, 0, 'nothing is fetched before the reader opens the panel');
    await panel().getByText(`Show ${file}`).click();
    await panel().locator('pre', { hasText: 'def fixture():' }).waitFor();
    assert.equal(asked.length, 1);
    assert.match(asked[0], new RegExp(`^https://raw\\.githubusercontent\\.com/${repo}/[0-9a-f]{40}/.*/${file}$`));
    asked.length = 0;
  }
});

test('when the upstream site cannot be reached the panel says so and links to the file', async () => {
  await app.context.route(RAW, (route) => route.abort('internetdisconnected'));
  await app.gotoApp('/primes');
  await panel().getByText('Show procs.py').click();
  const message = panel().locator('.load-error');
  await message.waitFor();
  assert.match(await message.innerText(), /Could not load procs\.py from GitHub .*offline/);
  assert.match(await message.getByRole('link').getAttribute('href'), /^https:\/\/github\.com\/fluentpython\/example-code-2e\/blob\//);
  assert.equal(await panel().locator('pre').count(), 0);
});

test('a missing upstream file is reported with the status', async () => {
  await app.context.route(RAW, (route) => route.fulfill({ status: 404, headers: { 'access-control-allow-origin': '*' }, body: '404: Not Found' }));
  await app.gotoApp('/spinner');
  await panel().getByText('Show spinner_async.py').click();
  await panel().locator('.load-error', { hasText: /answered 404/ }).waitFor();
});
