#!/usr/bin/env node
// Regenerate the inference fixtures (test/fixtures/inference/*.json) from the reference tools.
// Usage (repo root): node scripts/inference-fixtures.mjs [shared-data-dir] [--only r|sm|dist]
// Needs: Rscript with sandwich, quantreg, jsonlite (Debian: r-cran-quantreg r-cran-sandwich
// r-cran-jsonlite); /usr/bin/python3 with statsmodels (python3-statsmodels); python3 with scipy and
// mpmath. These tools make fixtures only; they are never dependencies of the package.
// The generators write *.raw.json; this driver rewrites each as .json with shortest round-trip
// decimals (JSON.stringify) and removes the raw file. Nobody edits the JSON by hand.
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const onlyIdx = args.indexOf('--only');
const only = onlyIdx >= 0 ? args[onlyIdx + 1] : null;
const positional = args.filter((a, i) => !a.startsWith('--') && (onlyIdx < 0 || i !== onlyIdx + 1));
const shared = resolve(positional[0] ?? join(root, '..', 'shared', 'data'));
const out = join(root, 'test', 'fixtures', 'inference');

function run(cmd, argv) {
  console.log(`$ ${cmd} ${argv.join(' ')}`);
  execFileSync(cmd, argv, { cwd: root, stdio: 'inherit' });
}

function finalize(name) {
  const raw = join(out, `${name}.raw.json`);
  const data = JSON.parse(readFileSync(raw, 'utf8'));
  writeFileSync(join(out, `${name}.json`), JSON.stringify(data, null, 1) + '\n');
  rmSync(raw);
  console.log(`wrote test/fixtures/inference/${name}.json`);
}

if (!only || only === 'r') {
  run('Rscript', ['scripts/inference-fixtures.R', shared, out]);
}
if (!only || only === 'sm') {
  // statsmodels reads the L2 data back from the R output (identical doubles for both tools).
  if (only === 'sm') writeFileSync(join(out, 'l2.raw.json'), readFileSync(join(out, 'l2.json')));
  run('/usr/bin/python3', ['scripts/inference-fixtures-sm.py', shared, out]);
  if (only === 'sm') rmSync(join(out, 'l2.raw.json'));
}
if (!only || only === 'r') {
  finalize('l2');
  finalize('quantile');
}
if (!only || only === 'sm') {
  finalize('huber');
  finalize('l2-statsmodels');
}
if (!only || only === 'dist') {
  run('python3', ['scripts/inference-fixtures-dist.py']); // writes distributions.json itself
}
