// summary(result, dataset, { se: 'nid' }) makes its two refits at tau ± h once (issue 18). On an
// integer design whose fits at tau ± h coincide, every density estimate is 0: the Dataset path
// used to hand over to the array path, which refitted both (intx 1e6 × 10, tau 0.5: 23 s instead
// of ~10). Counted here: the calls of the backend's l1_fit kernel during summary() — refits on all
// rows, and (since session 9) the small solves on the fit's face that replace a refit whose answer
// the face decides.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile, RobustRegError, summary } from '../../src/index.js';
import { l1Rows as l1Fits } from '../helpers/nid-calls.js';

/**
 * The kernel calls of summary's nid: `full` refits on the problem's `rows` (all rows, or the distinct
 * ones when collapsed) and `face` solves on the fit's face (src/inference/quantile-dataset.ts
 * faceRefits: fewer rows, at most one per side).
 */
function split(calls: number[], rows: number): { full: number; face: number } {
  const full = calls.filter((m) => m === rows).length;
  expect(calls.every((m) => m <= rows)).toBe(true);
  return { full, face: calls.length - full };
}

/** The error summary(fit, ds, { se: 'nid' }) throws and the l1_fit calls it made. */
function nidFailure(fit: ReturnType<typeof quantile>, ds: Dataset): { err: unknown; calls: number[] } {
  let err: unknown;
  const calls = l1Fits(ds, () => {
    try {
      summary(fit, ds, { se: 'nid' });
    } catch (e) {
      err = e;
    }
  });
  return { err, calls };
}

beforeAll(async () => {
  // init() no longer wraps the kernel entry points while a background warm-up runs (h21w), so the
  // counting wrapper below stays in place; no warm-up here, and one small fit first.
  await init({ warmup: false });
  quantile([[1], [2], [3], [4]], [1, 3, 2, 5], { tau: 0.5 });
});

/** X uniform on {-2..2}, y = 1 + x1 − x2 + round(2 N(0,1)): the median is flat in tau around 0.5. */
function intData(n: number, seed: number): { X: Float64Array; y: Float64Array } {
  let s = seed >>> 0;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const X = new Float64Array(n * 2), y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    X[2 * i] = Math.floor(rnd() * 5) - 2;
    X[2 * i + 1] = Math.floor(rnd() * 5) - 2;
    const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
    y[i] = 1 + X[2 * i] - X[2 * i + 1] + Math.round(2 * z);
  }
  return { X, y };
}

describe('nid refits on a Dataset are made once', () => {
  it('a bread with as many positive densities as coefficients: the Dataset path hands its refits to the array path', () => {
    // x = 0 except two rows at x = 1 (y 10 and 20): the median at x = 0 is flat in tau, the fit at x = 1
    // jumps from 10 (tau < 0.5) to 20: positive densities at exactly the two x = 1 rows (k = 2), whose
    // identical design rows make X'FX singular — decided by the array path's QR, from the same refits
    const n = 3000;
    const y = Float64Array.from(intData(n, 11).X.subarray(0, n)); // uniform on {-2, ..., 2}: median 0
    const X = new Float64Array(n);
    X[100] = 1; y[100] = 10;
    X[2000] = 1; y[2000] = 20;
    const mat = { data: X, rows: n, cols: 1 };
    const ds = Dataset.from(mat, y);
    try {
      const fit = quantile(ds, { tau: 0.5 });
      const { err, calls } = nidFailure(fit, ds);
      expect(err).toBeInstanceOf(RobustRegError);
      expect((err as RobustRegError).details).toEqual({ positive: 2, observations: n, parameters: 2 });
      // tau - h stays on the fit's face (solved there); tau + h leaves it (the slope at x = 1 jumps),
      // which faceRefits' necessary condition sees without a face solve: one full refit
      expect(split(calls, n)).toEqual({ full: 1, face: 1 });
      expect(() => summary(fit, mat, y, { se: 'nid' })).toThrow((err as Error).message);
    } finally {
      ds.dispose();
    }
  });

  // 3000 rows: as given; 30000 rows: collapsed to distinct rows (25 x values x a few y values)
  for (const n of [3000, 30000]) {
    it(`degenerate density (tau 0.5, n = ${n}): the typed error, no array-path refits`, () => {
      const { X, y } = intData(n, 7);
      const mat = { data: X, rows: n, cols: 2 };
      const ds = Dataset.from(mat, y);
      try {
        const fit = quantile(ds, { tau: 0.5 });
        if (n === 30000) expect(fit.collapsedRows).toBeGreaterThan(0);
        const rows = fit.collapsedRows || n;
        const { err, calls } = nidFailure(fit, ds);
        expect(err).toBeInstanceOf(RobustRegError);
        expect((err as RobustRegError).code).toBe('RANK_DEFICIENT');
        expect((err as RobustRegError).details).toEqual({ positive: 0, observations: n, parameters: 3 });
        // both sides are the fit itself: solved on its face, no refit on all rows
        expect(split(calls, rows)).toEqual({ full: 0, face: 2 });
        // the array path (which refits on a slot of its own) words the same error
        expect(() => summary(fit, mat, y, { se: 'nid' })).toThrow((err as Error).message);
        // where the fits at tau ± h differ: one side on the face, the other refitted once, and a summary
        const f2 = quantile(ds, { tau: 0.1 });
        expect(split(l1Fits(ds, () => expect(summary(f2, ds, { se: 'nid' }).method).toBe('nid')), f2.collapsedRows || n)).toEqual({ full: 1, face: 1 });
      } finally {
        ds.dispose();
      }
    });
  }
});
