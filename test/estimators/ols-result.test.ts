// The ols result says how the solve ended (issue 21): `method` names the path that ran —
// 'cholesky' (double-double refinement), 'cholesky-f64' (float64 refinement, large well-conditioned
// problems: assembly/l2.ts PLAIN_MIN_NQ, RCOND_PLAIN) or 'qr' — and `lastCorrection` is the kernel's
// INFO_REFINE slot (the last correction relative to the coefficients), on both backends alike.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, GramAccumulator, init, ols } from '../../src/index.js';
import { rng } from '../helpers/close.js';
import { pairs } from '../helpers/l2-pairs.js';

const BACKENDS = ['wasm', 'js'] as const;

beforeAll(async () => {
  await init();
});


describe('ols result: method and lastCorrection', () => {
  it("large well-conditioned data: 'cholesky-f64', the last correction small, both backends the same bits", () => {
    const p = 7;
    const n = 1 << 17; // n (p + 1) = 2^20: the float64 refinement's threshold
    const { X, y, bStar } = pairs(n, p, 3);
    const mat = { data: X, rows: n, cols: p, layout: 'row-major' as const };
    const ds = Dataset.from(mat, y);
    try {
      const fits = BACKENDS.map((backend) => ols(mat, y, { backend }));
      const viaDs = ols(ds);
      expect(viaDs.method).toBe('cholesky-f64');
      expect(viaDs.lastCorrection).toBe(fits[0].lastCorrection);
      expect(Array.from(viaDs.coef)).toEqual(Array.from(fits[0].coef));
      for (const [b, f] of fits.entries()) {
        expect(f.backend).toBe(BACKENDS[b]);
        expect(f.method).toBe('cholesky-f64');
        expect(f.lastCorrection).toBeGreaterThan(0); // a correction was applied (iterations >= 1)
        expect(f.lastCorrection).toBeLessThan(1e-12);
        expect(f.iterations).toBeGreaterThanOrEqual(1);
        const err = Math.max(...bStar.map((v, j) => Math.abs((j === 0 ? f.intercept : f.coef[j - 1]) - v))) /
          Math.max(...bStar.map(Math.abs));
        expect(err).toBeLessThanOrEqual(1e-14);
      }
      expect(fits[1].lastCorrection).toBe(fits[0].lastCorrection);
      expect(Array.from(fits[1].coef)).toEqual(Array.from(fits[0].coef));
      // one row fewer than the threshold: the double-double refinement
      const small = ols({ data: X.subarray(0, (n - 2) * p), rows: n - 2, cols: p, layout: 'row-major' }, y.subarray(0, n - 2));
      expect(small.method).toBe('cholesky');
      expect(small.lastCorrection).toBeGreaterThanOrEqual(0);
      expect(small.lastCorrection).toBeLessThan(1e-12);
    } finally {
      ds.dispose();
    }
  });

  it("small problems: 'cholesky' (exact refinement) and 'qr' on a near-collinear design; the accumulator too", () => {
    const r = rng(5);
    const X = Array.from({ length: 200 }, () => [r() * 10, r() * 10 - 5]);
    const y = X.map(([a, b]) => 1 + 2 * a - 3 * b + (r() - 0.5));
    for (const backend of BACKENDS) {
      const f = ols(X, y, { backend });
      expect(f.method).toBe('cholesky');
      expect(Number.isFinite(f.lastCorrection) && f.lastCorrection >= 0).toBe(true);
      expect(f.lastCorrection).toBeLessThan(1e-10);
      // x2 = x1 + 1e-7 noise: rcond ~ 1e-15, below the Cholesky path's 1e-10
      const Xc = X.map(([a]) => [a, a + (r() - 0.5) * 1e-7]);
      const g = ols(Xc, y, { backend });
      expect(g.method).toBe('qr');
      expect(g.rcond).toBeLessThan(1e-10);
      expect(Number.isFinite(g.lastCorrection) && g.lastCorrection >= 0).toBe(true);
    }
    const acc = new GramAccumulator(2);
    acc.add(X, y);
    const a = acc.solve();
    expect(a.method).toBe('cholesky');
    expect(Number.isFinite(a.lastCorrection) && a.lastCorrection >= 0).toBe(true);
  });
});
