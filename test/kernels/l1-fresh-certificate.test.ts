// The certificate from the final refresh's residuals (issue 21: assembly/l1-simplex.ts freshResiduals,
// l1-rows.ts unzeroPass): on an optimal exit the certificate takes r and the scales the last full
// refresh computed for the same b and responses and only recomputes the ties it zeroed, instead of a
// sweep over X. Every certified value must keep its bits: each fit here runs twice on every backend,
// the second time with that path switched off (l1_fresh(0): residuals recomputed from X), and the
// coefficients and all info slots (primal, dual, gap, dual infeasibility, zero residuals, counts) must
// agree as float64 bits — plain and globbed fits (the globbed ones over two certificate chunks, the
// split item path), weights with zeros, penalty pseudo-rows, no intercept, tau 0.1 / 0.5 / 0.9, and
// tied data (integer design and responses, duplicated rows), where the refresh zeroes many residuals.
import { beforeAll, describe, expect, it } from 'vitest';
import { INFO_PRIMAL, INFO_RANK } from '../../src/abi/info.js';
import { rng } from '../helpers/close.js';
import { allBackends, type TestBackend } from '../helpers/backends.js';
import { globFit, type L1Problem } from '../helpers/l1-problem.js';

const NO_GLOB = 1 << 30;

/** n x p column-major: 'gauss' continuous, 'intx' integer design and responses, 'dec' the same
 *  divided by 10 (ties in exact arithmetic whose float64 residuals are rounding, not 0: what the
 *  refresh zeroes and the certificate must get back), 'dup' every row four times; weights with ~5% zeros when `weighted`; `pseudo` lasso-like pseudo-rows +-e_j at the end. */
function problem(seed: number, n: number, p: number, kind: 'gauss' | 'intx' | 'dec' | 'dup', weighted: boolean,
  pseudo = false, intercept = true): L1Problem {
  const rand = rng(seed);
  const nd = pseudo ? n - p : n;
  const X = new Float64Array(n * p), y = new Float64Array(n);
  for (let i = 0; i < nd; i++) {
    const src = kind === 'dup' ? i - (i % 4) : i;
    if (kind === 'dup' && src !== i) {
      for (let j = 0; j < p; j++) X[j * n + i] = X[j * n + src];
      y[i] = y[src];
      continue;
    }
    let f = 1;
    for (let j = 0; j < p; j++) {
      const v = kind === 'intx' || kind === 'dec' ? Math.floor(rand() * 7) - 3 : rand() * 4 - 2;
      X[j * n + i] = kind === 'dec' ? v / 10 : v;
      f += v * ((j % 3) - 1);
    }
    const e = Math.tan(Math.PI * (rand() - 0.5));
    y[i] = kind === 'gauss' ? f + e : Math.round(f + 2 * Math.max(-5, Math.min(5, e)));
    if (kind === 'dec') y[i] /= 10;
  }
  for (let k = 0; k < n - nd; k++) X[k * n + nd + k] = 0.05 * nd; // pseudo-row k: lambda e_k, response 0
  const w = weighted ? Float64Array.from({ length: n }, (_, i) => (i >= nd ? 1 : rand() < 0.05 ? 0 : 0.5 + rand())) : undefined;
  return { n, p, X, y, w, intercept, nData: nd };
}

function bitsOf(coef: Float64Array, info: Float64Array): string[] {
  const out: string[] = [];
  const view = new DataView(new ArrayBuffer(8));
  for (const v of [...coef, ...info]) { view.setFloat64(0, v); out.push(view.getBigUint64(0).toString(16)); }
  return out;
}

describe('L1 certificate from the final refresh: the same bits as recomputing the residuals', () => {
  let backends: TestBackend[];
  beforeAll(async () => { backends = await allBackends(); });

  // [what, problem, l1_glob threshold, tied data]
  const cases: Array<[string, L1Problem, [number, number], boolean]> = [
    ['plain gauss', problem(11, 3000, 4, 'gauss', false), [NO_GLOB, 0], false],
    ['plain intx weighted', problem(12, 3000, 5, 'intx', true), [NO_GLOB, 0], true],
    ['plain dec', problem(19, 3000, 4, 'dec', false), [NO_GLOB, 0], true],
    ['plain dup no intercept', problem(13, 2400, 3, 'dup', false, false, false), [NO_GLOB, 0], true],
    ['plain gauss pseudo-rows weighted', problem(14, 3000, 6, 'gauss', true, true), [NO_GLOB, 0], false],
    ['globbed gauss', problem(15, 20000, 4, 'gauss', false), [2000, 400], false],
    ['globbed intx weighted', problem(16, 20000, 5, 'intx', true), [2000, 400], true],
    ['globbed dup', problem(17, 20000, 3, 'dup', false), [2000, 400], true],
    ['globbed dec weighted', problem(20, 20000, 5, 'dec', true), [2000, 400], true],
    ['globbed intx pseudo-rows', problem(18, 20000, 4, 'intx', false, true), [2000, 400], true],
  ];

  for (const [what, pr, glob, tied] of cases) {
    it(what, () => {
      let ties = 0;
      for (const tb of backends) {
        const k = tb.backend.kernels;
        for (const tau of [0.1, 0.5, 0.9]) {
          const a = globFit(tb, pr, tau, glob);
          const old = k.l1_fresh(0);
          let b;
          try {
            b = globFit(tb, pr, tau, glob);
          } finally {
            k.l1_fresh(old);
          }
          expect(old).toBe(1);
          expect(a.status, `${tb.label} tau ${tau}`).toBe(0);
          expect(bitsOf(a.coef, a.info), `${tb.label} tau ${tau}`).toEqual(bitsOf(b.coef, b.info));
          expect(Number.isFinite(a.info[INFO_PRIMAL])).toBe(true);
          ties = Math.max(ties, a.info[INFO_RANK] - (pr.p + 1));
        }
      }
      // the tied families leave many more zero residuals than the basis: the zeroed ties were restored
      if (tied) expect(ties).toBeGreaterThan(0);
    });
  }
});
