// The L1 kernel's fused full-data passes (session 9) on the thread pool, against the twin bit for bit:
// the simplex refresh's residuals + gradient in one pass (l1-rows.ts refreshPass), the certificate's
// residuals + primal sums (certPrimalPass) and d + A^T d + the rounding floor's sums (certDualPass,
// the floor's partials kept in wWt for gapFloor), the final stage's column scales taken from the
// globbing maxima when every row is a data row of weight 1 (l1-glob.ts fullColumnScales), and the
// reduced problem's columns gathered in two items each. None of them changes an operation, so 1, 2
// and 3 threads and the single-threaded twin must agree on every bit of the coefficients, the
// objective and the certificate (primal, dual, gap) — on the shortcut's path (unweighted, no
// pseudo-rows; f64 and f32) and off it (weights with zeros; a lasso penalty's pseudo-rows).
// (Skipped in the 'debug' project: there init() loaded the debug build first.)
import { beforeAll, describe, expect, it } from 'vitest';
import { Dataset, init, quantile, type QuantileOptions } from '../../src/index.js';
import { rng } from '../helpers/close.js';
import { threadsProblem } from '../helpers/l1-problem.js';
import { same } from '../helpers/robust-chunks.js';

const debug = process.env.ROBUSTREG_WASM === 'debug';

type Fit = { coef: Float64Array; intercept: number; objective: number; iterations: number; edgeSteps: number;
  globRounds: number; status: string; certificate: { primal: number; dual: number; gap: number } };
const bits = (r: Fit) => [r.intercept, ...r.coef, r.objective, r.certificate.primal, r.certificate.dual,
  r.certificate.gap, r.iterations, r.edgeSteps, r.globRounds];

describe.skipIf(debug)('L1 fused full-data passes: 1, 2, 3 threads = twin, certificate included', () => {
  beforeAll(async () => {
    const r = await init({ threads: 3, warmup: false });
    expect(r.threads).toBe(3);
  });

  it('n = 90,000, p = 5: unweighted f64 and f32 (scales from the maxima), weights with zeros, lasso', () => {
    const n = 90000, p = 5;
    const d = threadsProblem(rng(2109), n, p, false);
    const variants: Array<[string, QuantileOptions, 'f64' | 'f32']> = [
      ['tau 0.5', { tau: 0.5 }, 'f64'],
      ['tau 0.9', { tau: 0.9 }, 'f64'],
      ['f32', { tau: 0.3 }, 'f32'],
      ['weights', { tau: 0.5, weights: d.weights }, 'f64'],
      ['lasso', { tau: 0.5, lambda: 0.05 * n }, 'f64'],
    ];
    let compared = 0;
    for (const [what, o, precision] of variants) {
      // the f32 Dataset's values, in f64, for the twin's reference
      const X = precision === 'f32' ? { ...d.X, data: Float64Array.from(Float32Array.from(d.X.data)) } : d.X;
      const ref = quantile(X, d.y, { ...o, backend: 'js' }) as unknown as Fit;
      expect(ref.globRounds, `${what}: the fit globbed`).toBeGreaterThan(0);
      expect(ref.status, `${what}: certified`).toBe('optimal');
      for (const t of [1, 2, 3]) {
        const { weights, ...rest } = o;
        const ds = Dataset.from(d.X, d.y, { backend: 'wasm', precision, ...(weights ? { weights } : {}) });
        try {
          same(bits(quantile(ds, { ...rest, threads: t }) as unknown as Fit), bits(ref), `${what} threads ${t}`);
          compared++;
        } finally {
          ds.dispose?.();
        }
      }
    }
    expect(compared).toBe(15);
  });
});
