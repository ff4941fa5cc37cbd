// summary(result, dataset) for l1/quantile with se 'nid' (src/inference/quantile-dataset.ts): the
// refits on the Dataset and the moments-kernel factors must give the covariance of the array path
// (QR of the copied design) — unweighted, weighted with zero weights, on duplicated rows (solved as
// distinct rows with multiplicities), with the same warnings; options the fast path does not handle,
// and results of other data, go to the array path (which words the errors).
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, lad, quantile, RobustRegError, summary, type Summary } from '../../src/index.js';

beforeAll(async () => {
  await init();
});

function data(n: number, p: number, seed: number, distinct = n): { X: Float64Array; y: Float64Array; w: Float64Array } {
  let s = seed >>> 0;
  const rnd = () => { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; return s / 4294967296; };
  const X = new Float64Array(n * p), y = new Float64Array(n), w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (i >= distinct) {
      const k = i % distinct;
      X.copyWithin(i * p, k * p, k * p + p);
      y[i] = y[k];
    } else {
      let lin = 1;
      for (let j = 0; j < p; j++) {
        const x = (rnd() - 0.5) * (j + 1) + 10;
        X[i * p + j] = x;
        lin += x * (j % 3 - 1) * 0.5;
      }
      y[i] = lin + (rnd() - 0.5) * (1 + Math.abs(X[i * p] - 10)) * 4;
    }
    w[i] = i % 7 === 0 ? 0 : 0.5 + rnd();
  }
  return { X, y, w };
}

function expectSame(a: Summary, b: Summary, tol: number): void {
  expect(a.method).toBe('nid');
  expect(a.coefficients.map((c) => c.name)).toEqual(b.coefficients.map((c) => c.name));
  let compared = 0;
  a.coefficients.forEach((c, j) => {
    const d = b.coefficients[j];
    expect(c.estimate).toBe(d.estimate);
    expect(Math.abs(c.stdError - d.stdError)).toBeLessThanOrEqual(tol * d.stdError);
    compared++;
  });
  expect(compared).toBe(b.coefficients.length);
  expect(a.n).toBe(b.n);
  expect(a.df).toBe(b.df);
  expect(a.bandwidth).toEqual(b.bandwidth);
  expect(a.warnings).toEqual(b.warnings);
}

describe('summary(result, dataset), se nid', () => {
  const mat = (X: Float64Array, n: number, p: number) => ({ data: X, rows: n, cols: p, layout: 'row-major' as const });

  it('equals the array path: unweighted, weighted (with zero weights), tau 0.5 and 0.2, both backends', () => {
    const n = 3000, p = 3;
    const d = data(n, p, 7);
    let compared = 0;
    for (const backend of ['wasm', 'js'] as const) {
      for (const weighted of [false, true]) {
        const w = weighted ? d.w : undefined;
        const ds = Dataset.from(mat(d.X, n, p), d.y, { backend, weights: w });
        for (const tau of [0.5, 0.2]) {
          const r = quantile(ds, { tau });
          const a = summary(r, ds, { se: 'nid' });
          const b = summary(r, mat(d.X, n, p), d.y, { se: 'nid', weights: w });
          expectSame(a, b, 1e-9);
          compared++;
        }
        const l = lad(ds);
        expectSame(summary(l, ds), summary(l, mat(d.X, n, p), d.y, { weights: w }), 1e-9);
        compared++;
        ds.dispose();
      }
    }
    expect(compared).toBe(2 * 2 * (2 + 1)); // backends x weighted x (two taus + lad)
  });

  it('on duplicated rows (collapsed to distinct rows with multiplicities) equals the array path, warnings included', () => {
    const n = 24000, p = 2;
    const d = data(n, p, 3, 300);
    const ds = Dataset.from(mat(d.X, n, p), d.y);
    const r = quantile(ds, { tau: 0.3 });
    expect(r.collapsedRows).toBe(300);
    const a = summary(r, ds);
    const b = summary(r, mat(d.X, n, p), d.y);
    ds.dispose();
    expectSame(a, b, 1e-9);
  });

  it('takes the array path for what it does not handle, with the same answers and errors', () => {
    const n = 2000, p = 2;
    const d = data(n, p, 5);
    const ds = Dataset.from(mat(d.X, n, p), d.y);
    const r0 = quantile(ds, { tau: 0.4, intercept: false });
    expectSame(summary(r0, ds, { se: 'nid', intercept: false }), summary(r0, mat(d.X, n, p), d.y, { se: 'nid', intercept: false }), 1e-12);
    const r = quantile(ds, { tau: 0.4 });
    expect(summary(r, ds, { se: 'ker' }).method).toBe('ker');
    // a result of other data: the intercept's optimality guard fails on the array path
    const other = { ...r, intercept: r.intercept + 5 };
    expect(() => summary(other, ds, { se: 'nid' })).toThrow(RobustRegError);
    ds.dispose();
  });
});
