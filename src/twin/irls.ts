// Huber and smooth-L1 regression by IRLS — pure-TypeScript twin of assembly/irls.ts, statement for
// statement (same loop order, same operations; the WASM residual pass does per f64x2 lane exactly what
// the scalar loop here does), so both backends return the same bits. See assembly/irls.ts for the
// losses, the scale convention, the algorithm and the references.
import { progress } from '../abi/progress.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_OBJECTIVE, INFO_OUTLIERS, INFO_RCOND, INFO_SCALE } from '../abi/info.js';
import { STATUS_CANCELLED, STATUS_MAXITER, STATUS_NUMERICAL, STATUS_OK, STATUS_RANK_DEFICIENT, STATUS_STALLED } from '../abi/status.js';
import { l2Solve, l2_work_bytes } from './l2.js';
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
const GB = 128;
const HUBER_NEWTON_MAX = 60;
const PIVOT_MIN = 1e-10;
/** Quadratic regime: a full step that moved the fitted values by at most QUAD sqrt(tol) s. */
const QUAD = 0.01;
const KAPPA_FINAL = 1e4;
const PILOT_MIN_ROWS = 1000.0;
const PILOT_PER_COEF = 40.0;
const PILOT_FACTOR = 8.0;
const PILOT_TOL = 1e-6;
const PILOT_MAXITER = 100;
const BAND_MIN = 2.0;
const NB = 14;
const TAIL = 3e-3;
const CHORD = 0.01;
const SMOOTH_NEWTON_MAX = 50;

/** Rows per chunk of the row-chunk passes (assembly/irls.ts "Row chunks": sums per chunk from zero,
 *  the chunks' sums added in chunk order — the decomposition the kernel's threads share). */
const CHUNK = 16384;
const PAR_ARGS = 28;
/** Listed rows per part of gramRows (assembly/irls.ts): one part, the sequential sweep, up to it. */
const GRAM_PART = 16384;

function chunkCount(n: number): number {
  return n <= CHUNK ? 1 : Math.ceil(n / CHUNK);
}

/** The kernel's argument region, partial slots (4 (p + 1) f64, rounded up to even, per chunk) and
 *  gramRows parts ((p + 1)(p + 2) f64, rounded up to even, per part of GRAM_PART rows); the twin is one
 *  participant (no scratch for more). */
function parBytes(n: number, p: number): number {
  const parts = n <= GRAM_PART ? 1 : Math.ceil(n / GRAM_PART);
  return al16(8.0 * PAR_ARGS) + al16(8.0 * chunkCount(n) * ((4 * (p + 1) + 1) & ~1)) +
    al16(8.0 * parts * (((p + 1) * (p + 2) + 1) & ~1));
}

function al16(b: number): number {
  return Math.ceil(b / 16.0) * 16.0;
}

let lastMeanAbs = 0;
/** True while the pilot fit runs (its steps are not reported to the progress hook). */
let quiet = false;

export function irls_work_bytes(n: number, p: number): number {
  const nd = n, q = p + 1.0;
  return al16(nd) + al16(l2_work_bytes(n, p)) + 3.0 * al16(8.0 * nd) + al16(4.0 * nd) + 3.0 * al16(8.0 * q)
    + al16(SELECT_SCRATCH_BYTES) + newtonWorkBytes(n, p) + parBytes(n, p) + pilotBytes(n, p);
}

function pilotRows(n: number, p: number): number {
  let m = PILOT_PER_COEF * (p + 1.0);
  if (m < PILOT_MIN_ROWS) m = PILOT_MIN_ROWS;
  return n >= PILOT_FACTOR * m ? m : 0;
}

function pilotBytes(n: number, p: number): number {
  const m = pilotRows(n, p);
  if (m === 0) return 0.0;
  return al16(8.0 * m * p) + 2.0 * al16(8.0 * m) + al16(8.0 * INFO_LEN) + al16(4.0 * (p > 0 ? p : 1)) + irls_work_bytes(m, p);
}

function newtonWorkBytes(n: number, p: number): number {
  const q = p + 1.0;
  return al16(4.0 * n) + 2.0 * al16(8.0 * q * q) + 5.0 * al16(8.0 * q) + al16(8.0 * GB * (q + 1.0)) + al16(8.0 * GB);
}

export function irls_fit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, loss: number,
  param: number, scale: number, ridge: number, maxIter: number, tol: number, pStart: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32 = 0): number {
  setX(xf32);
  const F = F64, I = I32;
  const nb = al16(8.0 * n);
  const pMask = pWork;
  const pWk = pWork + al16(n);
  let pR = pWk + al16(l2_work_bytes(n, p));
  let pU = pR + nb;
  const pT = pU + nb;
  const pId = pT + nb;
  const pB = pId + al16(4.0 * n);
  const pXm = pB + al16(8.0 * (p + 1.0));
  const pBn = pXm + al16(8.0 * (p + 1.0));
  const pSel = pBn + al16(8.0 * (p + 1.0));
  const q = p + 1.0;
  const pL = pSel + al16(SELECT_SCRATCH_BYTES);
  const pG = pL + al16(4.0 * n);
  const pUf = pG + al16(8.0 * q * q);
  const pM = pUf + al16(8.0 * q * q);
  const pGd = pM + al16(8.0 * q);
  const pDir = pGd + al16(8.0 * q);
  const pDg = pDir + al16(8.0 * q);
  const pGo = pDg + al16(8.0 * q);
  const pBuf = pGo + al16(8.0 * q);
  const pSw = pBuf + al16(8.0 * GB * (q + 1.0));
  const pPil = pSw + al16(8.0 * GB) + parBytes(n, p); // after the row-chunk pass region (WASM)
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
    // row-chunk pass in the kernel: the maximum of the chunks' maxima (the same value)
    const col = (pX >>> XS) + j * n, X = xview();
    let m = 0.0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(X[col + i]);
      if (a > m) m = a;
    }
    F[xmb + j] = m;
  }
  const sfloor = yscale > 0 ? EPS * yscale : MIN_NORMAL;

  // Huber on many rows without a start: the pilot fit on a subsample (see assembly/irls.ts).
  let sPilot = -1.0;
  if (huber && maxIter > 1 && pStart === 0 && pilotRows(n, p) > 0) {
    sPilot = pilotFit(n, p, pX, pY, pW, intercept, LOSS_HUBER, param, scale, ridge, W, pCoef, pPil, pL);
    setX(xf32);
  }

  let epsRef = 0.0;
  if (!huber && param <= 0 && pStart !== 0) {
    const st1 = l2Solve(n, p, pX, pY, pW, intercept, ridge, pB, pInfo, pFlags, pWk, 1);
    if (st1 === STATUS_RANK_DEFICIENT || st1 === STATUS_NUMERICAL) return st1;
    residuals(n, p, pX, pY, pB, pR);
    epsRef = robustScale(n, pR, pW, W, pU, pT, pId, pSel);
  }
  // Huber: the inlier Gram matrix of the Newton phase, first over all rows of positive weight.
  const j0 = intercept !== 0 ? 0 : 1;
  let newtonOn = huber && maxIter > 1;
  let newtonStart = false;
  if (newtonOn && sPilot >= 0) {
    colMeans(n, p, pX, pW, W, intercept, pM);
    for (let i = 0; i < n; i++) I[(pId >>> 2) + i] = 0;
    zeroGram(p, pG);
    for (let j = 0; j < p; j++) I[(pFlags >>> 2) + j] = 0;
    newtonStart = true;
  } else if (newtonOn) {
    colMeans(n, p, pX, pW, W, intercept, pM);
    const cnt = allRows(n, pW, pId, pL);
    zeroGram(p, pG);
    F64.fill(0.0, pGd >>> 3, (pGd >>> 3) + p + 1);
    gramRows(n, p, j0, pX, pW, pM, pL, cnt, 1.0, pG, pBuf, pSw, pY, pGd);
    if (pStart === 0) {
      if (newtonFactor(p, j0, pG, ridge, pUf, pDg)) {
        newtonSolve(p, j0, pUf, pDg, pGd, pDir);
        rawStep(p, j0, pM, pDir);
        for (let j = 0; j <= p; j++) F[cb + j] = F[(pDir >>> 3) + j];
        for (let j = 0; j < p; j++) I[(pFlags >>> 2) + j] = 0;
        newtonStart = true;
      } else {
        newtonOn = false;
      }
    }
  }
  if (pStart !== 0) {
    for (let j = 0; j <= p; j++) F[cb + j] = F[(pStart >>> 3) + j];
    if (intercept === 0) F[cb] = 0;
    for (let j = 0; j < p; j++) I[(pFlags >>> 2) + j] = 0;
  } else if (!newtonStart && sPilot < 0) {
    const st0 = l2Solve(n, p, pX, pY, pW, intercept, ridge, pCoef, pInfo, pFlags, pWk, 1);
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
      // Newton from the least-squares start: from the normal-consistent MAD of the residuals (the first Newton steps then need
      // not wait for the scale of heavy-tailed least-squares residuals to shrink), then the flags again.
      if (sPilot >= 0) {
        s = huberSigma(n, pR, pW, d, A, lamB, sPilot, false);
      } else {
        s = newtonStart ? robustScale(n, pR, pW, W, pU, pT, pId, pSel) : 0.0;
        if (newtonStart) allRows(n, pW, pId, pL);
        if (!(s > 0)) s = huberSigma(n, pR, pW, d, A, lamB, 0.0, false);
      }
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
    if (pStart === 0 && maxIter > 1 && pilotRows(n, p) > 0) {
      if (pilotFit(n, p, pX, pY, pW, intercept, LOSS_SMOOTH_L1, s, 0.0, ridge, W, pB, pPil, pL) >= 0) {
        setX(xf32);
        residuals(n, p, pX, pY, pB, pU);
        const lamBp = ridge > 0 ? ridge * slopeNorm2(p, pB) : 0.0;
        const objP = smoothObjective(n, pU, pW, s, lamBp, W);
        if (objP < obj) {
          const t = pR; pR = pU; pU = t;
          for (let j = 0; j <= p; j++) F[cb + j] = F[(pB >>> 3) + j];
          lamB = lamBp;
          obj = objP;
        }
      }
      setX(xf32);
    }
  }

  let it = 0;
  let status = STATUS_MAXITER;
  let exact = false; // every solve is l2_fit's from now on (see INNER_SWITCH)
  let prevDelta = Infinity;
  let newton = false;
  const bb = pB >>> 3, bnb = pBn >>> 3, db = pDir >>> 3;
  let cancelled = false;
  // Smooth-L1: truncated-Hessian Newton from the start (see assembly/irls.ts).
  if (!huber && maxIter > 1 && s > sfloor) {
    const rs = smoothNewton(n, p, pX, pY, pW, intercept, s, ridge, W, tol, Math.min(SMOOTH_NEWTON_MAX, maxIter - 1),
      yscale, pCoef, pR, pU, pT, pMask, pL, pB, pXm, pG, pUf, pM, pGd, pDir, pDg, pGo, pBuf, pSw, pSw, pBuf);
    if (snSwap) {
      const t = pR; pR = pU; pU = t;
    }
    it = snSteps;
    obj = snObj;
    lamB = ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0;
    newton = true;
    if (rs === SN_CANCELLED) {
      status = STATUS_CANCELLED;
      cancelled = true;
    } else if (rs === SN_CONVERGED) {
      exact = true;
      F[ib + INFO_RCOND] = 1.0 / snKappa;
      if (snKappa <= KAPPA_FINAL) {
        status = STATUS_OK;
        cancelled = true;
      }
    }
  }
  // Huber: semismooth Newton phase (see assembly/irls.ts).
  if (newtonOn) {
    const gdb = pGd >>> 3, gob = pGo >>> 3;
    let k = 0;
    let quad = false; // the last step was full and small: quadratic convergence regime
    let converged = false;
    while (k < HUBER_NEWTON_MAX && it < maxIter - 1) {
      const jointStep = !fixed && s > sfloor;
      const su = fixed || jointStep ? s : sfloor;
      const c = d * su;
      huberPartition(n, pR, pW, c, pId, pT, pU, pL);
      // Converged when the last step was full and small and no row changed sides since: the step was
      // then (up to the scale's second-order term) the exact minimiser of the piecewise quadratic.
      if (quad && nEnter + nLeave === 0) {
        converged = true;
        break;
      }
      if (nEnter + nLeave > nInside) {
        zeroGram(p, pG);
        gramRows(n, p, j0, pX, pW, pM, pL, insideRows(n, pId, pL), 1.0, pG, pBuf, pSw, 0, 0);
      } else {
        gramRows(n, p, j0, pX, pW, pM, pL, nEnter, 1.0, pG, pBuf, pSw, 0, 0);
        gramRows(n, p, j0, pX, pW, pM, pL + ((n - nLeave) << 2), nLeave, -1.0, pG, pBuf, pSw, 0, 0);
      }
      if (!newtonFactor(p, j0, pG, ridge, pUf, pDg)) break;
      newtonGradient(n, p, j0, pX, pM, pT, pU, pCoef, ridge, pGd, pGo);
      for (let j = j0; j <= p; j++) F[bb + j] = F[gdb + j] + c * F[gob + j];
      newtonSolve(p, j0, pUf, pDg, pB, pDir);
      let ds = 0.0;
      if (jointStep) {
        let ua = 0.0;
        for (let j = j0; j <= p; j++) ua += F[gdb + j] * F[db + j];
        newtonSolve(p, j0, pUf, pDg, pGd, pB);
        let uhu = 0.0;
        for (let j = j0; j <= p; j++) uhu += F[gdb + j] * F[bb + j];
        const T = sumInside + lamB;
        const e = 0.5 * (T + su * su * (d * d * wOutside - A));
        const den = T - uhu;
        if (den > 0) {
          ds = su * ((e - ua) / den);
          if (ds < -0.9 * su) ds = -0.9 * su; // s > 0 (the line search does the rest)
          const f = ds / su;
          for (let j = j0; j <= p; j++) F[db + j] = F[db + j] - f * F[bb + j];
        }
      }
      rawStep(p, j0, pM, pDir);
      const f0 = jointStep ? obj : huberObjective(n, pR, pW, d, su, 0.0, lamB, true);
      let tn = 1.0;
      let lamBn = 0.0;
      let sn = su;
      let ok = false;
      let fAcc = 0.0;
      for (let h = 0; h <= NEWTON_HALVINGS; h++) {
        if (h > 0) tn *= 0.5;
        for (let j = 0; j <= p; j++) F[bb + j] = F[cb + j] + tn * F[db + j];
        residuals(n, p, pX, pY, pB, pU);
        lamBn = ridge > 0 ? ridge * slopeNorm2(p, pB) : 0.0;
        sn = su + tn * ds;
        const fn = jointStep ? huberTrial(n, pR, pU, pW, d, sn, A, lamBn, false) : huberTrial(n, pR, pU, pW, d, su, 0.0, lamBn, true);
        if (fn <= f0 + ACCEPT * EPS * Math.abs(f0)) {
          fAcc = fn;
          ok = true;
          break;
        }
      }
      if (!ok) break;
      it++;
      k++;
      const delta = trialDelta;
      const t = pR; pR = pU; pU = t;
      for (let j = 0; j <= p; j++) F[cb + j] = F[bb + j];
      lamB = lamBn;
      if (!fixed) s = huberSigma(n, pR, pW, d, A, lamB, jointStep ? sn : s, true);
      obj = fixed ? fAcc : sigmaAt === s && s > 0 ? (sigmaF + lamB) / s + A * s : huberObjective(n, pR, pW, d, s, A, lamB, fixed);
      if (!quiet && progress(KIND_IRLS, it, obj, NaN) !== 0) {
        status = STATUS_CANCELLED;
        cancelled = true;
        break;
      }
      if (tn === 1.0 && (delta <= tol * s || delta <= ROUNDING * EPS * roundingSize(p, pCoef, pXm, yscale))) {
        converged = true;
        break;
      }
      quad = tn === 1.0 && delta <= QUAD * Math.sqrt(tol) * s;
    }
    if (converged) {
      exact = true;
      const kappa = newtonCond(p, j0, pG, pDg, ridge, pUf, pGd, pGo);
      F[ib + INFO_RCOND] = 1.0 / kappa;
      if (s > sfloor && kappa <= KAPPA_FINAL) {
        status = STATUS_OK;
        cancelled = true;
      }
    }
  }
  let firstIrls = true;
  while (!cancelled && it < maxIter) {
    let stepped = false;
    let objNew = 0.0;
    if (newton) {
      newtonSystem(n, pR, pY, pW, s, pU, pT);
      if (l2Solve(n, p, pX, pT, pU, intercept, 2.0 * s * ridge, pBn, pInfo, pFlags, pWk, exact ? 0 : 1) === STATUS_OK) {
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
      const st = l2Solve(n, p, pX, pY, pU, intercept, huber ? ridge : 2.0 * s * ridge, pB, pInfo, pFlags, pWk, exact ? 0 : 1);
      if (st !== STATUS_OK) {
        if (st === STATUS_RANK_DEFICIENT && (it === 0 && pStart !== 0 || newtonStart && firstIrls)) return st;
        status = STATUS_STALLED;
        break;
      }
      residuals(n, p, pX, pY, pB, pU);
    }
    it++;
    firstIrls = false;
    const delta = maxChange(n, pR, pU, pW);
    const t = pR; pR = pU; pU = t;
    for (let j = 0; j <= p; j++) F[cb + j] = F[bb + j];
    lamB = ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0;
    let S = 0.0;
    if (huber) {
      if (!fixed) s = huberSigma(n, pR, pW, d, A, lamB, s, false);
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
    if (!quiet && progress(KIND_IRLS, it, obj, NaN) !== 0) {
      status = STATUS_CANCELLED;
      break;
    }
  }

  F[ib + INFO_OBJECTIVE] = obj;
  F[ib + INFO_ITERATIONS] = it;
  F[ib + INFO_SCALE] = s;
  F[ib + INFO_OUTLIERS] = huber ? countOutliers(n, pR, d * s, pMask) : 0.0;
  let finite = obj === obj && Math.abs(obj) < Infinity;
  for (let j = 0; j <= p; j++) {
    if (!(Math.abs(F[cb + j]) < Infinity)) finite = false;
  }
  if (!finite) return STATUS_NUMERICAL;
  return status;
}

// ---------------------------------------------------------------------------------------------

/** The Huber pilot fit (assembly/irls.ts pilotFit). */
function pilotFit(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, loss: number, d: number, scale: number,
  ridge: number, W: number, pCoef: number, pPil: number, pL: number): number {
  const F = F64, I = I32;
  const m = pilotRows(n, p);
  const lb = pL >>> 2, wb = pW >>> 3, yb = pY >>> 3;
  let k = 0;
  let ws = 0.0;
  for (let t = 0; t < m; t++) {
    const i = Math.floor((t + 0.5) * n / m);
    const w = pW !== 0 ? F[wb + i] : 1.0;
    if (w > 0) {
      I[lb + k] = i;
      ws += w;
      k++;
    }
  }
  if (2 * k < m) return -1.0;
  const pXs = pPil;
  const pYs = pXs + al16(8.0 * m * p);
  const pWs = pYs + al16(8.0 * m);
  const pInf = pWs + al16(8.0 * m);
  const pFl = pInf + al16(8.0 * INFO_LEN);
  const pWw = pFl + al16(4.0 * (p > 0 ? p : 1));
  const X = xview();
  for (let j = 0; j < p; j++) {
    const dst = (pXs >>> 3) + j * k;
    const col = (pX >>> XS) + j * n;
    for (let t = 0; t < k; t++) F[dst + t] = X[col + I[lb + t]];
  }
  for (let t = 0; t < k; t++) {
    const i = I[lb + t];
    F[(pYs >>> 3) + t] = F[yb + i];
    F[(pWs >>> 3) + t] = pW !== 0 ? F[wb + i] : 1.0;
  }
  quiet = true;
  const st = irls_fit(k, p, pXs, pYs, pW !== 0 ? pWs : 0, intercept, loss, d, scale, ridge * (ws / W), PILOT_MAXITER,
    PILOT_TOL, 0, pCoef, pInf, pFl, pWw, 0);
  quiet = false;
  if (st !== STATUS_OK && st !== STATUS_MAXITER) return -1.0;
  const sp = F[(pInf >>> 3) + INFO_SCALE];
  return sp >= 0 ? sp : -1.0;
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

function countOutliers(n: number, pR: number, c: number, pMask: number): number {
  const F = F64;
  const U8 = new Uint8Array(F.buffer, pMask, n);
  const rb = pR >>> 3;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const o = Math.abs(F[rb + i]) > c;
    U8[i] = o ? 1 : 0;
    if (o) k++;
  }
  return k;
}

let sigmaF = 0;
let sigmaAt = -1;
function huberSigma(n: number, pR: number, pW: number, d: number, A: number, lamB: number, prev: number, fromTrial: boolean): number {
  const F = F64;
  const rb = pR >>> 3, wb = pW >>> 3;
  const d2 = d * d;
  let sall = 0.0, wnz = 0.0;
  sigmaAt = -1.0;
  if (fromTrial) {
    sall = trialSall;
    wnz = trialWnz;
  } else {
    for (let c0 = 0; c0 < n; c0 += CHUNK) {
      const c1 = Math.min(n, c0 + CHUNK);
      let sc = 0.0, wc = 0.0;
      for (let i = c0; i < c1; i++) {
        const w = pW !== 0 ? F[wb + i] : 1.0;
        if (w > 0) {
          const r = F[rb + i];
          sc += w * (r * r);
          if (r !== 0) wc += w;
        }
      }
      sall = c0 === 0 ? sc : sall + sc;
      wnz = c0 === 0 ? wc : wnz + wc;
    }
  }
  if (lamB === 0 && d2 * wnz <= A) return 0.0;
  const hi = Math.sqrt((sall + lamB) / A);
  let s = prev > 0 && prev < hi ? prev : hi;
  let first = true;
  for (let k = 0; k < SIGMA_STEPS; k++) {
    const c = d * s;
    let sin = 0.0, wout = 0.0, f = 0.0;
    for (let c0 = 0; c0 < n; c0 += CHUNK) {
      const c1 = Math.min(n, c0 + CHUNK);
      let sc = 0.0, wc = 0.0, fc = 0.0;
      for (let i = c0; i < c1; i++) {
        const w = pW !== 0 ? F[wb + i] : 1.0;
        if (w > 0) {
          const r = F[rb + i];
          const a = Math.abs(r);
          if (a <= c) {
            const t = w * (r * r);
            sc += t;
            fc += t;
          } else {
            wc += w;
            fc += w * (c * (2.0 * a - c));
          }
        }
      }
      sin = c0 === 0 ? sc : sin + sc;
      wout = c0 === 0 ? wc : wout + wc;
      f = c0 === 0 ? fc : f + fc;
    }
    sigmaF = f;
    sigmaAt = s;
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
    for (let c0 = 0; c0 < n; c0 += CHUNK) {
      const c1 = Math.min(n, c0 + CHUNK);
      let lc = 0.0;
      for (let i = c0; i < c1; i++) lc += (pW !== 0 ? F[wb + i] : 1.0) * Math.abs(F[rb + i]);
      l1 = c0 === 0 ? lc : l1 + lc;
    }
    return 2.0 * d * l1;
  }
  const c = d * s;
  let f = 0.0;
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const c1 = Math.min(n, c0 + CHUNK);
    let fc = 0.0;
    for (let i = c0; i < c1; i++) {
      const w = pW !== 0 ? F[wb + i] : 1.0;
      const r = F[rb + i];
      const a = Math.abs(r);
      fc += a <= c ? w * (r * r) : w * (c * (2.0 * a - c));
    }
    f = c0 === 0 ? fc : f + fc;
  }
  f += lamB;
  return fixed ? f : f / s + A * s;
}

let trialDelta = 0;
let trialSall = 0;
let trialWnz = 0;
function huberTrial(n: number, pOld: number, pNew: number, pW: number, d: number, s: number, A: number, lamB: number, fixed: boolean): number {
  const F = F64;
  const ob = pOld >>> 3, nb = pNew >>> 3, wb = pW >>> 3;
  const c = d * s;
  let f = 0.0, m = 0.0, sall = 0.0, wnz = 0.0;
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const c1 = Math.min(n, c0 + CHUNK);
    let fc = 0.0, sc = 0.0, wc = 0.0;
    for (let i = c0; i < c1; i++) {
      const w = pW !== 0 ? F[wb + i] : 1.0;
      const r = F[nb + i];
      const a = Math.abs(r);
      fc += a <= c ? w * (r * r) : w * (c * (2.0 * a - c));
      if (w > 0) {
        const ch = Math.abs(r - F[ob + i]);
        if (ch > m) m = ch;
        sc += w * (r * r);
        if (r !== 0) wc += w;
      }
    }
    f = c0 === 0 ? fc : f + fc;
    sall = c0 === 0 ? sc : sall + sc;
    wnz = c0 === 0 ? wc : wnz + wc;
  }
  trialDelta = m;
  trialSall = sall;
  trialWnz = wnz;
  f += lamB;
  return fixed ? f : f / s + A * s;
}

function smoothObjective(n: number, pR: number, pW: number, e: number, lamB: number, W: number): number {
  const F = F64;
  const rb = pR >>> 3, wb = pW >>> 3;
  let f = 0.0, m = 0.0;
  for (let c0 = 0; c0 < n; c0 += CHUNK) {
    const c1 = Math.min(n, c0 + CHUNK);
    let fc = 0.0, mc = 0.0;
    for (let i = c0; i < c1; i++) {
      const w = pW !== 0 ? F[wb + i] : 1.0;
      const a = Math.abs(F[rb + i]);
      const t = a / e;
      fc += t <= 1e8 ? w * (e * (t * t) / (Math.sqrt(t * t + 1.0) + 1.0)) : w * (a - e);
      mc += w * a;
    }
    f = c0 === 0 ? fc : f + fc;
    m = c0 === 0 ? mc : m + mc;
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
// Smooth-L1 truncated Newton (see assembly/irls.ts); the WASM's f64x2 lanes are the pairs of scalar
// accumulators (even / odd rows) here.

const SN_FAILED = 0;
const SN_CONVERGED = 1;
const SN_CANCELLED = 2;
let snSteps = 0;
let snObj = 0;
let snSwap = false;
let snKappa = 0;

function smoothNewton(n: number, p: number, pX: number, pY: number, pW: number, intercept: number, e: number, ridge: number,
  W: number, tol: number, maxSteps: number, yscale: number, pCoef: number, pR: number, pU: number, pV: number, pBk: number,
  pL: number, pB: number, pXm: number, pG: number, pUf: number, pM: number, pGd: number, pDir: number, pDg: number,
  pGo: number, pBuf: number, pSw: number, pHist: number, pAcc: number): number {
  const F = F64;
  const cb = pCoef >>> 3, bb = pB >>> 3, db = pDir >>> 3;
  const j0 = intercept !== 0 ? 0 : 1;
  const lam2 = 2.0 * e * ridge;
  smoothMeans(n, p, pX, pW, W, intercept, pM);
  let obj = smoothTrial(n, p, j0, pX, pY, pW, pCoef, e, ridge > 0 ? ridge * slopeNorm2(p, pCoef) : 0.0, lam2, W,
    pR, pU, pV, pBk, pHist, pAcc, pM, pGd);
  let rC = pU, rT = pR;
  snSwap = true;
  let k = 0;
  let out = SN_FAILED;
  snKappa = 0.0;
  let reuse = false;
  while (k < maxSteps) {
    if (!reuse) {
      const kb = bandBucket(pHist);
      const cnt = smoothList(n, pBk, kb, rC, pW, e, rT, pL);
      zeroGram(p, pG);
      gramRows(n, p, j0, pX, rT, pM, pL, cnt, 1.0, pG, pBuf, pSw, 0, 0);
      if (!newtonFactor(p, j0, pG, lam2, pUf, pDg)) break;
    }
    newtonSolve(p, j0, pUf, pDg, pGd, pDir);
    rawStep(p, j0, pM, pDir);
    let tn = 1.0;
    let objT = 0.0;
    let ok = false;
    for (let h = 0; h <= NEWTON_HALVINGS; h++) {
      if (h > 0) tn *= 0.5;
      for (let j = 0; j <= p; j++) F[bb + j] = F[cb + j] + tn * F[db + j];
      objT = smoothTrial(n, p, j0, pX, pY, pW, pB, e, ridge > 0 ? ridge * slopeNorm2(p, pB) : 0.0, lam2, W,
        rC, rT, pV, pBk, pHist, pAcc, pM, pGd);
      if (objT <= obj + ACCEPT * EPS * obj) {
        ok = true;
        break;
      }
    }
    if (!ok) {
      if (!reuse) break;
      reuse = false;
      smoothTrial(n, p, j0, pX, pY, pW, pCoef, e, 0.0, lam2, W, rC, rT, pV, pBk, pHist, pAcc, pM, pGd);
      const t = rC; rC = rT; rT = t;
      snSwap = !snSwap;
      continue;
    }
    k++;
    const delta = trialDelta;
    const t = rC; rC = rT; rT = t;
    snSwap = !snSwap;
    for (let j = 0; j <= p; j++) F[cb + j] = F[bb + j];
    obj = objT;
    reuse = tn === 1.0 && delta <= CHORD * e;
    if (!quiet && progress(KIND_IRLS, k, obj, NaN) !== 0) {
      out = SN_CANCELLED;
      break;
    }
    const S = lastMeanAbs > e ? lastMeanAbs : e;
    if (tn === 1.0 && (delta <= tol * S || delta <= ROUNDING * EPS * roundingSize(p, pCoef, pXm, yscale))) {
      snKappa = newtonCond(p, j0, pG, pDg, lam2, pUf, pGd, pGo);
      out = SN_CONVERGED;
      break;
    }
  }
  snSteps = k;
  snObj = obj;
  return out;
}

function bandBucket(pHist: number): number {
  const F = F64, hb = pHist >>> 3;
  for (let k = 0; k < NB - 1; k++) {
    let kept = 0.0, rest = 0.0;
    for (let j = 0; j <= k; j++) kept += F[hb + j];
    for (let j = k + 1; j < NB; j++) rest += F[hb + j];
    if (rest <= TAIL * kept) return k;
  }
  return NB - 1;
}

function smoothList(n: number, pBk: number, kb: number, pR: number, pW: number, e: number, pH: number, pL: number): number {
  const F = F64, I = I32;
  const U8 = new Uint8Array(F.buffer, pBk, n);
  const rb = pR >>> 3, wb = pW >>> 3, hb = pH >>> 3, lb = pL >>> 2;
  const ie = 1.0 / e;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (U8[i] <= kb) {
      const t = Math.abs(F[rb + i]) * ie;
      let h = 0.0;
      if (t <= 1e100) {
        const iq = 1.0 / Math.sqrt(t * t + 1.0);
        h = (pW !== 0 ? F[wb + i] : 1.0) * (iq * (iq * iq));
      }
      F[hb + i] = h;
      I[lb + k] = i;
      k++;
    }
  }
  return k;
}

function smoothTrial(n: number, p: number, j0: number, pX: number, pY: number, pW: number, pC: number, e: number, lamB: number,
  lam2: number, W: number, pOld: number, pOut: number, pV: number, pBk: number, pHist: number, pAcc: number, pM: number,
  pGd: number): number {
  const F = F64, X = xview();
  const U8 = new Uint8Array(F.buffer, pBk, n);
  const cb = pC >>> 3, wb = pW >>> 3, hb = pHist >>> 3, ab = pAcc >>> 3, mb = pM >>> 3, gdb = pGd >>> 3;
  for (let k = 0; k < NB; k++) F[hb + k] = 0.0;
  for (let j = 0; j <= 2 * p + 1; j++) F[ab + j] = 0.0;
  const b0 = F[cb];
  const ie = 1.0 / e;
  let f = 0.0, m = 0.0, mx = 0.0;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const len = Math.min(BLOCK, n - i0);
    const pairs = len & ~1;
    const yb = (pY >>> 3) + i0;
    const ob = (pOut >>> 3) + i0;
    for (let i = 0; i < len; i++) F[ob + i] = F[yb + i] - b0;
    for (let j = 0; j < p; j++) {
      const bj = F[cb + j + 1];
      const xb = (pX >>> XS) + j * n + i0;
      for (let i = 0; i < len; i++) F[ob + i] = F[ob + i] - X[xb + i] * bj;
    }
    const oldb = (pOld >>> 3) + i0;
    const vbk = (pV >>> 3) + i0;
    for (let i = 0; i < len; i++) {
      const w = pW !== 0 ? F[wb + i0 + i] : 1.0;
      const r = F[ob + i];
      const a = Math.abs(r);
      const t = a * ie;
      let v = 0.0, h = 0.0, tt = 0.0, q = 0.0;
      if (t <= 1e100) {
        tt = t * t;
        q = Math.sqrt(tt + 1.0);
        const iq = 1.0 / q;
        v = w * (r * iq);
        h = w * (iq * (iq * iq));
      } else {
        v = r > 0 ? w * e : -(w * e);
      }
      f += t <= 1e8 ? w * (e * tt / (q + 1.0)) : w * (a - e);
      m += w * a;
      F[vbk + i] = v;
      let bk = 255;
      if (w > 0) {
        const ch = Math.abs(r - F[oldb + i]);
        if (ch > mx) mx = ch;
        bk = bucketOf(t);
        F[hb + bk] = F[hb + bk] + h;
      }
      U8[i0 + i] = bk;
    }
    if (j0 === 0) {
      let s0 = F[ab], s1 = F[ab + 1];
      for (let i = 0; i < pairs; i += 2) {
        s0 += F[vbk + i];
        s1 += F[vbk + i + 1];
      }
      F[ab] = s0;
      F[ab + 1] = s1;
    }
    for (let j = 1; j <= p; j++) {
      const col = (pX >>> XS) + (j - 1) * n + i0;
      const mj = F[mb + j];
      let s0 = F[ab + 2 * j], s1 = F[ab + 2 * j + 1];
      for (let i = 0; i < pairs; i += 2) {
        s0 += (X[col + i] - mj) * F[vbk + i];
        s1 += (X[col + i + 1] - mj) * F[vbk + i + 1];
      }
      F[ab + 2 * j] = s0;
      F[ab + 2 * j + 1] = s1;
    }
  }
  const last = n - 1;
  const odd = (n & 1) !== 0;
  const vb = pV >>> 3;
  if (j0 === 0) {
    let a = F[ab];
    if (odd) a += F[vb + last];
    F[gdb] = a + F[ab + 1];
  }
  for (let j = 1; j <= p; j++) {
    let a = F[ab + 2 * j];
    if (odd) a += (X[(pX >>> XS) + (j - 1) * n + last] - F[mb + j]) * F[vb + last];
    let g = a + F[ab + 2 * j + 1];
    if (lam2 > 0) g -= lam2 * F[cb + j];
    F[gdb + j] = g;
  }
  trialDelta = mx;
  lastMeanAbs = m / W;
  return f + lamB;
}

function smoothMeans(n: number, p: number, pX: number, pW: number, W: number, intercept: number, pM: number): void {
  const F = F64, X = xview();
  const mb = pM >>> 3, wb = pW >>> 3;
  const pairs = n & ~1;
  F[mb] = 0.0;
  for (let j = 1; j <= p; j++) {
    let m = 0.0;
    if (intercept !== 0) {
      const col = (pX >>> XS) + (j - 1) * n;
      let a = 0.0, b = 0.0;
      if (pW !== 0) {
        for (let i = 0; i < pairs; i += 2) {
          a += F[wb + i] * X[col + i];
          b += F[wb + i + 1] * X[col + i + 1];
        }
      } else {
        for (let i = 0; i < pairs; i += 2) {
          a += X[col + i];
          b += X[col + i + 1];
        }
      }
      if (pairs < n) a += (pW !== 0 ? F[wb + pairs] : 1.0) * X[col + pairs];
      m = (a + b) / W;
    }
    F[mb + j] = m;
  }
}

const bucketF = new Float64Array(1);
const bucketU = new Uint32Array(bucketF.buffer);
function bucketOf(t: number): number {
  if (t <= BAND_MIN) return 0;
  bucketF[0] = t / BAND_MIN;
  const hi = bucketU[1], lo = bucketU[0];
  const k = ((hi >>> 20) & 0x7ff) - 1023 + ((hi & 0xfffff) !== 0 || lo !== 0 ? 1 : 0);
  return k < NB - 1 ? k : NB - 1;
}

// ---------------------------------------------------------------------------------------------
// Huber semismooth Newton (see assembly/irls.ts): same operations in the same order; the WASM's f64x2
// lanes are the pairs of scalar accumulators (even / odd rows) here.

let nEnter = 0;
let nLeave = 0;
let nInside = 0;
let sumInside = 0;
let wOutside = 0;

function colMeans(n: number, p: number, pX: number, pW: number, W: number, intercept: number, pM: number): void {
  const F = F64, X = xview();
  const mb = pM >>> 3, wb = pW >>> 3;
  F[mb] = 0.0;
  for (let j = 1; j <= p; j++) {
    let m = 0.0;
    if (intercept !== 0) {
      const col = (pX >>> XS) + (j - 1) * n;
      let s = 0.0;
      for (let c0 = 0; c0 < n; c0 += CHUNK) {
        const c1 = Math.min(n, c0 + CHUNK);
        let sc = 0.0;
        for (let i = c0; i < c1; i++) {
          const w = pW !== 0 ? F[wb + i] : 1.0;
          if (w > 0) sc += w * X[col + i];
        }
        s = c0 === 0 ? sc : s + sc;
      }
      m = s / W;
    }
    F[mb + j] = m;
  }
}

function allRows(n: number, pW: number, pFl: number, pL: number): number {
  const F = F64, I = I32;
  const wb = pW >>> 3, fb = pFl >>> 2, lb = pL >>> 2;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if ((pW !== 0 ? F[wb + i] : 1.0) > 0) {
      I[fb + i] = 1;
      I[lb + k] = i;
      k++;
    } else {
      I[fb + i] = 0;
    }
  }
  return k;
}

function insideRows(n: number, pFl: number, pL: number): number {
  const I = I32;
  const fb = pFl >>> 2, lb = pL >>> 2;
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (I[fb + i] !== 0) {
      I[lb + k] = i;
      k++;
    }
  }
  return k;
}

function zeroGram(p: number, pG: number): void {
  F64.fill(0.0, pG >>> 3, (pG >>> 3) + (p + 1) * (p + 1));
}

function huberPartition(n: number, pR: number, pW: number, c: number, pFl: number, pV: number, pO: number, pL: number): void {
  const F = F64, I = I32;
  const rb = pR >>> 3, wb = pW >>> 3, fb = pFl >>> 2, vb = pV >>> 3, ob = pO >>> 3, lb = pL >>> 2;
  let ke = 0, kl = 0, kin = 0;
  let sin = 0.0, wout = 0.0;
  for (let i = 0; i < n; i++) {
    const w = pW !== 0 ? F[wb + i] : 1.0;
    let v = 0.0, o = 0.0;
    if (w > 0) {
      const r = F[rb + i];
      const inside = Math.abs(r) <= c;
      if (inside) {
        v = w * r;
        sin += v * r;
      } else {
        o = r > 0 ? w : -w;
        wout += w;
      }
      const f = inside ? 1 : 0;
      kin += f;
      if (f !== I[fb + i]) {
        if (inside) {
          I[lb + ke] = i;
          ke++;
        } else {
          kl++;
          I[lb + n - kl] = i;
        }
        I[fb + i] = f;
      }
    }
    F[vb + i] = v;
    F[ob + i] = o;
  }
  nEnter = ke;
  nLeave = kl;
  nInside = kin;
  sumInside = sin;
  wOutside = wout;
}

function gramRows(n: number, p: number, j0: number, pX: number, pW: number, pM: number, pL: number, cnt: number, sign: number,
  pG: number, pBuf: number, pSw: number, pY: number, pTy: number): void {
  if (cnt <= GRAM_PART) {
    gramRowsPart(n, p, j0, pX, pW, pM, pL, 0, cnt, sign, F64, pG >>> 3, pBuf, pSw, pY, pTy >>> 3);
    return;
  }
  // several parts (assembly/irls.ts): each part's sums from zero, then G += sign * (their sum in part order)
  const q = p + 1;
  const np = Math.ceil(cnt / GRAM_PART);
  const parts: Float64Array[] = [];
  for (let c = 0; c < np; c++) {
    const part = new Float64Array(q * q + q);
    gramRowsPart(n, p, j0, pX, pW, pM, pL, c * GRAM_PART, Math.min(cnt, (c + 1) * GRAM_PART), 1.0, part, 0, pBuf, pSw, pY, q * q);
    parts.push(part);
  }
  const F = F64, gb = pG >>> 3, tyb = pTy >>> 3;
  for (let j = j0; j <= p; j++) {
    for (let k = j; k <= p; k++) {
      const e = j * q + k;
      let t = parts[0][e];
      for (let c = 1; c < np; c++) t += parts[c][e];
      F[gb + e] = F[gb + e] + sign * t;
    }
    if (pY !== 0) {
      let t = parts[0][q * q + j];
      for (let c = 1; c < np; c++) t += parts[c][q * q + j];
      F[tyb + j] = F[tyb + j] + t;
    }
  }
}

/** Listed rows r0..r1-1 of gramRows' sums into G (index gb of the array G) and sum w t y (index tyb). */
function gramRowsPart(n: number, p: number, j0: number, pX: number, pW: number, pM: number, pL: number, r0: number, r1: number,
  sign: number, G: Float64Array, gb: number, pBuf: number, pSw: number, pY: number, tyb: number): void {
  const F = F64, I = I32, X = xview();
  const q = p + 1;
  const wb = pW >>> 3, mb = pM >>> 3, bb = pBuf >>> 3, sb = pSw >>> 3;
  for (let c0 = r0; c0 < r1; c0 += GB) {
    const len = Math.min(GB, r1 - c0);
    const len2 = (len + 1) & ~1;
    const lb = (pL >>> 2) + c0;
    for (let t = 0; t < len; t++) F[sb + t] = Math.sqrt(pW !== 0 ? F[wb + I[lb + t]] : 1.0);
    if (len2 > len) F[sb + len] = 0.0;
    if (j0 === 0) {
      for (let t = 0; t < len2; t++) F[bb + t] = F[sb + t];
    }
    for (let j = 1; j <= p; j++) {
      const col = (pX >>> XS) + (j - 1) * n;
      const mj = F[mb + j];
      const bj = bb + j * GB;
      for (let t = 0; t < len; t++) F[bj + t] = (X[col + I[lb + t]] - mj) * F[sb + t];
      if (len2 > len) F[bj + len] = 0.0;
    }
    for (let j = j0; j <= p; j++) {
      const aj = bb + j * GB;
      const gj = gb + j * q;
      for (let k = j; k <= p; k++) {
        const ak = bb + k * GB;
        let e = 0.0, o = 0.0;
        for (let t = 0; t < len2; t += 2) {
          e += F[aj + t] * F[ak + t];
          o += F[aj + t + 1] * F[ak + t + 1];
        }
        G[gj + k] = G[gj + k] + sign * (e + o);
      }
    }
    if (pY !== 0) {
      const by = bb + q * GB, yb = pY >>> 3;
      for (let t = 0; t < len; t++) F[by + t] = F[yb + I[lb + t]] * F[sb + t];
      if (len2 > len) F[by + len] = 0.0;
      for (let j = j0; j <= p; j++) {
        const cj = bb + j * GB;
        let e = 0.0, o = 0.0;
        for (let t = 0; t < len2; t += 2) {
          e += F[cj + t] * F[by + t];
          o += F[cj + t + 1] * F[by + t + 1];
        }
        G[tyb + j] = G[tyb + j] + (e + o);
      }
    }
  }
}

function newtonFactor(p: number, j0: number, pG: number, ridge: number, pU: number, pD: number): boolean {
  const F = F64;
  const q = p + 1;
  const gb = pG >>> 3, ub = pU >>> 3, db = pD >>> 3;
  for (let j = j0; j <= p; j++) {
    const h = F[gb + j * q + j] + (j > 0 ? ridge : 0.0);
    if (!(h > 0) || !(h < Infinity)) return false;
    F[db + j] = Math.sqrt(h);
  }
  for (let j = j0; j <= p; j++) {
    const dj = F[db + j];
    let s = (F[gb + j * q + j] + (j > 0 ? ridge : 0.0)) / dj / dj;
    for (let i = j0; i < j; i++) {
      const u = F[ub + i * q + j];
      s -= u * u;
    }
    if (!(s > PIVOT_MIN)) return false;
    const ujj = Math.sqrt(s);
    F[ub + j * q + j] = ujj;
    for (let k = j + 1; k <= p; k++) {
      let t = F[gb + j * q + k] / dj / F[db + k];
      for (let i = j0; i < j; i++) t -= F[ub + i * q + j] * F[ub + i * q + k];
      F[ub + j * q + k] = t / ujj;
    }
  }
  return true;
}

function newtonSolve(p: number, j0: number, pU: number, pD: number, pGd: number, pOut: number): void {
  const F = F64;
  const q = p + 1;
  const ub = pU >>> 3, db = pD >>> 3, gb = pGd >>> 3, ob = pOut >>> 3;
  for (let j = j0; j <= p; j++) {
    let t = F[gb + j] / F[db + j];
    for (let i = j0; i < j; i++) t -= F[ub + i * q + j] * F[ob + i];
    F[ob + j] = t / F[ub + j * q + j];
  }
  for (let j = p; j >= j0; j--) {
    let t = F[ob + j];
    for (let k = j + 1; k <= p; k++) t -= F[ub + j * q + k] * F[ob + k];
    F[ob + j] = t / F[ub + j * q + j];
  }
  for (let j = j0; j <= p; j++) F[ob + j] = F[ob + j] / F[db + j];
  if (j0 === 1) F[ob] = 0.0;
}

function newtonGradient(n: number, p: number, j0: number, pX: number, pM: number, pV: number, pO: number, pC: number, ridge: number,
  pU: number, pOut: number): void {
  const F = F64, X = xview();
  const vb = pV >>> 3, ob = pO >>> 3, mb = pM >>> 3, cb = pC >>> 3, ub = pU >>> 3, outb = pOut >>> 3;
  // per row chunk: lanes (even / odd rows; an odd last row to lane 0) from zero; the chunks' lanes added
  // in chunk order (assembly/irls.ts gradientRows)
  if (j0 === 0) {
    let A = 0.0, B = 0.0, AO = 0.0, BO = 0.0;
    for (let c0 = 0; c0 < n; c0 += CHUNK) {
      const c1 = Math.min(n, c0 + CHUNK);
      const pairs = c0 + ((c1 - c0) & ~1);
      let a = 0.0, b = 0.0, ao = 0.0, bo = 0.0;
      for (let i = c0; i < pairs; i += 2) {
        a += F[vb + i];
        b += F[vb + i + 1];
        ao += F[ob + i];
        bo += F[ob + i + 1];
      }
      if (pairs < c1) {
        a += F[vb + pairs];
        ao += F[ob + pairs];
      }
      A = c0 === 0 ? a : A + a;
      B = c0 === 0 ? b : B + b;
      AO = c0 === 0 ? ao : AO + ao;
      BO = c0 === 0 ? bo : BO + bo;
    }
    F[ub] = A + B;
    F[outb] = AO + BO;
  }
  for (let j = 1; j <= p; j++) {
    const col = (pX >>> XS) + (j - 1) * n;
    const m = F[mb + j];
    let A = 0.0, B = 0.0, AO = 0.0, BO = 0.0;
    for (let c0 = 0; c0 < n; c0 += CHUNK) {
      const c1 = Math.min(n, c0 + CHUNK);
      const pairs = c0 + ((c1 - c0) & ~1);
      let a = 0.0, b = 0.0, ao = 0.0, bo = 0.0;
      for (let i = c0; i < pairs; i += 2) {
        const x0 = X[col + i] - m, x1 = X[col + i + 1] - m;
        a += x0 * F[vb + i];
        ao += x0 * F[ob + i];
        b += x1 * F[vb + i + 1];
        bo += x1 * F[ob + i + 1];
      }
      if (pairs < c1) {
        const x = X[col + pairs] - m;
        a += x * F[vb + pairs];
        ao += x * F[ob + pairs];
      }
      A = c0 === 0 ? a : A + a;
      B = c0 === 0 ? b : B + b;
      AO = c0 === 0 ? ao : AO + ao;
      BO = c0 === 0 ? bo : BO + bo;
    }
    let g = A + B;
    if (ridge > 0) g -= ridge * F[cb + j];
    F[ub + j] = g;
    F[outb + j] = AO + BO;
  }
}

function newtonCond(p: number, j0: number, pG: number, pD: number, ridge: number, pU: number, pXv: number, pZ: number): number {
  const F = F64;
  const q = p + 1;
  const m = q - j0;
  const gb = pG >>> 3, db = pD >>> 3, xb = pXv >>> 3, zb = pZ >>> 3;
  let hn = 0.0;
  for (let k = j0; k <= p; k++) {
    let c = 0.0;
    for (let j = j0; j <= p; j++) {
      const g = j <= k ? F[gb + j * q + k] : F[gb + k * q + j];
      c += Math.abs((j === k && j > 0 ? g + ridge : g) / F[db + j] / F[db + k]);
    }
    if (c > hn) hn = c;
  }
  for (let j = j0; j <= p; j++) F[xb + j] = 1.0 / m;
  let est = 0.0;
  for (let it = 0; it < 5; it++) {
    scaledSolve(p, j0, pU, pXv);
    let e = 0.0;
    for (let j = j0; j <= p; j++) e += Math.abs(F[xb + j]);
    if (it > 0 && e <= est) break;
    est = e;
    for (let j = j0; j <= p; j++) F[zb + j] = F[xb + j] >= 0 ? 1.0 : -1.0;
    scaledSolve(p, j0, pU, pZ);
    let jm = j0;
    for (let j = j0; j <= p; j++) if (Math.abs(F[zb + j]) > Math.abs(F[zb + jm])) jm = j;
    for (let j = j0; j <= p; j++) F[xb + j] = j === jm ? 1.0 : 0.0;
  }
  return hn * est;
}

function scaledSolve(p: number, j0: number, pU: number, pXv: number): void {
  const F = F64;
  const q = p + 1;
  const ub = pU >>> 3, xb = pXv >>> 3;
  for (let j = j0; j <= p; j++) {
    let t = F[xb + j];
    for (let i = j0; i < j; i++) t -= F[ub + i * q + j] * F[xb + i];
    F[xb + j] = t / F[ub + j * q + j];
  }
  for (let j = p; j >= j0; j--) {
    let t = F[xb + j];
    for (let k = j + 1; k <= p; k++) t -= F[ub + j * q + k] * F[xb + k];
    F[xb + j] = t / F[ub + j * q + j];
  }
}

function rawStep(p: number, j0: number, pM: number, pDir: number): void {
  const F = F64;
  const mb = pM >>> 3, db = pDir >>> 3;
  if (j0 === 1) {
    F[db] = 0.0;
    return;
  }
  let a = F[db];
  for (let j = 1; j <= p; j++) a -= F[mb + j] * F[db + j];
  F[db] = a;
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
