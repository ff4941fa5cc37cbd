// The solver phases of the L1 kernel (assembly/l1.ts) on the current problem (l1-state.ts): residual
// bookkeeping, coordinate descent (phase 1), crash and Barrodale–Roberts pivots (phase 2). The basis
// factorisation is l1-lu.ts; the certificate l1-certificate.ts; the globbing driver l1-glob.ts runs
// these phases on reduced problems. Twin: src/twin/l1-simplex.ts.
import { progress } from "./env";
import { STATUS_CANCELLED, STATUS_MAXITER, STATUS_NUMERICAL, STATUS_OK } from "./status";
import {
  BLOCK, CD_N0, CD_REL, CD_SLOW, CD_SLOW_GAIN, CD_SLOW_MIN, CRASH_REJECT, DEGEN_BLAND, DUAL_ABS, DUAL_TOL, EPS, FACE_MAX_SWEEPS,
  FACE_MIN_ROWS, FACE_SLOW, FACE_TOL, INDEP,
  KIND_L1, PERTURB, PERTURB_GROW, PERTURB_GROWTHS, REFRESH, SUBNORMAL_MIN, ZERO_DIR, ZERO_RES, aij, col, colT, ic, jitter, n, nd,
  pY, pYc, psi, q, rho, tau, useResponses, wB, wBest, wBeta, wCS, wG, wH, wId, wKey, wLU, wLab,
  wGam, wPick, wPiv, wQ, wR, wSel, wSlot, wT, wU, wV, wVA, wWt, wXc, wYp, wgt, dataW, dataX, rsCap, RS_MIN_ROWS,
} from "./l1-state";
import { edgePass, gradientBlock, gradientPass, refreshPass, residualPass, rowScaleAt } from "./l1-rows";
import { columnScales, edgeLength2, factor, solve, solveT } from "./l1-lu";
import { XS, ldx, xld, xld2 } from "./xload";
import { ldf, ldi, stf, sti } from "./mem";
import { argmin, wselect, wthin } from "./select";

// ---- vertex bookkeeping (private: written and read by this file's phases) ----
let nmass: f64 = 0;   // sum over non-basic rows of w_i |psi_i| (as of the last gradient())

// ---- face restriction (see pivotLoop; private to it and the bookkeeping it calls) ----
/** theta = RS_WINDOW x the drift per pivot measured between the last two full refreshes. */
const RS_WINDOW: f64 = 64;
let rsOn: bool = false;      // pivots run on the rows C, listed in wId[n - rsN, n) in row order
let rsBlock: bool = false;   // the next full refresh may not restrict (a restricted pivot fell back)
let rsHist: bool = false;    // wQ[0, q) holds b at the last full refresh, made at pivot rsP0
let rsN: i32 = 0;
let rsP0: i32 = 0;
let rsTheta: f64 = 0;        // every frozen row had |r_i| > theta at the last full refresh
let rsF0: f64 = 0;           // the frozen rows' sum of w rho(r_i) then, and their dual mass
let rsMass0: f64 = 0;        // (their share of g is g_out, at wQ[q, 2q))
let fullFresh: bool = false; // b, r, labels and g are fresh on every row: a full refresh, no pivot since

// @ts-ignore: decorator
@inline function rsRow(k: i32): i32 { return ldi(wId, n - rsN + k); }
/** Entry (k, j >= ic) of C's rows of X: wXc is column-major with stride rsN (the intercept column
 *  is implicit: 1 on C's first rsNd rows, its data rows). */
// @ts-ignore: decorator
@inline function rsX(k: i32, j: i32): f64 { return ldf(wXc, (j - ic) * rsN + k); }
let rsNd: i32 = 0;

/** sum_j s_j |b_j - b0_j| (b0: b at the last full refresh; s_j >= max_i |a_ij|): a bound on how far
 *  any residual has moved since. */
function drift(): f64 {
  let d = 0.0;
  for (let j = 0; j < q; j++) d += ldf(wCS, j) * Math.abs(ldf(wB, j) - ldf(wQ, j));
  return d;
}

/** The frozen rows' share of F at the current b: f0 - g_out.(b - b0) — their labels agree with the
 *  signs of their residuals, which moved by -a_i.(b - b0). */
function frozenF(): f64 {
  let f = rsF0;
  for (let j = 0; j < q; j++) f -= ldf(wQ, q + j) * (ldf(wB, j) - ldf(wQ, j));
  return f;
}

/** dst = sum over the labelled rows of C of w_i psi_i a_i (row order); returns their dual mass. */
function gradientC(dst: usize): f64 {
  for (let j = 0; j < q; j++) stf(dst, j, 0.0);
  let mass = 0.0;
  for (let k = 0; k < rsN; k++) {
    const i = rsRow(k), l = ldi(wLab, i);
    if (l == 0) continue;
    const c = wgt(i) * psi(l);
    mass += Math.abs(c);
    if (c == 0) continue;
    if (ic != 0) stf(dst, 0, ldf(dst, 0) + c * (i < nd ? 1.0 : 0.0));
    for (let j = ic; j < q; j++) stf(dst, j, ldf(dst, j) + c * rsX(k, j));
  }
  return mass;
}

/** F(b) = sum w rho(r) over the residual bookkeeping (plain sum: a progress measure); in face
 *  restriction (see pivotLoop) the frozen rows' share moves linearly with b. rho(r) is formed as
 *  (tau - [r < 0]) r — tau - 1 or tau - 0 = tau, then the product rho takes: the same bits, without a
 *  branch on the residual's sign (a coin flip: ~17% of the serial CPU of lad 1e6 x 10 was here). */
function objective(): f64 {
  if (rsOn) {
    let fc = frozenF();
    for (let k = 0; k < rsN; k++) {
      const i = rsRow(k), r = ldf(wR, i);
      if (r != 0) fc += wgt(i) * ((tau - <f64>(r < 0)) * r);
    }
    return fc;
  }
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const r = ldf(wR, i);
    if (r != 0) f += wgt(i) * ((tau - <f64>(r < 0)) * r);
  }
  return f;
}

/** r = y - A b from scratch; wVA = s_i + sum_j |a_ij| beta_j / ZERO_RES (residual scale: s_i alone
 *  during CD). With `zero`, residuals within ZERO_RES wVA are set to exactly 0 (ties become exact,
 *  degeneracy visible). Row blocks keep r and wVA in cache while the columns stream past. */
export function residuals(zero: bool): void {
  fresh = false;
  residualPass(n, nd, q, ic, XS, dataX(), pYc, wB, wBeta, wR, wVA, wLab, zero, false);
}

/** r = y - A b alone (the same values as residuals(false), without the scales): the globbing passes
 *  over all rows only need signs and band keys. */
export function residualsOnly(): void {
  if (XS == 3) residualsOnlyT<f64>(); else residualsOnlyT<f32>();
}
function residualsOnlyT<T>(): void {
  fresh = false;
  const b0 = ic ? ldf(wB, 0) : 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const y = ldf(pYc, i);
      stf(wR, i, ic != 0 && i < nd ? y - b0 : y);
    }
    for (let j = ic; j < q; j++) {
      const bj = ldf(wB, j);
      if (bj == 0 && ldf(wBeta, j) == 0) continue;
      const xp = colT<T>(j);
      const b2 = f64x2.splat(bj);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const o = <usize>i << 3;
        v128.store(wR + o, f64x2.sub(v128.load(wR + o), f64x2.mul(b2, xld2<T>(xp, i))));
      }
      for (; i < i1; i++) stf(wR, i, ldf(wR, i) - bj * xld<T>(xp, i));
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Phase 1: coordinate descent

/** Exact minimisation of F along coordinate j; returns the step taken (0 when the coordinate is
 *  already at its minimiser or has no active rows). The breakpoint keys are split around step 0 as
 *  they are built (negative keys from the front, the others from the back, branch-free) while the
 *  weight of the negative ones is summed: that weight against the target tells which side holds the
 *  weighted quantile, and the selection runs on that side alone. Same element as selecting over all
 *  keys (the (key, id) order is strict); about 5% less CPU per fit (h18c). */
function cdStep(j: i32): f64 {
  return XS == 3 ? cdStepT<f64>(j) : cdStepT<f32>(j);
}
function cdStepT<T>(j: i32): f64 {
  let lo = 0, hi = n - 1; // next slots: negative keys at lo (upwards), the others at hi (downwards)
  let target = 0.0; // B = sum w|a| tau_i: minus the slope at -infinity
  let total = 0.0;
  let wneg = 0.0;   // weight of the negative keys
  if (j < ic) {
    for (let i = 0; i < nd; i++) {
      const w = wgt(i);
      if (w > 0) {
        const r = ldf(wR, i);
        const neg = r < 0;
        stf(wKey, lo, r); stf(wWt, lo, w); sti(wId, lo, i);
        stf(wKey, hi, r); stf(wWt, hi, w); sti(wId, hi, i);
        wneg += reinterpret<f64>(select<i64>(reinterpret<i64>(w), 0, neg)); // see below: w or +0
        lo += <i32>neg; hi -= <i32>!neg;
        target += w * tau;
        total += w;
      }
    }
  } else {
    const xp = colT<T>(j);
    const tp = tau, tn = 1.0 - tau;
    const tpb = reinterpret<i64>(tp), tnb = reinterpret<i64>(tn);
    for (let i = 0; i < n; i++) {
      const a = xld<T>(xp, i), w = wgt(i);
      if (a != 0 && w > 0) {
        const om = w * Math.abs(a);
        const key = ldf(wR, i) / a;
        const neg = key < 0; // -0 and 0 go to the back: they tie with 0 in the (key, id) order
        // both slots written (the side is a coin flip for a branch predictor): the unused one is
        // overwritten later or lies outside [0, lo) and (hi, n) (lo <= hi + 1 throughout)
        stf(wKey, lo, key); stf(wWt, lo, om); sti(wId, lo, i);
        stf(wKey, hi, key); stf(wWt, hi, om); sti(wId, hi, i);
        // om or +0, tp or tn: integer selects on the f64 bits (V8 compiles a select of f64 values to a
        // branch, and the sides are coin flips); the same values, so the same sums
        wneg += reinterpret<f64>(select<i64>(reinterpret<i64>(om), 0, neg));
        lo += <i32>neg; hi -= <i32>!neg;
        target += om * reinterpret<f64>(select<i64>(tpb, tnb, a > 0));
        total += om;
      }
    }
  }
  const m = lo + (n - 1 - hi);
  if (m == 0) return 0;
  let k: i32;
  if (lo > 0 && (wneg >= target || lo == m)) {
    k = wselect(wKey, wWt, wId, lo, target, wneg, wSel);
  } else { // the non-negative keys at (hi, n), with the negative ones' weight below them
    const o = <usize>(hi + 1);
    k = hi + 1 + wselect(wKey + (o << 3), wWt + (o << 3), wId + (o << 2), m - lo, target - wneg,
      total - wneg, wSel);
  }
  sti(wPick, j, ldi(wId, k));
  const delta = ldf(wKey, k);
  if (delta == 0) return 0;
  stf(wB, j, ldf(wB, j) + delta);
  if (j < ic) {
    for (let i = 0; i < nd; i++) stf(wR, i, ldf(wR, i) - delta);
  } else {
    const xp = colT<T>(j);
    const d2 = f64x2.splat(delta);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const o = <usize>i << 3;
      v128.store(wR + o, f64x2.sub(v128.load(wR + o), f64x2.mul(d2, xld2<T>(xp, i))));
    }
    for (; i < n; i++) stf(wR, i, ldf(wR, i) - delta * xld<T>(xp, i));
  }
  return delta;
}

// ------------------------------------------------------------------------------------------------
// Phase 2: crash to a vertex, then Barrodale–Roberts pivots

/** Orthogonalises the q-vector at wT against the m orthonormal rows of wQ (modified Gram–Schmidt,
 *  twice: "twice is enough", Giraud et al. 2005) and returns the norm of what is left. */
function orthogonalise(m: i32): f64 {
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < m; k++) {
      const qk = wQ + ((<usize>k * <usize>q) << 3);
      let c = 0.0;
      for (let j = 0; j < q; j++) c += ldf(qk, j) * ldf(wT, j);
      for (let j = 0; j < q; j++) stf(wT, j, ldf(wT, j) - c * ldf(qk, j));
    }
  }
  let s = 0.0;
  for (let j = 0; j < q; j++) s += ldf(wT, j) * ldf(wT, j);
  return Math.sqrt(s);
}

/** Appends wT / nrm as orthonormal row m of wQ. */
function appendQ(m: i32, nrm: f64): void {
  const qm = wQ + ((<usize>m * <usize>q) << 3);
  for (let j = 0; j < q; j++) stf(qm, j, ldf(wT, j) / nrm);
}

/** Appends row i (w > 0) to the crash basis when it is independent, in column-scaled coordinates,
 *  of the m rows taken so far; returns the new basis size. */
function crashRow(i: i32, m: i32): i32 {
  let s = 0.0;
  for (let j = 0; j < q; j++) { const a = aij(i, j) / ldf(wCS, j); stf(wT, j, a); s += a * a; }
  if (s == 0) return m;
  const nrm = orthogonalise(m);
  if (!(nrm > INDEP * Math.sqrt(s))) return m;
  appendQ(m, nrm);
  sti(wSlot, m, i);
  return m + 1;
}

/** Initial basis ("crash"): the zero-residual rows (w > 0) in row order, then the rows at which the
 *  last CD sweep stopped each coordinate (their residuals are small: only the later steps of that
 *  sweep moved them), each while independent in column-scaled coordinates; completed by the unit rows
 *  e_j with the largest component outside their span. The first refresh moves b onto the vertex of
 *  the chosen rows, which can raise F slightly — the CD iterate stays the best one until the simplex
 *  beats it — but saves up to q edge steps (each O(nq)) that would otherwise only pin coordinates.
 *  Heavily tied data can leave ~n zero residuals spanning a small subspace: after CRASH_REJECT q
 *  dependent ones (O(q^2) each) the scan stops and the unit rows take over. */
export function crash(): void {
  columnScales();
  let m = 0;
  let rejected = 0;
  for (let i = 0; i < n && m < q && rejected < CRASH_REJECT * q; i++) {
    if (ldf(wR, i) != 0 || !(wgt(i) > 0)) continue;
    const m1 = crashRow(i, m);
    if (m1 == m) rejected++;
    m = m1;
  }
  for (let j = 0; j < q && m < q; j++) {
    const i = ldi(wPick, j);
    if (i >= 0 && ldf(wR, i) != 0) m = crashRow(i, m);
  }
  while (m < q) {
    // unit row with the largest residual norm^2 1 - sum_k Q_kj^2 among coefficients not yet taken
    let bestJ = -1;
    let bestR = -1.0;
    for (let j = 0; j < q; j++) {
      let taken = false;
      for (let s = 0; s < m; s++) if (ldi(wSlot, s) == -1 - j) taken = true;
      if (taken) continue;
      let c = 0.0;
      for (let k = 0; k < m; k++) { const v = ldf(wQ, k * q + j); c += v * v; }
      if (1.0 - c > bestR) { bestR = 1.0 - c; bestJ = j; }
    }
    for (let j = 0; j < q; j++) stf(wT, j, j == bestJ ? 1.0 : 0.0);
    appendQ(m, orthogonalise(m));
    sti(wSlot, m, -1 - bestJ);
    m++;
  }
}

/** beta_j (stored / ZERO_RES in wBeta): first-order bound on the error of b_j at the vertex,
 *  |delta b^| <= q eps |M^-1| (P^T |L| |U| |b^| + s_B) — the componentwise error of Gaussian
 *  elimination (Higham 2002, Thm 9.3, with |L||U| in place of |M| since growth is not bounded
 *  componentwise) plus the rounding of the basic rows' residuals s_B — and beta_j = beta^_j / s_j.
 *  O(q^3) per refresh (q solves). */
function coefficientUncertainty(): void {
  // noise per LU row: (|L| |U| |b^|)_k, then back to slot order (P^T), plus s_i of the basic row
  for (let k = q - 1; k >= 0; k--) {
    let z = 0.0;
    for (let m = k; m < q; m++) z += Math.abs(ldf(wLU, k * q + m) * ldf(wB, m) * ldf(wCS, m));
    stf(wT, k, z);
  }
  for (let k = q - 1; k >= 0; k--) {
    let z = ldf(wT, k);
    for (let m = 0; m < k; m++) z += Math.abs(ldf(wLU, k * q + m)) * ldf(wT, m);
    stf(wT, k, z);
  }
  for (let k = q - 1; k >= 0; k--) {
    const pr = ldi(wPiv, k);
    if (pr != k) { const t = ldf(wT, k); stf(wT, k, ldf(wT, pr)); stf(wT, pr, t); }
  }
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    if (i < 0) continue; // a unit row's right-hand side b^_j is exact
    let sc = Math.abs(ldf(pYc, i));
    for (let j = 0; j < q; j++) sc += Math.abs(aij(i, j) * ldf(wB, j));
    stf(wT, s, ldf(wT, s) + sc);
  }
  for (let j = 0; j < q; j++) stf(wBeta, j, 0.0);
  for (let s = 0; s < q; s++) {
    const noise = ldf(wT, s);
    for (let j = 0; j < q; j++) stf(wH, j, j == s ? 1.0 : 0.0);
    solve(wH);
    for (let j = 0; j < q; j++) stf(wBeta, j, ldf(wBeta, j) + Math.abs(ldf(wH, j)) * noise);
  }
  // no coefficient is known better than the smallest subnormal (b_j = 7e-331 is stored as 0)
  const c = <f64>q * EPS / ZERO_RES, floor = 4 * SUBNORMAL_MIN / ZERO_RES;
  for (let j = 0; j < q; j++) stf(wBeta, j, c * ldf(wBeta, j) / ldf(wCS, j) + floor);
}

/** s_i + sum_j |a_ij| beta_j / ZERO_RES for one row at the current b: the scale residuals(true)
 *  measures row i's residual against (wVA), with the same operations in the same order. */
function rowScale(i: i32): f64 {
  return XS == 3 ? rowScaleAt<f64>(n, nd, q, ic, dataX(), pYc, wB, wBeta, i)
    : rowScaleAt<f32>(n, nd, q, ic, dataX(), pYc, wB, wBeta, i);
}

/** y_i - a_i.b for one row, in the order of residuals(). */
function rowResidual(i: i32): f64 {
  let r = ldf(pYc, i);
  if (ic != 0 && i < nd) r -= ldf(wB, 0);
  for (let j = ic; j < q; j++) {
    const bj = ldf(wB, j);
    if (bj != 0) r -= bj * ldx(col(j), i);
  }
  return r;
}

/** g = sum over non-basic rows of w_i psi_i a_i, from scratch, by row blocks (wKey holds w_i psi_i). */
function gradient(): void {
  // wKey and per-BLOCK partial sums (l1-rows.ts gradientRows), added into g in block order: split,
  // the partials go to wV (free until the next edge image); else block by block through wT
  if (gradientParts() && gradientPass(n, nd, q, ic, XS, dataX(), dataW(), tau, wLab, wKey, wV)) {
    gradientSum();
  } else {
    for (let j = 0; j < q; j++) stf(wG, j, 0.0);
    let mass = 0.0;
    for (let i0 = 0; i0 < n; i0 += BLOCK) {
      const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
      gradientBlock(n, nd, q, ic, XS, dataX(), dataW(), tau, wLab, wKey, wT, i0, i1);
      for (let j = 0; j < q; j++) stf(wG, j, ldf(wG, j) + ldf(wT, j));
      for (let i = i0; i < i1; i++) mass += Math.abs(ldf(wKey, i));
    }
    nmass = mass;
  }
}

/** The split gradient's per-BLOCK partials fit wV (else the gradient runs block by block). */
function gradientParts(): bool {
  return <f64>((n + BLOCK - 1) / BLOCK) * <f64>q <= <f64>n;
}

/** g and nmass from the split gradient's per-BLOCK partials (in wV) and wKey: the partials added in
 *  block order — the sequential loop's sums. */
function gradientSum(): void {
  const blocks = (n + BLOCK - 1) / BLOCK;
  for (let j = 0; j < q; j++) stf(wG, j, 0.0);
  for (let b = 0; b < blocks; b++) {
    const part = wV + ((<usize>b * <usize>q) << 3);
    for (let j = 0; j < q; j++) stf(wG, j, ldf(wG, j) + ldf(part, j));
  }
  let mass = 0.0;
  for (let i = 0; i < n; i++) mass += Math.abs(ldf(wKey, i));
  nmass = mass;
}

/** g += c a_i */
function gAddRow(i: i32, c: f64): void {
  if (c == 0) return;
  for (let j = 0; j < q; j++) stf(wG, j, ldf(wG, j) + c * aij(i, j));
}

/** Re-derives the vertex from the basis (M^ b^ = [y_B; b^_j of unit rows]), then r (zeroing ties),
 *  labels consistent with the signs of r, and g. Needs a current factorisation.
 *  The solve is refined (Skeel 1980: one step of fixed-precision iterative refinement makes Gaussian
 *  elimination componentwise backward stable) against the residuals of the basic rows computed as
 *  residuals() does: a basic row then fits to the rounding of its own terms, not to that of the
 *  largest row — with a row 1 - 1e12 b_4 = 1e12 in the basis, b_0 would otherwise be off by
 *  ulp(1e12) ~ 1e-4, and every heavily weighted row with it. */
function refresh(): void {
  vertexCoefficients();
  // residuals(true), then labels that disagree with the sign of r flip (row by row: one pass), then
  // g — split, both in one pass (l1-rows.ts refreshPass)
  if (gradientParts() && refreshPass(n, nd, q, ic, XS, dataX(), pYc, dataW(), tau, wB, wBeta, wR, wVA, wLab, wKey, wV)) {
    gradientSum();
    return;
  }
  residualPass(n, nd, q, ic, XS, dataX(), pYc, wB, wBeta, wR, wVA, wLab, true, true);
  gradient();
}

/** b from the basis (refined once, see refresh) and its uncertainty beta. */
function vertexCoefficients(): void {
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    stf(wT, s, i >= 0 ? ldf(pYc, i) : ldf(wB, -1 - i) * ldf(wCS, -1 - i));
  }
  solve(wT);
  for (let j = 0; j < q; j++) stf(wB, j, ldf(wT, j) / ldf(wCS, j));
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    stf(wT, s, i >= 0 ? rowResidual(i) : 0.0);
  }
  solve(wT);
  for (let j = 0; j < q; j++) stf(wB, j, ldf(wB, j) + ldf(wT, j) / ldf(wCS, j));
  coefficientUncertainty();
}

/** v = A h and wVA = sum_j |a_ij h_j|, by row blocks. */
function edgeImage(): void {
  edgePass(n, nd, q, ic, XS, dataX(), wH, wV, wVA);
}

/** refresh() on every row, then the choice of the face restriction (see pivotLoop): b0 = b; when
 *  the previous full refresh is known, the drift per pivot since then gives theta, and C = the basic
 *  rows and those with |r_i| <= theta, if there are rows enough and C holds at most half of them. */
function refreshFull(): void {
  refresh();
  rsOn = false;
  fullFresh = true;
  const block = rsBlock;
  rsBlock = false;
  let rate = -1.0;
  if (rsHist) rate = drift() / <f64>(pivots > rsP0 ? pivots - rsP0 : 1);
  for (let j = 0; j < q; j++) stf(wQ, j, ldf(wB, j));
  rsP0 = pivots;
  rsHist = true;
  if (block || q < 2 || n < RS_MIN_ROWS || !(rate > 0)) return;
  const theta = RS_WINDOW * rate;
  let c = 0;
  for (let i = 0; i < n; i++) if (ldi(wLab, i) == 0 || Math.abs(ldf(wR, i)) <= theta) c++;
  if (c > (n >> 1) || c > rsCap) return;
  rsN = c;
  let k = n - c;
  let f0 = 0.0, m0 = 0.0;
  for (let i = 0; i < n; i++) {
    const l = ldi(wLab, i), r = ldf(wR, i);
    if (l == 0 || Math.abs(r) <= theta) { sti(wId, k, i); k++; continue; }
    const w = wgt(i);
    f0 += w * rho(r);
    m0 += Math.abs(w * psi(l));
  }
  rsF0 = f0;
  rsMass0 = m0;
  rsTheta = theta;
  rsNd = 0;
  for (let kc = 0; kc < c; kc++) if (rsRow(kc) < nd) rsNd++;
  for (let j = ic; j < q; j++) {
    const xp = col(j), dst = wXc + ((<usize>(j - ic) * <usize>c) << 3);
    for (let kc = 0; kc < c; kc++) stf(dst, kc, ldx(xp, rsRow(kc)));
  }
  gradientC(wT);
  for (let j = 0; j < q; j++) stf(wQ, q + j, ldf(wG, j) - ldf(wT, j));
  rsOn = true;
}

/** refresh() on the rows of C: b from the basis, r (zeroing ties) and labels of C as residualPass
 *  computes them, g = g_out + g_C. */
function refreshC(): void {
  vertexCoefficients();
  const b0 = ic ? ldf(wB, 0) : 0.0, a0 = ic ? Math.abs(b0) + ldf(wBeta, 0) : 0.0;
  for (let k = 0; k < rsN; k++) {
    const i = rsRow(k), y = ldf(pYc, i);
    const data = ic != 0 && i < nd;
    let r = data ? y - b0 : y;
    let s = data ? Math.abs(y) + a0 : Math.abs(y);
    for (let j = ic; j < q; j++) {
      const bj = ldf(wB, j), ej = ldf(wBeta, j);
      if (bj == 0 && ej == 0) continue;
      const x = rsX(k, j), t = bj * x;
      r -= t;
      s += Math.abs(t) + ej * Math.abs(x);
    }
    if (Math.abs(r) <= ZERO_RES * s) r = 0;
    stf(wR, i, r);
    stf(wVA, i, s);
    const l = ldi(wLab, i);
    if (l > 0 && r < 0) sti(wLab, i, -1);
    else if (l < 0 && r > 0) sti(wLab, i, 1);
  }
  nmass = rsMass0 + gradientC(wT);
  for (let j = 0; j < q; j++) stf(wG, j, ldf(wQ, q + j) + ldf(wT, j));
  fullFresh = false;
}

/** edgeImage() on the rows of C, in C's order: v_k in wKey, sum_j |a_kj h_j| in wWt (the pass over
 *  wXc, C's rows of X: rsNd data rows then the pseudo-rows); breakpointsC moves them to wV, wVA. */
function edgeImageC(): void {
  edgePass(rsN, rsNd, q, ic, 3, wXc, wH, wKey, wWt);
}

/** Breakpoints of the line search along +h: non-basic rows (w > 0) whose residual r_i - t v_i
 *  crosses zero against their label at t_i = r_i / v_i >= 0 (t_i = 0 for a degenerate row), with
 *  slope jumps w_i |v_i|. Sets bpTotal to the sum of all the jumps; lists in wKey/wWt/wId those that
 *  the step to the weighted `target` (-f') can reach or pass (see dropBeyond) and returns their
 *  number (0 only when there is no breakpoint). */
let bpTotal: f64 = 0; // total selection weight of the last breakpoints()
function breakpoints(target: f64): i32 {
  let m = 0;
  bpTotal = 0.0;
  let bound = Infinity, cap = BP_LIST;
  bpBound = Infinity;
  for (let i = 0; i < n; i++) {
    m = breakpointAt(i, ldf(wV, i), m, bound);
    if (m >= cap) { m = dropBeyond(m, target); bound = bpBound; cap = bpCap; }
  }
  return m;
}

/** Breakpoints listed before dropBeyond thins the list (then again each time this many more are). */
const BP_LIST: i32 = 512;
let bpBound: f64 = Infinity; // dropBeyond's results: the key bound (reset per line search) and the next list size that calls it
let bpCap: i32 = 0;

/** Long steps pass few breakpoints (the target is ~1e-4 of their weight in most line searches of
 *  lad 1e6 x 10), yet the weighted selection and the step's label loops went over every one. Once
 *  the m listed weigh at least the target, those with a key above their own target element's can be
 *  neither the step's breakpoint nor passed before it (select.ts wthin): they are dropped, and only
 *  keys <= that bound are listed from then on (ties at the bound stay: the step zeroes every row whose
 *  key is t). Sets bpBound (unchanged while the listed weight is short of the target) and bpCap;
 *  returns the count. */
function dropBeyond(m: i32, target: f64): i32 {
  const w = listedWeight(m);
  if (!(w >= target)) { bpCap = m << 1; return m; }
  const c = wthin(wKey, wWt, wId, m, target, w, wSel);
  let t = -Infinity;
  for (let a = 0; a < c; a++) t = Math.max(t, ldf(wKey, a)); // the bound: the largest key kept
  bpBound = t;
  bpCap = c + BP_LIST;
  return c;
}

/** Sum of the listed breakpoints' jumps (wselect's total). */
function listedWeight(m: i32): f64 {
  let w = 0.0;
  for (let a = 0; a < m; a++) w += ldf(wWt, a);
  return w;
}

/** Row i's breakpoint along +h (edge image v_i; wVA_i its scale) at position m, if it has one;
 *  returns the new count and adds its jump to bpTotal; listed only when its key is <= bound. Branch-
 *  free past the label (whether v runs against the label is a coin flip): the entry is written at m
 *  either way and kept by advancing m; a row without a breakpoint adds +0 to bpTotal (>= +0), which
 *  leaves its bits as they were. The choices are integer selects on the f64 bits (a select of f64
 *  values compiles to a branch). */
// @ts-ignore: decorator
@inline function breakpointAt(i: i32, v: f64, m: i32, bound: f64): i32 {
  const l = ldi(wLab, i);
  if (l == 0) return m;
  const w = wgt(i);
  // l = +-1: l v > 0 exactly when v runs against the label (v > 0 for l > 0, v < 0 for l < 0)
  const keep = (<f64>l * v > 0) & !(Math.abs(v) <= ZERO_DIR * ldf(wVA, i)) & (w > 0);
  // t if t > 0, else +0 (t <= 0 or NaN): t > 0 exactly when its bits lie in (0, +inf] as an i64
  const tb = reinterpret<i64>(ldf(wR, i) / v);
  const key = reinterpret<f64>(select<i64>(tb, 0, (tb > 0) & (tb <= 0x7FF0000000000000)));
  stf(wKey, m, key);
  const jump = w * Math.abs(v);
  stf(wWt, m, jump);
  sti(wId, m, i);
  bpTotal += reinterpret<f64>(select<i64>(reinterpret<i64>(jump), 0, keep));
  return m + <i32>(keep & (key <= bound));
}

/** breakpoints() over the rows of C, after edgeImageC: v_k, wVA_k read from wKey, wWt position k
 *  (and stored at row i of wV, wVA) before breakpoint m <= k is written there (dropBeyond moves
 *  entries below m only). */
function breakpointsC(target: f64): i32 {
  let m = 0;
  bpTotal = 0.0;
  let bound = Infinity, cap = BP_LIST;
  bpBound = Infinity;
  for (let k = 0; k < rsN; k++) {
    const i = rsRow(k), v = ldf(wKey, k);
    stf(wV, i, v);
    stf(wVA, i, ldf(wWt, k));
    m = breakpointAt(i, v, m, bound);
    if (m >= cap) { m = dropBeyond(m, target); bound = bpBound; cap = bpCap; }
  }
  return m;
}

/** S = the median of s_i (wVA) over rows with w > 0 (the mean if that is 0); scratch: selection. */
function typicalScale(): f64 {
  let m = 0;
  let sum = 0.0;
  for (let i = 0; i < n; i++) {
    if (!(wgt(i) > 0)) continue;
    const s = ldf(wVA, i);
    stf(wKey, m, s);
    stf(wWt, m, 1.0);
    sti(wId, m, i);
    sum += s;
    m++;
  }
  if (m == 0) return 0;
  const med = ldf(wKey, wselect(wKey, wWt, wId, m, 0.5 * <f64>m, <f64>m, wSel));
  return med > 0 ? med : sum / <f64>m;
}

/** Dual value of the current vertex's d (basis duals wU, labels) for the progress hook, and the scale
 *  alpha <= 1 that brings d into its box (alpha d is dual feasible: A^T d = 0 holds at a vertex and
 *  the box contains 0). Evaluated as r.d (see certify), on the residual bookkeeping. */
export let dualAlpha: f64 = 1; // the scale alpha of the last dualValue() (read by the driver)
/** The dual value is an O(n) pass that only feeds the progress hook's gap (no result depends on it):
 *  it is recomputed on the first pivot of a simplex run (startSimplex, reprice reset dualAt), when
 *  the responses change (the perturbation dropped), and every DUAL_EVERY pivots; in between the hook
 *  gets the last one — the value of an earlier vertex's dual point of the same problem, still a
 *  valid lower bound on F (alpha d is dual feasible, and r.d = y.d for A^T d = 0 whatever b is).
 *  alpha (dualAlpha, which the certificate of an unfinished fit uses) is the current vertex's.
 *  Without `sum` only alpha: pivotLoop's optimal exit, where no progress call reports the sum and the
 *  next simplex run recomputes it anyway (startSimplex and reprice reset dualAt) — one serial pass
 *  over all n rows less in the final stage (lad 1e6 x 10: ~3 ms), the same bits of every result. */
const DUAL_EVERY: i32 = 16;
let dualAt: i32 = 0;
let dualY: usize = 0;
let dualEstimate: f64 = 0;
function dualValue(sum: bool): f64 {
  let alpha = 1.0;
  for (let k = 0; k < q; k++) {
    const d = ldf(wU, k), w = wgt(ldi(wSlot, k));
    const hi = w * tau, lo = w * (tau - 1.0);
    if (d > hi) { const a = hi / d; if (a < alpha) alpha = a; }
    else if (d < lo) { const a = lo / d; if (a < alpha) alpha = a; }
  }
  dualAlpha = alpha;
  if (sum && (pivots >= dualAt || dualY != pYc)) {
    let s = 0.0;
    if (rsOn) {
      s = frozenF(); // frozen rows: labels agree with their signs, r_i w psi_i = w rho(r_i)
      for (let k = 0; k < rsN; k++) {
        const i = rsRow(k), l = ldi(wLab, i);
        if (l != 0) s += ldf(wR, i) * wgt(i) * (tau - <f64>(l < 0)); // psi(l), without a branch on the side
      }
    } else {
      for (let i = 0; i < n; i++) {
        const l = ldi(wLab, i);
        if (l != 0) s += ldf(wR, i) * wgt(i) * (tau - <f64>(l < 0));
      }
    }
    dualEstimate = alpha * s;
    dualAt = pivots + DUAL_EVERY;
    dualY = pYc;
  }
  return dualEstimate;
}

// ------------------------------------------------------------------------------------------------
// Solver phases on the current problem (the full one, or a reduced one while globbing)

// ---- run state (reset by resetRun at entry; read by the driver, written only here) ----
export let sweeps: i32 = 0;      // coordinate-descent sweeps, all problems
export let pivots: i32 = 0;      // simplex pivots, all problems
export let faceSweeps: i32 = 0;  // of the sweeps, those of faceDescent (tests read the twin's)
let maxIt: i32 = 0;              // budget of sweeps + pivots
let cancelled: bool = false;
export let haveDual: bool = false; // wU holds basis duals at the current vertex (no unit rows)
export let nonunique: i32 = 0;
let bestF: f64 = 0;              // objective of wBest on the current problem

/** Start of a kernel call: counters zero, the budget of sweeps + pivots. */
export function resetRun(maxIter: i32): void {
  sweeps = 0; pivots = 0; faceSweeps = 0; maxIt = maxIter;
  cancelled = false; haveDual = false; nonunique = 0;
  fresh = false;
}

/** The duals in wU no longer belong to the current vertex (the problem changed under them); nor do
 *  the final refresh's residuals. */
export function dropDual(): void { haveDual = false; fresh = false; }

// ---- the final refresh's residuals (issue 21): pivotLoop's optimal exit follows a full refresh
// on the true responses with no pivot after it, so wR and wVA then hold residualPass(zero = true)'s
// values at the final b — the certificate's residuals but for the ties it zeroed (l1-rows.ts
// unzeroPass), and its scales. Recorded with what they were computed for; every entry point that
// writes b, r or the responses here clears the record (resetRun, plainSolve, reprice, residuals,
// residualsOnly, dropDual), and freshResiduals also compares the problem, the regions, the responses
// in use and the sweep and pivot counts. In doubt the certificate recomputes. ----
let fresh: bool = false;
let freshY: usize = 0, freshX: usize = 0, freshR: usize = 0, freshVA: usize = 0, freshB: usize = 0;
let freshN: i32 = 0, freshXS: i32 = 0, freshPivots: i32 = 0, freshSweeps: i32 = 0;

function recordFresh(): void {
  fresh = true;
  freshY = pYc; freshX = dataX(); freshR = wR; freshVA = wVA; freshB = wB;
  freshN = n; freshXS = XS; freshPivots = pivots; freshSweeps = sweeps;
}

/** True when wR and wVA hold the final refresh's residuals and scales (ties zeroed) for the
 *  current b, beta, responses in use and problem (see recordFresh); consumed: false afterwards. */
export function freshResiduals(): bool {
  const ok = fresh && freshY == pYc && pYc == pY && freshX == dataX() && freshR == wR && freshVA == wVA &&
    freshB == wB && freshN == n && freshXS == XS && freshPivots == pivots && freshSweeps == sweeps;
  fresh = false;
  return ok;
}

/** One CD sweep over every coordinate, counted in sweeps; false when no coordinate moved. */
function sweep(): bool {
  let moved = false;
  for (let j = 0; j < q; j++) if (cdStep(j) != 0) moved = true;
  sweeps++;
  return moved;
}

/** Coordinate descent from wB, at most cap sweeps, stopping once a sweep gains less than
 *  max(rel, CD_REL min(1, sqrt(CD_N0 / n))) of F, or converges slowly (CD_SLOW); wBest = the result. */
function runCD(cap: i32, rel: f64): void {
  residuals(false);
  let f = objective();
  const cdRel = Math.max(rel, <f64>n > CD_N0 ? CD_REL * Math.sqrt(CD_N0 / <f64>n) : CD_REL);
  let k = 0;
  let prev = 0.0;
  while (k < cap && sweeps < maxIt) {
    const moved = sweep();
    k++;
    const fn = objective();
    const gain = f - fn;
    f = fn;
    if (progress(KIND_L1, sweeps + pivots, f, f) != 0) { cancelled = true; break; }
    if (!moved || !(gain > cdRel * f)) break;
    if (n >= CD_SLOW_MIN && k >= 3 && gain > CD_SLOW * prev && gain <= CD_SLOW_GAIN * f) break;
    prev = gain;
  }
  for (let j = 0; j < q; j++) stf(wBest, j, ldf(wB, j));
  bestF = f;
}

/** Labels from the residual signs at wB, the perturbed responses, the crash basis; the simplex then
 *  runs on the perturbed responses (see pivotLoop). */
function startSimplex(): void {
  grown = 0;
  dualAt = 0; // a new simplex run: its first dual value is computed
  residuals(false);
  const sres = typicalScale(); // S: typical residual scale (median s_i at the CD point)
  let zeros = 0;
  let mass = 0.0; // the perturbation's mass, sum_i w_i |yp_i - y_i|
  for (let i = 0; i < n; i++) {
    // residuals(true) at this b would give the same r and scales with the ties zeroed: zeroed here
    // (no second pass over X; one pool wake-up less per reduced solve)
    let r = ldf(wR, i);
    if (Math.abs(r) <= ZERO_RES * ldf(wVA, i)) { r = 0.0; stf(wR, i, 0.0); }
    sti(wLab, i, r < 0 ? -1 : 1);
    const e = PERTURB * (ldf(wVA, i) + sres) * jitter(i);
    stf(wYp, i, ldf(pY, i) + e);
    if (r == 0) zeros++;
    mass += wgt(i) * Math.abs(e);
  }
  if (zeros > q && n >= FACE_MIN_ROWS) {
    // a degenerate vertex: descend into the perturbed face before the crash (see faceDescent). Not
    // at exactly q zeros: that is the vertex a glob fix-up round's CD starts from and did not leave
    // (it gained nothing), where face descent swept in vain (lad 1e6 x 10: 4 sweeps of 27,664 rows)
    useResponses(wYp);
    faceDescent(mass);
    residuals(true);
    for (let i = 0; i < n; i++) sti(wLab, i, ldf(wR, i) < 0 ? -1 : 1);
  }
  crash();
  // Run on perturbed responses (Charnes 1952: the classic cure for degeneracy, as in production LP
  // codes): Bland's rule alone crawls one tied row at a time through vertices with thousands of
  // zero residuals. When the perturbed problem is solved, its basis and labels are re-derived for
  // the true y (refresh) and re-priced: optimal unless some residual changed side, in which case a
  // few more pivots finish.
  useResponses(wYp);
  for (let s = 0; s < q; s++) { const i = ldi(wSlot, s); if (i >= 0) sti(wLab, i, 0); }
}

/** Coordinate descent on the perturbed responses from a degenerate vertex (issue 18). When many rows
 *  tie at the CD point b* (integer design 1e6 x 50, tau 0.5: 49,464 of the 61,031 band rows at the
 *  full level, where CD had already reached the optimal F), the perturbed problem is, near b*, a
 *  quantile regression of the ties' perturbations on their rows: the simplex walked ~600 tiny
 *  vertices of it (F moving by ~1e-9 relative), each pivot a pass over the band. CD sweeps solve most
 *  of that problem at a few pivots' cost each; the crash then starts from the rows where the last
 *  sweep stopped. Stops once a sweep gains at most FACE_TOL of the perturbation's mass, when two
 *  sweeps in a row gained more than FACE_SLOW of the one before (CD crawling along a valley of the
 *  face), or after FACE_MAX_SWEEPS. Leaves wBest and bestF (the CD point on the true responses) alone. */
function faceDescent(mass: f64): void {
  residuals(false);
  let f = objective();
  let prev = 0.0;
  let crawl = 0; // consecutive sweeps that gained more than FACE_SLOW of the one before
  for (let k = 0; k < FACE_MAX_SWEEPS && sweeps < maxIt; k++) {
    const moved = sweep();
    faceSweeps++;
    const fn = objective();
    const gain = f - fn;
    f = fn;
    if (progress(KIND_L1, sweeps + pivots, f, f) != 0) { cancelled = true; break; }
    if (!moved || !(gain > FACE_TOL * mass)) break;
    crawl = k > 0 && gain > FACE_SLOW * prev ? crawl + 1 : 0;
    if (crawl >= 2) break;
    prev = gain;
  }
}

let grown: i32 = 0; // perturbation growths since startSimplex (PERTURB_GROW)

/** Multiplies every row's response perturbation by PERTURB_GROW (see PERTURB_GROWTHS). */
function growPerturbation(): void {
  for (let i = 0; i < n; i++) stf(wYp, i, ldf(pY, i) + (ldf(wYp, i) - ldf(pY, i)) * PERTURB_GROW);
  grown++;
}

/** A basic dual d_k = u (row i, weight w) outside its box by v > 0, where the certificate cannot see
 *  it: clipping d_k moves A^T d by v rs_k in the certificate's measure (see certifyDual), rs_k =
 *  max_j |a_kj| / s_j, row k's size in column-scaled coordinates (<= 1); and the backward-stable
 *  solve of M^T u = -g determines d_k only to ~eps D / rs_k. So a violation with v rs_k <= DUAL_ABS
 *  D_c (ctol; D_c the dual mass with basic duals clipped into their boxes) is rounding, not a descent
 *  edge. Without this test a row 1e-12 of its columns' scale (a lasso pseudo-row +-e_j next to a 1e12
 *  entry in column j) kept a rounding violation of ~1e-5 w in every basis, and the simplex swapped it
 *  in and out until maxIter (issue 15). Rows within DUAL_TOL w + ctol are never "hidden" (the usual
 *  test decides them). O(q). */
function hiddenViolation(i: i32, v: f64, w: f64, ctol: f64): bool {
  if (!(v > DUAL_TOL * w + ctol)) return false;
  let rs = 0.0;
  for (let j = 0; j < q; j++) { const a = Math.abs(aij(i, j)) / ldf(wCS, j); if (a > rs) rs = a; }
  return rs > 0 && v * rs <= ctol;
}

/** Steepest-edge pricing needs gamma_s = ||M^-1 e_s||^2 (column-scaled) for every slot s; from
 *  scratch that is a solve per slot — measured 29 (Gaussian) to 41 (integer design) of them per pivot
 *  at q = 51, most of the pivot's O(q^3) work. Across a pivot that replaces slot l by row e they follow
 *  from the old factorisation (Goldfarb & Reid 1977): with beta_s = M^-1 e_s, z = M^-T a^_e and
 *  w = M^-T beta_l, the new columns are beta'_s = beta_s - (z_s / z_l) beta_l and beta'_l = beta_l / z_l,
 *  so gamma'_s = gamma_s - 2 (z_s / z_l) w_s + (z_s / z_l)^2 gamma_l and gamma'_l = gamma_l / z_l^2 —
 *  two solves. Called after the ratio test (wH = h, the chosen edge), before the swap; returns false
 *  when an update cancelled (gamma'_s below 1e-6 of its terms) or is not finite: pivotLoop then
 *  recomputes them all, as it does at every refresh. The lengths only rank the candidates, so
 *  their rounding can change which edge is taken, never what is certified. */
function nextEdgeLengths(leave: i32, enter: i32, sigma: f64): bool {
  for (let j = 0; j < q; j++) stf(wT, j, aij(enter, j) / ldf(wCS, j));
  solveT(wT);
  for (let j = 0; j < q; j++) stf(wU, j, sigma * ldf(wH, j) * ldf(wCS, j)); // beta_l = sigma h^
  solveT(wU);
  const zl = ldf(wT, leave), gl = ldf(wGam, leave);
  let ok = zl != 0;
  for (let s = 0; s < q && ok; s++) {
    if (s == leave) continue;
    const c = ldf(wT, s) / zl, gs = ldf(wGam, s);
    const g = gs - 2.0 * c * ldf(wU, s) + c * c * gl;
    if (!(g > 1e-6 * (gs + c * c * gl))) ok = false;
    stf(wGam, s, g);
  }
  if (ok) {
    const g = gl / (zl * zl);
    if (!(g > 0 && g < Infinity)) ok = false;
    stf(wGam, leave, g);
  }
  return ok;
}

/** Simplex pivots from the basis in wSlot (labels in wLab) to a certified vertex of the current
 *  problem; returns the status.
 *
 *  Face restriction (issue 18). Tied data ends in a long walk over the perturbed vertices of a
 *  degenerate optimal face: integer design 1e5 x 50, tau 0.5 spends ~420 of its 483 pivots moving b
 *  by ~1e-8, each step able to cross only the ~5,000 tied rows of the 19,267-row band, yet each paid
 *  O(nq) for the edge image, the breakpoints, the residual update and F. So a full refresh (every
 *  row: refreshFull) measures the drift per pivot since the previous one, D = sum_j s_j |Delta b_j|
 *  (s_j >= max_i |a_ij|, so D bounds how far any residual moved), and when theta = RS_WINDOW D
 *  leaves at most half the rows (and rsCap) in C = {basic rows} + {|r_i| <= theta}, the pivots run on
 *  C alone (C's rows of X copied to wXc): the other rows are frozen — labels fixed, residuals not
 *  updated, their share of g (g_out), of F (moving linearly with b) and of the dual mass kept aside.
 *  A restricted search is the full one while no frozen row can reach zero before the chosen step:
 *  drift + t sum_j s_j |h_j| <= theta / 2 (each had |r_i| > theta); when that fails, or the
 *  selection needs breakpoints beyond C, the pivot is redone after a full refresh on all rows
 *  (rsBlock). Refreshes in between (refreshC) re-derive b, C's residuals and labels and g = g_out +
 *  g_C; a drift past theta / 2, a perturbation change and the optimality test take a full refresh.
 *  Exact arithmetic pivots as before (same counts on the grid), at O(|C| q) a pivot: intx 1e5 x 50
 *  tau 0.5 949 -> 546 ms, Gaussian 1e5 x 50 tau 0.5 557 -> 448 ms (CPU, A/B under load). */
function pivotLoop(): i32 {
  let status = -1;
  let sigma = 0.0;
  let f = 0.0;
  let since = REFRESH; // pivots since the last refresh (REFRESH forces one)
  let degen = 0;
  let dualEst = 0.0;
  let gamOK = false; // wGam holds the squared edge lengths of the current basis
  rsOn = false; rsBlock = false; rsHist = false; fullFresh = false;
  fresh = false;
  while (true) {
    if (!factor()) { status = STATUS_NUMERICAL; break; }
    // DEGEN_BLAND stalled steps on the perturbed responses: the zero test swallows perturbations
    // (PERTURB_GROW) — grow them and refresh before Bland's rule takes over
    if (degen >= DEGEN_BLAND && pYc == wYp && grown < PERTURB_GROWTHS) {
      growPerturbation();
      since = REFRESH;
      degen = 0;
      rsOn = false;
    }
    if (since >= REFRESH) {
      // restricted: a refresh of C while no frozen row can have come within theta / 2 of zero
      if (rsOn && drift() <= 0.5 * rsTheta) refreshC(); else refreshFull();
      since = 0;
      gamOK = false; // the updated edge lengths drift: from scratch with every refresh
      f = objective();
      if (f < bestF) { bestF = f; for (let j = 0; j < q; j++) stf(wBest, j, ldf(wB, j)); }
    }
    if (!gamOK) { for (let s = 0; s < q; s++) stf(wGam, s, edgeLength2(s)); gamOK = true; }
    for (let j = 0; j < q; j++) stf(wU, j, -ldf(wG, j) / ldf(wCS, j));
    solveT(wU);
    // pricing: unit rows leave first; then the basic row whose dual violates its box most per
    // unit length of its edge (steepest edge measured in column-scaled coefficients: the lengths
    // are updated across pivots, nextEdgeLengths, and recomputed at refreshes), or the smallest
    // violated row index under Bland's rule. viol = -f' is the edge's rate of descent.
    const bland = degen >= DEGEN_BLAND;
    let leave = -1;
    let score = -1.0;
    let viol = 0.0;
    let art = false;
    nonunique = 0;
    for (let s = 0; s < q; s++) {
      if (ldi(wSlot, s) >= 0) continue;
      const v = Math.abs(ldf(wU, s));
      const sc = v / Math.sqrt(ldf(wGam, s));
      if (sc > score) { score = sc; viol = v; leave = s; }
    }
    if (leave >= 0) {
      art = true;
      sigma = ldf(wU, leave) > 0 ? -1.0 : 1.0;
    } else {
      // D_c: the dual mass with the basic duals clipped into their boxes (the certificate's D). A
      // basic dual whose violation the certificate cannot see is accepted (hiddenViolation) and
      // counts clipped in D as well: its rounding noise (1e149 on a row of 1e-150s) must not widen
      // every other row's tolerance through D.
      let cmass = nmass;
      for (let s = 0; s < q; s++) {
        const d = ldf(wU, s), w = wgt(ldi(wSlot, s));
        const hi = w * tau, lo = w * (tau - 1.0);
        cmass += d > hi ? hi : d < lo ? -lo : Math.abs(d);
      }
      const ctol = DUAL_ABS * cmass;
      let dmass = nmass;
      for (let s = 0; s < q; s++) {
        const i = ldi(wSlot, s), d = ldf(wU, s), w = wgt(i);
        const hi = w * tau, lo = w * (tau - 1.0);
        const v = d > hi ? d - hi : d < lo ? lo - d : 0.0;
        dmass += v > 0 && hiddenViolation(i, v, w, ctol) ? (d > hi ? hi : -lo) : Math.abs(d);
      }
      const dtol = DUAL_ABS * dmass;
      for (let s = 0; s < q; s++) {
        const i = ldi(wSlot, s), d = ldf(wU, s), w = wgt(i);
        const hi = w * tau, lo = w * (tau - 1.0), del = DUAL_TOL * w + dtol;
        let v = 0.0, sg = 0.0;
        if (d > hi + del) { v = d - hi; sg = -1.0; }
        else if (d < lo - del) { v = lo - d; sg = 1.0; }
        else {
          if (Math.abs(d - hi) <= del || Math.abs(d - lo) <= del) nonunique = 1;
          continue;
        }
        if (hiddenViolation(i, v, w, ctol)) { nonunique = 1; continue; } // at its bound, to rounding
        if (bland) {
          if (leave < 0 || i < ldi(wSlot, leave)) { viol = v; leave = s; sigma = sg; }
        } else {
          const sc = v / Math.sqrt(ldf(wGam, s));
          if (sc > score) { score = sc; viol = v; leave = s; sigma = sg; }
        }
      }
      haveDual = true;
      // the optimal exit below (no pivot follows, the estimate is reported by no progress call)
      const exit = leave < 0 && since == 0 && fullFresh && pYc == pY;
      dualEst = dualValue(!exit);
    }
    if (leave < 0) {
      if (since > 0 || !fullFresh) { rsOn = false; since = REFRESH; continue; } // confirm on fresh b, r, g (all rows)
      if (pYc != pY) { useResponses(pY); since = REFRESH; degen = 0; rsOn = false; continue; } // drop the perturbation
      status = STATUS_OK;
      recordFresh(); // since == 0 after refreshFull: wR and wVA are its residuals at this b
      break;
    }
    if (cancelled) { status = STATUS_CANCELLED; break; }
    if (sweeps + pivots >= maxIt) { status = STATUS_MAXITER; break; }
    // reduced cost f' < 0 of the edge: sigma d_k + w_k rho(-sigma), or -|u_s| for a unit row
    let fprime = -viol;
    for (let j = 0; j < q; j++) stf(wH, j, j == leave ? sigma : 0.0);
    solve(wH);
    for (let j = 0; j < q; j++) stf(wH, j, ldf(wH, j) / ldf(wCS, j));
    if (rsOn) edgeImageC(); else edgeImage();
    let m = rsOn ? breakpointsC(-fprime) : breakpoints(-fprime);
    // restricted: the search needs breakpoints beyond C — redo this pivot in full mode
    if (rsOn && (m == 0 || (!bland && !(-fprime < bpTotal)))) { rsOn = false; rsBlock = true; since = REFRESH; continue; }
    if (m == 0 && art) {
      // flat (to rounding) unit direction with no breakpoint ahead: go the other way
      sigma = -sigma;
      fprime = -fprime;
      for (let j = 0; j < q; j++) stf(wH, j, -ldf(wH, j));
      for (let i = 0; i < n; i++) stf(wV, i, -ldf(wV, i));
      m = breakpoints(-fprime);
    }
    if (m == 0) { status = STATUS_NUMERICAL; break; }
    const k = bland ? argmin(wKey, wId, m) : wselect(wKey, wWt, wId, m, -fprime, listedWeight(m), wSel);
    const enter = ldi(wId, k);
    const t = ldf(wKey, k);
    if (rsOn) {
      // restricted: a frozen row may cross zero before t — redo this pivot in full mode
      let hs = 0.0;
      for (let j = 0; j < q; j++) hs += ldf(wCS, j) * Math.abs(ldf(wH, j));
      if (!(drift() + t * hs <= 0.5 * rsTheta)) { rsOn = false; rsBlock = true; since = REFRESH; continue; }
    }
    gamOK = nextEdgeLengths(leave, enter, sigma);
    const old = ldi(wSlot, leave);
    // degenerate: the residual the step crosses to reach the entering row, t |v_e|, is within that
    // row's zero tolerance — a tie to rounding, so b does not really move (see DEGEN_BLAND)
    const stalled = t * Math.abs(ldf(wV, enter)) <= ZERO_RES * rowScale(enter);
    if (old >= 0) sti(wLab, old, sigma < 0 ? 1 : -1);
    for (let j = 0; j < q; j++) stf(wB, j, ldf(wB, j) + t * ldf(wH, j));
    if (t != 0 && rsOn) {
      for (let kc = 0; kc < rsN; kc++) {
        const i = rsRow(kc);
        if (ldi(wLab, i) == 0) stf(wR, i, 0.0);
        else stf(wR, i, ldf(wR, i) - t * ldf(wV, i));
      }
    } else if (t != 0) {
      for (let i = 0; i < n; i++) {
        if (ldi(wLab, i) == 0) stf(wR, i, 0.0);
        else stf(wR, i, ldf(wR, i) - t * ldf(wV, i));
      }
    }
    // the long step passed the breakpoints before (t, enter): those rows changed side
    if (!bland) {
      for (let a = 0; a < m; a++) {
        const ka = ldf(wKey, a), i = ldi(wId, a);
        if (ka < t || (ka == t && i < enter)) {
          const l = -ldi(wLab, i);
          sti(wLab, i, l);
          gAddRow(i, <f64>l * wgt(i));
        }
      }
    }
    for (let a = 0; a < m; a++) if (ldf(wKey, a) == t) stf(wR, ldi(wId, a), 0.0);
    if (old >= 0) gAddRow(old, wgt(old) * psi(ldi(wLab, old)));
    gAddRow(enter, -wgt(enter) * psi(ldi(wLab, enter)));
    sti(wLab, enter, 0);
    stf(wR, enter, 0.0);
    sti(wSlot, leave, enter);
    pivots++;
    since++;
    fullFresh = false;
    degen = stalled ? degen + 1 : 0;
    f = objective();
    if (f < bestF) { bestF = f; for (let j = 0; j < q; j++) stf(wBest, j, ldf(wB, j)); }
    if (progress(KIND_L1, sweeps + pivots, f, haveDual ? f - dualEst : f) != 0) cancelled = true;
    haveDual = false;
  }
  rsOn = false;
  return status;
}

/** Coordinate descent (at most cdCap sweeps, stop rule cdRel: see runCD), crash and simplex on the
 *  current problem from wB. */
export function plainSolve(cdCap: i32, cdRel: f64 = 0): i32 {
  fresh = false;
  runCD(cdCap, cdRel);
  if (cancelled) return STATUS_CANCELLED;
  startSimplex();
  if (cancelled) return STATUS_CANCELLED;
  return pivotLoop();
}

/** Re-prices the basis in wSlot (labels in wLab) on the true responses of the current problem and
 *  pivots on from there (the globbing driver's final stage). */
export function reprice(): i32 {
  fresh = false;
  dualAt = 0;
  useResponses(pY);
  bestF = Infinity;
  return pivotLoop();
}
