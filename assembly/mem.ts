// Load/store helpers shared by the kernels (inlined at every use, so the compiled code is the same
// as with a private copy per file). Index i counts elements of the type, not bytes. Twin: the
// typed-array views of src/twin/mem.ts (F64[(p >>> 3) + i]).

// @ts-ignore: decorator
@inline export function ldf(p: usize, i: i32): f64 { return load<f64>(p + (<usize>i << 3)); }
// @ts-ignore: decorator
@inline export function stf(p: usize, i: i32, v: f64): void { store<f64>(p + (<usize>i << 3), v); }
// @ts-ignore: decorator
@inline export function ldi(p: usize, i: i32): i32 { return load<i32>(p + (<usize>i << 2)); }
// @ts-ignore: decorator
@inline export function sti(p: usize, i: i32, v: i32): void { store<i32>(p + (<usize>i << 2), v); }
// @ts-ignore: decorator
@inline export function lane0(v: v128): f64 { return f64x2.extract_lane(v, 0); }
// @ts-ignore: decorator
@inline export function lane1(v: v128): f64 { return f64x2.extract_lane(v, 1); }
/** k rounded up to even (f64x2 loops process pairs). */
// @ts-ignore: decorator
@inline export function evenUp(k: i32): i32 { return (k + 1) & ~1; }
