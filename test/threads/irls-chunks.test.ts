// The IRLS passes over all rows run over fixed row chunks of 16384 rows (assembly/irls.ts "Row chunks"):
// per-chunk sums from zero, added in chunk order. The twin mirrors that decomposition, so WASM and the
// twin return the same bits on data of several chunks — around the chunk boundaries, with an odd last
// row, with weights (zeros included), ridge, a fixed scale, no intercept, and smooth-L1 — and the
// thread pool (init({ threads: 3 })) runs the chunks with the same bits on 1, 2 and 3 threads.
// (Skipped in the 'debug' project: there init() loaded the debug build first, and init() is once per
// process.)
import { beforeAll, describe, expect, it } from 'vitest';
import { huber, init, smoothL1, type HuberOptions, type SmoothL1Options } from '../../src/index.js';
import { threadStats } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';
import { same } from '../helpers/robust-chunks.js';
import { normalFrom } from '../helpers/robust.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

function data(n: number, p: number, seed: number) {
  const rand = rng(seed);
  const normal = normalFrom(rand);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let f = 2;
    for (let j = 0; j < p; j++) {
      const v = normal() * 3 + 1 + j;
      X[i * p + j] = v;
      f += v * (j - 1);
    }
    y[i] = f + normal() * (rand() < 0.1 ? 25 : 1);
  }
  const weights = Float64Array.from({ length: n }, () => (rand() < 0.1 ? 0 : rand() * 2));
  return { X: { data: X, rows: n, cols: p }, y, weights };
}

const bits = (r: { coef: Float64Array; intercept: number; objective: number; iterations: number }, extra: number[]) =>
  [r.intercept, ...r.coef, r.objective, r.iterations, ...extra];

describe.skipIf(debug)('IRLS row chunks: twin = WASM on 1, 2, 3 threads, bit for bit', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  const cases: [number, number][] = [[16383, 2], [16385, 3], [32768, 1], [40001, 3]];
  for (const [n, p] of cases) {
    it(`huber n = ${n}, p = ${p}: plain, weights, ridge, fixed scale, no intercept`, () => {
      const d = data(n, p, n + p);
      const variants: HuberOptions[] = [{}, { weights: d.weights }, { ridge: 0.5 }, { scale: 1.3 }, { intercept: false }];
      for (const [v, o] of variants.entries()) {
        const run = (backend: 'wasm' | 'js', threads = 1) => {
          const r = huber(d.X, d.y, { ...o, backend, ...(backend === 'wasm' ? { threads } : {}) });
          let out = 0;
          for (const b of r.outliers) out += b;
          return bits(r, [r.scale, out]);
        };
        const ref = run('js');
        const jobs = threadStats().jobs;
        for (const t of [1, 2, 3]) same(run('wasm', t), ref, `n ${n} p ${p} variant ${v} threads ${t}`);
        if (n > 16384) expect(threadStats().jobs, 'the 2- and 3-thread fits used the pool').toBeGreaterThan(jobs);
      }
    });
  }
  it('smooth-L1 n = 40001, p = 3: default epsilon, weights', () => {
    const d = data(40001, 3, 7);
    for (const [v, o] of ([{}, { weights: d.weights }] as SmoothL1Options[]).entries()) {
      const run = (backend: 'wasm' | 'js', threads = 1) => {
        const r = smoothL1(d.X, d.y, { ...o, backend, ...(backend === 'wasm' ? { threads } : {}) });
        return bits(r, [r.epsilon]);
      };
      const ref = run('js');
      for (const t of [1, 2, 3]) same(run('wasm', t), ref, `smooth-L1 variant ${v} threads ${t}`);
    }
  });
});
