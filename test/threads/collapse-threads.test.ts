// The duplicate pre-check of the L1 / quantile fits (assembly/collapse.ts sampleDuplicates) on the
// thread pool: its 8192 sampled rows are hashed in items of 1024 (PASS_COLLAPSE, scattered reads of
// every column), the table then runs on the calling thread in sample order — so whether the data
// collapse, and the fit, are the same for 1, 2 and 3 threads and equal to the twin: on data that
// collapse (rows cycling through 3,000 distinct ones), on data that do not (all rows distinct), and on
// an f32 Dataset. (Skipped in the 'debug' project, as the other pool tests.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile } from '../../src/index.js';
import { passTiming } from '../../src/backend/runtime.js';
import { rng } from '../helpers/close.js';
import { same } from '../helpers/robust-chunks.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';
const PASS_COLLAPSE = 12;

type Fit = { coef: Float64Array; intercept: number; objective: number; iterations: number; collapsedRows?: number };
const bits = (r: Fit) => [r.intercept, ...r.coef, r.objective, r.iterations, r.collapsedRows ?? -1];


/** n x p (column-major), rows cycling through d distinct rows (d = n: all distinct). */
function data(n: number, p: number, d: number, seed: number) {
  const r = rng(seed);
  const base = Array.from({ length: d }, () => Array.from({ length: p + 1 }, () => Math.round(r() * 2e6 - 1e6) / 1e3));
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = base[(i * 7) % d];
    for (let j = 0; j < p; j++) X[j * n + i] = b[j];
    y[i] = b[p] + 0.5 * b[0];
  }
  return { X: { data: X, rows: n, cols: p, layout: 'column-major' as const }, y };
}

describe.skipIf(debug)('duplicate pre-check on the thread pool: 1, 2, 3 threads = twin', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  for (const [what, d, collapses] of [['3,000 distinct rows', 3000, true], ['all rows distinct', 40000, false]] as const) {
    it(`n = 40000, p = 4, ${what}: ${collapses ? 'collapses' : 'does not collapse'}, same bits`, () => {
      const dd = data(40000, 4, d, d);
      const ref = bits(quantile(dd.X, dd.y, { tau: 0.3, backend: 'js' }) as unknown as Fit);
      expect(ref[ref.length - 1] > 0, 'collapsed (twin)').toBe(collapses);
      for (const t of [1, 2, 3]) {
        passTiming(true);
        let r: Fit;
        let passes: Record<number, { calls: number; items: number }>;
        try {
          r = quantile(dd.X, dd.y, { tau: 0.3, threads: t }) as unknown as Fit;
        } finally {
          passes = passTiming(false);
        }
        same(bits(r), ref, `${what} threads ${t}`);
        expect(passes[PASS_COLLAPSE], 'the pre-check ran as a pass of 8 items').toEqual(expect.objectContaining({ calls: 1, items: 8 }));
      }
    });
  }

  it('f32 Dataset with duplicates: 1, 2, 3 threads = twin on the same f32 data', () => {
    const dd = data(36000, 3, 2000, 5);
    const X32 = { ...dd.X, data: dd.X.data.map(Math.fround) };
    const ref = bits(quantile(X32, dd.y, { tau: 0.6, backend: 'js' }) as unknown as Fit);
    expect(ref[ref.length - 1]).toBeGreaterThan(0);
    const ds = Dataset.from(dd.X, dd.y, { precision: 'f32' });
    try {
      for (const t of [1, 2, 3]) same(bits(quantile(ds, { tau: 0.6, threads: t }) as unknown as Fit), ref, `f32 threads ${t}`);
    } finally {
      ds.dispose();
    }
  });
});
