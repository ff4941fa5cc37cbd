// Entry point of the WebAssembly module: the kernel set. Mirrors src/backend/twin.ts name for name.
// Kernels take byte pointers into linear memory (column-major matrices), never allocate, and return
// a status code (assembly/status.ts). The host (src/backend/arena.ts) owns allocation and growth.

/** First free byte after static data; the host's arena starts here. */
export function heap_base(): usize {
  return __heap_base;
}

export { l2_work_bytes, l2_fit } from "./l2";
export { l1_work_bytes, l1_fit, l1_glob, l1_fresh } from "./l1";
export { irls_work_bytes, irls_fit } from "./irls";
export { moments_work_bytes, moments } from "./moments";
export { hc_work_bytes, hc_pass } from "./hc";
export { nid_rows, nid_gram_work_bytes, nid_gram, nid_face } from "./nid";
export { mm_work_bytes, mm_fit } from "./mm";
export { lts_work_bytes, lts_fit, lts_resid } from "./lts";
export { collapse_work_bytes, collapse_groups, collapse_build } from "./collapse";

import { PASS_TEST, PASS_L2_GRAM, PASS_L2_REFINE, PASS_L2_STD, PASS_L2_GRAM32, PASS_IRLS, PASS_L1_GLOB, PASS_COLLAPSE, PASS_L1_ROWS, PASS_LTS, PASS_MM } from "./par";
import { collapseItem } from "./collapse";
import { l2GramItem, l2RefineItem, l2StdItem } from "./l2";
import { gram32Item } from "./gram32";
import { irlsChunk } from "./irls";
import { l1GlobItem } from "./l1-glob";
import { l1RowsItem } from "./l1-rows";
import { ltsChunk } from "./lts";
import { mmChunk } from "./mm";
export { par_set_slots } from "./par";

/** One item of a block pass (assembly/par.ts), on participant slot `slot`: called by the host's
 *  thread pool from every participant's instance (threaded build only; the single-threaded build
 *  runs the items inside the kernels). PASS_TEST traps on slots other than 0 (tests: an error in a
 *  worker). Unknown passes trap. */
export function par_item(pass: i32, pArgs: usize, item: i32, slot: i32): void {
  switch (pass) {
    case PASS_L2_GRAM: l2GramItem(pArgs, item, slot); break;
    case PASS_L2_REFINE: l2RefineItem(pArgs, item, slot); break;
    case PASS_L2_STD: l2StdItem(pArgs, item, slot); break;
    case PASS_L2_GRAM32: gram32Item(pArgs, item, slot); break;
    case PASS_IRLS: irlsChunk(pArgs, item, slot); break;
    case PASS_L1_GLOB: l1GlobItem(pArgs, item, slot); break;
    case PASS_COLLAPSE: collapseItem(pArgs, item, slot); break;
    case PASS_L1_ROWS: l1RowsItem(pArgs, item, slot); break;
    case PASS_LTS: ltsChunk(pArgs, item, slot); break;
    case PASS_MM: mmChunk(pArgs, item, slot); break;
    case PASS_TEST: if (slot != 0) unreachable(); break;
    default: unreachable();
  }
}
