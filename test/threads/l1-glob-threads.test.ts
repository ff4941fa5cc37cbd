// L1 / quantile with globbing on the thread pool: the glob driver's passes over all rows (residuals,
// band sides, the reduced problem's column gathers; assembly/l1-glob.ts) run as items of
// PASS_L1_GLOB. Each row (column) is computed alone, so the fits are bit-identical for 1, 2 and 3
// threads and to the twin — checked on data large enough to glob (several 16384-row items), with
// weights, another tau, no intercept and a lasso penalty — and lasso / tau paths (warm-started fits
// glob from 2,000 rows). (Skipped in the 'debug' project: there
// init() loaded the debug build first, and init() is once per process.)
import { beforeAll, describe, expect, it } from 'vitest';
import { init, lad, quantile, solvePath, type QuantileOptions } from '../../src/index.js';
import { threadStats } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';
import { same } from '../helpers/robust-chunks.js';
import { threadsProblem } from '../helpers/l1-problem.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

const data = (n: number, p: number, seed: number) => threadsProblem(rng(seed), n, p);

type Fit = { coef: Float64Array; intercept: number; objective: number; iterations: number; globRounds: number };
const bits = (r: Fit) => [r.intercept, ...r.coef, r.objective, r.iterations, r.globRounds];

describe.skipIf(debug)('L1 globbing passes on the thread pool: 1, 2, 3 threads = twin, bit for bit', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  for (const [n, p] of [[40001, 3], [70000, 6]] as [number, number][]) {
    it(`n = ${n}, p = ${p}: lad, weights, tau 0.2, no intercept, lambda`, () => {
      const d = data(n, p, n + p);
      const variants: Array<[string, QuantileOptions]> = [
        ['lad', { tau: 0.5 }], ['weights', { tau: 0.5, weights: d.weights }], ['tau 0.2', { tau: 0.2 }],
        ['no intercept', { tau: 0.7, intercept: false }], ['lambda', { tau: 0.5, lambda: 3 }],
      ];
      for (const [what, o] of variants) {
        const run = (backend: 'wasm' | 'js', threads = 1) =>
          bits(quantile(d.X, d.y, { ...o, backend, ...(backend === 'wasm' ? { threads } : {}) }) as unknown as Fit);
        const ref = run('js');
        expect(ref[ref.length - 1], `${what}: the fit globbed`).toBeGreaterThan(0);
        const jobs = threadStats().jobs;
        for (const t of [1, 2, 3]) same(run('wasm', t), ref, `n ${n} p ${p} ${what} threads ${t}`);
        expect(threadStats().jobs, `${what}: the 2- and 3-thread fits used the pool`).toBeGreaterThan(jobs);
      }
      // lad is quantile(0.5) with the objective doubled: the same passes
      const l = lad(d.X, d.y, { threads: 2 });
      expect(l.certificate.gap).toBeLessThanOrEqual(1e-9 * Math.max(1, l.objective));
    });
  }

  it('lasso and tau paths (warm starts) n = 30001, p = 4: 1, 2, 3 threads = twin', () => {
    const d = data(30001, 4, 99);
    const paths: Array<[string, () => (backend: 'wasm' | 'js', threads: number) => number[]]> = [
      ['lambda', () => (backend, threads) => solvePath('lambda', [40, 10, 2, 0.5], d.X, d.y,
        { tau: 0.3, backend, ...(backend === 'wasm' ? { threads } : {}) }).flatMap((r) => bits(r as unknown as Fit))],
      ['tau', () => (backend, threads) => solvePath('tau', [0.1, 0.25, 0.5, 0.9], d.X, d.y,
        { weights: d.weights, backend, ...(backend === 'wasm' ? { threads } : {}) }).flatMap((r) => bits(r as unknown as Fit))],
    ];
    for (const [what, make] of paths) {
      const run = make();
      const ref = run('js', 1);
      for (const t of [1, 2, 3]) same(run('wasm', t), ref, `${what} path threads ${t}`);
    }
  });
});
