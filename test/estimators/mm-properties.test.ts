// mm(): bit-identical backends over a grid of shapes (small-n and large-n subsampling schemes, f32
// storage, no intercept), determinism and seeds, regression / scale / affine equivariance, breakdown,
// exact fits, the start path, progress, cancellation and fitAsync.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, RobustRegError, fit, fitAsync, ols, terminateWorkers } from '../../src/index.js';
import { mm, type MMOptions, type MMResult } from '../../src/fit/mm.js';
import { expectVecRel, rng } from '../helpers/close.js';
import { initBeforeAll } from '../helpers/robust.js';

initBeforeAll();

const all = (r: { intercept: number; coef: ArrayLike<number> }) => [r.intercept, ...Array.from(r.coef)];

function gauss(r: () => number): number {
  return Math.sqrt(-2 * Math.log(r() + 1e-300)) * Math.cos(2 * Math.PI * r());
}

/** n × p Gaussian design, y = 1 + Σ (j+1)/2 x_j + e, the first `bad` rows bad leverage points. */
function data(n: number, p: number, seed: number, bad = 0): { X: number[][]; y: number[] } {
  const r = rng(seed);
  const X: number[][] = [], y: number[] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    let s = 1;
    for (let j = 0; j < p; j++) {
      const v = gauss(r);
      row.push(v);
      s += v * (j + 1) * 0.5;
    }
    let yi = s + gauss(r) * 0.5;
    if (i < bad) {
      for (let j = 0; j < p; j++) row[j] += 10;
      yi -= 40;
    }
    X.push(row);
    y.push(yi);
  }
  return { X, y };
}

function sameBits(a: MMResult, b: MMResult): void {
  expect(all(a)).toEqual(all(b));
  expect(all(a.init)).toEqual(all(b.init));
  expect(a.scale).toBe(b.scale);
  expect(a.objective).toBe(b.objective);
  expect(a.iterations).toBe(b.iterations);
  expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  expect(a.status).toBe(b.status);
}

describe('mm: WASM and TS twin agree bit for bit', () => {
  const shapes: [number, number][] = [[7, 1], [9, 2], [13, 3], [20, 4], [31, 5], [40, 9], [2500, 3]];
  for (const [n, p] of shapes) {
    for (const intercept of [true, false]) {
      it(`n = ${n}, p = ${p}, intercept ${intercept}`, () => {
        const { X, y } = data(n, p, n * 31 + p, Math.floor(n / 10));
        const o: MMOptions = { intercept, subsamples: n > 2000 ? 50 : 200 };
        sameBits(mm(X, y, { ...o, backend: 'wasm' }), mm(X, y, { ...o, backend: 'js' }));
        sameBits(mm(X, y, { ...o, backend: 'wasm', maxIter: 2 }), mm(X, y, { ...o, backend: 'js', maxIter: 2 }));
      });
    }
  }
  it("Dataset with precision 'f32': the fit of fl32(X), on both backends", () => {
    const { X, y } = data(60, 3, 5, 6);
    const X32 = X.map((row) => row.map((v) => Math.fround(v)));
    const ref = mm(X32, y);
    let compared = 0;
    for (const backend of ['wasm', 'js'] as const) {
      const ds = Dataset.from(X, y, { precision: 'f32', backend });
      try {
        sameBits(mm(ds), ref);
        sameBits(fit(ds, { loss: 'mm' }) as MMResult, ref);
        compared += 2;
      } finally {
        ds.dispose();
      }
    }
    expect(compared).toBe(2 * 2);
  });
});

describe('mm: determinism and seeds', () => {
  it('the same seed gives the same bits; another seed the same optimum here', () => {
    const { X, y } = data(80, 3, 11, 8);
    sameBits(mm(X, y), mm(X, y));
    sameBits(mm(X, y, { seed: 7 }), mm(X, y, { seed: 7 }));
    const a = mm(X, y), b = mm(X, y, { seed: 7 });
    expectVecRel(all(b), all(a), 1e-6, 'other seed');
  });
  it('the caller\'s arrays are not mutated', () => {
    const { X, y } = data(30, 2, 3, 3);
    const Xc = JSON.stringify(X), yc = JSON.stringify(y);
    mm(X, y);
    expect(JSON.stringify(X)).toBe(Xc);
    expect(JSON.stringify(y)).toBe(yc);
  });
});

describe('mm: equivariance (same subsets are drawn: the generator does not depend on the data)', () => {
  const { X, y } = data(60, 3, 21, 6);
  let base: MMResult;
  beforeAll(() => {
    base = mm(X, y);
  });
  it('regression: y + X g + g0 → coef + g, intercept + g0', () => {
    const g = [0.5, -2, 3], g0 = 7;
    const y2 = y.map((v, i) => v + g0 + X[i].reduce((s, x, j) => s + x * g[j], 0));
    const r = mm(X, y2);
    expectVecRel(all(r), [base.intercept + g0, ...Array.from(base.coef).map((b, j) => b + g[j])], 1e-7, 'regression equivariance');
    // the S-scale is the last step of a refinement stopped at refine.tol = 1e-7 (robustbase's rule):
    // equivariant to that tolerance, not to rounding
    expect(Math.abs(r.scale / base.scale - 1)).toBeLessThan(1e-5);
  });
  it('scale: a y → a coef, a scale', () => {
    for (const a of [-3, 1e-3, 250]) {
      const r = mm(X, y.map((v) => a * v));
      expectVecRel(all(r), all(base).map((b) => a * b), 1e-7, `scale ${a}`);
      expect(Math.abs(r.scale / (Math.abs(a) * base.scale) - 1)).toBeLessThan(1e-5);
      expect(Array.from(r.outliers)).toEqual(Array.from(base.outliers));
    }
  });
  it('affine: X → X A (A nonsingular) → coef A^-1 coef', () => {
    // A = upper triangular with unit diagonal: easy inverse; X A columns mix the predictors
    const A = [[1, 2, 0], [0, 1, -1], [0, 0, 1]];
    const XA = X.map((row) => [0, 1, 2].map((c) => row.reduce((s, x, k) => s + x * A[k][c], 0)));
    const r = mm(XA, y);
    // X b = X A c  →  c = A^-1 b; check the fitted values instead (A c = b)
    const Ac = [0, 1, 2].map((k) => A[k].reduce((s, v, c) => s + v * r.coef[c], 0));
    expectVecRel([r.intercept, ...Ac], all(base), 1e-6, 'affine equivariance');
  });
});

describe('mm: breakdown', () => {
  it('replacing ⌊(n − q)/2⌋ − 1 rows by far-away points (q = p + 1 coefficients) keeps the estimate bounded', () => {
    const n = 60, p = 2;
    const { X, y } = data(n, p, 33);
    const clean = mm(X, y);
    const m = Math.floor((n - p - 1) / 2) - 1;
    const r = rng(77);
    // (far is kept below ~1e5: beyond, mean|y| ~ far² makes robustbase's zero tolerance
    // zero.tol · mean|y| exceed the good rows' residuals, and the rule "more than n/2 zero residuals"
    // then declares an exact fit through good rows — robustbase behaves the same.)
    for (const far of [1e2, 1e4]) {
      // bad points far out in x, with responses of order far²: any plane through them has slopes ~ far
      const Xb = X.map((row) => row.slice()), yb = y.slice();
      for (let i = 0; i < m; i++) {
        Xb[i] = [far * (1 + r()), far * (r() - 0.5)];
        yb[i] = far * far * (1 + r());
      }
      const f = mm(Xb, yb);
      for (let j = 0; j < p; j++) expect(Math.abs(f.coef[j] - clean.coef[j]), `far ${far} coef ${j}`).toBeLessThan(1);
      const ls = ols(Xb, yb);
      expect(Math.abs(ls.coef[0])).toBeGreaterThan(far / 10); // least squares does break down
    }
  });
});

describe('mm: exact fit, start, progress, cancellation, fitAsync', () => {
  it('more than half of the rows on one line → that line, scale 0, status exact-fit, no NaN', () => {
    const X: number[][] = [], y: number[] = [];
    for (let i = 0; i < 30; i++) {
      X.push([i]);
      y.push(i < 20 ? 2 + 3 * i : 100 * Math.sin(i));
    }
    let compared = 0;
    for (const backend of ['wasm', 'js'] as const) {
      const r = mm(X, y, { backend });
      expect(r.status).toBe('exact-fit');
      expect(r.scale).toBe(0);
      expect(r.warning).toMatch(/exact fit/);
      expectVecRel(all(r), [2, 3], 1e-12, 'exact line');
      expect(Array.from(r.outliers).slice(20).every((v) => v === 1)).toBe(true);
      expect(Number.isNaN(r.objective)).toBe(false);
      compared++;
    }
    expect(compared).toBe(2);
  });
  it('constant y is an exact fit (intercept = y, slopes 0)', () => {
    const { X } = data(20, 2, 1);
    const r = mm(X, X.map(() => 4));
    expect(r.status).toBe('exact-fit');
    expectVecRel(all(r), [4, 0, 0], 1e-12, 'constant');
  });
  it('start skips the S stage (init = the start)', () => {
    const { X, y } = data(40, 2, 4, 4);
    const a = mm(X, y);
    const b = mm(X, y, { start: { coef: a.init.coef, intercept: a.init.intercept, scale: a.init.scale } });
    sameBits(a, b);
    expect(b.init.scale).toBe(a.init.scale);
  });
  it('progress is reported and the signal cancels', () => {
    const { X, y } = data(3000, 4, 9, 300);
    let calls = 0;
    mm(X, y, { onProgress: () => { calls++; } });
    expect(calls).toBeGreaterThan(0);
    const ac = new AbortController();
    let seen = 0;
    try {
      mm(X, y, { signal: ac.signal, onProgress: () => { if (++seen === 1) ac.abort(); } });
      expect.fail('not cancelled');
    } catch (e) {
      expect((e as RobustRegError).code).toBe('CANCELLED');
    }
  });
  it('fitAsync({ loss: "mm" }) returns the same bits in a worker, reports progress, and an AbortSignal cancels it', async () => {
    const { X, y } = data(3000, 3, 8, 300);
    const a = mm(X, y, { backend: 'wasm' });
    let calls = 0;
    const b = (await fitAsync(X, y, { loss: 'mm', onProgress: () => { calls++; } })) as MMResult;
    expect(all(b)).toEqual(all(a));
    expect(b.scale).toBe(a.scale);
    expect(all(b.init)).toEqual(all(a.init));
    expect(Array.from(b.outliers)).toEqual(Array.from(a.outliers));
    expect(b.weights).toBeInstanceOf(Float64Array);
    expect(calls).toBeGreaterThan(0);
    const ac = new AbortController();
    const p = fitAsync(X, y, { loss: 'mm', signal: ac.signal, subsamples: 200000 });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    terminateWorkers();
  });
});
