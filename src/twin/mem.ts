// Linear memory of the pure-TypeScript twin: an ArrayBuffer addressed by byte offsets exactly like
// WebAssembly memory, so one marshaling path serves both backends. Kernels read the live views
// through `F64`/`I32`/`F32` (copy them into a local at kernel entry: the binding changes on growth).
// Nothing happens at import (the package is sideEffects: false): memory starts empty and the host's
// arena grows it before the first region is used.
export let F64 = new Float64Array(0);
export let I32 = new Int32Array(0);
/** float32 view of the same memory (X of { precision: 'f32' } Datasets; src/twin/xload.ts). */
export let F32 = new Float32Array(0);
let buffer = new ArrayBuffer(0);

/** Static data of the twin ends here (mirrors the WASM module's heap base). */
export const TWIN_HEAP_BASE = 1024;

export function byteLength(): number {
  return buffer.byteLength;
}

/** The first growth allocates at least this much (two pages, like the WASM module's initial memory). */
const MIN_BYTES = 2 * 65536;

/** Grow to at least `bytes` (rounded up to 64 KiB pages, at least MIN_BYTES), preserving contents. */
export function growTo(bytes: number): void {
  if (bytes <= buffer.byteLength) return;
  const pages = Math.ceil(Math.max(bytes, MIN_BYTES) / 65536);
  const next = new ArrayBuffer(pages * 65536);
  new Uint8Array(next).set(new Uint8Array(buffer));
  buffer = next;
  F64 = new Float64Array(buffer);
  I32 = new Int32Array(buffer);
  F32 = new Float32Array(buffer);
}
