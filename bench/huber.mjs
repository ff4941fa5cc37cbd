#!/usr/bin/env node
// npm run bench:huber [-- flags]      Huber (and smooth-L1, and ols) on a Dataset against scikit-learn's
// HuberRegressor and statsmodels' RLM on the same data, CPU time, one run, interleaved repetitions.
//
// Data per cell: Gaussian design (bench/lib.mjs makeRng; n × p, every model fits an intercept), the
// coefficients of lib.mjs trueBeta, and standard Cauchy noise (heavy tails: ~26% of the rows end beyond
// δ·s). The same float64 bits go to Python as raw files (loading is not timed).
//
// Timed (CPU = user + system of the process doing the fit, so other engineers' load on a shared machine
// inflates wall time but not these numbers, up to cache and memory-bandwidth contention):
//   robustreg (this build, dist/): ols, huber (δ = 1.345, proposal-2 scale), smoothL1 (default ε) on a
//     Dataset (WASM backend), in this process (process.cpuUsage around the call).
//   scikit-learn HuberRegressor(epsilon = δ, alpha = 0), defaults otherwise, and statsmodels
//     RLM(HuberT(δ)).fit(scale_est = HuberScale(δ)), defaults otherwise — bench/huber-peers.py, one
//     Python process per fit (time.process_time around .fit), OMP_NUM_THREADS = OPENBLAS_NUM_THREADS = 1.
// Repetitions are interleaved (ours, sklearn, statsmodels, ours, …); medians are reported (and for
// smoothL1 / ols also the ratio of the fastest repetitions).
//
// Estimators: robustreg huber and statsmodels RLM(HuberT, HuberScale) compute the same estimator
// (Huber's proposal 2; robustreg as the minimiser of the jointly convex Q(b, s), docs/losses.md), so
// their coefficients should agree to statsmodels' convergence tolerance. scikit-learn minimises a
// concomitant-scale objective with A = W (not n − p times β(δ)): another scale, hence slightly different
// coefficients (a difference of the order of the sampling error, not a numerical error). The table gives
// max_j |b_ours − b_peer| / max(1, max_j |b_ours|) over [intercept, coef].
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import * as L from './lib.mjs';

const HELP = `node bench/huber.mjs [flags]
  --n LIST          rows (default 1e4,1e5,1e6)
  --p LIST          columns (default 5,20,100)
  --max-np N        skip cells with n·p above N (default 2e7)
  --reps K          repetitions per cell, interleaved (default 5; cells with n >= 1e6: min(K, 3))
  --sm-max-np N     statsmodels only where n·p <= N (default 2e6: it takes seconds there)
  --sl1-max-np N    smoothL1 only where n·p <= N (default 1e7)
  --delta D         Huber threshold (default 1.345)
  --python PATH     interpreter with scikit-learn and statsmodels (default /usr/bin/python3)
  --json PATH       results file (default bench/results/huber-<date>.json)
  --lib PATH        the build to benchmark (default dist/index.js)
  --quick           smoke run: n = 1e4, p = 5,20, 2 repetitions`;

const { values: A } = parseArgs({
  options: {
    n: { type: 'string', default: '10000,100000,1000000' },
    p: { type: 'string', default: '5,20,100' },
    'max-np': { type: 'string', default: '2e7' },
    reps: { type: 'string', default: '5' },
    'sm-max-np': { type: 'string', default: '2e6' },
    'sl1-max-np': { type: 'string', default: '1e7' },
    delta: { type: 'string', default: '1.345' },
    python: { type: 'string', default: '/usr/bin/python3' },
    json: { type: 'string' },
    lib: { type: 'string', default: path.join(L.ROOT, 'dist', 'index.js') },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (A.help) {
  console.log(HELP);
  process.exit(0);
}

const R = await import(pathToFileURL(A.lib).href);
await R.init();
const ns = A.quick ? [10000] : L.parseList(A.n, 'n');
const ps = A.quick ? [5, 20] : L.parseList(A.p, 'p');
const maxNp = Number(A['max-np']);
const smMaxNp = Number(A['sm-max-np']);
const sl1MaxNp = Number(A['sl1-max-np']);
const reps = A.quick ? 2 : Number(A.reps);
const delta = Number(A.delta);
const PEERS_PY = path.join(L.BENCH_DIR, 'huber-peers.py');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'robustreg-huber-'));
const env = { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

/** Gaussian X (row-major), y = trueBeta · [1, x] + standard Cauchy noise (tan(π(u − ½))). */
function cauchyData(n, p, seed) {
  const gx = L.makeRng(seed), ge = L.makeRng(seed ^ 0x5bd1e995);
  const X = new Float64Array(n * p), y = new Float64Array(n);
  const b = L.trueBeta(p);
  for (let k = 0; k < n * p; k++) X[k] = gx.normal();
  for (let i = 0; i < n; i++) {
    let f = b[0];
    for (let j = 0; j < p; j++) f += X[i * p + j] * b[j + 1];
    y[i] = f + Math.tan(Math.PI * (ge.uniform() - 0.5));
  }
  return { X, y };
}

function cpuMs(f) {
  const t = process.cpuUsage();
  const r = f();
  const u = process.cpuUsage(t);
  return [(u.user + u.system) / 1000, r];
}

function peer(which, n, p) {
  const r = spawnSync(A.python, [PEERS_PY, which, path.join(tmp, 'X.f64'), path.join(tmp, 'y.f64'), String(n), String(p), String(delta)],
    { env, encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${which} failed: ${r.stderr || r.error}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

const med = (a) => {
  if (!a.length) return NaN;
  const s = a.slice().sort((u, v) => u - v);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const allCoef = (r) => [r.intercept, ...r.coef];
function dist(ours, peerCoef) {
  let m = 0, s = 1;
  for (let j = 0; j < ours.length; j++) {
    m = Math.max(m, Math.abs(ours[j] - peerCoef[j]));
    s = Math.max(s, Math.abs(ours[j]));
  }
  return m / s;
}

const machine = L.machineInfo();
const cells = [];
try {
  for (const n of ns) {
    for (const p of ps) {
      if (n * p > maxNp) continue;
      const k = n >= 1e6 ? Math.min(reps, 3) : reps;
      const seed = L.seedFor(n, p, 20261206);
      const { X, y } = cauchyData(n, p, seed);
      writeFileSync(path.join(tmp, 'X.f64'), Buffer.from(X.buffer));
      writeFileSync(path.join(tmp, 'y.f64'), Buffer.from(y.buffer));
      const ds = R.Dataset.from({ data: X, rows: n, cols: p, layout: 'row-major' }, y, { backend: 'wasm' });
      const doSm = n * p <= smMaxNp, doSl1 = n * p <= sl1MaxNp;
      const t = { ols: [], huber: [], smoothL1: [], sklearn: [], statsmodels: [] };
      let hub, sl1, sk, sm;
      for (let r = 0; r < k; r++) {
        t.ols.push(cpuMs(() => R.ols(ds))[0]);
        let x = cpuMs(() => R.huber(ds, { delta }));
        t.huber.push(x[0]);
        hub = x[1];
        if (doSl1) {
          x = cpuMs(() => R.smoothL1(ds));
          t.smoothL1.push(x[0]);
          sl1 = x[1];
        }
        sk = peer('sk', n, p);
        t.sklearn.push(sk.cpu * 1000);
        if (doSm) {
          sm = peer('sm', n, p);
          t.statsmodels.push(sm.cpu * 1000);
        }
      }
      ds.dispose();
      if (!hub.converged) throw new Error(`huber did not converge at ${n} × ${p}`);
      const m = Object.fromEntries(Object.entries(t).map(([key, v]) => [key, med(v)]));
      const cell = {
        n, p, reps: k, seed,
        medianCpuMs: m,
        samplesCpuMs: t,
        huber: { iterations: hub.iterations, scale: hub.scale, outliers: hub.outliers.reduce((a, b) => a + b, 0), objective: hub.objective },
        smoothL1: sl1 ? { iterations: sl1.iterations, epsilon: sl1.epsilon, converged: sl1.converged } : null,
        sklearn: { iterations: sk.iterations, scale: sk.scale, coefDistance: dist(allCoef(hub), [sk.intercept, ...sk.coef]) },
        statsmodels: sm && doSm ? { iterations: sm.iterations, scale: sm.scale, coefDistance: dist(allCoef(hub), [sm.intercept, ...sm.coef]) } : null,
        ratios: {
          huberOverSklearn: m.huber / m.sklearn,
          huberOverOls: m.huber / m.ols,
          smoothL1OverOls: doSl1 ? m.smoothL1 / m.ols : null,
          smoothL1OverOlsFastest: doSl1 ? Math.min(...t.smoothL1) / Math.min(...t.ols) : null,
          statsmodelsOverHuber: doSm ? m.statsmodels / m.huber : null,
        },
        versions: sk.versions,
      };
      cells.push(cell);
      console.error(`${L.fmtN(n)} × ${p}: ols ${L.fmtMs(m.ols)}, huber ${L.fmtMs(m.huber)} (${hub.iterations} it), smoothL1 ${L.fmtMs(m.smoothL1)}, sklearn ${L.fmtMs(m.sklearn)}, statsmodels ${L.fmtMs(m.statsmodels)}`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

const header = ['n × p', 'ols', 'huber (it)', 'huber/ols', 'sklearn (it)', 'huber/sklearn', 'Δcoef sklearn', 'statsmodels (it)', 'Δcoef sm', 'smoothL1 (it)', 'sl1/ols', 'sl1/ols fastest'];
const rows = cells.map((c) => [
  `${L.fmtN(c.n)} × ${c.p}`,
  L.fmtMs(c.medianCpuMs.ols),
  `${L.fmtMs(c.medianCpuMs.huber)} (${c.huber.iterations})`,
  L.fmtRatio(c.ratios.huberOverOls),
  `${L.fmtMs(c.medianCpuMs.sklearn)} (${c.sklearn.iterations})`,
  L.fmtRatio(c.ratios.huberOverSklearn),
  c.sklearn.coefDistance.toExponential(1),
  c.statsmodels ? `${L.fmtMs(c.medianCpuMs.statsmodels)} (${c.statsmodels.iterations})` : '—',
  c.statsmodels ? c.statsmodels.coefDistance.toExponential(1) : '—',
  c.smoothL1 ? `${L.fmtMs(c.medianCpuMs.smoothL1)} (${c.smoothL1.iterations})` : '—',
  c.ratios.smoothL1OverOls === null ? '—' : L.fmtRatio(c.ratios.smoothL1OverOls),
  c.ratios.smoothL1OverOlsFastest === null ? '—' : L.fmtRatio(c.ratios.smoothL1OverOlsFastest),
]);
console.log(L.renderTable(header, rows));
console.log(`\nCPU time, medians of interleaved repetitions; ${machine.cpu}, ${machine.cores} cores, load average at the end ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}` +
  ` (start ${machine.loadAverage.join(' ')}); node ${machine.node}; Python peers: ${JSON.stringify(cells[0]?.versions ?? {})}.`);
const out = A.json ?? path.join(L.BENCH_DIR, 'results', `huber-${machine.date.slice(0, 10)}${A.quick ? '-quick' : ''}.json`);
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ machine, loadAverageEnd: os.loadavg(), delta, cells }, null, 2) + '\n');
console.log(`results: ${path.relative(process.cwd(), out)}`);
