// ols's gram option and the f32 Gram route through the public API (issue 21; kernel-level checks in
// test/kernels/l2-mixed-kernel.test.ts): method 'cholesky-f32' on large unweighted well-conditioned
// problems, gram: 'f64' for the float64 Gram, both backends alike, the option validated.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, fit, init, ols, RobustRegError } from '../../src/index.js';
import { pairs } from '../helpers/l2-pairs.js';

beforeAll(async () => {
  await init();
});


const matrix = (X: Float64Array, n: number, p: number) => ({ data: X, rows: n, cols: p, layout: 'row-major' as const });

describe('ols: the f32 Gram route', () => {
  const n = 17_000;
  const p = 63;
  const { X, y, bStar } = pairs(n, p, 7);

  for (const backend of ['wasm', 'js'] as const) {
    it(`${backend}: method 'cholesky-f32' by default, 'cholesky-f64' with gram: 'f64'; both the exact solution`, () => {
      const a = ols(matrix(X, n, p), y, { backend });
      const b = ols(matrix(X, n, p), y, { backend, gram: 'f64' });
      expect(a.method).toBe('cholesky-f32');
      expect(b.method).toBe('cholesky-f64');
      // normwise from the exact solution: both routes stop inside the float64 residuals' noise floor
      // (integer columns up to 512: wide); measured 2.2e-14 (f32 route, one correction) and 3.7e-15
      const err = (r: typeof a) => Math.max(...bStar.map((v, j) => Math.abs((j === 0 ? r.intercept : r.coef[j - 1]) - v))) /
        Math.max(...bStar.map(Math.abs));
      expect(err(a)).toBeLessThanOrEqual(1e-13);
      expect(err(b)).toBeLessThanOrEqual(1e-14);
      expect(a.lastCorrection).toBeLessThan(1e-3);
    });
  }

  it('wasm and js give the same bits; fit({ loss: l2 }) and a Dataset take the same route', () => {
    const a = ols(matrix(X, n, p), y);
    const b = ols(matrix(X, n, p), y, { backend: 'js' });
    expect([b.intercept, ...b.coef, b.objective]).toEqual([a.intercept, ...a.coef, a.objective]);
    const f = fit(matrix(X, n, p), y, { loss: 'l2' });
    expect(f.method).toBe('cholesky-f32');
    expect(Array.from(f.coef)).toEqual(Array.from(a.coef));
    expect(fit(matrix(X, n, p), y, { loss: 'l2', gram: 'f64' }).method).toBe('cholesky-f64');
    const ds = Dataset.from(matrix(X, n, p), y);
    try {
      const d = ols(ds);
      expect(d.method).toBe('cholesky-f32');
      expect(Array.from(d.coef)).toEqual(Array.from(a.coef));
    } finally {
      ds.dispose();
    }
  });

  it('weights, a float32 Dataset and small problems stay on the float64 Gram', () => {
    const w = Float64Array.from(y, (_, i) => 1 + (i % 3));
    expect(ols(matrix(X, n, p), y, { weights: w }).method).toBe('cholesky-f64');
    const ds = Dataset.from(matrix(X, n, p), y, { precision: 'f32' });
    try {
      expect(ols(ds).method).not.toBe('cholesky-f32');
    } finally {
      ds.dispose();
    }
    expect(ols(matrix(X.subarray(0, 1000 * p), 1000, p), y.subarray(0, 1000)).method).toBe('cholesky');
  });

  it('gram must be auto or f64', () => {
    for (const bad of ['f32', 'F64', 1, null, true]) {
      expect(() => ols(matrix(X, n, p), y, { gram: bad as unknown as 'f64' })).toThrow(RobustRegError);
      expect(() => ols(matrix(X, n, p), y, { gram: bad as unknown as 'f64' })).toThrow(/gram/);
    }
    expect(ols(matrix(X, n, p), y, { gram: 'auto' }).method).toBe('cholesky-f32');
  });
});
