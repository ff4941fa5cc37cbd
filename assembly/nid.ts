// The linear pass of summary()'s nid covariance on a Dataset (src/inference/quantile-dataset.ts):
// out_i = (y_i − c) + x_i1 a_1 + … + x_ip a_p, summed left to right (pY = 0: −c for y_i − c) — the
// fit's residuals (a = −b, c = b0) and the fitted differences of the refits at tau ± h (a = β_hi − β_lo,
// c = −(intercept difference)). A JavaScript loop over 1e6 × 10 ran at a third of this speed in
// summary's single call (not yet optimized by V8 when it runs; measured ~80 vs ~25 ms warm).
// Blocks of rows, column by column (X column-major, read once in its storage precision); two rows per
// f64x2 whose lanes are the scalar expressions of their rows (no FMA), so every out_i has the bits
// of the row-by-row loop. A column with a_j = 0 is skipped (its terms are ±0 on finite data), as the
// L1 kernel's residual pass skips b_j = 0: with c = b0 and a = −b, out is bit for bit that pass's
// r = y − b0 − Σ b_j x_ij ((y − b0) + x(−b) is (y − b0) − xb in IEEE arithmetic). With pMax ≠ 0 the
// same read of X also gives max |y_i| and max |x_ij| per column into pMax[0], pMax[1 + j] (exact in
// any order): with the residuals, l1_fit's pStartR for the nid refits (the first pass of a
// warm-started globbing solve, made once for both refits here).
// Twin: src/twin/nid.ts (bit-identical; test/kernels/nid-kernel.test.ts).
import { STATUS_OK } from "./status";
import { setX, XS, xat, xld, xld2 } from "./xload";
import { ldf, stf } from "./mem";

/** Rows per block: the block of out stays in L1 while the p columns stream past it. */
const BLOCK: i32 = 1024;

export function nid_rows(n: i32, p: i32, pX: usize, pY: usize, c: f64, pA: usize, pOut: usize, xf32: i32, pMax: usize): i32 {
  setX(xf32);
  if (pMax != 0) for (let j = 0; j <= p; j++) stf(pMax, j, 0.0);
  if (XS == 3) linearRows<f64>(n, p, pX, pY, c, pA, pOut, pMax);
  else linearRows<f32>(n, p, pX, pY, c, pA, pOut, pMax);
  return STATUS_OK;
}

/** m folded with |entry i| of column p (type T), i0 <= i < i1: the maximum (f64x2.pmax lanes; exact,
 *  so the twin's plain loop has the same bits). */
// @ts-ignore: decorator
@inline function absMax<T>(p: usize, i0: i32, i1: i32, m: f64): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let i = i0;
  for (; i + 3 < i1; i += 4) {
    a = f64x2.pmax(a, f64x2.abs(xld2<T>(p, i)));
    b = f64x2.pmax(b, f64x2.abs(xld2<T>(p, i + 2)));
  }
  a = f64x2.pmax(a, b);
  let v = f64x2.extract_lane(a, 0);
  if (m < v) m = v;
  v = f64x2.extract_lane(a, 1);
  if (m < v) m = v;
  for (; i < i1; i++) { v = Math.abs(xld<T>(p, i)); if (m < v) m = v; }
  return m;
}

function linearRows<T>(n: i32, p: i32, pX: usize, pY: usize, c: f64, pA: usize, pOut: usize, pMax: usize): void {
  const cv = f64x2.splat(c);
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const len = min<i32>(BLOCK, n - i0);
    const half = len & ~1;
    const o = pOut + (<usize>i0 << 3);
    if (pY != 0) {
      const y = pY + (<usize>i0 << 3);
      for (let i = 0; i < half; i += 2) {
        const b = <usize>i << 3;
        v128.store(o + b, f64x2.sub(v128.load(y + b), cv));
      }
      if (half < len) stf(o, half, ldf(y, half) - c);
      if (pMax != 0) stf(pMax, 0, absMax<f64>(y, 0, len, ldf(pMax, 0)));
    } else {
      for (let i = 0; i < len; i++) stf(o, i, -c);
    }
    for (let j = 0; j < p; j++) {
      const a = ldf(pA, j);
      const px = xat<T>(pX, n, j, i0);
      if (pMax != 0) stf(pMax, 1 + j, absMax<T>(px, 0, len, ldf(pMax, 1 + j)));
      if (a == 0) continue;
      const av = f64x2.splat(a);
      for (let i = 0; i < half; i += 2) {
        const b = o + (<usize>i << 3);
        v128.store(b, f64x2.add(v128.load(b), f64x2.mul(xld2<T>(px, i), av)));
      }
      if (half < len) stf(o, half, ldf(o, half) + xld<T>(px, half) * a);
    }
  }
}
