// The f32 Gram route's pass (PASS_L2_GRAM32, assembly/gram32.ts) on a pool of workers: 1, 2 and 3
// threads and the twin give the same bits (fixed row chunks, partials added in chunk order), on the
// route itself and on its fallbacks. (Skipped in the 'debug' project: init() is once per process.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, ols } from '../../src/index.js';
import { threadStats } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

/** n x p column-major data, columns uniform with offsets (j % 3) * 0.3, y linear plus noise;
 *  nearCollinear: column 1 = column 0 + 0.12 (u - 0.5) (the route declines it). */
function problem(n: number, p: number, seed: number, nearCollinear = false) {
  const r = rng(seed);
  const data = new Float64Array(n * p);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) data[j * n + i] = j === 1 && nearCollinear ? data[i] + 0.12 * (r() - 0.5) : r() * 4 - 2 + (j % 3) * 0.3;
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 3;
    for (let j = 0; j < p; j++) s += ((j % 5) - 2) * data[j * n + i];
    y[i] = s + (r() - 0.5) * 4;
  }
  return { X: { data, rows: n, cols: p, layout: 'column-major' as const }, y };
}

function bits(r: { coef: ArrayLike<number>; intercept: number; objective: number; method?: string }): string {
  return `${r.method} ` + Buffer.from(new Float64Array([r.intercept, r.objective, ...Array.from(r.coef)]).buffer).toString('hex');
}

describe.skipIf(debug)('the f32 Gram route on threads', () => {
  beforeAll(async () => {
    await init({ threads: 3, warmup: false });
  });

  const shapes: Array<[number, number, boolean]> = [[20_001, 63, false], [12_345, 90, false], [20_000, 70, true]];
  for (const [n, p, nc] of shapes) {
    it(`n=${n} p=${p}${nc ? ' near-collinear (f64 route)' : ''}: 1, 2, 3 threads and the twin are bit-identical`, () => {
      const { X, y } = problem(n, p, n + p, nc);
      for (const opts of [{}, { ridge: 0.3 }, { intercept: false }]) {
        const ref = ols(X, y, { ...opts, backend: 'js' });
        if (nc) {
          expect(ref.method).not.toBe('cholesky-f32');
          expect(bits(ols(X, y, { ...opts, gram: 'f64' }))).toBe(bits(ref)); // the f64 route's bits
        } else {
          expect(ref.method).toBe('cholesky-f32');
        }
        const jobs = threadStats().jobs;
        for (const threads of [1, 2, 3]) expect(bits(ols(X, y, { ...opts, threads })), `threads ${threads}`).toBe(bits(ref));
        expect(threadStats().jobs).toBeGreaterThan(jobs); // the passes ran on the pool
      }
    });
  }

  it('offset columns (the exact refinement after either Gram, assembly/l2.ts OFFSET_AMP): 1, 2, 3 threads and the twin', () => {
    const { X, y } = problem(20_001, 63, 9);
    const data = Float64Array.from(X.data, (v, k) => v + (Math.floor(k / X.rows) % 2 === 0 ? 1e6 : -3e4));
    const Xo = { ...X, data };
    for (const gram of ['auto', 'f64'] as const) {
      const ref = ols(Xo, y, { gram, backend: 'js' });
      expect(ref.method).toBe(gram === 'auto' ? 'cholesky-f32' : 'cholesky');
      for (const threads of [1, 2, 3]) expect(bits(ols(Xo, y, { gram, threads })), `${gram} threads ${threads}`).toBe(bits(ref));
    }
  });

  it('a Dataset: the same bits on 1, 2, 3 threads; gram: f64 gives the f64 route', () => {
    const { X, y } = problem(20_000, 64, 5);
    const ds = Dataset.from(X, y);
    try {
      const ref = ols(ds, { threads: 1 });
      expect(ref.method).toBe('cholesky-f32');
      for (const threads of [2, 3]) expect(bits(ols(ds, { threads }))).toBe(bits(ref));
      expect(ols(ds, { gram: 'f64', threads: 3 }).method).toBe('cholesky-f64');
    } finally {
      ds.dispose();
    }
  });
});
