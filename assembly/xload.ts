// Loads of the design matrix X, whatever its storage precision. A Dataset created with
// { precision: 'f32' } stores X as float32 (column-major, 4 bytes per entry); everything else stores
// float64. Every kernel read of X goes through these helpers: an f32 entry is widened to f64 on load
// (exact), and all arithmetic stays f64 — so a fit on f32 storage is, bit for bit, the fit of the
// rounded data fl32(X) stored as f64 (test/estimators/f32.test.ts). Mirrored by src/twin/xload.ts.
//
// The precision is a module global set at each kernel entry (l2_fit, l1_fit, irls_fit take a last
// argument xf32: 1 = f32, anything else = f64; a host call that omits it passes 0). y, weights and
// every work region stay f64.
//
// Hot loops are generic over the storage type T (f64 or f32) and dispatched once per call
// (`XS == 3 ? f<f64>() : f<f32>()`), so the f64 path runs the same loop code as before — no
// per-element branch (measured: a branch per load cost the f64 IRLS fit ~8%); the loads below are
// resolved at compile time. Cold single-element reads use ldx (a branch on XS).

/** log2 of the byte size of an X entry of the kernel call in progress: 3 (f64) or 2 (f32). */
export let XS: i32 = 3;

/** Set the storage precision of X for the kernel call in progress (xf32 = 1: float32). */
// @ts-ignore: decorator
@inline export function setX(xf32: i32): void { XS = xf32 == 1 ? 2 : 3; }

/** Set the element shift directly (l1's globbing switches between the full problem's X and its
 *  reduced problem, always f64). */
// @ts-ignore: decorator
@inline export function setXS(s: i32): void { XS = s; }

/** log2 of sizeof<T>() for T = f64 | f32 (compile-time constant). */
// @ts-ignore: decorator
@inline export function shiftOf<T>(): i32 { return sizeof<T>() == 8 ? 3 : 2; }

/** Pointer to row i0 of column j of X (n rows, column-major, entries of type T). */
// @ts-ignore: decorator
@inline export function xat<T>(pX: usize, n: i32, j: i32, i0: i32): usize {
  return pX + ((<usize>j * <usize>n + <usize>i0) << shiftOf<T>());
}

/** Entry i of an X column (type T) at p, as f64 (f32 widened: exact). */
// @ts-ignore: decorator
@inline export function xld<T>(p: usize, i: i32): f64 {
  if (sizeof<T>() == 8) return load<f64>(p + (<usize>i << 3));
  return <f64>load<f32>(p + (<usize>i << 2));
}

/** Entries i, i + 1 of an X column (type T) at p, as an f64x2 (f32 pairs promoted: exact). */
// @ts-ignore: decorator
@inline export function xld2<T>(p: usize, i: i32): v128 {
  if (sizeof<T>() == 8) return v128.load(p + (<usize>i << 3));
  return f64x2.promote_low_f32x4(v128.load64_zero(p + (<usize>i << 2)));
}

/** Pointer to row i0 of column j of X in the precision of the call in progress (cold paths). */
// @ts-ignore: decorator
@inline export function xatx(pX: usize, n: i32, j: i32, i0: i32): usize {
  return pX + ((<usize>j * <usize>n + <usize>i0) << XS);
}

/** Entry i of an X column at p in the precision of the call in progress (cold paths: a branch). */
// @ts-ignore: decorator
@inline export function ldx(p: usize, i: i32): f64 {
  return XS == 3 ? load<f64>(p + (<usize>i << 3)) : <f64>load<f32>(p + (<usize>i << 2));
}
