// Exact weighted L1 / quantile regression — pure-TypeScript twin of assembly/l1.ts. Same functions,
// same loop order, same pivot rules, same tolerances: both backends take the same path and agree
// bit for bit (test/kernels/l1-kernel.test.ts; test/kernels/l1-glob.test.ts for the globbing path). The algorithm,
// its provenance (Wu & Lange 2008; Barrodale & Roberts 1973/74; Koenker & d'Orey 1987; Bland 1977;
// Portnoy & Koenker 1997) and the tolerance rationale are documented in assembly/l1.ts; comments here
// only mark the correspondence. Where assembly/l1.ts uses f64x2, the twin's scalar loop performs the
// same IEEE operations per row.
//
// Addresses are byte offsets into the twin's linear memory (src/twin/mem.ts); f64 regions are kept as
// Float64Array index bases (byte offset >>> 3), i32 regions as Int32Array index bases (>>> 2).
// State lives in module variables (set at entry): the kernel is not re-entrant from the progress hook.
import { progress } from '../abi/progress.js';
import {
  INFO_LEN, INFO_OBJECTIVE, INFO_ITERATIONS, INFO_RANK, INFO_PRIMAL, INFO_DUAL, INFO_GAP,
  INFO_NONUNIQUE, INFO_DUAL_INFEAS, INFO_EDGE_STEPS, INFO_GLOB_ROUNDS, INFO_GLOB_FIXUPS,
} from '../abi/info.js';
import { STATUS_OK, STATUS_MAXITER, STATUS_CANCELLED, STATUS_NUMERICAL, STATUS_RANK_DEFICIENT } from '../abi/status.js';
import { l2_fit, l2_work_bytes } from './l2.js';
import { F64, I32 } from './mem.js';
import { XS, setX, xview } from './xload.js';
import { wselect, argmin, SELECT_SCRATCH_BYTES } from './select.js';

const ZERO_RES = 1e-12;
const ZERO_DIR = 1e-9;
const INDEP = 1e-7;
const CRASH_REJECT = 64;
const DUAL_TOL = 1e-9;
const DUAL_ABS = 1e-10;
const FEAS_TOL = 1.5e-8;
const EPS = 2.220446049250313e-16;
const SUBNORMAL_MIN = 5e-324;
const FLOOR_CAP = 1e-6;
const REFINE_TOL = 1e-13;
const REFINE_STEPS = 2;
const CD_REL = 1e-6;
const CD_N0 = 1e4;
const CD_MAX_SWEEPS = 50;
const REFRESH = 16;
const PERTURB = 1e-9;
const DEGEN_REL = 1e-14;
const DEGEN_BLAND = 8;
const BLOCK = 512;
const KIND_L1 = 1;

// ---- memory views (bound at entry; every function copies them into local consts F and I, which
// lets the JIT keep the typed arrays in registers) ----
let mF = F64;
let mI = I32;
let mX: Float64Array | Float32Array = F64; // X: F64, or a Float32Array view for f32 storage
// ---- problem ----
let n = 0;
let nd = 0;
let q = 0;
let ic = 0;
let tau = 0.5;
let xb = 0; // X (index base in mX)
let yb = 0;
let ycb = 0; // responses in use: yb, or rYp while the simplex runs on perturbed data
let wb = 0; // weights, 0 = none (a byte pointer of 0 is never a real region)
// ---- work regions (f64 / i32 index bases; the selection arrays also as byte pointers) ----
let rR = 0, rV = 0, rVA = 0, rKey = 0, rWt = 0, rYp = 0;
let iId = 0, iLab = 0;
let pKey = 0, pWt = 0, pId = 0;
let rB = 0, rBest = 0, rH = 0, rU = 0, rG = 0, rCS = 0, rBeta = 0, rT = 0;
let iSlot = 0, iPiv = 0, iPick = 0;
let rLU = 0, rQ = 0;
let pSel = 0;
let nmass = 0;
let sres = 0;
let fscale = 0;

function wgt(i: number): number { return wb === 0 ? 1.0 : mF[wb + i]; }
function col(j: number): number { return xb + (j - ic) * n; }
function aij(i: number, j: number): number {
  if (j < ic) return i < nd ? 1.0 : 0.0;
  return mX[col(j) + i];
}
function rho(r: number): number { return r < 0 ? (tau - 1.0) * r : tau * r; }
function psi(l: number): number { return l > 0 ? tau : tau - 1.0; }
function jitter(i: number): number {
  let h = Math.imul(i, 0x9e3779b1) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  const u = 0.5 + (h >>> 9) * (0.5 / 8388608.0);
  return (h & 1) !== 0 ? -u : u;
}

let kahanC = 0;
function kadd(s: number, x: number): number {
  const t = s + x;
  if (Math.abs(s) >= Math.abs(x)) kahanC += (s - t) + x; else kahanC += (x - t) + s;
  return t;
}

function regionBytes(b: number): number { return Math.ceil(b / 16) * 16; }

/** Work-region bytes for l1_fit (see assembly/l1.ts). */
export function l1_work_bytes(n: number, p: number): number {
  const qq = p + 1;
  const l2 = l2_work_bytes(n, p); // the rank check / warm start runs in the same region first
  let own = 6 * regionBytes(8 * n) + 2 * regionBytes(4 * n) + 8 * regionBytes(8 * qq) +
    3 * regionBytes(4 * qq) + 2 * regionBytes(8 * qq * qq) + SELECT_SCRATCH_BYTES;
  if (n >= globMin || n >= globMinWarm) {
    const c = globCap(n);
    own += regionBytes(4 * n) + regionBytes(4 * c) + regionBytes(8 * c * p) +
      8 * regionBytes(8 * c) + 2 * regionBytes(4 * c);
  }
  return own > l2 ? own : l2;
}

function globCap(n: number): number { return n <= 65536 ? n + 2 : (n >> 2 > 65536 ? n >> 2 : 65536) + 2; }

function layoutN(base: number, cap: number): number {
  const nF = regionBytes(cap * 8), nI = regionBytes(cap * 4);
  let p = base;
  rR = p >>> 3; p += nF;
  rV = p >>> 3; p += nF;
  rVA = p >>> 3; p += nF;
  pKey = p; rKey = p >>> 3; p += nF;
  pWt = p; rWt = p >>> 3; p += nF;
  rYp = p >>> 3; p += nF;
  pId = p; iId = p >>> 2; p += nI;
  iLab = p >>> 2; p += nI;
  return p;
}

function layout(pWork: number): number {
  const qF = regionBytes(q * 8), qI = regionBytes(q * 4), qq = regionBytes(q * q * 8);
  let p = layoutN(pWork, n);
  rB = p >>> 3; p += qF;
  rBest = p >>> 3; p += qF;
  rH = p >>> 3; p += qF;
  rU = p >>> 3; p += qF;
  rG = p >>> 3; p += qF;
  rCS = p >>> 3; p += qF;
  rBeta = p >>> 3; p += qF;
  rT = p >>> 3; p += qF;
  iSlot = p >>> 2; p += qI;
  iPiv = p >>> 2; p += qI;
  iPick = p >>> 2; p += qI;
  rLU = p >>> 3; p += qq;
  rQ = p >>> 3; p += qq;
  pSel = p;
  return p + SELECT_SCRATCH_BYTES;
}

function objective(): number {
  const F = mF;
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const r = F[rR + i];
    if (r !== 0) f += wgt(i) * rho(r);
  }
  return f;
}

function residuals(zero: boolean): void {
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

function residualsOnly(): void {
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

function cdStep(j: number): number {
  const F = mF, I = mI;
  let m = 0;
  let target = 0.0;
  let total = 0.0;
  if (j < ic) {
    for (let i = 0; i < nd; i++) {
      const w = wgt(i);
      if (w > 0) {
        F[rKey + m] = F[rR + i];
        F[rWt + m] = w;
        I[iId + m] = i;
        target += w * tau;
        total += w;
        m++;
      }
    }
  } else {
    const xp = col(j), X = mX;
    const tp = tau, tn = 1.0 - tau;
    for (let i = 0; i < n; i++) {
      const a = X[xp + i], w = wgt(i);
      if (a !== 0 && w > 0) {
        const om = w * Math.abs(a);
        F[rKey + m] = F[rR + i] / a;
        F[rWt + m] = om;
        I[iId + m] = i;
        target += om * (a > 0 ? tp : tn);
        total += om;
        m++;
      }
    }
  }
  if (m === 0) return 0;
  const k = wselect(pKey, pWt, pId, m, target, total, pSel);
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

// ---- basis matrix M: LU with partial pivoting ----

function columnScales(): void {
  const F = mF;
  for (let j = 0; j < q; j++) {
    let m = 0.0;
    if (j < ic) {
      m = 1.0;
    } else {
      const xp = col(j), X = mX;
      for (let i = 0; i < n; i++) if (wgt(i) > 0) { const a = Math.abs(X[xp + i]); if (a > m) m = a; }
    }
    let s = 1.0;
    if (m > 0) {
      while (s < m && s < 8.98846567431158e307) s *= 2.0;
      while (s * 0.5 >= m && s > 2.2250738585072014e-308) s *= 0.5;
    }
    F[rCS + j] = s;
  }
}

function factor(): boolean {
  const F = mF, I = mI;
  for (let s = 0; s < q; s++) {
    const i = I[iSlot + s];
    const row = rLU + s * q;
    if (i >= 0) {
      for (let j = 0; j < q; j++) F[row + j] = aij(i, j) / F[rCS + j];
    } else {
      for (let j = 0; j < q; j++) F[row + j] = 0.0;
      F[row - 1 - i] = 1.0;
    }
  }
  for (let k = 0; k < q; k++) {
    let pr = k;
    let big = Math.abs(F[rLU + k * q + k]);
    for (let i = k + 1; i < q; i++) {
      const v = Math.abs(F[rLU + i * q + k]);
      if (v > big) { big = v; pr = i; }
    }
    I[iPiv + k] = pr;
    if (big === 0) return false;
    if (pr !== k) {
      for (let j = 0; j < q; j++) {
        const t = F[rLU + k * q + j];
        F[rLU + k * q + j] = F[rLU + pr * q + j];
        F[rLU + pr * q + j] = t;
      }
    }
    const d = F[rLU + k * q + k];
    for (let i = k + 1; i < q; i++) {
      const l = F[rLU + i * q + k] / d;
      F[rLU + i * q + k] = l;
      if (l !== 0) for (let j = k + 1; j < q; j++) F[rLU + i * q + j] = F[rLU + i * q + j] - l * F[rLU + k * q + j];
    }
  }
  return true;
}

function solve(x: number): void {
  const F = mF, I = mI;
  for (let k = 0; k < q; k++) {
    const pr = I[iPiv + k];
    if (pr !== k) { const t = F[x + k]; F[x + k] = F[x + pr]; F[x + pr] = t; }
  }
  for (let i = 1; i < q; i++) {
    let s = F[x + i];
    for (let k = 0; k < i; k++) s -= F[rLU + i * q + k] * F[x + k];
    F[x + i] = s;
  }
  for (let i = q - 1; i >= 0; i--) {
    let s = F[x + i];
    for (let k = i + 1; k < q; k++) s -= F[rLU + i * q + k] * F[x + k];
    F[x + i] = s / F[rLU + i * q + i];
  }
}

function edgeLength(s: number): number {
  const F = mF;
  for (let j = 0; j < q; j++) F[rH + j] = j === s ? 1.0 : 0.0;
  solve(rH);
  let t = 0.0;
  for (let j = 0; j < q; j++) { const e = F[rH + j]; t += e * e; }
  return Math.sqrt(t);
}

function solveT(x: number): void {
  const F = mF, I = mI;
  for (let i = 0; i < q; i++) {
    let s = F[x + i];
    for (let k = 0; k < i; k++) s -= F[rLU + k * q + i] * F[x + k];
    F[x + i] = s / F[rLU + i * q + i];
  }
  for (let i = q - 2; i >= 0; i--) {
    let s = F[x + i];
    for (let k = i + 1; k < q; k++) s -= F[rLU + k * q + i] * F[x + k];
    F[x + i] = s;
  }
  for (let k = q - 1; k >= 0; k--) {
    const pr = I[iPiv + k];
    if (pr !== k) { const t = F[x + k]; F[x + k] = F[x + pr]; F[x + pr] = t; }
  }
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

function crash(): void {
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
  residuals(true);
  let fs = 0.0;
  for (let i = 0; i < n; i++) fs += wgt(i) * F[rVA + i];
  fscale = fs;
  for (let i = 0; i < n; i++) {
    const l = I[iLab + i], r = F[rR + i];
    if (l > 0 && r < 0) I[iLab + i] = -1;
    else if (l < 0 && r > 0) I[iLab + i] = 1;
  }
  gradient();
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

let bpTotal = 0;
function breakpoints(): number {
  const F = mF, I = mI;
  let m = 0;
  let total = 0.0;
  for (let i = 0; i < n; i++) {
    const l = I[iLab + i];
    if (l === 0) continue;
    const v = F[rV + i];
    if (!(l > 0 ? v > 0 : v < 0)) continue;
    if (Math.abs(v) <= ZERO_DIR * F[rVA + i]) continue;
    const w = wgt(i);
    if (!(w > 0)) continue;
    let t = F[rR + i] / v;
    if (!(t > 0)) t = 0;
    const jump = w * Math.abs(v);
    F[rKey + m] = t;
    F[rWt + m] = jump;
    I[iId + m] = i;
    total += jump;
    m++;
  }
  bpTotal = total;
  return m;
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

let dualAlpha = 1;
function dualValue(): number {
  const F = mF, I = mI;
  let alpha = 1.0;
  for (let k = 0; k < q; k++) {
    const d = F[rU + k], w = wgt(I[iSlot + k]);
    const hi = w * tau, lo = w * (tau - 1.0);
    if (d > hi) { const a = hi / d; if (a < alpha) alpha = a; }
    else if (d < lo) { const a = lo / d; if (a < alpha) alpha = a; }
  }
  let s = 0.0;
  for (let i = 0; i < n; i++) {
    const l = I[iLab + i];
    if (l !== 0) s += F[rR + i] * wgt(i) * psi(l);
  }
  dualAlpha = alpha;
  return alpha * s;
}

let certDual = 0;
let certPrimal = 0;
let certInfeas = 0;
let certZeros = 0;

function certify(useDual: boolean, alpha: number): void {
  const F = mF;
  residuals(false);
  let zeros = 0;
  kahanC = 0;
  let f = 0.0;
  for (let i = 0; i < n; i++) {
    const r = F[rR + i];
    if (Math.abs(r) <= ZERO_RES * F[rVA + i]) zeros++;
    f = kadd(f, wgt(i) * rho(r));
  }
  certPrimal = f + kahanC;
  certZeros = zeros;
  certifyDual(useDual, alpha);
}

function certifyDual(useDual: boolean, alpha: number): void {
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
  kahanC = 0;
  let s = 0.0;
  for (let i = 0; i < n; i++) s = kadd(s, F[rR + i] * F[rKey + i]);
  certDual = s + kahanC;
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
  certInfeas = infeas;
}

function gapFloor(): number {
  const F = mF;
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

function refineDuals(): void {
  const F = mF;
  for (let j = 0; j < q; j++) F[rT + j] = F[rT + j] / F[rCS + j];
  solveT(rT);
  for (let s = 0; s < q; s++) F[rU + s] = F[rU + s] - F[rT + s];
}

// ---- solver phases on the current problem (see assembly/l1.ts) ----
let sweeps = 0;
let pivots = 0;
let maxIt = 0;
let cancelled = false;
let haveDual = false;
let nonunique = 0;
let bestF = 0;

function runCD(cap: number): void {
  const F = mF;
  residuals(false);
  let f = objective();
  const cdRel = n > CD_N0 ? CD_REL * Math.sqrt(CD_N0 / n) : CD_REL;
  let k = 0;
  while (k < cap && sweeps < maxIt) {
    let moved = false;
    for (let j = 0; j < q; j++) if (cdStep(j) !== 0) moved = true;
    sweeps++;
    k++;
    const fn = objective();
    const gain = f - fn;
    f = fn;
    if (progress(KIND_L1, sweeps + pivots, f, f) !== 0) { cancelled = true; break; }
    if (!moved || !(gain > cdRel * f)) break;
  }
  for (let j = 0; j < q; j++) F[rBest + j] = F[rB + j];
  bestF = f;
}

function startSimplex(): void {
  const F = mF, I = mI;
  residuals(false);
  sres = typicalScale();
  residuals(true);
  for (let i = 0; i < n; i++) {
    const r = F[rR + i];
    I[iLab + i] = r < 0 ? -1 : 1;
    F[rYp + i] = F[yb + i] + PERTURB * (F[rVA + i] + sres) * jitter(i);
  }
  crash();
  ycb = rYp;
  for (let s = 0; s < q; s++) { const i = I[iSlot + s]; if (i >= 0) I[iLab + i] = 0; }
}

function pivotLoop(): number {
  const F = mF, I = mI;
  let status = -1;
  let sigma = 0.0;
  let f = 0.0;
  let since = REFRESH;
  let degen = 0;
  let dualEst = 0.0;
  while (true) {
    if (!factor()) { status = STATUS_NUMERICAL; break; }
    if (since >= REFRESH) {
      refresh();
      since = 0;
      f = objective();
      if (f < bestF) { bestF = f; for (let j = 0; j < q; j++) F[rBest + j] = F[rB + j]; }
    }
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
      const sc = v / edgeLength(s);
      if (sc > score) { score = sc; viol = v; leave = s; }
    }
    if (leave >= 0) {
      art = true;
      sigma = F[rU + leave] > 0 ? -1.0 : 1.0;
    } else {
      let dmass = nmass;
      for (let s = 0; s < q; s++) dmass += Math.abs(F[rU + s]);
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
        if (bland) {
          if (leave < 0 || i < I[iSlot + leave]) { viol = v; leave = s; sigma = sg; }
        } else {
          const sc = v / edgeLength(s);
          if (sc > score) { score = sc; viol = v; leave = s; sigma = sg; }
        }
      }
      haveDual = true;
      dualEst = dualValue();
    }
    if (leave < 0) {
      if (since > 0) { since = REFRESH; continue; }
      if (ycb !== yb) { ycb = yb; since = REFRESH; degen = 0; continue; }
      status = STATUS_OK;
      break;
    }
    if (cancelled) { status = STATUS_CANCELLED; break; }
    if (sweeps + pivots >= maxIt) { status = STATUS_MAXITER; break; }
    let fprime = -viol;
    for (let j = 0; j < q; j++) F[rH + j] = j === leave ? sigma : 0.0;
    solve(rH);
    for (let j = 0; j < q; j++) F[rH + j] = F[rH + j] / F[rCS + j];
    edgeImage();
    let m = breakpoints();
    if (m === 0 && art) {
      sigma = -sigma;
      fprime = -fprime;
      for (let j = 0; j < q; j++) F[rH + j] = -F[rH + j];
      for (let i = 0; i < n; i++) F[rV + i] = -F[rV + i];
      m = breakpoints();
    }
    if (m === 0) { status = STATUS_NUMERICAL; break; }
    const k = bland ? argmin(pKey, pId, m) : wselect(pKey, pWt, pId, m, -fprime, bpTotal, pSel);
    const enter = I[iId + k];
    const t = F[rKey + k];
    const old = I[iSlot + leave];
    if (old >= 0) I[iLab + old] = sigma < 0 ? 1 : -1;
    for (let j = 0; j < q; j++) F[rB + j] = F[rB + j] + t * F[rH + j];
    if (t !== 0) {
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
    degen = t * viol <= DEGEN_REL * f + EPS * fscale ? degen + 1 : 0;
    f = objective();
    if (f < bestF) { bestF = f; for (let j = 0; j < q; j++) F[rBest + j] = F[rB + j]; }
    if (progress(KIND_L1, sweeps + pivots, f, haveDual ? f - dualEst : f) !== 0) cancelled = true;
    haveDual = false;
  }
  return status;
}

function plainSolve(cdCap: number): number {
  runCD(cdCap);
  if (cancelled) return STATUS_CANCELLED;
  startSimplex();
  return pivotLoop();
}

// ---- globbing (Portnoy & Koenker 1997; see assembly/l1.ts) ----
const GLOB_MIN_DEFAULT = 20000;
const GLOB_MIN_WARM_DEFAULT = 2000;
const GLOB_BASE_DEFAULT = 2500;
const GLOB_BASE_Q = 40;
const GLOB_GROW = 8;
const GLOB_BAND = 3;
const GLOB_FIX = 0.1;
const GLOB_ROUNDS = 12;
const GLOB_LEVEL_CD = CD_MAX_SWEEPS;
const MEMB_LO = -1;
const MEMB_HI = -2;
const MEMB_OUT = -3;
const MEMB_BAND = -4;

let globMin = GLOB_MIN_DEFAULT;
let globMinWarm = GLOB_MIN_WARM_DEFAULT;
let globBase = GLOB_BASE_DEFAULT;

/** Internal (tests): globbing threshold and smallest level size (0 = defaults); returns the old threshold. */
export function l1_glob(minRows: number, baseRows: number): number {
  const old = globMin;
  globMin = minRows > 0 ? minRows : GLOB_MIN_DEFAULT;
  globMinWarm = minRows > 0 ? minRows : GLOB_MIN_WARM_DEFAULT;
  globBase = baseRows > 0 ? baseRows : GLOB_BASE_DEFAULT;
  return old;
}

let fN = 0;
let fNd = 0;
let fMX: Float64Array | Float32Array = F64; // the full problem's X view (the reduced X is f64)
let fX = 0;  // f64 index bases
let fY = 0;
let fW = 0;
let fWork = 0; // byte pointer
let gMemb = 0; // i32 index base
let gMap = 0;  // i32 index base
let gX = 0;    // f64 index bases
let gY = 0;
let gW = 0;
let gWork = 0; // byte pointer
let gCap = 0;
let gN = 0;
let gNd = 0;
let globRounds = 0;
let globFixups = 0;

function useFull(): void {
  n = fN; nd = fNd; xb = fX; yb = fY; wb = fW; ycb = fY; mX = fMX;
  layoutN(fWork, fN);
}

function useReduced(): void {
  n = gN; nd = gNd; xb = gX; yb = gY; wb = gW; ycb = gY; mX = mF;
  layoutN(gWork, gCap);
}

function rowHash(i: number): number {
  let h = (Math.imul(i, 0x85ebca6b) + 0x9e3779b9) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0; h = Math.imul(h, 0x7feb352d) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0; h = Math.imul(h, 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h;
}

function classify(thr: number, all: boolean, band: number): void {
  const F = mF, I = mI;
  let m = 0;
  let tw = 0.0;
  for (let i = 0; i < fNd; i++) {
    const w = wgt(i);
    if (!(w > 0) || (!all && rowHash(i) >= thr)) { I[gMemb + i] = MEMB_OUT; continue; }
    I[gMemb + i] = MEMB_BAND;
    if (band > 0) {
      F[rKey + m] = F[rR + i];
      F[rWt + m] = w;
      I[iId + m] = i;
      tw += w;
      m++;
    }
  }
  for (let i = fNd; i < fN; i++) I[gMemb + i] = MEMB_BAND;
  if (!(band > 0) || m === 0) return;
  const share = 0.5 * band / m;
  const tlo = (tau - share) * tw, thi = (tau + share) * tw;
  let klo = -Infinity, khi = Infinity;
  if (tlo > 0) klo = F[rKey + wselect(pKey, pWt, pId, m, tlo, tw, pSel)];
  if (thi < tw) khi = F[rKey + wselect(pKey, pWt, pId, m, thi, tw, pSel)];
  for (let i = 0; i < fNd; i++) {
    if (I[gMemb + i] === MEMB_OUT) continue;
    const r = F[rR + i];
    if (r < klo) I[gMemb + i] = MEMB_LO;
    else if (r > khi) I[gMemb + i] = MEMB_HI;
  }
}

function verifyGlobs(): number {
  const F = mF, I = mI;
  let v = 0;
  for (let i = 0; i < fNd; i++) {
    const m = I[gMemb + i];
    if ((m === MEMB_LO && F[rR + i] > 0) || (m === MEMB_HI && F[rR + i] < 0)) {
      I[gMemb + i] = MEMB_BAND;
      v++;
    }
  }
  return v;
}

function buildReduced(): boolean {
  const F = mF, I = mI;
  let a = 0;
  let nLo = 0, nHi = 0;
  let cLo = 0.0, cHi = 0.0;
  for (let i = 0; i < fNd; i++) {
    const m = I[gMemb + i];
    if (m >= 0 || m === MEMB_BAND) { I[gMemb + i] = a; a++; }
    else if (m === MEMB_LO) { nLo++; cLo += wgt(i); }
    else if (m === MEMB_HI) { nHi++; cHi += wgt(i); }
  }
  const nb = a;
  const gLo = a;
  if (nLo > 0) a++;
  const gHi = a;
  if (nHi > 0) a++;
  const nr = a + (fN - fNd);
  if (nr > gCap) return false;
  for (let i = fNd; i < fN; i++) I[gMemb + i] = a + (i - fNd);
  gN = nr;
  gNd = a;
  let kb = 0, kl = nb, kh = nb + nLo;
  for (let i = 0; i < fNd; i++) {
    const m = I[gMemb + i];
    if (m >= 0) { I[iId + kb] = i; kb++; }
    else if (m === MEMB_LO) { I[iId + kl] = i; kl++; }
    else if (m === MEMB_HI) { I[iId + kh] = i; kh++; }
  }
  for (let c = 0; c <= q - ic; c++) {
    const src = c < q - ic ? fX + c * fN : fY;
    const S = c < q - ic ? fMX : F; // X in its storage precision, or y
    const dst = c < q - ic ? gX + c * nr : gY;
    for (let k = 0; k < nb; k++) F[dst + k] = S[src + I[iId + k]];
    if (nLo > 0) {
      let t = 0.0;
      for (let k = nb; k < nb + nLo; k++) { const i = I[iId + k]; t += wgt(i) * S[src + i]; }
      F[dst + gLo] = t / cLo;
    }
    if (nHi > 0) {
      let t = 0.0;
      for (let k = nb + nLo; k < nb + nLo + nHi; k++) { const i = I[iId + k]; t += wgt(i) * S[src + i]; }
      F[dst + gHi] = t / cHi;
    }
    for (let i = fNd; i < fN; i++) F[dst + a + (i - fNd)] = S[src + i];
  }
  for (let k = 0; k < nb; k++) { const i = I[iId + k]; F[gW + k] = wgt(i); I[gMap + k] = i; }
  for (let i = fNd; i < fN; i++) { F[gW + a + (i - fNd)] = wgt(i); I[gMap + a + (i - fNd)] = i; }
  if (nLo > 0) { F[gW + gLo] = cLo; I[gMap + gLo] = -1; }
  if (nHi > 0) { F[gW + gHi] = cHi; I[gMap + gHi] = -2; }
  return true;
}

function finalStage(redLab: number): number {
  const F = mF, I = mI;
  columnScales();
  let mapped = true;
  for (let s = 0; s < q; s++) {
    const i = I[iSlot + s];
    if (i < 0) { mapped = false; continue; }
    const f = I[gMap + i];
    if (f < 0) mapped = false; else I[iSlot + s] = f;
  }
  if (!mapped) residuals(true);
  for (let i = 0; i < n; i++) {
    const m = I[gMemb + i], r = mapped ? 1.0 : F[rR + i];
    let l = r < 0 ? -1 : 1;
    if (m >= 0) l = I[redLab + m];
    else if (m === MEMB_LO) l = -1;
    else if (m === MEMB_HI) l = 1;
    if (!mapped && l === 0) l = r < 0 ? -1 : 1;
    I[iLab + i] = l;
  }
  if (!mapped) {
    for (let j = 0; j < q; j++) I[iPick + j] = -1;
    crash();
    for (let s = 0; s < q; s++) { const i = I[iSlot + s]; if (i >= 0) I[iLab + i] = 0; }
  }
  ycb = yb;
  bestF = Infinity;
  return pivotLoop();
}

function globSolve(userStart: boolean): number {
  const qd = q;
  let base = globBase;
  if (base < GLOB_BASE_Q * q) base = GLOB_BASE_Q * q;
  let levels = 0;
  let size = fNd;
  if (!userStart) while (size / GLOB_GROW >= base) { size /= GLOB_GROW; levels++; }
  if (!userStart && levels === 0) return -1;
  let redLab = 0;
  for (let lev = levels; lev >= 0; lev--) {
    let frac = 1.0;
    for (let k = 0; k < lev; k++) frac /= GLOB_GROW;
    const all = lev === 0;
    const thr = all ? 0 : Math.trunc(frac * 4294967296.0);
    const plain = lev === levels && !userStart;
    let band = 0.0;
    if (!plain) {
      band = GLOB_BAND * Math.sqrt(GLOB_GROW * qd * fNd * frac);
      if (band > 0.5 * fNd * frac) return -1;
      residualsOnly();
    }
    classify(thr, all, band);
    let cdCap = plain ? CD_MAX_SWEEPS : GLOB_LEVEL_CD;
    let rounds = 0;
    while (true) {
      if (!buildReduced()) return -1;
      useReduced();
      const st = plainSolve(cdCap);
      globRounds++;
      redLab = iLab;
      useFull();
      ycb = yb;
      if (st === STATUS_CANCELLED || st === STATUS_MAXITER) { haveDual = false; return st; }
      if (st !== STATUS_OK) { haveDual = false; return -1; }
      if (plain) break;
      residualsOnly();
      const v = verifyGlobs();
      if (v === 0) break;
      globFixups += v;
      if (++rounds >= GLOB_ROUNDS) { haveDual = false; return -1; }
      if (v > GLOB_FIX * band) {
        band *= 2;
        classify(thr, all, band);
      }
      cdCap = CD_MAX_SWEEPS; // from the last vertex: a few sweeps save many pivots
    }
  }
  return finalStage(redLab);
}

/** Exact weighted L1 / quantile regression (see assembly/l1.ts and src/abi/kernels.ts). */
export function l1_fit(nIn: number, nData: number, p: number, x: number, y: number, w: number, intercept: number,
  tauIn: number, maxIter: number, tol: number, pStart: number,
  pCoef: number, pInfo: number, pFlags: number, pWork: number, xf32 = 0): number {
  setX(xf32);
  const userStart = pStart !== 0;
  if (nData === nIn) {
    // Rank check and least-squares warm start inside the same kernel call (see assembly/l1.ts).
    const st = l2_fit(nIn, p, x, y, w, intercept, 0, pCoef, pInfo, pFlags, pWork, xf32);
    if (st === STATUS_RANK_DEFICIENT || st === STATUS_NUMERICAL) return st;
    if (pStart === 0) pStart = pCoef;
  }
  mF = F64; mI = I32; mX = xview(); fMX = mX;
  const F = mF, I = mI;
  n = nIn; nd = nData; ic = intercept !== 0 ? 1 : 0; q = p + ic; tau = tauIn;
  xb = x >>> XS; yb = y >>> 3; wb = w >>> 3; ycb = yb; sres = 0;
  fN = nIn; fNd = nData; fX = xb; fY = yb; fW = wb; fWork = pWork;
  const glob = nIn >= globMin || (userStart && nIn >= globMinWarm);
  const end = layout(pWork);
  if (glob) {
    gCap = globCap(nIn);
    const cF = regionBytes(gCap * 8), cI = regionBytes(gCap * 4);
    let e = end;
    gMemb = e >>> 2; e += regionBytes(nIn * 4);
    gMap = e >>> 2; e += cI;
    gX = e >>> 3; e += regionBytes(gCap * p * 8);
    gY = e >>> 3; e += cF;
    gW = e >>> 3; e += cF;
    gWork = e;
  }
  const info = pInfo >>> 3, coef = pCoef >>> 3, flags = pFlags >>> 2, start = pStart >>> 3;
  for (let k = 0; k < INFO_LEN; k++) F[info + k] = 0.0;
  for (let k = 0; k < p; k++) I[flags + k] = 0;
  const off = 1 - ic;
  for (let j = 0; j < q; j++) {
    F[rB + j] = pStart !== 0 ? F[start + j + off] : 0.0;
    F[rBeta + j] = 0.0;
    I[iPick + j] = -1;
  }
  sweeps = 0; pivots = 0; maxIt = maxIter;
  cancelled = false; haveDual = false; nonunique = 0;
  globRounds = 0; globFixups = 0;

  let status = -1;
  if (glob) {
    status = globSolve(userStart);
    useFull();
  }
  if (status < 0) status = plainSolve(maxIter < CD_MAX_SWEEPS ? maxIter : CD_MAX_SWEEPS);

  // ---- result ----
  const ok = status === STATUS_OK;
  ycb = yb;
  if (!ok) for (let j = 0; j < q; j++) F[rB + j] = F[rBest + j];
  certify(haveDual, ok ? 1.0 : dualAlpha);
  for (let k = 0; k < REFINE_STEPS && ok && certInfeas > REFINE_TOL; k++) {
    refineDuals();
    certifyDual(true, 1.0);
  }
  if (ok) {
    const fs = Math.max(1.0, Math.abs(certPrimal));
    const floor = Math.min(gapFloor(), FLOOR_CAP * fs);
    if (!(certInfeas <= FEAS_TOL && certPrimal - certDual <= tol * fs + floor)) {
      status = STATUS_NUMERICAL;
      const fVertex = certPrimal, dVertex = certDual, zVertex = certZeros, iVertex = certInfeas;
      for (let j = 0; j < q; j++) { F[rH + j] = F[rB + j]; F[rB + j] = F[rBest + j]; }
      certify(true, 1.0);
      if (!(certPrimal < fVertex)) {
        for (let j = 0; j < q; j++) F[rB + j] = F[rH + j];
        certPrimal = fVertex; certDual = dVertex; certZeros = zVertex; certInfeas = iVertex;
      }
    }
  }
  const gap = certPrimal - certDual;
  if (ic) F[coef] = F[rB]; else F[coef] = 0.0;
  for (let j = ic; j < q; j++) F[coef + j + off] = F[rB + j];
  F[info + INFO_OBJECTIVE] = certPrimal;
  F[info + INFO_PRIMAL] = certPrimal;
  F[info + INFO_DUAL] = certDual;
  F[info + INFO_GAP] = gap;
  F[info + INFO_ITERATIONS] = sweeps;
  F[info + INFO_EDGE_STEPS] = pivots;
  F[info + INFO_RANK] = certZeros;
  F[info + INFO_NONUNIQUE] = ok ? nonunique : 0.0;
  F[info + INFO_DUAL_INFEAS] = certInfeas;
  F[info + INFO_GLOB_ROUNDS] = globRounds;
  F[info + INFO_GLOB_FIXUPS] = globFixups;
  return status;
}
