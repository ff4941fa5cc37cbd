// Least trimmed squares (src/fit/lts.ts → lts_fit + l2_fit): cross-checks against robustbase 0.95
// ltsReg(mcd = FALSE) on the classic data sets (fixtures: scripts/robust-fixtures-lts.R, the best of 5
// seeds of ltsReg), the leverage-point cases (hbk, starsCYG), bit-identical backends (f64 and f32
// storage, the nested scheme, the large-n path), determinism, exact fits, regression / scale / affine
// equivariance, breakdown, progress and cancellation, fit({ loss: 'lts' }) and Datasets.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dataset, RobustRegError, fit, fitAsync, lts, memoryStats, summary, terminateWorkers, type LtsResult } from '../../src/index.js';
import { afterAll } from 'vitest';
import { ltsCnp2, ltsCoverage } from '../../src/fit/lts.js';
import { rng } from '../helpers/close.js';
import { BACKENDS, initBeforeAll, normalFrom } from '../helpers/robust.js';

initBeforeAll();

interface Case {
  name: string; intercept: boolean; alpha: number; n: number; p: number; h: number;
  X: number[][]; y: number[];
  raw: { coef: number[]; scale: number; objective: number; seedObjectives: number[] };
  coef: number[]; scale: number; weights: number[]; outliers: number[];
  summary: { estimate: number[]; se: number[]; t: number[]; p: number[]; sigma: number; df: number[]; r2?: number; adjr2?: number; fstat?: number[] };
}
const FX = JSON.parse(readFileSync(new URL('../fixtures/robust/lts.json', import.meta.url), 'utf8')) as {
  versions: { robustbase: string }; cutoff: number; cases: Case[];
};

const label = (c: Case) => `${c.name}${c.intercept ? '' : ' (no intercept)'}${c.alpha !== 0.5 ? ` alpha ${c.alpha}` : ''}`;
const flagged = (r: LtsResult) => Array.from(r.outliers).flatMap((v, i) => (v ? [i + 1] : []));
const allCoef = (r: { intercept: number; coef: ArrayLike<number> }) => [r.intercept, ...Array.from(r.coef)];
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

function sameBits(a: LtsResult, b: LtsResult): void {
  expect(Array.from(a.coef)).toEqual(Array.from(b.coef));
  expect(a.intercept).toBe(b.intercept);
  expect(a.objective).toBe(b.objective);
  expect(a.scale).toBe(b.scale);
  expect(Array.from(a.raw.coef)).toEqual(Array.from(b.raw.coef));
  expect(a.raw.intercept).toBe(b.raw.intercept);
  expect(a.raw.scale).toBe(b.raw.scale);
  expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
  expect(a.iterations).toBe(b.iterations);
  expect(a.status).toBe(b.status);
}

/** Rows with noise, 1-2 predictors, a block of bad leverage points. */
function synthetic(n: number, p: number, seed: number, badFrac = 0.1): { X: number[][]; y: number[] } {
  const u = rng(seed), z = normalFrom(u);
  const X: number[][] = [], y: number[] = [];
  const nb = Math.floor(badFrac * n);
  for (let i = 0; i < n; i++) {
    const row = Array.from({ length: p }, () => z());
    let yi = 1 + row.reduce((s, v, j) => s + (j + 1) * v, 0) + 0.5 * z();
    if (i < nb) {
      for (let j = 0; j < p; j++) row[j] = 10 + z();
      yi = -20 + z();
    }
    X.push(row);
    y.push(yi);
  }
  return { X, y };
}

describe('robustbase ltsReg fixtures', () => {
  it('were made with robustbase 0.95', () => {
    expect(FX.versions.robustbase).toBe('0.95.0');
    expect(FX.cases.length).toBe(11);
  });
  for (const c of FX.cases) {
    for (const backend of BACKENDS) {
      it(`${label(c)} (${backend}): objective <= robustbase's x (1 + 1e-9), the same rows flagged, same scales`, () => {
        const r = lts(c.X, c.y, { intercept: c.intercept, alpha: c.alpha, backend });
        expect(r.h).toBe(c.h);
        expect(r.h).toBe(ltsCoverage(c.alpha, c.n, c.p + (c.intercept ? 1 : 0)));
        expect(r.objective).toBeLessThanOrEqual(c.raw.objective * (1 + 1e-9));
        expect(r.raw.objective).toBe(r.objective);
        expect(flagged(r)).toEqual(c.outliers);
        expect(Array.from(r.weights)).toEqual(c.weights);
        expect(r.status).toBe('converged');
        expect(r.converged).toBe(true);
        expect(r.exactFit).toBe(false);
        // same optimum found: raw and reweighted fits and scales agree with robustbase's
        expect(rel(r.objective, c.raw.objective)).toBeLessThan(1e-9);
        expect(rel(r.raw.scale, c.raw.scale)).toBeLessThan(1e-9);
        expect(rel(r.scale, c.scale)).toBeLessThan(1e-9);
        const scaleX = Math.max(...c.coef.map(Math.abs));
        let compared = 0;
        allCoef(r).forEach((v, j) => { expect(Math.abs(v - (c.intercept ? c.coef[j] : [0, ...c.coef][j])) / scaleX).toBeLessThan(1e-9); compared++; });
        allCoef(r.raw).forEach((v, j) => { expect(Math.abs(v - (c.intercept ? c.raw.coef[j] : [0, ...c.raw.coef][j])) / Math.max(...c.raw.coef.map(Math.abs))).toBeLessThan(1e-8); compared++; });
        // intercept slot + p slopes, for both the reweighted and the raw fit
        expect(compared).toBe(2 * (c.p + 1));
      });
    }
  }
  for (const c of FX.cases) {
    it(`${label(c)}: summary() = robustbase summary(ltsReg) (classical inference on the reweighted fit)`, () => {
      const r = lts(c.X, c.y, { intercept: c.intercept, alpha: c.alpha });
      const s = summary(r, c.X, c.y, { intercept: c.intercept });
      const S = c.summary;
      expect(s.loss).toBe('lts');
      expect(s.distribution).toBe('t');
      expect(s.df).toBe(S.df[1]);
      expect(s.p).toBe(S.df[0]);
      let compared = 0;
      s.coefficients.forEach((row, j) => {
        expect(rel(row.estimate, S.estimate[j])).toBeLessThan(1e-8);
        expect(rel(row.stdError, S.se[j])).toBeLessThan(1e-8);
        expect(rel(row.statistic, S.t[j])).toBeLessThan(1e-8);
        expect(Math.abs(row.pValue - S.p[j])).toBeLessThan(1e-8 * Math.max(S.p[j], 1e-12) + 1e-15);
        compared++;
      });
      expect(compared).toBe(S.estimate.length);
      expect(rel(s.sigma!, S.sigma)).toBeLessThan(1e-9);
      if (S.r2 !== undefined && S.r2 !== null) {
        expect(rel(s.rSquared!, S.r2)).toBeLessThan(1e-9);
        expect(rel(s.adjRSquared!, S.adjr2!)).toBeLessThan(1e-9);
        expect(rel(s.fStatistic!.value, S.fstat![0])).toBeLessThan(1e-8);
      }
    });
  }
  it('summary() of an lts result needs its 0/1 weights and rejects the weights option', () => {
    const c = FX.cases[0];
    const r = lts(c.X, c.y);
    expect(() => summary({ ...r, weights: undefined } as never, c.X, c.y)).toThrow(/lts result needs result.weights/);
    expect(() => summary(r, c.X, c.y, { weights: c.y.map(() => 1) } as never)).toThrow(/unknown option "weights"/);
  });
  it('hbk: the 10 bad leverage points (rows 1-10) are flagged, the 4 good ones (11-14) are not', () => {
    const c = FX.cases.find((k) => k.name === 'hbk' && k.intercept)!;
    const out = flagged(lts(c.X, c.y));
    for (let i = 1; i <= 10; i++) expect(out).toContain(i);
    for (let i = 11; i <= 14; i++) expect(out).not.toContain(i);
  });
  it('starsCYG: the four giants (rows 11, 20, 30, 34) are flagged', () => {
    const c = FX.cases.find((k) => k.name === 'starsCYG')!;
    const out = flagged(lts(c.X, c.y));
    for (const i of [11, 20, 30, 34]) expect(out).toContain(i);
    // and the slope is positive (the main sequence), unlike least squares'
    expect(lts(c.X, c.y).coef[0]).toBeGreaterThan(2);
  });
  it('small-sample factors equal robustbase LTScnp2 / LTScnp2.rew (values printed by R 4 / robustbase 0.95)', () => {
    // R: robustbase:::LTScnp2(4, TRUE, 75, 0.5) etc. (R's p counts the intercept column; ours does not)
    expect(ltsCnp2(3, true, 75, 0.5, false)).toBeCloseTo(1.27529190253677, 12);
    expect(ltsCnp2(3, true, 75, 0.5, true)).toBeCloseTo(1.01626592521414, 12);
    expect(ltsCnp2(1, true, 47, 0.5, false)).toBeCloseTo(1.18118272895084, 12);
    expect(ltsCnp2(5, true, 20, 0.5, false)).toBeCloseTo(2.93505054955788, 12);
    expect(ltsCnp2(3, false, 75, 0.5, false)).toBeCloseTo(1.19262121177187, 12);
    expect(ltsCnp2(3, true, 21, 0.75, true)).toBeCloseTo(1.15252260608410, 12);
    expect(ltsCnp2(0, true, 30, 0.9, false)).toBeCloseTo(1.00898983046103, 12);
  });
});

describe('backends and determinism', () => {
  const cases: Array<[string, number, number, number]> = [
    ['n = 120, p = 2 (all starts on the data)', 120, 2, 1],
    ['n = 700, p = 3 (every start on all rows, to convergence)', 700, 3, 2],
    ['n = 2000, p = 2 (nested: 5 groups of 300)', 2000, 2, 3],
    ['n = 6000, p = 2 (large n: one final candidate)', 6000, 2, 4],
  ];
  for (const [name, n, p, seed] of cases) {
    it(`${name}: wasm and js return the same bits`, () => {
      const d = synthetic(n, p, seed);
      const a = lts(d.X, d.y, { backend: 'wasm' });
      const b = lts(d.X, d.y, { backend: 'js' });
      sameBits(a, b);
      // 10% bad leverage points: all flagged
      for (let i = 0; i < Math.floor(0.1 * n); i++) expect(a.outliers[i]).toBe(1);
      expect(Math.abs(a.coef[0] - 1)).toBeLessThan(0.2);
    });
  }
  it('integer data (many squared residuals tied at the threshold): same bits on both backends, objective = the h smallest r² of the raw fit', () => {
    // the selection's tie path, the membership lists after ties, and the bracket around the previous
    // threshold all run on this data (both search schemes)
    let compared = 0;
    for (const [n, seed] of [[700, 11], [2000, 12]] as const) {
      const u = rng(seed);
      const X: number[][] = [], y: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = Math.floor(u() * 7), b = Math.floor(u() * 5);
        X.push([a, b]);
        y.push(i < n / 10 ? 40 : 1 + a - 2 * b + (Math.floor(u() * 3) - 1));
      }
      const w = lts(X, y, { backend: 'wasm' });
      sameBits(w, lts(X, y, { backend: 'js' }));
      const r2 = X.map((r, i) => (y[i] - w.raw.intercept - r[0] * w.raw.coef[0] - r[1] * w.raw.coef[1]) ** 2).sort((s, t) => s - t);
      let obj = 0;
      for (let k = 0; k < w.h; k++) obj += r2[k];
      expect(rel(w.raw.objective, obj)).toBeLessThan(1e-9);
      compared++;
    }
    expect(compared).toBe(2);
  });
  it('f32 Datasets: same bits on both backends, = the fit of fl32(X)', () => {
    const d = synthetic(300, 2, 5);
    const rs = BACKENDS.map((backend) => {
      const ds = Dataset.from(d.X, d.y, { precision: 'f32', backend });
      try {
        return lts(ds);
      } finally {
        ds.dispose();
      }
    });
    sameBits(rs[0], rs[1]);
    const X32 = d.X.map((r) => r.map((v) => Math.fround(v)));
    sameBits(rs[0], lts(X32, d.y, { backend: 'wasm' }));
  });
  it('the same seed gives the same bits; fit({ loss: "lts" }) and a Dataset give lts()', () => {
    const d = synthetic(200, 2, 6);
    const a = lts(d.X, d.y, { seed: 7 });
    sameBits(a, lts(d.X, d.y, { seed: 7 }));
    const f = fit(d.X, d.y, { loss: 'lts', seed: 7 }) as LtsResult;
    sameBits(a, f);
    expect(f.loss).toBe('lts');
    const ds = Dataset.from(d.X, d.y);
    try {
      sameBits(a, lts(ds, { seed: 7 }));
    } finally {
      ds.dispose();
    }
    expect(memoryStats().wasmInUse).toBe(0);
  });
  it('predict() uses the reweighted coefficients', () => {
    const d = synthetic(100, 2, 8);
    const r = lts(d.X, d.y);
    const yh = r.predict(d.X.slice(0, 3));
    for (let i = 0; i < 3; i++) expect(yh[i]).toBeCloseTo(r.intercept + r.coef[0] * d.X[i][0] + r.coef[1] * d.X[i][1], 12);
  });
});

describe('location model (no columns, intercept only)', () => {
  it('equals the exact univariate LTS: the window of h sorted values with the least sum of squares', () => {
    const u = rng(41), z = normalFrom(u);
    const y = Array.from({ length: 41 }, (_, i) => (i < 15 ? 30 + z() : z()));
    const X = y.map(() => [] as number[]);
    const h = ltsCoverage(0.5, 41, 1);
    const s = [...y].sort((a, b) => a - b);
    let best = Infinity, loc = NaN;
    for (let a = 0; a + h <= s.length; a++) {
      const w = s.slice(a, a + h);
      const m = w.reduce((t, v) => t + v, 0) / h;
      const ss = w.reduce((t, v) => t + (v - m) ** 2, 0);
      if (ss < best) { best = ss; loc = m; }
    }
    for (const backend of BACKENDS) {
      const r = lts(X, y, { backend });
      expect(r.h).toBe(h);
      expect(rel(r.objective, best)).toBeLessThan(1e-12);
      expect(Math.abs(r.raw.intercept - loc)).toBeLessThan(1e-12);
      for (let i = 0; i < 15; i++) expect(r.outliers[i]).toBe(1);
    }
  });
});

describe('exact fit', () => {
  for (const backend of BACKENDS) {
    it(`(${backend}) more than h rows on one plane: that plane, scale 0, status 'exact-fit', no NaN`, () => {
      const u = rng(11);
      const X: number[][] = [], y: number[] = [];
      for (let i = 0; i < 30; i++) {
        const x1 = u() * 10, x2 = u() * 10;
        X.push([x1, x2]);
        y.push(i < 20 ? 2 + 3 * x1 - x2 : 50 * u());
      }
      const r = lts(X, y, { backend });
      expect(r.exactFit).toBe(true);
      expect(r.status).toBe('exact-fit');
      expect(r.scale).toBe(0);
      expect(r.raw.scale).toBe(0);
      expect(r.intercept).toBeCloseTo(2, 9);
      expect(r.coef[0]).toBeCloseTo(3, 9);
      expect(r.coef[1]).toBeCloseTo(-1, 9);
      expect(r.objective).toBeLessThan(1e-20);
      for (let i = 0; i < 30; i++) expect(r.weights[i]).toBe(i < 20 ? 1 : 0);
      expect(Number.isNaN(r.objective)).toBe(false);
    });
  }
});

describe('equivariance and breakdown (fast-check)', () => {
  const data = (seed: number, n: number) => synthetic(n, 2, seed, 0.15);
  it('regression equivariance: y + X g + g0 moves the coefficients by (g0, g)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true }),
      (seed, g0, g1) => {
        const d = data(seed, 60);
        const r = lts(d.X, d.y);
        const y2 = d.y.map((v, i) => v + g0 + g1 * d.X[i][0]);
        const s = lts(d.X, y2);
        expect(rel(s.objective, r.objective)).toBeLessThan(1e-8);
        expect(Math.abs(s.intercept - r.intercept - g0)).toBeLessThan(1e-7 * (1 + Math.abs(g0)));
        expect(Math.abs(s.coef[0] - r.coef[0] - g1)).toBeLessThan(1e-7 * (1 + Math.abs(g1)));
        expect(Array.from(s.outliers)).toEqual(Array.from(r.outliers));
      }), { numRuns: 12 });
  });
  it('scale equivariance: a y scales coefficients, scales and the objective', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.boolean(),
      (seed, a0, neg) => {
        const a = neg ? -a0 : a0;
        const d = data(seed, 60);
        const r = lts(d.X, d.y);
        const s = lts(d.X, d.y.map((v) => a * v));
        expect(rel(s.objective, a * a * r.objective)).toBeLessThan(1e-8);
        expect(rel(s.scale, Math.abs(a) * r.scale)).toBeLessThan(1e-8);
        expect(rel(s.coef[1], a * r.coef[1])).toBeLessThan(1e-7);
        expect(Array.from(s.outliers)).toEqual(Array.from(r.outliers));
      }), { numRuns: 12 });
  });
  it('affine equivariance: X A gives A^-1 coef', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.double({ min: 0.5, max: 4, noNaN: true }), fc.double({ min: -2, max: 2, noNaN: true }),
      (seed, a11, a21) => {
        const d = data(seed, 60);
        // X' = X A with A = [[a11, 0], [a21, 1]]: x1' = a11 x1 + a21 x2, x2' = x2
        const X2 = d.X.map(([x1, x2]) => [a11 * x1 + a21 * x2, x2]);
        const r = lts(d.X, d.y);
        const s = lts(X2, d.y);
        expect(rel(s.objective, r.objective)).toBeLessThan(1e-8);
        // coef' = A^-1 coef: b1' = b1 / a11, b2' = b2 - a21 b1 / a11
        expect(Math.abs(s.coef[0] - r.coef[0] / a11)).toBeLessThan(1e-7 * (1 + Math.abs(r.coef[0])));
        expect(Math.abs(s.coef[1] - (r.coef[1] - a21 * r.coef[0] / a11))).toBeLessThan(1e-7 * (1 + Math.abs(r.coef[1])));
        expect(Math.abs(s.intercept - r.intercept)).toBeLessThan(1e-7 * (1 + Math.abs(r.intercept)));
      }), { numRuns: 12 });
  });
  it('breakdown: replacing floor((n - q)/2) rows by far-away points keeps the estimate bounded', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(1e3, 1e6, 1e9),
      (seed, far) => {
        const n = 50, q = 3;
        const d = synthetic(n, 2, seed, 0);
        const m = Math.floor((n - q) / 2);
        const u = rng(seed + 1);
        for (let i = 0; i < m; i++) {
          d.X[i] = [far * (1 + u()), -far * u()];
          d.y[i] = far * (u() - 0.5) * 3;
        }
        const r = lts(d.X, d.y);
        // truth (1, 1, 2) with noise sd 0.5 on the 26 clean rows: bounded whatever `far`
        expect(Math.abs(r.intercept - 1)).toBeLessThan(2);
        expect(Math.abs(r.coef[0] - 1)).toBeLessThan(2);
        expect(Math.abs(r.coef[1] - 2)).toBeLessThan(2);
        // (a far point that the plane can pass through at O(1) cost is a good leverage point: not
        // necessarily flagged, but most are)
        let out = 0;
        for (let i = 0; i < m; i++) out += r.outliers[i];
        expect(out).toBeGreaterThanOrEqual(m - 4);
      }), { numRuns: 10 });
  });
});

describe('progress, cancellation, errors', () => {
  it('reports progress and stops on an aborted signal with CANCELLED (no memory left)', () => {
    const d = synthetic(400, 3, 21);
    for (const backend of BACKENDS) {
      let calls = 0;
      lts(d.X, d.y, { backend, onProgress: () => { calls++; } });
      expect(calls).toBeGreaterThan(0);
      const ac = new AbortController();
      let err: unknown;
      try {
        lts(d.X, d.y, { backend, signal: ac.signal, onProgress: () => ac.abort() });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RobustRegError);
      expect((err as RobustRegError).code).toBe('CANCELLED');
    }
    expect(memoryStats().wasmInUse).toBe(0);
    expect(memoryStats().jsInUse).toBe(0);
  });
  it('subsamples below the number of groups still draws one start per group (n = 1600: 5 groups)', () => {
    const d = synthetic(1600, 2, 23);
    const r = lts(d.X, d.y, { subsamples: 1 });
    expect(Number.isFinite(r.objective)).toBe(true);
    expect(Math.abs(r.coef[0] - 1)).toBeLessThan(0.3);
  });
  it('maxIter caps the final C-steps: converged false, status max-iterations', () => {
    const d = synthetic(200, 2, 22, 0.3);
    const r = lts(d.X, d.y, { maxIter: 1 });
    expect(r.iterations).toBeGreaterThan(0);
    expect(['max-iterations', 'converged']).toContain(r.status);
    expect(r.converged).toBe(r.status === 'converged');
  });
});

describe('fitAsync({ loss: "lts" })', () => {
  afterAll(() => terminateWorkers());
  it('returns the bits of lts() from a worker, with progress; an AbortSignal cancels it', async () => {
    const d = synthetic(3000, 3, 31);
    const sync = lts(d.X, d.y, { backend: 'wasm' });
    let calls = 0;
    const r = await fitAsync(d.X, d.y, { loss: 'lts', onProgress: () => { calls++; } }) as LtsResult;
    sameBits(r, sync);
    expect(r.outliers).toBeInstanceOf(Uint8Array);
    expect(r.weights).toBeInstanceOf(Float64Array);
    expect(r.predict(d.X.slice(0, 2))[0]).toBeCloseTo(sync.predict(d.X.slice(0, 2))[0], 12);
    expect(calls).toBeGreaterThan(0);
    const ac = new AbortController();
    const p = fitAsync(d.X, d.y, { loss: 'lts', signal: ac.signal, subsamples: 100000 });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
