// The float64 route's passes over X (issue 21; assembly/l2.ts): the fused Gram pass (fusedNormalMatrix:
// gramBlock's 2 x 4 tiles, the 1 x 4 tiles of an odd order's last column, the 2 x 2 / 2 x 1 remainders,
// blockStats' column pairs and single column, touchRows) and the plain refinement pass (plainSuper,
// plainResiduals' 4 / 2 / 1-column trips, plainDots4 / plainDot), at the orders where those loops
// split: p = 4, 6, 7, 20 (q = p + 1 = 5, 7, 8, 21), n (p + 1) >= 2^20 so that l2_fit takes that route,
// even and odd n (an odd last block is copied), a column whose mean dominates (a shifted copy in the
// fused pass), and no intercept (every shift 0). The kernel's loop structure changes only how the
// same operations are grouped, so the WASM fit must equal the TypeScript twin (one sum per loop, no
// blocking) bit for bit, and both must land on the exact least-squares solution of a construction
// whose solution is known exactly.
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, ols } from '../../src/index.js';
import { rng } from '../helpers/close.js';

const EPS = 2 ** -52;

beforeAll(async () => {
  await init();
});

interface Problem { X: Float64Array; y: Float64Array; bStar: number[]; rss: number; n: number; p: number }

/** Rows in pairs with the same x (integers in [-512, 512]; column `offsetCol` + 1500, ~5 sd: a shifted
 *  copy in the fused pass, below the plain refinement's offset guard, assembly/l2.ts OFFSET_AMP — at
 *  p = 4 an offset of 5000 takes the exact refinement, test/kernels/l2-offset-kernel.test.ts) and residuals
 *  +e, -e (multiples of 1/16), an odd last row on the plane: X^T r = 0 and 1^T r = 0 exactly, so
 *  bStar (dyadic) is the exact least-squares solution and every product and sum is exact. Row-major. */
function problem(n: number, p: number, seed: number, opt: { intercept?: boolean; offsetCol?: number } = {}): Problem {
  const r = rng(seed);
  const b0 = opt.intercept === false ? 0 : 3;
  const bStar = [b0, ...Array.from({ length: p }, (_, j) => ((j % 7) - 3) * 0.375 + 0.125)];
  const X = new Float64Array(n * p);
  const y = new Float64Array(n);
  let e = 0;
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const second = i % 2 === 1;
    let fit = b0;
    for (let j = 0; j < p; j++) {
      const v = second ? X[(i - 1) * p + j] : Math.floor(r() * 1025) - 512 + (j === opt.offsetCol ? 1500 : 0);
      X[i * p + j] = v;
      fit += v * bStar[j + 1];
    }
    e = second ? -e : i === n - 1 ? 0 : (Math.floor(r() * 201) - 100) / 16;
    y[i] = fit + e;
    rss += e * e;
  }
  return { X, y, bStar, rss, n, p };
}

/** The smallest even n with n (p + 1) >= 2^20 (l2_fit's float64 route, assembly/l2.ts PLAIN_MIN_NQ). */
const plainN = (p: number) => 2 * Math.ceil(2 ** 20 / (p + 1) / 2);

function bits(f: { intercept: number; coef: ArrayLike<number>; objective: number; rcond: number; lastCorrection: number; iterations: number }): string {
  const v = new Float64Array([f.intercept, ...Array.from(f.coef), f.objective, f.rcond, f.lastCorrection, f.iterations]);
  return Buffer.from(v.buffer).toString('hex');
}

describe('l2 passes of the float64 route: every loop split, WASM = twin bit for bit, exact solutions', () => {
  const cases: Array<[string, Problem, boolean]> = [];
  for (const p of [4, 6, 7, 20]) {
    const n = plainN(p);
    cases.push([`p ${p} n ${n}`, problem(n, p, 100 + p), true]);
    cases.push([`p ${p} n ${n + 1} (odd)`, problem(n + 1, p, 200 + p), true]);
    cases.push([`p ${p} offset column`, problem(n, p, 300 + p, { offsetCol: p - 2 }), true]);
    cases.push([`p ${p} no intercept`, problem(n, p, 400 + p, { intercept: false }), false]);
  }

  for (const [label, d, intercept] of cases) {
    it(label, () => {
      const mat = { data: d.X, rows: d.n, cols: d.p, layout: 'row-major' as const };
      const wasm = ols(mat, d.y, { backend: 'wasm', intercept });
      const twin = ols(mat, d.y, { backend: 'js', intercept });
      const ds = Dataset.from(mat, d.y);
      let viaDs;
      try {
        viaDs = ols(ds, { intercept });
      } finally {
        ds.dispose();
      }
      for (const f of [wasm, twin, viaDs]) expect(f.method, label).toBe('cholesky-f64');
      expect(bits(wasm), `${label}: wasm vs twin`).toBe(bits(twin));
      expect(bits(viaDs), `${label}: Dataset vs matrix`).toBe(bits(wasm));
      // Plain residuals carry eps |y| noise: slopes normwise within 1e-14 of max |b*|; the intercept
      // within eps max|y| (1e-14 max|b*| where |y| stays small); the objective (exact: dyadic squares).
      const bmax = Math.max(...d.bStar.map(Math.abs));
      const slopes = Math.max(...d.bStar.slice(1).map((v, j) => Math.abs(wasm.coef[j] - v))) / bmax;
      expect(slopes, `${label}: slopes`).toBeLessThanOrEqual(1e-14);
      const ymax = d.y.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      expect(Math.abs(wasm.intercept - d.bStar[0]), `${label}: intercept`).toBeLessThanOrEqual(Math.max(1e-14 * bmax, EPS * ymax));
      expect(Math.abs(wasm.objective - d.rss) / d.rss, `${label}: objective`).toBeLessThanOrEqual(1e-14);
    });
  }
  it('covers 16 cases', () => expect(cases.length).toBe(16));
});
