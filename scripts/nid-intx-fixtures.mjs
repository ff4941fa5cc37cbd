#!/usr/bin/env node
// Fixtures for nid on integer designs (issue 18): test/fixtures/inference/nid-intx.json.
//   node scripts/nid-intx-fixtures.mjs      (needs Rscript with quantreg and jsonlite)
// Integer data (X uniform on {-2, ..., 2}, y = 1 + x'b + round(2 N(0, 1)) with b_j in {-1, 0, 1}:
// every conditional distribution is discrete, so conditional quantiles are flat between jumps) from
// a fixed xorshift stream, stored in the JSON as base64 int8 (row-major X, then y); R's
// summary.rq(se = "nid") on the same data (scripts/nid-intx-fixtures.R) gives the standard errors, or
// its error where the fits at tau +- h coincide. Never edit the JSON by hand.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CASES = [
  { name: 'int3000x2', n: 3000, p: 2, seed: 7, taus: [0.1, 0.25, 0.5, 0.75, 0.9] },
  { name: 'intx1e4x10', n: 10000, p: 10, seed: 18, taus: [0.1, 0.5, 0.9] },
];

function make({ n, p, seed }) {
  let s = seed >>> 0;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const X = new Int8Array(n * p), y = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    let lin = 1;
    for (let j = 0; j < p; j++) { const x = Math.floor(rnd() * 5) - 2; X[i * p + j] = x; lin += x * ((j % 3) - 1); }
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd()); // N(0, 1), Box-Muller
    y[i] = lin + Math.round(2 * z);
  }
  return { X, y };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'nid-intx-'));
try {
  const data = {};
  for (const c of CASES) {
    const { X, y } = make(c);
    const Xc = new Float64Array(c.n * c.p);
    for (let i = 0; i < c.n; i++) for (let j = 0; j < c.p; j++) Xc[j * c.n + i] = X[i * c.p + j];
    writeFileSync(path.join(dir, `${c.name}.X`), Buffer.from(Xc.buffer));
    writeFileSync(path.join(dir, `${c.name}.y`), Buffer.from(Float64Array.from(y).buffer));
    data[c.name] = { n: c.n, p: c.p, seed: c.seed, X: Buffer.from(X.buffer).toString('base64'), y: Buffer.from(y.buffer).toString('base64') };
  }
  writeFileSync(path.join(dir, 'cases.json'), JSON.stringify(CASES));
  execFileSync('Rscript', [path.join(ROOT, 'scripts/nid-intx-fixtures.R'), dir], { stdio: 'inherit' });
  const r = JSON.parse(readFileSync(path.join(dir, 'r.json'), 'utf8'));
  const out = path.join(ROOT, 'test/fixtures/inference/nid-intx.json');
  writeFileSync(out, JSON.stringify({ generator: 'scripts/nid-intx-fixtures.mjs', versions: r.versions, data, results: r.results }) + '\n');
  console.log(`wrote ${path.relative(ROOT, out)}: ${r.results.length} results`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
