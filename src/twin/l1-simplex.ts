// The solver phases of the L1 kernel — twin of assembly/l1-simplex.ts (same functions, same order).
import { progress } from '../abi/progress.js';
import { STATUS_CANCELLED, STATUS_MAXITER, STATUS_NUMERICAL, STATUS_OK } from '../abi/status.js';
import {
  BLOCK, CD_N0, CD_REL, CD_SLOW, CD_SLOW_GAIN, CD_SLOW_MIN, CRASH_REJECT, DEGEN_BLAND, DUAL_ABS, DUAL_TOL, EPS, FACE_MAX_SWEEPS,
  FACE_MIN_ROWS, FACE_SLOW, FACE_TOL, INDEP,
  KIND_L1, PERTURB, PERTURB_GROW, PERTURB_GROWTHS, REFRESH, SUBNORMAL_MIN, ZERO_DIR, ZERO_RES, aij, col, iId, iLab, iPick, iPiv,
  iSlot, ic, jitter, mF, mI, mX, n, nd, pId, pKey, pSel, pWt, psi, q, rB, rBest, rBeta, rCS, rG, rGam,
  rH, rKey, rLU, rQ, rR, rT, rU, rV, rVA, rWt, rXc, rYp, RS_MIN_ROWS, rho, rsCap, tau, useResponses, wgt, yb, ycb,
} from './l1-state.js';
import { columnScales, edgeLength2, factor, solve, solveT } from './l1-lu.js';
import { argmin, wselect, wthin } from './select.js';

// ---- vertex bookkeeping (private) ----
let nmass = 0;

// ---- face restriction (see assembly/l1-simplex.ts pivotLoop) ----
const RS_WINDOW = 64;
let rsOn = false;      // pivots run on the rows C, listed in iId[n - rsN, n) in row order
let rsBlock = false;   // the next full refresh may not restrict
let rsHist = false;    // rQ[0, q) holds b at the last full refresh, made at pivot rsP0
let rsN = 0;
let rsP0 = 0;
let rsTheta = 0;
let rsF0 = 0;
let rsMass0 = 0;       // (the frozen rows' share of g is g_out, at rQ[q, 2q))
let fullFresh = false;

function rsRow(k: number): number { return mI[iId + n - rsN + k]; }
function rsX(k: number, j: number): number { return mF[rXc + (j - ic) * rsN + k]; }
let rsNd = 0;

function drift(): number {
  const F = mF;
  let d = 0.0;
  for (let j = 0; j < q; j++) d += F[rCS + j] * Math.abs(F[rB + j] - F[rQ + j]);
  return d;
}

function frozenF(): number {
  const F = mF;
  let f = rsF0;
  for (let j = 0; j < q; j++) f -= F[rQ + q + j] * (F[rB + j] - F[rQ + j]);
  return f;
}

function gradientC(dst: number): number {
  const F = mF, I = mI;
  for (let j = 0; j < q; j++) F[dst + j] = 0.0;
  let mass = 0.0;
  for (let k = 0; k < rsN; k++) {
    const i = rsRow(k), l = I[iLab + i];
    if (l === 0) continue;
    const c = wgt(i) * psi(l);
    mass += Math.abs(c);
    if (c === 0) continue;
    if (ic !== 0) F[dst] = F[dst] + c * (i < nd ? 1.0 : 0.0);
    for (let j = ic; j < q; j++) F[dst + j] = F[dst + j] + c * rsX(k, j);
  }
  return mass;
}

function objective(): number {
  const F = mF;
  if (rsOn) {
    let fc = frozenF();
    for (let k = 0; k < rsN; k++) {
      const i = rsRow(k), r = F[rR + i];
      if (r !== 0) fc += wgt(i) * rho(r);
    }
    return fc;
  }
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const r = F[rR + i];
    if (r !== 0) f += wgt(i) * rho(r);
  }
  return f;
}

export function residuals(zero: boolean): void {
  fresh = false;
  const F = mF;
  const b0 = ic ? F[rB] : 0.0, a0 = ic ? Math.abs(b0) + F[rBeta] : 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const y = F[ycb + i];
      if (ic !== 0 && i < nd) {
        F[rR + i] = y - b0;
        F[rVA + i] = Math.abs(y) + a0;
      } else {
        F[rR + i] = y;
        F[rVA + i] = Math.abs(y);
      }
    }
    for (let j = ic; j < q; j++) {
      const bj = F[rB + j], ej = F[rBeta + j];
      if (bj === 0 && ej === 0) continue;
      const xp = col(j), X = mX;
      for (let i = i0; i < i1; i++) {
        const x = X[xp + i], t = bj * x;
        F[rR + i] = F[rR + i] - t;
        F[rVA + i] = F[rVA + i] + (Math.abs(t) + ej * Math.abs(x));
      }
    }
    if (zero) {
      for (let i = i0; i < i1; i++) if (Math.abs(F[rR + i]) <= ZERO_RES * F[rVA + i]) F[rR + i] = 0.0;
    }
  }
}

export function residualsOnly(): void {
  fresh = false;
  const F = mF;
  const b0 = ic ? F[rB] : 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const y = F[ycb + i];
      F[rR + i] = ic !== 0 && i < nd ? y - b0 : y;
    }
    for (let j = ic; j < q; j++) {
      const bj = F[rB + j];
      if (bj === 0 && F[rBeta + j] === 0) continue;
      const xp = col(j), X = mX;
      for (let i = i0; i < i1; i++) F[rR + i] = F[rR + i] - bj * X[xp + i];
    }
  }
}

// ---- phase 1: coordinate descent ----

/** Mirror of the kernel's cdStep: keys split around step 0 as they are built (negative keys from
 *  the front, the others from the back, in the kernel's slots), selection on the side holding the
 *  weighted quantile. */
function cdStep(j: number): number {
  const F = mF, I = mI;
  let lo = 0, hi = n - 1;
  let target = 0.0;
  let total = 0.0;
  let wneg = 0.0;
  if (j < ic) {
    for (let i = 0; i < nd; i++) {
      const w = wgt(i);
      if (w > 0) {
        const r = F[rR + i];
        const neg = r < 0;
        const at = neg ? lo : hi;
        F[rKey + at] = r;
        F[rWt + at] = w;
        I[iId + at] = i;
        if (neg) { wneg += w; lo++; } else hi--;
        target += w * tau;
        total += w;
      }
    }
  } else {
    const xp = col(j), X = mX;
    const tp = tau, tn = 1.0 - tau;
    for (let i = 0; i < n; i++) {
      const a = X[xp + i], w = wgt(i);
      if (a !== 0 && w > 0) {
        const om = w * Math.abs(a);
        const key = F[rR + i] / a;
        const neg = key < 0;
        const at = neg ? lo : hi;
        F[rKey + at] = key;
        F[rWt + at] = om;
        I[iId + at] = i;
        if (neg) { wneg += om; lo++; } else hi--;
        target += om * (a > 0 ? tp : tn);
        total += om;
      }
    }
  }
  const m = lo + (n - 1 - hi);
  if (m === 0) return 0;
  let k: number;
  if (lo > 0 && (wneg >= target || lo === m)) {
    k = wselect(pKey, pWt, pId, lo, target, wneg, pSel);
  } else {
    const o = hi + 1;
    k = o + wselect(pKey + 8 * o, pWt + 8 * o, pId + 4 * o, m - lo, target - wneg, total - wneg, pSel);
  }
  I[iPick + j] = I[iId + k];
  const delta = F[rKey + k];
  if (delta === 0) return 0;
  F[rB + j] = F[rB + j] + delta;
  if (j < ic) {
    for (let i = 0; i < nd; i++) F[rR + i] = F[rR + i] - delta;
  } else {
    const xp = col(j), X = mX;
    for (let i = 0; i < n; i++) F[rR + i] = F[rR + i] - delta * X[xp + i];
  }
  return delta;
}

// ---- phase 2: crash, then Barrodale–Roberts pivots ----

function orthogonalise(m: number): number {
  const F = mF;
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < m; k++) {
      const qk = rQ + k * q;
      let c = 0.0;
      for (let j = 0; j < q; j++) c += F[qk + j] * F[rT + j];
      for (let j = 0; j < q; j++) F[rT + j] = F[rT + j] - c * F[qk + j];
    }
  }
  let s = 0.0;
  for (let j = 0; j < q; j++) s += F[rT + j] * F[rT + j];
  return Math.sqrt(s);
}

function appendQ(m: number, nrm: number): void {
  const F = mF;
  const qm = rQ + m * q;
  for (let j = 0; j < q; j++) F[qm + j] = F[rT + j] / nrm;
}

function crashRow(i: number, m: number): number {
  const F = mF, I = mI;
  let s = 0.0;
  for (let j = 0; j < q; j++) { const a = aij(i, j) / F[rCS + j]; F[rT + j] = a; s += a * a; }
  if (s === 0) return m;
  const nrm = orthogonalise(m);
  if (!(nrm > INDEP * Math.sqrt(s))) return m;
  appendQ(m, nrm);
  I[iSlot + m] = i;
  return m + 1;
}

export function crash(): void {
  const F = mF, I = mI;
  columnScales();
  let m = 0;
  let rejected = 0;
  for (let i = 0; i < n && m < q && rejected < CRASH_REJECT * q; i++) {
    if (F[rR + i] !== 0 || !(wgt(i) > 0)) continue;
    const m1 = crashRow(i, m);
    if (m1 === m) rejected++;
    m = m1;
  }
  for (let j = 0; j < q && m < q; j++) {
    const i = I[iPick + j];
    if (i >= 0 && F[rR + i] !== 0) m = crashRow(i, m);
  }
  while (m < q) {
    let bestJ = -1;
    let bestR = -1.0;
    for (let j = 0; j < q; j++) {
      let taken = false;
      for (let s = 0; s < m; s++) if (I[iSlot + s] === -1 - j) taken = true;
      if (taken) continue;
      let c = 0.0;
      for (let k = 0; k < m; k++) { const v = F[rQ + k * q + j]; c += v * v; }
      if (1.0 - c > bestR) { bestR = 1.0 - c; bestJ = j; }
    }
    for (let j = 0; j < q; j++) F[rT + j] = j === bestJ ? 1.0 : 0.0;
    appendQ(m, orthogonalise(m));
    I[iSlot + m] = -1 - bestJ;
    m++;
  }
}

function coefficientUncertainty(): void {
  const F = mF, I = mI;
  for (let k = q - 1; k >= 0; k--) {
    let z = 0.0;
    for (let m = k; m < q; m++) z += Math.abs(F[rLU + k * q + m] * F[rB + m] * F[rCS + m]);
    F[rT + k] = z;
  }
  for (let k = q - 1; k >= 0; k--) {
    let z = F[rT + k];
    for (let m = 0; m < k; m++) z += Math.abs(F[rLU + k * q + m]) * F[rT + m];
    F[rT + k] = z;
  }
  for (let k = q - 1; k >= 0; k--) {
    const pr = I[iPiv + k];
    if (pr !== k) { const t = F[rT + k]; F[rT + k] = F[rT + pr]; F[rT + pr] = t; }
  }
  for (let s = 0; s < q; s++) {
    const i = I[iSlot + s];
    if (i < 0) continue;
    let sc = Math.abs(F[ycb + i]);
    for (let j = 0; j < q; j++) sc += Math.abs(aij(i, j) * F[rB + j]);
    F[rT + s] = F[rT + s] + sc;
  }
  for (let j = 0; j < q; j++) F[rBeta + j] = 0.0;
  for (let s = 0; s < q; s++) {
    const noise = F[rT + s];
    for (let j = 0; j < q; j++) F[rH + j] = j === s ? 1.0 : 0.0;
    solve(rH);
    for (let j = 0; j < q; j++) F[rBeta + j] = F[rBeta + j] + Math.abs(F[rH + j]) * noise;
  }
  const c = q * EPS / ZERO_RES, floor = 4 * SUBNORMAL_MIN / ZERO_RES;
  for (let j = 0; j < q; j++) F[rBeta + j] = c * F[rBeta + j] / F[rCS + j] + floor;
}

function rowScale(i: number): number {
  const F = mF;
  let s = Math.abs(F[ycb + i]);
  if (ic !== 0 && i < nd) s += Math.abs(F[rB]) + F[rBeta];
  for (let j = ic; j < q; j++) {
    const bj = F[rB + j], ej = F[rBeta + j];
    if (bj === 0 && ej === 0) continue;
    const x = mX[col(j) + i];
    s += Math.abs(bj * x) + ej * Math.abs(x);
  }
  return s;
}

/** Residual r_i within the zero tolerance of residuals(true) (see assembly/l1-simplex.ts). */
export function tiedRow(i: number, r: number): boolean {
  return Math.abs(r) <= ZERO_RES * rowScale(i);
}

function rowResidual(i: number): number {
  const F = mF;
  let r = F[ycb + i];
  if (ic !== 0 && i < nd) r -= F[rB];
  for (let j = ic; j < q; j++) {
    const bj = F[rB + j];
    if (bj !== 0) r -= bj * mX[col(j) + i];
  }
  return r;
}

function gradient(): void {
  const F = mF, I = mI;
  for (let j = 0; j < q; j++) F[rG + j] = 0.0;
  let mass = 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const l = I[iLab + i];
      const c = l === 0 ? 0.0 : wgt(i) * psi(l);
      F[rKey + i] = c;
      mass += Math.abs(c);
    }
    if (ic) {
      let s = 0.0;
      for (let i = i0; i < i1 && i < nd; i++) s += F[rKey + i];
      F[rG] = F[rG] + s;
    }
    for (let j = ic; j < q; j++) {
      const xp = col(j), X = mX;
      let s = 0.0;
      for (let i = i0; i < i1; i++) s += F[rKey + i] * X[xp + i];
      F[rG + j] = F[rG + j] + s;
    }
  }
  nmass = mass;
}

function gAddRow(i: number, c: number): void {
  const F = mF;
  if (c === 0) return;
  for (let j = 0; j < q; j++) F[rG + j] = F[rG + j] + c * aij(i, j);
}

function refresh(): void {
  const F = mF, I = mI;
  vertexCoefficients();
  residuals(true);
  for (let i = 0; i < n; i++) {
    const l = I[iLab + i], r = F[rR + i];
    if (l > 0 && r < 0) I[iLab + i] = -1;
    else if (l < 0 && r > 0) I[iLab + i] = 1;
  }
  gradient();
}

function vertexCoefficients(): void {
  const F = mF, I = mI;
  for (let s = 0; s < q; s++) {
    const i = I[iSlot + s];
    F[rT + s] = i >= 0 ? F[ycb + i] : F[rB - 1 - i] * F[rCS - 1 - i];
  }
  solve(rT);
  for (let j = 0; j < q; j++) F[rB + j] = F[rT + j] / F[rCS + j];
  for (let s = 0; s < q; s++) {
    const i = I[iSlot + s];
    F[rT + s] = i >= 0 ? rowResidual(i) : 0.0;
  }
  solve(rT);
  for (let j = 0; j < q; j++) F[rB + j] = F[rB + j] + F[rT + j] / F[rCS + j];
  coefficientUncertainty();
}

function edgeImage(): void {
  const F = mF;
  const h0 = ic ? F[rH] : 0.0, a0 = Math.abs(h0);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const i1 = i0 + BLOCK < n ? i0 + BLOCK : n;
    for (let i = i0; i < i1; i++) {
      const data = i < nd;
      F[rV + i] = data ? h0 : 0.0;
      F[rVA + i] = data ? a0 : 0.0;
    }
    for (let j = ic; j < q; j++) {
      const hj = F[rH + j];
      if (hj === 0) continue;
      const xp = col(j), X = mX;
      for (let i = i0; i < i1; i++) {
        const t = hj * X[xp + i];
        F[rV + i] = F[rV + i] + t;
        F[rVA + i] = F[rVA + i] + Math.abs(t);
      }
    }
  }
}

function refreshFull(): void {
  const F = mF, I = mI;
  refresh();
  rsOn = false;
  fullFresh = true;
  const block = rsBlock;
  rsBlock = false;
  let rate = -1.0;
  if (rsHist) rate = drift() / (pivots > rsP0 ? pivots - rsP0 : 1);
  for (let j = 0; j < q; j++) F[rQ + j] = F[rB + j];
  rsP0 = pivots;
  rsHist = true;
  if (block || q < 2 || n < RS_MIN_ROWS || !(rate > 0)) return;
  const theta = RS_WINDOW * rate;
  let c = 0;
  for (let i = 0; i < n; i++) if (I[iLab + i] === 0 || Math.abs(F[rR + i]) <= theta) c++;
  if (c > (n >> 1) || c > rsCap) return;
  rsN = c;
  let k = n - c;
  let f0 = 0.0, m0 = 0.0;
  for (let i = 0; i < n; i++) {
    const l = I[iLab + i], r = F[rR + i];
    if (l === 0 || Math.abs(r) <= theta) { I[iId + k] = i; k++; continue; }
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
    const xp = col(j), X = mX, dst = rXc + (j - ic) * c;
    for (let kc = 0; kc < c; kc++) F[dst + kc] = X[xp + rsRow(kc)];
  }
  gradientC(rT);
  for (let j = 0; j < q; j++) F[rQ + q + j] = F[rG + j] - F[rT + j];
  rsOn = true;
}

function refreshC(): void {
  const F = mF, I = mI;
  vertexCoefficients();
  const b0 = ic ? F[rB] : 0.0, a0 = ic ? Math.abs(b0) + F[rBeta] : 0.0;
  for (let k = 0; k < rsN; k++) {
    const i = rsRow(k), y = F[ycb + i];
    const data = ic !== 0 && i < nd;
    let r = data ? y - b0 : y;
    let s = data ? Math.abs(y) + a0 : Math.abs(y);
    for (let j = ic; j < q; j++) {
      const bj = F[rB + j], ej = F[rBeta + j];
      if (bj === 0 && ej === 0) continue;
      const x = rsX(k, j), t = bj * x;
      r -= t;
      s += Math.abs(t) + ej * Math.abs(x);
    }
    if (Math.abs(r) <= ZERO_RES * s) r = 0;
    F[rR + i] = r;
    F[rVA + i] = s;
    const l = I[iLab + i];
    if (l > 0 && r < 0) I[iLab + i] = -1;
    else if (l < 0 && r > 0) I[iLab + i] = 1;
  }
  nmass = rsMass0 + gradientC(rT);
  for (let j = 0; j < q; j++) F[rG + j] = F[rQ + q + j] + F[rT + j];
  fullFresh = false;
}

/** edgeImage() on C's rows in C's order into rKey, rWt (the kernel runs edgePass over rXc). */
function edgeImageC(): void {
  const F = mF;
  const h0 = ic ? F[rH] : 0.0, a0 = Math.abs(h0);
  for (let k = 0; k < rsN; k++) {
    const data = k < rsNd;
    F[rKey + k] = data ? h0 : 0.0;
    F[rWt + k] = data ? a0 : 0.0;
  }
  for (let j = ic; j < q; j++) {
    const hj = F[rH + j];
    if (hj === 0) continue;
    const xp = rXc + (j - ic) * rsN;
    for (let k = 0; k < rsN; k++) {
      const t = hj * F[xp + k];
      F[rKey + k] = F[rKey + k] + t;
      F[rWt + k] = F[rWt + k] + Math.abs(t);
    }
  }
}

function breakpointsC(target: number): number {
  const F = mF;
  let m = 0;
  bpTotal = 0.0;
  let bound = Infinity, cap = BP_LIST;
  bpBound = Infinity;
  for (let k = 0; k < rsN; k++) {
    const i = rsRow(k), v = F[rKey + k];
    F[rV + i] = v;
    F[rVA + i] = F[rWt + k];
    m = breakpointAt(i, v, m, bound);
    if (m >= cap) { m = dropBeyond(m, target); bound = bpBound; cap = bpCap; }
  }
  return m;
}

let bpTotal = 0;
function breakpoints(target: number): number {
  const F = mF;
  let m = 0;
  bpTotal = 0.0;
  let bound = Infinity, cap = BP_LIST;
  bpBound = Infinity;
  for (let i = 0; i < n; i++) {
    m = breakpointAt(i, F[rV + i], m, bound);
    if (m >= cap) { m = dropBeyond(m, target); bound = bpBound; cap = bpCap; }
  }
  return m;
}

/** The list of breakpoints thinned to those the step can reach or pass (see assembly/l1-simplex.ts). */
const BP_LIST = 512;
let bpBound = Infinity;
let bpCap = 0;
function dropBeyond(m: number, target: number): number {
  const F = mF;
  const w = listedWeight(m);
  if (!(w >= target)) { bpCap = m << 1; return m; }
  const c = wthin(pKey, pWt, pId, m, target, w, pSel);
  let t = -Infinity;
  for (let a = 0; a < c; a++) t = Math.max(t, F[rKey + a]);
  bpBound = t;
  bpCap = c + BP_LIST;
  return c;
}

function listedWeight(m: number): number {
  const F = mF;
  let w = 0.0;
  for (let a = 0; a < m; a++) w += F[rWt + a];
  return w;
}

function breakpointAt(i: number, v: number, m: number, bound: number): number {
  const F = mF, I = mI;
  const l = I[iLab + i];
  if (l === 0) return m;
  if (!(l > 0 ? v > 0 : v < 0)) return m;
  if (Math.abs(v) <= ZERO_DIR * F[rVA + i]) return m;
  const w = wgt(i);
  if (!(w > 0)) return m;
  let t = F[rR + i] / v;
  if (!(t > 0)) t = 0;
  const jump = w * Math.abs(v);
  bpTotal += jump;
  if (!(t <= bound)) return m;
  F[rKey + m] = t;
  F[rWt + m] = jump;
  I[iId + m] = i;
  return m + 1;
}

function typicalScale(): number {
  const F = mF, I = mI;
  let m = 0;
  let sum = 0.0;
  for (let i = 0; i < n; i++) {
    if (!(wgt(i) > 0)) continue;
    const s = F[rVA + i];
    F[rKey + m] = s;
    F[rWt + m] = 1.0;
    I[iId + m] = i;
    sum += s;
    m++;
  }
  if (m === 0) return 0;
  const med = F[rKey + wselect(pKey, pWt, pId, m, 0.5 * m, m, pSel)];
  return med > 0 ? med : sum / m;
}

export let dualAlpha = 1; // read by the driver
/** The O(n) dual value only feeds the progress hook: recomputed on a simplex run's first pivot, when
 *  the responses change, and every DUAL_EVERY pivots (see assembly/l1-simplex.ts dualValue). */
const DUAL_EVERY = 16;
let dualAt = 0;
let dualY = -1;
let dualEstimate = 0;
function dualValue(sum: boolean): number {
  const F = mF, I = mI;
  let alpha = 1.0;
  for (let k = 0; k < q; k++) {
    const d = F[rU + k], w = wgt(I[iSlot + k]);
    const hi = w * tau, lo = w * (tau - 1.0);
    if (d > hi) { const a = hi / d; if (a < alpha) alpha = a; }
    else if (d < lo) { const a = lo / d; if (a < alpha) alpha = a; }
  }
  dualAlpha = alpha;
  if (sum && (pivots >= dualAt || dualY !== ycb)) {
    let s = 0.0;
    if (rsOn) {
      s = frozenF();
      for (let k = 0; k < rsN; k++) {
        const i = rsRow(k), l = I[iLab + i];
        if (l !== 0) s += F[rR + i] * wgt(i) * psi(l);
      }
    } else {
      for (let i = 0; i < n; i++) {
        const l = I[iLab + i];
        if (l !== 0) s += F[rR + i] * wgt(i) * psi(l);
      }
    }
    dualEstimate = alpha * s;
    dualAt = pivots + DUAL_EVERY;
    dualY = ycb;
  }
  return dualEstimate;
}

// ---- run state (reset by resetRun at entry; read by the driver, written only here) ----
export let sweeps = 0;
export let pivots = 0;
export let faceSweeps = 0; // of the sweeps, those of faceDescent (tests read it)
let maxIt = 0;
let cancelled = false;
export let haveDual = false;
export let nonunique = 0;
let bestF = 0;

export function resetRun(maxIter: number): void {
  sweeps = 0; pivots = 0; faceSweeps = 0; maxIt = maxIter;
  cancelled = false; haveDual = false; nonunique = 0;
  fresh = false;
}

// ---- the final refresh's residuals (see assembly/l1-simplex.ts recordFresh) ----
let fresh = false;
let freshY = 0, freshXc = 0, freshR = 0, freshVA = 0, freshB = 0, freshN = 0, freshPivots = 0, freshSweeps = 0;
let freshX: Float64Array | Float32Array | null = null;

function xBase(): number { return q > ic ? col(ic) : -1; }

function recordFresh(): void {
  fresh = true;
  freshY = ycb; freshX = mX; freshXc = xBase(); freshR = rR; freshVA = rVA; freshB = rB;
  freshN = n; freshPivots = pivots; freshSweeps = sweeps;
}

/** True when rR and rVA hold the final refresh's residuals and scales (ties zeroed) for the
 *  current b, beta, responses in use and problem; consumed: false afterwards. */
export function freshResiduals(): boolean {
  const ok = fresh && freshY === ycb && ycb === yb && freshX === mX && freshXc === xBase() && freshR === rR &&
    freshVA === rVA && freshB === rB && freshN === n && freshPivots === pivots && freshSweeps === sweeps;
  fresh = false;
  return ok;
}

export function dropDual(): void { haveDual = false; fresh = false; }

/** One CD sweep over every coordinate, counted; false when no coordinate moved. */
function sweep(): boolean {
  let moved = false;
  for (let j = 0; j < q; j++) if (cdStep(j) !== 0) moved = true;
  sweeps++;
  return moved;
}

function runCD(cap: number, rel: number): void {
  const F = mF;
  residuals(false);
  let f = objective();
  const cdRel = Math.max(rel, n > CD_N0 ? CD_REL * Math.sqrt(CD_N0 / n) : CD_REL);
  let k = 0;
  let prev = 0.0;
  while (k < cap && sweeps < maxIt) {
    const moved = sweep();
    k++;
    const fn = objective();
    const gain = f - fn;
    f = fn;
    if (progress(KIND_L1, sweeps + pivots, f, f) !== 0) { cancelled = true; break; }
    if (!moved || !(gain > cdRel * f)) break;
    if (n >= CD_SLOW_MIN && k >= 3 && gain > CD_SLOW * prev && gain <= CD_SLOW_GAIN * f) break;
    prev = gain;
  }
  for (let j = 0; j < q; j++) F[rBest + j] = F[rB + j];
  bestF = f;
}

function startSimplex(): void {
  dualAt = 0; // a new simplex run: its first dual value is computed
  const F = mF, I = mI;
  grown = 0;
  residuals(false);
  const sres = typicalScale();
  let zeros = 0;
  let mass = 0.0;
  for (let i = 0; i < n; i++) {
    // residuals(true) at this b, in this loop (see assembly/l1-simplex.ts startSimplex)
    let r = F[rR + i];
    if (Math.abs(r) <= ZERO_RES * F[rVA + i]) { r = 0.0; F[rR + i] = 0.0; }
    I[iLab + i] = r < 0 ? -1 : 1;
    const e = PERTURB * (F[rVA + i] + sres) * jitter(i);
    F[rYp + i] = F[yb + i] + e;
    if (r === 0) zeros++;
    mass += wgt(i) * Math.abs(e);
  }
  if (zeros > q && n >= FACE_MIN_ROWS) { // more than q: degenerate (see assembly/l1-simplex.ts)
    useResponses(rYp);
    faceDescent(mass);
    residuals(true);
    for (let i = 0; i < n; i++) I[iLab + i] = F[rR + i] < 0 ? -1 : 1;
  }
  crash();
  useResponses(rYp);
  for (let s = 0; s < q; s++) { const i = I[iSlot + s]; if (i >= 0) I[iLab + i] = 0; }
}

/** Coordinate descent on the perturbed responses from a degenerate vertex (see assembly/l1-simplex.ts). */
function faceDescent(mass: number): void {
  residuals(false);
  let f = objective();
  let prev = 0.0;
  let crawl = 0;
  for (let k = 0; k < FACE_MAX_SWEEPS && sweeps < maxIt; k++) {
    const moved = sweep();
    faceSweeps++;
    const fn = objective();
    const gain = f - fn;
    f = fn;
    if (progress(KIND_L1, sweeps + pivots, f, f) !== 0) { cancelled = true; break; }
    if (!moved || !(gain > FACE_TOL * mass)) break;
    crawl = k > 0 && gain > FACE_SLOW * prev ? crawl + 1 : 0;
    if (crawl >= 2) break;
    prev = gain;
  }
}

let grown = 0; // perturbation growths since startSimplex

function growPerturbation(): void {
  const F = mF;
  for (let i = 0; i < n; i++) F[rYp + i] = F[yb + i] + (F[rYp + i] - F[yb + i]) * PERTURB_GROW;
  grown++;
}

/** A basic dual outside its box by v where the certificate cannot see it (see assembly/l1-simplex.ts). */
function hiddenViolation(i: number, v: number, w: number, ctol: number): boolean {
  if (!(v > DUAL_TOL * w + ctol)) return false;
  let rs = 0.0;
  for (let j = 0; j < q; j++) { const a = Math.abs(aij(i, j)) / mF[rCS + j]; if (a > rs) rs = a; }
  return rs > 0 && v * rs <= ctol;
}

/** Steepest-edge lengths of the next basis from the old factorisation (see assembly/l1-simplex.ts). */
function nextEdgeLengths(leave: number, enter: number, sigma: number): boolean {
  const F = mF;
  for (let j = 0; j < q; j++) F[rT + j] = aij(enter, j) / F[rCS + j];
  solveT(rT);
  for (let j = 0; j < q; j++) F[rU + j] = sigma * F[rH + j] * F[rCS + j];
  solveT(rU);
  const zl = F[rT + leave], gl = F[rGam + leave];
  let ok = zl !== 0;
  for (let s = 0; s < q && ok; s++) {
    if (s === leave) continue;
    const c = F[rT + s] / zl, gs = F[rGam + s];
    const g = gs - 2.0 * c * F[rU + s] + c * c * gl;
    if (!(g > 1e-6 * (gs + c * c * gl))) ok = false;
    F[rGam + s] = g;
  }
  if (ok) {
    const g = gl / (zl * zl);
    if (!(g > 0 && g < Infinity)) ok = false;
    F[rGam + leave] = g;
  }
  return ok;
}

function pivotLoop(): number {
  const F = mF, I = mI;
  let status = -1;
  let sigma = 0.0;
  let f = 0.0;
  let since = REFRESH;
  let degen = 0;
  let dualEst = 0.0;
  let gamOK = false; // rGam holds the squared edge lengths of the current basis
  rsOn = false; rsBlock = false; rsHist = false; fullFresh = false;
  fresh = false;
  while (true) {
    if (!factor()) { status = STATUS_NUMERICAL; break; }
    if (degen >= DEGEN_BLAND && ycb === rYp && grown < PERTURB_GROWTHS) {
      growPerturbation();
      since = REFRESH;
      degen = 0;
      rsOn = false;
    }
    if (since >= REFRESH) {
      if (rsOn && drift() <= 0.5 * rsTheta) refreshC(); else refreshFull();
      since = 0;
      gamOK = false;
      f = objective();
      if (f < bestF) { bestF = f; for (let j = 0; j < q; j++) F[rBest + j] = F[rB + j]; }
    }
    if (!gamOK) { for (let s = 0; s < q; s++) F[rGam + s] = edgeLength2(s); gamOK = true; }
    for (let j = 0; j < q; j++) F[rU + j] = -F[rG + j] / F[rCS + j];
    solveT(rU);
    const bland = degen >= DEGEN_BLAND;
    let leave = -1;
    let score = -1.0;
    let viol = 0.0;
    let art = false;
    nonunique = 0;
    for (let s = 0; s < q; s++) {
      if (I[iSlot + s] >= 0) continue;
      const v = Math.abs(F[rU + s]);
      const sc = v / Math.sqrt(F[rGam + s]);
      if (sc > score) { score = sc; viol = v; leave = s; }
    }
    if (leave >= 0) {
      art = true;
      sigma = F[rU + leave] > 0 ? -1.0 : 1.0;
    } else {
      // D_c: the dual mass with the basic duals clipped into their boxes (the certificate's D). A
      // basic dual whose violation the certificate cannot see is accepted (hiddenViolation) and
      // counts clipped in D as well: its rounding noise (1e149 on a row of 1e-150s) must not widen
      // every other row's tolerance through D.
      let cmass = nmass;
      for (let s = 0; s < q; s++) {
        const d = F[rU + s], w = wgt(I[iSlot + s]);
        const hi = w * tau, lo = w * (tau - 1.0);
        cmass += d > hi ? hi : d < lo ? -lo : Math.abs(d);
      }
      const ctol = DUAL_ABS * cmass;
      let dmass = nmass;
      for (let s = 0; s < q; s++) {
        const i = I[iSlot + s], d = F[rU + s], w = wgt(i);
        const hi = w * tau, lo = w * (tau - 1.0);
        const v = d > hi ? d - hi : d < lo ? lo - d : 0.0;
        dmass += v > 0 && hiddenViolation(i, v, w, ctol) ? (d > hi ? hi : -lo) : Math.abs(d);
      }
      const dtol = DUAL_ABS * dmass;
      for (let s = 0; s < q; s++) {
        const i = I[iSlot + s], d = F[rU + s], w = wgt(i);
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
          if (leave < 0 || i < I[iSlot + leave]) { viol = v; leave = s; sigma = sg; }
        } else {
          const sc = v / Math.sqrt(F[rGam + s]);
          if (sc > score) { score = sc; viol = v; leave = s; sigma = sg; }
        }
      }
      haveDual = true;
      // the optimal exit below: alpha alone (see assembly/l1-simplex.ts dualValue)
      const exit = leave < 0 && since === 0 && fullFresh && ycb === yb;
      dualEst = dualValue(!exit);
    }
    if (leave < 0) {
      if (since > 0 || !fullFresh) { rsOn = false; since = REFRESH; continue; }
      if (ycb !== yb) { useResponses(yb); since = REFRESH; degen = 0; rsOn = false; continue; }
      status = STATUS_OK;
      recordFresh();
      break;
    }
    if (cancelled) { status = STATUS_CANCELLED; break; }
    if (sweeps + pivots >= maxIt) { status = STATUS_MAXITER; break; }
    let fprime = -viol;
    for (let j = 0; j < q; j++) F[rH + j] = j === leave ? sigma : 0.0;
    solve(rH);
    for (let j = 0; j < q; j++) F[rH + j] = F[rH + j] / F[rCS + j];
    if (rsOn) edgeImageC(); else edgeImage();
    let m = rsOn ? breakpointsC(-fprime) : breakpoints(-fprime);
    if (rsOn && (m === 0 || (!bland && !(-fprime < bpTotal)))) { rsOn = false; rsBlock = true; since = REFRESH; continue; }
    if (m === 0 && art) {
      sigma = -sigma;
      fprime = -fprime;
      for (let j = 0; j < q; j++) F[rH + j] = -F[rH + j];
      for (let i = 0; i < n; i++) F[rV + i] = -F[rV + i];
      m = breakpoints(-fprime);
    }
    if (m === 0) { status = STATUS_NUMERICAL; break; }
    const k = bland ? argmin(pKey, pId, m) : wselect(pKey, pWt, pId, m, -fprime, listedWeight(m), pSel);
    const enter = I[iId + k];
    const t = F[rKey + k];
    if (rsOn) {
      let hs = 0.0;
      for (let j = 0; j < q; j++) hs += F[rCS + j] * Math.abs(F[rH + j]);
      if (!(drift() + t * hs <= 0.5 * rsTheta)) { rsOn = false; rsBlock = true; since = REFRESH; continue; }
    }
    gamOK = nextEdgeLengths(leave, enter, sigma);
    const old = I[iSlot + leave];
    const stalled = t * Math.abs(F[rV + enter]) <= ZERO_RES * rowScale(enter);
    if (old >= 0) I[iLab + old] = sigma < 0 ? 1 : -1;
    for (let j = 0; j < q; j++) F[rB + j] = F[rB + j] + t * F[rH + j];
    if (t !== 0 && rsOn) {
      for (let kc = 0; kc < rsN; kc++) {
        const i = rsRow(kc);
        if (I[iLab + i] === 0) F[rR + i] = 0.0;
        else F[rR + i] = F[rR + i] - t * F[rV + i];
      }
    } else if (t !== 0) {
      for (let i = 0; i < n; i++) {
        if (I[iLab + i] === 0) F[rR + i] = 0.0;
        else F[rR + i] = F[rR + i] - t * F[rV + i];
      }
    }
    if (!bland) {
      for (let a = 0; a < m; a++) {
        const ka = F[rKey + a], i = I[iId + a];
        if (ka < t || (ka === t && i < enter)) {
          const l = -I[iLab + i];
          I[iLab + i] = l;
          gAddRow(i, l * wgt(i));
        }
      }
    }
    for (let a = 0; a < m; a++) if (F[rKey + a] === t) F[rR + I[iId + a]] = 0.0;
    if (old >= 0) gAddRow(old, wgt(old) * psi(I[iLab + old]));
    gAddRow(enter, -wgt(enter) * psi(I[iLab + enter]));
    I[iLab + enter] = 0;
    F[rR + enter] = 0.0;
    I[iSlot + leave] = enter;
    pivots++;
    since++;
    fullFresh = false;
    degen = stalled ? degen + 1 : 0;
    f = objective();
    if (f < bestF) { bestF = f; for (let j = 0; j < q; j++) F[rBest + j] = F[rB + j]; }
    if (progress(KIND_L1, sweeps + pivots, f, haveDual ? f - dualEst : f) !== 0) cancelled = true;
    haveDual = false;
  }
  rsOn = false;
  return status;
}

export function plainSolve(cdCap: number, cdRel = 0): number {
  fresh = false;
  runCD(cdCap, cdRel);
  if (cancelled) return STATUS_CANCELLED;
  startSimplex();
  if (cancelled) return STATUS_CANCELLED;
  return pivotLoop();
}

/** Re-prices the basis on the true responses and pivots on (see assembly/l1-simplex.ts). */
export function reprice(): number {
  fresh = false;
  dualAt = 0;
  useResponses(yb);
  bestF = Infinity;
  return pivotLoop();
}
