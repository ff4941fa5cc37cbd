// Sufficient statistics of one chunk of rows for the streaming / mergeable least-squares accumulator
// (src/fit/accumulator.ts): moments_work_bytes, moments. Mirrored statement for statement by the
// TypeScript twin src/twin/moments.ts (no FMA; every f64x2 lane is the scalar expression of its row),
// so both backends return bit-identical statistics (test/estimators/accumulator.test.ts checks).
//
// For the q = p + 1 columns V = [X | y] of a chunk with weights w, the kernel returns
//   W      = sum_i w_i                                   (n without weights)
//   m      = the weighted column means, two-pass, as double-doubles (hi, lo) — l2.ts weightedMean
//   R      = an upper-triangular q x q factor with R^T R = C = sum_i w_i (v_i - m)(v_i - m)^T,
//            the centered co-moment matrix, computed WITHOUT forming C: Householder QR of the rows
//            sqrt(w_i) (v_i - m_hi), one block of rows at a time stacked under the running R
//            (l2.ts householderBlock, LAPACK dtpqrt order, all q columns reflected), so the factor is backward stable and
//            the least-squares solution read from it has error ~ eps cond(Z), not eps cond(Z)^2
//            as from a co-moment (Gram) matrix.
// Chunks and whole accumulators are merged in the host (src/fit/accumulator.ts) by the factored form
// of Chan, Golub & LeVeque's pairwise update: C = C_a + C_b + (W_a W_b / W) d d^T with d = m_b - m_a
// is R = qr([R_a; R_b; sqrt(W_a W_b / W) d^T]).
//
// Overflow guard: before the QR, column j is multiplied by a power of two f_j that brings
// max_i |v_ij - m_j| into [0.5, 1), and sqrt(w_i) by a power of two g that brings sqrt(max w) into
// [0.5, 1); afterwards column j of R is divided by f_j g. Householder QR commutes exactly with
// power-of-two column scalings (every operation scales exactly), so R is bit-for-bit the factor of
// the unscaled rows whenever those would not have over- or underflowed, and finite otherwise.
//
// Output region (f64 slots): R column-major (R[i, j] at j * q + i; the strict lower part is 0), then
// W at q * q, m_hi at q * q + 1 + j, m_lo at q * q + 1 + q + j. Columns 0..p-1 are X, column p is y.
// Rows of zero weight contribute nothing. W = 0 (no weight at all) leaves everything 0.

import { STATUS_OK, STATUS_NUMERICAL } from "./status";
import { weightedMean, vExtent, scaleFor, householderBlock, fillColumn } from "./l2";
import { ldf, stf, evenUp, lane0, lane1 } from "./mem";

/** Rows per block (even, so f64x2 pairs never straddle blocks). */
const BLOCK: i32 = 512;


function blockRows(n: i32): i32 {
  return min<i32>(BLOCK, evenUp(n));
}

/** Work region: the column scale factors (q, rounded up to even), the row block (q * L), the
 *  block's scaled sqrt(w) (L), L = min(512, n rounded up to even), and 8 f64 of scratch for
 *  householderBlock (assembly/tile.ts dots4). */
export function moments_work_bytes(n: i32, p: i32): f64 {
  const L = <f64>blockRows(n);
  const q = <f64>(p + 1);
  return 8.0 * (<f64>evenUp(p + 1) + q * L + L + 8.0);
}

export function moments(n: i32, p: i32, pX: usize, pY: usize, pW: usize, pOut: usize, pWork: usize, xf32: i32): i32 {
  const xs = xf32 == 1 ? 2 : 3; // log2 bytes of an X entry (y is always f64)
  const q = p + 1;
  const L = blockRows(n);
  const pR = pOut;
  const oW = q * q;
  const oMean = oW + 1;
  const oMeanLo = oMean + q;
  const pF = pWork;
  const pBlk = pF + (<usize>evenUp(q) << 3);
  const pWb = pBlk + (<usize>(q * L) << 3);

  for (let k = 0; k < oMeanLo + q; k++) stf(pOut, k, 0);

  let W = <f64>n;
  if (pW != 0) {
    W = 0;
    for (let i = 0; i < n; i++) W += ldf(pW, i);
  }
  if (W == 0) return STATUS_OK;
  stf(pOut, oW, W);

  // 1. Means (two-pass, double-double) and the power-of-two scale of each column.
  let g = 1.0;
  if (pW != 0) {
    let wmax = 0.0;
    for (let i = 0; i < n; i++) {
      const w = ldf(pW, i);
      if (w > wmax) wmax = w;
    }
    g = scaleFor(sqrt<f64>(wmax));
  }
  for (let j = 0; j < q; j++) {
    const col = j < p ? pX + (<usize>j * <usize>n << xs) : pY;
    // max |v - m| over the rows of positive weight from the extremes found by the mean's first pass
    // (the row block is free until step 2 and holds them).
    weightedMean(n, col, pW, W, pOut + (<usize>(oMean + j) << 3), pOut + (<usize>(oMeanLo + j) << 3), pBlk, j < p ? xs : 3);
    const m = ldf(pOut, oMean + j);
    const amax = vExtent(ldf(pBlk, 0), ldf(pBlk, 1), m);
    stf(pF, j, amax > 0 ? scaleFor(amax) : 1.0);
  }

  // 2. Householder QR of the centered, weighted, scaled rows, block by block.
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = min<i32>(L, n - i0);
    const lp = evenUp(len);
    fillRows(n, p, pX, pY, pW, i0, len, lp, pOut + (<usize>oMean << 3), pF, g, pBlk, L, pWb, xs);
    householderBlock(pBlk, L, lp, q, q, pR, pWb + (<usize>L << 3));
  }

  // 3. Undo the scaling (exact: powers of two) and check that everything is finite.
  const ig = 1.0 / g;
  let finite = true;
  for (let j = 0; j < q; j++) {
    const s = 1.0 / ldf(pF, j);
    for (let i = 0; i <= j; i++) {
      const v = (ldf(pR, j * q + i) * s) * ig;
      stf(pR, j * q + i, v);
      if (!(v - v == 0)) finite = false;
    }
    const m = ldf(pOut, oMean + j);
    if (!(m - m == 0)) finite = false;
  }
  return finite ? STATUS_OK : STATUS_NUMERICAL;
}

/** Block rows i0..i0+len-1 into the buffer (column stride L): column t holds
 *  ((v_t - m_t) * (sqrt(w) * g)) * f_t; row len (when lp > len) is zero. X columns are read in
 *  their storage type (xs = 2: float32, widened exactly), y as f64. */
function fillRows(n: i32, p: i32, pX: usize, pY: usize, pW: usize, i0: i32, len: i32, lp: i32,
  pMean: usize, pF: usize, g: f64, pBlk: usize, L: i32, pWb: usize, xs: i32): void {
  const half = len & ~1;
  if (pW != 0) {
    for (let i = 0; i < len; i++) stf(pWb, i, sqrt<f64>(ldf(pW, i0 + i)) * g);
  }
  for (let t = 0; t <= p; t++) {
    const m = ldf(pMean, t);
    const f = ldf(pF, t);
    const dst = pBlk + (<usize>(t * L) << 3);
    if (t == p) fillColumn<f64>(pY + (<usize>i0 << 3), dst, half, len, pW, pWb, m, f);
    else if (xs == 2) fillColumn<f32>(pX + ((<usize>t * <usize>n + <usize>i0) << 2), dst, half, len, pW, pWb, m, f);
    else fillColumn<f64>(pX + ((<usize>t * <usize>n + <usize>i0) << 3), dst, half, len, pW, pWb, m, f);
    if (lp > len) stf(dst, len, 0);
  }
}
