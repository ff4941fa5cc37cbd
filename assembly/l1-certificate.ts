// The optimality certificate of the L1 kernel (assembly/l1.ts; "Certificate" in its header): primal
// and dual values with compensated sums, the dual infeasibility, the rounding floor of F(b), and the
// iterative refinement of the final duals. Results go to the caller's info region (INFO_PRIMAL,
// INFO_DUAL, INFO_DUAL_INFEAS, INFO_RANK = zero residuals), not through globals.
// Twin: src/twin/l1-certificate.ts.
import { INFO_DUAL, INFO_DUAL_INFEAS, INFO_PRIMAL, INFO_RANK } from "./info";
import {
  EPS, ZERO_RES, colT, dataW, dataX, ic, n, nd, pY, pYc, q, rho, tau, wB, wBeta, wCS, wKey, wLab, wR, wSlot, wT,
  wU, wV, wVA, wWt, wgt,
} from "./l1-state";
import {
  CERT_HEAD, certChunks, certDualPass, certPrimalPass, dualKeys, dualPass, floorPass, primalPass, unzeroPass,
} from "./l1-rows";
import { solveT } from "./l1-lu";
import { residuals } from "./l1-simplex";
import { XS, xld } from "./xload";
import { ldf, ldi, stf } from "./mem";

/** wWt holds gapFloor's chunk partials (sum w_i |y_i|, sum_i w_i |a_ij|) of the current problem:
 *  certifyDual's split pass computes them with A^T d (both read y and X) on its first call after
 *  certify's start, and nothing writes wWt until gapFloor, after the certificate. */
let floorParts: bool = false;

/** Running error term of Neumaier's compensated summation (kadd); reset before each sum. */
let kahanC: f64 = 0;
// @ts-ignore: decorator
@inline function kadd(s: f64, x: f64): f64 {
  const t = s + x;
  if (Math.abs(s) >= Math.abs(x)) kahanC += (s - t) + x; else kahanC += (x - t) + s;
  return t;
}

/** Primal F(b) from scratch in the original data and the dual value of the certificate d (built in
 *  wKey; d = 0 when `useDual` is false), with compensated sums, and its infeasibility: basic duals
 *  are clipped into their boxes (accepted violations are within DUAL_TOL), so d is exactly
 *  box-feasible, and DUAL_INFEAS = max_j |(A^T d)_j| / (s_j sum_i |d_i|) measures what is left: the
 *  backward error of A^T d = 0 in column-scaled coordinates (entries <= 1), whose floating-point floor
 *  is ~q eps whatever the data — a column of 1e-80s next to O(1) columns cannot be resolved to
 *  relative accuracy in its own units, and does not need to be.
 *  The dual value is r.d = y.d - b.(A^T d): the LP's dual objective after the translation y -> y - Ab
 *  (which leaves the problem and its dual feasible set unchanged), equal to y.d for an exactly
 *  feasible d. In this form the rounding left in A^T d (reported in DUAL_INFEAS) is not amplified
 *  by |b| — with y ~ 1e8 + O(1) noise, y.d would lose the gap to cancellation.
 *  Over more than one chunk of rows (l1-rows.ts certChunks) every sum here runs by chunks — each
 *  chunk's compensated sum with its own error term, the chunks' sums then added (compensated) in
 *  chunk order and the error terms with them — on the thread pool when there is one.
 *  With `fresh` (l1-simplex.ts freshResiduals: wR and wVA hold the final refresh's residuals and
 *  scales at this b, responses and problem) the residuals are not recomputed from X: only the ties
 *  the refresh zeroed get their r back (l1-rows.ts unzeroPass) — the values residuals(false) gives,
 *  bit for bit, so the same certificate (lad 1e6 x 10: one sweep over X, ~20 ms CPU, less). */
export function certify(useDual: bool, alpha: f64, pInfo: usize, fresh: bool = false): void {
  floorParts = false;
  const items = certChunks(n, q);
  // split: the residuals and the primal partials in one pass (l1-rows.ts certPrimalPass)
  const fused = items > 1 &&
    certPrimalPass(n, nd, q, ic, XS, dataX(), pYc, wB, wBeta, wR, wVA, dataW(), tau, wV, items, fresh);
  if (!fused) {
    if (fresh) unzeroPass(n, nd, q, ic, XS, dataX(), pYc, wB, wBeta, wR, 0, n);
    else residuals(false);
  }
  if (items > 1) {
    // by chunks (l1-rows.ts; partials in wV, free after the solve), added in chunk order
    if (!fused) primalPass(n, q, wR, wVA, dataW(), tau, wV, items);
    const st = CERT_HEAD + q;
    kahanC = 0;
    let f = ldf(wV, 0), e = ldf(wV, 1), z = ldf(wV, 2);
    for (let c = 1; c < items; c++) { f = kadd(f, ldf(wV, c * st)); e += ldf(wV, c * st + 1); z += ldf(wV, c * st + 2); }
    stf(pInfo, INFO_PRIMAL, f + (e + kahanC));
    stf(pInfo, INFO_RANK, z);
    certifyDual(useDual, alpha, pInfo);
    return;
  }
  let zeros = 0;
  kahanC = 0;
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const r = ldf(wR, i);
    if (Math.abs(r) <= ZERO_RES * ldf(wVA, i)) zeros++;
    f = kadd(f, wgt(i) * rho(r));
  }
  stf(pInfo, INFO_PRIMAL, f + kahanC);
  stf(pInfo, INFO_RANK, <f64>zeros);
  certifyDual(useDual, alpha, pInfo);
}

/** The dual half of certify (residuals in wR): d in wKey, its dual value (INFO_DUAL), A^T d in wT,
 *  DUAL_INFEAS (INFO_DUAL_INFEAS). */
export function certifyDual(useDual: bool, alpha: f64, pInfo: usize): void {
  if (XS == 3) certifyDualT<f64>(useDual, alpha, pInfo); else certifyDualT<f32>(useDual, alpha, pInfo);
}
function certifyDualT<T>(useDual: bool, alpha: f64, pInfo: usize): void {
  // the basic rows' d: alpha u clipped into their boxes (into wT, slot order; wT is free until A^T d)
  if (useDual) {
    for (let k = 0; k < q; k++) {
      const i = ldi(wSlot, k), w = wgt(i);
      const hi = w * tau, lo = w * (tau - 1.0);
      const d = alpha * ldf(wU, k);
      stf(wT, k, d > hi ? hi : d < lo ? lo : d);
    }
  }
  const items = certChunks(n, q);
  // split: d, its sums and (first time) the floor's partials into wWt in one pass (certDualPass)
  const floor = !floorParts;
  const fused = items > 1 && certDualPass(n, nd, q, ic, XS, dataX(), pY, dataW(), tau, wLab, alpha, useDual, wSlot, wT,
    wR, wKey, wV, floor ? wWt : 0, items);
  if (fused && floor) floorParts = true;
  if (!fused) {
    dualKeys(n, wLab, dataW(), tau, alpha, useDual, wKey); // d_i = alpha w_i psi_i on non-basic rows
    if (useDual) for (let k = 0; k < q; k++) stf(wKey, ldi(wSlot, k), ldf(wT, k));
  }
  if (items > 1) {
    if (!fused) dualPass(n, nd, q, ic, XS, dataX(), wR, wKey, useDual, wV, items);
    const st = CERT_HEAD + q;
    kahanC = 0;
    let s = ldf(wV, 0), e = ldf(wV, 1), dsum = ldf(wV, 2);
    for (let c = 1; c < items; c++) { s = kadd(s, ldf(wV, c * st)); e += ldf(wV, c * st + 1); dsum += ldf(wV, c * st + 2); }
    stf(pInfo, INFO_DUAL, s + (e + kahanC));
    let infeas = 0.0;
    for (let j = 0; j < q && useDual; j++) {
      let t = ldf(wV, CERT_HEAD + j);
      for (let c = 1; c < items; c++) t += ldf(wV, c * st + CERT_HEAD + j);
      stf(wT, j, t);
      if (dsum > 0) { const v = Math.abs(t) / (ldf(wCS, j) * dsum); if (v > infeas) infeas = v; }
    }
    stf(pInfo, INFO_DUAL_INFEAS, infeas);
    return;
  }
  kahanC = 0;
  let s = 0.0;
  for (let i = 0; i < n; i++) s = kadd(s, ldf(wR, i) * ldf(wKey, i));
  stf(pInfo, INFO_DUAL, s + kahanC);
  let dsum = 0.0;
  for (let i = 0; i < n; i++) dsum += Math.abs(ldf(wKey, i));
  let infeas = 0.0;
  for (let j = 0; j < q && useDual; j++) {
    let t = 0.0;
    if (j < ic) {
      for (let i = 0; i < nd; i++) t += ldf(wKey, i);
    } else {
      const xp = colT<T>(j);
      for (let i = 0; i < n; i++) t += ldf(wKey, i) * xld<T>(xp, i);
    }
    stf(wT, j, t);
    if (dsum > 0) { const v = Math.abs(t) / (ldf(wCS, j) * dsum); if (v > infeas) infeas = v; }
  }
  stf(pInfo, INFO_DUAL_INFEAS, infeas);
}

/** How far F(b) at a vertex can sit above the optimum through rounding alone: the error of evaluating
 *  the residuals, q eps sum_i w_i s_i, plus the effect of the uncertainty beta of the vertex's
 *  coefficients, sum_j beta_j sum_i w_i |a_ij|. Negligible for ordinary data (~1e-14 F); where
 *  coefficients of 1e108 cancel to O(1) residuals, no float64 b fits the basic rows better, and the
 *  gap can only close to this floor. O(nq). */
export function gapFloor(): f64 {
  return XS == 3 ? gapFloorT<f64>() : gapFloorT<f32>();
}
function gapFloorT<T>(): f64 {
  const items = certChunks(n, q);
  if (items > 1) {
    // the partials of the last certify's dual pass (they depend on the data alone), else a pass
    const part = floorParts ? wWt : wV;
    if (!floorParts) floorPass(n, nd, q, ic, XS, dataX(), pY, dataW(), part, items);
    const st = CERT_HEAD + q;
    let wy = ldf(part, 0);
    for (let c = 1; c < items; c++) wy += ldf(part, c * st);
    const qe = <f64>q * EPS;
    let fl = qe * wy;
    for (let j = 0; j < q; j++) {
      let wa = ldf(part, CERT_HEAD + j);
      for (let c = 1; c < items; c++) wa += ldf(part, c * st + CERT_HEAD + j);
      fl += (qe * Math.abs(ldf(wB, j)) + ZERO_RES * ldf(wBeta, j)) * wa;
    }
    return fl;
  }
  let wy = 0.0;
  for (let i = 0; i < n; i++) wy += wgt(i) * Math.abs(ldf(pY, i));
  const qe = <f64>q * EPS;
  let fl = qe * wy;
  for (let j = 0; j < q; j++) {
    let wa = 0.0;
    if (j < ic) {
      for (let i = 0; i < nd; i++) wa += wgt(i);
    } else {
      const xp = colT<T>(j);
      for (let i = 0; i < n; i++) wa += wgt(i) * Math.abs(xld<T>(xp, i));
    }
    fl += (qe * Math.abs(ldf(wB, j)) + ZERO_RES * ldf(wBeta, j)) * wa;
  }
  return fl;
}

/** One step of iterative refinement of the basis duals against A^T d computed by certifyDual (in
 *  wT): u -= M^{-T} (A^T d). Badly scaled bases (entries from 1e-300 to 1e8 in one column, weights
 *  1e-6..1e6) leave A^T d at ~1e-8 relative after the LU solve; one step restores ~1e-16. Needs the
 *  factorisation of the final basis. */
export function refineDuals(): void {
  for (let j = 0; j < q; j++) stf(wT, j, ldf(wT, j) / ldf(wCS, j));
  solveT(wT);
  for (let s = 0; s < q; s++) stf(wU, s, ldf(wU, s) - ldf(wT, s));
}

