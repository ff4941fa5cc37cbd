// The f32 Gram route of l2_fit (assembly/gram32.ts, assembly/l2.ts Q32_MIN; twin src/twin/gram32.ts):
// which problems take it, bit-identical backends (wasm release / debug and the Math.fround twin), the
// answer against the f64 route (gram = 1) and the exact double-double solution, and every fallback
// giving exactly the f64 route's bits.
import { describe, expect, it } from 'vitest';
import { INFO_METHOD, INFO_ITERATIONS } from '../../src/abi/info.js';
import { STATUS_OK } from '../../src/abi/status.js';
import { allBackends } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';
import { fitL2Cols, type L2Fit as Fit } from '../helpers/l2-fit.js';

const fit = fitL2Cols;

/** Seeded uniform [0, 1) (test/helpers/close.ts) and a normal from it (Box-Muller). */
function rngZ(seed: number): { u: () => number; z: () => number } {
  const u = rng(seed);
  return { u, z: () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u()) };
}

type Kind = 'normal' | 'corr' | 'dummy' | 'scales' | 'offset' | 'nearcollinear' | 'outlier' | 'probeshift';

/** Column-major X (n x p) and y. nearcollinear: x1 = x0 + 0.03 z (||G^-1||_1 ~ 2e3, rcond ~ 2e-4);
 *  outlier: one row of x3 at 1e15 (outside the f32 band of its sampled scale); probeshift: x2 is 1e3
 *  at the fused pass's 64 sampled rows (the shift cancels). */
function problem(kind: Kind, n: number, p: number, seed: number): { X: Float64Array; y: Float64Array } {
  const r = rngZ(seed);
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const common = r.z();
    let lin = 3;
    for (let j = 0; j < p; j++) {
      let x = r.z();
      if (kind === 'corr') x = common + 0.3 * x;
      if (kind === 'dummy' && j % 2 === 0) x = r.u() < 0.2 ? 1 : 0;
      if (kind === 'scales') x *= 10 ** ((j % 7) - 3);
      if (kind === 'offset') x = (j % 3 === 0 ? 1e4 : j % 3 === 1 ? -50 : 0) + x;
      if (kind === 'nearcollinear' && j === 1) x = X[i] + 0.03 * x;
      X[j * n + i] = x;
      lin += x * ((j % 4) - 1.5) / (kind === 'scales' ? 10 ** ((j % 7) - 3) : 1);
    }
    y[i] = lin + r.z() + (kind === 'offset' ? 1e6 : 0);
  }
  if (kind === 'outlier') X[3 * n + 777] = 1e15;
  if (kind === 'probeshift') {
    for (let k = 0; k < 64; k++) X[2 * n + Math.floor(((2 * k + 1) * n) / 128)] = 1e3;
  }
  return { X, y };
}

function bits(f: Fit): string {
  return Buffer.from(new Float64Array([f.status, ...f.coef, ...f.info]).buffer).toString('hex');
}

/** max_j |a_j - b_j| in units of eps |b_j|. */
function ulps(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < b.length; j++) {
    if (a[j] !== b[j]) m = Math.max(m, Math.abs(a[j] - b[j]) / (2 ** -52 * Math.abs(b[j])));
  }
  return m;
}

/** max_j |a_j - b_j| / max_j |b_j|. */
function normRel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let j = 0; j < b.length; j++) {
    d = Math.max(d, Math.abs(a[j] - b[j]));
    s = Math.max(s, Math.abs(b[j]));
  }
  return d / s;
}

// n (p + 1) >= 2^20 and p + 1 >= 64 (Q32_MIN): the route's size conditions. n odd: the last block has
// an odd number of rows (the f32 block's zero padding and the statistics' odd row); p + 1 = 65 odd
// (the tiles' last row of the triangle alone) and 65 = 16 * 4 + 1 (a 2 x 1 remainder).
const N = 16_385;
const P = 64;

describe('l2 kernel: the f32 Gram route', () => {
  const cases: { kind: Kind; o: { intercept?: boolean; ridge?: number }; n?: number; p?: number }[] = [
    { kind: 'normal', o: {} },
    { kind: 'normal', o: { ridge: 5 } },
    { kind: 'normal', o: { intercept: false } },
    { kind: 'corr', o: {} },
    { kind: 'dummy', o: {} },
    { kind: 'scales', o: {} },
    { kind: 'normal', o: {}, n: 10_501, p: 100 },
    { kind: 'normal', o: {}, n: 15_001, p: 70 },
  ];
  for (const c of cases) {
    const n = c.n ?? N;
    const p = c.p ?? P;
    it(`${c.kind} ${n} x ${p} ${JSON.stringify(c.o)}: route taken, backends bit-identical, <= 4 ulps from the f64 route`, async () => {
      const { X, y } = problem(c.kind, n, p, 11 + p + (c.o.ridge ?? 0));
      const tbs = await allBackends();
      const ref = fit(tbs[0], X, y, p, c.o);
      expect(ref.status).toBe(STATUS_OK);
      expect(ref.info[INFO_METHOD]).toBe(3);
      for (const tb of tbs.slice(1)) expect(bits(fit(tb, X, y, p, c.o)), tb.label).toBe(bits(ref));
      const f64 = fit(tbs[0], X, y, p, { ...c.o, gram: 1 });
      expect(f64.info[INFO_METHOD]).toBe(2);
      // measured: <= 3 ulps on these (and 1e-16 normwise); the exact solution is as close to both
      expect(ulps(ref.coef, f64.coef)).toBeLessThanOrEqual(4);
      const exact = fit(tbs.find((t) => t.label === 'js')!, X, y, p, { ...c.o, exact: true });
      expect(exact.info[INFO_METHOD]).toBe(0);
      expect(normRel(ref.coef, exact.coef)).toBeLessThanOrEqual(4 * normRel(f64.coef, exact.coef) + 2 ** -52);
    });
  }

  it('offset columns: both routes take the exact (double-double) refinement and end on the exact solution', async () => {
    // columns at 1e4 and y at 1e6 (before the offset guard, assembly/l2.ts OFFSET_AMP, both routes
    // stopped in the plain refinement's noise floor: f32 route 1.2e-9, f64 route 3.6e-10 normwise)
    const { X, y } = problem('offset', N, P, 5);
    const tbs = await allBackends();
    const js = tbs.find((t) => t.label === 'js')!;
    const a = fit(js, X, y, P);
    const b = fit(js, X, y, P, { gram: 1 });
    expect(a.info[INFO_METHOD]).toBe(3);
    expect(b.info[INFO_METHOD]).toBe(0);
    for (const tb of tbs) {
      if (tb.label !== 'js') expect(bits(fit(tb, X, y, P)), tb.label).toBe(bits(a));
    }
    const exact = fit(js, X, y, P, { exact: true });
    // measured (this seed): both the exact refinement's bits
    expect(ulps(a.coef, exact.coef)).toBeLessThanOrEqual(1);
    expect(ulps(b.coef, exact.coef)).toBeLessThanOrEqual(1);
  });

  const fallbacks: { name: string; kind: Kind; o: { w?: boolean; ridge?: number }; method: number; p?: number; n?: number }[] = [
    { name: 'near-collinear (||G^-1||_1 > 1024, rcond >= 1e-4)', kind: 'nearcollinear', o: {}, method: 2 },
    { name: 'near-collinear, 1e5 x 70', kind: 'nearcollinear', o: {}, method: 2, n: 100_000, p: 70 },
    { name: 'a column outside the f32 band of its sampled scale', kind: 'outlier', o: {}, method: 2 },
    { name: 'a shift that cancels (the two-pass standardisation)', kind: 'probeshift', o: {}, method: 2 },
    { name: 'weights', kind: 'normal', o: { w: true }, method: 2 },
    { name: 'p + 1 < 64', kind: 'normal', o: {}, method: 2, p: 40, n: 40_000 },
  ];
  for (const c of fallbacks) {
    it(`falls back to the f64 route's bits: ${c.name}`, async () => {
      const n = c.n ?? N;
      const p = c.p ?? P;
      const { X, y } = problem(c.kind, n, p, 3);
      const w = c.o.w ? Float64Array.from(y, (_, i) => 0.5 + (i % 5)) : undefined;
      const tbs = await allBackends();
      for (const tb of tbs) {
        if (tb.label === 'wasm-debug' && n > 100_000) continue; // the release build and the twin suffice
        const a = fit(tb, X, y, p, { w });
        const b = fit(tb, X, y, p, { w, gram: 1 });
        expect(a.info[INFO_METHOD], tb.label).toBe(c.method);
        expect(bits(a), tb.label).toBe(bits(b));
      }
    });
  }

  it('a problem below the size threshold never takes it', async () => {
    const { X, y } = problem('normal', 12_000, P, 9); // n (p + 1) = 780,000 < 2^20
    const [tb] = await allBackends();
    const a = fit(tb, X, y, P);
    expect(a.info[INFO_METHOD]).toBe(0);
    expect(bits(a)).toBe(bits(fit(tb, X, y, P, { gram: 1 })));
  });

  it('the benchmark shape settles in at most two corrections', async () => {
    const { X, y } = problem('normal', 12_000, 90, 21);
    const [tb] = await allBackends();
    const a = fit(tb, X, y, 90);
    expect(a.info[INFO_METHOD]).toBe(3);
    expect(a.info[INFO_ITERATIONS]).toBeLessThanOrEqual(2);
  });
});
