// summary(result, dataset): least squares in blocked passes over linear memory (no copy of X) must
// agree with the QR path on the same data (classical and HC0–HC3, weights, no intercept), fall back to
// it when the Gram matrix is ill-conditioned, and keep the guard against a result of other data.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, fit, init, memoryStats, RobustRegError, summary, type Summary } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

function data(n: number, p: number, seed: number, scale = 1): { X: number[][]; y: number[]; w: number[] } {
  let s = seed >>> 0;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const X: number[][] = [], y: number[] = [], w: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = Array.from({ length: p }, (_, j) => (rnd() - 0.5) * (j + 1) * scale + 100);
    X.push(x);
    y.push(x.reduce((a, v, j) => a + v * (j - 1), 3) + (rnd() - 0.5) * (1 + Math.abs(x[0] - 100)));
    w.push(i % 7 === 0 ? 0 : 0.5 + rnd());
  }
  return { X, y, w };
}

function expectSame(a: Summary, b: Summary, tol: number): void {
  expect(a.coefficients.map((c) => c.name)).toEqual(b.coefficients.map((c) => c.name));
  let compared = 0;
  a.coefficients.forEach((c, j) => {
    const d = b.coefficients[j];
    expect(Math.abs(c.stdError - d.stdError)).toBeLessThanOrEqual(tol * d.stdError);
    expect(Math.abs(c.statistic - d.statistic)).toBeLessThanOrEqual(tol * Math.abs(d.statistic));
    compared++;
  });
  expect(compared).toBe(b.coefficients.length);
  expect(Math.abs(a.rSquared! - b.rSquared!)).toBeLessThanOrEqual(tol);
  expect(Math.abs(a.sigma! - b.sigma!)).toBeLessThanOrEqual(tol * b.sigma!);
  // the robust Wald F solves with the covariance block (condition ~1e5 without an intercept here),
  // which amplifies the 1e-11 differences between the two paths
  if (b.fStatistic) expect(Math.abs(a.fStatistic!.value - b.fStatistic.value)).toBeLessThanOrEqual(1e-6 * b.fStatistic.value);
  expect(a.df).toBe(b.df);
  expect(a.n).toBe(b.n);
}

describe('summary(result, dataset) for least squares', () => {
  for (const vcov of ['classical', 'HC0', 'HC1', 'HC2', 'HC3'] as const) {
    for (const weighted of [false, true]) {
      for (const intercept of [true, false]) {
        it(`${vcov}${weighted ? ', weighted' : ''}${intercept ? '' : ', no intercept'}: equals the QR path to 1e-9`, () => {
          const { X, y, w } = data(1500, 4, 7);
          const ds = Dataset.from(X, y, weighted ? { weights: w } : undefined);
          try {
            const r = fit(ds, { loss: 'l2', intercept });
            const inUse = memoryStats().wasmInUse;
            const a = summary(r, ds, { vcov, intercept, names: ['a', 'b', 'c', 'd'] });
            expect(memoryStats().wasmInUse).toBe(inUse);
            const b = summary(r, X, y, { vcov, intercept, names: ['a', 'b', 'c', 'd'], ...(weighted ? { weights: w } : {}) });
            expectSame(a, b, 1e-9);
          } finally {
            ds.dispose();
          }
        });
      }
    }
  }

  it('falls back to the QR path when the Gram matrix is ill-conditioned (identical numbers)', () => {
    // no intercept, columns 100 ± 0.05·(j+1): the uncentred scaled Gram matrix has condition ≫ 1e6
    const { X, y } = data(400, 3, 3, 0.1);
    const ds = Dataset.from(X, y);
    try {
      const r = fit(ds, { loss: 'l2', intercept: false });
      const a = summary(r, ds, { vcov: 'HC3', intercept: false });
      const b = summary(r, X, y, { vcov: 'HC3', intercept: false });
      expect(a.coefficients).toEqual(b.coefficients);
    } finally {
      ds.dispose();
    }
  });

  it('uses dataset.frame.names and refuses a result fitted to other data', () => {
    const ds = Dataset.fromColumns({ y: [1, 3, 2, 5, 4, 6, 8], x: [1, 2, 3, 4, 5, 6, 7], g: ['a', 'b', 'a', 'b', 'a', 'b', 'a'] }, { y: 'y' });
    try {
      const r = fit(ds, { loss: 'l2' });
      expect(summary(r, ds).coefficients.map((c) => c.name)).toEqual(['(Intercept)', 'x', 'gb']);
      const other = { ...r, coef: Float64Array.of(r.coef[0] + 1, r.coef[1]) };
      expect(() => summary(other, ds)).toThrow(RobustRegError);
      expect(() => summary(other, ds)).toThrow(/not orthogonal/);
    } finally {
      ds.dispose();
    }
  });

  it('other losses go through a copy: same table as with arrays', () => {
    const { X, y } = data(300, 2, 11);
    const ds = Dataset.from(X, y);
    try {
      const r = fit(ds, { loss: 'l1' });
      expect(summary(r, ds, { se: 'ker' }).coefficients).toEqual(summary(r, X, y, { se: 'ker' }).coefficients);
    } finally {
      ds.dispose();
    }
  });
});
