// A 2 x 4 tile of dot products over one row block, shared by the Gram accumulations of l2.ts
// (gramBlock) and irls.ts (gramChunk). Inlined at both uses, so each compiles to the loop it had.
// Twin: the one-pair scalar loops of src/twin/l2.ts and src/twin/irls.ts perform the same IEEE
// operations per pair (two accumulators: even rows, odd rows; added at the end of the block).
import { lane0, lane1 } from "./mem";

/** For the two block columns at ct, cs and the four at c0 + k stride (k = 0..3), each `bytes` long
 *  (a multiple of 16): adds sign * (ct . c_k) to the f64 at pA + k step and sign * (cs . c_k) to the
 *  f64 at pB + k step. Each dot keeps one f64x2 accumulator (lane 0: even rows, lane 1: odd rows);
 *  the loads of the six columns are shared by the eight pairs (register blocking does not change any
 *  pair's order). sign = 1 leaves every sum's bits unchanged. */
// @ts-ignore: decorator
@inline export function dotTile2x4(ct: usize, cs: usize, c0: usize, stride: usize, bytes: usize, sign: f64,
  pA: usize, pB: usize, step: usize): void {
  dotTile2x4At(ct, cs, c0, c0 + stride, c0 + 2 * stride, c0 + 3 * stride, bytes, sign, pA, pB, step);
}

/** dotTile2x4 with the four columns at any addresses c0..c3 (l2's Gram read in place from X). */
// @ts-ignore: decorator
@inline export function dotTile2x4At(ct: usize, cs: usize, c0: usize, c1: usize, c2: usize, c3: usize, bytes: usize,
  sign: f64, pA: usize, pB: usize, step: usize): void {
  let a0 = f64x2.splat(0.0);
  let a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  // Two 16-byte row pairs per trip (the loop overhead competes with the multiplies and adds for the
  // same execution ports): the same additions in the same order, so the same bits. Measured (CPU time,
  // gramMatrix alone, median of 11, same run): 1e6 x 20 52.6 -> 48.2 ms, 1e5 x 100 84.9 -> 75.1 ms;
  // bigger tiles (3 x 3, 3 x 4, 4 x 4, 2 x 6) and four pairs per trip were no faster: the tile already
  // issues one multiply and one add per pair, which is the bound without fused multiply-add.
  let o: usize = 0;
  for (; o + 32 <= bytes; o += 32) {
    let z = v128.load(ct + o);
    let y = v128.load(cs + o);
    let x0 = v128.load(c0 + o);
    let x1 = v128.load(c1 + o);
    let x2 = v128.load(c2 + o);
    let x3 = v128.load(c3 + o);
    a0 = f64x2.add(a0, f64x2.mul(z, x0));
    a1 = f64x2.add(a1, f64x2.mul(z, x1));
    a2 = f64x2.add(a2, f64x2.mul(z, x2));
    a3 = f64x2.add(a3, f64x2.mul(z, x3));
    b0 = f64x2.add(b0, f64x2.mul(y, x0));
    b1 = f64x2.add(b1, f64x2.mul(y, x1));
    b2 = f64x2.add(b2, f64x2.mul(y, x2));
    b3 = f64x2.add(b3, f64x2.mul(y, x3));
    z = v128.load(ct + o + 16);
    y = v128.load(cs + o + 16);
    x0 = v128.load(c0 + o + 16);
    x1 = v128.load(c1 + o + 16);
    x2 = v128.load(c2 + o + 16);
    x3 = v128.load(c3 + o + 16);
    a0 = f64x2.add(a0, f64x2.mul(z, x0));
    a1 = f64x2.add(a1, f64x2.mul(z, x1));
    a2 = f64x2.add(a2, f64x2.mul(z, x2));
    a3 = f64x2.add(a3, f64x2.mul(z, x3));
    b0 = f64x2.add(b0, f64x2.mul(y, x0));
    b1 = f64x2.add(b1, f64x2.mul(y, x1));
    b2 = f64x2.add(b2, f64x2.mul(y, x2));
    b3 = f64x2.add(b3, f64x2.mul(y, x3));
  }
  if (o < bytes) {
    const z = v128.load(ct + o);
    const y = v128.load(cs + o);
    const x0 = v128.load(c0 + o);
    const x1 = v128.load(c1 + o);
    const x2 = v128.load(c2 + o);
    const x3 = v128.load(c3 + o);
    a0 = f64x2.add(a0, f64x2.mul(z, x0));
    a1 = f64x2.add(a1, f64x2.mul(z, x1));
    a2 = f64x2.add(a2, f64x2.mul(z, x2));
    a3 = f64x2.add(a3, f64x2.mul(z, x3));
    b0 = f64x2.add(b0, f64x2.mul(y, x0));
    b1 = f64x2.add(b1, f64x2.mul(y, x1));
    b2 = f64x2.add(b2, f64x2.mul(y, x2));
    b3 = f64x2.add(b3, f64x2.mul(y, x3));
  }
  store<f64>(pA, load<f64>(pA) + sign * (lane0(a0) + lane1(a0)));
  store<f64>(pA + step, load<f64>(pA + step) + sign * (lane0(a1) + lane1(a1)));
  store<f64>(pA + 2 * step, load<f64>(pA + 2 * step) + sign * (lane0(a2) + lane1(a2)));
  store<f64>(pA + 3 * step, load<f64>(pA + 3 * step) + sign * (lane0(a3) + lane1(a3)));
  store<f64>(pB, load<f64>(pB) + sign * (lane0(b0) + lane1(b0)));
  store<f64>(pB + step, load<f64>(pB + step) + sign * (lane0(b1) + lane1(b1)));
  store<f64>(pB + 2 * step, load<f64>(pB + 2 * step) + sign * (lane0(b2) + lane1(b2)));
  store<f64>(pB + 3 * step, load<f64>(pB + 3 * step) + sign * (lane0(b3) + lane1(b3)));
}

/** The dot products x . c_k (k = 0..3) over `bytes` (a multiple of 16): one f64x2 accumulator each
 *  (lane 0: even rows, lane 1: odd rows), sharing the loads of x, stored as four v128 at out (64
 *  bytes of the caller's scratch). Shared by l2.ts householderBlock (the reflector applied to four
 *  columns) and plainDots4 (the plain refinement's X^T q sums), which finish the lanes differently. */
// @ts-ignore: decorator
@inline export function dots4(x: usize, c0: usize, c1: usize, c2: usize, c3: usize, bytes: usize, out: usize): void {
  let d0 = f64x2.splat(0);
  let d1 = d0;
  let d2 = d0;
  let d3 = d0;
  for (let o: usize = 0; o < bytes; o += 16) {
    const v = v128.load(x + o);
    d0 = f64x2.add(d0, f64x2.mul(v, v128.load(c0 + o)));
    d1 = f64x2.add(d1, f64x2.mul(v, v128.load(c1 + o)));
    d2 = f64x2.add(d2, f64x2.mul(v, v128.load(c2 + o)));
    d3 = f64x2.add(d3, f64x2.mul(v, v128.load(c3 + o)));
  }
  v128.store(out, d0);
  v128.store(out + 16, d1);
  v128.store(out + 32, d2);
  v128.store(out + 48, d3);
}

/** dots4 for one column: the accumulator x . c (lane 0: even rows, lane 1: odd rows). */
// @ts-ignore: decorator
@inline export function dot1(x: usize, c: usize, bytes: usize): v128 {
  let d = f64x2.splat(0);
  for (let o: usize = 0; o < bytes; o += 16) d = f64x2.add(d, f64x2.mul(v128.load(x + o), v128.load(c + o)));
  return d;
}
