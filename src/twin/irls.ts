// Huber and smooth-L1 regression by IRLS — pure-TypeScript twin of assembly/irls.ts, statement for
// statement (same loop order, same operations; the WASM residual pass does per f64x2 lane exactly what
// the scalar loop here does), so both backends return the same bits. See assembly/irls.ts for the
// losses, the scale convention, the algorithm and the references.
import { progress } from '../abi/progress.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_OBJECTIVE, INFO_OUTLIERS, INFO_SCALE } from '../abi/info.js';
import { STATUS_CANCELLED, STATUS_MAXITER, STATUS_NUMERICAL, STATUS_OK, STATUS_RANK_DEFICIENT, STATUS_STALLED } from '../abi/status.js';
import { l2Solve, l2_fit, l2_work_bytes } from './l2.js';
import { F64, I32 } from './mem.js';
import { XS, setX, xview } from './xload.js';
import { SELECT_SCRATCH_BYTES, wselect } from './select.js';

const LOSS_HUBER = 1;
/** The kernel's other loss code (the host passes it; the twin tests only for Huber). */
export const LOSS_SMOOTH_L1 = 2;
const KIND_IRLS = 2;
const BLOCK = 512;
const EPS = 2.220446049250313e-16;
const MIN_NORMAL = 2.2250738585072014e-308;
const MAD_TO_SD = 1.482602218505602;
const MEANABS_TO_SD = 1.2533141373155003;
const SIGMA_STEPS = 200;
const ROUNDING = 16.0;
const INNER_SWITCH = 1000.0;
const NEWTON_SWITCH = 0.1;
const NEWTON_HALVINGS = 30;
const ACCEPT = 64.0;

function al16(b: number): number {
  return Math.ceil(b / 16.0) * 16.0;
}

let lastMeanAbs = 0;

export function irls_work_bytes(n: number, p: number): number {
  const nd = n, q = p + 1.0;
  return al16(l2_work_bytes(n, p)) + 3.0 * al16(8.0 * nd) + al16(4.0 * nd) + 3.0 * al16(8.0 * q)
    + al16(SELECT_SCRATCH_BYTES);
}

export function irls_fit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, loss: number,
  param: number, scale: number, ridge: number, maxIter: number, tol: number, pStart: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32 = 0): number {
  setX(xf32);
  const F = F64, I = I32;
  const nb = al16(8.0 * n);
  let pR = pWork + al16(l2_work_bytes(n, p));
  let pU = pR + nb;
  const pT = pU + nb;
  const pId = pT + nb;
  const pB = pId + al16(4.0 * n);
  const pXm = pB + al16(8.0 * (p + 1.0));
  const pBn = pXm + al16(8.0 * (p + 1.0));
  const pSel = pBn + al16(8.0 * (p + 1.0));
  const huber = loss === LOSS_HUBER;
  const yb = pY >>> 3, wb = pW >>> 3, cb = pCoef >>> 3, ib = pInfo >>> 3, xmb = pXm >>> 3;

  for (let k = 0; k < INFO_LEN; k++) F[ib + k] = 0;
  let W = 0.0, yscale = 0.0;
  let npos = 0;
  for (let i = 0; i < n; i++) {
    const w = pW !== 0 ? F[wb + i] : 1.0;
    if (w > 0) {
      W += w;
      npos++;
      const a = Math.abs(F[yb + i]);
      if (a > yscale) yscale = a;
    }
  }
  for (let j = 0; j < p; j++) {
    const col = (pX >>> XS) + j * n, X = xview();
    let m = 0.0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(X[col + i]);
      if (a > m) m = a;
    }
    F[xmb + j] = m;
  }
  const sfloor = yscale > 0 ? EPS * yscale : MIN_NORMAL;

  let epsRef = 0.0;
  if (!huber && param <= 0 && pStart !== 0) {
    const st1 = l2_fit(n, p, pX, pY, pW, intercept, ridge, pB, pInfo, pFlags, pWork, xf32);
    if (st1 === STATUS_RANK_DEFICIENT || st1 === STATUS_NUMERICAL) return st1;
    residuals(n, p, pX, pY, pB, pR);
    epsRef = robustScale(n, pR, pW, W, pU, pT, pId, pSel);
  }
  if (pStart !== 0) {
    for (let j = 0; j <= p; j++) F[cb + j] = F[(pStart >>> 3) + j];
    if (intercept === 0) F[cb] = 0;
    for (let j = 0; j < p; j++) I[(pFlags >>> 2) + j] = 0;
  } else {
    const st0 = l2Solve(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWork, huber || param > 0 ? 1 : 0);
    if (st0 === STATUS_RANK_DEFICIENT || st0 === STATUS_NUMERICAL) return st0;
  }
  residuals(n, p, pX, pY, pCoef, pR);
  let lamB = ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0;

  const d = param;
  const fixed = huber && scale > 0;
  let A = 0.0;
  let s = 0.0;
  let obj = 0.0;
  if (huber) {
    if (fixed) {
      s = scale;
    } else {
      let pe = p + (intercept !== 0 ? 1 : 0);
      if (pe > npos - 1) pe = npos - 1;
      A = W * ((npos - pe) / npos) * huberBeta(d);
      s = huberSigma(n, pR, pW, d, A, lamB, 0.0);
    }
    obj = huberObjective(n, pR, pW, d, s, A, lamB, fixed);
  } else {
    if (param > 0) {
      s = param;
    } else {
      s = -param * (pStart !== 0 ? epsRef : robustScale(n, pR, pW, W, pU, pT, pId, pSel));
      if (!(s >= sfloor)) s = sfloor;
    }
    obj = smoothObjective(n, pR, pW, s, lamB, W);
  }

  let it = 0;
  let status = STATUS_MAXITER;
  let exact = false; // every solve is l2_fit's from now on (see INNER_SWITCH)
  let prevDelta = Infinity;
  let newton = false;
  const bb = pB >>> 3, bnb = pBn >>> 3;
  while (it < maxIter) {
    let stepped = false;
    let objNew = 0.0;
    if (newton) {
      newtonSystem(n, pR, pY, pW, s, pU, pT);
      if (l2Solve(n, p, pX, pT, pU, intercept, 2.0 * s * ridge, pBn, pInfo, pFlags, pWork, exact ? 0 : 1) === STATUS_OK) {
        for (let j = 0; j <= p; j++) F[bb + j] = F[bnb + j];
        let tn = 1.0;
        for (let k = 0; k <= NEWTON_HALVINGS; k++) {
          if (k > 0) {
            tn *= 0.5;
            for (let j = 0; j <= p; j++) F[bb + j] = F[cb + j] + tn * (F[bnb + j] - F[cb + j]);
          }
          residuals(n, p, pX, pY, pB, pU);
          objNew = smoothObjective(n, pU, pW, s, ridge > 0 ? ridge * slopeNorm2(p, pB) : 0.0, W);
          if (objNew <= obj + ACCEPT * EPS * obj) {
            stepped = true;
            break;
          }
        }
      }
    }
    if (!stepped) {
      const su = huber && !fixed && !(s > sfloor) ? sfloor : s;
      irlsWeights(n, pR, pW, huber, huber ? d * su : su, pU);
      const st = l2Solve(n, p, pX, pY, pU, intercept, huber ? ridge : 2.0 * s * ridge, pB, pInfo, pFlags, pWork, exact ? 0 : 1);
      if (st !== STATUS_OK) {
        if (it === 0 && pStart !== 0 && st === STATUS_RANK_DEFICIENT) return st;
        status = STATUS_STALLED;
        break;
      }
      residuals(n, p, pX, pY, pB, pU);
    }
    it++;
    const delta = maxChange(n, pR, pU, pW);
    const t = pR; pR = pU; pU = t;
    for (let j = 0; j <= p; j++) F[cb + j] = F[bb + j];
    lamB = ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0;
    let S = 0.0;
    if (huber) {
      if (!fixed) s = huberSigma(n, pR, pW, d, A, lamB, s);
      obj = huberObjective(n, pR, pW, d, s, A, lamB, fixed);
      S = s;
    } else {
      obj = smoothObjective(n, pR, pW, s, lamB, W);
      S = lastMeanAbs > s ? lastMeanAbs : s;
      newton = delta <= NEWTON_SWITCH * S;
    }
    // Convergence counts only on a step made with l2_fit's solve; the first time the test passes (or
    // the steps become small or stop shrinking) with the inner solve, the next steps switch to it.
    const conv = delta <= tol * S || delta <= ROUNDING * EPS * roundingSize(p, pCoef, pXm, yscale);
    if (conv && exact) {
      status = STATUS_OK;
      break;
    }
    if (conv || delta <= INNER_SWITCH * tol * S || !(delta < prevDelta)) exact = true;
    prevDelta = delta;
    if (progress(KIND_IRLS, it, obj, NaN) !== 0) {
      status = STATUS_CANCELLED;
      break;
    }
  }

  F[ib + INFO_OBJECTIVE] = obj;
  F[ib + INFO_ITERATIONS] = it;
  F[ib + INFO_SCALE] = s;
  F[ib + INFO_OUTLIERS] = huber ? countOutliers(n, pR, d * s) : 0.0;
  let finite = obj === obj && Math.abs(obj) < Infinity;
  for (let j = 0; j <= p; j++) {
    if (!(Math.abs(F[cb + j]) < Infinity)) finite = false;
  }
  if (!finite) return STATUS_NUMERICAL;
  return status;
}

// ---------------------------------------------------------------------------------------------

function residuals(n: number, p: number, pX: number, pY: number, pC: number, pOut: number): void {
  const F = F64, X = xview();
  const cb = pC >>> 3;
  const b0 = F[cb];
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const len = Math.min(BLOCK, n - i0);
    const yb = (pY >>> 3) + i0;
    const ob = (pOut >>> 3) + i0;
    for (let i = 0; i < len; i++) F[ob + i] = F[yb + i] - b0;
    for (let j = 0; j < p; j++) {
      const bj = F[cb + j + 1];
      const xb = (pX >>> XS) + j * n + i0;
      for (let i = 0; i < len; i++) F[ob + i] = F[ob + i] - X[xb + i] * bj;
    }
  }
}

function roundingSize(p: number, pC: number, pXm: number, yscale: number): number {
  const F = F64;
  const cb = pC >>> 3, xb = pXm >>> 3;
  let R = yscale + Math.abs(F[cb]);
  for (let j = 0; j < p; j++) R += Math.abs(F[cb + j + 1]) * F[xb + j];
  return R;
}

function slopeNorm2(p: number, pC: number): number {
  const F = F64;
  const cb = pC >>> 3;
  let s = 0.0;
  for (let j = 1; j <= p; j++) {
    const b = F[cb + j];
    s += b * b;
  }
  return s;
}

function maxChange(n: number, pOld: number, pNew: number, pW: number): number {
  const F = F64;
  const ob = pOld >>> 3, nb = pNew >>> 3, wb = pW >>> 3;
  let m = 0.0;
  for (let i = 0; i < n; i++) {
    if ((pW !== 0 ? F[wb + i] : 1.0) > 0) {
      const a = Math.abs(F[nb + i] - F[ob + i]);
      if (a > m) m = a;
    }
  }
  return m;
}

function irlsWeights(n: number, pR: number, pW: number, huber: boolean, c: number, pU: number): void {
  const F = F64;
  const rb = pR >>> 3, wb = pW >>> 3, ub = pU >>> 3;
  if (huber) {
    for (let i = 0; i < n; i++) {
      const w = pW !== 0 ? F[wb + i] : 1.0;
      const a = Math.abs(F[rb + i]);
      F[ub + i] = a <= c ? w : w * (c / a);
    }
  } else {
    for (let i = 0; i < n; i++) {
      const t = F[rb + i] / c;
      F[ub + i] = (pW !== 0 ? F[wb + i] : 1.0) / Math.sqrt(t * t + 1.0);
    }
  }
}

function newtonSystem(n: number, pR: number, pY: number, pW: number, e: number, pH: number, pZ: number): void {
  const F = F64;
  const rb = pR >>> 3, yb = pY >>> 3, wb = pW >>> 3, hb = pH >>> 3, zb = pZ >>> 3;
  for (let i = 0; i < n; i++) {
    const r = F[rb + i];
    const u = r / e;
    if (Math.abs(u) <= 1e100) {
      const q = Math.sqrt(u * u + 1.0);
      F[hb + i] = (pW !== 0 ? F[wb + i] : 1.0) / (q * (q * q));
      F[zb + i] = F[yb + i] + r * (u * u);
    } else {
      F[hb + i] = 0.0;
      F[zb + i] = F[yb + i];
    }
  }
}

function countOutliers(n: number, pR: number, c: number): number {
  const F = F64;
  const rb = pR >>> 3;
  let k = 0;
  for (let i = 0; i < n; i++) if (Math.abs(F[rb + i]) > c) k++;
  return k;
}

function huberSigma(n: number, pR: number, pW: number, d: number, A: number, lamB: number, prev: number): number {
  const F = F64;
  const rb = pR >>> 3, wb = pW >>> 3;
  const d2 = d * d;
  let sall = 0.0, wnz = 0.0;
  for (let i = 0; i < n; i++) {
    const w = pW !== 0 ? F[wb + i] : 1.0;
    if (w > 0) {
      const r = F[rb + i];
      sall += w * (r * r);
      if (r !== 0) wnz += w;
    }
  }
  if (lamB === 0 && d2 * wnz <= A) return 0.0;
  const hi = Math.sqrt((sall + lamB) / A);
  let s = prev > 0 && prev < hi ? prev : hi;
  let first = true;
  for (let k = 0; k < SIGMA_STEPS; k++) {
    const c = d * s;
    let sin = 0.0, wout = 0.0;
    for (let i = 0; i < n; i++) {
      const w = pW !== 0 ? F[wb + i] : 1.0;
      if (w > 0) {
        const r = F[rb + i];
        if (Math.abs(r) <= c) sin += w * (r * r);
        else wout += w;
      }
    }
    const den = A - d2 * wout;
    if (!(den > 0)) {
      if (first && s !== hi) {
        first = false;
        s = hi;
        continue;
      }
      break;
    }
    const sn = Math.sqrt((sin + lamB) / den);
    if (first) {
      first = false;
      if (sn > s) {
        s = sn < hi ? sn : hi;
        continue;
      }
    }
    if (!(sn < s)) break;
    s = sn;
  }
  return s;
}

function huberObjective(n: number, pR: number, pW: number, d: number, s: number, A: number, lamB: number, fixed: boolean): number {
  const F = F64;
  const rb = pR >>> 3, wb = pW >>> 3;
  if (!fixed && s === 0) {
    let l1 = 0.0;
    for (let i = 0; i < n; i++) l1 += (pW !== 0 ? F[wb + i] : 1.0) * Math.abs(F[rb + i]);
    return 2.0 * d * l1;
  }
  const c = d * s;
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const w = pW !== 0 ? F[wb + i] : 1.0;
    const r = F[rb + i];
    const a = Math.abs(r);
    f += a <= c ? w * (r * r) : w * (c * (2.0 * a - c));
  }
  f += lamB;
  return fixed ? f : f / s + A * s;
}

function smoothObjective(n: number, pR: number, pW: number, e: number, lamB: number, W: number): number {
  const F = F64;
  const rb = pR >>> 3, wb = pW >>> 3;
  let f = 0.0, m = 0.0;
  for (let i = 0; i < n; i++) {
    const w = pW !== 0 ? F[wb + i] : 1.0;
    const a = Math.abs(F[rb + i]);
    const t = a / e;
    f += t <= 1e8 ? w * (e * (t * t) / (Math.sqrt(t * t + 1.0) + 1.0)) : w * (a - e);
    m += w * a;
  }
  lastMeanAbs = m / W;
  return f + lamB;
}

function robustScale(n: number, pR: number, pW: number, W: number, pKey: number, pWt: number, pId: number,
  pScratch: number): number {
  const F = F64, I = I32;
  const rb = pR >>> 3, wb = pW >>> 3, kb = pKey >>> 3, tb = pWt >>> 3, idb = pId >>> 2;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const w = pW !== 0 ? F[wb + i] : 1.0;
    if (w > 0) {
      F[kb + m] = F[rb + i];
      F[tb + m] = w;
      I[idb + m] = i;
      m++;
    }
  }
  if (m === 0) return 0.0;
  const med = F[kb + wselect(pKey, pWt, pId, m, 0.5 * W, W, pScratch)];
  let mean = 0.0;
  for (let k = 0; k < m; k++) {
    const a = Math.abs(F[kb + k] - med);
    F[kb + k] = a;
    mean += F[tb + k] * a;
  }
  const mad = F[kb + wselect(pKey, pWt, pId, m, 0.5 * W, W, pScratch)];
  return mad > 0 ? MAD_TO_SD * mad : MEANABS_TO_SD * (mean / W);
}

// ---------------------------------------------------------------------------------------------
// beta(d) = E min(Z^2, d^2): see assembly/irls.ts (same operations, no Math.exp).

const LN2_HI = 6.93147180369123816490e-01;
const LN2_LO = 1.90821492927058770002e-10;
const INV_LN2 = 1.44269504088896338700e+00;
const SQRT_2_OVER_PI = 0.7978845608028654;
const INV_SQRT_2PI = 0.3989422804014327;

function expNeg(x: number): number {
  const k = Math.floor(x * INV_LN2 + 0.5);
  const r = (x - k * LN2_HI) - k * LN2_LO;
  let s = 1.0;
  for (let i = 17; i >= 1; i--) s = 1.0 + s * r / i;
  let t = 1.0;
  for (let i = 0.0; i > k; i -= 1.0) t *= 0.5;
  return s * t;
}

/** E min(Z², d²) for Z ~ N(0, 1): the consistency constant of Huber's proposal-2 scale. */
export function huberBeta(d: number): number {
  if (d > 12) return 1.0;
  const d2 = d * d;
  if (d < 1) {
    let term = d, T = 0.0, P = 0.0;
    for (let k = 0; k < 40; k++) {
      P += term / (2 * k + 1);
      T += term * d2 / (2 * k + 3);
      term = term * (-0.5 * d2) / (k + 1);
    }
    return SQRT_2_OVER_PI * T + d2 * (1.0 - SQRT_2_OVER_PI * P);
  }
  const phi = INV_SQRT_2PI * expNeg(-0.5 * d2);
  let cf = 0.0;
  for (let k = 400; k >= 1; k--) cf = k / (d + cf);
  const Q = phi / (d + cf);
  return 1.0 - 2.0 * d * phi - 2.0 * (1.0 - d2) * Q;
}
