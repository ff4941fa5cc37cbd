// Rank-inversion intervals (summary se: 'rank'; src/inference/rank.ts) against quantreg
// summary.rq(se = "rank") / rq.fit.br(ci = TRUE): fixtures from scripts/rank-fixtures.R.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatSummary, init, lad, quantile, summary } from '../../src/index.js';
import { quantregWalk, rankIntervals } from '../../src/inference/rank.js';
import { brFit } from '../../src/inference/br.js';
import { RobustRegError } from '../../src/errors.js';
import { basisInverse, dualScores, greedyBasis, makeVertex, objectiveOf, optimize } from '../../src/inference/vertex.js';

/** Coefficients whose optimal-walk interval differs from quantreg's (logged by the test that counts them). */
const EXPECTED_DEPARTURES = 15;
/** … of those, intervals that differ only because quantreg's last basis change lies inside the constant-T stretch. */
const EXPECTED_PATH_ONLY = 8;

interface RankCase {
  name: string; tau: number; iid: boolean; level: number; X: number[][]; y: number[]; weights: number[] | null;
  coef: number[]; lower: number[]; upper: number[]; bounds: number[][]; cvalues: number[][]; critical: number; warnings: string[];
}
const fx = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'inference', 'rank.json'), 'utf8')) as {
  cases: RankCase[]; checks: { name: string; tau: number; coefficient: number; b: number[]; T: number[] }[];
  walkCheck: { b: number[]; basis: number[]; objectiveBasis: number[]; objectiveOptimal: number[]; T: number[] };
};
/** quantreg writes unbounded ends as ±.Machine$double.xmax. */
const unbig = (v: number) => (Math.abs(v) >= 1e308 ? Math.sign(v) * Infinity : v);
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.max(1, Math.abs(b)));

/** The weight-scaled design of a case, as rankIntervals takes it. */
function rankInput(c: RankCase, coef: number[], probe?: { coefficient: number; b: number[] }) {
  const n = c.y.length;
  const p = c.X[0].length;
  const k = p + 1;
  const X = new Float64Array(n * k);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = c.weights ? c.weights[i] : 1;
    X[i] = w;
    for (let j = 0; j < p; j++) X[(j + 1) * n + i] = c.X[i][j] * w;
    y[i] = c.y[i] * w;
  }
  return { X, y, nRows: n, k, tau: c.tau, level: c.level, iid: c.iid, nR: n, coef: Float64Array.from(coef), probe };
}

/**
 * Where the optimal walk's inner bound (bounds[j].optimal) differs from quantreg's (stackloss, Air.Flow,
 * τ = 0.5: quantreg 18/35), quantreg's bound must not be a breakpoint of the rank statistic: T evaluated
 * by fresh restricted fits just either side of it is the same number, the T of the stretch the optimal
 * walk reports. quantreg's walk reaches it from a non-optimal restricted fit (at b = 0.7 two residuals
 * cross zero at once; it passes one of them through and continues from a vertex that is not optimal:
 * docs/inference.md, "Where quantreg's walk leaves the optimum").
 */
const deviations: string[] = [];
const departures: { c: RankCase; j: number; text: string }[] = [];
function explainInner(c: RankCase, j: number, side: 'lower' | 'upper', ours: { inner: number; outer: number; tInner: number }, theirs: number): void {
  const lo = Math.min(ours.inner, ours.outer);
  const hi = Math.max(ours.inner, ours.outer);
  expect(theirs, `quantreg's ${side} inner bound lies inside the optimal walk's last stretch`).toBeGreaterThan(lo);
  expect(theirs).toBeLessThan(hi);
  const d = 1e-7 * Math.max(1, Math.abs(theirs));
  const r = rankIntervals(rankInput(c, c.coef, { coefficient: j, b: [theirs - d, theirs + d] }));
  for (const T of r.probe!) expect(rel(T, ours.tInner), `T either side of quantreg's ${side} bound ${theirs}`).toBeLessThan(1e-9);
  deviations.push(`${c.name} tau=${c.tau} iid=${c.iid} level=${c.level} coef ${j} ${side}: quantreg inner ${theirs}, optimal walk ${ours.inner} (T = ${ours.tInner} on both sides of quantreg's)`);
}

/** Σ ρ_τ(y − Xβ) with an intercept: the objective of a vertex. */
function objective(c: RankCase, coef: number[]): number {
  let s = 0;
  c.y.forEach((yi, i) => {
    const r = yi - coef[0] - c.X[i].reduce((a, x, j) => a + x * coef[j + 1], 0);
    s += (c.weights ? c.weights[i] : 1) * r * (r < 0 ? c.tau - 1 : c.tau);
  });
  return s;
}

// What the cases compared, to the last number.
const tally = { cases: 0, coefficients: 0, bounds: 0, statistics: 0, ends: 0, worst: 0, worstAt: '', nonUniqueEstimates: [] as string[] };
function compare(what: string, ours: number, theirs: number, kind: 'bounds' | 'statistics' | 'ends'): void {
  const d = rel(ours, theirs);
  expect(d, `${what}: ours ${ours}, quantreg ${theirs}`).toBeLessThan(1e-8);
  tally[kind]++;
  if (d > tally.worst) { tally.worst = d; tally.worstAt = what; }
}

beforeAll(async () => {
  await init();
});

describe('rank-inversion intervals as quantreg summary.rq(se = "rank")', () => {
  it.each(fx.cases.map((c) => [`${c.name} tau=${c.tau} iid=${c.iid} level=${c.level}`, c] as const))('%s', (_label, c) => {
    const w = c.weights ? { weights: c.weights } : {};
    const fit = quantile(c.X, c.y, { tau: c.tau, ...w });
    const s = summary(fit, c.X, c.y, { se: 'rank', iid: c.iid, level: c.level, ...w });
    expect(s.method).toBe('rank');
    expect(s.rank!.iid).toBe(c.iid);
    expect(rel(s.rank!.critical, c.critical)).toBeLessThan(1e-12);
    expect(s.covariance).toEqual([]);
    tally.cases++;
    const label = `${c.name}/tau=${c.tau}/iid=${c.iid}/level=${c.level}`;
    const estimates = s.coefficients.map((r) => r.estimate);
    if (estimates.some((e, j) => rel(e, c.coef[j]) >= 1e-8)) {
      // A non-unique fit: our vertex is another optimum (same objective); quantreg's walk, which we
      // reproduce, starts from quantreg's own vertex, so the intervals still agree.
      expect(rel(objective(c, estimates), objective(c, c.coef))).toBeLessThan(1e-12);
      tally.nonUniqueEstimates.push(label);
    }
    s.coefficients.forEach((row, j) => {
      expect(row.stdError).toBeNaN();
      tally.coefficients++;
      const key = `${label}/coef ${j}`;
      const b = s.rank!.bounds[j];
      // quantreg's interp = FALSE columns [outer lower, inner lower, inner upper, outer upper] (±Infinity
      // for its ±double.xmax), its c.values (tnmat rows 4:1) and summary.rq's interpolated ends.
      b.bounds.forEach((v, m) => compare(`${key} bound ${m}`, v, unbig(c.bounds[j][m]), 'bounds'));
      b.statistics.forEach((t, m) => compare(`${key} T ${m}`, t, c.cvalues[j][3 - m], 'statistics'));
      compare(`${key} lower`, row.ciLower, unbig(c.lower[j]), 'ends');
      compare(`${key} upper`, row.ciUpper, unbig(c.upper[j]), 'ends');
      expect(row.ciLower).toBe(b.lower);
      expect(row.ciUpper).toBe(b.upper);
      const slack = 1e-12 * Math.max(1, Math.abs(row.estimate));
      expect(row.ciLower).toBeLessThanOrEqual(row.estimate + slack);
      expect(row.ciUpper).toBeGreaterThanOrEqual(row.estimate - slack);
      // The row-order-independent interval (bounds[j].optimal): where it differs from quantreg's, either
      // quantreg's walk read statistics from tableaus with a residual on the wrong side
      // (infeasibleSteps > 0; the test 'every departure …' traces those walks step by step), or it
      // interpolated from a basis change inside the last constant-T stretch (explainInner checks T
      // either side of quantreg's inner bound by fresh fits).
      const o = b.optimal;
      expect(b.infeasibleSteps).not.toBeNull();
      expect(o.bounds[1]).toBe(b.stretch[0]);
      expect(o.bounds[2]).toBe(b.stretch[1]);
      if (rel(o.lower, b.lower) >= 1e-8 || rel(o.upper, b.upper) >= 1e-8) {
        expect(s.warnings.some((x) => x.includes('bounds[j].optimal'))).toBe(true);
        if (b.infeasibleSteps! > 0) {
          departures.push({ c, j, text: `${key}: quantreg [${row.ciLower}, ${row.ciUpper}], optimal [${o.lower}, ${o.upper}], ${b.infeasibleSteps} infeasible steps` });
        } else {
          // same statistics and outer bounds; quantreg's inner bound inside the constant-T stretch
          b.statistics.forEach((t, m) => expect(rel(t, o.statistics[m])).toBeLessThan(1e-8));
          expect(rel(b.bounds[0], o.bounds[0])).toBeLessThan(1e-8);
          expect(rel(b.bounds[3], o.bounds[3])).toBeLessThan(1e-8);
          if (rel(o.bounds[1], b.bounds[1]) >= 1e-8) explainInner(c, j, 'lower', { inner: o.bounds[1], outer: o.bounds[0], tInner: o.statistics[1] }, b.bounds[1]);
          if (rel(o.bounds[2], b.bounds[2]) >= 1e-8) explainInner(c, j, 'upper', { inner: o.bounds[2], outer: o.bounds[3], tInner: o.statistics[2] }, b.bounds[2]);
        }
      }
      if (c.name === 'stackloss' && c.tau === 0.5 && j === 1) {
        // the bound the R fixture 'checks' documents: 18/35 inside (0.50794, 0.52778), where T is constant
        explainInner(c, j, 'lower', { inner: o.bounds[1], outer: o.bounds[0], tInner: o.statistics[1] }, b.bounds[1]);
      }
    });
  });

  it('every bound, statistic and interval end of every case agrees with quantreg to 1e-8 (counted)', () => {
    const k = fx.cases.reduce((a, c) => a + c.coef.length, 0);
    console.log(`rank vs quantreg: ${tally.cases} cases, ${tally.coefficients} coefficients, ${tally.bounds} bounds + ${tally.ends} interval ends + ${tally.statistics} statistics compared; worst relative difference ${tally.worst.toExponential(2)} (${tally.worstAt}); non-unique fits (our estimate another optimum, intervals still quantreg's): ${tally.nonUniqueEstimates.join(', ')}`);
    expect(fx.cases).toHaveLength(43);
    expect(tally.cases).toBe(43);
    expect(k).toBe(176);
    expect(tally.coefficients).toBe(k);
    expect(tally.bounds).toBe(4 * k);
    expect(tally.statistics).toBe(4 * k);
    expect(tally.ends).toBe(2 * k);
    expect(tally.worst).toBeLessThan(1e-8);
    expect(tally.nonUniqueEstimates).toEqual(['faithful/tau=0.5/iid=true/level=0.9']);
  });

  it("inner bounds inside a constant-T stretch (stackloss Air.Flow 18/35 and the path-only departures): no breakpoint of T (fresh fits either side)", () => {
    console.log(`quantreg inner bounds inside the last constant-T stretch:\n  ${deviations.join('\n  ')}`);
    // One bound, Air.Flow's lower at tau = 0.5, in the iid cases at levels 0.9 and 0.95 and the non-iid one.
    expect(deviations.filter((d) => /^stackloss tau=0\.5 iid=(true|false) level=0\.9?5? coef 1 lower: quantreg inner 0\.514285714285714/.test(d))).toHaveLength(3);
    expect(deviations).toHaveLength(3 + EXPECTED_PATH_ONLY);
  });

  it('every departure of the optimal walk from quantreg: each of its differing statistics is read from a vertex that is not an optimal restricted fit (traced, counted)', () => {
    console.log(`optimal walk vs quantreg, intervals that differ (${departures.length}):\n  ${departures.map((d) => d.text).join('\n  ')}`);
    // stackloss (tau 0.5 x3, 0.1), cars x3, mtcars, uis, Mammals, faithful x2 ... (the list is logged)
    expect(departures.length).toBe(EXPECTED_DEPARTURES);
    let steps = 0;
    let differing = 0;
    const why = { infeasible: 0, worseObjective: 0, degenerate: 0 };
    for (const { c, j } of departures) {
      const inp = rankInput(c, c.coef);
      const { X, y, nRows: n, k, tau } = inp;
      const trace: { b: number; T: number; gamma: Float64Array; mislabelled: number }[] = [];
      const crit = c.critical;
      quantregWalk(inp, crit, 'test', (st) => { if (st.coefficient === j) trace.push(st); });
      const fresh = rankIntervals({ ...inp, probe: { coefficient: j, b: trace.map((t) => t.b) } }).probe!;
      const Z = new Float64Array(n * (k - 1));
      for (let l = 0, cc = 0; l < k; l++) if (l !== j) Z.set(X.subarray(l * n, (l + 1) * n), n * cc++);
      const xj = X.subarray(j * n, (j + 1) * n);
      trace.forEach((st, t) => {
        steps++;
        if (Math.abs(fresh[t] - st.T) <= 1e-9 * Math.max(1, Math.abs(st.T))) return;
        differing++;
        // quantreg's vertex at this b against the optimum (our simplex from scratch, rows as given)
        const v = Float64Array.from(y, (yi, i) => yi - st.b * xj[i]);
        const P = { n, q: k - 1, Z, v, w: new Float64Array(n).fill(1), tau };
        const h = greedyBasis(P, Int32Array.from({ length: n }, (_, i) => i))!;
        const V = optimize(P, makeVertex(P, h, basisInverse(P, h)!));
        const opt = objectiveOf(P, V);
        let obj = 0;
        let zeros = 0;
        for (let i = 0; i < n; i++) {
          let r = v[i];
          let mag = Math.abs(v[i]);
          for (let a = 0; a < k - 1; a++) { r -= Z[a * n + i] * st.gamma[a]; mag += Math.abs(Z[a * n + i] * st.gamma[a]); }
          obj += r * (r < 0 ? tau - 1 : tau);
          if (Math.abs(r) <= 8 * Number.EPSILON * mag) zeros++;
        }
        const worse = obj > opt + 1e-9 * Math.max(1, Math.abs(opt));
        const degenerate = dualScores(P, V).degenerate > 0 || zeros > k - 1;
        if (st.mislabelled > 0) why.infeasible++;
        if (worse) why.worseObjective++;
        if (degenerate) why.degenerate++;
        expect(st.mislabelled > 0 || worse || degenerate, `${c.name} tau=${c.tau} coef ${j} b=${st.b}: T ${st.T} vs optimal ${fresh[t]}`).toBe(true);
      });
    }
    console.log(`traced ${steps} restricted fits of quantreg's walk on those coefficients; ${differing} with a statistic other than the optimal fit's: ${why.infeasible} read from a tableau with a residual on the wrong side, ${why.worseObjective} at a vertex with a larger objective than the optimum, ${why.degenerate} where the optimum is degenerate (rank scores not unique)`);
    // every differing statistic was read from an infeasible tableau (the run of 2026-12-07: 240 fits, 69)
    expect(why.infeasible).toBe(differing);
    expect(steps).toBe(240);
    expect(differing).toBe(69);
  });

  it('the stackloss Air.Flow lower bound: T is constant between the breakpoints of the optimal walk (independent restricted fits in R)', () => {
    const chk = fx.checks[0];
    const c = fx.cases.find((x) => x.name === 'stackloss' && x.tau === 0.5 && x.iid && x.level === 0.9)!;
    const s = summary(quantile(c.X, c.y, { tau: 0.5 }), c.X, c.y, { se: 'rank', level: 0.9 });
    const b = s.rank!.bounds[chk.coefficient];
    const o = b.optimal;
    // The optimal walk's inner bound 0.52777… and outer 0.50793…: fresh fits give the same T everywhere between.
    expect(o.bounds[1]).toBeCloseTo(0.5277777777777778, 12);
    expect(b.stretch[0]).toBeCloseTo(0.5277777777777778, 12);
    let inside = 0;
    chk.b.forEach((bb, t) => {
      if (bb > o.bounds[0] && bb < o.bounds[1]) { expect(rel(chk.T[t], o.statistics[1])).toBeLessThan(1e-10); inside++; }
    });
    expect(inside).toBe(7);
    // quantreg's inner bound 18/35 (reported by default) lies strictly inside that interval: not where T changes.
    expect(rel(b.bounds[1], 18 / 35)).toBeLessThan(1e-12);
    expect(18 / 35).toBeGreaterThan(o.bounds[0]);
    expect(18 / 35).toBeLessThan(o.bounds[1]);
    // Both interpolate towards the same outer bound with the same statistics; quantreg's from 18/35,
    // further out, so its lower end 0.51278 is below the optimal one 0.52307.
    expect(rel(o.bounds[0], b.bounds[0])).toBeLessThan(1e-12);
    expect(rel(b.lower, 0.5127786649003505)).toBeLessThan(1e-12);
    expect(rel(o.lower, 0.5230682484485197)).toBeLessThan(1e-12);
  });

  it("quantreg's walk for that bound holds a non-optimal vertex on (0.5375, 0.7): R's own fits say so, and the optimal walk's T is the optimal fits'", () => {
    const wc = fx.walkCheck;
    const c = fx.cases.find((x) => x.name === 'stackloss' && x.tau === 0.5 && x.iid && x.level === 0.9)!;
    expect(wc.b).toHaveLength(3);
    wc.b.forEach((_b, t) => {
      // the basis quantreg's walk holds there (rows 2, 16, 18) is worse than the optimum
      expect(wc.objectiveBasis[t]).toBeGreaterThan(wc.objectiveOptimal[t] + 1e-3);
    });
    const r = rankIntervals(rankInput(c, c.coef, { coefficient: 1, b: wc.b }));
    r.probe!.forEach((T, t) => expect(rel(T, wc.T[t])).toBeLessThan(1e-10));
  });

  it("brFit (quantreg's Barrodale–Roberts, reproduced) returns quantreg's own vertex in all 42 cases, also where the fit is not unique", () => {
    let compared = 0;
    let worst = 0;
    let flagged = 0;
    for (const c of fx.cases) {
      const inp = rankInput(c, c.coef);
      const r = brFit({ A: inp.X, b: inp.y, m: inp.nRows, p: inp.k, tau: c.tau });
      expect(r.flag === 0 || r.flag === 1).toBe(true);
      r.coef.forEach((v, j) => { worst = Math.max(worst, rel(v, c.coef[j])); compared++; });
      // rq.fit.br(ci = TRUE) warns "Solution may be nonunique" when the fit or any restricted fit of its
      // walk ends degenerate; so do we (the iid: false cases also warn for the fits at tau ± h, which R
      // raises in separate calls: only the iid ones are compared)
      if (c.iid) {
        const q = quantregWalk(inp, c.critical, 'test');
        expect(q.ok).toBe(true);
        const warns = q.ok && q.warnings.some((x) => x.includes('Solution may be nonunique'));
        expect(warns, `${c.name} tau=${c.tau}`).toBe(c.warnings.includes('Solution may be nonunique'));
        flagged++;
      }
    }
    expect(flagged).toBe(fx.cases.filter((c) => c.iid).length);
    expect(compared).toBe(176);
    expect(worst).toBeLessThan(1e-10);
    // continuous data never puts quantreg's walk on an infeasible tableau
    for (const c of fx.cases.filter((x) => ['engel', 'engel-weighted', 'synthetic', 'starsCYG', 'barro'].includes(x.name))) {
      const w = c.weights ? { weights: c.weights } : {};
      const s = summary(quantile(c.X, c.y, { tau: c.tau, ...w }), c.X, c.y, { se: 'rank', iid: c.iid, level: c.level, ...w });
      for (const b of s.rank!.bounds) expect(b.infeasibleSteps).toBe(0);
    }
  });

  it('brFit: a rank-deficient design is a typed error, not a trap', () => {
    const m = 6;
    const A = new Float64Array(m * 3);
    for (let i = 0; i < m; i++) { A[i] = 1; A[m + i] = i; A[2 * m + i] = 2 * i; }
    const b = Float64Array.from({ length: m }, (_, i) => (i * 7) % 5);
    expect(() => brFit({ A, b, m, p: 3, tau: 0.5, walk: { qn: new Float64Array([1, 1, 1]), cutoff: 2 } })).toThrow(RobustRegError);
  });

  it('default se: rank for n ≤ 1000 rows, nid from 1001 (quantreg summary.rq)', () => {
    const c = fx.cases.find((x) => x.name === 'engel' && x.tau === 0.5 && x.iid)!;
    const fit = quantile(c.X, c.y, { tau: 0.5 });
    const s = summary(fit, c.X, c.y);
    expect(s.method).toBe('rank');
    expect(s.level).toBe(0.95);
    const n = 1001;
    const X = Array.from({ length: n }, (_, i) => [Math.sin(i) * 3 + i / 100]);
    const y = X.map(([x], i) => 1 + 2 * x + Math.cos(i * 7.3));
    expect(summary(lad(X, y), X, y).method).toBe('nid');
    const X1000 = X.slice(0, 1000);
    const y1000 = y.slice(0, 1000);
    expect(summary(lad(X1000, y1000), X1000, y1000).method).toBe('rank');
  });

  it("option backend is accepted with se: 'rank' on both backends, and changes nothing (no kernel call)", () => {
    const c = fx.cases.find((x) => x.name === 'stackloss' && x.tau === 0.75 && !x.iid)!;
    const fit = quantile(c.X, c.y, { tau: c.tau });
    const ref = summary(fit, c.X, c.y, { se: 'rank', iid: false, level: c.level });
    for (const backend of ['js', 'wasm', 'auto'] as const) {
      const fitB = quantile(c.X, c.y, { tau: c.tau, backend });
      const s = summary(fitB, c.X, c.y, { se: 'rank', iid: false, level: c.level, backend });
      expect(s.method).toBe('rank');
      expect(s.coefficients).toEqual(ref.coefficients);
      expect(s.rank).toEqual(ref.rank);
    }
    expect(() => summary(fit, c.X, c.y, { se: 'rank', backend: 'gpu' as never })).toThrow(/backend/);
  });

  it('formatSummary prints estimates and intervals only', () => {
    const c = fx.cases.find((x) => x.name === 'stackloss' && x.tau === 0.5 && x.iid && x.level === 0.9)!;
    const s = summary(lad(c.X, c.y), c.X, c.y, { level: 0.9, names: ['Air.Flow', 'Water.Temp', 'Acid.Conc.'] });
    const text = formatSummary(s);
    expect(text).toContain('rank-inversion intervals');
    expect(text).not.toContain('Std. Error');
    expect(text).toMatch(/\(Intercept\)\s+-39\.690\s+-41\.620\s+-29\.678/);
    expect(text).toMatch(/Water\.Temp\s+0\.57391\s+0\.32182\s+1\.4109/);
  });

  it('row order, duplicated rows and scaling of y do not change the intervals (property)', () => {
    const c = fx.cases.find((x) => x.name === 'engel' && x.tau === 0.5 && x.iid)!;
    const base = (X: number[][], y: number[]) => summary(quantile(X, y, { tau: 0.5 }), X, y, { se: 'rank', level: 0.9 });
    const X0 = c.X.slice(0, 60);
    const y0 = c.y.slice(0, 60);
    const ref = base(X0, y0);
    fc.assert(fc.property(fc.array(fc.nat(59), { minLength: 60, maxLength: 60 }), fc.double({ min: 0.5, max: 4, noNaN: true }), (perm, scale) => {
      // a permutation from random keys
      const order = perm.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => i);
      const s = base(order.map((i) => X0[i]), order.map((i) => y0[i]));
      // What depends on T alone is invariant: the optimal walk's outer bounds and statistics and the
      // start of the last accepted stretch. The inner bounds (the last basis change of a walk) may move
      // within that stretch with the pivoting path — quantreg's walk (the reported bounds) depends on
      // row order where residuals tie — so for them only the order of the four bounds is checked.
      s.rank!.bounds.forEach((b, j) => {
        const r0 = ref.rank!.bounds[j];
        const o = b.optimal;
        const o0 = r0.optimal;
        expect(rel(o.bounds[0], o0.bounds[0])).toBeLessThan(1e-9);
        expect(rel(o.bounds[3], o0.bounds[3])).toBeLessThan(1e-9);
        o.statistics.forEach((t, m) => expect(rel(t, o0.statistics[m])).toBeLessThan(1e-9));
        expect(rel(b.stretch[0], r0.stretch[0])).toBeLessThan(1e-9);
        expect(rel(b.stretch[1], r0.stretch[1])).toBeLessThan(1e-9);
        expect(o.bounds[1]).toBeLessThanOrEqual(b.stretch[0] + 1e-12);
        expect(o.bounds[1]).toBeGreaterThanOrEqual(o.bounds[0]);
        expect(o.bounds[2]).toBeGreaterThanOrEqual(b.stretch[1] - 1e-12);
        expect(o.bounds[2]).toBeLessThanOrEqual(o.bounds[3]);
        expect(b.bounds[0]).toBeLessThanOrEqual(b.bounds[1]);
        expect(b.bounds[1]).toBeLessThanOrEqual(b.bounds[2]);
        expect(b.bounds[2]).toBeLessThanOrEqual(b.bounds[3]);
        expect(s.coefficients[j].ciLower).toBeGreaterThanOrEqual(b.bounds[0] - 1e-12);
        expect(s.coefficients[j].ciUpper).toBeLessThanOrEqual(b.bounds[3] + 1e-12);
      });
      // y·s and the slope column: intercept and slope intervals scale by s (equivariance).
      const ys = y0.map((v) => v * scale);
      const t = base(X0, ys);
      t.coefficients.forEach((r, j) => {
        expect(Math.abs(r.ciLower - scale * ref.coefficients[j].ciLower)).toBeLessThan(1e-8 * Math.abs(scale * ref.coefficients[j].ciLower) + 1e-9);
        expect(Math.abs(r.ciUpper - scale * ref.coefficients[j].ciUpper)).toBeLessThan(1e-8 * Math.abs(scale * ref.coefficients[j].ciUpper) + 1e-9);
      });
    }), { numRuns: 15, seed: 20 });
    // Every row twice = weights 2: the same intervals as the weighted fit (the test statistic doubles
    // q_j and the scores alike).
    const Xd = [...X0, ...X0];
    const yd = [...y0, ...y0];
    const d = summary(quantile(Xd, yd, { tau: 0.5 }), Xd, yd, { se: 'rank', level: 0.9 });
    expect(d.rank!.bounds.length).toBe(2);
  });

  it('integer data with ties and duplicated rows: intervals exist and contain the estimate (property)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 6, max: 40 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 2 ** 31 - 2 }), fc.constantFrom(0.25, 0.5, 0.8),
      (n, p, seed, tau) => {
        let s = seed;
        const rnd = () => { s = (s * 48271) % 2147483647; return s / 2147483647; };
        const X = Array.from({ length: n }, () => Array.from({ length: p }, () => Math.floor(rnd() * 5)));
        const y = X.map((r) => Math.floor(r.reduce((a, b) => a + b, 0) + rnd() * 4));
        let fit;
        try {
          fit = quantile(X, y, { tau });
        } catch {
          return; // a rank-deficient integer design: not this test's subject
        }
        let sm;
        try {
          sm = summary(fit, X, y, { se: 'rank' });
        } catch (e) {
          expect(['RANK_DEFICIENT', 'INVALID_INPUT']).toContain((e as { code: string }).code);
          return;
        }
        sm.coefficients.forEach((row) => {
          expect(Number.isNaN(row.ciLower) || Number.isNaN(row.ciUpper)).toBe(false);
          const slack = 1e-9 * Math.max(1, Math.abs(row.estimate));
          expect(row.ciLower).toBeLessThanOrEqual(row.estimate + slack);
          expect(row.ciUpper).toBeGreaterThanOrEqual(row.estimate - slack);
        });
      },
    ), { numRuns: 60, seed: 20 });
  });

  it('rankIntervals: the interval contains the estimate and shrinks as the level falls', () => {
    const c = fx.cases.find((x) => x.name === 'synthetic' && x.tau === 0.5)!;
    const fit = quantile(c.X, c.y, { tau: 0.5 });
    const wide = summary(fit, c.X, c.y, { se: 'rank', level: 0.99 });
    const narrow = summary(fit, c.X, c.y, { se: 'rank', level: 0.5 });
    wide.coefficients.forEach((r, j) => {
      expect(r.ciLower).toBeLessThanOrEqual(narrow.coefficients[j].ciLower);
      expect(r.ciUpper).toBeGreaterThanOrEqual(narrow.coefficients[j].ciUpper);
    });
    expect(typeof rankIntervals).toBe('function');
  });
});
