// Error-free transformations for double-double arithmetic, without FMA, so that the WebAssembly
// kernels and the TypeScript twin (src/twin/dd.ts, same functions, same expressions) round identically.
//
//   Dekker, T. J. (1971). A floating-point technique for extending the available precision.
//     Numer. Math. 18, 224-242: Veltkamp's split (factor 2^27 + 1) and the exact product (mul12).
//   Knuth, D. E. The Art of Computer Programming, vol. 2, §4.2.2, Theorem B: TwoSum (no ordering
//     of |a| and |b| required).
//   Ogita, T., Rump, S. M. & Oishi, S. (2005). Accurate sum and dot product. SIAM J. Sci. Comput.
//     26(6), 1955-1988: Sum2 / Dot2, high parts accumulated by TwoSum and all errors in one double,
//     as accurate as if computed in twice the working precision.
//
// AssemblyScript has no tuples, so each helper returns one value: the error term of an operation
// whose rounded result the caller already holds (s = a + b, p = a * b). The f64x2 variants apply the
// same expression to both lanes (lane-wise IEEE arithmetic: bit-identical to the scalar form).

/** Veltkamp's splitting constant 2^27 + 1. */
export const SPLITTER: f64 = 134217729.0;

/** High half of Dekker's split: a = hi + (a - hi) exactly, both halves with at most 26 significant
 *  bits. Valid for |a| < 2^996 (the product SPLITTER * a must not overflow). */
// @ts-ignore: decorator
@inline export function splitHi(a: f64): f64 {
  const c = SPLITTER * a;
  return c - (c - a);
}

/** Error of s = fl(a + b): a + b = s + twoSumErr(a, b, s) exactly (Knuth's TwoSum). */
// @ts-ignore: decorator
@inline export function twoSumErr(a: f64, b: f64, s: f64): f64 {
  const bb = s - a;
  return (a - (s - bb)) + (b - bb);
}

/** Error of p = fl(a * b) from the splits a = ah + al, b = bh + bl: a * b = p + error exactly (Dekker). */
// @ts-ignore: decorator
@inline export function twoProdErr(ah: f64, al: f64, bh: f64, bl: f64, p: f64): f64 {
  return ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}

/** splitHi on both lanes. */
// @ts-ignore: decorator
@inline export function splitHiV(a: v128): v128 {
  const c = f64x2.mul(f64x2.splat(SPLITTER), a);
  return f64x2.sub(c, f64x2.sub(c, a));
}

/** twoSumErr on both lanes. */
// @ts-ignore: decorator
@inline export function twoSumErrV(a: v128, b: v128, s: v128): v128 {
  const bb = f64x2.sub(s, a);
  return f64x2.add(f64x2.sub(a, f64x2.sub(s, bb)), f64x2.sub(b, bb));
}

/** twoProdErr on both lanes. */
// @ts-ignore: decorator
@inline export function twoProdErrV(ah: v128, al: v128, bh: v128, bl: v128, p: v128): v128 {
  const t = f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ah, bh), p), f64x2.mul(ah, bl)), f64x2.mul(al, bh));
  return f64x2.add(t, f64x2.mul(al, bl));
}
