// The whole quantile-regression process τ ↦ β̂(τ) (quantreg's rq(tau = -1)), by parametric simplex in
// τ: no grid. At an optimal vertex (basis h of p rows) the dual scores of the basic rows are linear
// in τ,
//   ψ̃_h(τ) = a − τ b,   a = Z_h⁻ᵀ Σ_{rᵢ<0} wᵢxᵢ,   b = Z_h⁻ᵀ Σ_{i∉h} wᵢxᵢ,
// and the vertex stays optimal while every ψ̃_k(τ) ∈ w_k[τ − 1, τ]. The nearest τ at which one reaches
// a bound is the next breakpoint; there the edge that moves that basic residual off zero (up when it
// hit τ·w_k, down when it hit (τ − 1)·w_k) becomes a descent edge and the first nonbasic residual to
// reach zero along it enters the basis: one pivot per breakpoint (more where the data are degenerate).
// Each piece carries its certificate: the dual point of its vertex checked at both ends of its τ
// interval (it is linear in τ, so both ends suffice) and the duality gap.
import { quantile as fitQuantile } from '../fit/api.js';
import { RobustRegError, describe } from '../errors.js';
import type { XInput } from '../data/input.js';
import { checkOptionsObject, fail, optBackend, optBool, type BackendChoice } from '../data/options.js';
import { readDesign } from './design.js';
import {
  basisInverse, dedupeRows, greedyBasis, makeVertex, optimize, zeroTolerances,
  type OptimizeStats, type QrProblem, type Vertex,
} from './vertex.js';

export interface QuantileProcessOptions {
  /** Fit an intercept (default true). */
  intercept?: boolean;
  /** Observation weights wᵢ ≥ 0 (objective Σ wᵢ ρ_τ(rᵢ), as quantreg's rq(weights = w)). */
  weights?: ArrayLike<number>;
  /** The τ range [lo, hi] to trace, 0 ≤ lo < hi ≤ 1 (default [0, 1]: the whole process). */
  taus?: readonly [number, number];
  /** Backend of the one ordinary fit that starts the walk (default 'auto'). */
  backend?: BackendChoice;
}

export interface ProcessCertificate {
  /** max over both ends of the piece of the dual scores' violation of [τ − 1, τ] (per unit weight), and of ‖X'ψ̃‖∞ relative to Σ wᵢ‖xᵢ‖∞. */
  dualInfeasibility: number;
  /** |primal − dual| objective at the piece's upper end, relative to max(1, primal). */
  gap: number;
}

export interface ProcessPiece {
  /** The solution is optimal for every τ in [tauFrom, tauTo]. */
  tauFrom: number;
  tauTo: number;
  intercept: number;
  coef: Float64Array;
  /** Σ wᵢ ρ_τ(rᵢ) at τ = tauFrom. */
  objective: number;
  certificate: ProcessCertificate;
}

export interface QuantileProcess {
  /** The τ where the solution changes, increasing, inside (lo, hi). */
  breakpoints: Float64Array;
  /** pieces[j] holds on [breakpoints[j − 1], breakpoints[j]] (lo and hi at the ends). */
  pieces: ProcessPiece[];
  /** Rows used (positive weight), before merging identical rows. */
  n: number;
  /** Coefficients including the intercept. */
  p: number;
  intercept: boolean;
  taus: [number, number];
  /** Simplex pivots made (including those of the first fit's certification). */
  pivots: number;
  /** Largest certificate over the pieces (dual infeasibility, gap). */
  certified: ProcessCertificate;
}

const KEYS = ['intercept', 'weights', 'taus', 'backend'];

/** The solution for τ: the piece whose interval contains it (at a breakpoint, the piece to its right). */
export function processAt(proc: QuantileProcess, tau: number): ProcessPiece {
  if (typeof tau !== 'number' || !(tau >= proc.taus[0] && tau <= proc.taus[1])) {
    throw new RobustRegError('INVALID_INPUT', `processAt: tau must be a number in the traced range [${proc.taus[0]}, ${proc.taus[1]}], received ${describe(tau)}`, { argument: 'tau', value: tau });
  }
  let lo = 0;
  let hi = proc.pieces.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (proc.pieces[mid].tauFrom <= tau) lo = mid;
    else hi = mid - 1;
  }
  return proc.pieces[lo];
}

/**
 * Every breakpoint of the quantile-regression solution in τ over `taus` (default the whole (0, 1)) and
 * the solution on each interval, by parametric simplex from one solution to the next, each piece with
 * its optimality certificate. Synchronous; needs `await init()` for the WebAssembly start fit (or
 * backend: 'js').
 */
export function quantileProcess(X: XInput, y: ArrayLike<number>, options?: QuantileProcessOptions): QuantileProcess {
  const o = checkOptionsObject(options, KEYS, 'quantileProcess');
  const intercept = optBool(o, 'intercept', true);
  const backend = optBackend(o);
  let lo = 0;
  let hi = 1;
  if (o.taus !== undefined) {
    const t = o.taus as unknown;
    if (!Array.isArray(t) || t.length !== 2 || typeof t[0] !== 'number' || typeof t[1] !== 'number' || Number.isNaN(t[0]) || Number.isNaN(t[1])) {
      fail('taus', 'a range [lo, hi] of two numbers with 0 ≤ lo < hi ≤ 1', t);
    }
    [lo, hi] = t as [number, number];
    if (!(lo >= 0 && hi <= 1 && lo < hi)) fail('taus', 'a range [lo, hi] inside [0, 1] with lo < hi', t);
  }
  const d = readDesign('quantileProcess', X, y, o.weights, intercept);
  const { n: nUsed, k } = d;
  // The design with its intercept column, rows with positive weight; identical rows merged.
  const cols: Float64Array[] = [];
  if (intercept) cols.push(new Float64Array(nUsed).fill(1));
  for (let j = 0; j < d.p; j++) cols.push(d.X.subarray(j * nUsed, (j + 1) * nUsed));
  const { rows, w } = dedupeRows(nUsed, [...cols, d.y], d.w);
  const n = rows.length;
  const Z = new Float64Array(n * k);
  for (let j = 0; j < k; j++) for (let r = 0; r < n; r++) Z[j * n + r] = cols[j][rows[r]];
  const yTrue = Float64Array.from(rows, (i) => d.y[i]);
  // The simplex runs on y perturbed by ~1e-11 of its scale, in a direction fixed by each row's
  // content (not its position): ties and rows exactly on a fit (integer data) then no longer make
  // vertices degenerate, so the walk cannot cycle. The breakpoints depend only on X, w and the signs
  // of the residuals, which the perturbation does not change where they are not zero; the
  // coefficients reported are those of the unperturbed y on each basis (see closeSeg).
  let yScale = 0;
  for (let i = 0; i < n; i++) yScale = Math.max(yScale, Math.abs(yTrue[i]));
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let hsh = yTrue[i] * 12.9898;
    for (let j = 0; j < k; j++) hsh += Z[j * n + i] * (78.233 + 17.17 * j);
    const u = (Math.abs(Math.sin(hsh) * 43758.5453) % 1) * 2 - 1;
    v[i] = yTrue[i] + 1e-11 * (yScale || 1) * u;
  }
  const stats: OptimizeStats = { pivots: 0 };
  const what = 'quantileProcess';

  const all = Int32Array.from({ length: n }, (_, i) => i);
  if (!greedyBasis({ n, q: k, Z, v, w, tau: 0.5 }, all)) {
    throw new RobustRegError('RANK_DEFICIENT', `quantileProcess: the design${intercept ? ' (with its intercept column)' : ''} does not have full column rank ${k}: the solution is not determined at any tau`, { argument: 'X', parameters: k });
  }
  // Start at the middle of the range from an ordinary fit, certified (and made a vertex) by the simplex.
  const tau0 = (Math.max(lo, 1e-6) + Math.min(hi, 1 - 1e-6)) / 2;
  const start = fitQuantile(X, y, { tau: tau0, intercept, backend, ...(o.weights !== undefined ? { weights: o.weights as ArrayLike<number> } : {}) });
  const r0 = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = yTrue[i] - (intercept ? start.intercept : 0);
    for (let j = 0; j < d.p; j++) s -= cols[j + (intercept ? 1 : 0)][rows[i]] * start.coef[j];
    r0[i] = s;
  }
  const order = Array.from(all).sort((a, b) => Math.abs(r0[a]) - Math.abs(r0[b]) || a - b);
  const P: QrProblem = { n, q: k, Z, v, w, tau: tau0 };
  const h0 = greedyBasis(P, order)!;
  // optimal at tau0, then made optimal for the perturbed problem too (degenerate data), so that both
  // walks and the middle piece start from the same vertex
  const count0 = { pivots: 0 };
  const V0 = repair(P, optimize(P, makeVertex(P, h0, basisInverse(P, h0)!), stats, what), tau0, new Int8Array(n), new Float64Array(n), count0, 200 * n + 1000).V;
  stats.pivots += count0.pivots;

  const wx = sumAbsRows(P);
  // Each walk certifies its segments as it closes them (vertices are not kept: O(n) each).
  const up = walk(P, V0, tau0, hi, 1, stats, wx, yTrue);
  const down = walk(P, V0, tau0, lo, -1, stats, wx, yTrue);
  // down runs from tau0 towards lo: reverse it; its first segment and up's first are V0's.
  const segs: Seg[] = [];
  for (let s = down.length - 1; s >= 1; s--) segs.push(down[s]);
  const v0lo = down[0].to;
  const v0hi = up[0].to;
  segs.push(closeSeg(P, V0, v0lo, v0hi, wx, yTrue));
  for (let s = 1; s < up.length; s++) segs.push(up[s]);
  const kept = segs.filter((s, i) => s.to > s.from || (segs.length === 1 && i === 0));

  // Merge neighbours with the same solution (a pivot that left β unchanged: degenerate data).
  const pieces: ProcessPiece[] = [];
  let worst = { dualInfeasibility: 0, gap: 0 };
  for (const s of kept) {
    const coefAll = s.gamma;
    const last = pieces[pieces.length - 1];
    const cert = s.cert;
    worst = { dualInfeasibility: Math.max(worst.dualInfeasibility, cert.dualInfeasibility), gap: Math.max(worst.gap, cert.gap) };
    if (last && sameSolution(last, coefAll, intercept)) {
      last.tauTo = s.to;
      last.certificate = {
        dualInfeasibility: Math.max(last.certificate.dualInfeasibility, cert.dualInfeasibility),
        gap: Math.max(last.certificate.gap, cert.gap),
      };
      continue;
    }
    pieces.push({
      tauFrom: s.from, tauTo: s.to,
      intercept: intercept ? coefAll[0] : 0,
      coef: Float64Array.from(intercept ? coefAll.subarray(1) : coefAll),
      objective: s.objective,
      certificate: cert,
    });
  }
  const breakpoints = Float64Array.from(pieces.slice(1).map((pc) => pc.tauFrom));
  return { breakpoints, pieces, n: nUsed, p: k, intercept, taus: [lo, hi], pivots: stats.pivots, certified: worst };
}

interface Seg {
  gamma: Float64Array;
  /** from ≤ to (walks downwards store them ordered too). */
  from: number;
  to: number;
  cert: ProcessCertificate;
  /** Objective at `from`. */
  objective: number;
}

/** The walk's signs and dual line of V (exactly what certify() would recompute), to spare it two passes. */
interface DualOfV {
  sgn: Int8Array;
  a: Float64Array;
  b: Float64Array;
}

function closeSeg(P: QrProblem, V: Vertex, a: number, b: number, wx: number, yTrue: Float64Array, dual?: DualOfV): Seg {
  const from = Math.min(a, b);
  const to = Math.max(a, b);
  if (!(to > from)) return { gamma: Float64Array.from(V.gamma), from, to, cert: { dualInfeasibility: 0, gap: 0 }, objective: NaN };
  // The same basis on the unperturbed y: the reported solution, objective and gap.
  const Pt: QrProblem = { ...P, v: yTrue };
  const Vt = makeVertex(Pt, V.h, V.B);
  return { gamma: Float64Array.from(Vt.gamma), from, to, cert: certify(P, V, Pt, Vt, from, to, wx, dual), objective: objectiveAt(Pt, Vt, from) };
}

/**
 * Signs of the nonbasic residuals, exact zeros included: a residual that is zero (a degenerate vertex,
 * e.g. integer data with more than p rows on the fit) takes the sign it would have if every yᵢ were
 * perturbed by ε^(i+1), ε → 0: the sign of the lowest-index term of rᵢ = εⁱ⁺¹ − Σ_k u_ik ε^(h_k+1).
 * The perturbed problem is not degenerate, so its path is well defined; the solutions of the
 * unperturbed problem are its limits (some breakpoints then coincide: pivots that leave β unchanged).
 */
function residualSigns(P: QrProblem, V: Vertex, sgn: Int8Array): Float64Array {
  const { n, q, Z } = P;
  const zt = zeroTolerances(P, V.gamma);
  for (let i = 0; i < n; i++) {
    if (V.inBasis[i]) { sgn[i] = 0; continue; }
    const r = V.r[i];
    if (Math.abs(r) > zt[i]) { sgn[i] = r < 0 ? -1 : 1; continue; }
    let best = i;
    let s = 1;
    for (let kk = 0; kk < q; kk++) {
      const j = V.h[kk];
      if (j >= best) continue;
      let u = 0;
      for (let c = 0; c < q; c++) u += Z[c * n + i] * V.B[c * q + kk];
      if (Math.abs(u) > 1e-12) { best = j; s = u > 0 ? -1 : 1; }
    }
    sgn[i] = s;
  }
  return zt;
}

/** a and b of ψ̃_h(τ) = a − τ b for the basic rows of V (nonbasic signs from `sgn`). */
function dualLine(P: QrProblem, V: Vertex, sgn: Int8Array): { a: Float64Array; b: Float64Array } {
  const { n, q, Z, w } = P;
  const sAll = new Float64Array(q);
  const sNeg = new Float64Array(q);
  for (let i = 0; i < n; i++) {
    if (V.inBasis[i]) continue;
    const neg = sgn[i] < 0;
    for (let c = 0; c < q; c++) {
      const x = w[i] * Z[c * n + i];
      sAll[c] += x;
      if (neg) sNeg[c] += x;
    }
  }
  const a = new Float64Array(q);
  const b = new Float64Array(q);
  for (let kk = 0; kk < q; kk++) {
    let sa = 0;
    let sb = 0;
    for (let c = 0; c < q; c++) {
      sa += V.B[c * q + kk] * sNeg[c];
      sb += V.B[c * q + kk] * sAll[c];
    }
    a[kk] = sa;
    b[kk] = sb;
  }
  return { a, b };
}

/**
 * Move basic row k's residual off zero (σ = +1 up, −1 down) along its edge to the minimum of the
 * objective: the slope starts at slope0 (≤ 0) and grows by wᵢ|uᵢ| at each kink; the row whose kink
 * makes it non-negative enters the basis. Zero residuals on the wrong side (by their perturbed sign)
 * have their kink at t = 0⁺.
 */
function pivotEdge(P: QrProblem, V: Vertex, sgn: Int8Array, zt: Float64Array, k: number, sigma: number, slope0: number, u: Float64Array): Vertex {
  const { n, q, Z, w } = P;
  u.fill(0);
  for (let c = 0; c < q; c++) {
    const bck = V.B[c * q + k];
    if (bck === 0) continue;
    const o = c * n;
    for (let i = 0; i < n; i++) u[i] += Z[o + i] * bck;
  }
  if (slope0 === 0) {
    // At a breakpoint the slope starts at 0⁻: the first kink (lowest index among ties) enters.
    let enter = -1;
    let tMin = Infinity;
    for (let i = 0; i < n; i++) {
      if (V.inBasis[i]) continue;
      const su = sigma * u[i];
      if (su === 0) continue;
      let t: number;
      if (Math.abs(V.r[i]) <= zt[i]) {
        if (!(sgn[i] * su < 0)) continue;
        t = 0;
      } else {
        t = -V.r[i] / su;
        if (!(t > 0)) continue;
      }
      if (t < tMin) { tMin = t; enter = i; }
    }
    return enterRow(P, V, k, enter);
  }
  const kt: number[] = [];
  const ki: number[] = [];
  for (let i = 0; i < n; i++) {
    if (V.inBasis[i]) continue;
    const su = sigma * u[i];
    if (su === 0) continue;
    if (Math.abs(V.r[i]) <= zt[i]) {
      if (sgn[i] * su < 0) { kt.push(0); ki.push(i); }
      continue;
    }
    const t = -V.r[i] / su;
    if (t > 0) { kt.push(t); ki.push(i); }
  }
  const idx = kt.map((_, j) => j).sort((x, y) => kt[x] - kt[y] || ki[x] - ki[y]);
  let slope = slope0;
  let enter = -1;
  for (const j of idx) {
    slope += w[ki[j]] * Math.abs(u[ki[j]]);
    if (slope >= 0) { enter = ki[j]; break; }
  }
  return enterRow(P, V, k, enter);
}

function enterRow(P: QrProblem, V: Vertex, k: number, enter: number): Vertex {
  if (enter < 0) {
    throw new RobustRegError('RANK_DEFICIENT', 'quantileProcess: an edge of the solution path is unbounded (the design does not have full column rank)', {});
  }
  const h2 = Int32Array.from(V.h);
  h2[k] = enter;
  const B2 = basisInverse(P, h2);
  if (!B2) throw new RobustRegError('NUMERICAL', 'quantileProcess: a pivot produced a singular basis', { row: enter });
  return makeVertex(P, h2, B2);
}

/** Pivot until the (perturbed) dual scores of V are feasible at τ; returns the optimal vertex. */
interface Repaired {
  V: Vertex;
  a: Float64Array;
  b: Float64Array;
  zt: Float64Array;
}

function repair(P: QrProblem, V: Vertex, tau: number, sgn: Int8Array, u: Float64Array, count: { pivots: number }, budget: number): Repaired {
  const { q, w } = P;
  for (let local = 0; ; local++) {
    // Most violated first; after a few pivots, Bland's rule (lowest row index) so that degenerate
    // pivots (zero steps on tied data) cannot cycle.
    const bland = local > q + 2;
    const zt = residualSigns(P, V, sgn);
    const { a, b } = dualLine(P, V, sgn);
    let worst = 0;
    let bk = -1;
    let bs = 0;
    let slope0 = 0;
    for (let kk = 0; kk < q; kk++) {
      const wk = w[V.h[kk]];
      const psi = a[kk] - tau * b[kk];
      // ψ̃ = a − τb cancels: with sums over n rows a and τb are O(n) while ψ̃ is O(w); rounding of that
      // size is not a violation (pivoting on it would undo the walk's last step, and cycle).
      const noise = (1e-11 * wk + 64 * Number.EPSILON * (Math.abs(a[kk]) + Math.abs(tau * b[kk]))) / wk;
      const over = (psi - wk * tau) / wk - noise;
      const under = (wk * (tau - 1) - psi) / wk - noise;
      if (bland) {
        if ((over > 0 || under > 0) && (bk < 0 || V.h[kk] < V.h[bk])) {
          bk = kk;
          bs = over > 0 ? 1 : -1;
          slope0 = over > 0 ? wk * tau - psi : psi - wk * (tau - 1);
        }
        continue;
      }
      if (over > worst) { worst = over; bk = kk; bs = 1; slope0 = wk * tau - psi; }
      if (under > worst) { worst = under; bk = kk; bs = -1; slope0 = psi - wk * (tau - 1); }
    }
    if (bk < 0) return { V, a, b, zt };
    if (++count.pivots > budget) {
      throw new RobustRegError('NUMERICAL', `quantileProcess: more than ${budget} pivots (a degenerate problem cycling)`, { pivots: count.pivots });
    }
    V = pivotEdge(P, V, sgn, zt, bk, bs, slope0, u);
  }
}

/**
 * Walk from tau0 in direction dir to `limit`, returning the segments in walking order; the first is
 * V0's (its `to` is where V0 stops being optimal, or the limit). V0 must be optimal at tau0.
 */
function walk(P: QrProblem, V0: Vertex, tau0: number, limit: number, dir: 1 | -1, stats: OptimizeStats, wx: number, yTrue: Float64Array): Seg[] {
  const { n, q, w } = P;
  const segs: Seg[] = [];
  let V = V0;
  let from = tau0;
  let entered = -1;
  let sameTau = 0;
  /** Start of the current vertex's segment (differs from `from` only after a step past a tie). */
  let segFrom = tau0;
  let skipRepair = false;
  let ties = 0;
  const budget = 200 * n + 1000;
  const count = { pivots: 0 };
  const u = new Float64Array(n);
  const sgn = new Int8Array(n);
  for (;;) {
    // (a vertex entered at a breakpoint is optimal there; degenerate data may need more pivots)
    const rep = skipRepair ? { V, ...dualLine(P, V, sgn), zt: residualSigns(P, V, sgn) } : repair(P, V, from, sgn, u, count, budget);
    if (skipRepair) Object.assign(rep, dualLine(P, V, sgn));
    skipRepair = false;
    V = rep.V;
    const { a, b, zt } = rep;
    // Nearest τ beyond `from` (in direction dir) where a basic score meets a bound.
    let best = dir * Infinity;
    let bk = -1;
    let bs = 0;
    for (let kk = 0; kk < q; kk++) {
      const wk = w[V.h[kk]];
      const rate = wk + b[kk];
      if (rate === 0) continue;
      // upper bound ψ̃ = τ w_k at τ = a/rate; lower bound ψ̃ = (τ − 1) w_k at τ = (a + w)/rate;
      // the gap to the upper bound shrinks going up when rate < 0, going down when rate > 0
      const tUp = a[kk] / rate;
      const tLo = (a[kk] + wk) / rate;
      // The row that entered at `from` is interior just beyond it (in exact arithmetic): a bound it
      // meets at `from` itself is rounding, and pivoting it straight out again could cycle.
      const fresh = V.h[kk] === entered;
      const tol = 1e-12 * Math.max(1, Math.abs(from));
      if (dir * rate < 0 && dir * (tUp - from) >= -tol && !(fresh && Math.abs(tUp - from) <= tol) && dir * (tUp - best) < 0) { best = tUp; bk = kk; bs = 1; }
      if (dir * rate > 0 && dir * (tLo - from) >= -tol && !(fresh && Math.abs(tLo - from) <= tol) && dir * (tLo - best) < 0) { best = tLo; bk = kk; bs = -1; }
    }
    if (bk < 0 || dir * (best - limit) >= 0) {
      segs.push(segs.length === 0 ? { gamma: V.gamma, from: tau0, to: limit, cert: { dualInfeasibility: 0, gap: 0 }, objective: NaN } : closeSeg(P, V, segFrom, limit, wx, yTrue, { sgn, a, b }));
      stats.pivots += count.pivots;
      return segs;
    }
    // (a bound met marginally behind `from` through rounding is met at `from`: a degenerate step)
    const tStar = dir * (best - from) < 0 ? from : best;
    sameTau = tStar === from ? sameTau + 1 : 0;
    if (sameTau > q + 1) {
      // Several bounds met at the same tau (ties in weighted or integer data) and the bound rule is
      // going round: re-optimise just past the tie instead (the vertex optimal on (from, next] is
      // optimal at `from` too, by continuity) and walk on from there.
      if (++ties > 20) {
        throw new RobustRegError('NUMERICAL', `quantileProcess: no progress past tau = ${from} (a degenerate problem cycling)`, { tau: from });
      }
      const delta = 1e-8 * Math.max(1, Math.abs(from));
      V = repair(P, V, from + dir * delta, sgn, u, count, budget).V;
      from += dir * delta;
      skipRepair = true;
      sameTau = 0;
      entered = -1;
      continue;
    }
    // (the first segment is V0's: the caller certifies it over both walks' ends)
    segs.push(segs.length === 0 ? { gamma: V.gamma, from: tau0, to: tStar, cert: { dualInfeasibility: 0, gap: 0 }, objective: NaN } : closeSeg(P, V, segFrom, tStar, wx, yTrue, { sgn, a, b }));
    from = tStar;
    segFrom = tStar;
    if (++count.pivots > budget) {
      throw new RobustRegError('NUMERICAL', `quantileProcess: more than ${budget} pivots (a degenerate problem cycling)`, { pivots: count.pivots });
    }
    V = pivotEdge(P, V, sgn, zt, bk, bs, 0, u);
    entered = V.h[bk];
  }
}

function sumAbsRows(P: QrProblem): number {
  let s = 0;
  for (let i = 0; i < P.n; i++) {
    let m = 0;
    for (let c = 0; c < P.q; c++) m = Math.max(m, Math.abs(P.Z[c * P.n + i]));
    s += P.w[i] * m;
  }
  return s;
}

function objectiveAt(P: QrProblem, V: Vertex, tau: number): number {
  let s = 0;
  for (let i = 0; i < P.n; i++) {
    const r = V.r[i];
    s += P.w[i] * r * (r < 0 ? tau - 1 : tau);
  }
  return s;
}

/** The dual point of V at both ends of [from, to]: feasibility, X'ψ̃ = 0, and the gap at `to`. */
function certify(P: QrProblem, V: Vertex, Pt: QrProblem, Vt: Vertex, from: number, to: number, wx: number, dual?: DualOfV): ProcessCertificate {
  const { n, q, Z, w } = P;
  const v = Pt.v;
  let sgn: Int8Array, a: Float64Array, b: Float64Array;
  if (dual) {
    ({ sgn, a, b } = dual);
  } else {
    sgn = new Int8Array(n);
    residualSigns(P, V, sgn);
    ({ a, b } = dualLine(P, V, sgn));
  }
  let infeas = 0;
  const psi = new Float64Array(n);
  let gap = 0;
  // ψ̃ is linear in τ on the interval: feasibility at both ends covers it.
  for (const tau of [from, to]) {
    for (let i = 0; i < n; i++) {
      if (V.inBasis[i]) continue;
      psi[i] = w[i] * (sgn[i] < 0 ? tau - 1 : tau);
    }
    for (let kk = 0; kk < q; kk++) {
      const i = V.h[kk];
      const s = a[kk] - tau * b[kk];
      psi[i] = s;
      infeas = Math.max(infeas, (w[i] * (tau - 1) - s) / w[i], (s - w[i] * tau) / w[i]);
    }
    for (let c = 0; c < q; c++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += Z[c * n + i] * psi[i];
      infeas = Math.max(infeas, Math.abs(s) / Math.max(wx, Number.MIN_VALUE));
    }
    if (tau === to) {
      let dual = 0;
      for (let i = 0; i < n; i++) dual += psi[i] * v[i];
      const primal = objectiveAt(Pt, Vt, tau);
      gap = Math.abs(primal - dual) / Math.max(1, Math.abs(primal));
    }
  }
  return { dualInfeasibility: Math.max(0, infeas), gap };
}

function sameSolution(last: ProcessPiece, coefAll: Float64Array, intercept: boolean): boolean {
  const vals = intercept ? [last.intercept, ...last.coef] : [...last.coef];
  for (let j = 0; j < vals.length; j++) {
    const x = coefAll[j];
    if (Math.abs(x - vals[j]) > 1e-12 * Math.max(1, Math.abs(x))) return false;
  }
  return true;
}
