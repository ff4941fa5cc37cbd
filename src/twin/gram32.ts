// Mixed-precision Gram pass of l2_fit's f32 route — pure-TypeScript twin of assembly/gram32.ts (the
// design and its reasons are there). Each f32x4 lane of the kernel is a scalar accumulator here, every
// f32 product and sum rounded by Math.fround (a float64 product or sum of two floats rounded to float32
// is the float32 operation's result: 53 >= 2 * 24 + 2), f64x2 lanes are pairs of scalars, so both
// backends give the same bits. Items (row chunks) run in order on one slot.
import { F64 } from './mem.js';

const fr = Math.fround;

/** Chunk c's Gram matrix (q x q f64 at F index `part`, upper triangle) and column statistics (F index
 *  st: sums, minima, maxima of d, pv apart), as assembly/gram32.ts gram32Item. X's q - 1 columns at F
 *  index xb (n apart), y at yb; shifts and factors at F indexes shift, pow; blk: q L f32 of scratch. */
export function gram32Chunk(n: number, xb: number, yb: number, q: number, L: number, chunk: number, c: number,
  part: number, st: number, shift: number, pow: number, blk: Float32Array): void {
  const F = F64;
  const pv = (q + 1) & ~1;
  for (let k = 0; k < q * q; k++) F[part + k] = 0;
  resetStats(F, st, q, pv);
  const r0 = c * chunk;
  const r1 = Math.min(n, r0 + chunk);
  for (let i0 = r0; i0 < r1; i0 += L) {
    const len = Math.min(L, r1 - i0);
    for (let t = 0; t < q; t++) {
      const src = t < q - 1 ? xb + t * n + i0 : yb + i0;
      convertColumn(F, src, blk, t * L, len, F[shift + t], F[pow + t], st + t, st + pv + t, st + 2 * pv + t);
    }
    gram32Block(F, blk, L, (len + 3) & ~3, q, part);
  }
}

/** assembly/gram32.ts resetStats: one chunk's column statistics at F index st (sums 0, minima
 *  +Infinity pv on, maxima -Infinity 2 pv on; q columns). Also the twin's f64 fused pass (l2.ts). */
export function resetStats(F: Float64Array, st: number, q: number, pv: number): void {
  for (let t = 0; t < q; t++) {
    F[st + t] = 0;
    F[st + pv + t] = Infinity;
    F[st + 2 * pv + t] = -Infinity;
  }
}

/** assembly/gram32.ts convertColumn: d = x - c; the sum in blockStats' four lanes (rows 4k, 4k + 1:
 *  a0, a1; 4k + 2, 4k + 3: b0, b1; a last pair into a0, a1; an odd last row into a0 + b0), extremes;
 *  z = f32(d f), zero rows up to a multiple of 4. */
function convertColumn(F: Float64Array, src: number, blk: Float32Array, dst: number, len: number, c: number, f: number,
  pS: number, pLo: number, pHi: number): void {
  const half = len & ~1;
  let a0 = 0, a1 = 0, b0 = 0, b1 = 0;
  let l0 = Infinity;
  let h0 = -Infinity;
  let i = 0;
  for (; i + 4 <= half; i += 4) {
    a0 += F[src + i] - c;
    a1 += F[src + i + 1] - c;
    b0 += F[src + i + 2] - c;
    b1 += F[src + i + 3] - c;
  }
  if (i < half) {
    a0 += F[src + i] - c;
    a1 += F[src + i + 1] - c;
  }
  let s0 = a0 + b0;
  for (let k = 0; k < len; k++) {
    const d = F[src + k] - c;
    if (d < l0) l0 = d;
    if (d > h0) h0 = d;
    blk[dst + k] = d * f; // Float32Array store: rounded to nearest float32, as f32.demote_f64
  }
  if ((len & 1) !== 0) s0 += F[src + half] - c;
  for (let k = len; (k & 3) !== 0; k++) blk[dst + k] = 0;
  F[pS] = F[pS] + (s0 + (a1 + b1));
  if (l0 < F[pLo]) F[pLo] = l0;
  if (h0 > F[pHi]) F[pHi] = h0;
}

/** assembly/gram32.ts gram32Block: for t <= u, four f32 lanes (rows i = k mod 4) of the block's
 *  products, widened as (l0 + l2) + (l1 + l3) and added to G[u q + t]. */
function gram32Block(F: Float64Array, blk: Float32Array, L: number, rows: number, q: number, G: number): void {
  for (let t = 0; t < q; t++) {
    const ct = t * L;
    for (let u = t; u < q; u++) {
      const cu = u * L;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < rows; i += 4) {
        s0 = fr(s0 + fr(blk[ct + i] * blk[cu + i]));
        s1 = fr(s1 + fr(blk[ct + i + 1] * blk[cu + i + 1]));
        s2 = fr(s2 + fr(blk[ct + i + 2] * blk[cu + i + 2]));
        s3 = fr(s3 + fr(blk[ct + i + 3] * blk[cu + i + 3]));
      }
      F[G + u * q + t] = F[G + u * q + t] + ((s0 + s2) + (s1 + s3));
    }
  }
}

/** The kernel's argument slots of the pass (assembly/gram32.ts; the twin passes its arguments directly). */
export const GRAM32_ARGS = 14;
