// The optimality certificate of the L1 kernel — twin of assembly/l1-certificate.ts (results go to the
// caller's info region).
import { INFO_DUAL, INFO_DUAL_INFEAS, INFO_PRIMAL, INFO_RANK } from '../abi/info.js';
import {
  EPS, ZERO_RES, col, iLab, iSlot, ic, mF, mI, mX, n, nd, psi, q, rB, rBeta, rCS, rKey, rR, rT, rU,
  rVA, rho, tau, wgt, yb, ycb,
} from './l1-state.js';
import { solveT } from './l1-lu.js';
import { residuals } from './l1-simplex.js';
import { ROW_CHUNK, certChunks } from './l1-rows.js';

let kahanC = 0;
function kadd(s: number, x: number): number {
  const t = s + x;
  if (Math.abs(s) >= Math.abs(x)) kahanC += (s - t) + x; else kahanC += (x - t) + s;
  return t;
}

/** Compensated sum of rows [r0, r1) of x(i) from zero: [sum, error term]. */
function chunkSum(r0: number, r1: number, x: (i: number) => number): [number, number] {
  let f = 0.0, e = 0.0;
  for (let i = r0; i < r1; i++) {
    const v = x(i);
    const t = f + v;
    if (Math.abs(f) >= Math.abs(v)) e += (f - t) + v; else e += (v - t) + f;
    f = t;
  }
  return [f, e];
}

/** residuals(false)'s r from the final refresh's (ties zeroed; see assembly/l1-rows.ts unzeroPass):
 *  rows at 0 get y_i - a_i.b back, in residuals()' operations and order. */
function unzero(): void {
  const F = mF, X = mX;
  for (let i = 0; i < n; i++) {
    if (F[rR + i] !== 0) continue;
    const y = F[ycb + i];
    let r = ic !== 0 && i < nd ? y - F[rB] : y;
    for (let j = ic; j < q; j++) {
      const bj = F[rB + j], ej = F[rBeta + j];
      if (bj === 0 && ej === 0) continue;
      r = r - bj * X[col(j) + i];
    }
    F[rR + i] = r;
  }
}

/** Writes INFO_PRIMAL, INFO_RANK, INFO_DUAL, INFO_DUAL_INFEAS at the info region (f64 index base). */
export function certify(useDual: boolean, alpha: number, info: number, fresh = false): void {
  const F = mF;
  if (fresh) unzero(); else residuals(false);
  const items = certChunks(n, q);
  if (items > 1) {
    // by chunks, added in chunk order (see assembly/l1-certificate.ts)
    kahanC = 0;
    let f = 0, e = 0, z = 0;
    for (let c = 0; c < items; c++) {
      const r0 = c * ROW_CHUNK, r1 = Math.min(n, r0 + ROW_CHUNK);
      let zc = 0;
      for (let i = r0; i < r1; i++) if (Math.abs(F[rR + i]) <= ZERO_RES * F[rVA + i]) zc++;
      const [fc, ec] = chunkSum(r0, r1, (i) => wgt(i) * rho(F[rR + i]));
      if (c === 0) { f = fc; e = ec; z = zc; } else { f = kadd(f, fc); e += ec; z += zc; }
    }
    F[info + INFO_PRIMAL] = f + (e + kahanC);
    F[info + INFO_RANK] = z;
    certifyDual(useDual, alpha, info);
    return;
  }
  let zeros = 0;
  kahanC = 0;
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const r = F[rR + i];
    if (Math.abs(r) <= ZERO_RES * F[rVA + i]) zeros++;
    f = kadd(f, wgt(i) * rho(r));
  }
  F[info + INFO_PRIMAL] = f + kahanC;
  F[info + INFO_RANK] = zeros;
  certifyDual(useDual, alpha, info);
}

export function certifyDual(useDual: boolean, alpha: number, info: number): void {
  const F = mF, I = mI;
  for (let i = 0; i < n; i++) {
    const l = I[iLab + i];
    F[rKey + i] = useDual && l !== 0 ? alpha * wgt(i) * psi(l) : 0.0;
  }
  if (useDual) {
    for (let k = 0; k < q; k++) {
      const i = I[iSlot + k], w = wgt(i);
      const hi = w * tau, lo = w * (tau - 1.0);
      const d = alpha * F[rU + k];
      F[rKey + i] = d > hi ? hi : d < lo ? lo : d;
    }
  }
  const items = certChunks(n, q);
  if (items > 1) {
    kahanC = 0;
    let s = 0, e = 0, dsum = 0;
    const t = new Float64Array(q);
    for (let c = 0; c < items; c++) {
      const r0 = c * ROW_CHUNK, r1 = Math.min(n, r0 + ROW_CHUNK);
      const [sc, ec] = chunkSum(r0, r1, (i) => F[rR + i] * F[rKey + i]);
      let dc = 0.0;
      for (let i = r0; i < r1; i++) dc += Math.abs(F[rKey + i]);
      if (c === 0) { s = sc; e = ec; dsum = dc; } else { s = kadd(s, sc); e += ec; dsum += dc; }
      for (let j = 0; j < q && useDual; j++) {
        let tc = 0.0;
        if (j < ic) {
          for (let i = r0; i < r1 && i < nd; i++) tc += F[rKey + i];
        } else {
          const xp = col(j), X = mX;
          for (let i = r0; i < r1; i++) tc += F[rKey + i] * X[xp + i];
        }
        t[j] = c === 0 ? tc : t[j] + tc;
      }
    }
    F[info + INFO_DUAL] = s + (e + kahanC);
    let infeas = 0.0;
    for (let j = 0; j < q && useDual; j++) {
      F[rT + j] = t[j];
      if (dsum > 0) { const v = Math.abs(t[j]) / (F[rCS + j] * dsum); if (v > infeas) infeas = v; }
    }
    F[info + INFO_DUAL_INFEAS] = infeas;
    return;
  }
  kahanC = 0;
  let s = 0.0;
  for (let i = 0; i < n; i++) s = kadd(s, F[rR + i] * F[rKey + i]);
  F[info + INFO_DUAL] = s + kahanC;
  let dsum = 0.0;
  for (let i = 0; i < n; i++) dsum += Math.abs(F[rKey + i]);
  let infeas = 0.0;
  for (let j = 0; j < q && useDual; j++) {
    let t = 0.0;
    if (j < ic) {
      for (let i = 0; i < nd; i++) t += F[rKey + i];
    } else {
      const xp = col(j), X = mX;
      for (let i = 0; i < n; i++) t += F[rKey + i] * X[xp + i];
    }
    F[rT + j] = t;
    if (dsum > 0) { const v = Math.abs(t) / (F[rCS + j] * dsum); if (v > infeas) infeas = v; }
  }
  F[info + INFO_DUAL_INFEAS] = infeas;
}

export function gapFloor(): number {
  const F = mF;
  const items = certChunks(n, q);
  if (items > 1) {
    let wy = 0;
    const wa = new Float64Array(q);
    for (let c = 0; c < items; c++) {
      const r0 = c * ROW_CHUNK, r1 = Math.min(n, r0 + ROW_CHUNK);
      let wc = 0.0;
      for (let i = r0; i < r1; i++) wc += wgt(i) * Math.abs(F[yb + i]);
      wy = c === 0 ? wc : wy + wc;
      for (let j = 0; j < q; j++) {
        let a = 0.0;
        if (j < ic) {
          for (let i = r0; i < r1 && i < nd; i++) a += wgt(i);
        } else {
          const xp = col(j), X = mX;
          for (let i = r0; i < r1; i++) a += wgt(i) * Math.abs(X[xp + i]);
        }
        wa[j] = c === 0 ? a : wa[j] + a;
      }
    }
    const qe = q * EPS;
    let fl = qe * wy;
    for (let j = 0; j < q; j++) fl += (qe * Math.abs(F[rB + j]) + ZERO_RES * F[rBeta + j]) * wa[j];
    return fl;
  }
  let wy = 0.0;
  for (let i = 0; i < n; i++) wy += wgt(i) * Math.abs(F[yb + i]);
  const qe = q * EPS;
  let fl = qe * wy;
  for (let j = 0; j < q; j++) {
    let wa = 0.0;
    if (j < ic) {
      for (let i = 0; i < nd; i++) wa += wgt(i);
    } else {
      const xp = col(j), X = mX;
      for (let i = 0; i < n; i++) wa += wgt(i) * Math.abs(X[xp + i]);
    }
    fl += (qe * Math.abs(F[rB + j]) + ZERO_RES * F[rBeta + j]) * wa;
  }
  return fl;
}

export function refineDuals(): void {
  const F = mF;
  for (let j = 0; j < q; j++) F[rT + j] = F[rT + j] / F[rCS + j];
  solveT(rT);
  for (let s = 0; s < q; s++) F[rU + s] = F[rU + s] - F[rT + s];
}

