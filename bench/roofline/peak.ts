import { dotTile2x4 } from "../../assembly/tile";

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
