// S- and MM-estimation of a linear model with Tukey's bisquare rho: mm_work_bytes, mm_fit.
// Mirrored statement for statement by the TypeScript twin src/twin/mm.ts (scalar code only; no FMA;
// every weighted least-squares step is l2Solve, itself bit-identical across backends), so both
// backends return the same bits (test/estimators/mm-properties.test.ts checks).
//
// The algorithm is robustbase's lmrob() default, method "MM" (robustbase 0.95, R/lmrob.MM.R and
// src/lmrob.c, read for the algorithm only; no code copied):
//
//  rho(x) = 1 - (1 - (x/c)^2)^3 for |x| <= c, 1 beyond (bisquare, normalised to sup rho = 1);
//  w(x)   = (1 - (x/c)^2)^2 for |x| <= c, 0 beyond (= psi(x)/x, the IRLS weight).
//
//  S stage (Salibian-Barrera & Yohai 2006, "fast-S"), constant c = cChi, right-hand side bb:
//   the M-scale s(r) solves (1/(n - q)) sum_i rho(r_i / s) = bb, q = p + intercept (find_scale:
//   the fixed-point iteration s <- s sqrt(mean_rho / bb), stopped when the relative change is at
//   most scaleTol, maxitScale steps at most). The S-estimate minimises s(y - X b).
//   1. nResample candidates: q rows drawn at random (mulberry32 generator seeded by `seed`, rows
//      drawn without replacement), the interpolating fit through them (Gaussian elimination with
//      partial pivoting on the column-equilibrated q x q system; a pivot below solveTol means a
//      singular subset, which is redrawn, at most MAX_REDRAW times per candidate).
//   2. Each candidate is refined by kFast "refinement steps" started from s0 = MAD(r) (= 1.4826 *
//      median |r|, centre 0): s0 <- s0 sqrt(mean_rho(r / s0) / bb), then one weighted least-squares
//      step with weights w(r / s0) (l2Solve). If more than half of the residuals of a candidate are
//      zero (|r| <= zeroTol * mean|y|) or its MAD is 0, the data hold an exact fit: that fit is
//      returned with scale 0 (robustbase's rule).
//   3. A refined candidate enters the list of the bestR best when mean_rho(r / s_worst) < bb (then
//      its scale, solved by find_scale, is below the worst kept one).
//   4. The bestR kept candidates are refined to convergence (at most kMax steps; converged when
//      ||b_new - b_old||_2 <= refineTol max(refineTol, ||b_old||_2), norms over [b0, b]); the one with
//      the smallest scale is the S-estimate, its scale the last scale of its refinement, as in
//      robustbase.
//   Large n (n > largeN, default 2000): robustbase's fast_s_large_n scheme: groups x nGroup rows drawn
//   without replacement; the candidate search (steps 1-3) runs in each group (nGroup rows) keeping
//   bestR per group; those groups * bestR are refined by kFast steps on the pooled groups and the bestR
//   best kept; only these are refined to convergence on all n rows.
//
//  M stage (IRLS at the fixed S-scale s, constant c = cPsi; robustbase rwls): from the S-estimate
//   (or the caller's start), repeat: weights w(r / s), weighted least squares, new residuals, until
//   ||b_new - b_old||_1 <= relTol max(relTol, ||b_new||_1), at most maxIter - 1 solves (robustbase's
//   count). Every weighted solve of either stage is l2Solve's exact weighted least squares
//   (refined against the data), so iterates agree with robustbase's QR-based ones to rounding.
//
// Threads: the passes over all n rows — residuals, the rho sums of the M-scale and the weighted Gram
// matrix of the refinement steps (fastGram) — are block passes (PASS_MM) over fixed chunks of M_ROWS
// rows ("row chunks" below), reduced in chunk order (the twin does the same), so 1, 2, 3, ... threads
// give the same bits; the weighted solves of the M stage are l2Solve's own block passes. Passes over
// at most M_ROWS rows (the subsamples of the S stage) are one chunk: the former single sweep.
//
// Inputs: params region (f64, see P_* below), start region [b0, b_1..b_p, scale] (used when
// P_HAS_START = 1: the S stage is skipped). Outputs: coefS [b0, b] (S-estimate, or the start),
// coef [b0, b] (MM), res0 (n residuals of the S-estimate), res (n residuals of the MM-estimate),
// info (MMI_* below). Statuses: OK; MAXITER (M stage did not converge: last iterate returned);
// RANK_DEFICIENT (no nonsingular elemental subset found, or the first M solve is rank deficient);
// CANCELLED (progress hook); NUMERICAL (a non-finite result).

import { l2Solve, l2_work_bytes } from "./l2";
import { XS, setX, setXS, xat, xld, xld2, xatx, ldx } from "./xload";
import { progress } from "./env";
import { PAR_SLOTS, PASS_MM, parRun } from "./par";
import { INFO_LEN } from "./info";
import { STATUS_OK, STATUS_MAXITER, STATUS_RANK_DEFICIENT, STATUS_CANCELLED, STATUS_NUMERICAL } from "./status";

// params region (f64 slots)
const P_NRES: i32 = 0;
const P_BEST_R: i32 = 1;
const P_K_FAST: i32 = 2;
const P_K_MAX: i32 = 3;
const P_MAXIT_SCALE: i32 = 4;
const P_REFINE_TOL: i32 = 5;
const P_REL_TOL: i32 = 6;
const P_SCALE_TOL: i32 = 7;
const P_ZERO_TOL: i32 = 8;
const P_C_CHI: i32 = 9;
const P_BB: i32 = 10;
const P_C_PSI: i32 = 11;
const P_MAX_IT: i32 = 12;
const P_SEED: i32 = 13;
const P_GROUPS: i32 = 14;
const P_N_GROUP: i32 = 15;
const P_LARGE_N: i32 = 16;
const P_SOLVE_TOL: i32 = 17;
const P_HAS_START: i32 = 18;

// info region (f64 slots), MMI_LEN of them
const MMI_S_SCALE: i32 = 0;
const MMI_S_CONVERGED: i32 = 1;
const MMI_S_ITER: i32 = 2;
const MMI_M_ITER: i32 = 3;
const MMI_M_CONVERGED: i32 = 4;
const MMI_OBJECTIVE: i32 = 5;
const MMI_EXACT: i32 = 6;
const MMI_SINGULAR: i32 = 7;
const MMI_CANDIDATES: i32 = 8;
const MMI_FAILED: i32 = 9;
const MMI_LEN: i32 = 12;

/** Progress-hook kind of this kernel (assembly/env.ts: 1 L1, 2 IRLS, 3 L2). */
const KIND_MM: i32 = 4;
/** Redraws of a singular elemental subset before the candidate is skipped. */
const MAX_REDRAW: i32 = 50;
/** Smallest pivot (unit-diagonal Gram matrix) of the lean candidate solve; below it l2Solve is used. */
const LEAN_PIVOT: f64 = 1e-8;
/** 1.4826: robustbase's MAD consistency factor (rounded 1 / Phi^-1(3/4)). */
const MAD_CONST: f64 = 1.4826;

// @ts-ignore: decorator
@inline function ldf(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline function stf(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
// @ts-ignore: decorator
@inline function ldi(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline function sti(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline function al16(b: f64): f64 { return Math.ceil(b / 16.0) * 16.0; }

// ------------------------------------------------------------------------------------ state
let rngState: u32 = 0;
let nSingular: i32 = 0;
let nCandidates: i32 = 0;
let nFailed: i32 = 0;
let cancelled: bool = false;
let progressCount: i32 = 0;
let bestSoFar: f64 = 0;
// results of refine()
let refScale: f64 = 0;
let refConv: bool = false;

// work pointers (set at entry)
let wL2: usize = 0;
let wL2Info: usize = 0;
let wFlags: usize = 0;
let wRes: usize = 0;
let wWt: usize = 0;
let wMed: usize = 0;
let wInd: usize = 0;
let wBj: usize = 0;
let wBref: usize = 0;
let wBcand: usize = 0;
let wLU: usize = 0;
let wRhs: usize = 0;
let wCs: usize = 0;
let wSub: usize = 0;
let wG: usize = 0;
let wGb: usize = 0;
let wMx: usize = 0;
let wGa: usize = 0;
let wD: usize = 0;
let wCtr: usize = 0;
let wBlk: usize = 0;

/** mulberry32 (T. Ettinger, public domain): 32-bit state, 32-bit output. */
function rnd(): u32 {
  rngState += 0x6D2B79F5;
  let t = rngState;
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  return t ^ (t >>> 14);
}

/** Uniform-ish integer in [0, m) (m << 2^32: the modulo bias is below m / 2^32). */
function rndInt(m: i32): i32 {
  return <i32>(rnd() % <u32>m);
}

export function rhoBisq(x: f64, c: f64): f64 {
  if (abs<f64>(x) > c) return 1.0;
  let t = x / c;
  t = t * t;
  return t * (3.0 + t * (-3.0 + t));
}

export function wgtBisq(x: f64, c: f64): f64 {
  if (abs<f64>(x) > c) return 0.0;
  let a = x / c;
  a = (1.0 - a) * (1.0 + a);
  return a * a;
}

/** k-th smallest (0-based) of a[0..m) (a is overwritten; pS: scratch of m f64). Each round splits the
 *  values around the median of the first, middle and last ones without branches: every value is stored
 *  both at the next "less" slot (front of the other buffer) and the next "greater" slot (back), and
 *  only the counter of its side advances; values equal to the pivot end between the two. The value
 *  returned is the order statistic itself, whatever the partition order. */
function selectK(pA: usize, m: i32, k: i32, pS: usize): f64 {
  let src = pA, dst = pS;
  let n = m;
  let kk = k;
  while (n > 16) {
    const x0 = ldf(src, 0), x1 = ldf(src, n >> 1), x2 = ldf(src, n - 1);
    const piv = max<f64>(min<f64>(x0, x1), min<f64>(max<f64>(x0, x1), x2));
    let nl = 0, ng = 0;
    for (let i = 0; i < n; i++) {
      const v = ldf(src, i);
      stf(dst, nl, v);
      stf(dst, n - 1 - ng, v);
      nl += <i32>(v < piv);
      ng += <i32>(v > piv);
    }
    const t = src;
    if (kk < nl) {
      n = nl;
      src = dst;
    } else if (kk >= n - ng) {
      kk -= n - ng;
      src = dst + (<usize>(n - ng) << 3);
      n = ng;
    } else {
      return piv;
    }
    dst = t;
  }
  for (let i = 1; i < n; i++) {
    const v = ldf(src, i);
    let j = i - 1;
    while (j >= 0 && ldf(src, j) > v) {
      stf(src, j + 1, ldf(src, j));
      j--;
    }
    stf(src, j + 1, v);
  }
  return ldf(src, kk);
}

/** |r_i| into wMed (for madZero); returns the number of |r_i| <= zt (f64x2; counts are exact). */
function absCount(m: i32, pR: usize, zt: f64): i32 {
  const vzt = f64x2.splat(zt);
  let cnt = i64x2.splat(0);
  const even = m & ~1;
  for (let i = 0; i < even; i += 2) {
    const o = <usize>i << 3;
    const v = f64x2.abs(v128.load(pR + o));
    v128.store(wMed + o, v);
    cnt = i64x2.sub(cnt, f64x2.le(v, vzt));
  }
  let z = <i32>(i64x2.extract_lane(cnt, 0) + i64x2.extract_lane(cnt, 1));
  if (even < m) {
    const v = abs<f64>(ldf(pR, even));
    stf(wMed, even, v);
    z += <i32>(v <= zt);
  }
  return z;
}

/** MAD about 0: 1.4826 median |r| (mean of the two middle values for even m), |r| already in wMed
 *  (absCount). Scratch: wWt. */
function madZero(m: i32, pR: usize): f64 {
  const h = m >> 1;
  if ((m & 1) != 0) return selectK(wMed, m, h, wWt) * MAD_CONST;
  const a = selectK(wMed, m, h - 1, wWt);
  // the h-th smallest: a again when more than h values are <= a, else the smallest value above a
  const va = f64x2.splat(a);
  let cnt = i64x2.splat(0);
  let vb = f64x2.splat(Infinity);
  const inf = f64x2.splat(Infinity);
  for (let i = 0; i < m; i += 2) { // m even
    const v = f64x2.abs(v128.load(pR + (<usize>i << 3)));
    cnt = i64x2.sub(cnt, f64x2.le(v, va));
    vb = f64x2.min(vb, v128.bitselect(v, inf, f64x2.gt(v, va)));
  }
  let b = min<f64>(f64x2.extract_lane(vb, 0), f64x2.extract_lane(vb, 1));
  if (i64x2.extract_lane(cnt, 0) + i64x2.extract_lane(cnt, 1) > <i64>h) b = a;
  return (a + b) / 2.0 * MAD_CONST;
}

/** robustbase find_scale: s <- s sqrt(mean_rho(r / s) / bb) until |s - s_prev| <= tol s_prev. */
function findScale(m: i32, q: i32, pR: usize, s0: f64, c: f64, bb: f64, maxit: i32, tol: f64): f64 {
  if (s0 <= 0.0) return 0.0;
  let prev = s0;
  let s = s0;
  for (let it = 0; it < maxit; it++) {
    s = prev * Math.sqrt(meanRho(m, q, pR, prev, c) / bb);
    if (abs<f64>(s - prev) <= tol * prev) return s;
    prev = s;
  }
  return s;
}

function norm2Diff(q1: i32, pA: usize, pB: usize): f64 {
  let s = 0.0;
  for (let j = 0; j < q1; j++) {
    const d = ldf(pA, j) - ldf(pB, j);
    s += d * d;
  }
  return Math.sqrt(s);
}

function norm2(q1: i32, pA: usize): f64 {
  let s = 0.0;
  for (let j = 0; j < q1; j++) s += ldf(pA, j) * ldf(pA, j);
  return Math.sqrt(s);
}

function copyVec(k: i32, pFrom: usize, pTo: usize): void {
  for (let j = 0; j < k; j++) stf(pTo, j, ldf(pFrom, j));
}

/** Rows per block of the blocked passes (even: f64x2 row pairs never straddle blocks). */
const BL: i32 = 128;

// ---- row chunks: the fixed decomposition of the full-data passes (block passes, assembly/par.ts) ----
// The residuals, the rho sums and the weighted Gram matrix of the refinement steps run over chunks of
// M_ROWS rows (a whole number of BL blocks; one chunk up to M_ROWS rows: the former single sweep).
// Residuals are per row; a sum or Gram matrix is accumulated by each chunk from zero exactly as one
// sweep over its rows, and the kernel adds the chunks' results in chunk order. The decomposition
// depends on the row count only, never on the thread count; the twin adds the same chunks in order.

/** Rows per chunk (a multiple of BL). */
const M_ROWS: i32 = 16384;
/** Argument slots of a chunk pass (kernel-only). */
const M_ARGS: i32 = 16;
const aKind = 0, aM = 1, aP = 2, aT = 3, aX = 4, aY = 5, aB = 6, aOut = 7, aInv = 8, aPart = 9, aStride = 10,
  aBlk = 11, aScrN = 12, aSStride = 13, aCtr = 14, aRes = 15;
/** Chunk pass kinds. */
const kResid: i32 = 0, kRho: i32 = 1, kGram: i32 = 2;
/** The argument region (M_ARGS f64, then the chunks' partial slots, then the scratch of participant
 *  slots 1..PAR_SLOTS-1: one row block each). */
let wArgs: usize = 0;

function rowChunks(m: i32): i32 {
  return m <= M_ROWS ? 1 : (m + M_ROWS - 1) / M_ROWS;
}

/** Bytes of the argument region for up to m rows and p columns. */
function chunkBytes(m: i32, p: i32): f64 {
  const P2 = <f64>p + 2.0;
  return al16(8.0 * <f64>M_ARGS) + al16(8.0 * <f64>rowChunks(m) * P2 * P2) + <f64>(PAR_SLOTS - 1) * blockBytes(p);
}

/** Bytes of one row block of fastGram ((p + 1 + 4) columns of BL rows, as wBlk). */
function blockBytes(p: i32): f64 {
  return al16(8.0 * (<f64>p + 5.0) * <f64>BL);
}

/** The arguments common to every chunk pass; returns the region. */
function chunkArgs(kind: i32, m: i32, p: i32, pX: usize, pY: usize): usize {
  const a = wArgs;
  stf(a, aKind, <f64>kind);
  stf(a, aM, <f64>m);
  stf(a, aP, <f64>p);
  stf(a, aT, <f64>XS);
  stf(a, aX, <f64>pX);
  stf(a, aY, <f64>pY);
  stf(a, aPart, <f64>(a + <usize>al16(8.0 * <f64>M_ARGS)));
  return a;
}

/** Runs the chunks of the pass at pArgs over m rows: on the host's thread pool, or here in order. */
function runChunks(pArgs: usize, m: i32): void {
  const nc = rowChunks(m);
  if (parRun(PASS_MM, pArgs, nc)) return;
  for (let c = 0; c < nc; c++) mmChunk(pArgs, c, 0);
}

/** Chunk c of the pass at pArgs (block pass PASS_MM; reads only the argument region: no globals). */
export function mmChunk(pArgs: usize, c: i32, slot: i32): void {
  const kind = <i32>ldf(pArgs, aKind);
  const m = <i32>ldf(pArgs, aM), p = <i32>ldf(pArgs, aP);
  const f64x = <i32>ldf(pArgs, aT) == 3;
  const pX = <usize>ldf(pArgs, aX), pY = <usize>ldf(pArgs, aY);
  const r0 = c * M_ROWS;
  const r1 = min<i32>(m, r0 + M_ROWS);
  if (kind == kResid) {
    const pB = <usize>ldf(pArgs, aB), pOut = <usize>ldf(pArgs, aOut);
    if (f64x) residualsT<f64>(m, p, pX, pY, pB, pOut, r0, r1); else residualsT<f32>(m, p, pX, pY, pB, pOut, r0, r1);
  } else if (kind == kRho) {
    stf(<usize>ldf(pArgs, aPart), c, rhoRows(<usize>ldf(pArgs, aOut), ldf(pArgs, aInv), r0, r1));
  } else {
    const P2 = p + 2;
    const ga = <usize>ldf(pArgs, aPart) + (<usize>(c * P2 * P2) << 3);
    const blk = slot == 0 ? <usize>ldf(pArgs, aBlk) : <usize>ldf(pArgs, aScrN) + <usize>(slot - 1) * <usize>ldf(pArgs, aSStride);
    const ctr = <usize>ldf(pArgs, aCtr), res = <usize>ldf(pArgs, aRes), inv = ldf(pArgs, aInv);
    if (f64x) fastGramRows<f64>(m, p, pX, pY, inv, ctr, res, blk, ga, r0, r1);
    else fastGramRows<f32>(m, p, pX, pY, inv, ctr, res, blk, ga, r0, r1);
  }
}

/** sum_i rho(r_i * inv) over m residuals at pR, inv = 1 / (s c): rho(a) = a^2 (3 - 3 a^2 + a^4) for
 *  |a| <= 1, else 1; chunk by chunk (rhoRows), the chunks' sums added in chunk order. */
function rhoSum(m: i32, pR: usize, inv: f64): f64 {
  const nc = rowChunks(m);
  if (nc == 1) return rhoRows(pR, inv, 0, m);
  const a = chunkArgs(kRho, m, 0, 0, 0);
  stf(a, aOut, <f64>pR);
  stf(a, aInv, inv);
  runChunks(a, m);
  const part = <usize>ldf(a, aPart);
  let s = ldf(part, 0);
  for (let c = 1; c < nc; c++) s += ldf(part, c);
  return s;
}

/** rhoSum over rows r0..r1-1 (r0 even). f64x2 lanes: even rows in lane 0, odd rows in lane 1, added at
 *  the end, then the last row when the count is odd. */
function rhoRows(pR: usize, inv: f64, r0: i32, r1: i32): f64 {
  const vinv = f64x2.splat(inv);
  const one = f64x2.splat(1.0), three = f64x2.splat(3.0), m3 = f64x2.splat(-3.0);
  let acc = f64x2.splat(0.0);
  const even = r0 + ((r1 - r0) & ~1);
  for (let i = r0; i < even; i += 2) {
    const a = f64x2.mul(v128.load(pR + (<usize>i << 3)), vinv);
    const t = f64x2.mul(a, a);
    const r = f64x2.mul(t, f64x2.add(three, f64x2.mul(t, f64x2.add(m3, t))));
    acc = f64x2.add(acc, v128.bitselect(one, r, f64x2.gt(f64x2.abs(a), one)));
  }
  let s = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  if (even < r1) {
    const a = ldf(pR, even) * inv;
    const t = a * a;
    s += abs<f64>(a) > 1.0 ? 1.0 : t * (3.0 + t * (-3.0 + t));
  }
  return s;
}

/** (1 / (m - q)) sum_i rho(r_i / s) (rho with constant c, via rhoSum). */
function meanRho(m: i32, q: i32, pR: usize, s: f64, c: f64): f64 {
  return rhoSum(m, pR, 1.0 / (s * c)) / (<f64>m - <f64>q);
}

function setWeights(m: i32, pR: usize, s: f64, c: f64, pW: usize): void {
  for (let i = 0; i < m; i++) {
    const r = ldf(pR, i);
    stf(pW, i, wgtBisq(r == 0.0 ? 0.0 : r / s, c));
  }
}

/** out = y - b0 - X b (per row: ((y - b0) - x_1 b_1) - x_2 b_2 ...; X read in the precision of the
 *  current XS), in row blocks of BL so the output block stays in cache, f64x2 over row pairs. */
function residuals(m: i32, p: i32, pX: usize, pY: usize, pB: usize, pOut: usize): void {
  if (rowChunks(m) == 1) {
    if (XS == 3) residualsT<f64>(m, p, pX, pY, pB, pOut, 0, m); else residualsT<f32>(m, p, pX, pY, pB, pOut, 0, m);
    return;
  }
  const a = chunkArgs(kResid, m, p, pX, pY);
  stf(a, aB, <f64>pB);
  stf(a, aOut, <f64>pOut);
  runChunks(a, m);
}
/** residuals on rows r0..r1-1 (r0 a multiple of BL: the blocks of one sweep over all rows). */
function residualsT<T>(m: i32, p: i32, pX: usize, pY: usize, pB: usize, pOut: usize, r0: i32, r1: i32): void {
  const b0 = ldf(pB, 0);
  const vb0 = f64x2.splat(b0);
  for (let i0 = r0; i0 < r1; i0 += BL) {
    const len = min<i32>(BL, r1 - i0);
    const even = len & ~1;
    const po = pOut + (<usize>i0 << 3);
    const py = pY + (<usize>i0 << 3);
    for (let i = 0; i < even; i += 2) v128.store(po + (<usize>i << 3), f64x2.sub(v128.load(py + (<usize>i << 3)), vb0));
    if (even < len) stf(po, even, ldf(py, even) - b0);
    for (let j = 0; j < p; j++) {
      const bj = ldf(pB, j + 1);
      const vbj = f64x2.splat(bj);
      const xb = xat<T>(pX, m, j, i0);
      for (let i = 0; i < even; i += 2) {
        const o = po + (<usize>i << 3);
        v128.store(o, f64x2.sub(v128.load(o), f64x2.mul(xld2<T>(xb, i), vbj)));
      }
      if (even < len) stf(po, even, ldf(po, even) - xld<T>(xb, even) * bj);
    }
  }
}

/** Centres of fastWls on m rows: unweighted column means of X (wCtr[0..p)) and of y (wCtr[p]);
 *  0 without an intercept. */
function centres(m: i32, p: i32, pX: usize, pY: usize, intercept: i32): void {
  if (XS == 3) centresT<f64>(m, p, pX, pY, intercept); else centresT<f32>(m, p, pX, pY, intercept);
}
function centresT<T>(m: i32, p: i32, pX: usize, pY: usize, intercept: i32): void {
  for (let j = 0; j < p; j++) {
    let s = 0.0;
    if (intercept != 0) {
      const col = xat<T>(pX, m, j, 0);
      for (let i = 0; i < m; i++) s += xld<T>(col, i);
      s = s / <f64>m;
    }
    stf(wCtr, j, s);
  }
  let s = 0.0;
  if (intercept != 0) {
    for (let i = 0; i < m; i++) s += ldf(pY, i);
    s = s / <f64>m;
  }
  stf(wCtr, p, s);
}

/** Add the lower triangle of the Gram matrix of the P2 block columns (len2 rows, even) to wGa: every
 *  entry is one f64x2 accumulator over row pairs (lane 0 even rows, lane 1 odd rows; lane 0 + lane 1
 *  at the end); four entries of a row of the triangle share each load of column a (the row's length
 *  rounded up to 4: wBlk holds zero columns up to a multiple of 4). */
function gramBlockMM(P2: i32, len2: i32, blk: usize, gOut: usize): void {
  const stride = <usize>BL << 3;
  for (let a = 0; a < P2; a++) {
    const za = blk + <usize>a * stride;
    const ga = gOut + (<usize>(a * P2) << 3);
    for (let b = 0; b <= a; b += 4) {
      // columns b..b + 3 exist: the block has P2 rounded up to 4 columns, the extra ones zero
      const z0 = blk + <usize>b * stride;
      const z1 = z0 + stride, z2 = z1 + stride, z3 = z2 + stride;
      let c0 = f64x2.splat(0.0), c1 = f64x2.splat(0.0), c2 = f64x2.splat(0.0), c3 = f64x2.splat(0.0);
      for (let i = 0; i < len2; i += 2) {
        const o = <usize>i << 3;
        const x = v128.load(za + o);
        c0 = f64x2.add(c0, f64x2.mul(x, v128.load(z0 + o)));
        c1 = f64x2.add(c1, f64x2.mul(x, v128.load(z1 + o)));
        c2 = f64x2.add(c2, f64x2.mul(x, v128.load(z2 + o)));
        c3 = f64x2.add(c3, f64x2.mul(x, v128.load(z3 + o)));
      }
      // entries above the diagonal (b + k > a) are computed for the 4-way ILP and dropped
      stf(ga, b, ldf(ga, b) + (f64x2.extract_lane(c0, 0) + f64x2.extract_lane(c0, 1)));
      if (b + 1 <= a) stf(ga, b + 1, ldf(ga, b + 1) + (f64x2.extract_lane(c1, 0) + f64x2.extract_lane(c1, 1)));
      if (b + 2 <= a) stf(ga, b + 2, ldf(ga, b + 2) + (f64x2.extract_lane(c2, 0) + f64x2.extract_lane(c2, 1)));
      if (b + 3 <= a) stf(ga, b + 3, ldf(ga, b + 3) + (f64x2.extract_lane(c3, 0) + f64x2.extract_lane(c3, 1)));
    }
  }
}

/** Augmented weighted Gram matrix of [1, X - ctr, y - ctr_y] with weights w(r / s) (bisquare, constant
 *  c) from the residuals in wRes, into wGa ((p + 2) x (p + 2), lower, row-major): row blocks of BL rows
 *  are copied into wBlk as sqrt(w) times the centred columns (sqrt(w) = (1 - a)(1 + a), a = r / (s c),
 *  0 for |a| > 1), zero-padded to an even number of rows, and their Gram matrix added (gramBlockMM). */
function fastGram(m: i32, p: i32, pX: usize, pY: usize, inv: f64): void {
  const nc = rowChunks(m);
  if (nc == 1) {
    if (XS == 3) fastGramRows<f64>(m, p, pX, pY, inv, wCtr, wRes, wBlk, wGa, 0, m);
    else fastGramRows<f32>(m, p, pX, pY, inv, wCtr, wRes, wBlk, wGa, 0, m);
    return;
  }
  const a = chunkArgs(kGram, m, p, pX, pY);
  stf(a, aInv, inv);
  stf(a, aCtr, <f64>wCtr);
  stf(a, aRes, <f64>wRes);
  stf(a, aBlk, <f64>wBlk);
  const P2 = p + 2;
  const part = <usize>ldf(a, aPart);
  stf(a, aScrN, <f64>(part + <usize>al16(8.0 * <f64>nc * <f64>(P2 * P2))));
  stf(a, aSStride, blockBytes(p));
  runChunks(a, m);
  const ps = <usize>(P2 * P2) << 3;
  for (let k = 0; k < P2 * P2; k++) {
    let t = ldf(part, k);
    for (let c = 1; c < nc; c++) t += ldf(part + <usize>c * ps, k);
    stf(wGa, k, t);
  }
}

/** fastGram on rows r0..r1-1 (r0 a multiple of BL) into ga (zeroed first): centres at ctr, residuals
 *  at res, the row block at blk. */
function fastGramRows<T>(m: i32, p: i32, pX: usize, pY: usize, inv: f64, ctr: usize, res: usize, blk: usize, ga: usize,
  r0: i32, r1: i32): void {
  const P2 = p + 2;
  for (let k = 0; k < P2 * P2; k++) stf(ga, k, 0.0);
  const P4 = (P2 + 3) & ~3;
  for (let k = P2 * BL; k < P4 * BL; k++) stf(blk, k, 0.0);
  const vinv = f64x2.splat(inv);
  const one = f64x2.splat(1.0), zero = f64x2.splat(0.0);
  const cy = ldf(ctr, p);
  const vcy = f64x2.splat(cy);
  const stride = <usize>BL << 3;
  for (let i0 = r0; i0 < r1; i0 += BL) {
    const len = min<i32>(BL, r1 - i0);
    const even = len & ~1;
    const len4 = (len + 1) & ~1; // even: one zero row pads an odd block
    const pr = res + (<usize>i0 << 3);
    const py = pY + (<usize>i0 << 3);
    const zy = blk + <usize>(p + 1) * stride;
    for (let i = 0; i < even; i += 2) {
      const o = <usize>i << 3;
      const a = f64x2.mul(v128.load(pr + o), vinv);
      const u = f64x2.mul(f64x2.sub(one, a), f64x2.add(one, a));
      const sw = v128.bitselect(zero, u, f64x2.gt(f64x2.abs(a), one));
      v128.store(blk + o, sw);
      v128.store(zy + o, f64x2.mul(sw, f64x2.sub(v128.load(py + o), vcy)));
    }
    if (even < len) {
      const a = ldf(pr, even) * inv;
      const sw = abs<f64>(a) > 1.0 ? 0.0 : (1.0 - a) * (1.0 + a);
      stf(blk, even, sw);
      stf(zy, even, sw * (ldf(py, even) - cy));
    }
    for (let i = len; i < len4; i++) {
      stf(blk, i, 0.0);
      stf(zy, i, 0.0);
    }
    for (let j = 0; j < p; j++) {
      const cj = ldf(ctr, j);
      const vcj = f64x2.splat(cj);
      const xb = xat<T>(pX, m, j, i0);
      const zj = blk + <usize>(j + 1) * stride;
      for (let i = 0; i < even; i += 2) {
        const o = <usize>i << 3;
        v128.store(zj + o, f64x2.mul(v128.load(blk + o), f64x2.sub(xld2<T>(xb, i), vcj)));
      }
      if (even < len) stf(zj, even, ldf(blk, even) * (xld<T>(xb, even) - cj));
      for (let i = len; i < len4; i++) stf(zj, i, 0.0);
    }
    gramBlockMM(P2, len4, blk, ga);
  }
}

/**
 * Fast weighted least squares for the refinement steps: weights w(r / s) (bisquare, constant c) from
 * the residuals in wRes, the augmented Gram matrix of the columns centred at wCtr (fastGram), then
 * centred at the weighted means (C = G - g g' / W), scaled to unit diagonal, Cholesky. Accurate to
 * ~eps cond^2, ample for refinement steps stopped at a relative change of 1e-7 (the M stage uses
 * l2Solve). Returns false (the caller falls back to l2Solve) when W = 0 or a pivot is below LEAN_PIVOT.
 */
function fastWls(m: i32, p: i32, pX: usize, pY: usize, intercept: i32, s: f64, c: f64, pOut: usize): bool {
  const inv = 1.0 / (s * c);
  fastGram(m, p, pX, pY, inv);
  const P2 = p + 2;
  const W = ldf(wGa, 0);
  if (!(W > 0.0)) return false;
  let my = 0.0;
  for (let j = 0; j < p; j++) stf(wMx, j, 0.0);
  if (intercept != 0) {
    for (let j = 1; j <= p + 1; j++) stf(wD, j, ldf(wGa, j * P2) / W);
    for (let j = 1; j <= p; j++) {
      for (let k = 1; k <= j; k++) stf(wG, (j - 1) * p + k - 1, ldf(wGa, j * P2 + k) - ldf(wGa, j * P2) * ldf(wD, k));
      stf(wGb, j - 1, ldf(wGa, (p + 1) * P2 + j) - ldf(wGa, (p + 1) * P2) * ldf(wD, j));
      stf(wMx, j - 1, ldf(wCtr, j - 1) + ldf(wD, j));
    }
    my = ldf(wCtr, p) + ldf(wD, p + 1);
  } else {
    for (let j = 1; j <= p; j++) {
      for (let k = 1; k <= j; k++) stf(wG, (j - 1) * p + k - 1, ldf(wGa, j * P2 + k));
      stf(wGb, j - 1, ldf(wGa, (p + 1) * P2 + j));
    }
  }
  return leanSolve(p, intercept, my, pOut);
}

/** Solve the centred normal equations in wG (p x p, lower) / wGb by Cholesky after scaling to unit
 *  diagonal; means in wMx / my give the intercept. False when a pivot is below LEAN_PIVOT. */
function leanSolve(p: i32, intercept: i32, my: f64, pOut: usize): bool {
  // unit diagonal
  for (let j = 0; j < p; j++) {
    const d = ldf(wG, j * p + j);
    if (!(d > 0.0)) return false;
    stf(wCs, j, Math.sqrt(d));
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k <= j; k++) stf(wG, j * p + k, ldf(wG, j * p + k) / (ldf(wCs, j) * ldf(wCs, k)));
    stf(wGb, j, ldf(wGb, j) / ldf(wCs, j));
  }
  // Cholesky G = L L' (lower, row j in wG[j * p ..])
  for (let j = 0; j < p; j++) {
    let d = ldf(wG, j * p + j);
    for (let k = 0; k < j; k++) d -= ldf(wG, j * p + k) * ldf(wG, j * p + k);
    if (!(d > LEAN_PIVOT)) return false;
    const l = Math.sqrt(d);
    stf(wG, j * p + j, l);
    for (let r = j + 1; r < p; r++) {
      let s = ldf(wG, r * p + j);
      for (let k = 0; k < j; k++) s -= ldf(wG, r * p + k) * ldf(wG, j * p + k);
      stf(wG, r * p + j, s / l);
    }
  }
  for (let j = 0; j < p; j++) {
    let s = ldf(wGb, j);
    for (let k = 0; k < j; k++) s -= ldf(wG, j * p + k) * ldf(wGb, k);
    stf(wGb, j, s / ldf(wG, j * p + j));
  }
  for (let j = p - 1; j >= 0; j--) {
    let s = ldf(wGb, j);
    for (let k = j + 1; k < p; k++) s -= ldf(wG, k * p + j) * ldf(wGb, k);
    stf(wGb, j, s / ldf(wG, j * p + j));
  }
  let b0 = my;
  for (let j = 0; j < p; j++) {
    const bj = ldf(wGb, j) / ldf(wCs, j);
    stf(pOut, j + 1, bj);
    b0 -= ldf(wMx, j) * bj;
  }
  stf(pOut, 0, intercept != 0 ? b0 : 0.0);
  for (let j = 0; j <= p; j++) if (!isFinite(ldf(pOut, j))) return false;
  return true;
}

/** Weighted least squares on m rows with weights wWt -> pOut [b0, b]; returns l2Solve's status. */
function wls(m: i32, p: i32, pX: usize, pY: usize, intercept: i32, inner: i32, pOut: usize): i32 {
  return l2Solve(m, p, pX, pY, wWt, intercept, 0.0, pOut, wL2Info, wFlags, wL2, inner);
}

/**
 * robustbase refine_fast_s on m rows: from candidate pBc, kk refinement steps (conv: until convergence,
 * kk at most) starting at scale s0 (s0 < 0: MAD of the candidate's residuals). Result in pBref, scale in
 * refScale (0: exact fit of the candidate), convergence in refConv. Residuals of pBref left in wRes.
 * Returns the number of steps, -(zeroes) for an exact fit, or -1 - m - 1 when a weighted solve failed.
 */
function refine(m: i32, p: i32, q: i32, pX: usize, pY: usize, intercept: i32, sY: f64, pBc: usize, conv: bool, kk: i32,
  s0in: f64, c: f64, bb: f64, refineTol: f64, zeroTol: f64, pBref: usize): i32 {
  const q1 = p + 1;
  residuals(m, p, pX, pY, pBc, wRes);
  const zeroes = absCount(m, wRes, sY * zeroTol);
  let s0 = s0in;
  if (s0 < 0.0) s0 = madZero(m, wRes);
  refConv = false;
  if (s0 <= 0.0 || <f64>zeroes > <f64>m / 2.0) {
    copyVec(q1, pBc, pBref);
    refScale = 0.0;
    refConv = true;
    return -zeroes;
  }
  copyVec(q1, pBc, wBj);
  let it = 0;
  let converged = false;
  for (; it < kk; it++) {
    s0 = s0 * Math.sqrt(meanRho(m, q, wRes, s0, c) / bb);
    let st = STATUS_OK;
    if (!fastWls(m, p, pX, pY, intercept, s0, c, pBref)) {
      setWeights(m, wRes, s0, c, wWt);
      st = wls(m, p, pX, pY, intercept, 1, pBref);
    }
    if (st != STATUS_OK) {
      refScale = s0;
      return -2 - m;
    }
    if (conv) {
      const del = norm2Diff(q1, wBj, pBref);
      const nb = norm2(q1, wBj);
      converged = del <= refineTol * max<f64>(refineTol, nb);
      if (converged) break;
    }
    residuals(m, p, pX, pY, pBref, wRes);
    copyVec(q1, pBref, wBj);
  }
  refConv = converged;
  refScale = s0;
  return it;
}

/** Draw q distinct rows of [0, m) into wInd (i32), fit the interpolating hyperplane into pB.
 *  Returns false when the subset is singular (pivot below solveTol after column equilibration). */
function elemental(m: i32, p: i32, q: i32, pX: usize, pY: usize, intercept: i32, solveTol: f64, pB: usize): bool {
  for (let k = 0; k < q; k++) {
    let r = 0;
    let dup = true;
    while (dup) {
      r = rndInt(m);
      dup = false;
      for (let l = 0; l < k; l++) if (ldi(wSub, l) == r) dup = true;
    }
    sti(wSub, k, r);
  }
  // A (q x q, row-major in wLU): columns [1 (intercept), x_1..x_p]; rhs y.
  for (let k = 0; k < q; k++) {
    const r = ldi(wSub, k);
    let col = 0;
    if (intercept != 0) {
      stf(wLU, k * q, 1.0);
      col = 1;
    }
    for (let j = 0; j < p; j++) stf(wLU, k * q + col + j, ldx(xatx(pX, m, j, 0), r));
    stf(wRhs, k, ldf(pY, r));
  }
  // column equilibration
  for (let j = 0; j < q; j++) {
    let mx = 0.0;
    for (let k = 0; k < q; k++) {
      const a = abs<f64>(ldf(wLU, k * q + j));
      if (a > mx) mx = a;
    }
    if (mx == 0.0) return false;
    stf(wCs, j, mx);
    for (let k = 0; k < q; k++) stf(wLU, k * q + j, ldf(wLU, k * q + j) / mx);
  }
  // Gaussian elimination with partial pivoting
  for (let j = 0; j < q; j++) {
    let piv = j;
    let best = abs<f64>(ldf(wLU, j * q + j));
    for (let k = j + 1; k < q; k++) {
      const a = abs<f64>(ldf(wLU, k * q + j));
      if (a > best) {
        best = a;
        piv = k;
      }
    }
    if (!(best > solveTol)) return false;
    if (piv != j) {
      for (let l = 0; l < q; l++) {
        const t = ldf(wLU, j * q + l);
        stf(wLU, j * q + l, ldf(wLU, piv * q + l));
        stf(wLU, piv * q + l, t);
      }
      const t = ldf(wRhs, j);
      stf(wRhs, j, ldf(wRhs, piv));
      stf(wRhs, piv, t);
    }
    const d = ldf(wLU, j * q + j);
    for (let k = j + 1; k < q; k++) {
      const f = ldf(wLU, k * q + j) / d;
      if (f != 0.0) {
        for (let l = j + 1; l < q; l++) stf(wLU, k * q + l, ldf(wLU, k * q + l) - f * ldf(wLU, j * q + l));
        stf(wRhs, k, ldf(wRhs, k) - f * ldf(wRhs, j));
      }
    }
  }
  for (let j = q - 1; j >= 0; j--) {
    let s = ldf(wRhs, j);
    for (let l = j + 1; l < q; l++) s -= ldf(wLU, j * q + l) * ldf(wRhs, l);
    stf(wRhs, j, s / ldf(wLU, j * q + j));
  }
  stf(pB, 0, 0.0);
  const off = intercept != 0 ? 1 : 0;
  if (intercept != 0) stf(pB, 0, ldf(wRhs, 0) / ldf(wCs, 0));
  for (let j = 0; j < p; j++) stf(pB, j + 1, ldf(wRhs, j + off) / ldf(wCs, j + off));
  for (let j = 0; j <= p; j++) if (!isFinite(ldf(pB, j))) return false;
  return true;
}

function reportProgress(): void {
  progressCount++;
  if ((progressCount & 15) == 0) {
    if (progress(KIND_MM, progressCount, bestSoFar, 0.0) != 0) cancelled = true;
  }
}

/** Index of the largest of k scales. */
function findMax(pS: usize, k: i32): i32 {
  let b = 0;
  let t = ldf(pS, 0);
  for (let i = 1; i < k; i++) {
    if (t < ldf(pS, i)) {
      t = ldf(pS, i);
      b = i;
    }
  }
  return b;
}

/**
 * Candidate search (steps 1-3) on m rows: nRes candidates, kFast refinement steps each, the bestR
 * best kept in pBest (bestR x (p + 1)) / pBestSc. Returns 0, 1 (no nonsingular subset at all),
 * 2 (exact fit: its coefficients in pBest slot 0, scale 0), 3 (cancelled).
 */
function search(m: i32, p: i32, q: i32, pX: usize, pY: usize, intercept: i32, sY: f64, pPar: usize,
  pBest: usize, pBestSc: usize, bestR: i32): i32 {
  const q1 = p + 1;
  const nRes = <i32>ldf(pPar, P_NRES);
  const kFast = <i32>ldf(pPar, P_K_FAST);
  const c = ldf(pPar, P_C_CHI), bb = ldf(pPar, P_BB);
  const refineTol = ldf(pPar, P_REFINE_TOL), zeroTol = ldf(pPar, P_ZERO_TOL), scaleTol = ldf(pPar, P_SCALE_TOL);
  const maxitScale = <i32>ldf(pPar, P_MAXIT_SCALE);
  const solveTol = ldf(pPar, P_SOLVE_TOL);
  for (let i = 0; i < bestR; i++) stf(pBestSc, i, Infinity);
  for (let i = 0; i < bestR * q1; i++) stf(pBest, i, 0.0);
  centres(m, p, pX, pY, intercept);
  let worstPos = 0;
  let worst = Infinity;
  let found = 0;
  for (let i = 0; i < nRes; i++) {
    reportProgress();
    if (cancelled) return 3;
    let ok = false;
    for (let t = 0; t < MAX_REDRAW && !ok; t++) {
      ok = elemental(m, p, q, pX, pY, intercept, solveTol, wBcand);
      if (!ok) nSingular++;
    }
    if (!ok) continue;
    nCandidates++;
    const ik = refine(m, p, q, pX, pY, intercept, sY, wBcand, false, kFast, -1.0, c, bb, refineTol, zeroTol, wBref);
    if (ik < -1 - m) {
      nFailed++;
      continue;
    }
    found++;
    if (refScale == 0.0) {
      copyVec(q1, wBcand, pBest);
      stf(pBestSc, 0, 0.0);
      return 2;
    }
    if (meanRho(m, q, wRes, worst, c) < bb) {
      const sc = findScale(m, q, wRes, refScale, c, bb, maxitScale, scaleTol);
      stf(pBestSc, worstPos, sc);
      copyVec(q1, wBref, pBest + (<usize>(worstPos * q1) << 3));
      worstPos = findMax(pBestSc, bestR);
      worst = ldf(pBestSc, worstPos);
      const lo = ldf(pBestSc, 0);
      bestSoFar = lo;
    }
  }
  return found == 0 ? 1 : 0;
}

/** Size of the work region for mm_fit (n rows, p columns, bestR, groups x nGroup for large n). */
export function mm_work_bytes(n: i32, p: i32, bestR: i32, groups: i32, nGroup: i32): f64 {
  const nd = <f64>n, q1 = <f64>p + 1.0;
  const sg = <f64>groups * <f64>nGroup;
  const cap = <f64>bestR * (<f64>groups + 1.0);
  return al16(l2_work_bytes(n, p)) + al16(8.0 * <f64>INFO_LEN) + al16(4.0 * q1)
    + 3.0 * al16(8.0 * nd) + al16(4.0 * nd) + 3.0 * al16(8.0 * q1)
    + al16(8.0 * q1 * q1) + 2.0 * al16(8.0 * q1) + al16(4.0 * q1)
    + al16(8.0 * sg * (q1 - 1.0)) + al16(8.0 * sg) // pooled sample X, y
    + al16(8.0 * <f64>nGroup * (q1 - 1.0)) + al16(8.0 * <f64>nGroup) // one group's X, y
    + al16(8.0 * cap * q1) + al16(8.0 * cap) + al16(8.0 * q1)
    + al16(8.0 * q1 * q1) + 2.0 * al16(8.0 * q1) // lean solve: Gram, right-hand side, means
    + al16(8.0 * (q1 + 1.0) * (q1 + 1.0)) + 2.0 * al16(8.0 * (q1 + 1.0)) // fastWls: augmented Gram, offsets, centres
    + al16(8.0 * (q1 + 4.0) * <f64>BL) // fastWls: row block (columns rounded up to 4)
    + chunkBytes(n > <i32>sg ? n : <i32>sg, p); // the chunk passes' arguments, partials, slot scratch
}

export function mm_fit(n: i32, p: i32, pX: usize, pY: usize, intercept: i32, pPar: usize, pStart: usize,
  pCoefS: usize, pCoef: usize, pRes0: usize, pRes: usize, pInfo: usize, pWork: usize, xf32: i32): i32 {
  setX(xf32);
  const q = p + (intercept != 0 ? 1 : 0);
  const q1 = p + 1;
  const bestR = <i32>ldf(pPar, P_BEST_R);
  const groups = <i32>ldf(pPar, P_GROUPS);
  const nGroup = <i32>ldf(pPar, P_N_GROUP);
  const largeN = <i32>ldf(pPar, P_LARGE_N);
  const kMax = <i32>ldf(pPar, P_K_MAX);
  const kFast = <i32>ldf(pPar, P_K_FAST);
  const c = ldf(pPar, P_C_CHI), bb = ldf(pPar, P_BB);
  const refineTol = ldf(pPar, P_REFINE_TOL), zeroTol = ldf(pPar, P_ZERO_TOL), scaleTol = ldf(pPar, P_SCALE_TOL);
  const maxitScale = <i32>ldf(pPar, P_MAXIT_SCALE);
  const cPsi = ldf(pPar, P_C_PSI), relTol = ldf(pPar, P_REL_TOL);
  const maxIt = <i32>ldf(pPar, P_MAX_IT);
  const sg = groups * nGroup;
  const cap = bestR * (groups + 1);

  // work layout
  let w = pWork;
  wL2 = w; w += <usize>al16(l2_work_bytes(n, p));
  wL2Info = w; w += <usize>al16(8.0 * <f64>INFO_LEN);
  wFlags = w; w += <usize>al16(4.0 * <f64>q1);
  wRes = w; w += <usize>al16(8.0 * <f64>n);
  wWt = w; w += <usize>al16(8.0 * <f64>n);
  wMed = w; w += <usize>al16(8.0 * <f64>n);
  wInd = w; w += <usize>al16(4.0 * <f64>n);
  wBj = w; w += <usize>al16(8.0 * <f64>q1);
  wBref = w; w += <usize>al16(8.0 * <f64>q1);
  wBcand = w; w += <usize>al16(8.0 * <f64>q1);
  wLU = w; w += <usize>al16(8.0 * <f64>q1 * <f64>q1);
  wRhs = w; w += <usize>al16(8.0 * <f64>q1);
  wCs = w; w += <usize>al16(8.0 * <f64>q1);
  wSub = w; w += <usize>al16(4.0 * <f64>q1);
  wG = w; w += <usize>al16(8.0 * <f64>q1 * <f64>q1);
  wGb = w; w += <usize>al16(8.0 * <f64>q1);
  wMx = w; w += <usize>al16(8.0 * <f64>q1);
  wGa = w; w += <usize>al16(8.0 * (<f64>q1 + 1.0) * (<f64>q1 + 1.0));
  wD = w; w += <usize>al16(8.0 * (<f64>q1 + 1.0));
  wCtr = w; w += <usize>al16(8.0 * (<f64>q1 + 1.0));
  wBlk = w; w += <usize>al16(8.0 * (<f64>q1 + 4.0) * <f64>BL);
  const pXs = w; w += <usize>al16(8.0 * <f64>sg * <f64>p);
  const pYs = w; w += <usize>al16(8.0 * <f64>sg);
  const pXg = w; w += <usize>al16(8.0 * <f64>nGroup * <f64>p);
  const pYg = w; w += <usize>al16(8.0 * <f64>nGroup);
  const pBest = w; w += <usize>al16(8.0 * <f64>cap * <f64>q1);
  const pBestSc = w; w += <usize>al16(8.0 * <f64>cap);
  const pTmp = w; w += <usize>al16(8.0 * <f64>q1);
  wArgs = w;

  for (let k = 0; k < MMI_LEN; k++) stf(pInfo, k, 0.0);
  rngState = <u32>(<i64>ldf(pPar, P_SEED));
  nSingular = 0;
  nCandidates = 0;
  nFailed = 0;
  cancelled = false;
  progressCount = 0;
  bestSoFar = 0.0;

  let sY = 0.0;
  for (let i = 0; i < n; i++) sY += abs<f64>(ldf(pY, i));
  sY = sY / <f64>n;

  let scale = 0.0;
  let sConv = true;
  let sIter = 0;
  if (ldf(pPar, P_HAS_START) != 0.0) {
    copyVec(q1, pStart, pCoefS);
    if (intercept == 0) stf(pCoefS, 0, 0.0);
    scale = ldf(pStart, q1);
  } else {
    // ---------------------------------------------------------------- S stage
    let code = 0;
    const nFinal = bestR;
    const pFinal = pBest + (<usize>(groups * bestR * q1) << 3); // bestR slots after the group lists
    const pFinalSc = pBestSc + (<usize>(groups * bestR) << 3);
    if (n > largeN) {
      // draw sg distinct rows (partial Fisher-Yates), copy the pooled sample
      for (let i = 0; i < n; i++) sti(wInd, i, i);
      for (let k = 0; k < sg; k++) {
        const j = k + rndInt(n - k);
        const t = ldi(wInd, k);
        sti(wInd, k, ldi(wInd, j));
        sti(wInd, j, t);
      }
      for (let j = 0; j < p; j++) {
        const col = xatx(pX, n, j, 0);
        for (let k = 0; k < sg; k++) stf(pXs, j * sg + k, ldx(col, ldi(wInd, k)));
      }
      for (let k = 0; k < sg; k++) stf(pYs, k, ldf(pY, ldi(wInd, k)));
      setXS(3);
      for (let g = 0; g < groups && code == 0; g++) {
        for (let j = 0; j < p; j++) {
          for (let k = 0; k < nGroup; k++) stf(pXg, j * nGroup + k, ldf(pXs, j * sg + g * nGroup + k));
        }
        for (let k = 0; k < nGroup; k++) stf(pYg, k, ldf(pYs, g * nGroup + k));
        code = search(nGroup, p, q, pXg, pYg, intercept, sY, pPar,
          pBest + (<usize>(g * bestR * q1) << 3), pBestSc + (<usize>(g * bestR) << 3), bestR);
        if (code == 1) code = 0; // a group without a nonsingular subset contributes nothing
        if (code == 2) copyVec(q1, pBest + (<usize>(g * bestR * q1) << 3), pFinal);
      }
      if (code == 0) {
        // refine the groups' candidates on the pooled sample, keep the bestR best
        centres(sg, p, pXs, pYs, intercept);
        for (let i = 0; i < bestR; i++) stf(pFinalSc, i, Infinity);
        let worstPos = 0;
        let worst = Infinity;
        for (let i = 0; i < groups * bestR && code == 0; i++) {
          const si = ldf(pBestSc, i);
          if (si == Infinity) continue;
          reportProgress();
          if (cancelled) {
            code = 3;
            break;
          }
          const ik = refine(sg, p, q, pXs, pYs, intercept, sY, pBest + (<usize>(i * q1) << 3), false, kFast, si, c, bb,
            refineTol, zeroTol, wBref);
          if (ik < -1 - sg) {
            nFailed++;
            continue;
          }
          if (refScale == 0.0) {
            copyVec(q1, wBref, pFinal);
            code = 2;
            break;
          }
          if (meanRho(sg, q, wRes, worst, c) < bb) {
            const sc = findScale(sg, q, wRes, refScale, c, bb, maxitScale, scaleTol);
            stf(pFinalSc, worstPos, sc);
            copyVec(q1, wBref, pFinal + (<usize>(worstPos * q1) << 3));
            worstPos = findMax(pFinalSc, bestR);
            worst = ldf(pFinalSc, worstPos);
          }
        }
        if (code == 0 && ldf(pFinalSc, findMaxNeg(pFinalSc, bestR)) == Infinity) code = 1;
      }
      setX(xf32);
    } else {
      code = search(n, p, q, pX, pY, intercept, sY, pPar, pFinal, pFinalSc, bestR);
    }
    if (code == 3) return finishCancelled(pInfo);
    if (code == 1) {
      stf(pInfo, MMI_SINGULAR, <f64>nSingular);
      return STATUS_RANK_DEFICIENT;
    }
    if (code == 2) {
      copyVec(q1, pFinal, pCoefS);
      scale = 0.0;
    } else {
      // refine the bestR best to convergence on all rows
      centres(n, p, pX, pY, intercept);
      let best = Infinity;
      let bestAny = false;
      for (let i = 0; i < nFinal; i++) {
        const si = ldf(pFinalSc, i);
        if (si == Infinity) continue;
        reportProgress();
        if (cancelled) return finishCancelled(pInfo);
        const ik = refine(n, p, q, pX, pY, intercept, sY, pFinal + (<usize>(i * q1) << 3), true, kMax, si, c, bb,
          refineTol, zeroTol, pTmp);
        if (ik < -1 - n) {
          nFailed++;
          continue;
        }
        if (!refConv) sConv = false;
        if (ik > sIter) sIter = ik;
        if (!bestAny || refScale < best || refScale == 0.0) {
          best = refScale;
          bestAny = true;
          copyVec(q1, pTmp, pCoefS);
          if (best == 0.0) break;
        }
      }
      if (!bestAny) {
        stf(pInfo, MMI_SINGULAR, <f64>nSingular);
        return STATUS_RANK_DEFICIENT;
      }
      scale = best;
    }
    if (intercept == 0) stf(pCoefS, 0, 0.0);
  }
  residuals(n, p, pX, pY, pCoefS, pRes0);
  stf(pInfo, MMI_S_SCALE, scale);
  stf(pInfo, MMI_S_CONVERGED, sConv ? 1.0 : 0.0);
  stf(pInfo, MMI_S_ITER, <f64>sIter);
  stf(pInfo, MMI_SINGULAR, <f64>nSingular);
  stf(pInfo, MMI_CANDIDATES, <f64>nCandidates);

  // ---------------------------------------------------------------- M stage
  copyVec(q1, pCoefS, pCoef);
  copyVec(n, pRes0, pRes);
  let status = STATUS_OK;
  let mIter = 0;
  let mConv = false;
  if (scale == 0.0) {
    stf(pInfo, MMI_EXACT, 1.0);
    mConv = true;
  } else {
    copyVec(q1, pCoefS, wBj);
    mIter = 0;
    while (!mConv && ++mIter < maxIt) {
      reportProgress();
      if (cancelled) return finishCancelled(pInfo);
      setWeights(n, pRes, scale, cPsi, wWt);
      const st = wls(n, p, pX, pY, intercept, 1, wBref);
      if (st != STATUS_OK) {
        nFailed++;
        if (mIter == 1) {
          stf(pInfo, MMI_FAILED, <f64>nFailed);
          return STATUS_RANK_DEFICIENT;
        }
        break;
      }
      residuals(n, p, pX, pY, wBref, pRes);
      let d = 0.0, nb = 0.0;
      for (let j = 0; j < q1; j++) {
        d += abs<f64>(ldf(wBj, j) - ldf(wBref, j));
        nb += abs<f64>(ldf(wBref, j));
      }
      mConv = d <= relTol * max<f64>(relTol, nb);
      copyVec(q1, wBref, wBj);
    }
    copyVec(q1, wBj, pCoef);
    if (!mConv) status = STATUS_MAXITER;
  }
  if (intercept == 0) stf(pCoef, 0, 0.0);
  let obj = 0.0;
  for (let i = 0; i < n; i++) {
    const r = ldf(pRes, i);
    obj += scale > 0.0 ? rhoBisq(r / scale, cPsi) : (r == 0.0 ? 0.0 : 1.0);
  }
  stf(pInfo, MMI_OBJECTIVE, obj);
  stf(pInfo, MMI_M_ITER, <f64>mIter);
  stf(pInfo, MMI_M_CONVERGED, mConv ? 1.0 : 0.0);
  stf(pInfo, MMI_FAILED, <f64>nFailed);
  let finite = isFinite(obj) && isFinite(scale);
  for (let j = 0; j < q1; j++) if (!isFinite(ldf(pCoef, j)) || !isFinite(ldf(pCoefS, j))) finite = false;
  if (!finite) return STATUS_NUMERICAL;
  return status;
}

/** Index of the smallest of k scales (Infinity = empty slot). */
function findMaxNeg(pS: usize, k: i32): i32 {
  let b = 0;
  let t = ldf(pS, 0);
  for (let i = 1; i < k; i++) {
    if (ldf(pS, i) < t) {
      t = ldf(pS, i);
      b = i;
    }
  }
  return b;
}

function finishCancelled(pInfo: usize): i32 {
  stf(pInfo, MMI_SINGULAR, <f64>nSingular);
  stf(pInfo, MMI_CANDIDATES, <f64>nCandidates);
  return STATUS_CANCELLED;
}
