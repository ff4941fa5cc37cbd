// Reads of the design matrix X whatever its storage precision — twin of assembly/xload.ts. X stored
// as float32 ({ precision: 'f32' } Datasets) is read through a Float32Array view; a float32 value
// converted to a JS number is exact, and all arithmetic stays f64, so the twin computes the same
// bits as the WebAssembly kernels on either precision.
import { F32, F64 } from './mem.js';

/** log2 of the byte size of an X entry of the kernel call in progress: 3 (f64) or 2 (f32). */
export let XS = 3;

/** Set the storage precision of X for the kernel call in progress (xf32 = 1: float32). */
export function setX(xf32: number | undefined): void {
  XS = xf32 === 1 ? 2 : 3;
}

/** The typed-array view X is read through (index base of byte pointer p: p >>> XS). */
export function xview(): Float64Array | Float32Array {
  return XS === 3 ? F64 : F32;
}
