// Least trimmed squares by FAST-LTS (Rousseeuw & Van Driessen 2006, "Computing LTS regression for
// large data sets", Data Min. Knowl. Disc. 12): lts_work_bytes, lts_fit, lts_resid. Mirrored statement for
// statement by the TypeScript twin src/twin/lts.ts (same IEEE operations in the same order, no FMA, the
// same 32-bit random stream), so both backends return the same bits.
//
// Problem: with r_i(b) = y_i - b0 - x_i . b, minimise the sum of the h smallest r_i^2 (h given by the
// host: h = floor((n + q + 1) / 2) at coverage alpha = 0.5, q = p + intercept).
//
// Search (the schedule of robustbase's rfltsreg.f, the code behind ltsReg(); constants as there):
//  * An elemental start is the exact fit through q rows drawn at random (Gaussian elimination with
//    partial pivoting; a subset whose pivot falls below ELEM_TOL times its column's largest entry is
//    singular and redrawn, at most nsamp times in all). Each start is followed by STEPS_SEARCH
//    C-steps ("concentration": least squares on the hh rows of smallest squared residual; never
//    increases the objective). The KEEP best distinct results are stored.
//  * n < NESTED_MIN_N = KMINI NMINI: all starts on the full data, each concentrated to convergence (at
//    most maxCsteps C-steps; robustbase stops at 2 here) — it finds robustbase's best optimum far
//    more often (hbk: 1 miss in 40 seeds instead of 28 with 2 steps; at n = 1e3 robustbase's nested
//    scheme, which this code followed for n >= 600 before, left the objective 0.12% above ltsReg's on
//    the benchmark data, and all-rows starts reach a lower optimum on every seed tried). When n <=
//    replow(q) (robustbase's table) or C(n, q) <= nsamp, every q-subset is used once instead of random
//    draws (exhaustive search).
//  * n >= NESTED_MIN_N (the nested scheme): KMINI disjoint random groups of NMINI rows, gathered once
//    into a contiguous column-major f64 block; floor(nsamp / KMINI) starts in each group with hh =
//    floor(NMINI h / n); then the KEEP best of every group get STEPS_SEARCH C-steps on the merged
//    groups (hh = floor(merged h / n)), of which the KEEP best survive. Cost ~ linear in n.
//  * Final stage: nested scheme: for n <= FINAL_SMALL_N the KEEP survivors get STEPS_SEARCH C-steps on
//    all n rows and all are iterated to convergence (the objective stops decreasing, or maxCsteps
//    C-steps); above it they are ranked by their objective on all n rows and only the best is iterated
//    to convergence (robustbase iterates its single best there too, for at most 1-10 steps when
//    n (p + 1) > 1e5, 100 below). Otherwise the KEEP best are iterated to convergence again.
//  * Raw fit: least squares (l2_fit, 0/1 weights) on the h rows of smallest squared residual of the
//    winner; the objective is the sum of the h smallest squared residuals of that raw fit.
// The C-step least squares keeps, along a chain, the sums S = sum d and Gr = sum d d^T (upper) of the
// subset's rows d = [x, y] - shift (shift = the chain's first subset row with an intercept, 0
// without): each step adds the sums of the rows that entered the subset and subtracts those of the
// rows that left (from scratch when more than half changed), so late steps, where few rows change,
// cost O(changes p^2) instead of O(h p^2). Sums over a row list are computed by gathering CHUNK rows
// at a time into a column-major block and taking every Gram entry as a dot product of two block
// columns in f64x2 lanes (even / odd rows; 2 x 2 blocks of entries share their loads), the lanes added
// at the end; the twin keeps the two lanes as two scalar accumulators. The centred Gram matrix
// Gr - S S^T / h is factored by Cholesky (singular when a pivot falls below CHOL_TOL times its
// diagonal entry: the chain stops there). The raw fit is recomputed accurately by l2_fit. Residuals:
// four rows at a time kept in registers across all columns (evalAll). Selection of the hh smallest
// squared residuals: the threshold t (kthKey) from a bracket around the chain's previous threshold,
// else a sampled bracket, else all keys, by an out-of-place branch-free quickselect (selectKth); then
// one branch-free scan (selectH) that, by mode, lists the subset's rows in row order (a chain's first
// selection), or moves the membership flags and lists the rows entering / leaving (later ones: these
// lists feed the incremental sums), or only sums (a chain's last). The selected value is the exact
// order statistic whichever bracket found it, so these choices never change a result bit.
//
// Before the search, l2_fit on all rows checks the rank of [1, X] (RANK_DEFICIENT with the aliased
// columns flagged, as everywhere). Outputs: pCoef = raw coefficients [b0, b_1..b_p]; info slots
// OBJECTIVE, ITERATIONS (C-steps in all), LTS_INFO_* below (and l2_fit's RCOND / METHOD / RANK /
// REFINE of the raw fit); pFlags as l2_fit's. Statuses: OK; MAXITER (the winner's final chain hit
// maxCsteps); RANK_DEFICIENT; CANCELLED (progress hook); NUMERICAL (no nonsingular elemental subset,
// or non-finite residuals). The random stream is mulberry32 seeded with `seed` (u32).
//
// Work region: l2_fit's work, then two n-vectors of f64 (keys = squared residuals; raw-fit 0/1
// weights, also the selection's scratch during the search), two n-vectors of i32 (row ids; the row permutation), small regions (the q x (q + 1)
// elimination matrix, q + 1 column maxima, q + 1 subset indices, the (p + 1) x (p + 1) working Gram
// matrix, 2 (p + 1) spare / row buffer, three (p + 1) coefficient vectors, the candidate stock:
// (KMINI + 2) KEEP objectives and coefficient vectors), then the n i32 subset-membership flags, the
// running sums Gr ((p + 1) x (p + 1)) and S (p + 1) and the shift (p + 1), the nested scheme's block
// (min(n, KMINI NMINI) rows: p columns of X and y, f64), the gather block (CHUNK x (p + 1)), the f64x2
// accumulators of the Gram entries ((p + 1)^2) and of S (p + 1), the n i32 lists of the rows entering
// and leaving the subset, a second n-vector of f64 (the selection's other scratch buffer), and the
// row-chunk passes' argument region (R_ARGS f64, then R_PART f64 per chunk of the n rows); each
// 16-byte aligned.
//
// Threads: the passes over all rows of the view — the residual keys (evalAll; also the host's residuals,
// lts_resid), the bracket count of the selection (kthKeyBr) and the selection scan (selectH) — are block passes (PASS_LTS) over fixed chunks
// of R_ROWS rows (see "row chunks" below): the keys, flags, packed bracket and row lists are those of
// one sweep, the selection's threshold is the exact order statistic (bit-identical however found), and
// its sum adds the chunks' sums in chunk order (the twin does the same), so 1, 2, 3, ... threads give
// the same bits. Everything on subsamples (n < R_ROWS rows; the nested scheme's groups) is one chunk.

import { l2_fit, l2_work_bytes } from "./l2";
import { XS, setX, shiftOf, xat, xld, xld2 } from "./xload";
import { PASS_LTS, parRun } from "./par";
import { progress } from "./env";
import { INFO_LEN, INFO_OBJECTIVE, INFO_ITERATIONS } from "./info";
import { STATUS_OK, STATUS_MAXITER, STATUS_RANK_DEFICIENT, STATUS_CANCELLED, STATUS_NUMERICAL } from "./status";

/** info slot: elemental subsets used (nonsingular). */
export const LTS_INFO_SUBSETS: i32 = 5;
/** info slot: singular elemental subsets skipped. */
export const LTS_INFO_SINGULAR: i32 = 6;
/** info slot: 1 when every q-subset was enumerated (exhaustive search). */
export const LTS_INFO_EXHAUSTIVE: i32 = 7;
/** info slot: groups of the nested scheme (0: all starts on the full data). */
export const LTS_INFO_GROUPS: i32 = 8;
/** info slot: C-steps of the winner's final chain. */
export const LTS_INFO_FINAL_STEPS: i32 = 9;

/** Progress-hook kind of this kernel (assembly/env.ts). */
const KIND_LTS: i32 = 4;
/** Nested scheme: at most KMINI groups of NMINI rows (robustbase's kmini, nmini). */
const KMINI: i32 = 5;
const NMINI: i32 = 300;
/** Candidates kept per group / per stage (robustbase: 10). */
const KEEP: i32 = 10;
/** C-steps after each start and in the merged stage (robustbase's k1 = k2 = 2). */
const STEPS_SEARCH: i32 = 2;
/** Elemental subset singular: pivot <= ELEM_TOL * the largest |entry| of its column in the subset. */
const ELEM_TOL: f64 = 1e-12;
/** C-step least squares singular: Cholesky pivot <= CHOL_TOL * its diagonal entry. */
const CHOL_TOL: f64 = 1e-12;
/** Floyd-Rivest selection samples ranges longer than this (their constant). */
const FR_CUTOFF: i32 = 600;
/** Rows per gathered block of the Gram sums (even). */
const CHUNK: i32 = 128;
/** Final stage of the nested scheme: up to this n (robustbase's bound for iterating 10 candidates),
 *  the KEEP candidates get STEPS_SEARCH C-steps on all rows and all are iterated to convergence;
 *  above it they are ranked by their objective on all rows and only the best is iterated. */
const FINAL_SMALL_N: i32 = 5000;
/** Below this n every start runs on all rows and is iterated to convergence (no nested scheme). */
const NESTED_MIN_N: i32 = KMINI * NMINI;
/** Selections within a chain first try a bracket [t (1 - eps), t (1 + eps)] around the previous
 *  threshold t (views of more than BR_MIN rows): eps shrinks by BR_SHRINK after a hit whose bracket
 *  held more than BR_TARGET keys and grows by BR_GROW after a miss (then the sampled bracket runs). */
const BR_MIN: i32 = 128;
const BR_TARGET: i32 = 64;
const BR_SHRINK: f64 = 0.7;
const BR_GROW: f64 = 3.0;
const BR_EPS0: f64 = 0.05;
const BR_EPS_MIN: f64 = 1e-9;
/** Progress hook every this many starts. */
const PROGRESS_EVERY: i32 = 32;

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

/** mulberry32 state. */
let rng: u32 = 0;
/** C-steps performed in this call. */
let csteps: i32 = 0;
/** The last concentrate() chain stopped because the objective stopped decreasing (or a singular subset). */
let chainConverged: bool = true;
/** C-steps of the last concentrate() chain. */
let chainSteps: i32 = 0;

function nextU32(): u32 {
  rng += 0x6D2B79F5;
  let t: u32 = rng;
  t = (t ^ (t >>> 15)) * (t | 1);
  t ^= t + (t ^ (t >>> 7)) * (t | 61);
  return t ^ (t >>> 14);
}

/** Uniform-ish integer in [0, m) (m >= 1; modulo bias < m / 2^32). */
function randBelow(m: i32): i32 {
  return <i32>(nextU32() % <u32>m);
}

/** robustbase's replow(k): n up to which every k-subset is enumerated. */
function replow(k: i32): i32 {
  if (k == 1) return 500;
  if (k == 2) return 50;
  if (k == 3) return 22;
  if (k == 4) return 17;
  if (k == 5) return 15;
  if (k == 6) return 14;
  return 0;
}

/** C(n, k) as f64, capped at 2^31. */
function ncomb(n: i32, k: i32): f64 {
  let c = 1.0;
  for (let j = 1; j <= k; j++) {
    c = c * (<f64>(n - j + 1) / <f64>(k - j + 1));
    if (c > 2147483647.0) return 2147483648.0;
  }
  return Math.round(c);
}

export function lts_work_bytes(n: i32, p: i32): f64 {
  const nd = <f64>n, q1 = <f64>p + 2.0, p1 = <f64>p + 1.0;
  const nb = <f64>(n < KMINI * NMINI ? n : KMINI * NMINI);
  return al16(l2_work_bytes(n, p)) + 2.0 * al16(8.0 * nd) + 2.0 * al16(4.0 * nd)
    + al16(8.0 * q1 * q1) + al16(8.0 * q1) + al16(4.0 * q1) + al16(8.0 * p1 * p1)
    + 2.0 * al16(8.0 * p1) + 3.0 * al16(8.0 * p1)
    + al16(8.0 * <f64>((KMINI + 2) * KEEP)) + al16(8.0 * <f64>((KMINI + 2) * KEEP) * p1)
    + al16(4.0 * nd) + al16(8.0 * p1 * p1) + 2.0 * al16(8.0 * p1)
    + al16(8.0 * nb * <f64>p) + al16(8.0 * nb) + al16(8.0 * <f64>CHUNK * p1)
    + al16(16.0 * p1 * p1) + al16(16.0 * p1) + 2.0 * al16(4.0 * nd) + al16(8.0 * nd)
    + al16(8.0 * <f64>R_ARGS) + al16(8.0 * <f64>R_PART * <f64>rowChunks(n));
}

// ---- row chunks: the fixed decomposition of the full-data passes (block passes, assembly/par.ts) ----
// The residual keys (evalAll), the bracket count of the selection (kthKeyBr) and the selection scan
// (selectH) run over chunks of R_ROWS rows of the view (one chunk up to R_ROWS rows: the former single
// sweep). Each chunk writes its own rows' keys / flags, packs its bracket values and lists its rows at
// its own first row's offset, and leaves its counts and four partial sums in its partial slot; the
// kernel then moves the packed values and lists down in chunk order (the same arrays a single sweep
// writes) and adds the chunks' sums in chunk order. The decomposition depends on the row count only,
// never on the thread count; the twin sums the same chunks in the same order.

/** Rows per chunk (a multiple of 4: the 4-row groups of the scans never straddle chunks). */
const R_ROWS: i32 = 16384;
/** f64 per chunk partial: the four partial sums, the count, the rows entering, the rows leaving. */
const R_PART: i32 = 8;
/** Argument slots of a chunk pass (kernel-only). */
const R_ARGS: i32 = 20;
const aKind = 0, aN = 1, aP = 2, aT = 3, aKey = 4, aX = 5, aY = 6, aLd = 7, aC = 8, aLo = 9, aHi = 10, aMid = 11,
  aIds = 12, aMem = 13, aEnt = 14, aLv = 15, aMode = 16, aPart = 17;
/** Chunk pass kinds. */
const kEval: i32 = 0, kBracket: i32 = 1, kSelect: i32 = 2;

function rowChunks(nn: i32): i32 {
  return nn <= R_ROWS ? 1 : (nn + R_ROWS - 1) / R_ROWS;
}

// Region pointers of the call in progress (set by lts_fit).
let pKey: usize = 0, pWt: usize = 0, pId: usize = 0, pRows: usize = 0;
let pA: usize = 0, pCm: usize = 0, pIdx: usize = 0, pG: usize = 0, pM: usize = 0, pV: usize = 0;
let pTry: usize = 0, pNew: usize = 0, pBest: usize = 0, pSObj: usize = 0, pSCoef: usize = 0;
let pMem: usize = 0, pGr: usize = 0, pS: usize = 0, pSh: usize = 0;
let pBX: usize = 0, pBY: usize = 0, pW: usize = 0, pAcc: usize = 0, pAccS: usize = 0, pChg: usize = 0, pLv: usize = 0;
let pWt2: usize = 0;
/** The chunk passes' argument region (R_ARGS f64, then the chunks' partial slots). */
let pRA: usize = 0;
/** Rows entering / leaving the subset at the last selectH (lists pChg / pLv, row order). */
let nEnter: i32 = 0, nLeave: i32 = 0;
/** pId lists the current subset (false after a SEL_DIFF selection: updateSums lists it from pMem when needed). */
let idsValid: bool = false;
/** Bracket state of the chain in progress (kthKey): previous threshold, relative half-width, on/off. */
let brT: f64 = 0.0, brEps: f64 = BR_EPS0;
let brOn: bool = false;
// The data the C-steps run on: X columns at dX (leading dimension dLd, entries of the call's type T for
// the caller's data, f64 for the gathered block), y at dY, rows 0..dN-1.
let dX: usize = 0, dY: usize = 0, dLd: i32 = 0, dN: i32 = 0;

/** Point the C-steps at nn rows: X column j at pX0 + j ld entries, y at pY0. */
function setView(pX0: usize, pY0: usize, ld: i32, nn: i32): void {
  dX = pX0;
  dY = pY0;
  dLd = ld;
  dN = nn;
}

/** Point the region globals into the work region at pWork (layout: lts_work_bytes). */
function regions(n: i32, p: i32, pWork: usize): void {
  const nb = <usize>al16(8.0 * <f64>n), ib = <usize>al16(4.0 * <f64>n);
  const q1 = <f64>p + 2.0, p1 = <f64>p + 1.0;
  const nblk = <f64>(n < KMINI * NMINI ? n : KMINI * NMINI);
  pKey = pWork + <usize>al16(l2_work_bytes(n, p));
  pWt = pKey + nb;
  pId = pWt + nb;
  pRows = pId + ib;
  pA = pRows + ib;
  pCm = pA + <usize>al16(8.0 * q1 * q1);
  pIdx = pCm + <usize>al16(8.0 * q1);
  pG = pIdx + <usize>al16(4.0 * q1);
  pM = pG + <usize>al16(8.0 * p1 * p1);
  pV = pM + <usize>al16(8.0 * p1);
  pTry = pV + <usize>al16(8.0 * p1);
  pNew = pTry + <usize>al16(8.0 * p1);
  pBest = pNew + <usize>al16(8.0 * p1);
  pSObj = pBest + <usize>al16(8.0 * p1);
  pSCoef = pSObj + <usize>al16(8.0 * <f64>((KMINI + 2) * KEEP));
  pMem = pSCoef + <usize>al16(8.0 * <f64>((KMINI + 2) * KEEP) * p1);
  pGr = pMem + ib;
  pS = pGr + <usize>al16(8.0 * p1 * p1);
  pSh = pS + <usize>al16(8.0 * p1);
  pBX = pSh + <usize>al16(8.0 * p1);
  pBY = pBX + <usize>al16(8.0 * nblk * <f64>p);
  pW = pBY + <usize>al16(8.0 * nblk);
  pAcc = pW + <usize>al16(8.0 * <f64>CHUNK * p1);
  pAccS = pAcc + <usize>al16(16.0 * p1 * p1);
  pChg = pAccS + <usize>al16(16.0 * p1);
  pLv = pChg + ib;
  pWt2 = pLv + ib;
  pRA = pWt2 + nb;
}

export function lts_fit(n: i32, p: i32, pX: usize, pY: usize, intercept: i32, h: i32, nsamp: i32, seed: u32,
  maxCsteps: i32, pCoef: usize, pInfo: usize, pFlags: usize, pWork: usize, xf32: i32): i32 {
  setX(xf32);
  regions(n, p, pWork);

  for (let k = 0; k < INFO_LEN; k++) stf(pInfo, k, 0);
  // Rank of [1, X] on all rows (flags name the aliased columns).
  const st0 = l2_fit(n, p, pX, pY, 0, intercept, 0.0, pCoef, pInfo, pFlags, pWork, xf32, 1);
  if (st0 == STATUS_RANK_DEFICIENT || st0 == STATUS_NUMERICAL) return st0;
  rng = seed;
  brEps = BR_EPS0;
  brOn = false;
  csteps = 0;
  const st = XS == 3
    ? search<f64>(n, p, pX, pY, intercept, h, nsamp, maxCsteps, pInfo)
    : search<f32>(n, p, pX, pY, intercept, h, nsamp, maxCsteps, pInfo);
  if (st == STATUS_CANCELLED || st == STATUS_NUMERICAL) return st;

  // Raw fit: least squares on the h rows of smallest squared residual of the winner.
  for (let i = 0; i < n; i++) stf(pWt, i, 0.0);
  for (let k = 0; k < h; k++) stf(pWt, ldi(pId, k), 1.0);
  const st2 = l2_fit(n, p, pX, pY, pWt, intercept, 0.0, pCoef, pInfo, pFlags, pWork, xf32, 1);
  if (st2 != STATUS_OK) {
    // the h-subset is (numerically) collinear for the accurate solver: keep the search's fit
    for (let j = 0; j <= p; j++) stf(pCoef, j, ldf(pBest, j));
    for (let j = 0; j < p; j++) sti(pFlags, j, 0);
  }
  setView(pX, pY, n, n);
  const obj = XS == 3 ? hSmallest<f64>(p, pCoef, h) : hSmallest<f32>(p, pCoef, h);
  if (!isFinite(obj)) return STATUS_NUMERICAL;
  stf(pInfo, INFO_OBJECTIVE, obj);
  stf(pInfo, INFO_ITERATIONS, <f64>csteps);
  return st;
}

/**
 * Residuals r = y - b0 - X b of the coefficients [b0, b_1..b_p] at pC on all n rows into pR (n f64):
 * the host's pass for the reweighting rule (src/fit/lts.ts: the raw fit's, then the reweighted fit's).
 * The row chunks of the search's full-data passes (block pass PASS_LTS, so split across threads with
 * the same fixed decomposition), and per row the operations of the keys (evalRows), unsquared, so the
 * twin and every thread count give the same bits. pWork: lts_fit's work region for the same n, p (its
 * argument region is used; nothing else in it is read or written).
 */
export function lts_resid(n: i32, p: i32, pX: usize, pY: usize, pC: usize, pR: usize, pWork: usize, xf32: i32): void {
  setX(xf32);
  regions(n, p, pWork);
  setView(pX, pY, n, n);
  if (XS == 3) evalAll<f64>(p, pC, pR, false);
  else evalAll<f32>(p, pC, pR, false);
}

/** Sum of the h smallest squared residuals of coefficients at pC over the view's rows (ids/keys permuted). */
function hSmallest<T>(p: i32, pC: usize, h: i32): f64 {
  brOn = false;
  evalAll<T>(p, pC);
  return selectH(dN, h, SEL_SUM);
}

/** Number of the final stage's candidates iterated to convergence on all n rows. */
function nConverge(n: i32): i32 {
  return n <= FINAL_SMALL_N ? KEEP : 1;
}

function search<T>(n: i32, p: i32, pX: usize, pY: usize, intercept: i32, h: i32, nsamp: i32, maxCsteps: i32,
  pInfo: usize): i32 {
  const q = p + intercept;
  const percen = <f64>h / <f64>n;
  const nstock = (KMINI + 2) * KEEP;
  for (let k = 0; k < nstock; k++) stf(pSObj, k, Infinity);
  let used = 0, singular = 0, attempts = 0;
  const part = n >= NESTED_MIN_N;
  let src = 0; // stock group holding the candidates of the final stage
  if (part) {
    let ngroup = n / NMINI;
    if (ngroup > KMINI) ngroup = KMINI;
    const minigr = ngroup < KMINI ? n : KMINI * NMINI;
    for (let i = 0; i < n; i++) sti(pRows, i, i);
    for (let i = 0; i < minigr; i++) {
      const j = i + randBelow(n - i);
      const t = ldi(pRows, i);
      sti(pRows, i, ldi(pRows, j));
      sti(pRows, j, t);
    }
    // the minigr drawn rows gathered into a column-major f64 block (group g = a contiguous range)
    for (let j = 0; j < p; j++) {
      const px = xat<T>(pX, n, j, 0);
      const pb = pBX + (<usize>(j * minigr) << 3);
      for (let k = 0; k < minigr; k++) stf(pb, k, xld<T>(px, ldi(pRows, k)));
    }
    for (let k = 0; k < minigr; k++) stf(pBY, k, load<f64>(pY + (<usize>ldi(pRows, k) << 3)));
    const base = minigr / ngroup, extra = minigr - base * ngroup;
    const size1 = extra > 0 ? base + 1 : base;
    const hh = <i32>Math.floor(<f64>size1 * percen);
    const nrep = nsamp >= ngroup ? nsamp / ngroup : 1;
    let off = 0;
    for (let g = 0; g < ngroup; g++) {
      const m = g < extra ? base + 1 : base;
      setView(pBX + (<usize>off << 3), pBY + (<usize>off << 3), minigr, m);
      let t = 0, tries = 0;
      while (t < nrep && tries < 2 * nrep) {
        tries++;
        attempts++;
        if (attempts % PROGRESS_EVERY == 0) {
          if (progress(KIND_LTS, attempts, ldf(pSObj, g * KEEP), 0.0) != 0) return STATUS_CANCELLED;
        }
        drawRandom(m, q);
        if (!elemental<f64>(p, intercept, pTry)) {
          singular++;
          continue;
        }
        t++;
        used++;
        const obj = concentrate<f64>(p, intercept, pTry, hh, STEPS_SEARCH);
        insert(g, obj, p, pTry);
      }
      off += m;
    }
    // merged groups
    const hm = <i32>Math.floor(<f64>minigr * percen);
    setView(pBX, pBY, minigr, minigr);
    for (let g = 0; g < ngroup; g++) {
      for (let k = 0; k < KEEP; k++) {
        const o = ldf(pSObj, g * KEEP + k);
        if (!isFinite(o)) continue;
        copyCoef(pSCoef + (<usize>((g * KEEP + k) * (p + 1)) << 3), pTry, p);
        const obj = concentrate<f64>(p, intercept, pTry, hm, STEPS_SEARCH);
        insert(KMINI, obj, p, pTry);
      }
    }
    src = KMINI;
    stf(pInfo, LTS_INFO_GROUPS, <f64>ngroup);
  } else {
    setView(pX, pY, n, n);
    const all = n <= replow(q) || ncomb(n, q) <= <f64>nsamp;
    stf(pInfo, LTS_INFO_EXHAUSTIVE, all ? 1.0 : 0.0);
    const nrep = all ? <i32>ncomb(n, q) : nsamp;
    for (let k = 0; k < q; k++) sti(pIdx, k, k);
    let t = 0, tries = 0;
    while (t < nrep && tries < 2 * nrep) {
      tries++;
      attempts++;
      if (attempts % PROGRESS_EVERY == 0) {
        if (progress(KIND_LTS, attempts, ldf(pSObj, 0), 0.0) != 0) return STATUS_CANCELLED;
      }
      if (all) {
        if (tries > 1) nextCombination(n, q);
      } else {
        drawRandom(n, q);
      }
      if (!elemental<T>(p, intercept, pTry)) {
        singular++;
        if (all) t++;
        continue;
      }
      t++;
      used++;
      const obj = concentrate<T>(p, intercept, pTry, h, maxCsteps);
      insert(0, obj, p, pTry);
    }
  }
  stf(pInfo, LTS_INFO_SUBSETS, <f64>used);
  stf(pInfo, LTS_INFO_SINGULAR, <f64>singular);

  // Final stage. Nested scheme: the KEEP candidates get STEPS_SEARCH C-steps on all rows (n <=
  // FINAL_SMALL_N; above, none: they are ranked by their objective on all rows), and the nConverge(n)
  // best are iterated to convergence; otherwise the KEEP best (already converged) are iterated again.
  setView(pX, pY, n, n);
  let nfinal = KEEP;
  if (part) {
    for (let k = 0; k < KEEP; k++) {
      const o = ldf(pSObj, src * KEEP + k);
      if (!isFinite(o)) continue;
      if (progress(KIND_LTS, attempts + k, o, 0.0) != 0) return STATUS_CANCELLED;
      copyCoef(pSCoef + (<usize>((src * KEEP + k) * (p + 1)) << 3), pTry, p);
      const obj = concentrate<T>(p, intercept, pTry, h, n <= FINAL_SMALL_N ? STEPS_SEARCH : 0);
      insert(KMINI + 1, obj, p, pTry);
    }
    src = KMINI + 1;
    nfinal = nConverge(n);
  }
  let best = Infinity;
  let bestConverged = true;
  for (let k = 0; k < nfinal; k++) {
    const o = ldf(pSObj, src * KEEP + k);
    if (!isFinite(o)) continue;
    if (progress(KIND_LTS, attempts + k, o, 0.0) != 0) return STATUS_CANCELLED;
    copyCoef(pSCoef + (<usize>((src * KEEP + k) * (p + 1)) << 3), pTry, p);
    const obj = concentrate<T>(p, intercept, pTry, h, maxCsteps);
    if (obj < best) {
      best = obj;
      bestConverged = chainConverged;
      copyCoef(pTry, pBest, p);
      stf(pInfo, LTS_INFO_FINAL_STEPS, <f64>chainSteps);
    }
  }
  if (!isFinite(best)) return STATUS_NUMERICAL;
  // ids of the winner's h rows
  brOn = false;
  evalAll<T>(p, pBest);
  selectH(n, h, SEL_IDS);
  return bestConverged ? STATUS_OK : STATUS_MAXITER;
}

function copyCoef(pFrom: usize, pTo: usize, p: i32): void {
  for (let j = 0; j <= p; j++) stf(pTo, j, ldf(pFrom, j));
}

/** q distinct indices in [0, m) into pIdx (rejection of repeats). */
function drawRandom(m: i32, q: i32): void {
  for (let k = 0; k < q; k++) {
    let r = randBelow(m);
    let dup = true;
    while (dup) {
      dup = false;
      for (let l = 0; l < k; l++) {
        if (ldi(pIdx, l) == r) {
          dup = true;
          break;
        }
      }
      if (dup) r = randBelow(m);
    }
    sti(pIdx, k, r);
  }
}

/** Next q-subset of [0, n) in lexicographic order (pIdx holds the current one). */
function nextCombination(n: i32, q: i32): void {
  let i = q - 1;
  while (i >= 0 && ldi(pIdx, i) == n - q + i) i--;
  if (i < 0) return;
  sti(pIdx, i, ldi(pIdx, i) + 1);
  for (let l = i + 1; l < q; l++) sti(pIdx, l, ldi(pIdx, l - 1) + 1);
}

/** Exact fit through the view's q rows pIdx[0..q) into pC ([b0, b]); false when the subset is singular. */
function elemental<T>(p: i32, intercept: i32, pC: usize): bool {
  const q = p + intercept, w = q + 1;
  for (let r = 0; r < q; r++) {
    const row = ldi(pIdx, r);
    if (intercept != 0) stf(pA, r * w, 1.0);
    for (let j = 0; j < p; j++) stf(pA, r * w + intercept + j, xld<T>(xat<T>(dX, dLd, j, 0), row));
    stf(pA, r * w + q, load<f64>(dY + (<usize>row << 3)));
  }
  for (let k = 0; k < q; k++) {
    let cm = 0.0;
    for (let r = 0; r < q; r++) {
      const a = Math.abs(ldf(pA, r * w + k));
      if (a > cm) cm = a;
    }
    stf(pCm, k, cm);
  }
  for (let k = 0; k < q; k++) {
    let piv = k;
    let amax = Math.abs(ldf(pA, k * w + k));
    for (let r = k + 1; r < q; r++) {
      const a = Math.abs(ldf(pA, r * w + k));
      if (a > amax) {
        amax = a;
        piv = r;
      }
    }
    if (!(amax > ELEM_TOL * ldf(pCm, k))) return false;
    if (piv != k) {
      for (let c = k; c <= q; c++) {
        const t = ldf(pA, k * w + c);
        stf(pA, k * w + c, ldf(pA, piv * w + c));
        stf(pA, piv * w + c, t);
      }
    }
    const d = ldf(pA, k * w + k);
    for (let r = k + 1; r < q; r++) {
      const f = ldf(pA, r * w + k) / d;
      if (f != 0.0) {
        for (let c = k + 1; c <= q; c++) stf(pA, r * w + c, ldf(pA, r * w + c) - f * ldf(pA, k * w + c));
      }
    }
  }
  for (let k = q - 1; k >= 0; k--) {
    let s = ldf(pA, k * w + q);
    for (let c = k + 1; c < q; c++) s -= ldf(pA, k * w + c) * ldf(pV, c);
    stf(pV, k, s / ldf(pA, k * w + k));
  }
  stf(pC, 0, intercept != 0 ? ldf(pV, 0) : 0.0);
  for (let j = 0; j < p; j++) stf(pC, j + 1, ldf(pV, intercept + j));
  for (let j = 0; j <= p; j++) if (!isFinite(ldf(pC, j))) return false;
  return true;
}

/** Sums over the view's rows pList[0..cnt) of d = [x_row, y_row] - shift: Gram d d^T (upper, rows
 *  0..p-1, columns up to p = the response) into pOG and S = sum d into pOS. The rows are gathered
 *  CHUNK at a time into a column-major block (odd counts padded with a zero row) and every entry is a
 *  dot product of two block columns in f64x2 lanes (even / odd rows), the lanes added at the end. */
function gatherGram<T>(p: i32, pList: usize, cnt: i32, pOG: usize, pOS: usize): void {
  const w = p + 1;
  const z = f64x2.splat(0.0);
  for (let k = 0; k < p * w; k++) v128.store(pAcc + (<usize>k << 4), z);
  for (let c = 0; c <= p; c++) v128.store(pAccS + (<usize>c << 4), z);
  for (let b = 0; b < cnt; b += CHUNK) {
    const m = cnt - b < CHUNK ? cnt - b : CHUNK;
    const m2 = (m + 1) & ~1;
    for (let c = 0; c < p; c++) {
      const px = xat<T>(dX, dLd, c, 0);
      const sh = ldf(pSh, c);
      const pw = pW + (<usize>(c * CHUNK) << 3);
      for (let i = 0; i < m; i++) stf(pw, i, xld<T>(px, ldi(pList, b + i)) - sh);
      if (m2 > m) stf(pw, m, 0.0);
    }
    const shy = ldf(pSh, p);
    const pwy = pW + (<usize>(p * CHUNK) << 3);
    for (let i = 0; i < m; i++) stf(pwy, i, load<f64>(dY + (<usize>ldi(pList, b + i) << 3)) - shy);
    if (m2 > m) stf(pwy, m, 0.0);
    for (let c = 0; c <= p; c++) {
      const pc = pW + (<usize>(c * CHUNK) << 3);
      const pa = pAccS + (<usize>c << 4);
      let acc = v128.load(pa);
      for (let i = 0; i < m2; i += 2) acc = f64x2.add(acc, v128.load(pc + (<usize>i << 3)));
      v128.store(pa, acc);
    }
    // entries in 2 x 2 blocks (rows j, j + 1 by columns c, c + 1: 4 loads for 4 dot products; every
    // entry still accumulates its own products in row order, as the twin's scalar pairs do)
    let j = 0;
    for (; j + 1 < p; j += 2) {
      const pj = pW + (<usize>(j * CHUNK) << 3), pj1 = pj + (<usize>CHUNK << 3);
      // diagonal block: (j, j), (j, j + 1), (j + 1, j + 1)
      const a00 = pAcc + (<usize>(j * w + j) << 4), a01 = a00 + 16, a11 = pAcc + (<usize>((j + 1) * w + j + 1) << 4);
      let s00 = v128.load(a00), s01 = v128.load(a01), s11 = v128.load(a11);
      for (let i = 0; i < m2; i += 2) {
        const u = v128.load(pj + (<usize>i << 3)), v = v128.load(pj1 + (<usize>i << 3));
        s00 = f64x2.add(s00, f64x2.mul(u, u));
        s01 = f64x2.add(s01, f64x2.mul(u, v));
        s11 = f64x2.add(s11, f64x2.mul(v, v));
      }
      v128.store(a00, s00);
      v128.store(a01, s01);
      v128.store(a11, s11);
      let c = j + 2;
      for (; c + 1 <= p; c += 2) {
        const pc = pW + (<usize>(c * CHUNK) << 3), pc1 = pc + (<usize>CHUNK << 3);
        const b00 = pAcc + (<usize>(j * w + c) << 4), b10 = pAcc + (<usize>((j + 1) * w + c) << 4);
        let t00 = v128.load(b00), t01 = v128.load(b00 + 16), t10 = v128.load(b10), t11 = v128.load(b10 + 16);
        for (let i = 0; i < m2; i += 2) {
          const u = v128.load(pj + (<usize>i << 3)), v = v128.load(pj1 + (<usize>i << 3));
          const x = v128.load(pc + (<usize>i << 3)), z2 = v128.load(pc1 + (<usize>i << 3));
          t00 = f64x2.add(t00, f64x2.mul(u, x));
          t01 = f64x2.add(t01, f64x2.mul(u, z2));
          t10 = f64x2.add(t10, f64x2.mul(v, x));
          t11 = f64x2.add(t11, f64x2.mul(v, z2));
        }
        v128.store(b00, t00);
        v128.store(b00 + 16, t01);
        v128.store(b10, t10);
        v128.store(b10 + 16, t11);
      }
      if (c <= p) {
        const pc = pW + (<usize>(c * CHUNK) << 3);
        const b0 = pAcc + (<usize>(j * w + c) << 4), b1 = pAcc + (<usize>((j + 1) * w + c) << 4);
        let t0 = v128.load(b0), t1 = v128.load(b1);
        for (let i = 0; i < m2; i += 2) {
          const x = v128.load(pc + (<usize>i << 3));
          t0 = f64x2.add(t0, f64x2.mul(v128.load(pj + (<usize>i << 3)), x));
          t1 = f64x2.add(t1, f64x2.mul(v128.load(pj1 + (<usize>i << 3)), x));
        }
        v128.store(b0, t0);
        v128.store(b1, t1);
      }
    }
    if (j < p) {
      // last row j = p - 1 (p odd): columns p - 1 and p
      const pj = pW + (<usize>(j * CHUNK) << 3), pc = pj + (<usize>CHUNK << 3);
      const a0 = pAcc + (<usize>(j * w + j) << 4);
      let s0 = v128.load(a0), s1 = v128.load(a0 + 16);
      for (let i = 0; i < m2; i += 2) {
        const u = v128.load(pj + (<usize>i << 3));
        s0 = f64x2.add(s0, f64x2.mul(u, u));
        s1 = f64x2.add(s1, f64x2.mul(u, v128.load(pc + (<usize>i << 3))));
      }
      v128.store(a0, s0);
      v128.store(a0 + 16, s1);
    }
  }
  for (let j = 0; j < p; j++) {
    for (let c = j; c <= p; c++) {
      const v = v128.load(pAcc + (<usize>(j * w + c) << 4));
      stf(pOG, j * w + c, f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
    }
  }
  for (let c = 0; c <= p; c++) {
    const v = v128.load(pAccS + (<usize>c << 4));
    stf(pOS, c, f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1));
  }
}

/** Start the sums of a chain on the subset pId[0..hh) (listed by selectH): shift = the first subset row
 *  (with an intercept; 0 without); S and Gr over the subset. */
function initSums<T>(p: i32, intercept: i32, hh: i32): void {
  const r0 = ldi(pId, 0);
  for (let j = 0; j < p; j++) stf(pSh, j, intercept != 0 ? xld<T>(xat<T>(dX, dLd, j, 0), r0) : 0.0);
  stf(pSh, p, intercept != 0 ? load<f64>(dY + (<usize>r0 << 3)) : 0.0);
  gatherGram<T>(p, pId, hh, pGr, pS);
}

/** Move the sums from the previous selectH's subset to the last one's (pId[0..hh)): the Gram sums of
 *  the rows entering (pChg) are added and those of the rows leaving (pLv) subtracted, each list in row
 *  order; from scratch when more than half changed. */
function updateSums<T>(p: i32, intercept: i32, hh: i32): void {
  const w = p + 1;
  const changes = nEnter;
  if (2 * changes > hh) {
    if (!idsValid) {
      // the subset in row order (a SEL_DIFF selection without ties: exactly the rows flagged)
      const mem = pMem, ids = pId;
      let c = 0;
      for (let i = 0; i < dN; i++) {
        sti(ids, c, i);
        c += ldi(mem, i) & 1;
      }
      idsValid = true;
    }
    initSums<T>(p, intercept, hh);
    return;
  }
  if (changes == 0) return;
  gatherGram<T>(p, pChg, changes, pG, pM);
  for (let j = 0; j < p; j++) for (let c = j; c <= p; c++) stf(pGr, j * w + c, ldf(pGr, j * w + c) + ldf(pG, j * w + c));
  for (let c = 0; c <= p; c++) stf(pS, c, ldf(pS, c) + ldf(pM, c));
  gatherGram<T>(p, pLv, nLeave, pG, pM);
  for (let j = 0; j < p; j++) for (let c = j; c <= p; c++) stf(pGr, j * w + c, ldf(pGr, j * w + c) - ldf(pG, j * w + c));
  for (let c = 0; c <= p; c++) stf(pS, c, ldf(pS, c) - ldf(pM, c));
}

/** Least squares on the current subset (hh rows) from the sums into pC; false when singular. */
function solveSums(p: i32, intercept: i32, hh: i32, pC: usize): bool {
  const w = p + 1;
  const hd = <f64>hh;
  for (let j = 0; j < p; j++) {
    for (let c = j; c <= p; c++) {
      stf(pG, j * w + c, intercept != 0 ? ldf(pGr, j * w + c) - ldf(pS, j) * ldf(pS, c) / hd : ldf(pGr, j * w + c));
    }
  }
  // Cholesky G = U^T U (row-oriented, upper), carrying the right-hand side column along.
  for (let j = 0; j < p; j++) stf(pV, j, ldf(pG, j * w + j));
  for (let j = 0; j < p; j++) {
    const d = ldf(pG, j * w + j);
    if (!(d > CHOL_TOL * ldf(pV, j))) return false;
    const s = Math.sqrt(d);
    stf(pG, j * w + j, s);
    for (let c = j + 1; c <= p; c++) stf(pG, j * w + c, ldf(pG, j * w + c) / s);
    for (let r = j + 1; r < p; r++) {
      const f = ldf(pG, j * w + r);
      for (let c = r; c <= p; c++) stf(pG, r * w + c, ldf(pG, r * w + c) - f * ldf(pG, j * w + c));
    }
  }
  for (let j = p - 1; j >= 0; j--) {
    let s = ldf(pG, j * w + p);
    for (let c = j + 1; c < p; c++) s -= ldf(pG, j * w + c) * ldf(pV, c);
    stf(pV, j, s / ldf(pG, j * w + j));
  }
  let b0 = 0.0;
  if (intercept != 0) {
    b0 = ldf(pSh, p) + ldf(pS, p) / hd;
    for (let j = 0; j < p; j++) b0 -= (ldf(pSh, j) + ldf(pS, j) / hd) * ldf(pV, j);
  }
  if (!isFinite(b0)) return false;
  for (let j = 0; j < p; j++) if (!isFinite(ldf(pV, j))) return false;
  stf(pC, 0, b0);
  for (let j = 0; j < p; j++) stf(pC, j + 1, ldf(pV, j));
  return true;
}

/** Squared residuals of pC on the view's rows into keys (a chunk pass; evalRows per chunk); with
 *  sq false the residuals themselves into out (lts_resid). */
function evalAll<T>(p: i32, pC: usize, out: usize = pKey, sq: bool = true): void {
  if (dN <= R_ROWS) {
    evalRows<T>(p, pC, out, dY, dX, dLd, 0, dN, sq);
    return;
  }
  const a = chunkArgs(kEval, dN, p);
  stf(a, aKey, <f64>out);
  stf(a, aT, <f64>shiftOf<T>());
  stf(a, aC, <f64>pC);
  stf(a, aMode, sq ? 1.0 : 0.0);
  runChunks(a, dN);
}

/** The arguments common to every chunk pass (the view, the keys); returns the region. */
function chunkArgs(kind: i32, nn: i32, p: i32): usize {
  const a = pRA;
  stf(a, aKind, <f64>kind);
  stf(a, aN, <f64>nn);
  stf(a, aP, <f64>p);
  stf(a, aKey, <f64>pKey);
  stf(a, aX, <f64>dX);
  stf(a, aY, <f64>dY);
  stf(a, aLd, <f64>dLd);
  stf(a, aPart, <f64>(pRA + <usize>al16(8.0 * <f64>R_ARGS)));
  return a;
}

/** Runs the chunks of the pass at pArgs over nn rows: on the host's thread pool, or here in order. */
function runChunks(pArgs: usize, nn: i32): void {
  const nc = rowChunks(nn);
  if (parRun(PASS_LTS, pArgs, nc)) return;
  for (let c = 0; c < nc; c++) ltsChunk(pArgs, c, 0);
}

/** Chunk c of the pass at pArgs (block pass PASS_LTS; reads only the argument region: no globals). */
export function ltsChunk(pArgs: usize, c: i32, slot: i32): void {
  const kind = <i32>ldf(pArgs, aKind);
  const nn = <i32>ldf(pArgs, aN);
  const r0 = c * R_ROWS;
  const r1 = min<i32>(nn, r0 + R_ROWS);
  const part = <usize>ldf(pArgs, aPart) + (<usize>(c * R_PART) << 3);
  const key = <usize>ldf(pArgs, aKey);
  if (kind == kEval) {
    const p = <i32>ldf(pArgs, aP), pC = <usize>ldf(pArgs, aC);
    const py = <usize>ldf(pArgs, aY), px = <usize>ldf(pArgs, aX), ld = <i32>ldf(pArgs, aLd);
    const sq = ldf(pArgs, aMode) != 0.0;
    if (<i32>ldf(pArgs, aT) == 3) evalRows<f64>(p, pC, key, py, px, ld, r0, r1, sq);
    else evalRows<f32>(p, pC, key, py, px, ld, r0, r1, sq);
  } else if (kind == kBracket) {
    bracketRows(key, ldf(pArgs, aLo), ldf(pArgs, aHi), <usize>ldf(pArgs, aMid) + (<usize>r0 << 3), r0, r1, part);
  } else {
    scanRows(key, ldf(pArgs, aLo), <i32>ldf(pArgs, aMode), <usize>ldf(pArgs, aIds) + (<usize>r0 << 2),
      <usize>ldf(pArgs, aMem), <usize>ldf(pArgs, aEnt) + (<usize>r0 << 2), <usize>ldf(pArgs, aLv) + (<usize>r0 << 2),
      r0, r1, part);
  }
}

/** Squared residuals of pC on rows r0..r1-1 into keys: ((y - b0) - x_1 b_1) - x_2 b_2 ... per row, four
 *  rows at a time in two f64x2 registers (each lane the twin's scalar operation, no FMA), so the keys
 *  are written once instead of once per column. X column j at px0 + j ld entries of type T. sq false:
 *  the residuals, not squared (lts_resid). */
function evalRows<T>(p: i32, pC: usize, key: usize, py: usize, px0: usize, ld: i32, r0: i32, r1: i32, sq: bool): void {
  const ldb = <usize>ld << shiftOf<T>();
  const b0 = ldf(pC, 0);
  const bv0 = f64x2.splat(b0);
  const n4 = r0 + ((r1 - r0) & ~3);
  for (let i = r0; i < n4; i += 4) {
    let r0v = f64x2.sub(v128.load(py + (<usize>i << 3)), bv0);
    let r1v = f64x2.sub(v128.load(py + (<usize>i << 3) + 16), bv0);
    let px = px0;
    for (let j = 0; j < p; j++) {
      const bj = v128.load64_splat(pC + (<usize>(j + 1) << 3));
      r0v = f64x2.sub(r0v, f64x2.mul(xld2<T>(px, i), bj));
      r1v = f64x2.sub(r1v, f64x2.mul(xld2<T>(px, i + 2), bj));
      px += ldb;
    }
    if (sq) {
      r0v = f64x2.mul(r0v, r0v);
      r1v = f64x2.mul(r1v, r1v);
    }
    v128.store(key + (<usize>i << 3), r0v);
    v128.store(key + (<usize>i << 3) + 16, r1v);
  }
  for (let i = n4; i < r1; i++) {
    let r = load<f64>(py + (<usize>i << 3)) - b0;
    let px = px0;
    for (let j = 0; j < p; j++) {
      r = r - xld<T>(px, i) * ldf(pC, j + 1);
      px += ldb;
    }
    stf(key, i, sq ? r * r : r);
  }
}

/** selectH modes: what the scan records besides the sum of the hh smallest keys. */
const SEL_SUM: i32 = 0;  // nothing (the last selection of a chain, or an objective only)
const SEL_IDS: i32 = 1;  // the subset's rows into pId and its membership flags (a chain's first selection)
const SEL_DIFF: i32 = 2; // membership flags moved, rows entering / leaving listed (a chain's later selections)

/** The sum of the hh smallest keys of the view's nn rows, accumulated in row order in four partial sums
 *  (rows i mod 4) added pairwise at the end; rows tied at the threshold are taken last, in row order.
 *  The threshold t (the hh-th smallest key) comes from kthKey; the scans that follow are branch-free.
 *  The subset is {keys <= t} unless ties at t (or non-finite keys, only when the data or coefficients
 *  overflow) make it larger or smaller: then rows below t, then ties, then the rest in row order, so
 *  that the subset always holds hh distinct rows. Per mode (SEL_*): SEL_IDS lists the subset's rows in
 *  pId (row order; ties last) and sets the membership flags pMem (bit 0); SEL_DIFF moves the flags
 *  (bit 0 = in this subset, bit 1 = in the previous one) and lists the rows entering (pChg) and leaving
 *  (pLv) the subset, in row order, for the next C-step's update of the sums (updateSums); SEL_SUM (the
 *  sum in f64x2 lanes: lane sums = the partial sums) records nothing. */
function selectH(nn: i32, hh: i32, mode: i32): f64 {
  const t = kthKey(nn, hh - 1);
  const key = pKey, ids = pId, mem = pMem, ent = pChg, lv = pLv;
  // the scan, chunk by chunk (scanRows); then the chunks' lists moved down in chunk order and their
  // sums added in chunk order
  const part = pRA + <usize>al16(8.0 * <f64>R_ARGS);
  if (nn <= R_ROWS) {
    scanRows(key, t, mode, ids, mem, ent, lv, 0, nn, part);
  } else {
    const a = chunkArgs(kSelect, nn, 0);
    stf(a, aLo, t);
    stf(a, aMode, <f64>mode);
    stf(a, aIds, <f64>ids);
    stf(a, aMem, <f64>mem);
    stf(a, aEnt, <f64>ent);
    stf(a, aLv, <f64>lv);
    runChunks(a, nn);
  }
  let c = 0, ne = 0, nl = 0;
  let s = 0.0;
  const nc = rowChunks(nn);
  for (let k = 0; k < nc; k++) {
    const pk = part + (<usize>(k * R_PART) << 3);
    const sk = (ldf(pk, 0) + ldf(pk, 1)) + (ldf(pk, 2) + ldf(pk, 3));
    s = k == 0 ? sk : s + sk;
    const ck = <i32>ldf(pk, 4), nek = <i32>ldf(pk, 5), nlk = <i32>ldf(pk, 6);
    if (k > 0) {
      const r0 = <usize>(k * R_ROWS) << 2;
      if (mode == SEL_IDS) memory.copy(ids + (<usize>c << 2), ids + r0, <usize>ck << 2);
      if (mode == SEL_DIFF) {
        memory.copy(ent + (<usize>ne << 2), ent + r0, <usize>nek << 2);
        memory.copy(lv + (<usize>nl << 2), lv + r0, <usize>nlk << 2);
      }
    }
    c += ck;
    ne += nek;
    nl += nlk;
  }
  if (c == hh) {
    idsValid = mode == SEL_IDS;
    nEnter = ne;
    nLeave = nl;
    return s;
  }
  // ties at the threshold (c > hh) or non-finite keys (c < hh): rows below t, then ties, then the rest
  c = 0;
  s = 0.0;
  for (let i = 0; i < nn; i++) {
    const v = ldf(key, i);
    const take = v < t;
    sti(ids, c, i);
    c += take ? 1 : 0;
    s = s + (take ? v : 0.0);
  }
  for (let i = 0; i < nn && c < hh; i++) {
    if (ldf(key, i) == t) {
      sti(ids, c, i);
      c++;
      s = s + t;
    }
  }
  for (let i = 0; i < nn && c < hh; i++) {
    const v = ldf(key, i);
    if (!(v < t) && !(v == t)) {
      sti(ids, c, i);
      c++;
      s = s + v;
    }
  }
  idsValid = true;
  if (mode == SEL_SUM) return s;
  // membership of this subset from the list (bit 1: the previous subset's, kept by the SEL_DIFF scan)
  for (let i = 0; i < nn; i++) sti(mem, i, mode == SEL_DIFF ? ldi(mem, i) & 2 : 0);
  for (let k = 0; k < hh; k++) {
    const r = ldi(ids, k);
    sti(mem, r, ldi(mem, r) | 1);
  }
  if (mode == SEL_DIFF) {
    ne = 0;
    nl = 0;
    for (let i = 0; i < nn; i++) {
      const m = ldi(mem, i);
      const tk = m & 1, o = m >> 1;
      sti(ent, ne, i);
      ne += tk & ~o;
      sti(lv, nl, i);
      nl += o & ~tk;
    }
    nEnter = ne;
    nLeave = nl;
  }
  return s;
}

/** selectH's scan of rows r0..r1-1 (a chunk) against the threshold t: by mode, the rows listed at ids /
 *  ent / lv (this chunk's own offsets: element 0 = its first listed row) and the flags in mem; into
 *  part: the four partial sums (rows i mod 4; tail rows into the first), the count of keys <= t, and
 *  the counts of rows entering and leaving. */
function scanRows(key: usize, t: f64, mode: i32, ids: usize, mem: usize, ent: usize, lv: usize, r0: i32, r1: i32,
  part: usize): void {
  let c = 0, ne = 0, nl = 0;
  let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  const n4 = r0 + ((r1 - r0) & ~3);
  if (mode == SEL_SUM) {
    const tv = f64x2.splat(t);
    let a01 = f64x2.splat(0.0), a23 = f64x2.splat(0.0), cv = i64x2.splat(0);
    for (let i = r0; i < n4; i += 4) {
      const v01 = v128.load(key + (<usize>i << 3)), v23 = v128.load(key + (<usize>i << 3) + 16);
      const k01 = f64x2.le(v01, tv), k23 = f64x2.le(v23, tv);
      a01 = f64x2.add(a01, v128.and(v01, k01));
      a23 = f64x2.add(a23, v128.and(v23, k23));
      cv = i64x2.sub(cv, i64x2.add(k01, k23));
    }
    s0 = f64x2.extract_lane(a01, 0);
    s1 = f64x2.extract_lane(a01, 1);
    s2 = f64x2.extract_lane(a23, 0);
    s3 = f64x2.extract_lane(a23, 1);
    c = <i32>(i64x2.extract_lane(cv, 0) + i64x2.extract_lane(cv, 1));
    for (let i = n4; i < r1; i++) {
      const v = ldf(key, i);
      const tk = <i32>(v <= t);
      c += tk;
      s0 = s0 + select<f64>(v, 0.0, tk != 0);
    }
  } else if (mode == SEL_IDS) {
    // the sums in f64x2 lanes as for SEL_SUM (a scalar select on the comparison compiles to a branch
    // that mispredicts about half the time at coverage 0.5); the flags from scalar comparisons
    const tv = f64x2.splat(t);
    let a01 = f64x2.splat(0.0), a23 = f64x2.splat(0.0);
    for (let i = r0; i < n4; i += 4) {
      const v01 = v128.load(key + (<usize>i << 3)), v23 = v128.load(key + (<usize>i << 3) + 16);
      a01 = f64x2.add(a01, v128.and(v01, f64x2.le(v01, tv)));
      a23 = f64x2.add(a23, v128.and(v23, f64x2.le(v23, tv)));
      const t0 = <i32>(ldf(key, i) <= t), t1 = <i32>(ldf(key, i + 1) <= t);
      const t2 = <i32>(ldf(key, i + 2) <= t), t3 = <i32>(ldf(key, i + 3) <= t);
      sti(ids, c, i);
      c += t0;
      sti(ids, c, i + 1);
      c += t1;
      sti(ids, c, i + 2);
      c += t2;
      sti(ids, c, i + 3);
      c += t3;
      sti(mem, i, t0);
      sti(mem, i + 1, t1);
      sti(mem, i + 2, t2);
      sti(mem, i + 3, t3);
    }
    s0 = f64x2.extract_lane(a01, 0);
    s1 = f64x2.extract_lane(a01, 1);
    s2 = f64x2.extract_lane(a23, 0);
    s3 = f64x2.extract_lane(a23, 1);
    for (let i = n4; i < r1; i++) {
      const v = ldf(key, i);
      const tk = <i32>(v <= t);
      sti(ids, c, i);
      c += tk;
      sti(mem, i, tk);
      s0 = s0 + select<f64>(v, 0.0, tk != 0);
    }
  } else {
    // one row at a time (few values live at once: no register spills), four rows per trip; sums as above
    const tv = f64x2.splat(t);
    let a01 = f64x2.splat(0.0), a23 = f64x2.splat(0.0);
    for (let i = r0; i < n4; i += 4) {
      const v01 = v128.load(key + (<usize>i << 3)), v23 = v128.load(key + (<usize>i << 3) + 16);
      a01 = f64x2.add(a01, v128.and(v01, f64x2.le(v01, tv)));
      a23 = f64x2.add(a23, v128.and(v23, f64x2.le(v23, tv)));
      let tk = <i32>(ldf(key, i) <= t);
      let m = ldi(mem, i) & 1;
      sti(mem, i, tk | (m << 1));
      c += tk;
      sti(ent, ne, i);
      ne += tk & ~m;
      sti(lv, nl, i);
      nl += m & ~tk;
      tk = <i32>(ldf(key, i + 1) <= t);
      m = ldi(mem, i + 1) & 1;
      sti(mem, i + 1, tk | (m << 1));
      c += tk;
      sti(ent, ne, i + 1);
      ne += tk & ~m;
      sti(lv, nl, i + 1);
      nl += m & ~tk;
      tk = <i32>(ldf(key, i + 2) <= t);
      m = ldi(mem, i + 2) & 1;
      sti(mem, i + 2, tk | (m << 1));
      c += tk;
      sti(ent, ne, i + 2);
      ne += tk & ~m;
      sti(lv, nl, i + 2);
      nl += m & ~tk;
      tk = <i32>(ldf(key, i + 3) <= t);
      m = ldi(mem, i + 3) & 1;
      sti(mem, i + 3, tk | (m << 1));
      c += tk;
      sti(ent, ne, i + 3);
      ne += tk & ~m;
      sti(lv, nl, i + 3);
      nl += m & ~tk;
    }
    s0 = f64x2.extract_lane(a01, 0);
    s1 = f64x2.extract_lane(a01, 1);
    s2 = f64x2.extract_lane(a23, 0);
    s3 = f64x2.extract_lane(a23, 1);
    for (let i = n4; i < r1; i++) {
      const v = ldf(key, i);
      const tk = <i32>(v <= t);
      const m = ldi(mem, i) & 1;
      sti(mem, i, tk | (m << 1));
      c += tk;
      sti(ent, ne, i);
      ne += tk & ~m;
      sti(lv, nl, i);
      nl += m & ~tk;
      s0 = s0 + select<f64>(v, 0.0, tk != 0);
    }
  }
  stf(part, 0, s0);
  stf(part, 1, s1);
  stf(part, 2, s2);
  stf(part, 3, s3);
  stf(part, 4, <f64>c);
  stf(part, 5, <f64>ne);
  stf(part, 6, <f64>nl);
}

/** The (k + 1)-th smallest key of the view's nn rows (scratch: pWt). Above FR_CUTOFF rows, a strided
 *  sample of s = 0.5 nn^(2/3) keys (Floyd & Rivest's size) gives a bracket [lo, hi]: its sample ranks
 *  k s / nn -/+ (1.5 sqrt(s) + 1), about 3 standard deviations of the sample rank of the answer. One
 *  branch-free pass counts the keys below lo and packs those in [lo, hi] into the scratch, where the
 *  answer is selected (Floyd-Rivest), unless it fell outside the bracket: then, as below FR_CUTOFF
 *  rows, SELECT runs on a copy of all keys. */
function kthKey(nn: i32, k: i32): f64 {
  const t = kthKeyBr(nn, k);
  brT = t;
  return t;
}

/** kthKey's answer: within a chain (brOn) first from the bracket around the previous threshold (one
 *  branch-free pass counting the keys below it and packing those inside, SELECT on those), else as
 *  described at kthKey. */
function kthKeyBr(nn: i32, k: i32): f64 {
  if (brOn && nn > BR_MIN) {
    const lo = brT * (1.0 - brEps), hi = brT * (1.0 + brEps);
    if (lo <= hi) {
      const mid = pWt2;
      const below = bracket(nn, lo, hi);
      const m = brM;
      if (below <= k && k < below + m) {
        if (m > BR_TARGET) brEps = max<f64>(brEps * BR_SHRINK, BR_EPS_MIN);
        return selectKth(mid, m, k - below);
      }
      brEps = min<f64>(brEps * BR_GROW, 1.0);
    }
  }
  if (nn > FR_CUTOFF) {
    const nd = <f64>nn;
    const c = cbrtNewton(nd);
    const s = <i32>(0.5 * c * c);
    const stride = nn / s;
    const key = pKey, wt = pWt;
    for (let i = 0; i < s; i++) stf(wt, i, ldf(key, i * stride));
    const ks = <f64>k * <f64>s / nd;
    const sd = 1.5 * Math.sqrt(<f64>s) + 1.0;
    let klo = <i32>Math.floor(ks - sd), khi = <i32>Math.floor(ks + sd) + 1;
    if (klo < 0) klo = 0;
    if (khi > s - 1) khi = s - 1;
    const lo = qselect(0, s - 1, klo);
    const hi = qselect(klo, s - 1, khi);
    if (lo <= hi) {
      const mid = pWt2;
      const below = bracket(nn, lo, hi);
      const m = brM;
      if (below <= k && k < below + m) {
        return selectKth(mid, m, k - below);
      }
    }
  }
  return selectKth(pKey, nn, k);
}

/** Keys in the bracket [lo, hi] of the last bracket() call. */
let brM: i32 = 0;

/** One pass over the view's nn keys (a chunk pass): returns the count of keys below lo; packs the keys
 *  in [lo, hi] into pWt2 in row order, their count into brM. Each chunk packs at its first row's offset
 *  (bracketRows); the chunks' packed runs are then moved down in chunk order. */
function bracket(nn: i32, lo: f64, hi: f64): i32 {
  const part = pRA + <usize>al16(8.0 * <f64>R_ARGS);
  if (nn <= R_ROWS) {
    bracketRows(pKey, lo, hi, pWt2, 0, nn, part);
    brM = <i32>ldf(part, 1);
    return <i32>ldf(part, 0);
  }
  const a = chunkArgs(kBracket, nn, 0);
  stf(a, aLo, lo);
  stf(a, aHi, hi);
  stf(a, aMid, <f64>pWt2);
  runChunks(a, nn);
  let below = 0, m = 0;
  const nc = rowChunks(nn);
  for (let c = 0; c < nc; c++) {
    const pc = part + (<usize>(c * R_PART) << 3);
    const mc = <i32>ldf(pc, 1);
    if (c > 0) memory.copy(pWt2 + (<usize>m << 3), pWt2 + (<usize>(c * R_ROWS) << 3), <usize>mc << 3);
    below += <i32>ldf(pc, 0);
    m += mc;
  }
  brM = m;
  return below;
}

/** bracket() on rows r0..r1-1: keys below lo counted, keys in [lo, hi] packed at mid (branch-free). */
function bracketRows(key: usize, lo: f64, hi: f64, mid: usize, r0: i32, r1: i32, part: usize): void {
  let below = 0, m = 0;
  for (let i = r0; i < r1; i++) {
    const v = ldf(key, i);
    below += <i32>(v < lo);
    stf(mid, m, v);
    m += <i32>(v >= lo) & <i32>(v <= hi);
  }
  stf(part, 0, <f64>below);
  stf(part, 1, <f64>m);
}

/** The (k + 1)-th smallest of the m >= 1 values at src (0 <= k < m; src is pKey or pWt2 and is not
 *  written unless it is pWt2): quickselect with a median-of-3 pivot, each level one branch-free
 *  out-of-place pass that writes every value to both ends of the other buffer and advances the end
 *  its side belongs to (values < pivot from the front, > pivot from the back, equal ones dropped),
 *  alternating between the scratch buffers pWt and pWt2; no copy of the keys, no data-dependent
 *  branch, no load that waits on the previous store. A NaN pivot (only with non-finite keys) hands the
 *  range to Floyd & Rivest's SELECT. The value returned is the order statistic itself, whatever the
 *  pivots. */
function selectKth(src: usize, m: i32, k: i32): f64 {
  let from = src, to = pWt, other = pWt2;
  let len = m, kk = k;
  while (len > 1) {
    const a = ldf(from, 0), b = ldf(from, len >>> 1), c = ldf(from, len - 1);
    const pv = max<f64>(min<f64>(a, b), min<f64>(max<f64>(a, b), c));
    if (pv != pv) {
      if (from != pWt) memory.copy(pWt, from, <usize>len << 3);
      frSelect(0, len - 1, kk);
      return ldf(pWt, kk);
    }
    let lo = 0, hi = len - 1;
    for (let i = 0; i < len; i++) {
      const v = ldf(from, i);
      stf(to, lo, v);
      stf(to, hi, v);
      lo += <i32>(v < pv);
      hi -= <i32>(v > pv);
    }
    if (kk < lo) {
      len = lo;
      from = to;
    } else if (kk > hi) {
      from = to + (<usize>(hi + 1) << 3);
      kk -= hi + 1;
      len -= hi + 1;
    } else {
      return pv;
    }
    const t = to;
    to = other;
    other = t;
  }
  return ldf(from, 0);
}

/** (k - l0 + 1)-th smallest of the scratch keys [l0, r0] (k in range), permuting them: quickselect
 *  with a median-of-3 pivot and two branch-free Lomuto passes per level (keys < pivot, then keys
 *  equal to it), so no data-dependent branch enters the inner loops. A NaN pivot (only with
 *  non-finite keys) hands the range to Floyd & Rivest's SELECT. The value returned is the order
 *  statistic itself, whatever the pivots. */
function qselect(l0: i32, r0: i32, k: i32): f64 {
  const wt = pWt;
  let l = l0, r = r0;
  while (r > l) {
    const a = ldf(wt, l), b = ldf(wt, (l + r) >>> 1), c = ldf(wt, r);
    const pv = max<f64>(min<f64>(a, b), min<f64>(max<f64>(a, b), c));
    if (pv != pv) {
      frSelect(l, r, k);
      return ldf(wt, k);
    }
    let j = l;
    for (let i = l; i <= r; i++) {
      const v = ldf(wt, i);
      stf(wt, i, ldf(wt, j));
      stf(wt, j, v);
      j += v < pv ? 1 : 0;
    }
    if (k < j) {
      r = j - 1;
      continue;
    }
    let e = j;
    for (let i = j; i <= r; i++) {
      const v = ldf(wt, i);
      stf(wt, i, ldf(wt, e));
      stf(wt, e, v);
      e += v <= pv ? 1 : 0;
    }
    if (k < e) return pv;
    l = e;
  }
  return ldf(wt, k);
}

function swapK(i: i32, j: i32): void {
  const t = ldf(pWt, i);
  stf(pWt, i, ldf(pWt, j));
  stf(pWt, j, t);
}

/** x^(1/3) for x >= 1 by Newton's iteration from a power of two (+, *, / only). */
function cbrtNewton(x: f64): f64 {
  let bits = 0;
  let v = x;
  while (v >= 2.0) {
    v = v * 0.5;
    bits++;
  }
  let r = 1.0;
  for (let b = 0; b < bits / 3; b++) r = r * 2.0;
  for (let it = 0; it < 8; it++) r = (2.0 * r + x / (r * r)) / 3.0;
  return r;
}

/** Permute the scratch keys [l0, r0] so that entry k is the (k - l0 + 1)-th smallest and the entries
 *  before it are not larger (Floyd & Rivest 1975, SELECT: ranges above FR_CUTOFF first narrow the
 *  pivot's range by selecting within a sample window). The sample size 0.5 n^(2/3) and its offset use
 *  a Newton cube root and 0.693 x the bit length of n for ln n, so that no libm call enters
 *  (Math.exp / log / pow may round differently in WASM and JS). */
function frSelect(l0: i32, r0: i32, k: i32): void {
  let left = l0, right = r0;
  while (right > left) {
    if (right - left > FR_CUTOFF) {
      const nd = <f64>(right - left + 1);
      const id = <f64>(k - left + 1);
      const z = 0.6931471805599453 * <f64>(32 - clz<i32>(right - left + 1));
      const c = cbrtNewton(nd);
      const ss = 0.5 * c * c;
      const sg = id - 0.5 * nd < 0.0 ? -1.0 : 1.0;
      const sd = 0.5 * Math.sqrt(z * ss * (nd - ss) / nd) * sg;
      let nl = <i32>Math.floor(<f64>k - id * ss / nd + sd);
      let nr = <i32>Math.floor(<f64>k + (nd - id) * ss / nd + sd);
      if (nl < left) nl = left;
      if (nr > right) nr = right;
      if (nl > k) nl = k;
      if (nr < k) nr = k;
      frSelect(nl, nr, k);
    }
    const t = ldf(pWt, k);
    let i = left, j = right;
    swapK(left, k);
    if (ldf(pWt, right) > t) swapK(right, left);
    while (i < j) {
      swapK(i, j);
      i++;
      j--;
      while (ldf(pWt, i) < t) i++;
      while (ldf(pWt, j) > t) j--;
    }
    if (ldf(pWt, left) == t) {
      swapK(left, j);
    } else {
      j++;
      swapK(j, right);
    }
    if (j <= k) left = j + 1;
    if (k <= j) right = j - 1;
  }
}

/** C-steps from the coefficients at pC (updated in place) on the view's rows with coverage hh, at most
 *  `steps`; returns the objective (sum of the hh smallest squared residuals) of the final pC. */
function concentrate<T>(p: i32, intercept: i32, pC: usize, hh: i32, steps: i32): f64 {
  evalAll<T>(p, pC);
  brOn = false;
  let obj = selectH(dN, hh, steps > 0 ? SEL_IDS : SEL_SUM);
  brOn = true;
  chainConverged = false;
  chainSteps = 0;
  if (steps > 0) initSums<T>(p, intercept, hh);
  for (let s = 0; s < steps; s++) {
    if (s > 0) updateSums<T>(p, intercept, hh);
    if (!solveSums(p, intercept, hh, pNew)) {
      chainConverged = true;
      break;
    }
    csteps++;
    chainSteps++;
    evalAll<T>(p, pNew);
    const o = selectH(dN, hh, s + 1 < steps ? SEL_DIFF : SEL_SUM);
    if (!(o < obj)) {
      chainConverged = true;
      break;
    }
    obj = o;
    copyCoef(pNew, pC, p);
  }
  return obj;
}

/** Store a candidate in stock group g (KEEP best, ascending; an identical candidate is not repeated). */
function insert(g: i32, obj: f64, p: i32, pC: usize): void {
  if (!(obj < ldf(pSObj, g * KEEP + KEEP - 1))) return;
  for (let k = 0; k < KEEP; k++) {
    if (ldf(pSObj, g * KEEP + k) == obj) {
      const pS = pSCoef + (<usize>((g * KEEP + k) * (p + 1)) << 3);
      let same = true;
      for (let j = 0; j <= p; j++) {
        if (ldf(pS, j) != ldf(pC, j)) {
          same = false;
          break;
        }
      }
      if (same) return;
    }
  }
  let at = 0;
  while (at < KEEP && !(obj < ldf(pSObj, g * KEEP + at))) at++;
  for (let k = KEEP - 1; k > at; k--) {
    stf(pSObj, g * KEEP + k, ldf(pSObj, g * KEEP + k - 1));
    copyCoef(pSCoef + (<usize>((g * KEEP + k - 1) * (p + 1)) << 3), pSCoef + (<usize>((g * KEEP + k) * (p + 1)) << 3), p);
  }
  stf(pSObj, g * KEEP + at, obj);
  copyCoef(pC, pSCoef + (<usize>((g * KEEP + at) * (p + 1)) << 3), p);
}
