#!/usr/bin/env node
// node bench/perf-numpy.mjs [--cases 1000000x20,100000x100] [--reps 5] [--rounds 3] [--lib dist/index.js]
//                           [--python python3] [--threads N]
// Least squares per core, side by side in ONE run: robustreg `ols` on a `Dataset` (WebAssembly, the
// built package) against numpy's normal equations (OpenBLAS, one thread: OPENBLAS_NUM_THREADS=1)
// on the same data — issue #21's single-core bar (within 1.3x of numpy at 1e6 x 20 and 1e5 x 100).
// numpy does A = [1, X]; G = A'A; c = A'y; beta = cho_solve(cholesky(G), c) — no centering,
// scaling, condition estimate or refinement, i.e. the cheapest normal-equations solve it has.
// Both sides are timed in CPU time (process.cpuUsage user+sys here; time.process_time in a python
// child that keeps its copy of the data in memory), in alternating rounds (node reps, python reps,
// node reps, …) so that the machine's load hits both alike. Prints fastest and median per side and
// their ratio. The coefficients of the two are compared (relative 1e-8) before anything is timed.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    cases: { type: 'string', default: '1000000x20,100000x100' },
    reps: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    python: { type: 'string', default: 'python3' },
    threads: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log('node bench/perf-numpy.mjs [--cases NxP,...] [--reps 5] [--rounds 3] [--lib dist/index.js] [--python python3] [--threads N]');
  process.exit(0);
}
const reps = Number(A.reps);
const rounds = Number(A.rounds);
const rr = await import(pathToFileURL(path.resolve(A.lib)).href);
const initOpts = A.threads !== undefined ? { threads: A.threads === 'auto' ? 'auto' : Number(A.threads) } : {};
await rr.init(initOpts);

const PY = String.raw`
import sys, time, json, numpy as np
n, p = int(sys.argv[2]), int(sys.argv[3])
X = np.fromfile(sys.argv[1] + '.x', dtype='<f8').reshape(n, p)
y = np.fromfile(sys.argv[1] + '.y', dtype='<f8')
A = np.empty((n, p + 1)); A[:, 0] = 1.0; A[:, 1:] = X
del X
def solve():
    G = A.T @ A
    c = A.T @ y
    R = np.linalg.cholesky(G)
    z = np.linalg.solve(R, c)          # general solve on the triangle: p^3, negligible next to n p^2
    return np.linalg.solve(R.T, z)
print(json.dumps({'coef': solve().tolist()}), flush=True)
for line in sys.stdin:
    k = int(line)
    t = []
    for _ in range(k):
        t0 = time.process_time(); solve(); t.append(time.process_time() - t0)
    print(json.dumps({'ms': [1000 * v for v in t]}), flush=True)
`;

function pyChild(file, n, p) {
  const child = spawn(A.python, ['-c', PY, file, String(n), String(p)], {
    env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let buf = '';
  const waiting = [];
  child.stdout.on('data', (d) => {
    buf += d;
    let k;
    while ((k = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, k);
      buf = buf.slice(k + 1);
      waiting.shift()(JSON.parse(line));
    }
  });
  const next = () => new Promise((res) => waiting.push(res));
  return { first: next(), run: (k) => { const r = next(); child.stdin.write(`${k}\n`); return r; }, end: () => child.stdin.end() };
}

const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

const dir = mkdtempSync(path.join(os.tmpdir(), 'perf-numpy-'));
console.log(`robustreg ols (Dataset, ${A.lib}) vs numpy normal equations (OpenBLAS 1 thread); CPU ms; ` +
  `${rounds} rounds x ${reps} reps each; load ${os.loadavg().map((v) => v.toFixed(1)).join(' ')}`);
try {
  for (const cell of A.cases.split(',')) {
    const [n, p] = cell.split('x').map(Number);
    const g = L.makeRng(L.seedFor(n, p));
    const X = new Float64Array(n * p);
    const y = new Float64Array(n);
    const b = L.trueBeta(p);
    for (let i = 0; i < n; i++) {
      let f = b[0];
      for (let j = 0; j < p; j++) { const v = 2 * g.uniform() - 1 + 0.1 * j; X[i * p + j] = v; f += b[j + 1] * v; }
      y[i] = f + g.normal();
    }
    const file = path.join(dir, cell);
    writeFileSync(`${file}.x`, X);
    writeFileSync(`${file}.y`, y);
    const py = pyChild(file, n, p);
    const ds = rr.Dataset.from({ data: X, rows: n, cols: p, layout: 'row-major' }, y);
    const fitOpts = A.threads !== undefined ? { threads: initOpts.threads } : {};
    const ours = rr.ols(ds, fitOpts);
    const theirs = (await py.first).coef;
    const mine = [ours.intercept, ...ours.coef];
    const rel = Math.max(...theirs.map((v, j) => Math.abs(v - mine[j]) / Math.max(1, Math.abs(v))));
    if (!(rel < 1e-8)) throw new Error(`${cell}: robustreg and numpy disagree (max rel ${rel})`);
    const tR = [];
    const tN = [];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < reps; k++) {
        const t0 = cpuMs();
        rr.ols(ds, fitOpts);
        tR.push(cpuMs() - t0);
      }
      tN.push(...(await py.run(reps)).ms);
    }
    py.end();
    ds.dispose();
    const f = (v) => v.toFixed(1).padStart(7);
    console.log(`${cell.padEnd(14)} robustreg fastest ${f(Math.min(...tR))} median ${f(median(tR))} | numpy fastest ${f(Math.min(...tN))} median ${f(median(tN))}` +
      ` | ratio fastest ${(Math.min(...tR) / Math.min(...tN)).toFixed(2)} median ${(median(tR) / median(tN)).toFixed(2)} | coef max rel diff ${rel.toExponential(1)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
