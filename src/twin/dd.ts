// Error-free transformations for double-double arithmetic: the twin of assembly/dd.ts (same
// functions, same expressions, no FMA), so both backends round identically.
//
//   Dekker, T. J. (1971). A floating-point technique for extending the available precision.
//     Numer. Math. 18, 224-242: Veltkamp's split (factor 2^27 + 1) and the exact product (mul12).
//   Knuth, D. E. The Art of Computer Programming, vol. 2, §4.2.2, Theorem B: TwoSum.
//   Ogita, T., Rump, S. M. & Oishi, S. (2005). Accurate sum and dot product. SIAM J. Sci. Comput.
//     26(6), 1955-1988: Sum2 / Dot2.
//
// Each helper returns the error term of an operation whose rounded result the caller already holds.
// The WebAssembly kernels also have f64x2 forms; here the two lanes are two scalar calls.

/** Veltkamp's splitting constant 2^27 + 1. */
export const SPLITTER = 134217729.0;

/** High half of Dekker's split: a = hi + (a - hi) exactly, both halves with at most 26 significant
 *  bits. Valid for |a| < 2^996 (the product SPLITTER * a must not overflow). */
export function splitHi(a: number): number {
  const c = SPLITTER * a;
  return c - (c - a);
}

/** Error of s = fl(a + b): a + b = s + twoSumErr(a, b, s) exactly (Knuth's TwoSum). */
export function twoSumErr(a: number, b: number, s: number): number {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/** Error of p = fl(a * b) from the splits a = ah + al, b = bh + bl: a * b = p + error exactly (Dekker). */
export function twoProdErr(ah: number, al: number, bh: number, bl: number, p: number): number {
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
