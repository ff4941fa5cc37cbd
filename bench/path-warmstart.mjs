#!/usr/bin/env node
// node bench/path-warmstart.mjs [--quick] [--reps K] [--kinds lambda,tau] [--sizes 1e3x10,1e4x10] [--json PATH]
// Warm-started paths (src/fit/robust.ts solvePath) against independent fits of the same values:
//   lambda path: LAD + lasso, K penalties geometric from lambdaMax down to 1e-3·lambdaMax (glmnet's grid);
//   tau path:    quantile levels 0.05, 0.10, ..., 0.95 (no penalty).
// Every answer is checked before anything is timed: each path result must match the independent fit's
// objective to 1e-9 (relative) and both must be converged (certified); a failing cell is reported and
// not timed. Not part of the test run. Data: bench/lib.mjs makeData (seeded; t_2 noise, 10% outliers),
// passed as a Dataset so both sides skip the copy of X.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    kinds: { type: 'string', default: 'lambda,tau' },
    sizes: { type: 'string' },
    json: { type: 'string' },
  },
});
const reps = Number(A.reps ?? (A.quick ? 1 : 5));
// 1e5 x 10: above the cold globbing threshold too (both sides glob; the warm side skips the subsample levels)
const grid = A.sizes ? A.sizes.split(',').map((s) => s.toLowerCase().split('x').map(Number))
  : A.quick ? [[1000, 10]] : [[1000, 10], [10000, 10], [10000, 30], [100000, 10]];
const K = 20;
const kinds = A.kinds.split(',');

// The path API is not exported by the package yet: bundle the sources once.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'robustreg-path-'));
const entry = path.join(tmp, 'entry.ts');
writeFileSync(entry, `export * from ${JSON.stringify(path.join(L.ROOT, 'src/index.ts'))};\nexport { solvePath, lambdaMax } from ${JSON.stringify(path.join(L.ROOT, 'src/fit/robust.ts'))};\n`);
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: path.join(tmp, 'lib.mjs'), logLevel: 'warning' });
const R = await import(pathToFileURL(path.join(tmp, 'lib.mjs')).href);
rmSync(tmp, { recursive: true, force: true });
await R.init();

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s[s.length >> 1];
}

/** Median CPU time (user + system of this process, ms): on a shared machine it is disturbed far less
 *  by other processes than wall time. */
function time(fn) {
  fn(); // warm-up (and JIT)
  const t = [];
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage();
    fn();
    const u = process.cpuUsage(c0);
    t.push((u.user + u.system) / 1000);
  }
  return median(t);
}

function check(label, warm, cold) {
  const bad = [];
  warm.forEach((w, i) => {
    const c = cold[i];
    const rel = Math.abs(w.objective - c.objective) / Math.max(Math.abs(c.objective), 1e-300);
    if (!(rel <= 1e-9) || !w.converged || !c.converged) bad.push(`${label}[${i}]: warm ${w.objective} (${w.converged ? 'certified' : 'NOT converged'}), cold ${c.objective} (${c.converged ? 'certified' : 'NOT converged'}), rel ${rel.toExponential(1)}`);
  });
  return bad;
}

const rows = [];
const results = [];
for (const [n, p] of grid) {
  const d = L.makeData({ n, p });
  for (const backend of ['wasm', 'js']) {
    const ds = R.Dataset.from(L.asMatrixLike(d), d.y, { backend });
    const lmax = R.lambdaMax(ds, undefined);
    const lambdas = Array.from({ length: K }, (_, k) => lmax * Math.pow(1e-3, k / (K - 1)));
    const taus = Array.from({ length: 19 }, (_, k) => +(0.05 * (k + 1)).toFixed(2));
    for (const [kind, values, cold] of [
      ['lambda', lambdas, (v) => R.lad(ds, { lambda: v })],
      ['tau', taus, (v) => R.quantile(ds, { tau: v })],
    ]) {
      if (!kinds.includes(kind)) continue;
      const warmFit = () => R.solvePath(kind, values, ds, undefined);
      const coldFit = () => values.map(cold);
      const w = warmFit(), c = coldFit();
      const bad = check(`${kind} n=${n} p=${p} ${backend}`, w, c);
      const iters = (a) => a.reduce((s, r) => s + r.iterations, 0);
      const cell = { kind, n, p, backend, values: values.length, itersWarm: iters(w), itersCold: iters(c), failures: bad };
      if (n * p >= 1e6 && backend === 'js' && !A.sizes) { results.push({ ...cell, skipped: 'twin not timed at this size' }); continue; }
      if (bad.length === 0) {
        cell.msWarm = time(warmFit);
        cell.msCold = time(coldFit);
      }
      results.push(cell);
      rows.push([`${kind} path`, backend, L.fmtN(n), p, values.length, cell.itersCold, cell.itersWarm,
        L.fmtMs(cell.msCold), L.fmtMs(cell.msWarm), cell.msWarm ? L.fmtRatio(cell.msCold / cell.msWarm) : `${bad.length} failed`]);
      for (const b of bad) console.error('  check failed: ' + b);
    }
    ds.dispose?.();
  }
}

const info = L.machineInfo();
console.log(`robustreg path benchmark — ${info.cpu} (${info.cores} cores), Node ${info.node}, ${info.platform}, reps ${reps} (median CPU time)`);
console.log(L.renderTable(['path', 'backend', 'n', 'p', 'values', 'iters cold', 'iters warm', 'cold', 'warm', 'speed-up'], rows));
const out = A.json ?? path.join(L.BENCH_DIR, 'results', `path-warmstart-${info.date.slice(0, 10)}${A.quick ? '-quick' : ''}.json`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ machine: info, reps, K, results }, null, 1));
console.log(`results: ${path.relative(L.ROOT, out)}`);
