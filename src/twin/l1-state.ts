// State and tuning of the L1 kernel — twin of assembly/l1-state.ts: the constants (checked against the
// kernel's by test/kernels/constants.test.ts), the memory views, the current problem and its work
// regions, the small helpers. The other l1-*.ts files read these bindings; every write goes through a
// function of this file.
import { F64, I32 } from './mem.js';
import { SELECT_SCRATCH_BYTES } from './select.js';

export const ZERO_RES = 1e-12;
export const ZERO_DIR = 1e-9;
export const INDEP = 1e-7;
export const CRASH_REJECT = 64;
export const DUAL_TOL = 1e-9;
export const DUAL_ABS = 1e-10;
export const FEAS_TOL = 1.5e-8;
export const EPS = 2.220446049250313e-16;
export const SUBNORMAL_MIN = 5e-324;
export const FLOOR_CAP = 1e-6;
export const REFINE_TOL = 1e-13;
export const REFINE_STEPS = 2;
export const CD_REL = 1e-6;
export const CD_SLOW = 0.5;
export const CD_SLOW_GAIN = 1e-4;
export const CD_SLOW_MIN = 2048;
export const CD_N0 = 1e4;
export const CD_MAX_SWEEPS = 50;
export const REFRESH = 16;
export const PERTURB = 1e-9;
/** Perturbation growth before Bland's rule on perturbed responses (see assembly/l1-state.ts). */
export const PERTURB_GROW = 8;
export const PERTURB_GROWTHS = 3;
export const DEGEN_BLAND = 8;
export const BLOCK = 512;
export const KIND_L1 = 1;

// ---- memory views (bound at entry; every function copies them into local consts F and I, which
// lets the JIT keep the typed arrays in registers) ----
export let mF = F64;
export let mI = I32;
export let mX: Float64Array | Float32Array = F64; // X: F64, or a Float32Array view for f32 storage
// ---- problem ----
export let n = 0;
export let nd = 0;
export let q = 0;
export let ic = 0;
export let tau = 0.5;
let xb = 0; // X (index base in mX)
export let yb = 0;
export let ycb = 0; // responses in use: yb, or rYp while the simplex runs on perturbed data
let wb = 0; // weights, 0 = none (a byte pointer of 0 is never a real region)
// ---- work regions (f64 / i32 index bases; the selection arrays also as byte pointers) ----
export let rR = 0, rV = 0, rVA = 0, rKey = 0, rWt = 0, rYp = 0;
export let iId = 0, iLab = 0;
export let pKey = 0, pWt = 0, pId = 0;
export let rB = 0, rBest = 0, rH = 0, rU = 0, rG = 0, rCS = 0, rBeta = 0, rT = 0, rGam = 0;
export let iSlot = 0, iPiv = 0, iPick = 0;
export let rLU = 0, rQ = 0;
export let pSel = 0;

export function wgt(i: number): number { return wb === 0 ? 1.0 : mF[wb + i]; }
export function col(j: number): number { return xb + (j - ic) * n; }
export function aij(i: number, j: number): number {
  if (j < ic) return i < nd ? 1.0 : 0.0;
  return mX[col(j) + i];
}
export function rho(r: number): number { return r < 0 ? (tau - 1.0) * r : tau * r; }
export function psi(l: number): number { return l > 0 ? tau : tau - 1.0; }
export function jitter(i: number): number {
  let h = Math.imul(i, 0x9e3779b1) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0; h = Math.imul(h, 0x85ebca6b) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0; h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  const u = 0.5 + (h >>> 9) * (0.5 / 8388608.0);
  return (h & 1) !== 0 ? -u : u;
}

/** Face descent (see assembly/l1-state.ts). */
export const FACE_TOL = 1e-6;
export const FACE_MAX_SWEEPS = 40;
export const FACE_SLOW = 0.8;
export const FACE_MIN_ROWS = 2048;

/** Face restriction (see assembly/l1-state.ts): rows C may hold, their rows of X row-major at rXc. */
export const RS_MIN_ROWS = 2048;
export const RS_XC_F64 = 1 << 20;
export function rsCapRows(n: number, pc: number): number {
  if (n < RS_MIN_ROWS) return 0;
  const c = Math.floor(RS_XC_F64 / (pc > 1 ? pc : 1));
  return c < (n >> 1) ? c : n >> 1;
}
export let rXc = 0;
export let rsCap = 0;

export function regionBytes(b: number): number { return Math.ceil(b / 16) * 16; }

export function layoutN(base: number, cap: number): number {
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

export function layout(pWork: number): number {
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
  rGam = p >>> 3; p += qF;
  iSlot = p >>> 2; p += qI;
  iPiv = p >>> 2; p += qI;
  iPick = p >>> 2; p += qI;
  rLU = p >>> 3; p += qq;
  rQ = p >>> 3; p += qq;
  pSel = p;
  p += SELECT_SCRATCH_BYTES;
  p = (p + 15) & ~15;
  rXc = p >>> 3;
  rsCap = rsCapRows(n, q - ic);
  return p + rsCap * (q - ic) * 8;
}

/** Binds the memory views at kernel entry (the twin's memory may have grown since the last call). */
export function bindViews(xv: Float64Array | Float32Array): void {
  mF = F64; mI = I32; mX = xv;
}

/** The problem in use (index bases x in xv, y and w in F64; w = 0: no weights); responses in use = y. */
export function setProblem(nIn: number, ndIn: number, x: number, y: number, w: number,
  xv: Float64Array | Float32Array): void {
  n = nIn; nd = ndIn; xb = x; yb = y; wb = w; ycb = y; mX = xv;
}

export function setShape(p: number, intercept: number, tauIn: number): void {
  ic = intercept !== 0 ? 1 : 0; q = p + ic; tau = tauIn;
}

export function useResponses(y: number): void { ycb = y; }
