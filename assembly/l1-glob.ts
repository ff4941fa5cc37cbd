// The globbing driver of the L1 kernel (assembly/l1.ts): it runs the solver phases (l1-simplex.ts)
// on reduced problems and hands the last reduced basis to the full data. Twin: src/twin/l1-glob.ts.
//
// Globbing (Portnoy & Koenker 1997, Statist. Sci. 12:279 — the preprocessing of quantreg's "pfn").
//
// On large n most residuals at the optimum are far from zero, and only their sign matters: rows
// that surely lie above the fit contribute tau (y_i - a_i.b) whatever b near the optimum is, rows
// surely below (tau - 1)(y_i - a_i.b). Collapsing each side into one "glob" row (sum of w_i a_i,
// sum of w_i y_i) leaves a reduced problem of the rows in a band around the fit plus two globs,
// whose objective is a lower bound of F (rho is subadditive and positively homogeneous) that equals
// F wherever the globbed rows keep their sides. So if its minimiser keeps every globbed row on its
// side (verified on the full data), it minimises F: exactness never depends on the band being right.
// Violators move into the band and the reduced problem is re-solved from its last vertex; too many
// (a band that was too narrow) double the band. The full data then re-prices the reduced basis:
// one refresh, and the certificate, both O(nq) passes over all rows.
//
// The fit the band is drawn around comes from nested subsamples (deterministic: row i belongs to
// the level of share 8^-k when its hash is below 2^32 8^-k, so levels nest): the smallest level is
// solved plainly, and each larger one is globbed around the fit of the one below — the band then
// needs ~GLOB_BAND sqrt(8 q N_k) rows (the residual uncertainty of a fit on N_k / 8 rows) instead
// of pfn's 0.8 (q N)^(2/3) around one subsample of (q N)^(2/3) rows. A caller's warm start (a
// neighbouring tau or lambda on a path) is used directly at the full level. A level whose band
// would hold half its rows gains nothing: the plain solve takes over from the current fit.
//
// Memory: the reduced problem (a copy of its rows, their work regions; up to globCap rows) lives
// after the full layout; membership per row in an n i32 region: a reduced row index (>= 0), or MEMB_*.
// Counters: INFO_GLOB_ROUNDS (reduced problems solved), INFO_GLOB_FIXUPS (rows moved into a band).
import { STATUS_CANCELLED, STATUS_MAXITER, STATUS_OK } from "./status";
import {
  BLOCK, CD_MAX_SWEEPS, ZERO_RES, align16, ic, layoutN, n, q, regionBytes, setProblem, tau, wB, wBeta, wCS, wId, wKey, wLab,
  wPick, wR, wSel, wSlot, wV, wWt, wgt,
} from "./l1-state";
import { columnScales, powerScales } from "./l1-lu";
import { crash, dropDual, plainSolve, reprice, residuals } from "./l1-simplex";
import { XS, ldx, setXS, xat, xatx, xld, xld2 } from "./xload";
import { ldf, ldi, stf, sti } from "./mem";
import { wselect } from "./select";
import { PASS_L1_GLOB, parJoin, parRun, parStart } from "./par";
import { rowScaleAt, setRowsArgs } from "./l1-rows";
import { rankDeferred, rankFinish, rankSampleStart, rankStart } from "./l1-rank";

/** Rows from which a cold fit takes the globbing path (measured: it pays from ~2e4 rows), and from
 *  which a warm-started one does (a neighbouring fit gives the band directly: pays from ~2e3 rows). */
const GLOB_MIN_DEFAULT: i32 = 20000;
const GLOB_MIN_WARM_DEFAULT: i32 = 2000;
/** Rows of the smallest (plainly solved) level: at least this many, and GLOB_BASE_Q q. */
const GLOB_BASE_DEFAULT: i32 = 2500;
const GLOB_BASE_Q: i32 = 40;
/** Size ratio of consecutive levels (a power of 2: the shares 8^-k are exact). */
const GLOB_GROW: f64 = 8;
/** Band rows at a level of N_k rows: GLOB_BAND sqrt(GLOB_GROW q N_k). */
const GLOB_BAND: f64 = 3;
/** More violators than this share of the band double the band instead of joining it. */
const GLOB_FIX: f64 = 0.1;
/** A fix-up round of at most GLOB_FIX_FEW q new band rows (band kept) pivots from the last vertex
 *  without coordinate descent (globSolve). */
const GLOB_FIX_FEW: i32 = 1;
/** Reduced solves per level before giving up on globbing (then the plain solve finishes). */
const GLOB_ROUNDS: i32 = 12;
/** Coordinate-descent sweeps on a level's reduced problem, started from the level below's vertex: CD then
 *  crash then pivots (3 sweeps + 109 pivots at 1e5 x 50) beats pivoting from that vertex (449). */
const GLOB_LEVEL_CD: i32 = CD_MAX_SWEEPS;
/** Coordinate descent on reduced problems stops once a sweep gains less than GLOB_CD_REL / q of F
 *  (or the plain rule's share, if larger): a sweep costs q selections over the reduced rows, ~q
 *  pivots, and late sweeps gain less than the pivots they save. Measured (CPU, A/B in one process,
 *  under load): 1e5 x 10 -8%, 1e6 x 10 -5%, 1e5 x 50 -5% (4-5 families, tau 0.1/0.9; dummy designs
 *  up to -29%); a flat 1e-5 instead cost +3% at q = 51. */
const GLOB_CD_REL: f64 = 1e-4;
/** The band's bounds are read off a deterministic subsample of the level's members (sampleHash): about
 *  CLASSIFY_K / h^2 of them, h = the band's half-width as a share of the members, at least
 *  CLASSIFY_MIN (all when that is most of them). A sample quantile's standard error is <= 0.5 /
 *  sqrt(size) = h / 8 at that size: the band's edges move by an eighth of its half-width, and
 *  exactness never depends on them anyway (verifyGlobs). Saves two selections over all rows per
 *  level (1e5 x 10: ~2 of ~58 ms CPU). */
const CLASSIFY_K: f64 = 16;
const CLASSIFY_MIN: f64 = 4096;
/** When the rows tied to the fit (residual 0 up to rounding: integer designs put ~5% of the rows on a
 *  level's fit, small integer noise over half) reach into the band, the band takes all of them and at
 *  least CLASSIFY_TIE_SIDE times its half-width share on each side of them (classify). Measured on
 *  bench/degenerate.mjs intx (full level: band rows / pivots, all without fix-ups), 1e6 x 10 tau 0.5:
 *  1 -> 78k / 176, 1/2 -> 64k / 204, 1/4 -> 56k / 221, 1/8 -> 53k / 197 (tau 0.1, 0.9: 35k, 34k rows
 *  at 1/8 against 52k, 51k at 1); 1e6 x 50 tau 0.5: 1/2 -> 80k / 1150 (CPU +20% over the band before
 *  the rule, 61k / 1159), 1/8 -> 62k / 1074. Any of them ends the fix-up avalanche of a band inside
 *  the block (verifyGlobs and band doubling still guard a margin that proves too thin). */
const CLASSIFY_TIE_SIDE: f64 = 0.125;
const MEMB_LO: i32 = -1;   // globbed below the fit (label tau - 1)
const MEMB_HI: i32 = -2;   // globbed above the fit (label tau)
const MEMB_OUT: i32 = -3;  // not in this level, or weight 0
const MEMB_BAND: i32 = -4; // in the band, reduced index not yet assigned

/** Rows the reduced problem may hold: all of them on small data, a quarter (at least 65536) on large
 *  data — bands are ~3 sqrt(8 q n) rows (60k at 1e6 x 50); one that does not fit falls back to the
 *  plain solve. */
function globCap(n: i32): i32 { return n <= 65536 ? n + 2 : (n >> 2 > 65536 ? n >> 2 : 65536) + 2; }

/** Bytes of the reduced-problem area for l1_fit(n, ., p, ...) when n reaches a globbing threshold
 *  (else 0): membership, map, reduced X, y, w and the reduced problem's n-sized regions. Must match
 *  globBegin and layoutN. */
export function globBytes(n: i32, p: i32): f64 {
  if (!(n >= globMin || n >= globMinWarm)) return 0;
  const c = <f64>globCap(n);
  return regionBytes(4 * <f64>n) + regionBytes(4 * c) + regionBytes(8 * c * <f64>p) +
    8 * regionBytes(8 * c) + 2 * regionBytes(4 * c) + regionBytes(8 * <f64>argsLen) + regionBytes(8 * <f64>(p + 1)) +
    regionBytes(8 * <f64>argsLen) + regionBytes(16 * <f64>chunks(n)) + regionBytes(8 * <f64>(p + 1)) +
    regionBytes(8 * <f64>chunks(n)) + regionBytes(16 * <f64>chunks(n) * <f64>(p + 2));
}

/** Thresholds (l1_glob; l1_work_bytes reads them). */
export let globMin: i32 = GLOB_MIN_DEFAULT;
export let globMinWarm: i32 = GLOB_MIN_WARM_DEFAULT;
let globBase: i32 = GLOB_BASE_DEFAULT;

/** Sets the globbing threshold (rows; for cold and warm-started fits alike) and the smallest level's
 *  size (0: defaults); returns the old threshold. Internal: lets tests exercise the globbing path on
 *  small data. */
export function l1_glob(minRows: i32, baseRows: i32): i32 {
  const old = globMin;
  globMin = minRows > 0 ? minRows : GLOB_MIN_DEFAULT;
  globMinWarm = minRows > 0 ? minRows : GLOB_MIN_WARM_DEFAULT;
  globBase = baseRows > 0 ? baseRows : GLOB_BASE_DEFAULT;
  return old;
}

// ---- full problem (saved at entry) and the reduced area ----
let fN: i32 = 0;
let fNd: i32 = 0;
let fX: usize = 0;
let fXS: i32 = 3;     // X's element shift in the full problem (3: f64, 2: f32); the reduced X is f64
let fY: usize = 0;
let fW: usize = 0;
let fWork: usize = 0;
let gMemb: usize = 0; // fN i32: membership
let gMap: usize = 0;  // cap i32: full row of each reduced row (-1, -2: the globs)
let gX: usize = 0;    // cap * (q - ic) f64: reduced X, column-major with stride = reduced rows
let gY: usize = 0;    // cap f64
let gW: usize = 0;    // cap f64
let gArgs: usize = 0; // argsLen f64: the arguments of a row-chunk pass (threads)
let gArgsBg: usize = 0; // argsLen f64: the arguments of the pass run in the background (markStart)
let gMarkPart: usize = 0; // 2 chunks(n) f64: the level marks' counts per item (classify)
let gSums: usize = 0;     // 2 (p + 2) chunks(n) f64: per chunk and column (X, y, w), the globs' partial sums (globRows)
let gMarked = false;      // the next classify's membership marks were taken in the background
let gCounted = false;     // wV[3c..3c + 2] hold item c's band, below and above rows (a plain level's classify)
let gColMax: usize = 0; // p + 1 f64: max |y_i|, then max |x_ij| per column, over the data rows
let gMaxDone = false;   // gColMax holds this kernel call's maxima
let gRefB: usize = 0;   // q f64: the b at which the full wR holds every row's residual (gRefOK; fix-up round)
let gRefOK = false;
let gRefMin: usize = 0; // chunks(n) f64: per item, the least distance of a globbed row's stored residual to the
                        // wrong side (verifyRows; gRefMinOK): verifyNear skips items farther than its margin
let gRefMinOK = false;
let gNearOff = false;   // a near verification recomputed more than NEAR_FULL of the rows: full ones follow
let gStartR: usize = 0; // the caller's residuals of the start and maxima (l1_fit's pStartR), or 0
let gWork: usize = 0; // the reduced problem's n-sized regions (layoutN with cap rows)
let gCap: i32 = 0;
let gN: i32 = 0;      // reduced rows, data rows (band data rows + globs)
let gNd: i32 = 0;
export let globRounds: i32 = 0; // reduced problems solved (read by the driver)
export let globFixups: i32 = 0; // rows moved into a band

/** Start of a kernel call: saves the full problem (n rows, nData data rows, p columns of X, X's
 *  element shift xs, its work area at pWork) and, when `glob`, lays the reduced area out after the
 *  full layout's end; zeroes the counters. */
export function globBegin(nIn: i32, nData: i32, p: i32, x: usize, y: usize, w: usize, xs: i32,
  pWork: usize, end: usize, glob: bool): void {
  fN = nIn; fNd = nData; fX = x; fY = y; fW = w; fWork = pWork; fXS = xs;
  globRounds = 0; globFixups = 0; gMaxDone = false; gMarked = false; gCounted = false;
  gRefOK = false; gRefMinOK = false; gNearOff = false;
  setRowsArgs(0);
  if (!glob) return;
  gCap = globCap(nIn);
  const cF = align16(<usize>gCap << 3), cI = align16(<usize>gCap << 2);
  let e = end;
  gMemb = e; e += align16(<usize>nIn << 2);
  gMap = e; e += cI;
  gX = e; e += align16((<usize>gCap * <usize>p) << 3);
  gY = e; e += cF;
  gW = e; e += cF;
  gArgs = e; e += align16(<usize>argsLen << 3);
  gColMax = e; e += align16(<usize>(p + 1) << 3);
  gArgsBg = e; e += align16(<usize>argsLen << 3);
  gMarkPart = e; e += align16(<usize>chunks(nIn) << 4);
  gRefB = e; e += align16(<usize>(p + 1) << 3);
  gRefMin = e; e += align16(<usize>chunks(nIn) << 3);
  gSums = e; e += align16((<usize>chunks(nIn) * <usize>(p + 2)) << 4);
  gWork = e;
  setRowsArgs(gArgs); // the solver's row passes (l1-rows.ts) use the same region: passes never overlap
}

/** l1_fit's pStartR (0: none): n f64 residuals y_i - a_i.b of the start b on the n data rows, then
 *  max |y_i| and max |x_ij| per column over them — the values of the first globResiduals pass of a
 *  warm-started fit, which then reads them instead (nid's two refits share one pass). Call after
 *  globBegin. */
export function globStartResiduals(pR: usize): void { gStartR = pR; }

export function useFull(): void {
  setProblem(fN, fNd, fX, fY, fW); setXS(fXS);
  layoutN(fWork, fN);
}

function useReduced(): void {
  setProblem(gN, gNd, gX, gY, gW); setXS(3);
  layoutN(gWork, gCap);
}

// ---- the passes over all rows as items on the thread pool (assembly/par.ts) ----
// The residuals, the band sides and the reduced problem's band columns compute each row alone, in the
// order of the sequential loops they replace; the globs' sums are per chunk of GLOB_CHUNK rows, added
// in chunk order (globRows): which thread runs an item never changes a bit. Items read everything from
// the argument region gArgs (each thread has its own instance: its module globals are not the caller's).

/** Rows per item of the row passes. The globs' partial sums (globRows) are per chunk of this many rows:
 *  it sets their bits (twin: GLOB_CHUNK); which thread runs an item never does. */
const GLOB_CHUNK: i32 = 16384;
const globChunk: i32 = GLOB_CHUNK;
/** Argument slots (f64) and item kinds. */
const argsLen: i32 = 37; // >= 26: the solver's row passes (l1-rows.ts) share the region
const aKind = 0, aN = 1, aNd = 2, aQ = 3, aIc = 4, aXS = 5, aX = 6, aY = 7, aW = 8, aB = 9, aBeta = 10, aR = 11,
  aMemb = 12, aLo = 13, aHi = 14, aNr = 15, aNb = 16, aNLo = 17, aNHi = 18, aSums = 19, aId = 22,
  aGX = 23, aGY = 24, aPart = 25, aThr = 26, aFlags = 27, aKey = 28, aWt = 29, aRedLab = 30, aLab = 31, aSThr = 32,
  aIdLo = 33, aIdHi = 34, aTie = 35, aMax = 36;
const kResid = 0, kSides = 1, kGather = 2, kMark = 3, kScatter = 4, kVerify = 5, kCount = 6, kPlace = 7, kLabels = 8,
  kSums = 9, kSample = 10;
const kNear = 12; // verifyNear (the fix-up round's verification of the rows near the fit only)
/** kResid (verifying), kVerify, kNear: the per-item minima gRefMin, or 0 (kSides' aIdHi slot). */
const aRefMin = aIdHi;

function chunks(rows: i32): i32 { return rows <= globChunk ? 1 : (rows + globChunk - 1) / globChunk; }

/** The full problem's arguments (full problem active) for an item kind; returns the region. */
function passArgs(kind: i32, rows: i32): usize { return passArgsAt(gArgs, kind, rows); }

/** passArgs into region a (gArgs, or gArgsBg for the pass in the background). */
function passArgsAt(a: usize, kind: i32, rows: i32): usize {
  stf(a, aKind, <f64>kind);
  stf(a, aN, <f64>fN);
  stf(a, aNd, <f64>fNd);
  stf(a, aQ, <f64>q);
  stf(a, aIc, <f64>ic);
  stf(a, aXS, <f64>fXS);
  stf(a, aX, <f64>fX);
  stf(a, aY, <f64>fY);
  stf(a, aW, <f64>fW);
  stf(a, aB, <f64>wB);
  stf(a, aBeta, <f64>wBeta);
  stf(a, aR, <f64>wR);
  stf(a, aMemb, <f64>gMemb);
  stf(a, aId, <f64>wId);
  stf(a, aGX, <f64>gX);
  stf(a, aGY, <f64>gY);
  stf(a, aNr, <f64>rows);
  stf(a, aPart, <f64>wV); // per-item partials (counts, offsets): the full problem's edge image is free while globbing
  stf(a, aKey, <f64>wKey);
  stf(a, aWt, <f64>wWt);
  return a;
}

function runItems(a: usize, items: i32): void {
  if (parRun(PASS_L1_GLOB, a, items)) return;
  for (let c = 0; c < items; c++) l1GlobItem(a, c, 0);
}

/** r = y - A b on the full problem (the values residualsOnly computes: each row alone). The first
 *  call of a kernel call also takes max |y_i| and max |x_ij| per column over the data rows into gColMax
 *  (per-item maxima in wV, then their maxima: exact in any order), for classify's tie tolerance. */
function globResiduals(): void {
  if (gStartR != 0 && !gMaxDone) {
    // the first pass, at the start, done by the caller (globStartResiduals): its r and maxima
    memory.copy(wR, gStartR, <usize>fN << 3);
    memory.copy(gColMax, gStartR + (<usize>fN << 3), <usize>(q - ic + 1) << 3);
    gMaxDone = true;
    return;
  }
  const items = chunks(fN), cols = q - ic;
  const want = !gMaxDone, fits = <f64>items * <f64>(cols + 1) <= <f64>fN;
  const a = passArgs(kResid, fN);
  stf(a, aMax, want && fits ? <f64>wV : 0);
  stf(a, aFlags, 0);
  runItems(a, items);
  if (!want) return;
  for (let k = 0; k <= cols; k++) stf(gColMax, k, 0.0);
  if (fits) {
    for (let c = 0; c < items; c++) {
      for (let k = 0; k <= cols; k++) stf(gColMax, k, Math.max(ldf(gColMax, k), ldf(wV, c * (cols + 1) + k)));
    }
  } else if (fXS == 3) absMaxBlock<f64>(fX, fY, fN, cols, 0, fNd, gColMax);
  else absMaxBlock<f32>(fX, fY, fN, cols, 0, fNd, gColMax);
  gMaxDone = true;
}

/** Item c of a glob pass (PASS_L1_GLOB). */
export function l1GlobItem(pArgs: usize, c: i32, slot: i32): void {
  const xs = <i32>ldf(pArgs, aXS);
  setXS(xs);
  const kind = <i32>ldf(pArgs, aKind);
  const n = <i32>ldf(pArgs, aN), nd = <i32>ldf(pArgs, aNd);
  const pX = <usize>ldf(pArgs, aX), pY = <usize>ldf(pArgs, aY), pW = <usize>ldf(pArgs, aW);
  if (kind == kResid) {
    const r0 = c * globChunk, r1 = min<i32>(n, r0 + globChunk);
    const qq = <i32>ldf(pArgs, aQ), icc = <i32>ldf(pArgs, aIc);
    const pB = <usize>ldf(pArgs, aB), pBeta = <usize>ldf(pArgs, aBeta), pR = <usize>ldf(pArgs, aR);
    const pMax0 = <usize>ldf(pArgs, aMax);
    const pMax: usize = pMax0 == 0 ? <usize>0 : pMax0 + ((<usize>c * <usize>(qq - icc + 1)) << 3);
    if (xs == 3) residualRows<f64>(n, nd, qq, icc, pX, pY, pB, pBeta, pR, r0, r1, pMax);
    else residualRows<f32>(n, nd, qq, icc, pX, pY, pB, pBeta, pR, r0, r1, pMax);
    // globResidualsVerify: then verifyGlobs' rows of this chunk (its r still in cache), count at part[c]
    if (<i32>ldf(pArgs, aFlags) != 0) {
      stf(<usize>ldf(pArgs, aPart), c, <f64>verifyRows(pArgs, xs, n, nd, pX, pY, c, r0, min<i32>(r1, nd)));
    }
  } else if (kind == kSides) {
    const rows = <i32>ldf(pArgs, aNr);
    const r0 = c * globChunk, r1 = min<i32>(rows, r0 + globChunk);
    const memb = <usize>ldf(pArgs, aMemb), pR = <usize>ldf(pArgs, aR);
    const klo = ldf(pArgs, aLo), khi = ldf(pArgs, aHi), ilo = <i32>ldf(pArgs, aIdLo), ihi = <i32>ldf(pArgs, aIdHi);
    // branch-free (the side is a coin flip at tau 0.5): integer selects, every row's word rewritten.
    // (Counting the item's rows of each side here, for buildReduced instead of its count pass, cost
    // this pass about what the count pass costs: measured in session 11, not kept.)
    for (let i = r0; i < r1; i++) {
      const m = ldi(memb, i), r = ldf(pR, i);
      const lo = (r < klo) | ((r == klo) & (i < ilo)), hi = (r > khi) | ((r == khi) & (i > ihi));
      sti(memb, i, select<i32>(m, select<i32>(MEMB_LO, select<i32>(MEMB_HI, m, hi), lo), m == MEMB_OUT));
    }
  } else if (kind == kSums) {
    sumsItem(pArgs, c, xs, n, nd, pX, pY, pW);
  } else if (kind >= kMark) {
    const rows = <i32>ldf(pArgs, aNr);
    const r0 = c * globChunk, r1 = min<i32>(rows, r0 + globChunk);
    const memb = <usize>ldf(pArgs, aMemb), part = <usize>ldf(pArgs, aPart), id = <usize>ldf(pArgs, aId);
    if (kind == kMark) {
      // classify: level membership; counts the members when the band is collected
      const thr = <u32>ldf(pArgs, aThr), flags = <i32>ldf(pArgs, aFlags), all = (flags & 1) != 0, collect = (flags & 2) != 0;
      const sThr = <u32>ldf(pArgs, aSThr), sAll = (flags & 4) != 0;
      let m = 0, ms = 0;
      for (let i = r0; i < r1; i++) {
        const w = pW == 0 ? 1.0 : ldf(pW, i);
        if (!(w > 0) || (!all && rowHash(i) >= thr)) { sti(memb, i, MEMB_OUT); continue; }
        sti(memb, i, MEMB_BAND);
        m++;
        if (collect && (sAll || sampleHash(i) < sThr)) ms++;
      }
      stf(part, 2 * c, <f64>m);
      stf(part, 2 * c + 1, <f64>ms);
    } else if (kind == kSample) {
      // classify on the full level: members (positive weight) marked and counted, the sampled ones'
      // residuals (0 where tied), weights and rows listed from slot r0 on
      const pR = <usize>ldf(pArgs, aR), key = <usize>ldf(pArgs, aKey), wt = <usize>ldf(pArgs, aWt);
      const sThr = <u32>ldf(pArgs, aSThr), sAll = (<i32>ldf(pArgs, aFlags) & 4) != 0, tie = ldf(pArgs, aTie);
      let m = 0, ms = r0;
      for (let i = r0; i < r1; i++) {
        const w = pW == 0 ? 1.0 : ldf(pW, i);
        if (!(w > 0)) { sti(memb, i, MEMB_OUT); continue; }
        sti(memb, i, MEMB_BAND);
        m++;
        if (!(sAll || sampleHash(i) < sThr)) continue;
        const r = ldf(pR, i);
        stf(key, ms, Math.abs(r) <= tie ? 0.0 : r);
        stf(wt, ms, w);
        sti(id, ms, i);
        ms++;
      }
      stf(part, 2 * c, <f64>m);
      stf(part, 2 * c + 1, <f64>(ms - r0));
    } else if (kind == kScatter) {
      // classify: the sampled members' residuals (0 where tied to the fit: |r| <= aTie), weights and
      // rows from this item's offset on (row order)
      const pR = <usize>ldf(pArgs, aR), key = <usize>ldf(pArgs, aKey), wt = <usize>ldf(pArgs, aWt);
      const sThr = <u32>ldf(pArgs, aSThr), sAll = (<i32>ldf(pArgs, aFlags) & 4) != 0, tie = ldf(pArgs, aTie);
      let m = <i32>ldf(part, c);
      for (let i = r0; i < r1; i++) {
        if (ldi(memb, i) != MEMB_BAND || !(sAll || sampleHash(i) < sThr)) continue;
        const r = ldf(pR, i);
        stf(key, m, Math.abs(r) <= tie ? 0.0 : r);
        stf(wt, m, pW == 0 ? 1.0 : ldf(pW, i));
        sti(id, m, i);
        m++;
      }
    } else if (kind == kVerify) {
      // verifyGlobs: globbed rows on the wrong side of the fit (and not tied to it) join the band
      stf(part, c, <f64>verifyRows(pArgs, xs, n, nd, pX, pY, c, r0, r1));
    } else if (kind == kCount) {
      // buildReduced: band, below and above rows of this item
      let nb = 0, nLo = 0, nHi = 0;
      for (let i = r0; i < r1; i++) {
        const m = ldi(memb, i);
        nb += <i32>((m >= 0) | (m == MEMB_BAND));
        nLo += <i32>(m == MEMB_LO);
        nHi += <i32>(m == MEMB_HI);
      }
      stf(part, 3 * c, <f64>nb); stf(part, 3 * c + 1, <f64>nLo); stf(part, 3 * c + 2, <f64>nHi);
    } else if (kind == kLabels) {
      // finalStage: labels of the full rows from the reduced problem's (band rows, pseudo-rows) and the
      // globs' sides; without a mapped basis from the residuals' signs where those give none
      const mapped = <i32>ldf(pArgs, aFlags) != 0;
      const pR = <usize>ldf(pArgs, aR), redLab = <usize>ldf(pArgs, aRedLab), lab = <usize>ldf(pArgs, aLab);
      for (let i = r0; i < r1; i++) {
        const m = ldi(memb, i), r = mapped ? 1.0 : ldf(pR, i);
        let l = r < 0 ? -1 : 1;
        if (m >= 0) l = ldi(redLab, m);
        else if (m == MEMB_LO) l = -1;
        else if (m == MEMB_HI) l = 1;
        if (!mapped && l == 0) l = r < 0 ? -1 : 1;
        sti(lab, i, l);
      }
    } else if (kind == kNear) {
      // verifyNear: globbed rows whose stored residual is within the margin aLo of the fit recomputed
      // and checked as verifyRows does; counts at part[c] (violators), part[items + c] (recomputed)
      const items = chunks(rows);
      const vr = xs == 3 ? nearRows<f64>(pArgs, n, nd, pX, pY, c, r0, r1) : nearRows<f32>(pArgs, n, nd, pX, pY, c, r0, r1);
      stf(part, c, <f64>(vr & 0xffff));
      stf(part, items + c, <f64>(vr >>> 16));
    } else if (kind == kPlace) {
      // buildReduced: reduced indexes of band rows, and the row lists (band, below, above) from this
      // item's offsets on
      let kb = <i32>ldf(part, 3 * c), kl = <i32>ldf(part, 3 * c + 1), kh = <i32>ldf(part, 3 * c + 2);
      for (let i = r0; i < r1; i++) {
        const m = ldi(memb, i);
        if (m >= 0 || m == MEMB_BAND) { sti(memb, i, kb); sti(id, kb, i); kb++; }
        else if (m == MEMB_LO || m == MEMB_HI) {
          // below or above: a coin flip at tau 0.5 — the slot by an integer select, no branch
          const lo = m == MEMB_LO;
          sti(id, select<i32>(kl, kh, lo), i);
          kl += <i32>lo;
          kh += <i32>!lo;
        }
      }
    }
  } else if (kind == kGather) {
    gatherItem(pArgs, c, xs, n, nd, pX, pY, pW);
  }
}

/** verifyGlobs on data rows r0..r1-1 of item c (full residuals at aR): globbed rows on the wrong side
 *  of the fit and not tied to it join the band; returns how many, and lists them from aLab + r0 on
 *  (i32, row order; a row that left the glob below as i, the glob above as ~i: growReduced). With
 *  aRefMin: the least distance to the wrong side (-r below, r above) of the rows left globbed, at
 *  aRefMin[c] (verifyNear). */
function verifyRows(pArgs: usize, xs: i32, n: i32, nd: i32, pX: usize, pY: usize, c: i32, r0: i32, r1: i32): i32 {
  const memb = <usize>ldf(pArgs, aMemb), pR = <usize>ldf(pArgs, aR), pB = <usize>ldf(pArgs, aB);
  const pBeta = <usize>ldf(pArgs, aBeta), qq = <i32>ldf(pArgs, aQ), icc = <i32>ldf(pArgs, aIc);
  const list = <usize>ldf(pArgs, aLab) + (<usize>r0 << 2), refMin = <usize>ldf(pArgs, aRefMin);
  let v = 0;
  let dmin = Infinity;
  for (let i = r0; i < r1; i++) {
    const m = ldi(memb, i), r = ldf(pR, i);
    if (m != MEMB_LO && m != MEMB_HI) continue;
    const d = m == MEMB_LO ? -r : r;
    if (d < 0) {
      const sc = xs == 3 ? rowScaleAt<f64>(n, nd, qq, icc, pX, pY, pB, pBeta, i) : rowScaleAt<f32>(n, nd, qq, icc, pX, pY, pB, pBeta, i);
      if (!(Math.abs(r) <= ZERO_RES * sc)) {
        sti(memb, i, MEMB_BAND);
        sti(list, v, m == MEMB_LO ? i : ~i);
        v++;
        continue;
      }
    }
    dmin = Math.min(dmin, d);
  }
  if (refMin != 0) stf(refMin, c, dmin);
  return v;
}

/** verifyNear on data rows r0..r1-1 (item rows: at most globChunk, so both counts fit 16 bits): a
 *  globbed row whose stored residual (aR, computed at gRefB) lies on its side by more than the margin
 *  aLo cannot be on the wrong side at b (nearMargin); the others are recomputed with residualRows'
 *  operations (the same bits) and checked as verifyRows checks them (the same rows, listed the same
 *  way). Returns violators | recomputed << 16. */
function nearRows<T>(pArgs: usize, n: i32, nd: i32, pX: usize, pY: usize, c: i32, r0: i32, r1: i32): i32 {
  const memb = <usize>ldf(pArgs, aMemb), pR = <usize>ldf(pArgs, aR), pB = <usize>ldf(pArgs, aB);
  const pBeta = <usize>ldf(pArgs, aBeta), qq = <i32>ldf(pArgs, aQ), icc = <i32>ldf(pArgs, aIc);
  const list = <usize>ldf(pArgs, aLab) + (<usize>r0 << 2), marg = ldf(pArgs, aLo), refMin = <usize>ldf(pArgs, aRefMin);
  // every row globbed now was globbed at the reference (rows only leave globs between full
  // verifications), none then nearer the wrong side than refMin[c]: none inside the margin
  if (refMin != 0 && ldf(refMin, c) > marg) return 0;
  const b0 = icc != 0 ? ldf(pB, 0) : 0.0;
  let v = 0, k = 0;
  for (let i = r0; i < r1; i++) {
    const m = ldi(memb, i);
    if (m != MEMB_LO && m != MEMB_HI) continue;
    const lo = m == MEMB_LO, rs = ldf(pR, i);
    if (lo ? rs < -marg : rs > marg) continue;
    k++;
    const y = ldf(pY, i);
    let r = icc != 0 && i < nd ? y - b0 : y;
    for (let j = icc; j < qq; j++) {
      const bj = ldf(pB, j);
      if (bj == 0 && ldf(pBeta, j) == 0) continue;
      r = r - bj * xld<T>(xat<T>(pX, n, j - icc, 0), i);
    }
    if (!(lo ? r > 0 : r < 0)) continue;
    if (Math.abs(r) <= ZERO_RES * rowScaleAt<T>(n, nd, qq, icc, pX, pY, pB, pBeta, i)) continue;
    sti(memb, i, MEMB_BAND);
    sti(list, v, lo ? i : ~i);
    v++;
  }
  return v | (k << 16);
}

/** Rows r0..r1-1 of r = y - A b: residualsOnly's operations per row (y - b0 on data rows with an
 *  intercept, then - b_j x_ij over the columns with b_j or beta_j nonzero, two rows per f64x2).
 *  With pMax: also max |y_i| and max |x_ij| per column over these rows' data rows, into
 *  pMax[0], pMax[1 + j] (block by block, while the block is in cache). */
function residualRows<T>(n: i32, nd: i32, qq: i32, icc: i32, pX: usize, pY: usize, pB: usize, pBeta: usize, pR: usize,
  r0: i32, r1: i32, pMax: usize): void {
  const b0 = icc ? ldf(pB, 0) : 0.0;
  if (pMax != 0) for (let j = 0; j <= qq - icc; j++) stf(pMax, j, 0.0);
  for (let i0 = r0; i0 < r1; i0 += BLOCK) {
    const i1 = i0 + BLOCK < r1 ? i0 + BLOCK : r1;
    for (let i = i0; i < i1; i++) {
      const y = ldf(pY, i);
      stf(pR, i, icc != 0 && i < nd ? y - b0 : y);
    }
    if (pMax != 0) absMaxBlock<T>(pX, pY, n, qq - icc, i0, i1 < nd ? i1 : nd, pMax);
    for (let j = icc; j < qq; j++) {
      const bj = ldf(pB, j);
      if (bj == 0 && ldf(pBeta, j) == 0) continue;
      const xp = xat<T>(pX, n, j - icc, 0);
      const b2 = f64x2.splat(bj);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const o = <usize>i << 3;
        v128.store(pR + o, f64x2.sub(v128.load(pR + o), f64x2.mul(b2, xld2<T>(xp, i))));
      }
      for (; i < i1; i++) stf(pR, i, ldf(pR, i) - bj * xld<T>(xp, i));
    }
  }
}

/** max |y_i| and max |x_ij| per column over rows i0..i1-1 folded into pMax[0], pMax[1 + j]. The max is
 *  m < v ? v : m (f64x2.pmax: one instruction; a NaN entry is skipped), in four lanes pairs: exact, so
 *  any split of the rows gives the same bits. */
function absMaxBlock<T>(pX: usize, pY: usize, n: i32, cols: i32, i0: i32, i1: i32, pMax: usize): void {
  if (i1 <= i0) return;
  stf(pMax, 0, absMaxRun<f64>(pY, i0, i1, ldf(pMax, 0)));
  for (let j = 0; j < cols; j++) stf(pMax, 1 + j, absMaxRun<T>(xat<T>(pX, n, j, 0), i0, i1, ldf(pMax, 1 + j)));
}

/** m folded with |entry i| of column p (type T), i0 <= i < i1, as absMaxBlock. */
// @ts-ignore: decorator
@inline export function absMaxRun<T>(p: usize, i0: i32, i1: i32, m: f64): f64 {
  const z = f64x2.splat(0);
  let a = z, b = z, c = z, d = z;
  let i = i0;
  for (; i + 7 < i1; i += 8) {
    a = f64x2.pmax(a, f64x2.abs(xld2<T>(p, i)));
    b = f64x2.pmax(b, f64x2.abs(xld2<T>(p, i + 2)));
    c = f64x2.pmax(c, f64x2.abs(xld2<T>(p, i + 4)));
    d = f64x2.pmax(d, f64x2.abs(xld2<T>(p, i + 6)));
  }
  for (; i + 1 < i1; i += 2) a = f64x2.pmax(a, f64x2.abs(xld2<T>(p, i)));
  a = f64x2.pmax(f64x2.pmax(a, b), f64x2.pmax(c, d));
  let v = f64x2.extract_lane(a, 0);
  if (m < v) m = v;
  v = f64x2.extract_lane(a, 1);
  if (m < v) m = v;
  for (; i < i1; i++) { v = Math.abs(xld<T>(p, i)); if (m < v) m = v; }
  return m;
}

/** Level membership hash of row i (murmur3's fmix32 of a second stream; integer arithmetic). */
function rowHash(i: i32): u32 { return fmix32(<u32>i * 0x85ebca6b + 0x9e3779b9); }

/** Sampling hash of row i for classify (a third stream: independent of the levels). */
function sampleHash(i: i32): u32 { return fmix32(<u32>i * 0xcc9e2d51 + 0x1b873593); }

// @ts-ignore: decorator
@inline function fmix32(x: u32): u32 {
  let h = x;
  h ^= h >> 16; h *= 0x7feb352d; h ^= h >> 15; h *= 0x846ca68b; h ^= h >> 16;
  return h;
}

/** The arguments (in region a) of classify's first pass: level membership by row hash and weight, the
 *  members and sampled members (see CLASSIFY_K: the sample share from the expected number of members)
 *  counted per item into gMarkPart. It reads only the data's weights and hashes: no fit. */
function markArgs(a: usize, thr: u32, all: bool, band: f64): usize {
  const collect = band > 0;
  const mExp = all ? <f64>fNd : <f64>fNd * (<f64>thr / 4294967296.0);
  const h = 0.5 * band / mExp;
  const sShare = collect ? Math.max(CLASSIFY_MIN, CLASSIFY_K / (h * h)) / mExp : 1.0;
  const sAll = !(sShare < 0.5);
  const sThr: u32 = sAll ? 0 : <u32>(sShare * 4294967296.0);
  passArgsAt(a, kMark, fNd);
  stf(a, aThr, <f64>thr);
  stf(a, aSThr, <f64>sThr);
  stf(a, aFlags, <f64>((all ? 1 : 0) | (collect ? 2 : 0) | (sAll ? 4 : 0)));
  stf(a, aPart, <f64>gMarkPart);
  return a;
}

/** The next level's membership marks (markArgs) in the background (par.ts parStart), while the smallest
 *  level's reduced problem is solved: they read only weights and hashes, and write only the membership
 *  (which that solve does not read; its rows are gathered) and gMarkPart, from their own argument
 *  region. True: markJoin() before the membership is read again; false: nothing started (one thread:
 *  the items ran here already, so classify need not run them either). */
function markStart(thr: u32, all: bool, band: f64): bool {
  const a = markArgs(gArgsBg, thr, all, band);
  const items = chunks(fNd);
  gMarked = true;
  if (parStart(PASS_L1_GLOB, a, items)) return true;
  for (let c = 0; c < items; c++) l1GlobItem(a, c, 0);
  return false;
}

/** Membership for a level (rows with hash < thr, or all when all): with band <= 0 every member
 *  joins the band; otherwise the members whose residual (full problem, wR) lies outside the
 *  weighted (tau -+ band / 2 N_k)-quantiles of the residuals of a sample of the members (see
 *  CLASSIFY_K) are globbed. Pseudo-rows always join the band.
 *  Ties (issue 18). Rows tied to the fit (|r| <= the tie tolerance: residual 0 up to rounding) count
 *  as residual 0; when that block reaches into the band, the band takes all of it and at least
 *  CLASSIFY_TIE_SIDE of the share on each side of it. Otherwise a level's fit through a block larger
 *  than the band (intx 1e6 x 10, tau 0.5: 5% of the rows, band 2.8%) puts both edges inside it: a
 *  band of rows on the plane only, a reduced problem blind to the sides, and its minimiser sends most
 *  globbed rows to the wrong side (969,782 fix-ups in 5 rounds). An edge on a block of equal residuals
 *  off the fit (integer designs: residuals on a lattice) splits the block in the selection's order
 *  (residual, then row): the rows after the edge's row stay in the band, not the whole block. */
function classify(thr: u32, all: bool, band: f64): void {
  // membership, member counts and sampled-member counts per item (markArgs; taken in the background
  // during the level below's solve when markStart ran); then each item lists its sampled members from
  // its offset on
  const collect = band > 0;
  const a = markArgs(gArgs, thr, all, band);
  const items = chunks(fNd);
  for (let i = fNd; i < fN; i++) sti(gMemb, i, MEMB_BAND);
  // tied to the fit: |r| within ZERO_RES times a bound of every data row's scale (rowScaleAt: max |y|,
  // then |b_j| + beta_j times max |x_ij|) — verifyGlobs' tied rows and residuals as small (up to rounding)
  let sc = ldf(gColMax, 0);
  if (ic) sc += Math.abs(ldf(wB, 0)) + ldf(wBeta, 0);
  for (let j = ic; j < q; j++) sc += (Math.abs(ldf(wB, j)) + ldf(wBeta, j)) * ldf(gColMax, 1 + j - ic);
  stf(a, aTie, ZERO_RES * sc);
  // the full level (all rows of positive weight are members): one pass (kSample) marks and counts the
  // members and lists each item's sampled members at its own rows' slots, moved together here (row
  // order: the same list as the mark and scatter passes give)
  const direct = all && collect && !gMarked;
  let m = 0, mAll = 0;
  if (direct) {
    stf(a, aKind, <f64>kSample);
    runItems(a, items);
    for (let c = 0; c < items; c++) {
      const k = <i32>ldf(gMarkPart, 2 * c + 1), r0 = c * globChunk;
      mAll += <i32>ldf(gMarkPart, 2 * c);
      if (k > 0 && r0 != m) {
        memory.copy(wKey + (<usize>m << 3), wKey + (<usize>r0 << 3), <usize>k << 3);
        memory.copy(wWt + (<usize>m << 3), wWt + (<usize>r0 << 3), <usize>k << 3);
        memory.copy(wId + (<usize>m << 2), wId + (<usize>r0 << 2), <usize>k << 2);
      }
      m += k;
    }
  } else if (gMarked) gMarked = false; else runItems(a, items);
  if (!collect) {
    // every member in the band: buildReduced's counts are the members
    for (let c = 0; c < items; c++) { stf(wV, 3 * c, ldf(gMarkPart, 2 * c)); stf(wV, 3 * c + 1, 0); stf(wV, 3 * c + 2, 0); }
    gCounted = true;
    return;
  }
  gCounted = false;
  if (!direct) {
    for (let c = 0; c < items; c++) {
      const k = <i32>ldf(gMarkPart, 2 * c + 1);
      mAll += <i32>ldf(gMarkPart, 2 * c);
      stf(wV, c, <f64>m);
      m += k;
    }
    if (m == 0) return;
    stf(a, aPart, <f64>wV); // the scatter's offsets
    stf(a, aKind, <f64>kScatter);
    runItems(a, items);
  } else if (m == 0) return;
  // the sampled members' weights in row order: all, below the fit, tied to it
  let tw = 0.0, wBelow = 0.0, wTied = 0.0;
  for (let k = 0; k < m; k++) {
    const w = ldf(wWt, k), r = ldf(wKey, k);
    tw += w;
    if (r < 0) wBelow += w; else if (r == 0) wTied += w;
  }
  const share = 0.5 * band / <f64>mAll;
  let tlo = (tau - share) * tw, thi = (tau + share) * tw;
  if (wTied > 0 && wBelow < thi && wBelow + wTied > tlo) {
    // the tied block reaches into the band: the band takes all of it plus the share on each side
    tlo = Math.min(tlo, wBelow - CLASSIFY_TIE_SIDE * share * tw);
    thi = Math.max(thi, wBelow + wTied + CLASSIFY_TIE_SIDE * share * tw);
  }
  let klo = -Infinity, khi = Infinity, ilo = -1, ihi = fNd;
  if (tlo > 0) { const k = wselect(wKey, wWt, wId, m, tlo, tw, wSel); klo = ldf(wKey, k); ilo = ldi(wId, k); }
  if (thi < tw) { const k = wselect(wKey, wWt, wId, m, thi, tw, wSel); khi = ldf(wKey, k); ihi = ldi(wId, k); }
  const sa = passArgs(kSides, fNd);
  stf(sa, aLo, klo);
  stf(sa, aHi, khi);
  stf(sa, aIdLo, <f64>ilo);
  stf(sa, aIdHi, <f64>ihi);
  runItems(sa, items);
}

/** Globbed rows on the wrong side of the fit (full residuals in wR) join the band; returns how many.
 *  A residual within the zero tolerance of residuals(true) (ZERO_RES times the row's scale,
 *  l1-rows.ts rowScaleAt) is on the fit, where either side is exact: on tied data (integer designs:
 *  ~5% of rows exactly on the optimal hyperplane) rounding noise of 1e-16 on such rows would otherwise
 *  count as a violated glob, and each "violation" costs a reduced re-solve. */
function verifyGlobs(): i32 {
  const items = chunks(fNd);
  const a = passArgs(kVerify, fNd);
  stf(a, aLab, <f64>wLab);
  stf(a, aRefMin, <f64>gRefMin);
  runItems(a, items);
  return compactList(items);
}

/** globResiduals() and then verifyGlobs() in one pass over the rows (each chunk's residuals, then its
 *  globbed rows checked while they are in cache): the same values, one wake-up of the pool and one
 *  sweep over r and the membership less. The first residual pass of a kernel call (it also takes the
 *  maxima) runs the two separately. */
function globResidualsVerify(): i32 {
  if (!gMaxDone) {
    const own = gStartR == 0; // else the first pass is the caller's, at its start
    globResiduals();
    const v = verifyGlobs();
    if (own) { recordRef(); gRefMinOK = true; }
    return v;
  }
  const items = chunks(fN);
  const a = passArgs(kResid, fN);
  stf(a, aMax, 0);
  stf(a, aFlags, 1);
  stf(a, aLab, <f64>wLab);
  stf(a, aRefMin, <f64>gRefMin);
  runItems(a, items);
  recordRef();
  gRefMinOK = true;
  return compactList(items);
}

// ---- the fix-up round (issue 21) ----
// A verification that finds violators (globbed rows on the wrong side of the reduced optimum) costs a
// fix-up round: the violators join the band and the reduced problem is re-solved from its last vertex,
// then verified again. At 1e6 x 10 the round is typically one row, yet it rebuilt the reduced problem
// from the membership (three passes over all rows) and verified on all rows again (a fourth, reading
// X): ~27 of ~154 ms on two threads. Instead:
//  - growReduced moves few violators into the reduced problem in place: each leaves its glob (weight
//    and weighted mean updated) and becomes a new reduced data row; no pass over the rows;
//  - verifyNear checks the next verification only on the globbed rows near the fit: the stored
//    residuals of the last full verification bound how far any row can have moved (nearMargin); the
//    rows inside the margin are recomputed exactly as the full pass would, so it finds the same rows.

/** Violators up to this many (each glob they leave keeping more than half its weight) move into the
 *  reduced problem in place (growReduced); more rebuild it. */
const GLOB_GROW_MAX: i32 = 4096;
/** A near verification that recomputed more than this share of the data rows: full ones follow (the
 *  margin has grown past what saves a pass). */
const NEAR_FULL: f64 = 0.25;
/** Unit roundoff 2^-53; the margin's safety factor 1 + 2^-30 (the rounding of its own sums, below
 *  (2q + 8) 2^-53 relative for q < 2^20) and absolute floor 2^-1000 (products that underflow). */
const NEAR_U: f64 = 1.1102230246251565e-16;
const NEAR_SAFE: f64 = 1.0000000009313226;
const NEAR_TINY: f64 = 9.332636185032189e-302;

/** The violators listed by an item pass (full wLab from each item's first row on, counts at wV[c])
 *  compacted to wLab[0, v) in row order; returns v. */
function compactList(items: i32): i32 {
  let k = 0;
  for (let c = 0; c < items; c++) {
    const m = <i32>ldf(wV, c), r0 = c * globChunk;
    if (m > 0 && k != r0) memory.copy(wLab + (<usize>k << 2), wLab + (<usize>r0 << 2), <usize>m << 2);
    k += m;
  }
  return k;
}

/** The full wR now holds every row's residual at wB: wB becomes the reference of verifyNear (the
 *  per-item minima are valid only after a verifying pass: its callers set gRefMinOK). */
function recordRef(): void {
  memory.copy(gRefB, wB, <usize>q << 3);
  gRefOK = true;
  gRefMinOK = false;
}

/** The margin M of verifyNear: no data row's computed residual at b = wB differs from its computed
 *  residual at the reference b~ = gRefB by M or more. Exact residuals move by |a_i.(b - b~)| <= D =
 *  ic |b_0 - b~_0| + sum_j X_j |b_j - b~_j| (X_j = max_i |x_ij|, gColMax). A computed residual
 *  (residualRows: y_i - b_0, then - b_j x_ij over the coefficients in use, no FMA) is an inner product
 *  of at most q + 1 terms, of which y_i and b_0 enter exactly: its error is at most gamma_{q+1} S_i(b),
 *  S_i(b) = |y_i| + ic |b_0| + sum_j |b_j x_ij| <= S(b) = Y + ic |b_0| + sum_j X_j |b_j| (Higham 2002,
 *  (3.5); gamma_k = k u / (1 - k u), u = 2^-53). So |r^_i(b) - r^_i(b~)| <= D + gamma (S(b) + S(b~));
 *  gamma_{q+2} is used, and the sum is widened by NEAR_SAFE and NEAR_TINY for its own rounding.
 *  A globbed row below the fit whose stored residual is < -M has r^_i(b) < 0 (above: > M, > 0): it is
 *  not a violator, whatever the tie test. Infinity when q is too large for the safety factor. */
function nearMargin(): f64 {
  if (q >= 1 << 20) return Infinity;
  let d = 0.0, s0 = ldf(gColMax, 0), s1 = s0;
  if (ic) {
    const b = ldf(wB, 0), r = ldf(gRefB, 0);
    d = Math.abs(b - r);
    s0 += Math.abs(r);
    s1 += Math.abs(b);
  }
  for (let j = ic; j < q; j++) {
    const m = ldf(gColMax, 1 + j - ic), b = ldf(wB, j), r = ldf(gRefB, j);
    d += m * Math.abs(b - r);
    s0 += m * Math.abs(r);
    s1 += m * Math.abs(b);
  }
  const ku = <f64>(q + 2) * NEAR_U;
  return (d + ku / (1 - ku) * (s0 + s1)) * NEAR_SAFE + NEAR_TINY;
}

/** verifyGlobs at b = wB from the stored residuals at gRefB (full problem active, gRefOK): only the
 *  globbed rows within nearMargin of the fit are recomputed (nearRows) — the same violators, in the
 *  same list, as globResidualsVerify; wR keeps the reference's residuals. -1: not applicable (the
 *  margin is not finite). */
function verifyNear(): i32 {
  const marg = nearMargin();
  if (!(marg < Infinity)) return -1;
  const items = chunks(fNd);
  const a = passArgs(kNear, fNd);
  stf(a, aLo, marg);
  stf(a, aLab, <f64>wLab);
  stf(a, aRefMin, gRefMinOK ? <f64>gRefMin : 0);
  runItems(a, items);
  let k = 0;
  for (let c = 0; c < items; c++) k += <i32>ldf(wV, items + c);
  if (<f64>k > NEAR_FULL * <f64>fNd) gNearOff = true;
  return compactList(items);
}

/** The fix-up round's verification (full problem active, b = wB): verifyNear after a fix-up round at
 *  the full level (near), else globResidualsVerify. Violators listed in wLab[0, v) (row order; i
 *  below, ~i above: verifyRows); returns v. fixFresh: the full wR holds the residuals at wB. */
let fixFresh = false;
function fixupVerify(near: bool): i32 {
  if (near && gRefOK && !gNearOff) {
    const v = verifyNear();
    if (v >= 0) { fixFresh = false; return v; }
  }
  fixFresh = true;
  return globResidualsVerify();
}

/** Moves the v violators listed in wLab[0, v) (fixupVerify) into the reduced problem in place (full
 *  problem active): each becomes a new reduced data row after the last one (reduced indices of the
 *  other rows unchanged; the pseudo-rows move down by v: columns re-laid to the new stride) and leaves
 *  its glob: the glob's weight c loses w_i and its row (the weighted means) becomes (c m - w_i x_i) / c'
 *  column by column, the rows subtracted in row order. That is not the rebuild's fresh sum, but its
 *  error, u (|c m| + |w_i x_i| + |c' m'|) per row, is of the order of the fresh sum's own rounding
 *  (up to N u sum |w_i x_i| over the glob's N rows), and a glob that would lose half its weight or more
 *  (cancellation; an emptied glob) is rebuilt instead. False: nothing changed, rebuild. */
function growReduced(v: i32, lab: usize): bool {
  const nr = gN, nd = gNd, nr2 = nr + v;
  if (v <= 0 || v > GLOB_GROW_MAX || nr2 > gCap) return false;
  let gLo = -1, gHi = -1;
  for (let k = nd - 1; k >= 0 && (gLo < 0 || gHi < 0); k--) {
    const f = ldi(gMap, k);
    if (f == -1) gLo = k; else if (f == -2) gHi = k;
  }
  let cLo = gLo >= 0 ? ldf(gW, gLo) : 0.0, cHi = gHi >= 0 ? ldf(gW, gHi) : 0.0;
  const cLo0 = cLo, cHi0 = cHi;
  let nLo = 0, nHi = 0;
  for (let k = 0; k < v; k++) {
    const e = ldi(wLab, k);
    if (e >= 0) { cLo -= wgt(e); nLo++; } else { cHi -= wgt(~e); nHi++; }
  }
  if ((nLo > 0 && !(gLo >= 0 && cLo > 0.5 * cLo0)) || (nHi > 0 && !(gHi >= 0 && cHi > 0.5 * cHi0))) return false;
  const cols = q - ic;
  for (let c = cols - 1; c >= 0; c--) {
    const dst = gX + ((<usize>c * <usize>nr2) << 3);
    if (fXS == 3) growColumn<f64>(xat<f64>(fX, fN, c, 0), gX + ((<usize>c * <usize>nr) << 3), dst, nr, nd, v, gLo, gHi, cLo0, cHi0, cLo, cHi);
    else growColumn<f32>(xat<f32>(fX, fN, c, 0), gX + ((<usize>c * <usize>nr) << 3), dst, nr, nd, v, gLo, gHi, cLo0, cHi0, cLo, cHi);
  }
  growColumn<f64>(fY, gY, gY, nr, nd, v, gLo, gHi, cLo0, cHi0, cLo, cHi);
  memory.copy(gW + (<usize>(nd + v) << 3), gW + (<usize>nd << 3), <usize>(nr - nd) << 3);
  memory.copy(gMap + (<usize>(nd + v) << 2), gMap + (<usize>nd << 2), <usize>(nr - nd) << 2);
  memory.copy(lab + (<usize>(nd + v) << 2), lab + (<usize>nd << 2), <usize>(nr - nd) << 2);
  for (let k = 0; k < v; k++) {
    const e = ldi(wLab, k), i = e >= 0 ? e : ~e;
    stf(gW, nd + k, wgt(i));
    sti(gMap, nd + k, i);
    sti(gMemb, i, nd + k);
    sti(lab, nd + k, e >= 0 ? 1 : -1); // its side of the fit: the wrong one for its glob
  }
  for (let s = 0; s < q; s++) { const i = ldi(wSlot, s); if (i >= nd) sti(wSlot, s, i + v); }
  if (nLo > 0) stf(gW, gLo, cLo);
  if (nHi > 0) stf(gW, gHi, cHi);
  for (let i = fNd; i < fN; i++) sti(gMemb, i, ldi(gMemb, i) + v);
  gN = nr2;
  gNd = nd + v;
  return true;
}

/** The fix-up round's solve after few rows were grown in (reduced problem active): the last basis
 *  (its rows' reduced indices kept by growReduced, with the labels) re-priced on the true responses and
 *  pivoted on from there, as finalStage re-prices on the full data; plainSolve from b if that fails. */
function fixupSolve(): i32 {
  columnScales();
  const st = reprice();
  if (st == STATUS_OK || st == STATUS_CANCELLED || st == STATUS_MAXITER) return st;
  return plainSolve(0, GLOB_CD_REL / <f64>q);
}

/** One column of growReduced (entries of type T: X in its storage precision, or y): the reduced
 *  column at src (nr rows, nd data rows) re-laid at dst >= src (the pseudo-rows first, then the data
 *  rows: memmove), the violators' entries appended at nd.., the globs' means updated. */
// @ts-ignore: decorator
@inline function growColumn<T>(xc: usize, src: usize, dst: usize, nr: i32, nd: i32, v: i32, gLo: i32, gHi: i32,
  cLo0: f64, cHi0: f64, cLo: f64, cHi: f64): void {
  memory.copy(dst + (<usize>(nd + v) << 3), src + (<usize>nd << 3), <usize>(nr - nd) << 3);
  if (dst != src) memory.copy(dst, src, <usize>nd << 3);
  let tLo = gLo >= 0 ? ldf(dst, gLo) * cLo0 : 0.0, tHi = gHi >= 0 ? ldf(dst, gHi) * cHi0 : 0.0;
  let lo = false, hi = false;
  for (let k = 0; k < v; k++) {
    const e = ldi(wLab, k), i = e >= 0 ? e : ~e, x = xld<T>(xc, i);
    stf(dst, nd + k, x);
    const t = (fW == 0 ? 1.0 : ldf(fW, i)) * x;
    if (e >= 0) { tLo = tLo - t; lo = true; } else { tHi = tHi - t; hi = true; }
  }
  if (lo) stf(dst, gLo, tLo / cLo);
  if (hi) stf(dst, gHi, tHi / cHi);
}

/** Builds the reduced problem from the membership (full problem active): band data rows in row
 *  order, the glob below, the glob above (weight c = sum w_i, row and response the w-weighted means:
 *  c rho(ybar - abar.b) = rho(sum_i w_i (y_i - a_i.b))), then the pseudo-rows. Counts per item (from
 *  classify's sides pass, else the count pass), offsets, then the columns: kSums streaming each chunk
 *  where the globs hold most rows, else the place pass's row lists (band, below, above, each in row
 *  order) and kGather; the globs' rows from per-chunk partial sums (globRows). False when the problem
 *  would exceed the area. */
function buildReduced(): bool {
  const items = chunks(fNd);
  const pa = passArgs(kCount, fNd);
  // counts: a plain level's classify took them (its members, all in the band); else the count pass
  if (!gCounted) runItems(pa, items);
  gCounted = false;
  let a = 0;
  let nLo = 0, nHi = 0;
  for (let c = 0; c < items; c++) { a += <i32>ldf(wV, 3 * c); nLo += <i32>ldf(wV, 3 * c + 1); nHi += <i32>ldf(wV, 3 * c + 2); }
  const nb = a;
  const gLo = a;
  if (nLo > 0) a++;
  const gHi = a;
  if (nHi > 0) a++;
  const nr = a + (fN - fNd);
  if (nr > gCap) return false;
  for (let i = fNd; i < fN; i++) sti(gMemb, i, a + (i - fNd));
  gN = nr;
  gNd = a;
  let kb = 0, kl = nb, kh = nb + nLo;
  for (let c = 0; c < items; c++) {
    const cb = <i32>ldf(wV, 3 * c), cl = <i32>ldf(wV, 3 * c + 1), ch = <i32>ldf(wV, 3 * c + 2);
    stf(wV, 3 * c, <f64>kb); stf(wV, 3 * c + 1, <f64>kl); stf(wV, 3 * c + 2, <f64>kh);
    kb += cb; kl += cl; kh += ch;
  }
  // the columns: the globs' sums per chunk — from the row lists of the place pass where the globs hold
  // few rows (listSums), else streaming each chunk (kSums, which also places the band rows; globSums)
  const dense = nLo + nHi >= fNd >> 2;
  if (!dense) {
    stf(pa, aKind, <f64>kPlace);
    runItems(pa, items);
  }
  const g = passArgs(dense ? kSums : kGather, fNd);
  stf(g, aNr, <f64>nr);
  stf(g, aNb, <f64>nb);
  stf(g, aNLo, <f64>nLo);
  stf(g, aNHi, <f64>nHi);
  stf(g, aSums, <f64>gSums);
  runItems(g, dense ? items : gatherItems(items));
  globRows(nr, nLo, nHi, gLo, gHi, a, items);
  for (let k = 0; k < nb; k++) { const i = ldi(wId, k); stf(gW, k, wgt(i)); sti(gMap, k, i); }
  for (let i = fNd; i < fN; i++) { stf(gW, a + (i - fNd), wgt(i)); sti(gMap, a + (i - fNd), i); }
  if (nLo > 0) sti(gMap, gLo, -1);
  if (nHi > 0) sti(gMap, gHi, -2);
  return true;
}

/** Chunks per item of the list gather (kGather; kernel-only: the glob sums are per chunk whatever the
 *  grouping). */
const gatherGroup: i32 = 8;

/** Items of the list gather: per group of gatherGroup chunks, one per column of X, y and (weights) w. */
function gatherItems(items: i32): i32 {
  return ((items + gatherGroup - 1) / gatherGroup) * (q - ic + 1 + (fW != 0 ? 1 : 0));
}

/** buildReduced after its column pass (kSums or kGather): the globs' rows — each glob's weight (unit
 *  weights: its count) and weighted means of the columns and y, from the chunks' partial sums added in
 *  chunk order — and the pseudo-rows' entries. The sums' decomposition is fixed (chunks of globChunk
 *  rows, four partial sums each: by row, globSums, or by list position, listSums; the pass follows
 *  from the counts): the same bits for every thread count. */
function globRows(nr: i32, nLo: i32, nHi: i32, gLo: i32, gHi: i32, a: i32, items: i32): void {
  const cols = q - ic, stride = cols + 2;
  let cLo = <f64>nLo, cHi = <f64>nHi;
  if (fW != 0) { cLo = globTotal(items, stride, cols + 1, 0); cHi = globTotal(items, stride, cols + 1, 1); }
  for (let j = 0; j <= cols; j++) {
    const dst = j < cols ? gX + ((<usize>j * <usize>nr) << 3) : gY;
    if (nLo > 0) stf(dst, gLo, globTotal(items, stride, j, 0) / cLo);
    if (nHi > 0) stf(dst, gHi, globTotal(items, stride, j, 1) / cHi);
    for (let i = fNd; i < fN; i++) stf(dst, a + (i - fNd), j < cols ? ldx(xatx(fX, fN, j, 0), i) : ldf(fY, i));
  }
  if (nLo > 0) stf(gW, gLo, cLo);
  if (nHi > 0) stf(gW, gHi, cHi);
}

/** The sum over chunks, in chunk order, of the partial sums of column j (cols: y, cols + 1: w), glob h
 *  (0: below, 1: above). */
function globTotal(items: i32, stride: i32, j: i32, h: i32): f64 {
  let t = 0.0;
  for (let c = 0; c < items; c++) t += ldf(gSums, 2 * (c * stride + j) + h);
  return t;
}

/** Item of the list gather (kGather): column j (X's, then y, then w) of the chunks of group g — each
 *  chunk's band rows copied (the place pass's lists from the chunk's offsets on) and its globbed rows'
 *  sums (listSums, over the chunk's lists). */
function gatherItem(pArgs: usize, c: i32, xs: i32, n: i32, nd: i32, pX: usize, pY: usize, pW: usize): void {
  const items = chunks(nd), cols = <i32>ldf(pArgs, aQ) - <i32>ldf(pArgs, aIc), nc = cols + 1 + (pW != 0 ? 1 : 0);
  const j = c % nc, g = c / nc, c0 = g * gatherGroup, c1 = min<i32>(items, c0 + gatherGroup);
  const part = <usize>ldf(pArgs, aPart), id = <usize>ldf(pArgs, aId), sums = <usize>ldf(pArgs, aSums);
  const nr = <i32>ldf(pArgs, aNr), nb = <i32>ldf(pArgs, aNb), nLo = <i32>ldf(pArgs, aNLo), nHi = <i32>ldf(pArgs, aNHi);
  const dst = j < cols ? <usize>ldf(pArgs, aGX) + ((<usize>j * <usize>nr) << 3) : <usize>ldf(pArgs, aGY);
  for (let k = c0; k < c1; k++) {
    const last = k + 1 == items;
    const b0 = <i32>ldf(part, 3 * k), b1 = last ? nb : <i32>ldf(part, 3 * k + 3);
    const l0 = <i32>ldf(part, 3 * k + 1), l1 = last ? nb + nLo : <i32>ldf(part, 3 * k + 4);
    const h0 = <i32>ldf(part, 3 * k + 2), h1 = last ? nb + nLo + nHi : <i32>ldf(part, 3 * k + 5);
    const out = sums + (<usize>(2 * (k * (cols + 2) + j)) << 3);
    if (j > cols) {
      stf(out, 0, listSums<f64>(pW, id, 0, l0, l1));
      stf(out, 1, listSums<f64>(pW, id, 0, h0, h1));
    } else if (j < cols && xs == 2) {
      const src = xat<f32>(pX, n, j, 0);
      for (let t = b0; t < b1; t++) stf(dst, t, xld<f32>(src, ldi(id, t)));
      stf(out, 0, listSums<f32>(src, id, pW, l0, l1));
      stf(out, 1, listSums<f32>(src, id, pW, h0, h1));
    } else {
      const src = j < cols ? xat<f64>(pX, n, j, 0) : pY;
      for (let t = b0; t < b1; t++) stf(dst, t, xld<f64>(src, ldi(id, t)));
      stf(out, 0, listSums<f64>(src, id, pW, l0, l1));
      stf(out, 1, listSums<f64>(src, id, pW, h0, h1));
    }
  }
}

/** The sum of w_i v_i (pW = 0: v_i) over the rows listed at id[k0..k1-1] (one chunk's glob, row
 *  order): list position k - k0 into partial sum s_((k - k0) mod 4) — four chains of adds, unrolled —,
 *  then (s0 + s2) + (s1 + s3). Twin: globTotal by list position. */
// @ts-ignore: decorator
@inline function listSums<T>(p: usize, id: usize, pW: usize, k0: i32, k1: i32): f64 {
  let s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
  let k = k0;
  for (; k + 3 < k1; k += 4) {
    s0 += listVal<T>(p, id, pW, k);
    s1 += listVal<T>(p, id, pW, k + 1);
    s2 += listVal<T>(p, id, pW, k + 2);
    s3 += listVal<T>(p, id, pW, k + 3);
  }
  if (k < k1) s0 += listVal<T>(p, id, pW, k);
  if (k + 1 < k1) s1 += listVal<T>(p, id, pW, k + 1);
  if (k + 2 < k1) s2 += listVal<T>(p, id, pW, k + 2);
  return (s0 + s2) + (s1 + s3);
}

/** w_i v_i (pW = 0: v_i) of the row listed at id[k] (v column p of type T). */
// @ts-ignore: decorator
@inline function listVal<T>(p: usize, id: usize, pW: usize, k: i32): f64 {
  const i = ldi(id, k), x = xld<T>(p, i);
  return pW != 0 ? ldf(pW, i) * x : x;
}

/** Item c of gatherDense (kSums): chunk c's band rows numbered and listed from its offset on (the place
 *  pass's band part), copied into every reduced column, and its globbed rows' sums per column into its
 *  slots. */
function sumsItem(pArgs: usize, c: i32, xs: i32, n: i32, nd: i32, pX: usize, pY: usize, pW: usize): void {
  const r0 = c * globChunk, r1 = min<i32>(nd, r0 + globChunk), items = chunks(nd);
  const memb = <usize>ldf(pArgs, aMemb), id = <usize>ldf(pArgs, aId), part = <usize>ldf(pArgs, aPart);
  const cols = <i32>ldf(pArgs, aQ) - <i32>ldf(pArgs, aIc), nr = <i32>ldf(pArgs, aNr), nb = <i32>ldf(pArgs, aNb);
  const kb0 = <i32>ldf(part, 3 * c), kb1 = c + 1 < items ? <i32>ldf(part, 3 * c + 3) : nb;
  // the place pass's band part: reduced indexes of the chunk's band rows and their list (no glob lists)
  let kb = kb0;
  for (let i = r0; i < r1; i++) {
    const m = ldi(memb, i);
    if (m >= 0 || m == MEMB_BAND) { sti(memb, i, kb); sti(id, kb, i); kb++; }
  }
  const sums = <usize>ldf(pArgs, aSums) + (<usize>(2 * c * (cols + 2)) << 3);
  const gx = <usize>ldf(pArgs, aGX), gy = <usize>ldf(pArgs, aGY);
  for (let j = 0; j <= cols; j++) {
    const dst = j < cols ? gx + ((<usize>j * <usize>nr) << 3) : gy, out = sums + (<usize>(2 * j) << 3);
    if (j < cols && xs == 2) {
      const src = xat<f32>(pX, n, j, 0);
      for (let k = kb0; k < kb1; k++) stf(dst, k, xld<f32>(src, ldi(id, k)));
      globSums<f32>(src, memb, pW, r0, r1, out);
    } else {
      const src = j < cols ? xat<f64>(pX, n, j, 0) : pY;
      for (let k = kb0; k < kb1; k++) stf(dst, k, xld<f64>(src, ldi(id, k)));
      globSums<f64>(src, memb, pW, r0, r1, out);
    }
  }
  if (pW != 0) globSums<f64>(pW, memb, 0, r0, r1, sums + (<usize>(2 * (cols + 1)) << 3));
}

/** Sums over rows r0..r1-1 (r0 a multiple of 4) of w_i v_i (pW = 0: v_i) for the rows globbed below
 *  (out[0]) and above (out[1]) — v column p of type T. Row i goes to partial sum s_(i mod 4) (two
 *  f64x2 per glob: the adds' latency no longer serial), the partials then (s0 + s2) + (s1 + s3); other
 *  rows add nothing (a masked +0, exact: no sum starting at +0 becomes -0). Twin: globSums. */
// @ts-ignore: decorator
@inline function globSums<T>(p: usize, memb: usize, pW: usize, r0: i32, r1: i32, out: usize): void {
  const lo = i64x2.splat(MEMB_LO), hi = i64x2.splat(MEMB_HI);
  let lA = f64x2.splat(0), lB = lA, hA = lA, hB = lA;
  let i = r0;
  for (; i + 3 < r1; i += 4) {
    let u = xld2<T>(p, i), v = xld2<T>(p, i + 2);
    if (pW != 0) {
      u = f64x2.mul(v128.load(pW + (<usize>i << 3)), u);
      v = f64x2.mul(v128.load(pW + (<usize>(i + 2) << 3)), v);
    }
    const m = v128.load(memb + (<usize>i << 2));
    const m0 = i64x2.extend_low_i32x4_s(m), m1 = i64x2.extend_high_i32x4_s(m);
    lA = f64x2.add(lA, v128.and(u, i64x2.eq(m0, lo)));
    hA = f64x2.add(hA, v128.and(u, i64x2.eq(m0, hi)));
    lB = f64x2.add(lB, v128.and(v, i64x2.eq(m1, lo)));
    hB = f64x2.add(hB, v128.and(v, i64x2.eq(m1, hi)));
  }
  let l0 = f64x2.extract_lane(lA, 0), l1 = f64x2.extract_lane(lA, 1), l2 = f64x2.extract_lane(lB, 0), l3 = f64x2.extract_lane(lB, 1);
  let h0 = f64x2.extract_lane(hA, 0), h1 = f64x2.extract_lane(hA, 1), h2 = f64x2.extract_lane(hB, 0), h3 = f64x2.extract_lane(hB, 1);
  for (; i < r1; i++) {
    // the last chunk's 1-3 rows past a multiple of 4: sums s0, s1, s2
    const m = ldi(memb, i);
    if (m != MEMB_LO && m != MEMB_HI) continue;
    const v = pW != 0 ? ldf(pW, i) * xld<T>(p, i) : xld<T>(p, i), k = i & 3;
    if (m == MEMB_LO) { if (k == 0) l0 += v; else if (k == 1) l1 += v; else l2 += v; }
    else if (k == 0) h0 += v; else if (k == 1) h1 += v; else h2 += v;
  }
  stf(out, 0, (l0 + l2) + (l1 + l3));
  stf(out, 1, (h0 + h2) + (h1 + h3));
}

/** columnScales() of the full problem (full problem active). Its maxima of |x_ij| over the rows of
 *  positive weight are gColMax's when every row is a data row of weight 1 (maxima are exact: the
 *  same values), which saves a pass over X (1e6 x 10: ~6% of lad's CPU). */
function fullColumnScales(): void {
  if (!(fW == 0 && fN == fNd && gMaxDone)) { columnScales(); return; }
  for (let j = ic; j < q; j++) stf(wCS, j, ldf(gColMax, 1 + j - ic));
  powerScales();
}

/** After the last reduced solve verified on the full data (full problem active, b in wB): the
 *  reduced basis mapped to full rows and the reduced labels carried over, then the full data
 *  re-prices it (optimal unless rounding says otherwise; then pivots finish on the full data).
 *  A glob in the basis (all its rows at zero residual) falls back to a crash at b. */
function finalStage(redLab: usize): i32 {
  fullColumnScales();
  let mapped = true;
  for (let s = 0; s < q; s++) {
    const i = ldi(wSlot, s);
    if (i < 0) { mapped = false; continue; }
    const f = ldi(gMap, i);
    if (f < 0) mapped = false; else sti(wSlot, s, f);
  }
  // labels: the reduced problem's for band rows and pseudo-rows, the glob's side for globbed rows;
  // rows of weight 0 take +1 (refresh re-derives every label from its residual's sign anyway)
  if (!mapped) residuals(true);
  const la = passArgs(kLabels, fN);
  stf(la, aFlags, mapped ? 1 : 0);
  stf(la, aRedLab, <f64>redLab);
  stf(la, aLab, <f64>wLab);
  runItems(la, chunks(fN));
  if (!mapped) {
    for (let j = 0; j < q; j++) sti(wPick, j, -1);
    crash();
    for (let s = 0; s < q; s++) { const i = ldi(wSlot, s); if (i >= 0) sti(wLab, i, 0); }
  }
  return reprice();
}

/** The share 8^-lev of level lev (a power of 2: exact). */
function levelFrac(lev: i32): f64 {
  let frac = 1.0;
  for (let k = 0; k < lev; k++) frac /= GLOB_GROW;
  return frac;
}

/** Level lev's membership threshold on rowHash (0 at lev 0: all rows). */
function levelThr(lev: i32): u32 { return lev == 0 ? 0 : <u32>(levelFrac(lev) * 4294967296.0); }

/** The first band (rows) of a globbed level lev, or -1 when it would hold half the level's rows (no
 *  smaller problem to gain). */
function nextBand(lev: i32): f64 {
  const frac = levelFrac(lev);
  const band = GLOB_BAND * Math.sqrt(GLOB_GROW * <f64>q * <f64>fNd * frac);
  return band > 0.5 * <f64>fNd * frac ? -1.0 : band;
}

/** The globbing solve (full problem active, wB = start). Returns a status, or -1: not applicable or
 *  given up — the plain solve continues from wB on the full problem. */
export function globSolve(userStart: bool): i32 {
  let base = <f64>globBase;
  if (base < <f64>(GLOB_BASE_Q * q)) base = <f64>(GLOB_BASE_Q * q);
  let levels = 0;
  let size = <f64>fNd;
  if (!userStart) while (size / GLOB_GROW >= base) { size /= GLOB_GROW; levels++; }
  if (!userStart && levels == 0) return -1;
  let redLab: usize = 0;
  // the full residuals (wR) are those of wB: a level verified on all rows hands its residuals to the
  // next level's band as they are (the pass would recompute the same values)
  let fresh = false;
  for (let lev = levels; lev >= 0; lev--) {
    const all = lev == 0;
    const thr = levelThr(lev);
    const plain = lev == levels && !userStart;
    let band = 0.0;
    if (!plain) {
      band = nextBand(lev);
      if (band < 0) return -1; // no smaller problem to gain
      if (!fresh) globResiduals();
    }
    classify(thr, all, band);
    let cdCap = plain ? CD_MAX_SWEEPS : GLOB_LEVEL_CD;
    let rounds = 0;
    let grown = false, wide = false; // growReduced moved the last violators in (no rebuild); the last round doubled the band
    while (true) {
      if (!grown && !buildReduced()) return -1;
      if (plain && rankDeferred()) { const rs = rankSampleStart(gN, gX, gY, fW != 0 ? gW : 0); if (rs >= 0) return rs; }
      // the smallest level's solve is serial: the next level's membership marks (no fit needed) run
      // on the pool's workers meanwhile (markStart), later solves have a range of the rank check's Gram
      // pass (l1-rank.ts rankStart); joined as soon as the solve returns
      const bg = plain ? lev > 0 && nextBand(lev - 1) >= 0 && markStart(levelThr(lev - 1), lev == 1, nextBand(lev - 1)) : rankStart(lev);
      useReduced();
      const st = grown && cdCap == 0 ? fixupSolve() : plainSolve(cdCap, GLOB_CD_REL / <f64>q);
      globRounds++;
      fresh = false;
      redLab = wLab;
      useFull();
      if (bg) parJoin();
      if (st == STATUS_CANCELLED || st == STATUS_MAXITER) { dropDual(); return st; }
      if (st != STATUS_OK) { dropDual(); return -1; }
      if (plain) break;
      // after a fix-up round of few rows at the full level (no level above needs every residual): near
      // the fit only (a doubled band's solve moves b far: most rows would be in the margin)
      const v = fixupVerify(all && rounds > 0 && !wide);
      fresh = fixFresh;
      if (v == 0) break;
      globFixups += v;
      if (++rounds >= GLOB_ROUNDS) { dropDual(); return -1; }
      wide = <f64>v > GLOB_FIX * band;
      if (wide) {
        band *= 2;
        if (!fresh) { globResiduals(); recordRef(); fresh = true; } // classify reads every residual at b
        classify(thr, all, band);
      }
      grown = !wide && growReduced(v, redLab);
      // From the last vertex: a few CD sweeps save many pivots — unless only a few rows (at most
      // GLOB_FIX_FEW q) joined a band that kept its width: the last vertex is then a vertex of the new
      // reduced problem too, where CD (which stalls at kinks) gains nothing (lad 1e6 x 10: its one
      // fix-up round's sweep over 27,664 rows gained exactly 0, ~2.5 ms), and the pivots start there.
      cdCap = !wide && v <= GLOB_FIX_FEW * q ? 0 : CD_MAX_SWEEPS;
    }
  }
  const rank = rankFinish(); // the rank check decided before the full data's re-price (l1-rank.ts)
  if (rank >= 0) return rank;
  return finalStage(redLab);
}
