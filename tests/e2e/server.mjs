// Minimal static file server for the e2e suite and the bench (no dependencies).
//
// Serves the files of `root` (normally dist/) under a URL prefix (default /playground/), so tests
// catch any absolute path that would break on GitHub Pages (https://user.github.io/<repo>/).
//   - GET/HEAD only; correct MIME types (application/wasm for .wasm);
//   - directory URLs serve index.html; /playground -> 301 /playground/;
//   - everything else, including paths escaping `root`, is 404;
//   - Cache-Control: no-store, no compression (the bench computes gzip sizes itself);
//   - cross-origin isolation headers on every response (COOP same-origin, COEP require-corp), as
//     `trunk serve` sends them; `isolation: false` sends neither, like a plain static host (GitHub
//     Pages), where the app's service worker has to add them;
//   - `files`: extra files held in memory, served as if they were in `root` (test-only scripts).
//
// Library:  const { url, close } = await startServer({ root: 'dist' });   // url ends with the prefix
// CLI:      node tests/e2e/server.mjs [root=dist] [port=8090] [prefix=/playground/] [isolation=true|false]

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.zip': 'application/zip',
};

/** What a host sends for a cross-origin isolated page (SharedArrayBuffer, Atomics). */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * @param {{root: string, prefix?: string, port?: number, host?: string, isolation?: boolean,
 *   headers?: Record<string,string>, files?: Record<string,string>}} opts
 *   isolation: send ISOLATION_HEADERS on every response (default true); false = a plain static host.
 *   headers: extra response headers for every response (they win over the isolation headers).
 *   files: path under the prefix (e.g. 'e2e/worker.js') -> text, served before anything in root.
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 */
export async function startServer({ root, prefix = '/playground/', port = 0, host = '127.0.0.1', isolation = true, headers = {}, files = {} } = {}) {
  if (!root) throw new Error('startServer: root is required');
  if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw new Error(`startServer: prefix must start and end with '/': ${prefix}`);
  const rootDir = fs.realpathSync(path.resolve(root));
  const base = { 'Cache-Control': 'no-store', ...(isolation ? ISOLATION_HEADERS : {}), ...headers };

  const send = (res, status, extra = {}, body = '') => {
    res.writeHead(status, { ...base, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(body), ...extra });
    res.end(res.req.method === 'HEAD' ? undefined : body);
  };

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { Allow: 'GET, HEAD' }, 'method not allowed\n');
      const u = new URL(req.url, 'http://localhost');
      if (u.pathname === prefix.slice(0, -1)) return send(res, 301, { Location: prefix + u.search }, '');
      if (!u.pathname.startsWith(prefix)) return send(res, 404, {}, 'not found\n');

      let rel;
      try { rel = decodeURIComponent(u.pathname.slice(prefix.length)); } catch { return send(res, 400, {}, 'bad request\n'); }
      if (rel.includes('\0') || rel.split(/[\\/]/).includes('..')) return send(res, 404, {}, 'not found\n');
      if (Object.hasOwn(files, rel)) {
        const type = MIME_TYPES[path.extname(rel).toLowerCase()] ?? 'application/octet-stream';
        return send(res, 200, { 'Content-Type': type, 'X-Content-Type-Options': 'nosniff' }, files[rel]);
      }

      let file = path.resolve(rootDir, rel);
      let st = await fs.promises.stat(file).catch(() => null);
      if (st?.isDirectory()) {
        if (!u.pathname.endsWith('/')) return send(res, 301, { Location: u.pathname + '/' + u.search }, '');
        file = path.join(file, 'index.html');
        st = await fs.promises.stat(file).catch(() => null);
      }
      if (!st?.isFile()) return send(res, 404, {}, 'not found\n');
      // Symlinks must not lead outside root either.
      const real = await fs.promises.realpath(file);
      if (real !== rootDir && !real.startsWith(rootDir + path.sep)) return send(res, 404, {}, 'not found\n');

      res.writeHead(200, {
        ...base,
        'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
        'Content-Length': st.size,
        'X-Content-Type-Options': 'nosniff',
      });
      if (req.method === 'HEAD') return res.end();
      fs.createReadStream(real).on('error', (e) => res.destroy(e)).pipe(res);
    } catch (e) {
      if (!res.headersSent) send(res, 500, {}, `internal error: ${e.message}\n`);
      else res.destroy(e);
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const actualPort = server.address().port;
  return {
    url: `http://${host}:${actualPort}${prefix}`,
    port: actualPort,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

// CLI
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [root = 'dist', port = '8090', prefix = '/playground/', isolation = 'true'] = process.argv.slice(2);
  const { url } = await startServer({ root, port: Number(port), prefix, isolation: isolation !== 'false' });
  console.log(url);
}
