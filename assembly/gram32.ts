// Mixed-precision Gram pass of l2_fit's f32 route (issue 21; docs/design.md §5 "The f32 Gram route").
// Mirrored statement for statement by src/twin/gram32.ts (every f32x4 lane is a scalar accumulator
// there, each product and sum rounded by Math.fround), so both backends give the same bits.
//
// The pass is the fused Gram pass of assembly/l2.ts (fusedNormalMatrix) with the products in single
// precision: for each row block of L rows and each column t of [X, y] (X f64, all p columns):
//   d = x - c_t                (f64; c_t the column's shift: 0, or the mean of sampled rows)
//   the block's sum, minimum and maximum of d in f64, in blockStats' order (l2.ts: lanes rows 4k, 4k+1
//     and 4k+2, 4k+3, a last pair into the first, an odd last row added to lane 0)
//   z = f32(d * f_t)           (f_t = 2^-k_t, a power of two from the sampled rows: |z| ~ 1, exact)
// into an f32 row block (zero rows up to a multiple of 4), then for every pair t <= u the block's
// sum of z_t z_u in four f32 lanes (lane k: rows i = k mod 4, products and sums rounded to f32, in
// row order), widened to f64 as (l0 + l2) + (l1 + l3) and added to the chunk's f64 Gram matrix. So f32
// sums run over at most L / 4 = 128 products; everything longer is f64. The caller (l2.ts) unscales
// by 2^(k_t + k_u), centres and scales in f64 exactly as the f64 fused pass does.
// Items are the row chunks of l2.ts (chunkRows): each chunk's matrix and statistics go to its own
// slots, reduced by the caller in chunk order, so 1, 2 or 3 threads give the same bits.
//
// Cost (why): the f32x4 2 x 4 tile issues 8 f32x4.mul + 8 f32x4.add per 4 rows x 8 pairs = 32
// mul-adds (the f64x2 tile: 16), with no FMA in Node 20's WebAssembly; measured 15.5-16.3 G mul-adds/s
// against 7.5-8.1 for the f64 tile (bench/roofline.mjs, h21x).

import { lane0, lane1 } from "./mem";

/** Argument slots (f64 indexes into the caller's argument region) of the pass. */
const gN = 0, gPX = 1, gPY = 2, gQ = 3, gL = 4, gChunk = 5, gPart = 6, gPStride = 7, gScr0 = 8, gScrN = 9,
  gSStride = 10, gShift = 11, gPow = 12, gStats = 13;
export const GRAM32_ARGS: i32 = 14;

/** Fills the pass's argument region: n rows, q = p + 1 columns (X's p f64 columns at pX, y at pY),
 *  block rows L (a multiple of 4), rows per chunk, the chunks' Gram slots (pPart, stride in f64) and
 *  statistics (pStats: 3 pv f64 per chunk, pv = q rounded up to even: sums, minima, maxima of d), the
 *  scratch of slot 0 (scr0) and of slots 1.. (scrN, sstride bytes apart; each >= q L f32), the shifts
 *  c_t (pShift) and factors f_t (pPow), f64 each. */
export function gram32Args(a: usize, n: i32, pX: usize, pY: usize, q: i32, L: i32, chunk: i32, pPart: usize,
  pStride: i32, pStats: usize, scr0: usize, scrN: usize, sstride: usize, pShift: usize, pPow: usize): void {
  store<f64>(a + (<usize>gN << 3), <f64>n);
  store<f64>(a + (<usize>gPX << 3), <f64>pX);
  store<f64>(a + (<usize>gPY << 3), <f64>pY);
  store<f64>(a + (<usize>gQ << 3), <f64>q);
  store<f64>(a + (<usize>gL << 3), <f64>L);
  store<f64>(a + (<usize>gChunk << 3), <f64>chunk);
  store<f64>(a + (<usize>gPart << 3), <f64>pPart);
  store<f64>(a + (<usize>gPStride << 3), <f64>pStride);
  store<f64>(a + (<usize>gScr0 << 3), <f64>scr0);
  store<f64>(a + (<usize>gScrN << 3), <f64>scrN);
  store<f64>(a + (<usize>gSStride << 3), <f64>sstride);
  store<f64>(a + (<usize>gShift << 3), <f64>pShift);
  store<f64>(a + (<usize>gPow << 3), <f64>pPow);
  store<f64>(a + (<usize>gStats << 3), <f64>pStats);
}

// @ts-ignore: decorator
@inline function arg(a: usize, k: i32): f64 {
  return load<f64>(a + (<usize>k << 3));
}

/** Block pass PASS_L2_GRAM32, item c: chunk c's Gram matrix (q x q f64, upper triangle, leading
 *  dimension q; zeroed first) and column statistics, one row block at a time. */
export function gram32Item(a: usize, c: i32, s: i32): void {
  const n = <i32>arg(a, gN);
  const q = <i32>arg(a, gQ);
  const L = <i32>arg(a, gL);
  const chunk = <i32>arg(a, gChunk);
  const pX = <usize>arg(a, gPX);
  const pY = <usize>arg(a, gPY);
  const pShift = <usize>arg(a, gShift);
  const pPow = <usize>arg(a, gPow);
  const part = <usize>arg(a, gPart) + (<usize>c * <usize>arg(a, gPStride) << 3);
  const blk = s == 0 ? <usize>arg(a, gScr0) : <usize>arg(a, gScrN) + <usize>(s - 1) * <usize>arg(a, gSStride);
  const pv = (q + 1) & ~1;
  const st = <usize>arg(a, gStats) + (<usize>(c * 3 * pv) << 3);
  for (let k = 0; k < q * q; k++) store<f64>(part + (<usize>k << 3), 0);
  resetStats(st, q, pv);
  // (Reading 2 blocks of each column at a time, 8 KiB, measured no faster: 1e6 x 20 0.96x, 1e5 x 100
  // 1.02x, A/B in one process, 7 reps, load 7.)
  const sb = <usize>L << 2; // f32 column stride of the block (bytes)
  const r0 = c * chunk;
  const r1 = min<i32>(n, r0 + chunk);
  for (let i0 = r0; i0 < r1; i0 += L) {
    const len = min<i32>(L, r1 - i0);
    for (let t = 0; t < q; t++) {
      const src = t < q - 1 ? pX + ((<usize>t * <usize>n + <usize>i0) << 3) : pY + (<usize>i0 << 3);
      convertColumn(src, blk + <usize>t * sb, len, load<f64>(pShift + (<usize>t << 3)), load<f64>(pPow + (<usize>t << 3)),
        st + (<usize>t << 3), st + (<usize>(pv + t) << 3), st + (<usize>(2 * pv + t) << 3));
    }
    gram32Block(blk, sb, <usize>((len + 3) & ~3) << 2, q, part);
  }
}

/** Starts one chunk's column statistics at st (q columns): sums 0 (from st), minima +Infinity (from
 *  st + 8 pv), maxima -Infinity (from st + 16 pv). Also the f64 fused pass's (l2.ts l2GramItem). */
export function resetStats(st: usize, q: i32, pv: i32): void {
  for (let t = 0; t < q; t++) {
    store<f64>(st + (<usize>t << 3), 0);
    store<f64>(st + (<usize>(pv + t) << 3), Infinity);
    store<f64>(st + (<usize>(2 * pv + t) << 3), -Infinity);
  }
}

/** One column of the f32 block: d = src - c (len rows), its sum / min / max into *pS / *pLo / *pHi,
 *  z = f32(d f) at dst, zero rows up to a multiple of 4. */
function convertColumn(src: usize, dst: usize, len: i32, c: f64, f: f64, pS: usize, pLo: usize, pHi: usize): void {
  const cc = f64x2.splat(c);
  const ff = f64x2.splat(f);
  let a = f64x2.splat(0);
  let b = a;
  let lo = f64x2.splat(Infinity);
  let hi = f64x2.splat(-Infinity);
  let lo2 = lo;
  let hi2 = hi;
  const bytes = <usize>(len & ~1) << 3;
  let o: usize = 0;
  for (; o + 32 <= bytes; o += 32) {
    const v = f64x2.sub(v128.load(src + o), cc);
    const w = f64x2.sub(v128.load(src + o + 16), cc);
    a = f64x2.add(a, v);
    b = f64x2.add(b, w);
    lo = f64x2.pmin(lo, v);
    hi = f64x2.pmax(hi, v);
    lo2 = f64x2.pmin(lo2, w);
    hi2 = f64x2.pmax(hi2, w);
    const zv = f32x4.demote_f64x2_zero(f64x2.mul(v, ff));
    const zw = f32x4.demote_f64x2_zero(f64x2.mul(w, ff));
    v128.store(dst + (o >> 1), i8x16.shuffle(zv, zw, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23));
  }
  let i = <i32>(o >> 3);
  if (o < bytes) {
    const v = f64x2.sub(v128.load(src + o), cc);
    a = f64x2.add(a, v);
    lo = f64x2.pmin(lo, v);
    hi = f64x2.pmax(hi, v);
    store<f32>(dst + (<usize>i << 2), <f32>(lane0(v) * f));
    store<f32>(dst + (<usize>(i + 1) << 2), <f32>(lane1(v) * f));
    i += 2;
  }
  lo = f64x2.pmin(lo, lo2);
  hi = f64x2.pmax(hi, hi2);
  const ab = f64x2.add(a, b);
  let s0 = lane0(ab);
  let l0 = lane0(lo);
  let h0 = lane0(hi);
  if ((len & 1) != 0) {
    const v = load<f64>(src + bytes) - c;
    s0 += v;
    if (v < l0) l0 = v;
    if (v > h0) h0 = v;
    store<f32>(dst + (<usize>i << 2), <f32>(v * f));
    i++;
  }
  for (; (i & 3) != 0; i++) store<f32>(dst + (<usize>i << 2), 0);
  const l1 = lane1(lo);
  const h1 = lane1(hi);
  store<f64>(pS, load<f64>(pS) + (s0 + lane1(ab)));
  if (l1 < l0) l0 = l1;
  if (h1 > h0) h0 = h1;
  if (l0 < load<f64>(pLo)) store<f64>(pLo, l0);
  if (h0 > load<f64>(pHi)) store<f64>(pHi, h0);
}

/** The four f32 lanes of a pair widened and added to the f64 entry at g: g + ((l0 + l2) + (l1 + l3)). */
// @ts-ignore: decorator
@inline function widenAdd(g: usize, acc: v128): void {
  const s = f64x2.add(f64x2.promote_low_f32x4(acc),
    f64x2.promote_low_f32x4(i8x16.shuffle(acc, acc, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15)));
  store<f64>(g, load<f64>(g) + (lane0(s) + lane1(s)));
}

/** G[t, u] += the block's f32 sums of z_t z_u for t <= u < q (G column-major, leading dimension q; the
 *  block's columns sb bytes apart, `bytes` per column, a multiple of 16). 2 x 4 tiles of pairs (t, t + 1)
 *  x (u .. u + 3) share their loads; the first tile of each row pair also computes the lower entry
 *  (t + 1, t), whose slot is restored. Register blocking changes no pair's order of operations.
 *  Also timed alone by bench/roofline.mjs (bench/roofline/peak.ts gramF32). */
export function gram32Block(blk: usize, sb: usize, bytes: usize, q: i32, pG: usize): void {
  const qb = <usize>q << 3;
  let t = 0;
  for (; t + 2 <= q; t += 2) {
    const ct = blk + <usize>t * sb;
    const cn = ct + sb;
    const low = pG + (<usize>(t * q + t + 1) << 3);
    const keep = load<f64>(low);
    let u = t;
    for (; u + 4 <= q; u += 4) {
      const c0 = blk + <usize>u * sb;
      const c1 = c0 + sb, c2 = c1 + sb, c3 = c2 + sb;
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
      for (let o: usize = 0; o < bytes; o += 16) {
        const z = v128.load(ct + o);
        const y = v128.load(cn + o);
        const x0 = v128.load(c0 + o), x1 = v128.load(c1 + o), x2 = v128.load(c2 + o), x3 = v128.load(c3 + o);
        a0 = f32x4.add(a0, f32x4.mul(z, x0));
        a1 = f32x4.add(a1, f32x4.mul(z, x1));
        a2 = f32x4.add(a2, f32x4.mul(z, x2));
        a3 = f32x4.add(a3, f32x4.mul(z, x3));
        b0 = f32x4.add(b0, f32x4.mul(y, x0));
        b1 = f32x4.add(b1, f32x4.mul(y, x1));
        b2 = f32x4.add(b2, f32x4.mul(y, x2));
        b3 = f32x4.add(b3, f32x4.mul(y, x3));
      }
      const g = pG + (<usize>(u * q + t) << 3);
      widenAdd(g, a0);
      widenAdd(g + qb, a1);
      widenAdd(g + 2 * qb, a2);
      widenAdd(g + 3 * qb, a3);
      widenAdd(g + 8, b0);
      widenAdd(g + qb + 8, b1);
      widenAdd(g + 2 * qb + 8, b2);
      widenAdd(g + 3 * qb + 8, b3);
    }
    for (; u < q; u++) {
      const c0 = blk + <usize>u * sb;
      let a0 = f32x4.splat(0), b0 = a0;
      for (let o: usize = 0; o < bytes; o += 16) {
        const x0 = v128.load(c0 + o);
        a0 = f32x4.add(a0, f32x4.mul(v128.load(ct + o), x0));
        b0 = f32x4.add(b0, f32x4.mul(v128.load(cn + o), x0));
      }
      const g = pG + (<usize>(u * q + t) << 3);
      widenAdd(g, a0);
      widenAdd(g + 8, b0);
    }
    store<f64>(low, keep);
  }
  if (t < q) {
    const ct = blk + <usize>t * sb;
    let a0 = f32x4.splat(0);
    for (let o: usize = 0; o < bytes; o += 16) {
      const z = v128.load(ct + o);
      a0 = f32x4.add(a0, f32x4.mul(z, z));
    }
    widenAdd(pG + (<usize>(t * q + t) << 3), a0);
  }
}
