// Smoke check of the benchmark's own machinery (bench/lib.mjs): the seeded data generator is
// deterministic, and the answer checks that guard every timing reject a wrong answer and accept a
// right one. No timing here — benchmarks are never part of the test run (npm run bench is).
import { describe, expect, it } from 'vitest';
import {
  BenchValidationError, TOL, buildLpCsc, checkObjective, dataHash, makeData, makeRng, sumSquares,
  validateCoef, validateObjective,
} from '../../bench/lib.mjs';

describe('bench data generator', () => {
  it('is deterministic for a seed and differs across seeds and cells', () => {
    const a = makeData({ n: 500, p: 4 });
    const b = makeData({ n: 500, p: 4 });
    expect(dataHash(a)).toBe(dataHash(b));
    expect(Array.from(a.y.subarray(0, 5))).toEqual(Array.from(b.y.subarray(0, 5)));
    expect(dataHash(makeData({ n: 500, p: 4, seed: a.seed + 1 }))).not.toBe(dataHash(a));
    expect(dataHash(makeData({ n: 500, p: 5 }))).not.toBe(dataHash(a));
    const r1 = makeRng(7), r2 = makeRng(7);
    for (let k = 0; k < 100; k++) expect(r1.u32()).toBe(r2.u32());
  });

  it('has the promised shape: finite Gaussian design, heavy tails and about 10% gross outliers', () => {
    const d = makeData({ n: 4000, p: 3 });
    expect(d.X.length).toBe(12000);
    expect(d.X.every(Number.isFinite) && d.y.every(Number.isFinite)).toBe(true);
    // residuals at the true coefficients: outliers add 20 + 10|z| > 20
    let big = 0;
    for (let i = 0; i < d.n; i++) {
      let f = d.beta[0];
      for (let j = 0; j < d.p; j++) f += d.X[i * d.p + j] * d.beta[j + 1];
      if (d.y[i] - f > 20) big++;
    }
    expect(big / d.n).toBeGreaterThan(0.07);
    expect(big / d.n).toBeLessThan(0.13);
  });
});

describe('bench answer validation', () => {
  const cell = { n: 3, p: 1 };

  it('accepts an objective within tolerance and rejects one outside, naming suite, cell and numbers', () => {
    expect(validateObjective({ suite: 'l1', cell, who: 'peer', got: 100 * (1 + 1e-11), ref: 100, rtol: TOL.lpObjective })).toBeLessThan(1e-9);
    let err: unknown;
    try {
      validateObjective({ suite: 'l1', cell, who: 'peer', got: 100 * (1 + 1e-8), ref: 100, rtol: TOL.lpObjective });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(BenchValidationError);
    expect((err as Error).message).toMatch(/\[l1 n=3, p=1\].*peer = 100\.000001.*robustreg.*= 100/);
    expect(() => validateObjective({ suite: 'l1', cell, who: 'peer', got: NaN, ref: 1, rtol: 1 })).toThrow(BenchValidationError);
    expect(() => validateObjective({ suite: 'l2', cell, who: 'twin', got: 1 + 4e-12, ref: 1, rtol: TOL.twin })).toThrow(/twin/);
  });

  it('compares coefficient vectors relative to the norm of ours', () => {
    const ref = [2, 1e-12, -3];
    expect(validateCoef({ suite: 'l2', cell, who: 'peer', got: [2, 3e-9, -3], ref })).toBeLessThan(TOL.l2Coef);
    expect(() => validateCoef({ suite: 'l2', cell, who: 'peer', got: [2, 1e-6, -3], ref })).toThrow(/coef\[0\].*> tol 1e-8/);
    expect(() => validateCoef({ suite: 'l2', cell, who: 'peer', got: [2, 0], ref })).toThrow(BenchValidationError);
  });

  it('computes objectives and builds the LP consistently on a hand-checked problem', () => {
    // y = 1 + 2x exactly except one point: the LAD optimum is that line, Σ|r| = 5.
    const d = { n: 4, p: 1, X: Float64Array.from([0, 1, 2, 3]), y: Float64Array.from([1, 3, 5, 12]) };
    expect(checkObjective(d, 1, [2], 0.5, true)).toBe(5);
    expect(checkObjective(d, 1, [2], 0.25)).toBe(1.25);
    expect(sumSquares(d, 1, [2])).toBe(25);
    const lp = buildLpCsc(d, 0.25);
    expect(lp.numCols).toBe(2 + 2 * 4);
    expect(lp.matrix.starts[lp.numCols]).toBe(2 * 4 + 2 * 4);
    expect(Array.from(lp.colCost)).toEqual([0, 0, 0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]);
    expect(Array.from(lp.rowLower)).toEqual([1, 3, 5, 12]);
  });
});
