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
  // One 16-byte row pair per trip: the eight accumulators and the six loaded columns (+ one product)
  // fit x64's sixteen xmm registers, which V8 uses (no AVX-512 registers). The earlier two pairs per
  // trip held twelve loaded vectors at once: V8 spilled four accumulators and three loads to the
  // stack every trip (perf annotate of the JIT code, session 9), and the spilled accumulators' add
  // chains then ran through store-to-load forwarding. V8 unrolls this loop by two itself, without
  // spills. The same additions in the same order, so the same bits. Measured (1e6 x 20 ols, CPU
  // time, 15 reps interleaved in one process, load 5): gramBlock 47.4 -> 40.9 ms per fit (perf
  // samples); the whole fit 68.3 -> 58.6 ms median, 64.4 -> 52.5 fastest.
  // Bigger tiles (3 x 3, 3 x 4, 4 x 4, 2 x 6) need more than sixteen registers.
  for (let o: usize = 0; o < bytes; o += 16) {
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

/** sign * (ct . x) and sign * (cs . x) over `bytes` (a multiple of 16) added to the f64 at pA and pB:
 *  two accumulators (lane 0: even rows, lane 1: odd rows), finished as dotTile2x4At's (the one-column
 *  remainder of a 2-row strip: l2's gramBlock — also an odd order's last column against two rows —
 *  and irls' gramChunk). */
// @ts-ignore: decorator
@inline export function dotTile2x1At(ct: usize, cs: usize, x: usize, bytes: usize, sign: f64, pA: usize, pB: usize): void {
  let a0 = f64x2.splat(0);
  let b0 = a0;
  for (let o: usize = 0; o < bytes; o += 16) {
    const v = v128.load(x + o);
    a0 = f64x2.add(a0, f64x2.mul(v128.load(ct + o), v));
    b0 = f64x2.add(b0, f64x2.mul(v128.load(cs + o), v));
  }
  store<f64>(pA, load<f64>(pA) + sign * (lane0(a0) + lane1(a0)));
  store<f64>(pB, load<f64>(pB) + sign * (lane0(b0) + lane1(b0)));
}

/** x . c_k (k = 0..3) over `bytes` (a multiple of 16) added to the f64 at pA + k step: one f64x2
 *  accumulator per dot (lane 0: even rows, lane 1: odd rows), finished as dotTile2x4At finishes its
 *  eight (l2's gramBlock: the last column of an odd order against four others). */
// @ts-ignore: decorator
@inline export function dotTile1x4At(x: usize, c0: usize, c1: usize, c2: usize, c3: usize, bytes: usize, pA: usize, step: usize): void {
  let a0 = f64x2.splat(0.0);
  let a1 = a0, a2 = a0, a3 = a0;
  for (let o: usize = 0; o < bytes; o += 16) {
    const z = v128.load(x + o);
    a0 = f64x2.add(a0, f64x2.mul(z, v128.load(c0 + o)));
    a1 = f64x2.add(a1, f64x2.mul(z, v128.load(c1 + o)));
    a2 = f64x2.add(a2, f64x2.mul(z, v128.load(c2 + o)));
    a3 = f64x2.add(a3, f64x2.mul(z, v128.load(c3 + o)));
  }
  store<f64>(pA, load<f64>(pA) + (lane0(a0) + lane1(a0)));
  store<f64>(pA + step, load<f64>(pA + step) + (lane0(a1) + lane1(a1)));
  store<f64>(pA + 2 * step, load<f64>(pA + 2 * step) + (lane0(a2) + lane1(a2)));
  store<f64>(pA + 3 * step, load<f64>(pA + 3 * step) + (lane0(a3) + lane1(a3)));
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
