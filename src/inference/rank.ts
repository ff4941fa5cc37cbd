// Rank-inversion confidence intervals for quantile-regression coefficients (Koenker 1994; the
// non-iid variant Koenker & Machado 1999), as quantreg's rq.fit.br(ci = TRUE) computes them.
//
// For coefficient j and a hypothesised value b, fit the restricted model y − b·x_j on the other
// columns Z at the same τ; its dual (regression rank scores âᵢ(b) ∈ [0, 1]) gives the rank-score
// statistic
//   T_j(b) = Σᵢ x_ij (âᵢ(b) − (1 − τ)) / √(q_j τ(1 − τ)),
// q_j = the residual sum of squares of x_j regressed on Z (iid), or with weights f̂ᵢ, the local
// density estimates from fits at τ ± h (non-iid). T_j is piecewise constant in b, changing only where
// a residual of the restricted fit crosses zero: the restricted problem is a linear program whose
// right-hand side moves linearly in b, so from one optimal basis the next breakpoint is the nearest
// b at which a nonbasic residual reaches zero, and one re-optimisation at b + δ gives the next rank
// scores (a parametric simplex in b; src/inference/vertex.ts). Walking up (and down) from β̂_j until
// |T_j| reaches the critical value c = t_{1−α/2}(n − p) gives four bounds, and the interval
// interpolates linearly between the last accepted breakpoint and the first rejected one, as
// rq.fit.br(interp = TRUE). That walk (ours, every vertex certified optimal) gives bounds[j].optimal;
// the bounds reported are those of quantreg's own walk, reproduced in src/inference/br.ts, which
// differs where residuals cross zero together (docs/inference.md, "Two walks").
import { RobustRegError } from '../errors.js';
import { bandwidth } from './quantile.js';
import { studentTQuantile } from './distributions.js';
import { qrR, solveUpper } from '../linalg/dense.js';
import {
  basisInverse, dedupeRows, dualScores, greedyBasis, makeVertex, optimize,
  type OptimizeStats, type QrProblem, type Vertex,
} from './vertex.js';
import { brFit, type BrInput } from './br.js';

/** quantreg's tolerance ε^(2/3): the step past each breakpoint and the floor of the density estimates. */
export const RANK_TOL = Math.pow(Number.EPSILON, 2 / 3);

export interface RankBounds {
  /** The interpolated interval (quantreg's "lower bd", "upper bd"); ±Infinity when unbounded. */
  lower: number;
  upper: number;
  /**
   * quantreg's interp = FALSE columns: [outer lower, inner lower, inner upper, outer upper]: the
   * breakpoints where |T| first reaches the critical value (outer) and the last below it (inner).
   */
  bounds: [number, number, number, number];
  /** T at those four bounds (quantreg's tnmat / c.values, unsigned order as `bounds`). */
  statistics: [number, number, number, number];
  /**
   * [lower, upper]: where the stretch of the last accepted T begins, by the walk on optimal restricted
   * fits (= optimal.bounds[1], [2]). quantreg's inner bounds (above) are the last basis change of its
   * walk and can depend on the pivoting path and row order; these depend on T alone.
   */
  stretch: [number, number];
  /**
   * The interval as a function of T alone (row-order independent): from a walk that stays on optimal
   * restricted fits (every vertex certified optimal, ties at a breakpoint resolved by re-optimising),
   * interpolated between the outer breakpoint and the start of the last accepted constant-T stretch
   * (`stretch`). quantreg's (the fields above) differs where its walk meets residuals crossing zero
   * together and continues from vertices that are not optimal (`infeasibleSteps` > 0), or where its
   * last basis change lies inside that stretch (a pivot that leaves T as it was) — docs/inference.md.
   */
  optimal: { lower: number; upper: number; bounds: [number, number, number, number]; statistics: [number, number, number, number] };
  /**
   * Restricted fits of quantreg's walk (both directions) read from a tableau with a nonbasic residual
   * on the other side of zero than its rank score says (0 when its walk stayed on consistent
   * vertices; null when the optimal walk was reported instead).
   */
  infeasibleSteps: number | null;
}

export interface RankResult {
  /** The vertex solution β̂ (all k coefficients, intercept first when present). */
  estimate: Float64Array;
  intervals: RankBounds[];
  /** Critical value t_{1−α/2}(n − k). */
  critical: number;
  /** q_j per coefficient. */
  qn: Float64Array;
  /** Non-iid: the Hall–Sheather bandwidth used for the density estimates. */
  h?: number;
  /** Simplex pivots made (all coefficients, both directions): a measure of the work. */
  pivots: number;
  warnings: string[];
  /** T_j(b) at the probe points, each from a restricted fit solved from scratch. */
  probe?: number[];
}

export interface RankInput {
  /** Column-major nRows × k design (intercept column of ones included), rows already weight-scaled. */
  X: Float64Array;
  y: Float64Array;
  nRows: number;
  k: number;
  tau: number;
  level: number;
  iid: boolean;
  /** n as quantreg counts it (rows passed, including zero-weight rows): the df n − k and bandwidth. */
  nR: number;
  /** Coefficients of the fit, to find its basis (rows with the smallest residuals first). */
  coef: Float64Array;
  /**
   * Where zero-weight rows were dropped: each row's index among the nAll rows passed (ascending).
   * quantreg keeps those rows in its tableau as zero rows, and where its walk meets ties their places
   * can matter (they shift the rows stage 1 swaps), so its walk is run with them put back.
   */
  rowsAll?: { rows: Int32Array; nAll: number };
  /** Tests: also evaluate T_j(b) by fresh restricted fits at these b (result.probe). */
  probe?: { coefficient: number; b: readonly number[] };
}

function column(X: Float64Array, n: number, j: number): Float64Array {
  return X.subarray(j * n, (j + 1) * n);
}

/** Σ cᵢ (x_j − Zβ)² with β the least-squares fit under weights cᵢ·fᵢ (Householder QR of [Z | x_j]). */
function projectionRss(X: Float64Array, n: number, k: number, j: number, c: Float64Array, f: Float64Array | null): number {
  const A = new Float64Array(n * k);
  let col = 0;
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) s[i] = Math.sqrt(c[i] * (f ? f[i] : 1));
  for (let l = 0; l < k; l++) {
    if (l === j) continue;
    for (let i = 0; i < n; i++) A[col * n + i] = X[l * n + i] * s[i];
    col++;
  }
  for (let i = 0; i < n; i++) A[col * n + i] = X[j * n + i] * s[i];
  const R = qrR({ n, k, a: A }, `summary (se = 'rank'): column ${j} of the design regressed on the others`);
  if (!f) return R[k * k - 1] * R[k * k - 1];
  // β = R11⁻¹ r12, then the RSS without the density weights.
  const m = k - 1;
  const beta = solveUpper(R, k, m, R.subarray(m * k, m * k + m));
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let e = X[j * n + i];
    let b = 0;
    for (let l = 0; l < k; l++) {
      if (l === j) continue;
      e -= X[l * n + i] * beta[b++];
    }
    rss += c[i] * e * e;
  }
  return rss;
}

function orderByAbs(r: ArrayLike<number>): Int32Array {
  const idx = Array.from({ length: r.length }, (_, i) => i);
  idx.sort((a, b) => Math.abs(r[a]) - Math.abs(r[b]) || a - b);
  return Int32Array.from(idx);
}

function startVertex(P: QrProblem, order: Int32Array, what: string): Vertex {
  const h = greedyBasis(P, order);
  const B = h && basisInverse(P, h);
  if (!h || !B) {
    throw new RobustRegError('RANK_DEFICIENT', `${what}: the design does not have full column rank`, {});
  }
  return makeVertex(P, h, B);
}

function densityWarning(nonPositive: number, n: number): string {
  return `rank (iid: false): ${nonPositive} of ${n} density estimates f_i were non-positive (the fits at tau ± h cross there) and were set to ${RANK_TOL.toPrecision(3)}, as quantreg does`;
}

export type QuantregWalk =
  | { ok: true; bounds: [number, number, number, number][]; statistics: [number, number, number, number][]; lower: number[]; upper: number[]; infeasible: Int32Array; warnings: string[] }
  | { ok: false; warning: string };

/**
 * quantreg's rq.fit.br(ci = TRUE) on the rows as given (order matters where its walk meets ties):
 * the Barrodale–Roberts fit, q_j (iid, or weighted by density estimates from its own fits at τ ± h),
 * the walk's four bounds and statistics per coefficient, and the interpolated ends (interp = TRUE).
 */
export function quantregWalk(inp: RankInput, critical: number, what: string, trace?: BrInput['trace']): QuantregWalk {
  const { k, tau, iid, nR } = inp;
  let { X, y, nRows: m } = inp;
  if (inp.rowsAll && inp.rowsAll.nAll > m) {
    // the zero rows back in their places (X·w and y·w are 0 there)
    const { rows, nAll } = inp.rowsAll;
    const X2 = new Float64Array(nAll * k);
    const y2 = new Float64Array(nAll);
    for (let r = 0; r < m; r++) {
      y2[rows[r]] = y[r];
      for (let j = 0; j < k; j++) X2[j * nAll + rows[r]] = X[j * m + r];
    }
    X = X2; y = y2; m = nAll;
  }
  const ones = new Float64Array(m).fill(1);
  let f: Float64Array | null = null;
  const warnings: string[] = [];
  if (!iid) {
    const h = bandwidth(tau, nR, 'hall-sheather');
    const hi = brFit({ A: X, b: y, m, p: k, tau: tau + h });
    const lo = brFit({ A: X, b: y, m, p: k, tau: tau - h });
    if (hi.flag === 2 || lo.flag === 2) return { ok: false, warning: `${what}: quantreg's simplex ended prematurely at tau ± h; the intervals are those of the optimal walk (bounds[j].optimal)` };
    f = new Float64Array(m);
    let nonPositive = 0;
    for (let i = 0; i < m; i++) {
      let dy = 0;
      for (let j = 0; j < k; j++) dy += X[j * m + i] * (hi.coef[j] - lo.coef[j]);
      if (dy <= 0) nonPositive++;
      f[i] = Math.max(RANK_TOL, (2 * h) / (dy - RANK_TOL));
    }
    if (nonPositive > 0) warnings.push(densityWarning(nonPositive, m));
  }
  const qn = new Float64Array(k);
  for (let j = 0; j < k; j++) qn[j] = projectionRss(X, m, k, j, ones, f);
  const r = brFit({ A: X, b: y, m, p: k, tau, walk: { qn, cutoff: critical }, trace });
  if (r.flag === 2 || !r.ci || !r.tnmat) {
    return { ok: false, warning: `${what}: quantreg's walk ended prematurely (its "possible conditioning problem in x"); the intervals are those of the optimal walk (bounds[j].optimal)` };
  }
  if (r.flag === 1) warnings.push(`rank: Solution may be nonunique (quantreg's warning, raised as quantreg raises it: the fit at tau = ${tau} or a restricted fit of the walk ended at a degenerate optimum); the walk starts from quantreg's vertex of the fit`);
  const inf = (v: number) => (Math.abs(v) >= Number.MAX_VALUE ? Math.sign(v) * Infinity : v);
  const bounds: [number, number, number, number][] = [];
  const statistics: [number, number, number, number][] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  for (let j = 0; j < k; j++) {
    const c = r.ci.subarray(4 * j, 4 * j + 4);
    const T = r.tnmat.subarray(4 * j, 4 * j + 4);
    // rq.fit.br(interp = TRUE), operation for operation; NaN (an unbounded side) → ±big.
    let up = c[2] + (Math.abs(c[3] - c[2]) * (critical - Math.abs(T[2]))) / Math.abs(T[3] - T[2]);
    let dn = c[1] - (Math.abs(c[0] - c[1]) * (critical - Math.abs(T[1]))) / Math.abs(T[0] - T[1]);
    if (Number.isNaN(up)) up = Infinity;
    if (Number.isNaN(dn)) dn = -Infinity;
    bounds.push([inf(c[0]), inf(c[1]), inf(c[2]), inf(c[3])]);
    statistics.push([T[0], T[1], T[2], T[3]]);
    lower.push(inf(dn));
    upper.push(inf(up));
  }
  return { ok: true, bounds, statistics, lower, upper, infeasible: r.mislabelled!, warnings };
}

/** Rank-inversion intervals for every coefficient. */
export function rankIntervals(inp: RankInput): RankResult {
  const { k, tau, level, iid, nR } = inp;
  const what = "summary (se = 'rank')";
  if (k < 2) {
    throw new RobustRegError('INVALID_INPUT', `${what}: rank-inversion intervals need at least 2 coefficients (with one there is no null model to test against, as in quantreg); use se: 'nid', 'ker' or 'boot'`, { argument: 'se', parameters: k });
  }
  if (nR - k < 1) {
    throw new RobustRegError('INVALID_INPUT', `${what}: ${nR} observations for ${k} coefficients leave no residual degrees of freedom for the critical value`, { argument: 'X', observations: nR, parameters: k });
  }
  // Merge identical rows (one row with a multiplicity): duplicates would make every vertex degenerate.
  const cols: Float64Array[] = [];
  for (let j = 0; j < k; j++) cols.push(column(inp.X, inp.nRows, j));
  cols.push(inp.y);
  const { rows, w: cnt } = dedupeRows(inp.nRows, cols, null);
  const n = rows.length;
  const X = new Float64Array(n * k);
  for (let j = 0; j < k; j++) for (let r = 0; r < n; r++) X[j * n + r] = inp.X[j * inp.nRows + rows[r]];
  const y = Float64Array.from(rows, (i) => inp.y[i]);
  const stats: OptimizeStats = { pivots: 0 };
  const warnings: string[] = [];

  // The full fit at τ, from the caller's coefficients: its vertex is the starting point.
  const resid0 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let j = 0; j < k; j++) s -= X[j * n + i] * inp.coef[j];
    resid0[i] = s;
  }
  const order = orderByAbs(resid0);
  const full: QrProblem = { n, q: k, Z: X, v: y, w: cnt, tau };
  const Vfull = optimize(full, startVertex(full, order, what), stats, what);
  const beta = Float64Array.from(Vfull.gamma);
  const fullOrder = orderByAbs(Vfull.r);

  const alpha = 1 - level;
  const critical = -studentTQuantile(alpha / 2, nR - k);

  // q_j: iid 1/[(X'X)⁻¹]_jj (the RSS of x_j on the others); non-iid with weights f̂ᵢ.
  let f: Float64Array | null = null;
  let h: number | undefined;
  const fWarnings: string[] = [];
  if (!iid) {
    h = bandwidth(tau, nR, 'hall-sheather');
    if (!(tau - h > 0 && tau + h < 1)) {
      throw new RobustRegError('INVALID_INPUT', `${what} with iid: false: tau ± h = ${tau} ± ${+h.toPrecision(4)} leaves (0, 1) (quantreg's rq.fit.br fails there too); use iid: true or a tau nearer 0.5`, { argument: 'iid', tau, h });
    }
    const bhi = optimize({ ...full, tau: tau + h }, Vfull, stats, what).gamma;
    const blo = optimize({ ...full, tau: tau - h }, Vfull, stats, what).gamma;
    f = new Float64Array(n);
    let nonPositive = 0;
    for (let i = 0; i < n; i++) {
      let dy = 0;
      for (let j = 0; j < k; j++) dy += X[j * n + i] * (bhi[j] - blo[j]);
      if (dy <= 0) nonPositive += cnt[i];
      f[i] = Math.max(RANK_TOL, (2 * h) / (dy - RANK_TOL));
    }
    if (nonPositive > 0) fWarnings.push(densityWarning(nonPositive, inp.nRows));
  }
  const qn = new Float64Array(k);
  for (let j = 0; j < k; j++) qn[j] = projectionRss(X, n, k, j, cnt, f);

  const intervals: RankBounds[] = [];
  let probe: number[] | undefined;
  let degenerate = 0;
  for (let j = 0; j < k; j++) {
    const Z = new Float64Array(n * (k - 1));
    let c = 0;
    for (let l = 0; l < k; l++) {
      if (l === j) continue;
      Z.set(X.subarray(l * n, (l + 1) * n), c * n);
      c++;
    }
    const xj = X.subarray(j * n, (j + 1) * n);
    const scale = Math.sqrt(qn[j] * tau * (1 - tau));
    const P: QrProblem = { n, q: k - 1, Z, v: new Float64Array(n), w: cnt, tau };
    const startH = greedyBasis(P, fullOrder);
    if (!startH) throw new RobustRegError('RANK_DEFICIENT', `${what}: the design without column ${j} does not have full column rank`, { column: j });
    const statAt = (V: Vertex): number => {
      const d = dualScores(P, V);
      if (d.degenerate > 0) degenerate++;
      let s = 0;
      for (let i = 0; i < n; i++) s += xj[i] * d.psi[i];
      return s / scale;
    };
    type Side = { inner: number; outer: number; tInner: number; tOuter: number; stretch: number };
    const walk = (dir: 1 | -1): Side => {
      let t = beta[j] + dir * RANK_TOL;
      const setV = (b: number) => { for (let i = 0; i < n; i++) P.v[i] = y[i] - b * xj[i]; };
      setV(t);
      let V = optimize(P, makeVertex(P, startH, basisInverse(P, startH)!), stats, what);
      let T = statAt(V);
      let sameT = false;
      let inner = NaN;
      let stretch = NaN;
      for (;;) {
        if (!(Math.abs(T) < critical)) return { inner: NaN, outer: t - dir * RANK_TOL, tInner: NaN, tOuter: T, stretch: NaN };
        // (only reached before the first step: later rejections return below)
        // Next breakpoint beyond t: a nonbasic residual (y_i − z_i'g1) − b (x_ij − z_i'g2) reaching 0.
        const q = k - 1;
        const g1 = new Float64Array(q);
        const g2 = new Float64Array(q);
        for (let a = 0; a < q; a++) {
          let s1 = 0;
          let s2 = 0;
          for (let l = 0; l < q; l++) { s1 += V.B[a * q + l] * y[V.h[l]]; s2 += V.B[a * q + l] * xj[V.h[l]]; }
          g1[a] = s1; g2[a] = s2;
        }
        let next = dir * Infinity;
        for (let i = 0; i < n; i++) {
          if (V.inBasis[i]) continue;
          let num = y[i];
          let den = xj[i];
          for (let a = 0; a < q; a++) { const z = Z[a * n + i]; num -= z * g1[a]; den -= z * g2[a]; }
          if (den === 0) continue;
          const bp = num / den;
          if (dir * (bp - t) > 0 && dir * (bp - next) < 0) next = bp;
        }
        // quantreg's inner bound: the last breakpoint of the basis path at which the test still
        // accepts, whether or not T changed there. `stretch`: the start of the stretch on which T has
        // its last accepted value (the same for every optimal path; see below).
        inner = t - dir * RANK_TOL;
        if (!sameT) stretch = inner;
        if (!Number.isFinite(next)) return { inner: dir * Infinity, outer: dir * Infinity, tInner: T, tOuter: T, stretch: dir * Infinity };
        const tPrev = T;
        t = next + dir * RANK_TOL;
        setV(t);
        V = optimize(P, makeVertex(P, V.h, V.B), stats, what);
        T = statAt(V);
        // A basis change that leaves the rank scores as they were (a dual-degenerate pivot: the
        // restricted fit is not unique there) is a breakpoint of the path but not of T. quantreg
        // reports it as the inner bound and interpolates from it (so do we, in `inner`); which such
        // pivots a path meets depends on its pivoting rules (and on row order), so `stretch` also
        // keeps the path-independent start of the constant-T stretch.
        sameT = Math.abs(T - tPrev) <= 1e-10 * Math.max(1, Math.abs(T));
        if (!(Math.abs(T) < critical)) return { inner, outer: t - dir * RANK_TOL, tInner: tPrev, tOuter: T, stretch };
      }
    };
    if (inp.probe && inp.probe.coefficient === j) {
      probe = inp.probe.b.map((b) => {
        for (let i = 0; i < n; i++) P.v[i] = y[i] - b * xj[i];
        return statAt(optimize(P, makeVertex(P, startH, basisInverse(P, startH)!), stats, what));
      });
    }
    const up = walk(1);
    const down = walk(-1);
    // The first statistic already at or past the critical value: the inner bound is β̂ with T = 0.
    if (Number.isNaN(up.inner)) { up.inner = beta[j]; up.tInner = 0; up.stretch = beta[j]; }
    if (Number.isNaN(down.inner)) { down.inner = beta[j]; down.tInner = 0; down.stretch = beta[j]; }
    const interp = (b: Side, dir: 1 | -1): number => {
      if (!Number.isFinite(b.inner) || !Number.isFinite(b.outer)) return dir * Infinity;
      const v = b.inner + dir * (Math.abs(b.outer - b.inner) * (critical - Math.abs(b.tInner))) / Math.abs(b.tOuter - b.tInner);
      return Number.isNaN(v) ? dir * Infinity : v;
    };
    // The row-order-independent interval: T alone decides it (outer breakpoint, start of the last
    // accepted constant-T stretch, the statistics on both), interpolated as rq.fit.br(interp = TRUE).
    const inv = (b: Side): Side => ({ ...b, inner: b.stretch });
    const optimal = {
      lower: interp(inv(down), -1),
      upper: interp(inv(up), 1),
      bounds: [down.outer, down.stretch, up.stretch, up.outer] as [number, number, number, number],
      statistics: [down.tOuter, down.tInner, up.tInner, up.tOuter] as [number, number, number, number],
    };
    intervals.push({
      lower: interp(down, -1), upper: interp(up, 1),
      bounds: [down.outer, down.inner, up.inner, up.outer], statistics: [...optimal.statistics],
      stretch: [down.stretch, up.stretch], optimal, infeasibleSteps: null,
    });
  }
  // quantreg's walk (src/inference/br.ts) on the rows as given: the reported bounds.
  const qr = quantregWalk(inp, critical, what);
  if (qr.ok) {
    const differ: number[] = [];
    intervals.forEach((iv, j) => {
      iv.bounds = qr.bounds[j];
      iv.statistics = qr.statistics[j];
      iv.lower = qr.lower[j];
      iv.upper = qr.upper[j];
      iv.infeasibleSteps = qr.infeasible[j];
      const close = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-8 * Math.max(1, Math.abs(b));
      if (!close(iv.lower, iv.optimal.lower) || !close(iv.upper, iv.optimal.upper)) differ.push(j);
    });
    warnings.push(...qr.warnings);
    if (differ.length > 0) {
      warnings.push(`rank: for coefficient${differ.length > 1 ? 's' : ''} ${differ.join(', ')} (0 = first) quantreg's walk met residuals crossing zero together and continued from restricted fits that are not optimal; the interval reported is quantreg's, rank.bounds[j].optimal has the one from optimal fits (docs/inference.md)`);
    }
  } else {
    warnings.push(qr.warning);
    if (degenerate > 0) {
      warnings.push(`rank: ${degenerate} restricted fit${degenerate > 1 ? 's were' : ' was'} degenerate (a residual exactly zero off the basis); the rank scores there are one of several valid choices`);
    }
    if (f) for (const w0 of fWarnings) warnings.push(w0);
  }
  return { estimate: beta, intervals, critical, qn, h, pivots: stats.pivots, warnings, ...(probe ? { probe } : {}) };
}
