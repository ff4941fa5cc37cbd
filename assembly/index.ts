// Entry point of the WebAssembly module: the kernel set. Mirrors src/backend/twin.ts name for name.
// Kernels take byte pointers into linear memory (column-major matrices), never allocate, and return
// a status code (assembly/status.ts). The host (src/backend/arena.ts) owns allocation and growth.

/** First free byte after static data; the host's arena starts here. */
export function heap_base(): usize {
  return __heap_base;
}

export { l2_work_bytes, l2_fit } from "./l2";
export { l1_work_bytes, l1_fit, l1_glob } from "./l1";
export { irls_work_bytes, irls_fit } from "./irls";
export { moments_work_bytes, moments } from "./moments";
export { hc_work_bytes, hc_pass } from "./hc";
export { mm_work_bytes, mm_fit } from "./mm";
export { lts_work_bytes, lts_fit } from "./lts";
export { collapse_work_bytes, collapse_groups, collapse_build } from "./collapse";
