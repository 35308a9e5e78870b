#!/usr/bin/env node
// Trunk post_build hook: the labs built as wasm modules of their own (lab_<key>.js + lab_<key>_bg.wasm,
// fixed names) get a content hash in <meta name="lab-modules" content="key=hash …">, which
// www/lab-loader.js puts in their URLs: a new build is never mixed with a cached older file.
// Works on $TRUNK_STAGING_DIR (or the folder given as argument).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const dir = process.env.TRUNK_STAGING_DIR || process.argv[2];
if (dir) {
  const entries = fs.readdirSync(dir)
    .map((file) => file.match(/^lab_([a-z0-9_]+)\.js$/))
    .filter(Boolean)
    .map(([file, key]) => {
      const hash = crypto.createHash('sha256');
      hash.update(fs.readFileSync(path.join(dir, file)));
      hash.update(fs.readFileSync(path.join(dir, `lab_${key}_bg.wasm`)));
      return `${key}=${hash.digest('hex').slice(0, 16)}`;
    })
    .sort();
  const index = path.join(dir, 'index.html');
  const html = fs.readFileSync(index, 'utf8').replace(/\s*<meta name="lab-modules"[^>]*>/, '');
  const meta = `<meta name="lab-modules" content="${entries.join(' ')}" />`;
  const out = html.replace(/<meta charset="utf-8"\s*\/?>/i, (charset) => `${charset}\n    ${meta}`);
  if (!out.includes('name="lab-modules"')) throw new Error('lab-modules: no <meta charset> to put the list after');
  fs.writeFileSync(index, out);
}
