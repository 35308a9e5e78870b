#!/usr/bin/env node
// Lays out the flags the playground ships, from npm `flag-icons` (MIT), as the book's server did:
//   flags/{cc}/{cc}.svg        the 4x3 flag
//   flags/{cc}/metadata.json   {"cc": "BR", "country": "Brazil"}
//   flags/index.json           every code shipped (what `-a` downloads)
// Two-letter ISO 3166 codes only. Run by Trunk as a build hook (into $TRUNK_STAGING_DIR), so
// `trunk serve` and `trunk build` both ship them; never committed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = path.join(root, 'node_modules', 'flag-icons');
const out = path.join(process.env.TRUNK_STAGING_DIR || process.argv[2] || path.join(root, 'dist'), 'flags');

const countries = JSON.parse(fs.readFileSync(path.join(pkg, 'country.json'), 'utf8'))
  .filter((c) => c.iso && /^[a-z]{2}$/.test(c.code))
  .sort((a, b) => a.code.localeCompare(b.code));

fs.rmSync(out, { recursive: true, force: true });
for (const { code, name } of countries) {
  const dir = path.join(out, code);
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(path.join(pkg, 'flags', '4x3', `${code}.svg`), path.join(dir, `${code}.svg`));
  fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ cc: code.toUpperCase(), country: name }) + '\n');
}
fs.writeFileSync(path.join(out, 'index.json'), JSON.stringify(countries.map((c) => c.code.toUpperCase())) + '\n');
fs.copyFileSync(path.join(pkg, 'LICENSE'), path.join(out, 'LICENSE.flag-icons.txt'));
