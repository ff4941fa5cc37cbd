// Huber regression (src/fit/robust.ts → irls_fit): cross-checks against statsmodels (joint scale,
// Huber's proposal 2) and scikit-learn (fixed scale), limits (delta -> Inf is OLS, delta -> 0 is LAD at
// a fixed scale), optimality (finite-difference gradient, estimating equations), zero scale, the
// iteration cap, weights, equivariance, warm starts, bit-identical backends, errors.
// Fixtures: scripts/huber-fixtures.py (tool, version and call recorded in fixtures.json).
import { describe, expect, it } from 'vitest';
import { Dataset, lad, ols } from '../../src/index.js';
import { huber, type HuberOptions, type HuberResult } from '../../src/fit/robust.js';
import { huberBeta } from '../../src/twin/irls.js';
import { expectRel, expectVecRel, rng } from '../helpers/close.js';
import {
  BACKENDS, LAD_OPTIMUM, affineY, all, cases, dataset, duplicateRows, initBeforeAll, l1, normalFrom, residuals,
  withDataWeights, type Data,
} from '../helpers/robust.js';

initBeforeAll();

function fitD(d: Data, o: HuberOptions & { weighted?: boolean } = {}): HuberResult {
  return huber(d.X, d.y, withDataWeights(d, o));
}

const H = (z: number, dl: number) => (Math.abs(z) <= dl ? z * z : 2 * dl * Math.abs(z) - dl * dl);
const clip = (z: number, dl: number) => Math.max(-dl, Math.min(dl, z));

/** A = W (1 − p'/n+) β(δ), p' = min(p + intercept, n+ − 1): the joint objective's constant. */
function constA(w: number[], params: number, dl: number): number {
  let W = 0, npos = 0;
  for (const v of w) if (v > 0) { W += v; npos++; }
  const pe = Math.min(params, npos - 1);
  return W * ((npos - pe) / npos) * huberBeta(dl);
}

/** Q(θ) with θ = [b0, b_1..b_p, s], or F_s(θ) with θ = [b0, b_1..b_p] at a fixed s. */
function objective(d: Data, w: number[], dl: number, ridge: number, A: number, fixedScale: number | null) {
  return (th: number[]) => {
    const s = fixedScale ?? th[d.p + 1];
    const r = residuals(d, th[0], th.slice(1, d.p + 1));
    let f = 0, B = 0;
    for (let i = 0; i < d.n; i++) f += w[i] * s * s * H(r[i] / s, dl);
    for (let j = 1; j <= d.p; j++) B += th[j] * th[j];
    f += ridge * B;
    return fixedScale === null ? f / s + A * s : f;
  };
}

describe('huber: reference fixtures', () => {
  it('estimated scale matches statsmodels RLM(HuberT(d), HuberScale(d)) — Huber proposal 2', () => {
    let compared = 0;
    for (const c of cases('huber-joint')) {
      compared++;
      const d = dataset(c.dataset);
      const what = `${c.dataset} delta ${c.delta}`;
      // The constant A: statsmodels' h·n = (n − p) E min(Z², d²) (scipy's normal cdf).
      expectRel(constA(d.y.map(() => 1), d.p + 1, c.delta as number), c.A as number, 4e-15, `${what}: A`);
      for (const backend of BACKENDS) {
        const r = fitD(d, { delta: c.delta as number, backend, tol: 1e-13 });
        expect(r.converged, what).toBe(true);
        // statsmodels stops at |Δcoef| <= 1e-13 (absolute) and its scale loop at |Δs| <= 1e-15: the
        // residual disagreement is its convergence, ~1e-11 relative.
        expectVecRel(all(r), c.coefficients as number[], 1e-10, `${what} (${backend}) coefficients`);
        expectRel(r.scale, c.scale as number, 1e-10, `${what} (${backend}) scale`);
        expectRel(r.objective, c.objective as number, 1e-13, `${what} (${backend}) objective`);
        expect(r.objective, `${what}: ours is no worse`).toBeLessThanOrEqual((c.objective as number) * (1 + 1e-14));
      }
    }
    expect(compared).toBe(6);
  });

  it('fixed scale matches scikit-learn HuberRegressor at its scale_ (objective no worse)', () => {
    let compared = 0;
    for (const c of cases('huber-fixed')) {
      compared++;
      const d = dataset(c.dataset);
      const what = `${c.dataset} delta ${c.delta} ridge ${c.ridge}${c.weighted ? ' weighted' : ''}`;
      for (const backend of BACKENDS) {
        const r = fitD(d, { delta: c.delta as number, scale: c.scale as number, ridge: c.ridge as number, weighted: c.weighted as boolean, backend });
        expect(r.converged, what).toBe(true);
        expect(r.scale).toBe(c.scale);
        // Objective first: L-BFGS-B (sklearn) stops early; our fixed-scale optimum is at least as good.
        expect(r.objective, `${what}: objective ${r.objective} vs sklearn ${c.objective}`).toBeLessThanOrEqual((c.objective as number) * (1 + 1e-14));
        expectRel(r.objective, c.objective as number, 1e-9, `${what} objective`);
        // Coefficients to sklearn's optimiser accuracy (measured 3e-8 .. 2.6e-5).
        expectVecRel(all(r), c.coefficients as number[], 1e-4, `${what} (${backend}) coefficients`);
      }
    }
    expect(compared).toBe(5);
  });
});

describe('huber: limits and optimality', () => {
  it('delta -> Infinity is ordinary least squares (1e-10)', () => {
    for (const name of ['stackloss', 'starsCYG', 'synth_huber']) {
      const d = dataset(name);
      for (const weighted of [false, true]) {
        if (weighted && !d.w) continue;
        const w = weighted ? d.w : undefined;
        const o = ols(d.X, d.y, { weights: w });
        for (const backend of BACKENDS) {
          const joint = fitD(d, { delta: 1e8, weights: w, backend });
          const fixed = fitD(d, { delta: 1e8, scale: 1, weights: w, backend });
          expectVecRel(all(joint), all(o), 1e-10, `${name} joint (${backend})`);
          expectVecRel(all(fixed), all(o), 1e-10, `${name} fixed (${backend})`);
          expectRel(fixed.objective, o.objective, 1e-10, `${name}: fixed-scale objective = residual sum of squares`);
          expect(joint.outliers.every((v) => v === 0)).toBe(true);
          // Joint: s² = RSS / A with every row an inlier, Q = 2 sqrt(A RSS).
          const A = constA(w ?? d.y.map(() => 1), d.p + 1, 1e8);
          expectRel(joint.scale, Math.sqrt(o.objective / A), 1e-10, `${name}: scale`);
        }
      }
    }
  });

  it('delta -> 0 at a fixed scale approaches the LAD optimum: L1* − Wc/2 <= F/2c <= L1*, L1(b) − L1* <= Wc/2', () => {
    for (const name of ['stackloss', 'starsCYG']) {
      const d = dataset(name);
      const L1star = LAD_OPTIMUM[name];
      const ladFit = lad(d.X, d.y);
      expectRel(ladFit.objective, L1star, 1e-12, `${name}: lad() agrees with the certified optimum`);
      let prevGap = Infinity;
      for (const dl of [1e-1, 1e-2, 1e-3, 1e-4, 1e-6]) {
        const s = 0.5;
        const c = dl * s;
        const r = fitD(d, { delta: dl, scale: s, maxIter: 10000, tol: 1e-13 });
        expect(r.converged).toBe(true);
        const slack = 1e-12 * L1star;
        const half = r.objective / (2 * c);
        expect(half, `${name} delta ${dl}: F/2c`).toBeLessThanOrEqual(L1star + slack);
        expect(half).toBeGreaterThanOrEqual(L1star - d.n * c / 2 - slack);
        const gap = l1(d, r.intercept, r.coef) - L1star;
        expect(gap, `${name} delta ${dl}: L1 gap`).toBeGreaterThanOrEqual(-slack);
        expect(gap).toBeLessThanOrEqual(d.n * c / 2 + slack);
        expect(gap).toBeLessThanOrEqual(prevGap + slack);
        prevGap = gap;
      }
      expect(prevGap).toBeLessThan(1e-5);
    }
  });

  it('delta -> 0 with the estimated scale does not approach LAD: c = delta·s tends to a positive limit', () => {
    // Σ min(r², c²) = (n − p) c² in the limit (β(δ) ~ δ²): a Huber fit with a data-driven threshold.
    const d = dataset('stackloss');
    const c5 = fitD(d, { delta: 1e-5 }), c6 = fitD(d, { delta: 1e-6 });
    expectRel(1e-6 * c6.scale, 1e-5 * c5.scale, 1e-2, 'threshold');
    expect(l1(d, c6.intercept, c6.coef) - LAD_OPTIMUM.stackloss).toBeGreaterThan(1e-3);
  });

  it('the gradient of the objective vanishes at the solution (central differences)', () => {
    const settings: [string, HuberOptions & { weighted?: boolean }][] = [
      ['stackloss', {}], ['stackloss', { delta: 2 }], ['starsCYG', {}], ['synth_huber', { weighted: true }],
      ['synth_huber', { weighted: true, ridge: 5 }], ['stackloss', { ridge: 10 }],
      ['stackloss', { scale: 1.5 }], ['synth_huber', { weighted: true, scale: 0.3, ridge: 2 }],
    ];
    for (const [name, o] of settings) {
      const d = dataset(name);
      const dl = o.delta ?? 1.345, ridge = o.ridge ?? 0;
      const w = o.weighted ? d.w! : d.y.map(() => 1);
      const r = fitD(d, { ...o, tol: 1e-14 });
      const fixed = o.scale ?? null;
      const Q = objective(d, w, dl, ridge, constA(w, d.p + 1, dl), fixed);
      const th = [...all(r), ...(fixed === null ? [r.scale] : [])];
      expectRel(Q(th), r.objective, 1e-12, `${name} ${JSON.stringify(o)}: objective formula`);
      const s = fixed ?? r.scale;
      const res = residuals(d, r.intercept, r.coef);
      for (let j = 0; j < th.length; j++) {
        const h = 1e-6 * Math.max(Math.abs(th[j]), 1e-2);
        const up = th.slice(), dn = th.slice();
        up[j] += h;
        dn[j] -= h;
        const g = (Q(up) - Q(dn)) / (2 * h);
        // Scale of the gradient: sum of the magnitudes of its terms.
        let G = 0;
        if (j <= d.p) {
          for (let i = 0; i < d.n; i++) G += w[i] * 2 * Math.abs(clip(res[i] / s, dl)) * (j === 0 ? 1 : Math.abs(d.X[i][j - 1])) * (fixed === null ? 1 : s);
          if (j > 0) G += 2 * ridge * Math.abs(th[j]) / (fixed === null ? s : 1);
        } else {
          for (let i = 0; i < d.n; i++) G += w[i] * clip(res[i] / s, dl) ** 2;
          G *= 2;
        }
        expect(Math.abs(g), `${name} ${JSON.stringify(o)}: dQ/dθ${j} = ${g} vs scale ${G}`).toBeLessThanOrEqual(1e-6 * G);
      }
    }
  });

  it('the estimating equations hold: Σ w ψ(r/s) x = 0 and Σ w ψ(r/s)² + ridge‖b‖²/s² = A', () => {
    const d = dataset('synth_huber');
    for (const ridge of [0, 3]) {
      const r = fitD(d, { weighted: true, ridge, tol: 1e-14 });
      const w = d.w!;
      const res = residuals(d, r.intercept, r.coef);
      let sum2 = 0, scale2 = 0;
      for (let i = 0; i < d.n; i++) {
        const ps = clip(res[i] / r.scale, 1.345);
        sum2 += w[i] * ps * ps;
        scale2 += w[i] * 1.345 * 1.345;
      }
      let B = 0;
      for (const b of r.coef) B += b * b;
      expectRel(sum2 + ridge * B / (r.scale * r.scale), constA(w, d.p + 1, 1.345), 1e-10, `scale equation (ridge ${ridge})`);
      for (let j = 0; j <= d.p; j++) {
        let g = 0, G = 0;
        for (let i = 0; i < d.n; i++) {
          const x = j === 0 ? 1 : d.X[i][j - 1];
          g += w[i] * clip(res[i] / r.scale, 1.345) * x;
          G += w[i] * 1.345 * Math.abs(x);
        }
        if (j > 0) g -= ridge * r.coef[j - 1] / r.scale;
        expect(Math.abs(g), `ψ equation ${j} (ridge ${ridge})`).toBeLessThanOrEqual(1e-10 * G);
      }
      void scale2;
    }
  });

  it('refitting at the estimated scale returns the same coefficients (they minimise F at s)', () => {
    for (const name of ['stackloss', 'starsCYG', 'synth_huber']) {
      const d = dataset(name);
      const j = fitD(d, { tol: 1e-13 });
      const f = fitD(d, { scale: j.scale, tol: 1e-13 });
      expectVecRel(all(f), all(j), 1e-10, name);
      // Q = F/s + A s at the solution
      expectRel(j.objective, f.objective / j.scale + constA(d.y.map(() => 1), d.p + 1, 1.345) * j.scale, 1e-12, `${name}: Q vs F`);
    }
  });

  it('outliers marks exactly the rows with |r| > delta·s', () => {
    for (const name of ['stackloss', 'starsCYG', 'synth_huber']) {
      const d = dataset(name);
      for (const backend of BACKENDS) {
        const r = fitD(d, { backend });
        const res = residuals(d, r.intercept, r.coef);
        expect(r.outliers).toBeInstanceOf(Uint8Array);
        expect(r.outliers.length).toBe(d.n);
        let k = 0;
        for (let i = 0; i < d.n; i++) {
          const want = Math.abs(res[i]) > r.delta * r.scale ? 1 : 0;
          if (Math.abs(Math.abs(res[i]) - r.delta * r.scale) > 1e-9 * r.scale) expect(r.outliers[i], `${name} row ${i}`).toBe(want);
          k += r.outliers[i];
        }
        expect(k).toBeGreaterThan(0);
        expect(k).toBeLessThan(d.n / 2);
      }
    }
  });
});

describe('huber: edge cases', () => {
  const X = [[1, 2], [2, 1], [3, 5], [4, 3], [5, 8], [6, 1], [7, 7]];
  const yExact = X.map(([a, b]) => 1.5 + 2 * a - 0.25 * b);
  // 20 rows on the plane y = 0.1 + 3 a − b, three of them moved far off it.
  const X2: number[][] = [], y2: number[] = [];
  for (let i = 0; i < 20; i++) {
    const a = i * 0.7 - 3, b = (i * i) % 7;
    X2.push([a, b]);
    y2.push(0.1 + 3 * a - b);
  }
  const moved = [3, 11, 17];
  y2[3] += 50; y2[11] -= 30; y2[17] += 7;

  it('a perfect fit gives scale 0, the exact coefficients and objective 0 (no NaN)', () => {
    for (const backend of BACKENDS) {
      for (const o of [{}, { delta: 0.1 }, { scale: 1 }] as HuberOptions[]) {
        const r = huber(X, yExact, { ...o, backend });
        expectVecRel(all(r), [1.5, 2, -0.25], 1e-14, `exact (${backend}) ${JSON.stringify(o)}`);
        expect(r.converged).toBe(true);
        expect(Number.isFinite(r.objective)).toBe(true);
        expect(r.objective).toBeLessThanOrEqual(1e-20);
        if (o.scale === undefined) expect(r.scale).toBe(0);
        expect(Array.from(r.outliers)).toEqual(X.map(() => 0));
      }
      const z = huber(X, X.map(() => 0), { backend });
      expect([z.intercept, ...z.coef, z.scale, z.objective]).toEqual([0, 0, 0, 0, 0]);
      const one = huber([[]], [3], { backend });
      expect([one.intercept, one.scale, one.objective, one.converged]).toEqual([3, 0, 0, true]);
    }
  });

  it('an exact fit of most rows: zero (rounding-level) scale, the plane recovered, the moved rows flagged', () => {
    for (const backend of BACKENDS) {
      const r = huber(X2, y2, { backend });
      expect(r.converged).toBe(true);
      expectVecRel(all(r), [0.1, 3, -1], 1e-12, `plane (${backend})`);
      expect(r.scale).toBeLessThan(1e-12);
      expect(Array.from(r.outliers).flatMap((v, i) => (v ? [i] : []))).toEqual(moved);
      // Q -> 2 δ Σ w |r| as s -> 0: the moved rows' |offsets| are 50 + 30 + 7.
      expectRel(r.objective, 2 * 1.345 * 87, 1e-10, 'objective');
    }
    const a = huber(X2, y2, { backend: 'wasm' }), b = huber(X2, y2, { backend: 'js' });
    expect([...all(a), a.scale, a.objective, a.iterations]).toEqual([...all(b), b.scale, b.objective, b.iterations]);
    const sa = huber(X2, y2, { backend: 'wasm', start: { coef: [3, -1], intercept: 0.1 } });
    const sb = huber(X2, y2, { backend: 'js', start: { coef: [3, -1], intercept: 0.1 } });
    expect(sa.scale).toBeLessThan(1e-12);
    expect([...all(sa), sa.scale, sa.objective, sa.iterations]).toEqual([...all(sb), sb.scale, sb.objective, sb.iterations]);
    expectVecRel(all(sa), [0.1, 3, -1], 1e-14, 'started at the exact plane');
  });

  it('maxIter = 1 returns the first iterate, converged false, every value finite', () => {
    for (const name of ['stackloss', 'synth_huber']) {
      const d = dataset(name);
      for (const backend of BACKENDS) {
        const r = fitD(d, { maxIter: 1, backend });
        expect(r.converged).toBe(false);
        expect(r.status).toBe('max-iterations');
        expect(r.iterations).toBe(1);
        for (const v of [...all(r), r.scale, r.objective]) expect(Number.isFinite(v)).toBe(true);
        const full = fitD(d, { backend });
        expect(r.objective).toBeGreaterThan(full.objective);
      }
    }
  });

  it('a Dataset (data copied once) gives the same fit as arrays', () => {
    const d = dataset('synth_huber');
    for (const backend of BACKENDS) {
      const ds = Dataset.from(d.X, d.y, { weights: d.w, backend });
      const a = huber(ds, { ridge: 1 });
      const b = huber(d.X, d.y, { weights: d.w, ridge: 1, backend });
      expect(a.backend).toBe(backend);
      expect([...all(a), a.scale, a.objective]).toEqual([...all(b), b.scale, b.objective]);
      ds.dispose();
    }
  });

  it('warm start: from the solution it stops at once; from elsewhere it reaches the same optimum', () => {
    const d = dataset('synth_huber');
    const a = fitD(d, { tol: 1e-13 });
    const again = fitD(d, { tol: 1e-13, start: a });
    expect(again.iterations).toBeLessThanOrEqual(2);
    expectVecRel(all(again), all(a), 1e-12, 'restart');
    const far = fitD(d, { tol: 1e-13, start: { coef: [10, -10, 10], intercept: -50 } });
    expectVecRel(all(far), all(a), 1e-9, 'far start');
    expectRel(far.scale, a.scale, 1e-9, 'far start scale');
  });
});

describe('huber: weights and equivariance', () => {
  it('fixed scale: integer weights equal duplicated rows; zero weight equals a dropped row', () => {
    const d = dataset('stackloss');
    const w = d.y.map((_, i) => (i % 4 === 0 ? 0 : (i % 3) + 1));
    const { X: Xd, y: yd } = duplicateRows(d, w);
    for (const backend of BACKENDS) {
      const a = huber(d.X, d.y, { weights: w, scale: 2, backend, tol: 1e-13 });
      const b = huber(Xd, yd, { scale: 2, backend, tol: 1e-13 });
      expectVecRel(all(a), all(b), 1e-11, `duplicates (${backend})`);
      expectRel(a.objective, b.objective, 1e-12, 'objective');
    }
  });

  it('estimated scale: scaling every weight changes nothing but the objective; zero weight = dropped row', () => {
    const d = dataset('synth_huber');
    const w = d.w!;
    const a = huber(d.X, d.y, { weights: w, tol: 1e-13 });
    const b = huber(d.X, d.y, { weights: w.map((v) => v * 1e3), tol: 1e-13 });
    expectVecRel(all(b), all(a), 1e-11, 'scaled weights');
    expectRel(b.scale, a.scale, 1e-11, 'scale');
    expectRel(b.objective, 1e3 * a.objective, 1e-11, 'objective');
    const wz = w.map((v, i) => (i % 7 === 0 ? 0 : v));
    const keep = w.map((_, i) => i % 7 !== 0);
    const c = huber(d.X, d.y, { weights: wz, tol: 1e-13 });
    const e = huber(d.X.filter((_, i) => keep[i]), d.y.filter((_, i) => keep[i]), { weights: w.filter((_, i) => keep[i]), tol: 1e-13 });
    expectVecRel(all(c), all(e), 1e-11, 'dropped rows');
    expectRel(c.scale, e.scale, 1e-11, 'dropped rows scale');
  });

  it('regression and scale equivariance: y -> a y + b0 + X g gives a·coef + g, |a|·scale', () => {
    const d = dataset('stackloss');
    const a = -2.5, g = [0.3, -1.1, 2], g0 = 5;
    const y2 = affineY(d, a, g0, g);
    for (const o of [{}, { delta: 2 }] as HuberOptions[]) {
      const r = huber(d.X, d.y, { ...o, tol: 1e-13 });
      const t = huber(d.X, y2, { ...o, tol: 1e-13 });
      expectVecRel(all(t), [a * r.intercept + g0, ...Array.from(r.coef, (c, j) => a * c + g[j])], 1e-10, 'coefficients');
      expectRel(t.scale, Math.abs(a) * r.scale, 1e-10, 'scale');
      expectRel(t.objective, Math.abs(a) * r.objective, 1e-10, 'objective');
      expect(Array.from(t.outliers)).toEqual(Array.from(r.outliers));
    }
  });
});

describe('huber: backends', () => {
  it('WASM and the TypeScript twin return the same bits (shapes around block and SIMD widths)', () => {
    const rand = rng(20261127);
    const normal = normalFrom(rand);
    let compared = 0;
    for (const n of [1, 2, 3, 5, 8, 9, 31, 33, 511, 512, 513, 1025]) {
      for (const p of [0, 1, 2, 3, 5]) {
        for (const variant of [0, 1, 2, 3]) {
          const intercept = variant !== 3 || p === 0;
          const X = Array.from({ length: n }, () => Array.from({ length: p }, () => normal() * 3 + 1));
          const y = X.map((row) => 2 + row.reduce((s, x, j) => s + x * (j - 1), 0) + normal() * (rand() < 0.1 ? 20 : 1));
          const weights = variant === 1 ? X.map(() => (rand() < 0.2 ? 0 : rand() * 2)) : undefined;
          if (weights && !weights.some((v) => v > 0)) weights[0] = 1;
          const o: HuberOptions = { intercept, weights, ridge: variant === 2 ? 0.7 : 0, scale: variant === 3 ? 1.3 : undefined };
          const run = (backend: 'wasm' | 'js') => {
            try {
              const r = huber(X, y, { ...o, backend });
              return [...all(r), r.scale, r.objective, r.iterations, r.converged, ...r.outliers];
            } catch (e) {
              return [(e as { code: string }).code];
            }
          };
          const a = run('wasm'), b = run('js');
          expect(a, `n ${n} p ${p} variant ${variant}`).toEqual(b);
          for (let k = 0; k < a.length; k++) expect(Object.is(a[k], b[k]), `n ${n} p ${p} variant ${variant} [${k}]`).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBe(12 * 5 * 4);
  });
});

describe('huber: options and errors', () => {
  // The invalid-option rows are in the bad-input catalogue (test/api/catalogue.test.ts).

  it('ridge makes an aliased design solvable and shrinks the coefficients', () => {
    const r = huber([[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]], [1, 2, 3, 5, 4], { ridge: 0.1 });
    expect(r.converged).toBe(true);
    expectRel(r.coef[0], r.coef[1], 1e-12, 'symmetric split');
    const dd = dataset('stackloss');
    let prev = Infinity;
    for (const ridge of [0, 1, 10, 100]) {
      const n2 = Math.hypot(...fitD(dd, { ridge }).coef);
      expect(n2).toBeLessThan(prev);
      prev = n2;
    }
  });

  it('reports progress (kind IRLS) and cancels through options.signal', () => {
    const dd = dataset('synth_huber');
    const seen: number[] = [];
    huber(dd.X, dd.y, { onProgress: (p) => { seen.push(p.iteration); expect(Number.isNaN(p.gap)).toBe(true); } });
    expect(seen.length).toBeGreaterThan(0);
    const ac = new AbortController();
    let err: unknown;
    try {
      huber(dd.X, dd.y, { tol: 0, onProgress: () => ac.abort(), signal: ac.signal });
    } catch (e) {
      err = e;
    }
    expect((err as { code: string }).code).toBe('CANCELLED');
  });
});

// The semismooth Newton phase (assembly/irls.ts: inlier Gram matrix corrected by the rows that change
// sides, joint (coef, scale) steps, l2_fit's refined step only for ill-conditioned problems): heavy-tailed
// data with many rows changing sides, column counts around the 2 × 4 tiles of the Gram chunks and row
// counts around its 128-row chunks, every option the kernel has.
describe('huber: Newton phase on heavy-tailed data', () => {
  type Prob = { X: number[][]; y: number[]; w: number[] };
  function cauchyProblem(n: number, p: number, seed: number, collinear = false): Prob {
    const rand = rng(seed);
    const normal = normalFrom(rand);
    const X = Array.from({ length: n }, () => Array.from({ length: p }, () => normal() * 2 + 3));
    if (collinear) for (const row of X) row[p - 1] = row[0] + 1e-4 * normal();
    const y = X.map((row) => 1 + row.reduce((s, x, j) => s + x * ((j % 3) - 1), 0) + Math.tan(Math.PI * (rand() - 0.5)));
    const w = X.map(() => (rand() < 0.1 ? 0 : 0.5 + rand()));
    return { X, y, w };
  }
  /** max over the estimating equations' residuals, relative to their scale (see the test above). */
  function equations(P: Prob, r: HuberResult, w: number[], ridge: number, fixed: boolean): number {
    const n = P.y.length, p = P.X[0].length, dl = r.delta, s = r.scale;
    const res = P.y.map((v, i) => v - r.intercept - P.X[i].reduce((a, x, j) => a + x * r.coef[j], 0));
    let worst = 0;
    for (let j = 0; j <= p; j++) {
      let g = 0, G = 0;
      for (let i = 0; i < n; i++) {
        const x = j === 0 ? 1 : P.X[i][j - 1];
        g += w[i] * clip(res[i] / s, dl) * x;
        G += w[i] * dl * Math.abs(x);
      }
      if (j > 0) g -= ridge * r.coef[j - 1] / s;
      worst = Math.max(worst, Math.abs(g) / G);
    }
    if (!fixed) {
      let sum2 = 0, B = 0;
      for (let i = 0; i < n; i++) sum2 += w[i] * clip(res[i] / s, dl) ** 2;
      for (const b of r.coef) B += b * b;
      worst = Math.max(worst, Math.abs(sum2 + ridge * B / (s * s) - constA(w, p + 1, dl)) / constA(w, p + 1, dl));
    }
    return worst;
  }

  it('converges in a few steps to the solution of the estimating equations; WASM = twin, bit for bit', () => {
    let compared = 0;
    for (const [n, p] of [[700, 6], [1029, 9], [1500, 13]]) {
      const P = cauchyProblem(n, p, 1000 * n + p);
      for (const variant of ['plain', 'weights', 'ridge', 'fixed', 'f32'] as const) {
        const w = variant === 'weights' ? P.w : P.y.map(() => 1);
        const ridge = variant === 'ridge' ? 5 : 0;
        const o: HuberOptions = { weights: variant === 'weights' ? P.w : undefined, ridge, scale: variant === 'fixed' ? 1.5 : undefined };
        const fit = (backend: 'wasm' | 'js') => {
          if (variant !== 'f32') return huber(P.X, P.y, { ...o, backend });
          const ds = Dataset.from(P.X, P.y, { precision: 'f32', backend });
          try {
            return huber(ds, o);
          } finally {
            ds.dispose();
          }
        };
        const a = fit('wasm'), b = fit('js');
        const what = `n ${n} p ${p} ${variant}`;
        expect(a.converged, what).toBe(true);
        expect(a.iterations, what).toBeLessThanOrEqual(15);
        const bits = (r: HuberResult) => [...all(r), r.scale, r.objective, r.iterations, ...r.outliers];
        expect(bits(a), what).toEqual(bits(b));
        if (variant !== 'f32') expect(equations(P, a, w, ridge, variant === 'fixed'), what).toBeLessThanOrEqual(1e-12);
        compared++;
      }
    }
    expect(compared).toBe(15);
  });

  it('an ill-conditioned design (kappa > 1e4) still ends with the refined step and solves the equations', () => {
    const P = cauchyProblem(2000, 5, 77, true);
    const ones = P.y.map(() => 1);
    for (const backend of BACKENDS) {
      const r = huber(P.X, P.y, { backend, tol: 1e-12 });
      expect(r.converged).toBe(true);
      expect(equations(P, r, ones, 0, false)).toBeLessThanOrEqual(1e-11);
      // A warm start at the answer stops at once.
      const again = huber(P.X, P.y, { backend, tol: 1e-12, start: r });
      expect(again.iterations).toBeLessThanOrEqual(2);
      expectVecRel(all(again), all(r), 1e-9, 'restart');
    }
  });

  it('matches the IRLS fixed point: refitting at the scale with the plain weighted least-squares step moves nothing', () => {
    // At the optimum, one IRLS step (weighted least squares with weights min(1, δs/|r|)) returns the same
    // coefficients: check with ols on those weights.
    const P = cauchyProblem(3000, 7, 4242);
    const r = huber(P.X, P.y);
    const res = P.y.map((v, i) => v - r.intercept - P.X[i].reduce((a, x, j) => a + x * r.coef[j], 0));
    const c = r.delta * r.scale;
    const u = res.map((v) => (Math.abs(v) <= c ? 1 : c / Math.abs(v)));
    const l = ols(P.X, P.y, { weights: u });
    expectVecRel(all(l), all(r), 1e-10, 'IRLS step from the Newton solution');
  });
});
