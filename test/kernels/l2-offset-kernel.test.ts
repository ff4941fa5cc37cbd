// The plain refinement's offset guard (assembly/l2.ts OFFSET_AMP, offsetWide; twin src/twin/l2.ts):
// l2_fit's large-data routes (f64 Gram: method 2, f32 Gram: method 3) refine with float64 residuals,
// whose noise floor widens with column offsets (|m_j| >> spread) and stops the refinement inside it
// (before the guard, n 2^17 x 20 with offsets of 1e3 / 1e6 / 1e8 sd: 1.0e-12 / 1.5e-9 / 3.5e-7 from
// the exact solution normwise). With the guard those problems get the double-double refinement and
// land on the exact solution; ordinary data keeps the plain refinement. Exact reference: a
// construction whose least-squares solution is known exactly (rows in pairs with residuals +e, -e,
// integer x, dyadic coefficients: every product and sum exact), and the twin's exact refinement.
import { describe, expect, it } from 'vitest';
import { INFO_METHOD, INFO_OBJECTIVE } from '../../src/abi/info.js';
import { STATUS_OK } from '../../src/abi/status.js';
import { allBackends } from '../helpers/backends.js';
import { rng } from '../helpers/close.js';
import { fitL2Cols, type L2Fit as Fit } from '../helpers/l2-fit.js';
import { pairs } from '../helpers/l2-pairs.js';

const fit = fitL2Cols;

/** The pairs construction (test/helpers/l2-pairs.ts: rows in pairs with residuals +e, -e, integer x,
 *  dyadic coefficients; X^T r = 0 and 1^T r = 0 exactly, so bStar is the exact solution) with column j
 *  offset by +-K 296 (sd of its integers ~296; sign alternating) and intercept b0; X column-major,
 *  rss = sum e^2. Every value below 2^47 with 4 fractional bits: exact. */
function offsetPairs(n: number, p: number, seed: number, K: number, b0: number) {
  const d = pairs(n, p, seed, { offset: (j) => Math.round((j % 2 === 0 ? 1 : -1) * K * 296), b0 });
  const X = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) X[j * n + i] = d.X[i * p + j];
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let r = d.y[i] - d.bStar[0];
    for (let j = 0; j < p; j++) r -= X[j * n + i] * d.bStar[j + 1];
    rss += r * r;
  }
  return { X, y: d.y, bStar: d.bStar, rss };
}

/** max_j |a_j - b_j| in units of eps |b_j| (b_j != 0). */
function ulps(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let j = 0; j < b.length; j++) m = Math.max(m, Math.abs(a[j] - b[j]) / (2 ** -52 * Math.abs(b[j])));
  return m;
}

function bits(f: Fit): string {
  return Buffer.from(new Float64Array([f.status, ...f.coef, ...f.info]).buffer).toString('hex');
}

// n (p + 1) >= 2^20: the plain refinement's size. p = 7: the f64 route; p = 64 (q = 65 >= Q32_MIN): the f32 route.
const SHAPES: Array<{ n: number; p: number; method: number }> = [
  { n: 131_073, p: 7, method: 0 },
  { n: 16_385, p: 64, method: 3 },
];

describe('l2 kernel: offset columns get the exact refinement on the large-data routes', () => {
  const families: Array<{ K: number; b0: number }> = [
    { K: 1e3, b0: 3 },
    { K: 1e6, b0: 3 },
    { K: 1e8, b0: 3 },
    { K: 1e4, b0: 1e9 }, // large |y| as well
  ];
  for (const s of SHAPES) {
    for (const fam of families) {
      it(`${s.n} x ${s.p}, offsets ${fam.K} sd, intercept ${fam.b0}: the exact solution, backends bit-identical`, async () => {
        const { X, y, bStar, rss } = offsetPairs(s.n, s.p, 7 + s.p + fam.K, fam.K, fam.b0);
        const tbs = await allBackends();
        const js = tbs.find((t) => t.label === 'js')!;
        const ref = fit(js, X, y, s.p);
        expect(ref.status).toBe(STATUS_OK);
        // 0: the f64 Gram with the double-double refinement ('cholesky'); 3: the f32 Gram's, refined so
        expect(ref.info[INFO_METHOD]).toBe(s.method);
        for (const tb of tbs) {
          if (tb.label !== 'js') expect(bits(fit(tb, X, y, s.p)), tb.label).toBe(bits(ref));
        }
        // the construction's exact solution (dyadic: representable): every coefficient within an ulp
        // (measured: all equal, but the intercept 3 next to offsets of 3e10 one ulp off at K = 1e8)
        expect(ulps(ref.coef, bStar)).toBeLessThanOrEqual(1);
        expect(Math.abs(ref.info[INFO_OBJECTIVE] - rss) / rss).toBeLessThanOrEqual(1e-14);
        // as the exact refinement of the twin, and the f64 route
        expect(ulps(fit(js, X, y, s.p, { exact: true }).coef, bStar)).toBeLessThanOrEqual(1);
        const f64 = fit(js, X, y, s.p, { gram: 1 });
        expect(f64.info[INFO_METHOD]).toBe(0);
        expect(ulps(f64.coef, bStar)).toBeLessThanOrEqual(1);
      });
    }
  }

  // Centred or mildly offset data keeps the plain refinement (method 2 / 3): normal columns, 0/1
  // columns with 20% ones, uniform [0, 1) columns, and offsets of 2 sd.
  const kinds = ['normal', 'dummy', 'uniform', 'offset2'] as const;
  for (const s of SHAPES) {
    for (const kind of kinds) {
      it(`${s.n} x ${s.p}, ${kind} columns: the plain refinement (the guard stays off)`, async () => {
        const r = rng(31 + s.p);
        const z = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
        const X = new Float64Array(s.n * s.p);
        const y = new Float64Array(s.n);
        for (let i = 0; i < s.n; i++) {
          let lin = 1.5;
          for (let j = 0; j < s.p; j++) {
            const x = kind === 'normal' ? z() : kind === 'dummy' ? (r() < 0.2 ? 1 : 0) : kind === 'uniform' ? r() : 2 + z();
            X[j * s.n + i] = x;
            lin += x * ((j % 4) - 1.5);
          }
          y[i] = lin + z();
        }
        const [tb] = await allBackends();
        const a = fit(tb, X, y, s.p);
        expect(a.status).toBe(STATUS_OK);
        expect(a.info[INFO_METHOD]).toBe(s.method === 0 ? 2 : 3);
      });
    }
  }
});
