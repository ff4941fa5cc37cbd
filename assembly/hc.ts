// Least-squares inference in one pass over the data: hc_work_bytes, hc_pass (the kernel of
// src/inference/dataset.ts for summary() on a Dataset: classical, HC0 and HC1 standard errors).
// Mirrored statement for statement by the TypeScript twin src/twin/hc.ts (no FMA; each f64x2 lane
// is the scalar expression of its row; every dot product is one f64x2 accumulator, lane 0 the
// even rows and lane 1 the odd rows, added as lane 0 + lane 1), so both backends return
// bit-identical sums (test/kernels/hc-kernel.test.ts checks).
//
// For the k = p + intercept columns a_i = [1, x_i - s] (intercept = 1) or a_i = x_i (intercept = 0),
// the shift s being the plain mean of the first block's rows (any shift is exact algebra for the
// host; one near the mean keeps the sums well scaled), the residuals r_i = y_i - b0 - x_i'b of the
// given coefficients b = (b0, b_1..b_p) (b0 ignored without an intercept) and e_i = w_i r_i, the
// kernel accumulates, block by block of BLOCK rows:
//   G = sum_i w_i a_i a_i'          (the Gram matrix: the "bread")
//   M = sum_i e_i^2 a_i a_i'        (the HC0 "meat", only when meat = 1)
//   g = sum_i e_i a_i               (the normal equations: ~0 for a least-squares fit of these data)
//   rss = sum_i e_i r_i,  W = sum_i w_i,  sy = sum_i w_i (y_i - s_y),  syy = sum_i w_i (y_i - s_y)^2
// Output region (f64 slots): G column-major upper triangle (G[c, d] at d * k + c, c <= d; the strict
// lower part 0), then M likewise at k * k, g at 2 k k, then rss, W, sy, syy, then the shifts s_1..s_p
// and s_y (all zero without an intercept). X is read in its storage precision (xf32 = 1: float32).

import { STATUS_OK, STATUS_NUMERICAL } from "./status";
import { setX, XS, ldx, xld, xld2, xat, shiftOf } from "./xload";
import { ldf, stf } from "./mem";

/** Rows per block (a multiple of 4: the dot products take rows four at a time). */
const BLOCK: i32 = 512;

export function blockRows(n: i32): i32 {
  return min<i32>(BLOCK, (n + 3) & ~3);
}

/** Work region: A (k + 1 columns: the shifted design, then r), w A (k + 1 columns: w times the
 *  design, then e = w r), e A (k), each L rows; the pairs (b_j, b_j) and (s_j, s_j) (p each); the
 *  (k + 1) x (k + 1) sums of [A, r] (G, then g and rss in its last column). */
export function hc_work_bytes(n: i32, p: i32): f64 {
  const L = <f64>blockRows(n);
  const k = <f64>(p + 1);
  return 8.0 * ((3.0 * k + 2.0) * L + 4.0 * <f64>p + (k + 1.0) * (k + 1.0));
}

/** sum_i u_i v_i over rows 0..lp-1 (lp even) of two columns: one f64x2 accumulator (lane 0 the
 *  even rows, lane 1 the odd rows), then lane 0 + lane 1 — the order of every sum of this kernel. */
// @ts-ignore: decorator
@inline function dot2(pu: usize, pv: usize, lp: i32): f64 {
  let a = f64x2.splat(0);
  for (let i = 0; i < lp; i += 2) {
    const o = <usize>i << 3;
    a = f64x2.add(a, f64x2.mul(v128.load(pu + o), v128.load(pv + o)));
  }
  return f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
}

/** out[t] += lane 0 + lane 1 of the accumulator a. */
// @ts-ignore: decorator
@inline function addTo(pOut: usize, t: i32, a: v128): void {
  stf(pOut, t, ldf(pOut, t) + (f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1)));
}

/**
 * The upper triangle of sum_i u_c,i v_d,i (c <= d < k; u_c = pu + c L, v_d = pv + c L) added to
 * out[base + d k + c]: two rows c of the triangle by four columns d at a time (eight independent
 * accumulators; u and v each loaded once per tile), the rest by dot2, every sum in dot2's order.
 */
export function gramTri(pOut: usize, base: i32, k: i32, pu: usize, pv: usize, L: i32, lp: i32): void {
  const stride = <usize>L << 3;
  let c = 0;
  for (; c + 1 < k; c += 2) {
    const u0 = pu + <usize>c * stride;
    const u1 = u0 + stride;
    stf(pOut, base + c * k + c, ldf(pOut, base + c * k + c) + dot2(u0, pv + <usize>c * stride, lp));
    let d = c + 1;
    for (; d + 4 <= k; d += 4) {
      const v0 = pv + <usize>d * stride;
      const v1 = v0 + stride, v2 = v1 + stride, v3 = v2 + stride;
      let a0 = f64x2.splat(0), a1 = f64x2.splat(0), a2 = f64x2.splat(0), a3 = f64x2.splat(0);
      let b0 = f64x2.splat(0), b1 = f64x2.splat(0), b2 = f64x2.splat(0), b3 = f64x2.splat(0);
      for (let i = 0; i < lp; i += 2) {
        const o = <usize>i << 3;
        const x0 = v128.load(u0 + o);
        const x1 = v128.load(u1 + o);
        const y0 = v128.load(v0 + o), y1 = v128.load(v1 + o), y2 = v128.load(v2 + o), y3 = v128.load(v3 + o);
        a0 = f64x2.add(a0, f64x2.mul(x0, y0));
        a1 = f64x2.add(a1, f64x2.mul(x0, y1));
        a2 = f64x2.add(a2, f64x2.mul(x0, y2));
        a3 = f64x2.add(a3, f64x2.mul(x0, y3));
        b0 = f64x2.add(b0, f64x2.mul(x1, y0));
        b1 = f64x2.add(b1, f64x2.mul(x1, y1));
        b2 = f64x2.add(b2, f64x2.mul(x1, y2));
        b3 = f64x2.add(b3, f64x2.mul(x1, y3));
      }
      const t = base + d * k + c;
      addTo(pOut, t, a0);
      addTo(pOut, t + k, a1);
      addTo(pOut, t + 2 * k, a2);
      addTo(pOut, t + 3 * k, a3);
      addTo(pOut, t + 1, b0);
      addTo(pOut, t + k + 1, b1);
      addTo(pOut, t + 2 * k + 1, b2);
      addTo(pOut, t + 3 * k + 1, b3);
    }
    for (; d < k; d++) {
      const v = pv + <usize>d * stride;
      const t = base + d * k + c;
      stf(pOut, t, ldf(pOut, t) + dot2(u0, v, lp));
      stf(pOut, t + 1, ldf(pOut, t + 1) + dot2(u1, v, lp));
    }
  }
  if (c < k) {
    const t = base + c * k + c;
    stf(pOut, t, ldf(pOut, t) + dot2(pu + <usize>c * stride, pv + <usize>c * stride, lp));
  }
}

/**
 * Rows i0 .. i0 + len - 1 of the block: r = ((y - b0) - x_1 b_1) - ... - x_p b_p into pR and the
 * shifted columns A_c = x_j - s_j (c = j + c0) into pA + c L (A_0 = 1 with an intercept); rows
 * len .. lp - 1 zero. Row pairs outer (f64x2), columns inner, so r stays in a register and each entry
 * of X is read once; a last odd row as a scalar. pBS holds (b_j, b_j) at 32 j and (s_j, s_j) at
 * 32 j + 16.
 */
function fillBlock<T>(n: i32, p: i32, pX: usize, pY: usize, c0: i32, b0: f64, pB: usize, pBS: usize, i0: i32, len: i32, lp: i32,
  pA: usize, pR: usize, L: i32): void {
  const stride = <usize>L << 3;
  const colBytes = <usize>n << shiftOf<T>();
  const pX0 = xat<T>(pX, n, 0, i0);
  const pA1 = pA + <usize>c0 * stride;
  const half = len & ~1;
  const bb0 = f64x2.splat(b0);
  for (let i = 0; i < half; i += 2) {
    const o = <usize>i << 3;
    let r = f64x2.sub(v128.load(pY + (<usize>(i0 + i) << 3)), bb0);
    let px = pX0;
    let pa = pA1 + o;
    let pbs = pBS;
    for (let j = 0; j < p; j++) {
      const x = xld2<T>(px, i);
      r = f64x2.sub(r, f64x2.mul(x, v128.load(pbs)));
      v128.store(pa, f64x2.sub(x, v128.load(pbs + 16)));
      px += colBytes;
      pa += stride;
      pbs += 32;
    }
    v128.store(pR + o, r);
  }
  if (half < len) {
    let r = ldf(pY, i0 + half) - b0;
    for (let j = 0; j < p; j++) {
      const x = xld<T>(pX0 + <usize>j * colBytes, half);
      r = r - x * ldf(pB, j + 1);
      stf(pA1 + <usize>j * stride, half, x - ldf(pBS, 4 * j + 2));
    }
    stf(pR, half, r);
  }
  if (c0 == 1) for (let i = 0; i < len; i++) stf(pA, i, 1.0);
  for (let c = 0; c < p + c0; c++) for (let i = len; i < lp; i++) stf(pA + <usize>c * stride, i, 0);
  for (let i = len; i < lp; i++) stf(pR, i, 0);
}

/** w A into pBw (k columns of stride bytes; rows len .. lp − 1 zero): w_i A_c,i per entry, w at pOmega
 *  (the block's first row). Also nid_gram's (assembly/nid.ts) ω A. */
export function weighRows(pOmega: usize, len: i32, lp: i32, k: i32, pA: usize, pBw: usize, stride: usize): void {
  const half = len & ~1;
  for (let c = 0; c < k; c++) {
    const dA = pA + <usize>c * stride;
    const dB = pBw + <usize>c * stride;
    for (let i = 0; i < half; i += 2) {
      const o = <usize>i << 3;
      v128.store(dB + o, f64x2.mul(v128.load(pOmega + o), v128.load(dA + o)));
    }
    if (half < len) stf(dB, half, ldf(pOmega, half) * ldf(dA, half));
    for (let i = len; i < lp; i++) stf(dB, i, 0);
  }
}

export function hc_pass(n: i32, p: i32, pX: usize, pY: usize, pW: usize, intercept: i32, pB: usize,
  meat: i32, pOut: usize, pWork: usize, xf32: i32): i32 {
  setX(xf32);
  const c0 = intercept != 0 ? 1 : 0;
  const k = p + c0;
  const K = k + 1;
  const L = blockRows(n);
  const oM = k * k;
  const oG = 2 * k * k;
  const oS = oG + k;
  const oShift = oS + 4;
  const stride = <usize>L << 3;
  const pA = pWork;                         // k + 1 columns: A, then r
  const pBw = pA + <usize>K * stride;       // k + 1 columns: w A, then e = w r
  const pD = pBw + <usize>K * stride;       // k columns: e A
  const pBS = pD + <usize>k * stride;       // (b_j, b_j), (s_j, s_j)
  const pGx = pBS + (<usize>p << 5);        // K x K: G, then g and rss in column k
  const pR = pA + <usize>k * stride;
  for (let t = 0; t < oShift + p + 1; t++) stf(pOut, t, 0);
  for (let t = 0; t < K * K; t++) stf(pGx, t, 0);
  if (n == 0) return STATUS_OK;

  // The shifts: plain means of the first block's rows (with an intercept).
  const n0 = min<i32>(L, n);
  if (c0 == 1) {
    for (let j = 0; j < p; j++) {
      let s = 0.0;
      for (let i = 0; i < n0; i++) s += ldx(pX, j * n + i);
      stf(pOut, oShift + j, s / <f64>n0);
    }
    let s = 0.0;
    for (let i = 0; i < n0; i++) s += ldf(pY, i);
    stf(pOut, oShift + p, s / <f64>n0);
  }
  for (let j = 0; j < p; j++) {
    v128.store(pBS + (<usize>j << 5), f64x2.splat(ldf(pB, j + 1)));
    v128.store(pBS + (<usize>j << 5) + 16, f64x2.splat(ldf(pOut, oShift + j)));
  }
  const sy0 = ldf(pOut, oShift + p);
  const b0 = c0 == 1 ? ldf(pB, 0) : 0.0;
  // e: w r in column k of w A (weights), else r itself
  const pE = pW != 0 ? pBw + <usize>k * stride : pR;

  let W = 0.0, sy = 0.0, syy = 0.0;
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = min<i32>(L, n - i0);
    const lp = (len + 3) & ~3;
    if (XS == 3) fillBlock<f64>(n, p, pX, pY, c0, b0, pB, pBS, i0, len, lp, pA, pR, L);
    else fillBlock<f32>(n, p, pX, pY, c0, b0, pB, pBS, i0, len, lp, pA, pR, L);
    // e = w r; the sums of w and y
    if (pW != 0) {
      for (let i = 0; i < len; i++) {
        const w = ldf(pW, i0 + i);
        stf(pE, i, w * ldf(pR, i));
        W += w;
        const yt = ldf(pY, i0 + i) - sy0;
        sy += w * yt;
        syy += (w * yt) * yt;
      }
      for (let i = len; i < lp; i++) stf(pE, i, 0);
      // w A (rows len..lp-1 zero)
      weighRows(pW + (<usize>i0 << 3), len, lp, k, pA, pBw, stride);
    } else {
      for (let i = 0; i < len; i++) {
        W += 1.0;
        const yt = ldf(pY, i0 + i) - sy0;
        sy += yt;
        syy += yt * yt;
      }
    }
    // [G, g; ., rss] += (w [A, r])'[A, r] and M += (eA)'(eA): upper triangles (gramTri)
    gramTri(pGx, 0, K, pW != 0 ? pBw : pA, pA, L, lp);
    if (meat != 0) {
      for (let c = 0; c < k; c++) {
        const dA = pA + <usize>c * stride;
        const dD = pD + <usize>c * stride;
        for (let i = 0; i < lp; i += 2) {
          const o = <usize>i << 3;
          v128.store(dD + o, f64x2.mul(v128.load(pE + o), v128.load(dA + o)));
        }
      }
      gramTri(pOut, oM, k, pD, pD, L, lp);
    }
  }
  for (let d = 0; d < k; d++) for (let c = 0; c <= d; c++) stf(pOut, d * k + c, ldf(pGx, d * K + c));
  for (let c = 0; c < k; c++) stf(pOut, oG + c, ldf(pGx, k * K + c));
  const rss = ldf(pGx, k * K + k);
  stf(pOut, oS, rss);
  stf(pOut, oS + 1, W);
  stf(pOut, oS + 2, sy);
  stf(pOut, oS + 3, syy);
  let finite = rss - rss == 0 && syy - syy == 0;
  for (let t = 0; t < oS; t++) if (!(ldf(pOut, t) - ldf(pOut, t) == 0)) finite = false;
  return finite ? STATUS_OK : STATUS_NUMERICAL;
}
