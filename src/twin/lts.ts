// Least trimmed squares by FAST-LTS — pure-TypeScript twin of assembly/lts.ts, statement for statement
// (same loop order, same IEEE operations, the same mulberry32 stream in 32-bit integer arithmetic), so
// both backends return the same bits. See assembly/lts.ts for the algorithm, the schedule and the
// work-region layout.
import { progress } from '../abi/progress.js';
import { INFO_ITERATIONS, INFO_LEN, INFO_OBJECTIVE } from '../abi/info.js';
import { STATUS_CANCELLED, STATUS_MAXITER, STATUS_NUMERICAL, STATUS_OK, STATUS_RANK_DEFICIENT } from '../abi/status.js';
import { l2_fit, l2_work_bytes } from './l2.js';
import { F64, I32 } from './mem.js';
import { XS, setX, xview } from './xload.js';

export const LTS_INFO_SUBSETS = 5;
export const LTS_INFO_SINGULAR = 6;
export const LTS_INFO_EXHAUSTIVE = 7;
export const LTS_INFO_GROUPS = 8;
export const LTS_INFO_FINAL_STEPS = 9;

const KIND_LTS = 4;
const KMINI = 5;
const NMINI = 300;
const KEEP = 10;
const STEPS_SEARCH = 2;
const CHUNK = 128;
const FINAL_SMALL_N = 5000;
const NESTED_MIN_N = KMINI * NMINI;
const ELEM_TOL = 1e-12;
const CHOL_TOL = 1e-12;
const FR_CUTOFF = 600;
const PROGRESS_EVERY = 32;
const BR_MIN = 128;
const BR_TARGET = 64;
const BR_SHRINK = 0.7;
const BR_GROW = 3.0;
const BR_EPS0 = 0.05;
const BR_EPS_MIN = 1e-9;

/** Rows per chunk of the full-data passes (assembly/lts.ts R_ROWS, R_PART, R_ARGS). */
const R_ROWS = 16384;
const R_PART = 8;
const R_ARGS = 20;
function rowChunks(nn: number): number {
  return nn <= R_ROWS ? 1 : Math.ceil(nn / R_ROWS);
}

function al16(b: number): number {
  return Math.ceil(b / 16.0) * 16.0;
}

let rng = 0;
let csteps = 0;
let chainConverged = true;
let chainSteps = 0;

function nextU32(): number {
  rng = (rng + 0x6D2B79F5) >>> 0;
  let t = rng;
  t = Math.imul(t ^ (t >>> 15), t | 1) >>> 0;
  t = (t ^ (t + Math.imul(t ^ (t >>> 7), t | 61))) >>> 0;
  return (t ^ (t >>> 14)) >>> 0;
}

function randBelow(m: number): number {
  return nextU32() % m;
}

function replow(k: number): number {
  if (k === 1) return 500;
  if (k === 2) return 50;
  if (k === 3) return 22;
  if (k === 4) return 17;
  if (k === 5) return 15;
  if (k === 6) return 14;
  return 0;
}

function ncomb(n: number, k: number): number {
  let c = 1.0;
  for (let j = 1; j <= k; j++) {
    c = c * ((n - j + 1) / (k - j + 1));
    if (c > 2147483647.0) return 2147483648.0;
  }
  return Math.round(c);
}

export function lts_work_bytes(n: number, p: number): number {
  const nd = n, q1 = p + 2.0, p1 = p + 1.0;
  const nb = n < KMINI * NMINI ? n : KMINI * NMINI;
  return al16(l2_work_bytes(n, p)) + 2.0 * al16(8.0 * nd) + 2.0 * al16(4.0 * nd)
    + al16(8.0 * q1 * q1) + al16(8.0 * q1) + al16(4.0 * q1) + al16(8.0 * p1 * p1)
    + 2.0 * al16(8.0 * p1) + 3.0 * al16(8.0 * p1)
    + al16(8.0 * ((KMINI + 2) * KEEP)) + al16(8.0 * ((KMINI + 2) * KEEP) * p1)
    + al16(4.0 * nd) + al16(8.0 * p1 * p1) + 2.0 * al16(8.0 * p1)
    + al16(8.0 * nb * p) + al16(8.0 * nb) + al16(8.0 * CHUNK * p1)
    + al16(16.0 * p1 * p1) + al16(16.0 * p1) + 2.0 * al16(4.0 * nd) + al16(8.0 * nd)
    + al16(8.0 * R_ARGS) + al16(8.0 * R_PART * rowChunks(n));
}

// Region indices of the call in progress (f64 index = byte >>> 3, i32 index = byte >>> 2).
let kKey = 0, kWt = 0, kId = 0, kRows = 0;
let kA = 0, kCm = 0, kIdx = 0, kG = 0, kM = 0, kV = 0;
let kTry = 0, kNew = 0, kBest = 0, kSObj = 0, kSCoef = 0;
let kMem = 0, kGr = 0, kS = 0, kSh = 0;
let kBX = 0, kBY = 0, kW = 0, kAcc = 0, kAccS = 0, kChg = 0, kLv = 0, kWt2 = 0;
let nEnter = 0, nLeave = 0;
let idsValid = false;
let brT = 0.0, brEps = BR_EPS0;
let brOn = false;
let F = F64, I = I32;
let X: Float64Array | Float32Array = F64;
// The view the C-steps run on (assembly/lts.ts setView): X column j at DX[dxb + j dLd + i], y at F[dyb + i].
let DX: Float64Array | Float32Array = F64;
let dxb = 0, dyb = 0, dLd = 0, dN = 0;

function setView(A: Float64Array | Float32Array, xb0: number, yb0: number, ld: number, nn: number): void {
  DX = A;
  dxb = xb0;
  dyb = yb0;
  dLd = ld;
  dN = nn;
}

export function lts_fit(n: number, p: number, pX: number, pY: number, intercept: number, h: number, nsamp: number,
  seed: number, maxCsteps: number, pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32 = 0): number {
  setX(xf32);
  F = F64;
  I = I32;
  X = xview();
  const nb = al16(8.0 * n), ib = al16(4.0 * n);
  const q1 = p + 2.0, p1 = p + 1.0;
  const nblk = n < KMINI * NMINI ? n : KMINI * NMINI;
  const pKey = pWork + al16(l2_work_bytes(n, p));
  const pWt = pKey + nb;
  const pId = pWt + nb;
  const pRows = pId + ib;
  const pA = pRows + ib;
  const pCm = pA + al16(8.0 * q1 * q1);
  const pIdx = pCm + al16(8.0 * q1);
  const pG = pIdx + al16(4.0 * q1);
  const pM = pG + al16(8.0 * p1 * p1);
  const pV = pM + al16(8.0 * p1);
  const pTry = pV + al16(8.0 * p1);
  const pNew = pTry + al16(8.0 * p1);
  const pBest = pNew + al16(8.0 * p1);
  const pSObj = pBest + al16(8.0 * p1);
  const pSCoef = pSObj + al16(8.0 * ((KMINI + 2) * KEEP));
  const pMem = pSCoef + al16(8.0 * ((KMINI + 2) * KEEP) * p1);
  const pGr = pMem + ib;
  const pS = pGr + al16(8.0 * p1 * p1);
  const pSh = pS + al16(8.0 * p1);
  const pBX = pSh + al16(8.0 * p1);
  const pBY = pBX + al16(8.0 * nblk * p);
  const pW = pBY + al16(8.0 * nblk);
  const pAcc = pW + al16(8.0 * CHUNK * p1);
  const pAccS = pAcc + al16(16.0 * p1 * p1);
  const pChg = pAccS + al16(16.0 * p1);
  const pLv = pChg + ib;
  const pWt2 = pLv + ib;
  kMem = pMem >>> 2; kGr = pGr >>> 3; kS = pS >>> 3; kSh = pSh >>> 3;
  kKey = pKey >>> 3; kWt = pWt >>> 3; kId = pId >>> 2; kRows = pRows >>> 2;
  kA = pA >>> 3; kCm = pCm >>> 3; kIdx = pIdx >>> 2; kG = pG >>> 3; kM = pM >>> 3; kV = pV >>> 3;
  kTry = pTry >>> 3; kNew = pNew >>> 3; kBest = pBest >>> 3; kSObj = pSObj >>> 3; kSCoef = pSCoef >>> 3;
  kBX = pBX >>> 3; kBY = pBY >>> 3; kW = pW >>> 3; kAcc = pAcc >>> 3; kAccS = pAccS >>> 3; kChg = pChg >>> 2; kLv = pLv >>> 2; kWt2 = pWt2 >>> 3;
  const ib0 = pInfo >>> 3, cb = pCoef >>> 3;

  for (let k = 0; k < INFO_LEN; k++) F[ib0 + k] = 0;
  const st0 = l2_fit(n, p, pX, pY, 0, intercept, 0.0, pCoef, pInfo, pFlags, pWork, xf32, 1);
  if (st0 === STATUS_RANK_DEFICIENT || st0 === STATUS_NUMERICAL) return st0;
  rng = seed >>> 0;
  brEps = BR_EPS0;
  brOn = false;
  csteps = 0;
  const xb = pX >>> XS, yb = pY >>> 3;
  const st = search(n, p, xb, yb, intercept, h, nsamp, maxCsteps, ib0);
  if (st === STATUS_CANCELLED || st === STATUS_NUMERICAL) return st;

  for (let i = 0; i < n; i++) F[kWt + i] = 0.0;
  for (let k = 0; k < h; k++) F[kWt + I[kId + k]] = 1.0;
  const st2 = l2_fit(n, p, pX, pY, pWt, intercept, 0.0, pCoef, pInfo, pFlags, pWork, xf32, 1);
  if (st2 !== STATUS_OK) {
    for (let j = 0; j <= p; j++) F[cb + j] = F[kBest + j];
    for (let j = 0; j < p; j++) I[(pFlags >>> 2) + j] = 0;
  }
  setView(X, xb, yb, n, n);
  const obj = hSmallest(p, cb, h);
  if (!Number.isFinite(obj)) return STATUS_NUMERICAL;
  F[ib0 + INFO_OBJECTIVE] = obj;
  F[ib0 + INFO_ITERATIONS] = csteps;
  return st;
}

/** assembly/lts.ts lts_resid: r = y - b0 - X b of the coefficients at pC on all n rows into pR (the
 *  keys' operations, unsquared; one sweep in row order: the kernel's chunks write the same values). */
export function lts_resid(n: number, p: number, pX: number, pY: number, pC: number, pR: number, pWork: number, xf32 = 0): void {
  void pWork;
  setX(xf32);
  F = F64;
  X = xview();
  setView(X, pX >>> XS, pY >>> 3, n, n);
  evalAll(p, pC >>> 3, pR >>> 3, false);
}

function hSmallest(p: number, kC: number, h: number): number {
  brOn = false;
  evalAll(p, kC);
  return selectH(dN, h, SEL_SUM);
}

function nConverge(n: number): number {
  return n <= FINAL_SMALL_N ? KEEP : 1;
}

function search(n: number, p: number, xb: number, yb: number, intercept: number, h: number, nsamp: number,
  maxCsteps: number, ib0: number): number {
  const q = p + intercept;
  const percen = h / n;
  const nstock = (KMINI + 2) * KEEP;
  for (let k = 0; k < nstock; k++) F[kSObj + k] = Infinity;
  let used = 0, singular = 0, attempts = 0;
  const part = n >= NESTED_MIN_N;
  let src = 0;
  if (part) {
    let ngroup = (n / NMINI) | 0;
    if (ngroup > KMINI) ngroup = KMINI;
    const minigr = ngroup < KMINI ? n : KMINI * NMINI;
    for (let i = 0; i < n; i++) I[kRows + i] = i;
    for (let i = 0; i < minigr; i++) {
      const j = i + randBelow(n - i);
      const t = I[kRows + i];
      I[kRows + i] = I[kRows + j];
      I[kRows + j] = t;
    }
    for (let j = 0; j < p; j++) {
      const px = xb + j * n;
      const pb = kBX + j * minigr;
      for (let k = 0; k < minigr; k++) F[pb + k] = X[px + I[kRows + k]];
    }
    for (let k = 0; k < minigr; k++) F[kBY + k] = F[yb + I[kRows + k]];
    const base = (minigr / ngroup) | 0, extra = minigr - base * ngroup;
    const size1 = extra > 0 ? base + 1 : base;
    const hh = Math.floor(size1 * percen);
    const nrep = nsamp >= ngroup ? (nsamp / ngroup) | 0 : 1;
    let off = 0;
    for (let g = 0; g < ngroup; g++) {
      const m = g < extra ? base + 1 : base;
      setView(F, kBX + off, kBY + off, minigr, m);
      let t = 0, tries = 0;
      while (t < nrep && tries < 2 * nrep) {
        tries++;
        attempts++;
        if (attempts % PROGRESS_EVERY === 0) {
          if (progress(KIND_LTS, attempts, F[kSObj + g * KEEP], 0.0) !== 0) return STATUS_CANCELLED;
        }
        drawRandom(m, q);
        if (!elemental(p, intercept, kTry)) {
          singular++;
          continue;
        }
        t++;
        used++;
        const obj = concentrate(p, intercept, kTry, hh, STEPS_SEARCH);
        insert(g, obj, p, kTry);
      }
      off += m;
    }
    const hm = Math.floor(minigr * percen);
    setView(F, kBX, kBY, minigr, minigr);
    for (let g = 0; g < ngroup; g++) {
      for (let k = 0; k < KEEP; k++) {
        const o = F[kSObj + g * KEEP + k];
        if (!Number.isFinite(o)) continue;
        copyCoef(kSCoef + (g * KEEP + k) * (p + 1), kTry, p);
        const obj = concentrate(p, intercept, kTry, hm, STEPS_SEARCH);
        insert(KMINI, obj, p, kTry);
      }
    }
    src = KMINI;
    F[ib0 + LTS_INFO_GROUPS] = ngroup;
  } else {
    setView(X, xb, yb, n, n);
    const all = n <= replow(q) || ncomb(n, q) <= nsamp;
    F[ib0 + LTS_INFO_EXHAUSTIVE] = all ? 1.0 : 0.0;
    const nrep = all ? ncomb(n, q) : nsamp;
    for (let k = 0; k < q; k++) I[kIdx + k] = k;
    let t = 0, tries = 0;
    while (t < nrep && tries < 2 * nrep) {
      tries++;
      attempts++;
      if (attempts % PROGRESS_EVERY === 0) {
        if (progress(KIND_LTS, attempts, F[kSObj], 0.0) !== 0) return STATUS_CANCELLED;
      }
      if (all) {
        if (tries > 1) nextCombination(n, q);
      } else {
        drawRandom(n, q);
      }
      if (!elemental(p, intercept, kTry)) {
        singular++;
        if (all) t++;
        continue;
      }
      t++;
      used++;
      const obj = concentrate(p, intercept, kTry, h, maxCsteps);
      insert(0, obj, p, kTry);
    }
  }
  F[ib0 + LTS_INFO_SUBSETS] = used;
  F[ib0 + LTS_INFO_SINGULAR] = singular;

  setView(X, xb, yb, n, n);
  let nfinal = KEEP;
  if (part) {
    for (let k = 0; k < KEEP; k++) {
      const o = F[kSObj + src * KEEP + k];
      if (!Number.isFinite(o)) continue;
      if (progress(KIND_LTS, attempts + k, o, 0.0) !== 0) return STATUS_CANCELLED;
      copyCoef(kSCoef + (src * KEEP + k) * (p + 1), kTry, p);
      const obj = concentrate(p, intercept, kTry, h, n <= FINAL_SMALL_N ? STEPS_SEARCH : 0);
      insert(KMINI + 1, obj, p, kTry);
    }
    src = KMINI + 1;
    nfinal = nConverge(n);
  }
  let best = Infinity;
  let bestConverged = true;
  for (let k = 0; k < nfinal; k++) {
    const o = F[kSObj + src * KEEP + k];
    if (!Number.isFinite(o)) continue;
    if (progress(KIND_LTS, attempts + k, o, 0.0) !== 0) return STATUS_CANCELLED;
    copyCoef(kSCoef + (src * KEEP + k) * (p + 1), kTry, p);
    const obj = concentrate(p, intercept, kTry, h, maxCsteps);
    if (obj < best) {
      best = obj;
      bestConverged = chainConverged;
      copyCoef(kTry, kBest, p);
      F[ib0 + LTS_INFO_FINAL_STEPS] = chainSteps;
    }
  }
  if (!Number.isFinite(best)) return STATUS_NUMERICAL;
  brOn = false;
  evalAll(p, kBest);
  selectH(n, h, SEL_IDS);
  return bestConverged ? STATUS_OK : STATUS_MAXITER;
}

function copyCoef(kFrom: number, kTo: number, p: number): void {
  for (let j = 0; j <= p; j++) F[kTo + j] = F[kFrom + j];
}

function drawRandom(m: number, q: number): void {
  for (let k = 0; k < q; k++) {
    let r = randBelow(m);
    let dup = true;
    while (dup) {
      dup = false;
      for (let l = 0; l < k; l++) {
        if (I[kIdx + l] === r) {
          dup = true;
          break;
        }
      }
      if (dup) r = randBelow(m);
    }
    I[kIdx + k] = r;
  }
}

function nextCombination(n: number, q: number): void {
  let i = q - 1;
  while (i >= 0 && I[kIdx + i] === n - q + i) i--;
  if (i < 0) return;
  I[kIdx + i] = I[kIdx + i] + 1;
  for (let l = i + 1; l < q; l++) I[kIdx + l] = I[kIdx + l - 1] + 1;
}

function elemental(p: number, intercept: number, kC: number): boolean {
  const q = p + intercept, w = q + 1;
  for (let r = 0; r < q; r++) {
    const row = I[kIdx + r];
    if (intercept !== 0) F[kA + r * w] = 1.0;
    for (let j = 0; j < p; j++) F[kA + r * w + intercept + j] = DX[dxb + j * dLd + row];
    F[kA + r * w + q] = F[dyb + row];
  }
  for (let k = 0; k < q; k++) {
    let cm = 0.0;
    for (let r = 0; r < q; r++) {
      const a = Math.abs(F[kA + r * w + k]);
      if (a > cm) cm = a;
    }
    F[kCm + k] = cm;
  }
  for (let k = 0; k < q; k++) {
    let piv = k;
    let amax = Math.abs(F[kA + k * w + k]);
    for (let r = k + 1; r < q; r++) {
      const a = Math.abs(F[kA + r * w + k]);
      if (a > amax) {
        amax = a;
        piv = r;
      }
    }
    if (!(amax > ELEM_TOL * F[kCm + k])) return false;
    if (piv !== k) {
      for (let c = k; c <= q; c++) {
        const t = F[kA + k * w + c];
        F[kA + k * w + c] = F[kA + piv * w + c];
        F[kA + piv * w + c] = t;
      }
    }
    const d = F[kA + k * w + k];
    for (let r = k + 1; r < q; r++) {
      const f = F[kA + r * w + k] / d;
      if (f !== 0.0) {
        for (let c = k + 1; c <= q; c++) F[kA + r * w + c] = F[kA + r * w + c] - f * F[kA + k * w + c];
      }
    }
  }
  for (let k = q - 1; k >= 0; k--) {
    let s = F[kA + k * w + q];
    for (let c = k + 1; c < q; c++) s -= F[kA + k * w + c] * F[kV + c];
    F[kV + k] = s / F[kA + k * w + k];
  }
  F[kC] = intercept !== 0 ? F[kV] : 0.0;
  for (let j = 0; j < p; j++) F[kC + j + 1] = F[kV + intercept + j];
  for (let j = 0; j <= p; j++) if (!Number.isFinite(F[kC + j])) return false;
  return true;
}

function gatherGram(p: number, kList: number, cnt: number, kOG: number, kOS: number): void {
  const w = p + 1;
  for (let k = 0; k < 2 * p * w; k++) F[kAcc + k] = 0.0;
  for (let k = 0; k < 2 * w; k++) F[kAccS + k] = 0.0;
  for (let b = 0; b < cnt; b += CHUNK) {
    const m = cnt - b < CHUNK ? cnt - b : CHUNK;
    const m2 = (m + 1) & ~1;
    for (let c = 0; c < p; c++) {
      const px = dxb + c * dLd;
      const sh = F[kSh + c];
      const pw = kW + c * CHUNK;
      for (let i = 0; i < m; i++) F[pw + i] = DX[px + I[kList + b + i]] - sh;
      if (m2 > m) F[pw + m] = 0.0;
    }
    const shy = F[kSh + p];
    const pwy = kW + p * CHUNK;
    for (let i = 0; i < m; i++) F[pwy + i] = F[dyb + I[kList + b + i]] - shy;
    if (m2 > m) F[pwy + m] = 0.0;
    for (let c = 0; c <= p; c++) {
      const pc = kW + c * CHUNK;
      const pa = kAccS + 2 * c;
      let a0 = F[pa], a1 = F[pa + 1];
      for (let i = 0; i < m2; i += 2) {
        a0 = a0 + F[pc + i];
        a1 = a1 + F[pc + i + 1];
      }
      F[pa] = a0;
      F[pa + 1] = a1;
    }
    for (let j = 0; j < p; j++) {
      const pj = kW + j * CHUNK;
      for (let c = j; c <= p; c++) {
        const pc = kW + c * CHUNK;
        const pa = kAcc + 2 * (j * w + c);
        let a0 = F[pa], a1 = F[pa + 1];
        for (let i = 0; i < m2; i += 2) {
          a0 = a0 + F[pj + i] * F[pc + i];
          a1 = a1 + F[pj + i + 1] * F[pc + i + 1];
        }
        F[pa] = a0;
        F[pa + 1] = a1;
      }
    }
  }
  for (let j = 0; j < p; j++) {
    for (let c = j; c <= p; c++) {
      const pa = kAcc + 2 * (j * w + c);
      F[kOG + j * w + c] = F[pa] + F[pa + 1];
    }
  }
  for (let c = 0; c <= p; c++) F[kOS + c] = F[kAccS + 2 * c] + F[kAccS + 2 * c + 1];
}

function initSums(p: number, intercept: number, hh: number): void {
  const r0 = I[kId];
  for (let j = 0; j < p; j++) F[kSh + j] = intercept !== 0 ? DX[dxb + j * dLd + r0] : 0.0;
  F[kSh + p] = intercept !== 0 ? F[dyb + r0] : 0.0;
  gatherGram(p, kId, hh, kGr, kS);
}

function updateSums(p: number, intercept: number, hh: number): void {
  const w = p + 1;
  const changes = nEnter;
  if (2 * changes > hh) {
    if (!idsValid) {
      let c = 0;
      for (let i = 0; i < dN; i++) {
        I[kId + c] = i;
        c += I[kMem + i] & 1;
      }
      idsValid = true;
    }
    initSums(p, intercept, hh);
    return;
  }
  if (changes === 0) return;
  gatherGram(p, kChg, changes, kG, kM);
  for (let j = 0; j < p; j++) for (let c = j; c <= p; c++) F[kGr + j * w + c] = F[kGr + j * w + c] + F[kG + j * w + c];
  for (let c = 0; c <= p; c++) F[kS + c] = F[kS + c] + F[kM + c];
  gatherGram(p, kLv, nLeave, kG, kM);
  for (let j = 0; j < p; j++) for (let c = j; c <= p; c++) F[kGr + j * w + c] = F[kGr + j * w + c] - F[kG + j * w + c];
  for (let c = 0; c <= p; c++) F[kS + c] = F[kS + c] - F[kM + c];
}

function solveSums(p: number, intercept: number, hh: number, kC: number): boolean {
  const w = p + 1;
  const hd = hh;
  for (let j = 0; j < p; j++) {
    for (let c = j; c <= p; c++) {
      F[kG + j * w + c] = intercept !== 0 ? F[kGr + j * w + c] - F[kS + j] * F[kS + c] / hd : F[kGr + j * w + c];
    }
  }
  for (let j = 0; j < p; j++) F[kV + j] = F[kG + j * w + j];
  for (let j = 0; j < p; j++) {
    const d = F[kG + j * w + j];
    if (!(d > CHOL_TOL * F[kV + j])) return false;
    const s = Math.sqrt(d);
    F[kG + j * w + j] = s;
    for (let c = j + 1; c <= p; c++) F[kG + j * w + c] = F[kG + j * w + c] / s;
    for (let r = j + 1; r < p; r++) {
      const f = F[kG + j * w + r];
      for (let c = r; c <= p; c++) F[kG + r * w + c] = F[kG + r * w + c] - f * F[kG + j * w + c];
    }
  }
  for (let j = p - 1; j >= 0; j--) {
    let s = F[kG + j * w + p];
    for (let c = j + 1; c < p; c++) s -= F[kG + j * w + c] * F[kV + c];
    F[kV + j] = s / F[kG + j * w + j];
  }
  let b0 = 0.0;
  if (intercept !== 0) {
    b0 = F[kSh + p] + F[kS + p] / hd;
    for (let j = 0; j < p; j++) b0 -= (F[kSh + j] + F[kS + j] / hd) * F[kV + j];
  }
  if (!Number.isFinite(b0)) return false;
  for (let j = 0; j < p; j++) if (!Number.isFinite(F[kV + j])) return false;
  F[kC] = b0;
  for (let j = 0; j < p; j++) F[kC + j + 1] = F[kV + j];
  return true;
}

function evalAll(p: number, kC: number, kOut = kKey, sq = true): void {
  const nn = dN;
  const b0 = F[kC];
  for (let i = 0; i < nn; i++) {
    let r = F[dyb + i] - b0;
    let px = dxb + i;
    for (let j = 0; j < p; j++) {
      r = r - DX[px] * F[kC + j + 1];
      px += dLd;
    }
    F[kOut + i] = sq ? r * r : r;
  }
}

const SEL_SUM = 0;
const SEL_IDS = 1;
const SEL_DIFF = 2;

function selectH(nn: number, hh: number, mode: number): number {
  const t = kthKey(nn, hh - 1);
  let c = 0, ne = 0, nl = 0;
  // chunk by chunk (assembly/lts.ts scanRows: the same rows per chunk), the chunks' sums added in order
  let s = 0.0;
  const nc = rowChunks(nn);
  for (let k = 0; k < nc; k++) {
    const r0 = k * R_ROWS, r1 = Math.min(nn, r0 + R_ROWS);
    let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
    const n4 = r0 + ((r1 - r0) & ~3);
    if (mode === SEL_SUM) {
      for (let i = r0; i < n4; i += 4) {
        const v0 = F[kKey + i], v1 = F[kKey + i + 1], v2 = F[kKey + i + 2], v3 = F[kKey + i + 3];
        const t0 = v0 <= t, t1 = v1 <= t, t2 = v2 <= t, t3 = v3 <= t;
        c += (t0 ? 1 : 0) + (t1 ? 1 : 0) + (t2 ? 1 : 0) + (t3 ? 1 : 0);
        s0 = s0 + (t0 ? v0 : 0.0);
        s1 = s1 + (t1 ? v1 : 0.0);
        s2 = s2 + (t2 ? v2 : 0.0);
        s3 = s3 + (t3 ? v3 : 0.0);
      }
      for (let i = n4; i < r1; i++) {
        const v = F[kKey + i];
        const tk = v <= t;
        c += tk ? 1 : 0;
        s0 = s0 + (tk ? v : 0.0);
      }
    } else if (mode === SEL_IDS) {
      for (let i = r0; i < n4; i += 4) {
        const v0 = F[kKey + i], v1 = F[kKey + i + 1], v2 = F[kKey + i + 2], v3 = F[kKey + i + 3];
        const t0 = v0 <= t ? 1 : 0, t1 = v1 <= t ? 1 : 0, t2 = v2 <= t ? 1 : 0, t3 = v3 <= t ? 1 : 0;
        I[kId + c] = i;
        c += t0;
        I[kId + c] = i + 1;
        c += t1;
        I[kId + c] = i + 2;
        c += t2;
        I[kId + c] = i + 3;
        c += t3;
        I[kMem + i] = t0;
        I[kMem + i + 1] = t1;
        I[kMem + i + 2] = t2;
        I[kMem + i + 3] = t3;
        s0 = s0 + (t0 !== 0 ? v0 : 0.0);
        s1 = s1 + (t1 !== 0 ? v1 : 0.0);
        s2 = s2 + (t2 !== 0 ? v2 : 0.0);
        s3 = s3 + (t3 !== 0 ? v3 : 0.0);
      }
      for (let i = n4; i < r1; i++) {
        const v = F[kKey + i];
        const tk = v <= t ? 1 : 0;
        I[kId + c] = i;
        c += tk;
        I[kMem + i] = tk;
        s0 = s0 + (tk !== 0 ? v : 0.0);
      }
    } else {
      for (let i = r0; i < r1; i++) {
        const v = F[kKey + i];
        const tk = v <= t ? 1 : 0;
        const m = I[kMem + i] & 1;
        I[kMem + i] = tk | (m << 1);
        c += tk;
        I[kChg + ne] = i;
        ne += tk & ~m;
        I[kLv + nl] = i;
        nl += m & ~tk;
        const a = tk !== 0 ? v : 0.0;
        // rows i mod 4 into s0..s3, the tail rows (i >= n4) into s0, as the kernel's unrolled loop
        const r = i < n4 ? i & 3 : 0;
        if (r === 0) s0 = s0 + a;
        else if (r === 1) s1 = s1 + a;
        else if (r === 2) s2 = s2 + a;
        else s3 = s3 + a;
      }
    }
    const sk = (s0 + s1) + (s2 + s3);
    s = k === 0 ? sk : s + sk;
  }
  if (c === hh) {
    idsValid = mode === SEL_IDS;
    nEnter = ne;
    nLeave = nl;
    return s;
  }
  // ties at the threshold (c > hh) or non-finite keys (c < hh): rows below t, then ties, then the rest
  c = 0;
  s = 0.0;
  for (let i = 0; i < nn; i++) {
    const v = F[kKey + i];
    const take = v < t;
    I[kId + c] = i;
    c += take ? 1 : 0;
    s = s + (take ? v : 0.0);
  }
  for (let i = 0; i < nn && c < hh; i++) {
    if (F[kKey + i] === t) {
      I[kId + c] = i;
      c++;
      s = s + t;
    }
  }
  for (let i = 0; i < nn && c < hh; i++) {
    const v = F[kKey + i];
    if (!(v < t) && !(v === t)) {
      I[kId + c] = i;
      c++;
      s = s + v;
    }
  }
  idsValid = true;
  if (mode === SEL_SUM) return s;
  for (let i = 0; i < nn; i++) I[kMem + i] = mode === SEL_DIFF ? I[kMem + i] & 2 : 0;
  for (let k = 0; k < hh; k++) {
    const r = I[kId + k];
    I[kMem + r] = I[kMem + r] | 1;
  }
  if (mode === SEL_DIFF) {
    ne = 0;
    nl = 0;
    for (let i = 0; i < nn; i++) {
      const m = I[kMem + i];
      const tk = m & 1, o = m >> 1;
      I[kChg + ne] = i;
      ne += tk & ~o;
      I[kLv + nl] = i;
      nl += o & ~tk;
    }
    nEnter = ne;
    nLeave = nl;
  }
  return s;
}

function kthKey(nn: number, k: number): number {
  const t = kthKeyBr(nn, k);
  brT = t;
  return t;
}

function kthKeyBr(nn: number, k: number): number {
  if (brOn && nn > BR_MIN) {
    const lo = brT * (1.0 - brEps), hi = brT * (1.0 + brEps);
    if (lo <= hi) {
      let below = 0, m = 0;
      for (let i = 0; i < nn; i++) {
        const v = F[kKey + i];
        below += v < lo ? 1 : 0;
        F[kWt2 + m] = v;
        m += (v >= lo ? 1 : 0) & (v <= hi ? 1 : 0);
      }
      if (below <= k && k < below + m) {
        if (m > BR_TARGET) brEps = Math.max(brEps * BR_SHRINK, BR_EPS_MIN);
        return selectKth(kWt2, m, k - below);
      }
      brEps = Math.min(brEps * BR_GROW, 1.0);
    }
  }
  if (nn > FR_CUTOFF) {
    const nd = nn;
    const c = cbrtNewton(nd);
    const s = (0.5 * c * c) | 0;
    const stride = (nn / s) | 0;
    for (let i = 0; i < s; i++) F[kWt + i] = F[kKey + i * stride];
    const ks = k * s / nd;
    const sd = 1.5 * Math.sqrt(s) + 1.0;
    let klo = Math.floor(ks - sd), khi = Math.floor(ks + sd) + 1;
    if (klo < 0) klo = 0;
    if (khi > s - 1) khi = s - 1;
    const lo = qselect(0, s - 1, klo);
    const hi = qselect(klo, s - 1, khi);
    if (lo <= hi) {
      let below = 0, m = 0;
      for (let i = 0; i < nn; i++) {
        const v = F[kKey + i];
        below += v < lo ? 1 : 0;
        F[kWt2 + m] = v;
        m += v >= lo && v <= hi ? 1 : 0;
      }
      if (below <= k && k < below + m) {
        return selectKth(kWt2, m, k - below);
      }
    }
  }
  return selectKth(kKey, nn, k);
}

function selectKth(src: number, m: number, k: number): number {
  let from = src, to = kWt, other = kWt2;
  let len = m, kk = k;
  while (len > 1) {
    const a = F[from], b = F[from + (len >>> 1)], c = F[from + len - 1];
    const pv = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    if (pv !== pv) {
      if (from !== kWt) F.copyWithin(kWt, from, from + len);
      frSelect(0, len - 1, kk);
      return F[kWt + kk];
    }
    let lo = 0, hi = len - 1;
    for (let i = 0; i < len; i++) {
      const v = F[from + i];
      F[to + lo] = v;
      F[to + hi] = v;
      lo += v < pv ? 1 : 0;
      hi -= v > pv ? 1 : 0;
    }
    if (kk < lo) {
      len = lo;
      from = to;
    } else if (kk > hi) {
      from = to + hi + 1;
      kk -= hi + 1;
      len -= hi + 1;
    } else {
      return pv;
    }
    const t = to;
    to = other;
    other = t;
  }
  return F[from];
}

function qselect(l0: number, r0: number, k: number): number {
  let l = l0, r = r0;
  while (r > l) {
    const a = F[kWt + l], b = F[kWt + ((l + r) >>> 1)], c = F[kWt + r];
    const pv = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
    if (pv !== pv) {
      frSelect(l, r, k);
      return F[kWt + k];
    }
    let j = l;
    for (let i = l; i <= r; i++) {
      const v = F[kWt + i];
      F[kWt + i] = F[kWt + j];
      F[kWt + j] = v;
      j += v < pv ? 1 : 0;
    }
    if (k < j) {
      r = j - 1;
      continue;
    }
    let e = j;
    for (let i = j; i <= r; i++) {
      const v = F[kWt + i];
      F[kWt + i] = F[kWt + e];
      F[kWt + e] = v;
      e += v <= pv ? 1 : 0;
    }
    if (k < e) return pv;
    l = e;
  }
  return F[kWt + k];
}

function swapK(i: number, j: number): void {
  const t = F[kWt + i];
  F[kWt + i] = F[kWt + j];
  F[kWt + j] = t;
}

function cbrtNewton(x: number): number {
  let bits = 0;
  let v = x;
  while (v >= 2.0) {
    v = v * 0.5;
    bits++;
  }
  let r = 1.0;
  for (let b = 0; b < ((bits / 3) | 0); b++) r = r * 2.0;
  for (let it = 0; it < 8; it++) r = (2.0 * r + x / (r * r)) / 3.0;
  return r;
}

function frSelect(l0: number, r0: number, k: number): void {
  let left = l0, right = r0;
  while (right > left) {
    if (right - left > FR_CUTOFF) {
      const nd = right - left + 1;
      const id = k - left + 1;
      const z = 0.6931471805599453 * (32 - Math.clz32(right - left + 1));
      const c = cbrtNewton(nd);
      const ss = 0.5 * c * c;
      const sg = id - 0.5 * nd < 0.0 ? -1.0 : 1.0;
      const sd = 0.5 * Math.sqrt(z * ss * (nd - ss) / nd) * sg;
      let nl = Math.floor(k - id * ss / nd + sd);
      let nr = Math.floor(k + (nd - id) * ss / nd + sd);
      if (nl < left) nl = left;
      if (nr > right) nr = right;
      if (nl > k) nl = k;
      if (nr < k) nr = k;
      frSelect(nl, nr, k);
    }
    const t = F[kWt + k];
    let i = left, j = right;
    swapK(left, k);
    if (F[kWt + right] > t) swapK(right, left);
    while (i < j) {
      swapK(i, j);
      i++;
      j--;
      while (F[kWt + i] < t) i++;
      while (F[kWt + j] > t) j--;
    }
    if (F[kWt + left] === t) {
      swapK(left, j);
    } else {
      j++;
      swapK(j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

function concentrate(p: number, intercept: number, kC: number, hh: number, steps: number): number {
  evalAll(p, kC);
  brOn = false;
  let obj = selectH(dN, hh, steps > 0 ? SEL_IDS : SEL_SUM);
  brOn = true;
  chainConverged = false;
  chainSteps = 0;
  if (steps > 0) initSums(p, intercept, hh);
  for (let s = 0; s < steps; s++) {
    if (s > 0) updateSums(p, intercept, hh);
    if (!solveSums(p, intercept, hh, kNew)) {
      chainConverged = true;
      break;
    }
    csteps++;
    chainSteps++;
    evalAll(p, kNew);
    const o = selectH(dN, hh, s + 1 < steps ? SEL_DIFF : SEL_SUM);
    if (!(o < obj)) {
      chainConverged = true;
      break;
    }
    obj = o;
    copyCoef(kNew, kC, p);
  }
  return obj;
}

function insert(g: number, obj: number, p: number, kC: number): void {
  if (!(obj < F[kSObj + g * KEEP + KEEP - 1])) return;
  for (let k = 0; k < KEEP; k++) {
    if (F[kSObj + g * KEEP + k] === obj) {
      const kS = kSCoef + (g * KEEP + k) * (p + 1);
      let same = true;
      for (let j = 0; j <= p; j++) {
        if (F[kS + j] !== F[kC + j]) {
          same = false;
          break;
        }
      }
      if (same) return;
    }
  }
  let at = 0;
  while (at < KEEP && !(obj < F[kSObj + g * KEEP + at])) at++;
  for (let k = KEEP - 1; k > at; k--) {
    F[kSObj + g * KEEP + k] = F[kSObj + g * KEEP + k - 1];
    copyCoef(kSCoef + (g * KEEP + k - 1) * (p + 1), kSCoef + (g * KEEP + k) * (p + 1), p);
  }
  F[kSObj + g * KEEP + at] = obj;
  copyCoef(kC, kSCoef + (g * KEEP + at) * (p + 1), p);
}
