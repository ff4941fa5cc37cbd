// The L1 solver's passes over all rows of the current problem (l1-simplex.ts, l1-lu.ts) as items of
// one block pass (PASS_L1_ROWS, assembly/par.ts; docs/design.md "Threads"): residuals and their
// scales (with the refresh's label update), the gradient's per-block partial sums, the column scales
// and the edge image. Twin: none needed — every item computes each row alone, in the operations of
// the sequential loop it replaces, and the gradient's partials are the very per-BLOCK sums that loop
// adds into g, added here in block order too; column maxima are exact in any order. So the split,
// and which thread runs an item, never changes a bit (src/twin runs the plain loops).
//
// A pass is split when the problem has more than SPLIT_MIN rows (decided by rows, never by the
// thread count: smaller passes stay on the calling thread, where a pool wake-up would cost more than
// it saves) and the kernel call has an argument region (the globbing area's, l1-glob.ts: every fit
// large enough to split has one). The row maps run in items of itemRows(rows) rows (ROW_CHUNK on large
// problems; about ROW_ITEMS items on the globbing driver's reduced problems, so that the threads share
// them evenly); the certificate's sums always by ROW_CHUNK (certChunks: the twin sums by those). Items read everything from that region: each thread has its own
// instance, whose module globals (l1-state's layout, XS) are not the caller's.
import { BLOCK, ZERO_RES } from "./l1-state";
import { PASS_L1_ROWS, parRun } from "./par";
import { XS, setXS, xat, xld, xld2 } from "./xload";
import { ldf, ldi, stf, sti } from "./mem";

/** Rows per item: a whole number of BLOCKs, so blocks (and the gradient's per-block partials) are
 *  those of the sequential loop. */
export const ROW_CHUNK: i32 = 32 * BLOCK;
/** Row maps (residuals, gradient, column scales, edge image, dual keys) on fewer rows than
 *  ROW_ITEMS ROW_CHUNKs run in about ROW_ITEMS items of at least ITEM_MIN rows (whole BLOCKs): the
 *  reduced problems of the globbing driver (10k-30k rows at 1e6 x 10) were 2 items of 16384 rows and
 *  less, 16384 : 11279 rows on 2 threads at 27,663 rows (1.69x at best), or not split at all below
 *  16384 rows. Passes over at most SPLIT_MIN rows stay one loop (an edge image there is ~40 us). */
const ITEM_MIN: i32 = 4 * BLOCK;
const ROW_ITEMS: i32 = 8;
const SPLIT_MIN: i32 = 4 * ITEM_MIN;
/** ...and a row map is split only when it reads more than SPLIT_WORK entries of X (rows x the
 *  columns it sweeps: q for residuals, edge image and column maxima, 2q for the refresh's residuals +
 *  gradient, 1 for the dual keys, which read no X) — decided by the pass's size, never by the thread
 *  count. A pool round trip costs ~50-100 us on a 2-vCPU VM and a row map ~0.4 ns per entry, so a
 *  split pays from ~2 round trips of work: the reduced problems' edge images (28k x 11 rows, ~120 us)
 *  ran 0.77-0.90x on 2 threads, their residuals and column maxima lost too, while their refreshes
 *  (2 x 28k x 11) gained ~10-25% (session 10, bench/threads.mjs --kinds, lad 1e6 x 10). */
const SPLIT_WORK: f64 = 524288;

/** Rows per item of a row map over `rows` rows: a whole number of BLOCKs, ITEM_MIN..ROW_CHUNK, about
 *  rows / ROW_ITEMS (a function of the row count only). */
export function itemRows(rows: i32): i32 {
  const per = (rows + ROW_ITEMS - 1) / ROW_ITEMS;
  const k = ((per + BLOCK - 1) / BLOCK) * BLOCK;
  return k < ITEM_MIN ? ITEM_MIN : k > ROW_CHUNK ? ROW_CHUNK : k;
}

/** Argument slots (f64) of a row pass: 26 (aKind .. aFloor; aChunk: the rows per item); the globbing
 *  area's region holds more (l1-glob.ts argsLen). */
const aKind = 0, aN = 1, aNd = 2, aQ = 3, aIc = 4, aXS = 5, aX = 6, aY = 7, aW = 8, aTau = 9, aB = 10, aBeta = 11,
  aR = 12, aVA = 13, aLab = 14, aZero = 15, aLabels = 16, aKey = 17, aPart = 18, aH = 19, aV = 20, aAlpha = 21,
  aChunk = 22, aSlot = 23, aClip = 24, aFloor = 25;
const kRes = 0, kGrad = 1, kScale = 2, kEdge = 3, kPrimal = 4, kDual = 5, kFloor = 6, kKeys = 7, kRefresh = 8,
  kCertPrimal = 9, kCertDual = 10;

let rowsArgs: usize = 0;

/** The argument region of this kernel call's row passes (0: none — every pass runs as one loop). */
export function setRowsArgs(p: usize): void { rowsArgs = p; }

function chunksOf(rows: i32): i32 { return (rows + ROW_CHUNK - 1) / ROW_CHUNK; }

/** The argument region when a row map over `rows` rows sweeping `cols` columns of X is split, else 0. */
function splitArgs(rows: i32, cols: i32): usize {
  return rows > SPLIT_MIN && <f64>rows * <f64>cols > SPLIT_WORK ? rowsArgs : 0;
}

/** Fills the common slots (kind, shape, X, responses, weights); returns the region. */
function shapeArgs(a: usize, kind: i32, n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pY: usize,
  pW: usize, tau: f64): usize {
  stf(a, aKind, <f64>kind);
  stf(a, aN, <f64>n);
  stf(a, aNd, <f64>nd);
  stf(a, aQ, <f64>q);
  stf(a, aIc, <f64>ic);
  stf(a, aXS, <f64>xs);
  stf(a, aX, <f64>pX);
  stf(a, aY, <f64>pY);
  stf(a, aW, <f64>pW);
  stf(a, aTau, tau);
  return a;
}

/** The residual passes' slots: b, beta, r and the residual scales. */
function residualArgs(a: usize, pB: usize, pBeta: usize, pR: usize, pVA: usize): void {
  stf(a, aB, <f64>pB);
  stf(a, aBeta, <f64>pBeta);
  stf(a, aR, <f64>pR);
  stf(a, aVA, <f64>pVA);
}

/** Runs a pass over `rows` rows in items of `chunk` rows (the row maps: itemRows; the certificate's
 *  sums: ROW_CHUNK). */
function runRows(a: usize, rows: i32, chunk: i32): void {
  stf(a, aChunk, <f64>chunk);
  const items = (rows + chunk - 1) / chunk;
  if (parRun(PASS_L1_ROWS, a, items)) return;
  const xs = XS; // the items set XS from their arguments (as parRun does, restore the caller's)
  for (let c = 0; c < items; c++) l1RowsItem(a, c, 0);
  setXS(xs);
}

/** Item c of a row pass (PASS_L1_ROWS). */
export function l1RowsItem(pArgs: usize, c: i32, slot: i32): void {
  const xs = <i32>ldf(pArgs, aXS);
  setXS(xs);
  const kind = <i32>ldf(pArgs, aKind);
  const n = <i32>ldf(pArgs, aN), nd = <i32>ldf(pArgs, aNd), q = <i32>ldf(pArgs, aQ), ic = <i32>ldf(pArgs, aIc);
  const pX = <usize>ldf(pArgs, aX), pW = <usize>ldf(pArgs, aW);
  const chunk = <i32>ldf(pArgs, aChunk);
  const r0 = c * chunk, r1 = min<i32>(n, r0 + chunk);
  if (kind == kRes) {
    const pY = <usize>ldf(pArgs, aY), pB = <usize>ldf(pArgs, aB), pBeta = <usize>ldf(pArgs, aBeta);
    const pR = <usize>ldf(pArgs, aR), pVA = <usize>ldf(pArgs, aVA), pLab = <usize>ldf(pArgs, aLab);
    const zero = ldf(pArgs, aZero) != 0, labels = ldf(pArgs, aLabels) != 0;
    if (xs == 3) residualRows<f64>(n, nd, q, ic, pX, pY, pB, pBeta, pR, pVA, pLab, zero, labels, r0, r1);
    else residualRows<f32>(n, nd, q, ic, pX, pY, pB, pBeta, pR, pVA, pLab, zero, labels, r0, r1);
  } else if (kind == kRefresh) {
    const pY = <usize>ldf(pArgs, aY), pB = <usize>ldf(pArgs, aB), pBeta = <usize>ldf(pArgs, aBeta);
    const pR = <usize>ldf(pArgs, aR), pVA = <usize>ldf(pArgs, aVA), pLab = <usize>ldf(pArgs, aLab);
    const pKey = <usize>ldf(pArgs, aKey), pPart = <usize>ldf(pArgs, aPart), tau = ldf(pArgs, aTau);
    if (xs == 3) refreshRows<f64>(n, nd, q, ic, pX, pY, pW, tau, pB, pBeta, pR, pVA, pLab, pKey, pPart, r0, r1);
    else refreshRows<f32>(n, nd, q, ic, pX, pY, pW, tau, pB, pBeta, pR, pVA, pLab, pKey, pPart, r0, r1);
  } else if (kind == kGrad) {
    const pLab = <usize>ldf(pArgs, aLab), pKey = <usize>ldf(pArgs, aKey), pPart = <usize>ldf(pArgs, aPart);
    const tau = ldf(pArgs, aTau);
    if (xs == 3) gradientRows<f64>(n, nd, q, ic, pX, pW, tau, pLab, pKey, pPart, r0, r1, 0);
    else gradientRows<f32>(n, nd, q, ic, pX, pW, tau, pLab, pKey, pPart, r0, r1, 0);
  } else if (kind == kScale) {
    const pPart = <usize>ldf(pArgs, aPart) + ((<usize>c * <usize>q) << 3);
    if (xs == 3) scaleRows<f64>(n, q, ic, pX, pW, pPart, r0, r1);
    else scaleRows<f32>(n, q, ic, pX, pW, pPart, r0, r1);
  } else if (kind == kCertPrimal) {
    const pY = <usize>ldf(pArgs, aY), pB = <usize>ldf(pArgs, aB), pBeta = <usize>ldf(pArgs, aBeta);
    const pR = <usize>ldf(pArgs, aR), pVA = <usize>ldf(pArgs, aVA);
    if (ldf(pArgs, aZero) != 0) { // the refresh's residuals: only its zeroed ties are recomputed
      if (xs == 3) unzeroRows<f64>(n, nd, q, ic, pX, pY, pB, pBeta, pR, r0, r1);
      else unzeroRows<f32>(n, nd, q, ic, pX, pY, pB, pBeta, pR, r0, r1);
    } else if (xs == 3) residualRows<f64>(n, nd, q, ic, pX, pY, pB, pBeta, pR, pVA, 0, false, false, r0, r1);
    else residualRows<f32>(n, nd, q, ic, pX, pY, pB, pBeta, pR, pVA, 0, false, false, r0, r1);
    primalRows(n, q, pR, pVA, pW, ldf(pArgs, aTau), <usize>ldf(pArgs, aPart), c);
  } else if (kind == kCertDual) {
    const pR = <usize>ldf(pArgs, aR), pKey = <usize>ldf(pArgs, aKey), pPart = <usize>ldf(pArgs, aPart);
    const useDual = ldf(pArgs, aLabels) != 0;
    dualKeyRows(<usize>ldf(pArgs, aLab), pW, ldf(pArgs, aTau), ldf(pArgs, aAlpha), useDual, pKey, r0, r1);
    if (useDual) {
      // the basic rows' d: clipped into their boxes by the caller (aClip, slot order)
      const pSlot = <usize>ldf(pArgs, aSlot), pClip = <usize>ldf(pArgs, aClip);
      for (let k = 0; k < q; k++) { const i = ldi(pSlot, k); if (i >= r0 && i < r1) stf(pKey, i, ldf(pClip, k)); }
    }
    const pY = <usize>ldf(pArgs, aY), pFloor = <usize>ldf(pArgs, aFloor);
    if (xs == 3) dualRows<f64>(n, nd, q, ic, pX, pR, pKey, useDual, pPart, c, pY, pW, pFloor);
    else dualRows<f32>(n, nd, q, ic, pX, pR, pKey, useDual, pPart, c, pY, pW, pFloor);
  } else if (kind == kPrimal) {
    primalRows(n, q, <usize>ldf(pArgs, aR), <usize>ldf(pArgs, aVA), pW, ldf(pArgs, aTau), <usize>ldf(pArgs, aPart), c);
  } else if (kind == kDual) {
    const pR = <usize>ldf(pArgs, aR), pKey = <usize>ldf(pArgs, aKey), pPart = <usize>ldf(pArgs, aPart);
    const cols = ldf(pArgs, aZero) != 0;
    if (xs == 3) dualRows<f64>(n, nd, q, ic, pX, pR, pKey, cols, pPart, c, 0, 0, 0);
    else dualRows<f32>(n, nd, q, ic, pX, pR, pKey, cols, pPart, c, 0, 0, 0);
  } else if (kind == kFloor) {
    const pY = <usize>ldf(pArgs, aY), pPart = <usize>ldf(pArgs, aPart);
    if (xs == 3) floorRows<f64>(n, nd, q, ic, pX, pY, pW, pPart, c);
    else floorRows<f32>(n, nd, q, ic, pX, pY, pW, pPart, c);
  } else if (kind == kKeys) {
    dualKeyRows(<usize>ldf(pArgs, aLab), pW, ldf(pArgs, aTau), ldf(pArgs, aAlpha), ldf(pArgs, aLabels) != 0,
      <usize>ldf(pArgs, aKey), r0, r1);
  } else if (kind == kEdge) {
    const pH = <usize>ldf(pArgs, aH), pV = <usize>ldf(pArgs, aV), pVA = <usize>ldf(pArgs, aVA);
    if (xs == 3) edgeRows<f64>(n, nd, q, ic, pX, pH, pV, pVA, r0, r1);
    else edgeRows<f32>(n, nd, q, ic, pX, pH, pV, pVA, r0, r1);
  }
}

// ---- residuals ----

/** r = y - A b and wVA = s_i + sum_j |a_ij| beta_j (see l1-simplex.ts residuals) over all n rows,
 *  zeroing ties when `zero`; with `labels`, labels that disagree with the sign of r flip (refresh). */
export function residualPass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pY: usize, pB: usize,
  pBeta: usize, pR: usize, pVA: usize, pLab: usize, zero: bool, labels: bool): void {
  const a = splitArgs(n, q);
  if (a == 0) {
    if (xs == 3) residualRows<f64>(n, nd, q, ic, pX, pY, pB, pBeta, pR, pVA, pLab, zero, labels, 0, n);
    else residualRows<f32>(n, nd, q, ic, pX, pY, pB, pBeta, pR, pVA, pLab, zero, labels, 0, n);
    return;
  }
  shapeArgs(a, kRes, n, nd, q, ic, xs, pX, pY, 0, 0);
  residualArgs(a, pB, pBeta, pR, pVA);
  stf(a, aLab, <f64>pLab);
  stf(a, aZero, zero ? 1 : 0);
  stf(a, aLabels, labels ? 1 : 0);
  runRows(a, n, itemRows(n));
}

/** residualPass(zero = false)'s r from residualPass(zero = true)'s, same b, beta and responses: the
 *  rows the zero test set to 0 (and those at exactly 0: recomputed alike) get y_i - a_i.b back,
 *  computed by residualAt in residualRows' operations; the scales are the same either way. Rows
 *  r0..r1-1 (l1-certificate.ts certify, on the final refresh's residuals). */
export function unzeroPass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pY: usize, pB: usize,
  pBeta: usize, pR: usize, r0: i32, r1: i32): void {
  if (xs == 3) unzeroRows<f64>(n, nd, q, ic, pX, pY, pB, pBeta, pR, r0, r1);
  else unzeroRows<f32>(n, nd, q, ic, pX, pY, pB, pBeta, pR, r0, r1);
}
function unzeroRows<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pY: usize, pB: usize, pBeta: usize,
  pR: usize, r0: i32, r1: i32): void {
  for (let i = r0; i < r1; i++) if (ldf(pR, i) == 0) stf(pR, i, residualAt<T>(n, nd, q, ic, pX, pY, pB, pBeta, i));
}

/** y_i - a_i.b for one row in residualRows' operations and order (the same columns skipped), so
 *  the same bits as its r before the zero test. */
function residualAt<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pY: usize, pB: usize, pBeta: usize, i: i32): f64 {
  const y = ldf(pY, i);
  let r = ic != 0 && i < nd ? y - ldf(pB, 0) : y;
  for (let j = ic; j < q; j++) {
    const bj = ldf(pB, j), ej = ldf(pBeta, j);
    if (bj == 0 && ej == 0) continue;
    r = r - bj * xld<T>(xat<T>(pX, n, j - ic, 0), i);
  }
  return r;
}

/** Rows r0..r1-1 (r0 a multiple of BLOCK) of residualPass. Row blocks keep r and wVA in cache while
 *  the columns stream past. */
function residualRows<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pY: usize, pB: usize, pBeta: usize,
  pR: usize, pVA: usize, pLab: usize, zero: bool, labels: bool, r0: i32, r1: i32): void {
  const b0 = ic ? ldf(pB, 0) : 0.0, a0 = ic ? Math.abs(b0) + ldf(pBeta, 0) : 0.0;
  for (let i0 = r0; i0 < r1; i0 += BLOCK) {
    const i1 = i0 + BLOCK < r1 ? i0 + BLOCK : r1;
    for (let i = i0; i < i1; i++) {
      const y = ldf(pY, i);
      if (ic != 0 && i < nd) {
        stf(pR, i, y - b0);
        stf(pVA, i, Math.abs(y) + a0);
      } else {
        stf(pR, i, y);
        stf(pVA, i, Math.abs(y));
      }
    }
    for (let j = ic; j < q; j++) {
      const bj = ldf(pB, j), ej = ldf(pBeta, j);
      if (bj == 0 && ej == 0) continue;
      const xp = xat<T>(pX, n, j - ic, 0);
      // two rows per f64x2 lane pair: the same IEEE operations per row as the scalar tail (and the twin)
      const b2 = f64x2.splat(bj), e2 = f64x2.splat(ej);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const o = <usize>i << 3;
        const x2 = xld2<T>(xp, i), t2 = f64x2.mul(b2, x2);
        v128.store(pR + o, f64x2.sub(v128.load(pR + o), t2));
        v128.store(pVA + o, f64x2.add(v128.load(pVA + o), f64x2.add(f64x2.abs(t2), f64x2.mul(e2, f64x2.abs(x2)))));
      }
      for (; i < i1; i++) {
        const x = xld<T>(xp, i), t = bj * x;
        stf(pR, i, ldf(pR, i) - t);
        stf(pVA, i, ldf(pVA, i) + (Math.abs(t) + ej * Math.abs(x)));
      }
    }
    if (zero) {
      for (let i = i0; i < i1; i++) if (Math.abs(ldf(pR, i)) <= ZERO_RES * ldf(pVA, i)) stf(pR, i, 0.0);
    }
    if (labels) {
      for (let i = i0; i < i1; i++) {
        const l = ldi(pLab, i), r = ldf(pR, i);
        if (l > 0 && r < 0) sti(pLab, i, -1);
        else if (l < 0 && r > 0) sti(pLab, i, 1);
      }
    }
  }
}

// ---- the simplex refresh: residuals with ties zeroed and labels flipped, then the gradient ----

/** residualPass(zero, labels) and then gradientPass in one pass (l1-simplex.ts refresh): each block's
 *  residuals, scales and labels, then its wKey and gradient partial (at pPart + b q, block b), while
 *  the block's rows of X are in cache — the operations of the two passes, row by row and block by
 *  block, so the same bits; one wake-up of the pool and one sweep over X instead of two. Returns
 *  false (nothing done) when the passes are not split. */
export function refreshPass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pY: usize, pW: usize, tau: f64,
  pB: usize, pBeta: usize, pR: usize, pVA: usize, pLab: usize, pKey: usize, pPart: usize): bool {
  const a = splitArgs(n, 2 * q);
  if (a == 0) return false;
  shapeArgs(a, kRefresh, n, nd, q, ic, xs, pX, pY, pW, tau);
  residualArgs(a, pB, pBeta, pR, pVA);
  stf(a, aLab, <f64>pLab);
  stf(a, aKey, <f64>pKey);
  stf(a, aPart, <f64>pPart);
  runRows(a, n, itemRows(n));
  return true;
}

function refreshRows<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pY: usize, pW: usize, tau: f64, pB: usize,
  pBeta: usize, pR: usize, pVA: usize, pLab: usize, pKey: usize, pPart: usize, r0: i32, r1: i32): void {
  for (let i0 = r0; i0 < r1; i0 += BLOCK) {
    const i1 = i0 + BLOCK < r1 ? i0 + BLOCK : r1;
    residualRows<T>(n, nd, q, ic, pX, pY, pB, pBeta, pR, pVA, pLab, true, true, i0, i1);
    gradientRows<T>(n, nd, q, ic, pX, pW, tau, pLab, pKey, pPart, i0, i1, 0);
  }
}

// ---- gradient ----

/** Per-BLOCK partial sums of g = sum over non-basic rows of w_i psi_i a_i: wKey_i = w_i psi_i (0 for
 *  a basic row), and partial (b, j) = that block's sum of wKey_i a_ij (row order) at pPart + b q.
 *  The caller adds them in block order (l1-simplex.ts gradient): the sequential loop's sums. Returns
 *  false (nothing done) when the pass is not split. */
export function gradientPass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pW: usize, tau: f64,
  pLab: usize, pKey: usize, pPart: usize): bool {
  const a = splitArgs(n, q);
  if (a == 0) return false;
  shapeArgs(a, kGrad, n, nd, q, ic, xs, pX, 0, pW, tau);
  stf(a, aLab, <f64>pLab);
  stf(a, aKey, <f64>pKey);
  stf(a, aPart, <f64>pPart);
  runRows(a, n, itemRows(n));
  return true;
}

/** One block i0..i1-1 of the gradient: wKey_i = w_i psi_i, and the block's q partial sums at pPart
 *  (s from 0, rows in order). */
export function gradientBlock(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pW: usize, tau: f64, pLab: usize,
  pKey: usize, pPart: usize, i0: i32, i1: i32): void {
  if (xs == 3) gradientRows<f64>(n, nd, q, ic, pX, pW, tau, pLab, pKey, pPart, i0, i1, i0 / BLOCK);
  else gradientRows<f32>(n, nd, q, ic, pX, pW, tau, pLab, pKey, pPart, i0, i1, i0 / BLOCK);
}

/** Rows r0..r1-1 (r0 a multiple of BLOCK) of the gradient, one partial per block b at pPart +
 *  (b - b0) q (the ops of the sequential loop: s from 0, rows in order). */
function gradientRows<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pW: usize, tau: f64, pLab: usize,
  pKey: usize, pPart: usize, r0: i32, r1: i32, b0: i32): void {
  for (let i0 = r0; i0 < r1; i0 += BLOCK) {
    const i1 = i0 + BLOCK < r1 ? i0 + BLOCK : r1;
    const part = pPart + ((<usize>(i0 / BLOCK - b0) * <usize>q) << 3);
    for (let i = i0; i < i1; i++) {
      const l = ldi(pLab, i);
      const w = pW == 0 ? 1.0 : ldf(pW, i);
      stf(pKey, i, l == 0 ? 0.0 : w * (l > 0 ? tau : tau - 1.0));
    }
    if (ic) {
      let s = 0.0;
      for (let i = i0; i < i1 && i < nd; i++) s += ldf(pKey, i);
      stf(part, 0, s);
    }
    for (let j = ic; j < q; j++) {
      const xp = xat<T>(pX, n, j - ic, 0);
      let s = 0.0;
      for (let i = i0; i < i1; i++) s += ldf(pKey, i) * xld<T>(xp, i);
      stf(part, j, s);
    }
  }
}

// ---- column scales ----

/** m_j = max |a_ij| over rows with w > 0, for the columns j >= ic (into pOut[j]; the caller turns
 *  them into scales). Split: per-item maxima at pPart (items x q f64; 0: not split), combined in item order —
 *  maxima are exact, so any split gives the sequential loop's value. */
export function columnMaxima(n: i32, q: i32, ic: i32, xs: i32, pX: usize, pW: usize, pPart: usize, pOut: usize): void {
  const chunk = itemRows(n);
  const items = (n + chunk - 1) / chunk;
  const a = pPart != 0 && <f64>items * <f64>q <= <f64>n ? splitArgs(n, q) : 0;
  if (a == 0) {
    if (xs == 3) scaleRows<f64>(n, q, ic, pX, pW, pOut, 0, n);
    else scaleRows<f32>(n, q, ic, pX, pW, pOut, 0, n);
    return;
  }
  shapeArgs(a, kScale, n, n, q, ic, xs, pX, 0, pW, 0);
  stf(a, aPart, <f64>pPart);
  runRows(a, n, chunk);
  for (let j = ic; j < q; j++) {
    let m = 0.0;
    for (let c = 0; c < items; c++) { const v = ldf(pPart, c * q + j); if (v > m) m = v; }
    stf(pOut, j, m);
  }
}

function scaleRows<T>(n: i32, q: i32, ic: i32, pX: usize, pW: usize, pOut: usize, r0: i32, r1: i32): void {
  for (let j = ic; j < q; j++) {
    const xp = xat<T>(pX, n, j - ic, 0);
    let m = 0.0;
    for (let i = r0; i < r1; i++) if ((pW == 0 ? 1.0 : ldf(pW, i)) > 0) { const v = Math.abs(xld<T>(xp, i)); if (v > m) m = v; }
    stf(pOut, j, m);
  }
}

// ---- edge image ----

/** v = A h and wVA = sum_j |a_ij h_j| over all n rows, by row blocks. */
export function edgePass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pH: usize, pV: usize, pVA: usize): void {
  const a = splitArgs(n, q);
  if (a == 0) {
    if (xs == 3) edgeRows<f64>(n, nd, q, ic, pX, pH, pV, pVA, 0, n);
    else edgeRows<f32>(n, nd, q, ic, pX, pH, pV, pVA, 0, n);
    return;
  }
  shapeArgs(a, kEdge, n, nd, q, ic, xs, pX, 0, 0, 0);
  stf(a, aH, <f64>pH);
  stf(a, aV, <f64>pV);
  stf(a, aVA, <f64>pVA);
  runRows(a, n, itemRows(n));
}

function edgeRows<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pH: usize, pV: usize, pVA: usize, r0: i32, r1: i32): void {
  const h0 = ic ? ldf(pH, 0) : 0.0, a0 = Math.abs(h0);
  for (let i0 = r0; i0 < r1; i0 += BLOCK) {
    const i1 = i0 + BLOCK < r1 ? i0 + BLOCK : r1;
    for (let i = i0; i < i1; i++) {
      const data = i < nd;
      stf(pV, i, data ? h0 : 0.0);
      stf(pVA, i, data ? a0 : 0.0);
    }
    for (let j = ic; j < q; j++) {
      const hj = ldf(pH, j);
      if (hj == 0) continue;
      const xp = xat<T>(pX, n, j - ic, 0);
      // two rows per f64x2 lane pair: the same IEEE operations per row as the scalar tail (and the twin)
      const h2 = f64x2.splat(hj);
      let i = i0;
      for (; i + 1 < i1; i += 2) {
        const o = <usize>i << 3;
        const t2 = f64x2.mul(h2, xld2<T>(xp, i));
        v128.store(pV + o, f64x2.add(v128.load(pV + o), t2));
        v128.store(pVA + o, f64x2.add(v128.load(pVA + o), f64x2.abs(t2)));
      }
      for (; i < i1; i++) {
        const t = hj * xld<T>(xp, i);
        stf(pV, i, ldf(pV, i) + t);
        stf(pVA, i, ldf(pVA, i) + Math.abs(t));
      }
    }
  }
}

// ---- one row's residual scale ----

/** s_i + sum_j |a_ij| beta_j / ZERO_RES for row i at b (pB, beta in pBeta): the scale residuals(true)
 *  measures row i's residual against (wVA), with the same operations in the same order. */
export function rowScaleAt<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pY: usize, pB: usize, pBeta: usize, i: i32): f64 {
  let s = Math.abs(ldf(pY, i));
  if (ic != 0 && i < nd) s += Math.abs(ldf(pB, 0)) + ldf(pBeta, 0);
  for (let j = ic; j < q; j++) {
    const bj = ldf(pB, j), ej = ldf(pBeta, j);
    if (bj == 0 && ej == 0) continue;
    const x = xld<T>(xat<T>(pX, n, j - ic, 0), i);
    s += Math.abs(bj * x) + ej * Math.abs(x);
  }
  return s;
}

// ---- the certificate's sums (l1-certificate.ts) ----
// Over more than ROW_CHUNK rows the certificate sums by chunks: each chunk's sums start from zero
// (its compensated sums keep their own error term), and the caller adds them in chunk order. The
// decomposition depends on the shape only (certChunks), and the twin (src/twin/l1-certificate.ts)
// sums by the same chunks, so any thread count gives the twin's bits.

/** f64 slots per chunk before the q per-column sums. */
export const CERT_HEAD: i32 = 3;

/** Chunks of the certificate's sums over n rows with q coefficients: one (the plain loops) up to
 *  ROW_CHUNK rows or when the chunks' partials (CERT_HEAD + q each) would not fit an n-row region. */
export function certChunks(n: i32, q: i32): i32 {
  const c = chunksOf(n);
  return c > 1 && <f64>c * <f64>(CERT_HEAD + q) <= <f64>n ? c : 1;
}

/** Chunk partials of the primal value (pPart + c (CERT_HEAD + q)): compensated sum of w_i rho(r_i)
 *  (sum, error term) and the zero residuals (|r_i| <= ZERO_RES wVA_i). */
export function primalPass(n: i32, q: i32, pR: usize, pVA: usize, pW: usize, tau: f64, pPart: usize, items: i32): void {
  const a = items > 1 ? rowsArgs : 0;
  if (a == 0) {
    for (let c = 0; c < items; c++) primalRows(n, q, pR, pVA, pW, tau, pPart, c);
    return;
  }
  shapeArgs(a, kPrimal, n, n, q, 0, XS, 0, 0, pW, tau);
  stf(a, aR, <f64>pR);
  stf(a, aVA, <f64>pVA);
  stf(a, aPart, <f64>pPart);
  runRows(a, n, ROW_CHUNK);
}

function primalRows(n: i32, q: i32, pR: usize, pVA: usize, pW: usize, tau: f64, pPart: usize, c: i32): void {
  const r0 = c * ROW_CHUNK, r1 = min<i32>(n, r0 + ROW_CHUNK);
  let f = 0.0, e = 0.0;
  let zeros = 0;
  for (let i = r0; i < r1; i++) {
    const r = ldf(pR, i);
    if (Math.abs(r) <= ZERO_RES * ldf(pVA, i)) zeros++;
    const x = (pW == 0 ? 1.0 : ldf(pW, i)) * (r < 0 ? (tau - 1.0) * r : tau * r);
    const t = f + x;
    if (Math.abs(f) >= Math.abs(x)) e += (f - t) + x; else e += (x - t) + f;
    f = t;
  }
  const o = pPart + ((<usize>c * <usize>(CERT_HEAD + q)) << 3);
  stf(o, 0, f);
  stf(o, 1, e);
  stf(o, 2, <f64>zeros);
}

/** The certificate's d on non-basic rows: d_i = alpha w_i psi_i (0 on basic rows, and everywhere
 *  without `useDual`), into pKey. */
export function dualKeys(n: i32, pLab: usize, pW: usize, tau: f64, alpha: f64, useDual: bool, pKey: usize): void {
  const a = splitArgs(n, 1);
  if (a == 0) {
    dualKeyRows(pLab, pW, tau, alpha, useDual, pKey, 0, n);
    return;
  }
  shapeArgs(a, kKeys, n, n, 0, 0, XS, 0, 0, pW, tau);
  stf(a, aLab, <f64>pLab);
  stf(a, aAlpha, alpha);
  stf(a, aLabels, useDual ? 1 : 0);
  stf(a, aKey, <f64>pKey);
  runRows(a, n, itemRows(n));
}

function dualKeyRows(pLab: usize, pW: usize, tau: f64, alpha: f64, useDual: bool, pKey: usize, r0: i32, r1: i32): void {
  for (let i = r0; i < r1; i++) {
    const l = ldi(pLab, i);
    stf(pKey, i, useDual && l != 0 ? alpha * (pW == 0 ? 1.0 : ldf(pW, i)) * (l > 0 ? tau : tau - 1.0) : 0.0);
  }
}

/** Chunk partials of the dual value and of A^T d (d in pKey, residuals in pR): compensated sum of
 *  r_i d_i (sum, error term), sum |d_i|, then (A^T d)_j for the q columns (with `cols`). */
export function dualPass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pR: usize, pKey: usize, cols: bool,
  pPart: usize, items: i32): void {
  const a = items > 1 ? rowsArgs : 0;
  if (a == 0) {
    for (let c = 0; c < items; c++) {
      if (xs == 3) dualRows<f64>(n, nd, q, ic, pX, pR, pKey, cols, pPart, c, 0, 0, 0);
      else dualRows<f32>(n, nd, q, ic, pX, pR, pKey, cols, pPart, c, 0, 0, 0);
    }
    return;
  }
  shapeArgs(a, kDual, n, nd, q, ic, xs, pX, 0, 0, 0);
  stf(a, aR, <f64>pR);
  stf(a, aKey, <f64>pKey);
  stf(a, aZero, cols ? 1 : 0);
  stf(a, aPart, <f64>pPart);
  runRows(a, n, ROW_CHUNK);
}

/** certify's residual pass (residualPass without zeroing or labels) and then primalPass's chunk
 *  partials in one pass over chunks of ROW_CHUNK rows (the chunk's r and scales are in cache when
 *  its sums read them): the operations of the two passes, so the same bits, one wake-up of the pool
 *  and one sweep over r and wVA less. With `fresh` (pR and pVA hold residualPass(zero = true)'s
 *  values for this b, beta and pY) the residual pass is unzeroPass instead: no sweep over X. False
 *  (nothing done) when the certificate's sums are not split. */
export function certPrimalPass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pY: usize, pB: usize,
  pBeta: usize, pR: usize, pVA: usize, pW: usize, tau: f64, pPart: usize, items: i32, fresh: bool): bool {
  const a = items > 1 ? rowsArgs : 0;
  if (a == 0) return false;
  shapeArgs(a, kCertPrimal, n, nd, q, ic, xs, pX, pY, pW, tau);
  residualArgs(a, pB, pBeta, pR, pVA);
  stf(a, aZero, fresh ? 1 : 0);
  stf(a, aPart, <f64>pPart);
  runRows(a, n, ROW_CHUNK);
  return true;
}

/** certifyDual's passes in one: each chunk's d (dualKeys, then the basic rows' clipped duals from
 *  pClip, slot order — with `useDual`), then dualPass's partials; with pFloor != 0 also floorPass's
 *  partials there (y and the chunk's columns are read once for both). The same operations as the
 *  separate passes, so the same bits. False (nothing done) when the certificate's sums are not
 *  split. */
export function certDualPass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pY: usize, pW: usize, tau: f64,
  pLab: usize, alpha: f64, useDual: bool, pSlot: usize, pClip: usize, pR: usize, pKey: usize, pPart: usize,
  pFloor: usize, items: i32): bool {
  const a = items > 1 ? rowsArgs : 0;
  if (a == 0) return false;
  shapeArgs(a, kCertDual, n, nd, q, ic, xs, pX, pY, pW, tau);
  stf(a, aLab, <f64>pLab);
  stf(a, aAlpha, alpha);
  stf(a, aLabels, useDual ? 1 : 0);
  stf(a, aSlot, <f64>pSlot);
  stf(a, aClip, <f64>pClip);
  stf(a, aR, <f64>pR);
  stf(a, aKey, <f64>pKey);
  stf(a, aPart, <f64>pPart);
  stf(a, aFloor, <f64>pFloor);
  runRows(a, n, ROW_CHUNK);
  return true;
}

/** Chunk c of dualPass; with pFloor != 0 also chunk c of floorPass (pY, pW: its arguments), its
 *  column sums in the same loop as A^T d's (each sum in row order, as floorRows). */
function dualRows<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pR: usize, pKey: usize, cols: bool, pPart: usize,
  c: i32, pY: usize, pW: usize, pFloor: usize): void {
  const r0 = c * ROW_CHUNK, r1 = min<i32>(n, r0 + ROW_CHUNK);
  let s = 0.0, e = 0.0;
  for (let i = r0; i < r1; i++) {
    const x = ldf(pR, i) * ldf(pKey, i);
    const t = s + x;
    if (Math.abs(s) >= Math.abs(x)) e += (s - t) + x; else e += (x - t) + s;
    s = t;
  }
  let dsum = 0.0;
  for (let i = r0; i < r1; i++) dsum += Math.abs(ldf(pKey, i));
  const o = pPart + ((<usize>c * <usize>(CERT_HEAD + q)) << 3);
  stf(o, 0, s);
  stf(o, 1, e);
  stf(o, 2, dsum);
  if (pFloor == 0) {
    for (let j = 0; j < q && cols; j++) {
      let t = 0.0;
      if (j < ic) {
        for (let i = r0; i < r1 && i < nd; i++) t += ldf(pKey, i);
      } else {
        const xp = xat<T>(pX, n, j - ic, 0);
        for (let i = r0; i < r1; i++) t += ldf(pKey, i) * xld<T>(xp, i);
      }
      stf(o, CERT_HEAD + j, t);
    }
    return;
  }
  const f = pFloor + ((<usize>c * <usize>(CERT_HEAD + q)) << 3);
  let wy = 0.0;
  for (let i = r0; i < r1; i++) wy += (pW == 0 ? 1.0 : ldf(pW, i)) * Math.abs(ldf(pY, i));
  stf(f, 0, wy);
  for (let j = 0; j < q; j++) {
    let t = 0.0, wa = 0.0;
    if (j < ic) {
      for (let i = r0; i < r1 && i < nd; i++) { t += ldf(pKey, i); wa += pW == 0 ? 1.0 : ldf(pW, i); }
    } else {
      const xp = xat<T>(pX, n, j - ic, 0);
      for (let i = r0; i < r1; i++) {
        const x = xld<T>(xp, i);
        t += ldf(pKey, i) * x;
        wa += (pW == 0 ? 1.0 : ldf(pW, i)) * Math.abs(x);
      }
    }
    if (cols) stf(o, CERT_HEAD + j, t);
    stf(f, CERT_HEAD + j, wa);
  }
}

/** Chunk partials of the rounding floor (l1-certificate.ts gapFloor): sum w_i |y_i|, then
 *  sum_i w_i |a_ij| for the q columns. */
export function floorPass(n: i32, nd: i32, q: i32, ic: i32, xs: i32, pX: usize, pY: usize, pW: usize, pPart: usize,
  items: i32): void {
  const a = items > 1 ? rowsArgs : 0;
  if (a == 0) {
    for (let c = 0; c < items; c++) {
      if (xs == 3) floorRows<f64>(n, nd, q, ic, pX, pY, pW, pPart, c);
      else floorRows<f32>(n, nd, q, ic, pX, pY, pW, pPart, c);
    }
    return;
  }
  shapeArgs(a, kFloor, n, nd, q, ic, xs, pX, pY, pW, 0);
  stf(a, aPart, <f64>pPart);
  runRows(a, n, ROW_CHUNK);
}

function floorRows<T>(n: i32, nd: i32, q: i32, ic: i32, pX: usize, pY: usize, pW: usize, pPart: usize, c: i32): void {
  const r0 = c * ROW_CHUNK, r1 = min<i32>(n, r0 + ROW_CHUNK);
  let wy = 0.0;
  for (let i = r0; i < r1; i++) wy += (pW == 0 ? 1.0 : ldf(pW, i)) * Math.abs(ldf(pY, i));
  const o = pPart + ((<usize>c * <usize>(CERT_HEAD + q)) << 3);
  stf(o, 0, wy);
  for (let j = 0; j < q; j++) {
    let wa = 0.0;
    if (j < ic) {
      for (let i = r0; i < r1 && i < nd; i++) wa += pW == 0 ? 1.0 : ldf(pW, i);
    } else {
      const xp = xat<T>(pX, n, j - ic, 0);
      for (let i = r0; i < r1; i++) wa += (pW == 0 ? 1.0 : ldf(pW, i)) * Math.abs(xld<T>(xp, i));
    }
    stf(o, CERT_HEAD + j, wa);
  }
}
