#!/usr/bin/env node
// node bench/perf-numpy.mjs [flags]
// Single-core least squares (issue 21's bar): robustreg's ols on a Dataset (one thread) against
// numpy's normal equations (X'X and X'y by OpenBLAS, Cholesky, two triangular solves) on the SAME
// data, in the same run: a python3 child (numpy of the machine's python3, OPENBLAS_NUM_THREADS=1)
// holds the data and solves on request, and the repetitions alternate (numpy, robustreg, numpy, …)
// so load drifts hit both alike. Times are CPU time (process.cpuUsage in Node, time.process_time in
// python) of the solve alone — data already in place on both sides (the Dataset's memory; numpy's
// [1, X] array) — medians and fastest. Both answers are checked against each other first.
//
// The bar: robustreg within 1.3× numpy per core at 1e6 × 20 and 1e5 × 100.
// On a shared VM host pin the run to one vCPU — `taskset -c 0 node bench/perf-numpy.mjs --reps 11` (the
// python child inherits the mask; the two alternate, never overlap): unpinned, the host's other tenants
// slowed one vCPU or the other for minutes and the two sides' medians swung up to 1.6× (session 9).
//
// Per pass (docs/design.md §5, "Where does the float64 route's time go"): CPU samples by wasm
// function, from any run of this script (python's samples are filtered out by --comm node):
//   perf record -e cpu-clock:u -F 4000 -o /tmp/pn.data -- node --perf-basic-prof bench/perf-numpy.mjs --shapes 1e6x20
//   perf report -i /tmp/pn.data --comm node --sort sym --stdio
// names "wasm-function[K]"; K is the K-th `(func` of build/release.wat counting its imported functions
// first (awk '/^ \(import .*\(func/{i++} /^ \(func /{print i++, $2}' build/release.wat).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const { values: A } = parseArgs({
  options: {
    shapes: { type: 'string', default: '1e6x20,1e5x100' },
    reps: { type: 'string', default: '9' },
    python: { type: 'string', default: 'python3' },
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    base: { type: 'string', default: '' },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log('node bench/perf-numpy.mjs [--shapes 1e6x20,1e5x100] [--reps 9] [--python python3] [--lib dist/index.js] [--base <other build>/index.js]');
  console.log('  --base: an A/B — a second build (a copy of another commit\'s dist/, e.g. cp -r dist /tmp/base-dist) fitted in the');
  console.log('  same alternation (numpy, lib, base, ...) on the same data; its times are a second row per shape.');
  process.exit(0);
}

const PY = String.raw`
import sys, time, numpy as np
try:
    from scipy.linalg import solve_triangular
except Exception:
    solve_triangular = None
Xa = y = None
for line in sys.stdin:
    cmd = line.split()
    if cmd[0] == 'load':
        n, p = int(cmd[2]), int(cmd[3])
        X = np.fromfile(cmd[1] + '.X', dtype='<f8').reshape(n, p)
        y = np.fromfile(cmd[1] + '.y', dtype='<f8')
        Xa = np.empty((n, p + 1)); Xa[:, 0] = 1.0; Xa[:, 1:] = X
        del X
        print('ok', np.__version__, flush=True)
    elif cmd[0] == 'solve':
        t0 = time.process_time()
        G = Xa.T @ Xa
        c = Xa.T @ y
        Lc = np.linalg.cholesky(G)
        if solve_triangular is not None:
            z = solve_triangular(Lc, c, lower=True)
            b = solve_triangular(Lc.T, z, lower=False)
        else:
            b = np.linalg.solve(G, c)
        t = (time.process_time() - t0) * 1000
        print('t', t, ' '.join(repr(float(v)) for v in b), flush=True)
`;

const lib = await import(pathToFileURL(path.resolve(A.lib)).href);
await lib.init({ warmup: 'wait' });
// A second build for an A/B: another module URL is another module instance (its own init and backend).
const baseLib = A.base ? await import(pathToFileURL(path.resolve(A.base)).href) : null;
if (baseLib) await baseLib.init({ warmup: 'wait' });
const py = spawn(A.python, ['-c', PY], { env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }, stdio: ['pipe', 'pipe', 'inherit'] });
const lines = createInterface({ input: py.stdout });
const queue = [];
lines.on('line', (l) => queue.shift()?.(l));
const ask = (cmd) => new Promise((resolve) => {
  queue.push(resolve);
  py.stdin.write(cmd + '\n');
});
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const dir = mkdtempSync(path.join(os.tmpdir(), 'robustreg-perf-'));
console.log(`robustreg ols (Dataset, 1 thread) vs numpy normal equations (OPENBLAS_NUM_THREADS=1) — CPU time, ${A.reps} alternating reps, load ${os.loadavg()[0].toFixed(1)}`);
const rows = [];
try {
  for (const shape of A.shapes.split(',')) {
    const { n, p } = L.parseShape(shape);
    const d = L.makeData({ n, p });
    const base = path.join(dir, `d${n}x${p}`);
    writeFileSync(base + '.X', Buffer.from(d.X.buffer, d.X.byteOffset, d.X.byteLength));
    writeFileSync(base + '.y', Buffer.from(d.y.buffer, d.y.byteOffset, d.y.byteLength));
    const ok = await ask(`load ${base} ${n} ${p}`);
    const npVersion = ok.split(' ')[1];
    const ds = lib.Dataset.from(L.asMatrixLike(d), d.y);
    const dsBase = baseLib ? baseLib.Dataset.from(L.asMatrixLike(d), d.y) : null;
    try {
      const ours = [], theirs = [], baseTimes = [];
      let check = null;
      for (let r = 0; r < Number(A.reps) + 1; r++) {
        const out = (await ask('solve')).split(' ');
        const c0 = cpuMs();
        const res = lib.ols(ds); // init() without threads: the single-threaded build
        const c = cpuMs() - c0;
        if (baseLib) {
          const b0 = cpuMs();
          const rb = baseLib.ols(dsBase);
          if (r > 0) baseTimes.push(cpuMs() - b0);
          if (r === 0) {
            const dev = Math.max(...[rb.intercept - res.intercept, ...rb.coef.map((v, j) => v - res.coef[j])].map(Math.abs));
            console.log(`${shape}: base vs lib max |coef difference| ${dev.toExponential(2)}; method ${res.method} / ${rb.method}; ` +
              `iterations ${res.iterations} / ${rb.iterations}; lastCorrection ${res.lastCorrection?.toExponential(2)} / ${rb.lastCorrection?.toExponential(2)}`);
          }
        }
        if (r === 0) {
          // answers agree (numpy's normal equations lose digits on ill-conditioned data; these are not)
          const nb = out.slice(2).map(Number);
          const ours_ = [res.intercept, ...res.coef];
          check = Math.max(...ours_.map((v, i) => Math.abs(v - nb[i]))) / Math.max(...nb.map(Math.abs));
          if (!(check < 1e-8)) throw new Error(`${shape}: robustreg and numpy disagree (relative ${check})`);
          continue; // the first rep warms both
        }
        theirs.push(Number(out[1]));
        ours.push(c);
      }
      const ratio = median(ours) / median(theirs);
      rows.push([`${L.fmtN(n)} × ${p}`, L.fmtMs(median(ours)), L.fmtMs(Math.min(...ours)), L.fmtMs(median(theirs)), L.fmtMs(Math.min(...theirs)),
        L.fmtRatio(ratio), ratio <= 1.3 ? 'met' : 'not met', `numpy ${npVersion}; agree to ${check.toExponential(1)}`]);
      if (baseLib) {
        const rb = median(baseTimes) / median(theirs);
        rows.push([`  base`, L.fmtMs(median(baseTimes)), L.fmtMs(Math.min(...baseTimes)), '', '', L.fmtRatio(rb), rb <= 1.3 ? 'met' : 'not met',
          `lib / base ${(median(ours) / median(baseTimes)).toFixed(3)} (median)`]);
      }
    } finally {
      ds.dispose();
      dsBase?.dispose();
    }
  }
} finally {
  py.stdin.end();
  rmSync(dir, { recursive: true, force: true });
}
console.log(L.renderTable(['n × p', 'robustreg CPU median', 'fastest', 'numpy CPU median', 'fastest', 'ratio (median)', 'bar ≤ 1.3×', 'notes'], rows));
process.exit(0);
