// The linear pass of summary()'s nid covariance on a Dataset (src/inference/quantile-dataset.ts):
// out_i = (y_i − c) + x_i1 a_1 + … + x_ip a_p, summed left to right (pY = 0: −c for y_i − c) — the
// fit's residuals (a = −b, c = b0) and the fitted differences of the refits at tau ± h (a = β_hi − β_lo,
// c = −(intercept difference)). A JavaScript loop over 1e6 × 10 ran at a third of this speed in
// summary's single call (not yet optimized by V8 when it runs; measured ~80 vs ~25 ms warm).
// Blocks of rows, column by column (X column-major, read once in its storage precision); two rows per
// f64x2 whose lanes are the scalar expressions of their rows (no FMA), so every out_i has the bits
// of the row-by-row loop. Twin: src/twin/nid.ts (bit-identical; test/kernels/nid-kernel.test.ts).
import { STATUS_OK } from "./status";
import { setX, XS, xat, xld, xld2 } from "./xload";
import { ldf, stf } from "./mem";

/** Rows per block: the block of out stays in L1 while the p columns stream past it. */
const BLOCK: i32 = 1024;

export function nid_rows(n: i32, p: i32, pX: usize, pY: usize, c: f64, pA: usize, pOut: usize, xf32: i32): i32 {
  setX(xf32);
  if (XS == 3) linearRows<f64>(n, p, pX, pY, c, pA, pOut);
  else linearRows<f32>(n, p, pX, pY, c, pA, pOut);
  return STATUS_OK;
}

function linearRows<T>(n: i32, p: i32, pX: usize, pY: usize, c: f64, pA: usize, pOut: usize): void {
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
    } else {
      for (let i = 0; i < len; i++) stf(o, i, -c);
    }
    for (let j = 0; j < p; j++) {
      const a = ldf(pA, j);
      const av = f64x2.splat(a);
      const px = xat<T>(pX, n, j, i0);
      for (let i = 0; i < half; i += 2) {
        const b = o + (<usize>i << 3);
        v128.store(b, f64x2.add(v128.load(b), f64x2.mul(xld2<T>(px, i), av)));
      }
      if (half < len) stf(o, half, ldf(o, half) + xld<T>(px, half) * a);
    }
  }
}
