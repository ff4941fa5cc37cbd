// summary(result, dataset) for an l1/quantile fit with se 'nid', without copying the data (issue 18:
// nid at 1e6 × 10 within twice the fit's own time). The array path copies X three times (toArrays,
// the design, the refits' marshaling) and forms two n × k matrices for Householder QR in JavaScript;
// here:
// - the two refits at τ ± h run on the Dataset itself, warm-started from the fit's coefficients (not
//   its basis), without the kernel's rank check when a fit on this Dataset has passed it;
// - a kernel pass over the stored columns (assembly/nid.ts nid_rows) gives the fit's residuals (for
//   the intercept's optimality guard) and the data's maxima: both refits' first pass (l1_fit's
//   pStartR), made once;
// - after the refits, one more (nid_gram) gives the fitted differences x_i'(β_hi − β_lo) → the
//   densities f_i (exactly as nidCovariance), the weights ω_m = μw², ω_b = μ f w² and the Gram
//   matrices of the shifted design with both: meat and bread when the bread is well conditioned;
// - otherwise two passes of the moments kernel (GramAccumulator.add on views of the same X and y with
//   the weights ω_m and ω_b) give triangular factors of the centred co-moments, formed by
//   orthogonal updates (the accuracy of a QR of the centred design, not of a Gram matrix). Centred
//   at the w²-weighted means m: the meat is M = G'G, G = [[√W, 0], [0, R_m]], the bread
//   B = Σ f w² [1, x − m][1, x − m]' = F'F with F = [[√W_f, √W_f d'], [0, R_f]], d = m_f − m; so
//   V_c = τ(1−τ) B⁻¹MB⁻¹ = τ(1−τ) ZᵀZ with Z = G F⁻¹F⁻ᵀ, and V = T V_c Tᵀ back from centred
//   coordinates (uncentre).
// Anything out of the ordinary (unknown options, an unconverged fit, a Dataset in another backend)
// returns null and summary() takes the array path, which words the errors. Once the refits are done
// they are never redone: a bread this path cannot factor hands them to the array path ({ refits }),
// and one that is singular for certain (fewer rows of positive density than coefficients — on
// discrete data the fits at τ ± h often coincide, every density estimate is then 0) throws the array
// path's typed error here (issue 18: intx 1e6 × 10 at τ 0.5 refitted twice before failing, 23 s).
import { knownFullRank, solveL1 } from '../fit/solvers.js';
import { GramAccumulator } from '../fit/accumulator.js';
import { collapseRows } from '../fit/collapse.js';
import { Dataset } from '../data/dataset.js';
import { checkCoefLike, uncentre, type InferenceData } from './design.js';
import { invUpper } from '../linalg/dense.js';
import { nidDensityError, usableBandwidth, type Bandwidth, type CoefFit } from './quantile.js';
import { gramInverse, sandwich3, symmetrize } from './dataset.js';
import { STATUS_OK } from '../abi/status.js';
import { RobustRegError } from '../errors.js';

/** Largest 1-norm condition number of the column-scaled bread for the Gram path of nidCore. */
const NID_GRAM_COND = 1e3;
const OK_KEYS = new Set(['level', 'intercept', 'names', 'se', 'bandwidth', 'backend']);

export interface NidDataset {
  tau: number;
  h: number;
  rule: Bandwidth;
  coefAll: Float64Array;
  V: Float64Array;
  intercept: boolean;
  k: number;
  warnings: string[];
}

/** The refits at tau ± h, for the array path when this one cannot factor the bread. */
export interface NidRefits {
  tau: number;
  h: number;
  hi: CoefFit;
  lo: CoefFit;
}

/**
 * The nid summary's covariance on a Dataset; or null to take the general (array) path; or the refits
 * for the array path to use instead of refitting.
 */
export function nidOfDataset(res: Record<string, unknown>, ds: Dataset, o: Record<string, unknown>, minN: number): NidDataset | { refits: NidRefits } | null {
  for (const key of Object.keys(o)) if (o[key] !== undefined && !OK_KEYS.has(key)) return null;
  const loss = res.loss;
  if (loss !== 'l1' && loss !== 'quantile') return null;
  const se = o.se ?? (ds.nPos <= minN ? 'rank' : 'nid');
  if (se !== 'nid') return null;
  const rule = (o.bandwidth ?? 'hall-sheather') as Bandwidth;
  if (rule !== 'hall-sheather' && rule !== 'bofinger') return null;
  if (o.intercept !== undefined && typeof o.intercept !== 'boolean') return null;
  const level = o.level ?? 0.95;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) return null;
  const intercept = o.intercept !== false;
  const backend = ds.slot.backend.name;
  if (o.backend !== undefined && o.backend !== 'auto' && o.backend !== backend) return null;
  if (res.converged !== true || res.n !== ds.rows) return null;
  const tau = loss === 'l1' ? 0.5 : res.tau;
  if (typeof tau !== 'number' || !(tau > 0 && tau < 1)) return null;
  const { n, p } = { n: ds.rows, p: ds.cols };
  let coef: Float64Array, b0: number;
  try {
    ({ coef, intercept: b0 } = checkCoefLike(res, p));
  } catch {
    return null;
  }
  if (!intercept) return null; // the co-moment factors below are about the means: the array path
  const k = p + (intercept ? 1 : 0);
  const nPos = ds.nPos;
  if (nPos <= k) return null;

  const slot = ds.slot;
  // Duplicated rows (unweighted data): work on the distinct rows with their multiplicities, as the
  // fits do (src/fit/collapse.ts) — the refits then solve the same collapsed problems the direct
  // calls would, and every sum below is a multiplicity-weighted sum over distinct rows.
  const col = ds.pW ? null : collapseRows(slot, 'summary', n, p, ds.pX, ds.pY, 0, ds.xf32, true);
  try {
    const dv = col ? new Dataset(slot, col.m, p, col.pX, col.pY, col.pW, col.m, -1, 'f64') : ds;
    return nidCore(ds, dv, col !== null, tau, rule, coef, b0, intercept, k);
  } finally {
    if (col) for (const b of col.blocks) slot.arena.freeBlock(b);
  }
}

/**
 * The computation on dv: the Dataset itself (collapsed = false: weights w = its weights, multiplicity
 * 1) or its distinct rows (collapsed = true: w = 1, multiplicity = dv's weights).
 */
function nidCore(ds: Dataset, dv: Dataset, collapsed: boolean, tau: number, rule: Bandwidth, coef: Float64Array, b0: number,
  intercept: boolean, k: number): NidDataset | { refits: NidRefits } | null {
  const n = dv.rows, p = dv.cols;
  const slot = ds.slot;
  // the residual pass's output (n, then the data's p + 1 maxima) and coefficients (p), one block
  const [pOut, pA] = slot.arena.allocMany([8 * (n + p + 1), 8 * Math.max(p, 1)], 'summary (nid linear pass)', true);
  try {
    return nidWith(ds, dv, collapsed, tau, rule, coef, b0, intercept, k, pOut, pA);
  } finally {
    slot.arena.freeBlock(pOut);
  }
}

function nidWith(ds: Dataset, dv: Dataset, collapsed: boolean, tau: number, rule: Bandwidth, coef: Float64Array, b0: number,
  intercept: boolean, k: number, pOut: number, pA: number): NidDataset | { refits: NidRefits } | null {
  const n = dv.rows, p = dv.cols;
  const slot = ds.slot;
  const y0 = dv.pY >>> 3, w0 = dv.pW ? dv.pW >>> 3 : -1;
  // one pass (nid_rows, a = −b): the fit's residuals (bit for bit the L1 kernel's) into pOut and the
  // data's maxima after them → the intercept's optimality guard (as checkQuantileIntercept), and both
  // refits' first pass (l1_fit's pStartR); the weights: wv the observation weights (null: all 1), mv
  // the multiplicities (null: all 1)
  slot.backend.f64().set(Float64Array.from(coef, (b) => -b), pA >>> 3);
  slot.backend.kernels.nid_rows(n, p, dv.pX, dv.pY, b0, pA, pOut, dv.xf32, pOut + 8 * n);
  const f64 = slot.backend.f64();
  const r = f64.subarray(pOut >>> 3, (pOut >>> 3) + n);
  const wv = w0 >= 0 && !collapsed ? f64.subarray(w0, w0 + n) : null;
  const mv = collapsed ? f64.subarray(w0, w0 + n) : null;
  const yv = f64.subarray(y0, y0 + n);
  if (intercept && !interceptOptimal(r, yv, wv, mv, tau)) return null; // the array path words the error

  // the refits at tau ± h, from the fit (on the distinct rows when collapsed: the problem a direct
  // call on the Dataset solves too)
  const h = usableBandwidth(tau, ds.nPos, rule);
  // A fit on this Dataset has passed the kernel's rank check already (the distinct rows span the same
  // space): the refits skip it and its least-squares start (~15% of a refit at 1e6 × 10).
  // Both start from the residuals of that pass (pOut: not written again until the refits are done), and
  // skip the duplicate-row check the collapse above made (unweighted data; weighted data keep theirs).
  const start = { coef, intercept: b0 };
  const known = knownFullRank(ds, intercept);
  const refit = { distinct: !ds.pW, startResiduals: pOut };
  // tied data: a side whose optimum the fit's face decides is solved on that face (faceRefits)
  const face = faceRefits(dv, r, wv, mv, f64.subarray((pOut >>> 3) + n, (pOut >>> 3) + n + p + 1), tau, h, coef, b0);
  const hi = face[0] ?? solveL1('quantile', dv, undefined, { start, intercept }, tau + h, 'quantile', known, refit);
  const lo = face[1] ?? solveL1('quantile', dv, undefined, { start, intercept }, tau - h, 'quantile', known, refit);
  const toArrays = { refits: { tau, h, hi, lo } };

  // One kernel pass (nid_gram): the fitted differences dy, the densities (as nidCovariance), the
  // weights ω_m = μ·w², ω_b = μ·f·w² (into pWm, pWb) and the Gram matrices of the shifted design with
  // both weights — bit for bit what a nid_rows pass, densityWeights and two hc_pass calls gave.
  const db = Float64Array.from(hi.coef, (b, j) => b - lo.coef[j]);
  const db0 = intercept ? hi.intercept - lo.intercept : 0;
  // The fits coincide (discrete data: the solution is piecewise constant in tau): every dy is 0, so
  // every density — the error the pass below would end in, without the pass
  if (db0 === 0 && db.every((v) => v === 0)) throw nidDensityError(0, ds.nPos, tau, h, k);
  const kern = slot.backend.kernels;
  const outLen = 2 * k * k + p + 5;
  const [pWm, pWb, pG, pGw] = slot.arena.allocMany([8 * n, 8 * n, 8 * outLen, kern.nid_gram_work_bytes(n, p)], 'summary (nid weights)', true);
  try {
    slot.backend.f64().set(db, pA >>> 3);
    const st = kern.nid_gram(n, p, dv.pX, w0 >= 0 && !collapsed ? dv.pW : 0, collapsed ? dv.pW : 0, -db0, pA, h, pWm, pWb, pG, pGw, dv.xf32);
    const g = slot.backend.f64().slice(pG >>> 3, (pG >>> 3) + outLen);
    const [nonPositive, zeroed, posM, posB, posObs] = g.subarray(2 * k * k + p);
    // Fewer rows of positive density than coefficients: X'FX is singular, as the array path finds
    if (posB < k) throw nidDensityError(posObs, ds.nPos, tau, h, k);
    if (posB === k) return toArrays; // singular or not: the array path's QR decides
    const warnings: string[] = [];
    if (zeroed > 0) {
      const obs = (x: number) => `${x} observation${x === 1 ? '' : 's'}`;
      const parts = [nonPositive > 0 ? `cross at ${obs(nonPositive)}` : '', zeroed > nonPositive ? `coincide (to √ε) at ${obs(zeroed - nonPositive)}` : ''].filter(Boolean);
      warnings.push(`nid: density estimate set to 0 at ${obs(zeroed)}: the fits at tau ± h ${parts.join(' and ')}` +
        (nonPositive > 0 ? ` (quantreg: "${nonPositive} non-positive fis")` : ''));
    }
    const coefAll = new Float64Array(k);
    coefAll[0] = b0;
    coefAll.set(coef, 1);
    const s2 = tau * (1 - tau);
    // Well-conditioned bread (the usual case): meat and bread as Gram matrices of the shifted design,
    // one hc-kernel pass each (a third of the moments kernel's time). The Gram matrix squares the
    // condition number, so only when the column-scaled bread has cond₁ ≤ NID_GRAM_COND (relative
    // errors ≲ 1e-13 against the orthogonal path below); otherwise the co-moment factors.
    const inv = st === STATUS_OK ? gramInverse(symmetrize(g.slice(k * k, 2 * k * k), k), k, NID_GRAM_COND) : null;
    if (inv) {
      const Vs = sandwich3(inv.Gi, symmetrize(g.slice(0, k * k), k), k);
      for (let t = 0; t < k * k; t++) Vs[t] *= s2;
      const V = uncentre(Vs, g.slice(2 * k * k, 2 * k * k + p), { k, p, intercept } as InferenceData);
      return { tau, h, rule, coefAll, V, intercept, k, warnings };
    }
    const stats = (pW: number, pos: number) => {
      const acc = new GramAccumulator(p, { backend: slot.backend.name });
      acc.add(new Dataset(slot, n, p, dv.pX, dv.pY, pW, pos, -1, dv.precision));
      return acc.stats;
    };
    const sm = stats(pWm, posM), sb = stats(pWb, posB);
    const q = p + 1;
    if (!intercept) {
      // without an intercept the co-moments about the means would need the means added back as one
      // more orthogonal row (a QR update): the array path does it.
      return toArrays;
    }
    const mean = sm.mean.subarray(0, p);
    // G (meat factor) and F (bread factor), k × k upper triangular, column-major
    const G = new Float64Array(k * k), F = new Float64Array(k * k);
    G[0] = Math.sqrt(sm.W);
    const sW = Math.sqrt(sb.W);
    F[0] = sW;
    for (let a = 0; a < p; a++) F[(a + 1) * k] = sW * (sb.mean[a] - mean[a]);
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) {
      G[(b + 1) * k + (a + 1)] = sm.R[a * q + b];
      F[(b + 1) * k + (a + 1)] = sb.R[a * q + b];
    }
    for (let j = 0; j < k; j++) {
      let colMax = 0;
      for (let i = 0; i <= j; i++) colMax = Math.max(colMax, Math.abs(F[j * k + i]));
      if (!(Math.abs(F[j * k + j]) > 1e-13 * colMax)) return toArrays;
    }
    const Fi = invUpper(F, k); // upper
    // B⁻¹ = Fi Fiᵀ; Z = G B⁻¹; V_c = τ(1−τ) ZᵀZ
    const Binv = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let rr = 0; rr < k; rr++) {
      let s = 0;
      for (let l = Math.max(c, rr); l < k; l++) s += Fi[l * k + rr] * Fi[l * k + c];
      Binv[c * k + rr] = s;
    }
    const Z = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let rr = 0; rr < k; rr++) {
      let s = 0;
      for (let l = rr; l < k; l++) s += G[l * k + rr] * Binv[c * k + l];
      Z[c * k + rr] = s;
    }
    const Vc = new Float64Array(k * k);
    for (let c = 0; c < k; c++) for (let rr = c; rr < k; rr++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += Z[rr * k + l] * Z[c * k + l];
      Vc[c * k + rr] = Vc[rr * k + c] = s2 * s;
    }
    const V = uncentre(Vc, Float64Array.from(mean), { k, p, intercept } as InferenceData);
    return { tau, h, rule, coefAll, V, intercept, k, warnings };
  } finally {
    slot.arena.freeBlock(pWm); // one block holds both weight vectors
  }
}

/** faceRefits runs when more rows than this many times the coefficients lie on the fit (ties). */
const FACE_MIN_ZEROS = 2;

/**
 * The refits at tau ± h on the fit's face, for tied data (integer designs: thousands of rows with a
 * zero residual at the fit b, where the full refit walks the perturbed face and re-prices on all rows,
 * even when its answer is b again). Z = the rows within 1e-9 (relative) of zero, N = the others; on N
 * the objective is linear near b, so the refit problem restricted to a neighbourhood of b is Z plus
 * one pseudo-row per side of N: weight W± = Σ w over the side, x = its w-weighted mean, y chosen so
 * that its residual at b is the side's w-weighted mean residual (the reduced objective equals the full
 * one at b, so the certificate's relative gap keeps its scale). One kernel pass (nid_face) gathers Z
 * and sums the sides. Each side is solved on that problem from b (|Z| + 2 rows; the L1 kernel's
 * certificate) — unless a necessary condition for b's optimality at that tau fails (below): then the
 * side's optimum leaves b and only its full refit can find it — and its answer b' is the full refit's
 * when no row of N can change sign between b and
 * b': |Δr_i| ≤ |Δb_0| + Σ_j max_N |x_ij| |Δb_j| < min_N |r_i| (halved, against rounding). Then every
 * residual sign is as the reduced problem assumed, the full objective near b' is the reduced one plus
 * a constant, and b' is optimal for the full problem (the same dual certifies both). A side that
 * moves farther (its optimum leaves b's face) gives undefined: the full refit. On continuous data
 * (about q zero residuals) nothing beyond counting the zeros runs. wv: weights, mv: multiplicities
 * (null: 1); maxima: nid_rows' max |y|, max |x_j|.
 */
function faceRefits(dv: Dataset, r: Float64Array, wv: Float64Array | null, mv: Float64Array | null, maxima: Float64Array,
  tau: number, h: number, coef: Float64Array, b0: number): [CoefFit | undefined, CoefFit | undefined] {
  // byte addresses of the views (they detach when the allocation below grows the memory)
  const pR = r.byteOffset, pW = wv !== null ? wv.byteOffset : 0, pM = mv !== null ? mv.byteOffset : 0;
  const none: [undefined, undefined] = [undefined, undefined];
  const n = r.length, p = dv.cols, k = p + 1;
  // a bound on |y_i| and |fitted_i|: zero means within 1e-9 of it
  let scale = maxima[0] + Math.abs(b0);
  for (let j = 0; j < p; j++) scale += maxima[1 + j] * Math.abs(coef[j]);
  const tol = 1e-9 * scale;
  let nz = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(r[i]) <= tol && (wv !== null ? wv[i] : 1) * (mv !== null ? mv[i] : 1) > 0) nz++;
  }
  // few ties: nothing to gain; most rows at zero: the face problem is the full one (and its copies would double the memory)
  if (nz <= FACE_MIN_ZEROS * k || nz > n / 2) return none;
  const m = nz + 2;
  const slot = dv.slot, kern = slot.backend.kernels;
  const outLen = 5 + 3 * p;
  let ptrs: number[];
  try {
    ptrs = slot.arena.allocMany([4 * nz, 8 * m * p, 8 * m, 8 * m, 8 * outLen], 'summary (nid face)', true);
  } catch (e) {
    if (e instanceof RobustRegError && e.code === 'OUT_OF_MEMORY') return none; // the full refits need no more than before
    throw e;
  }
  const [pZ, pXz, pYz, pWz, pO] = ptrs;
  let Xr: Float64Array, yr: Float64Array, wr: Float64Array, o: Float64Array;
  try {
    const z = kern.nid_face(n, p, dv.pX, dv.pY, pR, pW, pM, tol,
      nz, m, pZ, pXz, pYz, pWz, pO, dv.xf32);
    if (z !== nz) return none;
    const f = slot.backend.f64();
    Xr = f.slice(pXz >>> 3, (pXz >>> 3) + m * p);
    yr = f.slice(pYz >>> 3, (pYz >>> 3) + m);
    wr = f.slice(pWz >>> 3, (pWz >>> 3) + m);
    o = f.slice(pO >>> 3, (pO >>> 3) + outLen);
  } finally {
    slot.arena.freeBlock(pZ);
  }
  const minN = o[4], xMax = o.subarray(5 + 2 * p);
  // the two pseudo-rows (a side without rows: weight 0, which the kernel skips)
  for (let s = 0; s < 2; s++) {
    const row = nz + s, W = o[s];
    if (!(W > 0)) { yr[row] = 0; wr[row] = 0; continue; }
    let fit = b0;
    for (let j = 0; j < p; j++) {
      const xm = o[5 + s * p + j] / W;
      Xr[j * m + row] = xm;
      fit += xm * coef[j];
    }
    yr[row] = fit + o[2 + s] / W;
    wr[row] = W;
  }
  // A necessary condition for b to stay optimal at t, per coefficient j (column 0: the intercept):
  // its dual needs a_i ∈ [w_i (t − 1), w_i t] on Z with Σ_Z a_i x_ij = −Σ_N w_i ψ_t(r_i) x_ij, and
  // Σ_Z a_i x_ij ranges over [t T_j − P_j, t T_j − M_j] (T = Σ_Z w x, P, M: the sums of its positive,
  // negative terms), i.e. S−_j + M_j ≤ t A_j ≤ S−_j + P_j (A = Σ w x over all rows, S− over r < 0). A side
  // that fails it leaves b (its face solve would only find that out); one that passes is solved.
  const T = new Float64Array(k), P = new Float64Array(k), M = new Float64Array(k), Sm = new Float64Array(k), A = new Float64Array(k);
  for (let t = 0; t < nz; t++) T[0] += wr[t];
  P[0] = T[0];
  Sm[0] = o[1];
  A[0] = T[0] + o[0] + o[1];
  for (let j = 0; j < p; j++) {
    let tt = 0, pp = 0, mm = 0;
    for (let t = 0; t < nz; t++) {
      const v = wr[t] * Xr[j * m + t];
      tt += v;
      if (v > 0) pp += v; else mm += v;
    }
    T[j + 1] = tt;
    P[j + 1] = pp;
    M[j + 1] = mm;
    Sm[j + 1] = o[5 + p + j];
    A[j + 1] = tt + o[5 + j] + o[5 + p + j];
  }
  const mayStay = (t: number): boolean => {
    for (let j = 0; j < k; j++) {
      const v = t * A[j], lo = Sm[j] + M[j], hi = Sm[j] + P[j];
      const slack = 1e-9 * (Math.abs(v) + Math.abs(Sm[j]) + P[j] - M[j]);
      if (v < lo - slack || v > hi + slack) return false;
    }
    return true;
  };
  const X = { data: Xr, rows: m, cols: p, layout: 'column-major' as const };
  const o2 = { start: { coef, intercept: b0 }, intercept: true, weights: wr, backend: slot.backend.name };
  const solve = (t: number): CoefFit | undefined => {
    if (!mayStay(t)) return undefined;
    let res;
    try {
      res = solveL1('quantile', X, yr, o2, t, 'quantile', false, { distinct: true });
    } catch {
      return undefined; // e.g. OUT_OF_MEMORY, or Z and the two rows rank deficient: the full refit decides
    }
    if (res.status !== 'optimal') return undefined;
    let move = Math.abs(res.intercept - b0);
    for (let j = 0; j < p; j++) move += xMax[j] * Math.abs(res.coef[j] - coef[j]);
    return move < 0.5 * minN ? { coef: res.coef, intercept: res.intercept } : undefined;
  };
  return [solve(tau + h), solve(tau - h)];
}

/**
 * The intercept's optimality guard (as checkQuantileIntercept): −Σ w μ ψ_τ(r) over the nonzero
 * residuals within the interval the rows at zero allow. wv: weights (null: 1), mv: multiplicities
 * (null: 1).
 */
function interceptOptimal(r: Float64Array, yv: Float64Array, wv: Float64Array | null, mv: Float64Array | null, tau: number): boolean {
  const n = r.length;
  let scale = 0;
  for (let i = 0; i < n; i++) {
    if (wv !== null && !(wv[i] > 0)) continue;
    const yi = yv[i];
    scale = Math.max(scale, Math.abs(yi), Math.abs(yi - r[i]));
  }
  const zeroTol = 1e-6 * Math.max(scale, Number.MIN_VALUE);
  let g = 0, wz = 0, wsum = 0;
  for (let i = 0; i < n; i++) {
    const wi = (wv !== null ? wv[i] : 1) * (mv !== null ? mv[i] : 1);
    if (!(wi > 0)) continue;
    wsum += wi;
    if (Math.abs(r[i]) <= zeroTol) wz += wi;
    else g += wi * (r[i] < 0 ? tau - 1 : tau);
  }
  const slack = 1e-9 * wsum;
  return !(-g < (tau - 1) * wz - slack || -g > tau * wz + slack);
}
