import { dotTile2x4 } from "../../assembly/tile";
import { gram32Block } from "../../assembly/gram32";

// Roofline probes for bench/roofline.mjs (compiled by it with the pinned asc, -O3, SIMD; no FMA:
// Node 20 has no relaxed-SIMD). Not part of the package.

/** Peak f64x2 multiply + add throughput: 8 independent accumulator chains a_k = a_k + x * c_k (one
 *  f64x2.mul and one f64x2.add = 2 mul-adds each), two multiplicands x, y stepped by one add each per
 *  iteration (so nothing is loop-invariant), 15 live registers (x64 has 16: no spills), no memory
 *  traffic. Returns a checksum. */
export function peakMulAdd(iters: i32, c: f64): f64 {
  // From an argument, not constants: V8 re-materialises v128 constants inside the loop.
  const c0 = f64x2.splat(c), c1 = f64x2.splat(c * 1.0000001), c2 = f64x2.splat(c * 0.5), c3 = f64x2.splat(c * 0.25);
  const d = f64x2.splat(c * 1e-9);
  let x = f64x2.splat(1.0), y = f64x2.splat(1.5);
  let a0 = f64x2.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
  for (let i = 0; i < iters; i++) {
    a0 = f64x2.add(a0, f64x2.mul(x, c0));
    a1 = f64x2.add(a1, f64x2.mul(x, c1));
    a2 = f64x2.add(a2, f64x2.mul(x, c2));
    a3 = f64x2.add(a3, f64x2.mul(x, c3));
    b0 = f64x2.add(b0, f64x2.mul(y, c0));
    b1 = f64x2.add(b1, f64x2.mul(y, c1));
    b2 = f64x2.add(b2, f64x2.mul(y, c2));
    b3 = f64x2.add(b3, f64x2.mul(y, c3));
    x = f64x2.add(x, d);
    y = f64x2.add(y, d);
  }
  const s = f64x2.add(f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3)), f64x2.add(f64x2.add(b0, b1), f64x2.add(b2, b3)));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Streaming read bandwidth: sum of `bytes` (a multiple of 64) at p, four f64x2 accumulators. */
export function streamRead(p: usize, bytes: usize): f64 {
  let a0 = f64x2.splat(0), a1 = a0, a2 = a0, a3 = a0;
  for (let o: usize = 0; o < bytes; o += 64) {
    a0 = f64x2.add(a0, v128.load(p + o));
    a1 = f64x2.add(a1, v128.load(p + o + 16));
    a2 = f64x2.add(a2, v128.load(p + o + 32));
    a3 = f64x2.add(a3, v128.load(p + o + 48));
  }
  const s = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** The Gram pass's own 2 x 4 tile (assembly/tile.ts dotTile2x4) on six columns in cache at p (stride
 *  bytes), `reps` times; its eight sums go to the f64 at pOut.. (returned: their total). */
export function tileInCache(p: usize, bytes: usize, reps: i32, pOut: usize): f64 {
  for (let k = 0; k < 8; k++) store<f64>(pOut + (<usize>k << 3), 0);
  for (let r = 0; r < reps; r++) dotTile2x4(p, p + bytes, p + 2 * bytes, bytes, bytes, 1.0, pOut, pOut + 32, 8);
  let s = 0.0;
  for (let k = 0; k < 8; k++) s += load<f64>(pOut + (<usize>k << 3));
  return s;
}

/** The Gram pass's read pattern: q columns of n f64 (column-major at p, stride n), read L rows of
 *  every column at a time (L = 512: the l2 row block, 4 KiB per column), summed. Against
 *  streamRead on the same bytes: the cost of reading q streams a page at a time. */
export function blockRead(p: usize, n: i32, q: i32, L: i32): f64 {
  let a0 = f64x2.splat(0), a1 = a0;
  const cs = <usize>n << 3;
  for (let i0 = 0; i0 < n; i0 += L) {
    const bytes = <usize>min<i32>(L, n - i0) << 3;
    for (let j = 0; j < q; j++) {
      const c = p + <usize>j * cs + (<usize>i0 << 3);
      for (let o: usize = 0; o < bytes; o += 32) {
        a0 = f64x2.add(a0, v128.load(c + o));
        a1 = f64x2.add(a1, v128.load(c + o + 16));
      }
    }
  }
  const s = f64x2.add(a0, a1);
  return f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
}

/** Issue 21 step 2 prototype: the upper-triangle Gram matrix of q f64 columns (n rows, column-major
 *  at pX) in mixed precision — each block of L rows converted to f32 ((x - m) s, as the l2 row block
 *  is centred and scaled) at pBlk, then the f32 Gram route's own block (assembly/gram32.ts gram32Block:
 *  2 x 4 tiles of f32x4 dot products, f32 sums over one block only, widened and added to the f64 Gram
 *  at pG, q x q).
 *  Returns the trace. Timed alone by bench/roofline.mjs at 1e5 x 101: the go / no-go of the f32x4
 *  Gram (it must reach ~25 ms there for the 1.3x bar to be reachable at all). */
export function gramF32(pX: usize, n: i32, q: i32, L: i32, pBlk: usize, pG: usize): f64 {
  for (let k = 0; k < q * q; k++) store<f64>(pG + (<usize>k << 3), 0);
  const sb = <usize>L << 2;
  const m = f64x2.splat(0.001);
  const sc = f64x2.splat(0.999);
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = min<i32>(L, n - i0);
    const bytes = <usize>((len + 3) & ~3) << 2;
    for (let j = 0; j < q; j++) {
      const src = pX + ((<usize>j * <usize>n + <usize>i0) << 3);
      const dst = pBlk + <usize>j * sb;
      for (let i = 0; i < len; i += 4) {
        const o = <usize>i << 3;
        const lo = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(v128.load(src + o), m), sc));
        const hi = f32x4.demote_f64x2_zero(f64x2.mul(f64x2.sub(v128.load(src + o + 16), m), sc));
        v128.store(dst + (<usize>i << 2), i8x16.shuffle(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
      }
    }
    gram32Block(pBlk, sb, bytes, q, pG);
  }
  let tr = 0.0;
  for (let k = 0; k < q; k++) tr += load<f64>(pG + (<usize>(k * q + k) << 3));
  return tr;
}

/** The f64 counterpart of gramF32 (the same structure, f64x2 tiles via dotTile2x4 on an f64 block):
 *  the reference the f32 speed-up is measured against, in the same run. */
export function gramF64(pX: usize, n: i32, q: i32, L: i32, pBlk: usize, pG: usize): f64 {
  for (let k = 0; k < q * q; k++) store<f64>(pG + (<usize>k << 3), 0);
  const sb = <usize>L << 3;
  const m = f64x2.splat(0.001);
  const sc = f64x2.splat(0.999);
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = min<i32>(L, n - i0);
    const bytes = <usize>((len + 1) & ~1) << 3;
    for (let j = 0; j < q; j++) {
      const src = pX + ((<usize>j * <usize>n + <usize>i0) << 3);
      const dst = pBlk + <usize>j * sb;
      for (let o: usize = 0; o < bytes; o += 16) v128.store(dst + o, f64x2.mul(f64x2.sub(v128.load(src + o), m), sc));
    }
    for (let t = 0; t + 2 <= q; t += 2) {
      const ct = pBlk + <usize>t * sb;
      for (let u = t; u + 4 <= q; u += 4) {
        const g = pG + (<usize>(u * q + t) << 3);
        dotTile2x4(ct, ct + sb, pBlk + <usize>u * sb, sb, bytes, 1.0, g, g + 8, <usize>q << 3);
      }
    }
  }
  let tr = 0.0;
  for (let k = 0; k < q; k++) tr += load<f64>(pG + (<usize>(k * q + k) << 3));
  return tr;
}

/** gramF64 without the block copy: the 2 x 4 tiles read the q columns of X in place (stride n),
 *  L rows at a time (what a Gram "straight from the Dataset layout" costs; the centring would then
 *  be applied to the sums afterwards). */
export function gramRaw(pX: usize, n: i32, q: i32, L: i32, pG: usize): f64 {
  for (let k = 0; k < q * q; k++) store<f64>(pG + (<usize>k << 3), 0);
  const cs = <usize>n << 3;
  for (let i0 = 0; i0 < n; i0 += L) {
    const len = min<i32>(L, n - i0);
    const bytes = <usize>((len + 1) & ~1) << 3;
    const base = pX + (<usize>i0 << 3);
    for (let t = 0; t + 2 <= q; t += 2) {
      const ct = base + <usize>t * cs;
      for (let u = t; u + 4 <= q; u += 4) {
        const g = pG + (<usize>(u * q + t) << 3);
        dotTile2x4(ct, ct + cs, base + <usize>u * cs, cs, bytes, 1.0, g, g + 8, <usize>q << 3);
      }
    }
  }
  let tr = 0.0;
  for (let k = 0; k < q; k++) tr += load<f64>(pG + (<usize>(k * q + k) << 3));
  return tr;
}
