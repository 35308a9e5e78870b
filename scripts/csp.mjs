#!/usr/bin/env node
// Trunk post-build hook: gives the page a Content-Security-Policy that static hosts can't send as a
// header (a <meta> tag), and moves every inline <script> Trunk writes (the module that starts the
// app; the live-reload client under `trunk serve`) into a file of its own, so the policy needs no
// 'unsafe-inline'. Works on $TRUNK_STAGING_DIR/index.html (or the folder given as argument).
//
// The policy:
//   script-src 'self' 'wasm-unsafe-eval'   the app's own files; WebAssembly compiled from them
//   connect-src 'self' https: http:        the app's files and servers, GitHub for the Python
//                                          references, and the REMOTE site a reader names
//   img-src 'self' blob: data:             our flags (blob:) and another site's, as data: URLs
//   worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; default-src 'self'
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "connect-src 'self' https: http:",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function secure(html, writeScript) {
  const moved = html.replace(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/g, (tag, attrs = '', body) => {
    if (/\ssrc\s*=/.test(attrs) || !body.trim()) return tag;
    const name = `start-${crypto.createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
    writeScript(name, body);
    return `<script${attrs} src="./${name}"></script>`;
  });
  const meta = `<meta http-equiv="Content-Security-Policy" content="${POLICY}" />`;
  if (moved.includes('http-equiv="Content-Security-Policy"')) return moved;
  return moved.replace(/<meta charset="utf-8"\s*\/?>/i, (charset) => `${charset}\n    ${meta}`);
}

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (dir) {
  const index = path.join(dir, 'index.html');
  const html = fs.readFileSync(index, 'utf8');
  const out = secure(html, (name, body) => fs.writeFileSync(path.join(dir, name), body));
  if (!out.includes('Content-Security-Policy')) throw new Error('csp: no <meta charset> to put the policy after');
  fs.writeFileSync(index, out);
}
