// Lasso-penalised L1 / quantile regression paths (src/fit/robust.ts: solvePath, lambdaMax) on the exact L1
// kernel: the penalised optimum against linear-programming references (HiGHS), lambdaMax against the
// LP over subgradients, zeroing at and above lambdaMax, lambda = 0, warm-started paths equal to
// independent fits, tau paths, errors. Fixtures: scripts/huber-fixtures.py.
//
// lambdaMax (quantile units, objective Σ w ρ_τ(r) + λ‖b‖₁, intercept unpenalised). b = 0 is optimal
// iff 0 is in the subdifferential: with r = y − q at the best intercept-only fit q (a weighted
// τ-quantile of y) there must be d with d_i = τ (r_i > 0), τ − 1 (r_i < 0), d_i ∈ [τ − 1, τ] (r_i = 0),
// Σ w_i d_i = 0 (the intercept's condition) and |Σ_i w_i d_i x_ij| <= λ for all j. The smallest such λ
// is λ_max = min_d max_j |Σ_i w_i d_i x_ij|. When exactly one row has r_i = 0 (continuous y), the
// intercept condition fixes its d_i and λ_max = max_j |Σ_i w_i ψ_τ(y_i − q) x_ij| in closed form.
// LAD units (Σ w|r| + λ‖b‖₁ = 2(Σ w ρ_½ + (λ/2)‖b‖₁)) double it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dataset, lad, quantile, type FitResult } from '../../src/index.js';
import { lambdaMax, solvePath } from '../../src/fit/robust.js';
import { expectRel, expectVecRel } from '../helpers/close.js';
import { BACKENDS, cases, dataset, initBeforeAll, residuals, weightsIf as W, type Data } from '../helpers/robust.js';

initBeforeAll();

function checkLoss(d: Data, intercept: number, coef: ArrayLike<number>, tau: number, w?: number[]): number {
  return residuals(d, intercept, coef).reduce((s, r, i) => s + (w ? w[i] : 1) * r * (tau - (r < 0 ? 1 : 0)), 0);
}

describe('lambdaMax', () => {
  it('equals the LP over subgradients without ties at the quantile; a valid bound (>=) with ties', () => {
    let compared = 0;
    for (const c of cases('lambdamax-lp')) {
      compared++;
      const d = dataset(c.dataset);
      const tau = c.tau as number, w = W(d, c.weighted);
      const what = `${c.dataset} tau ${tau}${w ? ' weighted' : ''} (${c.ties_at_quantile} rows at q)`;
      const got = lambdaMax(d.X, d.y, { tau, weights: w });
      expectRel(got, c.lambda_max_formula as number, 1e-12, `${what}: closed form`);
      if (c.ties_at_quantile === 1) expectRel(got, c.lambda_max_exact as number, 1e-12, `${what}: exact`);
      else expect(got, what).toBeGreaterThanOrEqual((c.lambda_max_exact as number) * (1 - 1e-12));
      if (tau === 0.5) expectRel(lambdaMax(d.X, d.y, { weights: w }), 2 * got, 1e-15, `${what}: LAD units`);
    }
    expect(compared).toBe(6);
  });

  it('lambda >= lambdaMax zeroes every slope; just below the exact threshold some slope is non-zero', () => {
    let compared2 = 0;
    for (const c of cases('lambdamax-lp')) {
      compared2++;
      const d = dataset(c.dataset);
      const tau = c.tau as number, w = W(d, c.weighted);
      const what = `${c.dataset} tau ${tau}`;
      const lm = lambdaMax(d.X, d.y, { tau, weights: w });
      const q = c.quantile as number;
      const intercept0 = checkLoss(d, q, d.X[0].map(() => 0), tau, w);
      for (const backend of BACKENDS) {
        const above = quantile(d.X, d.y, { tau, weights: w, lambda: lm * (1 + 1e-9), backend });
        expect(Math.max(...Array.from(above.coef, Math.abs)), `${what} (${backend}) at lambdaMax`).toBeLessThanOrEqual(1e-12);
        expectRel(above.objective, intercept0, 1e-12, `${what}: the intercept-only optimum`);
        const below = quantile(d.X, d.y, { tau, weights: w, lambda: (c.lambda_max_exact as number) * (1 - 1e-3), backend });
        expect(Math.max(...Array.from(below.coef, Math.abs)), `${what} (${backend}) below`).toBeGreaterThan(1e-9);
        expect(below.objective).toBeLessThan(intercept0);
      }
    }
    expect(compared2).toBe(6);
  });

  it('without an intercept: q = 0; lambda >= lambdaMax zeroes the fit (rows with y = 0 take d = 0: a bound)', () => {
    const d = dataset('synth_lasso');
    const lm = lambdaMax(d.X, d.y, { tau: 0.4, intercept: false });
    const r = quantile(d.X, d.y, { tau: 0.4, intercept: false, lambda: lm * (1 + 1e-9) });
    expect(Math.max(...Array.from(r.coef, Math.abs))).toBeLessThanOrEqual(1e-12);
    expect(r.intercept).toBe(0);
    const s = quantile(d.X, d.y, { tau: 0.4, intercept: false, lambda: lm * 0.999 });
    expect(Math.max(...Array.from(s.coef, Math.abs)), 'no y_i = 0: the value is exact').toBeGreaterThan(1e-9);
    // with zeros in y the d_i = 0 choice still certifies b = 0 (it may exceed the smallest such lambda)
    const y0 = d.y.map((v, i) => (i % 10 === 0 ? 0 : v));
    const lz = lambdaMax(d.X, y0, { tau: 0.4, intercept: false });
    const z = quantile(d.X, y0, { tau: 0.4, intercept: false, lambda: lz * (1 + 1e-9) });
    expect(Math.max(...Array.from(z.coef, Math.abs))).toBeLessThanOrEqual(1e-12);
  });
});

describe('penalised L1 / quantile against linear programming (HiGHS)', () => {
  it('the penalised objective matches the LP optimum', () => {
    let compared = 0;
    for (const c of cases('lasso-lp')) {
      compared++;
      const d = dataset(c.dataset);
      const tau = c.tau as number, lam = c.lambda as number, w = W(d, c.weighted);
      const what = `${c.dataset} tau ${tau} lambda ${lam}${w ? ' weighted' : ''}`;
      expect(c.rel_diff_simplex_ipm as number).toBeLessThan(1e-12);
      for (const backend of BACKENDS) {
        const r = quantile(d.X, d.y, { tau, lambda: lam, weights: w, backend });
        expect(r.converged, what).toBe(true);
        expectRel(r.objective, c.objective as number, 1e-10, `${what} (${backend})`);
        let pen = 0;
        for (const b of r.coef) pen += Math.abs(b);
        expectRel(checkLoss(d, r.intercept, r.coef, tau, w) + lam * pen, c.objective as number, 1e-10, `${what}: recomputed`);
        if (tau === 0.5) {
          // LAD units: Σ w|r| + λ'‖b‖₁ with λ' = 2λ is twice the quantile-units objective.
          expectRel(lad(d.X, d.y, { lambda: 2 * lam, weights: w, backend }).objective, 2 * (c.objective as number), 1e-10, `${what}: lad units`);
        }
      }
    }
    expect(compared).toBe(9);
  });
});

describe('solvePath', () => {
  it("kind 'lambda': one result per value in the caller's order, each equal to an independent fit", () => {
    for (const [name, tau, values] of [
      ['stackloss', undefined, [5, 0, 20, 1, 10, 2.5]],
      ['synth_lasso', 0.75, [0, 60, 5, 20, 1]],
      ['synth_lasso', undefined, [100, 30, 10, 3, 1, 0.3, 0]],
    ] as [string, number | undefined, number[]][]) {
      const d = dataset(name);
      for (const backend of BACKENDS) {
        const path = solvePath('lambda', values, d.X, d.y, { tau, backend });
        expect(path.length).toBe(values.length);
        values.forEach((lam, i) => {
          const cold = tau === undefined ? lad(d.X, d.y, { lambda: lam, backend }) : quantile(d.X, d.y, { tau, lambda: lam, backend });
          expect(path[i].loss).toBe(tau === undefined ? 'l1' : 'quantile');
          expect(path[i].converged).toBe(true);
          expectRel(path[i].objective, cold.objective, 1e-12, `${name} tau ${tau} lambda ${lam} (${backend})`);
        });
      }
    }
  });

  it("kind 'lambda' reproduces the LP optima (quantile units with tau, LAD units without)", () => {
    let compared = 0;
    for (const c of cases('lasso-lp').filter((x) => x.dataset === 'stackloss')) {
      compared++;
      const d = dataset('stackloss');
      const lams = cases('lasso-lp').filter((x) => x.dataset === 'stackloss').map((x) => x.lambda as number);
      const q = solvePath('lambda', lams, d.X, d.y, { tau: 0.5 });
      const l = solvePath('lambda', lams.map((v) => 2 * v), d.X, d.y);
      const k = lams.indexOf(c.lambda as number);
      expectRel(q[k].objective, c.objective as number, 1e-10, `quantile units lambda ${c.lambda}`);
      expectRel(l[k].objective, 2 * (c.objective as number), 1e-10, `LAD units lambda ${2 * (c.lambda as number)}`);
    }
    expect(compared).toBe(3);
  });

  it('lambda = 0 is the unpenalised fit', () => {
    for (const name of ['stackloss', 'starsCYG', 'synth_lasso']) {
      const d = dataset(name);
      const [a] = solvePath('lambda', [0], d.X, d.y);
      const b = lad(d.X, d.y);
      expectRel(a.objective, b.objective, 1e-14, name);
      if (!b.nonUnique) expectVecRel([a.intercept, ...a.coef], [b.intercept, ...b.coef], 1e-12, name);
    }
  });

  it("kind 'tau': one quantile fit per level, each equal to an independent fit (with and without a penalty)", () => {
    const d = dataset('synth_lasso');
    const taus = [0.9, 0.1, 0.5, 0.25, 0.75];
    for (const lambda of [0, 4]) {
      for (const backend of BACKENDS) {
        const path = solvePath('tau', taus, d.X, d.y, { lambda, weights: d.w, backend });
        taus.forEach((tau, i) => {
          expect(path[i].tau).toBe(tau);
          const cold = quantile(d.X, d.y, { tau, lambda, weights: d.w, backend });
          expectRel(path[i].objective, cold.objective, 1e-12, `tau ${tau} lambda ${lambda} (${backend})`);
        });
      }
    }
  });

  it('runs on a Dataset (data copied once)', () => {
    const d = dataset('synth_lasso');
    const ds = Dataset.from(d.X, d.y, { weights: d.w });
    const a = solvePath('lambda', [10, 1], ds, undefined, { tau: 0.3 });
    const b = solvePath('lambda', [10, 1], d.X, d.y, { tau: 0.3, weights: d.w });
    expectRel(a[0].objective, b[0].objective, 1e-14, 'lambda 10');
    expectRel(a[1].objective, b[1].objective, 1e-14, 'lambda 1');
    expectRel(lambdaMax(ds, undefined, { tau: 0.3 }), lambdaMax(d.X, d.y, { tau: 0.3, weights: d.w }), 1e-15, 'lambdaMax');
    ds.dispose();
  });

  // The invalid-option rows are in the bad-input catalogue (test/api/catalogue.test.ts).
});

// Issue 15, item 15: `npm run fuzz` found penalised fits with y ≡ 0 and ±1e12 entries next to O(1) ones
// that were optimal from the start (b = 0, gap 0) yet spun to maxIter with status 'max-iterations'.
// The pseudo-row +-e_j of a column whose scale is 1e12 is 1e-12 of that scale: the solve of the basis
// duals determines its dual only to ~eps·1e12 (a rounding violation of ~1e-5 of its weight), which the
// dual box test treated as a descent edge in every basis. The box test now allows what the solve
// cannot resolve (DUAL_ABS·D_c / rs_k, hiddenViolation in assembly/l1-simplex.ts) — invisible in the certificate.
describe('lasso with y = 0 and 1e12 entries (fuzz counterexamples of issue 15)', () => {
  const same = (a: FitResult, b: FitResult, what: string) => {
    expect(Array.from(b.coef), `${what}: coefficients`).toEqual(Array.from(a.coef));
    expect(b.intercept, `${what}: intercept`).toBe(a.intercept);
    expect(b.certificate, `${what}: certificate`).toEqual(a.certificate);
    expect([b.iterations, b.edgeSteps, b.status], `${what}: path`).toEqual([a.iterations, a.edgeSteps, a.status]);
  };
  const fits: [string, () => (backend: 'wasm' | 'js') => FitResult][] = [
    ['lad, default seed case 14,896', () => (backend) =>
      lad([[0, -2, 0, 1e12, -9.489064061285939]], [0], { intercept: false, lambda: 0.5, backend })],
    ['quantile tau 0.25', () => (backend) =>
      quantile([[0, 0, -1e12, 0], [-7.06290581578573, 0, 0, -1]], [0, 0], { tau: 0.25, lambda: 0.5, backend })],
  ];
  it.each(fits)('%s: certified optimal at b = 0 on both backends, bit-identical', (what, make) => {
    const run = make();
    const [w, j] = [run('wasm'), run('js')];
    for (const r of [w, j]) {
      expect(r.status, `${what} (${r.backend})`).toBe('optimal');
      expect(r.converged).toBe(true);
      expect(Array.from(r.coef).every((b) => b === 0)).toBe(true);
      expect(r.certificate).toEqual({ primal: 0, dual: 0, gap: 0 });
      expect(r.edgeSteps, 'no pivot cycling').toBeLessThanOrEqual(10);
    }
    same(w, j, what);
  });

  it('property: y = 0 with +-1e12 next to O(1) entries, penalised or not, ends certified at b = 0 in a few pivots (twin identical)', () => {
    // (subnormal columns are a known limit apart, test/fuzz.test.ts: keep |v| >= 1e-12 as the fuzz does)
    const entry = fc.oneof(
      fc.constantFrom(0, 1e12, -1e12, 1, -2, 3.5),
      fc.double({ min: -10, max: 10, noNaN: true }).map((v) => (Math.abs(v) < 1e-12 ? 0 : v)),
    );
    const arb = fc.record({
      n: fc.integer({ min: 1, max: 6 }),
      p: fc.integer({ min: 1, max: 5 }),
      vals: fc.array(entry, { minLength: 30, maxLength: 30 }),
      tau: fc.constantFrom(0.25, 0.5, 0.9),
      lambda: fc.constantFrom(0, 0.5, 2),
      intercept: fc.boolean(),
    });
    fc.assert(fc.property(arb, (c) => {
      let k = 0;
      const X = Array.from({ length: c.n }, () => Array.from({ length: c.p }, () => c.vals[k++ % 30]));
      const y = new Array<number>(c.n).fill(0);
      const o = { tau: c.tau, lambda: c.lambda, intercept: c.intercept };
      let w: FitResult, j: FitResult;
      try {
        [w, j] = (['wasm', 'js'] as const).map((backend) => quantile(X, y, { ...o, backend }));
      } catch (e) {
        if (c.lambda === 0 && (e as { code?: string }).code === 'RANK_DEFICIENT') return; // no penalty rows: rank is checked
        throw e;
      }
      const what = JSON.stringify({ X, ...o });
      expect(w.status, what).toBe('optimal');
      expect(w.objective, what).toBe(0);
      expect(w.certificate!.gap, what).toBe(0);
      expect(w.edgeSteps, `${what}: no cycling`).toBeLessThanOrEqual(4 * (c.p + 1));
      same(w, j, what);
    }), { numRuns: 1500, seed: 15 });
  });
});
