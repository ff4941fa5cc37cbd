// Datasets with X stored as float32 ({ precision: 'f32' }): every loss reads X as float32 widened to
// float64 and computes in float64, so a fit is, bit for bit, the fit of the rounded data
// X~ = fl32(X) given as float64 arrays — on both backends, which also agree with each other. The
// distance to the fit of the unrounded data is bounded (objectives, provably) and measured
// (coefficients), and memory is 4 bytes per X entry with no float64 copy of X during any fit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Dataset, RobustRegError, fit, fitAsync, huber, init, lad, lambdaMax, memoryStats, ols, quantile, smoothL1, solvePath,
  terminateWorkers, type FitResult, type XInput,
} from '../../src/index.js';
import { GramAccumulator } from '../../src/index.js';
import { rng } from '../helpers/close.js';

const U = 2 ** -24; // unit roundoff of float32 (round to nearest)
const BACKENDS = ['wasm', 'js'] as const;

interface Problem { X: number[][]; y: number[]; w: number[] }

/** Heavy-tailed noise, some outliers, columns of different scales and offsets. */
function problem(n: number, p: number, seed: number, opts: { offset?: number; collinear?: number } = {}): Problem {
  const r = rng(seed);
  const X: number[][] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < p; j++) {
      let v = (r() * 4 - 2) * 10 ** ((j % 3) - 1) + (opts.offset ?? 0) * (j % 2);
      if (opts.collinear !== undefined && j === p - 1 && p > 1) v = row[0] + opts.collinear * (r() - 0.5);
      row.push(v);
    }
    X.push(row);
    const noise = (r() - 0.5) * (r() < 0.1 ? 40 : 1);
    y.push(0.7 + row.reduce((s, v, j) => s + v * ((j % 4) - 1.5), 0) + noise);
    w.push(0.5 + (i % 5) * 0.25);
  }
  return { X, y, w };
}

const fround = (X: number[][]): number[][] => X.map((row) => row.map(Math.fround));

/** Every number a result carries (coefficients, objective, certificate, counts, scales, masks). */
function numbers(r: unknown): number[] {
  // a bare number (lambdaMax) is itself the result: without this line it yielded no fields and was
  // compared vacuously (found by the compared-count below)
  if (typeof r === 'number') return [r];
  if (Array.isArray(r)) return r.flatMap(numbers);
  const o = r as Record<string, unknown>;
  const out: number[] = [];
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    if (typeof v === 'number') out.push(v);
    else if (ArrayBuffer.isView(v)) out.push(...Array.from(v as unknown as ArrayLike<number>));
    else if (v && typeof v === 'object') out.push(...numbers(v));
  }
  return out;
}

/** Bitwise equality of everything two results carry; the message names the first differing entry. */
function expectSameBits(a: unknown, b: unknown, what: string): void {
  const x = numbers(a), y = numbers(b);
  expect(x.length, `${what}: number of fields`).toBe(y.length);
  expect(y.length, `${what}: something to compare`).toBeGreaterThan(0);
  let compared = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Object.is(x[i], y[i])) expect.fail(`${what}: entry ${i} differs: ${x[i]} vs ${y[i]}`);
    compared++;
  }
  expect(compared, `${what}: entries compared`).toBe(y.length);
}

type Fitter = [name: string, run: (X: XInput | Dataset, y: number[] | undefined, w: number[] | undefined, backend: 'wasm' | 'js') => unknown];

// (X, y, weights) for arrays; (dataset) for a Dataset, whose weights are stored with it.
function call<O extends object>(f: (...a: never[]) => unknown, X: XInput | Dataset, y: number[] | undefined, w: number[] | undefined, backend: string, o: O): unknown {
  const g = f as unknown as (...a: unknown[]) => unknown;
  return X instanceof Dataset ? g(X, { ...o }) : g(X, y, { ...o, backend, ...(w ? { weights: w } : {}) });
}

const FITTERS: Fitter[] = [
  ['l2', (X, y, w, b) => call(ols, X, y, w, b, {})],
  ['l2 ridge, no intercept', (X, y, w, b) => call(ols, X, y, w, b, { ridge: 0.5, intercept: false })],
  ['l1', (X, y, w, b) => call(lad, X, y, w, b, {})],
  ['quantile tau 0.3', (X, y, w, b) => call(quantile, X, y, w, b, { tau: 0.3 })],
  ['quantile taus', (X, y, w, b) => call(quantile, X, y, w, b, { taus: [0.2, 0.5, 0.85] })],
  ['lasso (pseudo-rows)', (X, y, w, b) => call(lad, X, y, w, b, { lambda: 2 })],
  ['lambda path', (X, y, w, b) => (X instanceof Dataset ? solvePath('lambda', [8, 1, 0.1], X, undefined, {}) : solvePath('lambda', [8, 1, 0.1], X, y, { backend: b, ...(w ? { weights: w } : {}) }))],
  ['tau path with lambda', (X, y, w, b) => (X instanceof Dataset ? solvePath('tau', [0.25, 0.75], X, undefined, { lambda: 0.5 }) : solvePath('tau', [0.25, 0.75], X, y, { lambda: 0.5, backend: b, ...(w ? { weights: w } : {}) }))],
  ['huber', (X, y, w, b) => call(huber, X, y, w, b, {})],
  ['huber fixed scale + ridge', (X, y, w, b) => call(huber, X, y, w, b, { scale: 1, ridge: 0.1 })],
  ['smooth-l1', (X, y, w, b) => call(smoothL1, X, y, w, b, {})],
  ['fit() huber', (X, y, w, b) => call(fit, X, y, w, b, { loss: 'huber' })],
  ['lambdaMax', (X, y, w, b) => (X instanceof Dataset ? lambdaMax(X, undefined) : lambdaMax(X, y, w ? { weights: w } : {})) + (b === 'js' ? 0 : 0)],
  ['lambdaMax tau', (X, y, w) => (X instanceof Dataset ? lambdaMax(X, undefined, { tau: 0.3 }) : lambdaMax(X, y, { tau: 0.3, ...(w ? { weights: w } : {}) }))],
];

beforeAll(async () => {
  await init();
});
afterAll(() => terminateWorkers());

describe("Dataset precision 'f32': the fit of fl32(X), bit for bit", () => {
  for (const weighted of [false, true]) {
    for (const [n, p, seed] of [[301, 4, 1], [64, 1, 2], [1200, 9, 3]] as const) {
      it(`every loss, ${weighted ? 'weighted' : 'unweighted'}, n = ${n}, p = ${p}: f32 Dataset == float64 arrays of fl32(X), on both backends, wasm == js`, () => {
        const { X, y, w } = problem(n, p, seed);
        const XR = fround(X);
        const byBackend: Record<string, unknown[]> = {};
        let compared = 0;
        for (const backend of BACKENDS) {
          const ds = Dataset.from(X, y, { precision: 'f32', backend, ...(weighted ? { weights: w } : {}) });
          expect(ds.precision).toBe('f32');
          byBackend[backend] = [];
          for (const [name, run] of FITTERS) {
            const a = run(ds, undefined, undefined, backend);
            const b = run(XR, y, weighted ? w : undefined, backend);
            expectSameBits(a, b, `${backend} ${name}`);
            byBackend[backend].push(a);
            compared++;
          }
          ds.dispose();
        }
        expect(compared).toBe(BACKENDS.length * FITTERS.length);
        expectSameBits(byBackend.wasm, byBackend.js, 'wasm vs js');
      });
    }
  }

  it('edge cases: zero weights (copied refinement blocks), no intercept, odd n, a single column, values near the float32 limits', () => {
    const { X, y, w } = problem(517, 3, 10);
    for (let i = 0; i < 517; i += 7) w[i] = 0;
    X[5][1] = 3.4e38; // near the largest float32 (rescaled by the kernels' column scaling)
    X[6][2] = 1e-40; // a float32 subnormal: stored rounded
    const XR = fround(X);
    expect(XR[6][2]).not.toBe(X[6][2]);
    const opts = [{ loss: 'l2' }, { loss: 'l2', intercept: false }, { loss: 'l1', intercept: false }, { loss: 'huber', intercept: false }, { loss: 'quantile', tau: 0.6 }] as const;
    let compared = 0;
    for (const backend of BACKENDS) {
      const ds = Dataset.from(X, y, { precision: 'f32', weights: w, backend });
      for (const o of opts) {
        expectSameBits(fit(ds, o), fit(XR, y, { ...o, weights: w, backend }), `${backend} ${JSON.stringify(o)}`);
        compared++;
      }
      ds.dispose();
      const one = Dataset.from(X.map((r) => [r[0]]), y, { precision: 'f32', backend });
      expectSameBits(lad(one), lad(XR.map((r) => [r[0]]), y, { backend }), `${backend} p = 1`);
      expectSameBits(ols(one), ols(XR.map((r) => [r[0]]), y, { backend }), `${backend} p = 1 ols`);
      compared += 2;
      one.dispose();
    }
    expect(compared).toBe(BACKENDS.length * (opts.length + 2));
  });

  it('the builder stores the same float32 values as Dataset.from (chunks, regrowth, weights)', () => {
    const { X, y, w } = problem(700, 5, 4);
    let compared = 0;
    for (const backend of BACKENDS) {
      const a = Dataset.from(X, y, { precision: 'f32', weights: w, backend });
      const b = Dataset.builder(5, { precision: 'f32', weights: true, capacity: 64, backend });
      for (let i = 0; i < 700; i += 97) b.append(X.slice(i, i + 97), y.slice(i, i + 97), w.slice(i, i + 97));
      const c = b.finish();
      expect(c.precision).toBe('f32');
      const A = a.toArrays(), C = c.toArrays();
      expect(A.X.data).toBeInstanceOf(Float32Array);
      expect(Array.from(C.X.data)).toEqual(Array.from(A.X.data));
      expect(Array.from(A.X.data)).toEqual(fround(X)[0].length ? Array.from({ length: 700 * 5 }, (_, k) => Math.fround(X[k % 700][Math.floor(k / 700)])) : []);
      expect(Array.from(C.y)).toEqual(y);
      expect(Array.from(C.weights!)).toEqual(w);
      expectSameBits(lad(c), lad(a), `${backend} builder lad`);
      expectSameBits(huber(c), huber(a), `${backend} builder huber`);
      compared++;
      a.dispose();
      c.dispose();
    }
    expect(compared).toBe(BACKENDS.length);
  });

  it('L1 globbing (forced on small data): the full problem read as float32, the reduced one built in float64 — same bits as fl32(X) arrays, wasm == js', () => {
    const { X, y, w } = problem(1500, 6, 9);
    const XR = fround(X);
    const out: Record<string, unknown[]> = {};
    const opts = [{}, { tau: 0.15 }, { tau: 0.7, lambda: 0.5 }];
    let compared = 0;
    for (const backend of BACKENDS) {
      const ds = Dataset.from(X, y, { precision: 'f32', weights: w, backend });
      const k = ds.slot.backend.kernels;
      const old = k.l1_glob(1, 40);
      try {
        out[backend] = [];
        for (const o of opts) {
          const a = quantile(ds, o), b = quantile(XR, y, { ...o, weights: w, backend });
          expectSameBits(a, b, `${backend} glob ${JSON.stringify(o)}`);
          out[backend].push(a);
          compared++;
        }
        const path = solvePath('lambda', [4, 1, 0.25], ds, undefined, {});
        expectSameBits(path, solvePath('lambda', [4, 1, 0.25], XR, y, { weights: w, backend }), `${backend} glob lambda path`);
        out[backend].push(path);
        compared++;
      } finally {
        k.l1_glob(old, 0);
        ds.dispose();
      }
    }
    expect(compared).toBe(BACKENDS.length * (opts.length + 1));
    expectSameBits(out.wasm, out.js, 'glob wasm vs js');
  });

  it('fitAsync on an f32 Dataset returns the same bits as fit on it', async () => {
    const { X, y, w } = problem(400, 3, 5);
    const ds = Dataset.from(X, y, { precision: 'f32', weights: w });
    const opts = [{ loss: 'l1' }, { loss: 'l2', ridge: 1 }, { loss: 'huber' }, { loss: 'quantile', tau: 0.8 }] as const;
    let compared = 0;
    for (const o of opts) {
      const r = await fitAsync(ds, o);
      expectSameBits(r, fit(ds, o), `fitAsync ${o.loss}`);
      compared++;
    }
    expect(compared).toBe(opts.length);
    ds.dispose();
  });
});

describe("precision 'f32': storage, validation, memory", () => {
  it('byteLength is 4 bytes per X entry plus 8 per row for y (and weights)', () => {
    const { X, y, w } = problem(100, 6, 6);
    let compared = 0;
    for (const backend of BACKENDS) {
      const before = memoryStats()[backend === 'wasm' ? 'wasmInUse' : 'jsInUse'];
      const a = Dataset.from(X, y, { precision: 'f32', backend });
      const b = Dataset.from(X, y, { precision: 'f32', weights: w, backend });
      const c = Dataset.from(X, y, { backend });
      expect(a.byteLength).toBe(100 * (4 * 6 + 8));
      expect(b.byteLength).toBe(100 * (4 * 6 + 16));
      expect(c.byteLength).toBe(100 * (8 * 6 + 8));
      expect(memoryStats()[backend === 'wasm' ? 'wasmInUse' : 'jsInUse'] - before).toBe(a.byteLength + b.byteLength + c.byteLength);
      for (const d of [a, b, c]) d.dispose();
      compared++;
    }
    expect(compared).toBe(BACKENDS.length);
  });

  it('values beyond the float32 range are rejected naming the entry; subnormal-range values are stored rounded', () => {
    const X = [[1, 2], [3, 4e38], [5, 6]];
    expect(() => Dataset.from(X, [1, 2, 3], { precision: 'f32' })).toThrow(expect.objectContaining({ code: 'NON_FINITE', message: expect.stringMatching(/X\[1\]\[1\] is 4e\+38, beyond the float32 range/) }));
    expect(() => Dataset.from({ data: [1, 2, -1e39, 4], rows: 2, cols: 2 }, [1, 2], { precision: 'f32' })).toThrow(/X\.data\[2\] \(row 1, column 0\) is -1e\+39/);
    // the largest float32 and values that round to it are accepted
    const ok = Dataset.from([[3.4028234663852886e38], [3.40282356e38], [1]], [1, 2, 3], { precision: 'f32' });
    expect(Array.from(ok.toArrays().X.data)).toEqual([3.4028234663852886e38, 3.4028234663852886e38, 1]);
    ok.dispose();
    expect(() => Dataset.from([[NaN]], [1], { precision: 'f32' })).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => Dataset.from([[1]], [1], { precision: 'f16' as never })).toThrow(/option precision must be 'f64' or 'f32', received "f16"/);
    expect(() => Dataset.builder(2, { precision: 64 as never })).toThrow(/option precision must be 'f64' or 'f32', received 64/);
    const b = Dataset.builder(2, { precision: 'f32' });
    expect(() => b.append([[1, 1e39]], [0])).toThrow(/X\[0\]\[1\] is 1e\+39/);
    expect(b.rows).toBe(0); // a rejected chunk leaves the builder unchanged
    b.dispose();
  });

  it('no float64 copy of X during any fit: memory in use when each kernel runs is 4·n·p bytes below the f64 Dataset', () => {
    const n = 2000, p = 8;
    const { X, y, w } = problem(n, p, 7);
    let compared = 0;
    let casesRun = 0;
    for (const backend of BACKENDS) {
      const inUse = (precision: 'f64' | 'f32', body: (ds: Dataset) => unknown): number[] => {
        const ds = Dataset.from(X, y, { precision, weights: w, backend });
        const k = ds.slot.backend.kernels as unknown as Record<string, (...a: number[]) => number>;
        const seen: number[] = [];
        const orig = { l1_fit: k.l1_fit, l2_fit: k.l2_fit, irls_fit: k.irls_fit };
        for (const name of Object.keys(orig) as (keyof typeof orig)[]) {
          k[name] = (...a: number[]) => {
            seen.push(memoryStats()[backend === 'wasm' ? 'wasmInUse' : 'jsInUse']);
            return orig[name](...a);
          };
        }
        try {
          body(ds);
        } finally {
          Object.assign(k, orig);
          ds.dispose();
        }
        return seen;
      };
      const cases: Array<[string, (ds: Dataset) => unknown, number]> = [
        ['l2', (ds) => ols(ds), 4 * n * p],
        ['l1', (ds) => lad(ds), 4 * n * p],
        ['huber', (ds) => huber(ds), 4 * n * p],
        ['smooth-l1', (ds) => smoothL1(ds), 4 * n * p],
        // the penalised fit copies X with 2p pseudo-rows — in float32 too
        ['lasso', (ds) => lad(ds, { lambda: 1 }), 4 * n * p + 4 * (n + 2 * p) * p],
      ];
      for (const [name, body, saved] of cases) {
        const a = inUse('f64', body), b = inUse('f32', body);
        expect(a.length, name).toBeGreaterThan(0);
        expect(b.length, name).toBe(a.length);
        for (let i = 0; i < a.length; i++) {
          expect(a[i] - b[i], `${backend} ${name}: bytes saved at kernel call ${i}`).toBe(saved);
          compared++;
        }
        expect(compared, `${backend} ${name}: kernel calls compared`).toBe(a.length);
        compared = 0;
        casesRun++;
      }
    }
    expect(casesRun).toBe(BACKENDS.length * 5);
  });

  it('the OUT_OF_MEMORY check counts 4 bytes per X entry and names the largest n that fits', () => {
    // 2.5e8 × 4 entries: 8 GB as float64, 4 GB as float32 — both past the limit; 1.2e8 × 4 fits only as float32
    let compared = 0;
    for (const precision of ['f64', 'f32'] as const) {
      try {
        Dataset.from({ data: new Array<number>(2.5e8 * 4), rows: 2.5e8, cols: 4 }, new Array<number>(2.5e8), { precision, backend: 'js' });
        expect.fail('no error');
      } catch (e) {
        expect(e).toBeInstanceOf(RobustRegError);
        const err = e as RobustRegError;
        expect(err.code).toBe('OUT_OF_MEMORY');
        const xe = precision === 'f32' ? 4 : 8;
        expect(err.message).toMatch(new RegExp(`X at ${xe} bytes per entry`));
        const largest = err.details.largestRows as number;
        // the largest n is what the 4 GiB minus what is in use holds, at xe·p + 8 bytes per row
        const free = (err.details.bytesAvailable as number) - (err.details.bytesInUse as number);
        expect(largest).toBe(Math.floor((free - 48) / (xe * 4 + 8)));
        expect(err.message).toContain(`at most about ${largest} rows of 4 columns fit`);
        if (precision === 'f64') expect(err.message).toMatch(/with precision 'f32' \(4 bytes per X entry\) about \d+ rows would/);
        compared++;
      }
    }
    expect(compared).toBe(2);
  });

  for (const backend of ['wasm', 'js'] as const) {
    it(`GramAccumulator.add(f32 Dataset) = the statistics of fl32(X) bit for bit (${backend}, weighted and odd n)`, () => {
      let compared = 0;
      for (const [n, withW] of [[51, false], [1201, true]] as const) {
        const { X, y, w } = problem(n, 3, 8);
        const X32 = X.map((r) => r.map(Math.fround));
        const ds = Dataset.from(X, y, { precision: 'f32', backend, ...(withW ? { weights: w } : {}) });
        try {
          const a = new GramAccumulator(3, { backend }).add(ds);
          const b = new GramAccumulator(3, { backend }).add(X32, y, withW ? w : undefined);
          expect(a.toJSON()).toEqual(b.toJSON());
          // and the solve agrees with ols on the same f32 Dataset
          const fit = a.solve();
          const ref = ols(ds);
          for (let j = 0; j < 3; j++) {
            expect(Math.abs(fit.coef[j] - ref.coef[j])).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(ref.coef[j])));
            compared++;
          }
        } finally {
          ds.dispose();
        }
      }
      expect(compared).toBe(2 * 3);
    });
  }
});

/** Σ_i w_i Σ_j |x_ij b_j| (+ |b0| per data row): bounds |Σ w (δX b)_i| for |δx_ij| ≤ U |x_ij|. */
function absTerms(X: number[][], w: number[], coef: ArrayLike<number>): number[] {
  return X.map((row) => row.reduce((s, v, j) => s + Math.abs(v * coef[j]), 0) * U).map((t, i) => t * w[i]);
}

describe("precision 'f32': distance to the fit of the unrounded data", () => {
  it('L1 / quantile / lasso objectives differ by at most 2^-24 Σ w |x|·|b| (Lipschitz bound), well within it in practice', () => {
    let compared = 0;
    for (const [seed, n, p] of [[11, 500, 3], [12, 2000, 8], [13, 300, 12]] as const) {
      const { X, y, w } = problem(n, p, seed);
      const ds = Dataset.from(X, y, { precision: 'f32', weights: w });
      for (const o of [{}, { tau: 0.2 }, { tau: 0.9, lambda: 3 }]) {
        const a = quantile(ds, o), b = quantile(X, y, { ...o, weights: w });
        // |F~* - F*| <= max over both optima of Σ w_i ρ-Lipschitz · |δx_i · b| <= U Σ w |x| |b|
        const bound = Math.max(...[a, b].map((r) => absTerms(X, w, r.coef).reduce((s, t) => s + t, 0)));
        const tolGap = 1e-10 * Math.max(1, Math.abs(b.objective)) * 4;
        expect(Math.abs(a.objective - b.objective), `seed ${seed} ${JSON.stringify(o)}`).toBeLessThanOrEqual(bound + tolGap);
        compared++;
      }
      ds.dispose();
    }
    expect(compared).toBe(3 * 3);
  });

  it('L2: sqrt(objective) differs by at most ||2^-24 |X||b| ||_w; coefficients within first-order perturbation theory', () => {
    let compared = 0;
    for (const [seed, n, p, opts] of [[21, 1000, 5, {}], [22, 3000, 10, {}], [23, 1000, 4, { offset: 1000 }], [24, 2000, 3, { collinear: 1e-3 }]] as const) {
      const { X, y, w } = problem(n, p, seed, opts);
      const ds = Dataset.from(X, y, { precision: 'f32', weights: w });
      const a = ols(ds), b = ols(X, y, { weights: w });
      const normBound = Math.max(...[a, b].map((r) => Math.sqrt(X.reduce((s, row, i) => {
        const t = row.reduce((u, v, j) => u + Math.abs(v * r.coef[j]), 0) * U;
        return s + w[i] * t * t;
      }, 0))));
      expect(Math.abs(Math.sqrt(a.objective) - Math.sqrt(b.objective)), `seed ${seed}`).toBeLessThanOrEqual(normBound * (1 + 1e-9) + 1e-12 * Math.sqrt(b.objective));
      // Coefficients: perturbation theory of least squares (Golub & Van Loan, Thm 5.3.1) in the
      // kernel's coordinates Z = sqrt(W)(X - m)/s (unit columns), b^ = s b: to first order
      // ||δb^|| / ||b^|| <= e (2 k / cos t + k^2 tan t), k = cond_2(Z), sin t = ||r|| / ||yc||, with
      // e = ||δZ|| / ||Z|| <= sqrt(p) max_j 2^-24 max_i|x_ij| / s~_j (rounding is relative to |x|, not
      // to the spread s~_j = s_j / sqrt(Σw): an offset column loses digits) and k <= sqrt(p / rcond).
      const W = w.reduce((t, v) => t + v, 0);
      let eps = 0;
      const s: number[] = [];
      for (let j = 0; j < p; j++) {
        const m = X.reduce((t, row, i) => t + w[i] * row[j], 0) / W;
        const sj = Math.sqrt(X.reduce((t, row, i) => t + w[i] * (row[j] - m) ** 2, 0));
        s.push(sj);
        eps = Math.max(eps, U * Math.max(...X.map((row) => Math.abs(row[j]))) / (sj / Math.sqrt(W)));
      }
      eps *= Math.sqrt(p);
      const kappa = Math.sqrt(p / b.rcond!);
      const ybar = y.reduce((t, v, i) => t + w[i] * v, 0) / W;
      const sinT = Math.min(1, Math.sqrt(b.objective / y.reduce((t, v, i) => t + w[i] * (v - ybar) ** 2, 0)));
      const cosT = Math.sqrt(1 - sinT * sinT);
      const bound = eps * (2 * kappa / cosT + kappa * kappa * (sinT / cosT));
      let num = 0, den = 0;
      for (let j = 0; j < p; j++) {
        num += ((a.coef[j] - b.coef[j]) * s[j]) ** 2;
        den += (b.coef[j] * s[j]) ** 2;
      }
      const err = Math.sqrt(num / den);
      expect(err, `seed ${seed}: relative error of the scaled coefficients (bound ${bound.toExponential(2)}, cond ${kappa.toExponential(2)})`).toBeLessThanOrEqual(bound);
      expect(err, `seed ${seed}: not trivially zero`).toBeGreaterThan(0);
      compared++;
      ds.dispose();
    }
    expect(compared).toBe(4);
  });
});

export type { FitResult };
